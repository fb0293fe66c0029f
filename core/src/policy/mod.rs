//! Policies: WebAssembly components that evaluate resources, run by
//! wasmtime in a sandbox (DESIGN §4).
//!
//! * [`PolicyEngine`] compiles (or loads from the on-disk cache) and
//!   pre-links components, and checks that they target the
//!   `rampart:policy@0.1` world and import nothing beyond the allow-list.
//! * [`PolicyPack`] is one loaded pack: its [`PackMetadata`] and a pool of
//!   warm instances. [`PolicyPack::evaluate`] runs one batch.
//! * [`evaluate_batches`] runs many packs over many batches in parallel.
//!
//! Every failure of a policy at evaluation time — trap, timeout, memory
//! exhaustion, panic, invalid result — is a [`PolicyError`] in the
//! [`Evaluation`], never a panic of the host and never a silent drop.

mod bindings;
mod cache;
mod engine;
mod error;
pub mod imports;
mod limits;
mod metadata;
mod output;
mod pack;
mod sandbox;

pub use cache::{CacheOutcome, CompiledCache};
pub use engine::{CacheMode, EngineOptions, PolicyEngine};
pub use error::{LoadError, PolicyError, PolicyErrorKind};
pub use limits::SandboxLimits;
pub use metadata::{ComplianceControl, PackMetadata, RuleMetadata};
pub use pack::{Evaluation, LoadStats, PolicyFinding, PolicyPack};

use crate::Resource;
use rayon::prelude::*;

/// Evaluates every pack on every batch, in parallel, and merges the results
/// in a deterministic order (pack order, then batch order), whatever the
/// thread timing.
///
/// A batch is the resources of one file or one host: rules that relate
/// resources to each other see exactly that set.
pub fn evaluate_batches<B>(packs: &[PolicyPack], batches: &[B]) -> Evaluation
where
    B: AsRef<[Resource]> + Sync,
{
    let jobs: Vec<(usize, usize)> = (0..packs.len())
        .flat_map(|p| (0..batches.len()).map(move |b| (p, b)))
        .collect();
    let results: Vec<Evaluation> = jobs
        .par_iter()
        .map(|&(p, b)| packs[p].evaluate(batches[b].as_ref()))
        .collect();
    let mut all = Evaluation::default();
    for result in results {
        all.extend(result);
    }
    all
}
