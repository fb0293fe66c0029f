//! Navigating a document while keeping track of where you are.

use crate::document::{Document, Kind};
use serde_json::Value;
use std::borrow::Cow;

/// A position in a resource's document: the value there (if any) and its
/// RFC 6901 JSON Pointer.
///
/// Navigation never fails: asking for a missing key gives a node that does
/// not [`exist`](Node::exists) but still has a pointer. Reporting a finding
/// at such a node is useful ("`resources.limits` is missing"): the host
/// places it at the nearest ancestor that does exist.
///
/// Navigating is free: a node that exists is just an index into the
/// [`Document`], and its pointer is only worked out when asked for (when a
/// finding is reported), by walking up its parents. Rules walk the same pod
/// spec dozens of times per resource, so this matters.
///
/// ```
/// use rampart_policy::Resource;
/// let r = Resource::new("id", "k8s", r#"{"spec": {"containers": [{"name": "a/b"}]}}"#).unwrap();
/// let name = r.root().get("spec").get("containers").at(0).get("name");
/// assert_eq!(name.as_str(), Some("a/b"));
/// assert_eq!(name.pointer(), "/spec/containers/0/name");
/// let limits = r.root().get("spec").get("resources").get("limits");
/// assert!(!limits.exists());
/// assert_eq!(limits.pointer(), "/spec/resources/limits");
/// ```
#[derive(Debug, Clone)]
pub struct Node<'a> {
    document: &'a Document,
    /// The entry of the value here; for a missing node, of the deepest
    /// existing ancestor.
    anchor: u32,
    /// Tokens from `anchor` down to this node: none when the node exists.
    missing: Missing<'a>,
}

/// The steps below the deepest existing ancestor of a missing node. Rules
/// probe absent settings all the time (`securityContext.privileged` on a
/// container without a security context), so the usual one or two steps
/// live in the node itself as plain borrowed steps: making, copying and
/// dropping such a node touches no heap and runs no drop code (both showed
/// in profiles of every rule). Deeper misses, and keys that only a JSON
/// Pointer spelled (owned), take the allocated form.
#[derive(Debug, Clone, Default)]
enum Missing<'a> {
    #[default]
    None,
    One(Step<'a>),
    Two([Step<'a>; 2]),
    Many(Vec<Token<'a>>),
}

/// One step of a path, borrowed from the rule's code or the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// One step of a path that may own its key.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token<'a> {
    Step(Step<'a>),
    Owned(String),
}

impl Token<'_> {
    fn as_step(&self) -> Step<'_> {
        match self {
            Token::Step(step) => *step,
            Token::Owned(key) => Step::Key(key),
        }
    }
}

impl<'a> Missing<'a> {
    #[inline]
    fn is_empty(&self) -> bool {
        matches!(self, Missing::None)
    }

    /// The steps, in order.
    fn steps(&self) -> Vec<Step<'_>> {
        match self {
            Missing::None => Vec::new(),
            Missing::One(step) => vec![*step],
            Missing::Two(steps) => steps.to_vec(),
            Missing::Many(tokens) => tokens.iter().map(Token::as_step).collect(),
        }
    }

    fn tokens(&self) -> Vec<Token<'a>> {
        match self {
            Missing::None => Vec::new(),
            Missing::One(step) => vec![Token::Step(*step)],
            Missing::Two([a, b]) => vec![Token::Step(*a), Token::Step(*b)],
            Missing::Many(tokens) => tokens.clone(),
        }
    }

    /// These steps and one more, with a shorter lifetime.
    #[inline]
    fn with<'k>(&self, step: Step<'k>) -> Missing<'k>
    where
        'a: 'k,
    {
        match self {
            Missing::None => Missing::One(step),
            Missing::One(first) => Missing::Two([*first, step]),
            _ => self.with_token(Token::Step(step)),
        }
    }

    fn with_token<'k>(&self, token: Token<'k>) -> Missing<'k>
    where
        'a: 'k,
    {
        let mut tokens: Vec<Token<'k>> = self.tokens();
        tokens.push(token);
        Missing::Many(tokens)
    }
}

impl PartialEq for Missing<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Missing::None, Missing::None) => true,
            (Missing::One(a), Missing::One(b)) => a == b,
            (Missing::Two(a), Missing::Two(b)) => a == b,
            _ => self.steps() == other.steps(),
        }
    }
}

impl Eq for Missing<'_> {}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.document, other.document)
            && self.anchor == other.anchor
            && self.missing == other.missing
    }
}

impl<'a> Node<'a> {
    /// The root of a document (pointer `""`).
    pub fn root(document: &'a Document) -> Self {
        Node {
            document,
            anchor: 0,
            missing: Missing::None,
        }
    }

    /// The entry here, if the node exists.
    #[inline]
    fn entry(&self) -> Option<u32> {
        self.missing.is_empty().then_some(self.anchor)
    }

    /// The entry here if it is a value of this kind.
    #[inline]
    fn entry_of(&self, kind: Kind) -> Option<u32> {
        self.entry()
            .filter(|&i| self.document.entry(i).kind == kind)
    }

    #[inline]
    fn child<'k>(&self, step: Step<'k>, found: Option<u32>) -> Node<'k>
    where
        'a: 'k,
    {
        self.descend(found, |missing| missing.with(step))
    }

    /// The node one step down: `found` if this node exists and the step
    /// led somewhere, else this node's anchor with the step added by
    /// `step` to its missing ones.
    #[inline]
    fn descend<'k>(
        &self,
        found: Option<u32>,
        step: impl FnOnce(&Missing<'a>) -> Missing<'k>,
    ) -> Node<'k>
    where
        'a: 'k,
    {
        match found {
            Some(anchor) if self.missing.is_empty() => Node {
                document: self.document,
                anchor,
                missing: Missing::None,
            },
            _ => Node {
                document: self.document,
                anchor: self.anchor,
                missing: step(&self.missing),
            },
        }
    }

    /// The member `key` of an object.
    pub fn get<'k>(&self, key: &'k str) -> Node<'k>
    where
        'a: 'k,
    {
        let found = self
            .entry_of(Kind::Object)
            .and_then(|object| self.document.member(object, key));
        self.child(Step::Key(key), found)
    }

    /// Element `index` of an array. (Found by stepping over the elements
    /// before it: use [`items`](Self::items) to visit them all.)
    pub fn at(&self, index: usize) -> Node<'a> {
        let found = self
            .entry_of(Kind::Array)
            .and_then(|array| self.document.children(array).nth(index));
        self.child(Step::Index(index), found)
    }

    /// The node at a JSON Pointer relative to this one (`"/a/0/b"`).
    /// A pointer that does not start with `/` (other than `""`) gives a
    /// node that does not exist.
    pub fn at_pointer(&self, pointer: &str) -> Node<'a> {
        if pointer.is_empty() {
            return self.clone();
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            return self.descend(None, |missing| {
                missing.with_token(Token::Owned(pointer.to_owned()))
            });
        };
        let mut node = self.clone();
        for token in rest.split('/') {
            let key = if token.contains('~') {
                Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
            } else {
                Cow::Borrowed(token)
            };
            node = match node.entry_of(Kind::Array) {
                Some(_) => match key.parse::<usize>() {
                    Ok(i) if !key.starts_with('+') => node.at(i),
                    _ => node.owned_key(key),
                },
                _ => node.owned_key(key),
            };
        }
        node
    }

    /// The member `key`, a key that lives no longer than this call.
    fn owned_key(&self, key: Cow<'_, str>) -> Node<'a> {
        let found = self
            .entry_of(Kind::Object)
            .and_then(|object| self.document.member(object, &key));
        self.descend(found, |missing| {
            missing.with_token(Token::Owned(key.into_owned()))
        })
    }

    /// This node if it exists, else `fallback`: where to report "X is not
    /// set" when X's parent is the more useful place to point at.
    ///
    /// ```
    /// use rampart_policy::Resource;
    /// let r = Resource::new("id", "k8s", r#"{"spec": {"containers": [{"name": "a"}]}}"#).unwrap();
    /// let container = r.at("/spec/containers/0");
    /// let flag = container.get("securityContext").get("privileged");
    /// assert_eq!(flag.or(&container).pointer(), "/spec/containers/0");
    /// ```
    pub fn or(&self, fallback: &Node<'a>) -> Node<'a> {
        if self.exists() {
            self.clone()
        } else {
            fallback.clone()
        }
    }

    /// Whether there is a value here.
    pub fn exists(&self) -> bool {
        self.missing.is_empty()
    }

    /// A copy of the value here as a `serde_json::Value`, if any: for
    /// code that wants to match on it or keep it. The `as_*` and `is_*`
    /// methods read the document in place.
    ///
    /// ```
    /// use rampart_policy::{Document, Value};
    /// let doc = Document::parse(r#"{"port": 8080}"#).unwrap();
    /// assert_eq!(doc.root().get("port").to_value(), Some(Value::from(8080)));
    /// assert_eq!(doc.root().get("host").to_value(), None);
    /// ```
    pub fn to_value(&self) -> Option<Value> {
        self.entry().map(|i| self.document.value_at(i))
    }

    /// This node's JSON Pointer, e.g. `/spec/containers/0`.
    pub fn pointer(&self) -> String {
        let mut pointer = String::with_capacity(64);
        if self.anchor != 0 {
            // Up the parents from the anchor to the root, then written
            // root first: done once per reported finding, not per step.
            let mut path: Vec<Step<'_>> = Vec::with_capacity(8);
            let mut at = self.anchor;
            while at != 0 {
                let entry = self.document.entry(at);
                let parent = self.document.entry(entry.parent);
                path.push(if parent.kind == Kind::Array {
                    Step::Index(entry.slot as usize)
                } else {
                    Step::Key(self.document.key(at))
                });
                at = entry.parent;
            }
            for step in path.iter().rev() {
                push_token(&mut pointer, step);
            }
        }
        match &self.missing {
            Missing::None => {}
            Missing::One(step) => push_token(&mut pointer, step),
            Missing::Two(steps) => steps.iter().for_each(|s| push_token(&mut pointer, s)),
            Missing::Many(tokens) => tokens
                .iter()
                .for_each(|t| push_token(&mut pointer, &t.as_step())),
        }
        pointer
    }

    /// The elements of an array. Empty for anything that is not an array.
    pub fn items(&self) -> impl Iterator<Item = Node<'a>> + use<'a> {
        let document = self.document;
        self.entry_of(Kind::Array)
            .into_iter()
            .flat_map(move |array| document.children(array))
            .map(move |anchor| Node {
                document,
                anchor,
                missing: Missing::None,
            })
    }

    /// The members of an object, in document order. Empty for anything
    /// that is not an object.
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, Node<'a>)> + use<'a> {
        let document = self.document;
        self.entry_of(Kind::Object)
            .into_iter()
            .flat_map(move |object| document.children(object))
            .map(move |anchor| {
                (
                    document.key(anchor),
                    Node {
                        document,
                        anchor,
                        missing: Missing::None,
                    },
                )
            })
    }

    /// A string, or each string of a list, with its node — for fields that
    /// take one value or many (`Action: "s3:*"` or `Action: [...]`,
    /// `cidr_blocks = [...]`). Non-string items are skipped.
    ///
    /// ```
    /// use rampart_policy::Resource;
    /// let r = Resource::new("id", "k8s", r#"{"one": "a", "many": ["b", 1, "c"]}"#).unwrap();
    /// let many: Vec<(&str, String)> = r.root().get("many").strings().into_iter().map(|(s, n)| (s, n.pointer())).collect();
    /// assert_eq!(many, [("b", "/many/0".to_owned()), ("c", "/many/2".to_owned())]);
    /// assert_eq!(r.root().get("one").strings()[0].0, "a");
    /// assert!(r.root().get("none").strings().is_empty());
    /// ```
    pub fn strings(&self) -> Vec<(&'a str, Node<'a>)> {
        if let Some(s) = self.as_str() {
            return vec![(s, self.clone())];
        }
        self.items()
            .filter_map(|item| item.as_str().map(|s| (s, item.clone())))
            .collect()
    }

    /// The string here, if the value is a string.
    pub fn as_str(&self) -> Option<&'a str> {
        let document = self.document;
        self.entry().and_then(|i| document.string(i))
    }

    /// The boolean here, if the value is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind()? {
            Kind::True => Some(true),
            Kind::False => Some(false),
            _ => None,
        }
    }

    /// The integer here, if the value is an integer that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        let entry = self.document.entry(self.entry()?);
        match entry.kind {
            Kind::Unsigned => i64::try_from(entry.data).ok(),
            Kind::Signed => Some(entry.data as i64),
            _ => None,
        }
    }

    /// The number here, as an `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        let entry = self.document.entry(self.entry()?);
        match entry.kind {
            Kind::Unsigned => Some(entry.data as f64),
            Kind::Signed => Some(entry.data as i64 as f64),
            Kind::Float => Some(f64::from_bits(entry.data)),
            _ => None,
        }
    }

    /// Whether the value is the boolean `true`.
    pub fn is_true(&self) -> bool {
        self.kind() == Some(Kind::True)
    }

    /// Whether the value is an array.
    pub fn is_array(&self) -> bool {
        self.kind() == Some(Kind::Array)
    }

    /// Whether the value is an object.
    pub fn is_object(&self) -> bool {
        self.kind() == Some(Kind::Object)
    }

    /// Whether the value is a string.
    pub fn is_string(&self) -> bool {
        self.kind() == Some(Kind::String)
    }

    /// Whether the value is a number.
    pub fn is_number(&self) -> bool {
        matches!(
            self.kind(),
            Some(Kind::Unsigned | Kind::Signed | Kind::Float)
        )
    }

    /// Whether the value is `null` (a node that does not exist is not).
    pub fn is_null(&self) -> bool {
        self.kind() == Some(Kind::Null)
    }

    fn kind(&self) -> Option<Kind> {
        self.entry().map(|i| self.document.entry(i).kind)
    }
}

/// Appends `/token`, escaped, to a JSON Pointer.
fn push_token(pointer: &mut String, step: &Step<'_>) {
    match *step {
        Step::Key(key) => {
            pointer.push('/');
            pointer.push_str(&escape_token(key));
        }
        Step::Index(i) => {
            pointer.push('/');
            pointer.push_str(itoa::Buffer::new().format(i));
        }
    }
}

/// `token` as one reference token of a JSON Pointer (RFC 6901): `~` as
/// `~0`, `/` as `~1`; borrowed when there is nothing to escape.
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Document {
        Document::parse(text).unwrap()
    }

    #[test]
    fn escapes_keys_in_pointers() {
        let doc = parse(r#"{"metadata": {"annotations": {"a/b~c": "x"}}}"#);
        let node = Node::root(&doc)
            .get("metadata")
            .get("annotations")
            .get("a/b~c");
        assert_eq!(node.pointer(), "/metadata/annotations/a~1b~0c");
        assert_eq!(node.as_str(), Some("x"));
    }

    #[test]
    fn pointer_round_trips_through_escaping() {
        let doc = parse(r#"{"a/b": [{"~": 1}]}"#);
        let node = Node::root(&doc).at_pointer("/a~1b/0/~0");
        assert_eq!(node.as_i64(), Some(1));
        assert_eq!(node.pointer(), "/a~1b/0/~0");
    }

    #[test]
    fn missing_values_keep_their_pointer() {
        let doc = parse(r#"{"spec": {}}"#);
        let node = Node::root(&doc)
            .get("spec")
            .get("containers")
            .at(3)
            .get("image");
        assert!(!node.exists());
        assert_eq!(node.pointer(), "/spec/containers/3/image");
        assert_eq!(node.items().count(), 0);
    }

    #[test]
    fn items_and_entries_carry_pointers() {
        let doc = parse(r#"{"list": ["x", "y"], "map": {"k": 1, "j": 2}}"#);
        let root = Node::root(&doc);
        let items: Vec<_> = root.get("list").items().map(|n| n.pointer()).collect();
        assert_eq!(items, ["/list/0", "/list/1"]);
        let entries: Vec<_> = root
            .get("map")
            .entries()
            .map(|(k, n)| (k, n.pointer(), n.as_i64()))
            .collect();
        // In document order.
        assert_eq!(
            entries,
            [
                ("k", "/map/k".to_owned(), Some(1)),
                ("j", "/map/j".to_owned(), Some(2))
            ]
        );
    }

    #[test]
    fn every_value_finds_its_own_pointer() {
        // Every node reached by walking the document reports the pointer
        // that leads back to it, nested containers and empty ones included.
        let doc = parse(
            r#"{"a": [1, {"b": [[], {}, [{"c": null}]], "d~/": "e"}], "f": {"g": {"h": [true, false]}}, "": 0}"#,
        );
        fn walk<'a>(node: Node<'a>, pointer: String, seen: &mut Vec<String>) {
            assert_eq!(node.pointer(), pointer);
            assert_eq!(Node::root(node.document).at_pointer(&pointer), node);
            seen.push(pointer.clone());
            for (i, item) in node.items().enumerate() {
                walk(item, format!("{pointer}/{i}"), seen);
            }
            for (key, member) in node.entries() {
                walk(member, format!("{pointer}/{}", escape_token(key)), seen);
            }
        }
        let mut seen = Vec::new();
        walk(doc.root(), String::new(), &mut seen);
        assert_eq!(seen.len(), 17);
    }

    #[test]
    fn member_finds_every_key_and_no_other() {
        let doc = parse(
            r#"{"b": 1, "a": 2, "": 3, "ab": 4, "B": 5, "é": 6, "z": {"nested": 0}, "y": 8}"#,
        );
        let root = Node::root(&doc);
        for (key, value) in [
            ("b", 1),
            ("a", 2),
            ("", 3),
            ("ab", 4),
            ("B", 5),
            ("é", 6),
            ("y", 8),
        ] {
            assert_eq!(root.get(key).as_i64(), Some(value), "{key}");
        }
        assert!(root.get("z").is_object());
        // A key of a nested object is not a member of its parent.
        for absent in ["c", "aa", "A", "bb", "zz", "e", "~", "nested"] {
            assert!(!root.get(absent).exists(), "{absent}");
        }
        // Keys that share their first four bytes, or differ only there.
        let doc = parse(r#"{"abcdef": 1, "abcdeg": 2, "abcd": 3, "xbcdef": 4, "abc\u0000": 5}"#);
        let root = Node::root(&doc);
        for (key, value) in [
            ("abcdef", 1),
            ("abcdeg", 2),
            ("abcd", 3),
            ("xbcdef", 4),
            ("abc\0", 5),
        ] {
            assert_eq!(root.get(key).as_i64(), Some(value), "{key}");
        }
        for absent in ["abcde", "abcdefg", "abc", "abcdeh", "ybcdef", "abcd\0"] {
            assert!(!root.get(absent).exists(), "{absent}");
        }
        let many = format!(
            "{{{}}}",
            (0..40)
                .map(|i| format!("\"k{i}\": {i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let many = parse(&many);
        assert_eq!(Node::root(&many).get("k39").as_i64(), Some(39));
        assert!(!Node::root(&many).get("k40").exists());
    }

    #[test]
    fn kinds_are_told_apart() {
        let doc = parse(r#"[null, true, "s", 1, -1.5, [], {}]"#);
        let root = doc.root();
        assert!(root.at(0).is_null() && root.at(0).exists());
        assert!(root.at(1).is_true() && root.at(1).as_bool() == Some(true));
        assert!(root.at(2).is_string() && root.at(2).as_str() == Some("s"));
        assert!(root.at(3).is_number() && root.at(4).is_number());
        assert!(root.at(5).is_array() && root.at(6).is_object());
        assert!(!root.at(7).exists() && !root.at(7).is_null());
        assert_eq!(root.at(2).as_i64(), None);
        assert_eq!(root.at(3).as_str(), None);
    }

    #[test]
    fn malformed_pointer_gives_missing_node() {
        let doc = parse(r#"{"a": 1}"#);
        assert!(!Node::root(&doc).at_pointer("a").exists());
        assert!(!Node::root(&doc).at_pointer("/b/0").exists());
        assert_eq!(
            Node::root(&doc).at_pointer("").to_value(),
            Some(doc.to_value())
        );
    }
}
