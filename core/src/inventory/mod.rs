//! Inventory: from paths to resources (DESIGN §3).
//!
//! [`walk`] finds files; each file's format is detected from its name
//! ([`FileFormat::detect`]); a YAML or JSON file is then claimed by content
//! (GitHub Actions, GitLab CI, Compose, CloudFormation, Ansible, Terraform
//! JSON and plans, else Kubernetes), and a Terraform directory's variables
//! and locals are gathered before its files are read. Each parser turns a
//! file into resources with a span for every JSON Pointer. Files are read
//! and parsed in parallel; the result is sorted by path, so it never
//! depends on thread timing. A file that cannot be read or parsed becomes a
//! [`Diagnostic`] and the walk goes on.

pub mod ansible;
pub mod cloudformation;
pub mod compose;
pub mod dependencies;
pub mod dockerfile;
pub mod github_actions;
pub mod gitlab_ci;
pub mod host;
pub mod kubernetes;
mod lines;
pub mod terraform;
pub mod walk;
pub mod yaml;

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use crate::progress::{NoProgress, ScanObserver, ScanPhase};
use crate::resource::{Region, Resource};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
pub use walk::{WalkOptions, WalkedFile};

/// Bytes looked at to decide whether a file is binary.
const BINARY_SNIFF: usize = 8 << 10;

/// The formats rampart reads, as detected from a file's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileFormat {
    /// `*.yaml`, `*.yml`: Kubernetes manifests, Compose files, GitHub
    /// Actions, GitLab CI, CloudFormation (other YAML yields nothing).
    Yaml,
    /// `*.json`: Kubernetes manifests and CloudFormation templates in JSON.
    Json,
    /// `Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, `Containerfile`.
    Dockerfile,
    /// `*.tf`: Terraform (HCL). `*.tf.json` and plans are [`Json`](Self::Json).
    Terraform,
    /// A lockfile: `Cargo.lock`, `package-lock.json`, `requirements.txt` ….
    Lockfile(dependencies::Lockfile),
    /// A host (`--root`): never detected from a file name; the batch of
    /// everything collected from one host.
    Host,
}

impl FileFormat {
    /// The format of a file, by name; `None` for files rampart does not read.
    pub fn detect(path: &Path) -> Option<FileFormat> {
        let name = path.file_name()?.to_str()?;
        let parent = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|p| p.to_str());
        if let Some(lockfile) = dependencies::Lockfile::detect(name, parent) {
            return Some(FileFormat::Lockfile(lockfile));
        }
        if dockerfile::is_dockerfile_name(name) {
            return Some(FileFormat::Dockerfile);
        }
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match extension.as_str() {
            "tf" => Some(FileFormat::Terraform),
            "yaml" | "yml" => Some(FileFormat::Yaml),
            "json" => Some(FileFormat::Json),
            _ => None,
        }
    }
}

/// What one file contributed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileInventory {
    /// Display path (relative, `/`-separated).
    pub path: String,
    /// Detected format.
    pub format: FileFormat,
    /// Its resources: one policy batch.
    pub resources: Vec<Resource>,
    /// Its `rampart:ignore` comments.
    #[serde(skip)]
    pub suppressions: Vec<crate::suppress::InlineSuppression>,
}

/// Everything collected from the scan targets.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Inventory {
    /// Files that yielded resources, sorted by path.
    pub files: Vec<FileInventory>,
    /// What could not be read, parsed or was skipped, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Regular files the walk visited (read or not).
    pub files_walked: usize,
}

impl Inventory {
    /// Every resource, in file order.
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.files.iter().flat_map(|f| f.resources.iter())
    }
}

/// Walks `roots` and collects every resource.
///
/// Fails only on invalid options (a bad `--exclude` glob); everything that
/// goes wrong with a file is a diagnostic in the returned inventory.
pub fn collect(roots: &[PathBuf], options: &WalkOptions) -> Result<Inventory, String> {
    collect_observed(roots, options, &NoProgress)
}

/// [`collect`], reporting progress (phase [`ScanPhase::Reading`]).
pub fn collect_observed(
    roots: &[PathBuf],
    options: &WalkOptions,
    observer: &dyn ScanObserver,
) -> Result<Inventory, String> {
    let mapped = collect_mapped(roots, options, observer, ScanPhase::Reading, |file| file)?;
    Ok(Inventory {
        files: mapped.results,
        diagnostics: mapped.diagnostics,
        files_walked: mapped.files_walked,
    })
}

/// What [`collect_mapped`] returns.
#[derive(Debug, Clone, Default)]
pub struct Mapped<T> {
    /// `per_file` of every file that yielded resources, in path order.
    pub results: Vec<T>,
    /// What could not be read, parsed or was skipped, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Regular files the walk visited.
    pub files_walked: usize,
}

/// Walks and parses like [`collect_observed`], handing each file's
/// inventory to `per_file` in the same parallel task. A scan evaluates and
/// locates a file's findings there, while its documents are hot in cache,
/// and frees them at once instead of holding every document of the scan.
pub fn collect_mapped<T: Send>(
    roots: &[PathBuf],
    options: &WalkOptions,
    observer: &dyn ScanObserver,
    phase: ScanPhase,
    per_file: impl Fn(FileInventory) -> T + Sync,
) -> Result<Mapped<T>, String> {
    let (files, mut diagnostics) = walk::walk(roots, options)?;
    let files_walked = files.len();
    observer.phase_started(phase, files_walked as u64);
    let modules = terraform_modules(&files, options);
    let results: Vec<(Option<T>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let (inventory, file_diagnostics) = inventory_file(file, options, &modules);
            let result = inventory.filter(|f| !f.resources.is_empty()).map(&per_file);
            observer.advanced(phase, 1);
            (result, file_diagnostics)
        })
        .collect();
    observer.phase_finished(phase);
    let mut mapped = Mapped {
        results: Vec::new(),
        diagnostics: Vec::new(),
        files_walked,
    };
    for (result, file_diagnostics) in results {
        mapped.results.extend(result);
        diagnostics.extend(file_diagnostics);
    }
    diagnostics.sort();
    diagnostics.dedup();
    mapped.diagnostics = diagnostics;
    Ok(mapped)
}

/// Variables and locals of every directory with `.tf` files: a Terraform
/// module spans its files, so they are gathered before any file is turned
/// into resources. Files that cannot be read or parsed are left out here;
/// the main pass reports them.
fn terraform_modules(
    files: &[WalkedFile],
    options: &WalkOptions,
) -> std::collections::HashMap<PathBuf, terraform::ModuleContext> {
    let mut by_dir: std::collections::BTreeMap<PathBuf, Vec<&WalkedFile>> = Default::default();
    for file in files {
        if FileFormat::detect(&file.path) == Some(FileFormat::Terraform)
            && file.size <= options.max_file_size
        {
            let dir = file
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            by_dir.entry(dir).or_default().push(file);
        }
    }
    by_dir
        .into_par_iter()
        .map(|(dir, files)| {
            let texts: Vec<String> = files
                .iter()
                .filter_map(|f| std::fs::read_to_string(&f.path).ok())
                .collect();
            let bodies: Vec<(&str, hcl_edit::structure::Body)> = texts
                .iter()
                .filter_map(|t| terraform::parse(t).ok().map(|b| (t.as_str(), b)))
                .collect();
            let context = terraform::ModuleContext::gather(bodies.iter().map(|(t, b)| (*t, b)));
            (dir, context)
        })
        .collect()
}

fn inventory_file(
    file: &WalkedFile,
    options: &WalkOptions,
    modules: &std::collections::HashMap<PathBuf, terraform::ModuleContext>,
) -> (Option<FileInventory>, Vec<Diagnostic>) {
    let Some(format) = FileFormat::detect(&file.path) else {
        return (None, Vec::new());
    };
    let diagnostic = |level, kind, message: String| {
        vec![Diagnostic::file(level, kind, file.display.clone(), message)]
    };
    if file.size > options.max_file_size {
        return (
            None,
            diagnostic(
                Level::Warning,
                DiagnosticKind::Skipped,
                format!(
                    "skipped: {} bytes is over the size limit of {} bytes (--max-file-size)",
                    file.size, options.max_file_size
                ),
            ),
        );
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return (
                None,
                diagnostic(
                    Level::Error,
                    DiagnosticKind::Io,
                    format!("cannot read: {e}"),
                ),
            );
        }
    };
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        return (
            None,
            diagnostic(
                Level::Note,
                DiagnosticKind::Skipped,
                "skipped: binary file".to_owned(),
            ),
        );
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text),
        Err(e) => {
            return (
                None,
                diagnostic(
                    Level::Error,
                    DiagnosticKind::ParseError,
                    format!("not valid UTF-8 (at byte {})", e.valid_up_to()),
                ),
            );
        }
    };
    let mut result = parse_text(file, format, text, options, modules);
    if let Some(inventory) = &mut result.0 {
        inventory.suppressions = crate::suppress::inline_suppressions(text);
    }
    result
}
/// Parses a file's text into its resources, by format.
fn parse_text(
    file: &WalkedFile,
    format: FileFormat,
    text: &str,
    options: &WalkOptions,
    modules: &std::collections::HashMap<PathBuf, terraform::ModuleContext>,
) -> (Option<FileInventory>, Vec<Diagnostic>) {
    let diagnostic = |level, kind, message: String| {
        vec![Diagnostic::file(level, kind, file.display.clone(), message)]
    };
    if let FileFormat::Lockfile(lockfile) = format {
        return match dependencies::resources(&file.display, lockfile, text) {
            Ok(mut resources) => {
                let mut diagnostics = Vec::new();
                if lockfile == dependencies::Lockfile::Pip {
                    let included = dependencies::follow_includes(
                        &file.path,
                        &file.display,
                        text,
                        options.max_file_size,
                    );
                    resources.extend(included.resources);
                    diagnostics = included.diagnostics;
                }
                let (inventory, mut more) = parsed(file, format, resources);
                more.extend(diagnostics);
                (inventory, more)
            }
            Err(e) => parse_error(
                file,
                format!("invalid lockfile: {}", e.message),
                Region::line(e.line, e.column, e.column + 1),
            ),
        };
    }
    if format == FileFormat::Terraform {
        return match terraform::parse(text) {
            Ok(body) => {
                let empty = terraform::ModuleContext::default();
                let context = file
                    .path
                    .parent()
                    .and_then(|dir| modules.get(dir))
                    .unwrap_or(&empty);
                parsed(
                    file,
                    format,
                    terraform::resources(&file.display, text, &body, context),
                )
            }
            Err(e) => parse_error(
                file,
                format!("invalid HCL: {}", e.message),
                Region::line(e.line, e.column, e.column + 1),
            ),
        };
    }
    if format == FileFormat::Dockerfile {
        return match dockerfile::parse(&file.display, text) {
            Ok(resource) => parsed(file, format, vec![resource]),
            Err(e) => parse_error(
                file,
                format!("invalid Dockerfile: {}", e.message),
                Region::line(e.line, 1, 2),
            ),
        };
    }
    match yaml::parse_documents(text) {
        Ok(documents) => parsed(file, format, yaml_resources(file, documents)),
        // Helm chart templates are Go templates, not YAML, until rendered.
        Err(_) if is_go_template(text) => (
            None,
            diagnostic(
                Level::Note,
                DiagnosticKind::Skipped,
                "skipped: a template (`{{ … }}`), not plain YAML; scan rendered manifests instead"
                    .to_owned(),
            ),
        ),
        Err(e) => {
            let kind = if format == FileFormat::Json {
                "JSON"
            } else {
                "YAML"
            };
            parse_error(
                file,
                format!("invalid {kind}: {}", e.message),
                Region::line(e.line, e.column, e.column + 1),
            )
        }
    }
}

/// The resources of a YAML (or JSON) file. Each format claims a file by
/// its place, name or content, most specific first; what none claims is
/// looked at for Kubernetes objects, and an unrelated file yields nothing.
fn yaml_resources(file: &WalkedFile, documents: Vec<yaml::YamlDocument>) -> Vec<Resource> {
    let name = file
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if let [document] = documents.as_slice() {
        if terraform::is_plan(&document.value) {
            return terraform::plan_resources(&file.display, &document.value, &document.spans);
        }
        if name.ends_with(".tf.json") && terraform::is_json_configuration(&document.value) {
            return terraform::json_resources(&file.display, &document.value, &document.spans);
        }
    }
    if let Some(actions_file) = github_actions::detect(&file.path, &documents) {
        github_actions::resources(&file.display, actions_file, documents)
    } else if gitlab_ci::is_gitlab_ci_name(name) {
        gitlab_ci::resources(&file.display, documents)
    } else if compose::detect(name, &documents) {
        compose::resources(&file.display, documents)
    } else if cloudformation::detect(&documents) {
        cloudformation::resources(&file.display, documents)
    } else if let Some(ansible_file) = ansible::detect(&file.path, &documents) {
        ansible::resources(&file.display, ansible_file, documents)
    } else {
        kubernetes::resources(&file.display, documents)
    }
}

/// Whether a file that failed to parse is a Go template (Helm): `{{`
/// that is not GitHub's `${{`.
fn is_go_template(text: &str) -> bool {
    text.match_indices("{{")
        .any(|(at, _)| at == 0 || text.as_bytes()[at - 1] != b'$')
}

/// A file that parsed into `resources`.
fn parsed(
    file: &WalkedFile,
    format: FileFormat,
    resources: Vec<Resource>,
) -> (Option<FileInventory>, Vec<Diagnostic>) {
    let inventory = FileInventory {
        path: file.display.clone(),
        format,
        resources,
        suppressions: Vec::new(),
    };
    (Some(inventory), Vec::new())
}

/// A file that did not parse: an error diagnostic at `region`.
fn parse_error(
    file: &WalkedFile,
    message: String,
    region: Region,
) -> (Option<FileInventory>, Vec<Diagnostic>) {
    let diagnostic = Diagnostic::file(
        Level::Error,
        DiagnosticKind::ParseError,
        file.display.clone(),
        message,
    )
    .at(region);
    (None, vec![diagnostic])
}
