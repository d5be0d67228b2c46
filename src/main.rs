use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use awsenv::cli::Cli;
use awsenv::env::Env;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let command = match awsenv::cli::parse_use_fast(&args) {
        Some(command) => command,
        None => match Cli::try_parse_from(&args) {
            Ok(cli) => awsenv::cli::dash_means_previous(cli.command, &args),
            Err(e) if !e.use_stderr() && awsenv::cli::is_hook_use(&args) => {
                // The hook evals what `use --hook` prints: never help or a version there.
                eprintln!(
                    "awsenv: `use --hook` prints only exports, not {}; hint: pass the profile name after `--`",
                    if e.kind() == clap::error::ErrorKind::DisplayVersion { "the version" } else { "help" }
                );
                return ExitCode::from(2);
            }
            Err(e) if !e.use_stderr() => {
                // Help and version go to stdout.
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                // `awsenv`, `awsenv sso`, `awsenv keys` alone: the first thing a new user types.
                // The usual multi-line help, on stderr (stdout may be eval'd), and exit 2 — the
                // stated exception to the one-line error rule.
                eprint!("{}", e.render());
                return ExitCode::from(2);
            }
            Err(e) => {
                // Usage errors: one line on stderr like every other error, exit 2.
                eprintln!("awsenv: {}", one_line_usage_error(&e.render().to_string()));
                return ExitCode::from(2);
            }
        },
    };
    let env = Env::from_process();
    let result = awsenv::cmd::run(command, &env);
    // Every helper started is waited for before awsenv ends.
    awsenv::aws::helper::end_session();
    match result {
        Ok(output) => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(output.as_bytes()).and_then(|()| stdout.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("awsenv: cannot write the output: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("awsenv: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// clap's multi-line usage error as one line: the error, then its tips, possible values and usage
/// as the hint.
fn one_line_usage_error(rendered: &str) -> String {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty()).peekable();
    let mut cause = lines.next().unwrap_or("invalid command line").trim_start_matches("error: ").to_owned();
    if cause.starts_with("the following required arguments were not provided") {
        // clap lists them on the lines below: say it as a sentence that names the command.
        let mut missing = Vec::new();
        while let Some(arg) = lines.next_if(|l| l.starts_with('<') || l.starts_with("--")) {
            missing.push(arg.trim_start_matches('<').trim_end_matches("...").trim_end_matches('>').to_owned());
        }
        let command = rendered
            .lines()
            .find_map(|l| l.trim().strip_prefix("Usage: "))
            .map(|usage| {
                usage.split_whitespace().take_while(|w| !w.starts_with(['[', '<', '-'])).collect::<Vec<_>>().join(" ")
            })
            .unwrap_or_else(|| "awsenv".to_owned());
        cause = format!("`{command}` needs {}", missing.join(" and "));
    }
    let hints: Vec<String> = lines
        .filter(|l| !l.starts_with("For more information"))
        .map(|l| {
            let l = l.trim_start_matches("tip: ");
            let l = l.strip_prefix('[').and_then(|l| l.strip_suffix(']')).unwrap_or(l);
            match l.strip_prefix("Usage: ") {
                Some(usage) => format!("usage: {usage}"),
                None => l.to_owned(),
            }
        })
        .collect();
    if hints.is_empty() {
        format!("{cause}; hint: see `awsenv --help`")
    } else {
        format!("{cause}; hint: {}", hints.join("; "))
    }
}
