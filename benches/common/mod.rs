//! What the benchmarks share: a local STS (and SSO portal) that answers at once, over plain TCP
//! or TLS, a proxy that delays it like a network, and a line naming the machine the figures come
//! from.
#![allow(dead_code)]

pub mod delay;
#[path = "../../tests/support/tls.rs"]
pub mod tls;

/// A local STS that answers every AssumeRole with fresh one-hour credentials, and an SSO portal
/// that answers GetRoleCredentials (a GET) likewise.
pub fn start_sts() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_nodelay(true);
            std::thread::spawn(move || answer_requests(stream));
        }
    });
    endpoint
}

/// HTTP/1.1 with keep-alive over any stream (plain TCP or TLS): one STS or portal answer per
/// request until the client closes. Returns how many requests it answered.
pub fn answer_requests<S: std::io::Read + std::io::Write>(stream: S) -> usize {
    use std::io::{BufRead, BufReader, Read};
    let mut reader = BufReader::new(stream);
    let mut answered = 0;
    loop {
        let mut length = 0;
        let mut get = false;
        let mut first = true;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return answered;
            }
            if line == "\r\n" {
                break;
            }
            get |= first && line.starts_with("GET ");
            first = false;
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return answered;
        }
        let body = sts_answer(get);
        // One write: small writes on a kept-alive connection wait for delayed ACKs (Nagle).
        let response = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}", body.len());
        let stream = reader.get_mut();
        if stream.write_all(response.as_bytes()).and_then(|()| stream.flush()).is_err() {
            return answered;
        }
        answered += 1;
    }
}

/// AssumeRole's XML (a POST) or GetRoleCredentials' JSON (a GET), valid for an hour.
fn sts_answer(get: bool) -> String {
    let expires = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 3600;
    if get {
        return format!(
            r#"{{"roleCredentials":{{"accessKeyId":"ASIASSOBENCH","secretAccessKey":"s","sessionToken":"t","expiration":{}}}}}"#,
            expires * 1000
        );
    }
    let (days, secs) = (expires / 86_400, expires % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/bench/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>ASIABENCH</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores, {} {}", std::env::consts::OS, std::env::consts::ARCH)
}

/// A loopback IAM Identity Center portal that lists `accounts` accounts of `roles` roles each,
/// honouring `max_result` and `next_token`, after `latency` per request; with `limit`, a request
/// that arrives when that many arrived in the last second is answered 429
/// `TooManyRequestsException`, as the real portal throttles. Returns the endpoint, a counter of
/// the requests it answered, and one of those it throttled.
pub fn start_portal(
    accounts: usize,
    roles: usize,
    latency: std::time::Duration,
    limit: Option<usize>,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::Ordering;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let throttled = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let arrivals = std::sync::Arc::new(std::sync::Mutex::new(std::collections::VecDeque::<std::time::Instant>::new()));
    let (counter, refused) = (calls.clone(), throttled.clone());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let (counter, refused, arrivals) = (counter.clone(), refused.clone(), arrivals.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                if reader.read_line(&mut first).unwrap_or(0) == 0 {
                    return;
                }
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                // The quota: at most `limit` requests accepted in any one second.
                let over = limit.is_some_and(|limit| {
                    let now = std::time::Instant::now();
                    let mut arrivals = arrivals.lock().unwrap();
                    while arrivals.front().is_some_and(|t| now.duration_since(*t) >= std::time::Duration::from_secs(1))
                    {
                        arrivals.pop_front();
                    }
                    let over = arrivals.len() >= limit;
                    if !over {
                        arrivals.push_back(now);
                    }
                    over
                });
                std::thread::sleep(latency);
                counter.fetch_add(1, Ordering::SeqCst);
                if over {
                    refused.fetch_add(1, Ordering::SeqCst);
                    let body = r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 429 Too Many Requests\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    return;
                }
                let target = first.split_whitespace().nth(1).unwrap_or("");
                let (path, query) = target.split_once('?').unwrap_or((target, ""));
                let param =
                    |name: &str| query.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).unwrap_or("");
                let size: usize = param("max_result").parse().unwrap_or(100);
                let from: usize = param("next_token").trim_start_matches('t').parse().unwrap_or(0);
                let page = |total: usize| {
                    let next = if from + size < total { format!("\"t{}\"", from + size) } else { "null".to_owned() };
                    (from..(from + size).min(total), next)
                };
                let body = if path == "/assignment/accounts" {
                    let (range, next) = page(accounts);
                    let list: Vec<String> = range
                        .map(|i| {
                            format!(
                                r#"{{"accountId":"{:012}","accountName":"Account {i}"}}"#,
                                100_000_000_000u64 + i as u64
                            )
                        })
                        .collect();
                    format!(r#"{{"accountList":[{}],"nextToken":{next}}}"#, list.join(","))
                } else {
                    let (range, next) = page(roles);
                    let list: Vec<String> = range.map(|r| format!(r#"{{"roleName":"Role{r}"}}"#)).collect();
                    format!(r#"{{"roleList":[{}],"nextToken":{next}}}"#, list.join(","))
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    (endpoint, calls, throttled)
}
