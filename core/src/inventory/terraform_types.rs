//! Terraform's type constraints (`type = list(object({ port = number }))`)
//! and the conversions Terraform makes to them when a variable is set.
//!
//! A value is converted as Terraform converts it — a number or bool to a
//! string, a numeric string to a number, `"true"` to a bool, a list to a
//! set, an object to a declared object type (attributes it does not
//! declare dropped, `optional` ones filled in) — so rules see the value
//! Terraform would use. A value that cannot be converted is a
//! [`Mismatch`]: Terraform refuses the configuration, and the evaluator
//! leaves the variable unknown rather than guess. Unknown parts of a value
//! (`${…}` text) are never judged.

use hcl_edit::expr::{Expression, ObjectKey};
use serde_json::{Map, Value};

/// A type constraint, as a `variable` block's `type` writes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(Vec<Attribute>),
}

/// One attribute of an `object({…})` type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attribute {
    name: String,
    kind: Type,
    /// `optional(T)` or `optional(T, default)`.
    optional: bool,
    /// The default of `optional(T, default)`, evaluated.
    default: Option<Value>,
}

/// The type `expr` writes, `evaluate` giving the value of an optional
/// attribute's default; `None` for what is no type constraint (rampart then
/// converts nothing, as for `any`).
pub(crate) fn parse(expr: &Expression, evaluate: &dyn Fn(&Expression) -> Value) -> Option<Type> {
    match expr {
        Expression::Variable(name) => match name.as_str() {
            "any" => Some(Type::Any),
            "string" => Some(Type::String),
            "number" => Some(Type::Number),
            "bool" => Some(Type::Bool),
            _ => None,
        },
        Expression::Parenthesis(inner) => parse(inner.inner(), evaluate),
        Expression::FuncCall(call) if call.name.namespace.is_empty() => {
            let args: Vec<&Expression> = call.args.iter().collect();
            let element = || Some(Box::new(parse(args.first()?, evaluate)?));
            match (call.name.name.as_str(), args.as_slice()) {
                ("list", [_]) => Some(Type::List(element()?)),
                ("set", [_]) => Some(Type::Set(element()?)),
                ("map", [_]) => Some(Type::Map(element()?)),
                ("tuple", [Expression::Array(items)]) => Some(Type::Tuple(
                    items
                        .iter()
                        .map(|item| parse(item, evaluate))
                        .collect::<Option<_>>()?,
                )),
                ("object", [Expression::Object(object)]) => {
                    let mut attributes = Vec::new();
                    for (key, value) in object.iter() {
                        let name = match key {
                            ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                            ObjectKey::Expression(_) => return None,
                        };
                        attributes.push(attribute(name, value.expr(), evaluate)?);
                    }
                    Some(Type::Object(attributes))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn attribute(
    name: String,
    expr: &Expression,
    evaluate: &dyn Fn(&Expression) -> Value,
) -> Option<Attribute> {
    if let Expression::FuncCall(call) = expr
        && call.name.namespace.is_empty()
        && call.name.name.as_str() == "optional"
    {
        let args: Vec<&Expression> = call.args.iter().collect();
        return Some(Attribute {
            name,
            kind: parse(args.first()?, evaluate)?,
            optional: true,
            default: args.get(1).map(|default| evaluate(default)),
        });
    }
    Some(Attribute {
        name,
        kind: parse(expr, evaluate)?,
        optional: false,
        default: None,
    })
}

/// Why a value does not convert to a type: where in the value (`""` for
/// the value itself, `[1]`, `.port`) and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "at `{}`, {}", self.path, self.problem)
        }
    }
}

impl Type {
    /// What the type is called in Terraform's own syntax.
    pub(crate) fn name(&self) -> String {
        match self {
            Type::Any => "any".into(),
            Type::String => "string".into(),
            Type::Number => "number".into(),
            Type::Bool => "bool".into(),
            Type::List(inner) => format!("list({})", inner.name()),
            Type::Set(inner) => format!("set({})", inner.name()),
            Type::Map(inner) => format!("map({})", inner.name()),
            Type::Tuple(items) => format!(
                "tuple([{}])",
                items.iter().map(Type::name).collect::<Vec<_>>().join(", ")
            ),
            Type::Object(_) => "object({…})".into(),
        }
    }

    /// `value` as Terraform converts it to this type, or why it cannot.
    pub(crate) fn convert(&self, value: &Value) -> Result<Value, Mismatch> {
        self.convert_at(value, String::new())
    }

    fn convert_at(&self, value: &Value, path: String) -> Result<Value, Mismatch> {
        let refuse = |what: &str| {
            Err(Mismatch {
                path: path.clone(),
                problem: format!("{what} is not {}", self.article_name()),
            })
        };
        match (self, value) {
            (_, Value::Null) | (Type::Any, _) => Ok(value.clone()),
            (_, Value::String(s)) if s.contains("${") => Ok(value.clone()),
            (Type::String, Value::String(_)) => Ok(value.clone()),
            (Type::String, Value::Number(n)) => Ok(Value::String(n.to_string())),
            (Type::String, Value::Bool(b)) => Ok(Value::String(b.to_string())),
            (Type::Number, Value::Number(_)) => Ok(value.clone()),
            (Type::Number, Value::String(s)) => match s.trim().parse::<serde_json::Number>() {
                Ok(n) => Ok(Value::Number(n)),
                Err(_) => refuse(&format!("the string {value}")),
            },
            (Type::Bool, Value::Bool(_)) => Ok(value.clone()),
            (Type::Bool, Value::String(s)) if s == "true" || s == "false" => {
                Ok(Value::Bool(s == "true"))
            }
            (Type::Bool, Value::String(_)) => refuse(&format!("the string {value}")),
            (Type::List(inner) | Type::Set(inner), Value::Array(items)) => {
                let mut converted = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    converted.push(inner.convert_at(item, format!("{path}[{i}]"))?);
                }
                if matches!(self, Type::Set(_)) {
                    converted = super::terraform_functions::set_of(&converted);
                }
                Ok(Value::Array(converted))
            }
            (Type::Map(inner), Value::Object(map)) => {
                let mut converted = Map::new();
                for (key, item) in map {
                    let at = format!("{path}[{}]", Value::String(key.clone()));
                    converted.insert(key.clone(), inner.convert_at(item, at)?);
                }
                Ok(Value::Object(converted))
            }
            (Type::Tuple(kinds), Value::Array(items)) => {
                if kinds.len() != items.len() {
                    return refuse(&format!("a list of {} elements", items.len()));
                }
                let mut converted = Vec::with_capacity(items.len());
                for (i, (kind, item)) in kinds.iter().zip(items).enumerate() {
                    converted.push(kind.convert_at(item, format!("{path}[{i}]"))?);
                }
                Ok(Value::Array(converted))
            }
            (Type::Object(attributes), Value::Object(map)) => {
                let mut converted = Map::new();
                for attribute in attributes {
                    let at = format!("{path}.{}", attribute.name);
                    match map.get(&attribute.name) {
                        Some(item) => {
                            converted.insert(
                                attribute.name.clone(),
                                attribute.kind.convert_at(item, at)?,
                            );
                        }
                        None if attribute.optional => {
                            let default = attribute.default.clone().unwrap_or(Value::Null);
                            converted.insert(attribute.name.clone(), default);
                        }
                        None => {
                            return Err(Mismatch {
                                path,
                                problem: format!("attribute `{}` is required", attribute.name),
                            });
                        }
                    }
                }
                Ok(Value::Object(converted))
            }
            (_, Value::Bool(_)) => refuse("a bool"),
            (_, Value::Number(_)) => refuse("a number"),
            (_, Value::String(_)) => refuse(&format!("the string {value}")),
            (_, Value::Array(_)) => refuse("a list"),
            (_, Value::Object(_)) => refuse("an object"),
        }
    }

    fn article_name(&self) -> String {
        match self {
            Type::Any => "any value".into(),
            Type::String => "a string".into(),
            Type::Number => "a number".into(),
            Type::Bool => "a bool".into(),
            Type::Object(_) => "an object".into(),
            other => format!("a {}", other.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind(text: &str) -> Type {
        let body = super::super::terraform::parse(&format!("t = {text}\n")).expect("HCL");
        let attribute = body.get_attribute("t").expect("the attribute");
        parse(&attribute.value, &|expr| match expr {
            Expression::Number(n) => json!(n.value().as_i64()),
            Expression::String(s) => json!(s.value()),
            _ => Value::Null,
        })
        .expect("a type")
    }

    #[test]
    fn values_convert_as_terraform_converts_them() {
        assert_eq!(kind("number").convert(&json!("8080")), Ok(json!(8080)));
        assert_eq!(kind("string").convert(&json!(5)), Ok(json!("5")));
        assert_eq!(kind("bool").convert(&json!("true")), Ok(json!(true)));
        assert_eq!(
            kind("set(string)").convert(&json!(["b", "a", "b"])),
            Ok(json!(["a", "b"]))
        );
        assert_eq!(
            kind("map(number)").convert(&json!({"a": "1"})),
            Ok(json!({"a": 1}))
        );
        assert_eq!(
            kind("object({ name = string, port = optional(number, 443), tls = optional(bool) })")
                .convert(&json!({"name": "web", "extra": 1})),
            Ok(json!({"name": "web", "port": 443, "tls": null})),
            "undeclared attributes dropped, optional ones filled in"
        );
        assert_eq!(
            kind("tuple([string, number])").convert(&json!(["a", "2"])),
            Ok(json!(["a", 2]))
        );
        assert_eq!(
            kind("number").convert(&json!("${var.x}")),
            Ok(json!("${var.x}")),
            "unknown values are not judged"
        );
        assert_eq!(kind("list(any)").convert(&json!(null)), Ok(json!(null)));
        // A long list from a tfvars file: deduplicated in `n log n`.
        let long: Vec<Value> = (0..100_000)
            .map(|i| json!(format!("z{}", i % 50_000)))
            .collect();
        let set = kind("set(string)")
            .convert(&Value::Array(long))
            .expect("a set");
        assert_eq!(set.as_array().map(Vec::len), Some(50_000));
        assert_eq!(set[0], "z0");
    }

    #[test]
    fn mismatches_say_where_and_what() {
        let refused = |t: &str, v: Value| kind(t).convert(&v).unwrap_err().to_string();
        assert_eq!(
            refused("number", json!("eighty")),
            "the string \"eighty\" is not a number"
        );
        assert_eq!(
            refused("list(number)", json!([1, "x"])),
            "at `[1]`, the string \"x\" is not a number"
        );
        assert_eq!(refused("string", json!(["a"])), "a list is not a string");
        assert_eq!(
            refused("map(string)", json!(["a"])),
            "a list is not a map(string)"
        );
        assert_eq!(
            refused("object({ port = number })", json!({"ports": 1})),
            "attribute `port` is required"
        );
        assert_eq!(
            refused("list(object({ port = number }))", json!([{"port": true}])),
            "at `[0].port`, a bool is not a number"
        );
        assert_eq!(
            refused("tuple([string])", json!(["a", "b"])),
            "a list of 2 elements is not a tuple([string])"
        );
    }
}
