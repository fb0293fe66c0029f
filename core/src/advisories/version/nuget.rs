//! `NuGetVersion`: up to four numbers and SemVer pre-release labels.

use std::cmp::Ordering;

/// Numbers (up to four) and pre-release labels; metadata dropped.
pub(super) fn nuget_parts(text: &str) -> Option<([u64; 4], Vec<&str>)> {
    let text = text.split('+').next()?;
    let (release, pre) = match text.split_once('-') {
        Some((r, p)) => (r, p.split('.').collect()),
        None => (text, Vec::new()),
    };
    let mut numbers = [0u64; 4];
    for (k, part) in release.split('.').enumerate() {
        *numbers.get_mut(k)? = part.parse().ok()?;
    }
    Some((numbers, pre))
}

pub(super) fn nuget_compare(a: &str, b: &str) -> Ordering {
    let (Some((na, pa)), Some((nb, pb))) = (nuget_parts(a), nuget_parts(b)) else {
        return a.cmp(b);
    };
    na.cmp(&nb)
        .then_with(|| match (pa.is_empty(), pb.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => {
                for k in 0..pa.len().max(pb.len()) {
                    let order = match (pa.get(k), pb.get(k)) {
                        (Some(x), Some(y)) => match (x.parse::<u64>(), y.parse::<u64>()) {
                            (Ok(x), Ok(y)) => x.cmp(&y),
                            (Ok(_), Err(_)) => Ordering::Less,
                            (Err(_), Ok(_)) => Ordering::Greater,
                            (Err(_), Err(_)) => x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()),
                        },
                        (Some(_), None) => Ordering::Greater,
                        (None, Some(_)) => Ordering::Less,
                        (None, None) => Ordering::Equal,
                    };
                    if order != Ordering::Equal {
                        return order;
                    }
                }
                Ordering::Equal
            }
        })
}

#[cfg(test)]
mod tests {
    use super::super::Scheme;
    use super::super::testing::{ascending, equal};

    #[test]
    fn nuget_examples() {
        ascending(
            Scheme::NuGet,
            &[
                "1.0.0-alpha",
                "1.0.0-Beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0",
                "1.0.0.1",
                "1.0.1",
            ],
        );
        equal(Scheme::NuGet, "1.0", "1.0.0.0");
        equal(Scheme::NuGet, "1.0.0-BETA", "1.0.0-beta");
        equal(Scheme::NuGet, "1.0.0+meta", "1.0.0");
    }
}
