#![no_main]
//! See `rampart_fuzz_harness::host_image` for the input's shape and what is checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rampart_fuzz_harness::host_image(data));
