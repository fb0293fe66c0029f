//! The checks of the `ansible` pack, in rule order.

use rampart_policy::helpers::{pipes_download_to_shell, secret_name};
use rampart_policy::{Context, Node, Resource};

/// The module's short name: `ansible.builtin.get_url` → `get_url`.
fn module(resource: &Resource) -> &str {
    let name = resource.root().get("module").as_str().unwrap_or("");
    name.rsplit('.').next().unwrap_or(name)
}

fn task(resource: &Resource) -> Node<'_> {
    resource.root().get("task")
}

/// The task's name, or its module, for messages.
fn task_name(resource: &Resource) -> String {
    match task(resource).get("name").as_str() {
        Some(name) => format!("task `{name}`"),
        None => format!("`{}` task", module(resource)),
    }
}

/// Ansible's truthy spellings (YAML 1.1 `yes`/`no` arrive as strings).
fn truthy(node: &Node<'_>) -> Option<bool> {
    if let Some(b) = node.as_bool() {
        return Some(b);
    }
    if let Some(n) = node.as_i64() {
        return Some(n != 0);
    }
    match node.as_str()?.to_ascii_lowercase().as_str() {
        "yes" | "true" | "y" | "on" | "1" => Some(true),
        "no" | "false" | "n" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// A module argument: from the argument mapping, the task's `args:`, or a
/// `key=value` of a free-form string. The node is where to report.
fn arg<'a>(resource: &'a Resource, key: &'a str) -> Option<(String, Node<'a>)> {
    let args = resource.root().get("args");
    for candidate in [args.get(key), task(resource).get("args").get(key)] {
        if let Some(value) = candidate.to_value() {
            let text = match value {
                rampart_policy::Value::String(s) => s,
                other => other.to_string(),
            };
            return Some((text, candidate));
        }
    }
    let free_form = args.as_str()?;
    free_form.split_whitespace().find_map(|word| {
        let (k, v) = word.split_once('=')?;
        (k == key).then(|| (v.trim_matches(['"', '\'']).to_owned(), args.clone()))
    })
}

/// The command line of shell/command/raw: the free-form string or `cmd`.
fn command_line(resource: &Resource) -> Option<(String, Node<'_>)> {
    let args = resource.root().get("args");
    if let Some(text) = args.as_str() {
        return Some((text.to_owned(), args));
    }
    let cmd = args.get("cmd").or(&args.get("_raw_params"));
    cmd.as_str().map(|text| (text.to_owned(), cmd.clone()))
}

fn is_template(text: &str) -> bool {
    text.contains("{{") || text.starts_with("$ANSIBLE_VAULT")
}

pub(crate) fn certificates_unchecked(resource: &Resource, cx: &mut Context<'_>) {
    let Some((text, node)) = arg(resource, "validate_certs") else {
        return;
    };
    // From a free-form string the node is the whole argument string.
    let off = truthy(&node) == Some(false)
        || (node.as_str() != Some(text.as_str())
            && ["no", "false", "n", "off", "0"].contains(&text.to_ascii_lowercase().as_str()));
    if off {
        cx.report(
            &node,
            format!("{} does not validate certificates", task_name(resource)),
        );
    }
}

const FILE_MODULES: &[&str] = &[
    "file",
    "copy",
    "template",
    "get_url",
    "unarchive",
    "assemble",
    "lineinfile",
    "blockinfile",
    "replace",
    "ini_file",
    "archive",
];

/// Whether a mode lets others write: octal (`0777`, `"0666"`, `777`) or
/// symbolic (`o+w`, `a=rwx`, `u=rw,o=rw`).
pub(crate) fn others_can_write(mode: &str) -> bool {
    let mode = mode.trim().trim_start_matches("0o");
    if !mode.is_empty() && mode.chars().all(|c| c.is_ascii_digit()) {
        return u32::from_str_radix(mode, 8).is_ok_and(|bits| bits & 0o002 != 0);
    }
    mode.split(',').any(|clause| {
        let Some(op) = clause.find(['+', '=']) else {
            return false;
        };
        let (who, perms) = clause.split_at(op);
        (who.is_empty() || who.contains(['o', 'a'])) && perms[1..].contains('w')
    })
}

pub(crate) fn world_writable(resource: &Resource, cx: &mut Context<'_>) {
    if !FILE_MODULES.contains(&module(resource)) {
        return;
    }
    if let Some((mode, node)) = arg(resource, "mode")
        && others_can_write(&mode)
    {
        cx.report(
            &node,
            format!("{} sets mode {mode}: others can write", task_name(resource)),
        );
    }
}

/// Secret-named keys of a mapping with a literal (non-template) value.
fn literal_secrets<'a>(mapping: &Node<'a>) -> Vec<(&'a str, Node<'a>)> {
    mapping
        .entries()
        .filter(|(key, value)| {
            secret_name(key)
                && !key.ends_with("_file")
                && value
                    .as_str()
                    .is_some_and(|v| !v.is_empty() && !is_template(v))
        })
        .collect()
}

pub(crate) fn plaintext_secret(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    let mut places = vec![root.get("vars")];
    if resource.kind == "ansible-task" {
        places.push(root.get("args"));
        places.push(task(resource).get("vars"));
    }
    for place in places {
        for (key, value) in literal_secrets(&place) {
            cx.report(&value, format!("{key} is written in plain text"))
                .fix("encrypt it with ansible-vault or look it up at run time");
        }
    }
}

pub(crate) fn secret_logged(resource: &Resource, cx: &mut Context<'_>) {
    let args = resource.root().get("args");
    let handles_secret = args.entries().any(|(key, _)| {
        let key = key.to_ascii_lowercase();
        (key.contains("password") || key.contains("token") || key.contains("secret"))
            && !key.ends_with("_file")
            && key != "update_password"
    });
    if handles_secret && truthy(&task(resource).get("no_log")) != Some(true) {
        cx.report(
            &resource.root().get("module"),
            format!(
                "{} passes a secret without `no_log: true`",
                task_name(resource)
            ),
        )
        .fix("add `no_log: true`");
    }
}

pub(crate) fn partial_become(resource: &Resource, cx: &mut Context<'_>) {
    let holder = if resource.kind == "ansible-task" {
        task(resource)
    } else {
        resource.root()
    };
    let user = holder.get("become_user");
    if user.exists() && !holder.get("become").exists() {
        cx.report(
            &user,
            "`become_user` without `become: true` does not switch user",
        );
    }
}

/// `{{ … }}` expressions of a text.
fn expressions(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            break;
        };
        out.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    out
}

pub(crate) fn unquoted_shell_variable(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(module(resource), "shell" | "raw") {
        return;
    }
    let Some((text, node)) = command_line(resource) else {
        return;
    };
    let unquoted: Vec<&str> = expressions(&text)
        .into_iter()
        .filter(|e| !e.replace(' ', "").contains("|quote"))
        .collect();
    if let Some(first) = unquoted.first() {
        cx.report(
            &node,
            format!(
                "{} expands `{{{{ {first} }}}}` into shell code unquoted",
                task_name(resource)
            ),
        )
        .fix("use `| quote`, or the command module");
    }
}

/// Characters and words that need a shell.
const SHELL_FEATURES: &[&str] = &["|", ">", "<", "&", ";", "$", "`", "*", "?", "~", "[", "{{"];

pub(crate) fn shell_without_need(resource: &Resource, cx: &mut Context<'_>) {
    if module(resource) != "shell" {
        return;
    }
    let Some((text, node)) = command_line(resource) else {
        return;
    };
    // Templated commands can hide shell syntax; only plain ones are judged.
    if !SHELL_FEATURES.iter().any(|f| text.contains(f)) && !text.contains('\n') {
        cx.report(
            &node,
            format!("{} needs no shell: `{}`", task_name(resource), text.trim()),
        )
        .fix("use ansible.builtin.command");
    }
}

const PACKAGE_MODULES: &[&str] = &[
    "apt", "yum", "dnf", "package", "pip", "npm", "gem", "apk", "zypper", "pacman", "homebrew",
    "snap", "pkgng",
];

pub(crate) fn package_latest(resource: &Resource, cx: &mut Context<'_>) {
    if !PACKAGE_MODULES.contains(&module(resource)) {
        return;
    }
    if let Some((state, node)) = arg(resource, "state")
        && state == "latest"
    {
        cx.report(
            &node,
            format!("{} installs the latest version", task_name(resource)),
        );
    }
}

pub(crate) fn plain_http(resource: &Resource, cx: &mut Context<'_>) {
    let key = match module(resource) {
        "get_url" | "uri" | "apt_key" | "rpm_key" => {
            if module(resource) == "rpm_key" {
                "key"
            } else {
                "url"
            }
        }
        "unarchive" => "src",
        _ => return,
    };
    if let Some((url, node)) = arg(resource, key)
        && url.starts_with("http://")
    {
        cx.report(
            &node,
            format!("{} downloads {url} over plain HTTP", task_name(resource)),
        );
    }
}

pub(crate) fn download_unverified(resource: &Resource, cx: &mut Context<'_>) {
    if module(resource) == "get_url" && arg(resource, "checksum").is_none() {
        cx.report(
            &resource.root().get("module"),
            format!("{} downloads without a checksum", task_name(resource)),
        )
        .fix("add `checksum: sha256:<digest>`");
    }
}

pub(crate) fn curl_pipe_shell(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(module(resource), "shell" | "command" | "raw") {
        return;
    }
    let Some((text, node)) = command_line(resource) else {
        return;
    };
    let piped = pipes_download_to_shell(&text);
    if piped {
        cx.report(
            &node,
            format!("{} pipes a download into a shell", task_name(resource)),
        );
    }
}

pub(crate) fn unsigned_packages(resource: &Resource, cx: &mut Context<'_>) {
    let (key, bad) = match module(resource) {
        "apt" => ("allow_unauthenticated", true),
        "yum" | "dnf" | "zypper" | "package" => ("disable_gpg_check", true),
        "yum_repository" => ("gpgcheck", false),
        _ => return,
    };
    if let Some((_, node)) = arg(resource, key)
        && truthy(&node) == Some(bad)
    {
        cx.report(
            &node,
            format!(
                "{} turns off package signature checks ({key})",
                task_name(resource)
            ),
        );
    }
}

pub(crate) fn git_unpinned(resource: &Resource, cx: &mut Context<'_>) {
    if module(resource) != "git" {
        return;
    }
    match arg(resource, "version") {
        None => {
            cx.report(
                &resource.root().get("module"),
                format!("{} checks out the default branch", task_name(resource)),
            )
            .fix("pin `version` to a tag or commit");
        }
        Some((version, node))
            if ["HEAD", "main", "master", "develop", "trunk"].contains(&version.as_str()) =>
        {
            cx.report(
                &node,
                format!("{} follows the branch `{version}`", task_name(resource)),
            );
        }
        Some(_) => {}
    }
}

pub(crate) fn errors_ignored(resource: &Resource, cx: &mut Context<'_>) {
    let flag = task(resource).get("ignore_errors");
    if truthy(&flag) == Some(true) {
        cx.report(
            &flag,
            format!("{} ignores every error", task_name(resource)),
        );
    }
}

pub(crate) fn host_keys_unchecked(resource: &Resource, cx: &mut Context<'_>) {
    let vars = if resource.kind == "ansible-task" {
        task(resource).get("vars")
    } else {
        resource.root().get("vars")
    };
    for key in ["ansible_ssh_common_args", "ansible_ssh_extra_args"] {
        let value = vars.get(key);
        if value.as_str().is_some_and(|v| {
            v.replace(' ', "")
                .to_ascii_lowercase()
                .contains("stricthostkeychecking=no")
        }) {
            cx.report(&value, format!("{key} turns off SSH host key checking"));
        }
    }
    let flag = vars.get("ansible_host_key_checking");
    if truthy(&flag) == Some(false) {
        cx.report(&flag, "ansible_host_key_checking is off");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        for mode in [
            "0777",
            "777",
            "0666",
            "0o646",
            "o+w",
            "a=rwx",
            "u=rw,o=rw",
            "+w",
        ] {
            assert!(others_can_write(mode), "{mode}");
        }
        for mode in ["0644", "0755", "600", "u+w", "g+w,o-w", "o=r"] {
            assert!(!others_can_write(mode), "{mode}");
        }
    }
}
