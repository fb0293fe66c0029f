//! Built-in pack `compose`: Docker Compose services that weaken container
//! isolation or leak secrets — the checks of CIS Docker section 5 that a
//! Compose file decides.
//!
//! Rules read `compose` resources (`docs/kinds/compose.md`): one service
//! each, its mapping as written. Fixtures live in
//! `fixtures/<RULE-ID>/{positive,negative}.yaml`; a `# expect: RULE-ID`
//! comment marks a line (a whole-line comment marks the next line).

mod runtime;

use rampart_policy::helpers::{follows_latest, secret_name};
use rampart_policy::{Context, Control, Node, Pack, Resource, Rule, Severity};

const CIS_DOCKER: &str = "CIS-Docker-1.6";
const KINDS: &[&str] = &["compose"];

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "compose",
    version: env!("CARGO_PKG_VERSION"),
    description: "Docker Compose services: privileges, host namespaces, host mounts, \
                  capabilities, confinement, secrets, image pinning, resource limits and \
                  published ports.",
    rules: &[
        COMPOSE_001,
        COMPOSE_002,
        COMPOSE_003,
        COMPOSE_004,
        COMPOSE_005,
        COMPOSE_006,
        COMPOSE_007,
        COMPOSE_008,
        COMPOSE_009,
        COMPOSE_010,
        COMPOSE_011,
        COMPOSE_012,
        runtime::COMPOSE_013,
        runtime::COMPOSE_014,
        runtime::COMPOSE_015,
        runtime::COMPOSE_016,
        runtime::COMPOSE_017,
        runtime::COMPOSE_018,
        runtime::COMPOSE_019,
        runtime::COMPOSE_020,
        runtime::COMPOSE_021,
    ],
};

rampart_policy::export_pack!(PACK);

/// The service's name, from its id `compose:service/<name>`.
fn service(resource: &Resource) -> &str {
    resource
        .id
        .strip_prefix("compose:service/")
        .unwrap_or(&resource.id)
}

pub(crate) const COMPOSE_001: Rule = Rule {
    id: "COMPOSE-001",
    title: "Service runs privileged",
    description: "`privileged: true` gives the container every capability and every host device.",
    severity: Severity::Critical,
    help: "A privileged container is root on the host for any practical purpose.",
    help_uri: None,
    remediation: "Remove `privileged: true`; add the one capability the service needs with `cap_add`.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.4")],
    kinds: KINDS,
    equivalents: &[],
    check: privileged,
};

fn privileged(resource: &Resource, cx: &mut Context<'_>) {
    let flag = resource.root().get("privileged");
    if flag.is_true() {
        cx.report(
            &flag,
            format!("service `{}` runs privileged", service(resource)),
        )
        .fix("remove `privileged: true`");
    }
}

pub(crate) const COMPOSE_002: Rule = Rule {
    id: "COMPOSE-002",
    title: "Service shares the host network",
    description: "`network_mode: host` puts the container in the host's network namespace.",
    severity: Severity::High,
    help: "The container can bind any host port and reach services listening on the host's loopback.",
    help_uri: None,
    remediation: "Use a Compose network and publish only the ports needed.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.10")],
    kinds: KINDS,
    equivalents: &[],
    check: host_network,
};

fn host_network(resource: &Resource, cx: &mut Context<'_>) {
    let mode = resource.root().get("network_mode");
    if mode.as_str() == Some("host") {
        cx.report(
            &mode,
            format!("service `{}` uses the host network", service(resource)),
        );
    }
}

pub(crate) const COMPOSE_003: Rule = Rule {
    id: "COMPOSE-003",
    title: "Service shares the host PID or IPC namespace",
    description: "`pid: host` or `ipc: host` lets the container see host processes or shared memory.",
    severity: Severity::High,
    help: "With the host PID namespace a container can signal and inspect every host process.",
    help_uri: None,
    remediation: "Remove `pid: host` and `ipc: host`.",
    tags: &["security"],
    compliance: &[
        Control::new(CIS_DOCKER, "5.16"),
        Control::new(CIS_DOCKER, "5.17"),
    ],
    kinds: KINDS,
    equivalents: &[],
    check: host_namespaces,
};

fn host_namespaces(resource: &Resource, cx: &mut Context<'_>) {
    for key in ["pid", "ipc"] {
        let mode = resource.root().get(key);
        if mode.as_str() == Some("host") {
            cx.report(
                &mode,
                format!(
                    "service `{}` shares the host {} namespace",
                    service(resource),
                    key.to_uppercase()
                ),
            );
        }
    }
}

/// A volume's host side and the node to report at: `src:dst[:mode]` in the
/// short syntax, `{type: bind, source: …}` in the long one. Named volumes
/// (no `/`, `.` or `~` at the start) have no host side.
fn bind_sources<'a>(resource: &'a Resource) -> Vec<(String, Node<'a>)> {
    let mut out = Vec::new();
    for volume in resource.root().get("volumes").items() {
        let source = match volume.as_str() {
            Some(short) => short.split(':').next().unwrap_or("").to_owned(),
            None if volume.get("type").as_str().is_none_or(|t| t == "bind") => {
                volume.get("source").as_str().unwrap_or("").to_owned()
            }
            None => continue,
        };
        if source.starts_with(['/', '.', '~', '$']) {
            out.push((source, volume));
        }
    }
    out
}

/// `/a/b/` → `/a/b`; `//x` → `/x`.
fn normalise(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    format!("/{}", parts.join("/"))
}

pub(crate) const COMPOSE_004: Rule = Rule {
    id: "COMPOSE-004",
    title: "Docker socket mounted into a service",
    description: "A volume mounts `/var/run/docker.sock` (or `/run/docker.sock`).",
    severity: Severity::Critical,
    help: "Whoever talks to the Docker socket can start a privileged container: it is root on the host.",
    help_uri: None,
    remediation: "Do not mount the socket; if a tool needs the API, put a filtering proxy in front of it.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.32")],
    kinds: KINDS,
    equivalents: &[],
    check: docker_socket,
};

fn docker_socket(resource: &Resource, cx: &mut Context<'_>) {
    for (source, volume) in bind_sources(resource) {
        let path = normalise(&source);
        if path == "/var/run/docker.sock"
            || path == "/run/docker.sock"
            || path == "/var/run"
            || path == "/run"
        {
            cx.report(
                &volume,
                format!(
                    "service `{}` mounts the Docker socket ({source})",
                    service(resource)
                ),
            );
        }
    }
}

const SENSITIVE_DIRS: &[&str] = &[
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/proc",
    "/root",
    "/sys",
    "/usr",
    "/var/lib/docker",
    "/var/lib/kubelet",
    "/etc/kubernetes",
];

pub(crate) const COMPOSE_005: Rule = Rule {
    id: "COMPOSE-005",
    title: "Sensitive host directory mounted",
    description: "A bind mount exposes `/`, `/etc`, `/proc`, `/sys`, `/boot`, `/root`, `/dev`, \
                      `/var/lib/docker` or another system directory of the host.",
    severity: Severity::High,
    help: "Writable system directories let the container change the host; readable ones leak its secrets.",
    help_uri: None,
    remediation: "Mount only the application's own directories, read-only where possible.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.6")],
    kinds: KINDS,
    equivalents: &[],
    check: sensitive_mounts,
};

fn sensitive_mounts(resource: &Resource, cx: &mut Context<'_>) {
    for (source, volume) in bind_sources(resource) {
        if !source.starts_with('/') {
            continue;
        }
        let path = normalise(&source);
        // Docker's socket directories are COMPOSE-004's.
        if SENSITIVE_DIRS.contains(&path.as_str()) {
            cx.report(
                &volume,
                format!("service `{}` mounts the host's {path}", service(resource)),
            );
        }
    }
}

const DANGEROUS_CAPABILITIES: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
    "DAC_READ_SEARCH",
    "SYS_RAWIO",
    "BPF",
];

pub(crate) const COMPOSE_006: Rule = Rule {
    id: "COMPOSE-006",
    title: "Dangerous capability added",
    description: "`cap_add` grants ALL, SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, \
                      DAC_READ_SEARCH, SYS_RAWIO or BPF.",
    severity: Severity::High,
    help: "Each of these is enough to break out of the container or take over the host's network.",
    help_uri: None,
    remediation: "Drop the capability; grant only narrow ones such as NET_BIND_SERVICE.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.4")],
    kinds: KINDS,
    equivalents: &[],
    check: dangerous_capabilities,
};

fn dangerous_capabilities(resource: &Resource, cx: &mut Context<'_>) {
    for capability in resource.root().get("cap_add").items() {
        let Some(name) = capability.as_str() else {
            continue;
        };
        let bare = name.trim().to_ascii_uppercase();
        let bare = bare.strip_prefix("CAP_").unwrap_or(&bare);
        if DANGEROUS_CAPABILITIES.contains(&bare) {
            cx.report(
                &capability,
                format!("service `{}` adds capability {bare}", service(resource)),
            );
        }
    }
}

/// Whether a Compose value is literal text rather than `${VAR}` taken from
/// the environment at `docker compose up`.
fn is_literal(value: &str) -> bool {
    !value.is_empty() && !value.contains("${") && !value.starts_with('$')
}

pub(crate) const COMPOSE_007: Rule = Rule {
    id: "COMPOSE-007",
    title: "Secret in environment",
    description: "A variable whose name says it holds a secret (PASSWORD, TOKEN, API_KEY …) \
                      has a literal value in the Compose file.",
    severity: Severity::High,
    help: "The file is committed and shared; the value is in every clone and in `docker inspect`.",
    help_uri: None,
    remediation: "Interpolate it (`${DB_PASSWORD}`) from an untracked `.env`, or use Compose `secrets`.",
    tags: &["security", "secrets"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: secret_environment,
};

fn secret_environment(resource: &Resource, cx: &mut Context<'_>) {
    let environment = resource.root().get("environment");
    let report = |cx: &mut Context<'_>, at: &Node<'_>, name: &str| {
        cx.report(
            at,
            format!(
                "service `{}` sets {name} to a literal value",
                service(resource)
            ),
        )
        .fix(format!(
            "use `{name}: ${{{name}}}` and keep the value out of the file"
        ));
    };
    if environment.is_object() {
        for (name, value) in environment.entries() {
            let literal = match value.as_str() {
                Some(text) => is_literal(text),
                None => value.is_number(),
            };
            if secret_name(name) && literal {
                report(cx, &value, name);
            }
        }
    } else {
        for item in environment.items() {
            let Some((name, value)) = item.as_str().and_then(|s| s.split_once('=')) else {
                continue;
            };
            if secret_name(name) && is_literal(value) {
                report(cx, &item, name);
            }
        }
    }
}

pub(crate) const COMPOSE_008: Rule = Rule {
    id: "COMPOSE-008",
    title: "Image uses the latest tag or no tag",
    description: "`image: name` or `image: name:latest` runs whatever was pushed last.",
    severity: Severity::Medium,
    help: "Deployments are not reproducible and a compromised push is picked up silently.",
    help_uri: None,
    remediation: "Pin a version tag or a digest: `image: postgres:16.4` or `image: postgres@sha256:…`.",
    tags: &["supply-chain"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: latest_image,
};

fn latest_image(resource: &Resource, cx: &mut Context<'_>) {
    let image = resource.root().get("image");
    if let Some(reference) = image.as_str()
        && !reference.contains("${")
        && follows_latest(reference)
    {
        cx.report(
            &image,
            format!(
                "service `{}` uses image `{reference}`, which follows latest",
                service(resource)
            ),
        );
    }
}

pub(crate) const COMPOSE_009: Rule = Rule {
    id: "COMPOSE-009",
    title: "Confinement disabled",
    description: "`security_opt` sets `seccomp:unconfined`, `apparmor:unconfined`, `label:disable` \
                      or `systempaths=unconfined`.",
    severity: Severity::High,
    help: "The default seccomp and AppArmor/SELinux profiles block most container escapes.",
    help_uri: None,
    remediation: "Remove the option, or point it at a custom profile that allows only what is needed.",
    tags: &["security"],
    compliance: &[
        Control::new(CIS_DOCKER, "5.1"),
        Control::new(CIS_DOCKER, "5.21"),
    ],
    kinds: KINDS,
    equivalents: &[],
    check: confinement_disabled,
};

fn confinement_disabled(resource: &Resource, cx: &mut Context<'_>) {
    for option in resource.root().get("security_opt").items() {
        let Some(text) = option.as_str() else {
            continue;
        };
        let normalised = text.replace('=', ":").to_ascii_lowercase();
        if [
            "seccomp:unconfined",
            "apparmor:unconfined",
            "label:disable",
            "systempaths:unconfined",
        ]
        .contains(&normalised.as_str())
        {
            cx.report(
                &option,
                format!("service `{}` sets `{text}`", service(resource)),
            );
        }
    }
}

pub(crate) const COMPOSE_010: Rule = Rule {
    id: "COMPOSE-010",
    title: "Host user namespace shared",
    description: "`userns_mode: host` turns off user-namespace remapping for the service.",
    severity: Severity::Medium,
    help: "Root in the container is then root on the host, even where the daemon remaps users.",
    help_uri: None,
    remediation: "Remove `userns_mode: host`.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.31")],
    kinds: KINDS,
    equivalents: &[],
    check: host_userns,
};

fn host_userns(resource: &Resource, cx: &mut Context<'_>) {
    let mode = resource.root().get("userns_mode");
    if mode.as_str() == Some("host") {
        cx.report(
            &mode,
            format!(
                "service `{}` uses the host user namespace",
                service(resource)
            ),
        );
    }
}

pub(crate) const COMPOSE_011: Rule = Rule {
    id: "COMPOSE-011",
    title: "Host device exposed",
    description: "`devices` maps a host device into the container.",
    severity: Severity::Medium,
    help: "Raw device access bypasses the container's filesystem isolation.",
    help_uri: None,
    remediation: "Remove the device, or map it read-only (`:r`) if the service truly needs it.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.18")],
    kinds: KINDS,
    equivalents: &[],
    check: devices,
};

fn devices(resource: &Resource, cx: &mut Context<'_>) {
    for device in resource.root().get("devices").items() {
        let text = device
            .as_str()
            .map(str::to_owned)
            .or_else(|| device.get("source").as_str().map(str::to_owned))
            .unwrap_or_default();
        cx.report(
            &device,
            format!("service `{}` maps host device {text}", service(resource)),
        );
    }
}

/// The container port of a `ports` entry: `"22"`, `"2222:22"`,
/// `"127.0.0.1:2222:22/tcp"`, `22`, or `{target: 22}`.
fn container_port(entry: &Node<'_>) -> Option<u64> {
    if let Some(n) = entry.as_i64() {
        return u64::try_from(n).ok();
    }
    if let Some(text) = entry.as_str() {
        let without_protocol = text.split('/').next().unwrap_or(text);
        return without_protocol.rsplit(':').next()?.parse().ok();
    }
    entry
        .get("target")
        .as_i64()
        .and_then(|n| u64::try_from(n).ok())
}

pub(crate) const COMPOSE_012: Rule = Rule {
    id: "COMPOSE-012",
    title: "SSH port published",
    description: "The service publishes container port 22.",
    severity: Severity::Medium,
    help: "An SSH daemon in a container is a second way in that bypasses `docker exec` auditing.",
    help_uri: None,
    remediation: "Remove sshd from the image and the port from `ports`; use `docker exec`.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.7")],
    kinds: KINDS,
    equivalents: &[],
    check: ssh_port,
};

fn ssh_port(resource: &Resource, cx: &mut Context<'_>) {
    for entry in resource.root().get("ports").items() {
        if container_port(&entry) == Some(22) {
            cx.report(
                &entry,
                format!("service `{}` publishes port 22", service(resource)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_policy::Document;

    #[test]
    fn ports_parse_in_every_syntax() {
        for (entry, port) in [
            (r#""22""#, Some(22)),
            (r#""2222:22""#, Some(22)),
            (r#""127.0.0.1:2222:22/tcp""#, Some(22)),
            ("8080", Some(8080)),
            (r#"{"target": 22, "published": 2222}"#, Some(22)),
            (r#""8000-8010:8000-8010""#, None),
        ] {
            let entry_document = Document::parse(entry).unwrap();
            assert_eq!(container_port(&entry_document.root()), port, "{entry}");
        }
    }

    #[test]
    fn paths_normalise() {
        assert_eq!(normalise("/var/run/"), "/var/run");
        assert_eq!(normalise("//etc/./"), "/etc");
        assert_eq!(normalise("/"), "/");
    }
}
