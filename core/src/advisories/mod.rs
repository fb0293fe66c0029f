//! Vulnerability data: OSV records, version ordering per ecosystem, the
//! local database, and the enrichment of `dependency` resources with the
//! advisories that affect them.
//!
//! Matching is a fact, not a policy (DESIGN §3): before evaluation each
//! dependency's document gains an `advisories` array; the built-in
//! `dependencies` pack turns those into findings. Scans read the local
//! database only — `rampart db update` is the one command that downloads.

pub mod db;
pub mod osv;
pub mod update;
pub mod version;

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use crate::resource::Resource;
use db::{AdvisoryDb, DbError};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Where a scan finds advisories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvisoryOptions {
    /// The database directory (see [`db::default_dir`]).
    pub db_dir: PathBuf,
    /// A database older than this gets a warning (never a failure).
    pub stale_after: Duration,
}

impl Default for AdvisoryOptions {
    fn default() -> Self {
        AdvisoryOptions {
            db_dir: db::default_dir().unwrap_or_else(|| PathBuf::from(".rampart-db")),
            stale_after: Duration::from_secs(7 * 86_400),
        }
    }
}

/// Adds matching advisories to dependency resources, file by file and from
/// any thread; opens the database on the first dependency it sees, so a
/// scan without lockfiles never touches it.
#[derive(Debug)]
pub struct Enricher {
    options: AdvisoryOptions,
    db: OnceLock<Result<AdvisoryDb, DbError>>,
    /// Scan-wide problems, reported once each.
    problems: Mutex<BTreeSet<(Level, String)>>,
}

impl Enricher {
    /// An enricher reading the database at `options.db_dir`.
    pub fn new(options: AdvisoryOptions) -> Enricher {
        Enricher {
            options,
            db: OnceLock::new(),
            problems: Mutex::new(BTreeSet::new()),
        }
    }

    fn problem(&self, level: Level, message: String) {
        if let Ok(mut problems) = self.problems.lock() {
            problems.insert((level, message));
        }
    }

    fn db(&self) -> Option<&AdvisoryDb> {
        let db = self.db.get_or_init(|| {
            let opened = AdvisoryDb::open(&self.options.db_dir);
            if let Ok(db) = &opened {
                let age = db.age();
                if age > self.options.stale_after {
                    self.problem(
                        Level::Warning,
                        format!(
                            "the advisory database at {} is {} old: run `rampart db update`",
                            self.options.db_dir.display(),
                            db::format_age(age)
                        ),
                    );
                }
            }
            opened
        });
        match db {
            Ok(db) => Some(db),
            Err(e) => {
                self.problem(Level::Error, e.to_string());
                None
            }
        }
    }

    /// Adds `advisories` to the document of every dependency among
    /// `resources` (all from the file `path`); returns notes about records
    /// that could not be evaluated.
    pub fn enrich(&self, path: &str, resources: &mut [Resource]) -> Vec<Diagnostic> {
        let mut notes: BTreeSet<String> = BTreeSet::new();
        for resource in resources
            .iter_mut()
            .filter(|r| r.kind == crate::resource::kind::DEPENDENCY)
        {
            // OS packages are matched by source package and version, which
            // is what distribution advisories name (`glibc`, not `libc6`).
            let document = &resource.document;
            let (Some(ecosystem), Some(name)) = (
                document["ecosystem"].as_str(),
                document["advisory_name"]
                    .as_str()
                    .or_else(|| document["name"].as_str()),
            ) else {
                continue;
            };
            let Some(version) = document["advisory_version"]
                .as_str()
                .or_else(|| document["version"].as_str())
            else {
                continue;
            };
            let Some(db) = self.db() else {
                return Vec::new();
            };
            let index = match db.ecosystem(ecosystem) {
                Some(Ok(index)) => index,
                Some(Err(e)) => {
                    self.problem(Level::Error, e.to_owned());
                    continue;
                }
                None => {
                    self.problem(
                        Level::Warning,
                        format!(
                            "the advisory database has no {ecosystem} advisories: {ecosystem} dependencies were not checked; run `rampart db update --ecosystem {ecosystem}`"
                        ),
                    );
                    continue;
                }
            };
            let found = index.matches_in(ecosystem, name, version);
            notes.extend(
                found
                    .notes
                    .into_iter()
                    .map(|n| format!("{name}@{version}: {n}")),
            );
            let advisories: Vec<Value> = found
                .matches
                .iter()
                .map(|m| {
                    let a = m.advisory;
                    json!({
                        "id": a.id,
                        "aliases": m.ids.iter().filter(|id| **id != a.id).collect::<Vec<_>>(),
                        "summary": a.summary,
                        "severity": a.severity.level,
                        "score": a.severity.score,
                        "vector": a.severity.vector,
                        "severity_source": a.severity.source,
                        "url": a.url,
                        "fixed": m.fixed,
                        "informational": a.informational,
                        "modified": a.modified,
                    })
                })
                .collect();
            if let Some(document) = resource.document_mut().as_object_mut() {
                document.insert("advisories".to_owned(), Value::Array(advisories));
            }
        }
        notes
            .into_iter()
            .map(|n| Diagnostic::file(Level::Note, DiagnosticKind::Advisories, path, n))
            .collect()
    }

    /// Scan-wide diagnostics: a missing or stale database, ecosystems it
    /// lacks.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let problems = self.problems.lock().map(|p| p.clone()).unwrap_or_default();
        problems
            .into_iter()
            .map(|(level, message)| Diagnostic::global(level, DiagnosticKind::Advisories, message))
            .collect()
    }
}
