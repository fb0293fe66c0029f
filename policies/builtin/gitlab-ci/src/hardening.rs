//! Secrets printed or packed into artifacts, verification turned off by
//! runtimes and build tools, and the keywords GitLab deprecates.

use crate::{KINDS, images, jobs, keyword_holders, script_lines};
use rampart_policy::helpers::{UNVERIFIED_TLS_VARIABLES, disables_certificate_checks};
use rampart_policy::{Context, Node, Resource, Rule, Severity};

/// A variable's value as text (`"true"`, `true` and `1` alike), with the
/// node to report at; `None` for values taken from other variables.
fn variable<'a>(holder: &Node<'a>, name: &'a str) -> Option<(String, Node<'a>)> {
    let entry = holder.get("variables").get(name);
    let value = entry.get("value").or(&entry);
    let text = value
        .as_str()
        .map(str::to_owned)
        .or_else(|| value.as_bool().map(|b| b.to_string()))
        .or_else(|| value.as_i64().map(|n| n.to_string()))?;
    (!text.contains('$')).then_some((text, value))
}

pub(crate) const GL_007: Rule = Rule {
    id: "GL-007",
    title: "Debug trace prints every variable",
    description: "`CI_DEBUG_TRACE` (or `CI_DEBUG_SERVICES`) makes the job log every command \
                  with the values of all variables available to the job, secrets included.",
    severity: Severity::High,
    help: "Job logs are readable by everyone who can see the pipeline.",
    help_uri: Some("https://docs.gitlab.com/ee/ci/variables/variables_troubleshooting.html"),
    remediation: "Remove the variable; turn debug logging on for one run from the UI when needed.",
    tags: &["security", "secrets", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: debug_trace,
};

fn debug_trace(resource: &Resource, cx: &mut Context<'_>) {
    for holder in keyword_holders(resource) {
        for name in ["CI_DEBUG_TRACE", "CI_DEBUG_SERVICES"] {
            if let Some((text, at)) = variable(&holder, name)
                && text.eq_ignore_ascii_case("true")
            {
                cx.report(&at, format!("{name} logs the values of every variable"));
            }
        }
    }
}

pub(crate) const GL_008: Rule = Rule {
    id: "GL-008",
    title: "Runtime told not to verify certificates",
    description: "`NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, \
                  `NPM_CONFIG_STRICT_SSL=false` or `PIP_TRUSTED_HOST` make every job's \
                  downloads accept any certificate.",
    severity: Severity::High,
    help: "Anyone on the path can then replace the packages the job installs.",
    help_uri: None,
    remediation: "Remove the variable; trust an internal CA with `NODE_EXTRA_CA_CERTS`, \
                  `REQUESTS_CA_BUNDLE` or `NPM_CONFIG_CAFILE`.",
    tags: &["security", "supply-chain", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: unverified_runtimes,
};

fn unverified_runtimes(resource: &Resource, cx: &mut Context<'_>) {
    for holder in keyword_holders(resource) {
        for (name, _) in UNVERIFIED_TLS_VARIABLES {
            // GL-005 reports GIT_SSL_NO_VERIFY.
            if *name == "GIT_SSL_NO_VERIFY" {
                continue;
            }
            if let Some((text, at)) = variable(&holder, name)
                && disables_certificate_checks(name, &text)
            {
                cx.report(&at, format!("{name} turns certificate checks off"));
            }
        }
    }
}

/// Flags of build, registry and deploy tools that skip TLS checks.
const INSECURE_TOOL_FLAGS: &[(&str, &[&str])] = &[
    ("podman", &["--tls-verify=false"]),
    ("buildah", &["--tls-verify=false"]),
    (
        "skopeo",
        &[
            "--tls-verify=false",
            "--src-tls-verify=false",
            "--dest-tls-verify=false",
        ],
    ),
    (
        "/kaniko/executor",
        &["--skip-tls-verify", "--skip-tls-verify-pull", "--insecure"],
    ),
    (
        "executor",
        &["--skip-tls-verify", "--skip-tls-verify-pull", "--insecure"],
    ),
    ("crane", &["--insecure"]),
    ("helm", &["--insecure-skip-tls-verify"]),
    (
        "kubectl",
        &[
            "--insecure-skip-tls-verify",
            "--insecure-skip-tls-verify=true",
        ],
    ),
    ("docker", &["--insecure-registry"]),
];

pub(crate) const GL_009: Rule = Rule {
    id: "GL-009",
    title: "Build or deploy tool skips TLS checks",
    description: "A script runs podman, buildah, skopeo, kaniko, crane, helm, kubectl or docker \
                  with the flag that skips certificate checks against a registry or cluster.",
    severity: Severity::High,
    help: "Images pushed or pulled, and manifests applied, can be replaced by anyone on the path.",
    help_uri: None,
    remediation: "Remove the flag; give the registry's or cluster's CA to the tool instead.",
    tags: &["security", "supply-chain", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: insecure_tools,
};

fn insecure_tools(resource: &Resource, cx: &mut Context<'_>) {
    for (line, node) in script_lines(resource) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let found = INSECURE_TOOL_FLAGS.iter().find(|(tool, flags)| {
            words
                .first()
                .is_some_and(|program| program == tool || program.rsplit('/').next() == Some(*tool))
                && words.iter().any(|word| {
                    flags.iter().any(|flag| {
                        word == flag
                            || (!flag.contains('=')
                                && word.strip_prefix(flag).is_some_and(|rest| rest == "=true"))
                    })
                })
        });
        if let Some((tool, _)) = found {
            cx.report(
                &node,
                format!("the script runs {tool} without certificate checks"),
            );
        }
    }
}

pub(crate) const GL_010: Rule = Rule {
    id: "GL-010",
    title: "Password on the docker login command line",
    description: "`docker login -p …` puts the password on the command line, where process \
                  listings and shell tracing (`set -x`) show it.",
    severity: Severity::Medium,
    help: "Docker itself warns that `--password` is insecure.",
    help_uri: None,
    remediation: "Pipe it in: `echo \"$CI_REGISTRY_PASSWORD\" | docker login --password-stdin …`.",
    tags: &["security", "secrets", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: login_password,
};

fn login_password(resource: &Resource, cx: &mut Context<'_>) {
    for (line, node) in script_lines(resource) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let logs_in = words
            .windows(2)
            .any(|pair| ["docker", "podman", "buildah"].contains(&pair[0]) && pair[1] == "login");
        let password = words.iter().any(|word| {
            *word == "-p"
                || *word == "--password"
                || word.starts_with("--password=")
                || (word.starts_with("-p") && !word.starts_with("--") && word.len() > 2)
        });
        if logs_in && password {
            cx.report(
                &node,
                "the script passes a password to `login` on the command line",
            )
            .fix("use `--password-stdin`");
        }
    }
}

pub(crate) const GL_011: Rule = Rule {
    id: "GL-011",
    title: "Global keyword outside default",
    description: "`image`, `services`, `cache`, `before_script` and `after_script` at the top \
                  level are deprecated; GitLab may remove them.",
    severity: Severity::Low,
    help: "`default:` holds the same keywords and can be overridden per job.",
    help_uri: Some(
        "https://docs.gitlab.com/ee/ci/yaml/#globally-defined-image-services-cache-before_script-after_script",
    ),
    remediation: "Move them under `default:`.",
    tags: &["ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: global_keywords,
};

fn global_keywords(resource: &Resource, cx: &mut Context<'_>) {
    for (key, node) in resource.root().entries() {
        if [
            "image",
            "services",
            "cache",
            "before_script",
            "after_script",
        ]
        .contains(&key)
        {
            cx.report(&node, format!("top-level `{key}` is deprecated"))
                .fix(format!("move `{key}` under `default:`"));
        }
    }
}

pub(crate) const GL_012: Rule = Rule {
    id: "GL-012",
    title: "only/except instead of rules",
    description: "`only` and `except` are no longer developed and cannot express what `rules` \
                  can (variables, changes and exists together).",
    severity: Severity::Low,
    help: "A job can use one or the other, not both.",
    help_uri: Some("https://docs.gitlab.com/ee/ci/yaml/#only--except"),
    remediation: "Rewrite the conditions as `rules:`.",
    tags: &["ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: only_except,
};

fn only_except(resource: &Resource, cx: &mut Context<'_>) {
    for (name, job) in jobs(resource) {
        for key in ["only", "except"] {
            let node = job.get(key);
            if node.exists() {
                cx.report(&node, format!("job `{name}` uses `{key}`"))
                    .fix("use `rules:`");
            }
        }
    }
}

/// Whether an image reference names a digest.
fn by_digest(image: &str) -> bool {
    image.contains("@sha256:")
}

pub(crate) const GL_013: Rule = Rule {
    id: "GL-013",
    title: "Job image not pinned by digest",
    description: "A job's or service's image is named by a tag, which can be moved to another \
                  image; only a digest names one image for good.",
    severity: Severity::Low,
    help: "The job runs with its CI token and variables in whatever image the tag points to.",
    help_uri: None,
    remediation: "Pin the digest: `image: python:3.12.6@sha256:…`.",
    tags: &["supply-chain", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: image_digest,
};

fn image_digest(resource: &Resource, cx: &mut Context<'_>) {
    for holder in keyword_holders(resource) {
        for image in images(&holder) {
            if let Some(text) = image.as_str()
                && !text.contains('$')
                && !by_digest(text)
            {
                cx.report(&image, format!("image `{text}` is not pinned by digest"));
            }
        }
    }
}

/// File names whose contents are credentials or state holding them.
fn is_sensitive(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    // `.env.production` holds values; `.env.example` and `.env.sample.md`
    // document them.
    let env_file = name == ".env"
        || name.strip_prefix(".env.").is_some_and(|suffix| {
            !suffix.contains('.') && !["example", "sample", "template", "dist"].contains(&suffix)
        });
    env_file
        || name == ".npmrc"
        || name == ".pypirc"
        || name == ".netrc"
        || name == ".git-credentials"
        || name == "kubeconfig"
        || name.starts_with("id_rsa")
        || name.starts_with("id_ed25519")
        || [
            ".pem",
            ".key",
            ".p12",
            ".pfx",
            ".tfstate",
            ".tfstate.backup",
            ".jks",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

pub(crate) const GL_014: Rule = Rule {
    id: "GL-014",
    title: "Credentials kept as job artifacts",
    description: "`artifacts:paths` includes files that hold credentials (`.env`, keys, \
                  `.npmrc`, kubeconfigs) or Terraform state, which stores secrets in clear.",
    severity: Severity::Medium,
    help: "Artifacts can be downloaded by everyone who can see the pipeline, for as long as \
           they are kept.",
    help_uri: None,
    remediation: "Leave the file out of `artifacts:paths`; keep Terraform state in a remote \
                  backend.",
    tags: &["security", "secrets", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: sensitive_artifacts,
};

fn sensitive_artifacts(resource: &Resource, cx: &mut Context<'_>) {
    for (name, job) in jobs(resource) {
        for path in job.get("artifacts").get("paths").items() {
            if let Some(text) = path.as_str()
                && is_sensitive(text)
            {
                cx.report(&path, format!("job `{name}` keeps `{text}` as an artifact"));
            }
        }
    }
}

pub(crate) const GL_015: Rule = Rule {
    id: "GL-015",
    title: "Artifacts never expire",
    description: "`expire_in: never` keeps the job's artifacts for good: whatever they hold \
                  stays downloadable, and storage grows with every pipeline.",
    severity: Severity::Low,
    help: "Without `expire_in`, the instance's default expiry applies.",
    help_uri: Some("https://docs.gitlab.com/ee/ci/yaml/#artifactsexpire_in"),
    remediation: "Set a duration (`expire_in: 30 days`); keep releases as release assets.",
    tags: &["ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: artifacts_forever,
};

fn artifacts_forever(resource: &Resource, cx: &mut Context<'_>) {
    for holder in keyword_holders(resource) {
        let expiry = holder.get("artifacts").get("expire_in");
        if expiry
            .as_str()
            .is_some_and(|text| text.trim().eq_ignore_ascii_case("never"))
        {
            cx.report(&expiry, "artifacts are kept forever")
                .fix("set `expire_in` to a duration");
        }
    }
}
