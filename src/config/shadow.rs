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
//! The copy lives in the cache directory (0600 in the 0700 directory), named after the config
//! path, the profile and the config file's stamp, so a warm `use` only looks for it (one stat)
//! and a config edited afterwards yields a new copy at the next `use` or renewal. Its mtime is set
//! to the config's own: a tool that writes to the copy (`aws configure set` in that shell) changes
//! it, which the next `use` notices and reports, keeping the written copy aside for the user.

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

/// Copies older than this, of a config that has changed since, are removed (a shell still
/// pointing at one has renewed since, which moved it to the new copy).
const KEEP_OLD_COPIES: Duration = Duration::from_secs(7 * 86_400);

pub struct Shadow {
    pub path: PathBuf,
    /// Something wrote to the previous copy: what to tell the user.
    pub notice: Option<String>,
}

/// Whether `use` makes the copy: always, unless `AWSENV_CONFIG_COPY=off`.
pub fn enabled(env: &Env) -> bool {
    !env.get_nonempty("AWSENV_CONFIG_COPY").is_some_and(|v| v.eq_ignore_ascii_case("off"))
}

/// The copy of the user's config for `profile`, written if it is not there yet.
pub fn ensure(env: &Env, profile: &str) -> Result<Shadow, Error> {
    let (config_path, _) = super::paths(env);
    let shown = super::display_path(&config_path, env);
    ensure_copy(env, &config_path, "config", profile, |text| render(text, profile, &shown))
}

/// For a process that gets its credentials from `awsenv serve` rather than its environment: the
/// credentials file without its `[default]`, whose keys every SDK would take before asking the
/// endpoint. `None` when the file has no `[default]` (the process can read the file itself).
pub fn ensure_credentials(env: &Env) -> Result<Option<PathBuf>, Error> {
    let (_, credentials_path) = super::paths(env);
    let Ok(text) = std::fs::read_to_string(&credentials_path) else { return Ok(None) };
    if !text
        .split_inclusive('\n')
        .any(|line| header_section(line, super::FileKind::Credentials) == Some(Some("default")))
    {
        return Ok(None);
    }
    let shown = super::display_path(&credentials_path, env);
    ensure_copy(env, &credentials_path, "credentials", "", |text| render_credentials(text, &shown))
        .map(|s| Some(s.path))
}

/// `source` rendered by `render`, as the file `PREFIX-FAMILY-STAMP` in the cache directory:
/// FAMILY names the source and the profile, STAMP the source's state, so an unchanged source
/// costs one lstat.
fn ensure_copy(
    env: &Env,
    source: &std::path::Path,
    prefix: &str,
    profile: &str,
    render: impl FnOnce(&str) -> String,
) -> Result<Shadow, Error> {
    let meta = std::fs::metadata(source).ok();
    let (mtime, mtime_nsec) = meta.as_ref().map_or((0, 0), |m| (m.mtime(), m.mtime_nsec()));
    let family =
        short_hash(&[env!("CARGO_PKG_VERSION").as_bytes(), source.as_os_str().as_encoded_bytes(), profile.as_bytes()]);
    let stamp = meta.as_ref().map_or_else(
        || "none".to_owned(),
        |m| {
            let numbers = [
                m.dev(),
                m.ino(),
                m.size(),
                m.mtime() as u64,
                m.mtime_nsec() as u64,
                m.ctime() as u64,
                m.ctime_nsec() as u64,
            ];
            short_hash(&numbers.map(u64::to_le_bytes).iter().map(|b| &b[..]).collect::<Vec<_>>())
        },
    );
    let name = format!("{prefix}-{family}-{stamp}");
    // The warm path: the copy is there, ours, private and stamped as written. One lstat, without
    // opening the cache (which checks every ancestor); the copy was written through the checked
    // directory, below ancestors nobody else can change.
    if let Some(dir) = Cache::dir_for(env)
        && let Ok(meta) = std::fs::symlink_metadata(dir.join(&name))
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        let ours = meta.is_file() && meta.uid() == unsafe { libc::geteuid() } && meta.mode() & 0o077 == 0;
        if ours && (meta.mtime(), meta.mtime_nsec()) == (mtime, mtime_nsec) {
            return Ok(Shadow { path: dir.join(&name), notice: None });
        }
    }
    let cache = Cache::open(env)?;
    let path = cache.dir().join(&name);
    let mut notice = None;
    match cache.file_mtime(&name) {
        Some(found) if found == (mtime, mtime_nsec) => return Ok(Shadow { path, notice }),
        Some(_) => {
            // Written by someone else since awsenv made it: keep what they wrote for the user.
            let kept = format!("{name}.changed");
            if cache.rename_file(&name, &kept).is_ok() {
                notice = Some(format!(
                    "a program wrote to awsenv's copy of your {prefix} file ({}), not to {}; that change is not in your file (kept in {}): make it in your own file",
                    path.display(),
                    super::display_path(source, env),
                    cache.dir().join(&kept).display(),
                ));
            }
        }
        None => {}
    }
    let text = match std::fs::read(source) {
        Ok(bytes) => String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned(),
        Err(_) => String::new(),
    };
    cache.write_file(&name, render(&text).as_bytes(), Some((mtime, mtime_nsec))).map_err(|e| {
        Error::fetch(format!(
            "cannot write awsenv's copy of the {prefix} file in {}: {}",
            cache.dir().display(),
            crate::error::io_cause(&e)
        ))
    })?;
    cache.sweep(&format!("{prefix}-{family}-"), &name, KEEP_OLD_COPIES);
    Ok(Shadow { path, notice })
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
        if !in_default {
            kept.push_str(line);
        }
    }
    // Both go into comment lines: a line break in either must not start a line of its own.
    let plain = |text: &str| text.replace(|c: char| c.is_control(), "?");
    let (shown_path, profile_name) = (plain(shown_path), plain(profile));
    let mut out = format!(
        "# Written by awsenv: {shown_path} as every AWS SDK in this shell should read it, with [default]\n\
         # holding the settings of profile {profile_name} (never its credentials). Edit {shown_path}, not\n\
         # this file; awsenv makes a new copy when that file changes.\n"
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
