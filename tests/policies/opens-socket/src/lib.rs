//! A policy that tries to open a network connection.

// Natively (for `cargo test --workspace`) nothing is exported, so nothing is used.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use rampart_policy::bindings::exports::rampart::policy::pack::{
    Finding, Guest, PackInfo, Resource,
};

struct OpensSocket;

impl Guest for OpensSocket {
    fn metadata() -> PackInfo {
        PackInfo {
            name: "opens-socket".to_owned(),
            version: "0.1.0".to_owned(),
            description: "Tries to connect to 127.0.0.1:22.".to_owned(),
            rules: vec![],
        }
    }

    fn evaluate(_resources: Vec<Resource>) -> Result<Vec<Finding>, String> {
        match std::net::TcpStream::connect("127.0.0.1:22") {
            Ok(_) => Err("connected to 127.0.0.1:22".to_owned()),
            Err(e) => Err(format!("could not connect: {e}")),
        }
    }
}

impl rampart_policy::bindings::exports::rampart::policy::detectors::Guest for OpensSocket {
    fn detectors() -> Vec<rampart_policy::bindings::exports::rampart::policy::detectors::Detector> {
        Vec::new()
    }
}

#[cfg(target_arch = "wasm32")]
rampart_policy::bindings::export_raw!(OpensSocket with_types_in rampart_policy::bindings);
