//! `login_session` (`aws login`) profiles: all 8 cases of the SDKs' login-provider suite, from
//! both copies (smithy-rs's SEC1 keys and botocore's PKCS#8 keys), against a loopback AWS Sign-In
//! that checks each renewal's DPoP proof with the key in the proof's own header.

mod support;

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::Value;
use support::sso::{SsoMock, SsoReply};

/// The suite's "now" for its refresh case (2025-11-19T00:00:00Z): expiries it expects are
/// this plus expiresIn, so awsenv's are compared as real now plus the same offset.
const SUITE_NOW: i64 = 1_763_510_400;

fn decode(text: &str) -> Vec<u8> {
    awsenv::encoding::base64_decode(text).unwrap()
}

fn epoch(text: &str) -> i64 {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap().unix_timestamp()
}

/// The DPoP header of a recorded request: valid ES256 over its own key, for this POST and URL.
fn check_dpop(proof: &str, url: &str) {
    let parts: Vec<&str> = proof.split('.').collect();
    assert_eq!(parts.len(), 3, "{proof}");
    let header: Value = serde_json::from_slice(&decode(parts[0])).unwrap();
    let payload: Value = serde_json::from_slice(&decode(parts[1])).unwrap();
    assert_eq!((header["typ"].as_str(), header["alg"].as_str()), (Some("dpop+jwt"), Some("ES256")));
    let mut point = vec![4u8];
    point.extend(decode(header["jwk"]["x"].as_str().unwrap()));
    point.extend(decode(header["jwk"]["y"].as_str().unwrap()));
    let key = VerifyingKey::from_sec1_bytes(&point).unwrap();
    let signature = Signature::from_slice(&decode(parts[2])).unwrap();
    key.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature).expect("the DPoP signature verifies");
    assert_eq!(payload["htm"], "POST");
    assert_eq!(payload["htu"], url);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert!((payload["iat"].as_i64().unwrap() - now).abs() < 60);
    assert_eq!(payload["jti"].as_str().unwrap().len(), 36);
}

fn run_suite(file: &std::path::Path) -> usize {
    let cases: Vec<Value> = serde_json::from_value(support::read_json(file)).unwrap();
    for case in &cases {
        let name = case["documentation"].as_str().unwrap();
        let home = support::home_with(case["configContents"].as_str().unwrap(), "");
        let cache_dir = home.path().join("login-cache");
        std::fs::create_dir_all(&cache_dir).unwrap();
        for (file, token) in case["cacheContents"].as_object().unwrap() {
            std::fs::write(cache_dir.join(file), serde_json::to_string_pretty(token).unwrap()).unwrap();
        }
        let mock = SsoMock::start();
        let calls = case["mockApiCalls"].as_array().cloned().unwrap_or_default();
        mock.script(
            "/v1/token",
            calls
                .iter()
                .map(|call| match call.get("responseCode") {
                    Some(code) => SsoReply::Status(
                        code.as_u64().unwrap() as u16,
                        r#"{"error":"TOKEN_EXPIRED","message":"expired"}"#.into(),
                    ),
                    None => SsoReply::Status(200, call["response"]["tokenOutput"].to_string()),
                })
                .collect(),
        );
        let out = support::run(
            support::awsenv(home.path())
                .args(["use", "signin", "--format", "json"])
                .env("AWS_LOGIN_CACHE_DIRECTORY", &cache_dir)
                .env("AWS_ENDPOINT_URL_SIGNIN", &mock.endpoint),
        );
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let refreshed = calls.iter().any(|c| c.get("responseCode").is_none());
        let expect_time = |text: &str| if refreshed { now + (epoch(text) - SUITE_NOW) } else { epoch(text) };
        for outcome in case["outcomes"].as_array().unwrap() {
            match outcome["result"].as_str().unwrap() {
                "credentials" => {
                    assert!(out.status.success(), "{name}: {}", support::stderr(&out));
                    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
                    assert_eq!(got["AWS_ACCESS_KEY_ID"], outcome["accessKeyId"], "{name}");
                    assert_eq!(got["AWS_SECRET_ACCESS_KEY"], outcome["secretAccessKey"], "{name}");
                    assert_eq!(got["AWS_SESSION_TOKEN"], outcome["sessionToken"], "{name}");
                    assert_eq!(got["AWS_ACCOUNT_ID"], outcome["accountId"], "{name}");
                    let expires: i64 = got["AWSENV_EXPIRES_AT"].as_str().unwrap().parse().unwrap();
                    assert!((expires - expect_time(outcome["expiresAt"].as_str().unwrap())).abs() <= 5, "{name}");
                }
                "cacheContents" => {
                    for (file, expected) in outcome.as_object().unwrap().iter().filter(|(k, _)| *k != "result") {
                        let mut written = support::read_json(&cache_dir.join(file));
                        let mut expected = expected.clone();
                        let got_at = written["accessToken"]["expiresAt"].take();
                        let want_at = expected["accessToken"]["expiresAt"].take();
                        assert!(
                            (epoch(got_at.as_str().unwrap()) - expect_time(want_at.as_str().unwrap())).abs() <= 5,
                            "{name}: {got_at} vs {want_at}"
                        );
                        assert_eq!(written, expected, "{name}: the rewritten cache");
                    }
                }
                "error" => {
                    assert_eq!(out.status.code(), Some(1), "{name}: {}", support::stdout(&out));
                    assert!(out.stdout.is_empty(), "{name}");
                    assert_eq!(support::stderr(&out).lines().count(), 1, "{name}: {}", support::stderr(&out));
                }
                other => panic!("{name}: unknown outcome {other}"),
            }
        }
        let requests = mock.requests();
        assert_eq!(requests.len(), calls.len(), "{name}: the renewals made");
        for (request, call) in requests.iter().zip(&calls) {
            let body: Value = serde_json::from_str(&request.body).unwrap();
            assert_eq!(body, call["request"]["tokenInput"], "{name}");
            let dpop = request.headers.iter().find(|(k, _)| k == "dpop").map(|(_, v)| v.as_str()).unwrap();
            check_dpop(dpop, &format!("{}/v1/token", mock.endpoint));
        }
    }
    cases.len()
}

#[test]
fn the_login_provider_suites_pass_with_both_key_encodings() {
    let Some(dir) = support::conformance_dir() else { return };
    let smithy = run_suite(&dir.join("smithy-rs/aws/rust-runtime/aws-config/test-data/login-provider-test-cases.json"));
    let botocore = run_suite(&dir.join("botocore/tests/unit/login/login-provider-test-cases.json"));
    assert_eq!((smithy, botocore), (8, 8));
}
