//! PowerShell: verbatim single-quoted strings, where a quote is written twice. PowerShell also
//! takes the typographic quotes U+2018..U+201B as single quotes, so those are doubled too.

use super::{Shell, Unrepresentable, reject_nul};

pub struct Pwsh;

const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

impl Shell for Pwsh {
    fn set(&self, out: &mut String, name: &str, value: &str) -> Result<(), Unrepresentable> {
        reject_nul(name, value)?;
        out.push_str("$env:");
        out.push_str(name);
        out.push_str(" = ");
        push_quoted(out, value);
        out.push('\n');
        Ok(())
    }

    fn unset(&self, out: &mut String, name: &str) {
        out.push_str("Remove-Item -LiteralPath 'Env:");
        out.push_str(name);
        out.push_str("' -ErrorAction SilentlyContinue\n");
    }
}

pub(super) fn push_quoted(out: &mut String, text: &str) {
    out.push('\'');
    for c in text.chars() {
        if SINGLE_QUOTES.contains(&c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(value: &str) -> String {
        let mut out = String::new();
        Pwsh.set(&mut out, "AWS_X", value).unwrap();
        out
    }

    #[test]
    fn plain_values_are_single_quoted() {
        assert_eq!(set("us-east-1"), "$env:AWS_X = 'us-east-1'\n");
        assert_eq!(set(""), "$env:AWS_X = ''\n");
    }

    #[test]
    fn expansion_syntax_stays_literal_inside_single_quotes() {
        assert_eq!(set("$(Get-Process) `n $env:HOME @{a=1}"), "$env:AWS_X = '$(Get-Process) `n $env:HOME @{a=1}'\n");
    }

    #[test]
    fn every_kind_of_single_quote_is_doubled() {
        assert_eq!(set("it's"), "$env:AWS_X = 'it''s'\n");
        assert_eq!(
            set("\u{2018}a\u{2019}b\u{201A}c\u{201B}"),
            "$env:AWS_X = '\u{2018}\u{2018}a\u{2019}\u{2019}b\u{201A}\u{201A}c\u{201B}\u{201B}'\n"
        );
        assert_eq!(set("'; Remove-Item C:\\ -Recurse; '"), "$env:AWS_X = '''; Remove-Item C:\\ -Recurse; '''\n");
    }

    #[test]
    fn double_quotes_backslashes_and_newlines_are_literal() {
        assert_eq!(set("a\"b\\c\nd\r\te"), "$env:AWS_X = 'a\"b\\c\nd\r\te'\n");
    }

    #[test]
    fn unset_ignores_a_missing_variable() {
        let mut out = String::new();
        Pwsh.unset(&mut out, "AWS_SESSION_TOKEN");
        assert_eq!(out, "Remove-Item -LiteralPath 'Env:AWS_SESSION_TOKEN' -ErrorAction SilentlyContinue\n");
    }
}
