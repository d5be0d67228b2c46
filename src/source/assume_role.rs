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
    source: &super::start::Start<'_>,
    files: &crate::config::ConfigFiles<'_>,
    net: &Network<'_>,
    at: &str,
    options: FetchOptions,
) -> Result<Credentials, Error> {
    let session_name = hop.session_name.clone().unwrap_or_else(|| default_session_name(net.env));
    let key = super::keys::assume_role(hop, source.key_id()?, &net.sts_endpoint);
    let call_sts = || {
        let source = source.get()?;
        let mfa_process = super::mfa::process_of(files, &hop.profile);
        // A code typed on the terminal that STS refuses is asked for again, up to three times.
        let typed = hop.mfa_serial.is_some() && options.mfa_code.is_none() && mfa_process.is_none() && !options.hook;
        let mut attempt = 1;
        loop {
            let code = match &hop.mfa_serial {
                Some(serial) => Some(super::mfa::code(serial, mfa_process, net.env, options)?),
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
                Err(e) if typed && attempt < super::mfa::TRIES && e.message.contains("AccessDenied") => {
                    eprintln!("awsenv: STS refused that code ({}); try again", e.message);
                    attempt += 1;
                }
                result => return result.map_err(|e| too_long(e, hop).context(format!("role {} ({at})", hop.role_arn))),
            }
        }
    };
    // STS issues the duration asked for, an hour unless the profile says otherwise.
    let lifetime = std::time::Duration::from_secs(u64::from(hop.duration_seconds.unwrap_or(3600)));
    super::cached_for(net.env, options, &key, Some(lifetime), call_sts)
}

/// A duration the role does not allow: STS's refusal, with where the limit lives (the role's
/// maximum session duration is set on the role, not in any file awsenv reads).
fn too_long(error: Error, hop: &RoleHop) -> Error {
    if !error.message.contains("MaxSessionDuration") {
        return error;
    }
    let asked = hop.duration_seconds.map_or_else(|| "the default hour".to_owned(), |d| format!("{d} s"));
    let how = match hop.at {
        Some(_) => "lower duration_seconds",
        None => "ask for less with --role-duration",
    };
    error.hint(format!(
        "the role's maximum session duration (set on the role in IAM, 1 to 12 hours) is below the {asked} asked for: {how}"
    ))
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
