//! Advisory matching against real OSV data (`tests/data/osv/`, a subset
//! chosen for what these tests check).

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

use rampart_core::advisories::osv::{Advisory, Event, OsvRecord};
use rampart_core::advisories::version::Scheme;
use std::path::{Path, PathBuf};

fn osv_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/osv")
}

fn records(ecosystem: &str) -> Vec<Advisory> {
    let dir = osv_dir().join(ecosystem);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            let record: OsvRecord = serde_json::from_slice(&std::fs::read(p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            Advisory::from_osv(record)
        })
        .collect()
}

/// What the comparison of range evaluation with explicit lists found.
#[derive(Default)]
struct Agreement {
    /// (advisory, version) pairs compared.
    checked: usize,
    /// Listed versions that are not valid under the ecosystem's scheme
    /// (`0.1-bulbasaur` in PyPI): ranges cannot place them.
    unparsable: Vec<String>,
    /// Real disagreements.
    disagreements: Vec<String>,
}

/// For every record listing explicit `versions` next to `ranges`: each
/// listed version must be in range, and each `fixed`/`limit` boundary that
/// is not listed must be out of range. (An `introduced` boundary that is
/// not listed proves nothing: such versions often were never released.)
fn agreement(ecosystem: &str) -> Agreement {
    let scheme = Scheme::of_ecosystem(ecosystem).unwrap();
    let mut result = Agreement::default();
    for advisory in records(ecosystem) {
        for (k, package) in advisory.affected.iter().enumerate() {
            if package.versions.is_empty() || package.ranges.is_empty() {
                continue;
            }
            let mut ranges_only = advisory.clone();
            ranges_only.affected = vec![package.clone()];
            ranges_only.affected[0].versions.clear();
            let listed: Vec<_> = package
                .versions
                .iter()
                .filter_map(|v| scheme.parse(v).ok())
                .collect();
            let mut candidates: Vec<String> = package.versions.clone();
            for range in &package.ranges {
                for event in &range.events {
                    if let Event::Fixed(v) | Event::Limit(v) = event {
                        candidates.push(v.clone());
                    }
                }
            }
            candidates.sort();
            candidates.dedup();
            for version in candidates {
                let Ok(parsed) = scheme.parse(&version) else {
                    result
                        .unparsable
                        .push(format!("{} {} {version}", advisory.id, package.name));
                    continue;
                };
                let is_listed = listed.contains(&parsed);
                let in_range = ranges_only.affects(&package.name, &version).is_some();
                result.checked += 1;
                if is_listed != in_range {
                    result.disagreements.push(format!(
                        "{} [{k}] {} {version}: listed={is_listed} ranges={in_range}",
                        advisory.id, package.name
                    ));
                }
            }
        }
    }
    result
}

/// Agreement on the real PyPI records is reported (run with
/// `--nocapture`) and must stay above 99.9%; every disagreement left was
/// checked by hand to be the list's error (pre-releases of the introduced
/// version listed, a fixed version listed). crates.io records list no
/// versions: nothing to compare there.
#[test]
fn range_evaluation_agrees_with_listed_versions() {
    for ecosystem in ["PyPI", "crates.io"] {
        let result = agreement(ecosystem);
        let rate = 1.0 - result.disagreements.len() as f64 / result.checked.max(1) as f64;
        eprintln!(
            "{ecosystem}: {} version checks, {} disagreements, agreement {:.4}%; {} listed versions are not valid {ecosystem} versions",
            result.checked,
            result.disagreements.len(),
            rate * 100.0,
            result.unparsable.len(),
        );
        for d in &result.disagreements {
            eprintln!("  disagree: {d}");
        }
        for u in &result.unparsable {
            eprintln!("  unparsable: {u}");
        }
        assert!(rate >= 0.999, "{ecosystem}: agreement {rate}");
    }
}
