//! `awsenv credential-process PROFILE`: the profile's credentials in the `credential_process`
//! format (Version 1), so that `credential_process = awsenv credential-process B` gives every SDK
//! awsenv's shared cache, MFA prompt and SSO renewal.

use serde_json::{Map, Value};

use crate::cli::CredentialProcessArgs;
use crate::credentials::format_rfc3339;
use crate::env::Env;
use crate::error::Error;

pub fn run(args: &CredentialProcessArgs, env: &Env) -> Result<String, Error> {
    if !args.print {
        super::secrets_stay_off_the_terminal(
            &format!("credential-process {}", crate::shell::posix_word(&args.profile)),
            crate::shell::Format::Json,
        )?;
    }
    let (_, credentials) = super::use_profile::resolve(&args.profile, &args.resolve, env)?;
    let mut out = Map::new();
    out.insert("Version".into(), Value::from(1));
    out.insert("AccessKeyId".into(), Value::from(credentials.access_key_id.as_str()));
    out.insert("SecretAccessKey".into(), Value::from(credentials.secret_access_key.expose()));
    if let Some(token) = &credentials.session_token {
        out.insert("SessionToken".into(), Value::from(token.expose()));
    }
    if let Some(expiration) = credentials.expiration {
        out.insert("Expiration".into(), Value::from(format_rfc3339(expiration)));
    }
    if let Some(account) = &credentials.account_id {
        out.insert("AccountId".into(), Value::from(account.as_str()));
    }
    Ok(serde_json::to_string(&out).expect("JSON serialises") + "\n")
}
