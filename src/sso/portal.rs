//! What the portal lists for a login (every account and role of the user), for `sso sync` and
//! `sso add`: the token from the CLI's cache (renewed, or, on a terminal, a new login offered
//! when there is none), then one listing in `awsenv-fetch`.

use super::login::{LoginTarget, offer};
use super::token::{portal_endpoint, usable_token};
use crate::aws::helper::{Answer, Operation, Request, Target};
use crate::aws::portal::Listing;
use crate::env::Env;
use crate::error::Error;
use crate::source::options::FetchOptions;

/// Requests at once: enough to hide the round trips, few enough not to be throttled at once.
const WORKERS: usize = 8;

pub fn list(target: &LoginTarget, env: &Env) -> Result<Listing, Error> {
    let login = target.login();
    let options = FetchOptions::default();
    let at = target.label.as_str();
    let token = match usable_token(&login, at, at, &target.settings, env, options) {
        Ok(token) => token,
        Err(e) if offer(&login, None, &e, env)? => usable_token(&login, at, at, &target.settings, env, options)?,
        Err(e) => return Err(e),
    };
    let workers = crate::numbers::count_var(env, "AWSENV_SSO_WORKERS", WORKERS, 32)?;
    let request = Request {
        target: Target::new(
            portal_endpoint(env, &target.settings, &target.region),
            &target.region,
            &target.settings,
            env,
            false,
        ),
        operation: Operation::SsoListAssignments { token, workers },
    };
    match crate::aws::helper::call(&request).map_err(|e| e.context(&target.label))? {
        Answer::Listing(listing) => Ok(listing),
        _ => Err(Error::fetch("awsenv-fetch answered the portal listing with something else")),
    }
}
