//! What the endpoint serves: one profile's credentials, kept in memory while they have more than
//! the renewal margin left, renewed through awsenv's shared cache (and its per-entry lock, so
//! any number of clients and servers make one STS call per expiry), and renewed ahead by a
//! thread of their own so that an SDK's short timeout never meets an STS round trip.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use crate::acquire::{Caller, resolve_ahead};
use crate::cli::ResolveArgs;
use crate::credentials::Credentials;
use crate::env::Env;

/// Served credentials keep at least this much of their life (scaled down below an hour, as the
/// cache's margin is).
const MARGIN: Duration = Duration::from_secs(5 * 60);
/// After a failed renewal, clients get the same error for this long instead of a new attempt
/// each (twenty SDKs retrying must not become twenty STS calls a second).
const HOLD_FAILURE: Duration = Duration::from_secs(5);
/// Credentials with less than this left are not handed out, even during an outage.
const STILL_VALID: Duration = Duration::from_secs(30);

pub struct Source {
    profile: String,
    args: ResolveArgs,
    env: Env,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The credentials, and when this server received them (for their observed lifetime).
    current: Option<(Credentials, OffsetDateTime)>,
    failure: Option<(String, Instant)>,
    /// Whether the last renewal failed, so its end is announced once.
    failing: bool,
}

impl State {
    fn fresh(&self) -> Option<&Credentials> {
        let (credentials, received) = self.current.as_ref()?;
        let expiration = credentials.expiration?;
        let now = OffsetDateTime::now_utc();
        let lifetime = crate::numbers::until(expiration, *received);
        (crate::numbers::until(expiration, now) > crate::numbers::scaled_window(MARGIN, Some(lifetime)))
            .then_some(credentials)
    }

    /// The current credentials while they are still valid (beyond a half minute for the SDK's
    /// call to reach AWS): served during an outage, until nothing valid is left.
    fn still_valid(&self) -> Option<&Credentials> {
        let (credentials, _) = self.current.as_ref()?;
        let left = crate::numbers::until(credentials.expiration?, OffsetDateTime::now_utc());
        (left > STILL_VALID).then_some(credentials)
    }

    /// When the current credentials enter the margin.
    fn renew_at(&self) -> Option<OffsetDateTime> {
        let (credentials, received) = self.current.as_ref()?;
        let expiration = credentials.expiration?;
        let margin = crate::numbers::scaled_window(MARGIN, Some(crate::numbers::until(expiration, *received)));
        Some(expiration - margin)
    }
}

impl Source {
    /// A source for `profile`, starting from the credentials the command resolved at start (a
    /// person may have typed an MFA code for them). Renewals never prompt and never reuse the
    /// code, and take cached credentials when they are fresh.
    pub fn new(profile: &str, args: &ResolveArgs, env: &Env, first: Credentials) -> Arc<Source> {
        let args = ResolveArgs { refresh: false, mfa_code: None, ..args.clone() };
        let state = State { current: Some((first, OffsetDateTime::now_utc())), ..State::default() };
        Arc::new(Source { profile: profile.to_owned(), args, env: env.clone(), state: Mutex::new(state) })
    }

    /// The credentials to serve, or the one-line reason there are none (for the SDK and, once
    /// per outage, the server's stderr).
    pub fn credentials(&self) -> Result<Credentials, String> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(credentials) = state.fresh() {
            return Ok(credentials.clone());
        }
        if let Some((message, at)) = &state.failure
            && at.elapsed() < HOLD_FAILURE
        {
            return state.still_valid().cloned().ok_or_else(|| message.clone());
        }
        match resolve_ahead(&self.profile, &self.args, Caller::Background, None, &self.env) {
            Ok((_, credentials)) => {
                if state.failing {
                    eprintln!("awsenv serve: profile {}: renewed again", crate::error::quoted(&self.profile));
                }
                *state = State { current: Some((credentials.clone(), OffsetDateTime::now_utc())), ..State::default() };
                Ok(credentials)
            }
            Err(e) => {
                let message = match &e.hint {
                    Some(hint) => format!("{}; {hint}", e.message),
                    None => e.message.clone(),
                };
                let message = format!("awsenv: profile {}: {message}", crate::error::quoted(&self.profile));
                if !state.failing {
                    eprintln!("{message}");
                }
                state.failing = true;
                state.failure = Some((message.clone(), Instant::now()));
                // Renewal failed (an outage, a login that ended): what is still valid is still
                // served while renewal is retried; an error only once nothing valid is left.
                state.still_valid().cloned().ok_or(message)
            }
        }
    }

    /// Renew ahead, for ever: wake when the credentials enter the margin and take new ones, so a
    /// client's request is answered from memory. After a failure, try again every half minute
    /// (requests in between still try on their own).
    pub fn renew_ahead(self: Arc<Source>) {
        loop {
            let wake = self.state.lock().unwrap_or_else(|e| e.into_inner()).renew_at();
            let now = OffsetDateTime::now_utc();
            let pause = match wake {
                Some(at) if at > now => crate::numbers::until(at, now),
                Some(_) => Duration::ZERO,
                None => Duration::from_secs(30),
            };
            // At least a second between tries: cached credentials inside the margin come back as
            // they are until the cache renews them.
            std::thread::sleep(pause.max(Duration::from_secs(1)));
            if self.credentials().is_err() {
                std::thread::sleep(Duration::from_secs(30));
            }
        }
    }
}

/// The container credential provider's answer.
pub fn answer(credentials: &Credentials) -> String {
    let mut body = serde_json::json!({
        "AccessKeyId": credentials.access_key_id,
        "SecretAccessKey": credentials.secret_access_key.expose(),
        "Token": credentials.session_token.as_ref().map(|t| t.expose()),
        "Expiration": credentials.expiration.map(crate::credentials::format_rfc3339),
    });
    if let Some(account) = &credentials.account_id {
        body["AccountId"] = account.clone().into();
    }
    format!("{body}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Secret;

    /// A source whose renewals fail for real (its profile is in no file), holding credentials
    /// that end in `left` and were received `age` ago.
    fn failing_source(left: i64, age: i64) -> (Source, tempfile::TempDir) {
        let home = tempfile::tempdir().unwrap();
        let env = Env::from_pairs([
            ("HOME", home.path().to_str().unwrap()),
            ("AWSENV_CACHE_DIR", home.path().join("cache").to_str().unwrap()),
        ]);
        let now = OffsetDateTime::now_utc();
        let credentials = Credentials {
            access_key_id: "ASIAHELD".into(),
            secret_access_key: Secret::new("held-secret"),
            session_token: Some(Secret::new("held-token")),
            expiration: Some(now + time::Duration::seconds(left)),
            account_id: None,
        };
        let state = State { current: Some((credentials, now - time::Duration::seconds(age))), ..State::default() };
        let source = Source { profile: "gone".into(), args: ResolveArgs::default(), env, state: Mutex::new(state) };
        (source, home)
    }

    #[test]
    fn an_outage_serves_what_is_still_valid_and_errs_only_once_nothing_is() {
        // In the renewal margin (an hour's credentials with 100 s left), renewal fails: the held
        // credentials are still valid, so they are served, again and again while it fails.
        let (source, _home) = failing_source(100, 3500);
        for _ in 0..3 {
            assert_eq!(source.credentials().unwrap().access_key_id, "ASIAHELD");
        }
        assert!(source.state.lock().unwrap().failing, "the renewal did fail");
        // Nothing valid left (10 s, under the half minute a call needs): the error.
        let (source, _home) = failing_source(10, 3590);
        let message = source.credentials().unwrap_err();
        assert!(message.contains("profile \"gone\""), "{message}");
    }
}
