//! Many shells at once and sudden death: 64 processes × 10 rounds make exactly one STS call per
//! expiry; a lock holder killed with SIGKILL blocks nobody; 100 refreshes killed at random
//! moments leave every cache entry whole (or absent) and private, even under umask 000.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use support::mock::{Mock, Reply};
use support::{awsenv, home_with};

fn role_home(mock: &Mock) -> tempfile::TempDir {
    home_with(&support::mock::role_config(&mock.endpoint), "")
}

fn spawn(home: &Path, args: &[&str], umask_zero: bool) -> Child {
    let mut cmd = awsenv(home);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    if umask_zero {
        // SAFETY: umask is async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                libc::umask(0);
                Ok(())
            });
        }
    }
    cmd.spawn().unwrap()
}

/// Every cache entry parses as one of ours and is private; the directory is private.
fn assert_cache_whole(home: &Path) -> usize {
    let dir = home.join(".cache/awsenv");
    let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    let mut whole = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
        if name.ends_with(".json") && !name.starts_with('.') {
            let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap())
                .unwrap_or_else(|e| panic!("a torn cache entry {name}: {e}"));
            assert!(value["credentials"]["AccessKeyId"].is_string(), "{name}: {value}");
            whole += 1;
        }
    }
    whole
}

#[test]
fn sixty_four_processes_ten_rounds_one_call_per_expiry() {
    // Each answer expires in 303 s: fresh for 3 s under the 5-minute margin, then due again.
    let mock = Mock::start((0..10).map(|_| Reply::ExpiringIn(303)).collect());
    let home = role_home(&mock);
    for round in 1..=10 {
        let started = Instant::now();
        let children: Vec<Child> = (0..64).map(|_| spawn(home.path(), &["use", "role"], false)).collect();
        let mut keys = std::collections::BTreeSet::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8(out.stdout).unwrap();
            keys.insert(text.lines().next().unwrap().to_owned());
        }
        assert_eq!(mock.calls(), round, "round {round}: one call among 64 processes");
        assert_eq!(keys.len(), 1, "round {round}: every process got the same credentials: {keys:?}");
        assert_eq!(assert_cache_whole(home.path()), 1);
        // Wait until this round's credentials are inside the renewal margin.
        std::thread::sleep(Duration::from_millis(3300).saturating_sub(started.elapsed()));
    }
}

#[test]
fn a_lock_holder_killed_with_sigkill_blocks_nobody() {
    let mock = Mock::start(vec![Reply::Slow(Duration::from_secs(20))]);
    let home = role_home(&mock);
    let mut holder = spawn(home.path(), &["use", "role"], false);
    let deadline = Instant::now() + Duration::from_secs(10);
    while mock.calls() == 0 {
        assert!(Instant::now() < deadline, "the first process never reached STS");
        std::thread::sleep(Duration::from_millis(10));
    }
    // SAFETY: kill with a pid we own.
    unsafe { libc::kill(holder.id() as i32, libc::SIGKILL) };
    holder.wait().unwrap();
    let started = Instant::now();
    let out = spawn(home.path(), &["use", "role"], false).wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(started.elapsed() < Duration::from_secs(5), "waited {:?} on a dead holder's lock", started.elapsed());
}

#[test]
fn a_hundred_refreshes_killed_at_random_leave_the_cache_whole_and_private() {
    // Each answer takes 40 ms, so that a kill within the first 40 ms of a run lands while it is
    // waiting on STS or writing, however fast the machine runs the rest.
    let mock = Mock::start(vec![Reply::Slow(Duration::from_millis(40)); 102]);
    let home = role_home(&mock);
    // A first entry, so that the killed refreshes have something to tear if they could.
    assert!(spawn(home.path(), &["use", "role"], true).wait().unwrap().success());
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut killed_mid_run = 0;
    for _ in 0..100 {
        let mut child = spawn(home.path(), &["use", "role", "--refresh"], true);
        std::thread::sleep(Duration::from_micros(next() % 40_000));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        // SAFETY: kill with a pid we own.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        child.wait().unwrap();
        assert!(assert_cache_whole(home.path()) <= 2);
    }
    assert!(killed_mid_run > 50, "most kills must land mid-run: {killed_mid_run}");
    // And the cache still serves: the next run succeeds from it or renews it.
    let out = spawn(home.path(), &["use", "role"], true).wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(assert_cache_whole(home.path()), 1);
}
