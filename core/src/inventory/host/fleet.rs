//! Fleets: the hosts of an Ansible inventory (INI or YAML), as SSH targets.
//!
//! Understood: groups, `:children`, `:vars`, `all`, numeric host ranges
//! (`web[01:20].example.com`) and the connection variables
//! `ansible_host`, `ansible_port` and `ansible_user` (also the older
//! `ansible_ssh_host`, `ansible_ssh_port`, `ansible_ssh_user`). A host's own
//! variables win over its groups', a group's over its parents', and `all`
//! comes last. Each host appears once, in the order of first mention.

use super::ssh::SshTarget;
use super::unquote;
use crate::diagnostic::{FileError, ParseError};
use serde_json::Value;
use std::collections::BTreeMap;

/// Why an inventory could not be read: `file:line:column: message`, or
/// `file: message` for a mistake that is not on one line.
pub type InventoryError = FileError;

#[derive(Debug, Default)]
struct Fleet {
    /// Hosts in order of first mention.
    hosts: Vec<String>,
    host_vars: BTreeMap<String, BTreeMap<String, String>>,
    /// Group → its hosts.
    members: BTreeMap<String, Vec<String>>,
    /// Group → its child groups.
    children: BTreeMap<String, Vec<String>>,
    group_vars: BTreeMap<String, BTreeMap<String, String>>,
}

impl Fleet {
    fn add_host(&mut self, group: &str, host: &str, vars: BTreeMap<String, String>) {
        if !self.hosts.iter().any(|h| h == host) {
            self.hosts.push(host.to_owned());
        }
        let own = self.host_vars.entry(host.to_owned()).or_default();
        for (k, v) in vars {
            own.entry(k).or_insert(v);
        }
        let members = self.members.entry(group.to_owned()).or_default();
        if !members.iter().any(|h| h == host) {
            members.push(host.to_owned());
        }
    }

    /// The groups of a host, nearest first (its own groups, then their
    /// parents), `all` last.
    fn groups_of(&self, host: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .members
            .iter()
            .filter(|(_, hosts)| hosts.iter().any(|h| h == host))
            .map(|(g, _)| g.clone())
            .filter(|g| g != "all" && g != "ungrouped")
            .collect();
        let mut i = 0;
        while i < out.len() {
            let child = out[i].clone();
            for (parent, kids) in &self.children {
                if kids.contains(&child) && !out.contains(parent) && parent != "all" {
                    out.push(parent.clone());
                }
            }
            i += 1;
        }
        out.push("all".to_owned());
        out
    }

    fn var(&self, host: &str, names: &[&str]) -> Option<String> {
        let own = self.host_vars.get(host);
        for name in names {
            if let Some(v) = own.and_then(|vars| vars.get(*name)) {
                return Some(v.clone());
            }
        }
        for group in self.groups_of(host) {
            for name in names {
                if let Some(v) = self.group_vars.get(&group).and_then(|vars| vars.get(*name)) {
                    return Some(v.clone());
                }
            }
        }
        None
    }

    fn targets(&self, path: &str) -> Result<Vec<SshTarget>, InventoryError> {
        self.hosts
            .iter()
            .map(|name| {
                let host = self
                    .var(name, &["ansible_host", "ansible_ssh_host"])
                    .unwrap_or_else(|| name.clone());
                let port = self
                    .var(name, &["ansible_port", "ansible_ssh_port"])
                    .map(|p| {
                        p.parse::<u16>().map_err(|_| InventoryError {
                            file: path.to_owned(),
                            error: ParseError::on_line(
                                0,
                                format!("host `{name}`: ansible_port `{p}` is not a port number"),
                            ),
                        })
                    })
                    .transpose()?;
                let user = self.var(name, &["ansible_user", "ansible_ssh_user"]);
                if host.starts_with('-') || user.as_deref().is_some_and(|u| u.starts_with('-')) {
                    return Err(InventoryError {
                        file: path.to_owned(),
                        error: ParseError::on_line(
                            0,
                            format!("host `{name}`: a host or user may not start with `-`"),
                        ),
                    });
                }
                Ok(SshTarget {
                    user,
                    host,
                    port,
                    name: name.clone(),
                })
            })
            .collect()
    }
}

/// The SSH targets of an inventory file, INI or YAML (by content: a YAML
/// inventory is a mapping of groups).
///
/// ```
/// use rampart_core::inventory::host::fleet::parse;
/// let ini = "[web]\nweb1 ansible_host=10.0.0.5 ansible_port=2222\nweb[2:3]\n\n[web:vars]\nansible_user=deploy\n";
/// let hosts = parse("hosts.ini", ini).unwrap();
/// assert_eq!(hosts.len(), 3);
/// assert_eq!((hosts[0].name.as_str(), hosts[0].host.as_str(), hosts[0].port), ("web1", "10.0.0.5", Some(2222)));
/// assert_eq!(hosts[2].name, "web3");
/// assert_eq!(hosts[2].user.as_deref(), Some("deploy"));
/// ```
pub fn parse(path: &str, text: &str) -> Result<Vec<SshTarget>, InventoryError> {
    let looks_yaml = path.ends_with(".yml")
        || path.ends_with(".yaml")
        || text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
            .is_some_and(|l| l.ends_with(':') && !l.starts_with('['));
    let fleet = if looks_yaml {
        yaml(path, text)?
    } else {
        ini(path, text)?
    };
    fleet.targets(path)
}

fn ini(path: &str, text: &str) -> Result<Fleet, InventoryError> {
    let mut fleet = Fleet::default();
    // (group, section kind): "hosts", "vars" or "children".
    let mut section = ("ungrouped".to_owned(), "hosts");
    for (index, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let error = |message: String| InventoryError {
            file: path.to_owned(),
            error: ParseError::on_line(line_no, message),
        };
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let header = header
                .strip_suffix(']')
                .ok_or_else(|| error(format!("`{line}`: a section header ends with `]`")))?;
            section = match header.split_once(':') {
                Some((group, "vars")) => (group.to_owned(), "vars"),
                Some((group, "children")) => (group.to_owned(), "children"),
                Some((_, other)) => return Err(error(format!("unknown section kind `:{other}`"))),
                None => (header.to_owned(), "hosts"),
            };
            fleet.members.entry(section.0.clone()).or_default();
            continue;
        }
        match section.1 {
            "vars" => {
                let (key, value) = line
                    .split_once('=')
                    .ok_or_else(|| error(format!("`{line}`: expected `name=value`")))?;
                fleet
                    .group_vars
                    .entry(section.0.clone())
                    .or_default()
                    .insert(key.trim().to_owned(), unquote(value.trim()));
            }
            "children" => {
                fleet
                    .children
                    .entry(section.0.clone())
                    .or_default()
                    .push(line.to_owned());
            }
            _ => {
                let mut words = line.split_whitespace();
                let pattern = words.next().unwrap_or_default();
                let mut vars = BTreeMap::new();
                for word in words {
                    let (key, value) = word.split_once('=').ok_or_else(|| {
                        error(format!("`{word}`: host variables are `name=value`"))
                    })?;
                    vars.insert(key.to_owned(), unquote(value));
                }
                for host in expand(pattern).map_err(error)? {
                    fleet.add_host(&section.0, &host, vars.clone());
                }
            }
        }
    }
    // Hosts of a child group belong to the parent too.
    Ok(fleet)
}

/// `web[01:03].example.com` → `web01…web03.example.com`; alphabetic
/// ranges `[a:c]` too.
fn expand(pattern: &str) -> Result<Vec<String>, String> {
    let Some(open) = pattern.find('[') else {
        return Ok(vec![pattern.to_owned()]);
    };
    let close = pattern[open..]
        .find(']')
        .map(|i| open + i)
        .ok_or_else(|| format!("`{pattern}`: unclosed `[` in a host range"))?;
    let (prefix, range, suffix) = (
        &pattern[..open],
        &pattern[open + 1..close],
        &pattern[close + 1..],
    );
    let (from, to) = range
        .split_once(':')
        .ok_or_else(|| format!("`{pattern}`: a host range is `[start:end]`"))?;
    let mut out = Vec::new();
    if let (Ok(a), Ok(b)) = (from.parse::<u32>(), to.parse::<u32>()) {
        if b < a || b - a > 10_000 {
            return Err(format!("`{pattern}`: invalid or huge host range"));
        }
        let width = if from.starts_with('0') { from.len() } else { 0 };
        for n in a..=b {
            for rest in expand(suffix)? {
                out.push(format!("{prefix}{n:0width$}{rest}"));
            }
        }
    } else if let ([a], [b]) = (from.as_bytes(), to.as_bytes()) {
        if !a.is_ascii_alphabetic() || !b.is_ascii_alphabetic() || b < a {
            return Err(format!("`{pattern}`: invalid host range"));
        }
        for c in *a..=*b {
            for rest in expand(suffix)? {
                out.push(format!("{prefix}{}{rest}", c as char));
            }
        }
    } else {
        return Err(format!("`{pattern}`: invalid host range"));
    }
    Ok(out)
}

fn yaml(path: &str, text: &str) -> Result<Fleet, InventoryError> {
    let documents = crate::inventory::yaml::parse_documents(text).map_err(|e| InventoryError {
        file: path.to_owned(),
        error: ParseError::on_line(e.line(), e.message),
    })?;
    let mut fleet = Fleet::default();
    let Some(root) = documents.first().and_then(|d| d.value.as_object()) else {
        return Err(InventoryError {
            file: path.to_owned(),
            error: ParseError::on_line(
                1,
                "a YAML inventory is a mapping of groups (`all:`)".to_owned(),
            ),
        });
    };
    for (group, body) in root {
        yaml_group(&mut fleet, group, body, path)?;
    }
    Ok(fleet)
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn yaml_group(
    fleet: &mut Fleet,
    group: &str,
    body: &Value,
    path: &str,
) -> Result<(), InventoryError> {
    fleet.members.entry(group.to_owned()).or_default();
    if let Some(hosts) = body.get("hosts").and_then(Value::as_object) {
        for (pattern, vars) in hosts {
            let vars: BTreeMap<String, String> = vars
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter_map(|(k, v)| scalar(v).map(|v| (k.clone(), v)))
                        .collect()
                })
                .unwrap_or_default();
            let expanded = expand(pattern).map_err(|message| InventoryError {
                file: path.to_owned(),
                error: ParseError::on_line(0, message),
            })?;
            for host in expanded {
                fleet.add_host(group, &host, vars.clone());
            }
        }
    }
    if let Some(vars) = body.get("vars").and_then(Value::as_object) {
        let target = fleet.group_vars.entry(group.to_owned()).or_default();
        for (k, v) in vars {
            if let Some(v) = scalar(v) {
                target.insert(k.clone(), v);
            }
        }
    }
    if let Some(children) = body.get("children").and_then(Value::as_object) {
        for (child, child_body) in children {
            fleet
                .children
                .entry(group.to_owned())
                .or_default()
                .push(child.clone());
            yaml_group(fleet, child, child_body, path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_groups_children_and_precedence() {
        let text = "bastion ansible_host=192.0.2.1\n\n[web]\nweb1 ansible_user=alice\nweb2\n\n[db]\ndb1 ansible_port=5522\n\n[prod:children]\nweb\ndb\n\n[prod:vars]\nansible_user=ops\n\n[all:vars]\nansible_user=nobody\nansible_port=22\n";
        let hosts = parse("hosts", text).unwrap();
        let summary: Vec<(&str, &str, Option<&str>, Option<u16>)> = hosts
            .iter()
            .map(|h| (h.name.as_str(), h.host.as_str(), h.user.as_deref(), h.port))
            .collect();
        assert_eq!(
            summary,
            [
                ("bastion", "192.0.2.1", Some("nobody"), Some(22)),
                ("web1", "web1", Some("alice"), Some(22)),
                ("web2", "web2", Some("ops"), Some(22)),
                ("db1", "db1", Some("ops"), Some(5522)),
            ]
        );
    }

    #[test]
    fn yaml_inventory() {
        let text = "all:\n  hosts:\n    mail.example.com:\n  children:\n    web:\n      hosts:\n        web[01:02]:\n          ansible_port: 2222\n      vars:\n        ansible_user: deploy\n";
        let hosts = parse("hosts.yml", text).unwrap();
        let names: Vec<&str> = hosts.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["mail.example.com", "web01", "web02"]);
        assert_eq!(hosts[1].port, Some(2222));
        assert_eq!(hosts[1].user.as_deref(), Some("deploy"));
        assert_eq!(hosts[0].user, None);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("hosts", "[web\nweb1\n").unwrap_err();
        assert_eq!(e.error.line(), 1);
        let e = parse("hosts", "[web]\nweb1 ansible_port=http\n").unwrap_err();
        assert!(e.error.message.contains("not a port"), "{e}");
        let e = parse("hosts", "[web]\nweb[3:1]\n").unwrap_err();
        assert_eq!(e.error.line(), 2);
        assert!(parse("hosts", "[web]\n-oProxyCommand=x\n").is_err());
    }
}
