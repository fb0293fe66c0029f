//! Every rule of every built-in pack against its fixtures:
//! `policies/builtin/<pack>/fixtures/<RULE-ID>/positive.*` marks each line
//! that must be reported with `# expect: <RULE-ID>`; `negative.*` must yield
//! no finding of the rule. Lines are asserted, not just counts.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::advisories::AdvisoryOptions;
use rampart_core::policy::{CacheMode, EngineOptions};
use rampart_core::{ScanOptions, Scanner};
use rampart_tests::workspace_root;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Lines marked `# expect: RULE` in a fixture. A trailing comment marks its
/// own line (YAML); a whole-line comment marks the next line that is not
/// itself a marker (Dockerfiles, where comments cannot trail).
fn expected_lines(text: &str, rule: &str) -> Vec<u32> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let count = line
            .split("# expect:")
            .skip(1)
            .flat_map(|ids| ids.split(','))
            .filter(|id| id.trim() == rule)
            .count();
        if count == 0 {
            continue;
        }
        let target = if line.trim_start().starts_with("# expect:") {
            (i + 1..lines.len())
                .find(|&j| !lines[j].trim_start().starts_with("# expect:"))
                .unwrap_or(i)
        } else {
            i
        };
        out.extend(std::iter::repeat_n(
            u32::try_from(target + 1).unwrap(),
            count,
        ));
    }
    out.sort();
    out
}

/// A database of the `dependencies` pack's fixture advisories.
fn fixture_advisories() -> (tempfile::TempDir, AdvisoryOptions) {
    let dir = tempfile::tempdir().unwrap();
    let source = workspace_root().join("policies/builtin/dependencies/advisories");
    let report = rampart_core::advisories::update::import(&source, dir.path()).unwrap();
    assert!(!report.failed(), "{report:?}");
    let options = AdvisoryOptions {
        db_dir: dir.path().to_owned(),
        ..AdvisoryOptions::default()
    };
    (dir, options)
}

/// The fixture files of a rule: `positive.*`, or every file in `positive/`
/// (lockfiles, whose format is known by their exact name).
fn fixture_files(dir: &std::path::Path, kind: &str) -> Vec<PathBuf> {
    let as_dir = dir.join(kind);
    if as_dir.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&as_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        return files;
    }
    std::fs::read_dir(dir)
        .unwrap_or_else(|_| panic!("no fixtures in {}", dir.display()))
        .map(|e| e.unwrap().path())
        // `positive.yaml`, or `positive.gitlab-ci.yml` where the format is
        // known by the end of the name.
        .filter(|f| {
            f.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{kind}.")))
        })
        .take(1)
        .collect()
}

#[test]
fn every_builtin_rule_has_fixtures_and_they_pass() {
    let (_db, advisories) = fixture_advisories();
    let scanner = Scanner::new(ScanOptions {
        paths: vec![],
        engine: EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        },
        ..ScanOptions::default()
    })
    .unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for pack in scanner.packs() {
        let fixtures: PathBuf = workspace_root()
            .join("policies/builtin")
            .join(pack.name())
            .join("fixtures");
        let report = Scanner::new(ScanOptions {
            paths: vec![fixtures.clone()],
            base_dir: Some(fixtures.clone()),
            engine: EngineOptions {
                cache: CacheMode::Disabled,
                ..EngineOptions::default()
            },
            advisories: Some(advisories.clone()),
            ..ScanOptions::default()
        })
        .unwrap()
        .scan()
        .unwrap();
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        let mut actual: BTreeMap<(String, String), Vec<u32>> = BTreeMap::new();
        for f in &report.findings {
            actual
                .entry((f.path.clone(), f.rule_id.clone()))
                .or_default()
                .push(f.region.unwrap().start_line);
        }
        for rule in &pack.metadata().rules {
            let dir = fixtures.join(&rule.id);
            if !dir.is_dir() {
                failures.push(format!(
                    "rule {} has no fixtures in {}",
                    rule.id,
                    dir.display()
                ));
                continue;
            }
            for kind in ["positive", "negative"] {
                let files = fixture_files(&dir, kind);
                if files.is_empty() {
                    failures.push(format!("{}: no {kind} fixture", rule.id));
                }
                for file in &files {
                    let text = std::fs::read_to_string(file).unwrap();
                    let path = file
                        .strip_prefix(&fixtures)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    let mut found = actual
                        .get(&(path.clone(), rule.id.clone()))
                        .cloned()
                        .unwrap_or_default();
                    found.sort();
                    let expected = expected_lines(&text, &rule.id);
                    if kind == "positive" && expected.is_empty() {
                        failures.push(format!(
                            "{path}: a positive fixture must mark at least one line"
                        ));
                    }
                    if found != expected {
                        failures.push(format!(
                            "{path}: expected {} at lines {expected:?}, found {found:?}",
                            rule.id
                        ));
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
    assert!(checked >= 40, "only {checked} fixtures checked");
}
