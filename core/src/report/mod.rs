//! Reports: findings and diagnostics in the formats users consume
//! (DESIGN §5). Every format is a pure function of a [`Report`] (the SBOM,
//! of an [`Inventory`](crate::inventory::Inventory)); the same input always
//! renders to the same bytes.

pub mod cyclonedx;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod rule_docs;
pub mod sarif;
pub mod sarif_merge;
pub mod table;

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use crate::finding::{Finding, Severity};
use crate::policy::RuleMetadata;
use serde::Serialize;

/// A rule of a loaded pack, as reports describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRule {
    /// The pack's name.
    pub pack: String,
    /// The pack's version.
    pub pack_version: String,
    /// The rule.
    #[serde(flatten)]
    pub rule: RuleMetadata,
}

/// One host of a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostSummary {
    /// The host's name (inventory name, URL or root directory).
    pub name: String,
    /// What its reported paths start with (`ssh://deploy@web1:22`, the
    /// root directory as given, or `""` for `--root /`).
    pub prefix: String,
    /// `scanned`, or `unreachable` (the reason is a diagnostic).
    pub status: HostStatus,
    /// Resources collected from it.
    pub resources: usize,
}

/// Whether a host could be scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HostStatus {
    /// Its files were read (some may have been unreadable: diagnostics).
    Scanned,
    /// It could not be reached or read at all.
    Unreachable,
}

/// Counts that describe the scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScanStats {
    /// Regular files the walk visited.
    pub files_walked: usize,
    /// Paths that ignore rules (`.gitignore`, `.ignore`,
    /// `.git/info/exclude`) left out; a directory counts once.
    pub files_ignored: usize,
    /// Files that yielded at least one resource.
    pub files_with_resources: usize,
    /// Resources evaluated.
    pub resources: usize,
    /// Every host of the scan (`--root`, `ssh://`, an inventory), in the
    /// order given, whether it could be scanned or not.
    pub hosts: Vec<HostSummary>,
    /// Findings left out because a baseline lists them.
    pub baseline: usize,
}

/// The result of a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Findings, sorted by path, position, rule.
    pub findings: Vec<Finding>,
    /// Problems met on the way, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Every rule of every pack used, sorted by pack then rule id.
    pub rules: Vec<ReportRule>,
    /// Counts.
    pub stats: ScanStats,
}

/// `text` made safe to print on a terminal: control characters — C0 (but
/// tab), DEL, C1, and the bidirectional overrides that reorder what is
/// shown — are written as `\u{…}` escapes, so that a scanned value or file
/// name cannot move the cursor, erase lines, set the window title, or
/// print a fake "no findings" (DESIGN §8). Everything else is kept.
///
/// ```
/// use rampart_core::report::terminal_safe;
/// assert_eq!(terminal_safe("ok\ttab"), "ok\ttab");
/// assert_eq!(terminal_safe("a\u{1b}[2Kb\nc\r"), "a\\u{1b}[2Kb\\u{a}c\\u{d}");
/// assert_eq!(terminal_safe("x\u{202e}y"), "x\\u{202e}y");
/// ```
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`terminal_safe`] for text that spans lines (logs, error messages):
/// line breaks are kept, everything else is escaped.
pub fn terminal_safe_lines(text: &str) -> String {
    text.split('\n')
        .map(terminal_safe)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Report {
    /// The exit status of a gate at `fail_on` (DESIGN §5): 2 if the scan is
    /// incomplete (a file could not be read or parsed, a policy failed),
    /// else 1 if a finding is at or above the threshold, else 0.
    pub fn exit_code(&self, fail_on: Severity) -> u8 {
        if self.diagnostics.iter().any(|d| d.level == Level::Error) {
            2
        } else if self
            .findings
            .iter()
            .any(|f| f.severity >= fail_on && f.suppression.is_none())
        {
            1
        } else {
            0
        }
    }

    /// Diagnostics of a kind.
    pub fn diagnostics_of(&self, kind: DiagnosticKind) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(move |d| d.kind == kind)
    }

    /// The rule with this pack and id.
    pub fn rule(&self, pack: &str, id: &str) -> Option<&ReportRule> {
        self.rules
            .iter()
            .find(|r| r.pack == pack && r.rule.id == id)
    }
}
