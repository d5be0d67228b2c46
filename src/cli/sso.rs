//! IAM Identity Center: `awsenv sso sync`/`sso add`, `login` and `logout`, and their arguments.

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct SsoArgs {
    #[command(subcommand)]
    pub command: SsoCommand,
}

#[derive(Debug, Subcommand)]
pub enum SsoCommand {
    /// Write a profile for every account and role of the login into a managed block of the
    /// config file, and keep it in step: added, changed and removed profiles are reported
    #[command(after_help = "The block lies between two marker lines naming the sso-session; every \
        byte outside it is kept. The options are recorded in the block, so a bare \
        `awsenv sso sync` makes the same block again (and syncs every session that has one). A \
        profile written by hand is never overwritten, and a generated one that a hand-written \
        source_profile uses is kept. The old file is kept as FILE.awsenv.bak.\n\n\
        Placeholders for --name and --extra: {account_id} {account_name} {role_name} \
        {sso_session}, each optionally as {account_name:kebab}, :snake, :lower or :upper.\n\n\
        Example:\n  awsenv sso sync --sso-session corp --region eu-west-1 --name '{account_name:kebab}/{role_name}'")]
    Sync(SsoSyncArgs),
    /// Pick one account and role from the portal and add its profile (the flow of
    /// `aws configure sso`, in one command)
    Add(SsoAddArgs),
}

/// How generated profiles are named and what they hold.
#[derive(Debug, Args, Default)]
pub struct ProfileTemplate {
    /// The profile name (default: {account_name}/{role_name})
    #[arg(long, value_name = "TEMPLATE")]
    pub name: Option<String>,
    /// `region` for every profile
    #[arg(long)]
    pub region: Option<String>,
    /// `output` for every profile
    #[arg(long)]
    pub output: Option<String>,
    /// One more `key = value` line for every profile (repeatable; placeholders allowed)
    #[arg(long, value_name = "KEY = VALUE")]
    pub extra: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SsoSyncArgs {
    /// The sso-session to sync (repeatable; default: every one with a block, or the only one)
    #[arg(long = "sso-session", value_name = "NAME")]
    pub sessions: Vec<String>,
    /// Print the changes as a diff and write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub template: ProfileTemplate,
}

#[derive(Debug, Args)]
pub struct SsoAddArgs {
    /// The sso-session (default: the only one, or pick one)
    #[arg(long = "sso-session", value_name = "NAME")]
    pub session: Option<String>,
    #[command(flatten)]
    pub template: ProfileTemplate,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// A profile that uses IAM Identity Center
    #[arg(conflicts_with = "sso_session")]
    pub profile: Option<String>,
    /// The [sso-session NAME] to log in to
    #[arg(long, value_name = "NAME")]
    pub sso_session: Option<String>,
    /// Use the device code flow (for machines the browser cannot reach)
    #[arg(long)]
    pub use_device_code: bool,
    /// Do not open a browser; print the URL (and code) instead
    #[arg(long)]
    pub no_browser: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// A profile that uses IAM Identity Center (none: every cached login)
    #[arg(conflicts_with = "sso_session")]
    pub profile: Option<String>,
    /// The [sso-session NAME] to log out of
    #[arg(long, value_name = "NAME")]
    pub sso_session: Option<String>,
}
