//! The prompt's promises reach every helper awsenv starts: at the prompt nothing asks a person
//! (a file store without its passphrase is a one-line error, even with a terminal there); a
//! helper that does not answer is stopped at the deadline; every helper is waited for, so none
//! is left as a zombie under a PID 1 that does not reap; Ctrl-C at a secret prompt gives the
//! terminal its echo back; and a child of `exec` gets none of the user's saved values.

mod support;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::mock::{Mock, role_config};
use support::{awsenv, home_with, run, stderr, stdout};

const FILE_STORE_PROFILE: &str = "[profile p]\ncredential_process = awsenv credential-process --key-store file:p\n";

/// A home whose profile `p` is a key in the file store (passphrase "pp").
fn file_store_home() -> tempfile::TempDir {
    let home = home_with(FILE_STORE_PROFILE, "");
    let mut child = Command::new(Path::new(env!("CARGO_BIN_EXE_awsenv")).with_file_name("awsenv-keys"))
        .env_clear()
        .env("HOME", home.path())
        .env("AWSENV_FILE_PASSPHRASE", "pp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let put = serde_json::json!({"op": "put", "backend": "file", "name": "p",
        "key": {"access_key_id": "AKIAIOSFODNN7FILEKEY", "secret_access_key": "file-secret-0000000000000000"}});
    child.stdin.take().unwrap().write_all(put.to_string().as_bytes()).unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    home
}

#[test]
fn at_the_prompt_a_file_store_without_its_passphrase_is_an_error_even_with_a_terminal() {
    let home = file_store_home();
    // In a terminal, where a person could be asked: the hook must not ask anyway. The driver
    // never answers, so a question would hold the command until the driver gives up.
    let (screen, code) = support::in_a_terminal(home.path(), &["use", "--hook", "--", "p"], &[], "", "");
    assert_eq!(code, 1, "{screen}");
    assert!(!screen.contains("Passphrase"), "nothing asks at the prompt: {screen}");
    assert!(screen.contains("nothing asks for it at the prompt or in the background"), "{screen}");
    assert!(screen.contains("AWSENV_FILE_PASSPHRASE"), "{screen}");
    assert_eq!(screen.trim_end().lines().count(), 1, "one line: {screen}");
}

/// Run `cmd`, killing it if it has not ended within `limit`: (output, how long it took).
fn run_within(cmd: &mut Command, limit: Duration) -> (std::process::Output, Duration) {
    let started = Instant::now();
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let pid = child.id();
    let watchdog = std::thread::spawn(move || {
        let end = Instant::now() + limit;
        while Instant::now() < end {
            std::thread::sleep(Duration::from_millis(100));
            if !Path::new(&format!("/proc/{pid}")).exists() {
                return;
            }
        }
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
    });
    let out = child.wait_with_output().unwrap();
    let took = started.elapsed();
    let _ = watchdog.join();
    (out, took)
}

#[test]
fn a_key_store_that_never_answers_is_stopped_within_the_hooks_budget_and_reaped() {
    let home = file_store_home();
    // A store that hangs (a locked keyring): it records its pid, then sleeps.
    let store = home.path().join("hanging-store");
    let pid_file = home.path().join("store.pid");
    std::fs::write(&store, format!("#!/bin/sh\necho $$ > '{}'\nexec sleep 300\n", pid_file.display())).unwrap();
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (out, took) = run_within(
        awsenv(home.path())
            .args(["use", "--hook", "--", "p"])
            .env("AWSENV_KEYS", &store)
            .env("AWSENV_HOOK_BUDGET", "1"),
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("awsenv-keys did not answer in time"), "{}", stderr(&out));
    assert!(took < Duration::from_secs(30), "ended at the deadline, not held by the store: {took:?}");
    let pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_owned();
    assert!(!Path::new(&format!("/proc/{pid}")).exists(), "the store was stopped and reaped, not left behind");
}

/// A subreaper adopts whatever its child leaves behind: run `args` under one and count the
/// orphans it had to reap. Python's ctypes sets PR_SET_CHILD_SUBREAPER; no Docker needed.
const SUBREAPER: &str = r#"
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
pid = os.fork()
if pid == 0:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.execv(sys.argv[1], sys.argv[1:])
_, status = os.waitpid(pid, 0)
orphans = 0
while True:
    try:
        os.waitpid(-1, 0)
        orphans += 1
    except ChildProcessError:
        break
print(os.waitstatus_to_exitcode(status), orphans)
"#;

#[test]
fn every_helper_is_waited_for_so_none_is_left_for_a_pid_1_that_does_not_reap() {
    let mock = Mock::start(vec![]);
    let home = home_with(&role_config(&mock.endpoint), "");
    for args in [
        vec!["use", "role", "--no-cache"],
        vec!["whoami", "role", "--no-cache"],
        vec!["exec", "role", "--no-cache", "--", "true"],
    ] {
        let out = Command::new("python3")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .env("HOME", home.path())
            .env("AWSENV_CACHE_DIR", home.path().join(".cache/awsenv"))
            .args(["-c", SUBREAPER, env!("CARGO_BIN_EXE_awsenv")])
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let line = String::from_utf8_lossy(&out.stdout);
        assert_eq!(line.trim(), "0 0", "{args:?}: exit status and orphans left: {line}");
    }
    assert!(mock.calls() >= 3, "each ran a cold call through awsenv-fetch");
}

/// Runs awsenv in a pseudo-terminal, presses Ctrl-C once the screen shows the passphrase
/// question, and says whether the terminal still echoes after awsenv has ended.
const CTRL_C_DRIVER: &str = r#"
import os, pty, select, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
seen, deadline, pressed = b"", time.time() + 60, False
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        seen += data
    if not pressed and b"Passphrase for" in seen:
        # The question is on the screen and the echo is off: that is the state to interrupt.
        if not termios.tcgetattr(fd)[3] & termios.ECHO:
            os.write(fd, b"\x03")
            pressed = True
_, status = os.waitpid(pid, 0)
echo = bool(termios.tcgetattr(fd)[3] & termios.ECHO)
print("pressed" if pressed else "never asked", "echo" if echo else "no echo")
"#;

#[test]
fn ctrl_c_at_the_passphrase_question_gives_the_terminal_its_echo_back() {
    let home = file_store_home();
    let out = Command::new("python3")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home.path())
        .env("AWSENV_CACHE_DIR", home.path().join(".cache/awsenv"))
        .args(["-c", CTRL_C_DRIVER, env!("CARGO_BIN_EXE_awsenv"), "use", "p"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "pressed echo", "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_child_of_exec_gets_none_of_the_users_saved_values() {
    let home =
        home_with("[profile p]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = p-secret\n", "");
    // What a shell holds after `use` replaced the user's own keys: their secret, kept for
    // `unset`, in AWSENV_USER_AWS_SECRET_ACCESS_KEY.
    let out = run(awsenv(home.path())
        .args(["exec", "p", "--", "env"])
        .env("AWS_ACCESS_KEY_ID", "AKIAOTHER")
        .env("AWS_SECRET_ACCESS_KEY", "the-users-own-secret")
        .env("AWSENV_VARS", "AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY")
        .env("AWSENV_USER_AWS_SECRET_ACCESS_KEY", "the-users-own-secret")
        .env("AWSENV_USER_AWS_ACCESS_KEY_ID", "AKIAUSER"));
    assert!(out.status.success(), "{}", stderr(&out));
    let child_env = stdout(&out);
    assert!(child_env.contains("AWS_SECRET_ACCESS_KEY=p-secret"), "{child_env}");
    assert!(!child_env.contains("AWSENV_USER_"), "{child_env}");
    assert!(!child_env.contains("the-users-own-secret"), "{child_env}");
}

#[test]
fn a_key_store_line_is_written_and_trusted_only_where_nobody_else_can_change_its_program() {
    use std::os::unix::fs::PermissionsExt;
    let home = home_with("", "[p]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = p-secret\n");
    // awsenv installed in a directory anyone can write to (not sticky): whoever replaces it
    // hands every SDK credentials of their choosing, so no line may name it.
    let open_dir = home.path().join("open");
    std::fs::create_dir(&open_dir).unwrap();
    std::fs::set_permissions(&open_dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let built = Path::new(env!("CARGO_BIN_EXE_awsenv"));
    for name in ["awsenv", "awsenv-keys", "awsenv-fetch"] {
        std::fs::copy(built.with_file_name(name), open_dir.join(name)).unwrap();
    }
    let out = run(Command::new(open_dir.join("awsenv"))
        .args(["keys", "import", "p", "--store", "file"])
        .env("HOME", home.path())
        .env("AWSENV_CACHE_DIR", home.path().join(".cache/awsenv"))
        .env("AWSENV_FILE_PASSPHRASE", "pp"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("which others can write to"), "{}", stderr(&out));
    assert!(
        !std::fs::read_to_string(home.path().join(".aws/config")).unwrap_or_default().contains("credential_process")
    );

    // A line already naming such a program (or one that is gone) is not taken for awsenv's own:
    // it runs like any credential_process, as every SDK runs it, and lint names it.
    let impostor = open_dir.join("awsenv");
    std::fs::write(
        &impostor,
        "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKIAIMPOSTOR00000000\",\"SecretAccessKey\":\"x\"}'\n",
    )
    .unwrap();
    std::fs::set_permissions(&impostor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = format!(
        "[profile open]\ncredential_process = {} credential-process --key-store file:p\n\n\
         [profile moved]\ncredential_process = /nonexistent/bin/awsenv credential-process --key-store file:p\n",
        impostor.display()
    );
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::fs::write(home.path().join(".aws/config"), config).unwrap();
    let out = run(awsenv(home.path()).args(["use", "open", "--format", "json"]));
    assert!(stdout(&out).contains("AKIAIMPOSTOR00000000"), "run as the SDKs run it: {}", stderr(&out));
    let out = run(awsenv(home.path()).arg("lint"));
    assert_eq!(out.status.code(), Some(1));
    let report = format!("{}{}", stdout(&out), stderr(&out));
    assert!(report.contains("key-store-program") && report.contains("which others can write to"), "{report}");
    assert!(report.contains("does not exist (moved by an upgrade"), "{report}");
}
