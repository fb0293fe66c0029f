//! Findings and their severity.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How bad a finding is, from least to most severe. Ordered, so that a
/// threshold such as `--fail-on high` is a comparison.
///
/// ```
/// use rampart_core::Severity;
/// assert!(Severity::Critical > Severity::High);
/// assert_eq!("medium".parse::<Severity>(), Ok(Severity::Medium));
/// assert_eq!(Severity::Low.to_string(), "low");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Hardening advice.
    Low,
    /// A weakness that matters in combination.
    Medium,
    /// A direct path to compromise or exposure.
    High,
    /// Exploitable as it stands, with severe impact.
    Critical,
}

impl Severity {
    /// Every severity, least severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lowercase name, as used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The error of parsing a [`Severity`] from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity `{0}`: expected one of info, low, medium, high, critical")]
pub struct ParseSeverityError(String);

impl FromStr for Severity {
    type Err = ParseSeverityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseSeverityError(s.to_owned()))
    }
}

/// A finding: a rule's verdict on a resource, located in its file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// The file (relative, `/`-separated) or host.
    pub path: String,
    /// Where in the file; `None` when the resource has no spans.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<crate::Region>,
    /// The rule's id.
    pub rule_id: String,
    /// The pack that owns the rule.
    pub pack: String,
    /// Severity (the policy's override, else the rule's).
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Suggested fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The resource's id.
    pub resource_id: String,
    /// The resource's kind.
    pub resource_kind: String,
    /// The JSON Pointer the policy reported.
    pub pointer: String,
    /// Identifies the finding across runs even when lines shift: a hash
    /// of rule, path, resource and pointer — not of the line number.
    pub fingerprint: String,
    /// Set when a suppression covers the finding: it is still reported,
    /// but does not count towards `--fail-on`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
    /// Other places that explain it (SARIF `relatedLocations`): the
    /// `module` call of a module's resource, the line that set the
    /// variable the value came from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<crate::resource::RelatedLocation>,
    /// The keyed hash of the secret value the finding is about (a finding
    /// of a `text` candidate), when the scan has a key
    /// ([`SecretHashKey`](crate::SecretHashKey)): the same credential gives
    /// the same hash wherever it is found, and the hash gives nothing of it
    /// away without the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    /// The commit that brought the finding's file, when it was found in a
    /// repository's history (`scan --git-history`), not in the work tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<CommitOrigin>,
    /// The source line the finding starts on, as scanned (for the table
    /// report; [`ScanOptions::snippets`](crate::ScanOptions::snippets)).
    /// Not part of the JSON or SARIF reports.
    #[serde(skip)]
    pub snippet: Option<String>,
}

/// The commit that first held a file found in a repository's history:
/// where a credential was leaked, so every clone since has it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CommitOrigin {
    /// The commit's full id (hex).
    pub commit: String,
    /// Its author date, RFC 3339 in UTC (`2026-03-01T09:30:00Z`); empty
    /// when the commit has none that can be read.
    pub date: String,
}

/// Why a finding is suppressed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Suppression {
    /// Where the decision was made.
    pub kind: SuppressionKind,
    /// The reason given.
    pub justification: String,
}

/// Where a suppression was made (SARIF's `suppression.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SuppressionKind {
    /// A comment in the scanned file.
    InSource,
    /// The configuration file.
    External,
}

impl Finding {
    /// The fingerprint of a finding of `rule_id` at `pointer` in a resource.
    pub fn fingerprint_of(rule_id: &str, path: &str, resource_id: &str, pointer: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for part in [rule_id, path, resource_id, pointer] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        hex(&hasher.finalize()[..16])
    }
}

/// Lowercase hex. Every finding's fingerprint goes through here, so no
/// formatting machinery: a table lookup per nibble.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    // Bytes first, one string at the end: every finding's fingerprint goes
    // through here, and `String::push` re-checks capacity and encodes a
    // `char` per digit.
    let mut digits = vec![0u8; bytes.len() * 2];
    for (pair, b) in digits.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0xf)];
    }
    String::from_utf8(digits).unwrap_or_default()
}

/// A finding as a policy reported it, checked against the pack's rules.
/// The report stage turns its pointer into a file location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyFinding {
    /// The pack that reported it.
    pub pack: String,
    /// A rule the pack declares.
    pub rule_id: String,
    /// One of the resources of the batch.
    pub resource_id: String,
    /// JSON Pointer into the resource's document.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// The finding's severity: the override if the policy gave one, else
    /// the rule's.
    pub severity: Severity,
    /// Suggested fix.
    pub fix: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::hex;

    #[test]
    fn hex_is_lowercase_two_digits_per_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
    }
}
