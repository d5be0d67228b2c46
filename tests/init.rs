//! `awsenv init`: every generated script linted and run in its real shell, and the hook's
//! behaviour — zero processes while fresh, refresh in the window, refresh-ahead in the
//! background, one warning for a refresh that fails — driven through the shell's own functions.

mod support;

use std::process::Command;

use support::mock::{Mock, Reply, sts_error};
use support::shells::find;

const BIN: &str = env!("CARGO_BIN_EXE_awsenv");

fn init(shell: &str) -> String {
    let out = Command::new(BIN).args(["init", shell]).output().unwrap();
    assert!(out.status.success() && out.stderr.is_empty());
    String::from_utf8(out.stdout).unwrap()
}

/// Run `script` in `shell` with a clean environment; (stdout, stderr, success).
fn run_in(shell: &str, args: &[&str], script: &str, env: &[(&str, String)]) -> (String, String, bool) {
    let program = find(shell).unwrap();
    let mut cmd = Command::new(program);
    cmd.env_clear().env("PATH", std::env::var_os("PATH").unwrap()).args(args).arg("-c").arg(script);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

#[test]
fn generated_scripts_lint_clean_and_run_silently() {
    let bash = init("bash");
    if let Some(shellcheck) = find("shellcheck") {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("init.bash");
        std::fs::write(&file, &bash).unwrap();
        let out = Command::new(shellcheck).args(["--shell", "bash", "--enable=all"]).arg(&file).output().unwrap();
        assert!(out.status.success(), "shellcheck:\n{}", String::from_utf8_lossy(&out.stdout));
        if let Some(shfmt) = find("shfmt") {
            let out = Command::new(shfmt).args(["-d", "-i", "4", "-ci"]).arg(&file).output().unwrap();
            assert!(out.status.success(), "shfmt:\n{}", String::from_utf8_lossy(&out.stdout));
        }
    }
    if find("bash").is_some() {
        let (out, err, ok) = run_in("bash", &["-e", "-u", "-o", "pipefail"], &bash, &[]);
        assert!(ok && out.is_empty() && err.is_empty(), "bash -euo pipefail: {out}{err}");
        let twice = format!("{bash}\n{bash}\nprintf '%s' \"$PROMPT_COMMAND\"");
        let (out, _, ok) = run_in("bash", &["-e", "-u"], &twice, &[("PROMPT_COMMAND", "starship_precmd".into())]);
        assert!(ok);
        assert_eq!(out, "__awsenv_hook;starship_precmd", "sourced twice, hooked once, next to other prompt commands");
    }
    let zsh = init("zsh");
    if find("zsh").is_some() {
        let (_, err, ok) = run_in("zsh", &["--no-rcs", "-n"], &zsh, &[]);
        assert!(ok && err.is_empty(), "zsh -n: {err}");
        let (out, err, ok) = run_in("zsh", &["--no-rcs", "-e", "-u"], &zsh, &[]);
        assert!(ok && out.is_empty() && err.is_empty(), "zsh -eu: {out}{err}");
        let twice = format!("{zsh}\n{zsh}\nprint -r -- ${{(j:,:)precmd_functions}}");
        let (out, _, ok) = run_in("zsh", &["--no-rcs"], &twice, &[]);
        assert!(ok);
        // Each hook once; without compinit, the completion waits for the first prompt.
        assert_eq!(out.trim(), "__awsenv_hook,__awsenv_compdef");
    }
    let fish = init("fish");
    if find("fish").is_some() {
        let (_, err, ok) = run_in("fish", &["--no-config", "--no-execute"], &fish, &[]);
        assert!(ok && err.is_empty(), "fish --no-execute: {err}");
        let indent = Command::new(find("fish_indent").unwrap())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut indent.stdin.as_ref().unwrap(), fish.as_bytes()).unwrap();
        let indented = indent.wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&indented.stdout), fish, "fish_indent leaves the script unchanged");
        let (out, err, ok) = run_in("fish", &["--no-config"], &fish, &[]);
        assert!(ok && out.is_empty() && err.is_empty(), "fish: {out}{err}");
        let twice = format!(
            "{fish}\n{fish}\ncomplete -c awsenv | count\nfunctions --handlers-type generic | string match '*__awsenv_hook*' | count"
        );
        let (out, _, ok) = run_in("fish", &["--no-config"], &twice, &[]);
        assert!(ok);
        let counts: Vec<&str> = out.lines().collect();
        assert_eq!(counts, ["5", "1"], "sourced twice: five completion rules and one prompt handler");
    }
    let nu = init("nu");
    if find("nu").is_some() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("awsenv.nu");
        std::fs::write(&file, &nu).unwrap();
        let path = file.display();
        let (out, err, ok) = run_in("nu", &["--no-config-file"], &format!("nu-check --debug '{path}'"), &[]);
        assert!(ok && out.trim() == "true", "nu-check: {out}{err}");
        let twice = format!(
            "$env.config.hooks.pre_prompt = [{{|| print other }}]\nsource '{path}'\nsource '{path}'\n\
             print ($env.config.hooks.pre_prompt | each {{|h| view source $h }} | str join ',')"
        );
        let (out, err, ok) = run_in("nu", &["--no-config-file"], &twice, &[]);
        assert!(ok && err.is_empty(), "nu: {out}{err}");
        assert_eq!(out.trim(), "{|| print other },{|| __awsenv_hook }", "sourced twice, hooked once, others kept");
    }
    let elvish = init("elvish");
    if find("elvish").is_some() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("awsenv.elv");
        std::fs::write(&file, &elvish).unwrap();
        let out = Command::new(find("elvish").unwrap()).args(["-norc", "-compileonly"]).arg(&file).output().unwrap();
        assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(), "elvish -compileonly: {out:?}");
        let (out, err, ok) = run_in("elvish", &["-norc"], &format!("{elvish}\n{elvish}"), &[]);
        assert!(ok && out.is_empty() && err.is_empty(), "elvish: {out}{err}");
    }
}

struct Setup {
    home: tempfile::TempDir,
    mock: Mock,
    shim_log: std::path::PathBuf,
}

/// A home with a role profile on the mock STS, and a shim in front of awsenv that logs every
/// time the shell starts it.
fn setup(script: Vec<Reply>) -> Setup {
    let mock = Mock::start(script);
    let home = support::home_with(&support::mock::role_config(&mock.endpoint), "");
    let (_, shim_log) = support::logging_shim(home.path());
    Setup { home, mock, shim_log }
}

impl Setup {
    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("HOME", self.home.path().display().to_string()),
            ("AWSENV_CACHE_DIR", self.home.path().join("cache").display().to_string()),
            ("AWSENV_FETCH", format!("{}/awsenv-fetch", std::path::Path::new(BIN).parent().unwrap().display())),
        ]
    }

    /// The init script with the shim as the binary, then `body`.
    fn script(&self, shell: &str, body: &str) -> String {
        let shim = self.home.path().join("awsenv-shim");
        format!("{}\n{body}", init(shell).replace(BIN, &shim.display().to_string()))
    }

    /// Wait (by state, not time) until every `awsenv refresh` the shells started in the
    /// background has ended: none of this home's processes is still running one. A loaded
    /// machine may take longer than any sleep in the shell script.
    fn background_refreshes_done(&self) {
        let home = format!("HOME={}\0", self.home.path().display());
        let running = || {
            std::fs::read_dir("/proc").unwrap().flatten().any(|entry| {
                let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
                let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
                let ours = environ.windows(home.len()).any(|w| w == home.as_bytes());
                ours && String::from_utf8_lossy(&cmdline).split('\0').any(|word| word == "refresh")
            })
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while running() {
            assert!(std::time::Instant::now() < deadline, "a background refresh never ended");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    fn shim_calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.shim_log).unwrap_or_default().lines().map(str::to_owned).collect()
    }
}

#[test]
fn the_wrapper_changes_the_shell_and_passes_everything_else_through() {
    for shell in ["bash", "zsh", "fish"] {
        if find(shell).is_none() {
            continue;
        }
        let s = setup(vec![]);
        let body = if shell == "fish" {
            "awsenv use role\nprintf '%s|%s|%s\\n' \"$AWSENV_PROFILE\" \"$AWS_ACCESS_KEY_ID\" \"$AWSENV_PROMPT\"\n\
             awsenv use role --format json | grep -c AWS_SECRET_ACCESS_KEY\nawsenv unset\nprintf '[%s]\\n' \"$AWS_ACCESS_KEY_ID$AWSENV_PROMPT\""
        } else {
            "awsenv use role\nprintf '%s|%s|%s\\n' \"$AWSENV_PROFILE\" \"$AWS_ACCESS_KEY_ID\" \"$AWSENV_PROMPT\"\n\
             awsenv use role --format json | grep -c AWS_SECRET_ACCESS_KEY\nawsenv unset\nprintf '[%s]\\n' \"${AWS_ACCESS_KEY_ID-}${AWSENV_PROMPT-}\""
        };
        let (out, err, ok) = run_in(shell, &[], &s.script(shell, body), &s.env());
        assert!(ok, "{shell}: {err}");
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with("role|ASIAMOCK000000000001|role 59m")
                || lines[0].starts_with("role|ASIAMOCK000000000001|role 1h00m"),
            "{shell}: {out}"
        );
        assert_eq!(lines[1], "1", "{shell}: --format passes through: {out}");
        assert_eq!(lines[2], "[]", "{shell}: unset cleared everything: {out}");
    }
}

#[test]
fn a_fresh_prompt_starts_no_process_and_costs_microseconds() {
    let s = setup(vec![]);
    for (shell, clock) in [("bash", "$EPOCHREALTIME"), ("zsh", "$EPOCHREALTIME")] {
        if find(shell).is_none() {
            continue;
        }
        let zmod = if shell == "zsh" { "zmodload zsh/datetime\n" } else { "" };
        let body = format!(
            "{zmod}awsenv use role >/dev/null\n: > '{log}'\nstart={clock}\nfor i in $(seq 1000); do __awsenv_hook; done\nend={clock}\n\
             echo \"$start $end\"",
            log = s.shim_log.display()
        );
        let (out, err, ok) = run_in(shell, &[], &s.script(shell, &body), &s.env());
        assert!(ok, "{shell}: {err}");
        assert!(s.shim_calls().is_empty(), "{shell}: the hook started awsenv while fresh: {:?}", s.shim_calls());
        let times: Vec<f64> = out.split_whitespace().map(|t| t.replace(',', ".").parse().unwrap()).collect();
        let per_prompt_us = (times[1] - times[0]) * 1e6 / 1000.0;
        eprintln!("{shell}: the hook costs {per_prompt_us:.1} µs per prompt while fresh");
        assert!(per_prompt_us < 1000.0, "{shell}: {per_prompt_us} µs");
    }
}

#[test]
fn inside_the_window_the_hook_takes_new_credentials_and_warns_once_on_failure() {
    for shell in ["bash", "zsh", "fish"] {
        if find(shell).is_none() {
            continue;
        }
        // First credentials expire in 5 minutes: inside the 10-minute window.
        let s = setup(vec![Reply::ExpiringIn(300), Reply::Credentials]);
        let assign = if shell == "fish" { "set before $AWS_ACCESS_KEY_ID" } else { "before=$AWS_ACCESS_KEY_ID" };
        let body = format!(
            "awsenv use role\n{assign}\n__awsenv_hook\n__awsenv_hook\nprintf '%s %s\\n' \"$before\" \"$AWS_ACCESS_KEY_ID\""
        );
        let body = body.as_str();
        let (out, err, ok) = run_in(shell, &[], &s.script(shell, body), &s.env());
        assert!(ok, "{shell}: {err}");
        assert_eq!(out.trim(), "ASIAMOCK000000000001 ASIAMOCK000000000002", "{shell}");
        assert_eq!(s.mock.calls(), 2, "{shell}: one refresh, and none on the next prompt");

        let s = setup(vec![Reply::ExpiringIn(300), Reply::Status(403, sts_error("AccessDenied", "no"))]);
        let body =
            "awsenv use role\n__awsenv_hook\n__awsenv_hook\n__awsenv_hook\nprintf '%s\\n' \"$AWS_ACCESS_KEY_ID\"";
        let (out, err, ok) = run_in(shell, &[], &s.script(shell, body), &s.env());
        assert!(ok, "{shell}: {err}");
        assert_eq!(out.trim(), "ASIAMOCK000000000001", "{shell}: the shell keeps what it had");
        assert_eq!(err.matches("AccessDenied").count(), 1, "{shell}: warned once: {err}");
        assert_eq!(s.mock.calls(), 2, "{shell}: tried once per expiry");
    }
}

#[test]
fn ahead_of_the_window_one_background_refresher_renews_the_cache() {
    for shell in ["bash", "zsh", "fish"] {
        if find(shell).is_none() {
            continue;
        }
        // 15 minutes left: past the 10-minute window, inside the 20-minute look-ahead.
        let s = setup(vec![Reply::ExpiringIn(900), Reply::Credentials]);
        let body = "awsenv use role >/dev/null\n__awsenv_hook\n__awsenv_hook\n__awsenv_hook\nsleep 2\nprintf '%s\\n' \"$AWS_ACCESS_KEY_ID\"";
        let (out, err, ok) = run_in(shell, &[], &s.script(shell, body), &s.env());
        assert!(ok, "{shell}: {err}");
        assert_eq!(out.trim(), "ASIAMOCK000000000001", "{shell}: the foreground is untouched");
        s.background_refreshes_done();
        let refreshers = s.shim_calls().iter().filter(|c| c.starts_with("refresh")).count();
        assert_eq!(refreshers, 1, "{shell}: {:?}", s.shim_calls());
        assert_eq!(s.mock.calls(), 2, "{shell}: the background refresh renewed the cache");
    }
}

#[test]
fn a_fresh_fish_prompt_starts_no_awsenv_and_one_date() {
    let Some(_) = find("fish") else { return };
    let s = setup(vec![]);
    let body = format!(
        "awsenv use role >/dev/null\n: > '{log}'\nset start (date +%s%N)\nfor i in (seq 200); __awsenv_hook; end\nset end (date +%s%N)\necho $start $end",
        log = s.shim_log.display()
    );
    let (out, err, ok) = run_in("fish", &["--no-config"], &s.script("fish", &body), &s.env());
    assert!(ok, "{err}");
    assert!(s.shim_calls().is_empty(), "the hook started awsenv while fresh: {:?}", s.shim_calls());
    let t: Vec<f64> = out.split_whitespace().map(|x| x.parse().unwrap()).collect();
    eprintln!("fish: the hook costs {:.1} µs per prompt while fresh (one `date`)", (t[1] - t[0]) / 1000.0 / 200.0);
}

#[test]
fn profile_names_complete_in_bash_and_fish() {
    let s = setup(vec![]);
    if find("bash").is_some() {
        let body = "COMP_WORDS=(awsenv use ro); COMP_CWORD=2; __awsenv_complete; printf '%s\\n' \"${COMPREPLY[@]}\"\n\
                    COMP_WORDS=(awsenv ex); COMP_CWORD=1; __awsenv_complete; printf '%s\\n' \"${COMPREPLY[@]}\"";
        let (out, err, ok) = run_in("bash", &[], &s.script("bash", body), &s.env());
        assert!(ok, "{err}");
        assert_eq!(out, "role\nexplain\nexec\n");
    }
    if find("fish").is_some() {
        let (out, err, ok) = run_in(
            "fish",
            &["--no-config"],
            &s.script("fish", "complete -C 'awsenv use '\ncomplete -C 'awsenv wh'"),
            &s.env(),
        );
        assert!(ok, "{err}");
        let words: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
        assert_eq!(words, ["base", "role", "whoami"]);
    }
}

#[test]
fn two_shells_on_one_profile_share_one_background_refresh() {
    let Some(_) = find("bash") else { return };
    // 15 minutes left in both shells: each starts its refresher once; one renews, one gives way.
    let s = setup(vec![Reply::ExpiringIn(900), Reply::Slow(std::time::Duration::from_millis(600))]);
    let (first, err, ok) = run_in("bash", &[], &s.script("bash", "awsenv use role >/dev/null\ndeclare -p AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWSENV_PROFILE AWSENV_EXPIRES_AT AWSENV_VARS"), &s.env());
    assert!(ok, "{err}");
    let exported = first.replace("declare -x", "export").replace("declare --", "export");
    let shells: Vec<_> = (0..2)
        .map(|_| {
            let script = s.script("bash", &format!("{exported}\n__awsenv_hook\nsleep 2"));
            let mut cmd = Command::new(find("bash").unwrap());
            cmd.env_clear().env("PATH", std::env::var_os("PATH").unwrap()).arg("-c").arg(script);
            for (k, v) in s.env() {
                cmd.env(k, v);
            }
            cmd.spawn().unwrap()
        })
        .collect();
    for mut shell in shells {
        assert!(shell.wait().unwrap().success());
    }
    s.background_refreshes_done();
    let refreshers = s.shim_calls().iter().filter(|c| c.starts_with("refresh")).count();
    assert_eq!(refreshers, 2, "each shell started its refresher: {:?}", s.shim_calls());
    assert_eq!(s.mock.calls(), 2, "one STS call between them (the first `use`, then one renewal)");
}

#[test]
fn nushell_and_elvish_hooks_renew_in_the_window_warn_once_and_refresh_ahead() {
    for shell in ["nu", "elvish"] {
        if find(shell).is_none() {
            continue;
        }
        let (args, assign, show, sleep): (&[&str], _, _, _) = if shell == "nu" {
            (
                &["--no-config-file"],
                "let before = $env.AWS_ACCESS_KEY_ID",
                "print $'($before) ($env.AWS_ACCESS_KEY_ID) ($env.AWSENV_PROMPT)'",
                "sleep 2sec",
            )
        } else {
            (
                &["-norc"],
                "var before = $E:AWS_ACCESS_KEY_ID",
                "echo $before $E:AWS_ACCESS_KEY_ID $E:AWSENV_PROMPT",
                "sleep 2",
            )
        };

        let s = setup(vec![Reply::ExpiringIn(300), Reply::Credentials]);
        let body = format!("awsenv use role\n{assign}\n__awsenv_hook\n__awsenv_hook\n{show}");
        let (out, err, ok) = run_in(shell, args, &s.script(shell, &body), &s.env());
        assert!(ok, "{shell}: {out}{err}");
        let words: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(words[..3], ["ASIAMOCK000000000001", "ASIAMOCK000000000002", "role"], "{shell}: {out}");
        assert!(words[3] == "59m" || words[3] == "1h00m", "{shell}: {out}");
        assert_eq!(s.mock.calls(), 2, "{shell}: one renewal, and none on the next prompt");

        let s = setup(vec![Reply::ExpiringIn(300), Reply::Status(403, sts_error("AccessDenied", "no"))]);
        let body = format!("awsenv use role\n{assign}\n__awsenv_hook\n__awsenv_hook\n__awsenv_hook\n{show}");
        let (out, err, ok) = run_in(shell, args, &s.script(shell, &body), &s.env());
        assert!(ok, "{shell}: {err}");
        assert!(out.starts_with("ASIAMOCK000000000001 ASIAMOCK000000000001 role"), "{shell}: kept what it had: {out}");
        assert_eq!(err.matches("AccessDenied").count(), 1, "{shell}: warned once: {err}");
        assert_eq!(s.mock.calls(), 2, "{shell}: tried once per expiry");

        let s = setup(vec![Reply::ExpiringIn(900), Reply::Credentials]);
        let body = format!("awsenv use role\n{assign}\n__awsenv_hook\n__awsenv_hook\n__awsenv_hook\n{sleep}\n{show}");
        let (out, err, ok) = run_in(shell, args, &s.script(shell, &body), &s.env());
        assert!(ok, "{shell}: {err}");
        assert!(out.starts_with("ASIAMOCK000000000001 ASIAMOCK000000000001 role"), "{shell}: untouched: {out}");
        s.background_refreshes_done();
        let refreshers: Vec<String> = s.shim_calls().into_iter().filter(|c| c.starts_with("refresh")).collect();
        assert_eq!(refreshers, ["refresh --detach -- role"], "{shell}");
        assert_eq!(s.mock.calls(), 2, "{shell}: the detached refresh renewed the cache");
    }
}

#[test]
fn a_fresh_nushell_or_elvish_prompt_starts_no_process() {
    for (shell, args, body) in [
        (
            "nu",
            &["--no-config-file"][..],
            "awsenv use role\nlet start = date now\nfor i in 1..1000 { __awsenv_hook }\n\
             print (((date now) - $start | into int) / 1000 / 1000)",
        ),
        (
            "elvish",
            &["-norc"][..],
            "awsenv use role\ntime &on-end={|seconds| echo (* $seconds 1000) } { for i [(range 1000)] { __awsenv_hook } }",
        ),
    ] {
        if find(shell).is_none() {
            continue;
        }
        let s = setup(vec![]);
        let (out, err, ok) = run_in(shell, args, &s.script(shell, body), &s.env());
        assert!(ok, "{shell}: {out}{err}");
        assert_eq!(s.shim_calls().len(), 1, "{shell}: only `use` started awsenv: {:?}", s.shim_calls());
        let per_prompt_us: f64 = out.trim().parse().unwrap();
        eprintln!("{shell}: the hook costs {per_prompt_us:.1} µs per prompt while fresh");
        assert!(per_prompt_us < 5000.0, "{shell}: {per_prompt_us} µs");
    }
}

#[test]
fn sso_session_names_complete_after_sso_session() {
    let s = setup(vec![]);
    std::fs::write(
        s.home.path().join(".aws/config"),
        "[profile a]\nsso_session = corp\n\n[sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n\n[sso-session other]\n",
    )
    .unwrap();
    for (shell, args, body) in [
        (
            "bash",
            &[][..],
            "COMP_WORDS=(awsenv login --sso-session c); COMP_CWORD=3; __awsenv_complete; printf '%s\\n' \"${COMPREPLY[@]}\"",
        ),
        (
            "nu",
            &["--no-config-file"][..],
            "print (__awsenv_complete 'awsenv login --sso-session c' | str join \"\\n\")",
        ),
        ("elvish", &["-norc"][..], "__awsenv_complete awsenv login --sso-session c | each {|w| echo $w }"),
    ] {
        if find(shell).is_none() {
            continue;
        }
        let (out, err, ok) = run_in(shell, args, &s.script(shell, body), &s.env());
        assert!(ok, "{shell}: {err}");
        assert_eq!(out.trim(), "corp", "{shell}");
    }
    if find("fish").is_some() {
        let (out, err, ok) =
            run_in("fish", &["--no-config"], &s.script("fish", "complete -C 'awsenv login --sso-session '"), &s.env());
        assert!(ok, "{err}");
        let words: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
        assert_eq!(words, ["corp", "other"]);
    }
}
