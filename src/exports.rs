//! From credentials and settings to the ordered list of changes `use` prints, and the list `unset`
//! prints. What the previous `use` set is read from `AWSENV_VARS`, so switching profiles removes
//! exactly what the old profile set and the new one does not: nothing stale, nothing of the
//! user's own touched.

use crate::credentials::Credentials;
use crate::env::Env;
use crate::resolve::Plan;
use crate::settings::{AWSENV_EXPIRES_AT, AWSENV_PROFILE, AWSENV_VARS, ENV_TWINS, all_fixed_vars, is_variable_name};
use crate::shell::Change;

/// Variables that describe the credentials: when the new credentials lack one, it goes, whoever
/// set it, because a stale token or expiry next to new keys breaks every SDK call.
const ALWAYS_REPLACED: &[&str] = &["AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", AWSENV_EXPIRES_AT];

pub struct UseOptions {
    /// Also set `AWS_PROFILE` (off by default: the JS SDK v3 prefers a profile over keys).
    pub export_profile: bool,
}

pub fn use_changes(plan: &Plan, credentials: &Credentials, options: &UseOptions, env: &Env) -> Vec<Change> {
    let mut sets: Vec<(String, String)> = Vec::new();
    let mut set = |name: &str, value: &str| sets.push((name.to_owned(), value.to_owned()));
    set("AWS_ACCESS_KEY_ID", &credentials.access_key_id);
    set("AWS_SECRET_ACCESS_KEY", credentials.secret_access_key.expose());
    if let Some(token) = &credentials.session_token {
        set("AWS_SESSION_TOKEN", token.expose());
    }
    if let Some(expiration) = credentials.expiration {
        set("AWS_CREDENTIAL_EXPIRATION", &crate::credentials::format_rfc3339(expiration));
    }
    if let Some(account) = &credentials.account_id {
        set("AWS_ACCOUNT_ID", account);
    }
    for (key, value, _) in &plan.settings.values {
        let vars = ENV_TWINS.iter().find(|(k, _)| k == key).map_or(&[][..], |(_, vars)| *vars);
        for var in vars {
            set(var, value);
        }
    }
    for endpoint in &plan.settings.service_endpoints {
        if let Some(var) = &endpoint.variable {
            set(var, &endpoint.url);
        }
    }
    if options.export_profile {
        set("AWS_PROFILE", &plan.profile);
    }
    let tracked: Vec<&str> = sets.iter().map(|(n, _)| n.as_str()).collect();
    let tracked_list = tracked.join(" ");
    let mut changes: Vec<Change> = sets.iter().map(|(n, v)| Change::Set(n.clone(), v.clone())).collect();
    changes.push(Change::Set(AWSENV_PROFILE.to_owned(), plan.profile.clone()));
    if let Some(t) = credentials.expiration {
        changes.push(Change::Set(AWSENV_EXPIRES_AT.to_owned(), t.unix_timestamp().to_string()));
    }
    changes.push(Change::Set(AWSENV_VARS.to_owned(), tracked_list));

    let mut candidates: Vec<&str> = ALWAYS_REPLACED.to_vec();
    if !options.export_profile {
        // A leftover AWS_PROFILE would contradict the exported keys for SDKs that prefer it.
        candidates.push("AWS_PROFILE");
    }
    candidates.extend(previously_set(env));
    let mut unsets: Vec<&str> = Vec::new();
    for name in candidates {
        if !changes.iter().any(|c| c.name() == name) && !unsets.contains(&name) {
            unsets.push(name);
        }
    }
    changes.extend(unsets.into_iter().map(|n| Change::Unset(n.to_owned())));
    changes
}

/// Everything awsenv may have set: the credential variables, what the last `use` recorded, and
/// its own bookkeeping. Settings the user exported themselves stay unless a `use` recorded them.
pub fn unset_changes(env: &Env) -> Vec<Change> {
    let mut names: Vec<&str> = crate::settings::CREDENTIAL_VARS.to_vec();
    for name in previously_set(env) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.extend([AWSENV_PROFILE, AWSENV_EXPIRES_AT, AWSENV_VARS]);
    names.into_iter().map(|n| Change::Unset(n.to_owned())).collect()
}

/// Names recorded by the last `use`. Only names awsenv could have set are honoured, so a forged
/// `AWSENV_VARS` cannot make `use` remove unrelated variables.
fn previously_set(env: &Env) -> impl Iterator<Item = &str> {
    env.get(AWSENV_VARS).unwrap_or("").split(' ').filter(|name| {
        is_variable_name(name) && (all_fixed_vars().any(|v| v == *name) || name.starts_with("AWS_ENDPOINT_URL_"))
    })
}
