//! `awsenv exec PROFILE -- COMMAND...`: replace awsenv with the command, its environment changed
//! exactly as `use` would change the shell's. It is an exec, not a child: the command's exit
//! status and signals are its own, and no awsenv process lingers. Secrets travel in the
//! environment only, never in an argument.

use std::os::unix::process::CommandExt;
use std::process::Command;

use crate::cli::ExecArgs;
use crate::env::Env;
use crate::error::{Error, io_cause};
use crate::shell::Change;

pub fn run(args: &ExecArgs, env: &Env) -> Result<String, Error> {
    let profile = super::active_profile(args.profile.as_deref(), env, "exec")?;
    let changes = super::use_profile::changes(profile, &args.resolve, false, env)?;
    let (program, rest) = args.command.split_first().ok_or_else(|| Error::usage("no command to run after --"))?;
    let mut command = Command::new(program);
    command.args(rest);
    for change in &changes {
        match change {
            Change::Set(name, value) => command.env(name, value),
            Change::Unset(name) => command.env_remove(name),
        };
    }
    let error = command.exec();
    Err(Error::fetch(format!("cannot run {}: {}", program.to_string_lossy(), io_cause(&error)))
        .hint("check the command name and that it is on PATH")
        .profile(profile))
}
