//! `awsenv write-credentials PROFILE [--as NAME] [--watch [--detach]]` and `--remove NAME`: a
//! profile's temporary credentials as a `[NAME]` section of the user's own credentials file, for
//! the tools that read only that file (CDK with `--profile`, containers with `~/.aws` mounted, IDE
//! plugins, old SDKs). Granted's `--export` and aws-sso-cli's equivalent.
//!
//! The section lives between awsenv's marker lines (`config::written_credentials`), is written
//! through the structure-safe writer under a lock, atomically, and only if the file did not change
//! meanwhile; the file's mode is kept (0600 when new) and a symlink is written through. The backup
//! (`FILE.awsenv-write.bak`) is taken once, before the first write, and holds none of awsenv's
//! blocks. Long-term keys are never written: only credentials that expire.

use std::time::Duration;

use time::OffsetDateTime;

use crate::acquire::{Caller, resolve_ahead};
use crate::cache::Cache;
use crate::cli::WriteCredentialsArgs;
use crate::config::edit::{HeaderStyle, Original, Section, Written, write_keeping};
use crate::config::{self, written_credentials as block};
use crate::credentials::{Credentials, format_rfc3339};
use crate::env::Env;
use crate::error::{Error, quoted};

/// The backup's suffix beside the file: not `keys import`'s `.awsenv.bak`.
const BACKUP: &str = "awsenv-write.bak";
/// How often a renewal that failed is tried again.
const RETRY: Duration = Duration::from_secs(60);

pub fn run(args: &WriteCredentialsArgs, env: &Env) -> Result<String, Error> {
    if let Some(name) = &args.remove {
        remove(name, env)?;
        return Ok(String::new());
    }
    let profile = args.profile.as_deref().ok_or_else(|| Error::usage("name the profile whose credentials to write"))?;
    let name = args.as_name.as_deref().unwrap_or(profile);
    if !config::is_identifier(name) {
        return Err(Error::usage(format!("{} cannot be a section name of the credentials file", quoted(name)))
            .hint("use letters, digits and _-/.%@:+ for --as"));
    }
    let resolve = super::with_roles(profile, false, &args.resolve, &args.resolve.role, env)?;
    // The first write is the person's: a code or a login may be asked for here, once.
    let credentials = resolve_ahead(profile, &resolve, Caller::Person, None, env)?.1;
    let mut expires = write(profile, name, &credentials, env)?;
    if !args.watch {
        return Ok(String::new());
    }
    if args.detach {
        return detach(name, env);
    }
    // Renewed ahead of each expiry through the shared cache; nobody is asked from here on.
    let mut warned = false;
    loop {
        let left = crate::numbers::until(expires, OffsetDateTime::now_utc());
        // A fifth of what is left, at most five minutes, before the end: what the cache renews.
        std::thread::sleep(left.saturating_sub((left / 5).min(Duration::from_secs(300)).max(Duration::from_secs(1))));
        let ahead = crate::numbers::until(expires, OffsetDateTime::now_utc()) + Duration::from_secs(1);
        match resolve_ahead(profile, &resolve, Caller::Background, Some(ahead), env)
            .and_then(|(_, credentials)| write(profile, name, &credentials, env))
        {
            Ok(next) => {
                expires = next;
                warned = false;
            }
            Err(e) => {
                if !warned {
                    eprintln!(
                        "awsenv: could not renew [{name}] ({e}); it is left as it is, and tried again every minute"
                    );
                    warned = true;
                }
                std::thread::sleep(RETRY);
                expires = OffsetDateTime::now_utc() + RETRY;
            }
        }
    }
}

/// Write `credentials` as section `name`; when they expire.
fn write(profile: &str, name: &str, credentials: &Credentials, env: &Env) -> Result<OffsetDateTime, Error> {
    let (Some(token), Some(expiration)) = (&credentials.session_token, credentials.expiration) else {
        return Err(Error::usage(format!(
            "profile {} gives long-term keys, which are never copied: write-credentials writes temporary credentials only",
            quoted(profile)
        ))
        .hint("write a role or an SSO profile on top of it, or add --role-arn"));
    };
    let section = Section::new(HeaderStyle::Bare, name)
        .with("aws_access_key_id", credentials.access_key_id.as_str())
        .with("aws_secret_access_key", credentials.secret_access_key.expose())
        .with("aws_session_token", token.expose());
    let path = config::paths(env).1;
    let _lock = lock(&path, env)?;
    let file = Original::read(path, env)?;
    let existing = block::find(&file.text, name, &file.shown)?;
    if block::has_own_section(&file.text, name, existing.as_ref()) {
        return Err(Error::files(format!(
            "{} already has a [{name}] section of its own; it is not awsenv's to overwrite",
            file.shown
        ))
        .hint("pick another name with --as NAME"));
    }
    let new = block::with_section(&file.text, &section, &format_rfc3339(expiration), &file.shown)?;
    // Before the first write of any block: the file as it was, none of awsenv's keys in it.
    let backup_text = match block::names(&file.text).is_empty() && !file.text.is_empty() {
        true => Some(block::without_any(&file.text, &file.shown)?),
        false => None,
    };
    let backup = backup_text.as_deref().map(|text| (BACKUP, text.as_bytes()));
    match write_keeping(&file.path, &file.bytes, new.as_bytes(), backup, &file.shown)? {
        Written::Replaced { backup } if backup_text.is_some() => eprintln!(
            "awsenv: wrote [{name}] into {} (until {}); the file as it was is kept in {}",
            file.shown,
            format_rfc3339(expiration),
            backup.display()
        ),
        _ => eprintln!("awsenv: wrote [{name}] into {} (until {})", file.shown, format_rfc3339(expiration)),
    }
    Ok(expiration)
}

/// `--remove NAME`: stop a watcher of it, then take the block away.
fn remove(name: &str, env: &Env) -> Result<(), Error> {
    let path = config::paths(env).1;
    stop_watcher(&path, name, env);
    let _lock = lock(&path, env)?;
    let file = Original::read(path, env)?;
    let Some(new) = block::without_section(&file.text, name, &file.shown)? else {
        return Err(Error::usage(format!("{} has no section [{name}] written by awsenv", file.shown))
            .hint("`awsenv write-credentials PROFILE --as NAME` writes one"));
    };
    write_keeping(&file.path, &file.bytes, new.as_bytes(), None, &file.shown)?;
    eprintln!("awsenv: removed [{name}] from {}", file.shown);
    Ok(())
}

/// The lock every write of this file takes (in the cache directory, as the cache's own are).
fn lock(path: &std::path::Path, env: &Env) -> Result<std::fs::File, Error> {
    let cache = Cache::open(env)?;
    cache
        .lock(&format!("write-credentials-{}", Cache::entry_name(&path.display().to_string())), Duration::from_secs(30))
}

/// The file where a detached watcher of `name` keeps its pid.
fn watcher_file(path: &std::path::Path, name: &str) -> String {
    format!("write-credentials-{}.pid", Cache::entry_name(&format!("{}\0{name}", path.display())))
}

/// Start the same command, without `--detach`, detached from the terminal; its pid is recorded
/// for `--remove`.
fn detach(name: &str, env: &Env) -> Result<String, Error> {
    // Only the flag: a `--detach` after `--` would be a profile's name.
    let mut before_names = true;
    let args = std::env::args_os().skip(1).filter(|a| {
        before_names &= a != "--";
        !(before_names && a == "--detach")
    });
    let pid = crate::procs::start_detached(args.collect::<Vec<_>>())
        .map_err(|e| Error::fetch(format!("cannot start the watcher: {e}")))?;
    let path = config::paths(env).1;
    let _ = Cache::open(env)?.write_file(&watcher_file(&path, name), pid.to_string().as_bytes(), None);
    eprintln!(
        "awsenv: [{name}] is renewed in the background (pid {pid}) until `awsenv write-credentials --remove {name}`"
    );
    Ok(String::new())
}

/// End a detached watcher of `name`, if one runs (only if it is this executable of this user).
fn stop_watcher(path: &std::path::Path, name: &str, env: &Env) {
    let Ok(cache) = Cache::open(env) else { return };
    let file = watcher_file(path, name);
    let pid =
        cache.read_file(&file, 32).and_then(|b| String::from_utf8(b).ok()).and_then(|t| t.trim().parse::<i32>().ok());
    if let Some(pid) = pid.filter(|pid| *pid > 1 && crate::procs::is_this_program(*pid as u32)) {
        // SAFETY: kill has no memory preconditions; the pid was checked to be ours just now.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
    cache.remove_file(&file);
}
