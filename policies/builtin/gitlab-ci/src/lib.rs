//! Built-in pack `gitlab-ci`: GitLab pipelines that leak secrets, run
//! unverified code or pull unpinned images and includes.
//!
//! Rules read `gitlab-ci` resources (`docs/kinds/gitlab-ci.md`): the
//! pipeline file as written, global keywords and jobs side by side.
//! Fixtures live in `fixtures/<RULE-ID>/{positive,negative}.gitlab-ci.yml`.

mod hardening;

use rampart_policy::helpers::{follows_latest, pipes_download_to_shell, secret_name};
use rampart_policy::{Context, Node, Pack, Resource, Rule, Severity};

const KINDS: &[&str] = &["gitlab-ci"];

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "gitlab-ci",
    version: env!("CARGO_PKG_VERSION"),
    description: "GitLab CI pipelines: images, secrets in variables, logs and artifacts, \
                  remote scripts, TLS, Docker-in-Docker, includes and deprecated keywords.",
    rules: &[
        GL_001,
        GL_002,
        GL_003,
        GL_004,
        GL_005,
        GL_006,
        hardening::GL_007,
        hardening::GL_008,
        hardening::GL_009,
        hardening::GL_010,
        hardening::GL_011,
        hardening::GL_012,
        hardening::GL_013,
        hardening::GL_014,
        hardening::GL_015,
    ],
};

rampart_policy::export_pack!(PACK);

/// Top-level keys that are not jobs.
const GLOBAL_KEYWORDS: &[&str] = &[
    "after_script",
    "before_script",
    "cache",
    "default",
    "image",
    "include",
    "services",
    "spec",
    "stages",
    "variables",
    "workflow",
];

/// The jobs (hidden `.template` jobs too: others `extends:` them).
fn jobs<'a>(resource: &'a Resource) -> Vec<(&'a str, Node<'a>)> {
    resource
        .root()
        .entries()
        .filter(|(name, job)| !GLOBAL_KEYWORDS.contains(name) && job.is_object())
        .collect()
}

/// Places that hold the keywords a job can also inherit: the root (old
/// global style), `default`, and every job.
fn keyword_holders(resource: &Resource) -> Vec<Node<'_>> {
    let root = resource.root();
    let mut out = vec![root.clone(), root.get("default")];
    out.extend(jobs(resource).into_iter().map(|(_, job)| job));
    out
}

pub(crate) const GL_001: Rule = Rule {
    id: "GL-001",
    title: "Job image uses the latest tag or no tag",
    description: "`image: name` or `image: name:latest`, for a job, `default` or the whole pipeline.",
    severity: Severity::Medium,
    help: "The job runs whatever was pushed last under that name, with the job's CI token and variables.",
    help_uri: None,
    remediation: "Pin a version tag or a digest: `image: python:3.12.6` or `image: python@sha256:…`.",
    tags: &["supply-chain", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: latest_image,
};

/// The image references of a keyword holder: its `image` and its
/// `services`, each as a string or as `name:` of the long form.
fn images<'a>(holder: &Node<'a>) -> Vec<Node<'a>> {
    let name_of = |node: Node<'a>| {
        if node.as_str().is_some() {
            node
        } else {
            node.get("name")
        }
    };
    let mut out = vec![name_of(holder.get("image"))];
    out.extend(holder.get("services").items().map(name_of));
    out
}

fn latest_image(resource: &Resource, cx: &mut Context<'_>) {
    for holder in keyword_holders(resource) {
        for image in images(&holder) {
            if let Some(text) = image.as_str()
                && !text.contains('$')
                && follows_latest(text)
            {
                cx.report(&image, format!("image `{text}` follows latest"));
            }
        }
    }
}

pub(crate) const GL_002: Rule = Rule {
    id: "GL-002",
    title: "Secret in pipeline variables",
    description: "A variable whose name says it holds a secret has a literal value in `.gitlab-ci.yml`.",
    severity: Severity::High,
    help: "The file is in the repository: every reader of the code, and every fork, has the value.",
    help_uri: None,
    remediation: "Define it as a masked, protected CI/CD variable in the project settings, or use a secrets manager.",
    tags: &["security", "secrets", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: secret_variables,
};

fn secret_variables(resource: &Resource, cx: &mut Context<'_>) {
    for holder in keyword_holders(resource) {
        for (name, value) in holder.get("variables").entries() {
            let literal = value.get("value").or(&value);
            let text = literal
                .as_str()
                .map(str::to_owned)
                .or_else(|| literal.as_i64().map(|n| n.to_string()));
            if secret_name(name) && text.is_some_and(|t| !t.is_empty() && !t.starts_with('$')) {
                cx.report(&literal, format!("variable {name} has a literal value"))
                    .fix("make it a masked, protected CI/CD variable in the project settings");
            }
        }
    }
}

/// Every script line of the pipeline with the node to report at.
fn script_lines<'a>(resource: &'a Resource) -> Vec<(String, Node<'a>)> {
    let mut out = Vec::new();
    for holder in keyword_holders(resource) {
        for key in ["before_script", "script", "after_script"] {
            let script = holder.get(key);
            collect_lines(&script, &mut out);
        }
    }
    out
}

fn collect_lines<'a>(node: &Node<'a>, out: &mut Vec<(String, Node<'a>)>) {
    if let Some(text) = node.as_str() {
        for line in text.lines() {
            out.push((line.to_owned(), node.clone()));
        }
    } else {
        // Lists, nested lists (YAML anchors of script lists).
        for item in node.items() {
            collect_lines(&item, out);
        }
    }
}

pub(crate) const GL_003: Rule = Rule {
    id: "GL-003",
    title: "Remote script piped to a shell",
    description: "A script downloads with curl or wget and pipes it into a shell.",
    severity: Severity::Medium,
    help: "Whatever the server returns runs with the job's token and variables; nothing verifies it.",
    help_uri: None,
    remediation: "Download to a file, check its checksum or signature, then run it.",
    tags: &["supply-chain", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: curl_pipe_shell,
};

fn curl_pipe_shell(resource: &Resource, cx: &mut Context<'_>) {
    for (line, node) in script_lines(resource) {
        if pipes_download_to_shell(&line) {
            cx.report(&node, "the script pipes a download into a shell");
        }
    }
}

pub(crate) const GL_004: Rule = Rule {
    id: "GL-004",
    title: "Docker daemon reached without TLS",
    description: "`DOCKER_HOST: tcp://…:2375` or `DOCKER_TLS_CERTDIR: \"\"`: Docker-in-Docker without TLS.",
    severity: Severity::Medium,
    help: "Anything on the job's network can drive the unauthenticated Docker daemon, which runs privileged.",
    help_uri: Some(
        "https://docs.gitlab.com/ee/ci/docker/using_docker_build.html#docker-in-docker-with-tls-enabled-in-the-docker-executor",
    ),
    remediation: "Use `DOCKER_HOST: tcp://docker:2376` with `DOCKER_TLS_CERTDIR: \"/certs\"`.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: docker_without_tls,
};

fn docker_without_tls(resource: &Resource, cx: &mut Context<'_>) {
    for holder in keyword_holders(resource) {
        let variables = holder.get("variables");
        let host = variables.get("DOCKER_HOST");
        if host
            .as_str()
            .is_some_and(|h| h.starts_with("tcp://") && h.ends_with(":2375"))
        {
            cx.report(
                &host,
                "DOCKER_HOST talks to the daemon without TLS (port 2375)",
            );
        }
        let certs = variables.get("DOCKER_TLS_CERTDIR");
        if certs.as_str() == Some("") {
            cx.report(
                &certs,
                "DOCKER_TLS_CERTDIR is empty: Docker-in-Docker starts without TLS",
            );
        }
    }
}

pub(crate) const GL_005: Rule = Rule {
    id: "GL-005",
    title: "TLS verification disabled",
    description: "`GIT_SSL_NO_VERIFY`, `curl -k`/`--insecure` or `wget --no-check-certificate`.",
    severity: Severity::Medium,
    help: "Without certificate checks anyone on the path can replace sources, packages or artifacts.",
    help_uri: None,
    remediation: "Keep verification on; add the internal CA with `CI_SERVER_TLS_CA_FILE` or `--cacert`.",
    tags: &["security", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: tls_disabled,
};

fn tls_disabled(resource: &Resource, cx: &mut Context<'_>) {
    for holder in keyword_holders(resource) {
        let flag = holder.get("variables").get("GIT_SSL_NO_VERIFY");
        let on = flag.is_true()
            || flag
                .as_str()
                .is_some_and(|v| ["true", "1", "yes"].contains(&v.to_ascii_lowercase().as_str()));
        if on {
            cx.report(
                &flag,
                "GIT_SSL_NO_VERIFY turns off certificate checks for git",
            );
        }
    }
    for (line, node) in script_lines(resource) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let curl_insecure = words.contains(&"curl")
            && words.iter().any(|w| {
                *w == "--insecure"
                    || (w.starts_with('-') && !w.starts_with("--") && w.contains('k'))
            });
        let wget_insecure = words.contains(&"wget") && words.contains(&"--no-check-certificate");
        if curl_insecure || wget_insecure {
            cx.report(&node, "the script downloads without checking certificates");
        }
    }
}

pub(crate) const GL_006: Rule = Rule {
    id: "GL-006",
    title: "Include not pinned or not over HTTPS",
    description: "`include: remote:` over plain HTTP, or `include: project:` without a `ref`.",
    severity: Severity::Medium,
    help: "An included file is pipeline code: over HTTP anyone on the path can change it; without a ref \
               it follows the other project's default branch.",
    help_uri: None,
    remediation: "Use HTTPS for remote includes and pin project includes to a tag or commit (`ref: v1.4.0`).",
    tags: &["supply-chain", "ci"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: unpinned_include,
};

fn unpinned_include(resource: &Resource, cx: &mut Context<'_>) {
    let include = resource.root().get("include");
    let entries: Vec<Node<'_>> = if include.is_array() {
        include.items().collect()
    } else {
        vec![include]
    };
    for entry in entries {
        let remote = entry.get("remote").or(&entry);
        if let Some(url) = remote.as_str()
            && url.starts_with("http://")
        {
            cx.report(&remote, format!("`{url}` is included over plain HTTP"))
                .severity(Severity::High);
        }
        let project = entry.get("project");
        if project.exists() && !entry.get("ref").exists() {
            cx.report(
                &project,
                format!(
                    "project include `{}` follows its default branch",
                    project.as_str().unwrap_or("?")
                ),
            )
            .fix("add `ref:` with a tag or a commit SHA");
        }
    }
}
