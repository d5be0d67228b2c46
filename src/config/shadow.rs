//! awsenv's copy of the config file for a shell that acts as one profile.
//!
//! `use X` does not set `AWS_PROFILE` (the JavaScript SDK v3 would then prefer the profile over
//! the exported keys), so every SDK in the shell falls back to `[default]` for whatever the
//! environment does not say: its region, its `endpoint_url`, its `retry_mode`, its `s3 =`
//! sub-settings, which have no environment twin at all. So `use X` also points `AWS_CONFIG_FILE`
//! at this copy: the user's config byte for byte, except that `[default]` (and `[profile default]`)
//! is replaced by X's own settings without any credential key. Every SDK then reads X's settings
//! as the default profile, `aws --profile other` still finds `other`, and the credentials are the
//! ones in the environment.
//!
//! No copy holds a secret value (`aws_access_key_id`, `aws_secret_access_key`,
//! `aws_session_token`, `aws_security_token`) of any profile: keys written in the config file
//! (which `lint` calls the wrong file) are then not seen by `--profile other` inside an awsenv
//! shell, which `lint` and the README say.
//!
//! The copy lives in the cache directory (0600 in the 0700 directory), one per config path and
//! profile, so a warm `use` only looks for it (one lstat, its mtime being the config's) and an
//! edited config brings the same copy up to date in place at the next `use` or renewal: a shell
//! that points at it (even one on long-term keys, which never renews) never loses it, and copies
//! do not pile up per edit. Its first line records what it was made from and a hash of the rest,
//! so a copy that a program wrote to (`aws configure set` in that shell) is told by its own
//! state, whatever happened to the config since: it is kept aside for the user, reported, and
//! never deleted.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::cache::Cache;
use crate::env::Env;
use crate::error::Error;

/// Whether `key` makes or shapes credentials (anything else is a setting).
pub fn is_credential_key(key: &str) -> bool {
    NOT_COPIED.contains(&key)
}

/// Keys that make or shape credentials: never copied into the copy's `[default]`, so that a
/// process with no keys in its environment (the child of `exec --server`) does not take X's (or
/// the old default's) credentials from the file instead.
const NOT_COPIED: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
    "aws_credential_expiration",
    "role_arn",
    "source_profile",
    "credential_source",
    "credential_process",
    "web_identity_token_file",
    "role_session_name",
    "external_id",
    "mfa_serial",
    "mfa_process",
    "duration_seconds",
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
    "sso_registration_scopes",
    "login_session",
];

/// The values no copy holds, in any section: a copy is readable by every process of the shell and
/// lives as long as the shell may point at it, so it must not be another place a secret is kept.
const SECRET_KEYS: &[&str] = &["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token"];

/// Copies made by awsenv before 0.2 were named per config version (`PREFIX-FAMILY-STAMP`) and
/// held every secret of the file: those not touched for this long are removed; younger ones lose
/// their secret lines in place (a shell may still point at them).
const KEEP_LEGACY_COPIES: Duration = Duration::from_secs(7 * 86_400);
/// The first line of every copy: what it was made from, and a hash of the rest, so that a copy a
/// program wrote to is told by its own state, whatever happened to the user's file since.
const STAMP_LINE: &str = "# awsenv-copy ";
/// A copy is at most this large (a config file that is larger is not one).
const MAX_COPY_BYTES: u64 = 64 << 20;

pub struct Shadow {
    pub path: PathBuf,
    /// Something wrote to the copy: what to tell the user.
    pub notice: Option<String>,
}

/// Whether `use` makes the copy: always, unless `AWSENV_CONFIG_COPY=off`.
pub fn enabled(env: &Env) -> bool {
    !env.get_nonempty("AWSENV_CONFIG_COPY").is_some_and(|v| v.eq_ignore_ascii_case("off"))
}

/// The copy of the user's config for `profile`, written or brought up to date if need be.
pub fn ensure(env: &Env, profile: &str) -> Result<Shadow, Error> {
    let (config_path, _) = super::paths(env);
    let shown = super::display_path(&config_path, env);
    ensure_copy(env, &config_path, "config", profile, |text| render(text, profile, &shown))
}

/// For a process that gets its credentials from `awsenv serve` rather than its environment: the
/// credentials file without its `[default]`, whose keys every SDK would take before asking the
/// endpoint. `None` when the file has no `[default]` (the process can read the file itself).
/// The copy holds the file's other secrets (`--profile other` in the child needs them): its
/// servers hold it (`hold_credentials_copy`) and the last one to end removes it.
fn ensure_credentials(env: &Env) -> Result<Option<PathBuf>, Error> {
    let (_, credentials_path) = super::paths(env);
    let Ok(text) = std::fs::read_to_string(&credentials_path) else { return Ok(None) };
    if !text
        .split_inclusive('\n')
        .any(|line| header_section(line, super::FileKind::Credentials) == Some(Some("default")))
    {
        return Ok(None);
    }
    credentials_copy(env).map(Some)
}

/// The credentials copy, made or brought up to date from the file as it is.
fn credentials_copy(env: &Env) -> Result<PathBuf, Error> {
    let (_, credentials_path) = super::paths(env);
    let shown = super::display_path(&credentials_path, env);
    ensure_copy(env, &credentials_path, "credentials", "", |text| render_credentials(text, &shown)).map(|s| s.path)
}

/// A credentials copy held by a server: a shared lock on the copy's lock file (which, unlike the
/// copy, is never replaced), released when the server ends; the kernel releases it when the
/// process dies, however it dies.
pub struct Held {
    _lock: std::fs::File,
}

/// The credentials copy for a server (see `ensure_credentials`), made and held at once (under
/// one lock, so that no other server's end can remove it in between); held for as long as the
/// returned value lives, and by a forked child too.
pub fn hold_credentials_copy(env: &Env) -> Result<Option<(PathBuf, Held)>, Error> {
    let cache = Cache::open(env)?;
    let _guard = cache.lock("credentials-copies", Duration::from_secs(5))?;
    let Some(path) = ensure_credentials(env)? else { return Ok(None) };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    let lock = cache.lock_file(&name)?;
    if lock.try_lock_shared().is_err() {
        return Err(Error::fetch(format!("cannot hold awsenv's copy of the credentials file ({})", path.display())));
    }
    Ok(Some((path, Held { _lock: lock })))
}

/// Remove every credentials copy that no live server holds (after letting go of `held`): the
/// last server of a copy removes it as it ends, and a server that was killed leaves its copy to
/// the next awsenv that makes one. Returns how many were removed.
pub fn remove_unheld_credentials_copies(env: &Env, held: Option<Held>) -> usize {
    drop(held);
    let Some(cache) = Cache::existing(env) else { return 0 };
    let Ok(_guard) = cache.lock("credentials-copies", Duration::from_secs(5)) else { return 0 };
    let mut removed = 0;
    for name in cache.file_names("credentials-").into_iter().filter(|n| !n.contains('.')) {
        let Ok(lock) = cache.lock_file(&name) else { continue };
        if lock.try_lock().is_ok() && cache.remove_file(&name) {
            cache.remove_file(&format!("{name}.lock"));
            removed += 1;
        }
    }
    removed
}

/// After the credentials file changed in a way no copy may keep (`keys import` took a key out of
/// it): the copies that no server holds are removed, and the one a server holds is made again
/// from the file as it is now, in place.
pub fn renew_credentials_copies(env: &Env) {
    remove_unheld_credentials_copies(env, None);
    let Ok(cache) = Cache::open(env) else { return };
    let Ok(_guard) = cache.lock("credentials-copies", Duration::from_secs(5)) else { return };
    let (_, credentials_path) = super::paths(env);
    if cache.file_mtime(&copy_name("credentials", &credentials_path, "")).is_some() {
        let _ = credentials_copy(env);
    }
}

/// The file name of the copy of `source` for `profile`: one per source and profile, whatever the
/// source's version, so a shell that points at it sees it brought up to date and no copy is left
/// behind per edit of the source.
fn copy_name(prefix: &str, source: &std::path::Path, profile: &str) -> String {
    format!("{prefix}-{}", short_hash(&[source.as_os_str().as_encoded_bytes(), profile.as_bytes()]))
}

/// What a copy is made from: awsenv's version and everything that tells one state of the source
/// from another.
fn source_stamp(meta: Option<&std::fs::Metadata>) -> String {
    let numbers = meta.map_or([0; 7], |m| {
        [m.dev(), m.ino(), m.size(), m.mtime() as u64, m.mtime_nsec() as u64, m.ctime() as u64, m.ctime_nsec() as u64]
    });
    let numbers = numbers.map(u64::to_le_bytes);
    let mut parts: Vec<&[u8]> = vec![env!("CARGO_PKG_VERSION").as_bytes()];
    parts.extend(numbers.iter().map(|b| &b[..]));
    short_hash(&parts)
}

/// A copy's text: its stamp line, then `body`.
fn with_stamp(stamp: &str, body: &str) -> String {
    format!("{STAMP_LINE}{stamp} {}\n{body}", short_hash(&[body.as_bytes()]))
}

/// What a copy found in the cache says about itself.
enum Found {
    /// As awsenv wrote it, from a source in this state (its stamp).
    Intact(String),
    /// Changed since awsenv wrote it: a program wrote to it.
    WrittenTo,
}

fn inspect(bytes: &[u8]) -> Found {
    let Ok(text) = std::str::from_utf8(bytes) else { return Found::WrittenTo };
    let Some((first, body)) = text.split_once('\n') else { return Found::WrittenTo };
    let mut words = first.strip_prefix(STAMP_LINE).unwrap_or("").split(' ');
    match (words.next(), words.next(), words.next()) {
        (Some(stamp), Some(hash), None) if hash == short_hash(&[body.as_bytes()]) => Found::Intact(stamp.to_owned()),
        _ => Found::WrittenTo,
    }
}

/// `source` rendered by `render`, as the private file `PREFIX-FAMILY` in the cache directory,
/// brought up to date in place when the source has changed. An unchanged source costs one lstat:
/// the copy's mtime is the source's.
fn ensure_copy(
    env: &Env,
    source: &std::path::Path,
    prefix: &str,
    profile: &str,
    render: impl FnOnce(&str) -> String,
) -> Result<Shadow, Error> {
    let meta = std::fs::metadata(source).ok();
    let mtime = meta.as_ref().map_or((0, 0), |m| (m.mtime(), m.mtime_nsec()));
    let name = copy_name(prefix, source, profile);
    // The warm path: the copy is there, ours, private and stamped with the source's mtime. One
    // lstat, without opening the cache (which checks every ancestor); the copy was written
    // through the checked directory, below ancestors nobody else can change.
    if let Some(dir) = Cache::dir_for(env)
        && let Ok(found) = std::fs::symlink_metadata(dir.join(&name))
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        let ours = found.is_file() && found.uid() == unsafe { libc::geteuid() } && found.mode() & 0o077 == 0;
        // Stamped by awsenv: its mtime was set to the source's, after the source's change, so
        // it differs from its ctime. A program's write sets both to the same moment.
        let stamped = (found.ctime(), found.ctime_nsec()) != (found.mtime(), found.mtime_nsec());
        if ours && stamped && (found.mtime(), found.mtime_nsec()) == mtime && meta.is_some() {
            return Ok(Shadow { path: dir.join(&name), notice: None });
        }
    }
    let cache = Cache::open(env)?;
    let path = cache.dir().join(&name);
    let stamp = source_stamp(meta.as_ref());
    // The copy carries the source's mtime, so the next `use` needs one lstat. (Written in the
    // very clock tick of the source's change, its ctime may equal that mtime and the warm path
    // takes it for a program's write: this path then finds it intact and stamps it again.)
    let stamped_mtime = meta.is_some().then_some(mtime);
    let mut notice = None;
    sweep_legacy(&cache, prefix);
    if let Some(bytes) = cache.read_file(&name, MAX_COPY_BYTES) {
        match inspect(&bytes) {
            Found::Intact(found) if found == stamp => {
                // Up to date; only its mtime may still want the source's.
                if let Some(m) = stamped_mtime {
                    let _ = cache.write_file(&name, &bytes, Some(m));
                }
                return Ok(Shadow { path, notice });
            }
            Found::Intact(_) => {}
            Found::WrittenTo => {
                // A program wrote to the copy (`aws configure set` in that shell): keep what it
                // wrote, for the user, and never delete it.
                let kept = format!("{name}.changed-{}", time::OffsetDateTime::now_utc().unix_timestamp());
                if cache.rename_file(&name, &kept).is_ok() {
                    notice = Some(format!(
                        "a program wrote to awsenv's copy of your {prefix} file ({}), not to {}; that change is not in your file (kept in {}): make it in your own file",
                        path.display(),
                        super::display_path(source, env),
                        cache.dir().join(&kept).display(),
                    ));
                }
            }
        }
    }
    let text = match std::fs::read(source) {
        Ok(bytes) => String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned(),
        Err(_) => String::new(),
    };
    cache.write_file(&name, with_stamp(&stamp, &render(&text)).as_bytes(), stamped_mtime).map_err(|e| {
        Error::fetch(format!(
            "cannot write awsenv's copy of the {prefix} file in {}: {}",
            cache.dir().display(),
            crate::error::io_cause(&e)
        ))
    })?;
    Ok(Shadow { path, notice })
}

/// Copies named the old way (`PREFIX-FAMILY-STAMP`, one per version of the source): removed once
/// old, and until then rewritten without their secret lines, keeping their mtime.
fn sweep_legacy(cache: &Cache, prefix: &str) {
    let legacy = |name: &str| {
        let rest = name.strip_prefix(prefix).and_then(|r| r.strip_prefix('-'));
        rest.and_then(|r| r.split_once('-')).is_some_and(|(a, b)| {
            a.len() == 16 && b.len() == 16 && (a.to_owned() + b).bytes().all(|c| c.is_ascii_hexdigit())
        })
    };
    for name in cache.file_names(prefix).into_iter().filter(|n| legacy(n)) {
        let Some(mtime) = cache.file_mtime(&name) else { continue };
        // Those copies were stamped with the source's mtime, so their ctime differs from it; a
        // program's write made both the same moment. What a program wrote is never deleted:
        // it is set aside as the old release did.
        let written_to = std::fs::symlink_metadata(cache.dir().join(&name))
            .is_ok_and(|m| (m.ctime(), m.ctime_nsec()) == (m.mtime(), m.mtime_nsec()));
        if written_to {
            let _ = cache.rename_file(&name, &format!("{name}.changed"));
            continue;
        }
        let age = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |now| now.as_secs() as i64)
            .saturating_sub(mtime.0);
        if age > KEEP_LEGACY_COPIES.as_secs() as i64 {
            cache.remove_file(&name);
        } else if let Some(bytes) = cache.read_file(&name, MAX_COPY_BYTES) {
            let text = String::from_utf8_lossy(&bytes);
            let clean = without_secret_values(&text);
            if clean != text {
                let _ = cache.write_file(&name, clean.as_bytes(), Some(mtime));
            }
        }
    }
}

/// `text` without its top-level lines of secret keys, in every section.
fn without_secret_values(text: &str) -> String {
    text.split_inclusive('\n').filter(|line| !is_secret_line(line)).collect()
}

fn is_secret_line(line: &str) -> bool {
    !line.starts_with([' ', '\t'])
        && line.split_once('=').is_some_and(|(key, _)| SECRET_KEYS.contains(&key.trim().to_ascii_lowercase().as_str()))
}

fn short_hash(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    crate::encoding::hex(&hasher.finalize()[..8])
}

/// For a header line (by the parser's own rules), the profile it opens (`[profile x]` → `x`,
/// `[default]` → `default`), or `Some(None)` for a section of another kind or one the SDKs
/// ignore; `None` for a line that is not a header.
fn header_profile(line: &str) -> Option<Option<&str>> {
    header_section(line, super::FileKind::Config)
}

fn header_section(line: &str, file: super::FileKind) -> Option<Option<&str>> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    super::parse::header_inner(line)?;
    let section = super::parse::header_name(line, file);
    Some(section.filter(|(kind, _)| *kind == super::SectionKind::Profile).map(|(_, name)| name))
}

/// The credentials file without its `[default]` section(s), every other byte kept.
pub fn render_credentials(credentials: &str, shown_path: &str) -> String {
    let plain = shown_path.replace(|c: char| c.is_control(), "?");
    let mut out = format!(
        "# Written by awsenv: {plain} without [default], for a process whose credentials come from\n\
         # `awsenv serve` (an SDK would take [default]'s keys first). Edit {plain}, not this file.\n"
    );
    let mut in_default = false;
    for line in credentials.split_inclusive('\n') {
        if let Some(section) = header_section(line, super::FileKind::Credentials) {
            in_default = section == Some("default");
        }
        if !in_default {
            out.push_str(line);
        }
    }
    out
}

/// The copy's text: every line of `config` but the default profile's, then `[default]` with the
/// non-credential lines of `profile`'s sections.
pub fn render(config: &str, profile: &str, shown_path: &str) -> String {
    let mut kept = String::with_capacity(config.len() + 256);
    let mut profile_lines: Vec<&str> = Vec::new();
    // What the current section is: a default one (dropped), the profile's (collected), or other.
    let (mut in_default, mut in_profile) = (false, false);
    for line in config.split_inclusive('\n') {
        if let Some(section) = header_profile(line) {
            in_default = section == Some("default");
            in_profile = section == Some(profile);
            if !in_default {
                kept.push_str(line);
            }
            continue;
        }
        if in_profile {
            profile_lines.push(line);
        }
        if !in_default && !is_secret_line(line) {
            kept.push_str(line);
        }
    }
    // Both go into comment lines: a line break in either must not start a line of its own.
    let plain = |text: &str| text.replace(|c: char| c.is_control(), "?");
    let (shown_path, profile_name) = (plain(shown_path), plain(profile));
    let mut out = format!(
        "# Written by awsenv: {shown_path} as every AWS SDK in this shell should read it, with [default]\n\
         # holding the settings of profile {profile_name}, and no secret of any profile. Edit {shown_path},\n\
         # not this file; awsenv brings this copy up to date when that file changes.\n"
    );
    out.push_str(&kept);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("\n[default]\n");
    let mut skipping = false;
    for line in profile_lines {
        let indented = line.starts_with([' ', '\t']);
        if !indented {
            let key = line.split('=').next().unwrap_or("").trim().to_ascii_lowercase();
            skipping = line.contains('=') && NOT_COPIED.contains(&key.as_str());
        }
        if !skipping {
            out.push_str(line);
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn default_becomes_the_profile_and_everything_else_stays() {
        let config = "# mine\r\n[default]\r\nregion = eu-north-1\r\nendpoint_url = https://default.example\r\n\r\n\
                      [profile x]\r\nregion = us-west-2\r\nrole_arn = arn:aws:iam::1:role/r\r\nsource_profile = base\r\n\
                      s3 =\r\n  addressing_style = path\r\ncredential_process = secret-tool\r\n  --continued\r\n\
                      [profile other]\r\nregion = ap-south-1\r\n[services s]\r\nec2 =\r\n  endpoint_url = http://e\r\n\
                      [ profile default ]\nretry_mode = adaptive";
        let out = render(config, "x", "~/.aws/config");
        assert!(!out.contains("eu-north-1") && !out.contains("adaptive") && !out.contains("default.example"), "{out}");
        assert!(out.contains("[profile other]\r\nregion = ap-south-1\r\n"), "{out}");
        assert!(out.contains("[services s]\r\nec2 =\r\n  endpoint_url = http://e\r\n"), "{out}");
        let default = out.split("\n[default]\n").nth(1).unwrap();
        assert_eq!(default, "region = us-west-2\r\ns3 =\r\n  addressing_style = path\r\n", "{out}");
        assert!(out.contains("[profile x]\r\nregion = us-west-2\r\nrole_arn"), "x itself is kept for `--profile x`");
    }

    #[test]
    fn a_line_break_in_the_path_stays_inside_its_comment() {
        let out = render("[profile x]\nregion = r\n", "x", "/tmp/a\n[default]\nregion = evil");
        assert_eq!(out.matches("\n[default]\n").count(), 1, "{out}");
        assert!(out.ends_with("[default]\nregion = r\n"), "{out}");
    }

    #[test]
    fn the_credentials_copy_has_everything_but_default() {
        let text = "[other]\r\naws_access_key_id = A\r\n[default]\naws_access_key_id = D\naws_secret_access_key = S\n[ default ]\nx = y\n[last]\nk = v";
        let out = super::render_credentials(text, "~/.aws/credentials");
        assert!(out.ends_with("[other]\r\naws_access_key_id = A\r\n[last]\nk = v"), "{out}");
        assert!(!out.contains("= D") && !out.contains("x = y"), "{out}");
    }

    #[test]
    fn the_default_profile_keeps_its_settings_but_not_its_credentials() {
        let out = render("[default]\nregion = eu-west-1\naws_access_key_id = AKID\n", "default", "c");
        assert_eq!(out.split("\n[default]\n").nth(1).unwrap(), "region = eu-west-1\n");
    }
}
