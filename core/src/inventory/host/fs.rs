//! Reading a host's files: the live system, a mounted image, or (later) a
//! remote host, behind one small trait.
//!
//! A root filesystem is untrusted input. Its absolute symlinks
//! (`/etc/alternatives/x -> /usr/bin/y`, or a hostile `etc/shadow ->
//! /etc/shadow`) mean "inside this root", so every path is resolved one
//! component at a time against the root, the way the kernel would inside a
//! `chroot`: `..` stops at the root and an absolute link target restarts
//! from it. Nothing outside the root is ever opened.

use std::io;
use std::path::{Path, PathBuf};

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link (only from [`HostFs::lstat`]).
    Symlink,
    /// Anything else: device, socket, FIFO.
    Other,
}

/// The metadata rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// What it is.
    pub file_type: FileType,
    /// Permission bits including setuid/setgid/sticky (`0o4755`).
    pub mode: u32,
    /// Owner's numeric id.
    pub uid: u32,
    /// Group's numeric id.
    pub gid: u32,
    /// Size in bytes.
    pub size: u64,
}

/// Read-only access to a host's files, by absolute path on that host
/// (`/etc/passwd`).
pub trait HostFs: Send + Sync {
    /// The file's bytes, at most `limit` of them (an error past that).
    fn read(&self, path: &str, limit: u64) -> io::Result<Vec<u8>>;
    /// The names in a directory, sorted.
    fn read_dir(&self, path: &str) -> io::Result<Vec<String>>;
    /// Metadata, following symlinks.
    fn stat(&self, path: &str) -> io::Result<FileStat>;
    /// A directory's entries with their own metadata (symlinks not
    /// followed), sorted by name: what a walk needs, in one call.
    fn read_dir_stat(&self, path: &str) -> io::Result<Vec<(String, FileStat)>> {
        let mut out = Vec::new();
        for name in self.read_dir(path)? {
            if let Ok(stat) = self.lstat(&join(path, &name)) {
                out.push((name, stat));
            }
        }
        Ok(out)
    }
    /// Metadata of the path itself (a symlink is reported as one).
    fn lstat(&self, path: &str) -> io::Result<FileStat>;
    /// A symlink's target, as written.
    fn read_link(&self, path: &str) -> io::Result<String>;
    /// Whether this is the running system (so `/proc` and `/sys` are live).
    fn is_live(&self) -> bool;

    /// Setuid/setgid, world-writable and unowned candidates under the
    /// walked system directories, when the transport finds them itself (a
    /// remote `find`: walking a remote `/usr` one `lstat` at a time would
    /// take minutes). `None`: walk with [`read_dir`](Self::read_dir) and
    /// [`lstat`](Self::lstat).
    fn flagged_files(&self) -> Option<Vec<(String, FileStat)>> {
        None
    }

    /// The output of a read-only command the transport ran on the host
    /// (`sshd -T`, the server's effective configuration), if it could.
    fn fact(&self, _name: &str) -> Option<String> {
        None
    }
}

/// Symlinks followed while resolving one path before giving up (Linux's
/// own limit is 40).
const MAX_SYMLINKS: usize = 40;

/// A root filesystem on this machine: `/` for the live host, or a
/// directory holding an image's files.
///
/// ```no_run
/// use rampart_core::inventory::host::fs::{HostFs, RootFs};
/// let image = RootFs::new("/mnt/image").unwrap();
/// // `/etc/os-release` is usually a symlink to `../usr/lib/os-release`:
/// // resolved inside /mnt/image, never on the scanning machine.
/// let text = image.read("/etc/os-release", 1 << 20).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct RootFs {
    root: PathBuf,
    live: bool,
}

impl RootFs {
    /// A root at `root` (canonicalised). `/` is the live system.
    pub fn new(root: impl AsRef<Path>) -> io::Result<Self> {
        let root = std::fs::canonicalize(root.as_ref())?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is not a directory", root.display()),
            ));
        }
        let live = root == Path::new("/");
        Ok(RootFs { root, live })
    }

    /// The directory this root is at.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The real path of `path` (absolute on the host) inside the root,
    /// every symlink resolved against the root. With `follow_last` false
    /// the last component is not followed (for `lstat`, `read_link`).
    pub fn resolve(&self, path: &str, follow_last: bool) -> io::Result<PathBuf> {
        let resolved = resolve_path(path, follow_last, |host_path| {
            let real = self.root.join(host_path.trim_start_matches('/'));
            let meta = std::fs::symlink_metadata(&real)?;
            if meta.file_type().is_symlink() {
                Ok(Some(
                    std::fs::read_link(&real)?.to_string_lossy().into_owned(),
                ))
            } else {
                Ok(None)
            }
        })?;
        Ok(self.root.join(resolved.trim_start_matches('/')))
    }
}

/// Resolves `path` on a host one component at a time, as the kernel would
/// inside a `chroot`: `..` stops at `/`, a symlink's target is followed (an
/// absolute one from `/`), at most [`MAX_SYMLINKS`] of them. `symlink` says
/// whether an existing host path is a symlink (its target) or not (`None`);
/// a missing component is its `NotFound`. Returns the host path with no
/// symlink left in it.
pub fn resolve_path(
    path: &str,
    follow_last: bool,
    symlink: impl Fn(&str) -> io::Result<Option<String>>,
) -> io::Result<String> {
    // Components still to walk, last first (so `pop` gives the next).
    let mut pending: Vec<String> = components(path).rev().collect();
    let mut resolved: Vec<String> = Vec::new();
    let mut links = 0;
    while let Some(component) = pending.pop() {
        match component.as_str() {
            "." => continue,
            ".." => {
                resolved.pop();
                continue;
            }
            _ => {}
        }
        let candidate = format!(
            "/{}",
            [resolved.as_slice(), std::slice::from_ref(&component)]
                .concat()
                .join("/")
        );
        let is_last = pending.is_empty();
        match symlink(&candidate)? {
            Some(target) if follow_last || !is_last => {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(io::Error::other(format!(
                        "too many levels of symbolic links resolving {path}"
                    )));
                }
                if target.starts_with('/') {
                    resolved.clear();
                }
                pending.extend(components(&target).rev());
            }
            _ => resolved.push(component),
        }
    }
    Ok(format!("/{}", resolved.join("/")))
}

/// The non-empty components of a path (`/a//b/` → `a`, `b`).
fn components(path: &str) -> impl DoubleEndedIterator<Item = String> + '_ {
    path.split('/').filter(|c| !c.is_empty()).map(str::to_owned)
}

fn stat_of(meta: &std::fs::Metadata) -> FileStat {
    use std::os::unix::fs::MetadataExt;
    let file_type = meta.file_type();
    FileStat {
        file_type: if file_type.is_symlink() {
            FileType::Symlink
        } else if file_type.is_dir() {
            FileType::Dir
        } else if file_type.is_file() {
            FileType::File
        } else {
            FileType::Other
        },
        mode: meta.mode() & 0o7777,
        uid: meta.uid(),
        gid: meta.gid(),
        size: meta.size(),
    }
}

impl HostFs for RootFs {
    fn read(&self, path: &str, limit: u64) -> io::Result<Vec<u8>> {
        use crate::read::{FileKind, Links, ReadError};
        let real = self.resolve(path, true)?;
        // Resolved: a link found now was swapped in since, and is refused;
        // a FIFO or device is refused without blocking.
        crate::read::read_file(&real, limit, Links::Refuse).map_err(|e| match e {
            ReadError::Io(e) => e,
            ReadError::NotRegular { kind, .. } => io::Error::new(
                if kind == FileKind::Directory {
                    io::ErrorKind::IsADirectory
                } else {
                    io::ErrorKind::InvalidInput
                },
                format!("{}, not a regular file", kind.describe()),
            ),
            ReadError::TooLarge { size, limit } => io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!("{size} bytes is over the size limit of {limit} bytes"),
            ),
        })
    }

    fn read_dir(&self, path: &str) -> io::Result<Vec<String>> {
        let real = self.resolve(path, true)?;
        let mut names: Vec<String> = std::fs::read_dir(real)?
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }

    fn stat(&self, path: &str) -> io::Result<FileStat> {
        let real = self.resolve(path, true)?;
        std::fs::symlink_metadata(real).map(|m| stat_of(&m))
    }

    fn read_dir_stat(&self, path: &str) -> io::Result<Vec<(String, FileStat)>> {
        // The directory is resolved once; its entries' metadata comes from
        // the open directory without following links, so nothing outside
        // the root is reached and a walk costs one stat per entry.
        let real = self.resolve(path, true)?;
        let mut out: Vec<(String, FileStat)> = std::fs::read_dir(real)?
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| {
                let meta = entry.metadata().ok()?;
                Some((
                    entry.file_name().to_string_lossy().into_owned(),
                    stat_of(&meta),
                ))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    fn lstat(&self, path: &str) -> io::Result<FileStat> {
        let real = self.resolve(path, false)?;
        std::fs::symlink_metadata(real).map(|m| stat_of(&m))
    }

    fn read_link(&self, path: &str) -> io::Result<String> {
        let real = self.resolve(path, false)?;
        std::fs::read_link(real).map(|t| t.to_string_lossy().into_owned())
    }

    fn is_live(&self) -> bool {
        self.live
    }

    /// `rpm -qa`: the image's rpm database read by this machine's `rpm`
    /// (`--dbpath` inside the root, resolved like any other path; rpm only
    /// reads it). `None` when there is no database or no `rpm`.
    fn fact(&self, name: &str) -> Option<String> {
        if name != super::packages::RPM_QUERY {
            return None;
        }
        let db = super::packages::RPM_DATABASES.iter().find_map(|db| {
            let real = self.resolve(db, true).ok()?;
            real.join("rpmdb.sqlite")
                .is_file()
                .then_some(())
                .or_else(|| real.join("Packages").is_file().then_some(()))
                .map(|()| real)
        })?;
        let output = std::process::Command::new("rpm")
            .arg("--dbpath")
            .arg(&db)
            .args(["-qa", "--queryformat", super::packages::RPM_FORMAT])
            .stdin(std::process::Stdio::null())
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

/// Joins a directory and a name on the host (`/etc` + `passwd`).
pub fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn image() -> (tempfile::TempDir, RootFs) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::create_dir_all(root.join("usr/lib")).unwrap();
        std::fs::write(root.join("usr/lib/os-release"), "ID=debian\n").unwrap();
        symlink("../usr/lib/os-release", root.join("etc/os-release")).unwrap();
        let fs = RootFs::new(root).unwrap();
        (dir, fs)
    }

    #[test]
    fn relative_symlinks_resolve_inside_the_root() {
        let (_dir, fs) = image();
        assert_eq!(fs.read("/etc/os-release", 100).unwrap(), b"ID=debian\n");
        assert_eq!(
            fs.read_link("/etc/os-release").unwrap(),
            "../usr/lib/os-release"
        );
        assert_eq!(
            fs.lstat("/etc/os-release").unwrap().file_type,
            FileType::Symlink
        );
        assert_eq!(
            fs.stat("/etc/os-release").unwrap().file_type,
            FileType::File
        );
    }

    /// An image's absolute symlink, and `..` past the top, stay inside the
    /// image: the scanning machine's own files are never read.
    #[test]
    fn absolute_symlinks_and_dotdot_never_escape() {
        let (dir, fs) = image();
        let secret = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(secret.path(), "outside").unwrap();
        let target = secret.path().to_str().unwrap();
        symlink(target, dir.path().join("etc/escape")).unwrap();
        assert!(fs.read("/etc/escape", 100).is_err());
        symlink(
            "../../../../../../../../usr/lib/os-release",
            dir.path().join("etc/up"),
        )
        .unwrap();
        assert_eq!(fs.read("/etc/up", 100).unwrap(), b"ID=debian\n");
        symlink("/usr/lib/os-release", dir.path().join("etc/abs")).unwrap();
        assert_eq!(fs.read("/etc/abs", 100).unwrap(), b"ID=debian\n");
        assert_eq!(
            fs.read("/../../etc/os-release", 100).unwrap(),
            b"ID=debian\n"
        );
    }

    #[test]
    fn symlink_loops_are_errors() {
        let (dir, fs) = image();
        symlink("b", dir.path().join("etc/a")).unwrap();
        symlink("a", dir.path().join("etc/b")).unwrap();
        let e = fs.read("/etc/a", 100).unwrap_err();
        assert!(e.to_string().contains("too many levels"), "{e}");
    }

    #[test]
    fn size_limit_and_non_files() {
        let (_dir, fs) = image();
        let e = fs.read("/usr/lib/os-release", 3).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert!(fs.read("/etc", 100).is_err());
        assert_eq!(fs.read_dir("/etc").unwrap(), ["os-release"]);
        assert!(!fs.is_live());
    }
}
