//! The credential endpoint that SDKs poll (the container credential provider:
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN`), for processes
//! that outlive the credentials in their environment.
//!
//! Plain blocking std networking, a thread per connection: an SDK asks at most every few
//! seconds, and the prompt path never links or runs any of this. Every request must come to
//! the loopback address and port it was given (no DNS rebinding), carry the token (compared in
//! constant time), and ask for the one path; the answer comes from `source::Source`, which
//! reads awsenv's shared cache and renews ahead of expiry under the cache's lock.

mod child;
mod source;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub use child::run_and_exit_as;
pub use source::Source;

use crate::error::Error;

/// The one path served: the URL handed out is `http://ADDRESS:PORT/`.
const PATH: &str = "/";
/// A request head larger than this is not an SDK's.
const MAX_HEAD: u64 = 8 * 1024;
/// A client that sends nothing for this long is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// More connections than this at once: answered 503 at once rather than queued.
const MAX_CONNECTIONS: usize = 64;

pub struct Endpoint {
    listener: TcpListener,
    address: SocketAddr,
    token: String,
}

impl Endpoint {
    /// Listen on `ip` (loopback only) at `port` (0: any free one), with a fresh token.
    pub fn bind(ip: Option<IpAddr>, port: Option<u16>) -> Result<Endpoint, Error> {
        let ip = ip.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        if !ip.is_loopback() {
            return Err(Error::usage(format!(
                "{ip} is not a loopback address: the credential endpoint is for this machine's own processes"
            ))
            .hint("leave out --bind (127.0.0.1), or give another 127.x.y.z or ::1"));
        }
        let listener = TcpListener::bind((ip, port.unwrap_or(0))).map_err(|e| {
            let hint = if port.is_some() { "choose another --port, or leave it out for a free one" } else { "" };
            Error::fetch(format!(
                "cannot listen on {}: {}",
                SocketAddr::new(ip, port.unwrap_or(0)),
                crate::error::io_cause(&e)
            ))
            .hint(hint)
        })?;
        let address = listener.local_addr().map_err(|e| Error::fetch(format!("cannot listen: {e}")))?;
        Ok(Endpoint { listener, address, token: new_token()? })
    }

    pub fn url(&self) -> String {
        format!("http://{}{PATH}", self.address)
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Answer requests for ever (the caller's process ends it).
    pub fn serve(self, source: Arc<Source>) {
        let open = Arc::new(AtomicUsize::new(0));
        let this = Arc::new(self);
        for stream in this.listener.incoming() {
            let Ok(stream) = stream else { continue };
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                open.fetch_sub(1, Ordering::SeqCst);
                let _ = respond(&stream, 503, &error_body("Busy", "too many requests at once; try again"));
                continue;
            }
            let (this, source, open) = (this.clone(), source.clone(), open.clone());
            std::thread::spawn(move || {
                this.answer(stream, &source);
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    }

    fn answer(&self, stream: TcpStream, source: &Source) {
        let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
        let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
        let Some(request) = read_head(&stream) else {
            let _ = respond(&stream, 400, &error_body("BadRequest", "not an HTTP request"));
            return;
        };
        let (status, body) = match self.check(&request) {
            Err((status, code, message)) => (status, error_body(code, message)),
            Ok(()) => match source.credentials() {
                Ok(credentials) => (200, source::answer(&credentials)),
                Err(message) => (500, error_body("CredentialsUnavailable", &message)),
            },
        };
        let _ = respond(&stream, status, &body);
    }

    /// Method, path, Host and token, in that order; the token last so that nothing about it is
    /// learnt from a request that fails earlier.
    fn check(&self, request: &Head) -> Result<(), (u16, &'static str, &'static str)> {
        if request.method != "GET" {
            return Err((405, "MethodNotAllowed", "only GET is served"));
        }
        if request.path != PATH {
            return Err((404, "NotFound", "no such path"));
        }
        let host_ok = request.host.as_deref().is_some_and(|host| {
            host.eq_ignore_ascii_case(&self.address.to_string())
                || host.eq_ignore_ascii_case(&format!("localhost:{}", self.address.port()))
        });
        if !host_ok {
            return Err((403, "InvalidHost", "the Host header is not this endpoint's loopback address and port"));
        }
        match &request.authorization {
            None => Err((401, "MissingToken", "no Authorization header: set AWS_CONTAINER_AUTHORIZATION_TOKEN")),
            Some(given) if !same_secret(given.as_bytes(), self.token.as_bytes()) => {
                Err((403, "InvalidToken", "the Authorization header is not this endpoint's token"))
            }
            Some(_) => Ok(()),
        }
    }
}

/// 256 random bits, hex: the token an SDK sends back as `Authorization`.
fn new_token() -> Result<String, Error> {
    Ok(crate::encoding::hex(&crate::encoding::random_bytes(32)?))
}

/// Equal bytes, in time that depends on the lengths only (the length of the token is no secret).
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    if given.len() != expected.len() {
        return false;
    }
    let difference = given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    std::hint::black_box(difference) == 0
}

struct Head {
    method: String,
    path: String,
    host: Option<String>,
    authorization: Option<String>,
}

/// The request line and the two headers that matter; `None` for anything that is not a bounded,
/// well-formed HTTP/1.x head. A header given twice is refused (which one would count?).
fn read_head(stream: &TcpStream) -> Option<Head> {
    let mut reader = BufReader::new(stream.take(MAX_HEAD));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.trim_end_matches(['\r', '\n']).split(' ');
    let (method, path, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") {
        return None;
    }
    let mut head = Head { method: method.to_owned(), path: path.to_owned(), host: None, authorization: None };
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let text = line.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            return Some(head);
        }
        let (name, value) = text.split_once(':')?;
        let slot = match name.to_ascii_lowercase().as_str() {
            "host" => &mut head.host,
            "authorization" => &mut head.authorization,
            _ => continue,
        };
        if slot.replace(value.trim().to_owned()).is_some() {
            return None;
        }
    }
}

fn error_body(code: &str, message: &str) -> String {
    format!("{}\n", serde_json::json!({"code": code, "message": message}))
}

fn respond(mut stream: &TcpStream, status: u16, body: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Service Unavailable",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         cache-control: no-store\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_compared_whole() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_secret(a.as_bytes(), a.clone().as_bytes()));
        assert!(!same_secret(a.as_bytes(), b.as_bytes()));
        assert!(!same_secret(&a.as_bytes()[..63], a.as_bytes()));
    }

    #[test]
    fn only_loopback_addresses_are_bound() {
        for refused in ["0.0.0.0", "192.0.2.1", "::"] {
            let e = Endpoint::bind(Some(refused.parse().unwrap()), None).err().expect(refused);
            assert!(e.message.contains("not a loopback address"), "{}", e.message);
        }
        let endpoint = Endpoint::bind(None, None).unwrap();
        assert!(endpoint.url().starts_with("http://127.0.0.1:"), "{}", endpoint.url());
    }
}
