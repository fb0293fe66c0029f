//! Built-in pack `secrets`: credentials written in files.
//!
//! Each rule is a row of [`SECRETS`]: the provider's token format as a
//! [`Detector`] (keywords and a pattern the host runs natively on every
//! text file, `docs/kinds/text.md`) and how its candidates are judged
//! (placeholders, entropy, files of tests). The host hands each match to
//! the pack as a candidate of the file's `text` resource; [`judge`] keeps
//! the real ones and reports them at the value. The value is never
//! written in a finding: the message names the kind of credential, and
//! the host redacts whatever a report would show of it.
//!
//! Fixtures live in `fixtures/<RULE-ID>/`: `positive.*` marks each line
//! that must be reported with `# expect: <RULE-ID>`, `negative.*` holds
//! look-alikes that must not be (placeholders, documented examples,
//! values of too little entropy). Every token in them is made up.

mod table;

use rampart_policy::{Context, Detector, Pack, Resource, Rule, Severity};
pub use table::SECRETS;

/// One kind of credential: a rule and its detector.
#[derive(Debug, Clone, Copy)]
pub struct Secret {
    /// The rule id (`SEC-003`).
    pub id: &'static str,
    /// What it is: "GitHub personal access token".
    pub title: &'static str,
    /// How bad a leak is (docs/rules/README.md).
    pub severity: Severity,
    /// Tags: the provider, the family.
    pub tags: &'static [&'static str],
    /// Words one of which must occur for the pattern to run.
    pub keywords: &'static [&'static str],
    /// The pattern; its group `secret` is the value.
    pub pattern: &'static str,
    /// How the candidates are judged.
    pub judge: Judge,
    /// What the credential gives to whoever reads it.
    pub help: &'static str,
    /// How to get rid of the leak.
    pub remediation: &'static str,
    /// The same check in other scanners.
    pub equivalents: &'static [&'static str],
}

/// How the candidates of a row are judged, beyond the pattern.
#[derive(Debug, Clone, Copy)]
pub struct Judge {
    /// Least Shannon entropy of the value, in bits per character: what
    /// tells a random key from a word (`hunter2` is 2.5, a 40-character
    /// base64 key about 5). `0.0`: the format is proof enough.
    pub min_entropy: f64,
    /// Whether a value in a file of tests (`tests/`, `*_test.go`,
    /// `*.spec.ts` …) is a test vector rather than a leak: true for the
    /// formats tests are full of (private keys, JWTs, passwords), false for
    /// a provider's live tokens.
    pub test_files_exempt: bool,
    /// Whether the row is a generic one (a value assigned to a key named
    /// like a secret): its candidates are left to the provider rows that
    /// matched the same value.
    pub generic: bool,
}

/// The format is proof enough; tests are no excuse.
pub const EXACT: Judge = Judge {
    min_entropy: 0.0,
    test_files_exempt: false,
    generic: false,
};

const fn rule(secret: &Secret) -> Rule {
    Rule {
        id: secret.id,
        title: secret.title,
        description: secret.help,
        severity: secret.severity,
        help: secret.help,
        help_uri: None,
        remediation: secret.remediation,
        tags: secret.tags,
        compliance: &[],
        kinds: &["text"],
        equivalents: secret.equivalents,
        check: judge,
    }
}

const fn detector(secret: &Secret) -> Detector {
    Detector {
        rule: secret.id,
        keywords: secret.keywords,
        pattern: secret.pattern,
    }
}

const COUNT: usize = SECRETS.len();

/// The rules, one per row.
pub static RULES: [Rule; COUNT] = {
    let mut rules = [Rule::DEFAULT; COUNT];
    let mut i = 0;
    while i < COUNT {
        rules[i] = rule(&SECRETS[i]);
        i += 1;
    }
    rules
};

/// The detectors, one per row.
pub static DETECTORS: [Detector; COUNT] = {
    let mut detectors = [Detector {
        rule: "",
        keywords: &[],
        pattern: "",
    }; COUNT];
    let mut i = 0;
    while i < COUNT {
        detectors[i] = detector(&SECRETS[i]);
        i += 1;
    }
    detectors
};

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "secrets",
    version: env!("CARGO_PKG_VERSION"),
    description: "Credentials written in files: cloud, source forge, CI, registry, chat, payment, \
                  e-mail, observability, database and AI API keys, private keys, tokens in URLs \
                  and connection strings, and high-entropy values assigned to keys named like \
                  secrets. Found by the host in every text file, judged here; never printed.",
    rules: &RULES,
};

rampart_policy::export_pack!(PACK, &DETECTORS);

/// The private-key row: passphrase-protected keys are less severe.
const PRIVATE_KEY: &str = "SEC-014";

/// The check of every row: each candidate of this rule that is not a
/// placeholder, has the row's entropy, and is not a test vector, reported
/// at its value.
fn judge(resource: &Resource, cx: &mut Context<'_>) {
    let id = cx.rule().id;
    let Some(row) = SECRETS.iter().find(|row| row.id == id) else {
        return;
    };
    let root = resource.root();
    let path = root.get("path").as_str().unwrap_or("");
    if row.judge.test_files_exempt && is_test_file(path) {
        return;
    }
    let candidates = root.get("candidates");
    for candidate in candidates.items() {
        if candidate.get("rule").as_str() != Some(id) {
            continue;
        }
        let secret = candidate.get("secret");
        let Some(value) = secret.as_str() else {
            continue;
        };
        if is_placeholder(value)
            || entropy(value) < row.judge.min_entropy
            || allowed(cx.settings(), value)
        {
            continue;
        }
        // A value a provider's own format matched is that provider's
        // finding, not also a generic one; and an identifier or a digest
        // (a UUID, a git SHA, a checksum) is random but no secret.
        if row.judge.generic
            && (matched_by_a_provider(&candidates, value)
                || is_identifier_or_digest(value)
                || looks_like_code(value))
        {
            continue;
        }
        let shown: String = value
            .chars()
            .take((value.chars().count() / 3).min(4))
            .collect();
        let finding = cx
            .report(
                &secret,
                format!(
                    "{} written in the file (`{shown}…`, {} characters)",
                    row.title,
                    value.chars().count()
                ),
            )
            .fix("revoke it, remove it from the file and its history, and load it from a secret store");
        // A passphrase-protected private key still needs its passphrase.
        if row.id == PRIVATE_KEY && value.contains("ENCRYPTED") {
            let _ = finding.severity(Severity::Medium);
        }
    }
}

/// Whether another (provider) rule's candidate holds the same value, or
/// one inside it.
fn matched_by_a_provider(candidates: &rampart_policy::Node<'_>, value: &str) -> bool {
    candidates.items().any(|other| {
        let rule = other.get("rule").as_str().unwrap_or("");
        let generic = SECRETS
            .iter()
            .find(|row| row.id == rule)
            .is_none_or(|row| row.judge.generic);
        !generic
            && other
                .get("secret")
                .as_str()
                .is_some_and(|found| value.contains(found) || found.contains(value))
    })
}

/// Whether the project's settings accept `value`: `allowed-values` lists
/// values known to be fake (a test account's published key), compared
/// whole; `allowed-words` lists words that mark a value as a placeholder
/// in this project (`acme-dev-`), compared without case anywhere in it.
///
/// ```yaml
/// packs:
///   secrets:
///     settings:
///       allowed-values: ["AKIAQ3EGRZ7VNXJ2MW4K"]
///       allowed-words: ["-sandbox-"]
/// ```
pub fn allowed(settings: &rampart_policy::Value, value: &str) -> bool {
    let list = |key: &str| {
        settings
            .get(key)
            .and_then(|list| list.as_array())
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.as_str())
    };
    let lower = value.to_ascii_lowercase();
    list("allowed-values").any(|allowed| allowed == value)
        || list("allowed-words")
            .filter(|word| !word.is_empty())
            .any(|word| lower.contains(&word.to_ascii_lowercase()))
}

/// Shannon entropy of `value` in bits per character.
pub fn entropy(value: &str) -> f64 {
    let mut counts = std::collections::BTreeMap::new();
    let mut total = 0usize;
    for c in value.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = total as f64;
    counts
        .values()
        .map(|&n| {
            let p = n as f64 / total;
            -p * p.log2()
        })
        .sum()
}

/// Documented examples, templates and fillers: never a leak.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "example",
        "placeholder",
        "changeme",
        "change_me",
        "change-me",
        "your_",
        "your-",
        "yourtoken",
        "dummy",
        "sample",
        "redacted",
        "replace",
        "insert",
        "fixme",
        "todo",
        "xxxx",
        "****",
        "....",
        "<",
        "${",
        "{{",
        "%(",
        "$(",
        "#{",
        "env.",
        "secrets.",
        "process.env",
        "os.environ",
        "getenv",
    ];
    if WORDS.iter().any(|word| lower.contains(word)) {
        return true;
    }
    // The word itself, written where a value goes (`user:password@`).
    const SELF: &[&str] = &[
        "password", "passwd", "secret", "token", "pass", "admin", "root", "user", "test",
        "default", "none", "null",
    ];
    if SELF.contains(&lower.as_str()) {
        return true;
    }
    // One character repeated, or nearly (`0000…`, `aaaa…1`).
    let mut chars: Vec<char> = value.chars().collect();
    let length = chars.len();
    chars.sort_unstable();
    let mut longest = 0;
    let mut run = 0;
    for (i, c) in chars.iter().enumerate() {
        run = if i > 0 && chars[i - 1] == *c {
            run + 1
        } else {
            1
        };
        longest = longest.max(run);
    }
    length >= 4 && longest * 10 >= length * 8
}

/// A UUID (`8-4-4-4-12` hex digits), or hex digits of a digest's length
/// (MD5 32, SHA-1 and git 40, SHA-256 64, SHA-512 128): identifiers and
/// checksums are as random as keys, and public.
pub fn is_identifier_or_digest(value: &str) -> bool {
    let hex = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_hexdigit());
    let parts: Vec<&str> = value.split('-').collect();
    let uuid = parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts.iter().all(|p| hex(p));
    uuid || (hex(value) && matches!(value.len(), 32 | 40 | 64 | 128))
}

/// A name rather than a value, as source code assigns them to fields
/// called `token` or `secret`: no digit at all (`BinaryOpToken`,
/// `config.enable_secret_extraction`), or words joined by `_`, `.` or `-`
/// (`x25519_check_private_key_bytes`), or a constant's name in capitals
/// and underscores. A generated key has digits and no
/// such structure.
pub fn looks_like_code(value: &str) -> bool {
    if !value.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    // A constant's name: `TLS13_CHACHA20_POLY1305_SHA256`.
    let constant = value
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if constant && value.matches('_').count() >= 2 {
        return true;
    }
    let words: Vec<&str> = value.split(['_', '.', '-']).collect();
    let plain = words
        .iter()
        .filter(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphabetic()))
        .count();
    words.len() >= 3
        && words
            .iter()
            .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric()))
        && plain * 3 >= words.len() * 2
}

/// Whether `path` is a file of tests: under a `test`/`tests`/`spec`/
/// `__tests__`/`testdata`/`fixtures` directory, or named as a test
/// (`*_test.*`, `*.test.*`, `*.spec.*`, `test_*`).
pub fn is_test_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    const DIRS: &[&str] = &[
        "test",
        "tests",
        "spec",
        "specs",
        "__tests__",
        "testdata",
        "test-data",
        "fixtures",
        "mocks",
    ];
    parts.iter().any(|dir| DIRS.contains(dir))
        || name.starts_with("test_")
        || name.contains("_test.")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.contains("_spec.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_tells_keys_from_words() {
        assert!(entropy("hunter2") < 3.0);
        assert!(entropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8LnX7kQ2") > 4.0);
        assert_eq!(entropy(""), 0.0);
    }

    #[test]
    fn placeholders_are_not_leaks() {
        for value in [
            "AKIAIOSFODNN7EXAMPLE",
            "<your-token>",
            "${GITHUB_TOKEN}",
            "{{ token }}",
            "changeme",
            "xxxxxxxxxxxxxxxx",
            "0000000000000000",
        ] {
            assert!(is_placeholder(value), "{value}");
        }
        assert!(!is_placeholder("ghp_R8dKq2vXn5Lm7Tz0Yw3Hc9Bf1Js4Ga6Pe2Ui"));
    }

    #[test]
    fn names_in_code_are_not_generic_secrets() {
        for value in [
            "BinaryOpToken",
            "config.enable_secret_extraction",
            "x25519_check_private_key_bytes",
            "self.tokens_parsed",
            "TLS13_CHACHA20_POLY1305_SHA256_INTERNAL",
        ] {
            assert!(looks_like_code(value), "{value}");
        }
        for value in [
            "Zq8vXn2Rp7Lt5Zw9Yc4BmK3j",
            "a1b2c3d4e5f6g7h8",
            "prod_Q8vX2nR7pL5tZ9",
        ] {
            assert!(!looks_like_code(value), "{value}");
        }
    }

    #[test]
    fn identifiers_and_digests_are_not_secrets() {
        assert!(is_identifier_or_digest(
            "3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f"
        ));
        assert!(is_identifier_or_digest(
            "9fceb02d0ae598e95dc970b74767f19372d61af8"
        ));
        assert!(is_identifier_or_digest(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        ));
        assert!(!is_identifier_or_digest("Zq8vXn2Rp7Lt5Zw9Yc4BmK3j"));
        assert!(!is_identifier_or_digest("9fceb02d0ae598e95dc970b7"));
    }

    #[test]
    fn settings_allow_known_values_and_words() {
        let settings = rampart_policy::serde_json::json!({
            "allowed-values": ["AKIAQ3EGRZ7VNXJ2MW4K"],
            "allowed-words": ["-Sandbox-"],
        });
        assert!(allowed(&settings, "AKIAQ3EGRZ7VNXJ2MW4K"));
        assert!(!allowed(&settings, "AKIAQ3EGRZ7VNXJ2MW4X"));
        assert!(allowed(&settings, "sk_live_acme-sandbox-Q8vXn2Rp7Lt5"));
        assert!(!allowed(&rampart_policy::serde_json::json!({}), "anything"));
    }

    #[test]
    fn test_files_are_told_by_directory_and_name() {
        for path in [
            "tests/keys.pem",
            "src/auth_test.go",
            "web/login.spec.ts",
            "pkg/testdata/id_rsa",
        ] {
            assert!(is_test_file(path), "{path}");
        }
        for path in ["deploy/.env", "src/contest.rs", "latest/config.yaml"] {
            assert!(!is_test_file(path), "{path}");
        }
    }

    /// Every row is well formed: ids unique and in order, a keyword
    /// unless the row is generic, a `secret` group in every pattern.
    #[test]
    fn rows_are_well_formed() {
        for (i, row) in SECRETS.iter().enumerate() {
            assert_eq!(row.id, format!("SEC-{:03}", i + 1), "row {i}");
            assert!(!row.keywords.is_empty(), "{}: no keyword", row.id);
            assert!(
                row.pattern.contains("(?P<secret>"),
                "{}: no secret group",
                row.id
            );
            assert!(
                !row.help.is_empty() && !row.remediation.is_empty(),
                "{}",
                row.id
            );
        }
    }
}
