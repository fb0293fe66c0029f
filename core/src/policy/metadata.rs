//! A pack's `metadata()` converted into the model's [`PackMetadata`] and
//! checked, once at load.

use super::bindings::rampart::policy::types::{self as wit};
use crate::Severity;
use crate::rule::{ComplianceControl, PackMetadata, RuleMetadata};

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
            .map(|r| RuleMetadata {
                id: r.id,
                title: r.title,
                description: r.description,
                severity: severity_from_wit(r.severity),
                help: r.help,
                help_uri: r.help_uri,
                remediation: r.remediation,
                tags: r.tags,
                compliance: r
                    .compliance
                    .into_iter()
                    .map(|c| ComplianceControl {
                        framework: c.framework,
                        id: c.id,
                    })
                    .collect(),
                kinds: r.kinds,
            })
            .collect(),
    })
}

fn is_name(s: &str, allow_dot: bool) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || (allow_dot && c == '.'))
}
