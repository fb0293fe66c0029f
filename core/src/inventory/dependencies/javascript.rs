//! npm (`package-lock.json`, `npm-shrinkwrap.json`), Yarn (`yarn.lock`,
//! classic and Berry) and pnpm (`pnpm-lock.yaml`).

use super::{Package, ParseError, line_region, structured};
use crate::resource::{SpanIndex, escape_pointer_token};
use serde_json::{Map, Value};

fn npm_package(name: &str, version: Option<&str>) -> Package {
    Package::new("npm", "npm", name, version.map(str::to_owned), None)
}

/// Lockfile v2/v3 `packages` (`node_modules/a/node_modules/b`), else v1's
/// nested `dependencies`.
pub(super) fn npm(text: &str) -> Result<Vec<Package>, ParseError> {
    let document = structured(text)?;
    super::expect_sections(
        &document,
        "package-lock.json",
        &[
            ("packages", super::Shape::Map),
            ("dependencies", super::Shape::Map),
        ],
    )?;
    let (value, spans) = (&document.value, &document.spans);
    let mut out = Vec::new();
    if let Some(packages) = value.get("packages").and_then(Value::as_object) {
        let root = packages.get("").cloned().unwrap_or(Value::Null);
        let declared = |name: &str| {
            [
                "dependencies",
                "devDependencies",
                "optionalDependencies",
                "peerDependencies",
            ]
            .iter()
            .any(|k| root.get(k).and_then(|d| d.get(name)).is_some())
        };
        for (path, entry) in packages {
            let Some(at) = path.rfind("node_modules/") else {
                continue;
            };
            if entry.get("link").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let installed = &path[at + "node_modules/".len()..];
            let name = entry
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(installed);
            let mut package = npm_package(name, entry.get("version").and_then(Value::as_str))
                .direct(Some(at == 0 && declared(installed)))
                .dev(Some(
                    entry.get("dev").and_then(Value::as_bool) == Some(true),
                ));
            package.region = spans.get(&format!("/packages/{}", escape_pointer_token(path)));
            out.push(package);
        }
    } else if let Some(dependencies) = value.get("dependencies").and_then(Value::as_object) {
        npm_v1(dependencies, "/dependencies", spans, &mut out);
    }
    Ok(out)
}

fn npm_v1(
    dependencies: &Map<String, Value>,
    pointer: &str,
    spans: &SpanIndex,
    out: &mut Vec<Package>,
) {
    for (name, entry) in dependencies {
        let here = format!("{pointer}/{}", escape_pointer_token(name));
        let mut package = npm_package(name, entry.get("version").and_then(Value::as_str)).dev(
            Some(entry.get("dev").and_then(Value::as_bool) == Some(true)),
        );
        package.region = spans.get(&here);
        out.push(package);
        if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
            npm_v1(nested, &format!("{here}/dependencies"), spans, out);
        }
    }
}

/// `name@range` → `name` (a scoped name keeps its leading `@`).
fn name_of_specifier(specifier: &str) -> &str {
    let specifier = specifier.trim().trim_matches('"');
    match specifier[1.min(specifier.len())..].find('@') {
        Some(at) => &specifier[..at + 1],
        None => specifier,
    }
}

/// `yarn.lock`: Berry files are YAML with `__metadata`; classic (v1)
/// files have their own syntax, read line by line.
pub(super) fn yarn(text: &str) -> Result<Vec<Package>, ParseError> {
    if text.lines().any(|l| l.starts_with("__metadata:")) {
        yarn_berry(text)
    } else {
        Ok(yarn_classic(text))
    }
}

/// ```text
/// "@babel/core@^7.0.0", "@babel/core@^7.1.0":
///   version "7.24.0"
/// ```
fn yarn_classic(text: &str) -> Vec<Package> {
    let mut out = Vec::new();
    let mut current: Option<(String, usize, String)> = None;
    let lines: Vec<&str> = text.lines().collect();
    for (k, line) in lines.iter().enumerate() {
        if !line.starts_with([' ', '#'])
            && line.trim_end().ends_with(':')
            && !line.trim().is_empty()
        {
            let header = line.trim_end().trim_end_matches(':');
            let first = header.split(", ").next().unwrap_or(header);
            current = Some((name_of_specifier(first).to_owned(), k, (*line).to_owned()));
            continue;
        }
        if let Some(version) = line
            .strip_prefix("  version ")
            .map(|v| v.trim().trim_matches('"'))
            && let Some((name, at, header)) = current.take()
        {
            let mut package = npm_package(&name, Some(version));
            package.region = Some(line_region(&header, at + 1));
            out.push(package);
        }
    }
    out
}

/// Berry: `resolution: "name@npm:1.2.3"`; workspace, link, portal, file
/// and patch entries are skipped (the project itself, local code, or a
/// second view of a package already listed).
fn yarn_berry(text: &str) -> Result<Vec<Package>, ParseError> {
    let document = structured(text)?;
    let mut out = Vec::new();
    let Some(entries) = document.value.as_object() else {
        return Ok(out);
    };
    for (key, entry) in entries {
        if key == "__metadata" {
            continue;
        }
        let Some(resolution) = entry.get("resolution").and_then(Value::as_str) else {
            continue;
        };
        let Some((name, version)) = resolution.split_once("@npm:") else {
            continue;
        };
        if version.contains(':') || name.is_empty() {
            continue;
        }
        let mut package = npm_package(name, Some(version));
        package.region = document
            .spans
            .get(&format!("/{}", escape_pointer_token(key)));
        out.push(package);
    }
    Ok(out)
}

/// `pnpm-lock.yaml`: keys of `packages` are `/name/1.2.3` (v5),
/// `/name@1.2.3(peer@4)` (v6) or `name@1.2.3` (v9); direct dependencies
/// are those the root importer names.
pub(super) fn pnpm(text: &str) -> Result<Vec<Package>, ParseError> {
    let document = structured(text)?;
    let value = &document.value;
    let root = value
        .get("importers")
        .and_then(|i| i.get("."))
        .unwrap_or(value);
    let direct = |name: &str| {
        ["dependencies", "devDependencies", "optionalDependencies"]
            .iter()
            .any(|k| root.get(k).and_then(|d| d.get(name)).is_some())
    };
    let v5 = value
        .get("lockfileVersion")
        .and_then(|v| {
            v.as_str()
                .map(str::to_owned)
                .or_else(|| v.as_f64().map(|f| f.to_string()))
        })
        .is_some_and(|v| v.starts_with('5'));
    let mut out = Vec::new();
    let Some(packages) = value.get("packages").and_then(Value::as_object) else {
        return Ok(out);
    };
    for (key, entry) in packages {
        let bare = key.strip_prefix('/').unwrap_or(key);
        let bare = bare.split('(').next().unwrap_or(bare);
        let split = if v5 {
            // `@scope/name/1.2.3_peer@4` → name, version.
            bare.rsplit_once('/')
                .map(|(n, v)| (n, v.split('_').next().unwrap_or(v)))
        } else {
            bare[1.min(bare.len())..]
                .find('@')
                .map(|at| (&bare[..at + 1], &bare[at + 2..]))
        };
        let Some((name, version)) = split else {
            continue;
        };
        let name = entry.get("name").and_then(Value::as_str).unwrap_or(name);
        let version = entry
            .get("version")
            .and_then(Value::as_str)
            .unwrap_or(version);
        if version.contains(':') {
            // `link:`, `file:` — local code.
            continue;
        }
        let mut package = npm_package(name, Some(version))
            .direct(Some(direct(name)))
            .dev(entry.get("dev").and_then(Value::as_bool));
        package.region = document
            .spans
            .get(&format!("/packages/{}", escape_pointer_token(key)));
        out.push(package);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(packages: &[Package]) -> Vec<(String, String, u32)> {
        packages
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.version.clone().unwrap_or_default(),
                    p.region.map_or(0, |r| r.start_line),
                )
            })
            .collect()
    }

    #[test]
    fn yarn_classic_entries() {
        let text = "# THIS IS AN AUTOGENERATED FILE.\n# yarn lockfile v1\n\n\n\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n  version \"7.12.13\"\n  resolved \"https://registry.yarnpkg.com/x\"\n  dependencies:\n    \"@babel/highlight\" \"^7.12.13\"\n\nlodash@^4.17.20:\n  version \"4.17.21\"\n";
        assert_eq!(
            summary(&yarn(text).unwrap()),
            [
                ("@babel/code-frame".into(), "7.12.13".into(), 5),
                ("lodash".into(), "4.17.21".into(), 11),
            ]
        );
    }

    #[test]
    fn yarn_berry_entries_skip_workspaces_and_patches() {
        let text = "__metadata:\n  version: 6\n  cacheKey: 8\n\n\"lodash@npm:^4.17.20\":\n  version: 4.17.21\n  resolution: \"lodash@npm:4.17.21\"\n\n\"@types/node@npm:*, @types/node@npm:^20\":\n  version: 20.14.2\n  resolution: \"@types/node@npm:20.14.2\"\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n\n\"resolve@patch:resolve@npm%3A1.22.1#~builtin<compat/resolve>\":\n  version: 1.22.1\n  resolution: \"resolve@patch:resolve@npm%3A1.22.1#~builtin<compat/resolve>::version=1.22.1\"\n";
        let mut found = summary(&yarn(text).unwrap());
        found.sort();
        assert_eq!(
            found,
            [
                ("@types/node".into(), "20.14.2".into(), 9),
                ("lodash".into(), "4.17.21".into(), 5),
            ]
        );
    }

    #[test]
    fn pnpm_v5_v6_v9_keys() {
        let v5 = "lockfileVersion: 5.4\n\nspecifiers:\n  react: ^18.2.0\n\ndependencies:\n  react: 18.2.0\n\npackages:\n\n  /react/18.2.0:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n  /@babel/core/7.24.0_supports-color@8.1.1:\n    resolution: {integrity: sha512-y}\n    dev: true\n";
        assert_eq!(
            summary(&pnpm(v5).unwrap()),
            [
                ("@babel/core".into(), "7.24.0".into(), 15),
                ("react".into(), "18.2.0".into(), 11),
            ]
        );
        let v6 = "lockfileVersion: '6.0'\n\nimporters:\n  .:\n    dependencies:\n      react:\n        specifier: ^18.2.0\n        version: 18.2.0\n\npackages:\n\n  /react@18.2.0:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n  /@types/react@18.2.0(@types/node@20.0.0):\n    resolution: {integrity: sha512-y}\n    dev: true\n";
        let found = pnpm(v6).unwrap();
        assert_eq!(
            summary(&found),
            [
                ("@types/react".into(), "18.2.0".into(), 16),
                ("react".into(), "18.2.0".into(), 12),
            ]
        );
        assert_eq!(found[1].direct, Some(true));
        assert_eq!(found[0].direct, Some(false));
        let v9 = "lockfileVersion: '9.0'\n\npackages:\n\n  react@18.2.0:\n    resolution: {integrity: sha512-x}\n\n  '@scope/pkg@1.0.0':\n    resolution: {integrity: sha512-y}\n";
        assert_eq!(
            summary(&pnpm(v9).unwrap()),
            [
                ("@scope/pkg".into(), "1.0.0".into(), 8),
                ("react".into(), "18.2.0".into(), 5),
            ]
        );
    }
}
