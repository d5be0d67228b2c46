//! `awsenv lint [PROFILE...]`: what is wrong with the config files, with file:line and the fix
//! (`crate::lint` holds the rules). Findings go to stdout; any error makes the exit status 1.

use std::io::{IsTerminal, Write};

use crate::cli::LintArgs;
use crate::config;
use crate::env::Env;
use crate::error::Error;
use crate::lint::{Finding, Severity};

pub fn run(args: &LintArgs, env: &Env) -> Result<String, Error> {
    let texts = config::read(env)?;
    let files = crate::config::parse_cited(&texts, env)?;
    let mut findings = crate::lint::lint(&texts, &files, env);
    if !args.profiles.is_empty() {
        findings.retain(|f| f.profile.as_ref().is_some_and(|p| args.profiles.contains(p)));
    }
    let cite = |f: &Finding| f.at.map(|at| config::cite(&files, at, env));
    let out = if args.json {
        let values: Vec<serde_json::Value> = findings
            .iter()
            .map(|f| {
                let mut v = serde_json::to_value(f).expect("findings serialise");
                v["at"] = cite(f).map_or(serde_json::Value::Null, serde_json::Value::from);
                v
            })
            .collect();
        format!("{}\n", serde_json::Value::Array(values))
    } else {
        let colour = std::io::stdout().is_terminal() && env.get("NO_COLOR").is_none_or(str::is_empty);
        let mut out = String::new();
        for f in &findings {
            let (word, paint) = match f.severity {
                Severity::Error => ("error", "\x1b[31m"),
                Severity::Warning => ("warning", "\x1b[33m"),
            };
            let word = if colour { format!("{paint}{word}\x1b[0m") } else { word.to_owned() };
            let at = cite(f).map(|c| format!("{c}: ")).unwrap_or_default();
            out.push_str(&format!(
                "{word}: {at}{}; fix: {} [{}]\n",
                f.message.replace(char::is_control, " "),
                f.fix,
                f.rule
            ));
        }
        out
    };
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    if errors == 0 {
        if findings.is_empty() && !args.json {
            eprintln!("awsenv: no findings");
        }
        return Ok(out);
    }
    // The findings are the output even when they fail the run.
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush());
    let warnings = findings.len() - errors;
    Err(Error::files(format!(
        "{errors} error{} and {warnings} warning{} in the config files",
        plural(errors),
        plural(warnings)
    ))
    .hint("each line above says where and what to change"))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
