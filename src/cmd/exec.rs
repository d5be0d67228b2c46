//! `awsenv exec PROFILE -- COMMAND...`: replace awsenv with the command, its environment changed
//! exactly as `use` would change the shell's. It is an exec, not a child: the command's exit
//! status and signals are its own, and no awsenv process lingers. Secrets travel in the
//! environment only, never in an argument.
//!
//! With `--server`, awsenv stays as the command's parent and serves its credentials from a
//! loopback endpoint (`crate::serve`) for as long as it runs; the command gets the endpoint's
//! address and token instead of keys.

use std::os::unix::process::CommandExt;
use std::process::Command;

use crate::cli::ExecArgs;
use crate::env::Env;
use crate::error::{Error, io_cause};
use crate::shell::Change;

pub fn run(args: &ExecArgs, env: &Env) -> Result<String, Error> {
    let profile = super::active_profile(args.profile.as_deref(), env, "exec")?;
    let resolve = &super::with_roles(profile, args.profile.is_none(), &args.resolve, &args.resolve.role, env)?;
    let (program, rest) = args.command.split_first().ok_or_else(|| Error::usage("no command to run after --"))?;
    if !args.server && (args.listen.port.is_some() || args.listen.bind.is_some()) {
        return Err(Error::usage("--port and --bind are for --server"));
    }
    let prepared = match args.server {
        true => Some(super::serve::prepare(profile, resolve, args.listen, env)?),
        false => None,
    };
    let changes = match &prepared {
        Some(prepared) => prepared.changes(None, env)?,
        None => super::use_profile::changes(profile, resolve, false, env)?,
    };
    let mut command = Command::new(program);
    command.args(rest);
    for change in &changes {
        match change {
            // What the user had before (`AWSENV_USER_*`, which can hold their own secret key) is
            // the shell's to restore: a child never restores anything, so it gets none of it.
            Change::Set(name, _) | Change::Unset(name) if name.starts_with(crate::settings::USER_PREFIX) => {
                command.env_remove(name)
            }
            Change::Set(name, value) => command.env(name, value),
            Change::Unset(name) => command.env_remove(name),
        };
    }
    for name in env.names_with_prefix(crate::settings::USER_PREFIX) {
        command.env_remove(name);
    }
    if let Some(prepared) = prepared {
        let shown = program.to_string_lossy().into_owned();
        let finish = prepared.start(env);
        return crate::serve::run_and_exit_as(command, &shown, finish)
            .map(|never| match never {})
            .map_err(|e| e.profile(profile));
    }
    // The command takes this process's place: the helper it may have started is waited for
    // first (after the exec nothing would).
    crate::aws::helper::end_session();
    let error = command.exec();
    Err(Error::fetch(format!("cannot run {}: {}", program.to_string_lossy(), io_cause(&error)))
        .hint("check the command name and that it is on PATH")
        .profile(profile))
}
