//! GitLab code quality report: a JSON array of issues that a merge request
//! widget shows against the changed lines (`artifacts:reports:codequality`).
//!
//! <https://docs.gitlab.com/ee/ci/testing/code_quality.html#implement-a-custom-tool>

use crate::finding::Severity;
use crate::results::Report;
use serde_json::{Value, json};

/// GitLab's severities: `info`, `minor`, `major`, `critical`, `blocker`.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

/// The code quality issues of the report; suppressed findings are left out.
///
/// ```
/// let report = rampart_core::Report::default();
/// assert_eq!(rampart_core::report::gitlab::build(&report), serde_json::json!([]));
/// ```
pub fn build(report: &Report) -> Value {
    Value::Array(
        report
            .findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .map(|f| {
                let line = f.region.map_or(1, |r| r.start_line);
                let mut description = format!("{}: {}", f.rule_id, f.message);
                if let Some(fix) = &f.fix {
                    description.push_str(&format!(" (fix: {fix})"));
                }
                json!({
                    "type": "issue",
                    "description": description,
                    "check_name": f.rule_id,
                    "categories": ["Security"],
                    "fingerprint": f.fingerprint,
                    "severity": severity(f.severity),
                    "location": {"path": f.path, "lines": {"begin": line}},
                })
            })
            .collect(),
    )
}

/// Writes [`build`] as pretty JSON.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(report))?;
    out.write_all(b"\n")
}
