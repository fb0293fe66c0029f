//! JUnit XML: what CI systems without SARIF support (Jenkins, GitLab test
//! reports, Azure Pipelines, CircleCI) show as test results.
//!
//! One `<testsuite>` per file, one `<testcase>` per finding with a
//! `<failure>` (suppressed findings get `<skipped>` with the justification,
//! so they stay visible), and a `rampart` suite whose `<error>` cases are
//! the scan's error diagnostics. Counts are consistent with the elements,
//! which the structure of the common JUnit schema (Ant/Jenkins) requires.

use crate::diagnostic::Level;
use crate::results::Report;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Escapes text for an XML attribute or element, dropping the characters
/// XML 1.0 cannot hold at all (control characters other than tab, LF, CR).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Renders the report as JUnit XML.
///
/// ```
/// let xml = rampart_core::report::junit::render(&rampart_core::Report::default());
/// assert!(xml.contains(r#"<testsuites name="rampart" tests="0" failures="0" errors="0" skipped="0" time="0">"#));
/// ```
pub fn render(report: &Report) -> String {
    let mut by_file: BTreeMap<&str, Vec<&crate::Finding>> = BTreeMap::new();
    for finding in &report.findings {
        by_file.entry(&finding.path).or_default().push(finding);
    }
    let errors: Vec<&crate::Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    let failures = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .count();
    let skipped = report.findings.len() - failures;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"rampart\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{skipped}\" time=\"0\">",
        report.findings.len() + errors.len(),
        errors.len()
    );
    for (path, findings) in &by_file {
        let suite_failures = findings.iter().filter(|f| f.suppression.is_none()).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{suite_failures}\" errors=\"0\" skipped=\"{}\" time=\"0\">",
            escape(path),
            findings.len(),
            findings.len() - suite_failures
        );
        for f in findings {
            let line = f.region.map_or(0, |r| r.start_line);
            let _ = writeln!(
                out,
                "    <testcase name=\"{} at line {line}\" classname=\"{}\" file=\"{}\" line=\"{line}\" time=\"0\">",
                escape(&f.rule_id),
                escape(path),
                escape(path)
            );
            match &f.suppression {
                Some(suppression) => {
                    let _ = writeln!(
                        out,
                        "      <skipped message=\"suppressed: {}\"/>",
                        escape(&suppression.justification)
                    );
                }
                None => {
                    let mut details = format!(
                        "{} ({}) in {}\n{}",
                        f.rule_id, f.severity, f.resource_id, f.message
                    );
                    if let Some(fix) = &f.fix {
                        let _ = write!(details, "\nfix: {fix}");
                    }
                    let _ = writeln!(
                        out,
                        "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                        escape(&f.message),
                        f.severity,
                        escape(&details)
                    );
                }
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    if !errors.is_empty() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"rampart\" tests=\"{0}\" failures=\"0\" errors=\"{0}\" skipped=\"0\" time=\"0\">",
            errors.len()
        );
        for (k, d) in errors.iter().enumerate() {
            let _ = writeln!(
                out,
                "    <testcase name=\"scan error {}\" classname=\"{}\" time=\"0\">\n      <error message=\"{}\" type=\"{}\"/>\n    </testcase>",
                k + 1,
                escape(d.path.as_deref().unwrap_or("rampart")),
                escape(&d.to_string()),
                escape(
                    &serde_json::to_value(d.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                )
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
