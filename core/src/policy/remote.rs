//! Packs from the network, pinned by digest:
//! `https://example.com/packs/acme.wasm#sha256=<64 hex digits>`.
//!
//! The digest is checked before anything else happens to the bytes (no
//! parsing, no compilation, no caching of unverified content); a mismatch
//! is a hard error. Verified packs are kept in the cache directory under
//! their digest, so later scans (and `--offline` ones) need no download,
//! and a cached file is verified again each time it is used.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A pack given by URL and digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePack {
    /// Where to download it (the part before `#`).
    pub url: String,
    /// Its SHA-256, lowercase hex.
    pub sha256: String,
}

/// Why a remote pack could not be had.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The reference is not `URL#sha256=HEX`.
    #[error("`{0}`: a remote pack is pinned as URL#sha256=<64 hex digits>")]
    Syntax(String),
    /// The download failed.
    #[error("cannot download the pack {url}: {message}")]
    Download {
        /// The URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The bytes are not the pinned ones.
    #[error(
        "the pack {url} does not match its pinned digest: expected sha256 {expected}, got {actual}; it was not used (was it changed, or is the pin wrong?)"
    )]
    DigestMismatch {
        /// The URL.
        url: String,
        /// The pinned digest.
        expected: String,
        /// The downloaded bytes' digest.
        actual: String,
    },
    /// Offline and not in the cache.
    #[error("the pack {url} is not in the cache and downloads are off (--offline)")]
    Offline {
        /// The URL.
        url: String,
    },
}

/// How remote packs are fetched.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// Where verified packs are kept (`None`: downloaded each time).
    pub cache_dir: Option<PathBuf>,
    /// Never download: only the cache.
    pub offline: bool,
    /// Largest pack accepted, in bytes.
    pub max_size: u64,
    /// Time for the whole download (`--download-timeout`).
    pub timeout: Duration,
    /// Which redirects are followed.
    pub redirects: crate::download::Redirects,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            cache_dir: crate::dirs::cache_dir().map(|d| d.join("remote")),
            offline: false,
            max_size: 64 << 20,
            timeout: Duration::from_secs(60),
            redirects: crate::download::Redirects::default(),
        }
    }
}

impl RemotePack {
    /// Parses `http(s)://…#sha256=HEX`; `None` when `spec` is not a URL
    /// (a local path).
    ///
    /// ```
    /// use rampart_core::policy::remote::RemotePack;
    /// let digest = "ab".repeat(32);
    /// let pack = RemotePack::parse(&format!("https://example.com/p.wasm#sha256={digest}")).unwrap().unwrap();
    /// assert_eq!(pack.url, "https://example.com/p.wasm");
    /// assert!(RemotePack::parse("policies/p.wasm").is_none());
    /// assert!(RemotePack::parse("https://example.com/p.wasm").unwrap().is_err());
    /// ```
    pub fn parse(spec: &str) -> Option<Result<RemotePack, RemoteError>> {
        if !(spec.starts_with("https://") || spec.starts_with("http://")) {
            return None;
        }
        let parsed = spec
            .rsplit_once("#sha256=")
            .filter(|(_, hex)| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(|(url, hex)| RemotePack {
                url: url.to_owned(),
                sha256: hex.to_ascii_lowercase(),
            })
            .ok_or_else(|| RemoteError::Syntax(spec.to_owned()));
        Some(parsed)
    }

    /// The verified bytes: from the cache if there, else downloaded.
    pub fn fetch(&self, options: &RemoteOptions) -> Result<Vec<u8>, RemoteError> {
        let cached = options
            .cache_dir
            .as_ref()
            .map(|dir| dir.join(format!("{}.wasm", self.sha256)));
        if let Some(path) = &cached
            && let Ok(bytes) =
                crate::read::read_file(path, options.max_size, crate::read::Links::Refuse)
        {
            if digest(&bytes) == self.sha256 {
                return Ok(bytes);
            }
            // A damaged cache entry: fetched again below.
            let _ = std::fs::remove_file(path);
        }
        if options.offline {
            return Err(RemoteError::Offline {
                url: self.url.clone(),
            });
        }
        let bytes = self.download(options)?;
        let actual = digest(&bytes);
        if actual != self.sha256 {
            return Err(RemoteError::DigestMismatch {
                url: self.url.clone(),
                expected: self.sha256.clone(),
                actual,
            });
        }
        if let Some(path) = &cached {
            store(path, &bytes);
        }
        Ok(bytes)
    }

    fn download(&self, options: &RemoteOptions) -> Result<Vec<u8>, RemoteError> {
        let error = |message: String| RemoteError::Download {
            url: self.url.clone(),
            message,
        };
        let deadline = crate::download::Deadline::after(options.timeout);
        let client = crate::download::client(options.timeout, options.redirects).map_err(error)?;
        let response = client.get(&self.url).send().map_err(|e| {
            let mut text = e.to_string();
            if let Some(cause) = std::error::Error::source(&e)
                && !text.contains(&cause.to_string())
            {
                text = format!("{text}: {cause}");
            }
            error(text)
        })?;
        if !response.status().is_success() {
            return Err(error(format!("the server answered {}", response.status())));
        }
        if response
            .content_length()
            .is_some_and(|n| n > options.max_size)
        {
            return Err(error(format!(
                "larger than the limit of {} bytes",
                options.max_size
            )));
        }
        let mut bytes = Vec::new();
        deadline
            .reader(response)
            .take(options.max_size + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| error(e.to_string()))?;
        if bytes.len() as u64 > options.max_size {
            return Err(error(format!(
                "larger than the limit of {} bytes",
                options.max_size
            )));
        }
        Ok(bytes)
    }
}

fn digest(bytes: &[u8]) -> String {
    crate::finding::hex(&Sha256::digest(bytes))
}

/// Writes a verified pack into the cache (atomically; failures only cost a
/// later download).
fn store(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    if let Ok(mut file) = tempfile::NamedTempFile::new_in(dir) {
        use std::io::Write;
        if file.write_all(bytes).is_ok() {
            let _ = file.persist(path);
        }
    }
}
