//! Suppressions: findings a user has looked at and accepted, with a reason.
//!
//! A suppressed finding is not dropped: it stays in every report, marked
//! (SARIF `suppressions`, JSON `suppression`), and only stops counting
//! towards `--fail-on`. That keeps the decision reviewable — GitHub code
//! scanning shows it as dismissed, with the justification.
//!
//! Inline form, in any file whose format has comments (YAML, Dockerfile,
//! HCL, TOML, requirements files, go.mod, XML …), on the finding's line or
//! on the line above it:
//!
//! ```text
//! hostNetwork: true  # rampart:ignore K8S-004 the CNI agent needs the host network
//! # rampart:ignore DEP-001,DEP-002 not reachable: only used in the build script
//! ```
//!
//! The reason is mandatory: a `rampart:ignore` without one suppresses
//! nothing and yields a warning.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use crate::finding::Finding;
pub use crate::finding::{Suppression, SuppressionKind};
use crate::resource::Region;
use serde::Serialize;

/// The marker that starts an inline suppression.
pub const MARKER: &str = "rampart:ignore";

/// One `rampart:ignore` comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineSuppression {
    /// Its 1-based line: it covers this line and the next.
    pub line: u32,
    /// Rule ids it names (`all` covers every rule).
    pub rules: Vec<String>,
    /// The reason; `None` when missing (then it suppresses nothing).
    pub reason: Option<String>,
}

/// Every `rampart:ignore` comment of a file's text.
///
/// ```
/// use rampart_core::suppress::inline_suppressions;
/// let found = inline_suppressions("a: 1\n# rampart:ignore K8S-001,K8S-002 lab cluster, isolated\nb: 2 # rampart:ignore DEP-003\n");
/// assert_eq!(found[0].line, 2);
/// assert_eq!(found[0].rules, ["K8S-001", "K8S-002"]);
/// assert_eq!(found[0].reason.as_deref(), Some("lab cluster, isolated"));
/// assert_eq!(found[1].reason, None);
/// ```
pub fn inline_suppressions(text: &str) -> Vec<InlineSuppression> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let rest = line[at + MARKER.len()..]
            .trim()
            .trim_end_matches("-->")
            .trim_end_matches("*/")
            .trim();
        let (ids, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let rules: Vec<String> = ids
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect();
        if rules.is_empty() {
            continue;
        }
        let reason = reason.trim();
        out.push(InlineSuppression {
            line: u32::try_from(k + 1).unwrap_or(u32::MAX),
            rules,
            reason: (!reason.is_empty()).then(|| reason.to_owned()),
        });
    }
    out
}

/// Marks the findings of one file that its inline suppressions cover;
/// returns warnings for suppressions without a reason.
pub fn apply_inline(
    path: &str,
    findings: &mut [Finding],
    suppressions: &[InlineSuppression],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for suppression in suppressions {
        let Some(reason) = &suppression.reason else {
            diagnostics.push(
                Diagnostic::file(
                    Level::Warning,
                    DiagnosticKind::Suppression,
                    path,
                    format!(
                        "`{MARKER} {}` has no reason and suppresses nothing: write `{MARKER} {} <why this is acceptable>`",
                        suppression.rules.join(","),
                        suppression.rules.join(",")
                    ),
                )
                .at(Region::line(suppression.line, 1, 1)),
            );
            continue;
        };
        for finding in findings.iter_mut() {
            if finding.path != path || finding.suppression.is_some() {
                continue;
            }
            let Some(line) = finding.region.map(|r| r.start_line) else {
                continue;
            };
            let covers_line = line == suppression.line || line == suppression.line + 1;
            let covers_rule = suppression
                .rules
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&finding.rule_id) || r == "all");
            if covers_line && covers_rule {
                finding.suppression = Some(Suppression {
                    kind: SuppressionKind::InSource,
                    justification: reason.clone(),
                });
            }
        }
    }
    diagnostics
}
