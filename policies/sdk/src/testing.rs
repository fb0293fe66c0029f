//! Run a pack natively, without WebAssembly: for unit tests of rules.
//!
//! The host adds line numbers and checks findings against the rule table;
//! here you get the raw findings (rule, resource, pointer, message) so that
//! a rule's logic can be tested in milliseconds with `cargo test`.

use crate::bindings::exports::rampart::policy::pack::Finding;
use crate::rule::Pack;
use crate::{Resource, Value};

/// Evaluates `pack` on `resources` with empty settings.
///
/// Fails if the pack's rule table is inconsistent (duplicate or empty ids),
/// the same check the host makes when it loads the component.
pub fn evaluate(pack: &Pack, resources: &[Resource]) -> Result<Vec<Finding>, String> {
    evaluate_with_settings(pack, resources, &Value::Object(Default::default()))
}

/// Evaluates `pack` on `resources` with the given settings.
pub fn evaluate_with_settings(
    pack: &Pack,
    resources: &[Resource],
    settings: &Value,
) -> Result<Vec<Finding>, String> {
    let mut seen = std::collections::BTreeSet::new();
    for rule in pack.rules {
        if rule.id.is_empty() {
            return Err(format!("pack `{}` has a rule with an empty id", pack.name));
        }
        if !seen.insert(rule.id) {
            return Err(format!(
                "pack `{}` declares rule `{}` twice",
                pack.name, rule.id
            ));
        }
    }
    Ok(crate::runtime::evaluate(pack, resources, settings))
}
