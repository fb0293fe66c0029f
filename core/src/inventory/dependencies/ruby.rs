//! Ruby: `Gemfile.lock` (Bundler).

use super::{Package, line_region};
use std::collections::BTreeSet;

/// Specs of the `GEM` section (`    name (1.2.3[-platform])`); `GIT` and
/// `PATH` sources are not RubyGems releases and are left out. Direct gems
/// are those under `DEPENDENCIES`.
pub(super) fn gemfile_lock(text: &str) -> Vec<Package> {
    let mut section = "";
    let mut direct: BTreeSet<&str> = BTreeSet::new();
    let mut specs: Vec<(String, String, usize, &str)> = Vec::new();
    for (k, line) in text.lines().enumerate() {
        if !line.starts_with(' ') && !line.trim().is_empty() {
            section = line.trim();
            continue;
        }
        match section {
            "GEM" => {
                // Exactly four spaces: a spec; six: one of its dependencies.
                let Some(spec) = line.strip_prefix("    ") else {
                    continue;
                };
                if spec.starts_with(' ') {
                    continue;
                }
                let Some((name, rest)) = spec.split_once(" (") else {
                    continue;
                };
                let version = rest.trim_end_matches(')');
                // `1.16.0-x86_64-linux`: the platform follows the first `-`
                // (gem versions spell pre-releases with `.`).
                let version = version.split('-').next().unwrap_or(version);
                specs.push((name.to_owned(), version.to_owned(), k + 1, line));
            }
            "DEPENDENCIES" => {
                if let Some(name) = line.trim().split([' ', '!']).next() {
                    direct.insert(name);
                }
            }
            _ => {}
        }
    }
    specs
        .into_iter()
        .map(|(name, version, at, line)| {
            let is_direct = direct.contains(name.as_str());
            Package::new(
                "RubyGems",
                "gem",
                name,
                Some(version),
                Some(line_region(line, at)),
            )
            .direct(Some(is_direct))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gem_specs_platforms_and_direct() {
        let text = "GIT\n  remote: https://github.com/x/y.git\n  revision: abc\n  specs:\n    y (0.1.0)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    actionpack (7.0.4)\n      rack (~> 2.0)\n    nokogiri (1.16.0-x86_64-linux)\n      racc (~> 1.4)\n    rack (2.2.8)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  actionpack (~> 7.0)\n  y!\n\nBUNDLED WITH\n   2.4.10\n";
        let found: Vec<(String, String, u32, Option<bool>)> = gemfile_lock(text)
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
                ("actionpack".into(), "7.0.4".into(), 10, Some(true)),
                ("nokogiri".into(), "1.16.0".into(), 12, Some(false)),
                ("rack".into(), "2.2.8".into(), 14, Some(false)),
            ]
        );
    }
}
