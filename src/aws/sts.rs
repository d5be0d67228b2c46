//! STS over its query protocol: AssumeRole (SigV4-signed with the aws-sigv4 crate),
//! AssumeRoleWithWebIdentity (unsigned, the token is the credential), GetSessionToken,
//! GetFederationToken (the console's way in for IAM users) and GetCallerIdentity.

use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;

use super::http::{Failure, Http, Request, Response};
use super::xml;
use crate::credentials::{Credentials, Secret, parse_timestamp};
use crate::error::Error;

const VERSION: &str = "2011-06-15";

/// Where and as whom a call is made.
pub struct Call<'a> {
    pub http: &'a Http,
    pub endpoint: &'a str,
    pub region: &'a str,
}

pub struct AssumeRole<'a> {
    pub role_arn: &'a str,
    pub session_name: &'a str,
    pub external_id: Option<&'a str>,
    pub duration_seconds: Option<u32>,
    pub mfa: Option<(&'a str, &'a str)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

pub fn assume_role(call: &Call<'_>, source: &Credentials, role: &AssumeRole<'_>) -> Result<Credentials, Error> {
    let mut params = vec![
        ("Action", "AssumeRole".to_owned()),
        ("Version", VERSION.to_owned()),
        ("RoleArn", role.role_arn.to_owned()),
        ("RoleSessionName", role.session_name.to_owned()),
    ];
    if let Some(id) = role.external_id {
        params.push(("ExternalId", id.to_owned()));
    }
    if let Some(seconds) = role.duration_seconds {
        params.push(("DurationSeconds", seconds.to_string()));
    }
    if let Some((serial, code)) = role.mfa {
        params.push(("SerialNumber", serial.to_owned()));
        params.push(("TokenCode", code.to_owned()));
    }
    let response = post(call, &params, Some(source), "AssumeRole")?;
    parse_credentials(&response.body, "AssumeRole")
}

/// GetSessionToken for long-term keys, with an MFA code when given: an MFA session that roles
/// can then be assumed from without another code.
pub fn get_session_token(
    call: &Call<'_>,
    source: &Credentials,
    duration_seconds: Option<u32>,
    mfa: Option<(&str, &str)>,
) -> Result<Credentials, Error> {
    let mut params = vec![("Action", "GetSessionToken".to_owned()), ("Version", VERSION.to_owned())];
    if let Some(seconds) = duration_seconds {
        params.push(("DurationSeconds", seconds.to_string()));
    }
    if let Some((serial, code)) = mfa {
        params.push(("SerialNumber", serial.to_owned()));
        params.push(("TokenCode", code.to_owned()));
    }
    let response = post(call, &params, Some(source), "GetSessionToken")?;
    parse_credentials(&response.body, "GetSessionToken")
}

/// GetFederationToken with an IAM user's long-term keys: the one kind of credentials of a user
/// that the console federation endpoint accepts. Without a session policy the federated session
/// may do nothing, so it is given "everything", which STS intersects with the user's own policies.
pub fn get_federation_token(
    call: &Call<'_>,
    source: &Credentials,
    name: &str,
    duration_seconds: Option<u32>,
) -> Result<Credentials, Error> {
    let mut params = vec![
        ("Action", "GetFederationToken".to_owned()),
        ("Version", VERSION.to_owned()),
        ("Name", name.to_owned()),
        ("Policy", ALLOW_ALL.to_owned()),
    ];
    if let Some(seconds) = duration_seconds {
        params.push(("DurationSeconds", seconds.to_string()));
    }
    let action = "GetFederationToken";
    let response = send_query(call, "sts", &params, Some(source))?.map_err(|failure| match failure {
        Failure::Status(r) if xml::leaves(&r.body).as_deref().and_then(|l| xml::find(l, "Code")) == Some("AccessDenied") => {
            Error::fetch(format!(
                "STS GetFederationToken was denied (HTTP {}): the user may not call sts:GetFederationToken, or its policies deny what has no MFA (aws:MultiFactorAuthPresent), which a federation token can never carry",
                r.status
            ))
            .hint("sign in through a role that requires MFA instead (`awsenv console PROFILE --role-arn ARN`), or allow sts:GetFederationToken for this user")
        }
        failure => query_error(call, "sts", action, failure),
    })?;
    parse_credentials(&response.body, action)
}

/// The session policy of a federated console session: the user's own permissions, no fewer.
const ALLOW_ALL: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

pub fn assume_role_with_web_identity(
    call: &Call<'_>,
    role_arn: &str,
    session_name: &str,
    token: &str,
) -> Result<Credentials, Error> {
    let params = [
        ("Action", "AssumeRoleWithWebIdentity".to_owned()),
        ("Version", VERSION.to_owned()),
        ("RoleArn", role_arn.to_owned()),
        ("RoleSessionName", session_name.to_owned()),
        ("WebIdentityToken", token.to_owned()),
    ];
    let response = post(call, &params, None, "AssumeRoleWithWebIdentity")?;
    parse_credentials(&response.body, "AssumeRoleWithWebIdentity")
}

pub fn get_caller_identity(call: &Call<'_>, credentials: &Credentials) -> Result<CallerIdentity, Error> {
    let params = [("Action", "GetCallerIdentity".to_owned()), ("Version", VERSION.to_owned())];
    let response = post(call, &params, Some(credentials), "GetCallerIdentity")?;
    parse_identity(&response.body)
}

/// A GetCallerIdentity answer.
pub fn parse_identity(body: &[u8]) -> Result<CallerIdentity, Error> {
    let leaves = xml::leaves(body).ok_or_else(|| garbage("GetCallerIdentity"))?;
    let field = |name| xml::find(&leaves, name).map(str::to_owned).ok_or_else(|| garbage("GetCallerIdentity"));
    Ok(CallerIdentity { account: field("Account")?, arn: field("Arn")?, user_id: field("UserId")? })
}

fn post(
    call: &Call<'_>,
    params: &[(&str, String)],
    signer: Option<&Credentials>,
    action: &str,
) -> Result<Response, Error> {
    post_query(call, "sts", params, signer, action)
}

/// A query-protocol call (STS, IAM): the form body, signed for `service` when `signer` is given.
pub(super) fn post_query(
    call: &Call<'_>,
    service: &str,
    params: &[(&str, String)],
    signer: Option<&Credentials>,
    action: &str,
) -> Result<Response, Error> {
    send_query(call, service, params, signer)?.map_err(|failure| query_error(call, service, action, failure))
}

/// `post_query` with an HTTP failure as it came, for a caller that reads an error code itself
/// (the outer error: the request could not be signed).
fn send_query(
    call: &Call<'_>,
    service: &str,
    params: &[(&str, String)],
    signer: Option<&Credentials>,
) -> Result<Result<Response, Failure>, Error> {
    let body = form_encode(params);
    let url = super::http::join(call.endpoint, "/");
    let mut headers = vec![("content-type".to_owned(), "application/x-www-form-urlencoded; charset=utf-8".to_owned())];
    if let Some(credentials) = signer {
        headers.extend(sign_headers(&url, &headers, body.as_bytes(), credentials, call.region, service)?);
    }
    let request = Request { method: reqwest::Method::POST, url, headers, body: body.into_bytes() };
    Ok(call.http.send(&request))
}

fn query_error(call: &Call<'_>, service: &str, action: &str, failure: Failure) -> Error {
    let label = service.to_ascii_uppercase();
    match failure {
        Failure::Transport(cause) => {
            let otherwise = format!(
                "check the network, or the {label} endpoint (AWS_ENDPOINT_URL_{label}, endpoint_url, [services])"
            );
            let hint = super::http::transport_hint(&cause, &otherwise);
            Error::fetch(format!("{label} {action} at {}: {cause}", call.endpoint)).hint(hint)
        }
        Failure::Status(response) => parse_error(&format!("{label} {action}"), response.status, &response.body),
    }
}

/// The SigV4 headers for a request, computed by the aws-sigv4 crate.
fn sign_headers(
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    credentials: &Credentials,
    region: &str,
    service: &str,
) -> Result<Vec<(String, String)>, Error> {
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id.clone(),
        credentials.secret_access_key.expose().to_owned(),
        credentials.session_token.as_ref().map(|t| t.expose().to_owned()),
        None,
        "awsenv",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| Error::fetch(format!("cannot sign the STS request: {e}")))?
        .into();
    let signable = SignableRequest::new(
        "POST",
        url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .map_err(|e| {
        Error::fetch(format!("cannot sign the STS request for {url}: {e}")).hint("check the STS endpoint URL")
    })?;
    let (instructions, _signature) =
        sign(signable, &params).map_err(|e| Error::fetch(format!("cannot sign the STS request: {e}")))?.into_parts();
    Ok(instructions.headers().map(|(k, v)| (k.to_owned(), v.to_owned())).collect())
}

/// STS's clock, from the `Date` header of an unsigned request: any answer carries one, so no
/// credentials are needed.
pub fn server_date(http: &Http, endpoint: &str) -> Result<String, Error> {
    let request =
        Request { method: reqwest::Method::GET, url: endpoint.to_owned(), headers: Vec::new(), body: Vec::new() };
    let response = match http.send(&request) {
        Ok(response) | Err(Failure::Status(response)) => response,
        Err(Failure::Transport(cause)) => {
            return Err(
                Error::fetch(format!("STS at {endpoint}: {cause}")).hint("check the network, or run without --online")
            );
        }
    };
    response.date.ok_or_else(|| Error::fetch(format!("STS at {endpoint} answered without a Date header")))
}

/// `Code: Message` from a query-protocol error response (`action` names the service too), or the
/// status when the body is not one.
pub fn parse_error(action: &str, status: u16, body: &[u8]) -> Error {
    let leaves = xml::leaves(body);
    let code = leaves.as_deref().and_then(|l| xml::find(l, "Code"));
    let message = leaves.as_deref().and_then(|l| xml::find(l, "Message"));
    let text = match (code, message) {
        (Some(code), Some(message)) => format!("{action} failed: {code}: {message} (HTTP {status})"),
        (Some(code), None) => format!("{action} failed: {code} (HTTP {status})"),
        _ => format!("{action} failed with HTTP {status} and no AWS error in the response"),
    };
    let hint = match code {
        Some("AccessDenied") => {
            "check the role's trust policy allows the source identity (and the MFA device / external id)"
        }
        Some("ExpiredToken" | "InvalidClientTokenId" | "SignatureDoesNotMatch") => {
            "the source credentials are not valid any more; refresh them"
        }
        Some("ValidationError") => "check role_arn, role_session_name, duration_seconds and external_id",
        Some(c) if c.starts_with("Throttl") => "STS is throttling; wait a moment and try again",
        _ if status >= 500 => "STS is failing; try again shortly",
        _ => "`awsenv explain` shows what was sent",
    };
    Error::fetch(text).hint(hint)
}

fn garbage(action: &str) -> Error {
    Error::fetch(format!("STS {action} answered with a response awsenv cannot read"))
        .hint("check that the STS endpoint is really STS")
}

/// The credentials in an AssumeRole(WithWebIdentity) or GetSessionToken answer.
pub fn parse_credentials(body: &[u8], action: &str) -> Result<Credentials, Error> {
    let leaves = xml::leaves(body).ok_or_else(|| garbage(action))?;
    let field = |name| xml::find(&leaves, name).filter(|v| !v.is_empty()).ok_or_else(|| garbage(action));
    let expiration = parse_timestamp(field("Expiration")?).ok_or_else(|| garbage(action))?;
    // arn:aws:sts::123456789012:assumed-role/NAME/SESSION
    let account_id =
        xml::find(&leaves, "Arn").and_then(|arn| arn.split(':').nth(4)).filter(|a| !a.is_empty()).map(str::to_owned);
    Ok(Credentials {
        access_key_id: field("AccessKeyId")?.to_owned(),
        secret_access_key: Secret::new(field("SecretAccessKey")?),
        session_token: Some(Secret::new(field("SessionToken")?)),
        expiration: Some(expiration.replace_nanosecond(0).expect("0 ns is valid")),
        account_id,
    })
}

/// `application/x-www-form-urlencoded`, with every byte outside the unreserved set escaped.
fn form_encode(params: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (key, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        escape_into(&mut out, key);
        out.push('=');
        escape_into(&mut out, value);
    }
    out
}

/// Percent-encode every byte outside the unreserved set.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_matches_the_sdks() {
        let body = form_encode(&[
            ("Action", "AssumeRole".into()),
            ("RoleArn", "arn:aws:iam::123456789:role/integration-test".into()),
        ]);
        assert_eq!(body, "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789%3Arole%2Fintegration-test");
    }

    #[test]
    fn credentials_and_errors_parse() {
        let ok = br#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><AssumedRoleUser><AssumedRoleId>AROAR42TAWARILN3MNKUT:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>ASIARTESTID</AccessKeyId><SecretAccessKey>TESTSECRETKEY</SecretAccessKey><SessionToken>TESTSESSIONTOKEN</SessionToken><Expiration>2021-08-05T19:58:02Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"#;
        let c = parse_credentials(ok, "AssumeRole").unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.account_id.as_deref(), c.expiration.unwrap().unix_timestamp()),
            ("ASIARTESTID", Some("123456789012"), 1628193482)
        );
        let err = br#"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>"#;
        let e = parse_error("STS AssumeRole", 403, err).to_string();
        assert!(e.contains("AccessDenied: not allowed (HTTP 403)") && e.contains("trust policy"), "{e}");
        assert!(parse_credentials(b"<html>oops</html>", "AssumeRole").is_err());
        assert!(parse_credentials(b"{]", "AssumeRole").is_err());
    }
}
