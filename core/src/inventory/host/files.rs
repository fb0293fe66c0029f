//! `host.file`: modes and owners of the files hardening guides name
//! (account databases, sshd keys, sudoers, cron), and what a bounded walk
//! of the system directories finds: setuid/setgid programs, world-writable
//! files and directories, files no account owns.

use super::HostReader;
use super::accounts::Names;
use super::fs::{FileStat, FileType};
use crate::resource::Resource;
use serde_json::json;
use std::collections::BTreeMap;

/// The resource kind.
pub const KIND: &str = "host.file";

/// Files (and directories) whose mode and owner matter, by path.
pub const SENSITIVE: &[&str] = &[
    "/etc/passwd",
    "/etc/passwd-",
    "/etc/group",
    "/etc/group-",
    "/etc/shadow",
    "/etc/shadow-",
    "/etc/gshadow",
    "/etc/gshadow-",
    "/etc/shells",
    "/etc/security/opasswd",
    "/etc/ssh/sshd_config",
    "/etc/sudoers",
    "/etc/crontab",
    "/etc/cron.hourly",
    "/etc/cron.daily",
    "/etc/cron.weekly",
    "/etc/cron.monthly",
    "/etc/cron.d",
    "/etc/issue",
    "/etc/issue.net",
    "/etc/motd",
];

/// Directories walked for setuid/setgid, world-writable and unowned files.
pub const WALKED: &[&str] = &[
    "/bin", "/sbin", "/lib", "/usr", "/etc", "/opt", "/boot", "/var/lib", "/srv",
];

/// Entries the walk visits at most, so a huge image cannot stall a scan;
/// past it the walk stops with a diagnostic.
pub const MAX_WALK_ENTRIES: usize = 300_000;

/// Sensitive files plus what the walk flags.
pub fn collect(reader: &mut HostReader<'_>, names: &Names) -> Vec<Resource> {
    let mut found: BTreeMap<String, (FileStat, Vec<&'static str>)> = BTreeMap::new();
    let mut sensitive: Vec<String> = SENSITIVE.iter().map(|p| (*p).to_owned()).collect();
    for name in reader.dir("/etc/ssh") {
        if name.starts_with("ssh_host_") && (name.ends_with("_key") || name.ends_with("_key.pub")) {
            sensitive.push(format!("/etc/ssh/{name}"));
        }
    }
    for name in reader.dir("/etc/sudoers.d") {
        sensitive.push(format!("/etc/sudoers.d/{name}"));
    }
    for path in sensitive {
        if let Ok(stat) = reader.fs().lstat(&path) {
            found
                .entry(path)
                .or_insert((stat, Vec::new()))
                .1
                .push("sensitive");
        }
    }
    match reader.fs().flagged_files() {
        Some(candidates) => {
            for (path, stat) in candidates {
                let categories = categories(&stat, names);
                if !categories.is_empty() {
                    found
                        .entry(path)
                        .or_insert((stat, Vec::new()))
                        .1
                        .extend(categories);
                }
            }
        }
        None => walk(reader, names, &mut found),
    }
    found
        .into_iter()
        .map(|(path, (stat, categories))| {
            let document = json!({
                "path": path,
                "type": match stat.file_type {
                    FileType::File => "file",
                    FileType::Dir => "directory",
                    FileType::Symlink => "symlink",
                    FileType::Other => "other",
                },
                "mode": format!("{:04o}", stat.mode),
                "mode_bits": stat.mode,
                "uid": stat.uid,
                "gid": stat.gid,
                "owner": names.user(stat.uid),
                "group": names.group(stat.gid),
                "setuid": stat.mode & 0o4000 != 0,
                "setgid": stat.mode & 0o2000 != 0,
                "sticky": stat.mode & 0o1000 != 0,
                "world_writable": stat.mode & 0o002 != 0,
                "world_readable": stat.mode & 0o004 != 0,
                "group_writable": stat.mode & 0o020 != 0,
                "categories": categories,
            });
            Resource::new(
                KIND,
                format!("host.file:{path}"),
                reader.display(&path),
                document,
            )
        })
        .collect()
}

fn walk(
    reader: &mut HostReader<'_>,
    names: &Names,
    found: &mut BTreeMap<String, (FileStat, Vec<&'static str>)>,
) {
    let mut stack: Vec<String> = WALKED.iter().rev().map(|p| (*p).to_owned()).collect();
    let mut visited = 0usize;
    while let Some(dir) = stack.pop() {
        // Only real directories: a symlinked /bin → usr/bin is walked as
        // /usr/bin, once.
        match reader.fs().lstat(&dir) {
            Ok(stat) if stat.file_type == FileType::Dir => {}
            _ => continue,
        }
        let entries = match reader.fs().read_dir_stat(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                reader.problem(&dir, format!("cannot list {dir}: {e}"));
                continue;
            }
        };
        let mut subdirs = Vec::new();
        for (name, stat) in entries {
            visited += 1;
            if visited > MAX_WALK_ENTRIES {
                reader.problem(
                    &dir,
                    format!(
                        "stopped looking for setuid and world-writable files after {MAX_WALK_ENTRIES} entries; the rest of the system directories were not checked"
                    ),
                );
                return;
            }
            let path = super::fs::join(&dir, &name);
            if stat.file_type == FileType::Dir {
                subdirs.push(path.clone());
            }
            let categories = categories(&stat, names);
            if !categories.is_empty() {
                let entry = found.entry(path).or_insert((stat, Vec::new()));
                entry.1.extend(categories);
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
}

/// Why a file found by the walk is listed (nothing: not listed).
fn categories(stat: &FileStat, names: &Names) -> Vec<&'static str> {
    let mut categories = Vec::new();
    match stat.file_type {
        FileType::Dir if stat.mode & 0o002 != 0 && stat.mode & 0o1000 == 0 => {
            categories.push("world-writable");
        }
        FileType::File => {
            if stat.mode & 0o4000 != 0 {
                categories.push("setuid");
            }
            if stat.mode & 0o2000 != 0 {
                categories.push("setgid");
            }
            if stat.mode & 0o002 != 0 {
                categories.push("world-writable");
            }
        }
        _ => {}
    }
    // Without the host's accounts every file would look unowned.
    let have_accounts = names.user(0).is_some();
    if have_accounts && stat.file_type != FileType::Symlink && names.user(stat.uid).is_none() {
        categories.push("unowned");
    }
    categories
}
