//! The SDKs' recorded credential-provider cases (`profile-provider/`, `default-credential-provider-chain/`),
//! replayed: a loopback server plays each case's `http-traffic.json`, awsenv resolves the case's
//! profile from its `fs/` and `env.json`, and the credentials and expiry must be the recorded ones.
//!
//! awsenv reaches the server as its HTTP proxy, so plain-http recordings (IMDS, the container
//! endpoint, endpoint overrides) are matched by their absolute URI. For https recordings the test
//! first checks, in process, that awsenv resolves exactly the recorded endpoint, then points the
//! binary at it over http (a proxy cannot see inside TLS).

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// Cases that describe the SDKs' profile-less default chain, which
/// `awsenv use PROFILE` does not have.
const NOT_APPLICABLE: &[(&str, &str)] = &[
    ("ecs_credentials", "no profile: default chain"),
    ("ecs_credentials_invalid_profile", "no profile: default chain"),
    ("eks_pod_identity_credentials", "no profile: default chain"),
    ("eks_pod_identity_no_token_file", "no profile: default chain"),
    ("environment_variables", "no profile: default chain"),
    ("environment_variables_blank", "no profile: default chain"),
    ("prefer_environment", "no profile: default chain"),
    ("imds_config_with_no_creds", "no profile: default chain"),
    ("imds_default_chain_error", "no profile: default chain"),
    ("imds_default_chain_retries", "no profile: default chain"),
    ("imds_default_chain_success", "no profile: default chain"),
    ("imds_disabled", "no profile: default chain"),
    ("imds_no_iam_role", "no profile: default chain"),
    ("imds_token_fail", "no profile: default chain"),
    ("web_identity_token_env", "no profile: default chain"),
    ("profile_overrides_web_identity", "the default chain's fall-through between providers"),
];

/// Cases whose recording shows one attempt at a 5xx where awsenv, as its retry rule says, makes
/// three (the recording's client ran without retries): consecutive repeats of a request count once.
const RETRIED_HERE: &[&str] = &["sso_server_error"];

struct Exchange {
    method: String,
    uri: String,
    status: u16,
    body: Vec<u8>,
}

fn exchanges(traffic: &Value) -> Vec<Exchange> {
    let mut by_connection: BTreeMap<u64, Exchange> = BTreeMap::new();
    let mut order = Vec::new();
    for event in traffic["events"].as_array().unwrap() {
        let id = event["connection_id"].as_u64().unwrap();
        let action = &event["action"];
        if let Some(request) = action.get("Request") {
            let r = &request["request"];
            order.push(id);
            by_connection.insert(
                id,
                Exchange {
                    method: r["method"].as_str().unwrap().to_owned(),
                    uri: r["uri"].as_str().unwrap().to_owned(),
                    status: 0,
                    body: Vec::new(),
                },
            );
        } else if let Some(response) = action.get("Response") {
            by_connection.get_mut(&id).unwrap().status = response["response"]["Ok"]["status"].as_u64().unwrap() as u16;
        } else if let Some(data) = action.get("Data").filter(|d| d["direction"] == "Response") {
            let bytes = match (data["data"].get("Utf8"), data["data"].get("Base64")) {
                (Some(text), _) => text.as_str().unwrap().as_bytes().to_vec(),
                (_, Some(b64)) => awsenv::encoding::base64_decode(b64.as_str().unwrap()).unwrap(),
                _ => Vec::new(),
            };
            by_connection.get_mut(&id).unwrap().body.extend(bytes);
        }
    }
    order.into_iter().map(|id| by_connection.remove(&id).unwrap()).collect()
}

/// Serves the recorded responses in order; records what was asked (`METHOD absolute-uri`).
fn replay_server(exchanges: Vec<Exchange>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        let mut next = exchanges.into_iter();
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            reader.read_line(&mut first).unwrap_or(0);
            let (mut length, mut host) = (0usize, String::new());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if let Some(v) = lower.strip_prefix("host:") {
                    host = v.trim().to_owned();
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut parts = first.split_whitespace();
            let (method, target) = (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned());
            let uri = if target.starts_with("http") { target } else { format!("http://{host}{target}") };
            log.lock().unwrap().push(format!("{method} {uri}"));
            let Some(exchange) = next.next() else { return };
            let _ = write!(
                stream,
                "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                exchange.status,
                exchange.body.len()
            );
            let _ = stream.write_all(&exchange.body);
        }
    });
    (address, seen)
}

/// The case's `fs/` stands for `/`: absolute paths that exist under it are rewritten to it.
fn rebase(case: &Path, text: &str) -> String {
    let fs = case.join("fs");
    text.split('\n')
        .map(|line| match line.split_once("= /") {
            Some((key, path)) if fs.join(path.trim()).exists() => format!("{key}= {}", fs.join(path.trim()).display()),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn origin(uri: &str) -> String {
    let (scheme, rest) = uri.split_once("://").unwrap();
    format!("{scheme}://{}", rest.split('/').next().unwrap())
}

#[test]
fn recorded_provider_cases_replay() {
    let Some(dir) = support::conformance_dir() else { return };
    let data = dir.join("smithy-rs/aws/rust-runtime/aws-config/test-data");
    let mut ran = Vec::new();
    for group in ["profile-provider", "default-credential-provider-chain"] {
        let mut cases: Vec<PathBuf> =
            std::fs::read_dir(data.join(group)).unwrap().flatten().map(|e| e.path()).collect();
        cases.sort();
        for case in cases {
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            if NOT_APPLICABLE.iter().any(|(n, _)| *n == name) {
                continue;
            }
            run_case(&case, &name);
            ran.push(name);
        }
    }
    assert!(ran.len() >= 20, "only {} cases ran: {ran:?}", ran.len());
    eprintln!("replayed {} cases: {}", ran.len(), ran.join(", "));
}

fn run_case(case: &Path, name: &str) {
    let traffic = support::read_json(&case.join("http-traffic.json"));
    let exchanges = exchanges(&traffic);
    let recorded: Vec<String> = exchanges.iter().map(|e| format!("{} {}", e.method, e.uri)).collect();
    let vars: BTreeMap<String, String> = serde_json::from_value(support::read_json(&case.join("env.json"))).unwrap();
    let work = tempfile::tempdir().unwrap();
    let home = case.join("fs/home");
    let config = work.path().join("config");
    std::fs::write(&config, rebase(case, &std::fs::read_to_string(home.join(".aws/config")).unwrap_or_default()))
        .unwrap();
    let (proxy, seen) = replay_server(exchanges);
    let mut env: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if v.starts_with('/') && case.join("fs").join(&v[1..]).exists() {
                    case.join("fs").join(&v[1..]).display().to_string()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    env.insert("HOME".into(), home.display().to_string());
    env.insert("AWS_CONFIG_FILE".into(), config.display().to_string());
    env.insert("HTTP_PROXY".into(), proxy.clone());
    // An https recording: awsenv must resolve exactly that endpoint; the binary then reaches it
    // over http through the replay proxy.
    let succeeds = support::read_json(&case.join("test-case.json"))["result"].get("Ok").is_some();
    let https: Vec<&str> = recorded
        .iter()
        .filter_map(|r| r.split_once(' ').map(|(_, u)| u).filter(|u| u.starts_with("https://")))
        .collect();
    let resolving = env.clone();
    for uri in https {
        let service = if uri.contains("://portal.sso") { "sso" } else { "sts" };
        match resolved_endpoint(&resolving, service) {
            Some(resolved) => {
                assert_eq!(
                    origin(uri),
                    resolved.trim_end_matches('/'),
                    "{name}: the {service} endpoint awsenv would call"
                )
            }
            None => assert!(!succeeds, "{name}: the profile must resolve in process"),
        }
        let variable = if service == "sso" { "AWS_ENDPOINT_URL_SSO" } else { "AWS_ENDPOINT_URL_STS" };
        env.insert(variable.into(), origin(uri).replacen("https://", "http://", 1));
    }
    let profile = env.get("AWS_PROFILE").cloned().unwrap_or_else(|| "default".into());
    let mut cmd = support::awsenv(work.path());
    cmd.args(["use", &profile, "--format", "json", "--no-cache"]).env_remove("HOME");
    for (k, v) in &env {
        cmd.env(k, v);
    }
    let out = support::run(&mut cmd);
    let expected = &support::read_json(&case.join("test-case.json"))["result"];
    match expected.get("Ok") {
        Some(ok) => {
            assert!(out.status.success(), "{name}: {}", support::stderr(&out));
            let got: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(got["AWS_ACCESS_KEY_ID"], ok["access_key_id"], "{name}");
            assert_eq!(got["AWS_SECRET_ACCESS_KEY"], ok["secret_access_key"], "{name}");
            assert_eq!(got["AWS_SESSION_TOKEN"].as_str(), ok["session_token"].as_str(), "{name}");
            if let Some(account) = ok["account_id"].as_str() {
                assert_eq!(got["AWS_ACCOUNT_ID"], account, "{name}");
            }
            let expiry = got["AWSENV_EXPIRES_AT"].as_str().map(|s| s.parse::<i64>().unwrap());
            assert_eq!(expiry, ok["expiry"].as_i64(), "{name}");
        }
        None => {
            assert_eq!(out.status.code(), Some(1), "{name}: expected an error, got {}", support::stdout(&out));
            assert!(out.stdout.is_empty(), "{name}");
        }
    }
    let mut asked: Vec<String> = seen.lock().unwrap().iter().map(|r| sorted_query(r)).collect();
    if RETRIED_HERE.contains(&name) {
        asked.dedup();
    }
    // On the wire an empty path is `/`; the SDKs differ in the order of query parameters.
    let with_path = |r: &str| if r.splitn(4, '/').count() < 4 { format!("{r}/") } else { r.to_owned() };
    let recorded_http: Vec<String> =
        recorded.iter().map(|r| sorted_query(&with_path(&r.replacen("https://", "http://", 1)))).collect();
    assert_eq!(asked, recorded_http, "{name}: the requests, in order");
}

fn sorted_query(request: &str) -> String {
    match request.split_once('?') {
        Some((head, query)) => {
            let mut params: Vec<&str> = query.split('&').collect();
            params.sort_unstable();
            format!("{head}?{}", params.join("&"))
        }
        None => request.to_owned(),
    }
}

/// The endpoint awsenv resolves for the case's selected profile and `service` (sts, or the SSO
/// portal), computed in process.
fn resolved_endpoint(env: &BTreeMap<String, String>, service: &str) -> Option<String> {
    let env = awsenv::env::Env::from_pairs(env.clone());
    let texts = awsenv::config::read(&env).ok()?;
    let files = awsenv::config::parse(&texts).ok()?;
    let name = awsenv::config::locate::selected_profile(&env);
    let plan = awsenv::resolve::Resolver::new(&files, &env).plan(name).ok()?;
    if service == "sso" {
        let awsenv::resolve::Source::Sso { region, .. } = &plan.base.source else { return None };
        return Some(awsenv::sso::token::portal_endpoint(&env, &plan.settings, region));
    }
    let region = awsenv::aws::endpoint::region(&env, &plan.settings, None).ok()?;
    Some(awsenv::aws::endpoint::sts(&env, &plan.settings, &region))
}

/// `default-token-provider-chain/`: the selected profile's sso-session leads to the CLI's token
/// file; its token and expiry are the recorded ones (read in process: awsenv never prints a
/// bearer token), and `explain` reports the same expiry.
#[test]
fn recorded_token_cases_find_the_token() {
    let Some(dir) = support::conformance_dir() else { return };
    let group = dir.join("smithy-rs/aws/rust-runtime/aws-config/test-data/default-token-provider-chain");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&group).unwrap().flatten().map(|e| e.path()).collect();
    cases.sort();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let mut vars: BTreeMap<String, String> =
            serde_json::from_value(support::read_json(&case.join("env.json"))).unwrap();
        vars.insert("HOME".into(), case.join("fs/home").display().to_string());
        let expected = &support::read_json(&case.join("test-case.json"))["result"]["Ok"];

        let env = awsenv::env::Env::from_pairs(vars.clone());
        let texts = awsenv::config::read(&env).unwrap();
        let files = awsenv::config::parse(&texts).unwrap();
        let profile = awsenv::config::locate::selected_profile(&env);
        let plan = awsenv::resolve::Resolver::new(&files, &env).plan(profile).unwrap();
        let awsenv::resolve::Source::Sso { session, start_url, region, .. } = &plan.base.source else {
            panic!("{name}: not an SSO profile")
        };
        let login = awsenv::sso::token::Login { session: session.as_deref(), start_url, region };
        let token = awsenv::sso::token::TokenFile::read(&login.token_path(&env).unwrap()).unwrap().unwrap();
        assert_eq!(token.access_token(), expected["token"].as_str(), "{name}");
        let expires = awsenv::credentials::format_rfc3339(token.expires_at().unwrap());
        assert_eq!(expires, expected["expiration"].as_str().unwrap(), "{name}");

        let work = tempfile::tempdir().unwrap();
        let mut cmd = support::awsenv(work.path());
        cmd.args(["explain", profile]);
        for (k, v) in &vars {
            cmd.env(k, v);
        }
        let out = support::run(&mut cmd);
        let text = support::stdout(&out);
        assert!(text.contains(&format!("valid until {expires}")), "{name}: {text}");
        assert!(!text.contains("foobarbaz"), "{name}: explain never shows the token");
    }
}
