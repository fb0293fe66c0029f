//! End-to-end scans through the library: findings with lines, diagnostics
//! for bad input, SARIF that validates, byte-identical output.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::diagnostic::{DiagnosticKind, Level};
use rampart_core::policy::{CacheMode, EngineOptions};
use rampart_core::report::{self, sarif::SarifOptions};
use rampart_core::{Report, ScanOptions, Scanner, Severity};
use rampart_tests::workspace_root;
use std::path::{Path, PathBuf};

fn scan_in(base: &Path, paths: &[&str], tweak: impl FnOnce(&mut ScanOptions)) -> Report {
    let mut options = ScanOptions {
        paths: paths.iter().map(PathBuf::from).collect(),
        base_dir: Some(base.to_owned()),
        engine: EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        },
        ..ScanOptions::default()
    };
    tweak(&mut options);
    Scanner::new(options).unwrap().scan().unwrap()
}

fn findings(report: &Report) -> Vec<(String, u32, String)> {
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.path.clone(),
                f.region.map(|r| r.start_line).unwrap_or(0),
                f.rule_id.clone(),
            )
        })
        .collect()
}

/// Only the findings of one rule.
fn of_rule(report: &Report, rule: &str) -> Vec<(String, u32, String)> {
    findings(report)
        .into_iter()
        .filter(|(_, _, r)| r == rule)
        .collect()
}

fn owned(expected: &[(&str, u32, &str)]) -> Vec<(String, u32, String)> {
    expected
        .iter()
        .map(|(p, l, r)| ((*p).to_owned(), *l, (*r).to_owned()))
        .collect()
}

#[test]
fn examples_scan_finds_what_the_readme_promises() {
    let report = scan_in(&workspace_root(), &["examples"], |_| {});
    let serious = Report {
        findings: report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::High)
            .cloned()
            .collect(),
        ..Report::default()
    };
    assert_eq!(
        findings(&serious),
        owned(&[
            ("examples/ci/.github/workflows/triage.yml", 13, "GHA-002"),
            ("examples/compose/docker-compose.yml", 9, "COMPOSE-004"),
            ("examples/compose/docker-compose.yml", 15, "COMPOSE-007"),
            ("examples/docker/api.Dockerfile", 12, "DF-001"),
            ("examples/docker/api.Dockerfile", 13, "DF-006"),
            ("examples/docker/api.Dockerfile", 16, "DF-012"),
            ("examples/k8s/checkout.yaml", 19, "K8S-003"),
            ("examples/k8s/checkout.yaml", 26, "K8S-001"),
            ("examples/k8s/cleanup.yaml", 13, "K8S-003"),
            ("examples/k8s/monitoring.json", 14, "K8S-003"),
            ("examples/k8s/monitoring.json", 15, "K8S-003"),
            ("examples/terraform-project/main.tf", 20, "TF-011"),
            ("examples/terraform-project/main.tf", 20, "TF-011"),
            ("examples/terraform-project/main.tf", 33, "TF-014"),
            ("examples/terraform-project/main.tf", 34, "TF-015"),
            ("examples/terraform-project/main.tf", 39, "TF-006"),
            // module.site (public-read from terraform.tfvars) and
            // module.regional["us"] (public-read-write by for_each).
            (
                "examples/terraform-project/modules/bucket/main.tf",
                13,
                "TF-001",
            ),
            (
                "examples/terraform-project/modules/bucket/main.tf",
                13,
                "TF-001",
            ),
            ("examples/terraform/main.tf", 52, "TF-011"),
        ])
    );
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert_eq!(report.findings.len(), 117);
    for clean in [
        "examples/k8s/hardened.yaml",
        "examples/docker/web.Dockerfile",
    ] {
        assert!(
            report.findings.iter().all(|f| f.path != clean),
            "{clean} passes every rule"
        );
    }
    assert_eq!(report.stats.resources, 38);
    assert_eq!(report.exit_code(Severity::Info), 1);
    // The Compose example mounts the Docker socket: critical.
    assert_eq!(report.exit_code(Severity::Critical), 1);
    let privileged = report
        .findings
        .iter()
        .find(|f| f.rule_id == "K8S-001")
        .unwrap();
    let region = privileged.region.unwrap();
    assert_eq!((region.start_line, region.start_column), (26, 13));
    assert_eq!(privileged.resource_id, "k8s:Deployment/shop/checkout");
}

#[test]
fn bad_input_becomes_diagnostics_and_the_scan_goes_on() {
    let fixtures = workspace_root().join("tests/fixtures/scan");
    let report = scan_in(&fixtures, &["."], |_| {});
    assert_eq!(
        of_rule(&report, "K8S-003"),
        owned(&[("nested/.github/workflows/pod.yaml", 6, "K8S-003")]),
        "hidden directories such as .github are scanned"
    );
    let diagnostics: Vec<(Level, DiagnosticKind, &str, Option<u32>)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.level,
                d.kind,
                d.path.as_deref().unwrap(),
                d.region.map(|r| r.start_line),
            )
        })
        .collect();
    assert_eq!(
        diagnostics,
        [
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/Cargo.lock",
                Some(4)
            ),
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/Dockerfile",
                Some(1)
            ),
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/bad-indent.yaml",
                Some(5)
            ),
            // A NUL byte does not make a file named `.yaml` "binary" and
            // skipped: it is parsed, and fails (issue 17, D8).
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/blob.yaml",
                Some(1)
            ),
            // `{{` outside a Helm chart is no reason to skip a file that
            // does not parse (see `helm_templates_are_skipped_only_in_a_chart`).
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/chart-template.yaml",
                Some(4)
            ),
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/composer.lock",
                Some(4)
            ),
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/deep.tf",
                Some(2)
            ),
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/latin1.yaml",
                None
            ),
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/pom.xml",
                Some(4)
            ),
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/truncated.json",
                Some(2)
            ),
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "broken/unclosed.tf",
                Some(3)
            ),
        ]
    );
    assert_eq!(
        report.exit_code(Severity::Critical),
        2,
        "an incomplete scan exits 2"
    );
}

/// A Go template is skipped with a note only in a chart's `templates/`
/// (beside a `Chart.yaml`); the same text elsewhere is a parse error.
#[test]
fn helm_templates_are_skipped_only_in_a_chart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let template =
        std::fs::read(workspace_root().join("tests/fixtures/scan/broken/chart-template.yaml"))
            .unwrap();
    std::fs::create_dir_all(root.join("chart/templates")).unwrap();
    std::fs::write(
        root.join("chart/Chart.yaml"),
        "apiVersion: v2\nname: app\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(root.join("chart/templates/configmap.yaml"), &template).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/configmap.yaml"), &template).unwrap();
    let report = scan_in(root, &["."], |_| {});
    let diagnostics: Vec<(Level, DiagnosticKind, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.level, d.kind, d.path.as_deref().unwrap()))
        .collect();
    assert_eq!(
        diagnostics,
        [
            (
                Level::Note,
                DiagnosticKind::Skipped,
                "chart/templates/configmap.yaml"
            ),
            (
                Level::Error,
                DiagnosticKind::ParseError,
                "templates/configmap.yaml"
            ),
        ]
    );
}

#[test]
fn gitignore_excludes_size_cap_and_symlink_loops() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n";
    for sub in ["kept", "ignored", "excluded", "big"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
        std::fs::write(root.join(sub).join("pod.yaml"), pod).unwrap();
    }
    std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    let padding = "# padding\n".repeat(2000);
    std::fs::write(root.join("big/pod.yaml"), format!("{pod}{padding}")).unwrap();
    std::os::unix::fs::symlink(root, root.join("kept/loop")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", root.join("kept/escape.yaml")).unwrap();
    let report = scan_in(root, &["."], |o| {
        o.excludes = vec!["excluded/**".to_owned()];
        o.max_file_size = 4096;
    });
    assert_eq!(
        of_rule(&report, "K8S-003"),
        owned(&[("kept/pod.yaml", 6, "K8S-003")])
    );
    let diagnostics: Vec<(DiagnosticKind, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.path.as_deref().unwrap()))
        .collect();
    assert!(
        diagnostics.contains(&(DiagnosticKind::Skipped, "big/pod.yaml")),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics.contains(&(DiagnosticKind::Skipped, "kept/loop")),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics.contains(&(DiagnosticKind::Skipped, "kept/escape.yaml")),
        "{diagnostics:?}"
    );
    // Links not followed are notes; a file skipped for its size is a gap
    // in the scan (issue 17, D13): an error, and the scan is incomplete.
    let levels: Vec<(Level, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.level, d.path.as_deref().unwrap()))
        .collect();
    assert!(
        levels.contains(&(Level::Error, "big/pod.yaml")),
        "{levels:?}"
    );
    assert!(levels.contains(&(Level::Note, "kept/loop")), "{levels:?}");
    assert!(
        levels.contains(&(Level::Note, "kept/escape.yaml")),
        "{levels:?}"
    );
    assert_eq!(
        report.exit_code(Severity::Critical),
        2,
        "a file skipped for its size makes the scan incomplete"
    );
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema_path = workspace_root().join("tests/schemas/sarif-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let fixtures = workspace_root().join("tests/fixtures/scan");
    for (base, paths) in [(workspace_root(), "examples"), (fixtures, ".")] {
        let report = scan_in(&base, &[paths], |_| {});
        let sarif = report::sarif::render(
            &report,
            &SarifOptions {
                category: Some("k8s".into()),
                base_dir: Some(base.clone()),
            },
        );
        let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let run = &log["runs"][0];
        assert_eq!(run["automationDetails"]["id"], "k8s/");
        for result in run["results"].as_array().unwrap() {
            let location = &result["locations"][0]["physicalLocation"];
            assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            assert!(
                !location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .starts_with('/')
            );
            assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
            assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
            assert!(result["partialFingerprints"]["primaryLocationLineHash"].is_string());
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(
                run["tool"]["driver"]["rules"][index]["id"],
                result["ruleId"]
            );
        }
        for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
            assert!(rule["properties"]["security-severity"].is_string());
            assert!(
                rule["help"]["text"].is_string() && rule["shortDescription"]["text"].is_string()
            );
        }
    }
    // Parse errors are tool notifications with a location.
    let report = scan_in(
        &workspace_root().join("tests/fixtures/scan"),
        &["."],
        |_| {},
    );
    let log: serde_json::Value =
        serde_json::from_str(&report::sarif::render(&report, &SarifOptions::default())).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert!(notes.iter().any(|n| n["descriptor"]["id"] == "parse-error"
        && n["locations"][0]["physicalLocation"]["region"]["startLine"] == 5));
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let render = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let report = scan_in(
                &workspace_root(),
                &["examples", "tests/fixtures/scan"],
                |_| {},
            );
            (
                report::json::render(&report),
                report::sarif::render(&report, &SarifOptions::default()),
            )
        })
    };
    let one = render(1);
    assert_eq!(one, render(4));
    assert_eq!(one, render(2));
}

#[test]
fn fingerprints_survive_line_shifts() {
    let dir = tempfile::tempdir().unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n";
    std::fs::write(dir.path().join("pod.yaml"), pod).unwrap();
    let before = scan_in(dir.path(), &["."], |_| {});
    std::fs::write(
        dir.path().join("pod.yaml"),
        format!("# a comment\n# another\n{pod}"),
    )
    .unwrap();
    let after = scan_in(dir.path(), &["."], |_| {});
    assert_eq!(
        before.findings[0].region.unwrap().start_line + 2,
        after.findings[0].region.unwrap().start_line
    );
    assert_eq!(
        before.findings[0].fingerprint,
        after.findings[0].fingerprint
    );
}

/// The observer sees every file read and every (file, pack) evaluation,
/// in phase order, and the observed scan reports what the plain one does.
#[test]
fn observer_sees_every_unit_of_work() {
    use rampart_core::progress::{ScanObserver, ScanPhase};
    use std::sync::Mutex;

    #[derive(Default)]
    struct Record {
        started: Mutex<Vec<(ScanPhase, u64)>>,
        done: Mutex<std::collections::BTreeMap<ScanPhase, u64>>,
        finished: Mutex<Vec<ScanPhase>>,
    }
    impl ScanObserver for Record {
        fn phase_started(&self, phase: ScanPhase, total: u64) {
            self.started.lock().unwrap().push((phase, total));
        }
        fn advanced(&self, phase: ScanPhase, units: u64) {
            *self.done.lock().unwrap().entry(phase).or_default() += units;
        }
        fn phase_finished(&self, phase: ScanPhase) {
            self.finished.lock().unwrap().push(phase);
        }
    }

    let root = workspace_root();
    let scanner = Scanner::new(ScanOptions {
        paths: vec!["examples".into()],
        base_dir: Some(root.clone()),
        engine: EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        },
        ..ScanOptions::default()
    })
    .unwrap();
    let record = Record::default();
    let observed = scanner.scan_observed(&record).unwrap();
    let plain = scanner.scan().unwrap();
    assert_eq!(observed, plain);

    let files = observed.stats.files_walked as u64;
    assert_eq!(
        *record.started.lock().unwrap(),
        vec![(ScanPhase::Scanning, files)]
    );
    assert_eq!(
        record.done.lock().unwrap().get(&ScanPhase::Scanning),
        Some(&files)
    );
    assert_eq!(*record.finished.lock().unwrap(), vec![ScanPhase::Scanning]);

    // The two-step path (inventory, then evaluate) reports the same, and
    // reports its own phases.
    let record = Record::default();
    let inventory = scanner.inventory().unwrap();
    let two_step = scanner.evaluate(inventory);
    assert_eq!(two_step, plain);
    let packs = scanner.packs().len() as u64;
    let evaluations = rampart_core::policy::evaluate_batches_observed(
        scanner.packs(),
        &[Vec::<rampart_core::Resource>::new()],
        &record,
    );
    assert_eq!(evaluations.len(), 1);
    assert_eq!(
        *record.started.lock().unwrap(),
        vec![(ScanPhase::Evaluating, packs)]
    );
}
