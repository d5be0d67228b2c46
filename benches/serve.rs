//! The credential endpoint (`awsenv serve`) on this machine: how long a real SDK client takes to
//! get credentials from it when they are in memory (botocore's ContainerProvider and the
//! JavaScript SDK v3's fromHttp, each timed in its own process, so interpreter start-up is not
//! counted), a raw request's latency, and requests per second with several clients. Run with
//! `cargo bench --bench serve`; writes a Markdown table to stdout and `target/bench-serve.md`.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{machine, start_sts};

const REQUESTS: usize = 2000;
const CLIENTS: usize = 4;
const RPS_FOR: Duration = Duration::from_secs(3);

const BOTOCORE: &str = r#"
import time, statistics
from botocore.credentials import ContainerProvider
times = []
for i in range(330):
    t = time.perf_counter()
    ContainerProvider().load().get_frozen_credentials()
    times.append(time.perf_counter() - t)
print(statistics.median(times[30:]) * 1000)
"#;

const JS: &str = r#"
const { fromHttp } = require(process.argv[1] + "/@aws-sdk/credential-provider-http");
(async () => {
  const times = [];
  for (let i = 0; i < 330; i++) {
    const t = performance.now();
    await fromHttp({})();
    times.push(performance.now() - t);
  }
  const warm = times.slice(30).sort((a, b) => a - b);
  console.log(warm[Math.floor(warm.length / 2)]);
})();
"#;

fn main() {
    let work = std::env::temp_dir().join(format!("awsenv-bench-serve-{}", std::process::id()));
    let aws = work.join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    let sts = start_sts();
    std::fs::write(
        aws.join("config"),
        format!(
            "[profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n\n\
             [profile role]\nrole_arn = arn:aws:iam::123456789012:role/bench\nsource_profile = base\nregion = eu-west-1\n\
             services = bench\n\n[services bench]\nsts =\n  endpoint_url = {sts}\n"
        ),
    )
    .unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_awsenv"))
        .args(["serve", "role", "--print", "--shell", "bash"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &work)
        .env("AWSENV_CACHE_DIR", work.join("cache"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (url, token) = variables(server.stdout.take().unwrap());
    let address = url.trim_start_matches("http://").trim_end_matches('/').to_owned();

    let mut latencies: Vec<Duration> = (0..REQUESTS)
        .map(|_| {
            let started = Instant::now();
            fetch(&address, &token);
            started.elapsed()
        })
        .collect();
    latencies.sort();
    let rps = requests_per_second(&address, &token);
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/npm/node_modules");
    let client = |program: &str, args: &[&str]| -> String {
        let out = Command::new(program)
            .args(args)
            .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)
            .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", &token)
            .env("NODE_NO_WARNINGS", "1")
            .output();
        match out {
            Ok(out) if out.status.success() => {
                format!("{:.3} ms", String::from_utf8_lossy(&out.stdout).trim().parse::<f64>().unwrap_or(f64::NAN))
            }
            _ => "not installed (scripts/test installs it)".to_owned(),
        }
    };
    let botocore = client("python3", &["-c", BOTOCORE]);
    let js = client("node", &["-e", JS, modules.to_str().unwrap()]);
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&work);

    let mut table = String::new();
    writeln!(table, "| what | median |").unwrap();
    writeln!(table, "|---|---:|").unwrap();
    writeln!(table, "| botocore ContainerProvider().load(), warm | {botocore} |").unwrap();
    writeln!(table, "| JS SDK v3 fromHttp()(), warm | {js} |").unwrap();
    writeln!(
        table,
        "| one raw request (connect, GET, answer), p90 {:.3} ms | {:.3} ms |",
        ms(latencies[REQUESTS * 9 / 10]),
        ms(latencies[REQUESTS / 2])
    )
    .unwrap();
    writeln!(table, "| requests per second, {CLIENTS} clients, a connection each | {rps:.0} |").unwrap();
    let report = format!("Machine: {}\n\n{table}", machine());
    print!("{report}");
    let _ = std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-serve.md"), report);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The endpoint's URL and token, from `serve --shell bash`'s output.
fn variables(stdout: impl Read) -> (String, String) {
    let (mut url, mut token) = (None, None);
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let value = || line.split_once('=').unwrap().1.trim_matches('\'').to_owned();
        if line.starts_with("export AWS_CONTAINER_CREDENTIALS_FULL_URI=") {
            url = Some(value());
        } else if line.starts_with("export AWS_CONTAINER_AUTHORIZATION_TOKEN=") {
            token = Some(value());
        }
        if url.is_some() && token.is_some() {
            break;
        }
    }
    (url.expect("serve printed its URL"), token.expect("serve printed its token"))
}

fn fetch(address: &str, token: &str) {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\nAuthorization: {token}\r\n\r\n").unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    assert!(answer.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer));
}

fn requests_per_second(address: &str, token: &str) -> f64 {
    let end = Instant::now() + RPS_FOR;
    let counts: Vec<usize> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..CLIENTS)
            .map(|_| {
                scope.spawn(|| {
                    let mut n = 0;
                    while Instant::now() < end {
                        fetch(address, token);
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    counts.iter().sum::<usize>() as f64 / RPS_FOR.as_secs_f64()
}
