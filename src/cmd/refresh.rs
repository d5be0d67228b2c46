//! `awsenv refresh PROFILE`: renew the profile's cached credentials ahead of expiry, so that when
//! the prompt hook's window arrives its `use` is a cache read. Started by the hook in the
//! background; it prints nothing, never prompts (hook mode), and gives way at once when another
//! refresher for the same profile is already at work.

use std::time::Duration;

use crate::cache::Cache;
use crate::cli::{RefreshArgs, ResolveArgs};
use crate::env::Env;
use crate::error::Error;

/// How far ahead the background refresher renews, unless `AWSENV_REFRESH_AHEAD` says otherwise.
const DEFAULT_AHEAD: Duration = Duration::from_secs(20 * 60);

pub fn run(args: &RefreshArgs, env: &Env) -> Result<String, Error> {
    let profile = super::active_profile(args.profile.as_deref(), env, "refresh")?;
    if args.detach {
        detach(profile, &args.role)?;
        return Ok(String::new());
    }
    let cache = Cache::open(env)?;
    let (config, credentials) = crate::config::paths(env);
    // The hook starts `refresh -- PROFILE` for the profile the shell acts as: its ad hoc roles
    // (kept in the environment the refresher inherits) are part of what to renew.
    let resolve = super::with_roles(profile, true, &ResolveArgs::default(), &args.role, env)?;
    let chain = crate::resolve::adhoc::encode_chain(&resolve.chain);
    let key = format!("refresh\0{profile}\0{chain}\0{}\0{}", config.display(), credentials.display());
    let lock = cache.lock_file(&format!("refresh-{}", Cache::entry_name(&key)))?;
    if lock.try_lock().is_err() {
        return Ok(String::new());
    }
    let ahead =
        crate::numbers::whole_seconds_var(env, "AWSENV_REFRESH_AHEAD", DEFAULT_AHEAD, crate::acquire::MAX_WINDOW)?;
    let caller = crate::acquire::Caller::Background;
    crate::acquire::resolve_ahead(profile, &resolve, caller, Some(ahead), env)?;
    Ok(String::new())
}

/// Start `awsenv refresh PROFILE` (with the role flags it was given) detached from the terminal,
/// and leave it running: the shell gets its prompt back at once, and closing the terminal does
/// not kill the refresh half-way.
fn detach(profile: &str, role: &crate::cli::RoleArgs) -> Result<(), Error> {
    let mut args = vec!["refresh".to_owned()];
    for (flag, value) in [
        ("--role-arn", &role.role_arn),
        ("--external-id", &role.external_id),
        ("--session-name", &role.session_name),
        ("--role-duration", &role.role_duration),
        ("--mfa-serial", &role.mfa_serial),
    ] {
        if let Some(value) = value {
            args.push(format!("{flag}={value}"));
        }
    }
    args.extend(["--".to_owned(), profile.to_owned()]);
    crate::procs::start_detached(&args)
        .map_err(|e| Error::fetch(format!("cannot start the background refresh: {e}")))?;
    Ok(())
}
