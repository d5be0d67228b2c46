//! The section index that lets `use` skip parsing every profile: it must change no output and
//! no error, notice every edit, and shrug off a damaged index file.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use support::{awsenv, home_with, run, stderr, stdout};

const CONFIG: &str = "\
# a comment before any section
[default]
region = ignored-because-prefixed-default-exists

[profile default]
region = us-east-1

[profile in valid]
region = never

[profile app]
sso_session = corp
services = local
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[services local]
s3 =
  endpoint_url = http://127.0.0.1:9000

[profile keys]
region = ap-south-1 ; comment
services = local
";

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secret-default

[keys]
aws_access_key_id = AKIDKEYS
aws_secret_access_key = secret-keys
";

fn index_file(home: &Path) -> Option<PathBuf> {
    let dir = home.join(".cache/awsenv");
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("index-"))
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn the_index_changes_nothing_but_speed() {
    let home = home_with(CONFIG, CREDENTIALS);
    let h = home.path();
    // Files changed within the last two seconds are not indexed: their timestamps could hide a
    // second change.
    let first = run(awsenv(h).args(["use", "keys"]));
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(index_file(h).is_none(), "a just-written file must not be indexed");
    std::thread::sleep(Duration::from_millis(2100));

    let full = stdout(&run(awsenv(h).args(["use", "keys"])));
    let index = index_file(h).expect("the full parse saved an index");
    let saved_at = modified(&index);
    assert_eq!(full, stdout(&first));
    for profile in ["keys", "default"] {
        let via_index = run(awsenv(h).args(["use", profile]));
        assert!(via_index.status.success(), "{}", stderr(&via_index));
        assert_eq!(modified(&index), saved_at, "a hit does not rewrite the index");
        let expected = match profile {
            "keys" => {
                "export AWS_ACCESS_KEY_ID='AKIDKEYS'\nexport AWS_SECRET_ACCESS_KEY='secret-keys'\nexport AWS_REGION='ap-south-1'\nexport AWS_DEFAULT_REGION='ap-south-1'\nexport AWS_CONFIG_FILE='"
            }
            _ => {
                "export AWS_ACCESS_KEY_ID='AKIDDEFAULT'\nexport AWS_SECRET_ACCESS_KEY='secret-default'\nexport AWS_REGION='us-east-1'\nexport AWS_DEFAULT_REGION='us-east-1'\n"
            }
        };
        assert!(stdout(&via_index).starts_with(expected), "{profile}: {}", stdout(&via_index));
    }
    assert_eq!(stdout(&run(awsenv(h).args(["use", "keys"]))), full);

    // Errors through the index are the full parse's errors, hints included.
    let typo = run(awsenv(h).args(["use", "kyes"]));
    assert_eq!(typo.status.code(), Some(1));
    assert!(typo.stdout.is_empty());
    assert!(stderr(&typo).contains("did you mean \"keys\"?"), "{}", stderr(&typo));
    let sso = run(awsenv(h).args(["use", "app"]));
    assert!(
        stderr(&sso).contains("(~/.aws/config:12) names sso-session \"corp\" but no sso_account_id"),
        "the sso-session was found: {}",
        stderr(&sso)
    );

    // An edit of the same size, in place, is seen at once.
    let config = h.join(".aws/config");
    let edited = CONFIG.replace("ap-south-1", "ap-south-2");
    assert_eq!(edited.len(), CONFIG.len());
    std::fs::write(&config, &edited).unwrap();
    let after = stdout(&run(awsenv(h).args(["use", "keys"])));
    assert!(after.contains("AWS_REGION='ap-south-2'"), "{after}");

    // A credentials file that appears later is seen too.
    std::fs::write(h.join(".aws/credentials"), CREDENTIALS.replace("AKIDKEYS", "AKIDNEW1")).unwrap();
    assert!(stdout(&run(awsenv(h).args(["use", "keys"]))).contains("AKIDNEW1"));

    // Garbage in the index file is ignored and replaced once the files are old enough.
    std::thread::sleep(Duration::from_millis(2100));
    run(awsenv(h).args(["use", "keys"]));
    let index = index_file(h).expect("rebuilt");
    for garbage in [&b""[..], b"AWSENVX1", &[0xff; 4096], b"AWSENVX1\0\0\0\0\0\0\0\0garbage"] {
        std::fs::write(&index, garbage).unwrap();
        let out = run(awsenv(h).args(["use", "keys"]));
        assert!(stdout(&out).contains("AKIDNEW1") && stdout(&out).contains("ap-south-2"), "{}", stderr(&out));
        assert!(std::fs::metadata(&index).unwrap().len() > 200, "the damaged index was replaced");
    }
}
