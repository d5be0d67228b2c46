//! The credential endpoint (`exec --server`, `serve`) with real SDK clients as its users:
//! botocore and the AWS SDK for JavaScript v3 call GetCallerIdentity in a loop for several
//! credential lifetimes against the mock STS, in a home whose `[default]` has static keys and a
//! `credential_process` (which every SDK reads before the endpoint). Then the endpoint's refusals,
//! sixteen concurrent clients, a profile that needs a person, STS down, and `exec --server`'s
//! exit status, signals and clean end.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::mock::{Mock, Reply, role_config};
use support::{awsenv, home_with, run, stderr, stdout};

/// Credentials from the mock live this long; the clients run for three and a bit of them.
const LIFETIME: i64 = 15;
const RUN_FOR: u64 = 50;

/// A home whose role profile's STS is `mock`, and whose `[default]` (in both files) would give
/// any SDK other credentials if the endpoint did not come first.
fn home_for(mock: &Mock) -> tempfile::TempDir {
    let config = format!(
        "[default]\nregion = ap-south-1\ncredential_process = /bin/false\n\n{}",
        role_config(&mock.endpoint).replace("services = mock\n", "services = mock\nregion = eu-west-1\n")
    );
    let credentials = "[default]\naws_access_key_id = AKIADEFAULTDEFAULT00\naws_secret_access_key = default-secret\n";
    let home = home_with(&config, credentials);
    std::fs::set_permissions(home.path().join(".aws/credentials"), std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .unwrap();
    home
}

const BOTOCORE_LOOP: &str = r#"
import sys, time, botocore.session
session = botocore.session.get_session()
client = session.create_client("sts")
end = time.time() + float(sys.argv[1])
calls = 0
while time.time() < end:
    client.get_caller_identity()
    calls += 1
    time.sleep(0.25)
print(calls)
"#;

const JS_LOOP: &str = r#"
const { STSClient, GetCallerIdentityCommand } = require(process.argv[1] + "/@aws-sdk/client-sts");
const client = new STSClient({});
const end = Date.now() + Number(process.argv[2]) * 1000;
(async () => {
  let calls = 0;
  while (Date.now() < end) {
    await client.send(new GetCallerIdentityCommand({}));
    calls++;
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(calls);
})().catch((e) => { console.error(String(e)); process.exit(1); });
"#;

/// What a client loop proves: every call succeeded (the count it printed is what the mock
/// saw), each with the endpoint's credentials, which rotated, at one AssumeRole per lifetime.
fn check_a_client_run(name: &str, out: &std::process::Output, mock: &Mock, seconds: u64) {
    assert!(out.status.success(), "{name}: {}{}", stdout(out), stderr(out));
    let calls: usize = stdout(out).trim().parse().unwrap_or_else(|_| panic!("{name}: {}", stdout(out)));
    let keys = mock.identities();
    assert_eq!(keys.len(), calls, "{name}: every call reached STS and succeeded");
    assert!(calls > 100, "{name}: the client kept calling ({calls})");
    assert!(keys.iter().all(|k| k.starts_with("ASIAMOCK")), "{name}: only the endpoint's keys: {keys:?}");
    let mut distinct = keys.clone();
    distinct.dedup();
    let lifetimes = seconds / LIFETIME as u64;
    assert!(distinct.len() as u64 >= lifetimes, "{name}: the key rotated each lifetime: {distinct:?}");
    let assumed = mock.calls() as u64;
    assert!(assumed <= lifetimes + 3, "{name}: one AssumeRole per lifetime, not per call: {assumed} for {calls} calls");
    assert_eq!(distinct.len() as u64, assumed, "{name}: each key came from one AssumeRole");
}

#[test]
fn botocore_in_a_child_of_exec_server_stays_fresh_for_several_lifetimes() {
    if !support::python_has("botocore") {
        return;
    }
    let mock = Mock::start(vec![]);
    mock.set_lifetime(LIFETIME);
    let home = home_for(&mock);
    let out = run(awsenv(home.path())
        .args(["exec", "--server", "role", "--", "python3", "-c", BOTOCORE_LOOP])
        .arg(RUN_FOR.to_string()));
    check_a_client_run("botocore", &out, &mock, RUN_FOR);
}

#[test]
fn the_javascript_sdk_in_a_child_of_exec_server_stays_fresh_for_several_lifetimes() {
    let Some(modules) = support::js_sdk() else { return };
    let mock = Mock::start(vec![]);
    mock.set_lifetime(LIFETIME);
    let home = home_for(&mock);
    let out = run(awsenv(home.path())
        .env("NODE_NO_WARNINGS", "1")
        .args(["exec", "--server", "role", "--", "node", "-e", JS_LOOP])
        .arg(&modules)
        .arg(RUN_FOR.to_string()));
    check_a_client_run("JavaScript SDK v3", &out, &mock, RUN_FOR);
}

/// A foreground `serve` with its variables read from its stdout: (process, url, token).
fn start_server(home: &Path, profile: &str, extra: &[&str]) -> (Child, String, String) {
    let mut child = awsenv(home)
        .args(["serve", profile, "--shell", "bash"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut url, mut token) = (None, None);
    while url.is_none() || token.is_none() {
        let line = lines.next().expect("serve prints its variables").unwrap();
        let value = |l: &str| l.split_once('=').unwrap().1.trim_matches('\'').to_owned();
        if line.starts_with("export AWS_CONTAINER_CREDENTIALS_FULL_URI=") {
            url = Some(value(&line));
        } else if line.starts_with("export AWS_CONTAINER_AUTHORIZATION_TOKEN=") {
            token = Some(value(&line));
        }
    }
    (child, url.unwrap(), token.unwrap())
}

/// One raw request: (status, body).
fn get(url: &str, head: &str) -> (u16, String) {
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).unwrap();
    stream.write_all(head.replace("ADDRESS", address).as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    (status, answer.split("\r\n\r\n").nth(1).unwrap_or("").to_owned())
}

fn credentials_request(token: &str) -> String {
    format!("GET / HTTP/1.1\r\nHost: ADDRESS\r\nAuthorization: {token}\r\n\r\n")
}

#[test]
fn sixteen_clients_polling_one_server_make_one_sts_call_per_expiry() {
    let mock = Mock::start(vec![]);
    mock.set_lifetime(LIFETIME);
    let home = home_for(&mock);
    let (mut server, url, token) = start_server(home.path(), "role", &["--print"]);
    let seconds = 35;
    let end = Instant::now() + Duration::from_secs(seconds);
    let clients: Vec<_> = (0..16)
        .map(|_| {
            let (url, token) = (url.clone(), token.clone());
            std::thread::spawn(move || {
                let mut keys = Vec::new();
                while Instant::now() < end {
                    let (status, body) = get(&url, &credentials_request(&token));
                    assert_eq!(status, 200, "{body}");
                    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                    let expiration = time::OffsetDateTime::parse(
                        v["Expiration"].as_str().unwrap(),
                        &time::format_description::well_known::Rfc3339,
                    )
                    .unwrap();
                    assert!(expiration > time::OffsetDateTime::now_utc(), "never expired credentials");
                    keys.push(v["AccessKeyId"].as_str().unwrap().to_owned());
                    std::thread::sleep(Duration::from_millis(50));
                }
                keys
            })
        })
        .collect();
    let answers: Vec<String> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    server.kill().unwrap();
    let _ = server.wait();
    assert!(answers.len() > 16 * 100, "{} answers", answers.len());
    let assumed = mock.calls() as u64;
    assert!(assumed <= seconds / LIFETIME as u64 + 2, "{assumed} AssumeRole calls for {} requests", answers.len());
    assert!(assumed >= 2, "the credentials were renewed");
}

#[test]
fn requests_without_the_token_or_for_another_host_are_refused_and_leak_nothing() {
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    let (mut server, url, token) = start_server(home.path(), "role", &["--print"]);
    let cache = home.path().join(".cache/awsenv");
    let entries_before = listing(&cache);
    let wrong = "0".repeat(token.len());
    let port = url.trim_end_matches('/').rsplit(':').next().unwrap().to_owned();
    for (what, head, status) in [
        ("no token", "GET / HTTP/1.1\r\nHost: ADDRESS\r\n\r\n".to_owned(), 401),
        ("a wrong token", credentials_request(&wrong), 403),
        ("half the token", credentials_request(&token[..32]), 403),
        (
            "two tokens",
            format!("GET / HTTP/1.1\r\nHost: ADDRESS\r\nAuthorization: {token}\r\nAuthorization: {token}\r\n\r\n"),
            400,
        ),
        (
            "another host (DNS rebinding)",
            format!("GET / HTTP/1.1\r\nHost: evil.example:{port}\r\nAuthorization: {token}\r\n\r\n"),
            403,
        ),
        ("no host", format!("GET / HTTP/1.0\r\nAuthorization: {token}\r\n\r\n"), 403),
        (
            "another path",
            format!("GET /latest/meta-data HTTP/1.1\r\nHost: ADDRESS\r\nAuthorization: {token}\r\n\r\n"),
            404,
        ),
        ("another method", format!("POST / HTTP/1.1\r\nHost: ADDRESS\r\nAuthorization: {token}\r\n\r\n"), 405),
        ("not HTTP", "hello\r\n\r\n".to_owned(), 400),
    ] {
        let (got, body) = get(&url, &head);
        assert_eq!(got, status, "{what}: {body}");
        for secret in ["mock-secret", "mock-token", "ASIAMOCK", token.as_str()] {
            assert!(!body.contains(secret), "{what}: the answer holds {secret}: {body}");
        }
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: {e}: {body}"));
        assert!(v["code"].is_string() && v["message"].is_string(), "{what}: {body}");
    }
    let (got, body) = get(&url, &credentials_request(&token));
    assert_eq!(got, 200, "{body}");
    assert!(body.contains("\"Token\":\"mock-token-1\""), "{body}");
    let localhost = url.replace("127.0.0.1", "localhost");
    let (got, _) = get(
        &url,
        &credentials_request(&token).replace("ADDRESS", localhost.trim_start_matches("http://").trim_end_matches('/')),
    );
    assert_eq!(got, 200, "Host: localhost:PORT is this endpoint too");
    assert_eq!(mock.calls(), 1, "refused requests cost nothing");
    assert_eq!(listing(&cache), entries_before, "refused requests leave the cache untouched");
    server.kill().unwrap();
    let mut err = String::new();
    server.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(!err.contains(&token) && !err.contains("mock-secret"), "{err}");
}

/// botocore's container provider, resolving anew `times` times against the endpoint.
const BOTOCORE_POLLS: &str = r#"
import sys, botocore.session
for _ in range(int(sys.argv[1])):
    credentials = botocore.session.Session().get_credentials()
    assert credentials.method == "container-role", credentials.method
    assert credentials.get_frozen_credentials().access_key.startswith("ASIA")
print("ok")
"#;

#[test]
fn two_hundred_silent_or_trickling_clients_do_not_starve_an_sdk_polling_the_endpoint() {
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    let (mut server, url, token) = start_server(home.path(), "role", &["--print"]);
    let address = url.trim_start_matches("http://").trim_end_matches('/').to_owned();
    // Another local user: 200 connections that send nothing or a byte at a time, each kept
    // going until the SDK is done (a per-read timeout never ends them).
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut crowd: Vec<TcpStream> = (0..200).map(|_| TcpStream::connect(&address).unwrap()).collect();
    let trickling = {
        let done = done.clone();
        let tricklers: Vec<TcpStream> = crowd.drain(100..).collect();
        std::thread::spawn(move || {
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                for mut t in &tricklers {
                    let _ = t.write_all(b"G");
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        })
    };
    let out = Command::new("python3")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home.path().join("empty"))
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)
        .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", &token)
        .args(["-c", BOTOCORE_POLLS, "20"])
        .output()
        .unwrap();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    trickling.join().unwrap();
    drop(crowd);
    server.kill().unwrap();
    let _ = server.wait();
    assert!(out.status.success(), "botocore: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
}

#[test]
fn the_command_of_exec_server_ends_with_its_server_even_when_the_server_is_killed() {
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    let pid_file = home.path().join("command.pid");
    let mut server = awsenv(home.path())
        .args(["exec", "--server", "role", "--", "sh", "-c"])
        .arg(format!("echo $$ > '{}'; exec sleep 300", pid_file.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::read_to_string(&pid_file).map_or(true, |t| !t.ends_with('\n')) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_owned();
    // SIGKILL, as the OOM killer would: awsenv gets no chance to pass anything on.
    server.kill().unwrap();
    let _ = server.wait();
    let alive = |pid: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
    };
    while alive(&pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(&pid), "the command would run on with a URL to a port anyone can bind next");
}

#[test]
fn with_the_config_copy_off_a_served_process_still_gets_no_default_credentials() {
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    // [default] has a credential_process (/bin/false) and keys: botocore must use the endpoint.
    let out = run(awsenv(home.path())
        .args(["exec", "--server", "role", "--", "python3", "-c", BOTOCORE_POLLS, "2"])
        .env("AWSENV_CONFIG_COPY", "off"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "ok");
}

/// The credentials copies in the cache (not their lock files).
fn credentials_copies(home: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(home.join(".cache/awsenv"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("credentials-"))
        .filter(|p| p.extension().is_none())
        .collect()
}

fn terminate(server: &mut Child) {
    assert!(Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap().success());
    let _ = server.wait();
}

#[test]
fn the_credentials_copy_is_held_by_its_servers_and_goes_with_the_last() {
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[default]\naws_access_key_id = AKIADEFAULTDEFAULT00\naws_secret_access_key = default-secret\n\n\
         [other]\naws_access_key_id = AKIAOTHEROTHEROTHER0\naws_secret_access_key = other-secret\n",
    )
    .unwrap();
    let (mut first, ..) = start_server(home.path(), "role", &["--print"]);
    let (mut second, ..) = start_server(home.path(), "role", &["--print"]);
    let copies = credentials_copies(home.path());
    assert_eq!(copies.len(), 1, "one copy, shared: {copies:?}");
    assert!(std::fs::read_to_string(&copies[0]).unwrap().contains("other-secret"), "--profile other needs it");
    terminate(&mut first);
    assert_eq!(credentials_copies(home.path()), copies, "the second server still holds it");
    // `keys import` takes the key out of the file: the held copy is made again without it.
    let out = run(awsenv(home.path())
        .args(["keys", "import", "other", "--store", "file"])
        .env("AWSENV_FILE_PASSPHRASE", "pp"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!std::fs::read_to_string(&copies[0]).unwrap().contains("other-secret"), "no copy keeps the imported key");
    terminate(&mut second);
    assert!(credentials_copies(home.path()).is_empty(), "the last server removed it");

    // exec --server: the copy goes when the command ends; a killed server's copy goes with the
    // next server's end.
    let out = run(awsenv(home.path()).args([
        "exec",
        "--server",
        "role",
        "--",
        "sh",
        "-c",
        "test -f \"$AWS_SHARED_CREDENTIALS_FILE\"",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(credentials_copies(home.path()).is_empty(), "exec --server removed its copy");
    let (mut killed, ..) = start_server(home.path(), "role", &["--print"]);
    killed.kill().unwrap();
    let _ = killed.wait();
    assert_eq!(credentials_copies(home.path()).len(), 1);
    assert!(run(awsenv(home.path()).args(["exec", "--server", "role", "--", "true"])).status.success());
    assert!(credentials_copies(home.path()).is_empty(), "nothing holds a killed server's copy");
}

#[test]
fn inside_a_serve_shell_awsenv_reads_the_users_credentials_file_not_the_copy() {
    let home = home_with("", "[realonly]\naws_access_key_id = AKIAREALREALREALREAL\naws_secret_access_key = r\n");
    let copy = home.path().join("copy");
    std::fs::write(&copy, "[copyonly]\naws_access_key_id = AKIACOPYCOPYCOPYCOPY\naws_secret_access_key = c\n").unwrap();
    let out = run(awsenv(home.path()).args(["list", "--json"]).env("AWS_SHARED_CREDENTIALS_FILE", &copy).env(
        "AWSENV_VARS",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_SHARED_CREDENTIALS_FILE",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\"realonly\"") && !text.contains("copyonly"), "{text}");
}

/// Names and mtimes in a directory.
fn listing(dir: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut all: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().modified().unwrap()))
        .collect();
    all.sort();
    all
}

#[test]
fn only_loopback_is_bound_two_servers_run_side_by_side_and_a_taken_port_is_an_error() {
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    for address in ["0.0.0.0", "192.0.2.7", "::"] {
        let out = run(awsenv(home.path()).args(["exec", "--server", "--bind", address, "role", "--", "true"]));
        assert_eq!(out.status.code(), Some(2), "{address}: {}", stderr(&out));
        assert!(stderr(&out).contains("is not a loopback address"), "{}", stderr(&out));
    }
    let out = run(awsenv(home.path()).args(["exec", "--port", "1", "role", "--", "true"]));
    assert_eq!(out.status.code(), Some(2), "--port without --server: {}", stderr(&out));

    let (mut first, url_one, token_one) = start_server(home.path(), "role", &["--print"]);
    let (mut second, url_two, token_two) = start_server(home.path(), "role", &["--print"]);
    assert_ne!(url_one, url_two);
    assert_ne!(token_one, token_two);
    assert_eq!(get(&url_one, &credentials_request(&token_one)).0, 200);
    assert_eq!(get(&url_two, &credentials_request(&token_two)).0, 200);
    assert_eq!(get(&url_two, &credentials_request(&token_one)).0, 403, "each has its own token");
    assert_eq!(mock.calls(), 1, "one shared cache");

    let port = url_one.trim_end_matches('/').rsplit(':').next().unwrap();
    let out = run(awsenv(home.path()).args(["serve", "role", "--print", "--port", port]));
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains(&format!("cannot listen on 127.0.0.1:{port}")), "{}", stderr(&out));
    for server in [&mut first, &mut second] {
        server.kill().unwrap();
        let _ = server.wait();
    }
}

#[test]
fn a_renewal_that_needs_a_person_or_a_dead_sts_is_an_answer_not_a_hang() {
    // The MFA session (GetSessionToken) and the role both end in 8 s: renewing needs a new code.
    let mock = Mock::start(vec![Reply::ExpiringIn(8), Reply::ExpiringIn(8)]);
    let config = format!(
        "{}[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/m\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\nservices = mock\n",
        role_config(&mock.endpoint)
    );
    let home = home_with(&config, "");
    let (mut server, url, token) = start_server(home.path(), "mfa", &["--print", "--mfa-code", "123456"]);
    let server_stderr = server.stderr.take().unwrap();
    assert_eq!(get(&url, &credentials_request(&token)).0, 200);
    std::thread::sleep(Duration::from_secs(8));
    let started = Instant::now();
    let (status, body) = get(&url, &credentials_request(&token));
    assert!(started.elapsed() < Duration::from_secs(2), "answered at once");
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("renewing needs a code from MFA device"), "{body}");
    assert!(body.contains("awsenv use"), "it says what to run: {body}");
    assert_eq!(mock.calls(), 2, "no call without the code");
    server.kill().unwrap();
    let _ = server.wait();
    let mut err = String::new();
    BufReader::new(server_stderr).read_to_string(&mut err).unwrap();
    assert_eq!(err.matches("renewing needs a code").count(), 1, "said once on the server's stderr: {err}");

    // STS down at renewal: an answer naming STS; the cache keeps what it had.
    let mock = Mock::start(vec![Reply::ExpiringIn(8)]);
    let home = home_for(&mock);
    let (mut server, url, token) = start_server(home.path(), "role", &["--print"]);
    for _ in 0..20 {
        mock.push(Reply::Status(503, support::mock::sts_error("ServiceUnavailable", "down")));
    }
    let cache = home.path().join(".cache/awsenv");
    let before = listing(&cache);
    std::thread::sleep(Duration::from_secs(8));
    let (status, body) = get(&url, &credentials_request(&token));
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("ServiceUnavailable"), "{body}");
    assert!(!body.contains("mock-secret"), "{body}");
    let entries = |l: &[(String, std::time::SystemTime)]| {
        l.iter().filter(|(n, _)| n.ends_with(".json")).cloned().collect::<Vec<_>>()
    };
    assert_eq!(entries(&listing(&cache)), entries(&before), "the cached entry is untouched");
    server.kill().unwrap();
    let _ = server.wait();
}

#[test]
fn exec_server_passes_status_and_signals_through_and_leaves_nothing_behind() {
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    let out = run(awsenv(home.path()).args(["exec", "--server", "role", "--", "sh", "-c", "exit 7"]));
    assert_eq!(out.status.code(), Some(7));
    let out = run(awsenv(home.path()).args(["exec", "--server", "role", "--", "sh", "-c", "kill -TERM $$"]));
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&out.status), Some(libc::SIGTERM), "{:?}", out.status);

    // A signal sent to awsenv reaches the command, which decides how to end.
    let mut child = awsenv(home.path())
        .args(["exec", "--server", "role", "--", "sh", "-c"])
        .arg("trap 'exit 42' TERM; echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI $$\"; while :; do sleep 0.1; done")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let (url, command_pid) = line.trim().split_once(' ').unwrap();
    let address = url.trim_start_matches("http://").trim_end_matches('/').to_owned();
    assert!(TcpStream::connect(&address).is_ok(), "the endpoint is up while the command runs");
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(42), "{status:?}");
    assert!(TcpStream::connect(&address).is_err(), "the endpoint is gone with the command");
    assert!(!Path::new(&format!("/proc/{command_pid}")).exists(), "no orphan");
}

#[test]
fn serve_detach_lives_as_long_as_its_shell_and_stop_ends_it() {
    let Some(bash) = support::shells::find("bash") else { return };
    if !support::python_has("botocore") {
        return;
    }
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    let bin = Path::new(env!("CARGO_BIN_EXE_awsenv")).parent().unwrap();
    let script = r#"
        export AWS_ACCESS_KEY_ID=AKIAOLDKEYOLDKEY0000 AWS_SECRET_ACCESS_KEY=old
        eval "$(awsenv serve role --detach)" || exit 9
        [ -z "${AWS_ACCESS_KEY_ID-}" ] || { echo "keys still exported"; exit 8; }
        python3 -c 'import botocore.session; print(botocore.session.get_session().get_credentials().get_frozen_credentials().access_key)'
        echo "server $AWSENV_SERVER"
        eval "$(awsenv serve --stop)"
        echo "after ${AWS_CONTAINER_CREDENTIALS_FULL_URI-none} ${AWS_ACCESS_KEY_ID-none}"
        eval "$(awsenv serve role --detach)"
        echo "second $AWSENV_SERVER"
    "#;
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = run(Command::new(bash)
        .args(["--norc", "--noprofile", "-c", script])
        .env_clear()
        .env("PATH", path)
        .env("HOME", home.path())
        .env("AWSENV_CACHE_DIR", home.path().join(".cache/awsenv")));
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("ASIAMOCK"), "botocore got the endpoint's keys: {text}");
    let pid_of = |value: &str| -> u32 { value.split(':').next().unwrap().parse().unwrap() };
    let first = pid_of(lines[1].strip_prefix("server ").unwrap());
    assert_eq!(lines[2], "after none AKIAOLDKEYOLDKEY0000", "stop gives the shell back as it was: {text}");
    let second = pid_of(lines[3].strip_prefix("second ").unwrap());
    let gone = |pid: u32| {
        let until = Instant::now() + Duration::from_secs(5);
        while Instant::now() < until {
            if !Path::new(&format!("/proc/{pid}")).exists() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    assert!(gone(first), "serve --stop ended the first server");
    assert!(gone(second), "the second ended with its shell");
    assert!(credentials_copies(home.path()).is_empty(), "and took its copy of the credentials file with it");
}

/// Drives an interactive bash in a pseudo-terminal: a nested interactive bash with the same
/// command line starts a detached server and exits; prints the server's pid and whether it was
/// gone once the nested shell had ended (while the outer one lives on). Each step waits for the
/// output of the one before (a computed marker, not the echo of what was typed).
const NESTED_SHELL_DRIVER: &str = r#"
import os, pty, re, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
seen = b""
def wait_for(pattern, limit=60):
    global seen
    end = time.time() + limit
    while time.time() < end:
        m = re.search(pattern, seen)
        if m:
            seen = seen[m.end():]
            return m
        ready, _, _ = select.select([fd], [], [], 0.2)
        if fd in ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    sys.exit("never saw " + pattern.decode() + ": " + seen.decode(errors="replace"))
def send(line):
    os.write(fd, line.encode() + b"\n")
send("echo outer-$((40+2))")
wait_for(rb"outer-42")
send("bash --norc --noprofile -i")
send("echo nested-$((40+3))")
wait_for(rb"nested-43")
send('eval "$(awsenv serve role --detach)"; echo "server=${AWSENV_SERVER%%:*}-$((1+1))"')
server = int(wait_for(rb"server=(\d+)-2").group(1))
send("exit")
send("echo back-$((40+4))")
wait_for(rb"back-44")
end = time.time() + 30
while time.time() < end and os.path.exists("/proc/%d" % server):
    time.sleep(0.1)
print(server, "gone" if not os.path.exists("/proc/%d" % server) else "alive")
send("exit")
os.waitpid(pid, 0)
"#;

#[test]
fn serve_detach_in_a_nested_shell_ends_with_that_shell() {
    if support::shells::find("bash").is_none() {
        assert!(!support::in_ci(), "bash is missing in CI");
        return;
    }
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    let bin = Path::new(env!("CARGO_BIN_EXE_awsenv")).parent().unwrap();
    let out = Command::new("python3")
        .args(["-c", NESTED_SHELL_DRIVER])
        .env_clear()
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()))
        .env("HOME", home.path())
        .env("PS1", "$ ")
        .env("AWSENV_CACHE_DIR", home.path().join(".cache/awsenv"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.trim().ends_with("gone"), "the server outlived the shell that started it: {text}");
}

#[test]
fn serve_stop_gives_back_the_profile_the_shell_had_before() {
    let Some(bash) = support::shells::find("bash") else {
        assert!(!support::in_ci(), "bash is missing in CI");
        return;
    };
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    let bin = Path::new(env!("CARGO_BIN_EXE_awsenv")).parent().unwrap();
    let script = r#"
        eval "$(awsenv use base)" || exit 9
        echo "before $AWSENV_PROFILE $AWS_ACCESS_KEY_ID"
        eval "$(awsenv serve role --detach)" || exit 8
        echo "served $AWSENV_PROFILE ${AWS_ACCESS_KEY_ID-none}"
        eval "$(awsenv serve --stop)" || exit 7
        echo "after $AWSENV_PROFILE ${AWS_ACCESS_KEY_ID-none} ${AWSENV_SERVER-none} ${AWS_CONTAINER_CREDENTIALS_FULL_URI-none}"
        eval "$(awsenv use -)" || exit 6
        echo "dash $AWSENV_PROFILE"
    "#;
    let out = run(Command::new(bash)
        .args(["--norc", "--noprofile", "-c", script])
        .env_clear()
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()))
        .env("HOME", home.path())
        .env("AWSENV_CACHE_DIR", home.path().join(".cache/awsenv")));
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "before base AKIAIOSFODNN7EXAMPLE", "{text}");
    assert_eq!(lines[1], "served role none", "{text}");
    assert_eq!(lines[2], "after base AKIAIOSFODNN7EXAMPLE none none", "the shell is as it was: {text}");
    assert_eq!(lines[3], "dash role", "{text}");
}

#[test]
fn long_term_keys_are_not_served() {
    let mock = Mock::start(vec![]);
    let home = home_for(&mock);
    let out = run(awsenv(home.path()).args(["exec", "--server", "base", "--", "true"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("long-term keys"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
}
