//! Elixir: `mix.lock`.

use super::{Package, line_region};

/// Hex entries, one per line as `mix` writes them:
/// `  "plug": {:hex, :plug, "1.14.0", "sha", [:mix], [...], "hexpm", "sha"},`.
/// Git and path dependencies (`{:git, …}`) are not Hex releases.
pub(super) fn mix_lock(text: &str) -> Vec<Package> {
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let Some((_, rest)) = line.split_once(": {:hex, :") else {
            continue;
        };
        let mut fields = rest.splitn(3, ',');
        let (Some(name), Some(version)) = (fields.next(), fields.next()) else {
            continue;
        };
        let name = name.trim().trim_matches('"');
        let version = version.trim().trim_matches('"');
        if name.is_empty() || version.is_empty() {
            continue;
        }
        out.push(Package::new(
            "Hex",
            "hex",
            name,
            Some(version.to_owned()),
            Some(line_region(line, k + 1)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_entries() {
        let text = "%{\n  \"cowboy\": {:hex, :cowboy, \"2.10.0\", \"ff9ffeff\", [:make, :rebar3], [{:cowlib, \"2.12.1\", [hex: :cowlib, repo: \"hexpm\", optional: false]}], \"hexpm\", \"3afdccb7\"},\n  \"my_dep\": {:git, \"https://github.com/x/my_dep.git\", \"abc\", []},\n  \"plug\": {:hex, :plug, \"1.14.0\", \"ba4f558\", [:mix], [], \"hexpm\", \"bf3c2fb\"},\n}\n";
        let found: Vec<(String, String, u32)> = mix_lock(text)
            .into_iter()
            .map(|p| {
                (
                    p.name,
                    p.version.unwrap_or_default(),
                    p.region.map_or(0, |r| r.start_line),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("cowboy".into(), "2.10.0".into(), 2),
                ("plug".into(), "1.14.0".into(), 4)
            ]
        );
    }
}
