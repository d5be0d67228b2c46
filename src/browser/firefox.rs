//! Firefox: a profile by name (`-P NAME`, as `about:profiles` lists them), and containers through
//! the "Open external links in a container" extension, whose `ext+container:` links name the
//! container, its colour and icon, and the page to open in it.

use std::ffi::OsString;
use std::path::Path;

use crate::env::Env;
use crate::error::Error;

const COMMANDS: &[&str] = &["firefox", "firefox-esr"];
const MACOS_EXECUTABLE: &str = "/Applications/Firefox.app/Contents/MacOS/firefox";

pub fn argv(profile: Option<&str>, page: &Path, env: &Env, macos: bool) -> Result<Vec<OsString>, Error> {
    let program: OsString = if macos {
        MACOS_EXECUTABLE.into()
    } else {
        super::on_path(COMMANDS, env).ok_or_else(|| super::not_found("firefox", COMMANDS))?.into()
    };
    let mut words = vec![program];
    if let Some(name) = profile {
        words.extend(["-P".into(), name.into()]);
    }
    words.extend(["--new-tab".into(), page.into()]);
    Ok(words)
}

/// The colours the extension takes; a container keeps one for good, picked from its name.
const COLOURS: &[&str] = &["blue", "turquoise", "green", "yellow", "orange", "red", "pink", "purple"];

/// `url` opened in container `name` (created by the extension if it does not exist yet).
pub fn container_link(name: &str, url: &str) -> String {
    let encode = crate::aws::sts::url_encode;
    format!("ext+container:name={}&color={}&icon=fingerprint&url={}", encode(name), colour_of(name), encode(url))
}

/// FNV-1a over the name: the same container the same colour on every machine and every run.
fn colour_of(name: &str) -> &'static str {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    COLOURS[(hash % COLOURS.len() as u64) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_container_keeps_its_colour_and_its_link_escapes_everything() {
        assert_eq!(colour_of("prod"), colour_of("prod"));
        let colours: std::collections::HashSet<_> =
            ["prod", "staging", "dev", "audit", "sandbox"].map(colour_of).into();
        assert!(colours.len() > 1, "different profiles get different colours: {colours:?}");
        let link = container_link("work & play", "https://x/?a=1&b=2");
        assert!(link.starts_with("ext+container:name=work%20%26%20play&color="), "{link}");
        assert!(link.ends_with("&icon=fingerprint&url=https%3A%2F%2Fx%2F%3Fa%3D1%26b%3D2"), "{link}");
    }
}
