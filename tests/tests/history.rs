//! `scan --git-history`: every blob a repository's refs reach, searched
//! once for secrets and reported with the commit that brought it — a
//! secret deleted later, one only on another branch, a bare repository,
//! `--since`, and a crafted tree that names `..`.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::inventory::history::HistoryOptions;
use rampart_core::policy::{CacheMode, EngineOptions};
use rampart_core::{Report, ScanOptions, Scanner};
use std::path::Path;
use std::process::Command;

/// A GitHub token and an AWS key id of the formats the `secrets` pack
/// reports (made up: they grant nothing).
const GITHUB_TOKEN: &str = "ghp_R8s2Kq9LmVx4Tz7Wc1Pn5Yb3Hd6Jf0Ga2Ek9";
const AWS_KEY_ID: &str = "AKIAQ3EGRZ7VNXJ2MW4K";

/// Runs git in `dir` with a fixed identity and dates; its output, trimmed.
fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Dev", "-c", "user.email=dev@example.com"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn scan(base: &Path, path: &str, since: Option<&str>) -> Report {
    Scanner::new(ScanOptions {
        paths: vec![path.into()],
        base_dir: Some(base.to_owned()),
        engine: EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        },
        advisories: None,
        git_history: Some(HistoryOptions {
            since: since.map(str::to_owned),
        }),
        ..ScanOptions::default()
    })
    .unwrap()
    .scan()
    .unwrap()
}

/// (path, line, rule, commit, date) of every finding.
fn found(report: &Report) -> Vec<(String, u32, String, String, String)> {
    report
        .findings
        .iter()
        .map(|f| {
            let (commit, date) = f
                .commit
                .as_ref()
                .map(|c| (c.commit.clone(), c.date.clone()))
                .unwrap_or_default();
            (
                f.path.clone(),
                f.region.map_or(0, |r| r.start_line),
                f.rule_id.clone(),
                commit,
                date,
            )
        })
        .collect()
}

/// The repository of the issue: a token committed then deleted, a key
/// only on another branch, and a token still checked out.
struct Repo {
    dir: tempfile::TempDir,
    added: String,
    branch: String,
}

fn repository() -> Repo {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"], "2026-01-01T00:00:00Z");
    write(&repo, "README.md", "# app\n");
    write(
        &repo,
        "config/.env",
        &format!("# deploy\nDEPLOY_TOKEN={GITHUB_TOKEN}\n"),
    );
    git(&repo, &["add", "."], "2026-01-02T10:00:00Z");
    git(&repo, &["commit", "-qm", "add"], "2026-01-02T10:00:00Z");
    let added = git(&repo, &["rev-parse", "HEAD"], "");
    // Deleted in the next commit: still in every clone.
    write(
        &repo,
        "config/.env",
        "# deploy\nDEPLOY_TOKEN=${DEPLOY_TOKEN}\n",
    );
    git(
        &repo,
        &["commit", "-qam", "use the secret store"],
        "2026-01-03T10:00:00Z",
    );
    git(&repo, &["checkout", "-qb", "experiment"], "");
    write(&repo, "infra/keys.txt", &format!("\n\nid = {AWS_KEY_ID}\n"));
    git(&repo, &["add", "."], "2026-01-04T10:00:00Z");
    git(&repo, &["commit", "-qm", "try"], "2026-01-04T10:00:00Z");
    let branch = git(&repo, &["rev-parse", "HEAD"], "");
    git(&repo, &["checkout", "-q", "main"], "");
    // Still checked out, committed: the work tree's finding, not also the
    // history's.
    write(&repo, "notes.txt", &format!("token: {GITHUB_TOKEN}\n"));
    git(&repo, &["add", "."], "2026-01-05T10:00:00Z");
    git(&repo, &["commit", "-qm", "notes"], "2026-01-05T10:00:00Z");
    Repo { dir, added, branch }
}

#[test]
fn a_deleted_secret_and_one_on_another_branch_are_found_with_their_commits() {
    let repo = repository();
    let report = scan(repo.dir.path(), "repo", None);
    let at = |path: &str, line, rule: &str, commit: &str, date: &str| {
        (
            path.to_owned(),
            line,
            rule.to_owned(),
            commit.to_owned(),
            date.to_owned(),
        )
    };
    assert_eq!(
        found(&report),
        vec![
            at(
                "repo/config/.env",
                2,
                "SEC-003",
                &repo.added,
                "2026-01-02T10:00:00Z"
            ),
            at(
                "repo/infra/keys.txt",
                3,
                "SEC-001",
                &repo.branch,
                "2026-01-04T10:00:00Z"
            ),
            // The checked-out file: from the work tree, no commit.
            at("repo/notes.txt", 1, "SEC-003", "", ""),
        ],
        "{:#?}",
        report.findings
    );
    let deleted = &report.findings[0];
    assert!(
        deleted.message.contains(&format!(
            "in the history: commit {} of 2026-01-02T10:00:00Z",
            repo.added
        )),
        "{}",
        deleted.message
    );
    // Never printed, from the history either.
    let json = rampart_core::report::json::render(&report);
    assert!(!json.contains(GITHUB_TOKEN) && !json.contains(AWS_KEY_ID));
    assert!(json.contains(&format!("\"commit\": \"{}\"", repo.added)));
    // The same history gives the same report.
    assert_eq!(
        rampart_core::report::json::render(&scan(repo.dir.path(), "repo", None)),
        json
    );
}

#[test]
fn since_searches_only_what_later_commits_brought() {
    let repo = repository();
    // The token of `added` is in the tree of `added`: known. The branch's
    // key came after it.
    let report = scan(repo.dir.path(), "repo", Some(&repo.added));
    let rules: Vec<(String, String)> = found(&report)
        .into_iter()
        .map(|(path, _, rule, _, _)| (path, rule))
        .collect();
    assert_eq!(
        rules,
        [
            ("repo/infra/keys.txt".to_owned(), "SEC-001".to_owned()),
            ("repo/notes.txt".to_owned(), "SEC-003".to_owned()),
        ]
    );
    let none = Scanner::new(ScanOptions {
        paths: vec!["repo".into()],
        base_dir: Some(repo.dir.path().to_owned()),
        advisories: None,
        git_history: Some(HistoryOptions {
            since: Some("no-such-branch".into()),
        }),
        ..ScanOptions::default()
    })
    .unwrap()
    .scan()
    .unwrap_err();
    assert!(
        none.to_string()
            .contains("--since no-such-branch: no such commit")
    );
}

#[test]
fn a_bare_repository_is_searched_and_nothing_is_left_to_a_work_tree() {
    let repo = repository();
    git(
        repo.dir.path(),
        &["clone", "-q", "--bare", "repo", "repo.git"],
        "",
    );
    let report = scan(repo.dir.path(), "repo.git", None);
    let paths: Vec<(String, u32, String)> = found(&report)
        .into_iter()
        .filter(|(_, _, _, commit, _)| !commit.is_empty())
        .map(|(path, line, rule, _, _)| (path, line, rule))
        .collect();
    // A bare clone has the refs of the branches it was cloned from:
    // `experiment` came along. No work tree: `notes.txt` is the history's.
    assert_eq!(
        paths,
        [
            ("repo.git/config/.env".to_owned(), 2, "SEC-003".to_owned()),
            (
                "repo.git/infra/keys.txt".to_owned(),
                3,
                "SEC-001".to_owned()
            ),
            ("repo.git/notes.txt".to_owned(), 1, "SEC-003".to_owned()),
        ]
    );
}

/// A crafted tree may name an entry `..`: its path is shown, but nothing
/// outside the work tree is opened to compare it with a checked-out copy
/// (were the copy outside read, the finding would be dropped as the work
/// tree's).
#[test]
fn a_tree_entry_named_dot_dot_opens_nothing_outside_the_work_tree() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"], "2026-01-01T00:00:00Z");
    let text = format!("TOKEN={GITHUB_TOKEN}\n");
    // The same bytes outside the repository, where `../leak.env` points.
    write(dir.path(), "leak.env", &text);
    std::fs::write(repo.join("blob"), &text).unwrap();
    let blob = git(&repo, &["hash-object", "-w", "blob"], "");
    std::fs::remove_file(repo.join("blob")).unwrap();
    let inner = pipe(
        &repo,
        &["mktree"],
        &format!("100644 blob {blob}\tleak.env\n"),
    );
    let top = pipe(&repo, &["mktree"], &format!("040000 tree {inner}\t..\n"));
    let commit = git(
        &repo,
        &["commit-tree", &top, "-m", "crafted"],
        "2026-02-01T00:00:00Z",
    );
    git(&repo, &["update-ref", "refs/heads/main", &commit], "");
    let report = scan(dir.path(), "repo", None);
    let paths: Vec<(String, String)> = found(&report)
        .into_iter()
        .map(|(path, _, _, commit, _)| (path, commit))
        .collect();
    assert_eq!(paths, [("repo/../leak.env".to_owned(), commit)]);
}

/// git with `input` on its standard input; its output, trimmed.
fn pipe(dir: &Path, args: &[&str], input: &str) -> String {
    use std::io::Write as _;
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A history not searched by the scan's deadline is a gap in the scan
/// (an error), never a clean result.
#[test]
fn a_history_not_searched_in_time_is_an_error() {
    let repo = repository();
    let report = Scanner::new(ScanOptions {
        paths: vec!["repo".into()],
        base_dir: Some(repo.dir.path().to_owned()),
        advisories: None,
        timeout: Some(std::time::Duration::ZERO),
        git_history: Some(HistoryOptions::default()),
        ..ScanOptions::default()
    })
    .unwrap()
    .scan()
    .unwrap();
    assert!(report.findings.iter().all(|f| f.commit.is_none()));
    assert!(
        report.diagnostics.iter().any(|d| {
            d.level == rampart_core::diagnostic::Level::Error
                && d.path.as_deref() == Some("repo")
                && d.message
                    == "not searched in time (--timeout): 4 of 4 commits of the history not visited"
        }),
        "{:#?}",
        report.diagnostics
    );
}
