//! The human report: findings grouped by file, the offending source line
//! under each, severity coloured on a terminal.
//!
//! Source lines are the findings' [`snippet`](crate::Finding::snippet)s,
//! taken from the bytes that were scanned: the table never reads a file
//! (on a `--root` image that could follow the image's links onto this
//! machine's files). Everything from the scan — paths, messages, source
//! lines, fixes, diagnostics — goes through
//! [`terminal_safe`](super::terminal_safe) before it is printed.

use super::terminal_safe;
use crate::Severity;
use crate::diagnostic::Level;
use crate::results::Report;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Options of the table writer.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// Use ANSI colours.
    pub color: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "\x1b[1;35m",
        Severity::High => "\x1b[1;31m",
        Severity::Medium => "\x1b[33m",
        Severity::Low => "\x1b[36m",
        Severity::Info => "\x1b[2m",
    }
}

/// Renders the report for a terminal.
pub fn render(report: &Report, options: &TableOptions) -> String {
    let paint = |code: &str, text: &str| {
        if options.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    let mut out = String::new();
    let mut by_file: BTreeMap<&str, Vec<&crate::Finding>> = BTreeMap::new();
    for finding in report.findings.iter().filter(|f| f.suppression.is_none()) {
        by_file
            .entry(finding.path.as_str())
            .or_default()
            .push(finding);
    }
    for (path, findings) in &by_file {
        let _ = writeln!(out, "{}", paint(BOLD, &terminal_safe(path)));
        for finding in findings {
            let position = finding
                .region
                .map(|r| format!("{}:{}", r.start_line, r.start_column))
                .unwrap_or_else(|| "-".to_owned());
            let severity = format!("{:<8}", finding.severity.as_str());
            let _ = writeln!(
                out,
                "  {:>7}  {}  {}  {}",
                position,
                paint(severity_color(finding.severity), &severity),
                terminal_safe(&finding.rule_id),
                terminal_safe(&finding.message)
            );
            if let Some(line) = &finding.snippet {
                let _ = writeln!(
                    out,
                    "           {} {}",
                    paint(DIM, "│"),
                    terminal_safe(line)
                );
            }
            if let Some(fix) = &finding.fix {
                let _ = writeln!(
                    out,
                    "           {} fix: {}",
                    paint(DIM, "│"),
                    terminal_safe(fix)
                );
            }
        }
        out.push('\n');
    }
    for diagnostic in &report.diagnostics {
        let level = match diagnostic.level {
            Level::Error => paint("\x1b[1;31m", "error"),
            Level::Warning => paint("\x1b[33m", "warning"),
            Level::Note => paint(DIM, "note"),
        };
        let text = diagnostic.to_string();
        let rest = text.split_once(": ").map(|(_, rest)| rest).unwrap_or(&text);
        let _ = writeln!(out, "{level}: {}", terminal_safe(rest));
    }
    let counts: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|s| {
            let n = report
                .findings
                .iter()
                .filter(|f| f.severity == *s && f.suppression.is_none())
                .count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let suppressed = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .count();
    let mut hidden = Vec::new();
    if suppressed > 0 {
        hidden.push(format!("{suppressed} suppressed"));
    }
    if report.stats.baseline > 0 {
        hidden.push(format!("{} in the baseline", report.stats.baseline));
    }
    if report.stats.files_ignored > 0 {
        let n = report.stats.files_ignored;
        hidden.push(format!(
            "{n} path{} left out by .gitignore/.ignore rules",
            if n == 1 { "" } else { "s" }
        ));
    }
    let hidden = if hidden.is_empty() {
        String::new()
    } else {
        format!(" [not shown: {}]", hidden.join(", "))
    };
    let _ = writeln!(
        out,
        "{} findings{} in {} ({} resources); {} errors{hidden}",
        report.findings.len() - suppressed,
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join(", "))
        },
        match report.stats.hosts.len() {
            0 => format!("{} files", report.stats.files_with_resources),
            hosts => format!(
                "{} files and {hosts} host{}",
                report.stats.files_with_resources,
                if hosts == 1 { "" } else { "s" }
            ),
        },
        report.stats.resources,
        errors
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Finding, Region};

    /// What a hostile file puts in a value, a name or a source line comes
    /// out escaped: no escape sequence, carriage return or line break of
    /// its own reaches the terminal.
    #[test]
    fn control_characters_never_reach_the_terminal() {
        let finding = Finding {
            path: "evil\n3 findings\u{1b}[2K.yaml".into(),
            region: Some(Region::line(1, 1, 5)),
            rule_id: "K8S-001".into(),
            pack: "kubernetes".into(),
            severity: Severity::High,
            message: "image `\u{1b}]0;owned\u{7}x\r0 findings`".into(),
            fix: Some("\u{1b}[8m".into()),
            resource_id: "r".into(),
            resource_kind: "k8s".into(),
            pointer: String::new(),
            fingerprint: String::new(),
            suppression: None,
            related: Vec::new(),
            commit: None,
            secret_hash: None,
            snippet: Some("image: \u{1b}[1A\u{1b}[2K".into()),
        };
        let report = Report {
            findings: vec![finding],
            ..Report::default()
        };
        for color in [false, true] {
            let text = render(&report, &TableOptions { color });
            let own: String = text
                .replace(RESET, "")
                .replace(BOLD, "")
                .replace(DIM, "")
                .replace("\x1b[1;31m", "");
            assert!(
                !own.contains('\u{1b}') && !own.contains('\r') && !own.contains('\u{7}'),
                "{own:?}"
            );
            assert_eq!(text.lines().count(), 6, "{text}");
            assert!(
                text.contains("evil\\u{a}3 findings\\u{1b}[2K.yaml"),
                "{text}"
            );
        }
    }
}
