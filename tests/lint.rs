//! `awsenv lint`: one small config per rule, the example verbatim (and with CRLF line
//! ends and trailing spaces), the exit status, and the JSON form.

mod support;

use support::{awsenv, home_with, run, stderr, stdout};

/// The findings as (rule, where) pairs, from `lint --json`.
fn findings(config: &str, credentials: &str) -> (Vec<(String, String)>, Option<i32>) {
    let home = home_with(config, credentials);
    std::fs::set_permissions(home.path().join(".aws/credentials"), std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .unwrap();
    let out = run(awsenv(home.path()).args(["lint", "--json"]));
    let value: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    let pairs = value
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_owned(), f["at"].as_str().unwrap_or("").to_owned()))
        .collect();
    (pairs, out.status.code())
}

fn has(found: &[(String, String)], rule: &str, at: &str) -> bool {
    found.iter().any(|(r, a)| r == rule && a == at)
}

const EXAMPLE: &str = "[profile A]\ncredential_source = Ec2InstanceMetadata\nendpoint_url = https://profile-a-endpoint.aws/\n\n\
[profile B]\nsource_profile = A\nrole_arn = arn:aws:iam::123456789012:role/roleB\nservices = profileB\n\n\
[services profileB]\nec2 =\nendpoint_url = https://profile-b-ec2-endpoint.aws\n";

#[test]
fn the_example_with_a_lost_indentation_and_a_source_the_cli_refuses() {
    for (variant, config) in [
        ("as pasted", EXAMPLE.to_owned()),
        ("CRLF", EXAMPLE.replace('\n', "\r\n")),
        ("trailing spaces", EXAMPLE.replace('\n', "  \n")),
    ] {
        let (found, code) = findings(&config, "");
        assert!(has(&found, "lost-indentation", "~/.aws/config:12"), "{variant}: {found:?}");
        assert!(has(&found, "cli-rejects-source", "~/.aws/config:2"), "{variant}: {found:?}");
        assert_eq!(code, Some(1), "{variant}: an error fails the run");
    }
    let home = home_with(EXAMPLE, "");
    let out = run(awsenv(home.path()).arg("lint"));
    let text = stdout(&out);
    assert!(text.contains("error: ~/.aws/config:12: `endpoint_url` under `ec2 =` is not indented"), "{text}");
    assert!(text.contains("fix: indent it: `  endpoint_url = https://profile-b-ec2-endpoint.aws`"), "{text}");
    assert!(stderr(&out).contains("1 error and 1 warning"), "{}", stderr(&out));
    let out = run(awsenv(home.path()).args(["lint", "A"]));
    assert!(out.status.success(), "only A's findings, a warning: {}", stdout(&out));
}

#[test]
fn every_rule_from_a_small_config() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("[profile p]\nregoin = eu-west-1\n", "", "unknown-key", "~/.aws/config:2"),
        ("[profile p]\nrole_arm = arn:aws:iam::1:role/r\n", "", "unknown-key", "~/.aws/config:2"),
        ("[profile p]\nsso_sesion = corp\n", "", "unknown-key", "~/.aws/config:2"),
        ("[profile p]\ns3 =\naddressing_style = path\n", "", "lost-indentation", "~/.aws/config:3"),
        ("[services s]\nregion = x\n", "", "lost-indentation", "~/.aws/config:2"),
        (
            "",
            "[profile x]\naws_access_key_id = A\naws_secret_access_key = s\n",
            "profile-prefix-in-credentials",
            "~/.aws/credentials:1",
        ),
        ("[default]\nregion = a\n[profile default]\nregion = b\n", "", "default-twice", "~/.aws/config:1"),
        (
            "[profile p]\nregion = eu-west-1\n",
            "[p]\nregion = us-east-1\naws_access_key_id = A\naws_secret_access_key = s\n",
            "both-files-disagree",
            "~/.aws/credentials:2",
        ),
        ("[profile p]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = nowhere\n", "", "unresolvable", ""),
        (
            "[profile a]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = a\n",
            "",
            "unresolvable",
            "",
        ),
        (
            "[profile base]\naws_access_key_id = A\naws_secret_access_key = s\n[profile r1]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\n\
             [profile r2]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = r1\nduration_seconds = 7200\n",
            "",
            "unresolvable",
            "",
        ),
        (
            "[profile p]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = q\ncredential_source = Environment\n[profile q]\nregion = x\n",
            "",
            "unresolvable",
            "",
        ),
        (
            "[profile p]\nlogin_session = arn:aws:iam::1:user/me\n",
            "[p]\naws_access_key_id = A\naws_secret_access_key = s\n",
            "keys-win",
            "~/.aws/config:2",
        ),
        ("[profile p]\naws_access_key_id = A\naws_secret_access_key = s\n", "", "secret-in-config", "~/.aws/config:3"),
        ("[profile p]\nregion = x\nawsenv_browsr = firefox\n", "", "unknown-key", "~/.aws/config:3"),
    ];
    for (config, credentials, rule, at) in cases {
        let (found, _) = findings(config, credentials);
        assert!(found.iter().any(|(r, a)| r == rule && a == at), "{rule} at {at:?} not in {found:?} for:\n{config}");
    }
    // A credentials file others can read.
    let home = home_with("", "[p]\naws_access_key_id = A\naws_secret_access_key = s\n");
    std::fs::set_permissions(home.path().join(".aws/credentials"), std::os::unix::fs::PermissionsExt::from_mode(0o644))
        .unwrap();
    let out = run(awsenv(home.path()).args(["lint", "--json"]));
    assert!(stdout(&out).contains("\"credentials-readable\""), "{}", stdout(&out));
    assert!(!stdout(&out).contains("\"s\""), "no secret in a finding");
}

#[test]
fn what_is_fine_is_not_flagged() {
    let config = "[default]\nregion = eu-north-1\n\n[profile tools]\nmfa_process = ykman oath accounts code\ngranted_sso_start_url = https://x\n\
                  awsenv_note = mine\nawsenv_browser = firefox\nawsenv_container = true\nawsenv_browser_profile = w\naws_account_id = 1\nregion = us-west-2\ncli_pager =\n\
                  s3 =\n  addressing_style = path\n\n[services ok]\nec2 =\n  endpoint_url = http://127.0.0.1:1\n";
    let (found, code) = findings(config, "[tools]\naws_access_key_id = A\naws_secret_access_key = s\n");
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(code, Some(0));
}

#[test]
fn explain_says_what_the_example_does_to_endpoints() {
    let home = home_with(EXAMPLE, "");
    let out = run(awsenv(home.path()).args(["explain", "B"]).env("AWS_REGION", "eu-west-1"));
    let text = stdout(&out);
    for want in [
        "services profileB (~/.aws/config:8): no service in it has an endpoint_url",
        "not inherited: endpoint_url of profile A (~/.aws/config:3) applies to A's own use only, not to B",
        "error: ~/.aws/config:12: `endpoint_url` under `ec2 =` is not indented",
        "warning: ~/.aws/config:2: profile \"A\" is a source_profile with credential_source but no role_arn",
        "AWS_REGION=eu-west-1 in this environment wins for awsenv's own calls",
        "STS calls for the role steps go to https://sts.eu-west-1.amazonaws.com",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    // Fixed, the endpoint is there and the error is gone.
    let fixed = EXAMPLE.replace("\nendpoint_url = https://profile-b", "\n  endpoint_url = https://profile-b");
    let home = home_with(&fixed, "");
    let text = stdout(&run(awsenv(home.path()).args(["explain", "B"])));
    assert!(text.contains("ec2 -> https://profile-b-ec2-endpoint.aws (~/.aws/config:11)"), "{text}");
    assert!(!text.contains("error:"), "{text}");
}
