//! The on-disk cache of compiled components: hits, misses, damaged and
//! stale entries, atomic writes.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::policy::PackSource;
use rampart_core::policy::{
    CacheMode, CacheOutcome, CompiledCache, EngineOptions, PolicyEngine, SandboxLimits,
};
use rampart_tests::policies;
fn engine(dir: &std::path::Path, limits: SandboxLimits) -> PolicyEngine {
    PolicyEngine::new(EngineOptions {
        limits,
        cache: CacheMode::Dir(dir.to_owned()),
    })
    .expect("engine")
}

fn entries(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("cache dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

#[test]
fn second_load_is_a_cache_hit() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), SandboxLimits::default());
    let first = engine
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    assert_eq!(first.load_stats().cache, CacheOutcome::Miss);
    let second = engine
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    assert_eq!(second.load_stats().cache, CacheOutcome::Hit);
    // A new engine (a new process, in effect) hits too.
    let third = self::engine(dir.path(), SandboxLimits::default())
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    assert_eq!(third.load_stats().cache, CacheOutcome::Hit);
    // Exactly one entry, and no temporary files left behind.
    let files = entries(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().unwrap(), "cwasm");
}

#[test]
fn damaged_entries_are_detected_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), SandboxLimits::default());
    engine
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    let entry = entries(dir.path()).remove(0);
    let intact = std::fs::read(&entry).unwrap();

    // Truncated (an interrupted copy, a full disk).
    std::fs::write(&entry, &intact[..intact.len() / 2]).unwrap();
    let pack = engine
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    assert!(
        matches!(&pack.load_stats().cache, CacheOutcome::Rebuilt(reason) if reason.contains("checksum mismatch")),
        "{:?}",
        pack.load_stats().cache
    );
    assert_eq!(
        std::fs::read(&entry).unwrap(),
        intact,
        "the rebuilt entry is whole again"
    );

    // One flipped bit in the compiled code.
    let mut flipped = intact.clone();
    let last = flipped.len() - 100;
    flipped[last] ^= 0x10;
    std::fs::write(&entry, &flipped).unwrap();
    let pack = engine
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    assert!(
        matches!(pack.load_stats().cache, CacheOutcome::Rebuilt(_)),
        "{:?}",
        pack.load_stats().cache
    );

    // Not an entry at all.
    std::fs::write(&entry, b"garbage").unwrap();
    let pack = engine
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    assert!(
        matches!(&pack.load_stats().cache, CacheOutcome::Rebuilt(reason) if reason.contains("bad header")),
        "{:?}",
        pack.load_stats().cache
    );
    // And the pack works.
    let outcome = pack.evaluate(&[rampart_tests::resource(
        "r",
        serde_json::json!({"flag": true}),
    )]);
    assert_eq!(outcome.findings.len(), 1);
    assert_eq!(
        engine
            .load(PackSource::file(&policies::HOSTILE), None)
            .unwrap()
            .load_stats()
            .cache,
        CacheOutcome::Hit
    );
}

#[test]
fn other_engine_settings_use_other_entries() {
    let dir = tempfile::tempdir().unwrap();
    engine(dir.path(), SandboxLimits::default())
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    // Fuel changes the generated code: an entry compiled without it must
    // never be loaded by an engine that meters fuel.
    let fueled = engine(
        dir.path(),
        SandboxLimits {
            fuel_per_call: Some(1_000_000),
            ..SandboxLimits::default()
        },
    );
    let pack = fueled
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    assert_eq!(pack.load_stats().cache, CacheOutcome::Miss);
    assert_eq!(entries(dir.path()).len(), 2);
}

#[test]
fn entries_written_for_another_engine_are_stale_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let plain = engine(dir.path(), SandboxLimits::default());
    plain
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    let fueled = engine(
        dir.path(),
        SandboxLimits {
            fuel_per_call: Some(1_000_000),
            ..SandboxLimits::default()
        },
    );
    fueled
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    // Put the plain engine's (valid, checksummed) entry where the fueled
    // engine looks: as if the key had collided. wasmtime's own header check
    // refuses it and the cache rebuilds.
    let cache = CompiledCache::new(dir.path()).unwrap();
    let wasm = std::fs::read(policies::HOSTILE).unwrap();
    let digest = sha256(&wasm);
    let plain_entry = cache.entry_path(plain.wasmtime_engine(), &digest);
    let fueled_entry = cache.entry_path(fueled.wasmtime_engine(), &digest);
    assert_ne!(plain_entry, fueled_entry);
    std::fs::copy(&plain_entry, &fueled_entry).unwrap();
    let pack = fueled
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    assert!(
        matches!(&pack.load_stats().cache, CacheOutcome::Rebuilt(reason) if reason.contains("wasmtime refused it")),
        "{:?}",
        pack.load_stats().cache
    );
}

#[test]
fn an_unwritable_cache_directory_falls_back_to_memory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"").unwrap();
    let engine = PolicyEngine::new(EngineOptions {
        cache: CacheMode::Dir(file.join("cache")),
        ..EngineOptions::default()
    })
    .unwrap();
    assert!(engine.cache_dir().is_none());
    let pack = engine
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    assert_eq!(pack.load_stats().cache, CacheOutcome::Disabled);
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    let pack = PolicyEngine::new(EngineOptions {
        cache: CacheMode::Disabled,
        ..EngineOptions::default()
    })
    .unwrap()
    .load(
        PackSource::Bytes {
            origin: "x",
            wasm: bytes,
        },
        None,
    )
    .unwrap();
    let hex = pack.digest();
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}
