//! `awsenv list`: every profile with its kind, region and where it is defined.

use serde_json::json;

use crate::cli::ListArgs;
use crate::config::{self, FileKind};
use crate::env::Env;
use crate::error::Error;
use crate::resolve::Resolver;

struct Row {
    name: String,
    /// `role/static` in the table: the first step's kind after the slash.
    kind: String,
    /// For role profiles, the kind of the chain's first step.
    base: Option<&'static str>,
    hops: usize,
    region: String,
    at: String,
    files: Vec<&'static str>,
    problem: Option<String>,
}

pub fn run(args: &ListArgs, env: &Env) -> Result<String, Error> {
    let texts = config::read(env)?;
    let files = super::parse(&texts, env)?;
    let resolver = Resolver::new(&files, env);
    let shown = [
        config::display_path(files.path(FileKind::Config), env),
        config::display_path(files.path(FileKind::Credentials), env),
    ];
    let cite = |at: config::Origin| format!("{}:{}", shown[at.file as usize], at.line);
    let mut rows = Vec::new();
    for name in files.profile_names() {
        let section = files.profile(name).expect("listed names exist");
        let (in_config, in_credentials) = section.files();
        let mut where_ = Vec::new();
        if in_config {
            where_.push("config");
        }
        if in_credentials {
            where_.push("credentials");
        }
        let region = section.get("region").unwrap_or("").to_owned();
        let (kind, base, hops, problem) = match resolver.plan(name) {
            Ok(plan) if plan.hops.is_empty() => (plan.kind().to_owned(), None, 0, None),
            Ok(plan) => {
                let base = plan.base.source.kind();
                (format!("role/{base}"), Some(base), plan.hops.len(), None)
            }
            Err(e) => ("invalid".to_owned(), None, 0, Some(e.message)),
        };
        rows.push(Row {
            name: name.to_owned(),
            kind,
            base,
            hops,
            region,
            at: cite(section.at),
            files: where_,
            problem,
        });
    }
    if args.json {
        let values: Vec<_> = rows
            .iter()
            .map(|r| json!({"name": r.name, "kind": r.kind.split('/').next(), "base": r.base, "role_hops": r.hops, "region": if r.region.is_empty() { None } else { Some(&r.region) }, "at": r.at, "files": r.files, "error": r.problem}))
            .collect();
        return Ok(format!("{}\n", serde_json::Value::Array(values)));
    }
    if rows.is_empty() {
        eprintln!(
            "awsenv: no profiles in {} or {}",
            config::display_path(files.path(FileKind::Config), env),
            config::display_path(files.path(FileKind::Credentials), env)
        );
        return Ok(String::new());
    }
    let width = |f: fn(&Row) -> usize, title: &str| rows.iter().map(f).max().unwrap_or(0).max(title.len());
    let (wn, wk, wr) = (
        width(|r| r.name.chars().count(), "PROFILE"),
        width(|r| r.kind.len(), "KIND"),
        width(|r| r.region.chars().count().max(1), "REGION"),
    );
    let mut out = String::with_capacity(rows.len() * (wn + wk + wr + 40));
    let cell = |out: &mut String, text: &str, width: usize| {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', width.saturating_sub(text.chars().count()) + 2));
    };
    cell(&mut out, "PROFILE", wn);
    cell(&mut out, "KIND", wk);
    cell(&mut out, "REGION", wr);
    out.push_str("DEFINED AT\n");
    for r in &rows {
        cell(&mut out, &r.name, wn);
        cell(&mut out, &r.kind, wk);
        cell(&mut out, if r.region.is_empty() { "-" } else { &r.region }, wr);
        out.push_str(&r.at);
        if r.files.len() > 1 {
            out.push_str(" (+credentials)");
        }
        if let Some(problem) = &r.problem {
            out.push_str("  ! ");
            out.push_str(&problem.replace(char::is_control, " "));
        }
        out.push('\n');
    }
    Ok(out)
}
