//! MFA: the one-time code (`--mfa-code`, an `mfa_process` that prints it, or the person at the
//! terminal), and MFA sessions: for a chain that starts at an IAM user's long-term keys and
//! needs MFA, one GetSessionToken with the code, cached for its lifetime (12 hours unless the
//! profile says otherwise), and the chain's first role assumed from that session with no code
//! at all. One code a working day instead of one per role per hour; and the long-term keys are
//! never exported once a session can be had.
//!
//! AWS counts a role assumed with session credentials as role chaining: at most one hour. A first
//! role that asks for more (`duration_seconds` above 3600), or that names another MFA device,
//! is assumed from the long-term keys with its own code, as before.

use std::time::Duration;

use super::{FetchOptions, Network};
use crate::aws::helper::{Operation, WireCredentials};
use crate::config::{ConfigFiles, Origin};
use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::Error;
use crate::resolve::{MAX_CHAINED_DURATION, Plan, RoleHop, Source};

/// How many codes a person may type for one MFA device before awsenv gives up.
pub const TRIES: u32 = 3;
/// GetSessionToken's range for IAM users, and awsenv's default (STS's own).
const MIN_SESSION: u32 = 900;
const MAX_SESSION: u32 = 129_600;
const DEFAULT_SESSION: u32 = 43_200;
/// The profile key that sets the session's lifetime, on the profile with the long-term keys.
pub const DURATION_KEY: &str = "awsenv_mfa_session_duration";
/// `awsenv_mfa_session = false` on that profile: no session, a code per role as before.
pub const SWITCH_KEY: &str = "awsenv_mfa_session";

/// An MFA session a plan's chain goes through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub serial: String,
    pub duration_seconds: u32,
    /// The command that prints the code, if the profiles name one.
    pub mfa_process: Option<String>,
    /// Where the serial and the duration come from (for `explain`).
    pub serial_at: Origin,
    pub duration_at: Option<Origin>,
}

/// The MFA session `plan` goes through, if it has one: long-term keys at its base, an MFA
/// device on the keys' profile or on the first role, and a first role that can be assumed from
/// a session (no other device, at most an hour).
pub fn session_for(plan: &Plan, files: &ConfigFiles<'_>, env: &Env) -> Result<Option<Session>, Error> {
    if !matches!(&plan.base.source, Source::StaticKeys { session_token: None, .. } | Source::KeyStore { .. }) {
        return Ok(None);
    }
    let Some(user) = files.profile(&plan.base.profile) else { return Ok(None) };
    if user.get(SWITCH_KEY).is_some_and(|v| v.eq_ignore_ascii_case("false")) {
        return Ok(None);
    }
    let first = plan.hops.first();
    let (serial, serial_at) = match (user.property("mfa_serial"), first) {
        (Some(p), _) if !p.value.is_empty() => (p.value.to_string(), p.at),
        (_, Some(hop)) => match (&hop.mfa_serial, files.profile(&hop.profile).and_then(|s| s.property("mfa_serial"))) {
            (Some(serial), Some(p)) => (serial.clone(), p.at),
            _ => return Ok(None),
        },
        _ => return Ok(None),
    };
    if let Some(hop) = first
        && (hop.mfa_serial.as_ref().is_some_and(|s| *s != serial)
            || hop.duration_seconds.is_some_and(|d| d > MAX_CHAINED_DURATION))
    {
        return Ok(None);
    }
    let (duration_seconds, duration_at) = match user.property(DURATION_KEY) {
        None => (DEFAULT_SESSION, None),
        Some(p) => match p.value.trim().parse::<u32>().ok().filter(|d| (MIN_SESSION..=MAX_SESSION).contains(d)) {
            Some(seconds) => (seconds, Some(p.at)),
            None => {
                return Err(Error::plan(format!(
                    "{DURATION_KEY} {} ({}) is not a number of seconds from {MIN_SESSION} to {MAX_SESSION}",
                    crate::error::quoted(&p.value),
                    crate::config::cite(files, p.at, env)
                ))
                .hint("12 hours (43200) is the default; an IAM user's session may last 15 minutes to 36 hours"));
            }
        },
    };
    let mfa_process = process_of(files, &plan.base.profile)
        .or_else(|| first.and_then(|hop| process_of(files, &hop.profile)))
        .map(str::to_owned);
    Ok(Some(Session { serial, duration_seconds, mfa_process, serial_at, duration_at }))
}

/// The `mfa_process` a profile names, if any: the command that prints its MFA code.
pub fn process_of<'f>(files: &'f ConfigFiles<'_>, profile: &str) -> Option<&'f str> {
    files.profile(profile)?.get("mfa_process").filter(|c| !c.trim().is_empty())
}

/// Hop `i` of a chain as it is assumed: the first one from an MFA session carries no device
/// (the session satisfied it).
pub fn hop_as_assumed<'h>(hop: &'h RoleHop, i: usize, session: Option<&Session>) -> std::borrow::Cow<'h, RoleHop> {
    match session {
        Some(_) if i == 0 => std::borrow::Cow::Owned(RoleHop { mfa_serial: None, ..hop.clone() }),
        _ => std::borrow::Cow::Borrowed(hop),
    }
}

/// The session's credentials for these long-term keys: from the shared cache while it lasts,
/// else one GetSessionToken with one code.
pub fn session(
    keys: &super::start::Start<'_>,
    session: &Session,
    net: &Network<'_>,
    at: &str,
    options: FetchOptions,
) -> Result<Credentials, Error> {
    let key = super::keys::mfa_session(keys.key_id()?, &session.serial, session.duration_seconds, &net.sts_endpoint);
    let lifetime = Duration::from_secs(u64::from(session.duration_seconds));
    super::cached_for(net.env, options, &key, Some(lifetime), || {
        let keys = keys.get()?;
        let typed = options.mfa_code.is_none() && session.mfa_process.is_none() && !options.hook;
        let mut attempt = 1;
        loop {
            let code = code(&session.serial, session.mfa_process.as_deref(), net.env, options)?;
            let operation = Operation::GetSessionToken {
                source: WireCredentials::from(keys),
                duration_seconds: Some(session.duration_seconds),
                mfa_serial: Some(session.serial.clone()),
                mfa_code: Some(code),
            };
            match net.sts(operation) {
                Err(e) if typed && attempt < TRIES && e.message.contains("AccessDenied") => {
                    eprintln!("awsenv: STS refused that code ({}); try again", e.message);
                    attempt += 1;
                }
                result => {
                    return result
                        .map(|mut c| {
                            c.account_id = c.account_id.or_else(|| keys.account_id.clone());
                            c
                        })
                        .map_err(|e| e.context(format!("the MFA session of {at}")));
                }
            }
        }
    })
}

/// The one-time code for an MFA device: `--mfa-code`; else `mfa_process`'s output; else asked on
/// the terminal (never on stdout, which the shell is about to eval), again when what was typed
/// is not a code. The hook runs no process that could wait for a person, and never asks; its
/// hint names the profile the shell acts as, which is what the person runs again.
pub fn code(serial: &str, mfa_process: Option<&str>, env: &Env, options: FetchOptions) -> Result<String, Error> {
    let valid = |code: &str| code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
    let refused = || Error::usage(format!("the MFA code for {serial} must be 6 digits"));
    if let Some(code) = options.mfa_code {
        return if valid(code.trim()) { Ok(code.trim().to_owned()) } else { Err(refused()) };
    }
    if options.hook {
        let profile = options.selected.unwrap_or("PROFILE");
        return Err(Error::fetch(format!("renewing needs a code from MFA device {serial}"))
            .hint(format!("run `awsenv use {}` in a terminal to enter it", crate::shell::posix_word(profile))));
    }
    if let Some(command) = mfa_process {
        let timeout = crate::numbers::seconds_var(
            env,
            "AWSENV_PROCESS_TIMEOUT",
            Duration::from_secs(60),
            crate::numbers::MAX_WAIT,
        )?;
        let out = super::process::run_command(command, timeout, false).map_err(|cause| {
            Error::fetch(format!("mfa_process for {serial} {cause}"))
                .hint("run the command yourself to see what it prints")
        })?;
        let code = String::from_utf8_lossy(&out).trim().to_owned();
        return if valid(&code) {
            Ok(code)
        } else {
            Err(Error::fetch(format!("mfa_process for {serial} printed something other than a 6-digit code")))
        };
    }
    for _ in 1..TRIES {
        let code = ask_on_terminal(serial)?;
        if valid(code.trim()) {
            return Ok(code.trim().to_owned());
        }
        eprintln!("awsenv: an MFA code is 6 digits; try again");
    }
    let code = ask_on_terminal(serial)?;
    if valid(code.trim()) { Ok(code.trim().to_owned()) } else { Err(refused()) }
}

fn ask_on_terminal(serial: &str) -> Result<String, Error> {
    crate::tty::ask(&format!("MFA code for {serial}: ")).map_err(|_| {
        Error::fetch(format!("MFA device {serial} needs a code and there is no terminal to ask on"))
            .hint("pass --mfa-code CODE, or set mfa_process to a command that prints it")
    })
}
