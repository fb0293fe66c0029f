//! Writing policy packs: scaffolding a new pack, building it with its
//! language's toolchain, and testing it against its fixtures
//! (`rampart policy new` / `policy build` / `policy test`).
//!
//! A crate of its own, above `rampart-core`'s facade: it runs cargo,
//! componentize-py and npm, which the sandboxed runtime must not depend
//! on, and it tests a pack the way a user's scan would run it.
//!
//! A pack is a directory. What is in it says its language:
//!
//! | language | marker | toolchain | the SDK |
//! |---|---|---|---|
//! | Rust | `Cargo.toml` | `cargo build --target wasm32-wasip2` | the `rampart-policy` crate |
//! | Python | `rules.py` defining `pack` | [componentize-py] | `rampart_policy.py` |
//! | JavaScript | `rules.js` exporting `pack` | [componentize-js] | `rampart_policy.js` |
//!
//! Python and JavaScript packs are built from a small entry module that
//! rampart writes (it hands the author's `pack` to the SDK's `component`
//! adapter), so an author's files hold rules and nothing else. Both
//! toolchains are run so that the component imports nothing the sandbox
//! refuses: componentize-py with `--stub-wasi` (CPython's runtime would
//! otherwise import a filesystem and sockets), componentize-js without its
//! `stdio`, `http` and `fetch-event` features (stdio brings a filesystem
//! import, the others the network). Each SDK routes `print` /
//! `console.log` to the host's `log` instead.
//!
//! The result is `dist/pack.wasm`. Checking it against the world and the
//! import allow-list — and compiling it into the cache, so that the first
//! scan does not pay for it — is loading it with a
//! [`PolicyEngine`](rampart_core::policy::PolicyEngine).
//!
//! ```no_run
//! use rampart_authoring::{self as authoring, Language};
//! use rampart_core::policy::{EngineOptions, PackSource, PolicyEngine};
//!
//! let dir = std::path::Path::new("acme-policies");
//! authoring::scaffold(dir, "acme", Language::Python)?;
//! let built = authoring::build(dir, &authoring::BuildOptions::default())?;
//! let pack = PolicyEngine::new(EngineOptions::default())?.load(PackSource::file(&built.component), None)?;
//! assert_eq!(pack.metadata().name, "acme");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [componentize-py]: https://github.com/bytecodealliance/componentize-py
//! [componentize-js]: https://github.com/bytecodealliance/ComponentizeJS

pub mod fixtures;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The WIT world every pack targets (`policies/wit/policy.wit`).
pub const WIT: &str = include_str!("../../policies/wit/policy.wit");
/// The Python SDK module, `rampart_policy.py`.
pub const PYTHON_SDK: &str = include_str!("../../policies/sdk-python/rampart_policy.py");
/// The JavaScript SDK module, `rampart_policy.js`.
pub const JS_SDK: &str = include_str!("../../policies/sdk-js/rampart_policy.js");

/// The componentize-py release the Python SDK is tested with.
pub const COMPONENTIZE_PY_VERSION: &str = "0.25.1";
/// The componentize-js release the JavaScript SDK is tested with.
pub const COMPONENTIZE_JS_VERSION: &str = "0.23.0";

/// Where a built pack goes, relative to its directory.
pub const OUTPUT: &str = "dist/pack.wasm";

/// The language a pack is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Rust, with the `rampart-policy` crate.
    Rust,
    /// Python, with `rampart_policy.py` and componentize-py.
    Python,
    /// JavaScript (ES modules), with `rampart_policy.js` and componentize-js.
    JavaScript,
}

impl Language {
    /// Every language, in the order the docs list them.
    pub const ALL: [Language; 3] = [Language::Rust, Language::Python, Language::JavaScript];

    /// The file whose presence marks a pack of this language.
    pub fn marker(self) -> &'static str {
        match self {
            Language::Rust => "Cargo.toml",
            Language::Python => "rules.py",
            Language::JavaScript => "rules.js",
        }
    }

    /// The language of the pack in `dir`, from its marker file.
    pub fn detect(dir: &Path) -> Result<Language, AuthoringError> {
        Language::ALL
            .into_iter()
            .find(|lang| dir.join(lang.marker()).is_file())
            .ok_or_else(|| AuthoringError::NotAPack(dir.to_path_buf()))
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Language::Rust => "Rust",
            Language::Python => "Python",
            Language::JavaScript => "JavaScript",
        })
    }
}

impl FromStr for Language {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "rust" | "rs" => Ok(Language::Rust),
            "python" | "py" => Ok(Language::Python),
            "js" | "javascript" => Ok(Language::JavaScript),
            _ => Err(format!("unknown language `{s}`: use rust, python or js")),
        }
    }
}

/// What can go wrong while scaffolding or building a pack.
#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    /// The pack name is not usable.
    #[error(
        "`{0}` is not a valid pack name: use 1-64 letters, digits, `-` and `_`, starting with a letter"
    )]
    InvalidName(String),
    /// `policy new` would overwrite something.
    #[error("{} already exists and is not empty: choose a new directory", .0.display())]
    NotEmpty(PathBuf),
    /// No marker file in the directory.
    #[error(
        "{} is not a policy pack: it has no Cargo.toml, rules.py or rules.js (`rampart policy new` makes one)",
        .0.display()
    )]
    NotAPack(PathBuf),
    /// A file the build needs is missing.
    #[error("{} is missing: {hint}", .path.display())]
    Missing {
        /// The missing file.
        path: PathBuf,
        /// What to do about it.
        hint: String,
    },
    /// The language's toolchain is not installed.
    #[error("{tool} was not found: {hint}")]
    ToolMissing {
        /// The program looked for.
        tool: String,
        /// How to install it.
        hint: String,
    },
    /// The toolchain ran and failed.
    #[error("`{command}` failed ({status}):\n{output}{hint}")]
    BuildFailed {
        /// The command line.
        command: String,
        /// Its exit status.
        status: String,
        /// The end of what it printed.
        output: String,
        /// A hint when the failure is a known one, else empty.
        hint: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> AuthoringError + '_ {
    move |source| AuthoringError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether `name` is a valid pack name: what the host accepts in
/// `pack-info.name`, starting with a letter so that it is also a valid
/// crate and package name.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The example rule's id for a pack: its name in capitals, `-001`
/// (`acme-k8s` → `ACME-K8S-001`).
pub fn example_rule_id(name: &str) -> String {
    format!("{}-001", name.to_ascii_uppercase().replace('_', "-"))
}

/// Writes a new pack to `dir` (created; it must not exist or be empty):
/// one example rule (container images must be pinned), its positive and
/// negative fixtures, unit tests in the language's own test runner, a
/// README and a `.gitignore`. Returns the files written, relative to `dir`.
pub fn scaffold(dir: &Path, name: &str, lang: Language) -> Result<Vec<PathBuf>, AuthoringError> {
    if !valid_name(name) {
        return Err(AuthoringError::InvalidName(name.to_owned()));
    }
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io_error(dir))?;
        if entries.next().is_some() {
            return Err(AuthoringError::NotEmpty(dir.to_path_buf()));
        }
    }
    let rule = example_rule_id(name);
    let fill = |template: &str| {
        template
            .replace("{{name}}", name)
            .replace("{{RULE}}", &rule)
            .replace("{{componentize_js_version}}", COMPONENTIZE_JS_VERSION)
            .replace("{{sdk_dependency}}", &rust_sdk_dependency())
    };
    let mut files: Vec<(String, String)> = vec![
        (
            format!("fixtures/{rule}/positive.yaml"),
            fill(include_str!("templates/fixture-positive.yaml")),
        ),
        (
            format!("fixtures/{rule}/negative.yaml"),
            fill(include_str!("templates/fixture-negative.yaml")),
        ),
        (
            ".gitignore".into(),
            include_str!("templates/gitignore").into(),
        ),
    ];
    let (rules_file, toolchain, unit_tests, logging) = match lang {
        Language::Rust => {
            files.push((
                "Cargo.toml".into(),
                fill(include_str!("templates/Cargo.toml.tmpl")),
            ));
            files.push((
                "src/lib.rs".into(),
                fill(include_str!("templates/lib.rs.tmpl")),
            ));
            (
                "src/lib.rs",
                "rustup target add wasm32-wasip2   # once".to_owned(),
                "cargo test                    # the rules' unit tests, natively",
                "`rampart_policy::log` writes to rampart's log (`rampart --verbose`).",
            )
        }
        Language::Python => {
            files.push((
                "rules.py".into(),
                fill(include_str!("templates/rules.py.tmpl")),
            ));
            files.push((
                "test_rules.py".into(),
                fill(include_str!("templates/test_rules.py.tmpl")),
            ));
            files.push(("rampart_policy.py".into(), PYTHON_SDK.into()));
            (
                "rules.py",
                format!("pip install componentize-py=={COMPONENTIZE_PY_VERSION}   # once"),
                "python -m unittest           # the rules' unit tests, natively",
                "`print` writes to rampart's log (`rampart --verbose`).",
            )
        }
        Language::JavaScript => {
            files.push((
                "rules.js".into(),
                fill(include_str!("templates/rules.js.tmpl")),
            ));
            files.push((
                "rules.test.js".into(),
                fill(include_str!("templates/rules.test.js.tmpl")),
            ));
            files.push((
                "package.json".into(),
                fill(include_str!("templates/package.json.tmpl")),
            ));
            files.push(("rampart_policy.js".into(), JS_SDK.into()));
            (
                "rules.js",
                "npm install                   # once: componentize-js".to_owned(),
                "node --test                   # the rules' unit tests, natively",
                "`console.log` writes to rampart's log (`rampart --verbose`).",
            )
        }
    };
    let readme = fill(include_str!("templates/README.md.tmpl"))
        .replace("{{language}}", &lang.to_string())
        .replace("{{rules_file}}", rules_file)
        .replace("{{toolchain}}", &toolchain)
        .replace("{{unit_tests}}", unit_tests)
        .replace("{{logging}}", logging);
    files.push(("README.md".into(), readme));
    files.sort();

    let mut written = Vec::with_capacity(files.len());
    for (relative, text) in files {
        write_file(&dir.join(&relative), &text)?;
        written.push(PathBuf::from(relative));
    }
    Ok(written)
}

/// The `rampart-policy` dependency line of a new Rust pack: the SDK beside
/// this rampart's sources when they are on this machine (a development
/// build), else the published crate.
fn rust_sdk_dependency() -> String {
    let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/sdk");
    match sdk.canonicalize() {
        Ok(path) if path.join("Cargo.toml").is_file() => {
            format!(
                "rampart-policy = {{ path = {:?} }}",
                path.display().to_string()
            )
        }
        _ => "rampart-policy = \"0.1\"".to_owned(),
    }
}

/// How to build a pack.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Where to write the component (default: `<dir>/dist/pack.wasm`).
    pub output: Option<PathBuf>,
    /// The program to build with, instead of looking for the language's
    /// toolchain (`cargo`, `componentize-py`, `componentize-js`).
    pub tool: Option<PathBuf>,
}

/// A pack that was built.
#[derive(Debug, Clone)]
pub struct Built {
    /// The pack's language.
    pub language: Language,
    /// The component written.
    pub component: PathBuf,
    /// The command that built it.
    pub command: String,
    /// How long the toolchain took.
    pub elapsed: Duration,
}

/// Builds the pack in `dir` with its language's toolchain and writes the
/// component to `dist/pack.wasm` (or `options.output`).
///
/// The toolchain is looked for in this order: `options.tool`; the
/// environment (`CARGO`, `RAMPART_COMPONENTIZE_PY`,
/// `RAMPART_COMPONENTIZE_JS`); for JavaScript the pack's own
/// `node_modules/.bin`; then `PATH`. Its output is returned in the error
/// when it fails, with a hint for the usual causes.
pub fn build(dir: &Path, options: &BuildOptions) -> Result<Built, AuthoringError> {
    let language = Language::detect(dir)?;
    let output = match &options.output {
        Some(path) => path.clone(),
        None => dir.join(OUTPUT),
    };
    let output = absolute(&output)?;
    if let Some(parent) = output.parent() {
        std::fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    let started = Instant::now();
    let command = match language {
        Language::Rust => build_rust(dir, &output, options)?,
        Language::Python => build_python(dir, &output, options)?,
        Language::JavaScript => build_js(dir, &output, options)?,
    };
    Ok(Built {
        language,
        component: output,
        command,
        elapsed: started.elapsed(),
    })
}

fn absolute(path: &Path) -> Result<PathBuf, AuthoringError> {
    std::path::absolute(path).map_err(io_error(path))
}

/// `cargo build --release --target wasm32-wasip2`, then the cdylib that
/// cargo reports is copied to `output`. Cargo's JSON messages name the
/// artifact, so this works for a pack of its own and for a member of a
/// larger workspace alike.
fn build_rust(dir: &Path, output: &Path, options: &BuildOptions) -> Result<String, AuthoringError> {
    let cargo = options
        .tool
        .clone()
        .or_else(|| std::env::var_os("CARGO").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("cargo"));
    let manifest = dir.join("Cargo.toml");
    let mut command = Command::new(&cargo);
    command.args([
        "build",
        "--release",
        "--target",
        "wasm32-wasip2",
        "--message-format=json",
    ]);
    command.arg("--manifest-path").arg(&manifest);
    let out = run(
        &mut command,
        "cargo",
        "install Rust with rustup (https://rustup.rs), then `rustup target add wasm32-wasip2`",
    )?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let wasm = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-artifact")
        .filter(|msg| {
            msg["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "cdylib"))
        })
        .filter(|msg| same_file(msg["manifest_path"].as_str(), &manifest))
        .flat_map(|msg| {
            msg["filenames"]
                .as_array()
                .map(|names| {
                    names
                        .iter()
                        .filter_map(|n| n.as_str().map(PathBuf::from))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .find(|path| path.extension().is_some_and(|e| e == "wasm"));
    let Some(wasm) = wasm else {
        return Err(AuthoringError::Missing {
            path: manifest,
            hint: "cargo built no WebAssembly library: set `crate-type = [\"cdylib\", \"rlib\"]` under [lib]".into(),
        });
    };
    std::fs::copy(&wasm, output).map_err(io_error(output))?;
    Ok(command_line(&command))
}

fn same_file(reported: Option<&str>, manifest: &Path) -> bool {
    match (
        reported.map(Path::new).map(Path::canonicalize),
        manifest.canonicalize(),
    ) {
        (Some(Ok(a)), Ok(b)) => a == b,
        _ => false,
    }
}

/// componentize-py on an entry module that hands `rules.pack` to the SDK.
///
/// The entry module and the WIT go to a temporary directory; the pack's
/// directory comes first on the module path, so a `rampart_policy.py` the
/// author keeps there wins over the one built into rampart.
fn build_python(
    dir: &Path,
    output: &Path,
    options: &BuildOptions,
) -> Result<String, AuthoringError> {
    let hint = format!(
        "install it with `pip install componentize-py=={COMPONENTIZE_PY_VERSION}`, or name it with RAMPART_COMPONENTIZE_PY"
    );
    let tool = find_tool(
        options.tool.as_deref(),
        "RAMPART_COMPONENTIZE_PY",
        &[],
        "componentize-py",
    )
    .ok_or_else(|| AuthoringError::ToolMissing {
        tool: "componentize-py".into(),
        hint: hint.clone(),
    })?;
    let work = tempfile::tempdir().map_err(io_error(dir))?;
    let wit = work.path().join("wit");
    let app = work.path().join("app");
    write_file(&wit.join("policy.wit"), WIT)?;
    write_file(
        &app.join("rampart_app.py"),
        "# Written by `rampart policy build`: the component's entry module.\n\
         import rampart_policy\nimport rules\n\n\
         Pack = rampart_policy.component(rules.pack)\n\n\n\
         def _none(pack):\n\
         \x20   # A pack's own copy of an SDK older than detectors has none.\n\
         \x20   from wit_world import exports\n\n\
         \x20   class _Detectors(exports.Detectors):\n\
         \x20       def detectors(self):\n\
         \x20           return []\n\n\
         \x20   return _Detectors\n\n\n\
         Detectors = getattr(rampart_policy, \"detectors_component\", _none)(rules.pack)\n",
    )?;
    write_file(&app.join("rampart_policy.py"), PYTHON_SDK)?;
    let mut command = Command::new(&tool);
    command
        .arg("-d")
        .arg(&wit)
        .args(["-w", "policy", "componentize", "--stub-wasi", "rampart_app"])
        .arg("-p")
        .arg(absolute(dir)?)
        .arg("-p")
        .arg(&app)
        .arg("-o")
        .arg(output)
        // A syntax error in rules.py is the error to show, not the Rust
        // backtrace componentize-py adds when RUST_BACKTRACE is set.
        .env("RUST_BACKTRACE", "0")
        .current_dir(dir);
    run(&mut command, "componentize-py", &hint)?;
    Ok(command_line(&command))
}

/// componentize-js on an entry module beside a copy of the pack's sources.
///
/// componentize-js reads modules only from within the entry's directory tree
/// and does not follow symbolic links, so the pack's `.js` / `.mjs` files are
/// copied (links resolved) to `dist/.stage/`, with the SDK added when the
/// pack has no `rampart_policy.js` of its own.
fn build_js(dir: &Path, output: &Path, options: &BuildOptions) -> Result<String, AuthoringError> {
    let local = dir.join("node_modules/.bin/componentize-js");
    let hint = format!(
        "run `npm install` in {} (package.json lists it), or `npm install -g @bytecodealliance/componentize-js@{COMPONENTIZE_JS_VERSION}`, or name it with RAMPART_COMPONENTIZE_JS",
        dir.display()
    );
    let tool = find_tool(
        options.tool.as_deref(),
        "RAMPART_COMPONENTIZE_JS",
        &[local],
        "componentize-js",
    )
    .ok_or_else(|| AuthoringError::ToolMissing {
        tool: "componentize-js".into(),
        hint: hint.clone(),
    })?;
    let stage = dir.join("dist/.stage");
    if stage.exists() {
        std::fs::remove_dir_all(&stage).map_err(io_error(&stage))?;
    }
    stage_sources(dir, &stage)?;
    let sdk = stage.join("rampart_policy.js");
    if !sdk.is_file() {
        write_file(&sdk, JS_SDK)?;
    }
    write_file(
        &stage.join("rampart-entry.js"),
        "// Written by `rampart policy build`: the component's entry module.\n\
         import * as host from \"rampart:policy/host@0.1.1\";\n\
         import * as sdk from \"./rampart_policy.js\";\n\
         import { pack as rules } from \"./rules.js\";\n\n\
         export const pack = sdk.component(rules, host);\n\
         // A pack's own copy of an SDK older than detectors has none.\n\
         export const detectors = sdk.detectorsOf ? sdk.detectorsOf(rules) : { detectors: () => [] };\n",
    )?;
    let work = tempfile::tempdir().map_err(io_error(dir))?;
    let wit = work.path().join("wit");
    write_file(&wit.join("policy.wit"), WIT)?;
    let mut command = Command::new(&tool);
    command
        .arg("rampart-entry.js")
        .arg("--wit")
        .arg(&wit)
        .args(["--world-name", "policy"])
        // Disabling stdio drops the filesystem import its runtime brings;
        // http and fetch-event would import wasi:http. random and clocks
        // stay: the sandbox makes both deterministic.
        .args(["--disable", "stdio", "http", "fetch-event"])
        .arg("--out")
        .arg(output)
        .current_dir(&stage);
    let result = run(&mut command, "componentize-js", &hint);
    let _ = std::fs::remove_dir_all(&stage);
    result?;
    Ok(command_line(&command))
}

/// Copies the JavaScript modules of a pack (not its dependencies, build
/// output, fixtures or hidden directories) to `stage`, following links.
fn stage_sources(dir: &Path, stage: &Path) -> Result<(), AuthoringError> {
    const SKIP: [&str; 3] = ["node_modules", "dist", "fixtures"];
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io_error(dir))?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || SKIP.contains(&name) {
            continue;
        }
        if path.is_dir() {
            stage_sources(&path, &stage.join(name))?;
        } else if path
            .extension()
            .is_some_and(|e| e == "js" || e == "mjs" || e == "json")
        {
            std::fs::create_dir_all(stage).map_err(io_error(stage))?;
            let target = stage.join(name);
            std::fs::copy(&path, &target).map_err(io_error(&path))?;
        }
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> Result<(), AuthoringError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    std::fs::write(path, text).map_err(io_error(path))
}

/// The tool named explicitly, in `env`, at one of `places`, or on `PATH`.
fn find_tool(
    explicit: Option<&Path>,
    env: &str,
    places: &[PathBuf],
    program: &str,
) -> Option<PathBuf> {
    if let Some(tool) = explicit {
        return Some(tool.to_path_buf());
    }
    if let Some(tool) = std::env::var_os(env).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(tool));
    }
    if let Some(found) = places.iter().find(|p| p.is_file()) {
        return Some(found.clone());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Runs a toolchain command, capturing its output; a failure carries the
/// last lines of it and a hint.
fn run(
    command: &mut Command,
    tool: &str,
    install_hint: &str,
) -> Result<std::process::Output, AuthoringError> {
    let out = command.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            AuthoringError::ToolMissing {
                tool: tool.to_owned(),
                hint: install_hint.to_owned(),
            }
        } else {
            AuthoringError::Io {
                path: PathBuf::from(tool),
                source: e,
            }
        }
    })?;
    if out.status.success() {
        return Ok(out);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // cargo's --message-format=json puts the rendered errors in stdout.
    let rendered: Vec<String> = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|msg| msg["message"]["rendered"].as_str().map(str::to_owned))
        .collect();
    let text = format!("{}{}", rendered.join(""), stderr);
    // Imports the sandbox refuses are caught when `policy build` loads the
    // component, with their names; here only the toolchain's own failures.
    let hint = if text.contains("wasm32-wasip2") && text.contains("target may not be installed") {
        "\nhint: run `rustup target add wasm32-wasip2`".to_owned()
    } else {
        String::new()
    };
    Err(AuthoringError::BuildFailed {
        command: command_line(command),
        status: out.status.to_string(),
        output: tail(&text, 60),
        hint,
    })
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    let mut out = all[start..].join("\n");
    out.push('\n');
    out
}

fn command_line(command: &Command) -> String {
    let mut parts = vec![command.get_program().to_string_lossy().into_owned()];
    parts.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// The component to test or scan with for the pack in `dir`: `dist/pack.wasm`,
/// else the one `.wasm` in `dir`, else the one in
/// `target/wasm32-wasip2/release` (a Rust pack built by hand).
pub fn built_component(dir: &Path) -> Result<PathBuf, AuthoringError> {
    let built = dir.join(OUTPUT);
    if built.is_file() {
        return Ok(built);
    }
    for place in [dir.to_path_buf(), dir.join("target/wasm32-wasip2/release")] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&place)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        found.retain(|p| p.extension().is_some_and(|e| e == "wasm") && p.is_file());
        found.sort();
        match found.len() {
            0 => continue,
            1 => return Ok(found.remove(0)),
            _ => {
                return Err(AuthoringError::Missing {
                    path: place.join("<one>.wasm"),
                    hint: format!(
                        "{} holds several components: name one with --pack",
                        place.display()
                    ),
                });
            }
        }
    }
    Err(AuthoringError::Missing {
        path: dir.join(OUTPUT),
        hint: "build the pack first (`rampart policy build`), or name the component with --pack"
            .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLACEHOLDERS: [&str; 9] = [
        "{{name}}",
        "{{RULE}}",
        "{{language}}",
        "{{rules_file}}",
        "{{toolchain}}",
        "{{unit_tests}}",
        "{{logging}}",
        "{{sdk_dependency}}",
        "{{componentize_js_version}}",
    ];

    #[test]
    fn names_and_rule_ids() {
        assert!(valid_name("acme"));
        assert!(valid_name("acme-k8s_2"));
        assert!(!valid_name(""));
        assert!(!valid_name("2fast"));
        assert!(!valid_name("a b"));
        assert!(!valid_name(&"a".repeat(65)));
        assert_eq!(example_rule_id("acme-k8s_2"), "ACME-K8S-2-001");
    }

    #[test]
    fn languages_by_name_and_marker() {
        assert_eq!("python".parse::<Language>(), Ok(Language::Python));
        assert_eq!("JS".parse::<Language>(), Ok(Language::JavaScript));
        assert!("go".parse::<Language>().is_err());
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(matches!(
            Language::detect(dir.path()),
            Err(AuthoringError::NotAPack(_))
        ));
        std::fs::write(dir.path().join("rules.js"), "").expect("write");
        assert_eq!(
            Language::detect(dir.path()).ok(),
            Some(Language::JavaScript)
        );
    }

    #[test]
    fn scaffold_refuses_a_non_empty_directory_and_bad_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("keep.txt"), "mine").expect("write");
        let err = scaffold(dir.path(), "acme", Language::Python).unwrap_err();
        assert!(matches!(err, AuthoringError::NotEmpty(_)), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("keep.txt"))
                .ok()
                .as_deref(),
            Some("mine")
        );
        let err = scaffold(&dir.path().join("new"), "no good", Language::Rust).unwrap_err();
        assert!(matches!(err, AuthoringError::InvalidName(_)), "{err}");
    }

    #[test]
    fn scaffold_writes_rules_fixtures_and_tests_per_language() {
        for lang in Language::ALL {
            let root = tempfile::tempdir().expect("tempdir");
            let dir = root.path().join("acme");
            let files = scaffold(&dir, "acme", lang).expect("scaffold");
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            assert!(
                names.contains(&"fixtures/ACME-001/positive.yaml".to_owned()),
                "{names:?}"
            );
            assert!(
                names.contains(&"fixtures/ACME-001/negative.yaml".to_owned()),
                "{names:?}"
            );
            assert!(
                names.contains(&lang.marker().to_owned()) || lang == Language::Rust,
                "{names:?}"
            );
            assert_eq!(Language::detect(&dir).ok(), Some(lang));
            for file in &files {
                let text = std::fs::read_to_string(dir.join(file)).expect("read");
                for placeholder in PLACEHOLDERS {
                    assert!(
                        !text.contains(placeholder),
                        "{}: {placeholder} left",
                        file.display()
                    );
                }
            }
            let positive =
                std::fs::read_to_string(dir.join("fixtures/ACME-001/positive.yaml")).expect("read");
            assert_eq!(
                crate::fixtures::expected_lines(&positive, "ACME-001"),
                [19, 22, 39]
            );
        }
    }
}
