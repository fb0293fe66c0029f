//! YAML (and JSON, which YAML 1.2 contains) to JSON values with a span for
//! every JSON Pointer.
//!
//! Built on `saphyr`, which marks every node with its start and end and
//! guards against alias bombs. Policies read plain JSON; the span index is
//! how a finding's pointer becomes a line and column.

use super::lines::LineIndex;
use super::walk::ParseLimits;
use crate::diagnostic::ParseError;
use crate::resource::{Region, SpanIndex};
use saphyr::{MarkedYaml, Marker, Scalar, YamlData, YamlLoader};
use saphyr_parser::{Event, Parser, SpannedEventReceiver};
use serde_json::{Map, Number, Value};

/// One document of a YAML stream.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlDocument {
    /// The document as JSON.
    pub value: Value,
    /// JSON Pointer → region, for every node (`""` is the whole document).
    pub spans: SpanIndex,
}

/// Parses every document of a YAML stream, with the default
/// [`ParseLimits`].
///
/// Mapping keys that are not strings (`1: a`, `true: b`) become their text;
/// a region for `/a/b` spans from the key `b` to the end of its value, so a
/// finding is shown on the line that names the offending key.
///
/// ```
/// use rampart_core::inventory::yaml::parse_documents;
/// let docs = parse_documents("kind: Pod\nspec:\n  hostPID: true\n---\nkind: Service\n").unwrap();
/// assert_eq!(docs.len(), 2);
/// assert_eq!(docs[0].value["spec"]["hostPID"], true);
/// assert_eq!(docs[0].spans.get("/spec/hostPID").unwrap().start_line, 3);
/// assert_eq!(docs[1].spans.get("/kind").unwrap().start_line, 5);
/// ```
pub fn parse_documents(text: &str) -> Result<Vec<YamlDocument>, ParseError> {
    parse_documents_with(text, &ParseLimits::default())
}

/// [`parse_documents`] with explicit limits: a stream nested deeper than
/// `max_depth` (counting what aliases expand to) or holding more than
/// `max_documents` documents is an error at the place it goes over, found
/// before any tree that deep is built — so neither building, converting
/// nor dropping it can exhaust the stack.
pub fn parse_documents_with(
    text: &str,
    limits: &ParseLimits,
) -> Result<Vec<YamlDocument>, ParseError> {
    let lines = Relines::new(text);
    let relocate = |e: ParseError| {
        let (line, column) = lines.inside(e.line(), e.column());
        ParseError::at(line, column, e.message)
    };
    let docs = load(text, limits).map_err(relocate)?;
    // The depth was checked on the events; the conversion checks again
    // (one level more for merge keys and intrinsic-function tags).
    let max_depth = limits.max_depth + 2;
    docs.iter()
        .map(|doc| {
            let mut spans = SpanIndex::default();
            let mut pointer = String::new();
            let value = convert(doc, &mut pointer, &mut spans, 0, max_depth).map_err(relocate)?;
            spans.insert("", region(doc));
            lines.relocate(&mut spans);
            Ok(YamlDocument { value, spans })
        })
        .collect()
}

/// saphyr's lines turned into rampart's. YAML counts a lone CR as a line
/// break (YAML 1.2 §5.4); git, GitHub's file views and every other parser
/// of rampart end a line at `\n` only, so a finding or an error in a YAML
/// file with a lone CR would land a line or more below where the same file
/// shows it. And saphyr puts an error at the end of input on the line after
/// a last line without a line break: a line the file does not have.
struct Relines<'a> {
    text: &'a str,
    /// Set when the text has a lone CR.
    remap: Option<Remap<'a>>,
    /// The last line and the column just past its end, worked out once
    /// when first needed.
    end: std::cell::OnceCell<(u32, u32)>,
}

/// What it takes to move a position of saphyr's lines to rampart's.
struct Remap<'a> {
    /// The byte offset of each character, and of the end.
    bytes_of: Vec<usize>,
    /// The character where each of saphyr's lines starts.
    starts: Vec<usize>,
    index: LineIndex<'a>,
}

impl<'a> Relines<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let lone_cr = carriage_returns(bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
        let remap = lone_cr.then(|| {
            // Byte offset of every character, and the character where each
            // of saphyr's lines starts: a position is then two lookups,
            // whatever the length of its line.
            let mut bytes_of = Vec::with_capacity(text.len() + 1);
            let mut starts = vec![0];
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                bytes_of.push(i);
                let crlf = c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n');
                if (c == '\r' && !crlf) || c == '\n' {
                    starts.push(bytes_of.len());
                }
            }
            bytes_of.push(text.len());
            Remap {
                bytes_of,
                starts,
                index: LineIndex::new(text),
            }
        });
        Relines {
            text,
            remap,
            end: std::cell::OnceCell::new(),
        }
    }

    /// rampart's (line, column) of saphyr's 1-based `line` and `column`.
    fn position(&self, line: u32, column: u32) -> (u32, u32) {
        let Some(remap) = &self.remap else {
            return (line, column);
        };
        let start = remap
            .starts
            .get((line as usize).saturating_sub(1))
            .copied()
            .unwrap_or(usize::MAX);
        let char_index = start.saturating_add((column as usize).saturating_sub(1));
        let offset = remap
            .bytes_of
            .get(char_index)
            .copied()
            .unwrap_or(self.text.len());
        remap.index.position(offset)
    }

    /// [`Relines::position`], kept inside the text: a position past its
    /// last line is the end of the last line.
    fn inside(&self, line: u32, column: u32) -> (u32, u32) {
        let (line, column) = self.position(line, column);
        let end = *self.end.get_or_init(|| {
            let last = self.text.bytes().filter(|&b| b == b'\n').count() + 1;
            let tail = self.text.rsplit('\n').next().unwrap_or("");
            (to_u32(last), to_u32(tail.chars().count() + 1))
        });
        if line <= end.0 { (line, column) } else { end }
    }

    /// Every region of `spans` in rampart's lines and inside the text. A
    /// node at the end of a text without a final line break (an empty
    /// value, the end of the document) is where saphyr's end of input is:
    /// on the line after the last.
    fn relocate(&self, spans: &mut SpanIndex) {
        if self.remap.is_none() && self.text.ends_with('\n') {
            return;
        }
        for region in spans.regions_mut() {
            (region.start_line, region.start_column) =
                self.inside(region.start_line, region.start_column);
            (region.end_line, region.end_column) = self.inside(region.end_line, region.end_column);
        }
    }
}

/// Offsets of every CR in `bytes`.
fn carriage_returns(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\r')
        .map(|(i, _)| i)
}

/// The marked trees of a stream, built event by event from the parser's
/// iterator. (`Parser::load` walks nested nodes by recursion: 20,000
/// levels of `- ` overflow the stack before any limit could apply.)
fn load<'input>(
    text: &'input str,
    limits: &ParseLimits,
) -> Result<Vec<MarkedYaml<'input>>, ParseError> {
    let mut loader: YamlLoader<'input, MarkedYaml<'input>> = YamlLoader::default();
    let mut guard = Guard::new(limits);
    for next in Parser::new_from_str(text) {
        let (event, span) = next.map_err(|e| {
            ParseError::at(
                to_u32(e.marker().line()),
                to_u32(e.marker().col() + 1),
                // The scanner reads ahead through flow collections (`[[[…`,
                // each a possible key) and stops at its own bound of 255
                // levels before an event reaches the guard: the same limit,
                // said the same way.
                if e.info() == "recursion limit exceeded" {
                    format!(
                        "nesting deeper than {} levels",
                        limits.max_depth.min(SCANNER_FLOW_LEVELS)
                    )
                } else {
                    e.info().to_owned()
                },
            )
        })?;
        guard.check(&event, &span.start)?;
        loader.on_event(event, span);
        if let Some(e) = loader.error() {
            return Err(ParseError::at(
                to_u32(e.marker().line()),
                to_u32(e.marker().col() + 1),
                e.info().to_owned(),
            ));
        }
    }
    Ok(loader.into_documents())
}

/// How deep saphyr-parser's scanner nests flow collections (its level
/// counter is a `u8`).
const SCANNER_FLOW_LEVELS: usize = 255;

/// Follows nesting and documents through the event stream. An alias
/// counts as deep as the anchored node it expands to, so a chain of
/// anchors cannot build a tree deeper than the limit either.
struct Guard {
    max_depth: usize,
    max_documents: usize,
    documents: usize,
    /// Open collections: their anchor id and the height of their deepest
    /// child so far.
    open: Vec<(usize, usize)>,
    /// Height of each anchored node (a scalar is 1).
    anchors: std::collections::HashMap<usize, usize>,
}

impl Guard {
    fn new(limits: &ParseLimits) -> Guard {
        Guard {
            max_depth: limits.max_depth,
            max_documents: limits.max_documents,
            documents: 0,
            open: Vec::new(),
            anchors: Default::default(),
        }
    }

    fn check(&mut self, event: &Event<'_>, at: &Marker) -> Result<(), ParseError> {
        let too_deep = |max: usize| {
            ParseError::at(
                to_u32(at.line()),
                to_u32(at.col() + 1),
                format!("nesting deeper than {max} levels"),
            )
        };
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > self.max_documents {
                    return Err(ParseError::at(
                        to_u32(at.line()),
                        to_u32(at.col() + 1),
                        format!("more than {} documents in one file", self.max_documents),
                    ));
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.open.push((*anchor, 0));
                if self.open.len() > self.max_depth {
                    return Err(too_deep(self.max_depth));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, deepest)) = self.open.pop() {
                    self.close(anchor, deepest + 1);
                }
            }
            Event::Scalar(_, _, anchor, _) => self.close(*anchor, 1),
            Event::Alias(id) => {
                let height = self.anchors.get(id).copied().unwrap_or(1);
                // The collections it expands to (a scalar is no level).
                if self.open.len() + height - 1 > self.max_depth {
                    return Err(too_deep(self.max_depth));
                }
                self.close(0, height);
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// A node of `height` is complete: its parent is at least one deeper.
    fn close(&mut self, anchor: usize, height: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, height);
        }
        if let Some((_, deepest)) = self.open.last_mut() {
            *deepest = (*deepest).max(height);
        }
    }
}

fn convert(
    node: &MarkedYaml<'_>,
    pointer: &mut String,
    spans: &mut SpanIndex,
    depth: usize,
    max_depth: usize,
) -> Result<Value, ParseError> {
    if depth > max_depth {
        return Err(ParseError::at(
            to_u32(node.span.start.line()),
            to_u32(node.span.start.col() + 1),
            format!("nesting deeper than {max_depth} levels"),
        ));
    }
    Ok(match &node.data {
        YamlData::Value(scalar) => scalar_value(scalar),
        YamlData::Representation(text, _, _) => Value::String(text.to_string()),
        YamlData::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                let value = convert(item, pointer, spans, depth + 1, max_depth)?;
                spans.insert(pointer.clone(), region(item));
                pointer.truncate(len);
                out.push(value);
            }
            Value::Array(out)
        }
        YamlData::Mapping(entries) => {
            let mut out = Map::new();
            for (key, value) in entries {
                let key_text = key_string(key);
                // `<<: *base` merges the anchor's keys (YAML 1.1 merge key,
                // used by Compose and CI files); explicit keys win.
                if key_text == "<<" {
                    merge_into(&mut out, value, pointer, spans, depth, max_depth)?;
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&crate::resource::escape_pointer_token(&key_text));
                let converted = convert(value, pointer, spans, depth + 1, max_depth)?;
                let mut entry = region(key);
                let end = region(value);
                if (end.end_line, end.end_column) > (entry.end_line, entry.end_column) {
                    entry.end_line = end.end_line;
                    entry.end_column = end.end_column;
                }
                spans.insert(pointer.clone(), entry);
                pointer.truncate(len);
                out.insert(key_text, converted);
            }
            Value::Object(out)
        }
        YamlData::Tagged(tag, inner) => match intrinsic_function(&tag.handle, &tag.suffix) {
            // `!Ref x` is CloudFormation's short form of `{"Ref": "x"}`:
            // keep the long form, which is what the template means.
            Some(name) => {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&name);
                let mut argument = convert(inner, pointer, spans, depth + 1, max_depth)?;
                spans.insert(pointer.clone(), region(node));
                pointer.truncate(len);
                // `!GetAtt Bucket.Arn` is `["Bucket", "Arn"]`.
                if name == "Fn::GetAtt"
                    && let Value::String(text) = &argument
                    && let Some((resource, attribute)) = text.split_once('.')
                {
                    argument = Value::Array(vec![resource.into(), attribute.into()]);
                }
                Value::Object(Map::from_iter([(name, argument)]))
            }
            None => convert(inner, pointer, spans, depth + 1, max_depth)?,
        },
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    })
}

/// The long name of a CloudFormation short-form tag (`!Sub` → `Fn::Sub`),
/// or `None` for any other tag, which is dropped (its value kept).
fn intrinsic_function(handle: &str, suffix: &str) -> Option<String> {
    const FUNCTIONS: &[&str] = &[
        "And",
        "Base64",
        "Cidr",
        "Equals",
        "FindInMap",
        "ForEach",
        "GetAZs",
        "GetAtt",
        "If",
        "ImportValue",
        "Join",
        "Length",
        "Not",
        "Or",
        "Select",
        "Split",
        "Sub",
        "ToJsonString",
        "Transform",
    ];
    if handle != "!" {
        return None;
    }
    match suffix {
        "Ref" | "Condition" => Some(suffix.to_owned()),
        _ if FUNCTIONS.contains(&suffix) => Some(format!("Fn::{suffix}")),
        _ => None,
    }
}

fn merge_into(
    out: &mut Map<String, Value>,
    merged: &MarkedYaml<'_>,
    pointer: &mut String,
    spans: &mut SpanIndex,
    depth: usize,
    max_depth: usize,
) -> Result<(), ParseError> {
    let sources: Vec<&MarkedYaml<'_>> = match &merged.data {
        YamlData::Sequence(items) => items.iter().collect(),
        _ => vec![merged],
    };
    for source in sources {
        if let Value::Object(map) = convert(source, pointer, spans, depth + 1, max_depth)? {
            for (k, v) in map {
                out.entry(k).or_insert(v);
            }
        }
    }
    Ok(())
}

fn scalar_value(scalar: &Scalar<'_>) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number((*i).into()),
        Scalar::FloatingPoint(f) => Number::from_f64(f.into_inner())
            .map(Value::Number)
            // NaN and infinities have no JSON form: keep their text.
            .unwrap_or_else(|| Value::String(f.into_inner().to_string())),
        Scalar::String(s) => Value::String(s.to_string()),
    }
}

fn key_string(key: &MarkedYaml<'_>) -> String {
    match &key.data {
        YamlData::Value(Scalar::String(s)) => s.to_string(),
        YamlData::Value(Scalar::Null) => "null".to_owned(),
        YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
        YamlData::Value(Scalar::Integer(i)) => i.to_string(),
        YamlData::Value(Scalar::FloatingPoint(f)) => f.into_inner().to_string(),
        YamlData::Representation(text, _, _) => text.to_string(),
        YamlData::Tagged(_, inner) => key_string(inner),
        _ => {
            // A complex key (a mapping or sequence as key): rare, and it has
            // no JSON form. Its JSON text stands in for it.
            let mut spans = SpanIndex::default();
            convert(key, &mut String::new(), &mut spans, 0, 16)
                .map(|v| v.to_string())
                .unwrap_or_default()
        }
    }
}

fn region(node: &MarkedYaml<'_>) -> Region {
    let (start, end): (&Marker, &Marker) = (&node.span.start, &node.span.end);
    Region {
        start_line: to_u32(start.line()),
        start_column: to_u32(start.col() + 1),
        end_line: to_u32(end.line()),
        end_column: to_u32(end.col() + 1),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> YamlDocument {
        let mut docs = parse_documents(text).unwrap();
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    #[test]
    fn spans_point_at_keys_and_items() {
        let doc = one(
            "kind: Pod\nspec:\n  containers:\n    - name: a\n      image: nginx\n    - name: b\n",
        );
        let line = |p: &str| doc.spans.get(p).unwrap().start_line;
        assert_eq!(line("/kind"), 1);
        assert_eq!(line("/spec"), 2);
        assert_eq!(line("/spec/containers/0"), 4);
        assert_eq!(line("/spec/containers/0/image"), 5);
        assert_eq!(line("/spec/containers/1/name"), 6);
        let image = doc.spans.get("/spec/containers/0/image").unwrap();
        assert_eq!((image.start_column, image.end_line), (7, 5));
    }

    #[test]
    fn scalars_follow_yaml_1_2_and_quotes_keep_strings() {
        let doc = one("a: true\nb: 'true'\nc: 10\nd: 1.5\ne: ~\nf: \"10\"\ng: yes\n");
        assert_eq!(
            doc.value,
            serde_json::json!({"a": true, "b": "true", "c": 10, "d": 1.5, "e": null, "f": "10", "g": "yes"})
        );
    }

    #[test]
    fn keys_with_slashes_and_tildes_are_escaped() {
        let doc = one("metadata:\n  annotations:\n    a/b~c: x\n");
        assert_eq!(
            doc.spans
                .get("/metadata/annotations/a~1b~0c")
                .unwrap()
                .start_line,
            3
        );
    }

    #[test]
    fn anchors_aliases_and_merge_keys_resolve() {
        let doc = one("base: &b\n  x: 1\n  y: 2\nderived:\n  <<: *b\n  y: 3\n");
        assert_eq!(doc.value["derived"], serde_json::json!({"x": 1, "y": 3}));
    }

    #[test]
    fn errors_carry_their_location() {
        let err = parse_documents("a: b\n  c: d\n").unwrap_err();
        assert_eq!(err.line(), 2);
        let err = parse_documents("a: 1\na: 2\n").unwrap_err();
        assert!(err.message.contains("duplicated key"), "{err}");
    }

    #[test]
    fn an_error_at_the_end_of_input_is_on_the_last_line() {
        // Found by the fuzzer: saphyr put these on a line past the file.
        let err = parse_documents("a: [1, 2x\", {\"name\": /git").unwrap_err();
        assert_eq!((err.line(), err.column()), (1, 26), "{err}");
        let err = parse_documents("a: 1\nb: {c: 2").unwrap_err();
        assert_eq!((err.line(), err.column()), (2, 9), "{err}");
    }

    #[test]
    fn a_value_at_the_end_of_input_is_on_the_last_line() {
        // An empty value at the end of a text without a final line break:
        // saphyr places it on the line after the last.
        let doc = one("a: 1\nb:");
        let b = doc.spans.get("/b").unwrap();
        assert_eq!((b.start_line, b.end_line), (2, 2), "{b:?}");
        let root = doc.spans.get("").unwrap();
        assert_eq!(root.end_line, 2, "{root:?}");
    }

    #[test]
    fn a_lone_carriage_return_does_not_end_a_line() {
        // As git and GitHub count lines (and every other parser here): a
        // CR not followed by LF is within its line.
        let doc = one("a: 1\rb: 2\nc:\r\n  d: true\n");
        // `\r` inside the plain scalar `1\rb: 2`? YAML ends the line there,
        // so `b` is a key of its own; its line is rampart's line 1.
        assert_eq!(doc.spans.get("/b").unwrap().start_line, 1);
        assert_eq!(doc.spans.get("/b").unwrap().start_column, 6);
        assert_eq!(doc.spans.get("/c/d").unwrap().start_line, 3);
        let err = parse_documents("a: 1\rb: 2\rc: [\nd").unwrap_err();
        assert_eq!(err.line(), 2, "{err}");
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                [prev.as_str(); 10].join(", ")
            ));
        }
        assert!(parse_documents(&text).is_err());
    }

    #[test]
    fn json_parses_with_spans() {
        let doc = one("{\n  \"kind\": \"Pod\",\n  \"spec\": {\"hostPID\": true}\n}\n");
        assert_eq!(doc.value["spec"]["hostPID"], true);
        assert_eq!(doc.spans.get("/spec/hostPID").unwrap().start_line, 3);
    }

    #[test]
    fn cloudformation_short_tags_become_intrinsic_functions() {
        let doc = one(
            "Bucket: !Ref Name\nArn: !GetAtt Bucket.Arn\nUrl: !Sub 'https://${Bucket}'\n\
             Zones: !If [Prod, !GetAZs '', []]\nOther: !custom 5\n",
        );
        assert_eq!(
            doc.value,
            serde_json::json!({
                "Bucket": {"Ref": "Name"},
                "Arn": {"Fn::GetAtt": ["Bucket", "Arn"]},
                "Url": {"Fn::Sub": "https://${Bucket}"},
                "Zones": {"Fn::If": ["Prod", {"Fn::GetAZs": ""}, []]},
                "Other": 5,
            })
        );
        assert_eq!(doc.spans.get("/Arn/Fn::GetAtt").unwrap().start_line, 2);
        assert_eq!(
            doc.spans
                .get("/Zones/Fn::If/1/Fn::GetAZs")
                .unwrap()
                .start_line,
            4
        );
    }

    /// 20,000 levels of `- ` once overflowed the stack (in the parser's
    /// recursive loader, then in dropping the tree); now the stream is
    /// refused at the line where it goes past the limit.
    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!("{}1\n", "- ".repeat(20_000));
        let err = parse_documents(&text).unwrap_err();
        assert_eq!(err.message, "nesting deeper than 100 levels");
        assert_eq!((err.line(), err.column()), (1, 201));
        // Flow collections: past 255 levels the parser's scanner stops by
        // itself (reading ahead for a key), below that the guard does.
        let flow = format!("a: {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
        let err = parse_documents(&flow).unwrap_err();
        assert_eq!(err.message, "nesting deeper than 100 levels");
        assert_eq!(err.line(), 1);
        let flow = format!("a: {}{}\n", "[".repeat(150), "]".repeat(150));
        let err = parse_documents(&flow).unwrap_err();
        assert_eq!(err.message, "nesting deeper than 100 levels");
        // Just at the limit is fine.
        let ok = format!("{}1\n", "- ".repeat(100));
        assert!(parse_documents(&ok).is_ok());
    }

    /// Aliases count as deep as what they expand to: a chain of anchors
    /// each nesting the previous one cannot build a deep tree.
    #[test]
    fn alias_chains_count_towards_the_depth() {
        let mut text = String::from("a0: &a0 [[[[[[[[[[x]]]]]]]]]]\n");
        for i in 1..20 {
            text.push_str(&format!("a{i}: &a{i} [[[[[[[[[*a{}]]]]]]]]]\n", i - 1));
        }
        // a{i} nests 9 levels over a{i-1}: a10 (line 11) is the first
        // past 100 (1 + 9 + 10 + 9 * 9 = 101 levels).
        let err = parse_documents(&text).unwrap_err();
        assert_eq!(err.message, "nesting deeper than 100 levels");
        assert_eq!(err.line(), 11);
    }

    #[test]
    fn too_many_documents_is_an_error() {
        let limits = ParseLimits {
            max_documents: 3,
            ..ParseLimits::default()
        };
        assert_eq!(
            parse_documents_with("a: 1\n---\nb: 2\n---\n", &limits)
                .unwrap()
                .len(),
            3
        );
        let err = parse_documents_with("---\n---\n---\n---\n", &limits).unwrap_err();
        assert_eq!(err.message, "more than 3 documents in one file");
        assert_eq!(err.line(), 4);
    }

    #[test]
    fn empty_streams_have_no_documents() {
        assert!(parse_documents("").unwrap().is_empty());
        assert!(parse_documents("# only a comment\n").unwrap().is_empty());
    }
}
