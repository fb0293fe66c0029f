//! `Gem::Version` (RubyGems): segments, a letter segment making a pre-release.

use super::compare_digits;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
enum GemSegment {
    Number(String),
    Text(String),
}

/// `Gem::Version#canonical_segments`: `-` means `.pre.`, digit/letter
/// boundaries split, trailing zeros of the release and of the
/// pre-release part dropped.
fn gem_segments(text: &str) -> Vec<GemSegment> {
    let text = text.replace('-', ".pre.");
    let mut segments = Vec::new();
    for part in text.split('.') {
        let mut rest = part;
        while !rest.is_empty() {
            let digits = rest.starts_with(|c: char| c.is_ascii_digit());
            let end = rest
                .find(|c: char| c.is_ascii_digit() != digits)
                .unwrap_or(rest.len());
            let (token, tail) = rest.split_at(end);
            segments.push(if digits {
                GemSegment::Number(token.trim_start_matches('0').to_owned())
            } else {
                GemSegment::Text(token.to_owned())
            });
            rest = tail;
        }
    }
    let zero = GemSegment::Number(String::new());
    let first_text = segments
        .iter()
        .position(|s| matches!(s, GemSegment::Text(_)))
        .unwrap_or(segments.len());
    let (mut release, mut pre) = (
        segments[..first_text].to_vec(),
        segments[first_text..].to_vec(),
    );
    while release.len() > 1 && release.last() == Some(&zero) {
        release.pop();
    }
    while pre.last() == Some(&zero) {
        pre.pop();
    }
    release.extend(pre);
    release
}

pub(super) fn gem_compare(a: &str, b: &str) -> Ordering {
    let (sa, sb) = (gem_segments(a), gem_segments(b));
    let zero = GemSegment::Number(String::new());
    for k in 0..sa.len().max(sb.len()) {
        let x = sa.get(k).unwrap_or(&zero);
        let y = sb.get(k).unwrap_or(&zero);
        let order = match (x, y) {
            (GemSegment::Number(x), GemSegment::Number(y)) => {
                compare_digits(x.as_bytes(), y.as_bytes())
            }
            (GemSegment::Text(_), GemSegment::Number(_)) => Ordering::Less,
            (GemSegment::Number(_), GemSegment::Text(_)) => Ordering::Greater,
            (GemSegment::Text(x), GemSegment::Text(y)) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::super::Scheme;
    use super::super::testing::{ascending, equal};

    #[test]
    fn rubygems_examples() {
        // Gem::Version documentation.
        ascending(
            Scheme::RubyGems,
            &[
                "1.0.a", "1.0.a.2", "1.0.b1", "1.0.rc1", "1.0", "1.0.1", "1.1.a", "1.1", "2.0.0",
            ],
        );
        equal(Scheme::RubyGems, "1.0", "1.0.0");
        equal(Scheme::RubyGems, "1.0.0-rc1", "1.0.0.pre.rc1");
    }
}
