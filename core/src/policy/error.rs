//! Errors of loading and evaluating policies.

use super::imports::{NotAComponent, RefusedImport};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Why a pack could not be loaded. Each variant says what to do.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A remote pack could not be fetched or failed its digest.
    #[error(transparent)]
    Remote(#[from] super::remote::RemoteError),
    /// The file or directory could not be read.
    #[error("cannot read policy {path}: {source}")]
    Io {
        /// What was being read.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not a WebAssembly component.
    #[error("policy {origin}: {source}")]
    NotAComponent {
        /// Where the bytes came from.
        origin: String,
        /// What is wrong with them.
        source: NotAComponent,
    },
    /// Imports something the sandbox does not allow.
    #[error("policy {origin} imports what the sandbox does not allow:\n{}", list_refused(.refused))]
    ForbiddenImports {
        /// Where the component came from.
        origin: String,
        /// Every refused import, with why.
        refused: Vec<RefusedImport>,
    },
    /// Does not export the `rampart:policy/pack` interface this host speaks.
    #[error("policy {origin} does not target the rampart:policy@0.1 world: {detail}")]
    WrongWorld {
        /// Where the component came from.
        origin: String,
        /// What was found instead.
        detail: String,
    },
    /// Failed to compile, link or instantiate.
    #[error("policy {origin} could not be {stage}: {message}")]
    Wasm {
        /// Where the component came from.
        origin: String,
        /// `compiled`, `linked` or `instantiated`.
        stage: &'static str,
        /// wasmtime's explanation.
        message: String,
    },
    /// `metadata()` trapped, timed out or returned an invalid pack.
    #[error("policy {origin}: metadata() failed: {message}")]
    Metadata {
        /// Where the component came from.
        origin: String,
        /// What went wrong.
        message: String,
    },
    /// `detectors()` trapped, timed out or declared a detector the host
    /// refuses (an undeclared rule, a pattern that does not compile or is
    /// too large).
    #[error("policy {origin}: its detectors are refused: {message}")]
    Detectors {
        /// Where the component came from.
        origin: String,
        /// What went wrong.
        message: String,
    },
    /// No built-in pack of that name.
    #[error("no built-in pack named `{0}` (see `rampart policy list`)")]
    UnknownBuiltin(String),
    /// Built-in packs were asked for, but this library was built without
    /// them (its `builtin` feature is off).
    #[error(
        "this build of rampart-core has no built-in packs: enable its `builtin` feature, or scan without them"
    )]
    NoBuiltins,
    /// The engine itself could not be set up.
    #[error("cannot set up the policy engine: {0}")]
    Engine(String),
}

fn list_refused(refused: &[RefusedImport]) -> String {
    refused
        .iter()
        .map(|r| format!("  - {} ({})", r.name, r.reason))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What went wrong in one `evaluate` call of one pack.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyErrorKind {
    /// Ran longer than the call timeout.
    Timeout,
    /// Used up its fuel budget.
    OutOfFuel,
    /// Tried to grow memory (or a table) past its limit.
    OutOfMemory,
    /// The guest panicked.
    Panic,
    /// Any other trap (`unreachable`, out-of-bounds access …).
    Trap,
    /// The pack returned an error from `evaluate`.
    PackError,
    /// The pack's result broke the ABI's rules (unknown rule or resource,
    /// too many findings, malformed data).
    InvalidResult,
    /// The instance could not be created.
    Instantiation,
}

impl fmt::Display for PolicyErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PolicyErrorKind::Timeout => "timeout",
            PolicyErrorKind::OutOfFuel => "out of fuel",
            PolicyErrorKind::OutOfMemory => "out of memory",
            PolicyErrorKind::Panic => "panic",
            PolicyErrorKind::Trap => "trap",
            PolicyErrorKind::PackError => "pack error",
            PolicyErrorKind::InvalidResult => "invalid result",
            PolicyErrorKind::Instantiation => "instantiation failed",
        })
    }
}

/// A policy failure for one batch: reported as a tool notification, counted
/// as a policy error; the scan goes on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PolicyError {
    /// The pack's name.
    pub pack: String,
    /// What kind of failure.
    pub kind: PolicyErrorKind,
    /// Human-readable detail (includes the guest's panic message).
    pub message: String,
    /// Ids of the resources in the failed batch.
    pub resources: Vec<String>,
    /// How long the call ran.
    #[serde(skip)]
    pub elapsed: Duration,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "policy pack `{}`: {}: {}",
            self.pack, self.kind, self.message
        )?;
        match self.resources.as_slice() {
            [] => Ok(()),
            [one] => write!(f, " (resource {one})"),
            [first, rest @ ..] => write!(f, " (resources {first} and {} more)", rest.len()),
        }
    }
}

impl std::error::Error for PolicyError {}
