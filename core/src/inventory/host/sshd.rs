//! `sshd`: the OpenSSH server's configuration as sshd itself reads it —
//! `Include` files expanded in place, the first value of a keyword wins,
//! `Match` blocks kept apart as conditional settings.

use super::{HostReader, LineIndex, token, unquote};
use crate::resource::{Resource, SpanIndex};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The resource kind.
pub const KIND: &str = "sshd";

/// The server configuration file.
pub const CONFIG: &str = "/etc/ssh/sshd_config";

/// `Include` nesting sshd itself allows.
const MAX_INCLUDE_DEPTH: usize = 16;

/// Files read through `Include` in all, repeats counted. Three
/// `Include`s of the same file, nested sixteen deep, would otherwise be
/// 3^16 reads; a real configuration includes a handful.
pub const MAX_INCLUDED_FILES: usize = 256;

/// Keywords that may be given several times, all values counting.
const LIST_KEYWORDS: &[&str] = &[
    "acceptenv",
    "allowgroups",
    "allowusers",
    "denygroups",
    "denyusers",
    "hostcertificate",
    "hostkey",
    "listenaddress",
    "port",
    "setenv",
    "subsystem",
];

/// The host's sshd configuration, if it has one.
pub fn collect(reader: &mut HostReader<'_>) -> Option<Resource> {
    let text = reader.text(CONFIG)?;
    let mut state = State {
        main: reader.display(CONFIG),
        settings: Map::new(),
        lists: BTreeMap::new(),
        matches: Vec::new(),
        includes: Vec::new(),
        spans: SpanIndex::default(),
        span_files: BTreeMap::new(),
        open: vec![CONFIG.to_owned()],
        texts: BTreeMap::new(),
        included: 0,
    };
    let lines = LineIndex::new(&text);
    state.spans.insert("", lines.line_region(1));
    read(reader, &mut state, CONFIG, &text, 0);
    let lists: Map<String, Value> = state
        .lists
        .into_iter()
        .map(|(k, v)| (k, Value::from(v)))
        .collect();
    let matches: Vec<Value> = state
        .matches
        .into_iter()
        .map(|m| json!({"criteria": m.criteria, "settings": m.settings}))
        .collect();
    // Over SSH, `sshd -T` (when the login may run it) gives the server's
    // effective configuration: its own defaults and build options included.
    let effective: Value = reader
        .fs()
        .fact("sshd -T")
        .map(|text| {
            let mut map = Map::new();
            for line in text.lines() {
                let (keyword, value) = split_keyword(line.trim());
                if !keyword.is_empty() && !map.contains_key(keyword) {
                    map.insert(
                        keyword.to_ascii_lowercase(),
                        Value::String(value.to_owned()),
                    );
                }
            }
            Value::Object(map)
        })
        .unwrap_or(Value::Null);
    let document = json!({
        "config_file": CONFIG,
        "settings": state.settings,
        "lists": lists,
        "matches": matches,
        "includes": state.includes,
        "effective": effective,
    });
    let mut resource = Resource::new(KIND, "sshd", state.main, document).with_spans(state.spans);
    resource.span_files = state.span_files;
    Some(resource)
}

struct State {
    main: String,
    settings: Map<String, Value>,
    lists: BTreeMap<String, Vec<String>>,
    matches: Vec<MatchBlock>,
    includes: Vec<String>,
    spans: SpanIndex,
    span_files: BTreeMap<String, String>,
    /// The files being read, outermost first: an `Include` of one of them
    /// is a cycle.
    open: Vec<String>,
    /// Included files read so far (`None`: absent or unreadable), each
    /// read once however often it is included.
    texts: BTreeMap<String, Option<std::sync::Arc<str>>>,
    /// Inclusions so far, repeats counted ([`MAX_INCLUDED_FILES`]).
    included: usize,
}

struct MatchBlock {
    criteria: String,
    settings: Map<String, Value>,
}

impl State {
    fn span(
        &mut self,
        reader: &HostReader<'_>,
        pointer: String,
        file: &str,
        lines: &LineIndex<'_>,
        line: usize,
    ) {
        self.spans.insert(pointer.clone(), lines.line_region(line));
        let display = reader.display(file);
        if display != self.main {
            self.span_files.insert(pointer, display);
        }
    }
}

/// Reads one file into `state`; `in_match` says whether a `Match` block is
/// open (an included file continues it, as in sshd).
fn read(reader: &mut HostReader<'_>, state: &mut State, file: &str, text: &str, depth: usize) {
    let lines = LineIndex::new(text);
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let (keyword, value) = split_keyword(content);
        let keyword = keyword.to_ascii_lowercase();
        match keyword.as_str() {
            "include" => {
                if depth >= MAX_INCLUDE_DEPTH {
                    reader.problem(
                        file,
                        format!("{file} line {line}: Include nested too deeply"),
                    );
                    continue;
                }
                for pattern in value.split_whitespace() {
                    for path in expand(reader, pattern) {
                        state.includes.push(path.clone());
                        if state.open.contains(&path) {
                            reader.problem(
                                file,
                                format!(
                                    "{file} line {line}: `Include {pattern}` includes {path}, which is being read: a cycle, not followed"
                                ),
                            );
                            continue;
                        }
                        state.included += 1;
                        if state.included > MAX_INCLUDED_FILES {
                            reader.gap(
                                file,
                                format!(
                                    "{file} line {line}: more than {MAX_INCLUDED_FILES} files included in all; the rest of the configuration is not read"
                                ),
                            );
                            return;
                        }
                        let included = match state.texts.get(&path) {
                            Some(known) => known.clone(),
                            None => {
                                let read = reader.text(&path).map(std::sync::Arc::<str>::from);
                                state.texts.insert(path.clone(), read.clone());
                                read
                            }
                        };
                        if let Some(included) = included {
                            state.open.push(path.clone());
                            read(reader, state, &path, &included, depth + 1);
                            state.open.pop();
                        }
                    }
                }
            }
            "match" => {
                let i = state.matches.len();
                state.matches.push(MatchBlock {
                    criteria: value.to_owned(),
                    settings: Map::new(),
                });
                state.span(reader, format!("/matches/{i}"), file, &lines, line);
            }
            _ => {
                let value = unquote(value);
                if let Some(current) = state.matches.len().checked_sub(1) {
                    let block = &mut state.matches[current];
                    if !block.settings.contains_key(&keyword) {
                        block.settings.insert(keyword.clone(), Value::String(value));
                        state.span(
                            reader,
                            format!("/matches/{current}/settings/{}", token(&keyword)),
                            file,
                            &lines,
                            line,
                        );
                    }
                    continue;
                }
                if LIST_KEYWORDS.contains(&keyword.as_str()) {
                    let list = state.lists.entry(keyword.clone()).or_default();
                    let i = list.len();
                    list.push(value.clone());
                    state.span(
                        reader,
                        format!("/lists/{}/{i}", token(&keyword)),
                        file,
                        &lines,
                        line,
                    );
                }
                // sshd keeps the first value of a keyword.
                if !state.settings.contains_key(&keyword) {
                    state.settings.insert(keyword.clone(), Value::String(value));
                    state.span(
                        reader,
                        format!("/settings/{}", token(&keyword)),
                        file,
                        &lines,
                        line,
                    );
                }
            }
        }
    }
}

/// `Keyword value` or `Keyword=value`.
fn split_keyword(line: &str) -> (&str, &str) {
    let end = line
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(line.len());
    let (keyword, rest) = line.split_at(end);
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('=').unwrap_or(rest).trim();
    (keyword, rest)
}

/// An `Include` pattern's files, sorted: relative paths are under
/// `/etc/ssh`, and the last component may be a glob.
fn expand(reader: &mut HostReader<'_>, pattern: &str) -> Vec<String> {
    let pattern = if pattern.starts_with('/') {
        pattern.to_owned()
    } else {
        format!("/etc/ssh/{pattern}")
    };
    let Some((dir, name)) = pattern.rsplit_once('/') else {
        return Vec::new();
    };
    if !name.contains(['*', '?', '[']) {
        return vec![pattern];
    }
    let Ok(glob) = globset::Glob::new(name) else {
        return Vec::new();
    };
    let matcher = glob.compile_matcher();
    let dir = if dir.is_empty() { "/" } else { dir };
    reader
        .dir(dir)
        .into_iter()
        .filter(|entry| matcher.is_match(entry))
        .map(|entry| super::fs::join(dir, &entry))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::host::fs::RootFs;

    #[test]
    fn includes_first_value_wins_and_match_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let ssh = dir.path().join("etc/ssh");
        std::fs::create_dir_all(ssh.join("sshd_config.d")).unwrap();
        std::fs::write(
            ssh.join("sshd_config"),
            "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nX11Forwarding=yes\nHostKey /a\nHostKey /b\nMatch User bob\n  PasswordAuthentication yes\n",
        )
        .unwrap();
        std::fs::write(
            ssh.join("sshd_config.d/10-hardening.conf"),
            "# local\nPermitRootLogin no\n",
        )
        .unwrap();
        std::fs::write(
            ssh.join("sshd_config.d/ignored.txt"),
            "PermitRootLogin yes\n",
        )
        .unwrap();
        let fs = RootFs::new(dir.path()).unwrap();
        let mut reader = HostReader::new(&fs, "root");
        let r = collect(&mut reader).unwrap();
        assert_eq!(r.document["settings"]["permitrootlogin"], "no");
        assert_eq!(r.document["settings"]["x11forwarding"], "yes");
        assert_eq!(r.document["lists"]["hostkey"], json!(["/a", "/b"]));
        assert_eq!(r.document["matches"][0]["criteria"], "User bob");
        assert_eq!(
            r.document["matches"][0]["settings"]["passwordauthentication"],
            "yes"
        );
        // The winning PermitRootLogin is line 2 of the included file.
        assert_eq!(
            r.locate("/settings/permitrootlogin").0,
            "root/etc/ssh/sshd_config.d/10-hardening.conf"
        );
        assert_eq!(
            r.locate("/settings/permitrootlogin").1.unwrap().start_line,
            2
        );
        assert_eq!(
            r.locate("/settings/x11forwarding").0,
            "root/etc/ssh/sshd_config"
        );
        assert_eq!(r.locate("/settings/x11forwarding").1.unwrap().start_line, 3);
        assert_eq!(
            r.locate("/matches/0/settings/passwordauthentication")
                .1
                .unwrap()
                .start_line,
            7
        );
    }
}
