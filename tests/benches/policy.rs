//! Policy runtime benchmark: per-call cost with a warm instance, cost of a
//! fresh instance, cold compile vs. cache-hit load, parallel throughput.
//!
//! `cargo bench -p rampart-tests --bench policy` (release profile). Prints
//! medians; on a 2-core machine run it on an otherwise idle system and
//! compare ratios measured in the same run.

use rampart_core::Resource;
use rampart_core::policy::PackSource;
use rampart_core::policy::{CacheMode, EngineOptions, PolicyEngine, PolicyPack, evaluate_batches};
use serde_json::json;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed())
}

fn pod(i: usize) -> Resource {
    Resource::new(
        "k8s",
        format!("k8s:Deployment/default/web-{i}"),
        format!("deploy/web-{i}.yaml"),
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": format!("web-{i}"), "namespace": "default", "labels": {"app": "web"}},
            "spec": {"replicas": 3, "template": {"spec": {
                "hostNetwork": i.is_multiple_of(2),
                "containers": [
                    {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
                     "securityContext": {"privileged": i.is_multiple_of(3), "allowPrivilegeEscalation": false},
                     "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}},
                    {"name": "sidecar", "image": "envoyproxy/envoy:v1.31"}
                ]}}}
        }),
    )
}

fn engine(cache: CacheMode) -> PolicyEngine {
    PolicyEngine::new(EngineOptions {
        cache,
        ..EngineOptions::default()
    })
    .expect("engine")
}

fn warm_call(pack: &PolicyPack, resource: &Resource, iterations: usize) -> Duration {
    let batch = std::slice::from_ref(resource);
    for _ in 0..100 {
        pack.evaluate(batch);
    }
    let samples: Vec<Duration> = (0..iterations)
        .map(|_| time(|| pack.evaluate(batch)).1)
        .collect();
    median(samples)
}

fn main() {
    println!("rampart policy runtime benchmark (medians)");
    let wasm = rampart_builtin::get("kubernetes")
        .expect("kubernetes pack")
        .wasm;
    println!(
        "component: builtin kubernetes pack, {:.1} KiB",
        wasm.len() as f64 / 1024.0
    );

    // Cold compile: no cache at all.
    let cold_engine = engine(CacheMode::Disabled);
    let cold = median(
        (0..5)
            .map(|_| {
                time(|| {
                    cold_engine
                        .load(
                            PackSource::Bytes {
                                origin: "bench",
                                wasm,
                            },
                            None,
                        )
                        .expect("load")
                })
                .1
            })
            .collect(),
    );
    println!(
        "load, cold compile (no cache):       {:>10.2} ms",
        cold.as_secs_f64() * 1e3
    );

    // Cache hit: a fresh engine each time, as a new process would have.
    let dir = tempfile::tempdir().expect("tempdir");
    engine(CacheMode::Dir(dir.path().to_owned()))
        .load(
            PackSource::Bytes {
                origin: "bench",
                wasm,
            },
            None,
        )
        .expect("warm the cache");
    let hits: Vec<Duration> = (0..20)
        .map(|_| {
            let engine = engine(CacheMode::Dir(dir.path().to_owned()));
            let (pack, elapsed) = time(|| {
                engine
                    .load(
                        PackSource::Bytes {
                            origin: "bench",
                            wasm,
                        },
                        None,
                    )
                    .expect("load")
            });
            assert_eq!(
                pack.load_stats().cache,
                rampart_core::policy::CacheOutcome::Hit
            );
            elapsed
        })
        .collect();
    let hit = median(hits);
    println!(
        "load, cache hit (new engine):        {:>10.2} ms",
        hit.as_secs_f64() * 1e3
    );
    println!(
        "  cold / hit ratio:                   {:>10.1}x",
        cold.as_secs_f64() / hit.as_secs_f64()
    );

    let pack = engine(CacheMode::Dir(dir.path().to_owned()))
        .load(
            PackSource::Bytes {
                origin: "bench",
                wasm,
            },
            None,
        )
        .expect("load");
    let resource = pod(0);
    let warm = warm_call(&pack, &resource, 20_000);
    println!(
        "evaluate, warm instance, 1 resource: {:>10.2} µs",
        warm.as_secs_f64() * 1e6
    );
    let small = Resource::new(
        "k8s",
        "k8s:Pod/x",
        "x.yaml",
        json!({"kind": "Pod", "spec": {}}),
    );
    let warm_small = warm_call(&pack, &small, 20_000);
    println!(
        "evaluate, warm instance, tiny doc:   {:>10.2} µs",
        warm_small.as_secs_f64() * 1e6
    );

    // The same document through a pack that does not parse it: the cost of
    // crossing the boundary alone (copy in, call, copy a finding out).
    let boundary_pack = engine(CacheMode::Dir(dir.path().to_owned()))
        .load(PackSource::file(&rampart_tests::policies::HOSTILE), None)
        .expect("load test pack");
    let mut flagged = pod(0);
    flagged.kind = "test".into();
    let boundary = warm_call(&boundary_pack, &flagged, 20_000);
    println!(
        "evaluate, boundary only (no parse):  {:>10.2} µs",
        boundary.as_secs_f64() * 1e6
    );

    let fresh: Vec<Duration> = (0..2_000)
        .map(|_| {
            pack.release_idle_instances();
            time(|| pack.evaluate(std::slice::from_ref(&resource))).1
        })
        .collect();
    let fresh = median(fresh);
    println!(
        "evaluate, fresh instance:            {:>10.2} µs",
        fresh.as_secs_f64() * 1e6
    );
    println!(
        "  instantiation cost (fresh - warm):  {:>10.2} µs",
        (fresh.saturating_sub(warm)).as_secs_f64() * 1e6
    );

    // Throughput: 10,000 resources in batches of 10, all cores.
    let batches: Vec<Vec<Resource>> = (0..1_000)
        .map(|b| (0..10).map(|i| pod(b * 10 + i)).collect())
        .collect();
    let packs = [pack];
    let _ = evaluate_batches(&packs, &batches);
    let (outcome, elapsed) = time(|| evaluate_batches(&packs, &batches));
    let outcome: rampart_core::policy::Evaluation = outcome.into_iter().collect();
    assert!(outcome.errors.is_empty());
    println!(
        "evaluate_batches, 10,000 resources:  {:>10.2} ms ({:.0} resources/s, {} threads, {} findings)",
        elapsed.as_secs_f64() * 1e3,
        10_000.0 / elapsed.as_secs_f64(),
        rayon::current_num_threads(),
        outcome.findings.len()
    );
}
