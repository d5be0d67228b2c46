//! One file per credential source. `fetch` walks a Plan: the base source, then each role hop.

mod assume_role;
mod environment;
mod instance;
mod keys;
pub mod login;
pub mod mfa;
pub mod options;
mod process;
pub mod sso;
mod start;
mod static_keys;
mod web_identity;

use std::time::Duration;

use crate::cache::{Cache, Policy};
use crate::config::{self, ConfigFiles};
use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::Error;
use crate::resolve::{Plan, Source};

pub use instance::container_url;
pub use options::FetchOptions;

/// The cache key of an SSO profile's role credentials: `login` is the sso-session name or the
/// legacy start URL.
pub fn sso_cache_key(login: &str, account_id: &str, role_name: &str, portal: &str) -> String {
    keys::sso(login, account_id, role_name, portal)
}
pub use process::{ProcessOutputError, parse_process_output};

/// Where calls go. The calls themselves run in `awsenv-fetch`, started only on a cache miss, so
/// a warm cache starts no network stack at all.
pub struct Network<'e> {
    pub env: &'e Env,
    pub region: String,
    pub sts_endpoint: String,
    settings: &'e crate::resolve::Settings,
    hook: bool,
    deadline: Option<std::time::Instant>,
}

impl<'e> Network<'e> {
    pub fn new(plan: &'e Plan, env: &'e Env, options: &FetchOptions<'_>) -> Result<Network<'e>, Error> {
        let region = crate::aws::endpoint::region(env, &plan.settings, None)?;
        let sts_endpoint = crate::aws::endpoint::sts(env, &plan.settings, &region);
        Ok(Network {
            env,
            region,
            sts_endpoint,
            settings: &plan.settings,
            hook: options.hook,
            deadline: options.deadline,
        })
    }

    /// Make one STS call (in `awsenv-fetch`) and return the credentials it yields.
    pub fn sts(&self, operation: crate::aws::helper::Operation) -> Result<Credentials, Error> {
        self.call(&self.sts_endpoint, None, operation)
    }

    /// Make one call (in `awsenv-fetch`) that yields credentials.
    pub fn call(
        &self,
        endpoint: &str,
        timeout: Option<f64>,
        operation: crate::aws::helper::Operation,
    ) -> Result<Credentials, Error> {
        let target = crate::aws::helper::Target {
            timeout,
            ..crate::aws::helper::Target::new(endpoint, &self.region, self.settings, self.env, self.hook)
        }
        .within(self.deadline);
        crate::aws::helper::credentials(crate::aws::helper::call(&crate::aws::helper::Request { target, operation })?)
    }
}

pub fn fetch(plan: &Plan, files: &ConfigFiles<'_>, env: &Env, options: FetchOptions<'_>) -> Result<Credentials, Error> {
    let cite = |at| config::cite(files, at, env);
    // Only a step that makes a call needs the region and endpoints, and so their checks.
    let network = std::cell::OnceCell::new();
    let net = || network.get_or_init(|| Network::new(plan, env, &options)).as_ref().map_err(Error::clone);
    let base = &plan.base;
    let patience = crate::keys::Patience::for_fetch(options.hook, options.deadline);
    let base_credentials = || match &base.source {
        Source::StaticKeys { .. } => static_keys::fetch(&base.source),
        Source::Environment => environment::fetch(env, &cite(base.at)),
        Source::Process { command, account_id } => {
            process::fetch(command, account_id.as_deref(), &cite(base.at), env, options)
        }
        Source::WebIdentity { role_arn, token_file, session_name } => net().and_then(|net| {
            web_identity::fetch(role_arn, token_file, session_name.as_deref(), net, &cite(base.at), options)
        }),
        Source::Imds => net().and_then(|net| {
            instance::imds(net, instance::imds_endpoint(env, files, &base.profile), &cite(base.at), options)
        }),
        Source::Ecs => net().and_then(|net| instance::container(net, &cite(base.at), options)),
        Source::Sso { session, start_url, region, account_id, role_name } => net().and_then(|net| {
            sso::fetch(
                crate::sso::token::Login { session: session.as_deref(), start_url, region },
                account_id.as_deref(),
                role_name.as_deref(),
                &base.profile,
                &plan.settings,
                net,
                &cite(base.at),
                options,
            )
        }),
        Source::Login { session } => net().and_then(|net| {
            login::fetch(session, &base.profile, &plan.settings, env, &net.region, &cite(base.at), options)
        }),
        Source::KeyStore { backend, name } => crate::keys::get(*backend, name, patience),
    };
    // Stored keys are read only if a step below needs them (see `start`).
    let mut start = match &base.source {
        Source::KeyStore { backend, name } => start::Start::stored(*backend, name, env, patience),
        _ => start::Start::ready(base_credentials().map_err(|e| via(e, &base.profile, plan))?),
    };
    // Long-term keys with an MFA device: one session a day, and the first role assumed from it
    // with no code (see `mfa`).
    let session = mfa::session_for(plan, files, env)?;
    if let Some(session) = &session {
        // `--refresh` renews the roles, not the day's MFA session they are assumed from (that
        // would cost a code, and fail where nobody can type one); only the user's own profile,
        // whose credentials are the session, starts a new one.
        let session_options = FetchOptions { refresh: options.refresh && plan.hops.is_empty(), ..options };
        start = start::Start::ready(
            net()
                .and_then(|net| mfa::session(&start, session, net, &cite(base.at), session_options))
                .map_err(|e| via(e, &base.profile, plan))?,
        );
    }
    for (i, hop) in plan.hops.iter().enumerate() {
        let hop = mfa::hop_as_assumed(hop, i, session.as_ref());
        let hop = hop.as_ref();
        start = start::Start::ready(
            net()
                .and_then(|net| {
                    let at = hop.at.map_or_else(|| "--role-arn".to_owned(), cite);
                    assume_role::fetch(hop, &start, files, net, &at, options)
                })
                .map_err(|e| via(e, &hop.profile, plan))?,
        );
    }
    start.into_credentials().map_err(|e| via(e, &base.profile, plan))
}

/// What the cache holds for one step of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheState {
    /// Static keys and the environment are read anew each time.
    NotCached,
    /// No entry (never fetched, or the step before is not cached, so its key is unknown).
    Missing,
    Valid(time::OffsetDateTime),
    Expired(time::OffsetDateTime),
}

/// The cache state of every step of `plan`, base first, read without a lock and without network.
pub fn cache_states(plan: &Plan, files: &ConfigFiles<'_>, env: &Env, cache: Option<&Cache>) -> Vec<CacheState> {
    cache_steps(plan, files, env, cache).into_iter().map(|step| step.state).collect()
}

/// One step of a plan as the cache sees it.
#[derive(Debug, Clone)]
pub struct CachedStep {
    pub state: CacheState,
    /// The key material of its entry, when the step is cached and its key can be worked out
    /// (a hop's key needs the step before it in the cache).
    pub key: Option<String>,
    /// The base step is the day's MFA session of long-term keys (`mfa`).
    pub mfa_session: bool,
}

/// `cache_states` with each step's entry key: what `clear` removes.
pub fn cache_steps(plan: &Plan, files: &ConfigFiles<'_>, env: &Env, cache: Option<&Cache>) -> Vec<CachedStep> {
    let step = |state| CachedStep { state, key: None, mfa_session: false };
    if cache.is_none() {
        return std::iter::once(&plan.base.source)
            .map(|s| {
                step(if matches!(s, Source::StaticKeys { .. } | Source::Environment) {
                    CacheState::NotCached
                } else {
                    CacheState::Missing
                })
            })
            .chain(plan.hops.iter().map(|_| step(CacheState::Missing)))
            .collect();
    }
    let network = std::cell::OnceCell::new();
    let options = FetchOptions { hook: true, ..FetchOptions::default() };
    let sts_endpoint = || {
        network.get_or_init(|| Network::new(plan, env, &options).map(|n| n.sts_endpoint)).clone().unwrap_or_default()
    };
    // (state, the next step's source key id, the entry's key material)
    let peek = |key: Option<String>| -> (CacheState, Option<String>, Option<String>) {
        match key.as_ref().and_then(|k| cache?.peek(k)) {
            Some(c) => (state_of(&c), Some(c.access_key_id), key),
            None => (CacheState::Missing, None, key),
        }
    };
    let (base_state, key_id, base_key) = match &plan.base.source {
        Source::StaticKeys { access_key_id, .. } => (CacheState::NotCached, Some(access_key_id.clone()), None),
        Source::KeyStore { backend, name } => {
            (CacheState::NotCached, crate::keys::indexed(env, *backend, name).map(|e| e.access_key_id), None)
        }
        Source::Environment => (CacheState::NotCached, env.get_nonempty("AWS_ACCESS_KEY_ID").map(str::to_owned), None),
        Source::Process { command, .. } => peek(Some(keys::process(command))),
        Source::Imds => peek(Some(keys::imds(&instance::imds_endpoint(env, files, &plan.base.profile)))),
        Source::Ecs => peek(instance::container_url(env, "").ok().map(|url| keys::container(&url))),
        Source::WebIdentity { role_arn, token_file, session_name } => {
            peek(Some(keys::web_identity(role_arn, token_file, session_name.as_deref(), &sts_endpoint())))
        }
        Source::Sso { session, start_url, region, account_id: Some(account), role_name: Some(role) } => {
            let login = session.as_deref().unwrap_or(start_url);
            // Most SSO profiles of a long list have no entry: check the cheap group first.
            if cache.is_some_and(|c| c.has_group(&keys::sso_group(login, account, role))) {
                peek(Some(keys::sso(
                    login,
                    account,
                    role,
                    &crate::sso::token::portal_endpoint(env, &plan.settings, region),
                )))
            } else {
                (CacheState::Missing, None, None)
            }
        }
        // The AWS CLI's login session is its own (`logout`'s), not an entry of awsenv's cache.
        Source::Login { session } => match login::expiration(env, session) {
            Some(t) if t > time::OffsetDateTime::now_utc() => (CacheState::Valid(t), None, None),
            Some(t) => (CacheState::Expired(t), None, None),
            None => (CacheState::Missing, None, None),
        },
        Source::Sso { .. } => (CacheState::Missing, None, None),
    };
    // Long-term keys with an MFA session: the base step is the session, and the first role is
    // keyed by the session's key, without a device.
    let session = mfa::session_for(plan, files, env).ok().flatten();
    let (base_state, mut key_id, base_key) = match (&session, key_id) {
        (Some(session), Some(id)) => {
            peek(Some(keys::mfa_session(&id, &session.serial, session.duration_seconds, &sts_endpoint())))
        }
        (_, key_id) => (base_state, key_id, base_key),
    };
    let mut steps = vec![CachedStep { state: base_state, key: base_key, mfa_session: session.is_some() }];
    for (i, hop) in plan.hops.iter().enumerate() {
        let hop = mfa::hop_as_assumed(hop, i, session.as_ref());
        let hop = hop.as_ref();
        // Most hops of most profiles have no entry: check the cheap group first.
        let cached = cache.is_some_and(|c| c.has_group(&keys::assume_role_group(hop)));
        let key = key_id.as_deref().filter(|_| cached).map(|id| keys::assume_role(hop, id, &sts_endpoint()));
        let (state, next, key) = peek(key);
        steps.push(CachedStep { state, key, mfa_session: false });
        key_id = next;
    }
    steps
}

/// A cached entry's state now.
pub fn state_of(cached: &Credentials) -> CacheState {
    let expiration = cached.expiration.expect("cached entries have an expiration");
    if expiration > time::OffsetDateTime::now_utc() {
        CacheState::Valid(expiration)
    } else {
        CacheState::Expired(expiration)
    }
}

/// What the last step's cache state (the one `list` shows) depends on, found without the cache,
/// so that `list` can save it with the profile's row and, for most rows, skip the plan next time.
/// `S` is how the names are held (owned when worked out, borrowed when read back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe<S = String> {
    /// Always this state (`NotCached` or `Missing`): static keys and the environment are read
    /// anew each time.
    Fixed(CacheState),
    /// `Missing` unless the cache holds an entry of the group with this `group_prefix`; then
    /// `Read`.
    Group(S),
    /// The state of the cache entry of this name (`Cache::entry_name`), `Missing` without one.
    Entry(S),
    /// Only `cache_states` can tell.
    Read,
}

/// The rules of `cache_states` for the last step, as far as they hold whatever the cache holds.
pub fn last_step_probe(plan: &Plan, files: &ConfigFiles<'_>, env: &Env) -> Probe {
    // A hop's entry is found by its group first: none of that role means none of this step.
    if let Some(hop) = plan.hops.last() {
        return Probe::Group(crate::cache::group_prefix(&keys::assume_role_group(hop)));
    }
    if mfa::session_for(plan, files, env).ok().flatten().is_some() {
        return Probe::Read;
    }
    match &plan.base.source {
        Source::StaticKeys { .. } | Source::Environment | Source::KeyStore { .. } => {
            Probe::Fixed(CacheState::NotCached)
        }
        Source::Sso { session, start_url, account_id: Some(account), role_name: Some(role), .. } => Probe::Group(
            crate::cache::group_prefix(&keys::sso_group(session.as_deref().unwrap_or(start_url), account, role)),
        ),
        Source::Sso { .. } => Probe::Fixed(CacheState::Missing),
        // Keyed by the command alone: found without a plan, which matters where every profile
        // is a `credential_process` line (as tools such as Granted write them).
        Source::Process { command, .. } => Probe::Entry(Cache::entry_name(&keys::process(command))),
        Source::Imds | Source::Ecs | Source::WebIdentity { .. } | Source::Login { .. } => Probe::Read,
    }
}

/// An error of a step that another profile defines says which one; the error itself is about the
/// profile the user asked for.
fn via(mut error: Error, step_profile: &str, plan: &Plan) -> Error {
    if step_profile != plan.profile {
        error.message = format!("source profile {}: {}", crate::error::quoted(step_profile), error.message);
    }
    error.profile(&plan.profile)
}

/// `fetch` through the shared cache under `key`, or straight, when `--no-cache` turned it off.
fn cached(
    env: &Env,
    options: FetchOptions<'_>,
    key: &str,
    fetch: impl FnOnce() -> Result<Credentials, Error>,
) -> Result<Credentials, Error> {
    cached_for(env, options, key, None, fetch)
}

/// `cached`, for credentials issued for `lifetime` (see `Policy::lifetime`).
fn cached_for(
    env: &Env,
    options: FetchOptions<'_>,
    key: &str,
    lifetime: Option<Duration>,
    fetch: impl FnOnce() -> Result<Credentials, Error>,
) -> Result<Credentials, Error> {
    if !options.use_cache {
        return fetch();
    }
    Cache::open(env)?.get_or_fetch(key, Policy { lifetime, ..options.policy() }, fetch)
}
