//! `rampart scan --root`, `ssh://` and `--inventory` from the command line:
//! exit codes, SARIF that validates, JSON that names every host.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_tests::sshd::{SshServer, free_port};
use rampart_tests::workspace_root;
use std::path::Path;
use std::process::{Command, Output};

fn rampart(args: &[&str], cwd: &Path, cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(cwd)
        .env("RAMPART_CACHE_DIR", cache)
        .env_remove("RAMPART_LOG")
        .output()
        .expect("run rampart")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sarif_is_valid(sarif: &serde_json::Value) -> bool {
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(workspace_root().join("tests/schemas/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).unwrap().is_valid(sarif)
}

/// A root filesystem fixture: the finding lands on the sshd_config line,
/// relative to the checkout, in SARIF that validates.
#[test]
fn root_scan_writes_sarif_with_lines() {
    let cache = tempfile::tempdir().unwrap();
    let fixtures = workspace_root().join("policies/builtin/host/fixtures");
    let out = rampart(
        &[
            "scan",
            "--root",
            "HOST-001/positive",
            "--format",
            "sarif",
            "--no-advisories",
        ],
        &fixtures,
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(sarif_is_valid(&sarif));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let root_login: Vec<(&str, u64)> = results
        .iter()
        .filter(|r| r["ruleId"] == "HOST-001")
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                location["artifactLocation"]["uri"].as_str().unwrap(),
                location["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        root_login,
        [
            ("HOST-001/positive/etc/ssh/sshd_config", 2),
            ("HOST-001/positive/etc/ssh/sshd_config", 4)
        ]
    );
}

/// `ssh://` on the command line: findings under the host's URL, SARIF
/// with absolute `ssh://` URIs that validates, the host in the JSON.
#[test]
fn ssh_scan_from_the_command_line() {
    let server = SshServer::start();
    let cache = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec![
        "scan".into(),
        server.url(),
        "--ssh-config".into(),
        "/dev/null".into(),
        "--no-advisories".into(),
        "--format".into(),
        "json".into(),
    ];
    for option in server.client_options() {
        args.push("--ssh-option".into());
        args.push(option);
    }
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = rampart(&args_ref, cache.path(), cache.path());
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        text(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["hosts"][0]["name"], server.url());
    assert_eq!(report["hosts"][0]["status"], "scanned");
    assert_eq!(report["summary"]["hosts"], 1);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|f| f["path"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/", server.url()))),
        "every finding is under the host's URL"
    );
    let mut sarif_args = args.clone();
    let format = sarif_args.iter().position(|a| a == "json").unwrap();
    sarif_args[format] = "sarif".into();
    let args_ref: Vec<&str> = sarif_args.iter().map(String::as_str).collect();
    let out = rampart(&args_ref, cache.path(), cache.path());
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(sarif_is_valid(&sarif));
    let uri =
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            .clone();
    assert!(uri["uri"].as_str().unwrap().starts_with("ssh://"), "{uri}");
    assert!(uri.get("uriBaseId").is_none(), "{uri}");
}

/// An inventory with a live host and a dead port: exit 2 (incomplete), the
/// dead host named in the table's diagnostics.
#[test]
fn inventory_with_a_dead_host_exits_2() {
    let server = SshServer::start();
    let cache = tempfile::tempdir().unwrap();
    let inventory = cache.path().join("hosts.yml");
    std::fs::write(
        &inventory,
        format!(
            "all:\n  hosts:\n    live:\n      ansible_host: 127.0.0.1\n      ansible_port: {}\n      ansible_user: {}\n    dead:\n      ansible_host: 127.0.0.1\n      ansible_port: {}\n",
            server.port,
            server.user,
            free_port()
        ),
    )
    .unwrap();
    let mut args: Vec<String> = vec![
        "scan".into(),
        "--inventory".into(),
        inventory.display().to_string(),
        "--ssh-config".into(),
        "/dev/null".into(),
        "--ssh-retries".into(),
        "0".into(),
        "--no-advisories".into(),
        "--no-progress".into(),
    ];
    for option in server.client_options() {
        args.push("--ssh-option".into());
        args.push(option);
    }
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = rampart(&args_ref, cache.path(), cache.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("host not scanned"), "{stdout}");
    assert!(stdout.contains("and 2 hosts"), "{stdout}");
}
