//! The cold path at a network's distance: `awsenv use` of a 1-, 2- and 3-hop role chain with an
//! empty cache, against STS over TLS 1.3 (the tests' TLS front, with a CA of its own trusted
//! through `ca_bundle`, over the local STS) behind a proxy that adds 20 ms of round-trip time.
//! Beside it:
//! - the floor no client can beat: `hops + 2` round trips (one TCP handshake, one TLS 1.3
//!   handshake, then one request per hop);
//! - the release before one helper per resolution, when `AWSENV_BENCH_BEFORE` names a directory
//!   with its `awsenv` and `awsenv-fetch` (`scripts/bench-cold` builds it and runs this);
//! - botocore resolving the same profiles (the peer benchmark's one-liner), when it is installed;
//! - what the proxy costs: the chains without it, through it at 0 ms, and each chunk's lateness.
//!
//! The TLS front counts TCP connections, so each tool's connections per chain are reported too.
//! Run with `cargo bench --bench cold`; writes a Markdown table to stdout and
//! `target/bench-cold.md`.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::delay::DelayProxy;
use common::tls::TlsFront;
use common::{machine, start_sts};

const RTT: Duration = Duration::from_millis(20);
const RUNS: usize = 25;
const PEER_RUNS: usize = 8;
const TARGET: f64 = 1.3;
const BOTOCORE: &str = "import sys, botocore.session as s; c = s.Session(profile=sys.argv[1]).get_credentials()\
                        .get_frozen_credentials(); print(c.access_key)";

/// A way to resolve a profile: the program and the arguments before the profile's name.
struct Tool {
    name: String,
    program: PathBuf,
    args: Vec<OsString>,
    runs: usize,
}

fn main() {
    let work = std::env::temp_dir().join(format!("awsenv-bench-cold-{}", std::process::id()));
    let plain = start_sts();
    let upstream = plain.trim_start_matches("http://").parse().expect("the local STS's address");
    let sts = TlsFront::start(&work.join("tls"), upstream);
    let delayed = DelayProxy::start(sts.addr, RTT);
    let instant = DelayProxy::start(sts.addr, Duration::ZERO);
    let homes = [("direct", sts.addr), ("proxy at 0 ms", instant.addr), ("20 ms", delayed.addr)]
        .map(|(name, addr)| (name, write_home(&work.join(name.replace(' ', "-")), addr, &sts.ca_bundle)));
    let tools = tools();
    for tool in &tools {
        // Each tool once, untimed: the page cache holds its files, as it does for a tool in use.
        run(tool, "hop1", &homes[0].1);
    }

    let mut table = String::new();
    writeln!(
        table,
        "Cold `use` at {} ms RTT over TLS (median of {RUNS} runs, botocore {PEER_RUNS}):\n",
        RTT.as_millis()
    )
    .unwrap();
    write!(table, "| hops | floor |").unwrap();
    for tool in &tools {
        write!(table, " {} | TCP connections |", tool.name).unwrap();
    }
    writeln!(table, " awsenv ÷ floor |").unwrap();
    writeln!(table, "|---:|---:|{}---:|", "---:|---:|".repeat(tools.len())).unwrap();
    let mut verdicts = Vec::new();
    delayed.forget_lateness();
    for hops in 1..=3 {
        let profile = format!("hop{hops}");
        let results = measure_side_by_side(&tools, &profile, &homes[2].1, &sts);
        let floor = RTT * (hops + 2);
        write!(table, "| {hops} | {} |", ms(floor)).unwrap();
        for (time, connections) in &results {
            write!(table, " {} | {connections} |", ms(*time)).unwrap();
        }
        let ratio = results[0].0.as_secs_f64() / floor.as_secs_f64();
        writeln!(table, " {ratio:.2}x |").unwrap();
        verdicts.push(format!(
            "{hops}-hop cold use at {} ms RTT: {} = {ratio:.2}x the floor of {} (target <= {TARGET}x): {}",
            RTT.as_millis(),
            ms(results[0].0),
            ms(floor),
            if ratio <= TARGET { "met" } else { "MISSED" }
        ));
    }
    let (median_late, worst_late, chunks) = delayed.lateness();

    writeln!(table, "\nWhat the proxy costs (awsenv, median of {RUNS} runs):\n").unwrap();
    writeln!(table, "| hops | direct to the TLS STS | through the proxy at 0 ms | proxy cost |").unwrap();
    writeln!(table, "|---:|---:|---:|---:|").unwrap();
    let now = &tools[..1];
    for hops in 1..=3 {
        let profile = format!("hop{hops}");
        let (direct, _) = measure_side_by_side(now, &profile, &homes[0].1, &sts)[0];
        let (proxied, _) = measure_side_by_side(now, &profile, &homes[1].1, &sts)[0];
        writeln!(table, "| {hops} | {} | {} | {} |", ms(direct), ms(proxied), ms(proxied.saturating_sub(direct)))
            .unwrap();
    }
    writeln!(
        table,
        "\nAt 20 ms each chunk was written {} after its due time (median; largest {}) over {chunks} chunks.",
        ms(median_late),
        ms(worst_late)
    )
    .unwrap();

    let report = format!("{table}\nMachine: {}. Whole-process wall time.\n\n{}\n", machine(), verdicts.join("\n"));
    print!("{report}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-cold.md");
    std::fs::write(&out, &report).unwrap();
    eprintln!("written to {}", out.display());
    let _ = std::fs::remove_dir_all(&work);
}

fn tools() -> Vec<Tool> {
    let mut tools = vec![Tool {
        name: "awsenv".into(),
        program: env!("CARGO_BIN_EXE_awsenv").into(),
        args: vec!["use".into()],
        runs: RUNS,
    }];
    match std::env::var_os("AWSENV_BENCH_BEFORE") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            let revision = std::fs::read_to_string(dir.join("REVISION")).unwrap_or_default();
            tools.push(Tool {
                name: format!("before ({})", revision.trim()),
                program: dir.join("awsenv"),
                args: vec!["use".into()],
                runs: RUNS,
            });
        }
        None => {
            eprintln!("AWSENV_BENCH_BEFORE is not set: no figures for the release before (scripts/bench-cold sets it)")
        }
    }
    // The Python that has botocore, by its own path: the runs get a bare PATH.
    let python = Command::new("python3")
        .args(["-c", "import sys, botocore; print(sys.executable)"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    if let Some(python) = python {
        tools.push(Tool {
            name: "botocore".into(),
            program: python.into(),
            args: vec!["-c".into(), BOTOCORE.into()],
            runs: PEER_RUNS,
        });
    } else {
        eprintln!("botocore is not installed for python3: no botocore figures");
    }
    tools
}

/// Each tool's median wall time and median TCP connections for a cold resolution of `profile`,
/// the tools taking turns so that the machine's drift falls on all of them alike.
fn measure_side_by_side(tools: &[Tool], profile: &str, home: &Path, sts: &TlsFront) -> Vec<(Duration, usize)> {
    let mut samples: Vec<Vec<(Duration, usize)>> = tools.iter().map(|_| Vec::new()).collect();
    let most = tools.iter().map(|t| t.runs).max().unwrap_or(0);
    for i in 0..most {
        for (tool, samples) in tools.iter().zip(&mut samples) {
            if i < tool.runs {
                let before = sts.connections();
                let time = run(tool, profile, home);
                samples.push((time, sts.connections() - before));
            }
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort();
            let time = s[s.len() / 2].0;
            let mut connections: Vec<usize> = s.iter().map(|x| x.1).collect();
            connections.sort();
            (time, connections[connections.len() / 2])
        })
        .collect()
}

/// One cold resolution: the credential cache (and the section index) removed first, untimed.
fn run(tool: &Tool, profile: &str, home: &Path) -> Duration {
    let _ = std::fs::remove_dir_all(home.join("cache"));
    let mut command = Command::new(&tool.program);
    command
        .args(&tool.args)
        .arg(profile)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("AWSENV_CACHE_DIR", home.join("cache"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let out = command.output().expect("runs");
    let elapsed = start.elapsed();
    assert!(out.status.success(), "{} {profile} failed: {}", tool.name, String::from_utf8_lossy(&out.stderr));
    elapsed
}

/// Static keys and three roles on them, each the next one's source, all calling STS at `sts`
/// and trusting the bench's CA. Every profile names the endpoint and the bundle, as botocore
/// takes them from the profile it starts at.
fn write_home(home: &Path, sts: SocketAddr, ca_bundle: &Path) -> PathBuf {
    std::fs::create_dir_all(home).unwrap();
    let shared = format!("region = us-east-1\nca_bundle = {}\nservices = bench\n", ca_bundle.display());
    let mut config = format!("[profile base]\n{shared}\n");
    for hop in 1..=3 {
        let source = if hop == 1 { "base".to_owned() } else { format!("hop{}", hop - 1) };
        config.push_str(&format!(
            "[profile hop{hop}]\nrole_arn = arn:aws:iam::123456789012:role/hop{hop}\nsource_profile = {source}\n{shared}\n"
        ));
    }
    config.push_str(&format!("[services bench]\nsts =\n  endpoint_url = https://127.0.0.1:{}\n", sts.port()));
    std::fs::write(home.join("config"), config).unwrap();
    std::fs::write(
        home.join("credentials"),
        "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    )
    .unwrap();
    std::fs::set_permissions(home.join("credentials"), std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    home.to_owned()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
