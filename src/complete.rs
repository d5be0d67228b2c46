//! Names for shell completion, read fast: only the section headers of the two files are looked
//! at (a line that starts with `[`), classified by the same rules as the full parser, without
//! parsing a single property. Completing 5,000 profiles must not be felt at the Tab key.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use crate::config::{self, FileKind, SectionKind, parse};
use crate::encoding::NameHasher;
use crate::env::Env;
use crate::listing;

pub fn names(env: &Env, kind: SectionKind, prefix: &str) -> Vec<String> {
    let (config_path, credentials_path) = config::paths(env);
    let texts: Vec<(String, FileKind)> = [(config_path, FileKind::Config), (credentials_path, FileKind::Credentials)]
        .into_iter()
        .filter_map(|(path, file)| {
            let bytes = std::fs::read(path).ok()?;
            Some(match String::from_utf8(bytes) {
                Ok(text) => (text, file),
                Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), file),
            })
        })
        .collect();
    let mut seen: HashSet<&str, BuildHasherDefault<NameHasher>> = HashSet::default();
    let mut out = Vec::new();
    for (text, file) in &texts {
        // Every line that starts with `[`: the first line, and whatever follows a line break.
        let starts = std::iter::once(0).chain(memchr::memmem::find_iter(text.as_bytes(), b"\n[").map(|i| i + 1));
        for start in starts {
            let rest = &text[start..];
            let line = &rest[..memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len())];
            if line.starts_with('[')
                && let Some((k, name)) = parse::header_name(line, *file)
                && k == kind
                && name.starts_with(prefix)
                && seen.insert(name)
            {
                out.push(name.to_owned());
            }
        }
    }
    out
}

/// `name<TAB>kind, region` for every profile whose name contains `pattern` (any case): kind and
/// region need the properties, so this takes `list`'s saved rows while the files are unchanged,
/// and the full parse (saving the rows for next time) when they are not.
pub fn described_profiles(env: &Env, pattern: &str) -> Vec<String> {
    let pattern = pattern.to_lowercase();
    let describe = |rows: &[listing::Row<'_>]| -> Vec<String> {
        rows.iter()
            .filter(|row| row.name.to_lowercase().contains(&pattern))
            .map(|row| {
                // At a Tab key a profile that cannot be used yet is described by what it has.
                let kind = if row.kind == "invalid" { "settings" } else { &row.kind };
                let description = match &row.region {
                    Some(region) => format!("{kind}, {region}"),
                    None => kind.to_owned(),
                };
                // A tab or line break in a name would break the shells' format: describe it plainly.
                format!("{}\t{description}", row.name.replace(['\t', '\n', '\r'], " "))
            })
            .collect()
    };
    if let Some(rows) = listing::read_saved(env).as_deref().and_then(|bytes| listing::decode(bytes, env)) {
        return describe(&rows);
    }
    let Ok(texts) = config::read(env) else { return Vec::new() };
    let Ok(files) = config::parse(&texts) else { return names(env, SectionKind::Profile, "") };
    let rows = listing::build(&files, env);
    listing::save(env, &texts, &rows);
    describe(&rows)
}

/// The long options of `subcommand` that start with `prefix`, from clap's own definitions.
pub fn options(subcommand: &str, prefix: &str) -> Vec<String> {
    use clap::CommandFactory;
    let cli = crate::cli::Cli::command();
    let Some(command) = cli.find_subcommand(subcommand) else { return Vec::new() };
    command
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .chain(["--help".to_owned()])
        .filter(|o| o.starts_with(prefix))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn options_come_from_the_command_line_definitions() {
        let options = super::options("use", "--re");
        assert_eq!(options, ["--region", "--refresh"]);
        assert!(super::options("exec", "").contains(&"--mfa-code".to_owned()));
        assert!(super::options("no-such-command", "").is_empty());
    }
}
