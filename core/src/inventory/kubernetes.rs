//! Kubernetes manifests: one `k8s` resource per object.
//!
//! A manifest file is a YAML stream (or a JSON document) of objects; an
//! object is a mapping with string `apiVersion` and `kind`. `…List` kinds
//! (`List`, `DeploymentList` …) contribute each of their `items`. The
//! resource document is the object exactly as written; see
//! `docs/kinds/k8s.md`.

use super::yaml::YamlDocument;
use crate::resource::{Resource, SpanIndex};
use serde_json::Value;
use std::collections::BTreeMap;

/// The resource kind.
pub const KIND: &str = "k8s";

/// Kinds that live outside namespaces: their ids carry no namespace.
const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
];

/// Whether a parsed document is a Kubernetes object (or a list of them).
pub fn is_object(value: &Value) -> bool {
    value.get("apiVersion").is_some_and(Value::is_string)
        && value.get("kind").is_some_and(Value::is_string)
}

/// The `k8s` resources of a file's documents.
///
/// ```
/// use rampart_core::inventory::{kubernetes, yaml};
/// let docs = yaml::parse_documents("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n").unwrap();
/// let resources = kubernetes::resources("deploy/web.yaml", docs);
/// assert_eq!(resources[0].id, "k8s:Pod/default/web");
/// assert_eq!(resources[0].spans.get("/metadata/name").unwrap().start_line, 4);
/// ```
pub fn resources(source: &str, documents: Vec<YamlDocument>) -> Vec<Resource> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (index, doc) in documents.into_iter().enumerate() {
        if !is_object(&doc.value) {
            continue;
        }
        let is_list = doc.value["kind"]
            .as_str()
            .is_some_and(|k| k.ends_with("List"))
            && doc.value.get("items").is_some_and(Value::is_array);
        let objects: Vec<(Value, SpanIndex)> = if is_list {
            let YamlDocument { value, spans } = doc;
            let Value::Object(mut map) = value else {
                continue;
            };
            let items = match map.remove("items") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            };
            items
                .into_iter()
                .enumerate()
                .filter(|(_, item)| is_object(item))
                .map(|(i, item)| (item, spans.subtree(&format!("/items/{i}"))))
                .collect()
        } else {
            vec![(doc.value, doc.spans)]
        };
        for (object, spans) in objects {
            let mut id = object_id(&object, index);
            let count = seen.entry(id.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                id = format!("{id}#{count}");
            }
            out.push(Resource::new(KIND, id, source, object).with_spans(spans));
        }
    }
    out
}

/// `k8s:<Kind>/<namespace>/<name>`, or `k8s:<Kind>/<name>` for
/// cluster-scoped kinds. Objects without a name use `generateName` or their
/// position in the file.
fn object_id(object: &Value, index: usize) -> String {
    let kind = object["kind"].as_str().unwrap_or("Unknown");
    let metadata = &object["metadata"];
    let name = metadata["name"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| metadata["generateName"].as_str().map(|g| format!("{g}*")))
        .unwrap_or_else(|| format!("<document {}>", index + 1));
    if CLUSTER_SCOPED.contains(&kind) {
        format!("k8s:{kind}/{name}")
    } else {
        let namespace = metadata["namespace"].as_str().unwrap_or("default");
        format!("k8s:{kind}/{namespace}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::yaml::parse_documents;

    fn ids(text: &str) -> Vec<String> {
        resources("x.yaml", parse_documents(text).unwrap())
            .into_iter()
            .map(|r| r.id)
            .collect()
    }

    #[test]
    fn one_resource_per_object_across_documents() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n---\n\
                    apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n# empty\n---\nfoo: bar\n";
        assert_eq!(ids(text), ["k8s:Deployment/shop/web", "k8s:Namespace/shop"]);
    }

    #[test]
    fn lists_contribute_their_items_with_rerooted_spans() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n\
                    - apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n";
        let found = resources("x.yaml", parse_documents(text).unwrap());
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].id, "k8s:Pod/default/b");
        assert_eq!(found[1].spans.get("/metadata/name").unwrap().start_line, 11);
        assert_eq!(found[1].spans.get("").unwrap().start_line, 8);
    }

    #[test]
    fn duplicate_ids_in_a_file_are_made_unique() {
        let text = "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Pod\n";
        assert_eq!(
            ids(text),
            [
                "k8s:Pod/default/<document 1>",
                "k8s:Pod/default/<document 2>"
            ]
        );
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n";
        assert_eq!(ids(text), ["k8s:Pod/default/a", "k8s:Pod/default/a#2"]);
    }

    #[test]
    fn json_manifests_are_objects_too() {
        assert_eq!(
            ids(r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}}"#),
            ["k8s:Pod/default/j"]
        );
    }
}
