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
    pub(crate) batch_memo: &'a BatchMemo,
}

/// What [`Context::batch_memo`] has worked out for the current batch, by
/// the function that worked it out.
#[derive(Default)]
pub(crate) struct BatchMemo {
    entries: std::cell::RefCell<Vec<(usize, std::rc::Rc<dyn std::any::Any>)>>,
}

impl std::fmt::Debug for BatchMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchMemo")
            .field("entries", &self.entries.borrow().len())
            .finish()
    }
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
    ///
    /// Looking through the batch for every resource is quadratic: a file
    /// of 4,000 buckets and 4,000 access blocks is 16 million lookups.
    /// Relate resources through an index made once per batch instead
    /// ([`batch_memo`](Self::batch_memo)).
    pub fn batch(&self) -> &'a [Resource] {
        self.batch
    }

    /// `build(batch)`, worked out once per batch and shared by every rule
    /// and resource that asks with the same function: an index of the
    /// batch (resources by type, by name, by what they refer to) that
    /// makes relating resources linear instead of quadratic. The value
    /// owns its data (indices into [`batch`](Self::batch), owned strings).
    ///
    /// ```
    /// use rampart_policy::{Context, Resource};
    /// use std::collections::BTreeSet;
    /// fn names(batch: &[Resource]) -> BTreeSet<String> {
    ///     batch.iter().filter_map(|r| r.root().get("name").as_str().map(str::to_owned)).collect()
    /// }
    /// fn check(resource: &Resource, cx: &mut Context) {
    ///     let wanted = resource.root().get("needs");
    ///     if let Some(needed) = wanted.as_str() {
    ///         if !cx.batch_memo(names).contains(needed) {
    ///             cx.report(&wanted, format!("nothing in this file is named {needed}"));
    ///         }
    ///     }
    /// }
    /// ```
    pub fn batch_memo<T: 'static>(&self, build: fn(&'a [Resource]) -> T) -> std::rc::Rc<T> {
        // Keyed by the function's address (as `memo`): one function, one
        // type, one value per batch.
        let key = build as usize;
        if let Some((_, found)) = self
            .batch_memo
            .entries
            .borrow()
            .iter()
            .find(|(k, _)| *k == key)
            && let Ok(found) = std::rc::Rc::clone(found).downcast::<T>()
        {
            return found;
        }
        let built = std::rc::Rc::new(build(self.batch));
        self.batch_memo.entries.borrow_mut().push((
            key,
            std::rc::Rc::clone(&built) as std::rc::Rc<dyn std::any::Any>,
        ));
        built
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

    thread_local! {
        static BUILDS: Cell<usize> = const { Cell::new(0) };
    }

    fn kinds_named(batch: &[Resource]) -> std::collections::BTreeSet<String> {
        BUILDS.with(|n| n.set(n.get() + 1));
        batch
            .iter()
            .filter_map(|r| r.root().get("kind").as_str().map(str::to_owned))
            .collect()
    }

    fn wants_a_service(resource: &Resource, cx: &mut Context) {
        if resource.root().get("kind").as_str() == Some("Deployment")
            && !cx.batch_memo(kinds_named).contains("Service")
        {
            cx.report(&resource.root(), "no Service in this file");
        }
    }

    fn wants_a_config_map(resource: &Resource, cx: &mut Context) {
        if resource.root().get("kind").as_str() == Some("Deployment")
            && !cx.batch_memo(kinds_named).contains("ConfigMap")
        {
            cx.report(&resource.root(), "no ConfigMap in this file");
        }
    }

    static BATCH_PACK: Pack = Pack {
        name: "batch",
        version: "0.1.0",
        description: "",
        rules: &[
            Rule {
                id: "S",
                check: wants_a_service,
                ..Rule::DEFAULT
            },
            Rule {
                id: "C",
                check: wants_a_config_map,
                ..Rule::DEFAULT
            },
        ],
    };

    #[test]
    fn batch_memo_builds_once_per_batch_for_every_rule_and_resource() {
        let batch = |kinds: &[&str]| -> Vec<Resource> {
            kinds
                .iter()
                .enumerate()
                .map(|(i, kind)| {
                    Resource::new(format!("r{i}"), "k8s", &format!(r#"{{"kind": "{kind}"}}"#))
                        .unwrap()
                })
                .collect()
        };
        BUILDS.with(|n| n.set(0));
        let found = crate::testing::evaluate(
            &BATCH_PACK,
            &batch(&["Deployment", "Deployment", "Service", "Deployment"]),
        )
        .unwrap();
        assert_eq!(BUILDS.with(Cell::get), 1);
        let ids: Vec<(&str, &str)> = found
            .iter()
            .map(|f| (f.rule_id.as_str(), f.resource_id.as_str()))
            .collect();
        assert_eq!(ids, [("C", "r0"), ("C", "r1"), ("C", "r3")]);
        // A new batch gets a new index.
        let found =
            crate::testing::evaluate(&BATCH_PACK, &batch(&["Deployment", "ConfigMap"])).unwrap();
        assert_eq!(BUILDS.with(Cell::get), 2);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule_id, "S");
    }

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
