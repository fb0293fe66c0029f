//! `rampart config import`: the skip lists of Checkov, Trivy and hadolint as rampart
//! suppressions, so that a team switching scanners keeps the decisions it
//! has made.
//!
//! * Checkov: `skip-check` of a `.checkov.yaml` (a list, or one
//!   comma-separated string; `CKV_AWS_*` wildcards).
//! * Trivy: a `.trivyignore` (one id per line, `exp:YYYY-MM-DD` after it,
//!   `#` comments) or a `.trivyignore.yaml` (`misconfigurations:` entries
//!   with `id`, `paths`, `statement`, `expired_at`).
//! * hadolint: `ignored` of a `.hadolint.yaml` (its `DL` rules; the
//!   ShellCheck `SC` ones have no rampart form).
//!
//! Each skipped check becomes one suppression per rule that declares it its
//! equivalent ([`PeerCheck`](crate::rule::PeerCheck)). A skip in those
//! files turns the check off; a suppression keeps the finding in the
//! report, marked, so the decision stays reviewable. What has no
//! equivalent, or no rampart form (Checkov's `skip-path` regular
//! expressions, Trivy's secrets and vulnerabilities), is listed, not
//! guessed.

use crate::inventory::yaml;
use crate::suppress::PeerIndex;
use serde_json::Value;
use std::fmt::Write as _;

/// The scanner a skip list comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerTool {
    /// A `.checkov.yaml`.
    Checkov,
    /// A `.trivyignore` or `.trivyignore.yaml`.
    Trivy,
    /// A `.hadolint.yaml`.
    Hadolint,
}

impl PeerTool {
    fn name(self) -> &'static str {
        match self {
            PeerTool::Checkov => "checkov",
            PeerTool::Trivy => "trivy",
            PeerTool::Hadolint => "hadolint",
        }
    }
}

/// One suppression made from a skip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSuppression {
    /// The rampart rule.
    pub rule: String,
    /// The glob of paths it covers; `None`: every path.
    pub path: Option<String>,
    /// Why: the skip's own statement, and where it came from.
    pub reason: String,
    /// The skip's expiry.
    pub expires: Option<jiff::civil::Date>,
}

/// What an import made, and what it could not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The suppressions, in the order of the skips.
    pub suppressions: Vec<ImportedSuppression>,
    /// Skips not imported, each with why (no equivalent rule, no rampart
    /// form).
    pub left_out: Vec<String>,
}

impl Imported {
    /// The suppressions as a `suppressions:` block of `rampart.yaml`.
    pub fn to_yaml(&self, source: &str) -> String {
        let mut out =
            format!("# Imported from {source} by `rampart config import`.\nsuppressions:\n");
        for s in &self.suppressions {
            let _ = writeln!(out, "  - rule: {}", s.rule);
            if let Some(path) = &s.path {
                let _ = writeln!(out, "    path: {}", quote(path));
            }
            let _ = writeln!(out, "    reason: {}", quote(&s.reason));
            if let Some(expires) = s.expires {
                let _ = writeln!(out, "    expires: {expires}");
            }
        }
        if self.suppressions.is_empty() {
            out.push_str("  []\n");
        }
        out
    }
}

/// A YAML double-quoted scalar: every character a reason may hold survives.
fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

/// Reads a skip list of `tool` and makes the suppressions of the rules
/// `peers` maps its checks to.
///
/// ```
/// use rampart_core::migrate::{import, PeerTool};
/// use rampart_core::rule::{PeerCheck, RuleMetadata};
/// use rampart_core::suppress::PeerIndex;
/// # let rule = |id: &str, peer: &str| RuleMetadata { id: id.into(), title: String::new(), description: String::new(),
/// #     severity: rampart_core::Severity::Low, help: String::new(), help_uri: None, remediation: String::new(),
/// #     tags: vec![], compliance: vec![], kinds: vec![], equivalents: vec![PeerCheck::from_tag(peer).unwrap()] };
/// let rules = [rule("TF-015", "checkov:CKV_AWS_16"), rule("CFN-014", "checkov:CKV_AWS_16")];
/// let peers = PeerIndex::new(&rules);
/// let imported = import(PeerTool::Checkov, "skip-check:\n  - CKV_AWS_16\n  - CKV_AWS_999\n", &peers).unwrap();
/// assert_eq!(imported.suppressions.len(), 2);
/// assert_eq!(imported.suppressions[1].rule, "CFN-014");
/// assert_eq!(imported.left_out.len(), 1);
/// ```
pub fn import(tool: PeerTool, text: &str, peers: &PeerIndex) -> Result<Imported, String> {
    let skips = match tool {
        PeerTool::Checkov => checkov_skips(text)?,
        PeerTool::Trivy if looks_like_yaml_ignore(text) => trivy_yaml_skips(text)?,
        PeerTool::Trivy => trivy_text_skips(text)?,
        PeerTool::Hadolint => hadolint_skips(text)?,
    };
    let mut imported = Imported::default();
    for skip in skips {
        let rules = peers.rules_for(tool.name(), &skip.id);
        if rules.is_empty() {
            imported.left_out.push(format!(
                "{} {}: no rampart rule is its equivalent",
                tool.name(),
                skip.id
            ));
            continue;
        }
        let origin = match tool {
            PeerTool::Checkov => format!("skip-check {} in Checkov's configuration", skip.id),
            PeerTool::Trivy => format!("{} in Trivy's ignore file", skip.id),
            PeerTool::Hadolint => format!("ignored {} in hadolint's configuration", skip.id),
        };
        let reason = match &skip.statement {
            Some(statement) => format!("{statement} ({origin})"),
            None => format!("imported: {origin}"),
        };
        let paths: Vec<Option<String>> = if skip.paths.is_empty() {
            vec![None]
        } else {
            skip.paths.iter().cloned().map(Some).collect()
        };
        for rule in rules {
            for path in &paths {
                imported.suppressions.push(ImportedSuppression {
                    rule: rule.to_owned(),
                    path: path.clone(),
                    reason: reason.clone(),
                    expires: skip.expires,
                });
            }
        }
    }
    imported.left_out.extend(skips_left_out(tool, text));
    Ok(imported)
}

/// One skip as the peer wrote it.
struct Skip {
    id: String,
    paths: Vec<String>,
    statement: Option<String>,
    expires: Option<jiff::civil::Date>,
}

fn parse_yaml(text: &str) -> Result<Value, String> {
    let documents = yaml::parse_documents(text).map_err(|e| format!("not valid YAML: {e}"))?;
    Ok(documents
        .into_iter()
        .next()
        .map_or(Value::Null, |d| d.value))
}

fn checkov_skips(text: &str) -> Result<Vec<Skip>, String> {
    let config = parse_yaml(text)?;
    let ids: Vec<String> = match config.get("skip-check") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(list)) => list.split(',').map(|s| s.trim().to_owned()).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .flat_map(|s| s.split(','))
            .map(|s| s.trim().to_owned())
            .collect(),
        Some(_) => return Err("`skip-check` is neither a list nor a string".to_owned()),
    };
    Ok(ids
        .into_iter()
        .filter(|id| !id.is_empty())
        .map(|id| Skip {
            id: crate::rule::PeerCheck::normalize("checkov", &id),
            paths: Vec::new(),
            statement: None,
            expires: None,
        })
        .collect())
}

/// `ignored:` of a `.hadolint.yaml`: a list of rule codes.
fn hadolint_skips(text: &str) -> Result<Vec<Skip>, String> {
    let config = parse_yaml(text)?;
    let ids: Vec<String> = match config.get("ignored") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.trim().to_owned())
            .collect(),
        Some(_) => return Err("`ignored` is not a list".to_owned()),
    };
    Ok(ids
        .into_iter()
        .filter(|id| !id.is_empty())
        .map(|id| Skip {
            id: crate::rule::PeerCheck::normalize("hadolint", &id),
            paths: Vec::new(),
            statement: None,
            expires: None,
        })
        .collect())
}

fn looks_like_yaml_ignore(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        [
            "misconfigurations:",
            "vulnerabilities:",
            "secrets:",
            "licenses:",
        ]
        .iter()
        .any(|key| line.starts_with(key))
    })
}

fn date(text: &str, id: &str) -> Result<jiff::civil::Date, String> {
    jiff::civil::Date::strptime("%Y-%m-%d", text.trim())
        .map_err(|_| format!("{id}: `{text}` is not a date (YYYY-MM-DD)"))
}

fn trivy_text_skips(text: &str) -> Result<Vec<Skip>, String> {
    let mut skips = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        let Some(id) = words.next() else {
            continue;
        };
        let mut expires = None;
        for word in words {
            if let Some(day) = word.strip_prefix("exp:") {
                expires = Some(date(day, id)?);
            }
        }
        skips.push(Skip {
            id: crate::rule::PeerCheck::normalize("trivy", id),
            paths: Vec::new(),
            statement: None,
            expires,
        });
    }
    Ok(skips)
}

fn trivy_yaml_skips(text: &str) -> Result<Vec<Skip>, String> {
    let file = parse_yaml(text)?;
    let mut skips = Vec::new();
    for entry in file
        .get("misconfigurations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(id) = entry.get("id").and_then(Value::as_str) else {
            return Err("a `misconfigurations` entry has no `id`".to_owned());
        };
        let paths = entry
            .get("paths")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        let expires = match entry.get("expired_at").and_then(Value::as_str) {
            Some(day) => Some(date(day, id)?),
            None => None,
        };
        skips.push(Skip {
            id: crate::rule::PeerCheck::normalize("trivy", id),
            paths,
            statement: entry
                .get("statement")
                .and_then(Value::as_str)
                .map(str::to_owned),
            expires,
        });
    }
    Ok(skips)
}

/// The parts of a skip list that have no rampart form.
fn skips_left_out(tool: PeerTool, text: &str) -> Vec<String> {
    let Ok(file) = parse_yaml(text) else {
        return Vec::new();
    };
    let keys: &[(&str, &str)] = match tool {
        PeerTool::Checkov => &[(
            "skip-path",
            "Checkov's `skip-path` (regular expressions): list the paths under `exclude` as globs",
        )],
        PeerTool::Trivy => &[
            (
                "vulnerabilities",
                "Trivy's `vulnerabilities` ignores: not misconfigurations",
            ),
            (
                "secrets",
                "Trivy's `secrets` ignores: not misconfigurations",
            ),
            (
                "licenses",
                "Trivy's `licenses` ignores: not misconfigurations",
            ),
        ],
        PeerTool::Hadolint => &[
            (
                "trustedRegistries",
                "hadolint's `trustedRegistries`: rampart has no registry allow-list",
            ),
            ("override", "hadolint's severity `override`: not imported"),
        ],
    };
    keys.iter()
        .filter(|(key, _)| file.get(key).is_some_and(|v| !v.is_null()))
        .map(|(_, why)| (*why).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::{PeerCheck, RuleMetadata};

    fn rule(id: &str, peers: &[&str]) -> RuleMetadata {
        RuleMetadata {
            id: id.to_owned(),
            title: String::new(),
            description: String::new(),
            severity: crate::Severity::Low,
            help: String::new(),
            help_uri: None,
            remediation: String::new(),
            tags: Vec::new(),
            compliance: Vec::new(),
            kinds: Vec::new(),
            equivalents: peers
                .iter()
                .filter_map(|p| PeerCheck::from_tag(p))
                .collect(),
        }
    }

    fn index() -> PeerIndex {
        PeerIndex::new(&[
            rule("TF-014", &["checkov:CKV_AWS_17", "trivy:AWS-0180"]),
            rule("TF-015", &["checkov:CKV_AWS_16", "trivy:AWS-0080"]),
            rule("TF-004", &["checkov:CKV_AWS_21", "trivy:AWS-0090"]),
        ])
    }

    #[test]
    fn checkov_skip_check_in_both_spellings_and_with_wildcards() {
        let text =
            "framework: terraform\nskip-check: CKV_AWS_17, CKV_AWS_2*\nskip-path: [\"^test/\"]\n";
        let imported = import(PeerTool::Checkov, text, &index()).unwrap();
        let rules: Vec<&str> = imported
            .suppressions
            .iter()
            .map(|s| s.rule.as_str())
            .collect();
        assert_eq!(rules, ["TF-014", "TF-004"]);
        assert_eq!(
            imported.suppressions[0].reason,
            "imported: skip-check CKV_AWS_17 in Checkov's configuration"
        );
        assert_eq!(imported.left_out.len(), 1, "{:?}", imported.left_out);
        assert!(imported.left_out[0].contains("skip-path"));
    }

    #[test]
    fn hadolint_ignored_list() {
        let index = PeerIndex::new(&[
            rule("DF-037", &["hadolint:DL3008"]),
            rule("DF-007", &["trivy:DS-0029", "hadolint:DL3015"]),
        ]);
        let text = "ignored:\n  - DL3008\n  - dl3015\n  - SC2086\ntrustedRegistries: [docker.io]\n";
        let imported = import(PeerTool::Hadolint, text, &index).unwrap();
        let rules: Vec<&str> = imported
            .suppressions
            .iter()
            .map(|s| s.rule.as_str())
            .collect();
        assert_eq!(rules, ["DF-037", "DF-007"]);
        assert_eq!(
            imported.suppressions[1].reason,
            "imported: ignored DL3015 in hadolint's configuration"
        );
        assert_eq!(imported.left_out.len(), 2, "{:?}", imported.left_out);
        assert!(imported.left_out[0].contains("SC2086"));
        assert!(imported.left_out[1].contains("trustedRegistries"));
    }

    #[test]
    fn trivyignore_text_and_yaml() {
        let text = "# accepted\nAVD-AWS-0180 exp:2027-03-01\nAWS-0090\nCVE-2024-1234\n";
        let imported = import(PeerTool::Trivy, text, &index()).unwrap();
        assert_eq!(imported.suppressions.len(), 2);
        assert_eq!(imported.suppressions[0].rule, "TF-014");
        assert_eq!(
            imported.suppressions[0].expires.map(|d| d.to_string()),
            Some("2027-03-01".to_owned())
        );
        assert_eq!(
            imported.left_out,
            ["trivy CVE-2024-1234: no rampart rule is its equivalent"]
        );

        let yaml = "misconfigurations:\n  - id: AVD-AWS-0080\n    paths: [\"db/*.tf\", \"legacy/**\"]\n    statement: restored from an encrypted snapshot\n    expired_at: 2027-01-01\nvulnerabilities:\n  - id: CVE-2024-1234\n";
        let imported = import(PeerTool::Trivy, yaml, &index()).unwrap();
        let out = imported.to_yaml(".trivyignore.yaml");
        assert_eq!(
            out,
            "# Imported from .trivyignore.yaml by `rampart config import`.\nsuppressions:\n  - rule: TF-015\n    path: \"db/*.tf\"\n    reason: \"restored from an encrypted snapshot (AWS-0080 in Trivy's ignore file)\"\n    expires: 2027-01-01\n  - rule: TF-015\n    path: \"legacy/**\"\n    reason: \"restored from an encrypted snapshot (AWS-0080 in Trivy's ignore file)\"\n    expires: 2027-01-01\n"
        );
        assert!(imported.left_out[0].contains("vulnerabilities"));
        // What it writes is a configuration rampart reads.
        let config = crate::Config::parse(&out, "rampart.yaml").unwrap();
        assert_eq!(config.suppressions.len(), 2);
    }

    #[test]
    fn a_bad_date_is_an_error() {
        let error = import(PeerTool::Trivy, "AWS-0180 exp:soon\n", &index()).unwrap_err();
        assert!(error.contains("`soon` is not a date"), "{error}");
    }
}
