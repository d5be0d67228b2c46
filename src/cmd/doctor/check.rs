//! One finding of `doctor`: its area, whether it is fine, and the fix.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

#[derive(Debug, Serialize)]
pub struct Check {
    pub area: &'static str,
    pub status: Status,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    pub(super) fn ok(area: &'static str, message: impl Into<String>) -> Check {
        Check { area, status: Status::Ok, message: message.into(), fix: None }
    }
    pub(super) fn warn(area: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { area, status: Status::Warn, message: message.into(), fix: Some(fix.into()) }
    }
    pub(super) fn fail(area: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { area, status: Status::Fail, message: message.into(), fix: Some(fix.into()) }
    }
}
