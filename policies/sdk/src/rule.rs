//! Rules and packs as data.

use crate::Resource;
use crate::context::Context;

/// How bad a finding is, from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational: worth knowing, not a problem by itself.
    Info,
    /// Hardening advice.
    Low,
    /// A weakness an attacker could combine with others.
    Medium,
    /// A direct path to compromise or data exposure.
    High,
    /// Exploitable as it stands, with severe impact.
    Critical,
}

/// A control of a compliance framework, e.g. `CIS-Kubernetes-1.9` / `5.2.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    /// Framework and version, e.g. `CIS-Kubernetes-1.9`, `NSA-Kubernetes-Hardening`.
    pub framework: &'static str,
    /// Control id within the framework, e.g. `5.2.2`.
    pub id: &'static str,
}

impl Control {
    /// A control, usable in `const`/`static` rule tables.
    pub const fn new(framework: &'static str, id: &'static str) -> Self {
        Control { framework, id }
    }
}

/// The function that checks one resource for one rule.
///
/// It reads the resource through [`Resource::root`] and reports with
/// [`Context::report`]; the rule id and resource id are filled in for it.
pub type Check = fn(&Resource, &mut Context<'_>);

/// One rule: metadata plus the check.
///
/// Start from [`Rule::DEFAULT`] so that optional fields can be left out:
///
/// ```
/// use rampart_policy::{Rule, Severity};
/// static RULE: Rule = Rule {
///     id: "X-001",
///     title: "Example",
///     severity: Severity::Low,
///     kinds: &["k8s"],
///     check: |_resource, _cx| {},
///     ..Rule::DEFAULT
/// };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id, unique within the pack: letters, digits, `-`, `_`, `.`.
    pub id: &'static str,
    /// One-line headline.
    pub title: &'static str,
    /// What the rule checks and why it matters.
    pub description: &'static str,
    /// Default severity of the rule's findings.
    pub severity: Severity,
    /// Longer help in Markdown.
    pub help: &'static str,
    /// Link to further documentation.
    pub help_uri: Option<&'static str>,
    /// How to fix a finding.
    pub remediation: &'static str,
    /// Free-form tags.
    pub tags: &'static [&'static str],
    /// Compliance controls the rule maps to.
    pub compliance: &'static [Control],
    /// Resource kinds the rule applies to; empty means every kind.
    pub kinds: &'static [&'static str],
    /// The checks of other scanners this rule is the equivalent of, as
    /// `tool:ID` (`checkov:CKV_AWS_16`, `trivy:AWS-0080`): their inline
    /// skips suppress this rule, and reports name them. They reach the
    /// host as tags of that form.
    pub equivalents: &'static [&'static str],
    /// The check itself.
    pub check: Check,
}

impl Rule {
    /// A rule with every field empty and a check that reports nothing.
    pub const DEFAULT: Rule = Rule {
        id: "",
        title: "",
        description: "",
        severity: Severity::Medium,
        help: "",
        help_uri: None,
        remediation: "",
        tags: &[],
        compliance: &[],
        kinds: &[],
        equivalents: &[],
        check: |_, _| {},
    };

    /// Whether the rule looks at resources of `kind`.
    pub fn applies_to(&self, kind: &str) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }
}

/// A policy pack: a named, versioned list of rules.
#[derive(Debug, Clone, Copy)]
pub struct Pack {
    /// Pack name: letters, digits, `-` and `_`.
    pub name: &'static str,
    /// Pack version (semver).
    pub version: &'static str,
    /// One paragraph describing the pack.
    pub description: &'static str,
    /// The rules, in the order they are documented.
    pub rules: &'static [Rule],
}

/// Text a rule asks the host to find for it: how secrets are found at the
/// speed of a grep. The host looks for every detector's keywords in each
/// text file at once, runs the pattern natively where one occurs, and
/// hands each match to the pack as a candidate of the file's `text`
/// resource (`docs/kinds/text.md`), for the rule's check to judge.
///
/// ```
/// use rampart_policy::Detector;
/// const GITHUB_TOKEN: Detector = Detector {
///     rule: "SEC-010",
///     keywords: &["ghp_"],
///     pattern: r"\b(?P<secret>ghp_[A-Za-z0-9]{36})\b",
/// };
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detector {
    /// The id of the rule whose candidates the matches are.
    pub rule: &'static str,
    /// Words of which one must occur in a text (compared without case) for
    /// the pattern to be run on it, e.g. `ghp_`; empty: run on every text.
    pub keywords: &'static [&'static str],
    /// A regular expression in Rust `regex` syntax (no look-around, no
    /// backreferences). A group named `secret` marks the value; without
    /// one the whole match is the value.
    pub pattern: &'static str,
}
