//! rampart's library: inventory → policy → report.
//!
//! rampart collects **resources** (Kubernetes objects, Dockerfiles, packages,
//! host settings …), evaluates them with **policy packs** — WebAssembly
//! components run in a sandbox — and reports the **findings**.
//!
//! [`Scanner`] runs the whole pipeline; [`policy`] is the policy runtime on
//! its own: load packs, list their rules, evaluate resources.
//!
//! ```
//! use rampart_core::policy::{CacheMode, EngineOptions, PackSource, PolicyEngine};
//! use rampart_core::{Resource, Severity};
//! use serde_json::json;
//!
//! let engine = PolicyEngine::new(EngineOptions { cache: CacheMode::Disabled, ..Default::default() })?;
//! let kubernetes = engine.load(PackSource::Builtin("kubernetes"), None)?;
//! assert!(kubernetes.metadata().rules.iter().any(|r| r.id == "K8S-001"));
//!
//! let pod = Resource::new(
//!     "k8s",
//!     "k8s:Pod/default/web",
//!     "web.yaml",
//!     json!({"kind": "Pod", "spec": {"containers": [
//!         {"name": "web", "securityContext": {"privileged": true, "allowPrivilegeEscalation": false}}
//!     ]}}),
//! );
//! let outcome = kubernetes.evaluate(&[pod]);
//! assert!(outcome.errors.is_empty());
//! let privileged: Vec<_> = outcome.findings.iter().filter(|f| f.rule_id == "K8S-001").collect();
//! assert_eq!(privileged.len(), 1);
//! assert_eq!(privileged[0].severity, Severity::High);
//! assert_eq!(privileged[0].pointer, "/spec/containers/0/securityContext/privileged");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod advisories;
pub mod baseline;
pub mod config;
pub mod diagnostic;
pub mod dirs;
pub mod download;
pub mod finding;
pub mod inventory;
pub mod migrate;
pub mod policy;
pub mod progress;
pub mod read;
pub mod report;
pub mod resource;
pub mod results;
pub mod rule;
mod scan;
pub mod secret_hash;
pub mod suppress;

// The facade: what a program driving rampart (the `rampart` binary among
// them) names, flat at the top. The modules stay public for the output
// formats (`report::…`), the advisory database (`advisories::db`,
// `advisories::update`) and the readers the tests and fuzz targets call.
pub use advisories::AdvisoryOptions;
pub use baseline::Baseline;
pub use config::{Config, STARTER as STARTER_CONFIG};
pub use diagnostic::{Diagnostic, FileError, Level, ParseError};
pub use download::Redirects;
pub use finding::{
    CommitOrigin, Finding, ParseSeverityError, Severity, Suppression, SuppressionKind,
};
pub use inventory::host::ssh::SshOptions;
pub use inventory::host::{HostTarget, TargetError, targets as scan_targets};
pub use inventory::tfvars::TerraformVars;
pub use policy::remote::RemoteOptions;
pub use policy::{
    CacheMode, CacheOutcome, EngineOptions, Evaluation, PackSet, PackSource, PackSpec,
    PolicyEngine, PolicyPack, SandboxLimits, evaluate_by_source,
};
pub use progress::{ScanObserver, ScanPhase};
pub use read::{Links, MAX_SMALL_FILE, read_text};
pub use resource::from_json as resources_from_json;
pub use resource::{Region, RelatedLocation, Resource, SpanIndex};
pub use results::{ExitStatus, HostStatus, HostSummary, Report, ReportRule, ScanStats};
pub use rule::{ComplianceControl, PackMetadata, RuleMetadata};
pub use scan::{DEFAULT_TIMEOUT, ScanError, ScanOptions, Scanner};
pub use secret_hash::SecretHashKey;
