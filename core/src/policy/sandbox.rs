//! The per-instance sandbox: an empty WASI context, memory limits, captured
//! output, and the two host functions of the ABI.

use super::bindings::rampart::policy::host::{self, Level};
use super::bindings::rampart::policy::types;
use super::limits::SandboxLimits;
use super::output::CapturedOutput;
use std::sync::Arc;
use std::time::Duration;
use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{HostWallClock, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// Longest log message passed on; the rest is cut.
const MAX_LOG_MESSAGE: usize = 4 << 10;

/// What every store holds.
pub(crate) struct SandboxState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limiter: TrackedLimits,
    /// The pack's settings as JSON text, handed out by `settings()`.
    settings: Arc<str>,
    /// Pack name, for log lines. Filled in once metadata is known.
    pub(crate) pack: Arc<str>,
    pub(crate) stderr: CapturedOutput,
    pub(crate) stdout: CapturedOutput,
    log_budget: usize,
    pub(crate) logs_dropped: usize,
    max_logs: usize,
    /// The values the detectors found in the current batch: taken out of
    /// what the pack logs, as out of everything else printed.
    pub(crate) secrets: Arc<crate::inventory::text::Secrets>,
}

impl SandboxState {
    pub(crate) fn new(limits: &SandboxLimits, settings: Arc<str>, pack: Arc<str>) -> Self {
        let stderr = CapturedOutput::new(limits.max_captured_output);
        let stdout = CapturedOutput::new(limits.max_captured_output);
        // Policies are pure functions of their input: no files, sockets,
        // environment or arguments; a fixed clock and fixed "randomness",
        // so that e.g. hash-map iteration order inside a policy, and so its
        // output, is the same on every run.
        let wasi = WasiCtxBuilder::new()
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .wall_clock(FixedClock)
            .secure_random(wasmtime_wasi::Deterministic::new(FIXED_RANDOM.to_vec()))
            .insecure_random(wasmtime_wasi::Deterministic::new(FIXED_RANDOM.to_vec()))
            .insecure_random_seed(0x7261_6d70_6172_7400)
            .build();
        SandboxState {
            wasi,
            table: ResourceTable::new(),
            limiter: TrackedLimits::new(limits),
            settings,
            pack,
            stderr,
            stdout,
            log_budget: limits.max_log_messages_per_call,
            logs_dropped: 0,
            max_logs: limits.max_log_messages_per_call,
            secrets: Arc::default(),
        }
    }

    /// Resets the per-call budgets before a call.
    pub(crate) fn begin_call(&mut self) {
        self.log_budget = self.max_logs;
        self.logs_dropped = 0;
    }
}

/// Bytes cycled through by the guest's random number generators.
const FIXED_RANDOM: [u8; 16] = *b"rampart-fixed-rn";

/// `wasi:clocks/wall-clock` stopped at the Unix epoch.
struct FixedClock;

impl HostWallClock for FixedClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn now(&self) -> Duration {
        Duration::ZERO
    }
}

impl WasiView for SandboxState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl types::Host for SandboxState {}

impl host::Host for SandboxState {
    fn log(&mut self, level: Level, message: String) {
        if self.log_budget == 0 {
            self.logs_dropped += 1;
            return;
        }
        self.log_budget -= 1;
        let message = truncate(&message, MAX_LOG_MESSAGE);
        let message = self.secrets.scrub(&message);
        let pack = &*self.pack;
        match level {
            Level::Debug => tracing::debug!(target: "rampart::policy", pack, "{message}"),
            Level::Info => tracing::info!(target: "rampart::policy", pack, "{message}"),
            Level::Warn => tracing::warn!(target: "rampart::policy", pack, "{message}"),
            Level::Error => tracing::error!(target: "rampart::policy", pack, "{message}"),
        }
    }

    fn settings(&mut self) -> String {
        self.settings.to_string()
    }
}

/// `StoreLimits`, remembering whether a limit was what stopped the guest, so
/// that a trap can be reported as "out of memory" rather than "unreachable".
pub(crate) struct TrackedLimits {
    inner: StoreLimits,
    /// Set to the size asked for when a memory could not grow.
    pub(crate) memory_denied: Option<usize>,
    pub(crate) table_denied: Option<usize>,
}

impl TrackedLimits {
    fn new(limits: &SandboxLimits) -> Self {
        TrackedLimits {
            inner: StoreLimitsBuilder::new()
                .memory_size(limits.memory_bytes)
                .table_elements(limits.table_elements)
                .instances(limits.instances)
                .tables(limits.tables)
                .memories(limits.memories)
                // Trap at once rather than hand the guest a failed
                // `memory.grow`: its allocator would abort anyway, with a
                // less useful message.
                .trap_on_grow_failure(true)
                .build(),
            memory_denied: None,
            table_denied: None,
        }
    }
}

impl ResourceLimiter for TrackedLimits {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.inner.memory_growing(current, desired, maximum);
        if !matches!(allowed, Ok(true)) {
            self.memory_denied = Some(desired);
        }
        allowed
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.inner.table_growing(current, desired, maximum);
        if !matches!(allowed, Ok(true)) {
            self.table_denied = Some(desired);
        }
        allowed
    }

    fn instances(&self) -> usize {
        self.inner.instances()
    }

    fn tables(&self) -> usize {
        self.inner.tables()
    }

    fn memories(&self) -> usize {
        self.inner.memories()
    }
}

/// The linker every pack is instantiated with: the ABI's host interface
/// and WASI p2. Which WASI interfaces a pack may *import* is decided
/// earlier, by [`super::imports`]; the context above gives even those
/// nothing to reach.
pub(crate) fn linker(engine: &wasmtime::Engine) -> wasmtime::Result<Linker<SandboxState>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    super::bindings::Base::add_to_linker::<SandboxState, HasSelf<SandboxState>>(
        &mut linker,
        |state| state,
    )?;
    Ok(linker)
}

/// `text` cut to at most `max` bytes on a character boundary, with `…`.
pub(crate) fn truncate(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return text.into();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end]).into()
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("héllo", 2), "h…");
        assert_eq!(truncate("short", 10), "short");
    }
}
