//! Lossless edits of the user's config file, for the commands that exist to make them (`sso
//! sync`, `sso add`): a managed block between two marker lines is replaced (or added at the
//! end), and every other byte is kept as it was: comments, order, line ends, a last line without
//! its line end. The write goes through a symlink to the file it names (dotfile managers), keeps
//! the file's mode, keeps a backup of the old text once, and is refused when the file changed
//! since it was read.

use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, io_cause};

const BEGIN: &str = "# >>> awsenv sso sync: sso-session ";
const END: &str = "# <<< awsenv sso sync: sso-session ";
/// The options a block was made with, on the line after its first marker.
const OPTIONS: &str = "# awsenv-sync-options: ";

/// A managed block as found: its byte range (whole lines, line ends included), the options it
/// records, and the text between its markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block<'t> {
    pub range: std::ops::Range<usize>,
    pub options: Option<&'t str>,
    pub body: &'t str,
}

/// How a section's header names it: `[profile NAME]` (the config file's profiles) or `[NAME]`
/// (`[default]`, and every profile of the credentials file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderStyle {
    Profile,
    Bare,
}

/// A section as awsenv writes it: a header and `key = value` lines. The writer takes sections
/// only in this form, never as text, so that it can check every part and no value can carry a
/// line break, a header or a marker line into the file, whoever asks and wherever the value
/// came from (a portal, STS, the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub style: HeaderStyle,
    pub name: String,
    pub properties: Vec<(String, String)>,
    /// Sub-property blocks after the properties: `key =`, then one indented `name = value` a line
    /// (a profile's `awsenv_env`, which `sso sync` keeps on the profiles it generates again).
    pub blocks: Vec<(String, Vec<(String, String)>)>,
}

impl Section {
    pub fn new(style: HeaderStyle, name: impl Into<String>) -> Section {
        Section { style, name: name.into(), properties: Vec::new(), blocks: Vec::new() }
    }

    pub fn with(mut self, key: &str, value: impl Into<String>) -> Section {
        self.properties.push((key.to_owned(), value.into()));
        self
    }

    /// The header line, without its line end.
    fn header(&self) -> String {
        match self.style {
            HeaderStyle::Profile => format!("[profile {}]", self.name),
            HeaderStyle::Bare => format!("[{}]", self.name),
        }
    }

    /// The section's text (`\n` line ends), once every part is checked.
    pub fn render(&self) -> Result<String, Error> {
        check_name(&self.name)?;
        let mut out = self.header();
        out.push('\n');
        for (key, value) in &self.properties {
            out.push_str(&property_line(key, value)?);
            out.push('\n');
        }
        for (key, lines) in &self.blocks {
            out.push_str(&property_line(key, "")?);
            out.push('\n');
            for (name, value) in lines {
                out.push_str("  ");
                out.push_str(&property_line(name, value)?);
                out.push('\n');
            }
        }
        Ok(out)
    }
}

/// A profile name as a header can hold it: the SDKs' name characters only, so it can hold no
/// `]`, no space and no line end.
fn check_name(name: &str) -> Result<(), Error> {
    if super::is_identifier(name) {
        return Ok(());
    }
    Err(refused(format!("the section name {}", crate::error::quoted(name))))
}

/// `key = value`, when the key is a key and the value holds nothing that ends or starts a line.
fn property_line(key: &str, value: &str) -> Result<String, Error> {
    if !super::is_identifier(key) {
        return Err(refused(format!("the key {}", crate::error::quoted(key))));
    }
    if !fits_on_a_line(value) {
        return Err(refused(format!("the value of {key}")));
    }
    Ok(match value.trim() {
        "" => format!("{key} ="),
        value => format!("{key} = {value}"),
    })
}

/// No control character (CR and LF end a line for every reader, a lone CR for Python's; NUL
/// ends a C string) and none of the Unicode separators that some readers take for line ends.
fn fits_on_a_line(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
}

fn refused(what: String) -> Error {
    Error::files(format!("{what} holds characters a line of the AWS files cannot; nothing was written"))
        .hint("this is a value from outside awsenv (a portal, a command line): check where it came from")
}

/// The session name as it appears in a marker line: control characters would end the comment.
fn marker_name(session: &str) -> String {
    session.replace(|c: char| c.is_control(), "?")
}

/// The line end the file uses (CRLF when its first line end is one).
pub fn line_end(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Every session that has a block in `text`, in file order.
pub fn sessions_with_blocks(text: &str) -> Vec<String> {
    text.split_inclusive('\n')
        .filter_map(|line| line.trim_end_matches(['\r', '\n']).strip_prefix(BEGIN))
        .filter_map(|rest| rest.strip_suffix(" >>>"))
        .map(str::to_owned)
        .collect()
}

/// The block of `session`, if any. A begin marker without its end, or a second block for the
/// same session, is an error: awsenv will not guess where its lines stop.
pub fn find_block<'t>(text: &'t str, session: &str, shown_path: &str) -> Result<Option<Block<'t>>, Error> {
    let begin = format!("{BEGIN}{} >>>", marker_name(session));
    let end = format!("{END}{} <<<", marker_name(session));
    let mut offset = 0;
    let mut found: Option<(usize, usize)> = None;
    let mut open: Option<(usize, usize)> = None;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\r', '\n']);
        if bare == begin {
            if open.is_some() || found.is_some() {
                return Err(broken(shown_path, n + 1, session, "a second start marker"));
            }
            open = Some((offset, n + 1));
        } else if bare == end {
            let Some((start, _)) = open.take() else {
                return Err(broken(shown_path, n + 1, session, "an end marker without its start"));
            };
            found = Some((start, offset + line.len()));
        }
        offset += line.len();
    }
    if let Some((_, line)) = open {
        return Err(broken(shown_path, line, session, "a start marker without its end"));
    }
    let Some((start, stop)) = found else { return Ok(None) };
    let inner = &text[start..stop];
    let after_begin = inner.find('\n').map_or(inner.len(), |i| i + 1);
    let before_end = inner.trim_end_matches(['\r', '\n']).rfind('\n').map_or(after_begin, |i| i + 1).max(after_begin);
    let body = &inner[after_begin..before_end];
    let options =
        body.split_inclusive('\n').next().and_then(|l| l.trim_end_matches(['\r', '\n']).strip_prefix(OPTIONS));
    Ok(Some(Block { range: start..stop, options, body }))
}

fn broken(shown_path: &str, line: usize, session: &str, what: &str) -> Error {
    Error::files(format!("{shown_path}:{line}: the awsenv block of sso-session {session} has {what}"))
        .hint("restore the marker lines (or remove the whole block) and run `awsenv sso sync` again")
}

/// The block's text: markers, the options line, then `sections`, each checked. Line ends are
/// `\n` here and become the file's own in `with_block`.
pub fn render_block(session: &str, options: &str, sections: &[Section]) -> Result<String, Error> {
    let name = marker_name(session);
    if !fits_on_a_line(options) {
        return Err(refused("the options line of the block".to_owned()));
    }
    let mut out = format!(
        "{BEGIN}{name} >>>\n{OPTIONS}{options}\n# Made by `awsenv sso sync`; edits inside these markers are replaced at the next sync (a profile's awsenv_env is kept).\n"
    );
    for section in sections {
        out.push('\n');
        out.push_str(&section.render()?);
    }
    out.push_str(&format!("{END}{name} <<<\n"));
    Ok(out)
}

/// `text` with the block of `session` replaced by `block` (or `block` added at the end, after a
/// blank line), in the file's line ends; every byte outside the block as it was.
pub fn with_block(text: &str, session: &str, block: &str, shown_path: &str) -> Result<String, Error> {
    let eol = line_end(text);
    let block = if eol == "\n" { block.to_owned() } else { block.replace('\n', eol) };
    Ok(match find_block(text, session, shown_path)? {
        Some(found) => {
            let mut out = String::with_capacity(text.len() + block.len());
            out.push_str(&text[..found.range.start]);
            out.push_str(&block);
            out.push_str(&text[found.range.end..]);
            out
        }
        None => {
            let mut out = text.to_owned();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(eol);
            }
            if !out.is_empty() {
                out.push_str(eol);
            }
            out.push_str(&block);
            out
        }
    })
}

/// `text` with `section` added at the end after a blank line, in the file's line ends; every
/// byte before it as it was.
pub fn with_section_appended(text: &str, section: &Section) -> Result<String, Error> {
    let section = section.render()?;
    let eol = line_end(text);
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    if !out.is_empty() {
        out.push_str(eol);
    }
    out.push_str(&if eol == "\n" { section } else { section.replace('\n', eol) });
    Ok(out)
}

/// For each line of `text`: whether it is inside a section of `profile` (headers included).
fn profile_lines<'t>(text: &'t str, kind: super::FileKind, profile: &str) -> Vec<(&'t str, bool, bool)> {
    let mut inside = false;
    text.split_inclusive('\n')
        .map(|line| {
            let bare = line.trim_end_matches(['\r', '\n']);
            let header = super::parse::header_inner(bare).is_some();
            if header {
                inside = super::parse::header_name(bare, kind)
                    .is_some_and(|(k, name)| k == super::SectionKind::Profile && name == profile);
            }
            (line, inside, header)
        })
        .collect()
}

/// The key of a top-level `key = value` line, lower-cased, and its value.
fn key_value(line: &str) -> Option<(String, &str)> {
    let bare = line.trim_end_matches(['\r', '\n']);
    if bare.starts_with([' ', '\t', '#', ';', '[']) {
        return None;
    }
    let (key, value) = bare.split_once('=')?;
    Some((key.trim().to_ascii_lowercase(), value.trim()))
}

/// `text` with `key = value` in the first section of `profile`: the line replaced where the
/// section has the key, else added under its header; a new section at the end when there is
/// none, with the header `style` gives. Every part is checked as for a section.
pub fn with_key_set(
    text: &str,
    kind: super::FileKind,
    profile: &str,
    style: HeaderStyle,
    key: &str,
    value: &str,
) -> Result<String, Error> {
    check_name(profile)?;
    let eol = line_end(text);
    let lines = profile_lines(text, kind, profile);
    let new_line = format!("{}{eol}", property_line(key, value)?);
    let mut out = String::with_capacity(text.len() + new_line.len());
    let mut done = false;
    if let Some(i) =
        lines.iter().position(|(line, inside, _)| *inside && key_value(line).is_some_and(|(k, _)| k == key))
    {
        for (n, (line, ..)) in lines.iter().enumerate() {
            out.push_str(if n == i { &new_line } else { line });
        }
        return Ok(out);
    }
    for (line, inside, header) in &lines {
        out.push_str(line);
        if !done && *inside && *header {
            if !line.ends_with('\n') {
                out.push_str(eol);
            }
            out.push_str(&new_line);
            done = true;
        }
    }
    if done { Ok(out) } else { with_section_appended(text, &Section::new(style, profile).with(key, value)) }
}

/// `text` without the top-level lines of `keys` in the sections of `profile`, and (for a backup
/// that must not hold them) `text` with those lines' values replaced by `note`; and the removed
/// (key, value) pairs.
pub fn without_keys(
    text: &str,
    kind: super::FileKind,
    profile: &str,
    keys: &[&str],
    note: &str,
) -> (String, String, Vec<(String, String)>) {
    let (mut kept, mut redacted, mut removed) = (String::new(), String::new(), Vec::new());
    for (line, inside, _) in profile_lines(text, kind, profile) {
        match key_value(line).filter(|(k, _)| inside && keys.contains(&k.as_str())) {
            Some((key, value)) => {
                let eol = &line[line.trim_end_matches(['\r', '\n']).len()..];
                redacted.push_str(&format!("{key} = {note}{eol}"));
                removed.push((key, value.to_owned()));
            }
            None => {
                kept.push_str(line);
                redacted.push_str(line);
            }
        }
    }
    (kept, redacted, removed)
}

/// A file of the user's as read before an edit: its path, how messages show it, its bytes (what
/// `write_if_unchanged` compares against) and its text. A missing file is an empty one.
pub struct Original {
    pub path: PathBuf,
    pub shown: String,
    pub bytes: Vec<u8>,
    pub text: String,
}

impl Original {
    pub fn read(path: PathBuf, env: &crate::env::Env) -> Result<Original, Error> {
        let shown = super::display_path(&path, env);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(Error::files(format!("cannot read {shown}: {}", io_cause(&e)))),
        };
        let text = String::from_utf8(bytes.clone()).map_err(|_| {
            Error::files(format!("{shown} is not UTF-8 text; awsenv rewrites only text it can keep as it is"))
        })?;
        Ok(Original { path, shown, bytes, text })
    }
}

/// What a write did.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    /// The new text is the old: nothing was touched (the mtime stays).
    Unchanged,
    /// Written; the old text is kept in this backup.
    Replaced { backup: PathBuf },
}

/// Replace the file at `path` (through a symlink, to the file it names) with `new`, if it still
/// holds `old`: temp file beside it with its mode, fsync, rename. The old text is kept once in
/// `FILE.awsenv.bak` (0600), never over a newer backup of the same sync.
pub fn write_if_unchanged(path: &Path, old: &[u8], new: &[u8], shown_path: &str) -> Result<Written, Error> {
    write_with_backup(path, old, new, old, shown_path)
}

/// `write_if_unchanged`, keeping `backup` rather than the old text (when the old text holds a
/// secret that the write exists to remove).
pub fn write_with_backup(
    path: &Path,
    old: &[u8],
    new: &[u8],
    backup_text: &[u8],
    shown_path: &str,
) -> Result<Written, Error> {
    write_keeping(path, old, new, Some(("awsenv.bak", backup_text)), shown_path)
}

/// `write_if_unchanged` with the backup kept as `backup` (the suffix of its name beside the file,
/// and its text), and only when one is given: `write-credentials` takes its own once, before its
/// first write, and never with temporary keys in it.
pub fn write_keeping(
    path: &Path,
    old: &[u8],
    new: &[u8],
    backup: Option<(&str, &[u8])>,
    shown_path: &str,
) -> Result<Written, Error> {
    if old == new {
        return Ok(Written::Unchanged);
    }
    let real = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && old.is_empty() => path.to_path_buf(),
        Err(e) => return Err(Error::files(format!("cannot write {shown_path}: {}", io_cause(&e)))),
    };
    let changed = || {
        Error::files(format!("{shown_path} changed since awsenv read it; nothing was written"))
            .hint("run the command again")
    };
    let current = match std::fs::read(&real) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::files(format!("cannot read {shown_path}: {}", io_cause(&e)))),
    };
    if current != old {
        return Err(changed());
    }
    let mode = std::fs::metadata(&real).map(|m| m.mode() & 0o7777).unwrap_or(0o600);
    let dir = real.parent().unwrap_or(Path::new("."));
    let name = real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "config".into());
    let (suffix, backup_text) = backup.unwrap_or(("awsenv.bak", b""));
    let backup_path = dir.join(format!("{name}.{suffix}"));
    if !old.is_empty() && backup.is_some() {
        write_new(dir, &backup_path, backup_text, 0o600).map_err(|e| {
            Error::files(format!("cannot keep a backup of {shown_path} in {}: {}", backup_path.display(), io_cause(&e)))
        })?;
    }
    write_new(dir, &real, new, mode)
        .map_err(|e| Error::files(format!("cannot write {shown_path}: {}", io_cause(&e))))?;
    Ok(Written::Replaced { backup: backup_path })
}

/// `bytes` as `target`, atomically: a temporary file in `dir`, synced, renamed over it.
fn write_new(dir: &Path, target: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let temporary = dir.join(format!(".awsenv-edit.{}.{nanos}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        file.sync_all()?;
        std::fs::rename(&temporary, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str) -> Section {
        Section::new(HeaderStyle::Profile, name).with("sso_session", "corp")
    }

    #[test]
    fn no_part_of_a_section_can_add_a_line_a_header_or_a_marker() {
        use crate::config::FileKind;
        let hostile = [
            "x\n[profile default]\ncredential_process = touch /tmp/pwned",
            "x\r[default]",
            "x\0y",
            "# <<< awsenv sso sync: sso-session corp <<<",
            "a]\n[profile b",
            "Admin\u{2028}[profile default]",
            "\u{85}credential_process = x",
            "",
        ];
        for text in hostile {
            let as_name = Section::new(HeaderStyle::Profile, text);
            assert!(as_name.render().is_err(), "name {text:?}");
            assert!(render_block("corp", "{}", &[as_name]).is_err(), "name in a block {text:?}");
            let as_key = Section::new(HeaderStyle::Profile, "p").with(text, "v");
            assert!(as_key.render().is_err(), "key {text:?}");
            if text.contains(|c: char| c.is_control() || c == '\u{2028}') {
                let as_value = Section::new(HeaderStyle::Bare, "p").with("k", text);
                assert!(as_value.render().is_err(), "value {text:?}");
                assert!(with_section_appended("", &as_value).is_err());
                assert!(with_key_set("[p]\n", FileKind::Credentials, "p", HeaderStyle::Bare, "k", text).is_err());
                assert!(render_block("corp", text, &[]).is_err(), "options {text:?}");
            }
            assert!(with_key_set("", FileKind::Config, text, HeaderStyle::Profile, "k", "v").is_err());
        }
        // A value that only looks like a header or a marker stays a value on its own line.
        let section = Section::new(HeaderStyle::Profile, "p").with("k", "[profile default]").with("m", "# >>> x");
        assert_eq!(section.render().unwrap(), "[profile p]\nk = [profile default]\nm = # >>> x\n");
    }

    #[test]
    fn a_block_is_added_then_replaced_and_nothing_else_moves() {
        let original = "# mine\r\n[profile hand]\r\nregion = x\r\n; no final newline";
        let block = render_block("corp", "{}", &[profile("a")]).unwrap();
        let added = with_block(original, "corp", &block, "c").unwrap();
        assert!(
            added.starts_with("# mine\r\n[profile hand]\r\nregion = x\r\n; no final newline\r\n\r\n# >>> "),
            "{added}"
        );
        assert!(!added.replace("\r\n", "").contains('\n'), "the block uses the file's CRLF: {added:?}");
        let found = find_block(&added, "corp", "c").unwrap().unwrap();
        assert_eq!(found.options, Some("{}"));
        assert!(found.body.contains("[profile a]\r\nsso_session = corp\r\n"), "{:?}", found.body);

        let edited = added.replace("; no final newline", "; edited by hand") + "[profile after]\r\nk = v";
        let block = render_block("corp", "{\"v\":2}", &[profile("b")]).unwrap();
        let replaced = with_block(&edited, "corp", &block, "c").unwrap();
        let found = find_block(&replaced, "corp", "c").unwrap().unwrap();
        assert_eq!(&replaced[..found.range.start], &edited[..edited.find("# >>>").unwrap()]);
        assert!(replaced.ends_with("<<<\r\n[profile after]\r\nk = v"), "{replaced:?}");
        assert!(!replaced.contains("[profile a]"));
        assert_eq!(sessions_with_blocks(&replaced), vec!["corp".to_owned()]);
    }

    #[test]
    fn broken_markers_are_errors_not_guesses() {
        let block = render_block("corp", "{}", &[]).unwrap();
        let cut = block.lines().next().unwrap().to_owned() + "\n[profile x]\n";
        let e = find_block(&cut, "corp", "~/.aws/config").unwrap_err();
        assert!(
            e.message.contains("~/.aws/config:1: ") && e.message.contains("start marker without its end"),
            "{}",
            e.message
        );
        let twice = format!("{block}{block}");
        assert!(find_block(&twice, "corp", "c").unwrap_err().message.contains("second start marker"));
        assert_eq!(find_block(&block, "other", "c").unwrap(), None);
    }

    #[test]
    fn a_key_is_set_in_its_section_and_secrets_leave_without_a_trace_in_the_backup() {
        use crate::config::FileKind;
        let config = "[default]\r\nregion = x\r\n[profile p]\r\nregion = y\r\n[profile q]\r\n";
        let set = with_key_set(config, FileKind::Config, "p", HeaderStyle::Profile, "credential_process", "awsenv x")
            .unwrap();
        assert_eq!(
            set,
            "[default]\r\nregion = x\r\n[profile p]\r\ncredential_process = awsenv x\r\nregion = y\r\n[profile q]\r\n"
        );
        let again =
            with_key_set(&set, FileKind::Config, "p", HeaderStyle::Profile, "credential_process", "awsenv y").unwrap();
        assert_eq!(again, set.replace("awsenv x", "awsenv y"));
        let new = with_key_set("[profile q]\nk = v", FileKind::Config, "p", HeaderStyle::Profile, "k", "w").unwrap();
        assert_eq!(new, "[profile q]\nk = v\n\n[profile p]\nk = w\n");

        let credentials = "[p]\naws_access_key_id = AKIA1\naws_secret_access_key = s3cret\n# mine\n[q]\naws_secret_access_key = other\n";
        let (kept, redacted, removed) = without_keys(
            credentials,
            FileKind::Credentials,
            "p",
            &["aws_access_key_id", "aws_secret_access_key"],
            "(moved)",
        );
        assert_eq!(kept, "[p]\n# mine\n[q]\naws_secret_access_key = other\n");
        assert_eq!(
            redacted,
            "[p]\naws_access_key_id = (moved)\naws_secret_access_key = (moved)\n# mine\n[q]\naws_secret_access_key = other\n"
        );
        assert_eq!(
            removed,
            vec![("aws_access_key_id".into(), "AKIA1".into()), ("aws_secret_access_key".into(), "s3cret".into())]
        );
    }

    #[test]
    fn writes_go_through_symlinks_keep_the_mode_and_refuse_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles-config");
        std::fs::write(&real, "old\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("config");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(write_if_unchanged(&link, b"old\n", b"old\n", "c").unwrap(), Written::Unchanged);
        let written = write_if_unchanged(&link, b"old\n", b"new\n", "c").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
        assert_eq!(std::fs::metadata(&real).unwrap().mode() & 0o777, 0o640);
        assert_eq!(written, Written::Replaced { backup: dir.path().join("dotfiles-config.awsenv.bak") });
        assert_eq!(std::fs::read_to_string(dir.path().join("dotfiles-config.awsenv.bak")).unwrap(), "old\n");
        let e = write_if_unchanged(&link, b"old\n", b"newer\n", "c").unwrap_err();
        assert!(e.message.contains("changed since awsenv read it"), "{}", e.message);
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
    }
}
