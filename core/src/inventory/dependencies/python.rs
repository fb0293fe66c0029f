//! Python: `requirements*.txt`, `poetry.lock`, `uv.lock`, `pdm.lock` and
//! `Pipfile.lock`.

use super::{Lockfile, Package, ParseError, structured, toml_document};
use crate::inventory::lines::LineIndex;
use crate::resource::{Region, escape_pointer_token};
use serde_json::Value;

/// `name==1.0`, `Name[extra]==1.0 ; python_version < "3.12" \` with
/// `--hash` continuation lines; options (`-r`, `-e`, `--index-url`),
/// comments, URLs and local paths yield nothing. A requirement without
/// `==` is kept with no version: it cannot be matched, but it can be
/// flagged as unpinned.
pub(super) fn requirements(text: &str) -> Vec<Package> {
    let mut out = Vec::new();
    let mut logical = String::new();
    let mut start_line = 0;
    // The first physical line of the requirement, for its region (looked
    // up by number, it made 50,000 lines take 10 s).
    let mut first = "";
    for (index, raw) in text.lines().enumerate() {
        if logical.is_empty() {
            start_line = index + 1;
            first = raw;
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
        let width = u32::try_from(first.chars().count() + 1).unwrap_or(u32::MAX);
        let mut package = Package::new(
            "PyPI",
            "pypi",
            name,
            version,
            Some(Region::line(
                u32::try_from(start_line).unwrap_or(u32::MAX),
                1,
                width,
            )),
        );
        package.requirement = Some(spec.to_owned());
        out.push(package);
    }
    out
}

/// The `-r FILE` / `--requirement FILE` / `--requirement=FILE` lines, with
/// their line numbers.
pub(super) fn includes(text: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.split(" #").next().unwrap_or(line).trim();
        let rest = line
            .strip_prefix("--requirement")
            .or_else(|| line.strip_prefix("-r"))
            .map(|r| r.trim_start_matches('=').trim());
        if let Some(path) = rest.filter(|p| !p.is_empty() && !p.contains("://")) {
            out.push((path.to_owned(), u32::try_from(k + 1).unwrap_or(u32::MAX)));
        }
    }
    out
}

/// `[[package]]` tables of `poetry.lock`, `uv.lock` and `pdm.lock`. Local
/// packages (Poetry `directory`/`file` sources, uv `editable`/`virtual`/
/// `directory` sources: the project itself) are left out.
pub(super) fn toml_lock(text: &str, lockfile: Lockfile) -> Result<Vec<Package>, ParseError> {
    let document = toml_document(text)?;
    let lines = LineIndex::new(text);
    let Some(packages) = document.get("package").and_then(|p| p.as_array_of_tables()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for table in packages.iter() {
        let field = |key: &str| table.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let Some(name) = field("name") else {
            continue;
        };
        let source = table.get("source");
        let local = match lockfile {
            Lockfile::Poetry => source
                .and_then(|s| s.get("type"))
                .and_then(|t| t.as_str())
                .is_some_and(|t| matches!(t, "directory" | "file")),
            Lockfile::Uv => source.is_some_and(|s| {
                ["editable", "virtual", "directory", "path"]
                    .iter()
                    .any(|k| s.get(k).is_some())
            }),
            _ => false,
        };
        if local {
            continue;
        }
        // Poetry < 1.2 marks dev packages with `category = "dev"`.
        let dev = field("category").map(|c| c == "dev");
        out.push(
            Package::new(
                "PyPI",
                "pypi",
                name,
                field("version"),
                lines.region(table.span()),
            )
            .dev(dev),
        );
    }
    Ok(out)
}

/// `Pipfile.lock`: `default` and `develop` sections, `"version": "==1.2.3"`.
/// Entries without a version are local paths, editables or VCS checkouts:
/// left out.
pub(super) fn pipfile_lock(text: &str) -> Result<Vec<Package>, ParseError> {
    let document = structured(text)?;
    super::expect_sections(
        &document,
        "Pipfile.lock",
        &[
            ("default", super::Shape::Map),
            ("develop", super::Shape::Map),
        ],
    )?;
    let mut out = Vec::new();
    for (section, dev) in [("default", false), ("develop", true)] {
        let Some(entries) = document.value.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (name, entry) in entries {
            let version = entry
                .get("version")
                .and_then(Value::as_str)
                .and_then(|v| v.strip_prefix("=="))
                .map(str::to_owned);
            if version.is_none() {
                continue;
            }
            let mut package = Package::new("PyPI", "pypi", name, version, None).dev(Some(dev));
            package.region = document
                .spans
                .get(&format!("/{section}/{}", escape_pointer_token(name)));
            out.push(package);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(packages: &[Package]) -> Vec<(String, String, u32, Option<bool>)> {
        packages
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.version.clone().unwrap_or_default(),
                    p.region.map_or(0, |r| r.start_line),
                    p.dev,
                )
            })
            .collect()
    }

    #[test]
    fn poetry_uv_pdm() {
        let poetry = "[[package]]\nname = \"django\"\nversion = \"4.2.13\"\ncategory = \"main\"\n\n[[package]]\nname = \"pytest\"\nversion = \"8.2.0\"\ncategory = \"dev\"\n\n[[package]]\nname = \"mylib\"\nversion = \"0.1.0\"\n\n[package.source]\ntype = \"directory\"\nurl = \"../mylib\"\n";
        assert_eq!(
            summary(&toml_lock(poetry, Lockfile::Poetry).unwrap()),
            [
                ("django".into(), "4.2.13".into(), 1, Some(false)),
                ("pytest".into(), "8.2.0".into(), 6, Some(true)),
            ]
        );
        let uv = "version = 1\nrequires-python = \">=3.12\"\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n\n[[package]]\nname = \"idna\"\nversion = \"3.7\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        assert_eq!(
            summary(&toml_lock(uv, Lockfile::Uv).unwrap()),
            [("idna".into(), "3.7".into(), 9, None)]
        );
        let pdm = "[metadata]\ngroups = [\"default\"]\n\n[[package]]\nname = \"certifi\"\nversion = \"2024.2.2\"\ngroups = [\"default\"]\n";
        assert_eq!(
            summary(&toml_lock(pdm, Lockfile::Pdm).unwrap()),
            [("certifi".into(), "2024.2.2".into(), 4, None)]
        );
    }

    #[test]
    fn pipfile_lock_sections() {
        let text = "{\n  \"_meta\": {\"hash\": {\"sha256\": \"x\"}},\n  \"default\": {\n    \"requests\": {\"hashes\": [], \"version\": \"==2.31.0\"}\n  },\n  \"develop\": {\n    \"pytest\": {\"version\": \"==8.2.0\"},\n    \"local\": {\"editable\": true, \"path\": \".\"}\n  }\n}\n";
        assert_eq!(
            summary(&pipfile_lock(text).unwrap()),
            [
                ("requests".into(), "2.31.0".into(), 4, Some(false)),
                ("pytest".into(), "8.2.0".into(), 7, Some(true)),
            ]
        );
        let err = pipfile_lock("{\"_meta\": {},\n \"default\": [\"requests\"]}\n").unwrap_err();
        assert_eq!(err.message, "`default` must be a mapping in a Pipfile.lock");
        assert_eq!(err.line(), 2);
    }
}
