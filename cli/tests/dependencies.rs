//! The binary on dependencies: `rampart db update/status/import` against a
//! real HTTP server on 127.0.0.1, vulnerability findings at the lockfile
//! line in SARIF, the missing-database error, `rampart sbom`.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_tests::osv_server::{Behaviour, Server, zip_dir};
use rampart_tests::workspace_root;
use std::path::Path;
use std::process::{Command, Output};

fn rampart(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("RAMPART_CACHE_DIR", cache)
        .env_remove("RAMPART_LOG")
        .env_remove("RAMPART_DB_DIR")
        .env_remove("RAMPART_OSV_URL")
        .output()
        .expect("run rampart")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fixtures() -> std::path::PathBuf {
    workspace_root().join("policies/builtin/dependencies")
}

#[test]
fn db_update_status_and_offline() {
    let cache = tempfile::tempdir().unwrap();
    let db = cache.path().join("db");
    let db = db.to_str().unwrap();
    let server = Server::start(vec![(
        "/crates.io/all.zip",
        Behaviour::Serve {
            body: zip_dir(&fixtures().join("advisories/crates.io")),
            etag: "\"1\"".into(),
        },
    )]);
    let out = rampart(
        &[
            "--db",
            db,
            "db",
            "update",
            "--base-url",
            server.url(),
            "--ecosystem",
            "crates.io",
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("crates.io: 2 advisories"),
        "{}",
        text(&out.stderr)
    );

    let again = rampart(
        &[
            "--db",
            db,
            "db",
            "update",
            "--base-url",
            server.url(),
            "--ecosystem",
            "crates.io",
        ],
        cache.path(),
    );
    assert!(
        text(&again.stderr).contains("crates.io: up to date"),
        "{}",
        text(&again.stderr)
    );

    let status = rampart(
        &["--db", db, "db", "status", "--format", "json"],
        cache.path(),
    );
    assert_eq!(status.status.code(), Some(0), "{}", text(&status.stderr));
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["ecosystems"][0]["ecosystem"], "crates.io");
    assert_eq!(status["ecosystems"][0]["advisories"], 2);

    // A failing ecosystem: exit 2, the rest of the database intact.
    let failing = rampart(
        &[
            "--db",
            db,
            "db",
            "update",
            "--base-url",
            server.url(),
            "--ecosystem",
            "PyPI",
            "--retries",
            "0",
        ],
        cache.path(),
    );
    assert_eq!(failing.status.code(), Some(2));
    assert!(
        text(&failing.stderr).contains("PyPI:"),
        "{}",
        text(&failing.stderr)
    );
    let status = rampart(&["--db", db, "db", "status"], cache.path());
    assert!(
        text(&status.stdout).contains("crates.io"),
        "{}",
        text(&status.stdout)
    );

    let offline = rampart(&["--offline", "--db", db, "db", "update"], cache.path());
    assert_eq!(offline.status.code(), Some(2));
    assert!(
        text(&offline.stderr).contains("--offline"),
        "{}",
        text(&offline.stderr)
    );
    let before = server.requests().len();
    assert_eq!(server.requests().len(), before, "no request when offline");

    let missing = rampart(
        &["--db", "/nonexistent/rampart-db", "db", "status"],
        cache.path(),
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("rampart db update"));
}

#[test]
fn vulnerable_dependencies_are_reported_at_the_lockfile_line_in_sarif() {
    let cache = tempfile::tempdir().unwrap();
    let db = cache.path().join("db");
    let import = rampart(
        &[
            "--db",
            db.to_str().unwrap(),
            "db",
            "import",
            fixtures().join("advisories").to_str().unwrap(),
        ],
        cache.path(),
    );
    assert_eq!(import.status.code(), Some(0), "{}", text(&import.stderr));
    let sarif_path = cache.path().join("out.sarif");
    let out = rampart(
        &[
            "--db",
            db.to_str().unwrap(),
            "scan",
            fixtures()
                .join("fixtures/DEP-001/positive")
                .to_str()
                .unwrap(),
            "--format",
            "sarif",
            "--output",
            sarif_path.to_str().unwrap(),
            "--fail-on",
            "high",
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sarif_path).unwrap()).unwrap();
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(workspace_root().join("tests/schemas/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    assert!(jsonschema::validator_for(&schema).unwrap().is_valid(&sarif));
    let mut located: Vec<(String, String, u64, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                location["region"]["startLine"].as_u64().unwrap(),
                r["level"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    located.sort();
    assert_eq!(
        located,
        [
            ("DEP-001".into(), "Cargo.lock".into(), 12, "error".into()),
            (
                "DEP-001".into(),
                "requirements.txt".into(),
                3,
                "warning".into()
            ),
            (
                "DEP-001".into(),
                "requirements.txt".into(),
                5,
                "error".into()
            ),
            ("DEP-002".into(), "Cargo.lock".into(), 18, "note".into()),
        ]
    );
}

#[test]
fn a_missing_database_is_an_error_naming_the_command() {
    let cache = tempfile::tempdir().unwrap();
    let out = rampart(
        &[
            "--db",
            "/nonexistent/rampart-db",
            "scan",
            fixtures()
                .join("fixtures/DEP-001/positive")
                .to_str()
                .unwrap(),
            "--format",
            "json",
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(2), "incomplete scan");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("run `rampart db update`")),
        "{messages:?}"
    );
    // Without vulnerability matching the same scan is complete.
    let out = rampart(
        &[
            "--db",
            "/nonexistent/rampart-db",
            "scan",
            fixtures()
                .join("fixtures/DEP-003/positive")
                .to_str()
                .unwrap(),
            "--no-advisories",
            "--format",
            "json",
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn sbom_writes_cyclonedx() {
    let cache = tempfile::tempdir().unwrap();
    let out = rampart(
        &[
            "sbom",
            fixtures()
                .join("fixtures/DEP-001/positive")
                .to_str()
                .unwrap(),
            "--no-advisories",
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bom: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["metadata"]["component"]["name"], "positive");
    assert_eq!(bom["components"].as_array().unwrap().len(), 5);
}
