//! Ansible playbooks and task files: one `ansible-task` resource per task
//! and one `ansible-play` resource per play.
//!
//! A playbook is a YAML list of plays (mappings with `hosts`, or
//! `import_playbook`); a task file is a YAML list of tasks in a `tasks/` or
//! `handlers/` directory (a role's `tasks/main.yml`). Tasks inside
//! `block`/`rescue`/`always` are tasks of their own. See
//! `docs/kinds/ansible.md`.

use super::yaml::YamlDocument;
use crate::resource::{Resource, SpanIndex};
use serde_json::{Map, Value};
use std::path::Path;

/// The kind of a task resource.
pub const TASK_KIND: &str = "ansible-task";
/// The kind of a play resource.
pub const PLAY_KIND: &str = "ansible-play";

/// Keys of a task that are not its module (Ansible's task keywords).
const TASK_KEYWORDS: &[&str] = &[
    "action",
    "always",
    "any_errors_fatal",
    "args",
    "async",
    "become",
    "become_exe",
    "become_flags",
    "become_method",
    "become_user",
    "block",
    "changed_when",
    "check_mode",
    "collections",
    "connection",
    "debugger",
    "delay",
    "delegate_facts",
    "delegate_to",
    "diff",
    "environment",
    "failed_when",
    "ignore_errors",
    "ignore_unreachable",
    "listen",
    "local_action",
    "loop",
    "loop_control",
    "module_defaults",
    "name",
    "no_log",
    "notify",
    "poll",
    "port",
    "register",
    "remote_user",
    "rescue",
    "retries",
    "run_once",
    "tags",
    "throttle",
    "timeout",
    "until",
    "vars",
    "when",
];

/// Lists of tasks in a play.
const PLAY_TASK_LISTS: &[&str] = &["pre_tasks", "tasks", "post_tasks", "handlers"];

/// What an Ansible file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnsibleFile {
    /// A list of plays.
    Playbook,
    /// A list of tasks (a role's `tasks/` or `handlers/`).
    TaskFile,
}

/// Whether `path` with these documents is a playbook or a task file.
pub fn detect(path: &Path, documents: &[YamlDocument]) -> Option<AnsibleFile> {
    let [document] = documents else {
        return None;
    };
    let items = document.value.as_array()?;
    if items.is_empty() || !items.iter().all(Value::is_object) {
        return None;
    }
    let is_play = |item: &Value| {
        item.get("hosts").is_some()
            || item.get("import_playbook").is_some()
            || item.get("ansible.builtin.import_playbook").is_some()
    };
    if items.iter().all(is_play) {
        return Some(AnsibleFile::Playbook);
    }
    let in_task_dir = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == "tasks" || d == "handlers");
    let task_like = |item: &Value| item.as_object().is_some_and(|m| !m.is_empty());
    (in_task_dir && items.iter().all(task_like)).then_some(AnsibleFile::TaskFile)
}

/// The resources of a playbook or task file.
///
/// ```
/// use rampart_core::inventory::ansible::{self, AnsibleFile};
/// use rampart_core::inventory::yaml;
/// let text = "- hosts: web\n  become: true\n  tasks:\n    - name: Fetch\n      get_url:\n        url: http://example.com/x\n        validate_certs: false\n";
/// let resources = ansible::resources("site.yml", AnsibleFile::Playbook, yaml::parse_documents(text).unwrap());
/// assert_eq!(resources[0].id, "ansible:play/1");
/// assert_eq!(resources[1].id, "ansible:task/1");
/// assert_eq!(resources[1].document["module"], "get_url");
/// assert_eq!(resources[1].document["args"]["validate_certs"], false);
/// assert_eq!(resources[1].spans.get("/args/validate_certs").unwrap().start_line, 7);
/// ```
pub fn resources(source: &str, file: AnsibleFile, documents: Vec<YamlDocument>) -> Vec<Resource> {
    let Some(YamlDocument { value, spans }) = documents.into_iter().next() else {
        return Vec::new();
    };
    let Value::Array(items) = value else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut tasks = 0;
    match file {
        AnsibleFile::Playbook => {
            for (index, play) in items.into_iter().enumerate() {
                let Value::Object(mut play) = play else {
                    continue;
                };
                let pointer = format!("/{index}");
                let play_name = play.get("name").and_then(Value::as_str).map(str::to_owned);
                for list in PLAY_TASK_LISTS {
                    if let Some(Value::Array(list_tasks)) = play.remove(*list) {
                        collect_tasks(
                            source,
                            &list_tasks,
                            &format!("{pointer}/{list}"),
                            &spans,
                            play_name.as_deref(),
                            &mut tasks,
                            &mut out,
                        );
                    }
                }
                let play_spans = spans.subtree(&pointer);
                out.push(
                    Resource::new(
                        PLAY_KIND,
                        format!("ansible:play/{}", index + 1),
                        source,
                        Value::Object(play),
                    )
                    .with_spans(play_spans),
                );
            }
        }
        AnsibleFile::TaskFile => {
            collect_tasks(source, &items, "", &spans, None, &mut tasks, &mut out);
        }
    }
    // Plays first, then tasks, each in file order: ids are stable.
    out.sort_by_key(|r| (r.kind != PLAY_KIND, ordinal(&r.id)));
    out
}

fn ordinal(id: &str) -> usize {
    id.rsplit('/')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn collect_tasks(
    source: &str,
    items: &[Value],
    pointer: &str,
    spans: &SpanIndex,
    play: Option<&str>,
    count: &mut usize,
    out: &mut Vec<Resource>,
) {
    for (index, item) in items.iter().enumerate() {
        let Some(task) = item.as_object() else {
            continue;
        };
        let task_pointer = format!("{pointer}/{index}");
        let mut nested = false;
        for section in ["block", "rescue", "always"] {
            if let Some(Value::Array(inner)) = task.get(section) {
                nested = true;
                collect_tasks(
                    source,
                    inner,
                    &format!("{task_pointer}/{section}"),
                    spans,
                    play,
                    count,
                    out,
                );
            }
        }
        if nested {
            continue;
        }
        *count += 1;
        out.push(task_resource(
            source,
            task,
            &task_pointer,
            spans,
            play,
            *count,
        ));
    }
}

/// `{"module", "args", "task", "play"}`: the module as written, its
/// arguments (a mapping, or the free-form string), the whole task as
/// written, and the name of the play it is in.
fn task_resource(
    source: &str,
    task: &Map<String, Value>,
    pointer: &str,
    spans: &SpanIndex,
    play: Option<&str>,
    ordinal: usize,
) -> Resource {
    let task_spans = spans.subtree(pointer);
    let mut document = Map::new();
    let mut index = SpanIndex::default();
    if let Some(region) = task_spans.get("") {
        index.insert("", region);
    }
    let module_key = task
        .keys()
        .find(|k| !TASK_KEYWORDS.contains(&k.as_str()) && !k.starts_with("with_"));
    let (module, args, args_pointer) = match module_key {
        Some(key) => (
            Value::String(key.clone()),
            task.get(key).cloned().unwrap_or(Value::Null),
            Some(format!("/{}", crate::resource::escape_pointer_token(key))),
        ),
        // `action: copy src=a dest=b` / `local_action: …`.
        None => match task
            .get("action")
            .or_else(|| task.get("local_action"))
            .and_then(Value::as_str)
        {
            Some(action) => {
                let (name, rest) = action
                    .trim()
                    .split_once(char::is_whitespace)
                    .unwrap_or((action, ""));
                let key = if task.contains_key("action") {
                    "/action"
                } else {
                    "/local_action"
                };
                (
                    Value::String(name.to_owned()),
                    Value::String(rest.trim().to_owned()),
                    Some(key.to_owned()),
                )
            }
            None => (Value::Null, Value::Null, None),
        },
    };
    if let Some(args_pointer) = &args_pointer {
        if let Some(region) = task_spans.get(args_pointer) {
            index.insert("/module", region);
        }
        index.graft("/args", &task_spans.subtree(args_pointer));
    }
    index.graft("/task", &task_spans);
    document.insert("module".into(), module);
    document.insert("args".into(), args);
    document.insert("task".into(), Value::Object(task.clone()));
    document.insert(
        "play".into(),
        play.map_or(Value::Null, |p| Value::String(p.to_owned())),
    );
    Resource::new(
        TASK_KIND,
        format!("ansible:task/{ordinal}"),
        source,
        Value::Object(document),
    )
    .with_spans(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::yaml::parse_documents;

    fn detect_text(path: &str, text: &str) -> Option<AnsibleFile> {
        detect(Path::new(path), &parse_documents(text).unwrap())
    }

    #[test]
    fn detection() {
        assert_eq!(
            detect_text("site.yml", "- hosts: all\n  tasks: []\n"),
            Some(AnsibleFile::Playbook)
        );
        assert_eq!(
            detect_text("site.yml", "- import_playbook: web.yml\n"),
            Some(AnsibleFile::Playbook)
        );
        assert_eq!(
            detect_text(
                "roles/web/tasks/main.yml",
                "- name: x\n  apt: {name: nginx}\n"
            ),
            Some(AnsibleFile::TaskFile)
        );
        assert_eq!(
            detect_text("lists/main.yml", "- name: x\n  apt: {name: nginx}\n"),
            None
        );
        assert_eq!(detect_text("site.yml", "- a\n- b\n"), None);
        assert_eq!(detect_text("site.yml", "hosts: all\n"), None);
    }

    #[test]
    fn blocks_are_flattened_and_free_form_actions_understood() {
        let text = "- name: outer\n  block:\n    - shell: echo {{ x }}\n    - action: copy src=a dest=b mode=0777\n  rescue:\n    - debug: msg=failed\n";
        let found = resources(
            "roles/r/tasks/main.yml",
            AnsibleFile::TaskFile,
            parse_documents(text).unwrap(),
        );
        let modules: Vec<&str> = found
            .iter()
            .map(|r| r.document["module"].as_str().unwrap())
            .collect();
        assert_eq!(modules, ["shell", "copy", "debug"]);
        assert_eq!(found[1].document["args"], "src=a dest=b mode=0777");
        assert_eq!(found[0].spans.get("/args").unwrap().start_line, 3);
        assert_eq!(found[2].spans.get("/task/debug").unwrap().start_line, 6);
    }
}
