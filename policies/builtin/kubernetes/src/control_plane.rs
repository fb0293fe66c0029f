//! The control plane's command lines: the CIS Kubernetes Benchmark's
//! sections 1.2 (API server), 1.3 (controller manager), 1.4 (scheduler)
//! and 2 (etcd) check the flags these components run with, and kubeadm and
//! most installers run them as static pods whose manifests
//! (`/etc/kubernetes/manifests/*.yaml`) are the files a repository keeps.
//!
//! Each check is a row of [`ROWS`] — a flag, what its value must be, and
//! the component's default when the flag is not written — turned into a
//! rule by [`rule`], as the cloud packs' concerns are: the checks differ in
//! data only, so they are data, judged by one function.
//!
//! What the component would see is what is judged:
//! * the container is the component when its command's program is the
//!   component's binary (any directory, or `hyperkube <component>`), or,
//!   with no command, when its image is the component's image; flags are
//!   the command's words after the binary, then `args`;
//! * `--flag=value`, `--flag value`, a bare boolean `--flag`, and `-flag`
//!   (etcd's Go flags) are all read; a repeated flag is its last value,
//!   except list flags (admission plugins, authorization modes, feature
//!   gates, cipher suites), whose values add up;
//! * etcd also reads `ETCD_*` environment variables for flags left out;
//! * a value that Kubernetes expands (`$(VAR)`) or that comes from
//!   `valueFrom` is unknown and never judged — nor is a component whose
//!   configuration file (`--config` of the scheduler, `--config-file` of
//!   etcd) decides what its flags leave out.

use crate::{containers, pod_spec};
use rampart_policy::{Context, Control, Node, Resource, Rule, Severity};

use Component::{ControllerManager, Etcd, Scheduler};

const CIS: &str = "CIS-Kubernetes-1.9";

/// A control-plane component, recognised by its binary.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Component {
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
}

impl Component {
    /// The binary, and the image's name.
    const fn binary(self) -> &'static str {
        match self {
            Component::ApiServer => "kube-apiserver",
            Component::ControllerManager => "kube-controller-manager",
            Component::Scheduler => "kube-scheduler",
            Component::Etcd => "etcd",
        }
    }

    /// The sub-command of the all-in-one `hyperkube` binary (which also
    /// accepts the binary's name).
    const fn hyperkube(self) -> Option<&'static str> {
        match self {
            Component::ApiServer => Some("apiserver"),
            Component::ControllerManager => Some("controller-manager"),
            Component::Scheduler => Some("scheduler"),
            Component::Etcd => None,
        }
    }

    /// The flag naming a configuration file that sets what the command
    /// line leaves out (etcd ignores every flag then). That file lives on
    /// the node, not in the manifest: the component is not judged.
    const fn config_flag(self) -> Option<&'static str> {
        match self {
            Component::Scheduler => Some("config"),
            Component::Etcd => Some("config-file"),
            Component::ApiServer | Component::ControllerManager => None,
        }
    }

    /// Where the component's flags are documented.
    const fn reference(self) -> &'static str {
        match self {
            Component::ApiServer => {
                "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/"
            }
            Component::ControllerManager => {
                "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/"
            }
            Component::Scheduler => {
                "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/"
            }
            Component::Etcd => "https://etcd.io/docs/v3.5/op-guide/configuration/",
        }
    }

    const ALL: [Component; 4] = [
        Component::ApiServer,
        Component::ControllerManager,
        Component::Scheduler,
        Component::Etcd,
    ];
}

/// What a row requires of its flag.
pub(crate) enum Expect {
    /// A boolean flag must be `want`; `default` is the component's value
    /// when the flag is not written.
    Bool { want: bool, default: bool },
    /// Every one of these flags must be written (the row's `flag` is the
    /// first).
    Set(&'static [&'static str]),
    /// The flag must not be written (an empty value is not written).
    Unset,
    /// A comma-separated list must include this item, which is not among
    /// the flag's defaults.
    Includes(&'static str),
    /// A comma-separated list must not include `item`; `by_default` when
    /// the flag's default does.
    Excludes {
        item: &'static str,
        by_default: bool,
    },
    /// A number of at least `min`; `default` when not written.
    AtLeast { min: i64, default: i64 },
    /// An address on the loopback interface; the default is every
    /// interface (`0.0.0.0`).
    Loopback,
    /// `--feature-gates` must not turn this gate off (it is on by default).
    GateOn(&'static str),
    /// `--tls-cipher-suites` must name none of Go's insecure suites.
    StrongCiphers,
}

/// One check of a control-plane flag.
pub(crate) struct FlagRow {
    pub id: &'static str,
    pub component: Component,
    /// The flag, without its dashes.
    pub flag: &'static str,
    pub expect: Expect,
    /// A flag that, when written, decides instead (`--authorization-config`
    /// replaces `--authorization-mode`): the row judges nothing then.
    pub unless: Option<&'static str>,
    /// A flag without which the row's flag has no effect (audit log
    /// retention without an audit log): the row judges nothing then.
    pub only_with: Option<&'static str>,
    pub title: &'static str,
    pub severity: Severity,
    pub description: &'static str,
    pub help: &'static str,
    pub remediation: &'static str,
    pub compliance: &'static [Control],
    pub equivalents: &'static [&'static str],
}

/// Row `N` of [`ROWS`] as a rule.
pub(crate) const fn rule<const N: usize>() -> Rule {
    let row = &ROWS[N];
    Rule {
        id: row.id,
        title: row.title,
        description: row.description,
        severity: row.severity,
        help: row.help,
        help_uri: Some(row.component.reference()),
        remediation: row.remediation,
        tags: &["security", "control-plane"],
        compliance: row.compliance,
        kinds: &["k8s"],
        equivalents: row.equivalents,
        check: check::<N>,
    }
}

fn check<const N: usize>(_: &Resource, cx: &mut Context<'_>) {
    judge(&ROWS[N], cx);
}

/// The pod spec of a workload one of whose containers runs a control-plane
/// component; `None` for every other workload. Memoised: for the great
/// majority of pods, every row costs one lookup.
fn control_plane_pod(resource: &Resource) -> Option<Node<'_>> {
    let pod = pod_spec(resource)?;
    containers(&pod)
        .any(|container| {
            Component::ALL
                .iter()
                .any(|&component| runs(&container, component))
        })
        .then_some(pod)
}

/// The last path segment of a program or an image name, without tag or
/// digest.
fn base_name(name: &str) -> &str {
    let last = name.rsplit('/').next().unwrap_or(name);
    let last = last.split('@').next().unwrap_or(last);
    last.split(':').next().unwrap_or(last)
}

/// Whether `container` runs `component`; its flags start after the
/// returned number of command words.
fn program_words(container: &Node<'_>, component: Component) -> Option<usize> {
    let command = container.get("command");
    if command.exists() {
        let first = command.at(0).as_str()?;
        if base_name(first) == component.binary() {
            return Some(1);
        }
        let sub = command.at(1).as_str()?;
        let is_sub = Some(sub) == component.hyperkube() || sub == component.binary();
        return (base_name(first) == "hyperkube" && is_sub).then_some(2);
    }
    let image = container.get("image").as_str()?;
    (base_name(image) == component.binary()).then_some(0)
}

fn runs(container: &Node<'_>, component: Component) -> bool {
    program_words(container, component).is_some()
}

/// One written value of a flag, and the word that wrote it.
struct Written<'a> {
    value: &'a str,
    at: Node<'a>,
    /// `--flag`, or etcd's environment variable.
    spelled: String,
}

/// What a container's command line says of one flag.
enum Lookup<'a> {
    /// Every written value, in order.
    Written(Vec<Written<'a>>),
    Absent,
    /// Set from something the manifest does not show.
    Unknown,
}

/// A control-plane component's command line.
struct CommandLine<'a> {
    component: Component,
    words: Vec<(&'a str, Node<'a>)>,
    env: Node<'a>,
    /// Where a flag that is not written goes: `args`, else `command`, else
    /// the container.
    anchor: Node<'a>,
}

impl<'a> CommandLine<'a> {
    fn of(container: &Node<'a>, component: Component) -> Option<CommandLine<'a>> {
        let skip = program_words(container, component)?;
        let command = container.get("command");
        let args = container.get("args");
        let mut words: Vec<(&'a str, Node<'a>)> = command
            .items()
            .skip(skip)
            .filter_map(|word| word.as_str().map(|text| (text, word.clone())))
            .collect();
        words.extend(
            args.items()
                .filter_map(|word| word.as_str().map(|text| (text, word.clone()))),
        );
        let anchor = if args.exists() {
            args
        } else if command.exists() {
            command
        } else {
            container.clone()
        };
        Some(CommandLine {
            component,
            words,
            env: container.get("env"),
            anchor,
        })
    }

    /// The flag's values. A bare flag is `true` when `boolean`, else takes
    /// the next word (pflag's rules); `--` ends the flags.
    fn lookup(&self, name: &str, boolean: bool) -> Lookup<'a> {
        let mut found = Vec::new();
        let mut words = self.words.iter().peekable();
        while let Some((word, node)) = words.next() {
            if *word == "--" {
                break;
            }
            let Some(flag) = word.strip_prefix("--").or_else(|| word.strip_prefix('-')) else {
                continue;
            };
            let (flag_name, inline) = match flag.split_once('=') {
                Some((flag_name, value)) => (flag_name, Some(value)),
                None => (flag, None),
            };
            if flag_name != name {
                continue;
            }
            let value = match inline {
                Some(value) => value,
                None if boolean => "true",
                None => match words.peek() {
                    Some((next, _)) if !next.starts_with('-') => {
                        let value = *next;
                        words.next();
                        value
                    }
                    _ => "",
                },
            };
            if value.contains("$(") {
                return Lookup::Unknown;
            }
            found.push(Written {
                value,
                at: node.clone(),
                spelled: format!("--{name}"),
            });
        }
        if !found.is_empty() {
            return Lookup::Written(found);
        }
        if self.component == Component::Etcd {
            return self.environment(name);
        }
        Lookup::Absent
    }

    /// etcd's `ETCD_<FLAG>` environment variable.
    fn environment(&self, name: &str) -> Lookup<'a> {
        let variable = format!("ETCD_{}", name.to_ascii_uppercase().replace('-', "_"));
        for entry in self.env.items() {
            if entry.get("name").as_str() != Some(variable.as_str()) {
                continue;
            }
            let value = entry.get("value");
            return match value.as_str() {
                Some(text) if !text.contains("$(") => Lookup::Written(vec![Written {
                    value: text,
                    at: value,
                    spelled: variable,
                }]),
                _ => Lookup::Unknown,
            };
        }
        Lookup::Absent
    }

    /// Whether the flag is written with a value other than `-` (the audit
    /// log on standard output still counts as written).
    fn writes(&self, name: &str) -> bool {
        match self.lookup(name, false) {
            Lookup::Written(values) => values.iter().any(|written| !written.value.is_empty()),
            Lookup::Unknown => true,
            Lookup::Absent => false,
        }
    }
}

/// Go's `strconv.ParseBool`, which the components' flags use.
fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// The items of every written value of a list flag, each with its word.
fn list_items<'v, 'a>(values: &'v [Written<'a>]) -> impl Iterator<Item = (&'a str, &'v Node<'a>)> {
    values.iter().flat_map(|written| {
        written
            .value
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(move |item| (item, &written.at))
    })
}

/// Cipher suites Go's `crypto/tls` lists as insecure (RC4, 3DES, and the
/// CBC modes with SHA-256, open to Lucky13): Kubernetes accepts them but
/// warns.
const INSECURE_CIPHERS: &[&str] = &[
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
];

fn is_loopback(address: &str) -> bool {
    address == "::1" || address == "localhost" || address.starts_with("127.")
}

fn judge(row: &FlagRow, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(control_plane_pod) else {
        return;
    };
    for container in containers(&pod) {
        let Some(line) = CommandLine::of(&container, row.component) else {
            continue;
        };
        let configured = row
            .component
            .config_flag()
            .is_some_and(|flag| line.writes(flag));
        let replaced = row.unless.is_some_and(|flag| line.writes(flag));
        let applies = row.only_with.is_none_or(|flag| line.writes(flag));
        if configured || replaced || !applies {
            continue;
        }
        judge_line(row, &line, cx);
    }
}

fn judge_line(row: &FlagRow, line: &CommandLine<'_>, cx: &mut Context<'_>) {
    let binary = row.component.binary();
    let flag = row.flag;
    let boolean = matches!(row.expect, Expect::Bool { .. });
    let lookup = line.lookup(flag, boolean);
    if matches!(lookup, Lookup::Unknown) {
        return;
    }
    let written = match &lookup {
        Lookup::Written(values) => values.as_slice(),
        _ => &[],
    };
    let last = written.last();
    match &row.expect {
        Expect::Bool { want, default } => match last {
            Some(value) if parse_bool(value.value).is_some_and(|set| set != *want) => {
                cx.report(
                    &value.at,
                    format!("{binary} sets `{}={}`", value.spelled, value.value),
                )
                .fix(format!("set `--{flag}={want}`"));
            }
            Some(_) => {}
            None if default != want => {
                cx.report(
                    &line.anchor,
                    format!("{binary} does not set `--{flag}`, whose default is {default}"),
                )
                .fix(format!("add `--{flag}={want}`"));
            }
            None => {}
        },
        Expect::Set(flags) => {
            let missing: Vec<String> = flags
                .iter()
                .filter(|name| match line.lookup(name, false) {
                    Lookup::Written(values) => values.iter().all(|value| value.value.is_empty()),
                    Lookup::Unknown => false,
                    Lookup::Absent => true,
                })
                .map(|name| format!("`--{name}`"))
                .collect();
            if !missing.is_empty() {
                cx.report(
                    &line.anchor,
                    format!("{binary} does not set {}", missing.join(" or ")),
                )
                .fix(format!("add {}", missing.join(" and ")));
            }
        }
        Expect::Unset => {
            if let Some(value) = written.iter().find(|value| !value.value.is_empty()) {
                cx.report(&value.at, format!("{binary} sets `--{flag}`"))
                    .fix(format!("remove `--{flag}`"));
            }
        }
        Expect::Includes(item) => {
            if written.is_empty() {
                cx.report(
                    &line.anchor,
                    format!("{binary} does not set `--{flag}`; {item} is not among its defaults"),
                )
                .fix(format!("add `--{flag}={item}`"));
            } else if let Some(value) = last
                && !list_items(written).any(|(listed, _)| listed == *item)
            {
                cx.report(
                    &value.at,
                    format!("`--{flag}` of {binary} does not include {item}"),
                )
                .fix(format!("add {item} to `--{flag}`"));
            }
        }
        Expect::Excludes { item, by_default } => {
            if written.is_empty() {
                if *by_default {
                    cx.report(
                        &line.anchor,
                        format!("{binary} does not set `--{flag}`, whose default is {item}"),
                    )
                    .fix(format!("add `--{flag}` without {item}"));
                }
            } else if let Some((_, at)) = list_items(written).find(|(listed, _)| listed == item) {
                cx.report(at, format!("`--{flag}` of {binary} includes {item}"))
                    .fix(format!("remove {item} from `--{flag}`"));
            }
        }
        Expect::AtLeast { min, default } => match last {
            Some(value)
                if value
                    .value
                    .trim()
                    .parse::<i64>()
                    .is_ok_and(|set| set < *min) =>
            {
                cx.report(
                    &value.at,
                    format!(
                        "{binary} sets `{}={}`, below {min}",
                        value.spelled, value.value
                    ),
                )
                .fix(format!("set `--{flag}={min}` or more"));
            }
            Some(_) => {}
            None if default < min => {
                cx.report(
                    &line.anchor,
                    format!("{binary} does not set `--{flag}`, whose default is {default}"),
                )
                .fix(format!("add `--{flag}={min}` or more"));
            }
            None => {}
        },
        Expect::Loopback => match last {
            Some(value) => {
                if !value.value.is_empty() && !is_loopback(value.value) {
                    cx.report(
                        &value.at,
                        format!(
                            "{binary} listens on `--{flag}={}`, beyond the loopback interface",
                            value.value
                        ),
                    )
                    .fix(format!("set `--{flag}=127.0.0.1`"));
                }
            }
            None => {
                cx.report(
                    &line.anchor,
                    format!("{binary} does not set `--{flag}`: it listens on every interface"),
                )
                .fix(format!("add `--{flag}=127.0.0.1`"));
            }
        },
        Expect::GateOn(gate) => {
            let off = list_items(written).find(|(setting, _)| {
                setting.split_once('=').is_some_and(|(name, value)| {
                    name.trim() == *gate && parse_bool(value.trim()) == Some(false)
                })
            });
            if let Some((_, at)) = off {
                cx.report(at, format!("`--{flag}` of {binary} turns {gate} off"))
                    .fix(format!("remove `{gate}=false` from `--{flag}`"));
            }
        }
        Expect::StrongCiphers => {
            for value in written {
                let weak: Vec<&str> = list_items(std::slice::from_ref(value))
                    .map(|(suite, _)| suite)
                    .filter(|suite| INSECURE_CIPHERS.contains(suite))
                    .collect();
                if !weak.is_empty() {
                    cx.report(
                        &value.at,
                        format!(
                            "`--{flag}` of {binary} allows insecure cipher suites: {}",
                            weak.join(", ")
                        ),
                    )
                    .fix("keep only ECDHE suites with AES-GCM or ChaCha20-Poly1305");
                }
            }
        }
    }
}

/// The fields most rows leave as they are.
const ROW: FlagRow = FlagRow {
    id: "",
    component: Component::ApiServer,
    flag: "",
    expect: Expect::Unset,
    unless: None,
    only_with: None,
    title: "",
    severity: Severity::Low,
    description: "",
    help: "",
    remediation: "",
    compliance: &[],
    equivalents: &[],
};

/// Every control-plane flag check, in rule order (K8S-027 onwards).
pub(crate) const ROWS: &[FlagRow] = &[
    FlagRow {
        id: "K8S-027",
        flag: "anonymous-auth",
        expect: Expect::Bool {
            want: false,
            default: true,
        },
        title: "API server accepts anonymous requests",
        severity: Severity::Medium,
        description: "Requests that no authenticator rejects are served as `system:anonymous`: \
                      any role bound to that user or to `system:unauthenticated` is open to \
                      anyone who reaches the API server.",
        help: "`--anonymous-auth` defaults to true.",
        remediation: "Add `--anonymous-auth=false` to the API server's command (health checks \
                      can use `/livez` through an authenticated probe or the kubelet).",
        compliance: &[Control::new(CIS, "1.2.1")],
        equivalents: &["checkov:CKV_K8S_68", "trivy:KCV-0001"],
        ..ROW
    },
    FlagRow {
        id: "K8S-028",
        flag: "token-auth-file",
        expect: Expect::Unset,
        title: "API server authenticates static tokens",
        severity: Severity::Medium,
        description: "Tokens in a `--token-auth-file` never expire, are stored in clear text on \
                      the control-plane nodes and can only be changed by restarting the API \
                      server.",
        help: "Static token files are a legacy authentication method.",
        remediation: "Remove `--token-auth-file`; authenticate with client certificates, \
                      service-account tokens or OIDC.",
        compliance: &[Control::new(CIS, "1.2.2")],
        equivalents: &["checkov:CKV_K8S_70", "trivy:KCV-0002"],
        ..ROW
    },
    FlagRow {
        id: "K8S-029",
        flag: "enable-admission-plugins",
        expect: Expect::Includes("DenyServiceExternalIPs"),
        title: "Services may claim external IPs",
        severity: Severity::Low,
        description: "Without the `DenyServiceExternalIPs` admission plugin, anyone who may \
                      create a Service can set `externalIPs` and intercept traffic to any \
                      address in the cluster (CVE-2020-8554).",
        help: "The plugin is not enabled by default.",
        remediation: "Add `DenyServiceExternalIPs` to `--enable-admission-plugins`.",
        compliance: &[Control::new(CIS, "1.2.3")],
        ..ROW
    },
    FlagRow {
        id: "K8S-030",
        flag: "kubelet-client-certificate",
        expect: Expect::Set(&["kubelet-client-certificate", "kubelet-client-key"]),
        title: "API server does not authenticate to kubelets",
        severity: Severity::Medium,
        description: "Without a client certificate the API server cannot authenticate to the \
                      kubelets' API, so the kubelets must accept unauthenticated requests for \
                      logs, exec and port-forward.",
        help: "Both `--kubelet-client-certificate` and `--kubelet-client-key` are needed.",
        remediation: "Add `--kubelet-client-certificate` and `--kubelet-client-key` (kubeadm: \
                      `apiserver-kubelet-client.crt` and `.key`).",
        compliance: &[Control::new(CIS, "1.2.4")],
        equivalents: &["checkov:CKV_K8S_72", "trivy:KCV-0005"],
        ..ROW
    },
    FlagRow {
        id: "K8S-031",
        flag: "kubelet-certificate-authority",
        expect: Expect::Set(&["kubelet-certificate-authority"]),
        title: "API server does not verify kubelets' certificates",
        severity: Severity::High,
        description: "Without `--kubelet-certificate-authority` the API server does not check \
                      the certificates of the kubelets it connects to: anyone on the path can \
                      impersonate a kubelet and read what `kubectl exec` and `logs` carry.",
        help: "Certificate checks are off unless a CA is given.",
        remediation: "Add `--kubelet-certificate-authority` with the CA that signs the kubelets' \
                      serving certificates.",
        compliance: &[Control::new(CIS, "1.2.5")],
        equivalents: &["checkov:CKV_K8S_73", "trivy:KCV-0006"],
        ..ROW
    },
    FlagRow {
        id: "K8S-032",
        flag: "authorization-mode",
        expect: Expect::Excludes {
            item: "AlwaysAllow",
            by_default: true,
        },
        unless: Some("authorization-config"),
        title: "API server authorizes every request",
        severity: Severity::High,
        description: "With the `AlwaysAllow` authorization mode every authenticated request is \
                      allowed: RBAC, if also listed after it, is never consulted.",
        help: "`--authorization-mode` defaults to AlwaysAllow.",
        remediation: "Set `--authorization-mode=Node,RBAC` (or use `--authorization-config`).",
        compliance: &[Control::new(CIS, "1.2.6")],
        equivalents: &["checkov:CKV_K8S_74", "trivy:KCV-0007"],
        ..ROW
    },
    FlagRow {
        id: "K8S-033",
        flag: "authorization-mode",
        expect: Expect::Includes("Node"),
        unless: Some("authorization-config"),
        title: "API server does not use the Node authorizer",
        severity: Severity::Medium,
        description: "The Node authorizer limits each kubelet to the objects of its own pods; \
                      without it a compromised node can read every secret its RBAC group may.",
        help: "The Node mode is not in the default `--authorization-mode`.",
        remediation: "Include `Node` in `--authorization-mode` (e.g. `Node,RBAC`).",
        compliance: &[Control::new(CIS, "1.2.7")],
        equivalents: &["checkov:CKV_K8S_75", "trivy:KCV-0008"],
        ..ROW
    },
    FlagRow {
        id: "K8S-034",
        flag: "authorization-mode",
        expect: Expect::Includes("RBAC"),
        unless: Some("authorization-config"),
        title: "API server does not use RBAC",
        severity: Severity::Medium,
        description: "Without the RBAC authorizer, Roles and RoleBindings have no effect and \
                      access cannot be granted per user, group or service account.",
        help: "The RBAC mode is not in the default `--authorization-mode`.",
        remediation: "Include `RBAC` in `--authorization-mode` (e.g. `Node,RBAC`).",
        compliance: &[Control::new(CIS, "1.2.8")],
        equivalents: &["checkov:CKV_K8S_77", "trivy:KCV-0009"],
        ..ROW
    },
    FlagRow {
        id: "K8S-035",
        flag: "enable-admission-plugins",
        expect: Expect::Includes("EventRateLimit"),
        title: "API server does not limit the rate of events",
        severity: Severity::Low,
        description: "Without the `EventRateLimit` admission plugin a client can flood the API \
                      server and etcd with events.",
        help: "The plugin is not enabled by default and needs a configuration file.",
        remediation: "Add `EventRateLimit` to `--enable-admission-plugins` and configure its \
                      limits in `--admission-control-config-file`.",
        compliance: &[Control::new(CIS, "1.2.9")],
        equivalents: &["trivy:KCV-0010"],
        ..ROW
    },
    FlagRow {
        id: "K8S-036",
        flag: "enable-admission-plugins",
        expect: Expect::Excludes {
            item: "AlwaysAdmit",
            by_default: false,
        },
        title: "API server enables the AlwaysAdmit plugin",
        severity: Severity::Medium,
        description: "`AlwaysAdmit` admits every request whatever the other plugins would \
                      decide; it is deprecated and has no safe use.",
        help: "The plugin is off unless listed.",
        remediation: "Remove `AlwaysAdmit` from `--enable-admission-plugins`.",
        compliance: &[Control::new(CIS, "1.2.10")],
        equivalents: &["checkov:CKV_K8S_79", "trivy:KCV-0011"],
        ..ROW
    },
    FlagRow {
        id: "K8S-037",
        flag: "enable-admission-plugins",
        expect: Expect::Includes("AlwaysPullImages"),
        title: "API server does not force image pulls",
        severity: Severity::Low,
        description: "Without `AlwaysPullImages`, a pod can run a private image that another \
                      tenant's pod pulled to the node, without the credentials to pull it.",
        help: "The plugin is not enabled by default.",
        remediation: "Add `AlwaysPullImages` to `--enable-admission-plugins` on multi-tenant \
                      clusters.",
        compliance: &[Control::new(CIS, "1.2.11")],
        equivalents: &["checkov:CKV_K8S_80", "trivy:KCV-0012"],
        ..ROW
    },
    FlagRow {
        id: "K8S-038",
        flag: "disable-admission-plugins",
        expect: Expect::Excludes {
            item: "ServiceAccount",
            by_default: false,
        },
        title: "API server disables the ServiceAccount plugin",
        severity: Severity::Medium,
        description: "The `ServiceAccount` admission plugin gives each pod a service account \
                      and its token; disabled, pods run without the identity that RBAC \
                      policies are written for.",
        help: "The plugin is on by default; `--disable-admission-plugins` turns it off.",
        remediation: "Remove `ServiceAccount` from `--disable-admission-plugins`.",
        compliance: &[Control::new(CIS, "1.2.12")],
        equivalents: &["checkov:CKV_K8S_82", "trivy:KCV-0014"],
        ..ROW
    },
    FlagRow {
        id: "K8S-039",
        flag: "disable-admission-plugins",
        expect: Expect::Excludes {
            item: "NamespaceLifecycle",
            by_default: false,
        },
        title: "API server disables the NamespaceLifecycle plugin",
        severity: Severity::Low,
        description: "Without `NamespaceLifecycle`, objects can be created in namespaces that \
                      are being deleted or do not exist, and the system namespaces can be \
                      deleted.",
        help: "The plugin is on by default; `--disable-admission-plugins` turns it off.",
        remediation: "Remove `NamespaceLifecycle` from `--disable-admission-plugins`.",
        compliance: &[Control::new(CIS, "1.2.13")],
        equivalents: &["checkov:CKV_K8S_83", "trivy:KCV-0015"],
        ..ROW
    },
    FlagRow {
        id: "K8S-040",
        flag: "enable-admission-plugins",
        expect: Expect::Includes("NodeRestriction"),
        title: "API server does not restrict what kubelets modify",
        severity: Severity::Medium,
        description: "Without `NodeRestriction` a kubelet can modify other nodes' Node objects \
                      and pods, and set the labels that steer workloads to it.",
        help: "The plugin is not enabled by default.",
        remediation: "Add `NodeRestriction` to `--enable-admission-plugins` (with the Node \
                      authorizer).",
        compliance: &[Control::new(CIS, "1.2.14")],
        equivalents: &["checkov:CKV_K8S_85", "trivy:KCV-0016"],
        ..ROW
    },
    FlagRow {
        id: "K8S-041",
        flag: "profiling",
        expect: Expect::Bool {
            want: false,
            default: true,
        },
        title: "API server exposes profiling",
        severity: Severity::Low,
        description: "Profiling endpoints (`/debug/pprof`) reveal the program's internals and \
                      can be used to load the server.",
        help: "`--profiling` defaults to true.",
        remediation: "Add `--profiling=false`.",
        compliance: &[Control::new(CIS, "1.2.15")],
        equivalents: &["checkov:CKV_K8S_90", "trivy:KCV-0018"],
        ..ROW
    },
    FlagRow {
        id: "K8S-042",
        flag: "audit-log-path",
        expect: Expect::Set(&["audit-log-path"]),
        title: "API server keeps no audit log",
        severity: Severity::Medium,
        description: "Without an audit log there is no record of who read or changed what in \
                      the cluster.",
        help: "Auditing to a file needs `--audit-log-path` (and an `--audit-policy-file`).",
        remediation: "Add `--audit-log-path` and `--audit-policy-file`, or an audit webhook.",
        compliance: &[Control::new(CIS, "1.2.16")],
        equivalents: &["checkov:CKV_K8S_91", "trivy:KCV-0019"],
        unless: Some("audit-webhook-config-file"),
        ..ROW
    },
    FlagRow {
        id: "K8S-043",
        flag: "audit-log-maxage",
        expect: Expect::AtLeast {
            min: 30,
            default: 0,
        },
        only_with: Some("audit-log-path"),
        title: "Audit log kept less than 30 days",
        severity: Severity::Low,
        description: "Old audit log files are deleted before an incident is usually found.",
        help: "Without `--audit-log-maxage`, files are not deleted by age but by \
               `--audit-log-maxbackup`; a value under 30 deletes them sooner.",
        remediation: "Set `--audit-log-maxage=30` or more (days).",
        compliance: &[Control::new(CIS, "1.2.17")],
        equivalents: &["checkov:CKV_K8S_92", "trivy:KCV-0020"],
        ..ROW
    },
    FlagRow {
        id: "K8S-044",
        flag: "audit-log-maxbackup",
        expect: Expect::AtLeast {
            min: 10,
            default: 0,
        },
        only_with: Some("audit-log-path"),
        title: "Fewer than 10 audit log files kept",
        severity: Severity::Low,
        description: "Rotated audit log files beyond `--audit-log-maxbackup` are deleted.",
        help: "The default, 0, keeps every file but leaves their number unbounded; CIS asks \
               for an explicit 10 or more.",
        remediation: "Set `--audit-log-maxbackup=10` or more.",
        compliance: &[Control::new(CIS, "1.2.18")],
        equivalents: &["checkov:CKV_K8S_93", "trivy:KCV-0021"],
        ..ROW
    },
    FlagRow {
        id: "K8S-045",
        flag: "audit-log-maxsize",
        expect: Expect::AtLeast {
            min: 100,
            default: 0,
        },
        only_with: Some("audit-log-path"),
        title: "Audit log files rotated below 100 MB",
        severity: Severity::Low,
        description: "Small audit log files rotate often, and with a bounded number of backups \
                      the record covers little time.",
        help: "`--audit-log-maxsize` is in megabytes; 0 does not rotate by size.",
        remediation: "Set `--audit-log-maxsize=100` or more.",
        compliance: &[Control::new(CIS, "1.2.19")],
        equivalents: &["checkov:CKV_K8S_94", "trivy:KCV-0022"],
        ..ROW
    },
    FlagRow {
        id: "K8S-046",
        flag: "service-account-lookup",
        expect: Expect::Bool {
            want: true,
            default: true,
        },
        title: "Tokens of deleted service accounts stay valid",
        severity: Severity::Medium,
        description: "With `--service-account-lookup=false` the API server accepts a token \
                      without checking that its service account still exists: deleting the \
                      account does not revoke it.",
        help: "The default, true, checks every token against etcd.",
        remediation: "Remove `--service-account-lookup=false`.",
        compliance: &[Control::new(CIS, "1.2.21")],
        equivalents: &["checkov:CKV_K8S_96", "trivy:KCV-0024"],
        ..ROW
    },
    FlagRow {
        id: "K8S-047",
        flag: "service-account-key-file",
        expect: Expect::Set(&["service-account-key-file"]),
        title: "Service-account signing key not given to the API server",
        severity: Severity::Low,
        description: "Without `--service-account-key-file` the API server verifies tokens with \
                      its TLS key, so the service-account keys cannot be rotated on their own.",
        help: "The flag names the public key(s) that verify service-account tokens.",
        remediation: "Add `--service-account-key-file` (kubeadm: `sa.pub`).",
        compliance: &[Control::new(CIS, "1.2.22")],
        equivalents: &["checkov:CKV_K8S_97", "trivy:KCV-0025"],
        ..ROW
    },
    FlagRow {
        id: "K8S-048",
        flag: "etcd-certfile",
        expect: Expect::Set(&["etcd-certfile", "etcd-keyfile"]),
        title: "API server does not authenticate to etcd",
        severity: Severity::Medium,
        description: "Without a client certificate the API server reaches etcd, which holds \
                      every secret, without authenticating: etcd must then accept anyone.",
        help: "Both `--etcd-certfile` and `--etcd-keyfile` are needed.",
        remediation: "Add `--etcd-certfile` and `--etcd-keyfile` (kubeadm: \
                      `apiserver-etcd-client.crt` and `.key`).",
        compliance: &[Control::new(CIS, "1.2.23")],
        equivalents: &["checkov:CKV_K8S_99", "trivy:KCV-0026"],
        ..ROW
    },
    FlagRow {
        id: "K8S-049",
        flag: "tls-cert-file",
        expect: Expect::Set(&["tls-cert-file", "tls-private-key-file"]),
        title: "API server serves a self-signed certificate",
        severity: Severity::Medium,
        description: "Without `--tls-cert-file` and `--tls-private-key-file` the API server \
                      generates a self-signed certificate that clients cannot verify.",
        help: "Both flags are needed.",
        remediation: "Add `--tls-cert-file` and `--tls-private-key-file` with a certificate \
                      signed by the cluster CA.",
        compliance: &[Control::new(CIS, "1.2.24")],
        equivalents: &["checkov:CKV_K8S_100", "trivy:KCV-0027"],
        ..ROW
    },
    FlagRow {
        id: "K8S-050",
        flag: "client-ca-file",
        expect: Expect::Set(&["client-ca-file"]),
        title: "API server does not accept client certificates",
        severity: Severity::Medium,
        description: "Without `--client-ca-file` the API server cannot authenticate clients by \
                      certificate, which kubelets and the other components rely on.",
        help: "The flag names the CA that signs client certificates.",
        remediation: "Add `--client-ca-file` (kubeadm: `ca.crt`).",
        compliance: &[Control::new(CIS, "1.2.25")],
        equivalents: &["trivy:KCV-0028"],
        ..ROW
    },
    FlagRow {
        id: "K8S-051",
        flag: "etcd-cafile",
        expect: Expect::Set(&["etcd-cafile"]),
        title: "API server does not verify etcd's certificate",
        severity: Severity::High,
        description: "Without `--etcd-cafile` the API server does not verify the etcd it talks \
                      to: anyone on the path can serve it forged objects and read every \
                      secret it writes.",
        help: "Certificate checks are off unless a CA is given.",
        remediation: "Add `--etcd-cafile` (kubeadm: `etcd/ca.crt`).",
        compliance: &[Control::new(CIS, "1.2.26")],
        equivalents: &["checkov:CKV_K8S_102", "trivy:KCV-0029"],
        ..ROW
    },
    FlagRow {
        id: "K8S-052",
        flag: "encryption-provider-config",
        expect: Expect::Set(&["encryption-provider-config"]),
        title: "Secrets stored unencrypted in etcd",
        severity: Severity::Medium,
        description: "Without an encryption configuration, Secrets are stored in etcd and in \
                      its backups as plain base64.",
        help: "Encryption at rest needs `--encryption-provider-config`.",
        remediation: "Add `--encryption-provider-config` naming an EncryptionConfiguration \
                      with a `kms` (v2), `aescbc` or `secretbox` provider for `secrets`.",
        compliance: &[Control::new(CIS, "1.2.27")],
        equivalents: &["checkov:CKV_K8S_104", "trivy:KCV-0030"],
        ..ROW
    },
    FlagRow {
        id: "K8S-053",
        flag: "tls-cipher-suites",
        expect: Expect::StrongCiphers,
        title: "API server allows insecure cipher suites",
        severity: Severity::Low,
        description: "RC4, 3DES and CBC-SHA256 suites are broken or open to timing attacks; \
                      listing them lets a client or an attacker in the middle choose them.",
        help: "Without the flag, Go's secure defaults apply.",
        remediation: "List only ECDHE suites with AES-GCM or ChaCha20-Poly1305 in \
                      `--tls-cipher-suites`, or remove the flag.",
        compliance: &[Control::new(CIS, "1.2.29")],
        equivalents: &["checkov:CKV_K8S_105"],
        ..ROW
    },
    FlagRow {
        id: "K8S-054",
        component: ControllerManager,
        flag: "terminated-pod-gc-threshold",
        expect: Expect::Set(&["terminated-pod-gc-threshold"]),
        title: "Terminated pods kept up to the default 12,500",
        severity: Severity::Low,
        description: "Terminated pods are only garbage-collected beyond \
                      `--terminated-pod-gc-threshold`; the default keeps 12,500 of them, \
                      which slows the control plane.",
        help: "Set a threshold that fits the cluster.",
        remediation: "Add `--terminated-pod-gc-threshold` with a value that fits the cluster \
                      (e.g. 1000).",
        compliance: &[Control::new(CIS, "1.3.1")],
        equivalents: &["checkov:CKV_K8S_106", "trivy:KCV-0033"],
        ..ROW
    },
    FlagRow {
        id: "K8S-055",
        component: ControllerManager,
        flag: "profiling",
        expect: Expect::Bool {
            want: false,
            default: true,
        },
        title: "Controller manager exposes profiling",
        severity: Severity::Low,
        description: "Profiling endpoints (`/debug/pprof`) reveal the program's internals.",
        help: "`--profiling` defaults to true.",
        remediation: "Add `--profiling=false`.",
        compliance: &[Control::new(CIS, "1.3.2")],
        equivalents: &["checkov:CKV_K8S_107", "trivy:KCV-0034"],
        ..ROW
    },
    FlagRow {
        id: "K8S-056",
        component: ControllerManager,
        flag: "use-service-account-credentials",
        expect: Expect::Bool {
            want: true,
            default: false,
        },
        title: "Controllers share the controller manager's credentials",
        severity: Severity::Medium,
        description: "Unless each controller uses its own service account, every controller \
                      acts with the controller manager's full rights and RBAC cannot limit \
                      one of them.",
        help: "`--use-service-account-credentials` defaults to false.",
        remediation: "Add `--use-service-account-credentials=true`.",
        compliance: &[Control::new(CIS, "1.3.3")],
        equivalents: &["checkov:CKV_K8S_108", "trivy:KCV-0035"],
        ..ROW
    },
    FlagRow {
        id: "K8S-057",
        component: ControllerManager,
        flag: "service-account-private-key-file",
        expect: Expect::Set(&["service-account-private-key-file"]),
        title: "Controller manager has no service-account signing key",
        severity: Severity::Low,
        description: "Without `--service-account-private-key-file` the controller manager \
                      cannot sign service-account tokens, and the keys cannot be rotated.",
        help: "The flag names the private key that signs service-account tokens.",
        remediation: "Add `--service-account-private-key-file` (kubeadm: `sa.key`).",
        compliance: &[Control::new(CIS, "1.3.4")],
        equivalents: &["checkov:CKV_K8S_110", "trivy:KCV-0036"],
        ..ROW
    },
    FlagRow {
        id: "K8S-058",
        component: ControllerManager,
        flag: "root-ca-file",
        expect: Expect::Set(&["root-ca-file"]),
        title: "Pods get no CA to verify the API server",
        severity: Severity::Low,
        description: "Without `--root-ca-file`, service-account token volumes carry no CA, so \
                      pods cannot verify the API server's certificate.",
        help: "The flag names the CA bundle put into every token volume.",
        remediation: "Add `--root-ca-file` (kubeadm: `ca.crt`).",
        compliance: &[Control::new(CIS, "1.3.5")],
        equivalents: &["checkov:CKV_K8S_111", "trivy:KCV-0037"],
        ..ROW
    },
    FlagRow {
        id: "K8S-059",
        component: ControllerManager,
        flag: "feature-gates",
        expect: Expect::GateOn("RotateKubeletServerCertificate"),
        title: "Kubelet serving certificates not rotated",
        severity: Severity::Low,
        description: "With `RotateKubeletServerCertificate=false` the kubelets' serving \
                      certificates are not renewed and end up expired or long-lived.",
        help: "The gate is on by default.",
        remediation: "Remove `RotateKubeletServerCertificate=false` from `--feature-gates`.",
        compliance: &[Control::new(CIS, "1.3.6")],
        equivalents: &["checkov:CKV_K8S_112", "trivy:KCV-0038"],
        ..ROW
    },
    FlagRow {
        id: "K8S-060",
        component: ControllerManager,
        flag: "bind-address",
        expect: Expect::Loopback,
        title: "Controller manager listens beyond the loopback",
        severity: Severity::Low,
        description: "The controller manager's health and metrics port needs no clients but \
                      the node's own; on every interface it is reachable from the network.",
        help: "`--bind-address` defaults to 0.0.0.0.",
        remediation: "Add `--bind-address=127.0.0.1`.",
        compliance: &[Control::new(CIS, "1.3.7")],
        equivalents: &["checkov:CKV_K8S_113", "trivy:KCV-0039"],
        ..ROW
    },
    FlagRow {
        id: "K8S-061",
        component: Scheduler,
        flag: "profiling",
        expect: Expect::Bool {
            want: false,
            default: true,
        },
        title: "Scheduler exposes profiling",
        severity: Severity::Low,
        description: "Profiling endpoints (`/debug/pprof`) reveal the program's internals.",
        help: "`--profiling` defaults to true; with `--config` the file decides (not judged).",
        remediation: "Add `--profiling=false` (or `enableProfiling: false` in the \
                      configuration file).",
        compliance: &[Control::new(CIS, "1.4.1")],
        equivalents: &["checkov:CKV_K8S_114", "trivy:KCV-0040"],
        ..ROW
    },
    FlagRow {
        id: "K8S-062",
        component: Scheduler,
        flag: "bind-address",
        expect: Expect::Loopback,
        title: "Scheduler listens beyond the loopback",
        severity: Severity::Low,
        description: "The scheduler's health and metrics port needs no clients but the node's \
                      own; on every interface it is reachable from the network.",
        help: "`--bind-address` defaults to 0.0.0.0.",
        remediation: "Add `--bind-address=127.0.0.1`.",
        compliance: &[Control::new(CIS, "1.4.2")],
        equivalents: &["checkov:CKV_K8S_115", "trivy:KCV-0041"],
        ..ROW
    },
    FlagRow {
        id: "K8S-063",
        component: Etcd,
        flag: "cert-file",
        expect: Expect::Set(&["cert-file", "key-file"]),
        title: "etcd serves clients without TLS",
        severity: Severity::Medium,
        description: "Without `--cert-file` and `--key-file` etcd serves its clients, the API \
                      server among them, in plain text: every secret crosses the network \
                      readable.",
        help: "Both flags (or `ETCD_CERT_FILE` and `ETCD_KEY_FILE`) are needed.",
        remediation: "Add `--cert-file` and `--key-file` (kubeadm: `etcd/server.crt` and \
                      `.key`).",
        compliance: &[Control::new(CIS, "2.1")],
        equivalents: &["checkov:CKV_K8S_116", "trivy:KCV-0042"],
        ..ROW
    },
    FlagRow {
        id: "K8S-064",
        component: Etcd,
        flag: "client-cert-auth",
        expect: Expect::Bool {
            want: true,
            default: false,
        },
        title: "etcd does not authenticate its clients",
        severity: Severity::High,
        description: "Without client certificate authentication anyone who reaches etcd's \
                      client port reads and writes the whole cluster state, secrets included.",
        help: "`--client-cert-auth` defaults to false.",
        remediation: "Add `--client-cert-auth=true` and `--trusted-ca-file`.",
        compliance: &[Control::new(CIS, "2.2")],
        equivalents: &["checkov:CKV_K8S_117", "trivy:KCV-0043"],
        ..ROW
    },
    FlagRow {
        id: "K8S-065",
        component: Etcd,
        flag: "auto-tls",
        expect: Expect::Bool {
            want: false,
            default: false,
        },
        title: "etcd serves clients with a self-signed certificate",
        severity: Severity::Medium,
        description: "`--auto-tls` makes etcd generate a self-signed certificate that clients \
                      cannot verify.",
        help: "`--auto-tls` defaults to false.",
        remediation: "Remove `--auto-tls=true` and give `--cert-file` and `--key-file`.",
        compliance: &[Control::new(CIS, "2.3")],
        equivalents: &["checkov:CKV_K8S_118", "trivy:KCV-0044"],
        ..ROW
    },
    FlagRow {
        id: "K8S-066",
        component: Etcd,
        flag: "peer-cert-file",
        expect: Expect::Set(&["peer-cert-file", "peer-key-file"]),
        title: "etcd members talk without TLS",
        severity: Severity::Medium,
        description: "Without `--peer-cert-file` and `--peer-key-file` etcd members replicate \
                      the cluster state to each other in plain text.",
        help: "Both flags (or `ETCD_PEER_CERT_FILE` and `ETCD_PEER_KEY_FILE`) are needed.",
        remediation: "Add `--peer-cert-file` and `--peer-key-file` (kubeadm: `etcd/peer.crt` \
                      and `.key`).",
        compliance: &[Control::new(CIS, "2.4")],
        equivalents: &["checkov:CKV_K8S_119", "trivy:KCV-0045"],
        ..ROW
    },
    FlagRow {
        id: "K8S-067",
        component: Etcd,
        flag: "peer-client-cert-auth",
        expect: Expect::Bool {
            want: true,
            default: false,
        },
        title: "etcd does not authenticate its peers",
        severity: Severity::Medium,
        description: "Without peer certificate authentication anyone who reaches the peer port \
                      can join the etcd cluster and receive its data.",
        help: "`--peer-client-cert-auth` defaults to false.",
        remediation: "Add `--peer-client-cert-auth=true` and `--peer-trusted-ca-file`.",
        compliance: &[Control::new(CIS, "2.5")],
        equivalents: &["checkov:CKV_K8S_121", "trivy:KCV-0046"],
        ..ROW
    },
    FlagRow {
        id: "K8S-068",
        component: Etcd,
        flag: "peer-auto-tls",
        expect: Expect::Bool {
            want: false,
            default: false,
        },
        title: "etcd members use self-signed certificates",
        severity: Severity::Medium,
        description: "`--peer-auto-tls` makes etcd members use self-signed certificates that \
                      their peers cannot verify.",
        help: "`--peer-auto-tls` defaults to false.",
        remediation: "Remove `--peer-auto-tls=true` and give `--peer-cert-file` and \
                      `--peer-key-file`.",
        compliance: &[Control::new(CIS, "2.6")],
        ..ROW
    },
];
