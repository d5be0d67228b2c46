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
    let (name, resolve) = target(args, env)?;
    // Resolved first, so that a typo or a missing login is reported as such (and what an MFA
    // code bought stays in the cache for the `eval` the person runs next).
    let changes = changes(&name, &resolve, args.hook, env)?;
    if !args.print && !args.hook {
        super::secrets_stay_off_the_terminal(&format!("use {}", crate::shell::posix_word(&name)), args.output.format)?;
    }
    crate::shell::render(&changes, args.output.shell, args.output.format).map_err(|e| e.profile(&name))
}

/// The profile `use` acts as and how it resolves it, ad hoc roles included: `use -` goes back to
/// the previous profile and its chain; `use PROFILE` starts again from PROFILE (the hook's `use
/// --hook PROFILE` keeps the active profile's chain); with no PROFILE, `--role-arn` stacks on what
/// the shell acts as now, and `use arn:…:role/NAME` is short for that.
fn target(args: &UseArgs, env: &Env) -> Result<(String, crate::cli::ResolveArgs), Error> {
    let role = &args.resolve.role;
    if args.previous {
        let previous = crate::previous::Previous::from_env(env).ok_or_else(|| {
            Error::usage("`awsenv use -` goes back to the previous profile, and this shell has had none")
                .hint("`awsenv use -- -` names a profile called -")
        })?;
        let mut resolve = super::with_roles(&previous.profile, false, &args.resolve, role, env)?;
        resolve.chain.splice(0..0, previous.roles);
        return Ok((previous.profile, resolve));
    }
    let active = env.get_nonempty(crate::settings::AWSENV_PROFILE);
    match args.profile.as_deref() {
        Some(given) if !args.hook && role.role_arn.is_none() && short_form(given, env) => {
            let role = crate::cli::RoleArgs { role_arn: Some(given.to_owned()), ..crate::cli::RoleArgs::default() };
            match active {
                Some(active) => Ok((active.to_owned(), super::with_roles(active, true, &args.resolve, &role, env)?)),
                // No profile to put it on: the picker asks on a terminal (a usage error off one).
                None => pick_then(&args.resolve, &role, env),
            }
        }
        Some(given) => {
            let name = config::locate::named_or_active(Some(given), env)?;
            Ok((name.to_owned(), super::with_roles(name, args.hook, &args.resolve, role, env)?))
        }
        None if args.hook => Err(Error::usage("`awsenv use --hook` needs a profile name")),
        // `--role-arn` with no PROFILE: on top of what the shell acts as now.
        None if role.role_arn.is_some() && active.is_some() => {
            let active = active.expect("checked");
            Ok((active.to_owned(), super::with_roles(active, true, &args.resolve, role, env)?))
        }
        // A person who names none gets to pick one (a usage error off a terminal).
        None => pick_then(&args.resolve, role, env),
    }
}

/// The profile the person picks on the terminal, with `role` on top of it if one is given.
fn pick_then(
    resolve: &crate::cli::ResolveArgs,
    role: &crate::cli::RoleArgs,
    env: &Env,
) -> Result<(String, crate::cli::ResolveArgs), Error> {
    match crate::picker::pick_profile(env)? {
        Some(name) => {
            let resolve = super::with_roles(&name, false, resolve, role, env)?;
            Ok((name, resolve))
        }
        None => Err(Error::usage("no profile picked; nothing changed")),
    }
}

/// Whether `awsenv use WORD` is the short form of `--role-arn WORD`: a role's ARN, and no profile
/// of that name (a profile actually called `arn:…` wins).
fn short_form(word: &str, env: &Env) -> bool {
    word.starts_with("arn:")
        && word.contains(":role/")
        && crate::resolve::adhoc::is_arn(word)
        && !crate::complete::names(env, config::SectionKind::Profile, word).iter().any(|n| n == word)
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
