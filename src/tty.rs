//! Asking the person at the terminal: on `/dev/tty`, never stdin or stdout (stdout is what the
//! shell evaluates). No controlling terminal (a script, the prompt hook's background, a service)
//! means nobody to ask, and the caller says what to run instead.

use std::io::{BufRead, BufReader, Write};
use std::sync::atomic::{AtomicI32, Ordering};

/// Write `prompt` to the terminal and read one line back (without its line end).
pub fn ask(prompt: &str) -> std::io::Result<String> {
    let mut tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty")?;
    tty.write_all(prompt.as_bytes())?;
    tty.flush()?;
    let mut line = String::new();
    BufReader::new(tty).read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// The terminal settings `ask_secret` changed, for the signal handler that puts them back.
static SECRET_FD: AtomicI32 = AtomicI32::new(-1);
/// A copy the handler can read without a lock (written before the handler is installed).
static mut SAVED_FOR_HANDLER: std::mem::MaybeUninit<libc::termios> = std::mem::MaybeUninit::uninit();

/// Signals that end the process while a secret is typed (Ctrl-C, Ctrl-\, a closed terminal,
/// `kill`): each puts the echo back before the process ends as the signal says.
const ENDING: &[libc::c_int] = &[libc::SIGINT, libc::SIGQUIT, libc::SIGHUP, libc::SIGTERM];

extern "C" fn restore_then_die(signal: libc::c_int) {
    let fd = SECRET_FD.load(Ordering::SeqCst);
    if fd >= 0 {
        // SAFETY: tcsetattr and write are async-signal-safe; the settings were written before
        // this handler was installed and are not changed while it is.
        unsafe {
            let saved = std::ptr::addr_of!(SAVED_FOR_HANDLER).cast::<libc::termios>();
            libc::tcsetattr(fd, libc::TCSANOW, saved);
            libc::write(fd, b"\n".as_ptr().cast(), 1);
        }
    }
    // SAFETY: back to the default action, then the same signal again: the process ends as it
    // would have without awsenv's handler.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// `ask`, with the terminal's echo off: for secrets (the key, a passphrase). Whatever ends the
/// question (Enter, an error, Ctrl-C) the terminal's echo comes back.
pub fn ask_secret(prompt: &str) -> std::io::Result<String> {
    let mut tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty")?;
    use std::os::fd::AsRawFd;
    let fd = tty.as_raw_fd();
    // SAFETY: termios of our own open terminal; a zeroed termios is a valid out-parameter.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    let have_settings = unsafe { libc::tcgetattr(fd, &mut saved) } == 0;
    let mut previous = Vec::new();
    if have_settings {
        // SAFETY: written while no handler that reads it is installed.
        unsafe { std::ptr::addr_of_mut!(SAVED_FOR_HANDLER).write(std::mem::MaybeUninit::new(saved)) };
        SECRET_FD.store(fd, Ordering::SeqCst);
        for &signal in ENDING {
            // SAFETY: installs a handler that only calls async-signal-safe functions.
            previous
                .push((signal, unsafe { libc::signal(signal, restore_then_die as *const () as libc::sighandler_t) }));
        }
    }
    let echo_off = have_settings && {
        let mut quiet = saved;
        quiet.c_lflag &= !(libc::ECHO | libc::ECHONL);
        // SAFETY: settings derived from the terminal's own.
        (unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) }) == 0
    };
    let asked = tty.write_all(prompt.as_bytes()).and_then(|()| tty.flush());
    let mut line = String::new();
    let read = asked.and_then(|()| BufReader::new(&tty).read_line(&mut line));
    if echo_off {
        // SAFETY: restoring the settings read above.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &saved) };
        let _ = tty.write_all(b"\n");
    }
    SECRET_FD.store(-1, Ordering::SeqCst);
    for (signal, handler) in previous {
        // SAFETY: putting back the disposition replaced above.
        unsafe { libc::signal(signal, handler) };
    }
    read?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// A yes-or-no question whose answer is yes unless the person says no. `None`: no terminal.
pub fn confirm(question: &str) -> Option<bool> {
    let answer = ask(&format!("{question} [Y/n] ")).ok()?;
    Some(!matches!(answer.trim().to_ascii_lowercase().as_str(), "n" | "no"))
}
