//! `awsenv use PROFILE`: resolve, fetch, and print the exports for one shell. The resolution
//! itself (`resolve`) is shared with `exec` and `whoami`.
//!
//! This runs on every prompt refresh, so it first tries the section index: with it, only the
//! sections of the profile's chain are read and parsed, however many profiles the files hold.
//! Whenever the indexed plan fails, the full parse runs instead, so that every error (and every
//! "did you mean") is exactly what a full read of the files gives.

use std::time::Duration;

use time::OffsetDateTime;

use crate::cache::Cache;
use crate::cli::{ResolveArgs, UseArgs};
use crate::config::{self, ConfigFiles, index};
use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::Error;
use crate::exports::{UseOptions, use_changes};
use crate::resolve::{Plan, Resolver};
use crate::shell::Change;
use crate::source::{self, FetchOptions};

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

/// Plan and fetch profile `name`.
pub fn resolve(name: &str, args: &ResolveArgs, env: &Env) -> Result<(Plan, Credentials), Error> {
    resolve_ahead(name, args, Caller::Person, None, env)
}

/// Who wants the credentials, which decides whether anyone may be asked and how long it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// A command someone typed: may prompt on the terminal and wait.
    Person,
    /// The prompt hook: never prompts, and everything ends within the hook's small budget.
    Hook,
    /// The background refresher: never prompts, but has time.
    Background,
}

/// `resolve`, renewing cached credentials that expire within `ahead`.
pub fn resolve_ahead(
    name: &str,
    args: &ResolveArgs,
    caller: Caller,
    ahead: Option<Duration>,
    env: &Env,
) -> Result<(Plan, Credentials), Error> {
    if args.region.as_deref() == Some("") {
        return Err(Error::usage("--region is empty"));
    }
    let (config_path, credentials_path) = config::paths(env);
    let index_file = Cache::dir_for(env).map(|dir| index::index_path(&dir, &config_path, &credentials_path));
    let lookup = match &index_file {
        Some(file) => index::lookup(file, &config_path, &credentials_path, name),
        None => index::Lookup::Miss,
    };
    if let index::Lookup::Hit(chunks) = &lookup
        && let Ok(files) = config::parse_chunks(chunks)
        && let Ok(plan) = plan(args, env, name, &files)
    {
        return fetch(args, caller, ahead, env, name, plan, &files);
    }
    let texts = config::read(env).map_err(|e| e.profile(name))?;
    let files = crate::config::parse_cited(&texts, env).map_err(|e| e.profile(name))?;
    if let (index::Lookup::Miss, Some(file)) = (&lookup, &index_file) {
        // Best effort: without a usable cache directory there is simply no index.
        if Cache::open(env).is_ok() {
            let _ = index::save(file, &texts, &files);
        }
    }
    let plan = plan(args, env, name, &files)?;
    fetch(args, caller, ahead, env, name, plan, &files)
}

fn plan(args: &ResolveArgs, env: &Env, name: &str, files: &ConfigFiles<'_>) -> Result<Plan, Error> {
    Resolver::new(files, env).plan_with_region(name, args.region.as_deref()).map_err(|e| e.profile(name))
}

fn fetch(
    args: &ResolveArgs,
    caller: Caller,
    ahead: Option<Duration>,
    env: &Env,
    name: &str,
    plan: Plan,
    files: &ConfigFiles<'_>,
) -> Result<(Plan, Credentials), Error> {
    let options = FetchOptions {
        use_cache: !args.no_cache,
        refresh: args.refresh,
        hook: caller != Caller::Person,
        mfa_code: args.mfa_code.as_deref(),
        ahead,
        deadline: if caller == Caller::Hook { Some(std::time::Instant::now() + hook_budget(env)?) } else { None },
        selected: Some(name),
    };
    let credentials = source::fetch(&plan, files, env, options).map_err(|e| e.profile(name))?;
    if let Some(expiration) = credentials.expiration
        && expiration <= OffsetDateTime::now_utc()
        && caller == Caller::Person
    {
        eprintln!(
            "awsenv: warning: profile {}: the credentials expired at {}",
            crate::error::quoted(name),
            crate::credentials::format_rfc3339(expiration)
        );
    }
    Ok((plan, credentials))
}

/// `AWSENV_REFRESH_BEFORE`: how long before expiry the prompt hook renews (default 10 minutes).
pub fn refresh_window(env: &Env) -> Result<Duration, Error> {
    crate::numbers::whole_seconds_var(env, "AWSENV_REFRESH_BEFORE", Duration::from_secs(600), MAX_WINDOW)
}

/// `AWSENV_HOOK_BUDGET`: everything one prompt's renewal may take, processes and network
/// included (default 2 s). What does not fit is left to the background refresher and to the
/// hook's next try.
pub fn hook_budget(env: &Env) -> Result<Duration, Error> {
    crate::numbers::seconds_var(env, "AWSENV_HOOK_BUDGET", Duration::from_secs(2), Duration::from_secs(30))
}

/// No credentials live longer than 12 hours (STS's and the portal's maximum), so no window need
/// be longer than a day.
pub const MAX_WINDOW: Duration = Duration::from_secs(86_400);
