//! Progress of a scan, for whoever wants to show it.
//!
//! The library draws nothing: a front end (the CLI's progress bar, an
//! editor's status line) implements [`ScanObserver`] and passes it to
//! [`Scanner::scan_observed`](crate::Scanner::scan_observed).

/// A stage of a scan, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScanPhase {
    /// Reading and parsing files; one unit per file walked.
    Reading,
    /// Running the packs; one unit per (file, pack) pair.
    Evaluating,
    /// Reading, parsing and evaluating each file in one go (what
    /// `Scanner::scan` does); one unit per file walked.
    Scanning,
}

impl ScanPhase {
    /// A short label, e.g. for a progress bar.
    pub fn label(self) -> &'static str {
        match self {
            ScanPhase::Reading => "reading",
            ScanPhase::Evaluating => "evaluating",
            ScanPhase::Scanning => "scanning",
        }
    }
}

/// Receives a scan's progress. Called from the scan's worker threads, so it
/// must be cheap and thread-safe; every method does nothing by default.
///
/// ```
/// use rampart_core::progress::{ScanObserver, ScanPhase};
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// #[derive(Default)]
/// struct Count(AtomicU64);
/// impl ScanObserver for Count {
///     fn advanced(&self, _phase: ScanPhase, units: u64) {
///         self.0.fetch_add(units, Ordering::Relaxed);
///     }
/// }
/// ```
pub trait ScanObserver: Send + Sync {
    /// `phase` starts with `total` units of work.
    fn phase_started(&self, phase: ScanPhase, total: u64) {
        let _ = (phase, total);
    }

    /// `units` more units of `phase` are done.
    fn advanced(&self, phase: ScanPhase, units: u64) {
        let _ = (phase, units);
    }

    /// `phase` is over.
    fn phase_finished(&self, phase: ScanPhase) {
        let _ = phase;
    }
}

/// Observes nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl ScanObserver for NoProgress {}
