//! `awsenv clear [PROFILE…] [--mfa] [--all]`: forget what awsenv has cached, as aws-vault's
//! `clear` does. Each profile's chain is walked as `explain` walks it (`source::cache_steps`),
//! and the entries it finds are removed: role hops, SSO role credentials, `credential_process`
//! answers, and with `--mfa` the day's MFA session. Only awsenv's cache directory is touched:
//! not the AWS CLI's SSO token (`logout`'s), not `~/.aws`; nothing is revoked at AWS. What it
//! removed is said on stderr; stdout stays empty (nothing for a shell to run).

use crate::cache::Cache;
use crate::cli::ClearArgs;
use crate::config;
use crate::env::Env;
use crate::error::{Error, quoted};
use crate::resolve::{Plan, Resolver, adhoc};

pub fn run(args: &ClearArgs, env: &Env) -> Result<String, Error> {
    // With no PROFILE: the one this shell acts as, with the roles on the fly it keeps.
    let active = env.get_nonempty(crate::settings::AWSENV_PROFILE);
    let targets: Vec<(&str, Vec<adhoc::AdHocRole>)> = match args.profiles.is_empty() {
        _ if args.all => Vec::new(),
        true => {
            let active = active.ok_or_else(|| {
                Error::usage(
                    "`awsenv clear` needs a profile: name one, run it in a shell after `awsenv use`, or pass --all",
                )
            })?;
            vec![(active, adhoc::recorded(env))]
        }
        false => args.profiles.iter().map(|p| (p.as_str(), Vec::new())).collect(),
    };
    let Some(cache) = Cache::existing(env) else {
        eprintln!("awsenv: nothing to forget: there is no cache directory");
        return Ok(String::new());
    };
    if args.all {
        let entries: Vec<String> = cache.file_names("").into_iter().filter(|n| Cache::is_entry_file(n)).collect();
        let removed = entries.iter().filter(|name| cache.remove_file(name)).count();
        eprintln!(
            "awsenv: removed all {removed} cached credentials (roles, SSO roles, credential_process answers, MFA sessions) from {}",
            cache.dir().display()
        );
        return Ok(String::new());
    }
    let texts = config::read(env)?;
    let files = config::parse_cited(&texts, env)?;
    let mut said = 0;
    for (name, roles) in targets {
        let mut plan = Resolver::new(&files, env).plan(name)?;
        adhoc::extend(&mut plan, &roles).map_err(|e| e.profile(name))?;
        let mut removed = Vec::new();
        for (i, step) in crate::source::cache_steps(&plan, &files, env, Some(&cache)).into_iter().enumerate() {
            let Some(key) = step.key else { continue };
            if step.mfa_session && !args.mfa {
                if cache.peek(&key).is_some() {
                    eprintln!(
                        "awsenv: kept the MFA session of profile {} (`--mfa` forgets it too; the next use then asks for a code)",
                        quoted(name)
                    );
                }
                continue;
            }
            if cache.remove(&key) {
                removed.push(describe(&plan, i, step.mfa_session));
            }
        }
        match removed.is_empty() {
            true => eprintln!("awsenv: profile {}: nothing cached", quoted(name)),
            false => eprintln!("awsenv: profile {}: forgot {}", quoted(name), removed.join(", ")),
        }
        said += removed.len();
    }
    if said > 0 {
        eprintln!("awsenv: nothing was revoked at AWS: credentials already handed out stay valid until they expire");
    }
    Ok(String::new())
}

/// What step `i` of `plan` is, as the report names it.
fn describe(plan: &Plan, i: usize, mfa_session: bool) -> String {
    match i.checked_sub(1).and_then(|hop| plan.hops.get(hop)) {
        Some(hop) => format!("role {}", hop.role_arn),
        None if mfa_session => "the MFA session".to_owned(),
        None => match plan.base.source.kind() {
            "sso" => "the SSO role credentials".to_owned(),
            "process" => "the credential_process answer".to_owned(),
            kind => format!("the {kind} credentials"),
        },
    }
}
