//! The local advisory database: what `rampart db update` writes and a scan
//! reads.
//!
//! Layout of the database directory:
//!
//! ```text
//! <db>/current -> gen-1732412345-4711     (symlink, swapped atomically)
//! <db>/gen-1732412345-4711/manifest.json  (ecosystems, sources, ETags, times)
//! <db>/gen-1732412345-4711/PyPI.json      (reduced advisories, one array)
//! <db>/.lock                              (held while updating)
//! ```
//!
//! An update builds a complete new generation next to the current one and
//! then renames a symlink over `current`: a reader sees the old database or
//! the new one, never half of each, and an interrupted update leaves only
//! an unused directory behind (removed by the next update). The previous
//! generation is kept until the next update so that a scan that opened it
//! can still load its ecosystems lazily.

use super::osv::{Advisory, Query, normalize_name};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where OSV publishes its per-ecosystem exports.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// The ecosystems `rampart db update` fetches when none are named: those
/// of the lockfiles rampart reads.
pub const DEFAULT_ECOSYSTEMS: &[&str] = &[
    "crates.io",
    "Go",
    "Hex",
    "Maven",
    "npm",
    "NuGet",
    "Packagist",
    "Pub",
    "PyPI",
    "RubyGems",
];

/// Version of the on-disk format; a database of another format is treated
/// as missing.
pub const FORMAT: u32 = 1;

/// The default database directory: `$RAMPART_DB_DIR`, else `db/` in
/// rampart's cache directory (`$XDG_CACHE_HOME/rampart`, `~/.cache/rampart`).
pub fn default_dir() -> Option<PathBuf> {
    std::env::var_os("RAMPART_DB_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| crate::dirs::cache_dir().map(|d| d.join("db")))
}

/// `manifest.json` of a generation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// Unix time of the update that wrote this generation.
    pub updated_at: u64,
    /// Per ecosystem, by OSV name.
    pub ecosystems: BTreeMap<String, EcosystemEntry>,
}

/// What the database holds for one ecosystem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcosystemEntry {
    /// File in the generation directory.
    pub file: String,
    /// Where the export came from.
    pub url: String,
    /// `ETag` of the export, for conditional requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `Last-Modified` of the export, for conditional requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Unix time the data was downloaded.
    pub fetched_at: u64,
    /// Unix time the source was last confirmed unchanged or downloaded.
    pub checked_at: u64,
    /// Advisories kept (withdrawn ones are dropped).
    pub advisories: usize,
    /// Records of the export that could not be read.
    #[serde(default)]
    pub skipped_records: usize,
}

/// Why the database cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// Nothing was ever downloaded here.
    #[error(
        "no advisory database at {}: run `rampart db update` to download one (or pass --db DIR)",
        .0.display()
    )]
    Missing(PathBuf),
    /// The database is there but unreadable.
    #[error("advisory database at {}: {message}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An I/O error while writing or reading.
    #[error("advisory database at {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Another `rampart db update` holds the lock.
    #[error("another `rampart db update` is running on {} (lock: {})", .0.display(), .0.join(".lock").display())]
    Locked(PathBuf),
    /// Network use was forbidden (`--offline`).
    #[error("`--offline` forbids downloading the advisory database")]
    Offline,
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> DbError + '_ {
    move |source| DbError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Largest database file read (a full ecosystem is tens of MB).
const MAX_DB_FILE: u64 = 4 << 30;

/// A file of the database, through the one reading function.
fn read_db_file(path: &Path) -> Result<Vec<u8>, DbError> {
    crate::read::read_file(path, MAX_DB_FILE, crate::read::Links::Follow)
        .map_err(|e| io_error(path)(e.into_io()))
}

/// The current generation of the database at `dir`, resolved.
pub(crate) fn current_generation(dir: &Path) -> Result<PathBuf, DbError> {
    let link = dir.join("current");
    match std::fs::read_link(&link) {
        Ok(target) => Ok(dir.join(target)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(DbError::Missing(dir.to_owned())),
        Err(e) => Err(io_error(&link)(e)),
    }
}

pub(crate) fn read_manifest(generation: &Path) -> Result<Manifest, DbError> {
    let path = generation.join("manifest.json");
    let bytes = read_db_file(&path)?;
    let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| DbError::Corrupt {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if manifest.format != FORMAT {
        return Err(DbError::Corrupt {
            path,
            message: format!(
                "format {} (this rampart reads format {FORMAT}): run `rampart db update`",
                manifest.format
            ),
        });
    }
    Ok(manifest)
}

/// Seconds since the Unix epoch.
pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// An opened database; ecosystems are loaded on first use, each once,
/// from any thread.
#[derive(Debug)]
pub struct AdvisoryDb {
    dir: PathBuf,
    generation: PathBuf,
    manifest: Manifest,
    loaded: BTreeMap<String, OnceLock<Result<EcosystemIndex, String>>>,
}

impl AdvisoryDb {
    /// Opens the database at `dir` (reads its manifest only).
    pub fn open(dir: &Path) -> Result<AdvisoryDb, DbError> {
        let generation = current_generation(dir)?;
        let manifest = read_manifest(&generation)?;
        let loaded = manifest
            .ecosystems
            .keys()
            .map(|k| (k.clone(), OnceLock::new()))
            .collect();
        Ok(AdvisoryDb {
            dir: dir.to_owned(),
            generation,
            manifest,
            loaded,
        })
    }

    /// The database directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the database holds.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Time since the oldest ecosystem was last checked against its source.
    pub fn age(&self) -> Duration {
        let oldest = self
            .manifest
            .ecosystems
            .values()
            .map(|e| e.checked_at)
            .min()
            .unwrap_or(self.manifest.updated_at);
        Duration::from_secs(now().saturating_sub(oldest))
    }

    /// The advisories of `ecosystem` (`Debian:12` falls back to `Debian`):
    /// `None` when the database has none for it, `Some(Err)` when its file
    /// cannot be read.
    pub fn ecosystem(&self, ecosystem: &str) -> Option<Result<&EcosystemIndex, &str>> {
        let (name, cell) = self.loaded.get_key_value(ecosystem).or_else(|| {
            let base = ecosystem.split(':').next()?;
            self.loaded.get_key_value(base)
        })?;
        let entry = self.manifest.ecosystems.get(name)?;
        let index = cell.get_or_init(|| {
            let started = std::time::Instant::now();
            let path = self.generation.join(&entry.file);
            let index = EcosystemIndex::load(name, &path).map_err(|e| e.to_string());
            tracing::info!(
                ecosystem = name.as_str(),
                advisories = index.as_ref().map_or(0, EcosystemIndex::len),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "advisories loaded"
            );
            index
        });
        Some(index.as_ref().map_err(String::as_str))
    }
}

/// The advisories of one ecosystem, indexed by package name.
#[derive(Debug, Default)]
pub struct EcosystemIndex {
    ecosystem: String,
    advisories: Vec<Advisory>,
    by_name: HashMap<String, Vec<u32>>,
}

/// One advisory that affects a package version.
#[derive(Debug, Clone, PartialEq)]
pub struct Match<'a> {
    /// The advisory (the representative of its alias group).
    pub advisory: &'a Advisory,
    /// Every id of the vulnerability: the advisory's, its aliases and
    /// those of records it was deduplicated with, sorted.
    pub ids: Vec<&'a str>,
    /// Versions that fix it.
    pub fixed: Vec<String>,
}

/// What the index says of one package version.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matches<'a> {
    /// Advisories that affect it, deduplicated by alias, by id.
    pub matches: Vec<Match<'a>>,
    /// Parts of records that name the package but could not be evaluated.
    pub notes: Vec<String>,
}

impl EcosystemIndex {
    /// Indexes advisories of `ecosystem`.
    pub fn new(ecosystem: &str, advisories: Vec<Advisory>) -> EcosystemIndex {
        let mut by_name: HashMap<String, Vec<u32>> = HashMap::new();
        for (k, advisory) in advisories.iter().enumerate() {
            let names: BTreeSet<String> = advisory
                .affected
                .iter()
                .map(|a| normalize_name(ecosystem, &a.name))
                .collect();
            for name in names {
                by_name
                    .entry(name)
                    .or_default()
                    .push(u32::try_from(k).unwrap_or(u32::MAX));
            }
        }
        EcosystemIndex {
            ecosystem: ecosystem.to_owned(),
            advisories,
            by_name,
        }
    }

    /// Reads an ecosystem file written by `rampart db update`.
    pub fn load(ecosystem: &str, path: &Path) -> Result<EcosystemIndex, DbError> {
        let bytes = read_db_file(path)?;
        let advisories: Vec<Advisory> =
            serde_json::from_slice(&bytes).map_err(|e| DbError::Corrupt {
                path: path.to_owned(),
                message: format!("{e}; run `rampart db update`"),
            })?;
        Ok(EcosystemIndex::new(ecosystem, advisories))
    }

    /// Number of advisories.
    pub fn len(&self) -> usize {
        self.advisories.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.advisories.is_empty()
    }

    /// The advisories that affect `version` of `name`. Records that are
    /// aliases of each other (a GHSA and the PYSEC it mirrors) count once:
    /// the one with a CVSS score, else the first by id, carries the
    /// others' ids.
    ///
    /// ```
    /// use rampart_core::advisories::db::EcosystemIndex;
    /// use rampart_core::advisories::osv::{Advisory, OsvRecord};
    /// let record = |id: &str, alias: &str| -> Advisory {
    ///     let json = format!(r#"{{"id": "{id}", "aliases": ["{alias}"], "affected": [
    ///       {{"package": {{"ecosystem": "PyPI", "name": "jinja2"}},
    ///         "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "3.1.3"}}]}}]}}]}}"#);
    ///     Advisory::from_osv(serde_json::from_str::<OsvRecord>(&json).unwrap()).unwrap()
    /// };
    /// let index = EcosystemIndex::new("PyPI", vec![record("GHSA-h5c8", "CVE-2024-22195"), record("PYSEC-2024-1", "CVE-2024-22195")]);
    /// let found = index.matches("Jinja2", "3.1.2");
    /// assert_eq!(found.matches.len(), 1);
    /// assert_eq!(found.matches[0].ids, ["CVE-2024-22195", "GHSA-h5c8", "PYSEC-2024-1"]);
    /// assert_eq!(found.matches[0].fixed, ["3.1.3"]);
    /// assert!(index.matches("jinja2", "3.1.3").matches.is_empty());
    /// ```
    pub fn matches(&self, name: &str, version: &str) -> Matches<'_> {
        self.matches_in(&self.ecosystem, name, version)
    }

    /// [`matches`](Self::matches) for a package of `ecosystem`, which may
    /// name a distribution release (`Debian:12`): advisories' entries for
    /// other releases of the distribution do not apply.
    pub fn matches_in(&self, ecosystem: &str, name: &str, version: &str) -> Matches<'_> {
        let mut out = Matches::default();
        let Some(candidates) = self.by_name.get(&normalize_name(&self.ecosystem, name)) else {
            return out;
        };
        let mut hits: Vec<Match<'_>> = Vec::new();
        let mut query = Query::new(name, version).in_release(ecosystem);
        for &k in candidates {
            let Some(advisory) = self.advisories.get(k as usize) else {
                continue;
            };
            let Some(result) = advisory.evaluate_query(&mut query) else {
                continue;
            };
            out.notes.extend(result.notes);
            if !result.affected {
                continue;
            }
            let mut ids: Vec<&str> = advisory.aliases.iter().map(String::as_str).collect();
            ids.push(&advisory.id);
            hits.push(Match {
                advisory,
                ids,
                fixed: result.fixed,
            });
        }
        // Group hits whose id sets intersect: an id → group map keeps this
        // linear in the number of hits (a package can have hundreds).
        hits.sort_by(|a, b| a.advisory.id.cmp(&b.advisory.id));
        let mut groups: Vec<Match<'_>> = Vec::new();
        let mut group_of: HashMap<&str, usize> = HashMap::new();
        for hit in hits {
            match hit.ids.iter().find_map(|id| group_of.get(id).copied()) {
                Some(at) => {
                    let group = &mut groups[at];
                    let better = hit.advisory.severity.score.is_some()
                        && group.advisory.severity.score.is_none();
                    for id in &hit.ids {
                        group_of.insert(id, at);
                    }
                    group.ids.extend(hit.ids);
                    for f in hit.fixed {
                        if !group.fixed.contains(&f) {
                            group.fixed.push(f);
                        }
                    }
                    if better {
                        group.advisory = hit.advisory;
                    }
                }
                None => {
                    for id in &hit.ids {
                        group_of.insert(id, groups.len());
                    }
                    groups.push(hit);
                }
            }
        }
        for group in &mut groups {
            group.ids.sort();
            group.ids.dedup();
        }
        groups.sort_by(|a, b| a.advisory.id.cmp(&b.advisory.id));
        out.notes.sort();
        out.notes.dedup();
        out.matches = groups;
        out
    }
}

/// A Unix time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_time(unix: u64) -> String {
    let days = i64::try_from(unix / 86_400).unwrap_or(0);
    let rem = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A duration as the largest sensible unit: `3 days`, `5 hours`, `2 minutes`.
pub fn format_age(age: Duration) -> String {
    let secs = age.as_secs();
    let (n, unit) = if secs >= 2 * 86_400 {
        (secs / 86_400, "days")
    } else if secs >= 2 * 3600 {
        (secs / 3600, "hours")
    } else if secs >= 120 {
        (secs / 60, "minutes")
    } else {
        (secs, "seconds")
    };
    format!("{n} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_formatting() {
        assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_time(1_732_412_345), "2024-11-24T01:39:05Z");
        assert_eq!(format_time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_age(Duration::from_secs(3 * 86_400 + 5)), "3 days");
        assert_eq!(format_age(Duration::from_secs(59)), "59 seconds");
    }

    #[test]
    fn missing_database_names_the_command() {
        let dir = tempfile::tempdir().unwrap();
        let err = AdvisoryDb::open(dir.path()).unwrap_err();
        assert!(err.to_string().contains("rampart db update"), "{err}");
    }
}
