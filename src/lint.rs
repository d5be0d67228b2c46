//! Findings about the config files, before they bite: each rule is a small pure function over
//! what the files say (no network, no clock), with file:line and a one-line fix. `awsenv lint`
//! prints them; errors make it exit 1.

use std::os::unix::fs::PermissionsExt;

use crate::config::{self, ConfigFiles, FileKind, FileTexts, Origin, SectionKind};
use crate::env::Env;
use crate::error::quoted;
use crate::resolve::{Resolver, profile_env};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable name for the rule (documented in the README).
    pub rule: &'static str,
    #[serde(skip)]
    pub at: Option<Origin>,
    pub profile: Option<String>,
    pub message: String,
    pub fix: String,
}

/// The keys the SDKs (and the AWS CLI) read in a profile: what a near-miss is measured against.
const PROFILE_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_account_id",
    "region",
    "output",
    "role_arn",
    "source_profile",
    "credential_source",
    "credential_process",
    "role_session_name",
    "external_id",
    "mfa_serial",
    "duration_seconds",
    "web_identity_token_file",
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
    "login_session",
    "endpoint_url",
    "ignore_configured_endpoint_urls",
    "services",
    "ca_bundle",
    "retry_mode",
    "max_attempts",
    "defaults_mode",
    "use_fips_endpoint",
    "use_dualstack_endpoint",
    "sts_regional_endpoints",
    "s3",
    "cli_pager",
    "cli_timestamp_format",
    "cli_binary_format",
    "cli_auto_prompt",
    "cli_history",
    "parameter_validation",
    "tcp_keepalive",
    "ec2_metadata_service_endpoint",
    "ec2_metadata_service_endpoint_mode",
    "metadata_service_timeout",
    "metadata_service_num_attempts",
    "sdk_ua_app_id",
    "account_id_endpoint_mode",
    "disable_request_compression",
    "request_min_compression_size_bytes",
    "request_checksum_calculation",
    "response_checksum_validation",
    "sigv4a_signing_region_set",
    "auth_scheme_preference",
    "mfa_process",
];

/// Keys of a sub-setting block (`s3 =`, or a service under `[services]`) that, written without
/// indentation, become keys of the section instead.
const SUB_KEYS: &[&str] = &[
    "endpoint_url",
    "addressing_style",
    "use_accelerate_endpoint",
    "use_dualstack_endpoint",
    "payload_signing_enabled",
    "use_arn_region",
    "us_east_1_regional_endpoint",
    "max_concurrent_requests",
    "max_queue_size",
    "multipart_threshold",
    "multipart_chunksize",
];

/// Prefixes of keys other well-known tools keep in these files: never flagged.
const OTHER_TOOLS: &[&str] = &["granted_", "common_fate_", "sso_auto_populated", "awsenv_", "aws_sso_", "leapp_"];

pub fn lint(texts: &FileTexts, files: &ConfigFiles<'_>, env: &Env) -> Vec<Finding> {
    let mut out = Vec::new();
    lost_indentation(files, &mut out);
    unknown_keys(files, &mut out);
    prefixed_profiles_in_credentials(texts, &mut out);
    default_twice(texts, &mut out);
    both_files_disagree(files, &mut out);
    plans(files, env, &mut out);
    credentials_file_permissions(texts, &mut out);
    secrets_in_config(files, &mut out);
    key_store_programs(files, &mut out);
    names_the_sdks_ignore(texts, &mut out);
    profile_envs(texts, files, env, &mut out);
    out.sort_by_key(|f| (f.at.map(|a| (a.file as u8, a.line)), f.rule));
    out
}

fn finding(severity: Severity, rule: &'static str, at: Option<Origin>, message: String, fix: String) -> Finding {
    Finding { severity, rule, at, profile: None, message, fix }
}

/// Each raw section of the files, with its properties in file order.
fn raw_sections<'f, 'a>(
    files: &'f ConfigFiles<'a>,
) -> impl Iterator<Item = (SectionKind, &'a str, Origin, &'f [config::Property<'a>])> {
    files.sections.iter().map(move |s| (s.kind, s.name, s.at, &files.props[s.props.clone()]))
}

/// `ec2 =` followed by `endpoint_url = ...` without indentation: the SDKs read the second line as
/// a key of the section, and the service gets no endpoint at all.
fn lost_indentation(files: &ConfigFiles<'_>, out: &mut Vec<Finding>) {
    for (kind, name, _, props) in raw_sections(files) {
        for pair in props.windows(2) {
            let (block, stray) = (&pair[0], &pair[1]);
            let opened_a_block = block.value.trim().is_empty();
            let sub_key = SUB_KEYS.contains(&stray.key.as_ref());
            let in_services = kind == SectionKind::Services;
            if opened_a_block && (sub_key || in_services) && stray.at.line == block.at.line + 1 {
                let section =
                    if in_services { format!("[services {name}]") } else { format!("profile {}", quoted(name)) };
                out.push(finding(
                    Severity::Error,
                    "lost-indentation",
                    Some(stray.at),
                    format!(
                        "`{}` under `{} =` is not indented, so the SDKs read it as a key of {section} and `{}` gets nothing",
                        stray.key, block.key, block.key
                    ),
                    format!("indent it: `  {} = {}`", stray.key, stray.value),
                ));
            }
        }
        if kind == SectionKind::Services {
            for p in props.iter().filter(|p| !p.value.trim().is_empty() && !p.value.starts_with('\n')) {
                if !out.iter().any(|f| f.at == Some(p.at)) {
                    out.push(finding(
                        Severity::Error,
                        "lost-indentation",
                        Some(p.at),
                        format!(
                            "[services {name}] holds `{} = ...` at the top level, where only `SERVICE =` blocks belong",
                            p.key
                        ),
                        "put it under the service it is for, indented".to_owned(),
                    ));
                }
            }
        }
    }
}

/// A key nobody reads that looks like one somebody does: `regoin`, `role_arm`, `sso_sesion`.
fn unknown_keys(files: &ConfigFiles<'_>, out: &mut Vec<Finding>) {
    for (kind, name, _, props) in raw_sections(files) {
        if kind != SectionKind::Profile {
            continue;
        }
        for p in props {
            let key = p.key.as_ref();
            let ours = crate::settings::AWSENV_PROFILE_KEYS;
            let near = if key.starts_with("awsenv_") {
                // awsenv's own keys: a near miss of one is a typo; anything else is left alone.
                if ours.contains(&key) {
                    continue;
                }
                crate::suggest::near_misses(key, ours, 2)
            } else {
                if PROFILE_KEYS.contains(&key)
                    || OTHER_TOOLS.iter().any(|t| key.starts_with(t))
                    || SUB_KEYS.contains(&key)
                {
                    continue;
                }
                crate::suggest::near_misses(key, PROFILE_KEYS, 1)
            };
            if let Some(near) = near.first() {
                let reader = if key.starts_with("awsenv_") { "awsenv" } else { "the SDKs" };
                out.push(Finding {
                    profile: Some(name.to_owned()),
                    ..finding(
                        Severity::Warning,
                        "unknown-key",
                        Some(p.at),
                        format!("`{key}` is not a key {reader} reads; did you mean `{near}`?"),
                        format!("rename it to `{near}`"),
                    )
                })
            }
        }
    }
}

/// `[profile x]` in the credentials file: the SDKs do not read it as profile x there.
fn prefixed_profiles_in_credentials(texts: &FileTexts, out: &mut Vec<Finding>) {
    let Some(text) = &texts.credentials else { return };
    for (i, line) in text.lines().enumerate() {
        // A header the SDKs skip there, so only the parser's reading of a header line will do.
        let Some(inner) = config::parse::header_inner(line) else { continue };
        let Some(real) = inner.trim().strip_prefix("profile ") else { continue };
        // A warning: the SDKs skip the section rather than fail, as their shared suite pins down.
        out.push(finding(
            Severity::Warning,
            "profile-prefix-in-credentials",
            Some(Origin { file: FileKind::Credentials, line: u32::try_from(i + 1).unwrap_or(u32::MAX) }),
            format!("[{}] in the credentials file is not profile {}", inner.trim(), quoted(real.trim())),
            format!("write it as [{}] there (the `profile ` prefix belongs to the config file)", real.trim()),
        ));
    }
}

/// A profile section whose name the SDKs' shared rules do not accept (`[profile my team]`,
/// `[profile naïve.dev]`, `[foo!bar]` in the credentials file): every SDK ignores it, so nothing
/// can use it, and `awsenv use` says why rather than "not found".
fn names_the_sdks_ignore(texts: &FileTexts, out: &mut Vec<Finding>) {
    for (file, text) in [(FileKind::Config, &texts.config), (FileKind::Credentials, &texts.credentials)] {
        let Some(text) = text else { continue };
        for (i, line) in text.lines().enumerate() {
            let Some(inner) = config::parse::header_inner(line) else { continue };
            let inner = inner.trim();
            let name = match file {
                FileKind::Config => match inner.strip_prefix("profile") {
                    Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim(),
                    _ => continue,
                },
                // `[profile x]` there has a rule of its own.
                FileKind::Credentials if inner.starts_with("profile ") => continue,
                FileKind::Credentials => inner,
            };
            if config::is_identifier(name) {
                continue;
            }
            // A warning: the SDKs still read the file, skipping this section (their shared suite
            // pins that down), so nothing fails; but nothing can use the section either.
            out.push(finding(
                Severity::Warning,
                "name-the-sdks-ignore",
                Some(Origin { file, line: u32::try_from(i + 1).unwrap_or(u32::MAX) }),
                format!(
                    "profile name {} is not one the SDKs accept (ASCII letters, digits and _-/.%@:+ only): every SDK ignores this section",
                    quoted(name)
                ),
                "rename it, for example with `-` for spaces and ASCII for other letters".to_owned(),
            ));
        }
    }
}

/// `[profile default]` beside `[default]` in the config file: the SDKs ignore `[default]`.
fn default_twice(texts: &FileTexts, out: &mut Vec<Finding>) {
    let Some(text) = &texts.config else { return };
    let mut plain = None;
    let mut prefixed = None;
    for (i, line) in text.lines().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        match config::parse::classify_header_line(line, FileKind::Config) {
            Some((SectionKind::Profile, "default", true)) => plain = plain.or(Some(number)),
            Some((SectionKind::Profile, "default", false)) => prefixed = prefixed.or(Some(number)),
            _ => {}
        }
    }
    if let (Some(plain), Some(prefixed)) = (plain, prefixed) {
        out.push(finding(
            Severity::Warning,
            "default-twice",
            Some(Origin { file: FileKind::Config, line: plain }),
            format!("[default] is ignored: the same file has [profile default] (line {prefixed})"),
            "merge the two into one section".to_owned(),
        ));
    }
}

/// A profile in both files with one key given two values: the credentials file's wins.
fn both_files_disagree(files: &ConfigFiles<'_>, out: &mut Vec<Finding>) {
    // Each profile's properties from every section of its name, in file order (one pass).
    let mut by_name: std::collections::HashMap<&str, Vec<&config::Property<'_>>> = Default::default();
    for (kind, name, _, props) in raw_sections(files) {
        if kind == SectionKind::Profile {
            by_name.entry(name).or_default().extend(props.iter());
        }
    }
    for name in files.profile_names() {
        let mut seen: Vec<&config::Property<'_>> = Vec::new();
        for &p in by_name.get(name).map_or(&[][..], Vec::as_slice) {
            if let Some(earlier) = seen.iter().find(|q| q.key == p.key && q.at.file != p.at.file)
                && earlier.value != p.value
            {
                let secret = p.key.contains("secret") || p.key.contains("token");
                let shown = |v: &str| if secret { "***".to_owned() } else { quoted(v) };
                out.push(Finding {
                    profile: Some(name.to_owned()),
                    ..finding(
                        Severity::Warning,
                        "both-files-disagree",
                        Some(p.at),
                        format!(
                            "profile {} sets `{}` to {} here and to {} in the other file; the credentials file's wins",
                            quoted(name),
                            p.key,
                            shown(&p.value),
                            shown(&earlier.value)
                        ),
                        format!("keep `{}` in one file", p.key),
                    )
                });
            }
            seen.push(p);
        }
    }
}

/// Every profile's plan: what awsenv (and the SDKs) would refuse, and where the AWS CLI and
/// awsenv part ways.
fn plans(files: &ConfigFiles<'_>, env: &Env, out: &mut Vec<Finding>) {
    let resolver = Resolver::new(files, env);
    for name in files.profile_names() {
        let section = files.profile(name).expect("listed names exist");
        let credentialless = section.props.iter().all(|p| !config::shadow::is_credential_key(&p.key));
        match resolver.plan(name) {
            // Settings only (a region in [default]): nothing to resolve, nothing wrong.
            Err(_) if credentialless => {}
            // `profile-env` says what is wrong with the block, at its line.
            Err(_) if profile_env::read(&section, env).is_err() => {}
            Err(e) => out.push(Finding {
                profile: Some(name.to_owned()),
                ..finding(
                    Severity::Error,
                    "unresolvable",
                    None,
                    format!("profile {}: {}", quoted(name), e.message),
                    e.hint.clone().unwrap_or_default(),
                )
            }),
            Ok(plan) => {
                let keys = section.property("aws_access_key_id").is_some();
                let other = ["login_session", "sso_session", "sso_start_url", "credential_process"]
                    .into_iter()
                    .find(|k| section.property(k).is_some());
                if keys && let Some(other) = other {
                    // Which one wins depends on the tool: the SDKs' chains do not agree.
                    let used = if plan.base.source.kind() == "static" {
                        "its static keys".to_owned()
                    } else {
                        format!("`{other}`")
                    };
                    out.push(Finding {
                        profile: Some(name.to_owned()),
                        ..finding(
                            Severity::Warning,
                            "keys-win",
                            section.property(other).map(|p| p.at),
                            format!(
                                "profile {} has static keys and `{other}`: one is silently ignored (awsenv uses {used}, not every SDK does)",
                                quoted(name)
                            ),
                            format!("remove the keys, or the `{other}` line, so the profile says one thing"),
                        )
                    });
                }
                for hop in plan.hops.iter() {
                    let Some(source) =
                        files.profile(&hop.profile).and_then(|p| p.get("source_profile").map(str::to_owned))
                    else {
                        continue;
                    };
                    let Some(source_section) = files.profile(&source) else { continue };
                    if source_section.get("credential_source").is_some() && source_section.get("role_arn").is_none() {
                        out.push(Finding {
                            profile: Some(name.to_owned()),
                            ..finding(
                                Severity::Warning,
                                "cli-rejects-source",
                                source_section.property("credential_source").map(|p| p.at),
                                format!(
                                    "profile {} is a source_profile with credential_source but no role_arn: awsenv uses it, the AWS CLI refuses it",
                                    quoted(&source)
                                ),
                                format!("give {} a role_arn, or point the source_profile at a profile with credentials", quoted(&source)),
                            )
                        });
                    }
                }
            }
        }
    }
}

/// Long-term keys that any other user of the machine can read.
fn credentials_file_permissions(texts: &FileTexts, out: &mut Vec<Finding>) {
    let Ok(meta) = std::fs::metadata(&texts.credentials_path) else { return };
    if meta.permissions().mode() & 0o077 != 0
        && texts.credentials.as_deref().is_some_and(|t| t.contains("aws_secret_access_key"))
    {
        out.push(finding(
            Severity::Error,
            "credentials-readable",
            Some(Origin { file: FileKind::Credentials, line: 1 }),
            format!("the credentials file is readable by others (mode {:o})", meta.permissions().mode() & 0o777),
            format!("chmod 600 {}", texts.credentials_path.display()),
        ));
    }
}

/// Secrets in the config file, which tools copy and share far more freely than credentials.
fn secrets_in_config(files: &ConfigFiles<'_>, out: &mut Vec<Finding>) {
    for (kind, name, _, props) in raw_sections(files) {
        for p in props.iter().filter(|p| p.at.file == FileKind::Config) {
            if kind == SectionKind::Profile && matches!(p.key.as_ref(), "aws_secret_access_key" | "aws_session_token") {
                out.push(Finding {
                    profile: Some(name.to_owned()),
                    ..finding(
                        Severity::Warning,
                        "secret-in-config",
                        Some(p.at),
                        format!("`{}` of profile {} is in the config file", p.key, quoted(name)),
                        "move the keys to the credentials file (0600), or out of plaintext (`awsenv keys import`); inside an awsenv shell, `--profile` does not see keys in the config file (awsenv's copy holds no secrets)".to_owned(),
                    )
                });
            }
        }
    }
}

/// A profile's `awsenv_env` block: names and values `use` would refuse (errors, at the line), and
/// variables that look like secrets (warnings: the config file is readable and not a store).
fn profile_envs(texts: &FileTexts, files: &ConfigFiles<'_>, env: &Env, out: &mut Vec<Finding>) {
    let line_of = |at: Origin, index: Option<usize>| index.map_or(at, |i| profile_env::origin_in(texts, at, i));
    for name in files.profile_names() {
        let section = files.profile(name).expect("listed names exist");
        let finding_for = |severity, rule, at, message, fix| Finding {
            profile: Some(name.to_owned()),
            ..finding(severity, rule, Some(at), message, fix)
        };
        match profile_env::read(&section, env) {
            Err(problem) => out.push(finding_for(
                Severity::Error,
                "profile-env",
                line_of(problem.at, problem.index),
                problem.message,
                problem.hint,
            )),
            Ok(vars) => {
                for var in vars.iter().filter(|v| profile_env::looks_secret(&v.name, &v.value)) {
                    out.push(finding_for(
                        Severity::Warning,
                        "secret-in-profile-env",
                        line_of(var.at, Some(var.index)),
                        format!(
                            "{} of profile {} looks like a secret, and the config file is no place for one",
                            var.name,
                            quoted(name)
                        ),
                        "keep secrets in a secret store, not in awsenv_env: the config file is readable, and awsenv copies it".to_owned(),
                    ));
                }
            }
        }
    }
}

/// Key-store lines (`awsenv credential-process --key-store …`) whose program awsenv cannot
/// trust to be itself (others can change it, or it is gone): every SDK runs that program.
fn key_store_programs(files: &ConfigFiles<'_>, out: &mut Vec<Finding>) {
    for (kind, name, _, props) in raw_sections(files) {
        for p in props.iter().filter(|p| kind == SectionKind::Profile && p.key == "credential_process") {
            let Some(line) = crate::keys::line::store_line(&p.value) else { continue };
            let Some(problem) = crate::keys::line::untrusted_program(&line.program) else { continue };
            out.push(Finding {
                profile: Some(name.to_owned()),
                ..finding(
                    Severity::Error,
                    "key-store-program",
                    Some(p.at),
                    format!("the key store's program {} {problem}; every SDK runs it for profile {}", line.program, quoted(name)),
                    format!(
                        "run `awsenv keys import {}` (or `keys add`) again with the awsenv you use now, installed where only you or root can write",
                        crate::shell::posix_word(name)
                    ),
                )
            });
        }
    }
}

/// The findings that bear on `plan`: about a profile of its chain, or inside the `[services]`
/// section its profile names (for `explain`).
pub fn about_plan<'f>(
    findings: &'f [Finding],
    files: &ConfigFiles<'_>,
    plan: &crate::resolve::Plan,
) -> Vec<&'f Finding> {
    let mut chain: Vec<&str> = vec![plan.profile.as_str(), plan.base.profile.as_str()];
    chain.extend(plan.hops.iter().map(|h| h.profile.as_str()));
    let services = files.profile(&plan.profile).and_then(|p| p.get("services").map(str::to_owned));
    let service_lines: Vec<Origin> = raw_sections(files)
        .filter(|(kind, name, _, _)| *kind == SectionKind::Services && Some(*name) == services.as_deref())
        .flat_map(|(_, _, _, props)| props.iter().map(|p| p.at))
        .collect();
    findings
        .iter()
        .filter(|f| {
            f.profile.as_deref().is_some_and(|p| chain.contains(&p))
                || f.at.is_some_and(|at| service_lines.contains(&at))
        })
        .collect()
}
