//! `rampart merge`: SARIF logs of several shards (jobs that each scanned a
//! part of a repository) combined into one log with one run per tool and
//! category, which is what GitHub code scanning expects of one upload.

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Why logs cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct MergeError {
    /// The log (file name) at fault.
    pub source_name: String,
    /// What is wrong with it.
    pub message: String,
}

/// The key runs are grouped by: tool name and `automationDetails.id`.
fn run_key(run: &Value) -> (String, String) {
    let tool = run["tool"]["driver"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let category = run["automationDetails"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (tool, category)
}

/// Merges SARIF 2.1.0 logs, given with a name each (for errors).
///
/// Runs of the same tool and category become one: rules are united by id
/// (result `ruleIndex`es remapped), results concatenated without
/// duplicates (same rule, location and fingerprint), invocations joined
/// into one whose `executionSuccessful` is true only if all were. Runs of
/// other tools are kept as they are, grouped the same way. Output order is
/// deterministic: runs by tool and category, results by location and rule.
///
/// ```
/// use serde_json::json;
/// let shard = |uri: &str| json!({"version": "2.1.0", "runs": [{
///     "tool": {"driver": {"name": "rampart", "rules": [{"id": "K8S-001"}]}},
///     "automationDetails": {"id": "rampart/"},
///     "results": [{"ruleId": "K8S-001", "ruleIndex": 0, "message": {"text": "x"},
///                  "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]}]}]});
/// let merged = rampart_core::report::sarif_merge::merge(vec![
///     ("a.sarif".into(), shard("a.yaml")), ("b.sarif".into(), shard("b.yaml"))]).unwrap();
/// assert_eq!(merged["runs"].as_array().unwrap().len(), 1);
/// assert_eq!(merged["runs"][0]["results"].as_array().unwrap().len(), 2);
/// ```
pub fn merge(logs: Vec<(String, Value)>) -> Result<Value, MergeError> {
    let mut groups: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
    for (name, log) in logs {
        let error = |message: &str| MergeError {
            source_name: name.clone(),
            message: message.to_owned(),
        };
        if log["version"] != "2.1.0" {
            return Err(error("not a SARIF 2.1.0 log (`version` is not \"2.1.0\")"));
        }
        let runs = log["runs"]
            .as_array()
            .ok_or_else(|| error("not a SARIF log: no `runs` array"))?;
        for run in runs {
            if !run["tool"]["driver"]["name"].is_string() {
                return Err(error("a run has no `tool.driver.name`"));
            }
            groups.entry(run_key(run)).or_default().push(run.clone());
        }
    }
    let runs: Vec<Value> = groups.into_values().map(merge_runs).collect();
    Ok(json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": runs,
    }))
}

fn merge_runs(mut runs: Vec<Value>) -> Value {
    if runs.len() == 1 {
        return runs.swap_remove(0);
    }
    let mut merged = runs[0].clone();
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_at: BTreeMap<String, usize> = BTreeMap::new();
    let mut results: BTreeMap<(String, String, String, String), Value> = BTreeMap::new();
    let mut notifications: Vec<Value> = Vec::new();
    let mut successful = true;
    let mut base_ids = Map::new();
    for run in &runs {
        let run_rules = run["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut remap: Vec<usize> = Vec::with_capacity(run_rules.len());
        for rule in run_rules {
            let id = rule["id"].as_str().unwrap_or_default().to_owned();
            let at = *rule_at.entry(id).or_insert_with(|| {
                rules.push(rule.clone());
                rules.len() - 1
            });
            remap.push(at);
        }
        for result in run["results"].as_array().into_iter().flatten() {
            let mut result = result.clone();
            if let Some(index) = result["ruleIndex"].as_u64()
                && let Some(&new) = usize::try_from(index).ok().and_then(|i| remap.get(i))
            {
                result["ruleIndex"] = json!(new);
            }
            let location = &result["locations"][0]["physicalLocation"];
            let key = (
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                format!(
                    "{:010}:{:010}",
                    location["region"]["startLine"].as_u64().unwrap_or(0),
                    location["region"]["startColumn"].as_u64().unwrap_or(0)
                ),
                result["ruleId"].as_str().unwrap_or_default().to_owned(),
                result["partialFingerprints"].to_string() + &result["message"].to_string(),
            );
            results.entry(key).or_insert(result);
        }
        for invocation in run["invocations"].as_array().into_iter().flatten() {
            successful &= invocation["executionSuccessful"].as_bool().unwrap_or(true);
            notifications.extend(
                invocation["toolExecutionNotifications"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        if let Some(ids) = run["originalUriBaseIds"].as_object() {
            for (k, v) in ids {
                base_ids.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    merged["tool"]["driver"]["rules"] = Value::Array(rules);
    merged["results"] = Value::Array(results.into_values().collect());
    merged["invocations"] = json!([{
        "executionSuccessful": successful,
        "toolExecutionNotifications": notifications,
    }]);
    if !base_ids.is_empty() {
        merged["originalUriBaseIds"] = Value::Object(base_ids);
    }
    merged
}
