//! How one resolution may behave (the cache, `--refresh`, the hook's budget, an MFA code given
//! on the command line): a value the sources and the SSO token cache below them both read.

use std::time::Duration;

use crate::cache::Policy;

#[derive(Debug, Clone, Copy)]
pub struct FetchOptions<'a> {
    /// Read and write the shared cache (`--no-cache` turns it off).
    pub use_cache: bool,
    /// Fetch even when the cache holds valid credentials (`--refresh`).
    pub refresh: bool,
    /// Called from the prompt hook: never wait long on a lock, never prompt.
    pub hook: bool,
    /// The MFA code given on the command line (`--mfa-code`).
    pub mfa_code: Option<&'a str>,
    /// Renew cached credentials that expire within this (the background refresher looks further
    /// ahead than the usual five minutes).
    pub ahead: Option<Duration>,
    /// When everything this resolution does (processes, calls, retries) must be over: the prompt
    /// hook's small budget. `None`: each step has only its own limits.
    pub deadline: Option<std::time::Instant>,
    /// The profile the person asked for (whose hint a step's error gives), when known.
    pub selected: Option<&'a str>,
}

impl Default for FetchOptions<'_> {
    fn default() -> Self {
        FetchOptions {
            use_cache: true,
            refresh: false,
            hook: false,
            mfa_code: None,
            ahead: None,
            deadline: None,
            selected: None,
        }
    }
}

impl FetchOptions<'_> {
    pub fn policy(&self) -> Policy {
        Policy {
            lifetime: None,
            margin: self.ahead.unwrap_or(Duration::from_secs(5 * 60)),
            // The prompt (which has a deadline) keeps its credentials rather than wait; the
            // background refresher and the credential endpoint wait for the renewal under way.
            lock_wait: if self.deadline.is_some() { Duration::from_millis(200) } else { Duration::from_secs(120) },
            refresh: self.refresh,
        }
    }
}
