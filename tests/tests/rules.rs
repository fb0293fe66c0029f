//! Every rule of every built-in pack against its fixtures:
//! `policies/builtin/<pack>/fixtures/<RULE-ID>/positive.*` marks each line
//! that must be reported with `# expect: <RULE-ID>`; `negative.*` must yield
//! no finding of the rule. Lines are asserted, not just counts (the same
//! check as `rampart policy test`: `rampart_authoring::fixtures`).
//!
//! The `host` pack's fixtures are root filesystems instead
//! (`fixtures/<RULE-ID>/{positive,negative}/etc/...`): each is copied, given
//! the modes and owners its `modes.txt` lists (git keeps neither), and
//! scanned as a host; its `expected.txt` lists every finding of the rule as
//! `path[:line]`, relative to that root.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::advisories::AdvisoryOptions;
use rampart_core::policy::{CacheMode, EngineOptions};
use rampart_core::{ScanOptions, Scanner};
use rampart_tests::workspace_root;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// Copies a fixture tree, symlinks as symlinks, leaving out the fixture's
/// own metadata files.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "expected.txt" || name == "modes.txt" {
            continue;
        }
        let target = to.join(&name);
        let file_type = entry.file_type().unwrap();
        if file_type.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if file_type.is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Applies `modes.txt`: `path mode [uid:gid]` per line.
fn apply_modes(fixture: &Path, root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(text) = std::fs::read_to_string(fixture.join("modes.txt")) else {
        return;
    };
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let path = root.join(fields[0]);
        let mode = u32::from_str_radix(fields[1], 8).unwrap();
        if let Some((uid, gid)) = fields.get(2).and_then(|o| o.split_once(':')) {
            std::os::unix::fs::chown(
                &path,
                Some(uid.parse().unwrap()),
                Some(gid.parse().unwrap()),
            )
            .unwrap_or_else(|e| {
                panic!(
                    "chown {}: {e} (the host fixtures need root)",
                    path.display()
                )
            });
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// The `host` pack's fixtures: every positive and negative root scanned in
/// one scan (one host each), findings compared with `expected.txt`.
fn check_host_fixtures(rules: &[String], failures: &mut Vec<String>) -> usize {
    let fixtures = workspace_root().join("policies/builtin/host/fixtures");
    let work = tempfile::tempdir().unwrap();
    let mut hosts = Vec::new();
    let mut expected: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for rule in rules {
        for kind in ["positive", "negative"] {
            let source = fixtures.join(rule).join(kind);
            if !source.is_dir() {
                failures.push(format!(
                    "host rule {rule} has no {kind} root in {}",
                    source.display()
                ));
                continue;
            }
            let root = work.path().join(rule).join(kind);
            copy_tree(&source, &root);
            apply_modes(&source, &root);
            let lines: Vec<String> = std::fs::read_to_string(source.join("expected.txt"))
                .unwrap_or_default()
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(|l| l.trim().to_owned())
                .collect();
            if kind == "positive" && lines.is_empty() {
                failures.push(format!(
                    "{rule}/positive: expected.txt must list at least one finding"
                ));
            }
            expected.insert((rule.clone(), kind.to_owned()), lines);
            hosts.push(rampart_core::inventory::host::HostTarget::Root(root));
        }
    }
    let report = Scanner::new(ScanOptions {
        paths: vec![],
        hosts,
        base_dir: Some(work.path().to_owned()),
        engine: EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        },
        advisories: None,
        ..ScanOptions::default()
    })
    .unwrap()
    .scan()
    .unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let mut actual: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for f in &report.findings {
        // `HOST-001/positive/etc/ssh/sshd_config` → rule dir, kind, path.
        let mut parts = f.path.splitn(3, '/');
        let (Some(rule_dir), Some(kind), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if rule_dir != f.rule_id {
            continue;
        }
        let at = match f.region {
            Some(region) => format!("{path}:{}", region.start_line),
            None => path.to_owned(),
        };
        actual
            .entry((rule_dir.to_owned(), kind.to_owned()))
            .or_default()
            .push(at);
    }
    for ((rule, kind), mut want) in expected.clone() {
        let mut found = actual
            .remove(&(rule.clone(), kind.clone()))
            .unwrap_or_default();
        want.sort();
        found.sort();
        if want != found {
            failures.push(format!(
                "host {rule}/{kind}: expected {want:?}, found {found:?}"
            ));
        }
    }
    expected.len()
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
        if pack.name() == "host" {
            let rules: Vec<String> = pack.metadata().rules.iter().map(|r| r.id.clone()).collect();
            checked += check_host_fixtures(&rules, &mut failures);
            continue;
        }
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
        let rules: Vec<String> = pack.metadata().rules.iter().map(|r| r.id.clone()).collect();
        let results = rampart_authoring::fixtures::check(&report, &fixtures, &rules);
        checked += results.checked;
        failures.extend(results.mismatches.iter().map(ToString::to_string));
    }
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
    assert!(checked >= 40, "only {checked} fixtures checked");
}
