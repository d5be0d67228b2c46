//! `awsenv sso sync` of 1,500 roles (500 accounts × 3) against a loopback portal that takes
//! 20 ms per request: wall time and requests made, for several numbers of requests at a time,
//! next to the floor (ListAccounts' pages one after another, then one ListAccountRoles per
//! account spread over the workers); and against a portal that throttles past 20 and past 50
//! requests a second, next to the floor that quota sets (requests ÷ rate), with the throttled
//! answers counted. Run with `cargo bench --bench sso_sync`; writes `target/bench-sso-sync.md`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod common;
use common::{machine, start_portal};

const ACCOUNTS: usize = 500;
const ROLES: usize = 3;
const LATENCY: Duration = Duration::from_millis(20);
const RUNS: usize = 3;

fn main() {
    let mut table = String::new();
    writeln!(table, "| portal | requests at a time | median wall time | requests (throttled) | floor | vs floor |")
        .unwrap();
    writeln!(table, "|---|---:|---:|---:|---:|---:|").unwrap();
    let pages = ACCOUNTS.div_ceil(100);
    let needed = pages + ACCOUNTS;
    // Unthrottled: the floor is the latency of ListAccounts' pages one after another, then of
    // one ListAccountRoles per account spread over the workers.
    let (portal, calls, throttled) = start_portal(ACCOUNTS, ROLES, LATENCY, None);
    for workers in [1usize, 8, 16, 32] {
        let floor = LATENCY * pages as u32 + LATENCY * ACCOUNTS.div_ceil(workers) as u32;
        let row = measure(&portal, &calls, &throttled, workers);
        push_row(&mut table, "unthrottled", workers, row, needed, floor);
    }
    // Throttled as IAM Identity Center throttles: at most RATE requests accepted a second. The
    // floor is what that quota allows: the requests needed ÷ the rate.
    for rate in [20usize, 50] {
        let (portal, calls, throttled) = start_portal(ACCOUNTS, ROLES, LATENCY, Some(rate));
        let floor = Duration::from_secs_f64(needed as f64 / rate as f64);
        // awsenv's default width (AWSENV_SSO_WORKERS unset).
        let row = measure(&portal, &calls, &throttled, 8);
        push_row(&mut table, &format!("{rate} requests/s"), 8, row, needed, floor);
    }
    let report = format!(
        "Machine: {}\n\n{ACCOUNTS} accounts × {ROLES} roles, {} ms per portal request, median of {RUNS} whole `sso sync` runs into an empty config.\n\n{table}",
        machine(),
        LATENCY.as_millis()
    );
    print!("{report}");
    let _ = std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-sso-sync.md"), report);
}

/// (median wall time, requests made, requests throttled) of RUNS syncs with `workers`.
fn measure(portal: &str, calls: &AtomicUsize, throttled: &AtomicUsize, workers: usize) -> (Duration, usize, usize) {
    let mut times = Vec::new();
    let (mut made, mut refused) = (0, 0);
    for _ in 0..RUNS {
        let home = std::env::temp_dir().join(format!("awsenv-bench-sync-{}-{workers}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        prepare(&home);
        let (before, throttled_before) = (calls.load(Ordering::SeqCst), throttled.load(Ordering::SeqCst));
        let started = Instant::now();
        // AWSENV_BENCH_BIN times another build (an older one, for a before and after).
        let bin = std::env::var_os("AWSENV_BENCH_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_awsenv").into());
        let out = Command::new(bin)
            .args(["sso", "sync", "--sso-session", "corp"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("AWSENV_CACHE_DIR", home.join("cache"))
            .env("AWS_ENDPOINT_URL_SSO", portal)
            .env("AWSENV_SSO_WORKERS", workers.to_string())
            .output()
            .unwrap();
        times.push(started.elapsed());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        made = calls.load(Ordering::SeqCst) - before;
        refused = throttled.load(Ordering::SeqCst) - throttled_before;
        let _ = std::fs::remove_dir_all(&home);
    }
    times.sort();
    (times[RUNS / 2], made, refused)
}

fn push_row(
    table: &mut String,
    portal: &str,
    workers: usize,
    row: (Duration, usize, usize),
    needed: usize,
    floor: Duration,
) {
    let (median, made, refused) = row;
    writeln!(
        table,
        "| {portal} | {workers} | {:.2} s | {made} ({refused}; {needed} needed) | {:.2} s | {:.2}x |",
        median.as_secs_f64(),
        floor.as_secs_f64(),
        median.as_secs_f64() / floor.as_secs_f64()
    )
    .unwrap();
}

/// A home with one sso-session and a valid login for it.
fn prepare(home: &Path) {
    let aws = home.join(".aws");
    std::fs::create_dir_all(aws.join("sso/cache")).unwrap();
    std::fs::write(
        aws.join("config"),
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .unwrap();
    let expires = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 8 * 3600;
    let (days, secs) = (expires / 86_400, expires % 86_400);
    let (y, m, d) = common::civil_from_days(days as i64);
    let at = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60);
    // sha1("corp"): the CLI's token file name for the session.
    std::fs::write(
        aws.join("sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
        format!(r#"{{"startUrl":"https://corp.awsapps.com/start","region":"us-east-1","accessToken":"t","expiresAt":"{at}"}}"#),
    )
    .unwrap();
}
