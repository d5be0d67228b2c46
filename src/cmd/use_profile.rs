//! `awsenv use PROFILE`: the arguments, the exports for one shell, and their printing. The
//! credentials come from `acquire`, which `exec`, `serve` and the others share; this runs on
//! every prompt refresh.

use crate::acquire::{Caller, refresh_window, resolve_ahead};
use crate::cli::{ResolveArgs, UseArgs};
use crate::config;
use crate::env::Env;
use crate::error::Error;
use crate::exports::{UseOptions, use_changes};
use crate::shell::Change;

pub fn run(args: &UseArgs, env: &Env) -> Result<String, Error> {
    let picked;
    let previous;
    let name = match args.profile.as_deref() {
        _ if args.previous => {
            previous = crate::previous::Previous::from_env(env).ok_or_else(|| {
                Error::usage("`awsenv use -` goes back to the previous profile, and this shell has had none")
                    .hint("`awsenv use -- -` names a profile called -")
            })?;
            previous.profile.as_str()
        }
        Some(given) => crate::config::locate::named_or_active(Some(given), env)?,
        // The hook always names its profile; a person who names none gets to pick one.
        None if !args.hook => match crate::picker::pick_profile(env)? {
            Some(name) => {
                picked = name;
                picked.as_str()
            }
            None => return Err(Error::usage("no profile picked; nothing changed")),
        },
        None => return Err(Error::usage("`awsenv use --hook` needs a profile name")),
    };
    // Resolved first, so that a typo or a missing login is reported as such (and what an MFA
    // code bought stays in the cache for the `eval` the person runs next).
    let changes = changes(name, &args.resolve, args.hook, env)?;
    if !args.print && !args.hook {
        super::secrets_stay_off_the_terminal(&format!("use {}", crate::shell::posix_word(name)), args.output.format)?;
    }
    crate::shell::render(&changes, args.output.shell, args.output.format).map_err(|e| e.profile(name))
}

/// The environment changes that make a process act as profile `name`.
pub fn changes(name: &str, args: &ResolveArgs, hook: bool, env: &Env) -> Result<Vec<Change>, Error> {
    // The hook asks for new credentials when the old ones enter its window; the cache must then
    // renew what expires within that window too, or every prompt until then would ask again.
    let ahead = if hook { Some(refresh_window(env)?) } else { None };
    let caller = if hook { Caller::Hook } else { Caller::Person };
    let (plan, credentials) = resolve_ahead(name, args, caller, ahead, env)?;
    let config_file = config_copy(&plan.profile, env);
    Ok(use_changes(
        &plan,
        &credentials,
        &UseOptions { export_profile: args.export_profile, config_file, served: None },
        env,
    ))
}

/// awsenv's copy of the config whose `[default]` is this profile (see `config::shadow`), unless
/// `AWSENV_CONFIG_COPY=off`. Without a usable cache directory there is no copy: the shell then
/// works as before, with `[default]`'s settings showing through, and says so.
pub(crate) fn config_copy(profile: &str, env: &Env) -> Option<String> {
    if !config::shadow::enabled(env) {
        return None;
    }
    match config::shadow::ensure(env, profile) {
        Ok(shadow) => {
            if let Some(notice) = shadow.notice {
                eprintln!("awsenv: warning: {notice}");
            }
            Some(shadow.path.to_string_lossy().into_owned())
        }
        Err(e) => {
            eprintln!(
                "awsenv: warning: {e}; SDKs in this shell read [default]'s settings for what the environment does not set"
            );
            None
        }
    }
}
