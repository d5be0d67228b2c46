//! `awsenv init SHELL`: the shell integration, from the templates in `shell/`, with the path of
//! this very executable quoted into it (so the wrapper never depends on PATH or $SHELL).

use crate::cli::{InitArgs, InitShell};
use crate::error::Error;

const BASH: &str = include_str!("../../shell/awsenv.bash");
const ZSH: &str = include_str!("../../shell/awsenv.zsh");
const FISH: &str = include_str!("../../shell/awsenv.fish");
const PWSH: &str = include_str!("../../shell/awsenv.ps1");
const NU: &str = include_str!("../../shell/awsenv.nu");
const ELVISH: &str = include_str!("../../shell/awsenv.elv");

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
        InitShell::Pwsh => (PWSH, crate::shell::quote_pwsh(bin)),
        InitShell::Nu => (NU, crate::shell::quote_nu(bin)),
        InitShell::Elvish => (ELVISH, crate::shell::quote_elvish(bin)),
    };
    template.replace("__AWSENV_BIN__", &quoted).replace("__AWSENV_VERSION__", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_gets_the_path_quoted_for_its_shell() {
        let bin = "/opt/it's here/awsenv";
        for (shell, line) in [
            (InitShell::Bash, r"__awsenv_bin='/opt/it'\''s here/awsenv'"),
            (InitShell::Zsh, r"typeset -g __awsenv_bin='/opt/it'\''s here/awsenv'"),
            (InitShell::Fish, r"set -g __awsenv_bin '/opt/it\'s here/awsenv'"),
            (InitShell::Pwsh, "$global:__awsenv_bin = '/opt/it''s here/awsenv'"),
            (InitShell::Nu, "const __awsenv_bin = r#'/opt/it's here/awsenv'#"),
            (InitShell::Elvish, "var __awsenv_bin = '/opt/it''s here/awsenv'"),
        ] {
            let script = render(shell, bin);
            assert!(!script.contains("__AWSENV_BIN__"), "{shell:?}");
            assert!(script.lines().any(|l| l == line), "{shell:?}: no line {line}");
        }
    }
}
