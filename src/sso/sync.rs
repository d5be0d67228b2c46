//! What `sso sync` writes: one profile per account and role of a listing, named from a template,
//! and how that compares with the block already in the file. Pure: no files, no network.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::aws::portal::Listing;
use crate::config::edit::{HeaderStyle, Section};
use crate::error::{Error, quoted};

pub const DEFAULT_NAME: &str = "{account_name}/{role_name}";

/// How a block is made; recorded in its marker, so that a bare rerun makes the same block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Extra `key = value` lines for every profile, with the name's placeholders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options { name: DEFAULT_NAME.to_owned(), region: None, output: None, extra: Vec::new() }
    }
}

impl Options {
    /// Every part checked: the template's placeholders, the region, the output, the lines.
    pub fn check(&self) -> Result<(), Error> {
        let sample = Fields { account_id: "1", account_name: "a", role_name: "r", sso_session: "s" };
        render(&self.name, &sample)?;
        if let Some(region) = &self.region {
            crate::aws::region::check(region, "--region")?;
        }
        if let Some(output) = &self.output
            && !crate::config::is_identifier(output)
        {
            return Err(Error::usage(format!(
                "--output {} is not a value the files can hold",
                crate::error::quoted(output)
            )));
        }
        for line in &self.extra {
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| Error::usage(format!("--extra {} is not `key = value`", crate::error::quoted(line))))?;
            if !crate::config::is_identifier(key.trim()) || value.contains(char::is_control) {
                return Err(Error::usage(format!(
                    "--extra {} is not a line the files can hold",
                    crate::error::quoted(line)
                )));
            }
            render(value, &sample)?;
        }
        Ok(())
    }
}

/// The placeholders' values for one profile.
pub struct Fields<'a> {
    pub account_id: &'a str,
    pub account_name: &'a str,
    pub role_name: &'a str,
    pub sso_session: &'a str,
}

/// `template` with `{field}` and `{field:case}` filled in (`{{` and `}}` for braces).
pub fn render(template: &str, fields: &Fields<'_>) -> Result<String, Error> {
    let bad = |why: &str| {
        Error::usage(format!("the name template {}: {why}", crate::error::quoted(template)))
        .hint("placeholders: {account_id} {account_name} {role_name} {sso_session}, optionally as {name:kebab}, :snake, :lower or :upper")
    };
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if tail.starts_with('}') {
            return Err(bad("a `}` without its `{`"));
        } else {
            let end = tail.find('}').ok_or_else(|| bad("a `{` without its `}`"))?;
            let (field, case) = tail[1..end].split_once(':').map_or((&tail[1..end], None), |(f, c)| (f, Some(c)));
            let value = match field {
                "account_id" => fields.account_id,
                "account_name" => fields.account_name,
                "role_name" => fields.role_name,
                "sso_session" => fields.sso_session,
                other => return Err(bad(&format!("no placeholder {{{other}}}"))),
            };
            out.push_str(&match case {
                None => value.to_owned(),
                Some("lower") => value.to_lowercase(),
                Some("upper") => value.to_uppercase(),
                Some("kebab") => words(value).join("-"),
                Some("snake") => words(value).join("_"),
                Some(other) => return Err(bad(&format!("no case :{other}"))),
            });
            rest = &tail[end + 1..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Lower-case words: runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// A name the files can hold (ASCII letters, digits and `_-/.%@:+`): anything else becomes `-`,
/// runs of `-` one, none at either end of the name or of a `/`-separated part (`Ops [EU]/Admin`
/// is `Ops-EU/Admin`), and no empty part.
pub fn sanitise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let keep = c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c);
        let c = if keep { c } else { '-' };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.split('/').map(|part| part.trim_matches('-')).filter(|part| !part.is_empty()).collect::<Vec<_>>().join("/")
}

/// One generated profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub account_id: String,
    pub role_name: String,
    /// Its section, as the structure-safe writer takes it.
    pub section: Section,
}

/// What generation decided beyond the profiles, for the report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Notes {
    /// Names that clashed between accounts and got the account id appended.
    pub renamed: Vec<(String, String)>,
    /// Generated names that a profile outside the block already has: not generated.
    pub skipped: Vec<(String, String)>,
}

/// The names a clashing account and role tries, in order, until one is free: the account id
/// appended, then the role as well, then a counter.
fn candidates<'a>(name: &'a str, account_id: &'a str, role: &'a str) -> impl Iterator<Item = String> + 'a {
    let with_id = sanitise(&format!("{name}-{account_id}"));
    let with_role = sanitise(&format!("{with_id}-{role}"));
    let counted = (2u32..).map({
        let with_role = with_role.clone();
        move |n| format!("{with_role}-{n}")
    });
    [with_id, with_role].into_iter().chain(counted)
}

/// The profiles for `listing`, sorted by name: every account and role ends with exactly one
/// profile, or in `notes.skipped`. `outside(name)` says where a profile of that name is defined
/// outside the block, if it is.
pub fn generate(
    session: &str,
    listing: &Listing,
    options: &Options,
    outside: &dyn Fn(&str) -> Option<String>,
) -> Result<(Vec<Profile>, Notes), Error> {
    let mut wanted: Vec<(String, &str, &str, &str)> = Vec::new();
    for account in &listing.accounts {
        for role in &account.roles {
            let fields =
                Fields { account_id: &account.id, account_name: &account.name, role_name: role, sso_session: session };
            let mut name = sanitise(&render(&options.name, &fields)?);
            if name.is_empty() {
                name = sanitise(&format!("{}/{role}", account.id));
            }
            wanted.push((name, &account.id, &account.name, role));
        }
    }
    // The same order whatever order the portal listed them in, so that renaming is stable.
    wanted.sort_by(|a, b| (&a.0, a.1, a.3).cmp(&(&b.0, b.1, b.3)));
    // Names shared by different accounts or roles each get their account id (then more), and
    // that new name must be free among every name generated as it is and every name outside.
    let mut count: HashMap<&str, usize> = HashMap::new();
    for (name, ..) in &wanted {
        *count.entry(name.as_str()).or_default() += 1;
    }
    let clashing: HashSet<String> = count.iter().filter(|(_, n)| **n > 1).map(|(name, _)| (*name).to_owned()).collect();
    let mut taken: HashSet<String> =
        wanted.iter().map(|(name, ..)| name.clone()).filter(|name| !clashing.contains(name)).collect();
    let mut notes = Notes::default();
    let mut profiles: BTreeMap<String, Profile> = BTreeMap::new();
    for (name, account_id, account_name, role) in wanted {
        let name = if clashing.contains(&name) {
            let unique = candidates(&name, account_id, role)
                .find(|c| !taken.contains(c) && !clashing.contains(c) && outside(c).is_none())
                .expect("the counter never runs out");
            taken.insert(unique.clone());
            notes.renamed.push((name, unique.clone()));
            unique
        } else {
            name
        };
        if let Some(at) = outside(&name) {
            notes.skipped.push((name, at));
            continue;
        }
        let fields = Fields { account_id, account_name, role_name: role, sso_session: session };
        let mut section = Section::new(HeaderStyle::Profile, name.clone())
            .with("sso_session", session)
            .with("sso_account_id", account_id)
            .with("sso_role_name", role)
            .with("awsenv_account_name", account_name.replace(char::is_control, " ").trim());
        if let Some(region) = &options.region {
            section = section.with("region", region.as_str());
        }
        if let Some(output) = &options.output {
            section = section.with("output", output.as_str());
        }
        for line in &options.extra {
            let (key, value) = line.split_once('=').expect("checked by Options::check");
            section = section.with(key.trim(), render(value.trim(), &fields)?.replace(char::is_control, " "));
        }
        // Checked here too, so a name or value the writer would refuse is reported with its
        // account and role rather than failing the whole block later.
        section.render().map_err(|e| e.context(format!("account {account_id}, role {}", quoted(role))))?;
        let profile =
            Profile { name: name.clone(), account_id: account_id.to_owned(), role_name: role.to_owned(), section };
        let previous = profiles.insert(name, profile);
        debug_assert!(previous.is_none(), "every generated name is unique");
    }
    notes.renamed.sort();
    notes.renamed.dedup();
    notes.skipped.sort();
    Ok((profiles.into_values().collect(), notes))
}

/// The sections of a block's body by profile name: its `key = value` lines, and the indented
/// lines under a `key =` as that key's block, read back into the form the writer takes (a line
/// of any other shape inside the block is not kept).
pub fn sections_of(body: &str) -> BTreeMap<String, Section> {
    let mut sections = BTreeMap::new();
    let mut current: Option<Section> = None;
    // After `key =` with nothing after it: `Pending` until an indented line makes it a block
    // (until then it is an empty value), `InBlock` after.
    #[derive(PartialEq)]
    enum After {
        Line,
        Pending,
        InBlock,
    }
    let mut after = After::Line;
    for line in body.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']);
        if let Some(name) = bare.strip_prefix("[profile ").and_then(|r| r.strip_suffix(']')) {
            if let Some(section) = current.take() {
                sections.insert(section.name.clone(), section);
            }
            current = Some(Section::new(HeaderStyle::Profile, name.trim()));
            after = After::Line;
        } else if let Some(section) = current.as_mut()
            && bare.starts_with([' ', '\t'])
        {
            let Some((name, value)) = bare.split_once('=') else { continue };
            if after == After::Pending
                && let Some((key, _)) = section.properties.pop()
            {
                section.blocks.push((key, Vec::new()));
                after = After::InBlock;
            }
            if after == After::InBlock
                && let Some((_, lines)) = section.blocks.last_mut()
            {
                lines.push((name.trim().to_owned(), value.trim().to_owned()));
            }
        } else if let Some(section) = current.as_mut()
            && !bare.starts_with(['#', ';'])
            && let Some((key, value)) = bare.split_once('=')
        {
            let (key, value) = (key.trim().to_owned(), value.trim().to_owned());
            after = if value.is_empty() { After::Pending } else { After::Line };
            section.properties.push((key, value));
        }
    }
    if let Some(section) = current {
        sections.insert(section.name.clone(), section);
    }
    sections
}

/// How the new block differs from the old one, by profile.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// The same account and role under a new name (the account was renamed on the portal, or
    /// the template changed): (old name, new name). Not in `added` or `removed`.
    pub renamed: Vec<(String, String)>,
    /// Would be removed, but a profile outside the block names it: (name, who uses it).
    pub kept: Vec<(String, String)>,
}

/// Compare, and keep what a profile outside the block still needs. Returns the sections of the
/// new block in name order.
pub fn compare(
    old: &BTreeMap<String, Section>,
    new: Vec<Profile>,
    used_outside: &dyn Fn(&str) -> Option<String>,
) -> (Vec<Section>, Changes) {
    let mut changes = Changes::default();
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    for mut profile in new {
        // A profile's own variables, added by hand to a generated profile, stay with it.
        if let Some(section) = old.get(&profile.name) {
            let kept = section.blocks.iter().filter(|(key, _)| key == crate::resolve::profile_env::KEY);
            profile.section.blocks.extend(kept.cloned());
        }
        match old.get(&profile.name) {
            None => changes.added.push(profile.name.clone()),
            Some(section) if *section != profile.section => changes.changed.push(profile.name.clone()),
            Some(_) => {}
        }
        sections.insert(profile.name, profile.section);
    }
    for (name, section) in old {
        if sections.contains_key(name) {
            continue;
        }
        match used_outside(name) {
            Some(user) => {
                changes.kept.push((name.clone(), user));
                sections.insert(name.clone(), section.clone());
            }
            None => changes.removed.push(name.clone()),
        }
    }
    // A removed and an added profile for the same account and role are one rename.
    let target = |section: &Section| {
        let get = |key: &str| section.properties.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        (get("sso_account_id"), get("sso_role_name"))
    };
    let added_targets: HashMap<(Option<String>, Option<String>), String> =
        changes.added.iter().map(|name| (target(&sections[name]), name.clone())).collect();
    let mut renamed_to: HashSet<String> = HashSet::new();
    changes.removed.retain(|old_name| match added_targets.get(&target(&old[old_name])) {
        Some(new_name) if renamed_to.insert(new_name.clone()) => {
            changes.renamed.push((old_name.clone(), new_name.clone()));
            false
        }
        _ => true,
    });
    changes.added.retain(|name| !renamed_to.contains(name));
    (sections.into_values().collect(), changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::portal::Account;

    fn listing(accounts: &[(&str, &str, &[&str])]) -> Listing {
        Listing {
            accounts: accounts
                .iter()
                .map(|(id, name, roles)| Account {
                    id: (*id).to_owned(),
                    name: (*name).to_owned(),
                    email: None,
                    roles: roles.iter().map(|r| (*r).to_owned()).collect(),
                })
                .collect(),
            calls: 0,
            skipped: Vec::new(),
        }
    }

    #[test]
    fn templates_fill_in_and_change_case() {
        let f = Fields {
            account_id: "111",
            account_name: "My Prod Account",
            role_name: "AdministratorAccess",
            sso_session: "corp",
        };
        assert_eq!(render(DEFAULT_NAME, &f).unwrap(), "My Prod Account/AdministratorAccess");
        assert_eq!(
            render("{account_name:kebab}.{role_name:lower}", &f).unwrap(),
            "my-prod-account.administratoraccess"
        );
        assert_eq!(
            render("{sso_session}-{account_id}:{account_name:snake}{{x}}", &f).unwrap(),
            "corp-111:my_prod_account{x}"
        );
        for bad in ["{nope}", "{account_name:title}", "{account_id", "x}"] {
            assert!(render(bad, &f).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_hold_only_what_profile_names_can() {
        assert_eq!(sanitise("My Prod Account/Admin"), "My-Prod-Account/Admin");
        assert_eq!(sanitise("  Ünïcode [x] = y  "), "n-code-x-y");
        assert_eq!(sanitise("Ops [EU]/Admin"), "Ops-EU/Admin");
        assert_eq!(sanitise("Ops [EU] / Ünit = 1/read"), "Ops-EU/nit-1/read");
        assert_eq!(sanitise("a//b/ / "), "a/b");
        assert_eq!(sanitise("a\n]b"), "a-b");
        assert_eq!(sanitise("@@@"), "@@@");
        assert_eq!(sanitise("   "), "");
    }

    #[test]
    fn clashing_names_get_their_account_id_in_any_order_and_outside_names_are_skipped() {
        let a = listing(&[("222", "Dev", &["Admin"]), ("111", "dev", &["Admin"]), ("333", "Prod", &["Admin", "Read"])]);
        let options = Options { name: "{account_name:lower}/{role_name}".into(), ..Options::default() };
        let outside = |name: &str| (name == "prod/Read").then(|| "~/.aws/config:3".to_owned());
        let (profiles, notes) = generate("corp", &a, &options, &outside).unwrap();
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["dev/Admin-111", "dev/Admin-222", "prod/Admin"]);
        assert_eq!(notes.skipped, vec![("prod/Read".to_owned(), "~/.aws/config:3".to_owned())]);
        let mut reversed = a.clone();
        reversed.accounts.reverse();
        assert_eq!(generate("corp", &reversed, &options, &outside).unwrap().0, profiles, "order does not matter");
        assert_eq!(
            profiles[2].section.render().unwrap(),
            "[profile prod/Admin]\nsso_session = corp\nsso_account_id = 333\nsso_role_name = Admin\nawsenv_account_name = Prod\n"
        );
    }

    #[test]
    fn a_rerun_compares_by_profile_and_keeps_what_others_use() {
        let options = Options { region: Some("eu-west-1".into()), ..Options::default() };
        let none = |_: &str| None;
        let (first, _) =
            generate("corp", &listing(&[("1", "A", &["R"]), ("2", "B", &["R"])]), &options, &none).unwrap();
        let block = crate::config::edit::render_block("corp", "{}", &compare(&BTreeMap::new(), first.clone(), &none).0)
            .unwrap();
        let old = sections_of(&block);
        assert_eq!(old.len(), 2);
        let (same, changes) = compare(&old, first, &none);
        assert_eq!(changes, Changes::default());
        assert_eq!(same.len(), 2);
        let (second, _) =
            generate("corp", &listing(&[("1", "A2", &["R"]), ("3", "C", &["R"])]), &options, &none).unwrap();
        let uses = |name: &str| (name == "B/R").then(|| "profile \"mine\" (~/.aws/config:2)".to_owned());
        let (sections, changes) = compare(&old, second, &uses);
        assert_eq!(changes.added, vec!["C/R".to_owned()]);
        assert_eq!(changes.removed, Vec::<String>::new());
        assert_eq!(changes.renamed, vec![("A/R".to_owned(), "A2/R".to_owned())], "account 1 was renamed");
        assert_eq!(changes.kept, vec![("B/R".to_owned(), "profile \"mine\" (~/.aws/config:2)".to_owned())]);
        assert_eq!(sections.len(), 3);
    }

    #[test]
    fn a_hand_added_awsenv_env_stays_with_its_generated_profile_and_nothing_else_is_kept() {
        let none = |_: &str| None;
        let (first, _) = generate("corp", &listing(&[("1", "A", &["R"])]), &Options::default(), &none).unwrap();
        let block = crate::config::edit::render_block("corp", "{}", &compare(&BTreeMap::new(), first.clone(), &none).0)
            .unwrap();
        // The user adds a block (and a key of their own, which the next sync replaces).
        let edited = block.replace(
            "awsenv_account_name = A\n",
            "awsenv_account_name = A\nawsenv_env =\n  TF_WORKSPACE = a\n# why\n\tKUBECONFIG = ~/.kube/a\nmine = x\n",
        );
        let old = sections_of(&edited);
        assert_eq!(
            old["A/R"].blocks,
            vec![(
                "awsenv_env".to_owned(),
                vec![("TF_WORKSPACE".to_owned(), "a".to_owned()), ("KUBECONFIG".to_owned(), "~/.kube/a".to_owned())]
            )]
        );
        let (sections, changes) = compare(&old, first, &none);
        assert_eq!(changes.changed, vec!["A/R".to_owned()], "`mine` goes");
        let text = sections[0].render().unwrap();
        assert!(text.ends_with("awsenv_env =\n  TF_WORKSPACE = a\n  KUBECONFIG = ~/.kube/a\n"), "{text}");
        assert!(!text.contains("mine"), "{text}");
        // Read back and compared again: nothing changes.
        let again = sections_of(&crate::config::edit::render_block("corp", "{}", &sections).unwrap());
        let (first, _) = generate("corp", &listing(&[("1", "A", &["R"])]), &Options::default(), &none).unwrap();
        assert_eq!(compare(&again, first, &none).1, Changes::default());
    }

    #[test]
    fn an_empty_value_is_a_value_not_a_block() {
        let old = sections_of("[profile p]\nregion =\noutput = json\n");
        assert_eq!(
            old["p"].properties,
            vec![("region".to_owned(), String::new()), ("output".to_owned(), "json".to_owned())]
        );
        assert!(old["p"].blocks.is_empty());
    }
}
