//! What a rule's check receives besides the resource.

use crate::bindings::exports::rampart::policy::pack::Finding;
use crate::bindings::rampart::policy::types::Severity as WitSeverity;
use crate::node::Node;
use crate::rule::{Rule, Severity};
use crate::{Resource, Value};

/// The rule's view of the evaluation: where findings go, the whole batch
/// (for rules that relate resources to each other) and the pack's settings.
#[derive(Debug)]
pub struct Context<'a> {
    pub(crate) rule: &'a Rule,
    pub(crate) resource: &'a Resource,
    pub(crate) batch: &'a [Resource],
    pub(crate) settings: &'a Value,
    pub(crate) out: &'a mut Vec<Finding>,
}

impl<'a> Context<'a> {
    /// Reports a finding of the current rule against the current resource,
    /// located at `at`. Returns a builder to add a severity override or a
    /// fix hint.
    pub fn report(&mut self, at: &Node<'_>, message: impl Into<String>) -> FindingBuilder<'_> {
        self.report_at_pointer(&at.pointer(), message)
    }

    /// Like [`report`](Self::report), with a JSON Pointer instead of a node.
    pub fn report_at_pointer(
        &mut self,
        pointer: &str,
        message: impl Into<String>,
    ) -> FindingBuilder<'_> {
        self.out.push(Finding {
            rule_id: self.rule.id.to_owned(),
            resource_id: self.resource.id.clone(),
            pointer: pointer.to_owned(),
            message: message.into(),
            severity: None,
            fix: None,
        });
        let last = self.out.len() - 1;
        FindingBuilder(&mut self.out[last])
    }

    /// Every resource of the batch (one file's, or one host's), including
    /// the current one. For rules such as "a Deployment without a
    /// PodDisruptionBudget in the same file".
    pub fn batch(&self) -> &'a [Resource] {
        self.batch
    }

    /// The pack's settings from rampart's configuration file (`{}` if none).
    pub fn settings(&self) -> &'a Value {
        self.settings
    }

    /// The rule being evaluated.
    pub fn rule(&self) -> &'a Rule {
        self.rule
    }
}

/// Adds optional parts to a finding just reported.
#[derive(Debug)]
pub struct FindingBuilder<'a>(&'a mut Finding);

impl FindingBuilder<'_> {
    /// Overrides the rule's default severity for this finding.
    pub fn severity(self, severity: Severity) -> Self {
        self.0.severity = Some(to_wit(severity));
        self
    }

    /// A short, concrete suggestion for this finding.
    pub fn fix(self, fix: impl Into<String>) -> Self {
        self.0.fix = Some(fix.into());
        self
    }
}

pub(crate) fn to_wit(severity: Severity) -> WitSeverity {
    match severity {
        Severity::Info => WitSeverity::Info,
        Severity::Low => WitSeverity::Low,
        Severity::Medium => WitSeverity::Medium,
        Severity::High => WitSeverity::High,
        Severity::Critical => WitSeverity::Critical,
    }
}
