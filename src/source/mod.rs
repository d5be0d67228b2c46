//! One file per credential source. `fetch` walks a Plan: the base source, then each role hop.

mod environment;
mod process;
mod static_keys;

use std::time::Duration;

use crate::cache::{Cache, Policy};
use crate::config::{self, ConfigFiles};
use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::Error;
use crate::resolve::{Plan, Source};

pub use process::{ProcessOutputError, parse_process_output};

#[derive(Debug, Clone, Copy)]
pub struct FetchOptions {
    /// Read and write the shared cache (`--no-cache` turns it off).
    pub use_cache: bool,
    /// Fetch even when the cache holds valid credentials (`--refresh`).
    pub refresh: bool,
    /// Called from the prompt hook: never wait long on a lock, never prompt.
    pub hook: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            use_cache: true,
            refresh: false,
            hook: false,
        }
    }
}

impl FetchOptions {
    pub fn policy(&self) -> Policy {
        Policy {
            margin: Duration::from_secs(5 * 60),
            lock_wait: if self.hook {
                Duration::from_millis(200)
            } else {
                Duration::from_secs(120)
            },
            refresh: self.refresh,
        }
    }
}

pub fn fetch(
    plan: &Plan,
    files: &ConfigFiles<'_>,
    env: &Env,
    options: FetchOptions,
) -> Result<Credentials, Error> {
    let cite = |at| config::cite(files, at, env);
    let base = &plan.base;
    let credentials = match &base.source {
        Source::StaticKeys { .. } => static_keys::fetch(&base.source),
        Source::Environment => environment::fetch(env, &cite(base.at)),
        Source::Process {
            command,
            account_id,
        } => process::fetch(command, account_id.as_deref(), &cite(base.at), env, options),
        other => Err(not_yet(other.kind(), &cite(base.at))),
    }
    .map_err(|e| via(e, &base.profile, plan))?;
    if let Some(hop) = plan.hops.first() {
        return Err(via(not_yet("role", &cite(hop.at)), &hop.profile, plan));
    }
    Ok(credentials)
}

/// An error of a step that another profile defines says which one; the error itself is about the
/// profile the user asked for.
fn via(mut error: Error, step_profile: &str, plan: &Plan) -> Error {
    if step_profile != plan.profile {
        error.message = format!(
            "source profile {}: {}",
            crate::error::quoted(step_profile),
            error.message
        );
    }
    error.profile(&plan.profile)
}

/// Sources whose planning is done but whose network fetch is not built yet say so plainly.
fn not_yet(kind: &str, at: &str) -> Error {
    let what = match kind {
        "role" => "assuming a role (STS AssumeRole)",
        "imds" => "EC2 instance metadata credentials",
        "ecs" => "ECS container credentials",
        "web-identity" => "web identity (STS AssumeRoleWithWebIdentity)",
        "sso" => "IAM Identity Center (SSO) credentials",
        "login" => "`aws login` console credentials",
        _ => "this credential source",
    };
    Error::fetch(format!("{what} ({at}) cannot be fetched by this version of awsenv"))
        .hint("`awsenv explain` shows the plan; use the AWS CLI for this profile until awsenv supports it")
}

/// The shared cache for these options, or `None` when it is off.
fn cache_for(env: &Env, options: FetchOptions) -> Result<Option<Cache>, Error> {
    if !options.use_cache {
        return Ok(None);
    }
    Cache::open(env).map(Some)
}
