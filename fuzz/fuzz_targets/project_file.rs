#![no_main]
//! See `rampart_fuzz_harness::project_file` for the input's shape and what is checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rampart_fuzz_harness::project_file(data));
