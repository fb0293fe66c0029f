//! Dependencies end to end: `-r` includes of requirements files, findings
//! at the included file's line, and the stale-database warning.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

use rampart_core::advisories::AdvisoryOptions;
use rampart_core::diagnostic::Level;
use rampart_core::{ScanOptions, Scanner, Severity};
use rampart_tests::workspace_root;
use std::path::Path;

fn fixture_db() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = workspace_root().join("policies/builtin/dependencies/advisories");
    assert!(
        !rampart_core::advisories::update::import(&source, dir.path())
            .unwrap()
            .failed()
    );
    dir
}

fn scan(root: &Path, db: &Path) -> rampart_core::Report {
    Scanner::new(ScanOptions {
        paths: vec![root.to_owned()],
        base_dir: Some(root.to_owned()),
        advisories: Some(AdvisoryOptions {
            db_dir: db.to_owned(),
            ..AdvisoryOptions::default()
        }),
        ..ScanOptions::default()
    })
    .unwrap()
    .scan()
    .unwrap()
}

#[test]
fn requirements_includes_are_followed_and_reported_where_they_are() {
    let db = fixture_db();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("app/nested")).unwrap();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(
        root.join("app/requirements.txt"),
        "-r base.txt\n--requirement=nested/more.txt\n-r missing.txt\n-r ../shared/common.txt\nflask==3.0.3\n-r /etc/passwd\n-r outside.txt\n",
    )
    .unwrap();
    std::fs::write(root.join("app/base.txt"), "# base\nJinja2==3.1.2\n").unwrap();
    // A cycle back to base.txt: followed once.
    std::fs::write(
        root.join("app/nested/more.txt"),
        "-r ../base.txt\nrequests==2.30.0\n",
    )
    .unwrap();
    std::fs::write(root.join("shared/common.txt"), "requests==2.31.0\n").unwrap();
    // A symlink out of the tree is not followed either.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("secret.txt"), "s3cr3t\n").unwrap();
    std::os::unix::fs::symlink(
        elsewhere.path().join("secret.txt"),
        root.join("app/outside.txt"),
    )
    .unwrap();
    let report = scan(root, db.path());
    let located: Vec<(&str, u32, &str)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.path.as_str(),
                f.region.unwrap().start_line,
                f.rule_id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        located,
        [
            ("app/base.txt", 2, "DEP-001"),
            ("app/nested/more.txt", 2, "DEP-001"),
        ]
    );
    // (The walker also notes the symlink itself: not followed as a file.)
    let warnings: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.path.as_deref() == Some("app/requirements.txt"))
        .map(|d| {
            format!(
                "{}:{}: {}",
                d.path.as_deref().unwrap_or(""),
                d.region.map_or(0, |r| r.start_line),
                d.message
            )
        })
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings[0].starts_with(
            "app/requirements.txt:3: cannot read the included requirements file `missing.txt`: "
        ),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("app/requirements.txt:6: `-r /etc/passwd` points outside"),
        "{warnings:?}"
    );
    assert!(
        warnings[2].starts_with("app/requirements.txt:7: `-r outside.txt` points outside"),
        "{warnings:?}"
    );
    assert!(
        !report.findings.iter().any(|f| f.message.contains("s3cr3t")),
        "nothing from outside the tree is read"
    );
}

#[test]
fn a_stale_database_is_a_warning_and_the_gate_still_works() {
    let db = fixture_db();
    // Age the database by 30 days.
    let generation = std::fs::read_link(db.path().join("current")).unwrap();
    let manifest_path = db.path().join(generation).join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    for entry in manifest["ecosystems"].as_object_mut().unwrap().values_mut() {
        let checked = entry["checked_at"].as_u64().unwrap();
        entry["checked_at"] = (checked - 30 * 86_400).into();
    }
    std::fs::write(&manifest_path, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let fixtures = workspace_root().join("policies/builtin/dependencies/fixtures/DEP-001/positive");
    let report = scan(&fixtures, db.path());
    let stale: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("30 days old"))
        .collect();
    assert_eq!(stale.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(stale[0].level, Level::Warning);
    assert!(stale[0].message.contains("rampart db update"));
    // Findings gate (1), the warning does not make the scan incomplete (2).
    assert_eq!(report.exit_code(Severity::High), 1);
}

#[test]
fn records_with_only_git_ranges_become_notes() {
    let source = tempfile::tempdir().unwrap();
    std::fs::create_dir(source.path().join("PyPI")).unwrap();
    std::fs::write(
        source.path().join("PyPI/PYSEC-GIT-1.json"),
        r#"{"id": "PYSEC-GIT-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "flask"},
            "ranges": [{"type": "GIT", "repo": "https://example.invalid/flask", "events": [{"introduced": "0"}, {"fixed": "abc"}]}]}]}"#,
    )
    .unwrap();
    let db = tempfile::tempdir().unwrap();
    rampart_core::advisories::update::import(source.path(), db.path()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "flask==3.0.3\n").unwrap();
    let report = scan(dir.path(), db.path());
    assert!(report.findings.is_empty());
    let notes: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Note && d.message.contains("only GIT ranges"))
        .collect();
    assert_eq!(notes.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(notes[0].path.as_deref(), Some("requirements.txt"));
}
