//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! line per finding, which the runner turns into annotations on the pull
//! request's diff (no SARIF upload or code-scanning licence needed).
//!
//! <https://docs.github.com/actions/reference/workflow-commands-for-github-actions>

use crate::diagnostic::Level;
use crate::finding::Severity;
use crate::results::Report;
use std::fmt::Write as _;

/// The annotation command of a severity: critical and high are errors,
/// medium warnings, low and info notices.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// A message: `%`, CR and LF escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Renders the report as workflow commands. Suppressed findings are left
/// out (an annotation cannot be marked as accepted); diagnostics become
/// annotations too, on their file when they have one.
///
/// ```
/// let report = rampart_core::Report::default();
/// assert_eq!(rampart_core::report::github::render(&report), "");
/// ```
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in report.findings.iter().filter(|f| f.suppression.is_none()) {
        let mut properties = format!("file={}", escape_property(&f.path));
        if let Some(region) = f.region {
            let _ = write!(
                properties,
                ",line={},endLine={},col={},endColumn={}",
                region.start_line, region.end_line, region.start_column, region.end_column
            );
        }
        let _ = write!(
            properties,
            ",title={}",
            escape_property(&format!("{} ({})", f.rule_id, f.severity))
        );
        let mut message = f.message.clone();
        if let Some(fix) = &f.fix {
            let _ = write!(message, "\nfix: {fix}");
        }
        let _ = writeln!(
            out,
            "::{} {properties}::{}",
            command(f.severity),
            escape_data(&message)
        );
    }
    for d in &report.diagnostics {
        let level = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut properties = String::from("title=rampart");
        if let Some(path) = &d.path {
            let _ = write!(properties, ",file={}", escape_property(path));
            if let Some(region) = d.region {
                let _ = write!(properties, ",line={}", region.start_line);
            }
        }
        let _ = writeln!(out, "::{level} {properties}::{}", escape_data(&d.message));
    }
    out
}
