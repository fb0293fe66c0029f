//! Lockfiles: one `dependency` resource per locked package, placed at its
//! entry in the lockfile, so that a vulnerable package is reported at its
//! line.
//!
//! One module per language family; every parser returns [`Package`]s with
//! the region of their entry, and [`resources`] turns them into resources.
//! What each format contributes, and what it leaves out, is in
//! `docs/kinds/dependency.md`.

mod dart;
mod dotnet;
mod elixir;
mod go;
mod java;
mod javascript;
mod php;
mod python;
mod ruby;
mod rust;

use super::yaml;
use crate::diagnostic::ParseError;
use crate::resource::{Region, Resource, SpanIndex};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The resource kind.
pub const KIND: &str = crate::resource::kind::DEPENDENCY;

/// The lockfile formats rampart reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lockfile {
    /// `Cargo.lock`.
    Cargo,
    /// `package-lock.json`, `npm-shrinkwrap.json`.
    Npm,
    /// `yarn.lock`, classic (v1) and Berry (v2+).
    Yarn,
    /// `pnpm-lock.yaml` (lockfile versions 5, 6 and 9).
    Pnpm,
    /// `requirements.txt`, `requirements-dev.txt`, `requirements/prod.txt` ….
    Pip,
    /// `poetry.lock`.
    Poetry,
    /// `uv.lock`.
    Uv,
    /// `pdm.lock`.
    Pdm,
    /// `Pipfile.lock`.
    Pipenv,
    /// `go.mod`.
    GoMod,
    /// `Gemfile.lock`, `gems.locked`.
    Bundler,
    /// `composer.lock`.
    Composer,
    /// `pom.xml` (declared versions).
    Maven,
    /// `gradle.lockfile`, `*-gradle.lockfile`, `gradle/dependency-locks/*.lockfile`.
    Gradle,
    /// `packages.lock.json` (NuGet).
    NuGet,
    /// `pubspec.lock`.
    Pub,
    /// `mix.lock`.
    Mix,
}

impl Lockfile {
    /// The lockfile format of a file name, if it is one.
    pub fn detect(file_name: &str, parent_dir: Option<&str>) -> Option<Lockfile> {
        Some(match file_name {
            "Cargo.lock" => Lockfile::Cargo,
            "package-lock.json" | "npm-shrinkwrap.json" => Lockfile::Npm,
            "yarn.lock" => Lockfile::Yarn,
            "pnpm-lock.yaml" => Lockfile::Pnpm,
            "poetry.lock" => Lockfile::Poetry,
            "uv.lock" => Lockfile::Uv,
            "pdm.lock" => Lockfile::Pdm,
            "Pipfile.lock" => Lockfile::Pipenv,
            "go.mod" => Lockfile::GoMod,
            "Gemfile.lock" | "gems.locked" => Lockfile::Bundler,
            "composer.lock" => Lockfile::Composer,
            "pom.xml" => Lockfile::Maven,
            "packages.lock.json" => Lockfile::NuGet,
            "pubspec.lock" => Lockfile::Pub,
            "mix.lock" => Lockfile::Mix,
            _ if file_name == "gradle.lockfile"
                || file_name.ends_with("-gradle.lockfile")
                || (parent_dir == Some("dependency-locks") && file_name.ends_with(".lockfile")) =>
            {
                Lockfile::Gradle
            }
            _ if file_name.ends_with(".txt")
                && (file_name.starts_with("requirements")
                    || parent_dir == Some("requirements")) =>
            {
                Lockfile::Pip
            }
            _ => return None,
        })
    }
}

/// One locked package, before it becomes a resource.
#[derive(Debug)]
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

impl Package {
    fn new(
        ecosystem: &'static str,
        purl_type: &'static str,
        name: impl Into<String>,
        version: Option<String>,
        region: Option<Region>,
    ) -> Package {
        Package {
            ecosystem,
            name: name.into(),
            version,
            purl_type,
            direct: None,
            dev: None,
            requirement: None,
            region,
        }
    }

    fn direct(mut self, direct: Option<bool>) -> Package {
        self.direct = direct;
        self
    }

    fn dev(mut self, dev: Option<bool>) -> Package {
        self.dev = dev;
        self
    }
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
) -> Result<Vec<Resource>, ParseError> {
    let packages = match lockfile {
        Lockfile::Cargo => rust::cargo(text)?,
        Lockfile::Npm => javascript::npm(text)?,
        Lockfile::Yarn => javascript::yarn(text)?,
        Lockfile::Pnpm => javascript::pnpm(text)?,
        Lockfile::Pip => python::requirements(text),
        Lockfile::Poetry | Lockfile::Uv | Lockfile::Pdm => python::toml_lock(text, lockfile)?,
        Lockfile::Pipenv => python::pipfile_lock(text)?,
        Lockfile::GoMod => go::go_mod(text)?,
        Lockfile::Bundler => ruby::gemfile_lock(text),
        Lockfile::Composer => php::composer_lock(text)?,
        Lockfile::Maven => java::pom(text)?,
        Lockfile::Gradle => java::gradle_lockfile(text),
        Lockfile::NuGet => dotnet::packages_lock(text)?,
        Lockfile::Pub => dart::pubspec_lock(text)?,
        Lockfile::Mix => elixir::mix_lock(text),
    };
    Ok(into_resources(source, packages))
}

fn into_resources(source: &str, packages: Vec<Package>) -> Vec<Resource> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    packages
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
        .collect()
}

/// What following a requirements file's `-r` includes yielded.
#[derive(Debug, Default)]
pub struct Included {
    /// Dependencies of the included files; each resource's `source` is the
    /// included file (findings are reported there) and its id ends with
    /// `#<that file>`, unique within the including file's batch.
    pub resources: Vec<Resource>,
    /// Includes that could not be read, at their `-r` line.
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
    /// The included files' text, for the lines reports show.
    pub sources: crate::resource::Sources,
}

/// Where includes may lead, and how much they may read.
#[derive(Debug, Clone, Copy)]
pub struct IncludeLimits<'a> {
    /// The scanned tree, resolved: nothing outside it is read.
    pub boundary: &'a std::path::Path,
    /// The directory display paths are relative to, resolved.
    pub base_dir: &'a std::path::Path,
    /// Largest included file read.
    pub max_file_size: u64,
}

/// Follows the `-r FILE` / `--requirement FILE` lines of a requirements
/// file (`path` on disk, `display` as reported), recursively, up to eight
/// levels, each file once. An included file whose name makes it a
/// requirements file of its own (`requirements-base.txt`) is not followed:
/// the walk reads it anyway. Paths are relative to the including file.
///
/// Only files inside the scanned tree (`limits.boundary`) are read: the
/// include is checked as written (so nothing outside is even looked at)
/// and again with every symlink resolved. A scanned repository must not
/// make rampart read `-r /proc/self/environ` or `-r ../../secret` into a
/// report, whatever directory rampart runs from.
pub fn follow_includes(
    path: &std::path::Path,
    display: &str,
    text: &str,
    limits: &IncludeLimits<'_>,
) -> Included {
    use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
    use crate::read::{Links, ReadError};
    use std::path::{Path, PathBuf};
    let mut out = Included::default();
    // Resolved, so that `..` in an include is applied to the real
    // directory, as the kernel would.
    let own = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    let mut seen: std::collections::BTreeSet<PathBuf> = [own.clone()].into();
    let mut queue: Vec<(PathBuf, String, String, usize)> =
        vec![(own, display.to_owned(), text.to_owned(), 0)];
    while let Some((path, display, text, depth)) = queue.pop() {
        for (include, line) in python::includes(&text) {
            let at = Region::line(line, 1, 1);
            let problem = |message: String| {
                Diagnostic::file(Level::Warning, DiagnosticKind::Io, display.clone(), message)
                    .at(at)
            };
            let written = lexical_join(path.parent().unwrap_or(Path::new("")), &include);
            let name = written
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let parent = written
                .parent()
                .and_then(|p| p.file_name())
                .map(|p| p.to_string_lossy().into_owned());
            if Lockfile::detect(&name, parent.as_deref()) == Some(Lockfile::Pip) {
                continue;
            }
            let outside = || {
                problem(format!(
                    "`-r {include}` points outside the scanned tree: not followed"
                ))
            };
            if !written.starts_with(limits.boundary) {
                out.diagnostics.push(outside());
                continue;
            }
            if depth >= 8 {
                out.diagnostics.push(problem(format!(
                    "`-r {include}`: includes nested too deeply, not followed"
                )));
                continue;
            }
            let real = match written.canonicalize() {
                Ok(real) => real,
                Err(e) => {
                    out.diagnostics.push(problem(format!(
                        "cannot read the included requirements file `{include}`: {}",
                        os_reason(&e)
                    )));
                    continue;
                }
            };
            if !real.starts_with(limits.boundary) {
                out.diagnostics.push(outside());
                continue;
            }
            if !seen.insert(real.clone()) {
                continue;
            }
            let target_display = display_of(&real, limits);
            // Resolved already: a link swapped in since is refused.
            let read = crate::read::read_text(&real, limits.max_file_size, Links::Refuse);
            match read {
                Ok(included) => {
                    let packages = python::requirements(&included);
                    out.resources.extend(
                        into_resources(&target_display, packages)
                            .into_iter()
                            .map(|mut r| {
                                r.id = format!("{}#{target_display}", r.id);
                                r
                            }),
                    );
                    out.sources.insert(target_display.clone(), included.as_str());
                    queue.push((real, target_display, included, depth + 1));
                }
                Err(ReadError::TooLarge { size, limit }) => out.diagnostics.push(
                    Diagnostic::file(
                        Level::Error,
                        DiagnosticKind::Skipped,
                        display.clone(),
                        format!(
                            "the included requirements file {target_display} is not read: {size} bytes is over the size limit of {limit} bytes"
                        ),
                    )
                    .at(at),
                ),
                Err(e) => out.diagnostics.push(
                    Diagnostic::file(
                        Level::Error,
                        DiagnosticKind::Skipped,
                        display.clone(),
                        format!(
                            "the included requirements file {target_display}: {}",
                            crate::inventory::walk::reason(&e)
                        ),
                    )
                    .at(at),
                ),
            }
        }
    }
    out
}

/// `dir` + `include` with `.` and `..` applied as text (an absolute
/// include replaces `dir`), before anything is looked up on disk.
fn lexical_join(dir: &std::path::Path, include: &str) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for component in dir.join(include).components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// How an included file (resolved, inside the boundary) is shown: relative
/// to the base directory if it is inside it, else to the scanned tree.
fn display_of(real: &std::path::Path, limits: &IncludeLimits<'_>) -> String {
    let relative = real
        .strip_prefix(limits.base_dir)
        .or_else(|_| real.strip_prefix(limits.boundary))
        .unwrap_or(real);
    relative
        .components()
        .map(|c| crate::inventory::walk::component_text(c.as_os_str()).into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// An I/O error's reason as the OS says it.
fn os_reason(e: &std::io::Error) -> String {
    e.raw_os_error()
        .map(|code| std::io::Error::from_raw_os_error(code).to_string())
        .unwrap_or_else(|| e.to_string())
}

/// A package URL (<https://github.com/package-url/purl-spec>).
fn purl(purl_type: &str, name: &str, version: Option<&str>) -> String {
    let name = match purl_type {
        // `@scope/name` → namespace `%40scope`, name `name`.
        "npm" => name.replacen('@', "%40", 1),
        "pypi" => name.to_ascii_lowercase().replace('_', "-"),
        // `group:artifact` → namespace `group`, name `artifact`.
        "maven" => name.replacen(':', "/", 1),
        _ => name.to_owned(),
    };
    match version {
        Some(version) => format!("pkg:{purl_type}/{name}@{version}"),
        None => format!("pkg:{purl_type}/{name}"),
    }
}

/// A JSON or YAML lockfile with the region of every node.
fn structured(text: &str) -> Result<yaml::YamlDocument, ParseError> {
    let mut documents = yaml::parse_documents(text)?;
    if documents.is_empty() {
        return Ok(yaml::YamlDocument {
            value: Value::Null,
            spans: SpanIndex::default(),
        });
    }
    Ok(documents.swap_remove(0))
}

/// The JSON type a lockfile section must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// An array.
    List,
    /// An object.
    Map,
}

/// Checks a structured lockfile's shape before it is read: the document
/// is a mapping, at least one of `sections` is there, and each present
/// section has its type. A lockfile of the wrong shape is an error at the
/// offending place — never "0 packages" and a green scan.
fn expect_sections(
    document: &yaml::YamlDocument,
    what: &str,
    sections: &[(&str, Shape)],
) -> Result<(), ParseError> {
    let at = |pointer: &str, message: String| {
        let region = document
            .spans
            .resolve(pointer)
            .map_or(Region::line(1, 1, 1), |(_, r)| r);
        ParseError::at(region.start_line, region.start_column, message)
    };
    let names = sections
        .iter()
        .map(|(name, _)| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    let Some(top) = document.value.as_object() else {
        return Err(at(
            "",
            format!("not a {what}: expected a mapping with {names}"),
        ));
    };
    let mut found = false;
    for (name, shape) in sections {
        let Some(value) = top.get(*name) else {
            continue;
        };
        found = true;
        let ok = match shape {
            Shape::List => value.is_array(),
            Shape::Map => value.is_object() || value.is_null(),
        };
        if !ok {
            let expected = match shape {
                Shape::List => "a list",
                Shape::Map => "a mapping",
            };
            return Err(at(
                &format!("/{}", crate::resource::escape_pointer_token(name)),
                format!("`{name}` must be {expected} in a {what}"),
            ));
        }
    }
    if !found {
        return Err(at("", format!("not a {what}: it has no {names}")));
    }
    Ok(())
}

/// A TOML lockfile, with errors placed.
fn toml_document(text: &str) -> Result<toml_edit::ImDocument<&str>, ParseError> {
    toml_edit::ImDocument::parse(text).map_err(|e| {
        let lines = super::lines::LineIndex::new(text);
        let (line, column) = e.span().map(|s| lines.position(s.start)).unwrap_or((1, 1));
        ParseError::at(line, column, e.message().trim().replace('\n', "; "))
    })
}

/// The region of a whole line (1-based), for line-oriented formats.
fn line_region(text_line: &str, line: usize) -> Region {
    let width = u32::try_from(text_line.chars().count() + 1).unwrap_or(u32::MAX);
    Region::line(u32::try_from(line).unwrap_or(u32::MAX), 1, width)
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
        assert_eq!(err.line(), 1);
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
    fn include_paths() {
        use std::path::Path;
        assert_eq!(
            lexical_join(Path::new("/r/app"), "../base.txt"),
            Path::new("/r/base.txt")
        );
        assert_eq!(
            lexical_join(Path::new("/r"), "./a/../../../etc/x"),
            Path::new("/etc/x")
        );
        assert_eq!(
            lexical_join(Path::new("/r"), "/proc/self/environ"),
            Path::new("/proc/self/environ")
        );
        assert_eq!(
            python::includes(
                "-r a.txt\n--requirement=b.txt  # c\n-rc.txt\n-e .\n-r https://x/y.txt\n"
            ),
            [
                ("a.txt".to_owned(), 1),
                ("b.txt".to_owned(), 2),
                ("c.txt".to_owned(), 3)
            ]
        );
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
