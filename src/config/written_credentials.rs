//! The section `awsenv write-credentials` keeps in the user's credentials file: one `[NAME]` with
//! temporary keys, between marker lines that say awsenv made it, until when the keys hold, and how
//! to remove it. Pure text in, text out; `cmd::write_credentials` reads and writes the file.
//!
//! Removing the section gives back the file as it was before the first write, byte for byte: the
//! block is appended after a blank line (and a line end first when the file had no final one, which
//! the marker records), and removal takes exactly that away again.

use super::edit::{Section, line_end};
use super::{FileKind, SectionKind};
use crate::error::Error;

const BEGIN: &str = "# >>> awsenv write-credentials: ";
const END: &str = "# <<< awsenv write-credentials: ";
/// In the begin marker when the file had no final line end before the first write.
const NO_FINAL_LINE_END: &str = " (the file had no final line end)";

/// Where a block stands: the byte range of its lines, and the separator awsenv added before it.
#[derive(Debug, PartialEq, Eq)]
pub struct Block {
    pub range: std::ops::Range<usize>,
    /// The blank line (and line end) added before the block at its first write.
    pub added_before: std::ops::Range<usize>,
    pub no_final_line_end: bool,
}

/// The block for `name` in `text`; an error when its markers are broken (never a guess).
pub fn find(text: &str, name: &str, shown_path: &str) -> Result<Option<Block>, Error> {
    let mut offset = 0;
    let mut begin: Option<(usize, bool)> = None;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']);
        if let Some(rest) = bare.strip_prefix(BEGIN)
            && rest.split(';').next() == Some(name)
        {
            if begin.is_some() {
                return Err(broken(shown_path, name, "a second begin marker"));
            }
            begin = Some((offset, bare.contains(NO_FINAL_LINE_END)));
        } else if bare == end_marker(name) {
            let Some((start, no_final_line_end)) = begin else {
                return Err(broken(shown_path, name, "an end marker with no begin marker"));
            };
            // What `with_section` put before the block: a line end, two when the file had no
            // final one; nothing when the file was empty (then nothing precedes the separator).
            let separator = line_end(text).repeat(if no_final_line_end { 2 } else { 1 });
            let added_before = match start > separator.len() && text[..start].ends_with(&separator) {
                true => start - separator.len()..start,
                false => start..start,
            };
            return Ok(Some(Block { range: start..offset + line.len(), added_before, no_final_line_end }));
        }
        offset += line.len();
    }
    match begin {
        Some(_) => Err(broken(shown_path, name, "a begin marker with no end marker")),
        None => Ok(None),
    }
}

fn broken(shown_path: &str, name: &str, what: &str) -> Error {
    Error::files(format!("{shown_path}: the awsenv write-credentials block of {name} has {what}; nothing was written"))
        .hint("repair or remove the marker lines by hand (they start with `# >>> awsenv` and `# <<< awsenv`)")
}

fn end_marker(name: &str) -> String {
    format!("{END}{name} <<<")
}

/// Whether `text`, outside awsenv's block, has a `[name]` section of its own (written by hand or
/// by another tool): never overwritten.
pub fn has_own_section(text: &str, name: &str, block: Option<&Block>) -> bool {
    let outside = match block {
        Some(block) => format!("{}{}", &text[..block.range.start], &text[block.range.end..]),
        None => text.to_owned(),
    };
    outside.lines().any(|line| {
        super::parse::header_name(line.trim_end_matches('\r'), FileKind::Credentials)
            .is_some_and(|(kind, header)| kind == SectionKind::Profile && header == name)
    })
}

/// `text` with `section` as awsenv's block for its name: in place of the old block, or appended.
pub fn with_section(text: &str, section: &Section, expires: &str, shown_path: &str) -> Result<String, Error> {
    let name = &section.name;
    let existing = find(text, name, shown_path)?;
    let no_final_line_end = match &existing {
        Some(block) => block.no_final_line_end,
        None => !text.is_empty() && !text.ends_with('\n'),
    };
    let eol = line_end(text);
    let mut block = format!(
        "{BEGIN}{name}; temporary credentials until {expires}; made by awsenv, removed with `awsenv write-credentials --remove {name}`{} >>>\n",
        if no_final_line_end { NO_FINAL_LINE_END } else { "" }
    );
    block.push_str(&section.render()?);
    block.push_str(&end_marker(name));
    block.push('\n');
    let block = if eol == "\n" { block } else { block.replace('\n', eol) };
    Ok(match existing {
        Some(found) => format!("{}{block}{}", &text[..found.range.start], &text[found.range.end..]),
        None if text.is_empty() => block,
        None if no_final_line_end => format!("{text}{eol}{eol}{block}"),
        None => format!("{text}{eol}{block}"),
    })
}

/// `text` without awsenv's block for `name` and the separator added with it; `None` when there is
/// no such block.
pub fn without_section(text: &str, name: &str, shown_path: &str) -> Result<Option<String>, Error> {
    let Some(block) = find(text, name, shown_path)? else { return Ok(None) };
    Ok(Some(format!("{}{}", &text[..block.added_before.start], &text[block.range.end..])))
}

/// `text` without any of awsenv's blocks: what a backup may hold (never temporary keys).
pub fn without_any(text: &str, shown_path: &str) -> Result<String, Error> {
    let mut text = text.to_owned();
    while let Some(name) = names(&text).into_iter().next() {
        text = without_section(&text, &name, shown_path)?.unwrap_or_default();
    }
    Ok(text)
}

/// The names of awsenv's blocks in `text`.
pub fn names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.strip_prefix(BEGIN))
        .filter_map(|rest| rest.split(';').next())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::edit::HeaderStyle;

    fn section(key: &str) -> Section {
        Section::new(HeaderStyle::Bare, "ci")
            .with("aws_access_key_id", key)
            .with("aws_secret_access_key", "s")
            .with("aws_session_token", "t")
    }

    #[test]
    fn removal_gives_back_every_file_byte_for_byte() {
        for original in ["", "[a]\nx = 1\n", "[a]\nx = 1", "[a]\r\nx = 1\r\n", "\n\n", "[a]\nx = 1\n\n"] {
            let written = with_section(original, &section("K1"), "T1", "f").unwrap();
            let rewritten = with_section(&written, &section("K2"), "T2", "f").unwrap();
            assert!(rewritten.contains("K2") && !rewritten.contains("K1"), "{rewritten:?}");
            assert_eq!(rewritten.matches(BEGIN).count(), 1);
            assert_eq!(without_section(&rewritten, "ci", "f").unwrap().as_deref(), Some(original), "{rewritten:?}");
            assert_eq!(without_any(&rewritten, "f").unwrap(), original);
        }
    }

    #[test]
    fn a_section_of_the_same_name_outside_the_block_is_the_users() {
        let text = with_section("[ci]\nx = 1\n", &section("K"), "T", "f").unwrap();
        let block = find(&text, "ci", "f").unwrap();
        assert!(has_own_section(&text, "ci", block.as_ref()));
        let text = with_section("[other]\n", &section("K"), "T", "f").unwrap();
        let block = find(&text, "ci", "f").unwrap();
        assert!(!has_own_section(&text, "ci", block.as_ref()));
    }

    #[test]
    fn broken_markers_and_hostile_values_are_refused() {
        let text = with_section("", &section("K"), "T", "f").unwrap();
        let without_end: String = text.lines().filter(|l| !l.starts_with(END)).map(|l| format!("{l}\n")).collect();
        assert!(find(&without_end, "ci", "f").is_err());
        assert!(with_section("", &section("K\n[default]"), "T", "f").is_err());
    }
}
