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
    Ok(pick_on((read, write), "AWS profile", &profiles, start)?.map(|i| profiles[i].clone()))
}

/// Ask which of `items` (by its index); `Ok(None)` when the person cancels, a usage error when
/// there is no terminal to ask on.
pub fn pick(prompt: &str, items: &[String], start: usize) -> Result<Option<usize>, Error> {
    let terminal = terminal().ok_or_else(|| Error::usage(format!("choosing {prompt} needs a terminal")))?;
    pick_on(terminal, prompt, items, start)
}

fn pick_on((read, write): (File, File), prompt: &str, items: &[String], start: usize) -> Result<Option<usize>, Error> {
    let term = dialoguer::console::Term::read_write_pair(read, write);
    // Ctrl-C: the picker's terminal library raises SIGINT, which would end awsenv with the list
    // still drawn and the cursor hidden. Caught here, it ends the picker like Esc: everything
    // below the position saved before it started is cleared, and the cursor comes back.
    let _ = term.write_str("\x1b7");
    // Items may come from a portal or a file: what the terminal draws is only their printable
    // text, never an escape sequence it would obey.
    let shown: Vec<std::borrow::Cow<'_, str>> = items.iter().map(|item| crate::text::printable(item)).collect();
    let previous = catch_interrupt();
    let chosen = dialoguer::FuzzySelect::new()
        .with_prompt(crate::text::printable(prompt))
        .items(&shown)
        .default(start.min(items.len().saturating_sub(1)))
        .max_length(15)
        .interact_on_opt(&term);
    restore_interrupt(previous);
    match chosen {
        Ok(chosen) => Ok(chosen),
        Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
            let _ = term.write_str("\x1b8\x1b[J\x1b[?25h");
            Ok(None)
        }
        Err(e) => Err(Error::usage(format!("the picker failed: {e}"))),
    }
}

extern "C" fn ignore_interrupt(_: libc::c_int) {}

fn catch_interrupt() -> libc::sighandler_t {
    // SAFETY: installs a handler that does nothing, which is async-signal-safe.
    unsafe { libc::signal(libc::SIGINT, ignore_interrupt as *const () as libc::sighandler_t) }
}

fn restore_interrupt(previous: libc::sighandler_t) {
    // SAFETY: puts back the disposition `catch_interrupt` replaced.
    unsafe { libc::signal(libc::SIGINT, previous) };
}
