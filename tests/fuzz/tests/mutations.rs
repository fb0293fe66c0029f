//! A short, fixed fuzzing run of every harness on the stable toolchain,
//! which is what CI runs (`cargo test` in `.ci/run`): each target's corpus
//! mutated by a seeded generator a fixed number of times.
//!
//! libFuzzer (`bench/fuzz.sh`, nightly and cargo-fuzz) is the deep run:
//! coverage-guided, minutes per target. This one is blind but cheap and
//! reproducible — the seed and the count are fixed, so a CI failure is the
//! same failure on every machine — and it runs the very harnesses the fuzz
//! targets do, so the properties they check (regions inside the file,
//! determinism, total orders, merge equivalence) are checked on inputs
//! nobody wrote by hand in every CI run. A failing input is written to
//! `target/fuzz-mutations/<target>/` to be fixed and then added to the
//! corpus.

use rampart_fuzz_harness::TARGETS;
use std::path::{Path, PathBuf};

/// Mutated inputs per target: about two seconds of a debug build each.
const RUNS_PER_TARGET: usize = 1500;

/// Fragments that tend to matter to rampart's parsers: separators of
/// versions and paths, YAML/JSON/HCL structure, escapes, huge numbers,
/// control bytes and confinement probes.
const TOKENS: &[&[u8]] = &[
    b"\n",
    b"\r",
    b"\r\n",
    b"\t",
    b"\0",
    b"\x1b[2J",
    b" ",
    b"-",
    b".",
    b"..",
    b"../",
    b"/",
    b":",
    b"::",
    b"=",
    b"==",
    b"~",
    b"^",
    b"*",
    b"#",
    b"%",
    b",",
    b"\"",
    b"'",
    b"\\",
    b"${",
    b"}",
    b"{",
    b"[",
    b"]",
    b"(",
    b")",
    b"- ",
    b"---\n",
    b"&a ",
    b"*a",
    b"!!binary ",
    b"<<: ",
    b"0",
    b"00",
    b"-1",
    b"1e999",
    b"99999999999999999999999",
    b"alpha",
    b"beta",
    b"rc",
    b"sp",
    b"ga",
    b"snapshot",
    b"pre",
    b"post",
    b"dev",
    b"+build",
    b"~rc1",
    b"local.",
    b"var.",
    b"count.index",
    b"each.value",
    b"dynamic ",
    b"/etc/passwd",
    b"/proc/self/environ",
    b"/dev/zero",
    b"-r ",
    b"Include ",
    b"\xff\xfe",
    b"\xc3\xa9",
    b"null",
    b"true",
    b"[]",
    b"{}",
];

/// xorshift64*: small, seeded, the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `bound` (which must not be 0).
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// One to four stacked edits of `input`, drawing splices from `corpus`.
fn mutate(rng: &mut Rng, input: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(7) {
            // Flip a bit.
            0 if at < data.len() => data[at] ^= 1 << rng.below(8),
            // A byte of any value.
            1 if at < data.len() => data[at] = rng.below(256) as u8,
            // Insert a token.
            2 | 3 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            // Delete a range.
            4 if at < data.len() => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at..end);
            }
            // Duplicate a range (repetition finds budget and depth bugs).
            5 if at < data.len() => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                let copy = data[at..end].to_vec();
                for _ in 0..=rng.below(8) {
                    data.splice(at..at, copy.iter().copied());
                }
            }
            // Splice in part of another input of the same target.
            _ => {
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let end = (from + 1 + rng.below(256)).min(other.len());
                    data.splice(at..at, other[from..end].iter().copied());
                }
            }
        }
    }
    data
}

fn corpus_of(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read(path).expect("a corpus file"))
        .collect()
}

/// Where a failing input is kept: the workspace's target directory.
fn failure_path(target: &str, run: usize) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/fuzz-mutations")
        .join(target)
        .join(format!("run-{run}"))
}

#[test]
fn every_harness_holds_on_mutated_corpus_inputs() {
    let mut failures = Vec::new();
    for (index, (target, harness)) in TARGETS.iter().enumerate() {
        let corpus = corpus_of(target);
        assert!(!corpus.is_empty(), "{target}: no seeds");
        // One seed per target, so adding a target leaves the others' runs
        // unchanged.
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (index as u64 + 1));
        for run in 0..RUNS_PER_TARGET {
            let input = mutate(&mut rng, &corpus[run % corpus.len()], &corpus);
            // Reported after the loop, with every failing input kept.
            let outcome = std::panic::catch_unwind(|| harness(&input));
            if outcome.is_err() {
                let path = failure_path(target, run);
                if let Some(dir) = path.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                let _ = std::fs::write(&path, &input);
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mutated inputs break their harness; each is kept at:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
