//! `host.user` and `host.group`: `/etc/passwd`, `/etc/group` and what
//! `/etc/shadow` says about each password — never the hash itself.

use super::{HostReader, LineIndex};
use crate::resource::{Resource, SpanIndex};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Kind of a local account.
pub const USER_KIND: &str = "host.user";
/// Kind of a local group.
pub const GROUP_KIND: &str = "host.group";

/// Shells that allow no interactive login.
const NO_LOGIN_SHELLS: &[&str] = &[
    "/usr/sbin/nologin",
    "/sbin/nologin",
    "/bin/false",
    "/usr/bin/false",
    "/bin/sync",
    "/sbin/shutdown",
    "/sbin/halt",
];

/// Users and groups, one resource each, in file order.
pub fn collect(reader: &mut HostReader<'_>) -> Vec<Resource> {
    let passwd = reader.text("/etc/passwd").unwrap_or_default();
    let group = reader.text("/etc/group").unwrap_or_default();
    let shadow = reader.text("/etc/shadow");
    let shadow_path = reader.display("/etc/shadow");
    let shadow_entries: BTreeMap<&str, (usize, Vec<&str>)> = shadow
        .as_deref()
        .map(|text| {
            records(text)
                .filter(|(_, fields)| !fields.is_empty())
                .map(|(line, fields)| (fields[0], (line, fields)))
                .collect()
        })
        .unwrap_or_default();
    let groups: Vec<(usize, Vec<&str>)> = records(&group).collect();
    // Looked up per user: by GID (the first group with it, as getgrgid)
    // and by member name — a scan of every group per user made 200,000
    // accounts take minutes.
    let mut group_by_gid: BTreeMap<u64, &str> = BTreeMap::new();
    let mut groups_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (_, g) in &groups {
        if g.len() > 2
            && let Ok(gid) = g[2].parse::<u64>()
        {
            group_by_gid.entry(gid).or_insert(g[0]);
        }
        if g.len() > 3 {
            for member in g[3].split(',') {
                groups_of.entry(member).or_default().push(g[0]);
            }
        }
    }
    let passwd_lines = LineIndex::new(&passwd);
    let group_lines = LineIndex::new(&group);
    let shadow_lines = shadow.as_deref().map(LineIndex::new);
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut malformed = Malformed::default();
    for (line, fields) in records(&passwd) {
        // A record has a name and numeric ids; anything else (a damaged or
        // binary file) is skipped.
        if fields.len() < 7
            || fields[0].is_empty()
            || fields[2].parse::<u64>().is_err()
            || fields[3].parse::<u64>().is_err()
        {
            malformed.note(line);
            continue;
        }
        let name = fields[0];
        let uid = fields[2].parse::<u64>().ok();
        let gid = fields[3].parse::<u64>().ok();
        let primary = gid.and_then(|gid| group_by_gid.get(&gid).copied());
        let mut member_of: Vec<&str> = primary.into_iter().collect();
        let mut listed: std::collections::BTreeSet<&str> = member_of.iter().copied().collect();
        for g in groups_of.get(name).into_iter().flatten() {
            if listed.insert(g) {
                member_of.push(g);
            }
        }
        let shell = fields[6];
        let mut spans = SpanIndex::default();
        spans.insert("", passwd_lines.line_region(line));
        let mut document = json!({
            "name": name,
            "uid": uid,
            "gid": gid,
            "group": primary,
            "groups": member_of,
            "gecos": fields[4],
            "home": fields[5],
            "shell": shell,
            "interactive": !shell.is_empty() && !NO_LOGIN_SHELLS.contains(&shell),
            // `x`: the password is in /etc/shadow. Anything else (a hash,
            // or nothing) is readable by every local user.
            "shadowed": fields[1] == "x",
            "passwd_field_empty": fields[1].is_empty(),
            "shadow": Value::Null,
        });
        let mut span_files = BTreeMap::new();
        if let (Some(lines), Some((shadow_line, entry))) =
            (shadow_lines.as_ref(), shadow_entries.get(name))
        {
            document["shadow"] = shadow_document(entry);
            spans.insert("/shadow", lines.line_region(*shadow_line));
            span_files.insert("/shadow".to_owned(), shadow_path.clone());
        }
        let count = seen.entry(name.to_owned()).or_insert(0);
        *count += 1;
        let id = if *count > 1 {
            format!("host.user:{name}#{count}")
        } else {
            format!("host.user:{name}")
        };
        let mut resource =
            Resource::new(USER_KIND, id, reader.display("/etc/passwd"), document).with_spans(spans);
        resource.span_files = span_files;
        out.push(resource);
    }
    malformed.report(reader, "/etc/passwd", 7);
    let mut malformed = Malformed::default();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (line, fields) in &groups {
        if fields.len() < 3 || fields[0].is_empty() || fields[2].parse::<u64>().is_err() {
            malformed.note(*line);
            continue;
        }
        let name = fields[0];
        let members: Vec<&str> = fields
            .get(3)
            .map(|m| m.split(',').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        let mut spans = SpanIndex::default();
        spans.insert("", group_lines.line_region(*line));
        let count = seen.entry(name.to_owned()).or_insert(0);
        *count += 1;
        let id = if *count > 1 {
            format!("host.group:{name}#{count}")
        } else {
            format!("host.group:{name}")
        };
        out.push(
            Resource::new(
                GROUP_KIND,
                id,
                reader.display("/etc/group"),
                json!({
                    "name": name,
                    "gid": fields[2].parse::<u64>().ok(),
                    "members": members,
                }),
            )
            .with_spans(spans),
        );
    }
    malformed.report(reader, "/etc/group", 4);
    out
}

/// Lines of an account file that are not records: reported once per file
/// (a damaged or binary file must not flood the report).
#[derive(Default)]
struct Malformed {
    count: usize,
    first: usize,
}

impl Malformed {
    fn note(&mut self, line: usize) {
        if self.count == 0 {
            self.first = line;
        }
        self.count += 1;
    }

    fn report(&self, reader: &mut HostReader<'_>, path: &str, fields: usize) {
        if self.count > 0 {
            reader.problem(
                path,
                format!(
                    "{path}: {} line(s) that are not records ({fields} colon-separated fields, a name, numeric ids) were skipped, the first at line {}",
                    self.count, self.first
                ),
            );
        }
    }
}

/// What a shadow entry says, without the hash: whether a password is set,
/// empty (anyone may log in), locked (`!…`) or disabled (`*`), and the
/// ageing fields.
fn shadow_document(fields: &[&str]) -> Value {
    let hash = fields.get(1).copied().unwrap_or("");
    let password = if hash.is_empty() {
        "empty"
    } else if hash.starts_with('!') {
        "locked"
    } else if hash == "*" || hash == "!!" || !hash.starts_with('$') && hash.len() < 13 {
        "disabled"
    } else {
        "set"
    };
    let number = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<i64>().ok())
            .map_or(Value::Null, Value::from)
    };
    json!({
        "password": password,
        "last_change": number(2),
        "min_days": number(3),
        "max_days": number(4),
        "warn_days": number(5),
        "inactive_days": number(6),
        "expire": number(7),
    })
}

/// The colon-separated records of a passwd-style file, with their 1-based
/// line numbers; blank lines and comments skipped.
fn records(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            return None;
        }
        Some((i + 1, line.split(':').collect()))
    })
}

/// Numeric ids → names, from the host's own files (not the scanning
/// machine's).
#[derive(Debug, Default, Clone)]
pub struct Names {
    users: BTreeMap<u64, String>,
    groups: BTreeMap<u64, String>,
}

impl Names {
    /// From the collected `host.user` and `host.group` resources.
    pub fn from_resources(resources: &[Resource]) -> Self {
        let mut names = Names::default();
        for r in resources {
            let (Some(id), Some(name)) = (
                r.document
                    .get(if r.kind == USER_KIND { "uid" } else { "gid" })
                    .and_then(Value::as_u64),
                r.document["name"].as_str(),
            ) else {
                continue;
            };
            let map = if r.kind == USER_KIND {
                &mut names.users
            } else {
                &mut names.groups
            };
            map.entry(id).or_insert_with(|| name.to_owned());
        }
        names
    }

    /// The user of a uid, if the host has one.
    pub fn user(&self, uid: u32) -> Option<&str> {
        self.users.get(&u64::from(uid)).map(String::as_str)
    }

    /// The group of a gid, if the host has one.
    pub fn group(&self, gid: u32) -> Option<&str> {
        self.groups.get(&u64::from(gid)).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shadow_states_never_keep_the_hash() {
        let doc = shadow_document(&[
            "a",
            "$y$j9T$abc$def",
            "19000",
            "0",
            "99999",
            "7",
            "",
            "",
            "",
        ]);
        assert_eq!(doc["password"], "set");
        assert_eq!(doc["max_days"], 99999);
        assert!(!doc.to_string().contains("$y$"));
        assert_eq!(shadow_document(&["a", ""])["password"], "empty");
        assert_eq!(shadow_document(&["a", "!$6$x"])["password"], "locked");
        assert_eq!(shadow_document(&["a", "*"])["password"], "disabled");
    }
}
