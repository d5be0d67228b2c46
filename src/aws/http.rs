//! One HTTP client for every call awsenv makes, built on first use: a current-thread tokio
//! runtime and a rustls reqwest client with the system roots plus the profile's CA bundle (the
//! roots loaded only when a request is https).
//!
//! What every call gets from here, so that no call can forget it:
//! - its URL parsed by a real URL parser and refused when it is not http(s), has no host, or
//!   carries a user name or password (`http://127.0.0.1:x@other-host/` is a request to
//!   other-host);
//! - no redirect followed and no `Referer` sent: a 3xx is an error naming the endpoint and the
//!   status, so a bearer token or a refresh grant is never re-sent to the host in `Location`;
//! - a body cap (`MAX_BODY_BYTES`): reading stops past it;
//! - timeouts: one per attempt, and an overall deadline (the prompt hook's budget) that also
//!   bounds the retries.
//!
//! Requests are retried with jittered exponential backoff when retrying can help (throttling,
//! 5xx, a dropped connection, a timeout), at most three attempts; any other 4xx is returned at
//! once.

use std::time::{Duration, Instant};

use crate::error::Error;

const MAX_ATTEMPTS: u32 = 3;
const BASE_BACKOFF: Duration = Duration::from_millis(100);
/// No AWS answer awsenv reads comes near this.
pub const MAX_BODY_BYTES: usize = 1 << 20;

pub struct Http {
    runtime: std::sync::Arc<tokio::runtime::Runtime>,
    clients: std::sync::Arc<Clients>,
    attempt_timeout: Duration,
    deadline: Option<Instant>,
}

/// One client for plain HTTP (the instance and container endpoints, loopback), and the HTTPS
/// one, built on the first https request: loading the system's roots costs about 2 ms, which a
/// helper that only talks to a metadata endpoint never pays.
struct Clients {
    plain: reqwest::Client,
    https: std::sync::OnceLock<Result<reqwest::Client, String>>,
    /// The CA bundle's certificates, read when the helper starts so that a bad bundle is
    /// reported whatever the endpoint.
    extra_roots: Vec<reqwest::Certificate>,
    connect_timeout: Duration,
}

impl Clients {
    fn builder(connect_timeout: Duration) -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .user_agent(concat!("awsenv/", env!("CARGO_PKG_VERSION")))
    }

    fn for_url(&self, url: &reqwest::Url) -> Result<&reqwest::Client, String> {
        if url.scheme() != "https" {
            return Ok(&self.plain);
        }
        let https = self.https.get_or_init(|| {
            let mut builder = Clients::builder(self.connect_timeout);
            for cert in &self.extra_roots {
                builder = builder.add_root_certificate(cert.clone());
            }
            builder.build().map_err(|e| format!("cannot set up HTTPS: {e}"))
        });
        https.as_ref().map_err(Clone::clone)
    }
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
    /// The `Date` header: the server's clock, for `awsenv doctor --online`.
    pub date: Option<String>,
}

/// Why a request failed after its retries, for the caller to turn into a user-facing error.
#[derive(Debug)]
pub enum Failure {
    /// No usable response: connection refused, DNS, TLS, timeout, a redirect, an answer over the
    /// cap, a URL refused before sending. The text says which.
    Transport(String),
    /// A response that retrying did not fix (or that must not be retried).
    Status(Response),
}

/// One attempt's failure: whether another attempt may help.
enum Attempt {
    Retry(String),
    Final(String),
}

/// `base` (an endpoint, with or without a trailing `/`) followed by `path_and_query`: the one
/// place URLs are put together. `send` checks the result.
pub fn join(base: &str, path_and_query: &str) -> String {
    format!("{}{path_and_query}", base.trim_end_matches('/'))
}

/// The URL as a real parser reads it, if awsenv may send a request there.
pub fn checked_url(text: &str) -> Result<reqwest::Url, String> {
    let url = reqwest::Url::parse(text).map_err(|e| format!("{} is not a URL ({e})", crate::error::quoted(text)))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{} is not an http or https URL", crate::error::quoted(text)));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{} holds a user name or password before its host, which awsenv never sends",
            crate::error::quoted(text)
        ));
    }
    if url.host().is_none() {
        return Err(format!("{} has no host", crate::error::quoted(text)));
    }
    Ok(url)
}

impl Http {
    /// `ca_bundle`: a PEM file whose certificates are trusted besides the system's. Each attempt
    /// gets `attempt_timeout`; all of them together end by `budget` from now, when given.
    pub fn new(ca_bundle: Option<&str>, attempt_timeout: Duration, budget: Option<Duration>) -> Result<Http, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::fetch(format!("cannot start the network runtime: {e}")))?;
        let mut extra_roots = Vec::new();
        if let Some(path) = ca_bundle {
            let pem = std::fs::read(path).map_err(|e| {
                Error::fetch(format!("cannot read the CA bundle {path}: {}", crate::error::io_cause(&e)))
                    .hint("fix AWS_CA_BUNDLE / ca_bundle, or unset it")
            })?;
            extra_roots = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|_| Error::fetch(format!("the CA bundle {path} holds no valid PEM certificate")))?;
        }
        let connect_timeout = attempt_timeout.min(Duration::from_secs(3));
        let plain = Clients::builder(connect_timeout)
            .tls_built_in_root_certs(false)
            .build()
            .map_err(|e| Error::fetch(format!("cannot set up HTTP: {e}")))?;
        let clients = Clients { plain, https: std::sync::OnceLock::new(), extra_roots, connect_timeout };
        let deadline = budget.and_then(|b| Instant::now().checked_add(b));
        Ok(Http {
            runtime: std::sync::Arc::new(runtime),
            clients: std::sync::Arc::new(clients),
            attempt_timeout,
            deadline,
        })
    }

    /// The same client (its TLS configuration, its roots, its open connections) with other limits:
    /// how the network helper serves one request after another over one connection per endpoint.
    pub fn with_limits(&self, attempt_timeout: Duration, budget: Option<Duration>) -> Http {
        let deadline = budget.and_then(|b| Instant::now().checked_add(b));
        Http { runtime: self.runtime.clone(), clients: self.clients.clone(), attempt_timeout, deadline }
    }

    /// Send with retries; `Ok` only for a 2xx response.
    pub fn send(&self, request: &Request) -> Result<Response, Failure> {
        let url = checked_url(&request.url).map_err(Failure::Transport)?;
        let mut attempt = 1;
        loop {
            let Some(timeout) = self.time_for_an_attempt() else {
                return Err(Failure::Transport("ran out of the time allowed for it".into()));
            };
            let outcome = self.runtime.block_on(self.send_once(request, &url, timeout));
            let retry = match &outcome {
                Ok(r) if (200..300).contains(&r.status) => false,
                Ok(r) => is_retryable_status(r),
                Err(Attempt::Retry(_)) => true,
                Err(Attempt::Final(_)) => false,
            };
            let pause = backoff(attempt);
            let time_left = self.deadline.is_none_or(|d| Instant::now() + pause < d);
            if !retry || attempt >= MAX_ATTEMPTS || !time_left {
                return match outcome {
                    Ok(r) if (200..300).contains(&r.status) => Ok(r),
                    Ok(r) => Err(Failure::Status(r)),
                    Err(Attempt::Retry(e) | Attempt::Final(e)) => Err(Failure::Transport(e)),
                };
            }
            std::thread::sleep(pause);
            attempt += 1;
        }
    }

    /// This attempt's timeout: the per-attempt one, cut to what is left of the deadline.
    fn time_for_an_attempt(&self) -> Option<Duration> {
        match self.deadline {
            None => Some(self.attempt_timeout),
            Some(deadline) => {
                let left = deadline.checked_duration_since(Instant::now())?;
                (!left.is_zero()).then(|| left.min(self.attempt_timeout))
            }
        }
    }

    async fn send_once(&self, request: &Request, url: &reqwest::Url, timeout: Duration) -> Result<Response, Attempt> {
        let client = self.clients.for_url(url).map_err(Attempt::Final)?;
        let mut builder =
            client.request(request.method.clone(), url.clone()).timeout(timeout).body(request.body.clone());
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let mut response = builder.send().await.map_err(|e| Attempt::Retry(describe(e)))?;
        let status = response.status().as_u16();
        let date = response.headers().get("date").and_then(|v| v.to_str().ok()).map(str::to_owned);
        if (300..400).contains(&status) {
            return Err(Attempt::Final(format!("answered HTTP {status}, a redirect, which awsenv never follows")));
        }
        let too_large = || {
            Attempt::Final(format!("answered with more than {} KiB, where awsenv stops reading", MAX_BODY_BYTES / 1024))
        };
        if response.content_length().is_some_and(|n| n > MAX_BODY_BYTES as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| Attempt::Retry(describe(e)))? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status, body, date })
    }
}

/// The hint for a transport failure: for a certificate the client does not trust (a private CA,
/// a company's TLS proxy), where to name the CA; else `otherwise`.
pub fn transport_hint(cause: &str, otherwise: &str) -> String {
    if cause.contains("invalid peer certificate") {
        "the endpoint's certificate is not from a CA this machine trusts: name its CA's PEM file in the profile's ca_bundle (or AWS_CA_BUNDLE)".to_owned()
    } else {
        otherwise.to_owned()
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
    // Without randomness (it does not fail on a live system) the full wait is as good.
    let random = crate::encoding::random_bytes(4).ok().and_then(|b| <[u8; 4]>::try_from(b).ok()).unwrap_or([0xff; 4]);
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
