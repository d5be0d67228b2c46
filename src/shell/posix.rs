//! POSIX sh, which bash, zsh, ksh and dash all eval. Single quotes hold every byte but NUL
//! literally, across lines too; a `'` is closed, escaped and reopened.

use super::{Shell, Unrepresentable, reject_nul};

pub struct Posix;

impl Shell for Posix {
    fn set(&self, out: &mut String, name: &str, value: &str) -> Result<(), Unrepresentable> {
        reject_nul(name, value)?;
        out.push_str("export ");
        out.push_str(name);
        out.push('=');
        push_quoted(out, value);
        out.push('\n');
        Ok(())
    }

    fn unset(&self, out: &mut String, name: &str) {
        out.push_str("unset ");
        out.push_str(name);
        out.push('\n');
    }
}

pub fn push_quoted(out: &mut String, value: &str) {
    out.push('\'');
    out.push_str(&value.replace('\'', r"'\''"));
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_close_escape_and_reopen() {
        let mut out = String::new();
        Posix.set(&mut out, "A", "it's $(x)\n`y`").unwrap();
        Posix.unset(&mut out, "B");
        assert_eq!(out, "export A='it'\\''s $(x)\n`y`'\nunset B\n");
    }
}
