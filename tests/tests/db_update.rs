//! `rampart db update` against a real HTTP server on 127.0.0.1 serving
//! exports built from real OSV data (`tests/data/osv/`): downloads,
//! conditional requests, retries, and failures that must leave the
//! database as it was.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

use rampart_core::advisories::db::{AdvisoryDb, DbError};
use rampart_core::advisories::update::{self, Outcome, UpdateOptions};
use rampart_tests::osv_server::{Behaviour, Server, zip_dir};
use rampart_tests::workspace_root;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn osv_records(ecosystem: &str) -> PathBuf {
    workspace_root().join("tests/data/osv").join(ecosystem)
}

fn options(server: &Server, db: &Path, ecosystems: &[&str]) -> UpdateOptions {
    UpdateOptions {
        db_dir: db.to_owned(),
        base_url: server.url().to_owned(),
        ecosystems: ecosystems.iter().map(|e| (*e).to_owned()).collect(),
        retries: 2,
        backoff: Duration::from_millis(10),
        timeout: Duration::from_secs(10),
        ..UpdateOptions::default()
    }
}

/// A database holding the `dependencies` pack's fixture advisories
/// (3 PyPI, 2 crates.io).
fn fixture_db() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = workspace_root().join("policies/builtin/dependencies/advisories");
    assert!(!update::import(&source, dir.path()).unwrap().failed());
    dir
}

fn count(db: &Path, ecosystem: &str) -> usize {
    AdvisoryDb::open(db)
        .unwrap()
        .ecosystem(ecosystem)
        .unwrap()
        .unwrap()
        .len()
}

/// Records of the folder that are not withdrawn.
fn live_records(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter(|e| {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
            v.get("withdrawn").is_none()
        })
        .count()
}

#[test]
fn downloads_then_revalidates_with_the_etag() {
    let pypi = zip_dir(&osv_records("PyPI"));
    let crates = zip_dir(&osv_records("crates.io"));
    let server = Server::start(vec![
        (
            "/PyPI/all.zip",
            Behaviour::Serve {
                body: pypi.clone(),
                etag: "\"pypi-1\"".into(),
            },
        ),
        (
            "/crates.io/all.zip",
            Behaviour::Serve {
                body: crates,
                etag: "\"crates-1\"".into(),
            },
        ),
    ]);
    let db = tempfile::tempdir().unwrap();
    let report = update::update(&options(&server, db.path(), &["PyPI", "crates.io"])).unwrap();
    assert!(!report.failed(), "{report:?}");
    assert_eq!(
        report.ecosystems[0].outcome,
        Outcome::Downloaded {
            advisories: live_records(&osv_records("PyPI")),
            skipped_records: 0,
            bytes: pypi.len() as u64
        }
    );
    assert_eq!(count(db.path(), "PyPI"), live_records(&osv_records("PyPI")));
    assert_eq!(
        count(db.path(), "crates.io"),
        live_records(&osv_records("crates.io"))
    );

    // A real record: RUSTSEC-2016-0001, openssl < 0.9.0.
    let opened = AdvisoryDb::open(db.path()).unwrap();
    let crates_io = opened.ecosystem("crates.io").unwrap().unwrap();
    let found = crates_io.matches("openssl", "0.8.3");
    assert!(
        found
            .matches
            .iter()
            .any(|m| m.advisory.id == "RUSTSEC-2016-0001" && m.fixed == ["0.9.0"]),
        "{found:?}"
    );
    assert!(
        !crates_io
            .matches("openssl", "0.9.0")
            .matches
            .iter()
            .any(|m| m.advisory.id == "RUSTSEC-2016-0001")
    );

    // Second run: conditional request, 304, nothing downloaded.
    let again = update::update(&options(&server, db.path(), &["PyPI"])).unwrap();
    assert_eq!(again.ecosystems[0].outcome, Outcome::NotModified);
    let last = server.requests().last().cloned().unwrap();
    assert_eq!(last.if_none_match.as_deref(), Some("\"pypi-1\""));
    assert_eq!(count(db.path(), "PyPI"), live_records(&osv_records("PyPI")));
    // crates.io was not asked for and is carried over.
    assert_eq!(
        count(db.path(), "crates.io"),
        live_records(&osv_records("crates.io"))
    );
}

#[test]
fn transient_failures_are_retried_with_backoff() {
    let server = Server::start(vec![(
        "/PyPI/all.zip",
        Behaviour::FailThenServe {
            failures: 2,
            body: zip_dir(&osv_records("PyPI")),
        },
    )]);
    let db = tempfile::tempdir().unwrap();
    let report = update::update(&options(&server, db.path(), &["PyPI"])).unwrap();
    assert!(!report.failed(), "{report:?}");
    assert_eq!(report.ecosystems[0].attempts, 3);
    assert_eq!(server.requests().len(), 3);
    assert_eq!(count(db.path(), "PyPI"), live_records(&osv_records("PyPI")));
}

#[test]
fn a_truncated_download_leaves_the_database_as_it_was() {
    let db = fixture_db();
    let server = Server::start(vec![(
        "/PyPI/all.zip",
        Behaviour::Truncate {
            body: zip_dir(&osv_records("PyPI")),
        },
    )]);
    let report = update::update(&options(&server, db.path(), &["PyPI"])).unwrap();
    let Outcome::Failed(message) = &report.ecosystems[0].outcome else {
        panic!("{report:?}");
    };
    assert!(message.contains("gave up after 3 attempts"), "{message}");
    assert_eq!(report.ecosystems[0].attempts, 3, "2 retries");
    assert_eq!(count(db.path(), "PyPI"), 3);
    assert_eq!(count(db.path(), "crates.io"), 2);
}

#[test]
fn a_corrupt_zip_leaves_the_database_as_it_was() {
    let db = fixture_db();
    let mut garbage = b"PK\x03\x04 this is not really a zip archive".to_vec();
    garbage.extend(std::iter::repeat_n(0xAB, 4096));
    let server = Server::start(vec![(
        "/PyPI/all.zip",
        Behaviour::Serve {
            body: garbage,
            etag: "\"x\"".into(),
        },
    )]);
    let report = update::update(&options(&server, db.path(), &["PyPI"])).unwrap();
    let Outcome::Failed(message) = &report.ecosystems[0].outcome else {
        panic!("{report:?}");
    };
    assert!(message.contains("not a valid zip archive"), "{message}");
    assert_eq!(
        report.ecosystems[0].attempts, 1,
        "content errors are not retried"
    );
    assert_eq!(count(db.path(), "PyPI"), 3);
}

#[test]
fn one_ecosystem_failing_keeps_its_old_data_and_the_others_update() {
    let db = fixture_db();
    let server = Server::start(vec![(
        "/PyPI/all.zip",
        Behaviour::Serve {
            body: zip_dir(&osv_records("PyPI")),
            etag: "\"p\"".into(),
        },
    )]);
    // crates.io is not served: 404, not retried.
    let report = update::update(&options(&server, db.path(), &["PyPI", "crates.io"])).unwrap();
    assert!(report.failed());
    assert!(matches!(
        report.ecosystems[1].outcome,
        Outcome::Failed(ref m) if m.contains("404")
    ));
    assert_eq!(report.ecosystems[1].attempts, 1);
    assert_eq!(count(db.path(), "PyPI"), live_records(&osv_records("PyPI")));
    assert_eq!(count(db.path(), "crates.io"), 2, "old data kept");
    // Old generations are cleaned up: the current and the previous remain.
    let generations = std::fs::read_dir(db.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert!(generations <= 2, "{generations} generations");
}

#[test]
fn exports_over_the_size_limit_are_refused() {
    let db = tempfile::tempdir().unwrap();
    let server = Server::start(vec![(
        "/PyPI/all.zip",
        Behaviour::Serve {
            body: zip_dir(&osv_records("PyPI")),
            etag: "\"p\"".into(),
        },
    )]);
    let mut small = options(&server, db.path(), &["PyPI"]);
    small.max_download_bytes = 1000;
    let report = update::update(&small).unwrap();
    assert!(matches!(
        report.ecosystems[0].outcome,
        Outcome::Failed(ref m) if m.contains("over the limit")
    ));
    assert_eq!(report.generation, None, "no database made of nothing");
    assert!(matches!(
        AdvisoryDb::open(db.path()),
        Err(DbError::Missing(_))
    ));
}

#[test]
fn a_second_update_while_one_runs_is_refused() {
    let db = tempfile::tempdir().unwrap();
    let lock = std::fs::File::create(db.path().join(".lock")).unwrap();
    lock.lock().unwrap();
    let server = Server::start(vec![]);
    let err = update::update(&options(&server, db.path(), &["PyPI"])).unwrap_err();
    assert!(matches!(err, DbError::Locked(_)), "{err}");
    assert!(server.requests().is_empty());
}
