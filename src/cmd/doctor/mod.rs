//! `awsenv doctor`: the whole setup on this machine, one line a check (ok / warn / fail) with
//! the fix. Shells and the helper are in `shells`; files, cache, SSO logins, the clock and the
//! lint findings here. Nothing is changed: doctor only looks.

mod shells;

use std::io::IsTerminal;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::time::{Duration, SystemTime};

use time::OffsetDateTime;

use crate::cache::Cache;
use crate::cli::DoctorArgs;
use crate::config::{self, SectionKind};
use crate::env::Env;
use crate::error::Error;
use crate::lint::Severity;
use crate::sso::token::{Login, TokenFile, TokenState, token_state};

mod check;
pub use check::{Check, Status};

/// Bumped only when a field changes meaning or goes away (fields may be added).
const JSON_VERSION: u32 = 1;
/// A client registration this close to its end is worth a warning: the next login re-registers.
const REGISTRATION_NOTICE: Duration = Duration::from_secs(7 * 24 * 3600);
/// SigV4 requests are refused beyond five minutes of skew; warn well before.
const SKEW_WARN: i64 = 60;
const SKEW_FAIL: i64 = 300;

pub fn run(args: &DoctorArgs, env: &Env) -> Result<String, Error> {
    let mut checks = Vec::new();
    shells::hook(env, &mut checks);
    shells::start_up_files(env, &mut checks);
    shells::helper(&mut checks);
    files(env, &mut checks);
    cache(env, &mut checks);
    match config::read(env) {
        Err(e) => checks.push(Check::fail("files", e.message, e.hint.unwrap_or_default())),
        Ok(texts) => match crate::config::parse_cited(&texts, env) {
            Err(e) => checks.push(Check::fail("lint", e.message, e.hint.unwrap_or_default())),
            Ok(parsed) => {
                sso_logins(&parsed, env, &mut checks);
                lint(&texts, &parsed, env, &mut checks);
                if args.online {
                    checks.push(clock(&parsed, env));
                }
            }
        },
    }
    let out = if args.json { json(&checks) } else { text(&checks, env) };
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    if failed == 0 {
        return Ok(out);
    }
    // The report is the output even when it fails the run.
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush());
    Err(Error::files(format!("{failed} check{} failed", if failed == 1 { "" } else { "s" }))
        .hint("each `fail` line above says what to do"))
}

fn json(checks: &[Check]) -> String {
    let count = |s: Status| checks.iter().filter(|c| c.status == s).count();
    let value = serde_json::json!({
        "version": JSON_VERSION,
        "checks": checks,
        "summary": {"ok": count(Status::Ok), "warn": count(Status::Warn), "fail": count(Status::Fail)},
    });
    format!("{value}\n")
}

fn text(checks: &[Check], env: &Env) -> String {
    let colour = std::io::stdout().is_terminal() && env.get("NO_COLOR").is_none_or(str::is_empty);
    let mut out = String::new();
    for check in checks {
        let (word, paint) = match check.status {
            Status::Ok => ("ok  ", "\x1b[32m"),
            Status::Warn => ("warn", "\x1b[33m"),
            Status::Fail => ("fail", "\x1b[31m"),
        };
        let word = if colour { format!("{paint}{word}\x1b[0m") } else { word.to_owned() };
        let clean = |s: &str| s.replace(char::is_control, " ");
        out.push_str(&format!("{word} {}: {}\n", check.area, clean(&check.message)));
        if let Some(fix) = &check.fix {
            out.push_str(&format!("     fix: {}\n", clean(fix)));
        }
    }
    out
}

/// Which files are read, what chose them, and whether they can be read.
fn files(env: &Env, checks: &mut Vec<Check>) {
    let (config_path, credentials_path) = config::paths(env);
    let copy_note = match (env.get_nonempty("AWS_CONFIG_FILE"), env.user_var("AWS_CONFIG_FILE")) {
        (Some(now), user) if user != Some(now) => {
            "; this shell's AWS_CONFIG_FILE is awsenv's copy for the profile it acts as"
        }
        _ => "",
    };
    let config_from = if env.user_var("AWS_CONFIG_FILE").is_some() { "AWS_CONFIG_FILE" } else { "the default" };
    let credentials_from = if env.user_var("AWS_SHARED_CREDENTIALS_FILE").is_some() {
        "AWS_SHARED_CREDENTIALS_FILE"
    } else {
        "the default"
    };
    let mut found = 0;
    for (name, path, chosen_by, note) in
        [("config", &config_path, config_from, copy_note), ("credentials", &credentials_path, credentials_from, "")]
    {
        let shown = config::display_path(path, env);
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if chosen_by != "the default" {
                    checks.push(Check::warn(
                        "files",
                        format!("{name} file {shown} (from {chosen_by}) does not exist"),
                        format!("create it, or unset {chosen_by}"),
                    ));
                } else {
                    checks.push(Check::ok("files", format!("{name} file {shown}: none")));
                }
            }
            Err(e) => checks.push(Check::fail(
                "files",
                format!("{name} file {shown}: {}", crate::error::io_cause(&e)),
                "check the path and its directories' permissions",
            )),
            Ok(meta) if !meta.is_file() => checks.push(Check::fail(
                "files",
                format!("{name} file {shown} is not a regular file"),
                format!("point {chosen_by} at a file"),
            )),
            Ok(meta) => match std::fs::File::open(path) {
                Err(e) => checks.push(Check::fail(
                    "files",
                    format!("{name} file {shown} cannot be read: {}", crate::error::io_cause(&e)),
                    format!("chmod u+r {shown}"),
                )),
                Ok(_) => {
                    found += 1;
                    let mode = meta.permissions().mode() & 0o7777;
                    checks.push(Check::ok(
                        "files",
                        format!("{name} file {shown} (from {chosen_by}, mode {mode:04o}){note}"),
                    ));
                }
            },
        }
    }
    if found == 0 {
        checks.push(Check::warn(
            "files",
            "neither file exists: there are no profiles",
            "run `aws configure` (or `aws configure sso`), or set AWS_CONFIG_FILE",
        ));
    }
}

/// The cache directory: where it is, whose it is, and what crashed writers left in it.
fn cache(env: &Env, checks: &mut Vec<Check>) {
    let Some(dir) = Cache::dir_for(env) else {
        checks.push(Check::fail("cache", "no place for the cache: HOME is not set", "set HOME or AWSENV_CACHE_DIR"));
        return;
    };
    let shown = config::display_path(&dir, env);
    let meta = match std::fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            checks.push(Check::ok("cache", format!("{shown}: not made yet (awsenv makes it 0700 at first use)")));
            return;
        }
        Err(e) => {
            let fix = "check its parent directory's permissions";
            checks.push(Check::fail("cache", format!("{shown}: {}", crate::error::io_cause(&e)), fix));
            return;
        }
        Ok(meta) => meta,
    };
    let me = unsafe { libc::geteuid() };
    let remove = format!("remove it (it holds only temporary credentials, made again on use): rm -r {shown}");
    if meta.file_type().is_symlink() {
        let message = format!("{shown} is a symlink, which awsenv refuses (it could point anywhere)");
        checks.push(Check::fail("cache", message, remove));
        return;
    }
    if !meta.is_dir() {
        checks.push(Check::fail("cache", format!("{shown} is not a directory"), remove));
        return;
    }
    if meta.uid() != me {
        let message =
            format!("{shown} is owned by uid {}, not by you (uid {me}); awsenv refuses to use it", meta.uid());
        checks.push(Check::fail("cache", message, remove));
        return;
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        checks.push(Check::warn(
            "cache",
            format!("{shown} has mode {mode:04o}: others can look inside"),
            format!("chmod 700 {shown} (awsenv also tightens it at its next use)"),
        ));
    }
    let Ok(listing) = std::fs::read_dir(&dir) else {
        checks.push(Check::fail("cache", format!("{shown} cannot be listed"), format!("chmod 700 {shown}")));
        return;
    };
    let now = SystemTime::now();
    let age = |m: &std::fs::Metadata| m.modified().ok().and_then(|t| now.duration_since(t).ok()).unwrap_or_default();
    let (mut entries, mut locks, mut held, mut stale, mut temporaries, mut foreign) = (0, 0, 0, 0, 0, 0);
    let names: Vec<String> = listing.flatten().filter_map(|e| e.file_name().into_string().ok()).collect();
    for name in &names {
        let Ok(meta) = std::fs::symlink_metadata(dir.join(name)) else { continue };
        if meta.uid() != me || meta.file_type().is_symlink() || meta.mode() & 0o077 != 0 {
            foreign += 1;
        } else if name.starts_with('.') && name.ends_with(".tmp") {
            temporaries += usize::from(age(&meta) > Duration::from_secs(60));
        } else if let Some(entry) = name.strip_suffix(".lock") {
            locks += 1;
            let in_use = std::fs::File::open(dir.join(name)).is_ok_and(|f| f.try_lock_shared().is_err());
            if in_use {
                held += 1;
            } else if !names.iter().any(|n| n == entry) && age(&meta) > Duration::from_secs(24 * 3600) {
                stale += 1;
            }
        } else {
            entries += 1;
        }
    }
    let held_note = if held > 0 { format!(", {held} held by a running awsenv now") } else { String::new() };
    checks.push(Check::ok("cache", format!("{shown}: {entries} files, {locks} locks{held_note}")));
    if temporaries > 0 {
        checks.push(Check::warn(
            "cache",
            format!("{temporaries} abandoned temporary file{} (a write that was cut off)", plural(temporaries)),
            format!("harmless: awsenv removes them at its next write, or: rm {shown}/.*.tmp"),
        ));
    }
    if stale > 0 {
        checks.push(Check::warn(
            "cache",
            format!("{stale} lock file{} older than a day whose entry is gone", plural(stale)),
            "harmless (a lock is released when its process ends); delete them while no awsenv runs",
        ));
    }
    if foreign > 0 {
        checks.push(Check::warn(
            "cache",
            format!(
                "{foreign} file{} not private to you (another owner, a symlink or a loose mode), which awsenv ignores",
                plural(foreign)
            ),
            format!("remove them: awsenv writes its own again (ls -la {shown})"),
        ));
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Every IAM Identity Center login the files name: its token, and its client registration.
fn sso_logins(files: &config::ConfigFiles<'_>, env: &Env, checks: &mut Vec<Check>) {
    let mut logins: Vec<(Login<'_>, String)> = Vec::new();
    for name in files.names(SectionKind::SsoSession) {
        let Some(section) = files.sso_session(name) else { continue };
        let (Some(start_url), Some(region)) = (section.get("sso_start_url"), section.get("sso_region")) else {
            continue;
        };
        let hint = format!("awsenv login --sso-session {name}");
        logins.push((Login { session: Some(name), start_url, region }, hint));
    }
    for name in files.profile_names() {
        let Some(profile) = files.profile(name) else { continue };
        if profile.get("sso_session").is_some() {
            continue;
        }
        let (Some(start_url), Some(region)) = (profile.get("sso_start_url"), profile.get("sso_region")) else {
            continue;
        };
        if logins.iter().all(|(l, _)| l.session.is_some() || l.start_url != start_url) {
            logins.push((Login { session: None, start_url, region }, format!("awsenv login {name}")));
        }
    }
    for (login, command) in &logins {
        let what = login.describe();
        let check = match token_state(env, login) {
            state @ (TokenState::Valid(_) | TokenState::Refreshable(_)) => {
                Check::ok("sso", format!("{what}: token {}", state.long()))
            }
            state @ (TokenState::Expired(_) | TokenState::Missing) => {
                Check::warn("sso", format!("{what}: token {}", state.long()), format!("run `{command}`"))
            }
            TokenState::Unreadable(cause) => {
                Check::warn("sso", format!("{what}: token file unreadable: {cause}"), format!("run `{command}`"))
            }
        };
        checks.push(check);
        if let Some(check) = registration(env, login, &what, command) {
            checks.push(check);
        }
    }
}

/// The OIDC client registration saved with a token (`registrationExpiresAt`): once it ends the
/// refresh token is useless and the next login registers a new client.
fn registration(env: &Env, login: &Login<'_>, what: &str, command: &str) -> Option<Check> {
    let token = TokenFile::read(&login.token_path(env)?).ok()??;
    let expires = crate::credentials::parse_timestamp(token.get("registrationExpiresAt")?)?;
    let now = OffsetDateTime::now_utc();
    let at = crate::credentials::format_rfc3339(expires);
    Some(if expires <= now {
        Check::warn(
            "sso",
            format!("{what}: client registration expired at {at}: tokens can no longer be renewed silently"),
            format!("run `{command}` (it registers again)"),
        )
    } else if expires - now < REGISTRATION_NOTICE {
        Check::warn("sso", format!("{what}: client registration ends at {at}"), format!("run `{command}` after that"))
    } else {
        Check::ok("sso", format!("{what}: client registered until {at}"))
    })
}

fn lint(texts: &config::FileTexts, files: &config::ConfigFiles<'_>, env: &Env, checks: &mut Vec<Check>) {
    let findings = crate::lint::lint(texts, files, env);
    if findings.is_empty() {
        checks.push(Check::ok("lint", "no findings in the config files"));
    }
    for finding in findings {
        let at = finding.at.map(|at| format!("{}: ", config::cite(files, at, env))).unwrap_or_default();
        let message = format!("{at}{} [{}]", finding.message, finding.rule);
        checks.push(match finding.severity {
            Severity::Error => Check::fail("lint", message, finding.fix),
            Severity::Warning => Check::warn("lint", message, finding.fix),
        });
    }
}

/// This machine's clock against STS's `Date` header (an unsigned request: no credentials).
fn clock(files: &config::ConfigFiles<'_>, env: &Env) -> Check {
    let profile =
        env.get_nonempty(crate::settings::AWSENV_PROFILE).unwrap_or_else(|| config::locate::selected_profile(env));
    let settings = crate::resolve::Resolver::new(files, env).plan(profile).map(|p| p.settings).unwrap_or_default();
    let answer = crate::aws::endpoint::region(env, &settings, None).and_then(|region| {
        let endpoint = crate::aws::endpoint::sts(env, &settings, &region);
        let target = crate::aws::helper::Target::new(endpoint.clone(), region, &settings, env, false);
        let request = crate::aws::helper::Request { target, operation: crate::aws::helper::Operation::ServerDate };
        crate::aws::helper::call(&request).map(|a| (a, endpoint))
    });
    let fix = "check the network and the STS endpoint, or run doctor without --online";
    let (date, endpoint) = match answer {
        Ok((crate::aws::helper::Answer::ServerDate(date), endpoint)) => (date, endpoint),
        Ok(_) => return Check::fail("clock", "awsenv-fetch answered the clock check with something else", fix),
        Err(e) => return Check::fail("clock", format!("cannot ask STS for the time: {}", e.message), fix),
    };
    let Ok(theirs) = OffsetDateTime::parse(&date, &time::format_description::well_known::Rfc2822) else {
        return Check::fail("clock", format!("STS at {endpoint} sent a Date header awsenv cannot read"), fix);
    };
    let skew = (OffsetDateTime::now_utc() - theirs).whole_seconds();
    let direction = if skew >= 0 { "ahead of" } else { "behind" };
    let message = format!("this machine's clock is {}s {direction} STS ({endpoint})", skew.unsigned_abs());
    let fix = "turn on time synchronisation (timedatectl set-ntp true, or chrony / ntpd)";
    match skew.unsigned_abs() {
        s if s > SKEW_FAIL as u64 => {
            Check::fail("clock", format!("{message}: AWS refuses signed requests beyond 5 minutes"), fix)
        }
        s if s > SKEW_WARN as u64 => Check::warn("clock", message, fix),
        _ => Check::ok("clock", message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_http_date_header_is_read() {
        let t = OffsetDateTime::parse("Tue, 01 Dec 2026 23:55:07 GMT", &time::format_description::well_known::Rfc2822);
        assert_eq!(t.unwrap().unix_timestamp(), 1_796_169_307);
    }
}
