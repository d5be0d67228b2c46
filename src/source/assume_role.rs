//! Each `role_arn` hop: AssumeRole with the credentials of the step before, through the shared
//! cache, so that twenty shells make one STS call and an MFA-protected role asks for one code per
//! session, not one per shell.

use std::io::{BufRead, BufReader, Write};

use super::{FetchOptions, Network, cached};
use crate::aws::helper::{Operation, WireCredentials};
use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::{Error, quoted};
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
        let code = match &hop.mfa_serial {
            Some(serial) => Some(mfa_code(serial, &hop.profile, options)?),
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
        net.sts(operation).map_err(|e| e.context(format!("role {} ({at})", hop.role_arn)))
    };
    cached(net.env, options, &key, call_sts)
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

/// The one-time code for an MFA device: `--mfa-code`, else asked on the terminal (never on
/// stdout, which the shell is about to eval). The hook never asks.
fn mfa_code(serial: &str, profile: &str, options: FetchOptions) -> Result<String, Error> {
    let code = match options.mfa_code {
        Some(code) => code.to_owned(),
        None if options.hook => {
            return Err(Error::fetch(format!(
                "role in profile {} needs a code from MFA device {serial}",
                quoted(profile)
            ))
            .hint(format!("run `awsenv use {profile}` in a terminal to enter it")));
        }
        None => ask_on_terminal(serial)?,
    };
    let code = code.trim().to_owned();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::usage(format!("the MFA code for {serial} must be 6 digits")));
    }
    Ok(code)
}

fn ask_on_terminal(serial: &str) -> Result<String, Error> {
    let no_tty = |_| {
        Error::fetch(format!("MFA device {serial} needs a code and there is no terminal to ask on"))
            .hint("pass --mfa-code CODE")
    };
    let mut tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty").map_err(no_tty)?;
    write!(tty, "MFA code for {serial}: ").and_then(|()| tty.flush()).map_err(no_tty)?;
    let mut line = String::new();
    BufReader::new(tty).read_line(&mut line).map_err(no_tty)?;
    Ok(line)
}
