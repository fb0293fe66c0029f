//! A pack's metadata as the host keeps it, checked once at load.

use super::bindings::rampart::policy::types::{self as wit};
use crate::Severity;
use serde::Serialize;

/// A compliance control a rule maps to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ComplianceControl {
    /// Framework and version, e.g. `CIS-Kubernetes-1.9`.
    pub framework: String,
    /// Control id, e.g. `5.2.2`.
    pub id: String,
}

/// One rule of a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleMetadata {
    /// Stable id, unique within the pack.
    pub id: String,
    /// One-line headline.
    pub title: String,
    /// What the rule checks and why.
    pub description: String,
    /// Default severity.
    pub severity: Severity,
    /// Longer help (Markdown).
    pub help: String,
    /// Link to further documentation.
    pub help_uri: Option<String>,
    /// How to fix a finding.
    pub remediation: String,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// Compliance controls.
    pub compliance: Vec<ComplianceControl>,
    /// Resource kinds the rule applies to; empty means every kind.
    pub kinds: Vec<String>,
}

/// A pack: name, version, rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackMetadata {
    /// Pack name.
    pub name: String,
    /// Pack version.
    pub version: String,
    /// What the pack covers.
    pub description: String,
    /// Rules in declaration order.
    pub rules: Vec<RuleMetadata>,
}

impl PackMetadata {
    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&RuleMetadata> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The kinds any rule looks at, sorted; `None` if some rule applies to
    /// every kind.
    pub fn kinds(&self) -> Option<Vec<String>> {
        if self.rules.iter().any(|r| r.kinds.is_empty()) {
            return None;
        }
        let mut kinds: Vec<String> = self
            .rules
            .iter()
            .flat_map(|r| r.kinds.iter().cloned())
            .collect();
        kinds.sort();
        kinds.dedup();
        Some(kinds)
    }

    /// Whether some rule of the pack applies to resources of `kind`.
    pub fn wants_kind(&self, kind: &str) -> bool {
        self.rules
            .iter()
            .any(|r| r.kinds.is_empty() || r.kinds.iter().any(|k| k == kind))
    }
}

pub(crate) fn severity_from_wit(severity: wit::Severity) -> Severity {
    match severity {
        wit::Severity::Info => Severity::Info,
        wit::Severity::Low => Severity::Low,
        wit::Severity::Medium => Severity::Medium,
        wit::Severity::High => Severity::High,
        wit::Severity::Critical => Severity::Critical,
    }
}

/// Converts and checks what `metadata()` returned. Errors describe every
/// problem found, so the pack author can fix them in one go.
pub(crate) fn from_wit(info: wit::PackInfo) -> Result<PackMetadata, Vec<String>> {
    let mut problems = Vec::new();
    if !is_name(&info.name, false) {
        problems.push(format!(
            "pack name `{}` is invalid: use 1–64 letters, digits, `-` or `_`",
            info.name
        ));
    }
    if info.version.trim().is_empty() {
        problems.push("pack version is empty".to_owned());
    }
    let mut seen = std::collections::BTreeSet::new();
    for rule in &info.rules {
        if !is_name(&rule.id, true) {
            problems.push(format!(
                "rule id `{}` is invalid: use 1–64 letters, digits, `-`, `_` or `.`",
                rule.id
            ));
        } else if !seen.insert(rule.id.clone()) {
            problems.push(format!("rule id `{}` is declared twice", rule.id));
        }
        if rule.title.trim().is_empty() {
            problems.push(format!("rule `{}` has no title", rule.id));
        }
        if rule.kinds.iter().any(|k| k.trim().is_empty()) {
            problems.push(format!("rule `{}` names an empty resource kind", rule.id));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(PackMetadata {
        name: info.name,
        version: info.version,
        description: info.description,
        rules: info
            .rules
            .into_iter()
            .map(|r| RuleMetadata {
                id: r.id,
                title: r.title,
                description: r.description,
                severity: severity_from_wit(r.severity),
                help: r.help,
                help_uri: r.help_uri,
                remediation: r.remediation,
                tags: r.tags,
                compliance: r
                    .compliance
                    .into_iter()
                    .map(|c| ComplianceControl {
                        framework: c.framework,
                        id: c.id,
                    })
                    .collect(),
                kinds: r.kinds,
            })
            .collect(),
    })
}

fn is_name(s: &str, allow_dot: bool) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || (allow_dot && c == '.'))
}
