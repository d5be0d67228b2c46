//! `awsenv serve PROFILE`: the credential endpoint (`crate::serve`) for tools started elsewhere,
//! in the foreground or (`--detach`) in the background until the shell that started it ends; and
//! the setup it shares with `exec --server`.

use std::sync::Arc;

use crate::cli::{ListenArgs, ResolveArgs, ServeArgs};
use crate::config::shadow;
use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::{Error, quoted};
use crate::exports::{Served, UseOptions, use_changes};
use crate::resolve::Plan;
use crate::serve::{Endpoint, Source};
use crate::shell::Change;

/// A bound endpoint and what it serves, not yet answering.
pub(crate) struct Prepared {
    pub endpoint: Endpoint,
    pub source: Arc<Source>,
    plan: Plan,
    credentials: Credentials,
    export_profile: bool,
    /// The credentials file without `[default]` that the served process reads, held by this
    /// server (and by its forked child) until it ends.
    credentials_file: Option<(std::path::PathBuf, shadow::Held)>,
}

/// Resolve `profile` once (a person may be asked for an MFA code here, and a typo is reported
/// before anything starts), then listen.
pub(crate) fn prepare(profile: &str, resolve: &ResolveArgs, listen: ListenArgs, env: &Env) -> Result<Prepared, Error> {
    let (plan, credentials) = crate::acquire::resolve(profile, resolve, env)?;
    if credentials.session_token.is_none() || credentials.expiration.is_none() {
        return Err(Error::plan("its credentials are long-term keys, which never expire: there is nothing to renew")
            .hint(format!(
                "run `awsenv exec {}` or `awsenv use` instead; SDKs take such keys from the environment",
                crate::shell::posix_word(profile)
            ))
            .profile(profile));
    }
    let endpoint = Endpoint::bind(listen.bind, listen.port).map_err(|e| e.profile(profile))?;
    let source = Source::new(profile, resolve, env, credentials.clone());
    let credentials_file = shadow::hold_credentials_copy(env).map_err(|e| e.profile(profile))?;
    Ok(Prepared { endpoint, source, plan, credentials, export_profile: resolve.export_profile, credentials_file })
}

impl Prepared {
    /// The changes that make a process take its credentials from the endpoint: `use`'s, with
    /// the endpoint instead of keys, and a credentials file without `[default]` when the user's
    /// has one (an SDK reads it before asking the endpoint).
    pub fn changes(&self, server_pid: Option<u32>, env: &Env) -> Result<Vec<Change>, Error> {
        let profile = &self.plan.profile;
        let credentials_file = self.credentials_file.as_ref().map(|(p, _)| p.to_string_lossy().into_owned());
        let served =
            Served { url: self.endpoint.url(), token: self.endpoint.token().to_owned(), credentials_file, server_pid };
        let options = UseOptions {
            export_profile: self.export_profile,
            config_file: Some(served_config_copy(profile, env)?),
            served: Some(served),
        };
        Ok(use_changes(&self.plan, &self.credentials, &options, env))
    }

    /// Answer requests and renew ahead, each in a thread of its own, for as long as this
    /// process lives. What it returns is called as the server ends: it lets go of the
    /// credentials copy and removes it when no other server holds it.
    pub fn start(self, env: &Env) -> impl FnOnce() + use<> {
        let renewer = self.source.clone();
        std::thread::spawn(move || renewer.renew_ahead());
        let (endpoint, source) = (self.endpoint, self.source);
        std::thread::spawn(move || endpoint.serve(source));
        let held = self.credentials_file.map(|(_, held)| held);
        let env = env.clone();
        move || {
            shadow::remove_unheld_credentials_copies(&env, held);
        }
    }

    /// `start`, then wait for the end of the process: Ctrl-C, SIGTERM or SIGHUP end it here
    /// (after the copy is let go of), or `exit` from another thread.
    pub fn serve(self, env: &Env) -> ! {
        let ending = block_ending_signals();
        let finish = self.start(env);
        let mut signal: libc::c_int = 0;
        // SAFETY: a valid signal set and out-parameter; the signals are blocked in every thread
        // (they were blocked before any was started), so sigwait takes them here.
        while unsafe { libc::sigwait(&ending, &mut signal) } != 0 {}
        finish();
        std::process::exit(128 + signal)
    }
}

pub fn run(args: &ServeArgs, env: &Env) -> Result<String, Error> {
    if args.stop {
        return stop(args, env);
    }
    let profile = super::active_profile(args.profile.as_deref(), env, "serve")?;
    let resolve = super::with_roles(profile, args.profile.is_none(), &args.resolve, &args.resolve.role, env)?;
    let prepared = prepare(profile, &resolve, args.listen, env)?;
    if !args.print {
        let what = format!("serve {} --detach", crate::shell::posix_word(profile));
        super::secrets_stay_off_the_terminal(&what, args.output.format)?;
    }
    let render = |changes: &[Change]| {
        crate::shell::render(changes, args.output.shell, args.output.format).map_err(|e| e.profile(profile))
    };
    if !args.detach {
        let text = render(&prepared.changes(None, env)?)?;
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
        drop(stdout);
        eprintln!("awsenv: serving profile {} at {} until interrupted", quoted(profile), prepared.endpoint.url());
        prepared.serve(env);
    }
    // The shell the server lives for: found before the fork, while awsenv is still its child.
    // SAFETY: getppid has no preconditions.
    let shell = crate::procs::shell().unwrap_or_else(|| unsafe { libc::getppid() } as u32);
    let shell_started = crate::procs::start_time(shell);
    if shell_started.is_none() {
        // Without /proc (some hardened or non-Linux systems) the server could not tell when its
        // shell ends: refused, rather than a server that lives for ever or dies at once.
        return Err(Error::plan(
            "`serve --detach` watches the shell it lives for through /proc, which cannot be read here",
        )
        .hint("run `awsenv exec --server PROFILE -- COMMAND`, or `awsenv serve` in the foreground")
        .profile(profile));
    }
    // SAFETY: no thread has been started yet, so the child is a whole copy of this process.
    match unsafe { libc::fork() } {
        -1 => {
            Err(Error::fetch(format!("cannot start the server: {}", std::io::Error::last_os_error())).profile(profile))
        }
        0 => detached(prepared, shell, shell_started, env),
        pid => render(&prepared.changes(Some(pid as u32), env)?),
    }
}

/// The detached server: its own session, no terminal input or output (its stdout would keep the
/// shell's `$(...)` waiting); it ends when the shell does, or at `serve --stop`.
fn detached(prepared: Prepared, shell: u32, shell_started: Option<u64>, env: &Env) -> ! {
    crate::aws::helper::forget_session();
    // Before any thread starts, so that every thread has them blocked and `serve` takes them.
    block_ending_signals();
    // SAFETY: plain system calls on our own process and descriptors.
    unsafe {
        libc::setsid();
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if null >= 0 {
            libc::dup2(null, 0);
            libc::dup2(null, 1);
            // A terminal shows what the server has to say; a pipe would keep its reader waiting.
            if libc::isatty(2) == 0 {
                libc::dup2(null, 2);
            }
        }
    }
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(2));
            if crate::procs::start_time(shell) != shell_started || shell_started.is_none() {
                // Ended the way `serve --stop` ends it, so that `serve` lets go of its copy of
                // the credentials file first (and removes it when no other server holds it).
                // SAFETY: signalling this very process; SIGTERM is blocked in every thread and
                // taken by `serve`'s sigwait.
                unsafe { libc::kill(libc::getpid(), libc::SIGTERM) };
                return;
            }
        }
    });
    prepared.serve(env)
}

/// The config copy for a served process, whatever `AWSENV_CONFIG_COPY` says (that setting is
/// about a shell's SDKs reading `[default]`'s settings): without it, an SDK would take
/// `[default]`'s credentials from the user's file before it ever asked the endpoint. No copy, no
/// server.
fn served_config_copy(profile: &str, env: &Env) -> Result<String, Error> {
    let shadow = shadow::ensure(env, profile).map_err(|e| {
        e.context("a served process needs awsenv's copy of the config (without [default]'s credentials)")
            .profile(profile)
    })?;
    if let Some(notice) = shadow.notice {
        eprintln!("awsenv: warning: {notice}");
    }
    Ok(shadow.path.to_string_lossy().into_owned())
}

/// SIGINT, SIGTERM and SIGHUP blocked in this thread and every thread started after: they are
/// taken by `sigwait` in `serve`, so that the server ends through its own clean-up.
fn block_ending_signals() -> libc::sigset_t {
    // SAFETY: a zeroed sigset_t is initialised by sigemptyset before use.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, signal);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        set
    }
}

/// `serve --stop`: end this shell's detached server (only if it is one of ours) and print what
/// `unset` prints, so the shell is as it was before.
fn stop(args: &ServeArgs, env: &Env) -> Result<String, Error> {
    // `PID:START`: the pid and when that process started, so a pid since reused by another
    // process is never signalled.
    let (pid, started) = env
        .get_nonempty(crate::settings::AWSENV_SERVER)
        .and_then(|value| {
            let (pid, started) = value.split_once(':').map_or((value, None), |(p, s)| (p, Some(s)));
            Some((pid.parse::<u32>().ok()?, started.and_then(|s| s.parse::<u64>().ok())))
        })
        .ok_or_else(|| Error::usage("this shell has no server to stop (no AWSENV_SERVER)"))?;
    let same_process = started.is_none_or(|started| crate::procs::start_time(pid) == Some(started));
    if same_process && crate::procs::is_this_program(pid) {
        // SAFETY: signalling a process we have just checked is ours.
        unsafe { libc::kill(pid as i32, libc::SIGTERM) };
        // It lets go of its credentials copy as it ends; wait a little for that.
        let until = std::time::Instant::now() + std::time::Duration::from_secs(3);
        while crate::procs::start_time(pid).is_some() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    } else {
        eprintln!("awsenv: the server (pid {pid}) had already ended");
    }
    shadow::remove_unheld_credentials_copies(env, None);
    let mut changes = back_to_previous(env).unwrap_or_else(|| crate::exports::unset_changes(env));
    changes.push(Change::Unset(crate::settings::AWSENV_SERVER.to_owned()));
    crate::shell::render(&changes, args.output.shell, args.output.format)
}

/// The shell as it was before `serve`: the profile it acted as (`previous::Previous`), resolved
/// again (renewed if need be; on a terminal a code may be asked for, as `use` would). `None`
/// when it had none, or when that profile cannot be had now: then the shell is left with no
/// profile, and one warning says what to run.
fn back_to_previous(env: &Env) -> Option<Vec<Change>> {
    let previous = crate::previous::Previous::from_env(env)?;
    let resolve = ResolveArgs { chain: previous.roles.clone(), ..ResolveArgs::default() };
    match super::use_profile::changes(&previous.profile, &resolve, false, env) {
        Ok(changes) => Some(changes),
        Err(e) => {
            eprintln!(
                "awsenv: warning: the shell had profile {} before `serve`, and it cannot be had now ({e}); the shell has no profile: run `awsenv use {}`",
                quoted(&previous.profile),
                crate::shell::posix_word(&previous.profile)
            );
            None
        }
    }
}
