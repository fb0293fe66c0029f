//! Built-in pack `ansible`: tasks and plays that weaken the hosts they
//! configure — disabled certificate and host-key checks, world-writable
//! files, plaintext secrets, unverified downloads, shell injection — and
//! the hygiene ansible-lint users expect.
//!
//! Rules read `ansible-task` resources (`{"module", "args", "task", "play"}`)
//! and `ansible-play` resources (`docs/kinds/ansible.md`). Fixtures live in
//! `fixtures/<RULE-ID>/{positive,negative}.yml` (playbooks).

mod rules;

use rampart_policy::{Pack, Rule, Severity};
use rules::*;

const TASKS: &[&str] = &["ansible-task"];
const TASKS_AND_PLAYS: &[&str] = &["ansible-task", "ansible-play"];

macro_rules! rule {
    ($id:literal, $severity:ident, $kinds:ident, $title:literal, $description:literal,
     $help:literal, $remediation:literal, [$($tag:literal),*], $uri:expr, $check:ident) => {
        Rule {
            id: $id,
            title: $title,
            description: $description,
            severity: Severity::$severity,
            help: $help,
            help_uri: $uri,
            remediation: $remediation,
            tags: &[$($tag),*],
            compliance: &[],
            kinds: $kinds,
            check: $check,
        }
    };
}

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "ansible",
    version: env!("CARGO_PKG_VERSION"),
    description: "Ansible: certificate and host-key checks, file modes, secrets, downloads, \
                  package sources and versions, shell use, privilege escalation.",
    rules: &[
        rule!(
            "ANS-001",
            High,
            TASKS,
            "Certificate validation disabled",
            "A task sets `validate_certs: false` (get_url, uri, pip, apt_key, cloud modules …).",
            "Without certificate checks anyone on the path can serve the file, package or API response.",
            "Keep `validate_certs: true`; trust an internal CA with the module's `ca_path` or the system store.",
            ["security", "ansible"],
            None,
            certificates_unchecked
        ),
        rule!(
            "ANS-002",
            High,
            TASKS,
            "World-writable file mode",
            "`mode` gives write permission to others (`0777`, `0666`, `o+w`, `a=rwx` …).",
            "Any local user or compromised service can change the file: configuration, scripts, binaries.",
            "Use the narrowest mode that works, e.g. `'0644'` for files and `'0755'` for executables.",
            ["security", "ansible"],
            None,
            world_writable
        ),
        rule!(
            "ANS-003",
            High,
            TASKS_AND_PLAYS,
            "Plaintext secret",
            "A module argument or play variable whose name says it holds a secret (password, token, \
             api_key …) has a literal value.",
            "Playbooks are committed and shared; the secret is in every clone.",
            "Encrypt it with Ansible Vault (`!vault`) or look it up at run time (`lookup('env', …)`, a secrets manager).",
            ["security", "secrets", "ansible"],
            None,
            plaintext_secret
        ),
        rule!(
            "ANS-004",
            Medium,
            TASKS,
            "Secret handled without no_log",
            "A task passes a password or token argument and does not set `no_log: true`.",
            "Ansible prints module arguments on failure and with -v: the secret ends up in CI logs.",
            "Add `no_log: true` to the task.",
            ["security", "secrets", "ansible"],
            Some("https://ansible.readthedocs.io/projects/lint/rules/no-log-password/"),
            secret_logged
        ),
        rule!(
            "ANS-005",
            Low,
            TASKS_AND_PLAYS,
            "become_user without become",
            "`become_user` is set but `become` is not, at the same level.",
            "Without `become: true` the user switch does not happen and the task runs as the connecting user.",
            "Set `become: true` next to `become_user`.",
            ["correctness", "ansible"],
            Some("https://ansible.readthedocs.io/projects/lint/rules/partial-become/"),
            partial_become
        ),
        rule!(
            "ANS-006",
            Medium,
            TASKS,
            "Variable in a shell command without quote",
            "A `shell` (or `raw`) command expands `{{ var }}` without the `quote` filter.",
            "A value with spaces, `;` or `$(…)` becomes extra shell code: injection if any part of it is untrusted.",
            "Use `{{ var | quote }}`, or the `command` module with `argv`.",
            ["security", "ansible"],
            None,
            unquoted_shell_variable
        ),
        rule!(
            "ANS-007",
            Low,
            TASKS,
            "shell used where command suffices",
            "A `shell` task uses no shell feature (pipes, redirection, globbing, `&&`, variables).",
            "`command` does not go through a shell, so it cannot be injected into and behaves the same everywhere.",
            "Use `ansible.builtin.command`.",
            ["hygiene", "ansible"],
            Some("https://ansible.readthedocs.io/projects/lint/rules/command-instead-of-shell/"),
            shell_without_need
        ),
        rule!(
            "ANS-008",
            Medium,
            TASKS,
            "Package installed at its latest version",
            "A package module (apt, yum, dnf, package, pip, npm, gem …) uses `state: latest`.",
            "Each run can upgrade to a version nobody tested, or a compromised release.",
            "Pin versions (`name: nginx=1.24.*`) with `state: present`, and upgrade on purpose.",
            ["supply-chain", "ansible"],
            Some("https://ansible.readthedocs.io/projects/lint/rules/package-latest/"),
            package_latest
        ),
        rule!(
            "ANS-009",
            Medium,
            TASKS,
            "Download over plain HTTP",
            "get_url, uri, unarchive, apt_key or rpm_key fetch an `http://` URL.",
            "Anyone on the path can replace what is downloaded and then run on the host.",
            "Use HTTPS, and a checksum for files.",
            ["security", "ansible"],
            None,
            plain_http
        ),
        rule!(
            "ANS-010",
            Low,
            TASKS,
            "Download without checksum",
            "`get_url` without `checksum`.",
            "Nothing proves the file is the one you meant, even over HTTPS (a compromised mirror).",
            "Add `checksum: sha256:<digest>` (or a URL of a checksum file).",
            ["supply-chain", "ansible"],
            None,
            download_unverified
        ),
        rule!(
            "ANS-011",
            High,
            TASKS,
            "Remote script piped to a shell",
            "A shell/command/raw task downloads with curl or wget and pipes it into a shell.",
            "Whatever the server returns runs as the task's user — often root — with nothing verified.",
            "Download with get_url and a checksum, then run the file.",
            ["supply-chain", "ansible"],
            None,
            curl_pipe_shell
        ),
        rule!(
            "ANS-012",
            High,
            TASKS,
            "Package signature checks disabled",
            "`allow_unauthenticated: true` (apt), `disable_gpg_check: true` (yum, dnf, zypper) or \
             `gpgcheck: false` (yum_repository).",
            "Unsigned packages can be swapped by any mirror or proxy and run as root on install.",
            "Import the repository's key and keep signature checks on.",
            ["supply-chain", "ansible"],
            None,
            unsigned_packages
        ),
        rule!(
            "ANS-013",
            Low,
            TASKS,
            "Git checkout not pinned",
            "The `git` module without `version`, or with a branch such as HEAD, main or master.",
            "Every run deploys whatever the branch points to now.",
            "Pin `version` to a tag or commit.",
            ["supply-chain", "ansible"],
            Some("https://ansible.readthedocs.io/projects/lint/rules/latest/"),
            git_unpinned
        ),
        rule!(
            "ANS-014",
            Low,
            TASKS,
            "Errors ignored",
            "`ignore_errors: true` hides every failure of the task.",
            "A failed security step (a firewall rule, a permission change) goes unnoticed and the play carries on.",
            "Use `failed_when` for the failures you expect, or `ignore_errors` with a `register` you check.",
            ["correctness", "ansible"],
            Some("https://ansible.readthedocs.io/projects/lint/rules/ignore-errors/"),
            errors_ignored
        ),
        rule!(
            "ANS-015",
            High,
            TASKS_AND_PLAYS,
            "SSH host key checking disabled",
            "`ansible_ssh_common_args` / `ansible_ssh_extra_args` with `StrictHostKeyChecking=no`, or \
             `ansible_host_key_checking: false`, in play or task variables.",
            "Ansible will then send credentials and commands to whichever machine answers, man in the middle included.",
            "Distribute known_hosts (or use SSH certificates) and keep host key checking on.",
            ["security", "ansible"],
            None,
            host_keys_unchecked
        ),
    ],
};

rampart_policy::export_pack!(PACK);
