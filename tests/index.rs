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

/// `list`'s saved rows: the files' rows as the last full parse worked them out, with only the
/// cache column read anew.
fn saved_rows(home: &Path) -> Option<PathBuf> {
    std::fs::read_dir(home.join(".cache/awsenv"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("list-"))
}

/// What `args` print from the saved rows, checked against the full parse's answer (the saved
/// file removed first, so the full parse runs and saves again).
fn saved_and_full(home: &Path, args: &[&str]) -> String {
    let saved = run(awsenv(home).args(args));
    assert!(saved.status.success(), "{}", stderr(&saved));
    std::fs::remove_file(saved_rows(home).expect("rows were saved")).unwrap();
    let full = run(awsenv(home).args(args));
    assert_eq!(stdout(&saved), stdout(&full), "{args:?}: the saved rows differ from the full parse");
    assert!(saved_rows(home).is_some(), "the full parse saved the rows again");
    stdout(&saved)
}

#[test]
fn list_from_saved_rows_is_list_from_the_files() {
    let sts = support::mock::Mock::start(vec![]);
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let process = h.join("process.sh");
    std::fs::write(&process, "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\",\"Expiration\":\"2099-01-01T00:00:00Z\"}'\n").unwrap();
    std::fs::set_permissions(&process, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let config = format!(
        "[default]\nregion = us-east-1\n\n[profile user]\nregion = eu-west-1\n\n\
         [profile r1]\nrole_arn = arn:aws:iam::123456789012:role/one\nsource_profile = user\nservices = local\n\n\
         [profile r2]\nrole_arn = arn:aws:iam::123456789012:role/two\nsource_profile = r1\nservices = local\nregion = ap-south-1\n\n\
         [profile r3]\nrole_arn = arn:aws:iam::123456789012:role/three\nsource_profile = user\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n\n\
         [profile team]\nrole_arn = arn:aws:iam::210987654321:role/dev\nsource_profile = user\nawsenv_account_name = Team Ünit\n\n\
         [profile proc]\ncredential_process = {}\n\n\
         [profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n\
         [profile broken]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = nowhere\n\n\
         [services local]\nsts =\n  endpoint_url = {}\n",
        process.display(),
        sts.endpoint
    );
    let aws = h.join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(aws.join("config"), &config).unwrap();
    std::fs::write(aws.join("credentials"), "[user]\naws_access_key_id = AKIDUSER\naws_secret_access_key = s\n")
        .unwrap();
    for profile in ["r1", "proc"] {
        let out = run(awsenv(h).args(["use", profile]));
        assert!(out.status.success(), "{profile}: {}", stderr(&out));
    }
    // Rows are saved only from files older than the racy window, like the index.
    assert!(run(awsenv(h).arg("list")).status.success());
    assert!(saved_rows(h).is_none(), "rows of just-written files must not be saved");
    std::thread::sleep(Duration::from_millis(2100));
    assert!(run(awsenv(h).arg("list")).status.success());
    let saved = saved_rows(h).expect("the full parse saved the rows");
    let saved_at = modified(&saved);

    let table = saved_and_full(h, &["list"]);
    let row = |table: &str, name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name}: {table}"))
            .to_owned()
    };
    let cached = |table: &str, name: &str| row(table, name).split_whitespace().nth(3).unwrap().to_owned();
    assert_ne!(cached(&table, "r1"), "-", "{table}");
    assert_ne!(cached(&table, "proc"), "-", "{table}");
    assert_eq!(cached(&table, "r2"), "-", "{table}");
    assert!(row(&table, "team").contains("[account Team Ünit]"), "{table}");
    assert!(row(&table, "sso").contains("[sso login: missing]"), "{table}");
    assert!(row(&table, "broken").contains("! "), "{table}");
    assert!(row(&table, "r3").contains(" yes "), "{table}");
    saved_and_full(h, &["list", "--json"]);
    saved_and_full(h, &["list", "r"]);
    saved_and_full(h, &["__complete", "described-profiles", ""]);
    let hit = run(awsenv(h).arg("list"));
    assert!(hit.status.success());
    let saved = saved_rows(h).unwrap();
    let again_at = modified(&saved);
    assert_ne!(again_at, saved_at, "the last check saved anew");
    run(awsenv(h).arg("list"));
    assert_eq!(modified(&saved), again_at, "a hit does not rewrite the saved rows");

    // A cache entry made after the rows were saved shows at once.
    assert!(run(awsenv(h).args(["use", "r2"])).status.success());
    let table = saved_and_full(h, &["list"]);
    assert_ne!(cached(&table, "r2"), "-", "{table}");

    // A damaged saved file is ignored.
    for garbage in [&b""[..], b"AWSENVL1", &[0xff; 4096]] {
        let path = saved_rows(h).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() / 2);
        for damaged in [garbage.to_vec(), bytes] {
            std::fs::write(&path, damaged).unwrap();
            assert_eq!(saved_and_full(h, &["list"]), table);
        }
    }

    // An edit is seen at once.
    std::fs::write(aws.join("config"), format!("{config}\n[profile added]\nregion = eu-north-1\n")).unwrap();
    let table = stdout(&run(awsenv(h).arg("list")));
    assert!(row(&table, "added").contains("eu-north-1"), "{table}");
}
