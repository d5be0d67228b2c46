//! The AWS SDKs' shared test suites, run straight from their JSON in `../shared/conformance`.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use awsenv::config::{self, FileTexts, Platform, SectionKind};
use awsenv::env::Env;
use awsenv::resolve::{Plan, Resolver, Source};
use awsenv::source::{self, FetchOptions};

const RUNTIME: &str = "smithy-rs/aws/rust-runtime";

fn texts(config: Option<&str>, credentials: Option<&str>) -> FileTexts {
    FileTexts {
        config_path: "/home/user/.aws/config".into(),
        credentials_path: "/home/user/.aws/credentials".into(),
        config: config.map(str::to_owned),
        credentials: credentials.map(str::to_owned),
        stamps: [None, None],
    }
}

/// `{name: {key: value}}` for one kind of section, as the suite writes its expectations.
fn sections_as_json(files: &config::ConfigFiles<'_>, kind: SectionKind) -> Value {
    let mut out = Map::new();
    for name in files.names(kind) {
        let section = files.section(kind, name).unwrap();
        let props: Map<String, Value> = section.props.iter().map(|p| (p.key.to_string(), json!(p.value))).collect();
        out.insert(name.to_owned(), Value::Object(props));
    }
    Value::Object(out)
}

#[test]
fn profile_parser_suite() {
    let Some(dir) = support::conformance_dir() else {
        return;
    };
    let suite = support::read_json(&dir.join(RUNTIME).join("aws-runtime/test-data/profile-parser-tests.json"));
    let cases = suite["tests"].as_array().unwrap();
    assert_eq!(cases.len(), 65);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let t = texts(case["input"]["configFile"].as_str(), case["input"]["credentialsFile"].as_str());
        let parsed = config::parse(&t);
        let output = &case["output"];
        if output.get("errorContaining").is_some() {
            assert!(parsed.is_err(), "{name}: expected an error, got {parsed:?}");
            continue;
        }
        let files = parsed.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(sections_as_json(&files, SectionKind::Profile), output["config"]["profiles"], "{name}");
        if let Some(expected) = output["config"].get("sso_sessions") {
            assert_eq!(&sections_as_json(&files, SectionKind::SsoSession), expected, "{name}");
        }
    }
}

#[test]
fn file_location_suite() {
    let Some(dir) = support::conformance_dir() else {
        return;
    };
    let suite = support::read_json(&dir.join(RUNTIME).join("aws-runtime/test-data/file-location-tests.json"));
    let cases = suite["tests"].as_array().unwrap();
    assert_eq!(cases.len(), 9);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let vars: BTreeMap<String, String> = serde_json::from_value(case["environment"].clone()).unwrap();
        let env = Env::from_pairs(vars);
        let platform = match case["platform"].as_str().unwrap() {
            "windows" => Platform::Windows,
            _ => Platform::Unix,
        };
        let found = config::locate::locate(&env, platform);
        assert_eq!(found.config, case["configLocation"].as_str().unwrap(), "{name}");
        assert_eq!(found.credentials, case["credentialsLocation"].as_str().unwrap(), "{name}");
        if let Some(profile) = case["profile"].as_str() {
            assert_eq!(config::locate::selected_profile(&env), profile, "{name}");
        }
    }
}

/// The chain in the suite's own shape: the base, then each AssumeRole.
fn chain_as_json(plan: &Plan) -> Value {
    let mut base = Map::new();
    let strip_nulls = |v: Value| -> Value {
        Value::Object(
            v.as_object().unwrap().iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect(),
        )
    };
    match &plan.base.source {
        Source::StaticKeys { access_key_id, secret_access_key, session_token, account_id } => {
            base.insert(
                "AccessKey".into(),
                strip_nulls(json!({
                    "access_key_id": access_key_id,
                    "secret_access_key": secret_access_key.expose(),
                    "session_token": session_token.as_ref().map(|t| t.expose()),
                    "account_id": account_id,
                })),
            );
        }
        Source::Environment => {
            base.insert("NamedSource".into(), json!("Environment"));
        }
        Source::Imds => {
            base.insert("NamedSource".into(), json!("Ec2InstanceMetadata"));
        }
        Source::Ecs => {
            base.insert("NamedSource".into(), json!("EcsContainer"));
        }
        Source::WebIdentity { role_arn, token_file, session_name } => {
            base.insert(
                "WebIdentityToken".into(),
                strip_nulls(json!({
                    "role_arn": role_arn, "web_identity_token_file": token_file, "role_session_name": session_name,
                })),
            );
        }
        Source::Sso { session, start_url, region, account_id, role_name } => {
            base.insert(
                "Sso".into(),
                strip_nulls(json!({
                    "sso_account_id": account_id, "sso_region": region, "sso_role_name": role_name,
                    "sso_start_url": start_url, "sso_session": session,
                })),
            );
        }
        other => panic!("the suite has no step for {other:?}"),
    }
    let mut chain = vec![Value::Object(base)];
    for hop in &plan.hops {
        chain.push(json!({"AssumeRole": strip_nulls(json!({
            "role_arn": hop.role_arn, "external_id": hop.external_id, "role_session_name": hop.session_name,
        }))}));
    }
    Value::Array(chain)
}

/// Each upstream error, and the words awsenv's message for the same mistake must contain.
const ERROR_WORDS: &[(&str, &str)] = &[
    ("profile must contain `source_profile`", "neither source_profile nor credential_source"),
    ("both source_profile and credential_source", "sets both source_profile"),
    ("profile missing aws_secret_access_key", "but no aws_secret_access_key"),
    ("profile missing aws_access_key_id", "but no aws_access_key_id"),
    ("did not contain credential information", "did not contain credential information"),
    ("could not find source profile", "source_profile \"B\" of profile \"A\" not found"),
    ("No profiles were defined", "no profiles are defined"),
    ("infinite loop", "chain loops"),
    ("`role_arn` was missing", "web_identity_token_file but no role_arn"),
    ("if `sso_role_name` is set, then `sso_account_id`", "sso_role_name is set but sso_account_id is not"),
    ("if `sso_account_id` is set, then `sso_role_name`", "sso_account_id is set but sso_role_name is not"),
    ("`sso_region` can only be specified in the [sso-session]", "sso_region belongs in [sso-session"),
    ("sso-session named `oops`", "sso-session \"oops\" (referenced by profile \"A\") was not found"),
];

#[test]
fn assume_role_suite_as_plans() {
    let Some(dir) = support::conformance_dir() else {
        return;
    };
    let suite = support::read_json(&dir.join(RUNTIME).join("aws-config/test-data/assume-role-tests.json"));
    let cases = suite.as_array().unwrap();
    assert_eq!(cases.len(), 28);
    for case in cases {
        let docs = case["docs"].as_str().unwrap();
        let input = &case["input"];
        let mut config_text = String::new();
        for (kind, key) in [("profile", "profiles"), ("sso-session", "sso_sessions")] {
            for (name, props) in input[key].as_object().into_iter().flatten() {
                config_text.push_str(&format!("[{kind} {name}]\n"));
                for (k, v) in props.as_object().unwrap() {
                    config_text.push_str(&format!("{k} = {}\n", v.as_str().unwrap()));
                }
            }
        }
        let t = texts(Some(&config_text), None);
        let files = config::parse(&t).unwrap();
        let env = Env::from_pairs([("HOME", "/home/user")]);
        let result = Resolver::new(&files, &env).plan(input["selected_profile"].as_str().unwrap());
        match (&case["output"].get("ProfileChain"), result) {
            (Some(expected), Ok(plan)) => assert_eq!(&chain_as_json(&plan), *expected, "{docs}"),
            (Some(_), Err(e)) => panic!("{docs}: unexpected error {e}"),
            (None, Ok(plan)) => panic!("{docs}: expected an error, got {plan:?}"),
            (None, Err(e)) => {
                let upstream = case["output"]["Error"].as_str().unwrap();
                let (_, words) = ERROR_WORDS
                    .iter()
                    .find(|(u, _)| upstream.contains(u))
                    .unwrap_or_else(|| panic!("{docs}: no expectation for upstream error {upstream:?}"));
                let shown = e.to_string();
                assert!(shown.contains(words), "{docs}: {shown:?} should contain {words:?}");
                assert!(
                    shown.contains("~/.aws/config:") || words.contains("no profiles"),
                    "{docs}: {shown:?} cites no file:line"
                );
                assert!(!shown.contains('\n'), "{docs}: one line");
            }
        }
    }
}

/// The profile-provider cases that need no network: credential_process and broken files.
#[test]
fn profile_provider_cases_without_network() {
    let Some(dir) = support::conformance_dir() else {
        return;
    };
    let cases = dir.join(RUNTIME).join("aws-config/test-data/profile-provider");
    let mut ran = 0;
    for entry in std::fs::read_dir(&cases).unwrap() {
        let case = entry.unwrap().path();
        let traffic = support::read_json(&case.join("http-traffic.json"));
        if !traffic["events"].as_array().unwrap().is_empty() {
            continue; // needs STS or SSO: the roles and SSO issues replay these
        }
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let vars: BTreeMap<String, String> =
            serde_json::from_value(support::read_json(&case.join("env.json"))).unwrap();
        let mut env = Env::from_pairs(vars.iter().map(|(k, v)| (k.clone(), rebase(&case, v))));
        env.set("AWS_CONFIG_FILE", rebase(&case, "/home/.aws/config"));
        env.set("AWS_SHARED_CREDENTIALS_FILE", rebase(&case, "/home/.aws/credentials"));
        let expected = &support::read_json(&case.join("test-case.json"))["result"];
        let result = resolve_and_fetch(&env);
        match (expected.get("Ok"), result) {
            (Some(ok), Ok(c)) => {
                assert_eq!(c.access_key_id, ok["access_key_id"].as_str().unwrap(), "{name}");
                assert_eq!(c.secret_access_key.expose(), ok["secret_access_key"].as_str().unwrap(), "{name}");
                assert_eq!(c.session_token.as_ref().map(|t| t.expose()), ok["session_token"].as_str(), "{name}");
                assert_eq!(c.account_id.as_deref(), ok["account_id"].as_str(), "{name}");
                assert_eq!(c.expiration.map(|t| t.unix_timestamp()), ok["expiry"].as_i64(), "{name}");
            }
            (Some(_), Err(e)) => panic!("{name}: unexpected error {e}"),
            (None, Ok(c)) => panic!("{name}: expected an error, got {c:?}"),
            (None, Err(e)) => assert!(!e.to_string().is_empty(), "{name}"),
        }
        ran += 1;
    }
    assert!(ran >= 6, "only {ran} network-free cases found");
}

/// The suite mounts `fs/` at `/`.
fn rebase(case: &Path, path: &str) -> String {
    if let Some(relative) = path.strip_prefix('/') {
        case.join("fs").join(relative).to_string_lossy().into_owned()
    } else {
        path.to_owned()
    }
}

fn resolve_and_fetch(env: &Env) -> Result<awsenv::credentials::Credentials, String> {
    let texts = config::read(env).map_err(|e| e.to_string())?;
    let files = config::parse(&texts).map_err(|e| format!("{e:?}"))?;
    let name = config::locate::selected_profile(env);
    let plan = Resolver::new(&files, env).plan(name).map_err(|e| e.to_string())?;
    let options = FetchOptions { use_cache: false, ..FetchOptions::default() };
    source::fetch(&plan, &files, env, options).map_err(|e| e.to_string())
}

/// `awsenv lint` on every input the shared parser suite accepts: what it finds, by rule. Errors
/// only where the profile really cannot be used, and warnings only of the kinds listed here.
#[test]
fn lint_on_the_parser_suite() {
    let Some(dir) = support::conformance_dir() else {
        return;
    };
    let suite = support::read_json(&dir.join(RUNTIME).join("aws-runtime/test-data/profile-parser-tests.json"));
    let env = Env::from_pairs([("HOME", "/home/user")]);
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for case in suite["tests"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let t = texts(case["input"]["configFile"].as_str(), case["input"]["credentialsFile"].as_str());
        let Ok(files) = config::parse(&t) else { continue };
        for f in awsenv::lint::lint(&t, &files, &env) {
            seen.entry(format!("{:?} {}", f.severity, f.rule)).or_default().push(format!("{name}: {}", f.message));
        }
    }
    // Each a real mistake in a file the SDKs still read, so a warning and never an error.
    let expected = [
        // Both files set one key of one profile; the credentials file's value wins, silently.
        ("Warning both-files-disagree", 1),
        // `[profile default]` and `[default]` in one config file: the latter is ignored.
        ("Warning default-twice", 4),
        // A section name the SDKs' shared rules refuse (`[profile in valid]`): skipped by them.
        ("Warning name-the-sdks-ignore", 4),
        // The SDKs skip `[profile x]` in the credentials file; the person meant profile x.
        ("Warning profile-prefix-in-credentials", 2),
    ];
    let counts: Vec<(&str, usize)> = seen.iter().map(|(rule, cases)| (rule.as_str(), cases.len())).collect();
    assert_eq!(counts, expected, "lint on the parser suite's accepted inputs: {seen:#?}");
}
