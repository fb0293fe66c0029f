//! Baselines: the findings a project already has, so that a gate can fail
//! only on new ones.
//!
//! A baseline lists fingerprints, which hash rule, path, resource and JSON
//! Pointer but not the line: editing a file above a known finding does not
//! make it new. The file is JSON, sorted, so that it diffs well in review:
//!
//! ```json
//! {"version": 1, "findings": [{"fingerprint": "…", "rule_id": "K8S-001", "path": "deploy/web.yaml", "message": "…"}]}
//! ```

use crate::results::Report;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// Version of the baseline format.
pub const VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// [`VERSION`].
    pub version: u32,
    /// The accepted findings, sorted by path, rule and fingerprint.
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding. Only the fingerprint matters; the rest is for the
/// people reading the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The file.
    pub path: String,
    /// The rule.
    pub rule_id: String,
    /// [`Finding::fingerprint`](crate::Finding::fingerprint).
    pub fingerprint: String,
    /// The message when the baseline was made.
    pub message: String,
}

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// It cannot be read.
    #[error("cannot read the baseline {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// It is not a baseline.
    #[error(
        "{path}: not a rampart baseline ({message}); create one with `rampart baseline create --output {path}`"
    )]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, with line and column.
        message: String,
    },
}

impl Baseline {
    /// The baseline of a report: every finding not suppressed.
    pub fn from_report(report: &Report) -> Baseline {
        let mut findings: Vec<BaselineEntry> = report
            .findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .map(|f| BaselineEntry {
                path: f.path.clone(),
                rule_id: f.rule_id.clone(),
                fingerprint: f.fingerprint.clone(),
                message: f.message.clone(),
            })
            .collect();
        findings.sort();
        findings.dedup();
        Baseline {
            version: VERSION,
            findings,
        }
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let shown = path.display().to_string();
        let bytes = crate::read::read_file(
            path,
            crate::read::MAX_SMALL_FILE,
            crate::read::Links::Follow,
        )
        .map_err(|e| BaselineError::Io {
            path: shown.clone(),
            source: e.into_io(),
        })?;
        let baseline: Baseline =
            serde_json::from_slice(&bytes).map_err(|e| BaselineError::Invalid {
                path: shown.clone(),
                message: e.to_string(),
            })?;
        if baseline.version != VERSION {
            return Err(BaselineError::Invalid {
                path: shown,
                message: format!("version {} (expected {VERSION})", baseline.version),
            });
        }
        Ok(baseline)
    }

    /// Pretty JSON, newline-terminated.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Removes from `report` the findings the baseline lists; returns how
    /// many were removed (also recorded in the report's stats).
    ///
    /// ```
    /// use rampart_core::baseline::Baseline;
    /// use rampart_core::Report;
    /// let mut report = Report::default();
    /// let baseline = Baseline::from_report(&report);
    /// assert_eq!(baseline.apply(&mut report), 0);
    /// ```
    pub fn apply(&self, report: &mut Report) -> usize {
        let known: BTreeSet<&str> = self
            .findings
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect();
        let before = report.findings.len();
        report
            .findings
            .retain(|f| !known.contains(f.fingerprint.as_str()));
        let removed = before - report.findings.len();
        report.stats.baseline += removed;
        removed
    }
}
