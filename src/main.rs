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
            Ok(cli) => cli.command,
            Err(e) => {
                // Help and version go to stdout; usage errors to stderr, with exit 2.
                let _ = e.print();
                return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
            }
        },
    };
    let env = Env::from_process();
    match awsenv::cmd::run(command, &env) {
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
