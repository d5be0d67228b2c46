//! The IAM Identity Center portal's listing, for `sso sync` and `sso add`: ListAccounts, then
//! ListAccountRoles for every account, a few at a time. Each page follows `nextToken`; throttling
//! is waited out with growing pauses; a refused token ends the listing at once.
//!
//! The portal is whatever `AWS_ENDPOINT_URL_SSO` or a trusted proxy says it is, so its answers
//! are checked here, where they come in: an account id is 12 digits and a role name is what IAM
//! allows, or the account or role is reported as skipped and never reaches a file; and the
//! whole listing, not only each page, is bounded (accounts, roles, bytes, and a `nextToken`
//! seen before ends it).

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::{Failure, Http, Request};
use crate::error::Error;

/// Accounts and roles asked for per page (the portal's own maximum is 100).
const PAGE: usize = 100;
/// Throttled requests are tried this many times in all, the pauses doubling from half a second.
const THROTTLED_TRIES: u32 = 8;
/// The whole listing's bounds. The largest organisations have some thousands of accounts with
/// a few roles each; past these it is a portal bug, or not a portal, and awsenv stops reading.
const MAX_ACCOUNTS: usize = 50_000;
const MAX_ROLES: usize = 250_000;
const MAX_BYTES: usize = 64 * 1024 * 1024;

/// What IAM allows in an account id: twelve ASCII digits.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// What IAM allows in a role name: 1 to 64 of `A-Z a-z 0-9 _ + = , . @ -`.
pub fn is_role_name(text: &str) -> bool {
    (1..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub roles: Vec<String>,
}

/// One account's roles, or why they could not be listed.
type RolesOf = Result<Vec<String>, Error>;

/// An account or role the portal listed that no profile can be made of: what it was (as it can
/// be shown) and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Skipped {
    pub account: String,
    pub role: Option<String>,
    pub why: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Listing {
    pub accounts: Vec<Account>,
    /// Requests made, retries of throttled ones included.
    pub calls: usize,
    /// What was listed but cannot be written, in listing order.
    #[serde(default)]
    pub skipped: Vec<Skipped>,
}

/// A listed value as a report keeps it: not longer than a line needs (whoever prints it makes
/// it printable, as everything printed is).
fn shown(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// What the whole listing has read so far, against its bounds.
struct Totals {
    bytes: AtomicUsize,
    roles: AtomicUsize,
}

impl Totals {
    fn add_page(&self, base: &str, bytes: usize) -> Result<(), Error> {
        if self.bytes.fetch_add(bytes, Ordering::SeqCst).saturating_add(bytes) > MAX_BYTES {
            return Err(too_large(base, format!("more than {} MiB", MAX_BYTES / (1024 * 1024))));
        }
        Ok(())
    }
}

fn too_large(base: &str, what: String) -> Error {
    Error::fetch(format!("the SSO portal at {base} listed {what}; awsenv stopped reading"))
        .hint("is AWS_ENDPOINT_URL_SSO pointing somewhere else? A real portal lists far less")
}

/// Every account and role the token's user is assigned. `http` makes a client per worker
/// (each worker owns its connection); `workers` bounds how many requests run at once.
pub fn list(
    http: &(dyn Fn() -> Result<Http, Error> + Sync),
    endpoint: &str,
    token: &str,
    workers: usize,
) -> Result<Listing, Error> {
    let base = endpoint.trim_end_matches('/');
    let calls = AtomicUsize::new(0);
    let totals = Totals { bytes: AtomicUsize::new(0), roles: AtomicUsize::new(0) };
    let client = http()?;
    let mut accounts: Vec<Account> = Vec::new();
    let mut skipped: Vec<Skipped> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for page in pages(&client, base, token, "/assignment/accounts?", "accountList", &calls, &totals)? {
        let text = |name: &str| page.get(name).and_then(Value::as_str).map(str::to_owned);
        let Some(id) = text("accountId").filter(|id| !id.is_empty()) else {
            return Err(garbage(base));
        };
        if !is_account_id(&id) {
            skipped.push(Skipped { account: shown(&id), role: None, why: "not a 12-digit account id".into() });
            continue;
        }
        if seen.insert(id.clone()) {
            if accounts.len() == MAX_ACCOUNTS {
                return Err(too_large(base, format!("more than {MAX_ACCOUNTS} accounts")));
            }
            // Shown in a column and a picker, and written as a value: printable text only.
            let name = text("accountName").map_or_else(|| id.clone(), |n| crate::text::printable(&n).into_owned());
            accounts.push(Account { id, name, email: text("emailAddress"), roles: Vec::new() });
        }
    }
    if accounts.is_empty() {
        return Ok(Listing { accounts, calls: calls.into_inner(), skipped });
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<RolesOf>>> = Mutex::new((0..accounts.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, 32).min(accounts.len()) {
            scope.spawn(|| {
                let client = match http() {
                    Ok(client) => client,
                    Err(e) => {
                        results.lock().unwrap_or_else(|p| p.into_inner())[0] = Some(Err(e));
                        return;
                    }
                };
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(account) = accounts.get(i) else { return };
                    let query = format!("/assignment/roles?account_id={}&", super::sts::url_encode(&account.id));
                    let roles = pages(&client, base, token, &query, "roleList", &calls, &totals).and_then(|list| {
                        if totals.roles.fetch_add(list.len(), Ordering::SeqCst).saturating_add(list.len()) > MAX_ROLES {
                            return Err(too_large(base, format!("more than {MAX_ROLES} roles")));
                        }
                        list.iter()
                            .map(|r| {
                                r.get("roleName")
                                    .and_then(Value::as_str)
                                    .map(str::to_owned)
                                    .ok_or_else(|| garbage(base))
                            })
                            .collect::<Result<Vec<_>, _>>()
                    });
                    let failed = roles.is_err();
                    results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(roles);
                    if failed {
                        // The listing fails as a whole: no point in asking further.
                        next.store(usize::MAX / 2, Ordering::SeqCst);
                        return;
                    }
                }
            });
        }
    });
    for (account, roles) in accounts.iter_mut().zip(results.into_inner().unwrap_or_else(|p| p.into_inner())) {
        match roles {
            Some(Ok(mut roles)) => {
                roles.sort();
                roles.dedup();
                roles.retain(|role| {
                    let fits = is_role_name(role);
                    if !fits {
                        skipped.push(Skipped {
                            account: account.id.clone(),
                            role: Some(shown(role)),
                            why: "not a role name IAM allows".into(),
                        });
                    }
                    fits
                });
                account.roles = roles;
            }
            Some(Err(e)) => return Err(e),
            None => return Err(Error::fetch(format!("the SSO portal at {base}: the listing stopped early"))),
        }
    }
    Ok(Listing { accounts, calls: calls.into_inner(), skipped })
}

/// Every item of `field` over all pages of `path_and_query` (which ends in `?` or `&`).
fn pages(
    http: &Http,
    base: &str,
    token: &str,
    path_and_query: &str,
    field: &str,
    calls: &AtomicUsize,
    totals: &Totals,
) -> Result<Vec<Value>, Error> {
    let mut items = Vec::new();
    let mut next_token: Option<String> = None;
    // A token seen before would page in a circle; the bytes bound ends a portal that invents
    // new ones for ever.
    let mut seen_tokens: HashSet<String> = HashSet::new();
    loop {
        let mut query = format!("{path_and_query}max_result={PAGE}");
        if let Some(t) = &next_token {
            query.push_str(&format!("&next_token={}", super::sts::url_encode(t)));
        }
        let body = get(http, base, &query, token, calls)?;
        totals.add_page(base, body.len())?;
        let mut value: Value = serde_json::from_slice(&body).map_err(|_| garbage(base))?;
        drop(body);
        let Some(Value::Array(list)) = value.get_mut(field).map(Value::take) else { return Err(garbage(base)) };
        items.extend(list);
        match value.get("nextToken").and_then(Value::as_str).filter(|t| !t.is_empty()) {
            Some(t) if !seen_tokens.insert(t.to_owned()) => {
                return Err(Error::fetch(format!(
                    "the SSO portal at {base} repeated a nextToken: its listing goes in a circle"
                ))
                .hint("is AWS_ENDPOINT_URL_SSO pointing somewhere else?"));
            }
            Some(t) => next_token = Some(t.to_owned()),
            None => return Ok(items),
        }
    }
}

/// One GET with the bearer token; throttling (429, `TooManyRequestsException`) waits and tries
/// again beyond the client's own retries, since a big organisation's listing meets it for sure.
fn get(http: &Http, base: &str, path_and_query: &str, token: &str, calls: &AtomicUsize) -> Result<Vec<u8>, Error> {
    let request = Request {
        method: reqwest::Method::GET,
        url: super::http::join(base, path_and_query),
        headers: vec![("x-amz-sso_bearer_token".to_owned(), token.to_owned())],
        body: Vec::new(),
    };
    let what = if path_and_query.starts_with("/assignment/roles") { "ListAccountRoles" } else { "ListAccounts" };
    let mut pause = Duration::from_millis(500);
    for attempt in 1..=THROTTLED_TRIES {
        calls.fetch_add(1, Ordering::SeqCst);
        match http.send(&request) {
            Ok(response) => return Ok(response.body),
            Err(Failure::Status(r))
                if attempt < THROTTLED_TRIES
                    && (r.status == 429
                        || super::sso::error_code(&r.body).as_deref() == Some("TooManyRequestsException")) =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_secs(8));
            }
            Err(Failure::Status(r)) if r.status == 401 => {
                return Err(Error::fetch(format!("the SSO portal's {what} at {base} refused the token (HTTP 401)"))
                    .hint("the SSO login has ended or was revoked; run `awsenv login` again"));
            }
            Err(Failure::Status(r)) => {
                let code = super::sso::error_code(&r.body).map(|c| format!(" {c}")).unwrap_or_default();
                return Err(Error::fetch(format!(
                    "the SSO portal's {what} at {base} answered HTTP {}{code}",
                    r.status
                )));
            }
            Err(Failure::Transport(cause)) => {
                let hint = super::http::transport_hint(
                    &cause,
                    "check the network; AWS_ENDPOINT_URL_SSO overrides the address",
                );
                return Err(Error::fetch(format!("the SSO portal's {what} at {base}: {cause}")).hint(hint));
            }
        }
    }
    Err(Error::fetch(format!("the SSO portal's {what} at {base} kept throttling")).hint("try again in a minute"))
}

fn garbage(base: &str) -> Error {
    Error::fetch(format!("the SSO portal at {base} answered a listing with something awsenv cannot read"))
        .hint("is AWS_ENDPOINT_URL_SSO pointing somewhere else?")
}
