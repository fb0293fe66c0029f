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

/// A check of another scanner that a rule is the equivalent of: its
/// inline skips (`#checkov:skip=CKV_AWS_16:…`, `#trivy:ignore:AWS-0080`)
/// suppress the rule, and reports name it, so that a team can switch
/// without rewriting its suppressions.
///
/// A pack declares one as a tag `tool:ID` (`checkov:CKV_AWS_16`,
/// `trivy:AWS-0080`): a tag keeps the ABI as it is, and every guest
/// language can write one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PeerCheck {
    /// The scanner: one of [`PeerCheck::TOOLS`].
    pub tool: String,
    /// Its check id as that tool prints it (`CKV_AWS_16`, `AWS-0080`).
    pub id: String,
}

impl PeerCheck {
    /// The scanners whose check ids a rule can declare.
    pub const TOOLS: &'static [&'static str] = &["checkov", "trivy", "hadolint"];

    /// The peer check a tag declares, if it is one (`checkov:CKV_AWS_16`).
    ///
    /// ```
    /// use rampart_core::rule::PeerCheck;
    /// let check = PeerCheck::from_tag("trivy:AVD-AWS-0080").unwrap();
    /// assert_eq!((check.tool.as_str(), check.id.as_str()), ("trivy", "AWS-0080"));
    /// assert!(PeerCheck::from_tag("aws").is_none());
    /// ```
    pub fn from_tag(tag: &str) -> Option<PeerCheck> {
        let (tool, id) = tag.split_once(':')?;
        let tool = Self::TOOLS.iter().find(|t| t.eq_ignore_ascii_case(tool))?;
        let id = Self::normalize(tool, id.trim());
        let valid = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        valid.then(|| PeerCheck {
            tool: (*tool).to_owned(),
            id,
        })
    }

    /// One spelling per check: Trivy printed `AVD-AWS-0080` before it
    /// printed `AWS-0080`, and skip comments use both; ids compare without
    /// case.
    pub fn normalize(tool: &str, id: &str) -> String {
        let id = id.to_ascii_uppercase();
        match (tool, id.strip_prefix("AVD-")) {
            ("trivy", Some(rest)) => rest.to_owned(),
            _ => id,
        }
    }
}

/// `checkov:CKV_AWS_16`: the tag that declares it.
impl std::fmt::Display for PeerCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.tool, self.id)
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
    /// Free-form tags (without the [`PeerCheck`] ones).
    pub tags: Vec<String>,
    /// Compliance controls.
    pub compliance: Vec<ComplianceControl>,
    /// The checks of other scanners this rule is the equivalent of.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub equivalents: Vec<PeerCheck>,
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

/// Text a rule asks the host to find for it (a pack's `detectors`,
/// `rampart:policy` 0.1.1), checked and compiled at load: the inventory
/// runs it on every text file and hands the matches to the pack as
/// candidates of the file's `text` resource (docs/kinds/text.md).
#[derive(Debug, Clone)]
pub struct Detector {
    rule_id: String,
    keywords: Vec<String>,
    regex: regex::bytes::Regex,
}

impl Detector {
    /// A detector of `rule_id`; the pattern already compiled (on bytes:
    /// a file need not be UTF-8 to hold a secret).
    pub fn new(rule_id: String, keywords: Vec<String>, regex: regex::bytes::Regex) -> Self {
        Detector {
            rule_id,
            keywords,
            regex,
        }
    }

    /// The rule whose candidates the matches are.
    pub fn rule_id(&self) -> &str {
        &self.rule_id
    }

    /// Words of which one must occur in a text (compared without case) for
    /// the pattern to be run on it; empty: run on every text.
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }

    /// The pattern, compiled.
    pub fn regex(&self) -> &regex::bytes::Regex {
        &self.regex
    }

    /// The pattern as the pack wrote it.
    pub fn pattern(&self) -> &str {
        self.regex.as_str()
    }
}
