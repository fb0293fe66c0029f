//! `host.service`: systemd units and whether they start at boot — unit
//! files in the unit directories, enablement from the `*.wants` links,
//! masking from links to `/dev/null`. Nothing is asked of a running
//! systemd, so an image reads the same as a live host.

use super::HostReader;
use crate::resource::Resource;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// The resource kind.
pub const KIND: &str = "host.service";

/// Unit directories, highest precedence first (systemd.unit(5)).
const UNIT_DIRS: &[&str] = &[
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
];

/// Unit types reported.
const UNIT_SUFFIXES: &[&str] = &[".service", ".socket", ".timer", ".mount"];

/// Every unit with its state, plus inetd services (`/etc/inetd.conf`).
pub fn collect(reader: &mut HostReader<'_>) -> Vec<Resource> {
    // Unit name → (file, masked).
    let mut units: BTreeMap<String, (String, bool)> = BTreeMap::new();
    // Unit name → targets that want it.
    let mut wanted_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for dir in UNIT_DIRS {
        for name in reader.dir(dir) {
            let path = super::fs::join(dir, &name);
            if let Some(target) = name
                .strip_suffix(".wants")
                .or_else(|| name.strip_suffix(".requires"))
            {
                for unit in reader.dir(&path) {
                    wanted_by.entry(unit).or_default().insert(target.to_owned());
                }
                continue;
            }
            if !UNIT_SUFFIXES.iter().any(|s| name.ends_with(s)) || units.contains_key(&name) {
                continue;
            }
            let masked = reader
                .fs()
                .read_link(&path)
                .is_ok_and(|target| target == "/dev/null");
            units.insert(name, (path, masked));
        }
    }
    let mut out: Vec<Resource> = units
        .into_iter()
        .map(|(name, (path, masked))| {
            let wants: Vec<String> = wanted_by
                .get(&name)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            let enabled = !masked && !wants.is_empty();
            Resource::new(
                KIND,
                format!("host.service:{name}"),
                reader.display(&path),
                json!({
                    "name": name,
                    "manager": "systemd",
                    "enabled": enabled,
                    "masked": masked,
                    "wanted_by": wants,
                    "unit_file": path,
                }),
            )
        })
        .collect();
    if let Some(text) = reader.text("/etc/inetd.conf") {
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let Some(service) = fields.first() else {
                continue;
            };
            let mut spans = crate::resource::SpanIndex::default();
            spans.insert("", super::whole_line(raw, index + 1));
            out.push(
                Resource::new(
                    KIND,
                    format!("host.service:inetd/{service}"),
                    reader.display("/etc/inetd.conf"),
                    json!({
                        "name": service,
                        "manager": "inetd",
                        "enabled": true,
                        "masked": false,
                        "wanted_by": [],
                        "unit_file": "/etc/inetd.conf",
                        "command": fields.get(5..).map(|c| c.join(" ")),
                    }),
                )
                .with_spans(spans),
            );
        }
    }
    out
}
