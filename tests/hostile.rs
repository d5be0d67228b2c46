//! The hostile corpus end to end, through the real binary and the real shells: each string as a
//! profile name, as every value a `credential_process` returns, and as a role session name.
//! For each supported shell the printed code is evaluated the way its users evaluate it, and the
//! environment is read back: every representable value round-trips byte-exact, nothing runs
//! (a canary file stays absent), and whatever cannot be written is a one-line error with an
//! empty stdout.

mod support;

use std::path::Path;

use awsenv::shell::ShellKind;
use support::shells::{SHELLS, eval_and_read_env, find};
use support::{awsenv, home_with, run, stderr, stdout};

const CANARY: &str = "/tmp/awsenv-pwned";

/// How the config file quotes nothing: a name is usable as a profile name when the SDKs' grammar
/// reads it back as exactly that name.
fn usable_as_profile_name(name: &str) -> bool {
    let text = format!("[profile {name}]\nregion = us-east-1\n");
    let texts = awsenv::config::FileTexts {
        config: Some(text),
        credentials: None,
        config_path: "config".into(),
        credentials_path: "credentials".into(),
        stamps: [None, None],
    };
    awsenv::config::parse(&texts).is_ok_and(|files| files.profile_names().contains(&name))
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A home whose profile `name` gets every credential value from `credential_process`.
fn home_for(index: usize, name: &str, value: &str) -> tempfile::TempDir {
    let home = home_with("", "");
    let output = home.path().join(format!("process-{index}.json"));
    std::fs::write(
        &output,
        format!(
            r#"{{"Version":1,"AccessKeyId":{v},"SecretAccessKey":{v},"SessionToken":{v},"Expiration":"2099-01-01T00:00:00Z","AccountId":{v}}}"#,
            v = json_string(value)
        ),
    )
    .unwrap();
    let header = if usable_as_profile_name(name) { name.to_owned() } else { "unusable".to_owned() };
    std::fs::write(
        home.path().join(".aws/config"),
        format!("[profile {header}]\ncredential_process = cat '{}'\n", output.display()),
    )
    .unwrap();
    home
}

fn assert_clean_error(out: &std::process::Output, what: &str) {
    assert!(matches!(out.status.code(), Some(1 | 2)), "{what}: {:?}", out.status);
    assert!(out.stdout.is_empty(), "{what}: stdout must be empty");
    let err = stderr(out);
    assert_eq!(err.lines().count(), 1, "{what}: one line: {err:?}");
    assert!(err.starts_with("awsenv: "), "{what}: {err}");
}

#[test]
fn every_hostile_string_as_profile_name_and_every_value_through_every_shell() {
    let corpus = support::hostile::corpus();
    assert!(corpus.len() >= 100);
    let _ = std::fs::remove_file(CANARY);
    let shells: Vec<_> = SHELLS.iter().filter_map(|s| find(s.program).map(|p| (s, p))).collect();
    let mut round_trips = 0;
    let mut refused = 0;
    for (i, hostile) in corpus.iter().enumerate() {
        // The value is the hostile string; the profile name is too, where the file format can
        // hold it (a plain name otherwise, so the values are still exercised).
        let name = if usable_as_profile_name(hostile) { hostile.clone() } else { format!("p{i}") };
        let home = home_for(i, &name, hostile);
        if !usable_as_profile_name(hostile) && !hostile.is_empty() {
            // Asked for by a name the file cannot hold: a clean "not found".
            let out = run(awsenv(home.path()).args(["use", "--", hostile]));
            assert_clean_error(&out, &format!("#{i} as a missing profile"));
        }
        let json = run(awsenv(home.path()).args(["use", "--format", "json", "--", &name]));
        if hostile.contains('\0') || hostile.is_empty() {
            // A NUL cannot be in any variable; an empty key id is not a credential.
            assert_clean_error(&json, &format!("#{i} {hostile:?}"));
            refused += 1;
            continue;
        }
        assert!(json.status.success(), "#{i} {hostile:?}: {}", stderr(&json));
        let values: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(values["AWS_SECRET_ACCESS_KEY"].as_str(), Some(hostile.as_str()), "#{i}");
        assert_eq!(values["AWSENV_PROFILE"].as_str(), Some(name.as_str()), "#{i}");
        for (shell, program) in &shells {
            let kind = clap::ValueEnum::to_possible_value(&shell.kind).expect("every shell is a --shell value");
            let out = run(awsenv(home.path()).args(["use", "--shell", kind.get_name(), "--", &name]));
            let unrepresentable =
                shell.kind == ShellKind::Tcsh && (hostile.contains(['\n', '\r']) || name.contains(['\n', '\r']));
            if unrepresentable {
                assert_clean_error(&out, &format!("#{i} in tcsh"));
                refused += 1;
                continue;
            }
            assert!(out.status.success(), "#{i} {}: {}", shell.program, stderr(&out));
            let env = eval_and_read_env(shell, program, &stdout(&out), &[])
                .unwrap_or_else(|e| panic!("#{i} {hostile:?} in {}: {e}", shell.program));
            for var in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCOUNT_ID"] {
                assert_eq!(
                    env.get(var).map(Vec::as_slice),
                    Some(hostile.as_bytes()),
                    "#{i} {hostile:?}: {var} in {}",
                    shell.program
                );
            }
            assert_eq!(
                env.get("AWSENV_PROFILE").map(Vec::as_slice),
                Some(name.as_bytes()),
                "#{i} in {}",
                shell.program
            );
            round_trips += 1;
        }
    }
    assert!(!Path::new(CANARY).exists(), "a hostile string ran code");
    eprintln!("{round_trips} round trips through {} shells, {refused} refused as unrepresentable", shells.len());
}

#[test]
fn hostile_role_session_names_are_accepted_exactly_or_refused_cleanly() {
    let valid = |s: &str| {
        (2..=64).contains(&s.chars().count()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
    };
    let mut refused = 0;
    for (i, hostile) in support::hostile::corpus().iter().enumerate() {
        if hostile.contains(['\n', '\r']) || hostile.trim() != hostile || hostile.is_empty() {
            // Not expressible as one value in the file at all.
            continue;
        }
        if hostile.starts_with(['#', ';']) {
            // A comment after `=`, as the SDKs' shared parser suite reads it: the value is
            // empty, and an empty role_session_name is no session name at all.
            continue;
        }
        let home = home_with(
            &format!(
                "[profile base]\naws_access_key_id = AKID\naws_secret_access_key = s\n\n\
                 [profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\nrole_session_name = {hostile}\n"
            ),
            "",
        );
        let out = run(awsenv(home.path()).args(["explain", "r", "--json"]));
        if valid(hostile) {
            assert!(out.status.success(), "#{i}: {}", stderr(&out));
            assert!(stdout(&out).contains(&json_string(hostile)), "#{i}: the name is shown as it is");
        } else {
            assert_clean_error(&out, &format!("session name #{i} {hostile:?}"));
            assert!(stderr(&out).contains("role_session_name"), "#{i}: {}", stderr(&out));
            refused += 1;
        }
    }
    assert!(refused > 50, "most of the corpus is not a valid session name: {refused}");
    assert!(!Path::new(CANARY).exists());
}
