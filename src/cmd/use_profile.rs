//! `awsenv use PROFILE`: resolve, fetch, and print the exports for one shell.

use time::OffsetDateTime;

use crate::cli::UseArgs;
use crate::config;
use crate::env::Env;
use crate::error::Error;
use crate::exports::{UseOptions, use_changes};
use crate::resolve::Resolver;
use crate::source::{self, FetchOptions};

pub fn run(args: &UseArgs, env: &Env) -> Result<String, Error> {
    let name = super::profile_name(args.profile.as_deref(), env)?;
    if args.region.as_deref() == Some("") {
        return Err(Error::usage("--region is empty"));
    }
    let texts = config::read(env).map_err(|e| e.profile(name))?;
    let files = super::parse(&texts, env).map_err(|e| e.profile(name))?;
    let plan = Resolver::new(&files, env)
        .plan_with_region(name, args.region.as_deref())
        .map_err(|e| e.profile(name))?;
    let options = FetchOptions {
        use_cache: !args.no_cache,
        refresh: args.refresh,
        hook: args.hook,
    };
    let credentials = source::fetch(&plan, &files, env, options).map_err(|e| e.profile(name))?;
    if let Some(expiration) = credentials.expiration
        && expiration <= OffsetDateTime::now_utc()
        && !args.hook
    {
        eprintln!(
            "awsenv: warning: profile {}: the credentials expired at {}",
            crate::error::quoted(name),
            crate::credentials::format_rfc3339(expiration)
        );
    }
    let changes = use_changes(
        &plan,
        &credentials,
        &UseOptions {
            export_profile: args.export_profile,
        },
        env,
    );
    crate::shell::render(&changes, args.output.shell, args.output.format)
        .map_err(|e| e.profile(name))
}
