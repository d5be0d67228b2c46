//! `--format dotenv` read back by the real readers: python-dotenv (PyPI) and the npm `dotenv`
//! package. Every hostile string, as every credential value, is either read back byte for byte
//! by both, or refused with one line on stderr and nothing on stdout. The README's test command
//! installs both readers; missing, they fail the run in CI and are skipped loudly elsewhere.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{awsenv, home_with, run, stderr};

fn npm_dotenv() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/npm/node_modules/dotenv");
    if dir.join("package.json").is_file() {
        return Some(dir);
    }
    if support::in_ci() {
        panic!("the npm dotenv package is not installed in .tools/npm; in CI it must be (run scripts/test)");
    }
    eprintln!("\n*** SKIPPING the npm dotenv reader: not installed (scripts/test installs it) ***\n");
    None
}

fn python_dotenv() -> bool {
    let ok = Command::new("python3").args(["-c", "import dotenv"]).status().is_ok_and(|s| s.success());
    if !ok {
        if support::in_ci() {
            panic!("python-dotenv is not installed; in CI it must be (run scripts/test)");
        }
        eprintln!("\n*** SKIPPING python-dotenv: not installed (scripts/test installs it) ***\n");
    }
    ok
}

/// What each reader makes of each file: one JSON object per file, in order.
fn read_back(files: &[PathBuf], npm: Option<&Path>, python: bool) -> Vec<(&'static str, Vec<serde_json::Value>)> {
    let list = serde_json::to_string(files).unwrap();
    let mut readers = Vec::new();
    if python {
        let script = "import json,sys\nfrom dotenv import dotenv_values\n\
                      print(json.dumps([dotenv_values(f) for f in json.loads(sys.argv[1])]))";
        readers.push(("python-dotenv", Command::new("python3").args(["-c", script, &list]).output().unwrap()));
    }
    if let Some(npm) = npm {
        let script = format!(
            "const d=require({});const fs=require('fs');\
             console.log(JSON.stringify(JSON.parse(process.argv[1]).map(f=>d.parse(fs.readFileSync(f)))))",
            serde_json::to_string(&npm.display().to_string()).unwrap()
        );
        readers.push(("npm dotenv", Command::new("node").args(["-e", &script, &list]).output().unwrap()));
    }
    readers
        .into_iter()
        .map(|(name, out)| {
            assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
            (name, serde_json::from_slice(&out.stdout).unwrap())
        })
        .collect()
}

#[test]
fn every_value_reads_back_exactly_in_python_dotenv_and_npm_dotenv_or_is_refused() {
    let npm = npm_dotenv();
    let python = python_dotenv();
    if npm.is_none() && !python {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let mut accepted: Vec<(String, PathBuf)> = Vec::new();
    let mut refused = 0;
    let mut corpus = support::hostile::corpus();
    corpus.extend(
        [
            "secret\\",
            "x\\'\nLD_PRELOAD=/tmp/evil.so\n'",
            "${HOME}",
            "$HOME",
            "a\\\\b",
            "line\r\nbreak",
            "#not-a-comment",
            " padded ",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY+/=",
        ]
        .map(str::to_owned),
    );
    for (i, value) in corpus.iter().enumerate() {
        let output = work.path().join(format!("process-{i}.json"));
        let v = serde_json::to_string(value).unwrap();
        std::fs::write(
            &output,
            format!(r#"{{"Version":1,"AccessKeyId":"AKIDDOTENV","SecretAccessKey":{v},"SessionToken":{v},"Expiration":"2099-01-01T00:00:00Z"}}"#),
        )
        .unwrap();
        let home = home_with(&format!("[profile p]\ncredential_process = cat '{}'\n", output.display()), "");
        let out = run(awsenv(home.path()).args(["use", "p", "--format", "dotenv", "--no-cache"]));
        if out.status.success() {
            let file = work.path().join(format!("{i}.env"));
            std::fs::write(&file, &out.stdout).unwrap();
            accepted.push((value.clone(), file));
        } else {
            assert!(out.stdout.is_empty(), "{value:?}: stdout on refusal");
            let err = stderr(&out);
            assert_eq!(err.lines().count(), 1, "{value:?}: {err}");
            assert!(err.contains("AWS_SECRET_ACCESS_KEY") || err.contains("credential_process"), "{value:?}: {err}");
            refused += 1;
        }
    }
    assert!(accepted.len() > 40 && refused > 10, "accepted {} refused {refused}", accepted.len());
    let files: Vec<PathBuf> = accepted.iter().map(|(_, f)| f.clone()).collect();
    for (reader, values) in read_back(&files, npm.as_deref(), python) {
        for ((value, file), read) in accepted.iter().zip(&values) {
            let text = std::fs::read_to_string(file).unwrap();
            assert_eq!(read["AWS_SECRET_ACCESS_KEY"].as_str(), Some(value.as_str()), "{reader}: {text}");
            assert_eq!(read["AWS_SESSION_TOKEN"].as_str(), Some(value.as_str()), "{reader}: {text}");
            assert_eq!(read["AWS_ACCESS_KEY_ID"].as_str(), Some("AKIDDOTENV"), "{reader}: {text}");
            let names: Vec<&String> = read.as_object().unwrap().keys().collect();
            assert!(names.iter().all(|n| n.starts_with("AWS")), "{reader}: an extra variable was read: {names:?}");
        }
    }
}
