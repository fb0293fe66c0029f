//! Terraform evaluation benchmark: what evaluating a project as
//! Terraform would (module calls followed with their arguments, tfvars,
//! `count`/`for_each`/`dynamic`, functions, module outputs) costs over
//! only parsing its files.
//!
//! `cargo bench -p rampart-tests --bench terraform` (release profile).
//! The tree is `bench/gen_terraform.py`'s: 1,000 modules of 10 `.tf` files
//! (`RAMPART_BENCH_MODULES` to change the count) — 100 roots with
//! tfvars, each calling 9 library modules, every third call with
//! `for_each`. Prints medians of 5 of, in one process:
//!   parse      the scan's walk and read of every `.tf` file, each parsed
//!              (in parallel) and dropped: no evaluation
//!   documents  the same, and each file's blocks turned into resources with
//!              spans on their own (`terraform::resources` with an empty
//!              module context): a scan that parses but does not evaluate —
//!              no module followed, no variable, local or function known
//!   evaluate   the scan's inventory: walk, read, parse, module instances,
//!              evaluated resources with spans — no policies
//! and the ratios: what evaluation adds to parsing, and to a parse-only
//! scan, the same files found and read the same way. `bench/terraform.sh` compares the whole scan with
//! trivy and checkov on the same tree.

use rampart_core::inventory::terraform;
use rampart_core::policy::{CacheMode, EngineOptions};
use rampart_core::{ScanOptions, Scanner};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let modules: usize = std::env::var("RAMPART_BENCH_MODULES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let status = std::process::Command::new("python3")
        .arg(root.join("bench/gen_terraform.py"))
        .arg(dir.path())
        .args(["--modules", &modules.to_string()])
        .status()
        .expect("python3 runs bench/gen_terraform.py");
    assert!(status.success(), "bench/gen_terraform.py failed");
    let walk_options = rampart_core::inventory::WalkOptions {
        base_dir: dir.path().to_owned(),
        ..rampart_core::inventory::WalkOptions::default()
    };
    let walk = || {
        rampart_core::inventory::walk::walk(&[dir.path().to_owned()], &walk_options)
            .expect("the generated tree walks")
    };
    let tf_files = walk()
        .files
        .iter()
        .filter(|file| file.path.extension().is_some_and(|e| e == "tf"))
        .count();
    println!("tree: {modules} modules, {tf_files} .tf files");

    let mut parsed = 0;
    let parse = median(
        (0..5)
            .map(|_| {
                let start = Instant::now();
                parsed = walk()
                    .files
                    .par_iter()
                    .filter(|file| file.path.extension().is_some_and(|e| e == "tf"))
                    .filter(|file| {
                        rampart_core::read::read_file(
                            &file.path,
                            walk_options.max_file_size,
                            rampart_core::read::Links::Refuse,
                        )
                        .ok()
                        .and_then(|bytes| String::from_utf8(bytes).ok())
                        .is_some_and(|text| terraform::parse(&text).is_ok())
                    })
                    .count();
                start.elapsed()
            })
            .collect(),
    );

    let mut documents_made = 0;
    let documents = median(
        (0..5)
            .map(|_| {
                let start = Instant::now();
                let made: Vec<Vec<rampart_core::Resource>> = walk()
                    .files
                    .par_iter()
                    .filter(|file| file.path.extension().is_some_and(|e| e == "tf"))
                    .filter_map(|file| {
                        let bytes = rampart_core::read::read_file(
                            &file.path,
                            walk_options.max_file_size,
                            rampart_core::read::Links::Refuse,
                        )
                        .ok()?;
                        let text = String::from_utf8(bytes).ok()?;
                        let body = terraform::parse(&text).ok()?;
                        let context = terraform::ModuleContext::default();
                        Some(terraform::resources(&file.display, &text, &body, &context).0)
                    })
                    .collect();
                let elapsed = start.elapsed();
                documents_made = made.iter().map(Vec::len).sum();
                elapsed
            })
            .collect(),
    );

    let options = ScanOptions {
        paths: vec![PathBuf::from(".")],
        base_dir: Some(dir.path().to_owned()),
        builtin_packs: false,
        advisories: None,
        engine: EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        },
        ..ScanOptions::default()
    };
    // Made once: its policy engine is no part of evaluating Terraform.
    let scanner = Scanner::new(options).expect("a scanner");
    let mut resources = 0;
    let evaluate = median(
        (0..5)
            .map(|_| {
                let start = Instant::now();
                let inventory = scanner.inventory().expect("an inventory");
                resources = inventory.resources().count();
                start.elapsed()
            })
            .collect(),
    );
    println!("parse      {parse:>10.2?}  ({parsed} files parsed)");
    println!("documents  {documents:>10.2?}  ({documents_made} resources, as written)");
    println!("evaluate   {evaluate:>10.2?}  ({resources} resources)");
    println!(
        "evaluate / parse: {:.2}x; evaluate / documents: {:.2}x",
        evaluate.as_secs_f64() / parse.as_secs_f64(),
        evaluate.as_secs_f64() / documents.as_secs_f64()
    );
}
