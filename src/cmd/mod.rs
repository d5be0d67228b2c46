//! One file per subcommand. Each returns the text for stdout, so nothing is printed unless the
//! whole command succeeded.

mod console;
mod credential_process;
mod exec;
mod explain;
mod init;
mod list;
mod login;
mod refresh;
mod unset;
mod use_profile;
mod whoami;

use crate::cli::Command;
use crate::config::{self, ConfigFiles, FileTexts, ParseError};
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
            let kind = match args.what.as_str() {
                "profiles" => config::SectionKind::Profile,
                "sso-sessions" => config::SectionKind::SsoSession,
                other => return Err(Error::usage(format!("cannot complete {}", crate::error::quoted(other)))),
            };
            Ok(crate::complete::names(env, kind, &args.prefix).into_iter().map(|n| n + "\n").collect())
        }
        Command::Unset(args) => unset::run(&args, env),
        Command::List(args) => list::run(&args, env),
        Command::Explain(args) => explain::run(&args, env),
    }
}

/// Parse both files; a syntax error cites file:line and says what the SDKs expected there.
fn parse<'t>(texts: &'t FileTexts, env: &Env) -> Result<ConfigFiles<'t>, Error> {
    config::parse(texts).map_err(|e: ParseError| {
        let path = match e.file {
            config::FileKind::Config => &texts.config_path,
            config::FileKind::Credentials => &texts.credentials_path,
        };
        Error::files(format!("{}:{}: {}", config::display_path(path, env), e.line, e.message))
            .hint("fix that line; the AWS CLI and SDKs reject the file too")
    })
}

/// The profile a command names, or the default one.
fn profile_name<'a>(given: Option<&'a str>, env: &'a Env) -> Result<&'a str, Error> {
    match given {
        Some("") => Err(Error::usage("the profile name is empty")),
        Some(name) => Ok(name),
        None => Ok(config::locate::selected_profile(env)),
    }
}
