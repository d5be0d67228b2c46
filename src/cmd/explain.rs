//! `awsenv explain PROFILE`: the Plan, hop by hop, with file:line. No secret, no network.

use serde_json::{Value, json};

use crate::cli::ExplainArgs;
use crate::config::{self, ConfigFiles};
use crate::credentials::{format_rfc3339, mask_key_id};
use crate::env::Env;
use crate::error::Error;
use crate::resolve::{Plan, Resolver, Source};
use crate::settings::ENV_TWINS;
use crate::source::CacheState;

/// One step of the chain as shown to the user: what it is, where it is written, and its details.
struct Step {
    kind: &'static str,
    title: String,
    profile: String,
    at: String,
    details: Vec<(&'static str, String)>,
}

pub fn run(args: &ExplainArgs, env: &Env) -> Result<String, Error> {
    let name = crate::config::locate::named_or_active(args.profile.as_deref(), env)?;
    let texts = config::read(env).map_err(|e| e.profile(name))?;
    let files = crate::config::parse_cited(&texts, env).map_err(|e| e.profile(name))?;
    // With no PROFILE, the shell's own ad hoc roles count; `--role-arn` adds one.
    let roles = super::with_roles(name, args.profile.is_none(), &Default::default(), &args.role, env)?.chain;
    let plan = match Resolver::new(&files, env).plan_with_region(name, args.region.as_deref()) {
        Ok(mut plan) => {
            crate::resolve::adhoc::extend(&mut plan, &roles).map_err(|e| e.profile(name))?;
            plan
        }
        Err(e) => match settings_only(name, &files, env, args.json) {
            Some(out) => return Ok(out),
            None => return Err(e.profile(name)),
        },
    };
    let steps = steps(&plan, &files, env);
    let copy = config::shadow::enabled(env);
    let exports = exports(&plan, &files, &texts, env, copy);
    if args.json {
        return Ok(to_json(&plan, &files, env, &steps, &exports));
    }
    let mut out = format!("profile {} ({})\n", plan.profile, config::cite(&files, plan.at, env));
    out.push_str("credentials, in order:\n");
    for (i, step) in steps.iter().enumerate() {
        out.push_str(&format!("  {}. {}\n     from profile {} ({})\n", i + 1, step.title, step.profile, step.at));
        for (label, value) in &step.details {
            out.push_str(&format!("     {label}: {value}\n"));
        }
    }
    out.push_str("exports:\n");
    out.push_str("  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID\n     from the last step (the token, expiry and account when it has them)\n");
    for (variable, value, from) in &exports {
        out.push_str(&format!("  {variable}={value}\n     from {from}\n"));
    }
    if copy {
        let (config_path, _) = config::paths(env);
        out.push_str(&format!(
            "  AWS_CONFIG_FILE=awsenv's private copy of {}, whose [default] holds this profile's settings\n     \
             so that every SDK in the shell reads them (and none of [default]'s own); credentials are never copied\n",
            config::display_path(&config_path, env)
        ));
    }
    out.push_str(
        "  AWSENV_PROFILE, AWSENV_EXPIRES_AT, AWSENV_VARS\n     awsenv's own, for the shell hook and the prompt\n",
    );
    out.push_str("  AWS_PROFILE is not set (add --export-profile to `awsenv use` to set it)\n");
    out.push_str(&settings_section(&plan, &files, env));
    let findings = crate::lint::lint(&texts, &files, env);
    let relevant = crate::lint::about_plan(&findings, &files, &plan);
    if !relevant.is_empty() {
        out.push_str("findings (awsenv lint):\n");
        for f in relevant {
            let at = f.at.map(|at| format!("{}: ", config::cite(&files, at, env))).unwrap_or_default();
            let severity = if f.severity == crate::lint::Severity::Error { "error" } else { "warning" };
            out.push_str(&format!(
                "  {severity}: {at}{}\n     fix: {}\n",
                f.message.replace(char::is_control, " "),
                f.fix
            ));
        }
    }
    Ok(out)
}

/// A profile that holds settings and no credential source at all (the usual `[default]`, a
/// region and an output format): what it sets, with file:line, and that it has no credentials,
/// instead of an error. `None` for any other profile that cannot be planned.
fn settings_only(name: &str, files: &ConfigFiles<'_>, env: &Env, json: bool) -> Option<String> {
    let section = files.profile(name)?;
    if section.props.iter().any(|p| config::shadow::is_credential_key(&p.key)) {
        return None;
    }
    let settings: Vec<(String, String, String)> = section
        .props
        .iter()
        .map(|p| (p.key.to_string(), p.value.replace('\n', " "), config::cite(files, p.at, env)))
        .collect();
    if json {
        let list: Vec<Value> = settings.iter().map(|(k, v, at)| json!({"key": k, "value": v, "at": at})).collect();
        let value =
            json!({"profile": name, "at": config::cite(files, section.at, env), "credentials": null, "settings": list});
        return Some(format!("{value}\n"));
    }
    let mut out = format!("profile {name} ({})\n", config::cite(files, section.at, env));
    out.push_str("credentials: none (this profile holds settings only)\n");
    out.push_str("settings:\n");
    for (key, value, at) in &settings {
        out.push_str(&format!("  {key} = {value}\n     from {at}\n"));
    }
    out.push_str(
        "every SDK uses these for whatever the environment does not set; `awsenv use` needs a profile with credentials (`awsenv list` shows them)\n",
    );
    Some(out)
}

/// Where a role step is written: its `role_arn` line, or the command line for an ad hoc role.
fn hop_at(hop: &crate::resolve::RoleHop, cite: &dyn Fn(config::Origin) -> String) -> String {
    hop.at.map_or_else(|| "the command line: --role-arn, not in any file".to_owned(), cite)
}

/// Where this profile's calls go and what its SDK settings are, with where each comes from, and
/// what a source profile sets that does not carry over.
fn settings_section(plan: &Plan, files: &ConfigFiles<'_>, env: &Env) -> String {
    use crate::aws::endpoint;
    let cite = |at| config::cite(files, at, env);
    let setting = |key: &str| plan.settings.values.iter().find(|(k, _, _)| *k == key);
    let mut out = String::from("settings:\n");
    match setting("region") {
        Some((_, value, Some(at))) => out.push_str(&format!("  region: {value} (region, {})\n", cite(*at))),
        Some((_, value, None)) => out.push_str(&format!("  region: {value} (--region)\n")),
        None => out.push_str("  region: none set; SDKs then fail to pick one unless AWS_REGION is set (awsenv's own calls use us-east-1)\n"),
    }
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(value) = env.user_var(var) {
            out.push_str(&format!("     {var}={value} in this environment wins for awsenv's own calls\n"));
        }
    }
    if let Some((_, value, Some(at))) = setting("endpoint_url") {
        out.push_str(&format!("  endpoint_url: {value} ({}): every service without an entry of its own\n", cite(*at)));
    }
    if let Some(services) = files.profile(&plan.profile).and_then(|p| p.property("services")) {
        out.push_str(&format!("  services {} ({}):", services.value, cite(services.at)));
        if plan.settings.service_endpoints.is_empty() {
            out.push_str(" no service in it has an endpoint_url\n");
        } else {
            out.push('\n');
            for e in &plan.settings.service_endpoints {
                out.push_str(&format!("     {} -> {} ({})\n", e.service, e.url, cite(e.at)));
            }
        }
    }
    for key in [
        "ignore_configured_endpoint_urls",
        "ca_bundle",
        "sts_regional_endpoints",
        "use_fips_endpoint",
        "use_dualstack_endpoint",
    ] {
        if let Some((_, value, Some(at))) = setting(key) {
            out.push_str(&format!("  {key}: {value} ({})\n", cite(*at)));
        }
    }
    for var in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_CA_BUNDLE"] {
        if let Some(value) = env.user_var(var) {
            out.push_str(&format!("  {var}={value} in this environment wins over the files\n"));
        }
    }
    if !plan.hops.is_empty()
        && let Ok(region) = endpoint::region(env, &plan.settings, None)
    {
        out.push_str(&format!(
            "  STS calls for the role steps go to {}\n",
            endpoint::sts(env, &plan.settings, &region)
        ));
    }
    for hop in &plan.hops {
        if let Some(seconds) = hop.duration_seconds {
            out.push_str(&format!(
                "  duration_seconds: {seconds} for role {} ({})\n",
                hop.role_arn,
                hop_at(hop, &cite)
            ));
        }
    }
    // What the profiles further down the chain set for themselves.
    let mut inherited = Vec::new();
    let sources = plan.hops.iter().map(|h| h.profile.as_str()).chain([plan.base.profile.as_str()]);
    for source in sources.filter(|p| *p != plan.profile) {
        let Some(section) = files.profile(source) else { continue };
        for p in section.props.iter().filter(|p| !config::shadow::is_credential_key(&p.key)) {
            let own = files.profile(&plan.profile).is_some_and(|s| s.property(&p.key).is_some());
            if !own && !inherited.iter().any(|(s, k): &(String, String)| s == source && *k == p.key) {
                inherited.push((source.to_owned(), p.key.to_string()));
                out.push_str(&format!(
                    "  not inherited: {} of profile {source} ({}) applies to {source}'s own use only, not to {}\n",
                    p.key,
                    cite(p.at),
                    plan.profile
                ));
            }
        }
    }
    out
}

fn steps(plan: &Plan, files: &ConfigFiles<'_>, env: &Env) -> Vec<Step> {
    let cite = |at| config::cite(files, at, env);
    let base = &plan.base;
    let (title, details): (String, Vec<(&str, String)>) = match &base.source {
        Source::StaticKeys { access_key_id, session_token, account_id, .. } => {
            let mut d = vec![("access key id", mask_key_id(access_key_id))];
            d.push(("session token", if session_token.is_some() { "yes" } else { "no" }.to_owned()));
            if let Some(a) = account_id {
                d.push(("account", a.clone()));
            }
            // The key id in one file and the secret in the other: awsenv merges them as the
            // SDKs' shared suite says, but botocore and the Go SDK v2 both refuse such a profile.
            let section = files.profile(&base.profile);
            let file_of = |key: &str| section.as_ref().and_then(|s| s.property(key)).map(|p| p.at.file);
            if let (Some(id_file), Some(secret_file)) = (file_of("aws_access_key_id"), file_of("aws_secret_access_key"))
                && id_file != secret_file
            {
                d.push((
                    "note",
                    "the key id and the secret are in different files: awsenv merges them, but botocore (the AWS CLI) and the Go SDK do not read such a profile; keep both in the credentials file".to_owned(),
                ));
            }
            ("static keys".to_owned(), d)
        }
        Source::Environment => (
            "keys from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)".to_owned(),
            vec![],
        ),
        Source::Imds => ("EC2 instance metadata (IMDSv2)".to_owned(), vec![]),
        Source::Ecs => ("ECS container credentials (AWS_CONTAINER_CREDENTIALS_*_URI)".to_owned(), vec![]),
        Source::Process { command, account_id } => {
            let mut d = vec![("command", command.clone())];
            if let Some(a) = account_id {
                d.push(("account if the output has none", a.clone()));
            }
            ("credential_process".to_owned(), d)
        }
        Source::WebIdentity { role_arn, token_file, session_name } => (
            format!("assume role {role_arn} with a web identity token"),
            vec![
                ("token file", token_file.clone()),
                ("session name", session_name.clone().unwrap_or_else(|| "generated".to_owned())),
            ],
        ),
        Source::Sso { session, start_url, region, account_id, role_name } => {
            let mut d = vec![("start url", start_url.clone()), ("region", region.clone())];
            if let Some(s) = session {
                d.push(("sso-session", s.clone()));
            }
            let login = crate::sso::token::Login { session: session.as_deref(), start_url, region };
            if let Some(path) = login.token_path(env) {
                let state = crate::sso::token::token_state(env, &login);
                d.push(("login token", format!("{} ({})", config::display_path(&path, env), state.long())));
            }
            match (account_id, role_name) {
                (Some(a), Some(r)) => {
                    d.push(("account", a.clone()));
                    d.push(("role", r.clone()));
                }
                _ => d.push((
                    "note",
                    "no sso_account_id / sso_role_name: this profile yields an SSO token, not credentials".to_owned(),
                )),
            }
            ("IAM Identity Center (SSO)".to_owned(), d)
        }
        Source::Login { session } => {
            ("`aws login` console session".to_owned(), vec![("login_session", session.clone())])
        }
        Source::KeyStore { backend, name } => {
            let mut d = vec![
                ("store", format!("{} (`awsenv keys list` shows what it holds)", backend.name())),
                ("entry", name.clone()),
            ];
            if let Some(entry) = crate::keys::indexed(env, *backend, name) {
                d.push(("access key id", mask_key_id(&entry.access_key_id)));
            }
            ("long-term keys in awsenv's key store (read only when a call needs them)".to_owned(), d)
        }
    };
    let mut details = details;
    let session = crate::source::mfa::session_for(plan, files, env).ok().flatten();
    match &session {
        Some(session) => details.push((
            "MFA session",
            format!(
                "GetSessionToken with MFA device {} ({}): one code per session of {}, cached; {}",
                session.serial,
                cite(session.serial_at),
                crate::prompt::left(i64::from(session.duration_seconds)),
                if plan.hops.is_empty() {
                    "the session is what this profile exports, never the long-term keys"
                } else {
                    "the first role is assumed from it with no code (AWS counts that as role chaining: at most an hour)"
                }
            ),
        )),
        None => {
            if let (Source::StaticKeys { session_token: None, .. } | Source::KeyStore { .. }, Some(hop)) =
                (&base.source, plan.hops.first())
                && hop.mfa_serial.is_some()
                && hop.duration_seconds.is_some_and(|d| d > crate::resolve::MAX_CHAINED_DURATION)
            {
                details.push((
                    "MFA session",
                    format!(
                        "no MFA session: a role assumed from one may last at most an hour, and {} asks for {} s, so it is assumed from these keys with its own code",
                        hop.profile,
                        hop.duration_seconds.unwrap_or_default()
                    ),
                ));
            }
        }
    }
    let mut steps =
        vec![Step { kind: base.source.kind(), title, profile: base.profile.clone(), at: cite(base.at), details }];
    for (i, hop) in plan.hops.iter().enumerate() {
        let mut details = vec![
            ("session name", hop.session_name.clone().unwrap_or_else(|| "generated".to_owned())),
            ("duration", hop.duration_seconds.map_or_else(|| "STS default (1 hour)".to_owned(), |d| format!("{d} s"))),
        ];
        if let Some(e) = &hop.external_id {
            details.push(("external id", e.clone()));
        }
        match &hop.mfa_serial {
            Some(m) if i == 0 && session.is_some() => {
                details.push(("mfa device", format!("{m} (satisfied by the MFA session)")))
            }
            Some(m) => details.push(("mfa device", format!("{m} (asks for a code)"))),
            None => {}
        }
        steps.push(Step {
            kind: "role",
            title: format!("assume role {}", hop.role_arn),
            profile: hop.profile.clone(),
            at: hop_at(hop, &cite),
            details,
        });
    }
    let cache = crate::cache::Cache::existing(env);
    for (step, state) in steps.iter_mut().zip(crate::source::cache_states(plan, files, env, cache.as_ref())) {
        if let Some(text) = describe_cache(state) {
            step.details.push(("cache", text));
        }
    }
    steps
}

/// A step's cache state as `explain` and `list` word it.
pub fn describe_cache(state: CacheState) -> Option<String> {
    let now = time::OffsetDateTime::now_utc();
    match state {
        CacheState::NotCached => None,
        CacheState::Missing => Some("not cached".to_owned()),
        CacheState::Valid(t) => {
            Some(format!("valid until {} ({} left)", format_rfc3339(t), crate::prompt::left((t - now).whole_seconds())))
        }
        CacheState::Expired(t) => Some(format!("expired at {}", format_rfc3339(t))),
    }
}

/// (variable, value, where it comes from) for the settings the profile exports.
/// What reaches the shell for each setting: a variable, or (with awsenv's copy of the config,
/// `copy`) a line of the copy's `[default]`, which only the region also has as variables.
fn exports(
    plan: &Plan,
    files: &ConfigFiles<'_>,
    texts: &config::FileTexts,
    env: &Env,
    copy: bool,
) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (key, value, at) in &plan.settings.values {
        let from = match at {
            Some(at) => format!("{key} ({})", config::cite(files, *at, env)),
            None => "--region".to_string(),
        };
        if copy && *key != "region" {
            out.push(("[default] of the copy".to_owned(), format!("{key} = {value}"), from));
            continue;
        }
        let vars = ENV_TWINS.iter().find(|(k, _)| k == key).map_or(&[][..], |(_, v)| *v);
        for var in vars {
            out.push((var.to_string(), value.clone(), from.clone()));
        }
    }
    for endpoint in &plan.settings.service_endpoints {
        let from = format!("services {} endpoint_url ({})", endpoint.service, config::cite(files, endpoint.at, env));
        match &endpoint.variable {
            _ if copy => out.push((
                "[default] of the copy".to_owned(),
                format!("{} endpoint_url = {}", endpoint.service, endpoint.url),
                from,
            )),
            Some(var) => out.push((var.clone(), endpoint.url.clone(), from)),
            None => out.push((
                "(not exported)".to_owned(),
                endpoint.url.clone(),
                format!("{from}: the service name makes no variable name"),
            )),
        }
    }
    profile_env_exports(plan, files, texts, env, &mut out);
    out
}

/// The profile's own variables with the line each comes from, and the blocks of the profiles its
/// chain passes through, which are not inherited (they belong to other accounts).
fn profile_env_exports(
    plan: &Plan,
    files: &ConfigFiles<'_>,
    texts: &config::FileTexts,
    env: &Env,
    out: &mut Vec<(String, String, String)>,
) {
    use crate::resolve::profile_env;
    let cite_line = |at, index| config::cite(files, profile_env::origin_in(texts, at, index), env);
    for var in &plan.settings.profile_env {
        // The config file is no secret store, but what looks like a secret is not repeated here.
        let value = match profile_env::looks_secret(&var.name, &var.value) {
            true => "(looks like a secret: not shown; `awsenv lint` says more)".to_owned(),
            false => var.value.clone(),
        };
        let from = format!("{} of profile {} ({})", profile_env::KEY, plan.profile, cite_line(var.at, var.index));
        out.push((var.name.clone(), value, from));
    }
    let mut others: Vec<&str> = plan.hops.iter().map(|h| h.profile.as_str()).collect();
    others.push(&plan.base.profile);
    others.dedup();
    for other in others.into_iter().filter(|p| *p != plan.profile) {
        if let Some(block) = files.profile(other).and_then(|s| s.property(profile_env::KEY)) {
            out.push((
                "(not inherited)".to_owned(),
                format!("{} of profile {other}", profile_env::KEY),
                format!(
                    "{}: only the selected profile's own variables are exported, a source profile's belong to its account",
                    config::cite(files, block.at, env)
                ),
            ));
        }
    }
}

fn to_json(
    plan: &Plan,
    files: &ConfigFiles<'_>,
    env: &Env,
    steps: &[Step],
    exports: &[(String, String, String)],
) -> String {
    let steps: Vec<Value> = steps
        .iter()
        .map(|s| {
            let mut v = json!({"kind": s.kind, "title": s.title, "profile": s.profile, "at": s.at});
            for (label, value) in &s.details {
                v[label.replace(' ', "_")] = json!(value);
            }
            v
        })
        .collect();
    let exports: Vec<Value> =
        exports.iter().map(|(var, value, from)| json!({"variable": var, "value": value, "from": from})).collect();
    let value = json!({
        "profile": plan.profile,
        "at": config::cite(files, plan.at, env),
        "kind": plan.kind(),
        "steps": steps,
        "exports": exports,
    });
    format!("{}\n", serde_json::to_string_pretty(&value).expect("JSON values serialise"))
}
