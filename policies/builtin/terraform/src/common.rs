//! What every Terraform rule needs: the block's type and config, known vs
//! unknown values, nested blocks, policy documents.

use rampart_policy::serde_json::{self, Value};
use rampart_policy::{Node, Resource};

/// The resource type (`aws_s3_bucket`) of a `resource` block, else "".
pub fn resource_type(resource: &Resource) -> &str {
    let root = resource.root();
    if root.get("block").as_str() == Some("resource") {
        root.get("type").as_str().unwrap_or("")
    } else {
        ""
    }
}

/// The data source type of a `data` block, else "".
pub fn data_type(resource: &Resource) -> &str {
    let root = resource.root();
    if root.get("block").as_str() == Some("data") {
        root.get("type").as_str().unwrap_or("")
    } else {
        ""
    }
}

/// The block's body.
pub fn config(resource: &Resource) -> Node<'_> {
    resource.root().get("config")
}

/// `type.name`, for messages.
pub fn address(resource: &Resource) -> String {
    let root = resource.root();
    format!(
        "{}.{}",
        root.get("type").as_str().unwrap_or("?"),
        root.get("name").as_str().unwrap_or("?")
    )
}

/// Where to report a missing or wrong attribute: the attribute if written,
/// else the block (its first line).
pub fn at<'a>(node: &Node<'a>, resource: &'a Resource) -> Node<'a> {
    node.or(&resource.root())
}

/// A value only Terraform knows (`"${aws_kms_key.k.arn}"`).
pub fn is_unknown(node: &Node<'_>) -> bool {
    node.as_str()
        .is_some_and(|s| s.starts_with("${") && s.ends_with('}'))
}

/// Written as `true` (or `"true"`).
pub fn is_true(node: &Node<'_>) -> bool {
    node.is_true() || node.as_str() == Some("true")
}

/// Written as `false` (or `"false"`).
pub fn is_false(node: &Node<'_>) -> bool {
    node.as_bool() == Some(false) || node.as_str() == Some("false")
}

/// Not written, or written `false`: "not enabled" for a flag whose
/// default is off. Unknown values are given the benefit of the doubt.
pub fn off(node: &Node<'_>) -> bool {
    !node.exists() || is_false(node)
}

/// Nested blocks: `ingress { }` blocks are arrays; attribute syntax
/// (`ingress = [{…}]`) and `.tf.json` objects are accepted too.
pub fn each<'a>(node: &Node<'a>) -> Vec<Node<'a>> {
    if node.is_array() {
        node.items().collect()
    } else if node.is_object() {
        vec![node.clone()]
    } else {
        Vec::new()
    }
}

/// The first nested block of a type (or the node itself).
pub fn first<'a>(node: &Node<'a>) -> Node<'a> {
    if node.is_array() {
        node.at(0)
    } else {
        node.clone()
    }
}

/// A number written as a number or a numeric string.
pub fn number(node: &Node<'_>) -> Option<i64> {
    node.as_i64()
        .or_else(|| node.as_str().and_then(|s| s.parse().ok()))
}

/// Whether a CIDR list holds the whole internet.
pub fn anywhere<'a>(node: &Node<'a>) -> Option<Node<'a>> {
    node.strings()
        .into_iter()
        .find(|(cidr, _)| {
            matches!(
                *cidr,
                "0.0.0.0/0" | "::/0" | "*" | "Internet" | "Any" | "any"
            )
        })
        .map(|(_, n)| n)
}

/// A policy statement, from literal JSON or a policy-document data source.
#[derive(Debug, Default)]
pub struct Statement {
    pub allow: bool,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    /// `*` principals (`"*"`, `{"AWS": "*"}`, `principals { type = "*" }`).
    pub anyone: bool,
    pub has_condition: bool,
}

fn json_strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// The statements of a literal JSON policy (`policy = <<EOF {…} EOF`).
/// `None` when the text is not static JSON (`jsonencode(…)`, a reference).
pub fn json_policy(node: &Node<'_>) -> Option<Vec<Statement>> {
    let text = node.as_str()?;
    if text.contains("${") {
        return None;
    }
    let document: Value = serde_json::from_str(text).ok()?;
    let statements = match document.get("Statement")? {
        Value::Array(items) => items.clone(),
        single => vec![single.clone()],
    };
    Some(
        statements
            .iter()
            .map(|s| {
                let principal = s.get("Principal");
                let anyone = principal.and_then(Value::as_str) == Some("*")
                    || json_strings(principal.and_then(|p| p.get("AWS")))
                        .iter()
                        .any(|p| p == "*");
                Statement {
                    allow: s.get("Effect").and_then(Value::as_str) == Some("Allow"),
                    actions: json_strings(s.get("Action")),
                    resources: json_strings(s.get("Resource")),
                    anyone,
                    has_condition: s.get("Condition").is_some(),
                }
            })
            .collect(),
    )
}

/// The statements of an `aws_iam_policy_document` data source, with the
/// node of each `statement` block.
pub fn document_statements<'a>(resource: &'a Resource) -> Vec<(Statement, Node<'a>)> {
    each(&config(resource).get("statement"))
        .into_iter()
        .map(|block| {
            let strs = |key: &str| -> Vec<String> {
                block
                    .get(key)
                    .strings()
                    .into_iter()
                    .map(|(s, _)| s.to_owned())
                    .collect()
            };
            let anyone = each(&block.get("principals")).iter().any(|p| {
                p.get("type").as_str() == Some("*")
                    || (p.get("type").as_str() == Some("AWS")
                        && p.get("identifiers")
                            .strings()
                            .iter()
                            .any(|(i, _)| *i == "*"))
            });
            let statement = Statement {
                allow: block.get("effect").as_str().is_none_or(|e| e == "Allow"),
                actions: strs("actions"),
                resources: strs("resources"),
                anyone,
                has_condition: block.get("condition").exists(),
            };
            (statement, block)
        })
        .collect()
}

/// Whether another resource of the batch, of type `companion`, points at
/// `resource` through `attribute` (`bucket = aws_s3_bucket.logs.id`).
pub fn has_companion(
    batch: &[Resource],
    resource: &Resource,
    companion: &str,
    attribute: &str,
) -> bool {
    let name = resource.root().get("name").as_str().unwrap_or("");
    let own_type = resource.root().get("type").as_str().unwrap_or("");
    let reference = format!("{own_type}.{name}.");
    let literal = config(resource).get("bucket").as_str().map(str::to_owned);
    batch
        .iter()
        .filter(|r| resource_type(r) == companion)
        .any(|r| {
            config(r)
                .get(attribute)
                .as_str()
                .is_some_and(|v| v.contains(&reference) || literal.as_deref() == Some(v))
        })
}

/// Port ranges: `"22"`, `"20-25"`, `"*"`; numbers too.
pub fn port_in_range(range: &str, port: i64) -> bool {
    let range = range.trim();
    if range == "*" {
        return true;
    }
    match range.split_once('-') {
        Some((from, to)) => match (from.trim().parse::<i64>(), to.trim().parse::<i64>()) {
            (Ok(from), Ok(to)) => from <= port && port <= to,
            _ => false,
        },
        None => range.parse::<i64>() == Ok(port),
    }
}
