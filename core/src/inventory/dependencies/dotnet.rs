//! .NET: `packages.lock.json` (NuGet).

use super::{Package, ParseError, structured};
use crate::resource::escape_pointer_token;
use serde_json::Value;

/// `dependencies.<framework>.<package>` with `resolved` versions; `Project`
/// references are the solution's own code. A package locked for several
/// target frameworks appears once per framework (the ids get `#2` …).
pub(super) fn packages_lock(text: &str) -> Result<Vec<Package>, ParseError> {
    let document = structured(text)?;
    super::expect_sections(
        &document,
        "packages.lock.json",
        &[("dependencies", super::Shape::Map)],
    )?;
    let mut out = Vec::new();
    let Some(frameworks) = document
        .value
        .get("dependencies")
        .and_then(Value::as_object)
    else {
        return Ok(out);
    };
    for (framework, packages) in frameworks {
        let Some(packages) = packages.as_object() else {
            continue;
        };
        for (name, entry) in packages {
            let kind = entry.get("type").and_then(Value::as_str).unwrap_or("");
            let Some(version) = entry.get("resolved").and_then(Value::as_str) else {
                continue;
            };
            if kind == "Project" {
                continue;
            }
            let mut package = Package::new("NuGet", "nuget", name, Some(version.to_owned()), None)
                .direct(Some(kind == "Direct"));
            package.region = document.spans.get(&format!(
                "/dependencies/{}/{}",
                escape_pointer_token(framework),
                escape_pointer_token(name)
            ));
            out.push(package);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frameworks_and_types() {
        let text = "{\n  \"version\": 1,\n  \"dependencies\": {\n    \"net8.0\": {\n      \"Newtonsoft.Json\": {\n        \"type\": \"Direct\",\n        \"requested\": \"[13.0.1, )\",\n        \"resolved\": \"13.0.1\"\n      },\n      \"System.Text.Json\": {\"type\": \"Transitive\", \"resolved\": \"8.0.0\"},\n      \"MyLib\": {\"type\": \"Project\"}\n    }\n  }\n}\n";
        let found: Vec<(String, u32, Option<bool>)> = packages_lock(text)
            .unwrap()
            .into_iter()
            .map(|p| (p.name, p.region.map_or(0, |r| r.start_line), p.direct))
            .collect();
        assert_eq!(
            found,
            [
                ("Newtonsoft.Json".into(), 5, Some(true)),
                ("System.Text.Json".into(), 10, Some(false)),
            ]
        );
    }
}
