//! nushell: raw strings `r#'...'#` hold anything, newlines included; the number of `#` is chosen
//! so that no `'` followed by that many `#` occurs inside the value.

use super::{Shell, Unrepresentable, reject_nul};

pub struct Nu;

impl Shell for Nu {
    fn set(&self, out: &mut String, name: &str, value: &str) -> Result<(), Unrepresentable> {
        reject_nul(name, value)?;
        out.push_str("$env.");
        out.push_str(name);
        out.push_str(" = ");
        push_quoted(out, value);
        out.push('\n');
        Ok(())
    }

    fn unset(&self, out: &mut String, name: &str) {
        out.push_str("hide-env --ignore-errors ");
        out.push_str(name);
        out.push('\n');
    }
}

pub(super) fn push_quoted(out: &mut String, text: &str) {
    // nushell looks for the closing `'#...` from the opening quote on, so a value that starts
    // with `#` counts as following a quote too.
    let longest = longest_hash_run_after_quote(text).max(text.bytes().take_while(|&b| b == b'#').count());
    let hashes = "#".repeat(longest + 1);
    out.push('r');
    out.push_str(&hashes);
    out.push('\'');
    out.push_str(text);
    out.push('\'');
    out.push_str(&hashes);
}

fn longest_hash_run_after_quote(value: &str) -> usize {
    value.split('\'').skip(1).map(|after| after.bytes().take_while(|&b| b == b'#').count()).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enough_hashes_to_outlast_the_value() {
        let mut out = String::new();
        Nu.set(&mut out, "A", "x'##y").unwrap();
        assert_eq!(out, "$env.A = r###'x'##y'###\n");
    }

    #[test]
    fn a_leading_hash_counts_as_following_the_opening_quote() {
        let mut out = String::new();
        Nu.set(&mut out, "A", "#c").unwrap();
        assert_eq!(out, "$env.A = r##'#c'##\n");
    }
}
