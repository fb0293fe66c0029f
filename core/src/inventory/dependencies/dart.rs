//! Dart and Flutter: `pubspec.lock`.

use super::{Package, ParseError, structured};
use crate::resource::escape_pointer_token;
use serde_json::Value;

/// `packages.<name>` with `source: hosted` (pub.dev or another pub
/// server); `sdk`, `path` and `git` packages are not pub releases.
pub(super) fn pubspec_lock(text: &str) -> Result<Vec<Package>, ParseError> {
    let document = structured(text)?;
    super::expect_sections(
        &document,
        "pubspec.lock",
        &[("packages", super::Shape::Map)],
    )?;
    let mut out = Vec::new();
    let Some(packages) = document.value.get("packages").and_then(Value::as_object) else {
        return Ok(out);
    };
    for (name, entry) in packages {
        if entry.get("source").and_then(Value::as_str) != Some("hosted") {
            continue;
        }
        let Some(version) = entry.get("version").and_then(Value::as_str) else {
            continue;
        };
        let dependency = entry
            .get("dependency")
            .and_then(Value::as_str)
            .unwrap_or("");
        let mut package = Package::new("Pub", "pub", name, Some(version.to_owned()), None)
            .direct(Some(dependency.starts_with("direct")))
            .dev(Some(dependency == "direct dev"));
        package.region = document
            .spans
            .get(&format!("/packages/{}", escape_pointer_token(name)));
        out.push(package);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosted_packages_only() {
        let text = "packages:\n  http:\n    dependency: \"direct main\"\n    description:\n      name: http\n      url: \"https://pub.dev\"\n    source: hosted\n    version: \"1.2.1\"\n  flutter:\n    dependency: \"direct main\"\n    description: flutter\n    source: sdk\n    version: \"0.0.0\"\n  test:\n    dependency: \"direct dev\"\n    description:\n      name: test\n      url: \"https://pub.dev\"\n    source: hosted\n    version: \"1.25.2\"\nsdks:\n  dart: \">=3.3.0 <4.0.0\"\n";
        let found: Vec<(String, u32, Option<bool>)> = pubspec_lock(text)
            .unwrap()
            .into_iter()
            .map(|p| (p.name, p.region.map_or(0, |r| r.start_line), p.dev))
            .collect();
        assert_eq!(
            found,
            [
                ("http".into(), 2, Some(false)),
                ("test".into(), 14, Some(true))
            ]
        );
    }
}
