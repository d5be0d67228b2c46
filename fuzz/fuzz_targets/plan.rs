//! The planner on whatever the parser accepts: every profile is planned (with a fixed
//! environment); it must never panic or loop, and every error must be one line.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::plan(data));
