//! Shared helpers for rampart's end-to-end tests.

use rampart_core::Resource;
use rampart_core::policy::{CacheMode, EngineOptions, PolicyEngine, SandboxLimits};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Paths of the components built from `tests/policies/*`.
pub mod policies {
    include!(concat!(env!("OUT_DIR"), "/test_policies.rs"));
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// An engine with no disk cache and the given limits.
pub fn engine_with(limits: SandboxLimits) -> PolicyEngine {
    PolicyEngine::new(EngineOptions {
        limits,
        cache: CacheMode::Disabled,
    })
    .expect("engine")
}

/// A resource of kind `test` with the given document.
pub fn resource(id: &str, document: Value) -> Resource {
    Resource::new("test", id, format!("{id}.json"), document)
}

pub mod osv_server;
pub mod sshd;

/// Makes sure a program from a Debian package is installed: the tests use
/// real tools (debootstrap, sshd), and the README's test command must work
/// on a fresh machine. As root it installs the package with apt-get (as
/// `.ci/run` does); otherwise it panics with the command to run.
pub fn ensure_tool(program: &str, package: &str) {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = INSTALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let present = |p: &str| {
        std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path)
                .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
                .any(|dir| dir.join(p).is_file())
        })
    };
    if present(program) {
        return;
    }
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    assert!(
        is_root,
        "the tests need `{program}`: run `sudo apt-get install {package}`"
    );
    for args in [
        vec!["update", "-qq"],
        vec!["install", "-y", "-qq", "--no-install-recommends", package],
    ] {
        let status = std::process::Command::new("apt-get")
            .args(&args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run apt-get");
        assert!(status.success(), "apt-get {args:?} failed: {status}");
    }
    assert!(present(program), "{package} did not install {program}");
}

/// A real Debian 12 root filesystem made by `debootstrap --variant=minbase`
/// (Debian's own tool; well under a minute here), built once and kept in
/// `$RAMPART_TEST_ROOTFS`, else `target/test-rootfs/bookworm`, for later
/// runs.
pub fn debian_rootfs() -> PathBuf {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        ensure_tool("debootstrap", "debootstrap");
        let root = std::env::var_os("RAMPART_TEST_ROOTFS")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("target/test-rootfs/bookworm"));
        if root.join("var/lib/dpkg/status").is_file() {
            return root;
        }
        let parent = root.parent().expect("rootfs has a parent");
        std::fs::create_dir_all(parent).expect("create the rootfs directory");
        // Built beside its final place and renamed: an interrupted build
        // never looks finished.
        let partial = parent.join(format!(
            "{}.partial-{}",
            root.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("rootfs"),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&partial);
        let mirror = std::env::var("RAMPART_DEBIAN_MIRROR")
            .unwrap_or_else(|_| "http://deb.debian.org/debian".to_owned());
        let status = std::process::Command::new("debootstrap")
            .args(["--variant=minbase", "bookworm"])
            .arg(&partial)
            .arg(&mirror)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run debootstrap");
        assert!(status.success(), "debootstrap failed: {status}");
        std::fs::rename(&partial, &root).expect("move the rootfs into place");
        root
    })
    .clone()
}

/// The componentize-py program that `rampart policy build` runs for Python
/// packs: `$RAMPART_COMPONENTIZE_PY`, else one on `PATH`, else the pinned
/// release installed from PyPI into a virtual environment under
/// `target/tools/` (once; later runs reuse it).
pub fn componentize_py() -> PathBuf {
    use rampart_authoring::COMPONENTIZE_PY_VERSION;
    toolchain("RAMPART_COMPONENTIZE_PY", "componentize-py", |tools| {
        let venv = tools.join("venv");
        run_install(
            std::process::Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv),
        );
        run_install(
            std::process::Command::new(venv.join("bin/pip"))
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .arg(format!("componentize-py=={COMPONENTIZE_PY_VERSION}")),
        );
        venv.join("bin/componentize-py")
    })
}

/// The componentize-js program for JavaScript packs: `$RAMPART_COMPONENTIZE_JS`,
/// else one on `PATH`, else the pinned release installed from the npm
/// registry under `target/tools/` (once).
pub fn componentize_js() -> PathBuf {
    use rampart_authoring::COMPONENTIZE_JS_VERSION;
    toolchain("RAMPART_COMPONENTIZE_JS", "componentize-js", |tools| {
        let prefix = tools.join("node");
        run_install(
            std::process::Command::new("npm")
                .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
                .arg(&prefix)
                .arg(format!(
                    "@bytecodealliance/componentize-js@{COMPONENTIZE_JS_VERSION}"
                )),
        );
        prefix.join("node_modules/.bin/componentize-js")
    })
}

/// A toolchain program from the environment, `PATH` or `target/tools`,
/// installed there by `install` when missing. A file lock keeps parallel
/// test binaries from installing it twice at once.
fn toolchain(env: &str, program: &str, install: impl FnOnce(&Path) -> PathBuf) -> PathBuf {
    if let Some(path) = std::env::var_os(env).filter(|v| !v.is_empty()) {
        return PathBuf::from(path);
    }
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    });
    if let Some(found) = on_path {
        return found;
    }
    let tools = workspace_root().join("target/tools");
    std::fs::create_dir_all(&tools).expect("create target/tools");
    let lock = std::fs::File::create(tools.join(format!("{program}.lock"))).expect("lock file");
    lock.lock().expect("lock target/tools");
    let marker = tools.join(format!("{program}.path"));
    if let Ok(path) = std::fs::read_to_string(&marker) {
        let path = PathBuf::from(path);
        if path.is_file() {
            return path;
        }
    }
    let path = install(&tools);
    assert!(
        path.is_file(),
        "installing {program} gave no {}",
        path.display()
    );
    std::fs::write(&marker, path.display().to_string()).expect("write marker");
    path
}

fn run_install(command: &mut std::process::Command) {
    let out = command.output().expect("run installer");
    assert!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
