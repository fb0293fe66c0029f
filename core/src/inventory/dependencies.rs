//! Lockfiles: one `dependency` resource per locked package, placed at its
//! entry in the lockfile, so that a vulnerable package is reported at its
//! line.
//!
//! Read so far: `Cargo.lock`, `package-lock.json` / `npm-shrinkwrap.json`
//! (lockfile versions 1, 2 and 3) and `requirements*.txt`. See
//! `docs/kinds/dependency.md`.

use super::lines::LineIndex;
use super::yaml;
use crate::resource::{Region, Resource, SpanIndex, escape_pointer_token};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The resource kind.
pub const KIND: &str = "dependency";

/// The lockfile formats rampart reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lockfile {
    /// `Cargo.lock`.
    Cargo,
    /// `package-lock.json`, `npm-shrinkwrap.json`.
    Npm,
    /// `requirements.txt`, `requirements-dev.txt`, `requirements/prod.txt` ….
    Pip,
}

impl Lockfile {
    /// The lockfile format of a file name, if it is one.
    pub fn detect(file_name: &str, parent_dir: Option<&str>) -> Option<Lockfile> {
        match file_name {
            "Cargo.lock" => Some(Lockfile::Cargo),
            "package-lock.json" | "npm-shrinkwrap.json" => Some(Lockfile::Npm),
            _ if file_name.ends_with(".txt")
                && (file_name.starts_with("requirements")
                    || parent_dir == Some("requirements")) =>
            {
                Some(Lockfile::Pip)
            }
            _ => None,
        }
    }
}

/// Why a lockfile could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct LockfileError {
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// One locked package, before it becomes a resource.
struct Package {
    ecosystem: &'static str,
    name: String,
    version: Option<String>,
    purl_type: &'static str,
    direct: Option<bool>,
    dev: Option<bool>,
    /// The requirement as written, where the file states one
    /// (`flask>=2.0` in a requirements file).
    requirement: Option<String>,
    region: Option<Region>,
}

/// The dependencies of a lockfile.
///
/// ```
/// use rampart_core::inventory::dependencies::{self, Lockfile};
/// let text = "version = 3\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
/// let found = dependencies::resources("Cargo.lock", Lockfile::Cargo, text).unwrap();
/// assert_eq!(found[0].id, "dependency:crates.io/serde@1.0.200");
/// assert_eq!(found[0].document["purl"], "pkg:cargo/serde@1.0.200");
/// assert_eq!(found[0].spans.get("").unwrap().start_line, 3);
/// ```
pub fn resources(
    source: &str,
    lockfile: Lockfile,
    text: &str,
) -> Result<Vec<Resource>, LockfileError> {
    let packages = match lockfile {
        Lockfile::Cargo => cargo(text)?,
        Lockfile::Npm => npm(text)?,
        Lockfile::Pip => pip(text),
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    Ok(packages
        .into_iter()
        .map(|p| {
            let version = p.version.as_deref();
            let purl = purl(p.purl_type, &p.name, version);
            let mut id = format!(
                "dependency:{}/{}@{}",
                p.ecosystem,
                p.name,
                version.unwrap_or("*")
            );
            let count = seen.entry(id.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                id = format!("{id}#{count}");
            }
            let mut document = json!({
                "ecosystem": p.ecosystem,
                "name": p.name,
                "version": p.version,
                "purl": purl,
                "direct": p.direct,
                "dev": p.dev,
            });
            if let (Some(requirement), Some(object)) = (p.requirement, document.as_object_mut()) {
                object.insert("requirement".to_owned(), Value::String(requirement));
            }
            let mut spans = SpanIndex::default();
            if let Some(region) = p.region {
                spans.insert("", region);
            }
            Resource::new(KIND, id, source, document).with_spans(spans)
        })
        .collect())
}

/// A package URL (<https://github.com/package-url/purl-spec>).
fn purl(purl_type: &str, name: &str, version: Option<&str>) -> String {
    let name = match purl_type {
        // `@scope/name` → namespace `%40scope`, name `name`.
        "npm" => name.replacen('@', "%40", 1),
        "pypi" => name.to_ascii_lowercase().replace('_', "-"),
        _ => name.to_owned(),
    };
    match version {
        Some(version) => format!("pkg:{purl_type}/{name}@{version}"),
        None => format!("pkg:{purl_type}/{name}"),
    }
}

fn cargo(text: &str) -> Result<Vec<Package>, LockfileError> {
    let lines = LineIndex::new(text);
    let document = toml_edit::ImDocument::parse(text).map_err(|e| {
        let (line, column) = e.span().map(|s| lines.position(s.start)).unwrap_or((1, 1));
        LockfileError {
            message: e.message().trim().replace('\n', "; "),
            line,
            column,
        }
    })?;
    let Some(packages) = document.get("package").and_then(|p| p.as_array_of_tables()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for table in packages.iter() {
        let field = |key: &str| table.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            continue;
        };
        // Packages without a source are the workspace's own crates.
        if field("source").is_none() {
            continue;
        }
        out.push(Package {
            ecosystem: "crates.io",
            name,
            version: Some(version),
            purl_type: "cargo",
            direct: None,
            dev: None,
            requirement: None,
            region: lines.region(table.span()),
        });
    }
    Ok(out)
}

fn npm(text: &str) -> Result<Vec<Package>, LockfileError> {
    let mut documents = yaml::parse_documents(text).map_err(|e| LockfileError {
        message: e.message,
        line: e.line,
        column: e.column,
    })?;
    if documents.is_empty() {
        return Ok(Vec::new());
    }
    let yaml::YamlDocument { value, spans } = documents.swap_remove(0);
    let mut out = Vec::new();
    if let Some(packages) = value.get("packages").and_then(Value::as_object) {
        // Lockfile v2/v3: `"node_modules/a/node_modules/b": {…}`.
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
                .unwrap_or(installed)
                .to_owned();
            let top_level = at == 0;
            out.push(Package {
                ecosystem: "npm",
                version: entry
                    .get("version")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                purl_type: "npm",
                direct: Some(top_level && declared(installed)),
                dev: Some(entry.get("dev").and_then(Value::as_bool) == Some(true)),
                requirement: None,
                region: spans.get(&format!("/packages/{}", escape_pointer_token(path))),
                name,
            });
        }
    } else if let Some(dependencies) = value.get("dependencies").and_then(Value::as_object) {
        // Lockfile v1: nested `dependencies`.
        npm_v1(dependencies, "/dependencies", &spans, &mut out);
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
        out.push(Package {
            ecosystem: "npm",
            name: name.clone(),
            version: entry
                .get("version")
                .and_then(Value::as_str)
                .map(str::to_owned),
            purl_type: "npm",
            direct: None,
            dev: Some(entry.get("dev").and_then(Value::as_bool) == Some(true)),
            requirement: None,
            region: spans.get(&here),
        });
        if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
            npm_v1(nested, &format!("{here}/dependencies"), spans, out);
        }
    }
}

/// `name==1.0`, `Name[extra]==1.0 ; python_version < "3.12" \` with
/// `--hash` continuation lines; options (`-r`, `-e`, `--index-url`),
/// comments, URLs and local paths yield nothing. A requirement without
/// `==` is kept with no version: it cannot be matched, but it can be
/// flagged as unpinned.
fn pip(text: &str) -> Vec<Package> {
    let mut out = Vec::new();
    let mut logical = String::new();
    let mut start_line = 0;
    for (index, raw) in text.lines().enumerate() {
        if logical.is_empty() {
            start_line = index + 1;
        }
        let line = raw.split_once(" #").map_or(raw, |(l, _)| l);
        let line = if line.trim_start().starts_with('#') {
            ""
        } else {
            line
        };
        if let Some(continued) = line.trim_end().strip_suffix('\\') {
            logical.push_str(continued);
            logical.push(' ');
            continue;
        }
        logical.push_str(line);
        let requirement = std::mem::take(&mut logical);
        let requirement = requirement.trim();
        if requirement.is_empty() || requirement.starts_with('-') || requirement.contains("://") {
            continue;
        }
        let spec = requirement
            .split(';')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .next()
            .unwrap_or("");
        let name_end = spec
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
            .unwrap_or(spec.len());
        let name = &spec[..name_end];
        if name.is_empty() || name.starts_with('.') {
            continue;
        }
        let rest = &spec[name_end..];
        let rest = rest.find(']').map_or(rest, |i| &rest[i + 1..]);
        let version = rest
            .strip_prefix("===")
            .or_else(|| rest.strip_prefix("=="))
            .filter(|v| !v.contains(['*', ',']))
            .map(str::to_owned);
        let first = text.lines().nth(start_line - 1).unwrap_or("");
        let width = u32::try_from(first.chars().count() + 1).unwrap_or(u32::MAX);
        out.push(Package {
            ecosystem: "PyPI",
            name: name.to_owned(),
            version,
            purl_type: "pypi",
            direct: None,
            dev: None,
            requirement: Some(spec.to_owned()),
            region: Some(Region::line(
                u32::try_from(start_line).unwrap_or(u32::MAX),
                1,
                width,
            )),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(lockfile: Lockfile, text: &str) -> Vec<(String, u32)> {
        resources("x", lockfile, text)
            .unwrap()
            .into_iter()
            .map(|r| (r.id.clone(), r.spans.get("").map_or(0, |s| s.start_line)))
            .collect()
    }

    #[test]
    fn cargo_lock_skips_workspace_crates() {
        let text = "# This file is automatically @generated by Cargo.\nversion = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"serde\",\n]\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"abc\"\n";
        assert_eq!(
            ids(Lockfile::Cargo, text),
            [("dependency:crates.io/serde@1.0.200".to_owned(), 11)]
        );
        let err = resources("Cargo.lock", Lockfile::Cargo, "[[package]\nname = 1\n").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn package_lock_v3_direct_dev_nested_scoped() {
        let text = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "app", "dependencies": {"express": "^4.19.0"}, "devDependencies": {"@types/node": "^20"}},
    "node_modules/express": {"version": "4.19.2"},
    "node_modules/@types/node": {"version": "20.14.2", "dev": true},
    "node_modules/express/node_modules/debug": {"version": "2.6.9"},
    "node_modules/local": {"resolved": "../local", "link": true}
  }
}"#;
        let found = resources("package-lock.json", Lockfile::Npm, text).unwrap();
        let summary: Vec<(String, bool, bool, u32)> = found
            .iter()
            .map(|r| {
                (
                    r.document["purl"].as_str().unwrap().to_owned(),
                    r.document["direct"].as_bool().unwrap(),
                    r.document["dev"].as_bool().unwrap(),
                    r.spans.get("").unwrap().start_line,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("pkg:npm/%40types/node@20.14.2".to_owned(), true, true, 7),
                ("pkg:npm/express@4.19.2".to_owned(), true, false, 6),
                ("pkg:npm/debug@2.6.9".to_owned(), false, false, 8),
            ]
        );
    }

    #[test]
    fn package_lock_v1_nested_dependencies() {
        let text = "{\n  \"lockfileVersion\": 1,\n  \"dependencies\": {\n    \"lodash\": {\"version\": \"4.17.20\"},\n    \"a\": {\"version\": \"1.0.0\", \"dev\": true,\n      \"dependencies\": {\"lodash\": {\"version\": \"3.10.1\"}}}\n  }\n}\n";
        assert_eq!(
            ids(Lockfile::Npm, text),
            [
                ("dependency:npm/a@1.0.0".to_owned(), 5),
                ("dependency:npm/lodash@3.10.1".to_owned(), 6),
                ("dependency:npm/lodash@4.17.20".to_owned(), 4),
            ]
        );
    }

    #[test]
    fn requirements_pins_extras_markers_hashes_and_the_rest() {
        let text = "# pinned\nrequests[socks]==2.31.0 ; python_version >= \"3.8\" \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\nDjango===4.2.13\n-r base.txt\n--index-url https://pypi.org/simple\nflask>=2.0\n-e git+https://github.com/x/y.git#egg=y\nnumpy==1.*\n./local/pkg\nPyYAML==6.0.1  # comment\n";
        assert_eq!(
            ids(Lockfile::Pip, text),
            [
                ("dependency:PyPI/requests@2.31.0".to_owned(), 2),
                ("dependency:PyPI/Django@4.2.13".to_owned(), 5),
                ("dependency:PyPI/flask@*".to_owned(), 8),
                ("dependency:PyPI/numpy@*".to_owned(), 10),
                ("dependency:PyPI/PyYAML@6.0.1".to_owned(), 12),
            ]
        );
        let found = resources("requirements.txt", Lockfile::Pip, text).unwrap();
        assert_eq!(found[4].document["purl"], "pkg:pypi/pyyaml@6.0.1");
    }

    #[test]
    fn detection_by_name() {
        assert_eq!(Lockfile::detect("Cargo.lock", None), Some(Lockfile::Cargo));
        assert_eq!(
            Lockfile::detect("npm-shrinkwrap.json", None),
            Some(Lockfile::Npm)
        );
        assert_eq!(
            Lockfile::detect("requirements-dev.txt", None),
            Some(Lockfile::Pip)
        );
        assert_eq!(
            Lockfile::detect("prod.txt", Some("requirements")),
            Some(Lockfile::Pip)
        );
        assert_eq!(Lockfile::detect("notes.txt", None), None);
        assert_eq!(Lockfile::detect("package.json", None), None);
    }
}
