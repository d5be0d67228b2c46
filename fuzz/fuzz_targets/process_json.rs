//! A response parser on arbitrary bytes: see `checks::process_json`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::process_json(data));
