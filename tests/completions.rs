//! `completions/` holds clap_complete's scripts and clap_mangen's man page (`awsenv.1`), checked in
//! for packagers; this fails when they no longer match the command line. Regenerate with
//! `AWSENV_UPDATE_COMPLETIONS=1 cargo test --test completions`.

mod support;

use std::path::Path;

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

use awsenv::cli::Cli;

/// The command line as packagers ship it: the release's version, not the commit a checkout
/// builds (`awsenv --version` adds that), so the checked-in files do not change with every commit.
fn released() -> clap::Command {
    Cli::command().version(env!("CARGO_PKG_VERSION"))
}

fn generated(generator: impl Generator) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(generator, &mut released(), "awsenv", &mut out);
    out
}

/// `awsenv.1`, and `awsenv-SUBCOMMAND.1` for each visible subcommand.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    let render = |command: clap::Command| {
        let mut out = Vec::new();
        clap_mangen::Man::new(command).render(&mut out).unwrap();
        out
    };
    let cli = released();
    let mut pages = vec![("awsenv.1".to_owned(), render(cli.clone()))];
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("awsenv-{}", sub.get_name());
        let file = format!("{name}.1");
        // clap takes a static name here (its `string` feature is off, to keep start-up lean).
        pages.push((file, render(sub.clone().name(&*Box::leak(name.into_boxed_str())))));
    }
    pages
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
    let mut scripts: Vec<(String, Vec<u8>)> = scripts.into_iter().map(|(f, s)| (f.to_owned(), s)).collect();
    scripts.extend(man_pages());
    let update = std::env::var_os("AWSENV_UPDATE_COMPLETIONS").is_some();
    for (file, script) in scripts {
        let path = dir.join(&file);
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
