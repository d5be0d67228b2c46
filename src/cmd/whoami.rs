//! `awsenv whoami [PROFILE]`: STS GetCallerIdentity for a profile, or for the credentials this
//! shell already has in its environment.

use serde_json::json;

use crate::aws::endpoint;
use crate::aws::helper::{self, Answer, Operation, Request, Target, WireCredentials};
use crate::cli::WhoamiArgs;
use crate::credentials::{Credentials, Secret};
use crate::env::Env;
use crate::error::Error;
use crate::resolve::Settings;

pub fn run(args: &WhoamiArgs, env: &Env) -> Result<String, Error> {
    let (credentials, settings, label) = match &args.profile {
        Some(name) => {
            let (plan, credentials) = super::use_profile::resolve(name, &args.resolve, false, env)?;
            (credentials, plan.settings, format!("profile {}", crate::error::quoted(name)))
        }
        None => (from_environment(env)?, Settings::default(), "the environment".to_owned()),
    };
    // Without a profile the question is about this shell as it stands, endpoints awsenv exported
    // included.
    let mut shell_env;
    let env = if args.profile.is_none() {
        shell_env = env.clone();
        shell_env.remove(crate::settings::AWSENV_VARS);
        &shell_env
    } else {
        env
    };
    let region = endpoint::region(env, &settings, args.resolve.region.as_deref());
    let sts_endpoint = endpoint::sts(env, &settings, &region);
    let request = Request {
        target: Target { endpoint: sts_endpoint, region, ca_bundle: None, hook: false, timeout: None },
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
pub fn from_environment(env: &Env) -> Result<Credentials, Error> {
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
