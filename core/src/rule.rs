//! What a rule and a pack are, as the host and every report see them: the
//! model's side of `metadata()` (policy/metadata.rs converts and checks what
//! a pack returns into these), so reports and fixtures need nothing of the
//! policy runtime to describe a rule.

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

/// `framework id`, e.g. `CIS-Kubernetes-1.9 5.2.2`: how every report and
/// listing names a control.
impl std::fmt::Display for ComplianceControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.framework, self.id)
    }
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
