//! The exported text, executed by the real shells: hostile values round-trip byte-exact, nothing
//! in them runs, unrepresentable values are refused, and switching profiles leaves nothing stale.

mod support;

use std::collections::BTreeMap;

use awsenv::shell::{Change, Format, ShellKind, render};
use support::shells::{RealShell, SHELLS, eval_and_read_env, find};

const CANARY: &str = "/tmp/awsenv-pwned";

fn representable(kind: ShellKind, value: &str) -> bool {
    !(kind == ShellKind::Tcsh && value.contains(['\n', '\r']))
}

#[test]
fn hostile_values_round_trip_byte_exact_in_every_shell() {
    let corpus = support::hostile::corpus();
    assert!(corpus.len() >= 100, "the corpus has {} strings", corpus.len());
    let _ = std::fs::remove_file(CANARY);
    let mut ran = Vec::new();
    for shell in SHELLS {
        let Some(program) = find(shell.program) else {
            continue;
        };
        let mut changes = vec![Change::Unset("AWS_SESSION_TOKEN".into())];
        let mut expected = BTreeMap::new();
        for (i, value) in corpus.iter().enumerate() {
            let name = format!("AWS_HOSTILE_{i}");
            if representable(shell.kind, value) {
                changes.push(Change::Set(name.clone(), value.clone()));
                expected.insert(name, value.clone());
            } else {
                let err = render(&[Change::Set(name.clone(), value.clone())], shell.kind, Format::Shell).unwrap_err();
                assert!(err.to_string().contains(&name), "{}: {err}", shell.program);
            }
        }
        let code = render(&changes, shell.kind, Format::Shell).unwrap();
        let env = eval_and_read_env(shell, &program, &code, &[("AWS_SESSION_TOKEN", "stale")])
            .unwrap_or_else(|e| panic!("{}: {e}", shell.program));
        for (name, value) in &expected {
            let got = env.get(name).unwrap_or_else(|| panic!("{}: {name} missing", shell.program));
            assert!(
                got == value.as_bytes(),
                "{}: {name}: want {:?}, got {:?}",
                shell.program,
                value,
                String::from_utf8_lossy(got)
            );
        }
        assert!(!env.contains_key("AWS_SESSION_TOKEN"), "{}: unset did not remove the variable", shell.program);
        assert!(!std::path::Path::new(CANARY).exists(), "{}: a value ran as code", shell.program);
        ran.push(shell.program);
    }
    eprintln!("hostile corpus ran in: {}", ran.join(", "));
}

#[test]
fn nul_is_refused_by_every_format() {
    let changes = [Change::Set("AWS_SECRET_ACCESS_KEY".into(), "a\0b".into())];
    for shell in SHELLS.iter().map(|s| s.kind).chain([ShellKind::Pwsh]) {
        assert!(render(&changes, shell, Format::Shell).is_err());
    }
    assert!(render(&changes, ShellKind::Sh, Format::Dotenv).is_err());
}

/// How each shell's user runs `awsenv use` in an interactive session.
fn eval_line(kind: ShellKind, args: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_awsenv");
    match kind {
        ShellKind::Sh | ShellKind::Bash | ShellKind::Zsh => format!("eval \"$('{bin}' {args})\""),
        ShellKind::Fish => format!("'{bin}' {args} --shell fish | source"),
        ShellKind::Elvish => format!("eval ('{bin}' {args} --shell elvish | slurp)"),
        ShellKind::Tcsh => format!("eval \"`'{bin}' {args} --shell tcsh`\""),
        ShellKind::Nu | ShellKind::Pwsh => unreachable!(),
    }
}

const SWITCH_CONFIG: &str = "\
[profile full]
credential_process = cat \"$AWSENV_TEST_PROCESS_JSON\"
region = eu-west-1
output = json
services = full-endpoints

[services full-endpoints]
ec2 =
  endpoint_url = http://127.0.0.1:5000

[profile bare]
aws_access_key_id = AKIDBARE
aws_secret_access_key = secret-bare
";

#[test]
fn switching_profiles_in_a_live_shell_leaves_nothing_stale() {
    let home = support::home_with(SWITCH_CONFIG, "");
    let process_json = home.path().join("process.json");
    std::fs::write(
        &process_json,
        r#"{"Version":1,"AccessKeyId":"AKIDFULL","SecretAccessKey":"s'\"$(x)","SessionToken":"tok\nen","Expiration":"2099-01-01T00:00:00Z","AccountId":"123456789012"}"#,
    )
    .unwrap();
    for shell in SHELLS.iter().filter(|s| s.kind != ShellKind::Nu) {
        let Some(program) = find(shell.program) else {
            continue;
        };
        let mut script = String::new();
        for args in ["use full", "use bare"] {
            script.push_str(&eval_line(shell.kind, args));
            script.push('\n');
        }
        if shell.kind == ShellKind::Tcsh {
            // The token holds a newline, which tcsh cannot represent: `use full` must fail cleanly.
            continue;
        }
        let env = run_script(shell, &program, &script, &home);
        let got = |n: &str| env.get(n).map(|v| String::from_utf8_lossy(v).into_owned());
        assert_eq!(got("AWS_ACCESS_KEY_ID").as_deref(), Some("AKIDBARE"), "{}", shell.program);
        assert_eq!(got("AWSENV_PROFILE").as_deref(), Some("bare"), "{}", shell.program);
        for stale in [
            "AWS_SESSION_TOKEN",
            "AWS_CREDENTIAL_EXPIRATION",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_DEFAULT_OUTPUT",
            "AWS_ENDPOINT_URL_EC2",
            "AWS_ACCOUNT_ID",
            "AWSENV_EXPIRES_AT",
            "AWS_PROFILE",
        ] {
            assert!(!env.contains_key(stale), "{}: {stale} left behind", shell.program);
        }
        assert_eq!(got("USER_OWN_REGION").as_deref(), Some("keep-me"), "{}", shell.program);
    }
}

#[test]
fn tcsh_refuses_a_line_break_and_leaves_the_shell_as_it_was() {
    let Some(program) = find("tcsh") else { return };
    let home = support::home_with(SWITCH_CONFIG, "");
    let process_json = home.path().join("process.json");
    std::fs::write(
        &process_json,
        r#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s","SessionToken":"tok\nen"}"#,
    )
    .unwrap();
    let out = support::run(
        support::awsenv(home.path())
            .args(["use", "full", "--shell", "tcsh"])
            .env("AWSENV_TEST_PROCESS_JSON", &process_json),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(support::stderr(&out).contains("AWS_SESSION_TOKEN"), "{}", support::stderr(&out));
    let shell = SHELLS.iter().find(|s| s.kind == ShellKind::Tcsh).unwrap();
    let env = run_script(shell, &program, &eval_line(ShellKind::Tcsh, "use bare"), &home);
    assert_eq!(env.get("AWS_ACCESS_KEY_ID").map(Vec::as_slice), Some(&b"AKIDBARE"[..]));
}

fn run_script(
    shell: &RealShell,
    program: &std::path::Path,
    script: &str,
    home: &tempfile::TempDir,
) -> BTreeMap<String, Vec<u8>> {
    let process_json = home.path().join("process.json");
    let initial = [
        ("AWS_CONFIG_FILE", home.path().join(".aws/config").to_string_lossy().into_owned()),
        ("AWS_SHARED_CREDENTIALS_FILE", home.path().join(".aws/credentials").to_string_lossy().into_owned()),
        ("AWSENV_CACHE_DIR", home.path().join("cache").to_string_lossy().into_owned()),
        ("AWSENV_TEST_PROCESS_JSON", process_json.to_string_lossy().into_owned()),
        ("AWS_PROFILE", "full".to_owned()),
        ("USER_OWN_REGION", "keep-me".to_owned()),
    ];
    let initial: Vec<(&str, &str)> = initial.iter().map(|(k, v)| (*k, v.as_str())).collect();
    eval_and_read_env(shell, program, script, &initial)
        .unwrap_or_else(|e| panic!("{}: {e}\nscript:\n{script}", shell.program))
}

#[test]
fn sh_output_passes_shellcheck() {
    let Some(shellcheck) = find("shellcheck") else {
        return;
    };
    let corpus = support::hostile::corpus();
    let mut changes: Vec<Change> =
        corpus.iter().enumerate().map(|(i, v)| Change::Set(format!("AWS_HOSTILE_{i}"), v.clone())).collect();
    changes.push(Change::Unset("AWS_SESSION_TOKEN".into()));
    let code = render(&changes, ShellKind::Sh, Format::Shell).unwrap();
    for dialect in ["sh", "bash", "dash"] {
        let mut child = std::process::Command::new(&shellcheck)
            // Values that look like code are meant to stay literal; the checks that point that out
            // (SC2016 and friends) are the point of the test, not findings.
            .args(["--shell", dialect, "--enable=all", "--exclude=SC2016,SC1003,SC1112", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(code.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "shellcheck --shell {dialect}:\n{}", String::from_utf8_lossy(&out.stdout));
    }
}
