//! Advisory matching benchmark: load an ecosystem's advisories from the
//! database, and match 10,000 dependencies against them.
//!
//! `cargo bench -p rampart-tests --bench advisories` (release profile).
//! Data: real PyPI records — the full snapshot of `$RAMPART_OSV_DIR/PyPI`
//! when that variable is set, else the repository's subset of
//! `tests/data/osv/PyPI` (the output says which) — plus 7 renamed
//! copies of each (ids and package names suffixed), a stand-in for a full
//! PyPI export (~21,000 records) with the real density of advisories per
//! package. The 10,000 dependencies are, for two thirds, a package the
//! records name (picked uniformly) at a version they list, and for the
//! rest names no record mentions. Prints medians of 5.

use rampart_core::advisories::db::EcosystemIndex;
use rampart_core::advisories::osv::{Advisory, OsvRecord};
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = match std::env::var_os("RAMPART_OSV_DIR") {
        Some(full) => std::path::PathBuf::from(full).join("PyPI"),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/osv/PyPI"),
    };
    println!("records: {}", dir.display());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("the OSV records (RAMPART_OSV_DIR or tests/data/osv)")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let records: Vec<Advisory> = paths
        .iter()
        .filter_map(|p| {
            let record: OsvRecord = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
            Advisory::from_osv(record)
        })
        .collect();
    let mut advisories = records.clone();
    for copy in 1..8 {
        for record in &records {
            let mut record = record.clone();
            record.id = format!("{}-{copy}", record.id);
            record.aliases.clear();
            for affected in &mut record.affected {
                affected.name = format!("{}-{copy}", affected.name);
            }
            advisories.push(record);
        }
    }
    // Dependencies: deterministic picks (a linear congruential generator)
    // of a package, uniformly, then of a version its records list.
    let mut by_package: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for advisory in &records {
        for affected in &advisory.affected {
            by_package
                .entry(affected.name.clone())
                .or_default()
                .extend(affected.versions.iter().cloned());
        }
    }
    by_package.retain(|_, versions| !versions.is_empty());
    let packages: Vec<(&String, &Vec<String>)> = by_package.iter().collect();
    let mut state: u64 = 42;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) as usize
    };
    let dependencies: Vec<(String, String)> = (0..10_000)
        .map(|k| {
            if k % 3 == 2 {
                (format!("unlisted-{k}"), "1.0.0".to_owned())
            } else {
                let (name, versions) = packages[next() % packages.len()];
                (name.clone(), versions[next() % versions.len()].clone())
            }
        })
        .collect();

    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(
        file.path(),
        serde_json::to_vec(&advisories).expect("serialise"),
    )
    .expect("write");
    let size = std::fs::metadata(file.path()).map_or(0, |m| m.len());
    let mut loads = Vec::new();
    let mut index = None;
    for _ in 0..5 {
        let started = Instant::now();
        index = Some(EcosystemIndex::load("PyPI", file.path()).expect("load"));
        loads.push(started.elapsed());
    }
    let index = index.expect("index");
    println!(
        "load      {:>8.1} ms  {} advisories, {:.1} MiB file",
        median(loads).as_secs_f64() * 1e3,
        index.len(),
        size as f64 / f64::from(1 << 20)
    );
    let mut runs = Vec::new();
    let mut matched = 0;
    for run in 0..5 {
        // A fresh index each run: the first match of a package parses its
        // versions (cached afterwards), which a real scan pays once too.
        let fresh = EcosystemIndex::load("PyPI", file.path()).expect("load");
        let started = Instant::now();
        let mut count = 0;
        for (name, version) in &dependencies {
            count += fresh.matches(name, version).matches.len();
        }
        runs.push(started.elapsed());
        if run == 0 {
            matched = count;
        }
    }
    let elapsed = median(runs);
    // Again on a warm index: what matching costs once every package's
    // versions are parsed.
    let warm = EcosystemIndex::load("PyPI", file.path()).expect("load");
    for (name, version) in &dependencies {
        let _ = warm.matches(name, version);
    }
    let mut warm_runs = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        for (name, version) in &dependencies {
            let _ = warm.matches(name, version);
        }
        warm_runs.push(started.elapsed());
    }
    let warm_elapsed = median(warm_runs);
    println!(
        "warm      {:>8.1} ms  ({:.1} µs per dependency)",
        warm_elapsed.as_secs_f64() * 1e3,
        warm_elapsed.as_secs_f64() * 1e6 / dependencies.len() as f64
    );
    println!(
        "match     {:>8.1} ms  {} dependencies, {} matches ({:.1} µs per dependency)",
        elapsed.as_secs_f64() * 1e3,
        dependencies.len(),
        matched,
        elapsed.as_secs_f64() * 1e6 / dependencies.len() as f64
    );
}
