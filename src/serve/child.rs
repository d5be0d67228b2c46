//! `exec --server`: awsenv stays as the command's parent (it serves the endpoint), so it must
//! behave as if it were not there: signals sent to it reach the command, and it ends the way the
//! command ended, with its exit status or by its signal.

use std::process::Command;
use std::sync::atomic::{AtomicI32, Ordering};

use crate::error::{Error, io_cause};

/// The command's pid, for the signal handler.
static CHILD: AtomicI32 = AtomicI32::new(0);
/// A signal that came before the command's pid was known (its `spawn` returns after the command
/// already runs, and may already have said it is ready): passed on as soon as it is.
static PENDING: AtomicI32 = AtomicI32::new(0);

/// Signals that are passed on. SIGINT and SIGQUIT from the terminal already reach the command
/// (one process group); they are passed on only when sent to awsenv alone (by `kill`).
const FORWARDED: &[libc::c_int] =
    &[libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT, libc::SIGUSR1, libc::SIGUSR2, libc::SIGALRM];

extern "C" fn forward(signal: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    let from_terminal = (signal == libc::SIGINT || signal == libc::SIGQUIT)
        // SAFETY: the kernel passes a valid siginfo_t to an SA_SIGINFO handler.
        && !info.is_null() && unsafe { (*info).si_code } == libc::SI_KERNEL;
    if from_terminal {
        return;
    }
    let child = CHILD.load(Ordering::SeqCst);
    if child > 0 {
        // SAFETY: kill is async-signal-safe.
        unsafe { libc::kill(child, signal) };
        return;
    }
    // Not known yet: leave it for `run_and_exit_as`, unless the pid arrived meanwhile. Whichever
    // side takes it out of PENDING sends it, so it goes exactly once.
    PENDING.store(signal, Ordering::SeqCst);
    let child = CHILD.load(Ordering::SeqCst);
    if child > 0 && PENDING.swap(0, Ordering::SeqCst) != 0 {
        // SAFETY: kill is async-signal-safe.
        unsafe { libc::kill(child, signal) };
    }
}

/// The command's URL names this process's loopback port: were awsenv killed (SIGKILL, the OOM
/// killer) and the command ran on, whoever bound that port next would feed its SDK credentials
/// of their choosing. On Linux the kernel ends the command with its server (PR_SET_PDEATHSIG),
/// and a server that died before that was set up is noticed at once. Elsewhere there is no such
/// mechanism; the README says so.
#[cfg(target_os = "linux")]
fn die_with_this_process(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: getpid has no preconditions.
    let server = unsafe { libc::getpid() };
    // SAFETY: the closure runs in the child between fork and exec and calls only prctl,
    // getppid and _exit, which are async-signal-safe.
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::getppid() != server {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_this_process(_: &mut Command) {}

/// Start `command`, pass signals on while it runs, then end this process as it ended.
/// `finish` runs once the command has ended, before this process does.
pub fn run_and_exit_as(
    mut command: Command,
    shown: &str,
    finish: impl FnOnce(),
) -> Result<std::convert::Infallible, Error> {
    for &signal in FORWARDED {
        // SAFETY: a zeroed sigaction with a valid handler and flags is a valid argument.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = forward as *const () as libc::sighandler_t;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
    die_with_this_process(&mut command);
    let child = command.spawn().map_err(|e| {
        Error::fetch(format!("cannot run {shown}: {}", io_cause(&e)))
            .hint("check the command name and that it is on PATH")
    })?;
    CHILD.store(child.id() as i32, Ordering::SeqCst);
    let early = PENDING.swap(0, Ordering::SeqCst);
    if early != 0 {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, early) };
    }
    let mut status = 0;
    loop {
        // SAFETY: waiting for our own child with a valid status pointer.
        let r = unsafe { libc::waitpid(child.id() as i32, &mut status, 0) };
        if r >= 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break;
        }
    }
    // The server's helper (its renewals) is waited for before this process ends as the command.
    crate::aws::helper::end_session();
    finish();
    if libc::WIFSIGNALED(status) {
        let signal = libc::WTERMSIG(status);
        // The same death as the command's, so the shell reports it the same way.
        // SAFETY: restoring the default action and raising a signal on ourselves.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, signal);
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            libc::raise(signal);
        }
        std::process::exit(128 + signal);
    }
    std::process::exit(if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { 1 })
}
