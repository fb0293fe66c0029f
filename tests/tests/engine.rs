//! The public policy API: built-in packs, loading from files and
//! directories, settings, kinds, parallel and deterministic evaluation.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::Resource;
use rampart_core::policy::PackSource;
use rampart_core::policy::{
    LoadError, PolicyEngine, PolicyErrorKind, SandboxLimits, evaluate_batches,
};
use rampart_tests::{engine_with, policies, resource};
use serde_json::json;

fn k8s(id: &str, document: serde_json::Value) -> Resource {
    Resource::new("k8s", id, "manifests.yaml", document)
}

#[test]
fn builtin_packs_load_and_describe_their_rules() {
    let names = PolicyEngine::builtin_names();
    assert!(names.contains(&"kubernetes"), "{names:?}");
    let engine = engine_with(SandboxLimits::default());
    for pack in engine.load_builtins().unwrap() {
        let meta = pack.metadata();
        assert!(
            names.contains(&meta.name.as_str()),
            "pack name matches its directory"
        );
        assert!(!meta.rules.is_empty());
        for rule in &meta.rules {
            assert!(
                !rule.title.is_empty() && !rule.description.is_empty(),
                "{}",
                rule.id
            );
            assert!(
                !rule.remediation.is_empty(),
                "{} has no remediation",
                rule.id
            );
            assert!(!rule.kinds.is_empty(), "{} names no kinds", rule.id);
        }
        assert!(pack.origin().starts_with("builtin:"));
        assert_eq!(pack.digest().len(), 64);
    }
    let err = engine
        .load(PackSource::Builtin("no-such-pack"), None)
        .unwrap_err();
    assert!(matches!(err, LoadError::UnknownBuiltin(_)));
}

#[test]
fn kubernetes_pack_reports_with_pointers_and_severities() {
    let engine = engine_with(SandboxLimits::default());
    let pack = engine
        .load(PackSource::Builtin("kubernetes"), None)
        .unwrap();
    let deployment = k8s(
        "k8s:Deployment/default/web",
        json!({"kind": "Deployment", "spec": {"template": {"spec": {
        "hostNetwork": true,
        "containers": [
            {"name": "web", "securityContext": {"privileged": true, "allowPrivilegeEscalation": false}},
            {"name": "sidecar"}
        ]}}}}),
    );
    let outcome = pack.evaluate(&[deployment]);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let found: Vec<(&str, &str, String)> = outcome
        .findings
        .iter()
        .filter(|f| ["K8S-001", "K8S-002", "K8S-003"].contains(&f.rule_id.as_str()))
        .map(|f| {
            (
                f.rule_id.as_str(),
                f.pointer.as_str(),
                f.severity.to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "K8S-001",
                "/spec/template/spec/containers/0/securityContext/privileged",
                "high".to_owned()
            ),
            (
                "K8S-002",
                "/spec/template/spec/containers/1",
                "medium".to_owned()
            ),
            (
                "K8S-003",
                "/spec/template/spec/hostNetwork",
                "high".to_owned()
            ),
        ]
    );
    assert_eq!(
        outcome.findings[0].fix.as_deref(),
        Some("remove `privileged: true`")
    );
}

#[test]
fn resources_of_other_kinds_never_reach_the_pack() {
    let engine = engine_with(SandboxLimits::default());
    let pack = engine
        .load(PackSource::Builtin("kubernetes"), None)
        .unwrap();
    assert!(pack.metadata().wants_kind("k8s"));
    assert!(!pack.metadata().wants_kind("dockerfile"));
    let outcome = pack.evaluate(&[Resource::new(
        "dockerfile",
        "dockerfile:Dockerfile",
        "Dockerfile",
        json!({"kind": "Pod", "spec": {"hostPID": true}}),
    )]);
    assert_eq!(outcome, Default::default());
}

#[test]
fn settings_reach_the_pack() {
    let engine = engine_with(SandboxLimits::default());
    let pack = engine
        .load(
            PackSource::file(&policies::HOSTILE),
            Some(&json!({"mode": "error"})),
        )
        .unwrap();
    let outcome = pack.evaluate(&[resource("r", json!({}))]);
    assert_eq!(outcome.errors[0].kind, PolicyErrorKind::PackError);
}

#[test]
fn a_directory_loads_pack_by_pack() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(policies::HOSTILE, dir.path().join("a-hostile.wasm")).unwrap();
    std::fs::copy(policies::OPENS_SOCKET, dir.path().join("b-socket.wasm")).unwrap();
    std::fs::write(dir.path().join("c-junk.wasm"), b"junk").unwrap();
    std::fs::write(dir.path().join("README.md"), b"not a pack").unwrap();
    let engine = engine_with(SandboxLimits::default());
    let results = engine.load_path(dir.path()).unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap().name(), "hostile");
    assert!(matches!(
        results[1],
        Err(LoadError::ForbiddenImports { .. })
    ));
    assert!(matches!(results[2], Err(LoadError::NotAComponent { .. })));
    let missing = engine
        .load(PackSource::file(&dir.path().join("missing.wasm")), None)
        .unwrap_err();
    assert!(matches!(missing, LoadError::Io { .. }), "{missing}");
    let missing = engine.load_path(dir.path().join("missing")).unwrap();
    assert!(
        matches!(missing.as_slice(), [Err(LoadError::Io { .. })]),
        "{missing:?}"
    );
}

#[test]
fn instances_are_reused_across_calls() {
    let engine = engine_with(SandboxLimits::default());
    let pack = engine
        .load(PackSource::file(&policies::HOSTILE), None)
        .unwrap();
    for i in 0..50 {
        let outcome = pack.evaluate(&[resource(&format!("r{i}"), json!({"flag": true}))]);
        assert_eq!(outcome.findings.len(), 1);
    }
    assert_eq!(
        pack.idle_instances(),
        1,
        "sequential calls share one instance"
    );
}

#[test]
fn parallel_evaluation_is_deterministic_across_thread_counts() {
    let engine = engine_with(SandboxLimits::default());
    let packs = vec![
        engine
            .load(PackSource::Builtin("kubernetes"), None)
            .unwrap(),
        engine
            .load(PackSource::file(&policies::HOSTILE), None)
            .unwrap(),
    ];
    let batches: Vec<Vec<Resource>> = (0..200)
        .map(|i| {
            vec![
                k8s(&format!("k8s:Pod/p{i}"), json!({"kind": "Pod", "spec": {"hostPID": i % 3 == 0, "containers": [{"name": "c"}]}})),
                resource(&format!("t{i}"), json!({"flag": i % 2 == 0})),
            ]
        })
        .collect();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| serde_json::to_string(&evaluate_batches(&packs, &batches)).unwrap())
    };
    let one = run(1);
    let four = run(4);
    assert_eq!(one, four);
    let outcome: rampart_core::policy::Evaluation =
        evaluate_batches(&packs, &batches).into_iter().collect();
    assert!(outcome.errors.is_empty());
    let count = |rule: &str| {
        outcome
            .findings
            .iter()
            .filter(|f| f.rule_id == rule)
            .count()
    };
    assert_eq!(
        (count("K8S-002"), count("K8S-003"), count("TEST-001")),
        (200, 67, 100)
    );
}

#[test]
fn a_pack_set_enables_and_configures_packs_found_by_path() {
    use rampart_core::config::Config;
    use rampart_core::policy::remote::RemoteOptions;
    use rampart_core::policy::{PackSet, PackSpec};
    let engine = engine_with(SandboxLimits::default());
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(policies::HOSTILE, dir.path().join("hostile.wasm")).unwrap();
    let remote = RemoteOptions::default();
    let load = |config: &Config, spec: PackSpec| {
        PackSet {
            builtin: false,
            specs: &[spec],
            config: Some(config),
            remote: &remote,
        }
        .load(&engine)
        .unwrap()
    };
    let outcome = |packs: &[rampart_core::policy::PolicyPack]| {
        assert_eq!(packs.len(), 1);
        packs[0].evaluate(&[resource("r", json!({}))])
    };
    // Without settings the pack evaluates cleanly; its configuration's
    // settings (looked up by the name its metadata gives) reach a pack
    // named by file and every pack of a directory.
    let none = Config::default();
    assert!(
        outcome(&load(&none, PackSpec::Path(policies::HOSTILE.into())))
            .errors
            .is_empty()
    );
    let config = Config::parse(
        "packs:\n  hostile:\n    settings:\n      mode: error\n",
        "rampart.yaml",
    )
    .unwrap();
    for spec in [
        PackSpec::Path(policies::HOSTILE.into()),
        PackSpec::Path(dir.path().to_owned()),
    ] {
        let packs = load(&config, spec.clone());
        assert_eq!(
            outcome(&packs).errors[0].kind,
            PolicyErrorKind::PackError,
            "{spec:?}"
        );
    }
    let disabled =
        Config::parse("packs:\n  hostile:\n    enabled: false\n", "rampart.yaml").unwrap();
    assert!(load(&disabled, PackSpec::Path(dir.path().to_owned())).is_empty());
}
