//! Secrets stay secret, checked across every command: no secret of any fixture (static keys,
//! session tokens, process output, STS and SSO answers, SSO access and refresh tokens, client
//! secrets) appears on stderr, in `list`, `explain` or `prompt`, or in the argument vector of any
//! process awsenv starts (the network helper is replaced by a wrapper that records its argv).

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use support::mock::{Mock, Reply, sts_error};
use support::sso::{SsoMock, token_file};
use support::{awsenv, home_with, run, stderr, stdout};

const STATIC_SECRET: &str = "static-secret-Zq81";
const STATIC_TOKEN: &str = "static-token-Zq82";
const PROCESS_SECRET: &str = "process-secret-Zq83";
const PROCESS_TOKEN: &str = "process-token-Zq84";
const SSO_ACCESS_TOKEN: &str = "sso-access-token-Zq85";
const SSO_REFRESH_TOKEN: &str = "refresh-token-0";
const SSO_CLIENT_SECRET: &str = "client-secret-0";

/// Everything that must never show: the fixtures' own, and what the mocks hand out.
fn secrets() -> Vec<String> {
    let mut all: Vec<String> = [
        STATIC_SECRET,
        STATIC_TOKEN,
        PROCESS_SECRET,
        PROCESS_TOKEN,
        SSO_ACCESS_TOKEN,
        SSO_REFRESH_TOKEN,
        SSO_CLIENT_SECRET,
    ]
    .map(str::to_owned)
    .to_vec();
    for n in 1..10 {
        all.extend([
            format!("mock-secret-{n}"),
            format!("mock-token-{n}"),
            format!("sso-secret-{n}"),
            format!("sso-session-token-{n}"),
            format!("access-token-{n}"),
            format!("refresh-token-{n}"),
        ]);
    }
    all
}

fn assert_clean(what: &str, text: &str) {
    for secret in secrets() {
        assert!(!text.contains(&secret), "{what} shows the secret {secret}:\n{text}");
    }
}

struct World {
    home: tempfile::TempDir,
    sts: Mock,
    sso: SsoMock,
    argv_log: std::path::PathBuf,
}

fn world() -> World {
    let sts = Mock::start(vec![Reply::Credentials, Reply::Status(403, sts_error("AccessDenied", "not allowed"))]);
    let sso = SsoMock::start();
    let home = home_with("", "");
    let h = home.path();
    let process_json = h.join("process.json");
    std::fs::write(
        &process_json,
        format!(
            r#"{{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"{PROCESS_SECRET}","SessionToken":"{PROCESS_TOKEN}","Expiration":"2099-01-01T00:00:00Z"}}"#
        ),
    )
    .unwrap();
    std::fs::write(
        h.join(".aws/config"),
        format!(
            "[profile static]\nregion = eu-west-1\n\n\
             [profile proc]\ncredential_process = cat {}\n\n\
             [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = static\nservices = local\n\n\
             [profile denied]\nrole_arn = arn:aws:iam::123456789012:role/denied\nsource_profile = static\nservices = local\n\n\
             [profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/m\nsource_profile = static\nmfa_serial = arn:aws:iam::123456789012:mfa/me\nservices = local\n\n\
             [profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\nservices = local\n\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n\
             [services local]\nsts =\n  endpoint_url = {}\nsso =\n  endpoint_url = {}\nsso_oidc =\n  endpoint_url = {}\n",
            process_json.display(),
            sts.endpoint,
            sso.endpoint,
            sso.endpoint
        ),
    )
    .unwrap();
    std::fs::write(
        h.join(".aws/credentials"),
        format!("[static]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = {STATIC_SECRET}\naws_session_token = {STATIC_TOKEN}\n"),
    )
    .unwrap();
    // The token is about to expire, so the first SSO use renews it (refresh token, client secret).
    let token = token_file("https://corp.awsapps.com/start", SSO_ACCESS_TOKEN, 300, true);
    let tokens = h.join(".aws/sso/cache");
    std::fs::create_dir_all(&tokens).unwrap();
    std::fs::write(tokens.join("ee0bfd2552fbd840c02cc48b6e823320543c450f.json"), token).unwrap();
    // The network helper behind a wrapper that records the arguments it is started with.
    let argv_log = h.join("argv.log");
    let wrapper = h.join("fetch-wrapper");
    let fetch = Path::new(env!("CARGO_BIN_EXE_awsenv")).with_file_name("awsenv-fetch");
    std::fs::write(
        &wrapper,
        format!("#!/bin/sh\nprintf '%s\\n' \"$0 $*\" >> '{}'\nexec '{}' \"$@\"\n", argv_log.display(), fetch.display()),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    World { home, sts, sso, argv_log }
}

impl World {
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        let mut cmd = awsenv(self.home.path());
        cmd.args(args).env("AWSENV_FETCH", self.home.path().join("fetch-wrapper"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        run(&mut cmd)
    }
}

#[test]
fn no_secret_reaches_stderr_list_explain_prompt_or_any_argv() {
    let w = world();
    // Fetch everything once (stdout carries secrets: that is its job; stderr must not).
    let mut exported = Vec::new();
    for profile in ["static", "proc", "role", "sso"] {
        let out = w.run(&["use", profile], &[]);
        assert!(out.status.success(), "{profile}: {}", stderr(&out));
        assert_clean(&format!("use {profile}: stderr"), &stderr(&out));
        exported.push(stdout(&out));
    }
    assert!(w.sso.calls("/token") == 1, "the SSO token was renewed with its refresh token");
    for (args, why) in [
        (&["use", "denied"][..], "an STS refusal"),
        (&["use", "mfa", "--hook"][..], "a hook that needs MFA"),
        (&["use", "role", "--region", ""][..], "a usage error"),
        (&["credential-process", "role"][..], "credential-process"),
        (&["whoami", "role"][..], "whoami"),
    ] {
        let out = w.run(args, &[]);
        assert_clean(&format!("{why}: stderr"), &stderr(&out));
    }
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["explain", "static"],
        &["explain", "role", "--json"],
        &["explain", "sso"],
        &["explain", "proc", "--json"],
    ] {
        let out = w.run(args, &[]);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_clean(&format!("{args:?}"), &format!("{}{}", stdout(&out), stderr(&out)));
    }
    // The prompt, in a shell that has the role's secrets in its environment.
    let vars: Vec<(String, String)> = exported[2]
        .lines()
        .filter_map(|l| l.strip_prefix("export "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches('\'').to_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let out = w.run(&["prompt"], &pairs);
    assert!(stdout(&out).starts_with("role "), "{}", stdout(&out));
    assert_clean("prompt", &format!("{}{}", stdout(&out), stderr(&out)));
    // A command run by exec gets the secrets in its environment, never in its arguments.
    let out = w.run(&["exec", "role", "--", "cat", "/proc/self/cmdline"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_clean("exec's argv", &String::from_utf8_lossy(&out.stdout));
    // Every start of the network helper, with its arguments.
    let argv = std::fs::read_to_string(&w.argv_log).unwrap();
    assert!(argv.lines().count() >= 4, "the helper ran for STS and SSO: {argv}");
    assert_clean("awsenv-fetch's argv", &argv);
    let _ = &w.sts;
}
