//! What `list` and shell completion show of every profile, and how that stays fast at 5,000 of
//! them.
//!
//! Working the rows out takes the whole parse and a plan per profile (about 60 million
//! instructions at 5,000 profiles). Rows depend only on the two files and a few variables, so they
//! are saved beside the section index and trusted on exactly the index's terms: both files'
//! device, inode, size and times to the nanosecond, nothing changed within the racy window, the
//! same awsenv and the same variables. Only the cache column can change under saved rows, and
//! for most rows its state is known without a plan (each row saves what its state depends on, a
//! `Probe`); the few profiles with a cache entry of their last step's group are planned again,
//! from the sections the index points at. Anything unexpected in the saved file means the full
//! work, never an error.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::cache::Cache;
use crate::config::{self, ConfigFiles, FileKind, Origin, index};
use crate::env::Env;
use crate::resolve::{Resolver, Source};
use crate::source::{CacheState, Probe};

const MAGIC: &[u8; 8] = b"AWSENVL1";
const MAX_BYTES: u64 = 64 << 20;
/// Besides the files, what the rows are made of: `HOME` in the paths that problems cite, and
/// the variables a plan reads (`Resolver`). A plan that comes to read another one must add it
/// here, or saved rows would outlive a change of it.
const INPUTS: [&str; 4] = ["HOME", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME"];

#[derive(Debug, PartialEq)]
pub struct Row<'a> {
    pub name: Cow<'a, str>,
    /// `invalid`, `settings`, or the plan's kind.
    pub kind: Cow<'a, str>,
    /// For `role` rows: the kind of the chain's first step.
    pub base: Option<Cow<'a, str>>,
    pub hops: u32,
    /// Whether a step of the chain asks for an MFA code.
    pub mfa: bool,
    pub region: Option<Cow<'a, str>>,
    pub at: Origin,
    pub in_config: bool,
    pub in_credentials: bool,
    pub problem: Option<Cow<'a, str>>,
    /// The account's name, for profiles `sso sync` wrote.
    pub account_name: Option<Cow<'a, str>>,
    /// For chains that start at IAM Identity Center: their login.
    pub login: Option<Box<SsoLogin<'a>>>,
    /// What the last step's cache state depends on; `None` for rows without a plan.
    pub probe: Option<Probe<Cow<'a, str>>>,
}

#[derive(Debug, PartialEq)]
pub struct SsoLogin<'a> {
    pub session: Option<Cow<'a, str>>,
    pub start_url: Cow<'a, str>,
    pub region: Cow<'a, str>,
}

impl SsoLogin<'_> {
    /// Which login this is: many profiles share one, and its token is read once.
    pub fn key(&self) -> (bool, &str) {
        (self.session.is_some(), self.session.as_deref().unwrap_or(&self.start_url))
    }

    pub fn login(&self) -> crate::sso::token::Login<'_> {
        crate::sso::token::Login { session: self.session.as_deref(), start_url: &self.start_url, region: &self.region }
    }
}

/// Every profile's row, worked out from the parsed files.
pub fn build<'f>(files: &'f ConfigFiles<'_>, env: &Env) -> Vec<Row<'f>> {
    let resolver = Resolver::new(files, env);
    let mut rows = Vec::new();
    for name in files.profile_names() {
        let section = files.profile(name).expect("listed names exist");
        let (in_config, in_credentials) = section.files();
        let mut row = Row {
            name: Cow::Borrowed(name),
            kind: Cow::Borrowed("invalid"),
            base: None,
            hops: 0,
            mfa: false,
            region: section.get("region").filter(|r| !r.is_empty()).map(Cow::Borrowed),
            at: section.at,
            in_config,
            in_credentials,
            problem: None,
            account_name: section.get("awsenv_account_name").filter(|n| !n.is_empty()).map(Cow::Borrowed),
            login: None,
            probe: None,
        };
        match resolver.plan(name) {
            Ok(plan) => {
                row.kind = Cow::Borrowed(plan.kind());
                row.hops = u32::try_from(plan.hops.len()).unwrap_or(u32::MAX);
                row.base = (!plan.hops.is_empty()).then(|| Cow::Borrowed(plan.base.source.kind()));
                // A code is asked for by a role's own device, or by the MFA session of the IAM
                // user it starts from (`mfa_serial` on the user's profile counts for the user
                // itself and for every role on it).
                row.mfa = plan.hops.iter().any(|h| h.mfa_serial.is_some())
                    || crate::source::mfa::session_for(&plan, files, env).is_ok_and(|s| s.is_some());
                row.probe = Some(match crate::source::last_step_probe(&plan, files, env) {
                    Probe::Fixed(state) => Probe::Fixed(state),
                    Probe::Group(prefix) => Probe::Group(Cow::Owned(prefix)),
                    Probe::Entry(name) => Probe::Entry(Cow::Owned(name)),
                    Probe::Read => Probe::Read,
                });
                if let Source::Sso { session, start_url, region, .. } = plan.base.source {
                    row.login = Some(Box::new(SsoLogin {
                        session: session.map(Cow::Owned),
                        start_url: Cow::Owned(start_url),
                        region: Cow::Owned(region),
                    }));
                }
            }
            // A profile with settings and no credential keys at all (the `[default]` that
            // `aws configure` leaves with only a region) is settings, not a mistake.
            Err(_) if section.props.iter().all(|p| !config::shadow::is_credential_key(&p.key)) => {
                row.kind = Cow::Borrowed("settings");
            }
            Err(e) => row.problem = Some(Cow::Owned(e.message)),
        }
        rows.push(row);
    }
    rows
}

/// The cache state each row shows (`None` for rows without a plan). Rows whose probe cannot tell
/// are planned again: from `files` when given, else from the sections the index points at.
/// `None` when those cannot be planned as they were (the files changed): do the full work.
pub fn cache_states(
    rows: &[Row<'_>],
    env: &Env,
    cache: Option<&Cache>,
    files: Option<&ConfigFiles<'_>>,
) -> Option<Vec<Option<CacheState>>> {
    let needs_plan = |row: &Row<'_>| match (&row.probe, cache) {
        (Some(Probe::Read), _) => true,
        (Some(Probe::Group(prefix)), Some(cache)) => cache.has_group_prefix(prefix),
        _ => false,
    };
    let wanted: Vec<usize> = (0..rows.len()).filter(|&i| needs_plan(&rows[i])).collect();
    let mut states: Vec<Option<CacheState>> = rows
        .iter()
        .map(|row| match &row.probe {
            None => None,
            Some(Probe::Fixed(state)) => Some(*state),
            Some(Probe::Entry(name)) => Some(
                cache.and_then(|c| c.peek_entry(name)).map_or(CacheState::Missing, |c| crate::source::state_of(&c)),
            ),
            Some(_) => Some(CacheState::Missing),
        })
        .collect();
    if wanted.is_empty() {
        return Some(states);
    }
    let mut plan_all = |files: &ConfigFiles<'_>| -> Option<()> {
        let resolver = Resolver::new(files, env);
        for &i in &wanted {
            let plan = resolver.plan(&rows[i].name).ok()?;
            states[i] = crate::source::cache_states(&plan, files, env, cache).last().copied();
        }
        Some(())
    };
    match files {
        Some(files) => plan_all(files)?,
        None => {
            let (config_path, credentials_path) = config::paths(env);
            let index_file = index::path_for(env)?;
            let names: Vec<&str> = wanted.iter().map(|&i| &*rows[i].name).collect();
            let index::Lookup::Hit(chunks) = index::lookup_many(&index_file, &config_path, &credentials_path, &names)
            else {
                return None;
            };
            plan_all(&config::parse::parse_chunks(&chunks).ok()?)?;
        }
    }
    Some(states)
}

/// The saved rows' file for this pair of files, beside the index.
pub fn saved_path(env: &Env) -> Option<PathBuf> {
    let (config_path, credentials_path) = config::paths(env);
    let dir = Cache::dir_for(env)?;
    Some(dir.join(format!("list-{:016x}.bin", index::paths_hash(&config_path, &credentials_path))))
}

/// The saved file's bytes, read whole; decode them with `decode`.
pub fn read_saved(env: &Env) -> Option<Vec<u8>> {
    crate::private_files::read_private(&saved_path(env)?, MAX_BYTES)
}

/// The rows in `bytes`, if they were saved for the two files as they are now and for this env.
pub fn decode<'b>(bytes: &'b [u8], env: &Env) -> Option<Vec<Row<'b>>> {
    let (config_path, credentials_path) = config::paths(env);
    let mut r = Reader { bytes, at: 0, blob: "" };
    if r.take(8)? != MAGIC || r.take(32)? != fingerprint(env, &config_path, &credentials_path) {
        return None;
    }
    for path in [&config_path, &credentials_path] {
        let stamp = index::decode_stamp(r.take(index::STAMP_BYTES)?)?;
        if !index::is_unchanged(stamp, std::fs::metadata(path)) {
            return None;
        }
    }
    let count = usize::try_from(r.u32()?).ok()?;
    let blob_len = usize::try_from(r.u32()?).ok()?;
    // Every string of every row, checked as UTF-8 once.
    r.blob = std::str::from_utf8(r.take(blob_len)?).ok()?;
    let mut rows = Vec::with_capacity(count.min(bytes.len() / 16));
    for _ in 0..count {
        rows.push(r.row()?);
    }
    (r.at == bytes.len()).then_some(rows)
}

/// Save `rows`, worked out from `texts`, unless a file changed too recently to be told apart
/// from a later change. Best effort: no cache directory simply means no saved rows.
pub fn save(env: &Env, texts: &config::FileTexts, rows: &[Row<'_>]) {
    if texts.stamps.iter().flatten().any(index::FileStamp::is_racy) {
        return;
    }
    let Some(path) = saved_path(env) else { return };
    let Ok(count) = u32::try_from(rows.len()) else { return };
    let mut out = Vec::with_capacity(64 + rows.len() * 96);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&fingerprint(env, &texts.config_path, &texts.credentials_path));
    for stamp in &texts.stamps {
        index::encode_stamp(&mut out, stamp.as_ref());
    }
    let mut writer = Writer { rows: Vec::with_capacity(rows.len() * 48), blob: String::with_capacity(rows.len() * 48) };
    for row in rows {
        writer.row(row);
    }
    let Ok(blob_len) = u32::try_from(writer.blob.len()) else { return };
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&blob_len.to_le_bytes());
    out.extend_from_slice(writer.blob.as_bytes());
    out.extend_from_slice(&writer.rows);
    if let Some(dir) = path.parent() {
        let _ = crate::private_files::write_private(dir, &path, &out);
    }
}

fn fingerprint(env: &Env, config_path: &Path, credentials_path: &Path) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(concat!("awsenv ", env!("CARGO_PKG_VERSION"), "\0"));
    hasher.update(config_path.as_os_str().as_encoded_bytes());
    hasher.update(b"\0");
    hasher.update(credentials_path.as_os_str().as_encoded_bytes());
    for name in INPUTS {
        match env.get(name) {
            Some(value) => {
                hasher.update(b"\x01");
                hasher.update(value.as_bytes());
                hasher.update(b"\0");
            }
            None => hasher.update(b"\x00"),
        }
    }
    hasher.finalize().into()
}

/// Rows as fixed-size fields, their strings in one text beside them (as offset and length; an
/// absent one as `ABSENT`), so that reading them checks UTF-8 once, not once per string.
struct Writer {
    rows: Vec<u8>,
    blob: String,
}

const ABSENT: u32 = u32::MAX;

impl Writer {
    fn u32(&mut self, n: u32) {
        self.rows.extend_from_slice(&n.to_le_bytes());
    }

    fn text(&mut self, s: &str) {
        // Rows are saved only when the whole file fits (`save` checks the blob's length).
        self.u32(u32::try_from(self.blob.len()).unwrap_or(ABSENT));
        self.u32(u32::try_from(s.len()).unwrap_or(ABSENT));
        self.blob.push_str(s);
    }

    fn optional(&mut self, s: Option<&str>) {
        match s {
            None => {
                self.u32(ABSENT);
                self.u32(0);
            }
            Some(s) => self.text(s),
        }
    }

    fn row(&mut self, row: &Row<'_>) {
        self.text(&row.name);
        self.text(&row.kind);
        self.optional(row.base.as_deref());
        self.u32(row.hops);
        self.rows.push(u8::from(row.mfa) | u8::from(row.in_config) << 1 | u8::from(row.in_credentials) << 2);
        self.rows.push(row.at.file as u8);
        self.u32(row.at.line);
        self.optional(row.region.as_deref());
        self.optional(row.problem.as_deref());
        self.optional(row.account_name.as_deref());
        match &row.login {
            None => self.rows.push(0),
            Some(login) => {
                self.rows.push(1);
                self.optional(login.session.as_deref());
                self.text(&login.start_url);
                self.text(&login.region);
            }
        }
        match &row.probe {
            None => self.rows.push(0),
            Some(Probe::Fixed(CacheState::NotCached)) => self.rows.push(1),
            // Only these two are fixed; any other state would be read anew.
            Some(Probe::Fixed(_)) => self.rows.push(2),
            Some(Probe::Group(prefix)) => {
                self.rows.push(3);
                self.text(prefix);
            }
            Some(Probe::Read) => self.rows.push(4),
            Some(Probe::Entry(name)) => {
                self.rows.push(5);
                self.text(name);
            }
        }
    }
}

/// Checked reads of the saved bytes: anything out of range or not UTF-8 is `None`.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
    blob: &'b str,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let end = self.at.checked_add(n)?;
        let taken = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(taken)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn text(&mut self) -> Option<Cow<'b, str>> {
        self.optional()?
    }

    fn optional(&mut self) -> Option<Option<Cow<'b, str>>> {
        let (at, len) = (self.u32()?, self.u32()?);
        if at == ABSENT {
            return Some(None);
        }
        let (at, len) = (usize::try_from(at).ok()?, usize::try_from(len).ok()?);
        Some(Some(Cow::Borrowed(self.blob.get(at..at.checked_add(len)?)?)))
    }

    fn row(&mut self) -> Option<Row<'b>> {
        let name = self.text()?;
        let kind = self.text()?;
        let base = self.optional()?;
        let hops = self.u32()?;
        let flags = self.byte()?;
        let file = match self.byte()? {
            0 => FileKind::Config,
            1 => FileKind::Credentials,
            _ => return None,
        };
        let at = Origin { file, line: self.u32()? };
        let (region, problem, account_name) = (self.optional()?, self.optional()?, self.optional()?);
        let login = match self.byte()? {
            0 => None,
            1 => Some(Box::new(SsoLogin { session: self.optional()?, start_url: self.text()?, region: self.text()? })),
            _ => return None,
        };
        let probe = match self.byte()? {
            0 => None,
            1 => Some(Probe::Fixed(CacheState::NotCached)),
            2 => Some(Probe::Fixed(CacheState::Missing)),
            3 => Some(Probe::Group(self.text()?)),
            4 => Some(Probe::Read),
            5 => Some(Probe::Entry(self.text()?)),
            _ => return None,
        };
        Some(Row {
            name,
            kind,
            base,
            hops,
            mfa: flags & 1 != 0,
            region,
            at,
            in_config: flags & 2 != 0,
            in_credentials: flags & 4 != 0,
            problem,
            account_name,
            login,
            probe,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Row<'static>> {
        let at = |file, line| Origin { file, line };
        let plain = |name: &'static str| Row {
            name: Cow::Borrowed(name),
            kind: Cow::Borrowed("static"),
            base: None,
            hops: 0,
            mfa: false,
            region: None,
            at: at(FileKind::Credentials, 1),
            in_config: false,
            in_credentials: true,
            problem: None,
            account_name: None,
            login: None,
            probe: Some(Probe::Fixed(CacheState::NotCached)),
        };
        vec![
            plain("keys"),
            Row {
                kind: Cow::Borrowed("role"),
                base: Some(Cow::Borrowed("sso")),
                hops: 2,
                mfa: true,
                region: Some(Cow::Borrowed("eu-west-1")),
                at: at(FileKind::Config, 40_000),
                in_config: true,
                account_name: Some(Cow::Borrowed("Ops [EU] / Ünit")),
                login: Some(Box::new(SsoLogin {
                    session: Some(Cow::Borrowed("corp")),
                    start_url: Cow::Borrowed("https://corp.awsapps.com/start"),
                    region: Cow::Borrowed("us-east-1"),
                })),
                probe: Some(Probe::Group(Cow::Borrowed("00ff00ff00ff00ff"))),
                ..plain("prod ünïcode")
            },
            Row {
                kind: Cow::Borrowed("sso"),
                login: Some(Box::new(SsoLogin {
                    session: None,
                    start_url: Cow::Borrowed("https://legacy.awsapps.com/start"),
                    region: Cow::Borrowed(""),
                })),
                probe: Some(Probe::Fixed(CacheState::Missing)),
                ..plain("legacy")
            },
            Row { kind: Cow::Borrowed("process"), probe: Some(Probe::Entry(Cow::Borrowed("0f-ab"))), ..plain("") },
            Row { kind: Cow::Borrowed("imds"), probe: Some(Probe::Read), ..plain("instance") },
            Row {
                kind: Cow::Borrowed("invalid"),
                problem: Some(Cow::Borrowed("source_profile \"x\" does not exist\n(second line)")),
                probe: None,
                ..plain("broken")
            },
        ]
    }

    /// Saved rows outlive everything but the files and `INPUTS`: every variable the resolver and
    /// the paths it cites read must be one of them.
    #[test]
    fn every_variable_a_plan_reads_is_an_input_of_the_saved_rows() {
        let sources = [include_str!("resolve/mod.rs"), include_str!("resolve/sso.rs"), include_str!("config/mod.rs")];
        let mut read = Vec::new();
        for source in sources {
            for call in ["env.get_nonempty(\"", "env.get(\"", "env.user_var(\""] {
                for (at, _) in source.match_indices(call) {
                    let name = &source[at + call.len()..];
                    read.push(&name[..name.find('"').unwrap()]);
                }
            }
        }
        assert!(read.contains(&"AWS_ROLE_ARN") && read.contains(&"HOME"), "the scan finds the reads: {read:?}");
        for name in read {
            assert!(INPUTS.contains(&name), "{name} is read by a plan but is not in listing::INPUTS");
        }
    }

    #[test]
    fn rows_read_back_as_written_and_a_cut_or_a_wrong_offset_is_refused() {
        let rows = rows();
        let mut writer = Writer { rows: Vec::new(), blob: String::new() };
        for row in &rows {
            writer.row(row);
        }
        let mut reader = Reader { bytes: &writer.rows, at: 0, blob: &writer.blob };
        for row in &rows {
            assert_eq!(reader.row().as_ref(), Some(row));
        }
        assert_eq!(reader.at, writer.rows.len());
        // Cut anywhere: some row fails to read, none panics.
        for cut in 0..writer.rows.len() {
            let mut reader = Reader { bytes: &writer.rows[..cut], at: 0, blob: &writer.blob };
            assert!((0..rows.len()).map(|_| reader.row()).any(|r| r.is_none()), "cut at {cut}");
        }
        // A text shorter than the offsets it is read at.
        for blob in ["", &writer.blob[..writer.blob.len() - 1]] {
            let mut reader = Reader { bytes: &writer.rows, at: 0, blob };
            assert!((0..rows.len()).map(|_| reader.row()).any(|r| r.is_none()));
        }
        // A string that would end inside a character.
        let one_byte_of_two = [0u32.to_le_bytes(), 1u32.to_le_bytes()].concat();
        assert_eq!(Reader { bytes: &one_byte_of_two, at: 0, blob: "Ü" }.optional(), None);
    }
}
