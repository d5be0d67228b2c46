//! `awsenv unset`: remove everything awsenv set.

use crate::cli::OutputArgs;
use crate::env::Env;
use crate::error::Error;
use crate::exports::unset_changes;

pub fn run(args: &OutputArgs, env: &Env) -> Result<String, Error> {
    crate::shell::render(&unset_changes(env), args.shell, args.format)
}
