//! GitHub Actions: one `github-actions` resource per workflow
//! (`.github/workflows/*.yml`) and per action metadata file (`action.yml`).
//!
//! See `docs/kinds/github-actions.md`.

use super::yaml::YamlDocument;
use crate::resource::Resource;
use serde_json::Value;
use std::path::Path;

/// The resource kind.
pub const KIND: &str = "github-actions";

/// What a GitHub Actions file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionsFile {
    /// A workflow under `.github/workflows/`.
    Workflow,
    /// An action's metadata file, `action.yml` / `action.yaml`.
    Action,
}

/// Whether `path` (as walked) with these documents is a workflow or an
/// action: by location and name, confirmed by content (`jobs` for a
/// workflow, `runs` for an action). A workflow kept elsewhere is still
/// recognised by its shape: `on` and `jobs`, every job with `runs-on` or
/// `uses`, which no other format has.
pub fn detect(path: &Path, documents: &[YamlDocument]) -> Option<ActionsFile> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if !(name.ends_with(".yml") || name.ends_with(".yaml")) {
        return None;
    }
    let [document] = documents else {
        return None;
    };
    let top = document.value.as_object()?;
    let parent = path.parent();
    let in_workflows = parent
        .and_then(Path::file_name)
        .is_some_and(|n| n == "workflows")
        && parent
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .is_some_and(|n| n == ".github");
    let jobs = top.get("jobs").and_then(Value::as_object);
    let shaped_like_workflow = top.contains_key("on")
        && jobs.is_some_and(|jobs| {
            !jobs.is_empty()
                && jobs.values().all(|job| {
                    job.get("runs-on").is_some() || job.get("uses").is_some_and(Value::is_string)
                })
        });
    if (in_workflows && jobs.is_some()) || shaped_like_workflow {
        Some(ActionsFile::Workflow)
    } else if (name == "action.yml" || name == "action.yaml")
        && top.get("runs").is_some_and(Value::is_object)
    {
        Some(ActionsFile::Action)
    } else {
        None
    }
}

/// The file as one resource: the document as written, id
/// `github-actions:workflow/<file>` or `github-actions:action/<dir>`.
///
/// ```
/// use rampart_core::inventory::github_actions::{self, ActionsFile};
/// use rampart_core::inventory::yaml;
/// let docs = yaml::parse_documents("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n").unwrap();
/// let resources = github_actions::resources(".github/workflows/ci.yml", ActionsFile::Workflow, docs);
/// assert_eq!(resources[0].id, "github-actions:workflow/ci.yml");
/// assert_eq!(resources[0].document["on"], "push");
/// ```
pub fn resources(source: &str, file: ActionsFile, documents: Vec<YamlDocument>) -> Vec<Resource> {
    let Some(YamlDocument { value, spans }) = documents.into_iter().next() else {
        return Vec::new();
    };
    let mut parts = source.rsplit('/');
    let file_name = parts.next().unwrap_or(source);
    let id = match file {
        ActionsFile::Workflow => format!("github-actions:workflow/{file_name}"),
        ActionsFile::Action => format!("github-actions:action/{}", parts.next().unwrap_or(".")),
    };
    vec![Resource::new(KIND, id, source, value).with_spans(spans)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::yaml::parse_documents;

    fn detect_text(path: &str, text: &str) -> Option<ActionsFile> {
        detect(Path::new(path), &parse_documents(text).unwrap())
    }

    #[test]
    fn workflows_and_actions_by_place_and_content() {
        let workflow = "on: push\njobs:\n  a:\n    runs-on: x\n";
        assert_eq!(
            detect_text("/r/.github/workflows/ci.yml", workflow),
            Some(ActionsFile::Workflow)
        );
        assert_eq!(
            detect_text(".github/workflows/ci.yaml", workflow),
            Some(ActionsFile::Workflow)
        );
        assert_eq!(
            detect_text("/r/ci/ci.yml", workflow),
            Some(ActionsFile::Workflow)
        );
        assert_eq!(
            detect_text("/r/ci/ci.yml", "on: push\njobs:\n  a:\n    image: x\n"),
            None
        );
        assert_eq!(detect_text("/r/.github/workflows/ci.yml", "a: b\n"), None);
        let action = "name: x\nruns:\n  using: composite\n  steps: []\n";
        assert_eq!(
            detect_text("/r/tools/setup/action.yml", action),
            Some(ActionsFile::Action)
        );
        assert_eq!(detect_text("/r/tools/setup/other.yml", action), None);
    }
}
