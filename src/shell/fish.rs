//! fish: inside single quotes only `\'` and `\\` are escapes; everything else, newlines
//! included, is literal.

use super::{Shell, Unrepresentable, reject_nul};

pub struct Fish;

impl Shell for Fish {
    fn set(&self, out: &mut String, name: &str, value: &str) -> Result<(), Unrepresentable> {
        reject_nul(name, value)?;
        out.push_str("set -gx ");
        out.push_str(name);
        out.push(' ');
        push_quoted(out, value);
        out.push_str(";\n");
        Ok(())
    }

    fn unset(&self, out: &mut String, name: &str) {
        // `set -e` of a variable that is not set fails (status 4); removing what is not there is
        // success here, or `awsenv use B | source; and ...` would stop.
        out.push_str("set -e ");
        out.push_str(name);
        out.push_str("; or true;\n");
    }
}

pub fn push_quoted(out: &mut String, value: &str) {
    out.push('\'');
    for c in value.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backslashes_and_quotes_are_escaped() {
        let mut out = String::new();
        Fish.set(&mut out, "A", r"a\'b$c").unwrap();
        assert_eq!(out, "set -gx A 'a\\\\\\'b$c';\n");
    }
}
