//! Built-in pack `kubernetes`: security of Kubernetes workloads.
//!
//! Rules read `k8s` resources: one Kubernetes object each, its document the
//! object as written. [`pod_specs`] finds the pod template of every workload
//! kind so that each rule is written once for all of them.

use rampart_policy::{Context, Control, Node, Pack, Resource, Rule, Severity};

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "kubernetes",
    version: env!("CARGO_PKG_VERSION"),
    description: "Security of Kubernetes workloads: privileges, isolation from the node, \
                  and what the Pod Security Standards forbid.",
    rules: &[
        Rule {
            id: "K8S-001",
            title: "Container runs privileged",
            description: "A privileged container has all capabilities of the node and access \
                          to its devices: escaping to the node is trivial.",
            severity: Severity::High,
            help: "`securityContext.privileged: true` disables almost every isolation \
                   mechanism between the container and the node.",
            help_uri: Some("https://kubernetes.io/docs/concepts/security/pod-security-standards/"),
            remediation: "Remove `privileged: true`, and grant only the specific capabilities \
                          the workload needs.",
            tags: &["security", "pod-security-standards"],
            compliance: &[
                Control::new("CIS-Kubernetes-1.9", "5.2.2"),
                Control::new("PSS-Baseline", "Privileged Containers"),
            ],
            kinds: &["k8s"],
            check: privileged,
        },
        Rule {
            id: "K8S-002",
            title: "Privilege escalation allowed",
            description: "Unless `allowPrivilegeEscalation` is false, a process in the container \
                          can gain more privileges than its parent (setuid binaries).",
            severity: Severity::Medium,
            help: "Kubernetes allows privilege escalation by default.",
            help_uri: Some("https://kubernetes.io/docs/concepts/security/pod-security-standards/"),
            remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
            tags: &["security", "pod-security-standards"],
            compliance: &[
                Control::new("CIS-Kubernetes-1.9", "5.2.5"),
                Control::new("PSS-Restricted", "Privilege Escalation"),
            ],
            kinds: &["k8s"],
            check: privilege_escalation,
        },
        Rule {
            id: "K8S-003",
            title: "Pod shares a host namespace",
            description: "`hostPID`, `hostIPC` or `hostNetwork` let the pod see and reach the \
                          node's processes, shared memory or network interfaces.",
            severity: Severity::High,
            help: "Sharing the host's namespaces removes the isolation a pod relies on.",
            help_uri: Some("https://kubernetes.io/docs/concepts/security/pod-security-standards/"),
            remediation: "Remove `hostPID`, `hostIPC` and `hostNetwork`, or set them to false.",
            tags: &["security", "pod-security-standards"],
            compliance: &[
                Control::new("CIS-Kubernetes-1.9", "5.2.3"),
                Control::new("CIS-Kubernetes-1.9", "5.2.4"),
                Control::new("PSS-Baseline", "Host Namespaces"),
            ],
            kinds: &["k8s"],
            check: host_namespaces,
        },
    ],
};

rampart_policy::export_pack!(PACK);

/// The pod spec of a Pod, of a workload's pod template, or of a CronJob's
/// job template; `None` for objects that run no pods.
pub fn pod_specs(resource: &Resource) -> Option<Node<'_>> {
    let root = resource.root();
    let spec = match root.get("kind").as_str()? {
        "Pod" => root.get("spec"),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => root.get("spec").get("template").get("spec"),
        "CronJob" => root
            .get("spec")
            .get("jobTemplate")
            .get("spec")
            .get("template")
            .get("spec"),
        _ => return None,
    };
    spec.is_object().then_some(spec)
}

/// Every container of a pod spec: init, regular and ephemeral.
pub fn containers<'a>(pod: &Node<'a>) -> Vec<Node<'a>> {
    ["initContainers", "containers", "ephemeralContainers"]
        .into_iter()
        .flat_map(|field| pod.get(field).items().collect::<Vec<_>>())
        .collect()
}

fn name_of(container: &Node<'_>) -> String {
    container
        .get("name")
        .as_str()
        .unwrap_or("<unnamed>")
        .to_owned()
}

fn privileged(resource: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = pod_specs(resource) else {
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

fn privilege_escalation(resource: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = pod_specs(resource) else {
        return;
    };
    for container in containers(&pod) {
        let flag = container
            .get("securityContext")
            .get("allowPrivilegeEscalation");
        if flag.as_bool() != Some(false) {
            let at = if flag.exists() {
                flag.clone()
            } else {
                container.clone()
            };
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

fn host_namespaces(resource: &Resource, cx: &mut Context<'_>) {
    let Some(pod) = pod_specs(resource) else {
        return;
    };
    for field in ["hostPID", "hostIPC", "hostNetwork"] {
        let flag = pod.get(field);
        if flag.is_true() {
            cx.report(&flag, format!("pod sets `{field}: true`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_policy::testing::evaluate;

    fn run(document: &str) -> Vec<(String, String)> {
        let resource = Resource::new("k8s:test", "k8s", document).unwrap();
        evaluate(&PACK, &[resource])
            .unwrap()
            .into_iter()
            .map(|f| (f.rule_id, f.pointer))
            .collect()
    }

    #[test]
    fn flags_privileged_deployment_container() {
        let found = run(
            r#"{"kind": "Deployment", "spec": {"template": {"spec": {"containers": [
            {"name": "a", "securityContext": {"privileged": true, "allowPrivilegeEscalation": false}}]}}}}"#,
        );
        assert_eq!(
            found,
            [(
                "K8S-001".to_owned(),
                "/spec/template/spec/containers/0/securityContext/privileged".to_owned()
            )]
        );
    }

    #[test]
    fn hardened_pod_is_clean() {
        let found = run(
            r#"{"kind": "Pod", "spec": {"hostNetwork": false, "containers": [
            {"name": "a", "securityContext": {"privileged": false, "allowPrivilegeEscalation": false}}]}}"#,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn cronjob_pod_template_is_reached() {
        let found = run(
            r#"{"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
            "hostPID": true, "initContainers": [{"name": "i"}]}}}}}}"#,
        );
        assert_eq!(
            found,
            [
                (
                    "K8S-002".to_owned(),
                    "/spec/jobTemplate/spec/template/spec/initContainers/0".to_owned()
                ),
                (
                    "K8S-003".to_owned(),
                    "/spec/jobTemplate/spec/template/spec/hostPID".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn objects_without_pods_are_ignored() {
        assert!(run(r#"{"kind": "ConfigMap", "data": {"hostPID": "true"}}"#).is_empty());
    }
}
