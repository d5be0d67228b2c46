//! awsenv's network half: reads requests (JSON, one a line) on stdin, makes each AWS call, and
//! writes each answer (JSON, one a line) on stdout, until stdin ends. One process serves a whole
//! resolution: its HTTP clients (TLS configuration, roots, open connections) are kept from one
//! request to the next, so a chain of roles is one TCP and one TLS handshake, not one per hop.
//! Kept out of `awsenv` so that the prompt path never loads an async runtime, HTTP or TLS; see
//! `awsenv::aws::helper`.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Duration;

use awsenv::aws::helper::{Answer, Operation, Request, WireCredentials};
use awsenv::aws::{Http, federation, metadata, signin, sso, sts};
use awsenv::env::Env;
use awsenv::error::Error;
use awsenv::numbers;

/// Per attempt: a person waits at a command, the prompt hook must not.
const ATTEMPT: Duration = Duration::from_secs(15);
const HOOK_ATTEMPT: Duration = Duration::from_secs(5);

fn main() -> ExitCode {
    // `awsenv doctor` checks that the helper beside it is of its own version.
    if std::env::args_os().nth(1).is_some_and(|a| a == "--version") {
        println!("awsenv-fetch {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let mut clients = Clients::default();
    let mut stdout = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let answer = match line {
            Ok(line) => match serde_json::from_str::<Request>(&line) {
                Ok(request) => {
                    serve(&request, &mut clients).unwrap_or_else(|e| Answer::Error { message: e.message, hint: e.hint })
                }
                Err(_) => Answer::Error {
                    message: "awsenv-fetch: the request is not one it understands".into(),
                    hint: Some("awsenv and awsenv-fetch must be of one version".into()),
                },
            },
            Err(e) => Answer::Error { message: format!("awsenv-fetch: cannot read the request: {e}"), hint: None },
        };
        let mut body = serde_json::to_vec(&answer).expect("answers serialise");
        body.push(b'\n');
        if stdout.write_all(&body).and_then(|()| stdout.flush()).is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// The HTTP clients made so far, by CA bundle and connect timeout: a later request to the same
/// endpoint reuses the connection.
#[derive(Default)]
struct Clients(Vec<(Option<String>, Duration, Http)>);

impl Clients {
    fn get(&mut self, ca_bundle: Option<&str>, attempt: Duration, budget: Option<Duration>) -> Result<Http, Error> {
        let connect = attempt.min(Duration::from_secs(3));
        if let Some((_, _, http)) = self.0.iter().find(|(ca, c, _)| ca.as_deref() == ca_bundle && *c == connect) {
            return Ok(http.with_limits(attempt, budget));
        }
        let http = Http::new(ca_bundle, attempt, budget)?;
        let kept = http.with_limits(attempt, budget);
        self.0.push((ca_bundle.map(str::to_owned), connect, http));
        Ok(kept)
    }
}

fn serve(request: &Request, clients: &mut Clients) -> Result<Answer, Error> {
    let env = Env::from_process();
    let target = &request.target;
    if !awsenv::aws::region::is_valid(&target.region) {
        return Err(Error::fetch(format!(
            "awsenv-fetch: {} is not a region name",
            awsenv::error::quoted(&target.region)
        )));
    }
    let default = if target.hook { HOOK_ATTEMPT } else { ATTEMPT };
    let mut attempt = numbers::seconds_var(&env, "AWSENV_HTTP_TIMEOUT", default, numbers::MAX_WAIT)?;
    if let Some(seconds) = target.timeout.and_then(|s| numbers::seconds_from_f64(s, numbers::MAX_WAIT)) {
        attempt = attempt.min(seconds);
    }
    // A budget that has run out still allows one short try rather than none at all.
    let budget =
        target.budget.map(|s| numbers::seconds_from_f64(s, numbers::MAX_WAIT).unwrap_or(Duration::from_millis(1)));
    let http = clients.get(target.ca_bundle.as_deref(), attempt, budget)?;
    let call = sts::Call { http: &http, endpoint: &target.endpoint, region: &target.region };
    let unreadable = || Error::fetch("awsenv-fetch: the source credentials have an unreadable expiration");
    match &request.operation {
        Operation::AssumeRole {
            source,
            role_arn,
            session_name,
            external_id,
            duration_seconds,
            mfa_serial,
            mfa_code,
        } => {
            let source = source.clone().into_credentials().ok_or_else(unreadable)?;
            let role = sts::AssumeRole {
                role_arn,
                session_name,
                external_id: external_id.as_deref(),
                duration_seconds: *duration_seconds,
                mfa: mfa_serial.as_deref().zip(mfa_code.as_deref()),
            };
            let credentials = sts::assume_role(&call, &source, &role)?;
            Ok(Answer::Credentials(WireCredentials::from(&credentials)))
        }
        Operation::GetSessionToken { source, duration_seconds, mfa_serial, mfa_code } => {
            let source = source.clone().into_credentials().ok_or_else(unreadable)?;
            let mfa = mfa_serial.as_deref().zip(mfa_code.as_deref());
            let credentials = sts::get_session_token(&call, &source, *duration_seconds, mfa)?;
            Ok(Answer::Credentials(WireCredentials::from(&credentials)))
        }
        Operation::GetFederationToken { source, name, duration_seconds } => {
            let source = source.clone().into_credentials().ok_or_else(unreadable)?;
            let credentials = sts::get_federation_token(&call, &source, name, *duration_seconds)?;
            Ok(Answer::Credentials(WireCredentials::from(&credentials)))
        }
        Operation::AssumeRoleWithWebIdentity { role_arn, session_name, token } => {
            let credentials = sts::assume_role_with_web_identity(&call, role_arn, session_name, token)?;
            Ok(Answer::Credentials(WireCredentials::from(&credentials)))
        }
        Operation::GetCallerIdentity { credentials } => {
            let credentials = credentials.clone().into_credentials().ok_or_else(unreadable)?;
            let identity = sts::get_caller_identity(&call, &credentials)?;
            Ok(Answer::Identity { account: identity.account, arn: identity.arn, user_id: identity.user_id })
        }
        Operation::SigninToken { federation_url, credentials, duration_seconds } => {
            let credentials = credentials.clone().into_credentials().ok_or_else(unreadable)?;
            Ok(Answer::SigninToken(federation::signin_token(&http, federation_url, &credentials, *duration_seconds)?))
        }
        Operation::InstanceMetadata { endpoint } => {
            Ok(Answer::Credentials(WireCredentials::from(&metadata::imds(&http, endpoint)?)))
        }
        Operation::SsoRoleCredentials { account_id, role_name, token } => Ok(Answer::Credentials(
            WireCredentials::from(&sso::role_credentials(&http, &target.endpoint, account_id, role_name, token)?),
        )),
        Operation::OidcCreateToken { body } => Ok(Answer::Token(sso::create_token(&http, &target.endpoint, body)?)),
        Operation::OidcPollToken { body } => Ok(match sso::poll_token(&http, &target.endpoint, body)? {
            Ok(token) => Answer::Token(token),
            Err(code) => Answer::ServiceError { code },
        }),
        Operation::OidcCall { path, body } => Ok(Answer::Json(sso::oidc_post(&http, &target.endpoint, path, body)?)),
        Operation::SigninRefresh { client_id, refresh_token, dpop_key } => {
            Ok(Answer::Json(signin::refresh(&http, &target.endpoint, client_id, refresh_token, dpop_key)?))
        }
        Operation::SsoListAssignments { token, workers } => {
            let make = || Http::new(target.ca_bundle.as_deref(), attempt, budget);
            Ok(Answer::Listing(awsenv::aws::portal::list(&make, &target.endpoint, token, *workers)?))
        }
        Operation::CreateAccessKey { credentials } => {
            let credentials = credentials.clone().into_credentials().ok_or_else(unreadable)?;
            let (access_key_id, secret_access_key) = awsenv::aws::iam::create_access_key(&call, &credentials)?;
            Ok(Answer::AccessKey { access_key_id, secret_access_key })
        }
        Operation::DeleteAccessKey { credentials, access_key_id } => {
            let credentials = credentials.clone().into_credentials().ok_or_else(unreadable)?;
            awsenv::aws::iam::delete_access_key(&call, &credentials, access_key_id)?;
            Ok(Answer::Done)
        }
        Operation::ServerDate => Ok(Answer::ServerDate(sts::server_date(&http, &target.endpoint)?)),
        Operation::SsoLogout { token } => {
            sso::logout(&http, &target.endpoint, token)?;
            Ok(Answer::Done)
        }
        Operation::ContainerCredentials { url, authorization } => {
            Ok(Answer::Credentials(WireCredentials::from(&metadata::container(&http, url, authorization.as_deref())?)))
        }
    }
}
