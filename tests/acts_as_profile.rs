//! "This shell now acts as profile X": every SDK in the shell that `use X` made behaves as it
//! would with `AWS_PROFILE=X` (region, per-service endpoints, retry and s3 settings, FIPS, STS
//! endpoints, CA bundle), except that its credentials are the ones awsenv exported — on generated
//! homes whose `[default]` carries settings of every kind. Checked with botocore (PyPI) and the
//! AWS SDK for JavaScript v3 (npm), in bash, zsh and fish; `aws --profile other` in that shell
//! still resolves `other` from the user's files; and X → Y → `unset` gives back the user's own
//! environment exactly.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::shells::find;

const BIN: &str = env!("CARGO_BIN_EXE_awsenv");
/// Generated homes for botocore, each with three profiles.
const HOMES: u64 = 10;

/// For each captured environment (a file of `env -0` output, or a map), what botocore makes of
/// it: with `profile` given, as `Session(profile=...)`, the same as `aws --profile`.
const BOTOCORE_REPORT: &str = r#"
import json, os, sys, botocore.session
def report(env, profile):
    os.environ.clear()
    os.environ.update(env)
    s = botocore.session.Session(profile=profile)
    out = {}
    region = s.get_config_variable('region')
    out['region'] = region
    for name in ['retry_mode', 'max_attempts', 'ca_bundle', 'use_fips_endpoint', 'sts_regional_endpoints']:
        out[name] = s.get_config_variable(name)
    eps = {}
    for svc in ['ec2', 's3', 'sts']:
        try:
            c = s.create_client(svc, region_name=region or 'us-east-1')
            eps[svc] = c.meta.endpoint_url
            if svc == 's3':
                out['s3_addressing'] = (c.meta.config.s3 or {}).get('addressing_style')
            out['retries_' + svc] = c.meta.config.retries
        except Exception as e:
            eps[svc] = 'error: ' + type(e).__name__
    out['endpoints'] = eps
    c = s.get_credentials()
    out['key'] = c.access_key if c else None
    return out
cases = json.load(open(sys.argv[1]))
results = []
for case in cases:
    env = case['env']
    if 'env_file' in case:
        raw = open(case['env_file'], 'rb').read().split(b'\0')
        env = dict(kv.decode().split('=', 1) for kv in raw if b'=' in kv)
    results.append(report(env, case.get('profile')))
print(json.dumps(results, sort_keys=True))
"#;

/// The JavaScript SDK v3's view: region, the URL a call would go to, the credentials' key.
const JS_REPORT: &str = r#"
const modules = process.argv[1];
const fs = require('fs');
const {STSClient, GetCallerIdentityCommand} = require(modules + '/@aws-sdk/client-sts');
const {S3Client, ListBucketsCommand} = require(modules + '/@aws-sdk/client-s3');
async function probe(Client, Command) {
  const c = new Client({});
  let region = null, url = null, key = null;
  try { region = await c.config.region(); } catch (e) {}
  try { key = (await c.config.credentials()).accessKeyId; } catch (e) {}
  c.middlewareStack.add(() => async (args) => {
    const r = args.request;
    url = `${r.protocol}//${r.hostname}${r.port ? ':' + r.port : ''}`;
    throw new Error('stop before sending');
  }, {step: 'finalizeRequest', priority: 'low'});
  try { await c.send(new Command({})); } catch (e) { if (!url) url = 'error: ' + e.name; }
  return {region, url, key};
}
(async () => {
  const raw = fs.readFileSync(process.argv[2]).toString().split('\0');
  for (const k of Object.keys(process.env)) delete process.env[k];
  for (const kv of raw) { const i = kv.indexOf('='); if (i > 0) process.env[kv.slice(0, i)] = kv.slice(i + 1); }
  const out = {sts: await probe(STSClient, GetCallerIdentityCommand), s3: await probe(S3Client, ListBucketsCommand)};
  console.log(JSON.stringify(out));
})();
"#;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Settings of every kind the SDKs read from a profile, some of them: a block of lines.
fn settings(rng: &mut Rng, tag: &str, ca: &Path) -> String {
    let mut out = String::new();
    if rng.chance(70) {
        out += &format!("region = {}\n", rng.pick(&["eu-north-1", "us-west-2", "ap-south-1", "eu-west-3"]));
    }
    if rng.chance(50) {
        out += &format!("endpoint_url = https://{tag}-global.example.test\n");
    }
    if rng.chance(40) {
        out += &format!("services = {tag}-services\n");
    }
    if rng.chance(50) {
        out += &format!("retry_mode = {}\n", rng.pick(&["standard", "adaptive", "legacy"]));
    }
    if rng.chance(40) {
        out += &format!("max_attempts = {}\n", 2 + rng.next() % 8);
    }
    if rng.chance(30) {
        out += &format!("ca_bundle = {}\n", ca.display());
    }
    if rng.chance(40) {
        out += &format!("s3 =\n  addressing_style = {}\n", rng.pick(&["path", "virtual"]));
    }
    if rng.chance(30) {
        out += "use_fips_endpoint = true\n";
    }
    if rng.chance(30) {
        out += &format!("sts_regional_endpoints = {}\n", rng.pick(&["legacy", "regional"]));
    }
    out
}

struct Generated {
    home: tempfile::TempDir,
    profiles: Vec<String>,
}

fn generate(seed: u64) -> Generated {
    let mut rng = Rng(seed);
    let home = tempfile::tempdir().unwrap();
    let ca = home.path().join("ca.pem");
    std::fs::write(&ca, "").unwrap();
    let mut config = format!("# generated home {seed}\n[default]\n{}", settings(&mut rng, "default", &ca));
    if rng.chance(50) {
        config += "credential_process = /bin/false\n";
    }
    let mut credentials = String::new();
    if rng.chance(60) {
        credentials += "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n\n";
    }
    let mut profiles = Vec::new();
    for i in 0..3 {
        let name = format!("p{i}");
        config += &format!("\n[profile {name}]\n{}", settings(&mut rng, &name, &ca));
        let keys = format!("aws_access_key_id = AKID{seed}P{i}\naws_secret_access_key = secret-{i}\n");
        if rng.chance(50) {
            config += &keys;
        } else {
            credentials += &format!("[{name}]\n{keys}\n");
        }
        config += &format!(
            "\n[services {name}-services]\nec2 =\n  endpoint_url = https://{name}-ec2.example.test\ns3 =\n  endpoint_url = https://{name}-s3.example.test\n"
        );
        profiles.push(name);
    }
    config += "\n[services default-services]\nec2 =\n  endpoint_url = https://default-ec2.example.test\nsts =\n  endpoint_url = https://default-sts.example.test\n";
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(aws.join("config"), config).unwrap();
    std::fs::write(aws.join("credentials"), credentials).unwrap();
    Generated { home, profiles }
}

fn base_env(home: &Path) -> BTreeMap<String, String> {
    [
        ("HOME", home.display().to_string()),
        ("PATH", std::env::var("PATH").unwrap()),
        ("AWSENV_CACHE_DIR", home.join("cache").display().to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Run `script` in `shell` (the awsenv binary on PATH as `awsenv`, no init), with `env`.
fn in_shell(shell: &Path, env: &BTreeMap<String, String>, script: &str) {
    let out = Command::new(shell).env_clear().envs(env).arg("-c").arg(script).output().unwrap();
    assert!(out.status.success(), "{}: {}", shell.display(), String::from_utf8_lossy(&out.stderr));
}

fn botocore(cases: &serde_json::Value, work: &Path) -> Vec<serde_json::Value> {
    let file = work.join(format!("cases-{}.json", rand_suffix()));
    std::fs::write(&file, cases.to_string()).unwrap();
    let out = Command::new("python3").arg("-c").arg(BOTOCORE_REPORT).arg(&file).output().unwrap();
    assert!(out.status.success(), "botocore: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

fn shells() -> Vec<(&'static str, PathBuf)> {
    ["bash", "zsh", "fish"].into_iter().filter_map(|s| find(s).map(|p| (s, p))).collect()
}

/// The script that applies `use` for each profile in turn and dumps the environment after each.
fn dump_script(shell: &str, profiles: &[String], dir: &Path) -> String {
    let bin_dir = Path::new(BIN).parent().unwrap().display().to_string();
    let mut script = match shell {
        "fish" => format!("set -x PATH '{bin_dir}' $PATH\n"),
        _ => format!("export PATH='{bin_dir}':\"$PATH\"\n"),
    };
    for name in profiles {
        let file = dir.join(format!("{shell}-{name}.env"));
        script += &match shell {
            "fish" => format!("awsenv use {name} --shell fish | source; or exit 1\nenv -0 > '{}'\n", file.display()),
            _ => format!("eval \"$(awsenv use {name} --shell {shell})\" || exit 1\nenv -0 > '{}'\n", file.display()),
        };
    }
    script
}

#[test]
fn every_sdk_in_the_shell_acts_as_the_profile_with_awsenvs_credentials() {
    if !support::python_has("botocore") {
        return;
    }
    let shells = shells();
    let mut compared = 0;
    for seed in 1..=HOMES {
        let generated = generate(seed * 7919);
        let home = generated.home.path();
        let env = base_env(home);
        let mut cases = Vec::new();
        // Under AWS_PROFILE=X, straight from the user's files.
        for name in &generated.profiles {
            let mut e = env.clone();
            e.insert("AWS_PROFILE".into(), name.clone());
            cases.push(serde_json::json!({"env": e}));
        }
        for (shell, program) in &shells {
            in_shell(program, &env, &dump_script(shell, &generated.profiles, home));
            for name in &generated.profiles {
                let file = home.join(format!("{shell}-{name}.env"));
                cases.push(serde_json::json!({"env": {}, "env_file": file}));
                // `aws --profile other` in that shell.
                let other = generated.profiles.iter().find(|p| *p != name).unwrap();
                cases.push(serde_json::json!({"env": {}, "env_file": file, "profile": other}));
                // What that should be: AWS_PROFILE=other in a shell whose AWS_REGION is the one
                // `use` exported (tools that read only the environment want it, and an explicit
                // profile does not override the variable, in this shell as in any other).
                let mut e = env.clone();
                e.insert("AWS_PROFILE".into(), other.clone());
                for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
                    if let Some(value) = env_value(&file, var) {
                        e.insert(var.into(), value);
                    }
                }
                cases.push(serde_json::json!({"env": e}));
            }
        }
        let results = botocore(&serde_json::Value::Array(cases), home);
        let n = generated.profiles.len();
        let (expected, rest) = results.split_at(n);
        let config = std::fs::read_to_string(home.join(".aws/config")).unwrap();
        for (s, (shell, _)) in shells.iter().enumerate() {
            for (i, name) in generated.profiles.iter().enumerate() {
                let inside = &rest[s * n * 3 + i * 3];
                let other_inside = &rest[s * n * 3 + i * 3 + 1];
                let other_expected = &rest[s * n * 3 + i * 3 + 2];
                let exported = env_value(&home.join(format!("{shell}-{name}.env")), "AWS_ACCESS_KEY_ID");
                assert_eq!(inside["key"].as_str(), exported.as_deref(), "seed {seed} {shell} {name}: awsenv's keys");
                let without_key = |v: &serde_json::Value| {
                    let mut v = v.clone();
                    v.as_object_mut().unwrap().remove("key");
                    v
                };
                assert_eq!(
                    without_key(inside),
                    without_key(&expected[i]),
                    "seed {seed}, {shell}, inside `use {name}` vs AWS_PROFILE={name}\n{config}"
                );
                // Keys written in the config file (the wrong file, as `lint` says) are not in
                // awsenv's copy, which holds no secret: `--profile other` then does not see them.
                let other_key = other_expected["key"].as_str().unwrap_or("none");
                if config.contains(&format!("aws_access_key_id = {other_key}\n")) {
                    assert_eq!(without_key(other_inside), without_key(other_expected), "seed {seed}, {shell}: other");
                    assert_ne!(other_inside["key"].as_str(), Some(other_key), "the copy holds no secret");
                } else {
                    assert_eq!(
                        other_inside, other_expected,
                        "seed {seed}, {shell}: --profile other inside `use {name}`"
                    );
                }
                compared += 2;
            }
        }
    }
    assert!(shells.is_empty() || compared >= HOMES as usize * 3 * 2 * shells.len(), "compared {compared}");
}

fn env_value(file: &Path, name: &str) -> Option<String> {
    let raw = std::fs::read(file).unwrap();
    raw.split(|b| *b == 0).find_map(|kv| {
        let kv = String::from_utf8_lossy(kv);
        kv.strip_prefix(&format!("{name}=")).map(str::to_owned)
    })
}

fn js_report(modules: &Path, env_file: &Path) -> serde_json::Value {
    let out = Command::new("node")
        .env("NODE_NO_WARNINGS", "1")
        .arg("-e")
        .arg(JS_REPORT)
        .arg(modules)
        .arg(env_file)
        .output()
        .unwrap();
    assert!(out.status.success(), "node: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_javascript_sdk_v3_acts_as_the_profile_too() {
    let Some(modules) = support::js_sdk() else { return };
    let Some(bash) = find("bash") else { return };
    for seed in 1..=6u64 {
        let generated = generate(seed * 104_729);
        let home = generated.home.path();
        let env = base_env(home);
        in_shell(&bash, &env, &dump_script("bash", &generated.profiles, home));
        for name in &generated.profiles {
            let mut e = env.clone();
            e.insert("AWS_PROFILE".into(), name.clone());
            let under_profile = home.join(format!("profile-{name}.env"));
            let text: String = e.iter().map(|(k, v)| format!("{k}={v}\0")).collect();
            std::fs::write(&under_profile, text).unwrap();
            let expected = js_report(&modules, &under_profile);
            let inside_file = home.join(format!("bash-{name}.env"));
            let inside = js_report(&modules, &inside_file);
            let exported = env_value(&inside_file, "AWS_ACCESS_KEY_ID");
            for client in ["sts", "s3"] {
                assert_eq!(inside[client]["region"], expected[client]["region"], "seed {seed} {name} {client}");
                assert_eq!(inside[client]["url"], expected[client]["url"], "seed {seed} {name} {client}");
                assert_eq!(inside[client]["key"].as_str(), exported.as_deref(), "seed {seed} {name} {client}");
            }
        }
    }
}

#[test]
fn switching_and_unset_give_back_the_users_own_environment() {
    let generated = generate(42);
    let home = generated.home.path();
    let mut env = base_env(home);
    // What a user's rc file set before any awsenv.
    env.insert("AWS_REGION".into(), "sa-east-1".into());
    env.insert("AWS_PROFILE".into(), "p1".into());
    env.insert("AWS_CONFIG_FILE".into(), home.join(".aws/config").display().to_string());
    env.insert("AWS_ENDPOINT_URL".into(), "http://localhost:4566".into());
    env.insert("AWS_SESSION_TOKEN".into(), "the user's own token".into());
    for (shell, program) in shells() {
        let before = home.join(format!("{shell}-before.env"));
        let after = home.join(format!("{shell}-after.env"));
        let bin_dir = Path::new(BIN).parent().unwrap().display().to_string();
        let script = match shell {
            "fish" => format!(
                "set -x PATH '{bin_dir}' $PATH\nenv -0 > '{b}'\nawsenv use p0 --shell fish | source\nawsenv use p2 --shell fish | source\n\
                 awsenv use p1 --shell fish | source\nawsenv unset --shell fish | source\nenv -0 > '{a}'\n",
                b = before.display(),
                a = after.display()
            ),
            _ => format!(
                "export PATH='{bin_dir}':\"$PATH\"\nenv -0 > '{b}'\neval \"$(awsenv use p0)\"\neval \"$(awsenv use p2)\"\n\
                 eval \"$(awsenv use p1)\"\neval \"$(awsenv unset)\"\nenv -0 > '{a}'\n",
                b = before.display(),
                a = after.display()
            ),
        };
        in_shell(&program, &env, &script);
        let read = |f: &Path| -> BTreeMap<String, String> {
            std::fs::read(f)
                .unwrap()
                .split(|b| *b == 0)
                .filter_map(|kv| String::from_utf8_lossy(kv).split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
                .filter(|(k, _)| k.starts_with("AWS"))
                .collect()
        };
        assert_eq!(read(&after), read(&before), "{shell}: the environment after X -> Y -> unset");
    }
}

/// The path `use` exported as AWS_CONFIG_FILE.
fn exported_copy(out: &std::process::Output) -> PathBuf {
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find_map(|l| l.strip_prefix("export AWS_CONFIG_FILE='")).expect("AWS_CONFIG_FILE");
    PathBuf::from(line.trim_end_matches('\''))
}

#[test]
fn an_edited_config_is_picked_up_and_a_write_to_the_copy_is_reported_not_lost() {
    let home = support::home_with(
        "[default]\nregion = eu-north-1\n[profile x]\nregion = us-west-2\naws_access_key_id = AKIDX\naws_secret_access_key = s\n",
        "",
    );
    let config = home.path().join(".aws/config");
    let first = support::run(support::awsenv(home.path()).args(["use", "x"]));
    let copy = exported_copy(&first);
    assert!(std::fs::read_to_string(&copy).unwrap().ends_with("[default]\nregion = us-west-2\n"));
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&copy).unwrap().permissions()) & 0o777,
        0o600
    );
    // A warm `use` finds the same copy and rewrites nothing.
    let modified = std::fs::metadata(&copy).unwrap().modified().unwrap();
    let again = support::run(support::awsenv(home.path()).args(["use", "x"]));
    assert_eq!(exported_copy(&again), copy);
    assert_eq!(std::fs::metadata(&copy).unwrap().modified().unwrap(), modified);

    assert!(!std::fs::read_to_string(&copy).unwrap().contains("aws_secret_access_key"), "no secret in the copy");

    // The user edits their config: the next `use` brings the same copy up to date, so a shell
    // that points at it (and may never renew) sees the edit, and no copy is left per edit.
    std::fs::write(&config, "[default]\nregion = eu-north-1\n[profile x]\nregion = ap-south-1\naws_access_key_id = AKIDX\naws_secret_access_key = s\n").unwrap();
    let edited = support::run(support::awsenv(home.path()).args(["use", "x"]));
    assert_eq!(exported_copy(&edited), copy);
    assert!(std::fs::read_to_string(&copy).unwrap().ends_with("[default]\nregion = ap-south-1\n"));

    // A tool writes to the copy (as `aws configure set` would inside the shell), and then the
    // user edits their own file too: the next `use` still says so, keeps what the tool wrote,
    // and the user's own file is untouched.
    let mut written = std::fs::read_to_string(&copy).unwrap();
    written.push_str("output = table\n");
    std::fs::write(&copy, &written).unwrap();
    std::fs::write(&config, "[default]\nregion = eu-north-1\n[profile x]\nregion = me-south-1\naws_access_key_id = AKIDX\naws_secret_access_key = s\n").unwrap();
    let user_text = std::fs::read_to_string(&config).unwrap();
    let after = support::run(support::awsenv(home.path()).args(["use", "x"]));
    let err = String::from_utf8_lossy(&after.stderr);
    assert!(err.contains("a program wrote to awsenv's copy of your config"), "{err}");
    let kept: Vec<PathBuf> = std::fs::read_dir(copy.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().starts_with(&format!("{}.changed-", copy.display())))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read_to_string(&kept[0]).unwrap(), written, "what the tool wrote is kept");
    let now = std::fs::read_to_string(exported_copy(&after)).unwrap();
    assert!(!now.contains("output = table") && now.ends_with("[default]\nregion = me-south-1\n"), "{now}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), user_text);
    // Many more edits leave one copy, not one per edit.
    for n in 0..20 {
        std::fs::write(
            &config,
            format!(
                "[profile x]\nregion = us-east-1\naws_access_key_id = AKIDX\naws_secret_access_key = s\n# edit {n}\n"
            ),
        )
        .unwrap();
        assert!(support::run(support::awsenv(home.path()).args(["use", "x"])).status.success());
    }
    let copies = std::fs::read_dir(copy.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("config-"))
        .count();
    assert_eq!(copies, 2, "the copy and the one a tool wrote to");
}

#[test]
fn a_symlinked_config_stays_a_symlink_and_its_target_is_read() {
    let home = tempfile::tempdir().unwrap();
    let dotfiles = home.path().join("dotfiles");
    std::fs::create_dir_all(&dotfiles).unwrap();
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    let text = "[default]\nregion = eu-north-1\n[profile x]\nregion = us-west-2\naws_access_key_id = AKIDX\naws_secret_access_key = s\n";
    std::fs::write(dotfiles.join("aws-config"), text).unwrap();
    std::os::unix::fs::symlink(dotfiles.join("aws-config"), home.path().join(".aws/config")).unwrap();
    let out = support::run(support::awsenv(home.path()).args(["use", "x"]));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_to_string(exported_copy(&out)).unwrap().ends_with("[default]\nregion = us-west-2\n"));
    assert!(std::fs::symlink_metadata(home.path().join(".aws/config")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(dotfiles.join("aws-config")).unwrap(), text);
}

#[test]
fn copies_an_older_release_left_lose_their_secrets_go_when_old_and_keep_what_a_program_wrote() {
    let home = support::home_with(
        "[profile x]\nregion = us-west-2\naws_access_key_id = AKIDX\naws_secret_access_key = s\n",
        "",
    );
    let cache = home.path().join(".cache/awsenv");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::set_permissions(&cache, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let legacy =
        "# copy\n[profile other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = legacy-secret\nregion = r\n";
    let write = |name: &str, mtime: Option<i64>| {
        let path = cache.join(name);
        std::fs::write(&path, legacy).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        if let Some(t) = mtime {
            // Stamped as the old release stamped its copies: an mtime of its own, so ctime differs.
            assert!(Command::new("touch").args(["-m", "-d", &format!("@{t}")]).arg(&path).status().unwrap().success());
        }
        path
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let recent = write("config-0123456789abcdef-0123456789abcdef", Some(now - 3600));
    let old = write("config-1123456789abcdef-0123456789abcdef", Some(now - 8 * 86_400));
    let written = write("config-2123456789abcdef-0123456789abcdef", None);
    let out = support::run(support::awsenv(home.path()).args(["use", "x"]));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&recent).unwrap();
    assert!(!text.contains("legacy-secret") && !text.contains("AKIDOTHER") && text.contains("region = r"), "{text}");
    assert!(!old.exists(), "a week-old copy goes");
    assert!(!written.exists());
    let kept = PathBuf::from(format!("{}.changed", written.display()));
    assert_eq!(std::fs::read_to_string(kept).unwrap(), legacy, "what a program wrote is kept as it was");
}
