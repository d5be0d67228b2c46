//! `web_identity_token_file` + `role_arn`: AssumeRoleWithWebIdentity, unsigned (the token is the
//! credential). The token file is read at each fetch: issuers rotate it.

use super::{FetchOptions, Network, cached};
use crate::aws::helper::Operation;
use crate::credentials::Credentials;
use crate::error::{Error, io_cause};

pub fn fetch(
    role_arn: &str,
    token_file: &str,
    configured_session_name: Option<&str>,
    net: &Network<'_>,
    at: &str,
    options: FetchOptions,
) -> Result<Credentials, Error> {
    let session_name =
        configured_session_name.map_or_else(|| super::assume_role::default_session_name(net.env), str::to_owned);
    let key = super::keys::web_identity(role_arn, token_file, configured_session_name, &net.sts_endpoint);
    let call_sts = || {
        let home = crate::config::locate::home_dir(net.env, crate::config::Platform::CURRENT);
        let path = crate::config::locate::expand_home(token_file, home.as_deref(), crate::config::Platform::CURRENT);
        let token = std::fs::read_to_string(&path).map_err(|e| {
            Error::fetch(format!("cannot read web_identity_token_file {token_file} ({at}): {}", io_cause(&e)))
                .hint("check the path; the token is usually mounted by the platform")
        })?;
        net.sts(Operation::AssumeRoleWithWebIdentity {
            role_arn: role_arn.to_owned(),
            session_name: session_name.clone(),
            token: token.trim().to_owned(),
        })
    };
    cached(net.env, options, &key, call_sts)
}
