//! Hosts: what is installed and how it is configured, from a root
//! filesystem (the live system or a mounted image).
//!
//! Every collector reads files through [`fs::HostFs`], so the same code
//! serves `--root /`, `--root DIR` and remote hosts. Each fact becomes a
//! resource of a `host.*` kind (or `sshd`) whose `source` is the file it
//! was read from, with the line of every value, so a finding such as
//! "PermitRootLogin yes" lands on its line in `sshd_config`. A file that
//! cannot be read is a diagnostic, never the end of the host's scan. The
//! document shapes are in `docs/kinds/host.md`.

pub mod accounts;
pub mod cron;
pub mod files;
pub mod fleet;
pub mod fs;
pub mod mounts;
pub mod os;
pub mod packages;
pub mod reach;
pub mod services;
pub mod ssh;
pub mod sshd;
pub mod sysctl;

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use crate::resource::Resource;
use fs::HostFs;

/// A host to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostTarget {
    /// A root filesystem on this machine: `/` for the running system, or
    /// the directory of a mounted image or extracted root filesystem.
    Root(std::path::PathBuf),
    /// A host reached over SSH.
    Ssh(ssh::SshTarget),
}

/// Why the targets of a scan could not be worked out.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// An `ssh://` path is not a valid URL.
    #[error("{0}")]
    Url(String),
    /// An inventory file could not be read.
    #[error("cannot read the inventory {}: {error}", .path.display())]
    Unreadable {
        /// The inventory.
        path: std::path::PathBuf,
        /// Why.
        error: crate::read::ReadError,
    },
    /// An inventory file is not valid.
    #[error(transparent)]
    Inventory(#[from] fleet::InventoryError),
    /// An inventory names no host: a fleet scan of nothing is a mistake.
    #[error("the inventory {} lists no host", .0.display())]
    Empty(std::path::PathBuf),
}

/// What a scan covers: `paths` split into files to walk and `ssh://` hosts,
/// then the `roots` and every host of the Ansible `inventories` (INI or
/// YAML). `.` is walked when nothing at all was given.
pub fn targets(
    paths: &[std::path::PathBuf],
    roots: &[std::path::PathBuf],
    inventories: &[std::path::PathBuf],
) -> Result<(Vec<std::path::PathBuf>, Vec<HostTarget>), TargetError> {
    use crate::read::{Links, MAX_SMALL_FILE, read_text};
    let mut files = Vec::new();
    let mut targets: Vec<HostTarget> = roots.iter().cloned().map(HostTarget::Root).collect();
    for path in paths {
        match path.to_str().filter(|p| p.starts_with("ssh://")) {
            Some(url) => targets.push(HostTarget::Ssh(
                ssh::SshTarget::parse(url).map_err(TargetError::Url)?,
            )),
            None => files.push(path.clone()),
        }
    }
    for inventory in inventories {
        let text = read_text(inventory, MAX_SMALL_FILE, Links::Follow).map_err(|error| {
            TargetError::Unreadable {
                path: inventory.clone(),
                error,
            }
        })?;
        let found = fleet::parse(&inventory.display().to_string(), &text)?;
        if found.is_empty() {
            return Err(TargetError::Empty(inventory.clone()));
        }
        targets.extend(found.into_iter().map(HostTarget::Ssh));
    }
    if files.is_empty() && targets.is_empty() {
        files.push(std::path::PathBuf::from("."));
    }
    Ok((files, targets))
}

/// Largest configuration file read (bytes). The dpkg status database of a
/// big server is a few MB; nothing a host scan reads should come near.
pub const MAX_HOST_FILE: u64 = 64 << 20;

/// One host's resources, in a stable order, and what went wrong.
#[derive(Debug, Default)]
pub struct HostInventory {
    /// Display name of the host (`/`, the image directory, or a host name).
    pub name: String,
    /// Everything collected: one policy batch.
    pub resources: Vec<Resource>,
    /// Files that could not be read or parsed.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file read, by reported path: for the lines
    /// reports show (a report never reads a host's file itself).
    pub sources: crate::resource::Sources,
}

/// Collects everything rampart knows how to read from a host.
///
/// `prefix` is put before every host path to make the reported path: `""`
/// for the live system (`/etc/passwd`), the image directory as given for
/// an image (`rootfs` + `/etc/passwd`).
pub fn collect(fs: &dyn HostFs, name: &str, prefix: &str) -> HostInventory {
    let mut reader = HostReader::new(fs, prefix);
    let os = os::collect(&mut reader);
    let mut resources = Vec::new();
    let os_id = os
        .as_ref()
        .and_then(|r| r.document["id"].as_str().map(str::to_owned));
    let os_version = os
        .as_ref()
        .and_then(|r| r.document["version_id"].as_str().map(str::to_owned));
    resources.extend(os);
    let accounts = accounts::collect(&mut reader);
    let names = accounts::Names::from_resources(&accounts);
    resources.extend(accounts);
    resources.extend(packages::collect(
        &mut reader,
        os_id.as_deref(),
        os_version.as_deref(),
    ));
    resources.extend(sshd::collect(&mut reader));
    resources.extend(sysctl::collect(&mut reader));
    resources.extend(mounts::collect(&mut reader));
    resources.extend(services::collect(&mut reader));
    resources.extend(cron::collect(&mut reader));
    resources.extend(files::collect(&mut reader, &names));
    resources.sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
    let mut diagnostics = reader.diagnostics;
    diagnostics.sort();
    diagnostics.dedup();
    HostInventory {
        name: name.to_owned(),
        resources,
        diagnostics,
        sources: reader.sources,
    }
}

/// Reads a host's files for the collectors, turning failures into
/// diagnostics.
pub struct HostReader<'a> {
    fs: &'a dyn HostFs,
    prefix: String,
    diagnostics: Vec<Diagnostic>,
    sources: crate::resource::Sources,
}

impl std::fmt::Debug for HostReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostReader")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl<'a> HostReader<'a> {
    /// A reader reporting paths as `prefix` + host path.
    pub fn new(fs: &'a dyn HostFs, prefix: &str) -> Self {
        HostReader {
            fs,
            prefix: prefix.trim_end_matches('/').to_owned(),
            diagnostics: Vec::new(),
            sources: crate::resource::Sources::default(),
        }
    }

    /// The file system.
    pub fn fs(&self) -> &'a dyn HostFs {
        self.fs
    }

    /// How a host path is reported (`rootfs/etc/passwd`).
    pub fn display(&self, path: &str) -> String {
        format!("{}{}", self.prefix, path)
    }

    /// A text file; `None` (silently) if it does not exist, `None` with a
    /// diagnostic if it cannot be read. A file that is not a regular file
    /// (a FIFO, a device) or is over [`MAX_HOST_FILE`] is a gap in the
    /// scan: an error. The text is kept for the report's source lines.
    pub fn text(&mut self, path: &str) -> Option<String> {
        match self.fs.read(path, MAX_HOST_FILE) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                self.sources.insert(self.display(path), text.as_str());
                Some(text)
            }
            Err(e) if is_absent(&e) => None,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::InvalidInput | std::io::ErrorKind::FileTooLarge
                ) =>
            {
                self.gap(path, format!("{path} is not read: {e}"));
                None
            }
            Err(e) => {
                self.problem(path, format!("cannot read {path}: {e}"));
                None
            }
        }
    }

    /// A directory's entries; empty (silently) if it does not exist.
    pub fn dir(&mut self, path: &str) -> Vec<String> {
        match self.fs.read_dir(path) {
            Ok(names) => names,
            Err(e) if is_absent(&e) => Vec::new(),
            Err(e) => {
                self.problem(path, format!("cannot list {path}: {e}"));
                Vec::new()
            }
        }
    }

    /// Records a file, or part of one, that could not be scanned: an
    /// error, the scan is incomplete.
    pub fn gap(&mut self, path: &str, message: String) {
        self.diagnostics.push(Diagnostic::file(
            Level::Error,
            DiagnosticKind::Skipped,
            self.display(path),
            message,
        ));
    }

    /// Records a problem with a host file.
    pub fn problem(&mut self, path: &str, message: String) {
        self.diagnostics.push(Diagnostic::file(
            Level::Warning,
            DiagnosticKind::Host,
            self.display(path),
            message,
        ));
    }
}

/// Missing files and directories are normal on a host (no `/etc/fstab` in
/// a container image): not worth a diagnostic.
fn is_absent(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}

pub(crate) use crate::inventory::lines::{LineIndex, whole_line};

/// A value without its surrounding quotes (`"…"` or `'…'`, as os-release,
/// sshd_config and Ansible inventories allow); `\"` and `\\` inside double
/// quotes unescaped.
pub(crate) fn unquote(value: &str) -> String {
    let value = value.trim();
    if let Some(inner) = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .filter(|_| value.len() >= 2)
    {
        return inner.replace("\\\"", "\"").replace("\\\\", "\\");
    }
    value
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .filter(|_| value.len() >= 2)
        .unwrap_or(value)
        .to_owned()
}

/// A `/`-free pointer token (RFC 6901 escaping).
pub(crate) fn token(key: &str) -> String {
    crate::resource::escape_pointer_token(key).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{HostTarget, TargetError, targets, unquote};
    use std::path::PathBuf;

    #[test]
    fn targets_split_files_hosts_and_inventories() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fleet = dir.path().join("hosts.ini");
        std::fs::write(&fleet, "[web]\nweb1 ansible_host=10.0.0.1\n").expect("write");
        let (files, hosts) = targets(
            &[PathBuf::from("src"), PathBuf::from("ssh://deploy@db1:2222")],
            &[PathBuf::from("/mnt/image")],
            std::slice::from_ref(&fleet),
        )
        .expect("targets");
        assert_eq!(files, [PathBuf::from("src")]);
        assert_eq!(hosts.len(), 3, "{hosts:?}");
        assert_eq!(hosts[0], HostTarget::Root(PathBuf::from("/mnt/image")));
        assert!(matches!(&hosts[1], HostTarget::Ssh(t) if t.host == "db1" && t.port == Some(2222)));
        assert!(matches!(&hosts[2], HostTarget::Ssh(t) if t.host == "10.0.0.1"));
        // Nothing given: the current directory.
        assert_eq!(
            targets(&[], &[], &[]).expect("targets").0,
            [PathBuf::from(".")]
        );

        let empty = dir.path().join("empty.ini");
        std::fs::write(&empty, "# no hosts\n").expect("write");
        let err = targets(&[], &[], std::slice::from_ref(&empty)).unwrap_err();
        assert!(matches!(err, TargetError::Empty(_)), "{err}");
        assert!(err.to_string().ends_with("lists no host"), "{err}");
        let err = targets(&[], &[], &[dir.path().join("missing.ini")]).unwrap_err();
        assert!(
            err.to_string().starts_with("cannot read the inventory "),
            "{err}"
        );
        assert!(matches!(
            targets(&[PathBuf::from("ssh://")], &[], &[]),
            Err(TargetError::Url(_))
        ));
    }

    #[test]
    fn quotes() {
        assert_eq!(unquote(r#""Debian GNU/Linux""#), "Debian GNU/Linux");
        assert_eq!(unquote(r#""say \"hi\"""#), r#"say "hi""#);
        assert_eq!(unquote("'single'"), "single");
        assert_eq!(unquote("bare"), "bare");
        assert_eq!(unquote("\""), "\"");
    }
}
