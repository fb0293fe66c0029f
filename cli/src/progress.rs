//! The progress bar of `rampart scan`, on stderr.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rampart_core::{ScanObserver, ScanPhase};
use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Scans shorter than this never show a bar: it would only flicker.
const SHOW_AFTER: Duration = Duration::from_millis(300);

/// A bar per phase ("reading 5123/11000 files"), drawn only when stderr is
/// a terminal and the scan has run for a moment.
pub struct ScanProgress {
    bar: ProgressBar,
    started: Instant,
    shown: AtomicBool,
    enabled: bool,
}

impl ScanProgress {
    /// A bar that draws if `wanted` and stderr is a terminal.
    pub fn new(wanted: bool) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        ScanProgress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            enabled: wanted && std::io::stderr().is_terminal(),
        }
    }

    /// Removes the bar before the report is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn maybe_show(&self) {
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() >= SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

impl ScanObserver for ScanProgress {
    fn phase_started(&self, phase: ScanPhase, total: u64) {
        self.bar.reset();
        self.bar.set_length(total);
        self.bar.set_message(phase.label());
        self.maybe_show();
    }

    fn advanced(&self, _phase: ScanPhase, units: u64) {
        self.bar.inc(units);
        self.maybe_show();
    }
}
