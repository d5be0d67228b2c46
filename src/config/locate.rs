//! Which files to read and which profile is selected, as the SDKs decide it.

use crate::env::Env;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Unix,
    Windows,
}

impl Platform {
    pub const CURRENT: Platform = if cfg!(windows) { Platform::Windows } else { Platform::Unix };

    fn separator(self) -> char {
        match self {
            Platform::Unix => '/',
            Platform::Windows => '\\',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locations {
    pub config: String,
    pub credentials: String,
}

/// The user's home: `HOME` first on every platform, then Windows' own variables.
pub fn home_dir(env: &Env, platform: Platform) -> Option<String> {
    env.home(platform == Platform::Windows)
}

pub fn locate(env: &Env, platform: Platform) -> Locations {
    let home = home_dir(env, platform);
    let sep = platform.separator();
    let default = |name: &str| format!("~{sep}.aws{sep}{name}");
    // Not awsenv's own copies (see `shadow`; `serve` points the credentials file at one): the
    // user's files, whatever this shell points at.
    let config = env.user_var("AWS_CONFIG_FILE").map_or_else(|| default("config"), str::to_owned);
    let credentials = env.user_var("AWS_SHARED_CREDENTIALS_FILE").map_or_else(|| default("credentials"), str::to_owned);
    Locations {
        config: expand_home(&config, home.as_deref(), platform),
        credentials: expand_home(&credentials, home.as_deref(), platform),
    }
}

/// Only a leading `~/` (or `~\` on Windows) is expanded, as the SDKs document; `~user` is not.
pub fn expand_home(path: &str, home: Option<&str>, platform: Platform) -> String {
    let rest =
        path.strip_prefix("~/").or_else(|| if platform == Platform::Windows { path.strip_prefix("~\\") } else { None });
    match (rest, home) {
        (Some(rest), Some(home)) => {
            let sep = platform.separator();
            format!("{}{sep}{rest}", home.trim_end_matches(sep))
        }
        _ => path.to_owned(),
    }
}

/// The profile a command uses when none is named.
pub fn selected_profile(env: &Env) -> &str {
    env.get_nonempty("AWS_PROFILE").unwrap_or("default")
}

/// The profile a command names; else the one this shell acts as (`AWSENV_PROFILE`); else the
/// SDKs' default (`AWS_PROFILE`, then `default`).
pub fn named_or_active<'a>(given: Option<&'a str>, env: &'a Env) -> Result<&'a str, crate::error::Error> {
    match given {
        Some("") => Err(crate::error::Error::usage("the profile name is empty")),
        Some(name) => Ok(name),
        None => Ok(env.get_nonempty(crate::env::AWSENV_PROFILE).unwrap_or_else(|| selected_profile(env))),
    }
}
