//! Acquiring a profile's credentials for a caller: the one resolution that `use`, `exec`,
//! `whoami`, `credential-process`, `refresh`, `keys rotate` and the credential endpoint share.
//! The caller (a person, the prompt hook, the background refresher, a server's renewal) decides
//! whether anyone may be asked and how long it may take; the plan comes from the section index
//! when it can (only the chain's sections are read, however many profiles the files hold) and
//! from the full parse otherwise, so every error is what a full read gives; the credentials come
//! through the shared cache. Not a command: the commands sit on top of it.

use std::time::Duration;

use time::OffsetDateTime;

use crate::cache::Cache;
use crate::cli::ResolveArgs;
use crate::config::{self, ConfigFiles, index};
use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::Error;
use crate::resolve::{Plan, Resolver};
use crate::source::{self, FetchOptions};

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

/// Profile `name`'s plan (its ad hoc roles included) from a full read of the files, without
/// fetching anything: for a caller that decides by the kind of chain what to fetch.
pub fn plan_only(name: &str, args: &ResolveArgs, env: &Env) -> Result<Plan, Error> {
    let texts = config::read(env).map_err(|e| e.profile(name))?;
    let files = crate::config::parse_cited(&texts, env).map_err(|e| e.profile(name))?;
    plan(args, env, name, &files)
}

fn plan(args: &ResolveArgs, env: &Env, name: &str, files: &ConfigFiles<'_>) -> Result<Plan, Error> {
    let mut plan =
        Resolver::new(files, env).plan_with_region(name, args.region.as_deref()).map_err(|e| e.profile(name))?;
    crate::resolve::adhoc::extend(&mut plan, &args.chain).map_err(|e| e.profile(name))?;
    Ok(plan)
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
