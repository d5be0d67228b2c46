//! The shell side of `doctor`: whether the shell that ran it has the hook loaded (from the
//! `AWSENV_HOOK` marker that `init` leaves: shell, PID, version, binary), which start-up files
//! load it, and whether the network helper beside this binary answers with our version.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::cli::InitShell;
use crate::cmd::doctor::check::Check;
use crate::config::{display_path, locate};
use crate::env::Env;
use crate::procs::{self, SHELL_NAMES};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What `init` exports, `shell:pid:version:binary` (the binary last: a path may hold colons).
struct Marker<'a> {
    shell: &'a str,
    pid: u32,
    version: &'a str,
    bin: &'a str,
}

fn marker(env: &Env) -> Option<Marker<'_>> {
    let mut parts = env.get_nonempty("AWSENV_HOOK")?.splitn(4, ':');
    let shell = parts.next()?;
    let pid = parts.next()?.parse().ok()?;
    Some(Marker { shell, pid, version: parts.next()?, bin: parts.next()? })
}

/// Whether `pid` (the shell that loaded the hook) is the shell doctor runs in, or doctor replaced
/// that shell (its last command). A shell started inside it inherits the marker, not the hook.
fn is_this_shell(chain: &[(u32, String)], pid: u32) -> bool {
    chain.first().is_some_and(|(p, _)| *p == pid) || procs::shell() == Some(pid)
}

fn init_shell(name: &str) -> Option<InitShell> {
    Some(match name {
        "bash" => InitShell::Bash,
        "zsh" => InitShell::Zsh,
        "fish" => InitShell::Fish,
        "nu" => InitShell::Nu,
        "elvish" => InitShell::Elvish,
        "pwsh" | "powershell" => InitShell::Pwsh,
        _ => return None,
    })
}

/// The line that loads the hook, and the file it goes in.
fn how_to_load(shell: InitShell) -> &'static str {
    match shell {
        InitShell::Bash => "add `eval \"$(awsenv init bash)\"` to ~/.bashrc",
        InitShell::Zsh => "add `eval \"$(awsenv init zsh)\"` to ~/.zshrc",
        InitShell::Fish => "add `awsenv init fish | source` to ~/.config/fish/config.fish",
        InitShell::Elvish => "add `eval (awsenv init elvish | slurp)` to ~/.config/elvish/rc.elv",
        InitShell::Pwsh => "add `Invoke-Expression (& awsenv init pwsh | Out-String)` to $PROFILE",
        InitShell::Nu => "save `awsenv init nu` as awsenv.nu in nushell's config directory and source it (README)",
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The hook in the shell that ran doctor: loaded, of this binary and version.
pub fn hook(env: &Env, checks: &mut Vec<Check>) {
    let chain = procs::ancestors();
    let shell = chain.iter().skip(1).find(|(_, comm)| SHELL_NAMES.contains(&comm.as_str()));
    let exe = std::env::current_exe().unwrap_or_default();
    let marker = marker(env);
    let Some(marker) = marker.filter(|m| is_this_shell(&chain, m.pid)) else {
        let inherited = env
            .get_nonempty("AWSENV_HOOK")
            .map(|m| format!(" (AWSENV_HOOK={m} was inherited from another shell)"))
            .unwrap_or_default();
        checks.push(match shell {
            Some((pid, name)) => {
                let fix = init_shell(name)
                    .map_or("the hook is for bash, zsh, fish, nushell, elvish and PowerShell", how_to_load);
                Check::warn("shell", format!("{name} (pid {pid}) has not loaded the hook{inherited}"), fix)
            }
            None => Check::ok("shell", format!("not started from a shell, so no hook to check{inherited}")),
        });
        return;
    };
    let bin = Path::new(marker.bin);
    let reload = init_shell(marker.shell).map_or("start a new shell", how_to_load);
    let what = format!("{} (pid {})", marker.shell, marker.pid);
    if !bin.is_file() {
        checks.push(Check::fail(
            "shell",
            format!("the hook in {what} runs {}, which is not there any more", marker.bin),
            format!("start a new shell, or load the hook again: {reload}"),
        ));
    } else if !same_file(bin, &exe) {
        checks.push(Check::warn(
            "shell",
            format!("the hook in {what} runs {}, but this is {}", marker.bin, exe.display()),
            format!("load the hook of the awsenv you mean to use: {reload}"),
        ));
    } else if marker.version != VERSION {
        checks.push(Check::warn(
            "shell",
            format!("the hook in {what} is of awsenv {}, this is {VERSION}", marker.version),
            "start a new shell to load the new hook",
        ));
    } else {
        checks.push(Check::ok("shell", format!("{what} has the hook of this awsenv ({VERSION}, {})", exe.display())));
    }
    completion(env, marker.shell, checks);
}

/// Completion comes with the hook; zsh's needs compinit too.
fn completion(env: &Env, shell: &str, checks: &mut Vec<Check>) {
    if shell != "zsh" {
        checks.push(Check::ok("completion", format!("registered by the {shell} hook")));
        return;
    }
    let with_compinit = rc_files(env, InitShell::Zsh).iter().any(|f| {
        std::fs::read_to_string(f)
            .is_ok_and(|t| t.lines().any(|l| !l.trim_start().starts_with('#') && l.contains("compinit")))
    });
    checks.push(if with_compinit {
        Check::ok("completion", "registered by the zsh hook (compinit is loaded)")
    } else {
        Check::warn(
            "completion",
            "zsh completion needs compinit, which no start-up file loads",
            "add `autoload -Uz compinit && compinit` to ~/.zshrc",
        )
    });
}

fn home(env: &Env) -> PathBuf {
    PathBuf::from(locate::home_dir(env, locate::Platform::CURRENT).unwrap_or_default())
}

fn config_home(env: &Env) -> PathBuf {
    env.get_nonempty("XDG_CONFIG_HOME")
        .filter(|x| x.starts_with('/'))
        .map_or_else(|| home(env).join(".config"), PathBuf::from)
}

/// Where each shell reads its start-up code.
fn rc_files(env: &Env, shell: InitShell) -> Vec<PathBuf> {
    let home = home(env);
    let config = config_home(env);
    match shell {
        InitShell::Bash => [".bashrc", ".bash_profile", ".bash_login", ".profile"].map(|f| home.join(f)).to_vec(),
        InitShell::Zsh => {
            let dir = env.get_nonempty("ZDOTDIR").map_or_else(|| home.clone(), PathBuf::from);
            [".zshrc", ".zprofile", ".zshenv", ".zlogin"].map(|f| dir.join(f)).to_vec()
        }
        InitShell::Fish => {
            let mut files = vec![config.join("fish/config.fish")];
            if let Ok(dir) = std::fs::read_dir(config.join("fish/conf.d")) {
                let mut more: Vec<PathBuf> =
                    dir.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "fish")).collect();
                more.sort();
                files.extend(more);
            }
            files
        }
        InitShell::Elvish => vec![config.join("elvish/rc.elv"), home.join(".elvish/rc.elv")],
        InitShell::Nu => vec![config.join("nushell/config.nu"), config.join("nushell/env.nu")],
        InitShell::Pwsh => {
            vec![config.join("powershell/Microsoft.PowerShell_profile.ps1"), config.join("powershell/profile.ps1")]
        }
    }
}

const ALL: [(InitShell, &str); 6] = [
    (InitShell::Bash, "bash"),
    (InitShell::Zsh, "zsh"),
    (InitShell::Fish, "fish"),
    (InitShell::Elvish, "elvish"),
    (InitShell::Nu, "nu"),
    (InitShell::Pwsh, "pwsh"),
];

/// Which start-up files load the hook, and for which shell.
pub fn start_up_files(env: &Env, checks: &mut Vec<Check>) {
    let mut any = false;
    for (shell, name) in ALL {
        for file in rc_files(env, shell) {
            let Ok(text) = std::fs::read_to_string(&file) else { continue };
            let shown = display_path(&file, env);
            for (n, line) in text.lines().enumerate() {
                let code = line.split('#').next().unwrap_or("");
                let loads = if shell == InitShell::Nu {
                    code.contains("awsenv.nu") || code.contains("awsenv init")
                } else {
                    code.contains("awsenv init")
                };
                if !loads {
                    continue;
                }
                any = true;
                let named = code
                    .split("awsenv init")
                    .nth(1)
                    .and_then(|rest| rest.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| !w.is_empty()));
                let at = format!("{shown}:{}", n + 1);
                checks.push(match named {
                    Some(other) if other != name && !(shell == InitShell::Pwsh && other == "powershell") => {
                        Check::fail(
                            "shell",
                            format!("{at} loads the {other} hook into {name}"),
                            format!("use `awsenv init {name}` there"),
                        )
                    }
                    _ => Check::ok("shell", format!("{at} loads the hook into {name}")),
                });
            }
        }
    }
    if let Some(check) = saved_nu_script(env) {
        any = true;
        checks.push(check);
    }
    if !any {
        checks.push(Check::warn("shell", "no start-up file loads the hook: `awsenv use` cannot change a shell, and nothing renews credentials at the prompt", "see `awsenv init --help` (or the README) for your shell's line"));
    }
}

/// nushell sources a saved copy of the script, which goes stale when awsenv is upgraded or moved.
fn saved_nu_script(env: &Env) -> Option<Check> {
    let file = config_home(env).join("nushell/awsenv.nu");
    let saved = std::fs::read_to_string(&file).ok()?;
    let shown = display_path(&file, env);
    let exe = std::env::current_exe().ok()?.into_os_string().into_string().ok()?;
    Some(if saved == super::super::init::render(InitShell::Nu, &exe) {
        Check::ok("shell", format!("{shown} is this awsenv's nushell hook"))
    } else {
        Check::warn(
            "shell",
            format!("{shown} was saved by another awsenv (an older version, or another path)"),
            format!("awsenv init nu | save -f {shown}"),
        )
    })
}

/// The two helpers beside this binary, of its version: `awsenv-fetch` makes every call to AWS,
/// `awsenv-keys` holds the key store.
pub fn helper(checks: &mut Vec<Check>) {
    let helpers = [
        ("awsenv-fetch", crate::aws::helper::helper_path(), "AWSENV_FETCH", "no profile that calls AWS can be used"),
        ("awsenv-keys", crate::keys::helper_path(), "AWSENV_KEYS", "keys in awsenv's key store cannot be read"),
    ];
    for (name, path, variable, without) in helpers {
        let path = match path {
            Ok(path) => path,
            Err(e) => {
                checks.push(Check::fail("helper", e.message, "reinstall awsenv"));
                continue;
            }
        };
        let reinstall =
            format!("reinstall awsenv (`cargo install --path .` installs all three programs), or set {variable}");
        let output = Command::new(&path).arg("--version").stdin(Stdio::null()).stderr(Stdio::null()).output();
        let prefix = format!("{name} ");
        checks.push(match output {
            Err(e) => Check::fail(
                "helper",
                format!("{} cannot be started ({}): {without}", path.display(), crate::error::io_cause(&e)),
                reinstall,
            ),
            Ok(out) => match String::from_utf8_lossy(&out.stdout).trim().strip_prefix(&prefix) {
                Some(v) if v == VERSION => Check::ok("helper", format!("{} {VERSION}", path.display())),
                Some(v) => Check::fail(
                    "helper",
                    format!("{} is of version {v}, this awsenv is {VERSION}", path.display()),
                    reinstall,
                ),
                None => Check::fail(
                    "helper",
                    format!("{} does not say its version: it is older than this awsenv", path.display()),
                    reinstall,
                ),
            },
        });
    }
}
