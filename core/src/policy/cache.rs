//! On-disk cache of compiled components.
//!
//! Compiling a component with Cranelift costs milliseconds for a small Rust
//! pack and ~20 s for a Python one; loading the compiled artifact costs a few
//! milliseconds. Entries are keyed by the component's SHA-256, the engine's
//! compatibility hash (wasmtime version, target, compiler flags, tunables
//! such as fuel) and this cache's format version, so a stale entry is never
//! even looked up.
//!
//! Deserializing compiled code is `unsafe`: wasmtime trusts the bytes. Each
//! entry therefore carries a checksum of its payload; a truncated or damaged
//! file is detected, deleted and rebuilt. Writes go to a temporary file that
//! is renamed into place, so a crash never leaves a half-written entry. The
//! checksum protects against damage, not against someone who can write to
//! your cache directory (who could equally replace the rampart binary).

use crate::finding::hex;
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use wasmtime::component::Component;

/// Largest compiled component read from the cache.
const MAX_ENTRY: u64 = 1 << 30;

const MAGIC: &[u8; 8] = b"RAMPCWSM";
/// Bump when the entry layout or key derivation changes.
const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = MAGIC.len() + 4 + 32;

/// What happened when a component was looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Loaded from the cache.
    Hit,
    /// Not in the cache: compiled and stored.
    Miss,
    /// An entry existed but was damaged or unloadable: deleted, compiled
    /// and stored again. The reason says what was wrong.
    Rebuilt(String),
    /// No cache configured (or it could not be written): compiled in memory.
    Disabled,
}

/// The compiled-component cache in one directory.
#[derive(Debug, Clone)]
pub struct CompiledCache {
    dir: PathBuf,
}

impl CompiledCache {
    /// Uses (and creates) `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = dir.into();
        create_private_dir(&dir)?;
        Ok(CompiledCache { dir })
    }

    /// The default location: `$RAMPART_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/rampart`, else `~/.cache/rampart`; compiled
    /// components go to its `components/` subdirectory.
    pub fn default_dir() -> Option<PathBuf> {
        Some(crate::dirs::cache_dir()?.join("components"))
    }

    /// The directory entries live in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry file for a component with SHA-256 `wasm_digest`.
    pub fn entry_path(&self, engine: &wasmtime::Engine, wasm_digest: &[u8; 32]) -> PathBuf {
        self.dir
            .join(format!("{}.cwasm", cache_key(engine, wasm_digest)))
    }

    /// Loads the compiled component, compiling and storing it if needed.
    pub fn get_or_compile(
        &self,
        engine: &wasmtime::Engine,
        wasm: &[u8],
        wasm_digest: &[u8; 32],
    ) -> wasmtime::Result<(Component, CacheOutcome)> {
        let path = self.entry_path(engine, wasm_digest);
        let mut outcome = CacheOutcome::Miss;
        match crate::read::read_file(&path, MAX_ENTRY, crate::read::Links::Refuse)
            .map_err(crate::read::ReadError::into_io)
        {
            Ok(entry) => match load_entry(engine, &entry) {
                Ok(component) => return Ok((component, CacheOutcome::Hit)),
                Err(reason) => {
                    tracing::warn!(path = %path.display(), "compiled-policy cache entry unusable ({reason}); rebuilding");
                    // Best effort: the new entry replaces it atomically anyway.
                    let _ = std::fs::remove_file(&path);
                    outcome = CacheOutcome::Rebuilt(reason);
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(path = %path.display(), "cannot read compiled-policy cache entry: {e}");
                outcome = CacheOutcome::Rebuilt(format!("unreadable: {e}"));
            }
        }
        let component = Component::new(engine, wasm)?;
        match self.store(&path, &component) {
            Ok(()) => Ok((component, outcome)),
            Err(e) => {
                tracing::warn!(dir = %self.dir.display(), "cannot write compiled-policy cache: {e}");
                Ok((component, CacheOutcome::Disabled))
            }
        }
    }

    fn store(&self, path: &Path, component: &Component) -> std::io::Result<()> {
        let payload = component
            .serialize()
            .map_err(|e| std::io::Error::other(format!("serialize: {e}")))?;
        let mut file = tempfile::NamedTempFile::new_in(&self.dir)?;
        file.write_all(MAGIC)?;
        file.write_all(&FORMAT_VERSION.to_le_bytes())?;
        file.write_all(&Sha256::digest(&payload))?;
        file.write_all(&payload)?;
        file.as_file().sync_all()?;
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

fn load_entry(engine: &wasmtime::Engine, entry: &[u8]) -> Result<Component, String> {
    if entry.len() < HEADER_LEN || &entry[..MAGIC.len()] != MAGIC {
        return Err("not a rampart cache entry (bad header)".into());
    }
    let (version, rest) = entry[MAGIC.len()..].split_at(4);
    if version != FORMAT_VERSION.to_le_bytes() {
        return Err("written by another cache format version".into());
    }
    let (checksum, payload) = rest.split_at(32);
    if Sha256::digest(payload).as_slice() != checksum {
        return Err("checksum mismatch (truncated or damaged)".into());
    }
    // SAFETY: the payload is byte-for-byte what `Component::serialize` of
    // this very engine configuration wrote (the key includes the engine's
    // compatibility hash and the checksum matches); wasmtime additionally
    // checks its own header and version before using it.
    unsafe { Component::deserialize(engine, payload) }
        .map_err(|e| format!("wasmtime refused it: {e}"))
}

/// Hex SHA-256 over the format version, the engine's compatibility hash
/// and the component's digest.
fn cache_key(engine: &wasmtime::Engine, wasm_digest: &[u8; 32]) -> String {
    let mut hasher = ShaHasher(Sha256::new());
    hasher.0.update(b"rampart-compiled-component");
    hasher.0.update(FORMAT_VERSION.to_le_bytes());
    engine.precompile_compatibility_hash().hash(&mut hasher);
    hasher.0.update(wasm_digest);
    hex(&hasher.0.finalize())
}

/// Feeds a `std::hash::Hash` into SHA-256: the engine exposes its
/// compatibility only as a `Hash`, and the std hashers are not stable
/// across Rust versions.
struct ShaHasher(Sha256);

impl Hasher for ShaHasher {
    fn finish(&self) -> u64 {
        // Never used: the digest is read from the inner hasher.
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}
