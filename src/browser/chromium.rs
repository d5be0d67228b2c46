//! The Chromium family: Google Chrome, Chromium, Brave and Microsoft Edge take the same command
//! line, and a profile is a directory of the browser's own (`--profile-directory=Default`,
//! `Profile 1`, as `chrome://version` shows), each signed in on its own.

use std::ffi::OsString;
use std::path::Path;

use crate::env::Env;
use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Chrome,
    Chromium,
    Brave,
    Edge,
}

impl Flavour {
    pub fn named(name: &str) -> Option<Flavour> {
        match name.to_ascii_lowercase().as_str() {
            "chrome" | "google-chrome" | "google-chrome-stable" => Some(Flavour::Chrome),
            "chromium" | "chromium-browser" => Some(Flavour::Chromium),
            "brave" | "brave-browser" => Some(Flavour::Brave),
            "edge" | "msedge" | "microsoft-edge" | "microsoft-edge-stable" => Some(Flavour::Edge),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Flavour::Chrome => "chrome",
            Flavour::Chromium => "chromium",
            Flavour::Brave => "brave",
            Flavour::Edge => "edge",
        }
    }

    /// The commands its Linux packages install, in the order tried.
    fn linux_commands(self) -> &'static [&'static str] {
        match self {
            Flavour::Chrome => &["google-chrome-stable", "google-chrome"],
            Flavour::Chromium => &["chromium", "chromium-browser"],
            Flavour::Brave => &["brave-browser", "brave"],
            Flavour::Edge => &["microsoft-edge-stable", "microsoft-edge"],
        }
    }

    /// The executable inside its macOS application bundle: started directly, it hands the page
    /// to the running browser, with the profile (`open -a` would drop the arguments then).
    fn macos_executable(self) -> &'static str {
        match self {
            Flavour::Chrome => "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            Flavour::Chromium => "/Applications/Chromium.app/Contents/MacOS/Chromium",
            Flavour::Brave => "/Applications/Brave Browser.app/Contents/MacOS/Brave Browser",
            Flavour::Edge => "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        }
    }
}

pub fn argv(
    flavour: Flavour,
    profile: Option<&str>,
    page: &Path,
    env: &Env,
    macos: bool,
) -> Result<Vec<OsString>, Error> {
    let program: OsString = if macos {
        flavour.macos_executable().into()
    } else {
        super::on_path(flavour.linux_commands(), env)
            .ok_or_else(|| super::not_found(flavour.name(), flavour.linux_commands()))?
            .into()
    };
    let mut words = vec![program];
    if let Some(directory) = profile {
        words.push(format!("--profile-directory={directory}").into());
    }
    words.push(page.into());
    Ok(words)
}
