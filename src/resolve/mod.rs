//! Profile name → Plan: a base credential source, then zero or more AssumeRole hops, plus the
//! settings to export. Pure: no file, network or clock is touched, so every mistake in the files
//! (cycles, missing pieces, contradictions) is reported before any I/O, citing file:line.
//!
//! The chain rules are the SDKs' (smithy-rs `profile/credentials/repr.rs`, pinned by the shared
//! assume-role suite): `role_arn` is what makes a profile a hop; the selected profile's own keys
//! are ignored when it names a `source_profile`; further down the chain, a profile with complete
//! static keys ends the walk.

pub mod adhoc;
pub mod profile_env;
mod sso;

use crate::config::{self, ConfigFiles, Origin, Section};
use crate::credentials::Secret;
use crate::env::Env;
use crate::error::{Error, quoted};
use crate::settings::{ENV_TWINS, service_endpoint_var};

#[derive(Debug, Clone)]
pub struct Plan {
    pub profile: String,
    pub at: Origin,
    pub base: Base,
    /// Applied in order: each hop assumes its role with the credentials of the step before.
    pub hops: Vec<RoleHop>,
    pub settings: Settings,
    /// The roles given on the command line (or kept by the shell) on top of the profile, also
    /// the last of `hops` (see `adhoc`).
    pub ad_hoc: Vec<adhoc::AdHocRole>,
}

#[derive(Debug, Clone)]
pub struct Base {
    /// The profile that names this source.
    pub profile: String,
    pub at: Origin,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    StaticKeys {
        access_key_id: String,
        secret_access_key: Secret,
        session_token: Option<Secret>,
        account_id: Option<String>,
    },
    /// `credential_source = Environment`
    Environment,
    /// `credential_source = Ec2InstanceMetadata`
    Imds,
    /// `credential_source = EcsContainer`
    Ecs,
    Process {
        command: String,
        /// `aws_account_id`, used when the process output has no `AccountId`.
        account_id: Option<String>,
    },
    WebIdentity {
        role_arn: String,
        token_file: String,
        session_name: Option<String>,
    },
    Sso {
        session: Option<String>,
        start_url: String,
        region: String,
        account_id: Option<String>,
        role_name: Option<String>,
    },
    Login {
        session: String,
    },
    /// awsenv's own `credential_process` line: long-term keys in its key store.
    KeyStore {
        backend: crate::keys::line::Backend,
        name: String,
    },
}

impl Source {
    /// The word `list` shows for a profile whose chain starts here.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::StaticKeys { .. } => "static",
            Source::Environment => "environment",
            Source::Imds => "imds",
            Source::Ecs => "ecs",
            Source::Process { .. } => "process",
            Source::WebIdentity { .. } => "web-identity",
            Source::Sso { .. } => "sso",
            Source::Login { .. } => "login",
            Source::KeyStore { .. } => "key-store",
        }
    }

    /// Whether the credentials it yields are themselves a role session, so a role assumed with
    /// them is role chaining (and limited to one hour).
    fn yields_role_session(&self) -> bool {
        matches!(self, Source::WebIdentity { .. } | Source::Sso { .. } | Source::Imds | Source::Ecs)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleHop {
    pub profile: String,
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration_seconds: Option<u32>,
    pub mfa_serial: Option<String>,
    /// Its `role_arn` line; `None` for a role given on the command line (`--role-arn`).
    pub at: Option<Origin>,
}

pub use crate::settings::{ServiceEndpoint, Settings};

impl Plan {
    /// `role` when hops follow the base, else the base's own kind.
    pub fn kind(&self) -> &'static str {
        if self.hops.is_empty() { self.base.source.kind() } else { "role" }
    }
}

pub const MIN_DURATION: u32 = 900;
pub const MAX_DURATION: u32 = 43_200;
pub const MAX_CHAINED_DURATION: u32 = 3_600;

pub struct Resolver<'f, 'a> {
    files: &'f ConfigFiles<'a>,
    env: &'f Env,
}

impl<'f, 'a> Resolver<'f, 'a> {
    pub fn new(files: &'f ConfigFiles<'a>, env: &'f Env) -> Self {
        Resolver { files, env }
    }

    fn cite(&self, at: Origin) -> String {
        config::cite(self.files, at, self.env)
    }

    fn error_at(&self, at: Origin, message: impl AsRef<str>) -> Error {
        Error::plan(format!("{} ({})", message.as_ref(), self.cite(at)))
    }

    pub fn plan(&self, name: &str) -> Result<Plan, Error> {
        self.plan_with_region(name, None).map_err(|e| e.profile(name))
    }

    /// The Plan for `name`; `region` (from `--region`) replaces the profile's own.
    pub fn plan_with_region(&self, name: &str, region: Option<&str>) -> Result<Plan, Error> {
        let selected = self.find_profile(name, None)?;
        let mut visited: Vec<&str> = Vec::new();
        let mut hop_sections: Vec<Section<'_, 'a>> = Vec::new();
        let mut current = selected.clone();
        let base = loop {
            if visited.contains(&current.name) {
                let mut path: Vec<&str> = visited.clone();
                path.push(current.name);
                let at = hop_sections.last().and_then(|s| s.property("source_profile")).map_or(current.at, |p| p.at);
                return Err(self
                    .error_at(at, format!("source_profile chain loops: {}", path.join(" -> ")))
                    .hint("make one profile in the loop hold credentials instead of a source_profile"));
            }
            if !visited.is_empty()
                && let Some(source) = self.static_keys(&current, true)?
            {
                break Base { profile: current.name.to_owned(), at: key_origin(&current), source };
            }
            visited.push(current.name);
            if current.get("role_arn").is_none() || current.get("web_identity_token_file").is_some() {
                break self.base_source(&current, visited.len() == 1)?;
            }
            hop_sections.push(current.clone());
            let source_profile = current.property("source_profile");
            let credential_source = current.property("credential_source");
            match (source_profile, credential_source) {
                (Some(sp), Some(cs)) => {
                    return Err(self
                        .error_at(
                            cs.at,
                            format!(
                                "profile {} sets both source_profile ({}) and credential_source",
                                quoted(current.name),
                                self.cite(sp.at)
                            ),
                        )
                        .hint("keep one of the two"));
                }
                (None, None) => {
                    let at = current.property("role_arn").expect("checked above").at;
                    return Err(self
                        .error_at(at, format!(
                            "profile {} has role_arn but neither source_profile nor credential_source",
                            quoted(current.name)))
                        .hint("add `source_profile = <profile with credentials>` or `credential_source = Environment|Ec2InstanceMetadata|EcsContainer`"));
                }
                (Some(sp), None) if sp.value == current.name => {
                    // Self-reference: the profile's own keys are the base of its role.
                    let source = self.static_keys(&current, false)?.expect("required keys yield Some");
                    break Base { profile: current.name.to_owned(), at: key_origin(&current), source };
                }
                (Some(sp), None) => {
                    current = self.find_profile(&sp.value, Some((current.name, sp.at)))?;
                }
                (None, Some(cs)) => {
                    let source = self.named_source(&cs.value, cs.at)?;
                    break Base { profile: current.name.to_owned(), at: cs.at, source };
                }
            }
        };
        hop_sections.reverse();
        let mut hops = Vec::with_capacity(hop_sections.len());
        for (i, section) in hop_sections.iter().enumerate() {
            let chained = i > 0 || base.source.yields_role_session();
            hops.push(self.role_hop(section, chained)?);
        }
        let settings = self.settings(&selected, region)?;
        Ok(Plan { profile: selected.name.to_owned(), at: selected.at, base, hops, settings, ad_hoc: Vec::new() })
    }

    fn find_profile(&self, name: &str, referenced_from: Option<(&str, Origin)>) -> Result<Section<'f, 'a>, Error> {
        if let Some(section) = self.files.profile(name) {
            return Ok(section);
        }
        let config = config::display_path(&self.files.config_path, self.env);
        let credentials = config::display_path(&self.files.credentials_path, self.env);
        if !config::is_identifier(name) {
            // `[profile my team]`, `[profile naïve.dev]`: the SDKs' shared rules ignore such a
            // section; "not found" would be the wrong story.
            let what = format!(
                "{} is not a profile name the SDKs accept: their shared rules allow only ASCII letters, digits and _-/.%@:+, and ignore any other section",
                quoted(name)
            );
            let error = match referenced_from {
                Some((from, at)) => self.error_at(at, format!("source_profile of profile {}: {what}", quoted(from))),
                None => Error::plan(what),
            };
            return Err(error.hint("rename the section in the files (`awsenv lint` points at it)"));
        }
        if referenced_from.is_none() && self.env.get_nonempty(crate::settings::AWSENV_PROFILE) == Some(name) {
            return Err(Error::plan(format!(
                "the profile this shell acts as is no longer in {config} or {credentials} (removed by a sync or an edit?)"
            ))
            .profile(name)
            .hint("pick another with `awsenv use` (or `awsenv use NAME`), or `awsenv unset`"));
        }
        let known = self.files.profile_names();
        let hint = if known.is_empty() {
            format!("no profiles are defined in {config} or {credentials}; run `aws configure` or set AWS_CONFIG_FILE")
        } else {
            let near = crate::suggest::near_misses(name, &known, 5);
            if near.is_empty() {
                "run `awsenv list` to see the profiles".to_owned()
            } else {
                format!("did you mean {}?", near.iter().map(|n| quoted(n)).collect::<Vec<_>>().join(", "))
            }
        };
        let error = match referenced_from {
            Some((from, at)) => {
                self.error_at(at, format!("source_profile {} of profile {} not found", quoted(name), quoted(from)))
            }
            None => Error::plan(format!("not found in {config} or {credentials}")).profile(name),
        };
        Err(error.hint(hint))
    }

    /// Complete static keys, or `None` when the profile has neither key. With `lenient`, partial
    /// keys are also `None` (further down a chain the walk then goes on to the profile's role).
    fn static_keys(&self, p: &Section<'_, 'a>, lenient: bool) -> Result<Option<Source>, Error> {
        let key_id = p.property("aws_access_key_id");
        let secret = p.property("aws_secret_access_key");
        match (key_id, secret) {
            (Some(k), Some(s)) => Ok(Some(Source::StaticKeys {
                access_key_id: k.value.to_string(),
                secret_access_key: Secret::new(s.value.as_ref()),
                session_token: p.get("aws_session_token").map(Secret::new),
                account_id: p.get("aws_account_id").map(str::to_owned),
            })),
            (None, None) => {
                if lenient {
                    return Ok(None);
                }
                Err(self.error_at(p.at, format!("profile {} did not contain credential information", quoted(p.name)))
                    .hint("add aws_access_key_id and aws_secret_access_key, role_arn with source_profile, sso_session, credential_process or credential_source"))
            }
            (Some(k), None) if !lenient => Err(self
                .error_at(
                    k.at,
                    format!("profile {} has aws_access_key_id but no aws_secret_access_key", quoted(p.name)),
                )
                .hint("add the secret key next to it, or remove the key id")),
            (None, Some(s)) if !lenient => Err(self
                .error_at(
                    s.at,
                    format!("profile {} has aws_secret_access_key but no aws_access_key_id", quoted(p.name)),
                )
                .hint("add the key id next to it, or remove the secret")),
            _ => Ok(None),
        }
    }

    /// A profile at the end of the chain: what gives it credentials, in the SDKs' order.
    /// `selected`: `p` is the profile the user asked for (not a source further down a chain).
    fn base_source(&self, p: &Section<'_, 'a>, selected: bool) -> Result<Base, Error> {
        let base = |at: Origin, source: Source| Base { profile: p.name.to_owned(), at, source };
        if let Some(cs) = p.property("credential_source") {
            return Ok(base(cs.at, self.named_source(&cs.value, cs.at)?));
        }
        if let Some(token_file) = p.property("web_identity_token_file") {
            let role_arn = p.property("role_arn").ok_or_else(|| {
                self.error_at(
                    token_file.at,
                    format!("profile {} has web_identity_token_file but no role_arn", quoted(p.name)),
                )
                .hint("add the role_arn to assume with the token")
            })?;
            self.check_arn(role_arn)?;
            let session_name = self.session_name(p)?;
            return Ok(base(
                token_file.at,
                Source::WebIdentity {
                    role_arn: role_arn.value.to_string(),
                    token_file: token_file.value.to_string(),
                    session_name,
                },
            ));
        }
        if let Some(sso) = self.sso(p)? {
            return Ok(sso);
        }
        if let Some(login) = p.property("login_session") {
            return Ok(base(login.at, Source::Login { session: login.value.to_string() }));
        }
        if let Some(process) = p.property("credential_process") {
            if process.value.trim().is_empty() {
                return Err(self.error_at(process.at, "credential_process is empty").hint("give the command to run"));
            }
            let source = match crate::keys::line::reference(&process.value) {
                Some((backend, name)) => Source::KeyStore { backend, name },
                None => Source::Process {
                    command: process.value.to_string(),
                    account_id: p.get("aws_account_id").map(str::to_owned),
                },
            };
            return Ok(base(process.at, source));
        }
        let no_keys = p.property("aws_access_key_id").is_none() && p.property("aws_secret_access_key").is_none();
        if selected
            && no_keys
            && let Some(source) = self.environment_web_identity()?
        {
            return Ok(base(p.at, source));
        }
        let source = self.static_keys(p, false)?.expect("strict static_keys yields Some or an error");
        let at = key_origin(p);
        Ok(base(at, source))
    }

    /// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`), which EKS and
    /// CI systems set: as in the SDKs' default chain, it serves a profile without credentials of
    /// its own.
    fn environment_web_identity(&self) -> Result<Option<Source>, Error> {
        let (Some(token_file), Some(role_arn)) =
            (self.env.get_nonempty("AWS_WEB_IDENTITY_TOKEN_FILE"), self.env.get_nonempty("AWS_ROLE_ARN"))
        else {
            return Ok(None);
        };
        let session_name = self.env.get_nonempty("AWS_ROLE_SESSION_NAME");
        if let Some(name) = session_name.filter(|n| !is_role_session_name(n)) {
            return Err(Error::plan(format!("AWS_ROLE_SESSION_NAME {} is not what STS accepts", quoted(name)))
                .hint("use 2 to 64 characters of letters, digits and _+=,.@-"));
        }
        Ok(Some(Source::WebIdentity {
            role_arn: role_arn.to_owned(),
            token_file: token_file.to_owned(),
            session_name: session_name.map(str::to_owned),
        }))
    }

    fn named_source(&self, value: &str, at: Origin) -> Result<Source, Error> {
        match value {
            "Environment" => Ok(Source::Environment),
            "Ec2InstanceMetadata" => Ok(Source::Imds),
            "EcsContainer" => Ok(Source::Ecs),
            other => Err(self
                .error_at(at, format!("credential_source {} is not one the SDKs know", quoted(other)))
                .hint("use Environment, Ec2InstanceMetadata or EcsContainer (case matters)")),
        }
    }

    fn role_hop(&self, p: &Section<'_, 'a>, chained: bool) -> Result<RoleHop, Error> {
        let role_arn = p.property("role_arn").expect("hops are profiles with role_arn");
        self.check_arn(role_arn)?;
        // Left empty (`duration_seconds =`), as botocore and the Go SDK read it: unset.
        let duration_seconds = match p.property("duration_seconds").filter(|d| !d.value.is_empty()) {
            None => None,
            Some(d) => {
                let seconds: u32 = d.value.parse().map_err(|_| {
                    self.error_at(
                        d.at,
                        format!("duration_seconds {} is not a whole number of seconds", quoted(&d.value)),
                    )
                    .hint(format!("use a number from {MIN_DURATION} to {MAX_DURATION}"))
                })?;
                if !(MIN_DURATION..=MAX_DURATION).contains(&seconds) {
                    return Err(self
                        .error_at(
                            d.at,
                            format!(
                                "duration_seconds {seconds} is outside what STS allows ({MIN_DURATION}..{MAX_DURATION})"
                            ),
                        )
                        .hint("pick a duration within that range (and within the role's maximum session duration)"));
                }
                if chained && seconds > MAX_CHAINED_DURATION {
                    return Err(self
                        .error_at(d.at, format!("duration_seconds {seconds} exceeds the {MAX_CHAINED_DURATION} s AWS allows when a role is assumed with role credentials (role chaining)"))
                        .hint(format!("set duration_seconds to at most {MAX_CHAINED_DURATION} in profile {}", quoted(p.name))));
                }
                Some(seconds)
            }
        };
        let external_id = match p.property("external_id") {
            None => None,
            Some(e) => {
                if !adhoc::is_external_id(&e.value) {
                    return Err(self
                        .error_at(e.at, "external_id must be 2 to 1224 characters of letters, digits and _+=,.@:/-")
                        .hint("copy the external id exactly as the role's trust policy has it"));
                }
                Some(e.value.to_string())
            }
        };
        Ok(RoleHop {
            profile: p.name.to_owned(),
            role_arn: role_arn.value.to_string(),
            session_name: self.session_name(p)?,
            external_id,
            duration_seconds,
            mfa_serial: p.get("mfa_serial").filter(|m| !m.is_empty()).map(str::to_owned),
            at: Some(role_arn.at),
        })
    }

    fn session_name(&self, p: &Section<'_, 'a>) -> Result<Option<String>, Error> {
        // Left empty (`role_session_name =`), as botocore and the Go SDK read it: unset.
        let Some(name) = p.property("role_session_name").filter(|n| !n.value.is_empty()) else {
            return Ok(None);
        };
        if !is_role_session_name(&name.value) {
            return Err(self
                .error_at(name.at, format!("role_session_name {} is not what STS accepts", quoted(&name.value)))
                .hint("use 2 to 64 characters of letters, digits and _+=,.@-"));
        }
        Ok(Some(name.value.to_string()))
    }

    /// A region read from the files, checked where it stands (it becomes part of a host name).
    fn check_region(&self, region: &config::Property<'_>) -> Result<(), Error> {
        crate::aws::region::check(&region.value, &region.key)
            .map(|_| ())
            .map_err(|e| Error { message: format!("{} ({})", e.message, self.cite(region.at)), ..e })
    }

    fn check_arn(&self, role_arn: &config::Property<'_>) -> Result<(), Error> {
        if adhoc::is_arn(&role_arn.value) {
            return Ok(());
        }
        Err(self
            .error_at(role_arn.at, format!("role_arn {} is not an ARN", quoted(&role_arn.value)))
            .hint("it looks like arn:aws:iam::123456789012:role/NAME"))
    }

    fn settings(&self, p: &Section<'_, 'a>, region: Option<&str>) -> Result<Settings, Error> {
        let mut settings = Settings::default();
        for (key, _) in ENV_TWINS {
            if *key == "region"
                && let Some(region) = region
            {
                crate::aws::region::check(region, "--region")?;
                settings.values.push((key, region.to_owned(), None));
                continue;
            }
            if let Some(prop) = p.property(key)
                && !prop.value.is_empty()
            {
                if *key == "region" {
                    self.check_region(prop)?;
                }
                settings.values.push((key, prop.value.to_string(), Some(prop.at)));
            }
        }
        settings.profile_env = profile_env::read(p, self.env).map_err(|problem| {
            let which = problem.index.map(|i| format!(", line {} of the block", i + 1)).unwrap_or_default();
            Error::plan(format!("{} ({}{which})", problem.message, self.cite(problem.at))).hint(problem.hint)
        })?;
        if let Some(services) = p.property("services") {
            let Some(section) = self.files.services(&services.value) else {
                return Err(self
                    .error_at(services.at, format!("services section {} not found", quoted(&services.value)))
                    .hint(format!("add a [services {}] section, or remove the services line", services.value)));
            };
            let mut endpoints: Vec<ServiceEndpoint> = section
                .props
                .iter()
                .filter_map(|prop| {
                    let url = prop.sub_properties().filter(|(k, _)| k.eq_ignore_ascii_case("endpoint_url")).last()?.1;
                    Some(ServiceEndpoint {
                        service: prop.key.to_string(),
                        url: url.to_owned(),
                        at: prop.at,
                        variable: service_endpoint_var(&prop.key),
                    })
                })
                .collect();
            endpoints.sort_by(|a, b| a.service.cmp(&b.service));
            settings.service_endpoints = endpoints;
        }
        Ok(settings)
    }
}

/// What STS accepts as RoleSessionName: 2 to 64 of `[\w+=,.@-]`.
pub fn is_role_session_name(name: &str) -> bool {
    (2..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
}

/// Where a profile's static keys are written: the key id's line.
fn key_origin(p: &Section<'_, '_>) -> Origin {
    p.property("aws_access_key_id").map_or(p.at, |k| k.at)
}
