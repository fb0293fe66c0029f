//! A pack built against `rampart:policy@0.1.0` (`wit/policy.wit` is that
//! release's WIT, frozen): what every later `0.1.x` host must keep
//! loading. It has no `detectors` export, the interface 0.1.1 added. Rule
//! `LEGACY-001` reports every resource whose document has `"flag": true`.

// Natively (for `cargo test --workspace`) nothing is exported, so nothing is used.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

wit_bindgen::generate!({
    path: "wit",
    world: "policy",
});

use exports::rampart::policy::pack::{Finding, Guest, PackInfo, Resource};
use rampart::policy::types::{Rule, Severity};

struct Legacy;

impl Guest for Legacy {
    fn metadata() -> PackInfo {
        PackInfo {
            name: "legacy".to_owned(),
            version: "0.1.0".to_owned(),
            description: "Built against rampart:policy@0.1.0.".to_owned(),
            rules: vec![Rule {
                id: "LEGACY-001".to_owned(),
                title: "Flag is set".to_owned(),
                description: "Reports documents with `flag: true`.".to_owned(),
                severity: Severity::Low,
                help: String::new(),
                help_uri: None,
                remediation: "Unset the flag.".to_owned(),
                tags: vec![],
                compliance: vec![],
                kinds: vec![],
            }],
        }
    }

    fn evaluate(resources: Vec<Resource>) -> Result<Vec<Finding>, String> {
        Ok(resources
            .iter()
            .filter(|r| r.document.contains("\"flag\":true"))
            .map(|r| Finding {
                rule_id: "LEGACY-001".to_owned(),
                resource_id: r.id.clone(),
                pointer: "/flag".to_owned(),
                message: "flag is set".to_owned(),
                severity: None,
                fix: None,
            })
            .collect())
    }
}

#[cfg(target_arch = "wasm32")]
export!(Legacy);
