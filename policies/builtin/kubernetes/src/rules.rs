//! The rules of the `kubernetes` pack, in documentation order.

use crate::{containers, control_plane, name_of, pod_metadata, pod_spec};
use rampart_policy::helpers::{follows_latest, parse_image, secret_name};
use rampart_policy::{Context, Control, Node, Resource, Rule, Severity};

const PSS: &str = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";
const CIS: &str = "CIS-Kubernetes-1.9";
const NSA: &str = "NSA-Kubernetes-Hardening-1.2";

/// Every rule of the pack.
pub static RULES: &[Rule] = &[
    K8S_001,
    K8S_002,
    K8S_003,
    K8S_004,
    K8S_005,
    K8S_006,
    K8S_007,
    K8S_008,
    K8S_009,
    K8S_010,
    K8S_011,
    K8S_012,
    K8S_013,
    K8S_014,
    K8S_015,
    K8S_016,
    K8S_017,
    K8S_018,
    K8S_019,
    K8S_020,
    K8S_021,
    K8S_022,
    K8S_023,
    K8S_024,
    K8S_025,
    K8S_026,
    control_plane::rule::<0>(),
    control_plane::rule::<1>(),
    control_plane::rule::<2>(),
    control_plane::rule::<3>(),
    control_plane::rule::<4>(),
    control_plane::rule::<5>(),
    control_plane::rule::<6>(),
    control_plane::rule::<7>(),
    control_plane::rule::<8>(),
    control_plane::rule::<9>(),
    control_plane::rule::<10>(),
    control_plane::rule::<11>(),
    control_plane::rule::<12>(),
    control_plane::rule::<13>(),
    control_plane::rule::<14>(),
    control_plane::rule::<15>(),
    control_plane::rule::<16>(),
    control_plane::rule::<17>(),
    control_plane::rule::<18>(),
    control_plane::rule::<19>(),
    control_plane::rule::<20>(),
    control_plane::rule::<21>(),
    control_plane::rule::<22>(),
    control_plane::rule::<23>(),
    control_plane::rule::<24>(),
    control_plane::rule::<25>(),
    control_plane::rule::<26>(),
    control_plane::rule::<27>(),
    control_plane::rule::<28>(),
    control_plane::rule::<29>(),
    control_plane::rule::<30>(),
    control_plane::rule::<31>(),
    control_plane::rule::<32>(),
    control_plane::rule::<33>(),
    control_plane::rule::<34>(),
    control_plane::rule::<35>(),
    control_plane::rule::<36>(),
    control_plane::rule::<37>(),
    control_plane::rule::<38>(),
    control_plane::rule::<39>(),
    control_plane::rule::<40>(),
    control_plane::rule::<41>(),
    K8S_069,
    K8S_070,
    K8S_071,
];

pub(crate) const K8S_001: Rule = Rule {
    id: "K8S-001",
    title: "Container runs privileged",
    description: "A privileged container has all capabilities of the node and access to its \
                      devices: escaping to the node is trivial.",
    severity: Severity::High,
    help: "`securityContext.privileged: true` disables almost every isolation mechanism \
               between the container and the node.",
    help_uri: Some(PSS),
    remediation: "Remove `privileged: true`, and grant only the specific capabilities the \
                      workload needs.",
    tags: &["security", "pod-security-standards"],
    compliance: &[
        Control::new(CIS, "5.2.2"),
        Control::new("PSS-Baseline", "Privileged Containers"),
        Control::new(NSA, "Pod security"),
    ],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_16", "trivy:KSV-0017"],
    check: privileged,
};

fn privileged(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for container in containers(&pod) {
        let flag = container.get("securityContext").get("privileged");
        if flag.is_true() {
            cx.report(
                &flag,
                format!("container `{}` runs privileged", name_of(&container)),
            )
            .fix("remove `privileged: true`");
        }
    }
}

pub(crate) const K8S_002: Rule = Rule {
    id: "K8S-002",
    title: "Privilege escalation allowed",
    description: "Unless `allowPrivilegeEscalation` is false, a process in the container can \
                      gain more privileges than its parent (setuid binaries, file capabilities).",
    severity: Severity::Medium,
    help: "Kubernetes allows privilege escalation by default.",
    help_uri: Some(PSS),
    remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
    tags: &["security", "pod-security-standards"],
    compliance: &[
        Control::new(CIS, "5.2.5"),
        Control::new("PSS-Restricted", "Privilege Escalation"),
    ],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_20", "trivy:KSV-0001"],
    check: privilege_escalation,
};

fn privilege_escalation(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for container in containers(&pod) {
        let flag = container
            .get("securityContext")
            .get("allowPrivilegeEscalation");
        if flag.as_bool() != Some(false) {
            let at = flag.or(&container);
            cx.report(
                &at,
                format!(
                    "container `{}` does not set allowPrivilegeEscalation: false",
                    name_of(&container)
                ),
            )
            .fix("set `securityContext.allowPrivilegeEscalation: false`");
        }
    }
}

pub(crate) const K8S_003: Rule = Rule {
    id: "K8S-003",
    title: "Pod shares a host namespace",
    description: "`hostPID`, `hostIPC` or `hostNetwork` let the pod see and reach the node's \
                      processes, shared memory or network interfaces.",
    severity: Severity::High,
    help: "Sharing the host's namespaces removes the isolation a pod relies on.",
    help_uri: Some(PSS),
    remediation: "Remove `hostPID`, `hostIPC` and `hostNetwork`, or set them to false.",
    tags: &["security", "pod-security-standards"],
    compliance: &[
        Control::new(CIS, "5.2.3"),
        Control::new(CIS, "5.2.4"),
        Control::new(CIS, "5.2.6"),
        Control::new("PSS-Baseline", "Host Namespaces"),
    ],
    kinds: &["k8s"],
    equivalents: &[
        "checkov:CKV_K8S_17",
        "checkov:CKV_K8S_18",
        "checkov:CKV_K8S_19",
        "trivy:KSV-0008",
        "trivy:KSV-0009",
        "trivy:KSV-0010",
    ],
    check: host_namespaces,
};

fn host_namespaces(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for field in ["hostPID", "hostIPC", "hostNetwork"] {
        let flag = pod.get(field);
        if flag.is_true() {
            cx.report(&flag, format!("pod sets `{field}: true`"));
        }
    }
}

/// The container's setting, else the pod's (`securityContext.<field>`).
fn effective<'a>(pod: &Node<'a>, container: &Node<'a>, field: &'a str) -> Node<'a> {
    let own = container.get("securityContext").get(field);
    if own.exists() {
        own
    } else {
        pod.get("securityContext").get(field)
    }
}

pub(crate) const K8S_004: Rule = Rule {
    id: "K8S-004",
    title: "Container may run as root",
    description: "Neither the pod nor the container sets `runAsNonRoot: true` (or a non-zero \
                      `runAsUser`), so the image decides, and most images run as root.",
    severity: Severity::Medium,
    help: "A process running as root in a container is root on the node as soon as it escapes.",
    help_uri: Some(PSS),
    remediation: "Set `securityContext.runAsNonRoot: true` (pod or container) and run the image \
                      as a non-zero UID.",
    tags: &["security", "pod-security-standards"],
    compliance: &[
        Control::new(CIS, "5.2.7"),
        Control::new("PSS-Restricted", "Running as Non-root"),
        Control::new(NSA, "Non-root containers"),
    ],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_23", "trivy:KSV-0012", "trivy:KSV-0105"],
    check: runs_as_root,
};

fn runs_as_root(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for container in containers(&pod) {
        let user = effective(&pod, &container, "runAsUser");
        if user.as_i64() == Some(0) {
            cx.report(
                &user,
                format!("container `{}` runs as UID 0", name_of(&container)),
            )
            .fix("use a non-zero runAsUser");
            continue;
        }
        let non_root = effective(&pod, &container, "runAsNonRoot").is_true();
        if !non_root && user.as_i64().is_none_or(|uid| uid <= 0) {
            cx.report(
                &container,
                format!(
                    "container `{}` does not set runAsNonRoot: true",
                    name_of(&container)
                ),
            )
            .fix("set `securityContext.runAsNonRoot: true`");
        }
    }
}

const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

pub(crate) const K8S_005: Rule = Rule {
    id: "K8S-005",
    title: "Dangerous capability added",
    description: "The container adds a Linux capability outside the Pod Security Standards' \
                      baseline set (e.g. SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ALL).",
    severity: Severity::High,
    help: "Capabilities such as SYS_ADMIN are close to full root on the node.",
    help_uri: Some(PSS),
    remediation: "Remove the capability from `securityContext.capabilities.add`.",
    tags: &["security", "pod-security-standards"],
    compliance: &[
        Control::new(CIS, "5.2.9"),
        Control::new("PSS-Baseline", "Capabilities"),
    ],
    kinds: &["k8s"],
    equivalents: &["trivy:KSV-0022"],
    check: added_capabilities,
};

fn added_capabilities(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for container in containers(&pod) {
        for cap in container
            .get("securityContext")
            .get("capabilities")
            .get("add")
            .items()
        {
            let Some(name) = cap.as_str() else { continue };
            let bare = name.trim_start_matches("CAP_").to_ascii_uppercase();
            if !BASELINE_CAPABILITIES.contains(&bare.as_str()) {
                cx.report(
                    &cap,
                    format!("container `{}` adds capability {name}", name_of(&container)),
                );
            }
        }
    }
}

pub(crate) const K8S_006: Rule = Rule {
    id: "K8S-006",
    title: "Capabilities not dropped",
    description: "The container does not drop ALL capabilities, so it keeps the runtime's \
                      default set (including NET_RAW).",
    severity: Severity::Low,
    help: "The Restricted profile requires `drop: [\"ALL\"]`, adding back only NET_BIND_SERVICE.",
    help_uri: Some(PSS),
    remediation: "Set `securityContext.capabilities.drop: [\"ALL\"]` and add back only what is needed.",
    tags: &["security", "pod-security-standards"],
    compliance: &[
        Control::new(CIS, "5.2.8"),
        Control::new("PSS-Restricted", "Capabilities"),
    ],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_37", "trivy:KSV-0003"],
    check: capabilities_not_dropped,
};

fn capabilities_not_dropped(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for container in containers(&pod) {
        let drop = container
            .get("securityContext")
            .get("capabilities")
            .get("drop");
        let drops_all = drop
            .items()
            .any(|c| c.as_str().is_some_and(|s| s.eq_ignore_ascii_case("ALL")));
        if !drops_all {
            let at = drop.or(&container);
            cx.report(
                &at,
                format!(
                    "container `{}` does not drop ALL capabilities",
                    name_of(&container)
                ),
            )
            .fix("set `securityContext.capabilities.drop: [\"ALL\"]`");
        }
    }
}

const RUNTIME_SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
];

fn is_runtime_socket(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    RUNTIME_SOCKETS.contains(&path)
}

pub(crate) const K8S_007: Rule = Rule {
    id: "K8S-007",
    title: "hostPath volume",
    description: "A hostPath volume mounts a directory of the node into the pod: it can read \
                      the node's secrets or change its files.",
    severity: Severity::Medium,
    help: "Use persistent volumes, configMaps or emptyDir instead.",
    help_uri: Some(PSS),
    remediation: "Replace the hostPath volume.",
    tags: &["security", "pod-security-standards"],
    compliance: &[Control::new("PSS-Baseline", "HostPath Volumes")],
    kinds: &["k8s"],
    equivalents: &["trivy:KSV-0023"],
    check: host_path,
};

fn host_path(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for volume in pod.get("volumes").items() {
        let host = volume.get("hostPath");
        let path = host.get("path").as_str().unwrap_or("");
        if host.exists() && !is_runtime_socket(path) {
            let name = volume.get("name").as_str().unwrap_or("<unnamed>");
            cx.report(&host, format!("volume `{name}` mounts host path `{path}`"));
        }
    }
}

pub(crate) const K8S_008: Rule = Rule {
    id: "K8S-008",
    title: "Container runtime socket mounted",
    description: "The pod mounts the container runtime's socket (docker.sock, containerd.sock, \
                      crio.sock): whoever controls the pod controls every container on the node.",
    severity: Severity::Critical,
    help: "A runtime socket gives full control of the node's containers and, through them, \
               of the node.",
    help_uri: None,
    remediation: "Remove the volume; build images with a daemonless builder.",
    tags: &["security"],
    compliance: &[Control::new(CIS, "5.2.12")],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_27", "trivy:KSV-0006"],
    check: runtime_socket,
};

fn runtime_socket(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for volume in pod.get("volumes").items() {
        let path = volume.get("hostPath").get("path");
        if path.as_str().is_some_and(is_runtime_socket) {
            cx.report(
                &path,
                format!(
                    "volume mounts the container runtime socket `{}`",
                    path.as_str().unwrap_or("")
                ),
            );
        }
    }
}

pub(crate) const K8S_009: Rule = Rule {
    id: "K8S-009",
    title: "hostPort used",
    description: "A container port bound to a port of the node bypasses network policies and \
                      limits scheduling.",
    severity: Severity::Low,
    help: "Expose pods through a Service instead.",
    help_uri: Some(PSS),
    remediation: "Remove `hostPort` and use a Service.",
    tags: &["security", "pod-security-standards"],
    compliance: &[Control::new("PSS-Baseline", "Host Ports")],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_26", "trivy:KSV-0024"],
    check: host_port,
};

fn host_port(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for container in containers(&pod) {
        for port in container.get("ports").items() {
            let host = port.get("hostPort");
            if host.as_i64().is_some_and(|p| p > 0) {
                cx.report(
                    &host,
                    format!(
                        "container `{}` binds node port {}",
                        name_of(&container),
                        host.as_i64().unwrap_or(0)
                    ),
                );
            }
        }
    }
}

pub(crate) const K8S_010: Rule = Rule {
    id: "K8S-010",
    title: "No memory limit",
    description: "Without a memory limit one container can exhaust the node's memory and get \
                      its neighbours killed.",
    severity: Severity::Medium,
    help: "Set `resources.limits.memory` on every container.",
    help_uri: Some(
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    ),
    remediation: "Set `resources.limits.memory`.",
    tags: &["reliability", "security"],
    compliance: &[Control::new(NSA, "Resource policies")],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_13", "trivy:KSV-0018"],
    check: |resource, cx| missing_limit(resource, cx, "memory"),
};

pub(crate) const K8S_011: Rule = Rule {
    id: "K8S-011",
    title: "No CPU limit",
    description: "Without a CPU limit one container can starve the others on its node.",
    severity: Severity::Low,
    help: "Set `resources.limits.cpu` on every container.",
    help_uri: Some(
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    ),
    remediation: "Set `resources.limits.cpu`.",
    tags: &["reliability"],
    compliance: &[Control::new(NSA, "Resource policies")],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_11", "trivy:KSV-0011"],
    check: |resource, cx| missing_limit(resource, cx, "cpu"),
};

fn missing_limit(_: &Resource, cx: &mut Context<'_>, which: &str) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for container in pod.get("containers").items() {
        let resources = container.get("resources");
        if !resources.get("limits").get(which).exists() {
            let at = resources.or(&container);
            cx.report(
                &at,
                format!("container `{}` has no {which} limit", name_of(&container)),
            )
            .fix(format!("set `resources.limits.{which}`"));
        }
    }
}

fn images<'a>(pod: &Node<'a>) -> Vec<(Node<'a>, Node<'a>)> {
    containers(pod)
        .map(|c| (c.get("image"), c))
        .filter(|(image, _)| image.as_str().is_some())
        .collect()
}

pub(crate) const K8S_012: Rule = Rule {
    id: "K8S-012",
    title: "Image uses the latest tag or no tag",
    description: "`latest` (or no tag, which means latest) changes under you: deployments are \
                      not reproducible and a compromised push is picked up silently.",
    severity: Severity::Medium,
    help: "Pin a version tag, or better a digest.",
    help_uri: None,
    remediation: "Use an explicit version tag or an `@sha256:` digest.",
    tags: &["supply-chain"],
    compliance: &[],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_14", "trivy:KSV-0013"],
    check: latest_tag,
};

fn latest_tag(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for (image, container) in images(&pod) {
        let reference = image.as_str().unwrap_or("");
        if follows_latest(reference) {
            cx.report(
                &image,
                format!(
                    "container `{}` uses `{reference}`, which follows latest",
                    name_of(&container)
                ),
            );
        }
    }
}

pub(crate) const K8S_013: Rule = Rule {
    id: "K8S-013",
    title: "Image not pinned by digest",
    description: "A tag can be moved to other content; only a digest names exactly what runs.",
    severity: Severity::Low,
    help: "`image: name@sha256:…` runs the same bytes every time.",
    help_uri: None,
    remediation: "Reference the image by digest.",
    tags: &["supply-chain"],
    compliance: &[],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_43"],
    check: not_digest_pinned,
};

fn not_digest_pinned(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for (image, container) in images(&pod) {
        let reference = image.as_str().unwrap_or("");
        if parse_image(reference).2.is_none() {
            cx.report(
                &image,
                format!(
                    "container `{}` image `{reference}` is not pinned by digest",
                    name_of(&container)
                ),
            );
        }
    }
}

pub(crate) const K8S_014: Rule = Rule {
    id: "K8S-014",
    title: "Image pull policy is not Always",
    description: "With a mutable tag and `imagePullPolicy` other than Always, nodes run whatever \
                      they cached, which can differ from node to node and bypass registry checks.",
    severity: Severity::Low,
    help: "Digest-pinned images are exempt: their content cannot change.",
    help_uri: None,
    remediation: "Set `imagePullPolicy: Always` or pin the image by digest.",
    tags: &["supply-chain"],
    compliance: &[],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_15"],
    check: pull_policy,
};

fn pull_policy(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for (image, container) in images(&pod) {
        let reference = image.as_str().unwrap_or("");
        let (_, tag, digest) = parse_image(reference);
        if digest.is_some() {
            continue;
        }
        let policy = container.get("imagePullPolicy");
        let effective = policy.as_str().unwrap_or_else(|| {
            // Kubernetes' default: Always for latest or no tag, else IfNotPresent.
            if tag.is_none_or(|t| t == "latest") {
                "Always"
            } else {
                "IfNotPresent"
            }
        });
        if effective != "Always" {
            let at = policy.or(&container);
            cx.report(
                &at,
                format!(
                    "container `{}` pulls with policy {effective}",
                    name_of(&container)
                ),
            )
            .fix("set `imagePullPolicy: Always` or pin the image by digest");
        }
    }
}

pub(crate) const K8S_015: Rule = Rule {
    id: "K8S-015",
    title: "Seccomp profile not set",
    description: "Without a RuntimeDefault (or Localhost) seccomp profile the container can make \
                      every system call, including ones used in kernel exploits.",
    severity: Severity::Medium,
    help: "Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod.",
    help_uri: Some(PSS),
    remediation: "Set `seccompProfile.type: RuntimeDefault` on the pod or each container.",
    tags: &["security", "pod-security-standards"],
    compliance: &[
        Control::new(CIS, "5.7.2"),
        Control::new("PSS-Restricted", "Seccomp"),
    ],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_31", "trivy:KSV-0030", "trivy:KSV-0104"],
    check: seccomp,
};

fn seccomp(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    let pod_type = pod.get("securityContext").get("seccompProfile").get("type");
    let confined = |t: &Node<'_>| matches!(t.as_str(), Some("RuntimeDefault" | "Localhost"));
    if pod_type.as_str() == Some("Unconfined") {
        cx.report(&pod_type, "pod sets seccomp profile Unconfined");
    }
    for container in containers(&pod) {
        let own = container
            .get("securityContext")
            .get("seccompProfile")
            .get("type");
        if own.as_str() == Some("Unconfined") {
            cx.report(
                &own,
                format!(
                    "container `{}` sets seccomp profile Unconfined",
                    name_of(&container)
                ),
            );
        } else if !own.exists() && !confined(&pod_type) && pod_type.as_str() != Some("Unconfined") {
            cx.report(
                &container,
                format!("container `{}` has no seccomp profile", name_of(&container)),
            )
            .fix("set `securityContext.seccompProfile.type: RuntimeDefault` on the pod");
        }
    }
}

pub(crate) const K8S_016: Rule = Rule {
    id: "K8S-016",
    title: "Service account token mounted",
    description: "The pod does not set `automountServiceAccountToken: false`, so an API token is \
                      mounted into every container whether it talks to the API or not.",
    severity: Severity::Low,
    help: "A stolen token is a foothold in the cluster's API.",
    help_uri: None,
    remediation: "Set `automountServiceAccountToken: false` unless the pod calls the API.",
    tags: &["security"],
    compliance: &[Control::new(CIS, "5.1.6")],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_38", "trivy:KSV-0036"],
    check: service_account_token,
};

fn service_account_token(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    let flag = pod.get("automountServiceAccountToken");
    if flag.as_bool() != Some(false) {
        let at = flag.or(&pod);
        cx.report(&at, "pod mounts a service account token")
            .fix("set `automountServiceAccountToken: false`");
    }
}

pub(crate) const K8S_017: Rule = Rule {
    id: "K8S-017",
    title: "Secret in environment variable",
    description: "An environment variable whose name says it holds a secret has a literal value \
                      in the manifest, where everyone who can read the manifest sees it.",
    severity: Severity::High,
    help: "Manifests live in git, in CI logs and in `kubectl get -o yaml`.",
    help_uri: None,
    remediation: "Move the value to a Secret and use `valueFrom.secretKeyRef`.",
    tags: &["security", "secrets"],
    compliance: &[Control::new(CIS, "5.4.1")],
    kinds: &["k8s"],
    equivalents: &[],
    check: secret_env,
};

fn secret_env(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for container in containers(&pod) {
        for var in container.get("env").items() {
            let name = var.get("name").as_str().unwrap_or("");
            let value = var.get("value");
            if secret_name(name) && value.as_str().is_some_and(|v| !v.is_empty()) {
                cx.report(
                    &value,
                    format!(
                        "container `{}` sets {name} to a literal value",
                        name_of(&container)
                    ),
                )
                .fix("use `valueFrom.secretKeyRef`");
            }
        }
    }
}

pub(crate) const K8S_018: Rule = Rule {
    id: "K8S-018",
    title: "Root filesystem is writable",
    description: "Without `readOnlyRootFilesystem: true` an attacker can drop tools and change \
                      binaries inside the container.",
    severity: Severity::Low,
    help: "Mount an emptyDir where the application needs to write.",
    help_uri: None,
    remediation: "Set `securityContext.readOnlyRootFilesystem: true`.",
    tags: &["security"],
    compliance: &[Control::new(NSA, "Immutable container file systems")],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_22", "trivy:KSV-0014"],
    check: writable_root,
};

fn writable_root(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for container in pod.get("containers").items() {
        let flag = container
            .get("securityContext")
            .get("readOnlyRootFilesystem");
        if !flag.is_true() {
            let at = flag.or(&container);
            cx.report(
                &at,
                format!(
                    "container `{}` has a writable root filesystem",
                    name_of(&container)
                ),
            )
            .fix("set `securityContext.readOnlyRootFilesystem: true`");
        }
    }
}

pub(crate) const K8S_019: Rule = Rule {
    id: "K8S-019",
    title: "Unmasked /proc",
    description: "`procMount: Unmasked` exposes the node's /proc paths that the runtime normally hides.",
    severity: Severity::High,
    help: "Only the Default proc mount is allowed by the Baseline profile.",
    help_uri: Some(PSS),
    remediation: "Remove `procMount` or set it to `Default`.",
    tags: &["security", "pod-security-standards"],
    compliance: &[Control::new("PSS-Baseline", "/proc Mount Type")],
    kinds: &["k8s"],
    equivalents: &["trivy:KSV-0027"],
    check: proc_mount,
};

fn proc_mount(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for container in containers(&pod) {
        let mount = container.get("securityContext").get("procMount");
        if mount.as_str().is_some_and(|m| m != "Default") {
            cx.report(
                &mount,
                format!("container `{}` unmasks /proc", name_of(&container)),
            );
        }
    }
}

pub(crate) const K8S_020: Rule = Rule {
    id: "K8S-020",
    title: "AppArmor disabled",
    description: "The container's AppArmor profile is set to unconfined.",
    severity: Severity::Medium,
    help: "The runtime's default AppArmor profile blocks many escape techniques.",
    help_uri: Some(PSS),
    remediation: "Use `RuntimeDefault` or a `Localhost` profile.",
    tags: &["security", "pod-security-standards"],
    compliance: &[Control::new("PSS-Baseline", "AppArmor")],
    kinds: &["k8s"],
    equivalents: &["trivy:KSV-0002"],
    check: apparmor,
};

fn apparmor(resource: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    let unconfined = |n: &Node<'_>| n.as_str() == Some("Unconfined");
    let pod_profile = pod
        .get("securityContext")
        .get("appArmorProfile")
        .get("type");
    if unconfined(&pod_profile) {
        cx.report(&pod_profile, "pod runs without AppArmor");
    }
    for container in containers(&pod) {
        let profile = container
            .get("securityContext")
            .get("appArmorProfile")
            .get("type");
        if unconfined(&profile) {
            cx.report(
                &profile,
                format!("container `{}` runs without AppArmor", name_of(&container)),
            );
        }
    }
    if let Some(metadata) = pod_metadata(resource) {
        for (key, value) in metadata.get("annotations").entries() {
            if key.starts_with("container.apparmor.security.beta.kubernetes.io/")
                && value.as_str() == Some("unconfined")
            {
                let container = key.rsplit('/').next().unwrap_or("?");
                cx.report(
                    &value,
                    format!("container `{container}` runs without AppArmor"),
                );
            }
        }
    }
}

const SELINUX_TYPES: &[&str] = &[
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

pub(crate) const K8S_021: Rule = Rule {
    id: "K8S-021",
    title: "Custom SELinux options",
    description: "Setting the SELinux user, role or a type other than the container types \
                      weakens the isolation SELinux provides.",
    severity: Severity::Medium,
    help: "Allowed types: container_t, container_init_t, container_kvm_t, container_engine_t.",
    help_uri: Some(PSS),
    remediation: "Remove `seLinuxOptions.user`/`role` and use a container type.",
    tags: &["security", "pod-security-standards"],
    compliance: &[Control::new("PSS-Baseline", "SELinux")],
    kinds: &["k8s"],
    equivalents: &["trivy:KSV-0025"],
    check: selinux,
};

fn selinux(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    let mut options = vec![(
        "pod".to_owned(),
        pod.get("securityContext").get("seLinuxOptions"),
    )];
    for container in containers(&pod) {
        options.push((
            format!("container `{}`", name_of(&container)),
            container.get("securityContext").get("seLinuxOptions"),
        ));
    }
    for (owner, opts) in options {
        let selinux_type = opts.get("type");
        if selinux_type
            .as_str()
            .is_some_and(|t| !SELINUX_TYPES.contains(&t))
        {
            cx.report(
                &selinux_type,
                format!(
                    "{owner} uses SELinux type `{}`",
                    selinux_type.as_str().unwrap_or("")
                ),
            );
        }
        for field in ["user", "role"] {
            let value = opts.get(field);
            if value.exists() {
                cx.report(&value, format!("{owner} sets SELinux {field}"));
            }
        }
    }
}

const SAFE_SYSCTLS: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];

pub(crate) const K8S_022: Rule = Rule {
    id: "K8S-022",
    title: "Unsafe sysctl",
    description: "The pod sets a sysctl outside the safe, namespaced set; it can affect the \
                      whole node.",
    severity: Severity::High,
    help: "Safe sysctls: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, \
               net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, \
               net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, \
               net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes.",
    help_uri: Some(PSS),
    remediation: "Remove the sysctl or configure it on the node.",
    tags: &["security", "pod-security-standards"],
    compliance: &[Control::new("PSS-Baseline", "Sysctls")],
    kinds: &["k8s"],
    equivalents: &["trivy:KSV-0026"],
    check: unsafe_sysctls,
};

fn unsafe_sysctls(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    for sysctl in pod.get("securityContext").get("sysctls").items() {
        let name = sysctl.get("name");
        if let Some(n) = name.as_str().filter(|n| !SAFE_SYSCTLS.contains(n)) {
            cx.report(&name, format!("pod sets unsafe sysctl `{n}`"));
        }
    }
}

/// Kinds that run workloads or hold their configuration: the ones a
/// namespace choice matters for.
const NAMESPACED_WORKLOADS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Service",
    "ConfigMap",
    "Secret",
    "Ingress",
    "ServiceAccount",
];

pub(crate) const K8S_023: Rule = Rule {
    id: "K8S-023",
    title: "Object in the default namespace",
    description: "Workloads in the `default` namespace share it with everything else that forgot \
                      to choose one, which defeats namespace-scoped RBAC and network policies.",
    severity: Severity::Low,
    help: "An object without `metadata.namespace` lands in whatever namespace kubectl uses, \
               usually `default`.",
    help_uri: None,
    remediation: "Set `metadata.namespace` to a dedicated namespace.",
    tags: &["security"],
    compliance: &[Control::new(CIS, "5.7.4")],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_21"],
    check: default_namespace,
};

fn default_namespace(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    if !root
        .get("kind")
        .as_str()
        .is_some_and(|k| NAMESPACED_WORKLOADS.contains(&k))
    {
        return;
    }
    let namespace = root.get("metadata").get("namespace");
    match namespace.as_str() {
        Some("default") => {
            cx.report(&namespace, "object is in the default namespace");
        }
        None => {
            let at = root.get("metadata");
            let at = at.or(&root);
            cx.report(&at, "object sets no namespace and lands in the default one")
                .fix("set `metadata.namespace`");
        }
        Some(_) => {}
    }
}

fn is_role(resource: &Resource) -> bool {
    matches!(
        resource.root().get("kind").as_str(),
        Some("Role" | "ClusterRole")
    )
}

pub(crate) const K8S_024: Rule = Rule {
    id: "K8S-024",
    title: "RBAC rule grants wildcard access",
    description: "A Role or ClusterRole grants `*` verbs, resources or API groups: it grants \
                      everything that exists today and everything added later.",
    severity: Severity::High,
    help: "Wildcards make least privilege impossible to review.",
    help_uri: Some("https://kubernetes.io/docs/concepts/security/rbac-good-practices/"),
    remediation: "List the verbs and resources explicitly.",
    tags: &["security", "rbac"],
    compliance: &[Control::new(CIS, "5.1.3")],
    kinds: &["k8s"],
    equivalents: &["checkov:CKV_K8S_49", "trivy:KSV-0045"],
    check: rbac_wildcards,
};

fn rbac_wildcards(resource: &Resource, cx: &mut Context<'_>) {
    if !is_role(resource) {
        return;
    }
    for rule in resource.root().get("rules").items() {
        for field in ["verbs", "resources", "apiGroups"] {
            for item in rule.get(field).items() {
                if item.as_str() == Some("*") {
                    cx.report(&item, format!("rule grants `*` {field}"));
                }
            }
        }
    }
}

pub(crate) const K8S_025: Rule = Rule {
    id: "K8S-025",
    title: "Binding to cluster-admin",
    description: "A RoleBinding or ClusterRoleBinding grants the cluster-admin role.",
    severity: Severity::High,
    help: "cluster-admin is full control of the cluster; it should be bound only to break-glass \
               accounts.",
    help_uri: Some("https://kubernetes.io/docs/concepts/security/rbac-good-practices/"),
    remediation: "Bind a role with only the permissions needed.",
    tags: &["security", "rbac"],
    compliance: &[Control::new(CIS, "5.1.1")],
    kinds: &["k8s"],
    equivalents: &["trivy:KSV-0111"],
    check: cluster_admin_binding,
};

fn cluster_admin_binding(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    if !matches!(
        root.get("kind").as_str(),
        Some("RoleBinding" | "ClusterRoleBinding")
    ) {
        return;
    }
    let role = root.get("roleRef").get("name");
    if role.as_str() == Some("cluster-admin") {
        cx.report(&role, "binding grants cluster-admin");
    }
}

pub(crate) const K8S_026: Rule = Rule {
    id: "K8S-026",
    title: "RBAC rule grants access to secrets",
    description: "A Role or ClusterRole can get, list or watch Secrets: every credential in its \
                      scope.",
    severity: Severity::Medium,
    help: "`list` and `watch` on secrets return their contents, not just names.",
    help_uri: Some("https://kubernetes.io/docs/concepts/security/rbac-good-practices/"),
    remediation: "Remove secrets from the rule, or restrict it with `resourceNames`.",
    tags: &["security", "rbac"],
    compliance: &[Control::new(CIS, "5.1.2")],
    kinds: &["k8s"],
    equivalents: &["trivy:KSV-0041", "trivy:KSV-0113"],
    check: rbac_secrets,
};

fn rbac_secrets(resource: &Resource, cx: &mut Context<'_>) {
    if !is_role(resource) {
        return;
    }
    for rule in resource.root().get("rules").items() {
        let secrets = rule
            .get("resources")
            .items()
            .find(|r| r.as_str() == Some("secrets"));
        let reads = rule
            .get("verbs")
            .items()
            .any(|v| matches!(v.as_str(), Some("get" | "list" | "watch")));
        if let Some(secrets) = secrets
            && reads
            && !rule.get("resourceNames").exists()
        {
            cx.report(&secrets, "rule can read secrets");
        }
    }
}

pub(crate) const K8S_069: Rule = Rule {
    id: "K8S-069",
    title: "Service claims external IPs",
    description: "A Service with `externalIPs` makes every node route traffic for those \
                      addresses to it: whoever may create Services can intercept traffic to \
                      any address (CVE-2020-8554).",
    severity: Severity::Medium,
    help: "The addresses are not checked against anything; the DenyServiceExternalIPs \
               admission plugin (K8S-029) refuses them.",
    help_uri: Some("https://github.com/kubernetes/kubernetes/issues/97076"),
    remediation: "Use a LoadBalancer or an Ingress instead of `externalIPs`.",
    tags: &["security", "network"],
    compliance: &[],
    kinds: &["k8s"],
    equivalents: &[],
    check: external_ips,
};

fn external_ips(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    if root.get("kind").as_str() != Some("Service") {
        return;
    }
    let ips = root.get("spec").get("externalIPs");
    if ips.items().next().is_some() {
        let name = root
            .get("metadata")
            .get("name")
            .as_str()
            .unwrap_or("<unnamed>");
        cx.report(&ips, format!("Service `{name}` claims external IPs"))
            .fix("remove `externalIPs`");
    }
}

pub(crate) const K8S_070: Rule = Rule {
    id: "K8S-070",
    title: "Containers share a process namespace",
    description: "With `shareProcessNamespace: true` every container of the pod sees the \
                      others' processes, and through `/proc/<pid>/root` their files and \
                      secrets.",
    severity: Severity::Low,
    help: "A compromised sidecar then reads the main container's credentials.",
    help_uri: Some(
        "https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/",
    ),
    remediation: "Remove `shareProcessNamespace: true`, or keep it to debugging pods.",
    tags: &["security"],
    compliance: &[],
    kinds: &["k8s"],
    equivalents: &[],
    check: shared_process_namespace,
};

fn shared_process_namespace(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    let flag = pod.get("shareProcessNamespace");
    if flag.is_true() {
        cx.report(&flag, "the pod's containers share one process namespace");
    }
}

pub(crate) const K8S_071: Rule = Rule {
    id: "K8S-071",
    title: "Windows HostProcess container",
    description: "A HostProcess container runs directly on the Windows node, with the node's \
                      network and file system, as a node account.",
    severity: Severity::High,
    help: "It is the Windows counterpart of a privileged container with host namespaces.",
    help_uri: Some(PSS),
    remediation: "Remove `windowsOptions.hostProcess: true` (and `hostNetwork`) unless the \
                      workload is node administration.",
    tags: &["security", "pod-security-standards"],
    compliance: &[Control::new("PSS-Baseline", "HostProcess")],
    kinds: &["k8s"],
    equivalents: &["trivy:KSV-0103"],
    check: host_process,
};

fn host_process(_: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = cx.memo(pod_spec) else {
        return;
    };
    let pod_flag = pod
        .get("securityContext")
        .get("windowsOptions")
        .get("hostProcess");
    if pod_flag.is_true() {
        cx.report(&pod_flag, "the pod runs as Windows HostProcess containers");
    }
    for container in containers(&pod) {
        let flag = container
            .get("securityContext")
            .get("windowsOptions")
            .get("hostProcess");
        if flag.is_true() {
            cx.report(
                &flag,
                format!(
                    "container `{}` is a Windows HostProcess container",
                    name_of(&container)
                ),
            );
        }
    }
}
