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
pub mod line;

pub use line::{
    Backend, StoreLine, credential_process_line, reference, reference_argument, store_line, untrusted_program,
};

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::credentials::{Credentials, Secret};
use crate::env::Env;
use crate::error::{Error, io_cause, quoted};

pub const HELPER: &str = "awsenv-keys";

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
    crate::helper::sibling(HELPER, "AWSENV_KEYS")
}

/// One request to the store, in `awsenv-keys`, answered by `deadline`; the secret travels on its
/// stdin and stdout only.
pub fn call(request: &Request, deadline: std::time::Instant) -> Result<Answer, Error> {
    match crate::helper::exchange(&helper_path()?, HELPER, "AWSENV_KEYS", request, deadline)? {
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
