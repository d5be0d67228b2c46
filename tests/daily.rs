//! A working day with awsenv, in the real shells: a hook that retries a failed renewal until it
//! works, `eval "$(awsenv use X)"` and `awsenv use X` both working with the wrapper loaded, no
//! secret printed to a terminal, and hints that name the profile the shell acts as.

mod support;

use std::path::Path;
use std::process::Command;

use support::mock::{Mock, Reply, sts_error};
use support::shells::find;
use support::{awsenv, home_with, run, stderr, stdout};

const BIN: &str = env!("CARGO_BIN_EXE_awsenv");
const STATIC: &str = "[profile static]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = static-secret-key\n";

fn init(shell: &str, bin: &Path) -> String {
    let out = Command::new(BIN).args(["init", shell]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().replace(BIN, &bin.display().to_string())
}

/// Run `body` after the init script in `shell`; (stdout, stderr).
fn in_shell(shell: &str, home: &Path, body: &str, extra: &[(&str, &str)]) -> Option<(String, String)> {
    let program = find(shell)?;
    let (shim, _) = support::logging_shim(home);
    let script = format!("{}\n{body}", init(shell, &shim));
    let mut cmd = Command::new(program);
    match shell {
        "nu" => {
            cmd.arg("--no-config-file");
        }
        "elvish" => {
            cmd.arg("-norc");
        }
        _ => {}
    }
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home)
        .env("AWSENV_CACHE_DIR", home.join("cache"))
        .env("AWSENV_FETCH", Path::new(BIN).with_file_name("awsenv-fetch"))
        .arg("-c")
        .arg(script);
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Some((String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned()))
}

#[test]
fn the_hook_retries_a_failed_renewal_with_backoff_warns_once_and_says_when_it_recovers() {
    for shell in ["bash", "zsh", "fish", "nu", "elvish"] {
        // The first credentials are inside the 10-minute window; then STS refuses twice, then works.
        let denied = Reply::Status(403, sts_error("AccessDenied", "down for maintenance"));
        let mock = Mock::start(vec![Reply::ExpiringIn(300), denied.clone(), denied, Reply::Credentials]);
        let home = home_with(&support::mock::role_config(&mock.endpoint), "");
        let (print_key, short, long) = match shell {
            "fish" => ("echo $AWS_ACCESS_KEY_ID", "sleep 1.2", "sleep 2.2"),
            "nu" => ("print $env.AWS_ACCESS_KEY_ID", "sleep 1200ms", "sleep 2200ms"),
            "elvish" => ("echo $E:AWS_ACCESS_KEY_ID", "sleep 1.2", "sleep 2.2"),
            _ => ("echo \"$AWS_ACCESS_KEY_ID\"", "sleep 1.2", "sleep 2.2"),
        };
        let body = format!(
            "awsenv use role\n__awsenv_hook\n__awsenv_hook\n{print_key}\n{short}\n__awsenv_hook\n__awsenv_hook\n{print_key}\n\
             {long}\n__awsenv_hook\n{print_key}\n__awsenv_hook\n"
        );
        let Some((out, err)) = in_shell(shell, home.path(), &body, &[("AWSENV_RETRY_AFTER", "1")]) else { continue };
        let keys: Vec<&str> = out.lines().collect();
        assert_eq!(
            keys,
            ["ASIAMOCK000000000001", "ASIAMOCK000000000001", "ASIAMOCK000000000004"],
            "{shell}: kept the old keys while STS refused, took new ones when it worked\n{err}"
        );
        assert_eq!(mock.calls(), 4, "{shell}: one call for use, two refused renewals, one that worked: {err}");
        assert_eq!(err.matches("AccessDenied").count(), 1, "{shell}: the outage is warned about once:\n{err}");
        assert_eq!(err.matches("renewed profile role again").count(), 1, "{shell}: and its end once:\n{err}");
    }
}

#[test]
fn after_login_the_next_prompt_tries_at_once() {
    let Some(_) = find("bash") else { return };
    let denied = Reply::Status(403, sts_error("AccessDenied", "no"));
    let mock = Mock::start(vec![Reply::ExpiringIn(300), denied, Reply::Credentials]);
    let home = home_with(&support::mock::role_config(&mock.endpoint), "");
    // `awsenv login` fails here (no SSO), but a successful one resets the schedule the same way:
    // stand in for it with the variable the wrapper sets.
    let body = "awsenv use role\n__awsenv_hook\n__awsenv_retry_at=0\n__awsenv_hook\necho \"$AWS_ACCESS_KEY_ID\"";
    let (out, err) = in_shell("bash", home.path(), body, &[]).unwrap();
    assert_eq!(out.trim(), "ASIAMOCK000000000003", "{err}");
    let wrapper = init("bash", Path::new(BIN));
    assert!(wrapper.contains("login)") && wrapper.contains("__awsenv_retry_at=0"), "the wrapper resets it after login");
}

#[test]
fn eval_of_use_works_with_the_wrapper_loaded_and_use_as_a_command_too() {
    let home = home_with(STATIC, "");
    let log = home.path().join("log");
    for shell in ["bash", "zsh", "fish"] {
        let (substitution, command) = match shell {
            "fish" => ("eval (awsenv use static)", format!("awsenv use static >> '{}'", log.display())),
            _ => ("eval \"$(awsenv use static)\"", format!("awsenv use static >> '{}'", log.display())),
        };
        let show = if shell == "fish" { "echo K=$AWS_ACCESS_KEY_ID" } else { "echo \"K=$AWS_ACCESS_KEY_ID\"" };
        let clear = if shell == "fish" { "set -e AWS_ACCESS_KEY_ID" } else { "unset AWS_ACCESS_KEY_ID" };
        let body = format!("{substitution}\n{show}\n{clear}\n{command}\n{show}\n");
        let Some((out, err)) = in_shell(shell, home.path(), &body, &[]) else { continue };
        assert_eq!(out, "K=AKIDSTATIC\nK=AKIDSTATIC\n", "{shell}: both forms change the shell\n{err}");
        assert_eq!(std::fs::read_to_string(&log).unwrap_or_default(), "", "{shell}: `use >> log` is a command");
    }
}

/// `awsenv ARGS` with its stdout on a pseudo-terminal (script(1)), started by `shell`.
fn on_a_terminal(home: &Path, shell: &str, args: &str) -> String {
    let program = find(shell).expect("the shell runs");
    let inner = match shell {
        "fish" => format!("'{}' -c \"'{BIN}' {args}; echo status=\\$status\"", program.display()),
        _ => format!("'{}' -c \"'{BIN}' {args}; echo status=\\$?\"", program.display()),
    };
    let out = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home)
        .env("AWSENV_CACHE_DIR", home.join("cache"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script(1) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn no_secret_is_printed_to_a_terminal_unless_asked_for() {
    let home = home_with(STATIC, "");
    for (shell, how) in [("bash", "eval \"$(awsenv use static)\""), ("fish", "awsenv use static --shell fish | source")]
    {
        if find(shell).is_none() {
            continue;
        }
        for args in
            ["use static", "use static --format json", "use static --format dotenv", "credential-process static"]
        {
            let screen = on_a_terminal(home.path(), shell, args);
            assert!(
                !screen.contains("static-secret-key"),
                "{shell} {args}: the secret reached the terminal:\n{screen}"
            );
            assert!(screen.contains("not printing secret keys to the terminal"), "{shell} {args}:\n{screen}");
            assert!(!screen.contains("status=0"), "{shell} {args}: exits non-zero:\n{screen}");
            if args == "use static" {
                assert!(screen.contains(how), "{shell}: the hint is in the syntax of the shell that ran it:\n{screen}");
            }
        }
        let screen = on_a_terminal(home.path(), shell, "use static --print");
        assert!(
            screen.contains("static-secret-key") && screen.contains("status=0"),
            "{shell}: --print prints:\n{screen}"
        );
    }
    // Not a terminal: printed as always.
    let out = run(awsenv(home.path()).args(["use", "static"]));
    assert!(stdout(&out).contains("static-secret-key"), "{}", stderr(&out));
}

#[test]
fn the_mfa_hint_names_the_profile_the_shell_acts_as() {
    let mock = Mock::start(vec![]);
    let config = format!(
        "{}[profile security-audit]\nrole_arn = arn:aws:iam::123456789012:role/audit\nsource_profile = base\n\
         mfa_serial = arn:aws:iam::123456789012:mfa/me\nservices = mock\n\n\
         [profile prod-admin]\nrole_arn = arn:aws:iam::210987654321:role/admin\nsource_profile = security-audit\nservices = mock\n",
        support::mock::role_config(&mock.endpoint)
    );
    let home = home_with(&config, "");
    let out = run(awsenv(home.path()).args(["use", "--hook", "--", "prod-admin"]));
    let err = stderr(&out);
    assert!(!out.status.success() && out.stdout.is_empty(), "{err}");
    assert!(err.contains("run `awsenv use prod-admin`"), "{err}");
    assert!(!err.contains("awsenv use security-audit") && !err.contains("awsenv use 'security-audit'"), "{err}");
    assert_eq!(mock.calls(), 0);
}

#[test]
fn use_dash_goes_back_and_commands_follow_the_active_profile() {
    let home = home_with(
        &format!(
            "{STATIC}[profile other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other-secret\nregion = eu-west-1\n[profile -]\naws_access_key_id = AKIDDASH\naws_secret_access_key = dash-secret\n"
        ),
        "",
    );
    for shell in ["bash", "zsh", "fish"] {
        // printf: zsh's echo prints nothing for a lone `-`.
        let show =
            if shell == "fish" { "printf '%s\\n' $AWSENV_PROFILE" } else { "printf '%s\\n' \"$AWSENV_PROFILE\"" };
        let body = format!(
            "awsenv use static\nawsenv use other\n{show}\nawsenv use -\n{show}\nawsenv use -\n{show}\nawsenv use -- -\n{show}\n\
             awsenv unset\nawsenv use - 2>/dev/null\n{show}\n"
        );
        let Some((out, err)) = in_shell(shell, home.path(), &body, &[]) else { continue };
        // After `unset` the shell is as it was before the first `use`: no previous profile.
        assert_eq!(out, "other\nstatic\nother\n-\n\n", "{shell}: {err}");
    }
    // Without a profile, explain, exec and refresh act on the profile the shell acts as.
    let active = [("AWSENV_PROFILE", "other")];
    let out = run(awsenv(home.path()).arg("explain").envs(active));
    assert!(stdout(&out).starts_with("profile other "), "{}{}", stdout(&out), stderr(&out));
    let out = run(awsenv(home.path()).args(["exec", "--", "sh", "-c", "echo $AWS_ACCESS_KEY_ID"]).envs(active));
    assert_eq!(stdout(&out).trim(), "AKIDOTHER", "{}", stderr(&out));
    let out = run(awsenv(home.path()).args(["refresh"]).envs(active));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(awsenv(home.path()).args(["exec", "--", "true"]));
    assert!(stderr(&out).contains("needs a profile"), "{}", stderr(&out));
    let out = run(awsenv(home.path()).args(["use", "-"]));
    assert!(stderr(&out).contains("has had none"), "{}", stderr(&out));
}

#[test]
fn prompt_knows_region_and_account() {
    let home = home_with("", "");
    let out = run(awsenv(home.path()).args(["prompt", "--format", "{profile}@{account} {region}"]).envs([
        ("AWSENV_PROFILE", "prod"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ACCOUNT_ID", "123456789012"),
    ]));
    assert_eq!(stdout(&out), "prod@123456789012 eu-west-1\n");
}

const START_URL: &str = "https://corp.awsapps.com/start";

#[test]
fn a_bare_login_uses_the_only_sso_session_and_logout_forgets_its_role_credentials() {
    let mock = support::sso::SsoMock::start();
    let config = format!(
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n\n\
         [sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"
    );
    let home = home_with(&config, "");
    let with_mock = |cmd: &mut Command| {
        cmd.env("AWS_ENDPOINT_URL_SSO", &mock.endpoint)
            .env("AWS_ENDPOINT_URL_SSO_OIDC", &mock.endpoint)
            .env("BROWSER", "/bin/false");
    };
    let mut login = awsenv(home.path());
    login.args(["login", "--use-device-code", "--no-browser"]);
    with_mock(&mut login);
    let out = run(&mut login);
    assert!(out.status.success(), "a bare login logs in to the only sso-session: {}", stderr(&out));
    let mut use_dev = awsenv(home.path());
    use_dev.args(["use", "dev"]);
    with_mock(&mut use_dev);
    assert!(run(&mut use_dev).status.success());
    let mut logout = awsenv(home.path());
    logout.args(["logout", "--sso-session", "corp"]);
    with_mock(&mut logout);
    let out = run(&mut logout);
    assert!(stderr(&out).contains("removed 1 cached role credential"), "{}", stderr(&out));
    let mut again = awsenv(home.path());
    again.args(["use", "dev"]);
    with_mock(&mut again);
    let out = run(&mut again);
    assert!(!out.status.success(), "nothing resolves from a login that ended: {}", stdout(&out));
    assert!(stderr(&out).contains("awsenv login"), "{}", stderr(&out));
}

#[test]
fn list_filters_shows_settings_only_profiles_and_mfa() {
    let mock = Mock::start(vec![]);
    let config = format!(
        "[default]\nregion = eu-north-1\n\n{}[profile audit]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n",
        support::mock::role_config(&mock.endpoint)
    );
    let home = home_with(&config, "");
    let out = run(awsenv(home.path()).arg("list"));
    let text = stdout(&out);
    let header = text.lines().next().unwrap();
    assert!(header.contains("MFA"), "{text}");
    let default = text.lines().find(|l| l.starts_with("default ")).unwrap();
    assert!(
        default.contains("settings") && !default.contains('!'),
        "a region-only default is settings, not an error: {text}"
    );
    let audit = text.lines().find(|l| l.starts_with("audit ")).unwrap();
    assert!(audit.contains(" yes "), "{text}");
    let out = run(awsenv(home.path()).args(["list", "AUD"]));
    assert_eq!(stdout(&out).lines().count(), 2, "the header and audit: {}", stdout(&out));
    let out = run(awsenv(home.path()).args(["list", "--json", "ro"]));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["mfa"], false);
    let out = run(awsenv(home.path()).args(["list", "nothing-like-this"]));
    assert!(stdout(&out).is_empty() && stderr(&out).contains("no profile name contains"), "{}", stderr(&out));
}

#[test]
fn remote_failures_name_the_call_and_the_status_once() {
    let mock = support::sso::SsoMock::start();
    mock.script("/token", vec![support::sso::SsoReply::Status(400, r#"{"error":"invalid_grant"}"#.into())]);
    let config = format!(
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n\n\
         [sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"
    );
    let home = home_with(&config, "");
    let dir = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
        support::sso::token_file(START_URL, "expired", -60, true),
    )
    .unwrap();
    let out = run(awsenv(home.path())
        .args(["use", "dev"])
        .env("AWS_ENDPOINT_URL_SSO", &mock.endpoint)
        .env("AWS_ENDPOINT_URL_SSO_OIDC", &mock.endpoint));
    let err = stderr(&out);
    assert!(err.contains("SSO-OIDC CreateToken at") && err.contains("answered HTTP 400 invalid_grant"), "{err}");
    assert!(!err.contains("answered 400"), "{err}");
}

#[test]
fn credentials_shorter_than_the_windows_are_not_renewed_the_moment_they_arrive() {
    let Some(_) = find("bash") else { return };
    // 15-minute role credentials: inside the 20-minute refresh-ahead window from the start.
    let mock = Mock::start(vec![Reply::ExpiringIn(900)]);
    let config = support::mock::role_config(&mock.endpoint)
        .replace("source_profile = base\n", "source_profile = base\nduration_seconds = 900\n");
    let home = home_with(&config, "");
    let body = "awsenv use role --refresh\n__awsenv_hook\nsleep 1.5\n__awsenv_hook\necho \"$AWS_ACCESS_KEY_ID\"";
    let (out, err) = in_shell("bash", home.path(), body, &[]).unwrap();
    assert_eq!(out.trim(), "ASIAMOCK000000000001", "{err}");
    assert_eq!(mock.calls(), 1, "`use --refresh` and the first prompts make one STS call between them: {err}");
}

#[test]
fn a_usage_error_says_what_is_missing_in_words() {
    let home = home_with("", "");
    for (args, want) in [
        (&["exec"][..], "`awsenv exec` needs COMMAND; hint: usage: awsenv exec"),
        (&["init"], "`awsenv init` needs SHELL"),
    ] {
        let out = run(awsenv(home.path()).args(args));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.starts_with(&format!("awsenv: {want}")) && err.lines().count() == 1, "{err}");
    }
}

#[test]
fn completion_offers_options_commands_after_exec_and_described_profiles() {
    let home = home_with(
        &format!("{STATIC}[profile other]\nregion = eu-west-1\naws_access_key_id = A\naws_secret_access_key = s\n"),
        "",
    );
    let bash = "COMP_WORDS=(awsenv use --re); COMP_CWORD=2; __awsenv_complete; echo \"${COMPREPLY[*]}\"\n\
                COMP_WORDS=(awsenv exec static -- ech); COMP_CWORD=4; __awsenv_complete; printf '%s\\n' \"${COMPREPLY[@]}\" | grep -qx echo && echo command";
    if let Some((out, err)) = in_shell("bash", home.path(), bash, &[]) {
        assert_eq!(out, "--region --refresh\ncommand\n", "bash: {err}");
    }
    let fish = "complete -C 'awsenv use --re'\necho ---\ncomplete -C 'awsenv exec static -- ech' | string match -q 'echo*'; and echo command\n\
                echo ---\ncomplete -C 'awsenv use ther'\necho ---\ncomplete -C 'awsenv exec static --'";
    if let Some((out, err)) = in_shell("fish", home.path(), fish, &[]) {
        let parts: Vec<&str> = out.split("---\n").collect();
        assert_eq!(parts[0], "--refresh\n--region\n", "fish: {err}");
        assert_eq!(parts[1], "command\n", "fish: {err}");
        assert_eq!(parts[2], "other\tstatic, eu-west-1\n", "fish matches substrings and describes: {err}");
        assert!(!parts[3].contains("static\t"), "fish offers no profile names after --: {}", parts[3]);
    }
    // What zsh, nushell and elvish show beside each name (fish is checked above).
    let out = run(awsenv(home.path()).args(["__complete", "described-profiles", "THER"]));
    assert_eq!(stdout(&out), "other\tstatic, eu-west-1\n");
    // zsh: init before compinit registers at the first prompt; without compinit it says so once.
    let zsh = "autoload -Uz compinit; compinit -u -D\nfor f in $precmd_functions; do $f; done\nprint -r -- \"comp=$_comps[awsenv]\"";
    if let Some((out, err)) = in_shell("zsh", home.path(), zsh, &[]) {
        assert!(out.contains("comp=_awsenv"), "zsh: {out} {err}");
    }
    let zsh = "for f in $precmd_functions; do $f; done\nfor f in $precmd_functions; do $f; done";
    if let Some((_, err)) = in_shell("zsh", home.path(), zsh, &[]) {
        assert_eq!(err.matches("completion needs compinit").count(), 1, "zsh: {err}");
    }
}

#[test]
fn once_the_credentials_have_expired_the_hook_tries_again_within_a_minute() {
    for shell in ["bash", "zsh", "fish", "nu", "elvish"] {
        // Credentials that expire in two seconds, and an STS that refuses every renewal; the
        // backoff would wait five minutes and more.
        let denied = Reply::Status(403, sts_error("AccessDenied", "down for maintenance"));
        let mock = Mock::start(vec![Reply::ExpiringIn(2), denied.clone(), denied.clone(), denied]);
        let home = home_with(&support::mock::role_config(&mock.endpoint), "");
        let (wait, until_retry) = match shell {
            "fish" => ("sleep 2.5", "math $__awsenv_retry_at - (date +%s)"),
            "nu" => ("sleep 2500ms", "print ($env.__AWSENV_RETRY_AT - (__awsenv_now))"),
            "elvish" => ("sleep 2.5", "echo (- $__awsenv_retry_at (__awsenv_now))"),
            "zsh" => ("sleep 2.5", "echo $((__awsenv_retry_at - EPOCHSECONDS))"),
            _ => ("sleep 2.5", "echo $((__awsenv_retry_at - $(date +%s)))"),
        };
        let body = format!("awsenv use role\n__awsenv_hook\n{until_retry}\n{wait}\n__awsenv_hook\n{until_retry}\n");
        let Some((out, err)) = in_shell(shell, home.path(), &body, &[("AWSENV_RETRY_AFTER", "300")]) else {
            assert!(!support::in_ci(), "{shell} is missing in CI");
            continue;
        };
        // Whole seconds (elvish prints them as floats).
        let waits: Vec<i64> =
            out.lines().filter_map(|l| l.trim().parse::<f64>().ok()).map(|w| w.round() as i64).collect();
        assert_eq!(waits.len(), 2, "{shell}: {out}\n{err}");
        assert!(waits[0] > 200, "{shell}: while the credentials are valid, the backoff holds: {waits:?}");
        assert!((0..=60).contains(&waits[1]), "{shell}: expired, the next try is within a minute: {waits:?}\n{err}");
    }
}
