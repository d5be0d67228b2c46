//! The fuzz targets' checks on the inputs kept under `fuzz/regressions/<target>/`: edge cases
//! written by hand and whatever a fuzzing run ever finds (copied there from `fuzz/artifacts/`).

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no regression inputs for {target}");
    out
}

#[test]
fn parse_regressions() {
    for (name, data) in inputs("parse") {
        eprintln!("parse: {name}");
        checks::parse(&data);
    }
}

#[test]
fn plan_regressions() {
    for (name, data) in inputs("plan") {
        eprintln!("plan: {name}");
        checks::plan(&data);
    }
}

#[test]
fn quote_regressions() {
    for (name, data) in inputs("quote") {
        eprintln!("quote: {name}");
        checks::quote(&String::from_utf8_lossy(&data));
    }
}

#[test]
fn sts_xml_regressions() {
    for (name, data) in inputs("sts_xml") {
        eprintln!("sts_xml: {name}");
        checks::sts_xml(&data);
    }
}

#[test]
fn sso_json_regressions() {
    for (name, data) in inputs("sso_json") {
        eprintln!("sso_json: {name}");
        checks::sso_json(&data);
    }
}

#[test]
fn metadata_json_regressions() {
    for (name, data) in inputs("metadata_json") {
        eprintln!("metadata_json: {name}");
        checks::metadata_json(&data);
    }
}

#[test]
fn process_json_regressions() {
    for (name, data) in inputs("process_json") {
        eprintln!("process_json: {name}");
        checks::process_json(&data);
    }
}
