//! PHP: `composer.lock`.

use super::{Package, ParseError, Shape, expect_sections, structured};
use serde_json::Value;

/// `packages` and `packages-dev` (development only).
pub(super) fn composer_lock(text: &str) -> Result<Vec<Package>, ParseError> {
    let document = structured(text)?;
    expect_sections(
        &document,
        "composer.lock",
        &[("packages", Shape::List), ("packages-dev", Shape::List)],
    )?;
    let mut out = Vec::new();
    for (section, dev) in [("packages", false), ("packages-dev", true)] {
        let Some(entries) = document.value.get(section).and_then(Value::as_array) else {
            continue;
        };
        for (k, entry) in entries.iter().enumerate() {
            let (Some(name), Some(version)) = (
                entry.get("name").and_then(Value::as_str),
                entry.get("version").and_then(Value::as_str),
            ) else {
                continue;
            };
            let mut package = Package::new(
                "Packagist",
                "composer",
                name,
                Some(version.to_owned()),
                None,
            )
            .dev(Some(dev));
            package.region = document.spans.get(&format!("/{section}/{k}"));
            out.push(package);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_and_dev_packages() {
        let text = "{\n  \"packages\": [\n    {\n      \"name\": \"guzzlehttp/guzzle\",\n      \"version\": \"7.4.0\"\n    }\n  ],\n  \"packages-dev\": [\n    {\"name\": \"phpunit/phpunit\", \"version\": \"9.5.0\"}\n  ]\n}\n";
        let found: Vec<(String, u32, Option<bool>)> = composer_lock(text)
            .unwrap()
            .into_iter()
            .map(|p| (p.name, p.region.map_or(0, |r| r.start_line), p.dev))
            .collect();
        assert_eq!(
            found,
            [
                ("guzzlehttp/guzzle".into(), 3, Some(false)),
                ("phpunit/phpunit".into(), 9, Some(true)),
            ]
        );
    }

    /// A composer.lock of the wrong shape is an error at its place, not a
    /// lockfile with no packages.
    #[test]
    fn the_wrong_shape_is_an_error() {
        let err = composer_lock("{\n  \"packages\": {\"a\": 1}\n}\n").unwrap_err();
        assert_eq!(err.message, "`packages` must be a list in a composer.lock");
        assert_eq!(err.line(), 2);
        let err = composer_lock("[1, 2]\n").unwrap_err();
        assert_eq!(
            err.message,
            "not a composer.lock: expected a mapping with `packages` or `packages-dev`"
        );
        let err = composer_lock("{\"content-hash\": \"x\"}\n").unwrap_err();
        assert_eq!(
            err.message,
            "not a composer.lock: it has no `packages` or `packages-dev`"
        );
        assert!(composer_lock("{\"packages\": []}\n").unwrap().is_empty());
    }
}
