//! Long-term access keys out of plaintext: a secret store behind one request format, spoken by
//! `awsenv-keys` (a process of its own, so that neither D-Bus nor the key derivation is ever
//! linked into, or run by, a warm `use`).
//!
//! A profile points at the store with a line every SDK understands,
//! `credential_process = awsenv credential-process --key-store os:NAME`; awsenv recognises its
//! own line (`reference`) and asks `awsenv-keys` directly instead of starting itself again.
//! What is not secret (which profiles have keys in which store, and their key ids) is kept in an
//! index beside the encrypted file, so `keys list` and the cache keys of the roles on top need no
//! store at all.

pub mod file;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::credentials::{Credentials, Secret};
use crate::env::Env;
use crate::error::{Error, io_cause, quoted};

pub const HELPER: &str = "awsenv-keys";

/// Where keys are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// The OS secret store: the Secret Service (D-Bus) on Linux, the Keychain on macOS.
    Os,
    /// A file encrypted with a passphrase (Argon2id, XChaCha20-Poly1305).
    File,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Os => "os",
            Backend::File => "file",
        }
    }

    pub fn parse(text: &str) -> Option<Backend> {
        match text {
            "os" => Some(Backend::Os),
            "file" => Some(Backend::File),
            _ => None,
        }
    }

    /// `AWSENV_KEY_STORE`, else the OS store (see the README for why).
    pub fn default(env: &Env) -> Result<Backend, Error> {
        match env.get_nonempty("AWSENV_KEY_STORE") {
            None => Ok(Backend::Os),
            Some(name) => Backend::parse(name)
                .ok_or_else(|| Error::usage(format!("AWSENV_KEY_STORE must be os or file, not {}", quoted(name)))),
        }
    }
}

/// Long-term keys as stored.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoredKey({}, <secret>)", self.access_key_id)
    }
}

impl StoredKey {
    pub fn credentials(&self) -> Credentials {
        Credentials {
            access_key_id: self.access_key_id.clone(),
            secret_access_key: Secret::new(self.secret_access_key.clone()),
            session_token: None,
            expiration: None,
            account_id: None,
        }
    }
}

/// `--key-store BACKEND:NAME`, as it stands in a `credential_process` line.
pub fn reference_argument(backend: Backend, name: &str) -> String {
    format!("{}:{name}", backend.name())
}

/// The `credential_process` value that makes every SDK ask awsenv for this profile's keys: `exe`
/// must pass `untrusted_program` first (the caller checks, and says why not).
pub fn credential_process_line(exe: &str, backend: Backend, name: &str) -> String {
    format!(
        "{} credential-process --key-store {}",
        crate::shell::posix_word(exe),
        crate::shell::posix_word(&reference_argument(backend, name))
    )
}

/// A `credential_process` line in awsenv's own shape, whether or not its program can be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreLine {
    pub program: String,
    pub backend: Backend,
    pub name: String,
}

/// `command` (a `credential_process` value) in the shape of awsenv's own line.
pub fn store_line(command: &str) -> Option<StoreLine> {
    let words = split_posix(command)?;
    let [program, subcommand, flag, argument] = words.as_slice() else { return None };
    let program_name = Path::new(program).file_name()?.to_str()?;
    if program_name != "awsenv" || subcommand != "credential-process" || flag != "--key-store" {
        return None;
    }
    let (backend, name) = argument.split_once(':')?;
    let backend = Backend::parse(backend)?;
    (!name.is_empty()).then(|| StoreLine { program: program.clone(), backend, name: name.to_owned() })
}

/// Whether `command` is awsenv's own line, for which keys: its shape, and a program that passes
/// `untrusted_program` (a bare `awsenv` is found through PATH, as every SDK finds it). A line
/// whose program fails is not awsenv's: it is run like any other `credential_process`, as the
/// SDKs run it, and `lint` names it.
pub fn reference(command: &str) -> Option<(Backend, String)> {
    let line = store_line(command)?;
    untrusted_program(&line.program).is_none().then_some((line.backend, line.name))
}

/// Why the program of a key-store line must not be trusted to be awsenv, if it must not: every
/// SDK runs it with the right to hand out this profile's credentials, so it, and every
/// directory above it, must be owned by the user or root and writable by nobody else (a sticky
/// directory such as /tmp excepted, where others cannot replace what is not theirs), checked
/// along the path as written and along the path its links lead to. `None` for a bare `awsenv`.
pub fn untrusted_program(program: &str) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    if !program.contains('/') {
        return None;
    }
    let path = Path::new(program);
    if !path.is_absolute() {
        return Some("is a relative path: it names another program in every directory an SDK runs in".into());
    }
    let Ok(real) = std::fs::canonicalize(path) else {
        return Some("does not exist (moved by an upgrade, or removed with its package?)".into());
    };
    // SAFETY: geteuid has no preconditions and cannot fail.
    let uid = unsafe { libc::geteuid() };
    let check = |p: &Path, is_file: bool| -> Option<String> {
        let meta = std::fs::metadata(p).ok()?;
        if meta.uid() != uid && meta.uid() != 0 {
            return Some(format!("lies in or is {}, which belongs to someone else", p.display()));
        }
        let others_write = meta.mode() & 0o022 != 0;
        let sticky = !is_file && meta.mode() & libc::S_ISVTX != 0;
        (others_write && !sticky).then(|| format!("lies in or is {}, which others can write to", p.display()))
    };
    for (chain, file) in [(path, path), (real.as_path(), real.as_path())] {
        if let Some(problem) = check(file, true) {
            return Some(problem);
        }
        for ancestor in chain.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()) {
            if let Some(problem) = check(ancestor, false) {
                return Some(problem);
            }
        }
    }
    None
}

/// Words as a POSIX shell splits them, for the simple quoting `credential_process_line` writes
/// (single quotes, backslashes, plain words); `None` for anything else (a pipeline, a variable).
fn split_posix(command: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => w.push(c),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).push(chars.next()?),
            '"' | '$' | '`' | '|' | '&' | ';' | '<' | '>' | '(' | ')' | '*' | '?' | '[' | '#' | '~' => return None,
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Some(words)
}

/// awsenv's data directory: `$XDG_DATA_HOME/awsenv`, else `~/.local/share/awsenv`.
pub fn data_dir(env: &Env) -> Option<PathBuf> {
    if let Some(xdg) = env.get_nonempty("XDG_DATA_HOME").filter(|x| x.starts_with('/')) {
        return Some(Path::new(xdg).join("awsenv"));
    }
    let home = crate::config::locate::home_dir(env, crate::config::Platform::CURRENT)?;
    Some(Path::new(&home).join(".local/share/awsenv"))
}

/// The encrypted key file: `AWSENV_KEY_FILE`, else `keys.enc` in the data directory.
pub fn key_file(env: &Env) -> Option<PathBuf> {
    env.get_nonempty("AWSENV_KEY_FILE").map(PathBuf::from).or_else(|| Some(data_dir(env)?.join("keys.enc")))
}

/// One entry of the index: what is not secret about a stored key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct IndexEntry {
    pub name: String,
    pub backend: Backend,
    pub access_key_id: String,
    pub added: String,
}

fn index_file(env: &Env) -> Option<PathBuf> {
    Some(data_dir(env)?.join("keys-index.json"))
}

/// The index; a missing or unreadable one is empty (it is rebuilt as keys are added).
pub fn read_index(env: &Env) -> Vec<IndexEntry> {
    let Some(path) = index_file(env) else { return Vec::new() };
    crate::private_files::read_private(&path, 1 << 20)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// The index's entry for `name` in `backend`.
pub fn indexed(env: &Env, backend: Backend, name: &str) -> Option<IndexEntry> {
    read_index(env).into_iter().find(|e| e.name == name && e.backend == backend)
}

pub fn write_index(env: &Env, entries: &[IndexEntry]) -> Result<(), Error> {
    let path = index_file(env).ok_or_else(|| Error::files("HOME is not set").hint("set HOME or XDG_DATA_HOME"))?;
    let dir = path.parent().expect("a file in a directory");
    private_dir(dir)?;
    let bytes = serde_json::to_vec_pretty(entries).expect("the index serialises");
    crate::private_files::write_private(dir, &path, &bytes)
        .map_err(|e| Error::files(format!("cannot write {}: {}", path.display(), io_cause(&e))))
}

/// `dir`, made 0700 if it is not there.
pub fn private_dir(dir: &Path) -> Result<(), Error> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::files(format!("cannot make {}: {}", dir.display(), io_cause(&e))))
}

/// A request to `awsenv-keys`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// `may_ask`: whether the file store may ask for its passphrase on the terminal (never from
    /// the prompt hook, the background refresher or a server's renewal).
    Get {
        backend: Backend,
        name: String,
        #[serde(default = "may_ask_by_default")]
        may_ask: bool,
    },
    Put {
        backend: Backend,
        name: String,
        key: StoredKey,
    },
    Delete {
        backend: Backend,
        name: String,
    },
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Key(Option<StoredKey>),
    Done,
    Error { message: String, hint: Option<String> },
}

fn may_ask_by_default() -> bool {
    true
}

/// How a read of the store may behave: whether a person may be asked, and by when it must have
/// answered (a store that asks for nothing but hangs, a slow keyring, is cut off then).
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    pub may_ask: bool,
    pub deadline: std::time::Instant,
}

impl Patience {
    /// A person at a terminal: a passphrase may be typed, within the time a login allows.
    pub fn person() -> Patience {
        Patience { may_ask: true, deadline: std::time::Instant::now() + std::time::Duration::from_secs(600) }
    }

    /// For a resolution with these options: nobody is asked when the hook, the refresher or a
    /// server resolves, and the hook's own deadline bounds the store too.
    pub fn for_fetch(hook: bool, deadline: Option<std::time::Instant>) -> Patience {
        let default = if hook { std::time::Duration::from_secs(30) } else { std::time::Duration::from_secs(600) };
        Patience { may_ask: !hook, deadline: deadline.unwrap_or_else(|| std::time::Instant::now() + default) }
    }
}

/// `awsenv-keys` beside this executable (`AWSENV_KEYS` overrides, for packagers).
pub fn helper_path() -> Result<PathBuf, Error> {
    crate::aws::helper::sibling(HELPER, "AWSENV_KEYS")
}

/// One request to the store, in `awsenv-keys`, answered by `deadline`; the secret travels on its
/// stdin and stdout only.
pub fn call(request: &Request, deadline: std::time::Instant) -> Result<Answer, Error> {
    match crate::aws::helper::exchange(&helper_path()?, HELPER, "AWSENV_KEYS", request, deadline)? {
        Answer::Error { message, hint } => {
            Err(Error { kind: crate::error::ErrorKind::Fetch, profile: None, message, hint })
        }
        answer => Ok(answer),
    }
}

/// The keys stored for `name`, as credentials; an error naming the store when there are none.
pub fn get(backend: Backend, name: &str, patience: Patience) -> Result<Credentials, Error> {
    match call(&Request::Get { backend, name: name.to_owned(), may_ask: patience.may_ask }, patience.deadline)? {
        Answer::Key(Some(key)) => Ok(key.credentials()),
        Answer::Key(None) => {
            Err(Error::fetch(format!("the {} key store has no keys for {}", backend.name(), quoted(name)))
                .hint(format!("add them with `awsenv keys add {}`", crate::shell::posix_word(name))))
        }
        _ => Err(Error::fetch(format!("{HELPER} answered with something other than keys"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awsenv_recognises_its_own_line_and_nothing_else() {
        let line = credential_process_line("/opt/my tools/awsenv", Backend::Os, "prod");
        assert_eq!(line, "'/opt/my tools/awsenv' credential-process --key-store os:prod");
        let shape = store_line(&line).unwrap();
        assert_eq!(
            (shape.program.as_str(), shape.backend, shape.name.as_str()),
            ("/opt/my tools/awsenv", Backend::Os, "prod")
        );
        // The shape alone is not enough: a program that is not there is not trusted to be awsenv.
        assert_eq!(reference(&line), None);
        assert!(untrusted_program("/opt/my tools/awsenv").unwrap().contains("does not exist"));
        assert!(untrusted_program("bin/awsenv").unwrap().contains("relative path"));
        assert_eq!(
            reference("awsenv credential-process --key-store file:a/b"),
            Some((Backend::File, "a/b".to_owned()))
        );
        for other in [
            "awsenv credential-process prod",
            "awsenv credential-process --key-store os:prod; rm -rf /",
            "awsenv credential-process --key-store vault:prod",
            "/usr/bin/other credential-process --key-store os:prod",
            "awsenv credential-process --key-store \"os:prod\"",
        ] {
            assert_eq!(reference(other), None, "{other}");
        }
    }
}
