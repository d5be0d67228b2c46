//! `awsenv credential-process PROFILE`: the profile's credentials in the `credential_process`
//! format (Version 1), so that `credential_process = awsenv credential-process B` gives every SDK
//! awsenv's shared cache, MFA prompt and SSO renewal.

use serde_json::{Map, Value};

use crate::cli::CredentialProcessArgs;
use crate::credentials::format_rfc3339;
use crate::env::Env;
use crate::error::Error;

pub fn run(args: &CredentialProcessArgs, env: &Env) -> Result<String, Error> {
    // Either awsenv's own key-store line (`keys add` writes it) or a profile to resolve.
    let (shown, stored) = match (&args.key_store, &args.profile) {
        (Some(reference), _) => {
            let stored = reference
                .split_once(':')
                .and_then(|(b, n)| Some((crate::keys::Backend::parse(b)?, n)))
                .filter(|(_, n)| !n.is_empty())
                .ok_or_else(|| {
                    Error::usage(format!(
                        "--key-store takes STORE:NAME (os or file), not {}",
                        crate::error::quoted(reference)
                    ))
                })?;
            (format!("--key-store {}", crate::shell::posix_word(reference)), Some(stored))
        }
        (None, Some(profile)) => (crate::shell::posix_word(profile), None),
        (None, None) => return Err(Error::usage("name a profile, or --key-store STORE:NAME")),
    };
    if !args.print {
        super::secrets_stay_off_the_terminal(&format!("credential-process {shown}"), crate::shell::Format::Json)?;
    }
    let credentials = match (stored, &args.profile) {
        (Some((backend, name)), _) => crate::keys::get(backend, name, crate::keys::Patience::person())?,
        (None, profile) => {
            let profile = profile.as_deref().unwrap_or_default();
            let resolve = super::with_roles(profile, false, &args.resolve, &args.resolve.role, env)?;
            crate::acquire::resolve(profile, &resolve, env)?.1
        }
    };
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
