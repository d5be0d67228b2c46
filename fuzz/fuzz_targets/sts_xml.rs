//! A response parser on arbitrary bytes: see `checks::sts_xml`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::sts_xml(data));
