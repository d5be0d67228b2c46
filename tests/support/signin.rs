//! STS and the console's federation endpoint on one loopback port, checking what AWS checks: who
//! may call GetFederationToken (long-term keys only, and not a user whose policy demands MFA),
//! which credentials GetSigninToken takes (a role's or a federated user's session, never an IAM
//! user's GetSessionToken session), `SessionDuration` only for a role and within its range, and
//! a sign-in token that signs in once. `login` answers with a redirect to the destination and a
//! cookie naming who signed in; the destination, a page of this server, records the cookie, so a
//! test reads back which identity a real browser landed as, and where.

use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use super::mock::{read_request, sts_error};
use super::sso::percent_decode;

#[derive(Default)]
struct State {
    n: usize,
    /// Session token → the ARN GetCallerIdentity names for it.
    sessions: HashMap<String, String>,
    /// Sign-in token → (identity, used).
    signin_tokens: HashMap<String, (String, bool)>,
    /// GetFederationToken is denied (a "deny unless MFA" policy).
    deny_federation: bool,
    /// (action, key id, form) of every STS call.
    calls: Vec<(String, String, String)>,
    /// Every getSigninToken query.
    token_requests: Vec<String>,
    /// (identity, destination) of each login.
    logins: Vec<(String, String)>,
    /// (path and query, identity from the cookie) of each landing.
    landings: Vec<(String, String)>,
}

pub struct SigninMock {
    pub endpoint: String,
    state: Arc<Mutex<State>>,
}

impl SigninMock {
    pub fn start() -> SigninMock {
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
        SigninMock { endpoint, state }
    }

    pub fn federation_url(&self) -> String {
        format!("{}/federation", self.endpoint)
    }

    /// A destination page of this server.
    pub fn landing(&self, tag: &str) -> String {
        format!("{}/landing/{tag}", self.endpoint)
    }

    /// GetCallerIdentity (and the federation endpoint) take `token` for `arn`'s session.
    pub fn know(&self, token: &str, arn: &str) {
        self.state.lock().unwrap().sessions.insert(token.to_owned(), arn.to_owned());
    }

    pub fn deny_federation(&self) {
        self.state.lock().unwrap().deny_federation = true;
    }

    /// The STS actions called, in order.
    pub fn actions(&self) -> Vec<String> {
        self.state.lock().unwrap().calls.iter().map(|(a, _, _)| a.clone()).collect()
    }

    /// (key id, form) of each call of `action`.
    pub fn calls_of(&self, action: &str) -> Vec<(String, String)> {
        let state = self.state.lock().unwrap();
        state.calls.iter().filter(|(a, _, _)| a == action).map(|(_, k, f)| (k.clone(), f.clone())).collect()
    }

    pub fn token_requests(&self) -> Vec<String> {
        self.state.lock().unwrap().token_requests.clone()
    }

    pub fn logins(&self) -> Vec<(String, String)> {
        self.state.lock().unwrap().logins.clone()
    }

    pub fn landings(&self) -> Vec<(String, String)> {
        self.state.lock().unwrap().landings.clone()
    }

    /// Every sign-in token handed out.
    pub fn signin_tokens(&self) -> Vec<String> {
        self.state.lock().unwrap().signin_tokens.keys().cloned().collect()
    }
}

fn serve(mut stream: std::net::TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    while let Some((head, body)) = read_request(&mut reader) {
        let (status, headers, text) = answer(&head, &body, state);
        let ok = write!(
            stream,
            "HTTP/1.1 {status} X\r\n{headers}content-length: {}\r\nconnection: keep-alive\r\n\r\n{text}",
            text.len()
        );
        if ok.is_err() {
            return;
        }
    }
}

fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn query(target: &str) -> HashMap<String, String> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (percent_decode(k), percent_decode(v)))
        .collect()
}

fn answer(head: &str, body: &[u8], state: &Mutex<State>) -> (u16, String, String) {
    let target = head.split_whitespace().nth(1).unwrap_or("").to_owned();
    let path = target.split('?').next().unwrap_or("");
    let mut state = state.lock().unwrap();
    if path == "/federation" {
        return federation(&target, &mut state);
    }
    if path.starts_with("/landing/") {
        let who = header(head, "cookie")
            .and_then(|c| c.split(';').find_map(|kv| kv.trim().strip_prefix("aws-signed-in=")))
            .map(percent_decode)
            .unwrap_or_default();
        state.landings.push((target.clone(), who.clone()));
        return (
            200,
            "content-type: text/html\r\n".into(),
            format!("<!doctype html><title>signed in as {who}</title>"),
        );
    }
    if path.starts_with("/favicon") {
        return (404, String::new(), String::new());
    }
    sts(head, body, &mut state)
}

fn sts(head: &str, body: &[u8], state: &mut State) -> (u16, String, String) {
    let form: HashMap<String, String> = query(&format!("?{}", String::from_utf8_lossy(body)));
    let action = form.get("Action").cloned().unwrap_or_default();
    let key = head.split("Credential=").nth(1).and_then(|c| c.split('/').next()).unwrap_or("").to_owned();
    let token = header(head, "x-amz-security-token").map(str::to_owned);
    state.calls.push((action.clone(), key.clone(), String::from_utf8_lossy(body).into_owned()));
    let xml = |status: u16, text: String| (status, "content-type: text/xml\r\n".to_owned(), text);
    state.n += 1;
    let n = state.n;
    let expiration = (time::OffsetDateTime::now_utc() + time::Duration::hours(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let credentials = |id: &str, token: &str| {
        format!(
            "<Credentials><AccessKeyId>{id}</AccessKeyId><SecretAccessKey>secret-{n}</SecretAccessKey>\
             <SessionToken>{token}</SessionToken><Expiration>{expiration}</Expiration></Credentials>"
        )
    };
    match action.as_str() {
        "GetCallerIdentity" => {
            let arn = match &token {
                None if key.starts_with("AKIA") => "arn:aws:iam::123456789012:user/alice".to_owned(),
                None => {
                    return xml(
                        403,
                        sts_error("InvalidClientTokenId", "The security token included in the request is invalid."),
                    );
                }
                Some(t) => state
                    .sessions
                    .get(t)
                    .cloned()
                    .unwrap_or_else(|| format!("arn:aws:sts::123456789012:assumed-role/sso/{key}")),
            };
            xml(
                200,
                format!(
                    "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>{arn}</Arn><UserId>AIDA:{key}</UserId>\
                     <Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"
                ),
            )
        }
        "GetFederationToken" => {
            // STS: "must be called with the long-term security credentials of an IAM user".
            if token.is_some() || !key.starts_with("AKIA") {
                return xml(403, sts_error("AccessDenied", "Cannot call GetFederationToken with session credentials"));
            }
            if state.deny_federation {
                return xml(
                    403,
                    sts_error(
                        "AccessDenied",
                        "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:GetFederationToken with an explicit deny",
                    ),
                );
            }
            let name = form.get("Name").cloned().unwrap_or_default();
            let name_ok = (2..=32).contains(&name.len())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
            let duration_ok = form
                .get("DurationSeconds")
                .is_none_or(|d| d.parse::<u32>().is_ok_and(|d| (900..=129_600).contains(&d)));
            if !name_ok || !duration_ok || !form.contains_key("Policy") {
                return xml(400, sts_error("ValidationError", "Name, Policy or DurationSeconds is not valid"));
            }
            let session = format!("federation-token-{n}");
            let arn = format!("arn:aws:sts::123456789012:federated-user/{name}");
            state.sessions.insert(session.clone(), arn.clone());
            xml(
                200,
                format!(
                    "<GetFederationTokenResponse><GetFederationTokenResult>{}<FederatedUser><Arn>{arn}</Arn>\
                     <FederatedUserId>123456789012:{name}</FederatedUserId></FederatedUser></GetFederationTokenResult></GetFederationTokenResponse>",
                    credentials(&format!("ASIAFED{n:013}"), &session)
                ),
            )
        }
        "GetSessionToken" => {
            let session = format!("session-token-{n}");
            state.sessions.insert(session.clone(), "arn:aws:iam::123456789012:user/alice".to_owned());
            xml(
                200,
                format!(
                    "<GetSessionTokenResponse><GetSessionTokenResult>{}</GetSessionTokenResult></GetSessionTokenResponse>",
                    credentials(&format!("ASIASESSION{n:09}"), &session)
                ),
            )
        }
        "AssumeRole" => {
            let role = form.get("RoleArn").cloned().unwrap_or_default();
            let role_name = role.rsplit('/').next().unwrap_or("").to_owned();
            let session_name = form.get("RoleSessionName").cloned().unwrap_or_default();
            let session = format!("role-token-{n}");
            let arn = format!("arn:aws:sts::123456789012:assumed-role/{role_name}/{session_name}");
            state.sessions.insert(session.clone(), arn.clone());
            xml(
                200,
                format!(
                    "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>{arn}</Arn></AssumedRoleUser>{}</AssumeRoleResult></AssumeRoleResponse>",
                    credentials(&format!("ASIAROLE{n:012}"), &session)
                ),
            )
        }
        _ => xml(400, sts_error("InvalidAction", "not an action of this mock")),
    }
}

fn federation(target: &str, state: &mut State) -> (u16, String, String) {
    let params = query(target);
    let bad = |why: &str| (400, String::new(), format!("<html>{why}</html>"));
    match params.get("Action").map(String::as_str) {
        Some("getSigninToken") => {
            state.token_requests.push(target.to_owned());
            let Some(session) = params.get("Session").and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            else {
                return bad("no Session");
            };
            let token = session["sessionToken"].as_str().unwrap_or("").to_owned();
            if session["sessionId"].as_str().is_none() || session["sessionKey"].as_str().is_none() || token.is_empty() {
                return bad("the session needs sessionId, sessionKey and sessionToken");
            }
            // Tokens this mock did not issue are an SSO portal's role sessions.
            let identity = state.sessions.get(&token).cloned().unwrap_or_else(|| {
                format!("arn:aws:sts::123456789012:assumed-role/sso/{}", session["sessionId"].as_str().unwrap_or(""))
            });
            if identity.contains(":user/") {
                // What AWS says: only federation tokens or assume-role tokens may sign in.
                return bad("Only federation tokens or assume role tokens may be used for federated login");
            }
            if let Some(duration) = params.get("SessionDuration") {
                if identity.contains(":federated-user/") {
                    return bad("SessionDuration cannot be used with GetFederationToken credentials");
                }
                if !duration.parse::<u32>().is_ok_and(|d| (900..=43_200).contains(&d)) {
                    return bad("SessionDuration must be 900 to 43200");
                }
            }
            state.n += 1;
            let signin = format!("signin-{}", state.n);
            state.signin_tokens.insert(signin.clone(), (identity, false));
            (200, "content-type: application/json\r\n".into(), format!("{{\"SigninToken\":\"{signin}\"}}"))
        }
        Some("login") => {
            let destination = params.get("Destination").cloned().unwrap_or_default();
            let token = params.get("SigninToken").cloned().unwrap_or_default();
            let Some((identity, used)) = state.signin_tokens.get_mut(&token) else {
                return bad("unknown sign-in token");
            };
            if *used {
                return bad("the sign-in token was used already");
            }
            *used = true;
            let identity = identity.clone();
            state.logins.push((identity.clone(), destination.clone()));
            let cookie = identity.replace(':', "%3A").replace('/', "%2F");
            (302, format!("location: {destination}\r\nset-cookie: aws-signed-in={cookie}; Path=/\r\n"), String::new())
        }
        _ => bad("unknown action"),
    }
}
