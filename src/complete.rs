//! Names for shell completion, read fast: only the section headers of the two files are looked
//! at (a line that starts with `[`), classified by the same rules as the full parser, without
//! parsing a single property. Completing 5,000 profiles must not be felt at the Tab key.

use std::collections::BTreeSet;

use crate::config::{self, FileKind, SectionKind, parse};
use crate::env::Env;

pub fn names(env: &Env, kind: SectionKind, prefix: &str) -> Vec<String> {
    let (config_path, credentials_path) = config::paths(env);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (path, file) in [(config_path, FileKind::Config), (credentials_path, FileKind::Credentials)] {
        let Ok(text) = std::fs::read(&path) else { continue };
        let text = String::from_utf8_lossy(&text);
        let mut rest: &str = &text;
        loop {
            if rest.starts_with('[') {
                let line = rest.split('\n').next().unwrap_or("");
                if let Some((k, name)) = parse::header_name(line, file)
                    && k == kind
                    && name.starts_with(prefix)
                    && seen.insert(name.to_owned())
                {
                    out.push(name.to_owned());
                }
            }
            match memchr::memchr(b'\n', rest.as_bytes()) {
                Some(i) => rest = &rest[i + 1..],
                None => break,
            }
        }
    }
    out
}
