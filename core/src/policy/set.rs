//! The packs a run evaluates, chosen in one place: the built-in packs, the
//! packs a user names (files, directories, pinned URLs, built-in names),
//! each enabled or disabled and given its settings by the configuration.

use super::engine::{PackSource, PolicyEngine};
use super::error::LoadError;
use super::pack::PolicyPack;
use super::remote::{RemoteOptions, RemotePack};
use crate::config::Config;
use std::path::{Path, PathBuf};

/// A pack as a user names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackSpec {
    /// A built-in pack (`builtin:kubernetes`, or `kubernetes` where no
    /// such file exists).
    Builtin(String),
    /// A `.wasm` component, or a directory whose `*.wasm` files are packs.
    Path(PathBuf),
    /// A component downloaded and checked against its digest
    /// (`https://…/pack.wasm#sha256=…`).
    Remote(RemotePack),
}

impl PackSpec {
    /// A path from `--policy` or `policies:` in `rampart.yaml`: a pinned
    /// URL, else a file or directory (never a built-in name: a missing
    /// file there is an error, not another pack).
    pub fn from_path(path: &Path) -> Result<PackSpec, LoadError> {
        match path.to_str().and_then(RemotePack::parse) {
            Some(remote) => Ok(PackSpec::Remote(remote?)),
            None => Ok(PackSpec::Path(path.to_owned())),
        }
    }

    /// A pack named on the command line of `policy eval`/`policy inspect`:
    /// `builtin:NAME`, a pinned URL, a path (one that exists, ends in
    /// `.wasm` or has a `/`), else a built-in pack's name.
    ///
    /// ```
    /// use rampart_core::policy::PackSpec;
    /// assert_eq!(PackSpec::parse("kubernetes").unwrap(), PackSpec::Builtin("kubernetes".into()));
    /// assert_eq!(PackSpec::parse("builtin:host").unwrap(), PackSpec::Builtin("host".into()));
    /// assert_eq!(PackSpec::parse("p.wasm").unwrap(), PackSpec::Path("p.wasm".into()));
    /// ```
    pub fn parse(spec: &str) -> Result<PackSpec, LoadError> {
        if let Some(name) = spec.strip_prefix("builtin:") {
            return Ok(PackSpec::Builtin(name.to_owned()));
        }
        let path = Path::new(spec);
        if RemotePack::parse(spec).is_some()
            || path.exists()
            || spec.ends_with(".wasm")
            || spec.contains('/')
        {
            return PackSpec::from_path(path);
        }
        Ok(PackSpec::Builtin(spec.to_owned()))
    }
}

/// The packs of a run: what to load, and the configuration that enables
/// them and gives them settings.
#[derive(Debug, Clone, Copy)]
pub struct PackSet<'a> {
    /// Every built-in pack, in name order, before the named ones.
    pub builtin: bool,
    /// Packs the user named, in order.
    pub specs: &'a [PackSpec],
    /// `packs.<name>` of `rampart.yaml`: a disabled pack is left out, a
    /// configured one gets its `settings`.
    pub config: Option<&'a Config>,
    /// How pinned URLs are downloaded and cached.
    pub remote: &'a RemoteOptions,
}

impl PackSet<'_> {
    /// Loads the set. A pack that was asked for and cannot be loaded is an
    /// error: a gate must not pass because a policy silently vanished.
    pub fn load(&self, engine: &PolicyEngine) -> Result<Vec<PolicyPack>, LoadError> {
        let configured = |name: &str| self.config.and_then(|config| config.pack(name));
        let enabled = |pack: &PolicyPack| configured(pack.name()).is_none_or(|p| p.enabled);
        // A pack's settings are its configuration's, looked up by the name
        // its metadata gives.
        let configure = |pack: PolicyPack| match configured(pack.name()) {
            Some(config) => pack.with_settings(&config.settings),
            None => Ok(pack),
        };
        let mut packs = Vec::new();
        if self.builtin {
            packs.extend(self.builtins(engine, &configured)?);
        }
        for spec in self.specs {
            let loaded = match spec {
                PackSpec::Builtin(name) => vec![engine.load(PackSource::Builtin(name), None)],
                PackSpec::Path(path) => engine.load_path(path)?,
                PackSpec::Remote(remote) => {
                    // Verified against its digest before it is even parsed.
                    let bytes = remote.fetch(self.remote)?;
                    vec![engine.load(
                        PackSource::Bytes {
                            origin: &remote.url,
                            wasm: &bytes,
                        },
                        None,
                    )]
                }
            };
            for pack in loaded {
                let pack = pack?;
                if enabled(&pack) {
                    packs.push(configure(pack)?);
                }
            }
        }
        Ok(packs)
    }

    /// Every enabled built-in pack with its settings, in name order.
    fn builtins<'c>(
        &self,
        engine: &PolicyEngine,
        configured: &(dyn Fn(&str) -> Option<&'c crate::config::PackConfig> + Sync),
    ) -> Result<Vec<PolicyPack>, LoadError> {
        use rayon::prelude::*;
        let names = PolicyEngine::builtin_names();
        if names.is_empty() {
            // Never an empty gate: a run that asked for the built-in packs
            // in a build without them fails.
            return Err(LoadError::NoBuiltins);
        }
        // In parallel: loading a pack (cache read, instantiation,
        // `metadata()`) is a few milliseconds each, and every scan pays for
        // all of them before it starts. Collected in name order.
        names
            .par_iter()
            .filter(|name| configured(name).is_none_or(|p| p.enabled))
            .map(|name| {
                engine.load(
                    PackSource::Builtin(name),
                    configured(name).map(|c| &c.settings),
                )
            })
            .collect()
    }
}
