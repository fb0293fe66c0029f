//! Secrets handed out wider than a step needs, conditions an outsider can
//! satisfy, and actions and commands that are deprecated or archived —
//! the audits zizmor users expect beyond injection and pinning.

use crate::{KINDS, every_uses, expressions, steps, triggers};
use rampart_policy::helpers::disables_certificate_checks;
use rampart_policy::{Context, Node, Resource, Rule, Severity};

/// Every string of the document with its node, depth first (the document
/// is already bounded in depth and size by the parser).
fn strings<'a>(node: &Node<'a>, out: &mut Vec<Node<'a>>) {
    if node.is_string() {
        out.push(node.clone());
    } else if node.is_array() {
        for item in node.items() {
            strings(&item, out);
        }
    } else if node.is_object() {
        for (_, value) in node.entries() {
            strings(&value, out);
        }
    }
}

/// The expressions of every string, each with its string's node.
fn every_expression<'a>(resource: &'a Resource) -> Vec<(String, Node<'a>)> {
    let mut nodes = Vec::new();
    strings(&resource.root(), &mut nodes);
    let mut out = Vec::new();
    for node in nodes {
        let Some(text) = node.as_str() else {
            continue;
        };
        if !text.contains("${{") && !looks_like_condition(&node) {
            continue;
        }
        let found: Vec<String> = if text.contains("${{") {
            expressions(text).into_iter().map(str::to_owned).collect()
        } else {
            vec![text.to_owned()]
        };
        for expression in found {
            out.push((expression, node.clone()));
        }
    }
    out
}

/// `if:` values are expressions without `${{ }}`.
fn looks_like_condition(node: &Node<'_>) -> bool {
    node.pointer().ends_with("/if")
}

/// An expression with its whitespace removed and in lower case: how
/// GitHub compares function names and contexts.
fn compact(expression: &str) -> String {
    expression
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

pub(crate) const GHA_013: Rule = Rule {
    id: "GHA-013",
    title: "Reusable workflow inherits every secret",
    description: "`secrets: inherit` passes every secret of the calling repository to the \
                  called workflow, whatever it needs.",
    severity: Severity::Medium,
    help: "A called workflow in another repository, or a later change to it, gets them all.",
    help_uri: Some(
        "https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-inputs-and-secrets-to-a-reusable-workflow",
    ),
    remediation: "Name the secrets the workflow needs under `secrets:`.",
    tags: &["security", "ci", "secrets"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: secrets_inherit,
};

fn secrets_inherit(resource: &Resource, cx: &mut Context<'_>) {
    for (name, job) in resource.root().get("jobs").entries() {
        let secrets = job.get("secrets");
        if job.get("uses").as_str().is_some() && secrets.as_str() == Some("inherit") {
            cx.report(
                &secrets,
                format!("job `{name}` passes every secret to the workflow it calls"),
            )
            .fix("list the secrets it needs");
        }
    }
}

pub(crate) const GHA_014: Rule = Rule {
    id: "GHA-014",
    title: "Every secret exposed at once",
    description: "`toJSON(secrets)` puts every secret of the repository into one value, so a \
                  step that needs one gets them all.",
    severity: Severity::Medium,
    help: "Whatever reads the value — a script, an action, a log — holds every secret.",
    help_uri: None,
    remediation: "Pass each secret the step needs by name (`${{ secrets.NAME }}`).",
    tags: &["security", "ci", "secrets"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: all_secrets,
};

fn all_secrets(resource: &Resource, cx: &mut Context<'_>) {
    // One finding per string: its expressions come one after another.
    let mut reported: Option<String> = None;
    for (expression, node) in every_expression(resource) {
        let pointer = node.pointer();
        if compact(&expression).contains("tojson(secrets)") && reported.as_ref() != Some(&pointer) {
            reported = Some(pointer);
            cx.report(&node, "`toJSON(secrets)` exposes every secret");
        }
    }
}

pub(crate) const GHA_015: Rule = Rule {
    id: "GHA-015",
    title: "Registry password written in the workflow",
    description: "A job's `container` or `services` credentials hold a literal password: \
                  anyone who can read the repository can log in to the registry.",
    severity: Severity::Critical,
    help: "Credentials written in a workflow are in the repository's history for good.",
    help_uri: None,
    remediation: "Use `password: ${{ secrets.REGISTRY_PASSWORD }}` and rotate the password.",
    tags: &["security", "ci", "secrets"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: container_credentials,
};

fn container_credentials(resource: &Resource, cx: &mut Context<'_>) {
    for (name, job) in resource.root().get("jobs").entries() {
        let mut containers = vec![job.get("container")];
        containers.extend(job.get("services").entries().map(|(_, service)| service));
        for container in containers {
            let password = container.get("credentials").get("password");
            if password
                .as_str()
                .is_some_and(|text| !text.is_empty() && !text.contains("${{"))
            {
                cx.report(
                    &password,
                    format!("job `{name}` writes a registry password in the workflow"),
                )
                .fix("use a secret: `${{ secrets.REGISTRY_PASSWORD }}`");
            }
        }
    }
}

pub(crate) const GHA_016: Rule = Rule {
    id: "GHA-016",
    title: "Secret parsed as JSON",
    description: "`fromJSON(secrets.X)` reads fields of a structured secret; GitHub redacts \
                  the secret's whole value in logs, not the fields taken from it.",
    severity: Severity::Medium,
    help: "A field printed by a script or an action appears in the log in clear text.",
    help_uri: None,
    remediation: "Store each field as a secret of its own.",
    tags: &["security", "ci", "secrets"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: parsed_secret,
};

fn parsed_secret(resource: &Resource, cx: &mut Context<'_>) {
    // One finding per string: its expressions come one after another.
    let mut reported: Option<String> = None;
    for (expression, node) in every_expression(resource) {
        let pointer = node.pointer();
        if compact(&expression).contains("fromjson(secrets.") && reported.as_ref() != Some(&pointer)
        {
            reported = Some(pointer);
            cx.report(&node, "a field of a JSON secret is not redacted in the log");
        }
    }
}

pub(crate) const GHA_017: Rule = Rule {
    id: "GHA-017",
    title: "Bot check an outsider can satisfy",
    description: "A condition trusts `github.actor == '…[bot]'` in a workflow that pull \
                  requests, comments or other workflows trigger: the actor is whoever acted \
                  last, so re-running or commenting on a bot's pull request passes the check.",
    severity: Severity::Medium,
    help: "`github.actor` is the last actor of the event, not the author of the change.",
    help_uri: None,
    remediation: "Compare the pull request's author: `github.event.pull_request.user.login`.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: spoofable_bot,
};

/// Triggers on which the last actor is not necessarily the change's author.
const ACTOR_TRIGGERS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "issue_comment",
    "pull_request_review",
    "pull_request_review_comment",
    "workflow_run",
];

fn spoofable_bot(resource: &Resource, cx: &mut Context<'_>) {
    if !triggers(resource)
        .iter()
        .any(|t| ACTOR_TRIGGERS.contains(&t.as_str()))
    {
        return;
    }
    // One finding per string: its expressions come one after another.
    let mut reported: Option<String> = None;
    for (expression, node) in every_expression(resource) {
        let text = compact(&expression);
        let trusts = ["github.actor==", "github.triggering_actor=="]
            .iter()
            .any(|actor| {
                text.split(actor).skip(1).any(|rest| {
                    rest.starts_with('\'')
                        && rest[1..]
                            .split('\'')
                            .next()
                            .is_some_and(|name| name.ends_with("[bot]"))
                })
            });
        let pointer = node.pointer();
        if trusts && reported.as_ref() != Some(&pointer) {
            reported = Some(pointer);
            cx.report(
                &node,
                "the condition trusts `github.actor`, which an outsider can be",
            );
        }
    }
}

pub(crate) const GHA_018: Rule = Rule {
    id: "GHA-018",
    title: "Substring test used as an equality test",
    description: "`contains('refs/heads/main refs/heads/release', github.ref)` is true for any \
                  value that is a substring of the literal, such as a branch named `mai`.",
    severity: Severity::Low,
    help: "`contains` of a string tests for a substring; of an array, for an element.",
    help_uri: None,
    remediation: "Use an array: `contains(fromJSON('[\"refs/heads/main\"]'), github.ref)`, or \
                  `==` comparisons.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: unsound_contains,
};

fn unsound_contains(resource: &Resource, cx: &mut Context<'_>) {
    // One finding per string: its expressions come one after another.
    let mut reported: Option<String> = None;
    for (expression, node) in every_expression(resource) {
        let text = compact(&expression);
        // `contains('literal', context)`: a literal first, a context second.
        let unsound = text.split("contains('").skip(1).any(|rest| {
            rest.split_once("',").is_some_and(|(_, second)| {
                ["github.", "env.", "inputs.", "vars.", "steps.", "needs."]
                    .iter()
                    .any(|context| second.starts_with(context))
            })
        });
        let pointer = node.pointer();
        if unsound && reported.as_ref() != Some(&pointer) {
            reported = Some(pointer);
            cx.report(&node, "`contains` tests a substring of a literal string");
        }
    }
}

pub(crate) const GHA_019: Rule = Rule {
    id: "GHA-019",
    title: "Package published with a long-lived token",
    description: "The workflow uploads to PyPI with a password or API token; trusted \
                  publishing (OIDC) needs no stored credential.",
    severity: Severity::Low,
    help: "A token stored as a secret works from anywhere until it is revoked.",
    help_uri: Some("https://docs.pypi.org/trusted-publishers/"),
    remediation: "Configure a trusted publisher on PyPI, grant `id-token: write`, and remove \
                  the `password` input.",
    tags: &["security", "ci", "supply-chain"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: long_lived_publish_token,
};

fn long_lived_publish_token(resource: &Resource, cx: &mut Context<'_>) {
    for step in steps(resource) {
        let publishes = step
            .get("uses")
            .as_str()
            .is_some_and(|uses| uses.starts_with("pypa/gh-action-pypi-publish@"));
        let password = step.get("with").get("password");
        if publishes && password.exists() {
            cx.report(&password, "the PyPI upload uses a stored token")
                .fix("use trusted publishing (`id-token: write`) instead");
        }
    }
}

/// Actions their owners archived or deprecated, with what replaces them.
const ARCHIVED_ACTIONS: &[(&str, &str)] = &[
    (
        "actions/create-release",
        "`gh release create` or softprops/action-gh-release",
    ),
    ("actions/upload-release-asset", "`gh release upload`"),
    ("actions/setup-ruby", "ruby/setup-ruby"),
    ("actions/setup-haskell", "haskell-actions/setup"),
    ("actions-rs/toolchain", "dtolnay/rust-toolchain or rustup"),
    ("actions-rs/cargo", "`cargo` in a run step"),
    ("actions-rs/audit-check", "rustsec/audit-check"),
    ("actions-rs/clippy-check", "`cargo clippy` in a run step"),
    ("actions-rs/tarpaulin", "`cargo tarpaulin` in a run step"),
    ("actions-rs/grcov", "`grcov` in a run step"),
];

pub(crate) const GHA_020: Rule = Rule {
    id: "GHA-020",
    title: "Archived action",
    description: "The step uses an action its owner has archived: it gets no fixes, security \
                  ones included.",
    severity: Severity::Low,
    help: "Archived actions also run on deprecated Node.js versions.",
    help_uri: None,
    remediation: "Replace it with the maintained alternative the finding names.",
    tags: &["ci", "supply-chain"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: archived_action,
};

fn archived_action(resource: &Resource, cx: &mut Context<'_>) {
    for node in every_uses(resource) {
        let Some(text) = node.as_str() else {
            continue;
        };
        let action = text.split('@').next().unwrap_or(text).to_ascii_lowercase();
        if let Some((name, instead)) = ARCHIVED_ACTIONS
            .iter()
            .find(|(name, _)| action == *name || action.starts_with(&format!("{name}/")))
        {
            cx.report(&node, format!("`{name}` is archived"))
                .fix(format!("use {instead}"));
        }
    }
}

pub(crate) const GHA_021: Rule = Rule {
    id: "GHA-021",
    title: "Deprecated set-output or save-state command",
    description: "`::set-output` and `::save-state` log commands are deprecated: any text the \
                  step prints can set outputs with them.",
    severity: Severity::Low,
    help: "GitHub replaced them with the `$GITHUB_OUTPUT` and `$GITHUB_STATE` files.",
    help_uri: Some(
        "https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/",
    ),
    remediation: "Write `name=value` to `\"$GITHUB_OUTPUT\"` (or `\"$GITHUB_STATE\"`).",
    tags: &["ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: deprecated_commands,
};

fn deprecated_commands(resource: &Resource, cx: &mut Context<'_>) {
    for step in steps(resource) {
        let run = step.get("run");
        if run
            .as_str()
            .is_some_and(|text| text.contains("::set-output ") || text.contains("::save-state "))
        {
            cx.report(
                &run,
                "the script uses a deprecated `::set-output`/`::save-state` command",
            )
            .fix("write to `$GITHUB_OUTPUT`");
        }
    }
}

pub(crate) const GHA_022: Rule = Rule {
    id: "GHA-022",
    title: "OIDC token granted to every job",
    description: "`id-token: write` at the workflow's top level lets every job, and every \
                  action they use, mint tokens for the cloud roles that trust this repository.",
    severity: Severity::Medium,
    help: "Only the job that deploys or publishes needs it.",
    help_uri: Some(
        "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect",
    ),
    remediation: "Grant `id-token: write` in the `permissions` of the job that needs it.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: workflow_id_token,
};

fn workflow_id_token(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    let token = root.get("permissions").get("id-token");
    let jobs = root.get("jobs").entries().count();
    if token.as_str() == Some("write") && jobs > 1 {
        cx.report(
            &token,
            format!("every one of the {jobs} jobs can mint OIDC tokens"),
        )
        .fix("move `id-token: write` to the job that needs it");
    }
}

/// Whether the workflow builds releases: a `release` trigger, or pushes
/// of tags.
fn builds_releases(resource: &Resource) -> bool {
    let on = resource.root().get("on");
    triggers(resource).iter().any(|t| t == "release") || on.get("push").get("tags").exists()
}

/// Setup actions that restore a cache when asked (`setup-go` unless told
/// not to).
const SETUP_ACTIONS: &[&str] = &[
    "actions/setup-node",
    "actions/setup-python",
    "actions/setup-java",
    "actions/setup-dotnet",
    "actions/setup-go",
];

pub(crate) const GHA_023: Rule = Rule {
    id: "GHA-023",
    title: "Release built from a shared cache",
    description: "A workflow that builds releases restores an Actions cache: caches are \
                  shared with every branch's workflows, so code that can write one (a pull \
                  request's build) can poison what the release contains.",
    severity: Severity::Medium,
    help: "Cache keys are not a trust boundary: any workflow of the repository can save them.",
    help_uri: Some(
        "https://adnanthekhan.com/2024/05/06/the-monsters-in-your-build-cache-github-actions-cache-poisoning/",
    ),
    remediation: "Build releases without caches (`cache: false` for setup actions, no \
                  `actions/cache`).",
    tags: &["security", "ci", "supply-chain"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: release_cache,
};

fn release_cache(resource: &Resource, cx: &mut Context<'_>) {
    if !builds_releases(resource) {
        return;
    }
    for step in steps(resource) {
        let uses = step.get("uses");
        let Some(text) = uses.as_str() else {
            continue;
        };
        let action = text.split('@').next().unwrap_or(text);
        let cache = step.get("with").get("cache");
        let caching = if action == "actions/cache" || action == "actions/cache/restore" {
            true
        } else if action == "actions/setup-go" {
            cache.as_str() != Some("false") && cache.as_bool() != Some(false)
        } else if SETUP_ACTIONS.contains(&action) {
            cache
                .as_str()
                .is_some_and(|value| !value.is_empty() && value != "false")
        } else {
            false
        };
        if caching {
            cx.report(
                &uses,
                format!("the release workflow restores a cache with `{action}`"),
            )
            .fix("build releases without caches");
        }
    }
}

/// Input types whose values cannot carry shell syntax.
const SAFE_INPUT_TYPES: &[&str] = &["boolean", "number", "choice", "environment"];

pub(crate) const GHA_024: Rule = Rule {
    id: "GHA-024",
    title: "Workflow input expanded in a script",
    description: "`${{ inputs.X }}` in a `run:` script is pasted into it before the shell \
                  runs: whoever starts the workflow (or calls it) can run commands with its \
                  token.",
    severity: Severity::Low,
    help: "Boolean, number and choice inputs are safe; string inputs are not.",
    help_uri: None,
    remediation: "Pass the input through `env:` and use `\"$VALUE\"` in the script.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: input_injection,
};

fn input_injection(resource: &Resource, cx: &mut Context<'_>) {
    let on = resource.root().get("on");
    let declared_type = |name: &str| -> Option<String> {
        ["workflow_dispatch", "workflow_call"]
            .iter()
            .find_map(|trigger| {
                on.get(trigger)
                    .get("inputs")
                    .get(name)
                    .get("type")
                    .as_str()
                    .map(str::to_owned)
            })
    };
    for step in steps(resource) {
        let run = step.get("run");
        let Some(text) = run.as_str() else {
            continue;
        };
        let injected = expressions(text).into_iter().find_map(|expression| {
            let name = expression
                .trim()
                .strip_prefix("inputs.")
                .or_else(|| expression.trim().strip_prefix("github.event.inputs."))?;
            let name = name.trim();
            let plain = name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            let safe = declared_type(name).is_some_and(|t| SAFE_INPUT_TYPES.contains(&t.as_str()));
            (plain && !safe).then(|| name.to_owned())
        });
        if let Some(name) = injected {
            cx.report(&run, format!("the script expands input `{name}`"))
                .fix("pass it through `env:`");
        }
    }
}

pub(crate) const GHA_025: Rule = Rule {
    id: "GHA-025",
    title: "Write permission granted to every job",
    description: "A `write` scope in the workflow's top-level `permissions` applies to every \
                  job, including those that only build or test.",
    severity: Severity::Medium,
    help: "A compromised test dependency then gets a token that can push or publish.",
    help_uri: None,
    remediation: "Keep the top level read-only and grant `write` in the job that needs it.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: workflow_write,
};

fn workflow_write(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    let jobs = root.get("jobs").entries().count();
    if jobs < 2 {
        return;
    }
    for (scope, level) in root.get("permissions").entries() {
        if scope != "id-token" && level.as_str() == Some("write") {
            cx.report(
                &level,
                format!("every one of the {jobs} jobs gets `{scope}: write`"),
            )
            .fix(format!("grant `{scope}: write` in the job that needs it"));
        }
    }
}

/// Whether a script line downloads or clones without certificate checks.
fn skips_certificate_checks(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let has = |program: &str| {
        words
            .iter()
            .any(|w| *w == program || w.ends_with(&format!("/{program}")))
    };
    let curl = has("curl")
        && words.iter().any(|w| {
            *w == "--insecure"
                || (w.starts_with('-')
                    && !w.starts_with("--")
                    && w[1..].chars().all(|c| c.is_ascii_alphabetic())
                    && w.contains('k'))
        });
    let wget = has("wget") && words.contains(&"--no-check-certificate");
    let lower = line.to_ascii_lowercase();
    let git = has("git")
        && [
            "http.sslverify false",
            "http.sslverify=false",
            "http.sslverify 0",
            "http.sslverify=0",
        ]
        .iter()
        .any(|phrase| lower.contains(phrase));
    curl || wget || git
}

pub(crate) const GHA_026: Rule = Rule {
    id: "GHA-026",
    title: "TLS verification disabled in a script",
    description: "A script runs `curl -k`/`--insecure`, `wget --no-check-certificate` or git \
                  with `http.sslVerify false`.",
    severity: Severity::Medium,
    help: "Without certificate checks anyone on the path can replace what the job downloads \
           and then runs with its token.",
    help_uri: None,
    remediation: "Keep verification on; give an internal CA with `--cacert` or \
                  `http.sslCAInfo`.",
    tags: &["security", "ci", "supply-chain"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: unverified_downloads,
};

fn unverified_downloads(resource: &Resource, cx: &mut Context<'_>) {
    for step in steps(resource) {
        let run = step.get("run");
        if run
            .as_str()
            .is_some_and(|text| text.lines().any(skips_certificate_checks))
        {
            cx.report(&run, "the script downloads without checking certificates");
        }
    }
}

pub(crate) const GHA_027: Rule = Rule {
    id: "GHA-027",
    title: "Runtime told not to verify certificates",
    description: "`env:` sets `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, \
                  `NPM_CONFIG_STRICT_SSL=false`, `GIT_SSL_NO_VERIFY` or `PIP_TRUSTED_HOST` for \
                  the workflow, a job or a step.",
    severity: Severity::High,
    help: "Every download of the steps it covers then accepts any certificate.",
    help_uri: None,
    remediation: "Remove the variable; trust an internal CA with `NODE_EXTRA_CA_CERTS`, \
                  `REQUESTS_CA_BUNDLE` or `GIT_SSL_CAINFO`.",
    tags: &["security", "ci", "supply-chain"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: unverified_runtimes,
};

fn unverified_runtimes(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    let mut envs = vec![root.get("env"), root.get("runs").get("env")];
    for (_, job) in root.get("jobs").entries() {
        envs.push(job.get("env"));
    }
    envs.extend(steps(resource).iter().map(|step| step.get("env")));
    for env in envs {
        for (name, value) in env.entries() {
            let text = value
                .as_str()
                .map(str::to_owned)
                .or_else(|| value.as_i64().map(|n| n.to_string()))
                .or_else(|| value.as_bool().map(|b| b.to_string()));
            if text.is_some_and(|text| disables_certificate_checks(name, &text)) {
                cx.report(&value, format!("{name} turns certificate checks off"));
            }
        }
    }
}

pub(crate) const GHA_028: Rule = Rule {
    id: "GHA-028",
    title: "Password on the docker login command line",
    description: "`docker login -p …` puts the password on the command line, where process \
                  listings and `set -x` show it.",
    severity: Severity::Medium,
    help: "docker/login-action or `--password-stdin` keep it off the command line.",
    help_uri: None,
    remediation: "Use `docker/login-action`, or `echo \"$TOKEN\" | docker login \
                  --password-stdin …`.",
    tags: &["security", "ci", "secrets"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: login_password,
};

fn login_password(resource: &Resource, cx: &mut Context<'_>) {
    for step in steps(resource) {
        let run = step.get("run");
        let Some(text) = run.as_str() else {
            continue;
        };
        let found = text.lines().any(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let logs_in = words.windows(2).any(|pair| {
                ["docker", "podman", "helm"].contains(&pair[0])
                    && (pair[1] == "login" || pair[1] == "registry")
            });
            logs_in
                && words.iter().any(|word| {
                    *word == "-p" || *word == "--password" || word.starts_with("--password=")
                })
        });
        if found {
            cx.report(
                &run,
                "the script passes a password to `login` on the command line",
            )
            .fix("use `--password-stdin`");
        }
    }
}

pub(crate) const GHA_029: Rule = Rule {
    id: "GHA-029",
    title: "Obfuscated action reference",
    description: "A `uses:` path with `.`/`..` segments, doubled or trailing slashes names an \
                  action in a form reviewers do not read as such.",
    severity: Severity::Low,
    help: "`actions/checkout/./@v4` runs `actions/checkout`, and hides from search and \
           allow-lists.",
    help_uri: None,
    remediation: "Write the plain `owner/repo[/path]@ref` form.",
    tags: &["ci", "supply-chain"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: obfuscated_uses,
};

fn obfuscated_uses(resource: &Resource, cx: &mut Context<'_>) {
    for node in every_uses(resource) {
        let Some(text) = node.as_str() else {
            continue;
        };
        if text.starts_with("docker://") {
            continue;
        }
        let path = text.split('@').next().unwrap_or(text);
        let path = path.strip_prefix("./").unwrap_or(path);
        let odd = path
            .split('/')
            .any(|segment| segment == "." || segment == "..")
            || path.contains("//")
            || path.ends_with('/');
        if odd {
            cx.report(&node, format!("`{text}` hides the action it names"));
        }
    }
}

pub(crate) const GHA_030: Rule = Rule {
    id: "GHA-030",
    title: "Artifact uploads the whole workspace",
    description: "`actions/upload-artifact` with `path: .` uploads the checkout, `.git` \
                  included, and with it the token `actions/checkout` persisted there.",
    severity: Severity::Medium,
    help: "Artifacts of public repositories can be downloaded by anyone.",
    help_uri: None,
    remediation: "Upload the build outputs only (`path: dist/`), or check out with \
                  `persist-credentials: false`.",
    tags: &["security", "ci", "secrets"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: workspace_artifact,
};

fn workspace_artifact(resource: &Resource, cx: &mut Context<'_>) {
    for step in steps(resource) {
        let uploads = step
            .get("uses")
            .as_str()
            .is_some_and(|uses| uses.starts_with("actions/upload-artifact@"));
        let path = step.get("with").get("path");
        let whole = path.as_str().is_some_and(|text| {
            text.lines()
                .map(str::trim)
                .any(|line| matches!(line, "." | "./" | "*" | "**" | "${{ github.workspace }}"))
        });
        if uploads && whole {
            cx.report(
                &path,
                "the artifact holds the whole workspace, .git included",
            )
            .fix("upload the build outputs only");
        }
    }
}
