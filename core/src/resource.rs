//! Resources: what the inventory collects and policies evaluate.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Resource kinds the pipeline itself relies on beyond their collector:
/// advisories are added to `dependency` resources, and the SBOM lists them.
pub mod kind {
    /// A package a lockfile or a host's package database names.
    pub const DEPENDENCY: &str = "dependency";
}

/// A region of a source file. Lines and columns start at 1; columns count
/// Unicode scalar values, as SARIF's default `charUnit` does not, but as
/// editors show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    /// First line (1-based).
    pub start_line: u32,
    /// First column (1-based).
    pub start_column: u32,
    /// Last line (1-based, inclusive).
    pub end_line: u32,
    /// Column just past the end (1-based, exclusive).
    pub end_column: u32,
}

impl Region {
    /// A region on one line.
    pub fn line(line: u32, start_column: u32, end_column: u32) -> Self {
        Region {
            start_line: line,
            start_column,
            end_line: line,
            end_column,
        }
    }
}

/// Where each value of a document came from: JSON Pointer → [`Region`].
///
/// ```
/// use rampart_core::resource::{Region, SpanIndex};
/// let mut spans = SpanIndex::default();
/// spans.insert("", Region::line(1, 1, 20));
/// spans.insert("/spec", Region::line(3, 1, 10));
/// // A pointer that does not resolve falls back to its nearest ancestor.
/// let (pointer, region) = spans.resolve("/spec/containers/0").unwrap();
/// assert_eq!(pointer, "/spec");
/// assert_eq!(region.start_line, 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SpanIndex {
    spans: BTreeMap<String, Region>,
}

impl SpanIndex {
    /// Records the region of the value at `pointer`.
    pub fn insert(&mut self, pointer: impl Into<String>, region: Region) {
        self.spans.insert(pointer.into(), region);
    }

    /// Every recorded region, to be moved in place (a parser whose lines
    /// are not rampart's rewrites them).
    pub(crate) fn regions_mut(&mut self) -> impl Iterator<Item = &mut Region> {
        self.spans.values_mut()
    }

    /// The region of exactly `pointer`, if recorded.
    pub fn get(&self, pointer: &str) -> Option<Region> {
        self.spans.get(pointer).copied()
    }

    /// The region of `pointer`, or of its nearest ancestor that has one,
    /// with the pointer that matched. `None` only if not even the root
    /// (`""`) has a region.
    pub fn resolve<'p>(&self, pointer: &'p str) -> Option<(&'p str, Region)> {
        let mut candidate = pointer;
        loop {
            if let Some(region) = self.spans.get(candidate) {
                return Some((candidate, *region));
            }
            if candidate.is_empty() {
                return None;
            }
            candidate = match candidate.rfind('/') {
                Some(i) => &candidate[..i],
                None => "",
            };
        }
    }

    /// The spans under `prefix`, re-rooted: `prefix` becomes `""`. Used when
    /// one parsed document holds several resources (a Kubernetes `List`).
    pub fn subtree(&self, prefix: &str) -> SpanIndex {
        let mut out = SpanIndex::default();
        for (pointer, region) in self.spans.range(prefix.to_owned()..) {
            let Some(rest) = pointer.strip_prefix(prefix) else {
                break;
            };
            if rest.is_empty() || rest.starts_with('/') {
                out.spans.insert(rest.to_owned(), *region);
            }
        }
        out
    }

    /// Adds every span of `other` under `prefix` (the inverse of
    /// [`subtree`](Self::subtree)): `""` of `other` becomes `prefix`.
    pub fn graft(&mut self, prefix: &str, other: &SpanIndex) {
        for (pointer, region) in &other.spans {
            self.spans.insert(format!("{prefix}{pointer}"), *region);
        }
    }

    /// Number of recorded pointers.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// The scanned text of files, by display path, for the source line a
/// report shows under a finding: reporters never read a file again
/// (DESIGN §8) — on a host image that could follow a link out of it, and
/// a file may have changed since.
///
/// ```
/// use rampart_core::resource::Sources;
/// let mut sources = Sources::default();
/// sources.insert("a.yaml", "kind: Pod\r\nspec:  \n");
/// assert_eq!(sources.line("a.yaml", 2), Some("spec:"));
/// assert_eq!(sources.line("a.yaml", 3), None);
/// assert_eq!(sources.line("b.yaml", 1), None);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

#[derive(Debug, Clone)]
struct SourceFile {
    path: String,
    text: std::sync::Arc<str>,
    /// Byte offset of each line's start, worked out on first use.
    starts: OnceLock<Vec<usize>>,
}

impl Sources {
    /// Keeps the text of the file shown as `path` (the first one given
    /// for a path counts).
    pub fn insert(&mut self, path: impl Into<String>, text: impl Into<std::sync::Arc<str>>) {
        let path = path.into();
        if self.files.iter().any(|f| f.path == path) {
            return;
        }
        self.files.push(SourceFile {
            path,
            text: text.into(),
            starts: OnceLock::new(),
        });
    }

    /// Adds every file of `other`.
    pub fn extend(&mut self, other: Sources) {
        for file in other.files {
            if !self.files.iter().any(|f| f.path == file.path) {
                self.files.push(file);
            }
        }
    }

    /// Line `line` (1-based) of the file shown as `path`, without its line
    /// ending and trailing blanks.
    pub fn line(&self, path: &str, line: u32) -> Option<&str> {
        let file = self.files.iter().find(|f| f.path == path)?;
        let starts = file.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(file.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *starts.get(index)?;
        if start >= file.text.len() && index > 0 {
            return None;
        }
        let end = starts.get(index + 1).map_or(file.text.len(), |e| e - 1);
        file.text.get(start..end).map(str::trim_end)
    }

    /// Whether no text is kept.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// One collected thing: a Kubernetes object, a Dockerfile, a package, a
/// host setting … (DESIGN §3).
///
/// ```
/// use rampart_core::Resource;
/// use serde_json::json;
/// let pod = Resource::new("k8s", "k8s:Pod/default/web", "deploy/web.yaml", json!({"kind": "Pod"}));
/// assert_eq!(pod.document_json(), r#"{"kind":"Pod"}"#);
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resource {
    /// Stable dotted kind, e.g. `k8s`, `dockerfile`, `host.sysctl`.
    pub kind: String,
    /// Stable id within a scan, e.g. `k8s:Deployment/default/web`.
    pub id: String,
    /// File (relative to the scan root) or host it came from.
    pub source: String,
    /// The normalised content policies read.
    pub document: Value,
    /// JSON Pointer → region in `source`.
    #[serde(default, skip_serializing_if = "SpanIndex::is_empty")]
    pub spans: SpanIndex,
    /// JSON Pointer → file, for the values that came from another file
    /// than `source` (an `Include`d `sshd_config` file, a file of
    /// `/etc/sysctl.d`): their spans are regions of that file.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub span_files: BTreeMap<String, String>,
    /// Other places that explain a value of the document, each for the
    /// JSON Pointer it applies to (`""` for the whole resource): the
    /// `module` call that instantiated a module's resource, the call
    /// argument or tfvars line that set a variable a value came from.
    /// Findings under the pointer carry them (SARIF `relatedLocations`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<(String, RelatedLocation)>,
    /// The document serialised once, however many packs read it.
    #[serde(skip)]
    document_json: OnceLock<String>,
}

/// A place related to a finding, with what it has to do with it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RelatedLocation {
    /// The file (relative, `/`-separated); `None` for a value from the
    /// command line (`--tf-var`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Where in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    /// What is there: `module.logs is called here`,
    /// `var.acl is set here`.
    pub message: String,
}

impl RelatedLocation {
    /// `path:line` (or the path alone); `None` when not in a file.
    pub fn place(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        Some(match self.region {
            Some(region) => format!("{path}:{}", region.start_line),
            None => path.clone(),
        })
    }
}

impl Resource {
    /// A resource without spans.
    pub fn new(
        kind: impl Into<String>,
        id: impl Into<String>,
        source: impl Into<String>,
        document: Value,
    ) -> Self {
        Resource {
            kind: kind.into(),
            id: id.into(),
            source: source.into(),
            document,
            spans: SpanIndex::default(),
            span_files: BTreeMap::new(),
            related: Vec::new(),
            document_json: OnceLock::new(),
        }
    }

    /// The file and region a JSON Pointer resolves to: the nearest
    /// ancestor with a span, in `source` or in the file that value came
    /// from ([`span_files`](Self::span_files)).
    pub fn locate(&self, pointer: &str) -> (&str, Option<Region>) {
        match self.spans.resolve(pointer) {
            Some((matched, region)) => (
                self.span_files
                    .get(matched)
                    .map_or(self.source.as_str(), String::as_str),
                Some(region),
            ),
            None => (self.source.as_str(), None),
        }
    }

    /// The related locations of a finding at `pointer`: those of the
    /// whole resource and of every pointer that contains it, in order.
    pub fn related_to(&self, pointer: &str) -> Vec<RelatedLocation> {
        let mut found: Vec<RelatedLocation> = Vec::new();
        for (at, location) in &self.related {
            let applies = at.is_empty()
                || pointer == at
                || pointer
                    .strip_prefix(at.as_str())
                    .is_some_and(|rest| rest.starts_with('/'));
            if applies && !found.contains(location) {
                found.push(location.clone());
            }
        }
        found
    }

    /// Attaches a span index.
    pub fn with_spans(mut self, spans: SpanIndex) -> Self {
        self.spans = spans;
        self
    }

    /// The document, to add facts to it (e.g. matching advisories) before
    /// evaluation; forgets the serialised form computed so far.
    pub fn document_mut(&mut self) -> &mut Value {
        self.document_json = OnceLock::new();
        &mut self.document
    }

    /// The document as compact JSON text, as it crosses into a policy.
    pub fn document_json(&self) -> &str {
        self.document_json.get_or_init(|| {
            // Straight into a byte buffer: `Value`'s `Display` goes through
            // `fmt::Write` piece by piece, several times slower, and this is
            // every resource of every scan.
            let mut out = Vec::with_capacity(4096);
            write_compact_json(&mut out, &self.document);
            String::from_utf8(out).unwrap_or_else(|_| self.document.to_string())
        })
    }
}

/// Writes `value` as compact JSON, byte for byte what `serde_json::to_writer`
/// writes, faster: most strings in a document need no escaping, and
/// checking a whole string at once (a loop the compiler vectorises) and
/// copying it in one piece beats serde_json's byte-at-a-time escaping loop,
/// which was the largest host-side cost of handing documents to policies.
fn write_compact_json(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            // Writing into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, n);
        }
        Value::String(s) => write_json_string(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_compact_json(out, item);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            out.push(b'{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json_string(out, key);
                out.push(b':');
                write_compact_json(out, item);
            }
            out.push(b'}');
        }
    }
}

/// `s` as a JSON string literal, escaped exactly as serde_json escapes it.
pub(crate) fn write_json_string(out: &mut Vec<u8>, s: &str) {
    // No early exit, so that the check runs 16 or 32 bytes at a time.
    let needs_escape = s.bytes().fold(false, |acc, b| {
        acc | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if needs_escape {
        let _ = serde_json::to_writer(&mut *out, s);
    } else {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// Escapes one reference token for a JSON Pointer (RFC 6901 §3): `~`
/// becomes `~0`, `/` becomes `~1`.
///
/// ```
/// assert_eq!(rampart_core::resource::escape_pointer_token("a/b~c"), "a~1b~0c");
/// ```
pub fn escape_pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// Reads resources from JSON: an array of `{kind, id, source, document}`
/// objects (`spans` optional), the shape `rampart inventory` prints.
///
/// ```
/// let resources = rampart_core::resource::from_json(
///     r#"[{"kind": "k8s", "id": "k8s:Pod/x", "source": "x.yaml", "document": {"kind": "Pod"}}]"#,
/// ).unwrap();
/// assert_eq!(resources[0].document_json(), r#"{"kind":"Pod"}"#);
/// ```
pub fn from_json(text: &str) -> Result<Vec<Resource>, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_json_is_serde_jsons_byte_for_byte() {
        let document = serde_json::json!({
            "plain": "nginx:1.27",
            "escaped": "quote \" backslash \\ newline \n tab \t bell \u{7} nul \u{0}",
            "unicode": "größe ✓ \u{1F600}",
            "numbers": [0, -1, 18446744073709551615u64, 1.5, -2.25e-10, 1e300],
            "nested": {"empty": {}, "list": [], "null": null, "yes": true, "no": false},
            "": "empty key",
            "a\"b": "escaped key",
        });
        let mut fast = Vec::new();
        write_compact_json(&mut fast, &document);
        assert_eq!(
            String::from_utf8(fast).unwrap(),
            serde_json::to_string(&document).unwrap()
        );
        for text in [
            "",
            "x",
            &"a".repeat(100),
            &format!("{}\u{1f}", "b".repeat(40)),
        ] {
            let mut fast = Vec::new();
            write_json_string(&mut fast, text);
            assert_eq!(fast, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn resolve_walks_up_to_the_root() {
        let mut spans = SpanIndex::default();
        spans.insert("", Region::line(1, 1, 2));
        assert_eq!(spans.resolve("/a/b/c").map(|(p, _)| p), Some(""));
        assert_eq!(spans.resolve("not-a-pointer").map(|(p, _)| p), Some(""));
        assert!(SpanIndex::default().resolve("/a").is_none());
    }

    #[test]
    fn resolve_prefers_the_exact_pointer() {
        let mut spans = SpanIndex::default();
        spans.insert("", Region::line(1, 1, 2));
        spans.insert("/a", Region::line(2, 1, 2));
        spans.insert("/a/b", Region::line(3, 1, 2));
        assert_eq!(spans.resolve("/a/b").map(|(_, r)| r.start_line), Some(3));
        assert_eq!(spans.resolve("/a/bc").map(|(_, r)| r.start_line), Some(2));
    }
}
