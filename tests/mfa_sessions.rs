//! MFA sessions: three roles on one MFA user ask for one code (typed into a real pty), make one
//! GetSessionToken and three AssumeRole calls that carry no MFA parameters; an expiring session
//! asks for one new code; `mfa_process` stands in for the person; the hook never asks; a role that
//! wants more than an hour is assumed from the long-term keys with its own code, as AWS requires.

mod support;

use support::mock::{Mock, Reply};
use support::{awsenv, home_with, in_a_terminal, run, stderr, stdout};

const SERIAL: &str = "arn:aws:iam::123456789012:mfa/me";

fn config(mock: &Mock, user_extra: &str, role_extra: &str) -> String {
    let mut config = format!(
        "[profile user]\naws_access_key_id = AKIAUSERUSERUSER0000\naws_secret_access_key = user-secret\nmfa_serial = {SERIAL}\nservices = mock\n{user_extra}\n"
    );
    for role in ["r1", "r2", "r3"] {
        config.push_str(&format!(
            "[profile {role}]\nrole_arn = arn:aws:iam::123456789012:role/{role}\nsource_profile = user\nmfa_serial = {SERIAL}\nservices = mock\n{role_extra}\n"
        ));
    }
    config.push_str(&format!("[services mock]\nsts =\n  endpoint_url = {}\n", mock.endpoint));
    config
}

fn count(bodies: &[String], action: &str) -> usize {
    bodies.iter().filter(|b| b.contains(&format!("Action={action}"))).count()
}

#[test]
fn three_roles_on_one_mfa_user_ask_for_one_code() {
    let mock = Mock::start(vec![]);
    let home = home_with(&config(&mock, "", ""), "");
    let (screen, code) = in_a_terminal(home.path(), &["use", "r1", "--print"], &[], "MFA code for", "123456\n");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains(&format!("MFA code for {SERIAL}: ")), "{screen}");
    for role in ["r2", "r3"] {
        let (screen, code) = in_a_terminal(home.path(), &["use", role, "--print"], &[], "", "");
        assert_eq!(code, 0, "{role}: {screen}");
        assert!(!screen.contains("MFA code"), "{role}: no second code: {screen}");
        assert!(screen.contains("export AWS_ACCESS_KEY_ID='ASIAMOCK"), "{role}: {screen}");
    }
    let bodies = mock.bodies();
    assert_eq!(count(&bodies, "GetSessionToken"), 1, "{bodies:?}");
    let session = bodies.iter().find(|b| b.contains("Action=GetSessionToken")).unwrap();
    assert!(
        session.contains("SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fme")
            && session.contains("TokenCode=123456"),
        "{session}"
    );
    assert!(session.contains("DurationSeconds=43200"), "twelve hours unless the profile says otherwise: {session}");
    let assumed: Vec<&String> = bodies.iter().filter(|b| b.contains("Action=AssumeRole")).collect();
    assert_eq!(assumed.len(), 3, "{bodies:?}");
    for body in assumed {
        assert!(
            !body.contains("SerialNumber") && !body.contains("TokenCode"),
            "no MFA parameters from the session: {body}"
        );
    }

    // The user's own profile exports the session, never the long-term keys.
    let out = run(awsenv(home.path()).args(["use", "user"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("export AWS_ACCESS_KEY_ID='ASIASESSION000000001'"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("AKIAUSERUSERUSER0000") && !stdout(&out).contains("user-secret"));
    let out = run(awsenv(home.path()).args(["explain", "r2"]));
    assert!(stdout(&out).contains("MFA session"), "{}", stdout(&out));
}

#[test]
fn an_expiring_session_asks_for_one_new_code_and_the_hook_never_asks() {
    // The first session is within the renewal margin the moment it arrives.
    let mock = Mock::start(vec![Reply::ExpiringIn(120)]);
    let home = home_with(&config(&mock, "", ""), "");
    let out = run(awsenv(home.path()).args(["use", "--hook", "--", "r1"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("renewing needs a code from MFA device") && stderr(&out).contains("awsenv use r1"),
        "{}",
        stderr(&out)
    );
    assert!(mock.bodies().is_empty(), "nothing sent without a code");
    for (role, code) in [("r1", "111111\n"), ("r2", "222222\n"), ("r3", "")] {
        let question = if code.is_empty() { "" } else { "MFA code for" };
        let (screen, status) = in_a_terminal(home.path(), &["use", role, "--print"], &[], question, code);
        assert_eq!(status, 0, "{role}: {screen}");
        assert_eq!(screen.contains("MFA code for"), !code.is_empty(), "{role}: {screen}");
    }
    let bodies = mock.bodies();
    assert_eq!(count(&bodies, "GetSessionToken"), 2, "one new code for the expiring session: {bodies:?}");
    assert_eq!(count(&bodies, "AssumeRole"), 3);
}

#[test]
fn mfa_process_gives_the_code_and_a_long_role_is_assumed_with_its_own() {
    let mock = Mock::start(vec![]);
    let home = home_with(&config(&mock, "mfa_process = printf '654321\\n'\n", ""), "");
    for role in ["r1", "r2"] {
        let out = run(awsenv(home.path()).args(["use", role]));
        assert!(out.status.success(), "{role}: no terminal needed: {}", stderr(&out));
    }
    let bodies = mock.bodies();
    assert_eq!(count(&bodies, "GetSessionToken"), 1);
    assert!(bodies[0].contains("TokenCode=654321"), "{}", bodies[0]);

    // duration_seconds above an hour: AWS refuses it for a role assumed from a session, so that
    // role goes to STS from the long-term keys with its own code.
    let mock = Mock::start(vec![]);
    let home = home_with(&config(&mock, "", "duration_seconds = 7200\n"), "");
    let out = run(awsenv(home.path()).args(["use", "r1", "--mfa-code", "333333"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let bodies = mock.bodies();
    assert_eq!(count(&bodies, "GetSessionToken"), 0, "{bodies:?}");
    assert!(
        bodies[0].contains("Action=AssumeRole")
            && bodies[0].contains("TokenCode=333333")
            && bodies[0].contains("DurationSeconds=7200")
    );
    let out = run(awsenv(home.path()).args(["explain", "r1"]));
    assert!(stdout(&out).contains("no MFA session"), "{}", stdout(&out));
}

#[test]
fn the_session_can_be_switched_off_and_its_duration_set() {
    let mock = Mock::start(vec![]);
    let home = home_with(&config(&mock, "awsenv_mfa_session_duration = 3600\n", ""), "");
    assert!(run(awsenv(home.path()).args(["use", "r1", "--mfa-code", "123456"])).status.success());
    assert!(mock.bodies()[0].contains("DurationSeconds=3600"), "{:?}", mock.bodies());

    let mock = Mock::start(vec![]);
    let home = home_with(&config(&mock, "awsenv_mfa_session = false\n", ""), "");
    assert!(run(awsenv(home.path()).args(["use", "r1", "--mfa-code", "123456"])).status.success());
    assert_eq!(count(&mock.bodies(), "GetSessionToken"), 0);

    let home = home_with(&config(&mock, "awsenv_mfa_session_duration = 99\n", ""), "");
    let out = run(awsenv(home.path()).args(["use", "r1", "--mfa-code", "123456"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("awsenv_mfa_session_duration \"99\" (~/.aws/config:6)"), "{}", stderr(&out));
}

#[test]
fn refreshing_a_role_keeps_the_days_mfa_session_and_refreshing_the_user_starts_a_new_one() {
    let mock = Mock::start(vec![]);
    let home = home_with(&config(&mock, "", ""), "");
    let out = run(awsenv(home.path()).args(["use", "r1", "--mfa-code", "123456"]));
    assert!(out.status.success(), "{}", stderr(&out));
    // Off a terminal and with no code: `--refresh` of a role renews the role from the session.
    let out = run(awsenv(home.path()).args(["use", "r1", "--refresh"]));
    assert!(out.status.success(), "no code needed: {}", stderr(&out));
    let bodies = mock.bodies();
    assert_eq!(count(&bodies, "GetSessionToken"), 1, "{bodies:?}");
    assert_eq!(count(&bodies, "AssumeRole"), 2, "the role was renewed: {bodies:?}");
    // `--refresh` of the user's own profile starts a new session, which needs a code.
    let out = run(awsenv(home.path()).args(["use", "user", "--refresh"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("needs a code") || stderr(&out).contains("no terminal"), "{}", stderr(&out));
    let out = run(awsenv(home.path()).args(["use", "user", "--refresh", "--mfa-code", "654321"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count(&mock.bodies(), "GetSessionToken"), 2);
}

#[test]
fn list_says_mfa_for_the_user_with_a_device_and_for_every_role_on_it() {
    let mock = Mock::start(vec![]);
    let config = format!(
        "[profile user]\naws_access_key_id = AKIAUSERUSERUSER0000\naws_secret_access_key = user-secret\nmfa_serial = {SERIAL}\n\n\
         [profile plain-role]\nrole_arn = arn:aws:iam::123456789012:role/p\nsource_profile = user\n\n\
         [profile nomfa]\naws_access_key_id = AKIANOMFANOMFANOMFA0\naws_secret_access_key = s\n\n\
         [services mock]\nsts =\n  endpoint_url = {}\n",
        mock.endpoint
    );
    let home = home_with(&config, "");
    let out = run(awsenv(home.path()).args(["list", "--json"]));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mfa = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap()["mfa"].clone();
    assert_eq!(mfa("user"), true, "{rows:?}");
    assert_eq!(mfa("plain-role"), true, "{rows:?}");
    assert_eq!(mfa("nomfa"), false, "{rows:?}");
}
