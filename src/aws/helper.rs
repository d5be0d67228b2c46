//! The boundary between `awsenv` and `awsenv-fetch`, its network half.
//!
//! `awsenv` runs at every prompt, and merely linking an async runtime, HTTP and TLS into it costs
//! every start-up (their relocations fault in pages whether or not a request is ever made). So
//! the calls themselves live in a second executable installed beside it: `awsenv` keeps the
//! cache, the lock and the MFA prompt, and only on a cache miss starts `awsenv-fetch`. Requests go
//! as JSON lines on its stdin (secrets never travel in arguments) and answers come back as JSON
//! lines on its stdout; the same helper serves every later call of the process, over the
//! connections it already has. `awsenv-fetch`'s stderr is the user's.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::credentials::{Credentials, Secret, format_rfc3339, parse_timestamp};
use crate::error::{Error, ErrorKind};
use crate::helper::{MAX_ANSWER, sibling, spawn};
use crate::settings::Settings;

pub const HELPER: &str = "awsenv-fetch";

/// Where and how calls are made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Target {
    pub endpoint: String,
    pub region: String,
    /// The CA bundle to trust besides the system's: decided here, in `awsenv`, because the
    /// helper's own environment still holds what an earlier `use` exported for another profile.
    pub ca_bundle: Option<String>,
    pub hook: bool,
    /// Seconds allowed per attempt, when the call needs less than the default.
    pub timeout: Option<f64>,
    /// Seconds left of the overall budget (the prompt hook's), which also bounds the retries.
    #[serde(default)]
    pub budget: Option<f64>,
}

impl Target {
    /// A call made for a profile with these settings: it trusts the user's own `AWS_CA_BUNDLE`,
    /// else the profile's `ca_bundle` (never one that `use` exported for the previous profile),
    /// with the default timeout.
    pub fn new(
        endpoint: impl Into<String>,
        region: impl Into<String>,
        settings: &Settings,
        env: &crate::env::Env,
        hook: bool,
    ) -> Target {
        let ca_bundle = env
            .user_var("AWS_CA_BUNDLE")
            .map(str::to_owned)
            .or_else(|| settings.values.iter().find(|(k, _, _)| *k == "ca_bundle").map(|(_, v, _)| v.clone()));
        Target { endpoint: endpoint.into(), region: region.into(), ca_bundle, hook, timeout: None, budget: None }
    }

    /// The same target within what is left of `deadline` (none: no overall bound).
    pub fn within(mut self, deadline: Option<std::time::Instant>) -> Target {
        self.budget = deadline.map(|d| d.saturating_duration_since(std::time::Instant::now()).as_secs_f64());
        self
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    AssumeRole {
        source: WireCredentials,
        role_arn: String,
        session_name: String,
        external_id: Option<String>,
        duration_seconds: Option<u32>,
        mfa_serial: Option<String>,
        mfa_code: Option<String>,
    },
    /// GetSessionToken with long-term keys (and an MFA code).
    GetSessionToken {
        source: WireCredentials,
        duration_seconds: Option<u32>,
        mfa_serial: Option<String>,
        mfa_code: Option<String>,
    },
    /// GetFederationToken with an IAM user's long-term keys, for the console.
    GetFederationToken {
        source: WireCredentials,
        name: String,
        duration_seconds: Option<u32>,
    },
    AssumeRoleWithWebIdentity {
        role_arn: String,
        session_name: String,
        token: String,
    },
    GetCallerIdentity {
        credentials: WireCredentials,
    },
    /// EC2 instance metadata (IMDSv2) at this base URL.
    InstanceMetadata {
        endpoint: String,
    },
    /// The console federation endpoint's GetSigninToken for these (temporary) credentials.
    SigninToken {
        federation_url: String,
        credentials: WireCredentials,
        duration_seconds: Option<u32>,
    },
    /// The ECS / EKS container credentials endpoint.
    ContainerCredentials {
        url: String,
        authorization: Option<String>,
    },
    /// The SSO portal's GetRoleCredentials, with the access token of an SSO login.
    SsoRoleCredentials {
        account_id: String,
        role_name: String,
        token: String,
    },
    /// SSO-OIDC CreateToken with a grant (`body` as the service takes it).
    OidcCreateToken {
        body: serde_json::Value,
    },
    /// CreateToken while a person approves (device code, authorization code): the codes that
    /// mean "not yet" come back as `Answer::ServiceError`.
    OidcPollToken {
        body: serde_json::Value,
    },
    /// Any other SSO-OIDC call (RegisterClient, StartDeviceAuthorization): JSON in, JSON out.
    OidcCall {
        path: String,
        body: serde_json::Value,
    },
    /// AWS Sign-In's CreateOAuth2Token with the refresh grant and a DPoP proof (`aws login`).
    SigninRefresh {
        client_id: String,
        refresh_token: String,
        dpop_key: String,
    },
    /// The SSO portal's Logout.
    SsoLogout {
        token: String,
    },
    /// The `Date` header of an unsigned request to STS (`doctor --online`).
    ServerDate,
    /// IAM CreateAccessKey for the user these long-term keys belong to.
    CreateAccessKey {
        credentials: WireCredentials,
    },
    /// IAM DeleteAccessKey of one of the user's keys.
    DeleteAccessKey {
        credentials: WireCredentials,
        access_key_id: String,
    },
    /// The portal's ListAccounts and ListAccountRoles, every page, `workers` requests at a time.
    SsoListAssignments {
        token: String,
        workers: usize,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub target: Target,
    pub operation: Operation,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Credentials(WireCredentials),
    Identity {
        account: String,
        arn: String,
        user_id: String,
    },
    SigninToken(String),
    ServerDate(String),
    Listing(crate::aws::portal::Listing),
    /// A new access key: (id, secret).
    AccessKey {
        access_key_id: String,
        secret_access_key: String,
    },
    Token(crate::aws::sso::Token),
    Json(serde_json::Value),
    Done,
    /// A JSON service error that the caller handles itself (AuthorizationPending, SlowDown).
    ServiceError {
        code: String,
    },
    Error {
        message: String,
        hint: Option<String>,
    },
}

/// Credentials as they cross the pipe.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    pub expiration: Option<String>,
    pub account_id: Option<String>,
}

impl From<&Credentials> for WireCredentials {
    fn from(c: &Credentials) -> Self {
        WireCredentials {
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret_access_key.expose().to_owned(),
            session_token: c.session_token.as_ref().map(|t| t.expose().to_owned()),
            expiration: c.expiration.map(format_rfc3339),
            account_id: c.account_id.clone(),
        }
    }
}

impl WireCredentials {
    pub fn into_credentials(self) -> Option<Credentials> {
        let expiration = match self.expiration {
            Some(text) => Some(parse_timestamp(&text)?),
            None => None,
        };
        Some(Credentials {
            access_key_id: self.access_key_id,
            secret_access_key: Secret::new(self.secret_access_key),
            session_token: self.session_token.map(Secret::new),
            expiration,
            account_id: self.account_id,
        })
    }
}

/// `awsenv-fetch` beside this executable (`AWSENV_FETCH` overrides, for packagers).
pub fn helper_path() -> Result<PathBuf, Error> {
    sibling(HELPER, "AWSENV_FETCH")
}

/// The `awsenv-fetch` of this process: started at its first call, then given every later
/// request in turn, so that one resolution (a chain of roles, a login, a listing) is one process
/// and one connection per endpoint. It ends when this process does (its stdin closes).
struct Session {
    _child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

static SESSION: Mutex<Option<Session>> = Mutex::new(None);

fn start_session() -> Result<Session, Error> {
    let mut child = spawn(&helper_path()?, HELPER, "AWSENV_FETCH")?;
    let input = child.stdin.take().expect("stdin is piped");
    let output = BufReader::new(child.stdout.take().expect("stdout is piped"));
    Ok(Session { _child: child, input, output })
}

/// Run one request in `awsenv-fetch` and return its answer.
pub fn call(request: &Request) -> Result<Answer, Error> {
    let mut session = SESSION.lock().unwrap_or_else(|e| e.into_inner());
    if session.is_none() {
        *session = Some(start_session()?);
    }
    let current = session.as_mut().expect("started above");
    let mut line = serde_json::to_vec(request).expect("requests serialise");
    line.push(b'\n');
    let mut answer = String::new();
    let exchanged = current
        .input
        .write_all(&line)
        .and_then(|()| current.input.flush())
        .and_then(|()| (&mut current.output).take(MAX_ANSWER).read_line(&mut answer));
    let answer = match exchanged {
        // A line cut at the bound has no line end: not an answer, whatever it holds.
        Ok(n) if n > 0 && answer.ends_with('\n') => serde_json::from_str::<Answer>(&answer).ok(),
        _ => None,
    };
    let Some(answer) = answer else {
        // A helper that died (or answered past the bound) answers nothing more: it is stopped
        // and waited for, and the next call starts another.
        if let Some(helper) = session.take() {
            helper.end(true);
        }
        return Err(Error::fetch(format!("{HELPER} ended without an answer"))
            .hint("reinstall awsenv; the executables must be of one version"));
    };
    match answer {
        Answer::Error { message, hint } => Err(Error { kind: ErrorKind::Fetch, profile: None, message, hint }),
        answer => Ok(answer),
    }
}

/// End this process's helper, if it started one, and wait for it: its stdin closes, it ends, and
/// it is reaped here rather than left to whichever process adopts it (a PID 1 that never reaps
/// would keep it as a zombie). Called as awsenv ends.
pub fn end_session() {
    let mut session = SESSION.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(helper) = session.take() {
        helper.end(false);
    }
}

impl Session {
    /// Close the helper's pipes (so it ends on its own), stop it too when `kill`, and wait for it.
    fn end(self, kill: bool) {
        let Session { mut _child, input, output } = self;
        drop((input, output));
        if kill {
            let _ = _child.kill();
        }
        let _ = _child.wait();
    }
}

/// Let go of this process's helper without a word to it: for a forked child (`serve --detach`),
/// whose parent's helper is not its own. The child starts its own at its next call.
pub fn forget_session() {
    let mut session = SESSION.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(old) = session.take() {
        // Closing the pipes here leaves the parent's copies, and the helper, as they were.
        let Session { _child, input, output } = old;
        drop((input, output));
        std::mem::forget(_child);
    }
}

/// The credentials in an answer.
pub fn credentials(answer: Answer) -> Result<Credentials, Error> {
    match answer {
        Answer::Credentials(wire) => wire
            .into_credentials()
            .ok_or_else(|| Error::fetch(format!("{HELPER} answered with an unreadable expiration"))),
        _ => Err(Error::fetch(format!("{HELPER} answered with something other than credentials"))),
    }
}
