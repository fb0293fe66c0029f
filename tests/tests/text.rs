//! Text files searched with the loaded packs' detectors (secrets): every
//! text file, of a known format or not, with the walk's limits; binary
//! files a note; each candidate at its exact line and column.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::diagnostic::Level;
use rampart_core::inventory::text::TextMatcher;
use rampart_core::inventory::{self, FileFormat, WalkOptions};
use rampart_core::policy::{PackSource, SandboxLimits};
use rampart_core::resource::Region;
use rampart_tests::{engine_with, policies};
use serde_json::json;
use std::sync::Arc;

/// The hostile test pack's one detector (`flag_` + 8 characters, for
/// `TEST-001`), as the scanner would build it from the loaded packs.
fn matcher() -> Arc<TextMatcher> {
    let pack = engine_with(SandboxLimits::default())
        .load(
            PackSource::file(&policies::HOSTILE),
            Some(&json!({"mode": "detectors"})),
        )
        .unwrap();
    Arc::new(TextMatcher::new(pack.detectors().to_vec()))
}

#[test]
fn every_text_file_is_searched_and_binary_files_are_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write("config/.env", b"# api\nAPI_TOKEN=flag_0a1b2c3d\n");
    write(
        "deploy/web.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    token: \"flag_99998888\"\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n",
    );
    write(
        "notes.md",
        b"nothing to see: flag_ short, FLAG_toolong999\n",
    );
    write("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0flag_0a1b2c3d");
    write("big.log", &[b"flag_0a1b2c3d\n".as_slice(); 200].concat());
    let options = WalkOptions {
        base_dir: dir.path().to_owned(),
        max_file_size: 1_000,
        text: Some(matcher()),
        ..WalkOptions::default()
    };
    let found = inventory::collect(&[dir.path().to_owned()], &options).unwrap();

    let files: Vec<(&str, FileFormat, Vec<&str>)> = found
        .files
        .iter()
        .map(|f| {
            (
                f.path.as_str(),
                f.format,
                f.resources.iter().map(|r| r.kind.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("config/.env", FileFormat::Text, vec!["text"]),
            ("deploy/web.yaml", FileFormat::Yaml, vec!["k8s", "text"]),
        ]
    );
    let env = &found.files[0].resources[0];
    assert_eq!(env.id, "text:config/.env");
    assert_eq!(env.document["candidates"][0]["rule"], "TEST-001");
    assert_eq!(env.document["candidates"][0]["secret"], "flag_0a1b2c3d");
    assert_eq!(
        env.locate("/candidates/0/secret").1,
        Some(Region::line(2, 11, 24))
    );
    let yaml = &found.files[1].resources[1];
    assert_eq!(
        yaml.locate("/candidates/0/secret").1,
        Some(Region::line(6, 13, 26))
    );

    let diagnostics: Vec<(Level, Option<&str>, &str)> = found
        .diagnostics
        .iter()
        .map(|d| (d.level, d.path.as_deref(), d.message.as_str()))
        .collect();
    assert!(
        diagnostics.contains(&(
            Level::Note,
            Some("logo.png"),
            "binary: not searched for secrets"
        )),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics
            .iter()
            .any(|(level, path, message)| *level == Level::Error
                && *path == Some("big.log")
                && message.starts_with(
                    "not searched for secrets: 2800 bytes is over the size limit of 1000 bytes"
                )),
        "{diagnostics:?}"
    );
    assert!(
        !diagnostics
            .iter()
            .any(|(_, path, _)| *path == Some("notes.md")),
        "{diagnostics:?}"
    );
}

/// Without detectors nothing changes: files of no known format are not
/// even opened.
#[test]
fn without_detectors_only_known_formats_are_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.env"), "API_TOKEN=flag_0a1b2c3d\n").unwrap();
    std::fs::write(dir.path().join("logo.png"), b"\0\0").unwrap();
    let options = WalkOptions {
        base_dir: dir.path().to_owned(),
        ..WalkOptions::default()
    };
    let found = inventory::collect(&[dir.path().to_owned()], &options).unwrap();
    assert!(found.files.is_empty());
    assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
}

/// A Kubernetes `Secret`'s `data` is base64: its values are decoded before
/// the search, and a candidate found in one is placed at the value it was
/// decoded from, with that encoded form kept as secret as the value.
#[test]
fn secret_data_is_decoded_before_the_search() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("secret.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ndata:\n  token: ZmxhZ18wYTFiMmMzZA==\n  other: bm90aGluZw==\n",
    )
    .unwrap();
    let options = WalkOptions {
        base_dir: dir.path().to_owned(),
        text: Some(matcher()),
        ..WalkOptions::default()
    };
    let found = inventory::collect(&[dir.path().to_owned()], &options).unwrap();
    assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
    let text = found.files[0]
        .resources
        .iter()
        .find(|r| r.kind == "text")
        .expect("a text resource");
    let candidates = text.document["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 1, "{candidates:?}");
    assert_eq!(candidates[0]["secret"], "flag_0a1b2c3d");
    assert_eq!(candidates[0]["encoded"], "ZmxhZ18wYTFiMmMzZA==");
    assert_eq!(
        text.locate("/candidates/0/secret").1,
        Some(Region::line(6, 3, 30))
    );
    // What reports print of the file has neither form.
    let secrets = rampart_core::inventory::text::Secrets::of(&found.files[0].resources);
    let line = secrets.scrub("  token: ZmxhZ18wYTFiMmMzZA==");
    assert!(!line.contains("ZmxhZ18w"), "{line}");
}

#[test]
fn no_ignore_searches_what_gitignore_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), ".env\n").unwrap();
    std::fs::write(dir.path().join(".env"), "TOKEN=flag_0a1b2c3d\n").unwrap();
    let searched = |respect_ignore_files| {
        let options = WalkOptions {
            base_dir: dir.path().to_owned(),
            text: Some(matcher()),
            respect_ignore_files,
            ..WalkOptions::default()
        };
        let found = inventory::collect(&[dir.path().to_owned()], &options).unwrap();
        let paths: Vec<String> = found.files.iter().map(|f| f.path.clone()).collect();
        (paths, found.files_ignored)
    };
    assert_eq!(searched(true), (Vec::<String>::new(), 1));
    assert_eq!(searched(false), (vec![".env".to_owned()], 0));
}
