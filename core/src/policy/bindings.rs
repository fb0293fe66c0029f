//! Host-side bindings generated from `policies/wit` — the same WIT the
//! guest SDK is generated from, so the contract has one source.

wasmtime::component::bindgen!({
    path: "../policies/wit",
    world: "policy",
});
