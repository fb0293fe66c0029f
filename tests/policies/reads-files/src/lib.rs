//! A policy that tries to read the host's `/etc/passwd`.

// Natively (for `cargo test --workspace`) nothing is exported, so nothing is used.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use rampart_policy::bindings::exports::rampart::policy::pack::{
    Finding, Guest, PackInfo, Resource,
};

struct ReadsFiles;

impl Guest for ReadsFiles {
    fn metadata() -> PackInfo {
        PackInfo {
            name: "reads-files".to_owned(),
            version: "0.1.0".to_owned(),
            description: "Tries to read /etc/passwd.".to_owned(),
            rules: vec![],
        }
    }

    fn evaluate(_resources: Vec<Resource>) -> Result<Vec<Finding>, String> {
        match std::fs::read_to_string("/etc/passwd") {
            Ok(text) => Err(format!(
                "read the host's /etc/passwd: {}",
                &text[..text.len().min(40)]
            )),
            Err(e) => Err(format!("could not read /etc/passwd: {e}")),
        }
    }
}

impl rampart_policy::bindings::exports::rampart::policy::detectors::Guest for ReadsFiles {
    fn detectors() -> Vec<rampart_policy::bindings::exports::rampart::policy::detectors::Detector> {
        Vec::new()
    }
}

#[cfg(target_arch = "wasm32")]
rampart_policy::bindings::export_raw!(ReadsFiles with_types_in rampart_policy::bindings);
