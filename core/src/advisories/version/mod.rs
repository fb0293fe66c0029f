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

mod apk;
mod composer;
mod dpkg;
mod maven;
mod nuget;
mod rpm;
mod rubygems;

use apk::{alpine_check, apk_compare};
use composer::composer_compare;
use dpkg::{debian_split, dpkg_compare};
use maven::maven_compare;
use nuget::{nuget_compare, nuget_parts};
use rpm::rpm_compare;
use rubygems::gem_compare;

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

/// The digits starting at `from`, and the index after them.
pub(super) fn digit_run(s: &[u8], from: usize) -> (&[u8], usize) {
    let from = from.min(s.len());
    let end = s[from..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map_or(s.len(), |p| from + p);
    (&s[from..end], end)
}

/// Compares two runs of ASCII digits as numbers of any size.
pub(super) fn compare_digits(a: &[u8], b: &[u8]) -> Ordering {
    let trim = |s: &[u8]| -> usize { s.iter().take_while(|c| **c == b'0').count() };
    let (a, b) = (&a[trim(a)..], &b[trim(b)..]);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// What the ecosystems' tests share.
#[cfg(test)]
mod testing {
    use super::*;

    /// Asserts that the versions are strictly ascending under `scheme`.
    pub(super) fn ascending(scheme: Scheme, versions: &[&str]) {
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

    pub(super) fn equal(scheme: Scheme, a: &str, b: &str) {
        assert_eq!(
            scheme.parse(a).unwrap().cmp(&scheme.parse(b).unwrap()),
            Ordering::Equal,
            "{scheme:?}: expected {a} == {b}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{ascending, equal};
    use super::*;

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
    fn ecosystems_map_to_schemes() {
        assert_eq!(Scheme::of_ecosystem("Debian:12"), Some(Scheme::Debian));
        assert_eq!(Scheme::of_ecosystem("Alpine:v3.19"), Some(Scheme::Alpine));
        assert_eq!(Scheme::of_ecosystem("crates.io"), Some(Scheme::Semver));
        assert_eq!(Scheme::of_ecosystem("Hackage"), None);
    }
}
