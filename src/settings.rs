//! Profile settings that have an environment twin. This table is the one place that says which
//! setting becomes which variable; `use` exports, `unset` removes and `explain` shows from it.

/// (profile key, the variables it sets), in the order `use` prints them.
pub const ENV_TWINS: &[(&str, &[&str])] = &[
    ("region", &["AWS_REGION", "AWS_DEFAULT_REGION"]),
    ("endpoint_url", &["AWS_ENDPOINT_URL"]),
    ("ignore_configured_endpoint_urls", &["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]),
    ("ca_bundle", &["AWS_CA_BUNDLE"]),
    ("output", &["AWS_DEFAULT_OUTPUT"]),
    ("retry_mode", &["AWS_RETRY_MODE"]),
    ("max_attempts", &["AWS_MAX_ATTEMPTS"]),
    ("defaults_mode", &["AWS_DEFAULTS_MODE"]),
    ("use_fips_endpoint", &["AWS_USE_FIPS_ENDPOINT"]),
    ("use_dualstack_endpoint", &["AWS_USE_DUALSTACK_ENDPOINT"]),
    ("sts_regional_endpoints", &["AWS_STS_REGIONAL_ENDPOINTS"]),
    ("sdk_ua_app_id", &["AWS_SDK_UA_APP_ID"]),
    ("account_id_endpoint_mode", &["AWS_ACCOUNT_ID_ENDPOINT_MODE"]),
    ("disable_request_compression", &["AWS_DISABLE_REQUEST_COMPRESSION"]),
    ("request_min_compression_size_bytes", &["AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"]),
];

/// The variables that carry credentials, in the order `use` prints them.
pub const CREDENTIAL_VARS: &[&str] =
    &["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_ACCOUNT_ID"];

/// What a process that asks `awsenv serve` for its credentials gets instead of keys.
pub const ENDPOINT_VARS: &[&str] =
    &["AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_SHARED_CREDENTIALS_FILE"];
/// Sources every SDK tries before the endpoint: kept out of such a process (and given back by
/// `unset`).
pub const BEFORE_THE_ENDPOINT: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];
/// The pid of the `serve --detach` this shell started, for `serve --stop`.
/// The profile keys awsenv reads (every SDK ignores them): what `lint` knows, so that it can
/// name a misspelt one.
pub const AWSENV_PROFILE_KEYS: &[&str] = &[
    "awsenv_env",
    "awsenv_account_name",
    "awsenv_mfa_session",
    "awsenv_mfa_session_duration",
    BROWSER_KEY,
    BROWSER_PROFILE_KEY,
    CONTAINER_KEY,
];
/// A profile's own choice of browser, browser profile and Firefox container for `console`.
pub const BROWSER_KEY: &str = "awsenv_browser";
pub const BROWSER_PROFILE_KEY: &str = "awsenv_browser_profile";
pub const CONTAINER_KEY: &str = "awsenv_container";

pub const AWSENV_SERVER: &str = "AWSENV_SERVER";

/// The profile the shell acted as before the current one, for `awsenv use -`.
pub const AWSENV_PREVIOUS: &str = "AWSENV_PREVIOUS";
/// What the prompt shows for the profile when it is not its bare name: `prod → Admin` for ad
/// hoc roles on top of it (the shells' prompt code reads it without starting a process).
pub const AWSENV_SHOWN: &str = "AWSENV_SHOWN";
/// Epoch seconds at which the credentials expire: the hook compares it with the shell's clock.
pub const AWSENV_EXPIRES_AT: &str = "AWSENV_EXPIRES_AT";
// Which of the shell's variables awsenv manages, and where the user's own values wait: the
// environment's own business (`env`), named here too for the tables' readers.
pub use crate::env::{AWSENV_PROFILE, AWSENV_VARS, USER_PREFIX, managed_by_awsenv, saved_name};

/// `AWS_ENDPOINT_URL_<SERVICE>` for a key of a `[services]` section, as the SDKs derive it:
/// upper-case, with `-` and spaces as `_`. `None` when the key cannot make a variable name.
pub fn service_endpoint_var(service_key: &str) -> Option<String> {
    let suffix: String =
        service_key.chars().map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_uppercase() }).collect();
    let name = format!("AWS_ENDPOINT_URL_{suffix}");
    is_variable_name(&name).then_some(name)
}

/// A name every supported shell accepts bare: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_variable_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Every variable `use` may set besides the per-service endpoints.
pub fn all_fixed_vars() -> impl Iterator<Item = &'static str> {
    CREDENTIAL_VARS
        .iter()
        .copied()
        .chain(ENV_TWINS.iter().flat_map(|(_, vars)| vars.iter().copied()))
        .chain(ENDPOINT_VARS.iter().copied())
        .chain(BEFORE_THE_ENDPOINT.iter().copied())
        .chain(["AWS_PROFILE", "AWS_CONFIG_FILE", AWSENV_PROFILE, AWSENV_EXPIRES_AT, AWSENV_VARS])
}

/// A profile's settings as a plan carries them: a value several layers read (the network half
/// for its CA bundle and endpoints, `use` for its exports, `explain`), decided once by `resolve`.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// (profile key, value, where), in `ENV_TWINS` order.
    pub values: Vec<(&'static str, String, Option<crate::config::Origin>)>,
    /// `[services NAME]` endpoints: (service key, url, where).
    pub service_endpoints: Vec<ServiceEndpoint>,
    /// The profile's own variables (`awsenv_env`), exported with everything else.
    pub profile_env: Vec<ProfileVar>,
}

/// One variable of a profile's `awsenv_env` block (`resolve::profile_env` reads and checks it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileVar {
    pub name: String,
    pub value: String,
    /// The `awsenv_env =` line of the block.
    pub at: crate::config::Origin,
    /// Which line of the block (0 for the first under `awsenv_env =`), for a precise citation
    /// where the file's text is at hand (`profile_env::line_in_file`).
    pub index: usize,
}

#[derive(Debug, Clone)]
pub struct ServiceEndpoint {
    pub service: String,
    pub url: String,
    pub at: crate::config::Origin,
    /// `None` when the service key cannot become a variable name; then it is not exported.
    pub variable: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_keys_become_variable_names_as_the_sdks_derive_them() {
        assert_eq!(service_endpoint_var("ec2").as_deref(), Some("AWS_ENDPOINT_URL_EC2"));
        assert_eq!(service_endpoint_var("elastic-beanstalk").as_deref(), Some("AWS_ENDPOINT_URL_ELASTIC_BEANSTALK"));
        assert_eq!(service_endpoint_var("s3+x"), None);
    }

    #[test]
    fn every_table_variable_is_a_valid_name() {
        assert!(all_fixed_vars().all(is_variable_name));
    }
}
