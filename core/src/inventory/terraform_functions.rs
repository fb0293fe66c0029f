//! Terraform's built-in functions, over known values.
//!
//! The evaluator calls a function only when every argument is known; a
//! function that is not here, or arguments of the wrong shape, leave the
//! call unknown (its text), as an apply-time value is: rules never guess.
//! Results are bounded — `range` and string results have caps, and the
//! evaluator charges every result to its node budget — so a call cannot
//! build an unbounded value.

use serde_json::{Map, Number, Value};

/// Most elements `range` makes.
pub(crate) const MAX_RANGE: usize = 10_000;
/// Longest string a function builds (bytes).
pub(crate) const MAX_STRING: usize = 1 << 20;

/// `name(args…)`, or `None` when rampart does not evaluate it.
pub(crate) fn call(name: &str, args: &[Value]) -> Option<Value> {
    collection(name, args)
        .or_else(|| string(name, args))
        .or_else(|| other(name, args))
}

/// Functions over lists, sets and maps.
fn collection(name: &str, args: &[Value]) -> Option<Value> {
    let value = match (name, args) {
        ("concat", lists) => Value::Array(
            lists
                .iter()
                .map(|l| l.as_array().cloned())
                .collect::<Option<Vec<_>>>()?
                .concat(),
        ),
        ("merge", maps) => {
            let mut merged = Map::new();
            for map in maps {
                match map {
                    Value::Object(map) => merged.extend(map.clone()),
                    Value::Null => {}
                    _ => return None,
                }
            }
            Value::Object(merged)
        }
        ("lookup", [Value::Object(map), Value::String(key)]) => map.get(key)?.clone(),
        ("lookup", [Value::Object(map), Value::String(key), default]) => {
            map.get(key).unwrap_or(default).clone()
        }
        ("element", [Value::Array(list), index]) if !list.is_empty() => {
            let index = usize::try_from(index.as_u64()?).ok()?;
            list[index % list.len()].clone()
        }
        ("length", [value]) => Value::from(match value {
            Value::Array(list) => list.len(),
            Value::Object(map) => map.len(),
            Value::String(s) => s.chars().count(),
            _ => return None,
        }),
        ("keys", [Value::Object(map)]) => {
            Value::Array(map.keys().cloned().map(Value::from).collect())
        }
        ("values", [Value::Object(map)]) => Value::Array(map.values().cloned().collect()),
        ("flatten", [Value::Array(list)]) => Value::Array(flatten(list)),
        ("distinct", [Value::Array(list)]) => Value::Array(distinct(list)),
        ("contains", [Value::Array(list), value]) => Value::Bool(list.contains(value)),
        ("coalesce", values) => values
            .iter()
            .find(|v| !v.is_null() && v.as_str() != Some(""))?
            .clone(),
        ("coalescelist", lists) => lists
            .iter()
            .find(|l| l.as_array().is_some_and(|l| !l.is_empty()))?
            .clone(),
        ("compact", [Value::Array(list)]) => Value::Array(
            list.iter()
                .filter(|v| !v.is_null() && v.as_str() != Some(""))
                .cloned()
                .collect(),
        ),
        ("slice", [Value::Array(list), start, end]) => {
            let (start, end) = (index(start)?, index(end)?);
            Value::Array(list.get(start..end)?.to_vec())
        }
        ("zipmap", [Value::Array(keys), Value::Array(values)]) if keys.len() == values.len() => {
            let mut map = Map::new();
            for (key, value) in keys.iter().zip(values) {
                map.insert(key.as_str()?.to_owned(), value.clone());
            }
            Value::Object(map)
        }
        ("range", bounds) => range(bounds)?,
        ("reverse", [Value::Array(list)]) => Value::Array(list.iter().rev().cloned().collect()),
        ("sort", [Value::Array(list)]) => {
            let mut strings: Vec<String> = list
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<_>>()?;
            strings.sort();
            Value::Array(strings.into_iter().map(Value::from).collect())
        }
        ("one", [Value::Array(list)]) => match list.as_slice() {
            [] => Value::Null,
            [only] => only.clone(),
            _ => return None,
        },
        ("sum", [Value::Array(list)]) => {
            number(list.iter().map(Value::as_f64).sum::<Option<f64>>()?)?
        }
        ("tolist", [Value::Array(list)]) => Value::Array(list.clone()),
        // A set: each element once (Terraform orders a set of strings
        // lexically).
        ("toset", [Value::Array(list)]) => Value::Array(set_of(list)),
        ("tomap", [Value::Object(map)]) => Value::Object(map.clone()),
        _ => return None,
    };
    Some(value)
}

/// Functions over strings.
fn string(name: &str, args: &[Value]) -> Option<Value> {
    let value = match (name, args) {
        ("format", [Value::String(spec), rest @ ..]) => Value::String(format(spec, rest)?),
        ("join", [Value::String(separator), lists @ ..]) if !lists.is_empty() => {
            let mut parts = Vec::new();
            for list in lists {
                for item in list.as_array()? {
                    parts.push(scalar_text(item)?);
                }
            }
            Value::String(bounded(parts.join(separator))?)
        }
        ("split", [Value::String(separator), Value::String(text)]) => {
            if separator.is_empty() {
                return None;
            }
            Value::Array(text.split(separator.as_str()).map(Value::from).collect())
        }
        ("lower", [Value::String(s)]) => Value::String(s.to_lowercase()),
        ("upper", [Value::String(s)]) => Value::String(s.to_uppercase()),
        // A pattern in slashes is a regular expression: not evaluated.
        ("replace", [Value::String(s), Value::String(from), Value::String(to)])
            if !from.is_empty() && !is_pattern(from) =>
        {
            Value::String(bounded(s.replace(from.as_str(), to))?)
        }
        ("trimspace", [Value::String(s)]) => Value::String(s.trim().to_owned()),
        ("trim", [Value::String(s), Value::String(chars)]) => {
            Value::String(s.trim_matches(|c| chars.contains(c)).to_owned())
        }
        ("trimprefix", [Value::String(s), Value::String(p)]) => {
            Value::String(s.strip_prefix(p.as_str()).unwrap_or(s).to_owned())
        }
        ("trimsuffix", [Value::String(s), Value::String(p)]) => {
            Value::String(s.strip_suffix(p.as_str()).unwrap_or(s).to_owned())
        }
        ("chomp", [Value::String(s)]) => Value::String(s.trim_end_matches(['\n', '\r']).to_owned()),
        ("startswith", [Value::String(s), Value::String(p)]) => {
            Value::Bool(s.starts_with(p.as_str()))
        }
        ("endswith", [Value::String(s), Value::String(p)]) => Value::Bool(s.ends_with(p.as_str())),
        ("strrev", [Value::String(s)]) => Value::String(s.chars().rev().collect()),
        ("substr", [Value::String(s), offset, length]) => {
            let chars: Vec<char> = s.chars().collect();
            let offset = usize::try_from(offset.as_i64()?).ok()?.min(chars.len());
            let end = match length.as_i64()? {
                -1 => chars.len(),
                n => offset
                    .checked_add(usize::try_from(n).ok()?)?
                    .min(chars.len()),
            };
            Value::String(chars[offset..end].iter().collect())
        }
        _ => return None,
    };
    Some(value)
}

/// Numbers, conversions, encodings and networks.
fn other(name: &str, args: &[Value]) -> Option<Value> {
    let value = match (name, args) {
        // Numbers.
        ("min", numbers) if !numbers.is_empty() => number(
            numbers
                .iter()
                .map(Value::as_f64)
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .fold(f64::INFINITY, f64::min),
        )?,
        ("max", numbers) if !numbers.is_empty() => number(
            numbers
                .iter()
                .map(Value::as_f64)
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .fold(f64::NEG_INFINITY, f64::max),
        )?,
        ("abs", [n]) => number(n.as_f64()?.abs())?,
        ("ceil", [n]) => number(n.as_f64()?.ceil())?,
        ("floor", [n]) => number(n.as_f64()?.floor())?,
        // Conversions.
        ("tostring", [value]) => Value::String(scalar_text(value)?),
        ("tonumber", [Value::Number(n)]) => Value::Number(n.clone()),
        ("tonumber", [Value::String(s)]) => number(s.trim().parse().ok()?)?,
        ("tobool", [Value::Bool(b)]) => Value::Bool(*b),
        ("tobool", [Value::String(s)]) => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return None,
        },
        // Encodings.
        ("jsonencode", [value]) => Value::String(bounded(serde_json::to_string(value).ok()?)?),
        ("jsondecode", [Value::String(text)]) => serde_json::from_str(text).ok()?,
        ("yamlencode", [value]) => {
            let mut out = String::new();
            yaml_into(value, 0, &mut out)?;
            Value::String(out)
        }
        // Networks.
        ("cidrsubnet", [Value::String(prefix), newbits, netnum]) => {
            Value::String(cidrsubnet(prefix, newbits.as_u64()?, netnum.as_u64()?)?)
        }
        ("cidrhost", [Value::String(prefix), hostnum]) => {
            Value::String(cidrhost(prefix, hostnum.as_i64()?)?)
        }
        _ => return None,
    };
    Some(value)
}

/// `yamlencode`'s text for `value`, as Terraform writes it: keys in
/// order, strings (keys too) double-quoted, block style for non-empty
/// maps and lists, `{}`/`[]` for empty ones. The node starts where the
/// caller's line stands (after `- ` or at the margin); its later lines
/// are `indent` spaces in. `None` past [`MAX_STRING`].
fn yaml_into(value: &Value, indent: usize, out: &mut String) -> Option<()> {
    let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    pad(out, indent);
                }
                out.push_str(&serde_json::to_string(key).ok()?);
                out.push(':');
                match item {
                    // A map two spaces in; a list at the key's margin.
                    Value::Object(inner) if !inner.is_empty() => {
                        out.push('\n');
                        pad(out, indent + 2);
                        yaml_into(item, indent + 2, out)?;
                    }
                    Value::Array(inner) if !inner.is_empty() => {
                        out.push('\n');
                        pad(out, indent);
                        yaml_into(item, indent, out)?;
                    }
                    scalar => {
                        out.push(' ');
                        yaml_into(scalar, indent, out)?;
                    }
                }
            }
        }
        Value::Array(list) if !list.is_empty() => {
            for (i, item) in list.iter().enumerate() {
                if i > 0 {
                    pad(out, indent);
                }
                out.push_str("- ");
                yaml_into(item, indent + 2, out)?;
            }
        }
        scalar => {
            out.push_str(&yaml_scalar(scalar)?);
            out.push('\n');
        }
    }
    (out.len() <= MAX_STRING).then_some(())
}

fn yaml_scalar(value: &Value) -> Option<String> {
    Some(match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        // JSON's escapes are YAML's double-quoted escapes.
        Value::String(s) => serde_json::to_string(s).ok()?,
        Value::Object(_) => "{}".to_owned(),
        Value::Array(_) => "[]".to_owned(),
    })
}

/// What an argument of a built-in function may be, after the conversions
/// Terraform makes itself (a number or a bool passes as a string, a
/// numeric string as a number). `null` passes
/// everywhere: whether a function takes it is not judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Takes {
    String,
    Number,
    List,
    Map,
    /// A list, a map or a string (`length`).
    Collection,
    Any,
}

impl Takes {
    fn accepts(self, value: &Value) -> bool {
        match (self, value) {
            (_, Value::Null) | (Takes::Any, _) => true,
            (Takes::String, v) => !v.is_array() && !v.is_object(),
            (Takes::Number, Value::Number(_)) => true,
            (Takes::Number, Value::String(s)) => s.trim().parse::<f64>().is_ok(),
            (Takes::List, Value::Array(_)) | (Takes::Map, Value::Object(_)) => true,
            (Takes::Collection, v) => v.is_array() || v.is_object() || v.is_string(),
            _ => false,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Takes::String => "a string",
            Takes::Number => "a number",
            Takes::List => "a list",
            Takes::Map => "a map or object",
            Takes::Collection => "a list, map or string",
            Takes::Any => "any value",
        }
    }
}

/// What a value is, in the words of the messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The parameters of one built-in function rampart evaluates.
struct Signature {
    name: &'static str,
    params: &'static [Takes],
    /// How many of the last `params` may be left out.
    optional: usize,
    /// What any further arguments are (`None`: there are none).
    variadic: Option<Takes>,
}

const fn sig(name: &'static str, params: &'static [Takes]) -> Signature {
    Signature {
        name,
        params,
        optional: 0,
        variadic: None,
    }
}

const fn variadic(name: &'static str, params: &'static [Takes], rest: Takes) -> Signature {
    Signature {
        name,
        params,
        optional: 0,
        variadic: Some(rest),
    }
}

const fn optional(name: &'static str, params: &'static [Takes], optional: usize) -> Signature {
    Signature {
        name,
        params,
        optional,
        variadic: None,
    }
}

use Takes::{Any, Collection, List, Map as M, Number as N, String as S};

/// The signature of every function [`call`] evaluates, and of the file
/// functions and `try`/`can` the evaluator handles itself: what a call is
/// checked against before it is evaluated.
const SIGNATURES: &[Signature] = &[
    variadic("concat", &[], List),
    variadic("merge", &[], M),
    optional("lookup", &[M, S, Any], 1),
    sig("element", &[List, N]),
    sig("length", &[Collection]),
    sig("keys", &[M]),
    sig("values", &[M]),
    sig("flatten", &[List]),
    sig("distinct", &[List]),
    sig("contains", &[List, Any]),
    variadic("coalesce", &[Any], Any),
    variadic("coalescelist", &[List], List),
    sig("compact", &[List]),
    sig("slice", &[List, N, N]),
    sig("zipmap", &[List, List]),
    optional("range", &[N, N, N], 2),
    sig("reverse", &[List]),
    sig("sort", &[List]),
    sig("one", &[List]),
    sig("sum", &[List]),
    sig("tolist", &[Any]),
    sig("toset", &[Any]),
    sig("tomap", &[Any]),
    variadic("format", &[S], Any),
    variadic("join", &[S, List], List),
    sig("split", &[S, S]),
    sig("lower", &[S]),
    sig("upper", &[S]),
    sig("replace", &[S, S, S]),
    sig("trimspace", &[S]),
    sig("trim", &[S, S]),
    sig("trimprefix", &[S, S]),
    sig("trimsuffix", &[S, S]),
    sig("chomp", &[S]),
    sig("startswith", &[S, S]),
    sig("endswith", &[S, S]),
    sig("strrev", &[S]),
    sig("substr", &[S, N, N]),
    variadic("min", &[N], N),
    variadic("max", &[N], N),
    sig("abs", &[N]),
    sig("ceil", &[N]),
    sig("floor", &[N]),
    sig("tostring", &[Any]),
    sig("tonumber", &[Any]),
    sig("tobool", &[Any]),
    sig("jsonencode", &[Any]),
    sig("jsondecode", &[S]),
    sig("yamlencode", &[Any]),
    sig("cidrsubnet", &[S, N, N]),
    sig("cidrhost", &[S, N]),
    sig("file", &[S]),
    sig("fileexists", &[S]),
    sig("templatefile", &[S, M]),
    variadic("try", &[Any], Any),
    sig("can", &[Any]),
];

/// Every function Terraform has (1.10): a call of any other name is one
/// Terraform refuses, most often a typo.
const TERRAFORM_FUNCTIONS: &[&str] = &[
    "abs",
    "abspath",
    "alltrue",
    "anytrue",
    "base64decode",
    "base64encode",
    "base64gzip",
    "base64sha256",
    "base64sha512",
    "basename",
    "bcrypt",
    "can",
    "ceil",
    "chomp",
    "chunklist",
    "cidrhost",
    "cidrnetmask",
    "cidrsubnet",
    "cidrsubnets",
    "coalesce",
    "coalescelist",
    "compact",
    "concat",
    "contains",
    "csvdecode",
    "dirname",
    "distinct",
    "element",
    "endswith",
    "ephemeralasnull",
    "file",
    "filebase64",
    "filebase64sha256",
    "filebase64sha512",
    "fileexists",
    "filemd5",
    "fileset",
    "filesha1",
    "filesha256",
    "filesha512",
    "flatten",
    "floor",
    "format",
    "formatdate",
    "formatlist",
    "indent",
    "index",
    "issensitive",
    "join",
    "jsondecode",
    "jsonencode",
    "keys",
    "length",
    "list",
    "log",
    "lookup",
    "lower",
    "map",
    "matchkeys",
    "max",
    "md5",
    "merge",
    "min",
    "nonsensitive",
    "one",
    "parseint",
    "pathexpand",
    "plantimestamp",
    "pow",
    "range",
    "regex",
    "regexall",
    "replace",
    "reverse",
    "rsadecrypt",
    "sensitive",
    "setintersection",
    "setproduct",
    "setsubtract",
    "setunion",
    "sha1",
    "sha256",
    "sha512",
    "signum",
    "slice",
    "sort",
    "split",
    "startswith",
    "strcontains",
    "strrev",
    "substr",
    "sum",
    "templatefile",
    "templatestring",
    "textdecodebase64",
    "textencodebase64",
    "timeadd",
    "timecmp",
    "timestamp",
    "title",
    "tobool",
    "tolist",
    "tomap",
    "tonumber",
    "toset",
    "tostring",
    "transpose",
    "trim",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "try",
    "type",
    "upper",
    "urlencode",
    "uuid",
    "uuidv5",
    "values",
    "yamldecode",
    "yamlencode",
    "zipmap",
];

/// Why Terraform refuses the call `name(args…)`, or `None` when it does
/// not, or rampart cannot tell: a name that is no Terraform function, the
/// wrong number of arguments, or a known argument of the wrong kind
/// (`known` says which are known; an unknown one is never judged).
/// Functions rampart does not evaluate are judged by name only.
pub(crate) fn misuse(name: &str, args: &[Value], known: fn(&Value) -> bool) -> Option<String> {
    let Some(signature) = SIGNATURES.iter().find(|s| s.name == name) else {
        if TERRAFORM_FUNCTIONS.binary_search(&name).is_ok() {
            return None;
        }
        let closest = TERRAFORM_FUNCTIONS
            .iter()
            // The distance is at least the difference in length: only
            // names of about the same length are compared at all.
            .filter(|candidate| name.len().abs_diff(candidate.len()) <= 2)
            .map(|candidate| (distance(name, candidate), *candidate))
            .filter(|(d, _)| *d <= 2)
            .min();
        return Some(match closest {
            Some((_, candidate)) => {
                format!("Terraform has no function `{name}` (did you mean `{candidate}`?)")
            }
            None => format!("Terraform has no function `{name}`"),
        });
    };
    let least = signature.params.len() - signature.optional;
    let most = signature
        .variadic
        .map_or(signature.params.len(), |_| usize::MAX);
    if args.len() < least || args.len() > most {
        let takes = match (least, most) {
            (1, 1) => "1 argument".to_owned(),
            (n, m) if n == m => format!("{n} arguments"),
            (n, usize::MAX) => format!("at least {n} argument{}", if n == 1 { "" } else { "s" }),
            (n, m) => format!("{n} to {m} arguments"),
        };
        return Some(format!("`{name}` takes {takes}, not {}", args.len()));
    }
    for (position, arg) in args.iter().enumerate() {
        let takes = signature
            .params
            .get(position)
            .copied()
            .or(signature.variadic)
            .unwrap_or(Takes::Any);
        if known(arg) && !takes.accepts(arg) {
            return Some(format!(
                "argument {} of `{name}` must be {}, not {}",
                position + 1,
                takes.name(),
                kind_of(arg)
            ));
        }
    }
    None
}

/// Levenshtein distance, for "did you mean" (names are short).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

/// `/…/`: a regular expression to `replace`.
fn is_pattern(text: &str) -> bool {
    text.len() > 1 && text.starts_with('/') && text.ends_with('/')
}

fn index(value: &Value) -> Option<usize> {
    usize::try_from(value.as_u64()?).ok()
}

/// A number as Terraform prints it: an integer when it is one.
fn number(n: f64) -> Option<Value> {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Some(Value::from(n as i64))
    } else {
        Number::from_f64(n).map(Value::Number)
    }
}

fn bounded(text: String) -> Option<String> {
    (text.len() <= MAX_STRING).then_some(text)
}

/// A string, number or bool as text (what `tostring` and `join` take).
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn flatten(list: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for item in list {
        match item {
            Value::Array(inner) => out.extend(flatten(inner)),
            other => out.push(other.clone()),
        }
    }
    out
}

/// Each element once, in first-seen order. Elements are compared by
/// their JSON text (keys sorted), so a long list costs `n log n`, not
/// `n²`.
fn distinct(list: &[Value]) -> Vec<Value> {
    let mut seen = std::collections::BTreeSet::new();
    list.iter()
        .filter(|item| seen.insert(item.to_string()))
        .cloned()
        .collect()
}

/// A list as a Terraform set: each element once, and a set of strings in
/// lexical order, as Terraform orders it (`toset`, a `set(…)` variable).
pub(crate) fn set_of(list: &[Value]) -> Vec<Value> {
    let mut set = distinct(list);
    if set.iter().all(Value::is_string) {
        set.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    set
}

/// `range(limit)`, `range(start, limit)`, `range(start, limit, step)`.
fn range(bounds: &[Value]) -> Option<Value> {
    let numbers: Vec<f64> = bounds.iter().map(Value::as_f64).collect::<Option<_>>()?;
    let (start, limit, step) = match numbers.as_slice() {
        [limit] => (0.0, *limit, 1.0),
        [start, limit] => (*start, *limit, if start <= limit { 1.0 } else { -1.0 }),
        [start, limit, step] => (*start, *limit, *step),
        _ => return None,
    };
    if step == 0.0 || (step > 0.0 && start > limit) || (step < 0.0 && start < limit) {
        return (step != 0.0).then(|| Value::Array(Vec::new()));
    }
    let count = ((limit - start) / step).ceil();
    if !(0.0..=MAX_RANGE as f64).contains(&count) {
        return None;
    }
    (0..count as usize)
        .map(|k| number(start + step * k as f64))
        .collect::<Option<Vec<_>>>()
        .map(Value::Array)
}

/// `format`'s verbs `%s`, `%d`, `%v`, `%q`, `%%` (flags and widths are
/// not evaluated).
fn format(spec: &str, args: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'v' => out.push_str(&scalar_text(args.next()?)?),
            'd' => {
                let n = args.next()?.as_f64()?;
                if n.fract() != 0.0 {
                    return None;
                }
                out.push_str(&(n as i64).to_string());
            }
            'q' => out.push_str(&serde_json::to_string(args.next()?.as_str()?).ok()?),
            _ => return None,
        }
        if out.len() > MAX_STRING {
            return None;
        }
    }
    Some(out)
}

/// An IPv4 prefix `a.b.c.d/n` as (address, length).
fn ipv4_prefix(prefix: &str) -> Option<(u32, u32)> {
    let (address, length) = prefix.split_once('/')?;
    let address: std::net::Ipv4Addr = address.parse().ok()?;
    let length: u32 = length.parse().ok()?;
    (length <= 32).then_some((u32::from(address), length))
}

fn cidrsubnet(prefix: &str, newbits: u64, netnum: u64) -> Option<String> {
    let (address, length) = ipv4_prefix(prefix)?;
    let newbits = u32::try_from(newbits).ok()?;
    let new_length = length.checked_add(newbits).filter(|l| *l <= 32)?;
    if newbits < 32 && netnum >= (1u64 << newbits) {
        return None;
    }
    let mask = if length == 0 {
        0
    } else {
        u32::MAX << (32 - length)
    };
    let shift = 32 - new_length;
    let subnet = (address & mask) | (u32::try_from(netnum).ok()?.checked_shl(shift).unwrap_or(0));
    Some(format!("{}/{new_length}", std::net::Ipv4Addr::from(subnet)))
}

fn cidrhost(prefix: &str, hostnum: i64) -> Option<String> {
    let (address, length) = ipv4_prefix(prefix)?;
    let size: u64 = 1u64 << (32 - length);
    let hostnum = if hostnum < 0 {
        size.checked_sub(hostnum.unsigned_abs())?
    } else {
        u64::try_from(hostnum).ok()?
    };
    if hostnum >= size {
        return None;
    }
    let mask = if length == 0 {
        0
    } else {
        u32::MAX << (32 - length)
    };
    let host = (address & mask) | u32::try_from(hostnum).ok()?;
    Some(std::net::Ipv4Addr::from(host).to_string())
}

#[cfg(test)]
mod tests {
    use super::call;
    use serde_json::{Value, json};

    fn eval(name: &str, args: Value) -> Option<Value> {
        call(name, args.as_array().expect("a list of arguments"))
    }

    #[test]
    fn collections() {
        assert_eq!(
            eval("concat", json!([["a"], ["b", "c"]])),
            Some(json!(["a", "b", "c"]))
        );
        assert_eq!(
            eval("merge", json!([{"a": 1, "b": 1}, {"b": 2}])),
            Some(json!({"a": 1, "b": 2}))
        );
        assert_eq!(eval("lookup", json!([{"a": 1}, "b", 0])), Some(json!(0)));
        assert_eq!(eval("lookup", json!([{"a": 1}, "b"])), None);
        assert_eq!(eval("element", json!([["a", "b"], 3])), Some(json!("b")));
        assert_eq!(eval("length", json!(["héllo"])), Some(json!(5)));
        assert_eq!(
            eval("flatten", json!([[["a"], ["b", ["c"]]]])),
            Some(json!(["a", "b", "c"]))
        );
        assert_eq!(
            eval("distinct", json!([["a", "b", "a"]])),
            Some(json!(["a", "b"]))
        );
        assert_eq!(
            eval("toset", json!([["b", "a", "b"]])),
            Some(json!(["a", "b"]))
        );
        assert_eq!(eval("coalesce", json!(["", null, "x"])), Some(json!("x")));
        assert_eq!(
            eval("zipmap", json!([["a", "b"], [1, 2]])),
            Some(json!({"a": 1, "b": 2}))
        );
        assert_eq!(
            eval("slice", json!([["a", "b", "c"], 1, 3])),
            Some(json!(["b", "c"]))
        );
        assert_eq!(eval("range", json!([3])), Some(json!([0, 1, 2])));
        assert_eq!(eval("range", json!([1, 10, 4])), Some(json!([1, 5, 9])));
        assert_eq!(eval("range", json!([1_000_000])), None, "over MAX_RANGE");
    }

    #[test]
    fn strings_numbers_and_encodings() {
        assert_eq!(
            eval("format", json!(["%s-%d%%", "web", 3])),
            Some(json!("web-3%"))
        );
        assert_eq!(
            eval("join", json!([",", ["a", "b"], ["c"]])),
            Some(json!("a,b,c"))
        );
        assert_eq!(eval("split", json!([",", "a,b"])), Some(json!(["a", "b"])));
        assert_eq!(
            eval("replace", json!(["a-b-c", "-", "_"])),
            Some(json!("a_b_c"))
        );
        assert_eq!(
            eval("replace", json!(["abc", "/b/", "x"])),
            None,
            "regular expressions"
        );
        assert_eq!(eval("substr", json!(["hello", 1, 3])), Some(json!("ell")));
        assert_eq!(eval("max", json!([1, 5.5, 3])), Some(json!(5.5)));
        assert_eq!(eval("min", json!([4, 2])), Some(json!(2)));
        assert_eq!(eval("tonumber", json!(["42"])), Some(json!(42)));
        assert_eq!(eval("tostring", json!([true])), Some(json!("true")));
        assert_eq!(
            eval("jsonencode", json!([{"a": [1]}])),
            Some(json!("{\"a\":[1]}"))
        );
        assert_eq!(
            eval("jsondecode", json!(["{\"a\":true}"])),
            Some(json!({"a": true}))
        );
        assert_eq!(
            eval("cidrsubnet", json!(["10.0.0.0/16", 8, 2])),
            Some(json!("10.0.2.0/24"))
        );
        assert_eq!(
            eval("cidrhost", json!(["10.0.2.0/24", 5])),
            Some(json!("10.0.2.5"))
        );
        assert_eq!(
            eval("cidrhost", json!(["10.0.2.0/24", -1])),
            Some(json!("10.0.2.255"))
        );
        assert_eq!(eval("nosuchfunction", json!([])), None);
        assert_eq!(
            eval(
                "yamlencode",
                json!([{"b": [1, {"x": "y", "z": null}, []], "a": {"c": "d\ne"}, "e": {}}])
            ),
            Some(json!(
                "\"a\":\n  \"c\": \"d\\ne\"\n\"b\":\n- 1\n- \"x\": \"y\"\n  \"z\": null\n- []\n\"e\": {}\n"
            ))
        );
        assert_eq!(
            eval("yamlencode", json!([[[1, 2], "x"]])),
            Some(json!("- - 1\n  - 2\n- \"x\"\n"))
        );
        assert_eq!(eval("yamlencode", json!(["x"])), Some(json!("\"x\"\n")));
    }

    #[test]
    fn calls_terraform_refuses_are_named() {
        let judge = |name: &str, args: Value| {
            super::misuse(name, args.as_array().expect("arguments"), |v| {
                v.as_str().is_none_or(|s| !s.contains("${"))
            })
        };
        assert_eq!(judge("lookup", json!([{"a": 1}, "a"])), None);
        assert_eq!(judge("lookup", json!([{"a": 1}, "a", 0])), None);
        assert_eq!(judge("length", json!(["abc"])), None);
        assert_eq!(
            judge("max", json!([1, "2"])),
            None,
            "a numeric string is a number"
        );
        assert_eq!(
            judge("join", json!(["-", 3])).as_deref(),
            Some("argument 2 of `join` must be a list, not a number")
        );
        assert_eq!(
            judge("lookup", json!([["a"], "a"])).as_deref(),
            Some("argument 1 of `lookup` must be a map or object, not a list")
        );
        assert_eq!(
            judge("lookup", json!([{}])).as_deref(),
            Some("`lookup` takes 2 to 3 arguments, not 1")
        );
        assert_eq!(
            judge("upper", json!(["a", "b"])).as_deref(),
            Some("`upper` takes 1 argument, not 2")
        );
        assert_eq!(
            judge("min", json!([])).as_deref(),
            Some("`min` takes at least 1 argument, not 0")
        );
        assert_eq!(
            judge("lenght", json!([[1]])).as_deref(),
            Some("Terraform has no function `lenght` (did you mean `length`?)")
        );
        assert_eq!(
            judge("frobnicate", json!([])).as_deref(),
            Some("Terraform has no function `frobnicate`")
        );
        assert_eq!(
            judge("formatdate", json!([1, 2, 3])),
            None,
            "not evaluated: judged by name only"
        );
        assert_eq!(
            judge("upper", json!(["${var.x}"])),
            None,
            "an unknown argument is not judged"
        );
        assert_eq!(judge("upper", json!([null])), None);
    }

    #[test]
    fn the_function_tables_agree() {
        let names = super::TERRAFORM_FUNCTIONS;
        assert!(
            names.windows(2).all(|w| w[0] < w[1]),
            "sorted, for binary_search"
        );
        for signature in super::SIGNATURES {
            assert!(
                names.contains(&signature.name),
                "{} is a Terraform function",
                signature.name
            );
        }
    }
}
