//! The `rampart` binary: `policy list` and `policy inspect`, exit codes.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use std::process::{Command, Output};

fn rampart(args: &[&str], cache: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("RAMPART_CACHE_DIR", cache)
        .env_remove("RAMPART_LOG")
        .output()
        .expect("run rampart")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn policy_list_shows_builtin_packs_and_rules() {
    let cache = tempfile::tempdir().unwrap();
    let out = rampart(&["policy", "list"], cache.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("kubernetes 0.1.0 — 3 rules"), "{stdout}");
    assert!(
        stdout.contains("K8S-001  high      Container runs privileged"),
        "{stdout}"
    );
    // The compiled pack landed in the cache given by RAMPART_CACHE_DIR.
    let entries = std::fs::read_dir(cache.path().join("components"))
        .unwrap()
        .count();
    assert_eq!(entries, 1);
}

#[test]
fn policy_list_json_is_the_metadata() {
    let cache = tempfile::tempdir().unwrap();
    let out = rampart(&["policy", "list", "--format", "json"], cache.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let packs: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let kubernetes = packs
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "kubernetes")
        .expect("kubernetes pack");
    assert_eq!(kubernetes["rules"][0]["id"], "K8S-001");
    assert_eq!(kubernetes["rules"][0]["severity"], "high");
    assert_eq!(
        kubernetes["rules"][0]["compliance"][0]["framework"],
        "CIS-Kubernetes-1.9"
    );
}

#[test]
fn policy_inspect_shows_a_component_file() {
    let cache = tempfile::tempdir().unwrap();
    let out = rampart(
        &["policy", "inspect", rampart_tests::policies::HOSTILE],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("pack     hostile 0.1.0"), "{stdout}");
    assert!(
        stdout.contains("exports  rampart:policy/pack@0.1.0"),
        "{stdout}"
    );
    assert!(stdout.contains("  rampart:policy/host@0.1.0"), "{stdout}");
    assert!(
        stdout.contains("TEST-001  [medium]  Flag is set"),
        "{stdout}"
    );
    let sha = stdout
        .lines()
        .find_map(|l| l.strip_prefix("sha256   "))
        .expect("sha256 line");
    assert_eq!(sha.len(), 64);
}

#[test]
fn policy_inspect_builtin_json() {
    let cache = tempfile::tempdir().unwrap();
    let out = rampart(
        &[
            "policy",
            "inspect",
            "builtin:kubernetes",
            "--format",
            "json",
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["origin"], "builtin:kubernetes");
    assert_eq!(value["pack"]["name"], "kubernetes");
    assert!(value["size"].as_u64().unwrap() > 1000);
}

#[test]
fn forbidden_imports_exit_2_naming_the_import() {
    let cache = tempfile::tempdir().unwrap();
    let out = rampart(
        &["policy", "inspect", rampart_tests::policies::OPENS_SOCKET],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("wasi:sockets/tcp@0.2.6 (policies may not use the network)"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_files_and_unknown_packs_exit_2() {
    let cache = tempfile::tempdir().unwrap();
    let out = rampart(&["policy", "inspect", "/no/such/pack.wasm"], cache.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read policy /no/such/pack.wasm"));
    let out = rampart(&["policy", "inspect", "nope"], cache.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no built-in pack named `nope`"));
    let out = rampart(&["policy", "frobnicate"], cache.path());
    assert_eq!(out.status.code(), Some(2), "usage errors exit 2");
}

fn example() -> String {
    rampart_tests::workspace_root()
        .join("examples/resources/workloads.json")
        .display()
        .to_string()
}

#[test]
fn policy_eval_reports_findings_and_gates_on_severity() {
    let cache = tempfile::tempdir().unwrap();
    let out = rampart(
        &["policy", "eval", &example(), "--format", "json"],
        cache.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings exit 1: {}",
        text(&out.stderr)
    );
    let outcome: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = outcome["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["resource_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("K8S-001", "k8s:Deployment/shop/checkout"),
        ("K8S-002", "k8s:Deployment/shop/checkout"),
        ("K8S-003", "k8s:Deployment/shop/checkout"),
        ("K8S-003", "k8s:CronJob/ops/cleanup"),
    ]
    .map(|(a, b)| (a.to_owned(), b.to_owned()));
    assert_eq!(found, expected);

    let out = rampart(
        &["policy", "eval", &example(), "--fail-on", "critical"],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(0), "nothing critical: exit 0");
    assert!(text(&out.stdout).contains("4 findings, 0 policy errors"));
}

#[test]
fn policy_eval_is_byte_identical_across_runs() {
    let cache = tempfile::tempdir().unwrap();
    let args = ["policy", "eval", &example(), "--format", "json"];
    let first = rampart(&args, cache.path()).stdout;
    let second = rampart(&args, cache.path()).stdout;
    assert!(!first.is_empty());
    assert_eq!(first, second);
}

#[test]
fn policy_errors_exit_2_and_are_reported() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let resources = dir.path().join("r.json");
    std::fs::write(
        &resources,
        r#"[{"kind": "test", "id": "a", "source": "a.json", "document": {"do": "panic"}},
            {"kind": "test", "id": "b", "source": "b.json", "document": {"flag": true}}]"#,
    )
    .unwrap();
    let out = rampart(
        &[
            "policy",
            "eval",
            resources.to_str().unwrap(),
            "--pack",
            rampart_tests::policies::HOSTILE,
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("policy error: policy pack `hostile`: panic: panicked at"),
        "{stderr}"
    );
    assert!(
        text(&out.stdout).contains("1 findings, 1 policy errors"),
        "the other batch still ran"
    );
}

#[test]
fn malformed_resources_exit_2() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let resources = dir.path().join("r.json");
    std::fs::write(&resources, "{ not json").unwrap();
    let out = rampart(
        &["policy", "eval", resources.to_str().unwrap()],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is not a list of resources"),
        "{}",
        text(&out.stderr)
    );
}
