//! The flags several commands share: how output is printed, how credentials are resolved
//! (`use`, `exec`, `whoami`, `serve`, `console` and the rest flatten them), where a server listens.

use clap::Args;

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

/// How credentials are resolved: shared by `use`, `exec` and `whoami`.
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
