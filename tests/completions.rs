//! `completions/` holds clap_complete's scripts, checked in for packagers; this fails when they
//! no longer match the command line. Regenerate with
//! `AWSENV_UPDATE_COMPLETIONS=1 cargo test --test completions`.

mod support;

use std::path::Path;

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

use awsenv::cli::Cli;

fn generated(generator: impl Generator) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(generator, &mut Cli::command(), "awsenv", &mut out);
    out
}

#[test]
fn checked_in_completions_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let scripts: Vec<(&str, Vec<u8>)> = vec![
        ("awsenv.bash", generated(Shell::Bash)),
        ("_awsenv", generated(Shell::Zsh)),
        ("awsenv.fish", generated(Shell::Fish)),
        ("_awsenv.ps1", generated(Shell::PowerShell)),
        ("awsenv.elv", generated(Shell::Elvish)),
        ("awsenv.nu", generated(clap_complete_nushell::Nushell)),
    ];
    let update = std::env::var_os("AWSENV_UPDATE_COMPLETIONS").is_some();
    for (file, script) in scripts {
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &script).unwrap();
            continue;
        }
        let checked_in = std::fs::read(&path).unwrap_or_default();
        assert!(
            checked_in == script,
            "completions/{file} is stale: run AWSENV_UPDATE_COMPLETIONS=1 cargo test --test completions"
        );
    }
}

#[test]
fn completion_scripts_parse_in_their_shells() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (program, args, file) in [
        ("bash", &["-n"][..], "awsenv.bash"),
        ("zsh", &["-n"][..], "_awsenv"),
        ("fish", &["--no-execute"][..], "awsenv.fish"),
    ] {
        let Some(shell) = support::shells::find(program) else { continue };
        let out = std::process::Command::new(shell).args(args).arg(dir.join(file)).output().unwrap();
        assert!(out.status.success() && out.stderr.is_empty(), "{program}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
