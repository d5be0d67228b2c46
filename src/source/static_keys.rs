//! `aws_access_key_id` / `aws_secret_access_key` (and token, account) straight from the files.

use crate::credentials::Credentials;
use crate::error::Error;
use crate::resolve::Source;

pub fn fetch(source: &Source) -> Result<Credentials, Error> {
    let Source::StaticKeys { access_key_id, secret_access_key, session_token, account_id } = source else {
        unreachable!("called for static keys only");
    };
    Ok(Credentials {
        access_key_id: access_key_id.clone(),
        secret_access_key: secret_access_key.clone(),
        session_token: session_token.clone(),
        expiration: None,
        account_id: account_id.clone(),
    })
}
