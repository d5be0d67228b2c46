//! From credentials and settings to the ordered list of changes `use` prints, and the list `unset`
//! prints. What the previous `use` set is read from `AWSENV_VARS`, so switching profiles removes
//! exactly what the old profile set and the new one does not: nothing stale, nothing of the
//! user's own touched.

use crate::credentials::Credentials;
use crate::env::Env;
use crate::resolve::Plan;
use crate::resolve::adhoc::{self, AWSENV_ROLES};
use crate::settings::{
    AWSENV_EXPIRES_AT, AWSENV_PREVIOUS, AWSENV_PROFILE, AWSENV_SHOWN, AWSENV_VARS, BEFORE_THE_ENDPOINT, ENV_TWINS,
    all_fixed_vars, is_variable_name, managed_by_awsenv, saved_name,
};
use crate::shell::Change;

/// Variables that describe the credentials: when the new credentials lack one, it goes, whoever
/// set it, because a stale token or expiry next to new keys breaks every SDK call.
const ALWAYS_REPLACED: &[&str] = &["AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", AWSENV_EXPIRES_AT];

/// An `awsenv serve` endpoint that gives the credentials instead of the environment.
pub struct Served {
    pub url: String,
    pub token: String,
    /// awsenv's copy of the credentials file without `[default]` (`config::shadow`), if needed.
    pub credentials_file: Option<String>,
    /// The detached server's pid (`serve --detach`), for `serve --stop`.
    pub server_pid: Option<u32>,
}

pub struct UseOptions {
    /// Also set `AWS_PROFILE` (off by default: the JS SDK v3 prefers a profile over keys).
    pub export_profile: bool,
    /// awsenv's copy of the config file whose `[default]` is this profile (`AWS_CONFIG_FILE`).
    pub config_file: Option<String>,
    /// Point SDKs at this endpoint instead of exporting keys.
    pub served: Option<Served>,
}

/// The changes that make a shell act as the plan's profile. What the user had set themselves and
/// this `use` replaces or removes is kept in `AWSENV_USER_<NAME>` first, so that `unset` (or a
/// later `use` that leaves the name alone) gives it back exactly.
pub fn use_changes(plan: &Plan, credentials: &Credentials, options: &UseOptions, env: &Env) -> Vec<Change> {
    let mut sets: Vec<(String, String)> = Vec::new();
    let mut set = |name: &str, value: &str| sets.push((name.to_owned(), value.to_owned()));
    match &options.served {
        None => {
            set("AWS_ACCESS_KEY_ID", &credentials.access_key_id);
            set("AWS_SECRET_ACCESS_KEY", credentials.secret_access_key.expose());
            if let Some(token) = &credentials.session_token {
                set("AWS_SESSION_TOKEN", token.expose());
            }
            if let Some(expiration) = credentials.expiration {
                set("AWS_CREDENTIAL_EXPIRATION", &crate::credentials::format_rfc3339(expiration));
            }
        }
        Some(served) => {
            set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &served.url);
            set("AWS_CONTAINER_AUTHORIZATION_TOKEN", &served.token);
            if let Some(file) = &served.credentials_file {
                set("AWS_SHARED_CREDENTIALS_FILE", file);
            }
        }
    }
    if let Some(account) = &credentials.account_id {
        set("AWS_ACCOUNT_ID", account);
    }
    // With awsenv's copy of the config, its `[default]` carries the profile's settings to every
    // SDK, so only the region goes into the environment too (tools that read nothing else want
    // it). Without the copy, every setting that has an environment twin is exported.
    let copy = options.config_file.is_some();
    for (key, value, _) in plan.settings.values.iter().filter(|(key, _, _)| !copy || *key == "region") {
        let vars = ENV_TWINS.iter().find(|(k, _)| k == key).map_or(&[][..], |(_, vars)| *vars);
        for var in vars {
            set(var, value);
        }
    }
    for endpoint in plan.settings.service_endpoints.iter().filter(|_| !copy) {
        if let Some(var) = &endpoint.variable {
            set(var, &endpoint.url);
        }
    }
    // The profile's own variables (`awsenv_env`): no SDK reads them from the copy, so always.
    for var in &plan.settings.profile_env {
        set(&var.name, &var.value);
    }
    if let Some(path) = &options.config_file {
        set("AWS_CONFIG_FILE", path);
    }
    if options.export_profile {
        set("AWS_PROFILE", &plan.profile);
    }
    let is_set = |name: &str| sets.iter().any(|(n, _)| n == name);

    // Names this use keeps out of the environment while it is in force.
    let mut suppressed: Vec<&str> = ALWAYS_REPLACED.to_vec();
    if options.served.is_some() {
        suppressed.extend(BEFORE_THE_ENDPOINT.iter().filter(|n| !ALWAYS_REPLACED.contains(n)));
    }
    if !options.export_profile {
        // A leftover AWS_PROFILE would contradict the exported keys for SDKs that prefer it.
        suppressed.push("AWS_PROFILE");
    }
    // The endpoint renews by itself: no expiry for the hook to act on.
    let expires = credentials.expiration.filter(|_| options.served.is_none());
    suppressed.retain(|n| !(is_set(n) || *n == AWSENV_EXPIRES_AT && expires.is_some()));

    let mut saves: Vec<Change> = Vec::new();
    let mut tracked: Vec<&str> = Vec::new();
    // awsenv's own bookkeeping is never the user's.
    let users = |name: &&str| !name.starts_with("AWSENV_");
    for name in sets.iter().map(|(n, _)| n.as_str()).chain(suppressed.iter().copied()).filter(users) {
        let ours = managed_by_awsenv(env, name);
        if !ours && let Some(value) = env.get(name) {
            saves.push(Change::Set(saved_name(name), value.to_owned()));
        }
        let user_value_kept = (!ours && env.get(name).is_some()) || (ours && env.get(&saved_name(name)).is_some());
        if is_set(name) || user_value_kept {
            tracked.push(name);
        }
    }
    let mut changes = saves;
    changes.extend(sets.iter().map(|(n, v)| Change::Set(n.clone(), v.clone())));
    changes.push(Change::Set(AWSENV_PROFILE.to_owned(), plan.profile.clone()));
    // The ad hoc roles on top (`resolve::adhoc`): what the hook renews, and what the prompt shows.
    for (name, value) in [
        (AWSENV_ROLES, adhoc::encode_chain(&plan.ad_hoc)),
        (AWSENV_SHOWN, if plan.ad_hoc.is_empty() { String::new() } else { adhoc::shown(&plan.profile, &plan.ad_hoc) }),
    ] {
        match value.is_empty() {
            false => changes.push(Change::Set(name.to_owned(), value)),
            true if env.get(name).is_some() => changes.push(Change::Unset(name.to_owned())),
            true => {}
        }
    }
    let had_roles = adhoc::recorded(env);
    if let Some(previous) = env.get_nonempty(AWSENV_PROFILE).filter(|p| *p != plan.profile || had_roles != plan.ad_hoc)
    {
        let origin = match env.get_nonempty(crate::settings::AWSENV_SERVER) {
            Some(_) => crate::previous::Origin::Serve,
            None => crate::previous::Origin::Use,
        };
        let record = crate::previous::Previous { profile: previous.to_owned(), origin, roles: had_roles };
        changes.push(Change::Set(AWSENV_PREVIOUS.to_owned(), record.encode()));
    }
    if let Some(t) = expires {
        changes.push(Change::Set(AWSENV_EXPIRES_AT.to_owned(), t.unix_timestamp().to_string()));
    }
    if let Some(pid) = options.served.as_ref().and_then(|s| s.server_pid) {
        let value = match crate::procs::start_time(pid) {
            Some(started) => format!("{pid}:{started}"),
            None => pid.to_string(),
        };
        changes.push(Change::Set(crate::settings::AWSENV_SERVER.to_owned(), value));
    }
    changes.push(Change::Set(AWSENV_VARS.to_owned(), tracked.join(" ")));
    changes.extend(suppressed.iter().map(|n| Change::Unset((*n).to_owned())));
    // What the previous use managed and this one does not: the user's value comes back.
    for name in previously_set(env) {
        if !is_set(name) && !suppressed.contains(&name) && !changes.iter().any(|c| c.name() == name) {
            changes.extend(give_back(env, name));
        }
    }
    changes
}

/// Everything awsenv may have set goes; what the user had before comes back. Credential
/// variables go whoever set them.
pub fn unset_changes(env: &Env) -> Vec<Change> {
    let mut names: Vec<&str> = crate::settings::CREDENTIAL_VARS.to_vec();
    for name in previously_set(env) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut changes: Vec<Change> = names.into_iter().flat_map(|n| give_back(env, n)).collect();
    // The shell is left exactly as it was before the first `use`: bookkeeping included.
    changes.extend(
        [AWSENV_PROFILE, AWSENV_EXPIRES_AT, AWSENV_VARS, AWSENV_PREVIOUS, AWSENV_ROLES, AWSENV_SHOWN]
            .map(|n| Change::Unset(n.to_owned())),
    );
    changes
}

/// `name` as it was before awsenv managed it: the saved value, or unset.
fn give_back(env: &Env, name: &str) -> Vec<Change> {
    let saved = saved_name(name);
    match env.get(&saved).filter(|_| managed_by_awsenv(env, name)) {
        Some(value) => vec![Change::Set(name.to_owned(), value.to_owned()), Change::Unset(saved)],
        None => vec![Change::Unset(name.to_owned())],
    }
}

/// Names recorded by the last `use`. Only names awsenv could have set are honoured (its own, and
/// those a profile's `awsenv_env` may name), so a forged `AWSENV_VARS` cannot make `use` remove
/// `PATH` or another variable the shell depends on.
fn previously_set(env: &Env) -> impl Iterator<Item = &str> {
    env.get(AWSENV_VARS).unwrap_or("").split(' ').filter(|name| {
        is_variable_name(name)
            && (all_fixed_vars().any(|v| v == *name)
                || name.starts_with("AWS_ENDPOINT_URL_")
                || crate::resolve::profile_env::could_have_set(name))
    })
}
