//! apk-tools (Alpine): numbers, a letter, `_alpha`…`_p` suffixes, `-rN`.

use super::compare_digits;
use std::cmp::Ordering;

/// apk version: `1.2.3[letter](_suffix[N])*[-rN]`.
pub(super) fn alpine_check(text: &str) -> Result<String, &'static str> {
    let parsed = ApkVersion::parse(text).ok_or("not an apk version")?;
    drop(parsed);
    Ok(text.to_owned())
}

#[derive(Debug)]
struct ApkVersion<'a> {
    numbers: Vec<&'a str>,
    letter: Option<u8>,
    suffixes: Vec<(i32, u64)>,
    revision: u64,
}

impl<'a> ApkVersion<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        let (main, revision) = match text.rsplit_once("-r") {
            Some((m, r)) if !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()) => {
                (m, r.parse().ok()?)
            }
            _ => (text, 0),
        };
        let mut parts = main.split('_');
        let head = parts.next()?;
        let letter_at = head
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(head.len());
        let (digits, letter) = head.split_at(letter_at);
        if letter.len() > 1 {
            return None;
        }
        let numbers: Vec<&str> = digits.split('.').collect();
        if numbers
            .iter()
            .any(|n| n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        let mut suffixes = Vec::new();
        for suffix in parts {
            let at = suffix
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(suffix.len());
            let (name, number) = suffix.split_at(at);
            let rank = match name {
                "alpha" => -4,
                "beta" => -3,
                "pre" => -2,
                "rc" => -1,
                "cvs" => 1,
                "svn" => 2,
                "git" => 3,
                "hg" => 4,
                "p" => 5,
                _ => return None,
            };
            suffixes.push((
                rank,
                if number.is_empty() {
                    0
                } else {
                    number.parse().ok()?
                },
            ));
        }
        Some(ApkVersion {
            numbers,
            letter: letter.bytes().next(),
            suffixes,
            revision,
        })
    }
}

pub(super) fn apk_compare(a: &str, b: &str) -> Ordering {
    let (Some(va), Some(vb)) = (ApkVersion::parse(a), ApkVersion::parse(b)) else {
        return a.cmp(b);
    };
    for k in 0..va.numbers.len().max(vb.numbers.len()) {
        let order = match (va.numbers.get(k), vb.numbers.get(k)) {
            (Some(x), Some(y)) => {
                // After the first component, a leading zero makes apk
                // compare as a decimal fraction (`1.01` < `1.1`).
                if k > 0 && (x.starts_with('0') || y.starts_with('0')) {
                    x.cmp(y)
                } else {
                    compare_digits(x.as_bytes(), y.as_bytes())
                }
            }
            (Some(_), None) => Ordering::Greater,
            (None, Some(_)) => Ordering::Less,
            (None, None) => Ordering::Equal,
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    let order = va.letter.cmp(&vb.letter);
    if order != Ordering::Equal {
        return order;
    }
    for k in 0..va.suffixes.len().max(vb.suffixes.len()) {
        // No suffix ranks between the pre-release and post-release ones.
        let x = va.suffixes.get(k).copied().unwrap_or((0, 0));
        let y = vb.suffixes.get(k).copied().unwrap_or((0, 0));
        let order = x.cmp(&y);
        if order != Ordering::Equal {
            return order;
        }
    }
    va.revision.cmp(&vb.revision)
}

#[cfg(test)]
mod tests {
    use super::super::Scheme;
    use super::super::testing::{ascending, equal};

    #[test]
    fn apk_examples() {
        // apk-tools test/version.data.
        ascending(
            Scheme::Alpine,
            &[
                "1.0_alpha1",
                "1.0_beta",
                "1.0_pre2",
                "1.0_rc1",
                "1.0",
                "1.0-r1",
                "1.0_p1",
                "1.0a",
                "1.0.1",
                "1.01.1",
                "1.1",
                "1.2_git20200101",
            ],
        );
        equal(Scheme::Alpine, "1.0-r0", "1.0");
    }
}
