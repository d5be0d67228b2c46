//! The flags several commands share: how output is printed, how credentials are resolved
//! (`use`, `exec`, `whoami`, `serve`, `console` and the rest flatten them), where a server listens.

use clap::Args;

use crate::resolve::adhoc::AdHocRole;
use crate::shell::{Format, ShellKind};

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// The shell whose syntax to print
    #[arg(long, value_enum, default_value = "sh")]
    pub shell: ShellKind,
    /// Print shell code, or a format for tools
    #[arg(long, value_enum, default_value = "shell")]
    pub format: Format,
}

/// How credentials are resolved: shared by `use`, `exec`, `whoami`, `serve`, `console` and
/// `credential-process`.
#[derive(Debug, Args, Default, Clone)]
pub struct ResolveArgs {
    /// Use this region instead of the profile's
    #[arg(long)]
    pub region: Option<String>,
    /// Also set AWS_PROFILE to the profile name (see below for why it is off by default)
    #[arg(long)]
    pub export_profile: bool,
    /// Fetch new credentials even if cached ones are still valid
    #[arg(long)]
    pub refresh: bool,
    /// Neither read nor write the credential cache
    #[arg(long)]
    pub no_cache: bool,
    /// The current code of the profile's MFA device (otherwise it is asked for on the terminal)
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,
    #[command(flatten)]
    pub role: RoleArgs,
    /// The ad hoc roles on top of the profile, as the command decided them (`cmd::with_roles`):
    /// the shell's own chain and `--role-arn`.
    #[arg(skip)]
    pub chain: Vec<AdHocRole>,
}

/// A role on the fly, assumed on top of the profile (nothing is written to the files).
#[derive(Debug, Args, Default, Clone)]
pub struct RoleArgs {
    /// Assume this role on top of the profile (with no PROFILE: on top of what this shell acts
    /// as now); nothing is written to your files
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
    /// The external id the role's trust policy asks for (with --role-arn)
    #[arg(long, value_name = "ID", requires = "role_arn")]
    pub external_id: Option<String>,
    /// The role session's name (with --role-arn; default awsenv-USER-TIME)
    #[arg(long, value_name = "NAME", requires = "role_arn")]
    pub session_name: Option<String>,
    /// How long the role's credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h,
    /// at most 1h for a role assumed with a role's credentials)
    #[arg(long, value_name = "DURATION", requires = "role_arn")]
    pub role_duration: Option<String>,
    /// The MFA device the role's trust policy requires (with --role-arn; a code is asked for)
    #[arg(long, value_name = "ARN", requires = "role_arn")]
    pub mfa_serial: Option<String>,
}

impl RoleArgs {
    /// The role the flags name, checked; `None` without `--role-arn`.
    pub fn role(&self) -> Result<Option<AdHocRole>, crate::error::Error> {
        let Some(arn) = self.role_arn.as_deref() else { return Ok(None) };
        AdHocRole::from_flags(
            arn,
            self.external_id.as_deref(),
            self.session_name.as_deref(),
            self.role_duration.as_deref(),
            self.mfa_serial.as_deref(),
        )
        .map(Some)
    }
}

/// Where a credential endpoint listens.
#[derive(Debug, Args, Clone, Copy)]
pub struct ListenArgs {
    /// The port (default: a free one)
    #[arg(long)]
    pub port: Option<u16>,
    /// The loopback address to listen on (default 127.0.0.1; nothing else is accepted)
    #[arg(long, value_name = "ADDRESS")]
    pub bind: Option<std::net::IpAddr>,
}
