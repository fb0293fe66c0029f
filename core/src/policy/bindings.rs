//! Host-side bindings generated from `policies/wit` — the same WIT the
//! guest SDK is generated from, so the contract has one source.

wasmtime::component::bindgen!({
    path: "../policies/wit",
    // What the host requires of every pack; the optional `detectors`
    // export of 0.1.1 packs is looked up by name (`super::detectors`),
    // so that packs built against 0.1.0 keep loading.
    world: "base",
    // Resources cross into the guest by reference: lowering copies each
    // document once, straight from the host's string, instead of after a
    // clone into an owned argument.
    ownership: Borrowing {
        duplicate_if_necessary: true
    },
});
