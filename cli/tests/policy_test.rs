//! `rampart policy test`: a pack against its fixtures, with a readable
//! difference and exit 1 when they disagree.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_tests::workspace_root;
use std::path::Path;
use std::process::{Command, Output};

fn rampart(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("RAMPART_CACHE_DIR", cache)
        .env_remove("RAMPART_LOG")
        .output()
        .expect("run rampart")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn pack_directory_passes_then_fails_with_a_diff() {
    let cache = tempfile::tempdir().unwrap();
    let pack = tempfile::tempdir().unwrap();
    std::fs::write(
        pack.path().join("dockerfile.wasm"),
        rampart_builtin::get("dockerfile").unwrap().wasm,
    )
    .unwrap();
    copy_dir(
        &workspace_root().join("policies/builtin/dockerfile/fixtures"),
        &pack.path().join("fixtures"),
    );
    let dir = pack.path().to_str().unwrap();
    let out = rampart(&["policy", "test", dir], cache.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("ok: "), "{stdout}");
    assert!(stdout.contains(" fixtures of 51 rules checked"), "{stdout}");

    // Mark a line the rule does not report.
    let fixture = pack.path().join("fixtures/DF-001/positive.Dockerfile");
    let mut text = std::fs::read_to_string(&fixture).unwrap();
    text.push_str("LABEL purpose=test  # expect: DF-001\n");
    std::fs::write(&fixture, &text).unwrap();
    let line = text.lines().count();
    let out = rampart(&["policy", "test", dir], cache.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL DF-001 DF-001/positive.Dockerfile"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("- not reported: [{line}]")),
        "{stdout}"
    );
    assert!(stdout.contains("FAILED: "), "{stdout}");

    // No component: a clear error.
    let empty = tempfile::tempdir().unwrap();
    let out = rampart(
        &["policy", "test", empty.path().to_str().unwrap()],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("dist/pack.wasm is missing: build the pack first"),
        "{stderr}"
    );
}
