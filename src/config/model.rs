//! What the two files say, and where they say it.
//!
//! Everything borrows from the file contents: `use` on a 5,000-profile config must cost little more
//! than reading the files, so the parser allocates only for values that span continuation lines
//! and for keys that are not already lower-case.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::path::{Path, PathBuf};

/// Which of the two files a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Config,
    Credentials,
}

/// A file and a 1-based line number: what errors and `explain` cite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub file: FileKind,
    pub line: u32,
}

/// The three kinds of section the SDKs know; anything else in the files is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    Profile,
    SsoSession,
    Services,
}

#[derive(Debug, Clone)]
pub struct Property<'a> {
    /// Lower-cased: the SDKs match keys case-insensitively.
    pub key: Cow<'a, str>,
    /// Trimmed; continuation lines are joined with `\n`, as the SDKs do.
    pub value: Cow<'a, str>,
    pub at: Origin,
}

impl Property<'_> {
    /// The `name = value` pairs of a sub-property block (`s3 =\n  addressing_style = path`).
    pub fn sub_properties(&self) -> impl Iterator<Item = (&str, &str)> {
        self.value.split('\n').skip(1).filter_map(|line| {
            let (key, value) = line.split_once('=')?;
            Some((key.trim_matches(WHITESPACE), value.trim_matches(WHITESPACE)))
        })
    }
}

/// One `[...]` header as it stands in a file, with the properties under it.
#[derive(Debug, Clone)]
pub(crate) struct RawSection<'a> {
    pub kind: SectionKind,
    pub name: &'a str,
    pub at: Origin,
    /// `[default]` without the prefix in the config file: dropped when the same file also has
    /// `[profile default]`.
    pub unprefixed_default: bool,
    pub props: std::ops::Range<usize>,
}

/// A section after merging every header of the same kind and name across both files:
/// later headers add properties, a repeated key keeps its last value, credentials win over config.
#[derive(Debug, Clone)]
pub struct Section<'s, 'a> {
    pub kind: SectionKind,
    pub name: &'a str,
    /// Where the first header for this name stands.
    pub at: Origin,
    pub props: Vec<&'s Property<'a>>,
}

impl<'s, 'a> Section<'s, 'a> {
    pub fn property(&self, key: &str) -> Option<&'s Property<'a>> {
        self.props.iter().copied().find(|p| p.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&'s str> {
        self.property(key).map(|p| p.value.as_ref())
    }

    /// Which files define this section (for `list`).
    pub fn files(&self) -> (bool, bool) {
        let in_config = self.at.file == FileKind::Config || self.props.iter().any(|p| p.at.file == FileKind::Config);
        let in_credentials =
            self.at.file == FileKind::Credentials || self.props.iter().any(|p| p.at.file == FileKind::Credentials);
        (in_config, in_credentials)
    }
}

/// Both files, parsed and held in file order (config first), with a name index built once.
#[derive(Debug)]
pub struct ConfigFiles<'a> {
    pub config_path: PathBuf,
    pub credentials_path: PathBuf,
    pub(crate) sections: Vec<RawSection<'a>>,
    pub(crate) props: Vec<Property<'a>>,
    /// (kind, name) → the first section of that name; `next_same` chains the later ones, so
    /// building the index allocates nothing per section.
    index: HashMap<(SectionKind, &'a str), u32, BuildHasherDefault<NameHasher>>,
    next_same: Vec<u32>,
    /// Whether `sections[i]` is the first with its kind and name.
    first_of_name: Vec<bool>,
}

const NONE: u32 = u32::MAX;

pub(crate) use crate::encoding::NameHasher;

pub(crate) const WHITESPACE: &[char] = &[' ', '\t'];

impl<'a> ConfigFiles<'a> {
    pub(crate) fn new(
        config_path: PathBuf,
        credentials_path: PathBuf,
        sections: Vec<RawSection<'a>>,
        props: Vec<Property<'a>>,
    ) -> Self {
        let mut index: HashMap<(SectionKind, &'a str), u32, BuildHasherDefault<NameHasher>> =
            HashMap::with_capacity_and_hasher(sections.len(), BuildHasherDefault::default());
        let mut next_same = vec![NONE; sections.len()];
        let mut first_of_name = vec![false; sections.len()];
        let mut last_of_name: HashMap<(SectionKind, &'a str), u32, BuildHasherDefault<NameHasher>> =
            HashMap::with_capacity_and_hasher(sections.len(), BuildHasherDefault::default());
        for (i, s) in sections.iter().enumerate() {
            let i = i as u32;
            match last_of_name.insert((s.kind, s.name), i) {
                Some(previous) => next_same[previous as usize] = i,
                None => {
                    index.insert((s.kind, s.name), i);
                    first_of_name[i as usize] = true;
                }
            }
        }
        ConfigFiles { config_path, credentials_path, sections, props, index, next_same, first_of_name }
    }

    pub fn path(&self, file: FileKind) -> &Path {
        match file {
            FileKind::Config => &self.config_path,
            FileKind::Credentials => &self.credentials_path,
        }
    }

    pub fn section<'s>(&'s self, kind: SectionKind, name: &str) -> Option<Section<'s, 'a>> {
        let first_index = *self.index.get(&(kind, name))?;
        let first = &self.sections[first_index as usize];
        let mut props: Vec<&'s Property<'a>> = Vec::with_capacity(first.props.len());
        let mut i = first_index;
        while i != NONE {
            for p in &self.props[self.sections[i as usize].props.clone()] {
                match props.iter_mut().find(|q| q.key == p.key) {
                    Some(slot) => *slot = p,
                    None => props.push(p),
                }
            }
            i = self.next_same[i as usize];
        }
        Some(Section { kind, name: first.name, at: first.at, props })
    }

    pub fn profile<'s>(&'s self, name: &str) -> Option<Section<'s, 'a>> {
        self.section(SectionKind::Profile, name)
    }

    pub fn sso_session<'s>(&'s self, name: &str) -> Option<Section<'s, 'a>> {
        self.section(SectionKind::SsoSession, name)
    }

    pub fn services<'s>(&'s self, name: &str) -> Option<Section<'s, 'a>> {
        self.section(SectionKind::Services, name)
    }

    /// Names of one kind of section, each once, in the order they first appear.
    pub fn names(&self, kind: SectionKind) -> Vec<&'a str> {
        self.sections
            .iter()
            .enumerate()
            .filter(|(i, s)| s.kind == kind && self.first_of_name[*i])
            .map(|(_, s)| s.name)
            .collect()
    }

    pub fn profile_names(&self) -> Vec<&'a str> {
        self.names(SectionKind::Profile)
    }

    pub fn has_profiles(&self) -> bool {
        self.sections.iter().any(|s| s.kind == SectionKind::Profile)
    }
}
