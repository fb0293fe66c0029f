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
    /// Shared (not `&mut`) so that the contexts of one resource's rules can
    /// share one [`Memo`] of the resource's lifetime.
    pub(crate) out: &'a std::cell::RefCell<Vec<Finding>>,
    pub(crate) memo: &'a Memo<'a>,
}

/// What [`Context::memo`] has worked out for the current resource, by the
/// function that worked it out. A handful of entries at most, so they are
/// looked up one by one.
#[derive(Debug, Default)]
pub(crate) struct Memo<'a> {
    entries: std::cell::RefCell<Vec<(usize, Option<Node<'a>>)>>,
}

impl<'a> Context<'a> {
    /// Reports a finding of the current rule against the current resource,
    /// located at `at`. Returns a builder to add a severity override or a
    /// fix hint.
    pub fn report(&mut self, at: &Node<'_>, message: impl Into<String>) -> FindingBuilder<'_> {
        self.push(at.pointer(), message.into())
    }

    /// Like [`report`](Self::report), with a JSON Pointer instead of a node.
    pub fn report_at_pointer(
        &mut self,
        pointer: &str,
        message: impl Into<String>,
    ) -> FindingBuilder<'_> {
        self.push(pointer.to_owned(), message.into())
    }

    fn push(&mut self, pointer: String, message: String) -> FindingBuilder<'_> {
        let mut out = self.out.borrow_mut();
        out.push(Finding {
            rule_id: self.rule.id.to_owned(),
            resource_id: self.resource.id.clone(),
            pointer,
            message,
            severity: None,
            fix: None,
        });
        FindingBuilder(std::cell::RefMut::map(out, |out| {
            out.last_mut().expect("a finding was just pushed")
        }))
    }

    /// `find(resource)` for the current resource, worked out once and
    /// shared by every rule of the pack that asks with the same function:
    /// for the place most rules start from (a workload's pod spec, a
    /// resource's properties), which would otherwise be looked up again by
    /// each rule.
    ///
    /// ```
    /// use rampart_policy::{Context, Node, Resource};
    /// fn spec(resource: &Resource) -> Option<Node<'_>> {
    ///     let spec = resource.root().get("spec");
    ///     spec.exists().then_some(spec)
    /// }
    /// fn check(_: &Resource, cx: &mut Context) {
    ///     if let Some(spec) = cx.memo(spec) {
    ///         if spec.get("hostNetwork").is_true() {
    ///             cx.report(&spec.get("hostNetwork"), "uses the host's network");
    ///         }
    ///     }
    /// }
    /// ```
    pub fn memo(&self, find: fn(&'a Resource) -> Option<Node<'a>>) -> Option<Node<'a>> {
        // Keyed by the function's address: two copies of one function
        // only cost a second lookup, and equal addresses compute the same.
        let key = find as usize;
        if let Some((_, found)) = self.memo.entries.borrow().iter().find(|(k, _)| *k == key) {
            return found.clone();
        }
        let found = find(self.resource);
        self.memo.entries.borrow_mut().push((key, found.clone()));
        found
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
pub struct FindingBuilder<'a>(std::cell::RefMut<'a, Finding>);

impl FindingBuilder<'_> {
    /// Overrides the rule's default severity for this finding.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.0.severity = Some(to_wit(severity));
        self
    }

    /// A short, concrete suggestion for this finding.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
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

#[cfg(test)]
mod tests {
    use crate::{Context, Node, Pack, Resource, Rule};
    use std::cell::Cell;

    thread_local! {
        static LOOKUPS: Cell<usize> = const { Cell::new(0) };
    }

    fn spec(resource: &Resource) -> Option<Node<'_>> {
        LOOKUPS.with(|n| n.set(n.get() + 1));
        let spec = resource.root().get("spec");
        spec.exists().then_some(spec)
    }

    fn host_network(_: &Resource, cx: &mut Context) {
        if let Some(spec) = cx.memo(spec)
            && spec.get("hostNetwork").is_true()
        {
            cx.report(&spec.get("hostNetwork"), "host network");
        }
    }

    fn host_pid(_: &Resource, cx: &mut Context) {
        if let Some(spec) = cx.memo(spec)
            && spec.get("hostPID").is_true()
        {
            cx.report(&spec.get("hostPID"), "host PID").fix("drop it");
        }
    }

    static PACK: Pack = Pack {
        name: "memo",
        version: "0.1.0",
        description: "",
        rules: &[
            Rule {
                id: "A",
                check: host_network,
                ..Rule::DEFAULT
            },
            Rule {
                id: "B",
                check: host_pid,
                ..Rule::DEFAULT
            },
        ],
    };

    #[test]
    fn memo_works_out_once_per_resource_for_every_rule() {
        let resources = [
            Resource::new(
                "a",
                "k8s",
                r#"{"spec": {"hostNetwork": true, "hostPID": true}}"#,
            )
            .unwrap(),
            Resource::new("b", "k8s", r#"{"spec": {"hostPID": true}}"#).unwrap(),
            Resource::new("c", "k8s", r#"{"kind": "ConfigMap"}"#).unwrap(),
        ];
        LOOKUPS.with(|n| n.set(0));
        let found = crate::testing::evaluate(&PACK, &resources).unwrap();
        // Two rules, three resources: one lookup per resource, including
        // the one where it found nothing.
        assert_eq!(LOOKUPS.with(Cell::get), 3);
        let found: Vec<_> = found
            .iter()
            .map(|f| {
                (
                    f.rule_id.as_str(),
                    f.resource_id.as_str(),
                    f.pointer.as_str(),
                    f.fix.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("A", "a", "/spec/hostNetwork", None),
                ("B", "a", "/spec/hostPID", Some("drop it")),
                ("B", "b", "/spec/hostPID", Some("drop it")),
            ]
        );
    }
}
