//! Asking the person at the terminal: on `/dev/tty`, never stdin or stdout (stdout is what the
//! shell evaluates). No controlling terminal (a script, the prompt hook's background, a service)
//! means nobody to ask, and the caller says what to run instead.

use std::io::{BufRead, BufReader, Write};

/// Write `prompt` to the terminal and read one line back (without its line end).
pub fn ask(prompt: &str) -> std::io::Result<String> {
    let mut tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty")?;
    tty.write_all(prompt.as_bytes())?;
    tty.flush()?;
    let mut line = String::new();
    BufReader::new(tty).read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// A yes-or-no question whose answer is yes unless the person says no. `None`: no terminal.
pub fn confirm(question: &str) -> Option<bool> {
    let answer = ask(&format!("{question} [Y/n] ")).ok()?;
    Some(!matches!(answer.trim().to_ascii_lowercase().as_str(), "n" | "no"))
}
