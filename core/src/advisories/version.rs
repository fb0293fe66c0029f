//! Version ordering per ecosystem.
//!
//! OSV `ECOSYSTEM` ranges are ordered by the ecosystem's own rules, and
//! those rules disagree in ways that matter for matching: `1.0.0-rc1` is
//! before `1.0.0` everywhere, but `1.0~rc1` is before `1.0` only in Debian,
//! `1.0.a` is a pre-release in RubyGems and `1.0-sp1` is *after* `1.0` in
//! Maven. Each scheme here follows its ecosystem's reference
//! implementation, and the tests carry that implementation's documented
//! edge cases.

use std::cmp::Ordering;
use std::str::FromStr;

/// How versions of an ecosystem are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Semantic Versioning 2.0 (crates.io, npm, Hex, Pub; Go with its `v`
    /// prefix, pseudo-versions and `+incompatible`).
    Semver,
    /// Go module versions: SemVer with a leading `v`.
    Go,
    /// PEP 440 (PyPI).
    Pep440,
    /// `Gem::Version` (RubyGems).
    RubyGems,
    /// Maven's `ComparableVersion`.
    Maven,
    /// `NuGetVersion`: up to four numbers, SemVer pre-release labels
    /// compared case-insensitively.
    NuGet,
    /// dpkg (Debian, Ubuntu).
    Debian,
    /// apk-tools (Alpine).
    Alpine,
    /// rpmvercmp (Red Hat, Rocky, AlmaLinux, SUSE, openSUSE).
    Rpm,
    /// Composer (Packagist): dotted numbers and stability suffixes.
    Composer,
}

impl Scheme {
    /// The ordering of an OSV ecosystem name (`Debian:12` → Debian), if
    /// rampart knows it.
    pub fn of_ecosystem(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        Some(match base {
            "crates.io" | "npm" | "Hex" | "Pub" => Scheme::Semver,
            "Go" => Scheme::Go,
            "PyPI" => Scheme::Pep440,
            "RubyGems" => Scheme::RubyGems,
            "Maven" => Scheme::Maven,
            "NuGet" => Scheme::NuGet,
            "Debian" | "Ubuntu" => Scheme::Debian,
            "Alpine" => Scheme::Alpine,
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "Mageia" => Scheme::Rpm,
            "Packagist" => Scheme::Composer,
            _ => return None,
        })
    }

    /// Parses a version of this scheme.
    ///
    /// ```
    /// use rampart_core::advisories::version::Scheme;
    /// let a = Scheme::Pep440.parse("1.0rc1").unwrap();
    /// let b = Scheme::Pep440.parse("1.0").unwrap();
    /// assert!(a < b);
    /// assert!(Scheme::Debian.parse("1.0~rc1").unwrap() < Scheme::Debian.parse("1.0").unwrap());
    /// ```
    pub fn parse(self, text: &str) -> Result<Version, VersionError> {
        let text = text.trim();
        let error = |why: &str| VersionError {
            version: text.to_owned(),
            scheme: self,
            why: why.to_owned(),
        };
        if text.is_empty() {
            return Err(error("empty version"));
        }
        let repr = match self {
            Scheme::Semver => Repr::Semver(
                semver::Version::parse(text.strip_prefix('v').unwrap_or(text))
                    .map_err(|e| error(&e.to_string()))?,
            ),
            Scheme::Go => Repr::Semver(
                semver::Version::parse(text.strip_prefix('v').unwrap_or(text))
                    .map_err(|e| error(&e.to_string()))?,
            ),
            Scheme::Pep440 => {
                Repr::Pep440(pep440_rs::Version::from_str(text).map_err(|e| error(&e.to_string()))?)
            }
            Scheme::Debian => {
                debian_split(text).ok_or_else(|| error("not a dpkg version"))?;
                Repr::Text(text.to_owned())
            }
            Scheme::Alpine => Repr::Text(alpine_check(text).map_err(&error)?),
            Scheme::RubyGems => {
                if !text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
                {
                    return Err(error("not a gem version"));
                }
                Repr::Text(text.to_owned())
            }
            Scheme::NuGet => {
                nuget_parts(text).ok_or_else(|| error("not a NuGet version"))?;
                Repr::Text(text.to_owned())
            }
            Scheme::Maven | Scheme::Rpm | Scheme::Composer => Repr::Text(text.to_owned()),
        };
        Ok(Version { scheme: self, repr })
    }
}

/// A version that cannot be parsed under its ecosystem's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{version}` is not a valid {scheme:?} version: {why}")]
pub struct VersionError {
    /// The text.
    pub version: String,
    /// The scheme it was parsed with.
    pub scheme: Scheme,
    /// What is wrong.
    pub why: String,
}

/// A parsed version; versions of the same scheme are totally ordered.
#[derive(Debug, Clone)]
pub struct Version {
    scheme: Scheme,
    repr: Repr,
}

#[derive(Debug, Clone)]
enum Repr {
    Semver(semver::Version),
    Pep440(pep440_rs::Version),
    Text(String),
}

impl Version {
    /// The scheme it was parsed with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.repr, &other.repr) {
            // SemVer precedence ignores build metadata (`+incompatible`).
            (Repr::Semver(a), Repr::Semver(b)) => a.cmp_precedence(b),
            (Repr::Pep440(a), Repr::Pep440(b)) => a.cmp(b),
            (Repr::Text(a), Repr::Text(b)) => match self.scheme {
                Scheme::Debian => dpkg_compare(a, b),
                Scheme::Alpine => apk_compare(a, b),
                Scheme::Rpm => rpm_compare(a, b),
                Scheme::RubyGems => gem_compare(a, b),
                Scheme::Maven => maven_compare(a, b),
                Scheme::NuGet => nuget_compare(a, b),
                Scheme::Composer => composer_compare(a, b),
                _ => a.cmp(b),
            },
            // Different representations only arise from different schemes,
            // which callers never compare; order them deterministically.
            (a, b) => repr_rank(a).cmp(&repr_rank(b)),
        }
    }
}

fn repr_rank(repr: &Repr) -> u8 {
    match repr {
        Repr::Semver(_) => 0,
        Repr::Pep440(_) => 1,
        Repr::Text(_) => 2,
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

// ---------------------------------------------------------------- dpkg

/// `[epoch:]upstream[-revision]`.
fn debian_split(text: &str) -> Option<(u64, &str, &str)> {
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

fn dpkg_compare(a: &str, b: &str) -> Ordering {
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

/// The digits starting at `from`, and the index after them.
fn digit_run(s: &[u8], from: usize) -> (&[u8], usize) {
    let from = from.min(s.len());
    let end = s[from..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map_or(s.len(), |p| from + p);
    (&s[from..end], end)
}

/// Compares two runs of ASCII digits as numbers of any size.
fn compare_digits(a: &[u8], b: &[u8]) -> Ordering {
    let trim = |s: &[u8]| -> usize { s.iter().take_while(|c| **c == b'0').count() };
    let (a, b) = (&a[trim(a)..], &b[trim(b)..]);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

// ---------------------------------------------------------------- rpm

/// `[epoch:]version[-release]`, each part by `rpmvercmp`.
fn rpm_compare(a: &str, b: &str) -> Ordering {
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

// ---------------------------------------------------------------- apk

/// apk version: `1.2.3[letter](_suffix[N])*[-rN]`.
fn alpine_check(text: &str) -> Result<String, &'static str> {
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

fn apk_compare(a: &str, b: &str) -> Ordering {
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

// ---------------------------------------------------------------- RubyGems

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

fn gem_compare(a: &str, b: &str) -> Ordering {
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

// ---------------------------------------------------------------- Maven

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

fn maven_compare(a: &str, b: &str) -> Ordering {
    maven_list_compare(&maven_parse(a), &maven_parse(b))
}

// ---------------------------------------------------------------- NuGet

/// Numbers (up to four) and pre-release labels; metadata dropped.
fn nuget_parts(text: &str) -> Option<([u64; 4], Vec<&str>)> {
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

fn nuget_compare(a: &str, b: &str) -> Ordering {
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

// ---------------------------------------------------------------- Composer

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

fn composer_compare(a: &str, b: &str) -> Ordering {
    composer_key(a).cmp(&composer_key(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that the versions are strictly ascending under `scheme`.
    fn ascending(scheme: Scheme, versions: &[&str]) {
        let parsed: Vec<Version> = versions
            .iter()
            .map(|v| scheme.parse(v).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        // Every pair, not only neighbours: a list is ascending only if
        // the order is transitive over it.
        for (i, a) in parsed.iter().enumerate() {
            for (j, b) in parsed.iter().enumerate().skip(i + 1) {
                assert_eq!(
                    a.cmp(b),
                    Ordering::Less,
                    "{scheme:?}: expected {} < {}",
                    versions[i],
                    versions[j]
                );
                assert_eq!(b.cmp(a), Ordering::Greater);
            }
        }
    }

    fn equal(scheme: Scheme, a: &str, b: &str) {
        assert_eq!(
            scheme.parse(a).unwrap().cmp(&scheme.parse(b).unwrap()),
            Ordering::Equal,
            "{scheme:?}: expected {a} == {b}"
        );
    }

    #[test]
    fn semver_spec_examples() {
        // semver.org §11.
        ascending(
            Scheme::Semver,
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "2.0.0",
                "2.1.0",
                "2.1.1",
            ],
        );
        equal(Scheme::Semver, "1.0.0+build.1", "1.0.0+build.2");
        assert!(Scheme::Semver.parse("1.0").is_err());
    }

    #[test]
    fn go_pseudo_versions_and_incompatible() {
        ascending(
            Scheme::Go,
            &[
                "v0.0.0-20190101000000-abcdefabcdef",
                "v0.0.0-20210101000000-abcdefabcdef",
                "v0.1.0",
                "v1.2.3-pre",
                "v1.2.3",
                "v1.2.4-0.20220101000000-abcdefabcdef",
                "v1.2.4",
            ],
        );
        equal(Scheme::Go, "v2.0.0+incompatible", "2.0.0");
    }

    #[test]
    fn pep440_spec_examples() {
        // PEP 440, "Summary of permitted suffixes and relative ordering".
        ascending(
            Scheme::Pep440,
            &[
                "1.dev0",
                "1.0.dev456",
                "1.0a1",
                "1.0a2.dev456",
                "1.0a12.dev456",
                "1.0a12",
                "1.0b1.dev456",
                "1.0b2",
                "1.0b2.post345.dev456",
                "1.0b2.post345",
                "1.0rc1.dev456",
                "1.0rc1",
                "1.0",
                "1.0+abc.5",
                "1.0+abc.7",
                "1.0+5",
                "1.0.post456.dev34",
                "1.0.post456",
                "1.0.15",
                "1.1.dev1",
                "1!0.1",
            ],
        );
        equal(Scheme::Pep440, "1.0", "1.0.0");
        equal(Scheme::Pep440, "1.0RC1", "1.0rc1");
        equal(Scheme::Pep440, "v1.0", "1.0");
    }

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

    #[test]
    fn ecosystems_map_to_schemes() {
        assert_eq!(Scheme::of_ecosystem("Debian:12"), Some(Scheme::Debian));
        assert_eq!(Scheme::of_ecosystem("Alpine:v3.19"), Some(Scheme::Alpine));
        assert_eq!(Scheme::of_ecosystem("crates.io"), Some(Scheme::Semver));
        assert_eq!(Scheme::of_ecosystem("Hackage"), None);
    }
}
