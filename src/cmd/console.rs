//! `awsenv console [PROFILE]`: sign in to the AWS console with the profile's credentials, in the
//! browser, browser profile or Firefox container the user picks.
//!
//! Which credentials can sign in is `signin`'s (an IAM user through GetFederationToken); where the
//! browser opens and how the sign-in URL reaches it without being on a command line or left on
//! disk is `browser`'s. This file handles the arguments and what is printed.

use crate::aws::endpoint;
use crate::aws::helper::{self, Answer, Operation, Request, Target, WireCredentials};
use crate::browser::{self, Choice, Wishes};
use crate::cli::ConsoleArgs;
use crate::env::Env;
use crate::error::{Error, quoted};
use crate::signin::{self, Signin};

const FEDERATION: &str = "https://signin.aws.amazon.com/federation";

pub fn run(args: &ConsoleArgs, env: &Env) -> Result<String, Error> {
    let (signin, env, profile) = sign_in_as(args, env)?;
    let env = &env;
    // The browser is decided before any call, so that a choice that cannot work fails first.
    let choice = if args.print { None } else { Some(choice(args, profile.as_deref(), env)?) };
    let region = endpoint::region(env, &signin.settings, args.resolve.region.as_deref())?;
    let (federation, console) = endpoints(env, &region);
    let request = Request {
        target: Target::new(federation.clone(), region.clone(), &signin.settings, env, false),
        operation: Operation::SigninToken {
            federation_url: federation.clone(),
            credentials: WireCredentials::from(&signin.credentials),
            duration_seconds: signin.session_duration,
        },
    };
    let token = match helper::call(&request)? {
        Answer::SigninToken(token) => token,
        _ => return Err(Error::fetch(format!("{} answered GetSigninToken with something else", helper::HELPER))),
    };
    let destination = match (&args.destination, &args.service) {
        (Some(url), _) => url.clone(),
        (None, Some(service)) => service_console(&console, service, &region)?,
        (None, None) => console,
    };
    let url = format!(
        "{federation}?Action=login&Issuer=awsenv&Destination={}&SigninToken={}",
        crate::aws::sts::url_encode(&destination),
        crate::aws::sts::url_encode(&token)
    );
    let Some(choice) = choice else {
        let printed = match args.container.as_ref().map(|name| name.as_deref().or(profile.as_deref())) {
            Some(name) => browser::container_link(name.unwrap_or("aws"), &url),
            None => url,
        };
        note(&signin);
        return Ok(format!("{printed}\n"));
    };
    let shown = choice.open(&url, env)?;
    eprintln!("awsenv: opened the console in {shown}, signed in as {}", crate::text::printable(&signin.signed_in_as));
    note(&signin);
    Ok(String::new())
}

fn note(signin: &Signin) {
    if let Some(lacks) = &signin.lacks {
        eprintln!("awsenv: note: {lacks}");
    }
}

/// The credentials that sign in, the environment to resolve endpoints with, and the profile
/// they are of: the one named, else the one this shell acts as (with its ad hoc roles), else
/// the keys in this shell's environment.
fn sign_in_as(args: &ConsoleArgs, env: &Env) -> Result<(Signin, Env, Option<String>), Error> {
    let active = env.get_nonempty(crate::settings::AWSENV_PROFILE);
    let (name, of_the_shell) = match (&args.profile, active) {
        (Some(name), _) => (Some(name.as_str()), false),
        (None, Some(name)) => (Some(name), true),
        (None, None) => (None, false),
    };
    match name {
        Some(name) => {
            if of_the_shell {
                let shown = env.get_nonempty("AWSENV_SHOWN").unwrap_or(name);
                eprintln!("awsenv: console for {}, which this shell acts as", quoted(shown));
            }
            let resolve = super::with_roles(name, of_the_shell, &args.resolve, &args.resolve.role, env)?;
            Ok((signin::for_profile(name, &resolve, args.duration, env)?, env.clone(), Some(name.to_owned())))
        }
        None => {
            let subject = super::whoami::subject(None, &args.resolve, env)?;
            eprintln!("awsenv: console for the credentials in this shell's environment (it acts as no profile)");
            let signin = signin::for_environment(subject.credentials, subject.settings, args.duration, &subject.env)?;
            Ok((signin, subject.env, None))
        }
    }
}

/// The browser from the flags, else the profile's own keys, else the environment.
fn choice(args: &ConsoleArgs, profile: Option<&str>, env: &Env) -> Result<Choice, Error> {
    let flags = Wishes {
        browser: args.browser.as_deref(),
        browser_profile: args.browser_profile.as_deref(),
        container: args.container.as_ref().map(Option::as_deref),
    };
    let section = profile.and_then(|name| {
        let texts = crate::config::read(env).ok()?;
        let files = crate::config::parse(&texts).ok()?;
        files.profile(name).map(|section| {
            let get = |key| section.get(key).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
            (get(browser::BROWSER_KEY), get(browser::BROWSER_PROFILE_KEY), get(browser::CONTAINER_KEY))
        })
    });
    let (browser, browser_profile, container) = section.unwrap_or_default();
    let container = match container.as_deref() {
        None => None,
        Some(v) if v.eq_ignore_ascii_case("false") => None,
        Some(v) if v.eq_ignore_ascii_case("true") => Some(None),
        Some(name) => Some(Some(name)),
    };
    let keys = Wishes { browser: browser.as_deref(), browser_profile: browser_profile.as_deref(), container };
    Choice::decide(&flags, &keys, env, profile.unwrap_or("aws"))
}

/// A service's console page in `region`, on the partition's console host (`home`, the region's
/// console home from `endpoints`).
fn service_console(home: &str, service: &str, region: &str) -> Result<String, Error> {
    let valid =
        !service.is_empty() && service.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(Error::usage(format!("--service {} is not a console service name", crate::error::quoted(service)))
            .hint("use the name in the console's address, such as s3, ec2 or cloudwatch"));
    }
    // `https://HOST/...` → `https://HOST`.
    let origin = home.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    Ok(format!("{origin}/{service}/home?region={region}"))
}

/// The federation endpoint and the console for the region's partition; `AWSENV_FEDERATION_URL`
/// overrides the former.
fn endpoints(env: &Env, region: &str) -> (String, String) {
    let (federation, console) = if region.starts_with("us-gov-") {
        (
            "https://signin.amazonaws-us-gov.com/federation".to_owned(),
            "https://console.amazonaws-us-gov.com/".to_owned(),
        )
    } else if region.starts_with("cn-") {
        ("https://signin.amazonaws.cn/federation".to_owned(), "https://console.amazonaws.cn/".to_owned())
    } else {
        (FEDERATION.to_owned(), format!("https://{region}.console.aws.amazon.com/console/home?region={region}"))
    };
    (env.get_nonempty("AWSENV_FEDERATION_URL").map_or(federation, str::to_owned), console)
}
