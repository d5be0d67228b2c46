//! `credential_source = Environment`: the keys already in this process's environment.

use crate::credentials::{Credentials, Secret, parse_timestamp};
use crate::env::Env;
use crate::error::{Error, quoted};
use crate::settings::AWSENV_PROFILE;

pub fn fetch(env: &Env, at: &str) -> Result<Credentials, Error> {
    // Keys that an earlier `awsenv use` exported are that profile's output, not the base
    // credentials this profile means; using them would chain roles by accident. The user's own,
    // from before that `use`, are kept aside and are the ones meant.
    let var = |name: &str| env.user_var(name);
    let key_id = var("AWS_ACCESS_KEY_ID");
    let secret = var("AWS_SECRET_ACCESS_KEY");
    let (Some(key_id), Some(secret)) = (key_id, secret) else {
        if crate::settings::managed_by_awsenv(env, "AWS_ACCESS_KEY_ID") {
            let from = env
                .get(AWSENV_PROFILE)
                .map_or_else(|| "another profile".to_owned(), |p| format!("profile {}", quoted(p)));
            return Err(Error::fetch(format!(
                "credential_source = Environment ({at}) would read the keys awsenv exported for {from}"
            ))
            .hint("run `awsenv unset` and export the base credentials first"));
        }
        let missing = if key_id.is_none() { "AWS_ACCESS_KEY_ID" } else { "AWS_SECRET_ACCESS_KEY" };
        return Err(Error::fetch(format!("credential_source = Environment ({at}) but {missing} is not set"))
            .hint("export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY before using this profile"));
    };
    let expiration = match var("AWS_CREDENTIAL_EXPIRATION") {
        None => None,
        Some(text) => Some(parse_timestamp(text).ok_or_else(|| {
            Error::fetch("AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 timestamp").hint("unset it or correct it")
        })?),
    };
    Ok(Credentials {
        access_key_id: key_id.to_owned(),
        secret_access_key: Secret::new(secret),
        session_token: var("AWS_SESSION_TOKEN").map(Secret::new),
        expiration,
        account_id: var("AWS_ACCOUNT_ID").map(str::to_owned),
    })
}
