//! Two independent references for how the AWS files read: botocore (PyPI) and the AWS SDK for
//! Go v2 (`tests/go-reference`, built with `go build` from its pinned `go.mod`/`go.sum`). On
//! homes made by a seeded generator (odd names, duplicate sections and keys, `[profile default]`
//! beside `[default]`, CRLF, empty values, `credential_process` quoting, role chains, web
//! identity, keys split across the files), every profile both SDKs resolve to the same
//! credentials and region must resolve so in awsenv too. A loopback STS answers AssumeRole and
//! AssumeRoleWithWebIdentity with keys derived from what was asked (the role, whose keys signed,
//! the external id, the token), so three clients that ask the same thing get the same keys.
//!
//! Where the Go SDK differs from botocore by design, the comparison is normalised, not hidden:
//! - it sends AssumeRole `DurationSeconds=900` when the profile sets none (botocore sends none,
//!   STS's default is an hour): the duration is not part of the derived key;
//! - it names web-identity sessions with digits only: the session name is not part of it either;
//! - its IMDS client sends the token-TTL header the real IMDS requires: the generator makes no
//!   instance-metadata profiles, and IMDS is disabled for all three.
//!
//! And where awsenv differs from both by design: a profile name outside the SDKs' shared rules
//! (`[profile my team]`, which both SDKs read) is refused, as the shared suite says.

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// Homes per run, and the first seed (each home's seed is printed when it fails).
const HOMES: u64 = 40;

/// The seeded generator: xorshift64*, enough for choosing.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A loopback STS that derives its answer from the question.
fn sts() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    endpoint
}

fn form_decode(text: &str) -> BTreeMap<String, String> {
    text.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (support::sso::percent_decode(k), support::sso::percent_decode(v)))
        .collect()
}

fn answer(stream: std::net::TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let length: usize = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let form = form_decode(&String::from_utf8_lossy(&body));
        let signer = head.split("Credential=").nth(1).and_then(|c| c.split('/').next()).unwrap_or("").to_owned();
        let action = form.get("Action").cloned().unwrap_or_default();
        let get = |k: &str| form.get(k).cloned().unwrap_or_default();
        let material = match action.as_str() {
            "AssumeRole" => {
                format!("role\0{}\0{signer}\0{}\0{}", get("RoleArn"), get("ExternalId"), get("SerialNumber"))
            }
            "AssumeRoleWithWebIdentity" => format!("web\0{}\0{}", get("RoleArn"), get("WebIdentityToken")),
            _ => String::new(),
        };
        let text = if material.is_empty() {
            "<ErrorResponse><Error><Code>InvalidAction</Code><Message>not here</Message></Error></ErrorResponse>"
                .to_owned()
        } else {
            let digest = Sha256::digest(material.as_bytes());
            let key: String = digest[..8].iter().map(|b| format!("{b:02X}")).collect();
            let expiration = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
            let expiration = expiration.format(&time::format_description::well_known::Rfc3339).unwrap();
            format!(
                "<{action}Response><{action}Result><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>\
                 <AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>ASIA{key}</AccessKeyId>\
                 <SecretAccessKey>derived-secret</SecretAccessKey><SessionToken>derived-token</SessionToken>\
                 <Expiration>{expiration}</Expiration></Credentials></{action}Result></{action}Response>"
            )
        };
        let status = if material.is_empty() { 400 } else { 200 };
        let mut stream = &stream;
        if write!(
            stream,
            "HTTP/1.1 {status} X\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n{text}",
            text.len()
        )
        .is_err()
        {
            return;
        }
    }
}

/// A generated home: the files, and every profile name they mention.
struct Home {
    dir: tempfile::TempDir,
    names: Vec<String>,
}

/// Names of every kind the files allow, and some they do not.
const NAMES: &[&str] =
    &["dev", "prod.eu", "team/a", "@ops", "p%1", "q:r+s", "x_y-z", "my team", "naïve.dev", "UPPER", "default"];
const REGIONS: &[&str] = &["eu-west-1", "us-east-1", "ap-south-1", "us-west-2"];

fn generate(seed: u64) -> Home {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let dir = tempfile::tempdir().unwrap();
    let process = dir.path().join("creds proc");
    std::fs::write(
        &process,
        "#!/bin/sh\nprintf '{\"Version\":1,\"AccessKeyId\":\"AKIAPROC%s\",\"SecretAccessKey\":\"p\"}' \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&process, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, format!("web-token-{seed}")).unwrap();
    let (mut config, mut credentials) = (String::new(), String::new());
    let mut names: Vec<String> = Vec::new();
    let mut with_keys: Vec<String> = Vec::new();
    let count = 5 + rng.below(5);
    for i in 0..count {
        let mut name = if rng.chance(50) { format!("{}{i}", rng.pick(NAMES)) } else { (*rng.pick(NAMES)).to_owned() };
        if names.contains(&name) {
            // A name again would be a duplicate section, which botocore refuses the whole file for.
            name = format!("{name}{i}");
        }
        let header = |name: &str| {
            if name == "default" && i % 2 == 0 { "[default]".to_owned() } else { format!("[profile {name}]") }
        };
        let mut lines: Vec<String> = Vec::new();
        if rng.chance(70) {
            lines.push(format!("region = {}", rng.pick(REGIONS)));
        }
        match rng.below(8) {
            0 | 1 => {
                // Static keys, in the credentials file or the config file (or split across both).
                let keys =
                    [format!("aws_access_key_id = AKIA{seed:04}{i:02}"), format!("aws_secret_access_key = s{i}")];
                match rng.below(4) {
                    0 => lines.extend(keys),
                    1 => {
                        credentials.push_str(&format!("[{name}]\n{}\n{}\n\n", keys[0], keys[1]));
                    }
                    2 => {
                        lines.push(keys[0].clone());
                        credentials.push_str(&format!("[{name}]\n{}\n\n", keys[1]));
                    }
                    _ => {
                        credentials
                            .push_str(&format!("[{name}]\n{}\n{}\naws_session_token = t{i}\n\n", keys[0], keys[1]));
                    }
                }
                with_keys.push(name.clone());
            }
            2..=4 if !with_keys.is_empty() || !names.is_empty() => {
                // A role on a profile seen so far (static keys, or another role: a chain).
                let source = if rng.chance(70) && !with_keys.is_empty() {
                    rng.pick(&with_keys).clone()
                } else {
                    rng.pick(&names).clone()
                };
                lines.push(format!("role_arn = arn:aws:iam::123456789012:role/R{i}"));
                lines.push(format!("source_profile = {source}"));
                match rng.below(4) {
                    0 => lines.push(format!("external_id = ext-{i}")),
                    1 => lines.push("role_session_name =".to_owned()),
                    2 => lines.push("duration_seconds =".to_owned()),
                    _ => lines.push(format!("duration_seconds = {}", 900 + 300 * rng.below(10))),
                }
            }
            5 => {
                let quoted = match rng.below(3) {
                    0 => format!("\"{}\" {i}", process.display()),
                    1 => format!("'{}' {i}", process.display()),
                    _ => format!("{} {i}", process.display().to_string().replace(' ', "\\ ")),
                };
                lines.push(format!("credential_process = {quoted}"));
            }
            6 => {
                lines.push(format!("role_arn = arn:aws:iam::123456789012:role/W{i}"));
                lines.push(format!("web_identity_token_file = {}", token.display()));
            }
            _ => {
                lines.push("output = json".to_owned());
            }
        }
        // Rare: botocore refuses a whole file with a key or a section given twice (the Go SDK
        // and awsenv take the last), so such homes compare little.
        if rng.chance(1) {
            // A key given twice: the last one counts.
            lines.push(format!("region = {}", rng.pick(REGIONS)));
        }
        if rng.chance(1) {
            // The same section again later in the file, adding a key.
            config.push_str(&format!("{}\n{}\n\n", header(&name), lines.join("\n")));
            lines = vec![format!("output = text{i}")];
        }
        config.push_str(&format!("{}\n{}\n\n", header(&name), lines.join("\n")));
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if rng.chance(25) {
        config = config.replace('\n', "\r\n");
    }
    let aws = dir.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(aws.join("config"), config).unwrap();
    std::fs::write(aws.join("credentials"), credentials).unwrap();
    std::fs::set_permissions(aws.join("credentials"), std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    Home { dir, names }
}

/// One client's view of one profile: (access key id, region), or why not.
type View = Result<(String, String), String>;

fn environment(cmd: &mut Command, home: &Path, sts: &str) {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home)
        .env("AWSENV_CACHE_DIR", home.join("cache"))
        .env("AWS_ENDPOINT_URL_STS", sts)
        .env("AWS_EC2_METADATA_DISABLED", "true");
}

const BOTOCORE: &str = r#"
import json, sys, botocore.session
for name in sys.argv[1:]:
    out = {"profile": name}
    try:
        s = botocore.session.Session(profile=name)
        out["region"] = s.get_config_variable("region") or ""
        c = s.get_credentials()
        if c is None:
            out["error"] = "no credentials"
        else:
            out["key"] = c.get_frozen_credentials().access_key
    except Exception as e:
        out["error"] = type(e).__name__
    print(json.dumps(out))
"#;

fn views(out: &std::process::Output) -> BTreeMap<String, View> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let name = v["profile"].as_str().unwrap().to_owned();
            let view = match (v["key"].as_str(), v["error"].as_str()) {
                (Some(key), None) => Ok((key.to_owned(), v["region"].as_str().unwrap_or("").to_owned())),
                (_, error) => Err(error.unwrap_or("nothing").to_owned()),
            };
            (name, view)
        })
        .collect()
}

fn awsenv_view(home: &Path, sts: &str, name: &str) -> View {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_awsenv"));
    environment(&mut cmd, home, sts);
    let out = cmd.args(["use", name, "--format", "json", "--no-cache"]).output().unwrap();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    Ok((v["AWS_ACCESS_KEY_ID"].as_str().unwrap_or("").to_owned(), v["AWS_REGION"].as_str().unwrap_or("").to_owned()))
}

/// The Go reference, built from its pinned module (the test command builds it first; `go build`
/// is a no-op when nothing changed).
fn go_reference() -> Option<PathBuf> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go-reference");
    let binary = Path::new(env!("CARGO_TARGET_TMPDIR")).join("awsenv-go-reference");
    let built = Command::new("go")
        .args(["build", "-mod=readonly", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(&source)
        .status()
        .is_ok_and(|s| s.success());
    built.then_some(binary)
}

#[test]
fn awsenv_reads_every_profile_as_botocore_and_the_go_sdk_both_do() {
    let Some(go) = go_reference() else {
        assert!(!support::in_ci(), "the Go reference must build in CI (go and the module proxy)");
        eprintln!("SKIPPED: the Go SDK reference did not build (no go, or no module proxy)");
        return;
    };
    if !support::python_has("botocore") {
        assert!(!support::in_ci(), "botocore is missing in CI");
        eprintln!("SKIPPED: botocore is not installed");
        return;
    }
    let sts = sts();
    let first: u64 = std::env::var("AWSENV_TWO_SDKS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let (mut compared, mut both_refuse, mut sdks_disagree, mut outside_the_rules) = (0, 0, 0, 0);
    for seed in first..first + HOMES {
        let home = generate(seed);
        let mut python = Command::new("python3");
        environment(&mut python, home.dir.path(), &sts);
        let botocore = views(&python.args(["-c", BOTOCORE]).args(&home.names).output().unwrap());
        let mut golang = Command::new(&go);
        environment(&mut golang, home.dir.path(), &sts);
        let go_views = views(&golang.args(&home.names).output().unwrap());
        let files = || {
            format!(
                "--- config\n{}--- credentials\n{}",
                std::fs::read_to_string(home.dir.path().join(".aws/config")).unwrap(),
                std::fs::read_to_string(home.dir.path().join(".aws/credentials")).unwrap()
            )
        };
        for name in &home.names {
            let (b, g) = (&botocore[name], &go_views[name]);
            match (b, g) {
                (Ok(b), Ok(g)) if b == g => {
                    let a = awsenv_view(home.dir.path(), &sts, name);
                    // Refused by design where the profile, or one its chain names, is outside the
                    // SDKs' shared name rules (both SDKs read `[profile my team]`), and said why.
                    if !awsenv::config::is_identifier(name)
                        || a.as_ref().is_err_and(|e| e.contains("is not a profile name the SDKs accept"))
                    {
                        assert!(
                            a.as_ref().is_err_and(|e| e.contains("is not a profile name the SDKs accept")),
                            "seed {seed}, profile {name:?}: {a:?}"
                        );
                        assert!(home.names.iter().any(|n| !awsenv::config::is_identifier(n)), "seed {seed}: {a:?}");
                        outside_the_rules += 1;
                        continue;
                    }
                    assert_eq!(
                        a.as_ref(),
                        Ok(b),
                        "seed {seed} (rerun with AWSENV_TWO_SDKS_SEED={seed}), profile {name:?}: botocore and the Go SDK agree, awsenv does not\n{}",
                        files()
                    );
                    compared += 1;
                }
                (Err(_), Err(_)) => both_refuse += 1,
                _ => {
                    if std::env::var_os("AWSENV_TWO_SDKS_DEBUG").is_some() {
                        eprintln!("seed {seed} {name:?}: botocore {b:?} go {g:?}\n{}", files());
                    }
                    sdks_disagree += 1
                }
            }
        }
    }
    eprintln!(
        "two SDKs: {compared} profiles compared, {both_refuse} refused by both, {sdks_disagree} where the SDKs disagree, {outside_the_rules} outside the shared name rules"
    );
    assert!(compared >= HOMES as usize * 2, "too few profiles both SDKs accept: {compared}");
}
