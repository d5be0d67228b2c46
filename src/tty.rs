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

/// `ask`, with the terminal's echo off: for secrets (the key, a passphrase).
pub fn ask_secret(prompt: &str) -> std::io::Result<String> {
    let mut tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty")?;
    use std::os::fd::AsRawFd;
    let fd = tty.as_raw_fd();
    // SAFETY: termios of our own open terminal; a zeroed termios is a valid out-parameter.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    let echo_off = unsafe { libc::tcgetattr(fd, &mut saved) } == 0 && {
        let mut quiet = saved;
        quiet.c_lflag &= !(libc::ECHO | libc::ECHONL);
        (unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) }) == 0
    };
    tty.write_all(prompt.as_bytes())?;
    tty.flush()?;
    let mut line = String::new();
    let read = BufReader::new(&tty).read_line(&mut line);
    if echo_off {
        // SAFETY: restoring the settings read above.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &saved) };
        let _ = tty.write_all(b"\n");
    }
    read?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// A yes-or-no question whose answer is yes unless the person says no. `None`: no terminal.
pub fn confirm(question: &str) -> Option<bool> {
    let answer = ask(&format!("{question} [Y/n] ")).ok()?;
    Some(!matches!(answer.trim().to_ascii_lowercase().as_str(), "n" | "no"))
}
