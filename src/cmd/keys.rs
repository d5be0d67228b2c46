//! `awsenv keys add|import|list|rm|rotate`: long-term keys in a secret store (`crate::keys`),
//! and the profile's `credential_process` line that points every SDK at it. These commands exist
//! to rewrite the user's files: each says what it changed, keeps every byte it does not own,
//! writes through symlinks, and keeps a backup that holds no secret.

use crate::aws::helper::{Answer, Operation, Request, Target, WireCredentials};
use crate::cli::{KeysArgs, KeysCommand, KeysProfileArgs, KeysRotateArgs, KeysStoreArgs};
use crate::config::edit::{self, HeaderStyle, Original, Written};
use crate::config::{self, FileKind};
use crate::env::Env;
use crate::error::{Error, quoted};
use crate::keys::{self, Backend, IndexEntry, StoredKey};

const KEY_LINES: &[&str] = &["aws_access_key_id", "aws_secret_access_key"];

pub fn run(args: &KeysArgs, env: &Env) -> Result<String, Error> {
    match &args.command {
        KeysCommand::Add(args) => add(args, env),
        KeysCommand::Import(args) => import(args, env),
        KeysCommand::List => Ok(list(env)),
        KeysCommand::Rm(args) => remove(args, env),
        KeysCommand::Rotate(args) => rotate(args, env),
    }
}

fn backend(given: Option<&str>, env: &Env) -> Result<Backend, Error> {
    match given {
        Some(name) => Backend::parse(name)
            .ok_or_else(|| Error::usage(format!("--store must be os or file, not {}", quoted(name)))),
        None => Backend::default(env),
    }
}

fn check_name(profile: &str) -> Result<(), Error> {
    if config::is_identifier(profile) {
        Ok(())
    } else {
        Err(Error::usage(format!("{} is not a profile name the files can hold", quoted(profile))))
    }
}

/// A long-term key id: `AKIA` and sixteen capitals or digits (temporary keys start `ASIA`).
fn check_key_id(id: &str) -> Result<(), Error> {
    let long_term =
        id.len() == 20 && id.starts_with("AKIA") && id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if long_term {
        Ok(())
    } else if id.starts_with("ASIA") {
        Err(Error::usage("that is a temporary key (ASIA...): the store is for an IAM user's long-term keys"))
    } else {
        Err(Error::usage("an access key id is AKIA and 16 capital letters or digits"))
    }
}

fn header_style(profile: &str, kind: FileKind) -> HeaderStyle {
    match (kind, profile) {
        (FileKind::Config, "default") | (FileKind::Credentials, _) => HeaderStyle::Bare,
        (FileKind::Config, _) => HeaderStyle::Profile,
    }
}

/// Point `profile` at the store in the config file (its `credential_process` line).
fn point_at_store(profile: &str, backend: Backend, env: &Env) -> Result<(), Error> {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.into_os_string().into_string().ok())
        .unwrap_or_else(|| "awsenv".into());
    if let Some(problem) = keys::untrusted_program(&exe) {
        return Err(Error::plan(format!(
            "awsenv runs from {exe}, which {problem}: a credential_process line naming it would let whoever can change it hand every SDK this profile's credentials; nothing was written"
        ))
        .hint("install awsenv where only you or root can write (cargo install, a package), then run the command again"));
    }
    let line = keys::credential_process_line(&exe, backend, profile);
    let file = Original::read(config::paths(env).0, env)?;
    let new = edit::with_key_set(
        &file.text,
        FileKind::Config,
        profile,
        header_style(profile, FileKind::Config),
        "credential_process",
        &line,
    )?;
    report(
        edit::write_if_unchanged(&file.path, &file.bytes, new.as_bytes(), &file.shown)?,
        &file.shown,
        env,
        &format!("credential_process = {line}"),
    );
    Ok(())
}

fn report(written: Written, shown: &str, env: &Env, what: &str) {
    if let Written::Replaced { backup } = written {
        eprintln!("awsenv: {shown}: {what} (the old file is {})", config::display_path(&backup, env));
    }
}

fn remember(profile: &str, backend: Backend, key_id: &str, env: &Env) -> Result<(), Error> {
    let mut index = keys::read_index(env);
    index.retain(|e| e.name != profile);
    index.push(IndexEntry {
        name: profile.to_owned(),
        backend,
        access_key_id: key_id.to_owned(),
        added: crate::credentials::format_rfc3339(time::OffsetDateTime::now_utc()),
    });
    index.sort_by(|a, b| a.name.cmp(&b.name));
    keys::write_index(env, &index)
}

fn put(backend: Backend, profile: &str, key: &StoredKey) -> Result<(), Error> {
    match keys::call(
        &keys::Request::Put { backend, name: profile.to_owned(), key: key.clone() },
        keys::Patience::person().deadline,
    )? {
        keys::Answer::Done => Ok(()),
        _ => Err(Error::fetch("awsenv-keys answered a store with something else")),
    }
}

fn add(args: &KeysStoreArgs, env: &Env) -> Result<String, Error> {
    check_name(&args.profile)?;
    let backend = backend(args.store.as_deref(), env)?;
    let texts = config::read(env)?;
    let files = config::parse_cited(&texts, env)?;
    if let Some(p) = files.profile(&args.profile).and_then(|s| s.property("aws_access_key_id")) {
        return Err(Error::plan(format!(
            "profile {} already has keys at {}",
            quoted(&args.profile),
            config::cite(&files, p.at, env)
        ))
        .hint(format!(
            "move them into the store with `awsenv keys import {}`",
            crate::shell::posix_word(&args.profile)
        )));
    }
    let no_tty = |_| {
        Error::usage("`keys add` asks for the keys on the terminal, and there is none").hint("run it in a terminal")
    };
    let key_id = crate::tty::ask(&format!("Access key id for {}: ", args.profile)).map_err(no_tty)?.trim().to_owned();
    check_key_id(&key_id)?;
    let secret = crate::tty::ask_secret("Secret access key: ").map_err(no_tty)?.trim().to_owned();
    if secret.len() < 16 || secret.contains(char::is_whitespace) {
        return Err(Error::usage("that is not a secret access key (40 characters, no spaces)"));
    }
    put(backend, &args.profile, &StoredKey { access_key_id: key_id.clone(), secret_access_key: secret })?;
    remember(&args.profile, backend, &key_id, env)?;
    point_at_store(&args.profile, backend, env)?;
    eprintln!("awsenv: stored the keys of {} ({key_id}) in the {} store", quoted(&args.profile), backend.name());
    Ok(String::new())
}

fn import(args: &KeysStoreArgs, env: &Env) -> Result<String, Error> {
    check_name(&args.profile)?;
    let backend = backend(args.store.as_deref(), env)?;
    let (config_path, credentials_path) = config::paths(env);
    let note = format!("(moved to the awsenv key store: {})", keys::reference_argument(backend, &args.profile));
    let mut found: Option<(String, String)> = None;
    let mut edits = Vec::new();
    for (path, kind) in [(credentials_path, FileKind::Credentials), (config_path, FileKind::Config)] {
        let file = Original::read(path, env)?;
        let (kept, redacted, removed) = edit::without_keys(&file.text, kind, &args.profile, KEY_LINES, &note);
        if removed.is_empty() {
            continue;
        }
        let value = |key: &str| removed.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        if let (Some(id), Some(secret)) = (value("aws_access_key_id"), value("aws_secret_access_key")) {
            found.get_or_insert((id, secret));
        }
        edits.push((file, kept, redacted));
    }
    let Some((key_id, secret)) = found else {
        return Err(Error::plan(format!(
            "profile {} has no aws_access_key_id and aws_secret_access_key to import",
            quoted(&args.profile)
        ))
        .hint(format!(
            "`awsenv keys add {}` stores keys typed on the terminal",
            crate::shell::posix_word(&args.profile)
        )));
    };
    check_key_id(&key_id)?;
    put(backend, &args.profile, &StoredKey { access_key_id: key_id.clone(), secret_access_key: secret })?;
    remember(&args.profile, backend, &key_id, env)?;
    // Stored first, removed from the files after: a failure in between leaves the keys in both.
    for (file, kept, redacted) in edits {
        let written =
            edit::write_with_backup(&file.path, &file.bytes, kept.as_bytes(), redacted.as_bytes(), &file.shown)?;
        report(written, &file.shown, env, &format!("removed the keys of {}", quoted(&args.profile)));
    }
    point_at_store(&args.profile, backend, env)?;
    // The copies of the credentials file that servers hand their processes held the key too:
    // those no server holds go, the held ones are made again from the file as it is now.
    config::shadow::renew_credentials_copies(env);
    eprintln!("awsenv: moved the keys of {} ({key_id}) into the {} store", quoted(&args.profile), backend.name());
    Ok(String::new())
}

fn list(env: &Env) -> String {
    let index = keys::read_index(env);
    if index.is_empty() {
        eprintln!("awsenv: no keys stored (`awsenv keys add PROFILE` or `awsenv keys import PROFILE`)");
        return String::new();
    }
    let width = index.iter().map(|e| e.name.len()).max().unwrap_or(0).max("PROFILE".len());
    let mut out = format!("{:width$}  STORE  ACCESS KEY ID         ADDED\n", "PROFILE");
    for e in index {
        out.push_str(&format!("{:width$}  {:5}  {:20}  {}\n", e.name, e.backend.name(), e.access_key_id, e.added));
    }
    out
}

/// Which store holds `profile`'s keys, from its credential_process line (else the index).
fn stored_in(profile: &str, env: &Env) -> Result<Backend, Error> {
    let texts = config::read(env)?;
    let files = config::parse_cited(&texts, env)?;
    let from_line = files
        .profile(profile)
        .and_then(|s| s.get("credential_process"))
        .and_then(keys::reference)
        .filter(|(_, n)| n == profile);
    from_line
        .map(|(b, _)| b)
        .or_else(|| keys::read_index(env).into_iter().find(|e| e.name == profile).map(|e| e.backend))
        .ok_or_else(|| {
            Error::plan(format!("profile {} has no keys in awsenv's store", quoted(profile)))
                .hint("`awsenv keys list` shows the ones it has")
        })
}

fn remove(args: &KeysProfileArgs, env: &Env) -> Result<String, Error> {
    let backend = stored_in(&args.profile, env)?;
    match keys::call(&keys::Request::Delete { backend, name: args.profile.clone() }, keys::Patience::person().deadline)?
    {
        keys::Answer::Done => {}
        _ => return Err(Error::fetch("awsenv-keys answered a removal with something else")),
    }
    let mut index = keys::read_index(env);
    index.retain(|e| e.name != args.profile);
    keys::write_index(env, &index)?;
    // The credential_process line goes only if it is awsenv's own line for these keys.
    let file = Original::read(config::paths(env).0, env)?;
    let (kept, _, removed) =
        edit::without_keys(&file.text, FileKind::Config, &args.profile, &["credential_process"], "");
    if removed.iter().all(|(_, v)| keys::reference(v).is_some_and(|(_, n)| n == args.profile)) && !removed.is_empty() {
        report(
            edit::write_if_unchanged(&file.path, &file.bytes, kept.as_bytes(), &file.shown)?,
            &file.shown,
            env,
            "removed its credential_process line",
        );
    }
    eprintln!("awsenv: removed the keys of {} from the {} store", quoted(&args.profile), backend.name());
    Ok(String::new())
}

/// One call in awsenv-fetch, signed with `credentials`.
fn call(
    endpoint: String,
    region: &str,
    settings: &crate::resolve::Settings,
    env: &Env,
    operation: Operation,
) -> Result<Answer, Error> {
    crate::aws::helper::call(&Request { target: Target::new(endpoint, region, settings, env, false), operation })
}

fn rotate(args: &KeysRotateArgs, env: &Env) -> Result<String, Error> {
    let backend = stored_in(&args.profile, env)?;
    let old = keys::get(backend, &args.profile, keys::Patience::person())?;
    let texts = config::read(env)?;
    let files = config::parse_cited(&texts, env)?;
    let plan = crate::resolve::Resolver::new(&files, env).plan(&args.profile).ok();
    let settings = plan.as_ref().map(|p| p.settings.clone()).unwrap_or_default();
    // What signs the IAM calls: the user's MFA session when it has a device (the day's, from the
    // cache, or a new one with a code), since a "manage your own keys only with MFA" policy
    // denies the long-term key alone; else the old key.
    let through_mfa = match &plan {
        Some(plan) => crate::source::mfa::session_for(plan, &files, env)?.is_some(),
        None => false,
    };
    let signer = if through_mfa {
        let resolve = crate::cli::ResolveArgs { mfa_code: args.mfa_code.clone(), ..Default::default() };
        crate::acquire::resolve(&args.profile, &resolve, env)
            .map_err(|e| e.context("the MFA session that signs the rotation").profile(&args.profile))?
            .1
    } else {
        old.clone()
    };
    let iam =
        crate::aws::endpoint::configured(env, &settings, "iam").unwrap_or_else(|| crate::aws::iam::ENDPOINT.to_owned());
    let region = crate::aws::endpoint::region(env, &settings, None)?;
    let sts = crate::aws::endpoint::sts(env, &settings, &region);
    let who = |e: Error| e.profile(&args.profile);

    let identity = |credentials: &crate::credentials::Credentials| {
        call(
            sts.clone(),
            &region,
            &settings,
            env,
            Operation::GetCallerIdentity { credentials: WireCredentials::from(credentials) },
        )
        .and_then(|answer| match answer {
            Answer::Identity { arn, .. } => Ok(arn),
            _ => Err(Error::fetch("awsenv-fetch answered GetCallerIdentity with something else")),
        })
    };
    // 0. Whose key this is: the new one must be the same IAM user's before the old one goes.
    let owner = identity(&old).map_err(|e| who(e.context("the stored key").hint("nothing changed")))?;
    // 1. A new key, made by the signer.
    let created = call(
        iam.clone(),
        crate::aws::iam::REGION,
        &settings,
        env,
        Operation::CreateAccessKey { credentials: WireCredentials::from(&signer) },
    )
    .map_err(|e| who(e.hint("nothing changed: the old key is still stored and in use")))?;
    let Answer::AccessKey { access_key_id, secret_access_key } = created else {
        return Err(Error::fetch("awsenv-fetch answered CreateAccessKey with something else"));
    };
    let new = StoredKey { access_key_id: access_key_id.clone(), secret_access_key };
    // Whatever fails before the new key is stored, the new key goes and the old one stays.
    let undo = |why: Error| -> Error {
        let deleted = call(
            iam.clone(),
            crate::aws::iam::REGION,
            &settings,
            env,
            Operation::DeleteAccessKey {
                credentials: WireCredentials::from(&signer),
                access_key_id: access_key_id.clone(),
            },
        );
        let note = match deleted {
            Ok(_) => format!("the new key {access_key_id} was deleted again; the old key is still stored and in use"),
            Err(_) => format!(
                "the new key {access_key_id} could not be deleted (delete it in IAM); the old key is still stored and in use"
            ),
        };
        who(Error { hint: Some(note), ..why })
    };
    // 2. It works and is the same user's: GetCallerIdentity with it (IAM takes a few seconds to
    // let a new key in).
    let mut verified = Err(Error::fetch("not tried"));
    for attempt in 0..5 {
        if attempt > 0 {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
        verified = identity(&new.credentials());
        if verified.is_ok() {
            break;
        }
    }
    let new_owner = verified.map_err(|e| undo(e.context("the new key does not work yet")))?;
    if new_owner != owner {
        return Err(undo(Error::fetch(format!(
            "the new key {access_key_id} belongs to {new_owner}, not to {owner}, whose key it was to replace"
        ))));
    }
    // 3. Stored in place of the old one.
    put(backend, &args.profile, &new).map_err(|e| undo(e.context("storing the new key")))?;
    remember(&args.profile, backend, &access_key_id, env).map_err(|e| {
        who(e.context(format!(
            "the new key {access_key_id} is stored, the old key {} is not deleted, but awsenv's index of keys could not be written",
            old.access_key_id
        )))
    })?;
    // 4. The old key deleted, by the signer (or the new key, for a user without MFA).
    let deleter = if through_mfa { signer.clone() } else { new.credentials() };
    let deleted = call(
        iam,
        crate::aws::iam::REGION,
        &settings,
        env,
        Operation::DeleteAccessKey {
            credentials: WireCredentials::from(&deleter),
            access_key_id: old.access_key_id.clone(),
        },
    );
    if let Err(e) = deleted {
        return Err(who(e.context(format!(
            "the new key {access_key_id} is stored and works, but the old key {} is not deleted",
            old.access_key_id
        )))
        .hint(format!("delete it: aws iam delete-access-key --access-key-id {}", old.access_key_id)));
    }
    eprintln!(
        "awsenv: rotated the key of {}: {} replaces {}, which is deleted",
        quoted(&args.profile),
        access_key_id,
        old.access_key_id
    );
    Ok(String::new())
}
