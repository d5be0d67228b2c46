//! Every shell's quoting on arbitrary values: rendering never panics, and for the shells whose
//! quoting is simple enough to undo exactly here, undoing it gives back the value byte for byte
//! (so no byte of the value can end the quote early).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|value: String| checks::quote(&value));
