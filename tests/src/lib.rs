//! Shared helpers for rampart's end-to-end tests.

use rampart_core::Resource;
use rampart_core::policy::{CacheMode, EngineOptions, PolicyEngine, SandboxLimits};
use serde_json::Value;
use std::path::PathBuf;

/// Paths of the components built from `tests/policies/*`.
pub mod policies {
    include!(concat!(env!("OUT_DIR"), "/test_policies.rs"));
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// An engine with no disk cache and the given limits.
pub fn engine_with(limits: SandboxLimits) -> PolicyEngine {
    PolicyEngine::new(EngineOptions {
        limits,
        cache: CacheMode::Disabled,
    })
    .expect("engine")
}

/// A resource of kind `test` with the given document.
pub fn resource(id: &str, document: Value) -> Resource {
    Resource::new("test", id, format!("{id}.json"), document)
}

pub mod osv_server;
