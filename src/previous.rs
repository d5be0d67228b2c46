//! What the shell acted as before its current profile: the one record that `use -`, `serve
//! --stop` (and, as they come, an ad hoc role on top of a profile and a profile per directory)
//! read to give the shell back what it had. It travels in the shell's own environment
//! (`AWSENV_PREVIOUS`), like the rest of awsenv's bookkeeping, so each shell has its own.
//!
//! The value is a version and `key=value` fields separated by spaces (`1 profile=prod
//! origin=use`); values are percent-encoded where they hold a space, `%` or a control character.
//! A value without the version (a bare profile name, as releases before this one wrote) reads
//! as that profile, made by `use`.

use crate::encoding::{percent_decode_field, percent_encode_field};
use crate::env::Env;
use crate::resolve::adhoc::{AdHocRole, encode_chain, parse_chain};
use crate::settings::AWSENV_PREVIOUS;

/// How the shell came to act as the profile it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `awsenv use`.
    Use,
    /// `awsenv serve --detach`: the profile was served, not exported.
    Serve,
}

impl Origin {
    fn name(&self) -> &'static str {
        match self {
            Origin::Use => "use",
            Origin::Serve => "serve",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    pub profile: String,
    pub origin: Origin,
    /// The ad hoc roles it had on top (`resolve::adhoc`), as `AWSENV_ROLES` held them.
    pub roles: Vec<AdHocRole>,
}

const VERSION: &str = "1";

impl Previous {
    /// The record in this shell's environment, if there is one that can be read.
    pub fn from_env(env: &Env) -> Option<Previous> {
        Previous::parse(env.get_nonempty(AWSENV_PREVIOUS)?)
    }

    pub fn parse(value: &str) -> Option<Previous> {
        let mut words = value.split(' ');
        let first = words.next()?;
        if first != VERSION {
            // Written by an earlier release: the profile name alone.
            return (!value.contains(' ') && !value.is_empty()).then(|| Previous {
                profile: value.to_owned(),
                origin: Origin::Use,
                roles: Vec::new(),
            });
        }
        let (mut profile, mut origin, mut roles) = (None, Origin::Use, Vec::new());
        for word in words {
            match word.split_once('=') {
                Some(("profile", v)) => profile = Some(percent_decode_field(v)?),
                Some(("origin", "serve")) => origin = Origin::Serve,
                Some(("roles", v)) => roles = parse_chain(&percent_decode_field(v)?)?,
                // Fields a later release adds are skipped, not fatal.
                _ => {}
            }
        }
        Some(Previous { profile: profile.filter(|p| !p.is_empty())?, origin, roles })
    }

    pub fn encode(&self) -> String {
        let mut out =
            format!("{VERSION} profile={} origin={}", percent_encode_field(&self.profile), self.origin.name());
        if !self.roles.is_empty() {
            out.push_str(&format!(" roles={}", percent_encode_field(&encode_chain(&self.roles))));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_and_old_bare_names_are_profiles() {
        for record in [
            Previous { profile: "prod".into(), origin: Origin::Use, roles: Vec::new() },
            Previous { profile: "a b=%c\n".into(), origin: Origin::Serve, roles: Vec::new() },
            Previous {
                profile: "p".into(),
                origin: Origin::Use,
                roles: vec![AdHocRole {
                    role_arn: "arn:aws:iam::123456789012:role/Admin".into(),
                    duration_seconds: Some(900),
                    ..AdHocRole::default()
                }],
            },
        ] {
            assert_eq!(Previous::parse(&record.encode()), Some(record.clone()), "{}", record.encode());
            assert!(!record.encode().contains('\n'));
        }
        assert_eq!(
            Previous::parse("legacy-name"),
            Some(Previous { profile: "legacy-name".into(), origin: Origin::Use, roles: Vec::new() })
        );
        assert_eq!(
            Previous::parse("1 profile=p origin=use later=field"),
            Some(Previous { profile: "p".into(), origin: Origin::Use, roles: Vec::new() })
        );
        for unreadable in ["", "1 origin=use", "1 profile=%zz", "two words"] {
            assert_eq!(Previous::parse(unreadable), None, "{unreadable}");
        }
    }
}
