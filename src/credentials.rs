//! What a fetch returns. Secrets are wrapped so that no `Debug`, `Display` or error message can
//! print them by accident.

use std::fmt;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    /// The one way out, used only where the value is meant to leave: the rendered exports, the
    /// cache file and the `credential_process` output.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
    /// Whole seconds, UTC.
    pub expiration: Option<OffsetDateTime>,
    pub account_id: Option<String>,
}

impl Credentials {
    pub fn expiration_rfc3339(&self) -> Option<String> {
        self.expiration.map(format_rfc3339)
    }
}

/// RFC 3339 in UTC with a `Z` and whole seconds: what the SDKs and starship read back. RFC 3339
/// has four-digit years, so a time outside them (from a remote answer, say) is written as the
/// nearest one it can hold: formatting never fails.
pub fn format_rfc3339(t: OffsetDateTime) -> String {
    let at = |seconds| OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let (first, last) = (at(-62_167_219_200), at(253_402_300_799));
    let t = t.clamp(first, last).to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(first);
    t.format(&Rfc3339).unwrap_or_else(|_| "0000-01-01T00:00:00Z".to_owned())
}

/// RFC 3339 with any offset; also the `...UTC` suffix some AWS tools wrote.
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let utc = text.strip_suffix("UTC").map(|t| format!("{}Z", t.trim_end()))?;
    OffsetDateTime::parse(&utc, &Rfc3339).ok()
}

/// The access key id as `list` and `explain` show it: enough to recognise, not to use.
pub fn mask_key_id(key_id: &str) -> String {
    let tail: String = key_id.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    if key_id.chars().count() <= 8 { "****".to_owned() } else { format!("****{tail}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?}"), "*** ***");
    }

    #[test]
    fn timestamps_accept_the_suffixes_aws_tools_write() {
        let want = parse_timestamp("2022-05-02T18:36:00Z").unwrap();
        assert_eq!(parse_timestamp("2022-05-02T18:36:00+00:00"), Some(want));
        assert_eq!(parse_timestamp("2022-05-02T18:36:00UTC"), Some(want));
        assert_eq!(format_rfc3339(parse_timestamp("2022-05-02T20:36:00.5+02:00").unwrap()), "2022-05-02T18:36:00Z");
        assert_eq!(parse_timestamp("yesterday"), None);
        let early = parse_timestamp("0000-01-01T00:00:00+01:00").unwrap();
        assert_eq!(format_rfc3339(early), "0000-01-01T00:00:00Z");
        let far = parse_timestamp("9999-12-31T23:59:59-12:00").unwrap();
        assert_eq!(format_rfc3339(far), "9999-12-31T23:59:59Z");
        let before_year_zero = OffsetDateTime::from_unix_timestamp(-62_167_219_200 - 86_400).unwrap();
        assert_eq!(format_rfc3339(before_year_zero), "0000-01-01T00:00:00Z");
    }
}
