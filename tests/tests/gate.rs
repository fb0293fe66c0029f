//! The CI gate: inline suppressions, baselines that survive line shifts,
//! GitHub annotations and GitLab code quality output.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

use rampart_core::baseline::Baseline;
use rampart_core::diagnostic::DiagnosticKind;
use rampart_core::suppress::SuppressionKind;
use rampart_core::{Report, ScanOptions, Scanner, Severity};
use rampart_tests::workspace_root;
use std::path::Path;

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000
      securityContext:
        privileged: true
";

fn scan(root: &Path) -> Report {
    Scanner::new(ScanOptions {
        paths: vec![root.to_owned()],
        base_dir: Some(root.to_owned()),
        advisories: None,
        ..ScanOptions::default()
    })
    .unwrap()
    .scan()
    .unwrap()
}

fn lines_of(report: &Report, rule: &str) -> Vec<(u32, bool)> {
    report
        .findings
        .iter()
        .filter(|f| f.rule_id == rule)
        .map(|f| (f.region.unwrap().start_line, f.suppression.is_some()))
        .collect()
}

/// Inline suppressions are compared with every finding of their file: a
/// file with more than the limit gets the first ones applied, a warning at
/// the first left out, and a scan that ends.
#[test]
fn inline_suppressions_beyond_the_limit_are_not_applied() {
    use rampart_core::suppress::MAX_INLINE_SUPPRESSIONS;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for _ in 0..MAX_INLINE_SUPPRESSIONS {
        text.push_str("# trivy:ignore:AWS-0180\n");
    }
    // The 1,001st: it would cover the finding on its own line (the blank
    // line keeps the last Trivy ignore off the resource).
    text.push_str(
        "\nresource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  publicly_accessible = true # rampart:ignore TF-014 accepted\n}\n",
    );
    std::fs::write(dir.path().join("main.tf"), &text).unwrap();
    let report = scan(dir.path());
    let public = report
        .findings
        .iter()
        .find(|f| f.rule_id == "TF-014")
        .unwrap();
    assert!(
        public.suppression.is_none(),
        "the comment past the limit is not applied"
    );
    let warnings: Vec<u32> = report
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::Suppression)
        .map(|d| d.region.unwrap().start_line)
        .collect();
    let limit = u32::try_from(MAX_INLINE_SUPPRESSIONS).unwrap();
    assert_eq!(warnings, [limit + 4], "{:?}", report.diagnostics);
}

/// A team switching from Checkov or Trivy keeps its inline skips: each
/// suppresses the rules that declare the skipped check their equivalent,
/// in its tool's scope, with its reason.
#[test]
fn checkov_and_trivy_skips_suppress_the_equivalent_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"resource "aws_db_instance" "orders" {
  engine              = "postgres"
  #checkov:skip=CKV_AWS_16:encrypted by the storage layer
  publicly_accessible = true
}

#trivy:ignore:AVD-AWS-0180
resource "aws_db_instance" "reports" {
  engine              = "postgres"
  storage_encrypted   = true
  publicly_accessible = true
}

resource "aws_db_instance" "ledger" {
  engine              = "postgres"
  storage_encrypted   = true
  publicly_accessible = true # trivy:ignore:AWS-0180:exp:2020-01-31
}

resource "aws_db_instance" "audit" {
  # checkov:skip=CKV_AWS_999:no such check
  # trivy:ignore:AWS-0180:ws:staging
  engine              = "postgres"
  storage_encrypted   = true
  publicly_accessible = true
}
"#,
    )
    .unwrap();
    let report = scan(dir.path());
    let of = |rule: &str, line: u32| {
        report
            .findings
            .iter()
            .find(|f| f.rule_id == rule && f.region.unwrap().start_line == line)
            .unwrap_or_else(|| panic!("no {rule} at {line}: {:#?}", report.findings))
            .suppression
            .as_ref()
            .map(|s| (s.kind, s.justification.as_str()))
    };
    // Checkov: anywhere in the resource, for the rule of that check only.
    assert_eq!(
        of("TF-015", 1),
        Some((
            SuppressionKind::InSource,
            "encrypted by the storage layer (checkov:skip=CKV_AWS_16)"
        ))
    );
    assert_eq!(of("TF-014", 4), None);
    // Trivy above a block: the whole block, by either spelling of the id.
    assert_eq!(
        of("TF-014", 11),
        Some((SuppressionKind::InSource, "trivy:ignore:AWS-0180"))
    );
    // Expired: counts again, with a warning at the comment.
    assert_eq!(of("TF-014", 17), None);
    let warnings: Vec<u32> = report
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::Suppression)
        .map(|d| d.region.unwrap().start_line)
        .collect();
    assert_eq!(warnings, [17], "{:?}", report.diagnostics);
    // An unknown check, and another workspace, suppress nothing.
    assert_eq!(of("TF-014", 25), None);

    // The same on CloudFormation: the resource's lines are its mapping.
    std::fs::write(
        dir.path().join("stack.yaml"),
        "AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  # trivy:ignore:AVD-AWS-0180
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      StorageEncrypted: true
      PubliclyAccessible: true
  Reports:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      # checkov:skip=CKV_AWS_17: behind the VPN's NAT
      StorageEncrypted: true
      PubliclyAccessible: true
",
    )
    .unwrap();
    let report = scan(dir.path());
    let cfn: Vec<(u32, Option<&str>)> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "CFN-013")
        .map(|f| {
            (
                f.region.unwrap().start_line,
                f.suppression.as_ref().map(|s| s.justification.as_str()),
            )
        })
        .collect();
    assert_eq!(
        cfn,
        [
            (9, Some("trivy:ignore:AWS-0180")),
            (16, Some("behind the VPN's NAT (checkov:skip=CKV_AWS_17)"))
        ]
    );
}

#[test]
fn hadolint_ignores_suppress_the_next_instruction_or_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "# hadolint global ignore=DL3059,DL3007\n\
         FROM debian:latest\n\
         # hadolint ignore=DL3008, DL3015\n\
         RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n\
         RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n\
         USER app\n",
    )
    .unwrap();
    let report = scan(dir.path());
    let of = |rule: &str, line: u32| {
        report
            .findings
            .iter()
            .find(|f| f.rule_id == rule && f.region.unwrap().start_line == line)
            .unwrap_or_else(|| panic!("no {rule} at {line}: {:#?}", report.findings))
            .suppression
            .as_ref()
            .map(|s| s.justification.as_str())
    };
    // `global`: anywhere in the file, for the rules of the codes it names.
    assert_eq!(
        of("DF-002", 2),
        Some("hadolint global ignore=DL3059,DL3007")
    );
    assert_eq!(of("DF-003", 2), None, "DF-003 has no hadolint equivalent");
    // Otherwise the next instruction only.
    assert_eq!(of("DF-037", 4), Some("hadolint ignore=DL3008,DL3015"));
    assert_eq!(of("DF-007", 4), Some("hadolint ignore=DL3008,DL3015"));
    assert_eq!(of("DF-037", 5), None);
    assert_eq!(of("DF-007", 5), None);
}

#[test]
fn inline_suppressions_mark_findings_which_stop_gating() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pod.yaml"), POD).unwrap();
    let plain = scan(dir.path());
    assert_eq!(lines_of(&plain, "K8S-001"), [(11, false)]);
    assert_eq!(plain.exit_code(Severity::High), 1);

    // Trailing comment on the line, and a comment line above another one.
    let suppressed = POD.replace(
        "privileged: true",
        "privileged: true  # rampart:ignore K8S-001 the node agent needs it",
    );
    std::fs::write(dir.path().join("pod.yaml"), &suppressed).unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\n# rampart:ignore DF-001 builder stage, never deployed\nUSER root\n# rampart:ignore DF-005\nADD app.tar.gz /app\n",
    )
    .unwrap();
    let report = scan(dir.path());
    let k8s = report
        .findings
        .iter()
        .find(|f| f.rule_id == "K8S-001")
        .unwrap();
    let suppression = k8s.suppression.as_ref().unwrap();
    assert_eq!(suppression.kind, SuppressionKind::InSource);
    assert_eq!(suppression.justification, "the node agent needs it");
    let root_user: Vec<(u32, bool)> = report
        .findings
        .iter()
        .filter(|f| f.path == "Dockerfile" && f.rule_id == "DF-001")
        .map(|f| (f.region.unwrap().start_line, f.suppression.is_some()))
        .collect();
    assert_eq!(
        root_user,
        [(3, true)],
        "the comment line above covers line 3"
    );
    // No reason: a warning, and nothing suppressed on that line.
    let warnings: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::Suppression)
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(warnings[0].region.unwrap().start_line, 4);
    assert!(
        report
            .findings
            .iter()
            .filter(|f| f.path == "Dockerfile" && f.region.unwrap().start_line == 5)
            .all(|f| f.suppression.is_none())
    );
    // The suppressed K8S-001 (high) no longer gates at `high`.
    let unsuppressed_high = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::High && f.suppression.is_none())
        .count();
    assert_eq!(
        report.exit_code(Severity::High),
        u8::from(unsuppressed_high > 0)
    );

    // SARIF keeps it, with a valid `suppressions` entry.
    let mut sarif = Vec::new();
    rampart_core::report::sarif::write(&report, &Default::default(), &mut sarif).unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif).unwrap();
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(workspace_root().join("tests/schemas/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    assert!(jsonschema::validator_for(&schema).unwrap().is_valid(&sarif));
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "K8S-001")
        .unwrap();
    assert_eq!(result["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        result["suppressions"][0]["justification"],
        "the node agent needs it"
    );
}

#[test]
fn a_baseline_survives_edits_above_its_findings_and_lets_new_ones_through() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pod.yaml"), POD).unwrap();
    let before = scan(dir.path());
    assert!(!before.findings.is_empty());
    let baseline = Baseline::from_report(&before);
    let path = dir.path().join("baseline.json");
    std::fs::write(&path, baseline.to_json()).unwrap();
    let baseline = Baseline::load(&path).unwrap();

    // Five lines inserted above every finding: same findings, new lines.
    let shifted = format!("# one\n# two\n# three\n# four\n# five\n{POD}");
    std::fs::write(dir.path().join("pod.yaml"), &shifted).unwrap();
    let mut after = scan(dir.path());
    assert_eq!(lines_of(&after, "K8S-001"), [(16, false)]);
    let known = after.findings.len();
    assert_eq!(baseline.apply(&mut after), known);
    assert!(after.findings.is_empty());
    assert_eq!(after.stats.baseline, known);
    assert_eq!(after.exit_code(Severity::Info), 0);

    // A new problem is reported, and only it.
    let worse = shifted.replace(
        "spec:\n  containers:",
        "spec:\n  hostPID: true\n  containers:",
    );
    std::fs::write(dir.path().join("pod.yaml"), &worse).unwrap();
    let mut newer = scan(dir.path());
    baseline.apply(&mut newer);
    let rules: Vec<&str> = newer.findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(rules, ["K8S-003"], "{:?}", newer.findings);
    assert_eq!(newer.exit_code(Severity::High), 1);

    // A damaged baseline is an error that names the fix.
    std::fs::write(&path, "{\"version\": 1, \"findings\": [{\"oops\": 1}]}").unwrap();
    let err = Baseline::load(&path).unwrap_err().to_string();
    assert!(err.contains("rampart baseline create"), "{err}");
}

#[test]
fn github_annotations_and_gitlab_code_quality() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pod.yaml"), POD).unwrap();
    let report = scan(dir.path());
    let annotations = rampart_core::report::github::render(&report);
    let privileged = annotations.lines().find(|l| l.contains("K8S-001")).unwrap();
    assert!(
        privileged.starts_with("::error file=pod.yaml,line=11,endLine=11,col=9,"),
        "{privileged}"
    );
    assert!(
        privileged.contains("title=K8S-001 (high)::"),
        "{privileged}"
    );
    // Multi-line messages (the fix) stay on one command line.
    assert_eq!(annotations.lines().count(), report.findings.len());
    assert!(privileged.contains("%0Afix: "), "{privileged}");

    let quality = rampart_core::report::gitlab::build(&report);
    let issues = quality.as_array().unwrap();
    assert_eq!(issues.len(), report.findings.len());
    let issue = issues
        .iter()
        .find(|i| i["check_name"] == "K8S-001")
        .unwrap();
    assert_eq!(issue["severity"], "critical");
    assert_eq!(issue["location"]["path"], "pod.yaml");
    assert_eq!(issue["location"]["lines"]["begin"], 11);
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
}

#[test]
fn configuration_disables_rules_and_packs_overrides_severities_and_suppresses() {
    use rampart_core::config::Config;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("deploy/agent")).unwrap();
    std::fs::write(dir.path().join("deploy/agent/pod.yaml"), POD).unwrap();
    std::fs::write(dir.path().join("deploy/web.yaml"), POD).unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nUSER root\n",
    )
    .unwrap();
    let config_text = "fail-on: critical
packs:
  dockerfile: {enabled: false}
rules:
  K8S-003: {enabled: false}
  K8S-001: {severity: critical}
suppressions:
  - rule: K8S-001
    path: deploy/agent/**
    reason: the node agent needs privileged mode
  - rule: all
    path: deploy/web.yaml
    reason: temporary exception
    expires: 2020-01-31
";
    std::fs::write(dir.path().join("rampart.yaml"), config_text).unwrap();
    let config = Config::load(&Config::find(dir.path()).unwrap()).unwrap();
    assert_eq!(config.fail_on, Some(Severity::Critical));
    let report = Scanner::new(
        ScanOptions {
            paths: vec![dir.path().to_owned()],
            base_dir: Some(dir.path().to_owned()),
            advisories: None,
            ..ScanOptions::default()
        }
        .with_config(config),
    )
    .unwrap()
    .scan()
    .unwrap();
    assert!(
        !report.findings.iter().any(|f| f.pack == "dockerfile"),
        "pack disabled"
    );
    assert!(
        !report.findings.iter().any(|f| f.rule_id == "K8S-003"),
        "rule disabled"
    );
    let privileged: Vec<(&str, Severity, bool)> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "K8S-001")
        .map(|f| (f.path.as_str(), f.severity, f.suppression.is_some()))
        .collect();
    assert_eq!(
        privileged,
        [
            ("deploy/agent/pod.yaml", Severity::Critical, true),
            ("deploy/web.yaml", Severity::Critical, false),
        ]
    );
    let agent = report
        .findings
        .iter()
        .find(|f| f.path == "deploy/agent/pod.yaml" && f.rule_id == "K8S-001")
        .unwrap();
    assert_eq!(
        agent.suppression.as_ref().unwrap().kind,
        SuppressionKind::External
    );
    // The expired entry suppresses nothing and says so, at its line.
    let expired: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("expired on 2020-01-31"))
        .collect();
    assert_eq!(expired.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(expired[0].region.unwrap().start_line, 11);
    // web.yaml's K8S-001 is critical and not suppressed: the gate fails.
    assert_eq!(report.exit_code(Severity::Critical), 1);
}

#[test]
fn sarif_of_shards_merges_into_one_valid_log_with_one_run_per_category() {
    use rampart_core::report::sarif::{self, SarifOptions};
    let shard = |dir: &str, category: &str| -> serde_json::Value {
        let root = workspace_root().join("examples").join(dir);
        let report = scan(&root);
        let mut out = Vec::new();
        sarif::write(
            &report,
            &SarifOptions {
                category: Some(category.to_owned()),
                base_dir: Some(root),
            },
            &mut out,
        )
        .unwrap();
        serde_json::from_slice(&out).unwrap()
    };
    let k8s = shard("k8s", "iac");
    let docker = shard("docker", "iac");
    let compose = shard("compose", "compose");
    let count = |log: &serde_json::Value| log["runs"][0]["results"].as_array().unwrap().len();
    let expected_iac = count(&k8s) + count(&docker);
    let merged = rampart_core::report::sarif_merge::merge(vec![
        ("k8s.sarif".into(), k8s.clone()),
        ("docker.sarif".into(), docker),
        ("compose.sarif".into(), compose.clone()),
        // The same shard twice: its results are not duplicated.
        ("k8s-again.sarif".into(), k8s),
    ])
    .unwrap();
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(workspace_root().join("tests/schemas/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&merged));
    let runs = merged["runs"].as_array().unwrap();
    let categories: Vec<&str> = runs
        .iter()
        .map(|r| r["automationDetails"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(categories, ["compose/", "iac/"]);
    assert_eq!(
        count(&serde_json::json!({"runs": [runs[0]]})),
        count(&compose)
    );
    let iac = &runs[1];
    let results = iac["results"].as_array().unwrap();
    assert_eq!(results.len(), expected_iac);
    // Every ruleIndex points at the rule with that id after remapping.
    let rules = iac["tool"]["driver"]["rules"].as_array().unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let err = rampart_core::report::sarif_merge::merge(vec![(
        "bad.sarif".into(),
        serde_json::json!({"version": "2.0.0", "runs": []}),
    )])
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("bad.sarif: not a SARIF 2.1.0 log")
    );
}

/// The integrations shipped in the repository: the image passes rampart's
/// own Dockerfile pack (suppressions, with reasons, are the only
/// exceptions), the action and the pre-commit hook are well-formed and only
/// use flags the CLI has.
#[test]
fn shipped_integrations_pass_rampart_and_use_real_flags() {
    let root = workspace_root();
    let dir = tempfile::tempdir().unwrap();
    for file in ["Dockerfile", "action.yml", ".pre-commit-hooks.yaml"] {
        std::fs::copy(root.join(file), dir.path().join(file)).unwrap();
    }
    let report = scan(dir.path());
    let open: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .map(|f| format!("{}:{:?} {} {}", f.path, f.region, f.rule_id, f.message))
        .collect();
    assert!(open.is_empty(), "{open:#?}");
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert!(report.findings.iter().all(|f| {
        f.suppression
            .as_ref()
            .is_some_and(|s| !s.justification.is_empty())
    }));
    // The action is a GitHub Actions `action` resource, run as a container
    // built from the Dockerfile, and passes only flags `rampart scan` knows.
    let inventory = Scanner::new(ScanOptions {
        paths: vec![dir.path().join("action.yml")],
        base_dir: Some(dir.path().to_owned()),
        builtin_packs: false,
        advisories: None,
        ..ScanOptions::default()
    })
    .unwrap()
    .inventory()
    .unwrap();
    let action = inventory.resources().next().unwrap();
    assert_eq!(action.kind, "github-actions");
    let runs = &action.document["runs"];
    assert_eq!(runs["using"], "docker");
    assert_eq!(runs["image"], "Dockerfile");
    assert!(runs["args"].as_array().is_some_and(|a| a[0] == "scan"));
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let hooks = rampart_core::inventory::yaml::parse_documents(&hooks).unwrap();
    assert_eq!(hooks[0].value[0]["id"], "rampart");
    assert_eq!(hooks[0].value[0]["language"], "docker");
    // (cli/tests/cli.rs checks their flags against `rampart scan --help`.)
}

/// JUnit XML: well-formed whatever the messages hold, and the structure the
/// common JUnit schema (Ant/Jenkins) requires — `testsuites` › `testsuite`
/// › `testcase` with `failure`/`skipped`/`error`, required attributes, and
/// counts that agree with the elements. (No JUnit XSD is available from this
/// machine's registries, so the schema's rules are checked here directly.)
#[test]
fn junit_xml_is_well_formed_and_its_counts_agree() {
    let dir = tempfile::tempdir().unwrap();
    let suppressed = POD.replace(
        "privileged: true",
        "privileged: true  # rampart:ignore K8S-001 lab <cluster> & \"isolated\"",
    );
    std::fs::write(dir.path().join("pod.yaml"), suppressed).unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "a: [\n").unwrap();
    let mut report = scan(dir.path());
    report.findings[0].message = "hostile <tag> & \"quotes\" 'apos' \u{1}\u{7} end".into();
    let xml = rampart_core::report::junit::render(&report);
    let document = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let int = |node: roxmltree::Node<'_, '_>, name: &str| -> usize {
        node.attribute(name)
            .unwrap_or_else(|| panic!("<{}> lacks {name}", node.tag_name().name()))
            .parse()
            .unwrap()
    };
    let elements = |node: roxmltree::Node<'_, '_>, name: &'static str| {
        node.descendants()
            .filter(move |n| n.is_element() && n.tag_name().name() == name)
            .count()
    };
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert!(suites.iter().all(|s| s.tag_name().name() == "testsuite"));
    for suite in &suites {
        assert!(suite.attribute("name").is_some());
        assert_eq!(int(*suite, "tests"), elements(*suite, "testcase"));
        assert_eq!(int(*suite, "failures"), elements(*suite, "failure"));
        assert_eq!(int(*suite, "errors"), elements(*suite, "error"));
        assert_eq!(int(*suite, "skipped"), elements(*suite, "skipped"));
        for case in suite.children().filter(|n| n.is_element()) {
            assert_eq!(case.tag_name().name(), "testcase");
            assert!(case.attribute("name").is_some() && case.attribute("classname").is_some());
            for outcome in case.children().filter(|n| n.is_element()) {
                assert!(["failure", "skipped", "error"].contains(&outcome.tag_name().name()));
                if outcome.tag_name().name() != "skipped" {
                    assert!(
                        outcome.attribute("message").is_some()
                            && outcome.attribute("type").is_some()
                    );
                }
            }
        }
    }
    for name in ["tests", "failures", "errors", "skipped"] {
        let total: usize = suites.iter().map(|s| int(*s, name)).sum();
        assert_eq!(int(root, name), total, "{name}");
    }
    assert_eq!(int(root, "errors"), 1, "the broken file");
    assert_eq!(int(root, "skipped"), 1, "the suppressed finding");
    assert!(xml.contains("hostile &lt;tag&gt; &amp; &quot;quotes&quot; &apos;apos&apos;  end"));
    assert!(xml.contains("suppressed: lab &lt;cluster&gt; &amp; &quot;isolated&quot;"));
}
