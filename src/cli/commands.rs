//! The arguments of the other commands, one struct each (their work lives in `cmd/`).

use clap::Args;

use super::common::{ListenArgs, OutputArgs, ResolveArgs};

#[derive(Debug, Args)]
pub struct UseArgs {
    /// The profile (none: pick one on the terminal)
    pub profile: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub resolve: ResolveArgs,
    /// Called from the shell hook: never prompt, never wait long for another refresh
    #[arg(long)]
    pub hook: bool,
    /// Print the statements even when stdout is a terminal (they hold the secret key)
    #[arg(long)]
    pub print: bool,
    /// `use -`: the profile this shell acted as before (`use -- -` names a profile `-`)
    #[arg(skip)]
    pub previous: bool,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The profile whose credentials the command gets (default: the one this shell acts as)
    pub profile: Option<String>,
    #[command(flatten)]
    pub resolve: ResolveArgs,
    /// Serve the credentials from a local endpoint that renews them, instead of exporting keys
    #[arg(long)]
    pub server: bool,
    #[command(flatten)]
    pub listen: ListenArgs,
    /// The command and its arguments
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The profile (default: the one this shell acts as)
    pub profile: Option<String>,
    #[command(flatten)]
    pub listen: ListenArgs,
    /// Serve in the background until this shell ends (or `serve --stop`), printing at once
    #[arg(long, conflicts_with = "stop")]
    pub detach: bool,
    /// Stop the server this shell started with --detach and print what removes its variables
    #[arg(long)]
    pub stop: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub resolve: ResolveArgs,
    /// Print the statements even when stdout is a terminal (they hold the endpoint's token)
    #[arg(long)]
    pub print: bool,
}

#[derive(Debug, Args)]
pub struct CredentialProcessArgs {
    /// The profile whose credentials to print
    #[arg(required_unless_present = "key_store")]
    pub profile: Option<String>,
    /// Print the long-term keys awsenv keeps for NAME in STORE (os or file): the line `keys add`
    /// writes into a profile
    #[arg(long, value_name = "STORE:NAME", conflicts_with = "profile")]
    pub key_store: Option<String>,
    #[command(flatten)]
    pub resolve: ResolveArgs,
    /// Print them even when stdout is a terminal
    #[arg(long)]
    pub print: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The shell to integrate with
    #[arg(value_enum)]
    pub shell: InitShell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InitShell {
    Bash,
    Zsh,
    Fish,
    Pwsh,
    Nu,
    Elvish,
}

#[derive(Debug, Args)]
pub struct WriteCredentialsArgs {
    /// The profile whose temporary credentials to write
    #[arg(required_unless_present = "remove")]
    pub profile: Option<String>,
    /// The section's name in the credentials file (default: the profile's)
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
    /// Stay, and write the section again ahead of each expiry until stopped
    #[arg(long)]
    pub watch: bool,
    /// With --watch: renew in the background, detached from the terminal, until `--remove NAME`
    #[arg(long, requires = "watch")]
    pub detach: bool,
    /// Remove the section NAME that awsenv wrote (and stop its background renewal)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["profile", "as_name", "watch"])]
    pub remove: Option<String>,
    #[command(flatten)]
    pub resolve: ResolveArgs,
}

#[derive(Debug, Args)]
pub struct ClearArgs {
    /// The profiles whose chains to forget (default: the one this shell acts as, with its roles
    /// on the fly)
    #[arg(conflicts_with = "all")]
    pub profiles: Vec<String>,
    /// Also forget the MFA session of their long-term keys (the next use asks for a code)
    #[arg(long)]
    pub mfa: bool,
    /// Forget every credential awsenv has cached, MFA sessions included
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// The profile whose cached credentials to renew (default: the one this shell acts as)
    pub profile: Option<String>,
    /// Start the refresh in a new session, detached from the terminal, and return at once (for
    /// shells that cannot background a process cheaply themselves)
    #[arg(long)]
    pub detach: bool,
    #[command(flatten)]
    pub role: super::common::RoleArgs,
}

#[derive(Debug, Args)]
pub struct PromptArgs {
    /// What to print: `{profile}` (with its roles on the fly: `prod → Admin`), `{name}` (the
    /// profile alone), `{role}` (the last role on the fly), `{left}` (`42m`, `1h05m`, `expired`, or
    /// empty for credentials that do not expire), `{region}` and `{account}` are replaced
    #[arg(long, default_value = "{profile} {left}")]
    pub format: String,
}

#[derive(Debug, Args)]
pub struct CompleteArgs {
    /// What to complete: `profiles`, `sso-sessions`, `described-profiles` or `options-SUBCOMMAND`
    pub what: String,
    /// Only names starting with this (containing it, for `described-profiles`)
    #[arg(default_value = "", allow_hyphen_values = true)]
    pub prefix: String,
}

#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// The profile (default: the profile this shell acts as, else the credentials in its
    /// environment)
    pub profile: Option<String>,
    #[command(flatten)]
    pub resolve: ResolveArgs,
    /// Print the sign-in URL on stdout instead of opening a browser (it signs in whoever has it,
    /// for 15 minutes)
    #[arg(long)]
    pub print: bool,
    /// The console page to land on (default: the console home of the region)
    #[arg(long, value_name = "URL", conflicts_with = "service")]
    pub destination: Option<String>,
    /// Land on this service's console (`s3`, `ec2`, `cloudwatch`, ...) in the region
    #[arg(long, short = 's', value_name = "SERVICE")]
    pub service: Option<String>,
    /// The browser: firefox, chrome, chromium, brave, edge, safari, or any command (default: the
    /// profile's awsenv_browser, else AWSENV_BROWSER, else BROWSER, else the system's browser)
    #[arg(long, value_name = "NAME")]
    pub browser: Option<String>,
    /// The browser's profile to open it in: a Chromium-family profile directory (`Profile 1`) or
    /// a Firefox profile (default: the profile's awsenv_browser_profile)
    #[arg(long, value_name = "NAME")]
    pub browser_profile: Option<String>,
    /// Open it in this Firefox container (named after the profile when no NAME is given), through
    /// the "Open external links in a container" extension, so that several accounts stay signed
    /// in side by side (default: the profile's awsenv_container)
    #[arg(long, value_name = "NAME", num_args = 0..=1)]
    pub container: Option<Option<String>>,
    /// How long the console session lasts, in seconds: 900 to 43200 for a role (3600 for a role
    /// assumed from another role), up to 129600 for an IAM user
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(900..=129_600))]
    pub duration: Option<u32>,
}

#[derive(Debug, Args)]
pub struct WhoamiArgs {
    /// A profile to ask about (default: the credentials in this shell's environment)
    pub profile: Option<String>,
    #[command(flatten)]
    pub resolve: ResolveArgs,
    /// JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only profiles whose name contains this (case does not matter)
    pub pattern: Option<String>,
    /// One JSON array instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The profile (default: the one this shell acts as, then $AWS_PROFILE, then "default")
    pub profile: Option<String>,
    /// JSON instead of text
    #[arg(long)]
    pub json: bool,
    /// Explain with this region instead of the profile's
    #[arg(long)]
    pub region: Option<String>,
    #[command(flatten)]
    pub role: super::common::RoleArgs,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Also compare this machine's clock with STS's (one unsigned request, no credentials)
    #[arg(long)]
    pub online: bool,
    /// One JSON object instead of lines (see below)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Only findings about these profiles
    pub profiles: Vec<String>,
    /// One JSON array (severity, rule, at, profile, message, fix) instead of lines
    #[arg(long)]
    pub json: bool,
}
