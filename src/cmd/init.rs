//! `awsenv init SHELL`: the shell integration, from the templates in `shell/`, with the path of
//! this very executable quoted into it (so the wrapper never depends on PATH or $SHELL).

use crate::cli::{InitArgs, InitShell};
use crate::error::Error;

const BASH: &str = include_str!("../../shell/awsenv.bash");
const ZSH: &str = include_str!("../../shell/awsenv.zsh");
const FISH: &str = include_str!("../../shell/awsenv.fish");

pub fn run(args: &InitArgs) -> Result<String, Error> {
    let bin = std::env::current_exe()
        .ok()
        .and_then(|p| p.into_os_string().into_string().ok())
        .unwrap_or_else(|| "awsenv".to_owned());
    Ok(render(args.shell, &bin))
}

pub fn render(shell: InitShell, bin: &str) -> String {
    let (template, quoted) = match shell {
        InitShell::Bash => (BASH, crate::shell::quote_posix(bin)),
        InitShell::Zsh => (ZSH, crate::shell::quote_posix(bin)),
        InitShell::Fish => (FISH, crate::shell::quote_fish(bin)),
    };
    template.replace("__AWSENV_BIN__", &quoted)
}
