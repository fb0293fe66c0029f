//! The JSON report: rampart's own stable format (`docs/formats/json.md`).
//!
//! ```json
//! {"version": 1, "tool": {"name": "rampart", "version": "0.1.0"},
//!  "summary": {...}, "findings": [...], "diagnostics": [...], "rules": [...]}
//! ```
//!
//! Additive changes keep `version` 1; anything else bumps it.

use crate::Severity;
use crate::results::Report;
use serde::Serialize;
use std::collections::BTreeMap;

/// The format's version.
pub const FORMAT_VERSION: u32 = 1;

/// Renders the report as pretty-printed JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and the report serialises without
    // error (only strings, numbers and string-keyed maps).
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as pretty-printed JSON with a trailing newline.
///
/// The bytes are exactly `serde_json::to_writer_pretty` of the document
/// (a test holds it to that), but the findings, which are nearly all of a
/// large report, are serialised in parallel: 100,000 findings are ~60 MB
/// of JSON. Pass a buffered writer.
pub fn write(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let document = document(report);
    out.write_all(b"{\n")?;
    member(out, "version", &document.version)?;
    out.write_all(b",\n")?;
    member(out, "tool", &document.tool)?;
    out.write_all(b",\n")?;
    member(out, "summary", &document.summary)?;
    if !report.stats.hosts.is_empty() {
        out.write_all(b",\n")?;
        member(out, "hosts", &document.hosts)?;
    }
    out.write_all(b",\n  \"findings\": ")?;
    write_findings_parallel(out, document.findings)?;
    out.write_all(b",\n")?;
    member(out, "diagnostics", &document.diagnostics)?;
    out.write_all(b",\n")?;
    member(out, "rules", &document.rules)?;
    out.write_all(b"\n}\n")
}

fn document(report: &Report) -> JsonReport<'_> {
    // One pass over the findings: this runs before the first byte of a
    // report is written, and a large report has 100,000 findings.
    let mut counts = [0usize; Severity::ALL.len()];
    let mut suppressed = 0;
    for finding in &report.findings {
        if finding.suppression.is_some() {
            suppressed += 1;
        } else {
            counts[finding.severity as usize] += 1;
        }
    }
    let by_severity: BTreeMap<&str, usize> = Severity::ALL
        .iter()
        .map(|s| (s.as_str(), counts[*s as usize]))
        .collect();
    JsonReport {
        version: FORMAT_VERSION,
        tool: Tool {
            name: "rampart",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            findings: report.findings.len(),
            suppressed,
            baseline: report.stats.baseline,
            by_severity,
            diagnostics: report.diagnostics.len(),
            files_walked: report.stats.files_walked,
            files_ignored: report.stats.files_ignored,
            files_with_resources: report.stats.files_with_resources,
            resources: report.stats.resources,
            hosts: report.stats.hosts.len(),
        },
        hosts: &report.stats.hosts,
        findings: &report.findings,
        diagnostics: &report.diagnostics,
        rules: &report.rules,
    }
}

/// `  "name": value` at the first level of indentation: serde_json's own
/// rendering of `{"name": value}` without its braces.
fn member(
    out: &mut impl std::io::Write,
    name: &str,
    value: &impl Serialize,
) -> std::io::Result<()> {
    let wrapped = serde_json::to_vec_pretty(&BTreeMap::from([(name, value)]))?;
    out.write_all(strip(&wrapped, b"{\n", b"\n}"))
}

/// A pretty array at the first level of indentation, its items serialised
/// in parallel chunks and written in order.
///
/// Each chunk is serde_json's rendering of `{"x": [items]}` cut down to
/// its items, which are then at the depth they have in the report. Chunks
/// are rendered a wave at a time and written before the next wave: holding
/// a whole large report's text (tens of MB) at once only costs page faults.
///
/// A finding is rendered by [`write_finding`], which writes what
/// serde_json would (the test below holds it to that) without serde's
/// byte-at-a-time string escaping: that loop was the largest host-side cost
/// of a report with 100,000 findings.
fn write_findings_parallel(
    out: &mut impl std::io::Write,
    items: &[crate::Finding],
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const CHUNK: usize = 512;
    let wave = CHUNK * 4 * rayon::current_num_threads().max(1);
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    let render = |wave_items: &[crate::Finding]| -> Result<Vec<Vec<u8>>, serde_json::Error> {
        wave_items
            .par_chunks(CHUNK)
            .map(|chunk| {
                // Sized for a typical finding, so the buffer rarely regrows.
                let mut text = Vec::with_capacity(chunk.len() * 768);
                text.extend_from_slice(b"{\n  \"x\": [");
                for (i, finding) in chunk.iter().enumerate() {
                    if i > 0 {
                        text.push(b',');
                    }
                    write_finding(&mut text, finding)?;
                }
                text.extend_from_slice(b"\n  ]\n}");
                Ok(text)
            })
            .collect()
    };
    out.write_all(b"[")?;
    let mut waves = items.chunks(wave);
    let mut pending = waves.next().map(render).transpose()?;
    let mut first = true;
    while let Some(chunks) = pending.take() {
        // Write this wave while the next one renders: the write is the
        // one part of the report that runs on a single thread (and the
        // writer need not be `Send`: it stays on this one).
        let mut next = None;
        let next_items = waves.next();
        rayon::in_place_scope(|scope| -> std::io::Result<()> {
            if let Some(wave_items) = next_items {
                let next = &mut next;
                let render = &render;
                scope.spawn(move |_| *next = Some(render(wave_items)));
            }
            for chunk in &chunks {
                if !first {
                    out.write_all(b",")?;
                }
                first = false;
                out.write_all(strip(chunk, b"{\n  \"x\": [", b"\n  ]\n}"))?;
            }
            Ok(())
        })?;
        pending = next.transpose()?;
    }
    out.write_all(b"\n  ]")
}

/// One finding as an item of the report's `findings` array: a newline,
/// four spaces, and the object pretty-printed at that depth.
fn write_finding(out: &mut Vec<u8>, finding: &crate::Finding) -> Result<(), serde_json::Error> {
    use crate::resource::write_json_string;
    if finding.suppression.is_some() || !finding.related.is_empty() || finding.commit.is_some() {
        // Rare, and nested structures of their own: serde renders them.
        let wrapped = serde_json::to_vec_pretty(&BTreeMap::from([("x", [finding])]))?;
        out.extend_from_slice(strip(&wrapped, b"{\n  \"x\": [", b"\n  ]\n}"));
        return Ok(());
    }
    let field = |out: &mut Vec<u8>, first: bool, name: &str| {
        if !first {
            out.push(b',');
        }
        out.extend_from_slice(b"\n      \"");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\": ");
    };
    out.extend_from_slice(b"\n    {");
    field(out, true, "path");
    write_json_string(out, &finding.path);
    if let Some(region) = &finding.region {
        field(out, false, "region");
        let mut number = itoa::Buffer::new();
        out.extend_from_slice(b"{\n        \"startLine\": ");
        out.extend_from_slice(number.format(region.start_line).as_bytes());
        out.extend_from_slice(b",\n        \"startColumn\": ");
        out.extend_from_slice(number.format(region.start_column).as_bytes());
        out.extend_from_slice(b",\n        \"endLine\": ");
        out.extend_from_slice(number.format(region.end_line).as_bytes());
        out.extend_from_slice(b",\n        \"endColumn\": ");
        out.extend_from_slice(number.format(region.end_column).as_bytes());
        out.extend_from_slice(b"\n      }");
    }
    field(out, false, "rule_id");
    write_json_string(out, &finding.rule_id);
    field(out, false, "pack");
    write_json_string(out, &finding.pack);
    field(out, false, "severity");
    write_json_string(out, finding.severity.as_str());
    field(out, false, "message");
    write_json_string(out, &finding.message);
    if let Some(fix) = &finding.fix {
        field(out, false, "fix");
        write_json_string(out, fix);
    }
    field(out, false, "resource_id");
    write_json_string(out, &finding.resource_id);
    field(out, false, "resource_kind");
    write_json_string(out, &finding.resource_kind);
    field(out, false, "pointer");
    write_json_string(out, &finding.pointer);
    field(out, false, "fingerprint");
    write_json_string(out, &finding.fingerprint);
    if let Some(hash) = &finding.secret_hash {
        field(out, false, "secret_hash");
        write_json_string(out, hash);
    }
    out.extend_from_slice(b"\n    }");
    Ok(())
}

fn strip<'a>(bytes: &'a [u8], prefix: &[u8], suffix: &[u8]) -> &'a [u8] {
    let bytes = bytes.strip_prefix(prefix).unwrap_or(bytes);
    bytes.strip_suffix(suffix).unwrap_or(bytes)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    summary: Summary<'a>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    hosts: &'a [crate::results::HostSummary],
    findings: &'a [crate::Finding],
    diagnostics: &'a [crate::Diagnostic],
    rules: &'a [crate::results::ReportRule],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary<'a> {
    findings: usize,
    suppressed: usize,
    baseline: usize,
    by_severity: BTreeMap<&'a str, usize>,
    diagnostics: usize,
    files_walked: usize,
    files_ignored: usize,
    files_with_resources: usize,
    resources: usize,
    hosts: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Finding, Region};

    fn finding(i: usize) -> Finding {
        Finding {
            path: format!("dir/file-{:05}.yaml", i / 3),
            region: i.is_multiple_of(2).then_some(Region {
                start_line: i as u32 + 1,
                start_column: 1,
                end_line: i as u32 + 2,
                end_column: 7,
            }),
            rule_id: "K8S-001".into(),
            pack: "kubernetes".into(),
            severity: Severity::ALL[i % 5],
            suppression: i.is_multiple_of(7).then(|| crate::finding::Suppression {
                kind: crate::finding::SuppressionKind::InSource,
                justification: format!("reviewed \"{i}\""),
            }),
            message: if i.is_multiple_of(5) {
                format!("plain message {i} ü ✓")
            } else {
                format!("line one\nline \"two\" {i}\t\\ \u{1}")
            },
            fix: i.is_multiple_of(3).then(|| "set `x: {}`".to_owned()),
            commit: None,
            secret_hash: None,
            snippet: None,
            resource_id: format!("k8s:Pod/default/p{i}"),
            resource_kind: "k8s".into(),
            pointer: "/spec/containers/0".into(),
            fingerprint: format!("{i:032x}"),
            related: if i.is_multiple_of(4) {
                vec![crate::resource::RelatedLocation {
                    path: i.is_multiple_of(8).then(|| "main.tf".to_owned()),
                    region: Some(Region::line(3, 1, 1)),
                    message: format!("module.m{i} called"),
                }]
            } else {
                Vec::new()
            },
        }
    }

    /// The hand-assembled, parallel output is byte for byte what serde_json
    /// prints for the whole document, for empty, small and multi-chunk
    /// reports.
    #[test]
    fn parallel_writer_matches_serde_pretty() {
        // Up to several waves of chunks, with a partial last chunk and wave.
        for n in [0, 1, 2, 511, 512, 513, 3000, 2048 * 8 + 700] {
            let report = Report {
                findings: (0..n).map(finding).collect(),
                ..Report::default()
            };
            let rendered = render(&report);
            let mut expected = serde_json::to_string_pretty(&document(&report)).unwrap();
            expected.push('\n');
            assert!(rendered == expected, "{n} findings: output differs");
            let value: serde_json::Value = serde_json::from_str(&rendered).unwrap();
            assert_eq!(value["findings"].as_array().unwrap().len(), n);
        }
    }
}
