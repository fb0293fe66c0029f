//! SARIF 2.1.0, as GitHub code scanning ingests it.
//!
//! What GitHub needs and this writes: rules with short and full
//! descriptions, help (text and Markdown), `security-severity` and tags;
//! results with `ruleId` and `ruleIndex`, `level`, a relative URI with
//! `uriBaseId` `%SRCROOT%`, a region with lines and columns, and
//! `partialFingerprints`; one invocation whose `toolExecutionNotifications`
//! carry the files that could not be parsed and the policies that failed;
//! `automationDetails.id` for the category.

use crate::diagnostic::{Diagnostic, Level};
use crate::results::{Report, ReportRule};
use crate::{Region, Severity};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// Options of the SARIF writer.
#[derive(Debug, Clone, Default)]
pub struct SarifOptions {
    /// `automationDetails.id` prefix, GitHub's "category" (default
    /// `rampart`). Runs with different categories are kept apart.
    pub category: Option<String>,
    /// Absolute directory the relative URIs are relative to, recorded as
    /// `originalUriBaseIds.%SRCROOT%`.
    pub base_dir: Option<std::path::PathBuf>,
}

/// GitHub's `security-severity` score for a severity.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// SARIF `level` of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// Renders the report as a SARIF 2.1.0 log (pretty JSON, trailing newline).
pub fn render(report: &Report, options: &SarifOptions) -> String {
    let mut out = Vec::new();
    // Writing a `Value` into a Vec cannot fail.
    let _ = write(report, options, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as a SARIF 2.1.0 log (pretty JSON, trailing newline).
/// Pass a buffered writer.
pub fn write(
    report: &Report,
    options: &SarifOptions,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let rule_index: BTreeMap<(&str, &str), usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.pack.as_str(), r.rule.id.as_str()), i))
        .collect();
    let rules: Vec<Value> = report.rules.iter().map(rule).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule_id,
                "level": level(f.severity),
                "message": {"text": message_text(&f.message, f.fix.as_deref())},
                "locations": [location(&f.path, f.region)],
                "partialFingerprints": {
                    "primaryLocationLineHash": f.fingerprint,
                    "rampart/v1": f.fingerprint,
                },
                "properties": {
                    "severity": f.severity,
                    "security-severity": security_severity(f.severity),
                    "resource": f.resource_id,
                    "resourceKind": f.resource_kind,
                    "pointer": f.pointer,
                    "pack": f.pack,
                },
            });
            if let Some(index) = rule_index.get(&(f.pack.as_str(), f.rule_id.as_str())) {
                result["ruleIndex"] = json!(index);
            }
            if let Some(hash) = &f.secret_hash {
                result["properties"]["secretHash"] = json!(hash);
            }
            if let Some(origin) = &f.commit {
                result["properties"]["commit"] = json!(origin.commit);
                result["properties"]["commitDate"] = json!(origin.date);
            }
            if !f.related.is_empty() {
                result["relatedLocations"] = f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, related)| {
                        let mut place = match &related.path {
                            Some(path) => location(path, related.region),
                            None => json!({}),
                        };
                        place["id"] = json!(id);
                        place["message"] = json!({ "text": related.message });
                        place
                    })
                    .collect();
            }
            if let Some(suppression) = &f.suppression {
                result["suppressions"] = json!([{
                    "kind": suppression.kind,
                    "status": "accepted",
                    "justification": suppression.justification,
                }]);
            }
            result
        })
        .collect();
    let notifications: Vec<Value> = report.diagnostics.iter().map(notification).collect();
    let category = options
        .category
        .as_deref()
        .unwrap_or("rampart")
        .trim_end_matches('/');
    let mut run = json!({
        "tool": {"driver": {
            "name": "rampart",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/rampart-scanner/rampart",
            "rules": rules,
        }},
        "automationDetails": {"id": format!("{category}/")},
        "invocations": [{
            "executionSuccessful": !report.diagnostics.iter().any(|d| d.level == Level::Error),
            "toolExecutionNotifications": notifications,
        }],
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(base) = &options.base_dir {
        run["originalUriBaseIds"] = json!({"%SRCROOT%": {"uri": dir_uri(base)}});
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_writer_pretty(&mut *out, &log).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

fn rule(r: &ReportRule) -> Value {
    let rule = &r.rule;
    let mut tags = vec!["security".to_owned()];
    tags.extend(rule.tags.iter().filter(|t| *t != "security").cloned());
    tags.extend(
        rule.compliance
            .iter()
            .map(|c| format!("{}:{}", c.framework, c.id)),
    );
    let mut help = format!("{}\n\n", rule.description);
    if !rule.help.is_empty() {
        help.push_str(&format!("{}\n\n", rule.help));
    }
    if !rule.remediation.is_empty() {
        help.push_str(&format!("Remediation: {}\n", rule.remediation));
    }
    if !rule.compliance.is_empty() {
        let controls: Vec<String> = rule.compliance.iter().map(ToString::to_string).collect();
        help.push_str(&format!("\nCompliance: {}\n", controls.join("; ")));
    }
    let mut markdown = format!("**{}**\n\n{}\n\n", rule.title, rule.description);
    if !rule.help.is_empty() {
        markdown.push_str(&format!("{}\n\n", rule.help));
    }
    if !rule.remediation.is_empty() {
        markdown.push_str(&format!("### Remediation\n\n{}\n\n", rule.remediation));
    }
    if !rule.compliance.is_empty() {
        markdown.push_str("### Compliance\n\n");
        for c in &rule.compliance {
            markdown.push_str(&format!("- {c}\n"));
        }
    }
    let mut value = json!({
        "id": rule.id,
        "name": rule_name(&rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": if rule.description.is_empty() { &rule.title } else { &rule.description }},
        "help": {"text": help.trim_end(), "markdown": markdown.trim_end()},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {
            "tags": tags,
            "precision": "high",
            "problem.severity": level(rule.severity),
            "security-severity": security_severity(rule.severity),
            "pack": r.pack,
            "packVersion": r.pack_version,
            "kinds": rule.kinds,
        },
    });
    if !rule.equivalents.is_empty() {
        // `checkov:CKV_AWS_16`: what a team searching for the check it
        // used to gate on finds the rule by.
        let peers: Vec<String> = rule.equivalents.iter().map(ToString::to_string).collect();
        value["properties"]["equivalents"] = json!(peers);
    }
    if let Some(uri) = &rule.help_uri {
        value["helpUri"] = json!(uri);
    }
    value
}

/// `Container runs privileged` → `ContainerRunsPrivileged`.
fn rule_name(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn message_text(message: &str, fix: Option<&str>) -> String {
    match fix {
        Some(fix) => format!("{message}. Fix: {fix}"),
        None => message.to_owned(),
    }
}

fn location(path: &str, region: Option<Region>) -> Value {
    let mut physical = json!({ "artifactLocation": artifact_location(path) });
    if let Some(r) = region {
        physical["region"] = json!({
            "startLine": r.start_line.max(1),
            "startColumn": r.start_column.max(1),
            "endLine": r.end_line.max(r.start_line).max(1),
            "endColumn": if r.end_line > r.start_line { r.end_column.max(1) } else { r.end_column.max(r.start_column + 1) },
        });
    }
    json!({"physicalLocation": physical})
}

fn notification(d: &Diagnostic) -> Value {
    let level = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    };
    let kind = serde_json::to_value(d.kind).unwrap_or(Value::Null);
    let mut value = json!({
        "level": level,
        "message": {"text": d.message},
        "descriptor": {"id": kind},
    });
    if let Some(path) = &d.path {
        value["locations"] = json!([location(path, d.region)]);
    }
    value
}

/// Where a reported path is: relative to `%SRCROOT%` for the scanned
/// files; an absolute URI, with no base, for what lies outside the
/// checkout — a host's file (`/etc/ssh/sshd_config` of `--root /` becomes
/// `file:///etc/ssh/sshd_config`) or a remote host's
/// (`ssh://deploy@web1:22/etc/passwd`, kept as it is).
fn artifact_location(path: &str) -> Value {
    if let Some(rest) = path.strip_prefix("ssh://") {
        let (authority, file) = rest.split_once('/').unwrap_or((rest, ""));
        return json!({"uri": format!("ssh://{authority}/{}", uri_path(file))});
    }
    if path.starts_with('/') {
        return json!({"uri": format!("file://{}", uri_path(path))});
    }
    json!({"uri": uri_path(path), "uriBaseId": "%SRCROOT%"})
}

/// Percent-encodes a relative path for a URI, keeping `/`.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn dir_uri(dir: &Path) -> String {
    let mut path = dir.to_string_lossy().replace('\\', "/");
    if !path.ends_with('/') {
        path.push('/');
    }
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    format!("file://{}", uri_path(&path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(
            rule_name("Container runs privileged"),
            "ContainerRunsPrivileged"
        );
        assert_eq!(rule_name("`curl | sh` in RUN"), "CurlShInRUN");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri_path("deploy/my app/ä.yaml"),
            "deploy/my%20app/%C3%A4.yaml"
        );
        assert_eq!(dir_uri(Path::new("/src/repo")), "file:///src/repo/");
    }
}
