//! rpm (Red Hat, SUSE …): `[epoch:]version[-release]`, each part by `rpmvercmp`.

use super::compare_digits;
use std::cmp::Ordering;

/// `[epoch:]version[-release]`, each part by `rpmvercmp`.
pub(super) fn rpm_compare(a: &str, b: &str) -> Ordering {
    fn split(s: &str) -> (u64, &str, &str) {
        let (epoch, rest) = match s.split_once(':') {
            Some((e, rest)) if e.chars().all(|c| c.is_ascii_digit()) => {
                (e.parse().unwrap_or(0), rest)
            }
            _ => (0, s),
        };
        match rest.rsplit_once('-') {
            Some((v, r)) => (epoch, v, r),
            None => (epoch, rest, ""),
        }
    }
    let (ea, va, ra) = split(a);
    let (eb, vb, rb) = split(b);
    // A missing release sorts before every release, as rpm orders two
    // EVRs (rpmVersionCompare). Not "matches any release", the rule of
    // dependency ranges: that is no order (1.0-2 = 1.0 = 1.0-1 but
    // 1.0-1 < 1.0-2), and sorting by it can panic.
    ea.cmp(&eb)
        .then_with(|| rpmvercmp(va, vb))
        .then_with(|| rpmvercmp(ra, rb))
}

/// rpm's `rpmvercmp` (lib/rpmvercmp.c): alphanumeric segments, numbers
/// greater than letters, `~` before everything, `^` after the end but
/// before anything else.
fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let separator = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    loop {
        while i < a.len() && separator(a[i]) {
            i += 1;
        }
        while j < b.len() && separator(b[j]) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(ca), Some(_)) = (ca, cb) else {
            break;
        };
        let numeric = ca.is_ascii_digit();
        let take = |s: &[u8], from: usize| -> usize {
            let mut end = from;
            while end < s.len()
                && (if numeric {
                    s[end].is_ascii_digit()
                } else {
                    s[end].is_ascii_alphabetic()
                })
            {
                end += 1;
            }
            end
        };
        let (ea, eb) = (take(a, i), take(b, j));
        if eb == j {
            // Segments of different types: a number is newer.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let order = if numeric {
            compare_digits(&a[i..ea], &b[j..eb])
        } else {
            a[i..ea].cmp(&b[j..eb])
        };
        if order != Ordering::Equal {
            return order;
        }
        i = ea;
        j = eb;
    }
    match (i >= a.len(), j >= b.len()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Scheme;
    use super::super::testing::{ascending, equal};

    #[test]
    fn rpm_examples() {
        // rpm's tests/rpmvercmp.at.
        ascending(
            Scheme::Rpm,
            &[
                "1.0~rc1", "1.0", "1.0^", "1.0^git1", "1.0a", "1.0.1", "1.1", "1.10", "2.0",
            ],
        );
        equal(Scheme::Rpm, "1.0", "1_0");
        equal(Scheme::Rpm, "1.01", "1.1");
        ascending(Scheme::Rpm, &["2.0-1.el8", "2.0-2.el8", "1:1.0-1"]);
        ascending(Scheme::Rpm, &["a", "1"]);
        // A missing release is older than any (found by the fuzzer: as
        // "matches any release", the order was not transitive).
        ascending(Scheme::Rpm, &["1.0", "1.0-1.el8", "1.0-2.el8", "1.1"]);
    }
}
