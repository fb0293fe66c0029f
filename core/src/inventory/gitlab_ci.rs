//! GitLab CI pipelines: one `gitlab-ci` resource per `.gitlab-ci.yml`.
//!
//! See `docs/kinds/gitlab-ci.md`.

use super::yaml::YamlDocument;
use crate::resource::Resource;

/// The resource kind.
pub const KIND: &str = "gitlab-ci";

/// `.gitlab-ci.yml`, `.gitlab-ci.yaml`, and `<anything>.gitlab-ci.yml`
/// (the name GitLab's `include:` templates conventionally use).
pub fn is_gitlab_ci_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".gitlab-ci.yml") || name.ends_with(".gitlab-ci.yaml")
}

/// The pipeline: the file's mapping as written, id `gitlab-ci:pipeline`.
///
/// ```
/// use rampart_core::inventory::{gitlab_ci, yaml};
/// let docs = yaml::parse_documents("build:\n  image: alpine:latest\n  script: [make]\n").unwrap();
/// let resources = gitlab_ci::resources(".gitlab-ci.yml", docs);
/// assert_eq!(resources[0].id, "gitlab-ci:pipeline");
/// assert_eq!(resources[0].spans.get("/build/image").unwrap().start_line, 2);
/// ```
pub fn resources(source: &str, documents: Vec<YamlDocument>) -> Vec<Resource> {
    documents
        .into_iter()
        .find(|d| d.value.is_object())
        .map(|YamlDocument { value, spans }| {
            Resource::new(KIND, "gitlab-ci:pipeline", source, value).with_spans(spans)
        })
        .into_iter()
        .collect()
}
