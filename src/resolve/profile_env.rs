//! A profile's own variables: `awsenv_env`, a block of `NAME = VALUE` lines in a profile
//! (`TF_WORKSPACE`, `KUBECONFIG`, …) that `use`, `exec`, `serve`'s child and the hook export with
//! the credentials and take away again on a switch or `unset`.
//!
//! Only the selected profile's block counts: a `source_profile` is usually another account, and
//! its workspace or cluster is not this one's (`explain` says so). The SDKs ignore the key, as
//! they ignore every key they do not know. Values are taken as written except for a leading `~/`
//! (or a lone `~`), which becomes the home directory: no `$VAR`, no command, nothing else.

use crate::config::{FileKind, FileTexts, Origin, Section};
use crate::env::Env;
use crate::error::quoted;
pub use crate::settings::ProfileVar;

/// The profile key that holds the block.
pub const KEY: &str = "awsenv_env";

/// Why a block cannot be used, and where.
#[derive(Debug, Clone)]
pub struct Problem {
    pub at: Origin,
    pub index: Option<usize>,
    pub message: String,
    pub hint: String,
}

/// Names no profile may set: the AWS settings have config keys of their own, awsenv's bookkeeping
/// is its own, and the rest are what the shell, the terminal and the program loader act on (a
/// config file must not be able to change which programs run or how).
const SHELL_OWNED: &[&str] = &[
    "PATH",
    "HOME",
    "SHELL",
    "USER",
    "LOGNAME",
    "PWD",
    "OLDPWD",
    "IFS",
    "ENV",
    "BASH_ENV",
    "CDPATH",
    "PS1",
    "PS2",
    "PS3",
    "PS4",
    "PROMPT_COMMAND",
    "TERM",
    "TMPDIR",
    "SHLVL",
    "ZDOTDIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
];
const LOADER_PREFIXES: &[&str] = &["LD_", "DYLD_"];

/// Why `name` cannot be a profile's variable, or `None` when it can.
pub fn name_problem(name: &str) -> Option<String> {
    if !crate::settings::is_variable_name(name) {
        return Some(format!("{} is not a variable name every shell accepts ([A-Za-z_][A-Za-z0-9_]*)", quoted(name)));
    }
    let upper = name.to_ascii_uppercase();
    if upper.starts_with("AWSENV_") {
        return Some(format!("{name} is awsenv's own bookkeeping"));
    }
    if upper.starts_with("AWS_") {
        return Some(format!("{name} is an AWS setting: it has a config key of its own (region, endpoint_url, …)"));
    }
    if SHELL_OWNED.contains(&name) || LOADER_PREFIXES.iter().any(|p| upper.starts_with(p)) {
        return Some(format!("{name} belongs to the shell or the program loader, not to an AWS account"));
    }
    None
}

/// Whether a name recorded in `AWSENV_VARS` is one a profile could have set: the only such names
/// `use` and `unset` take back, so a forged record cannot make them remove `PATH`.
pub fn could_have_set(name: &str) -> bool {
    name_problem(name).is_none()
}

/// The block of the selected profile, checked; empty when it has none.
pub fn read(profile: &Section<'_, '_>, env: &Env) -> Result<Vec<ProfileVar>, Problem> {
    let Some(property) = profile.property(KEY) else { return Ok(Vec::new()) };
    let problem = |index: Option<usize>, message: String, hint: &str| Problem {
        at: property.at,
        index,
        message: format!("{KEY} of profile {}: {message}", quoted(profile.name)),
        hint: hint.to_owned(),
    };
    let mut first = property.value.split('\n');
    if !first.next().unwrap_or_default().is_empty() {
        return Err(problem(
            None,
            "is a block of NAME = VALUE lines, not a value".to_owned(),
            "write `awsenv_env =` alone, then one indented `NAME = VALUE` per line",
        ));
    }
    let mut vars: Vec<ProfileVar> = Vec::new();
    for (index, line) in first.enumerate() {
        let Some((name, value)) = line.split_once('=') else {
            return Err(problem(Some(index), format!("{} has no `=`", quoted(line)), "write NAME = VALUE"));
        };
        let (name, value) = (name.trim_matches([' ', '\t']), value.trim_matches([' ', '\t']));
        if let Some(why) = name_problem(name) {
            return Err(problem(Some(index), why, "remove the line, or use a config key for AWS settings"));
        }
        if value.chars().any(|c| c == '\0' || c.is_control() && c != '\t') {
            return Err(problem(
                Some(index),
                format!("the value of {name} holds a control character"),
                "write the value on one line, without control characters",
            ));
        }
        let value = expand_home(value, env);
        // A name given twice keeps its last value, as a key given twice does.
        vars.retain(|v| v.name != name);
        vars.push(ProfileVar { name: name.to_owned(), value, at: property.at, index });
    }
    Ok(vars)
}

/// `~` and `~/…` become the home directory; nothing else is expanded.
fn expand_home(value: &str, env: &Env) -> String {
    let home = || env.get_nonempty("HOME");
    match value {
        "~" => home().map_or_else(|| value.to_owned(), str::to_owned),
        _ => match (value.strip_prefix("~/"), home()) {
            (Some(rest), Some(home)) => format!("{}/{rest}", home.trim_end_matches('/')),
            _ => value.to_owned(),
        },
    }
}

/// Whether a variable of the block looks like a secret (the config file is not a secret store).
pub fn looks_secret(name: &str, value: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let secret_name = ["SECRET", "TOKEN", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE_KEY", "API_KEY"]
        .iter()
        .any(|word| upper.ends_with(word) || upper.contains(&format!("{word}_")));
    secret_name || contains_key_id(value)
}

/// An AWS access key id's shape (`AKIA`/`ASIA` and 16 more upper-case letters or digits).
fn contains_key_id(value: &str) -> bool {
    let bytes = value.as_bytes();
    (0..bytes.len().saturating_sub(19)).any(|i| {
        (bytes[i..].starts_with(b"AKIA") || bytes[i..].starts_with(b"ASIA"))
            && bytes[i + 4..i + 20].iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

/// Where line `index` of a block that starts at `at` stands in the files as read: what `lint` and
/// `explain` cite.
pub fn origin_in(texts: &FileTexts, at: Origin, index: usize) -> Origin {
    let text = match at.file {
        FileKind::Config => texts.config.as_deref(),
        FileKind::Credentials => texts.credentials.as_deref(),
    };
    Origin { line: text.map_or(at.line, |text| line_in_file(text, at, index)), ..at }
}

/// The physical line of line `index` of a block that starts at `at`, in the file's `text`:
/// comment and blank lines inside a block are skipped by the parser, so it is counted here.
fn line_in_file(text: &str, at: Origin, index: usize) -> u32 {
    let mut seen = 0usize;
    for (n, line) in text.lines().enumerate().skip(at.line as usize) {
        // As the parser: a comment starts in the first column; a blank line is skipped.
        if line.starts_with(['#', ';']) || line.trim_matches([' ', '\t', '\r']).is_empty() {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            break;
        }
        if seen == index {
            return n as u32 + 1;
        }
        seen += 1;
    }
    at.line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_aws_awsenv_the_shell_and_the_loader_are_refused() {
        for name in [
            "AWS_REGION",
            "aws_profile",
            "AWSENV_PROFILE",
            "PATH",
            "LD_PRELOAD",
            "DYLD_INSERT_LIBRARIES",
            "1X",
            "A-B",
            "",
        ] {
            assert!(name_problem(name).is_some(), "{name}");
        }
        for name in ["TF_WORKSPACE", "KUBECONFIG", "VAULT_ADDR", "_x1", "AWSX"] {
            assert!(name_problem(name).is_none(), "{name}");
        }
    }

    #[test]
    fn secrets_are_recognised_by_name_and_by_key_id_shape() {
        assert!(looks_secret("GITHUB_TOKEN", "x"));
        assert!(looks_secret("DB_PASSWORD", "x"));
        assert!(looks_secret("MY_SECRET_VALUE", "x"));
        assert!(looks_secret("X", "id=AKIAIOSFODNN7EXAMPLE"));
        assert!(!looks_secret("TF_WORKSPACE", "prod"));
        assert!(!looks_secret("X", "AKIA-short"));
    }

    #[test]
    fn the_line_of_a_block_entry_skips_comments_and_blank_lines() {
        let text = "[profile p]\nawsenv_env =\n  A = 1\n# note\n\n  B = 2\nregion = x\n";
        let at = Origin { file: crate::config::FileKind::Config, line: 2 };
        assert_eq!(line_in_file(text, at, 0), 3);
        assert_eq!(line_in_file(text, at, 1), 6);
    }
}
