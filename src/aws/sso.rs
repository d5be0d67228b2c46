//! IAM Identity Center: the portal's GetRoleCredentials and SSO-OIDC's token and registration
//! calls. Both are plain JSON over HTTPS with no SigV4 (the portal takes the bearer token in a
//! header; OIDC authenticates the client in the body).

use serde_json::{Value, json};

use super::http::{Failure, Http, Request};
use crate::credentials::{Credentials, Secret};
use crate::error::Error;

/// `GET /federation/credentials`: role credentials for an account and role, paid for with the
/// access token of an `aws sso login`.
pub fn role_credentials(
    http: &Http,
    endpoint: &str,
    account_id: &str,
    role_name: &str,
    token: &str,
) -> Result<Credentials, Error> {
    let base = endpoint.trim_end_matches('/');
    let request = Request {
        method: reqwest::Method::GET,
        url: super::http::join(
            base,
            &format!(
                "/federation/credentials?role_name={}&account_id={}",
                super::sts::url_encode(role_name),
                super::sts::url_encode(account_id)
            ),
        ),
        headers: vec![("x-amz-sso_bearer_token".to_owned(), token.to_owned())],
        body: Vec::new(),
    };
    let body = http.send(&request).map_err(|f| failure("the SSO portal's GetRoleCredentials", base, f))?.body;
    parse_role_credentials(&body, account_id, base)
}

/// The portal's GetRoleCredentials answer (`base`: the endpoint it came from, for errors).
pub fn parse_role_credentials(body: &[u8], account_id: &str, base: &str) -> Result<Credentials, Error> {
    let value: Value = serde_json::from_slice(body).map_err(|_| garbage("the SSO portal", base))?;
    let role = value.get("roleCredentials").ok_or_else(|| garbage("the SSO portal", base))?;
    let field = |name: &str| role.get(name).and_then(Value::as_str).filter(|v| !v.is_empty());
    let (Some(key), Some(secret)) = (field("accessKeyId"), field("secretAccessKey")) else {
        return Err(garbage("the SSO portal", base));
    };
    let expiration = role
        .get("expiration")
        .and_then(crate::numbers::json_seconds)
        .and_then(crate::numbers::from_epoch_millis)
        .ok_or_else(|| garbage("the SSO portal", base))?;
    Ok(Credentials {
        access_key_id: key.to_owned(),
        secret_access_key: Secret::new(secret),
        session_token: field("sessionToken").map(Secret::new),
        expiration: Some(expiration),
        account_id: Some(account_id.to_owned()),
    })
}

/// What SSO-OIDC's CreateToken answers.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Token {
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: Option<String>,
}

/// `POST /token` with one of the grants (`body` holds clientId, clientSecret, grantType and the
/// grant's own fields).
pub fn create_token(http: &Http, endpoint: &str, body: &Value) -> Result<Token, Error> {
    let value = oidc_post(http, endpoint, "/token", body)?;
    parse_token(&value, endpoint.trim_end_matches('/'))
}

/// SSO-OIDC CreateToken's answer.
pub fn parse_token(value: &Value, base: &str) -> Result<Token, Error> {
    let access_token = value.get("accessToken").and_then(Value::as_str).filter(|t| !t.is_empty());
    let expires_in = value.get("expiresIn").and_then(crate::numbers::json_seconds);
    let (Some(access_token), Some(expires_in)) = (access_token, expires_in) else {
        return Err(garbage("SSO-OIDC", base));
    };
    Ok(Token {
        access_token: access_token.to_owned(),
        expires_in,
        refresh_token: value.get("refreshToken").and_then(Value::as_str).map(str::to_owned),
    })
}

/// CreateToken while a person is still approving: the OAuth codes that mean "ask again"
/// (authorization_pending, slow_down) and those that end the wait come back as `Err(code)`.
pub fn poll_token(http: &Http, endpoint: &str, body: &Value) -> Result<Result<Token, String>, Error> {
    let base = endpoint.trim_end_matches('/');
    match send_json(http, base, "/token", body) {
        Ok(value) => parse_token(&value?, base).map(Ok),
        Err(Failure::Status(response)) if (400..500).contains(&response.status) => match error_code(&response.body) {
            Some(code) => Ok(Err(code)),
            None => Err(failure("SSO-OIDC CreateToken", base, Failure::Status(response))),
        },
        Err(f) => Err(failure("SSO-OIDC CreateToken", base, f)),
    }
}

/// `POST path` on SSO-OIDC with a JSON body; the JSON answer.
pub fn oidc_post(http: &Http, endpoint: &str, path: &str, body: &Value) -> Result<Value, Error> {
    let base = endpoint.trim_end_matches('/');
    send_json(http, base, path, body).map_err(|f| failure(&oidc_call(path), base, f))?
}

/// POST `body` as JSON to `base` + `path`: the failure as it is, for callers that look at error
/// codes, or the answer's JSON (an error when it is none).
fn send_json(http: &Http, base: &str, path: &str, body: &Value) -> Result<Result<Value, Error>, Failure> {
    let request = Request {
        method: reqwest::Method::POST,
        url: super::http::join(base, path),
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: serde_json::to_vec(body).expect("JSON serialises"),
    };
    let response = http.send(&request)?;
    Ok(serde_json::from_slice(&response.body).map_err(|_| garbage("SSO-OIDC", base)))
}

/// `POST /logout` on the portal: ends the session the access token belongs to.
pub fn logout(http: &Http, endpoint: &str, token: &str) -> Result<(), Error> {
    let base = endpoint.trim_end_matches('/');
    let request = Request {
        method: reqwest::Method::POST,
        url: super::http::join(base, "/logout"),
        headers: vec![("x-amz-sso_bearer_token".to_owned(), token.to_owned())],
        body: Vec::new(),
    };
    http.send(&request).map(|_| ()).map_err(|f| failure("the SSO portal's Logout", base, f))
}

/// The error code of a JSON error answer (`{"error": ...}` for OIDC, `__type` or the
/// `x-amzn-errortype`-style `message` for the portal).
pub fn error_code(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let code = value.get("error").or_else(|| value.get("__type")).or_else(|| value.get("code"))?.as_str()?;
    Some(code.rsplit('#').next().unwrap_or(code).to_owned())
}

/// The SSO-OIDC operation at `path`, as errors name it.
fn oidc_call(path: &str) -> String {
    let operation = match path {
        "/token" => "CreateToken",
        "/client/register" => "RegisterClient",
        "/device_authorization" => "StartDeviceAuthorization",
        other => other,
    };
    format!("SSO-OIDC {operation}")
}

fn failure(what: &str, at: &str, f: Failure) -> Error {
    match f {
        Failure::Transport(cause) => {
            let otherwise =
                "check the network; AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC override the addresses";
            let hint = super::http::transport_hint(&cause, otherwise);
            Error::fetch(format!("{what} at {at}: {cause}")).hint(hint)
        }
        Failure::Status(response) => {
            let code = error_code(&response.body);
            let shown = code.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
            let error = Error::fetch(format!("{what} at {at} answered HTTP {}{shown}", response.status));
            match (response.status, code.as_deref()) {
                (401, _) | (_, Some("UnauthorizedException" | "InvalidGrantException" | "ExpiredTokenException")) => {
                    error.hint("the SSO login has ended; run `awsenv login` (or `aws sso login`) again")
                }
                (403, _) => error
                    .hint("this SSO user may not use that account and role; check sso_account_id and sso_role_name"),
                (429, _) => error.hint("throttled; try again in a moment"),
                _ => error,
            }
        }
    }
}

fn garbage(what: &str, at: &str) -> Error {
    Error::fetch(format!("{what} at {at} answered with something that is not what it should answer"))
        .hint("is an endpoint override pointing somewhere else?")
}

/// The body of a refresh-token grant.
pub fn refresh_grant(client_id: &str, client_secret: &str, refresh_token: &str) -> Value {
    json!({
        "clientId": client_id,
        "clientSecret": client_secret,
        "grantType": "refresh_token",
        "refreshToken": refresh_token,
    })
}
