//! A profile's own variables (`awsenv_env`): exported by `use` through each shell's wrapper,
//! taken away on a switch and by `unset` with the user's own value given back; refused and
//! warned about by `lint` at their line; shown by `explain`; given to `exec`'s command; and read
//! past by botocore and the AWS CLI v1, which ignore the key.

mod support;

use std::collections::BTreeMap;
use std::process::Command;

use support::shells::through_the_wrapper;
use support::{awsenv, home_with, python_has, run, stderr, stdout};

const CONFIG: &str = "\
[profile prod]
region = eu-west-1
awsenv_env =
  TF_WORKSPACE = prod
  KUBECONFIG = ~/.kube/prod.yaml
  QUOTED = it's \"$HOME\" `id` $(id) ; x

[profile dev]
awsenv_env =
  TF_WORKSPACE = dev

[profile bare]
region = us-east-1
";

const CREDENTIALS: &str = "\
[prod]
aws_access_key_id = AKIDPROD
aws_secret_access_key = secret-prod

[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = secret-dev

[bare]
aws_access_key_id = AKIDBARE
aws_secret_access_key = secret-bare
";

/// The steps every shell runs through its wrapper, with the environment read after each.
const STEPS: &[&str] = &["use prod", "use dev", "use bare", "use prod", "unset"];

#[test]
fn the_profiles_variables_follow_use_switch_and_unset_in_every_shell() {
    let home = home_with(CONFIG, CREDENTIALS);
    let kube = format!("{}/.kube/prod.yaml", home.path().display());
    let home_dir = home.path().display().to_string();
    let env = [
        ("HOME", home_dir.clone()),
        ("AWSENV_CACHE_DIR", format!("{home_dir}/.cache/awsenv")),
        ("TF_WORKSPACE", "mine".to_owned()),
        ("USER_OWN", "untouched".to_owned()),
    ];
    for shell in ["bash", "zsh", "fish", "elvish", "nu"] {
        let Some(steps) = through_the_wrapper(shell, &env, STEPS) else { continue };
        let at = |i: usize| steps[i].clone();
        let get = |env: &BTreeMap<String, String>, name: &str| env.get(name).cloned();

        let prod = at(0);
        assert_eq!(get(&prod, "TF_WORKSPACE").as_deref(), Some("prod"), "{shell}");
        assert_eq!(get(&prod, "KUBECONFIG").as_deref(), Some(kube.as_str()), "{shell}: ~/ is the home directory");
        assert_eq!(get(&prod, "QUOTED").as_deref(), Some("it's \"$HOME\" `id` $(id) ; x"), "{shell}: taken literally");
        assert_eq!(get(&prod, "AWS_ACCESS_KEY_ID").as_deref(), Some("AKIDPROD"), "{shell}");

        let dev = at(1);
        assert_eq!(get(&dev, "TF_WORKSPACE").as_deref(), Some("dev"), "{shell}");
        assert_eq!(get(&dev, "KUBECONFIG"), None, "{shell}: prod's variable is gone on the switch");
        assert_eq!(get(&dev, "QUOTED"), None, "{shell}");

        let bare = at(2);
        assert_eq!(get(&bare, "TF_WORKSPACE").as_deref(), Some("mine"), "{shell}: the user's own value is back");
        assert_eq!(get(&bare, "AWS_ACCESS_KEY_ID").as_deref(), Some("AKIDBARE"), "{shell}");
        assert!(!bare.keys().any(|k| k.starts_with("AWSENV_USER_")), "{shell}: nothing left saved");

        let unset = at(4);
        assert_eq!(get(&unset, "TF_WORKSPACE").as_deref(), Some("mine"), "{shell}: unset gives it back");
        for gone in ["KUBECONFIG", "QUOTED", "AWS_ACCESS_KEY_ID", "AWSENV_PROFILE", "AWSENV_VARS"] {
            assert_eq!(get(&unset, gone), None, "{shell}: {gone} after unset");
        }
        for env in [prod, dev, bare, unset] {
            assert_eq!(get(&env, "USER_OWN").as_deref(), Some("untouched"), "{shell}");
        }
    }
}

#[test]
fn powershell_gets_the_same_variables_quoted_for_it() {
    let home = home_with(CONFIG, CREDENTIALS);
    let out = run(awsenv(home.path())
        .env("AWSENV_CONFIG_COPY", "off")
        .env("TF_WORKSPACE", "mine")
        .args(["use", "prod", "--shell", "pwsh", "--print"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let kube = format!("{}/.kube/prod.yaml", home.path().display());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    for expected in [
        "$env:AWSENV_USER_TF_WORKSPACE = 'mine'".to_owned(),
        "$env:TF_WORKSPACE = 'prod'".to_owned(),
        format!("$env:KUBECONFIG = '{kube}'"),
        "$env:QUOTED = 'it''s \"$HOME\" `id` $(id) ; x'".to_owned(),
    ] {
        assert!(lines.contains(&expected.as_str()), "missing {expected:?} in:\n{text}");
    }
    let vars = lines.iter().find(|l| l.starts_with("$env:AWSENV_VARS = ")).expect("AWSENV_VARS is set");
    for name in ["TF_WORKSPACE", "KUBECONFIG", "QUOTED"] {
        assert!(vars.contains(name), "{vars}");
    }
}

#[test]
fn exec_gives_the_command_the_profiles_variables() {
    let home = home_with(CONFIG, CREDENTIALS);
    let out = run(awsenv(home.path()).env("TF_WORKSPACE", "mine").args(["exec", "prod", "--", "env"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.lines().any(|l| l == "TF_WORKSPACE=prod"), "{text}");
    assert!(!text.contains("AWSENV_USER_"), "a child never gets the saved values: {text}");
}

#[test]
fn bad_names_and_values_are_refused_at_their_line_and_secrets_are_warned_about() {
    let config = "\
[profile p]
aws_access_key_id = AKIDP
aws_secret_access_key = secret
awsenv_env =
  TF_WORKSPACE = ok
# a comment inside the block
  AWS_REGION = eu-west-1

[profile q]
aws_access_key_id = AKIDQ
aws_secret_access_key = secret
awsenv_env =
  GITHUB_TOKEN = ghp_x
  NOTE = AKIAIOSFODNN7EXAMPLE
  PATHS = fine

[profile r]
aws_access_key_id = AKIDR
aws_secret_access_key = secret
awsenv_env =
  LD_PRELOAD = /tmp/x.so
";
    let home = home_with(config, "");
    let out = run(awsenv(home.path()).args(["use", "p", "--print"]));
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("AWS_REGION is an AWS setting") && err.contains("config:4"), "{err}");

    let out = run(awsenv(home.path()).args(["use", "r", "--print"]));
    assert!(!out.status.success() && out.stdout.is_empty());
    assert!(stderr(&out).contains("program loader"), "{}", stderr(&out));

    let out = run(awsenv(home.path()).args(["lint", "--json"]));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let find = |rule: &str, line: u32| {
        let at = format!("~/.aws/config:{line}");
        findings.iter().any(|f| f["rule"] == rule && f["at"] == at.as_str())
    };
    assert!(find("profile-env", 7), "AWS_REGION at its own line 7 (after the comment): {findings:#?}");
    assert!(find("profile-env", 21), "LD_PRELOAD at line 21: {findings:#?}");
    assert!(find("secret-in-profile-env", 13), "GITHUB_TOKEN: {findings:#?}");
    assert!(find("secret-in-profile-env", 14), "a key id: {findings:#?}");
    assert!(!find("secret-in-profile-env", 15), "PATHS is no secret: {findings:#?}");
    assert!(!findings.iter().any(|f| f["rule"] == "unresolvable"), "said once, by profile-env: {findings:#?}");
}

#[test]
fn explain_shows_each_variable_with_its_line_and_that_a_source_profiles_are_not_inherited() {
    let config = "\
[profile base]
awsenv_env =
  TF_WORKSPACE = base

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = base
awsenv_env =
  TF_WORKSPACE = admin

  DB_PASSWORD = hunter2
";
    let home = home_with(config, "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n");
    let out = run(awsenv(home.path()).args(["explain", "admin"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("TF_WORKSPACE=admin\n     from awsenv_env of profile admin (~/.aws/config:9)"), "{text}");
    assert!(text.contains("from awsenv_env of profile admin (~/.aws/config:11)"), "the blank line is counted: {text}");
    assert!(!text.contains("hunter2"), "what looks like a secret is not shown: {text}");
    assert!(text.contains("(not inherited)") && text.contains("~/.aws/config:2"), "{text}");
}

#[test]
fn botocore_and_the_aws_cli_v1_read_a_config_with_awsenv_env() {
    if !python_has("botocore") || !python_has("awscli") {
        return;
    }
    let home = home_with(CONFIG, CREDENTIALS);
    let script = "\
import botocore.session
s = botocore.session.Session(profile='prod')
c = s.get_credentials()
print(c.access_key, s.get_config_variable('region'))
";
    let env = |cmd: &mut Command| {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("AWS_EC2_METADATA_DISABLED", "true");
    };
    let mut python = Command::new("python3");
    env(&mut python);
    let out = python.args(["-c", script]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "AKIDPROD eu-west-1");

    let mut cli = Command::new("python3");
    env(&mut cli);
    let out = cli.args(["-m", "awscli", "configure", "get", "region", "--profile", "prod"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "eu-west-1");
    let mut cli = Command::new("python3");
    env(&mut cli);
    let out = cli.args(["-m", "awscli", "configure", "list", "--profile", "prod"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("****************PROD"));
}
