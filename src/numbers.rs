//! The one way awsenv reads a number that came from outside: a variable, a file, a remote answer.
//! Every conversion is checked, so a huge, negative, NaN or twenty-digit value is clamped or
//! refused with a message, never an overflow that aborts the process (release builds abort on
//! panic, which could lose a refresh token that was already redeemed).

use std::time::Duration;

use time::OffsetDateTime;

use crate::env::Env;
use crate::error::Error;

/// The longest wait awsenv accepts from any setting: an hour.
pub const MAX_WAIT: Duration = Duration::from_secs(3600);

/// The longest lifetime awsenv believes for a token or credentials: about ten years. A remote
/// answer claiming more is clamped to it, which renews early rather than never.
pub const MAX_LIFETIME_SECONDS: i64 = 10 * 366 * 86_400;

/// A positive number of seconds (fractions allowed) of at most `max`.
pub fn parse_seconds(text: &str, max: Duration) -> Option<Duration> {
    seconds_from_f64(text.trim().parse().ok()?, max)
}

/// The same for a number already read (from JSON, say).
pub fn seconds_from_f64(seconds: f64, max: Duration) -> Option<Duration> {
    if !(seconds.is_finite() && seconds > 0.0) {
        return None;
    }
    Duration::try_from_secs_f64(seconds).ok().filter(|d| *d <= max)
}

/// A whole number of seconds from 0 to `max`.
pub fn parse_whole_seconds(text: &str, max: Duration) -> Option<Duration> {
    let seconds: u64 = text.trim().parse().ok()?;
    Some(Duration::from_secs(seconds)).filter(|d| *d <= max)
}

/// The variable `name` as positive seconds (up to `max`), or `default` when it is unset; a
/// usage error naming the variable when it is not such a number.
pub fn seconds_var(env: &Env, name: &str, default: Duration, max: Duration) -> Result<Duration, Error> {
    match env.get_nonempty(name) {
        None => Ok(default),
        Some(text) => parse_seconds(text, max).ok_or_else(|| {
            Error::usage(format!("{name} must be a positive number of seconds, at most {}", max.as_secs()))
        }),
    }
}

/// The variable `name` as whole seconds (0 to `max`), or `default` when it is unset.
pub fn whole_seconds_var(env: &Env, name: &str, default: Duration, max: Duration) -> Result<Duration, Error> {
    match env.get_nonempty(name) {
        None => Ok(default),
        Some(text) => parse_whole_seconds(text, max).ok_or_else(|| {
            Error::usage(format!("{name} must be a whole number of seconds from 0 to {}", max.as_secs()))
        }),
    }
}

/// The variable `name` as a count from 1 to `max`, or `default` when it is unset.
pub fn count_var(env: &Env, name: &str, default: usize, max: usize) -> Result<usize, Error> {
    match env.get_nonempty(name) {
        None => Ok(default),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| Error::usage(format!("{name} must be a whole number from 1 to {max}"))),
    }
}

/// `now` plus a lifetime in seconds as a remote answer gives it (`expiresIn`): negative counts as
/// zero and more than `MAX_LIFETIME_SECONDS` as that, so the sum always exists.
pub fn expires_after(now: OffsetDateTime, seconds: i64) -> OffsetDateTime {
    let seconds = seconds.clamp(0, MAX_LIFETIME_SECONDS);
    now.checked_add(time::Duration::seconds(seconds)).unwrap_or(now)
}

/// A lifetime in seconds as JSON holds it: an integer, or a float that is one (some services
/// write `3600.0`); `None` for anything else, NaN and infinities included.
pub fn json_seconds(value: &serde_json::Value) -> Option<i64> {
    if let Some(n) = value.as_i64() {
        return Some(n);
    }
    if value.as_u64().is_some() {
        return Some(i64::MAX);
    }
    let f = value.as_f64()?;
    // A float-to-integer cast saturates in Rust, so 1e300 is i64::MAX, not an overflow.
    f.is_finite().then_some(f as i64)
}

/// Epoch milliseconds (the SSO portal's `expiration`) as a time, if it is a representable one.
pub fn from_epoch_millis(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok()
}

/// A renewal window for credentials that live `lifetime`: the window itself for an hour or more,
/// and proportionally less below, so that credentials shorter than the window (15-minute ones
/// under a 20-minute refresh-ahead) are not renewed the moment they arrive.
pub fn scaled_window(window: Duration, lifetime: Option<Duration>) -> Duration {
    const HOUR: Duration = Duration::from_secs(3600);
    match lifetime {
        Some(lifetime) if lifetime < HOUR => window.mul_f64(lifetime.as_secs_f64() / HOUR.as_secs_f64()),
        _ => window,
    }
}

/// Time left until `t`, as a std Duration (zero when `t` is past), without overflow.
pub fn until(t: OffsetDateTime, now: OffsetDateTime) -> Duration {
    let left = t - now;
    if left.is_negative() { Duration::ZERO } else { left.try_into().unwrap_or(Duration::MAX) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_seconds_are_refused_not_overflowed() {
        for bad in ["1e20", "inf", "-inf", "NaN", "-1", "0", "", "12345678901234567890", "1e400", "0x10"] {
            assert_eq!(parse_seconds(bad, MAX_WAIT), None, "{bad}");
        }
        assert_eq!(parse_seconds("1.5", MAX_WAIT), Some(Duration::from_millis(1500)));
        assert_eq!(parse_whole_seconds("99999999999999999999", MAX_WAIT), None);
        assert_eq!(parse_whole_seconds("0", MAX_WAIT), Some(Duration::ZERO));
    }

    #[test]
    fn lifetimes_are_clamped() {
        let now = OffsetDateTime::now_utc();
        assert_eq!(expires_after(now, -5), now);
        assert!(expires_after(now, i64::MAX) > now);
        assert_eq!(json_seconds(&serde_json::json!(1e300)), Some(i64::MAX));
        assert_eq!(json_seconds(&serde_json::json!(18446744073709551615u64)), Some(i64::MAX));
        assert_eq!(json_seconds(&serde_json::json!("3600")), None);
        assert_eq!(from_epoch_millis(i64::MAX), None);
        assert_eq!(until(now - time::Duration::hours(1), now), Duration::ZERO);
    }

    #[test]
    fn windows_scale_below_an_hour() {
        let window = Duration::from_secs(1200);
        assert_eq!(scaled_window(window, None), window);
        assert_eq!(scaled_window(window, Some(Duration::from_secs(12 * 3600))), window);
        assert_eq!(scaled_window(window, Some(Duration::from_secs(900))), Duration::from_secs(300));
        assert_eq!(scaled_window(window, Some(Duration::ZERO)), Duration::ZERO);
    }
}
