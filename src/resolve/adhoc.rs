//! A role on the fly: `--role-arn` (with `--external-id`, `--session-name`, `--role-duration`
//! and `--mfa-serial`) assumed on top of a profile, without a line in the user's files.
//!
//! An ad hoc role is a hop like any other once it is in the plan: cached by what it is and whose
//! credentials assume it (so every shell shares it), renewed by the hook and the refresher. What
//! the files cannot give it is memory: the shell keeps its whole ad hoc chain in `AWSENV_ROLES`
//! (`1 ROLE ROLE…`, each role `arn=…,ext=…,name=…,dur=…,mfa=…`, percent-encoded like
//! `AWSENV_PREVIOUS`), which the hook's `use --hook` and `refresh` read for the active profile
//! and `use -` gets back through the previous-profile record.

use crate::encoding::{percent_decode_field, percent_encode_field};
use crate::env::Env;
use crate::error::{Error, quoted};

use super::{MAX_CHAINED_DURATION, MAX_DURATION, MIN_DURATION, Plan, RoleHop, is_role_session_name};

/// The shell's ad hoc chain on top of `AWSENV_PROFILE`.
pub const AWSENV_ROLES: &str = "AWSENV_ROLES";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdHocRole {
    pub role_arn: String,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
    pub duration_seconds: Option<u32>,
    pub mfa_serial: Option<String>,
}

impl AdHocRole {
    /// What the flags say, checked as `resolve` checks the same keys in a profile.
    pub fn from_flags(
        role_arn: &str,
        external_id: Option<&str>,
        session_name: Option<&str>,
        duration: Option<&str>,
        mfa_serial: Option<&str>,
    ) -> Result<AdHocRole, Error> {
        if !is_arn(role_arn) {
            return Err(Error::usage(format!("--role-arn {} is not an ARN", quoted(role_arn)))
                .hint("it looks like arn:aws:iam::123456789012:role/NAME"));
        }
        if let Some(id) = external_id.filter(|id| !is_external_id(id)) {
            return Err(Error::usage(format!(
                "--external-id {} is not 2 to 1224 characters of letters, digits and _+=,.@:/-",
                quoted(id)
            ))
            .hint("copy the external id exactly as the role's trust policy has it"));
        }
        if let Some(name) = session_name.filter(|n| !is_role_session_name(n)) {
            return Err(Error::usage(format!("--session-name {} is not what STS accepts", quoted(name)))
                .hint("use 2 to 64 characters of letters, digits and _+=,.@-"));
        }
        if let Some(serial) = mfa_serial.filter(|s| !is_mfa_serial(s)) {
            return Err(Error::usage(format!("--mfa-serial {} is not an MFA device's ARN or serial", quoted(serial)))
                .hint("it looks like arn:aws:iam::123456789012:mfa/NAME"));
        }
        let duration_seconds = duration.map(parse_duration).transpose()?;
        Ok(AdHocRole {
            role_arn: role_arn.to_owned(),
            external_id: external_id.map(str::to_owned),
            session_name: session_name.map(str::to_owned),
            duration_seconds,
            mfa_serial: mfa_serial.map(str::to_owned),
        })
    }

    /// The role's name (what follows the last `/` of the ARN): what the prompt shows.
    pub fn short_name(&self) -> &str {
        self.role_arn.rsplit(['/', ':']).next().unwrap_or(&self.role_arn)
    }

    fn encode(&self) -> String {
        let mut fields = vec![format!("arn={}", percent_encode_field(&self.role_arn))];
        let mut push = |key: &str, value: &Option<String>| {
            if let Some(value) = value {
                fields.push(format!("{key}={}", percent_encode_field(value)));
            }
        };
        push("ext", &self.external_id);
        push("name", &self.session_name);
        push("dur", &self.duration_seconds.map(|d| d.to_string()));
        push("mfa", &self.mfa_serial);
        fields.join(",")
    }

    /// A role as `encode` wrote it, checked again (the environment is the user's to change).
    fn parse(text: &str) -> Option<AdHocRole> {
        let (mut arn, mut ext, mut name, mut dur, mut mfa) = (None, None, None, None, None);
        for field in text.split(',') {
            let (key, value) = field.split_once('=')?;
            let value = percent_decode_field(value)?;
            match key {
                "arn" => arn = Some(value),
                "ext" => ext = Some(value),
                "name" => name = Some(value),
                "dur" => dur = Some(value),
                "mfa" => mfa = Some(value),
                // Fields a later release adds are skipped, not fatal.
                _ => {}
            }
        }
        AdHocRole::from_flags(&arn?, ext.as_deref(), name.as_deref(), dur.as_deref(), mfa.as_deref()).ok()
    }
}

const VERSION: &str = "1";

/// `AWSENV_ROLES`'s value for `chain` (empty for none).
pub fn encode_chain(chain: &[AdHocRole]) -> String {
    match chain.is_empty() {
        true => String::new(),
        false => {
            std::iter::once(VERSION.to_owned()).chain(chain.iter().map(AdHocRole::encode)).collect::<Vec<_>>().join(" ")
        }
    }
}

/// A chain as `encode_chain` wrote it; `None` when any part cannot be read (then the shell's
/// record is not trusted at all, rather than half of it).
pub fn parse_chain(value: &str) -> Option<Vec<AdHocRole>> {
    if value.is_empty() {
        return Some(Vec::new());
    }
    let mut words = value.split(' ');
    if words.next()? != VERSION {
        return None;
    }
    words.map(AdHocRole::parse).collect()
}

/// The ad hoc chain this shell keeps for its active profile.
pub fn recorded(env: &Env) -> Vec<AdHocRole> {
    env.get_nonempty(AWSENV_ROLES).and_then(parse_chain).unwrap_or_default()
}

/// `prod → Admin → Audit`: the profile and its ad hoc roles, as the prompt shows them.
pub fn shown(profile: &str, chain: &[AdHocRole]) -> String {
    std::iter::once(profile).chain(chain.iter().map(AdHocRole::short_name)).collect::<Vec<_>>().join(" → ")
}

/// Seconds (`3600`) or hours, minutes and seconds (`1h30m`, `45m`, `2h`).
pub fn parse_duration(text: &str) -> Result<u32, Error> {
    let refused = || {
        Error::usage(format!("--role-duration {} is not a duration", quoted(text)))
            .hint("give seconds (3600) or hours and minutes (1h30m)")
    };
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| refused());
    }
    let (mut total, mut number, mut units) = (0u32, String::new(), String::new());
    for c in text.chars() {
        match c {
            '0'..='9' => number.push(c),
            'h' | 'm' | 's' if !number.is_empty() && !units.contains(c) => {
                let value: u32 = number.parse().map_err(|_| refused())?;
                let scale = match c {
                    'h' => 3600,
                    'm' => 60,
                    _ => 1,
                };
                total = value.checked_mul(scale).and_then(|v| total.checked_add(v)).ok_or_else(refused)?;
                units.push(c);
                number.clear();
            }
            _ => return Err(refused()),
        }
    }
    if !number.is_empty() || units.is_empty() {
        return Err(refused());
    }
    Ok(total)
}

/// The chain's roles as hops on top of `plan`, each checked against what AWS allows for its
/// duration: 900 s to 12 h, and at most an hour when it is assumed with role credentials.
pub fn extend(plan: &mut Plan, chain: &[AdHocRole]) -> Result<(), Error> {
    for role in chain {
        let chained = !plan.hops.is_empty() || plan.base.source.yields_role_session();
        if let Some(seconds) = role.duration_seconds {
            if !(MIN_DURATION..=MAX_DURATION).contains(&seconds) {
                return Err(Error::usage(format!(
                    "--role-duration {seconds}s is outside what STS allows ({MIN_DURATION} s to {MAX_DURATION} s)"
                ))
                .hint("pick a duration within that range (and within the role's maximum session duration)"));
            }
            if chained && seconds > MAX_CHAINED_DURATION {
                return Err(Error::usage(format!(
                    "--role-duration {seconds}s exceeds the {MAX_CHAINED_DURATION} s AWS allows when a role is assumed with role credentials (role chaining): {} is assumed with the credentials of a role",
                    role.role_arn
                ))
                .hint(format!("ask for at most 1h (--role-duration {MAX_CHAINED_DURATION})")));
            }
        }
        plan.hops.push(RoleHop {
            profile: plan.profile.clone(),
            role_arn: role.role_arn.clone(),
            session_name: role.session_name.clone(),
            external_id: role.external_id.clone(),
            duration_seconds: role.duration_seconds,
            mfa_serial: role.mfa_serial.clone(),
            at: None,
        });
    }
    plan.ad_hoc = chain.to_vec();
    Ok(())
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` with the parts STS needs present, in printable
/// ASCII only (an ARN reaches the prompt and the terminal: no control character may ride along).
pub fn is_arn(text: &str) -> bool {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    text.bytes().all(|b| b.is_ascii_graphic())
        && parts.len() == 6
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && !parts[2].is_empty()
        && !parts[5].is_empty()
}

/// What STS accepts as ExternalId: 2 to 1224 of `[\w+=,.@:/-]`.
pub fn is_external_id(id: &str) -> bool {
    (2..=1224).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"_+=,.@:/-".contains(&b))
}

/// An MFA device's ARN or a hardware token's serial: 9 to 256 of `[\w+=/:,.@-]`.
fn is_mfa_serial(serial: &str) -> bool {
    (9..=256).contains(&serial.len()) && serial.bytes().all(|b| b.is_ascii_alphanumeric() || b"_+=/:,.@-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_seconds_or_hours_and_minutes() {
        assert_eq!(parse_duration("3600").unwrap(), 3600);
        assert_eq!(parse_duration("1h30m").unwrap(), 5400);
        assert_eq!(parse_duration("45m").unwrap(), 2700);
        assert_eq!(parse_duration("2h").unwrap(), 7200);
        assert_eq!(parse_duration("1h0m30s").unwrap(), 3630);
        for bad in ["", "h", "1x", "1h1h", "30m1", "-5", "99999999999", "4294967296h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn chains_read_back_and_a_forged_part_spoils_the_whole_record() {
        let chain = vec![
            AdHocRole { role_arn: "arn:aws:iam::123456789012:role/Admin".into(), ..AdHocRole::default() },
            AdHocRole {
                role_arn: "arn:aws:iam::210987654321:role/path/Audit".into(),
                external_id: Some("ext,id=1".into()),
                session_name: Some("me@corp".into()),
                duration_seconds: Some(900),
                mfa_serial: Some("arn:aws:iam::123456789012:mfa/me".into()),
            },
        ];
        let encoded = encode_chain(&chain);
        assert_eq!(parse_chain(&encoded), Some(chain.clone()));
        assert_eq!(shown("prod", &chain), "prod → Admin → Audit");
        assert_eq!(encode_chain(&[]), "");
        assert_eq!(parse_chain("1 arn=not-an-arn"), None);
        assert_eq!(
            parse_chain("1 arn=arn:aws:iam::1:role/%1B]0;x%07"),
            None,
            "no control character reaches the prompt"
        );
        assert_eq!(parse_chain("2 arn=arn:aws:iam::1:role/x"), None);
        assert_eq!(parse_chain(&format!("{encoded} arn=arn:aws:iam::1:role/x,name=%0A")), None);
    }
}
