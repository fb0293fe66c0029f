//! Composer (Packagist): dotted numbers and stability suffixes.

use std::cmp::Ordering;

/// Composer's normalised form: up to four numbers, then a stability
/// (`dev` < `alpha` < `beta` < `RC` < stable < `patch`) with its number.
fn composer_key(text: &str) -> (Vec<u64>, i32, u64) {
    let text = text
        .trim()
        .trim_start_matches(['v', 'V'])
        .to_ascii_lowercase();
    let at = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (numbers, rest) = text.split_at(at);
    let mut parts: Vec<u64> = numbers
        .split('.')
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().unwrap_or(u64::MAX))
        .collect();
    parts.resize(4.max(parts.len()), 0);
    let rest = rest.trim_start_matches(['-', '_', '.', '+']);
    let letters: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let number = rest[letters.len()..]
        .trim_start_matches(['.', '-'])
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let stability = match letters.as_str() {
        "" => 0,
        "dev" => -4,
        "alpha" | "a" => -3,
        "beta" | "b" => -2,
        "rc" => -1,
        "patch" | "pl" | "p" => 1,
        _ => -5,
    };
    (parts, stability, number)
}

pub(super) fn composer_compare(a: &str, b: &str) -> Ordering {
    composer_key(a).cmp(&composer_key(b))
}

#[cfg(test)]
mod tests {
    use super::super::Scheme;
    use super::super::testing::{ascending, equal};

    #[test]
    fn composer_examples() {
        ascending(
            Scheme::Composer,
            &[
                "1.0.0-dev",
                "1.0.0-alpha1",
                "1.0.0-beta2",
                "1.0.0-RC1",
                "v1.0.0",
                "1.0.0-p1",
                "1.0.1",
                "1.10",
            ],
        );
        equal(Scheme::Composer, "v1.2", "1.2.0.0");
    }
}
