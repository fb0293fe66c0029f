//! A resource's document: the JSON text the host sent, parsed once into a
//! flat table of values that rules navigate by index.
//!
//! Why not `serde_json::Value`: a scan hands every pack tens of thousands of
//! documents, and profiles of the built-in packs showed the `Value` tree as
//! the largest cost of the policy side — a B-tree and a `String` per object
//! and key to build, a B-tree walk for every `get`, and a search of the
//! whole tree to find the JSON Pointer of each reported value. Here a
//! document is the text plus one `Vec` of fixed-size entries in document
//! order, each knowing its parent and where its subtree ends: building it
//! allocates nothing per value (strings without escapes stay in the text),
//! a member lookup scans one contiguous run of entries, and a pointer is a
//! walk up the parents.
//!
//! The text is read by `serde_json`'s parser, so what is accepted (and the
//! error for what is not) is exactly what `serde_json::from_str` accepts.

use crate::node::Node;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

/// A parsed JSON document. Navigate it with [`Document::root`].
///
/// ```
/// use rampart_policy::Document;
/// let doc = Document::parse(r#"{"spec": {"replicas": 3, "tags": ["a", "b"]}}"#).unwrap();
/// let spec = doc.root().get("spec");
/// assert_eq!(spec.get("replicas").as_i64(), Some(3));
/// assert_eq!(spec.get("tags").at(1).pointer(), "/spec/tags/1");
/// assert_eq!(doc.to_value()["spec"]["tags"][0], "a");
/// ```
///
/// Objects keep their members in document order. A key that appears twice
/// in one object (which JSON allows but leaves undefined) is found by
/// [`Node::get`] and [`Document::to_value`] at its first occurrence
/// (`serde_json` keeps the last); [`Node::entries`] lists both. Documents
/// from rampart never repeat a key.
#[derive(Clone)]
pub struct Document {
    /// The JSON text; strings without escapes are read from it in place.
    text: String,
    /// Strings (values and keys) that had escapes, unescaped.
    unescaped: String,
    /// Every value, in document order: a container is followed by its
    /// members or items, each followed by its own subtree.
    entries: Vec<Entry>,
}

/// One value of a document.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub(crate) kind: Kind,
    /// The entry of the containing array or object; the root is its own
    /// parent (entry 0).
    pub(crate) parent: u32,
    /// One past the last entry of this value's subtree: the next sibling.
    pub(crate) end: u32,
    /// For a member of an object: its key.
    pub(crate) key: Key,
    /// Position within the parent (array index, or member number).
    pub(crate) slot: u32,
    /// A number's bits, a string's [`Span`], or a container's length.
    pub(crate) data: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    False,
    True,
    /// A non-negative integer (`u64`).
    Unsigned,
    /// A negative integer (`i64`).
    Signed,
    Float,
    String,
    Array,
    Object,
}

/// An object member's key: where its bytes are, and its first four bytes
/// (zero-padded), which settle nearly every comparison of a lookup
/// without reading the key itself.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Key {
    span: Span,
    prefix: u32,
}

impl Key {
    fn new(span: Span, key: &str) -> Key {
        Key {
            span,
            prefix: prefix(key.as_bytes()),
        }
    }
}

/// The first four bytes of a key, zero-padded, as one number.
#[inline]
fn prefix(key: &[u8]) -> u32 {
    let mut bytes = [0u8; 4];
    let n = key.len().min(4);
    bytes[..n].copy_from_slice(&key[..n]);
    u32::from_le_bytes(bytes)
}

/// Where a string's bytes are: in the text, or (high bit of `start` set)
/// in the unescaped strings.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

const UNESCAPED: u32 = 1 << 31;

impl Span {
    fn to_bits(self) -> u64 {
        (u64::from(self.start) << 32) | u64::from(self.len)
    }

    fn from_bits(bits: u64) -> Span {
        Span {
            start: (bits >> 32) as u32,
            len: bits as u32,
        }
    }
}

impl Document {
    /// Parses JSON text (anything `serde_json::from_str` accepts, nested at
    /// most 128 deep).
    ///
    /// ```
    /// use rampart_policy::Document;
    /// assert!(Document::parse("[1, 2]").is_ok());
    /// assert!(Document::parse("{\"a\": }").is_err());
    /// ```
    pub fn parse(text: impl Into<String>) -> Result<Document, serde_json::Error> {
        let text = text.into();
        // Spans are 31-bit offsets; a WebAssembly instance could not hold a
        // document this large anyway.
        if text.len() >= UNESCAPED as usize {
            return Err(de::Error::custom("document larger than 2 GiB"));
        }
        let mut builder = Builder {
            text_start: text.as_ptr() as usize,
            text_len: text.len(),
            unescaped: String::new(),
            // About one value per 12 bytes of JSON text in manifests;
            // sized so that a typical document never regrows.
            entries: Vec::with_capacity(text.len() / 10 + 4),
        };
        let mut parser = serde_json::Deserializer::from_str(&text);
        ValueSeed {
            builder: &mut builder,
            parent: 0,
            key: Key::default(),
            slot: 0,
        }
        .deserialize(&mut parser)?;
        parser.end()?;
        let Builder {
            unescaped, entries, ..
        } = builder;
        Ok(Document {
            text,
            unescaped,
            entries,
        })
    }

    /// The whole document, as a [`Node`] at pointer `""`.
    pub fn root(&self) -> Node<'_> {
        Node::root(self)
    }

    /// The JSON text the document was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The document as a `serde_json::Value`, for code that wants one (a
    /// copy: navigating with [`Node`] is much cheaper).
    pub fn to_value(&self) -> Value {
        self.value_at(0)
    }

    pub(crate) fn entry(&self, index: u32) -> &Entry {
        &self.entries[index as usize]
    }

    /// The first member `key` of an object. Members are one run of entries
    /// (their subtrees between them, stepped over), so this is a short
    /// scan; comparing the length and first four bytes kept in each entry
    /// settles nearly every key without reading it, and the rest is
    /// compared in a plain loop because keys are short (a call to `memcmp`
    /// per key showed in profiles: this is the most frequent operation of
    /// every rule).
    pub(crate) fn member(&self, object: u32, key: &str) -> Option<u32> {
        let key = key.as_bytes();
        let (len, first) = (key.len(), prefix(key));
        let end = self.entry(object).end;
        let mut index = object + 1;
        while index < end {
            let entry = self.entry(index);
            if entry.key.prefix == first && entry.key.span.len as usize == len {
                if len <= 4 {
                    return Some(index);
                }
                let found = self.bytes(entry.key.span);
                if found.len() == len && found[4..].iter().zip(&key[4..]).all(|(a, b)| a == b) {
                    return Some(index);
                }
            }
            index = entry.end;
        }
        None
    }

    /// The string a span is in, and the span's range in it.
    fn locate(&self, span: Span) -> (&str, std::ops::Range<usize>) {
        let (source, start) = if span.start & UNESCAPED != 0 {
            (&self.unescaped, span.start & !UNESCAPED)
        } else {
            (&self.text, span.start)
        };
        let start = start as usize;
        (source, start..start + span.len as usize)
    }

    /// The bytes a span names, without the character-boundary checks of
    /// [`str`](Self::str).
    fn bytes(&self, span: Span) -> &[u8] {
        let (source, range) = self.locate(span);
        source.as_bytes().get(range).unwrap_or_default()
    }

    /// The text a span names.
    pub(crate) fn str(&self, span: Span) -> &str {
        let (source, range) = self.locate(span);
        source.get(range).unwrap_or("")
    }

    pub(crate) fn key(&self, index: u32) -> &str {
        self.str(self.entry(index).key.span)
    }

    pub(crate) fn string(&self, index: u32) -> Option<&str> {
        let entry = self.entry(index);
        (entry.kind == Kind::String).then(|| self.str(Span::from_bits(entry.data)))
    }

    /// The members or items of a container, in order (none for a scalar).
    pub(crate) fn children(&self, index: u32) -> Children<'_> {
        let entry = self.entry(index);
        let next = match entry.kind {
            Kind::Array | Kind::Object => index + 1,
            _ => entry.end,
        };
        Children {
            document: self,
            next,
            end: entry.end,
        }
    }

    pub(crate) fn value_at(&self, index: u32) -> Value {
        let entry = self.entry(index);
        match entry.kind {
            Kind::Null => Value::Null,
            Kind::False => Value::Bool(false),
            Kind::True => Value::Bool(true),
            Kind::Unsigned => Value::from(entry.data),
            Kind::Signed => Value::from(entry.data as i64),
            Kind::Float => Value::from(f64::from_bits(entry.data)),
            Kind::String => Value::String(self.str(Span::from_bits(entry.data)).to_owned()),
            Kind::Array => Value::Array(self.children(index).map(|i| self.value_at(i)).collect()),
            Kind::Object => {
                let mut map = serde_json::Map::new();
                for i in self.children(index) {
                    // A repeated key: the first, as `Node::get` finds it.
                    map.entry(self.key(i)).or_insert_with(|| self.value_at(i));
                }
                Value::Object(map)
            }
        }
    }
}

/// Compares the values, not the texts: `{"a": 1}` equals `{ "a" : 1 }`.
impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text || self.to_value() == other.to_value()
    }
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Document").field(&self.text).finish()
    }
}

/// The entries of a container's members or items.
pub(crate) struct Children<'d> {
    document: &'d Document,
    next: u32,
    end: u32,
}

impl Iterator for Children<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        if self.next >= self.end {
            return None;
        }
        let index = self.next;
        self.next = self.document.entry(index).end;
        Some(index)
    }
}

struct Builder {
    text_start: usize,
    text_len: usize,
    unescaped: String,
    entries: Vec<Entry>,
}

impl Builder {
    /// A span for a string the parser read: in place if it lies in the
    /// text (no escapes), else copied to the unescaped strings.
    fn span(&mut self, s: &str) -> Span {
        let offset = (s.as_ptr() as usize).wrapping_sub(self.text_start);
        if offset <= self.text_len && s.len() <= self.text_len - offset {
            return Span {
                start: offset as u32,
                len: s.len() as u32,
            };
        }
        let start = self.unescaped.len();
        self.unescaped.push_str(s);
        // The unescaped strings are never longer than the text.
        Span {
            start: start as u32 | UNESCAPED,
            len: s.len() as u32,
        }
    }

    fn push(&mut self, kind: Kind, parent: u32, key: Key, slot: u32, data: u64) -> u32 {
        let index = self.entries.len() as u32;
        self.entries.push(Entry {
            kind,
            parent,
            end: index + 1,
            key,
            slot,
            data,
        });
        index
    }
}

/// Reads one value (and its subtree) into the builder.
struct ValueSeed<'b> {
    builder: &'b mut Builder,
    parent: u32,
    key: Key,
    slot: u32,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl ValueSeed<'_> {
    fn scalar(self, kind: Kind, data: u64) {
        self.builder
            .push(kind, self.parent, self.key, self.slot, data);
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.scalar(Kind::Null, 0);
        Ok(())
    }

    fn visit_bool<E>(self, value: bool) -> Result<(), E> {
        self.scalar(if value { Kind::True } else { Kind::False }, 0);
        Ok(())
    }

    fn visit_u64<E>(self, value: u64) -> Result<(), E> {
        self.scalar(Kind::Unsigned, value);
        Ok(())
    }

    fn visit_i64<E>(self, value: i64) -> Result<(), E> {
        // serde_json reads non-negative integers as u64; keep one form
        // for each value either way.
        match u64::try_from(value) {
            Ok(value) => self.scalar(Kind::Unsigned, value),
            Err(_) => self.scalar(Kind::Signed, value as u64),
        }
        Ok(())
    }

    fn visit_f64<E>(self, value: f64) -> Result<(), E> {
        self.scalar(Kind::Float, value.to_bits());
        Ok(())
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<(), E> {
        let span = self.builder.span(value);
        self.scalar(Kind::String, span.to_bits());
        Ok(())
    }

    fn visit_str<E>(self, value: &str) -> Result<(), E> {
        let span = self.builder.span(value);
        self.scalar(Kind::String, span.to_bits());
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let builder = self.builder;
        let index = builder.push(Kind::Array, self.parent, self.key, self.slot, 0);
        let mut slot = 0;
        while seq
            .next_element_seed(ValueSeed {
                builder: &mut *builder,
                parent: index,
                key: Key::default(),
                slot,
            })?
            .is_some()
        {
            slot += 1;
        }
        close(builder, index, slot);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let builder = self.builder;
        let index = builder.push(Kind::Object, self.parent, self.key, self.slot, 0);
        let mut slot = 0;
        while let Some(key) = map.next_key_seed(KeySeed(&mut *builder))? {
            map.next_value_seed(ValueSeed {
                builder: &mut *builder,
                parent: index,
                key,
                slot,
            })?;
            slot += 1;
        }
        close(builder, index, slot);
        Ok(())
    }
}

/// Records where a container's subtree ends and how many children it has.
fn close(builder: &mut Builder, index: u32, len: u32) {
    let end = builder.entries.len() as u32;
    if let Some(entry) = builder.entries.get_mut(index as usize) {
        entry.end = end;
        entry.data = u64::from(len);
    }
}

/// Reads an object key.
struct KeySeed<'b>(&'b mut Builder);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Key, E> {
        Ok(Key::new(self.0.span(value), value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Key, E> {
        Ok(Key::new(self.0.span(value), value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads() {
        let texts = [
            r#"{"a": [1, -2, 3.5, 1e3, 18446744073709551615, -9223372036854775808], "b": {"c": null, "d": true, "e": false}}"#,
            r#"{"esc\"aped": "line\nbreak \u00e9 \ud83d\ude00 \\ / \/", "plain": "x"}"#,
            r#"[]"#,
            r#"{}"#,
            r#""just a string""#,
            r#"  42  "#,
            r#"[[], {}, [[{}]], {"": ""}]"#,
        ];
        for text in texts {
            let document = Document::parse(text).unwrap();
            let expected: Value = serde_json::from_str(text).unwrap();
            assert_eq!(document.to_value(), expected, "{text}");
        }
    }

    #[test]
    fn rejects_what_serde_json_rejects() {
        for text in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "{1: 2}",
            "nul",
            "[1] x",
            "\"\\ud800\"x",
            "01",
        ] {
            assert!(Document::parse(text).is_err(), "{text:?}");
            assert!(serde_json::from_str::<Value>(text).is_err(), "{text:?}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(Document::parse(deep).is_err());
    }

    #[test]
    fn strings_with_escapes_read_back_unescaped() {
        let document = Document::parse(r#"{"k\/ey": "a\tb", "plain": "c"}"#).unwrap();
        let root = document.root();
        assert_eq!(root.get("k/ey").as_str(), Some("a\tb"));
        assert_eq!(root.get("plain").as_str(), Some("c"));
        assert_eq!(root.get("k/ey").pointer(), "/k~1ey");
    }

    #[test]
    fn numbers_keep_serde_jsons_types() {
        let document = Document::parse(r#"[1, -1, 1.5, 18446744073709551615, 2.0]"#).unwrap();
        let root = document.root();
        assert_eq!(root.at(0).as_i64(), Some(1));
        assert_eq!(root.at(1).as_i64(), Some(-1));
        assert_eq!(root.at(2).as_i64(), None);
        assert_eq!(root.at(2).as_f64(), Some(1.5));
        assert_eq!(root.at(3).as_i64(), None);
        assert_eq!(root.at(3).as_f64(), Some(18446744073709551615.0));
        assert_eq!(root.at(4).as_i64(), None);
        assert_eq!(root.at(4).to_value(), Some(json!(2.0)));
    }

    #[test]
    fn equality_is_of_values() {
        let a = Document::parse(r#"{"a": 1, "b": [true]}"#).unwrap();
        let b = Document::parse(r#"{ "b" : [ true ], "a" : 1 }"#).unwrap();
        let c = Document::parse(r#"{"a": 2, "b": [true]}"#).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn repeated_keys_are_found_first() {
        let document = Document::parse(r#"{"a": 1, "a": 2}"#).unwrap();
        assert_eq!(document.root().get("a").as_i64(), Some(1));
        assert_eq!(document.root().entries().count(), 2);
        assert_eq!(document.to_value(), json!({"a": 1}));
    }
}
