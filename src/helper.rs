//! The helper protocol: how `awsenv` finds, starts, talks to and waits for the executables
//! installed beside it (`awsenv-fetch`, the network half; `awsenv-keys`, the key store). A
//! request goes as JSON on the helper's stdin and the answer comes back as JSON on its stdout
//! (secrets cross only the pipes, never argv); its stderr is the user's. Every exchange has a
//! deadline and every helper started is waited for. Below both the network half (`aws::helper`,
//! which keeps one `awsenv-fetch` per process) and the key store (`keys`).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde::Serialize;

use crate::error::{Error, io_cause};

/// The largest answer read from the helper: above the largest portal listing it will send
/// (whose pages it bounds in total), so a broken or foreign helper cannot grow awsenv without end.
pub(crate) const MAX_ANSWER: u64 = 128 * 1024 * 1024;

/// The helper executable `name` beside this one, unless `variable` names another (packagers).
pub fn sibling(name: &str, variable: &str) -> Result<PathBuf, Error> {
    if let Some(path) = std::env::var_os(variable).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let exe =
        std::env::current_exe().map_err(|e| Error::fetch(format!("cannot locate awsenv itself: {}", io_cause(&e))))?;
    Ok(exe.with_file_name(name))
}

/// Start the helper `name` at `path` with piped stdin and stdout (its stderr is the user's).
pub(crate) fn spawn(path: &std::path::Path, name: &str, variable: &str) -> Result<Child, Error> {
    Command::new(path).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().map_err(|e| {
        Error::fetch(format!("cannot start {}: {}", path.display(), io_cause(&e))).hint(format!(
            "{name} is installed beside awsenv by `cargo install --path .`; reinstall, or set {variable}"
        ))
    })
}

/// One request to a helper executable (`name`, at `path`, `variable` overriding where it is):
/// JSON on its stdin, JSON back on its stdout; its stderr is the user's. Secrets cross only the
/// pipes, never argv. The helper must have answered by `deadline`: past it, it is killed (a
/// slow keyring, a prompt nobody will answer) and the call fails; either way it is waited for,
/// so no helper is left behind as a zombie.
pub fn exchange<A: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    name: &str,
    variable: &str,
    request: &impl Serialize,
    deadline: std::time::Instant,
) -> Result<A, Error> {
    let mut child = spawn(path, name, variable)?;
    let body = serde_json::to_vec(request).expect("requests serialise");
    let mut input = child.stdin.take().expect("stdin is piped");
    let mut output = child.stdout.take().expect("stdout is piped");
    // The answer is read on a thread of its own, so that this one can keep the deadline.
    let (sender, received) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let written = input.write_all(&body);
        drop(input);
        let mut answer = Vec::new();
        let read = (&mut output).take(MAX_ANSWER).read_to_end(&mut answer);
        let _ = sender.send((written, read, answer));
    });
    let left = deadline.saturating_duration_since(std::time::Instant::now());
    let outcome = received.recv_timeout(left);
    if outcome.is_err() {
        let _ = child.kill();
    }
    let status = child.wait().map_err(|e| Error::fetch(format!("{name} failed: {}", io_cause(&e))));
    let _ = reader.join();
    let Ok((written, read, answer)) = outcome else {
        return Err(Error::fetch(format!("{name} did not answer in time; it was stopped"))
            .hint("a key store that waits (a locked keyring, a passphrase) is not asked at the prompt: run the command at a terminal"));
    };
    let status = status?;
    written.map_err(|e| Error::fetch(format!("cannot talk to {name}: {}", io_cause(&e))))?;
    read.map_err(|e| Error::fetch(format!("cannot read {name}'s answer: {}", io_cause(&e))))?;
    serde_json::from_slice(&answer).map_err(|_| {
        Error::fetch(format!("{name} ended without an answer ({status})"))
            .hint("reinstall awsenv; its executables must be of one version")
    })
}
