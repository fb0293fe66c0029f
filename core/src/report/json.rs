//! The JSON report: rampart's own stable format (`docs/formats/json.md`).
//!
//! ```json
//! {"version": 1, "tool": {"name": "rampart", "version": "0.1.0"},
//!  "summary": {...}, "findings": [...], "diagnostics": [...], "rules": [...]}
//! ```
//!
//! Additive changes keep `version` 1; anything else bumps it.

use super::Report;
use crate::Severity;
use serde_json::json;

/// The format's version.
pub const FORMAT_VERSION: u32 = 1;

/// Renders the report as pretty-printed JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let by_severity: serde_json::Map<String, serde_json::Value> = Severity::ALL
        .iter()
        .rev()
        .map(|s| {
            let n = report.findings.iter().filter(|f| f.severity == *s).count();
            (s.to_string(), json!(n))
        })
        .collect();
    let value = json!({
        "version": FORMAT_VERSION,
        "tool": {"name": "rampart", "version": env!("CARGO_PKG_VERSION")},
        "summary": {
            "findings": report.findings.len(),
            "by_severity": by_severity,
            "diagnostics": report.diagnostics.len(),
            "files_walked": report.stats.files_walked,
            "files_with_resources": report.stats.files_with_resources,
            "resources": report.stats.resources,
        },
        "findings": report.findings,
        "diagnostics": report.diagnostics,
        "rules": report.rules,
    });
    let mut text =
        serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
