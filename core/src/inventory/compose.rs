//! Docker Compose files: one `compose` resource per service.
//!
//! A Compose file is found by name (`compose.yaml`, `docker-compose.yml`,
//! `docker-compose.prod.yml` …) or, under any other YAML name, by content:
//! only Compose's own top-level keys, and `services` whose every entry has
//! an `image` or a `build`. See `docs/kinds/compose.md`.

use super::yaml::YamlDocument;
use crate::resource::{Resource, escape_pointer_token};
use serde_json::Value;

/// The resource kind.
pub const KIND: &str = "compose";

/// Top-level keys of the Compose specification.
const TOP_LEVEL_KEYS: &[&str] = &[
    "configs", "include", "name", "networks", "secrets", "services", "version", "volumes",
];

/// `compose.yaml`, `compose.override.yml`, `docker-compose.yml`,
/// `docker-compose.prod.yaml` ….
pub fn is_compose_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let Some(stem) = name
        .strip_suffix(".yml")
        .or_else(|| name.strip_suffix(".yaml"))
    else {
        return false;
    };
    ["compose", "docker-compose"]
        .iter()
        .any(|base| stem == *base || stem.starts_with(&format!("{base}.")))
}

/// Whether a file with this name and these documents is a Compose file.
pub fn detect(file_name: &str, documents: &[YamlDocument]) -> bool {
    let [document] = documents else {
        return false;
    };
    let Some(top) = document.value.as_object() else {
        return false;
    };
    let Some(services) = top.get("services").and_then(Value::as_object) else {
        return false;
    };
    if is_compose_name(file_name) {
        return true;
    }
    // Any other YAML file must look like Compose and nothing else.
    !services.is_empty()
        && top
            .keys()
            .all(|k| TOP_LEVEL_KEYS.contains(&k.as_str()) || k.starts_with("x-"))
        && services.values().all(|service| {
            service
                .as_object()
                .is_some_and(|s| s.contains_key("image") || s.contains_key("build"))
        })
}

/// One resource per service: the service's mapping as written, with id
/// `compose:service/<name>`.
///
/// ```
/// use rampart_core::inventory::{compose, yaml};
/// let docs = yaml::parse_documents("services:\n  web:\n    image: nginx\n    privileged: true\n").unwrap();
/// let resources = compose::resources("compose.yaml", docs);
/// assert_eq!(resources[0].id, "compose:service/web");
/// assert_eq!(resources[0].document["privileged"], true);
/// assert_eq!(resources[0].spans.get("/privileged").unwrap().start_line, 4);
/// ```
pub fn resources(source: &str, documents: Vec<YamlDocument>) -> Vec<Resource> {
    let Some(YamlDocument { value, spans }) = documents.into_iter().next() else {
        return Vec::new();
    };
    let Value::Object(mut top) = value else {
        return Vec::new();
    };
    let Some(Value::Object(services)) = top.remove("services") else {
        return Vec::new();
    };
    services
        .into_iter()
        .map(|(name, service)| {
            let spans = spans.subtree(&format!("/services/{}", escape_pointer_token(&name)));
            Resource::new(KIND, format!("compose:service/{name}"), source, service)
                .with_spans(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::yaml::parse_documents;

    #[test]
    fn names() {
        for name in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.prod.yaml",
            "compose.override.yml",
        ] {
            assert!(is_compose_name(name), "{name}");
        }
        for name in [
            "composer.yaml",
            "docker-compose",
            "my-compose.yml",
            "compose.json",
        ] {
            assert!(!is_compose_name(name), "{name}");
        }
    }

    #[test]
    fn content_detection_is_strict() {
        let detect_text = |name: &str, text: &str| detect(name, &parse_documents(text).unwrap());
        let compose = "services:\n  web:\n    image: nginx\n";
        assert!(detect_text("compose.yaml", compose));
        assert!(detect_text("stack.yml", compose));
        assert!(detect_text(
            "stack.yml",
            "x-common: &c {}\nservices:\n  a: {build: .}\n"
        ));
        // Kubernetes, and other YAML with a `services` key, are not Compose.
        assert!(!detect_text(
            "stack.yml",
            "apiVersion: v1\nkind: List\nservices:\n  a: {image: x}\n"
        ));
        assert!(!detect_text("stack.yml", "services:\n  a: {port: 80}\n"));
        assert!(!detect_text("compose.yaml", "services: [a, b]\n"));
    }
}
