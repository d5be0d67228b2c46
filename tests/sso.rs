//! IAM Identity Center profiles against a loopback portal and SSO-OIDC: cached tokens in the
//! AWS CLI's format, role credentials through the shared cache, renewal with the refresh token
//! written back for the CLI, one renewal among many processes, and the errors a person sees.

mod support;

use std::path::{Path, PathBuf};

use support::mock::{Mock, Reply};
use support::sso::{SsoMock, SsoReply, token_file};
use support::{awsenv, home_with, run, stderr, stdout};

const START_URL: &str = "https://corp.awsapps.com/start";
/// sha1("corp"): the CLI's token file name for `[sso-session corp]`.
const CORP_TOKEN: &str = "ee0bfd2552fbd840c02cc48b6e823320543c450f";

fn config(extra: &str) -> String {
    format!(
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\nregion = eu-west-1\n\n\
         [profile legacy]\nsso_start_url = {START_URL}\nsso_region = us-east-1\nsso_account_id = 444455556666\nsso_role_name = ReadOnly\n\n\
         [profile token-only]\nsso_session = corp\n\n\
         [sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n{extra}"
    )
}

fn token_path(home: &Path, key: &str) -> PathBuf {
    home.join(".aws/sso/cache").join(format!("{key}.json"))
}

fn sha1_hex(text: &str) -> String {
    let out = std::process::Command::new("sh").arg("-c").arg(format!("printf %s '{text}' | sha1sum")).output().unwrap();
    String::from_utf8(out.stdout).unwrap().split_whitespace().next().unwrap().to_owned()
}

fn write_token(home: &Path, key: &str, text: &str) {
    let path = token_path(home, key);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn with_mock<'c>(cmd: &'c mut std::process::Command, mock: &SsoMock) -> &'c mut std::process::Command {
    cmd.env("AWS_ENDPOINT_URL_SSO", &mock.endpoint).env("AWS_ENDPOINT_URL_SSO_OIDC", &mock.endpoint)
}

#[test]
fn the_cli_token_file_name_is_sha1_of_the_session_name() {
    assert_eq!(sha1_hex("corp"), CORP_TOKEN);
}

#[test]
fn a_cached_token_buys_role_credentials_once() {
    let mock = SsoMock::start();
    let home = home_with(&config(""), "");
    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "the-access-token", 8 * 3600, false));
    for _ in 0..2 {
        let out = run(with_mock(awsenv(home.path()).args(["use", "dev"]), &mock));
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("export AWS_ACCESS_KEY_ID='ASIASSO0000000000001'"), "{text}");
        assert!(text.contains("export AWS_SESSION_TOKEN='sso-session-token-1'"), "{text}");
        assert!(text.contains("export AWS_ACCOUNT_ID='111122223333'"), "{text}");
        assert!(text.contains("export AWS_REGION='eu-west-1'"), "{text}");
    }
    let requests = mock.requests();
    assert_eq!(requests.len(), 1, "the second use was a cache read");
    let portal = &requests[0];
    assert_eq!((portal.method.as_str(), portal.path.as_str()), ("GET", "/federation/credentials"));
    assert_eq!(portal.query, "role_name=Admin&account_id=111122223333");
    assert!(portal.headers.contains(&("x-amz-sso_bearer_token".into(), "the-access-token".into())));
}

#[test]
fn legacy_profiles_find_their_token_by_start_url_in_every_timestamp_form() {
    for expires in ["Z", "+00:00", "UTC"] {
        let mock = SsoMock::start();
        let home = home_with(&config(""), "");
        let token = token_file(START_URL, "legacy-token", 3600, false);
        let token = token.replace("Z\"", &format!("{expires}\""));
        write_token(home.path(), &sha1_hex(START_URL), &token);
        let out = run(with_mock(awsenv(home.path()).args(["use", "legacy"]), &mock));
        assert!(out.status.success(), "{expires}: {}", stderr(&out));
        assert!(stdout(&out).contains("AWS_ACCOUNT_ID='444455556666'"));
        assert!(mock.requests()[0].headers.contains(&("x-amz-sso_bearer_token".into(), "legacy-token".into())));
    }
}

#[test]
fn a_role_on_top_of_sso_is_assumed_with_the_sso_credentials() {
    let mock = SsoMock::start();
    let sts = Mock::start(vec![Reply::Credentials]);
    let extra = format!(
        "\n[profile deploy]\nrole_arn = arn:aws:iam::777788889999:role/deploy\nsource_profile = dev\nservices = local\n\n\
         [services local]\nsts =\n  endpoint_url = {}\n",
        sts.endpoint
    );
    let home = home_with(&config(&extra), "");
    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "t", 8 * 3600, false));
    let out = run(with_mock(awsenv(home.path()).args(["use", "deploy"]), &mock));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("AWS_ACCESS_KEY_ID='ASIAMOCK000000000001'"), "{}", stdout(&out));
    assert_eq!((mock.calls("/federation/credentials"), sts.calls()), (1, 1));
}

#[test]
fn a_missing_or_expired_login_names_the_session_and_the_command_to_run() {
    let mock = SsoMock::start();
    let home = home_with(&config(""), "");
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev"]), &mock));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("profile \"dev\"") && err.contains("no SSO login for sso-session \"corp\""), "{err}");
    assert!(err.contains("awsenv login --sso-session corp") && err.contains("aws sso login"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "old", -60, false));
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev"]), &mock));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("the SSO login for sso-session \"corp\" (~/.aws/config:2) expired at"),
        "{}",
        stderr(&out)
    );

    write_token(home.path(), &sha1_hex(START_URL), &token_file(START_URL, "old", -60, false));
    let out = run(with_mock(awsenv(home.path()).args(["use", "legacy"]), &mock));
    assert!(stderr(&out).contains("awsenv login legacy"), "{}", stderr(&out));
    assert_eq!(mock.requests().len(), 0, "nothing was asked of the portal");

    let out = run(with_mock(awsenv(home.path()).args(["use", "token-only"]), &mock));
    assert!(stderr(&out).contains("yields an SSO bearer token, not AWS credentials"), "{}", stderr(&out));
}

#[test]
fn a_token_about_to_expire_is_renewed_and_written_back_in_the_clis_format() {
    let mock = SsoMock::start();
    let home = home_with(&config(""), "");
    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "old-token", 300, true));
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev"]), &mock));
    assert!(out.status.success(), "{}", stderr(&out));
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    let body: serde_json::Value = serde_json::from_str(&requests[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"clientId":"client-0","clientSecret":"client-secret-0","grantType":"refresh_token","refreshToken":"refresh-token-0"})
    );
    assert!(requests[1].headers.contains(&("x-amz-sso_bearer_token".into(), "access-token-1".into())));

    let written = support::read_json(&token_path(home.path(), CORP_TOKEN));
    assert_eq!(written["accessToken"], "access-token-1");
    assert_eq!(written["refreshToken"], "refresh-token-1");
    assert_eq!(written["clientId"], "client-0", "everything else is kept");
    assert_eq!(written["startUrl"], START_URL);
    let expires = written["expiresAt"].as_str().unwrap();
    assert!(expires.ends_with('Z') && expires.len() == 20, "{expires}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(token_path(home.path(), CORP_TOKEN)).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn sixteen_shells_with_an_expiring_token_make_one_renewal_and_one_portal_call() {
    let mock = SsoMock::start();
    mock.script("/token", vec![SsoReply::Slow(std::time::Duration::from_millis(300))]);
    let home = home_with(&config(""), "");
    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "old-token", 120, true));
    let children: Vec<_> = (0..16)
        .map(|_| {
            with_mock(awsenv(home.path()).args(["use", "dev"]), &mock)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("ASIASSO0000000000001"));
    }
    assert_eq!((mock.calls("/token"), mock.calls("/federation/credentials")), (1, 1));
}

#[test]
fn portal_faults_are_retried_when_that_can_help_and_explained_when_not() {
    let home = home_with(&config(""), "");
    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "t", 8 * 3600, false));

    let mock = SsoMock::start();
    let throttled = r#"{"__type":"TooManyRequestsException","message":"slow down"}"#.to_owned();
    mock.script("/federation/credentials", vec![SsoReply::Status(500, "{}".into()), SsoReply::Status(429, throttled)]);
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev", "--no-cache"]), &mock));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mock.calls("/federation/credentials"), 3);

    let mock = SsoMock::start();
    let unauthorized = r#"{"__type":"UnauthorizedException","message":"Session token not found or invalid"}"#;
    mock.script("/federation/credentials", vec![SsoReply::Status(401, unauthorized.into())]);
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev", "--no-cache"]), &mock));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("401 UnauthorizedException") && err.contains("awsenv login"), "{err}");
    assert_eq!(mock.calls("/federation/credentials"), 1, "a 401 is not retried");

    let mock = SsoMock::start();
    mock.script("/federation/credentials", vec![SsoReply::Status(200, "<html>captive portal</html>".into())]);
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev", "--no-cache"]), &mock));
    assert!(stderr(&out).contains("not what it should answer"), "{}", stderr(&out));
}

#[test]
fn a_failed_renewal_of_a_token_that_still_works_uses_it() {
    let mock = SsoMock::start();
    mock.script("/token", vec![SsoReply::Status(400, r#"{"error":"invalid_grant"}"#.into())]);
    let home = home_with(&config(""), "");
    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "still-good", 600, true));
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev"]), &mock));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(mock.requests()[1].headers.contains(&("x-amz-sso_bearer_token".into(), "still-good".into())));
    let written = support::read_json(&token_path(home.path(), CORP_TOKEN));
    assert_eq!(written["accessToken"], "still-good", "the file is untouched");
}

#[test]
fn botocore_uses_awsenv_as_its_credential_process() {
    let mock = SsoMock::start();
    let bin = env!("CARGO_BIN_EXE_awsenv");
    let home = home_with(&config(&format!("\n[profile app]\ncredential_process = {bin} credential-process dev\n")), "");
    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "t", 8 * 3600, false));
    let python = "import botocore.session\n\
                  c = botocore.session.Session(profile='app').get_credentials()\n\
                  f = c.get_frozen_credentials()\n\
                  print(f.access_key, f.token, c._expiry_time.isoformat() if c._expiry_time else None)";
    for round in 0..2 {
        let mut cmd = std::process::Command::new("python3");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .env("HOME", home.path())
            .env("AWSENV_CACHE_DIR", home.path().join(".cache/awsenv"))
            .env("AWS_ENDPOINT_URL_SSO", &mock.endpoint)
            .args(["-c", python]);
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words[..2], ["ASIASSO0000000000001", "sso-session-token-1"], "round {round}: {text}");
        assert!(words[2].starts_with("20"), "botocore read the expiration: {text}");
    }
    assert_eq!(mock.calls("/federation/credentials"), 1, "the second SDK run read awsenv's cache");

    let out = run(with_mock(awsenv(home.path()).args(["credential-process", "dev"]), &mock));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["Version"], 1);
    assert_eq!(json["AccountId"], "111122223333");
}

#[test]
fn list_and_explain_show_the_login_state_never_the_token() {
    let mock = SsoMock::start();
    let home = home_with(&config(""), "");
    let out = run(awsenv(home.path()).arg("list"));
    let text = stdout(&out);
    let dev = text.lines().find(|l| l.starts_with("dev ")).unwrap();
    assert!(dev.contains("[sso login: missing]"), "{text}");

    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "secret-access-token", 8 * 3600, true));
    write_token(home.path(), &sha1_hex(START_URL), &token_file(START_URL, "secret-legacy-token", -10, false));
    let out = run(awsenv(home.path()).arg("list"));
    let text = stdout(&out);
    let line = |name: &str| text.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap().to_owned();
    assert!(
        line("dev").contains("[sso login: valid 7h59m]") || line("dev").contains("[sso login: valid 8h00m]"),
        "{text}"
    );
    assert!(line("legacy").contains("[sso login: expired]"), "{text}");

    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "secret-access-token", 300, true));
    let out = run(awsenv(home.path()).arg("list"));
    assert!(stdout(&out).lines().find(|l| l.starts_with("dev ")).unwrap().contains("[sso login: refreshable]"));

    let out = run(awsenv(home.path()).args(["explain", "dev"]));
    let text = stdout(&out);
    assert!(text.contains(&format!("login token: ~/.aws/sso/cache/{CORP_TOKEN}.json (expires at ")), "{text}");
    assert!(text.contains("sso-session: corp"), "{text}");
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev"]), &mock));
    assert!(out.status.success());
    let listed = stdout(&run(with_mock(awsenv(home.path()).arg("list"), &mock)));
    let dev = listed.lines().find(|l| l.starts_with("dev ")).unwrap();
    assert!(dev.contains(" 59m ") || dev.contains(" 1h00m "), "the cached role credentials show: {dev}");
    for args in [&["list"][..], &["list", "--json"], &["explain", "dev"], &["explain", "dev", "--json"]] {
        let out = run(awsenv(home.path()).args(args));
        let all = format!("{}{}", stdout(&out), stderr(&out));
        for secret in [
            "secret-access-token",
            "access-token-1",
            "refresh-token",
            "client-secret",
            "sso-secret",
            "sso-session-token",
        ] {
            assert!(!all.contains(secret), "{args:?} shows {secret}:\n{all}");
        }
    }
}

fn login_env<'c>(cmd: &'c mut std::process::Command, mock: &SsoMock) -> &'c mut std::process::Command {
    with_mock(cmd, mock).env("BROWSER", "/bin/false")
}

#[test]
fn device_code_login_writes_the_clis_token_and_botocore_uses_it() {
    let mock = SsoMock::start();
    mock.script("/token", vec![SsoReply::Status(400, r#"{"error":"authorization_pending"}"#.into())]);
    let home = home_with(&config(""), "");
    let out = run(login_env(
        awsenv(home.path()).args(["login", "--sso-session", "corp", "--use-device-code", "--no-browser"]),
        &mock,
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("ABCD-EFGH") && err.contains("https://device.sso.example/"), "{err}");
    let paths: Vec<String> = mock.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/client/register", "/device_authorization", "/token", "/token"]);
    let register: serde_json::Value = serde_json::from_str(&mock.requests()[0].body).unwrap();
    assert_eq!(register["clientType"], "public");
    assert_eq!(register["scopes"], serde_json::json!(["sso:account:access"]));
    let poll: serde_json::Value = serde_json::from_str(&mock.requests()[3].body).unwrap();
    assert_eq!(poll["grantType"], "urn:ietf:params:oauth:grant-type:device_code");
    assert_eq!(poll["deviceCode"], "device-code-1");

    let token = support::read_json(&token_path(home.path(), CORP_TOKEN));
    assert_eq!(token["accessToken"], "access-token-2");
    assert_eq!(token["refreshToken"], "refresh-token-2");
    assert_eq!(token["clientId"], "client-1");
    assert_eq!(token["startUrl"], START_URL);
    assert!(token["registrationExpiresAt"].as_str().unwrap().ends_with('Z'));

    // botocore's own SSO provider reads the token awsenv wrote.
    let python = "import botocore.session\n\
                  f = botocore.session.Session(profile='dev').get_credentials().get_frozen_credentials()\n\
                  print(f.access_key)";
    let out = std::process::Command::new("python3")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home.path())
        .env("AWS_ENDPOINT_URL_SSO", &mock.endpoint)
        .args(["-c", python])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ASIASSO0000000000001");
    let last = mock.requests().last().unwrap().clone();
    assert!(last.headers.contains(&("x-amz-sso_bearer_token".into(), "access-token-2".into())));

    // A second login reuses the cached client registration.
    let out = run(login_env(awsenv(home.path()).args(["login", "dev", "--use-device-code", "--no-browser"]), &mock));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mock.calls("/client/register"), 1);

    // Logout ends the portal session and removes the token.
    let out = run(login_env(awsenv(home.path()).args(["logout", "--sso-session", "corp"]), &mock));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mock.calls("/logout"), 1);
    assert!(!token_path(home.path(), CORP_TOKEN).exists());
}

#[test]
fn device_code_denied_or_expired_is_a_clear_error() {
    for (code, words) in [("access_denied", "denied"), ("expired_token", "expired before it was approved")] {
        let mock = SsoMock::start();
        mock.script("/token", vec![SsoReply::Status(400, format!(r#"{{"error":"{code}"}}"#))]);
        let home = home_with(&config(""), "");
        let out = run(login_env(
            awsenv(home.path()).args(["login", "--sso-session", "corp", "--use-device-code", "--no-browser"]),
            &mock,
        ));
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        assert!(stderr(&out).contains(words), "{code}: {}", stderr(&out));
        assert!(!token_path(home.path(), CORP_TOKEN).exists());
    }
}

#[test]
fn browser_login_with_pkce_comes_back_to_the_loopback_redirect() {
    let mock = SsoMock::start();
    let home = home_with(&config(""), "");
    // The "browser" follows the authorize URL, whose redirect comes back to awsenv's listener.
    let browser = home.path().join("browser");
    std::fs::write(&browser, "#!/bin/sh\nexec curl -sfL --max-time 20 \"$1\" >/dev/null\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = run(with_mock(awsenv(home.path()).args(["login", "dev"]), &mock).env("BROWSER", &browser));
    assert!(out.status.success(), "{}", stderr(&out));
    let requests = mock.requests();
    let register: serde_json::Value = serde_json::from_str(&requests[0].body).unwrap();
    assert_eq!(register["grantTypes"], serde_json::json!(["authorization_code", "refresh_token"]));
    assert_eq!(register["issuerUrl"], START_URL);
    let authorize = requests.iter().find(|r| r.path == "/authorize").unwrap();
    assert!(authorize.query.contains("code_challenge_method=S256") && authorize.query.contains("response_type=code"));
    let token_request = requests.iter().find(|r| r.path == "/token").unwrap();
    let grant: serde_json::Value = serde_json::from_str(&token_request.body).unwrap();
    assert_eq!(grant["grantType"], "authorization_code");
    assert_eq!(grant["code"], "auth-code-1");
    assert!(grant["redirectUri"].as_str().unwrap().starts_with("http://127.0.0.1:"));
    let verifier = grant["codeVerifier"].as_str().unwrap();
    let challenge = authorize.query.split('&').find_map(|kv| kv.strip_prefix("code_challenge=")).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", &format!("import hashlib,base64;print(base64.urlsafe_b64encode(hashlib.sha256(b'{verifier}').digest()).decode().rstrip('='))")])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), challenge, "the challenge is S256 of the verifier");
    assert_eq!(support::read_json(&token_path(home.path(), CORP_TOKEN))["accessToken"], "access-token-1");
}

#[test]
fn bare_login_in_a_shell_on_a_non_sso_profile_logs_in_to_the_only_session() {
    let mock = SsoMock::start();
    let home = home_with(
        &(config("") + "\n[profile keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n"),
        "",
    );
    let browser = home.path().join("browser");
    std::fs::write(&browser, "#!/bin/sh\nexec curl -sfL --max-time 20 \"$1\" >/dev/null\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    // The shell acts as a profile of static keys: `awsenv login` means the only sso-session.
    let out =
        run(with_mock(awsenv(home.path()).arg("login"), &mock).env("BROWSER", &browser).env("AWSENV_PROFILE", "keys"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(support::read_json(&token_path(home.path(), CORP_TOKEN))["accessToken"], "access-token-1");
    // With two sessions and no terminal: a usage error that names both.
    let home = home_with(
        &(config("")
            + "\n[profile keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n\n[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = eu-west-1\n"),
        "",
    );
    let out = run(with_mock(awsenv(home.path()).arg("login"), &mock).env("AWSENV_PROFILE", "keys"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--sso-session corp or --sso-session other"), "{}", stderr(&out));
}

/// A "browser" that, before following the login, has other local users take the redirect
/// listener: a hundred silent connections, one that trickles a byte at a time, and one that
/// sends an endless request line. It records whether the endless one was cut off.
const CROWDED_BROWSER: &str = r#"#!/usr/bin/env python3
import socket, sys, threading, time, urllib.parse, urllib.request
url, report = sys.argv[1], sys.argv[0] + ".report"
redirect = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["redirect_uri"][0]
port = urllib.parse.urlparse(redirect).port
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(100)]
trickler = socket.create_connection(("127.0.0.1", port))
cut = threading.Event()
def endless():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /oauth/callback?")
    try:
        for _ in range(100000):
            s.sendall(b"a" * 65536)
    except OSError:
        cut.set()
threading.Thread(target=endless, daemon=True).start()
def trickle():
    try:
        for _ in range(600):
            trickler.send(b"G")
            time.sleep(0.5)
    except OSError:
        pass
threading.Thread(target=trickle, daemon=True).start()
urllib.request.urlopen(url, timeout=60).read()
cut.wait(60)
open(report, "w").write("cut" if cut.is_set() else "not cut")
"#;

#[test]
fn the_login_redirect_listener_holds_against_local_users_who_connect_first() {
    let mock = SsoMock::start();
    let home = home_with(&config(""), "");
    let browser = home.path().join("browser");
    std::fs::write(&browser, CROWDED_BROWSER).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = run(with_mock(awsenv(home.path()).args(["login", "dev"]), &mock).env("BROWSER", &browser));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(support::read_json(&token_path(home.path(), CORP_TOKEN))["accessToken"], "access-token-1");
    // The report comes once the browser has seen the endless request cut off at the bound.
    let report = home.path().join("browser.report");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    while !report.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(std::fs::read_to_string(&report).unwrap_or_default(), "cut", "an endless request line is cut off");
}

#[test]
fn a_portal_that_hangs_past_the_timeout_is_a_bounded_error_and_the_cache_is_kept() {
    let mock = SsoMock::start();
    let home = home_with(&config(""), "");
    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "t", 8 * 3600, false));
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev"]), &mock));
    assert!(out.status.success());
    let slow = SsoReply::Slow(std::time::Duration::from_secs(3));
    mock.script("/federation/credentials", vec![slow.clone(), slow.clone(), slow]);
    let started = std::time::Instant::now();
    let out =
        run(with_mock(awsenv(home.path()).args(["use", "dev", "--refresh"]), &mock).env("AWSENV_HTTP_TIMEOUT", "1"));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(started.elapsed() < std::time::Duration::from_secs(8), "bounded: {:?}", started.elapsed());
    assert!(stderr(&out).contains("SSO portal"), "{}", stderr(&out));
    // The credentials fetched before are still there for the next run.
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev"]), &mock));
    assert!(stdout(&out).contains("ASIASSO0000000000001"), "{}", stderr(&out));
}

#[test]
fn device_code_slow_down_waits_five_seconds_longer() {
    let mock = SsoMock::start();
    mock.script("/token", vec![SsoReply::Status(400, r#"{"error":"slow_down"}"#.into())]);
    let home = home_with(&config(""), "");
    let started = std::time::Instant::now();
    let out = run(login_env(
        awsenv(home.path()).args(["login", "--sso-session", "corp", "--use-device-code", "--no-browser"]),
        &mock,
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    // Interval 1 s, then 1 + 5 s after the SlowDown.
    assert!(started.elapsed() >= std::time::Duration::from_secs(7), "{:?}", started.elapsed());
    assert_eq!(mock.calls("/token"), 2);
}

#[test]
fn the_profiles_ca_bundle_is_trusted_for_sso_calls_too() {
    let mock = SsoMock::start();
    let home = home_with(
        &config("").replace("region = eu-west-1\n", "region = eu-west-1\nca_bundle = /nonexistent/corp-ca.pem\n"),
        "",
    );
    write_token(home.path(), CORP_TOKEN, &token_file(START_URL, "t", 8 * 3600, false));
    let out = run(with_mock(awsenv(home.path()).args(["use", "dev"]), &mock));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("cannot read the CA bundle /nonexistent/corp-ca.pem"), "{}", stderr(&out));
    assert_eq!(mock.requests().len(), 0, "no call was made without the bundle");
}
