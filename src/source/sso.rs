//! IAM Identity Center (SSO) as a credential step: the login's access token buys role
//! credentials from the portal (GetRoleCredentials). They go through the shared cache like any
//! other step; the token (`crate::sso::token`) is read only on a cache miss.

use super::{FetchOptions, Network, cached};
use crate::aws::helper::Operation;
use crate::credentials::Credentials;
use crate::error::{Error, quoted};
use crate::resolve::Settings;
use crate::sso::token::{Login, portal_endpoint, usable_token};

#[allow(clippy::too_many_arguments)]
pub fn fetch(
    login: Login<'_>,
    account_id: Option<&str>,
    role_name: Option<&str>,
    profile: &str,
    settings: &Settings,
    net: &Network<'_>,
    at: &str,
    options: FetchOptions<'_>,
) -> Result<Credentials, Error> {
    let (Some(account_id), Some(role_name)) = (account_id, role_name) else {
        return Err(Error::plan(format!(
            "profile {} ({at}) names {} but no sso_account_id and sso_role_name: it yields an SSO bearer token, not AWS credentials",
            quoted(profile),
            login.describe()
        ))
        .hint("add sso_account_id and sso_role_name to the profile"));
    };
    let env = net.env;
    let portal = portal_endpoint(env, settings, login.region);
    let key = super::keys::sso(login.session.unwrap_or(login.start_url), account_id, role_name, &portal);
    cached(env, options, &key, || {
        // A person at a terminal is offered the login right here, and `use` goes on after it.
        let token = match usable_token(&login, profile, at, settings, env, options) {
            Ok(token) => token,
            Err(e) if !options.hook && crate::sso::login::offer(&login, Some(profile), &e, env)? => {
                usable_token(&login, profile, at, settings, env, options)?
            }
            Err(e) => return Err(e),
        };
        net.call(
            &portal,
            None,
            Operation::SsoRoleCredentials { account_id: account_id.to_owned(), role_name: role_name.to_owned(), token },
        )
        .map_err(|e| e.context(format!("SSO role {role_name} in account {account_id} ({at})")))
    })
}
