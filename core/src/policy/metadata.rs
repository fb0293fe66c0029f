//! A pack's `metadata()` converted into the model's [`PackMetadata`] and
//! checked, once at load.

use super::bindings::rampart::policy::types::{self as wit};
use crate::Severity;
use crate::rule::{ComplianceControl, PackMetadata, PeerCheck, RuleMetadata};

pub(crate) fn severity_from_wit(severity: wit::Severity) -> Severity {
    match severity {
        wit::Severity::Info => Severity::Info,
        wit::Severity::Low => Severity::Low,
        wit::Severity::Medium => Severity::Medium,
        wit::Severity::High => Severity::High,
        wit::Severity::Critical => Severity::Critical,
    }
}

/// Converts and checks what `metadata()` returned. Errors describe every
/// problem found, so the pack author can fix them in one go.
pub(crate) fn from_wit(info: wit::PackInfo) -> Result<PackMetadata, Vec<String>> {
    let mut problems = Vec::new();
    if !is_name(&info.name, false) {
        problems.push(format!(
            "pack name `{}` is invalid: use 1–64 letters, digits, `-` or `_`",
            info.name
        ));
    }
    if info.version.trim().is_empty() {
        problems.push("pack version is empty".to_owned());
    }
    let mut seen = std::collections::BTreeSet::new();
    for rule in &info.rules {
        if !is_name(&rule.id, true) {
            problems.push(format!(
                "rule id `{}` is invalid: use 1–64 letters, digits, `-`, `_` or `.`",
                rule.id
            ));
        } else if !seen.insert(rule.id.clone()) {
            problems.push(format!("rule id `{}` is declared twice", rule.id));
        }
        if rule.title.trim().is_empty() {
            problems.push(format!("rule `{}` has no title", rule.id));
        }
        if rule.kinds.iter().any(|k| k.trim().is_empty()) {
            problems.push(format!("rule `{}` names an empty resource kind", rule.id));
        }
        for tag in &rule.tags {
            let peer = tag.split_once(':').is_some_and(|(tool, _)| {
                PeerCheck::TOOLS
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(tool))
            });
            if peer && PeerCheck::from_tag(tag).is_none() {
                problems.push(format!(
                    "rule `{}`: tag `{tag}` names no check: write `tool:ID` with an id of letters, digits, `_` and `-`",
                    rule.id
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(PackMetadata {
        name: info.name,
        version: info.version,
        description: info.description,
        rules: info
            .rules
            .into_iter()
            .map(|r| {
                let (equivalents, tags): (Vec<_>, Vec<_>) = r
                    .tags
                    .into_iter()
                    .partition(|tag| PeerCheck::from_tag(tag).is_some());
                let mut equivalents: Vec<PeerCheck> = equivalents
                    .iter()
                    .filter_map(|tag| PeerCheck::from_tag(tag))
                    .collect();
                equivalents.sort();
                equivalents.dedup();
                RuleMetadata {
                    id: r.id,
                    title: r.title,
                    description: r.description,
                    severity: severity_from_wit(r.severity),
                    help: r.help,
                    help_uri: r.help_uri,
                    remediation: r.remediation,
                    tags,
                    equivalents,
                    compliance: r
                        .compliance
                        .into_iter()
                        .map(|c| ComplianceControl {
                            framework: c.framework,
                            id: c.id,
                        })
                        .collect(),
                    kinds: r.kinds,
                }
            })
            .collect(),
    })
}

fn is_name(s: &str, allow_dot: bool) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || (allow_dot && c == '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(tags: &[&str]) -> wit::PackInfo {
        wit::PackInfo {
            name: "p".to_owned(),
            version: "1.0.0".to_owned(),
            description: String::new(),
            rules: vec![wit::Rule {
                id: "P-001".to_owned(),
                title: "t".to_owned(),
                description: String::new(),
                severity: wit::Severity::Low,
                help: String::new(),
                help_uri: None,
                remediation: String::new(),
                tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                compliance: Vec::new(),
                kinds: Vec::new(),
            }],
        }
    }

    /// Peer tags become equivalents, one spelling each, sorted; the other
    /// tags stay tags.
    #[test]
    fn peer_tags_are_equivalents() {
        let pack = from_wit(info(&[
            "aws",
            "trivy:AVD-AWS-0080",
            "checkov:CKV_AWS_16",
            "trivy:aws-0080",
            "Checkov:CKV_AWS_96",
        ]))
        .unwrap();
        let rule = &pack.rules[0];
        assert_eq!(rule.tags, ["aws"]);
        let peers: Vec<String> = rule.equivalents.iter().map(ToString::to_string).collect();
        assert_eq!(
            peers,
            ["checkov:CKV_AWS_16", "checkov:CKV_AWS_96", "trivy:AWS-0080"]
        );
    }

    #[test]
    fn malformed_peer_tags_are_refused() {
        let problems = from_wit(info(&["checkov:", "trivy:AWS 0080"])).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("`checkov:`"), "{problems:?}");
    }
}
