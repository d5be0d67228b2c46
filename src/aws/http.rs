//! One HTTP client, built on first use: a current-thread tokio runtime and a rustls reqwest
//! client with the system roots plus `AWS_CA_BUNDLE` / `ca_bundle`. Requests are retried with
//! jittered exponential backoff when retrying can help (throttling, 5xx, a dropped connection,
//! a timeout), at most three attempts; any other 4xx is returned at once.

use std::time::Duration;

use crate::env::Env;
use crate::error::Error;

const MAX_ATTEMPTS: u32 = 3;
const BASE_BACKOFF: Duration = Duration::from_millis(100);

pub struct Http {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

/// A request, as plain data so that it can be sent again on retry.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: reqwest::Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Why a request failed after its retries, for the caller to turn into a user-facing error.
#[derive(Debug)]
pub enum Failure {
    /// No response: connection refused, DNS, TLS, timeout. The text says which.
    Transport(String),
    /// A response that retrying did not fix (or that must not be retried).
    Status(Response),
}

impl Http {
    pub fn new(env: &Env, ca_bundle: Option<&str>, hook: bool) -> Result<Http, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::fetch(format!("cannot start the network runtime: {e}")))?;
        let total = timeout_from(env, "AWSENV_HTTP_TIMEOUT", if hook { 5.0 } else { 15.0 })?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(total.min(Duration::from_secs(3)))
            .timeout(total)
            .user_agent(concat!("awsenv/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = env.get_nonempty("AWS_CA_BUNDLE").or(ca_bundle) {
            let pem = std::fs::read(path).map_err(|e| {
                Error::fetch(format!("cannot read the CA bundle {path}: {}", crate::error::io_cause(&e)))
                    .hint("fix AWS_CA_BUNDLE / ca_bundle, or unset it")
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|_| Error::fetch(format!("the CA bundle {path} holds no valid PEM certificate")))?;
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder.build().map_err(|e| Error::fetch(format!("cannot set up HTTPS: {e}")))?;
        Ok(Http { runtime, client })
    }

    /// Send with retries; `Ok` only for a 2xx response.
    pub fn send(&self, request: &Request) -> Result<Response, Failure> {
        let mut attempt = 1;
        loop {
            let outcome = self.runtime.block_on(self.send_once(request));
            let retry = match &outcome {
                Ok(r) if (200..300).contains(&r.status) => false,
                Ok(r) => is_retryable_status(r),
                Err(_) => true,
            };
            if !retry || attempt >= MAX_ATTEMPTS {
                return match outcome {
                    Ok(r) if (200..300).contains(&r.status) => Ok(r),
                    Ok(r) => Err(Failure::Status(r)),
                    Err(e) => Err(Failure::Transport(e)),
                };
            }
            std::thread::sleep(backoff(attempt));
            attempt += 1;
        }
    }

    async fn send_once(&self, request: &Request) -> Result<Response, String> {
        let mut builder = self.client.request(request.method.clone(), &request.url).body(request.body.clone());
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let response = builder.send().await.map_err(describe)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(describe)?.to_vec();
        Ok(Response { status, body })
    }
}

fn timeout_from(env: &Env, name: &str, default: f64) -> Result<Duration, Error> {
    match env.get_nonempty(name) {
        None => Ok(Duration::from_secs_f64(default)),
        Some(text) => text
            .parse::<f64>()
            .ok()
            .filter(|s| *s > 0.0 && s.is_finite())
            .map(Duration::from_secs_f64)
            .ok_or_else(|| Error::usage(format!("{name} must be a positive number of seconds"))),
    }
}

fn is_retryable_status(r: &Response) -> bool {
    if r.status >= 500 || r.status == 429 {
        return true;
    }
    // STS and friends throttle with a 400 whose code says so.
    let body = String::from_utf8_lossy(&r.body);
    ["Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "IDPCommunicationError"]
        .iter()
        .any(|code| body.contains(&format!("<Code>{code}</Code>")) || body.contains(&format!("\"{code}\"")))
}

/// Full jitter: a random wait up to 100 ms, 200 ms, ... so that many shells do not retry in step.
fn backoff(attempt: u32) -> Duration {
    let cap = BASE_BACKOFF * 2u32.pow(attempt - 1);
    let mut random = [0u8; 4];
    // SAFETY: a valid buffer of the given length.
    unsafe { libc::getrandom(random.as_mut_ptr().cast(), random.len(), 0) };
    cap.mul_f64(f64::from(u32::from_le_bytes(random)) / f64::from(u32::MAX))
}

/// A transport error in one line, without the URL's query (which may carry a token).
fn describe(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the response was cut off"
    } else {
        "request failed"
    };
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    let mut cause = String::new();
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() { kind.to_owned() } else { format!("{kind}: {cause}") }
}
