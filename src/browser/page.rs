//! The private sign-in page: the one copy of the sign-in URL on disk, there only until the browser
//! has read it.
//!
//! The URL signs in whoever has it for 15 minutes, so it never goes on a command line (other
//! users read `/proc/PID/cmdline`). The browser is given the path of a 0600 page in awsenv's
//! private cache directory that redirects to the URL; awsenv watches the page (inotify on Linux)
//! and removes it as soon as the browser has opened and closed it, or when the browser gives up.
//! Pages left by a run that was killed half-way are swept by the next one.

use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant, SystemTime};

use crate::cache::Cache;
use crate::error::{Error, io_cause};

/// How long the browser has to read the page. A browser that starts cold on a busy machine takes
/// seconds; one that is already running, well under one.
const READ_TIMEOUT: Duration = Duration::from_secs(60);
const PREFIX: &str = "console-";

pub struct Page {
    path: PathBuf,
    /// Set up before the browser starts, so that no read is missed.
    watch: ReadWatch,
}

impl Page {
    /// Write the page that sends the browser to `url`.
    pub fn write(cache: &Cache, url: &str) -> Result<Page, Error> {
        cache.sweep(PREFIX, "", Duration::from_secs(60));
        let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = cache.dir().join(format!("{PREFIX}{}-{nanos}.html", std::process::id()));
        let html_url = url.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
        let html = format!(
            "<!doctype html><meta http-equiv=\"refresh\" content=\"0;url={html_url}\"><title>awsenv: signing in</title>\n"
        );
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path)?;
            std::io::Write::write_all(&mut file, html.as_bytes())
        };
        write().map_err(|e| {
            Error::fetch(format!("cannot write the sign-in page in {}: {}", cache.dir().display(), io_cause(&e)))
        })?;
        let watch = ReadWatch::new(&path);
        Ok(Page { path, watch })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Wait until the browser has read the page, then remove it. `browser` is the launched
    /// command: a launcher that fails before the page is read ends the wait with an error; one
    /// that exits cleanly has handed the page to a running browser, which reads it later.
    pub fn handed_over(mut self, browser: &mut Child, shown: &str) -> Result<(), Error> {
        let outcome = wait_for_read(&self.path, &mut self.watch, browser, READ_TIMEOUT);
        // Read or not, the page goes now: a later reader would sign in.
        drop(self);
        match outcome {
            Waited::Read => Ok(()),
            Waited::Failed(status) => Err(Error::fetch(format!("{shown} ended ({status}) without opening the sign-in page"))
                .hint("check --browser and --browser-profile, or use --print to get the URL")),
            Waited::TimedOut => Err(Error::fetch(format!(
                "{shown} did not open the sign-in page within {} s; the page was removed",
                READ_TIMEOUT.as_secs()
            ))
            .hint("a browser confined by snap or flatpak cannot read awsenv's cache directory: use --print and paste the URL")),
        }
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

enum Waited {
    Read,
    Failed(std::process::ExitStatus),
    TimedOut,
}

/// How often a wait looks at the launched command besides the page.
const TICK: Duration = Duration::from_millis(100);
/// A browser may read the page more than once (Firefox reads it in its main process, then again
/// in the one that renders it, tens of milliseconds apart): the page is done with when it has
/// been read, nobody has it open, and nobody opened it again for this long.
const SETTLE: Duration = Duration::from_millis(1500);

fn wait_for_read(path: &Path, watch: &mut ReadWatch, browser: &mut Child, timeout: Duration) -> Waited {
    let deadline = Instant::now() + timeout;
    let mut launcher_done = false;
    let mut last_read: Option<Instant> = None;
    loop {
        match watch.poll(path, TICK) {
            Reading::Open => last_read = None,
            Reading::Closed => last_read = Some(Instant::now()),
            Reading::Nothing => {}
        }
        if let Some(at) = last_read
            && at.elapsed() >= SETTLE
        {
            return Waited::Read;
        }
        if !launcher_done && let Ok(Some(status)) = browser.try_wait() {
            if !status.success() && last_read.is_none() && !watch.ever_opened() {
                return Waited::Failed(status);
            }
            launcher_done = true;
        }
        if Instant::now() >= deadline {
            return if last_read.is_some() { Waited::Read } else { Waited::TimedOut };
        }
    }
}

/// What happened to the page during one poll.
#[derive(Debug, PartialEq, Eq)]
enum Reading {
    /// Someone has it open (or opened it again).
    Open,
    /// Everyone who opened it has closed it.
    Closed,
    Nothing,
}

/// Watching a page's readers: inotify's opens and closes-after-reading on Linux; elsewhere its
/// access time moving past its write time.
struct ReadWatch {
    #[cfg(target_os = "linux")]
    fd: Option<std::os::fd::OwnedFd>,
    open: u32,
    opened: bool,
}

impl ReadWatch {
    fn ever_opened(&self) -> bool {
        self.opened
    }

    #[cfg(target_os = "linux")]
    fn new(path: &Path) -> ReadWatch {
        use std::os::fd::{AsRawFd, FromRawFd};
        use std::os::unix::ffi::OsStrExt;
        let none = ReadWatch { fd: None, open: 0, opened: false };
        // SAFETY: plain system calls on a descriptor this function owns from here on.
        let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
        if fd < 0 {
            return none;
        }
        let fd = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) };
        let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else { return none };
        let added =
            unsafe { libc::inotify_add_watch(fd.as_raw_fd(), name.as_ptr(), libc::IN_OPEN | libc::IN_CLOSE_NOWRITE) };
        ReadWatch { fd: (added >= 0).then_some(fd), ..none }
    }

    #[cfg(not(target_os = "linux"))]
    fn new(_path: &Path) -> ReadWatch {
        ReadWatch { open: 0, opened: false }
    }

    /// Wait up to `tick` for the page's readers.
    #[cfg(target_os = "linux")]
    fn poll(&mut self, path: &Path, tick: Duration) -> Reading {
        use std::os::fd::AsRawFd;
        let Some(fd) = &self.fd else { return self.by_access_time(path, tick) };
        let mut poll = libc::pollfd { fd: fd.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        let millis = libc::c_int::try_from(tick.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd; the buffer is ours and sized as passed.
        if unsafe { libc::poll(&mut poll, 1, millis) } <= 0 {
            return Reading::Nothing;
        }
        let mut events = [0u8; 4096];
        let n = unsafe { libc::read(fd.as_raw_fd(), events.as_mut_ptr().cast(), events.len()) };
        let n = usize::try_from(n).unwrap_or(0);
        let header = std::mem::size_of::<libc::inotify_event>();
        let (mut at, mut seen) = (0usize, false);
        while at + header <= n {
            // SAFETY: the kernel wrote whole events; read_unaligned copes with the byte buffer.
            let event: libc::inotify_event = unsafe { std::ptr::read_unaligned(events.as_ptr().add(at).cast()) };
            if event.mask & libc::IN_OPEN != 0 {
                self.open = self.open.saturating_add(1);
                (self.opened, seen) = (true, true);
            }
            if event.mask & libc::IN_CLOSE_NOWRITE != 0 {
                self.open = self.open.saturating_sub(1);
                seen = true;
            }
            at += header + event.len as usize;
        }
        match (seen, self.open) {
            (false, _) => Reading::Nothing,
            (true, 0) => Reading::Closed,
            (true, _) => Reading::Open,
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn poll(&mut self, path: &Path, tick: Duration) -> Reading {
        self.by_access_time(path, tick)
    }

    /// The fallback: after `tick`, whether the page's access time has moved past its write time
    /// (once: later reads cannot be told apart).
    fn by_access_time(&mut self, path: &Path, tick: Duration) -> Reading {
        std::thread::sleep(tick);
        let read =
            std::fs::metadata(path).is_ok_and(|m| matches!((m.accessed(), m.modified()), (Ok(a), Ok(w)) if a > w));
        if read && !self.opened {
            self.opened = true;
            return Reading::Closed;
        }
        Reading::Nothing
    }
}
