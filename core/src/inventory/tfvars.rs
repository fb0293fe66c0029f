//! Values of a root module's variables from outside it, merged in
//! Terraform's own precedence (lowest first): the `default` of each
//! `variable` block, `terraform.tfvars`, `terraform.tfvars.json`, every
//! `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order of their
//! names, the `--tf-vars FILE`s in the order given, and last the
//! `--tf-var NAME=VALUE`s.
//!
//! They apply to root modules (a directory no local module call
//! targets); a called module's variables are the call's arguments. A file that cannot be read or parsed is a
//! diagnostic at its line, and the other sources still count.

use super::terraform::{self, VariableValue};
use super::{WalkOptions, WalkedFile};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Level, ParseError};
use crate::resource::{Region, RelatedLocation, escape_pointer_token};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Variable values the user gives every root module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TerraformVars {
    /// `--tf-vars FILE`, in order: HCL, or JSON when the name ends in
    /// `.json`.
    pub files: Vec<PathBuf>,
    /// `--tf-var NAME=VALUE`, in order: text, converted by the variable's
    /// declared type as Terraform converts `-var`.
    pub values: Vec<(String, String)>,
}

impl TerraformVars {
    /// Parses `NAME=VALUE` (what `--tf-var` takes).
    ///
    /// ```
    /// use rampart_core::inventory::tfvars::TerraformVars;
    /// assert_eq!(TerraformVars::parse_assignment("acl=private"), Ok(("acl".into(), "private".into())));
    /// assert!(TerraformVars::parse_assignment("acl").is_err());
    /// ```
    pub fn parse_assignment(text: &str) -> Result<(String, String), String> {
        match text.split_once('=') {
            Some((name, value)) if is_identifier(name.trim()) => {
                Ok((name.trim().to_owned(), value.to_owned()))
            }
            _ => Err(format!(
                "`{text}` is not NAME=VALUE with NAME a Terraform variable name"
            )),
        }
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Where a file Terraform loads by itself ranks, lowest first; `None`
/// for every other file.
pub(super) fn automatic_rank(name: &str) -> Option<u8> {
    match name {
        "terraform.tfvars" => Some(0),
        "terraform.tfvars.json" => Some(1),
        _ if name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json") => Some(2),
        _ => None,
    }
}

/// A root module's variable values from outside it.
#[derive(Debug, Default)]
pub(super) struct ModuleValues {
    /// By variable name, the value that wins.
    pub values: BTreeMap<String, VariableValue>,
    /// Where each winning value was set.
    pub origins: BTreeMap<String, Vec<RelatedLocation>>,
    /// Files that could not be read or parsed.
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether Terraform loads the file at `path` by itself (by its name).
pub(super) fn is_automatic(path: &std::path::Path) -> bool {
    path.file_name()
        .is_some_and(|name| automatic_rank(&name.to_string_lossy()).is_some())
}

/// The values for one module: its automatic files (walked beside its
/// `.tf` files), then the user's, later ones overriding earlier ones.
pub(super) fn values_for(
    automatic: &[&WalkedFile],
    user: &TerraformVars,
    options: &WalkOptions,
) -> ModuleValues {
    let mut files: Vec<&WalkedFile> = automatic.to_vec();
    files.sort_by_key(|file| {
        let name = file_name(file);
        (automatic_rank(&name).unwrap_or(u8::MAX), name)
    });
    let mut values = ModuleValues::default();
    for file in files {
        let read = crate::read::read_file(
            &file.path,
            options.max_file_size,
            crate::read::Links::Refuse,
        );
        let json = file_name(file).ends_with(".json");
        merge(&file.display, read, json, &mut values);
    }
    for path in &user.files {
        let read = crate::read::read_file(path, options.max_file_size, crate::read::Links::Follow);
        let json = path.extension().is_some_and(|e| e == "json");
        merge(&path.display().to_string(), read, json, &mut values);
    }
    for (name, text) in &user.values {
        values
            .values
            .insert(name.clone(), VariableValue::Text(text.clone()));
        let origin = RelatedLocation {
            path: None,
            region: None,
            message: format!("var.{name} set by --tf-var"),
        };
        values.origins.insert(name.clone(), vec![origin]);
    }
    values
}

fn file_name(file: &WalkedFile) -> String {
    file.path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// One file's values (and where each was set) into `values`, or its
/// problem into its diagnostics.
fn merge(
    display: &str,
    read: Result<Vec<u8>, crate::read::ReadError>,
    json: bool,
    values: &mut ModuleValues,
) {
    let error = |kind, message: String| Diagnostic::file(Level::Error, kind, display, message);
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) => {
            values.diagnostics.push(error(
                DiagnosticKind::Io,
                format!(
                    "variable values not read: {}",
                    crate::inventory::walk::reason(&e)
                ),
            ));
            return;
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        values.diagnostics.push(error(
            DiagnosticKind::ParseError,
            "variable values not read: not valid UTF-8".to_owned(),
        ));
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parsed = if json {
        json_values(text)
    } else {
        terraform::attribute_values(text)
    };
    match parsed {
        Ok(found) => {
            for (name, value, region) in found {
                let origin = RelatedLocation {
                    path: Some(display.to_owned()),
                    region,
                    message: format!("var.{name} set"),
                };
                values.origins.insert(name.clone(), vec![origin]);
                values.values.insert(name, VariableValue::Value(value));
            }
        }
        Err(e) => values.diagnostics.push(
            error(
                DiagnosticKind::ParseError,
                format!("invalid variable values: {}", e.message),
            )
            .at(e.region),
        ),
    }
}

/// A `.tfvars.json` file: one object of variable names to values, each
/// at its member's region. The values are `serde_json`'s, as Terraform
/// reads JSON; the regions come from the span-keeping parser of JSON and
/// YAML files, which reads the same text.
fn json_values(text: &str) -> Result<Vec<(String, Value, Option<Region>)>, ParseError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let line = u32::try_from(e.line()).unwrap_or(u32::MAX).max(1);
        let column = u32::try_from(e.column()).unwrap_or(u32::MAX).max(1);
        ParseError::at(line, column, e.to_string())
    })?;
    match value {
        Value::Object(map) => {
            let spans = super::yaml::parse_documents(text)
                .ok()
                .and_then(|documents| documents.into_iter().next())
                .map(|document| document.spans)
                .unwrap_or_default();
            Ok(map
                .into_iter()
                .map(|(name, value)| {
                    let region = spans.get(&format!("/{}", escape_pointer_token(&name)));
                    (name, value, region)
                })
                .collect())
        }
        _ => Err(ParseError::on_line(
            1,
            "a .tfvars.json file is one object of variable names to values",
        )),
    }
}
