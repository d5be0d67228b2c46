//! Shared test helpers: where the conformance data lives, and running the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// `../shared/conformance` (or `AWSENV_CONFORMANCE_DIR`). Absent outside CI, the caller skips
/// loudly; absent in CI, the test fails.
pub fn conformance_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("AWSENV_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    if in_ci() {
        panic!("conformance data not found at {} (set AWSENV_CONFORMANCE_DIR); in CI this is a failure", dir.display());
    }
    eprintln!("\n*** SKIPPING: conformance data not found at {} (set AWSENV_CONFORMANCE_DIR) ***\n", dir.display());
    None
}

pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The awsenv binary with a clean environment: only what the test gives it, plus PATH.
pub fn awsenv(home: &Path) -> Command {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_awsenv"));
    // A session of its own: no controlling terminal, so nothing can prompt the person running
    // the tests (the MFA tests that want a terminal give it a pty explicitly).
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWSENV_CACHE_DIR", home.join(".cache/awsenv"))
        .stdin(Stdio::null());
    cmd
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("awsenv runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A home directory with the given config and credentials files.
pub fn home_with(config: &str, credentials: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(aws.join("config"), config).unwrap();
    std::fs::write(aws.join("credentials"), credentials).unwrap();
    home
}

/// A script in `dir` that logs its arguments (one line per start) and then runs awsenv: how the
/// shell tests count the processes a prompt starts. (shim, log)
pub fn logging_shim(dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let log = dir.join("shim.log");
    let shim = dir.join("awsenv-shim");
    let bin = env!("CARGO_BIN_EXE_awsenv");
    std::fs::write(&shim, format!("#!/bin/sh\necho \"$*\" >> '{}'\nexec '{bin}' \"$@\"\n", log.display())).unwrap();
    std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
    (shim, log)
}

pub mod hostile;
pub mod mock;
pub mod moto;
pub mod shells;
pub mod signin;
pub mod sso;
pub mod tls;

/// Whether python3 can import `module`; missing, a failure in CI and a loud skip elsewhere.
pub fn python_has(module: &str) -> bool {
    let ok = Command::new("python3").args(["-c", &format!("import {module}")]).status().is_ok_and(|s| s.success());
    if !ok {
        if in_ci() {
            panic!("the Python module {module} is not installed; in CI it must be (run scripts/test)");
        }
        eprintln!("\n*** SKIPPING: the Python module {module} is not installed (scripts/test installs it) ***\n");
    }
    ok
}

/// `.tools/npm/node_modules` with the AWS SDK for JavaScript v3 in it (`@aws-sdk/client-sts` and
/// `client-s3`); missing, a failure in CI and a loud skip elsewhere.
pub fn js_sdk() -> Option<PathBuf> {
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/npm/node_modules");
    if modules.join("@aws-sdk/client-sts/package.json").is_file()
        && modules.join("@aws-sdk/client-s3/package.json").is_file()
    {
        return Some(modules);
    }
    if in_ci() {
        panic!("@aws-sdk/client-sts and @aws-sdk/client-s3 are not installed in .tools/npm; in CI they must be");
    }
    eprintln!("\n*** SKIPPING the JavaScript SDK v3: not installed (scripts/test installs it) ***\n");
    None
}

/// Run awsenv with `args` in a pseudo-terminal (python's `pty`), with HOME and the cache at
/// `home` plus `env`, typing `answer` once the screen shows `question` (an empty question:
/// never; several, separated by `\x1e`, each with its answer): (everything the terminal showed,
/// exit code). The command is given 60 seconds.
pub fn in_a_terminal(
    home: &Path,
    args: &[&str],
    env: &[(&str, String)],
    question: &str,
    answer: &str,
) -> (String, i32) {
    const DRIVER: &str = r#"
import os, pty, select, sys, time
answers = os.environ.pop("AWSENV_TEST_ANSWERS", "")
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
# x86_64 and aarch64 numbers of the calls a reader blocks in: read, poll, select, pselect6, ppoll.
WAITING = {"0", "7", "23", "270", "271", "63", "73", "72"}
def waiting_for_input():
    # The state to type in: a process of this terminal's session asleep in a read (or poll) of
    # it, so what is typed goes to a reader that is there, whatever the machine's load.
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = open("/proc/%s/stat" % entry).read()
            fields = stat[stat.rfind(")") + 2:].split()
            if int(fields[3]) != pid or fields[0] != "S":
                continue
            call = open("/proc/%s/syscall" % entry).read().split()
        except (OSError, ValueError, IndexError):
            continue
        if not call or call[0] not in WAITING:
            continue
        try:
            if call[0] in ("0", "63"):
                # A read: of the terminal itself.
                targets = [os.readlink("/proc/%s/fd/%d" % (entry, int(call[1], 16)))]
            else:
                # A poll or select: by a process that has the terminal open at all.
                targets = [os.readlink("/proc/%s/fd/%s" % (entry, f)) for f in os.listdir("/proc/%s/fd" % entry)]
        except (OSError, ValueError, IndexError):
            continue
        if any(t.startswith("/dev/pts/") or t == "/dev/tty" for t in targets):
            return True
    return False
# Questions and answers alternate, separated by \x1e; each question is looked for after the
# previous answer.
questions = sys.argv[1].split("\x1e") if sys.argv[1] else []
pairs = list(zip(questions, answers.split("\x1e")))
seen, deadline, mark = b"", time.time() + 60, 0
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
    if pairs and pairs[0][0].encode() in seen[mark:] and waiting_for_input():
        os.write(fd, pairs[0][1].encode())
        pairs.pop(0)
        mark = len(seen)
else:
    os.kill(pid, 9)
    seen += b"\n[the terminal driver gave up after 60 s]\n"
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
"#;
    let out = Command::new("python3")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home)
        .env("AWSENV_CACHE_DIR", home.join(".cache/awsenv"))
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        // The answers travel in the environment: argv is what the tests check for secrets.
        .env("AWSENV_TEST_ANSWERS", answer)
        .args(["-c", DRIVER, question, env!("CARGO_BIN_EXE_awsenv")])
        .args(args)
        .output()
        .unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.code().unwrap_or(-1))
}
