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
fn run_key(run: &Run) -> (String, String) {
    let tool = run.field("tool")["driver"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let category = run.field("automationDetails")["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (tool, category)
}

/// Largest SARIF log read by [`merge_files`].
pub const MAX_LOG_BYTES: u64 = 4 << 30;

/// A run: its results kept as compact JSON text, everything else as it
/// came. A `Value` per result is ~30 times the size of its text: a 230 MB
/// log took over 6 GB to merge when held as values.
#[derive(Debug, Default)]
struct Run {
    fields: Map<String, Value>,
    results: Option<Vec<StoredResult>>,
}

/// One result: its merge key, its `ruleIndex`, and the rest of it.
#[derive(Debug)]
struct StoredResult {
    key: (String, String, String, String),
    rule_index: Option<u64>,
    /// The result's object without `ruleIndex`, compact JSON.
    rest: String,
}

impl StoredResult {
    fn from_value(mut result: Value) -> StoredResult {
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
        let rule_index = result["ruleIndex"].as_u64();
        if let Some(object) = result.as_object_mut() {
            object.remove("ruleIndex");
        }
        StoredResult {
            key,
            rule_index,
            rest: result.to_string(),
        }
    }

    fn to_value(&self) -> Value {
        let mut value: Value = serde_json::from_str(&self.rest).unwrap_or(Value::Null);
        if let (Some(index), Some(object)) = (self.rule_index, value.as_object_mut()) {
            object.insert("ruleIndex".to_owned(), json!(index));
        }
        value
    }
}

impl Run {
    fn from_value(run: Value) -> Run {
        let Value::Object(mut fields) = run else {
            return Run::default();
        };
        let results = fields.remove("results").map(|results| match results {
            Value::Array(items) => items.into_iter().map(StoredResult::from_value).collect(),
            _ => Vec::new(),
        });
        Run { fields, results }
    }

    fn to_value(&self) -> Value {
        let mut fields = self.fields.clone();
        if let Some(results) = &self.results {
            fields.insert(
                "results".to_owned(),
                Value::Array(results.iter().map(StoredResult::to_value).collect()),
            );
        }
        Value::Object(fields)
    }

    fn field(&self, key: &str) -> &Value {
        self.fields.get(key).unwrap_or(&Value::Null)
    }
}

impl<'de> serde::Deserialize<'de> for Run {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RunVisitor;
        impl<'de> serde::de::Visitor<'de> for RunVisitor {
            type Value = Run;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a SARIF run object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Run, A::Error> {
                let mut run = Run::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "results" {
                        let results: Option<Results> = map.next_value()?;
                        run.results = Some(results.map(|r| r.0).unwrap_or_default());
                    } else {
                        let value: Value = map.next_value()?;
                        run.fields.insert(key, value);
                    }
                }
                Ok(run)
            }
        }
        deserializer.deserialize_map(RunVisitor)
    }
}

/// A run's `results`, each kept compact as soon as it is read.
struct Results(Vec<StoredResult>);

impl<'de> serde::Deserialize<'de> for Results {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ResultsVisitor;
        impl<'de> serde::de::Visitor<'de> for ResultsVisitor {
            type Value = Results;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of SARIF results")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Results, A::Error> {
                let mut out = Vec::new();
                while let Some(result) = seq.next_element::<Value>()? {
                    out.push(StoredResult::from_value(result));
                }
                Ok(Results(out))
            }
        }
        deserializer.deserialize_seq(ResultsVisitor)
    }
}

/// A log as read: its version and runs; other top-level members are not
/// kept (the merged log is rampart's own).
#[derive(serde::Deserialize)]
struct Log {
    #[serde(default)]
    version: Value,
    #[serde(default)]
    runs: Option<Vec<Run>>,
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
    let mut merger = Merger::default();
    for (name, log) in logs {
        let version = log["version"].clone();
        let runs = match log {
            Value::Object(mut top) => match top.remove("runs") {
                Some(Value::Array(runs)) => Some(runs.into_iter().map(Run::from_value).collect()),
                _ => None,
            },
            _ => None,
        };
        merger.add(&name, Log { version, runs })?;
    }
    let runs: Vec<Value> = merger.finish().iter().map(Run::to_value).collect();
    Ok(json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": runs,
    }))
}

/// [`merge`] of SARIF files, streamed: each file is read through the one
/// reading function (a FIFO or device is refused) and parsed as it is
/// read, its results kept compact; the merged log is written to `out` as
/// it is rendered — the same bytes as pretty-printing [`merge`]'s value,
/// with a trailing newline.
pub fn merge_files(
    paths: &[std::path::PathBuf],
    out: &mut dyn std::io::Write,
) -> Result<(), MergeError> {
    use std::io::Read;
    let mut merger = Merger::default();
    for path in paths {
        let name = path.display().to_string();
        let error = |message: String| MergeError {
            source_name: name.clone(),
            message,
        };
        let (file, _) = crate::read::open_regular(path, crate::read::Links::Follow)
            .map_err(|e| error(format!("cannot read: {e}")))?;
        let reader = std::io::BufReader::with_capacity(1 << 20, file.take(MAX_LOG_BYTES));
        let log: Log =
            serde_json::from_reader(reader).map_err(|e| error(format!("not a SARIF log: {e}")))?;
        merger.add(&name, log)?;
    }
    let runs = merger.finish();
    write_log(&runs, out).map_err(|e| MergeError {
        source_name: "the merged log".to_owned(),
        message: e.to_string(),
    })
}

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Runs so far, grouped by tool and category.
#[derive(Default)]
struct Merger {
    groups: BTreeMap<(String, String), Vec<Run>>,
}

impl Merger {
    fn add(&mut self, name: &str, log: Log) -> Result<(), MergeError> {
        let error = |message: &str| MergeError {
            source_name: name.to_owned(),
            message: message.to_owned(),
        };
        if log.version != "2.1.0" {
            return Err(error("not a SARIF 2.1.0 log (`version` is not \"2.1.0\")"));
        }
        let runs = log
            .runs
            .ok_or_else(|| error("not a SARIF log: no `runs` array"))?;
        for run in runs {
            if !run.field("tool")["driver"]["name"].is_string() {
                return Err(error("a run has no `tool.driver.name`"));
            }
            let key = run_key(&run);
            self.groups.entry(key).or_default().push(run);
        }
        Ok(())
    }

    fn finish(self) -> Vec<Run> {
        self.groups.into_values().map(merge_runs).collect()
    }
}

/// The merged log, pretty-printed as serde_json would print it.
fn write_log(runs: &[Run], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write!(
        out,
        "{{\n  \"$schema\": {},\n  \"runs\": ",
        Value::from(SCHEMA)
    )?;
    if runs.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[\n")?;
        for (i, run) in runs.iter().enumerate() {
            write_run(run, out)?;
            out.write_all(if i + 1 < runs.len() { b",\n" } else { b"\n" })?;
        }
        out.write_all(b"  ]")?;
    }
    out.write_all(b",\n  \"version\": \"2.1.0\"\n}\n")
}

/// A run at the depth of `runs[i]`, its members in key order as a
/// `serde_json` map keeps them, results rendered one at a time.
fn write_run(run: &Run, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut keys: Vec<&str> = run.fields.keys().map(String::as_str).collect();
    if run.results.is_some() {
        keys.push("results");
    }
    keys.sort_unstable();
    if keys.is_empty() {
        return out.write_all(b"    {}");
    }
    out.write_all(b"    {\n")?;
    for (i, key) in keys.iter().enumerate() {
        write!(out, "      {}: ", Value::from(*key))?;
        match (*key, &run.results) {
            ("results", Some(results)) => {
                if results.is_empty() {
                    out.write_all(b"[]")?;
                } else {
                    out.write_all(b"[\n")?;
                    for (k, result) in results.iter().enumerate() {
                        out.write_all(b"        ")?;
                        indented(&result.to_value(), 8, out)?;
                        out.write_all(if k + 1 < results.len() { b",\n" } else { b"\n" })?;
                    }
                    out.write_all(b"      ]")?;
                }
            }
            _ => indented(run.field(key), 6, out)?,
        }
        out.write_all(if i + 1 < keys.len() { b",\n" } else { b"\n" })?;
    }
    out.write_all(b"    }")
}

/// `value` pretty-printed, its lines after the first indented by `depth`
/// spaces (pretty JSON has no line break inside a string).
fn indented(value: &Value, depth: usize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    let pad = " ".repeat(depth);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
            out.write_all(pad.as_bytes())?;
        }
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

fn merge_runs(mut runs: Vec<Run>) -> Run {
    if runs.len() == 1 {
        return runs.swap_remove(0);
    }
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_at: BTreeMap<String, usize> = BTreeMap::new();
    let mut results: BTreeMap<(String, String, String, String), StoredResult> = BTreeMap::new();
    let mut notifications: Vec<Value> = Vec::new();
    let mut successful = true;
    let mut base_ids = Map::new();
    let mut first_fields = None;
    for Run {
        fields: run_fields,
        results: run_results,
    } in runs
    {
        let field = |key: &str| run_fields.get(key).unwrap_or(&Value::Null);
        let run_rules = field("tool")["driver"]["rules"]
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
        for mut result in run_results.into_iter().flatten() {
            if let Some(index) = result.rule_index
                && let Some(&new) = usize::try_from(index).ok().and_then(|i| remap.get(i))
            {
                result.rule_index = Some(new as u64);
            }
            results.entry(result.key.clone()).or_insert(result);
        }
        for invocation in field("invocations").as_array().into_iter().flatten() {
            successful &= invocation["executionSuccessful"].as_bool().unwrap_or(true);
            notifications.extend(
                invocation["toolExecutionNotifications"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        if let Some(ids) = field("originalUriBaseIds").as_object() {
            for (k, v) in ids {
                base_ids.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        if first_fields.is_none() {
            first_fields = Some(run_fields);
        }
    }
    let mut fields = first_fields.unwrap_or_default();
    let mut tool = fields.remove("tool").unwrap_or_else(|| json!({}));
    tool["driver"]["rules"] = Value::Array(rules);
    fields.insert("tool".to_owned(), tool);
    fields.insert(
        "invocations".to_owned(),
        json!([{
            "executionSuccessful": successful,
            "toolExecutionNotifications": notifications,
        }]),
    );
    if !base_ids.is_empty() {
        fields.insert("originalUriBaseIds".to_owned(), Value::Object(base_ids));
    }
    Run {
        fields,
        results: Some(results.into_values().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(uri: &str, line: u64, rule: &str) -> Value {
        json!({"version": "2.1.0", "runs": [{
            "tool": {"driver": {"name": "rampart", "rules": [{"id": "X-0"}, {"id": rule}]}},
            "automationDetails": {"id": "rampart/"},
            "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": []}],
            "results": [{"ruleId": rule, "ruleIndex": 1, "message": {"text": "x\ny"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri},
                "region": {"startLine": line, "startColumn": 1}}}]}]},
            {"tool": {"driver": {"name": "other"}}, "results": []}]})
    }

    /// The streamed merge of files writes exactly the pretty-printed
    /// value of the in-memory merge, and refuses a FIFO without blocking.
    #[test]
    fn streamed_files_give_the_bytes_of_the_value_merge() {
        let dir = tempfile::tempdir().unwrap();
        let logs = [
            shard("a.yaml", 3, "K8S-001"),
            shard("b.yaml", 1, "K8S-002"),
            shard("a.yaml", 3, "K8S-001"),
        ];
        let mut paths = Vec::new();
        for (i, log) in logs.iter().enumerate() {
            let path = dir.path().join(format!("{i}.sarif"));
            std::fs::write(&path, serde_json::to_vec(log).unwrap()).unwrap();
            paths.push(path);
        }
        let mut streamed = Vec::new();
        merge_files(&paths, &mut streamed).unwrap();
        let value = merge(
            logs.iter()
                .enumerate()
                .map(|(i, l)| (format!("{i}.sarif"), l.clone()))
                .collect(),
        )
        .unwrap();
        let mut expected = serde_json::to_string_pretty(&value).unwrap();
        expected.push('\n');
        assert_eq!(String::from_utf8(streamed).unwrap(), expected);
        // Runs in (tool, category) order: `other` first, then rampart's.
        assert_eq!(value["runs"][0]["tool"]["driver"]["name"], "other");
        assert_eq!(value["runs"][1]["results"].as_array().unwrap().len(), 2);
        assert_eq!(value["runs"][1]["results"][1]["ruleIndex"], 2);

        let fifo = dir.path().join("fifo.sarif");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = merge_files(&[fifo], &mut Vec::new()).unwrap_err();
        assert!(err.message.contains("not a regular file"), "{err}");
    }
}
