//! `awsenv list`: every profile with its kind, region, cached credentials and where it is
//! defined. The rows come from `listing`, saved from the last full parse while the files are
//! unchanged, and are formatted only when printed: the table for 5,000 profiles must come out
//! within three times what merely reading the two files takes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::json;

use crate::cache::Cache;
use crate::cli::ListArgs;
use crate::config::{self, Origin, index};
use crate::env::Env;
use crate::error::Error;
use crate::listing::{self, Row};
use crate::source::CacheState;
use crate::sso::token::TokenState;

/// A row as shown: what `listing` worked out or saved, with the states read now.
struct Shown<'r, 'a, 't> {
    row: &'r Row<'a>,
    /// The last step's cache state.
    cached: Option<CacheState>,
    /// For SSO profiles: the state of their login's token.
    login: Option<&'t TokenState>,
}

impl Shown<'_, '_, '_> {
    fn expires_at(&self) -> Option<String> {
        match self.cached? {
            CacheState::Valid(t) | CacheState::Expired(t) => Some(crate::credentials::format_rfc3339(t)),
            _ => None,
        }
    }

    /// Time left on the cached credentials: `42m`, `expired`, or `-`.
    fn cache_column(&self) -> Cow<'static, str> {
        match self.cached {
            Some(CacheState::Valid(t)) => {
                Cow::Owned(crate::prompt::left((t - time::OffsetDateTime::now_utc()).whole_seconds()))
            }
            Some(CacheState::Expired(_)) => Cow::Borrowed("expired"),
            _ => Cow::Borrowed("-"),
        }
    }
}

pub fn run(args: &ListArgs, env: &Env) -> Result<String, Error> {
    let cache = Cache::existing(env);
    let pattern = args.pattern.as_deref().map(str::to_lowercase);
    let wanted = |row: &Row<'_>| pattern.as_deref().is_none_or(|p| row.name.to_lowercase().contains(p));
    // Saved rows are trusted only with a cache to check their cache column against.
    let saved = cache.as_ref().and_then(|_| listing::read_saved(env));
    if let Some(mut rows) = saved.as_deref().and_then(|bytes| listing::decode(bytes, env)) {
        rows.retain(|r| wanted(r));
        if let Some(states) = listing::cache_states(&rows, env, cache.as_ref(), None) {
            return Ok(show(args, env, &rows, states));
        }
    }
    let texts = config::read(env)?;
    let files = crate::config::parse_cited(&texts, env)?;
    let mut rows = listing::build(&files, env);
    // Saved for the next list (in the cache directory `use` makes, made here if need be), with
    // the index it needs to plan the few profiles whose cache state only a plan tells.
    if cache.is_some() || Cache::open(env).is_ok() {
        listing::save(env, &texts, &rows);
        if let Some(index_file) = index::path_for(env) {
            let _ = index::save(&index_file, &texts, &files);
        }
    }
    rows.retain(|r| wanted(r));
    let states =
        listing::cache_states(&rows, env, cache.as_ref(), Some(&files)).unwrap_or_else(|| vec![None; rows.len()]);
    Ok(show(args, env, &rows, states))
}

fn show(args: &ListArgs, env: &Env, rows: &[Row<'_>], states: Vec<Option<CacheState>>) -> String {
    // Many profiles share one login: read each token file once.
    let mut logins: HashMap<(bool, &str), TokenState> = HashMap::new();
    for login in rows.iter().filter_map(|r| r.login.as_deref()) {
        logins.entry(login.key()).or_insert_with(|| crate::sso::token::token_state(env, &login.login()));
    }
    let rows: Vec<Shown<'_, '_, '_>> = rows
        .iter()
        .zip(states)
        .map(|(row, cached)| Shown { row, cached, login: row.login.as_deref().and_then(|l| logins.get(&l.key())) })
        .collect();
    let (config_path, credentials_path) = config::paths(env);
    let shown = [config::display_path(&config_path, env), config::display_path(&credentials_path, env)];
    let cite = |at: Origin| format!("{}:{}", shown[at.file as usize], at.line);
    if args.json {
        let values: Vec<_> = rows
            .iter()
            .map(|s| {
                let r = s.row;
                let files: Vec<&str> = [(r.in_config, "config"), (r.in_credentials, "credentials")].iter().filter(|(i, _)| *i).map(|(_, f)| *f).collect();
                json!({"name": r.name, "kind": r.kind, "base": r.base, "role_hops": r.hops, "mfa": r.mfa, "expires_at": s.expires_at(), "region": r.region, "at": cite(r.at), "files": files, "error": r.problem, "sso_login": s.login.map(TokenState::short), "account_name": r.account_name})
            })
            .collect();
        return format!("{}\n", serde_json::Value::Array(values));
    }
    if rows.is_empty() {
        match &args.pattern {
            Some(p) => eprintln!("awsenv: no profile name contains {}", crate::error::quoted(p)),
            None => eprintln!("awsenv: no profiles in {} or {}", shown[0], shown[1]),
        }
        return String::new();
    }
    // Columns are as wide as their widest cell, counted in characters.
    let width_of = |text: &str| if text.is_ascii() { text.len() } else { text.chars().count() };
    let width = |cells: &mut dyn Iterator<Item = usize>, title: &str| cells.max().unwrap_or(0).max(title.len());
    let wn = width(&mut rows.iter().map(|s| width_of(&s.row.name)), "PROFILE");
    let kind_width =
        |s: &Shown<'_, '_, '_>| s.row.base.as_ref().map_or(width_of(&s.row.kind), |b| "role/".len() + width_of(b));
    let wk = width(&mut rows.iter().map(kind_width), "KIND");
    let wr = width(&mut rows.iter().map(|s| s.row.region.as_ref().map_or(1, |r| width_of(r))), "REGION");
    let mut out = String::with_capacity(rows.len() * (wn + wk + wr + 40));
    // A cell of one or more pieces, padded to `width` plus two spaces.
    let cell = |out: &mut String, pieces: &[&str], width: usize| {
        let mut shown = 0;
        for piece in pieces {
            out.push_str(piece);
            shown += width_of(piece);
        }
        let mut pad = width.saturating_sub(shown) + 2;
        while pad > 0 {
            let n = pad.min(SPACES.len());
            out.push_str(&SPACES[..n]);
            pad -= n;
        }
    };
    cell(&mut out, &["PROFILE"], wn);
    cell(&mut out, &["KIND"], wk);
    cell(&mut out, &["REGION"], wr);
    cell(&mut out, &["CACHED"], 7);
    cell(&mut out, &["MFA"], 3);
    out.push_str("DEFINED AT\n");
    for s in &rows {
        let r = s.row;
        cell(&mut out, &[&r.name], wn);
        match &r.base {
            Some(base) => cell(&mut out, &["role/", base], wk),
            None => cell(&mut out, &[&r.kind], wk),
        }
        cell(&mut out, &[r.region.as_deref().unwrap_or("-")], wr);
        cell(&mut out, &[&s.cache_column()], 7);
        cell(&mut out, &[if r.mfa { "yes" } else { "-" }], 3);
        out.push_str(&shown[r.at.file as usize]);
        out.push(':');
        out.push_str(itoa(r.at.line, &mut [0; 10]));
        if r.in_config && r.in_credentials {
            out.push_str(" (+credentials)");
        }
        if let Some(account) = &r.account_name {
            let _ = write!(out, "  [account {}]", account.replace(char::is_control, " "));
        }
        if let Some(login) = s.login {
            let _ = write!(out, "  [sso login: {}]", login.short());
        }
        if let Some(problem) = &r.problem {
            out.push_str("  ! ");
            out.push_str(&problem.replace(char::is_control, " "));
        }
        out.push('\n');
    }
    page(out, env)
}

const SPACES: &str = "                                                                ";

/// `n` in decimal, written into `buffer` (a line number for each of thousands of rows: no
/// formatting machinery).
fn itoa(mut n: u32, buffer: &mut [u8; 10]) -> &str {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buffer[at..]).expect("digits are ASCII")
}

/// Longer than the terminal it is printed on: through `$PAGER` (else `less -FRX`), and nothing
/// left to print. A pager that cannot start just means the table is printed as it is.
fn page(table: String, env: &Env) -> String {
    use std::io::{IsTerminal, Write};
    if !std::io::stdout().is_terminal() || table.lines().count() < terminal_rows().unwrap_or(usize::MAX) {
        return table;
    }
    let pager = env.get_nonempty("PAGER").unwrap_or("less -FRX");
    let child = std::process::Command::new("/bin/sh").arg("-c").arg(pager).stdin(std::process::Stdio::piped()).spawn();
    let Ok(mut child) = child else { return table };
    // The pager has the table (or has quit early, which is the reader's choice): nothing to print.
    let handed_over = child.stdin.take().map(|mut stdin| stdin.write_all(table.as_bytes())).is_some();
    let _ = child.wait();
    if handed_over { String::new() } else { table }
}

fn terminal_rows() -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills a winsize; a zeroed one is a valid out-parameter.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_row > 0).then_some(usize::from(size.ws_row))
}
