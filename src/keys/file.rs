//! The encrypted key file, for machines without an OS secret store. The passphrase becomes a key
//! with Argon2id (memory-hard: 64 MiB, 3 passes), which seals the keys with XChaCha20-Poly1305;
//! the envelope around them says its format version, so a file from a newer awsenv is refused,
//! not misread. Read-modify-write happens under an exclusive lock, and the new file replaces the
//! old one atomically: concurrent writers queue, and nothing is ever half written.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

use super::StoredKey;
use crate::error::{Error, io_cause};

const FORMAT: &str = "awsenv-keys";
const VERSION: u32 = 1;
const MEMORY_KIB: u32 = 64 * 1024;
const PASSES: u32 = 3;

#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u32,
    kdf: Kdf,
    nonce: String,
    ciphertext: String,
}

#[derive(Serialize, Deserialize)]
struct Kdf {
    algorithm: String,
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    salt: String,
}

/// What the file holds once opened: keys by profile name.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Keys {
    pub keys: BTreeMap<String, StoredKey>,
}

fn derive(passphrase: &str, kdf: &Kdf) -> Result<[u8; 32], Error> {
    if kdf.algorithm != "argon2id" || kdf.memory_kib > 4 * 1024 * 1024 || kdf.passes > 64 || kdf.lanes > 16 {
        return Err(Error::files("the key file asks for a key derivation awsenv does not do"));
    }
    let salt = crate::encoding::base64_decode(&kdf.salt).ok_or_else(damaged)?;
    let params = Params::new(kdf.memory_kib, kdf.passes, kdf.lanes, Some(32)).map_err(|_| damaged())?;
    let mut key = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), &salt, &mut key)
        .map_err(|_| damaged())?;
    Ok(key)
}

fn damaged() -> Error {
    Error::files("the key file is not one awsenv wrote, or it is damaged; nothing was changed")
        .hint("restore it from a backup, or move it away and add the keys again")
}

/// Open `bytes` (a key file) with `passphrase`.
pub fn open(bytes: &[u8], passphrase: &str) -> Result<Keys, Error> {
    let envelope: Envelope = serde_json::from_slice(bytes).map_err(|_| damaged())?;
    if envelope.format != FORMAT {
        return Err(damaged());
    }
    if envelope.version > VERSION {
        return Err(Error::files(format!(
            "the key file was written by a newer awsenv (format version {}, this one reads {VERSION}); nothing was changed",
            envelope.version
        ))
        .hint("upgrade awsenv"));
    }
    let key = derive(passphrase, &envelope.kdf)?;
    let nonce = crate::encoding::base64_decode(&envelope.nonce).filter(|n| n.len() == 24).ok_or_else(damaged)?;
    let sealed = crate::encoding::base64_decode(&envelope.ciphertext).ok_or_else(damaged)?;
    let plain =
        XChaCha20Poly1305::new((&key).into()).decrypt(XNonce::from_slice(&nonce), sealed.as_slice()).map_err(|_| {
            Error::files("the passphrase does not open the key file (or the file is damaged); nothing was changed")
                .hint("check AWSENV_FILE_PASSPHRASE, or type it again")
        })?;
    serde_json::from_slice(&plain).map_err(|_| damaged())
}

/// `keys` sealed with `passphrase`, with a fresh salt and nonce.
pub fn seal(keys: &Keys, passphrase: &str) -> Result<Vec<u8>, Error> {
    let kdf = Kdf {
        algorithm: "argon2id".to_owned(),
        memory_kib: MEMORY_KIB,
        passes: PASSES,
        lanes: 1,
        salt: crate::encoding::base64_url(&crate::encoding::random_bytes(16)?),
    };
    let key = derive(passphrase, &kdf)?;
    let nonce = crate::encoding::random_bytes(24)?;
    let plain = serde_json::to_vec(keys).expect("keys serialise");
    let sealed = XChaCha20Poly1305::new((&key).into())
        .encrypt(XNonce::from_slice(&nonce), plain.as_slice())
        .map_err(|_| Error::fetch("cannot seal the key file"))?;
    let envelope = Envelope {
        format: FORMAT.to_owned(),
        version: VERSION,
        kdf,
        nonce: crate::encoding::base64_url(&nonce),
        ciphertext: crate::encoding::base64_url(&sealed),
    };
    Ok(serde_json::to_vec_pretty(&envelope).expect("the envelope serialises"))
}

/// Read, change and write the file at `path` under its lock. A missing file is an empty store
/// (and is created); `change` sees the keys and may return an error, which leaves the file as it
/// was.
pub fn update<T>(
    path: &Path,
    passphrase: &str,
    change: impl FnOnce(&mut Keys) -> Result<T, Error>,
) -> Result<T, Error> {
    let dir = path.parent().ok_or_else(|| Error::files("the key file has no directory"))?;
    super::private_dir(dir)?;
    let lock = lock_for(path)?;
    let mut keys = match crate::private_files::read_private(path, 16 << 20) {
        Some(bytes) => open(&bytes, passphrase)?,
        None if path.exists() => {
            return Err(Error::files(format!(
                "{} is not private to you (or not a file); nothing was changed",
                path.display()
            ))
            .hint("it must be a 0600 file of yours"));
        }
        None => Keys::default(),
    };
    let result = change(&mut keys)?;
    let sealed = seal(&keys, passphrase)?;
    crate::private_files::write_private(dir, path, &sealed)
        .map_err(|e| Error::files(format!("cannot write {}: {}", path.display(), io_cause(&e))))?;
    drop(lock);
    Ok(result)
}

/// Read the keys at `path` (no lock needed: the file is only ever replaced whole).
pub fn read(path: &Path, passphrase: &str) -> Result<Keys, Error> {
    match crate::private_files::read_private(path, 16 << 20) {
        Some(bytes) => open(&bytes, passphrase),
        None if path.exists() => Err(Error::files(format!("{} is not private to you (or not a file)", path.display()))),
        None => Ok(Keys::default()),
    }
}

fn lock_for(path: &Path) -> Result<File, Error> {
    let lock_path = path.with_extension("lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| Error::files(format!("cannot lock {}: {}", path.display(), io_cause(&e))))?;
    file.lock().map_err(|e| Error::files(format!("cannot lock {}: {}", path.display(), io_cause(&e))))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str) -> StoredKey {
        StoredKey { access_key_id: id.to_owned(), secret_access_key: format!("secret-of-{id}") }
    }

    #[test]
    fn sealed_keys_open_with_the_passphrase_only() {
        let mut keys = Keys::default();
        keys.keys.insert("prod".into(), key("AKIA1"));
        let sealed = seal(&keys, "correct horse").unwrap();
        assert!(!String::from_utf8_lossy(&sealed).contains("secret-of"), "the secret is not in the file");
        assert_eq!(open(&sealed, "correct horse").unwrap().keys["prod"].secret_access_key, "secret-of-AKIA1");
        assert!(open(&sealed, "wrong").unwrap_err().message.contains("passphrase does not open"));
        let mut flipped = sealed.clone();
        let at = String::from_utf8_lossy(&sealed).find("\"ciphertext\": \"").unwrap() + 20;
        flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
        assert!(open(&flipped, "correct horse").is_err(), "a changed byte is refused");
        assert!(open(b"{not json", "x").unwrap_err().message.contains("damaged"));
        let newer = String::from_utf8_lossy(&sealed).replace("\"version\": 1", "\"version\": 2");
        assert!(open(newer.as_bytes(), "correct horse").unwrap_err().message.contains("newer awsenv"));
    }
}
