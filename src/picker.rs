//! The fuzzy profile picker behind a bare `awsenv use`. It talks to the terminal through
//! `/dev/tty`, never stdout: stdout is what the shell is about to eval.

use std::fs::{File, OpenOptions};
use std::io::IsTerminal;

use crate::config::SectionKind;
use crate::env::Env;
use crate::error::Error;

/// The terminal to pick on: `/dev/tty`, but only when a person is plainly there (stderr is a
/// terminal), so that scripts and hooks get a usage error instead of a hidden prompt.
fn terminal() -> Option<(File, File)> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let read = OpenOptions::new().read(true).open("/dev/tty").ok()?;
    let write = OpenOptions::new().write(true).open("/dev/tty").ok()?;
    Some((read, write))
}

/// Ask which profile to use. `Ok(None)` when the person cancels with Esc or `q`.
pub fn pick_profile(env: &Env) -> Result<Option<String>, Error> {
    let Some((read, write)) = terminal() else {
        return Err(Error::usage("`awsenv use` needs a profile name").hint(
            "name one (`awsenv use PROFILE`; `awsenv list` shows them); without one, a picker opens only on a terminal",
        ));
    };
    let profiles = crate::complete::names(env, SectionKind::Profile, "");
    if profiles.is_empty() {
        let (config, credentials) = crate::config::paths(env);
        return Err(Error::files(format!(
            "no profiles in {} or {}",
            crate::config::display_path(&config, env),
            crate::config::display_path(&credentials, env)
        ))
        .hint("add one with `aws configure --profile NAME`"));
    }
    let active = env.get_nonempty("AWSENV_PROFILE").or_else(|| env.get_nonempty("AWS_PROFILE"));
    let start = active.and_then(|a| profiles.iter().position(|p| p == a)).unwrap_or(0);
    let term = dialoguer::console::Term::read_write_pair(read, write);
    let chosen = dialoguer::FuzzySelect::new()
        .with_prompt("AWS profile")
        .items(&profiles)
        .default(start)
        .max_length(15)
        .interact_on_opt(&term)
        .map_err(|e| Error::usage(format!("the profile picker failed: {e}")))?;
    Ok(chosen.map(|i| profiles[i].clone()))
}
