//! dpkg (Debian, Ubuntu): `[epoch:]upstream[-revision]`, compared as dpkg's `verrevcmp` does.

use super::{compare_digits, digit_run};
use std::cmp::Ordering;

/// `[epoch:]upstream[-revision]`.
pub(super) fn debian_split(text: &str) -> Option<(u64, &str, &str)> {
    let (epoch, rest) = match text.split_once(':') {
        Some((e, rest)) => (e.parse().ok()?, rest),
        None => (0, text),
    };
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((u, r)) => (u, r),
        None => (rest, ""),
    };
    if upstream.is_empty() || !upstream.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((epoch, upstream, revision))
}

pub(super) fn dpkg_compare(a: &str, b: &str) -> Ordering {
    match (debian_split(a), debian_split(b)) {
        (Some((ea, ua, ra)), Some((eb, ub, rb))) => ea
            .cmp(&eb)
            .then_with(|| verrevcmp(ua, ub))
            .then_with(|| verrevcmp(ra, rb)),
        _ => a.cmp(b),
    }
}

/// dpkg's `verrevcmp`: alternating non-digit and digit runs; in the
/// former `~` sorts before everything (even the end), letters before
/// other characters.
fn verrevcmp(a: &str, b: &str) -> Ordering {
    fn order(c: Option<u8>) -> i32 {
        match c {
            None => 0,
            Some(b'~') => -1,
            Some(c) if c.is_ascii_digit() => 0,
            Some(c) if c.is_ascii_alphabetic() => i32::from(c),
            Some(c) => i32::from(c) + 256,
        }
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let ac = order(a.get(i).copied());
            let bc = order(b.get(j).copied());
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        let (na, ni) = digit_run(a, i);
        let (nb, nj) = digit_run(b, j);
        i = ni;
        j = nj;
        match compare_digits(na, nb) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::super::Scheme;
    use super::super::testing::{ascending, equal};

    #[test]
    fn dpkg_examples() {
        // deb-version(7): `~` sorts before everything, even the end.
        ascending(
            Scheme::Debian,
            &[
                "1.0~~",
                "1.0~~a",
                "1.0~",
                "1.0",
                "1.0-1",
                "1.0-1ubuntu1",
                "1.0-2",
                "1.0a",
                "1.0+dfsg",
                "1.0.1",
                "1.10",
                "1:0.1",
            ],
        );
        equal(Scheme::Debian, "0:1.0", "1.0");
        equal(Scheme::Debian, "1.001", "1.1");
        assert!(Scheme::Debian.parse("x:1.0").is_err());
    }
}
