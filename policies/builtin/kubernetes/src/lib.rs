//! Built-in pack `kubernetes`: security of Kubernetes workloads and RBAC,
//! and the control plane's command lines ([`control_plane`]).
//!
//! Rules read `k8s` resources: one Kubernetes object each, its document the
//! object as written (`docs/kinds/k8s.md`). [`pod_spec`] finds the pod
//! template of every workload kind so that each rule is written once for
//! all of them; [`containers`] yields init, regular and ephemeral
//! containers alike.
//!
//! Fixtures live in `fixtures/<RULE-ID>/`: `positive.yaml` marks each line
//! that must be reported with `# expect: <RULE-ID>`, `negative.yaml` must
//! yield no finding of the rule. `tests/tests/rules.rs` runs them all.

mod control_plane;
mod rules;

use rampart_policy::{Node, Pack, Resource};

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "kubernetes",
    version: env!("CARGO_PKG_VERSION"),
    description: "Security of Kubernetes workloads and RBAC: privileges, isolation from the node, \
                  resource limits, images, secrets, and what the Pod Security Standards forbid; \
                  and the control plane's flags (API server, controller manager, scheduler, \
                  etcd) that the CIS Kubernetes Benchmark checks in their static pods.",
    rules: rules::RULES,
};

rampart_policy::export_pack!(PACK);

/// The object that describes a workload's pods: the Pod itself, a
/// workload's `spec.template`, or a CronJob's job template's template.
/// `None` for objects that run no pods.
pub fn pod_template(resource: &Resource) -> Option<Node<'_>> {
    let root = resource.root();
    match root.get("kind").as_str()? {
        "Pod" => Some(root),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => Some(root.get("spec").get("template")),
        "CronJob" => Some(
            root.get("spec")
                .get("jobTemplate")
                .get("spec")
                .get("template"),
        ),
        _ => None,
    }
}

/// The pod spec of a Pod, of a workload's pod template, or of a CronJob's
/// job template; `None` for objects that run no pods.
pub fn pod_spec(resource: &Resource) -> Option<Node<'_>> {
    let spec = pod_template(resource)?.get("spec");
    spec.is_object().then_some(spec)
}

/// The metadata of the pods a workload runs (for annotations).
pub fn pod_metadata(resource: &Resource) -> Option<Node<'_>> {
    Some(pod_template(resource)?.get("metadata"))
}

/// Every container of a pod spec: init, regular and ephemeral, in that
/// order. Most rules call it for every workload: one pass over the pod
/// spec's members finds the three lists (three lookups would each scan
/// them, two of them in vain for most pods).
pub fn containers<'a>(pod: &Node<'a>) -> impl Iterator<Item = Node<'a>> + use<'a> {
    let mut lists: [Option<Node<'a>>; 3] = [None, None, None];
    for (field, list) in pod.entries() {
        let slot = match field {
            "initContainers" => 0,
            "containers" => 1,
            "ephemeralContainers" => 2,
            _ => continue,
        };
        // A repeated key: the first, as `Node::get` finds it.
        lists[slot].get_or_insert(list);
    }
    lists.into_iter().flatten().flat_map(|list| list.items())
}

/// A container's name, for messages.
pub fn name_of(container: &Node<'_>) -> String {
    container
        .get("name")
        .as_str()
        .unwrap_or("<unnamed>")
        .to_owned()
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
    fn cronjob_pod_template_is_reached() {
        let found = run(
            r#"{"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
            "hostPID": true, "initContainers": [{"name": "i"}]}}}}}}"#,
        );
        assert!(found.contains(&(
            "K8S-003".to_owned(),
            "/spec/jobTemplate/spec/template/spec/hostPID".to_owned()
        )));
        assert!(found.contains(&(
            "K8S-002".to_owned(),
            "/spec/jobTemplate/spec/template/spec/initContainers/0".to_owned()
        )));
    }

    #[test]
    fn objects_without_pods_are_ignored_by_pod_rules() {
        let found = run(
            r#"{"kind": "ConfigMap", "metadata": {"namespace": "x"}, "data": {"hostPID": "true"}}"#,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn rule_ids_are_unique_and_documented() {
        let mut ids: Vec<&str> = PACK.rules.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), PACK.rules.len());
        assert!(PACK.rules.len() >= 20);
        for rule in PACK.rules {
            assert!(
                !rule.description.is_empty() && !rule.remediation.is_empty(),
                "{}",
                rule.id
            );
        }
    }
}
