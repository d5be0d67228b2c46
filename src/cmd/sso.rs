//! `awsenv sso sync` and `awsenv sso add`: profiles for the accounts and roles of an IAM
//! Identity Center login, written into the user's config file (`config::edit`), from the
//! portal's listing (`sso::portal`) and the generation rules (`sso::sync`).

use std::collections::BTreeMap;

use crate::cli::{ProfileTemplate, SsoAddArgs, SsoArgs, SsoCommand, SsoSyncArgs};
use crate::config::edit::{self, Original, Section, Written};
use crate::config::{self, ConfigFiles, FileTexts, SectionKind};
use crate::env::Env;
use crate::error::{Error, quoted};
use crate::sso::sync::{self, Changes, Options};

pub fn run(args: &SsoArgs, env: &Env) -> Result<String, Error> {
    match &args.command {
        SsoCommand::Sync(args) => sync_all(args, env),
        SsoCommand::Add(args) => add(args, env),
    }
}

/// The user's config file as it is now.
fn read_config(env: &Env) -> Result<Original, Error> {
    Original::read(config::paths(env).0, env)
}

fn options_from(template: &ProfileTemplate) -> Option<Options> {
    let given =
        template.name.is_some() || template.region.is_some() || template.output.is_some() || !template.extra.is_empty();
    given.then(|| Options {
        name: template.name.clone().unwrap_or_else(|| sync::DEFAULT_NAME.to_owned()),
        region: template.region.clone(),
        output: template.output.clone(),
        extra: template.extra.clone(),
    })
}

/// The sessions a bare command means: those with a block; else the only sso-session, or the one
/// picked on a terminal.
fn sessions(given: &[String], file: &Original, env: &Env) -> Result<Vec<String>, Error> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let with_blocks = edit::sessions_with_blocks(&file.text);
    if !with_blocks.is_empty() {
        return Ok(with_blocks);
    }
    Ok(vec![one_session(env)?])
}

fn one_session(env: &Env) -> Result<String, Error> {
    let texts = config::read(env)?;
    let files = config::parse_cited(&texts, env)?;
    let names: Vec<String> = files.names(SectionKind::SsoSession).into_iter().map(str::to_owned).collect();
    match names.len() {
        0 => Err(Error::plan(format!(
            "{} has no [sso-session NAME] section",
            config::display_path(&texts.config_path, env)
        ))
        .hint("add one with sso_start_url and sso_region (or run `aws configure sso-session`)")),
        1 => Ok(names[0].clone()),
        _ => match crate::picker::pick("the sso-session", &names, 0) {
            Ok(Some(i)) => Ok(names[i].clone()),
            Ok(None) => Err(Error::usage("no sso-session picked; nothing changed")),
            Err(_) => {
                Err(Error::usage(format!("name the sso-session: --sso-session {}", names.join(" or --sso-session "))))
            }
        },
    }
}

fn sync_all(args: &SsoSyncArgs, env: &Env) -> Result<String, Error> {
    let file = read_config(env)?;
    let mut out = String::new();
    for session in sessions(&args.sessions, &file, env)? {
        out.push_str(&sync_one(&session, args, env)?);
    }
    Ok(out)
}

/// The files with `config` instead of the config file's own text (the text outside a block).
fn outside_texts(config: String, env: &Env) -> Result<FileTexts, Error> {
    let mut texts = config::read(env)?;
    texts.config = Some(config);
    Ok(texts)
}

fn sync_one(session: &str, args: &SsoSyncArgs, env: &Env) -> Result<String, Error> {
    let file = read_config(env)?;
    let block = edit::find_block(&file.text, session, &file.shown)?;
    let options = match (options_from(&args.template), block.as_ref().and_then(|b| b.options)) {
        (Some(options), _) => options,
        (None, Some(recorded)) => serde_json::from_str(recorded).map_err(|_| {
            Error::files(format!("{}: the options of the sso-session {session} block cannot be read", file.shown))
                .hint("give them again (--name, --region, ...) and they are recorded anew")
        })?,
        (None, None) => Options::default(),
    };
    options.check()?;
    let target = crate::sso::login::target(None, Some(session), env)?;
    let listing = crate::sso::portal::list(&target, env)?;

    let outside = match &block {
        Some(b) => format!("{}{}", &file.text[..b.range.start], &file.text[b.range.end..]),
        None => file.text.clone(),
    };
    let texts = outside_texts(outside, env)?;
    let files = config::parse_cited(&texts, env)?;
    let defined_outside = |name: &str| files.profile(name).map(|s| config::cite(&files, s.at, env));
    let used_outside = |name: &str| source_profile_user(&files, name, env);
    let (profiles, notes) = sync::generate(session, &listing, &options, &defined_outside)?;
    let old = block.as_ref().map(|b| sync::sections_of(b.body)).unwrap_or_default();
    let (sections, changes) = sync::compare(&old, profiles, &used_outside);
    let recorded = serde_json::to_string(&options).expect("options serialise");
    let new_text =
        edit::with_block(&file.text, session, &edit::render_block(session, &recorded, &sections)?, &file.shown)?;

    // What the portal listed and no profile can be made of is said on every run (it is never
    // written); how names were decided is said when the block is first written or changes.
    report_skipped(session, &listing.skipped);
    if new_text != file.text || args.dry_run {
        for (name, unique) in &notes.renamed {
            eprintln!(
                "awsenv: sso-session {session}: {} is the name of more than one role: written as {}",
                quoted(name),
                quoted(unique)
            );
        }
        for (name, at) in &notes.skipped {
            eprintln!("awsenv: sso-session {session}: not generated: {} is defined by hand at {at}", quoted(name));
        }
    }
    for (old, new) in &changes.renamed {
        eprintln!(
            "awsenv: sso-session {session}: renamed {} to {} (the same account and role)",
            quoted(old),
            quoted(new)
        );
    }
    for (name, user) in &changes.kept {
        eprintln!(
            "awsenv: sso-session {session}: kept {} (no longer assigned): {user} uses it as source_profile; change that, then sync again",
            quoted(name)
        );
    }
    let renamed = match changes.renamed.len() {
        0 => String::new(),
        n => format!(", {n} renamed"),
    };
    let summary = format!(
        "sso-session {session}: {} profiles from {} accounts ({} added, {} changed, {} removed{renamed}); {} portal calls",
        sections.len(),
        listing.accounts.len(),
        changes.added.len(),
        changes.changed.len(),
        changes.removed.len(),
        listing.calls
    );
    if args.dry_run {
        eprintln!("awsenv: {summary}; --dry-run: nothing written");
        return Ok(diff(session, &file.shown, &old, &sections, &changes));
    }
    let lock = crate::cache::Cache::open(env)
        .and_then(|cache| cache.lock("config-edit", std::time::Duration::from_secs(30)))
        .map_err(|e| e.context("the lock for editing the config file"))?;
    let written = edit::write_if_unchanged(&file.path, &file.bytes, new_text.as_bytes(), &file.shown)?;
    drop(lock);
    match written {
        Written::Unchanged => eprintln!("awsenv: {summary}; {} is up to date", file.shown),
        Written::Replaced { backup } => {
            eprintln!("awsenv: {summary}; wrote {} (the old one is {})", file.shown, config::display_path(&backup, env))
        }
    }
    Ok(String::new())
}

/// What the portal listed that cannot be written: said on every run, since it is never written.
fn report_skipped(session: &str, skipped: &[crate::aws::portal::Skipped]) {
    for skip in skipped {
        let role = skip.role.as_deref().map(|r| format!(", role {}", quoted(r))).unwrap_or_default();
        eprintln!("awsenv: sso-session {session}: skipped account {}{role}: {}", quoted(&skip.account), skip.why);
    }
}

/// A profile outside the block that names `name` as its source_profile, as the report says it.
fn source_profile_user(files: &ConfigFiles<'_>, name: &str, env: &Env) -> Option<String> {
    files.profile_names().into_iter().find_map(|user| {
        let section = files.profile(user)?;
        let property = section.property("source_profile").filter(|p| p.value == name)?;
        Some(format!("profile {} ({})", quoted(user), config::cite(files, property.at, env)))
    })
}

/// The changes as a diff of the block, profile by profile. Every section was checked by the
/// writer before this runs (`render_block`), so its text is lines of the file as written.
fn diff(session: &str, shown: &str, old: &BTreeMap<String, Section>, new: &[Section], changes: &Changes) -> String {
    let new_by_name: BTreeMap<&str, &Section> = new.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut out = format!("--- {shown} (sso-session {session})\n+++ {shown} (sso-session {session}, after sync)\n");
    let lines = |out: &mut String, sign: char, section: &Section| {
        for line in section.render().unwrap_or_default().lines() {
            out.push(sign);
            out.push_str(line);
            out.push('\n');
        }
    };
    for name in &changes.removed {
        lines(&mut out, '-', &old[name]);
    }
    for (old_name, new_name) in &changes.renamed {
        lines(&mut out, '-', &old[old_name]);
        lines(&mut out, '+', new_by_name[new_name.as_str()]);
    }
    for name in &changes.changed {
        lines(&mut out, '-', &old[name]);
        lines(&mut out, '+', new_by_name[name.as_str()]);
    }
    for name in &changes.added {
        lines(&mut out, '+', new_by_name[name.as_str()]);
    }
    out
}

fn add(args: &SsoAddArgs, env: &Env) -> Result<String, Error> {
    let session = match &args.session {
        Some(session) => session.clone(),
        None => one_session(env)?,
    };
    let target = crate::sso::login::target(None, Some(&session), env)?;
    let listing = crate::sso::portal::list(&target, env)?;
    report_skipped(&session, &listing.skipped);
    let mut choices: Vec<(String, &crate::aws::portal::Account, &str)> = listing
        .accounts
        .iter()
        .flat_map(|a| a.roles.iter().map(move |r| (format!("{} ({})  {r}", a.name, a.id), a, r.as_str())))
        .collect();
    if choices.is_empty() {
        return Err(Error::plan(format!("sso-session {session}: the portal lists no account and role for this login")));
    }
    choices.sort_by(|a, b| a.0.cmp(&b.0));
    let labels: Vec<String> = choices.iter().map(|c| c.0.clone()).collect();
    let Some(i) = crate::picker::pick("account and role", &labels, 0)? else {
        return Err(Error::usage("nothing picked; nothing changed"));
    };
    let (_, account, role) = &choices[i];
    let one = crate::aws::portal::Listing {
        accounts: vec![crate::aws::portal::Account { roles: vec![(*role).to_owned()], ..(*account).clone() }],
        calls: 0,
        skipped: Vec::new(),
    };
    let file = read_config(env)?;
    let mut options = options_from(&args.template).unwrap_or_default();
    if options.region.is_none() {
        // A profile without a region: inside `use` its settings are [default]'s, and the first
        // `aws …` would ask for one. The sync's recorded region, else the session's own.
        let recorded = edit::find_block(&file.text, &session, &file.shown)
            .ok()
            .flatten()
            .and_then(|b| b.options)
            .and_then(|o| serde_json::from_str::<Options>(o).ok())
            .and_then(|o| o.region);
        let region = recorded.unwrap_or_else(|| target.region.clone());
        eprintln!("awsenv: the new profile's region is {region} (--region sets another)");
        options.region = Some(region);
    }
    options.check()?;
    let texts = outside_texts(file.text.clone(), env)?;
    let files = config::parse_cited(&texts, env)?;
    let defined = |name: &str| files.profile(name).map(|s| config::cite(&files, s.at, env));
    let (profiles, notes) = sync::generate(&session, &one, &options, &defined)?;
    if let Some((name, at)) = notes.skipped.first() {
        return Err(Error::plan(format!("profile {} is already defined at {at}", quoted(name)))
            .hint("choose another name with --name, or use that profile"));
    }
    let profile = profiles.into_iter().next().expect("one account, one role, one profile");
    let new_text = edit::with_section_appended(&file.text, &profile.section)?;
    let _lock = crate::cache::Cache::open(env)
        .and_then(|cache| cache.lock("config-edit", std::time::Duration::from_secs(30)))?;
    if let Written::Replaced { backup } =
        edit::write_if_unchanged(&file.path, &file.bytes, new_text.as_bytes(), &file.shown)?
    {
        eprintln!(
            "awsenv: added profile {} to {} (the old file is {}); `awsenv use {}` uses it",
            quoted(&profile.name),
            file.shown,
            config::display_path(&backup, env),
            crate::shell::posix_word(&profile.name)
        );
    }
    Ok(String::new())
}
