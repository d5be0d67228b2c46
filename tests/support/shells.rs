//! Running generated code in the real shells, the way users run it, and reading the resulting
//! environment back byte-exact with `env -0`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use awsenv::shell::ShellKind;

pub struct RealShell {
    pub kind: ShellKind,
    pub program: &'static str,
}

/// Every shell that runs here. PowerShell has no runtime to install; its quoting is covered by
/// exact-output unit tests in `src/shell/pwsh.rs`.
pub const SHELLS: &[RealShell] = &[
    RealShell { kind: ShellKind::Sh, program: "dash" },
    RealShell { kind: ShellKind::Bash, program: "bash" },
    RealShell { kind: ShellKind::Zsh, program: "zsh" },
    RealShell { kind: ShellKind::Fish, program: "fish" },
    RealShell { kind: ShellKind::Elvish, program: "elvish" },
    RealShell { kind: ShellKind::Tcsh, program: "tcsh" },
    RealShell { kind: ShellKind::Nu, program: "nu" },
];

/// The program on PATH or in the test tools the README's test command installs. Missing: a
/// failure in CI, a loud skip elsewhere.
pub fn find(program: &str) -> Option<PathBuf> {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found =
        std::iter::once(tools).chain(std::env::split_paths(&path)).map(|d| d.join(program)).find(|p| p.is_file());
    if found.is_none() {
        if super::in_ci() {
            panic!("{program} is not installed; in CI every shell must be (run scripts/test)");
        }
        eprintln!("\n*** SKIPPING {program}: not installed (scripts/test installs it) ***\n");
    }
    found
}

/// Evaluate `code` in `shell` as a user would (`eval "$(awsenv ...)"`, `| source`, ...), starting
/// from `initial` as the environment, and return the environment the shell then hands a child.
pub fn eval_and_read_env(
    shell: &RealShell,
    program: &Path,
    code: &str,
    initial: &[(&str, &str)],
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("exports");
    let mut cmd = Command::new(program);
    cmd.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default()).env("HOME", dir.path());
    match shell.kind {
        ShellKind::Sh | ShellKind::Bash | ShellKind::Zsh => {
            std::fs::write(&script, code).unwrap();
            if shell.kind == ShellKind::Bash {
                cmd.args(["--norc", "--noprofile"]);
            }
            if shell.kind == ShellKind::Zsh {
                cmd.arg("-f");
            }
            cmd.args(["-c", r#"eval "$(cat "$1")" && exec env -0"#, "sh", script.to_str().unwrap()]);
        }
        ShellKind::Fish => {
            std::fs::write(&script, code).unwrap();
            cmd.args(["--no-config", "-c", "cat $AWSENV_TEST_SCRIPT | source; and exec env -0"]);
            cmd.env("AWSENV_TEST_SCRIPT", &script);
        }
        ShellKind::Elvish => {
            std::fs::write(&script, code).unwrap();
            cmd.args(["-norc", "-c", "eval (slurp < $E:AWSENV_TEST_SCRIPT); e:env -0"]);
            cmd.env("AWSENV_TEST_SCRIPT", &script);
        }
        ShellKind::Tcsh => {
            std::fs::write(&script, code).unwrap();
            cmd.args(["-f", "-c", r#"eval "`cat $AWSENV_TEST_SCRIPT`" && env -0"#]);
            cmd.env("AWSENV_TEST_SCRIPT", &script);
        }
        ShellKind::Nu => {
            let script = dir.path().join("exports.nu");
            std::fs::write(&script, format!("{code}\n^env -0\n")).unwrap();
            cmd.args(["--no-config-file", "--no-std-lib"]).arg(&script);
        }
        ShellKind::Pwsh => unreachable!("no PowerShell runtime here"),
    }
    for (k, v) in initial {
        cmd.env(k, v);
    }
    let out = cmd.output().map_err(|e| format!("{}: {e}", program.display()))?;
    if !out.status.success() || !out.stderr.is_empty() {
        return Err(format!(
            "{} exited {:?}; stderr: {}",
            program.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut env = BTreeMap::new();
    for entry in out.stdout.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let eq = entry.iter().position(|&b| b == b'=').unwrap_or(entry.len());
        env.insert(
            String::from_utf8_lossy(&entry[..eq]).into_owned(),
            entry.get(eq + 1..).unwrap_or_default().to_vec(),
        );
    }
    Ok(env)
}

/// Run `steps` (`use prod`, `unset`, …) through `shell`'s own wrapper (`awsenv init SHELL`), as a
/// person types them, from a clean environment plus `env`; the environment after each step, as
/// `env -0` reads it. `None` when the shell is not installed (a loud skip, or a failure in CI).
pub fn through_the_wrapper(
    shell: &str,
    env: &[(&str, String)],
    steps: &[&str],
) -> Option<Vec<BTreeMap<String, String>>> {
    let program = find(shell)?;
    let init = Command::new(env!("CARGO_BIN_EXE_awsenv")).args(["init", shell]).output().unwrap();
    assert!(init.status.success());
    let out = tempfile::tempdir().unwrap();
    let mut script = format!("{}\n", String::from_utf8(init.stdout).unwrap());
    for (i, step) in steps.iter().enumerate() {
        let file = out.path().join(format!("{i}.env"));
        let file = file.display();
        script.push_str(&match shell {
            "nu" => format!("awsenv {step}\n^env -0 | save -f '{file}'\n"),
            "elvish" => format!("awsenv {step}\ne:env -0 > '{file}'\n"),
            _ => format!("awsenv {step}\nenv -0 > '{file}'\n"),
        });
    }
    let script_file = out.path().join("script");
    std::fs::write(&script_file, &script).unwrap();
    let mut cmd = Command::new(&program);
    cmd.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default());
    for (k, v) in env {
        cmd.env(k, v);
    }
    match shell {
        "bash" => cmd.args(["--norc", "--noprofile"]).arg(&script_file),
        "zsh" => cmd.arg("-f").arg(&script_file),
        "fish" => cmd.arg("--no-config").arg(&script_file),
        "elvish" => cmd.arg("-norc").arg(&script_file),
        _ => cmd.args(["--no-config-file", "--no-std-lib"]).arg(&script_file),
    };
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{shell}: {}", String::from_utf8_lossy(&output.stderr));
    let read = |i: usize| -> BTreeMap<String, String> {
        let file = out.path().join(format!("{i}.env"));
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{shell}: {}: {e}", file.display()));
        bytes
            .split(|&b| b == 0)
            .filter(|e| !e.is_empty())
            .map(|entry| {
                let text = String::from_utf8_lossy(entry);
                let (k, v) = text.split_once('=').unwrap_or((&text, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect()
    };
    Some((0..steps.len()).map(read).collect())
}
