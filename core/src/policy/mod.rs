//! Policies: WebAssembly components that evaluate resources, run by
//! wasmtime in a sandbox (DESIGN §4).
//!
//! * [`PolicyEngine`] compiles (or loads from the on-disk cache) and
//!   pre-links components, and checks that they target the
//!   `rampart:policy@0.1` world and import nothing beyond the allow-list.
//! * [`PolicyPack`] is one loaded pack: its [`PackMetadata`] and a pool of
//!   warm instances. [`PolicyPack::evaluate`] runs one batch.
//! * [`evaluate_batches`] runs many packs over many batches in parallel.
//! * [`PackSet`] is the one place that chooses a run's packs: built-in,
//!   named ([`PackSpec`]: file, directory, pinned URL, built-in name),
//!   enabled and given settings by the configuration.
//! * [`remote`] fetches packs pinned by digest (`https://…#sha256=…`).
//! * [`Detector`]s are what a pack asks the host to find in text for it
//!   (keywords and a pattern per rule, `rampart:policy` 0.1.1): read and
//!   checked once, at load.
//!
//! Every failure of a policy at evaluation time — trap, timeout, memory
//! exhaustion, panic, invalid result — is a [`PolicyError`] in the
//! [`Evaluation`], never a panic of the host and never a silent drop.

mod bindings;
mod cache;
mod detectors;
mod engine;
mod error;
pub mod imports;
mod limits;
mod metadata;
mod output;
mod pack;
pub mod remote;
mod sandbox;
mod set;

pub use cache::{CacheOutcome, CompiledCache};
pub use engine::{CacheMode, EngineOptions, PackSource, PolicyEngine};
pub use error::{LoadError, PolicyError, PolicyErrorKind};
pub use limits::SandboxLimits;
pub use set::{PackSet, PackSpec};
// The runtime hands these out; they live in the model (`crate::rule`).
pub use crate::finding::PolicyFinding;
pub use crate::rule::{ComplianceControl, Detector, PackMetadata, RuleMetadata};
pub use pack::{Evaluation, LoadStats, PolicyPack};

use crate::Resource;
use crate::progress::{NoProgress, ScanObserver, ScanPhase};
use rayon::prelude::*;

/// Evaluates every pack on every batch, in parallel. Returns one
/// [`Evaluation`] per batch, in batch order, each holding the packs' results
/// in pack order — the same whatever the thread timing.
///
/// A batch is the resources of one file or one host: rules that relate
/// resources to each other see exactly that set. Resource ids need only be
/// unique within a batch.
pub fn evaluate_batches<B>(packs: &[PolicyPack], batches: &[B]) -> Vec<Evaluation>
where
    B: AsRef<[Resource]> + Sync,
{
    evaluate_batches_observed(packs, batches, &NoProgress)
}

/// Evaluates every pack on `resources` batched as a scan batches them, one
/// batch per source file (`policy eval` of an inventory's JSON), and
/// merges the results in source order.
pub fn evaluate_by_source(packs: &[PolicyPack], resources: &[Resource]) -> Evaluation {
    let mut batches: std::collections::BTreeMap<&str, Vec<Resource>> = Default::default();
    for resource in resources {
        batches
            .entry(resource.source.as_str())
            .or_default()
            .push(resource.clone());
    }
    let batches: Vec<Vec<Resource>> = batches.into_values().collect();
    evaluate_batches(packs, &batches).into_iter().collect()
}

/// [`evaluate_batches`], reporting progress (phase
/// [`ScanPhase::Evaluating`], one unit per batch and pack).
pub fn evaluate_batches_observed<B>(
    packs: &[PolicyPack],
    batches: &[B],
    observer: &dyn ScanObserver,
) -> Vec<Evaluation>
where
    B: AsRef<[Resource]> + Sync,
{
    let jobs: Vec<(usize, usize)> = (0..batches.len())
        .flat_map(|b| (0..packs.len()).map(move |p| (b, p)))
        .collect();
    observer.phase_started(ScanPhase::Evaluating, jobs.len() as u64);
    let results: Vec<Evaluation> = jobs
        .par_iter()
        .map(|&(b, p)| {
            let evaluation = packs[p].evaluate(batches[b].as_ref());
            observer.advanced(ScanPhase::Evaluating, 1);
            evaluation
        })
        .collect();
    observer.phase_finished(ScanPhase::Evaluating);
    let mut per_batch: Vec<Evaluation> =
        (0..batches.len()).map(|_| Evaluation::default()).collect();
    for ((b, _), result) in jobs.into_iter().zip(results) {
        per_batch[b].extend(result);
    }
    per_batch
}
