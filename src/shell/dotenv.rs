//! dotenv, in the one form that python-dotenv, the npm `dotenv` package and docker compose's
//! documented `env_file` rules all read back byte for byte: the value in single quotes.
//!
//! Single quotes are not equally literal everywhere: python-dotenv undoes `\\` and `\'` inside
//! them and expands `${VAR}` even there, the npm package turns a carriage return into a line
//! feed, and readers differ on line breaks. No escape is common to all of them, so a value that
//! holds a `'`, a `\`, a `$` or a line break is refused rather than written in a form some
//! reader would take for something else (an extra `LD_PRELOAD=` line, say). Credentials never
//! hold any of these.

use super::{Shell, Unrepresentable, reject_nul};

pub struct Dotenv;

impl Shell for Dotenv {
    fn set(&self, out: &mut String, name: &str, value: &str) -> Result<(), Unrepresentable> {
        reject_nul(name, value)?;
        if let Some(reason) = refusal(value) {
            return Err(Unrepresentable::new(name, reason));
        }
        out.push_str(name);
        out.push_str("='");
        out.push_str(value);
        out.push_str("'\n");
        Ok(())
    }

    /// dotenv files have no way to remove a variable.
    fn unset(&self, _out: &mut String, _name: &str) {}
}

/// Why no dotenv reader would read `value` back exactly, if one would not.
fn refusal(value: &str) -> Option<&'static str> {
    let bytes = value.as_bytes();
    if bytes.contains(&b'\'') {
        Some("holds a ' that no common dotenv quoting can carry")
    } else if bytes.contains(&b'\\') {
        Some("holds a backslash, which dotenv readers disagree on")
    } else if bytes.contains(&b'$') {
        Some("holds a $, which some dotenv readers expand")
    } else if bytes.iter().any(|b| matches!(b, b'\n' | b'\r')) {
        Some("holds a line break, which dotenv readers disagree on")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_are_single_quoted_and_the_rest_refused() {
        let mut out = String::new();
        Dotenv.set(&mut out, "K", "a b#c\"d`e é").unwrap();
        assert_eq!(out, "K='a b#c\"d`e é'\n");
        for bad in ["it's", "a\\b", "end\\", "${HOME}", "$x", "a\nLD_PRELOAD=x", "cr\r"] {
            assert!(Dotenv.set(&mut String::new(), "K", bad).is_err(), "{bad:?}");
        }
    }
}
