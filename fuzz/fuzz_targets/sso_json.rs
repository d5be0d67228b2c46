//! A response parser on arbitrary bytes: see `checks::sso_json`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::sso_json(data));
