//! Navigating a document while keeping track of where you are.

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
/// Navigating is free: a node that exists is just a reference into the
/// document, and its pointer is only worked out when asked for (when a
/// finding is reported). Rules walk the same pod spec dozens of times per
/// resource, so this matters.
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
    root: &'a Value,
    /// The value here; for a missing node, the deepest existing ancestor.
    anchor: &'a Value,
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
        std::ptr::eq(self.root, other.root)
            && std::ptr::eq(self.anchor, other.anchor)
            && self.missing == other.missing
    }
}

impl<'a> Node<'a> {
    /// The root of a document (pointer `""`).
    pub fn root(document: &'a Value) -> Self {
        Node {
            root: document,
            anchor: document,
            missing: Missing::None,
        }
    }

    #[inline]
    fn child<'k>(&self, step: Step<'k>, found: Option<&'k Value>) -> Node<'k>
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
        found: Option<&'k Value>,
        step: impl FnOnce(&Missing<'a>) -> Missing<'k>,
    ) -> Node<'k>
    where
        'a: 'k,
    {
        match found {
            Some(value) if self.missing.is_empty() => Node {
                root: self.root,
                anchor: value,
                missing: Missing::None,
            },
            _ => Node {
                root: self.root,
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
            .value()
            .and_then(|v| v.as_object())
            .and_then(|o| member(o, key));
        self.child(Step::Key(key), found)
    }

    /// Element `index` of an array.
    pub fn at(&self, index: usize) -> Node<'a> {
        let found = self
            .value()
            .and_then(|v| v.as_array())
            .and_then(|a| a.get(index));
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
            node = match node.value() {
                Some(Value::Array(_)) => match key.parse::<usize>() {
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
            .value()
            .and_then(|v| v.as_object())
            .and_then(|o| member(o, &key));
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

    /// The value here, if any.
    pub fn value(&self) -> Option<&'a Value> {
        self.missing.is_empty().then_some(self.anchor)
    }

    /// This node's JSON Pointer, e.g. `/spec/containers/0`.
    pub fn pointer(&self) -> String {
        let mut pointer = String::with_capacity(64);
        if !std::ptr::eq(self.root, self.anchor) {
            // Work out where the anchor sits by searching the document for
            // it by address: done once per reported finding, not per step.
            // The search keeps borrowed steps and formats only the path it
            // finds: most of a document is visited, little of it is written.
            let mut path: Vec<Step<'_>> = Vec::new();
            find_path(self.root, self.anchor, &mut path);
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
        let root = self.root;
        self.value()
            .and_then(|v| v.as_array())
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .map(move |value| Node {
                root,
                anchor: value,
                missing: Missing::None,
            })
    }

    /// The members of an object, in document order. Empty for anything
    /// that is not an object.
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, Node<'a>)> + use<'a> {
        let root = self.root;
        self.value()
            .and_then(|v| v.as_object())
            .into_iter()
            .flat_map(|o| o.iter())
            .map(move |(key, value)| {
                (
                    key.as_str(),
                    Node {
                        root,
                        anchor: value,
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
        self.value().and_then(Value::as_str)
    }

    /// The boolean here, if the value is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        self.value().and_then(Value::as_bool)
    }

    /// The integer here, if the value is an integer that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.value().and_then(Value::as_i64)
    }

    /// The number here, as an `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        self.value().and_then(Value::as_f64)
    }

    /// Whether the value is the boolean `true`.
    pub fn is_true(&self) -> bool {
        self.as_bool() == Some(true)
    }

    /// Whether the value is an array.
    pub fn is_array(&self) -> bool {
        self.value().is_some_and(Value::is_array)
    }

    /// Whether the value is an object.
    pub fn is_object(&self) -> bool {
        self.value().is_some_and(Value::is_object)
    }
}

/// `map[key]`. Objects in documents are small, and a scan that compares
/// lengths first settles most keys without looking at a byte: the B-tree
/// search compares every key it passes in full, with a call to `memcmp`
/// each time (the most frequent operation of every rule). The keys come in
/// byte order (serde_json's map is a B-tree; a test holds it to that), so
/// the scan stops at the first key whose first byte is past the wanted
/// one's: rules probe absent keys as often as present ones.
fn member<'v>(map: &'v serde_json::Map<String, Value>, key: &str) -> Option<&'v Value> {
    if map.len() > 16 {
        return map.get(key);
    }
    let key = key.as_bytes();
    let first = key.first().copied().unwrap_or(0);
    for (k, v) in map {
        let k = k.as_bytes();
        if k.len() == key.len() && k.iter().zip(key).all(|(a, b)| a == b) {
            return Some(v);
        }
        if k.first().is_some_and(|&b| b > first) && !key.is_empty() {
            return None;
        }
    }
    None
}

/// Finds `target` below `current` by address and pushes the steps to it
/// onto `path`, innermost first; returns whether it was found. Steps are
/// pushed only on the way back up from a hit, so the search itself does no
/// bookkeeping per visited value.
fn find_path<'a>(current: &'a Value, target: &Value, path: &mut Vec<Step<'a>>) -> bool {
    if std::ptr::eq(current, target) {
        return true;
    }
    match current {
        Value::Array(items) => {
            // An element is found by its address alone (reports land on
            // containers, rules and list items all the time).
            let range = items.as_ptr_range();
            let address: *const Value = target;
            if range.contains(&address) {
                let index = items.iter().position(|item| std::ptr::eq(item, target));
                if let Some(i) = index {
                    path.push(Step::Index(i));
                    return true;
                }
            }
            for (i, item) in items.iter().enumerate() {
                if find_path(item, target, path) {
                    path.push(Step::Index(i));
                    return true;
                }
            }
        }
        Value::Object(map) => {
            for (key, value) in map {
                if find_path(value, target, path) {
                    path.push(Step::Key(key));
                    return true;
                }
            }
        }
        _ => {}
    }
    false
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
    use serde_json::json;

    #[test]
    fn escapes_keys_in_pointers() {
        let doc = json!({"metadata": {"annotations": {"a/b~c": "x"}}});
        let node = Node::root(&doc)
            .get("metadata")
            .get("annotations")
            .get("a/b~c");
        assert_eq!(node.pointer(), "/metadata/annotations/a~1b~0c");
        assert_eq!(node.as_str(), Some("x"));
    }

    #[test]
    fn pointer_round_trips_through_escaping() {
        let doc = json!({"a/b": [{"~": 1}]});
        let node = Node::root(&doc).at_pointer("/a~1b/0/~0");
        assert_eq!(node.as_i64(), Some(1));
        assert_eq!(node.pointer(), "/a~1b/0/~0");
    }

    #[test]
    fn missing_values_keep_their_pointer() {
        let doc = json!({"spec": {}});
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
        let doc = json!({"list": ["x", "y"], "map": {"k": 1, "j": 2}});
        let root = Node::root(&doc);
        let items: Vec<_> = root
            .get("list")
            .items()
            .map(|n| n.pointer().to_owned())
            .collect();
        assert_eq!(items, ["/list/0", "/list/1"]);
        let entries: Vec<_> = root
            .get("map")
            .entries()
            .map(|(k, n)| (k.to_owned(), n.pointer().to_owned()))
            .collect();
        assert_eq!(entries.len(), 2);
        assert!(entries.contains(&("k".to_owned(), "/map/k".to_owned())));
    }

    #[test]
    fn member_finds_every_key_and_no_other() {
        // `member` stops early on the strength of the map's byte order.
        let doc = json!({"b": 1, "a": 2, "": 3, "ab": 4, "B": 5, "é": 6, "z": 7});
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert!(
            keys.is_sorted(),
            "serde_json's map must iterate in key order: {keys:?}"
        );
        let root = Node::root(&doc);
        for (key, value) in [
            ("b", 1),
            ("a", 2),
            ("", 3),
            ("ab", 4),
            ("B", 5),
            ("é", 6),
            ("z", 7),
        ] {
            assert_eq!(root.get(key).as_i64(), Some(value), "{key}");
        }
        for absent in ["c", "aa", "A", "bb", "zz", "e", "~"] {
            assert!(!root.get(absent).exists(), "{absent}");
        }
        let many: serde_json::Map<String, Value> =
            (0..40).map(|i| (format!("k{i}"), json!(i))).collect();
        let many = Value::Object(many);
        assert_eq!(Node::root(&many).get("k39").as_i64(), Some(39));
        assert!(!Node::root(&many).get("k40").exists());
    }

    #[test]
    fn malformed_pointer_gives_missing_node() {
        let doc = json!({"a": 1});
        assert!(!Node::root(&doc).at_pointer("a").exists());
        assert!(!Node::root(&doc).at_pointer("/b/0").exists());
        assert_eq!(Node::root(&doc).at_pointer("").value(), Some(&doc));
    }
}
