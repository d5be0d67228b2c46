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

/// `name<TAB>kind, region` for every profile whose name contains `pattern` (any case): the full
/// parse, since kind and region need the properties (7 ms at 5,000 profiles, at a Tab key).
pub fn described_profiles(env: &Env, pattern: &str) -> Vec<String> {
    let Ok(texts) = config::read(env) else { return Vec::new() };
    let Ok(files) = config::parse(&texts) else { return names(env, SectionKind::Profile, "") };
    let resolver = crate::resolve::Resolver::new(&files, env);
    let pattern = pattern.to_lowercase();
    files
        .profile_names()
        .into_iter()
        .filter(|name| name.to_lowercase().contains(&pattern))
        .map(|name| {
            let kind = resolver.plan(name).map(|plan| plan.kind()).unwrap_or("settings");
            let region = files.profile(name).and_then(|p| p.get("region").map(str::to_owned));
            let description = match region {
                Some(region) if !region.is_empty() => format!("{kind}, {region}"),
                _ => kind.to_owned(),
            };
            // A tab or line break in a name would break the shells' format: describe it plainly.
            format!("{}\t{description}", name.replace(['\t', '\n', '\r'], " "))
        })
        .collect()
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
