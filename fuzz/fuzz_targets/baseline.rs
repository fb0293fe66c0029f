#![no_main]
//! See `rampart_fuzz_harness::baseline` for the input's shape and what is checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rampart_fuzz_harness::baseline(data));
