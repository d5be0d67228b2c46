//! What a step of a chain starts from: credentials at hand, or long-term keys in awsenv's key
//! store, which are read from the store only when a call needs them. The key id that names the
//! next step's cache entry comes from the store's index, so a role on stored keys whose
//! credentials are cached costs no store at all (no D-Bus, no passphrase) on the prompt path.

use std::cell::OnceCell;

use crate::credentials::Credentials;
use crate::env::Env;
use crate::error::Error;
use crate::keys::Backend;

pub struct Start<'a> {
    key_id: OnceCell<String>,
    credentials: OnceCell<Credentials>,
    stored: Option<(Backend, &'a str, crate::keys::Patience)>,
}

impl<'a> Start<'a> {
    pub fn ready(credentials: Credentials) -> Start<'a> {
        Start {
            key_id: OnceCell::from(credentials.access_key_id.clone()),
            credentials: OnceCell::from(credentials),
            stored: None,
        }
    }

    pub fn stored(backend: Backend, name: &'a str, env: &Env, patience: crate::keys::Patience) -> Start<'a> {
        let key_id = OnceCell::new();
        if let Some(entry) = crate::keys::indexed(env, backend, name) {
            let _ = key_id.set(entry.access_key_id);
        }
        Start { key_id, credentials: OnceCell::new(), stored: Some((backend, name, patience)) }
    }

    /// The access key id, from the index when it is there.
    pub fn key_id(&self) -> Result<&str, Error> {
        if let Some(id) = self.key_id.get() {
            return Ok(id);
        }
        let id = self.get()?.access_key_id.clone();
        Ok(self.key_id.get_or_init(|| id))
    }

    /// The credentials, read from the store the first time they are needed.
    pub fn get(&self) -> Result<&Credentials, Error> {
        if let Some(credentials) = self.credentials.get() {
            return Ok(credentials);
        }
        let (backend, name, patience) = self.stored.expect("a start without credentials is a stored one");
        let credentials = crate::keys::get(backend, name, patience)?;
        Ok(self.credentials.get_or_init(|| credentials))
    }

    pub fn into_credentials(self) -> Result<Credentials, Error> {
        self.get()?;
        Ok(self.credentials.into_inner().expect("read above"))
    }
}
