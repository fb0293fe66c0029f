//! Git history: every blob a repository's refs reach, searched once for
//! what the loaded packs' detectors look for (`scan --git-history`).
//!
//! A credential deleted in a later commit is still in every clone: what
//! matters is the first commit that holds it. So commits are visited
//! parents first (the reverse of a topological walk from every ref and
//! `HEAD`), and each tree and blob once, by id: the first commit a blob is
//! met in is the one that introduced it, and a tree met before is not
//! entered again — a history of 10,000 commits over the same few thousand
//! files reads each version of each file once. Only ids are kept for the
//! walk; a blob's bytes are read (capped by `--max-file-size`, from its
//! header first), searched and dropped, on the scan's threads.
//!
//! Objects are read in process with `gix`: no `git` program, no
//! subprocess per blob, and a bare repository works as well as a work
//! tree. `--since REV` searches what the commits after `REV` brought: the
//! commits `REV` reaches are not visited, and the blobs of `REV`'s own tree
//! count as known.
//!
//! A blob with candidates becomes one batch, like a file: its display path
//! is the path it was committed at (under the scanned directory's display
//! path), its `text` resource's id names the commit, and the batch carries
//! the commit ([`CommitOrigin`]) that every finding in it reports. A blob
//! that is byte for byte the work tree's file at that path is left to the
//! work tree's scan, so a secret still in the checkout is reported once.

use super::text::TextMatcher;
use super::{FileFormat, FileInventory, WalkOptions};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use crate::finding::CommitOrigin;
use gix::ObjectId;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;

/// What to search of a repository's history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryOptions {
    /// Search only what the commits after this revision brought
    /// (`--since REV`: a commit, branch or tag, as `git rev-parse` takes).
    pub since: Option<String>,
}

/// A repository's history searched: one batch per blob with candidates,
/// and what could not be searched.
#[derive(Debug, Default)]
pub struct History {
    /// The blobs' batches, by path then commit date.
    pub files: Vec<FileInventory>,
    /// Blobs over the size limit (gaps), unreadable objects, and a note of
    /// how many binary blobs were not searched.
    pub diagnostics: Vec<Diagnostic>,
    /// Commits visited.
    pub commits: usize,
    /// Distinct blobs searched (binary ones included).
    pub blobs: usize,
}

/// A blob to search: where and in which commit it was first met.
struct Blob {
    id: ObjectId,
    path: String,
    commit: usize,
}

/// Searches the history of the repository at `dir` (the top of a work
/// tree, or a bare repository) with `matcher`. `display` is the display
/// path of `dir` (`""` for the base directory): blob paths are shown under
/// it, as the work tree's files are.
///
/// Fails when `dir` is not a repository or `since` names nothing; what
/// goes wrong with one object is a diagnostic.
pub fn search(
    dir: &Path,
    display: &str,
    history: &HistoryOptions,
    options: &WalkOptions,
    matcher: &TextMatcher,
) -> Result<History, String> {
    let shown = if display.is_empty() { "." } else { display };
    let repo = gix::open(dir).map_err(|e| {
        format!(
            "--git-history: {shown} is not a git repository (give the top of a work tree or a bare repository): {e}"
        )
    })?;
    let tips = tips(&repo);
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut hidden = Vec::new();
    if let Some(since) = &history.since {
        let commit = repo
            .rev_parse_single(since.as_str())
            .ok()
            .and_then(|id| id.object().ok())
            .and_then(|object| object.peel_to_commit().ok())
            .ok_or_else(|| {
                format!("--since {since}: no such commit in {shown} (a commit id, branch or tag)")
            })?;
        // Its blobs are known: met, not searched.
        if let Ok(tree) = commit.tree_id() {
            new_blobs(
                &repo,
                tree.detach(),
                0,
                &mut seen,
                &mut Vec::new(),
                &mut Vec::new(),
            );
        }
        hidden.push(commit.id);
    }
    let walk = repo
        .rev_walk(tips)
        .with_hidden(hidden)
        .sorting(gix::revision::walk::Sorting::TopoOrder)
        .all()
        .map_err(|e| format!("--git-history: the history of {shown} cannot be walked: {e}"))?;
    let mut order = Vec::new();
    let mut diagnostics = Vec::new();
    for info in walk {
        match info {
            Ok(info) => order.push(info.id),
            Err(e) => diagnostics.push(repo_error(display, format!("history not walked: {e}"))),
        }
    }
    // Parents before children: a blob's first commit is the one that
    // brought it.
    order.reverse();
    let mut commits = Vec::with_capacity(order.len());
    let mut blobs = Vec::new();
    let total = order.len();
    for (visited, id) in order.into_iter().enumerate() {
        if past(options.deadline) {
            diagnostics.push(repo_error(
                display,
                format!(
                    "not searched in time (--timeout): {} of {total} commits of the history not visited",
                    total - visited
                ),
            ));
            break;
        }
        let Ok(commit) = repo.find_commit(id) else {
            diagnostics.push(repo_error(display, format!("commit {id} not read")));
            continue;
        };
        let date = commit
            .author()
            .ok()
            .and_then(|author| author.time().ok())
            .and_then(|time| jiff::Timestamp::from_second(time.seconds).ok())
            .map_or_else(String::new, |t| t.to_string());
        let index = commits.len();
        commits.push(CommitOrigin {
            commit: id.to_string(),
            date,
        });
        let mut unreadable = Vec::new();
        match commit.tree_id() {
            Ok(tree) => new_blobs(
                &repo,
                tree.detach(),
                index,
                &mut seen,
                &mut blobs,
                &mut unreadable,
            ),
            Err(_) => unreadable.push(id.to_string()),
        }
        for path in unreadable {
            diagnostics.push(repo_error(
                display,
                format!("in commit {id}: the tree of `{path}` not read: not searched"),
            ));
        }
    }
    let workdir = repo.workdir().map(Path::to_path_buf);
    let excludes = super::walk::exclude_globs(options)?;
    let searched = blobs.len();
    let repo = repo.into_sync();
    let found: Vec<Searched> = blobs
        .into_par_iter()
        .filter(|blob| {
            !excludes
                .matched(options.base_dir.join(join(display, &blob.path)), false)
                .is_ignore()
        })
        .map_init(
            || repo.to_thread_local(),
            |repo, blob| search_blob(repo, &blob, workdir.as_deref(), options, matcher),
        )
        .collect();
    let mut files = Vec::new();
    let (mut binary, mut late) = (0usize, 0usize);
    for (blob, outcome) in found.into_iter().flatten() {
        let origin = &commits[blob.commit];
        let path = join(display, &blob.path);
        match outcome {
            Outcome::Binary => binary += 1,
            Outcome::Late => late += 1,
            Outcome::Problem(level, kind, message) => diagnostics.push(Diagnostic::file(
                level,
                kind,
                path,
                format!("in commit {}: {message}", origin.commit),
            )),
            Outcome::Found(bytes, candidates, over) => {
                if over {
                    diagnostics.push(Diagnostic::file(
                        Level::Error,
                        DiagnosticKind::Skipped,
                        path.clone(),
                        format!(
                            "in commit {}: more than {} secret candidates: only the first {1} are judged",
                            origin.commit,
                            super::text::MAX_CANDIDATES_PER_FILE
                        ),
                    ));
                }
                files.push(batch(path, &bytes, &candidates, origin, options, matcher));
            }
        }
    }
    if late > 0 {
        diagnostics.push(repo_error(
            display,
            format!("not searched in time (--timeout): {late} blobs of the history"),
        ));
    }
    if binary > 0 {
        diagnostics.push(Diagnostic::file(
            Level::Note,
            DiagnosticKind::Skipped,
            shown.to_owned(),
            format!("{binary} binary blobs of the history not searched for secrets"),
        ));
    }
    files.sort_by(|a, b| {
        let key = |f: &FileInventory| (f.path.clone(), f.commit.clone());
        key(a).cmp(&key(b))
    });
    Ok(History {
        files,
        diagnostics,
        commits: commits.len(),
        blobs: searched,
    })
}

/// Every commit the refs (branches, tags, remotes, notes …) and `HEAD`
/// lead to; a ref to a tree or a blob leads to none.
fn tips(repo: &gix::Repository) -> Vec<ObjectId> {
    let mut tips = Vec::new();
    if let Ok(head) = repo.head_id() {
        tips.push(head.detach());
    }
    if let Ok(references) = repo.references()
        && let Ok(all) = references.all()
    {
        for reference in all.flatten() {
            let mut reference = reference;
            let commit = reference
                .peel_to_id()
                .ok()
                .and_then(|id| id.object().ok())
                .and_then(|object| object.peel_to_commit().ok());
            if let Some(commit) = commit {
                tips.push(commit.id);
            }
        }
    }
    tips.sort();
    tips.dedup();
    tips
}

/// The blobs under `tree` not met before, with their paths, for commit
/// `commit`; trees met before are not entered. The paths of trees that
/// cannot be read (a partial clone, a corrupt object) go to `unreadable`.
fn new_blobs(
    repo: &gix::Repository,
    tree: ObjectId,
    commit: usize,
    seen: &mut HashSet<ObjectId>,
    blobs: &mut Vec<Blob>,
    unreadable: &mut Vec<String>,
) {
    let mut stack = vec![(tree, String::new())];
    while let Some((id, prefix)) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let tree = repo.find_tree(id);
        let Some(decoded) = tree.as_ref().ok().and_then(|t| t.decode().ok()) else {
            unreadable.push(if prefix.is_empty() {
                ".".to_owned()
            } else {
                prefix
            });
            continue;
        };
        for entry in &decoded.entries {
            let name = {
                use std::os::unix::ffi::OsStrExt as _;
                super::walk::component_text(std::ffi::OsStr::from_bytes(entry.filename))
                    .into_owned()
            };
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            // Symbolic links hold a path, submodules another repository:
            // neither is searched.
            if entry.mode.is_tree() {
                stack.push((entry.oid.to_owned(), path));
            } else if entry.mode.is_blob() && seen.insert(entry.oid.to_owned()) {
                blobs.push(Blob {
                    id: entry.oid.to_owned(),
                    path,
                    commit,
                });
            }
        }
    }
}

/// What reading one blob gave.
enum Outcome {
    Binary,
    /// Not read: the scan's deadline had passed.
    Late,
    Problem(Level, DiagnosticKind, String),
    /// Its bytes and candidates, and whether there were more than are
    /// judged.
    Found(Vec<u8>, Vec<super::text::Candidate>, bool),
}

/// A searched blob that needs a look (candidates, a problem, binary);
/// `None` for the others, dropped as they are read.
type Searched = Option<(Blob, Outcome)>;

fn search_blob(
    repo: &gix::Repository,
    blob: &Blob,
    workdir: Option<&Path>,
    options: &WalkOptions,
    matcher: &TextMatcher,
) -> Searched {
    let outcome = |outcome| {
        Some((
            Blob {
                id: blob.id,
                path: blob.path.clone(),
                commit: blob.commit,
            },
            outcome,
        ))
    };
    if past(options.deadline) {
        return outcome(Outcome::Late);
    }
    // The header tells the size without inflating the object.
    match repo.find_header(blob.id) {
        Ok(header) if header.size() > options.max_file_size => {
            return outcome(Outcome::Problem(
                Level::Error,
                DiagnosticKind::Skipped,
                format!(
                    "not searched for secrets: {} bytes is over the size limit of {} bytes (--max-file-size; or accept it with `accept-skipped` in rampart.yaml)",
                    header.size(),
                    options.max_file_size
                ),
            ));
        }
        Ok(_) => {}
        Err(e) => {
            return outcome(Outcome::Problem(
                Level::Error,
                DiagnosticKind::Io,
                format!("blob {} not read: {e}", blob.id),
            ));
        }
    }
    let bytes = match repo.find_object(blob.id) {
        Ok(object) => object.detach().data,
        Err(e) => {
            return outcome(Outcome::Problem(
                Level::Error,
                DiagnosticKind::Io,
                format!("blob {} not read: {e}", blob.id),
            ));
        }
    };
    let probe = bytes.len().min(crate::read::BINARY_PROBE_BYTES as usize);
    if memchr::memchr(0, &bytes[..probe]).is_some() {
        return outcome(Outcome::Binary);
    }
    let (candidates, over) = matcher.candidates(&bytes);
    if candidates.is_empty() {
        return None;
    }
    if workdir.is_some_and(|dir| checked_out(dir, &blob.path, &bytes, options.max_file_size)) {
        return None;
    }
    outcome(Outcome::Found(bytes, candidates, over))
}

/// Whether the work tree holds `bytes` at `path`, where the walk reads it:
/// that copy is the work tree scan's finding. Only a regular file reached
/// through no link is that copy (the walk follows none), so nothing
/// outside the work tree is ever opened, whatever names a crafted tree
/// holds (`..`).
fn checked_out(workdir: &Path, path: &str, bytes: &[u8], limit: u64) -> bool {
    let Ok(top) = workdir.canonicalize() else {
        return false;
    };
    let expected = top.join(path);
    match crate::read::resolve_inside(&top, &expected) {
        Some(real) if real == expected => {
            crate::read::read_file(&real, limit, crate::read::Links::Refuse)
                .is_ok_and(|file| file == bytes)
        }
        _ => false,
    }
}

/// The batch of a blob with candidates: its `text` resource, named by the
/// commit, with the commit in the document for the packs.
fn batch(
    path: String,
    bytes: &[u8],
    candidates: &[super::text::Candidate],
    origin: &CommitOrigin,
    options: &WalkOptions,
    matcher: &TextMatcher,
) -> FileInventory {
    let located = matcher.locate(bytes, candidates);
    let mut resource = matcher.resource(&path, located);
    resource.id = format!("text:{path}@{}", origin.commit);
    let document = resource.document_mut();
    document["commit"] = serde_json::Value::String(origin.commit.clone());
    document["date"] = serde_json::Value::String(origin.date.clone());
    let text = String::from_utf8_lossy(bytes);
    let mut file = FileInventory {
        path: path.clone(),
        format: FileFormat::Text,
        resources: vec![resource],
        suppressions: crate::suppress::inline_suppressions(&text),
        sources: Default::default(),
        commit: Some(origin.clone()),
    };
    if options.keep_sources {
        file.sources.insert(path, text.as_ref());
    }
    file
}

fn join(display: &str, path: &str) -> String {
    if display.is_empty() || display == "." {
        path.to_owned()
    } else {
        format!("{display}/{path}")
    }
}

fn past(deadline: Option<std::time::Instant>) -> bool {
    deadline.is_some_and(|deadline| std::time::Instant::now() >= deadline)
}

fn repo_error(display: &str, message: String) -> Diagnostic {
    let shown = if display.is_empty() { "." } else { display };
    Diagnostic::file(Level::Error, DiagnosticKind::Io, shown.to_owned(), message)
}
