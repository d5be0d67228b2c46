//! The line a profile points at the key store with, `credential_process = awsenv
//! credential-process --key-store BACKEND:NAME`: written by `keys`, recognised by `resolve`
//! (which then asks the store directly), checked by `lint`. Pure text and file metadata, below
//! both the plan and the store, so that recognising a line needs nothing of the store itself.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::env::Env;
use crate::error::{Error, quoted};

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
    // Along the path as written and, when a link leads elsewhere, along the path it leads to:
    // the program and every directory above it, by the cache directory's rule.
    let chains: &[&Path] = if real == path { &[path] } else { &[path, &real] };
    for chain in chains {
        for part in chain.ancestors().filter(|a| !a.as_os_str().is_empty()) {
            let Ok(meta) = std::fs::metadata(part) else { continue };
            if let Some(why) = crate::private_files::others_can_change(&meta) {
                return Some(format!("lies in or is {}, which {why}", part.display()));
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
