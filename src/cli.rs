//! The command line, as clap definitions. Each subcommand's work lives in `cmd/`.

use clap::{Args, Parser, Subcommand};

use crate::shell::{Format, ShellKind};

#[derive(Debug, Parser)]
#[command(
    name = "awsenv",
    version,
    about = "Turn an AWS CLI profile into environment variables for your shell",
    long_about = "Turn an AWS CLI profile into environment variables for your shell.\n\n\
        awsenv reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE and \
        AWS_SHARED_CREDENTIALS_FILE), resolves the profile's credentials and prints statements \
        your shell can eval. Only shell code goes to stdout; errors and hints go to stderr.",
    after_help = "Example:\n  eval \"$(awsenv use prod)\"\n  eval \"$(awsenv unset)\""
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the statements that make this shell act as PROFILE
    #[command(after_help = "AWS_PROFILE is not set unless --export-profile is given: the exported \
        keys already select the credentials, and some SDKs (the JavaScript SDK v3 among them) \
        prefer AWS_PROFILE over keys in the environment, which would silently use the profile \
        instead. Any AWS_PROFILE already set is removed for the same reason.\n\n\
        Example:\n  eval \"$(awsenv use prod)\"\n  awsenv use prod --shell fish | source")]
    Use(UseArgs),
    /// Run a command with the profile's credentials in its environment (it replaces awsenv, so
    /// its exit status and signals are the command's own), or with --server from an endpoint
    /// that keeps them fresh for as long as it runs
    #[command(after_help = "With --server the command gets AWS_CONTAINER_CREDENTIALS_FULL_URI and \
        AWS_CONTAINER_AUTHORIZATION_TOKEN instead of keys: every AWS SDK then asks awsenv for \
        credentials when it needs them, so a command that runs for hours never meets an expired \
        token. awsenv stays as its parent, passes signals on, and ends with its status.\n\n\
        Example:\n  awsenv exec prod -- terraform plan\n  awsenv exec --server prod -- terraform apply")]
    Exec(ExecArgs),
    /// Ask STS who the credentials belong to (GetCallerIdentity)
    Whoami(WhoamiArgs),
    /// Log in to IAM Identity Center (as `aws sso login` does; the token is shared with the CLI)
    Login(LoginArgs),
    /// End IAM Identity Center logins: the portal session and the cached token
    Logout(LogoutArgs),
    /// Print the profile's credentials as `credential_process` JSON, so that any SDK or tool can
    /// use awsenv's cache, MFA handling and SSO renewal
    #[command(
        name = "credential-process",
        after_help = "In ~/.aws/config:\n  [profile app]\n  credential_process = awsenv credential-process prod"
    )]
    CredentialProcess(CredentialProcessArgs),
    /// Open the AWS console signed in as the profile (or print the sign-in URL)
    Console(ConsoleArgs),
    /// Print the shell integration: the `awsenv` wrapper that changes this shell, the prompt hook
    /// that renews credentials before they expire, and profile-name completion
    #[command(
        after_help = "Add to ~/.bashrc:   eval \"$(awsenv init bash)\"\nAdd to ~/.zshrc:    eval \"$(awsenv init zsh)\""
    )]
    Init(InitArgs),
    /// Renew a profile's cached credentials ahead of expiry, silently (the shell hook starts it in
    /// the background; at most one runs per profile)
    Refresh(RefreshArgs),
    /// Print the active profile and the time its credentials have left, for a prompt (reads
    /// only the environment)
    Prompt(PromptArgs),
    /// Profile names for shell completion (fast: reads only section headers)
    #[command(hide = true, name = "__complete")]
    Complete(CompleteArgs),
    /// Print the statements that remove everything awsenv set
    Unset(OutputArgs),
    /// List the profiles with their kind, region and source file
    List(ListArgs),
    /// Show how a profile gets its credentials, step by step, with file:line (no secrets, no network)
    Explain(ExplainArgs),
    /// Check the config files: lost indentation, mistyped keys, dangling references, keys that
    /// win silently, secrets in the wrong file; each finding with file:line and the fix
    Lint(LintArgs),
    /// Check this machine's setup: the shell hook and its binary, completion, awsenv-fetch, both
    /// files, the cache directory, SSO logins, the clock (--online) and the lint findings
    #[command(
        after_help = "Each line is ok, warn or fail, with the fix; the exit status is 1 when any line fails.\n\n\
        --json prints {\"version\": 1, \"checks\": [{\"area\", \"status\", \"message\", \"fix\"}], \"summary\": {...}}."
    )]
    Doctor(DoctorArgs),
    /// Serve a profile's credentials on a local endpoint that every AWS SDK can poll (the
    /// container credential provider), renewed ahead of expiry
    #[command(after_help = "Prints the variables that point SDKs at the endpoint (and remove any keys \
        exported before), in --shell syntax.\n\n\
        Example:\n  eval \"$(awsenv serve prod --detach)\"   # this shell, until it ends\n  \
        eval \"$(awsenv serve --stop)\"          # stop it, and unset what it set")]
    Serve(ServeArgs),
    /// IAM Identity Center at organisation scale: a profile for every account and role you are
    /// assigned (`sso sync`), or the one you pick (`sso add`)
    Sso(SsoArgs),
    /// Long-term access keys in a secret store (the OS's, or an encrypted file) instead of
    /// plaintext in ~/.aws/credentials
    #[command(after_help = "The profile gets `credential_process = awsenv credential-process --key-store os:NAME` \
        in the config file, which every SDK runs; awsenv reads the store itself. The store is the \
        OS's (the Secret Service on Linux, the Keychain on macOS) unless --store file or \
        AWSENV_KEY_STORE=file says the encrypted file (its passphrase from the terminal, or \
        AWSENV_FILE_PASSPHRASE).")]
    Keys(KeysArgs),
}

#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    pub command: KeysCommand,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Store keys for PROFILE, typed on the terminal (never on the command line)
    Add(KeysStoreArgs),
    /// Move PROFILE's keys out of the credentials (or config) file into the store
    Import(KeysStoreArgs),
    /// The profiles with stored keys and their key ids (never a secret)
    List,
    /// Remove PROFILE's stored keys and its credential_process line
    Rm(KeysProfileArgs),
    /// Replace PROFILE's key with a new one (IAM CreateAccessKey, checked with
    /// GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A
    /// user with an MFA device (mfa_serial) rotates through the day's MFA session, asking for a
    /// code when there is none, as "manage your own keys only with MFA" policies require
    Rotate(KeysRotateArgs),
}

#[derive(Debug, Args)]
pub struct KeysRotateArgs {
    pub profile: String,
    /// The MFA code, when the user has an MFA device and no MFA session is cached
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeysStoreArgs {
    pub profile: String,
    /// os or file (default: AWSENV_KEY_STORE, else os)
    #[arg(long)]
    pub store: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeysProfileArgs {
    pub profile: String,
}

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

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// The shell whose syntax to print
    #[arg(long, value_enum, default_value = "sh")]
    pub shell: ShellKind,
    /// Print shell code, or a format for tools
    #[arg(long, value_enum, default_value = "shell")]
    pub format: Format,
}

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
pub struct RefreshArgs {
    /// The profile whose cached credentials to renew (default: the one this shell acts as)
    pub profile: Option<String>,
    /// Start the refresh in a new session, detached from the terminal, and return at once (for
    /// shells that cannot background a process cheaply themselves)
    #[arg(long)]
    pub detach: bool,
}

#[derive(Debug, Args)]
pub struct PromptArgs {
    /// What to print: `{profile}`, `{left}` (`42m`, `1h05m`, `expired`, or empty for
    /// credentials that do not expire), `{region}` and `{account}` are replaced
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
    /// The profile (default: the credentials in this shell's environment)
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
    /// Open it in this Firefox container (through the "Open external links in a container"
    /// extension's `ext+container:` links), so that several accounts stay signed in side by side
    #[arg(long, value_name = "NAME")]
    pub container: Option<String>,
    /// How long the console session lasts, in seconds (900 to 43200; not for role-chained sessions)
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(900..=43200))]
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
}

/// Whether this command line is the prompt hook's `use --hook` (a `--hook` before any `--`):
/// whatever else it says, it must print nothing but exports.
pub fn is_hook_use(args: &[std::ffi::OsString]) -> bool {
    let mut words = args.iter().skip(1);
    words.next().is_some_and(|w| w == "use") && words.take_while(|w| *w != "--").any(|w| w == "--hook")
}

/// `use` with the flags the shell hook and most people pass, parsed without clap, which costs a
/// tenth of a prompt refresh in start-up alone. Anything it does not recognise — another
/// subcommand, an unknown flag, `--help`, a value clap would reject — returns `None`, and clap
/// parses the command line (and reports its errors) as usual. A test checks that it agrees with
/// clap on every form it accepts.
pub fn parse_use_fast(args: &[std::ffi::OsString]) -> Option<Command> {
    use clap::ValueEnum;
    let mut words = args.iter().skip(1).map(|a| a.to_str());
    if words.next()?? != "use" {
        return None;
    }
    let mut profile = None;
    let mut output = OutputArgs { shell: ShellKind::Sh, format: Format::Shell };
    let mut resolve = ResolveArgs::default();
    let mut hook = false;
    let mut print = false;
    let mut previous = false;
    let mut seen: Vec<&str> = Vec::new();
    while let Some(word) = words.next() {
        let word = word?;
        if word == "--" {
            // Everything after `--` is the profile name, even `-h` or `--help`: the hook passes
            // the name this way, so that no value of AWSENV_PROFILE reads as a flag.
            if profile.is_some() || previous {
                return None;
            }
            profile = Some(words.next()??.to_owned());
            if words.next().is_some() {
                return None;
            }
            break;
        }
        let (flag, inline) = match word.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
            _ => (word, None),
        };
        if flag.starts_with('-') {
            // A repeated flag is an error for clap; let it say so.
            if seen.contains(&flag) {
                return None;
            }
            seen.push(flag);
        }
        let mut value = || -> Option<&str> {
            match inline {
                Some(v) => Some(v),
                None => words.next()?,
            }
        };
        match flag {
            "--shell" => output.shell = ShellKind::from_str(value()?, false).ok()?,
            "--format" => output.format = Format::from_str(value()?, false).ok()?,
            "--region" => resolve.region = Some(value()?.to_owned()).filter(|v| !v.starts_with('-')),
            "--hook" | "--refresh" | "--no-cache" | "--export-profile" | "--print" if inline.is_none() => match flag {
                "--hook" => hook = true,
                "--print" => print = true,
                "--refresh" => resolve.refresh = true,
                "--no-cache" => resolve.no_cache = true,
                _ => resolve.export_profile = true,
            },
            "-" if profile.is_none() && !previous => previous = true,
            _ if !word.starts_with('-') && profile.is_none() && !previous => profile = Some(word.to_owned()),
            _ => return None,
        }
        if flag == "--region" && resolve.region.is_none() {
            return None;
        }
    }
    Some(Command::Use(UseArgs { profile, output, resolve, hook, print, previous }))
}

/// clap reads `use -` and `use -- -` alike (a profile named `-`); the first means "the previous
/// profile", as `cd -` does.
pub fn dash_means_previous(command: Command, args: &[std::ffi::OsString]) -> Command {
    match command {
        Command::Use(mut use_args) if use_args.profile.as_deref() == Some("-") => {
            let before_double_dash = args.iter().skip(2).take_while(|a| *a != "--").any(|a| a == "-");
            if before_double_dash {
                use_args.profile = None;
                use_args.previous = true;
            }
            Command::Use(use_args)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// Every `use` command line built from these pieces: where the fast path accepts one, clap
    /// must parse it to the same command; where clap refuses one, the fast path must too.
    #[test]
    fn the_fast_path_agrees_with_clap() {
        let pieces: &[&[&str]] = &[
            &[],
            &["prod"],
            &["prod", "dev"],
            &["--shell", "fish"],
            &["--shell=zsh"],
            &["--shell", "cmd"],
            &["--shell"],
            &["--format", "json"],
            &["--format=dotenv"],
            &["--region", "eu-west-1"],
            &["--region="],
            &["--region", "--hook"],
            &["--region"],
            &["--hook"],
            &["--refresh"],
            &["--no-cache"],
            &["--export-profile"],
            &["--print"],
            &["--hook=1"],
            &["--mfa-code", "123456"],
            &["--bogus"],
            &["-h"],
            &["--help"],
            &["--"],
            &["--", "-h"],
            &["--", "--help"],
            &["--", "prod"],
            &["-"],
            &["--shell", "pwsh"],
        ];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in [&[][..], &["--hook"][..], &["--shell", "nu"][..]] {
                    let mut argv: Vec<std::ffi::OsString> = vec!["awsenv".into(), "use".into()];
                    argv.extend(a.iter().chain(b.iter()).chain(c.iter()).map(Into::into));
                    let clap =
                        Cli::try_parse_from(&argv).map(|cli| format!("{:?}", dash_means_previous(cli.command, &argv)));
                    if let Some(fast) = parse_use_fast(&argv) {
                        assert_eq!(Ok(format!("{fast:?}")), clap.map_err(|e| e.to_string()), "{argv:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked >= 300, "the fast path took only {checked} command lines");
        let hook_form: Vec<std::ffi::OsString> =
            ["awsenv", "use", "prod", "--shell", "zsh", "--hook"].map(Into::into).to_vec();
        assert!(parse_use_fast(&hook_form).is_some(), "the shell hook's own command line must take the fast path");
        let named_like_a_flag: Vec<std::ffi::OsString> =
            ["awsenv", "use", "--shell", "zsh", "--hook", "--", "--help"].map(Into::into).to_vec();
        match parse_use_fast(&named_like_a_flag) {
            Some(Command::Use(args)) => assert_eq!(args.profile.as_deref(), Some("--help")),
            other => panic!("the hook's form with `--` must take the fast path: {other:?}"),
        }
        assert!(parse_use_fast(&["awsenv".into(), "list".into()]).is_none());
    }
}
