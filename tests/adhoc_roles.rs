//! A role on the fly (`--role-arn`): one AssumeRole signed with the profile's credentials and
//! carrying the flags, cached like any hop; stacked, undone by `use -` and by naming a profile,
//! through each shell's wrapper; durations checked before any call; nothing written to the
//! files; `explain` says where it came from. The hook's renewal at a real prompt is in
//! `interactive.rs`.

mod support;

use std::collections::BTreeMap;

use support::mock::{Mock, Reply, sts_error};
use support::shells::through_the_wrapper;
use support::{awsenv, home_with, run, stderr, stdout};

const ADMIN: &str = "arn:aws:iam::210987654321:role/Admin";
const AUDIT: &str = "arn:aws:iam::210987654321:role/team/Audit";

/// `base` (static keys) and `role` (a role on top of it), both calling the mock STS.
fn config(endpoint: &str) -> String {
    format!(
        "[profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = base-secret\nservices = mock\n\n\
         [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nservices = mock\n\n\
         [services mock]\nsts =\n  endpoint_url = {endpoint}\n"
    )
}

fn exported(output: &str, name: &str) -> Option<String> {
    let prefix = format!("export {name}=");
    output.lines().find_map(|l| l.strip_prefix(&prefix)).map(|v| v.trim_matches('\'').to_owned())
}

/// The AssumeRole calls the mock saw: (form body, the key id that signed it).
fn assume_role_calls(mock: &Mock) -> Vec<(String, String)> {
    mock.signers().into_iter().filter(|(body, _)| body.contains("Action=AssumeRole")).collect()
}

#[test]
fn one_assume_role_signed_with_the_profiles_keys_carries_the_flags_and_a_warm_repeat_calls_nothing() {
    let mock = Mock::start(vec![]);
    let home = home_with(&config(&mock.endpoint), "");
    let before = std::fs::read(home.path().join(".aws/config")).unwrap();
    let args = [
        "use",
        "base",
        "--role-arn",
        ADMIN,
        "--external-id",
        "ext-id-1",
        "--session-name",
        "me-on-the-fly",
        "--role-duration",
        "1h30m",
        "--print",
    ];
    let out = run(awsenv(home.path()).args(args));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(exported(&text, "AWS_ACCESS_KEY_ID").as_deref(), Some("ASIAMOCK000000000001"));
    assert_eq!(exported(&text, "AWSENV_PROFILE").as_deref(), Some("base"));
    assert_eq!(exported(&text, "AWSENV_SHOWN").as_deref(), Some("base → Admin"));
    assert!(exported(&text, "AWSENV_ROLES").is_some_and(|r| r.contains("role/Admin")), "{text}");

    let calls = assume_role_calls(&mock);
    assert_eq!(calls.len(), 1, "{calls:?}");
    let (body, signer) = &calls[0];
    assert_eq!(signer, "AKIAIOSFODNN7EXAMPLE", "signed with the profile's own keys");
    for part in [
        "RoleArn=arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2FAdmin",
        "ExternalId=ext-id-1",
        "RoleSessionName=me-on-the-fly",
        "DurationSeconds=5400",
    ] {
        assert!(body.contains(part), "{part} not in {body}");
    }

    // Warm: the same role on the same profile is the cache's, in this shell or any other.
    let again = run(awsenv(home.path()).args(args));
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(exported(&stdout(&again), "AWS_ACCESS_KEY_ID").as_deref(), Some("ASIAMOCK000000000001"));
    assert_eq!(mock.calls(), 1, "a warm repeat makes no STS call");
    assert_eq!(std::fs::read(home.path().join(".aws/config")).unwrap(), before, "nothing is written to the files");
    assert_eq!(std::fs::read(home.path().join(".aws/credentials")).unwrap(), b"");
}

#[test]
fn durations_are_checked_before_any_call_and_an_sts_refusal_is_shown() {
    let mock = Mock::start(vec![Reply::Status(
        400,
        sts_error("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."),
    )]);
    let home = home_with(&config(&mock.endpoint), "");
    let refused = |args: &[&str], says: &str| {
        let out = run(awsenv(home.path()).args(args));
        assert!(!out.status.success() && out.stdout.is_empty(), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    };
    // On a role, the role on the fly is chained: an hour at most.
    refused(&["use", "role", "--role-arn", ADMIN, "--role-duration", "2h", "--print"], "role chaining");
    refused(&["use", "base", "--role-arn", ADMIN, "--role-duration", "13h", "--print"], "outside what STS allows");
    refused(&["use", "base", "--role-arn", ADMIN, "--role-duration", "600", "--print"], "outside what STS allows");
    refused(&["use", "base", "--role-arn", ADMIN, "--role-duration", "1x", "--print"], "is not a duration");
    refused(&["use", "base", "--role-arn", "not-an-arn", "--print"], "is not an ARN");
    refused(&["use", "base", "--role-arn", ADMIN, "--session-name", "a b", "--print"], "is not what STS accepts");
    refused(&["use", "base", "--external-id", "x", "--print"], "--role-arn");
    assert_eq!(mock.calls(), 0, "nothing reached STS");

    // What only the role knows: STS's refusal, and where the limit is set.
    let out = run(awsenv(home.path()).args(["use", "base", "--role-arn", ADMIN, "--role-duration", "12h", "--print"]));
    assert!(!out.status.success() && out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("exceeds the MaxSessionDuration set for this role"), "{err}");
    assert!(err.contains("maximum session duration"), "the hint names the role's limit: {err}");
}

#[test]
fn stacked_undone_by_use_dash_and_started_again_by_naming_the_profile_in_bash_zsh_and_fish() {
    let mock = Mock::start(vec![]);
    let home = home_with(&config(&mock.endpoint), "");
    let home_dir = home.path().display().to_string();
    let env = [("HOME", home_dir.clone()), ("AWSENV_CACHE_DIR", format!("{home_dir}/.cache/awsenv"))];
    let admin = format!("use --role-arn {ADMIN}");
    let audit = format!("use {AUDIT}");
    let steps = ["use base", admin.as_str(), audit.as_str(), "use -", "use base", "unset"];
    for (n, shell) in ["bash", "zsh", "fish"].into_iter().enumerate() {
        let Some(envs) = through_the_wrapper(shell, &env, &steps) else { continue };
        let get = |i: usize, name: &str| envs[i].get(name).cloned();
        let shown = |i: usize| get(i, "AWSENV_SHOWN");
        // The first shell assumes each role once; the others find them in the shared cache.
        let (admin_key, audit_key) = ("ASIAMOCK000000000001", "ASIAMOCK000000000002");

        assert_eq!(get(0, "AWS_ACCESS_KEY_ID").as_deref(), Some("AKIAIOSFODNN7EXAMPLE"), "{shell}");
        assert_eq!(shown(0), None, "{shell}");

        assert_eq!(get(1, "AWS_ACCESS_KEY_ID").as_deref(), Some(admin_key), "{shell}: on top of base");
        assert_eq!(shown(1).as_deref(), Some("base → Admin"), "{shell}");
        assert_eq!(get(1, "AWSENV_PROFILE").as_deref(), Some("base"), "{shell}");

        assert_eq!(get(2, "AWS_ACCESS_KEY_ID").as_deref(), Some(audit_key), "{shell}: the short form stacks");
        assert_eq!(shown(2).as_deref(), Some("base → Admin → Audit"), "{shell}");

        assert_eq!(get(3, "AWS_ACCESS_KEY_ID").as_deref(), Some(admin_key), "{shell}: `use -` gives back base → Admin");
        assert_eq!(shown(3).as_deref(), Some("base → Admin"), "{shell}");

        assert_eq!(
            get(4, "AWS_ACCESS_KEY_ID").as_deref(),
            Some("AKIAIOSFODNN7EXAMPLE"),
            "{shell}: naming base starts again"
        );
        for gone in ["AWSENV_ROLES", "AWSENV_SHOWN", "AWS_SESSION_TOKEN"] {
            assert_eq!(get(4, gone), None, "{shell}: {gone}");
        }
        let unset: &BTreeMap<String, String> = &envs[5];
        for gone in ["AWSENV_PROFILE", "AWSENV_ROLES", "AWSENV_SHOWN", "AWSENV_PREVIOUS", "AWSENV_VARS"] {
            assert!(!unset.contains_key(gone), "{shell}: {gone} after unset: {unset:?}");
        }
        assert!(!unset.keys().any(|k| k.starts_with("AWS_")), "{shell}: {unset:?}");
        assert_eq!(mock.calls(), 2, "{shell} (shell {n}): two roles, each assumed once for every shell");
    }
    let calls = assume_role_calls(&mock);
    assert_eq!(calls[1].1, "ASIAMOCK000000000001", "Audit is assumed with Admin's credentials");
    assert!(calls[1].0.contains("role%2Fteam%2FAudit"), "{:?}", calls[1]);
}

#[test]
fn exec_whoami_and_explain_take_the_role_and_say_where_it_came_from() {
    let mock = Mock::start(vec![]);
    let home = home_with(&config(&mock.endpoint), "");
    let out = run(awsenv(home.path()).args([
        "exec",
        "base",
        "--role-arn",
        ADMIN,
        "--",
        "sh",
        "-c",
        "echo $AWS_ACCESS_KEY_ID",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "ASIAMOCK000000000001");

    let out = run(awsenv(home.path()).args(["whoami", "base", "--role-arn", ADMIN]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("assumed-role"), "{}", stdout(&out));
    assert_eq!(mock.calls(), 1, "whoami found exec's role in the cache");

    let out = run(awsenv(home.path()).args(["explain", "base", "--role-arn", ADMIN, "--role-duration", "900"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(&format!("assume role {ADMIN}")), "{text}");
    assert!(text.contains("the command line: --role-arn, not in any file"), "{text}");
    assert!(text.contains("duration: 900 s"), "{text}");

    // In a shell that acts as base → Admin, a bare `explain` and `exec` mean that too.
    let shell_env = |cmd: &mut std::process::Command| {
        cmd.env("AWSENV_PROFILE", "base").env("AWSENV_ROLES", format!("1 arn={ADMIN}"));
    };
    let mut explain = awsenv(home.path());
    shell_env(&mut explain);
    let text = stdout(&run(explain.arg("explain")));
    assert!(text.contains(&format!("assume role {ADMIN}")), "{text}");
    let mut exec = awsenv(home.path());
    shell_env(&mut exec);
    let out = run(exec.args(["exec", "--", "sh", "-c", "echo $AWS_ACCESS_KEY_ID"]));
    assert_eq!(stdout(&out).trim(), "ASIAMOCK000000000001", "{}", stderr(&out));
    assert_eq!(mock.calls(), 1);
}

#[test]
fn with_no_profile_and_none_active_it_is_a_usage_error_off_a_terminal() {
    let home = home_with("[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n", "");
    for args in [vec!["use", "--role-arn", ADMIN, "--print"], vec!["use", ADMIN, "--print"]] {
        let out = run(awsenv(home.path()).args(&args));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    // A profile actually named like an ARN wins over the short form.
    let named = format!("[profile {ADMIN}]\naws_access_key_id = AKIDNAMED\naws_secret_access_key = s\n");
    let home = home_with(&named, "");
    let out = run(awsenv(home.path()).args(["use", ADMIN, "--print"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(exported(&stdout(&out), "AWS_ACCESS_KEY_ID").as_deref(), Some("AKIDNAMED"));
}
