//! The key store against real parts: a real Secret Service (GNOME Keyring on its own D-Bus
//! session, unlocked with a non-empty password) for add, list, use, import and rm; the
//! encrypted file for wrong passphrases, damage, a newer format and concurrent writers; `keys
//! rotate` against the mock IAM with a failure at each step; botocore reading the profiles that
//! `keys add` wrote. Throughout, the secret must never show up in a file under HOME, in any
//! process's argv, on stderr or in the cache.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use support::mock::Mock;
use support::{awsenv, home_with, in_a_terminal, run, stderr, stdout};

const KEY_ID: &str = "AKIAIOSFODNN7STORED1";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSTOREDKEY1";

/// A D-Bus session with GNOME Keyring on it, its data in `home`; gone when dropped.
struct SecretService {
    session: Child,
    address: String,
}

impl SecretService {
    fn start(home: &Path) -> Option<SecretService> {
        let (Some(_), Some(_)) =
            (support::shells::find("dbus-run-session"), support::shells::find("gnome-keyring-daemon"))
        else {
            return None;
        };
        let mut session = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", "printf %s 'keyring password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && echo \"$DBUS_SESSION_BUS_ADDRESS\" && exec sleep 600"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_RUNTIME_DIR", home)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut address = String::new();
        BufReader::new(session.stdout.take().unwrap()).read_line(&mut address).unwrap();
        Some(SecretService { session, address: address.trim().to_owned() })
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        let _ = self.session.kill();
        let _ = self.session.wait();
    }
}

/// Every command line of every process, sampled while `work` runs: the secret must not be in any.
fn argv_while<T>(work: impl FnOnce() -> T) -> (T, Vec<String>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(AtomicBool::new(false));
    let (s, d) = (seen.clone(), done.clone());
    let watcher = std::thread::spawn(move || {
        while !d.load(Ordering::SeqCst) {
            for entry in std::fs::read_dir("/proc").unwrap().flatten() {
                if let Ok(line) = std::fs::read(entry.path().join("cmdline")) {
                    let line = String::from_utf8_lossy(&line).replace('\0', " ");
                    if line.contains("awsenv") || line.contains(SECRET) {
                        s.lock().unwrap().push(line);
                    }
                }
            }
        }
    });
    let result = work();
    done.store(true, Ordering::SeqCst);
    watcher.join().unwrap();
    let lines = seen.lock().unwrap().clone();
    (result, lines)
}

/// Every file under `dir` whose bytes hold `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            } else if std::fs::read(&path).is_ok_and(|b| String::from_utf8_lossy(&b).contains(needle)) {
                found.push(path);
            }
        }
    }
    found
}

fn with_bus<'c>(cmd: &'c mut Command, home: &Path, bus: &SecretService) -> &'c mut Command {
    cmd.env("DBUS_SESSION_BUS_ADDRESS", &bus.address).env("XDG_DATA_HOME", home.join(".local/share"))
}

#[test]
fn the_os_store_holds_the_keys_for_add_list_use_import_and_rm() {
    let mock = Mock::start(vec![]);
    let config = format!(
        "{}[profile onstore]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = prod\nservices = mock\n",
        support::mock::role_config(&mock.endpoint)
    );
    let credentials = "[legacy]\naws_access_key_id = AKIAIOSFODNN7LEGACY1\naws_secret_access_key = legacy-secret-legacy-secret-legacy-0001\n# my note\n";
    let home = home_with(&config, credentials);
    let Some(bus) = SecretService::start(home.path()) else { return };
    let env = [
        ("DBUS_SESSION_BUS_ADDRESS", bus.address.clone()),
        ("XDG_DATA_HOME", home.path().join(".local/share").display().to_string()),
    ];

    let ((screen, code), argv) = argv_while(|| {
        in_a_terminal(
            home.path(),
            &["keys", "add", "prod"],
            &env,
            "Access key id for prod\x1eSecret access key",
            &format!("{KEY_ID}\n\x1e{SECRET}\n"),
        )
    });
    assert_eq!(code, 0, "{screen}");
    assert!(!screen.contains(SECRET), "the secret is not echoed: {screen}");
    assert!(argv.iter().all(|l| !l.contains(SECRET)), "no secret in any argv");
    let config_text = std::fs::read_to_string(home.path().join(".aws/config")).unwrap();
    let line =
        format!("credential_process = {} credential-process --key-store os:prod\n", env!("CARGO_BIN_EXE_awsenv"));
    assert!(config_text.contains(&format!("[profile prod]\n{line}")), "{config_text}");

    let out = run(with_bus(awsenv(home.path()).args(["keys", "list"]), home.path(), &bus));
    assert!(
        stdout(&out).lines().any(|l| l.starts_with("prod") && l.contains(" os ") && l.contains(KEY_ID)),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains(SECRET));

    let (out, argv) = argv_while(|| run(with_bus(awsenv(home.path()).args(["use", "prod"]), home.path(), &bus)));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("export AWS_ACCESS_KEY_ID='{KEY_ID}'")) && stdout(&out).contains(SECRET),
        "{}",
        stdout(&out)
    );
    assert!(argv.iter().all(|l| !l.contains(SECRET)));
    // A role on the stored keys: STS sees them as the signer; the role is cached as any other.
    let out = run(with_bus(awsenv(home.path()).args(["use", "onstore"]), home.path(), &bus));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains(SECRET));
    // Warm: the role is cached and the index names the key, so the store is not even started.
    let unreachable_store = home.path().join("no-store");
    std::fs::write(&unreachable_store, "#!/bin/sh\necho started >> \"$0.log\"\nexit 1\n").unwrap();
    std::fs::set_permissions(&unreachable_store, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = run(with_bus(awsenv(home.path()).args(["use", "onstore"]), home.path(), &bus)
        .env("AWSENV_KEYS", &unreachable_store));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!home.path().join("no-store.log").exists(), "a warm use starts no store");
    let out = run(with_bus(awsenv(home.path()).args(["explain", "onstore"]), home.path(), &bus));
    assert!(stdout(&out).contains("key store"), "{}", stdout(&out));

    // botocore runs the credential_process line and gets what `use` exports.
    if support::python_has("botocore") {
        let out = Command::new("python3")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .env("HOME", home.path())
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .args(["-c", "import botocore.session\nc = botocore.session.Session(profile='prod').get_credentials().get_frozen_credentials()\nprint(c.access_key, c.secret_key)"])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("{KEY_ID} {SECRET}"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // import: the keys leave the credentials file; the backup holds no secret either.
    let out = run(with_bus(awsenv(home.path()).args(["keys", "import", "legacy"]), home.path(), &bus));
    assert!(out.status.success(), "{}", stderr(&out));
    let credentials_now = std::fs::read_to_string(home.path().join(".aws/credentials")).unwrap();
    assert_eq!(credentials_now, "[legacy]\n# my note\n");
    let backup = std::fs::read_to_string(home.path().join(".aws/credentials.awsenv.bak")).unwrap();
    assert!(!backup.contains("legacy-secret") && backup.contains("moved to the awsenv key store"), "{backup}");
    let out = run(with_bus(awsenv(home.path()).args(["use", "legacy"]), home.path(), &bus));
    assert!(stdout(&out).contains("AKIAIOSFODNN7LEGACY1"), "{}", stderr(&out));

    for secret in [SECRET, "legacy-secret"] {
        let holding = files_holding(home.path(), secret);
        assert!(holding.is_empty(), "{secret} in {holding:?}");
    }

    let out = run(with_bus(awsenv(home.path()).args(["keys", "rm", "prod"]), home.path(), &bus));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!std::fs::read_to_string(home.path().join(".aws/config")).unwrap().contains("--key-store os:prod"));
    let out =
        run(with_bus(awsenv(home.path()).args(["credential-process", "--key-store", "os:prod"]), home.path(), &bus));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("has no keys for \"prod\""), "{}", stderr(&out));
}

fn helper(home: &Path, passphrase: &str, request: &serde_json::Value) -> serde_json::Value {
    let mut child = Command::new(Path::new(env!("CARGO_BIN_EXE_awsenv")).with_file_name("awsenv-keys"))
        .env_clear()
        .env("HOME", home)
        .env("AWSENV_FILE_PASSPHRASE", passphrase)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(request.to_string().as_bytes()).unwrap();
    serde_json::from_slice(&child.wait_with_output().unwrap().stdout).unwrap()
}

fn put(name: &str, id: &str) -> serde_json::Value {
    serde_json::json!({"op": "put", "backend": "file", "name": name, "key": {"access_key_id": id, "secret_access_key": format!("secret-{name}-0000000000000000")}})
}

#[test]
fn the_file_store_refuses_wrong_passphrases_damage_and_newer_formats_and_queues_writers() {
    let home = home_with("[profile p]\ncredential_process = awsenv credential-process --key-store file:p\n", "");
    // Eight writers at once: every key is there afterwards.
    let writers: Vec<_> = (0..8)
        .map(|i| {
            let home = home.path().to_path_buf();
            std::thread::spawn(move || {
                helper(&home, "pass phrase", &put(&format!("p{i}"), &format!("AKIAIOSFODNN7WRITER{i}")))
            })
        })
        .collect();
    for w in writers {
        assert_eq!(w.join().unwrap(), serde_json::json!("done"));
    }
    assert!(helper(home.path(), "pass phrase", &put("p", "AKIAIOSFODNN7FILEKEY")) == serde_json::json!("done"));
    let file = home.path().join(".local/share/awsenv/keys.enc");
    for i in 0..8 {
        let got = helper(
            home.path(),
            "pass phrase",
            &serde_json::json!({"op": "get", "backend": "file", "name": format!("p{i}")}),
        );
        assert_eq!(got["key"]["access_key_id"], format!("AKIAIOSFODNN7WRITER{i}"), "{got}");
    }
    let use_p =
        |passphrase: &str| run(awsenv(home.path()).args(["use", "p"]).env("AWSENV_FILE_PASSPHRASE", passphrase));
    assert!(stdout(&use_p("pass phrase")).contains("AKIAIOSFODNN7FILEKEY"));

    let before = std::fs::read(&file).unwrap();
    let out = use_p("wrong");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the passphrase does not open the key file"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let out = run(awsenv(home.path()).args(["use", "p"]));
    assert!(
        stderr(&out).contains("no terminal to ask on") && stderr(&out).contains("AWSENV_FILE_PASSPHRASE"),
        "{}",
        stderr(&out)
    );

    let text = String::from_utf8(before.clone()).unwrap();
    std::fs::write(&file, text.replace("\"version\": 1", "\"version\": 7")).unwrap();
    assert!(stderr(&use_p("pass phrase")).contains("written by a newer awsenv (format version 7"));
    let at = text.find("\"ciphertext\": \"").unwrap() + 30;
    let mut damaged = before.clone();
    damaged[at] = if damaged[at] == b'x' { b'y' } else { b'x' };
    std::fs::write(&file, &damaged).unwrap();
    let out = use_p("pass phrase");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the passphrase does not open the key file (or the file is damaged)"),
        "{}",
        stderr(&out)
    );
    let put_on_damage = helper(home.path(), "pass phrase", &put("q", "AKIAIOSFODNN7QQQQQQQ"));
    assert!(put_on_damage["error"]["message"].as_str().unwrap().contains("nothing was changed"), "{put_on_damage}");
    assert_eq!(std::fs::read(&file).unwrap(), damaged, "nothing is lost: the damaged file is left for the user");
    assert!(files_holding(home.path(), "secret-p").is_empty());
}

/// A home with `user`'s key in the file store, STS and IAM at `mock`.
fn rotation_home(mock: &Mock) -> tempfile::TempDir {
    let config = format!(
        "[profile user]\ncredential_process = awsenv credential-process --key-store file:user\nregion = eu-west-1\nservices = mock\n\n\
         [services mock]\nsts =\n  endpoint_url = {0}\niam =\n  endpoint_url = {0}\n",
        mock.endpoint
    );
    let home = home_with(&config, "");
    assert_eq!(helper(home.path(), "pp", &put("user", "AKIAIOSFODNN7ORIGIN1")), serde_json::json!("done"));
    home
}

fn rotate(home: &Path) -> std::process::Output {
    run(awsenv(home).args(["keys", "rotate", "user"]).env("AWSENV_FILE_PASSPHRASE", "pp"))
}

fn stored(home: &Path) -> String {
    helper(home, "pp", &serde_json::json!({"op": "get", "backend": "file", "name": "user"}))["key"]["access_key_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn keys_rotate_leaves_a_working_key_whatever_step_fails() {
    // Every step works: a new key, checked, stored, and the old one deleted with it.
    let mock = Mock::start(vec![]);
    let home = rotation_home(&mock);
    let out = rotate(home.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let new = stored(home.path());
    assert!(new.starts_with("AKIAROTATED"), "{new}");
    let bodies: Vec<String> = mock.bodies().into_iter().filter(|b| !b.contains("Action=GetCallerIdentity")).collect();
    assert!(bodies[0].contains("Action=CreateAccessKey"));
    assert!(
        bodies.last().unwrap().contains("Action=DeleteAccessKey")
            && bodies.last().unwrap().contains("AccessKeyId=AKIAIOSFODNN7ORIGIN1")
    );
    assert!(!stderr(&out).contains("rotated-secret"), "no secret on stderr");

    // CreateAccessKey refused (two keys already): nothing changes.
    let mock =
        Mock::start(vec![support::mock::Reply::Status(409, support::mock::sts_error("LimitExceeded", "two keys"))]);
    let home = rotation_home(&mock);
    let out = rotate(home.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("LimitExceeded") && stderr(&out).contains("the old key is still stored"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stored(home.path()), "AKIAIOSFODNN7ORIGIN1");

    // The new key never works: it is deleted again, the old one stays.
    let mock = Mock::start(vec![]);
    mock.refuse_identity_of(Some("AKIAROTATED"));
    let home = rotation_home(&mock);
    let out = rotate(home.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("was deleted again"), "{}", stderr(&out));
    assert!(mock.bodies().last().unwrap().contains("AccessKeyId=AKIAROTATED"), "{:?}", mock.bodies());
    assert_eq!(stored(home.path()), "AKIAIOSFODNN7ORIGIN1");

    // Storing fails (a store that refuses writes): the new key is deleted, the old one stays.
    let mock = Mock::start(vec![]);
    let home = rotation_home(&mock);
    let refusing = home.path().join("refusing-store");
    let real = Path::new(env!("CARGO_BIN_EXE_awsenv")).with_file_name("awsenv-keys");
    std::fs::write(&refusing, format!("#!/bin/sh\nrequest=$(cat)\ncase \"$request\" in\n  *'\"op\":\"put\"'*) printf '%s' '{{\"error\":{{\"message\":\"the store is full\",\"hint\":null}}}}' ;;\n  *) printf '%s' \"$request\" | exec '{}' ;;\nesac\n", real.display())).unwrap();
    std::fs::set_permissions(&refusing, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = run(awsenv(home.path())
        .args(["keys", "rotate", "user"])
        .env("AWSENV_FILE_PASSPHRASE", "pp")
        .env("AWSENV_KEYS", &refusing));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the store is full") && stderr(&out).contains("was deleted again"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stored(home.path()), "AKIAIOSFODNN7ORIGIN1");

    // Deleting the old key fails: the new one is stored and works; the old one is named.
    let mock = Mock::start(vec![]);
    let home = rotation_home(&mock);
    mock.push(support::mock::Reply::Credentials);
    for _ in 0..3 {
        // Three: the client tries a 5xx three times.
        mock.push(support::mock::Reply::Status(500, support::mock::sts_error("ServiceFailure", "try later")));
    }
    // The script is served in order: CreateAccessKey gets the first reply, DeleteAccessKey the next.
    let out = rotate(home.path());
    let new = stored(home.path());
    assert!(new.starts_with("AKIAROTATED"), "{new}: {}", stderr(&out));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is stored and works, but the old key AKIAIOSFODNN7ORIGIN1 is not deleted"),
        "{}",
        stderr(&out)
    );
    let out = run(awsenv(home.path()).args(["whoami", "user"]).env("AWSENV_FILE_PASSPHRASE", "pp"));
    assert!(out.status.success(), "the stored key works: {}", stderr(&out));
}

#[test]
fn keys_rotate_goes_through_the_mfa_session_and_keeps_only_the_same_users_key() {
    // A user with an MFA device: the IAM calls are signed with the MFA session (one code), not
    // with the long-term key alone.
    let mock = Mock::start(vec![]);
    let home = rotation_home(&mock);
    let config = std::fs::read_to_string(home.path().join(".aws/config")).unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        config.replace("region = eu-west-1\n", "region = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n"),
    )
    .unwrap();
    let out = run(awsenv(home.path())
        .args(["keys", "rotate", "user", "--mfa-code", "123456"])
        .env("AWSENV_FILE_PASSPHRASE", "pp"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stored(home.path()).starts_with("AKIAROTATED"));
    let bodies: Vec<String> = mock.bodies().into_iter().filter(|b| !b.contains("Action=GetCallerIdentity")).collect();
    assert!(bodies[0].contains("Action=GetSessionToken") && bodies[0].contains("TokenCode=123456"), "{bodies:?}");
    let signers = mock.signers();
    let iam_signers: Vec<&String> =
        signers.iter().filter(|(form, _)| form.contains("AccessKey")).map(|(_, key)| key).collect();
    assert_eq!(iam_signers.len(), 2, "{signers:?}");
    assert!(iam_signers.iter().all(|k| k.starts_with("ASIASESSION")), "signed with the MFA session: {signers:?}");

    // A new key that GetCallerIdentity says is another user's: deleted again, the old one kept.
    let mock = Mock::start(vec![]);
    mock.other_user_for("AKIAROTATED");
    let home = rotation_home(&mock);
    let out = rotate(home.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("belongs to arn:aws:iam::123456789012:user/other, not to arn:aws:iam::123456789012:user/me")
            && stderr(&out).contains("was deleted again"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stored(home.path()), "AKIAIOSFODNN7ORIGIN1");
}
