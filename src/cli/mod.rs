//! The command line, as clap definitions: the commands here, their arguments by group beside
//! (`common` for the flags several share, `keys`, `sso`, `commands` for the rest), and the fast
//! path that parses a warm `use` without clap. Each subcommand's work lives in `cmd/`.

mod commands;
mod common;
mod keys;
mod sso;

pub use commands::*;
pub use common::*;
pub use keys::*;
pub use sso::*;

use clap::{Parser, Subcommand};

use crate::shell::{Format, ShellKind};

#[derive(Debug, Parser)]
#[command(
    name = "awsenv",
    version = env!("AWSENV_VERSION"),
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
    /// Forget what awsenv has cached for profiles: role, SSO role and credential_process
    /// credentials (with --mfa the MFA session too; --all: every entry)
    #[command(
        after_help = "Only awsenv's own cache is touched: the AWS CLI's SSO token stays (that         is `awsenv logout`'s), nothing under ~/.aws changes, and nothing is revoked at AWS (the         credentials stay valid until they expire). With `awsenv init`, the shell that ran it renews         at its next prompt; other shells keep what they exported until their usual renewal.

        Example:
  awsenv clear prod
  awsenv clear --all"
    )]
    Clear(ClearArgs),
    /// Write a profile's temporary credentials into your credentials file as a section of its
    /// own, for tools that read only that file (with --watch, kept fresh)
    #[command(
        name = "write-credentials",
        after_help = "The section goes between marker lines that say awsenv wrote it and until when         its keys hold; every other byte of the file is kept, a section of the same name that is not         awsenv's is never overwritten, and the file as it was before the first write is kept once in         FILE.awsenv-write.bak. `--remove NAME` gives the file back as it was. Long-term keys are never         written.\n\nExample:\n  awsenv write-credentials prod --as cdk --watch --detach\n          cdk deploy --profile cdk\n  awsenv write-credentials --remove cdk"
    )]
    WriteCredentials(WriteCredentialsArgs),
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
