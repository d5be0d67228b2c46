//! The credential endpoint that SDKs poll (the container credential provider:
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN`), for processes
//! that outlive the credentials in their environment.
//!
//! Plain blocking std networking through `loopback`, a thread per connection: an SDK asks at
//! most every few seconds, and the prompt path never links or runs any of this. Every request must come to
//! the loopback address and port it was given (no DNS rebinding), carry the token (compared in
//! constant time), and ask for the one path; the answer comes from `source::Source`, which
//! reads awsenv's shared cache and renews ahead of expiry under the cache's lock.

mod child;
mod source;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;

pub use child::run_and_exit_as;
pub use source::Source;

use crate::error::Error;
use crate::loopback::{Head, Limits, Response};

/// The one path served: the URL handed out is `http://ADDRESS:PORT/`.
const PATH: &str = "/";

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

    /// Answer requests for ever (the caller's process ends it), through the hardened loopback
    /// listener: bounded heads with a deadline each, and silent connections never starving one
    /// that sends its request.
    pub fn serve(self, source: Arc<Source>) {
        let Endpoint { listener, address, token } = self;
        let checks = Checks { address, token };
        crate::loopback::serve_forever(&listener, Limits::default(), move |head: Option<&Head>| {
            let Some(head) = head else {
                let body = error_body("BadRequest", "not a complete HTTP request head in time");
                return Response { status: 400, content_type: "application/json", body };
            };
            let (status, body) = match checks.check(head) {
                Err((status, code, message)) => (status, error_body(code, message)),
                Ok(()) => match source.credentials() {
                    Ok(credentials) => (200, source::answer(&credentials)),
                    Err(message) => (500, error_body("CredentialsUnavailable", &message)),
                },
            };
            Response { status, content_type: "application/json", body }
        });
    }
}

/// What a request must match: the address it was sent to and the token.
struct Checks {
    address: SocketAddr,
    token: String,
}

impl Checks {
    /// Method, path, Host and token, in that order; the token last so that nothing about it is
    /// learnt from a request that fails earlier. A header given twice is refused (which one
    /// would count?).
    fn check(&self, request: &Head) -> Result<(), (u16, &'static str, &'static str)> {
        if request.method != "GET" {
            return Err((405, "MethodNotAllowed", "only GET is served"));
        }
        if request.target != PATH {
            return Err((404, "NotFound", "no such path"));
        }
        let twice = (400, "BadRequest", "a header is given twice");
        let host_ok = request.single("host").map_err(|_| twice)?.is_some_and(|host| {
            host.eq_ignore_ascii_case(&self.address.to_string())
                || host.eq_ignore_ascii_case(&format!("localhost:{}", self.address.port()))
        });
        if !host_ok {
            return Err((403, "InvalidHost", "the Host header is not this endpoint's loopback address and port"));
        }
        match request.single("authorization").map_err(|_| twice)? {
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

fn error_body(code: &str, message: &str) -> String {
    format!("{}\n", serde_json::json!({"code": code, "message": message}))
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
