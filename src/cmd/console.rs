//! `awsenv console [PROFILE]`: sign in to the AWS console with the profile's credentials.
//!
//! The sign-in URL carries a token that signs in whoever has it for 15 minutes, so it is not put
//! on a command line (where `ps` shows it): the browser is given the path of a private (0600)
//! page in awsenv's cache directory that redirects to it, and pages older than a minute are
//! removed on the next run.

use std::os::unix::fs::OpenOptionsExt;
use std::time::{Duration, SystemTime};

use crate::aws::endpoint;
use crate::aws::helper::{self, Answer, Operation, Request, Target, WireCredentials};
use crate::cache::Cache;
use crate::cli::ConsoleArgs;
use crate::env::Env;
use crate::error::{Error, io_cause};

const FEDERATION: &str = "https://signin.aws.amazon.com/federation";

pub fn run(args: &ConsoleArgs, env: &Env) -> Result<String, Error> {
    let subject = super::whoami::subject(args.profile.as_deref(), &args.resolve, env)?;
    let (credentials, env) = (subject.credentials, &subject.env);
    let region = endpoint::region(env, &subject.settings, args.resolve.region.as_deref())?;
    let (federation, console) = endpoints(env, &region);
    let request = Request {
        target: Target::new(federation.clone(), region.clone(), &subject.settings, env, false),
        operation: Operation::SigninToken {
            federation_url: federation.clone(),
            credentials: WireCredentials::from(&credentials),
            duration_seconds: args.duration,
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
    let mut url = format!(
        "{federation}?Action=login&Issuer=awsenv&Destination={}&SigninToken={}",
        crate::aws::sts::url_encode(&destination),
        crate::aws::sts::url_encode(&token)
    );
    if let Some(container) = &args.container {
        if container.is_empty() || container.chars().any(char::is_control) {
            return Err(Error::usage("--container needs the name of a Firefox container"));
        }
        url = format!(
            "ext+container:name={}&url={}",
            crate::aws::sts::url_encode(container),
            crate::aws::sts::url_encode(&url)
        );
    }
    if args.print {
        return Ok(format!("{url}\n"));
    }
    open_in_browser(&url, env)?;
    Ok(String::new())
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

fn open_in_browser(url: &str, env: &Env) -> Result<(), Error> {
    let cache = Cache::open(env)?;
    // Sign-in pages are needed only until the browser has read them.
    cache.sweep("console-", "", Duration::from_secs(60));
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let page = cache.dir().join(format!("console-{}-{nanos}.html", std::process::id()));
    let html_url = url.replace('&', "&amp;").replace('"', "&quot;");
    let html = format!(
        "<!doctype html><meta http-equiv=\"refresh\" content=\"0;url={html_url}\"><title>awsenv: signing in</title>\n"
    );
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&page)?;
        std::io::Write::write_all(&mut file, html.as_bytes())
    };
    write().map_err(|e| {
        Error::fetch(format!("cannot write the sign-in page in {}: {}", cache.dir().display(), io_cause(&e)))
    })?;
    let opener = env
        .get_nonempty("BROWSER")
        .map(str::to_owned)
        .unwrap_or_else(|| if cfg!(target_os = "macos") { "open".into() } else { "xdg-open".into() });
    let status = std::process::Command::new(&opener).arg(&page).stdin(std::process::Stdio::null()).status();
    match status {
        Ok(s) if s.success() => {
            eprintln!("awsenv: opened the console in your browser");
            Ok(())
        }
        _ => {
            let _ = std::fs::remove_file(&page);
            Err(Error::fetch(format!("could not open a browser with {opener}"))
                .hint("set BROWSER, or use --print to get the URL"))
        }
    }
}
