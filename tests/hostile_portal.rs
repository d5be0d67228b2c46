//! A portal that is not what it claims (`AWS_ENDPOINT_URL_SSO` or a proxy can make it anything):
//! role names, account ids and account names that carry line breaks, forged section headers,
//! forged marker lines and terminal escapes; clashing names that would take each other's
//! profile; and listings that page for ever or in a circle. Nothing it says may change the
//! structure of the config file or reach the terminal as an escape, and the whole listing is
//! bounded. The file is read back by `awsenv list` and by botocore.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use support::sso::{SsoMock, SsoReply};
use support::{awsenv, run, stderr, stdout};

const SESSION: &str = "[default]\nregion = eu-north-1\n\n\
    [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";
const OSC52: &str = "\u{1b}]52;c;dG91Y2ggL3RtcC9wd25lZA==\u{7}";

fn home(config: &str) -> tempfile::TempDir {
    support::sso::home_logged_in_to_corp(config)
}

fn sync(home: &Path, mock: &SsoMock, args: &[&str]) -> std::process::Output {
    run(awsenv(home)
        .args(["sso", "sync", "--sso-session", "corp"])
        .args(args)
        .env("AWS_ENDPOINT_URL_SSO", &mock.endpoint))
}

/// Every profile botocore sees, with its sso_account_id, sso_role_name and whether it has a
/// credential_process: botocore is the reference for what the file says.
fn botocore_profiles(home: &Path) -> Vec<(String, String, String, bool)> {
    let script = "import json, botocore.session\n\
                  s = botocore.session.Session()\n\
                  p = s.full_config['profiles']\n\
                  print(json.dumps([[n, p[n].get('sso_account_id', ''), p[n].get('sso_role_name', ''), 'credential_process' in p[n]] for n in sorted(p)]))";
    let out = Command::new("python3")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home)
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn hostile_listing() -> Vec<(String, String, Vec<String>)> {
    let injected = "\n[profile default]\ncredential_process = sh -c 'touch /tmp/awsenv-pwned'\n";
    let marker = "\n# <<< awsenv sso sync: sso-session corp <<<\n";
    vec![
        ("111111111111".into(), "Good".into(), vec!["Admin".into()]),
        // A role name with a line break and a forged [default], beside a fine one.
        ("222222222222".into(), "Evil".into(), vec![format!("Admin{injected}"), "Fine".into()]),
        // An account id that is no account id: the account is skipped whole.
        (format!("333333333333{injected}"), "Forged".into(), vec!["Admin".into()]),
        // An account name that forges the end marker and a section: it is only ever a value.
        ("444444444444".into(), format!("Marker{marker}[profile default]{injected}"), vec!["Admin".into()]),
        // A marker line as the whole name, no line break: a value like any other.
        ("555555555555".into(), "# >>> awsenv sso sync: sso-session corp >>>".into(), vec!["Admin".into()]),
        // A role name that writes the clipboard when printed, and one too long for IAM.
        ("666666666666".into(), format!("Clip{OSC52}board"), vec![format!("Admin{OSC52}"), "R".repeat(65)]),
    ]
}

#[test]
fn hostile_names_ids_and_markers_never_change_the_structure_of_the_config() {
    if !support::python_has("botocore") {
        assert!(!support::in_ci(), "botocore is missing in CI");
        eprintln!("SKIPPED: botocore is not installed");
        return;
    }
    let mock = SsoMock::start();
    mock.set_assignments(hostile_listing());
    let home = home(SESSION);
    let out = sync(home.path(), &mock, &["--extra", "awsenv_note = {account_name} as {role_name}"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for raw in ['\u{1b}', '\u{7}'] {
        assert!(!err.contains(raw), "no escape reaches the terminal: {err:?}");
    }
    assert!(err.contains("skipped account \"333333333333\\n[profile default]"), "{err}");
    assert!(err.contains("not a 12-digit account id"), "{err}");
    assert!(err.contains("skipped account \"222222222222\", role \"Admin\\n[profile default]"), "{err}");
    assert!(err.contains("role \"Admin\"") && err.contains("not a role name IAM allows"), "the OSC 52 role: {err}");
    assert!(err.contains(&format!("role \"{}\"", "R".repeat(65))), "{err}");
    assert!(err.contains("4 profiles from 5 accounts"), "{err}");

    let text = std::fs::read_to_string(home.path().join(".aws/config")).unwrap();
    assert!(text.starts_with(SESSION), "everything outside the block is as it was");
    assert!(!text.lines().any(|l| l.trim_start().starts_with("credential_process")), "{text}");
    assert!(!text.contains(|c: char| c.is_control() && c != '\n'), "{text:?}");
    let markers = |text: &str| text.lines().filter(|l| l.starts_with("# <<<") || l.starts_with("# >>>")).count();
    assert_eq!(markers(&text), 2, "{text}");
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(headers.len(), 6, "[default], [sso-session corp] and one per account and role: {headers:?}");

    // botocore: exactly one profile per valid account and role, none with a credential_process,
    // and [default] is the hand-written one.
    let profiles = botocore_profiles(home.path());
    let pairs: BTreeSet<(String, String)> = profiles
        .iter()
        .filter(|(name, ..)| name != "default")
        .map(|(_, account, role, _)| (account.clone(), role.clone()))
        .collect();
    let expected: BTreeSet<(String, String)> =
        [("111111111111", "Admin"), ("222222222222", "Fine"), ("444444444444", "Admin"), ("555555555555", "Admin")]
            .into_iter()
            .map(|(a, r)| (a.to_owned(), r.to_owned()))
            .collect();
    assert_eq!(pairs, expected);
    assert_eq!(profiles.len(), expected.len() + 1, "{profiles:?}");
    assert!(profiles.iter().all(|(.., process)| !process), "{profiles:?}");

    // awsenv reads the same file the same way.
    let out = run(awsenv(home.path()).args(["list", "--json"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let names: BTreeSet<String> = rows.iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect();
    let botocore_names: BTreeSet<String> = profiles.iter().map(|p| p.0.clone()).collect();
    assert_eq!(names, botocore_names);
    assert_eq!(rows.iter().find(|r| r["name"] == "default").unwrap()["kind"], "settings", "{rows:?}");

    // The markers are intact: a rerun finds its block and changes nothing.
    let out = sync(home.path(), &mock, &[]);
    assert!(out.status.success() && stderr(&out).contains("is up to date"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(home.path().join(".aws/config")).unwrap(), text);
}

#[test]
fn the_account_picker_of_sso_add_shows_no_escape_from_the_portal() {
    let mock = SsoMock::start();
    mock.set_assignments(vec![
        ("111111111111".into(), format!("Clip{OSC52}board\u{9b}2J"), vec!["Admin".into()]),
        ("222222222222".into(), "Plain".into(), vec![format!("Admin{OSC52}")]),
    ]);
    let home = home(SESSION);
    let browser = home.path().join("browser");
    std::fs::write(&browser, "#!/bin/sh\nexit 1\n").unwrap();
    let env = [("AWS_ENDPOINT_URL_SSO", mock.endpoint.clone()), ("BROWSER", browser.display().to_string())];
    let (screen, code) = support::in_a_terminal(
        home.path(),
        &["sso", "add", "--sso-session", "corp"],
        &env,
        "account and role",
        "\u{1b}",
    );
    assert!(screen.contains("Clipboard (111111111111)  Admin"), "{screen:?}");
    assert!(!screen.contains("]52;") && !screen.contains('\u{9b}') && !screen.contains('\u{7}'), "{screen:?}");
    assert!(!screen.contains("222222222222)"), "the role IAM cannot have is not offered: {screen:?}");
    assert_ne!(code, 0, "Esc picks nothing: {screen}");
}

#[test]
fn clashing_names_end_with_one_profile_each_and_never_take_another_accounts_name() {
    let mock = SsoMock::start();
    // With the account name alone as the template, Prod's two roles clash; the name the first
    // rename would try is the name of another account, and the next one is written by hand.
    mock.set_assignments(vec![
        ("111111111111".into(), "Prod".into(), vec!["Admin".into(), "Read".into()]),
        ("222222222222".into(), "Prod-111111111111".into(), vec!["Admin".into()]),
    ]);
    let home = home(&format!("{SESSION}\n[profile Prod-111111111111-Admin]\nregion = us-west-2\n"));
    let out = sync(home.path(), &mock, &["--name", "{account_name}"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("3 profiles from 2 accounts (3 added"), "{err}");
    let text = std::fs::read_to_string(home.path().join(".aws/config")).unwrap();
    let owner = |name: &str| {
        let at = text.find(&format!("[profile {name}]\n")).unwrap_or_else(|| panic!("{name} in {text}"));
        let section = &text[at..];
        let field = |key: &str| {
            section.lines().find_map(|l| l.strip_prefix(&format!("{key} = "))).unwrap_or_default().to_owned()
        };
        (field("sso_account_id"), field("sso_role_name"))
    };
    assert_eq!(owner("Prod-111111111111"), ("222222222222".into(), "Admin".into()), "the other account keeps its name");
    assert_eq!(owner("Prod-111111111111-Admin-2"), ("111111111111".into(), "Admin".into()), "{err}");
    assert_eq!(owner("Prod-111111111111-Read"), ("111111111111".into(), "Read".into()), "{err}");
    assert!(err.contains("written as \"Prod-111111111111-Admin-2\""), "{err}");
    assert_eq!(text.matches("[profile Prod-111111111111-Admin]").count(), 1, "the hand-written one stays alone");
}

#[test]
fn a_listing_that_pages_for_ever_or_in_a_circle_is_bounded_as_a_whole() {
    // Every page is new and under the per-page bound: only a bound on the whole listing ends it.
    let mock = SsoMock::start();
    mock.page_for_ever(900 * 1024);
    let home = home(SESSION);
    let out = sync(home.path(), &mock, &["--dry-run"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("listed more than 64 MiB; awsenv stopped reading"), "{}", stderr(&out));
    let pages = mock.calls("/assignment/accounts");
    assert!((70..=80).contains(&pages), "stopped at the bound, after {pages} pages");

    // Tokens that come back round: seen before is the end, however far apart.
    let mock = SsoMock::start();
    let page = |token: &str| {
        SsoReply::Status(
            200,
            serde_json::json!({"accountList": [{"accountId": "111111111111", "accountName": "A"}], "nextToken": token})
                .to_string(),
        )
    };
    mock.script("/assignment/accounts", vec![page("a"), page("b"), page("c"), page("a")]);
    let out = sync(home.path(), &mock, &["--dry-run"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("repeated a nextToken"), "{}", stderr(&out));
    assert_eq!(mock.calls("/assignment/accounts"), 4);
}
