//! Workloads and their PodDisruptionBudgets: the example pack written three
//! times (Rust, Python, JavaScript) to show that the languages give the same
//! findings. Both rules look at several resources of one file at once.

use rampart_policy::{Context, Node, Pack, Resource, Rule, Severity, Value};

/// The workload kinds whose pods a PodDisruptionBudget protects.
const WORKLOADS: [&str; 2] = ["Deployment", "StatefulSet"];

fn kind(resource: &Resource) -> &str {
    resource.root().get("kind").as_str().unwrap_or("")
}

fn name(resource: &Resource) -> &str {
    resource
        .root()
        .at_pointer("/metadata/name")
        .as_str()
        .unwrap_or("?")
}

/// The namespace, `default` when the manifest names none.
fn namespace(resource: &Resource) -> &str {
    resource
        .root()
        .at_pointer("/metadata/namespace")
        .as_str()
        .unwrap_or("default")
}

/// `spec.replicas`, 1 when unset (the API server's default).
fn replicas(resource: &Resource) -> i64 {
    resource
        .root()
        .at_pointer("/spec/replicas")
        .as_i64()
        .unwrap_or(1)
}

/// Whether a label selector selects pods labelled `labels`, with the
/// semantics of `policy/v1`: no selector selects nothing, `{}` everything.
fn selects(selector: Node<'_>, labels: Node<'_>) -> bool {
    if !selector.is_object() {
        return false;
    }
    let label = |key: &str| labels.get(key).as_str().map(str::to_owned);
    let match_labels = selector
        .get("matchLabels")
        .entries()
        .all(|(key, value)| value.as_str().is_some() && label(key).as_deref() == value.as_str());
    let match_expressions = selector.get("matchExpressions").items().all(|expr| {
        let key = expr.get("key").as_str().unwrap_or("");
        let values: Vec<&str> = expr
            .get("values")
            .items()
            .filter_map(|v| v.as_str())
            .collect();
        let actual = label(key);
        match expr.get("operator").as_str() {
            Some("In") => actual.is_some_and(|v| values.contains(&v.as_str())),
            Some("NotIn") => !actual.is_some_and(|v| values.contains(&v.as_str())),
            Some("Exists") => actual.is_some(),
            Some("DoesNotExist") => actual.is_none(),
            _ => false,
        }
    });
    match_labels && match_expressions
}

/// Whether `pdb` protects the pods of `workload`.
fn protects(pdb: &Resource, workload: &Resource) -> bool {
    kind(pdb) == "PodDisruptionBudget"
        && namespace(pdb) == namespace(workload)
        && selects(
            pdb.root().at_pointer("/spec/selector"),
            workload.root().at_pointer("/spec/template/metadata/labels"),
        )
}

/// EX-PDB-001: a replicated workload has a PodDisruptionBudget in its file.
fn workload_without_pdb(resource: &Resource, cx: &mut Context) {
    if !WORKLOADS.contains(&kind(resource)) || replicas(resource) < 2 {
        return;
    }
    if cx.batch().iter().any(|pdb| protects(pdb, resource)) {
        return;
    }
    let message = format!(
        "{} `{}` runs {} replicas and no PodDisruptionBudget in this file selects its pods: a node drain can evict them all at once",
        kind(resource),
        name(resource),
        replicas(resource)
    );
    cx.report_at_pointer("/spec/replicas", message).fix(
        "add a PodDisruptionBudget whose selector matches the pod template's labels, with `maxUnavailable: 1`",
    );
}

/// A `minAvailable` / `maxUnavailable` value as written: `3` or `"50%"`.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// EX-PDB-002: a PodDisruptionBudget leaves room for at least one eviction.
fn pdb_blocks_eviction(resource: &Resource, cx: &mut Context) {
    if kind(resource) != "PodDisruptionBudget" {
        return;
    }
    let spec = resource.root().get("spec");
    let fix =
        "allow one disruption: `maxUnavailable: 1`, or a `minAvailable` below the replica count";
    let max_unavailable = spec.get("maxUnavailable");
    if let Some(value) = max_unavailable.to_value() {
        if matches!(shown(&value).as_str(), "0" | "0%") {
            let message = format!(
                "PodDisruptionBudget `{}` allows no voluntary eviction (`maxUnavailable: {}`): node drains will hang",
                name(resource),
                shown(&value)
            );
            cx.report(&max_unavailable, message).fix(fix);
        }
        return;
    }
    let min_available = spec.get("minAvailable");
    let Some(value) = min_available.to_value() else {
        return;
    };
    if shown(&value) == "100%" {
        let message = format!(
            "PodDisruptionBudget `{}` allows no voluntary eviction (`minAvailable: 100%`): node drains will hang",
            name(resource)
        );
        cx.report(&min_available, message).fix(fix);
        return;
    }
    let Some(minimum) = value.as_i64() else {
        return;
    };
    let blocked = cx.batch().iter().find(|workload| {
        WORKLOADS.contains(&kind(workload))
            && protects(resource, workload)
            && replicas(workload) <= minimum
    });
    if let Some(workload) = blocked {
        let message = format!(
            "PodDisruptionBudget `{}` requires {} available pods but {} `{}` runs {} replicas: node drains will hang",
            name(resource),
            minimum,
            kind(workload),
            name(workload),
            replicas(workload)
        );
        cx.report(&min_available, message).fix(fix);
    }
}

/// The pack. The Python and JavaScript versions declare the same metadata.
pub static PACK: Pack = Pack {
    name: "pdb-example",
    version: "0.1.0",
    description: "Workloads and their PodDisruptionBudgets (the rampart example pack).",
    rules: &[
        Rule {
            id: "EX-PDB-001",
            title: "Replicated workload without a PodDisruptionBudget",
            description: "A Deployment or StatefulSet with two or more replicas and no \
                          PodDisruptionBudget selecting its pods in the same file: a node drain \
                          or cluster upgrade may evict every replica at once.",
            severity: Severity::Medium,
            remediation: "Add a PodDisruptionBudget in the same namespace whose selector \
                          matches the pod template's labels.",
            tags: &["availability", "example"],
            kinds: &["k8s"],
            check: workload_without_pdb,
            ..Rule::DEFAULT
        },
        Rule {
            id: "EX-PDB-002",
            title: "PodDisruptionBudget blocks every eviction",
            description: "`maxUnavailable: 0`, `minAvailable: 100%`, or a `minAvailable` at least \
                          the replica count of the workload it selects: no pod may ever be \
                          evicted, so node drains never finish.",
            severity: Severity::Medium,
            remediation: "Allow at least one disruption.",
            tags: &["availability", "example"],
            kinds: &["k8s"],
            check: pdb_blocks_eviction,
            ..Rule::DEFAULT
        },
    ],
};

rampart_policy::export_pack!(PACK);
