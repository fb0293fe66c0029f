//! `host.mounts`: file systems and their options — `/etc/fstab`, and on a
//! live host what is mounted now (`/proc/mounts`).

use super::{HostReader, LineIndex};
use crate::resource::{Resource, SpanIndex};
use serde_json::json;
use std::collections::BTreeMap;

/// The resource kind.
pub const KIND: &str = "host.mounts";

struct Entry {
    device: String,
    mount_point: String,
    fstype: String,
    options: Vec<String>,
    line: usize,
}

fn parse(text: &str) -> Vec<Entry> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 3 {
                return None;
            }
            Some(Entry {
                device: unescape(fields[0]),
                mount_point: unescape(fields[1]),
                fstype: fields[2].to_owned(),
                options: fields
                    .get(3)
                    .map(|o| o.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
                line: i + 1,
            })
        })
        .collect()
}

/// fstab and /proc/mounts write a space in a path as `\040`.
fn unescape(field: &str) -> String {
    field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\134", "\\")
}

/// The host's mount table as one resource (rules ask both "is /tmp
/// mounted nodev" and "is /tmp a mount at all"): what is mounted now on a
/// live host, else what fstab mounts at boot. An entry's span is its fstab
/// line when fstab lists the mount point.
pub fn collect(reader: &mut HostReader<'_>) -> Vec<Resource> {
    let fstab_text = reader.text("/etc/fstab").unwrap_or_default();
    let fstab = parse(&fstab_text);
    let live = reader.fs().is_live();
    let mounted = if live {
        reader
            .text("/proc/self/mounts")
            .map(|t| parse(&t))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let in_fstab: BTreeMap<&str, &Entry> =
        fstab.iter().map(|e| (e.mount_point.as_str(), e)).collect();
    let entries: Vec<&Entry> = if live {
        mounted.iter().collect()
    } else {
        fstab.iter().collect()
    };
    // A mount point mounted twice (stacked): the last one is visible.
    let mut by_point: BTreeMap<&str, &Entry> = BTreeMap::new();
    for entry in entries {
        if entry.fstype == "swap" || entry.mount_point == "none" {
            continue;
        }
        by_point.insert(entry.mount_point.as_str(), entry);
    }
    let mut spans = SpanIndex::default();
    let fstab_lines = LineIndex::new(&fstab_text);
    let documents: Vec<serde_json::Value> = by_point
        .into_iter()
        .enumerate()
        .map(|(i, (point, entry))| {
            let listed = in_fstab.get(point);
            if let Some(f) = listed {
                spans.insert(format!("/entries/{i}"), fstab_lines.line_region(f.line));
            }
            json!({
                "mount_point": point,
                "device": entry.device,
                "fstype": entry.fstype,
                "options": entry.options,
                "in_fstab": listed.is_some(),
            })
        })
        .collect();
    vec![
        Resource::new(
            KIND,
            "host.mounts",
            reader.display("/etc/fstab"),
            json!({ "live": live, "entries": documents }),
        )
        .with_spans(spans),
    ]
}
