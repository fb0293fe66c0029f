//! Glue between a [`Pack`] and the generated bindings. Used by
//! [`export_pack!`](crate::export_pack); not part of the stable API.

use crate::bindings::exports::rampart::policy::detectors::Detector as WitDetector;
use crate::bindings::exports::rampart::policy::pack::{Finding, PackInfo, Resource as WitResource};
use crate::bindings::rampart::policy::types::{Control as WitControl, Rule as WitRule};
use crate::context::{BatchMemo, Context, Memo, to_wit};
use crate::rule::Pack;
use crate::{Document, Resource};
use serde_json::Value;

/// Converts the pack's rule table to the WIT `pack-info`.
pub fn metadata(pack: &Pack) -> PackInfo {
    PackInfo {
        name: pack.name.to_owned(),
        version: pack.version.to_owned(),
        description: pack.description.to_owned(),
        rules: pack
            .rules
            .iter()
            .map(|rule| WitRule {
                id: rule.id.to_owned(),
                title: rule.title.to_owned(),
                description: rule.description.to_owned(),
                severity: to_wit(rule.severity),
                help: rule.help.to_owned(),
                help_uri: rule.help_uri.map(str::to_owned),
                remediation: rule.remediation.to_owned(),
                tags: rule
                    .tags
                    .iter()
                    .chain(rule.equivalents)
                    .map(|t| (*t).to_owned())
                    .collect(),
                compliance: rule
                    .compliance
                    .iter()
                    .map(|c| WitControl {
                        framework: c.framework.to_owned(),
                        id: c.id.to_owned(),
                    })
                    .collect(),
                kinds: rule.kinds.iter().map(|k| (*k).to_owned()).collect(),
            })
            .collect(),
    }
}

/// Converts the pack's detectors to the WIT `detector`s.
pub fn detectors(detectors: &[crate::Detector]) -> Vec<WitDetector> {
    detectors
        .iter()
        .map(|detector| WitDetector {
            rule_id: detector.rule.to_owned(),
            keywords: detector.keywords.iter().map(|k| (*k).to_owned()).collect(),
            pattern: detector.pattern.to_owned(),
        })
        .collect()
}

/// `evaluate` as exported from a component: settings come from the host.
pub fn evaluate_exported(pack: &Pack, resources: Vec<WitResource>) -> Result<Vec<Finding>, String> {
    // Settings are fixed for the life of an instance, and instances are
    // reused across many calls: parse them once.
    static SETTINGS: std::sync::OnceLock<Result<Value, String>> = std::sync::OnceLock::new();
    let settings = SETTINGS.get_or_init(|| {
        let text = host_settings();
        serde_json::from_str(&text).map_err(|e| format!("pack settings are not valid JSON: {e}"))
    });
    let settings = settings.as_ref().map_err(Clone::clone)?;
    // Nothing of the previous call is left: its documents were dropped.
    crate::arena::reset();
    let resources = resources
        .into_iter()
        .map(|r| {
            let document = crate::arena::scope(|| Document::parse(r.document))
                .map_err(|e| format!("resource `{}`: document is not valid JSON: {e}", r.id))?;
            Ok(Resource {
                id: r.id,
                kind: r.kind,
                source: r.source,
                document,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let findings = evaluate(pack, &resources, settings);
    Ok(findings)
}

/// Runs every applicable rule on every resource of the batch.
pub fn evaluate(pack: &Pack, resources: &[Resource], settings: &Value) -> Vec<Finding> {
    let out = std::cell::RefCell::new(Vec::new());
    // A batch is nearly always of one kind: which rules apply is worked
    // out again only when the kind changes (a string compare per rule and
    // resource showed in profiles).
    let mut applicable: (Option<&str>, Vec<&crate::Rule>) = (None, Vec::new());
    let batch_memo = BatchMemo::default();
    for resource in resources {
        if applicable.0 != Some(resource.kind.as_str()) {
            applicable = (
                Some(resource.kind.as_str()),
                pack.rules
                    .iter()
                    .filter(|r| r.applies_to(&resource.kind))
                    .collect(),
            );
        }
        let memo = Memo::default();
        for &rule in &applicable.1 {
            let mut cx = Context {
                rule,
                resource,
                batch: resources,
                settings,
                out: &out,
                memo: &memo,
                batch_memo: &batch_memo,
            };
            (rule.check)(resource, &mut cx);
        }
    }
    out.into_inner()
}

#[cfg(target_arch = "wasm32")]
fn host_settings() -> String {
    crate::bindings::rampart::policy::host::settings()
}

#[cfg(not(target_arch = "wasm32"))]
fn host_settings() -> String {
    "{}".to_owned()
}
