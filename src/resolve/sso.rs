//! The IAM Identity Center part of a plan: a profile's `sso_*` keys, directly or through its
//! `[sso-session NAME]`, checked as the SDKs check them, as the base of the chain.

use super::{Base, Resolver, Source};
use crate::config::{self, Section};
use crate::error::{Error, quoted};

impl<'f, 'a> Resolver<'f, 'a> {
    pub(super) fn sso(&self, p: &Section<'_, 'a>) -> Result<Option<Base>, Error> {
        let account = p.property("sso_account_id");
        let role = p.property("sso_role_name");
        let mut region = p.property("sso_region");
        let mut start_url = p.property("sso_start_url");
        let session = p.property("sso_session");
        if account.is_none() && role.is_none() && region.is_none() && start_url.is_none() && session.is_none() {
            return Ok(None);
        }
        if let Some(session) = session {
            let Some(sso_session) = self.files.sso_session(&session.value) else {
                let known = self.files.names(config::SectionKind::SsoSession);
                let near = crate::suggest::near_misses(&session.value, &known, 3);
                let hint = if near.is_empty() {
                    format!("add an [sso-session {}] section with sso_start_url and sso_region", session.value)
                } else {
                    format!("did you mean {}?", near.iter().map(|n| quoted(n)).collect::<Vec<_>>().join(", "))
                };
                return Err(self
                    .error_at(
                        session.at,
                        format!(
                            "sso-session {} (referenced by profile {}) was not found",
                            quoted(&session.value),
                            quoted(p.name)
                        ),
                    )
                    .hint(hint));
            };
            for (key, prop) in [("sso_region", region), ("sso_start_url", start_url)] {
                if let Some(prop) = prop {
                    return Err(self
                        .error_at(
                            prop.at,
                            format!(
                                "{key} belongs in [sso-session {}], not in a profile that uses sso_session",
                                session.value
                            ),
                        )
                        .hint(format!("move {key} to the [sso-session {}] section", session.value)));
                }
            }
            region = sso_session.property("sso_region");
            start_url = sso_session.property("sso_start_url");
        }
        match (account, role) {
            (Some(a), None) => {
                return Err(self
                    .error_at(a.at, "sso_account_id is set but sso_role_name is not")
                    .hint("add sso_role_name"));
            }
            (None, Some(r)) => {
                return Err(self
                    .error_at(r.at, "sso_role_name is set but sso_account_id is not")
                    .hint("add sso_account_id"));
            }
            _ => {}
        }
        let at = session.or(start_url).or(account).map_or(p.at, |x| x.at);
        let where_ = match session {
            Some(s) => format!("[sso-session {}]", s.value),
            None => format!("profile {}", quoted(p.name)),
        };
        let Some(start_url) = start_url else {
            return Err(self.error_at(at, format!("{where_} has no sso_start_url")).hint("add sso_start_url"));
        };
        let Some(region) = region else {
            return Err(self.error_at(at, format!("{where_} has no sso_region")).hint("add sso_region"));
        };
        self.check_region(region)?;
        Ok(Some(Base {
            profile: p.name.to_owned(),
            at,
            source: Source::Sso {
                session: session.map(|s| s.value.to_string()),
                start_url: start_url.value.to_string(),
                region: region.value.to_string(),
                account_id: account.map(|a| a.value.to_string()),
                role_name: role.map(|r| r.value.to_string()),
            },
        }))
    }
}
