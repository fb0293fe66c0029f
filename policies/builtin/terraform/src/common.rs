//! What every Terraform rule needs: the block's type and config, known vs
//! unknown values, nested blocks, policy documents.

use rampart_policy::aws::{self, Statement};
use rampart_policy::serde_json::{self, Value};
use rampart_policy::{Context, Node, Resource};
use std::collections::BTreeSet;

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
            // Azure and Google write the internet their own ways.
            aws::is_world(cidr) || matches!(*cidr, "*" | "Internet" | "Any" | "any")
        })
        .map(|(_, n)| n)
}

/// The statements of a literal JSON policy (`policy = <<EOF {…} EOF`).
/// `None` when the text is not static JSON (`jsonencode(…)`, a reference).
pub fn json_policy(node: &Node<'_>) -> Option<Vec<Statement>> {
    let text = node.as_str()?;
    if text.contains("${") {
        return None;
    }
    let document: Value = serde_json::from_str(text).ok()?;
    document.get("Statement")?;
    Some(aws::statements(&document))
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

/// What the batch's resources point at through `bucket`, by their type:
/// worked out once per batch ([`Context::batch_memo`]), so that checking
/// every bucket for its companions is linear in the file, not quadratic
/// (4,000 buckets and 4,000 access blocks ran into the policy timeout).
#[derive(Debug, Default)]
pub struct Companions {
    /// (companion type, `type.name` it refers to).
    references: BTreeSet<(String, String)>,
    /// (companion type, literal value).
    literals: BTreeSet<(String, String)>,
}

/// The attribute companions point at their resource with.
const COMPANION_ATTRIBUTE: &str = "bucket";

fn companions(batch: &[Resource]) -> Companions {
    let mut index = Companions::default();
    for resource in batch {
        let kind = resource_type(resource);
        if kind.is_empty() {
            continue;
        }
        let Some(value) = config(resource).get(COMPANION_ATTRIBUTE).as_str() else {
            continue;
        };
        for reference in references(value) {
            index
                .references
                .insert((kind.to_owned(), reference.to_owned()));
        }
        index.literals.insert((kind.to_owned(), value.to_owned()));
    }
    index
}

/// The `type.name` pairs a value refers to (`${aws_s3_bucket.logs.id}` →
/// `aws_s3_bucket.logs`): two dotted segments followed by a third.
fn references(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .flat_map(|run| {
            let dots: Vec<usize> = run.match_indices('.').map(|(i, _)| i).collect();
            // `a.b.c.d`: `a.b` (followed by `.c`), `b.c` (followed by `.d`).
            (0..dots.len().saturating_sub(1)).map(move |k| {
                let start = if k == 0 { 0 } else { dots[k - 1] + 1 };
                &run[start..dots[k + 1]]
            })
        })
        .filter(|pair| !pair.starts_with('.') && !pair.contains(".."))
}

/// Whether another resource of type `companion` points at `resource`:
/// anywhere in the module by reference (`bucket = aws_s3_bucket.logs.id`,
/// from the document's `referenced_by`), or in the same file through
/// `bucket` by the bucket's literal name.
pub fn has_companion(cx: &Context<'_>, resource: &Resource, companion: &str) -> bool {
    // Anywhere in the module: the inventory lists the blocks of every file
    // of the module that refer to this one.
    let prefix = format!("{companion}.");
    if resource
        .root()
        .get("referenced_by")
        .strings()
        .iter()
        .any(|(referrer, _)| referrer.starts_with(&prefix))
    {
        return true;
    }
    let name = resource.root().get("name").as_str().unwrap_or("");
    let own_type = resource.root().get("type").as_str().unwrap_or("");
    let index = cx.batch_memo(companions);
    if index
        .references
        .contains(&(companion.to_owned(), format!("{own_type}.{name}")))
    {
        return true;
    }
    config(resource)
        .get(COMPANION_ATTRIBUTE)
        .as_str()
        .is_some_and(|literal| {
            index
                .literals
                .contains(&(companion.to_owned(), literal.to_owned()))
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

#[cfg(test)]
mod tests {
    #[test]
    fn references_are_type_and_name_followed_by_an_attribute() {
        let found: Vec<&str> = super::references("${aws_s3_bucket.logs.id}").collect();
        assert_eq!(found, ["aws_s3_bucket.logs"]);
        let found: Vec<&str> =
            super::references("arn:${data.aws_s3_bucket.b.arn}/${module.m.out}").collect();
        assert_eq!(found, ["data.aws_s3_bucket", "aws_s3_bucket.b", "module.m"]);
        assert_eq!(super::references("my-bucket").count(), 0);
        assert_eq!(super::references("${aws_s3_bucket.b[\"k\"].id}").count(), 0);
    }
}
