//! Credentials from the machine awsenv runs on: the EC2 instance metadata service (IMDSv2) and
//! the ECS / EKS Pod Identity container endpoint. Plain HTTP on a link-local or loopback address;
//! no signing.

use serde_json::Value;

use super::http::{Failure, Http, Request};
use crate::credentials::{Credentials, Secret, parse_timestamp};
use crate::error::Error;

/// IMDSv2: a session token (PUT), the instance role's name, then its credentials.
pub fn imds(http: &Http, endpoint: &str) -> Result<Credentials, Error> {
    let base = endpoint.trim_end_matches('/');
    let get = |path: &str, token: &str| -> Result<Vec<u8>, Error> {
        let request = Request {
            method: reqwest::Method::GET,
            url: super::http::join(base, path),
            headers: vec![("x-aws-ec2-metadata-token".to_owned(), token.to_owned())],
            body: Vec::new(),
        };
        http.send(&request).map(|r| r.body).map_err(|f| failure("instance metadata", base, f))
    };
    let token_request = Request {
        method: reqwest::Method::PUT,
        url: super::http::join(base, "/latest/api/token"),
        headers: vec![("x-aws-ec2-metadata-token-ttl-seconds".to_owned(), "21600".to_owned())],
        body: Vec::new(),
    };
    let token = http.send(&token_request).map_err(|f| failure("instance metadata", base, f))?.body;
    let token = String::from_utf8(token).map_err(|_| garbage("instance metadata"))?;
    let roles = String::from_utf8(get("/latest/meta-data/iam/security-credentials/", &token)?)
        .map_err(|_| garbage("instance metadata"))?;
    let Some(role) = roles.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return Err(Error::fetch(format!("the instance at {base} has no IAM role attached"))
            .hint("attach an instance profile to the instance"));
    };
    let body = get(&format!("/latest/meta-data/iam/security-credentials/{role}"), &token)?;
    parse_credentials(&body, "instance metadata")
        .map_err(|e| if e.message.contains("refused") { e.context(format!("role {role}")) } else { e })
}

/// The container endpoint: `AWS_CONTAINER_CREDENTIALS_FULL_URI` or the relative URI on
/// 169.254.170.2, with the authorization token when one is configured.
pub fn container(http: &Http, url: &str, authorization: Option<&str>) -> Result<Credentials, Error> {
    let parsed = super::http::checked_url(url).map_err(Error::fetch)?;
    if !is_allowed_container_url(&parsed) {
        return Err(Error::fetch(format!(
            "the container credentials URL {} must be https, or http to a loopback or container-agent address",
            crate::error::quoted(url)
        ))
        .hint("this is the rule every AWS SDK applies; check AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    }
    let mut headers = Vec::new();
    if let Some(token) = authorization {
        headers.push(("authorization".to_owned(), token.to_owned()));
    }
    let request = Request { method: reqwest::Method::GET, url: url.to_owned(), headers, body: Vec::new() };
    let body = http.send(&request).map_err(|f| failure("container credentials", url, f))?.body;
    parse_credentials(&body, "container credentials")
}

/// The SDKs' rule for the container endpoint, on the parsed URL: https anywhere; plain http only
/// to a loopback address, `localhost`, or the ECS / EKS Pod Identity agent addresses.
pub fn is_allowed_container_url(url: &reqwest::Url) -> bool {
    use std::net::IpAddr;
    if url.scheme() == "https" {
        return true;
    }
    let agents: [IpAddr; 3] =
        [[169, 254, 170, 2].into(), [169, 254, 170, 23].into(), [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23].into()];
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback() || agents.contains(&IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback() || agents.contains(&IpAddr::V6(ip)),
        None => false,
    }
}

/// The credentials JSON that instance metadata and the container endpoint answer with.
pub fn parse_credentials(body: &[u8], what: &str) -> Result<Credentials, Error> {
    let value: Value = serde_json::from_slice(body).map_err(|_| garbage(what))?;
    if let Some(code) = value.get("Code").and_then(Value::as_str).filter(|c| *c != "Success") {
        return Err(Error::fetch(format!("{what} refused credentials: {code}")));
    }
    let field = |name: &str| value.get(name).and_then(Value::as_str).filter(|v| !v.is_empty());
    let (Some(key), Some(secret)) = (field("AccessKeyId"), field("SecretAccessKey")) else { return Err(garbage(what)) };
    let expiration = match field("Expiration") {
        Some(text) => {
            Some(parse_timestamp(text).ok_or_else(|| garbage(what))?.replace_nanosecond(0).expect("0 ns is valid"))
        }
        None => None,
    };
    Ok(Credentials {
        access_key_id: key.to_owned(),
        secret_access_key: Secret::new(secret),
        session_token: field("Token").map(Secret::new),
        expiration,
        account_id: field("AccountId").map(str::to_owned),
    })
}

fn failure(what: &str, at: &str, f: Failure) -> Error {
    match f {
        Failure::Transport(cause) => Error::fetch(format!("{what} at {at}: {cause}")).hint(match what {
            "instance metadata" => "is this an EC2 instance? AWS_EC2_METADATA_SERVICE_ENDPOINT overrides the address",
            _ => "is this a container with a task role? check AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI",
        }),
        Failure::Status(r) => Error::fetch(format!("{what} at {at} answered HTTP {}", r.status)),
    }
}

fn garbage(what: &str) -> Error {
    Error::fetch(format!("{what} answered with a response awsenv cannot read"))
}

#[cfg(test)]
mod tests {
    use super::is_allowed_container_url;

    #[test]
    fn container_urls_follow_the_sdks_rule_on_the_parsed_host() {
        let allowed = |u: &str| is_allowed_container_url(&super::super::http::checked_url(u).unwrap());
        for ok in [
            "https://example.com/creds",
            "http://127.0.0.1:8080/x",
            "http://127.1.2.3/x",
            "http://localhost/x",
            "http://[::1]:9/x",
            "http://169.254.170.23/v1/credentials",
            "http://169.254.170.2/@evil/",
        ] {
            assert!(allowed(ok), "{ok}");
        }
        for bad in [
            "http://example.com/x",
            "http://10.0.0.1/x",
            "http://127.0.0.1.evil.com/x",
            "http://169.254.170.2.evil.example/",
        ] {
            assert!(!allowed(bad), "{bad}");
        }
        for refused in
            ["http://127.0.0.1:x@other-host/creds", "http://user@127.0.0.1/", "ftp://127.0.0.1/x", "127.0.0.1/x"]
        {
            assert!(super::super::http::checked_url(refused).is_err(), "{refused}");
        }
    }
}
