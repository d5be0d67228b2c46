//! Each `role_arn` hop: AssumeRole with the credentials of the step before, through the shared
//! cache, so that twenty shells make one STS call and an MFA-protected role asks for one code per
//! session, not one per shell.

use super::{FetchOptions, Network};
use crate::aws::helper::{Operation, WireCredentials};
use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::Error;
use crate::resolve::{RoleHop, is_role_session_name};

pub fn fetch(
    hop: &RoleHop,
    source: &Credentials,
    net: &Network<'_>,
    at: &str,
    options: FetchOptions,
) -> Result<Credentials, Error> {
    let session_name = hop.session_name.clone().unwrap_or_else(|| default_session_name(net.env));
    let key = super::keys::assume_role(hop, &source.access_key_id, &net.sts_endpoint);
    let call_sts = || {
        // A code typed on the terminal that STS refuses is asked for again, up to three times.
        let typed = hop.mfa_serial.is_some() && options.mfa_code.is_none() && !options.hook;
        let mut attempt = 1;
        loop {
            let code = match &hop.mfa_serial {
                Some(serial) => Some(mfa_code(serial, options)?),
                None => None,
            };
            let operation = Operation::AssumeRole {
                source: WireCredentials::from(source),
                role_arn: hop.role_arn.clone(),
                session_name: session_name.clone(),
                external_id: hop.external_id.clone(),
                duration_seconds: hop.duration_seconds,
                mfa_serial: hop.mfa_serial.clone(),
                mfa_code: code,
            };
            match net.sts(operation) {
                Err(e) if typed && attempt < MFA_TRIES && e.message.contains("AccessDenied") => {
                    eprintln!("awsenv: STS refused that code ({}); try again", e.message);
                    attempt += 1;
                }
                result => return result.map_err(|e| e.context(format!("role {} ({at})", hop.role_arn))),
            }
        }
    };
    // STS issues the duration asked for, an hour unless the profile says otherwise.
    let lifetime = std::time::Duration::from_secs(u64::from(hop.duration_seconds.unwrap_or(3600)));
    super::cached_for(net.env, options, &key, Some(lifetime), call_sts)
}

/// `awsenv-<user>-<epoch seconds>`, cut to what STS accepts.
pub fn default_session_name(env: &Env) -> String {
    let user: String = env
        .get_nonempty("USER")
        .or_else(|| env.get_nonempty("LOGNAME"))
        .unwrap_or("user")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(*c))
        .take(32)
        .collect();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let name = format!("awsenv-{user}-{now}");
    debug_assert!(is_role_session_name(&name));
    name
}

/// How many codes a person may type for one MFA device before awsenv gives up.
const MFA_TRIES: u32 = 3;

/// The one-time code for an MFA device: `--mfa-code`, else asked on the terminal (never on
/// stdout, which the shell is about to eval), again when what was typed is not a code. The hook
/// never asks; its hint names the profile the shell acts as, which is what the person runs
/// again (not the source profile that holds the MFA device).
fn mfa_code(serial: &str, options: FetchOptions) -> Result<String, Error> {
    let valid = |code: &str| code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
    match options.mfa_code {
        Some(code) if valid(code.trim()) => Ok(code.trim().to_owned()),
        Some(_) => Err(Error::usage(format!("the MFA code for {serial} must be 6 digits"))),
        None if options.hook => {
            let profile = options.selected.unwrap_or("PROFILE");
            Err(Error::fetch(format!("renewing needs a code from MFA device {serial}"))
                .hint(format!("run `awsenv use {}` in a terminal to enter it", crate::shell::posix_word(profile))))
        }
        None => {
            for _ in 1..MFA_TRIES {
                let code = ask_on_terminal(serial)?;
                if valid(code.trim()) {
                    return Ok(code.trim().to_owned());
                }
                eprintln!("awsenv: an MFA code is 6 digits; try again");
            }
            let code = ask_on_terminal(serial)?;
            if valid(code.trim()) {
                Ok(code.trim().to_owned())
            } else {
                Err(Error::usage(format!("the MFA code for {serial} must be 6 digits")))
            }
        }
    }
}

fn ask_on_terminal(serial: &str) -> Result<String, Error> {
    crate::tty::ask(&format!("MFA code for {serial}: ")).map_err(|_| {
        Error::fetch(format!("MFA device {serial} needs a code and there is no terminal to ask on"))
            .hint("pass --mfa-code CODE")
    })
}
