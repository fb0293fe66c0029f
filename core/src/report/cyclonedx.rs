//! CycloneDX 1.6 JSON (<https://cyclonedx.org/docs/1.6/json/>): a software
//! bill of materials of the dependency inventory, with the vulnerabilities
//! the advisory database matched (CycloneDX's VEX section).
//!
//! Unlike the other formats this one renders an [`Inventory`], not a
//! report: an SBOM lists what is there, findings or not. The output is
//! deterministic — components sorted by package URL, no timestamp, and a
//! serial number derived from the content — so the same tree yields the
//! same bytes and an SBOM can be diffed or committed.

use crate::inventory::Inventory;
use crate::resource::Resource;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What the SBOM says about itself.
#[derive(Debug, Clone, Default)]
pub struct SbomOptions {
    /// Name of the component the SBOM describes (default: `project`).
    pub name: Option<String>,
}

/// A component being assembled: one per package URL.
struct Component<'a> {
    resource: &'a Resource,
    occurrences: Vec<(String, Option<u32>)>,
}

/// The SBOM of the dependencies in `inventory`.
///
/// ```
/// use rampart_core::inventory::{FileInventory, FileFormat, Inventory, dependencies};
/// let text = "flask==3.0.3\n";
/// let resources = dependencies::resources("requirements.txt", dependencies::Lockfile::Pip, text).unwrap();
/// let inventory = Inventory {
///     files: vec![FileInventory { path: "requirements.txt".into(), format: FileFormat::Lockfile(dependencies::Lockfile::Pip), resources, suppressions: vec![], sources: Default::default(), commit: None }],
///     ..Default::default()
/// };
/// let bom = rampart_core::report::cyclonedx::build(&inventory, &Default::default());
/// assert_eq!(bom["specVersion"], "1.6");
/// assert_eq!(bom["components"][0]["purl"], "pkg:pypi/flask@3.0.3");
/// assert_eq!(bom["components"][0]["evidence"]["occurrences"][0]["line"], 1);
/// ```
pub fn build(inventory: &Inventory, options: &SbomOptions) -> Value {
    let mut components: BTreeMap<&str, Component<'_>> = BTreeMap::new();
    for file in &inventory.files {
        for resource in file
            .resources
            .iter()
            .filter(|r| r.kind == crate::resource::kind::DEPENDENCY)
        {
            let Some(purl) = resource.document["purl"].as_str() else {
                continue;
            };
            let line = resource.spans.get("").map(|r| r.start_line);
            components
                .entry(purl)
                .or_insert_with(|| Component {
                    resource,
                    occurrences: Vec::new(),
                })
                .occurrences
                .push((resource.source.clone(), line));
        }
    }
    // Vulnerabilities by id, each with the components it affects.
    let mut vulnerabilities: BTreeMap<String, (Value, Vec<&str>)> = BTreeMap::new();
    let mut out_components = Vec::with_capacity(components.len());
    for (purl, component) in &components {
        let document = &component.resource.document;
        let mut entry = json!({
            "type": "library",
            "bom-ref": purl,
            "name": document["name"],
            "purl": purl,
        });
        let object = entry.as_object_mut();
        if let Some(object) = object {
            if let Some(version) = document["version"].as_str() {
                object.insert("version".into(), json!(version));
            }
            if document["dev"].as_bool() == Some(true) {
                object.insert("scope".into(), json!("optional"));
            }
            let mut properties =
                vec![json!({"name": "rampart:ecosystem", "value": document["ecosystem"]})];
            if let Some(direct) = document["direct"].as_bool() {
                properties.push(json!({"name": "rampart:direct", "value": direct.to_string()}));
            }
            object.insert("properties".into(), Value::Array(properties));
            let mut occurrences: Vec<Value> = component
                .occurrences
                .iter()
                .map(|(path, line)| match line {
                    Some(line) => json!({"location": path, "line": line}),
                    None => json!({"location": path}),
                })
                .collect();
            occurrences.dedup();
            object.insert("evidence".into(), json!({"occurrences": occurrences}));
        }
        out_components.push(entry);
        for advisory in document["advisories"].as_array().into_iter().flatten() {
            let Some(id) = advisory["id"].as_str() else {
                continue;
            };
            vulnerabilities
                .entry(id.to_owned())
                .or_insert_with(|| (vulnerability(advisory), Vec::new()))
                .1
                .push(purl);
        }
    }
    let mut out_vulnerabilities = Vec::with_capacity(vulnerabilities.len());
    for (_, (mut vulnerability, mut affected)) in vulnerabilities {
        affected.sort_unstable();
        affected.dedup();
        if let Some(object) = vulnerability.as_object_mut() {
            object.insert(
                "affects".into(),
                Value::Array(affected.iter().map(|r| json!({"ref": r})).collect()),
            );
        }
        out_vulnerabilities.push(vulnerability);
    }
    let name = options.name.clone().unwrap_or_else(|| "project".to_owned());
    let mut bom = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "",
        "version": 1,
        "metadata": {
            "tools": {"components": [{
                "type": "application",
                "name": "rampart",
                "version": env!("CARGO_PKG_VERSION"),
            }]},
            "component": {"type": "application", "bom-ref": "rampart:root", "name": name},
        },
        "components": out_components,
    });
    if let Some(object) = bom.as_object_mut() {
        if !out_vulnerabilities.is_empty() {
            object.insert("vulnerabilities".into(), Value::Array(out_vulnerabilities));
        }
        let digest = Sha256::digest(bom.to_string().as_bytes());
        if let Some(object) = bom.as_object_mut() {
            object.insert("serialNumber".into(), json!(serial_number(&digest)));
        }
    }
    bom
}

/// Writes [`build`]'s SBOM as pretty JSON.
pub fn write(
    inventory: &Inventory,
    options: &SbomOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(inventory, options))?;
    out.write_all(b"\n")
}

/// A CycloneDX vulnerability from an entry of a dependency's `advisories`.
fn vulnerability(advisory: &Value) -> Value {
    let id = advisory["id"].as_str().unwrap_or_default();
    let source = if id.starts_with("GHSA-") {
        json!({"name": "GitHub Advisory Database", "url": format!("https://github.com/advisories/{id}")})
    } else {
        json!({"name": "OSV", "url": format!("https://osv.dev/vulnerability/{id}")})
    };
    let severity = advisory["severity"].as_str().unwrap_or("unknown");
    let rating = match (advisory["score"].as_f64(), advisory["vector"].as_str()) {
        (Some(score), Some(vector)) => {
            let method = if vector.starts_with("CVSS:4.0") {
                "CVSSv4"
            } else if vector.starts_with("CVSS:3.1") {
                "CVSSv31"
            } else if vector.starts_with("CVSS:3.0") {
                "CVSSv3"
            } else {
                "CVSSv2"
            };
            json!({"score": score, "severity": severity, "method": method, "vector": vector})
        }
        _ => json!({"severity": severity, "method": "other"}),
    };
    let mut out = json!({
        "bom-ref": format!("vulnerability:{id}"),
        "id": id,
        "source": source,
        "ratings": [rating],
        "description": advisory["summary"],
        "advisories": [{"url": advisory["url"]}],
    });
    if let Some(object) = out.as_object_mut() {
        let aliases: Vec<Value> = advisory["aliases"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|a| json!({"id": a}))
            .collect();
        if !aliases.is_empty() {
            object.insert(
                "references".into(),
                json!(aliases.into_iter().map(|a| {
                let id = a["id"].as_str().unwrap_or_default().to_owned();
                json!({"id": id, "source": {"url": format!("https://osv.dev/vulnerability/{id}")}})
            }).collect::<Vec<_>>()),
            );
        }
        let fixed: Vec<&str> = advisory["fixed"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if !fixed.is_empty() {
            object.insert(
                "recommendation".into(),
                json!(format!("Upgrade to {}", fixed.join(" or "))),
            );
        }
    }
    out
}

/// `urn:uuid:` with a version-5-shaped UUID from the content digest.
fn serial_number(digest: &[u8]) -> String {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
