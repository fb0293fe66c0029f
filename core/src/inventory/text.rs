//! Text: what the loaded packs' detectors find in any file (secrets).
//!
//! A pack declares per rule the keywords and the pattern of what it looks
//! for ([`Detector`]); the host, not the guest, does the searching, at the
//! speed of a grep: one Aho–Corasick pass finds every detector's keywords
//! in a file at once, and only the detectors whose keywords occur run
//! their pattern (`regex`, linear time, on bytes: a file need not be UTF-8
//! to hold a credential). Each match becomes a candidate of the file's
//! `text` resource (docs/kinds/text.md), with the exact region of its
//! value; the rule judges it (entropy, placeholders, context).
//!
//! A file with no candidate has no `text` resource: the packs are called
//! only for what they asked for.
//!
//! Candidates hold the values found, for the packs to judge. Nothing that
//! prints a resource may print them: [`redact_document`] is what
//! `rampart inventory` shows instead.

use crate::resource::{Region, Resource, SpanIndex};
use crate::rule::Detector;
use aho_corasick::AhoCorasick;
use serde_json::{Value, json};

/// The resource kind of a file's candidates.
pub const KIND: &str = "text";

/// Candidates kept of one file. A file with more (a generated fixture, a
/// dump) is a gap in the scan: the rest are not judged, and the scan says
/// so.
pub const MAX_CANDIDATES_PER_FILE: usize = 1_000;

/// Bytes kept of a match around its value (`match` in the document); a
/// pattern that matches a whole long line is cut here.
pub const MAX_MATCH_BYTES: usize = 1_024;

/// Bytes kept of a value: a 4096-bit RSA private key in PEM is ~3.3 KB.
pub const MAX_SECRET_BYTES: usize = 16 << 10;

/// Every loaded pack's detectors, ready to run on files.
#[derive(Debug)]
pub struct TextMatcher {
    detectors: Vec<Detector>,
    /// Every keyword of every detector, compared without ASCII case.
    keywords: Option<AhoCorasick>,
    /// For each keyword of `keywords`, the detector it belongs to.
    keyword_detector: Vec<usize>,
    /// Detectors without keywords: run on every text.
    always: Vec<usize>,
}

impl TextMatcher {
    /// A matcher for `detectors`, in the order given (the packs' order,
    /// then each pack's): candidates come out in file order whatever it is.
    pub fn new(detectors: Vec<Detector>) -> Self {
        let mut words = Vec::new();
        let mut keyword_detector = Vec::new();
        let mut always = Vec::new();
        for (index, detector) in detectors.iter().enumerate() {
            if detector.keywords().is_empty() {
                always.push(index);
            }
            for keyword in detector.keywords() {
                words.push(keyword.as_str());
                keyword_detector.push(index);
            }
        }
        // Keywords are checked at load (1–64 bytes, at most 64 per
        // detector, 1,000 detectors per pack): building cannot run out of
        // room; if it did, every detector would run on every text instead.
        let keywords = if words.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                // A few hundred short keywords: the DFA is small, and the
                // fastest at the overlapping search every file gets.
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&words)
                .ok()
        };
        if keywords.is_none() {
            always = (0..detectors.len()).collect();
        }
        TextMatcher {
            detectors,
            keywords,
            keyword_detector,
            always,
        }
    }

    /// Whether there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.detectors.is_empty()
    }

    /// The detectors, in order.
    pub fn detectors(&self) -> &[Detector] {
        &self.detectors
    }

    /// Every match in `bytes`, in file order (then detector order), each
    /// value once per rule; and whether more than
    /// [`MAX_CANDIDATES_PER_FILE`] were found (the rest are dropped).
    pub fn candidates(&self, bytes: &[u8]) -> (Vec<Candidate>, bool) {
        let mut run = vec![false; self.detectors.len()];
        for &index in &self.always {
            run[index] = true;
        }
        if let Some(keywords) = &self.keywords {
            for hit in keywords.find_overlapping_iter(bytes) {
                if let Some(&index) = self.keyword_detector.get(hit.pattern().as_usize()) {
                    run[index] = true;
                }
            }
        }
        let mut found = Vec::new();
        let mut over = false;
        'detectors: for (index, detector) in self.detectors.iter().enumerate() {
            if !run[index] {
                continue;
            }
            let regex = detector.regex();
            let group = regex.capture_names().position(|n| n == Some("secret"));
            for captures in regex.captures_iter(bytes) {
                let Some(whole) = captures.get(0) else {
                    continue;
                };
                let value = group.and_then(|g| captures.get(g)).unwrap_or(whole);
                if value.is_empty() {
                    continue;
                }
                if found.len() == MAX_CANDIDATES_PER_FILE {
                    over = true;
                    break 'detectors;
                }
                found.push(Candidate {
                    detector: index,
                    matched: whole.range(),
                    secret: value.range(),
                });
            }
        }
        found.sort_by_key(|c| (c.secret.start, c.detector, c.secret.end));
        found.dedup_by_key(|c| (c.detector, c.secret.clone()));
        (found, over)
    }

    /// `candidates` (from [`candidates`](Self::candidates) on the same
    /// `bytes`) placed in the file: their values and regions.
    pub fn locate(&self, bytes: &[u8], candidates: &[Candidate]) -> Vec<Located> {
        let lines = LineIndex::new(bytes);
        candidates
            .iter()
            .map(|candidate| Located {
                rule: self.rule_of(candidate.detector),
                secret: lossy(&bytes[candidate.secret.clone()], MAX_SECRET_BYTES),
                matched: lossy(&bytes[candidate.matched.clone()], MAX_MATCH_BYTES),
                encoded: None,
                secret_region: lines.region(bytes, candidate.secret.clone()),
                match_region: lines.region(bytes, candidate.matched.clone()),
            })
            .collect()
    }

    /// The candidates in the values of a Kubernetes `Secret`'s `data`,
    /// base64-decoded first (what the cluster hands the pods): each at the
    /// region of the value it was decoded from. And whether more than
    /// [`MAX_CANDIDATES_PER_FILE`] were found.
    pub fn in_secret_data(&self, resource: &Resource) -> (Vec<Located>, bool) {
        use base64::Engine as _;
        let mut located = Vec::new();
        let mut over = false;
        let is_secret = resource.kind == "k8s"
            && resource.document.get("kind").and_then(Value::as_str) == Some("Secret");
        let data = resource.document.get("data").and_then(Value::as_object);
        let (true, Some(data)) = (is_secret, data) else {
            return (located, over);
        };
        for (key, value) in data {
            let Some(encoded) = value.as_str() else {
                continue;
            };
            let compact: String = encoded.split_whitespace().collect();
            let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(&compact) else {
                continue;
            };
            let pointer = format!("/data/{}", crate::resource::escape_pointer_token(key));
            let Some(region) = resource.spans.get(&pointer) else {
                continue;
            };
            let (found, more) = self.candidates(&decoded);
            over |= more;
            for candidate in found {
                located.push(Located {
                    rule: self.rule_of(candidate.detector),
                    secret: lossy(&decoded[candidate.secret.clone()], MAX_SECRET_BYTES),
                    matched: lossy(&decoded[candidate.matched.clone()], MAX_MATCH_BYTES),
                    encoded: Some(compact.clone()),
                    secret_region: region,
                    match_region: region,
                });
            }
        }
        (located, over)
    }

    fn rule_of(&self, detector: usize) -> String {
        self.detectors
            .get(detector)
            .map_or("", Detector::rule_id)
            .to_owned()
    }

    /// The `text` resource of a file shown as `path`, holding `located`
    /// in file order.
    pub fn resource(&self, path: &str, mut located: Vec<Located>) -> Resource {
        located.sort_by(|a, b| {
            (a.secret_region, &a.rule, &a.secret).cmp(&(b.secret_region, &b.rule, &b.secret))
        });
        located.dedup_by(|a, b| {
            a.rule == b.rule && a.secret == b.secret && a.secret_region == b.secret_region
        });
        located.truncate(MAX_CANDIDATES_PER_FILE);
        let mut spans = SpanIndex::default();
        spans.insert("", Region::line(1, 1, 1));
        let mut entries = Vec::with_capacity(located.len());
        for (i, candidate) in located.into_iter().enumerate() {
            spans.insert(format!("/candidates/{i}"), candidate.match_region);
            spans.insert(format!("/candidates/{i}/secret"), candidate.secret_region);
            let mut entry = json!({
                "rule": candidate.rule,
                "secret": candidate.secret,
                "match": candidate.matched,
                "line": candidate.secret_region.start_line,
                "column": candidate.secret_region.start_column,
            });
            if let Some(encoded) = candidate.encoded {
                entry["encoded"] = Value::String(encoded);
            }
            entries.push(entry);
        }
        Resource::new(
            KIND,
            format!("text:{path}"),
            path,
            json!({"path": path, "candidates": entries}),
        )
        .with_spans(spans)
    }
}

/// A candidate placed in its file, ready for the `text` document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    rule: String,
    secret: String,
    matched: String,
    /// The base64 text the value was decoded from (a Kubernetes
    /// `Secret`'s `data`): as secret as the value.
    encoded: Option<String>,
    secret_region: Region,
    match_region: Region,
}

/// One match of a detector in a file: byte ranges of the whole match and
/// of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Index of the detector in its [`TextMatcher`].
    detector: usize,
    matched: std::ops::Range<usize>,
    secret: std::ops::Range<usize>,
}

impl Candidate {
    /// Byte range of the value in the file.
    pub fn secret(&self) -> std::ops::Range<usize> {
        self.secret.clone()
    }
}

/// `bytes` as text (invalid UTF-8 replaced), cut at `limit` bytes.
fn lossy(bytes: &[u8], limit: usize) -> String {
    let cut = &bytes[..bytes.len().min(limit)];
    String::from_utf8_lossy(cut).into_owned()
}

/// Line starts of a file, for the regions of its candidates.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(bytes: &[u8]) -> Self {
        LineIndex {
            starts: std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
                .collect(),
        }
    }

    /// Line (1-based) and column (1-based, in characters) of byte `at`.
    fn position(&self, bytes: &[u8], at: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&start| start <= at).max(1);
        let start = self.starts[line - 1];
        let column = String::from_utf8_lossy(&bytes[start..at]).chars().count() + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    fn region(&self, bytes: &[u8], range: std::ops::Range<usize>) -> Region {
        let (start_line, start_column) = self.position(bytes, range.start);
        let (end_line, end_column) = self.position(bytes, range.end);
        Region {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }
}

/// A value as reports may show it: its first characters and its length,
/// never enough of it to use (`ghp_… (40 characters)`). Short values show
/// less of themselves: at most a third, at most four characters.
///
/// ```
/// use rampart_core::inventory::text::redacted;
/// assert_eq!(redacted("ghp_0123456789abcdefghijklmnopqrstuvwxyz"), "ghp_… (40 characters)");
/// assert_eq!(redacted("hunter2"), "hu… (7 characters)");
/// assert_eq!(redacted("ab"), "… (2 characters)");
/// ```
pub fn redacted(value: &str) -> String {
    let length = value.chars().count();
    let shown: String = value.chars().take((length / 3).min(4)).collect();
    format!("{shown}… ({length} characters)")
}

/// The value of the candidate a finding at `pointer` is about
/// (`/candidates/N`, or a pointer under it), if `resource` is a `text`
/// resource.
pub fn secret_at<'r>(resource: &'r Resource, pointer: &str) -> Option<&'r str> {
    if resource.kind != KIND {
        return None;
    }
    let index = pointer.strip_prefix("/candidates/")?.split('/').next()?;
    resource
        .document
        .get("candidates")?
        .get(index.parse::<usize>().ok()?)?
        .get("secret")?
        .as_str()
}

/// The values the detectors found in one batch's `text` resources, to
/// take out of anything printed about the batch: source lines, and what a
/// pack wrote in a finding.
#[derive(Debug, Default)]
pub struct Secrets {
    /// Longest first, so that a value containing another is replaced
    /// whole.
    values: Vec<String>,
}

impl Secrets {
    /// The values of the `text` resources among `resources`.
    pub fn of(resources: &[Resource]) -> Self {
        Self::of_all(resources)
    }

    /// [`of`](Self::of), for resources however held (a policy's batch).
    pub fn of_all<'r>(resources: impl IntoIterator<Item = &'r Resource>) -> Self {
        let mut values: Vec<String> = resources
            .into_iter()
            .filter(|r| r.kind == KIND)
            .filter_map(|r| r.document.get("candidates").and_then(Value::as_array))
            .flatten()
            .flat_map(|c| {
                ["secret", "encoded"]
                    .into_iter()
                    .filter_map(move |key| c.get(key).and_then(Value::as_str))
            })
            // A value over several lines (a private key) is also taken
            // out line by line: a source line shows one of them.
            .flat_map(|s| {
                let lines = s.lines().map(str::trim).filter(|line| line.len() >= 8);
                std::iter::once(s).chain(lines.filter(move |_| s.contains('\n')))
            })
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        Secrets { values }
    }

    /// Whether there is nothing to take out.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every value replaced by its [`redacted`] form.
    pub fn scrub<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let mut out = std::borrow::Cow::Borrowed(text);
        for value in &self.values {
            if out.contains(value.as_str()) {
                out = std::borrow::Cow::Owned(out.replace(value.as_str(), &redacted(value)));
            }
        }
        out
    }
}

/// A `text` document with every value and match redacted: what may be
/// printed of it (`rampart inventory`).
pub fn redact_document(document: &mut Value) {
    let Some(candidates) = document.get_mut("candidates").and_then(Value::as_array_mut) else {
        return;
    };
    for candidate in candidates {
        let Some(fields) = candidate.as_object_mut() else {
            continue;
        };
        let secret = fields
            .get("secret")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        fields.insert("secret".into(), Value::String(redacted(&secret)));
        if let Some(encoded) = fields.get("encoded").and_then(Value::as_str) {
            let shown = redacted(encoded);
            fields.insert("encoded".into(), Value::String(shown));
        }
        if let Some(matched) = fields.get("match").and_then(Value::as_str) {
            let shown = if secret.is_empty() {
                redacted(matched)
            } else {
                matched.replace(&secret, &redacted(&secret))
            };
            fields.insert("match".into(), Value::String(shown));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector(rule: &str, keywords: &[&str], pattern: &str) -> Detector {
        Detector::new(
            rule.to_owned(),
            keywords.iter().map(|k| (*k).to_owned()).collect(),
            regex::bytes::Regex::new(pattern).expect("pattern"),
        )
    }

    /// The keyword gate: a detector runs only where one of its keywords
    /// occurs, compared without case; one without keywords runs always.
    #[test]
    fn detectors_run_where_their_keywords_occur() {
        let matcher = TextMatcher::new(vec![
            detector("TOKEN", &["tok_"], r"(?P<secret>tok_[a-z]{4})"),
            detector("ANY", &[], r"pass=(?P<secret>\S+)"),
        ]);
        let text = b"a TOK_ x\npass=hunter2 tok_abcd\n";
        let (found, over) = matcher.candidates(text);
        assert!(!over);
        let resource = matcher.resource("a.env", matcher.locate(text, &found));
        assert_eq!(resource.kind, "text");
        assert_eq!(resource.id, "text:a.env");
        let candidates = resource.document["candidates"].as_array().unwrap();
        assert_eq!(candidates.len(), 2);
        assert_eq!(candidates[0]["rule"], "ANY");
        assert_eq!(candidates[0]["secret"], "hunter2");
        assert_eq!(candidates[0]["match"], "pass=hunter2");
        assert_eq!(
            (
                candidates[0]["line"].as_u64(),
                candidates[0]["column"].as_u64()
            ),
            (Some(2), Some(6))
        );
        assert_eq!(candidates[1]["rule"], "TOKEN");
        assert_eq!(candidates[1]["secret"], "tok_abcd");
        assert_eq!(
            resource.locate("/candidates/1/secret").1,
            Some(Region::line(2, 14, 22))
        );
        // Without the keyword, the keyword-gated detector never runs.
        let gated = TextMatcher::new(vec![detector("TOKEN", &["key"], r"tok_[a-z]{4}")]);
        assert!(gated.candidates(b"tok_abcd").0.is_empty());
        assert_eq!(gated.candidates(b"KEY tok_abcd").0.len(), 1);
    }

    /// Columns count characters, on the value's own line; a file that is
    /// not UTF-8 is still searched.
    #[test]
    fn regions_count_characters_and_bytes_need_not_be_utf8() {
        let matcher = TextMatcher::new(vec![detector("T", &[], r"tok_[a-z]{4}")]);
        let text = "é\n  ünï tok_abcd\n".as_bytes();
        let (found, _) = matcher.candidates(text);
        let resource = matcher.resource("a", matcher.locate(text, &found));
        assert_eq!(
            resource.locate("/candidates/0/secret").1,
            Some(Region::line(2, 7, 15))
        );
        let latin1 = b"caf\xe9 tok_abcd";
        assert_eq!(matcher.candidates(latin1).0.len(), 1);
    }

    /// A file with more candidates than the bound keeps the first ones and
    /// says so.
    #[test]
    fn candidates_are_bounded_per_file() {
        let matcher = TextMatcher::new(vec![detector("T", &[], r"x")]);
        let text = vec![b'x'; MAX_CANDIDATES_PER_FILE + 5];
        let (found, over) = matcher.candidates(&text);
        assert_eq!(found.len(), MAX_CANDIDATES_PER_FILE);
        assert!(over);
    }

    /// Values are taken out of printed text whole, and a value over several
    /// lines line by line.
    #[test]
    fn secrets_are_scrubbed_from_printed_text() {
        let key = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----";
        let resources = vec![Resource::new(
            KIND,
            "text:a",
            "a",
            json!({"candidates": [{"secret": "hunter22"}, {"secret": key}]}),
        )];
        let secrets = Secrets::of(&resources);
        assert_eq!(
            secrets.scrub("password: hunter22 ok"),
            "password: hu… (8 characters) ok"
        );
        let line = secrets.scrub("  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
        assert!(!line.contains("MIIEvQ"), "{line}");
        assert_eq!(secrets.scrub("nothing here"), "nothing here");
    }

    /// What is printed of a text document holds no value.
    #[test]
    fn redaction_leaves_no_value() {
        let secret = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
        let mut document =
            json!({"candidates": [{"secret": secret, "match": format!("token: {secret}")}]});
        redact_document(&mut document);
        let shown = document.to_string();
        assert!(!shown.contains(secret), "{shown}");
        assert!(!shown.contains("0123456789"), "{shown}");
        assert_eq!(
            document["candidates"][0]["match"],
            "token: ghp_… (40 characters)"
        );
    }
}
