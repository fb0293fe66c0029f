//! Human-readable listings for a terminal: packs and their rules (`policy
//! list`, `policy inspect`, `policy build`) and the findings a policy
//! returned (`policy eval`).
//!
//! Every string a pack or a policy wrote — names, titles, descriptions,
//! messages, pointers, fixes — goes through [`terminal_safe`]: a pack named
//! in a repository's `rampart.yaml` is as untrusted as the repository, and
//! a policy's message often quotes a scanned value.

use super::terminal_safe;
use crate::finding::PolicyFinding;
use crate::rule::PackMetadata;
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

/// What is known about a loaded pack beside its metadata.
#[derive(Debug, Clone, Copy)]
pub struct PackFacts<'a> {
    /// Where it was loaded from (a path, `builtin:NAME`, a URL).
    pub origin: &'a str,
    /// Lowercase hex SHA-256 of the component.
    pub digest: &'a str,
    /// Size of the component in bytes.
    pub size: usize,
    /// The component's imports, in order.
    pub imports: &'a [String],
    /// The component's exports, in order.
    pub exports: &'a [String],
    /// What the pack asks the host to find in text for it.
    pub detectors: &'a [crate::rule::Detector],
    /// How loading went, in words ("in 12.0 ms (compiled component: Hit)").
    pub load: &'a str,
}

/// `policy list`: each pack, its description and its rule table.
pub fn write_pack_list(out: &mut impl Write, packs: &[&PackMetadata]) -> io::Result<()> {
    for pack in packs {
        writeln!(
            out,
            "{} {} — {} rules",
            terminal_safe(&pack.name),
            terminal_safe(&pack.version),
            pack.rules.len()
        )?;
        writeln!(out, "  {}", terminal_safe(&pack.description))?;
        write_rule_table(out, pack)?;
        writeln!(out)?;
    }
    Ok(())
}

/// A pack's rules as an aligned table: id, severity, title.
pub fn write_rule_table(out: &mut impl Write, pack: &PackMetadata) -> io::Result<()> {
    let ids: Vec<_> = pack.rules.iter().map(|r| terminal_safe(&r.id)).collect();
    let id_width = ids
        .iter()
        .map(|id| id.chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    writeln!(out, "  {:<id_width$}  {:<8}  TITLE", "ID", "SEVERITY")?;
    for (id, rule) in ids.iter().zip(&pack.rules) {
        writeln!(
            out,
            "  {id:<id_width$}  {:<8}  {}",
            rule.severity,
            terminal_safe(&rule.title)
        )?;
    }
    Ok(())
}

/// `policy inspect`: the component's facts, then every rule in full.
pub fn write_pack_details(
    out: &mut impl Write,
    pack: &PackMetadata,
    facts: &PackFacts<'_>,
) -> io::Result<()> {
    writeln!(
        out,
        "pack     {} {}",
        terminal_safe(&pack.name),
        terminal_safe(&pack.version)
    )?;
    writeln!(out, "origin   {}", terminal_safe(facts.origin))?;
    writeln!(out, "sha256   {}", facts.digest)?;
    writeln!(out, "size     {:.1} KiB", facts.size as f64 / 1024.0)?;
    writeln!(out, "loaded   {}", facts.load)?;
    writeln!(out, "exports  {}", joined(facts.exports, ", "))?;
    writeln!(out, "imports")?;
    for import in facts.imports {
        writeln!(out, "  {}", terminal_safe(import))?;
    }
    writeln!(out)?;
    writeln!(out, "{}", terminal_safe(&pack.description))?;
    writeln!(out)?;
    for rule in &pack.rules {
        writeln!(
            out,
            "{}  [{}]  {}",
            terminal_safe(&rule.id),
            rule.severity,
            terminal_safe(&rule.title)
        )?;
        if !rule.description.is_empty() {
            writeln!(out, "  {}", terminal_safe(&rule.description))?;
        }
        if !rule.kinds.is_empty() {
            writeln!(out, "  kinds:       {}", joined(&rule.kinds, ", "))?;
        }
        if !rule.compliance.is_empty() {
            let controls: Vec<String> = rule.compliance.iter().map(ToString::to_string).collect();
            writeln!(out, "  compliance:  {}", joined(&controls, "; "))?;
        }
        if !rule.remediation.is_empty() {
            writeln!(out, "  remediation: {}", terminal_safe(&rule.remediation))?;
        }
        if let Some(uri) = &rule.help_uri {
            writeln!(out, "  help:        {}", terminal_safe(uri))?;
        }
        for detector in facts.detectors.iter().filter(|d| d.rule_id() == rule.id) {
            let keywords = if detector.keywords().is_empty() {
                "(every text)".to_owned()
            } else {
                joined(detector.keywords(), ", ")
            };
            writeln!(
                out,
                "  detector:    {keywords} → `{}`",
                terminal_safe(detector.pattern())
            )?;
        }
    }
    Ok(())
}

/// `policy build`: the component written, its rules and how it loads.
pub fn write_build(
    out: &mut impl Write,
    component: &Path,
    elapsed: Duration,
    pack: &PackMetadata,
    facts: &PackFacts<'_>,
) -> io::Result<()> {
    writeln!(
        out,
        "built    {} ({:.1} MiB) in {:.1} s",
        terminal_safe(&component.display().to_string()),
        facts.size as f64 / (1024.0 * 1024.0),
        elapsed.as_secs_f64()
    )?;
    let rules: Vec<String> = pack.rules.iter().map(|r| r.id.clone()).collect();
    let noun = if rules.len() == 1 { "rule" } else { "rules" };
    writeln!(
        out,
        "pack     {} {}: {} {noun} ({})",
        terminal_safe(&pack.name),
        terminal_safe(&pack.version),
        rules.len(),
        joined(&rules, ", ")
    )?;
    writeln!(out, "imports  {}", joined(facts.imports, ", "))?;
    writeln!(out, "sha256   {}", facts.digest)?;
    writeln!(out, "load     {}", facts.load)?;
    Ok(())
}

/// `policy eval`: each finding as the policy returned it (a pointer, not
/// yet a line), then the count of findings and of policy errors.
pub fn write_policy_findings(
    out: &mut impl Write,
    findings: &[PolicyFinding],
    errors: usize,
) -> io::Result<()> {
    for finding in findings {
        writeln!(
            out,
            "{:<8}  {}  {}  {}",
            finding.severity,
            terminal_safe(&finding.rule_id),
            terminal_safe(&finding.resource_id),
            terminal_safe(&finding.message)
        )?;
        let pointer = if finding.pointer.is_empty() {
            "/"
        } else {
            &finding.pointer
        };
        writeln!(out, "          at {}", terminal_safe(pointer))?;
        if let Some(fix) = &finding.fix {
            writeln!(out, "          fix: {}", terminal_safe(fix))?;
        }
    }
    writeln!(out, "{} findings, {errors} policy errors", findings.len())
}

/// `items` escaped and joined.
fn joined(items: &[String], separator: &str) -> String {
    items
        .iter()
        .map(|item| terminal_safe(item))
        .collect::<Vec<_>>()
        .join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;
    use crate::rule::RuleMetadata;

    #[test]
    fn a_policy_message_cannot_drive_the_terminal() {
        let finding = PolicyFinding {
            pack: "p".into(),
            rule_id: "R\u{1b}]0;owned\u{7}".into(),
            resource_id: "k8s:Pod/x".into(),
            pointer: "/a\r/b".into(),
            message: "bad\u{1b}[2K\r0 findings".into(),
            severity: Severity::High,
            fix: Some("fix\u{202e}".into()),
        };
        let mut out = Vec::new();
        write_policy_findings(&mut out, &[finding], 0).expect("written to memory");
        let text = String::from_utf8(out).expect("UTF-8");
        assert_eq!(
            text,
            "high      R\\u{1b}]0;owned\\u{7}  k8s:Pod/x  bad\\u{1b}[2K\\u{d}0 findings\n\
             \x20         at /a\\u{d}/b\n\
             \x20         fix: fix\\u{202e}\n\
             1 findings, 0 policy errors\n"
        );
    }

    #[test]
    fn pack_metadata_cannot_drive_the_terminal() {
        let pack = PackMetadata {
            name: "evil\u{1b}[1A".into(),
            version: "1".into(),
            description: "line\nforged".into(),
            rules: vec![RuleMetadata {
                id: "E1".into(),
                title: "t\u{9b}31m".into(),
                description: String::new(),
                severity: Severity::Low,
                help: String::new(),
                help_uri: None,
                remediation: String::new(),
                tags: Vec::new(),
                compliance: Vec::new(),
                equivalents: Vec::new(),
                kinds: Vec::new(),
            }],
        };
        let mut out = Vec::new();
        write_pack_list(&mut out, &[&pack]).expect("written to memory");
        let text = String::from_utf8(out).expect("UTF-8");
        assert_eq!(
            text,
            "evil\\u{1b}[1A 1 — 1 rules\n  line\\u{a}forged\n  ID  SEVERITY  TITLE\n  E1  low       t\\u{9b}31m\n\n"
        );
    }
}
