//! `awsenv list`: every profile with its kind, region, cached credentials and where it is
//! defined. Rows borrow from the parsed files and are formatted only when printed: the table for
//! 5,000 profiles must come out in a few milliseconds.

use std::fmt::Write as _;

use serde_json::json;

use crate::cli::ListArgs;
use crate::config::{self, FileKind, Origin};
use crate::env::Env;
use crate::error::Error;
use crate::resolve::Resolver;
use crate::source::CacheState;

struct Row<'a> {
    name: &'a str,
    /// The plan's kind; `role` rows also carry the kind of the chain's first step.
    kind: &'static str,
    base: Option<&'static str>,
    hops: usize,
    /// The last step's cache state.
    cached: Option<CacheState>,
    region: Option<&'a str>,
    at: Origin,
    in_config: bool,
    in_credentials: bool,
    problem: Option<String>,
    /// For SSO profiles: the state of their login's token.
    login: Option<crate::sso::token::TokenState>,
    /// Whether a step of the chain asks for an MFA code.
    mfa: bool,
    /// The account's name, for profiles `sso sync` wrote.
    account_name: Option<&'a str>,
}

impl Row<'_> {
    fn kind_column(&self) -> String {
        match self.base {
            Some(base) => format!("role/{base}"),
            None => self.kind.to_owned(),
        }
    }

    fn expires_at(&self) -> Option<String> {
        match self.cached? {
            CacheState::Valid(t) | CacheState::Expired(t) => Some(crate::credentials::format_rfc3339(t)),
            _ => None,
        }
    }

    /// Time left on the cached credentials: `42m`, `expired`, or `-`.
    fn cache_column(&self) -> String {
        match self.cached {
            Some(CacheState::Valid(t)) => crate::prompt::left((t - time::OffsetDateTime::now_utc()).whole_seconds()),
            Some(CacheState::Expired(_)) => "expired".to_owned(),
            _ => "-".to_owned(),
        }
    }
}

pub fn run(args: &ListArgs, env: &Env) -> Result<String, Error> {
    let texts = config::read(env)?;
    let files = crate::config::parse_cited(&texts, env)?;
    let resolver = Resolver::new(&files, env);
    let cache = crate::cache::Cache::existing(env);
    let mut rows = Vec::new();
    let mut logins = std::collections::HashMap::new();
    let pattern = args.pattern.as_deref().map(str::to_lowercase);
    for name in files.profile_names() {
        if pattern.as_deref().is_some_and(|p| !name.to_lowercase().contains(p)) {
            continue;
        }
        let section = files.profile(name).expect("listed names exist");
        let (in_config, in_credentials) = section.files();
        let mut row = Row {
            name,
            kind: "invalid",
            base: None,
            hops: 0,
            cached: None,
            region: section.get("region").filter(|r| !r.is_empty()),
            at: section.at,
            in_config,
            in_credentials,
            problem: None,
            login: None,
            mfa: false,
            account_name: section.get("awsenv_account_name").filter(|n| !n.is_empty()),
        };
        match resolver.plan(name) {
            Ok(plan) => {
                row.cached = crate::source::cache_states(&plan, &files, env, cache.as_ref()).last().copied();
                row.kind = plan.kind();
                row.hops = plan.hops.len();
                row.base = (!plan.hops.is_empty()).then(|| plan.base.source.kind());
                row.mfa = plan.hops.iter().any(|h| h.mfa_serial.is_some());
                if let crate::resolve::Source::Sso { session, start_url, region, .. } = &plan.base.source {
                    let login = crate::sso::token::Login { session: session.as_deref(), start_url, region };
                    // Many profiles share one login: read each token file once.
                    let state = logins
                        .entry((session.is_some(), session.as_deref().unwrap_or(start_url).to_owned()))
                        .or_insert_with(|| crate::sso::token::token_state(env, &login))
                        .clone();
                    row.login = Some(state);
                }
            }
            // A profile with settings and no credential keys at all (the `[default]` that
            // `aws configure` leaves with only a region) is settings, not a mistake.
            Err(_) if section.props.iter().all(|p| !config::shadow::is_credential_key(&p.key)) => row.kind = "settings",
            Err(e) => row.problem = Some(e.message),
        }
        rows.push(row);
    }
    let shown = [
        config::display_path(files.path(FileKind::Config), env),
        config::display_path(files.path(FileKind::Credentials), env),
    ];
    let cite = |at: Origin| format!("{}:{}", shown[at.file as usize], at.line);
    if args.json {
        let values: Vec<_> = rows
            .iter()
            .map(|r| {
                let files: Vec<&str> = [(r.in_config, "config"), (r.in_credentials, "credentials")].iter().filter(|(i, _)| *i).map(|(_, f)| *f).collect();
                json!({"name": r.name, "kind": r.kind, "base": r.base, "role_hops": r.hops, "mfa": r.mfa, "expires_at": r.expires_at(), "region": r.region, "at": cite(r.at), "files": files, "error": r.problem, "sso_login": r.login.as_ref().map(|l| l.short()), "account_name": r.account_name})
            })
            .collect();
        return Ok(format!("{}\n", serde_json::Value::Array(values)));
    }
    if rows.is_empty() {
        match &args.pattern {
            Some(p) => eprintln!("awsenv: no profile name contains {}", crate::error::quoted(p)),
            None => eprintln!("awsenv: no profiles in {} or {}", shown[0], shown[1]),
        }
        return Ok(String::new());
    }
    let kinds: Vec<String> = rows.iter().map(Row::kind_column).collect();
    let width = |cells: &mut dyn Iterator<Item = usize>, title: &str| cells.max().unwrap_or(0).max(title.len());
    let wn = width(&mut rows.iter().map(|r| r.name.len()), "PROFILE");
    let wk = width(&mut kinds.iter().map(String::len), "KIND");
    let wr = width(&mut rows.iter().map(|r| r.region.map_or(1, |s| s.chars().count())), "REGION");
    let mut out = String::with_capacity(rows.len() * (wn + wk + wr + 40));
    let cell = |out: &mut String, text: &str, width: usize| {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', width.saturating_sub(text.chars().count()) + 2));
    };
    cell(&mut out, "PROFILE", wn);
    cell(&mut out, "KIND", wk);
    cell(&mut out, "REGION", wr);
    cell(&mut out, "CACHED", 7);
    cell(&mut out, "MFA", 3);
    out.push_str("DEFINED AT\n");
    for (r, kind) in rows.iter().zip(&kinds) {
        cell(&mut out, r.name, wn);
        cell(&mut out, kind, wk);
        cell(&mut out, r.region.unwrap_or("-"), wr);
        cell(&mut out, &r.cache_column(), 7);
        cell(&mut out, if r.mfa { "yes" } else { "-" }, 3);
        out.push_str(&shown[r.at.file as usize]);
        let _ = write!(out, ":{}", r.at.line);
        if r.in_config && r.in_credentials {
            out.push_str(" (+credentials)");
        }
        if let Some(account) = r.account_name {
            let _ = write!(out, "  [account {}]", account.replace(char::is_control, " "));
        }
        if let Some(login) = &r.login {
            let _ = write!(out, "  [sso login: {}]", login.short());
        }
        if let Some(problem) = &r.problem {
            out.push_str("  ! ");
            out.push_str(&problem.replace(char::is_control, " "));
        }
        out.push('\n');
    }
    Ok(page(out, env))
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
