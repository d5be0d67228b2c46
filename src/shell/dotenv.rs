//! dotenv as docker compose and python-dotenv read it. Single quotes are literal there (no
//! interpolation, no escapes), so that is the form used; a value holding a `'` falls back to
//! double quotes, where `\`, `"` and line breaks are escaped, unless it also holds a `$`, which
//! those readers would interpolate.

use super::{Shell, Unrepresentable, reject_nul};

pub struct Dotenv;

impl Shell for Dotenv {
    fn set(&self, out: &mut String, name: &str, value: &str) -> Result<(), Unrepresentable> {
        reject_nul(name, value)?;
        out.push_str(name);
        out.push('=');
        if !value.contains('\'') {
            out.push('\'');
            out.push_str(value);
            out.push('\'');
        } else if value.contains('$') {
            return Err(Unrepresentable::new(name, "holds both ' and $"));
        } else {
            out.push('"');
            for c in value.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '"' => out.push_str("\\\""),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        out.push('\n');
        Ok(())
    }

    /// dotenv files have no way to remove a variable.
    fn unset(&self, _out: &mut String, _name: &str) {}
}
