//! Compiles policy crates of this workspace to `wasm32-wasip2` components
//! from a build script.
//!
//! Built-in packs are embedded in the `rampart` binary and the test suite
//! builds hostile policies from source, so both need a `.wasm` produced as
//! part of an ordinary `cargo build` / `cargo test`. A build script cannot
//! ask its own cargo for another target, so it runs a second cargo:
//!
//! * with its own target directory (`target/policies`), because the outer
//!   cargo holds the lock on its own and waiting for it would deadlock;
//! * with the outer cargo's environment cleaned of everything that describes
//!   the *outer* build (`RUSTFLAGS`, `CARGO_*` build-script variables,
//!   clippy's wrapper …), which would otherwise leak into a build for
//!   another target;
//! * with the `policy` profile of the workspace (small, fast components).
//!
//! The second cargo is incremental like any other: when nothing changed it
//! returns in a fraction of a second.
//!
//! ```no_run
//! // build.rs
//! let built = rampart_wasm_build::build(&["rampart-pack-kubernetes"]).unwrap();
//! for component in &built {
//!     println!("{} -> {}", component.package, component.wasm.display());
//! }
//! ```

use std::env;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The target every policy component is built for.
pub const TARGET: &str = "wasm32-wasip2";
/// The cargo profile used for policy components (defined in the workspace
/// `Cargo.toml`).
pub const PROFILE: &str = "policy";

/// A component produced by [`build`].
#[derive(Debug, Clone)]
pub struct Component {
    /// The cargo package it was built from.
    pub package: String,
    /// Absolute path of the `.wasm` component.
    pub wasm: PathBuf,
}

/// Why a build failed, with what to do about it.
pub struct BuildError(String);

/// A build script that returns `Err` shows the error's `Debug` form: make it
/// the readable message (with the inner cargo's output), not a quoted string.
impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

/// The workspace root: the nearest ancestor of the calling crate's
/// manifest directory that holds `Cargo.lock` or a `[workspace]` manifest.
pub fn workspace_root() -> Result<PathBuf, BuildError> {
    let manifest_dir = env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| {
            BuildError("CARGO_MANIFEST_DIR is not set: call this from a build script".into())
        })?;
    manifest_dir
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|manifest| manifest.lines().any(|l| l.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            BuildError(format!(
                "no workspace manifest above {}",
                manifest_dir.display()
            ))
        })
}

/// The directory the policy components are built in.
pub fn target_dir(workspace_root: &Path) -> PathBuf {
    let outer = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                workspace_root.join(dir)
            }
        })
        .unwrap_or_else(|| workspace_root.join("target"));
    outer.join("policies")
}

/// Builds `packages` (workspace members) to components and returns their
/// paths, in the order given.
///
/// Prints `cargo:rerun-if-changed` lines for the packages, the SDK, the
/// shared concerns table, the WIT and the lockfile, so the calling build
/// script runs again exactly when a policy could have changed.
pub fn build(packages: &[&str]) -> Result<Vec<Component>, BuildError> {
    let root = workspace_root()?;
    let target_dir = target_dir(&root);
    for path in [
        "Cargo.toml",
        "Cargo.lock",
        "policies/sdk",
        "policies/concerns",
        "policies/wit",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(path).display());
    }
    ensure_target_installed()?;
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(cargo);
    command
        .current_dir(&root)
        .arg("build")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["--target", TARGET, "--profile", PROFILE])
        .arg("--target-dir")
        .arg(&target_dir);
    for package in packages {
        command.args(["--package", package]);
    }
    clean_environment(&mut command);
    let output = command
        .output()
        .map_err(|e| BuildError(format!("could not run cargo to build policies: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let hint = if stderr.contains("may not be installed")
            || stderr.contains("can't find crate for `core`")
        {
            "\nhint: install the target with `rustup target add wasm32-wasip2`"
        } else {
            ""
        };
        return Err(BuildError(format!(
            "building policy components ({}) failed:\n{stderr}{hint}",
            packages.join(", ")
        )));
    }
    let out_dir = target_dir.join(TARGET).join(PROFILE);
    packages
        .iter()
        .map(|package| {
            let wasm = out_dir.join(format!("{}.wasm", package.replace('-', "_")));
            if !wasm.is_file() {
                return Err(BuildError(format!(
                    "cargo built `{package}` but {} is missing: is its crate-type `cdylib`?",
                    wasm.display()
                )));
            }
            Ok(Component {
                package: (*package).to_owned(),
                wasm,
            })
        })
        .collect()
}

/// Builds every package in the workspace directory `subdir` (one package
/// per child directory, e.g. `policies/builtin`) and returns each child's
/// directory name with its component, sorted by directory name.
pub fn build_dir(subdir: &str) -> Result<Vec<(String, Component)>, BuildError> {
    let root = workspace_root()?;
    let packages = packages_in(&root.join(subdir))?;
    let names: Vec<&str> = packages
        .iter()
        .map(|(_, package)| package.as_str())
        .collect();
    let built = build(&names)?;
    Ok(packages
        .into_iter()
        .map(|(dir, _)| dir)
        .zip(built)
        .collect())
}

/// Installs the `wasm32-wasip2` standard library with rustup if the
/// toolchain lacks it, so that a plain `cargo build` works on a fresh
/// machine (`rust-toolchain.toml` names the target, but rustup only reads
/// that when it installs the toolchain itself).
fn ensure_target_installed() -> Result<(), BuildError> {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| BuildError(format!("cannot run rustc: {e}")))?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    if sysroot.join("lib/rustlib").join(TARGET).is_dir() {
        return Ok(());
    }
    println!(
        "cargo:warning=installing the {TARGET} target with rustup (needed to build policy components)"
    );
    let mut rustup = Command::new("rustup");
    rustup.args(["target", "add", TARGET]);
    if let Some(toolchain) = sysroot.file_name() {
        // The sysroot directory is named after the toolchain, e.g.
        // `1.95.0-x86_64-unknown-linux-gnu`.
        rustup.arg("--toolchain").arg(toolchain);
    }
    match rustup.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(BuildError(format!(
            "`rustup target add {TARGET}` failed ({status}); install the target by hand"
        ))),
        Err(e) => Err(BuildError(format!(
            "the {TARGET} target is not installed and rustup could not be run ({e}); \
             install the target for your toolchain by hand"
        ))),
    }
}

/// Packages found as `<dir>/<name>/Cargo.toml` under `dir` of the workspace,
/// sorted by directory name, as `(directory name, package name)`.
///
/// The package name is read from the manifest's `name = "…"` line.
pub fn packages_in(dir: &Path) -> Result<Vec<(String, String)>, BuildError> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries = std::fs::read_dir(dir)
        .map_err(|e| BuildError(format!("cannot list {}: {e}", dir.display())))?;
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| BuildError(format!("cannot list {}: {e}", dir.display())))?;
        let manifest = entry.path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let name = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("name"))
            .filter_map(|rest| rest.trim().strip_prefix('='))
            .map(|v| v.trim().trim_matches('"').to_owned())
            .next()
            .ok_or_else(|| BuildError(format!("{} has no package name", manifest.display())))?;
        found.push((entry.file_name().to_string_lossy().into_owned(), name));
    }
    found.sort();
    Ok(found)
}

/// Removes what describes the outer build from the inner cargo's
/// environment. Kept: `CARGO_HOME`, network and registry settings, the
/// jobserver (so both builds share the machine's cores), and `RUSTC` (the
/// same toolchain).
fn clean_environment(command: &mut Command) {
    const KEEP_PREFIXES: &[&str] = &[
        "CARGO_HOME",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTRIES_",
        "CARGO_REGISTRY_",
        "CARGO_TERM_",
        "CARGO_MAKEFLAGS",
    ];
    const REMOVE: &[&str] = &[
        "RUSTFLAGS",
        "RUSTDOCFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "TARGET",
        "HOST",
        "OUT_DIR",
        "OPT_LEVEL",
        "PROFILE",
        "DEBUG",
        "NUM_JOBS",
        "RUSTC_LINKER",
    ];
    for (key, _) in env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let cargo_var =
            key.starts_with("CARGO_") && !KEEP_PREFIXES.iter().any(|p| key.starts_with(p));
        let build_var = key.starts_with("DEP_") || REMOVE.contains(&key);
        if cargo_var || build_var {
            command.env_remove(key);
        }
    }
}
