//! `awsenv whoami [PROFILE]`: STS GetCallerIdentity for a profile, or for the credentials this
//! shell already has in its environment.

use serde_json::json;

use crate::aws::endpoint;
use crate::aws::helper::{self, Answer, Operation, Request, Target, WireCredentials};
use crate::cli::{ResolveArgs, WhoamiArgs};
use crate::credentials::{Credentials, Secret};
use crate::env::Env;
use crate::error::Error;
use crate::resolve::Settings;

/// Whose credentials a command acts with: a profile's, or this shell's own.
pub struct Subject {
    pub credentials: Credentials,
    pub settings: Settings,
    /// The environment to resolve endpoints and region from.
    pub env: Env,
    pub label: String,
}

/// The settings of the profile this shell acts as, if the files still define it.
fn active_settings(name: &str, env: &Env) -> Option<Settings> {
    let texts = crate::config::read(env).ok()?;
    let files = crate::config::parse(&texts).ok()?;
    crate::resolve::Resolver::new(&files, env).plan(name).ok().map(|plan| plan.settings)
}

/// A profile's credentials and settings, or, without a profile, the shell as it stands: its keys,
/// and the endpoints and region awsenv exported into it counted as the user's own.
pub fn subject(profile: Option<&str>, resolve: &ResolveArgs, env: &Env) -> Result<Subject, Error> {
    // `--role-arn` with no PROFILE: the role on top of what this shell acts as, ad hoc roles and all.
    let on_the_shell = profile.is_none() && resolve.role.role_arn.is_some();
    let profile = match profile {
        None if on_the_shell => Some(env.get_nonempty(crate::settings::AWSENV_PROFILE).ok_or_else(|| {
            Error::usage("--role-arn with no PROFILE assumes the role on top of the profile this shell acts as, and it acts as none")
                .hint("name the profile to assume it from")
        })?),
        profile => profile,
    };
    match profile {
        Some(name) => {
            let resolve = super::with_roles(name, on_the_shell, resolve, &resolve.role, env)?;
            let (plan, credentials) = crate::acquire::resolve(name, &resolve, env)?;
            let label = format!("profile {}", crate::error::quoted(name));
            Ok(Subject { credentials, settings: plan.settings, env: env.clone(), label })
        }
        None => {
            let mut shell = env.clone();
            shell.remove(crate::settings::AWSENV_VARS);
            // The profile this shell acts as keeps its endpoints in awsenv's copy of the config,
            // not in the environment: its settings say where its calls go.
            let settings =
                env.get_nonempty(crate::settings::AWSENV_PROFILE).and_then(|name| active_settings(name, env));
            Ok(Subject {
                credentials: from_environment(env)?,
                settings: settings.unwrap_or_default(),
                env: shell,
                label: "the environment".to_owned(),
            })
        }
    }
}

pub fn run(args: &WhoamiArgs, env: &Env) -> Result<String, Error> {
    let Subject { credentials, settings, env, label } = subject(args.profile.as_deref(), &args.resolve, env)?;
    let env = &env;
    let region = endpoint::region(env, &settings, args.resolve.region.as_deref())?;
    let sts_endpoint = endpoint::sts(env, &settings, &region);
    let request = Request {
        target: Target::new(sts_endpoint, region, &settings, env, false),
        operation: Operation::GetCallerIdentity { credentials: WireCredentials::from(&credentials) },
    };
    let (account, arn, user_id) = match helper::call(&request).map_err(|e| e.context(&label))? {
        Answer::Identity { account, arn, user_id } => (account, arn, user_id),
        _ => return Err(Error::fetch(format!("{} answered GetCallerIdentity with something else", helper::HELPER))),
    };
    if args.json {
        return Ok(format!("{}\n", json!({"Account": account, "Arn": arn, "UserId": user_id})));
    }
    Ok(format!("Account: {}\nArn:     {}\nUserId:  {}\n", account, arn, user_id))
}

/// The keys this shell holds, whoever exported them.
fn from_environment(env: &Env) -> Result<Credentials, Error> {
    let (Some(key_id), Some(secret)) =
        (env.get_nonempty("AWS_ACCESS_KEY_ID"), env.get_nonempty("AWS_SECRET_ACCESS_KEY"))
    else {
        return Err(Error::fetch("no AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment")
            .hint("name a profile (`awsenv whoami PROFILE`) or run `awsenv use PROFILE` first"));
    };
    Ok(Credentials {
        access_key_id: key_id.to_owned(),
        secret_access_key: Secret::new(secret),
        session_token: env.get_nonempty("AWS_SESSION_TOKEN").map(Secret::new),
        expiration: None,
        account_id: None,
    })
}
