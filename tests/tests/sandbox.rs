//! Hostile policies: each misbehaviour has a documented, bounded outcome,
//! and the pack keeps working afterwards.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::policy::PackSource;
use rampart_core::policy::{LoadError, PolicyErrorKind, PolicyPack, SandboxLimits};
use rampart_tests::{engine_with, policies, resource};
use serde_json::json;
use std::time::{Duration, Instant};

fn hostile(limits: SandboxLimits) -> PolicyPack {
    engine_with(limits)
        .load(PackSource::file(&policies::HOSTILE), None)
        .expect("hostile pack loads")
}

fn hostile_with_mode(mode: &str) -> Result<PolicyPack, LoadError> {
    engine_with(SandboxLimits::default()).load(
        PackSource::file(&policies::HOSTILE),
        Some(&json!({"mode": mode})),
    )
}

/// A batch that asks the hostile pack to behave: one finding at `/flag`.
fn well_behaved_batch() -> Vec<rampart_core::Resource> {
    vec![resource("ok", json!({"flag": true}))]
}

fn assert_recovers(pack: &PolicyPack) {
    let outcome = pack.evaluate(&well_behaved_batch());
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(
        outcome.findings.len(),
        1,
        "the pack works again after a failure"
    );
    assert_eq!(outcome.findings[0].pointer, "/flag");
}

#[test]
fn infinite_loop_is_stopped_at_the_deadline() {
    let timeout = Duration::from_millis(300);
    let pack = hostile(SandboxLimits {
        call_timeout: timeout,
        ..SandboxLimits::default()
    });
    let started = Instant::now();
    let outcome = pack.evaluate(&[resource("r", json!({"do": "loop"}))]);
    let elapsed = started.elapsed();
    assert_eq!(outcome.errors.len(), 1, "{outcome:?}");
    let error = &outcome.errors[0];
    assert_eq!(error.kind, PolicyErrorKind::Timeout);
    assert_eq!(error.resources, ["r"]);
    assert!(
        error.message.contains("did not finish within 300ms"),
        "{}",
        error.message
    );
    assert!(
        elapsed >= timeout - Duration::from_millis(20),
        "stopped too early: {elapsed:?}"
    );
    assert!(
        elapsed < timeout + Duration::from_millis(250),
        "stopped {elapsed:?} after start; deadline {timeout:?}"
    );
    assert!(outcome.findings.is_empty());
    assert_eq!(
        pack.idle_instances(),
        0,
        "the interrupted instance was discarded"
    );
    assert_recovers(&pack);
}

#[test]
fn fuel_budget_stops_a_loop_deterministically() {
    let pack = hostile(SandboxLimits {
        fuel_per_call: Some(5_000_000),
        ..SandboxLimits::default()
    });
    let outcome = pack.evaluate(&[resource("r", json!({"do": "loop"}))]);
    assert_eq!(outcome.errors.len(), 1, "{outcome:?}");
    assert_eq!(outcome.errors[0].kind, PolicyErrorKind::OutOfFuel);
    assert_recovers(&pack);
}

#[test]
fn allocating_a_gibibyte_hits_the_memory_limit() {
    let pack = hostile(SandboxLimits {
        memory_bytes: 64 << 20,
        ..SandboxLimits::default()
    });
    let started = Instant::now();
    let outcome = pack.evaluate(&[resource("r", json!({"do": "alloc"}))]);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(outcome.errors.len(), 1, "{outcome:?}");
    let error = &outcome.errors[0];
    assert_eq!(error.kind, PolicyErrorKind::OutOfMemory);
    assert!(
        error.message.contains("the limit is 64 MiB"),
        "{}",
        error.message
    );
    assert_recovers(&pack);
}

#[test]
fn reading_host_files_is_refused_at_load() {
    let err = engine_with(SandboxLimits::default())
        .load(PackSource::file(&policies::READS_FILES), None)
        .expect_err("a component importing the filesystem must not load");
    let LoadError::ForbiddenImports { refused, .. } = &err else {
        panic!("expected ForbiddenImports, got {err}");
    };
    let names: Vec<&str> = refused.iter().map(|r| r.name.as_str()).collect();
    assert!(
        names.contains(&"wasi:filesystem/preopens@0.2.6"),
        "{names:?}"
    );
    assert!(
        err.to_string().contains("policies may not read files"),
        "{err}"
    );
}

#[test]
fn opening_a_socket_is_refused_at_load() {
    let err = engine_with(SandboxLimits::default())
        .load(PackSource::file(&policies::OPENS_SOCKET), None)
        .expect_err("a component importing sockets must not load");
    let message = err.to_string();
    assert!(message.contains("wasi:sockets/tcp@0.2.6"), "{message}");
    assert!(
        message.contains("policies may not use the network"),
        "{message}"
    );
}

#[test]
fn panic_is_reported_with_its_message() {
    let pack = hostile(SandboxLimits::default());
    let outcome = pack.evaluate(&[resource("r", json!({"do": "panic"}))]);
    assert_eq!(outcome.errors.len(), 1, "{outcome:?}");
    let error = &outcome.errors[0];
    assert_eq!(error.kind, PolicyErrorKind::Panic);
    assert!(
        error.message.contains("hostile policy panicked on purpose"),
        "{}",
        error.message
    );
    assert!(
        error.message.starts_with("panicked at "),
        "{}",
        error.message
    );
    assert_recovers(&pack);
}

#[test]
fn findings_for_undeclared_rules_are_dropped_and_reported() {
    let pack = hostile(SandboxLimits::default());
    let outcome = pack.evaluate(&[resource(
        "r",
        json!({"do": "undeclared-rule", "flag": true}),
    )]);
    assert_eq!(
        outcome.findings.len(),
        1,
        "the declared rule's finding is kept"
    );
    assert_eq!(outcome.findings[0].rule_id, "TEST-001");
    assert_eq!(outcome.errors.len(), 1, "{outcome:?}");
    assert_eq!(outcome.errors[0].kind, PolicyErrorKind::InvalidResult);
    assert!(
        outcome.errors[0].message.contains("NOT-DECLARED"),
        "{}",
        outcome.errors[0].message
    );
    assert_eq!(
        pack.idle_instances(),
        1,
        "an invalid result does not cost the instance"
    );
}

#[test]
fn findings_for_resources_not_in_the_batch_are_dropped() {
    let pack = hostile(SandboxLimits::default());
    let outcome = pack.evaluate(&[resource(
        "r",
        json!({"do": "unknown-resource", "flag": true}),
    )]);
    assert!(outcome.findings.is_empty());
    assert_eq!(outcome.errors.len(), 1);
    assert!(
        outcome.errors[0].message.contains("no-such-resource"),
        "{}",
        outcome.errors[0].message
    );
}

#[test]
fn findings_are_checked_the_same_in_small_and_large_batches() {
    // Up to 16 resources the ids are scanned, above that hashed; the rule
    // of the previous finding is checked before the rule table. Findings
    // alternate between a declared and an undeclared rule.
    let pack = hostile(SandboxLimits::default());
    // `size` flagged resources, the first of which tells the pack what to do.
    let batch = |size: usize, mode: &str| -> Vec<_> {
        (0..size)
            .map(|i| resource(&format!("r{i}"), json!({"do": mode, "flag": true})))
            .collect()
    };
    for size in [1, 16, 17, 40] {
        let outcome = pack.evaluate(&batch(size, "undeclared-rule"));
        let kept: Vec<(&str, &str)> = outcome
            .findings
            .iter()
            .map(|f| (f.rule_id.as_str(), f.resource_id.as_str()))
            .collect();
        let expected: Vec<String> = (0..size).map(|i| format!("r{i}")).collect();
        let expected: Vec<(&str, &str)> = expected
            .iter()
            .map(|id| ("TEST-001", id.as_str()))
            .collect();
        assert_eq!(kept, expected, "batch of {size}");
        assert_eq!(outcome.errors.len(), 1, "batch of {size}: {outcome:?}");
        assert!(
            outcome.errors[0]
                .message
                .contains(&format!("returned {size} finding(s) for rule ids"))
        );

        let outcome = pack.evaluate(&batch(size, "unknown-resource"));
        assert!(outcome.findings.is_empty(), "batch of {size}");
        assert!(outcome.errors[0].message.contains(&format!(
            "returned {size} finding(s) for resources not in the batch"
        )));
    }
}

#[test]
fn pointers_that_do_not_resolve_fall_back_to_the_nearest_ancestor() {
    use rampart_core::{Region, SpanIndex};
    let mut spans = SpanIndex::default();
    spans.insert("", Region::line(1, 1, 40));
    spans.insert("/spec", Region::line(2, 3, 20));
    let r = resource("r", json!({"do": "bad-pointer", "flag": true, "spec": {}})).with_spans(spans);
    let pack = hostile(SandboxLimits::default());
    let outcome = pack.evaluate(std::slice::from_ref(&r));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let pointers: Vec<&str> = outcome
        .findings
        .iter()
        .map(|f| f.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/spec/does/not/exist", "not-a-pointer"]);
    let lines: Vec<(&str, u32)> = pointers
        .iter()
        .map(|p| {
            r.spans
                .resolve(p)
                .map(|(at, region)| (at, region.start_line))
                .unwrap()
        })
        .collect();
    assert_eq!(lines, [("/spec", 2), ("", 1)]);
}

#[test]
fn a_million_findings_exceed_the_result_size_limit() {
    let pack = hostile(SandboxLimits::default());
    let started = Instant::now();
    let outcome = pack.evaluate(&[resource("r", json!({"do": "million"}))]);
    let elapsed = started.elapsed();
    assert!(outcome.findings.is_empty());
    assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    assert_eq!(outcome.errors[0].kind, PolicyErrorKind::InvalidResult);
    assert!(
        outcome.errors[0]
            .message
            .contains("returned more than 64 MiB of data in one call"),
        "{}",
        outcome.errors[0].message
    );
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    assert_recovers(&pack);
}

#[test]
fn findings_beyond_the_per_batch_cap_are_dropped_and_reported() {
    let pack = hostile(SandboxLimits::default());
    let outcome = pack.evaluate(&[resource("r", json!({"do": "many"}))]);
    assert_eq!(outcome.findings.len(), 10_000, "{:?}", outcome.errors);
    assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    assert_eq!(outcome.errors[0].kind, PolicyErrorKind::InvalidResult);
    assert!(
        outcome.errors[0]
            .message
            .contains("returned 20000 findings for one batch; only the first 10000 are kept"),
        "{}",
        outcome.errors[0].message
    );
}

#[test]
fn a_million_findings_within_a_small_memory_limit_is_out_of_memory() {
    let pack = hostile(SandboxLimits {
        memory_bytes: 32 << 20,
        ..SandboxLimits::default()
    });
    let outcome = pack.evaluate(&[resource("r", json!({"do": "million"}))]);
    assert!(outcome.findings.is_empty());
    assert_eq!(outcome.errors.len(), 1);
    assert_eq!(outcome.errors[0].kind, PolicyErrorKind::OutOfMemory);
}

#[test]
fn an_error_returned_by_the_pack_keeps_the_instance() {
    let pack = hostile(SandboxLimits::default());
    let outcome = pack.evaluate(&[resource("r", json!({"do": "error"}))]);
    assert_eq!(outcome.errors.len(), 1);
    assert_eq!(outcome.errors[0].kind, PolicyErrorKind::PackError);
    assert_eq!(
        outcome.errors[0].message,
        "this pack cannot evaluate the batch"
    );
    assert_eq!(pack.idle_instances(), 1);
    assert_recovers(&pack);
}

#[test]
fn log_floods_are_bounded() {
    let pack = hostile(SandboxLimits::default());
    let started = Instant::now();
    let outcome = pack.evaluate(&[resource("r", json!({"do": "log-flood", "flag": true}))]);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.findings.len(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn guest_randomness_is_deterministic() {
    let run = || {
        let outcome =
            hostile(SandboxLimits::default()).evaluate(&[resource("r", json!({"do": "random"}))]);
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        outcome.findings[0].message.clone()
    };
    let first = run();
    assert_eq!(first.split(',').count(), 64);
    assert_eq!(
        first,
        run(),
        "hash-map order inside a policy is the same on every run"
    );
}

#[test]
fn looping_metadata_fails_the_load_with_a_timeout() {
    let engine = engine_with(SandboxLimits {
        call_timeout: Duration::from_millis(200),
        ..SandboxLimits::default()
    });
    let started = Instant::now();
    let err = engine
        .load(
            PackSource::file(&policies::HOSTILE),
            Some(&json!({"mode": "metadata-loop"})),
        )
        .expect_err("must not load");
    assert!(started.elapsed() < Duration::from_secs(2));
    let message = err.to_string();
    assert!(message.contains("metadata() failed: timeout"), "{message}");
}

#[test]
fn invalid_metadata_is_refused_with_every_problem() {
    let err = hostile_with_mode("duplicate-rules").expect_err("duplicate ids");
    assert!(
        err.to_string()
            .contains("rule id `TEST-001` is declared twice"),
        "{err}"
    );
    let err = hostile_with_mode("bad-rule-id").expect_err("bad id");
    assert!(
        err.to_string()
            .contains("rule id `has spaces/and slashes` is invalid"),
        "{err}"
    );
    let err = hostile_with_mode("metadata-panic").expect_err("panic");
    assert!(
        err.to_string().contains("metadata failed on purpose"),
        "{err}"
    );
}

/// A pack's detectors (rampart:policy 0.1.1) are read once, at load,
/// compiled, and handed out with the pack.
#[test]
fn detectors_are_read_and_compiled_at_load() {
    let pack = hostile_with_mode("detectors").expect("loads");
    let detectors = pack.detectors();
    assert_eq!(detectors.len(), 1);
    assert_eq!(detectors[0].rule_id(), "TEST-001");
    assert_eq!(detectors[0].keywords(), ["flag_"]);
    let found = detectors[0]
        .regex()
        .captures(b"token = flag_0a1b2c3d;")
        .and_then(|c| c.name("secret"))
        .map(|m| m.as_bytes());
    assert_eq!(found, Some(&b"flag_0a1b2c3d"[..]));
    // A pack that declares none has none.
    let plain = hostile(SandboxLimits::default());
    assert!(plain.detectors().is_empty());
}

/// A pack built against rampart:policy@0.1.0, before `detectors` existed,
/// keeps loading and evaluating: the export is optional for the host.
#[test]
fn packs_built_against_abi_0_1_0_still_load() {
    let pack = engine_with(SandboxLimits::default())
        .load(PackSource::file(&policies::LEGACY), None)
        .expect("a 0.1.0 pack loads");
    assert!(
        pack.interface()
            .exports
            .iter()
            .any(|name| name == "rampart:policy/pack@0.1.0"),
        "{:?}",
        pack.interface().exports
    );
    assert!(pack.detectors().is_empty());
    let outcome = pack.evaluate(&[resource("r", json!({"flag": true}))]);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.findings.len(), 1);
    assert_eq!(outcome.findings[0].rule_id, "LEGACY-001");
}

/// Every way of declaring a bad detector refuses the pack at load, with
/// the rule named and the reason: the scan never runs a pattern the host
/// has not checked.
#[test]
fn bad_detectors_are_refused_at_load_with_the_reason() {
    for (mode, expected) in [
        (
            "detector-unknown-rule",
            "detector of `NOT-DECLARED`: the pack declares no rule `NOT-DECLARED`",
        ),
        (
            "detector-bad-pattern",
            "detector of `TEST-001`: its pattern is refused",
        ),
        ("detector-look-around", "look-around"),
        ("detector-huge-pattern", "size limit"),
        ("detector-empty-keyword", "is empty or longer than 64 bytes"),
        (
            "detectors-too-many",
            "it declares 1001 detectors; the limit is 1000 (max_detectors)",
        ),
        ("detectors-panic", "detectors failed on purpose"),
    ] {
        let err = hostile_with_mode(mode).expect_err(mode);
        let message = err.to_string();
        assert!(
            message.contains("its detectors are refused") && message.contains(expected),
            "{mode}: {message}"
        );
    }
    // The limits are the engine's: a smaller one refuses what the default
    // accepts.
    let engine = engine_with(SandboxLimits {
        max_detector_pattern_bytes: 8,
        ..SandboxLimits::default()
    });
    let err = engine
        .load(
            PackSource::file(&policies::HOSTILE),
            Some(&json!({"mode": "detectors"})),
        )
        .expect_err("pattern longer than 8 bytes");
    assert!(
        err.to_string()
            .contains("the limit is 8 (max_detector_pattern_bytes)"),
        "{err}"
    );
}

#[test]
fn bytes_that_are_not_a_component_are_refused() {
    let engine = engine_with(SandboxLimits::default());
    let err = engine
        .load(
            PackSource::Bytes {
                origin: "junk.wasm",
                wasm: b"definitely not wasm",
            },
            None,
        )
        .unwrap_err();
    assert!(matches!(err, LoadError::NotAComponent { .. }), "{err}");
    let err = engine
        .load(
            PackSource::Bytes {
                origin: "core.wasm",
                wasm: b"\0asm\x01\0\0\0",
            },
            None,
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("core WebAssembly module, not a component"),
        "{err}"
    );
    let empty = engine
        .load(
            PackSource::Bytes {
                origin: "empty.wasm",
                wasm: b"",
            },
            None,
        )
        .unwrap_err();
    assert!(matches!(empty, LoadError::NotAComponent { .. }), "{empty}");
}

#[test]
fn a_failing_batch_does_not_affect_the_others_in_parallel() {
    let pack = hostile(SandboxLimits {
        call_timeout: Duration::from_millis(200),
        ..SandboxLimits::default()
    });
    let mut batches: Vec<Vec<rampart_core::Resource>> = (0..64)
        .map(|i| vec![resource(&format!("r{i}"), json!({"flag": true}))])
        .collect();
    batches[10] = vec![resource("bad-loop", json!({"do": "loop"}))];
    batches[40] = vec![resource("bad-panic", json!({"do": "panic"}))];
    let outcome: rampart_core::policy::Evaluation =
        rampart_core::policy::evaluate_batches(std::slice::from_ref(&pack), &batches)
            .into_iter()
            .collect();
    assert_eq!(outcome.findings.len(), 62);
    let kinds: Vec<(&str, &PolicyErrorKind)> = outcome
        .errors
        .iter()
        .map(|e| (e.resources[0].as_str(), &e.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("bad-loop", &PolicyErrorKind::Timeout),
            ("bad-panic", &PolicyErrorKind::Panic)
        ]
    );
    // Results come back in batch order, whatever the thread timing.
    let ids: Vec<&str> = outcome
        .findings
        .iter()
        .map(|f| f.resource_id.as_str())
        .collect();
    let expected: Vec<String> = (0..64)
        .filter(|i| *i != 10 && *i != 40)
        .map(|i| format!("r{i}"))
        .collect();
    assert_eq!(ids, expected);
}
