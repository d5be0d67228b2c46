//! Where each section stands in the two files, saved beside the credential cache so that `use`,
//! which runs on every prompt, reads only the few sections its chain needs instead of parsing
//! every profile the user has.
//!
//! The index is trusted only while both files are exactly the files it was built from: device,
//! inode, size, and modification and change times to the nanosecond, compared with `fstat` on
//! the very descriptors the chunks are then read from. A file changed less than
//! `RACY_SECONDS` before the index would be built is not indexed at all: a second change within
//! the same timestamp tick could otherwise go unnoticed (git's "racy" rule). Anything unexpected —
//! a missing, foreign, truncated or garbled index, a file that changed — means a full parse, never
//! an error.

use std::fs::{File, Metadata};
use std::hash::Hasher;
use std::io::ErrorKind;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

use super::model::{ConfigFiles, FileKind, NameHasher, SectionKind};
use super::parse::{Chunks, FileTexts};

const MAGIC: &[u8; 8] = b"AWSENVX1";
const RACY_SECONDS: i64 = 2;
pub(crate) const STAMP_BYTES: usize = 8 * 8;
const HEADER_BYTES: usize = 8 + 8 + 2 * STAMP_BYTES + 8;
const ENTRY_BYTES: usize = 8 + 4 + 4 + 4 + 4;
const MAX_INDEX_BYTES: u64 = 64 << 20;

/// A file's identity and version, as `fstat` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: i64,
    mtime_nsec: i64,
    ctime: i64,
    ctime_nsec: i64,
    /// Bytes of byte-order mark skipped at the start; offsets below are into the text after it.
    bom: u64,
}

impl FileStamp {
    pub fn new(meta: &Metadata, bom: usize) -> FileStamp {
        FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: meta.mtime(),
            mtime_nsec: meta.mtime_nsec(),
            ctime: meta.ctime(),
            ctime_nsec: meta.ctime_nsec(),
            bom: bom as u64,
        }
    }

    fn same_file(&self, meta: &Metadata) -> bool {
        let now = FileStamp::new(meta, self.bom as usize);
        now == *self
    }

    /// Changed so recently that another change could share its timestamps.
    pub(crate) fn is_racy(&self) -> bool {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        now - self.mtime.max(self.ctime) < RACY_SECONDS
    }
}

/// One section's place: which file, its first line, and its bytes (from its header to the next).
#[derive(Debug, Clone, Copy)]
struct Entry {
    hash: u64,
    file: FileKind,
    first_line: u32,
    start: u32,
    end: u32,
}

fn name_hash(kind: SectionKind, name: &str) -> u64 {
    let mut hasher = NameHasher::default();
    hasher.write(&[kind as u8 + 1]);
    hasher.write(name.as_bytes());
    hasher.finish()
}

pub(crate) fn paths_hash(config: &Path, credentials: &Path) -> u64 {
    let mut hasher = NameHasher::default();
    hasher.write(config.as_os_str().as_encoded_bytes());
    hasher.write(&[0]);
    hasher.write(credentials.as_os_str().as_encoded_bytes());
    hasher.finish()
}

/// The index file for this pair of paths, inside the (private) cache directory.
pub fn index_path(cache_dir: &Path, config: &Path, credentials: &Path) -> PathBuf {
    cache_dir.join(format!("index-{:016x}.bin", paths_hash(config, credentials)))
}

/// The index file for the two files `env` chooses, in its cache directory (if it has one).
pub fn path_for(env: &crate::env::Env) -> Option<PathBuf> {
    let (config, credentials) = super::paths(env);
    Some(index_path(&crate::cache::Cache::dir_for(env)?, &config, &credentials))
}

/// The result of trying the index.
pub enum Lookup {
    /// The chunks of the wanted sections and of every section they refer to.
    Hit(Chunks),
    /// No usable index: parse the files in full (and save an index afterwards).
    Miss,
}

/// The sections profile `name` needs — the profile, and transitively the profiles, sso-sessions
/// and services sections it names — read from the files through the index.
pub fn lookup(index_file: &Path, config: &Path, credentials: &Path, name: &str) -> Lookup {
    lookup_many(index_file, config, credentials, &[name])
}

/// The sections all of `names` need, in one read of the index: how `list` resolves the few
/// profiles whose cache state it must read.
pub fn lookup_many(index_file: &Path, config: &Path, credentials: &Path, names: &[&str]) -> Lookup {
    match try_lookup(index_file, config, credentials, names) {
        Some(chunks) => Lookup::Hit(chunks),
        None => Lookup::Miss,
    }
}

fn try_lookup(index_file: &Path, config: &Path, credentials: &Path, names: &[&str]) -> Option<Chunks> {
    let bytes = crate::private_files::read_private(index_file, MAX_INDEX_BYTES)?;
    let index = Index::decode(&bytes, paths_hash(config, credentials))?;
    let files = [open_if_same(config, index.stamps[0])?, open_if_same(credentials, index.stamps[1])?];
    let mut loaded: std::collections::HashSet<(SectionKind, String)> = std::collections::HashSet::new();
    let mut wanted: Vec<(SectionKind, String)> =
        names.iter().map(|n| (SectionKind::Profile, (*n).to_owned())).collect();
    let mut chunks =
        Chunks { config_path: config.to_owned(), credentials_path: credentials.to_owned(), chunks: Vec::new() };
    // Follow references until closed: chains are a few profiles long.
    while let Some((kind, wanted_name)) = wanted.pop() {
        if loaded.contains(&(kind, wanted_name.clone())) {
            continue;
        }
        for entry in index.entries_for(name_hash(kind, &wanted_name)) {
            let (file, stamp) = match entry.file {
                FileKind::Config => (files[0].as_ref()?, index.stamps[0]?),
                FileKind::Credentials => (files[1].as_ref()?, index.stamps[1]?),
            };
            let mut text = vec![0u8; (entry.end - entry.start) as usize];
            file.read_exact_at(&mut text, stamp.bom + u64::from(entry.start)).ok()?;
            let text = String::from_utf8(text).ok()?;
            references(&text, &mut wanted);
            chunks.chunks.push((entry.file, entry.first_line, text));
        }
        loaded.insert((kind, wanted_name));
    }
    // Sections of the same name merge in file order, config before credentials.
    chunks.chunks.sort_by_key(|(file, line, _)| (*file as u8, *line));
    Some(chunks)
}

/// Names a chunk refers to, found with the real parser so that comments, case and spacing are
/// read exactly as the full parse reads them.
fn references(text: &str, wanted: &mut Vec<(SectionKind, String)>) {
    let chunk = Chunks {
        config_path: PathBuf::new(),
        credentials_path: PathBuf::new(),
        chunks: vec![(FileKind::Config, 1, text.to_owned())],
    };
    let Ok(files) = super::parse::parse_chunks(&chunk) else {
        return;
    };
    for section in &files.sections {
        for p in &files.props[section.props.clone()] {
            let kind = match p.key.as_ref() {
                "source_profile" => SectionKind::Profile,
                "sso_session" => SectionKind::SsoSession,
                "services" => SectionKind::Services,
                _ => continue,
            };
            wanted.push((kind, p.value.to_string()));
        }
    }
}

/// Open `path` if it is still the file the index was built from (or still absent).
fn open_if_same(path: &Path, stamp: Option<FileStamp>) -> Option<Option<File>> {
    match File::open(path) {
        Err(e) => is_unchanged(stamp, Err(e)).then_some(None),
        Ok(file) => is_unchanged(stamp, file.metadata()).then_some(Some(file)),
    }
}

/// Whether what was found at a path (its metadata, or why there is none) is the file `stamp`
/// was taken from, or still no file when there was none: the rule every saved view of the
/// files (the index, `list`'s rows) is trusted by.
pub(crate) fn is_unchanged(stamp: Option<FileStamp>, found: std::io::Result<Metadata>) -> bool {
    match (found, stamp) {
        (Err(e), None) => e.kind() == ErrorKind::NotFound,
        (Ok(meta), Some(stamp)) => stamp.same_file(&meta),
        _ => false,
    }
}

/// Write the index for fully parsed files, unless one of them changed too recently.
pub fn save(index_file: &Path, texts: &FileTexts, files: &ConfigFiles<'_>) -> std::io::Result<()> {
    if texts.stamps.iter().flatten().any(FileStamp::is_racy) {
        return Ok(());
    }
    let config_headers = texts.config.as_deref().map(header_offsets).unwrap_or_default();
    let credentials_headers = texts.credentials.as_deref().map(header_offsets).unwrap_or_default();
    let mut entries = Vec::with_capacity(files.sections.len());
    for section in &files.sections {
        let (text, headers) = match section.at.file {
            FileKind::Config => (texts.config.as_deref(), &config_headers),
            FileKind::Credentials => (texts.credentials.as_deref(), &credentials_headers),
        };
        let Some(text) = text else { continue };
        let Ok(i) = headers.binary_search_by_key(&section.at.line, |h| h.0) else {
            continue;
        };
        let start = headers[i].1;
        let end = headers.get(i + 1).map_or(text.len(), |h| h.1);
        let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(end)) else {
            return Ok(());
        };
        entries.push(Entry {
            hash: name_hash(section.kind, section.name),
            file: section.at.file,
            first_line: section.at.line,
            start,
            end,
        });
    }
    entries.sort_by_key(|e| (e.hash, e.file as u8, e.first_line));
    let mut out = Vec::with_capacity(HEADER_BYTES + entries.len() * ENTRY_BYTES);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&paths_hash(&texts.config_path, &texts.credentials_path).to_le_bytes());
    for stamp in &texts.stamps {
        encode_stamp(&mut out, stamp.as_ref());
    }
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    for e in &entries {
        out.extend_from_slice(&e.hash.to_le_bytes());
        out.extend_from_slice(&(e.file as u32).to_le_bytes());
        out.extend_from_slice(&e.first_line.to_le_bytes());
        out.extend_from_slice(&e.start.to_le_bytes());
        out.extend_from_slice(&e.end.to_le_bytes());
    }
    crate::private_files::write_private(index_file.parent().unwrap_or(Path::new(".")), index_file, &out)
}

/// (line number, byte offset) of every line that starts with `[`: where sections begin.
fn header_offsets(text: &str) -> Vec<(u32, usize)> {
    let bytes = text.as_bytes();
    let mut headers = Vec::new();
    let mut line = 1u32;
    let mut start = 0usize;
    loop {
        if bytes.get(start) == Some(&b'[') {
            headers.push((line, start));
        }
        match memchr::memchr(b'\n', &bytes[start..]) {
            Some(i) => {
                start += i + 1;
                line += 1;
            }
            None => return headers,
        }
    }
}

pub(crate) fn encode_stamp(out: &mut Vec<u8>, stamp: Option<&FileStamp>) {
    let fields = match stamp {
        None => [0u64; 8],
        Some(s) => [
            1 | (s.bom << 8),
            s.dev,
            s.ino,
            s.size,
            s.mtime as u64,
            s.mtime_nsec as u64,
            s.ctime as u64,
            s.ctime_nsec as u64,
        ],
    };
    for f in fields {
        out.extend_from_slice(&f.to_le_bytes());
    }
}

struct Index<'b> {
    stamps: [Option<FileStamp>; 2],
    entries: &'b [u8],
}

impl<'b> Index<'b> {
    fn decode(bytes: &'b [u8], expected_paths: u64) -> Option<Index<'b>> {
        if bytes.len() < HEADER_BYTES || &bytes[..8] != MAGIC || u64_at(bytes, 8)? != expected_paths {
            return None;
        }
        let stamps = [
            decode_stamp(&bytes[16..16 + STAMP_BYTES])?,
            decode_stamp(&bytes[16 + STAMP_BYTES..16 + 2 * STAMP_BYTES])?,
        ];
        let count = usize::try_from(u64_at(bytes, 16 + 2 * STAMP_BYTES)?).ok()?;
        let entries = &bytes[HEADER_BYTES..];
        if entries.len() != count.checked_mul(ENTRY_BYTES)? {
            return None;
        }
        Some(Index { stamps, entries })
    }

    fn entry(&self, i: usize) -> Option<Entry> {
        let e = self.entries.get(i * ENTRY_BYTES..(i + 1) * ENTRY_BYTES)?;
        let file = match u32_at(e, 8)? {
            0 => FileKind::Config,
            1 => FileKind::Credentials,
            _ => return None,
        };
        let (start, end) = (u32_at(e, 16)?, u32_at(e, 20)?);
        (start <= end).then_some(Entry { hash: u64_at(e, 0)?, file, first_line: u32_at(e, 12)?, start, end })
    }

    /// Every entry with this hash, in file order. A garbled entry ends the run (and a garbled
    /// index can at worst load sections that the parse then does not match).
    fn entries_for(&self, hash: u64) -> Vec<Entry> {
        let count = self.entries.len() / ENTRY_BYTES;
        let (mut low, mut high) = (0, count);
        while low < high {
            let mid = (low + high) / 2;
            match self.entry(mid) {
                Some(e) if e.hash < hash => low = mid + 1,
                Some(_) => high = mid,
                None => return Vec::new(),
            }
        }
        (low..count).map_while(|i| self.entry(i).filter(|e| e.hash == hash)).collect()
    }
}

pub(crate) fn decode_stamp(b: &[u8]) -> Option<Option<FileStamp>> {
    let field = |i: usize| u64_at(b, i * 8);
    let flags = field(0)?;
    if flags & 0xff == 0 {
        return Some(None);
    }
    Some(Some(FileStamp {
        bom: flags >> 8,
        dev: field(1)?,
        ino: field(2)?,
        size: field(3)?,
        mtime: field(4)? as i64,
        mtime_nsec: field(5)? as i64,
        ctime: field(6)? as i64,
        ctime_nsec: field(7)? as i64,
    }))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
