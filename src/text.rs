//! Text from outside (a portal, STS, a file) made safe to show on a terminal: the one function
//! every such string passes through before it reaches stderr, `/dev/tty` or a picker.
//!
//! A terminal obeys escape sequences wherever they appear, so a role name carrying an OSC 52
//! sequence would write the clipboard, and a CSI sequence could move the cursor over a warning.
//! Escape sequences (CSI and OSC, in their 7-bit `ESC [` / `ESC ]` and 8-bit C1 forms, and the
//! other two-character `ESC x` forms) are removed whole; every other control character (C0, DEL,
//! C1, and the Unicode line and paragraph separators) is shown escaped (`\n`, `\u{7}`), so the
//! text stays on one line and what was there can still be read.

use std::borrow::Cow;

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
/// The 8-bit forms: Control Sequence Introducer, Operating System Command, String Terminator.
const C1_CSI: char = '\u{9b}';
const C1_OSC: char = '\u{9d}';
const C1_ST: char = '\u{9c}';

/// Whether a terminal (or a line-oriented reader) could act on `c` rather than show it.
fn is_special(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// `text` as it can be shown on a terminal: escape sequences removed, other control characters
/// escaped. Borrowed when there is nothing to change (the common case).
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => match chars.peek() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | '_' | '^' | 'X') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                // `ESC x`: one more character ends it (charset, keypad, reset ...).
                Some(_) => {
                    chars.next();
                }
                None => {}
            },
            C1_CSI => skip_csi(&mut chars),
            C1_OSC | '\u{90}' | '\u{9e}' | '\u{9f}' | '\u{98}' => skip_string(&mut chars),
            c if is_special(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The rest of a control sequence: parameter and intermediate bytes, then one final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
        // Anything that is not a parameter or intermediate byte ends the sequence as well; it
        // is dropped with it rather than shown, which is the safe side.
        if !('\u{20}'..='\u{3f}').contains(&c) {
            return;
        }
    }
}

/// The rest of a string sequence (OSC, DCS, APC, PM, SOS): up to BEL, `ESC \` or ST.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            BEL | C1_ST => return,
            ESC => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_and_unchanged() {
        assert!(matches!(printable("Ops [EU] / Ünit"), Cow::Borrowed("Ops [EU] / Ünit")));
    }

    #[test]
    fn escape_sequences_go_whole_and_other_controls_are_shown_escaped() {
        let clipboard = "Admin\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}Role";
        assert_eq!(printable(clipboard), "AdminRole");
        assert_eq!(printable("a\u{1b}]0;title\u{1b}\\b"), "ab");
        assert_eq!(printable("red\u{1b}[1;31mtext\u{1b}[0m"), "redtext");
        assert_eq!(printable("x\u{9b}2Jy\u{9d}8;;http://e\u{9c}z"), "xyz");
        assert_eq!(printable("line\nbreak\rand\0nul"), "line\\nbreak\\rand\\u{0}nul");
        assert_eq!(printable("sep\u{2028}x\u{85}"), "sep\\u{2028}x\\u{85}");
        assert_eq!(printable("trailing\u{1b}"), "trailing");
        assert_eq!(printable("\u{1b}[unfinished"), "nfinished");
    }
}
