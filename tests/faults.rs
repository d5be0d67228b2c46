//! STS misbehaving, on a scripted loopback server: retries where they can help, one clear error
//! where they cannot, the cache left as it was, and many shells making one call between them.

mod support;

use std::time::{Duration, Instant};

use support::mock::{Mock, Reply, sts_error};
use support::{awsenv, home_with, run, stderr, stdout};

fn home_for(endpoint: &str) -> tempfile::TempDir {
    home_with(&support::mock::role_config(endpoint), "")
}

/// One failing `use`: exit 1, nothing on stdout, one line on stderr containing `words`.
fn assert_fails(out: &std::process::Output, words: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    for w in words {
        assert!(err.contains(w), "{err:?} should contain {w:?}");
    }
    assert!(!err.contains("base-secret") && !err.contains("mock-secret"), "{err}");
}

#[test]
fn server_errors_and_throttling_are_retried() {
    let mock = Mock::start(vec![
        Reply::Status(500, "oops".into()),
        Reply::Status(400, sts_error("Throttling", "Rate exceeded")),
    ]);
    let home = home_for(&mock.endpoint);
    let out = run(awsenv(home.path()).args(["use", "role"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mock.calls(), 3, "two failures, then success");
    assert!(stdout(&out).contains("ASIAMOCK000000000003"));
}

#[test]
fn retries_stop_after_three_attempts() {
    let mock = Mock::start(vec![Reply::Status(503, "down".into()); 5]);
    let home = home_for(&mock.endpoint);
    assert_fails(&run(awsenv(home.path()).args(["use", "role"])), &["profile \"role\"", "HTTP 503", "try again"]);
    assert_eq!(mock.calls(), 3);
}

#[test]
fn access_denied_is_not_retried_and_says_why() {
    let mock = Mock::start(vec![Reply::Status(
        403,
        sts_error("AccessDenied", "User is not authorized to perform: sts:AssumeRole"),
    )]);
    let home = home_for(&mock.endpoint);
    assert_fails(
        &run(awsenv(home.path()).args(["use", "role"])),
        &["AccessDenied: User is not authorized", "HTTP 403", "trust policy", "~/.aws/config:6"],
    );
    assert_eq!(mock.calls(), 1);
}

#[test]
fn garbage_hangups_refusals_and_stalls_are_clear_errors() {
    let mock = Mock::start(vec![Reply::Status(200, "<html>captive portal</html>".into())]);
    let home = home_for(&mock.endpoint);
    assert_fails(&run(awsenv(home.path()).args(["use", "role"])), &["cannot read"]);

    let mock = Mock::start(vec![Reply::Hangup; 3]);
    let home = home_for(&mock.endpoint);
    assert_fails(&run(awsenv(home.path()).args(["use", "role"])), &["STS AssumeRole at"]);
    assert_eq!(mock.calls(), 3, "a dropped connection is retried");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let home = home_for(&format!("http://{closed}"));
    assert_fails(&run(awsenv(home.path()).args(["use", "role"])), &["could not connect"]);

    let mock = Mock::start(vec![Reply::Slow(Duration::from_secs(5)); 3]);
    let home = home_for(&mock.endpoint);
    let started = Instant::now();
    assert_fails(&run(awsenv(home.path()).args(["use", "role"]).env("AWSENV_HTTP_TIMEOUT", "0.3")), &["timed out"]);
    assert!(started.elapsed() < Duration::from_secs(4), "bounded: {:?}", started.elapsed());
}

#[test]
fn a_failed_refresh_leaves_the_cached_credentials_alone() {
    let mock = Mock::start(vec![]);
    let home = home_for(&mock.endpoint);
    let good = stdout(&run(awsenv(home.path()).args(["use", "role"])));
    mock.push(Reply::Status(500, "x".into()));
    mock.push(Reply::Status(500, "x".into()));
    mock.push(Reply::Status(500, "x".into()));
    assert_fails(&run(awsenv(home.path()).args(["use", "role", "--refresh"])), &["HTTP 500"]);
    assert_eq!(stdout(&run(awsenv(home.path()).args(["use", "role"]))), good);
    assert_eq!(mock.calls(), 4);
}

#[test]
fn thirty_two_shells_refreshing_at_once_make_one_call() {
    let mock = Mock::start(vec![Reply::Slow(Duration::from_millis(300))]);
    let home = home_for(&mock.endpoint);
    let children: Vec<_> = (0..32)
        .map(|_| {
            awsenv(home.path())
                .args(["use", "role"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    for out in &outputs {
        assert!(out.status.success(), "{}", stderr(out));
        assert_eq!(out.stdout, outputs[0].stdout, "every shell gets the same credentials");
    }
    assert_eq!(mock.calls(), 1, "exactly one AssumeRole between them");
    let entries: Vec<_> = std::fs::read_dir(home.path().join(".cache/awsenv"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(entries.len(), 1);
    let entry: serde_json::Value = serde_json::from_slice(&std::fs::read(entries[0].path()).unwrap()).unwrap();
    assert_eq!(entry["credentials"]["AccessKeyId"], "ASIAMOCK000000000001");
}

#[test]
fn the_hook_does_not_wait_for_another_refresh() {
    let mock = Mock::start(vec![Reply::Slow(Duration::from_secs(10))]);
    let home = home_for(&mock.endpoint);
    let slow = awsenv(home.path()).args(["use", "role"]).stdout(std::process::Stdio::piped()).spawn().unwrap();
    // The state to test in: the slow renewal's request has reached STS, so it holds the lock.
    let deadline = Instant::now() + Duration::from_secs(60);
    while mock.calls() == 0 {
        assert!(Instant::now() < deadline, "the first use never reached STS");
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = Instant::now();
    let hook = run(awsenv(home.path()).args(["use", "role", "--hook"]));
    assert!(started.elapsed() < Duration::from_secs(5), "the hook gave up, not waited 10 s: {:?}", started.elapsed());
    assert_fails(&hook, &["another awsenv is still renewing"]);
    assert!(slow.wait_with_output().unwrap().status.success());
    assert_eq!(mock.calls(), 1);
}

#[test]
fn cache_permissions_hold_under_umask_000() {
    use std::os::unix::fs::PermissionsExt;
    let mock = Mock::start(vec![]);
    let home = home_for(&mock.endpoint);
    let cache = home.path().join("fresh/nested/cache");
    let bin = env!("CARGO_BIN_EXE_awsenv");
    let out = run(std::process::Command::new("sh")
        .args(["-c", "umask 000; exec \"$0\" use role", bin])
        .env_clear()
        .env("HOME", home.path())
        .env("AWSENV_CACHE_DIR", &cache)
        .env("PATH", std::env::var_os("PATH").unwrap()));
    assert!(out.status.success(), "{}", stderr(&out));
    for dir in [&cache, &home.path().join("fresh"), &home.path().join("fresh/nested")] {
        assert_eq!(std::fs::metadata(dir).unwrap().permissions().mode() & 0o777, 0o700, "{}", dir.display());
    }
    for entry in std::fs::read_dir(&cache).unwrap().flatten() {
        assert_eq!(entry.metadata().unwrap().permissions().mode() & 0o777, 0o600, "{}", entry.path().display());
    }
}

#[test]
fn the_background_refresher_renews_ahead_silently_and_alone() {
    let mock = Mock::start(vec![]);
    let home = home_for(&mock.endpoint);
    let first = stdout(&run(awsenv(home.path()).args(["use", "role"])));
    assert_eq!(mock.calls(), 1);
    // Credentials with an hour left are not renewed by the default 20-minute look-ahead.
    let quiet = run(awsenv(home.path()).args(["refresh", "role"]));
    assert!(quiet.status.success() && quiet.stdout.is_empty() && quiet.stderr.is_empty());
    assert_eq!(mock.calls(), 1);
    // Looking two hours ahead, they are; the next `use` is then a cache read of the new ones.
    assert!(run(awsenv(home.path()).args(["refresh", "role"]).env("AWSENV_REFRESH_AHEAD", "7200")).stdout.is_empty());
    assert_eq!(mock.calls(), 2);
    let after = stdout(&run(awsenv(home.path()).args(["use", "role"])));
    assert_ne!(after, first);
    assert!(after.contains("ASIAMOCK000000000002"));
    assert_eq!(mock.calls(), 2);
    // Two refreshers at once: one works, the other gives way.
    mock.push(Reply::Slow(Duration::from_millis(800)));
    let spawn = || awsenv(home.path()).args(["refresh", "role"]).env("AWSENV_REFRESH_AHEAD", "7200").spawn().unwrap();
    let (a, b) = (spawn(), spawn());
    assert!(a.wait_with_output().unwrap().status.success() && b.wait_with_output().unwrap().status.success());
    assert_eq!(mock.calls(), 3);
}
