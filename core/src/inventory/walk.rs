//! Finding the files to scan.
//!
//! Built on `ignore` (ripgrep's walker): `.gitignore`, `.ignore` and
//! `.git/info/exclude` are honoured, plus `--exclude` globs. Unlike ripgrep,
//! hidden paths are walked — `.github/workflows` and `.gitlab-ci.yml` are
//! exactly what a scanner must see — except `.git` itself. Symlinks are never
//! followed: a link cannot lead the scan outside the tree or into a loop.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use ignore::overrides::OverrideBuilder;
use std::path::{Path, PathBuf};

/// How to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Directory that reported paths are relative to (usually the current
    /// directory, so that SARIF paths match the repository).
    pub base_dir: PathBuf,
    /// Globs of paths to leave out (gitignore syntax, relative to
    /// `base_dir`), e.g. `vendor/**`, `*.test.yaml`.
    pub excludes: Vec<String>,
    /// Files larger than this are skipped with a diagnostic.
    pub max_file_size: u64,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            base_dir: PathBuf::from("."),
            excludes: Vec::new(),
            max_file_size: 10 << 20,
        }
    }
}

/// A file the walk found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkedFile {
    /// The path to open.
    pub path: PathBuf,
    /// The path to show: relative to `base_dir` (or to the scan root if the
    /// file is outside it), `/`-separated.
    pub display: String,
    /// Size in bytes.
    pub size: u64,
}

/// Walks `roots` and returns every regular file (sorted by display path)
/// with the diagnostics of what could not be walked.
pub fn walk(
    roots: &[PathBuf],
    options: &WalkOptions,
) -> Result<(Vec<WalkedFile>, Vec<Diagnostic>), String> {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let Some((first, rest)) = roots.split_first() else {
        return Ok((files, diagnostics));
    };
    let mut overrides = OverrideBuilder::new(&options.base_dir);
    for glob in &options.excludes {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| format!("invalid --exclude glob `{glob}`: {e}"))?;
    }
    let overrides = overrides
        .build()
        .map_err(|e| format!("invalid --exclude globs: {e}"))?;
    let mut builder = ignore::WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .hidden(false)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .overrides(overrides)
        .filter_entry(|entry| entry.file_name() != ".git")
        .sort_by_file_path(Ord::cmp);
    for result in builder.build() {
        let entry = match result {
            Ok(entry) => entry,
            Err(err) => {
                diagnostics.push(walk_error(&err, roots, options));
                continue;
            }
        };
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        let display = display_path(entry.path(), roots, &options.base_dir);
        if file_type.is_symlink() {
            diagnostics.push(Diagnostic::file(
                Level::Note,
                DiagnosticKind::Skipped,
                display,
                "symbolic link not followed",
            ));
            continue;
        }
        if !file_type.is_file() {
            continue;
        }
        let size = match entry.metadata() {
            Ok(meta) => meta.len(),
            Err(err) => {
                diagnostics.push(Diagnostic::file(
                    Level::Error,
                    DiagnosticKind::Io,
                    display,
                    err.to_string(),
                ));
                continue;
            }
        };
        files.push(WalkedFile {
            path: entry.into_path(),
            display,
            size,
        });
    }
    files.sort_by(|a, b| a.display.cmp(&b.display));
    files.dedup_by(|a, b| a.display == b.display);
    Ok((files, diagnostics))
}

fn walk_error(err: &ignore::Error, roots: &[PathBuf], options: &WalkOptions) -> Diagnostic {
    let path = error_path(err).map(|p| display_path(p, roots, &options.base_dir));
    let message = match err.io_error() {
        // The walker's own text repeats the absolute path; the diagnostic
        // already names the path, relative.
        Some(io) => {
            let reason = io
                .raw_os_error()
                .map(|code| std::io::Error::from_raw_os_error(code).to_string())
                .unwrap_or_else(|| capitalise(&io.kind().to_string()));
            let what = if error_path(err).is_some_and(Path::is_dir) {
                "cannot read directory"
            } else {
                "cannot read"
            };
            format!("{what}: {reason}")
        }
        None => error_message(err),
    };
    Diagnostic {
        level: Level::Error,
        kind: DiagnosticKind::Io,
        path,
        region: None,
        message,
    }
}

/// "permission denied" → "Permission denied", as the OS says it.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_message(err),
        other => other.to_string(),
    }
}

/// `path` relative to `base` if inside it, else relative to the root it was
/// found under, else as given; always with `/` separators.
pub fn display_path(path: &Path, roots: &[PathBuf], base: &Path) -> String {
    let relative: PathBuf = if let Ok(inside) = path.strip_prefix(base) {
        inside.to_path_buf()
    } else if let Some(inside) = canonical_relative(path, base) {
        inside
    } else if let Some(inside) = roots.iter().find_map(|root| path.strip_prefix(root).ok()) {
        inside.to_path_buf()
    } else {
        path.to_path_buf()
    };
    let parts: Vec<String> = relative
        .components()
        .filter(|c| {
            !matches!(
                c,
                std::path::Component::CurDir | std::path::Component::RootDir
            )
        })
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string())
    } else if relative.has_root() {
        // Outside the base directory and every root: shown absolute.
        format!("/{}", parts.join("/"))
    } else {
        parts.join("/")
    }
}

/// `path` relative to `base` after resolving both (`./x` vs `/abs/x`).
fn canonical_relative(path: &Path, base: &Path) -> Option<PathBuf> {
    let base = base.canonicalize().ok()?;
    let absolute = path.canonicalize().ok()?;
    absolute.strip_prefix(&base).ok().map(Path::to_path_buf)
}
