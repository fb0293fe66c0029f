//! Finding the files to scan.
//!
//! Built on `ignore` (ripgrep's walker) for the traversal, sorting and
//! `--exclude` globs. Hidden paths are walked — `.github/workflows` and
//! `.gitlab-ci.yml` are exactly what a scanner must see — except `.git`
//! itself. Symlinks are never followed: a link cannot lead the scan outside
//! the tree or into a loop.
//!
//! Ignore files (`.gitignore`, `.ignore`, `.git/info/exclude`) are read
//! here, not by the walker: they are scanned input like any other file, so
//! they go through [`read_file`](crate::read::read_file) — a FIFO or a link
//! to `/dev/zero` named `.gitignore` is refused, and one over
//! [`MAX_IGNORE_FILE`] bytes or [`MAX_IGNORE_PATTERNS`] patterns is not
//! used (a warning: the files it would have hidden are scanned, so nothing
//! is lost). Precedence is ripgrep's: `--exclude`, then `.ignore`, then
//! `.gitignore`, then `.git/info/exclude`, a deeper directory's file before
//! its parents'. Rules of the directories above a scanned directory apply
//! up to the repository's top (the first holding `.git`) or the base
//! directory, whichever comes first. How many paths ignore rules left out
//! is counted ([`Walk::ignored`]) and reported.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use crate::read::{FileKind, Links, ReadError};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::overrides::OverrideBuilder;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Largest ignore file read, in bytes. Real ones are a few KB; each
/// pattern becomes a compiled glob, so a huge one costs far more memory
/// than its size.
pub const MAX_IGNORE_FILE: u64 = 1 << 20;

/// Most patterns taken from one ignore file.
pub const MAX_IGNORE_PATTERNS: usize = 20_000;

/// How to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Directory that reported paths are relative to (usually the current
    /// directory, so that SARIF paths match the repository).
    pub base_dir: PathBuf,
    /// Globs of paths to leave out (gitignore syntax, relative to
    /// `base_dir`), e.g. `vendor/**`, `*.test.yaml`.
    pub excludes: Vec<String>,
    /// Files larger than this are not read: an error diagnostic (the scan
    /// is incomplete) unless accepted in the configuration.
    pub max_file_size: u64,
    /// Limits on what one file may make the parsers do.
    pub parse: ParseLimits,
    /// When the scan must end (`--timeout`): files not started by then are
    /// reported as not scanned.
    pub deadline: Option<std::time::Instant>,
    /// Keep each file's text in its inventory
    /// ([`FileInventory::sources`](super::FileInventory::sources)), for
    /// the source lines of a table report.
    pub keep_sources: bool,
    /// Advisories to add to each file's `dependency` resources as it is
    /// collected (a fact from outside data, DESIGN §3); `None` adds none.
    /// Problems that concern the whole scan (no database, a missing
    /// ecosystem) stay with the enricher: its owner reports
    /// [`Enricher::diagnostics`](crate::advisories::Enricher::diagnostics)
    /// once, when everything is collected.
    pub advisories: Option<std::sync::Arc<crate::advisories::Enricher>>,
    /// Variable values for every Terraform root module (`--tf-vars`,
    /// `--tf-var`), over the tfvars files beside it.
    pub terraform: super::tfvars::TerraformVars,
    /// What the loaded packs' detectors look for (secrets), run on every
    /// text file, of a known format or not; each file where they find
    /// something gets a `text` resource. `None` (or no detectors): only
    /// files of a known format are read.
    pub text: Option<std::sync::Arc<super::text::TextMatcher>>,
    /// Leave out what `.gitignore`, `.ignore` and `.git/info/exclude`
    /// ignore (the default). `false` (`--no-ignore`) walks those paths too:
    /// a secret in a git-ignored `.env` is still on the disk the scan runs
    /// on, and in every archive or image made of it.
    pub respect_ignore_files: bool,
}

/// Limits on parsing one file: beyond them the file is a diagnostic, never
/// a stack overflow or an unbounded allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseLimits {
    /// Deepest nesting of a YAML/JSON document or an HCL expression.
    pub max_depth: usize,
    /// Most documents in one YAML stream (`---`-separated).
    pub max_documents: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_depth: 100,
            max_documents: 10_000,
        }
    }
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            base_dir: PathBuf::from("."),
            excludes: Vec::new(),
            max_file_size: 10 << 20,
            parse: ParseLimits::default(),
            deadline: None,
            keep_sources: false,
            advisories: None,
            terraform: Default::default(),
            text: None,
            respect_ignore_files: true,
        }
    }
}

/// A file the walk found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkedFile {
    /// The path to open.
    pub path: PathBuf,
    /// The path to show: relative to `base_dir` (or to the scan root if the
    /// file is outside it), `/`-separated, bytes that are not UTF-8 written
    /// `\xNN`.
    pub display: String,
    /// Size in bytes when walked.
    pub size: u64,
    /// The scanned tree it belongs to: includes (`-r` in a requirements
    /// file) are followed only inside it. The root directory, resolved, or
    /// for a root that is a file, its directory.
    pub boundary: Arc<Path>,
}

/// A path the walk found that is not a regular file (a FIFO, a socket, a
/// device): never opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialFile {
    /// The path.
    pub path: PathBuf,
    /// How it is shown.
    pub display: String,
    /// What it is.
    pub kind: FileKind,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files, sorted by display path.
    pub files: Vec<WalkedFile>,
    /// Paths that are neither regular files, directories nor symlinks.
    pub special: Vec<SpecialFile>,
    /// What could not be walked, and links not followed.
    pub diagnostics: Vec<Diagnostic>,
    /// Paths (files and directories, a directory counting once) that
    /// `.gitignore`, `.ignore` or `.git/info/exclude` rules left out.
    pub ignored: usize,
}

/// Walks `roots` and returns every regular file (sorted by display path)
/// with the diagnostics of what could not be walked.
pub fn walk(roots: &[PathBuf], options: &WalkOptions) -> Result<Walk, String> {
    let mut out = Walk::default();
    let Some((first, rest)) = roots.split_first() else {
        return Ok(out);
    };
    let overrides = exclude_globs(options)?;
    let rules = Arc::new(IgnoreRules::new(roots, &options.base_dir));
    let mut builder = ignore::WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    let filter_rules = Arc::clone(&rules);
    let respect_ignore_files = options.respect_ignore_files;
    builder
        .standard_filters(false)
        .follow_links(false)
        .overrides(overrides)
        .filter_entry(move |entry| {
            entry.file_name() != ".git"
                && !(respect_ignore_files
                    && filter_rules.ignores(
                        entry.path(),
                        entry.file_type().is_some_and(|t| t.is_dir()),
                        entry.depth() == 0,
                    ))
        })
        .sort_by_file_path(Ord::cmp);
    let shown = PathDisplay::new(roots, &options.base_dir);
    let boundaries: Vec<Arc<Path>> = roots
        .iter()
        .map(|root| {
            let resolved = root.canonicalize().unwrap_or_else(|_| root.clone());
            let dir = if resolved.is_dir() {
                resolved
            } else {
                resolved.parent().map(Path::to_path_buf).unwrap_or(resolved)
            };
            Arc::from(dir)
        })
        .collect();
    let boundary_of = |path: &Path| -> Arc<Path> {
        roots
            .iter()
            .zip(&boundaries)
            .filter(|(root, _)| path.starts_with(root))
            .max_by_key(|(root, _)| root.as_os_str().len())
            .or_else(|| roots.iter().zip(&boundaries).next())
            .map(|(_, b)| Arc::clone(b))
            .unwrap_or_else(|| Arc::from(Path::new("/")))
    };
    for result in builder.build() {
        let entry = match result {
            Ok(entry) => entry,
            Err(err) => {
                out.diagnostics.push(walk_error(&err, &shown));
                continue;
            }
        };
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        let display = shown.display(entry.path());
        if file_type.is_symlink() {
            out.diagnostics.push(Diagnostic::file(
                Level::Note,
                DiagnosticKind::Skipped,
                display,
                "symbolic link not followed",
            ));
            continue;
        }
        if file_type.is_dir() {
            continue;
        }
        if !file_type.is_file() {
            use std::os::unix::fs::FileTypeExt;
            let kind = if file_type.is_fifo() {
                FileKind::Fifo
            } else if file_type.is_socket() {
                FileKind::Socket
            } else if file_type.is_block_device() {
                FileKind::BlockDevice
            } else {
                FileKind::CharDevice
            };
            out.special.push(SpecialFile {
                path: entry.into_path(),
                display,
                kind,
            });
            continue;
        }
        let size = match entry.metadata() {
            Ok(meta) => meta.len(),
            Err(err) => {
                out.diagnostics.push(Diagnostic::file(
                    Level::Error,
                    DiagnosticKind::Io,
                    display,
                    err.to_string(),
                ));
                continue;
            }
        };
        let boundary = boundary_of(entry.path());
        out.files.push(WalkedFile {
            path: entry.into_path(),
            display,
            size,
            boundary,
        });
    }
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    out.files.dedup_by(|a, b| a.display == b.display);
    out.ignored = rules.ignored.load(Ordering::Relaxed);
    out.diagnostics.extend(rules.take_diagnostics(&shown));
    Ok(out)
}

/// The `--exclude` globs, relative to the base directory: a path they
/// match is [`ignore::Match::Ignore`]d.
pub(crate) fn exclude_globs(options: &WalkOptions) -> Result<ignore::overrides::Override, String> {
    let mut overrides = OverrideBuilder::new(&options.base_dir);
    for glob in &options.excludes {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| format!("invalid --exclude glob `{glob}`: {e}"))?;
    }
    overrides
        .build()
        .map_err(|e| format!("invalid --exclude globs: {e}"))
}

/// The ignore rules of every directory met, read once each.
struct IgnoreRules {
    /// Directory → its rules (`None`: it has no ignore file).
    dirs: Mutex<HashMap<PathBuf, Option<Arc<DirRules>>>>,
    /// Directories above the roots whose rules apply too, per root.
    parents: Vec<(PathBuf, Vec<PathBuf>)>,
    ignored: AtomicUsize,
    problems: Mutex<Vec<(PathBuf, String)>>,
}

/// One directory's rules, by precedence.
#[derive(Default)]
struct DirRules {
    ignore: Option<Gitignore>,
    gitignore: Option<Gitignore>,
    exclude: Option<Gitignore>,
}

impl IgnoreRules {
    fn new(roots: &[PathBuf], base: &Path) -> IgnoreRules {
        let parents = roots
            .iter()
            .map(|root| (root.clone(), parent_dirs(root, base)))
            .collect();
        IgnoreRules {
            dirs: Mutex::new(HashMap::new()),
            parents,
            ignored: AtomicUsize::new(0),
            problems: Mutex::new(Vec::new()),
        }
    }

    /// Whether `path` is left out by ignore rules (counted when it is).
    /// A root itself is never left out.
    fn ignores(&self, path: &Path, is_dir: bool, is_root: bool) -> bool {
        if is_root {
            return false;
        }
        let mut dirs: Vec<&Path> = path.ancestors().skip(1).collect();
        // Below the root its directories; above it, the parents that apply.
        if let Some((root, above)) = self
            .parents
            .iter()
            .filter(|(root, _)| path.starts_with(root))
            .max_by_key(|(root, _)| root.as_os_str().len())
        {
            let inside = dirs.iter().take_while(|d| d.starts_with(root)).count();
            dirs.truncate(inside);
            dirs.extend(above.iter().map(PathBuf::as_path));
        }
        let rules: Vec<(&Path, Arc<DirRules>)> = dirs
            .into_iter()
            .filter_map(|dir| self.rules_of(dir).map(|r| (dir, r)))
            .collect();
        let levels: [fn(&DirRules) -> Option<&Gitignore>; 3] = [
            |r| r.ignore.as_ref(),
            |r| r.gitignore.as_ref(),
            |r| r.exclude.as_ref(),
        ];
        for level in levels {
            for (_, dir_rules) in &rules {
                let Some(matcher) = level(dir_rules) else {
                    continue;
                };
                match matcher.matched(path, is_dir) {
                    ignore::Match::None => continue,
                    ignore::Match::Ignore(_) => {
                        self.ignored.fetch_add(1, Ordering::Relaxed);
                        return true;
                    }
                    ignore::Match::Whitelist(_) => return false,
                }
            }
        }
        false
    }

    fn rules_of(&self, dir: &Path) -> Option<Arc<DirRules>> {
        if let Some(known) = self.lock_dirs().get(dir) {
            return known.clone();
        }
        let read = |name: &str| self.read(dir, &dir.join(name));
        let rules = DirRules {
            ignore: read(".ignore"),
            gitignore: read(".gitignore"),
            exclude: read(".git/info/exclude"),
        };
        let found =
            (rules.ignore.is_some() || rules.gitignore.is_some() || rules.exclude.is_some())
                .then(|| Arc::new(rules));
        self.lock_dirs().insert(dir.to_owned(), found.clone());
        found
    }

    fn lock_dirs(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<Arc<DirRules>>>> {
        self.dirs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// One ignore file's rules; `None` if absent or not usable (then a
    /// problem is recorded: the files it would hide are scanned).
    fn read(&self, dir: &Path, file: &Path) -> Option<Gitignore> {
        // An ignore file that is a link is not followed (git refuses a
        // symlinked .gitignore too).
        let text = match crate::read::read_text(file, MAX_IGNORE_FILE, Links::Refuse) {
            Ok(text) => text,
            Err(e) if e.is_not_found() => return None,
            Err(ReadError::NotRegular {
                kind: FileKind::Directory,
                ..
            }) => return None,
            Err(e) => {
                self.problem(file, format!("{}; its rules are not used", reason(&e)));
                return None;
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut builder = GitignoreBuilder::new(dir);
        let mut patterns = 0;
        for line in text.lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            patterns += 1;
            if patterns > MAX_IGNORE_PATTERNS {
                self.problem(
                    file,
                    format!("more than {MAX_IGNORE_PATTERNS} patterns; its rules are not used"),
                );
                return None;
            }
            // A pattern git could not use either is left out, as git does.
            let _ = builder.add_line(None, line);
        }
        builder.build().ok().filter(|g| !g.is_empty())
    }

    fn problem(&self, file: &Path, message: String) {
        self.problems
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((file.to_owned(), message));
    }

    fn take_diagnostics(&self, shown: &PathDisplay<'_>) -> Vec<Diagnostic> {
        let problems = std::mem::take(
            &mut *self
                .problems
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        problems
            .into_iter()
            .map(|(file, message)| {
                Diagnostic::file(
                    Level::Warning,
                    DiagnosticKind::Skipped,
                    shown.display(&file),
                    message,
                )
            })
            .collect()
    }
}

/// A read error as a diagnostic says it (the path is the diagnostic's).
pub(crate) fn reason(e: &ReadError) -> String {
    match e {
        ReadError::NotRegular { kind, .. } => {
            format!("{}, not a regular file: not read", kind.describe())
        }
        ReadError::TooLarge { size, limit } => {
            format!("not read: {size} bytes is over the size limit of {limit} bytes")
        }
        ReadError::Io(io) => format!("cannot read: {}", os_reason(io)),
    }
}

/// An I/O error's reason as the OS says it, without the path the
/// standard library may have put in.
fn os_reason(io: &std::io::Error) -> String {
    io.raw_os_error()
        .map(|code| std::io::Error::from_raw_os_error(code).to_string())
        .unwrap_or_else(|| io.to_string())
}

/// The directories above `root` whose ignore rules apply: up to the first
/// that holds `.git` (the repository's top), never above `base`.
fn parent_dirs(root: &Path, base: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if root.join(".git").exists() {
        return out;
    }
    for dir in root.ancestors().skip(1) {
        if !dir.starts_with(base) {
            break;
        }
        out.push(dir.to_owned());
        if dir.join(".git").exists() {
            break;
        }
    }
    out
}

fn walk_error(err: &ignore::Error, shown: &PathDisplay<'_>) -> Diagnostic {
    let path = error_path(err).map(|p| shown.display(p));
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
    PathDisplay::new(roots, base).display(path)
}

/// A path component as text: UTF-8 as it is, any other byte as `\xNN`, so
/// that two names differing only in invalid bytes stay apart (a lossy
/// conversion would show both as `�`).
pub fn component_text(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = name.as_bytes();
    if let Ok(text) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`display_path`] for every file of a walk, with the base and the roots
/// resolved once. Resolving each file's path (`realpath`: one `readlink`
/// per component, for the file and the base) cost 7 system calls per file
/// of a corpus outside the working directory, ~0.1 s per 10,000 files;
/// the walker follows no links, so below a root a file's resolved path is
/// the root's resolved path and the rest.
pub(crate) struct PathDisplay<'a> {
    roots: &'a [PathBuf],
    base: &'a Path,
    resolved_base: Option<PathBuf>,
    resolved_roots: Vec<Option<PathBuf>>,
}

impl<'a> PathDisplay<'a> {
    pub(crate) fn new(roots: &'a [PathBuf], base: &'a Path) -> Self {
        PathDisplay {
            roots,
            base,
            resolved_base: base.canonicalize().ok(),
            resolved_roots: roots.iter().map(|r| r.canonicalize().ok()).collect(),
        }
    }

    pub(crate) fn display(&self, path: &Path) -> String {
        let relative: PathBuf = if let Ok(inside) = path.strip_prefix(self.base) {
            inside.to_path_buf()
        } else if let Some(inside) = self.resolved_relative(path) {
            inside
        } else if let Some(inside) = self
            .roots
            .iter()
            .find_map(|root| path.strip_prefix(root).ok())
        {
            inside.to_path_buf()
        } else {
            path.to_path_buf()
        };
        shown_relative(path, &relative)
    }

    /// `path` relative to the base after resolving both (`./x` vs `/abs/x`).
    fn resolved_relative(&self, path: &Path) -> Option<PathBuf> {
        let base = self.resolved_base.as_ref()?;
        let below_root =
            self.roots
                .iter()
                .zip(&self.resolved_roots)
                .find_map(|(root, resolved)| {
                    Some(resolved.as_ref()?.join(path.strip_prefix(root).ok()?))
                });
        let absolute = match below_root {
            Some(absolute) => absolute,
            None => path.canonicalize().ok()?,
        };
        absolute.strip_prefix(base).ok().map(Path::to_path_buf)
    }
}

/// The `/`-separated text of `relative` (`path` as it was found, for the
/// name of a root that is itself the file).
fn shown_relative(path: &Path, relative: &Path) -> String {
    let parts: Vec<std::borrow::Cow<'_, str>> = relative
        .components()
        .filter(|c| {
            !matches!(
                c,
                std::path::Component::CurDir | std::path::Component::RootDir
            )
        })
        .map(|c| component_text(c.as_os_str()))
        .collect();
    if parts.is_empty() {
        path.file_name()
            .map(|n| component_text(n).into_owned())
            .unwrap_or_else(|| component_text(path.as_os_str()).into_owned())
    } else if relative.has_root() {
        // Outside the base directory and every root: shown absolute.
        format!("/{}", parts.join("/"))
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A root reached through a symbolic link still shows its files
    /// relative to the base it resolves into, and a root outside the base
    /// shows them relative to the root.
    #[test]
    fn paths_are_shown_relative_to_the_resolved_base_or_the_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real");
        std::fs::create_dir_all(real.join("sub")).expect("mkdir");
        std::fs::write(real.join("sub/a.yaml"), "a: 1\n").expect("write");
        std::os::unix::fs::symlink(&real, dir.path().join("link")).expect("symlink");
        let base = real.canonicalize().expect("canonical");

        let link_root = dir.path().join("link");
        let file = link_root.join("sub/a.yaml");
        assert_eq!(
            display_path(&file, std::slice::from_ref(&link_root), &base),
            "sub/a.yaml"
        );

        let elsewhere = tempfile::tempdir().expect("tempdir");
        let other = elsewhere.path().join("x.yaml");
        std::fs::write(&other, "x: 1\n").expect("write");
        let roots = [elsewhere.path().to_path_buf()];
        assert_eq!(display_path(&other, &roots, &base), "x.yaml");
        // A root that is the file itself shows its name.
        assert_eq!(
            display_path(&other, std::slice::from_ref(&other), &base),
            "x.yaml"
        );
    }

    #[test]
    fn names_that_are_not_utf8_are_shown_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"a\xffb\xfe.yaml");
        assert_eq!(component_text(name), "a\\xFFb\\xFE.yaml");
        assert_eq!(component_text(std::ffi::OsStr::new("ok.yaml")), "ok.yaml");
    }

    fn walk_dir(root: &Path) -> Walk {
        let options = WalkOptions {
            base_dir: root.to_owned(),
            ..WalkOptions::default()
        };
        walk(&[root.to_owned()], &options).expect("walk")
    }

    fn displays(walk: &Walk) -> Vec<&str> {
        walk.files.iter().map(|f| f.display.as_str()).collect()
    }

    /// `.ignore` beats `.gitignore`, a deeper file beats its parent's, a
    /// negation re-includes, and what is left out is counted.
    #[test]
    fn ignore_rules_follow_ripgreps_precedence_and_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "a.yaml",
            "b.yaml",
            "c.yaml",
            "sub/a.yaml",
            "sub/d.yaml",
            "gen/x.yaml",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x: 1\n").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "a.yaml\nb.yaml\ngen/\n").unwrap();
        std::fs::write(root.join(".ignore"), "!b.yaml\n").unwrap();
        std::fs::write(root.join("sub/.gitignore"), "!a.yaml\nd.yaml\n").unwrap();
        let walk = walk_dir(root);
        assert_eq!(
            displays(&walk),
            [
                ".gitignore",
                ".ignore",
                "b.yaml",
                "c.yaml",
                "sub/.gitignore",
                "sub/a.yaml"
            ]
        );
        // a.yaml, gen/ (once, not its file), sub/d.yaml.
        assert_eq!(walk.ignored, 3);
    }

    /// A `.gitignore` that is a FIFO, a link to /dev/zero or too large is
    /// not used — a warning — and the walk goes on without blocking.
    #[test]
    fn unusable_ignore_files_are_warnings_and_hide_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["fifo", "zero", "big"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
            std::fs::write(root.join(sub).join("x.yaml"), "x: 1\n").unwrap();
        }
        let status = std::process::Command::new("mkfifo")
            .arg(root.join("fifo/.gitignore"))
            .status()
            .unwrap();
        assert!(status.success());
        std::os::unix::fs::symlink("/dev/zero", root.join("zero/.gitignore")).unwrap();
        let big = "x.yaml\n".repeat((MAX_IGNORE_FILE / 7 + 1) as usize);
        std::fs::write(root.join("big/.gitignore"), big).unwrap();
        let walk = walk_dir(root);
        assert!(displays(&walk).contains(&"fifo/x.yaml"));
        assert!(displays(&walk).contains(&"zero/x.yaml"));
        assert!(displays(&walk).contains(&"big/x.yaml"));
        let warnings: Vec<(&str, &str)> = walk
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Warning)
            .map(|d| (d.path.as_deref().unwrap_or(""), d.message.as_str()))
            .collect();
        assert!(
            warnings.contains(&(
                "big/.gitignore",
                "not read: 1048579 bytes is over the size limit of 1048576 bytes; its rules are not used"
            )),
            "{warnings:?}"
        );
        assert!(
            warnings.contains(&(
                "fifo/.gitignore",
                "a FIFO (named pipe), not a regular file: not read; its rules are not used"
            )),
            "{warnings:?}"
        );
        assert!(
            warnings.contains(&(
                "zero/.gitignore",
                "a symbolic link, not a regular file: not read; its rules are not used"
            )),
            "{warnings:?}"
        );
        // The FIFO itself is found as a special file.
        assert_eq!(walk.special.len(), 1);
        assert_eq!(walk.special[0].kind, FileKind::Fifo);
    }

    /// Rules of the directories above a scanned subdirectory apply up to
    /// the repository's top, never above the base directory.
    #[test]
    fn parent_rules_stop_at_the_repository_and_the_base() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        std::fs::create_dir_all(top.join("repo/.git")).unwrap();
        std::fs::create_dir_all(top.join("repo/deploy")).unwrap();
        std::fs::write(top.join(".gitignore"), "*.yaml\n").unwrap();
        std::fs::write(top.join("repo/.gitignore"), "secret.yaml\n").unwrap();
        std::fs::write(top.join("repo/deploy/app.yaml"), "x: 1\n").unwrap();
        std::fs::write(top.join("repo/deploy/secret.yaml"), "x: 1\n").unwrap();
        let root = top.join("repo/deploy");
        let options = WalkOptions {
            base_dir: top.to_owned(),
            ..WalkOptions::default()
        };
        let walk = walk(std::slice::from_ref(&root), &options).unwrap();
        assert_eq!(displays(&walk), ["repo/deploy/app.yaml"]);
        // With the base at the subdirectory, no rule from above applies.
        let options = WalkOptions {
            base_dir: root.clone(),
            ..WalkOptions::default()
        };
        let walk = super::walk(std::slice::from_ref(&root), &options).unwrap();
        assert_eq!(displays(&walk), ["app.yaml", "secret.yaml"]);
    }
}
