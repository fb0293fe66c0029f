//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) through the harnesses
//! the fuzz targets run, on the stable toolchain: every input libFuzzer
//! kept, and every crash it found once (added to the corpus when fixed),
//! must keep passing the harness's checks.

use rampart_fuzz_harness::TARGETS;
use std::path::PathBuf;

/// `fuzz/corpus`, from this crate (`tests/fuzz`).
fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus")
}

#[test]
fn every_corpus_input_passes_its_harness() {
    let corpus = corpus();
    let mut replayed = 0;
    for (target, harness) in TARGETS {
        let dir = corpus.join(target);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("a corpus entry").path())
            .collect();
        inputs.sort();
        assert!(!inputs.is_empty(), "{}: no seeds", dir.display());
        for input in inputs {
            let data = std::fs::read(&input).expect("a corpus file");
            let outcome = std::panic::catch_unwind(|| harness(&data));
            assert!(
                outcome.is_ok(),
                "{target}: {} fails its harness",
                input.display()
            );
            replayed += 1;
        }
    }
    assert!(replayed >= TARGETS.len());
}
