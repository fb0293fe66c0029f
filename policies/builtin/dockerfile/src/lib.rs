//! Built-in pack `dockerfile`: what Trivy, Checkov and hadolint users expect
//! of a Dockerfile — a non-root user, pinned base images, no secrets in the
//! image, no `curl | sh`, clean package-manager use.
//!
//! Rules read `dockerfile` resources (`docs/kinds/dockerfile.md`): stages,
//! each with its `FROM` and instructions. Fixtures live in
//! `fixtures/<RULE-ID>/{positive,negative}.Dockerfile`; a whole-line
//! `# expect: RULE-ID` comment marks the instruction on the next line.

mod insecure;
mod packages;

use rampart_policy::helpers::{follows_latest, parse_image, pipes_download_to_shell, secret_name};
use rampart_policy::{Context, Control, Node, Pack, Resource, Rule, Severity};

const CIS_DOCKER: &str = "CIS-Docker-1.6";

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "dockerfile",
    version: env!("CARGO_PKG_VERSION"),
    description: "Dockerfile security and hygiene: users, base images, secrets, remote code, \
                  verification turned off while building, package managers and image metadata.",
    rules: &[
        DF_001,
        DF_002,
        DF_003,
        DF_004,
        DF_005,
        DF_006,
        DF_007,
        DF_008,
        DF_009,
        DF_010,
        DF_011,
        DF_012,
        DF_013,
        DF_014,
        DF_015,
        DF_016,
        DF_017,
        DF_018,
        insecure::command_rule::<0>(),
        insecure::command_rule::<1>(),
        insecure::command_rule::<2>(),
        insecure::command_rule::<3>(),
        insecure::command_rule::<4>(),
        insecure::command_rule::<5>(),
        insecure::command_rule::<6>(),
        insecure::command_rule::<7>(),
        insecure::command_rule::<8>(),
        insecure::command_rule::<9>(),
        insecure::command_rule::<10>(),
        insecure::command_rule::<11>(),
        insecure::variable_rule::<0>(),
        insecure::variable_rule::<1>(),
        insecure::variable_rule::<2>(),
        insecure::variable_rule::<3>(),
        insecure::variable_rule::<4>(),
        packages::rule::<0>(),
        packages::rule::<1>(),
        packages::rule::<2>(),
        packages::rule::<3>(),
        packages::rule::<4>(),
        packages::rule::<5>(),
        packages::rule::<6>(),
        packages::rule::<7>(),
        packages::rule::<8>(),
        packages::rule::<9>(),
        packages::rule::<10>(),
        packages::rule::<11>(),
        packages::rule::<12>(),
        packages::rule::<13>(),
        packages::rule::<14>(),
        packages::rule::<15>(),
    ],
};

rampart_policy::export_pack!(PACK);

fn stages<'a>(resource: &'a Resource) -> Vec<Node<'a>> {
    resource.root().get("stages").items().collect()
}

fn instructions<'a>(stage: &Node<'a>, keyword: &str) -> Vec<Node<'a>> {
    stage
        .get("instructions")
        .items()
        .filter(|i| i.get("instruction").as_str() == Some(keyword))
        .collect()
}

/// The shell text a RUN executes: its arguments (or exec array) and heredocs.
fn run_text(run: &Node<'_>) -> String {
    let exec = run.get("exec");
    let mut text = if exec.exists() {
        exec.items()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        run.get("arguments").as_str().unwrap_or("").to_owned()
    };
    for heredoc in run.get("heredocs").items() {
        text.push('\n');
        text.push_str(heredoc.get("content").as_str().unwrap_or(""));
    }
    text
}

/// The simple commands of a shell text, split on `&&`, `||`, `;`, `|` and
/// newlines, each as its words.
fn commands(text: &str) -> Vec<Vec<String>> {
    text.split(['\n', ';', '|', '&'])
        .map(|c| c.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|c| !c.is_empty())
        .collect()
}

/// Whether `words` runs `program` with `subcommand` (skipping `sudo` and
/// flags before the subcommand).
fn invokes(words: &[String], program: &str, subcommand: &str) -> bool {
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .skip_while(|w| *w == "sudo")
        .collect();
    words
        .first()
        .is_some_and(|w| *w == program || w.ends_with(&format!("/{program}")))
        && words.iter().skip(1).find(|w| !w.starts_with('-')) == Some(&subcommand)
}

fn each_run(resource: &Resource, mut visit: impl FnMut(&Node<'_>, &str)) {
    for stage in stages(resource) {
        for run in instructions(&stage, "RUN") {
            let text = run_text(&run);
            visit(&run, &text);
        }
    }
}

/// The FROM images that are real base images: not `scratch`, not an earlier
/// stage, with global ARG defaults substituted; `None` when an ARG has no
/// default (the image is decided at build time).
fn base_images<'a>(resource: &'a Resource) -> Vec<(Node<'a>, String)> {
    let args: Vec<(String, String)> = resource
        .root()
        .get("args")
        .items()
        .filter_map(|a| {
            Some((
                a.get("name").as_str()?.to_owned(),
                a.get("default").as_str()?.to_owned(),
            ))
        })
        .collect();
    let mut earlier: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for stage in stages(resource) {
        let from = stage.get("from");
        let mut image = from.get("image").as_str().unwrap_or("").to_owned();
        for (name, default) in &args {
            image = image
                .replace(&format!("${{{name}}}"), default)
                .replace(&format!("${name}"), default);
        }
        let is_stage = earlier.iter().any(|s| s.eq_ignore_ascii_case(&image));
        if let Some(name) = stage.get("name").as_str() {
            earlier.push(name.to_owned());
        }
        if image.is_empty() || image == "scratch" || is_stage || image.contains('$') {
            continue;
        }
        out.push((from, image));
    }
    out
}

pub(crate) const DF_001: Rule = Rule {
    id: "DF-001",
    title: "Image runs as root",
    description: "The final stage sets no USER (or sets root), so the container's main process \
                      runs as root.",
    severity: Severity::High,
    help: "Root in a container is root on the host once the container is escaped.",
    help_uri: None,
    remediation: "Create a user and switch to it with `USER <name>` in the final stage.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "4.1")],
    kinds: &["dockerfile"],
    equivalents: &[
        "checkov:CKV_DOCKER_3",
        "checkov:CKV_DOCKER_8",
        "trivy:DS-0002",
        "hadolint:DL3002",
    ],
    check: runs_as_root,
};

fn runs_as_root(resource: &Resource, cx: &mut Context<'_>) {
    let Some(last) = stages(resource).pop() else {
        return;
    };
    match instructions(&last, "USER").pop() {
        None => {
            cx.report(
                &last.get("from"),
                "the final stage sets no USER: the image runs as root",
            )
            .fix("add `USER <non-root user>`");
        }
        Some(user) => {
            let name = user.get("user").as_str().unwrap_or("");
            if name == "root" || name == "0" {
                cx.report(&user, format!("the final USER is `{name}`"));
            }
        }
    }
}

pub(crate) const DF_002: Rule = Rule {
    id: "DF-002",
    title: "Base image uses the latest tag or no tag",
    description: "`FROM image` or `FROM image:latest` builds on whatever was pushed last.",
    severity: Severity::Medium,
    help: "Builds are not reproducible and a compromised push is picked up silently.",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL3007"),
    remediation: "Pin a version tag or a digest: `FROM alpine:3.20` or `FROM alpine@sha256:…`.",
    tags: &["supply-chain"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &[
        "checkov:CKV_DOCKER_7",
        "trivy:DS-0001",
        "hadolint:DL3006",
        "hadolint:DL3007",
    ],
    check: latest_base,
};

fn latest_base(resource: &Resource, cx: &mut Context<'_>) {
    for (from, image) in base_images(resource) {
        if follows_latest(&image) {
            cx.report(&from, format!("base image `{image}` follows latest"));
        }
    }
}

pub(crate) const DF_003: Rule = Rule {
    id: "DF-003",
    title: "Base image not pinned by digest",
    description: "A tag can be moved; only a digest names exactly the base the image is built on.",
    severity: Severity::Low,
    help: "Use `FROM name:tag@sha256:…` and let a bot update it.",
    help_uri: None,
    remediation: "Add the digest to the FROM reference.",
    tags: &["supply-chain"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &[],
    check: base_not_digest,
};

fn base_not_digest(resource: &Resource, cx: &mut Context<'_>) {
    for (from, image) in base_images(resource) {
        if parse_image(&image).2.is_none() {
            cx.report(
                &from,
                format!("base image `{image}` is not pinned by digest"),
            );
        }
    }
}

fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://") || source.starts_with("git@")
}

fn is_archive(source: &str) -> bool {
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".txz", ".tbz2",
    ]
    .iter()
    .any(|ext| source.to_ascii_lowercase().ends_with(ext))
}

pub(crate) const DF_004: Rule = Rule {
    id: "DF-004",
    title: "ADD used to copy local files",
    description: "ADD also unpacks archives and fetches URLs; for plain files COPY says what it does.",
    severity: Severity::Low,
    help: "Surprising extraction of archives has shipped unintended files.",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL3020"),
    remediation: "Use COPY for local files.",
    tags: &["hygiene"],
    compliance: &[Control::new(CIS_DOCKER, "4.9")],
    kinds: &["dockerfile"],
    equivalents: &["checkov:CKV_DOCKER_4", "trivy:DS-0005", "hadolint:DL3020"],
    check: add_local,
};

fn add_local(resource: &Resource, cx: &mut Context<'_>) {
    for stage in stages(resource) {
        for add in instructions(&stage, "ADD") {
            let sources: Vec<&str> = add
                .get("sources")
                .items()
                .filter_map(|s| s.as_str())
                .collect();
            if add.get("heredocs").exists() || sources.is_empty() {
                continue;
            }
            if sources.iter().all(|s| !is_url(s) && !is_archive(s)) {
                cx.report(&add, "ADD copies local files: use COPY");
            }
        }
    }
}

pub(crate) const DF_005: Rule = Rule {
    id: "DF-005",
    title: "ADD downloads from a URL",
    description: "ADD with a URL downloads without verifying what it got.",
    severity: Severity::Medium,
    help: "Use `ADD --checksum=sha256:…` or download with curl and verify the checksum.",
    help_uri: None,
    remediation: "Verify the download: `ADD --checksum=sha256:<hex> <url> <dest>`.",
    tags: &["supply-chain"],
    compliance: &[Control::new(CIS_DOCKER, "4.9")],
    kinds: &["dockerfile"],
    equivalents: &[],
    check: add_url,
};

fn add_url(resource: &Resource, cx: &mut Context<'_>) {
    for stage in stages(resource) {
        for add in instructions(&stage, "ADD") {
            let remote = add
                .get("sources")
                .items()
                .any(|s| s.as_str().is_some_and(is_url));
            if remote && !add.get("flags").get("checksum").exists() {
                cx.report(&add, "ADD downloads a URL without --checksum");
            }
        }
    }
}

pub(crate) const DF_006: Rule = Rule {
    id: "DF-006",
    title: "Remote script piped to a shell",
    description: "`curl … | sh` runs whatever the server returns at build time, unverified.",
    severity: Severity::High,
    help: "A compromised or spoofed server owns the image.",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL4006"),
    remediation: "Download to a file, verify its checksum or signature, then run it.",
    tags: &["security", "supply-chain"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &[],
    check: curl_pipe_shell,
};

fn curl_pipe_shell(resource: &Resource, cx: &mut Context<'_>) {
    each_run(resource, |run, text| {
        if pipes_download_to_shell(text) {
            cx.report(run, "RUN pipes a download straight into a shell");
        }
    });
}

pub(crate) const DF_007: Rule = Rule {
    id: "DF-007",
    title: "apt-get install without --no-install-recommends",
    description: "Recommended packages bloat the image and add attack surface.",
    severity: Severity::Low,
    help: "",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL3015"),
    remediation: "Add `--no-install-recommends` to `apt-get install`.",
    tags: &["hygiene"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &["trivy:DS-0029", "hadolint:DL3015"],
    check: apt_recommends,
};

fn apt_recommends(resource: &Resource, cx: &mut Context<'_>) {
    each_run(resource, |run, text| {
        let missing = commands(text).iter().any(|c| {
            (invokes(c, "apt-get", "install") || invokes(c, "apt", "install"))
                && !c.iter().any(|w| w == "--no-install-recommends")
        });
        if missing {
            cx.report(run, "apt-get install without --no-install-recommends");
        }
    });
}

pub(crate) const DF_008: Rule = Rule {
    id: "DF-008",
    title: "apt lists not removed",
    description: "`apt-get update` leaves package lists in the layer unless the same RUN removes \
                      /var/lib/apt/lists.",
    severity: Severity::Low,
    help: "",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL3009"),
    remediation: "End the RUN with `&& rm -rf /var/lib/apt/lists/*`.",
    tags: &["hygiene"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &["hadolint:DL3009"],
    check: apt_lists,
};

fn apt_lists(resource: &Resource, cx: &mut Context<'_>) {
    each_run(resource, |run, text| {
        let updates = commands(text)
            .iter()
            .any(|c| invokes(c, "apt-get", "update") || invokes(c, "apt", "update"));
        let cached = run
            .get("flags")
            .get("mount")
            .as_str()
            .is_some_and(|m| m.contains("/var/lib/apt"));
        if updates && !text.contains("/var/lib/apt/lists") && !cached {
            cx.report(
                run,
                "apt-get update without removing /var/lib/apt/lists in the same RUN",
            );
        }
    });
}

pub(crate) const DF_009: Rule = Rule {
    id: "DF-009",
    title: "Package upgrade in the image",
    description: "`apt-get upgrade`/`dist-upgrade` makes builds unreproducible; update the base \
                      image instead.",
    severity: Severity::Low,
    help: "",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL3005"),
    remediation: "Remove the upgrade; rebuild on a newer base image.",
    tags: &["hygiene"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &[],
    check: apt_upgrade,
};

fn apt_upgrade(resource: &Resource, cx: &mut Context<'_>) {
    each_run(resource, |run, text| {
        let upgrades = commands(text).iter().any(|c| {
            ["upgrade", "dist-upgrade", "full-upgrade"]
                .iter()
                .any(|sub| invokes(c, "apt-get", sub) || invokes(c, "apt", sub))
        });
        if upgrades {
            cx.report(run, "RUN upgrades the base image's packages");
        }
    });
}

pub(crate) const DF_010: Rule = Rule {
    id: "DF-010",
    title: "pip install keeps its cache",
    description: "`pip install` without `--no-cache-dir` stores the wheel cache in the layer.",
    severity: Severity::Low,
    help: "",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL3042"),
    remediation: "Add `--no-cache-dir`.",
    tags: &["hygiene"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &["hadolint:DL3042"],
    check: pip_cache,
};

fn pip_cache(resource: &Resource, cx: &mut Context<'_>) {
    each_run(resource, |run, text| {
        let missing = commands(text).iter().any(|c| {
            let pip = ["pip", "pip3"].iter().any(|p| invokes(c, p, "install"))
                || (c.iter().any(|w| w.starts_with("python"))
                    && c.windows(3)
                        .any(|w| w[0] == "-m" && w[1].starts_with("pip") && w[2] == "install"));
            pip && !c.iter().any(|w| w == "--no-cache-dir")
        });
        let no_cache_env = text.contains("PIP_NO_CACHE_DIR");
        if missing && !no_cache_env {
            cx.report(run, "pip install without --no-cache-dir");
        }
    });
}

pub(crate) const DF_011: Rule = Rule {
    id: "DF-011",
    title: "apk add keeps its cache",
    description: "`apk add` without `--no-cache` leaves the package index in the layer.",
    severity: Severity::Low,
    help: "",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL3019"),
    remediation: "Use `apk add --no-cache`.",
    tags: &["hygiene"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &["trivy:DS-0025", "hadolint:DL3019"],
    check: apk_cache,
};

fn apk_cache(resource: &Resource, cx: &mut Context<'_>) {
    each_run(resource, |run, text| {
        let missing = commands(text)
            .iter()
            .any(|c| invokes(c, "apk", "add") && !c.iter().any(|w| w == "--no-cache"));
        if missing {
            cx.report(run, "apk add without --no-cache");
        }
    });
}

pub(crate) const DF_012: Rule = Rule {
    id: "DF-012",
    title: "Secret in ENV or ARG",
    description: "An ENV or ARG whose name says it holds a secret has a value in the Dockerfile: \
                      it is stored in the image's history and visible to everyone who pulls it.",
    severity: Severity::High,
    help: "`docker history` and `docker inspect` show ENV and build ARG values.",
    help_uri: None,
    remediation: "Use build secrets (`RUN --mount=type=secret`) and runtime secrets instead.",
    tags: &["security", "secrets"],
    compliance: &[Control::new(CIS_DOCKER, "4.10")],
    kinds: &["dockerfile"],
    equivalents: &[],
    check: secrets,
};

fn secrets(resource: &Resource, cx: &mut Context<'_>) {
    let check_arg = |arg: &Node<'_>, cx: &mut Context<'_>| {
        let name = arg.get("name").as_str().unwrap_or("");
        if secret_name(name) && arg.get("default").as_str().is_some_and(|d| !d.is_empty()) {
            cx.report(arg, format!("ARG {name} has a default value"));
        }
    };
    for arg in resource.root().get("args").items() {
        check_arg(&arg, cx);
    }
    for stage in stages(resource) {
        for arg in instructions(&stage, "ARG") {
            check_arg(&arg, cx);
        }
        for env in instructions(&stage, "ENV") {
            for pair in env.get("pairs").items() {
                let name = pair.get("name").as_str().unwrap_or("");
                let value = pair.get("value").as_str().unwrap_or("");
                if secret_name(name) && !value.is_empty() && !value.starts_with('$') {
                    cx.report(&env, format!("ENV sets {name} to a literal value"));
                }
            }
        }
    }
}

pub(crate) const DF_013: Rule = Rule {
    id: "DF-013",
    title: "No HEALTHCHECK",
    description: "The final stage defines no HEALTHCHECK, so the runtime cannot tell a hung \
                      container from a healthy one.",
    severity: Severity::Low,
    help: "Orchestrators with their own probes (Kubernetes) may not need it.",
    help_uri: None,
    remediation: "Add `HEALTHCHECK CMD …`.",
    tags: &["reliability"],
    compliance: &[Control::new(CIS_DOCKER, "4.6")],
    kinds: &["dockerfile"],
    equivalents: &["checkov:CKV_DOCKER_2", "trivy:DS-0026"],
    check: healthcheck,
};

fn healthcheck(resource: &Resource, cx: &mut Context<'_>) {
    let Some(last) = stages(resource).pop() else {
        return;
    };
    let checks = instructions(&last, "HEALTHCHECK");
    match checks.last() {
        None => {
            cx.report(&last.get("from"), "the final stage defines no HEALTHCHECK");
        }
        Some(check)
            if check
                .get("arguments")
                .as_str()
                .is_some_and(|a| a.trim().eq_ignore_ascii_case("NONE")) =>
        {
            cx.report(check, "HEALTHCHECK NONE disables the health check");
        }
        Some(_) => {}
    }
}

pub(crate) const DF_014: Rule = Rule {
    id: "DF-014",
    title: "World-writable permissions",
    description: "`chmod 777` (or `o+w`) lets any process in the container change the files.",
    severity: Severity::Medium,
    help: "",
    help_uri: None,
    remediation: "Give the files to the user that needs them (`--chown` / `chown`) with 755/644.",
    tags: &["security"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &[],
    check: chmod_777,
};

fn chmod_777(resource: &Resource, cx: &mut Context<'_>) {
    let world_writable = |mode: &str| {
        let mode = mode.trim_start_matches('0');
        (mode.len() == 3 && mode.ends_with(['2', '3', '6', '7']))
            || mode.contains("o+w")
            || mode.contains("a+w")
            || mode.contains("a+rwx")
            || mode == "+w"
    };
    each_run(resource, |run, text| {
        let found = commands(text).iter().any(|c| {
            c.iter()
                .find(|w| *w != "sudo")
                .is_some_and(|w| w == "chmod")
                && c.iter()
                    .skip(1)
                    .filter(|w| !w.starts_with('-'))
                    .take(1)
                    .any(|m| world_writable(m))
        });
        if found {
            cx.report(run, "RUN makes files world-writable");
        }
    });
    for stage in stages(resource) {
        for copy in instructions(&stage, "COPY")
            .into_iter()
            .chain(instructions(&stage, "ADD"))
        {
            if copy
                .get("flags")
                .get("chmod")
                .as_str()
                .is_some_and(world_writable)
            {
                cx.report(&copy, "--chmod makes files world-writable");
            }
        }
    }
}

pub(crate) const DF_015: Rule = Rule {
    id: "DF-015",
    title: "SSH port exposed",
    description: "`EXPOSE 22` suggests an SSH server in the container: use `kubectl exec` or \
                      `docker exec` instead.",
    severity: Severity::Medium,
    help: "",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL3011"),
    remediation: "Remove the SSH server and `EXPOSE 22`.",
    tags: &["security"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &["checkov:CKV_DOCKER_1", "trivy:DS-0004"],
    check: expose_ssh,
};

fn expose_ssh(resource: &Resource, cx: &mut Context<'_>) {
    for stage in stages(resource) {
        for expose in instructions(&stage, "EXPOSE") {
            if expose.get("ports").items().any(|p| {
                p.as_str()
                    .is_some_and(|p| p == "22" || p.starts_with("22/"))
            }) {
                cx.report(&expose, "EXPOSE 22: an SSH server in the container");
            }
        }
    }
}

pub(crate) const DF_016: Rule = Rule {
    id: "DF-016",
    title: "sudo in RUN",
    description: "Build steps already run as the current USER; sudo in an image is a privilege \
                      escalation path left behind.",
    severity: Severity::Medium,
    help: "",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL3004"),
    remediation: "Switch USER for the step instead of using sudo.",
    tags: &["security"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &["checkov:CKV2_DOCKER_1", "trivy:DS-0010", "hadolint:DL3004"],
    check: sudo,
};

fn sudo(resource: &Resource, cx: &mut Context<'_>) {
    each_run(resource, |run, text| {
        if commands(text)
            .iter()
            .any(|c| c.first().is_some_and(|w| w == "sudo"))
        {
            cx.report(run, "RUN uses sudo");
        }
    });
}

pub(crate) const DF_017: Rule = Rule {
    id: "DF-017",
    title: "MAINTAINER is deprecated",
    description: "MAINTAINER was replaced by a label.",
    severity: Severity::Info,
    help: "",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL4000"),
    remediation: "Use `LABEL org.opencontainers.image.authors=\"…\"`.",
    tags: &["hygiene"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &["checkov:CKV_DOCKER_6", "trivy:DS-0022", "hadolint:DL4000"],
    check: maintainer,
};

fn maintainer(resource: &Resource, cx: &mut Context<'_>) {
    for stage in stages(resource) {
        for m in instructions(&stage, "MAINTAINER") {
            cx.report(&m, "MAINTAINER is deprecated");
        }
    }
}

pub(crate) const DF_018: Rule = Rule {
    id: "DF-018",
    title: "Relative WORKDIR",
    description: "A relative WORKDIR depends on the previous one, which is easy to get wrong.",
    severity: Severity::Low,
    help: "",
    help_uri: Some("https://github.com/hadolint/hadolint/wiki/DL3000"),
    remediation: "Use an absolute path.",
    tags: &["hygiene"],
    compliance: &[],
    kinds: &["dockerfile"],
    equivalents: &["checkov:CKV_DOCKER_10", "trivy:DS-0009", "hadolint:DL3000"],
    check: relative_workdir,
};

fn relative_workdir(resource: &Resource, cx: &mut Context<'_>) {
    for stage in stages(resource) {
        for w in instructions(&stage, "WORKDIR") {
            let path = w.get("path").as_str().unwrap_or("");
            let absolute = path.starts_with('/')
                || path.starts_with('$')
                || path.get(1..3) == Some(":\\")
                || path.get(1..3) == Some(":/");
            if !absolute {
                cx.report(&w, format!("WORKDIR `{path}` is relative"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_split_on_shell_operators() {
        let c = commands("apt-get update && apt-get install -y curl; rm -rf x | cat");
        assert_eq!(c.len(), 4);
        assert!(invokes(&c[1], "apt-get", "install"));
        assert!(!invokes(&c[0], "apt-get", "install"));
    }

    #[test]
    fn rule_table_is_complete() {
        assert!(PACK.rules.len() >= 15);
        for rule in PACK.rules {
            assert!(
                !rule.description.is_empty() && !rule.remediation.is_empty(),
                "{}",
                rule.id
            );
        }
    }
}
