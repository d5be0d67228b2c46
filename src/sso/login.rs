//! An IAM Identity Center login, as `aws sso login` makes it, for `awsenv login`, for `use` (which
//! offers one on a terminal when the token is missing or expired) and for `sso sync`. The client
//! registration and the token land in `~/.aws/sso/cache` in the CLI's own files and format, so
//! the CLI, the SDKs and awsenv share one login.
//!
//! Two flows, as in the CLI: authorization code with PKCE and a loopback redirect (the default),
//! and the device code (`--use-device-code`). Everything a person reads goes to stderr.

use std::io::{IsTerminal, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha1::Digest;
use time::OffsetDateTime;

use super::token::{Login, TokenFile, cli_timestamp, oidc_endpoint, token_dir};
use crate::aws::helper::{self, Answer, Operation, Request, Target};
use crate::config;
use crate::env::Env;
use crate::error::{Error, io_cause, quoted};
use crate::resolve::{Resolver, Settings, Source};

/// What a login is for, owned.
pub struct LoginTarget {
    pub session: Option<String>,
    pub start_url: String,
    pub region: String,
    pub scopes: Vec<String>,
    pub settings: Settings,
    /// How to name it in messages.
    pub label: String,
}

impl LoginTarget {
    pub fn login(&self) -> Login<'_> {
        Login { session: self.session.as_deref(), start_url: &self.start_url, region: &self.region }
    }
}

/// The sso-sessions to choose from for a bare `awsenv login`, when the profile the shell acts as
/// has none and the files have several (the command offers a picker); empty otherwise.
pub fn bare_choice(env: &Env) -> Result<Vec<String>, Error> {
    let texts = config::read(env)?;
    let files = crate::config::parse_cited(&texts, env)?;
    let sessions = files.names(config::SectionKind::SsoSession);
    if sessions.len() < 2 {
        return Ok(Vec::new());
    }
    let active = config::locate::named_or_active(None, env)?;
    let active_is_sso =
        Resolver::new(&files, env).plan(active).is_ok_and(|plan| matches!(plan.base.source, Source::Sso { .. }));
    Ok(if active_is_sso { Vec::new() } else { sessions.iter().map(|s| (*s).to_owned()).collect() })
}

/// The login a profile uses, or an sso-session by name; bare, the active profile's login, else
/// the one sso-session of the files.
pub fn target(profile: Option<&str>, sso_session: Option<&str>, env: &Env) -> Result<LoginTarget, Error> {
    let texts = config::read(env)?;
    let files = crate::config::parse_cited(&texts, env)?;
    // Bare `awsenv login`: the login of the profile the shell acts as (or the SDKs' selected
    // one) when it has one; else the only sso-session of the files. With several, the command
    // asks which (`bare_choice`), and names it.
    let sessions = files.names(config::SectionKind::SsoSession);
    let sso_session = match (profile, sso_session) {
        (None, None) => {
            let active = config::locate::named_or_active(None, env)?;
            let active_is_sso = Resolver::new(&files, env)
                .plan(active)
                .is_ok_and(|plan| matches!(plan.base.source, Source::Sso { .. }));
            match sessions.as_slice() {
                _ if active_is_sso => None,
                [only] => Some(*only),
                [] => None,
                several => {
                    let names: Vec<&str> = several.to_vec();
                    return Err(Error::usage(format!(
                        "profile {} does not use IAM Identity Center, and the files have several sso-sessions",
                        quoted(active)
                    ))
                    .hint(format!("name one: awsenv login --sso-session {}", names.join(" or --sso-session "))));
                }
            }
        }
        _ => sso_session,
    };
    let scopes_of = |session: &str| -> Vec<String> {
        let scopes = files.sso_session(session).and_then(|s| s.get("sso_registration_scopes").map(str::to_owned));
        match scopes {
            Some(list) => list.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
            None => vec!["sso:account:access".to_owned()],
        }
    };
    if let Some(name) = sso_session {
        let section = files.sso_session(name).ok_or_else(|| {
            Error::plan(format!("sso-session {} was not found", quoted(name))).hint(
                "`awsenv list` shows the profiles; add an [sso-session NAME] section with sso_start_url and sso_region",
            )
        })?;
        let (Some(start_url), Some(region)) = (section.get("sso_start_url"), section.get("sso_region")) else {
            return Err(Error::plan(format!(
                "[sso-session {name}] ({}) needs sso_start_url and sso_region",
                config::cite(&files, section.at, env)
            )));
        };
        crate::aws::region::check(region, "sso_region")
            .map_err(|e| e.context(format!("[sso-session {name}] ({})", config::cite(&files, section.at, env))))?;
        return Ok(LoginTarget {
            session: Some(name.to_owned()),
            start_url: start_url.to_owned(),
            region: region.to_owned(),
            scopes: scopes_of(name),
            settings: Settings::default(),
            label: format!("sso-session {}", quoted(name)),
        });
    }
    let name = config::locate::named_or_active(profile, env)?;
    let plan = Resolver::new(&files, env).plan(name).map_err(|e| e.profile(name))?;
    let Source::Sso { session, start_url, region, .. } = &plan.base.source else {
        return Err(Error::plan(format!("profile {} does not use IAM Identity Center", quoted(name)))
            .hint("name a profile with sso_session or sso_start_url, or use --sso-session NAME"));
    };
    Ok(LoginTarget {
        scopes: session.as_deref().map(scopes_of).unwrap_or_default(),
        session: session.clone(),
        start_url: start_url.clone(),
        region: region.clone(),
        settings: plan.settings.clone(),
        label: format!("profile {}", quoted(name)),
    })
}

/// The login `login` needs, offered to the person at the terminal after `why` (its token is
/// missing, expired or unusable): `Ok(true)` once logged in, `Ok(false)` when there is no
/// terminal or the person declines (the caller then reports `why`). `profile` names a legacy
/// profile's login (one without an sso-session).
pub fn offer(login: &Login<'_>, profile: Option<&str>, why: &Error, env: &Env) -> Result<bool, Error> {
    let question = format!("awsenv: {}\nawsenv: log in to {} now?", why.message, login.describe());
    if crate::tty::confirm(&question) != Some(true) {
        return Ok(false);
    }
    let target = match login.session {
        Some(session) => target(None, Some(session), env)?,
        None => target(profile, None, env)?,
    };
    let device_code =
        env.get_nonempty("AWSENV_LOGIN_DEVICE_CODE").is_some_and(|v| v != "0" && !v.eq_ignore_ascii_case("false"));
    log_in(&target, device_code, false, env)?;
    Ok(true)
}

/// One SSO-OIDC call for this login.
pub fn oidc(target: &LoginTarget, env: &Env, operation: Operation) -> Result<Answer, Error> {
    helper::call(&Request {
        target: Target::new(
            oidc_endpoint(env, &target.settings, &target.region),
            &target.region,
            &target.settings,
            env,
            false,
        ),
        operation,
    })
}

fn random_url_safe(bytes: usize) -> Result<String, Error> {
    Ok(crate::encoding::base64_url(&crate::encoding::random_bytes(bytes)?))
}

/// The CLI's registration cache key: sha1 of botocore's JSON of these arguments.
fn registration_key(target: &LoginTarget) -> String {
    // Python's json.dumps(sort_keys=True) with its default ", " and ": " separators.
    let scopes: Vec<String> =
        target.scopes.iter().map(|s| serde_json::to_string(s).expect("strings serialise")).collect();
    let session = target.session.as_ref().map_or("null".to_owned(), |s| serde_json::to_string(s).expect("strings"));
    let text = format!(
        "{{\"region\": {}, \"scopes\": [{}], \"session_name\": {session}, \"startUrl\": {}, \"tool\": \"botocore\"}}",
        serde_json::to_string(&target.region).expect("strings serialise"),
        scopes.join(", "),
        serde_json::to_string(&target.start_url).expect("strings serialise"),
    );
    crate::encoding::hex(&sha1::Sha1::digest(text.as_bytes()))
}

struct Registration {
    client_id: String,
    client_secret: String,
    expires_at: OffsetDateTime,
}

/// A live registration from the cache, or a new one (cached the CLI's way).
fn registration(target: &LoginTarget, env: &Env, pkce: Option<&str>) -> Result<Registration, Error> {
    let dir = token_dir(env).ok_or_else(|| Error::fetch("HOME is not set").hint("set HOME"))?;
    let path = dir.join(format!("{}.json", registration_key(target)));
    let grant_types = ["authorization_code", "refresh_token"];
    if let Ok(Some(cached)) = TokenFile::read(&path)
        && let (Some(id), Some(secret), Some(expires)) = (
            cached.get("clientId"),
            cached.get("clientSecret"),
            cached.get("expiresAt").and_then(crate::credentials::parse_timestamp),
        )
        && expires > OffsetDateTime::now_utc() + Duration::from_secs(15 * 60)
        && (pkce.is_none()
            || cached
                .members
                .get("grantTypes")
                .and_then(Value::as_array)
                .is_some_and(|g| g.iter().any(|t| t == "authorization_code")))
    {
        return Ok(Registration { client_id: id.to_owned(), client_secret: secret.to_owned(), expires_at: expires });
    }
    let mut body = json!({
        "clientName": format!("botocore-client-{}", target.session.as_deref().unwrap_or("awsenv")),
        "clientType": "public",
    });
    if !target.scopes.is_empty() {
        body["scopes"] = json!(target.scopes);
    }
    if let Some(redirect) = pkce {
        body["grantTypes"] = json!(grant_types);
        body["redirectUris"] = json!([redirect]);
        body["issuerUrl"] = json!(target.start_url);
    }
    let Answer::Json(answer) = oidc(target, env, Operation::OidcCall { path: "/client/register".into(), body })? else {
        return Err(Error::fetch("awsenv-fetch answered RegisterClient with something else"));
    };
    let field = |name: &str| answer.get(name).and_then(Value::as_str).map(str::to_owned);
    let (Some(client_id), Some(client_secret)) = (field("clientId"), field("clientSecret")) else {
        return Err(Error::fetch("SSO-OIDC RegisterClient answered without a client id and secret"));
    };
    let expires_at = answer
        .get("clientSecretExpiresAt")
        .and_then(Value::as_i64)
        .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
        .unwrap_or_else(|| OffsetDateTime::now_utc() + Duration::from_secs(90 * 86400));
    let mut members = serde_json::Map::new();
    members.insert("clientId".into(), json!(client_id));
    members.insert("clientSecret".into(), json!(client_secret));
    members.insert("expiresAt".into(), json!(cli_timestamp(expires_at)));
    if !target.scopes.is_empty() {
        members.insert("scopes".into(), json!(target.scopes));
    }
    if pkce.is_some() {
        members.insert("grantTypes".into(), json!(grant_types));
    }
    // A registration that cannot be cached is simply made again next time.
    let _ = TokenFile { members }.write(&path);
    Ok(Registration { client_id, client_secret, expires_at })
}

fn open_browser(url: &str, env: &Env) -> bool {
    let opener = env
        .get_nonempty("BROWSER")
        .map(str::to_owned)
        .unwrap_or_else(|| if cfg!(target_os = "macos") { "open".into() } else { "xdg-open".into() });
    std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// A one-line "waiting" on a terminal: a spinner and the time left.
struct Waiting {
    shown: bool,
    frame: usize,
}

impl Waiting {
    fn new() -> Waiting {
        Waiting { shown: std::io::stderr().is_terminal(), frame: 0 }
    }

    fn tick(&mut self, left: Duration) {
        if !self.shown {
            return;
        }
        const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
        self.frame += 1;
        let secs = left.as_secs();
        eprint!("\r{} waiting for the browser: {}:{:02} left ", FRAMES[self.frame % 4], secs / 60, secs % 60);
        let _ = std::io::stderr().flush();
    }

    fn done(&self) {
        if self.shown {
            eprint!("\r\x1b[K");
        }
    }
}

/// Log in (the PKCE flow, or the device code) and write the token where the CLI keeps it.
pub fn log_in(target: &LoginTarget, use_device_code: bool, no_browser: bool, env: &Env) -> Result<(), Error> {
    let token =
        if use_device_code { device_flow(target, no_browser, env)? } else { pkce_flow(target, no_browser, env)? };
    let (registration, token) = token;
    let path = target.login().token_path(env).ok_or_else(|| Error::fetch("HOME is not set"))?;
    let mut members = serde_json::Map::new();
    members.insert("startUrl".into(), json!(target.start_url));
    members.insert("region".into(), json!(target.region));
    members.insert("accessToken".into(), json!(token.access_token));
    let expires = crate::numbers::expires_after(OffsetDateTime::now_utc(), token.expires_in);
    members.insert("expiresAt".into(), json!(cli_timestamp(expires)));
    members.insert("clientId".into(), json!(registration.client_id));
    members.insert("clientSecret".into(), json!(registration.client_secret));
    members.insert("registrationExpiresAt".into(), json!(cli_timestamp(registration.expires_at)));
    if let Some(refresh) = token.refresh_token {
        members.insert("refreshToken".into(), json!(refresh));
    }
    TokenFile { members }
        .write(&path)
        .map_err(|e| Error::fetch(format!("cannot write the token to {}: {}", path.display(), io_cause(&e))))?;
    eprintln!(
        "awsenv: logged in to {} ({}) until {}",
        target.start_url,
        target.label,
        crate::credentials::format_rfc3339(expires)
    );
    Ok(())
}

type Outcome = (Registration, crate::aws::sso::Token);

fn device_flow(target: &LoginTarget, no_browser: bool, env: &Env) -> Result<Outcome, Error> {
    let registration = registration(target, env, None)?;
    let body = json!({"clientId": registration.client_id, "clientSecret": registration.client_secret, "startUrl": target.start_url});
    let Answer::Json(device) = oidc(target, env, Operation::OidcCall { path: "/device_authorization".into(), body })?
    else {
        return Err(Error::fetch("awsenv-fetch answered StartDeviceAuthorization with something else"));
    };
    let field = |name: &str| device.get(name).and_then(Value::as_str).map(str::to_owned);
    let (Some(device_code), Some(user_code)) = (field("deviceCode"), field("userCode")) else {
        return Err(Error::fetch("SSO-OIDC StartDeviceAuthorization answered without a device code"));
    };
    let url = field("verificationUriComplete").or_else(|| field("verificationUri")).unwrap_or_default();
    // A person has at most an hour to approve, and the service sets the pace, within reason.
    let seconds = |name: &str, default: i64, max: i64| {
        device.get(name).and_then(crate::numbers::json_seconds).unwrap_or(default).clamp(1, max) as u64
    };
    let mut interval = Duration::from_secs(seconds("interval", 5, 60));
    let deadline = Instant::now() + Duration::from_secs(seconds("expiresIn", 600, 3600));
    if no_browser || !open_browser(&url, env) {
        eprintln!("awsenv: open {url} and confirm the code {user_code}");
    } else {
        eprintln!("awsenv: confirm the code {user_code} in the browser window that opened ({url})");
    }
    let grant = json!({
        "clientId": registration.client_id,
        "clientSecret": registration.client_secret,
        "grantType": "urn:ietf:params:oauth:grant-type:device_code",
        "deviceCode": device_code,
    });
    let mut waiting = Waiting::new();
    loop {
        let mut slept = Duration::ZERO;
        while slept < interval {
            waiting.tick(deadline.saturating_duration_since(Instant::now()));
            let step = Duration::from_millis(250).min(interval - slept);
            std::thread::sleep(step);
            slept += step;
        }
        if Instant::now() >= deadline {
            waiting.done();
            return Err(Error::fetch(format!("the code {user_code} expired before it was confirmed"))
                .hint("run `awsenv login` again and confirm the code in time"));
        }
        match oidc(target, env, Operation::OidcPollToken { body: grant.clone() })? {
            Answer::Token(token) => {
                waiting.done();
                return Ok((registration, token));
            }
            Answer::ServiceError { code } => match normalise(&code).as_str() {
                "authorization_pending" => {}
                "slow_down" => interval += Duration::from_secs(5),
                other => {
                    waiting.done();
                    return Err(ended(other));
                }
            },
            _ => return Err(Error::fetch("awsenv-fetch answered CreateToken with something else")),
        }
    }
}

/// OAuth error codes come as `authorization_pending` or `AuthorizationPendingException`.
fn normalise(code: &str) -> String {
    match code {
        "AuthorizationPendingException" => "authorization_pending".into(),
        "SlowDownException" => "slow_down".into(),
        "ExpiredTokenException" => "expired_token".into(),
        "AccessDeniedException" => "access_denied".into(),
        other => other.to_owned(),
    }
}

fn ended(code: &str) -> Error {
    match code {
        "access_denied" => {
            Error::fetch("the login was denied in the browser").hint("run `awsenv login` again and allow it")
        }
        "expired_token" => Error::fetch("the login request expired before it was approved")
            .hint("run `awsenv login` again and approve it in time"),
        other => Error::fetch(format!("SSO-OIDC refused the login: {other}")).hint("run `awsenv login` again"),
    }
}

fn pkce_flow(target: &LoginTarget, no_browser: bool, env: &Env) -> Result<Outcome, Error> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| Error::fetch(format!("cannot listen on 127.0.0.1 for the browser: {}", io_cause(&e))))?;
    let port = listener.local_addr().map_err(|e| Error::fetch(io_cause(&e)))?.port();
    let redirect = format!("http://127.0.0.1:{port}/oauth/callback");
    let registration = registration(target, env, Some("http://127.0.0.1/oauth/callback"))?;
    let verifier = random_url_safe(48)?;
    let challenge = crate::encoding::base64_url(&sha2::Sha256::digest(verifier.as_bytes()));
    let state = random_url_safe(24)?;
    let encode = crate::aws::sts::url_encode;
    let url = format!(
        "{}/authorize?response_type=code&client_id={}&redirect_uri={}&state={state}&code_challenge_method=S256&scopes={}&code_challenge={challenge}",
        oidc_endpoint(env, &target.settings, &target.region).trim_end_matches('/'),
        encode(&registration.client_id),
        encode(&redirect),
        encode(&target.scopes.join(" ")),
    );
    if no_browser || !open_browser(&url, env) {
        eprintln!("awsenv: open this URL in a browser on this machine to log in:\n{url}");
    } else {
        eprintln!("awsenv: log in in the browser window that opened (or open {url})");
    }
    let deadline = Instant::now() + Duration::from_secs(600);
    // The redirect listener is the hardened loopback one: other local users can connect too,
    // and must not be able to hold it while the browser's redirect waits.
    let (sender, received) = std::sync::mpsc::channel::<Result<String, String>>();
    let sender = std::sync::Mutex::new(sender);
    let expected_state = state.clone();
    let server = crate::loopback::spawn(
        listener,
        crate::loopback::Limits::default(),
        move |head: Option<&crate::loopback::Head>| {
            let result = head.and_then(|head| callback(&head.target, &expected_state));
            let page = match &result {
                Some(Ok(_)) => "awsenv: logged in. You can close this tab.",
                Some(Err(_)) => "awsenv: the login was not approved. You can close this tab.",
                None => "awsenv: not a login redirect.",
            };
            if let Some(result) = result {
                let _ = sender.lock().unwrap_or_else(|p| p.into_inner()).send(result);
            }
            crate::loopback::Response { status: 200, content_type: "text/plain; charset=utf-8", body: page.to_owned() }
        },
    )
    .map_err(|e| Error::fetch(format!("cannot wait for the browser: {}", io_cause(&e))))?;
    let mut waiting = Waiting::new();
    let code = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            waiting.done();
            return Err(Error::fetch("the browser did not come back within 10 minutes").hint(
                "run `awsenv login` again, or `awsenv login --use-device-code` where no browser can reach this machine",
            ));
        }
        match received.recv_timeout(left.min(Duration::from_millis(100))) {
            Ok(Ok(code)) => break code,
            Ok(Err(code)) => {
                waiting.done();
                return Err(ended(&normalise(&code)));
            }
            Err(_) => waiting.tick(deadline.saturating_duration_since(Instant::now())),
        }
    };
    server.stop();
    waiting.done();
    let grant = json!({
        "clientId": registration.client_id,
        "clientSecret": registration.client_secret,
        "grantType": "authorization_code",
        "code": code,
        "redirectUri": redirect,
        "codeVerifier": verifier,
    });
    match oidc(target, env, Operation::OidcPollToken { body: grant })? {
        Answer::Token(token) => Ok((registration, token)),
        Answer::ServiceError { code } => Err(ended(&normalise(&code))),
        _ => Err(Error::fetch("awsenv-fetch answered CreateToken with something else")),
    }
}

/// The browser's visit to the redirect URI (the request target): `Some(Ok(code))`,
/// `Some(Err(error))` for a refusal, `None` for anything else (a favicon, a stray request, a
/// forged state).
fn callback(target: &str, state: &str) -> Option<Result<String, String>> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let param = |name: &str| query.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).map(str::to_owned);
    if path != "/oauth/callback" || param("state").as_deref() != Some(state) {
        None
    } else if let Some(code) = param("code") {
        Some(Ok(code))
    } else {
        Some(Err(param("error").unwrap_or_else(|| "access_denied".into())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_url_has_no_padding_and_url_safe_letters() {
        assert_eq!(crate::encoding::base64_url(b"\xfb\xff"), "-_8");
        assert_eq!(crate::encoding::base64_url(b"abc"), "YWJj");
        // RFC 7636 appendix B: the S256 challenge of its example verifier.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(
            crate::encoding::base64_url(&sha2::Sha256::digest(verifier.as_bytes())),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
