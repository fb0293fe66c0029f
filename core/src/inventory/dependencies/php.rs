//! PHP: `composer.lock`.

use super::{LockfileError, Package, structured};
use serde_json::Value;

/// `packages` and `packages-dev` (development only).
pub(super) fn composer_lock(text: &str) -> Result<Vec<Package>, LockfileError> {
    let document = structured(text)?;
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
}
