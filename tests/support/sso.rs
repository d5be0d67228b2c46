//! A loopback stand-in for the IAM Identity Center portal and SSO-OIDC (moto has neither): it
//! records every request and answers from a per-route script, then with a sensible default.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
pub enum SsoReply {
    /// The route's normal answer.
    Ok,
    /// This status and JSON body.
    Status(u16, String),
    /// The normal answer, after a pause.
    Slow(Duration),
    /// Close the connection without answering.
    Hangup,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    scripts: HashMap<String, VecDeque<SsoReply>>,
    /// What ListAccounts and ListAccountRoles list: (account id, name, roles).
    assignments: Vec<(String, String, Vec<String>)>,
    /// When set, ListAccounts never ends: every page is one new account whose name is this
    /// many bytes, with a new nextToken (a portal that pages for ever).
    endless: Option<usize>,
}

/// The mock's own page sizes, whatever `max_result` asks: small, so that paging is exercised.
const ACCOUNTS_PAGE: usize = 40;
const ROLES_PAGE: usize = 2;

pub struct SsoMock {
    pub endpoint: String,
    state: Arc<Mutex<State>>,
}

impl SsoMock {
    pub fn start() -> SsoMock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        SsoMock { endpoint, state }
    }

    /// Answer the next requests to `path` (e.g. "/token") with `replies`, in order.
    pub fn script(&self, path: &str, replies: Vec<SsoReply>) {
        self.state.lock().unwrap().scripts.entry(path.to_owned()).or_default().extend(replies);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// What the portal lists from now on.
    pub fn set_assignments(&self, assignments: Vec<(String, String, Vec<String>)>) {
        self.state.lock().unwrap().assignments = assignments;
    }

    /// From now on ListAccounts pages for ever, each page about `page_bytes` long.
    pub fn page_for_ever(&self, page_bytes: usize) {
        self.state.lock().unwrap().endless = Some(page_bytes);
    }

    /// How many requests went to `path`.
    pub fn calls(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }
}

fn serve(mut stream: std::net::TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).unwrap_or(0) == 0 {
        return;
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let recorded = Recorded {
        method,
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let (n, reply, assignments, endless) = {
        let mut state = state.lock().unwrap();
        state.requests.push(recorded.clone());
        let n = state.requests.iter().filter(|r| r.path == recorded.path).count();
        let reply = state.scripts.get_mut(path).and_then(VecDeque::pop_front).unwrap_or(SsoReply::Ok);
        let listing = path.starts_with("/assignment/");
        (n, reply, if listing { state.assignments.clone() } else { Vec::new() }, state.endless)
    };
    let normal = |request: &Recorded, n: usize| match endless {
        Some(bytes) if request.path == "/assignment/accounts" => {
            let page = serde_json::json!({
                "accountList": [{"accountId": format!("{:012}", n), "accountName": "x".repeat(bytes)}],
                "nextToken": format!("endless-{n}"),
            });
            (200, page.to_string(), None)
        }
        _ if request.path.starts_with("/assignment/") => listing(request, &assignments),
        _ => normal(request, n),
    };
    let (status, text, location) = match reply {
        SsoReply::Hangup => return,
        SsoReply::Status(status, text) => (status, text, None),
        SsoReply::Slow(wait) => {
            std::thread::sleep(wait);
            normal(&recorded, n)
        }
        SsoReply::Ok => normal(&recorded, n),
    };
    let location = location.map(|l| format!("location: {l}\r\n")).unwrap_or_default();
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{location}content-length: {}\r\nconnection: close\r\n\r\n{text}",
        text.len()
    );
}

/// ListAccounts and ListAccountRoles over `assignments`, a page at a time (`next_token` is the
/// offset of the next page).
fn listing(request: &Recorded, assignments: &[(String, String, Vec<String>)]) -> (u16, String, Option<String>) {
    let param =
        |name: &str| request.query.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).map(percent_decode);
    if !request.headers.iter().any(|(n, v)| n == "x-amz-sso_bearer_token" && !v.is_empty()) {
        return (401, r#"{"message":"no token"}"#.to_owned(), None);
    }
    let from: usize = param("next_token").and_then(|t| t.strip_prefix('t').and_then(|n| n.parse().ok())).unwrap_or(0);
    let page = |total: usize, size: usize| {
        let next = (from + size < total).then(|| serde_json::Value::from(format!("t{}", from + size)));
        (from..(from + size).min(total), next.unwrap_or(serde_json::Value::Null))
    };
    match request.path.as_str() {
        "/assignment/accounts" => {
            let (range, next) = page(assignments.len(), ACCOUNTS_PAGE);
            let list: Vec<_> = assignments[range]
                .iter()
                .map(|(id, name, _)| serde_json::json!({"accountId": id, "accountName": name, "emailAddress": format!("{id}@example.com")}))
                .collect();
            (200, serde_json::json!({"accountList": list, "nextToken": next}).to_string(), None)
        }
        "/assignment/roles" => {
            let account = param("account_id").unwrap_or_default();
            let Some((_, _, roles)) = assignments.iter().find(|(id, _, _)| *id == account) else {
                return (400, r#"{"__type":"InvalidRequestException","message":"no such account"}"#.to_owned(), None);
            };
            let (range, next) = page(roles.len(), ROLES_PAGE);
            let list: Vec<_> =
                roles[range].iter().map(|r| serde_json::json!({"roleName": r, "accountId": account})).collect();
            (200, serde_json::json!({"roleList": list, "nextToken": next}).to_string(), None)
        }
        _ => (404, r#"{"message":"no such route"}"#.to_owned(), None),
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The normal answer of each route; `n` counts the calls to that route, 1 first.
fn normal(request: &Recorded, n: usize) -> (u16, String, Option<String>) {
    let json = |v: serde_json::Value| (200, v.to_string(), None);
    match request.path.as_str() {
        "/federation/credentials" => json(serde_json::json!({"roleCredentials": {
            "accessKeyId": format!("ASIASSO{n:013}"),
            "secretAccessKey": format!("sso-secret-{n}"),
            "sessionToken": format!("sso-session-token-{n}"),
            "expiration": (now() + 3600) * 1000,
        }})),
        "/token" => json(serde_json::json!({
            "accessToken": format!("access-token-{n}"),
            "tokenType": "Bearer",
            "expiresIn": 28800,
            "refreshToken": format!("refresh-token-{n}"),
        })),
        "/client/register" => json(serde_json::json!({
            "clientId": format!("client-{n}"),
            "clientSecret": format!("client-secret-{n}"),
            "clientIdIssuedAt": now(),
            "clientSecretExpiresAt": now() + 90 * 86400,
        })),
        "/device_authorization" => json(serde_json::json!({
            "deviceCode": "device-code-1",
            "userCode": "ABCD-EFGH",
            "verificationUri": "https://device.sso.example/",
            "verificationUriComplete": "https://device.sso.example/?user_code=ABCD-EFGH",
            "expiresIn": 600,
            "interval": 1,
        })),
        "/authorize" => {
            // The browser comes back to the redirect URI with a code and the state it was sent.
            let param = |name: &str| {
                request.query.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).unwrap_or("").to_owned()
            };
            let redirect = percent_decode(&param("redirect_uri"));
            (302, String::new(), Some(format!("{redirect}?code=auth-code-{n}&state={}", param("state"))))
        }
        "/logout" => (200, String::new(), None),
        _ => (404, r#"{"message":"no such route"}"#.to_owned(), None),
    }
}

pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 3 <= bytes.len()
            && let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A token file in the AWS CLI's format, expiring `in_seconds` from now, refreshable when
/// `refreshable`.
pub fn token_file(start_url: &str, access_token: &str, in_seconds: i64, refreshable: bool) -> String {
    let at =
        |secs: i64| awsenv::sso::token::cli_timestamp(time::OffsetDateTime::now_utc() + time::Duration::seconds(secs));
    let mut v = serde_json::json!({
        "startUrl": start_url,
        "region": "us-east-1",
        "accessToken": access_token,
        "expiresAt": at(in_seconds),
    });
    if refreshable {
        let m = v.as_object_mut().unwrap();
        m.insert("clientId".into(), "client-0".into());
        m.insert("clientSecret".into(), "client-secret-0".into());
        m.insert("registrationExpiresAt".into(), at(30 * 86400).into());
        m.insert("refreshToken".into(), "refresh-token-0".into());
    }
    serde_json::to_string_pretty(&v).unwrap()
}

/// The start URL of the tests' `[sso-session corp]`.
pub const CORP_START_URL: &str = "https://corp.awsapps.com/start";
/// sha1("corp"): the CLI's token file name for `[sso-session corp]`.
pub const CORP_TOKEN: &str = "ee0bfd2552fbd840c02cc48b6e823320543c450f";

/// A home with `config` and a valid login (eight hours left) for `[sso-session corp]`.
pub fn home_logged_in_to_corp(config: &str) -> tempfile::TempDir {
    let home = super::home_with(config, "");
    let dir = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{CORP_TOKEN}.json")),
        token_file(CORP_START_URL, "access-token-0", 8 * 3600, false),
    )
    .unwrap();
    home
}
