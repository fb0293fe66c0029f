//! A pack's fixtures: files that must (and must not) make its rules fire,
//! with the expected lines written in the files themselves.
//!
//! Layout, per rule: `fixtures/<RULE-ID>/positive.<ext>` (or a directory
//! `positive/` of files, for formats known by their exact name such as
//! lockfiles) and `negative.<ext>` / `negative/`. In a positive fixture
//! every line that must be reported carries `# expect: RULE-ID` — a
//! trailing comment marks its own line, a whole-line comment the next line
//! that is not itself a marker (for formats whose comments cannot trail).
//! Negative fixtures must give no finding of the rule. Used by
//! `rampart policy test` and by the built-in packs' own tests.

use rampart_core::{Diagnostic, Report, ScanError, ScanOptions, Scanner};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What testing a pack against its fixtures gave (`rampart policy test`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestRun {
    /// Problems of the scan of the fixtures (a fixture that does not
    /// parse, a policy that failed): each fails the test.
    pub diagnostics: Vec<Diagnostic>,
    /// The comparison of findings with the fixtures' expectations.
    pub results: FixtureResults,
}

impl TestRun {
    /// Whether the pack passed: no mismatch and no diagnostic.
    pub fn passed(&self) -> bool {
        self.results.mismatches.is_empty() && self.diagnostics.is_empty()
    }
}

/// Why a pack's fixtures could not be tested at all.
#[derive(Debug, thiserror::Error)]
pub enum TestError {
    /// The fixtures directory is missing.
    #[error(
        "{} is not a directory: put fixtures/<RULE-ID>/positive.* and negative.* in the pack, or name them with --fixtures",
        .0.display()
    )]
    NoFixtures(PathBuf),
    /// The fixtures directory could not be resolved.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The directory.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The pack could not be loaded or the scan failed.
    #[error(transparent)]
    Scan(#[from] ScanError),
}

/// Scans `fixtures` with the pack at `pack` alone — no built-in pack, no
/// advisories — and compares the findings with every rule's fixtures.
/// `base` supplies the engine and remote-pack settings; its paths, packs
/// and advisories are replaced.
pub fn run(pack: &Path, fixtures: &Path, base: ScanOptions) -> Result<TestRun, TestError> {
    if !fixtures.is_dir() {
        return Err(TestError::NoFixtures(fixtures.to_owned()));
    }
    // Resolved: the scan takes relative paths from its base directory (the
    // fixtures themselves) and follows no symlink.
    let fixtures = fixtures.canonicalize().map_err(|source| TestError::Io {
        path: fixtures.to_owned(),
        source,
    })?;
    let scanner = Scanner::new(ScanOptions {
        paths: vec![fixtures.clone()],
        base_dir: Some(fixtures.clone()),
        builtin_packs: false,
        policies: vec![pack.to_owned()],
        advisories: None,
        ..base
    })?;
    let report = scanner.scan()?;
    let rules: Vec<String> = scanner
        .packs()
        .iter()
        .flat_map(|p| p.metadata().rules.iter().map(|r| r.id.clone()))
        .collect();
    let results = check(&report, &fixtures, &rules);
    Ok(TestRun {
        diagnostics: report.diagnostics,
        results,
    })
}

/// Lines marked `# expect: RULE` in a fixture, sorted (a line marked twice
/// expects two findings).
///
/// ```
/// use rampart_authoring::fixtures::expected_lines;
/// let text = "a: 1\nb: 2  # expect: X-1\n# expect: X-1\nc: 3\n";
/// assert_eq!(expected_lines(text, "X-1"), [2, 4]);
/// ```
pub fn expected_lines(text: &str, rule: &str) -> Vec<u32> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let count = line
            .split("# expect:")
            .skip(1)
            .flat_map(|ids| ids.split(','))
            .filter(|id| id.trim() == rule)
            .count();
        if count == 0 {
            continue;
        }
        let target = if line.trim_start().starts_with("# expect:") {
            (i + 1..lines.len())
                .find(|&j| !lines[j].trim_start().starts_with("# expect:"))
                .unwrap_or(i)
        } else {
            i
        };
        let line_no = u32::try_from(target + 1).unwrap_or(u32::MAX);
        out.extend(std::iter::repeat_n(line_no, count));
    }
    out.sort();
    out
}

/// The fixture files of one kind (`positive` or `negative`) in a rule's
/// directory: `<kind>.*`, or every file in `<kind>/`.
pub fn fixture_files(rule_dir: &Path, kind: &str) -> Vec<PathBuf> {
    let as_dir = rule_dir.join(kind);
    if as_dir.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&as_dir)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|f| f.is_file());
        files.sort();
        return files;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(rule_dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|f| {
        f.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(&format!("{kind}.")))
    });
    files.sort();
    files.truncate(1);
    files
}

/// One fixture whose findings are not the expected ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The rule.
    pub rule: String,
    /// The fixture, relative to the fixtures directory (or what is missing).
    pub fixture: String,
    /// Lines marked `# expect:`.
    pub expected: Vec<u32>,
    /// Lines reported.
    pub found: Vec<u32>,
    /// Set when the problem is not about lines (no fixture, no marker).
    pub problem: Option<String>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(problem) = &self.problem {
            return write!(f, "{} {}: {problem}", self.rule, self.fixture);
        }
        let missing = difference(&self.expected, &self.found);
        let unexpected = difference(&self.found, &self.expected);
        write!(
            f,
            "{} {}: expected lines {:?}, found {:?}",
            self.rule, self.fixture, self.expected, self.found
        )?;
        if !missing.is_empty() {
            write!(f, "\n    - not reported: {missing:?}")?;
        }
        if !unexpected.is_empty() {
            write!(f, "\n    + not expected: {unexpected:?}")?;
        }
        Ok(())
    }
}

/// Elements of `a` not matched one for one in `b`.
fn difference(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut rest = b.to_vec();
    a.iter()
        .filter(|x| match rest.iter().position(|y| y == *x) {
            Some(i) => {
                rest.remove(i);
                false
            }
            None => true,
        })
        .copied()
        .collect()
}

/// What checking a pack's fixtures gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixtureResults {
    /// Fixture files compared.
    pub checked: usize,
    /// Rules whose fixtures were compared.
    pub rules: usize,
    /// Every difference.
    pub mismatches: Vec<Mismatch>,
}

/// Compares the findings of a scan of `fixtures` (its paths relative to
/// `fixtures`) with the fixtures of `rules`.
pub fn check(report: &Report, fixtures: &Path, rules: &[String]) -> FixtureResults {
    let mut actual: BTreeMap<(&str, &str), Vec<u32>> = BTreeMap::new();
    for f in &report.findings {
        if let Some(region) = f.region {
            actual
                .entry((f.path.as_str(), f.rule_id.as_str()))
                .or_default()
                .push(region.start_line);
        }
    }
    let mut results = FixtureResults::default();
    for rule in rules {
        let dir = fixtures.join(rule);
        let mismatch = |fixture: String, problem: String| Mismatch {
            rule: rule.clone(),
            fixture,
            expected: Vec::new(),
            found: Vec::new(),
            problem: Some(problem),
        };
        if !dir.is_dir() {
            results.mismatches.push(mismatch(
                rule.clone(),
                format!("no fixtures (expected {})", dir.display()),
            ));
            continue;
        }
        results.rules += 1;
        for kind in ["positive", "negative"] {
            let files = fixture_files(&dir, kind);
            if files.is_empty() {
                results.mismatches.push(mismatch(
                    format!("{rule}/{kind}"),
                    format!("no {kind} fixture"),
                ));
            }
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                let path = file
                    .strip_prefix(fixtures)
                    .unwrap_or(&file)
                    .to_string_lossy()
                    .replace('\\', "/");
                let expected = expected_lines(&text, rule);
                let mut found = actual
                    .get(&(path.as_str(), rule.as_str()))
                    .cloned()
                    .unwrap_or_default();
                found.sort();
                results.checked += 1;
                if kind == "positive" && expected.is_empty() {
                    results.mismatches.push(mismatch(
                        path,
                        format!(
                            "a positive fixture marks at least one line with `# expect: {rule}`"
                        ),
                    ));
                } else if found != expected {
                    results.mismatches.push(Mismatch {
                        rule: rule.clone(),
                        fixture: path,
                        expected,
                        found,
                        problem: None,
                    });
                }
            }
        }
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_show_what_is_missing_and_extra() {
        let m = Mismatch {
            rule: "X-1".into(),
            fixture: "X-1/positive.yaml".into(),
            expected: vec![3, 7, 7],
            found: vec![3, 7, 9],
            problem: None,
        };
        let text = m.to_string();
        assert!(text.contains("- not reported: [7]"), "{text}");
        assert!(text.contains("+ not expected: [9]"), "{text}");
    }
}
