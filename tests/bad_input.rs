//! The bad-input matrix: one row per way the files, the cache or a helper can be wrong. Every row
//! states what must happen; every failing row must exit with the documented code, print nothing
//! on stdout and one line on stderr that names the profile (or the file) and the cause, and no
//! row may change a byte of the user's `~/.aws` files.

mod support;

use std::collections::BTreeMap;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use support::{awsenv, home_with, run, stderr, stdout};

const KEYS: &str = "aws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret-example\n";

enum Expect {
    /// Exit 0 and stdout containing this.
    Ok(&'static str),
    /// Exit 0, stdout containing the first, and a one-line warning containing the second.
    Warns(&'static str, &'static str),
    /// This exit code, and stderr containing every word.
    Fails(i32, &'static [&'static str]),
}

struct Case {
    name: &'static str,
    config: Vec<u8>,
    credentials: Vec<u8>,
    /// What else the case does to the home before running (cache entries, links, ...).
    arrange: fn(&Path),
    env: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    expect: Expect,
}

fn case(name: &'static str, config: &str, args: &'static [&'static str], expect: Expect) -> Case {
    Case { name, config: config.as_bytes().to_vec(), credentials: Vec::new(), arrange: |_| {}, env: &[], args, expect }
}

/// A `credential_process` profile `p` whose command is `script` (run by sh).
fn process(name: &'static str, script: &str, expect: Expect) -> Case {
    case(name, &format!("[profile p]\ncredential_process = {script}\n"), &["use", "p"], expect)
}

const ROLE_ON_KEYS: &str = "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n\n";

fn cases() -> Vec<Case> {
    let ok_keys = Expect::Ok("export AWS_ACCESS_KEY_ID='AKIDEXAMPLE'");
    let mut all = vec![
        Case {
            name: "binary garbage in the config",
            config: b"\x00\x01\xff\xfe[profile p]\x00\n\x80\x81=\xc3\x28\n".to_vec(),
            ..case("", "", &["use", "p"], Expect::Fails(1, &["config", "UTF-8"]))
        },
        Case {
            name: "invalid UTF-8 in the credentials file",
            credentials: b"[p]\naws_access_key_id = AK\xffID\n".to_vec(),
            ..case("", "", &["use", "p"], Expect::Fails(1, &["credentials", "UTF-8"]))
        },
        case("a byte-order mark", &format!("\u{feff}[profile p]\n{KEYS}"), &["use", "p"], Expect::Ok("AKIDEXAMPLE")),
        case("CRLF line ends", &format!("[profile p]\r\n{}", KEYS.replace('\n', "\r\n")), &["use", "p"], ok_keys),
        Case {
            name: "the config is a directory",
            arrange: |home| {
                std::fs::remove_file(home.join(".aws/config")).unwrap();
                std::fs::create_dir(home.join(".aws/config")).unwrap();
            },
            ..case("", "", &["use", "p"], Expect::Fails(1, &["config", "directory"]))
        },
        Case {
            name: "the credentials file is a directory",
            arrange: |home| {
                std::fs::remove_file(home.join(".aws/credentials")).unwrap();
                std::fs::create_dir(home.join(".aws/credentials")).unwrap();
            },
            ..case("", "", &["use", "p"], Expect::Fails(1, &["credentials", "directory"]))
        },
        Case {
            name: "the config is a dangling symlink",
            arrange: |home| {
                std::fs::remove_file(home.join(".aws/config")).unwrap();
                symlink(home.join("nowhere"), home.join(".aws/config")).unwrap();
            },
            ..case("", "", &["use", "p"], Expect::Fails(1, &["config"]))
        },
        Case {
            name: "an unreadable config (a read error)",
            env: &[("AWS_CONFIG_FILE", "/proc/self/mem")],
            ..case("", "", &["use", "p"], Expect::Fails(1, &["/proc/self/mem"]))
        },
        case("no files at all", "", &["use", "p"], Expect::Fails(1, &["profile \"p\"", "not found"])),
        case(
            "a missing profile",
            &format!("[profile dev]\n{KEYS}"),
            &["use", "prod"],
            Expect::Fails(1, &["\"prod\"", "not found"]),
        ),
        case(
            "a near-miss name",
            &format!("[profile production]\n{KEYS}"),
            &["use", "prodution"],
            Expect::Fails(1, &["did you mean \"production\""]),
        ),
        case(
            "a near-miss in case",
            &format!("[profile Dev]\n{KEYS}"),
            &["use", "dev"],
            Expect::Fails(1, &["did you mean \"Dev\""]),
        ),
        case("an unclosed header", "[profile p\nregion = x\n", &["use", "p"], Expect::Fails(1, &["config:1"])),
        case("a property without =", "[profile p]\nregion\n", &["use", "p"], Expect::Fails(1, &["config:2"])),
        case(
            "a continuation before any property",
            "[profile p]\n  region = x\n",
            &["use", "p"],
            Expect::Fails(1, &["config:2"]),
        ),
        case(
            "a property before any section",
            "region = x\n[profile p]\n",
            &["use", "p"],
            Expect::Fails(1, &["config:1"]),
        ),
        case(
            "a source_profile cycle",
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n",
            &["use", "a"],
            Expect::Fails(1, &["profile \"a\"", "loop"]),
        ),
        case(
            "a missing source profile",
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = nope\n",
            &["use", "a"],
            Expect::Fails(1, &["\"nope\"", "not found", "config:3"]),
        ),
        case(
            "only an access key id",
            "[profile p]\naws_access_key_id = AKID\n",
            &["use", "p"],
            Expect::Fails(1, &["aws_secret_access_key"]),
        ),
        case(
            "only a secret key",
            "[profile p]\naws_secret_access_key = s\n",
            &["use", "p"],
            Expect::Fails(1, &["aws_access_key_id"]),
        ),
        case(
            "an invalid role ARN",
            &format!("{ROLE_ON_KEYS}[profile r]\nrole_arn = not-an-arn\nsource_profile = base\n"),
            &["use", "r"],
            Expect::Fails(1, &["role_arn", "config:6"]),
        ),
        case(
            "duration_seconds below the minimum",
            &format!(
                "{ROLE_ON_KEYS}[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nduration_seconds = 899\n"
            ),
            &["use", "r"],
            Expect::Fails(1, &["duration_seconds", "900"]),
        ),
        case(
            "duration_seconds above the maximum",
            &format!(
                "{ROLE_ON_KEYS}[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nduration_seconds = 43201\n"
            ),
            &["use", "r"],
            Expect::Fails(1, &["duration_seconds", "43200"]),
        ),
        case(
            "duration_seconds not a number",
            &format!(
                "{ROLE_ON_KEYS}[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nduration_seconds = 1h\n"
            ),
            &["use", "r"],
            Expect::Fails(1, &["duration_seconds"]),
        ),
        case(
            "a chained role asking for more than an hour",
            &format!(
                "{ROLE_ON_KEYS}[profile r1]\nrole_arn = arn:aws:iam::123456789012:role/r1\nsource_profile = base\n\
                 [profile r2]\nrole_arn = arn:aws:iam::123456789012:role/r2\nsource_profile = r1\nduration_seconds = 7200\n"
            ),
            &["use", "r2"],
            Expect::Fails(1, &["duration_seconds", "3600"]),
        ),
        case(
            "an invalid role_session_name",
            &format!(
                "{ROLE_ON_KEYS}[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nrole_session_name = a b$(id)\n"
            ),
            &["use", "r"],
            Expect::Fails(1, &["role_session_name"]),
        ),
        case(
            "an external_id too short",
            &format!(
                "{ROLE_ON_KEYS}[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nexternal_id = x\n"
            ),
            &["use", "r"],
            Expect::Fails(1, &["external_id"]),
        ),
        case(
            "source_profile and credential_source both",
            &format!(
                "{ROLE_ON_KEYS}[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\ncredential_source = Environment\n"
            ),
            &["use", "r"],
            Expect::Fails(1, &["source_profile", "credential_source"]),
        ),
        case(
            "an unknown credential_source",
            "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Laptop\n",
            &["use", "r"],
            Expect::Fails(1, &["credential_source", "Laptop"]),
        ),
        case(
            "a missing sso-session",
            "[profile s]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = r\n",
            &["use", "s"],
            Expect::Fails(1, &["sso-session", "nope"]),
        ),
        case(
            "a missing services section",
            &format!("[profile p]\n{KEYS}services = nope\n"),
            &["use", "p"],
            Expect::Fails(1, &["services", "nope"]),
        ),
        process("credential_process fails", "exit 3", Expect::Fails(1, &["credential_process", "3"])),
        process("credential_process prints junk", "echo '<html>'", Expect::Fails(1, &["credential_process", "JSON"])),
        process(
            "credential_process prints too much",
            "head -c 3000000 /dev/zero | tr '\\0' a",
            Expect::Fails(1, &["credential_process"]),
        ),
        Case {
            env: &[("AWSENV_PROCESS_TIMEOUT", "1")],
            ..process("credential_process hangs", "sleep 30", Expect::Fails(1, &["credential_process", "1"]))
        },
        process(
            "credential_process with Version 2",
            r#"echo '{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}'"#,
            Expect::Fails(1, &["Version"]),
        ),
        process(
            "credential_process without a secret",
            r#"echo '{"Version":1,"AccessKeyId":"A"}'"#,
            Expect::Fails(1, &["SecretAccessKey"]),
        ),
        process(
            "credential_process with an unreadable Expiration",
            r#"echo '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"tomorrow"}'"#,
            Expect::Fails(1, &["Expiration"]),
        ),
        process(
            "credential_process already expired (a clock far off)",
            r#"echo '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":"1970-01-02T00:00:00Z"}'"#,
            // As the SDKs' own recorded cases expect: the credentials are what the process says;
            // the person is told.
            Expect::Warns("export AWS_ACCESS_KEY_ID='A'", "expired at 1970-01-02T00:00:00Z"),
        ),
        Case {
            name: "the cache dir is a file",
            arrange: |home| std::fs::write(home.join(".cache/awsenv"), "not a dir").unwrap(),
            ..process("", &valid_process(), Expect::Fails(1, &["cache", "not a directory"]))
        },
        Case {
            name: "the cache dir belongs to someone else",
            arrange: |home| {
                std::fs::create_dir_all(home.join(".cache/awsenv")).unwrap();
                std::os::unix::fs::chown(home.join(".cache/awsenv"), Some(65534), Some(65534)).unwrap();
            },
            ..process("", &valid_process(), Expect::Fails(1, &["cache directory", "uid 65534"]))
        },
        Case {
            name: "a world-writable cache dir is closed again",
            arrange: |home| {
                std::fs::create_dir_all(home.join(".cache/awsenv")).unwrap();
                std::fs::set_permissions(home.join(".cache/awsenv"), std::fs::Permissions::from_mode(0o777)).unwrap();
            },
            ..process("", &valid_process(), Expect::Ok("AKIDPROC"))
        },
        Case {
            name: "a corrupt cache entry is replaced",
            arrange: |h| spoil_entries(h, |_| b"{not json".to_vec()),
            ..process("", &valid_process(), Expect::Ok("AKIDPROC"))
        },
        Case {
            name: "a truncated cache entry is replaced",
            arrange: |h| spoil_entries(h, |bytes| bytes[..bytes.len() / 2].to_vec()),
            ..process("", &valid_process(), Expect::Ok("AKIDPROC"))
        },
        Case {
            name: "a symlinked cache entry is not followed",
            arrange: |home| {
                warm(home);
                for entry in entries(home) {
                    let target = home.join("elsewhere.json");
                    std::fs::rename(&entry, &target).unwrap();
                    symlink(&target, &entry).unwrap();
                }
            },
            ..process("", &valid_process(), Expect::Ok("AKIDPROC"))
        },
        Case {
            name: "a world-readable cache entry is not trusted",
            arrange: |home| {
                warm(home);
                for entry in entries(home) {
                    std::fs::set_permissions(entry, std::fs::Permissions::from_mode(0o644)).unwrap();
                }
            },
            ..process("", &valid_process(), Expect::Ok("AKIDPROC"))
        },
        Case {
            name: "a cache entry from a foreign tool is ignored",
            arrange: |h| spoil_entries(h, |_| br#"{"Credentials":{"AccessKeyId":"X"},"ProviderType":"sso"}"#.to_vec()),
            ..process("", &valid_process(), Expect::Ok("AKIDPROC"))
        },
        case("an empty profile name", &format!("[profile p]\n{KEYS}"), &["use", ""], Expect::Fails(2, &["empty"])),
        case(
            "an unknown shell",
            &format!("[profile p]\n{KEYS}"),
            &["use", "p", "--shell", "cmd.exe"],
            Expect::Fails(2, &["cmd.exe"]),
        ),
        case(
            "an MFA role from the hook",
            &format!(
                "{ROLE_ON_KEYS}[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n"
            ),
            &["use", "r", "--hook"],
            Expect::Fails(1, &["MFA", "awsenv use r"]),
        ),
        case(
            "a bad MFA code",
            &format!(
                "{ROLE_ON_KEYS}[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n"
            ),
            &["use", "r", "--mfa-code", "12ab56"],
            Expect::Fails(2, &["6 digits"]),
        ),
    ];
    for c in &mut all {
        if c.credentials.is_empty() && c.name.contains("credentials file is a directory") {
            c.credentials = b"[p]\n".to_vec();
        }
    }
    all
}

fn valid_process() -> String {
    r#"echo '{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"S","SessionToken":"T","Expiration":"2099-01-01T00:00:00Z"}'"#
        .to_owned()
}

fn entries(home: &Path) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(home.join(".cache/awsenv")) else { return Vec::new() };
    dir.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect()
}

/// Fill the cache by resolving `p` once.
fn warm(home: &Path) {
    let out = run(awsenv(home).args(["use", "p"]));
    assert!(out.status.success(), "warming the cache: {}", stderr(&out));
}

fn spoil_entries(home: &Path, spoil: fn(&[u8]) -> Vec<u8>) {
    warm(home);
    let found = entries(home);
    assert!(!found.is_empty());
    for entry in found {
        let bytes = std::fs::read(&entry).unwrap();
        std::fs::write(&entry, spoil(&bytes)).unwrap();
    }
}

/// Every file under `dir` but the cache: path → (bytes, mode).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
            if path.starts_with(dir.join(".cache")) {
                continue;
            }
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                out.insert(path.clone(), (std::fs::read(&path).unwrap_or_default(), meta.permissions().mode()));
            }
        }
    }
    out
}

#[test]
fn the_bad_input_matrix() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} rows", cases.len());
    for c in cases {
        let home = home_with("", "");
        std::fs::write(home.path().join(".aws/config"), &c.config).unwrap();
        std::fs::write(home.path().join(".aws/credentials"), &c.credentials).unwrap();
        std::fs::create_dir_all(home.path().join(".cache")).unwrap();
        (c.arrange)(home.path());
        let before = snapshot(home.path());
        let mut cmd = awsenv(home.path());
        cmd.args(c.args);
        for (k, v) in c.env {
            cmd.env(k, v);
        }
        let out = run(&mut cmd);
        let name = c.name;
        match c.expect {
            Expect::Ok(text) => {
                assert!(out.status.success(), "{name}: {}", stderr(&out));
                assert!(stdout(&out).contains(text), "{name}: {}", stdout(&out));
            }
            Expect::Warns(text, warning) => {
                assert!(out.status.success(), "{name}: {}", stderr(&out));
                assert!(stdout(&out).contains(text), "{name}: {}", stdout(&out));
                let err = stderr(&out);
                assert!(err.lines().count() == 1 && err.contains(warning), "{name}: {err}");
            }
            Expect::Fails(code, words) => {
                let err = stderr(&out);
                assert_eq!(out.status.code(), Some(code), "{name}: {err}");
                assert!(out.stdout.is_empty(), "{name}: stdout must be empty, got {}", stdout(&out));
                assert_eq!(err.lines().count(), 1, "{name}: one line: {err:?}");
                assert!(err.starts_with("awsenv: "), "{name}: {err}");
                for word in words {
                    assert!(err.contains(word), "{name}: {err:?} should contain {word:?}");
                }
                assert!(!err.contains("secret-example") && !err.contains("base-secret"), "{name}: a secret leaked");
            }
        }
        assert_eq!(snapshot(home.path()), before, "{name}: files outside the cache changed");
        // What the cache holds afterwards is ours, private and whole.
        if let Ok(meta) = std::fs::symlink_metadata(home.path().join(".cache/awsenv"))
            && meta.is_dir()
            && meta.uid() == 0
        {
            assert_eq!(meta.permissions().mode() & 0o777, 0o700, "{name}: the cache dir");
            for entry in entries(home.path()) {
                let meta = std::fs::symlink_metadata(&entry).unwrap();
                if meta.is_file() {
                    assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}: {}", entry.display());
                    let text = std::fs::read_to_string(&entry).unwrap();
                    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{name}: a torn entry");
                }
            }
        }
        if name == "a symlinked cache entry is not followed" {
            let kept = std::fs::read_to_string(home.path().join("elsewhere.json")).unwrap();
            assert!(kept.contains("AKIDPROC"), "the link's target is untouched");
        }
    }
}

use std::os::unix::fs::MetadataExt;
