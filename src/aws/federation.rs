//! The console federation endpoint: GetSigninToken turns temporary credentials into a sign-in
//! token for the AWS console.

use serde_json::{Value, json};

use super::http::{Failure, Http, Request};
use crate::credentials::Credentials;
use crate::error::Error;

pub fn signin_token(
    http: &Http,
    federation_url: &str,
    credentials: &Credentials,
    duration: Option<u32>,
) -> Result<String, Error> {
    let Some(token) = &credentials.session_token else {
        // `signin` turns long-term keys into a federated user's session before it gets here.
        return Err(Error::fetch("console sign-in needs temporary credentials (with a session token)")
            .hint("name the profile, so that awsenv can sign an IAM user in through GetFederationToken"));
    };
    let session = json!({
        "sessionId": credentials.access_key_id,
        "sessionKey": credentials.secret_access_key.expose(),
        "sessionToken": token.expose(),
    })
    .to_string();
    let mut url = format!("{federation_url}?Action=getSigninToken&Session={}", super::sts::url_encode(&session));
    if let Some(seconds) = duration {
        url.push_str(&format!("&SessionDuration={seconds}"));
    }
    let request = Request { method: reqwest::Method::GET, url, headers: Vec::new(), body: Vec::new() };
    let response = http.send(&request).map_err(|f| match f {
        Failure::Transport(cause) => Error::fetch(format!("console federation at {federation_url}: {cause}")),
        Failure::Status(r) => Error::fetch(format!("console federation at {federation_url} answered HTTP {}", r.status))
            .hint("the credentials may have expired, or --duration is not allowed for them (role-chained sessions last at most an hour)"),
    })?;
    let value: Value = serde_json::from_slice(&response.body)
        .map_err(|_| Error::fetch("the console federation endpoint answered with something that is not JSON"))?;
    value
        .get("SigninToken")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::fetch("the console federation endpoint answered without a SigninToken"))
}
