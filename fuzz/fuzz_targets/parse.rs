//! The profile-file parser on arbitrary bytes: the first byte splits the input into the config
//! and the credentials file. It must never panic, and what it accepts must index consistently.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parse(data));
