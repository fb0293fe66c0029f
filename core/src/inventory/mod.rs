//! Inventory: from paths to resources (DESIGN §3).
//!
//! [`walk`] finds files; each file's format is detected from its name
//! ([`FileFormat::detect`], through the table of collectors in
//! `collectors.rs`: one row per format); a YAML or JSON file is then claimed by content
//! (GitHub Actions, GitLab CI, Compose, CloudFormation, Ansible, Terraform
//! JSON and plans, else Kubernetes), and a Terraform directory's variables
//! and locals are gathered before its files are read. Each parser turns a
//! file into resources with a span for every JSON Pointer. Files are read
//! and parsed in parallel; the result is sorted by path, so it never
//! depends on thread timing. A file that cannot be read or parsed becomes a
//! [`Diagnostic`] and the walk goes on.

pub mod ansible;
pub mod cloudformation;
mod collectors;
pub mod compose;
pub mod dependencies;
pub mod dockerfile;
pub mod github_actions;
pub mod gitlab_ci;
pub mod history;
pub mod host;
pub mod kubernetes;
mod lines;
pub mod terraform;
mod terraform_functions;
mod terraform_types;
pub mod text;
pub mod tfvars;
pub mod walk;
pub mod yaml;

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level, ParseError};
use crate::progress::{NoProgress, ScanObserver, ScanPhase};
use crate::resource::Resource;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
pub use walk::{WalkOptions, WalkedFile};

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
    /// Any other text file, searched for what the loaded packs' detectors
    /// look for (secrets): never detected from a file name.
    Text,
}

impl FileFormat {
    /// The format of a file, by name; `None` for files rampart does not read.
    pub fn detect(path: &Path) -> Option<FileFormat> {
        // Names that are not UTF-8 are detected by their UTF-8 parts (a
        // `\xFF.yaml` is YAML): a file must not escape the scan by its name.
        let name = path.file_name()?.to_string_lossy();
        let name = name.as_ref();
        let parent = path.parent().and_then(Path::file_name);
        let parent = parent.map(|p| p.to_string_lossy());
        let parent = parent.as_deref();
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let name = collectors::Name {
            name,
            parent,
            extension: extension.as_deref(),
        };
        collectors::COLLECTORS
            .iter()
            .find_map(|collector| (collector.detect)(&name))
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
    /// The text of the files its findings can land in (the file, the
    /// files it includes), as scanned: for the lines reports show.
    #[serde(skip)]
    pub sources: crate::resource::Sources,
    /// The commit that brought this file, for a blob of a repository's
    /// history (`scan --git-history`); `None` for a file on disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<crate::finding::CommitOrigin>,
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
    /// Paths ignore rules (`.gitignore`, `.ignore`, `.git/info/exclude`)
    /// left out; a directory counts once.
    pub files_ignored: usize,
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
        files_ignored: mapped.files_ignored,
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
    /// Paths ignore rules left out.
    pub files_ignored: usize,
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
    let walk::Walk {
        files,
        special,
        mut diagnostics,
        ignored,
    } = walk::walk(roots, options)?;
    // A FIFO, socket or device named like a file rampart reads (a
    // variables file Terraform would load included) is never opened, and
    // is a gap in the scan.
    diagnostics.extend(
        special
            .iter()
            .filter(|s| FileFormat::detect(&s.path).is_some() || tfvars::is_automatic(&s.path))
            .map(|s| {
                Diagnostic::file(
                    Level::Error,
                    DiagnosticKind::Skipped,
                    s.display.clone(),
                    format!("{}, not a regular file: not read", s.kind.describe()),
                )
            }),
    );
    let files_walked = files.len();
    observer.phase_started(phase, files_walked as u64);
    let modules = terraform_modules(&files, options);
    let results: Vec<(Option<T>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let (mut inventory, file_diagnostics) = if options
                .deadline
                .is_some_and(|deadline| std::time::Instant::now() >= deadline)
            {
                (None, vec![not_scanned_in_time(file)])
            } else {
                inventory_file(file, options, &modules)
            };
            let mut file_diagnostics = file_diagnostics;
            if let (Some(inventory), Some(enricher)) = (&mut inventory, &options.advisories) {
                file_diagnostics.extend(enricher.enrich(&inventory.path, &mut inventory.resources));
            }
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
        files_ignored: ignored,
    };
    for (result, file_diagnostics) in results {
        mapped.results.extend(result);
        diagnostics.extend(file_diagnostics);
    }
    diagnostics.extend(modules.diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    mapped.diagnostics = diagnostics;
    Ok(mapped)
}

/// The diagnostic of a file the scan had no time left for (`--timeout`).
fn not_scanned_in_time(file: &WalkedFile) -> Diagnostic {
    Diagnostic::file(
        Level::Error,
        DiagnosticKind::Skipped,
        file.display.clone(),
        "not scanned: the scan's time limit (--timeout) was reached",
    )
}

/// Every Terraform module (directory) of a walk: its `.tf` files as read,
/// and its variables and locals.
#[derive(Default)]
struct TerraformModules {
    /// Each `.tf` file's read result, by path: read once, here, for both
    /// the module's context and the file's own resources.
    reads: std::collections::HashMap<PathBuf, Result<Vec<u8>, crate::read::ReadError>>,
    /// Each directory's module instances: one context for a root module
    /// (a directory no module of the tree calls), one per call for a
    /// module that is called (its variables the call's arguments, its
    /// addresses prefixed `module.NAME.`).
    instances: std::collections::HashMap<PathBuf, Vec<terraform::ModuleContext>>,
    /// What gathering the contexts found (cycles among locals …).
    diagnostics: Vec<Diagnostic>,
    /// Module instances made so far, against [`MAX_MODULE_INSTANCES`].
    instantiated: usize,
    /// Each `.tf` file's body as the pre-pass parsed it, by path: the
    /// file's collector takes it, evaluates it without parsing it again,
    /// and drops it in the same parallel task (a body is many small
    /// allocations: dropping ten thousand of them in one thread at the end
    /// of the scan took as long as evaluating them).
    bodies: std::collections::HashMap<PathBuf, std::sync::Mutex<Option<hcl_edit::structure::Body>>>,
    /// Whether a call went over [`MAX_MODULE_INSTANCES`] (warned once).
    over_instance_limit: bool,
}

impl TerraformModules {
    /// The body the pre-pass parsed for the `.tf` file at `path`, once:
    /// the file's collector owns it from then on.
    fn take_body(&self, path: &Path) -> Option<hcl_edit::structure::Body> {
        self.bodies.get(path)?.lock().ok()?.take()
    }
}

/// Variables and locals of every directory with `.tf` files: a Terraform
/// module spans its files, so they are gathered before any file is turned
/// into resources. Files that cannot be read or parsed are left out here;
/// the main pass reports them.
fn terraform_modules(files: &[WalkedFile], options: &WalkOptions) -> TerraformModules {
    // Hashed, not ordered: a `Path` compares component by component, and
    // the order of the directories' parallel tasks does not matter (their
    // modules are keyed by path, sorted, below).
    let mut by_dir: std::collections::HashMap<&Path, Vec<&WalkedFile>> = Default::default();
    // The tfvars files Terraform loads by itself, by directory.
    let mut automatic: std::collections::HashMap<&Path, Vec<&WalkedFile>> = Default::default();
    for file in files {
        let dir = || file.path.parent().unwrap_or(Path::new(""));
        if FileFormat::detect(&file.path) == Some(FileFormat::Terraform) {
            by_dir.entry(dir()).or_default().push(file);
        } else if file
            .path
            .file_name()
            .is_some_and(|name| tfvars::automatic_rank(&name.to_string_lossy()).is_some())
        {
            automatic.entry(dir()).or_default().push(file);
        }
    }
    let gathered: Vec<_> = by_dir
        .into_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(dir, files)| {
            let shown_dir = files
                .first()
                .and_then(|f| f.display.rsplit_once('/').map(|(d, _)| d.to_owned()));
            let boundary = files.first().map(|f| f.boundary.clone());
            // One read and one parse per file. A file that parses keeps
            // its bytes as its text (moved, not copied); the others keep
            // what was read, for the main pass to report.
            let mut reads: Vec<(PathBuf, Result<Vec<u8>, crate::read::ReadError>)> = Vec::new();
            let mut parsed: Vec<ParsedFile> = Vec::new();
            for file in files {
                let read = read_walked(file, options);
                let text = match read {
                    Ok(bytes) => match String::from_utf8(bytes) {
                        Ok(text) => text,
                        Err(e) => {
                            reads.push((file.path.clone(), Ok(e.into_bytes())));
                            continue;
                        }
                    },
                    Err(e) => {
                        reads.push((file.path.clone(), Err(e)));
                        continue;
                    }
                };
                let bom = if text.starts_with('\u{feff}') {
                    '\u{feff}'.len_utf8()
                } else {
                    0
                };
                match terraform::parse(&text[bom..]) {
                    Ok(body) => parsed.push(ParsedFile {
                        path: file.path.clone(),
                        display: file.display.clone(),
                        text,
                        bom,
                        body,
                    }),
                    Err(_) => reads.push((file.path.clone(), Ok(text.into_bytes()))),
                }
            }
            let beside = automatic.get(dir).map(Vec::as_slice).unwrap_or_default();
            let values = tfvars::values_for(beside, &options.terraform, options);
            let (installed, installed_diagnostic) =
                installed_modules(dir, shown_dir.as_deref(), options);
            let module = Module {
                parsed,
                values,
                boundary,
                installed,
            };
            (dir.to_path_buf(), reads, module, installed_diagnostic)
        })
        .collect();
    let mut modules = TerraformModules::default();
    let mut sources: std::collections::BTreeMap<PathBuf, Module> = Default::default();
    for (dir, reads, module, diagnostic) in gathered {
        modules.reads.extend(reads);
        modules.diagnostics.extend(diagnostic);
        sources.insert(dir, module);
    }
    instantiate_modules(&sources, options.max_file_size, &mut modules);
    // The main pass evaluates the bodies, and reads the texts, kept here.
    for file in sources.into_values().flat_map(|module| module.parsed) {
        modules
            .reads
            .insert(file.path.clone(), Ok(file.text.into_bytes()));
        modules
            .bodies
            .insert(file.path, std::sync::Mutex::new(Some(file.body)));
    }
    modules
}

/// The modules `terraform init` installed for the root module in `dir`
/// (shown as `shown_dir`, `None` for the base directory):
/// `.terraform/modules/modules.json`'s `Key` → `Dir` (relative to `dir`).
/// No file is no modules; a file that cannot be read or parsed is a
/// warning, and the calls it would have resolved stay notes.
fn installed_modules(
    dir: &Path,
    shown_dir: Option<&str>,
    options: &WalkOptions,
) -> (
    std::collections::BTreeMap<String, (PathBuf, String)>,
    Option<Diagnostic>,
) {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: String,
    }
    let shown = |relative: &str| match shown_dir {
        Some(shown_dir) => format!("{shown_dir}/{relative}"),
        None => relative.to_owned(),
    };
    let manifest_path = ".terraform/modules/modules.json";
    let warn = |message: String| {
        Some(Diagnostic::file(
            Level::Warning,
            DiagnosticKind::ParseError,
            shown(manifest_path),
            message,
        ))
    };
    let bytes = match crate::read::read_file(
        &dir.join(manifest_path),
        options.max_file_size,
        crate::read::Links::Refuse,
    ) {
        Ok(bytes) => bytes,
        Err(crate::read::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return (Default::default(), None);
        }
        Err(e) => {
            let message = format!("installed modules not read: {}", walk::reason(&e));
            return (Default::default(), warn(message));
        }
    };
    let manifest: Manifest = match serde_json::from_slice(&bytes) {
        Ok(manifest) => manifest,
        Err(e) => {
            let message = format!("installed modules not read: invalid JSON: {e}");
            return (Default::default(), warn(message));
        }
    };
    let installed = manifest
        .modules
        .into_iter()
        .filter(|entry| !entry.key.is_empty())
        .map(|entry| {
            let path = normalized(dir, &entry.dir);
            (entry.key, (path, shown(entry.dir.trim_start_matches("./"))))
        })
        .collect();
    (installed, None)
}

/// `relative` joined onto `dir`, `..` and `.` resolved by name (no file
/// system access: where it points must be a directory the walk found).
fn normalized(dir: &Path, relative: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    for part in Path::new(relative).components() {
        match part {
            std::path::Component::ParentDir => {
                path.pop();
            }
            std::path::Component::Normal(name) => path.push(name),
            _ => {}
        }
    }
    path
}

/// One directory's parsed `.tf` files and the values its tfvars give.
struct Module {
    /// Each file that parsed.
    parsed: Vec<ParsedFile>,
    /// Variable values from tfvars and the user (for a root module).
    values: tfvars::ModuleValues,
    /// The scanned tree the module's files belong to: its file functions
    /// read inside it only.
    boundary: Option<std::sync::Arc<Path>>,
    /// What `terraform init` installed for this module as a root
    /// (`.terraform/modules/modules.json`): by module key (`vpc`,
    /// `vpc.subnets`), the directory (its path, and as shown).
    installed: std::collections::BTreeMap<String, (PathBuf, String)>,
}

/// A `.tf` file that parsed: its path, display path, text (with a byte
/// order mark of `bom` bytes, if any) and body.
struct ParsedFile {
    path: PathBuf,
    display: String,
    bom: usize,
    text: String,
    body: hcl_edit::structure::Body,
}

impl Module {
    fn files(&self) -> impl Iterator<Item = (&str, &str, &hcl_edit::structure::Body)> {
        self.parsed
            .iter()
            .map(|file| (file.display.as_str(), &file.text[file.bom..], &file.body))
    }
}

/// How deep module calls are followed.
pub const MAX_MODULE_DEPTH: usize = 16;

/// Most module instances of one scan (every call, every `count` and
/// `for_each` instance, at every depth): a tree of calls that multiply
/// (1,000 instances of a module that makes 1,000 of another) stops here,
/// with a warning at the call that went over.
pub const MAX_MODULE_INSTANCES: usize = 10_000;

/// Every module instance of the tree: each directory that no local module
/// call targets is a root (its tfvars apply), and each local call
/// instantiates its target with the call's arguments, recursively; a
/// cycle or a chain deeper than [`MAX_MODULE_DEPTH`] is a warning at the
/// call. A call whose source is not a directory of the scan (a registry or
/// git module) is a note: its resources are not seen.
fn instantiate_modules(
    sources: &std::collections::BTreeMap<PathBuf, Module>,
    max_file_size: u64,
    modules: &mut TerraformModules,
) {
    // Each module's structure, once, in parallel: its instances then
    // only evaluate.
    let tree = Tree {
        shapes: sources
            .par_iter()
            .map(|(dir, module)| (dir.as_path(), terraform::ModuleShape::of(module.files())))
            .collect(),
        modules: sources,
        max_file_size,
        file_cache: terraform::FileCache::default(),
    };
    // Which directories are called (by their literal source, or installed
    // by `terraform init` for a root): not roots.
    let mut called: std::collections::BTreeSet<PathBuf> = Default::default();
    for (dir, module) in sources {
        let shape = tree.shapes.get(dir.as_path());
        for source in shape.into_iter().flat_map(|shape| shape.sources()) {
            if let Some(path) = tree.target(dir, source)
                && path != *dir
            {
                called.insert(path);
            }
        }
        called.extend(
            module
                .installed
                .values()
                .map(|(path, _)| path)
                .filter(|path| *path != dir && sources.contains_key(*path))
                .cloned(),
        );
    }
    let roots: Vec<&PathBuf> = sources
        .keys()
        .filter(|dir| !called.contains(*dir))
        .collect();
    // Roots share nothing but the file cache: each is made on its own, in
    // parallel, and merged in path order, as if made one after another.
    // Only the instance limit counts across roots: from the root that
    // would reach it on, roots are made again one at a time, where the
    // count stands, so which calls go over is the same in every run.
    let alone: Vec<Made> = roots
        .par_iter()
        .map(|dir| {
            let mut made = Made::default();
            instantiate_root(&tree, &mut made, dir);
            made
        })
        .collect();
    let mut in_order = false;
    for (dir, made) in roots.into_iter().zip(alone) {
        in_order = in_order
            || (modules.instantiated > 0
                && modules.instantiated + made.instantiated >= MAX_MODULE_INSTANCES);
        let made = if in_order {
            let mut made = Made::after(modules);
            instantiate_root(&tree, &mut made, dir);
            made
        } else {
            made
        };
        modules.merge(made);
    }
    // Then what no root reaches (modules that only call each other) is a
    // root too, in path order: nothing of the tree goes unchecked.
    for dir in sources.keys() {
        if !modules.instances.contains_key(dir) {
            let mut made = Made::after(modules);
            instantiate_root(&tree, &mut made, dir);
            modules.merge(made);
        }
    }
}

/// What making the instances of one root module produced, to merge into
/// [`TerraformModules`] in root order.
#[derive(Default)]
struct Made {
    /// Each instance's directory and context, in the order made.
    instances: Vec<(PathBuf, terraform::ModuleContext)>,
    /// Directories a call reaches that have no instance (`count = 0`).
    reached: std::collections::BTreeSet<PathBuf>,
    /// Directories whose shape's diagnostics are reported already.
    reported: std::collections::BTreeSet<PathBuf>,
    diagnostics: Vec<Diagnostic>,
    /// Instances made before this root (of the scan) and by it.
    before: usize,
    instantiated: usize,
    /// Whether a call went over [`MAX_MODULE_INSTANCES`] (warned once per
    /// scan).
    over_instance_limit: bool,
}

impl Made {
    /// Nothing made yet, after what `modules` holds.
    fn after(modules: &TerraformModules) -> Self {
        Made {
            before: modules.instantiated,
            over_instance_limit: modules.over_instance_limit,
            ..Made::default()
        }
    }
}

impl TerraformModules {
    fn merge(&mut self, made: Made) {
        for (dir, context) in made.instances {
            self.instances.entry(dir).or_default().push(context);
        }
        for dir in made.reached {
            self.instances.entry(dir).or_default();
        }
        self.diagnostics.extend(made.diagnostics);
        self.instantiated += made.instantiated;
        self.over_instance_limit |= made.over_instance_limit;
    }
}

fn instantiate_root(tree: &Tree<'_>, made: &mut Made, dir: &Path) {
    let Some(module) = tree.modules.get(dir) else {
        return;
    };
    made.diagnostics
        .extend(module.values.diagnostics.iter().cloned());
    let mut stack = vec![dir.to_path_buf()];
    let instance = ModuleInstance {
        prefix: String::new(),
        values: module.values.values.clone(),
        origins: module.values.origins.clone(),
        calls: Vec::new(),
        output_referrers: Default::default(),
        root: dir.to_path_buf(),
        key: String::new(),
    };
    instantiate(tree, made, dir, &instance, &mut stack);
}

/// The modules of a tree, each one's shape, and what their file
/// functions share.
struct Tree<'a> {
    modules: &'a std::collections::BTreeMap<PathBuf, Module>,
    shapes: std::collections::BTreeMap<&'a Path, terraform::ModuleShape<'a>>,
    /// The largest file `file()` and `templatefile()` read.
    max_file_size: u64,
    /// What they read, once per path for the whole scan.
    file_cache: terraform::FileCache,
}

impl Tree<'_> {
    /// The directory of the tree a call in `dir` with a local `source`
    /// (`./x`, `../y`) targets.
    fn target(&self, dir: &Path, source: &str) -> Option<PathBuf> {
        if !(source.starts_with("./") || source.starts_with("../")) {
            return None;
        }
        let path = normalized(dir, source);
        self.modules.contains_key(&path).then_some(path)
    }
}

/// One module instance to make: its address prefix, its variables' values
/// and where they were set, and the calls that lead to it.
struct ModuleInstance {
    prefix: String,
    values: std::collections::BTreeMap<String, terraform::VariableValue>,
    origins: std::collections::BTreeMap<String, Vec<crate::resource::RelatedLocation>>,
    calls: Vec<crate::resource::RelatedLocation>,
    /// For each output, the caller's blocks that read it.
    output_referrers: std::collections::BTreeMap<String, Vec<String>>,
    /// The root module the calls start from, and the module key of this
    /// instance in it (`vpc.subnets`; `terraform init`'s key).
    root: PathBuf,
    key: String,
}

/// Makes one instance of the module in `dir` and, recursively, of the
/// modules it calls; returns its outputs as its caller reads them.
///
/// Calls whose arguments read another call's outputs (`module.label.id`,
/// directly or through locals) are made after it, in rounds: each round
/// makes the calls that wait for no call still to be made, then the
/// module's locals and remaining calls are evaluated again with the
/// outputs known so far (calls that wait for each other are made together,
/// with what is known).
fn instantiate(
    tree: &Tree<'_>,
    made_here: &mut Made,
    dir: &Path,
    instance: &ModuleInstance,
    stack: &mut Vec<PathBuf>,
) -> serde_json::Map<String, serde_json::Value> {
    let (Some(module), Some(shape)) = (tree.modules.get(dir), tree.shapes.get(dir)) else {
        return Default::default();
    };
    let mut module_outputs = serde_json::Map::new();
    let mut context = instance_context(module, shape, dir, instance, tree, &module_outputs);
    // A module called twice reports the same problem once (diagnostics
    // are sorted and deduplicated at the end), and each problem only one
    // call's values cause.
    made_here.diagnostics.append(&mut context.diagnostics);
    let mut calls = terraform::module_calls(shape, &context);
    let reads_outputs = context.local_modules.values().any(|m| !m.is_empty());
    if made_here.reported.insert(dir.to_path_buf()) {
        // What the module's files say whatever its values: once.
        made_here
            .diagnostics
            .extend(shape.diagnostics().iter().cloned());
    }
    made_here.instances.push((dir.to_path_buf(), context));
    let index = made_here.instances.len() - 1;
    made_here.instantiated += 1;
    // A module every call of which has `count = 0` (or an empty
    // `for_each`) has no resources: reached, not a root.
    for block_source in shape.sources() {
        if let Some(path) = tree.target(dir, block_source)
            && !stack.contains(&path)
        {
            made_here.reached.insert(path);
        }
    }
    let names: std::collections::BTreeSet<String> =
        calls.iter().map(|call| call.name.clone()).collect();
    let mut made: std::collections::BTreeSet<String> = Default::default();
    while made.len() < names.len() {
        let waits = |call: &terraform::ModuleCall| {
            call.reads_modules
                .iter()
                .any(|m| *m != call.name && names.contains(m) && !made.contains(m))
        };
        let mut ready: std::collections::BTreeSet<String> = calls
            .iter()
            .filter(|call| !made.contains(&call.name) && !waits(call))
            .map(|call| call.name.clone())
            .collect();
        if ready.is_empty() {
            ready = names.difference(&made).cloned().collect();
        }
        for call in calls.iter().filter(|call| ready.contains(&call.name)) {
            let Some(outputs) = follow_call(tree, made_here, dir, instance, call, stack) else {
                continue;
            };
            // `module.NAME`, `module.NAME["key"]`, `module.NAME[0]`.
            match &call.instance {
                None => {
                    module_outputs.insert(call.name.clone(), outputs);
                }
                Some(serde_json::Value::String(key)) => {
                    let by_key = module_outputs
                        .entry(call.name.clone())
                        .or_insert_with(|| serde_json::Value::Object(Default::default()));
                    if let serde_json::Value::Object(by_key) = by_key {
                        by_key.insert(key.clone(), outputs);
                    }
                }
                Some(_) => {
                    let by_index = module_outputs
                        .entry(call.name.clone())
                        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
                    if let serde_json::Value::Array(by_index) = by_index {
                        by_index.push(outputs);
                    }
                }
            }
        }
        made.extend(ready);
        if made.len() < names.len() {
            // The calls still to make see the outputs made so far.
            let now = instance_context(module, shape, dir, instance, tree, &module_outputs);
            calls = terraform::module_calls(shape, &now);
        }
    }
    // The instance's resources (evaluated later, per file) and its own
    // outputs see the outputs of the modules it calls; its locals too,
    // when they read them.
    let context = if reads_outputs && !module_outputs.is_empty() {
        instance_context(module, shape, dir, instance, tree, &module_outputs)
    } else {
        let Some((_, context)) = made_here.instances.get_mut(index) else {
            return Default::default();
        };
        let mut context = std::mem::take(context);
        context.module_outputs = module_outputs;
        context
    };
    let (outputs, refused) = context.outputs(shape.files());
    made_here.diagnostics.extend(refused);
    if let Some((_, slot)) = made_here.instances.get_mut(index) {
        *slot = context;
    }
    outputs
}

/// The context of one instance of `module`: its variables (the caller's
/// arguments or the root's values) and locals, seeing `module_outputs`;
/// its address prefix, calls, file functions and values' origins; the
/// caller's blocks that read its outputs as referrers.
fn instance_context(
    module: &Module,
    shape: &terraform::ModuleShape<'_>,
    dir: &Path,
    instance: &ModuleInstance,
    tree: &Tree<'_>,
    module_outputs: &serde_json::Map<String, serde_json::Value>,
) -> terraform::ModuleContext {
    let mut context = terraform::ModuleContext::gather_in(
        shape,
        &instance.values,
        &instance.origins,
        module_outputs,
    );
    context.address_prefix = instance.prefix.clone();
    context.files = module.boundary.as_ref().map(|boundary| {
        std::sync::Arc::new(terraform::ModuleFiles::new(
            &instance.root,
            dir,
            boundary.clone(),
            tree.max_file_size,
            tree.file_cache.clone(),
        ))
    });
    context.calls = instance.calls.clone();
    // Origins of the values that count: set from outside, and declared.
    context.variable_origins = instance
        .origins
        .iter()
        .filter(|(name, _)| context.variables.contains_key(*name))
        .map(|(name, origin)| (name.clone(), origin.clone()))
        .collect();
    // The caller's blocks that read an output refer to what it refers to:
    // a bucket's versioning in the root module reaches the module's bucket
    // through `module.logs.id`.
    for (output, readers) in &instance.output_referrers {
        for target in context.output_references.get(output).into_iter().flatten() {
            let referrers = std::sync::Arc::make_mut(&mut context.referenced_by)
                .entry(target.clone())
                .or_default();
            referrers.extend(readers.iter().cloned());
            referrers.sort();
            referrers.dedup();
        }
    }
    context
}

/// Follows one call of the module instance `instance` (in `dir`): the
/// called module's instance and its outputs, or `None` (and a diagnostic)
/// when the call is not followed.
fn follow_call(
    tree: &Tree<'_>,
    made: &mut Made,
    dir: &Path,
    instance: &ModuleInstance,
    call: &terraform::ModuleCall,
    stack: &mut Vec<PathBuf>,
) -> Option<serde_json::Value> {
    let prefix = &instance.prefix;
    let warn = |level: Level, message: String| {
        Diagnostic::file(
            level,
            DiagnosticKind::ParseError,
            call.file.clone(),
            message,
        )
        .at(crate::resource::Region::line(call.line, 1, 1))
    };
    let key = if instance.key.is_empty() {
        call.name.clone()
    } else {
        format!("{}.{}", instance.key, call.name)
    };
    let installed = tree
        .modules
        .get(&instance.root)
        .and_then(|root| root.installed.get(&key));
    let Some(path) = tree.target(dir, &call.source).or_else(|| {
        installed
            .map(|(path, _)| path)
            .filter(|path| tree.modules.contains_key(*path))
            .cloned()
    }) else {
        let message = match installed {
            Some((_, shown)) => format!(
                "module `{}` (source `{}`) is installed in {shown}, which the scan does not include (ignored, e.g. by .gitignore): its resources are not checked",
                call.name, call.source
            ),
            None => format!(
                "module `{}` (source `{}`) is not in the scanned tree (nor installed by `terraform init`): its resources are not checked",
                call.name, call.source
            ),
        };
        made.diagnostics.push(warn(Level::Note, message));
        return None;
    };
    if stack.contains(&path) || stack.len() > MAX_MODULE_DEPTH {
        made.diagnostics.push(warn(
            Level::Warning,
            format!(
                "module `{}` (source `{}`) calls itself, directly or through others, or nests deeper than {MAX_MODULE_DEPTH} calls: not followed",
                call.name, call.source
            ),
        ));
        return None;
    }
    if made.before + made.instantiated >= MAX_MODULE_INSTANCES {
        // Once: the calls after the first over the limit add nothing.
        if std::mem::replace(&mut made.over_instance_limit, true) {
            return None;
        }
        made.diagnostics.push(warn(
            Level::Warning,
            format!(
                "module `{}{}`: the tree's calls make more than {MAX_MODULE_INSTANCES} module instances; this one and the rest are not followed",
                call.name, call.key
            ),
        ));
        return None;
    }
    let address = format!("{prefix}module.{}{}", call.name, call.key);
    let at = |line: u32| crate::resource::RelatedLocation {
        path: Some(call.file.clone()),
        region: Some(crate::resource::Region::line(line, 1, 1)),
        message: String::new(),
    };
    let mut calls = instance.calls.clone();
    calls.push(crate::resource::RelatedLocation {
        message: format!("{address} called"),
        ..at(call.line)
    });
    let origins = call
        .argument_lines
        .iter()
        .map(|(name, &line)| {
            let mut origins = vec![crate::resource::RelatedLocation {
                message: format!("var.{name} set by {address}"),
                ..at(line)
            }];
            origins.extend(
                call.argument_origins
                    .get(name)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
            (name.clone(), origins)
        })
        .collect();
    let values = call
        .arguments
        .iter()
        .map(|(name, value)| (name.clone(), terraform::VariableValue::Value(value.clone())))
        .collect();
    stack.push(path.clone());
    let callee = ModuleInstance {
        prefix: format!("{address}."),
        values,
        origins,
        calls,
        output_referrers: call.output_referrers.clone(),
        root: instance.root.clone(),
        key,
    };
    let outputs = serde_json::Value::Object(instantiate(tree, made, &path, &callee, stack));
    stack.pop();
    Some(outputs)
}

/// Reads a walked file: still a regular file (not swapped for a link or a
/// FIFO since the walk), at most `max_file_size` bytes.
fn read_walked(
    file: &WalkedFile,
    options: &WalkOptions,
) -> Result<Vec<u8>, crate::read::ReadError> {
    crate::read::read_file(
        &file.path,
        options.max_file_size,
        crate::read::Links::Refuse,
    )
}

fn inventory_file(
    file: &WalkedFile,
    options: &WalkOptions,
    modules: &TerraformModules,
) -> (Option<FileInventory>, Vec<Diagnostic>) {
    let matcher = options.text.as_deref().filter(|m| !m.is_empty());
    let Some(format) = FileFormat::detect(&file.path) else {
        return match matcher {
            Some(matcher) => search_text(file, options, matcher),
            None => (None, Vec::new()),
        };
    };
    let diagnostic = |level, kind, message: String| {
        vec![Diagnostic::file(level, kind, file.display.clone(), message)]
    };
    let read = match modules.reads.get(&file.path) {
        Some(Ok(bytes)) => Ok(std::borrow::Cow::Borrowed(bytes.as_slice())),
        Some(Err(_)) | None => read_walked(file, options).map(std::borrow::Cow::Owned),
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) => return (None, vec![read_failure(file, &e, "not read")]),
    };
    // Files are chosen by name, so a NUL byte does not make one "binary":
    // it is parsed as what its name says (a NUL in a Dockerfile comment is
    // no reason to skip the Dockerfile).
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
    if let Some(matcher) = matcher {
        // A file of a known format is searched too: a token in a values
        // file or a workflow is as leaked as one in a `.env`.
        let inventoried = result
            .0
            .as_ref()
            .map_or(&[][..], |f| f.resources.as_slice());
        let (found, more) = text_resource(file, text.as_bytes(), inventoried, matcher);
        result.1.extend(more);
        if let Some(resource) = found {
            result
                .0
                .get_or_insert_with(|| FileInventory {
                    path: file.display.clone(),
                    format,
                    resources: Vec::new(),
                    commit: None,
                    suppressions: Vec::new(),
                    sources: Default::default(),
                })
                .resources
                .push(resource);
        }
    }
    if let Some(inventory) = &mut result.0 {
        inventory.suppressions = crate::suppress::inline_suppressions(text);
        if options.keep_sources {
            inventory.sources.insert(file.display.clone(), text);
        }
    }
    result
}

/// Why a file could not be read, as its diagnostic; `what` says what was
/// not done ("not read"). A file over the limit, or not a regular file any
/// more, is a gap in the scan: an error (exit 2) unless `accept-skipped`
/// covers it.
fn read_failure(file: &WalkedFile, error: &crate::read::ReadError, what: &str) -> Diagnostic {
    use crate::read::ReadError;
    let (kind, message) = match error {
        ReadError::TooLarge { size, limit } => (
            DiagnosticKind::Skipped,
            format!(
                "{what}: {size} bytes is over the size limit of {limit} bytes (--max-file-size; or accept it with `accept-skipped` in rampart.yaml)"
            ),
        ),
        ReadError::NotRegular { .. } => (DiagnosticKind::Skipped, walk::reason(error)),
        ReadError::Io(_) => (DiagnosticKind::Io, walk::reason(error)),
    };
    Diagnostic::file(Level::Error, kind, file.display.clone(), message)
}

/// A file of no known format, searched for the detectors' candidates: a
/// binary file is a note; a text file over the size limit, or one that
/// cannot be read, a gap in the scan, as any file.
fn search_text(
    file: &WalkedFile,
    options: &WalkOptions,
    matcher: &text::TextMatcher,
) -> (Option<FileInventory>, Vec<Diagnostic>) {
    use crate::read::Searchable;
    let diagnostic = |level, kind, message: String| {
        vec![Diagnostic::file(level, kind, file.display.clone(), message)]
    };
    let bytes = match crate::read::read_searchable(
        &file.path,
        options.max_file_size,
        crate::read::Links::Refuse,
    ) {
        Ok(Searchable::Text(bytes)) => bytes,
        Ok(Searchable::Binary) => {
            return (
                None,
                diagnostic(
                    Level::Note,
                    DiagnosticKind::Skipped,
                    "binary: not searched for secrets".to_owned(),
                ),
            );
        }
        Err(e) => {
            return (
                None,
                vec![read_failure(file, &e, "not searched for secrets")],
            );
        }
    };
    let (found, diagnostics) = text_resource(file, &bytes, &[], matcher);
    let Some(resource) = found else {
        return (None, diagnostics);
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut inventory = FileInventory {
        path: file.display.clone(),
        format: FileFormat::Text,
        resources: vec![resource],
        commit: None,
        suppressions: crate::suppress::inline_suppressions(&text),
        sources: Default::default(),
    };
    if options.keep_sources {
        inventory
            .sources
            .insert(file.display.clone(), text.as_ref());
    }
    (Some(inventory), diagnostics)
}

/// The `text` resource of a file's bytes (and of the encoded values of the
/// file's `resources`: a Kubernetes `Secret`'s `data`), if the detectors
/// found anything, and the diagnostic of a file with more candidates than
/// are judged.
fn text_resource(
    file: &WalkedFile,
    bytes: &[u8],
    resources: &[Resource],
    matcher: &text::TextMatcher,
) -> (Option<Resource>, Vec<Diagnostic>) {
    let (candidates, mut over) = matcher.candidates(bytes);
    let mut located = matcher.locate(bytes, &candidates);
    for resource in resources {
        let (decoded, more) = matcher.in_secret_data(resource);
        located.extend(decoded);
        over |= more || located.len() > text::MAX_CANDIDATES_PER_FILE;
    }
    let mut diagnostics = Vec::new();
    if over {
        diagnostics.push(Diagnostic::file(
            Level::Error,
            DiagnosticKind::Skipped,
            file.display.clone(),
            format!(
                "more than {} secret candidates: only the first {0} are judged",
                text::MAX_CANDIDATES_PER_FILE
            ),
        ));
    }
    if located.is_empty() {
        return (None, diagnostics);
    }
    (Some(matcher.resource(&file.display, located)), diagnostics)
}
/// Parses a file's text into its resources, by its format's collector.
fn parse_text(
    file: &WalkedFile,
    format: FileFormat,
    text: &str,
    options: &WalkOptions,
    modules: &TerraformModules,
) -> (Option<FileInventory>, Vec<Diagnostic>) {
    let Some(collector) = collectors::collector(format) else {
        return (None, Vec::new());
    };
    let input = collectors::Input {
        file,
        format,
        text,
        options,
        modules,
    };
    match (collector.collect)(&input) {
        Ok(collected) => {
            let (mut inventory, mut diagnostics) = parsed(file, format, collected.resources);
            if let Some(inventory) = &mut inventory
                && options.keep_sources
            {
                inventory.sources = collected.sources;
            }
            diagnostics.extend(collected.diagnostics);
            (inventory, diagnostics)
        }
        Err(collectors::Refused::Invalid(error)) => parse_error(file, collector.name, error),
        Err(collectors::Refused::Skipped(reason)) => (
            None,
            vec![Diagnostic::file(
                Level::Note,
                DiagnosticKind::Skipped,
                file.display.clone(),
                reason,
            )],
        ),
    }
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
        sources: crate::resource::Sources::default(),
        commit: None,
    };
    (Some(inventory), Vec::new())
}

/// A file that did not parse as `what` (a format's name): an error
/// diagnostic at the parser's region.
fn parse_error(
    file: &WalkedFile,
    what: &str,
    error: ParseError,
) -> (Option<FileInventory>, Vec<Diagnostic>) {
    let diagnostic = Diagnostic::file(
        Level::Error,
        DiagnosticKind::ParseError,
        file.display.clone(),
        format!("invalid {what}: {}", error.message),
    )
    .at(error.region);
    (None, vec![diagnostic])
}
