//! elvish: single-quoted strings are literal, newlines included; `''` stands for one `'`.

use super::{Shell, Unrepresentable, reject_nul};

pub struct Elvish;

impl Shell for Elvish {
    fn set(&self, out: &mut String, name: &str, value: &str) -> Result<(), Unrepresentable> {
        reject_nul(name, value)?;
        out.push_str("set-env ");
        out.push_str(name);
        out.push(' ');
        push_quoted(out, value);
        out.push('\n');
        Ok(())
    }

    fn unset(&self, out: &mut String, name: &str) {
        out.push_str("unset-env ");
        out.push_str(name);
        out.push('\n');
    }
}

pub(super) fn push_quoted(out: &mut String, text: &str) {
    out.push('\'');
    out.push_str(&text.replace('\'', "''"));
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled() {
        let mut out = String::new();
        Elvish.set(&mut out, "A", "it's").unwrap();
        assert_eq!(out, "set-env A 'it''s'\n");
    }
}
