//! Security, round 2: each class of the review has a test here that fails on the code before it
//! and passes after. Every server is on loopback; "another host" is 127.0.0.2, which also
//! answers, so that a request that reaches it is counted rather than refused.

mod support;

use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::mock::{Mock, Reply};
use support::sso::{SsoMock, token_file};
use support::{awsenv, home_with, run, stderr, stdout};

/// A server on `ip` that records each request (its head and body) and answers every one with
/// `response(n)` written as it is.
struct Raw {
    endpoint: String,
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Raw {
    fn start(ip: &str, response: impl Fn(usize) -> Vec<u8> + Send + Sync + 'static) -> Raw {
        let listener = TcpListener::bind((ip, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        let response = Arc::new(response);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, response) = (log.clone(), response.clone());
                std::thread::spawn(move || {
                    let mut stream = stream;
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let Some((head, body)) = support::mock::read_request(&mut reader) else { return };
                    let n = {
                        let mut log = log.lock().unwrap();
                        log.push(format!("{head}\r\n{}", String::from_utf8_lossy(&body)));
                        log.len()
                    };
                    let _ = stream.write_all(&response(n));
                });
            }
        });
        Raw { endpoint: format!("http://{ip}:{port}"), port, requests }
    }

    /// A server that counts connections (and requests) without answering anything useful.
    fn counter(ip: &str) -> Raw {
        Raw::start(ip, |_| b"HTTP/1.1 500 X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec())
    }

    fn hits(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

fn redirect_to(status: u16, location: &str) -> Vec<u8> {
    format!("HTTP/1.1 {status} X\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .into_bytes()
}

fn assert_refused(out: &std::process::Output, expected: &[&str]) {
    let err = stderr(out);
    assert!(!out.status.success(), "it succeeded: {err}");
    assert!(out.stdout.is_empty(), "stdout on failure: {}", stdout(out));
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    for needle in expected {
        assert!(err.contains(needle), "{needle:?} not in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

const START_URL: &str = "https://corp.awsapps.com/start";
/// sha1("corp"): the CLI's token file name for `[sso-session corp]`.
const CORP_TOKEN: &str = "ee0bfd2552fbd840c02cc48b6e823320543c450f";

fn sso_home(sso_region: &str, token: &str) -> tempfile::TempDir {
    let config = format!(
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n\n\
         [sso-session corp]\nsso_start_url = {START_URL}\nsso_region = {sso_region}\n"
    );
    let home = home_with(&config, "");
    let dir = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{CORP_TOKEN}.json")), token).unwrap();
    home
}

#[test]
fn no_redirect_is_followed_and_no_secret_reaches_the_location() {
    let elsewhere = Raw::counter("127.0.0.2");
    let location = format!("{}/stolen", elsewhere.endpoint);

    // STS: a signed AssumeRole answered with 307.
    for status in [301, 302, 307, 308] {
        let sts = Raw::start("127.0.0.1", {
            let location = location.clone();
            move |_| redirect_to(status, &location)
        });
        let home = home_with(&support::mock::role_config(&sts.endpoint), "");
        let out = run(awsenv(home.path()).args(["use", "role"]));
        assert_refused(&out, &[&sts.endpoint, &format!("HTTP {status}"), "redirect"]);
        assert_eq!(sts.hits(), 1, "a redirect is not retried");
        assert!(!sts.requests.lock().unwrap()[0].to_ascii_lowercase().contains("referer:"));
    }

    // The SSO portal: the bearer token must not be re-sent.
    let portal = Raw::start("127.0.0.1", {
        let location = location.clone();
        move |_| redirect_to(307, &location)
    });
    let home = sso_home("us-east-1", &token_file(START_URL, "the-bearer-token", 8 * 3600, false));
    let out = run(awsenv(home.path()).args(["use", "dev"]).env("AWS_ENDPOINT_URL_SSO", &portal.endpoint));
    assert_refused(&out, &[&portal.endpoint, "HTTP 307"]);
    assert!(!stderr(&out).contains("the-bearer-token"));

    // SSO-OIDC: a refresh grant (client secret, refresh token) answered with 308; the token still
    // works, so the profile resolves from the portal, and the grant went nowhere else.
    let oidc = Raw::start("127.0.0.1", {
        let location = location.clone();
        move |_| redirect_to(308, &location)
    });
    let good_portal = SsoMock::start();
    let home = sso_home("us-east-1", &token_file(START_URL, "still-valid", 300, true));
    let out = run(awsenv(home.path())
        .args(["use", "dev"])
        .env("AWS_ENDPOINT_URL_SSO_OIDC", &oidc.endpoint)
        .env("AWS_ENDPOINT_URL_SSO", &good_portal.endpoint));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(oidc.hits(), 1);
    assert_eq!(elsewhere.hits(), 0, "nothing reached the redirect's target: {:?}", elsewhere.requests.lock().unwrap());
}

#[test]
fn urls_are_parsed_for_real_and_userinfo_is_refused() {
    let loopback = Raw::start("127.0.0.1", |_| b"HTTP/1.1 200 X\r\ncontent-length: 2\r\n\r\n{}".to_vec());
    let other = Raw::counter("127.0.0.2");
    let home = home_with("[profile c]\ncredential_source = EcsContainer\n", "");
    // A hand-made check sees 127.0.0.1 here; a URL parser sees user 127.0.0.1 at 127.0.0.2.
    let sneaky = format!("http://127.0.0.1:{}@127.0.0.2:{}/creds", loopback.port, other.port);
    let out = run(awsenv(home.path())
        .args(["use", "c"])
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", &sneaky)
        .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token"));
    assert_refused(&out, &["user name or password", "EcsContainer"]);
    assert!(!stderr(&out).contains("container-auth-token"));
    assert_eq!((loopback.hits(), other.hits()), (0, 0));

    // A plain-http full URI to a host that only looks like loopback is refused on its parsed host.
    let out = run(awsenv(home.path())
        .args(["use", "c"])
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1.nip.example/creds"));
    assert_refused(&out, &["must be https, or http to a loopback"]);

    // Endpoints from the files go through the same parser.
    let home = home_with(&support::mock::role_config(&format!("http://user:pw@127.0.0.2:{}", other.port)), "");
    assert_refused(&run(awsenv(home.path()).args(["use", "role"])), &["user name or password"]);
    assert_eq!(other.hits(), 0);
}

#[test]
fn a_region_is_a_name_never_part_of_a_host() {
    let other = Raw::counter("127.0.0.2");
    let hostile = format!("x@127.0.0.2:{}/y", other.port);

    // sso_region in the files: refused with file:line before any call.
    let home = sso_home(&hostile, &token_file(START_URL, "the-bearer-token", 8 * 3600, false));
    let out = run(awsenv(home.path()).args(["use", "dev"]));
    assert_refused(&out, &["sso_region", "is not a region name", "config:8"]);

    // A profile's region, with the STS endpoint computed from it.
    let home = home_with(
        &format!(
            "[profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n\n\
             [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nregion = {hostile}\n"
        ),
        "",
    );
    assert_refused(&run(awsenv(home.path()).args(["use", "role"])), &["region", "config:8"]);
    // The environment and the command line.
    for (var, value) in [("AWS_REGION", hostile.as_str()), ("AWS_DEFAULT_REGION", "eu-west-1.evil.example")] {
        let out = run(awsenv(home.path()).args(["use", "base", "--no-cache"]).env(var, value));
        assert!(out.status.success(), "static keys make no call, so no region is needed: {}", stderr(&out));
        let out = run(awsenv(home.path()).args(["whoami", "base"]).env(var, value));
        assert_refused(&out, &[var, "is not a region name"]);
    }
    assert_refused(&run(awsenv(home.path()).args(["use", "base", "--region", &hostile])), &["--region"]);

    // The region field of a token file, used for its renewal: refused, and the still-valid token
    // is used with the configured portal instead.
    let portal = SsoMock::start();
    let mut token: serde_json::Value = serde_json::from_str(&token_file(START_URL, "still-valid", 300, true)).unwrap();
    token["region"] = hostile.clone().into();
    let home = sso_home("us-east-1", &token.to_string());
    let out = run(awsenv(home.path()).args(["use", "dev"]).env("AWS_ENDPOINT_URL_SSO", &portal.endpoint));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(other.hits(), 0, "nothing reached 127.0.0.2: {:?}", other.requests.lock().unwrap());
}

/// Every numeric setting and time field with absurd values: never a panic or an abort.
#[test]
fn no_number_from_anywhere_aborts() {
    const ABSURD: &[&str] = &[
        "1e20",
        "-1",
        "0",
        "NaN",
        "inf",
        "-inf",
        "12345678901234567890",
        "99999999999999999999999",
        "1e400",
        "0x10",
        "",
        " 5",
    ];
    let mock = Mock::start(vec![]);
    let home = home_with(&support::mock::role_config(&mock.endpoint), "");
    let check = |out: std::process::Output, what: &str| {
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert!(matches!(out.status.code(), Some(0..=2)), "{what}: {:?} {err}", out.status);
    };
    for var in ["AWSENV_HTTP_TIMEOUT", "AWSENV_PROCESS_TIMEOUT", "AWSENV_REFRESH_BEFORE", "AWSENV_HOOK_BUDGET"] {
        for value in ABSURD {
            for hook in [false, true] {
                let mut cmd = awsenv(home.path());
                cmd.args(["use", "role", "--refresh"]).env(var, value);
                if hook {
                    cmd.arg("--hook");
                }
                check(run(&mut cmd), &format!("{var}={value}"));
            }
        }
    }
    for value in ABSURD {
        check(run(awsenv(home.path()).args(["refresh", "role"]).env("AWSENV_REFRESH_AHEAD", value)), "ahead");
        check(run(awsenv(home.path()).arg("prompt").env("AWSENV_PROFILE", "p").env("AWSENV_EXPIRES_AT", value)), "at");
        let config = format!(
            "{}[profile long]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\nduration_seconds = {value}\n",
            support::mock::role_config(&mock.endpoint)
        );
        let home = home_with(&config, "");
        check(run(awsenv(home.path()).args(["use", "long"])), "duration_seconds");
    }

    // Time fields in what a credential_process prints.
    for expiration in [
        "9999-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z",
        "+275760-09-13T00:00:00Z",
        "99999-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "NaN",
    ] {
        let home = tempfile::tempdir().unwrap();
        let output = home.path().join("out.json");
        std::fs::write(&output, format!(r#"{{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s","SessionToken":"t","Expiration":"{expiration}"}}"#)).unwrap();
        let home_files = home_with(&format!("[profile p]\ncredential_process = cat '{}'\n", output.display()), "");
        check(run(awsenv(home_files.path()).args(["use", "p"])), expiration);
        check(run(awsenv(home_files.path()).args(["use", "p", "--hook"])), expiration);
    }

    // Remote time fields: OIDC expiresIn and the portal's expiration, huge and negative.
    for (expires_in, expiration) in
        [("1e300", "1e300"), ("-99999999999", "-99999999999999"), ("18446744073709551615", "9223372036854775807")]
    {
        let sso = SsoMock::start();
        sso.script(
            "/token",
            vec![support::sso::SsoReply::Status(
                200,
                format!(r#"{{"accessToken":"a","expiresIn":{expires_in},"refreshToken":"r"}}"#),
            )],
        );
        sso.script("/federation/credentials", vec![support::sso::SsoReply::Status(200, format!(r#"{{"roleCredentials":{{"accessKeyId":"A","secretAccessKey":"s","sessionToken":"t","expiration":{expiration}}}}}"#))]);
        let home = sso_home("us-east-1", &token_file(START_URL, "expiring", 60, true));
        let out = run(awsenv(home.path())
            .args(["use", "dev"])
            .env("AWS_ENDPOINT_URL_SSO", &sso.endpoint)
            .env("AWS_ENDPOINT_URL_SSO_OIDC", &sso.endpoint));
        check(out, expires_in);
        // The renewed token was kept, whatever its lifetime said.
        let token = std::fs::read_to_string(home.path().join(format!(".aws/sso/cache/{CORP_TOKEN}.json"))).unwrap();
        assert!(token.contains("\"accessToken\": \"a\""), "{token}");
    }
    // A token file's expiresAt of any shape.
    for expires_at in ["9999-12-31T23:59:59Z", "+275760-09-13T00:00:00Z", "0000-00-00T00:00:00Z", "x"] {
        let mut token: serde_json::Value = serde_json::from_str(&token_file(START_URL, "t", 60, true)).unwrap();
        token["expiresAt"] = expires_at.into();
        let home = sso_home("us-east-1", &token.to_string());
        check(
            run(awsenv(home.path()).args(["use", "dev"]).env("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9")),
            expires_at,
        );
        check(run(awsenv(home.path()).args(["list"])), expires_at);
    }
}

#[test]
fn use_hook_prints_only_exports_whatever_its_arguments() {
    let home = home_with("[profile p]\naws_access_key_id = AKID\naws_secret_access_key = s\n", "");
    for args in [&["--help"][..], &["-h"], &["--version"], &["-V"], &["p", "--help"], &["--help", "--shell", "fish"]] {
        let out = run(awsenv(home.path()).arg("use").args(args).arg("--hook"));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
    }
    // A profile named like a flag, after `--`, is a profile name.
    let home = home_with("[profile --help]\naws_access_key_id = AKID\naws_secret_access_key = s\n", "");
    let out = run(awsenv(home.path()).args(["use", "--shell", "fish", "--hook", "--", "--help"]));
    assert!(out.status.success() && stdout(&out).contains("AKID"), "{}", stderr(&out));
}

#[test]
fn the_bash_zsh_and_fish_hooks_never_evaluate_help() {
    let home = home_with("[profile p]\naws_access_key_id = AKID\naws_secret_access_key = s\n", "");
    let (shim, log) = support::logging_shim(home.path());
    for shell in ["bash", "zsh", "fish"] {
        let Some(program) = support::shells::find(shell) else { continue };
        let init = std::process::Command::new(env!("CARGO_BIN_EXE_awsenv")).args(["init", shell]).output().unwrap();
        let init =
            String::from_utf8(init.stdout).unwrap().replace(env!("CARGO_BIN_EXE_awsenv"), &shim.display().to_string());
        for name in ["--help", "-h", "--version"] {
            std::fs::write(&log, "").unwrap();
            let out = std::process::Command::new(&program)
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap())
                .env("HOME", home.path())
                .env("AWSENV_CACHE_DIR", home.path().join("cache"))
                .env("AWSENV_PROFILE", name)
                .env("AWSENV_EXPIRES_AT", "1")
                .arg("-c")
                .arg(format!("{init}\n__awsenv_hook\necho done"))
                .output()
                .unwrap();
            let (out_text, err) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert_eq!(out_text.trim(), "done", "{shell} {name}: {out_text} {err}");
            // Looked up as a profile: the shell's own, which no file has ("no longer in").
            assert!(err.contains("is no longer in"), "{shell} {name}: the name was looked up as a profile: {err}");
            assert!(!err.contains("Usage") && !err.contains("command not found"), "{shell} {name}: {err}");
            let calls = std::fs::read_to_string(&log).unwrap();
            assert!(calls.trim_end().ends_with(&format!("--hook -- {name}")), "{shell}: {calls}");
        }
    }
}

#[test]
fn the_hook_has_one_small_budget_for_processes_and_network() {
    let mock = Mock::start(vec![Reply::Slow(Duration::from_secs(30)); 3]);
    let home = home_with(
        &format!("{}[profile slow]\ncredential_process = sleep 30\n", support::mock::role_config(&mock.endpoint)),
        "",
    );
    for profile in ["slow", "role"] {
        let started = Instant::now();
        let out = run(awsenv(home.path()).args(["use", "--hook", "--", profile]));
        let took = started.elapsed();
        assert!(!out.status.success() && out.stdout.is_empty(), "{profile}: {}", stderr(&out));
        assert!(took < Duration::from_millis(3500), "{profile}: the hook took {took:?}");
    }
    // A person waits longer than the hook's budget.
    let started = Instant::now();
    let out = run(awsenv(home.path()).args(["use", "slow"]).env("AWSENV_PROCESS_TIMEOUT", "3"));
    assert!(!out.status.success());
    assert!(started.elapsed() >= Duration::from_secs(3));
}

#[test]
fn credentials_that_arrive_expired_are_not_fetched_at_every_prompt() {
    let home = tempfile::tempdir().unwrap();
    let count = home.path().join("count");
    let script = home.path().join("creds.sh");
    std::fs::write(
        &script,
        format!(
            "echo x >> '{}'\nprintf '%s' '{{\"Version\":1,\"AccessKeyId\":\"AKID\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\",\"Expiration\":\"2001-01-01T00:00:00Z\"}}'\n",
            count.display()
        ),
    )
    .unwrap();
    let files = home_with(&format!("[profile p]\ncredential_process = sh '{}'\n", script.display()), "");
    for _ in 0..3 {
        let out = run(awsenv(files.path()).args(["use", "--hook", "--", "p"]));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(std::fs::read_to_string(&count).unwrap().lines().count(), 1, "the process ran once for three prompts");
}

#[test]
fn the_cache_directory_is_never_reached_through_a_symlink() {
    let mock = Mock::start(vec![]);
    let home = home_with(&support::mock::role_config(&mock.endpoint), "");
    let planted = home.path().join("planted");
    std::fs::create_dir(&planted).unwrap();
    std::fs::set_permissions(&planted, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink(&planted, home.path().join("link")).unwrap();
    let out = run(awsenv(home.path()).args(["use", "role"]).env("AWSENV_CACHE_DIR", home.path().join("link")));
    assert_refused(&out, &["symlink"]);
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&planted).unwrap().permissions()) & 0o777;
    assert_eq!(mode, 0o755, "the symlink's target was not chmod-ed");
    assert_eq!(std::fs::read_dir(&planted).unwrap().count(), 0, "nothing was written into it");
    assert_eq!(mock.calls(), 0);
}

#[test]
fn a_ca_bundle_exported_for_the_previous_profile_is_not_this_ones() {
    let mock = Mock::start(vec![]);
    let home = home_with(&support::mock::role_config(&mock.endpoint), "");
    let missing = home.path().join("previous-profile-ca.pem");
    let out = run(awsenv(home.path())
        .args(["use", "role"])
        .env("AWS_CA_BUNDLE", &missing)
        .env("AWSENV_VARS", "AWS_ACCESS_KEY_ID AWS_CA_BUNDLE"));
    assert!(out.status.success(), "the exported bundle was used: {}", stderr(&out));
    // The user's own AWS_CA_BUNDLE is honoured.
    let out = run(awsenv(home.path()).args(["use", "role", "--refresh"]).env("AWS_CA_BUNDLE", &missing));
    assert_refused(&out, &["cannot read the CA bundle"]);
}

#[test]
fn remote_answers_are_bounded() {
    let big = vec![b'x'; 2 << 20];
    let with_length = {
        let big = big.clone();
        Raw::start("127.0.0.1", move |_| {
            let mut r =
                format!("HTTP/1.1 200 X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", big.len()).into_bytes();
            r.extend_from_slice(&big);
            r
        })
    };
    let without_length = Raw::start("127.0.0.1", move |_| {
        let mut r = b"HTTP/1.1 200 X\r\nconnection: close\r\n\r\n<AssumeRoleResponse>".to_vec();
        r.extend_from_slice(&big);
        r
    });
    for server in [&with_length, &without_length] {
        let home = home_with(&support::mock::role_config(&server.endpoint), "");
        let out = run(awsenv(home.path()).args(["use", "role"]));
        assert_refused(&out, &["more than 1024 KiB"]);
        assert_eq!(server.hits(), 1, "an answer over the cap is not asked for again");
    }
}

#[test]
fn the_container_relative_uri_is_a_path_on_the_agent() {
    // Its host is fixed (169.254.170.2, never contacted by a test): only the URL is checked.
    for relative in ["@127.0.0.2/", ".evil.example/", "//127.0.0.2/x", "v2/credentials?id=1"] {
        let env = awsenv::env::Env::from_pairs([("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", relative)]);
        let url = awsenv::source::container_url(&env, "test").unwrap();
        let parsed = url::Url::parse(&url).unwrap();
        assert_eq!(parsed.host_str(), Some("169.254.170.2"), "{relative} -> {url}");
        assert!(parsed.username().is_empty());
    }
}
