//! The one region validator. A region becomes part of a host name (`sts.REGION.amazonaws.com`,
//! `oidc.REGION...`), so a value such as `x@127.0.0.2:18443/y` would move the call (and the
//! bearer token or signature it carries) to another host. Every region, from whichever file,
//! variable, flag or token file, passes here where it is read, before any call is made.

use crate::error::{Error, quoted};

/// What botocore accepts as a region name: 1 to 63 letters, digits and hyphens, not starting or
/// ending with a hyphen (a DNS label).
pub fn is_valid(region: &str) -> bool {
    (1..=63).contains(&region.len())
        && region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

/// `Ok(region)` when it is a region name; otherwise an error saying where it came from.
pub fn check<'r>(region: &'r str, from: &str) -> Result<&'r str, Error> {
    if is_valid(region) {
        return Ok(region);
    }
    Err(Error::plan(format!("{from} {} is not a region name", quoted(region)))
        .hint("a region is letters, digits and hyphens, such as eu-west-1"))
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn only_dns_labels_are_regions() {
        for ok in ["us-east-1", "eu-west-3", "cn-north-1", "us-gov-west-1", "a", "local", &"a".repeat(63)] {
            assert!(is_valid(ok), "{ok}");
        }
        let too_long = "a".repeat(64);
        for bad in [
            "",
            "-us",
            "us-",
            "us east",
            "x@127.0.0.2:18443/y",
            "eu-west-1.evil.example",
            "us-east-1/",
            "us_east_1",
            "é",
            &too_long,
            "us-east-1\n",
        ] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }
}
