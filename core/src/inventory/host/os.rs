//! `host.os`: which distribution and kernel (`/etc/os-release`).

use super::{HostReader, token, unquote, whole_line};
use crate::resource::{Resource, SpanIndex};
use serde_json::{Map, Value};

/// The resource kind.
pub const KIND: &str = "host.os";

/// The host's identity from `/etc/os-release` (else
/// `/usr/lib/os-release`), plus the running kernel on a live system.
pub fn collect(reader: &mut HostReader<'_>) -> Option<Resource> {
    let (path, text) = ["/etc/os-release", "/usr/lib/os-release"]
        .into_iter()
        .find_map(|path| reader.text(path).map(|text| (path, text)))?;
    let mut spans = SpanIndex::default();
    let mut fields = Map::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let Some((key, value)) = line.trim().split_once('=') else {
            continue;
        };
        if key.starts_with('#') || key.is_empty() {
            continue;
        }
        let key = key.to_ascii_lowercase();
        let value = unquote(value);
        spans.insert(format!("/{}", token(&key)), whole_line(line, line_no));
        fields.insert(key, Value::String(value));
    }
    spans.insert("", whole_line(text.lines().next().unwrap_or(""), 1));
    let field = |name: &str| fields.get(name).cloned().unwrap_or(Value::Null);
    let id_like: Vec<Value> = fields
        .get("id_like")
        .and_then(Value::as_str)
        .map(|s| {
            s.split_whitespace()
                .map(|w| Value::String(w.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let kernel = if reader.fs().is_live() {
        reader
            .text("/proc/sys/kernel/osrelease")
            .map(|s| Value::String(s.trim().to_owned()))
            .unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    let document = serde_json::json!({
        "id": field("id"),
        "id_like": id_like,
        "name": field("name"),
        "pretty_name": field("pretty_name"),
        "version_id": field("version_id"),
        "version_codename": field("version_codename"),
        "kernel": kernel,
        "live": reader.fs().is_live(),
    });
    Some(Resource::new(KIND, "host.os", reader.display(path), document).with_spans(spans))
}
