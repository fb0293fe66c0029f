//! The keyed hash of a secret value in reports.
//!
//! A report never holds a credential, but a reader needs to tell whether
//! two findings are the same credential (one token in ten files, or ten
//! tokens) and whether the token found today is the one rotated last week.
//! A plain hash would let anyone with the report test guesses — a short
//! password, a token of a known prefix and a few unknown characters — so
//! the hash is an HMAC-SHA256 under a key the report does not hold: the
//! same value gives the same hash under the same key, and without the key
//! the hash tells nothing of the value.
//!
//! The key is the project's or the machine's: `RAMPART_SECRET_HASH_KEY`
//! (the same in every CI run of a project: set it from the CI system's
//! secrets), else a random key made once in the cache directory
//! (`secret-hash.key`, mode 0600). Without either (`--no-cache`, no
//! writable cache), findings have no hash rather than one that changes
//! from run to run: the same input gives the same report.

use hmac::{Hmac, Mac};
use std::path::Path;

/// Bytes of a key made by [`SecretHashKey::load_or_create`].
const KEY_BYTES: usize = 32;

/// The name of the key file in the cache directory.
pub const KEY_FILE: &str = "secret-hash.key";

/// A key for [`SecretHashKey::hash`].
#[derive(Clone, PartialEq, Eq)]
pub struct SecretHashKey(Vec<u8>);

impl std::fmt::Debug for SecretHashKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A key is not printed either.
        f.write_str("SecretHashKey(…)")
    }
}

impl SecretHashKey {
    /// A key of these bytes (`RAMPART_SECRET_HASH_KEY`).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        SecretHashKey(bytes.into())
    }

    /// The key in `dir/secret-hash.key`, made (random, mode 0600) if there
    /// is none yet. Two scans making it at once agree on one: the file is
    /// written aside and linked into place only if still absent.
    pub fn load_or_create(dir: &Path) -> std::io::Result<Self> {
        let path = dir.join(KEY_FILE);
        match crate::read::read_file(&path, 4096, crate::read::Links::Refuse) {
            Ok(bytes) if !bytes.is_empty() => return Ok(SecretHashKey(bytes)),
            Ok(_) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into_io()),
        }
        std::fs::create_dir_all(dir)?;
        let mut bytes = vec![0u8; KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        {
            use std::io::Write as _;
            use std::os::unix::fs::PermissionsExt as _;
            file.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))?;
            file.write_all(&bytes)?;
            file.as_file().sync_all()?;
        }
        match file.persist_noclobber(&path) {
            Ok(_) => Ok(SecretHashKey(bytes)),
            // Another scan made it first: its key is the key.
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                crate::read::read_file(&path, 4096, crate::read::Links::Refuse)
                    .map(SecretHashKey)
                    .map_err(crate::read::ReadError::into_io)
            }
            Err(e) => Err(e.error),
        }
    }

    /// The hash of `value`: `hmac-sha256:` and the first 128 bits of the
    /// HMAC, in hex.
    ///
    /// ```
    /// use rampart_core::SecretHashKey;
    /// let key = SecretHashKey::new("project key");
    /// let hash = key.hash("ghp_R8s2Kq9LmVx4Tz7Wc1Pn5Yb3Hd6Jf0Ga2Ek9");
    /// assert_eq!(hash, key.hash("ghp_R8s2Kq9LmVx4Tz7Wc1Pn5Yb3Hd6Jf0Ga2Ek9"));
    /// assert_ne!(hash, SecretHashKey::new("other key").hash("ghp_R8s2Kq9LmVx4Tz7Wc1Pn5Yb3Hd6Jf0Ga2Ek9"));
    /// assert!(hash.starts_with("hmac-sha256:") && hash.len() == 12 + 32);
    /// ```
    pub fn hash(&self, value: &str) -> String {
        use std::fmt::Write as _;
        // HMAC takes a key of any length: `new_from_slice` cannot fail.
        let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(value.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = String::from("hmac-sha256:");
        for byte in &digest[..16] {
            let _ = write!(out, "{byte:02x}");
        }
        out
    }
}
