//! Java: `pom.xml` (declared versions) and Gradle lockfiles.

use super::{Package, ParseError, line_region};
use crate::inventory::lines::LineIndex;
use std::collections::BTreeMap;

fn child<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'input>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(node: Option<roxmltree::Node<'_, '_>>) -> Option<String> {
    node.and_then(|n| n.text()).map(|t| t.trim().to_owned())
}

/// `${name}` placeholders replaced from the POM's properties; `None` when
/// one cannot be (a property of a parent POM, an environment variable).
fn interpolate(value: &str, properties: &BTreeMap<String, String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = value;
    let mut depth = 0;
    while let Some(start) = rest.find("${") {
        depth += 1;
        if depth > 16 {
            return None;
        }
        let end = rest[start..].find('}')? + start;
        out.push_str(&rest[..start]);
        let resolved = properties.get(&rest[start + 2..end])?;
        out.push_str(&interpolate(resolved, properties)?);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Every `<dependency>` of the POM — `dependencies`, `dependencyManagement`
/// and those of `profiles` — as `groupId:artifactId` with its declared
/// version, properties resolved. Versions inherited from a parent POM or a
/// BOM, and version ranges (`[1.0,2.0)`), are not known from this file: the
/// dependency is kept without a version. Test-scoped dependencies are
/// marked `dev`.
pub(super) fn pom(text: &str) -> Result<Vec<Package>, ParseError> {
    let lines = LineIndex::new(text);
    // No DTD: no entity expansion to bomb us.
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 1 << 20,
        ..Default::default()
    };
    let document = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let position = e.pos();
        ParseError::at(position.row, position.col, e.to_string())
    })?;
    let project = document.root_element();
    if project.tag_name().name() != "project" {
        return Ok(Vec::new());
    }
    let mut properties: BTreeMap<String, String> = BTreeMap::new();
    if let Some(declared) = child(project, "properties") {
        for property in declared.children().filter(|c| c.is_element()) {
            if let Some(value) = property.text() {
                properties.insert(
                    property.tag_name().name().to_owned(),
                    value.trim().to_owned(),
                );
            }
        }
    }
    let parent = child(project, "parent");
    for (key, own, inherited) in [
        (
            "version",
            child(project, "version"),
            parent.and_then(|p| child(p, "version")),
        ),
        (
            "groupId",
            child(project, "groupId"),
            parent.and_then(|p| child(p, "groupId")),
        ),
        ("artifactId", child(project, "artifactId"), None),
    ] {
        if let Some(value) = text_of(own.or(inherited)) {
            properties.insert(format!("project.{key}"), value.clone());
            properties.insert(format!("pom.{key}"), value);
        }
    }
    let mut lists = vec![child(project, "dependencies")];
    lists.push(child(project, "dependencyManagement").and_then(|m| child(m, "dependencies")));
    if let Some(profiles) = child(project, "profiles") {
        for profile in children(profiles, "profile") {
            lists.push(child(profile, "dependencies"));
            lists.push(
                child(profile, "dependencyManagement").and_then(|m| child(m, "dependencies")),
            );
        }
    }
    let mut out = Vec::new();
    for list in lists.into_iter().flatten() {
        for dependency in children(list, "dependency") {
            let field = |name: &str| {
                text_of(child(dependency, name)).and_then(|v| interpolate(&v, &properties))
            };
            let (Some(group), Some(artifact)) = (field("groupId"), field("artifactId")) else {
                continue;
            };
            // A BOM import is a set of versions, not a dependency.
            if field("scope").as_deref() == Some("import") {
                continue;
            }
            let version =
                field("version").filter(|v| !v.starts_with(['[', '(']) && !v.contains(','));
            let range = dependency.range();
            let mut package = Package::new(
                "Maven",
                "maven",
                format!("{group}:{artifact}"),
                version,
                lines.region(Some(range)),
            )
            .dev(Some(field("scope").as_deref() == Some("test")));
            package.requirement = None;
            out.push(package);
        }
    }
    Ok(out)
}

/// `group:artifact:version=configuration,…` per line; `empty=` lists
/// configurations without dependencies. A dependency only in test
/// configurations is marked `dev`.
pub(super) fn gradle_lockfile(text: &str) -> Vec<Package> {
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line_text = line.trim();
        if line_text.is_empty() || line_text.starts_with('#') {
            continue;
        }
        let (coordinates, configurations) = line_text.split_once('=').unwrap_or((line_text, ""));
        let parts: Vec<&str> = coordinates.split(':').collect();
        let [group, artifact, version] = parts.as_slice() else {
            continue;
        };
        let dev = !configurations.is_empty()
            && configurations
                .split(',')
                .all(|c| c.trim().to_ascii_lowercase().starts_with("test"));
        out.push(
            Package::new(
                "Maven",
                "maven",
                format!("{group}:{artifact}"),
                Some((*version).to_owned()),
                Some(line_region(line, k + 1)),
            )
            .dev(Some(dev)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(packages: Vec<Package>) -> Vec<(String, Option<String>, u32, Option<bool>)> {
        packages
            .into_iter()
            .map(|p| {
                (
                    p.name,
                    p.version,
                    p.region.map_or(0, |r| r.start_line),
                    p.dev,
                )
            })
            .collect()
    }

    #[test]
    fn pom_properties_management_scopes() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>app</artifactId>
  <version>1.0.0</version>
  <properties>
    <jackson.version>2.13.0</jackson.version>
    <log4j.version>${log4j.base}.1</log4j.version>
    <log4j.base>2.14</log4j.base>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.springframework</groupId>
        <artifactId>spring-framework-bom</artifactId>
        <version>5.3.20</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>${log4j.version}</version>
    </dependency>
    <dependency>
      <groupId>org.springframework</groupId>
      <artifactId>spring-core</artifactId>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>other</artifactId>
      <version>[1.0,2.0)</version>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.13.1</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
"#;
        assert_eq!(
            summary(pom(text).unwrap()),
            [
                (
                    "com.fasterxml.jackson.core:jackson-databind".into(),
                    Some("2.13.0".into()),
                    24,
                    Some(false)
                ),
                (
                    "org.apache.logging.log4j:log4j-core".into(),
                    Some("2.14.1".into()),
                    29,
                    Some(false)
                ),
                (
                    "org.springframework:spring-core".into(),
                    None,
                    34,
                    Some(false)
                ),
                ("com.example:other".into(), None, 38, Some(false)),
                ("junit:junit".into(), Some("4.13.1".into()), 43, Some(true)),
            ]
        );
        let err = pom("<project><dependencies></project>").unwrap_err();
        assert_eq!(err.line(), 1);
    }

    #[test]
    fn gradle_lockfile_lines() {
        let text = "# This is a Gradle generated file for dependency locking.\n# Manual edits can break the build and are not advised.\n# This file is expected to be part of source control.\ncom.google.guava:guava:31.1-jre=compileClasspath,runtimeClasspath\njunit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\nempty=annotationProcessor\n";
        assert_eq!(
            summary(gradle_lockfile(text)),
            [
                (
                    "com.google.guava:guava".into(),
                    Some("31.1-jre".into()),
                    4,
                    Some(false)
                ),
                ("junit:junit".into(), Some("4.13.2".into()), 5, Some(true)),
            ]
        );
    }
}
