//! `awsenv console` for every kind of profile, against STS and a federation endpoint on loopback
//! that check what AWS checks (`support::signin`): an IAM user through GetFederationToken with or
//! without an MFA device, a role, a chain, an ad hoc role, SSO, `credential_process`, `aws login`
//! and the shell's own credentials; the browser, browser profile and container reaching each
//! browser's command line; and real browsers (Debian's chromium and firefox-esr, headless, with
//! nothing reachable beyond loopback) following the sign-in to the mock's landing page. The
//! sign-in token is never in a browser's argv or environment, nor in any file afterwards.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use support::signin::SigninMock;
use support::sso::{SsoMock, home_logged_in_to_corp};
use support::{awsenv, run, stderr, stdout};

const ALICE: &str = "arn:aws:iam::123456789012:user/alice";
const SSO_TOKEN: &str = "sso-session-token-1";

fn config(mock: &SigninMock, home_hint: &str) -> String {
    let on = "region = eu-west-1\nservices = mock\n";
    format!(
        "[profile alice]\naws_access_key_id = AKIAALICE0000000001\naws_secret_access_key = alice-secret\n{on}\n\
         [profile alice-mfa]\naws_access_key_id = AKIAALICE0000000002\naws_secret_access_key = alice-secret-2\n\
         mfa_serial = arn:aws:iam::123456789012:mfa/alice\n{on}\n\
         [profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = alice\n{on}\n\
         [profile deep]\nrole_arn = arn:aws:iam::123456789012:role/Deep\nsource_profile = admin\n{on}\n\
         [profile keys-from-process]\ncredential_process = {home_hint}/keys.sh\n{on}\n\
         [profile console-login]\nlogin_session = arn:aws:iam::123456789012:user/alice\n{on}\n\
         [profile browsing]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = alice\n\
         awsenv_browser = firefox\nawsenv_browser_profile = work\nawsenv_container = true\n{on}\n\
         [profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n{on}\n\
         [sso-session corp]\nsso_start_url = {}\nsso_region = us-east-1\n\n\
         [services mock]\nsts =\n  endpoint_url = {}\n",
        support::sso::CORP_START_URL,
        mock.endpoint
    )
}

/// A home with every kind of profile, logged in to SSO, with a `credential_process` that prints
/// long-term keys.
fn home(mock: &SigninMock) -> tempfile::TempDir {
    let home = home_logged_in_to_corp("");
    std::fs::write(home.path().join(".aws/config"), config(mock, &home.path().display().to_string())).unwrap();
    let script = home.path().join("keys.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKIAPROCESS00000001\",\"SecretAccessKey\":\"p\"}'\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    home
}

fn console(home: &Path, mock: &SigninMock, sso: &SsoMock, args: &[&str]) -> Command {
    let mut cmd = awsenv(home);
    cmd.arg("console")
        .args(args)
        .env("AWSENV_FEDERATION_URL", mock.federation_url())
        .env("AWS_ENDPOINT_URL_SSO", &sso.endpoint)
        .env("AWS_LOGIN_CACHE_DIRECTORY", home.join("login-cache"));
    cmd
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", stderr(out));
    stdout(out)
}

/// The query parameter `name` of a printed sign-in URL.
fn param(url: &str, name: &str) -> String {
    let value = url.trim().split(['?', '&']).find_map(|kv| kv.strip_prefix(&format!("{name}="))).unwrap_or("");
    support::sso::percent_decode(value)
}

#[test]
fn an_iam_user_signs_in_as_a_federated_user_with_or_without_an_mfa_device() {
    let (mock, sso) = (SigninMock::start(), SsoMock::start());
    let home = home(&mock);
    let out = run(&mut console(home.path(), &mock, &sso, &["alice", "--print", "--destination", &mock.landing("a")]));
    let url = ok(&out);
    assert!(url.starts_with(&format!("{}?Action=login&Issuer=awsenv&", mock.federation_url())), "{url}");
    assert_eq!(param(&url, "Destination"), mock.landing("a"));
    assert_eq!(mock.actions(), ["GetCallerIdentity", "GetFederationToken"]);
    let (key, form) = &mock.calls_of("GetFederationToken")[0];
    assert_eq!(key, "AKIAALICE0000000001", "signed with the long-term keys");
    assert!(form.contains("Name=alice") && form.contains("Policy=") && !form.contains("DurationSeconds"), "{form}");
    let asked = &mock.token_requests()[0];
    assert!(asked.contains("federation-token-") && !asked.contains("SessionDuration"), "{asked}");
    assert!(stderr(&out).contains("cannot use IAM"), "what the session lacks is said: {}", stderr(&out));

    // --duration sets the federation token's lifetime, up to GetFederationToken's 36 hours.
    let out = run(&mut console(home.path(), &mock, &sso, &["alice", "--print", "--duration", "129600"]));
    ok(&out);
    assert!(mock.calls_of("GetFederationToken")[1].1.contains("DurationSeconds=129600"));
    assert!(!mock.token_requests()[1].contains("SessionDuration"));

    // With an MFA device: still the long-term keys, no MFA session, no code asked; the session's
    // lack of MFA is said.
    let out = run(&mut console(home.path(), &mock, &sso, &["alice-mfa", "--print"]));
    ok(&out);
    assert!(!mock.actions().contains(&"GetSessionToken".to_owned()), "{:?}", mock.actions());
    assert_eq!(mock.calls_of("GetFederationToken")[2].0, "AKIAALICE0000000002");
    assert!(stderr(&out).contains("carries no MFA (arn:aws:iam::123456789012:mfa/alice"), "{}", stderr(&out));
}

#[test]
fn a_deny_unless_mfa_policy_is_named_and_no_browser_starts() {
    let (mock, sso) = (SigninMock::start(), SsoMock::start());
    mock.deny_federation();
    let home = home(&mock);
    let marker = home.path().join("browser-ran");
    let browser = format!("touch {}", marker.display());
    let out = run(&mut console(home.path(), &mock, &sso, &["alice-mfa", "--browser", &browser]));
    assert!(!out.status.success() && out.stdout.is_empty());
    let text = stderr(&out);
    assert!(text.starts_with("awsenv: profile \"alice-mfa\": STS GetFederationToken was denied"), "{text}");
    assert!(text.contains("aws:MultiFactorAuthPresent") && text.contains("hint:"), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(!marker.exists(), "no browser was started");
    assert!(mock.token_requests().is_empty());
}

#[test]
fn roles_chains_and_ad_hoc_roles_sign_in_as_the_role() {
    let (mock, sso) = (SigninMock::start(), SsoMock::start());
    let home = home(&mock);
    let url = ok(&run(&mut console(home.path(), &mock, &sso, &["admin", "--print", "--duration", "3600"])));
    assert!(url.contains("SigninToken=signin-"), "{url}");
    assert_eq!(mock.actions(), ["AssumeRole"]);
    assert!(mock.token_requests()[0].contains("SessionDuration=3600"), "{:?}", mock.token_requests());
    assert!(mock.token_requests()[0].contains("role-token-"), "{:?}", mock.token_requests());

    // A chained role's console lasts at most an hour: refused before any call.
    let before = mock.actions().len();
    let out = run(&mut console(home.path(), &mock, &sso, &["deep", "--print", "--duration", "7200"]));
    assert!(!out.status.success() && out.stdout.is_empty());
    assert!(stderr(&out).contains("--duration 7200 is outside 900..3600"), "{}", stderr(&out));
    assert_eq!(mock.actions().len(), before);
    ok(&run(&mut console(home.path(), &mock, &sso, &["deep", "--print"])));

    // A role on the fly, on top of the user's keys.
    let adhoc = "arn:aws:iam::123456789012:role/OnTheFly";
    ok(&run(&mut console(home.path(), &mock, &sso, &["alice", "--role-arn", adhoc, "--print"])));
    let assumed = mock.calls_of("AssumeRole");
    assert!(assumed.last().unwrap().1.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FOnTheFly"));
    assert!(!mock.actions().contains(&"GetFederationToken".to_owned()));

    // No profile: the one this shell acts as, said on stderr.
    let out = run(console(home.path(), &mock, &sso, &["--print"])
        .env("AWSENV_PROFILE", "admin")
        .env("AWS_ACCESS_KEY_ID", "ASIAWHATEVER")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_SESSION_TOKEN", "y"));
    ok(&out);
    assert!(stderr(&out).contains("console for \"admin\", which this shell acts as"), "{}", stderr(&out));
}

#[test]
fn sso_process_login_and_the_shells_own_credentials() {
    let (mock, sso) = (SigninMock::start(), SsoMock::start());
    let home = home(&mock);
    mock.know(SSO_TOKEN, "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_1/alice");
    ok(&run(&mut console(home.path(), &mock, &sso, &["dev", "--print", "--duration", "43200"])));
    let asked = mock.token_requests().pop().unwrap();
    assert!(asked.contains(SSO_TOKEN) && asked.contains("SessionDuration=43200"), "{asked}");

    // A credential_process that prints long-term keys: federated.
    ok(&run(&mut console(home.path(), &mock, &sso, &["keys-from-process", "--print"])));
    assert_eq!(mock.calls_of("GetFederationToken").last().unwrap().0, "AKIAPROCESS00000001");

    // `aws login` credentials are asked who they are: a user's session is refused with the
    // reason, a role's signs in.
    let write_login = |token: &str| {
        let dir = home.path().join("login-cache");
        std::fs::create_dir_all(&dir).unwrap();
        let name = sha256_hex("arn:aws:iam::123456789012:user/alice");
        let expires = (time::OffsetDateTime::now_utc() + time::Duration::minutes(14))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        let body = serde_json::json!({"accessToken": {"accessKeyId": "ASIALOGIN", "secretAccessKey": "s",
            "sessionToken": token, "accountId": "123456789012", "expiresAt": expires}});
        std::fs::write(dir.join(format!("{name}.json")), body.to_string()).unwrap();
    };
    write_login("login-user-token");
    mock.know("login-user-token", ALICE);
    let out = run(&mut console(home.path(), &mock, &sso, &["console-login", "--print"]));
    assert!(!out.status.success() && out.stdout.is_empty());
    assert!(stderr(&out).contains("an IAM user's session (arn:aws:iam::123456789012:user/alice)"), "{}", stderr(&out));
    write_login("login-role-token");
    mock.know("login-role-token", "arn:aws:sts::123456789012:assumed-role/Console/alice");
    ok(&run(&mut console(home.path(), &mock, &sso, &["console-login", "--print"])));

    // The shell's own keys, with no profile: a user's MFA session is refused, long-term keys are
    // federated, a role's session signs in.
    mock.know("session-token-env", ALICE);
    let in_env = |key: &str, token: Option<&str>| {
        let mut cmd = console(home.path(), &mock, &sso, &["--print"]);
        cmd.env("AWS_ACCESS_KEY_ID", key).env("AWS_SECRET_ACCESS_KEY", "s").env("AWS_REGION", "eu-west-1");
        cmd.env("AWS_ENDPOINT_URL_STS", &mock.endpoint);
        if let Some(token) = token {
            cmd.env("AWS_SESSION_TOKEN", token);
        }
        run(&mut cmd)
    };
    let out = in_env("ASIASESSION", Some("session-token-env"));
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(stderr(&out).contains("name the profile with the user's long-term keys"), "{}", stderr(&out));
    let out = in_env("AKIAENVIRONMENT0001", None);
    ok(&out);
    assert_eq!(mock.calls_of("GetFederationToken").last().unwrap().0, "AKIAENVIRONMENT0001");
    assert!(stderr(&out).contains("the credentials in this shell's environment"), "{}", stderr(&out));
    ok(&in_env("ASIAROLESESSION", Some("some-role-token")));
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    awsenv::encoding::hex(&sha2::Sha256::digest(text.as_bytes()))
}

/// A directory of stand-in browsers that record their arguments and read the page they are given
/// (as a browser does), each under the command names the real packages install.
fn stand_ins(home: &Path) -> (PathBuf, PathBuf) {
    let bin = home.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = home.join("browser.log");
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$(basename \"$0\")\" \"$@\" > '{log}'\nenv > '{log}.env'\nfor a; do case $a in /*.html) cat \"$a\" >> '{log}';; esac; done\n",
        log = log.display()
    );
    for name in ["firefox", "google-chrome-stable", "brave-browser", "microsoft-edge-stable", "my-opener"] {
        std::fs::write(bin.join(name), &script).unwrap();
        std::fs::set_permissions(bin.join(name), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::write(bin.join("broken-browser"), "#!/bin/sh\nexit 3\n").unwrap();
    std::fs::set_permissions(bin.join("broken-browser"), std::fs::Permissions::from_mode(0o755)).unwrap();
    (bin, log)
}

fn pages_left(home: &Path) -> Vec<String> {
    std::fs::read_dir(home.join(".cache/awsenv"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("console-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_browser_its_profile_and_the_container_reach_each_browsers_command_line() {
    let (mock, sso) = (SigninMock::start(), SsoMock::start());
    let home = home(&mock);
    let (bin, log) = stand_ins(home.path());
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let open = |args: &[&str], extra: &[(&str, &str)]| {
        let _ = std::fs::remove_file(&log);
        let mut cmd = console(home.path(), &mock, &sso, args);
        cmd.env("PATH", &path);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let out = run(&mut cmd);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "nothing on stdout without --print");
        assert!(pages_left(home.path()).is_empty(), "the page is removed once read: {:?}", pages_left(home.path()));
        let text = std::fs::read_to_string(&log).unwrap();
        let (argv, page) = text.split_once("<!doctype").unwrap();
        for token in mock.signin_tokens() {
            assert!(!argv.contains(&token), "no sign-in token in the argv: {argv}");
        }
        assert!(page.contains("SigninToken") && page.contains("signin-"), "{page}");
        (argv.lines().map(str::to_owned).collect::<Vec<_>>(), page.to_owned(), stderr(&out))
    };
    let (argv, page, said) = open(&["admin", "--browser", "firefox", "--browser-profile", "work", "--container"], &[]);
    assert_eq!(argv[..4], ["firefox", "-P", "work", "--new-tab"]);
    assert!(argv[4].starts_with(&home.path().join(".cache/awsenv/console-").display().to_string()), "{argv:?}");
    assert!(page.contains("url=ext+container:name=admin&amp;color="), "{page}");
    assert!(said.contains("opened the console in firefox (profile \"work\") (container \"admin\"), signed in as role arn:aws:iam::123456789012:role/Admin"), "{said}");

    // The profile's own keys choose the same without flags; the container is named after it.
    let (argv, page, _) = open(&["browsing"], &[]);
    assert_eq!(argv[..4], ["firefox", "-P", "work", "--new-tab"]);
    assert!(page.contains("ext+container:name=browsing&amp;color="), "{page}");

    let (argv, _, _) = open(&["admin", "--browser", "chrome", "--browser-profile", "Profile 1"], &[]);
    assert_eq!(argv[..2], ["google-chrome-stable", "--profile-directory=Profile 1"]);
    let (argv, _, _) = open(&["admin"], &[("AWSENV_BROWSER", "brave"), ("BROWSER", "firefox")]);
    assert_eq!(argv[0], "brave-browser");
    let (argv, _, _) = open(&["admin", "--browser", "edge"], &[("AWS_SECRET_ACCESS_KEY", "shell-secret")]);
    assert_eq!(argv[0], "microsoft-edge-stable");
    let env = std::fs::read_to_string(format!("{}.env", log.display())).unwrap();
    assert!(!env.contains("shell-secret") && env.contains("HOME="), "the browser gets none of the shell's keys: {env}");
    let (argv, _, _) = open(&["admin"], &[("BROWSER", "my-opener --new-window %s --last")]);
    assert_eq!((argv[0].as_str(), argv[1].as_str(), argv[3].as_str()), ("my-opener", "--new-window", "--last"));

    // What cannot work fails before any call, or says so and leaves nothing behind.
    let calls = mock.actions().len();
    let out =
        run(console(home.path(), &mock, &sso, &["admin", "--browser", "chrome", "--container=x"]).env("PATH", &path));
    assert!(!out.status.success() && stderr(&out).contains("containers are Firefox's"), "{}", stderr(&out));
    assert_eq!(mock.actions().len(), calls, "refused before any call");
    let out = run(console(home.path(), &mock, &sso, &["admin", "--browser", "broken-browser"]).env("PATH", &path));
    assert!(!out.status.success() && stderr(&out).contains("without opening the sign-in page"), "{}", stderr(&out));
    assert!(pages_left(home.path()).is_empty());
}

/// Wait (up to a generous deadline, for a loaded machine) until `done` holds.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn real_browser(program: &str) -> Option<PathBuf> {
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(program))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(!support::in_ci(), "{program} is not installed; in CI it must be (run scripts/test)");
        eprintln!("\n*** SKIPPING the real {program}: not installed (scripts/test installs it) ***\n");
    }
    found
}

/// Every file under `dir` that holds one of `tokens`.
fn files_holding(dir: &Path, tokens: &[String]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let text = String::from_utf8_lossy(&bytes);
                if tokens.iter().any(|t| text.contains(t.as_str())) {
                    found.push(path);
                }
            }
        }
    }
    found
}

/// Stop a browser started in a session of its own: its whole process group.
fn stop(pid_file: &Path) {
    if let Some(pid) = std::fs::read_to_string(pid_file).ok().and_then(|p| p.trim().parse::<i32>().ok()) {
        // SAFETY: signals to the process group the browser leads.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
    }
}

#[test]
fn a_real_chromium_signs_in_as_a_role_an_sso_role_and_an_iam_user() {
    let Some(chromium) = real_browser("chromium") else { return };
    let (mock, sso) = (SigninMock::start(), SsoMock::start());
    mock.know(SSO_TOKEN, "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_1/alice");
    let home = home(&mock);
    let outside = tempfile::tempdir().unwrap();
    let bin = outside.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let (argv_log, env_log, pid_file) =
        (outside.path().join("argv"), outside.path().join("env"), outside.path().join("pid"));
    let profile_dir = outside.path().join("chromium");
    // The wrapper stands where `chromium` is looked up: what awsenv hands it is recorded, then it
    // becomes the real browser, headless, in a fresh user-data-dir, reaching nothing beyond
    // loopback (names resolve to nothing, background networking off).
    std::fs::write(
        bin.join("chromium"),
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{argv}'\nenv >> '{env}'\necho $$ > '{pid}'\n\
             exec '{chromium}' --headless=new --no-sandbox --user-data-dir='{profile}' --no-first-run \
             --disable-background-networking --disable-component-update --disable-sync --disable-default-apps \
             --disable-gpu --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' \"$@\"\n",
            argv = argv_log.display(),
            env = env_log.display(),
            pid = pid_file.display(),
            chromium = chromium.display(),
            profile = profile_dir.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(bin.join("chromium"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    for (profile, who) in [
        ("admin", "assumed-role/Admin/"),
        ("dev", "assumed-role/AWSReservedSSO_Admin_1/alice"),
        ("alice", "federated-user/alice"),
    ] {
        let destination = mock.landing(profile);
        let out = run(console(
            home.path(),
            &mock,
            &sso,
            &[profile, "--browser", "chromium", "--browser-profile", "Work", "--destination", &destination],
        )
        .env("PATH", &path));
        assert!(out.status.success(), "{profile}: {}", stderr(&out));
        assert!(pages_left(home.path()).is_empty(), "the page is gone when awsenv returns");
        wait_for(&format!("chromium to land for {profile}"), || {
            mock.landings().iter().any(|(at, _)| at.ends_with(&format!("/landing/{profile}")))
        });
        let (_, identity) =
            mock.landings().into_iter().find(|(at, _)| at.ends_with(&format!("/landing/{profile}"))).unwrap();
        assert!(identity.contains(who), "{profile} landed as {identity}");
        assert!(mock.logins().iter().any(|(_, d)| *d == destination));
        stop(&pid_file);
    }
    let argv = std::fs::read_to_string(&argv_log).unwrap();
    assert!(argv.lines().filter(|l| *l == "--profile-directory=Work").count() == 3, "{argv}");
    let tokens = mock.signin_tokens();
    assert_eq!(tokens.len(), 3);
    let env = std::fs::read_to_string(&env_log).unwrap();
    for token in &tokens {
        assert!(
            !argv.contains(token.as_str()) && !env.contains(token.as_str()),
            "{token} reached the browser's argv or environment"
        );
    }
    assert_eq!(
        files_holding(home.path(), &tokens),
        Vec::<PathBuf>::new(),
        "no file under HOME or the cache holds a sign-in token"
    );
}

#[test]
fn a_real_firefox_opens_it_in_the_named_profile() {
    let Some(firefox) = real_browser("firefox-esr") else { return };
    let (mock, sso) = (SigninMock::start(), SsoMock::start());
    let home = home(&mock);
    let outside = tempfile::tempdir().unwrap();
    let (bin, firefox_home, profile_dir) =
        (outside.path().join("bin"), outside.path().join("home"), outside.path().join("work-profile"));
    std::fs::create_dir_all(&bin).unwrap();
    // A Firefox profile named "work", whose proxy for everything but loopback is a closed port.
    let created = Command::new(&firefox)
        .args(["--headless", "-CreateProfile", &format!("work {}", profile_dir.display())])
        .env("HOME", &firefox_home)
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    std::fs::write(
        profile_dir.join("user.js"),
        "user_pref(\"network.proxy.type\", 1);\nuser_pref(\"network.proxy.http\", \"127.0.0.1\");\n\
         user_pref(\"network.proxy.http_port\", 9);\nuser_pref(\"network.proxy.ssl\", \"127.0.0.1\");\n\
         user_pref(\"network.proxy.ssl_port\", 9);\nuser_pref(\"network.proxy.socks_remote_dns\", true);\n\
         user_pref(\"network.proxy.no_proxies_on\", \"127.0.0.1\");\n\
         user_pref(\"network.proxy.allow_hijacking_localhost\", false);\nuser_pref(\"app.update.enabled\", false);\n\
         user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);\nuser_pref(\"toolkit.telemetry.enabled\", false);\n\
         user_pref(\"browser.shell.checkDefaultBrowser\", false);\n",
    )
    .unwrap();
    let (argv_log, pid_file) = (outside.path().join("argv"), outside.path().join("pid"));
    std::fs::write(
        bin.join("firefox"),
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{argv}'\necho $$ > '{pid}'\nHOME='{home}' exec '{firefox}' --headless \"$@\"\n",
            argv = argv_log.display(),
            pid = pid_file.display(),
            home = firefox_home.display(),
            firefox = firefox.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(bin.join("firefox"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let destination = mock.landing("firefox");
    let out = run(console(
        home.path(),
        &mock,
        &sso,
        &["admin", "--browser", "firefox", "--browser-profile", "work", "--destination", &destination],
    )
    .env("PATH", &path));
    assert!(out.status.success(), "{}", stderr(&out));
    wait_for("firefox to land", || !mock.landings().is_empty());
    stop(&pid_file);
    assert!(mock.landings()[0].1.contains("assumed-role/Admin/"), "{:?}", mock.landings());
    let argv = std::fs::read_to_string(&argv_log).unwrap();
    assert!(argv.starts_with("-P\nwork\n--new-tab\n"), "{argv}");
    assert_eq!(files_holding(home.path(), &mock.signin_tokens()), Vec::<PathBuf>::new());
}
