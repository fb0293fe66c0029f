//! Write rampart policy packs in Rust.
//!
//! A pack is a list of [`Rule`]s. A rule is data (id, title, severity,
//! remediation, compliance controls …) plus one plain function that looks at
//! a [`Resource`] and reports findings through a [`Context`]. Navigating the
//! document with [`Node`] keeps track of the JSON Pointer of every value, so
//! a finding points at the exact line of the offending value without the
//! rule having to build pointers by hand.
//!
//! [`export_pack!`] turns a [`Pack`] into a WebAssembly component that
//! targets the `rampart:policy` world (`policies/wit/policy.wit`). Build it
//! with `cargo build --target wasm32-wasip2 --release` and load the `.wasm`
//! with `rampart scan --policy`.
//!
//! # A complete pack
//!
//! `Cargo.toml`:
//!
//! ```toml
//! [package]
//! name = "acme-policies"
//! version = "0.1.0"
//! edition = "2024"
//!
//! [lib]
//! crate-type = ["cdylib", "rlib"]
//!
//! [dependencies]
//! rampart-policy = "0.1"
//! ```
//!
//! `src/lib.rs`:
//!
//! ```
//! use rampart_policy::{Context, Control, Pack, Resource, Rule, Severity};
//!
//! /// Containers must not run privileged.
//! fn privileged(resource: &Resource, cx: &mut Context) {
//!     for container in resource.root().get("spec").get("containers").items() {
//!         let flag = container.get("securityContext").get("privileged");
//!         if flag.as_bool() == Some(true) {
//!             let name = container.get("name").as_str().unwrap_or("?");
//!             cx.report(&flag, format!("container `{name}` runs privileged"))
//!                 .fix("set securityContext.privileged to false");
//!         }
//!     }
//! }
//!
//! pub static PACK: Pack = Pack {
//!     name: "acme",
//!     version: "0.1.0",
//!     description: "ACME's house rules.",
//!     rules: &[Rule {
//!         id: "ACME-001",
//!         title: "Privileged container",
//!         description: "A privileged container has every capability of the host.",
//!         severity: Severity::High,
//!         remediation: "Remove `privileged: true`.",
//!         tags: &["security"],
//!         compliance: &[Control::new("CIS-Kubernetes-1.9", "5.2.1")],
//!         kinds: &["k8s"],
//!         check: privileged,
//!         ..Rule::DEFAULT
//!     }],
//! };
//!
//! rampart_policy::export_pack!(PACK);
//!
//! // Rules are plain Rust, so they are unit-tested natively:
//! let pod = Resource::new(
//!     "k8s:Pod/default/web",
//!     "k8s",
//!     r#"{"spec": {"containers": [{"name": "web", "securityContext": {"privileged": true}}]}}"#,
//! )
//! .unwrap();
//! let findings = rampart_policy::testing::evaluate(&PACK, &[pod]).unwrap();
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].pointer, "/spec/containers/0/securityContext/privileged");
//! assert_eq!(findings[0].fix.as_deref(), Some("set securityContext.privileged to false"));
//! ```
//!
//! # What a pack cannot do
//!
//! The host runs packs in a sandbox: no filesystem, network, environment or
//! wall clock, a CPU deadline per call and a memory cap per instance. A pack
//! that needs outside data asks for it to be added to the resource by the
//! host (see rampart's `docs/kinds/`). Components that import anything beyond
//! the `rampart:policy/host` interface and a few harmless WASI interfaces are
//! rejected when loaded.

#![warn(missing_docs)]

mod arena;
pub mod aws;
mod context;
mod document;
pub mod helpers;
mod node;
mod rule;
pub mod testing;

#[doc(hidden)]
pub mod runtime;

pub use context::{Context, FindingBuilder};
pub use document::Document;
pub use node::{Node, escape_token};
pub use rule::{Control, Detector, Pack, Rule, Severity};

/// `serde_json`, re-exported so that packs use the same version.
pub use serde_json;
/// The settings' type, and what [`Node::to_value`] gives.
pub use serde_json::Value;

/// Raw bindings generated from the WIT by `wit-bindgen`.
///
/// Packs normally never touch these: [`export_pack!`] wires a [`Pack`] to
/// them. They are public for tools and for tests that must produce output a
/// well-behaved pack never would.
// Generated: documented by the WIT it comes from (`policies/wit`).
#[allow(missing_docs)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "../wit",
        world: "policy",
        pub_export_macro: true,
        export_macro_name: "export_raw",
        default_bindings_module: "::rampart_policy::bindings",
        runtime_path: "::rampart_policy::__wit_bindgen_rt",
    });
}

// The generated bindings name this crate by its public path, so that the
// export macro works from a pack crate that does not depend on wit-bindgen.
extern crate self as rampart_policy;

#[doc(hidden)]
pub use wit_bindgen::rt as __wit_bindgen_rt;

/// Log levels for [`log`].
pub use bindings::rampart::policy::host::Level;

/// Writes a message to rampart's log (shown with `rampart --verbose`).
///
/// Outside WebAssembly (native unit tests) the message goes to stderr.
pub fn log(level: Level, message: &str) {
    #[cfg(target_arch = "wasm32")]
    bindings::rampart::policy::host::log(level, message);
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("[{level:?}] {message}");
}

/// One resource handed to a pack: what rampart collected, with its document
/// parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Stable id within the scan, e.g. `k8s:Deployment/default/web`.
    pub id: String,
    /// Resource kind, e.g. `k8s`.
    pub kind: String,
    /// File (relative to the scan root) or host the resource came from.
    pub source: String,
    /// The normalised document.
    pub document: Document,
}

impl Resource {
    /// Builds a resource from a JSON document; `source` is left empty.
    /// Handy in unit tests.
    pub fn new(
        id: impl Into<String>,
        kind: impl Into<String>,
        document: &str,
    ) -> Result<Self, serde_json::Error> {
        Ok(Resource {
            id: id.into(),
            kind: kind.into(),
            source: String::new(),
            document: Document::parse(document)?,
        })
    }

    /// The whole document, as a [`Node`] at pointer `""`.
    pub fn root(&self) -> Node<'_> {
        self.document.root()
    }

    /// The value at an RFC 6901 JSON Pointer (`/spec/containers/0`).
    pub fn at(&self, pointer: &str) -> Node<'_> {
        self.root().at_pointer(pointer)
    }
}

/// Exports a [`Pack`] as the component's implementation of the
/// `rampart:policy/pack` interface, and its [`Detector`]s (none unless
/// given) as `rampart:policy/detectors`.
///
/// Use it once per crate, with a `static` or `const` [`Pack`]:
///
/// ```ignore
/// rampart_policy::export_pack!(PACK);
/// rampart_policy::export_pack!(PACK, DETECTORS); // DETECTORS: &[Detector]
/// ```
#[macro_export]
macro_rules! export_pack {
    ($pack:path) => {
        $crate::export_pack!($pack, &[]);
    };
    ($pack:path, $detectors:expr) => {
        #[doc(hidden)]
        pub struct __RampartExportedPack;

        impl $crate::bindings::exports::rampart::policy::pack::Guest for __RampartExportedPack {
            fn metadata() -> $crate::bindings::exports::rampart::policy::pack::PackInfo {
                $crate::runtime::metadata(&$pack)
            }

            fn evaluate(
                resources: ::std::vec::Vec<$crate::bindings::exports::rampart::policy::pack::Resource>,
            ) -> ::std::result::Result<
                ::std::vec::Vec<$crate::bindings::exports::rampart::policy::pack::Finding>,
                ::std::string::String,
            > {
                $crate::runtime::evaluate_exported(&$pack, resources)
            }
        }

        impl $crate::bindings::exports::rampart::policy::detectors::Guest for __RampartExportedPack {
            fn detectors() -> ::std::vec::Vec<$crate::bindings::exports::rampart::policy::detectors::Detector> {
                $crate::runtime::detectors($detectors)
            }
        }

        // Only a WebAssembly build exports anything: the export names
        // (`rampart:policy/pack@0.1.1#evaluate`) are not valid symbol names
        // for native linkers, and native builds exist for unit tests.
        #[cfg(target_arch = "wasm32")]
        $crate::bindings::export_raw!(__RampartExportedPack with_types_in $crate::bindings);
    };
}
