//! The result of a scan — findings, diagnostics, the rules that ran, hosts
//! and counts — as every output format reads it. Part of the model: the
//! formats in `report/`, the baseline and `policy test` all consume a
//! [`Report`], and none of them needs the others to do so.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use crate::finding::{Finding, Severity};
use crate::rule::RuleMetadata;
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

/// How a run of rampart ended, as a CI gate reads it (DESIGN §5). One type
/// for the library and the binary, so that every command means the same
/// by each code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExitStatus {
    /// 0: nothing at or above the threshold (or the command succeeded).
    Pass,
    /// 1: findings at or above the threshold (for `policy test` and
    /// `policy docs --check`: a mismatch, a stale page).
    Fail,
    /// 2: the scan is incomplete, or rampart could not do what was asked
    /// (usage, configuration, an unreadable input).
    Error,
}

impl ExitStatus {
    /// The process exit code: 0, 1 or 2.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Pass => 0,
            ExitStatus::Fail => 1,
            ExitStatus::Error => 2,
        }
    }
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

impl Report {
    /// The exit status of a gate at `fail_on` (DESIGN §5):
    /// [`ExitStatus::Error`] if the scan is incomplete (a file could not be
    /// read or parsed, a policy failed), else [`ExitStatus::Fail`] if an
    /// unsuppressed finding is at or above the threshold, else
    /// [`ExitStatus::Pass`].
    pub fn status(&self, fail_on: Severity) -> ExitStatus {
        if self.diagnostics.iter().any(|d| d.level == Level::Error) {
            ExitStatus::Error
        } else if self
            .findings
            .iter()
            .any(|f| f.severity >= fail_on && f.suppression.is_none())
        {
            ExitStatus::Fail
        } else {
            ExitStatus::Pass
        }
    }

    /// [`Report::status`] as a process exit code.
    pub fn exit_code(&self, fail_on: Severity) -> u8 {
        self.status(fail_on).code()
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
