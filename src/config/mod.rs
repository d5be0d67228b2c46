//! The file model: locate the two files, read them, parse them with file:line kept.

pub mod edit;
pub mod index;
pub mod locate;
pub mod model;
pub mod parse;
pub mod shadow;
pub mod written_credentials;

pub use locate::{Locations, Platform};
pub use model::{ConfigFiles, FileKind, Origin, Property, Section, SectionKind};
pub use parse::{Chunks, FileTexts, ParseError, is_identifier, parse, parse_chunks};

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::env::Env;
use crate::error::Error;

/// Read both files. A missing file is an empty one, as for the SDKs; anything else that stops us
/// reading it (a directory, no permission, bytes that are not UTF-8) is an error naming the file.
pub fn read(env: &Env) -> Result<FileTexts, Error> {
    let (config_path, credentials_path) = paths(env);
    let (config, config_stamp) = read_optional(&config_path, env)?.unzip();
    let (credentials, credentials_stamp) = read_optional(&credentials_path, env)?.unzip();
    Ok(FileTexts { config, credentials, config_path, credentials_path, stamps: [config_stamp, credentials_stamp] })
}

/// Parse both files; a syntax error cites file:line and says what the SDKs expected there.
pub fn parse_cited<'t>(texts: &'t FileTexts, env: &Env) -> Result<ConfigFiles<'t>, Error> {
    parse(texts).map_err(|e: ParseError| {
        let path = match e.file {
            FileKind::Config => &texts.config_path,
            FileKind::Credentials => &texts.credentials_path,
        };
        Error::files(format!("{}:{}: {}", display_path(path, env), e.line, e.message))
            .hint("fix that line; the AWS CLI and SDKs reject the file too")
    })
}

/// Where the two files are, as the SDKs locate them.
pub fn paths(env: &Env) -> (PathBuf, PathBuf) {
    let locations = locate::locate(env, Platform::CURRENT);
    (PathBuf::from(locations.config), PathBuf::from(locations.credentials))
}

fn read_optional(path: &Path, env: &Env) -> Result<Option<(String, index::FileStamp)>, Error> {
    let shown = display_path(path, env);
    let read = || -> std::io::Result<(Vec<u8>, std::fs::Metadata)> {
        let mut file = std::fs::File::open(path)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(std::io::Error::from(ErrorKind::IsADirectory));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::io::Read::read_to_end(&mut file, &mut bytes)?;
        Ok((bytes, meta))
    };
    let (bytes, meta) = match read() {
        Ok(read) => read,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            if path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Error::files(format!("{shown} is a symbolic link to a file that does not exist"))
                    .hint("repair the link or remove it"));
            }
            return Ok(None);
        }
        Err(e) if e.kind() == ErrorKind::IsADirectory => {
            return Err(Error::files(format!("{shown} is a directory, not a file"))
                .hint("point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at a file"));
        }
        Err(e) => {
            return Err(Error::files(format!("cannot read {shown}: {}", crate::error::io_cause(&e)))
                .hint("check the file's permissions"));
        }
    };
    let (bytes, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest.to_vec(), 3), // editors on Windows save a BOM; the SDKs skip it too
        None => (bytes, 0),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some((text, index::FileStamp::new(&meta, bom)))),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Error::files(format!("{shown}:{line}: not valid UTF-8")).hint("save the file as UTF-8"))
        }
    }
}

/// Paths as the user would type them: `~/.aws/config` rather than `/home/me/.aws/config`.
pub fn display_path(path: &Path, env: &Env) -> String {
    let text = path.to_string_lossy();
    if let Some(home) = env.get_nonempty("HOME") {
        let home = home.trim_end_matches('/');
        if !home.is_empty()
            && let Some(rest) = text.strip_prefix(home)
            && rest.starts_with('/')
        {
            return format!("~{rest}");
        }
    }
    text.into_owned()
}

/// `file:line` for an origin, as errors and `explain` print it.
pub fn cite(files: &ConfigFiles<'_>, at: Origin, env: &Env) -> String {
    format!("{}:{}", display_path(files.path(at.file), env), at.line)
}
