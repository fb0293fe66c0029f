//! The human report: findings grouped by file, the offending source line
//! under each, severity coloured on a terminal.

use super::Report;
use crate::Severity;
use crate::diagnostic::Level;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Options of the table writer.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Where the report's relative paths are rooted, to show source lines.
    /// `None` shows no source.
    pub base_dir: Option<PathBuf>,
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
        let _ = writeln!(out, "{}", paint(BOLD, path));
        let source = options
            .base_dir
            .as_deref()
            .and_then(|base| std::fs::read_to_string(resolve(base, path)).ok());
        let lines: Vec<&str> = source
            .as_deref()
            .map(|s| s.lines().collect())
            .unwrap_or_default();
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
                finding.rule_id,
                finding.message
            );
            if let Some(line) = finding
                .region
                .and_then(|r| lines.get((r.start_line as usize).wrapping_sub(1)))
            {
                let _ = writeln!(out, "           {} {}", paint(DIM, "│"), line.trim_end());
            }
            if let Some(fix) = &finding.fix {
                let _ = writeln!(out, "           {} fix: {fix}", paint(DIM, "│"));
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
        let _ = writeln!(out, "{level}: {rest}");
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

fn resolve(base: &Path, path: &str) -> PathBuf {
    let candidate = Path::new(path);
    if candidate.is_absolute() {
        candidate.to_path_buf()
    } else {
        base.join(candidate)
    }
}
