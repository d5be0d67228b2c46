//! Every network dependency × every fault: STS, the SSO portal, SSO-OIDC (token renewal) and the
//! instance metadata service, each answering 500, 503, throttling, 401/403, garbage, a truncated
//! body, a stall past the timeout, or not listening at all. Retries happen where they can help
//! (at most three attempts) and never where they cannot; a fault that clears is ridden out; every
//! failure is one clear line with an empty stdout; the cache entry (or token file) from before is
//! untouched; and in hook mode stdout stays empty, so the shell's environment is left alone.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::sso::token_file;
use support::{awsenv, home_with, run, stderr};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    Status500,
    Status503,
    Throttled,
    Unauthorized,
    Garbage,
    Truncated,
    Stall,
}

impl Fault {
    /// Whether another attempt can help.
    fn retried(self) -> bool {
        matches!(self, Fault::Status500 | Fault::Status503 | Fault::Throttled | Fault::Truncated | Fault::Stall)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Service {
    Sts,
    Portal,
    Oidc,
    Imds,
}

impl Service {
    /// The path the fault is injected on.
    fn path(self) -> &'static str {
        match self {
            Service::Sts => "/",
            Service::Portal => "/federation/credentials",
            Service::Oidc => "/token",
            Service::Imds => "/latest/meta-data/iam/security-credentials/bench",
        }
    }
}

/// A loopback server for all four services, with `faults` injected on `target` (the first
/// `faults` requests to it; usize::MAX for ever).
struct Server {
    endpoint: String,
    hits: Arc<AtomicUsize>,
    fault: Arc<Mutex<Option<(Fault, usize)>>>,
}

fn now_plus(seconds: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds);
    t.format(&time::format_description::well_known::Rfc3339).unwrap()
}

fn normal(path: &str, n: usize) -> (u16, String) {
    match path {
        "/" => (
            200,
            format!(
                "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>\
                 <Credentials><AccessKeyId>ASIAFAULT{n:011}</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>\
                 <Expiration>{}</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
                now_plus(3600)
            ),
        ),
        "/federation/credentials" => (
            200,
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"ASIAFAULT{n:011}","secretAccessKey":"s","sessionToken":"t","expiration":{}}}}}"#,
                (time::OffsetDateTime::now_utc().unix_timestamp() + 3600) * 1000
            ),
        ),
        "/token" => (
            200,
            format!(r#"{{"accessToken":"renewed-{n}","expiresIn":28800,"refreshToken":"r-{n}","tokenType":"Bearer"}}"#),
        ),
        "/latest/api/token" => (200, "imds-token".into()),
        "/latest/meta-data/iam/security-credentials/" => (200, "bench\n".into()),
        "/latest/meta-data/iam/security-credentials/bench" => (
            200,
            format!(
                r#"{{"Code":"Success","AccessKeyId":"ASIAFAULT{n:011}","SecretAccessKey":"s","Token":"t","Expiration":"{}"}}"#,
                now_plus(3600)
            ),
        ),
        _ => (404, String::new()),
    }
}

impl Server {
    fn start(target: &'static str) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let fault: Arc<Mutex<Option<(Fault, usize)>>> = Arc::new(Mutex::new(None));
        let (h, f) = (hits.clone(), fault.clone());
        std::thread::spawn(move || {
            let served = Arc::new(AtomicUsize::new(0));
            for stream in listener.incoming().flatten() {
                let (h, f, served) = (h.clone(), f.clone(), served.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut first = String::new();
                    if reader.read_line(&mut first).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut length = 0;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                            break;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    let _ = reader.read_exact(&mut body);
                    let target_path =
                        first.split_whitespace().nth(1).unwrap_or("").split('?').next().unwrap_or("").to_owned();
                    let mut stream = stream;
                    let injected = if target_path == target {
                        h.fetch_add(1, Ordering::SeqCst);
                        let mut fault = f.lock().unwrap();
                        match fault.as_mut() {
                            Some((kind, left)) if *left > 0 => {
                                *left -= 1;
                                Some(*kind)
                            }
                            _ => None,
                        }
                    } else {
                        None
                    };
                    let n = served.fetch_add(1, Ordering::SeqCst) + 1;
                    let (status, text) = match injected {
                        None => normal(&target_path, n),
                        Some(Fault::Status500) => (500, "{}".into()),
                        Some(Fault::Status503) => (503, "{}".into()),
                        Some(Fault::Throttled) if target == "/" => (
                            400,
                            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>".into(),
                        ),
                        Some(Fault::Throttled) => (429, r#"{"__type":"TooManyRequestsException","message":"slow down"}"#.into()),
                        Some(Fault::Unauthorized) if target == "/" => (
                            403,
                            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>".into(),
                        ),
                        Some(Fault::Unauthorized) => (401, r#"{"__type":"UnauthorizedException","error":"invalid_grant","message":"no"}"#.into()),
                        Some(Fault::Garbage) => (200, "\u{0}\u{1}<html>captive portal".into()),
                        Some(Fault::Truncated) => {
                            let _ = write!(stream, "HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n{{\"partial\":");
                            return;
                        }
                        Some(Fault::Stall) => {
                            std::thread::sleep(Duration::from_secs(4));
                            return;
                        }
                    };
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                        text.len()
                    );
                });
            }
        });
        Server { endpoint, hits, fault }
    }

    fn inject(&self, fault: Fault, times: usize) {
        *self.fault.lock().unwrap() = Some((fault, times));
        self.hits.store(0, Ordering::SeqCst);
    }
}

/// A home with one profile `p` of the service's kind, on `server`.
fn home_for(service: Service, server: &Server) -> tempfile::TempDir {
    let e = &server.endpoint;
    let config = match service {
        Service::Sts => format!(
            "[profile base]\naws_access_key_id = AKID\naws_secret_access_key = s\n\n\
             [profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nservices = local\n\n\
             [services local]\nsts =\n  endpoint_url = {e}\n"
        ),
        Service::Portal | Service::Oidc => format!(
            "[profile p]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\nservices = local\n\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n\
             [services local]\nsso =\n  endpoint_url = {e}\nsso_oidc =\n  endpoint_url = {e}\n"
        ),
        Service::Imds => format!(
            "[profile base]\ncredential_source = Ec2InstanceMetadata\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile_unused = x\n\n\
             [profile p]\ncredential_source = Ec2InstanceMetadata\nrole_arn = arn:aws:iam::123456789012:role/r\nec2_metadata_service_endpoint = {e}\nservices = local\n\n\
             [services local]\nsts =\n  endpoint_url = {e}\n"
        ),
    };
    let home = home_with(&config, "");
    if matches!(service, Service::Portal | Service::Oidc) {
        // For OIDC the token is past its time but renewable, so every run must renew it.
        let (seconds, refreshable) = if service == Service::Oidc { (-60, true) } else { (8 * 3600, false) };
        let tokens = home.path().join(".aws/sso/cache");
        std::fs::create_dir_all(&tokens).unwrap();
        std::fs::write(
            tokens.join("ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
            token_file("https://corp.awsapps.com/start", "the-token", seconds, refreshable),
        )
        .unwrap();
    }
    home
}

/// The files whose bytes must survive a failure: the cache entries, and the SSO token file.
fn kept_files(home: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in [home.join(".cache/awsenv"), home.join(".aws/sso/cache")] {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".json") && !name.starts_with('.') {
                out.push((e.path(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn use_p(home: &Path, extra: &[&str]) -> std::process::Output {
    let mut cmd = awsenv(home);
    cmd.args(["use", "p"]).args(extra).env("AWSENV_HTTP_TIMEOUT", "1");
    run(&mut cmd)
}

#[test]
fn every_service_under_every_fault() {
    let faults = [
        Fault::Status500,
        Fault::Status503,
        Fault::Throttled,
        Fault::Unauthorized,
        Fault::Garbage,
        Fault::Truncated,
        Fault::Stall,
    ];
    for service in [Service::Sts, Service::Portal, Service::Oidc, Service::Imds] {
        for fault in faults {
            let what = format!("{service:?} {fault:?}");
            let server = Server::start(service.path());
            let home = home_for(service, &server);
            if service != Service::Oidc {
                // A first fetch fills the cache; the faulty one is a forced refresh.
                let out = use_p(home.path(), &[]);
                assert!(out.status.success(), "{what}: warming up: {}", stderr(&out));
            }
            let before = kept_files(home.path());

            // A fault that clears after one attempt is ridden out when retrying can help.
            if fault.retried() && fault != Fault::Stall {
                server.inject(fault, 1);
                let out = use_p(home.path(), &["--refresh"]);
                assert!(out.status.success(), "{what}: once: {}", stderr(&out));
                assert_eq!(server.hits.load(Ordering::SeqCst), 2, "{what}: retried once");
                continue;
            }

            // A fault that persists: a bounded number of attempts, then one clear line.
            server.inject(fault, usize::MAX);
            let started = Instant::now();
            let out = use_p(home.path(), &["--refresh"]);
            let elapsed = started.elapsed();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{what}: {err}");
            assert!(out.stdout.is_empty(), "{what}: stdout must be empty");
            assert_eq!(err.lines().count(), 1, "{what}: one line: {err:?}");
            assert!(err.contains("profile \"p\""), "{what}: names the profile: {err}");
            let attempts = server.hits.load(Ordering::SeqCst);
            let expected = if fault.retried() { 3 } else { 1 };
            assert_eq!(attempts, expected, "{what}: attempts");
            assert!(elapsed < Duration::from_secs(8), "{what}: took {elapsed:?}");
            assert_eq!(kept_files(home.path()), before, "{what}: the cache and the token file are untouched");

            // The prompt hook: nothing on stdout, so the shell keeps its environment.
            let out = use_p(home.path(), &["--refresh", "--hook"]);
            assert!(out.stdout.is_empty() && !out.status.success(), "{what}: hook");
            assert_eq!(kept_files(home.path()), before, "{what}: hook: untouched");
        }
    }
}

#[test]
fn nothing_listening_is_a_quick_clear_error_for_every_service() {
    for service in [Service::Sts, Service::Portal, Service::Oidc, Service::Imds] {
        // A port that was just free: nothing listens there.
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let server = Server {
            endpoint: format!("http://127.0.0.1:{port}"),
            hits: Default::default(),
            fault: Default::default(),
        };
        let home = home_for(service, &server);
        let before = kept_files(home.path());
        let started = Instant::now();
        let out = use_p(home.path(), &[]);
        assert_eq!(out.status.code(), Some(1), "{service:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        assert_eq!(stderr(&out).lines().count(), 1, "{service:?}: {}", stderr(&out));
        assert!(started.elapsed() < Duration::from_secs(5), "{service:?}: {:?}", started.elapsed());
        assert_eq!(kept_files(home.path()), before);
    }
}
