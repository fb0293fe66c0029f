//! Go: `go.mod`.
//!
//! `go.sum` is not read: it lists every version the module graph ever
//! considered (including `/go.mod`-only entries never built), so matching
//! it reports vulnerabilities in code that is not compiled in; `go.mod`
//! (Go 1.17+) lists every module of the build, with `// indirect` marking
//! the transitive ones. OSV-Scanner made the same choice.

use super::{Package, ParseError, line_region};

fn module(path: &str, version: &str, line: &str, at: usize, indirect: bool) -> Package {
    Package::new(
        "Go",
        "golang",
        path,
        Some(version.to_owned()),
        Some(line_region(line, at)),
    )
    .direct(Some(!indirect))
}

/// `require` directives (single-line and blocks) with `replace` directives
/// applied; the toolchain (`toolchain go1.22.3`, else `go 1.22.3`) as the
/// `stdlib` module, which is how OSV publishes standard-library advisories.
pub(super) fn go_mod(text: &str) -> Result<Vec<Package>, ParseError> {
    let mut requires: Vec<Package> = Vec::new();
    let mut replaces: Vec<(String, Option<String>, String, Option<String>)> = Vec::new();
    let mut toolchain: Option<(String, usize, String)> = None;
    let mut go_directive: Option<(String, usize, String)> = None;
    let mut block: Option<&str> = None;
    for (k, raw) in text.lines().enumerate() {
        let line_no = k + 1;
        let (code, comment) = match raw.split_once("//") {
            Some((c, comment)) => (c.trim(), comment.trim()),
            None => (raw.trim(), ""),
        };
        let indirect = comment.split_whitespace().next() == Some("indirect")
            || comment.starts_with("indirect;");
        if code.is_empty() {
            continue;
        }
        if block.is_some() && code == ")" {
            block = None;
            continue;
        }
        let (directive, rest) = match block {
            Some(directive) => (directive, code),
            None => {
                let (directive, rest) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
                let rest = rest.trim();
                if rest == "(" {
                    block = Some(match directive {
                        "require" => "require",
                        "replace" => "replace",
                        _ => "other",
                    });
                    continue;
                }
                (directive, rest)
            }
        };
        let fields: Vec<&str> = rest
            .split_whitespace()
            .map(|f| f.trim_matches('"'))
            .collect();
        match directive {
            "require" if fields.len() >= 2 => {
                requires.push(module(fields[0], fields[1], raw, line_no, indirect));
            }
            "replace" => {
                // `old [v] => new [v]`
                if let Some(arrow) = fields.iter().position(|f| *f == "=>") {
                    let old = fields.first().map(|s| (*s).to_owned());
                    let old_version = (arrow == 2).then(|| fields[1].to_owned());
                    let new = fields.get(arrow + 1).map(|s| (*s).to_owned());
                    let new_version = fields.get(arrow + 2).map(|s| (*s).to_owned());
                    if let (Some(old), Some(new)) = (old, new) {
                        replaces.push((old, old_version, new, new_version));
                    }
                }
            }
            "toolchain" if !fields.is_empty() => {
                toolchain = Some((
                    fields[0].trim_start_matches("go").to_owned(),
                    line_no,
                    raw.to_owned(),
                ));
            }
            "go" if !fields.is_empty() => {
                go_directive = Some((fields[0].to_owned(), line_no, raw.to_owned()));
            }
            _ => {}
        }
    }
    for package in &mut requires {
        let version = package.version.clone();
        if let Some((_, _, new, new_version)) = replaces.iter().find(|(old, old_version, _, _)| {
            *old == package.name && (old_version.is_none() || *old_version == version)
        }) {
            match new_version {
                // A local directory replaces the module: nothing to match.
                None => package.version = None,
                Some(v) => {
                    package.name = new.clone();
                    package.version = Some(v.clone());
                }
            }
        }
    }
    requires.retain(|p| p.version.is_some());
    if let Some((version, at, line)) = toolchain.or(go_directive) {
        // `go 1.21` means 1.21.0; OSV versions Go itself without the `v`.
        let version = if version.matches('.').count() == 1 {
            format!("{version}.0")
        } else {
            version
        };
        requires.push(Package::new(
            "Go",
            "golang",
            "stdlib",
            Some(version),
            Some(line_region(&line, at)),
        ));
    }
    Ok(requires)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_replaces_and_toolchain() {
        let text = "module example.com/app\n\ngo 1.21\n\ntoolchain go1.22.3\n\nrequire golang.org/x/net v0.17.0\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n\tgithub.com/bytedance/sonic v1.9.1 // indirect\n\texample.com/local v1.0.0\n)\n\nreplace example.com/local => ../local\n\nreplace golang.org/x/net v0.17.0 => golang.org/x/net v0.23.0\n";
        let found: Vec<(String, String, u32, Option<bool>)> = go_mod(text)
            .unwrap()
            .into_iter()
            .map(|p| {
                (
                    p.name,
                    p.version.unwrap_or_default(),
                    p.region.map_or(0, |r| r.start_line),
                    p.direct,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("golang.org/x/net".into(), "v0.23.0".into(), 7, Some(true)),
                (
                    "github.com/gin-gonic/gin".into(),
                    "v1.9.1".into(),
                    10,
                    Some(true)
                ),
                (
                    "github.com/bytedance/sonic".into(),
                    "v1.9.1".into(),
                    11,
                    Some(false)
                ),
                ("stdlib".into(), "1.22.3".into(), 5, None),
            ]
        );
    }
}
