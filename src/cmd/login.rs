//! `awsenv login` / `awsenv logout`: an IAM Identity Center login (`crate::sso::login`), and its
//! end: the portal session, the cached token, and the role credentials it bought.

use crate::aws::helper::{self, Operation, Request, Target};
use crate::cli::{LoginArgs, LogoutArgs};
use crate::config;
use crate::env::Env;
use crate::error::{Error, io_cause};
use crate::resolve::{Resolver, Source};
use crate::sso::login::{LoginTarget, log_in, target};
use crate::sso::token::{TokenFile, portal_endpoint, token_dir};

pub fn login(args: &LoginArgs, env: &Env) -> Result<String, Error> {
    // A bare login in a shell on a profile without SSO, with several sso-sessions: pick one on
    // a terminal (off one, `target` says to name one).
    let picked = match (&args.profile, &args.sso_session) {
        (None, None) => {
            let choices = crate::sso::login::bare_choice(env)?;
            match crate::picker::pick("the sso-session to log in to", &choices, 0) {
                _ if choices.is_empty() => None,
                Ok(Some(i)) => Some(choices[i].clone()),
                Ok(None) => return Err(Error::usage("no sso-session picked; nothing changed")),
                Err(_) => None,
            }
        }
        _ => None,
    };
    let session = args.sso_session.as_deref().or(picked.as_deref());
    let target = target(args.profile.as_deref(), session, env)?;
    log_in(&target, args.use_device_code, args.no_browser, env)?;
    Ok(String::new())
}

pub fn logout(args: &LogoutArgs, env: &Env) -> Result<String, Error> {
    let dir = token_dir(env).ok_or_else(|| Error::fetch("HOME is not set").hint("set HOME"))?;
    let targets: Vec<(std::path::PathBuf, Option<LoginTarget>)> = if args.profile.is_some()
        || args.sso_session.is_some()
    {
        let target = target(args.profile.as_deref(), args.sso_session.as_deref(), env)?;
        let path = target.login().token_path(env).ok_or_else(|| Error::fetch("HOME is not set"))?;
        vec![(path, Some(target))]
    } else {
        // Every login token in the cache (client registrations have no accessToken).
        std::fs::read_dir(&dir).map(|entries| entries.flatten().map(|e| (e.path(), None)).collect()).unwrap_or_default()
    };
    let mut ended = 0;
    for (path, target) in targets {
        let Ok(Some(token)) = TokenFile::read(&path) else { continue };
        let (Some(access), Some(region)) = (token.access_token(), token.get("region")) else { continue };
        let Ok(region) = crate::aws::region::check(region, "the token's region") else {
            eprintln!(
                "awsenv: warning: {} holds no valid region; removing it without a portal logout",
                config::display_path(&path, env)
            );
            let _ = std::fs::remove_file(&path);
            ended += 1;
            continue;
        };
        let settings = target.as_ref().map(|t| t.settings.clone()).unwrap_or_default();
        let request = Request {
            target: Target::new(portal_endpoint(env, &settings, region), region, &settings, env, false),
            operation: Operation::SsoLogout { token: access.to_owned() },
        };
        if let Err(e) = helper::call(&request) {
            // The local token goes anyway: the point of logging out is that it is not used again.
            eprintln!("awsenv: warning: the portal logout failed ({e}); removing the local token anyway");
        }
        std::fs::remove_file(&path).map_err(|e| {
            Error::fetch(format!("cannot remove {}: {}", config::display_path(&path, env), io_cause(&e)))
        })?;
        ended += 1;
    }
    let login = targets_login(args, env);
    let forgotten = forget_role_credentials(env, login.as_deref());
    eprintln!(
        "awsenv: logged out of {ended} SSO session{}; removed {forgotten} cached role credential{} bought with {}",
        if ended == 1 { "" } else { "s" },
        if forgotten == 1 { "" } else { "s" },
        if login.is_some() { "it" } else { "them" },
    );
    Ok(String::new())
}

/// The login (sso-session name, or start URL of a legacy profile) a logout names, if it names one.
fn targets_login(args: &LogoutArgs, env: &Env) -> Option<String> {
    if args.profile.is_none() && args.sso_session.is_none() {
        return None;
    }
    let target = target(args.profile.as_deref(), args.sso_session.as_deref(), env).ok()?;
    Some(target.session.clone().unwrap_or(target.start_url))
}

/// Remove from the cache the role credentials that SSO profiles bought with `login` (every SSO
/// login when `None`), so that nothing resolves from a login that has ended. Best effort: what
/// cannot be read or removed stays, and the next portal call fails as it should.
fn forget_role_credentials(env: &Env, login: Option<&str>) -> usize {
    let (Ok(texts), Ok(cache)) = (config::read(env), crate::cache::Cache::open(env)) else { return 0 };
    let Ok(files) = config::parse(&texts) else { return 0 };
    let resolver = Resolver::new(&files, env);
    let mut removed = 0;
    for name in files.profile_names() {
        let Ok(plan) = resolver.plan(name) else { continue };
        let Source::Sso { session, start_url, region, account_id: Some(account), role_name: Some(role) } =
            &plan.base.source
        else {
            continue;
        };
        let this = session.as_deref().unwrap_or(start_url);
        if login.is_some_and(|l| l != this) {
            continue;
        }
        let key = crate::source::sso_cache_key(this, account, role, &portal_endpoint(env, &plan.settings, region));
        if cache.remove(&key) {
            removed += 1;
        }
    }
    removed
}
