//! A loaded pack: its metadata, its pre-linked component and a pool of warm
//! instances.

use super::bindings::exports::rampart::policy::pack::{
    Finding as WitFinding, Resource as WitResource,
};
use super::bindings::{Base, BasePre};
use super::cache::CacheOutcome;
use super::detectors;
use super::engine::EngineShared;
use super::error::{LoadError, PolicyError, PolicyErrorKind};
use super::imports::ComponentInterface;
use super::metadata;
use super::sandbox::{SandboxState, truncate};
use crate::Resource;
use crate::finding::PolicyFinding;
use crate::rule::Detector;
use crate::rule::PackMetadata;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use wasmtime::Store;

/// The outcome of evaluating resources: findings, and the policy errors that
/// happened along the way. Both can be non-empty: a pack whose result was
/// partly invalid keeps its valid findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// Findings, in the order the packs returned them.
    pub findings: Vec<PolicyFinding>,
    /// Policy errors.
    pub errors: Vec<PolicyError>,
}

impl FromIterator<Evaluation> for Evaluation {
    /// Concatenates evaluations in order.
    fn from_iter<I: IntoIterator<Item = Evaluation>>(iter: I) -> Self {
        let mut all = Evaluation::default();
        for evaluation in iter {
            all.extend(evaluation);
        }
        all
    }
}

impl Evaluation {
    /// Appends another evaluation.
    pub fn extend(&mut self, other: Evaluation) {
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
    }

    fn error(error: PolicyError) -> Self {
        Evaluation {
            findings: Vec::new(),
            errors: vec![error],
        }
    }
}

/// How loading a pack went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadStats {
    /// What the compiled-component cache did.
    pub cache: CacheOutcome,
    /// Time spent compiling or loading the compiled component.
    pub compile_time: Duration,
    /// Time from bytes to a pack ready to evaluate (includes the first
    /// instantiation and `metadata()`).
    pub total_time: Duration,
}

/// A loaded policy pack. Cheap to clone and safe to share between threads:
/// each thread checks a warm instance out of the pack's pool for a call.
#[derive(Clone)]
pub struct PolicyPack {
    inner: Arc<PackInner>,
}

impl std::fmt::Debug for PolicyPack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyPack")
            .field("name", &self.inner.metadata.name)
            .field("origin", &self.inner.origin)
            .field("digest", &self.inner.digest)
            .finish_non_exhaustive()
    }
}

struct PackInner {
    shared: Arc<EngineShared>,
    pre: BasePre<SandboxState>,
    metadata: PackMetadata,
    rule_index: HashMap<String, usize>,
    /// The kinds the pack's rules look at (`None`: every kind). Worked out
    /// once: every resource of a scan is checked against every pack, and
    /// asking the rule table each time (a large pack has 70 rules) showed
    /// in profiles.
    kinds: Option<Vec<String>>,
    /// What the pack asks the host to find in text for it.
    detectors: Vec<Detector>,
    origin: String,
    digest: String,
    size: usize,
    interface: ComponentInterface,
    settings: Arc<str>,
    name: Arc<str>,
    pool: Mutex<Vec<Warm>>,
    stats: LoadStats,
}

/// An instance ready for a call, with its store.
struct Warm {
    store: Store<SandboxState>,
    policy: Base,
    /// The instance itself, for the exports the `base` world's bindings
    /// do not cover (`detectors`).
    instance: wasmtime::component::Instance,
}

impl PolicyPack {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn init(
        shared: Arc<EngineShared>,
        pre: BasePre<SandboxState>,
        origin: String,
        digest: String,
        size: usize,
        interface: ComponentInterface,
        settings: Arc<str>,
        mut stats: LoadStats,
        started: Instant,
    ) -> Result<Self, LoadError> {
        let provisional_name: Arc<str> = Arc::from(origin.as_str());
        let metadata_err = |message: String| LoadError::Metadata {
            origin: origin.clone(),
            message,
        };
        let mut warm = instantiate(&shared, &pre, &settings, &provisional_name)
            .map_err(|e| metadata_err(format!("instantiation failed: {e:#}")))?;
        arm(&mut warm.store, &shared);
        let info = match warm
            .policy
            .rampart_policy_pack()
            .call_metadata(&mut warm.store)
        {
            Ok(info) => info,
            Err(e) => {
                let (kind, message) = classify(&e, warm.store.data_mut(), &shared);
                return Err(metadata_err(format!("{kind}: {message}")));
            }
        };
        let metadata =
            metadata::from_wit(info).map_err(|problems| metadata_err(problems.join("; ")))?;
        let name: Arc<str> = Arc::from(metadata.name.as_str());
        warm.store.data_mut().pack = name.clone();
        let rule_index = metadata
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let kinds = metadata.kinds();
        let detectors = read_detectors(&mut warm, &shared, &origin, &interface, &rule_index)?;
        stats.total_time = started.elapsed();
        Ok(PolicyPack {
            inner: Arc::new(PackInner {
                shared,
                pre,
                metadata,
                rule_index,
                kinds,
                detectors,
                origin,
                digest,
                size,
                interface,
                settings,
                name,
                pool: Mutex::new(vec![warm]),
                stats,
            }),
        })
    }

    /// This pack with other settings for its `settings()` import: what a
    /// pack found by path or URL gets once its name says which settings
    /// of the configuration are its. Nothing is compiled or read again;
    /// instances are made afresh, so none answers with the old settings.
    /// The metadata stays the pack's own (it must not depend on settings);
    /// the detectors are read again (they may: a secrets pack's settings
    /// can add patterns of the project's own).
    pub fn with_settings(&self, settings: &serde_json::Value) -> Result<PolicyPack, LoadError> {
        let inner = &self.inner;
        let settings: Arc<str> = settings.to_string().into();
        let mut warm =
            instantiate(&inner.shared, &inner.pre, &settings, &inner.name).map_err(|e| {
                LoadError::Detectors {
                    origin: inner.origin.clone(),
                    message: format!("instantiation failed: {e:#}"),
                }
            })?;
        let detectors = read_detectors(
            &mut warm,
            &inner.shared,
            &inner.origin,
            &inner.interface,
            &inner.rule_index,
        )?;
        Ok(PolicyPack {
            inner: Arc::new(PackInner {
                shared: inner.shared.clone(),
                pre: inner.pre.clone(),
                metadata: inner.metadata.clone(),
                rule_index: inner.rule_index.clone(),
                kinds: inner.kinds.clone(),
                detectors,
                origin: inner.origin.clone(),
                digest: inner.digest.clone(),
                size: inner.size,
                interface: inner.interface.clone(),
                settings,
                name: inner.name.clone(),
                pool: Mutex::new(vec![warm]),
                stats: inner.stats.clone(),
            }),
        })
    }

    /// The pack's name, version and rules.
    pub fn metadata(&self) -> &PackMetadata {
        &self.inner.metadata
    }

    /// What the pack asks the host to find in text for it (none for a
    /// pack built against `rampart:policy` 0.1.0).
    pub fn detectors(&self) -> &[Detector] {
        &self.inner.detectors
    }

    /// The pack's name.
    pub fn name(&self) -> &str {
        &self.inner.metadata.name
    }

    /// Where it was loaded from (path, `builtin:NAME`, URL).
    pub fn origin(&self) -> &str {
        &self.inner.origin
    }

    /// Lowercase hex SHA-256 of the component.
    pub fn digest(&self) -> &str {
        &self.inner.digest
    }

    /// Size of the component in bytes.
    pub fn size(&self) -> usize {
        self.inner.size
    }

    /// The component's imports and exports.
    pub fn interface(&self) -> &ComponentInterface {
        &self.inner.interface
    }

    /// How loading went (cache hit or miss, timings).
    pub fn load_stats(&self) -> &LoadStats {
        &self.inner.stats
    }

    /// Instances currently idle in the pool (for tests and diagnostics).
    pub fn idle_instances(&self) -> usize {
        self.inner
            .pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Drops the idle warm instances (their memory goes with them); the next
    /// call instantiates afresh. Useful after a large scan in a long-lived
    /// process.
    pub fn release_idle_instances(&self) {
        self.inner
            .pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Evaluates one batch: the resources of one file, or of one host.
    ///
    /// Only resources of kinds the pack's rules name are passed in; if there
    /// are none the pack is not called at all. Never panics and never fails
    /// as a whole: a trap, timeout, memory exhaustion, panic or invalid
    /// result becomes a [`PolicyError`] in the returned [`Evaluation`], the
    /// faulty instance is discarded, and the next call gets a fresh one.
    pub fn evaluate(&self, resources: &[Resource]) -> Evaluation {
        let inner = &*self.inner;
        let batch: Vec<&Resource> = resources
            .iter()
            .filter(|r| {
                inner
                    .kinds
                    .as_ref()
                    .is_none_or(|kinds| kinds.contains(&r.kind))
            })
            .collect();
        if batch.is_empty() {
            return Evaluation::default();
        }
        let ids = || batch.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        let mut warm = match self.checkout() {
            Ok(warm) => warm,
            Err(e) => {
                return Evaluation::error(PolicyError {
                    pack: inner.metadata.name.clone(),
                    kind: PolicyErrorKind::Instantiation,
                    message: format!("{e:#}"),
                    resources: ids(),
                    elapsed: Duration::ZERO,
                });
            }
        };
        let input: Vec<WitResource> = batch
            .iter()
            .map(|r| WitResource {
                id: &r.id,
                kind: &r.kind,
                source: &r.source,
                document: r.document_json(),
            })
            .collect();
        arm(&mut warm.store, &inner.shared);
        // What the detectors found in the batch never leaves the call: not
        // in the pack's log, its output, or its error message.
        let secrets = Arc::new(crate::inventory::text::Secrets::of_all(
            batch.iter().copied(),
        ));
        warm.store.data_mut().secrets = secrets.clone();
        let started = Instant::now();
        let result = warm
            .policy
            .rampart_policy_pack()
            .call_evaluate(&mut warm.store, &input);
        let elapsed = started.elapsed();
        drop(input);
        let error = |kind, message| PolicyError {
            pack: inner.metadata.name.clone(),
            kind,
            message,
            resources: ids(),
            elapsed,
        };
        match result {
            Ok(Ok(findings)) => {
                self.after_call(warm);
                self.check_findings(findings, &batch, elapsed)
            }
            Ok(Err(message)) => {
                self.after_call(warm);
                let message = truncate(&message, inner.shared.limits.max_text_bytes);
                Evaluation::error(error(
                    PolicyErrorKind::PackError,
                    secrets.scrub(&message).into_owned(),
                ))
            }
            Err(e) => {
                // After a trap the instance is unusable: drop it (and its
                // store) here; the pool hands out a fresh one next time.
                let (kind, message) = classify(&e, warm.store.data_mut(), &inner.shared);
                Evaluation::error(error(kind, secrets.scrub(&message).into_owned()))
            }
        }
    }

    fn checkout(&self) -> wasmtime::Result<Warm> {
        let inner = &*self.inner;
        if let Some(warm) = inner
            .pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
        {
            return Ok(warm);
        }
        instantiate(&inner.shared, &inner.pre, &inner.settings, &inner.name)
    }

    /// Returns a healthy instance to the pool. The pool holds at most one
    /// instance per worker thread (plus one): more would only cost memory.
    fn after_call(&self, warm: Warm) {
        let state = warm.store.data();
        if state.logs_dropped > 0 {
            tracing::warn!(
                pack = %self.inner.name,
                "policy logged too much: {} messages dropped",
                state.logs_dropped
            );
        }
        let stdout = state.secrets.scrub(&state.stdout.take()).into_owned();
        let stderr = state.secrets.scrub(&state.stderr.take()).into_owned();
        if !stdout.is_empty() || !stderr.is_empty() {
            tracing::debug!(pack = %self.inner.name, %stdout, %stderr, "policy output");
        }
        let mut pool = self
            .inner
            .pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if pool.len() <= rayon::current_num_threads() {
            pool.push(warm);
        }
    }

    /// Keeps the findings that respect the ABI; reports the rest.
    fn check_findings(
        &self,
        mut raw: Vec<WitFinding>,
        batch: &[&Resource],
        elapsed: Duration,
    ) -> Evaluation {
        let inner = &*self.inner;
        let limits = &inner.shared.limits;
        let mut out = Evaluation::default();
        let error = |message: String| PolicyError {
            pack: inner.metadata.name.clone(),
            kind: PolicyErrorKind::InvalidResult,
            message,
            resources: batch.iter().map(|r| r.id.clone()).collect(),
            elapsed,
        };
        if raw.len() > limits.max_findings_per_batch {
            out.errors.push(error(format!(
                "returned {} findings for one batch; only the first {} are kept (limit max_findings_per_batch)",
                raw.len(),
                limits.max_findings_per_batch
            )));
            raw.truncate(limits.max_findings_per_batch);
        }
        // Findings come a rule at a time, and a batch is a file's
        // resources (a handful): checking the last rule and scanning a
        // small batch beat hashing two strings for every finding. A host's
        // batch can hold thousands of packages: that one is hashed.
        let known_resources: Option<HashSet<&str>> =
            (batch.len() > 16).then(|| batch.iter().map(|r| r.id.as_str()).collect());
        let is_known = |id: &str| match &known_resources {
            Some(known) => known.contains(id),
            None => batch.iter().any(|r| r.id == id),
        };
        let mut last_rule: Option<usize> = None;
        let mut undeclared: (usize, BTreeSet<String>) = (0, BTreeSet::new());
        let mut unknown_resources: (usize, BTreeSet<String>) = (0, BTreeSet::new());
        let text = |s: String| -> String {
            if s.len() > limits.max_text_bytes {
                truncate(&s, limits.max_text_bytes).into_owned()
            } else {
                s
            }
        };
        for finding in raw {
            let rule = last_rule
                .filter(|&i| inner.metadata.rules[i].id == finding.rule_id)
                .or_else(|| inner.rule_index.get(&finding.rule_id).copied());
            let Some(rule) = rule else {
                undeclared.0 += 1;
                undeclared
                    .1
                    .insert(truncate(&finding.rule_id, 64).into_owned());
                continue;
            };
            last_rule = Some(rule);
            if !is_known(&finding.resource_id) {
                unknown_resources.0 += 1;
                unknown_resources
                    .1
                    .insert(truncate(&finding.resource_id, 128).into_owned());
                continue;
            }
            let rule = &inner.metadata.rules[rule];
            out.findings.push(PolicyFinding {
                pack: inner.metadata.name.clone(),
                severity: finding
                    .severity
                    .map(metadata::severity_from_wit)
                    .unwrap_or(rule.severity),
                rule_id: finding.rule_id,
                resource_id: finding.resource_id,
                pointer: text(finding.pointer),
                message: text(finding.message),
                fix: finding.fix.map(text),
            });
        }
        let sample = |names: &BTreeSet<String>| {
            let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
            let more = names.len().saturating_sub(shown.len());
            let mut s = shown.join(", ");
            if more > 0 {
                s.push_str(&format!(" and {more} more"));
            }
            s
        };
        if undeclared.0 > 0 {
            out.errors.push(error(format!(
                "returned {} finding(s) for rule ids it does not declare ({}); they were dropped",
                undeclared.0,
                sample(&undeclared.1)
            )));
        }
        if unknown_resources.0 > 0 {
            out.errors.push(error(format!(
                "returned {} finding(s) for resources not in the batch ({}); they were dropped",
                unknown_resources.0,
                sample(&unknown_resources.1)
            )));
        }
        out
    }
}

/// Calls the pack's `detectors` export on a fresh instance (none for a
/// pack built against 0.1.0) and checks what it declares.
fn read_detectors(
    warm: &mut Warm,
    shared: &Arc<EngineShared>,
    origin: &str,
    interface: &ComponentInterface,
    rule_index: &HashMap<String, usize>,
) -> Result<Vec<Detector>, LoadError> {
    arm(&mut warm.store, shared);
    match detectors::call(&mut warm.store, &warm.instance, &interface.exports) {
        Ok(found) => detectors::check(origin, found, rule_index, &shared.limits),
        Err(e) => {
            let (kind, message) = classify(&e, warm.store.data_mut(), shared);
            Err(LoadError::Detectors {
                origin: origin.to_owned(),
                message: format!("detectors() failed: {kind}: {message}"),
            })
        }
    }
}

fn instantiate(
    shared: &Arc<EngineShared>,
    pre: &BasePre<SandboxState>,
    settings: &Arc<str>,
    name: &Arc<str>,
) -> wasmtime::Result<Warm> {
    let mut store = Store::new(
        &shared.engine,
        SandboxState::new(&shared.limits, settings.clone(), name.clone()),
    );
    store.limiter(|state| &mut state.limiter);
    // Instantiation runs the guest's start code: bound it like any call.
    arm(&mut store, shared);
    let instance = pre.instance_pre().instantiate(&mut store)?;
    let policy = Base::new(&mut store, &instance)?;
    Ok(Warm {
        store,
        policy,
        instance,
    })
}

/// Re-arms the per-call budgets: the epoch deadline and fuel are per store
/// and are used up by previous calls on a reused instance.
fn arm(store: &mut Store<SandboxState>, shared: &EngineShared) {
    store.set_epoch_deadline(shared.limits.deadline_ticks());
    store.set_hostcall_fuel(shared.limits.max_result_bytes);
    if let Some(fuel) = shared.limits.fuel_per_call {
        // Fails only if fuel is not enabled, which the engine config ties
        // to this very setting.
        let _ = store.set_fuel(fuel);
    }
    store.data_mut().begin_call();
}

/// Turns a failed call into a policy error kind and a message that says
/// what happened in the user's terms.
fn classify(
    error: &wasmtime::Error,
    state: &mut SandboxState,
    shared: &EngineShared,
) -> (PolicyErrorKind, String) {
    let limits = &shared.limits;
    let stderr = state.stderr.take();
    if let Some(desired) = state.limiter.memory_denied {
        return (
            PolicyErrorKind::OutOfMemory,
            format!(
                "tried to grow its memory to {} MiB; the limit is {} MiB (memory_bytes)",
                desired >> 20,
                limits.memory_bytes >> 20
            ),
        );
    }
    if let Some(desired) = state.limiter.table_denied {
        return (
            PolicyErrorKind::OutOfMemory,
            format!(
                "tried to grow a table to {desired} elements; the limit is {} (table_elements)",
                limits.table_elements
            ),
        );
    }
    if let Some(exit) = error.downcast_ref::<wasmtime_wasi::I32Exit>() {
        return (
            PolicyErrorKind::Trap,
            format!("the policy called exit({})", exit.0),
        );
    }
    match error.downcast_ref::<wasmtime::Trap>() {
        Some(wasmtime::Trap::Interrupt) => (
            PolicyErrorKind::Timeout,
            format!(
                "did not finish within {:?} (call_timeout)",
                limits.call_timeout
            ),
        ),
        Some(wasmtime::Trap::OutOfFuel) => (
            PolicyErrorKind::OutOfFuel,
            format!(
                "used up its fuel budget of {} (fuel_per_call)",
                limits.fuel_per_call.unwrap_or_default()
            ),
        ),
        Some(trap) => match panic_message(&stderr) {
            Some(message) => (PolicyErrorKind::Panic, message),
            None if stderr.trim().is_empty() => (PolicyErrorKind::Trap, trap.to_string()),
            None => (
                PolicyErrorKind::Trap,
                format!(
                    "{trap}; the policy wrote: {}",
                    truncate(stderr.trim(), 2048)
                ),
            ),
        },
        // wasmtime's type for this is private; its message is stable and
        // a test pins it.
        None if format!("{error:#}")
            .contains("fuel allocated for hostcalls has been exhausted") =>
        {
            (
                PolicyErrorKind::InvalidResult,
                format!(
                    "returned more than {} MiB of data in one call (max_result_bytes); the result was dropped",
                    limits.max_result_bytes >> 20
                ),
            )
        }
        // Not a trap: the guest's result could not be read (invalid enum
        // value, out-of-bounds string …).
        None => (PolicyErrorKind::InvalidResult, format!("{error:#}")),
    }
}

/// The message of a Rust panic from the guest's stderr:
/// `panicked at src/lib.rs:3:5: boom`.
fn panic_message(stderr: &str) -> Option<String> {
    let start = stderr.find("panicked at ")?;
    let text = &stderr[start..];
    let mut lines = text.lines();
    let location = lines.next()?.trim_end_matches(':');
    let message: Vec<&str> = lines.take_while(|l| !l.starts_with("note: ")).collect();
    let message = message.join("\n");
    Some(truncate(&format!("{location}: {}", message.trim()), 2048).into_owned())
}

#[cfg(test)]
mod tests {
    use super::panic_message;

    #[test]
    fn extracts_rust_panic_messages() {
        let stderr = "\nthread '<unnamed>' panicked at src/lib.rs:88:24:\nboom\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            panic_message(stderr).as_deref(),
            Some("panicked at src/lib.rs:88:24: boom")
        );
        assert_eq!(panic_message("nothing here"), None);
    }
}
