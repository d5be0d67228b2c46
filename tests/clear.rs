//! `awsenv clear`: what it forgets (role hops, credential_process answers, with `--mfa` the MFA
//! session, with `--all` every entry), what it never touches (the AWS CLI's SSO token, `~/.aws`,
//! awsenv's other files), and the wrapper's renewal at the next prompt.

mod support;

use support::mock::Mock;
use support::shells::through_the_wrapper;
use support::{awsenv, home_with, run, stderr};

fn config(endpoint: &str, process: &str) -> String {
    format!(
        "[profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = base-secret\nservices = mock\n\n\
         [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nservices = mock\n\n\
         [profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/m\nsource_profile = base\n\
         mfa_serial = arn:aws:iam::123456789012:mfa/me\nservices = mock\n\n\
         [profile proc]\ncredential_process = {process}\n\n\
         [services mock]\nsts =\n  endpoint_url = {endpoint}\n"
    )
}

/// A credential_process that counts its runs in `runs`.
fn counting_process(dir: &std::path::Path) -> (String, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let runs = dir.join("runs");
    let script = dir.join("process.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho run >> '{}'\necho '{{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\",\"Expiration\":\"2099-01-01T00:00:00Z\"}}'\n",
            runs.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script.display().to_string(), runs)
}

fn runs(file: &std::path::Path) -> usize {
    std::fs::read_to_string(file).map_or(0, |t| t.lines().count())
}

#[test]
fn clear_forgets_the_chains_cached_steps_and_keeps_the_mfa_session_unless_asked() {
    let mock = Mock::start(vec![]);
    let scripts = tempfile::tempdir().unwrap();
    let (process, process_runs) = counting_process(scripts.path());
    let home = home_with(&config(&mock.endpoint, &process), "");
    // The AWS CLI's SSO token: `logout`'s to remove, never `clear`'s.
    let token = home.path().join(".aws/sso/cache/0123.json");
    std::fs::create_dir_all(token.parent().unwrap()).unwrap();
    std::fs::write(&token, "{}").unwrap();
    let use_ = |args: &[&str]| {
        let out = run(awsenv(home.path()).arg("use").args(args).arg("--print"));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    let clear = |args: &[&str]| {
        let out = run(awsenv(home.path()).arg("clear").args(args));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "nothing for a shell to run");
        stderr(&out)
    };

    use_(&["role"]);
    use_(&["proc"]);
    use_(&["mfa", "--mfa-code", "123456"]);
    assert_eq!((mock.calls(), runs(&process_runs)), (3, 1), "role; proc; the MFA session and its role");

    let said = clear(&["role", "proc"]);
    assert!(said.contains("profile \"role\": forgot role arn:aws:iam::123456789012:role/r"), "{said}");
    assert!(said.contains("profile \"proc\": forgot the credential_process answer"), "{said}");
    assert!(said.contains("nothing was revoked at AWS"), "{said}");
    use_(&["role"]);
    use_(&["proc"]);
    assert_eq!((mock.calls(), runs(&process_runs)), (4, 2), "both fetched again");

    // The MFA profile: its role goes, the day's session stays, so no code is needed.
    let said = clear(&["mfa"]);
    assert!(said.contains("forgot role arn:aws:iam::123456789012:role/m"), "{said}");
    assert!(said.contains("kept the MFA session"), "{said}");
    use_(&["mfa"]);
    assert_eq!(mock.calls(), 5, "one AssumeRole from the kept session");
    let said = clear(&["mfa", "--mfa"]);
    assert!(said.contains("forgot the MFA session, role arn:aws:iam::123456789012:role/m"), "{said}");
    let out = run(awsenv(home.path()).args(["use", "mfa", "--print"]));
    assert!(!out.status.success(), "with the session gone, a code is needed (and no terminal here)");

    let said = clear(&["--all"]);
    assert!(said.contains("removed all 2 cached credentials"), "role and proc were left: {said}");
    assert!(token.exists(), "the AWS CLI's SSO token is not clear's");
    let said = clear(&["role"]);
    assert!(said.contains("profile \"role\": nothing cached"), "{said}");
    let config_now = std::fs::read_to_string(home.path().join(".aws/config")).unwrap();
    assert_eq!(config_now, config(&mock.endpoint, &process), "~/.aws is never touched");
}

#[test]
fn with_no_profile_it_clears_the_shells_own_and_the_wrapper_renews_at_the_next_prompt() {
    let mock = Mock::start(vec![]);
    let scripts = tempfile::tempdir().unwrap();
    let (process, _) = counting_process(scripts.path());
    let home = home_with(&config(&mock.endpoint, &process), "");
    let out = run(awsenv(home.path()).arg("clear"));
    assert_eq!(out.status.code(), Some(2), "no profile and none active: {}", stderr(&out));

    let home_dir = home.path().display().to_string();
    let env = [("HOME", home_dir.clone()), ("AWSENV_CACHE_DIR", format!("{home_dir}/.cache/awsenv"))];
    for shell in ["bash", "zsh", "fish"] {
        let Some(envs) = through_the_wrapper(shell, &env, &["use role", "clear"]) else { continue };
        assert!(envs[0]["AWSENV_EXPIRES_AT"].parse::<i64>().unwrap() > 0, "{shell}");
        assert_eq!(envs[1]["AWSENV_EXPIRES_AT"], "0", "{shell}: the next prompt renews");
        assert_eq!(
            envs[1]["AWS_ACCESS_KEY_ID"], envs[0]["AWS_ACCESS_KEY_ID"],
            "{shell}: the shell keeps its keys till then"
        );
    }
}
