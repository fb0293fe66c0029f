//! One way in for a file format: the table of collectors.
//!
//! A [`Collector`] is a format's detection by file name and its parser,
//! side by side; [`FileFormat::detect`] and the parse of a file both go
//! through [`COLLECTORS`], so a new file format is a row there (and the
//! module that parses it), not an `if` in three places. YAML and JSON
//! files are then claimed by content through [`YAML_FORMATS`], most
//! specific first; what none claims is read as Kubernetes objects.
//!
//! Adding a format therefore touches: its module (parser with spans),
//! a [`FileFormat`] variant when it has names of its own, and one row in
//! [`COLLECTORS`] or [`YAML_FORMATS`].

use super::yaml::{self, YamlDocument};
use super::{
    FileFormat, TerraformModules, WalkOptions, WalkedFile, ansible, cloudformation, compose,
    dependencies, dockerfile, github_actions, gitlab_ci, kubernetes, terraform,
};
use crate::diagnostic::{Diagnostic, ParseError};
use crate::resource::{Resource, Sources};
use std::path::Path;

/// A file's name as detection sees it.
pub(super) struct Name<'a> {
    /// The file name (non-UTF-8 bytes replaced).
    pub name: &'a str,
    /// The name of the directory it is in.
    pub parent: Option<&'a str>,
    /// The lowercase text after the last `.`.
    pub extension: Option<&'a str>,
}

/// What a collector is given: one file's text, and what it may need
/// besides (options, the Terraform module it belongs to).
pub(super) struct Input<'a> {
    pub file: &'a WalkedFile,
    pub format: FileFormat,
    pub text: &'a str,
    pub options: &'a WalkOptions,
    pub modules: &'a TerraformModules,
}

/// What a file yielded.
#[derive(Default)]
pub(super) struct Collected {
    pub resources: Vec<Resource>,
    /// Problems that do not stop the file (an include that is missing).
    pub diagnostics: Vec<Diagnostic>,
    /// Text of other files its findings can land in (includes).
    pub sources: Sources,
}

/// Why a file yielded nothing.
pub(super) enum Refused {
    /// Its syntax is invalid: an error at the parser's region.
    Invalid(ParseError),
    /// Not a file to read as it is (a Helm template): a note saying why.
    Skipped(String),
}

/// A format: how it is recognised, and how it is read.
pub(super) struct Collector {
    /// The format's name in "invalid …" diagnostics.
    pub name: &'static str,
    /// The format of a file of this name, if it is this collector's.
    pub detect: fn(&Name<'_>) -> Option<FileFormat>,
    /// Whether a detected format is this collector's to read.
    pub reads: fn(FileFormat) -> bool,
    /// The file's text into resources.
    pub collect: fn(&Input<'_>) -> Result<Collected, Refused>,
}

/// Every file format, in detection order: lockfiles and Dockerfiles are
/// known by name (`package-lock.json` is a lockfile before it is JSON),
/// the rest by extension.
pub(super) const COLLECTORS: &[Collector] = &[
    Collector {
        name: "lockfile",
        detect: |n| dependencies::Lockfile::detect(n.name, n.parent).map(FileFormat::Lockfile),
        reads: |f| matches!(f, FileFormat::Lockfile(_)),
        collect: lockfile,
    },
    Collector {
        name: "Dockerfile",
        detect: |n| dockerfile::is_dockerfile_name(n.name).then_some(FileFormat::Dockerfile),
        reads: |f| f == FileFormat::Dockerfile,
        collect: |input| {
            dockerfile::parse(&input.file.display, input.text)
                .map(|resource| resources(vec![resource]))
                .map_err(Refused::Invalid)
        },
    },
    Collector {
        name: "HCL",
        detect: |n| (n.extension == Some("tf")).then_some(FileFormat::Terraform),
        reads: |f| f == FileFormat::Terraform,
        collect: terraform_file,
    },
    Collector {
        name: "YAML",
        detect: |n| matches!(n.extension, Some("yaml" | "yml")).then_some(FileFormat::Yaml),
        reads: |f| f == FileFormat::Yaml,
        collect: yaml_family,
    },
    Collector {
        name: "JSON",
        detect: |n| (n.extension == Some("json")).then_some(FileFormat::Json),
        reads: |f| f == FileFormat::Json,
        collect: yaml_family,
    },
];

/// The collector that reads `format`.
pub(super) fn collector(format: FileFormat) -> Option<&'static Collector> {
    COLLECTORS.iter().find(|c| (c.reads)(format))
}

fn resources(resources: Vec<Resource>) -> Collected {
    Collected {
        resources,
        ..Collected::default()
    }
}

/// A lockfile, and for pip the files its `-r`/`-c` lines include (inside
/// the scan's boundary).
fn lockfile(input: &Input<'_>) -> Result<Collected, Refused> {
    let FileFormat::Lockfile(lockfile) = input.format else {
        return Ok(Collected::default());
    };
    let file = input.file;
    let mut collected = resources(
        dependencies::resources(&file.display, lockfile, input.text).map_err(Refused::Invalid)?,
    );
    if lockfile == dependencies::Lockfile::Pip {
        let included = dependencies::follow_includes(
            &file.path,
            &file.display,
            input.text,
            &dependencies::IncludeLimits {
                boundary: &file.boundary,
                base_dir: &input.options.base_dir,
                max_file_size: input.options.max_file_size,
            },
        );
        collected.resources.extend(included.resources);
        collected.diagnostics = included.diagnostics;
        collected.sources = included.sources;
    }
    Ok(collected)
}

/// A `.tf` file, evaluated once per instance of its module (a root, or
/// each call of a called module) in that instance's variables and locals.
fn terraform_file(input: &Input<'_>) -> Result<Collected, Refused> {
    // Parsed once, by the module pre-pass, from these same bytes; dropped
    // here, in this file's task.
    let body = match input.modules.take_body(&input.file.path) {
        Some(body) => body,
        None => terraform::parse(input.text).map_err(Refused::Invalid)?,
    };
    let root = [terraform::ModuleContext::default()];
    let contexts = input
        .file
        .path
        .parent()
        .and_then(|dir| input.modules.instances.get(dir))
        .map_or(&root[..], Vec::as_slice);
    let lines = super::lines::LineIndex::new(input.text);
    let mut collected = Collected::default();
    for context in contexts {
        let (resources, diagnostics) =
            terraform::resources_indexed(&input.file.display, input.text, &body, &lines, context);
        collected.resources.extend(resources);
        collected.diagnostics.extend(diagnostics);
    }
    collected.diagnostics.dedup();
    Ok(collected)
}

/// A YAML or JSON file: parsed once, then claimed by content.
fn yaml_family(input: &Input<'_>) -> Result<Collected, Refused> {
    let file = input.file;
    match yaml::parse_documents_with(input.text, &input.options.parse) {
        Ok(documents) => Ok(resources(claim(file, documents))),
        // Helm chart templates are Go templates, not YAML, until rendered.
        // Only inside a chart: elsewhere a `{{` must not turn a manifest
        // that fails to parse into a quiet skip.
        Err(_) if is_go_template(input.text) && in_helm_chart(&file.path) => Err(Refused::Skipped(
            "skipped: a template (`{{ … }}`), not plain YAML; scan rendered manifests instead"
                .to_owned(),
        )),
        Err(e) => Err(Refused::Invalid(e)),
    }
}

/// A YAML or JSON file as a format sees it when it decides whether the
/// file is its own.
pub(super) struct YamlFile<'a> {
    /// The path as walked.
    pub path: &'a Path,
    /// The display path, the resources' source.
    pub display: &'a str,
    /// The file name.
    pub name: &'a str,
}

/// A format's answer: the resources of a file it takes, or the documents
/// back for the next format.
pub(super) enum Claim {
    Taken(Vec<Resource>),
    Declined(Vec<YamlDocument>),
}

/// The formats of YAML and JSON files, most specific first: each claims a
/// file by its place, name or content.
pub(super) const YAML_FORMATS: &[fn(&YamlFile<'_>, Vec<YamlDocument>) -> Claim] = &[
    terraform_plan,
    terraform_json,
    |file, documents| match github_actions::detect(file.path, &documents) {
        Some(kind) => Claim::Taken(github_actions::resources(file.display, kind, documents)),
        None => Claim::Declined(documents),
    },
    |file, documents| {
        if gitlab_ci::is_gitlab_ci_name(file.name) {
            Claim::Taken(gitlab_ci::resources(file.display, documents))
        } else {
            Claim::Declined(documents)
        }
    },
    |file, documents| {
        if compose::detect(file.name, &documents) {
            Claim::Taken(compose::resources(file.display, documents))
        } else {
            Claim::Declined(documents)
        }
    },
    |file, documents| {
        if cloudformation::detect(&documents) {
            Claim::Taken(cloudformation::resources(file.display, documents))
        } else {
            Claim::Declined(documents)
        }
    },
    |file, documents| match ansible::detect(file.path, &documents) {
        Some(kind) => Claim::Taken(ansible::resources(file.display, kind, documents)),
        None => Claim::Declined(documents),
    },
];

/// `terraform show -json` output: one document, a plan.
fn terraform_plan(file: &YamlFile<'_>, documents: Vec<YamlDocument>) -> Claim {
    match documents.as_slice() {
        [document] if terraform::is_plan(&document.value) => Claim::Taken(
            terraform::plan_resources(file.display, &document.value, &document.spans),
        ),
        _ => Claim::Declined(documents),
    }
}

/// A `*.tf.json` configuration: one document.
fn terraform_json(file: &YamlFile<'_>, documents: Vec<YamlDocument>) -> Claim {
    match documents.as_slice() {
        [document]
            if file.name.ends_with(".tf.json")
                && terraform::is_json_configuration(&document.value) =>
        {
            Claim::Taken(terraform::json_resources(
                file.display,
                &document.value,
                &document.spans,
            ))
        }
        _ => Claim::Declined(documents),
    }
}

/// The resources of a YAML (or JSON) file: the first format to claim it,
/// else Kubernetes objects (an unrelated file yields none).
fn claim(file: &WalkedFile, mut documents: Vec<YamlDocument>) -> Vec<Resource> {
    let name = file
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let yaml_file = YamlFile {
        path: &file.path,
        display: &file.display,
        name,
    };
    for format in YAML_FORMATS {
        match format(&yaml_file, documents) {
            Claim::Taken(resources) => return resources,
            Claim::Declined(back) => documents = back,
        }
    }
    kubernetes::resources(&file.display, documents)
}

/// Whether `path` is under a Helm chart's `templates/` directory (a
/// `templates` directory beside a `Chart.yaml`).
fn in_helm_chart(path: &Path) -> bool {
    path.ancestors().skip(1).any(|dir| {
        dir.file_name().is_some_and(|n| n == "templates")
            && dir.parent().is_some_and(|chart| {
                std::fs::symlink_metadata(chart.join("Chart.yaml")).is_ok_and(|m| m.is_file())
            })
    })
}

/// Whether a file that failed to parse is a Go template (Helm): `{{`
/// that is not GitHub's `${{`.
fn is_go_template(text: &str) -> bool {
    text.match_indices("{{")
        .any(|(at, _)| at == 0 || text.as_bytes()[at - 1] != b'$')
}
