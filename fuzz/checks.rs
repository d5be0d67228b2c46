//! What each fuzz target checks, shared with `tests/fuzz_regressions.rs`, which replays the
//! inputs kept under `fuzz/regressions/<target>/` in `cargo test`.
// Each fuzz target uses one of these checks.
#![allow(dead_code)]

use awsenv::config::{self, FileTexts, SectionKind};
use awsenv::env::Env;
use awsenv::resolve::Resolver;
use awsenv::shell::{Change, Format, ShellKind, render};

/// The parser on arbitrary bytes (the first byte splits them into the config and the
/// credentials file): no panic, and what it accepts indexes consistently.
pub fn parse(data: &[u8]) {
    let Some((&split, rest)) = data.split_first() else { return };
    let at = (split as usize * rest.len()) / 255;
    let (a, b) = rest.split_at(at.min(rest.len()));
    let texts = FileTexts {
        config: Some(String::from_utf8_lossy(a).into_owned()),
        credentials: Some(String::from_utf8_lossy(b).into_owned()),
        config_path: "config".into(),
        credentials_path: "credentials".into(),
        stamps: [None, None],
    };
    if let Ok(files) = config::parse(&texts) {
        for name in files.profile_names() {
            let section = files.profile(name).expect("a listed profile is found");
            assert_eq!(section.name, name);
        }
        for name in files.names(SectionKind::SsoSession) {
            assert!(files.sso_session(name).is_some());
        }
    }
}

/// The planner on every profile of whatever parses: no panic, no endless loop, one-line errors.
pub fn plan(data: &[u8]) {
    let texts = FileTexts {
        config: Some(String::from_utf8_lossy(data).into_owned()),
        credentials: Some("[base]\naws_access_key_id = AKID\naws_secret_access_key = s\n".into()),
        config_path: "config".into(),
        credentials_path: "credentials".into(),
        stamps: [None, None],
    };
    let Ok(files) = config::parse(&texts) else { return };
    let env = Env::from_pairs([("HOME", "/home/fuzz")]);
    let resolver = Resolver::new(&files, &env);
    for name in files.profile_names() {
        if let Err(e) = resolver.plan(name) {
            assert!(!e.to_string().contains('\n'), "an error of more than one line: {e}");
        }
    }
}

/// Undo `'...'` quoting where a quote inside is written `close + quote + open`.
fn unquote(text: &str, open: &str, close: &str, quote_escape: &str) -> Option<String> {
    let mut rest = text.strip_prefix(open)?;
    let mut out = String::new();
    loop {
        if let Some(after) = rest.strip_prefix(quote_escape) {
            out.push('\'');
            rest = after;
            continue;
        }
        if rest == close {
            return Some(out);
        }
        let c = rest.chars().next()?;
        if rest.starts_with(close) && !rest.starts_with(quote_escape) {
            return None;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
}

/// Every shell's quoting: no panic, and where the quoting can be undone exactly here, undoing it
/// gives back the value.
pub fn quote(value: &str) {
    let value = value.to_owned();
    for kind in [
        ShellKind::Sh,
        ShellKind::Bash,
        ShellKind::Zsh,
        ShellKind::Fish,
        ShellKind::Pwsh,
        ShellKind::Nu,
        ShellKind::Elvish,
        ShellKind::Tcsh,
    ] {
        let Ok(code) = render(&[Change::Set("AWS_X".into(), value.clone())], kind, Format::Shell) else {
            assert!(value.contains('\0') || (kind == ShellKind::Tcsh && value.contains(['\n', '\r'])));
            continue;
        };
        let back = match kind {
            ShellKind::Sh | ShellKind::Bash | ShellKind::Zsh => {
                code.strip_prefix("export AWS_X=").and_then(|q| unquote(q.strip_suffix('\n')?, "'", "'", "'\\''"))
            }
            ShellKind::Elvish => {
                code.strip_prefix("set-env AWS_X ").and_then(|q| unquote(q.strip_suffix('\n')?, "'", "'", "''"))
            }
            ShellKind::Nu => code.strip_prefix("$env.AWS_X = r").and_then(|q| {
                let q = q.strip_suffix('\n')?;
                let hashes = q.len() - q.trim_start_matches('#').len();
                let inner = q.get(hashes + 1..q.len() - hashes - 1)?;
                // The closing delimiter must not occur inside.
                let closing = format!("'{}", "#".repeat(hashes));
                (!inner.contains(&closing)).then(|| inner.to_owned())
            }),
            _ => continue,
        };
        assert_eq!(back.as_deref(), Some(value.as_str()), "{kind:?}: {code}");
    }
    for format in [Format::Json, Format::Dotenv] {
        let _ = render(&[Change::Set("AWS_X".into(), value.clone())], ShellKind::Sh, format);
    }
}

/// What every response parser must do with any answer: never panic; an error is one line; what
/// it accepts has a key id and a secret, and an expiry that can be written back out.
fn accepted(result: Result<awsenv::credentials::Credentials, awsenv::error::Error>) {
    match result {
        Ok(c) => {
            assert!(!c.access_key_id.is_empty() && !c.secret_access_key.expose().is_empty());
            if let Some(t) = c.expiration {
                let text = awsenv::credentials::format_rfc3339(t);
                assert!(awsenv::credentials::parse_timestamp(&text).is_some(), "{text}");
            }
        }
        Err(e) => assert!(!e.to_string().contains('\n'), "an error of more than one line: {e}"),
    }
}

/// STS's XML answers: AssumeRole credentials, GetCallerIdentity, and error bodies.
pub fn sts_xml(data: &[u8]) {
    use awsenv::aws::sts;
    accepted(sts::parse_credentials(data, "AssumeRole"));
    let _ = sts::parse_identity(data);
    let status = data.first().map_or(400, |b| 400 + u16::from(*b));
    assert!(!sts::parse_error("AssumeRole", status, data).to_string().contains('\n'));
}

/// The SSO portal's and SSO-OIDC's JSON answers.
pub fn sso_json(data: &[u8]) {
    use awsenv::aws::sso;
    accepted(sso::parse_role_credentials(data, "111122223333", "https://portal.example"));
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data)
        && let Ok(token) = sso::parse_token(&value, "https://oidc.example")
    {
        let now = time::OffsetDateTime::now_utc();
        let expires = awsenv::numbers::expires_after(now, token.expires_in);
        assert!(expires >= now);
        let _ = awsenv::credentials::format_rfc3339(expires);
    }
    let _ = sso::error_code(data);
}

/// Instance metadata's and the container endpoint's credentials JSON.
pub fn metadata_json(data: &[u8]) {
    accepted(awsenv::aws::metadata::parse_credentials(data, "instance metadata"));
}

/// What a `credential_process` prints.
pub fn process_json(data: &[u8]) {
    match awsenv::source::parse_process_output(data) {
        Ok(c) => accepted(Ok(c)),
        Err(e) => assert!(!e.to_string().contains('\n'), "{e}"),
    }
}
