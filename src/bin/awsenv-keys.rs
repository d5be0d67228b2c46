//! awsenv's secret store: reads one request (JSON) on stdin, answers (JSON) on stdout. Kept out
//! of `awsenv` so that the prompt path never links D-Bus or runs a key derivation; see
//! `awsenv::keys`. The OS store is the Secret Service on Linux and the Keychain on macOS; the
//! file store asks for its passphrase on the terminal unless `AWSENV_FILE_PASSPHRASE` gives it.

use std::io::{Read, Write};
use std::process::ExitCode;

use awsenv::env::Env;
use awsenv::error::Error;
use awsenv::keys::{Answer, Backend, Request, StoredKey, file};

/// Every entry lives under this service name in the OS store, one per profile.
const SERVICE: &str = "awsenv";

fn main() -> ExitCode {
    if std::env::args_os().nth(1).is_some_and(|a| a == "--version") {
        println!("awsenv-keys {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let mut input = Vec::new();
    let answer = match std::io::stdin().read_to_end(&mut input) {
        Ok(_) => match serde_json::from_slice::<Request>(&input) {
            Ok(request) => handle(&request).unwrap_or_else(|e| Answer::Error { message: e.message, hint: e.hint }),
            Err(_) => Answer::Error {
                message: "awsenv-keys: the request is not one it understands".into(),
                hint: Some("awsenv and awsenv-keys must be of one version".into()),
            },
        },
        Err(e) => Answer::Error { message: format!("awsenv-keys: cannot read the request: {e}"), hint: None },
    };
    let body = serde_json::to_vec(&answer).expect("answers serialise");
    match std::io::stdout().write_all(&body) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

fn handle(request: &Request) -> Result<Answer, Error> {
    let env = Env::from_process();
    match request {
        Request::Get { backend: Backend::Os, name, .. } => os::get(name).map(Answer::Key),
        Request::Put { backend: Backend::Os, name, key } => os::put(name, key).map(|()| Answer::Done),
        Request::Delete { backend: Backend::Os, name } => os::delete(name).map(|()| Answer::Done),
        Request::Get { backend: Backend::File, name, may_ask } => {
            let path = key_file(&env)?;
            if !path.exists() {
                return Ok(Answer::Key(None));
            }
            Ok(Answer::Key(file::read(&path, &passphrase(&env, &path, false, *may_ask)?)?.keys.get(name).cloned()))
        }
        Request::Put { backend: Backend::File, name, key } => {
            let path = key_file(&env)?;
            let passphrase = passphrase(&env, &path, !path.exists(), true)?;
            file::update(&path, &passphrase, |keys| {
                keys.keys.insert(name.clone(), key.clone());
                Ok(())
            })?;
            Ok(Answer::Done)
        }
        Request::Delete { backend: Backend::File, name } => {
            let path = key_file(&env)?;
            if !path.exists() {
                return Ok(Answer::Done);
            }
            file::update(&path, &passphrase(&env, &path, false, true)?, |keys| {
                keys.keys.remove(name);
                Ok(())
            })?;
            Ok(Answer::Done)
        }
    }
}

fn key_file(env: &Env) -> Result<std::path::PathBuf, Error> {
    awsenv::keys::key_file(env)
        .ok_or_else(|| Error::files("HOME is not set").hint("set HOME, XDG_DATA_HOME or AWSENV_KEY_FILE"))
}

/// `AWSENV_FILE_PASSPHRASE`, else typed on the terminal (twice for a new file) when someone
/// may be asked.
fn passphrase(env: &Env, path: &std::path::Path, new: bool, may_ask: bool) -> Result<String, Error> {
    if let Some(given) = env.get_nonempty("AWSENV_FILE_PASSPHRASE") {
        return Ok(given.to_owned());
    }
    if !may_ask {
        return Err(Error::fetch(format!(
            "the key file {} needs its passphrase, and nothing asks for it at the prompt or in the background",
            path.display()
        ))
        .hint("run `awsenv use` (or the command) at a terminal, or set AWSENV_FILE_PASSPHRASE"));
    }
    let nobody = |_| {
        Error::fetch(format!("the key file {} needs its passphrase and there is no terminal to ask on", path.display()))
            .hint("set AWSENV_FILE_PASSPHRASE where nobody can type (the file store serves interactive use otherwise)")
    };
    let first = awsenv::tty::ask_secret(&format!("Passphrase for {}: ", path.display())).map_err(nobody)?;
    if first.is_empty() {
        return Err(Error::usage("the passphrase is empty"));
    }
    if new {
        let again = awsenv::tty::ask_secret("The same passphrase again: ").map_err(nobody)?;
        if again != first {
            return Err(Error::usage("the two passphrases differ; nothing was stored"));
        }
    }
    Ok(first)
}

/// The OS store through the keyring crate: one entry per profile, its secret the key as JSON.
mod os {
    use super::{Error, SERVICE, StoredKey};

    fn failure(e: keyring::Error) -> Error {
        Error::fetch(format!("the OS secret store failed: {e}")).hint(
            "on Linux a Secret Service (GNOME Keyring, KeePassXC) must run, unlocked, on the session bus; or use AWSENV_KEY_STORE=file",
        )
    }

    fn entry(name: &str) -> Result<keyring::Entry, Error> {
        keyring::Entry::new(SERVICE, name).map_err(failure)
    }

    pub fn get(name: &str) -> Result<Option<StoredKey>, Error> {
        match entry(name)?.get_password() {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|_| Error::fetch(format!("the OS secret store's entry for {name} is not one awsenv wrote"))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(failure(e)),
        }
    }

    pub fn put(name: &str, key: &StoredKey) -> Result<(), Error> {
        entry(name)?.set_password(&serde_json::to_string(key).expect("keys serialise")).map_err(failure)
    }

    pub fn delete(name: &str) -> Result<(), Error> {
        match entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(failure(e)),
        }
    }
}
