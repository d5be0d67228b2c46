//! `awsenv sso sync` of 1,500 roles (500 accounts × 3) against a loopback portal that takes
//! 20 ms per request: wall time and requests made, for several numbers of requests at a time,
//! next to the floor (ListAccounts' pages one after another, then one ListAccountRoles per
//! account spread over the workers). Run with `cargo bench --bench sso_sync`; writes
//! `target/bench-sso-sync.md`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

mod common;
use common::{machine, start_portal};

const ACCOUNTS: usize = 500;
const ROLES: usize = 3;
const LATENCY: Duration = Duration::from_millis(20);
const RUNS: usize = 3;

fn main() {
    let (portal, calls) = start_portal(ACCOUNTS, ROLES, LATENCY);
    let mut table = String::new();
    writeln!(table, "| requests at a time | median wall time | requests | floor at that width | vs floor |").unwrap();
    writeln!(table, "|---:|---:|---:|---:|---:|").unwrap();
    for workers in [1usize, 8, 16, 32] {
        let mut times = Vec::new();
        let mut made = 0;
        for _ in 0..RUNS {
            let home = std::env::temp_dir().join(format!("awsenv-bench-sync-{}-{workers}", std::process::id()));
            let _ = std::fs::remove_dir_all(&home);
            prepare(&home);
            let before = calls.load(Ordering::SeqCst);
            let started = Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_awsenv"))
                .args(["sso", "sync", "--sso-session", "corp"])
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", &home)
                .env("AWSENV_CACHE_DIR", home.join("cache"))
                .env("AWS_ENDPOINT_URL_SSO", &portal)
                .env("AWSENV_SSO_WORKERS", workers.to_string())
                .output()
                .unwrap();
            times.push(started.elapsed());
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            made = calls.load(Ordering::SeqCst) - before;
            let _ = std::fs::remove_dir_all(&home);
        }
        times.sort();
        let median = times[RUNS / 2];
        let pages = ACCOUNTS.div_ceil(100);
        let floor = LATENCY * pages as u32 + LATENCY * ACCOUNTS.div_ceil(workers) as u32;
        writeln!(
            table,
            "| {workers} | {:.2} s | {made} ({pages} ListAccounts + {ACCOUNTS} ListAccountRoles = {}) | {:.2} s | {:.2}x |",
            median.as_secs_f64(),
            pages + ACCOUNTS,
            floor.as_secs_f64(),
            median.as_secs_f64() / floor.as_secs_f64()
        )
        .unwrap();
    }
    let report = format!(
        "Machine: {}\n\n{ACCOUNTS} accounts × {ROLES} roles, {} ms per portal request, median of {RUNS} whole `sso sync` runs into an empty config.\n\n{table}",
        machine(),
        LATENCY.as_millis()
    );
    print!("{report}");
    let _ = std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-sso-sync.md"), report);
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
