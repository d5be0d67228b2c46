//! One file per shell: how to set and unset a variable, and how to quote a value so that nothing
//! in it can run. Every byte a renderer writes goes through its shell's quote function.

mod dotenv;
mod elvish;
mod fish;
mod json;
mod nu;
mod posix;

/// `text` as one word a person can paste into a POSIX shell: bare when nothing in it is special
/// (as in a hint: `run awsenv use prod`), quoted otherwise.
pub fn posix_word(text: &str) -> String {
    let safe = !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_.-+,:@%=".contains(&b));
    if safe && !text.starts_with('-') { text.to_owned() } else { quote_posix(text) }
}

/// `text` quoted for POSIX shells (bash, zsh, dash...).
pub fn quote_posix(text: &str) -> String {
    let mut out = String::new();
    posix::push_quoted(&mut out, text);
    out
}

/// `text` as one fish word: bare when that is safe (as fish_indent would write it), else quoted.
pub fn quote_fish(text: &str) -> String {
    let safe = !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_.-+,:@%".contains(&b));
    if safe {
        return text.to_owned();
    }
    let mut out = String::new();
    fish::push_quoted(&mut out, text);
    out
}
mod pwsh;
mod tcsh;

/// `text` as one PowerShell verbatim string.
pub fn quote_pwsh(text: &str) -> String {
    let mut out = String::new();
    pwsh::push_quoted(&mut out, text);
    out
}

/// `text` as one nushell raw string.
pub fn quote_nu(text: &str) -> String {
    let mut out = String::new();
    nu::push_quoted(&mut out, text);
    out
}

/// `text` as one elvish single-quoted string.
pub fn quote_elvish(text: &str) -> String {
    let mut out = String::new();
    elvish::push_quoted(&mut out, text);
    out
}

use crate::error::{Error, ErrorKind};
use crate::settings::is_variable_name;

/// One step of the environment change `use` and `unset` print, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Set(String, String),
    Unset(String),
}

impl Change {
    pub fn name(&self) -> &str {
        match self {
            Change::Set(name, _) | Change::Unset(name) => name,
        }
    }
}

/// Why a value cannot be written for a shell. It names the variable, never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrepresentable {
    pub variable: String,
    pub reason: &'static str,
}

impl Unrepresentable {
    pub fn new(variable: &str, reason: &'static str) -> Unrepresentable {
        Unrepresentable { variable: variable.to_owned(), reason }
    }
}

pub trait Shell {
    fn set(&self, out: &mut String, name: &str, value: &str) -> Result<(), Unrepresentable>;
    fn unset(&self, out: &mut String, name: &str);
}

/// The output syntaxes `use` and `unset` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShellKind {
    /// POSIX sh; also what bash, zsh, ksh and dash eval.
    Sh,
    Bash,
    Zsh,
    Fish,
    #[value(alias = "powershell")]
    Pwsh,
    #[value(alias = "nushell")]
    Nu,
    Elvish,
    #[value(alias = "csh")]
    Tcsh,
}

/// Formats for tools rather than shells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code for the shell named by `--shell`.
    Shell,
    /// One JSON object: set variables with their value, unset ones as null.
    Json,
    /// `NAME='value'` lines as docker compose and python-dotenv read them; unsets are left out.
    Dotenv,
}

fn renderer(format: Format, shell: ShellKind) -> &'static dyn Shell {
    match (format, shell) {
        (Format::Json, _) => &json::Json,
        (Format::Dotenv, _) => &dotenv::Dotenv,
        (Format::Shell, ShellKind::Sh | ShellKind::Bash | ShellKind::Zsh) => &posix::Posix,
        (Format::Shell, ShellKind::Fish) => &fish::Fish,
        (Format::Shell, ShellKind::Pwsh) => &pwsh::Pwsh,
        (Format::Shell, ShellKind::Nu) => &nu::Nu,
        (Format::Shell, ShellKind::Elvish) => &elvish::Elvish,
        (Format::Shell, ShellKind::Tcsh) => &tcsh::Tcsh,
    }
}

/// Render the changes, or fail as a whole: a value that cannot be written exactly is an error,
/// never mangled output.
pub fn render(changes: &[Change], shell: ShellKind, format: Format) -> Result<String, Error> {
    let r = renderer(format, shell);
    let mut out = String::new();
    if format == Format::Json {
        out.push('{');
    }
    for (i, change) in changes.iter().enumerate() {
        let name = change.name();
        if !is_variable_name(name) {
            return Err(Error::new(
                ErrorKind::Unrepresentable,
                format!("{} is not a variable name", crate::error::quoted(name)),
            ));
        }
        if format == Format::Json && i > 0 {
            out.push(',');
        }
        match change {
            Change::Set(name, value) => r.set(&mut out, name, value).map_err(|u| {
                Error::new(
                    ErrorKind::Unrepresentable,
                    format!(
                        "the value of {} {}, which {} cannot represent",
                        u.variable,
                        u.reason,
                        shell_label(shell, format)
                    ),
                )
                .hint(match format {
                    Format::Shell => "use --format json, or another --shell",
                    _ => "use --shell with a shell that can hold it",
                })
            })?,
            Change::Unset(name) => r.unset(&mut out, name),
        }
    }
    if format == Format::Json {
        out.push_str("}\n");
    }
    Ok(out)
}

fn shell_label(shell: ShellKind, format: Format) -> &'static str {
    match format {
        Format::Json => "JSON",
        Format::Dotenv => "a dotenv file",
        Format::Shell => match shell {
            ShellKind::Sh => "sh",
            ShellKind::Bash => "bash",
            ShellKind::Zsh => "zsh",
            ShellKind::Fish => "fish",
            ShellKind::Pwsh => "PowerShell",
            ShellKind::Nu => "nushell",
            ShellKind::Elvish => "elvish",
            ShellKind::Tcsh => "tcsh",
        },
    }
}

/// Environment variables are C strings: no shell can hold a NUL in one.
fn reject_nul(name: &str, value: &str) -> Result<(), Unrepresentable> {
    if value.contains('\0') {
        return Err(Unrepresentable::new(name, "contains a NUL byte"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_an_error_for_every_shell_and_names_only_the_variable() {
        let changes = [Change::Set("AWS_SECRET_ACCESS_KEY".into(), "sec\0ret".into())];
        for shell in
            [ShellKind::Sh, ShellKind::Fish, ShellKind::Pwsh, ShellKind::Nu, ShellKind::Elvish, ShellKind::Tcsh]
        {
            let err = render(&changes, shell, Format::Shell).unwrap_err().to_string();
            assert!(err.contains("AWS_SECRET_ACCESS_KEY") && !err.contains("sec"), "{err}");
        }
    }

    #[test]
    fn names_that_are_not_identifiers_are_refused() {
        let changes = [Change::Unset("A;rm -rf /".into())];
        assert!(render(&changes, ShellKind::Sh, Format::Shell).is_err());
    }
}
