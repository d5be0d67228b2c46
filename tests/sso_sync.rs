//! `awsenv sso sync` and `sso add` against the loopback portal: 500 accounts × 3 roles in one
//! sync, reruns that change nothing, removals inside the block only, hand edits outside it kept,
//! clashing and unholdable names, a source_profile that keeps a profile, a file that changes
//! mid-sync, a portal that fails halfway or throttles, and botocore reading the result.

mod support;

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use support::sso::{CORP_TOKEN, SsoMock, SsoReply};
use support::{awsenv, home_with, run, stderr, stdout};

const HAND_WRITTEN: &str = "# my own notes\n[default]\nregion = eu-north-1\n\n\
    [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n\
    [profile mine]\nregion = ap-south-1   ; a comment that stays\n";

/// A home with `config`, a valid login for `corp`, and the portal at `mock`.
fn home(config: &str) -> tempfile::TempDir {
    support::sso::home_logged_in_to_corp(config)
}

fn accounts(n: usize, roles: &[&str]) -> Vec<(String, String, Vec<String>)> {
    (0..n)
        .map(|i| {
            (
                format!("{:012}", 100_000_000_000u64 + i as u64),
                format!("Account {i}"),
                roles.iter().map(|r| (*r).to_owned()).collect(),
            )
        })
        .collect()
}

fn sync(home: &Path, mock: &SsoMock, args: &[&str]) -> std::process::Output {
    run(awsenv(home).args(["sso", "sync"]).args(args).env("AWS_ENDPOINT_URL_SSO", &mock.endpoint))
}

fn config_of(home: &Path) -> String {
    std::fs::read_to_string(home.join(".aws/config")).unwrap()
}

fn mtime(home: &Path) -> (i64, i64) {
    let m = std::fs::metadata(home.join(".aws/config")).unwrap();
    (m.mtime(), m.mtime_nsec())
}

#[test]
fn five_hundred_accounts_of_three_roles_in_one_sync_and_a_rerun_rewrites_nothing() {
    let mock = SsoMock::start();
    mock.set_assignments(accounts(500, &["Admin", "Billing", "ReadOnly"]));
    let home = home(HAND_WRITTEN);
    let out = sync(home.path(), &mock, &["--sso-session", "corp", "--region", "eu-west-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "sync prints nothing on stdout: {}", stdout(&out));
    assert!(
        stderr(&out).contains("1500 profiles from 500 accounts (1500 added, 0 changed, 0 removed)"),
        "{}",
        stderr(&out)
    );
    // ListAccounts in pages of 40, and ListAccountRoles (pages of 2) per account.
    assert_eq!(mock.calls("/assignment/accounts"), 13);
    assert_eq!(mock.calls("/assignment/roles"), 1000);
    let text = config_of(home.path());
    assert!(text.starts_with(HAND_WRITTEN), "everything outside the block is as it was");
    assert!(text.contains("[profile Account-499/ReadOnly]\nsso_session = corp\nsso_account_id = 100000000499\nsso_role_name = ReadOnly\nawsenv_account_name = Account 499\nregion = eu-west-1\n"), "{}", &text[text.len() - 400..]);
    assert!(home.path().join(".aws/config.awsenv.bak").is_file());
    assert_eq!(std::fs::read_to_string(home.path().join(".aws/config.awsenv.bak")).unwrap(), HAND_WRITTEN);

    // awsenv reads the result: list names the accounts, use resolves a generated profile.
    let out = run(awsenv(home.path()).args(["list", "--json"]));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.iter().filter(|r| r["kind"] == "sso").count(), 1500);
    let row = rows.iter().find(|r| r["name"] == "Account-7/Billing").unwrap();
    assert_eq!(row["account_name"], "Account 7");

    let before = mtime(home.path());
    std::thread::sleep(Duration::from_millis(20));
    let out = sync(home.path(), &mock, &[]);
    assert!(out.status.success(), "a bare rerun syncs the sessions that have a block: {}", stderr(&out));
    assert!(
        stderr(&out).contains("(0 added, 0 changed, 0 removed)") && stderr(&out).contains("is up to date"),
        "{}",
        stderr(&out)
    );
    assert_eq!(mtime(home.path()), before, "nothing rewritten");
    assert!(config_of(home.path()).contains("region = eu-west-1"), "the recorded options are used again");
}

#[test]
fn a_removed_account_goes_from_the_block_only_and_hand_edits_survive_through_a_symlink() {
    let mock = SsoMock::start();
    mock.set_assignments(accounts(5, &["Admin"]));
    let home = home("");
    // A dotfile manager's link, and a mode of the user's choosing.
    let dotfiles = home.path().join("dotfiles");
    std::fs::create_dir_all(&dotfiles).unwrap();
    std::fs::write(dotfiles.join("aws-config"), HAND_WRITTEN.replace('\n', "\r\n")).unwrap();
    std::fs::set_permissions(dotfiles.join("aws-config"), std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();
    std::fs::remove_file(home.path().join(".aws/config")).unwrap();
    std::os::unix::fs::symlink(dotfiles.join("aws-config"), home.path().join(".aws/config")).unwrap();
    assert!(sync(home.path(), &mock, &["--sso-session", "corp"]).status.success());

    let edited = config_of(home.path()).replace("; a comment that stays", "; edited after the sync")
        + "[profile later]\r\nregion = x";
    std::fs::write(dotfiles.join("aws-config"), &edited).unwrap();
    mock.set_assignments(accounts(5, &["Admin"]).into_iter().filter(|a| a.1 != "Account 3").collect());
    let out = sync(home.path(), &mock, &[]);
    assert!(stderr(&out).contains("(0 added, 0 changed, 1 removed)"), "{}", stderr(&out));
    let text = config_of(home.path());
    assert_eq!(text, edited.replace("[profile Account-3/Admin]\r\nsso_session = corp\r\nsso_account_id = 100000000003\r\nsso_role_name = Admin\r\nawsenv_account_name = Account 3\r\n\r\n", ""));
    assert!(text.ends_with("[profile later]\r\nregion = x"), "the missing last line end stays missing");
    assert!(std::fs::symlink_metadata(home.path().join(".aws/config")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::metadata(dotfiles.join("aws-config")).unwrap().mode() & 0o777, 0o640);
}

#[test]
fn clashing_names_and_names_profiles_cannot_hold_and_hand_written_ones_are_reported() {
    let mock = SsoMock::start();
    mock.set_assignments(vec![
        ("111111111111".into(), "Dev".into(), vec!["Admin".into()]),
        ("222222222222".into(), "dev".into(), vec!["Admin".into()]),
        ("333333333333".into(), "Ops [EU] / Ünit = 1".into(), vec!["ReadOnly".into()]),
        ("444444444444".into(), "mine".into(), vec!["Admin".into()]),
    ]);
    let home = home(&(HAND_WRITTEN.to_owned() + "\n[profile mine/admin]\nregion = us-west-2\n"));
    let out = sync(home.path(), &mock, &["--sso-session", "corp", "--name", "{account_name:lower}/{role_name:lower}"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("\"dev/admin\" is the name of more than one role: written as \"dev/admin-111111111111\""),
        "{err}"
    );
    assert!(err.contains("written as \"dev/admin-222222222222\""), "{err}");
    assert!(err.contains("not generated: \"mine/admin\" is defined by hand at ~/.aws/config:"), "{err}");
    let text = config_of(home.path());
    assert!(text.contains("[profile ops-eu/nit-1/readonly]\n"), "{text}");
    assert!(text.contains("awsenv_account_name = Ops [EU] / Ünit = 1\n"), "{text}");
    assert_eq!(text.matches("[profile mine/admin]").count(), 1, "the hand-written one is not overwritten");
    let out = run(awsenv(home.path()).arg("lint"));
    assert!(out.status.success(), "the generated block lints clean: {}{}", stdout(&out), stderr(&out));
}

#[test]
fn a_generated_profile_that_a_hand_written_source_profile_uses_is_kept() {
    let mock = SsoMock::start();
    mock.set_assignments(accounts(2, &["Admin"]));
    let home = home(
        &(HAND_WRITTEN.to_owned()
            + "\n[profile deploy]\nrole_arn = arn:aws:iam::1:role/d\nsource_profile = Account-1/Admin\n"),
    );
    assert!(sync(home.path(), &mock, &["--sso-session", "corp"]).status.success());
    mock.set_assignments(accounts(1, &["Admin"]));
    let out = sync(home.path(), &mock, &["--dry-run"]);
    assert!(
        stderr(&out).contains("kept \"Account-1/Admin\" (no longer assigned): profile \"deploy\" (~/.aws/config:"),
        "{}",
        stderr(&out)
    );
    assert!(config_of(home.path()).contains("[profile Account-1/Admin]"));
    assert!(run(awsenv(home.path()).args(["explain", "deploy"])).status.success(), "deploy still resolves");
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let mock = SsoMock::start();
    mock.set_assignments(accounts(2, &["Admin"]));
    let home = home(HAND_WRITTEN);
    assert!(sync(home.path(), &mock, &["--sso-session", "corp"]).status.success());
    mock.set_assignments(vec![
        ("100000000000".into(), "Renamed".into(), vec!["Admin".into()]),
        ("100000000009".into(), "New".into(), vec!["Admin".into()]),
    ]);
    let before = (config_of(home.path()), mtime(home.path()));
    let out = sync(home.path(), &mock, &["--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(diff.starts_with("--- ~/.aws/config (sso-session corp)\n+++ "), "{diff}");
    for line in [
        "-[profile Account-0/Admin]",
        "-[profile Account-1/Admin]",
        "+[profile Renamed/Admin]",
        "+awsenv_account_name = New",
    ] {
        assert!(diff.lines().any(|l| l == line), "{line} in {diff}");
    }
    assert!(
        stderr(&out).contains("(1 added, 0 changed, 1 removed, 1 renamed)") && stderr(&out).contains("nothing written"),
        "{}",
        stderr(&out)
    );
    assert_eq!((config_of(home.path()), mtime(home.path())), before);
}

#[test]
fn a_config_changed_mid_sync_or_a_portal_failing_halfway_leaves_the_file_as_it_is() {
    let mock = SsoMock::start();
    mock.set_assignments(accounts(30, &["Admin"]));
    let home = home(HAND_WRITTEN);
    mock.script("/assignment/accounts", vec![SsoReply::Slow(Duration::from_millis(1500))]);
    let child = awsenv(home.path())
        .args(["sso", "sync", "--sso-session", "corp"])
        .env("AWS_ENDPOINT_URL_SSO", &mock.endpoint)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let changed = HAND_WRITTEN.to_owned() + "\n[profile written-meanwhile]\nregion = x\n";
    std::fs::write(home.path().join(".aws/config"), &changed).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("~/.aws/config changed since awsenv read it; nothing was written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(config_of(home.path()), changed);

    // Halfway through the roles, the portal fails for good: nothing is written.
    let mut replies = vec![SsoReply::Ok; 10];
    replies.extend(std::iter::repeat_n(SsoReply::Status(500, r#"{"message":"boom"}"#.into()), 100));
    mock.script("/assignment/roles", replies);
    let before = mtime(home.path());
    let out = sync(home.path(), &mock, &["--sso-session", "corp"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("ListAccountRoles") && stderr(&out).contains("HTTP 500"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert_eq!((config_of(home.path()), mtime(home.path())), (changed.clone(), before));

    // A token the portal refuses: one clear error, no write.
    mock.script("/assignment/accounts", vec![SsoReply::Status(401, r#"{"message":"expired"}"#.into())]);
    let out = sync(home.path(), &mock, &["--sso-session", "corp"]);
    assert!(
        stderr(&out).contains("refused the token (HTTP 401)") && stderr(&out).contains("awsenv login"),
        "{}",
        stderr(&out)
    );
    assert_eq!(config_of(home.path()), changed);
}

#[test]
fn throttling_is_waited_out() {
    let mock = SsoMock::start();
    mock.set_assignments(accounts(3, &["Admin"]));
    let home = home(HAND_WRITTEN);
    let throttled = SsoReply::Status(429, r#"{"__type":"TooManyRequestsException","message":"slow down"}"#.into());
    mock.script("/assignment/roles", vec![throttled; 8]);
    let out = sync(home.path(), &mock, &["--sso-session", "corp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("3 profiles from 3 accounts"), "{}", stderr(&out));
}

#[test]
fn botocore_reads_the_generated_profiles_as_awsenv_does() {
    if !support::python_has("botocore") {
        return;
    }
    let mock = SsoMock::start();
    mock.set_assignments(accounts(4, &["Admin", "ReadOnly"]));
    let home = home(HAND_WRITTEN);
    assert!(sync(home.path(), &mock, &["--sso-session", "corp", "--region", "eu-central-1"]).status.success());
    let names: Vec<String> = (0..4).flat_map(|i| ["Admin", "ReadOnly"].map(|r| format!("Account-{i}/{r}"))).collect();
    let script = "import sys, botocore.session\n\
                  for name in sys.argv[1:]:\n\
                  \x20   s = botocore.session.Session(profile=name)\n\
                  \x20   c = s.get_credentials().get_frozen_credentials()\n\
                  \x20   print(name, s.get_config_variable('region'), bool(c.access_key and c.secret_key and c.token))";
    let out = Command::new("python3")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home.path())
        .env("AWS_ENDPOINT_URL_SSO", &mock.endpoint)
        .args(["-c", script])
        .args(&names)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let botocore_calls: Vec<String> = mock
        .requests()
        .iter()
        .filter(|r| r.path == "/federation/credentials")
        .map(|r| sorted_query(&r.query))
        .collect();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), names.len());
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        assert!(line.ends_with(" eu-central-1 True"), "{line}");
    }
    for name in &names {
        let out = run(awsenv(home.path())
            .args(["use", name, "--format", "json"])
            .env("AWS_ENDPOINT_URL_SSO", &mock.endpoint));
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["AWS_REGION"], "eu-central-1", "{name}");
    }
    let awsenv_calls: Vec<String> = mock
        .requests()
        .iter()
        .filter(|r| r.path == "/federation/credentials")
        .map(|r| sorted_query(&r.query))
        .skip(names.len())
        .collect();
    assert_eq!(awsenv_calls, botocore_calls, "both ask the portal for the same account and role, profile by profile");
}

fn sorted_query(query: &str) -> String {
    let mut parts: Vec<&str> = query.split('&').collect();
    parts.sort();
    parts.join("&")
}

#[test]
fn without_a_session_name_the_only_one_is_synced() {
    let mock = SsoMock::start();
    mock.set_assignments(accounts(1, &["Admin"]));
    let home = home(HAND_WRITTEN);
    let out = sync(home.path(), &mock, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(config_of(home.path()).contains("# >>> awsenv sso sync: sso-session corp >>>"));
    let out = run(awsenv(home.path())
        .args(["sso", "add", "--sso-session", "corp"])
        .env("AWS_ENDPOINT_URL_SSO", &mock.endpoint));
    assert_eq!(out.status.code(), Some(2), "add needs a terminal for its picker: {}", stderr(&out));
}

/// Run awsenv with `args` in a pseudo-terminal, with the portal at `mock` and a "browser" that
/// follows the login redirect, typing `answer` once the screen shows `question`.
fn in_a_terminal(home: &Path, mock: &SsoMock, args: &[&str], question: &str, answer: &str) -> (String, i32) {
    let browser = home.join("browser");
    std::fs::write(&browser, "#!/bin/sh\nexec curl -sfL --max-time 20 \"$1\" >/dev/null\n").unwrap();
    std::fs::set_permissions(&browser, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let env = [
        ("AWS_ENDPOINT_URL_SSO", mock.endpoint.clone()),
        ("AWS_ENDPOINT_URL_SSO_OIDC", mock.endpoint.clone()),
        ("BROWSER", browser.display().to_string()),
    ];
    support::in_a_terminal(home, args, &env, question, answer)
}

#[test]
fn use_on_a_terminal_offers_the_login_and_goes_on() {
    let config = format!(
        "{HAND_WRITTEN}\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
    );
    // No token yet.
    let home = home_with(&config, "");
    let mock = SsoMock::start();
    let (screen, code) = in_a_terminal(home.path(), &mock, &["use", "dev", "--print"], "[Y/n] ", "n\n");
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("log in to sso-session \"corp\" now? [Y/n]"), "{screen}");
    assert!(screen.contains("awsenv login --sso-session corp"), "declined: the usual hint: {screen}");
    assert_eq!(mock.calls("/token"), 0);

    let (screen, code) = in_a_terminal(home.path(), &mock, &["use", "dev", "--print"], "[Y/n] ", "\n");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("logged in to https://corp.awsapps.com/start"), "{screen}");
    assert!(
        screen.contains("export AWS_ACCESS_KEY_ID='ASIASSO0000000000001'"),
        "use went on after the login: {screen}"
    );
    assert!(home.path().join(format!(".aws/sso/cache/{CORP_TOKEN}.json")).is_file());

    // Off a terminal, or from the prompt hook, there is no question: the error as before.
    std::fs::remove_file(home.path().join(format!(".aws/sso/cache/{CORP_TOKEN}.json"))).unwrap();
    let out = run(awsenv(home.path()).args(["use", "dev", "--no-cache"]).env("AWS_ENDPOINT_URL_SSO", &mock.endpoint));
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).contains("[Y/n]"), "{}", stderr(&out));
}

#[test]
fn sso_add_writes_the_one_profile_picked() {
    let mock = SsoMock::start();
    mock.set_assignments(accounts(3, &["Admin", "ReadOnly"]));
    let home = home(HAND_WRITTEN);
    // The picker filters as one types; Enter takes the first match.
    let (screen, code) = in_a_terminal(
        home.path(),
        &mock,
        &["sso", "add", "--region", "eu-west-1"],
        "account and role",
        "Account 2 (100000000002)  Read\r",
    );
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("added profile \"Account-2/ReadOnly\" to ~/.aws/config"), "{screen}");
    let text = config_of(home.path());
    assert!(text.starts_with(HAND_WRITTEN), "{text}");
    assert!(text.ends_with("\n[profile Account-2/ReadOnly]\nsso_session = corp\nsso_account_id = 100000000002\nsso_role_name = ReadOnly\nawsenv_account_name = Account 2\nregion = eu-west-1\n"), "{text}");
    let (screen, code) =
        in_a_terminal(home.path(), &mock, &["sso", "add"], "account and role", "Account 2 (100000000002)  Read\r");
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("profile \"Account-2/ReadOnly\" is already defined at ~/.aws/config:"), "{screen}");
}

#[test]
fn sso_add_writes_a_region_the_syncs_or_the_sessions() {
    let mock = SsoMock::start();
    mock.set_assignments(accounts(2, &["Admin"]));
    // No sync yet: the session's own region.
    let first = home(HAND_WRITTEN);
    let (screen, code) =
        in_a_terminal(first.path(), &mock, &["sso", "add"], "account and role", "Account 1 (100000000001)\r");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("the new profile's region is us-east-1"), "{screen}");
    assert!(
        config_of(first.path())
            .ends_with("sso_role_name = Admin\nawsenv_account_name = Account 1\nregion = us-east-1\n")
    );
    // After a sync with a region: that one.
    let home = home(HAND_WRITTEN);
    mock.set_assignments(accounts(2, &["Admin", "Read"]));
    assert!(
        sync(
            home.path(),
            &mock,
            &["--sso-session", "corp", "--region", "eu-west-1", "--name", "{account_id}/{role_name}"]
        )
        .status
        .success()
    );
    let (screen, code) = in_a_terminal(
        home.path(),
        &mock,
        &["sso", "add", "--name", "mine-{account_id}"],
        "account and role",
        "Account 0 (100000000000)  Read\r",
    );
    assert_eq!(code, 0, "{screen}");
    assert!(config_of(home.path()).ends_with("[profile mine-100000000000]\nsso_session = corp\nsso_account_id = 100000000000\nsso_role_name = Read\nawsenv_account_name = Account 0\nregion = eu-west-1\n"), "{}", config_of(home.path()));
}

#[test]
fn a_rerun_says_the_naming_notes_once_and_a_renamed_account_is_a_rename() {
    let mock = SsoMock::start();
    mock.set_assignments(vec![
        ("111111111111".into(), "Dev".into(), vec!["Admin".into()]),
        ("222222222222".into(), "dev".into(), vec!["Admin".into()]),
        ("333333333333".into(), "Ops [EU]".into(), vec!["Admin".into()]),
        ("444444444444".into(), "Bad".into(), vec!["Not Valid".into()]),
    ]);
    let home = home(HAND_WRITTEN);
    let args = ["--sso-session", "corp", "--name", "{account_name:lower}/{role_name}"];
    let out = sync(home.path(), &mock, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("is the name of more than one role"), "{}", stderr(&out));
    assert!(
        config_of(home.path()).contains("[profile ops-eu/Admin]\n"),
        "no trailing dash: {}",
        config_of(home.path())
    );
    // A rerun that changes nothing: the naming notes are not repeated; a skip still is.
    let out = sync(home.path(), &mock, &[]);
    assert!(stderr(&out).contains("is up to date"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("more than one role"), "said once: {}", stderr(&out));
    assert!(stderr(&out).contains("skipped account \"444444444444\", role \"Not Valid\""), "{}", stderr(&out));
    // The portal renames an account: one rename, not an addition and a removal.
    mock.set_assignments(vec![
        ("111111111111".into(), "Dev".into(), vec!["Admin".into()]),
        ("222222222222".into(), "dev".into(), vec!["Admin".into()]),
        ("333333333333".into(), "Operations EU".into(), vec!["Admin".into()]),
    ]);
    let out = sync(home.path(), &mock, &[]);
    let err = stderr(&out);
    assert!(err.contains("(0 added, 0 changed, 0 removed, 1 renamed)"), "{err}");
    assert!(err.contains("renamed \"ops-eu/Admin\" to \"operations-eu/Admin\""), "{err}");
}
