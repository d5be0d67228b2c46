//! Which credentials sign in to the AWS console, for every kind of profile.
//!
//! The console's federation endpoint takes two kinds of credentials only: a role's session
//! (AssumeRole*, an SSO role, an instance or container role) and a federated user's
//! (GetFederationToken). An IAM user's session (GetSessionToken, awsenv's MFA session) and
//! long-term keys are refused, so an IAM user is signed in through GetFederationToken with the
//! user's long-term keys, and credentials whose kind the plan does not tell are asked about
//! (GetCallerIdentity) before any browser starts. Everything here happens before the browser:
//! a sign-in that cannot work is an error, never an "opened the console".

use crate::aws::endpoint;
use crate::aws::helper::{self, Answer, Operation, Request, Target, WireCredentials};
use crate::cli::ResolveArgs;
use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::{Error, quoted};
use crate::resolve::{MAX_CHAINED_DURATION, MAX_DURATION, MIN_DURATION, Plan, Settings, Source};

/// GetFederationToken's range (a root user's session is cut to an hour by STS).
pub const MAX_FEDERATED_DURATION: u32 = 129_600;

/// Credentials the federation endpoint takes, and what the console session made from them is.
pub struct Signin {
    pub credentials: Credentials,
    /// `SessionDuration` for GetSigninToken: a role session's only (a federated user's session
    /// lasts as long as its token, and the endpoint refuses the parameter for it).
    pub session_duration: Option<u32>,
    /// Who the console will show, for the one line on stderr.
    pub signed_in_as: String,
    /// What the console session cannot do that the profile's own credentials could.
    pub lacks: Option<String>,
    pub settings: Settings,
}

/// Profile `name` (with the ad hoc roles in `resolve`), for a person at a terminal.
pub fn for_profile(name: &str, resolve: &ResolveArgs, duration: Option<u32>, env: &Env) -> Result<Signin, Error> {
    let plan = crate::acquire::plan_only(name, resolve, env)?;
    let label = format!("profile {}", quoted(name));
    if plan.hops.is_empty() && long_term_base(&plan) {
        // An IAM user, with or without an MFA device: its long-term keys, never the MFA session
        // that `use` would export, which the console refuses.
        let keys = long_term_keys(&plan).map_err(|e| e.profile(name))?;
        let device = mfa_device(&plan, env);
        return federated(keys, plan.settings, duration, &label, device, env).map_err(|e| e.profile(name));
    }
    let role_session = !plan.hops.is_empty() || yields_role_session(&plan.base.source);
    check_duration(duration, role_session && chained(&plan), role_session)?;
    let (plan, credentials) = crate::acquire::resolve(name, resolve, env)?;
    let what = describe(&plan);
    if role_session {
        return Ok(Signin {
            credentials,
            session_duration: duration,
            signed_in_as: what,
            lacks: None,
            settings: plan.settings,
        });
    }
    classify(credentials, plan.settings, duration, &label, env).map_err(|e| e.profile(name))
}

/// The credentials this shell holds in its environment (no profile, or a profile awsenv no longer
/// finds), with the endpoints of `settings`.
pub fn for_environment(
    credentials: Credentials,
    settings: Settings,
    duration: Option<u32>,
    env: &Env,
) -> Result<Signin, Error> {
    classify(credentials, settings, duration, "the credentials in the environment", env)
}

/// Credentials of a kind the plan does not tell (the environment, a `credential_process`, an
/// `aws login`, temporary keys in the files): long-term keys are federated, and temporary ones
/// are asked who they are.
fn classify(
    credentials: Credentials,
    settings: Settings,
    duration: Option<u32>,
    label: &str,
    env: &Env,
) -> Result<Signin, Error> {
    if credentials.session_token.is_none() {
        return federated(credentials, settings, duration, label, None, env);
    }
    let identity = caller_identity(&credentials, &settings, env).map_err(|e| e.context(label))?;
    match principal_kind(&identity.arn) {
        Principal::RoleSession | Principal::FederatedUser => {
            check_duration(duration, false, true)?;
            Ok(Signin {
                credentials,
                session_duration: duration,
                signed_in_as: identity.arn,
                lacks: None,
                settings,
            })
        }
        Principal::User | Principal::Root => Err(Error::fetch(format!(
            "{label} are an IAM user's session ({}), which the console does not take: it signs in only a role's session or a federated user's",
            identity.arn
        ))
        .hint("name the profile with the user's long-term keys (`awsenv console PROFILE`), which awsenv signs in through GetFederationToken")),
    }
}

/// A federated user's session from long-term keys: GetCallerIdentity names it, GetFederationToken
/// makes it.
fn federated(
    keys: Credentials,
    settings: Settings,
    duration: Option<u32>,
    label: &str,
    mfa_device: Option<String>,
    env: &Env,
) -> Result<Signin, Error> {
    if let Some(seconds) = duration
        && !(MIN_DURATION..=MAX_FEDERATED_DURATION).contains(&seconds)
    {
        return Err(Error::usage(format!(
            "--duration {seconds} is outside {MIN_DURATION}..{MAX_FEDERATED_DURATION}, what GetFederationToken allows an IAM user"
        )));
    }
    let identity = caller_identity(&keys, &settings, env).map_err(|e| e.context(label))?;
    let name = federated_name(&identity.arn);
    let (region, sts) = sts_target(&settings, env)?;
    let request = Request {
        target: Target::new(sts, region, &settings, env, false),
        operation: Operation::GetFederationToken {
            source: WireCredentials::from(&keys),
            name: name.clone(),
            duration_seconds: duration,
        },
    };
    let credentials = helper::credentials(helper::call(&request)?)?;
    let mut lacks = "a federated console session cannot use IAM, and no STS call but GetCallerIdentity".to_owned();
    if let Some(device) = mfa_device {
        lacks.push_str(&format!(
            "; it carries no MFA ({device} is not used), so what the user's policies allow only with MFA is denied"
        ));
    }
    Ok(Signin {
        credentials,
        session_duration: None,
        signed_in_as: format!("federated user {name} ({} through GetFederationToken)", identity.arn),
        lacks: Some(lacks),
        settings,
    })
}

/// The name a federated session goes by: the IAM user's own, in the characters and length
/// GetFederationToken takes (2 to 32 of `[A-Za-z0-9_+=,.@-]`).
fn federated_name(arn: &str) -> String {
    let own = arn.rsplit(['/', ':']).next().unwrap_or("");
    let name: String = own.chars().filter(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(*c)).take(32).collect();
    if name.len() < 2 { "awsenv".to_owned() } else { name }
}

#[derive(Debug, PartialEq, Eq)]
enum Principal {
    RoleSession,
    FederatedUser,
    User,
    Root,
}

/// What GetCallerIdentity's ARN says the credentials are.
fn principal_kind(arn: &str) -> Principal {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or("");
    if resource.starts_with("assumed-role/") {
        Principal::RoleSession
    } else if resource.starts_with("federated-user/") {
        Principal::FederatedUser
    } else if resource == "root" {
        Principal::Root
    } else {
        Principal::User
    }
}

fn caller_identity(
    credentials: &Credentials,
    settings: &Settings,
    env: &Env,
) -> Result<crate::aws::sts::CallerIdentity, Error> {
    let (region, sts) = sts_target(settings, env)?;
    let request = Request {
        target: Target::new(sts, region, settings, env, false),
        operation: Operation::GetCallerIdentity { credentials: WireCredentials::from(credentials) },
    };
    match helper::call(&request)? {
        Answer::Identity { account, arn, user_id } => Ok(crate::aws::sts::CallerIdentity { account, arn, user_id }),
        _ => Err(Error::fetch(format!("{} answered GetCallerIdentity with something else", helper::HELPER))),
    }
}

fn sts_target(settings: &Settings, env: &Env) -> Result<(String, String), Error> {
    let region = endpoint::region(env, settings, None)?;
    let sts = endpoint::sts(env, settings, &region);
    Ok((region, sts))
}

/// A role session's console lasts 900 s to 12 hours, a chained one at most an hour.
fn check_duration(duration: Option<u32>, chained: bool, role_session: bool) -> Result<(), Error> {
    let Some(seconds) = duration else { return Ok(()) };
    let most = if chained { MAX_CHAINED_DURATION } else { MAX_DURATION };
    if role_session && !(MIN_DURATION..=most).contains(&seconds) {
        let why = if chained { "for a role assumed from another role's session" } else { "for a role's session" };
        return Err(Error::usage(format!(
            "--duration {seconds} is outside {MIN_DURATION}..{most}, the console's range {why}"
        )));
    }
    Ok(())
}

/// Whether the last role of `plan` is assumed with another role's session (AWS's role chaining).
fn chained(plan: &Plan) -> bool {
    plan.hops.len() > 1 || (plan.hops.len() == 1 && yields_role_session(&plan.base.source))
}

/// Sources whose credentials are a role's session whatever the account does.
fn yields_role_session(source: &Source) -> bool {
    matches!(source, Source::Sso { .. } | Source::WebIdentity { .. } | Source::Imds | Source::Ecs)
}

/// Long-term keys at the base: keys in the files without a token, or in awsenv's key store.
fn long_term_base(plan: &Plan) -> bool {
    matches!(&plan.base.source, Source::StaticKeys { session_token: None, .. } | Source::KeyStore { .. })
}

fn long_term_keys(plan: &Plan) -> Result<Credentials, Error> {
    match &plan.base.source {
        Source::StaticKeys { access_key_id, secret_access_key, account_id, .. } => Ok(Credentials {
            access_key_id: access_key_id.clone(),
            secret_access_key: secret_access_key.clone(),
            session_token: None,
            expiration: None,
            account_id: account_id.clone(),
        }),
        Source::KeyStore { backend, name } => {
            crate::keys::get(*backend, name, crate::keys::Patience::for_fetch(false, None))
        }
        _ => unreachable!("called for long-term keys only"),
    }
}

/// The MFA device of the keys' profile, which the federated session will not carry.
fn mfa_device(plan: &Plan, env: &Env) -> Option<String> {
    let texts = crate::config::read(env).ok()?;
    let files = crate::config::parse(&texts).ok()?;
    files.profile(&plan.base.profile)?.get("mfa_serial").filter(|s| !s.is_empty()).map(str::to_owned)
}

/// "role arn:… (profile prod)" for the line on stderr.
fn describe(plan: &Plan) -> String {
    match plan.hops.last() {
        Some(hop) => format!("role {}", hop.role_arn),
        None => match &plan.base.source {
            Source::Sso { account_id, role_name, .. } => format!(
                "SSO role {} in account {}",
                role_name.as_deref().unwrap_or("?"),
                account_id.as_deref().unwrap_or("?")
            ),
            source => format!("the {} credentials of profile {}", source.kind(), quoted(&plan.profile)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arn_says_what_the_console_takes() {
        assert_eq!(principal_kind("arn:aws:sts::123456789012:assumed-role/Admin/me"), Principal::RoleSession);
        assert_eq!(principal_kind("arn:aws:sts::123456789012:federated-user/me"), Principal::FederatedUser);
        assert_eq!(principal_kind("arn:aws:iam::123456789012:user/team/me"), Principal::User);
        assert_eq!(principal_kind("arn:aws:iam::123456789012:root"), Principal::Root);
    }

    #[test]
    fn a_federated_name_is_the_users_own_within_stss_rules() {
        assert_eq!(federated_name("arn:aws:iam::123456789012:user/team/alice"), "alice");
        assert_eq!(federated_name("arn:aws:iam::123456789012:root"), "root");
        assert_eq!(federated_name("arn:aws:iam::1:user/a"), "awsenv");
        assert_eq!(federated_name(&format!("arn:aws:iam::1:user/{}", "x".repeat(40))).len(), 32);
        assert_eq!(federated_name("arn:aws:iam::1:user/ünï+code"), "n+code");
    }
}
