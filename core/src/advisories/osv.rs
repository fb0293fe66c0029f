//! OSV records (<https://ossf.github.io/osv-schema/>) and the matching of a
//! package version against them.
//!
//! A raw [`OsvRecord`] is read from an export once, at `rampart db update`,
//! and reduced to an [`Advisory`]: only what matching and reporting need
//! (no `details`, no references but the advisory's own page), which keeps
//! the local database small and fast to load.

use super::version::{Scheme, Version};
use crate::finding::Severity;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::OnceLock;

/// An OSV record as published, with the fields rampart reads.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvRecord {
    /// `GHSA-…`, `RUSTSEC-…`, `PYSEC-…`.
    pub id: String,
    /// RFC 3339 time of the last change.
    #[serde(default)]
    pub modified: String,
    /// Set when the record was withdrawn: it then matches nothing.
    #[serde(default)]
    pub withdrawn: Option<String>,
    /// Other ids of the same vulnerability.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One line.
    #[serde(default)]
    pub summary: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub details: Option<String>,
    /// CVSS vectors.
    #[serde(default)]
    pub severity: Vec<OsvSeverity>,
    /// Affected packages.
    #[serde(default)]
    pub affected: Vec<OsvAffected>,
    /// Links.
    #[serde(default)]
    pub references: Vec<OsvReference>,
    /// Database-specific fields (GitHub's `severity` lives here).
    #[serde(default)]
    pub database_specific: Option<Value>,
}

/// `severity[]`: a scoring system and its vector.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvSeverity {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector (or, for `Ubuntu`, a word).
    pub score: String,
}

/// `affected[]`.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvAffected {
    /// The package; absent for records about a repository only.
    #[serde(default)]
    pub package: Option<OsvPackage>,
    /// Version ranges.
    #[serde(default)]
    pub ranges: Vec<Range>,
    /// Explicitly enumerated affected versions.
    #[serde(default)]
    pub versions: Vec<String>,
    /// Per-package severity vectors (schema 1.5+).
    #[serde(default)]
    pub severity: Vec<OsvSeverity>,
    /// RustSec's `informational` (`unmaintained`, `unsound`, `notice`) lives here.
    #[serde(default)]
    pub database_specific: Option<Value>,
}

/// `affected[].package`.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvPackage {
    /// `crates.io`, `PyPI`, `Debian:12` ….
    pub ecosystem: String,
    /// The package name as the ecosystem spells it.
    pub name: String,
}

/// `references[]`.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvReference {
    /// `ADVISORY`, `WEB`, `FIX` ….
    #[serde(rename = "type")]
    pub kind: String,
    /// The link.
    pub url: String,
}

/// A version range: its type and its events.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `introduced`/`fixed`/`last_affected`/`limit` events.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// One event of a range.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Affected from this version on (`"0"`: from the beginning).
    Introduced(String),
    /// Not affected from this version on.
    Fixed(String),
    /// Affected up to and including this version.
    LastAffected(String),
    /// Upper bound of the range (not affected from here).
    Limit(String),
}

impl Event {
    fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }
}

/// A vulnerability as rampart stores and reports it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Advisory {
    /// The record's id.
    pub id: String,
    /// Other ids of the same vulnerability, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// One line (the summary, or the first line of the details).
    pub summary: String,
    /// RFC 3339 time of the last change.
    pub modified: String,
    /// How bad, and where that judgement comes from.
    pub severity: AdvisorySeverity,
    /// The advisory's page.
    pub url: String,
    /// RustSec `informational` kind (`unmaintained`, `unsound` …): not a
    /// vulnerability, a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub informational: Option<String>,
    /// The packages it affects (only those of one ecosystem in a DB file).
    pub affected: Vec<AffectedPackage>,
}

/// The severity of an advisory.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct AdvisorySeverity {
    /// The level findings get.
    pub level: Severity,
    /// CVSS base score, when a vector was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The CVSS vector it was computed from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
    /// `cvss`, `database` (e.g. GitHub's rating) or `default` (nothing
    /// was published: medium).
    pub source: String,
}

/// One affected package of an advisory.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct AffectedPackage {
    /// OSV ecosystem.
    pub ecosystem: String,
    /// Package name.
    pub name: String,
    /// Ranges (`GIT` ranges are kept out: they need a commit graph).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Enumerated versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// The record only had `GIT` ranges for this package and no version
    /// list: it cannot be evaluated against a version.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub git_only: bool,
    /// Versions and range events parsed once, on first use: matching
    /// thousands of dependencies against a package with hundreds of listed
    /// versions must not parse them again for each.
    #[serde(skip)]
    prepared: OnceLock<Prepared>,
}

/// An [`AffectedPackage`] with its versions parsed.
#[derive(Debug, Clone, PartialEq)]
struct Prepared {
    scheme: Option<Scheme>,
    /// The package name as the ecosystem compares it.
    normalized_name: String,
    /// Listed versions that parse, sorted (binary search).
    versions: Vec<Version>,
    /// Per range: its events parsed, or why they cannot be.
    ranges: Vec<Result<PreparedRange, String>>,
}

/// A range's events with their versions (`None`: `introduced: "0"`).
#[derive(Debug, Clone, PartialEq)]
struct PreparedRange {
    /// In the record's order.
    written: Vec<(Option<Version>, Event)>,
    /// Sorted by version, `None` first, ties in the record's order.
    sorted: Vec<(Option<Version>, Event)>,
    /// Whether the OSV walk can disagree with the intervals as written:
    /// unless the events are already sorted and alternate `introduced`,
    /// closing event, `introduced` …, it can.
    unordered: bool,
}

impl Advisory {
    /// Reduces a raw record to what rampart keeps; `None` for a withdrawn
    /// record.
    ///
    /// ```
    /// use rampart_core::advisories::osv::{Advisory, OsvRecord};
    /// let record: OsvRecord = serde_json::from_str(r#"{
    ///   "id": "GHSA-xxxx", "modified": "2024-01-01T00:00:00Z", "summary": "Bad",
    ///   "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    ///   "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
    ///                 "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]
    /// }"#).unwrap();
    /// let advisory = Advisory::from_osv(record).unwrap();
    /// assert_eq!(advisory.severity.score, Some(9.8));
    /// assert_eq!(advisory.affects("left-pad", "1.2.0").unwrap().fixed, ["1.3.0"]);
    /// assert!(advisory.affects("left-pad", "1.3.0").is_none());
    /// ```
    pub fn from_osv(record: OsvRecord) -> Option<Advisory> {
        if record.withdrawn.is_some() {
            return None;
        }
        let mut vectors: Vec<&OsvSeverity> = record.severity.iter().collect();
        vectors.extend(record.affected.iter().flat_map(|a| &a.severity));
        let database = record
            .database_specific
            .as_ref()
            .and_then(|d| d.get("severity"))
            .and_then(Value::as_str);
        let severity = severity_of(&vectors, database);
        let informational = record
            .affected
            .iter()
            .filter_map(|a| a.database_specific.as_ref()?.get("informational")?.as_str())
            .next()
            .map(str::to_owned);
        let url = record
            .references
            .iter()
            .find(|r| r.kind == "ADVISORY" && r.url.contains(&record.id))
            .map(|r| r.url.clone())
            .unwrap_or_else(|| format!("https://osv.dev/vulnerability/{}", record.id));
        let summary = record
            .summary
            .filter(|s| !s.trim().is_empty())
            .or_else(|| {
                record
                    .details
                    .as_deref()
                    .and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
                    .map(|l| l.trim().chars().take(200).collect())
            })
            .unwrap_or_else(|| record.id.clone());
        let affected = record
            .affected
            .into_iter()
            .filter_map(|a| {
                let package = a.package?;
                let had_git = a.ranges.iter().any(|r| r.kind == "GIT");
                let ranges: Vec<Range> = a.ranges.into_iter().filter(|r| r.kind != "GIT").collect();
                Some(AffectedPackage {
                    git_only: had_git && ranges.is_empty() && a.versions.is_empty(),
                    ecosystem: package.ecosystem,
                    name: package.name,
                    ranges,
                    versions: a.versions,
                    prepared: OnceLock::new(),
                })
            })
            .collect();
        let mut aliases = record.aliases;
        aliases.sort();
        aliases.dedup();
        Some(Advisory {
            id: record.id,
            aliases,
            summary,
            modified: record.modified,
            severity,
            url,
            informational,
            affected,
        })
    }

    /// Whether `version` of package `name` is affected, with the fixed
    /// versions; `None` when it is not. Names are compared the
    /// ecosystem's way (PyPI names normalised per PEP 503).
    pub fn affects(&self, name: &str, version: &str) -> Option<Affects> {
        self.evaluate(name, version).filter(|a| a.affected)
    }

    /// [`affects`](Self::affects), but also `Some` when the record names
    /// the package and the version is not affected or could not be
    /// evaluated (see [`Affects::notes`]).
    pub fn evaluate(&self, name: &str, version: &str) -> Option<Affects> {
        let mut query = Query::new(name, version);
        self.evaluate_query(&mut query)
    }

    /// [`evaluate`](Self::evaluate) for a query whose normalised name and
    /// parsed version are computed once for all the advisories it meets.
    pub(crate) fn evaluate_query(&self, query: &mut Query<'_>) -> Option<Affects> {
        let mut result: Option<Affects> = None;
        let mut scheme_used = None;
        for package in &self.affected {
            if !query.applies_to(&package.ecosystem) {
                continue;
            }
            let prepared = package.prepared();
            if prepared.normalized_name != *query.normalized(&package.ecosystem) {
                continue;
            }
            let parsed = prepared.scheme.map(|s| query.parsed(s));
            scheme_used = scheme_used.or(prepared.scheme);
            let outcome =
                package.evaluate(query.version, parsed.as_ref().and_then(|p| p.as_ref().ok()));
            let entry = result.get_or_insert_with(Affects::default);
            if let Some(Err(e)) = &parsed {
                entry.notes.push(e.to_string());
            }
            if package.git_only {
                entry.notes.push(format!(
                    "{}: only GIT ranges are published for {}; they need the repository history and were not evaluated",
                    self.id, package.name
                ));
            }
            entry.notes.extend(outcome.notes);
            entry.affected |= outcome.affected;
            entry.fixed.extend(outcome.fixed);
        }
        let mut result = result?;
        // Only fixes above the version help, lowest (least disruptive) first.
        if let Some(scheme) = scheme_used
            && let Ok(current) = query.parsed(scheme)
        {
            let mut above: Vec<(Version, String)> = result
                .fixed
                .drain(..)
                .filter_map(|f| Some((scheme.parse(&f).ok()?, f)))
                .filter(|(v, _)| v > &current)
                .collect();
            above.sort_by(|a, b| a.0.cmp(&b.0));
            result.fixed = above.into_iter().map(|(_, f)| f).collect();
        }
        result.fixed.dedup();
        Some(result)
    }
}

/// A package version being matched: its name normalised and its version
/// parsed at most once per ecosystem and scheme, however many advisories
/// it is checked against.
#[derive(Debug)]
pub(crate) struct Query<'a> {
    name: &'a str,
    version: &'a str,
    /// The distribution release asked about (`Debian:12`): affected
    /// entries of other releases (`Debian:11`) do not apply.
    release: Option<&'a str>,
    normalized: Vec<(String, String)>,
    parsed: Vec<(Scheme, Result<Version, super::version::VersionError>)>,
}

impl<'a> Query<'a> {
    pub(crate) fn new(name: &'a str, version: &'a str) -> Query<'a> {
        Query {
            name,
            version,
            release: None,
            normalized: Vec::new(),
            parsed: Vec::new(),
        }
    }

    /// Only affected entries of `ecosystem`'s release count, when it names
    /// one (`Debian:12`; `Ubuntu:22.04` also takes `Ubuntu:22.04:LTS`).
    pub(crate) fn in_release(mut self, ecosystem: &'a str) -> Query<'a> {
        self.release = ecosystem.contains(':').then_some(ecosystem);
        self
    }

    fn applies_to(&self, ecosystem: &str) -> bool {
        self.release.is_none_or(|release| {
            ecosystem == release
                || ecosystem
                    .strip_prefix(release)
                    .is_some_and(|rest| rest.starts_with(':'))
        })
    }

    fn normalized(&mut self, ecosystem: &str) -> &String {
        let at = match self.normalized.iter().position(|(e, _)| e == ecosystem) {
            Some(at) => at,
            None => {
                self.normalized
                    .push((ecosystem.to_owned(), normalize_name(ecosystem, self.name)));
                self.normalized.len() - 1
            }
        };
        &self.normalized[at].1
    }

    fn parsed(&mut self, scheme: Scheme) -> Result<Version, super::version::VersionError> {
        if let Some((_, parsed)) = self.parsed.iter().find(|(s, _)| *s == scheme) {
            return parsed.clone();
        }
        let parsed = scheme.parse(self.version);
        self.parsed.push((scheme, parsed.clone()));
        parsed
    }
}

/// What matching found for one advisory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Affects {
    /// The version is affected.
    pub affected: bool,
    /// Versions that fix it (from `fixed` events) and are above the
    /// version, lowest first.
    pub fixed: Vec<String>,
    /// Why part of the record could not be evaluated.
    pub notes: Vec<String>,
}

struct Outcome {
    affected: bool,
    fixed: Vec<String>,
    notes: Vec<String>,
}

impl AffectedPackage {
    fn prepared(&self) -> &Prepared {
        self.prepared.get_or_init(|| {
            let scheme = Scheme::of_ecosystem(&self.ecosystem);
            let mut versions: Vec<Version> = match scheme {
                Some(s) => self.versions.iter().filter_map(|v| s.parse(v).ok()).collect(),
                None => Vec::new(),
            };
            versions.sort();
            let ranges = self
                .ranges
                .iter()
                .map(|range| match scheme {
                    Some(scheme) => prepare_range(range, scheme),
                    None => Err(format!(
                        "no version ordering is known for ecosystem {}: only listed versions were matched",
                        self.ecosystem
                    )),
                })
                .collect();
            Prepared {
                scheme,
                normalized_name: normalize_name(&self.ecosystem, &self.name),
                versions,
                ranges,
            }
        })
    }

    fn evaluate(&self, version: &str, parsed: Option<&Version>) -> Outcome {
        let prepared = self.prepared();
        let mut outcome = Outcome {
            affected: false,
            fixed: Vec::new(),
            notes: Vec::new(),
        };
        let listed = match parsed {
            Some(p) => prepared.versions.binary_search(p).is_ok(),
            // Not a valid version: only an identical string matches.
            None => self.versions.iter().any(|v| v == version),
        };
        if listed {
            outcome.affected = true;
        }
        for (range, prepared_range) in self.ranges.iter().zip(&prepared.ranges) {
            let prepared_range = match prepared_range {
                Ok(r) => r,
                Err(note) => {
                    outcome.notes.push(note.clone());
                    continue;
                }
            };
            let Some(parsed) = parsed else {
                continue;
            };
            if range_contains(prepared_range, parsed) {
                outcome.affected = true;
                outcome
                    .fixed
                    .extend(range.events.iter().filter_map(|e| match e {
                        Event::Fixed(v) => Some(v.clone()),
                        _ => None,
                    }));
            }
        }
        if outcome.affected && outcome.fixed.is_empty() {
            // Listed-version match: fixes are still in the ranges.
            for range in &self.ranges {
                for event in &range.events {
                    if let Event::Fixed(v) = event {
                        outcome.fixed.push(v.clone());
                    }
                }
            }
        }
        outcome
    }
}

/// Parses a range's events once.
fn prepare_range(range: &Range, scheme: Scheme) -> Result<PreparedRange, String> {
    let scheme = if range.kind == "SEMVER" && scheme == Scheme::Pep440 {
        // A SEMVER range on a non-SemVer ecosystem is still SemVer.
        Scheme::Semver
    } else {
        scheme
    };
    let mut written = Vec::with_capacity(range.events.len());
    for event in &range.events {
        let text = event.version();
        if matches!(event, Event::Introduced(_)) && text == "0" {
            written.push((None, event.clone()));
            continue;
        }
        let parsed = scheme
            .parse(text)
            .map_err(|e| format!("range event skipped: {e}"))?;
        written.push((Some(parsed), event.clone()));
    }
    let mut sorted = written.clone();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let alternating = written
        .iter()
        .enumerate()
        .all(|(k, (_, e))| matches!(e, Event::Introduced(_)) == (k % 2 == 0));
    let unordered = !alternating
        || sorted
            .iter()
            .map(|(_, e)| e)
            .ne(written.iter().map(|(_, e)| e));
    Ok(PreparedRange {
        written,
        sorted,
        unordered,
    })
}

/// Whether a `SEMVER`/`ECOSYSTEM` range contains `version`.
///
/// The OSV algorithm sorts the events by version and walks them, each
/// moving the state. On a range whose intervals overlap (`introduced 2.11,
/// fixed 2.11.7, introduced 0, fixed 2.11.6`, as some PYSEC records have)
/// that walk closes the wider interval early; so the intervals as written
/// (each `introduced` paired with the next closing event) are checked too,
/// and the version is affected if either says so. On ranges without
/// overlap the two agree.
fn range_contains(range: &PreparedRange, version: &Version) -> bool {
    // Intervals as written.
    let mut open: Option<&Option<Version>> = None;
    for (at, event) in &range.written {
        match event {
            Event::Introduced(_) => open = Some(at),
            Event::Fixed(_) | Event::Limit(_) | Event::LastAffected(_) => {
                if let Some(start) = open.take() {
                    let after_start = start.as_ref().is_none_or(|s| version >= s);
                    let before_end = match (event, at) {
                        (Event::LastAffected(_), Some(end)) => version <= end,
                        (_, Some(end)) => version < end,
                        (_, None) => false,
                    };
                    if after_start && before_end {
                        return true;
                    }
                }
            }
        }
    }
    if let Some(start) = open
        && start.as_ref().is_none_or(|s| version >= s)
    {
        return true;
    }
    if !range.unordered {
        // Events already in order: the walk below is the same intervals.
        return false;
    }
    // The OSV walk over sorted events.
    let mut affected = false;
    for (at, event) in &range.sorted {
        match event {
            Event::Introduced(_) => {
                if at.as_ref().is_none_or(|at| version >= at) {
                    affected = true;
                }
            }
            Event::Fixed(_) => {
                if at.as_ref().is_some_and(|at| version >= at) {
                    affected = false;
                }
            }
            Event::LastAffected(_) => {
                if at.as_ref().is_some_and(|at| version > at) {
                    affected = false;
                }
            }
            Event::Limit(_) => {
                if at.as_ref().is_some_and(|at| version >= at) {
                    return false;
                }
            }
        }
    }
    affected
}

/// A package name as its ecosystem compares it.
pub fn normalize_name(ecosystem: &str, name: &str) -> String {
    match ecosystem {
        // PEP 503: case-insensitive, runs of `-_.` are one `-`.
        "PyPI" => {
            let mut out = String::with_capacity(name.len());
            let mut separator = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    separator = true;
                } else {
                    if separator && !out.is_empty() {
                        out.push('-');
                    }
                    separator = false;
                    out.push(c.to_ascii_lowercase());
                }
            }
            out
        }
        "NuGet" | "Packagist" => name.to_ascii_lowercase(),
        _ => name.to_owned(),
    }
}

/// The severity of a record: the highest CVSS score among its vectors,
/// else the database's own rating, else medium.
fn severity_of(vectors: &[&OsvSeverity], database: Option<&str>) -> AdvisorySeverity {
    let best = vectors
        .iter()
        .filter(|v| v.kind.starts_with("CVSS_"))
        .filter_map(|v| {
            let cvss: cvss::Cvss = v.score.parse().ok()?;
            Some((cvss.score(), v.score.clone()))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((score, vector)) = best {
        return AdvisorySeverity {
            level: level_of_score(score),
            score: Some(score),
            vector: Some(vector),
            source: "cvss".to_owned(),
        };
    }
    let rated = database.and_then(|d| match d.to_ascii_uppercase().as_str() {
        "CRITICAL" => Some(Severity::Critical),
        "HIGH" => Some(Severity::High),
        "MODERATE" | "MEDIUM" => Some(Severity::Medium),
        "LOW" => Some(Severity::Low),
        _ => None,
    });
    match rated {
        Some(level) => AdvisorySeverity {
            level,
            score: None,
            vector: None,
            source: "database".to_owned(),
        },
        None => AdvisorySeverity {
            level: Severity::Medium,
            score: None,
            vector: None,
            source: "default".to_owned(),
        },
    }
}

/// CVSS qualitative rating (FIRST, CVSS v3.1 specification §5).
fn level_of_score(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisory(json: &str) -> Advisory {
        Advisory::from_osv(serde_json::from_str(json).unwrap()).unwrap()
    }

    #[test]
    fn spec_example_ranges_with_last_affected_and_limit() {
        let a = advisory(
            r#"{"id":"X-1","affected":[{"package":{"ecosystem":"crates.io","name":"a"},
              "ranges":[{"type":"SEMVER","events":[
                {"introduced":"1.0.0"},{"fixed":"1.2.0"},
                {"introduced":"2.0.0"},{"last_affected":"2.1.0"},
                {"introduced":"3.0.0"},{"limit":"3.5.0"}]}]}]}"#,
        );
        for (version, expected) in [
            ("0.9.0", false),
            ("1.0.0", true),
            ("1.1.9", true),
            ("1.2.0", false),
            ("2.0.0", true),
            ("2.1.0", true),
            ("2.1.1", false),
            ("3.0.0", true),
            ("3.5.0", false),
            ("1.2.0-rc.1", true),
        ] {
            assert_eq!(
                a.affects("a", version).is_some(),
                expected,
                "version {version}"
            );
        }
        assert_eq!(a.affects("a", "1.0.5").unwrap().fixed, ["1.2.0"]);
        // Fixes below the version are no help.
        assert!(a.affects("a", "2.0.0").unwrap().fixed.is_empty());
    }

    #[test]
    fn overlapping_intervals_as_in_pysec_2021_114() {
        let a = advisory(
            r#"{"id":"PYSEC-2021-114","affected":[{"package":{"ecosystem":"PyPI","name":"wagtail"},
              "ranges":[{"type":"ECOSYSTEM","events":[
                {"introduced":"2.11"},{"fixed":"2.11.7"},{"introduced":"0"},{"fixed":"2.11.6"},
                {"introduced":"2.12"},{"fixed":"2.12.4"}]}]}]}"#,
        );
        assert!(a.affects("wagtail", "2.11.6").is_some());
        assert!(a.affects("wagtail", "2.11.7").is_none());
        assert!(a.affects("wagtail", "2.12.3").is_some());
        assert!(a.affects("wagtail", "2.12.4").is_none());
    }

    #[test]
    fn two_introduced_in_a_row_follow_the_osv_walk() {
        let a = advisory(
            r#"{"id":"X","affected":[{"package":{"ecosystem":"crates.io","name":"a"},
              "ranges":[{"type":"SEMVER","events":[
                {"introduced":"1.0.0"},{"introduced":"1.5.0"},{"fixed":"2.0.0"}]}]}]}"#,
        );
        assert!(a.affects("a", "1.2.0").is_some());
        assert!(a.affects("a", "0.9.0").is_none());
        assert!(a.affects("a", "2.0.0").is_none());
    }

    #[test]
    fn listed_versions_pypi_names_and_git_only() {
        let a = advisory(
            r#"{"id":"PYSEC-1","aliases":["CVE-2"],"affected":[
              {"package":{"ecosystem":"PyPI","name":"Foo_Bar"},"versions":["1.0","1.1"],
               "ranges":[{"type":"GIT","repo":"x","events":[{"introduced":"0"},{"fixed":"abc"}]}]},
              {"package":{"ecosystem":"PyPI","name":"baz"},
               "ranges":[{"type":"GIT","repo":"x","events":[{"introduced":"0"}]}]}]}"#,
        );
        assert!(a.affects("foo-bar", "1.0.0").is_some(), "PEP 440 equality");
        assert!(a.affects("foo.bar", "1.2").is_none());
        assert!(a.affects("baz", "1.0").is_none());
        assert!(!a.affected[1].ranges.iter().any(|r| r.kind == "GIT"));
        assert!(a.affected[1].git_only);
    }

    #[test]
    fn withdrawn_records_are_dropped_and_severity_has_a_source() {
        assert!(
            Advisory::from_osv(
                serde_json::from_str(r#"{"id":"W","withdrawn":"2024-01-01T00:00:00Z"}"#).unwrap()
            )
            .is_none()
        );
        let github = advisory(r#"{"id":"G","database_specific":{"severity":"MODERATE"}}"#);
        assert_eq!(github.severity.level, Severity::Medium);
        assert_eq!(github.severity.source, "database");
        let v4 = advisory(
            r#"{"id":"V4","severity":[{"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}]}"#,
        );
        assert_eq!(v4.severity.level, Severity::Critical);
        assert_eq!(v4.severity.score, Some(9.3));
        let none = advisory(r#"{"id":"N","details":"\nFirst line.\nSecond."}"#);
        assert_eq!(none.severity.source, "default");
        assert_eq!(none.summary, "First line.");
    }

    #[test]
    fn unparsable_versions_are_notes_not_matches() {
        let a = advisory(
            r#"{"id":"X","affected":[{"package":{"ecosystem":"npm","name":"a"},
              "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}"#,
        );
        assert!(a.affects("a", "not-a-version").is_none());
        let b = advisory(
            r#"{"id":"Y","affected":[{"package":{"ecosystem":"npm","name":"a"},
              "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"garbage"}]}]}]}"#,
        );
        assert!(b.affects("a", "0.5.0").is_none());
    }
}

#[cfg(test)]
mod release_tests {
    use super::Query;

    #[test]
    fn releases_match_exactly_or_by_prefix() {
        let q = Query::new("glibc", "2.36-9").in_release("Ubuntu:22.04");
        assert!(q.applies_to("Ubuntu:22.04"));
        assert!(q.applies_to("Ubuntu:22.04:LTS"));
        assert!(!q.applies_to("Ubuntu:22.10"));
        assert!(!q.applies_to("Ubuntu:22.041"));
        let any = Query::new("serde", "1.0.0").in_release("crates.io");
        assert!(any.applies_to("crates.io"));
        let debian = Query::new("glibc", "2.36-9").in_release("Debian:12");
        assert!(!debian.applies_to("Debian:11"));
    }
}
