//! `host.package`: what the package manager installed — dpkg
//! (`/var/lib/dpkg/status`, and `status.d/` of distroless images) and apk
//! (`/lib/apk/db/installed`). Each package is also a `dependency`
//! resource, so the OSV matching of lockfiles applies to OS packages.

use super::{HostReader, line_region};
use crate::inventory::dependencies;
use crate::resource::{Resource, SpanIndex};
use serde_json::json;
use std::collections::BTreeMap;

/// The resource kind.
pub const KIND: &str = "host.package";

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledPackage {
    /// `dpkg` or `apk`.
    pub manager: &'static str,
    /// Binary package name.
    pub name: String,
    /// Installed version.
    pub version: String,
    /// Architecture (`amd64`, `all`, `x86_64`).
    pub architecture: Option<String>,
    /// dpkg's `Multi-Arch` field (`same`, `foreign`, `allowed`).
    pub multi_arch: Option<String>,
    /// Source package (dpkg `Source`, apk origin); the binary name if the
    /// database names none.
    pub source_name: String,
    /// Source version, when it differs from the binary's (binNMUs).
    pub source_version: String,
    /// The file and 1-based line the entry starts at.
    pub file: String,
    /// Line of the entry's first field.
    pub line: usize,
}

/// Packages of the host, as `host.package` and `dependency` resources.
pub fn collect(
    reader: &mut HostReader<'_>,
    os_id: Option<&str>,
    os_version: Option<&str>,
) -> Vec<Resource> {
    let mut packages = Vec::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    if let Some(text) = reader.text("/var/lib/dpkg/status") {
        packages.extend(dpkg_status(&text, "/var/lib/dpkg/status"));
        texts.insert("/var/lib/dpkg/status".to_owned(), text);
    }
    for name in reader.dir("/var/lib/dpkg/status.d") {
        // Distroless images: one stanza per file, plus `*.md5sums`.
        if name.ends_with(".md5sums") {
            continue;
        }
        let path = format!("/var/lib/dpkg/status.d/{name}");
        if let Some(text) = reader.text(&path) {
            packages.extend(dpkg_status(&text, &path));
            texts.insert(path, text);
        }
    }
    if let Some(text) = reader.text("/lib/apk/db/installed") {
        packages.extend(apk_installed(&text, "/lib/apk/db/installed"));
        texts.insert("/lib/apk/db/installed".to_owned(), text);
    }
    let ecosystem = osv_ecosystem(os_id, os_version);
    let mut out = Vec::with_capacity(packages.len() * 2);
    for p in packages {
        let text = texts.get(&p.file).map(String::as_str).unwrap_or("");
        let mut spans = SpanIndex::default();
        spans.insert("", line_region(text, p.line));
        let display = reader.display(&p.file);
        let arch_suffix = p
            .architecture
            .as_deref()
            .map(|a| format!(":{a}"))
            .unwrap_or_default();
        out.push(
            Resource::new(
                KIND,
                format!("host.package:{}/{}{}", p.manager, p.name, arch_suffix),
                display.clone(),
                json!({
                    "manager": p.manager,
                    "name": p.name,
                    "version": p.version,
                    "architecture": p.architecture,
                    "multi_arch": p.multi_arch,
                    "source_name": p.source_name,
                    "source_version": p.source_version,
                }),
            )
            .with_spans(spans.clone()),
        );
        let (purl_type, namespace) = match p.manager {
            "apk" => ("apk", os_id.unwrap_or("alpine")),
            _ => ("deb", os_id.unwrap_or("debian")),
        };
        let mut qualifiers = Vec::new();
        if let Some(arch) = &p.architecture {
            qualifiers.push(format!("arch={arch}"));
        }
        if let (Some(id), Some(version)) = (os_id, os_version) {
            qualifiers.push(format!("distro={id}-{version}"));
        }
        let purl = format!(
            "pkg:{purl_type}/{namespace}/{}@{}{}{}",
            p.name,
            p.version.replace('+', "%2B"),
            if qualifiers.is_empty() { "" } else { "?" },
            qualifiers.join("&")
        );
        out.push(
            Resource::new(
                dependencies::KIND,
                format!(
                    "dependency:{}/{}{}@{}",
                    ecosystem.as_deref().unwrap_or(p.manager),
                    p.name,
                    arch_suffix,
                    p.version
                ),
                display,
                json!({
                    "ecosystem": ecosystem,
                    "name": p.name,
                    "version": p.version,
                    "purl": purl,
                    "direct": null,
                    "dev": null,
                    // Distribution advisories name source packages and
                    // versions: the matcher looks these up.
                    "advisory_name": p.source_name,
                    "advisory_version": p.source_version,
                }),
            )
            .with_spans(spans),
        );
    }
    out
}

/// The OSV ecosystem of the distribution's packages: `Debian:12`,
/// `Ubuntu:22.04`, `Alpine:v3.19`.
pub fn osv_ecosystem(os_id: Option<&str>, version: Option<&str>) -> Option<String> {
    let version = version?;
    Some(match os_id? {
        "debian" => format!("Debian:{}", version.split('.').next().unwrap_or(version)),
        "ubuntu" => format!("Ubuntu:{version}"),
        "alpine" => {
            let mut parts = version.split('.');
            match (parts.next(), parts.next()) {
                (Some(major), Some(minor)) => format!("Alpine:v{major}.{minor}"),
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// The installed packages of a dpkg status file: stanzas separated by
/// blank lines, continuation lines starting with a space.
pub fn dpkg_status(text: &str, file: &str) -> Vec<InstalledPackage> {
    let mut out = Vec::new();
    for (line, fields) in stanzas(text) {
        let get = |name: &str| fields.get(name).map(String::as_str);
        let installed =
            get("Status").is_none_or(|s| s.split_whitespace().nth(2) == Some("installed"));
        let (Some(name), Some(version)) = (get("Package"), get("Version")) else {
            continue;
        };
        if !installed {
            continue;
        }
        // `Source: name` or `Source: name (version)`.
        let (source_name, source_version) = match get("Source") {
            Some(source) => match source.split_once(' ') {
                Some((n, v)) => (
                    n.to_owned(),
                    v.trim()
                        .trim_start_matches('(')
                        .trim_end_matches(')')
                        .to_owned(),
                ),
                None => (source.to_owned(), version.to_owned()),
            },
            None => (name.to_owned(), version.to_owned()),
        };
        out.push(InstalledPackage {
            manager: "dpkg",
            name: name.to_owned(),
            version: version.to_owned(),
            architecture: get("Architecture").map(str::to_owned),
            multi_arch: get("Multi-Arch").map(str::to_owned),
            source_name,
            source_version,
            file: file.to_owned(),
            line,
        });
    }
    out
}

/// The packages of an apk database: records separated by blank lines,
/// one `X:value` field per line.
pub fn apk_installed(text: &str, file: &str) -> Vec<InstalledPackage> {
    let mut out = Vec::new();
    let mut flush = |fields: &mut BTreeMap<char, String>, line: usize| {
        if let (Some(name), Some(version)) = (fields.get(&'P'), fields.get(&'V')) {
            out.push(InstalledPackage {
                manager: "apk",
                name: name.clone(),
                version: version.clone(),
                architecture: fields.get(&'A').cloned(),
                multi_arch: None,
                source_name: fields.get(&'o').cloned().unwrap_or_else(|| name.clone()),
                source_version: version.clone(),
                file: file.to_owned(),
                line,
            });
        }
        fields.clear();
    };
    let mut fields = BTreeMap::new();
    let mut start = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            flush(&mut fields, start);
            continue;
        }
        if fields.is_empty() {
            start = i + 1;
        }
        let mut chars = line.chars();
        if let (Some(key), Some(':')) = (chars.next(), chars.next()) {
            fields
                .entry(key)
                .or_insert_with(|| chars.as_str().to_owned());
        }
    }
    flush(&mut fields, start);
    out
}

/// RFC 822-style stanzas with the line each starts at.
fn stanzas(text: &str) -> Vec<(usize, BTreeMap<String, String>)> {
    let mut out = Vec::new();
    let mut current: BTreeMap<String, String> = BTreeMap::new();
    let mut start = 0;
    let mut last_key: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push((start, std::mem::take(&mut current)));
            }
            last_key = None;
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // A continuation line (descriptions, conffiles): not needed.
            let _ = &last_key;
            continue;
        }
        if current.is_empty() {
            start = i + 1;
        }
        if let Some((key, value)) = line.split_once(':') {
            current.insert(key.to_owned(), value.trim().to_owned());
            last_key = Some(key.to_owned());
        }
    }
    if !current.is_empty() {
        out.push((start, current));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_stanzas_sources_and_states() {
        let text = "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nMulti-Arch: same\nSource: glibc\nVersion: 2.36-9+deb12u4\nDescription: GNU C Library\n continuation: not a field\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n\nPackage: bash\nStatus: install ok installed\nSource: bash (5.2.15-2)\nVersion: 5.2.15-2+b2\n";
        let p = dpkg_status(text, "/var/lib/dpkg/status");
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].name.as_str(), p[0].source_name.as_str(), p[0].line),
            ("libc6", "glibc", 1)
        );
        assert_eq!(p[0].multi_arch.as_deref(), Some("same"));
        assert_eq!(
            (
                p[1].version.as_str(),
                p[1].source_version.as_str(),
                p[1].line
            ),
            ("5.2.15-2+b2", "5.2.15-2", 14)
        );
    }

    #[test]
    fn apk_records() {
        let text = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\nP:busybox\nV:1.36.1-r5\n";
        let p = apk_installed(text, "/lib/apk/db/installed");
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].name.as_str(), p[0].line), ("musl", 1));
        assert_eq!(
            (p[1].name.as_str(), p[1].line, p[1].source_name.as_str()),
            ("busybox", 7, "busybox")
        );
    }

    #[test]
    fn ecosystems() {
        assert_eq!(
            osv_ecosystem(Some("debian"), Some("12")).as_deref(),
            Some("Debian:12")
        );
        assert_eq!(
            osv_ecosystem(Some("alpine"), Some("3.19.1")).as_deref(),
            Some("Alpine:v3.19")
        );
        assert_eq!(
            osv_ecosystem(Some("ubuntu"), Some("22.04")).as_deref(),
            Some("Ubuntu:22.04")
        );
        assert_eq!(osv_ecosystem(Some("arch"), Some("1")), None);
    }
}
