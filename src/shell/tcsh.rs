//! tcsh. Its users write ``eval "`awsenv use B --shell tcsh`"``, and a command substitution
//! splits at newlines, so everything goes on one line, statements joined by `;`. A newline or
//! carriage return therefore cannot be represented at all. `!` starts history substitution even
//! inside single quotes, so it is escaped.

use super::{Shell, Unrepresentable, reject_nul};

pub struct Tcsh;

impl Shell for Tcsh {
    fn set(&self, out: &mut String, name: &str, value: &str) -> Result<(), Unrepresentable> {
        reject_nul(name, value)?;
        if value.contains(['\n', '\r']) {
            return Err(Unrepresentable::new(name, "contains a line break"));
        }
        out.push_str("setenv ");
        out.push_str(name);
        out.push_str(" '");
        for c in value.chars() {
            match c {
                '\'' => out.push_str(r"'\''"),
                '!' => out.push_str(r"\!"),
                c => out.push(c),
            }
        }
        out.push_str("';");
        Ok(())
    }

    fn unset(&self, out: &mut String, name: &str) {
        out.push_str("unsetenv ");
        out.push_str(name);
        out.push(';');
    }
}
