//! `awsenv doctor` in real shells (bash, zsh, fish) with and without the hook, and against the
//! broken setups it exists to find: a hook whose binary is gone, no `awsenv-fetch`, a cache of
//! another user, an expired SSO login, start-up files that load the wrong hook, a skewed clock.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use support::shells::find;
use support::sso::token_file;
use support::{awsenv, home_with, run, stderr, stdout};

const BIN: &str = env!("CARGO_BIN_EXE_awsenv");
/// sha1("corp"): the CLI's token file name for `[sso-session corp]`.
const CORP_TOKEN: &str = "ee0bfd2552fbd840c02cc48b6e823320543c450f";

fn report(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)))
}

/// (status, message) of every check in one area.
fn area(report: &serde_json::Value, name: &str) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["area"] == name)
        .map(|c| (c["status"].as_str().unwrap().to_owned(), c["message"].as_str().unwrap().to_owned()))
        .collect()
}

fn has(checks: &[(String, String)], status: &str, text: &str) -> bool {
    checks.iter().any(|(s, m)| s == status && m.contains(text))
}

/// `script` in `shell` (no start-up files), with `awsenv` on PATH from `bin_dir`.
fn in_shell(shell: &str, script: &str, home: &Path, bin_dir: &Path) -> Option<std::process::Output> {
    let program = find(shell)?;
    let mut cmd = Command::new(program);
    match shell {
        "bash" => cmd.args(["--norc", "--noprofile", "-c", script]),
        "zsh" => cmd.args(["-f", "-c", script]),
        _ => cmd.args(["--no-config", "-c", script]),
    };
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    cmd.env_clear().env("PATH", path).env("HOME", home).env("AWSENV_CACHE_DIR", home.join(".cache/awsenv"));
    Some(cmd.output().unwrap())
}

fn bin_dir() -> &'static Path {
    Path::new(BIN).parent().unwrap()
}

#[test]
fn the_hook_is_seen_in_bash_zsh_and_fish_only_when_loaded() {
    let home = home_with("[profile p]\nregion = eu-west-1\n", "");
    for shell in ["bash", "zsh", "fish"] {
        // `; true` keeps the shell from replacing itself with awsenv, as an interactive one would.
        let Some(out) = in_shell(shell, "awsenv doctor --json; true", home.path(), bin_dir()) else { continue };
        let shells = area(&report(&out), "shell");
        assert!(has(&shells, "warn", &format!("{shell} (pid")), "{shell}: {shells:?}");
        assert!(has(&shells, "warn", "has not loaded the hook"), "{shell}: {shells:?}");
        assert!(has(&shells, "warn", "no start-up file loads the hook"), "{shell}: {shells:?}");

        let loaded = match shell {
            "fish" => "awsenv init fish | source; awsenv doctor --json",
            "zsh" => "eval \"$(awsenv init zsh)\"; awsenv doctor --json; true",
            _ => "eval \"$(awsenv init bash)\"; awsenv doctor --json; true",
        };
        let out = in_shell(shell, loaded, home.path(), bin_dir()).unwrap();
        assert!(out.status.success(), "{shell}: {}{}", stdout(&out), stderr(&out));
        let report = report(&out);
        let shells = area(&report, "shell");
        assert!(has(&shells, "ok", &format!("{shell} (pid")), "{shell}: {shells:?}");
        assert!(has(&shells, "ok", "has the hook of this awsenv"), "{shell}: {shells:?}");
        let completion = area(&report, "completion");
        let expected = if shell == "zsh" { "warn" } else { "ok" };
        assert!(has(&completion, expected, ""), "{shell}: {completion:?}");
    }
}

#[test]
fn a_hook_inherited_from_another_shell_is_not_this_shells() {
    let home = home_with("", "");
    let Some(out) = in_shell(
        "bash",
        "eval \"$(awsenv init bash)\"; bash --norc --noprofile -c 'awsenv doctor --json; true'; true",
        home.path(),
        bin_dir(),
    ) else {
        return;
    };
    let shells = area(&report(&out), "shell");
    assert!(has(&shells, "warn", "was inherited from another shell"), "{shells:?}");
    // A subshell of the shell that loaded it (command substitution) is still that shell.
    let script = "eval \"$(awsenv init bash)\"; report=$(awsenv doctor --json); printf '%s' \"$report\"";
    let out = in_shell("bash", script, home.path(), bin_dir()).unwrap();
    let shells = area(&report(&out), "shell");
    assert!(has(&shells, "ok", "has the hook of this awsenv"), "{shells:?}");
}

/// A copy of the binaries in a directory of their own, with or without the network helper (the
/// key store's helper always comes along).
fn copy_of_awsenv(dir: &Path, with_helper: bool) {
    std::fs::copy(BIN, dir.join("awsenv")).unwrap();
    std::fs::copy(bin_dir().join("awsenv-keys"), dir.join("awsenv-keys")).unwrap();
    if with_helper {
        std::fs::copy(bin_dir().join("awsenv-fetch"), dir.join("awsenv-fetch")).unwrap();
    }
}

#[test]
fn a_hook_whose_binary_is_gone_fails() {
    let home = home_with("", "");
    let old = tempfile::tempdir().unwrap();
    copy_of_awsenv(old.path(), true);
    // The hook of the copy, then the copy removed (an upgrade that moved the binary).
    let script = format!(
        "eval \"$('{old}/awsenv' init bash)\"; rm -r '{old}'; '{BIN}' doctor --json; echo \"exit=$?\"",
        old = old.path().display()
    );
    let Some(out) = in_shell("bash", &script, home.path(), bin_dir()) else { return };
    let text = stdout(&out);
    assert!(text.trim_end().ends_with("exit=1"), "a failing check fails the run: {text}");
    let json = text.trim_end().trim_end_matches("exit=1");
    let report: serde_json::Value = serde_json::from_str(json).unwrap();
    let shells = area(&report, "shell");
    assert!(has(&shells, "fail", "which is not there any more"), "{shells:?}");
    assert_eq!(report["summary"]["fail"], 1, "{report}");
}

#[test]
fn a_missing_or_foreign_helper_fails() {
    let home = home_with("", "");
    let alone = tempfile::tempdir().unwrap();
    copy_of_awsenv(alone.path(), false);
    let mut cmd = awsenv(home.path());
    let out =
        run(Command::new(alone.path().join("awsenv")).args(["doctor", "--json"]).env_clear().env("HOME", home.path()));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 check failed"), "{}", stderr(&out));
    let helper = area(&report(&out), "helper");
    assert!(has(&helper, "fail", "cannot be started"), "{helper:?}");

    // A helper of another version (here: a script that says so).
    let fake = alone.path().join("awsenv-fetch");
    std::fs::write(&fake, "#!/bin/sh\necho 'awsenv-fetch 0.0.1'\n").unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = run(cmd.args(["doctor", "--json"]).env("AWSENV_FETCH", &fake));
    let helper = area(&report(&out), "helper");
    assert!(has(&helper, "fail", "is of version 0.0.1"), "{helper:?}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_cache_of_another_user_fails_and_leftovers_are_named() {
    let home = home_with("", "");
    let cache = home.path().join(".cache/awsenv");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::set_permissions(&cache, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    // What crashed writers leave: a temporary and a lock of an entry that is gone, both old.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 86400);
    for name in [".abc.json.123.456.tmp", "gone.json.lock"] {
        let file = std::fs::File::create(cache.join(name)).unwrap();
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        file.set_modified(old).unwrap();
    }
    let out = run(awsenv(home.path()).args(["doctor", "--json"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let checks = area(&report(&out), "cache");
    assert!(has(&checks, "warn", "1 abandoned temporary file"), "{checks:?}");
    assert!(has(&checks, "warn", "1 lock file older than a day"), "{checks:?}");

    // Another owner: root can hand it to nobody; anyone else points the cache at `/`, root's.
    let me = unsafe { libc::geteuid() };
    let foreign = if me == 0 {
        std::os::unix::fs::chown(&cache, Some(65534), Some(65534)).unwrap();
        cache.clone()
    } else {
        std::path::PathBuf::from("/")
    };
    let out = run(awsenv(home.path()).args(["doctor", "--json"]).env("AWSENV_CACHE_DIR", &foreign));
    assert_eq!(out.status.code(), Some(1));
    let checks = area(&report(&out), "cache");
    assert!(has(&checks, "fail", "not by you"), "{checks:?}");
    // The text form: the status, the area, and the fix on a line of its own.
    let out = run(awsenv(home.path()).args(["doctor"]).env("AWSENV_CACHE_DIR", &foreign));
    assert!(stdout(&out).contains("fail cache: "), "{}", stdout(&out));
    assert!(stdout(&out).contains("     fix: remove it"), "{}", stdout(&out));
}

#[test]
fn sso_logins_say_their_token_and_registration_state() {
    let config = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n\n\
                  [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";
    let home = home_with(config, "");
    let out = run(awsenv(home.path()).args(["doctor", "--json"]));
    let sso = area(&report(&out), "sso");
    assert!(has(&sso, "warn", "sso-session \"corp\": token missing"), "{sso:?}");

    let token_dir = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&token_dir).unwrap();
    let mut token: serde_json::Value =
        serde_json::from_str(&token_file("https://corp.awsapps.com/start", "t", -600, true)).unwrap();
    token["registrationExpiresAt"] = "2020-01-01T00:00:00Z".into();
    std::fs::write(token_dir.join(format!("{CORP_TOKEN}.json")), token.to_string()).unwrap();
    let out = run(awsenv(home.path()).args(["doctor", "--json"]));
    assert!(out.status.success(), "an expired login is a warning: {}", stderr(&out));
    let sso = area(&report(&out), "sso");
    assert!(has(&sso, "warn", "token expired at"), "{sso:?}");
    assert!(has(&sso, "warn", "client registration expired at 2020-01-01T00:00:00Z"), "{sso:?}");
    assert!(!stdout(&out).contains("\"t\""), "no token in the report");
}

#[test]
fn start_up_files_that_load_the_wrong_hook_fail_and_lint_findings_are_included() {
    let home = home_with("[profile p]\nregoin = eu-west-1\n", "");
    std::fs::write(home.path().join(".bashrc"), "# comment\neval \"$(awsenv init zsh)\"\n").unwrap();
    std::fs::write(home.path().join(".zshrc"), "eval \"$(awsenv init zsh)\"\n").unwrap();
    let out = run(awsenv(home.path()).args(["doctor", "--json"]));
    assert_eq!(out.status.code(), Some(1));
    let report = report(&out);
    let shells = area(&report, "shell");
    assert!(has(&shells, "fail", "~/.bashrc:2 loads the zsh hook into bash"), "{shells:?}");
    assert!(has(&shells, "ok", "~/.zshrc:1 loads the hook into zsh"), "{shells:?}");
    let lint = area(&report, "lint");
    assert!(has(&lint, "warn", "~/.aws/config:2: "), "{lint:?}");
}

/// A loopback "STS" whose Date header is `skew` seconds off this machine's clock.
fn skewed_sts(skew: i64) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let _ = support::mock::read_request(&mut reader);
            let date = (time::OffsetDateTime::now_utc() + time::Duration::seconds(skew))
                .format(&time::format_description::well_known::Rfc2822)
                .unwrap();
            let body = "<ErrorResponse/>";
            let _ = write!(
                stream,
                "HTTP/1.1 403 Forbidden\r\ndate: {date}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = reader.fill_buf();
        }
    });
    endpoint
}

#[test]
fn online_the_clock_is_compared_with_sts() {
    let home = home_with("", "");
    for (skew, status, text) in
        [(0, "ok", "s ahead of STS"), (-120, "warn", "s ahead of STS"), (900, "fail", "s behind STS")]
    {
        let endpoint = skewed_sts(skew);
        let out =
            run(awsenv(home.path()).args(["doctor", "--json", "--online"]).env("AWS_ENDPOINT_URL_STS", &endpoint));
        let clock = area(&report(&out), "clock");
        assert!(has(&clock, status, text), "skew {skew}: {clock:?}");
        assert_eq!(out.status.success(), status != "fail", "skew {skew}");
    }
    let out = run(awsenv(home.path()).args(["doctor", "--json"]));
    assert!(area(&report(&out), "clock").is_empty(), "offline by default");
}
