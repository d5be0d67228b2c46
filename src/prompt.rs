//! The prompt segment: the active profile and how long its credentials have left, from the
//! environment alone — no file is read and nothing is fetched, so a prompt can call it freely.

use crate::settings::{AWSENV_EXPIRES_AT, AWSENV_PROFILE, AWSENV_SHOWN};

/// `format` with `{profile}` and `{left}` filled in, or `None` when no profile is active.
pub fn segment(profile: Option<&str>, expires_at: Option<&str>, now: i64, format: &str) -> Option<String> {
    let profile = profile.filter(|p| !p.is_empty())?;
    let left = match expires_at.and_then(|e| e.parse::<i64>().ok()) {
        None => String::new(),
        Some(at) if at <= now => "expired".to_owned(),
        Some(at) => left(at - now),
    };
    let text = format.replace("{profile}", profile).replace("{left}", &left);
    Some(text.trim_end().to_owned())
}

/// `42m`, `1h05m`, `50s`.
pub fn left(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        _ => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
    }
}

/// The segment for this shell: `{profile}` is the profile with its roles on the fly (`prod →
/// Admin`), `{name}` the profile alone, `{role}` the last role on the fly (empty without one),
/// `{region}` and `{account}` the exported `AWS_REGION` and `AWS_ACCOUNT_ID` (empty when not set).
pub fn from_env(env: &crate::env::Env, format: &str) -> Option<String> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let roles = crate::resolve::adhoc::recorded(env);
    let format = format
        .replace("{name}", env.get(AWSENV_PROFILE).unwrap_or(""))
        .replace("{role}", roles.last().map_or("", |r| r.short_name()))
        .replace("{region}", env.get("AWS_REGION").unwrap_or(""))
        .replace("{account}", env.get("AWS_ACCOUNT_ID").unwrap_or(""));
    let shown = env.get_nonempty(AWSENV_SHOWN).filter(|_| env.get_nonempty(AWSENV_PROFILE).is_some());
    segment(shown.or(env.get(AWSENV_PROFILE)), env.get(AWSENV_EXPIRES_AT), now, &format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments() {
        let f = "{profile} {left}";
        assert_eq!(segment(Some("prod"), Some("4200"), 1680, f).as_deref(), Some("prod 42m"));
        assert_eq!(segment(Some("prod"), Some("1000"), 1000, f).as_deref(), Some("prod expired"));
        assert_eq!(segment(Some("prod"), None, 0, f).as_deref(), Some("prod"));
        assert_eq!(segment(Some("prod"), Some("7500"), 0, "aws:{profile}").as_deref(), Some("aws:prod"));
        assert_eq!(segment(Some("p"), Some("3930"), 0, f).as_deref(), Some("p 1h05m"));
        assert_eq!(segment(None, Some("10"), 0, f), None);
        assert_eq!(segment(Some(""), None, 0, f), None);
        let env = crate::env::Env::from_pairs([
            ("AWSENV_PROFILE", "prod"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ACCOUNT_ID", "123456789012"),
        ]);
        assert_eq!(from_env(&env, "{profile}@{account} ({region})").as_deref(), Some("prod@123456789012 (eu-west-1)"));
        let env = crate::env::Env::from_pairs([
            ("AWSENV_PROFILE", "prod"),
            ("AWSENV_SHOWN", "prod → Admin"),
            ("AWSENV_ROLES", "1 arn=arn:aws:iam::123456789012:role/Admin"),
        ]);
        assert_eq!(from_env(&env, "{profile}|{name}|{role}").as_deref(), Some("prod → Admin|prod|Admin"));
    }
}
