//! `awsenv write-credentials`: a profile's temporary credentials as a section of the user's own
//! credentials file, read by botocore and the AWS CLI v1 with `--profile NAME` while `--watch`
//! renews it across several short lifetimes; every other byte kept, the mode kept, the backup
//! taken once without temporary keys, a section that is not awsenv's never overwritten, and
//! `--remove` giving back the file byte for byte (stopping a detached watcher).

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::mock::Mock;
use support::{awsenv, home_with, python_has, run, stderr};

const ORIGINAL: &str = "# my keys\n[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = base-secret\n\n[other]\nregion = x";

fn config(endpoint: &str) -> String {
    format!(
        "[profile base]\nservices = mock\n\n\
         [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nservices = mock\n\n\
         [services mock]\nsts =\n  endpoint_url = {endpoint}\n"
    )
}

fn home(endpoint: &str) -> tempfile::TempDir {
    let home = home_with(&config(endpoint), ORIGINAL);
    std::fs::set_permissions(home.path().join(".aws/credentials"), std::fs::Permissions::from_mode(0o640)).unwrap();
    home
}

fn credentials(home: &Path) -> String {
    std::fs::read_to_string(home.join(".aws/credentials")).unwrap()
}

/// The key id of section `[ci]` as the file holds it now.
fn written_key(home: &Path) -> Option<String> {
    let text = credentials(home);
    let section = text.split("[ci]\n").nth(1)?;
    section.lines().find_map(|l| l.strip_prefix("aws_access_key_id = ")).map(str::to_owned)
}

fn wait_for(what: &str, test: impl Fn() -> bool) {
    let start = Instant::now();
    while !test() {
        assert!(start.elapsed() < Duration::from_secs(60), "waited a minute for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What botocore and the AWS CLI v1 take as the credentials of `--profile ci`.
fn as_the_sdks_read_it(home: &Path, mock: &Mock) -> (String, String) {
    let python = |args: &[&str]| {
        let out = Command::new("python3")
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let botocore =
        python(&["-c", "import botocore.session as s; print(s.Session(profile='ci').get_credentials().access_key)"]);
    python(&["-m", "awscli", "sts", "get-caller-identity", "--profile", "ci", "--endpoint-url", &mock.endpoint]);
    let cli = mock.identities().last().cloned().unwrap_or_default();
    (botocore, cli)
}

#[test]
fn watch_keeps_the_section_fresh_for_botocore_and_the_aws_cli_and_remove_gives_the_file_back() {
    if !python_has("botocore") || !python_has("awscli") {
        return;
    }
    let mock = Mock::start(vec![]);
    mock.set_lifetime(8);
    let home = home(&mock.endpoint);
    let mut watcher = awsenv(home.path())
        .args(["write-credentials", "role", "--as", "ci", "--watch"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    // Three lifetimes: each new key, as botocore and the AWS CLI read it from the file.
    while seen.len() < 3 {
        wait_for("a new key in [ci]", || written_key(home.path()).is_some_and(|k| !seen.contains(&k)));
        let key = written_key(home.path()).unwrap();
        let (botocore, cli) = as_the_sdks_read_it(home.path(), &mock);
        // A renewal may land between the read above and the SDKs' reads: the key they see is the
        // file's, then or now.
        let now = written_key(home.path()).unwrap();
        assert!(botocore == key || botocore == now, "botocore read {botocore}, the file held {key} / {now}");
        assert!(cli == key || cli == now, "the AWS CLI signed with {cli}, the file held {key} / {now}");
        seen.push(key);
    }
    watcher.kill().unwrap();
    watcher.wait().unwrap();

    let text = credentials(home.path());
    assert!(text.starts_with(ORIGINAL), "every byte before the section is kept:\n{text}");
    assert!(text.contains("# >>> awsenv write-credentials: ci; temporary credentials until "), "{text}");
    assert!(text.contains("aws_session_token = mock-token-"), "{text}");
    assert_eq!(text.matches("[ci]").count(), 1, "rewritten in place:\n{text}");
    let mode = std::fs::metadata(home.path().join(".aws/credentials")).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the mode is kept");
    let backup = home.path().join(".aws/credentials.awsenv-write.bak");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), ORIGINAL, "taken once, before the first write");

    let out = run(awsenv(home.path()).args(["write-credentials", "--remove", "ci"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(credentials(home.path()), ORIGINAL, "byte for byte as before the first write");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), ORIGINAL);
}

#[test]
fn a_detached_watcher_renews_until_remove_stops_it() {
    let mock = Mock::start(vec![]);
    mock.set_lifetime(6);
    let home = home(&mock.endpoint);
    let out = run(awsenv(home.path()).args(["write-credentials", "role", "--as", "ci", "--watch", "--detach"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let said = stderr(&out);
    let pid: u32 = said.split("(pid ").nth(1).and_then(|r| r.split(')').next()).and_then(|p| p.parse().ok()).unwrap();
    let first = written_key(home.path()).expect("written before it returns");
    wait_for("a renewal in the background", || written_key(home.path()).is_some_and(|k| k != first));
    let out = run(awsenv(home.path()).args(["write-credentials", "--remove", "ci"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(credentials(home.path()), ORIGINAL);
    // Stopped: the watcher ends (gone, or a zombie where nobody reaps orphans).
    let ended = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map_or(true, |stat| stat.rsplit(") ").next().is_some_and(|rest| rest.starts_with('Z')))
    };
    wait_for("the watcher to end", ended);
    assert_eq!(credentials(home.path()), ORIGINAL, "nothing wrote the section again");
}

#[test]
fn refused_long_term_keys_and_a_section_that_is_not_awsenvs() {
    let mock = Mock::start(vec![]);
    let home = home(&mock.endpoint);
    let out = run(awsenv(home.path()).args(["write-credentials", "base", "--as", "ci"]));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("long-term keys, which are never copied"), "{}", stderr(&out));
    let out = run(awsenv(home.path()).args(["write-credentials", "role", "--as", "other"]));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("already has a [other] section of its own"), "{}", stderr(&out));
    let out = run(awsenv(home.path()).args(["write-credentials", "--remove", "ci"]));
    assert!(!out.status.success());
    assert_eq!(credentials(home.path()), ORIGINAL, "nothing was written");
    assert!(!home.path().join(".aws/credentials.awsenv-write.bak").exists());
}
