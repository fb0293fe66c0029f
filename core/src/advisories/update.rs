//! `rampart db update`: download OSV exports and swap in a new generation.
//!
//! For each ecosystem, `GET <base>/<ecosystem>/all.zip` with the `ETag` and
//! `Last-Modified` of the copy we hold (a `304` keeps it, with no
//! download). Transient failures — connection errors, timeouts, a body cut
//! short, `429` and `5xx` — are retried with exponential backoff; anything
//! else (`404`, an archive that is not a zip, a body over the size limit)
//! fails that ecosystem at once. An ecosystem that fails keeps the data of
//! the previous generation; the new generation is swapped in only when it
//! is complete (see [`db`](super::db)).

use super::db::{
    self, DbError, EcosystemEntry, FORMAT, Manifest, current_generation, io_error, now,
    read_manifest,
};
use super::osv::{Advisory, OsvRecord};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How to update.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// The database directory.
    pub db_dir: PathBuf,
    /// Where exports live: `<base_url>/<ecosystem>/all.zip`.
    pub base_url: String,
    /// OSV ecosystem names.
    pub ecosystems: Vec<String>,
    /// Largest export accepted, in bytes.
    pub max_download_bytes: u64,
    /// Largest single record inside an export, in bytes (uncompressed).
    pub max_record_bytes: u64,
    /// Retries after a transient failure.
    pub retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// Longest wait for any one step (connecting, headers, the next bytes)
    /// before an attempt counts as stalled (capped at
    /// [`STALL_TIMEOUT`](crate::download::STALL_TIMEOUT)).
    pub timeout: Duration,
    /// Time for each export's whole download, retries included
    /// (`--download-timeout`).
    pub download_timeout: Duration,
    /// Which redirects are followed.
    pub redirects: crate::download::Redirects,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            db_dir: db::default_dir().unwrap_or_else(|| PathBuf::from(".rampart-db")),
            base_url: db::DEFAULT_BASE_URL.to_owned(),
            ecosystems: db::DEFAULT_ECOSYSTEMS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            max_download_bytes: 1 << 30,
            max_record_bytes: 16 << 20,
            retries: 3,
            backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(60),
            download_timeout: Duration::from_secs(600),
            redirects: crate::download::Redirects::default(),
        }
    }
}

/// What happened to one ecosystem.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A new export was downloaded and read.
    Downloaded {
        /// Advisories kept.
        advisories: usize,
        /// Records that could not be read (not OSV JSON, too large).
        skipped_records: usize,
        /// Size of the export.
        bytes: u64,
    },
    /// The source has not changed since the copy we hold.
    NotModified,
    /// It could not be updated; the previous data, if any, was kept.
    Failed(String),
}

/// The result of an update, per ecosystem.
#[derive(Debug, Clone, PartialEq)]
pub struct EcosystemUpdate {
    /// OSV name.
    pub ecosystem: String,
    /// What happened.
    pub outcome: Outcome,
    /// HTTP requests made (1 when nothing was retried).
    pub attempts: u32,
}

/// What `update` did.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateReport {
    /// Per ecosystem, in the order asked.
    pub ecosystems: Vec<EcosystemUpdate>,
    /// The generation now current (unchanged when every ecosystem failed).
    pub generation: Option<PathBuf>,
}

impl UpdateReport {
    /// Whether any ecosystem failed.
    pub fn failed(&self) -> bool {
        self.ecosystems
            .iter()
            .any(|e| matches!(e.outcome, Outcome::Failed(_)))
    }
}

/// A new generation being built: holds the update lock, knows the
/// previous generation, and becomes current only on [`commit`](Self::commit).
struct NewGeneration {
    dir: PathBuf,
    name: String,
    path: PathBuf,
    previous: Option<(PathBuf, Manifest)>,
    manifest: Manifest,
    _lock: std::fs::File,
}

impl NewGeneration {
    fn begin(dir: &Path) -> Result<NewGeneration, DbError> {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        let lock_path = dir.join(".lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_error(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(DbError::Locked(dir.to_owned())),
            Err(std::fs::TryLockError::Error(e)) => return Err(io_error(&lock_path)(e)),
        }
        let previous = match current_generation(dir) {
            Ok(generation) => read_manifest(&generation)
                .ok()
                .map(|manifest| (generation, manifest)),
            Err(_) => None,
        };
        let name = format!(
            "gen-{}-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
            std::process::id()
        );
        let path = dir.join(&name);
        std::fs::create_dir(&path).map_err(io_error(&path))?;
        Ok(NewGeneration {
            dir: dir.to_owned(),
            name,
            path,
            previous,
            manifest: Manifest {
                format: FORMAT,
                updated_at: now(),
                ecosystems: Default::default(),
            },
            _lock: lock,
        })
    }

    /// Carries every ecosystem of the previous generation not in `except`.
    fn carry_others(&mut self, except: &[String]) -> Result<(), DbError> {
        if let Some((old_generation, old)) = &self.previous {
            for (ecosystem, entry) in &old.ecosystems {
                if !except.contains(ecosystem) {
                    carry_over(old_generation, &self.path, entry)?;
                    self.manifest
                        .ecosystems
                        .insert(ecosystem.clone(), entry.clone());
                }
            }
        }
        Ok(())
    }

    /// What the previous generation holds for `ecosystem`.
    fn held(&self, ecosystem: &str) -> Option<(&PathBuf, &EcosystemEntry)> {
        let (generation, manifest) = self.previous.as_ref()?;
        Some((generation, manifest.ecosystems.get(ecosystem)?))
    }

    /// Keeps the previous data of `ecosystem`, if any.
    fn keep_old(&mut self, ecosystem: &str, checked: bool) -> bool {
        let Some((old_generation, entry)) = self.held(ecosystem) else {
            return false;
        };
        let mut entry = entry.clone();
        if carry_over(old_generation, &self.path, &entry).is_err() {
            return false;
        }
        if checked {
            entry.checked_at = now();
        }
        self.manifest.ecosystems.insert(ecosystem.to_owned(), entry);
        true
    }

    /// Writes an ecosystem's advisories.
    fn write(
        &mut self,
        ecosystem: &str,
        advisories: &[Advisory],
        source: Source,
    ) -> Result<(), DbError> {
        let file = file_name(ecosystem);
        let path = self.path.join(&file);
        let bytes = serde_json::to_vec(advisories).map_err(|e| DbError::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        write_synced(&path, &bytes)?;
        let at = now();
        self.manifest.ecosystems.insert(
            ecosystem.to_owned(),
            EcosystemEntry {
                file,
                url: source.url,
                etag: source.etag,
                last_modified: source.last_modified,
                fetched_at: at,
                checked_at: at,
                advisories: advisories.len(),
                skipped_records: source.skipped,
            },
        );
        Ok(())
    }

    /// Makes the generation current; returns its path.
    fn commit(self) -> Result<PathBuf, DbError> {
        let manifest_path = self.path.join("manifest.json");
        write_synced(
            &manifest_path,
            &serde_json::to_vec_pretty(&self.manifest).unwrap_or_default(),
        )?;
        swap_current(&self.dir, &self.name)?;
        // Keep the generation just replaced (a running scan may be reading
        // it); remove older ones and leftovers of interrupted updates.
        let keep_previous = self
            .previous
            .as_ref()
            .and_then(|(g, _)| g.file_name().map(|n| n.to_owned()));
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let file_name = entry.file_name();
                if file_name.to_string_lossy().starts_with("gen-")
                    && file_name != *self.name.as_str()
                    && Some(&file_name) != keep_previous.as_ref()
                {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        Ok(self.path)
    }

    /// Drops the generation; the current one stays.
    fn abandon(self) -> Option<PathBuf> {
        let _ = std::fs::remove_dir_all(&self.path);
        self.previous.map(|(g, _)| g)
    }
}

/// Where an ecosystem's data came from.
struct Source {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    skipped: usize,
}

/// Downloads the exports and swaps in a new generation.
///
/// Fails as a whole only when the database directory cannot be written or
/// is locked by another update; per-ecosystem failures are in the report.
pub fn update(options: &UpdateOptions) -> Result<UpdateReport, DbError> {
    let mut generation = NewGeneration::begin(&options.db_dir)?;
    let client =
        crate::download::client(options.timeout, options.redirects).map_err(|e| DbError::Io {
            path: options.db_dir.clone(),
            source: std::io::Error::other(e),
        })?;
    // Ecosystems not asked for this time are carried over unchanged.
    generation.carry_others(&options.ecosystems)?;
    let mut report = Vec::new();
    for ecosystem in &options.ecosystems {
        let (outcome, attempts) = update_ecosystem(&client, options, ecosystem, &mut generation);
        report.push(EcosystemUpdate {
            ecosystem: ecosystem.clone(),
            outcome,
            attempts,
        });
    }
    finish(generation, report)
}

fn finish(
    generation: NewGeneration,
    report: Vec<EcosystemUpdate>,
) -> Result<UpdateReport, DbError> {
    let all_failed = !report.is_empty()
        && report
            .iter()
            .all(|e| matches!(e.outcome, Outcome::Failed(_)));
    if all_failed {
        // Nothing new: leave the current generation (if any) alone, and
        // create no database out of nothing.
        return Ok(UpdateReport {
            ecosystems: report,
            generation: generation.abandon(),
        });
    }
    Ok(UpdateReport {
        ecosystems: report,
        generation: Some(generation.commit()?),
    })
}

/// Imports exports already on disk — for machines without network access
/// to OSV. `source` is laid out like the export: `<ecosystem>/all.zip`, or
/// `<ecosystem>/*.json` (an unpacked export, or hand-written records).
/// Every ecosystem directory found is imported; others in the database are
/// kept.
///
/// ```
/// # let source = tempfile::tempdir()?;
/// # let db_dir = tempfile::tempdir()?;
/// std::fs::create_dir(source.path().join("npm"))?;
/// std::fs::write(source.path().join("npm/GHSA-1.json"), r#"{"id": "GHSA-1",
///   "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
///   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}"#)?;
/// let report = rampart_core::advisories::update::import(source.path(), db_dir.path())?;
/// assert!(!report.failed());
/// let db = rampart_core::advisories::db::AdvisoryDb::open(db_dir.path())?;
/// let npm = db.ecosystem("npm").unwrap().unwrap();
/// assert_eq!(npm.matches("lodash", "4.17.20").matches.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn import(source: &Path, db_dir: &Path) -> Result<UpdateReport, DbError> {
    let mut ecosystems: Vec<(String, PathBuf)> = std::fs::read_dir(source)
        .map_err(io_error(source))?
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    ecosystems.sort();
    let mut generation = NewGeneration::begin(db_dir)?;
    let names: Vec<String> = ecosystems.iter().map(|(n, _)| n.clone()).collect();
    generation.carry_others(&names)?;
    let mut report = Vec::new();
    for (ecosystem, path) in ecosystems {
        let zip = path.join("all.zip");
        let read = if zip.is_file() {
            read_export(&zip, &ecosystem, UpdateOptions::default().max_record_bytes)
        } else {
            read_record_dir(&path, &ecosystem, UpdateOptions::default().max_record_bytes)
        };
        let outcome = match read {
            Ok((advisories, skipped)) => {
                let bytes = std::fs::metadata(&zip).map_or(0, |m| m.len());
                let source = Source {
                    url: format!(
                        "file://{}",
                        path.canonicalize()
                            .unwrap_or_else(|_| path.clone())
                            .display()
                    ),
                    etag: None,
                    last_modified: None,
                    skipped,
                };
                match generation.write(&ecosystem, &advisories, source) {
                    Ok(()) => Outcome::Downloaded {
                        advisories: advisories.len(),
                        skipped_records: skipped,
                        bytes,
                    },
                    Err(e) => {
                        generation.keep_old(&ecosystem, false);
                        Outcome::Failed(e.to_string())
                    }
                }
            }
            Err(message) => {
                generation.keep_old(&ecosystem, false);
                Outcome::Failed(format!("{}: {message}", path.display()))
            }
        };
        report.push(EcosystemUpdate {
            ecosystem,
            outcome,
            attempts: 1,
        });
    }
    finish(generation, report)
}

/// Reads `*.json` OSV records from a directory.
fn read_record_dir(
    dir: &Path,
    ecosystem: &str,
    max_record_bytes: u64,
) -> Result<(Vec<Advisory>, usize), String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut advisories = Vec::new();
    let mut skipped = 0;
    // Why the first unreadable record was not read: what the user needs
    // when none could be.
    let mut first_problem = None;
    for path in paths {
        // A record named `*.json` may be a FIFO or a link to /dev/zero:
        // read with the per-record cap, refused if not a regular file.
        let record = crate::read::read_file(&path, max_record_bytes, crate::read::Links::Follow)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice::<OsvRecord>(&b).map_err(|e| e.to_string()));
        match record {
            Ok(record) => advisories.extend(reduce(record, ecosystem)),
            Err(problem) => {
                skipped += 1;
                first_problem.get_or_insert_with(|| format!("{}: {problem}", path.display()));
            }
        }
    }
    if advisories.is_empty() && skipped > 0 {
        return Err(format!(
            "none of the {skipped} records could be read as OSV (the first: {})",
            first_problem.unwrap_or_default()
        ));
    }
    advisories.sort_by(|a, b| a.id.cmp(&b.id));
    Ok((advisories, skipped))
}

/// A record reduced to the packages of `ecosystem`; `None` if withdrawn
/// or about other ecosystems only.
fn reduce(record: OsvRecord, ecosystem: &str) -> Option<Advisory> {
    let mut advisory = Advisory::from_osv(record)?;
    advisory
        .affected
        .retain(|a| a.ecosystem == ecosystem || a.ecosystem.split(':').next() == Some(ecosystem));
    (!advisory.affected.is_empty()).then_some(advisory)
}

/// The file name of an ecosystem's data.
fn file_name(ecosystem: &str) -> String {
    let safe: String = ecosystem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.json")
}

/// Links (or copies) an ecosystem's file from the old generation.
fn carry_over(old: &Path, new: &Path, entry: &EcosystemEntry) -> Result<(), DbError> {
    let from = old.join(&entry.file);
    let to = new.join(&entry.file);
    if std::fs::hard_link(&from, &to).is_err() {
        std::fs::copy(&from, &to).map_err(io_error(&from))?;
    }
    Ok(())
}

fn update_ecosystem(
    client: &reqwest::blocking::Client,
    options: &UpdateOptions,
    ecosystem: &str,
    generation: &mut NewGeneration,
) -> (Outcome, u32) {
    let url = format!(
        "{}/{}/all.zip",
        options.base_url.trim_end_matches('/'),
        percent_encode_segment(ecosystem)
    );
    let download = generation
        .path
        .join(format!(".{}.zip.part", file_name(ecosystem)));
    let held = generation.held(ecosystem).map(|(_, e)| e.clone());
    let fetched = fetch(client, options, &url, held.as_ref(), &download);
    let attempts = fetched.attempts;
    let response = match fetched.result {
        Ok(r) => r,
        Err(message) => {
            let _ = std::fs::remove_file(&download);
            generation.keep_old(ecosystem, false);
            return (Outcome::Failed(message), attempts);
        }
    };
    let Some(response) = response else {
        // 304 Not Modified.
        return if generation.keep_old(ecosystem, true) {
            (Outcome::NotModified, attempts)
        } else {
            (
                Outcome::Failed(format!(
                    "{url}: the server answered 304 Not Modified but no previous copy is held"
                )),
                attempts,
            )
        };
    };
    let read = read_export(&download, ecosystem, options.max_record_bytes);
    let _ = std::fs::remove_file(&download);
    let (advisories, skipped) = match read {
        Ok(r) => r,
        Err(message) => {
            generation.keep_old(ecosystem, false);
            return (Outcome::Failed(format!("{url}: {message}")), attempts);
        }
    };
    let source = Source {
        url,
        etag: response.etag,
        last_modified: response.last_modified,
        skipped,
    };
    if let Err(e) = generation.write(ecosystem, &advisories, source) {
        generation.keep_old(ecosystem, false);
        return (Outcome::Failed(e.to_string()), attempts);
    }
    (
        Outcome::Downloaded {
            advisories: advisories.len(),
            skipped_records: skipped,
            bytes: response.bytes,
        },
        attempts,
    )
}

struct Fetched {
    etag: Option<String>,
    last_modified: Option<String>,
    bytes: u64,
}

struct FetchResult {
    /// `Ok(None)`: not modified.
    result: Result<Option<Fetched>, String>,
    attempts: u32,
}

/// One attempt's failure: retry or give up.
enum Failure {
    Transient(String),
    Permanent(String),
}

fn fetch(
    client: &reqwest::blocking::Client,
    options: &UpdateOptions,
    url: &str,
    held: Option<&EcosystemEntry>,
    into: &Path,
) -> FetchResult {
    let mut attempts = 0;
    let mut wait = options.backoff;
    // One deadline for the export, whatever the retries.
    let deadline = crate::download::Deadline::after(options.download_timeout);
    loop {
        attempts += 1;
        match fetch_once(client, options, url, held, into, deadline) {
            Ok(result) => {
                return FetchResult {
                    result: Ok(result),
                    attempts,
                };
            }
            Err(Failure::Permanent(message)) => {
                return FetchResult {
                    result: Err(message),
                    attempts,
                };
            }
            Err(Failure::Transient(message)) => {
                if attempts > options.retries {
                    return FetchResult {
                        result: Err(format!("{message} (gave up after {attempts} attempts)")),
                        attempts,
                    };
                }
                if deadline.remaining() <= wait {
                    return FetchResult {
                        result: Err(format!(
                            "{message} (no time left to retry: {})",
                            deadline.error()
                        )),
                        attempts,
                    };
                }
                tracing::warn!(url, attempt = attempts, "{message}; retrying in {wait:?}");
                std::thread::sleep(wait);
                wait = wait.saturating_mul(2);
            }
        }
    }
}

fn fetch_once(
    client: &reqwest::blocking::Client,
    options: &UpdateOptions,
    url: &str,
    held: Option<&EcosystemEntry>,
    into: &Path,
    deadline: crate::download::Deadline,
) -> Result<Option<Fetched>, Failure> {
    let mut request = client.get(url);
    if let Some(entry) = held {
        if let Some(etag) = &entry.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(last_modified) = &entry.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, last_modified);
        }
    }
    let response = request.send().map_err(|e| {
        if e.is_redirect() {
            Failure::Permanent(format!("{url}: {}", error_chain(&e)))
        } else {
            Failure::Transient(format!("{url}: {}", error_chain(&e)))
        }
    })?;
    if deadline.passed() {
        return Err(Failure::Permanent(format!("{url}: {}", deadline.error())));
    }
    let status = response.status();
    if status == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(None);
    }
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(Failure::Transient(format!("{url}: HTTP {status}")));
    }
    if !status.is_success() {
        return Err(Failure::Permanent(format!("{url}: HTTP {status}")));
    }
    let limit = options.max_download_bytes;
    // Read before the body: afterwards reqwest reports what is left.
    let announced = response.content_length();
    if let Some(length) = announced
        && length > limit
    {
        return Err(Failure::Permanent(format!(
            "{url}: the export is {length} bytes, over the limit of {limit} bytes"
        )));
    }
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let etag = header(reqwest::header::ETAG);
    let last_modified = header(reqwest::header::LAST_MODIFIED);
    let mut file = std::fs::File::create(into)
        .map_err(|e| Failure::Permanent(format!("{}: {e}", into.display())))?;
    let mut body = deadline.reader(response);
    let copied = std::io::copy(&mut (&mut body).take(limit + 1), &mut file).map_err(|e| {
        if deadline.passed() {
            Failure::Permanent(format!("{url}: {}", deadline.error()))
        } else {
            Failure::Transient(format!(
                "{url}: the download was cut short: {}",
                error_chain(&e)
            ))
        }
    })?;
    if copied > limit {
        return Err(Failure::Permanent(format!(
            "{url}: the export is over the limit of {limit} bytes"
        )));
    }
    if let Some(length) = announced
        && copied != length
    {
        return Err(Failure::Transient(format!(
            "{url}: the download was cut short ({copied} of {length} bytes)"
        )));
    }
    file.sync_all()
        .map_err(|e| Failure::Permanent(format!("{}: {e}", into.display())))?;
    Ok(Some(Fetched {
        etag,
        last_modified,
        bytes: copied,
    }))
}

/// An error and its causes, on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

/// Reads an export: every `*.json` entry as an OSV record, reduced to the
/// packages of `ecosystem`. Fails when the archive itself is broken;
/// single unreadable records are counted and skipped.
fn read_export(
    path: &Path,
    ecosystem: &str,
    max_record_bytes: u64,
) -> Result<(Vec<Advisory>, usize), String> {
    let (file, _) =
        crate::read::open_regular(path, crate::read::Links::Follow).map_err(|e| e.to_string())?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| format!("not a valid zip archive ({e}); the database was not changed"))?;
    let mut advisories = Vec::with_capacity(archive.len());
    let mut skipped = 0;
    let mut buffer = Vec::new();
    for k in 0..archive.len() {
        let mut entry = archive.by_index(k).map_err(|e| {
            format!("entry {k} of the archive is unreadable ({e}); the database was not changed")
        })?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if !entry.is_file() || !name.ends_with(".json") {
            continue;
        }
        if entry.size() > max_record_bytes {
            skipped += 1;
            continue;
        }
        buffer.clear();
        // `take` bounds what a lying header can make us inflate.
        (&mut entry)
            .take(max_record_bytes + 1)
            .read_to_end(&mut buffer)
            .map_err(|e| {
                format!(
                    "entry {name} of the archive is corrupt ({e}); the database was not changed"
                )
            })?;
        if buffer.len() as u64 > max_record_bytes {
            skipped += 1;
            continue;
        }
        let Ok(record) = serde_json::from_slice::<OsvRecord>(&buffer) else {
            skipped += 1;
            continue;
        };
        advisories.extend(reduce(record, ecosystem));
    }
    if advisories.is_empty() && skipped > 0 {
        return Err(format!(
            "none of the {skipped} records could be read as OSV; the database was not changed"
        ));
    }
    advisories.sort_by(|a, b| a.id.cmp(&b.id));
    Ok((advisories, skipped))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), DbError> {
    let mut file = std::fs::File::create(path).map_err(io_error(path))?;
    file.write_all(bytes).map_err(io_error(path))?;
    file.sync_all().map_err(io_error(path))
}

/// Points `<dir>/current` at `generation` with one `rename`.
fn swap_current(dir: &Path, generation: &str) -> Result<(), DbError> {
    let temporary = dir.join(format!(".current-{}", std::process::id()));
    let _ = std::fs::remove_file(&temporary);
    #[cfg(unix)]
    std::os::unix::fs::symlink(generation, &temporary).map_err(io_error(&temporary))?;
    #[cfg(not(unix))]
    return Err(DbError::Io {
        path: temporary,
        source: std::io::Error::other("the advisory database needs symlinks (Unix)"),
    });
    let current = dir.join("current");
    std::fs::rename(&temporary, &current).map_err(io_error(&current))?;
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Percent-encodes what a URL path segment cannot hold (`Red Hat`).
fn percent_encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
