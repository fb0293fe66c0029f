//! Packs pinned by digest, downloaded from a real HTTP server on
//! 127.0.0.1: verified before use, cached by digest, refused on mismatch.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::policy::remote::{RemoteError, RemoteOptions, RemotePack};
use rampart_core::policy::{CacheMode, EngineOptions, LoadError};
use rampart_core::{ScanError, ScanOptions, Scanner};
use rampart_tests::osv_server::{Behaviour, Server};
use sha2::Digest;

fn pack_bytes() -> Vec<u8> {
    rampart_builtin::get("dockerfile").unwrap().wasm.to_vec()
}

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn scan(policy: &str, remote: RemoteOptions) -> Result<rampart_core::Report, ScanError> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM debian:12\nRUN apt-get update\n",
    )
    .unwrap();
    Scanner::new(ScanOptions {
        paths: vec![dir.path().to_owned()],
        base_dir: Some(dir.path().to_owned()),
        builtin_packs: false,
        policies: vec![policy.into()],
        remote,
        engine: EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        },
        advisories: None,
        ..ScanOptions::default()
    })?
    .scan()
}

#[test]
fn pinned_pack_is_downloaded_verified_and_cached() {
    let bytes = pack_bytes();
    let digest = sha256(&bytes);
    let server = Server::start(vec![(
        "/packs/dockerfile.wasm",
        Behaviour::Serve {
            body: bytes.clone(),
            etag: "\"1\"".into(),
        },
    )]);
    let cache = tempfile::tempdir().unwrap();
    let options = RemoteOptions {
        cache_dir: Some(cache.path().to_owned()),
        ..RemoteOptions::default()
    };
    let url = format!("{}/packs/dockerfile.wasm#sha256={digest}", server.url());
    let report = scan(&url, options.clone()).unwrap();
    assert!(
        report.findings.iter().any(|f| f.rule_id == "DF-001"),
        "{:?}",
        report.findings
    );
    assert_eq!(report.rules[0].pack, "dockerfile");
    assert!(cache.path().join(format!("{digest}.wasm")).is_file());
    assert_eq!(server.requests().len(), 1);
    // Cached: no second download, and offline works.
    let offline = RemoteOptions {
        offline: true,
        ..options.clone()
    };
    scan(&url, offline.clone()).unwrap();
    assert_eq!(server.requests().len(), 1);
    // A damaged cache entry is not trusted: offline, it is an error.
    std::fs::write(cache.path().join(format!("{digest}.wasm")), b"tampered").unwrap();
    let error = scan(&url, offline).unwrap_err();
    assert!(error.to_string().contains("--offline"), "{error}");
}

#[test]
fn digest_mismatch_is_a_hard_error_and_nothing_is_kept() {
    let bytes = pack_bytes();
    let server = Server::start(vec![(
        "/packs/dockerfile.wasm",
        Behaviour::Serve {
            body: bytes,
            etag: "\"1\"".into(),
        },
    )]);
    let cache = tempfile::tempdir().unwrap();
    let wrong = "0".repeat(64);
    let url = format!("{}/packs/dockerfile.wasm#sha256={wrong}", server.url());
    let error = scan(
        &url,
        RemoteOptions {
            cache_dir: Some(cache.path().to_owned()),
            ..RemoteOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            ScanError::Policy(LoadError::Remote(RemoteError::DigestMismatch { .. }))
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("does not match its pinned digest"),
        "{error}"
    );
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
}

#[test]
fn unpinned_urls_and_server_errors() {
    assert!(matches!(
        RemotePack::parse("https://example.com/p.wasm#sha256=abc"),
        Some(Err(RemoteError::Syntax(_)))
    ));
    let server = Server::start(vec![("/gone.wasm", Behaviour::Status(404))]);
    let url = format!("{}/gone.wasm#sha256={}", server.url(), "a".repeat(64));
    let error = scan(
        &url,
        RemoteOptions {
            cache_dir: None,
            ..RemoteOptions::default()
        },
    )
    .unwrap_err();
    assert!(error.to_string().contains("404"), "{error}");
}

/// In rampart.yaml a pinned URL stays a URL (paths are relative to the
/// file).
#[test]
fn configuration_keeps_pinned_urls() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "https://packs.example.com/acme.wasm#sha256={}",
        "b".repeat(64)
    );
    std::fs::write(
        dir.path().join("rampart.yaml"),
        format!("policies:\n  - {url}\n  - local/pack.wasm\n"),
    )
    .unwrap();
    let config = rampart_core::config::Config::load(&dir.path().join("rampart.yaml")).unwrap();
    assert_eq!(config.policies[0], std::path::PathBuf::from(&url));
    assert_eq!(config.policies[1], dir.path().join("local/pack.wasm"));
}
