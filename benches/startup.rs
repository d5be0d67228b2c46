//! Whole-process timing of `awsenv use` and `awsenv list` against a floor: a binary that only
//! reads the same two files. Run with `cargo bench --bench startup`; writes a Markdown table to
//! stdout and to `target/bench-startup.md`.
//!
//! The floor is this benchmark's own executable started with `--floor`, so both are built by the
//! same compiler with the same profile and pay the same process start-up.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{machine, start_sts};

const WARMUP: usize = 30;
const RUNS: usize = 400;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--floor") {
        floor();
        return;
    }
    let awsenv = PathBuf::from(env!("CARGO_BIN_EXE_awsenv"));
    let me = std::env::current_exe().expect("own path");
    let work = std::env::temp_dir().join(format!("awsenv-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();

    let mut table = String::new();
    writeln!(table, "| profiles | command | median | p90 | vs floor |").unwrap();
    writeln!(table, "|---:|---|---:|---:|---:|").unwrap();
    let mut verdicts = Vec::new();
    let sts = start_sts();
    for count in [5usize, 5_000, 50_000] {
        let dir = work.join(count.to_string());
        std::fs::create_dir_all(&dir).unwrap();
        write_files(&dir, count, &sts);
        // Real configs are not edited right before each prompt: let the files age past the
        // index's racy window (2 s), as every file a shell reads at the prompt has.
        std::thread::sleep(Duration::from_millis(2100));
        let floor = measure(Command::new(&me).arg("--floor"), &dir);
        let static_use = measure(Command::new(&awsenv).args(["use", "static-target"]), &dir);
        // Static keys and a profile's own environment of ten variables (`awsenv_env`).
        let env_use = measure(Command::new(&awsenv).args(["use", "env-target"]), &dir);
        let process_use = measure(Command::new(&awsenv).args(["use", "process-target"]), &dir);
        // The first run assumes the role (one call to the local STS) and fills the cache.
        let role_use = measure(Command::new(&awsenv).args(["use", "role-target"]), &dir);
        // Likewise one GetRoleCredentials with the cached SSO token, then cache reads.
        let sso_use = measure(Command::new(&awsenv).args(["use", "sso-target"]), &dir);
        let list = measure(Command::new(&awsenv).arg("list").stdout(Stdio::null()), &dir);
        let lint = measure(Command::new(&awsenv).arg("lint").stdout(Stdio::null()), &dir);
        let complete =
            measure(Command::new(&awsenv).args(["__complete", "described-profiles", ""]).stdout(Stdio::null()), &dir);
        // What the picker of a bare `awsenv use` lists before it opens.
        let picker = measure(Command::new(&awsenv).args(["__complete", "profiles", ""]).stdout(Stdio::null()), &dir);
        for (name, t) in [
            ("floor (read both files)", floor),
            ("awsenv use (static)", static_use),
            ("awsenv use (static, 10 variables of its own)", env_use),
            ("awsenv use (credential_process, warm cache)", process_use),
            ("awsenv use (role, warm cache)", role_use),
            ("awsenv use (SSO, warm cache)", sso_use),
            ("awsenv list", list),
            ("awsenv lint", lint),
            ("completion (profile names with kind and region)", complete),
            ("picker's profile names", picker),
        ] {
            writeln!(
                table,
                "| {count} | {name} | {} | {} | {:.2}x |",
                ms(t.0),
                ms(t.1),
                t.0.as_secs_f64() / floor.0.as_secs_f64()
            )
            .unwrap();
        }
        if count <= 5_000 {
            for (what, t) in [("static", static_use), ("static with 10 variables", env_use)] {
                let ratio = t.0.as_secs_f64() / floor.0.as_secs_f64();
                verdicts.push(format!(
                    "{count} profiles: use/{what} = {ratio:.2}x floor (target <= 1.25x): {}",
                    if ratio <= 1.25 { "met" } else { "MISSED" }
                ));
            }
        }
        for (what, t) in [("role", role_use), ("SSO", sso_use)] {
            let ratio = t.0.as_secs_f64() / floor.0.as_secs_f64();
            verdicts.push(format!(
                "{count} profiles: use/{what} (warm) = {ratio:.2}x floor (target <= 1.5x): {}",
                if ratio <= 1.5 { "met" } else { "MISSED" }
            ));
        }
        if count == 5_000 {
            for (what, t) in [("list", list), ("completion", complete), ("picker", picker)] {
                let ratio = t.0.as_secs_f64() / floor.0.as_secs_f64();
                verdicts.push(format!(
                    "5000 profiles: {what} = {} = {ratio:.2}x floor (target <= 3x): {}",
                    ms(t.0),
                    if ratio <= 3.0 { "met" } else { "MISSED" }
                ));
            }
            verdicts.push(format!(
                "5000 profiles: lint = {} (target <= 50 ms): {}",
                ms(lint.0),
                if lint.0 <= Duration::from_millis(50) { "met" } else { "MISSED" }
            ));
        }
    }
    let machine = machine();
    let report = format!(
        "{table}\nMachine: {machine}. Whole-process wall time, median and p90 of {RUNS} runs after {WARMUP} warm-up runs.\n\n{}\n",
        verdicts.join("\n")
    );
    print!("{report}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-startup.md");
    std::fs::write(&out, &report).unwrap();
    eprintln!("written to {}", out.display());
    let _ = std::fs::remove_dir_all(&work);
}

/// What the floor does: locate and read the two files, nothing more (the same program as
/// `examples/floor.rs`, built here with the bench's own profile).
#[path = "../examples/floor.rs"]
mod floor_program;

fn floor() {
    floor_program::main();
}

/// Median and p90 wall time of the whole process.
fn measure(cmd: &mut Command, dir: &Path) -> (Duration, Duration) {
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir)
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
        .env("AWSENV_CACHE_DIR", dir.join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut times = Vec::with_capacity(RUNS);
    for i in 0..WARMUP + RUNS {
        let start = Instant::now();
        let status = cmd.status().expect("runs");
        let elapsed = start.elapsed();
        assert!(status.success(), "{cmd:?} failed");
        if i >= WARMUP {
            times.push(elapsed);
        }
    }
    times.sort();
    (times[RUNS / 2], times[RUNS * 9 / 10])
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// A realistic mix: roles on a static base, SSO profiles, plain static ones in the credentials
/// file, and the two timed profiles in the middle.
fn write_files(dir: &Path, count: usize, sts: &str) {
    let mut config = String::from(
        "[default]\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n",
    );
    let mut credentials = String::from(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n",
    );
    for i in 0..count {
        if i == count / 2 {
            config.push_str("[profile static-target]\nregion = eu-west-1\noutput = json\n\n");
            credentials.push_str("[static-target]\naws_access_key_id = AKIAIOSFODNN7TARGET0\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYTARGETKEY\n\n");
            let own: String = (0..10).map(|n| format!("  BENCH_VAR_{n} = ~/value/{n}\n")).collect();
            config.push_str(&format!("[profile env-target]\nregion = eu-west-1\nawsenv_env =\n{own}\n"));
            credentials.push_str("[env-target]\naws_access_key_id = AKIAIOSFODNN7TARGET1\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYTARGETKEY\n\n");
            config.push_str(&format!(
                "[profile role-target]\nrole_arn = arn:aws:iam::123456789012:role/bench\nsource_profile = static-target\nservices = bench-sts\n\n[services bench-sts]\nsts =\n  endpoint_url = {sts}\nsso =\n  endpoint_url = {sts}\n\n\
                 [profile sso-target]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Bench\nservices = bench-sts\n\n"
            ));
            config.push_str(&format!(
                "[profile process-target]\ncredential_process = {}\nregion = eu-west-1\n\n",
                dir.join("process.sh").display()
            ));
        }
        match i % 3 {
            0 => config.push_str(&format!("[profile role-{i:05}]\nrole_arn = arn:aws:iam::123456789012:role/team-{i}\nsource_profile = default\nregion = us-west-2\n# owner: team {i}\n\n")),
            1 => config.push_str(&format!("[profile sso-{i:05}]\nsso_session = corp\nsso_account_id = {:012}\nsso_role_name = Admin\nregion = eu-central-1\n\n", 100_000_000_000u64 + i as u64)),
            _ => credentials.push_str(&format!("[static-{i:05}]\naws_access_key_id = AKIAEXAMPLE{i:09}\naws_secret_access_key = secret{i:034}\n\n")),
        }
    }
    std::fs::write(dir.join("config"), config).unwrap();
    // The AWS CLI's token for [sso-session corp]: sha1("corp").json.
    let tokens = dir.join(".aws/sso/cache");
    std::fs::create_dir_all(&tokens).unwrap();
    use sha1::Digest;
    let name: String = sha1::Sha1::digest(b"corp").iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(
        tokens.join(format!("{name}.json")),
        r#"{"startUrl":"https://corp.awsapps.com/start","region":"us-east-1","accessToken":"bench","expiresAt":"2099-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    std::fs::write(dir.join("credentials"), credentials).unwrap();
    // As `aws configure` leaves it: readable by its owner only (lint would say so otherwise).
    std::fs::set_permissions(dir.join("credentials"), std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let script = dir.join("process.sh");
    std::fs::write(&script, "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\",\"Expiration\":\"2099-01-01T00:00:00Z\"}'\n").unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}
