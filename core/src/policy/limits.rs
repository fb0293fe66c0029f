//! The sandbox's limits, all configurable.

use std::time::Duration;

/// Bounds on what one policy may consume. Every limit applies per pack
/// instance (memory, tables) or per call (time, fuel, findings, logs).
///
/// ```
/// use rampart_core::policy::SandboxLimits;
/// use std::time::Duration;
/// let limits = SandboxLimits {
///     call_timeout: Duration::from_millis(500),
///     memory_bytes: 64 << 20,
///     ..SandboxLimits::default()
/// };
/// assert_eq!(limits.max_findings_per_batch, 10_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SandboxLimits {
    /// Wall-clock time one call (`metadata` or `evaluate`) may run before it
    /// is interrupted. Enforced by epoch interruption: precision is one
    /// [`epoch_tick`](Self::epoch_tick).
    pub call_timeout: Duration,
    /// How often the engine's epoch advances: the granularity of
    /// `call_timeout`. Smaller ticks stop a runaway policy sooner at a tiny
    /// cost in a ticker thread.
    pub epoch_tick: Duration,
    /// Bytes of linear memory one instance may use, across all its memories.
    pub memory_bytes: usize,
    /// Elements one table may hold.
    pub table_elements: usize,
    /// Core instances one component instance may create.
    pub instances: usize,
    /// Tables one component instance may create.
    pub tables: usize,
    /// Linear memories one component instance may create.
    pub memories: usize,
    /// If set, a deterministic budget of WebAssembly fuel per call instead
    /// of (in addition to) the time limit: the same policy on the same input
    /// always stops at the same point. Costs some speed, so off by default.
    pub fuel_per_call: Option<u64>,
    /// Findings kept from one `evaluate` call; the rest are dropped with a
    /// policy error.
    pub max_findings_per_batch: usize,
    /// Bytes one call may copy from the guest to the host (its result, or a
    /// log message). A larger result is dropped with a policy error, so a
    /// policy cannot make the host allocate without bound.
    pub max_result_bytes: usize,
    /// Bytes kept of a finding's message or fix (longer ones are truncated).
    pub max_text_bytes: usize,
    /// Bytes of the guest's stdout and stderr kept per instance (stderr is
    /// where a Rust panic message goes; it is shown in the policy error).
    pub max_captured_output: usize,
    /// `log` calls honoured per `evaluate` call; later ones are counted and
    /// dropped.
    pub max_log_messages_per_call: usize,
    /// Detectors one pack may declare (`rampart:policy/detectors`): each
    /// is run on every text file of a scan that holds one of its keywords.
    pub max_detectors: usize,
    /// Bytes of one detector's pattern, as written.
    pub max_detector_pattern_bytes: usize,
    /// Bytes one detector's compiled pattern may take (the `regex` crate's
    /// size limit): what a pathological repetition such as `(a{1000}){1000}`
    /// is refused by, at load.
    pub max_detector_regex_bytes: usize,
}

impl Default for SandboxLimits {
    fn default() -> Self {
        SandboxLimits {
            call_timeout: Duration::from_secs(10),
            epoch_tick: Duration::from_millis(10),
            memory_bytes: 512 << 20,
            table_elements: 100_000,
            instances: 64,
            tables: 64,
            memories: 16,
            fuel_per_call: None,
            max_findings_per_batch: 10_000,
            max_result_bytes: 64 << 20,
            max_text_bytes: 8 << 10,
            max_captured_output: 64 << 10,
            max_log_messages_per_call: 1_000,
            max_detectors: 1_000,
            max_detector_pattern_bytes: 4 << 10,
            max_detector_regex_bytes: 1 << 20,
        }
    }
}

impl SandboxLimits {
    /// Epoch ticks that make up `call_timeout` (at least one).
    pub(crate) fn deadline_ticks(&self) -> u64 {
        let tick = self.epoch_tick.as_nanos().max(1);
        let ticks = self.call_timeout.as_nanos().div_ceil(tick);
        u64::try_from(ticks).unwrap_or(u64::MAX).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_rounds_up_to_whole_ticks() {
        let limits = SandboxLimits {
            call_timeout: Duration::from_millis(25),
            epoch_tick: Duration::from_millis(10),
            ..SandboxLimits::default()
        };
        assert_eq!(limits.deadline_ticks(), 3);
        let zero = SandboxLimits {
            call_timeout: Duration::ZERO,
            ..SandboxLimits::default()
        };
        assert_eq!(zero.deadline_ticks(), 1);
    }
}
