//! What identifies each cached step: everything that determines the credentials it yields. One
//! place, so that a fetch and `list` / `explain` (which look at the cache without fetching)
//! always agree on which entry belongs to which step.

use crate::cache::GROUP_END;
use crate::resolve::RoleHop;

pub fn process(command: &str) -> String {
    format!("credential_process\0{command}{GROUP_END}")
}

/// SSO role credentials: the login (session name or start URL), account, role and portal. Not
/// the token: a renewed token buys the same role.
pub fn sso(login: &str, account_id: &str, role_name: &str, portal: &str) -> String {
    format!("{}{GROUP_END}{portal}", sso_group(login, account_id, role_name))
}

/// What an SSO step is, before the portal: the part `list` can check cheaply.
pub fn sso_group(login: &str, account_id: &str, role_name: &str) -> String {
    format!("sso\0{login}\0{account_id}\0{role_name}")
}

/// An MFA session: whose long-term keys, which device, how long, where.
pub fn mfa_session(source_key_id: &str, serial: &str, duration_seconds: u32, endpoint: &str) -> String {
    format!("mfa-session\0{source_key_id}\0{serial}{GROUP_END}{duration_seconds}\0{endpoint}")
}

pub fn imds(endpoint: &str) -> String {
    format!("imds\0{endpoint}{GROUP_END}")
}

pub fn container(url: &str) -> String {
    format!("ecs\0{url}{GROUP_END}")
}

/// The configured session name only: a generated one changes every second.
pub fn web_identity(role_arn: &str, token_file: &str, session_name: Option<&str>, endpoint: &str) -> String {
    format!("{}{GROUP_END}{token_file}\0{}\0{endpoint}", web_identity_group(role_arn), session_name.unwrap_or(""))
}

/// A hop depends on whose credentials assume it: the source's access key id. The region is not
/// part of it: the same call to the same endpoint yields the same kind of credentials, whichever
/// region the profile that needs them names.
pub fn assume_role(hop: &RoleHop, source_key_id: &str, endpoint: &str) -> String {
    format!(
        "{}{GROUP_END}{source_key_id}\0{}\0{}\0{:?}\0{}\0{endpoint}",
        assume_role_group(hop),
        hop.session_name.as_deref().unwrap_or(""),
        hop.external_id.as_deref().unwrap_or(""),
        hop.duration_seconds,
        hop.mfa_serial.as_deref().unwrap_or(""),
    )
}

/// What a hop is, before whose credentials and which endpoint: the part `list` can check cheaply.
pub fn assume_role_group(hop: &RoleHop) -> String {
    format!("assume-role\0{}", hop.role_arn)
}

pub fn web_identity_group(role_arn: &str) -> String {
    format!("web-identity\0{role_arn}")
}
