//! The credential cache: one JSON entry per fetched step, shared by every shell of the user.
//!
//! A fetch takes the entry's lock (a sidecar `.lock` file, since the entry itself is replaced by
//! rename), re-reads the entry because another process may have just refreshed it, serves it if it
//! is valid beyond the margin, and otherwise fetches, writes a temp file, fsyncs and renames it
//! into place. Entries are 0600 in a 0700 directory; an entry that is corrupt, foreign, a symlink
//! or readable by others is ignored and replaced, never followed and never fatal.
//!
//! The directory itself is never reached through a symlink: its last component is opened with
//! `O_DIRECTORY | O_NOFOLLOW` and everything inside is then done relative to that descriptor
//! (`openat`, `renameat`, `unlinkat`). Its ancestors may be symlinks (a symlinked `~/.cache` is
//! common), but each must belong to root or to the user and be writable by nobody else (unless
//! sticky, as `/tmp` is), so that nobody else can swap the path under it.

use std::ffi::CString;
use std::fs::{self, File};
use std::io::ErrorKind;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::credentials::{Credentials, Secret, format_rfc3339, parse_timestamp};
use crate::env::Env;
use crate::error::{Error, io_cause};
use crate::private_files::{
    euid, mtime_at, names_at, open_at, others_can_change, read_private_at, remove_at, remove_old, rename_at,
    sweep_abandoned_temporaries, write_private_at,
};

const FORMAT: u64 = 1;
const MAX_ENTRY_BYTES: u64 = 1 << 20;

pub struct Cache {
    dir: PathBuf,
    /// The directory, opened without following a symlink; entries and locks are opened from it.
    fd: OwnedFd,
    /// For `existing` caches only: the entry names present, read once, so that looking at many
    /// steps (as `list` does) opens only the files that exist.
    present: Option<std::collections::HashSet<String>>,
    /// The group prefixes of those entries.
    groups: std::collections::HashSet<String>,
}

/// How long a caller may wait for another process's refresh, and how fresh an entry must be.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Credentials expiring within this margin are fetched again.
    pub margin: Duration,
    pub lock_wait: Duration,
    /// Ignore a valid entry and fetch anyway (`--refresh`).
    pub refresh: bool,
    /// How long the credentials are issued for, when the request says it (a role's
    /// `duration_seconds`); otherwise the lifetime an entry showed when it was fetched counts.
    /// Below an hour the margin scales with it (`numbers::scaled_window`).
    pub lifetime: Option<Duration>,
}

impl Cache {
    /// `AWSENV_CACHE_DIR`, else `$XDG_CACHE_HOME/awsenv`, else `~/.cache/awsenv`.
    pub fn dir_for(env: &Env) -> Option<PathBuf> {
        if let Some(dir) = env.get_nonempty("AWSENV_CACHE_DIR") {
            return Some(PathBuf::from(dir));
        }
        if let Some(xdg) = env.get_nonempty("XDG_CACHE_HOME").filter(|x| x.starts_with('/')) {
            return Some(Path::new(xdg).join("awsenv"));
        }
        let home = env.home(cfg!(windows))?;
        Some(Path::new(&home).join(".cache").join("awsenv"))
    }

    /// Open (creating it 0700 if need be) the cache directory. A directory of ours with loose
    /// permissions is tightened; one owned by someone else, a symlink, or one below an ancestor
    /// that others could change is refused.
    pub fn open(env: &Env) -> Result<Cache, Error> {
        let dir = Cache::dir_for(env).ok_or_else(|| {
            Error::fetch("cannot place the credential cache: HOME is not set").hint("set HOME or AWSENV_CACHE_DIR")
        })?;
        // Nearly always it is there already: one lstat, and no mkdir, on the warm path.
        if fs::symlink_metadata(&dir).is_ok() {
            let fd = open_dir(&dir)?;
            return Ok(Cache { dir, fd, present: None, groups: Default::default() });
        }
        if let Some(parent) = dir.parent()
            && !parent.as_os_str().is_empty()
            && !parent.exists()
        {
            fs::DirBuilder::new().recursive(true).mode(0o700).create(parent).map_err(|e| dir_error(&dir, &e))?;
        }
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(dir_error(&dir, &e)),
        }
        let fd = open_dir(&dir)?;
        Ok(Cache { dir, fd, present: None, groups: Default::default() })
    }

    /// The cache as it stands, for looking without touching: `None` when there is none yet, or
    /// when it is not one awsenv would use.
    pub fn existing(env: &Env) -> Option<Cache> {
        let dir = Cache::dir_for(env)?;
        let fd = open_dir(&dir).ok()?;
        let present: std::collections::HashSet<String> = fs::read_dir(&dir)
            .ok()?
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok()?.strip_suffix(".json").map(str::to_owned))
            .collect();
        let groups =
            present.iter().filter_map(|name: &String| name.split_once('-').map(|(g, _)| g.to_owned())).collect();
        Some(Cache { dir, fd, present: Some(present), groups })
    }

    /// The entry for `key_material` if there is a well-formed one, fresh or not, without taking
    /// its lock (`list` and `explain` only report).
    pub fn peek(&self, key_material: &str) -> Option<Credentials> {
        self.peek_entry(&Cache::entry_name(key_material))
    }

    /// `peek` by the entry's name (`entry_name` of its key), which `list` saves with its rows.
    pub fn peek_entry(&self, name: &str) -> Option<Credentials> {
        if self.present.as_ref().is_some_and(|present| !present.contains(name)) {
            return None;
        }
        read_entry(self.fd.as_raw_fd(), &format!("{name}.json"), name).map(|e| e.credentials)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry's file name: a short hash of the key's group (the part before `GROUP_END`: what
    /// the step is, e.g. the role ARN), then a SHA-256 of everything that determines the fetched
    /// credentials. The group prefix lets `list` find the steps that have entries without
    /// computing every step's full key.
    pub fn entry_name(key_material: &str) -> String {
        let group = key_material.split(GROUP_END).next().unwrap_or("");
        let mut hasher = Sha256::new();
        hasher.update(format!("awsenv-cache-v{FORMAT}\0").as_bytes());
        hasher.update(key_material.as_bytes());
        format!("{}-{}", group_prefix(group), crate::encoding::hex(&hasher.finalize()))
    }

    /// Whether `name` is an entry's file (`entry_name` and `.json`): 16 hex digits, `-`, 64 hex
    /// digits. Nothing else in the directory (locks, the index, config copies) is a credential.
    pub fn is_entry_file(name: &str) -> bool {
        let Some(stem) = name.strip_suffix(".json") else { return false };
        let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
        stem.split_once('-').is_some_and(|(group, rest)| hex(group, 16) && hex(rest, 64))
    }

    /// Whether an `existing` cache holds any entry of this group (always true for an opened one).
    pub fn has_group(&self, group: &str) -> bool {
        self.has_group_prefix(&group_prefix(group))
    }

    /// `has_group` for a group's `group_prefix`, which `list` saves with its rows.
    pub fn has_group_prefix(&self, prefix: &str) -> bool {
        match &self.present {
            Some(_) => self.groups.contains(prefix),
            None => true,
        }
    }

    /// Serve the entry for `key_material` or fetch, write and serve a new one, under the lock.
    /// Credentials without an expiration are never cached (there is nothing to renew).
    pub fn get_or_fetch(
        &self,
        key_material: &str,
        policy: Policy,
        fetch: impl FnOnce() -> Result<Credentials, Error>,
    ) -> Result<Credentials, Error> {
        let name = Cache::entry_name(key_material);
        let entry = format!("{name}.json");
        let dir = self.fd.as_raw_fd();
        let _lock = self.lock(&name, policy.lock_wait)?;
        if !policy.refresh
            && let Some(cached) = read_entry(dir, &entry, &name)
            && is_fresh(&cached, policy.margin, policy.lifetime)
        {
            return Ok(cached.credentials);
        }
        let credentials = fetch()?;
        if credentials.expiration.is_some()
            && let Err(e) = write_entry(dir, &entry, &name, &credentials)
        {
            // A cache that cannot be written costs a fetch next time; it must not cost this one.
            eprintln!(
                "awsenv: warning: could not write the credential cache in {}: {}",
                self.dir.display(),
                io_cause(&e)
            );
        }
        sweep_abandoned_temporaries(&self.dir, dir);
        Ok(credentials)
    }

    /// A lock file in the cache directory (0600, never through a symlink), not yet locked.
    pub fn lock_file(&self, name: &str) -> Result<File, Error> {
        let path = self.dir.join(format!("{name}.lock"));
        open_at(self.fd.as_raw_fd(), &format!("{name}.lock"), libc::O_RDWR | libc::O_CREAT, 0o600).map_err(|e| {
            Error::fetch(format!("cannot open the cache lock {}: {}", path.display(), io_cause(&e)))
                .hint("remove the file; awsenv recreates it")
        })
    }

    /// Write `bytes` as the private file `name` in the cache directory, atomically, with this
    /// mtime (seconds, nanoseconds) when given: readers see the file whole and stamped, or not at all.
    pub fn write_file(&self, name: &str, bytes: &[u8], mtime: Option<(i64, i64)>) -> std::io::Result<()> {
        write_private_at(self.fd.as_raw_fd(), name, bytes, mtime)
    }

    /// The mtime (seconds, nanoseconds) of the file `name` if it is a private regular file of ours.
    pub fn file_mtime(&self, name: &str) -> Option<(i64, i64)> {
        mtime_at(self.fd.as_raw_fd(), name)
    }

    /// The bytes of the private file `name` (at most `max_bytes`), if it is one of ours.
    pub fn read_file(&self, name: &str, max_bytes: u64) -> Option<Vec<u8>> {
        read_private_at(self.fd.as_raw_fd(), name, max_bytes)
    }

    /// The private file `name`, opened for reading (never through a link), to hold a lock on.
    pub fn open_file(&self, name: &str) -> std::io::Result<File> {
        open_at(self.fd.as_raw_fd(), name, libc::O_RDONLY | libc::O_NONBLOCK, 0)
    }

    /// Remove the file `name`; whether there was one.
    pub fn remove_file(&self, name: &str) -> bool {
        remove_at(self.fd.as_raw_fd(), name)
    }

    /// The names of the files that start with `prefix`.
    pub fn file_names(&self, prefix: &str) -> Vec<String> {
        names_at(&self.dir, prefix)
    }

    /// Remove the entry for `key_material`; whether there was one.
    pub fn remove(&self, key_material: &str) -> bool {
        self.remove_file(&format!("{}.json", Cache::entry_name(key_material)))
    }

    /// Rename `from` to `to` inside the cache directory.
    pub fn rename_file(&self, from: &str, to: &str) -> std::io::Result<()> {
        rename_at(self.fd.as_raw_fd(), from, to)
    }

    /// Remove the files whose names start with `prefix`, other than `keep`, not changed for `age`.
    pub fn sweep(&self, prefix: &str, keep: &str, age: Duration) {
        remove_old(&self.dir, self.fd.as_raw_fd(), age, |name| name.starts_with(prefix) && name != keep);
    }

    /// The lock `name`, taken, waiting at most `wait` for whoever holds it.
    pub fn lock(&self, name: &str, wait: Duration) -> Result<File, Error> {
        let path = self.dir.join(format!("{name}.lock"));
        let file = self.lock_file(name)?;
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(15));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(Error::fetch(format!(
                        "another awsenv is still renewing these credentials (waited {} ms for {})",
                        wait.as_millis(),
                        path.display()
                    ))
                    .hint("try again in a moment"));
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(Error::fetch(format!("cannot lock {}: {}", path.display(), io_cause(&e))));
                }
            }
        }
    }
}

/// Ends the group part of a key's material.
pub const GROUP_END: char = '\u{1f}';

pub fn group_prefix(group: &str) -> String {
    use std::hash::Hasher;
    let mut hasher = crate::encoding::NameHasher::default();
    hasher.write(group.as_bytes());
    format!("{:016x}", hasher.finish())
}

fn dir_error(dir: &Path, e: &std::io::Error) -> Error {
    Error::fetch(format!("cannot use the cache directory {}: {}", dir.display(), io_cause(e)))
        .hint("fix its permissions, or set AWSENV_CACHE_DIR to a writable directory")
}

/// The cache directory, opened without following a symlink in its last component, checked to be
/// ours, and tightened to 0700; its ancestors checked as the module comment says.
fn open_dir(dir: &Path) -> Result<OwnedFd, Error> {
    let refused = |why: String| {
        Error::fetch(format!("cache directory {} {why}", dir.display()))
            .hint("remove it, or set AWSENV_CACHE_DIR to a directory of your own")
    };
    let uid = euid();
    // A process opens the cache once per cached step: its ancestors are checked once.
    static CHECKED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let checked = CHECKED.lock().unwrap_or_else(|e| e.into_inner()).iter().any(|d| d == dir);
    for ancestor in dir.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty() && !checked) {
        let Ok(meta) = fs::metadata(ancestor) else { continue };
        if let Some(why) = others_can_change(&meta) {
            return Err(refused(format!("lies below {}, which {why}", ancestor.display())));
        }
    }
    let path = CString::new(dir.as_os_str().as_bytes()).map_err(|_| refused("has a NUL byte in its path".into()))?;
    // SAFETY: a valid NUL-terminated path; the descriptor returned is owned below.
    let fd =
        unsafe { libc::open(path.as_ptr(), libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_RDONLY) };
    if fd < 0 {
        let e = std::io::Error::last_os_error();
        return Err(match e.raw_os_error() {
            Some(libc::ELOOP | libc::ENOTDIR) => refused("is a symlink or not a directory".into()),
            _ => dir_error(dir, &e),
        });
    }
    // SAFETY: `fd` was just opened and nothing else owns it.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    if !checked {
        CHECKED.lock().unwrap_or_else(|e| e.into_inner()).push(dir.to_path_buf());
    }
    let file = File::from(fd);
    let meta = file.metadata().map_err(|e| dir_error(dir, &e))?;
    if meta.uid() != uid {
        return Err(refused(format!("belongs to uid {}, not to you (uid {uid})", meta.uid())));
    }
    if meta.mode() & 0o077 != 0 {
        // SAFETY: a valid descriptor of ours.
        if unsafe { libc::fchmod(file.as_raw_fd(), 0o700) } != 0 {
            return Err(dir_error(dir, &std::io::Error::last_os_error()));
        }
    }
    Ok(OwnedFd::from(file))
}

/// Credentials that arrived already expired (a clock that is off, or a source that hands out
/// stale credentials) are served this long after their fetch rather than fetched again at every
/// prompt.
const MIN_REFETCH: Duration = Duration::from_secs(30);

/// Whether an entry can be served under `margin`, scaled to the credentials' lifetime.
fn is_fresh(entry: &Entry, margin: Duration, lifetime: Option<Duration>) -> bool {
    let now = OffsetDateTime::now_utc();
    let Some(expiration) = entry.credentials.expiration else { return false };
    if let Some(fetched) = entry.fetched_at
        && expiration <= fetched
    {
        return fetched <= now && crate::numbers::until(now, fetched) < MIN_REFETCH;
    }
    let observed = entry.fetched_at.map(|fetched| crate::numbers::until(expiration, fetched));
    let margin = crate::numbers::scaled_window(margin, lifetime.or(observed));
    crate::numbers::until(expiration, now) > margin
}

/// A cache entry as read: the credentials, and when they were fetched (entries written before
/// that was recorded have no such time).
struct Entry {
    credentials: Credentials,
    fetched_at: Option<OffsetDateTime>,
}

/// The entry `file` in `dir`, if it is ours, private, well-formed and for this key; anything
/// else reads as absent.
fn read_entry(dir: libc::c_int, file: &str, name: &str) -> Option<Entry> {
    let text = String::from_utf8(read_private_at(dir, file, MAX_ENTRY_BYTES)?).ok()?;
    let value: Value = serde_json::from_str(&text).ok()?;
    if value.get("awsenv_cache")?.as_u64()? != FORMAT || value.get("key")?.as_str()? != name {
        return None;
    }
    let c = value.get("credentials")?;
    let text_field = |field: &str| c.get(field).and_then(Value::as_str).map(str::to_owned);
    let access_key_id = text_field("AccessKeyId").filter(|k| !k.is_empty())?;
    let secret = text_field("SecretAccessKey").filter(|k| !k.is_empty())?;
    let fetched_at =
        value.get("fetched_at").and_then(Value::as_i64).and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok());
    Some(Entry {
        credentials: Credentials {
            access_key_id,
            secret_access_key: Secret::new(secret),
            session_token: text_field("SessionToken").map(Secret::new),
            expiration: Some(parse_timestamp(&text_field("Expiration")?)?),
            account_id: text_field("AccountId"),
        },
        fetched_at,
    })
}

fn write_entry(dir: libc::c_int, file: &str, name: &str, credentials: &Credentials) -> std::io::Result<()> {
    write_entry_fetched_at(dir, file, name, credentials, OffsetDateTime::now_utc())
}

fn write_entry_fetched_at(
    dir: libc::c_int,
    file: &str,
    name: &str,
    credentials: &Credentials,
    fetched_at: OffsetDateTime,
) -> std::io::Result<()> {
    let body = json!({
        "awsenv_cache": FORMAT,
        "key": name,
        "fetched_at": fetched_at.unix_timestamp(),
        "credentials": {
            "AccessKeyId": credentials.access_key_id,
            "SecretAccessKey": credentials.secret_access_key.expose(),
            "SessionToken": credentials.session_token.as_ref().map(Secret::expose),
            "Expiration": credentials.expiration.map(format_rfc3339),
            "AccountId": credentials.account_id,
        }
    });
    write_private_at(dir, file, body.to_string().as_bytes(), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn only_credential_entries_are_entry_files() {
        let entry = format!("{}.json", Cache::entry_name("assume-role\0arn\u{1f}key"));
        assert!(Cache::is_entry_file(&entry));
        for other in ["index.json", "config-abc", &entry.replace(".json", ".lock"), &format!("{entry}.tmp")] {
            assert!(!Cache::is_entry_file(other), "{other}");
        }
    }

    fn cache_in(dir: &Path) -> Cache {
        let env = Env::from_pairs([("AWSENV_CACHE_DIR", dir.join("c").to_str().unwrap())]);
        Cache::open(&env).unwrap()
    }

    fn credentials(minutes: i64) -> Credentials {
        Credentials {
            access_key_id: "AKIDCACHE".into(),
            secret_access_key: Secret::new("s3cret"),
            session_token: Some(Secret::new("tok")),
            expiration: Some(
                (OffsetDateTime::now_utc() + time::Duration::minutes(minutes)).replace_nanosecond(0).unwrap(),
            ),
            account_id: Some("123456789012".into()),
        }
    }

    const POLICY: Policy =
        Policy { margin: Duration::from_secs(300), lock_wait: Duration::from_secs(5), refresh: false, lifetime: None };

    #[test]
    fn a_fresh_entry_is_served_without_fetching() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = cache_in(tmp.path());
        let fetched = Cell::new(0);
        let fetch = || {
            fetched.set(fetched.get() + 1);
            Ok(credentials(60))
        };
        let first = cache.get_or_fetch("k", POLICY, fetch).unwrap();
        let second = cache.get_or_fetch("k", POLICY, || panic!("must not fetch")).unwrap();
        assert_eq!((first, fetched.get()), (second, 1));
        let mode = fs::metadata(cache.dir()).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o700);
        let entry = cache.dir().join(format!("{}.json", Cache::entry_name("k")));
        assert_eq!(fs::metadata(entry).unwrap().mode() & 0o777, 0o600);
    }

    #[test]
    fn near_expiry_refresh_and_corrupt_entries_fetch_again() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = cache_in(tmp.path());
        let (dir, name) = (cache.fd.as_raw_fd(), Cache::entry_name("k"));
        let file = format!("{name}.json");
        let an_hour_ago = OffsetDateTime::now_utc() - time::Duration::hours(1);
        write_entry_fetched_at(dir, &file, &name, &credentials(2), an_hour_ago).unwrap();
        let renewed = cache.get_or_fetch("k", POLICY, || Ok(credentials(60))).unwrap();
        assert!(is_fresh(&read_entry(dir, &file, &name).unwrap(), POLICY.margin, None));
        let refreshed = cache.get_or_fetch("k", Policy { refresh: true, ..POLICY }, || Ok(credentials(61))).unwrap();
        assert_ne!(refreshed, renewed);
        fs::write(cache.dir().join(&file), "{ not json").unwrap();
        assert_eq!(cache.get_or_fetch("k", POLICY, || Ok(credentials(62))).unwrap().access_key_id, "AKIDCACHE");
        assert!(read_entry(dir, &file, &name).is_some(), "the corrupt entry was replaced");
    }

    #[test]
    fn credentials_that_arrive_expired_are_not_fetched_again_at_once() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = cache_in(tmp.path());
        let (dir, name) = (cache.fd.as_raw_fd(), Cache::entry_name("k"));
        let file = format!("{name}.json");
        let now = OffsetDateTime::now_utc();
        let skewed = Credentials { expiration: Some(now - time::Duration::minutes(1)), ..credentials(0) };
        write_entry_fetched_at(dir, &file, &name, &skewed, now).unwrap();
        assert!(cache.get_or_fetch("k", POLICY, || panic!("fetched again at once")).is_ok());
        write_entry_fetched_at(dir, &file, &name, &skewed, now - time::Duration::minutes(1)).unwrap();
        let renewed = cache.get_or_fetch("k", POLICY, || Ok(credentials(60))).unwrap();
        assert!(renewed.expiration.unwrap() > now, "after a while they are fetched again");
    }

    #[test]
    fn symlinked_and_world_readable_entries_are_ignored_and_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = cache_in(tmp.path());
        let name = Cache::entry_name("k");
        let file = format!("{name}.json");
        let entry = cache.dir().join(&file);
        let elsewhere = File::open(tmp.path()).unwrap();
        write_entry(elsewhere.as_raw_fd(), "elsewhere.json", &name, &credentials(60)).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("elsewhere.json"), &entry).unwrap();
        let dir = cache.fd.as_raw_fd();
        assert!(read_entry(dir, &file, &name).is_none());
        cache.get_or_fetch("k", POLICY, || Ok(credentials(60))).unwrap();
        assert!(!fs::symlink_metadata(&entry).unwrap().file_type().is_symlink());
        fs::set_permissions(&entry, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(read_entry(dir, &file, &name).is_none());
    }

    #[test]
    fn a_foreign_key_in_the_entry_reads_as_absent() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = cache_in(tmp.path());
        let file = format!("{}.json", Cache::entry_name("a"));
        let dir = cache.fd.as_raw_fd();
        write_entry(dir, &file, &Cache::entry_name("b"), &credentials(60)).unwrap();
        assert!(read_entry(dir, &file, &Cache::entry_name("a")).is_none());
    }

    #[test]
    fn a_loose_directory_of_ours_is_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("c");
        fs::create_dir(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
        cache_in(tmp.path());
        assert_eq!(fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
    }

    #[test]
    fn a_symlinked_directory_is_refused_and_its_target_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("planted");
        fs::create_dir(&target).unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::symlink(&target, tmp.path().join("c")).unwrap();
        let env = Env::from_pairs([("AWSENV_CACHE_DIR", tmp.path().join("c").to_str().unwrap())]);
        let error = Cache::open(&env).err().expect("a symlinked cache directory is refused").to_string();
        assert!(error.contains("symlink"), "{error}");
        assert_eq!(fs::metadata(&target).unwrap().mode() & 0o777, 0o755, "the target was not chmod-ed");
        assert!(Cache::existing(&env).is_none());
        // Below a directory others may write to (and that is not sticky), nothing is trusted.
        let open = tmp.path().join("open");
        fs::create_dir(&open).unwrap();
        fs::set_permissions(&open, fs::Permissions::from_mode(0o777)).unwrap();
        let env = Env::from_pairs([("AWSENV_CACHE_DIR", open.join("c").to_str().unwrap())]);
        let error = Cache::open(&env).err().expect("refused below a world-writable directory").to_string();
        assert!(error.contains("others can write"), "{error}");
        // A symlinked ancestor of ours is fine.
        fs::create_dir(tmp.path().join("real")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("real"), tmp.path().join("link")).unwrap();
        let env = Env::from_pairs([("AWSENV_CACHE_DIR", tmp.path().join("link/c").to_str().unwrap())]);
        assert!(Cache::open(&env).is_ok());
    }
}
