//! Opening the console in the browser, and the browser profile or Firefox container, the user
//! picks: `--browser` / `--browser-profile` / `--container`, else the profile's own
//! `awsenv_browser` / `awsenv_browser_profile` / `awsenv_container`, else `AWSENV_BROWSER`, else
//! `$BROWSER`, else the system's opener. One file per browser family builds its command line;
//! the sign-in URL itself never is on one (see `page`).

mod chromium;
mod firefox;
mod page;

use std::path::Path;
use std::process::Command;

use crate::cache::Cache;
use crate::env::Env;
use crate::error::{Error, quoted};

pub use firefox::container_link;

pub use crate::settings::{BROWSER_KEY, BROWSER_PROFILE_KEY, CONTAINER_KEY};

/// Which browser, as the user names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Browser {
    Firefox,
    Chromium(chromium::Flavour),
    /// macOS only.
    Safari,
    /// Any other command: its words, the page's path appended (or put where `%s` is).
    Command(Vec<String>),
    /// The system's opener (`xdg-open`, `open`), for the system's default browser.
    System,
}

impl Browser {
    /// A browser's name, or a command.
    pub fn named(name: &str) -> Result<Browser, Error> {
        let name = name.trim();
        if let Some(flavour) = chromium::Flavour::named(name) {
            return Ok(Browser::Chromium(flavour));
        }
        match name.to_ascii_lowercase().as_str() {
            "firefox" | "firefox-esr" => Ok(Browser::Firefox),
            "safari" => Ok(Browser::Safari),
            "" => Err(Error::usage("--browser is empty")
                .hint("name a browser (firefox, chrome, chromium, brave, edge, safari) or a command")),
            _ => Ok(Browser::Command(name.split_whitespace().map(str::to_owned).collect())),
        }
    }

    fn shown(&self) -> String {
        match self {
            Browser::Firefox => "firefox".to_owned(),
            Browser::Chromium(flavour) => flavour.name().to_owned(),
            Browser::Safari => "safari".to_owned(),
            Browser::Command(words) => words.first().cloned().unwrap_or_default(),
            Browser::System => system_opener().to_owned(),
        }
    }
}

/// Where the console opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub browser: Browser,
    /// A Chromium-family profile directory, or a Firefox profile.
    pub profile: Option<String>,
    /// A Firefox container (by name).
    pub container: Option<String>,
}

/// What the user asked for, each part from the first place that names it.
pub struct Wishes<'a> {
    pub browser: Option<&'a str>,
    pub browser_profile: Option<&'a str>,
    /// `Some(None)`: a container named after the profile.
    pub container: Option<Option<&'a str>>,
}

impl Choice {
    /// The choice from the command line (`flags`), else the profile's keys (`keys`), else the
    /// environment. `profile` names the default container.
    pub fn decide(flags: &Wishes<'_>, keys: &Wishes<'_>, env: &Env, profile: &str) -> Result<Choice, Error> {
        let browser = match flags.browser.or(keys.browser) {
            Some(name) => Browser::named(name)?,
            None => match env.get_nonempty("AWSENV_BROWSER").or_else(|| env.get_nonempty("BROWSER")) {
                Some(name) => Browser::named(name)?,
                None => Browser::System,
            },
        };
        let profile_dir = flags.browser_profile.or(keys.browser_profile).map(str::to_owned);
        let container = match flags.container.or(keys.container) {
            None => None,
            Some(None) => Some(profile.to_owned()),
            Some(Some(name)) => Some(name.to_owned()),
        };
        let choice = Choice { browser, profile: profile_dir, container };
        choice.check()?;
        Ok(choice)
    }

    fn check(&self) -> Result<(), Error> {
        if let Some(name) = &self.container
            && (name.is_empty() || name.chars().any(char::is_control))
        {
            return Err(Error::usage("--container needs the name of a Firefox container"));
        }
        if let Some(profile) = &self.profile
            && (profile.is_empty() || profile.chars().any(char::is_control))
        {
            return Err(Error::usage("--browser-profile is empty"));
        }
        match (&self.browser, &self.profile) {
            (Browser::Chromium(_) | Browser::Firefox, _) | (_, None) => {}
            (other, Some(_)) => {
                return Err(Error::usage(format!(
                    "--browser-profile is for firefox and the Chromium family, not {}",
                    other.shown()
                ))
                .hint("name the browser too: --browser chrome --browser-profile 'Profile 1'"));
            }
        }
        if self.container.is_some() && matches!(self.browser, Browser::Chromium(_) | Browser::Safari) {
            return Err(Error::usage(
                "containers are Firefox's (the \"Open external links in a container\" extension)",
            )
            .hint("use --browser-profile to keep accounts apart in the Chromium family"));
        }
        Ok(())
    }

    /// Open the console at `url`: the private page, the browser's command line, and the wait
    /// until the browser has read the page. What it opened, for the line on stderr.
    pub fn open(&self, url: &str, env: &Env) -> Result<String, Error> {
        let url = match &self.container {
            Some(name) => container_link(name, url),
            None => url.to_owned(),
        };
        let cache = Cache::open(env)?;
        let page = page::Page::write(&cache, &url)?;
        let mut command = self.command(page.path(), env)?;
        // A browser outlives the command by days: it gets none of this shell's keys.
        for var in crate::settings::CREDENTIAL_VARS {
            command.env_remove(var);
        }
        let shown = self.describe();
        let mut child = crate::procs::spawn_detached(&mut command).map_err(|e| {
            Error::fetch(format!("cannot start {shown}: {}", crate::error::io_cause(&e)))
                .hint("check --browser (or awsenv_browser, AWSENV_BROWSER, BROWSER), or use --print to get the URL")
        })?;
        page.handed_over(&mut child, &shown)?;
        Ok(shown)
    }

    /// The command that opens `page` in the chosen browser, profile and container.
    fn command(&self, page: &Path, env: &Env) -> Result<Command, Error> {
        let macos = cfg!(target_os = "macos");
        let words = match &self.browser {
            Browser::Chromium(flavour) => chromium::argv(*flavour, self.profile.as_deref(), page, env, macos)?,
            Browser::Firefox => firefox::argv(self.profile.as_deref(), page, env, macos)?,
            Browser::Safari if macos => vec!["open".into(), "-a".into(), "Safari".into(), page.into()],
            Browser::Safari => {
                return Err(Error::usage("safari is a macOS browser").hint("name another with --browser"));
            }
            Browser::Command(words) => with_page(words, page),
            Browser::System => vec![system_opener().into(), page.into()],
        };
        let mut command = Command::new(&words[0]);
        command.args(&words[1..]);
        Ok(command)
    }

    fn describe(&self) -> String {
        let mut shown = self.browser.shown();
        if let Some(profile) = &self.profile {
            shown.push_str(&format!(" (profile {})", quoted(profile)));
        }
        if let Some(container) = &self.container {
            shown.push_str(&format!(" (container {})", quoted(container)));
        }
        shown
    }
}

/// A command's words with the page: where `%s` is, else last.
fn with_page(words: &[String], page: &Path) -> Vec<std::ffi::OsString> {
    let page = page.as_os_str();
    let mut out: Vec<std::ffi::OsString> = Vec::with_capacity(words.len() + 1);
    let mut placed = false;
    for word in words {
        if word == "%s" {
            out.push(page.to_owned());
            placed = true;
        } else {
            out.push(word.into());
        }
    }
    if !placed {
        out.push(page.to_owned());
    }
    out
}

fn system_opener() -> &'static str {
    if cfg!(target_os = "macos") { "open" } else { "xdg-open" }
}

/// The first of `names` on `PATH` (the browsers' packages name their commands differently).
fn on_path(names: &[&str], env: &Env) -> Option<std::path::PathBuf> {
    let path = env.get_nonempty("PATH")?;
    std::env::split_paths(path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|candidate| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(candidate).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

fn not_found(browser: &str, names: &[&str]) -> Error {
    Error::usage(format!("{browser} is not installed here (looked for {} on PATH)", names.join(", ")))
        .hint("name another with --browser, or a command: --browser '/path/to/browser --flag'")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env::from_pairs([("PATH", "/nonexistent")])
    }

    #[test]
    fn the_command_line_beats_the_profile_which_beats_the_environment() {
        let none = Wishes { browser: None, browser_profile: None, container: None };
        let keys = Wishes { browser: Some("firefox"), browser_profile: Some("work"), container: Some(None) };
        let flags = Wishes { browser: Some("chrome"), browser_profile: Some("Profile 2"), container: None };
        let chosen = Choice::decide(&flags, &none, &env(), "prod").unwrap();
        assert_eq!(chosen.browser, Browser::Chromium(chromium::Flavour::Chrome));
        let from_keys = Choice::decide(&none, &keys, &env(), "prod").unwrap();
        assert_eq!(
            (from_keys.browser, from_keys.profile.as_deref(), from_keys.container.as_deref()),
            (Browser::Firefox, Some("work"), Some("prod"))
        );
        let with_var = Env::from_pairs([("AWSENV_BROWSER", "brave"), ("BROWSER", "lynx")]);
        assert_eq!(
            Choice::decide(&none, &none, &with_var, "p").unwrap().browser,
            Browser::Chromium(chromium::Flavour::Brave)
        );
        let fallback = Env::from_pairs([("BROWSER", "my-browser --new-window %s")]);
        let choice = Choice::decide(&none, &none, &fallback, "p").unwrap();
        assert_eq!(choice.browser, Browser::Command(vec!["my-browser".into(), "--new-window".into(), "%s".into()]));
        let words = with_page(&["b".into(), "%s".into(), "--x".into()], Path::new("/p.html"));
        assert_eq!(words, ["b", "/p.html", "--x"]);
        assert_eq!(Choice::decide(&none, &none, &env(), "p").unwrap().browser, Browser::System);
    }

    #[test]
    fn choices_that_cannot_work_are_refused_before_any_browser_starts() {
        let none = Wishes { browser: None, browser_profile: None, container: None };
        let container_in_chrome = Wishes { browser: Some("chrome"), browser_profile: None, container: Some(Some("x")) };
        assert!(Choice::decide(&container_in_chrome, &none, &env(), "p").is_err());
        let profile_without_browser = Wishes { browser: None, browser_profile: Some("x"), container: None };
        assert!(Choice::decide(&profile_without_browser, &none, &env(), "p").is_err());
        let missing = Choice::decide(&Wishes { browser: Some("edge"), ..none }, &none, &env(), "p").unwrap();
        let err = missing.command(Path::new("/p.html"), &env()).unwrap_err();
        assert!(err.to_string().contains("microsoft-edge"), "{err}");
    }
}
