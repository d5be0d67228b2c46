//! The environment awsenv reads, as a value: commands never call `std::env::var` themselves, so
//! tests can hand them any environment without touching the process's own.
//!
//! The process environment is read variable by variable when asked, rather than copied up front:
//! `use` reads a dozen variables and runs on every prompt.

use std::collections::HashMap;

/// The profile the shell acts as: awsenv's own bookkeeping, read by the hook and the prompt.
pub const AWSENV_PROFILE: &str = "AWSENV_PROFILE";
/// The names the last `use` set or removed, so the next `use` or `unset` puts back exactly those.
pub const AWSENV_VARS: &str = "AWSENV_VARS";
/// `AWSENV_USER_<NAME>`: the user's own value of NAME from before `use` replaced or removed it;
/// `unset` (or a later `use` that leaves NAME alone) puts it back.
pub const USER_PREFIX: &str = "AWSENV_USER_";

/// Where the user's own value of `name` is kept while awsenv manages `name`.
pub fn saved_name(name: &str) -> String {
    format!("{USER_PREFIX}{name}")
}

/// Whether the last `use` set or removed `name` (so its current value is not the user's).
pub fn managed_by_awsenv(env: &Env, name: &str) -> bool {
    env.get(AWSENV_VARS).is_some_and(|vars| vars.split(' ').any(|v| v == name))
}

#[derive(Debug, Clone)]
pub struct Env {
    source: Source,
}

#[derive(Debug, Clone)]
enum Source {
    /// The process environment, with the names a test or a command has changed.
    Process { overrides: HashMap<String, Option<String>> },
    /// A fixed set of variables (tests).
    Fixed(HashMap<String, String>),
}

impl Default for Env {
    fn default() -> Self {
        Env { source: Source::Fixed(HashMap::new()) }
    }
}

impl Env {
    pub fn from_process() -> Env {
        Env { source: Source::Process { overrides: HashMap::new() } }
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Env {
        Env { source: Source::Fixed(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect()) }
    }

    /// A variable's value; one whose value is not UTF-8 reads as unset (no variable awsenv reads
    /// can legitimately be such).
    pub fn get(&self, name: &str) -> Option<&str> {
        match &self.source {
            Source::Fixed(vars) => vars.get(name).map(String::as_str),
            Source::Process { overrides } => match overrides.get(name) {
                Some(value) => value.as_deref(),
                None => process_var(name),
            },
        }
    }

    /// The names of the variables that start with `prefix` (set ones only).
    pub fn names_with_prefix(&self, prefix: &str) -> Vec<String> {
        let mut names: Vec<String> = match &self.source {
            Source::Fixed(vars) => vars.keys().filter(|k| k.starts_with(prefix)).cloned().collect(),
            Source::Process { overrides } => std::env::vars_os()
                .filter_map(|(name, _)| name.into_string().ok())
                .filter(|name| name.starts_with(prefix) && !overrides.contains_key(name))
                .chain(overrides.iter().filter(|(k, v)| k.starts_with(prefix) && v.is_some()).map(|(k, _)| k.clone()))
                .collect(),
        };
        names.sort();
        names
    }

    /// The user's home: `HOME` first on every platform, then Windows' own variables (for
    /// `windows`), else the password database.
    pub fn home(&self, windows: bool) -> Option<String> {
        if let Some(home) = self.get_nonempty("HOME") {
            return Some(home.to_owned());
        }
        if windows {
            return self.get_nonempty("USERPROFILE").map(str::to_owned).or_else(|| {
                match (self.get_nonempty("HOMEDRIVE"), self.get_nonempty("HOMEPATH")) {
                    (Some(drive), Some(path)) => Some(format!("{drive}{path}")),
                    _ => None,
                }
            });
        }
        #[allow(deprecated)] // un-deprecated in 1.86; falls back to the password database
        std::env::home_dir().map(|p| p.to_string_lossy().into_owned())
    }

    /// SDKs treat a variable set to the empty string as unset.
    pub fn get_nonempty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// The variable as the user set it. One that the last `awsenv use` set belongs to that
    /// profile, not to the user: what the user had before it is kept in `AWSENV_USER_<NAME>`
    /// (and comes back at `unset`), so that is the user's value.
    pub fn user_var(&self, name: &str) -> Option<&str> {
        if managed_by_awsenv(self, name) { self.get_nonempty(&saved_name(name)) } else { self.get_nonempty(name) }
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        match &mut self.source {
            Source::Fixed(vars) => {
                vars.insert(name.into(), value.into());
            }
            Source::Process { overrides } => {
                overrides.insert(name.into(), Some(value.into()));
            }
        }
    }

    pub fn remove(&mut self, name: &str) {
        match &mut self.source {
            Source::Fixed(vars) => {
                vars.remove(name);
            }
            Source::Process { overrides } => {
                overrides.insert(name.to_owned(), None);
            }
        }
    }
}

/// The process's own variable, borrowed for the life of the process: awsenv never changes its
/// own environment, so a value read once stays valid.
fn process_var(name: &str) -> Option<&'static str> {
    use std::sync::Mutex;
    static READ: Mutex<Vec<(String, Option<&'static str>)>> = Mutex::new(Vec::new());
    let mut read = READ.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, value)) = read.iter().find(|(n, _)| n == name) {
        return *value;
    }
    let value = std::env::var(name).ok().map(|v| &*Box::leak(v.into_boxed_str()));
    read.push((name.to_owned(), value));
    value
}
