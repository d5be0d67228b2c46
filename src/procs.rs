//! This process's ancestry, read from /proc: which shell awsenv runs in. `doctor` asks whether
//! that shell loaded the hook; `serve --detach` ends when that shell is gone.

/// Program names of the shells awsenv knows (as /proc/PID/comm shows them).
pub const SHELL_NAMES: &[&str] =
    &["bash", "zsh", "fish", "nu", "elvish", "pwsh", "tcsh", "csh", "dash", "sh", "ksh", "mksh"];

/// This process and its ancestors, nearest first: (pid, program name).
pub fn ancestors() -> Vec<(u32, String)> {
    let mut chain = Vec::new();
    let mut pid = std::process::id();
    while pid > 1 && chain.len() < 64 {
        let Some((comm, parent)) = stat(pid) else { break };
        chain.push((pid, comm));
        pid = parent;
    }
    chain
}

/// (program name, parent pid) of `pid`, from `pid (comm) state ppid ...`; comm may hold spaces
/// and parentheses, so it ends at the last `)`.
fn stat(pid: u32) -> Option<(String, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (open, close) = (stat.find('(')?, stat.rfind(')')?);
    let comm = stat.get(open + 1..close)?.trim_start_matches('-').to_owned();
    let parent = stat.get(close + 1..)?.split_whitespace().nth(1)?.parse().ok()?;
    Some((comm, parent))
}

/// When `pid` started (clock ticks since boot): with the pid, it names one process for good.
pub fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.get(stat.rfind(')')? + 1..)?.split_whitespace().nth(19)?.parse().ok()
}

fn cmdline(pid: u32) -> Option<Vec<u8>> {
    std::fs::read(format!("/proc/{pid}/cmdline")).ok()
}

/// The process group of `pid`.
fn process_group(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.get(stat.rfind(')')? + 1..)?.split_whitespace().nth(2)?.parse().ok()
}

/// The shell awsenv runs in: the nearest shell above this process, and above that its own
/// subshells' parent (`$(...)` forks the shell: same program, same command line, and the same
/// process group). A shell that leads a process group of its own is a shell of its own, not a
/// fork for a command substitution: an interactive shell started inside another (`bash` in
/// `bash`), a `( ... )` job, a script; there it stops, so whatever lives as long as "the shell"
/// (`serve --detach`) lives as long as that one. A shell started inside another with a command
/// line of its own (`bash -c ...`) stops it too. `None` when awsenv was not started from a
/// shell, or is the shell's last command (`sh -c awsenv ...` replaces the shell with awsenv).
pub fn shell() -> Option<u32> {
    let chain = ancestors();
    let nearest = chain.iter().skip(1).position(|(_, comm)| SHELL_NAMES.contains(&comm.as_str()))? + 1;
    let mut shell = chain[nearest].0;
    let line = cmdline(shell);
    for (pid, comm) in &chain[nearest + 1..] {
        if process_group(shell) == Some(shell) {
            break;
        }
        if *comm != chain[nearest].1 || line.is_none() || cmdline(*pid) != line {
            break;
        }
        shell = *pid;
    }
    Some(shell)
}

/// Whether `pid` runs this very executable as this user (a recycled pid is left alone).
pub fn is_this_program(pid: u32) -> bool {
    use std::os::unix::fs::MetadataExt;
    let exe = std::fs::read_link(format!("/proc/{pid}/exe"));
    let mine = std::env::current_exe();
    let owner = std::fs::metadata(format!("/proc/{pid}")).map(|m| m.uid());
    // SAFETY: geteuid has no preconditions.
    matches!((exe, mine, owner), (Ok(a), Ok(b), Ok(uid)) if a == b && uid == unsafe { libc::geteuid() })
}

/// Start this very executable with `args` in a session of its own, with no terminal and no
/// output, and leave it running (the background refresher, a detached watcher): closing the
/// terminal does not stop it half-way. Its pid.
pub fn start_detached<S: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = S>) -> std::io::Result<u32> {
    let mut command = std::process::Command::new(std::env::current_exe()?);
    command.args(args);
    Ok(spawn_detached(&mut command)?.id())
}

/// Start `command` in a session of its own with no terminal streams: it outlives awsenv, a
/// Ctrl-C at the shell does not reach it, and it never writes on the user's terminal.
pub fn spawn_detached(command: &mut std::process::Command) -> std::io::Result<std::process::Child> {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    // SAFETY: setsid is async-signal-safe, and nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    command.spawn()
}
