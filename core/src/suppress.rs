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
//!
//! The inline skips of Checkov and Trivy are honoured too, as suppressions
//! of the rules that declare the skipped check their equivalent
//! ([`PeerCheck`]), so that a team can switch without rewriting them. Each
//! keeps its tool's scope:
//!
//! ```text
//! resource "aws_s3_bucket" "site" {
//!   #checkov:skip=CKV_AWS_21:static site, rebuilt from git   ← the whole resource
//! }
//! #trivy:ignore:AVD-AWS-0090:exp:2027-01-31                  ← its line, the next, and
//! resource "aws_s3_bucket" "logs" {                            the block starting there
//! ```
//!
//! hadolint's, in Dockerfiles, too:
//!
//! ```text
//! # hadolint global ignore=DL3059                              ← the whole file
//! # hadolint ignore=DL3008,DL3015                              ← the next instruction
//! RUN apt-get update && apt-get install -y curl
//! ```
//!
//! A Checkov skip covers the resource whose lines contain it; its reason
//! (after the second `:`) is kept. A Trivy ignore covers its own line, the
//! next one and the resource that starts on the next line; an `exp:` date
//! in the past stops it (with a warning), and one scoped to a workspace
//! (`ws:`) other than `default` is not honoured — rampart has none.
//! Neither tool asks for a reason, so these need none.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use crate::finding::Finding;
pub use crate::finding::{Suppression, SuppressionKind};
use crate::resource::Region;
use crate::rule::PeerCheck;
use serde::Serialize;
use std::collections::BTreeMap;

/// The marker that starts an inline suppression.
pub const MARKER: &str = "rampart:ignore";

/// The most inline suppressions of one file that are applied: each is
/// compared with every finding of its file, so a hostile file with 10^5
/// skip comments must not cost 10^5 × its findings. Those beyond are not
/// applied (their findings stay counted, the safe side), with a warning.
pub const MAX_INLINE_SUPPRESSIONS: usize = 1_000;

/// The markers of the other scanners' inline skips.
const CHECKOV_MARKER: &str = "checkov:skip=";
const TRIVY_MARKER: &str = "trivy:ignore:";
const HADOLINT_MARKER: &str = "hadolint ";

/// One `rampart:ignore` comment, or a skip of another scanner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineSuppression {
    /// Its 1-based line: a `rampart:ignore` covers this line and the next.
    pub line: u32,
    /// Rule ids it names (`all` covers every rule); for a peer's skip, the
    /// peer's check ids as [`PeerCheck::normalize`] spells them (`*`: all).
    pub rules: Vec<String>,
    /// The reason; `None` when missing (then a `rampart:ignore` suppresses
    /// nothing).
    pub reason: Option<String>,
    /// Whose comment it is.
    pub marker: Marker,
}

/// Whose inline suppression a comment is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Marker {
    /// `rampart:ignore IDS reason`.
    Rampart,
    /// `checkov:skip=ID[:reason]`.
    Checkov,
    /// `trivy:ignore:ID[:exp:YYYY-MM-DD][:ws:NAME]`.
    Trivy {
        /// The day after which it stops suppressing.
        #[serde(skip)]
        expires: Option<jiff::civil::Date>,
        /// Whether it is scoped to a workspace other than `default`.
        other_workspace: bool,
    },
    /// `# hadolint ignore=IDS` (the next line) or `# hadolint global
    /// ignore=IDS` (the whole file).
    Hadolint {
        /// Whether it covers the whole file.
        global: bool,
    },
}

/// Which rules declare which checks of other scanners their equivalent:
/// how a peer's skip finds the rules it suppresses.
#[derive(Debug, Clone, Default)]
pub struct PeerIndex {
    rules: BTreeMap<PeerCheck, Vec<String>>,
}

impl PeerIndex {
    /// The index of the rules of these packs.
    pub fn new<'a>(rules: impl IntoIterator<Item = &'a crate::rule::RuleMetadata>) -> Self {
        let mut index = PeerIndex::default();
        for rule in rules {
            for peer in &rule.equivalents {
                index
                    .rules
                    .entry(peer.clone())
                    .or_default()
                    .push(rule.id.clone());
            }
        }
        index
    }

    /// The rules that stand for `tool`'s checks matching `pattern`: an id,
    /// or a prefix ending in `*` (`CKV_AWS_*`), in the order of the packs.
    pub fn rules_for(&self, tool: &str, pattern: &str) -> Vec<&str> {
        let pattern = PeerCheck::normalize(tool, pattern);
        let mut out: Vec<&str> = Vec::new();
        for (peer, rules) in &self.rules {
            let matches = match pattern.strip_suffix('*') {
                Some(prefix) => peer.id.starts_with(prefix),
                None => peer.id == pattern,
            };
            if peer.tool == tool && matches {
                for rule in rules {
                    if !out.contains(&rule.as_str()) {
                        out.push(rule);
                    }
                }
            }
        }
        out
    }

    /// Whether a skip of `tool`'s check `id` (`*`: every check) covers
    /// the rule `rule_id`.
    fn covers(&self, tool: &str, id: &str, rule_id: &str) -> bool {
        if id == "*" {
            return self
                .rules
                .iter()
                .any(|(peer, rules)| peer.tool == tool && rules.iter().any(|r| r == rule_id));
        }
        let peer = PeerCheck {
            tool: tool.to_owned(),
            id: id.to_owned(),
        };
        self.rules
            .get(&peer)
            .is_some_and(|rules| rules.iter().any(|r| r == rule_id))
    }
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
    let ours = text.contains(MARKER);
    let peers = text.contains(CHECKOV_MARKER)
        || text.contains(TRIVY_MARKER)
        || text.contains(HADOLINT_MARKER);
    if !ours && !peers {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let number = u32::try_from(k + 1).unwrap_or(u32::MAX);
        if peers {
            peer_skips(line, number, &mut out);
        }
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
            line: number,
            rules,
            reason: (!reason.is_empty()).then(|| reason.to_owned()),
            marker: Marker::Rampart,
        });
    }
    out
}

/// The Checkov, Trivy and hadolint skips of one line (a line may hold
/// several).
///
/// ```
/// use rampart_core::suppress::{inline_suppressions, Marker};
/// let found = inline_suppressions(
///     "  #checkov:skip=CKV_AWS_21:rebuilt from git\n# trivy:ignore:AVD-AWS-0086 trivy:ignore:aws-0087:exp:2020-01-01\n# hadolint ignore=DL3008, dl3015\n",
/// );
/// assert_eq!(found[0].rules, ["CKV_AWS_21"]);
/// assert_eq!(found[0].reason.as_deref(), Some("rebuilt from git"));
/// assert_eq!((found[1].line, found[1].rules[0].as_str()), (2, "AWS-0086"));
/// assert!(matches!(found[2].marker, Marker::Trivy { expires: Some(_), .. }));
/// assert_eq!(found[3].rules, ["DL3008", "DL3015"]);
/// assert_eq!(found[3].marker, Marker::Hadolint { global: false });
/// ```
fn peer_skips(line: &str, number: u32, out: &mut Vec<InlineSuppression>) {
    hadolint_skip(line, number, out);
    let mut rest = line;
    while let Some(at) = rest.find(CHECKOV_MARKER) {
        let after = &rest[at + CHECKOV_MARKER.len()..];
        // `CKV_AWS_21:reason`, the reason running to the end of the line
        // (Checkov's own reading); `CKV_AWS_21,CKV_AWS_18` is not Checkov
        // syntax, so only the first id is taken.
        let (id, reason) = after.split_once(':').unwrap_or((after, ""));
        let id = id
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        let reason = reason
            .trim()
            .trim_end_matches("-->")
            .trim_end_matches("*/")
            .trim();
        if !id.is_empty() {
            out.push(InlineSuppression {
                line: number,
                rules: vec![PeerCheck::normalize("checkov", id)],
                reason: (!reason.is_empty()).then(|| reason.to_owned()),
                marker: Marker::Checkov,
            });
        }
        rest = after;
    }
    let mut rest = line;
    while let Some(at) = rest.find(TRIVY_MARKER) {
        let after = &rest[at + TRIVY_MARKER.len()..];
        let word = after.split_whitespace().next().unwrap_or("");
        let mut parts = word.split(':');
        let id = parts.next().unwrap_or("");
        let (mut expires, mut other_workspace) = (None, false);
        while let Some(key) = parts.next() {
            let value = parts.next().unwrap_or("");
            match key {
                "exp" => expires = jiff::civil::Date::strptime("%Y-%m-%d", value).ok(),
                "ws" => other_workspace = value != "default" && value != "*",
                _ => {}
            }
        }
        if !id.is_empty() {
            let id = if id == "*" {
                id.to_owned()
            } else {
                PeerCheck::normalize("trivy", id)
            };
            out.push(InlineSuppression {
                line: number,
                rules: vec![id],
                reason: None,
                marker: Marker::Trivy {
                    expires,
                    other_workspace,
                },
            });
        }
        rest = after;
    }
}

/// hadolint's pragma: a whole comment line `# hadolint [global]
/// ignore=ID[,ID…]` (hadolint reads it only as a comment of its own).
fn hadolint_skip(line: &str, number: u32, out: &mut Vec<InlineSuppression>) {
    let Some(comment) = line.trim_start().strip_prefix('#') else {
        return;
    };
    let Some(pragma) = comment.trim_start().strip_prefix(HADOLINT_MARKER) else {
        return;
    };
    let pragma = pragma.trim_start();
    let (global, pragma) = match pragma.strip_prefix("global ") {
        Some(rest) => (true, rest.trim_start()),
        None => (false, pragma),
    };
    let Some(ids) = pragma.strip_prefix("ignore=") else {
        return;
    };
    // `ignore=DL3008, DL3015` is accepted by hadolint too: the list runs to
    // the end of the line.
    let rules: Vec<String> = ids
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty() && !id.contains(char::is_whitespace))
        .map(|id| PeerCheck::normalize("hadolint", id))
        .collect();
    if !rules.is_empty() {
        out.push(InlineSuppression {
            line: number,
            rules,
            reason: None,
            marker: Marker::Hadolint { global },
        });
    }
}

/// Marks the findings of one file that its inline suppressions cover;
/// returns warnings for `rampart:ignore`s without a reason and for expired
/// Trivy ignores.
///
/// `resources` gives each finding's resource its lines in this file (the
/// scope of a Checkov skip, and of a Trivy ignore above a block); `peers`
/// which rules a peer's check id stands for.
pub fn apply_inline(
    path: &str,
    findings: &mut [Finding],
    suppressions: &[InlineSuppression],
    resources: &BTreeMap<&str, Region>,
    peers: &PeerIndex,
    today: jiff::civil::Date,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let warning = |line: u32, message: String| {
        Diagnostic::file(Level::Warning, DiagnosticKind::Suppression, path, message)
            .at(Region::line(line, 1, 1))
    };
    if let Some(first_ignored) = suppressions.get(MAX_INLINE_SUPPRESSIONS) {
        diagnostics.push(warning(
            first_ignored.line,
            format!(
                "{} inline suppressions: only the first {MAX_INLINE_SUPPRESSIONS} are applied, from this line on none is; suppress in rampart.yaml instead",
                suppressions.len()
            ),
        ));
    }
    for suppression in suppressions.iter().take(MAX_INLINE_SUPPRESSIONS) {
        let justification = match &suppression.marker {
            Marker::Rampart => {
                let Some(reason) = &suppression.reason else {
                    let ids = suppression.rules.join(",");
                    diagnostics.push(warning(
                        suppression.line,
                        format!(
                            "`{MARKER} {ids}` has no reason and suppresses nothing: write `{MARKER} {ids} <why this is acceptable>`"
                        ),
                    ));
                    continue;
                };
                reason.clone()
            }
            Marker::Checkov => {
                let id = suppression.rules.join(",");
                match &suppression.reason {
                    Some(reason) => format!("{reason} (checkov:skip={id})"),
                    None => format!("checkov:skip={id}, no reason given"),
                }
            }
            Marker::Trivy {
                expires,
                other_workspace,
            } => {
                let id = suppression.rules.join(",");
                if *other_workspace {
                    continue;
                }
                if let Some(expires) = expires
                    && *expires < today
                {
                    diagnostics.push(warning(
                        suppression.line,
                        format!(
                            "`trivy:ignore:{id}` expired on {expires}: its findings count again; fix them or renew the date"
                        ),
                    ));
                    continue;
                }
                format!("trivy:ignore:{id}")
            }
            Marker::Hadolint { global } => {
                let ids = suppression.rules.join(",");
                if *global {
                    format!("hadolint global ignore={ids}")
                } else {
                    format!("hadolint ignore={ids}")
                }
            }
        };
        for finding in findings.iter_mut() {
            if finding.path != path || finding.suppression.is_some() {
                continue;
            }
            let Some(line) = finding.region.map(|r| r.start_line) else {
                continue;
            };
            let resource = resources.get(finding.resource_id.as_str());
            let at = suppression.line;
            let (covers_line, covers_rule) = match &suppression.marker {
                Marker::Rampart => (
                    line == at || line == at + 1,
                    suppression
                        .rules
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case(&finding.rule_id) || r == "all"),
                ),
                Marker::Checkov => (
                    resource.is_some_and(|r| r.start_line <= at && at <= r.end_line),
                    suppression
                        .rules
                        .iter()
                        .any(|id| peers.covers("checkov", id, &finding.rule_id)),
                ),
                Marker::Trivy { .. } => (
                    line == at
                        || line == at + 1
                        || resource.is_some_and(|r| r.start_line == at || r.start_line == at + 1),
                    suppression
                        .rules
                        .iter()
                        .any(|id| peers.covers("trivy", id, &finding.rule_id)),
                ),
                Marker::Hadolint { global } => (
                    *global || line == at + 1,
                    suppression
                        .rules
                        .iter()
                        .any(|id| peers.covers("hadolint", id, &finding.rule_id)),
                ),
            };
            if covers_line && covers_rule {
                finding.suppression = Some(Suppression {
                    kind: SuppressionKind::InSource,
                    justification: justification.clone(),
                });
            }
        }
    }
    diagnostics
}
