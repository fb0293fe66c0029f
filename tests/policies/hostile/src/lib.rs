//! A policy that misbehaves on request, for the sandbox tests.
//!
//! The behaviour of `evaluate` is chosen by the first resource's document
//! (`{"do": "<mode>"}`), so one instance can misbehave on one batch and be
//! asked to behave on the next; failing that, by the pack's settings
//! (`{"mode": "<mode>"}`), which also steer `metadata`. Without a mode it
//! behaves: rule `TEST-001` reports every resource whose document has
//! `"flag": true`, at `/flag`.

// Natively (for `cargo test --workspace`) nothing is exported, so nothing is used.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use rampart_policy::bindings::exports::rampart::policy::detectors::Detector;
use rampart_policy::bindings::exports::rampart::policy::pack::{
    Finding, Guest, PackInfo, Resource,
};
use rampart_policy::bindings::rampart::policy::host;
use rampart_policy::bindings::rampart::policy::types::{Rule, Severity};
use rampart_policy::serde_json::{self, Value};

struct Hostile;

fn mode() -> String {
    let settings: Value = serde_json::from_str(&host::settings()).unwrap_or(Value::Null);
    settings["mode"]
        .as_str()
        .unwrap_or("well-behaved")
        .to_owned()
}

fn rule(id: &str) -> Rule {
    Rule {
        id: id.to_owned(),
        title: "Flag is set".to_owned(),
        description: "Reports documents with `flag: true`.".to_owned(),
        severity: Severity::Medium,
        help: String::new(),
        help_uri: None,
        remediation: "Unset the flag.".to_owned(),
        tags: vec!["test".to_owned()],
        compliance: vec![],
        kinds: vec![],
    }
}

fn finding(rule_id: &str, resource: &Resource, pointer: &str) -> Finding {
    Finding {
        rule_id: rule_id.to_owned(),
        resource_id: resource.id.clone(),
        pointer: pointer.to_owned(),
        message: format!("flag is set in {}", resource.id),
        severity: None,
        fix: None,
    }
}

/// Keeps the optimiser from removing work whose result is unused.
fn keep<T>(value: T) -> T {
    std::hint::black_box(value)
}

impl Guest for Hostile {
    fn metadata() -> PackInfo {
        let mut rules = vec![rule("TEST-001")];
        match mode().as_str() {
            "metadata-loop" => loop {
                keep(());
            },
            "metadata-panic" => panic!("metadata failed on purpose"),
            "duplicate-rules" => rules.push(rule("TEST-001")),
            "bad-rule-id" => rules.push(rule("has spaces/and slashes")),
            _ => {}
        }
        PackInfo {
            name: "hostile".to_owned(),
            version: "0.1.0".to_owned(),
            description: "Misbehaves on request.".to_owned(),
            rules,
        }
    }

    fn evaluate(resources: Vec<Resource>) -> Result<Vec<Finding>, String> {
        let flagged = || {
            resources.iter().filter(|r| {
                r.document.contains("\"flag\":true") || r.document.contains("\"flag\": true")
            })
        };
        let requested = resources
            .first()
            .and_then(|r| serde_json::from_str::<Value>(&r.document).ok())
            .and_then(|d| d["do"].as_str().map(str::to_owned));
        match requested.unwrap_or_else(mode).as_str() {
            // Each candidate of a `text` resource reported at its value,
            // the message quoting it as a careless pack would: the host
            // must take it out of everything it prints.
            "detectors" => Ok(resources
                .iter()
                .filter(|r| r.kind == "text")
                .flat_map(|r| {
                    let document: Value = serde_json::from_str(&r.document).unwrap_or_default();
                    let candidates = document["candidates"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    for candidate in &candidates {
                        // A careless pack logs and prints what it saw.
                        let value = candidate["secret"].as_str().unwrap_or("");
                        host::log(host::Level::Warn, &format!("saw {value}"));
                        println!("printed {value}");
                    }
                    candidates
                        .iter()
                        .enumerate()
                        .map(|(i, candidate)| Finding {
                            message: format!(
                                "token `{}` found",
                                candidate["secret"].as_str().unwrap_or("")
                            ),
                            fix: Some(format!(
                                "revoke {}",
                                candidate["secret"].as_str().unwrap_or("")
                            )),
                            ..finding("TEST-001", r, &format!("/candidates/{i}/secret"))
                        })
                        .collect::<Vec<_>>()
                })
                .collect()),
            "loop" => {
                let mut n: u64 = 0;
                loop {
                    n = keep(n.wrapping_add(1));
                }
            }
            "alloc" => {
                // 1 GiB, touched so that it is really committed.
                let mut v = vec![0u8; 1 << 30];
                for i in (0..v.len()).step_by(4096) {
                    v[i] = 1;
                }
                keep(v);
                Ok(vec![])
            }
            "panic" => panic!("hostile policy panicked on purpose"),
            "error" => Err("this pack cannot evaluate the batch".to_owned()),
            "undeclared-rule" => Ok(flagged()
                .flat_map(|r| {
                    [
                        finding("TEST-001", r, "/flag"),
                        finding("NOT-DECLARED", r, "/flag"),
                    ]
                })
                .collect()),
            "unknown-resource" => Ok(flagged()
                .map(|r| Finding {
                    resource_id: "no-such-resource".to_owned(),
                    ..finding("TEST-001", r, "/flag")
                })
                .collect()),
            "bad-pointer" => Ok(flagged()
                .flat_map(|r| {
                    [
                        finding("TEST-001", r, "/spec/does/not/exist"),
                        finding("TEST-001", r, "not-a-pointer"),
                    ]
                })
                .collect()),
            "million" | "many" => {
                let Some(first) = resources.first() else {
                    return Ok(vec![]);
                };
                let count = if first.document.contains("million") {
                    1_000_000
                } else {
                    20_000
                };
                Ok((0..count)
                    .map(|_| finding("TEST-001", first, "/flag"))
                    .collect())
            }
            "log-flood" => {
                for i in 0..100_000 {
                    host::log(
                        host::Level::Info,
                        &format!("log line {i} {}", "x".repeat(100)),
                    );
                    eprintln!("stderr line {i}");
                }
                Ok(flagged().map(|r| finding("TEST-001", r, "/flag")).collect())
            }
            "random" => {
                // Hash-map iteration order depends on the seed WASI gives.
                let map: std::collections::HashMap<u32, ()> = (0..64).map(|i| (i, ())).collect();
                let order: Vec<String> = map.keys().map(|k| k.to_string()).collect();
                Ok(resources
                    .iter()
                    .map(|r| Finding {
                        message: order.join(","),
                        ..finding("TEST-001", r, "")
                    })
                    .collect())
            }
            _ => Ok(flagged().map(|r| finding("TEST-001", r, "/flag")).collect()),
        }
    }
}

/// Detectors on request (settings `{"mode": …}`): one for `TEST-001`
/// with `detectors`, and each way of declaring a bad one.
impl rampart_policy::bindings::exports::rampart::policy::detectors::Guest for Hostile {
    fn detectors() -> Vec<Detector> {
        let detector = |rule: &str, keywords: &[&str], pattern: &str| Detector {
            rule_id: rule.to_owned(),
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            pattern: pattern.to_owned(),
        };
        match mode().as_str() {
            "detectors" => vec![detector(
                "TEST-001",
                &["flag_"],
                r"\b(?P<secret>flag_[a-z0-9]{8})\b",
            )],
            "detector-unknown-rule" => vec![detector("NOT-DECLARED", &[], "x")],
            "detector-bad-pattern" => vec![detector("TEST-001", &[], "(unclosed")],
            "detector-look-around" => vec![detector("TEST-001", &[], "(?=a)b")],
            "detector-huge-pattern" => vec![detector("TEST-001", &[], "(a{1000}){1000}")],
            "detector-empty-keyword" => vec![detector("TEST-001", &[" "], "x")],
            "detectors-too-many" => (0..1001).map(|_| detector("TEST-001", &[], "x")).collect(),
            "detectors-panic" => panic!("detectors failed on purpose"),
            _ => Vec::new(),
        }
    }
}

#[cfg(target_arch = "wasm32")]
rampart_policy::bindings::export_raw!(Hostile with_types_in rampart_policy::bindings);
