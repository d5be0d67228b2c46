//! Which region and which endpoint a call goes to, the standard way, highest first:
//! `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `[services]` entry, the
//! profile's `endpoint_url`, then the service's own regional (FIPS / dual-stack) endpoint.
//!
//! Variables that an earlier `awsenv use` exported belong to that other profile, not to the user,
//! so they are not read here: switching from a profile with `endpoint_url` to one without must
//! not keep sending its calls to the old endpoint.

use crate::env::Env;
use crate::error::Error;
use crate::resolve::Settings;

fn setting<'s>(settings: &'s Settings, key: &str) -> Option<&'s str> {
    settings.values.iter().find(|(k, _, _)| *k == key).map(|(_, v, _)| v.as_str())
}

fn flag(env: &Env, settings: &Settings, var: &str, key: &str) -> bool {
    env.user_var(var).or_else(|| setting(settings, key)).is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The region for calls made on behalf of the selected profile: `--region` (already in the
/// settings), `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's region, then us-east-1. Every
/// candidate is checked by the one region validator, since the region becomes part of a host.
pub fn region(env: &Env, settings: &Settings, cli_region: Option<&str>) -> Result<String, Error> {
    // `--region` is the one setting without an origin in the files.
    let from_command_line =
        settings.values.iter().find(|(k, _, at)| *k == "region" && at.is_none()).map(|(_, v, _)| v.as_str());
    let chosen = if let Some(region) = cli_region.or(from_command_line) {
        super::region::check(region, "--region")?
    } else if let Some(region) = env.user_var("AWS_REGION") {
        super::region::check(region, "AWS_REGION")?
    } else if let Some(region) = env.user_var("AWS_DEFAULT_REGION") {
        super::region::check(region, "AWS_DEFAULT_REGION")?
    } else {
        // The files' region was checked, with its file:line, when the plan was made.
        super::region::check(setting(settings, "region").unwrap_or("us-east-1"), "region")?
    };
    Ok(chosen.to_owned())
}

/// The configured endpoint for `service` (its `[services]` key, e.g. `sts`), if any.
pub fn configured(env: &Env, settings: &Settings, service: &str) -> Option<String> {
    if flag(env, settings, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls") {
        return None;
    }
    let service_var = format!("AWS_ENDPOINT_URL_{}", service.to_ascii_uppercase().replace('-', "_"));
    env.user_var(&service_var)
        .or_else(|| env.user_var("AWS_ENDPOINT_URL"))
        .map(str::to_owned)
        .or_else(|| settings.service_endpoints.iter().find(|e| e.service == service).map(|e| e.url.clone()))
        .or_else(|| setting(settings, "endpoint_url").map(str::to_owned))
}

/// STS: a configured endpoint, else regional (FIPS / dual-stack when configured); the global
/// endpoint only for `sts_regional_endpoints = legacy` in us-east-1.
pub fn sts(env: &Env, settings: &Settings, region: &str) -> String {
    if let Some(url) = configured(env, settings, "sts") {
        return url;
    }
    let fips = flag(env, settings, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
    let dual = flag(env, settings, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
    let legacy = env
        .user_var("AWS_STS_REGIONAL_ENDPOINTS")
        .or_else(|| setting(settings, "sts_regional_endpoints"))
        .is_some_and(|v| v.eq_ignore_ascii_case("legacy"));
    if legacy && region == "us-east-1" && !fips && !dual {
        return "https://sts.amazonaws.com".to_owned();
    }
    regional_url("sts", fips, dual, region)
}

/// A service's own endpoint in `region` unless one is configured: `host` (`portal.sso`,
/// `oidc`), with `-fips` and the dual-stack domain when those are switched on.
pub fn service(env: &Env, settings: &Settings, service: &str, host: &str, region: &str) -> String {
    if let Some(url) = configured(env, settings, service) {
        return url;
    }
    let fips = flag(env, settings, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
    let dual = flag(env, settings, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
    regional_url(host, fips, dual, region)
}

fn regional_url(host: &str, fips: bool, dual: bool, region: &str) -> String {
    let fips = if fips { "-fips" } else { "" };
    let suffix = match (dual, region.starts_with("cn-")) {
        (true, false) => "api.aws",
        (true, true) => "api.amazonwebservices.com.cn",
        (false, true) => "amazonaws.com.cn",
        (false, false) => "amazonaws.com",
    };
    format!("https://{host}{fips}.{region}.{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{FileKind, Origin};
    use crate::resolve::ServiceEndpoint;

    fn settings(values: &[(&'static str, &str)], sts: Option<&str>) -> Settings {
        let at = Origin { file: FileKind::Config, line: 1 };
        Settings {
            values: values.iter().map(|(k, v)| (*k, v.to_string(), Some(at))).collect(),
            service_endpoints: sts
                .map(|url| ServiceEndpoint { service: "sts".into(), url: url.into(), at, variable: None })
                .into_iter()
                .collect(),
            ..Settings::default()
        }
    }

    #[test]
    fn precedence_highest_first() {
        let s = settings(&[("endpoint_url", "http://profile")], Some("http://services"));
        let env = |pairs: &[(&str, &str)]| Env::from_pairs(pairs.iter().copied());
        assert_eq!(
            sts(
                &env(&[("AWS_ENDPOINT_URL_STS", "http://svc-env"), ("AWS_ENDPOINT_URL", "http://env")]),
                &s,
                "eu-west-1"
            ),
            "http://svc-env"
        );
        assert_eq!(sts(&env(&[("AWS_ENDPOINT_URL", "http://env")]), &s, "eu-west-1"), "http://env");
        assert_eq!(sts(&env(&[]), &s, "eu-west-1"), "http://services");
        assert_eq!(
            sts(&env(&[]), &settings(&[("endpoint_url", "http://profile")], None), "eu-west-1"),
            "http://profile"
        );
        assert_eq!(
            sts(&env(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]), &s, "eu-west-1"),
            "https://sts.eu-west-1.amazonaws.com"
        );
    }

    #[test]
    fn regional_fips_dualstack_and_legacy_global() {
        let env = Env::default();
        assert_eq!(sts(&env, &settings(&[], None), "eu-west-1"), "https://sts.eu-west-1.amazonaws.com");
        assert_eq!(
            sts(&env, &settings(&[("use_fips_endpoint", "true")], None), "us-east-1"),
            "https://sts-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(
            sts(
                &env,
                &settings(&[("use_dualstack_endpoint", "true"), ("use_fips_endpoint", "true")], None),
                "us-east-2"
            ),
            "https://sts-fips.us-east-2.api.aws"
        );
        assert_eq!(
            sts(&env, &settings(&[("sts_regional_endpoints", "legacy")], None), "us-east-1"),
            "https://sts.amazonaws.com"
        );
        assert_eq!(
            sts(&env, &settings(&[("sts_regional_endpoints", "legacy")], None), "eu-west-1"),
            "https://sts.eu-west-1.amazonaws.com"
        );
        assert_eq!(sts(&env, &settings(&[], None), "cn-north-1"), "https://sts.cn-north-1.amazonaws.com.cn");
    }

    #[test]
    fn variables_awsenv_exported_for_another_profile_are_not_the_users() {
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL", "http://old-profile"),
            ("AWS_REGION", "eu-west-3"),
            (crate::settings::AWSENV_VARS, "AWS_ENDPOINT_URL AWS_REGION"),
        ]);
        assert_eq!(sts(&env, &settings(&[], None), "us-west-2"), "https://sts.us-west-2.amazonaws.com");
        assert_eq!(region(&env, &settings(&[("region", "ap-south-1")], None), None).unwrap(), "ap-south-1");
    }
}
