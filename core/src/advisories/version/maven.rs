//! Maven's `ComparableVersion`, made a total order.

use super::compare_digits;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
enum MavenItem {
    Int(String),
    Text(String),
    List(Vec<MavenItem>),
}

/// Maven's `ComparableVersion.parseVersion`.
fn maven_parse(text: &str) -> Vec<MavenItem> {
    let text = text.to_ascii_lowercase();
    // A stack of lists; `-` and digit/letter transitions open a sub-list.
    let mut stack: Vec<Vec<MavenItem>> = vec![Vec::new()];
    let mut start = 0;
    let mut digit = false;
    let bytes = text.as_bytes();
    let item = |token: &str, digit: bool, followed_by_digit: bool| -> MavenItem {
        if digit {
            MavenItem::Int(token.trim_start_matches('0').to_owned())
        } else {
            let token = if followed_by_digit && token.len() == 1 {
                match token {
                    "a" => "alpha",
                    "b" => "beta",
                    "m" => "milestone",
                    other => other,
                }
            } else {
                token
            };
            MavenItem::Text(token.to_owned())
        }
    };
    fn push(stack: &mut [Vec<MavenItem>], item: MavenItem) {
        if let Some(top) = stack.last_mut() {
            top.push(item);
        }
    }
    fn open(stack: &mut Vec<Vec<MavenItem>>) {
        stack.push(Vec::new());
    }
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'.' => {
                if i == start {
                    push(&mut stack, MavenItem::Int(String::new()));
                } else {
                    push(&mut stack, item(&text[start..i], digit, false));
                }
                start = i + 1;
            }
            b'-' => {
                if i == start {
                    push(&mut stack, MavenItem::Int(String::new()));
                } else {
                    push(&mut stack, item(&text[start..i], digit, false));
                }
                start = i + 1;
                open(&mut stack);
            }
            c if c.is_ascii_digit() => {
                if !digit && i > start {
                    push(&mut stack, item(&text[start..i], false, true));
                    start = i;
                    open(&mut stack);
                }
                digit = true;
            }
            _ => {
                if digit && i > start {
                    push(&mut stack, item(&text[start..i], true, false));
                    start = i;
                    open(&mut stack);
                }
                digit = false;
            }
        }
    }
    if bytes.len() > start {
        push(&mut stack, item(&text[start..], digit, false));
    }
    // Close the lists, normalising each (trailing "null" items removed).
    while stack.len() > 1 {
        let mut list = stack.pop().unwrap_or_default();
        maven_normalize(&mut list);
        push(&mut stack, MavenItem::List(list));
    }
    let mut root = stack.pop().unwrap_or_default();
    maven_normalize(&mut root);
    root
}

fn maven_is_null(item: &MavenItem) -> bool {
    match item {
        MavenItem::Int(n) => n.is_empty(),
        MavenItem::Text(s) => maven_qualifier(s) == maven_qualifier(""),
        MavenItem::List(l) => l.is_empty(),
    }
}

/// Removes trailing null items, and null items before a sub-list.
fn maven_normalize(list: &mut Vec<MavenItem>) {
    let mut k = list.len();
    while k > 0 {
        k -= 1;
        if maven_is_null(&list[k]) {
            list.remove(k);
        } else if !matches!(list[k], MavenItem::List(_)) {
            break;
        }
    }
}

fn maven_qualifier(q: &str) -> String {
    const ORDER: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
    let q = match q {
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    match ORDER.iter().position(|o| *o == q) {
        Some(k) => k.to_string(),
        None => format!("7-{q}"),
    }
}

/// An item against the empty item (what a shorter version is padded with):
/// `0`, `""`, `ga` and a list of such are equal to it, a pre-release
/// qualifier is below it, a number or a later qualifier above it.
fn maven_item_sign(item: &MavenItem) -> Ordering {
    match item {
        MavenItem::Int(n) if n.is_empty() => Ordering::Equal,
        MavenItem::Int(_) => Ordering::Greater,
        MavenItem::Text(q) => maven_qualifier(q).cmp(&maven_qualifier("")),
        // Every item, not just the first (MNG-6964).
        MavenItem::List(items) => maven_suffix_signs(items)
            .first()
            .copied()
            .unwrap_or(Ordering::Equal),
    }
}

/// For each position, how the items from there on compare with nothing:
/// the sign of the first of them that is not equal to the empty item.
fn maven_suffix_signs(items: &[MavenItem]) -> Vec<Ordering> {
    let mut signs = vec![Ordering::Equal; items.len()];
    let mut after = Ordering::Equal;
    for (k, item) in items.iter().enumerate().rev() {
        let sign = maven_item_sign(item);
        if sign.is_ne() {
            after = sign;
        }
        signs[k] = after;
    }
    signs
}

/// Two items of one position whose suffixes compare alike with nothing,
/// by Maven's rules: a number above a sub-list above a qualifier.
fn maven_item_compare(a: &MavenItem, b: &MavenItem) -> Ordering {
    use MavenItem::*;
    let kind = |item: &MavenItem| match item {
        Text(_) => 0,
        List(_) => 1,
        Int(_) => 2,
    };
    match (a, b) {
        (Int(x), Int(y)) => compare_digits(x.as_bytes(), y.as_bytes()),
        (Text(x), Text(y)) => maven_qualifier(x).cmp(&maven_qualifier(y)),
        (List(x), List(y)) => maven_list_compare(x, y),
        _ => kind(a).cmp(&kind(b)),
    }
}

/// Maven's `ListItem.compareTo`, made a total order.
///
/// Maven's own comparison is not transitive: it ranks a sub-list above a
/// qualifier and a number above both whatever they hold, while against a
/// shorter version (padded with nothing) each item counts by its sign. So
/// `1-beta1 > 1.snsp1` although `1-beta1 < 1 < 1.snsp1`, and
/// `1.0.beta > 1.sp` although `1.0.beta < 1 < 1.sp` (the fuzzer found the
/// first). The advisory index sorts and binary-searches versions, which
/// needs a total order, so at each position the signs of the remaining
/// items against nothing come first and Maven's kind rule second. That is
/// lexicographic order over (sign, item) pairs, a total order; it differs
/// from Maven only on pairs Maven orders against their common prefix
/// inconsistently.
fn maven_list_compare(x: &[MavenItem], y: &[MavenItem]) -> Ordering {
    let (signs_x, signs_y) = (maven_suffix_signs(x), maven_suffix_signs(y));
    for k in 0..x.len().max(y.len()) {
        let sign_x = signs_x.get(k).copied().unwrap_or(Ordering::Equal);
        let sign_y = signs_y.get(k).copied().unwrap_or(Ordering::Equal);
        if sign_x != sign_y {
            return sign_x.cmp(&sign_y);
        }
        // Both rests equal nothing: the versions are equal.
        if sign_x.is_eq() {
            return Ordering::Equal;
        }
        // A nonzero sign means an item on both sides.
        if let (Some(a), Some(b)) = (x.get(k), y.get(k)) {
            let order = maven_item_compare(a, b);
            if order.is_ne() {
                return order;
            }
        }
    }
    Ordering::Equal
}

pub(super) fn maven_compare(a: &str, b: &str) -> Ordering {
    maven_list_compare(&maven_parse(a), &maven_parse(b))
}

#[cfg(test)]
mod tests {
    use super::super::Scheme;
    use super::super::testing::{ascending, equal};

    #[test]
    fn maven_examples() {
        // ComparableVersion's documented qualifier order and padding.
        ascending(
            Scheme::Maven,
            &[
                "1-alpha",
                "1-alpha2",
                "1-beta",
                "1-milestone",
                "1-rc",
                "1-snapshot",
                "1",
                "1-sp",
                "1-abc",
                "1-1",
                "1.1",
                "1.2-alpha-1",
                "1.2",
                "1.10",
            ],
        );
        equal(Scheme::Maven, "1", "1.0.0");
        // MNG-6964: a sub-list is compared with nothing item by item.
        ascending(Scheme::Maven, &["1-0.alpha", "1-0.beta", "1", "1-0.sp1"]);
        equal(Scheme::Maven, "1-ga", "1");
        equal(Scheme::Maven, "1-final", "1.0");
        equal(Scheme::Maven, "1.0a1", "1.0-alpha-1");
        equal(Scheme::Maven, "1.0-cr1", "1.0-rc1");
        // Maven's own test vectors (ComparableVersionTest before 3.9's
        // combination items), each strictly above the one before.
        ascending(
            Scheme::Maven,
            &[
                "1-alpha2snapshot",
                "1-alpha2",
                "1-alpha-123",
                "1-beta-2",
                "1-beta123",
                "1-m2",
                "1-m11",
                "1-rc",
                "1-cr2",
                "1-rc123",
                "1-SNAPSHOT",
                "1",
                "1-sp",
                "1-sp2",
                "1-sp123",
                "1-abc",
                "1-def",
                "1-pom-1",
                "1-1-snapshot",
                "1-1",
                "1-2",
                "1-123",
            ],
        );
        ascending(
            Scheme::Maven,
            &[
                "2.0", "2-1", "2.0.a", "2.0.0.a", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b",
                "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11",
                "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
            ],
        );
        // Where Maven's comparison is not transitive, the sign against
        // the common prefix decides (the fuzzer's find, and its kin).
        ascending(Scheme::Maven, &["1-beta1", "1", "1.snsp1"]);
        ascending(Scheme::Maven, &["1.0.beta", "1", "1.sp"]);
        // Unknown qualifiers sort after the release: Maven really orders
        // Jackson's `2.10.0.pr1` after `2.10.0`.
        ascending(
            Scheme::Maven,
            &["2.9.10.7", "2.9.10.8", "2.10.0", "2.10.0.pr1"],
        );
    }
}
