//! The checks of the `ansible` pack, in rule order.

use crate::{TASKS, TASKS_AND_PLAYS};
use rampart_policy::helpers::{pipes_download_to_shell, secret_name};
use rampart_policy::{Context, Node, Resource, Rule, Severity};

/// The module's short name: `ansible.builtin.get_url` → `get_url`.
fn module(resource: &Resource) -> &str {
    let name = resource.root().get("module").as_str().unwrap_or("");
    name.rsplit('.').next().unwrap_or(name)
}

fn task(resource: &Resource) -> Node<'_> {
    resource.root().get("task")
}

/// The task's name, or its module, for messages.
fn task_name(resource: &Resource) -> String {
    match task(resource).get("name").as_str() {
        Some(name) => format!("task `{name}`"),
        None => format!("`{}` task", module(resource)),
    }
}

/// Ansible's truthy spellings (YAML 1.1 `yes`/`no` arrive as strings).
fn truthy(node: &Node<'_>) -> Option<bool> {
    if let Some(b) = node.as_bool() {
        return Some(b);
    }
    if let Some(n) = node.as_i64() {
        return Some(n != 0);
    }
    match node.as_str()?.to_ascii_lowercase().as_str() {
        "yes" | "true" | "y" | "on" | "1" => Some(true),
        "no" | "false" | "n" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// A module argument: from the argument mapping, the task's `args:`, or a
/// `key=value` of a free-form string. The node is where to report.
fn arg<'a>(resource: &'a Resource, key: &'a str) -> Option<(String, Node<'a>)> {
    let args = resource.root().get("args");
    for candidate in [args.get(key), task(resource).get("args").get(key)] {
        if let Some(value) = candidate.to_value() {
            let text = match value {
                rampart_policy::Value::String(s) => s,
                other => other.to_string(),
            };
            return Some((text, candidate));
        }
    }
    let free_form = args.as_str()?;
    free_form.split_whitespace().find_map(|word| {
        let (k, v) = word.split_once('=')?;
        (k == key).then(|| (v.trim_matches(['"', '\'']).to_owned(), args.clone()))
    })
}

/// The command line of shell/command/raw: the free-form string or `cmd`.
fn command_line(resource: &Resource) -> Option<(String, Node<'_>)> {
    let args = resource.root().get("args");
    if let Some(text) = args.as_str() {
        return Some((text.to_owned(), args));
    }
    let cmd = args.get("cmd").or(&args.get("_raw_params"));
    cmd.as_str().map(|text| (text.to_owned(), cmd.clone()))
}

fn is_template(text: &str) -> bool {
    text.contains("{{") || text.starts_with("$ANSIBLE_VAULT")
}

pub(crate) const ANS_001: Rule = Rule {
    id: "ANS-001",
    title: "Certificate validation disabled",
    description: "A task sets `validate_certs: false` (get_url, uri, pip, apt_key, cloud modules …).",
    severity: Severity::High,
    help: "Without certificate checks anyone on the path can serve the file, package or API response.",
    help_uri: None,
    remediation: "Keep `validate_certs: true`; trust an internal CA with the module's `ca_path` or the system store.",
    tags: &["security", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: certificates_unchecked,
};

pub(crate) fn certificates_unchecked(resource: &Resource, cx: &mut Context<'_>) {
    let Some((text, node)) = arg(resource, "validate_certs") else {
        return;
    };
    // From a free-form string the node is the whole argument string.
    let off = truthy(&node) == Some(false)
        || (node.as_str() != Some(text.as_str())
            && ["no", "false", "n", "off", "0"].contains(&text.to_ascii_lowercase().as_str()));
    if off {
        cx.report(
            &node,
            format!("{} does not validate certificates", task_name(resource)),
        );
    }
}

const FILE_MODULES: &[&str] = &[
    "file",
    "copy",
    "template",
    "get_url",
    "unarchive",
    "assemble",
    "lineinfile",
    "blockinfile",
    "replace",
    "ini_file",
    "archive",
];

/// Whether a mode lets others write: octal (`0777`, `"0666"`, `777`) or
/// symbolic (`o+w`, `a=rwx`, `u=rw,o=rw`).
pub(crate) fn others_can_write(mode: &str) -> bool {
    let mode = mode.trim().trim_start_matches("0o");
    if !mode.is_empty() && mode.chars().all(|c| c.is_ascii_digit()) {
        return u32::from_str_radix(mode, 8).is_ok_and(|bits| bits & 0o002 != 0);
    }
    mode.split(',').any(|clause| {
        let Some(op) = clause.find(['+', '=']) else {
            return false;
        };
        let (who, perms) = clause.split_at(op);
        (who.is_empty() || who.contains(['o', 'a'])) && perms[1..].contains('w')
    })
}

pub(crate) const ANS_002: Rule = Rule {
    id: "ANS-002",
    title: "World-writable file mode",
    description: "`mode` gives write permission to others (`0777`, `0666`, `o+w`, `a=rwx` …).",
    severity: Severity::High,
    help: "Any local user or compromised service can change the file: configuration, scripts, binaries.",
    help_uri: None,
    remediation: "Use the narrowest mode that works, e.g. `'0644'` for files and `'0755'` for executables.",
    tags: &["security", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: world_writable,
};

pub(crate) fn world_writable(resource: &Resource, cx: &mut Context<'_>) {
    if !FILE_MODULES.contains(&module(resource)) {
        return;
    }
    if let Some((mode, node)) = arg(resource, "mode")
        && others_can_write(&mode)
    {
        cx.report(
            &node,
            format!("{} sets mode {mode}: others can write", task_name(resource)),
        );
    }
}

/// Secret-named keys of a mapping with a literal (non-template) value.
fn literal_secrets<'a>(mapping: &Node<'a>) -> Vec<(&'a str, Node<'a>)> {
    mapping
        .entries()
        .filter(|(key, value)| {
            secret_name(key)
                && !key.ends_with("_file")
                && value
                    .as_str()
                    .is_some_and(|v| !v.is_empty() && !is_template(v))
        })
        .collect()
}

pub(crate) const ANS_003: Rule = Rule {
    id: "ANS-003",
    title: "Plaintext secret",
    description: "A module argument or play variable whose name says it holds a secret (password, token, \
             api_key …) has a literal value.",
    severity: Severity::High,
    help: "Playbooks are committed and shared; the secret is in every clone.",
    help_uri: None,
    remediation: "Encrypt it with Ansible Vault (`!vault`) or look it up at run time (`lookup('env', …)`, a secrets manager).",
    tags: &["security", "secrets", "ansible"],
    compliance: &[],
    kinds: TASKS_AND_PLAYS,
    equivalents: &[],
    check: plaintext_secret,
};

pub(crate) fn plaintext_secret(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    let mut places = vec![root.get("vars")];
    if resource.kind == "ansible-task" {
        places.push(root.get("args"));
        places.push(task(resource).get("vars"));
    }
    for place in places {
        for (key, value) in literal_secrets(&place) {
            cx.report(&value, format!("{key} is written in plain text"))
                .fix("encrypt it with ansible-vault or look it up at run time");
        }
    }
}

pub(crate) const ANS_004: Rule = Rule {
    id: "ANS-004",
    title: "Secret handled without no_log",
    description: "A task passes a password or token argument and does not set `no_log: true`.",
    severity: Severity::Medium,
    help: "Ansible prints module arguments on failure and with -v: the secret ends up in CI logs.",
    help_uri: Some("https://ansible.readthedocs.io/projects/lint/rules/no-log-password/"),
    remediation: "Add `no_log: true` to the task.",
    tags: &["security", "secrets", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: secret_logged,
};

pub(crate) fn secret_logged(resource: &Resource, cx: &mut Context<'_>) {
    let args = resource.root().get("args");
    let handles_secret = args.entries().any(|(key, _)| {
        let key = key.to_ascii_lowercase();
        (key.contains("password") || key.contains("token") || key.contains("secret"))
            && !key.ends_with("_file")
            && key != "update_password"
    });
    if handles_secret && truthy(&task(resource).get("no_log")) != Some(true) {
        cx.report(
            &resource.root().get("module"),
            format!(
                "{} passes a secret without `no_log: true`",
                task_name(resource)
            ),
        )
        .fix("add `no_log: true`");
    }
}

pub(crate) const ANS_005: Rule = Rule {
    id: "ANS-005",
    title: "become_user without become",
    description: "`become_user` is set but `become` is not, at the same level.",
    severity: Severity::Low,
    help: "Without `become: true` the user switch does not happen and the task runs as the connecting user.",
    help_uri: Some("https://ansible.readthedocs.io/projects/lint/rules/partial-become/"),
    remediation: "Set `become: true` next to `become_user`.",
    tags: &["correctness", "ansible"],
    compliance: &[],
    kinds: TASKS_AND_PLAYS,
    equivalents: &[],
    check: partial_become,
};

pub(crate) fn partial_become(resource: &Resource, cx: &mut Context<'_>) {
    let holder = if resource.kind == "ansible-task" {
        task(resource)
    } else {
        resource.root()
    };
    let user = holder.get("become_user");
    if user.exists() && !holder.get("become").exists() {
        cx.report(
            &user,
            "`become_user` without `become: true` does not switch user",
        );
    }
}

/// `{{ … }}` expressions of a text.
fn expressions(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            break;
        };
        out.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    out
}

pub(crate) const ANS_006: Rule = Rule {
    id: "ANS-006",
    title: "Variable in a shell command without quote",
    description: "A `shell` (or `raw`) command expands `{{ var }}` without the `quote` filter.",
    severity: Severity::Medium,
    help: "A value with spaces, `;` or `$(…)` becomes extra shell code: injection if any part of it is untrusted.",
    help_uri: None,
    remediation: "Use `{{ var | quote }}`, or the `command` module with `argv`.",
    tags: &["security", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: unquoted_shell_variable,
};

pub(crate) fn unquoted_shell_variable(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(module(resource), "shell" | "raw") {
        return;
    }
    let Some((text, node)) = command_line(resource) else {
        return;
    };
    let unquoted: Vec<&str> = expressions(&text)
        .into_iter()
        .filter(|e| !e.replace(' ', "").contains("|quote"))
        .collect();
    if let Some(first) = unquoted.first() {
        cx.report(
            &node,
            format!(
                "{} expands `{{{{ {first} }}}}` into shell code unquoted",
                task_name(resource)
            ),
        )
        .fix("use `| quote`, or the command module");
    }
}

/// Characters and words that need a shell.
const SHELL_FEATURES: &[&str] = &["|", ">", "<", "&", ";", "$", "`", "*", "?", "~", "[", "{{"];

pub(crate) const ANS_007: Rule = Rule {
    id: "ANS-007",
    title: "shell used where command suffices",
    description: "A `shell` task uses no shell feature (pipes, redirection, globbing, `&&`, variables).",
    severity: Severity::Low,
    help: "`command` does not go through a shell, so it cannot be injected into and behaves the same everywhere.",
    help_uri: Some("https://ansible.readthedocs.io/projects/lint/rules/command-instead-of-shell/"),
    remediation: "Use `ansible.builtin.command`.",
    tags: &["hygiene", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: shell_without_need,
};

pub(crate) fn shell_without_need(resource: &Resource, cx: &mut Context<'_>) {
    if module(resource) != "shell" {
        return;
    }
    let Some((text, node)) = command_line(resource) else {
        return;
    };
    // Templated commands can hide shell syntax; only plain ones are judged.
    if !SHELL_FEATURES.iter().any(|f| text.contains(f)) && !text.contains('\n') {
        cx.report(
            &node,
            format!("{} needs no shell: `{}`", task_name(resource), text.trim()),
        )
        .fix("use ansible.builtin.command");
    }
}

const PACKAGE_MODULES: &[&str] = &[
    "apt", "yum", "dnf", "package", "pip", "npm", "gem", "apk", "zypper", "pacman", "homebrew",
    "snap", "pkgng",
];

pub(crate) const ANS_008: Rule = Rule {
    id: "ANS-008",
    title: "Package installed at its latest version",
    description: "A package module (apt, yum, dnf, package, pip, npm, gem …) uses `state: latest`.",
    severity: Severity::Medium,
    help: "Each run can upgrade to a version nobody tested, or a compromised release.",
    help_uri: Some("https://ansible.readthedocs.io/projects/lint/rules/package-latest/"),
    remediation: "Pin versions (`name: nginx=1.24.*`) with `state: present`, and upgrade on purpose.",
    tags: &["supply-chain", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: package_latest,
};

pub(crate) fn package_latest(resource: &Resource, cx: &mut Context<'_>) {
    if !PACKAGE_MODULES.contains(&module(resource)) {
        return;
    }
    if let Some((state, node)) = arg(resource, "state")
        && state == "latest"
    {
        cx.report(
            &node,
            format!("{} installs the latest version", task_name(resource)),
        );
    }
}

pub(crate) const ANS_009: Rule = Rule {
    id: "ANS-009",
    title: "Download over plain HTTP",
    description: "get_url, uri, unarchive, apt_key or rpm_key fetch an `http://` URL.",
    severity: Severity::Medium,
    help: "Anyone on the path can replace what is downloaded and then run on the host.",
    help_uri: None,
    remediation: "Use HTTPS, and a checksum for files.",
    tags: &["security", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: plain_http,
};

pub(crate) fn plain_http(resource: &Resource, cx: &mut Context<'_>) {
    let key = match module(resource) {
        "get_url" | "uri" | "apt_key" | "rpm_key" => {
            if module(resource) == "rpm_key" {
                "key"
            } else {
                "url"
            }
        }
        "unarchive" => "src",
        _ => return,
    };
    if let Some((url, node)) = arg(resource, key)
        && url.starts_with("http://")
    {
        cx.report(
            &node,
            format!("{} downloads {url} over plain HTTP", task_name(resource)),
        );
    }
}

pub(crate) const ANS_010: Rule = Rule {
    id: "ANS-010",
    title: "Download without checksum",
    description: "`get_url` without `checksum`.",
    severity: Severity::Low,
    help: "Nothing proves the file is the one you meant, even over HTTPS (a compromised mirror).",
    help_uri: None,
    remediation: "Add `checksum: sha256:<digest>` (or a URL of a checksum file).",
    tags: &["supply-chain", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: download_unverified,
};

pub(crate) fn download_unverified(resource: &Resource, cx: &mut Context<'_>) {
    if module(resource) == "get_url" && arg(resource, "checksum").is_none() {
        cx.report(
            &resource.root().get("module"),
            format!("{} downloads without a checksum", task_name(resource)),
        )
        .fix("add `checksum: sha256:<digest>`");
    }
}

pub(crate) const ANS_011: Rule = Rule {
    id: "ANS-011",
    title: "Remote script piped to a shell",
    description: "A shell/command/raw task downloads with curl or wget and pipes it into a shell.",
    severity: Severity::High,
    help: "Whatever the server returns runs as the task's user — often root — with nothing verified.",
    help_uri: None,
    remediation: "Download with get_url and a checksum, then run the file.",
    tags: &["supply-chain", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: curl_pipe_shell,
};

pub(crate) fn curl_pipe_shell(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(module(resource), "shell" | "command" | "raw") {
        return;
    }
    let Some((text, node)) = command_line(resource) else {
        return;
    };
    let piped = pipes_download_to_shell(&text);
    if piped {
        cx.report(
            &node,
            format!("{} pipes a download into a shell", task_name(resource)),
        );
    }
}

pub(crate) const ANS_012: Rule = Rule {
    id: "ANS-012",
    title: "Package signature checks disabled",
    description: "`allow_unauthenticated: true` (apt), `disable_gpg_check: true` (yum, dnf, zypper) or \
             `gpgcheck: false` (yum_repository).",
    severity: Severity::High,
    help: "Unsigned packages can be swapped by any mirror or proxy and run as root on install.",
    help_uri: None,
    remediation: "Import the repository's key and keep signature checks on.",
    tags: &["supply-chain", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: unsigned_packages,
};

pub(crate) fn unsigned_packages(resource: &Resource, cx: &mut Context<'_>) {
    let (key, bad) = match module(resource) {
        "apt" => ("allow_unauthenticated", true),
        "yum" | "dnf" | "zypper" | "package" => ("disable_gpg_check", true),
        "yum_repository" => ("gpgcheck", false),
        _ => return,
    };
    if let Some((_, node)) = arg(resource, key)
        && truthy(&node) == Some(bad)
    {
        cx.report(
            &node,
            format!(
                "{} turns off package signature checks ({key})",
                task_name(resource)
            ),
        );
    }
}

pub(crate) const ANS_013: Rule = Rule {
    id: "ANS-013",
    title: "Git checkout not pinned",
    description: "The `git` module without `version`, or with a branch such as HEAD, main or master.",
    severity: Severity::Low,
    help: "Every run deploys whatever the branch points to now.",
    help_uri: Some("https://ansible.readthedocs.io/projects/lint/rules/latest/"),
    remediation: "Pin `version` to a tag or commit.",
    tags: &["supply-chain", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: git_unpinned,
};

pub(crate) fn git_unpinned(resource: &Resource, cx: &mut Context<'_>) {
    if module(resource) != "git" {
        return;
    }
    match arg(resource, "version") {
        None => {
            cx.report(
                &resource.root().get("module"),
                format!("{} checks out the default branch", task_name(resource)),
            )
            .fix("pin `version` to a tag or commit");
        }
        Some((version, node))
            if ["HEAD", "main", "master", "develop", "trunk"].contains(&version.as_str()) =>
        {
            cx.report(
                &node,
                format!("{} follows the branch `{version}`", task_name(resource)),
            );
        }
        Some(_) => {}
    }
}

pub(crate) const ANS_014: Rule = Rule {
    id: "ANS-014",
    title: "Errors ignored",
    description: "`ignore_errors: true` hides every failure of the task.",
    severity: Severity::Low,
    help: "A failed security step (a firewall rule, a permission change) goes unnoticed and the play carries on.",
    help_uri: Some("https://ansible.readthedocs.io/projects/lint/rules/ignore-errors/"),
    remediation: "Use `failed_when` for the failures you expect, or `ignore_errors` with a `register` you check.",
    tags: &["correctness", "ansible"],
    compliance: &[],
    kinds: TASKS,
    equivalents: &[],
    check: errors_ignored,
};

pub(crate) fn errors_ignored(resource: &Resource, cx: &mut Context<'_>) {
    let flag = task(resource).get("ignore_errors");
    if truthy(&flag) == Some(true) {
        cx.report(
            &flag,
            format!("{} ignores every error", task_name(resource)),
        );
    }
}

pub(crate) const ANS_015: Rule = Rule {
    id: "ANS-015",
    title: "SSH host key checking disabled",
    description: "`ansible_ssh_common_args` / `ansible_ssh_extra_args` with `StrictHostKeyChecking=no`, or \
             `ansible_host_key_checking: false`, in play or task variables.",
    severity: Severity::High,
    help: "Ansible will then send credentials and commands to whichever machine answers, man in the middle included.",
    help_uri: None,
    remediation: "Distribute known_hosts (or use SSH certificates) and keep host key checking on.",
    tags: &["security", "ansible"],
    compliance: &[],
    kinds: TASKS_AND_PLAYS,
    equivalents: &[],
    check: host_keys_unchecked,
};

pub(crate) fn host_keys_unchecked(resource: &Resource, cx: &mut Context<'_>) {
    let vars = if resource.kind == "ansible-task" {
        task(resource).get("vars")
    } else {
        resource.root().get("vars")
    };
    for key in ["ansible_ssh_common_args", "ansible_ssh_extra_args"] {
        let value = vars.get(key);
        if value.as_str().is_some_and(|v| {
            v.replace(' ', "")
                .to_ascii_lowercase()
                .contains("stricthostkeychecking=no")
        }) {
            cx.report(&value, format!("{key} turns off SSH host key checking"));
        }
    }
    let flag = vars.get("ansible_host_key_checking");
    if truthy(&flag) == Some(false) {
        cx.report(&flag, "ansible_host_key_checking is off");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        for mode in [
            "0777",
            "777",
            "0666",
            "0o646",
            "o+w",
            "a=rwx",
            "u=rw,o=rw",
            "+w",
        ] {
            assert!(others_can_write(mode), "{mode}");
        }
        for mode in ["0644", "0755", "600", "u+w", "g+w,o-w", "o=r"] {
            assert!(!others_can_write(mode), "{mode}");
        }
    }
}
