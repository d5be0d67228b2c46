//! `login_session` profiles: the console credentials `aws login` keeps in
//! `~/.aws/login/cache/<sha256 of the session>.json` (or `$AWS_LOGIN_CACHE_DIRECTORY`). They last
//! at most 15 minutes; near expiry they are renewed at AWS Sign-In with the cached refresh token
//! and a DPoP proof, and the file is rewritten as botocore rewrites it, under a lock of ours so
//! that one process renews while the others wait and read the result.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::FetchOptions;
use crate::aws::helper::{Answer, Operation, Request, Target};
use crate::cache::Cache;
use crate::credentials::{Credentials, Secret, parse_timestamp};
use crate::env::Env;
use crate::error::{Error, io_cause, quoted};
use crate::resolve::Settings;

/// botocore renews when this little is left.
const REFRESH_BEFORE: Duration = Duration::from_secs(5 * 60);

pub fn cache_path(env: &Env, session: &str) -> Option<PathBuf> {
    use crate::config::locate::{Platform, expand_home, home_dir};
    let home = home_dir(env, Platform::CURRENT);
    let dir = match env.get_nonempty("AWS_LOGIN_CACHE_DIRECTORY") {
        Some(dir) => PathBuf::from(expand_home(dir, home.as_deref(), Platform::CURRENT)),
        None => Path::new(&home?).join(".aws").join("login").join("cache"),
    };
    let name = crate::encoding::hex(&Sha256::digest(session.trim().as_bytes()));
    Some(dir.join(format!("{name}.json")))
}

fn read(path: &Path) -> Result<Option<Map<String, Value>>, String> {
    crate::private_files::read_json_object(path, "an `aws login` cache file")
}

fn text<'m>(members: &'m Map<String, Value>, name: &str) -> Option<&'m str> {
    members.get(name).and_then(Value::as_str).filter(|v| !v.is_empty())
}

/// The credentials in a cache file, and when they expire.
fn credentials(members: &Map<String, Value>) -> Option<Credentials> {
    let token = members.get("accessToken")?;
    let field = |name: &str| token.get(name).and_then(Value::as_str).filter(|v| !v.is_empty());
    Some(Credentials {
        access_key_id: field("accessKeyId")?.to_owned(),
        secret_access_key: Secret::new(field("secretAccessKey")?),
        session_token: field("sessionToken").map(Secret::new),
        expiration: Some(parse_timestamp(field("expiresAt")?)?),
        account_id: field("accountId").map(str::to_owned),
    })
}

/// The expiry of the credentials in the cache file, for `list` and `explain`.
pub fn expiration(env: &Env, session: &str) -> Option<OffsetDateTime> {
    let members = read(&cache_path(env, session)?).ok()??;
    credentials(&members)?.expiration
}

pub fn fetch(
    session: &str,
    profile: &str,
    settings: &Settings,
    env: &Env,
    region: &str,
    at: &str,
    options: FetchOptions<'_>,
) -> Result<Credentials, Error> {
    let path = cache_path(env, session)
        .ok_or_else(|| Error::fetch("cannot find the `aws login` cache: HOME is not set").hint("set HOME"))?;
    let shown = crate::config::display_path(&path, env);
    let relogin = format!("run `aws login --profile {profile}`");
    let load = || -> Result<Map<String, Value>, Error> {
        match read(&path) {
            Ok(Some(members)) => Ok(members),
            Ok(None) => {
                Err(Error::fetch(format!("no `aws login` session {} ({at}): {shown} does not exist", quoted(session)))
                    .hint(relogin.clone()))
            }
            Err(cause) => {
                Err(Error::fetch(format!("the `aws login` cache {shown} cannot be used: {cause}"))
                    .hint(relogin.clone()))
            }
        }
    };
    let due = |c: &Credentials| {
        let margin = options.ahead.unwrap_or(REFRESH_BEFORE).max(REFRESH_BEFORE);
        options.refresh || c.expiration.is_none_or(|t| t - OffsetDateTime::now_utc() <= margin)
    };
    let members = load()?;
    let current = credentials(&members).ok_or_else(|| {
        Error::fetch(format!("the `aws login` cache {shown} has no usable accessToken")).hint(relogin.clone())
    })?;
    if !due(&current) {
        return Ok(current);
    }
    // One renewal among all the processes that want one: the others wait here, then find the
    // renewed file.
    let stem = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let lock = Cache::open(env)?.lock(&format!("login-{stem}"), options.policy().lock_wait)?;
    let mut members = load()?;
    if let Some(current) = credentials(&members).filter(|c| !due(c) && !options.refresh) {
        return Ok(current);
    }
    let missing: Vec<&str> =
        ["refreshToken", "clientId", "dpopKey"].into_iter().filter(|k| text(&members, k).is_none()).collect();
    if !missing.is_empty() {
        return Err(Error::fetch(format!(
            "the `aws login` credentials in {shown} expire and cannot be renewed: the cache has no {}",
            missing.join(", ")
        ))
        .hint(relogin));
    }
    let endpoint = crate::aws::endpoint::configured(env, settings, "signin")
        .unwrap_or_else(|| format!("https://{region}.signin.aws.amazon.com"));
    let answer = crate::aws::helper::call(&Request {
        target: Target::new(endpoint, region, settings, env, options.hook).within(options.deadline),
        operation: Operation::SigninRefresh {
            client_id: text(&members, "clientId").expect("checked").to_owned(),
            refresh_token: text(&members, "refreshToken").expect("checked").to_owned(),
            dpop_key: text(&members, "dpopKey").expect("checked").to_owned(),
        },
    })
    .map_err(|e| e.context(format!("login_session ({at})")).hint(relogin.clone()))?;
    let Answer::Json(output) = answer else {
        return Err(Error::fetch("awsenv-fetch answered a login renewal with something else"));
    };
    let now = OffsetDateTime::now_utc();
    let expires = crate::numbers::expires_after(now, crate::numbers::json_seconds(&output["expiresIn"]).unwrap_or(0));
    let account = members.get("accessToken").and_then(|t| t.get("accountId")).cloned().unwrap_or(Value::Null);
    let keys = &output["accessToken"];
    members.insert(
        "accessToken".into(),
        serde_json::json!({
            "accessKeyId": keys["accessKeyId"],
            "secretAccessKey": keys["secretAccessKey"],
            "sessionToken": keys["sessionToken"],
            "accountId": account,
            "expiresAt": crate::sso::token::cli_timestamp(expires),
        }),
    );
    if let Some(refresh) = output.get("refreshToken").filter(|v| v.is_string()) {
        members.insert("refreshToken".into(), refresh.clone());
    }
    crate::private_files::write_json_object(&path, &members)
        .map_err(|e| Error::fetch(format!("cannot write the renewed login to {shown}: {}", io_cause(&e))))?;
    drop(lock);
    credentials(&members).ok_or_else(|| Error::fetch("AWS Sign-In answered without credentials"))
}
