//! `Cargo.lock` (versions 1 to 4).

use super::{Package, ParseError, toml_document};
use crate::inventory::lines::LineIndex;

/// Every `[[package]]` with a `source` (registry or git); the workspace's
/// own crates have none.
pub(super) fn cargo(text: &str) -> Result<Vec<Package>, ParseError> {
    let document = toml_document(text)?;
    let lines = LineIndex::new(text);
    let Some(packages) = document.get("package").and_then(|p| p.as_array_of_tables()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for table in packages.iter() {
        let field = |key: &str| table.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            continue;
        };
        if field("source").is_none() {
            continue;
        }
        out.push(Package::new(
            "crates.io",
            "cargo",
            name,
            Some(version),
            lines.region(table.span()),
        ));
    }
    Ok(out)
}
