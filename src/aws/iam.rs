//! IAM's access keys, for `keys rotate`: CreateAccessKey and DeleteAccessKey for the calling
//! user, over the query protocol, signed for `iam` (a global service, signed for us-east-1).

use super::sts::{Call, post_query};
use super::xml;
use crate::credentials::Credentials;
use crate::error::Error;

const VERSION: &str = "2010-05-08";
/// IAM is global: its requests are signed for this region whatever the profile's.
pub const REGION: &str = "us-east-1";
pub const ENDPOINT: &str = "https://iam.amazonaws.com";

/// A new access key for the user the credentials belong to: (key id, secret).
pub fn create_access_key(call: &Call<'_>, credentials: &Credentials) -> Result<(String, String), Error> {
    let params = [("Action", "CreateAccessKey".to_owned()), ("Version", VERSION.to_owned())];
    let response = post_query(call, "iam", &params, Some(credentials), "CreateAccessKey")?;
    let garbage = || Error::fetch("IAM CreateAccessKey answered with something awsenv cannot read");
    let leaves = xml::leaves(&response.body).ok_or_else(garbage)?;
    let field = |name| xml::find(&leaves, name).filter(|v| !v.is_empty()).map(str::to_owned).ok_or_else(garbage);
    Ok((field("AccessKeyId")?, field("SecretAccessKey")?))
}

/// Delete the calling user's key `access_key_id`.
pub fn delete_access_key(call: &Call<'_>, credentials: &Credentials, access_key_id: &str) -> Result<(), Error> {
    let params = [
        ("Action", "DeleteAccessKey".to_owned()),
        ("Version", VERSION.to_owned()),
        ("AccessKeyId", access_key_id.to_owned()),
    ];
    post_query(call, "iam", &params, Some(credentials), "DeleteAccessKey").map(|_| ())
}
