//! Private files: the one place that creates, reads, replaces and sweeps files that only their
//! owner may read (0600), inside a directory opened once without following a symlink (the cache
//! directory, awsenv's data directory). Everything is done relative to the directory's
//! descriptor (`openat`, `renameat`, `unlinkat`), so nothing can be swapped under a path; a file
//! that is not a private regular file of ours reads as absent, never as an error.
//!
//! The cache, the section index, `list`'s saved rows, the config copies, the console's pages, the
//! key file and its index all go through here.

use std::ffi::CString;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;
use std::time::Duration;

// SAFETY (for every use below): geteuid has no preconditions and cannot fail.
pub(crate) fn euid() -> u32 {
    unsafe { libc::geteuid() }
}

/// Why someone other than the user could change what `meta` describes, if anyone could: it
/// belongs to another user than the user or root, or others may write to it (a sticky
/// directory such as `/tmp` excepted: there nobody replaces what is not theirs). The one rule
/// for the cache directory's ancestors and for the program a key-store line names.
pub(crate) fn others_can_change(meta: &fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::MetadataExt;
    let sticky_directory = meta.is_dir() && meta.mode() & libc::S_ISVTX != 0;
    if meta.mode() & 0o022 != 0 && !sticky_directory {
        Some("others can write to")
    } else if meta.uid() != euid() && meta.uid() != 0 {
        Some("belongs to someone else")
    } else {
        None
    }
}

/// `name` in the directory `dir`, never through a symlink.
pub(crate) fn open_at(dir: libc::c_int, name: &str, flags: libc::c_int, mode: libc::mode_t) -> std::io::Result<File> {
    let name = CString::new(name).map_err(|_| std::io::Error::from(ErrorKind::InvalidInput))?;
    // SAFETY: a valid descriptor and NUL-terminated name; the result is owned by the File.
    let fd =
        unsafe { libc::openat(dir, name.as_ptr(), flags | libc::O_NOFOLLOW | libc::O_CLOEXEC, mode as libc::c_uint) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: just opened, owned by nobody else.
    Ok(unsafe { File::from_raw_fd(fd) })
}

pub(crate) fn read_private_at(dir: libc::c_int, name: &str, max_bytes: u64) -> Option<Vec<u8>> {
    read_private_file(open_at(dir, name, libc::O_RDONLY | libc::O_NONBLOCK, 0).ok()?, max_bytes)
}

/// Replace `name` in `dir` with `bytes`, 0600, atomically, all relative to the descriptor.
pub(crate) fn write_private_at(
    dir: libc::c_int,
    name: &str,
    bytes: &[u8],
    mtime: Option<(i64, i64)>,
) -> std::io::Result<()> {
    let temp = temporary_name(name);
    let result = (|| {
        let mut file = open_at(dir, &temp, libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL, 0o600)?;
        // SAFETY: a valid descriptor of ours.
        if unsafe { libc::fchmod(file.as_raw_fd(), 0o600) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        file.write_all(bytes)?;
        if let Some((seconds, nanoseconds)) = mtime {
            let time = libc::timespec { tv_sec: seconds, tv_nsec: nanoseconds };
            // SAFETY: a valid descriptor and two timespecs.
            if unsafe { libc::futimens(file.as_raw_fd(), [time, time].as_ptr()) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        file.sync_all()?;
        let (from, to) = (CString::new(temp.as_str())?, CString::new(name)?);
        // SAFETY: valid descriptors and NUL-terminated names.
        if unsafe { libc::renameat(dir, from.as_ptr(), dir, to.as_ptr()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: a valid descriptor.
        if unsafe { libc::fsync(dir) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    })();
    if result.is_err()
        && let Ok(temp) = CString::new(temp)
    {
        // SAFETY: a valid descriptor and name.
        unsafe { libc::unlinkat(dir, temp.as_ptr(), 0) };
    }
    result
}

/// A temporary file name for `name` that no other writer uses: pid and time.
fn temporary_name(name: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!(".{name}.{}.{nanos}.tmp", std::process::id())
}

/// A writer killed between creating its temporary file and renaming it leaves the temporary
/// behind; whoever writes next removes those older than a minute (no live writer takes that long).
pub(crate) fn sweep_abandoned_temporaries(path: &Path, dir: libc::c_int) {
    remove_old(path, dir, Duration::from_secs(60), |name| name.starts_with('.') && name.ends_with(".tmp"));
}

/// Remove the files of the directory (`path`, opened as `dir`) that `chosen` names and that have
/// not changed for `age`, relative to the descriptor.
pub(crate) fn remove_old(path: &Path, dir: libc::c_int, age: Duration, chosen: impl Fn(&str) -> bool) {
    let Ok(entries) = fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let old = || entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().unwrap_or_default() > age);
        if chosen(&name)
            && old()
            && let Ok(name) = CString::new(name.as_bytes())
        {
            // SAFETY: a valid descriptor and NUL-terminated name; unlinkat never follows a link.
            unsafe { libc::unlinkat(dir, name.as_ptr(), 0) };
        }
    }
}

/// The bytes of a regular file of ours that nobody else can read or write, not followed through
/// a symlink and not larger than `max_bytes`; anything else reads as absent.
pub fn read_private(path: &Path, max_bytes: u64) -> Option<Vec<u8>> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    read_private_file(file, max_bytes)
}

fn read_private_file(mut file: File, max_bytes: u64) -> Option<Vec<u8>> {
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.uid() != euid() || meta.mode() & 0o077 != 0 || meta.len() > max_bytes {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Replace `path` (in `dir`) with `bytes`, 0600, atomically: a temporary file, fsync, rename,
/// fsync of the directory. Readers see the old file or the new one, never a part.
pub fn write_private(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().ok_or_else(|| std::io::Error::from(ErrorKind::InvalidInput))?;
    let name = name.to_str().ok_or_else(|| std::io::Error::from(ErrorKind::InvalidInput))?;
    let dir = File::open(dir)?;
    write_private_at(dir.as_raw_fd(), name, bytes, None)
}

/// The mtime (seconds, nanoseconds) of `name` in `dir` if it is a private regular file of ours.
pub(crate) fn mtime_at(dir: libc::c_int, name: &str) -> Option<(i64, i64)> {
    let name = CString::new(name).ok()?;
    // SAFETY: a zeroed stat is a valid out-parameter; the descriptor and name are valid.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::fstatat(dir, name.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) };
    let regular = st.st_mode & libc::S_IFMT == libc::S_IFREG;
    (rc == 0 && regular && st.st_uid == euid() && st.st_mode & 0o077 == 0).then_some((st.st_mtime, st.st_mtime_nsec))
}

/// Remove `name` from `dir` (never through a link); whether there was one.
pub(crate) fn remove_at(dir: libc::c_int, name: &str) -> bool {
    let Ok(name) = CString::new(name) else { return false };
    // SAFETY: a valid descriptor and NUL-terminated name; unlinkat never follows a link.
    unsafe { libc::unlinkat(dir, name.as_ptr(), 0) == 0 }
}

/// Rename `from` to `to` inside `dir`.
pub(crate) fn rename_at(dir: libc::c_int, from: &str, to: &str) -> std::io::Result<()> {
    let (from, to) = (CString::new(from)?, CString::new(to)?);
    // SAFETY: valid descriptors and names.
    if unsafe { libc::renameat(dir, from.as_ptr(), dir, to.as_ptr()) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The names in the directory at `path` that start with `prefix`.
pub(crate) fn names_at(path: &Path, prefix: &str) -> Vec<String> {
    let Ok(entries) = fs::read_dir(path) else { return Vec::new() };
    entries.flatten().filter_map(|e| e.file_name().into_string().ok()).filter(|n| n.starts_with(prefix)).collect()
}

/// A file of JSON that another tool keeps (the AWS CLI's SSO tokens, `aws login`'s cache), read
/// whole: absent is `None`; anything but a regular file of sane size holding one JSON object is an
/// error saying it is not `what`.
pub fn read_json_object(
    path: &std::path::Path,
    what: &str,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, String> {
    const MAX_BYTES: u64 = 1 << 20;
    let bytes = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(crate::error::io_cause(&e)),
        Ok(meta) if !meta.is_file() || meta.len() > MAX_BYTES => return Err(format!("it is not {what}")),
        Ok(_) => std::fs::read(path).map_err(|e| crate::error::io_cause(&e))?,
    };
    match serde_json::from_slice(&bytes) {
        Ok(serde_json::Value::Object(members)) => Ok(Some(members)),
        _ => Err(format!("it is not {what} (not a JSON object)")),
    }
}

/// Write such a file back as those tools write it: indented JSON, 0600, atomically (a temporary
/// file and a rename in the same directory).
pub fn write_json_object(
    path: &std::path::Path,
    members: &serde_json::Map<String, serde_json::Value>,
) -> std::io::Result<()> {
    let dir = path.parent().expect("cache files live in a directory");
    std::fs::create_dir_all(dir)?;
    write_private(dir, path, &serde_json::to_vec_pretty(members).expect("JSON serialises"))
}
