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
    let cache = Cache::open(env)?;
    let (config, credentials) = crate::config::paths(env);
    let key = format!("refresh\0{}\0{}\0{}", args.profile, config.display(), credentials.display());
    let lock = cache.lock_file(&format!("refresh-{}", Cache::entry_name(&key)))?;
    if lock.try_lock().is_err() {
        return Ok(String::new());
    }
    let ahead = match env.get_nonempty("AWSENV_REFRESH_AHEAD") {
        None => DEFAULT_AHEAD,
        Some(s) => Duration::from_secs(
            s.parse().map_err(|_| Error::usage("AWSENV_REFRESH_AHEAD must be a whole number of seconds"))?,
        ),
    };
    super::use_profile::resolve_ahead(&args.profile, &ResolveArgs::default(), true, Some(ahead), env)?;
    Ok(String::new())
}
