//! The profile-file grammar, as the SDKs' shared parser suite pins it down.
//!
//! Two passes in one: each line is classified as the SDK's raw parser does (so syntax errors are
//! reported exactly where an SDK would fail), and each header is normalised at once (prefix rules,
//! valid names), so nothing is built for sections that will be ignored anyway.

use std::borrow::Cow;

use super::model::{ConfigFiles, FileKind, Origin, Property, RawSection, SectionKind, WHITESPACE};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub file: FileKind,
    pub line: u32,
    pub message: &'static str,
}

/// The text of both files; a missing file is `None` and parses as empty.
pub struct FileTexts {
    pub config_path: std::path::PathBuf,
    pub credentials_path: std::path::PathBuf,
    pub config: Option<String>,
    pub credentials: Option<String>,
    /// What each file was when read (taken from the open file, not the path), for the index.
    pub stamps: [Option<super::index::FileStamp>; 2],
}

/// Some sections of the two files, each one header and the lines under it, with its first line
/// number: what `use` reads through the index instead of the whole files.
pub struct Chunks {
    pub config_path: std::path::PathBuf,
    pub credentials_path: std::path::PathBuf,
    /// In file order: config chunks first, each file's in the order they stand.
    pub chunks: Vec<(FileKind, u32, String)>,
}

/// Parse chunks as the full parse would have parsed those lines.
pub fn parse_chunks(chunks: &Chunks) -> Result<ConfigFiles<'_>, ParseError> {
    let mut sections = Vec::new();
    let mut props = Vec::new();
    for (file, first_line, text) in &chunks.chunks {
        parse_file(text, *first_line, *file, &mut sections, &mut props)?;
    }
    drop_silenced_default(&mut sections);
    Ok(ConfigFiles::new(chunks.config_path.clone(), chunks.credentials_path.clone(), sections, props))
}

/// `[profile default]` in the config file silences `[default]` in that file.
fn drop_silenced_default(sections: &mut Vec<RawSection<'_>>) {
    let has_prefixed_default = sections.iter().any(|s| {
        s.kind == SectionKind::Profile && s.name == "default" && !s.unprefixed_default && s.at.file == FileKind::Config
    });
    if has_prefixed_default {
        sections.retain(|s| !s.unprefixed_default);
    }
}

pub fn parse(texts: &FileTexts) -> Result<ConfigFiles<'_>, ParseError> {
    // Sized from the text so that large files are not copied while the vectors grow.
    let bytes = texts.config.as_ref().map_or(0, String::len) + texts.credentials.as_ref().map_or(0, String::len);
    let mut sections = Vec::with_capacity(bytes / 128);
    let mut props = Vec::with_capacity(bytes / 32);
    if let Some(text) = &texts.config {
        parse_file(text, 1, FileKind::Config, &mut sections, &mut props)?;
        drop_silenced_default(&mut sections);
    }
    if let Some(text) = &texts.credentials {
        parse_file(text, 1, FileKind::Credentials, &mut sections, &mut props)?;
    }
    Ok(ConfigFiles::new(texts.config_path.clone(), texts.credentials_path.clone(), sections, props))
}

/// Where the parser stands: before any header, or inside one (kept or ignored), and whether the
/// last line defined a property that continuation lines may extend.
enum State {
    Starting,
    InSection { kept: bool, property: Option<OpenProperty> },
}

struct OpenProperty {
    /// Index into `props`, or `None` for a property that is parsed but ignored.
    index: Option<usize>,
    /// `key =` with nothing after it opens a block of `name = value` sub-properties.
    sub_properties: bool,
}

pub(crate) fn parse_file<'a>(
    text: &'a str,
    first_line: u32,
    file: FileKind,
    sections: &mut Vec<RawSection<'a>>,
    props: &mut Vec<Property<'a>>,
) -> Result<(), ParseError> {
    let mut state = State::Starting;
    for (n, line) in lines(text).enumerate() {
        let at = Origin { file, line: first_line + n as u32 };
        let error = |message| ParseError { file, line: at.line, message };
        let first = match line.as_bytes().first() {
            None => continue,
            Some(b) => *b,
        };
        if first == b'#' || first == b';' {
            continue;
        }
        if (first == b' ' || first == b'\t') && line.trim_matches(WHITESPACE).is_empty() {
            continue;
        }
        if first == b'[' {
            let header = strip_comment(line, false);
            let inner = header[1..].strip_suffix(']').ok_or_else(|| error("Profile definition must end with ']'"))?;
            let kept = match classify_header(inner, file) {
                Some((kind, name, unprefixed_default)) => {
                    let start = props.len();
                    sections.push(RawSection { kind, name, at, unprefixed_default, props: start..start });
                    true
                }
                None => false,
            };
            state = State::InSection { kept, property: None };
        } else if first == b' ' || first == b'\t' {
            let open = match &mut state {
                State::Starting => return Err(error("Expected a profile definition")),
                State::InSection { property: None, .. } => {
                    return Err(error("Expected a property definition, found continuation"));
                }
                State::InSection { property: Some(open), .. } => open,
            };
            let piece = line.trim_matches(WHITESPACE);
            if open.sub_properties {
                split_property(piece).map_err(|e| error(e.sub_property_message()))?;
            }
            if let Some(i) = open.index {
                let value = props[i].value.to_mut();
                value.push('\n');
                value.push_str(piece);
            }
        } else {
            let kept = match &state {
                State::Starting => return Err(error("Expected a profile definition")),
                State::InSection { kept, .. } => *kept,
            };
            let (key, value) = split_property(strip_comment(line, true)).map_err(|e| error(e.property_message()))?;
            let index = if kept && is_identifier(key) {
                props.push(Property { key: lowercase(key), value: Cow::Borrowed(value), at });
                sections.last_mut().expect("a kept section exists").props.end = props.len();
                Some(props.len() - 1)
            } else {
                None
            };
            state = State::InSection { kept, property: Some(OpenProperty { index, sub_properties: value.is_empty() }) };
        }
    }
    Ok(())
}

/// The kind and name a header line names, for completion (which reads headers only).
pub fn header_name(line: &str, file: FileKind) -> Option<(SectionKind, &str)> {
    classify_header_line(line, file).map(|(kind, name, _)| (kind, name))
}

/// What a header line names under the file's rules: the kind, the name, and whether it is the
/// config file's `[default]` without the `profile` prefix. `None` for a header the SDKs ignore
/// and for a line that is not a header.
pub fn classify_header_line(line: &str, file: FileKind) -> Option<(SectionKind, &str, bool)> {
    classify_header(header_inner(line)?, file)
}

/// The inside of a header line as the parser reads it (`[profile x] # note` → `profile x`),
/// whatever it names; `None` unless the line is a header (it starts with `[`).
pub fn header_inner(line: &str) -> Option<&str> {
    if !line.starts_with('[') {
        return None;
    }
    let header = strip_comment(line.strip_suffix('\r').unwrap_or(line), false);
    header.get(1..)?.strip_suffix(']')
}

/// What a header names, under the rules of the file it is in; `None` for headers the SDKs ignore.
fn classify_header(inner: &str, file: FileKind) -> Option<(SectionKind, &str, bool)> {
    let trimmed = inner.trim();
    let (prefix, name) = match trimmed.split_once(char::is_whitespace) {
        Some((prefix, rest)) => (Some(prefix), rest.trim()),
        None => (None, trimmed),
    };
    match (file, prefix) {
        (FileKind::Config, Some(prefix)) => {
            let kind = match prefix {
                "profile" => SectionKind::Profile,
                "sso-session" => SectionKind::SsoSession,
                "services" => SectionKind::Services,
                _ => return None,
            };
            is_identifier(name).then_some((kind, name, false))
        }
        (FileKind::Config, None) => (name == "default").then_some((SectionKind::Profile, name, true)),
        (FileKind::Credentials, Some(_)) => None,
        (FileKind::Credentials, None) => is_identifier(name).then_some((SectionKind::Profile, name, false)),
    }
}

enum PropertyError {
    NoEquals,
    NoName,
}

impl PropertyError {
    fn property_message(&self) -> &'static str {
        match self {
            PropertyError::NoEquals => "Expected an '=' sign defining a property",
            PropertyError::NoName => "Property did not have a name",
        }
    }
    fn sub_property_message(&self) -> &'static str {
        match self {
            PropertyError::NoEquals => "Expected an '=' sign defining a sub-property",
            PropertyError::NoName => "Sub-property did not have a name",
        }
    }
}

fn split_property(line: &str) -> Result<(&str, &str), PropertyError> {
    let (key, value) = line.split_once('=').ok_or(PropertyError::NoEquals)?;
    let key = key.trim_matches(WHITESPACE);
    if key.is_empty() {
        return Err(PropertyError::NoName);
    }
    Ok((key, value.trim_matches(WHITESPACE)))
}

/// Trim, and cut at the first `#` or `;` — in property lines only where whitespace precedes it,
/// so `value;x` keeps its `;x`.
fn strip_comment(line: &str, comment_needs_whitespace: bool) -> &str {
    let line = line.trim_matches(WHITESPACE);
    for i in memchr::memchr2_iter(b'#', b';', line.as_bytes()) {
        let previous_is_whitespace = line[..i].chars().next_back().is_some_and(char::is_whitespace);
        if previous_is_whitespace || !comment_needs_whitespace {
            return line[..i].trim_matches(WHITESPACE);
        }
    }
    line
}

/// `str::lines`, but with a vectorised search for the line ends: this loop is most of the cost
/// of reading a large config.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, next) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        rest = next;
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// Profile, session and key names the SDKs accept: ASCII letters and digits and `_-/.%@:+`.
pub fn is_identifier(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-/.%@:+".contains(&b))
}

fn lowercase(key: &str) -> Cow<'_, str> {
    if key.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(key.to_ascii_lowercase()) } else { Cow::Borrowed(key) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(config: &str, credentials: Option<&str>) -> FileTexts {
        FileTexts {
            config_path: "config".into(),
            credentials_path: "credentials".into(),
            config: Some(config.to_owned()),
            credentials: credentials.map(str::to_owned),
            stamps: [None, None],
        }
    }

    #[test]
    fn keeps_the_line_of_every_property_and_the_winning_duplicate() {
        let t = texts("# c\n[profile a]\nregion = x\n\n[profile a]\nRegion = y\n", Some("[a]\nk = v\n"));
        let files = parse(&t).unwrap();
        let a = files.profile("a").unwrap();
        assert_eq!(a.at, Origin { file: FileKind::Config, line: 2 });
        let region = a.property("region").unwrap();
        assert_eq!((region.value.as_ref(), region.at.line), ("y", 6));
        assert_eq!(a.property("k").unwrap().at, Origin { file: FileKind::Credentials, line: 2 });
        assert_eq!(a.files(), (true, true));
    }

    #[test]
    fn syntax_errors_cite_their_line() {
        let err = parse(&texts("[profile a]\nok = 1\n\nbroken line\n", None)).unwrap_err();
        assert_eq!((err.file, err.line), (FileKind::Config, 4));
    }

    #[test]
    fn sub_properties_split_into_pairs() {
        let t = texts("[services s]\nec2 =\n  endpoint_url = http://x:1\n  other=y\n", None);
        let files = parse(&t).unwrap();
        let s = files.services("s").unwrap();
        let pairs: Vec<_> = s.property("ec2").unwrap().sub_properties().collect();
        assert_eq!(pairs, [("endpoint_url", "http://x:1"), ("other", "y")]);
    }
}
