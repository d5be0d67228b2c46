//! A scripted STS on loopback, for what moto cannot do: count calls, fail on purpose, stall.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Reply {
    /// A valid AssumeRole answer with fresh keys (numbered by call).
    Credentials,
    /// This status and body.
    Status(u16, String),
    /// Wait, then answer with credentials.
    Slow(Duration),
    /// Close the connection without answering.
    Hangup,
    /// Credentials that expire this many seconds from now.
    ExpiringIn(i64),
}

pub struct Mock {
    pub endpoint: String,
    calls: Arc<AtomicUsize>,
    script: Arc<Mutex<Vec<Reply>>>,
    state: Arc<State>,
}

/// What the mock is beyond its script: how long `Reply::Credentials` live, and the
/// GetCallerIdentity calls it answered (never scripted, never counted as calls).
#[derive(Default)]
struct State {
    lifetime: AtomicI64,
    identities: Mutex<Vec<String>>,
    /// Every form body it was sent, in order.
    bodies: Mutex<Vec<String>>,
    /// GetCallerIdentity refuses keys that start with this (a key IAM has not let in yet).
    refused: Mutex<Option<String>>,
    /// Every form body with the access key id that signed it.
    signers: Mutex<Vec<(String, String)>>,
    /// GetCallerIdentity names another IAM user for keys starting with this.
    other_user: Mutex<Option<String>>,
    /// TCP connections accepted.
    connections: AtomicUsize,
}

impl Mock {
    /// Serve `script` in order, then `Reply::Credentials` for ever.
    pub fn start(script: Vec<Reply>) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let calls = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(Mutex::new(script.into_iter().rev().collect::<Vec<_>>()));
        let state = Arc::new(State { lifetime: AtomicI64::new(3600), ..State::default() });
        let (c, s, st) = (calls.clone(), script.clone(), state.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (c, s, st) = (c.clone(), s.clone(), st.clone());
                std::thread::spawn(move || serve(stream, &c, &s, &st));
            }
        });
        Mock { endpoint, calls, script, state }
    }

    /// `Reply::Credentials` from now on live this many seconds.
    pub fn set_lifetime(&self, seconds: i64) {
        self.state.lifetime.store(seconds, Ordering::SeqCst);
    }

    /// From now on GetCallerIdentity answers 403 InvalidClientTokenId for keys starting with
    /// `prefix` (`None`: for none).
    pub fn refuse_identity_of(&self, prefix: Option<&str>) {
        *self.state.refused.lock().unwrap() = prefix.map(str::to_owned);
    }

    /// From now on GetCallerIdentity says keys starting with `prefix` belong to another IAM user.
    pub fn other_user_for(&self, prefix: &str) {
        *self.state.other_user.lock().unwrap() = Some(prefix.to_owned());
    }

    /// How many TCP connections clients opened.
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// Every form body sent so far (AssumeRole, GetSessionToken, ...), in order.
    pub fn bodies(&self) -> Vec<String> {
        self.state.bodies.lock().unwrap().clone()
    }

    /// Every form body with the access key id that signed it, in order.
    pub fn signers(&self) -> Vec<(String, String)> {
        self.state.signers.lock().unwrap().clone()
    }

    /// The access key id of every GetCallerIdentity call so far, in order.
    pub fn identities(&self) -> Vec<String> {
        self.state.identities.lock().unwrap().clone()
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    pub fn push(&self, reply: Reply) {
        self.script.lock().unwrap().insert(0, reply);
    }
}

/// One HTTP/1.1 request: its head as sent (request line and headers) and its body; `None` when
/// the connection closed first.
pub fn read_request(reader: &mut impl BufRead) -> Option<(String, Vec<u8>)> {
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    Some((head, body))
}

/// Requests on one connection, answered in turn while the client keeps it open (HTTP/1.1
/// keep-alive, as STS does).
fn serve(mut stream: std::net::TcpStream, calls: &AtomicUsize, script: &Mutex<Vec<Reply>>, state: &State) {
    state.connections.fetch_add(1, Ordering::SeqCst);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    while let Some((head, body)) = read_request(&mut reader) {
        let keep = !head.to_ascii_lowercase().contains("connection: close");
        if !answer(&mut stream, &head, &body, keep, calls, script, state) || !keep {
            return;
        }
    }
}

/// One answer; `false` when the connection was dropped instead.
fn answer(
    stream: &mut std::net::TcpStream,
    head: &str,
    body: &[u8],
    keep: bool,
    calls: &AtomicUsize,
    script: &Mutex<Vec<Reply>>,
    state: &State,
) -> bool {
    let connection = if keep { "keep-alive" } else { "close" };
    let form = String::from_utf8_lossy(body).into_owned();
    state.bodies.lock().unwrap().push(form.clone());
    let signer = head.split("Credential=").nth(1).and_then(|c| c.split('/').next()).unwrap_or("").to_owned();
    state.signers.lock().unwrap().push((form.clone(), signer));
    if form.contains("Action=GetCallerIdentity") {
        // The key id from `Credential=AKID/date/region/sts/aws4_request` in the signature.
        let key = head.split("Credential=").nth(1).and_then(|c| c.split('/').next()).unwrap_or("").to_owned();
        state.identities.lock().unwrap().push(key.clone());
        if state.refused.lock().unwrap().as_deref().is_some_and(|p| key.starts_with(p)) {
            let text = sts_error("InvalidClientTokenId", "The security token included in the request is invalid.");
            let _ = write!(
                stream,
                "HTTP/1.1 403 X\r\ncontent-length: {}\r\nconnection: {connection}\r\n\r\n{text}",
                text.len()
            );
            return true;
        }
        // Long-term keys (AKIA) are an IAM user's, every key of it the same user; anything else
        // is a role session named after its key.
        let other = state.other_user.lock().unwrap().as_deref().is_some_and(|p| key.starts_with(p));
        let (arn, user_id) = match (key.starts_with("AKIA"), other) {
            (true, true) => ("arn:aws:iam::123456789012:user/other".to_owned(), "AIDAMOCKOTHER".to_owned()),
            (true, false) => ("arn:aws:iam::123456789012:user/me".to_owned(), "AIDAMOCKME".to_owned()),
            _ => (format!("arn:aws:sts::123456789012:assumed-role/r/{key}"), format!("AROAMOCK:{key}")),
        };
        let text = format!(
            "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>{arn}</Arn>\
             <UserId>{user_id}</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"
        );
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: {connection}\r\n\r\n{text}",
            text.len()
        );
        return true;
    }
    let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
    let reply = script.lock().unwrap().pop().unwrap_or(Reply::Credentials);
    let lifetime = state.lifetime.load(Ordering::SeqCst);
    let (status, text) = match reply {
        Reply::Hangup => return false,
        Reply::Slow(wait) => {
            std::thread::sleep(wait);
            (200, credentials_xml(n))
        }
        Reply::Credentials if form.contains("Action=CreateAccessKey") => (
            200,
            format!(
                "<CreateAccessKeyResponse><CreateAccessKeyResult><AccessKey><UserName>me</UserName>\
                 <AccessKeyId>AKIAROTATED{n:09}</AccessKeyId><Status>Active</Status>\
                 <SecretAccessKey>rotated-secret-{n}</SecretAccessKey></AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>"
            ),
        ),
        Reply::Credentials if form.contains("Action=DeleteAccessKey") => (200, "<DeleteAccessKeyResponse/>".to_owned()),
        Reply::Credentials if form.contains("Action=GetSessionToken") => (200, session_xml(n, lifetime)),
        Reply::ExpiringIn(seconds) if form.contains("Action=GetSessionToken") => (200, session_xml(n, seconds)),
        Reply::Credentials => (200, credentials_xml_expiring(n, lifetime)),
        Reply::ExpiringIn(seconds) => (200, credentials_xml_expiring(n, seconds)),
        Reply::Status(status, text) => (status, text),
    };
    write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: {connection}\r\n\r\n{text}",
        text.len()
    )
    .is_ok()
}

pub fn credentials_xml(n: usize) -> String {
    credentials_xml_expiring(n, 3600)
}

pub fn credentials_xml_expiring(n: usize, seconds: i64) -> String {
    let expiration = time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds);
    let expiration = expiration.format(&time::format_description::well_known::Rfc3339).unwrap();
    format!(
        "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>\
         <Credentials><AccessKeyId>ASIAMOCK{n:012}</AccessKeyId><SecretAccessKey>mock-secret-{n}</SecretAccessKey>\
         <SessionToken>mock-token-{n}</SessionToken><Expiration>{expiration}</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"
    )
}

/// A GetSessionToken answer with keys that expire `seconds` from now.
pub fn session_xml(n: usize, seconds: i64) -> String {
    let expiration = time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds);
    let expiration = expiration.format(&time::format_description::well_known::Rfc3339).unwrap();
    format!(
        "<GetSessionTokenResponse><GetSessionTokenResult><Credentials><AccessKeyId>ASIASESSION{n:09}</AccessKeyId>\
         <SecretAccessKey>session-secret-{n}</SecretAccessKey><SessionToken>session-token-{n}</SessionToken>\
         <Expiration>{expiration}</Expiration></Credentials></GetSessionTokenResult></GetSessionTokenResponse>"
    )
}

pub fn sts_error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error></ErrorResponse>"
    )
}

/// A loopback server answering fixed routes: (method, path) → (status, body). Requests are
/// recorded as "METHOD PATH header-names…" so tests can check what was sent.
pub struct Routes {
    pub endpoint: String,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Routes {
    pub fn start(routes: Vec<(&'static str, &'static str, u16, String)>) -> Routes {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        let routes = Arc::new(routes);
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                if reader.read_line(&mut first).unwrap_or(0) == 0 {
                    continue;
                }
                let mut seen = first.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    let lower = line.to_ascii_lowercase();
                    if let Some((name, value)) = lower.split_once(':') {
                        seen.push_str(&format!(" {name}={}", value.trim()));
                    }
                }
                let mut parts = first.split_whitespace();
                let method = parts.next().unwrap_or("").to_owned();
                let path = parts.next().unwrap_or("").split('?').next().unwrap_or("").to_owned();
                log.lock().unwrap().push(seen);
                let (status, body) = routes
                    .iter()
                    .find(|(m, p, _, _)| *m == method && *p == path)
                    .map_or((404, String::new()), |(_, _, s, b)| (*s, b.clone()));
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Routes { endpoint, requests }
    }
}

/// Instance or container credentials JSON, valid for an hour.
pub fn metadata_credentials(key: &str) -> String {
    let expiration = (time::OffsetDateTime::now_utc() + time::Duration::hours(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    format!(
        r#"{{"Code":"Success","AccessKeyId":"{key}","SecretAccessKey":"instance-secret","Token":"instance-token","Expiration":"{expiration}"}}"#
    )
}

/// A config with `base` (static keys) and `role` (a role assumed with them) whose STS is
/// `endpoint`; tests append profiles of their own.
pub fn role_config(endpoint: &str) -> String {
    format!(
        "[profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = base-secret\n\n\
         [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nservices = mock\n\n\
         [services mock]\nsts =\n  endpoint_url = {endpoint}\n\n"
    )
}
