//! `host.package`: what the package manager installed — dpkg
//! (`/var/lib/dpkg/status`, and `status.d/` of distroless images), apk
//! (`/lib/apk/db/installed`) and rpm (its database read by `rpm -qa`: the
//! scanning machine's `rpm` for a root filesystem, the host's over SSH). Each package is also a `dependency`
//! resource, so the OSV matching of lockfiles applies to OS packages.

use super::{HostReader, LineIndex};
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
    match reader.fs().fact(RPM_QUERY) {
        Some(text) => packages.extend(rpm_query(&text)),
        None => {
            if let Some(db) = RPM_DATABASES.iter().find(|db| reader.fs().stat(db).is_ok()) {
                reader.problem(
                    db,
                    format!(
                        "{db} is an rpm database, but it could not be read: the `rpm` program is needed (apt-get install rpm); rpm packages were not inventoried"
                    ),
                );
            }
        }
    }
    let ecosystem = osv_ecosystem(os_id, os_version);
    let mut out = Vec::with_capacity(packages.len() * 2);
    let lines: BTreeMap<&str, LineIndex<'_>> = texts
        .iter()
        .map(|(file, text)| (file.as_str(), LineIndex::new(text)))
        .collect();
    for p in packages {
        let mut spans = SpanIndex::default();
        if p.line > 0 {
            let region = match lines.get(p.file.as_str()) {
                Some(lines) => lines.line_region(p.line),
                None => super::whole_line("", p.line),
            };
            spans.insert("", region);
        }
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
            "rpm" => ("rpm", os_id.unwrap_or("redhat")),
            _ => ("deb", os_id.unwrap_or("debian")),
        };
        let mut qualifiers = Vec::new();
        if let Some(arch) = &p.architecture {
            qualifiers.push(format!("arch={arch}"));
        }
        // purl puts an rpm epoch in a qualifier, not in the version.
        let mut purl_version = p.version.as_str();
        if p.manager == "rpm"
            && let Some((epoch, rest)) = p.version.split_once(':')
        {
            qualifiers.push(format!("epoch={epoch}"));
            purl_version = rest;
        }
        if let (Some(id), Some(version)) = (os_id, os_version) {
            qualifiers.push(format!("distro={id}-{version}"));
        }
        let purl = format!(
            "pkg:{purl_type}/{namespace}/{}@{}{}{}",
            p.name,
            purl_version.replace('+', "%2B").replace(':', "%3A"),
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

/// The fact (see [`HostFs::fact`](super::fs::HostFs::fact)) holding the
/// rpm database as `rpm -qa --queryformat` prints it with [`RPM_FORMAT`].
pub const RPM_QUERY: &str = "rpm -qa";

/// One line per package: name, epoch (`(none)` if none), version,
/// release, architecture, source rpm, tab-separated.
pub const RPM_FORMAT: &str =
    "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n";

/// Where rpm databases live (newer distributions: `/usr/lib/sysimage/rpm`).
pub const RPM_DATABASES: &[&str] = &["/var/lib/rpm", "/usr/lib/sysimage/rpm"];

/// Packages from `rpm -qa --queryformat RPM_FORMAT` output. Versions are
/// `[epoch:]version-release`, as rpm advisories write them; the source
/// package is the source rpm's name.
pub fn rpm_query(text: &str) -> Vec<InstalledPackage> {
    let mut out: Vec<InstalledPackage> = text
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [name, epoch, version, release, arch, source] = fields[..] else {
                return None;
            };
            if name.is_empty() || name == "gpg-pubkey" {
                return None;
            }
            let evr = match epoch {
                "(none)" | "" | "0" => format!("{version}-{release}"),
                epoch => format!("{epoch}:{version}-{release}"),
            };
            // `bash-5.1.8-6.el9.src.rpm` → `bash`.
            let source_name = source
                .strip_suffix(".src.rpm")
                .and_then(|s| s.rsplitn(3, '-').nth(2))
                .unwrap_or(name)
                .to_owned();
            Some(InstalledPackage {
                manager: "rpm",
                name: name.to_owned(),
                version: evr.clone(),
                architecture: Some(arch.to_owned()).filter(|a| a != "(none)"),
                multi_arch: None,
                source_name,
                source_version: evr,
                file: RPM_DATABASES[0].to_owned(),
                line: 0,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.name, &a.architecture, &a.version).cmp(&(&b.name, &b.architecture, &b.version))
    });
    out
}

/// The OSV ecosystem of the distribution's packages: `Debian:12`,
/// `Ubuntu:22.04`, `Alpine:v3.19`.
pub fn osv_ecosystem(os_id: Option<&str>, version: Option<&str>) -> Option<String> {
    let version = version?;
    Some(match os_id? {
        "debian" => format!("Debian:{}", version.split('.').next().unwrap_or(version)),
        "ubuntu" => format!("Ubuntu:{version}"),
        "rocky" => format!(
            "Rocky Linux:{}",
            version.split('.').next().unwrap_or(version)
        ),
        "almalinux" => format!("AlmaLinux:{}", version.split('.').next().unwrap_or(version)),
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
    fn rpm_lines() {
        let text = "bash\t(none)\t5.1.8\t6.el9\tx86_64\tbash-5.1.8-6.el9.src.rpm\nperl-Errno\t0\t1.30\t480.el9\tx86_64\tperl-5.32.1-480.el9.src.rpm\ngpg-pubkey\t(none)\t8483c65d\t5ccc5b19\t(none)\t(none)\nshadow-utils\t2\t4.9\t8.el9\tx86_64\tshadow-utils-4.9-8.el9.src.rpm\n";
        let p = rpm_query(text);
        let summary: Vec<(&str, &str, &str)> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.source_name.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("bash", "5.1.8-6.el9", "bash"),
                ("perl-Errno", "1.30-480.el9", "perl"),
                ("shadow-utils", "2:4.9-8.el9", "shadow-utils"),
            ]
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
