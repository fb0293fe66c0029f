//! The one way rampart reads a file (DESIGN §8).
//!
//! Everything rampart reads may be hostile: a scanned file, a `-r`
//! include, an image's `/etc/passwd`, a `rampart.yaml` naming its policies,
//! a baseline, a `db import` directory, a SARIF log to merge. A path that
//! names a FIFO blocks `open(2)` until someone writes to it; `/dev/zero`
//! never ends; a file can be swapped for either between the walk and the
//! read, or grow to gigabytes. So a file is opened without blocking
//! (`O_NONBLOCK`, `O_NOCTTY`), its type is checked on the open descriptor
//! (`fstat`, not a racy `stat` of the path), and it is read with a cap:
//! past the cap it is an error, never a silent truncation and never an
//! unbounded allocation.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// What a path named, when it was not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A directory.
    Directory,
    /// A symbolic link (only when links are not followed).
    Symlink,
    /// A named pipe: reading it would wait for a writer.
    Fifo,
    /// A Unix socket.
    Socket,
    /// A character device (`/dev/zero`, a terminal).
    CharDevice,
    /// A block device (a disk).
    BlockDevice,
}

impl FileKind {
    fn of(file_type: std::fs::FileType) -> Option<FileKind> {
        Some(if file_type.is_dir() {
            FileKind::Directory
        } else if file_type.is_symlink() {
            FileKind::Symlink
        } else if file_type.is_fifo() {
            FileKind::Fifo
        } else if file_type.is_socket() {
            FileKind::Socket
        } else if file_type.is_char_device() {
            FileKind::CharDevice
        } else if file_type.is_block_device() {
            FileKind::BlockDevice
        } else {
            return None;
        })
    }

    /// "a FIFO", "a directory" …: how messages name it.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Directory => "a directory",
            FileKind::Symlink => "a symbolic link",
            FileKind::Fifo => "a FIFO (named pipe)",
            FileKind::Socket => "a socket",
            FileKind::CharDevice => "a character device",
            FileKind::BlockDevice => "a block device",
        }
    }
}

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Opening or reading failed (missing, permission denied …).
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The path is not a regular file: not read.
    #[error("{} is {}, not a regular file: not read", .shown, .kind.describe())]
    NotRegular {
        /// What it is.
        kind: FileKind,
        /// The path, for the message.
        shown: String,
    },
    /// The file is larger than the cap. `size` is what `fstat` said, or
    /// (for a file that grew while it was read) at least one byte more than
    /// the cap.
    #[error("{size} bytes is over the size limit of {limit} bytes")]
    TooLarge {
        /// Its size, as far as it was found out.
        size: u64,
        /// The cap.
        limit: u64,
    },
}

impl ReadError {
    /// Whether the file simply is not there (a missing optional file).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if matches!(
            e.kind(),
            io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
        ))
    }

    /// The error as an `io::Error` (for callers that speak `io`), keeping
    /// its kind where one fits.
    pub fn into_io(self) -> io::Error {
        match self {
            ReadError::Io(e) => e,
            other @ ReadError::NotRegular { .. } => {
                io::Error::new(io::ErrorKind::InvalidInput, other.to_string())
            }
            other @ ReadError::TooLarge { .. } => {
                io::Error::new(io::ErrorKind::FileTooLarge, other.to_string())
            }
        }
    }
}

/// Where a path named by a scanned file (an include, Terraform's
/// `file()`) really is, if that is inside `boundary` (the scanned tree,
/// resolved): every link and `..` resolved, then the real path checked.
/// `None` when it is outside or cannot be resolved; open the result with
/// [`Links::Refuse`], so that a link swapped in since is refused too.
pub fn resolve_inside(boundary: &Path, written: &Path) -> Option<std::path::PathBuf> {
    let real = written.canonicalize().ok()?;
    real.starts_with(boundary).then_some(real)
}

/// Whether the last component of the path may be a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Follow it (a path the user gave: `--baseline`, `--config`).
    Follow,
    /// Refuse it (`O_NOFOLLOW`): a file the walk found as a regular file,
    /// or a path already resolved inside a root, must still be one when it
    /// is opened.
    Refuse,
}

/// Opens `path` for reading without blocking and checks, on the open
/// descriptor, that it is a regular file. Returns the file and its size.
pub fn open_regular(path: &Path, links: Links) -> Result<(File, u64), ReadError> {
    let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC;
    if links == Links::Refuse {
        flags |= libc::O_NOFOLLOW;
    }
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
    {
        Ok(file) => file,
        // `O_NOFOLLOW` on a symlink fails with ELOOP.
        Err(e) if links == Links::Refuse && e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(ReadError::NotRegular {
                kind: FileKind::Symlink,
                shown: path.display().to_string(),
            });
        }
        Err(e) => return Err(ReadError::Io(e)),
    };
    let meta = file.metadata()?;
    if let Some(kind) = FileKind::of(meta.file_type()) {
        return Err(ReadError::NotRegular {
            kind,
            shown: path.display().to_string(),
        });
    }
    Ok((file, meta.len()))
}

/// Reads a whole regular file of at most `limit` bytes.
///
/// ```
/// use rampart_core::read::{read_file, Links, ReadError};
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("a.txt");
/// std::fs::write(&path, "hello")?;
/// assert_eq!(read_file(&path, 100, Links::Follow)?, b"hello");
/// assert!(matches!(read_file(&path, 4, Links::Follow), Err(ReadError::TooLarge { size: 5, limit: 4 })));
/// assert!(matches!(read_file(dir.path(), 100, Links::Follow), Err(ReadError::NotRegular { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_file(path: &Path, limit: u64, links: Links) -> Result<Vec<u8>, ReadError> {
    let (file, size) = open_regular(path, links)?;
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    read_capped(file, size, limit)
}

/// Reads an open file up to `limit` bytes; more is an error. `expected` is
/// its size when opened (the first allocation; a file that grew since is
/// read on, up to the cap).
pub fn read_capped(file: impl Read, expected: u64, limit: u64) -> Result<Vec<u8>, ReadError> {
    let capacity = usize::try_from(expected.min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity.saturating_add(1));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > limit {
        return Err(ReadError::TooLarge { size: read, limit });
    }
    Ok(bytes)
}

/// Bytes of a file's start looked at to tell a binary file: what git and
/// ripgrep look at.
pub const BINARY_PROBE_BYTES: u64 = 8 << 10;

/// A file of no known format, read to be searched as text (secrets).
#[derive(Debug)]
pub enum Searchable {
    /// A NUL byte in its first [`BINARY_PROBE_BYTES`]: an image, an
    /// archive, a compiled file. Not read further.
    Binary,
    /// Its bytes.
    Text(Vec<u8>),
}

/// Reads a file to search it as text, as [`read_file`] does, except that a
/// binary file is told by its first bytes and not read further, whatever
/// its size: a large image is no gap in the scan, a large text file is
/// ([`ReadError::TooLarge`]).
///
/// ```
/// use rampart_core::read::{read_searchable, Links, Searchable};
/// let dir = tempfile::tempdir()?;
/// let (text, binary) = (dir.path().join("a.env"), dir.path().join("a.png"));
/// std::fs::write(&text, "TOKEN=x")?;
/// std::fs::write(&binary, b"\x89PNG\0\0")?;
/// assert!(matches!(read_searchable(&text, 100, Links::Follow)?, Searchable::Text(b) if b == b"TOKEN=x"));
/// assert!(matches!(read_searchable(&binary, 2, Links::Follow)?, Searchable::Binary));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_searchable(path: &Path, limit: u64, links: Links) -> Result<Searchable, ReadError> {
    let (mut file, size) = open_regular(path, links)?;
    let mut head = Vec::with_capacity(usize::try_from(size.min(BINARY_PROBE_BYTES)).unwrap_or(0));
    (&mut file)
        .take(BINARY_PROBE_BYTES)
        .read_to_end(&mut head)?;
    if memchr::memchr(0, &head).is_some() {
        return Ok(Searchable::Binary);
    }
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    let read = head.len() as u64;
    let mut rest = read_capped(file, size.saturating_sub(read), limit.saturating_sub(read))
        .map_err(|e| match e {
            ReadError::TooLarge { size, .. } => ReadError::TooLarge {
                size: size + read,
                limit,
            },
            other => other,
        })?;
    if head.is_empty() {
        return Ok(Searchable::Text(rest));
    }
    head.append(&mut rest);
    Ok(Searchable::Text(head))
}

/// [`read_file`] as UTF-8 text; invalid UTF-8 is an `InvalidData` error.
pub fn read_text(path: &Path, limit: u64, links: Links) -> Result<String, ReadError> {
    let bytes = read_file(path, limit, links)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()),
        ))
    })
}

/// The cap for small files the user names (configuration, baselines,
/// inventories, resource lists): far above any real one.
pub const MAX_SMALL_FILE: u64 = 64 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        // Would block forever with a plain `File::open`.
        match read_file(&fifo, 100, Links::Follow) {
            Err(ReadError::NotRegular { kind, .. }) => assert_eq!(kind, FileKind::Fifo),
            other => panic!("{other:?}"),
        }
        match read_file(Path::new("/dev/zero"), 100, Links::Follow) {
            Err(ReadError::NotRegular { kind, .. }) => assert_eq!(kind, FileKind::CharDevice),
            other => panic!("{other:?}"),
        }
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        match read_file(&link, 100, Links::Refuse) {
            Err(ReadError::NotRegular { kind, .. }) => assert_eq!(kind, FileKind::Symlink),
            other => panic!("{other:?}"),
        }
        let message = read_file(&link, 100, Links::Follow)
            .unwrap_err()
            .to_string();
        assert!(
            message.ends_with("is a character device, not a regular file: not read"),
            "{message}"
        );
        assert!(
            read_file(&dir.path().join("missing"), 1, Links::Follow)
                .unwrap_err()
                .is_not_found()
        );
    }

    #[test]
    fn a_file_that_grows_past_the_cap_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grows");
        std::fs::write(&path, "12345678").unwrap();
        let (file, size) = open_regular(&path, Links::Refuse).unwrap();
        assert_eq!(size, 8);
        std::fs::write(&path, "1234567890abcdef").unwrap();
        match read_capped(file, size, 10) {
            Err(ReadError::TooLarge {
                size: 11,
                limit: 10,
            }) => {}
            other => panic!("{other:?}"),
        }
    }
}
