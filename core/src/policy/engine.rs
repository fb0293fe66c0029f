//! The policy engine: one wasmtime engine, its epoch ticker, the linker and
//! the compiled-component cache, shared by every pack it loads.

use super::bindings::BasePre;
use super::cache::{CacheOutcome, CompiledCache};
use super::error::LoadError;
use super::imports::{self, ABI_VERSION};
use super::limits::SandboxLimits;
use super::pack::{LoadStats, PolicyPack};
use super::sandbox::{self, SandboxState};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Instant;
use wasmtime::component::{Component, Linker};

/// Where compiled components are cached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CacheMode {
    /// [`CompiledCache::default_dir`] (XDG cache directory).
    #[default]
    Default,
    /// This directory.
    Dir(PathBuf),
    /// No disk cache: every load compiles.
    Disabled,
}

/// How to build a [`PolicyEngine`].
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Sandbox limits for every pack.
    pub limits: SandboxLimits,
    /// The compiled-component cache.
    pub cache: CacheMode,
}

/// Loads policy packs and runs them in a sandbox.
///
/// Cheap to clone; every clone shares the engine, the epoch ticker and the
/// cache. Packs keep the engine alive.
///
/// ```no_run
/// use rampart_core::policy::{EngineOptions, PackSource, PolicyEngine};
/// use rampart_core::Resource;
/// use serde_json::json;
///
/// let engine = PolicyEngine::new(EngineOptions::default())?;
/// let pack = engine.load(PackSource::file("my-pack.wasm"), None)?;
/// for rule in &pack.metadata().rules {
///     println!("{} {} {}", rule.id, rule.severity, rule.title);
/// }
/// let pod = Resource::new("k8s", "k8s:Pod/default/web", "web.yaml", json!({"kind": "Pod"}));
/// let outcome = pack.evaluate(&[pod]);
/// for finding in &outcome.findings {
///     println!("{} {} at {}", finding.rule_id, finding.message, finding.pointer);
/// }
/// for error in &outcome.errors {
///     eprintln!("{error}");
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct PolicyEngine {
    pub(crate) shared: Arc<EngineShared>,
}

impl std::fmt::Debug for PolicyEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyEngine")
            .field("limits", &self.shared.limits)
            .field("cache", &self.shared.cache)
            .finish_non_exhaustive()
    }
}

pub(crate) struct EngineShared {
    pub(crate) engine: wasmtime::Engine,
    pub(crate) linker: Linker<SandboxState>,
    pub(crate) limits: SandboxLimits,
    pub(crate) cache: Option<CompiledCache>,
    _ticker: EpochTicker,
}

impl PolicyEngine {
    /// Sets up the engine: compiler settings, epoch ticker, linker, cache.
    ///
    /// A cache directory that cannot be created is not an error: the engine
    /// compiles in memory and logs a warning.
    pub fn new(options: EngineOptions) -> Result<Self, LoadError> {
        let limits = options.limits;
        let mut config = wasmtime::Config::new();
        config
            .wasm_component_model(true)
            .epoch_interruption(true)
            .consume_fuel(limits.fuel_per_call.is_some())
            .parallel_compilation(true)
            .cranelift_opt_level(wasmtime::OptLevel::Speed);
        // For profiling policies with `perf`: names the JIT code of each
        // guest function in /tmp/perf-PID.map. A developer knob, not an
        // option: it changes nothing a scan computes.
        if std::env::var_os("RAMPART_PERFMAP").is_some() {
            config.profiler(wasmtime::ProfilingStrategy::PerfMap);
        }
        let engine =
            wasmtime::Engine::new(&config).map_err(|e| LoadError::Engine(e.to_string()))?;
        let linker = sandbox::linker(&engine).map_err(|e| LoadError::Engine(e.to_string()))?;
        let cache_dir = match options.cache {
            CacheMode::Default => CompiledCache::default_dir(),
            CacheMode::Dir(dir) => Some(dir),
            CacheMode::Disabled => None,
        };
        let cache = cache_dir.and_then(|dir| match CompiledCache::new(&dir) {
            Ok(cache) => Some(cache),
            Err(e) => {
                tracing::warn!(dir = %dir.display(), "compiled-policy cache disabled: {e}");
                None
            }
        });
        let ticker = EpochTicker::start(engine.clone(), limits.epoch_tick)?;
        Ok(PolicyEngine {
            shared: Arc::new(EngineShared {
                engine,
                linker,
                limits,
                cache,
                _ticker: ticker,
            }),
        })
    }

    /// The sandbox limits packs run under.
    pub fn limits(&self) -> &SandboxLimits {
        &self.shared.limits
    }

    /// The compiled-component cache directory, if caching is on.
    pub fn cache_dir(&self) -> Option<&Path> {
        self.shared.cache.as_ref().map(CompiledCache::dir)
    }

    /// The underlying wasmtime engine (for tools that inspect the cache).
    pub fn wasmtime_engine(&self) -> &wasmtime::Engine {
        &self.shared.engine
    }

    /// Loads one pack. `settings` is what the pack's `settings()` import
    /// returns (a JSON object; `None` is `{}`). A pack whose settings
    /// depend on its name, known only once it is loaded (a file, a URL),
    /// gets them afterwards with [`PolicyPack::with_settings`].
    ///
    /// ```no_run
    /// use rampart_core::policy::{EngineOptions, PackSource, PolicyEngine};
    /// let engine = PolicyEngine::new(EngineOptions::default())?;
    /// let kubernetes = engine.load(PackSource::Builtin("kubernetes"), None)?;
    /// let mine = engine.load(PackSource::file("my-pack.wasm"), None)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load(
        &self,
        source: PackSource<'_>,
        settings: Option<&Value>,
    ) -> Result<PolicyPack, LoadError> {
        let empty = Value::Object(Default::default());
        let settings = settings.unwrap_or(&empty);
        match source {
            PackSource::Bytes { origin, wasm } => self.load_component(origin, wasm, settings),
            PackSource::File(path) => {
                // A pack named in a scanned repository's rampart.yaml may
                // be `/dev/zero` or a FIFO: read like every other file.
                let wasm =
                    crate::read::read_file(path, Self::MAX_PACK_FILE, crate::read::Links::Follow)
                        .map_err(|e| LoadError::Io {
                        path: path.to_owned(),
                        source: e.into_io(),
                    })?;
                self.load_component(&path.display().to_string(), &wasm, settings)
            }
            PackSource::Builtin(name) => {
                let (name, wasm) = Self::builtin(name)?;
                self.load_component(&format!("builtin:{name}"), wasm, settings)
            }
        }
    }

    /// Checks, compiles (or reads from the cache), links and instantiates
    /// a component; `origin` names it in messages.
    fn load_component(
        &self,
        origin: &str,
        wasm: &[u8],
        settings: &Value,
    ) -> Result<PolicyPack, LoadError> {
        let started = Instant::now();
        let origin_err = || origin.to_owned();
        let interface =
            imports::component_interface(wasm).map_err(|source| LoadError::NotAComponent {
                origin: origin_err(),
                source,
            })?;
        let refused = imports::refused_imports(&interface.imports);
        if !refused.is_empty() {
            return Err(LoadError::ForbiddenImports {
                origin: origin_err(),
                refused,
            });
        }
        check_world(origin, &interface.exports)?;

        let digest: [u8; 32] = Sha256::digest(wasm).into();
        let compile_started = Instant::now();
        let (component, cache) = match &self.shared.cache {
            Some(cache) => cache.get_or_compile(&self.shared.engine, wasm, &digest),
            None => Component::new(&self.shared.engine, wasm).map(|c| (c, CacheOutcome::Disabled)),
        }
        .map_err(|e| LoadError::Wasm {
            origin: origin_err(),
            stage: "compiled",
            message: format!("{e:#}"),
        })?;
        let compile_time = compile_started.elapsed();

        let instance_pre = self
            .shared
            .linker
            .instantiate_pre(&component)
            .map_err(|e| LoadError::Wasm {
                origin: origin_err(),
                stage: "linked",
                message: format!("{e:#}"),
            })?;
        let pre = BasePre::new(instance_pre).map_err(|e| LoadError::WrongWorld {
            origin: origin_err(),
            detail: format!("{e:#}"),
        })?;
        let stats = LoadStats {
            cache,
            compile_time,
            total_time: started.elapsed(),
        };
        PolicyPack::init(
            self.shared.clone(),
            pre,
            origin.to_owned(),
            crate::finding::hex(&digest),
            wasm.len(),
            interface,
            settings.to_string().into(),
            stats,
            started,
        )
    }

    /// Largest pack file read (componentize-py components are ~18 MB).
    pub const MAX_PACK_FILE: u64 = 256 << 20;

    /// Loads every `*.wasm` file directly in `dir`, in file-name order. One
    /// bad pack does not stop the others: each gets its own result.
    fn load_dir(
        &self,
        dir: impl AsRef<Path>,
    ) -> Result<Vec<Result<PolicyPack, LoadError>>, LoadError> {
        let dir = dir.as_ref();
        let io_err = |source| LoadError::Io {
            path: dir.to_owned(),
            source,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io_err)? {
            let path = entry.map_err(io_err)?.path();
            if path.extension().is_some_and(|e| e == "wasm") && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        Ok(files
            .iter()
            .map(|f| self.load(PackSource::File(f), None))
            .collect())
    }

    /// Loads a file, or every pack in a directory.
    pub fn load_path(
        &self,
        path: impl AsRef<Path>,
    ) -> Result<Vec<Result<PolicyPack, LoadError>>, LoadError> {
        let path = path.as_ref();
        if path.is_dir() {
            self.load_dir(path)
        } else {
            Ok(vec![self.load(PackSource::File(path), None)])
        }
    }

    /// Names of the packs built into this library: none when it is built
    /// without its `builtin` feature (the fuzz build, say), so that code
    /// asking for them compiles either way and fails at run time.
    pub fn builtin_names() -> Vec<&'static str> {
        #[cfg(feature = "builtin")]
        {
            rampart_builtin::PACKS.iter().map(|p| p.name).collect()
        }
        #[cfg(not(feature = "builtin"))]
        {
            Vec::new()
        }
    }

    /// The component of the built-in pack `name`.
    fn builtin(name: &str) -> Result<(&'static str, &'static [u8]), LoadError> {
        #[cfg(feature = "builtin")]
        if let Some(pack) = rampart_builtin::get(name) {
            return Ok((pack.name, pack.wasm));
        }
        Err(LoadError::UnknownBuiltin(name.to_owned()))
    }

    /// Loads every built-in pack, in name order.
    pub fn load_builtins(&self) -> Result<Vec<PolicyPack>, LoadError> {
        Self::builtin_names()
            .into_iter()
            .map(|name| self.load(PackSource::Builtin(name), None))
            .collect()
    }
}

/// Where one pack comes from.
#[derive(Debug, Clone, Copy)]
pub enum PackSource<'a> {
    /// A component in memory; `origin` names it in messages (a URL, a
    /// test's name).
    Bytes {
        /// What messages call it.
        origin: &'a str,
        /// The component.
        wasm: &'a [u8],
    },
    /// A `.wasm` component file.
    File(&'a Path),
    /// A pack built into this library, by name (`kubernetes`).
    Builtin(&'a str),
}

impl<'a> PackSource<'a> {
    /// A component file, from anything that is a path.
    pub fn file(path: &'a (impl AsRef<Path> + ?Sized)) -> Self {
        PackSource::File(path.as_ref())
    }
}

/// Checks that the component exports `rampart:policy/pack@0.1.x`.
fn check_world(origin: &str, exports: &[String]) -> Result<(), LoadError> {
    let pack_exports: Vec<&String> = exports
        .iter()
        .filter(|name| imports::split_version(name).0 == "rampart:policy/pack")
        .collect();
    let wrong = |detail: String| LoadError::WrongWorld {
        origin: origin.to_owned(),
        detail,
    };
    match pack_exports.as_slice() {
        [] => Err(wrong(format!(
            "it exports no `rampart:policy/pack` interface (its exports: {}); build it against policies/wit",
            if exports.is_empty() {
                "none".to_owned()
            } else {
                exports.join(", ")
            }
        ))),
        [name] => {
            let version = imports::split_version(name)
                .1
                .and_then(imports::parse_version);
            match version {
                Some((major, minor, _)) if (major, minor) == ABI_VERSION => Ok(()),
                _ => Err(wrong(format!(
                    "it exports `{name}`, a version this rampart does not speak (it implements rampart:policy@0.1.x)"
                ))),
            }
        }
        _ => Err(wrong(
            "it exports `rampart:policy/pack` more than once".to_owned(),
        )),
    }
}

/// Advances the engine's epoch every tick, from a thread of its own, until
/// dropped.
struct EpochTicker {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl EpochTicker {
    fn start(engine: wasmtime::Engine, tick: std::time::Duration) -> Result<Self, LoadError> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("rampart-epoch".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(tick) {
                    engine.increment_epoch();
                }
            })
            .map_err(|e| LoadError::Engine(format!("cannot start the epoch ticker thread: {e}")))?;
        Ok(EpochTicker {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        // Dropping the sender wakes the thread at once.
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_check_names_what_was_found() {
        let err = check_world("x.wasm", &["wasi:cli/run@0.2.0".to_owned()]).unwrap_err();
        assert!(err.to_string().contains("wasi:cli/run@0.2.0"), "{err}");
        let err = check_world("x.wasm", &["rampart:policy/pack@0.2.0".to_owned()]).unwrap_err();
        assert!(
            err.to_string().contains("rampart:policy/pack@0.2.0"),
            "{err}"
        );
        assert!(check_world("x.wasm", &["rampart:policy/pack@0.1.7".to_owned()]).is_ok());
    }
}
