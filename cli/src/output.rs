//! What the binary writes besides reports' contents: the report file or
//! stdout, logs and errors on stderr — every one escaped for a terminal.

use rampart_core::report;
use std::io::Write;

/// Prints a diagnostic on stderr, made safe for a terminal.
pub(crate) fn eprint_diagnostic(diagnostic: &rampart_core::Diagnostic) {
    eprintln!("{}", report::terminal_safe(&diagnostic.to_string()));
}

/// Prints a line on stderr, made safe for a terminal (line breaks kept).
pub(crate) fn eprint_safe(text: &str) {
    eprintln!("{}", report::terminal_safe_lines(text));
}

/// The error and its causes, `: `-separated, leaving out a cause whose text
/// the message already carries (rampart-core's errors name their OS error
/// in their own message; anyhow's `{:#}` printed it twice).
pub(crate) fn error_chain(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// Writes a report to `path`, or to stdout when there is none.
///
/// An existing file is overwritten in place and cut to the new length at
/// the end, not truncated first: truncating frees every cached page of the
/// old report and writing allocates them again, which for a report of tens
/// of MB cost more than rendering it (45 ms against 11 ms for 64 MB,
/// measured). If writing fails, the file is still cut to what was written,
/// so no tail of the old report is left behind.
pub(crate) fn write_output(
    path: Option<&std::path::Path>,
    what: &str,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use std::io::Seek;
    let Some(path) = path else {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        return render(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| anyhow::anyhow!("cannot write {what}: {e}"));
    };
    let cannot = |e: std::io::Error| anyhow::anyhow!("cannot write {}: {e}", path.display());
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(cannot)?;
    // Devices and pipes (`/dev/stdout`) have no length to set.
    let regular = file.metadata().is_ok_and(|m| m.is_file());
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    let written = render(&mut out).and_then(|()| out.flush());
    // `into_parts`, not `into_inner`: it cannot fail, so the file is cut
    // even when the last flush did not go through.
    let (mut file, _unwritten) = out.into_parts();
    if regular {
        let end = file.stream_position().map_err(cannot)?;
        file.set_len(end).map_err(cannot)?;
    }
    written.map_err(cannot)
}

pub(crate) fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("RAMPART_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    // Logs carry paths, URLs and servers' words: no colour codes of their
    // own, and every control character escaped on the way out (a file
    // name holding an escape sequence must not rewrite the terminal).
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| SafeStderr)
        .with_ansi(false)
        .with_target(false)
        .init();
}

/// stderr, with control characters other than line breaks and tabs
/// escaped (each log event arrives as one write of whole lines).
pub(crate) struct SafeStderr;

impl Write for SafeStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        std::io::stderr()
            .lock()
            .write_all(report::terminal_safe_lines(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}
