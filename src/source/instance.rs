//! `credential_source = Ec2InstanceMetadata` and `= EcsContainer`: the credentials the platform
//! hands the machine or the container. The calls run in `awsenv-fetch`; results go through the
//! shared cache like any other step.

use super::{FetchOptions, Network, cached};
use crate::aws::helper::Operation;
use crate::config::ConfigFiles;
use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::{Error, io_cause};

const IMDS_IPV4: &str = "http://169.254.169.254";
const IMDS_IPV6: &str = "http://[fd00:ec2::254]";
const ECS_HOST: &str = "http://169.254.170.2";
/// The SDKs give the metadata services one second (IMDS) or two (containers) per attempt: off
/// EC2 the link-local address does not answer at all, and a prompt must not hang on it.
const IMDS_TIMEOUT: f64 = 1.0;
const CONTAINER_TIMEOUT: f64 = 2.0;

/// `endpoint`: from `imds_endpoint`.
pub fn imds(net: &Network<'_>, endpoint: String, at: &str, options: FetchOptions<'_>) -> Result<Credentials, Error> {
    if net.env.get_nonempty("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return Err(Error::fetch(format!(
            "credential_source = Ec2InstanceMetadata ({at}) but AWS_EC2_METADATA_DISABLED is true"
        ))
        .hint("unset AWS_EC2_METADATA_DISABLED, or use another credential_source"));
    }
    let fetch = || {
        net.call(&endpoint, Some(IMDS_TIMEOUT), Operation::InstanceMetadata { endpoint: endpoint.clone() })
            .map_err(|e| e.context(format!("credential_source = Ec2InstanceMetadata ({at})")))
    };
    cached(net.env, options, &super::keys::imds(&endpoint), fetch)
}

/// The metadata service's base URL for `profile` (the one that names the source): the
/// environment, then the profile's settings, then the link-local default.
pub fn imds_endpoint(env: &Env, files: &ConfigFiles<'_>, profile: &str) -> String {
    let section = files.profile(profile);
    let setting = |key| section.as_ref().and_then(|p| p.get(key));
    let endpoint = setting("ec2_metadata_service_endpoint");
    let mode =
        env.get_nonempty("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").or(setting("ec2_metadata_service_endpoint_mode"));
    env.get_nonempty("AWS_EC2_METADATA_SERVICE_ENDPOINT")
        .or(endpoint)
        .unwrap_or(if mode.is_some_and(|m| m.eq_ignore_ascii_case("IPv6")) { IMDS_IPV6 } else { IMDS_IPV4 })
        .to_owned()
}

/// The container credentials URL, from the variables the container agent sets. The relative URI
/// is a path on the agent's fixed address, whatever it holds (`@evil/` or `.evil.example/` must
/// not change the host); the full URI is checked against the SDKs' allow-list, on the parsed URL,
/// in the one HTTP client.
pub fn container_url(env: &Env, at: &str) -> Result<String, Error> {
    Ok(
        match (
            env.get_nonempty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
            env.get_nonempty("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        ) {
            (Some(relative), _) => format!("{ECS_HOST}/{}", relative.trim_start_matches('/')),
            (None, Some(full)) => full.to_owned(),
            (None, None) => {
                return Err(Error::fetch(format!("credential_source = EcsContainer ({at}) but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set"))
                .hint("this source works inside an ECS task or an EKS pod with a role"));
            }
        },
    )
}

pub fn container(net: &Network<'_>, at: &str, options: FetchOptions<'_>) -> Result<Credentials, Error> {
    let env = net.env;
    let url = container_url(env, at)?;
    let authorization = match (
        env.get_nonempty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
        env.get_nonempty("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
    ) {
        (Some(file), _) => Some(std::fs::read_to_string(file).map_err(|e| {
            Error::fetch(format!("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {file}: {}", io_cause(&e)))
        })?),
        (None, token) => token.map(str::to_owned),
    }
    .map(|t| t.trim().to_owned());
    if authorization.as_deref().is_some_and(|t| t.contains(['\r', '\n'])) {
        return Err(Error::fetch("the container authorization token holds a line break")
            .hint("check AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)"));
    }
    let fetch = || {
        net.call(
            &url,
            Some(CONTAINER_TIMEOUT),
            Operation::ContainerCredentials { url: url.clone(), authorization: authorization.clone() },
        )
        .map_err(|e| e.context(format!("credential_source = EcsContainer ({at})")))
    };
    cached(env, options, &super::keys::container(&url), fetch)
}
