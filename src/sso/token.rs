//! The access token an `aws sso login` / `awsenv login` left in the AWS CLI's token cache
//! (`~/.aws/sso/cache/<sha1>.json`): where it is, what state it is in, and its renewal. The file
//! is read when a token is needed, and never held open.
//!
//! `sso-session` tokens that carry a refresh token and a live client registration are renewed
//! with SSO-OIDC before they run out, and written back into the same file in the CLI's format,
//! under a lock of ours, so that the CLI and awsenv keep sharing one login.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Map, Value};
use sha1::{Digest, Sha1};
use time::OffsetDateTime;

use crate::aws::helper::{Answer, Operation};
use crate::cache::Cache;
use crate::credentials::parse_timestamp;
use crate::env::Env;
use crate::error::{Error, io_cause, quoted};
use crate::resolve::Settings;
use crate::source::options::FetchOptions;

/// botocore renews a token that has less than this left; so does awsenv.
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Which login a profile uses: an `[sso-session]` by name, or a legacy profile's start URL.
#[derive(Debug, Clone, Copy)]
pub struct Login<'a> {
    pub session: Option<&'a str>,
    pub start_url: &'a str,
    pub region: &'a str,
}

impl Login<'_> {
    /// How the login is named in messages and in `awsenv login`.
    pub fn describe(&self) -> String {
        match self.session {
            Some(session) => format!("sso-session {}", quoted(session)),
            None => format!("SSO start URL {}", self.start_url),
        }
    }

    pub fn login_hint(&self, profile: &str) -> String {
        match self.session {
            Some(session) => {
                format!("run `awsenv login --sso-session {session}` (or `aws sso login --sso-session {session}`)")
            }
            None => format!("run `awsenv login {profile}` (or `aws sso login --profile {profile}`)"),
        }
    }

    /// The token cache file's name: sha1 of the session name, or of the start URL as written.
    pub fn cache_key(&self) -> String {
        crate::encoding::hex(&Sha1::digest(self.session.unwrap_or(self.start_url).as_bytes()))
    }

    pub fn token_path(&self, env: &Env) -> Option<PathBuf> {
        Some(token_dir(env)?.join(format!("{}.json", self.cache_key())))
    }
}

/// `~/.aws/sso/cache`, where the AWS CLI keeps its tokens (it has no override, so neither does
/// awsenv).
pub fn token_dir(env: &Env) -> Option<PathBuf> {
    let home = crate::config::locate::home_dir(env, crate::config::locate::Platform::CURRENT)?;
    Some(Path::new(&home).join(".aws").join("sso").join("cache"))
}

/// A token file as the CLI writes it. Every member is kept, so that writing it back loses
/// nothing another tool put there.
#[derive(Debug, Clone)]
pub struct TokenFile {
    pub members: Map<String, Value>,
}

impl TokenFile {
    pub fn read(path: &Path) -> Result<Option<TokenFile>, String> {
        Ok(crate::private_files::read_json_object(path, "an AWS CLI token file")?.map(|members| TokenFile { members }))
    }

    /// A member by name, as smithy-rs reads them: case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.members.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str())
    }

    pub fn set(&mut self, name: &str, value: String) {
        let key =
            self.members.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned().unwrap_or_else(|| name.to_owned());
        self.members.insert(key, Value::String(value));
    }

    pub fn access_token(&self) -> Option<&str> {
        self.get("accessToken").filter(|t| !t.is_empty())
    }

    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.get("expiresAt").and_then(parse_timestamp)
    }

    /// What a refresh needs, when the token has it all and the client registration still lives.
    pub fn refresh_grant(&self, now: OffsetDateTime) -> Option<Value> {
        let registration = self.get("registrationExpiresAt").and_then(parse_timestamp)?;
        if registration <= now {
            return None;
        }
        Some(crate::aws::sso::refresh_grant(
            self.get("clientId").filter(|v| !v.is_empty())?,
            self.get("clientSecret").filter(|v| !v.is_empty())?,
            self.get("refreshToken").filter(|v| !v.is_empty())?,
        ))
    }

    /// Whether this token, expiring at `expires`, is to be renewed now: it runs out within the
    /// window, and it is an sso-session token that carries what renewing takes.
    fn renew_now(&self, login: &Login<'_>, expires: OffsetDateTime, now: OffsetDateTime) -> bool {
        expires - now < REFRESH_WINDOW && login.session.is_some() && self.refresh_grant(now).is_some()
    }

    /// Written back as the CLI writes it: two-space JSON, timestamps `%Y-%m-%dT%H:%M:%SZ`, 0600,
    /// atomically (a temporary file and a rename in the same directory).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        crate::private_files::write_json_object(path, &self.members)
    }
}

/// Format a time the way the CLI writes token timestamps.
pub fn cli_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// What `list` and `explain` say of a login, from the token file alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    Valid(OffsetDateTime),
    /// Expired or about to, but it carries what renewing it takes.
    Refreshable(OffsetDateTime),
    Expired(OffsetDateTime),
    Missing,
    Unreadable(String),
}

impl TokenState {
    /// Short, for `list`: `valid 7h59m`, `refreshable`, `expired`, `missing`, `unreadable`.
    pub fn short(&self) -> String {
        match self {
            TokenState::Valid(t) => {
                format!("valid {}", crate::prompt::left((*t - OffsetDateTime::now_utc()).whole_seconds()))
            }
            TokenState::Refreshable(_) => "refreshable".to_owned(),
            TokenState::Expired(_) => "expired".to_owned(),
            TokenState::Missing => "missing".to_owned(),
            TokenState::Unreadable(_) => "unreadable".to_owned(),
        }
    }

    /// Whole, for `explain`.
    pub fn long(&self) -> String {
        let at = |t: &OffsetDateTime| crate::credentials::format_rfc3339(*t);
        match self {
            TokenState::Valid(t) => {
                format!("valid until {} ({} left)", at(t), self.short().trim_start_matches("valid "))
            }
            TokenState::Refreshable(t) => format!("expires at {}, renewed on next use (it has a refresh token)", at(t)),
            TokenState::Expired(t) => format!("expired at {}", at(t)),
            TokenState::Missing => "missing (not logged in)".to_owned(),
            TokenState::Unreadable(cause) => format!("unreadable: {cause}"),
        }
    }
}

pub fn token_state(env: &Env, login: &Login<'_>) -> TokenState {
    let Some(path) = login.token_path(env) else { return TokenState::Missing };
    let now = OffsetDateTime::now_utc();
    match TokenFile::read(&path) {
        Ok(None) => TokenState::Missing,
        Err(cause) => TokenState::Unreadable(cause),
        Ok(Some(token)) => match (token.access_token(), token.expires_at()) {
            (Some(_), Some(expires)) => {
                if token.renew_now(login, expires, now) {
                    TokenState::Refreshable(expires)
                } else if expires > now {
                    TokenState::Valid(expires)
                } else {
                    TokenState::Expired(expires)
                }
            }
            _ => TokenState::Unreadable("it has no accessToken or expiresAt".to_owned()),
        },
    }
}

/// The portal for a login: configured endpoints first, then the login's region.
pub fn portal_endpoint(env: &Env, settings: &Settings, region: &str) -> String {
    crate::aws::endpoint::service(env, settings, "sso", "portal.sso", region)
}

/// SSO-OIDC for a login.
pub fn oidc_endpoint(env: &Env, settings: &Settings, region: &str) -> String {
    crate::aws::endpoint::service(env, settings, "sso_oidc", "oidc", region)
}

/// The access token, renewed first when it is about to run out and can be.
pub fn usable_token(
    login: &Login<'_>,
    profile: &str,
    at: &str,
    settings: &Settings,
    env: &Env,
    options: FetchOptions<'_>,
) -> Result<String, Error> {
    let path = login.token_path(env).ok_or_else(|| {
        Error::fetch("cannot find the SSO token cache: HOME is not set").hint("set HOME to where ~/.aws is")
    })?;
    let shown = crate::config::display_path(&path, env);
    let read = || -> Result<TokenFile, Error> {
        match TokenFile::read(&path) {
            Ok(Some(token)) => Ok(token),
            Ok(None) => {
                Err(Error::fetch(format!("no SSO login for {} ({at}): {shown} does not exist", login.describe()))
                    .hint(login.login_hint(profile)))
            }
            Err(cause) => Err(Error::fetch(format!("the SSO token cache {shown} cannot be used: {cause}"))
                .hint(login.login_hint(profile))),
        }
    };
    let now = OffsetDateTime::now_utc();
    let token = read()?;
    let expires = token.expires_at().filter(|_| token.access_token().is_some()).ok_or_else(|| {
        Error::fetch(format!("the SSO token cache {shown} has no accessToken or no readable expiresAt"))
            .hint(login.login_hint(profile))
    })?;
    if token.renew_now(login, expires, now) {
        match refresh(login, &path, settings, env, options) {
            Ok(token) => return Ok(token),
            // A token that still works is used; the next run tries the renewal again.
            Err(_) if expires > now + Duration::from_secs(60) => {}
            Err(e) => return Err(e.hint(login.login_hint(profile))),
        }
    }
    if expires <= now {
        return Err(Error::fetch(format!(
            "the SSO login for {} ({at}) expired at {}",
            login.describe(),
            crate::credentials::format_rfc3339(expires)
        ))
        .hint(login.login_hint(profile)));
    }
    Ok(token.access_token().expect("checked above").to_owned())
}

/// Renew the token with its refresh token, once among all the processes that want to: under a
/// lock of ours, the file is read again, and only a token still due is renewed.
fn refresh(
    login: &Login<'_>,
    path: &Path,
    settings: &Settings,
    env: &Env,
    options: FetchOptions<'_>,
) -> Result<String, Error> {
    let lock = Cache::open(env)?.lock(&format!("sso-token-{}", login.cache_key()), options.policy().lock_wait)?;
    let now = OffsetDateTime::now_utc();
    let unreadable = || Error::fetch(format!("the SSO token cache {} cannot be read", path.display()));
    let mut token = TokenFile::read(path).map_err(|_| unreadable())?.ok_or_else(unreadable)?;
    if let (Some(access), Some(expires)) = (token.access_token(), token.expires_at())
        && expires - now >= REFRESH_WINDOW
    {
        // Someone else renewed it while this process waited.
        return Ok(access.to_owned());
    }
    let grant = token.refresh_grant(now).ok_or_else(unreadable)?;
    let region = match token.get("region") {
        Some(region) => crate::aws::region::check(region, &format!("the region in {}", path.display()))?,
        None => login.region,
    }
    .to_owned();
    let endpoint = oidc_endpoint(env, settings, &region);
    let answer = crate::aws::helper::call(&crate::aws::helper::Request {
        target: crate::aws::helper::Target::new(endpoint, region, settings, env, options.hook).within(options.deadline),
        operation: Operation::OidcCreateToken { body: grant },
    })
    .map_err(|e| e.context(format!("renewing the SSO login for {}", login.describe())))?;
    let Answer::Token(new) = answer else {
        return Err(Error::fetch("awsenv-fetch answered a token renewal with something else"));
    };
    token.set("accessToken", new.access_token.clone());
    token.set("expiresAt", cli_timestamp(crate::numbers::expires_after(now, new.expires_in)));
    if let Some(refresh_token) = new.refresh_token {
        token.set("refreshToken", refresh_token);
    }
    token.write(path).map_err(|e| {
        Error::fetch(format!("cannot write the renewed SSO token to {}: {}", path.display(), io_cause(&e)))
    })?;
    drop(lock);
    Ok(new.access_token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_keys_are_the_clis() {
        let session = Login { session: Some("dev"), start_url: "https://x", region: "us-east-1" };
        assert_eq!(session.cache_key(), "34c6fceca75e456f25e7e99531e2425c6c1de443");
        let legacy = Login { session: None, start_url: "https://ssotest.awsapps.com/start", region: "us-east-1" };
        assert_eq!(legacy.cache_key(), "dace00cba5f8355ec9d274ceb2bcebdfbeed0e12");
    }

    #[test]
    fn timestamps_are_written_as_the_cli_does_and_read_in_every_suffix() {
        let t = parse_timestamp("2026-01-01T12:00:00Z").unwrap();
        assert_eq!(cli_timestamp(t), "2026-01-01T12:00:00Z");
        for text in ["2026-01-01T12:00:00Z", "2026-01-01T12:00:00+00:00", "2026-01-01T12:00:00UTC"] {
            assert_eq!(parse_timestamp(text), Some(t), "{text}");
        }
    }
}
