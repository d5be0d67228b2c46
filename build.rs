//! `awsenv --version` names the commit it was built from when built from a git checkout
//! (`0.1.0 (1a2b3c4)`), and the version alone otherwise (a crate from the registry, a tarball).

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // Rebuilt when the checkout moves to another commit; nothing to watch outside a checkout.
    for watched in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if Path::new(watched).exists() {
            println!("cargo:rerun-if-changed={watched}");
        }
    }
    let version = env!("CARGO_PKG_VERSION");
    let commit = Path::new(".git")
        .exists()
        .then(|| Command::new("git").args(["rev-parse", "--short", "HEAD"]).output().ok())
        .flatten()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|hash| hash.trim().to_owned())
        .filter(|hash| !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit()));
    let shown = match commit {
        Some(hash) => format!("{version} ({hash})"),
        None => version.to_owned(),
    };
    println!("cargo:rustc-env=AWSENV_VERSION={shown}");
}
