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
    assert!(stdout.contains("kubernetes 0.1.0 — 71 rules"), "{stdout}");
    assert!(
        stdout.contains("K8S-001  high      Container runs privileged"),
        "{stdout}"
    );
    // One compiled component per built-in pack, in the cache given by
    // RAMPART_CACHE_DIR.
    let entries = std::fs::read_dir(cache.path().join("components"))
        .unwrap()
        .count();
    assert_eq!(
        entries,
        rampart_core::policy::PolicyEngine::builtin_names().len(),
        "one compiled component per built-in pack"
    );
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
        stdout.contains("exports  rampart:policy/detectors@0.1.1, rampart:policy/pack@0.1.1"),
        "{stdout}"
    );
    assert!(stdout.contains("  rampart:policy/host@0.1.1"), "{stdout}");
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
        .filter(|f| f["severity"] == "high")
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["resource_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("K8S-001", "k8s:Deployment/shop/checkout"),
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
    assert!(text(&out.stdout).contains("36 findings, 0 policy errors"));
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

#[test]
fn scan_examples_exits_1_with_findings_and_writes_sarif() {
    let cache = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let sarif = out_dir.path().join("out.sarif");
    let root = rampart_tests::workspace_root();
    let out = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .current_dir(&root)
        .args(["scan", "examples", "--format", "sarif", "--output"])
        .arg(&sarif)
        .args(["--fail-on", "high"])
        .env("RAMPART_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "the report went to the file");
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 117);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/ci/.github/workflows/triage.yml"
    );
}

#[test]
fn documents_larger_than_the_packs_first_arena_chunk_are_evaluated_right() {
    // A pack parses each call's documents into an arena whose first chunk
    // is 1 MiB: these documents (30,000 annotations, about 2 MiB parsed) make it grow, and the
    // small files scanned on the same instances afterwards make it start
    // over. Every file's finding must still be found, at its line.
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let workload = |annotations: usize| {
        let mut yaml =
            String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n");
        for i in 0..annotations {
            yaml.push_str(&format!("    note-{i:05}: \"value number {i}\"\n"));
        }
        yaml.push_str(
            "spec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n",
        );
        (yaml, annotations + 11)
    };
    let mut expected = Vec::new();
    for i in 0..8 {
        let (yaml, line) = workload(if i % 2 == 0 { 30_000 } else { 0 });
        let name = format!("w{i}.yaml");
        std::fs::write(dir.path().join(&name), yaml).unwrap();
        expected.push((name, line as u64));
    }
    let out = rampart(
        &[
            "scan",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
            "--no-progress",
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["diagnostics"], 0, "{}", text(&out.stdout));
    let privileged: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "K8S-001")
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_owned();
            (name, f["region"]["startLine"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(privileged, expected);
}

#[test]
fn a_missing_policy_file_is_named_with_its_os_error_once() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.wasm");
    let out = rampart(
        &[
            "scan",
            dir.path().to_str().unwrap(),
            "--policy",
            missing.to_str().unwrap(),
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("cannot read policy {}", missing.display())),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn report_file_is_overwritten_with_no_tail_of_the_old_one() {
    // Reports overwrite an existing file in place and cut it to length:
    // a longer old report must leave nothing behind.
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nUSER root\n",
    )
    .unwrap();
    let report = dir.path().join("report.json");
    std::fs::write(&report, "x".repeat(1 << 20)).unwrap();
    let tree = dir.path().join("Dockerfile");
    let args = [
        "scan",
        tree.to_str().unwrap(),
        "--format",
        "json",
        "--output",
    ];
    let out = rampart(
        &[&args[..], &[report.to_str().unwrap()]].concat(),
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&report).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&written).expect("only the new report");
    assert!(parsed["summary"]["findings"].as_u64().unwrap() > 0);
    assert!(written.len() < 1 << 20 && written.ends_with("}\n"));
    // The same bytes as a report written to a new file.
    let fresh = dir.path().join("fresh.json");
    let out = rampart(
        &[&args[..], &[fresh.to_str().unwrap()]].concat(),
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&fresh).unwrap(), written);
    // A device has no length to cut.
    let out = rampart(&[&args[..], &["/dev/null"]].concat(), cache.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn scan_table_shows_the_offending_line_and_exit_codes_follow_the_threshold() {
    let cache = tempfile::tempdir().unwrap();
    let root = rampart_tests::workspace_root();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rampart"))
            .current_dir(&root)
            .args(args)
            .env("RAMPART_CACHE_DIR", cache.path())
            .output()
            .unwrap()
    };
    let out = run(&["scan", "examples/k8s/checkout.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("examples/k8s/checkout.yaml\n"), "{stdout}");
    assert!(
        stdout.contains("26:13  high      K8S-001  container `checkout` runs privileged"),
        "{stdout}"
    );
    assert!(
        stdout.contains("│             privileged: true"),
        "{stdout}"
    );
    assert!(!stdout.contains("\x1b["), "no colour when not a terminal");
    assert_eq!(
        run(&[
            "scan",
            "examples/k8s/checkout.yaml",
            "--fail-on",
            "critical"
        ])
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        run(&["scan", "examples/k8s/hardened.yaml"]).status.code(),
        Some(0)
    );
    let broken = run(&["scan", "tests/fixtures/scan/broken"]);
    assert_eq!(
        broken.status.code(),
        Some(2),
        "parse errors make the scan incomplete"
    );
    assert!(text(&broken.stdout).contains("bad-indent.yaml:5:2: invalid YAML"));
    let missing = run(&["scan", "no/such/dir"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("no such file or directory"));
}

#[test]
fn inventory_prints_the_resources_policies_see() {
    let cache = tempfile::tempdir().unwrap();
    let root = rampart_tests::workspace_root();
    let out = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .current_dir(&root)
        .args(["inventory", "examples/k8s/cleanup.yaml", "--spans"])
        .env("RAMPART_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let resources: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(resources[0]["id"], "k8s:CronJob/ops/cleanup");
    assert_eq!(resources[0]["source"], "examples/k8s/cleanup.yaml");
    assert_eq!(resources[0]["document"]["spec"]["schedule"], "0 3 * * *");
    assert_eq!(resources[0]["spans"]["/spec/schedule"]["startLine"], 8);
}

/// Unreadable files and directories become `io` diagnostics naming the
/// relative path; the rest of the scan goes on and the exit status is 2.
/// Root reads everything, so as root the scan runs as `nobody` (setpriv).
#[test]
fn unreadable_paths_are_diagnostics_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n";
    std::fs::write(root.join("ok.yaml"), pod).unwrap();
    std::fs::write(root.join("secret.yaml"), pod).unwrap();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::write(root.join("sub/inner.yaml"), pod).unwrap();
    let mode = |path: &str, mode: u32| {
        std::fs::set_permissions(root.join(path), std::fs::Permissions::from_mode(mode)).unwrap()
    };
    mode(".", 0o755);
    mode("secret.yaml", 0o000);
    mode("sub", 0o000);
    let bypasses_permissions = std::fs::read(root.join("secret.yaml")).is_ok();
    let bin = env!("CARGO_BIN_EXE_rampart");
    let args = [
        "--no-cache",
        "scan",
        ".",
        "--format",
        "json",
        "--no-progress",
    ];
    let mut command = if bypasses_permissions {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        Command::new(bin)
    };
    let out = command.args(args).current_dir(root).output().unwrap();
    mode("sub", 0o755);
    mode("secret.yaml", 0o644);
    assert_eq!(out.status.code(), Some(2), "stderr: {}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics: Vec<(&str, &str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap(),
                d["kind"].as_str().unwrap(),
                d["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        diagnostics,
        vec![
            (
                "secret.yaml",
                "io",
                "cannot read: Permission denied (os error 13)"
            ),
            ("sub", "io", "cannot read directory: Permission denied"),
        ]
    );
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        !paths.is_empty() && paths.iter().all(|p| *p == "ok.yaml"),
        "{paths:?}"
    );
}

#[test]
fn baseline_create_then_scan_reports_only_new_findings() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nUSER root\n",
    )
    .unwrap();
    let baseline = dir.path().join("baseline.json");
    let tree = dir.path().to_str().unwrap();
    let out = rampart(
        &[
            "baseline",
            "create",
            tree,
            "--output",
            baseline.to_str().unwrap(),
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("findings recorded"));
    let out = rampart(
        &[
            "scan",
            tree,
            "--baseline",
            baseline.to_str().unwrap(),
            "--no-progress",
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("in the baseline]"),
        "{}",
        text(&out.stdout)
    );
    // GitHub annotations for a new finding.
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nUSER root\nRUN curl -s https://example.invalid/i.sh | sh\n",
    )
    .unwrap();
    let out = rampart(
        &[
            "scan",
            tree,
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            "github",
        ],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.lines().all(|l| l.starts_with("::")), "{stdout}");
    assert!(stdout.contains("file=Dockerfile,line=3"), "{stdout}");
    assert!(
        !stdout.contains("line=2,"),
        "baseline findings left out: {stdout}"
    );
}

#[test]
fn a_bad_configuration_is_an_error_at_its_line() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rampart.yaml"),
        "fail-on: high\nrules:\n  K8S-001:\n    severty: low\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
    let out = rampart(&["scan", dir.path().to_str().unwrap()], cache.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("rampart.yaml:4:5: unknown key `severty`"),
        "{stderr}"
    );
    assert!(stderr.contains("valid keys: enabled, severity"), "{stderr}");
    // `config init` writes a file that `config check` accepts.
    let starter = dir.path().join("starter.yaml");
    let out = rampart(
        &["config", "init", "--output", starter.to_str().unwrap()],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = rampart(
        &["config", "check", starter.to_str().unwrap()],
        cache.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ok — fail-on high"));
}

#[test]
fn completions_and_man_page_are_generated_from_the_cli() {
    let cache = tempfile::tempdir().unwrap();
    let out = rampart(&["completions", "bash"], cache.path());
    assert_eq!(out.status.code(), Some(0));
    let bash = text(&out.stdout);
    assert!(bash.contains("_rampart()"), "{bash}");
    assert!(bash.contains("--fail-on"), "every flag is completed");
    let out = rampart(&["man"], cache.path());
    assert_eq!(out.status.code(), Some(0));
    let man = text(&out.stdout);
    assert!(
        man.starts_with(".ie") || man.contains(".TH rampart"),
        "{man}"
    );
    assert!(man.contains("scan"), "{man}");
}

/// The GitHub Action and the pre-commit hook only pass flags that
/// `rampart scan` has.
#[test]
fn shipped_integrations_use_real_flags() {
    let cache = tempfile::tempdir().unwrap();
    let help = text(&rampart(&["scan", "--help"], cache.path()).stdout);
    let root = rampart_tests::workspace_root();
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let flags: Vec<&str> = action
        .lines()
        .chain(hooks.lines())
        .flat_map(|l| l.split_whitespace())
        .filter(|w| w.starts_with("--"))
        .collect();
    assert!(flags.len() >= 6, "{flags:?}");
    for flag in flags {
        assert!(help.contains(flag), "`rampart scan` has no {flag}");
    }
    assert!(
        help.contains("RAMPART_BASELINE"),
        "the action passes the baseline by env"
    );
}

#[test]
fn tf_var_and_tf_vars_set_terraform_variables() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"acl\" {\n  default = \"private\"\n}\n\n\
         resource \"aws_s3_bucket\" \"b\" {\n  acl = var.acl\n}\n",
    )
    .unwrap();
    let values = dir.path().join("public.tfvars");
    std::fs::write(&values, "acl = \"public-read\"\n").unwrap();
    let root = dir.path().display().to_string();
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", root.as_str(), "--format", "json", "--no-advisories"];
        args.extend_from_slice(extra);
        let out = rampart(&args, cache.path());
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)));
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] == "TF-001")
            .map(|f| f["region"]["startLine"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert!(scan(&[]).is_empty());
    let file = values.display().to_string();
    assert_eq!(scan(&["--tf-vars", &file]), [6]);
    // --tf-var wins over every file.
    assert!(scan(&["--tf-vars", &file, "--tf-var", "acl=private"]).is_empty());
    let out = rampart(&["scan", &root, "--tf-var", "acl"], cache.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("`acl` is not NAME=VALUE"),
        "{}",
        text(&out.stderr)
    );
}

/// A value the detectors found is never printed, in any format: not in
/// the source line, nor in a pack's message, fix, log or output that
/// quotes it (`-vv` shows the last two). The
/// finding is at the value's exact line and column.
#[test]
fn a_found_secret_is_printed_in_no_format() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = "flag_0a1b2c3d";
    std::fs::write(
        dir.path().join("rampart.yaml"),
        format!(
            "builtin: false\npolicies:\n  - {}\npacks:\n  hostile:\n    settings:\n      mode: detectors\n",
            rampart_tests::policies::HOSTILE
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".env"),
        format!("# settings\nAPI_TOKEN={secret}\n"),
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    for format in ["table", "json", "sarif", "github", "gitlab", "junit"] {
        let out = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["scan", root, "--format", format, "-vv"])
            .current_dir(dir.path())
            .env("RAMPART_CACHE_DIR", cache.path())
            .env_remove("RAMPART_LOG")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            text(&out.stderr)
        );
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{format} prints the value:\n{stdout}\n{stderr}"
        );
        assert!(
            stdout.contains("flag… (13 characters)") || format == "gitlab",
            "{format}: {stdout}"
        );
        if format == "json" {
            let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            let finding = &report["findings"][0];
            assert_eq!(finding["rule_id"], "TEST-001");
            assert_eq!(finding["path"], ".env");
            assert_eq!(finding["region"]["startLine"], 2);
            assert_eq!(finding["region"]["startColumn"], 11);
            assert_eq!(finding["message"], "token `flag… (13 characters)` found");
        }
    }
}

/// The built-in secrets pack reports a token at its value, redacted in the
/// table, and a value the project's settings know to be fake is accepted.
#[test]
fn the_secrets_pack_reports_tokens_and_honours_allowed_values() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = "ghp_R8dKq2vXn5Lm7Tz0Yw3Hc9Bf1Js4Ga6Pe2Ui";
    std::fs::write(
        dir.path().join("deploy.sh"),
        format!("#!/bin/sh\nexport GITHUB_TOKEN={token}\n"),
    )
    .unwrap();
    let scan = |format: &str| {
        Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["scan", ".", "--format", format])
            .current_dir(dir.path())
            .env("RAMPART_CACHE_DIR", cache.path())
            .env_remove("RAMPART_LOG")
            .output()
            .unwrap()
    };
    let out = scan("table");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("2:21  critical  SEC-003"), "{stdout}");
    assert!(stdout.contains("ghp_… (40 characters)"), "{stdout}");
    assert!(!stdout.contains(token), "{stdout}");

    std::fs::write(
        dir.path().join("rampart.yaml"),
        format!("packs:\n  secrets:\n    settings:\n      allowed-values: [\"{token}\"]\n"),
    )
    .unwrap();
    let out = scan("json");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["findings"], 0, "{}", text(&out.stdout));
    assert_eq!(out.status.code(), Some(0));
}

/// A secret's finding carries a keyed hash of the value (HMAC-SHA256, in
/// JSON and SARIF): the same token in two files has one hash; the
/// project's key (`RAMPART_SECRET_HASH_KEY`) gives the HMAC computed here
/// independently, the key kept in the cache (made once, mode 0600)
/// another, the same from run to run; without a key there is none.
#[test]
fn a_secret_has_a_keyed_hash_the_same_wherever_it_is() {
    use std::os::unix::fs::PermissionsExt as _;
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = "ghp_R8dKq2vXn5Lm7Tz0Yw3Hc9Bf1Js4Ga6Pe2Ui";
    std::fs::write(
        dir.path().join("deploy.sh"),
        format!("GITHUB_TOKEN={token}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("ci.env"), format!("\nTOKEN={token}\n")).unwrap();
    let scan = |format: &str, key: Option<&str>, extra: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rampart"));
        command
            .args(["scan", ".", "--format", format])
            .args(extra)
            .current_dir(dir.path())
            .env("RAMPART_CACHE_DIR", cache.path())
            .env_remove("RAMPART_LOG")
            .env_remove("RAMPART_SECRET_HASH_KEY");
        if let Some(key) = key {
            command.env("RAMPART_SECRET_HASH_KEY", key);
        }
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(!stdout.contains(token));
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap()
    };
    let hashes = |report: &serde_json::Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["secret_hash"].as_str().unwrap_or("none").to_owned())
            .collect()
    };
    let expected = "hmac-sha256:dd27abc28514ac66012a3f5aaf7014ca";
    let project = scan("json", Some("project-key"), &[]);
    assert_eq!(hashes(&project), [expected, expected]);
    let sarif = scan("sarif", Some("project-key"), &[]);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(
        results
            .iter()
            .all(|r| r["properties"]["secretHash"] == expected)
    );

    let cached = hashes(&scan("json", None, &[]));
    let key_file = cache.path().join("secret-hash.key");
    assert_eq!(
        std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(cached[0], cached[1]);
    assert_ne!(cached[0], expected);
    assert!(cached[0].starts_with("hmac-sha256:"));
    assert_eq!(hashes(&scan("json", None, &[])), cached);
    assert_eq!(
        hashes(&scan("json", None, &["--no-cache"])),
        ["none", "none"]
    );
}
