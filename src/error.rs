//! One error type for the whole program: a profile (when one is involved), a cause that cites
//! file:line or the remote error, and a hint. `Display` is always exactly one line.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line itself is wrong (exit 2).
    Usage,
    /// The files cannot be read or parsed.
    Files,
    /// The files are readable but the profile cannot be resolved as written.
    Plan,
    /// Getting or using the credentials failed at run time.
    Fetch,
    /// A value cannot be written for the chosen shell.
    Unrepresentable,
}

#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub profile: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, profile: None, message: message.into(), hint: None }
    }
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage, message)
    }
    pub fn files(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Files, message)
    }
    pub fn plan(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Plan, message)
    }
    pub fn fetch(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Fetch, message)
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }
    /// Name the profile, unless a more specific one was named already.
    pub fn profile(mut self, profile: &str) -> Error {
        if self.profile.is_none() {
            self.profile = Some(profile.to_owned());
        }
        self
    }
    /// The same error, its message prefixed with where it happened (`role X (file:line): ...`).
    pub fn context(mut self, prefix: impl std::fmt::Display) -> Error {
        self.message = format!("{prefix}: {}", self.message);
        self
    }
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Usage => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(profile) = &self.profile {
            // A message that starts by naming the same profile needs no prefix.
            let prefix = format!("profile {}", quoted(profile));
            if !self.message.starts_with(&prefix) {
                write!(f, "{prefix}: ")?;
            }
        }
        // Every message and hint passes through `printable`: terminal escape sequences from a
        // remote answer or a file are removed, other control characters shown escaped, so an
        // error stays one plain line.
        f.write_str(&crate::text::printable(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "; hint: {}", crate::text::printable(hint))?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A name inside a message, quoted and with control characters escaped, so a hostile name can
/// neither break the one-line rule nor paint the terminal.
pub fn quoted(name: &str) -> String {
    let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{}\"", crate::text::printable(&escaped))
}

/// The cause of an I/O error without Rust's "(os error N)" suffix.
pub fn io_cause(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_lowercase(),
        None => text.to_lowercase(),
    }
}
