//! One file per subcommand. Each returns the text for stdout, so nothing is printed unless the
//! whole command succeeded.

mod clear;
mod console;
mod credential_process;
mod doctor;
mod exec;
mod explain;
mod init;
mod keys;
mod lint;
mod list;
mod login;
mod refresh;
mod serve;
mod sso;
mod unset;
pub(crate) mod use_profile;
mod whoami;
mod write_credentials;

use crate::cli::Command;
use crate::config;
use crate::env::Env;
use crate::error::Error;

pub fn run(command: Command, env: &Env) -> Result<String, Error> {
    match command {
        Command::Use(args) => use_profile::run(&args, env),
        Command::Exec(args) => exec::run(&args, env),
        Command::Whoami(args) => whoami::run(&args, env),
        Command::Login(args) => login::login(&args, env),
        Command::Logout(args) => login::logout(&args, env),
        Command::CredentialProcess(args) => credential_process::run(&args, env),
        Command::Console(args) => console::run(&args, env),
        Command::Init(args) => init::run(&args),
        Command::Refresh(args) => refresh::run(&args, env),
        Command::Prompt(args) => Ok(crate::prompt::from_env(env, &args.format).map(|s| s + "\n").unwrap_or_default()),
        Command::Complete(args) => {
            let lines = match args.what.as_str() {
                "profiles" => crate::complete::names(env, config::SectionKind::Profile, &args.prefix),
                "sso-sessions" => crate::complete::names(env, config::SectionKind::SsoSession, &args.prefix),
                // Profile names with their kind and region, tab-separated, for the shells that
                // show descriptions and match substrings themselves (fish, zsh).
                "described-profiles" => crate::complete::described_profiles(env, &args.prefix),
                what => match what.strip_prefix("options-") {
                    Some(subcommand) => crate::complete::options(subcommand, &args.prefix),
                    None => return Err(Error::usage(format!("cannot complete {}", crate::error::quoted(what)))),
                },
            };
            let mut out = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
            for line in lines {
                out.push_str(&line);
                out.push('\n');
            }
            Ok(out)
        }
        Command::Unset(args) => unset::run(&args, env),
        Command::Clear(args) => clear::run(&args, env),
        Command::WriteCredentials(args) => write_credentials::run(&args, env),
        Command::List(args) => list::run(&args, env),
        Command::Explain(args) => explain::run(&args, env),
        Command::Lint(args) => lint::run(&args, env),
        Command::Doctor(args) => doctor::run(&args, env),
        Command::Serve(args) => serve::run(&args, env),
        Command::Sso(args) => sso::run(&args, env),
        Command::Keys(args) => keys::run(&args, env),
    }
}

/// Credentials printed to a terminal change nothing and put the secret key on the screen (and in
/// its scrollback): refuse, and say how to apply `command` in the shell that ran awsenv.
fn secrets_stay_off_the_terminal(command: &str, format: crate::shell::Format) -> Result<(), Error> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return Ok(());
    }
    let how = match format {
        crate::shell::Format::Shell => match parent_shell().as_deref() {
            Some("fish") => format!("awsenv {command} --shell fish | source"),
            Some("elvish") => format!("eval (awsenv {command} --shell elvish | slurp)"),
            Some("pwsh" | "powershell") => format!("awsenv {command} --shell pwsh | Out-String | Invoke-Expression"),
            Some("tcsh" | "csh") => format!("eval \"`awsenv {command} --shell tcsh`\""),
            Some("nu") => "load `awsenv init nu` (see the README), then run the same command".to_owned(),
            _ => format!("eval \"$(awsenv {command})\""),
        },
        _ => format!("awsenv {command} > FILE, or pipe it to the tool that reads it"),
    };
    Err(Error::usage(format!("not printing secret keys to the terminal; to apply them: {how}"))
        .hint("`awsenv init` makes `awsenv use` change the shell directly; --print prints them anyway"))
}

/// The name of the program that started awsenv (the shell the person typed into: not `$SHELL`,
/// which is the login shell).
fn parent_shell() -> Option<String> {
    // SAFETY: getppid has no preconditions and cannot fail.
    let parent = unsafe { libc::getppid() };
    let comm = std::fs::read_to_string(format!("/proc/{parent}/comm")).ok()?;
    Some(comm.trim().trim_start_matches('-').to_owned())
}

/// The profile a command names, else the one this shell acts as; for commands that have no
/// sensible default beyond that.
fn active_profile<'a>(given: Option<&'a str>, env: &'a Env, command: &str) -> Result<&'a str, Error> {
    match given {
        Some(_) => config::locate::named_or_active(given, env),
        None => env.get_nonempty(crate::settings::AWSENV_PROFILE).ok_or_else(|| {
            Error::usage(format!(
                "`awsenv {command}` needs a profile: name one, or run it in a shell after `awsenv use`"
            ))
        }),
    }
}

/// `resolve` with the ad hoc roles (`resolve::adhoc`) on top of `profile` filled in: the chain
/// this shell keeps when `profile` is the one it acts as and the command means it with its chain
/// (no PROFILE named, or the hook's `use --hook` and `refresh`, which name the active profile),
/// then the role `--role-arn` names. A PROFILE a person names starts again from that profile.
pub(crate) fn with_roles(
    profile: &str,
    keep_chain: bool,
    resolve: &crate::cli::ResolveArgs,
    role: &crate::cli::RoleArgs,
    env: &Env,
) -> Result<crate::cli::ResolveArgs, Error> {
    let mut chain = match keep_chain && env.get_nonempty(crate::settings::AWSENV_PROFILE) == Some(profile) {
        true => crate::resolve::adhoc::recorded(env),
        false => Vec::new(),
    };
    chain.extend(role.role()?);
    Ok(crate::cli::ResolveArgs { chain, ..resolve.clone() })
}
