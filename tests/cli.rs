//! The command-line contract: what goes to stdout, what goes to stderr, exit codes, and the
//! shape of every error, checked on the real binary.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use support::{awsenv, home_with, run, stderr, stdout};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";

const CONFIG: &str = "\
[default]
region = us-east-1

[profile dev]
region = eu-west-1
output = json
endpoint_url = http://127.0.0.1:4566
services = local

[services local]
s3 =
  endpoint_url = http://127.0.0.1:9000
elastic-beanstalk =
  endpoint_url = http://127.0.0.1:9001

[profile prod]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = default
mfa_serial = arn:aws:iam::123456789012:mfa/me

[profile loop-a]
role_arn = arn:aws:iam::123456789012:role/a
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::123456789012:role/b
source_profile = loop-a

[profile half]
aws_access_key_id = AKIDHALF

[profile corp-sso]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = PowerUser
";

fn credentials() -> String {
    format!(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {SECRET}\n\n[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\naws_account_id = 210987654321\n"
    )
}

/// Every failing invocation: exit code, empty stdout, one line on stderr that names the profile,
/// no secret anywhere.
fn assert_fails(out: &std::process::Output, code: i32, must_contain: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(out.stdout.is_empty(), "stdout must be empty on error, got {:?}", stdout(out));
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.starts_with("awsenv: "), "{err}");
    for word in must_contain {
        assert!(err.contains(word), "{err:?} should contain {word:?}");
    }
    assert!(!err.contains(SECRET) && !err.contains(TOKEN), "a secret leaked: {err}");
}

/// The output with the path of awsenv's copy of the config (in the cache, named after the file's
/// stamp) as `<copy>`, once it is checked to be there.
fn with_copy_placeholder(text: &str, home: &std::path::Path) -> String {
    let start = text.find("AWS_CONFIG_FILE='").expect("AWS_CONFIG_FILE is exported") + "AWS_CONFIG_FILE='".len();
    let end = start + text[start..].find('\'').unwrap();
    let path = &text[start..end];
    assert!(path.starts_with(&format!("{}/.cache/awsenv/config-", home.display())), "{path}");
    assert!(std::fs::read_to_string(path).unwrap().contains("\n[default]\n"), "{path}");
    format!("{}<copy>{}", &text[..start], &text[end..])
}

#[test]
fn use_exports_keys_region_and_the_config_copy_in_a_fixed_order() {
    let home = home_with(CONFIG, &credentials());
    let out = run(awsenv(home.path()).args(["use", "dev"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stderr.is_empty());
    let expected = format!(
        "export AWS_ACCESS_KEY_ID='AKIDDEV'
export AWS_SECRET_ACCESS_KEY='{SECRET}'
export AWS_SESSION_TOKEN='{TOKEN}'
export AWS_ACCOUNT_ID='210987654321'
export AWS_REGION='eu-west-1'
export AWS_DEFAULT_REGION='eu-west-1'
export AWS_CONFIG_FILE='<copy>'
export AWSENV_PROFILE='dev'
export AWSENV_VARS='AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ACCOUNT_ID AWS_REGION AWS_DEFAULT_REGION AWS_CONFIG_FILE'
unset AWS_CREDENTIAL_EXPIRATION
unset AWSENV_EXPIRES_AT
unset AWS_PROFILE
"
    );
    assert_eq!(with_copy_placeholder(&stdout(&out), home.path()), expected);
    // Without the copy, every setting with an environment twin is exported instead.
    let out = run(awsenv(home.path()).args(["use", "dev"]).env("AWSENV_CONFIG_COPY", "off"));
    let text = stdout(&out);
    for line in [
        "export AWS_ENDPOINT_URL='http://127.0.0.1:4566'\n",
        "export AWS_DEFAULT_OUTPUT='json'\n",
        "export AWS_ENDPOINT_URL_ELASTIC_BEANSTALK='http://127.0.0.1:9001'\n",
        "export AWS_ENDPOINT_URL_S3='http://127.0.0.1:9000'\n",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert!(!text.contains("AWS_CONFIG_FILE"), "{text}");
}

#[test]
fn export_profile_and_region_override() {
    let home = home_with(CONFIG, &credentials());
    let out = run(awsenv(home.path()).args(["use", "dev", "--export-profile", "--region", "ap-south-1"]));
    let text = stdout(&out);
    assert!(text.contains("export AWS_PROFILE='dev'\n"), "{text}");
    assert!(text.contains("export AWS_REGION='ap-south-1'\n"), "{text}");
    assert!(!text.contains("unset AWS_PROFILE"), "{text}");
}

#[test]
fn json_and_dotenv_formats() {
    let home = home_with(CONFIG, &credentials());
    let out = run(awsenv(home.path()).args(["use", "default", "--format", "json"]));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["AWS_SECRET_ACCESS_KEY"], SECRET);
    assert_eq!(value["AWS_SESSION_TOKEN"], serde_json::Value::Null);
    let out = run(awsenv(home.path()).args(["use", "default", "--format", "dotenv"]));
    assert_eq!(
        with_copy_placeholder(&stdout(&out), home.path()),
        format!(
            "AWS_ACCESS_KEY_ID='AKIAIOSFODNN7EXAMPLE'\nAWS_SECRET_ACCESS_KEY='{SECRET}'\nAWS_REGION='us-east-1'\nAWS_DEFAULT_REGION='us-east-1'\nAWS_CONFIG_FILE='<copy>'\nAWSENV_PROFILE='default'\nAWSENV_VARS='AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION AWS_DEFAULT_REGION AWS_CONFIG_FILE'\n"
        )
    );
}

#[test]
fn unset_removes_what_use_recorded_and_the_credentials() {
    let home = home_with(CONFIG, &credentials());
    let out =
        run(awsenv(home.path()).arg("unset").env("AWSENV_VARS", "AWS_REGION AWS_ENDPOINT_URL_S3 PATH HOME;rm AWS_X=1"));
    assert_eq!(
        stdout(&out),
        "unset AWS_ACCESS_KEY_ID\nunset AWS_SECRET_ACCESS_KEY\nunset AWS_SESSION_TOKEN\nunset AWS_CREDENTIAL_EXPIRATION\nunset AWS_ACCOUNT_ID\nunset AWS_REGION\nunset AWS_ENDPOINT_URL_S3\nunset AWSENV_PROFILE\nunset AWSENV_EXPIRES_AT\nunset AWSENV_VARS\nunset AWSENV_PREVIOUS\nunset AWSENV_ROLES\nunset AWSENV_SHOWN\n",
        "a forged AWSENV_VARS must not reach PATH or HOME"
    );
}

#[test]
fn unknown_profiles_suggest_near_misses() {
    let home = home_with(CONFIG, &credentials());
    let out = run(awsenv(home.path()).args(["use", "prdo"]));
    assert_fails(
        &out,
        1,
        &["profile \"prdo\"", "not found in ~/.aws/config or ~/.aws/credentials", "did you mean \"prod\""],
    );
}

#[test]
fn planning_errors_cite_file_and_line() {
    let home = home_with(CONFIG, &credentials());
    assert_fails(
        &run(awsenv(home.path()).args(["use", "loop-a"])),
        1,
        &["profile \"loop-a\"", "loop-a -> loop-b -> loop-a", "~/.aws/config:"],
    );
    assert_fails(
        &run(awsenv(home.path()).args(["use", "half"])),
        1,
        &["profile \"half\"", "no aws_secret_access_key", "~/.aws/config:30", "hint:"],
    );
}

#[test]
fn syntax_errors_name_the_profile_and_the_line() {
    let home = home_with("[profile a]\nregion = x\nnot a property\n", "");
    assert_fails(
        &run(awsenv(home.path()).args(["use", "a"])),
        1,
        &["profile \"a\"", "~/.aws/config:3", "Expected an '=' sign"],
    );
}

#[test]
fn unreadable_and_misplaced_files_are_clear_errors() {
    let home = home_with(CONFIG, &credentials());
    let dir = home.path().join("adir");
    std::fs::create_dir(&dir).unwrap();
    assert_fails(&run(awsenv(home.path()).args(["use", "dev"]).env("AWS_CONFIG_FILE", &dir)), 1, &["is a directory"]);
    let bad = home.path().join("latin1");
    std::fs::write(&bad, b"[profile a]\nregion = caf\xe9\n").unwrap();
    assert_fails(
        &run(awsenv(home.path()).args(["use", "a"]).env("AWS_CONFIG_FILE", &bad)),
        1,
        &["latin1:2: not valid UTF-8"],
    );
    let dangling = home.path().join("dangling");
    std::os::unix::fs::symlink(home.path().join("nowhere"), &dangling).unwrap();
    let out = run(awsenv(home.path()).args(["use", "dev"]).env("AWS_CONFIG_FILE", &dangling));
    assert_fails(&out, 1, &["profile \"dev\"", "dangling is a symbolic link to a file that does not exist"]);
}

#[test]
fn files_are_found_through_the_environment_with_tilde_expanded() {
    let home = home_with("", "");
    std::fs::write(home.path().join("elsewhere"), "[profile x]\nregion = r\n").unwrap();
    std::fs::write(
        home.path().join("creds"),
        format!("[x]\naws_access_key_id = AKIDX\naws_secret_access_key = {SECRET}\n"),
    )
    .unwrap();
    let out = run(awsenv(home.path())
        .args(["use", "x"])
        .env("AWS_CONFIG_FILE", "~/elsewhere")
        .env("AWS_SHARED_CREDENTIALS_FILE", "~/creds"));
    assert!(stdout(&out).contains("export AWS_ACCESS_KEY_ID='AKIDX'"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2_with_empty_stdout() {
    let home = home_with(CONFIG, &credentials());
    for args in [&["use", "dev", "--shell", "cmd.exe"][..], &["frobnicate"], &["use", "--format", "xml"]] {
        let out = run(awsenv(home.path()).args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert_fails(&run(awsenv(home.path()).args(["use", ""])), 2, &["empty"]);
}

#[test]
fn a_bare_command_prints_its_help_on_several_lines_of_stderr() {
    let home = home_with(CONFIG, &credentials());
    for (args, first) in [
        (&[][..], "Turn an AWS CLI profile into environment variables"),
        (&["sso"][..], "IAM Identity Center at organisation scale"),
        (&["keys"][..], "Long-term access keys in a secret store"),
    ] {
        let out = run(awsenv(home.path()).args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout, which may be eval'd");
        let err = stderr(&out);
        assert!(err.starts_with(first), "{args:?}: {err}");
        assert!(err.lines().count() > 8, "{args:?}: the usual help: {err}");
        assert!(err.contains("\nUsage: awsenv") && err.contains("\nCommands:\n"), "{err}");
    }
}

#[test]
fn an_sso_profile_without_a_login_fails_cleanly() {
    let home = home_with(CONFIG, &credentials());
    assert_fails(
        &run(awsenv(home.path()).args(["use", "corp-sso"])),
        1,
        &["profile \"corp-sso\"", "no SSO login", "~/.aws/config:33", "awsenv login corp-sso"],
    );
}

#[test]
fn an_mfa_role_never_prompts_without_a_terminal_or_from_the_hook() {
    let home = home_with(CONFIG, &credentials());
    assert_fails(
        &run(awsenv(home.path()).args(["use", "prod"])),
        1,
        &["profile \"prod\"", "arn:aws:iam::123456789012:mfa/me", "no terminal", "--mfa-code"],
    );
    assert_fails(
        &run(awsenv(home.path()).args(["use", "prod", "--hook"])),
        1,
        &["profile \"prod\"", "needs a code", "in a terminal"],
    );
    assert_fails(&run(awsenv(home.path()).args(["use", "prod", "--mfa-code", "12345x"])), 2, &["6 digits"]);
}

#[test]
fn list_shows_kind_region_and_origin_without_secrets() {
    let home = home_with(CONFIG, &credentials());
    let out = run(awsenv(home.path()).arg("list"));
    let text = stdout(&out);
    assert!(out.status.success());
    assert!(!text.contains(SECRET) && !text.contains(TOKEN) && !text.contains("AKIAIOSFODNN7EXAMPLE"));
    let line = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} missing:\n{text}"))
            .to_owned()
    };
    assert!(
        line("dev").contains("static") && line("dev").contains("eu-west-1") && line("dev").contains("(+credentials)")
    );
    assert!(line("prod").contains("role/static"));
    assert!(line("loop-a").contains("invalid"));
    let out = run(awsenv(home.path()).args(["list", "--json"]));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["default", "dev", "prod", "loop-a", "loop-b", "half", "corp-sso"]);
    assert_eq!(rows[1]["files"], serde_json::json!(["config", "credentials"]));
}

#[test]
fn explain_cites_every_step_and_shows_no_secret() {
    let home = home_with(CONFIG, &credentials());
    let out = run(awsenv(home.path()).args(["explain", "prod"]));
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    for want in [
        "static keys",
        "****MPLE",
        "from profile default (~/.aws/credentials:2)",
        "assume role arn:aws:iam::123456789012:role/admin",
        "~/.aws/config:17",
        "mfa device: arn:aws:iam::123456789012:mfa/me",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
    assert!(!text.contains(SECRET) && !text.contains("AKIAIOSFODNN7EXAMPLE"));
    let out = run(awsenv(home.path()).args(["explain", "dev", "--json"]));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["steps"][0]["session_token"], "yes");
    assert!(!stdout(&out).contains(TOKEN));
    // The service endpoints reach the SDKs through the [default] of awsenv's copy of the config.
    let endpoint =
        value["exports"].as_array().unwrap().iter().find(|e| e["value"] == "s3 endpoint_url = http://127.0.0.1:9000");
    assert_eq!(endpoint.unwrap()["variable"], "[default] of the copy", "{value}");
    let out = run(awsenv(home.path()).args(["explain", "dev", "--json"]).env("AWSENV_CONFIG_COPY", "off"));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let endpoint =
        value["exports"].as_array().unwrap().iter().find(|e| e["variable"] == "AWS_ENDPOINT_URL_S3").unwrap();
    assert_eq!(endpoint["value"], "http://127.0.0.1:9000");
}

fn process_config(home: &Path, script: &str) {
    let bin = home.join("cred-process");
    std::fs::write(&bin, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(home.join(".aws/config"), format!("[profile p]\ncredential_process = {} --flag\n", bin.display()))
        .unwrap();
}

#[test]
fn credential_process_results_are_cached_until_near_expiry() {
    let home = home_with("", "");
    let count = home.path().join("count");
    process_config(
        home.path(),
        &format!(
            "echo run >> {}\necho '{{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":\"{SECRET}\",\"SessionToken\":\"{TOKEN}\",\"Expiration\":\"2099-01-01T00:00:00Z\"}}'",
            count.display()
        ),
    );
    for _ in 0..3 {
        let out = run(awsenv(home.path()).args(["use", "p"]));
        assert!(stdout(&out).contains("export AWS_CREDENTIAL_EXPIRATION='2099-01-01T00:00:00Z'"), "{}", stderr(&out));
        assert!(stdout(&out).contains("export AWSENV_EXPIRES_AT='4070908800'"));
    }
    assert_eq!(std::fs::read_to_string(&count).unwrap().lines().count(), 1, "one run for three uses");
    run(awsenv(home.path()).args(["use", "p", "--refresh"]));
    run(awsenv(home.path()).args(["use", "p", "--no-cache"]));
    assert_eq!(std::fs::read_to_string(&count).unwrap().lines().count(), 3);
    let cache = home.path().join(".cache/awsenv");
    assert_eq!(std::fs::metadata(&cache).unwrap().permissions().mode() & 0o777, 0o700);
    for entry in std::fs::read_dir(&cache).unwrap() {
        let entry = entry.unwrap();
        assert_eq!(entry.metadata().unwrap().permissions().mode() & 0o777, 0o600, "{:?}", entry.path());
    }
}

#[test]
fn credential_process_failures_are_one_line_errors() {
    let home = home_with("", "");
    process_config(home.path(), "echo 'diagnostic from the tool' >&2; exit 7");
    let out = run(awsenv(home.path()).args(["use", "p"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("diagnostic from the tool"), "the process's stderr passes through: {err}");
    assert!(err.lines().last().unwrap().contains("credential_process (~/.aws/config:2) exited with status 7"), "{err}");

    process_config(
        home.path(),
        &format!("echo '{{\"Version\":1,\"AccessKeyId\":\"AKID\",\"SecretAccessKey\":\"{SECRET}\"'"),
    );
    assert_fails(&run(awsenv(home.path()).args(["use", "p"])), 1, &["profile \"p\"", "not JSON", "~/.aws/config:2"]);

    process_config(home.path(), "sleep 30");
    let started = std::time::Instant::now();
    assert_fails(
        &run(awsenv(home.path()).args(["use", "p"]).env("AWSENV_PROCESS_TIMEOUT", "0.5")),
        1,
        &["did not finish within 0.5 s"],
    );
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn environment_source_refuses_keys_awsenv_exported() {
    let home = home_with(
        "[profile e]\ncredential_source = Environment\nrole_arn = arn:aws:iam::1:role/r\n[profile plain-env]\ncredential_source = Environment\n",
        "",
    );
    std::fs::write(home.path().join(".aws/config"), "[profile e]\ncredential_source = Environment\n").unwrap();
    let out = run(awsenv(home.path())
        .args(["use", "e"])
        .env("AWS_ACCESS_KEY_ID", "AKIDENV")
        .env("AWS_SECRET_ACCESS_KEY", SECRET));
    assert!(stdout(&out).contains("export AWS_ACCESS_KEY_ID='AKIDENV'"), "{}", stderr(&out));
    let out = run(awsenv(home.path())
        .args(["use", "e"])
        .env("AWS_ACCESS_KEY_ID", "AKIDENV")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWSENV_VARS", "AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY")
        .env("AWSENV_PROFILE", "other"));
    assert_fails(&out, 1, &["exported for profile \"other\"", "awsenv unset"]);
    assert_fails(&run(awsenv(home.path()).args(["use", "e"])), 1, &["AWS_ACCESS_KEY_ID is not set"]);
}

#[test]
fn a_cache_directory_owned_by_someone_else_is_refused() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc_geteuid() } != 0 {
        eprintln!("skipping: needs root to create a directory owned by another user");
        return;
    }
    let home = home_with("", "");
    process_config(
        home.path(),
        &format!(
            "echo '{{\"Version\":1,\"AccessKeyId\":\"AKID\",\"SecretAccessKey\":\"{SECRET}\",\"Expiration\":\"2099-01-01T00:00:00Z\"}}'"
        ),
    );
    let cache = home.path().join("foreign");
    std::fs::create_dir(&cache).unwrap();
    std::os::unix::fs::chown(&cache, Some(65534), Some(65534)).unwrap();
    assert_fails(
        &run(awsenv(home.path()).args(["use", "p"]).env("AWSENV_CACHE_DIR", &cache)),
        1,
        &["belongs to uid 65534", "AWSENV_CACHE_DIR"],
    );
}

unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

#[test]
fn prompt_reads_only_the_environment() {
    let home = home_with("", "");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let out = run(awsenv(home.path())
        .arg("prompt")
        .env("AWSENV_PROFILE", "prod")
        .env("AWSENV_EXPIRES_AT", (now + 42 * 60 + 30).to_string()));
    assert_eq!(stdout(&out), "prod 42m\n");
    let out = run(awsenv(home.path())
        .args(["prompt", "--format", "☁ {profile} ({left})"])
        .env("AWSENV_PROFILE", "prod")
        .env("AWSENV_EXPIRES_AT", "1"));
    assert_eq!(stdout(&out), "☁ prod (expired)\n");
    let out = run(awsenv(home.path()).arg("prompt").env("AWS_CONFIG_FILE", "/nonexistent/dir"));
    assert!(
        out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(),
        "no profile: nothing, and no file read"
    );
}

#[test]
fn profile_names_complete_from_the_headers() {
    let home = home_with(CONFIG, &credentials());
    let out = run(awsenv(home.path()).args(["__complete", "profiles"]));
    assert_eq!(stdout(&out), "default\ndev\nprod\nloop-a\nloop-b\nhalf\ncorp-sso\n");
    let out = run(awsenv(home.path()).args(["__complete", "profiles", "loop"]));
    assert_eq!(stdout(&out), "loop-a\nloop-b\n");
    std::fs::write(
        home.path().join(".aws/config"),
        "[sso-session corp]\n[profile a]\n[sso-session dev] ; c\n[profile  in valid]\n",
    )
    .unwrap();
    assert_eq!(stdout(&run(awsenv(home.path()).args(["__complete", "sso-sessions"]))), "corp\ndev\n");
}

#[test]
fn a_bare_use_off_a_terminal_is_a_usage_error() {
    let home = support::home_with("[profile dev]\naws_access_key_id = AKID\naws_secret_access_key = s\n", "");
    let out = support::awsenv(home.path()).arg("use").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a profile name") && err.contains("picker opens only on a terminal"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn explain_of_a_settings_only_default_says_what_it_sets_and_that_it_has_no_credentials() {
    let home = home_with("[default]\nregion = eu-west-1\noutput = json\n\n[profile x]\nregion = us-east-1\n", "");
    let out = run(awsenv(home.path()).arg("explain"));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("profile default (~/.aws/config:1)\ncredentials: none"), "{text}");
    assert!(text.contains("  region = eu-west-1\n     from ~/.aws/config:2\n"), "{text}");
    let out = run(awsenv(home.path()).args(["explain", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["credentials"], serde_json::Value::Null);
    assert_eq!(v["settings"][1]["key"], "output");
}

#[test]
fn a_shell_whose_profile_is_gone_is_told_so_and_how_to_pick_another() {
    let home = home_with(
        "[profile Account-A/Admin]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n",
        "",
    );
    let out = run(awsenv(home.path())
        .args(["use", "--hook", "--", "Account-B/Admin"])
        .env("AWSENV_PROFILE", "Account-B/Admin"));
    assert_fails(
        &out,
        1,
        &["profile \"Account-B/Admin\"", "the profile this shell acts as is no longer in", "awsenv use"],
    );
    assert!(!stderr(&out).contains("did you mean"), "no odd suggestions: {}", stderr(&out));
}

#[test]
fn names_the_sdks_ignore_are_said_to_be_so_and_empty_values_are_unset() {
    let home = home_with(
        "[profile my team]\nregion = x\n\n[profile naïve.dev]\nregion = y\n\n\
         [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nrole_session_name =\nduration_seconds =\n\n\
         [profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n",
        "[base]\naws_secret_access_key = s\n",
    );
    for name in ["my team", "naïve.dev"] {
        let out = run(awsenv(home.path()).args(["use", name]));
        assert_fails(&out, 1, &["is not a profile name the SDKs accept", "ASCII letters, digits and _-/.%@:+"]);
        assert!(!stderr(&out).contains("not found") && !stderr(&out).contains("aws configure"), "{}", stderr(&out));
    }
    let out = run(awsenv(home.path()).arg("lint"));
    let report = format!("{}{}", stdout(&out), stderr(&out));
    assert!(report.contains("~/.aws/config:1: profile name \"my team\" is not one the SDKs accept"), "{report}");
    assert!(report.contains("~/.aws/config:4: profile name \"naïve.dev\""), "{report}");
    // `role_session_name =` and `duration_seconds =` left empty are unset, as in both SDKs.
    let out = run(awsenv(home.path()).args(["explain", "role"]));
    assert!(out.status.success(), "{}", stderr(&out));
    // Keys split across the files: awsenv merges them, and explain says the SDKs do not.
    let out = run(awsenv(home.path()).args(["explain", "base"]));
    assert!(stdout(&out).contains("the key id and the secret are in different files"), "{}", stdout(&out));
}
