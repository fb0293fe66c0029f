//! The built-in policy packs, as WebAssembly component bytes.
//!
//! Each directory under `policies/builtin/` is a Rust pack crate; this
//! crate's build script compiles them to `wasm32-wasip2` and embeds the
//! result, so `rampart scan .` never needs a download. Load them with
//! `rampart_core::policy::PolicyEngine::load` with `PackSource::Builtin`.
//!
//! ```
//! let names: Vec<&str> = rampart_builtin::PACKS.iter().map(|p| p.name).collect();
//! assert!(names.contains(&"kubernetes"));
//! assert!(rampart_builtin::get("kubernetes").is_some());
//! ```

/// One embedded pack.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinPack {
    /// The pack's directory name under `policies/builtin/`, which is also
    /// the pack name it declares.
    pub name: &'static str,
    /// The component.
    pub wasm: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

/// The built-in pack called `name`.
pub fn get(name: &str) -> Option<&'static BuiltinPack> {
    PACKS.iter().find(|p| p.name == name)
}
