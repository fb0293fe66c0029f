//! Terraform: one `terraform` resource per `resource`, `data`, `module` and
//! `provider` block, from `.tf` (HCL), `.tf.json`, and plan JSON
//! (`terraform show -json`).
//!
//! A Terraform module is a directory: `variable` defaults and `locals` of
//! every `.tf` file in it are gathered first ([`ModuleContext`]), so that
//! `var.x` and `local.y` resolve wherever they are used. Values that cannot
//! be known without running Terraform (references to other resources,
//! function calls, conditionals) are kept as expressions, written
//! `"${…}"` with their source text — never guessed. See
//! `docs/kinds/terraform.md`.

use super::lines::LineIndex;
use crate::diagnostic::{Diagnostic, DiagnosticKind, Level, ParseError};
use crate::resource::{Region, RelatedLocation, Resource, SpanIndex, escape_pointer_token};
use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::template::{Element, Template};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;
use std::ops::Range;

/// The resource kind.
pub const KIND: &str = "terraform";

/// Top-level blocks that become resources.
const RESOURCE_BLOCKS: &[&str] = &["resource", "data", "module", "provider"];

/// Values (nodes: each scalar, array and object counts one, and a string
/// one more per 64 bytes) a file's or a module's evaluation may copy out of
/// variables and locals, or build with functions, in all. A reference or
/// call past it stays an expression: two locals that each list the other
/// twice would otherwise double in size at every step, and ten thousand
/// locals that each `join` the one before into a megabyte would take
/// gigabytes.
pub const MAX_EVALUATED_NODES: usize = 1_000_000;

/// Nesting the HCL parser is given: it descends by recursion, so deeper
/// input is refused before it is parsed ([`check_depth`]).
pub const MAX_HCL_DEPTH: usize = 100;

/// Parses a `.tf` file (nesting at most [`MAX_HCL_DEPTH`] deep).
pub fn parse(text: &str) -> Result<Body, ParseError> {
    check_depth(text, MAX_HCL_DEPTH)?;
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let location = e.location();
        ParseError::at(
            u32::try_from(location.line()).unwrap_or(u32::MAX),
            u32::try_from(location.column()).unwrap_or(u32::MAX),
            e.message(),
        )
    })
}

/// Refuses HCL nested deeper than `max` — brackets, braces, parentheses,
/// strings and the `${…}`/`%{…}` interpolations inside them, heredocs —
/// with the place it goes past. A lexical scan (comments, strings and
/// heredocs told apart from code), linear and without recursion, so that
/// `[[[[…` cannot overflow the recursive parser's stack.
///
/// ```
/// use rampart_core::inventory::terraform::check_depth;
/// assert!(check_depth("a = [[1]]\n", 2).is_ok());
/// let err = check_depth("a = [[[1]]]\n", 2).unwrap_err();
/// assert_eq!((err.line(), err.column()), (1, 7));
/// // Brackets inside strings and comments do not count.
/// assert!(check_depth("a = \"[[[[\" # [[[[\n", 2).is_ok());
/// ```
pub fn check_depth(text: &str, max: usize) -> Result<(), ParseError> {
    #[derive(PartialEq)]
    enum Context {
        /// Code, closed by this byte (`0` at the top).
        Code(u8),
        /// A quoted string.
        Quoted,
        /// A heredoc, ended by a line holding only this marker.
        Heredoc(String),
    }
    let bytes = text.as_bytes();
    let mut stack = vec![Context::Code(0)];
    let mut i = 0;
    let mut at_line_start = true;
    while i < bytes.len() {
        let byte = bytes[i];
        let next = bytes.get(i + 1).copied();
        if stack.len() > max + 1 {
            let lines = LineIndex::new(text);
            let (line, column) = lines.position(i.saturating_sub(1));
            return Err(ParseError::at(
                line,
                column,
                format!("nesting deeper than {max} levels"),
            ));
        }
        let line_start = at_line_start;
        at_line_start = byte == b'\n';
        let top = stack.last().unwrap_or(&Context::Code(0));
        match top {
            Context::Code(close) => {
                let close = *close;
                match byte {
                    b'#' => i = skip_line(bytes, i),
                    b'/' if next == Some(b'/') => i = skip_line(bytes, i),
                    b'/' if next == Some(b'*') => {
                        i = text[i + 2..]
                            .find("*/")
                            .map_or(bytes.len(), |end| i + 2 + end + 2);
                        continue;
                    }
                    b'"' => stack.push(Context::Quoted),
                    b'<' if next == Some(b'<') => {
                        let rest = &text[i + 2..];
                        let rest = rest.strip_prefix('-').unwrap_or(rest);
                        let marker: String = rest
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                            .collect();
                        if !marker.is_empty() {
                            stack.push(Context::Heredoc(marker));
                            i = skip_line(bytes, i);
                            at_line_start = true;
                        }
                    }
                    b'{' => stack.push(Context::Code(b'}')),
                    b'[' => stack.push(Context::Code(b']')),
                    b'(' => stack.push(Context::Code(b')')),
                    b'}' | b']' | b')' if byte == close && stack.len() > 1 => {
                        stack.pop();
                    }
                    _ => {}
                }
            }
            Context::Quoted => match byte {
                b'\\' => i += 1,
                b'"' | b'\n' => {
                    stack.pop();
                }
                b'$' | b'%' if next == Some(byte) && bytes.get(i + 2) == Some(&b'{') => i += 2,
                b'$' | b'%' if next == Some(b'{') => {
                    stack.push(Context::Code(b'}'));
                    i += 1;
                }
                _ => {}
            },
            Context::Heredoc(marker) => {
                if line_start {
                    let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                    if text[i..end].trim() == marker {
                        stack.pop();
                        i = end;
                        continue;
                    }
                }
                match byte {
                    b'$' | b'%' if next == Some(byte) && bytes.get(i + 2) == Some(&b'{') => i += 2,
                    b'$' | b'%' if next == Some(b'{') => {
                        stack.push(Context::Code(b'}'));
                        i += 1;
                    }
                    _ => {}
                }
            }
        }
        i += 1;
    }
    Ok(())
}

/// The index of the newline ending the line at `i` (or the end).
fn skip_line(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| i + n)
        .saturating_sub(1)
}

/// What a module's files define for each other: variable defaults and
/// locals, as far as they are static.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleContext {
    /// `variable "x" { default = … }`, by name.
    pub variables: BTreeMap<String, Value>,
    /// `locals { y = … }`, by name.
    pub locals: BTreeMap<String, Value>,
    /// For each block address of the module (`aws_s3_bucket.logs`), the
    /// blocks of any of its files that refer to it, sorted: the
    /// whole-module relations a rule needs (a bucket's versioning,
    /// encryption or public access block may live in another file).
    pub referenced_by: std::sync::Arc<BTreeMap<String, Vec<String>>>,
    /// What the addresses of this module instance start with: `""` for a
    /// root module, `module.logs.` for the module a root calls as `logs`.
    pub address_prefix: String,
    /// The `module` calls that made this instance, outermost first (empty
    /// for a root): every finding of its resources names them.
    pub calls: Vec<RelatedLocation>,
    /// Where each variable set from outside got its value (the call's
    /// argument line, and where the caller's variables that argument uses
    /// were set; a tfvars line; `--tf-var`): a finding on a value computed
    /// from the variable names them.
    pub variable_origins: BTreeMap<String, Vec<RelatedLocation>>,
    /// The variables each local is computed from, through other locals.
    pub local_variables: std::sync::Arc<BTreeMap<String, std::collections::BTreeSet<String>>>,
    /// The module calls whose outputs each local reads, through other
    /// locals.
    pub local_modules: std::sync::Arc<BTreeMap<String, std::collections::BTreeSet<String>>>,
    /// For each `output` of the module, the addresses of the module's
    /// blocks its value refers to (`id = aws_s3_bucket.this.id` →
    /// `aws_s3_bucket.this`): how a caller's reference to the output
    /// reaches them.
    pub output_references: std::sync::Arc<BTreeMap<String, std::collections::BTreeSet<String>>>,
    /// The outputs of the modules this one calls, as `module.NAME…`
    /// reads them: by call name an object of output values, an object of
    /// those by key for a `for_each` call, an array for a `count` call.
    /// Unknown outputs are expressions, as everywhere.
    pub module_outputs: Map<String, Value>,
    /// The files `file()` and `templatefile()` may read, and what
    /// `path.module` is; `None` (no file is read) when the module was not
    /// walked from a directory.
    pub files: Option<std::sync::Arc<ModuleFiles>>,
    /// What could not be evaluated: locals that refer to themselves
    /// (directly or through others), values over
    /// [`MAX_EVALUATED_NODES`]. Each at the local's line.
    pub diagnostics: Vec<Diagnostic>,
}

/// The texts Terraform's file functions read, by path as written onto the
/// root module's directory (`None`: not readable, or outside): shared by
/// every module instance of a scan, so a module called a thousand times
/// reads its `policy.json` once.
pub type FileCache =
    std::sync::Arc<std::sync::Mutex<BTreeMap<std::path::PathBuf, Option<std::sync::Arc<str>>>>>;

/// What Terraform's file functions of one module instance may read: files
/// inside the scanned tree only, each at most `max_file_size` bytes, read
/// through [`crate::read`] once per path and scan. Paths are relative to the root
/// module's directory, Terraform's working directory; `path.module` is
/// the module's directory relative to it.
#[derive(Debug)]
pub struct ModuleFiles {
    root_dir: std::path::PathBuf,
    module_dir: std::path::PathBuf,
    boundary: std::sync::Arc<std::path::Path>,
    max_file_size: u64,
    /// Each path's text as read, for the whole scan.
    cache: FileCache,
}

impl PartialEq for ModuleFiles {
    fn eq(&self, other: &Self) -> bool {
        (
            &self.root_dir,
            &self.module_dir,
            &self.boundary,
            self.max_file_size,
        ) == (
            &other.root_dir,
            &other.module_dir,
            &other.boundary,
            other.max_file_size,
        )
    }
}

impl ModuleFiles {
    /// The files of the module in `module_dir` called (at any depth) from
    /// the root module in `root_dir`, inside `boundary` (resolved), their
    /// texts kept in `cache`.
    pub fn new(
        root_dir: &std::path::Path,
        module_dir: &std::path::Path,
        boundary: std::sync::Arc<std::path::Path>,
        max_file_size: u64,
        cache: FileCache,
    ) -> Self {
        ModuleFiles {
            root_dir: root_dir.to_path_buf(),
            module_dir: module_dir.to_path_buf(),
            boundary,
            max_file_size,
            cache,
        }
    }

    /// `path.module`: `.` for the root, `modules/logs`, `../shared/x`.
    fn path_module(&self) -> String {
        let root: Vec<_> = self.root_dir.components().collect();
        let module: Vec<_> = self.module_dir.components().collect();
        let common = root.iter().zip(&module).take_while(|(a, b)| a == b).count();
        let mut parts: Vec<String> = vec!["..".to_owned(); root.len() - common];
        parts.extend(
            module[common..]
                .iter()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        );
        if parts.is_empty() {
            ".".to_owned()
        } else {
            parts.join("/")
        }
    }

    /// The text of the file at `relative` (to the root module), if it is a
    /// regular UTF-8 file inside the scanned tree within the size cap.
    fn read(&self, relative: &str) -> Option<std::sync::Arc<str>> {
        let written = std::path::Path::new(relative);
        if written.is_absolute() {
            return None;
        }
        let written = self.root_dir.join(written);
        let mut cache = self.cache.lock().ok()?;
        if let Some(known) = cache.get(&written) {
            return known.clone();
        }
        let text = crate::read::resolve_inside(&self.boundary, &written)
            .and_then(|real| {
                crate::read::read_text(&real, self.max_file_size, crate::read::Links::Refuse).ok()
            })
            .map(std::sync::Arc::from);
        cache.insert(written, text.clone());
        text
    }
}

/// A `module` block whose `source` is a directory of the same tree
/// (`./logs`, `../shared/bucket`), with its arguments evaluated in the
/// calling module.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleCall {
    /// The call's name (`module "logs"` → `logs`).
    pub name: String,
    /// The instance of a call with `count` or `for_each` (`[0]`,
    /// `["eu"]`); empty for a call without them.
    pub key: String,
    /// That instance's `count.index` (a number) or `each.key` (a string).
    pub instance: Option<Value>,
    /// For each output of the called module, the blocks of the caller
    /// that refer to it (`module.logs.id`), by their address.
    pub output_referrers: BTreeMap<String, Vec<String>>,
    /// The calls of the same module whose outputs this call's arguments
    /// (and `count`/`for_each`) read, directly or through locals: it is
    /// made after them.
    pub reads_modules: std::collections::BTreeSet<String>,
    /// `source` as written.
    pub source: String,
    /// The file of the call, and the line of its block.
    pub file: String,
    /// 1-based line of the `module` block.
    pub line: u32,
    /// The module's input variables as the call sets them.
    pub arguments: BTreeMap<String, Value>,
    /// The 1-based line of each argument.
    pub argument_lines: BTreeMap<String, u32>,
    /// Where the calling module's variables each argument uses were set
    /// from outside it (empty for most).
    pub argument_origins: BTreeMap<String, Vec<RelatedLocation>>,
}

/// Meta-arguments of a `module` block: not input variables.
const MODULE_META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// The literal `source` of every `module` block of a module's files,
/// without evaluating anything (what a directory calls).
pub fn module_sources<'a>(files: impl IntoIterator<Item = &'a Body>) -> Vec<String> {
    files
        .into_iter()
        .flat_map(|body| body.blocks())
        .filter(|block| block.ident.as_str() == "module")
        .filter_map(|block| {
            block
                .body
                .get_attribute("source")
                .and_then(|a| a.value.as_str().map(str::to_owned))
        })
        .collect()
}

/// The `module` blocks of a module's files, each with a literal `source`,
/// its arguments evaluated in `context` (an instance of the module
/// `shape` describes): one call per instance of a call with `count` or
/// `for_each` (none for `count = 0`), its arguments seeing that instance's
/// `count.index` or `each.*`.
pub fn module_calls(shape: &ModuleShape<'_>, context: &ModuleContext) -> Vec<ModuleCall> {
    let readers = &shape.output_readers;
    let mut calls = Vec::new();
    for ((file, text, body), lines) in shape.files().zip(&shape.lines) {
        let budget = std::cell::Cell::new(MAX_EVALUATED_NODES);
        let evaluator = Evaluator::new(text, context, &budget);
        for block in body.blocks().filter(|b| b.ident.as_str() == "module") {
            let Some(name) = block.labels.first().map(label_text) else {
                continue;
            };
            let Some(Value::String(source)) = block
                .body
                .get_attribute("source")
                .map(|a| evaluator.value(&a.value))
            else {
                continue;
            };
            let line = lines.region(block.span()).map_or(1, |r| r.start_line);
            // An instance count over the limit is reported where the
            // block is turned into a resource; here it is one call.
            let mut reported_elsewhere = Vec::new();
            let instances = instances(
                "module",
                block,
                &evaluator,
                file,
                lines,
                &mut reported_elsewhere,
            );
            let output_referrers: BTreeMap<String, Vec<String>> = readers
                .range((name.clone(), String::new())..)
                .take_while(|((call, _), _)| *call == name)
                .map(|((_, output), blocks)| (output.clone(), blocks.clone()))
                .collect();
            for instance in instances {
                let (key, evaluator) = match &instance {
                    Some(instance) => {
                        let (bound, value) = instance.binding();
                        (instance.key(), evaluator.with_binding(&bound, value))
                    }
                    None => (String::new(), evaluator.clone()),
                };
                let instance = instance.and_then(|i| match (i.index, i.each) {
                    (Some(index), _) => Some(Value::from(index)),
                    (None, Some((key, _))) => Some(key),
                    (None, None) => None,
                });
                let arguments = block
                    .body
                    .attributes()
                    .filter(|a| !MODULE_META_ARGUMENTS.contains(&a.key.as_str()))
                    .map(|a| (a.key.as_str().to_owned(), evaluator.value(&a.value)))
                    .collect();
                let argument_lines = block
                    .body
                    .attributes()
                    .filter(|a| !MODULE_META_ARGUMENTS.contains(&a.key.as_str()))
                    .map(|a| {
                        let at = lines.region(a.span()).map_or(line, |r| r.start_line);
                        (a.key.as_str().to_owned(), at)
                    })
                    .collect();
                let argument_origins = block
                    .body
                    .attributes()
                    .filter(|a| !MODULE_META_ARGUMENTS.contains(&a.key.as_str()))
                    .map(|a| (a.key.as_str().to_owned(), context.origins_of(&a.value)))
                    .filter(|(_, origins)| !origins.is_empty())
                    .collect();
                let mut reads_modules = std::collections::BTreeSet::new();
                for attribute in block.body.attributes() {
                    reads_modules.extend(NamesUnder::of("module", &attribute.value));
                    for local in NamesUnder::of("local", &attribute.value) {
                        if let Some(theirs) = context.local_modules.get(&local) {
                            reads_modules.extend(theirs.iter().cloned());
                        }
                    }
                }
                calls.push(ModuleCall {
                    reads_modules,
                    argument_origins,
                    name: name.clone(),
                    key,
                    instance,
                    output_referrers: output_referrers.clone(),
                    source: source.clone(),
                    file: file.to_owned(),
                    line,
                    arguments,
                    argument_lines,
                });
            }
        }
    }
    calls
}

/// A variable's value from outside its module.
#[derive(Debug, Clone, PartialEq)]
pub enum VariableValue {
    /// A value a tfvars file gives (an HCL or JSON expression, evaluated).
    Value(Value),
    /// The text of `--tf-var name=value`: a string, or by the variable's
    /// declared type a number, a bool, or (written `[…]`/`{…}`) a list or
    /// map in HCL syntax — as Terraform reads `-var`.
    Text(String),
}

/// The attributes of a `.tfvars` file, each evaluated on its own (a
/// tfvars file holds values, not references: anything else stays as its
/// text, unknown).
pub(crate) fn attribute_values(
    text: &str,
) -> Result<Vec<(String, Value, Option<Region>)>, ParseError> {
    let body = parse(text)?;
    let empty = ModuleContext::default();
    let budget = std::cell::Cell::new(MAX_EVALUATED_NODES);
    let evaluator = Evaluator::new(text, &empty, &budget);
    let lines = LineIndex::new(text);
    Ok(body
        .attributes()
        .map(|attribute| {
            (
                attribute.key.as_str().to_owned(),
                evaluator.value(&attribute.value),
                lines.region(attribute.span()),
            )
        })
        .collect())
}

/// `--tf-var` text as Terraform converts it for a variable of `kind`.
fn typed(text: &str, kind: Option<&str>) -> Value {
    let kind = kind.unwrap_or("any").trim();
    let trimmed = text.trim();
    if kind == "bool" {
        match trimmed {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            _ => {}
        }
    }
    if kind == "number"
        && let Ok(number) = trimmed.parse::<serde_json::Number>()
    {
        return Value::Number(number);
    }
    if kind != "string" && (trimmed.starts_with('[') || trimmed.starts_with('{')) {
        let source = format!("value = {trimmed}\n");
        if let Ok(body) = parse(&source)
            && let Some(attribute) = body.get_attribute("value")
        {
            let empty = ModuleContext::default();
            let budget = std::cell::Cell::new(MAX_EVALUATED_NODES);
            return Evaluator::new(&source, &empty, &budget).value(&attribute.value);
        }
    }
    Value::String(text.to_owned())
}

/// One `locals` entry, before evaluation.
#[derive(Debug)]
struct LocalDefinition<'a> {
    name: String,
    expr: &'a Expression,
    text: &'a str,
    file: &'a str,
    line: u32,
    /// Indices of the locals its expression refers to.
    uses: Vec<usize>,
}

/// What a module's files say before any value of an instance is known:
/// which blocks refer to which, what each output refers to, the declared
/// variables with their types and converted defaults, the locals in the
/// order they evaluate in, and the problems no value changes (a reference
/// to an undeclared variable, a cycle among locals, a default that does
/// not fit its type).
///
/// Computed once per module directory and shared by all its instances: a
/// module called a hundred times, each with its own arguments, is walked
/// for its structure once, and each instance only evaluates
/// ([`ModuleContext::gather_in`]).
#[derive(Debug)]
pub struct ModuleShape<'a> {
    files: Vec<(&'a str, &'a str, &'a Body)>,
    /// Each file's line index, in the order of `files`: built once for
    /// the module, not once per instance.
    lines: Vec<LineIndex<'a>>,
    // Shared with every instance's context (the maps a module instance
    // reads as they are), not copied into each.
    referenced_by: std::sync::Arc<BTreeMap<String, Vec<String>>>,
    output_references: std::sync::Arc<BTreeMap<String, std::collections::BTreeSet<String>>>,
    /// (call name, output) → the module's blocks that read it.
    output_readers: BTreeMap<(String, String), Vec<String>>,
    /// Every declared variable, where (file, line).
    declared: BTreeMap<String, (&'a str, u32)>,
    /// The type each variable states, as written (for `--tf-var` text).
    types: BTreeMap<String, String>,
    /// The type each variable states, parsed.
    constraints: BTreeMap<String, super::terraform_types::Type>,
    /// Each default, converted to its variable's type (a default that
    /// does not convert is left out, and is a diagnostic).
    defaults: BTreeMap<String, Value>,
    /// The locals that can be evaluated, each after those it uses.
    locals: Vec<LocalDefinition<'a>>,
    local_variables: std::sync::Arc<BTreeMap<String, std::collections::BTreeSet<String>>>,
    local_modules: std::sync::Arc<BTreeMap<String, std::collections::BTreeSet<String>>>,
    /// The literal `source` of every `module` block.
    sources: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> ModuleShape<'a> {
    /// The shape of the module made of `files`: each file's display path
    /// (for diagnostics), its source (for the text of unresolved
    /// expressions) and its body.
    pub fn of(files: impl IntoIterator<Item = (&'a str, &'a str, &'a Body)>) -> Self {
        let files: Vec<(&'a str, &'a str, &'a Body)> = files.into_iter().collect();
        let indexes: Vec<LineIndex<'a>> = files
            .iter()
            .map(|&(_, text, _)| LineIndex::new(text))
            .collect();
        let mut shape = ModuleShape {
            files: Vec::new(),
            lines: Vec::new(),
            referenced_by: Default::default(),
            output_references: Default::default(),
            output_readers: BTreeMap::new(),
            declared: BTreeMap::new(),
            types: BTreeMap::new(),
            constraints: BTreeMap::new(),
            defaults: BTreeMap::new(),
            locals: Vec::new(),
            local_variables: Default::default(),
            local_modules: Default::default(),
            sources: module_sources(files.iter().map(|&(_, _, body)| body)),
            diagnostics: Vec::new(),
        };
        let mut definitions: Vec<LocalDefinition<'a>> = Vec::new();
        for (&(file, text, body), lines) in files.iter().zip(&indexes) {
            for block in body.blocks() {
                if let Some(address) = block_address(block) {
                    let mut found = References::default();
                    let mut reads = OutputReads::default();
                    hcl_edit::visit::Visit::visit_body(&mut found, &block.body);
                    hcl_edit::visit::Visit::visit_body(&mut reads, &block.body);
                    for target in found.0 {
                        if target != address {
                            std::sync::Arc::make_mut(&mut shape.referenced_by)
                                .entry(target)
                                .or_default()
                                .push(address.clone());
                        }
                    }
                    for read in reads.0 {
                        shape
                            .output_readers
                            .entry(read)
                            .or_default()
                            .push(address.clone());
                    }
                }
                match block.ident.as_str() {
                    "output" => {
                        let (Some(name), Some(value)) = (
                            block.labels.first().map(label_text),
                            block.body.get_attribute("value"),
                        ) else {
                            continue;
                        };
                        let mut found = References::default();
                        hcl_edit::visit::Visit::visit_expr(&mut found, &value.value);
                        std::sync::Arc::make_mut(&mut shape.output_references)
                            .insert(name, found.0);
                    }
                    "variable" => shape.declare(file, text, lines, block),
                    "locals" => {
                        for attribute in block.body.attributes() {
                            let line = lines.region(attribute.span()).map_or(1, |r| r.start_line);
                            definitions.push(LocalDefinition {
                                name: attribute.key.as_str().to_owned(),
                                expr: &attribute.value,
                                text,
                                file,
                                line,
                                uses: Vec::new(),
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        for referrers in std::sync::Arc::make_mut(&mut shape.referenced_by).values_mut() {
            referrers.sort();
            referrers.dedup();
        }
        // A name defined twice: the last definition counts (Terraform
        // itself refuses the module).
        let index: BTreeMap<String, usize> = definitions
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.clone(), i))
            .collect();
        for definition in &mut definitions {
            definition.uses = NamesUnder::of("local", definition.expr)
                .iter()
                .filter_map(|name| index.get(name).copied())
                .collect();
        }
        shape.diagnostics.extend(undeclared_references(
            &files,
            &indexes,
            &shape.declared,
            &index,
        ));
        let mut evaluable = Vec::new();
        for step in evaluation_order(&definitions, &index) {
            let definition = &definitions[step.local];
            if let Some(cycle) = step.cycle {
                let path: Vec<&str> = cycle
                    .iter()
                    .map(|&i| definitions[i].name.as_str())
                    .collect();
                shape.diagnostics.push(
                    Diagnostic::file(
                        Level::Warning,
                        DiagnosticKind::ParseError,
                        definition.file,
                        format!(
                            "local `{}` refers to itself ({}): a cycle, left unevaluated",
                            definition.name,
                            path.iter()
                                .map(|n| format!("local.{n}"))
                                .collect::<Vec<_>>()
                                .join(" → ")
                        ),
                    )
                    .at(Region::line(definition.line, 1, 1)),
                );
                continue;
            }
            if index.get(&definition.name) != Some(&step.local) {
                continue;
            }
            // Its variables: those it names, and those of the locals it
            // uses (earlier in the order, so known).
            let mut variables = NamesUnder::of("var", definition.expr);
            let mut calls = NamesUnder::of("module", definition.expr);
            for &used in &definition.uses {
                let name = &definitions[used].name;
                if let Some(theirs) = shape.local_variables.get(name) {
                    variables.extend(theirs.iter().cloned());
                }
                if let Some(theirs) = shape.local_modules.get(name) {
                    calls.extend(theirs.iter().cloned());
                }
            }
            std::sync::Arc::make_mut(&mut shape.local_variables)
                .insert(definition.name.clone(), variables);
            std::sync::Arc::make_mut(&mut shape.local_modules)
                .insert(definition.name.clone(), calls);
            evaluable.push(step.local);
        }
        let mut definitions: Vec<Option<LocalDefinition<'a>>> =
            definitions.into_iter().map(Some).collect();
        // In order now: what each uses is needed no more.
        shape.locals = evaluable
            .into_iter()
            .filter_map(|i| definitions.get_mut(i).and_then(Option::take))
            .map(|definition| LocalDefinition {
                uses: Vec::new(),
                ..definition
            })
            .collect();
        shape.files = files;
        shape.lines = indexes;
        shape.diagnostics.sort();
        shape.diagnostics.dedup();
        shape
    }

    /// A `variable` block: its declaration, type, and default converted
    /// to the type (or a warning at the default that does not convert).
    fn declare(&mut self, file: &'a str, text: &'a str, lines: &LineIndex<'_>, block: &'a Block) {
        let Some(name) = block.labels.first().map(label_text) else {
            return;
        };
        let line = lines.region(block.span()).map_or(1, |r| r.start_line);
        self.declared.insert(name.clone(), (file, line));
        let empty = ModuleContext::default();
        let budget = std::cell::Cell::new(MAX_EVALUATED_NODES);
        let evaluator = Evaluator::new(text, &empty, &budget);
        if let Some(kind) = block.body.get_attribute("type") {
            let written = kind.value.span().and_then(|range| text.get(range));
            self.types
                .insert(name.clone(), written.unwrap_or("any").to_owned());
            let evaluate = |expr: &Expression| evaluator.value(expr);
            if let Some(parsed) = super::terraform_types::parse(&kind.value, &evaluate) {
                self.constraints.insert(name.clone(), parsed);
            }
        }
        let Some(default) = block.body.get_attribute("default") else {
            return;
        };
        let mut value = evaluator.value(&default.value);
        if let Some(kind) = self.constraints.get(&name) {
            match kind.convert(&value) {
                Ok(converted) => value = converted,
                Err(mismatch) => {
                    let region = lines
                        .region(default.value.span())
                        .unwrap_or_else(|| Region::line(line, 1, 1));
                    self.diagnostics.push(type_mismatch(
                        &name,
                        kind,
                        &mismatch,
                        "its default",
                        file,
                        region,
                    ));
                    return;
                }
            }
        }
        self.defaults.insert(name, value);
    }

    /// The module's files, as given.
    pub fn files(&self) -> impl Iterator<Item = (&'a str, &'a str, &'a Body)> + '_ {
        self.files.iter().copied()
    }

    /// The literal `source` of every `module` block (what the module
    /// calls), nothing evaluated.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// The problems of the module that no value changes: references to
    /// undeclared variables and locals, cycles among locals, defaults that
    /// do not fit their type. Sorted.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl ModuleContext {
    /// Gathers variables and locals from a module's parsed files: each
    /// file's display path (for diagnostics), its source (for the text of
    /// unresolved expressions) and its body.
    ///
    /// Locals are evaluated once each, every local after those it refers
    /// to; a local in a cycle stays unresolved, with a warning at its line.
    pub fn gather<'a>(files: impl IntoIterator<Item = (&'a str, &'a str, &'a Body)>) -> Self {
        Self::gather_with(files, &BTreeMap::new())
    }

    /// [`gather`](Self::gather), the module's variables set by `values`
    /// over their defaults (a root module's tfvars files and `--tf-var`,
    /// merged by the caller in Terraform's precedence). Locals see the set
    /// values.
    pub fn gather_with<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str, &'a Body)>,
        values: &BTreeMap<String, VariableValue>,
    ) -> Self {
        let shape = ModuleShape::of(files);
        let mut context = Self::gather_in(&shape, values, &BTreeMap::new(), &Map::new());
        context
            .diagnostics
            .extend(shape.diagnostics.iter().cloned());
        context.diagnostics.sort();
        context.diagnostics.dedup();
        context
    }

    /// One instance of the module `shape` describes: its variables set by
    /// `values` over their defaults, with where each value was set
    /// (`origins`, the first entry where it was set directly: a value that
    /// does not convert to its variable's type is a warning there), and its
    /// locals evaluated seeing them and the outputs of the modules this one
    /// calls (as [`ModuleContext::module_outputs`]).
    ///
    /// Its diagnostics are what these values cause; the shape's own are
    /// [`ModuleShape::diagnostics`].
    pub fn gather_in(
        shape: &ModuleShape<'_>,
        values: &BTreeMap<String, VariableValue>,
        origins: &BTreeMap<String, Vec<RelatedLocation>>,
        module_outputs: &Map<String, Value>,
    ) -> Self {
        let mut context = ModuleContext {
            variables: shape.defaults.clone(),
            referenced_by: shape.referenced_by.clone(),
            output_references: shape.output_references.clone(),
            local_variables: shape.local_variables.clone(),
            local_modules: shape.local_modules.clone(),
            module_outputs: module_outputs.clone(),
            ..ModuleContext::default()
        };
        // Values set from outside win over defaults; a value for a
        // variable the module does not declare is ignored, as Terraform
        // ignores it (with a warning) in a tfvars file.
        for (name, value) in values {
            let Some(&(file, line)) = shape.declared.get(name) else {
                continue;
            };
            let mut value = match value {
                VariableValue::Value(value) => value.clone(),
                VariableValue::Text(text) => typed(text, shape.types.get(name).map(String::as_str)),
            };
            if let Some(kind) = shape.constraints.get(name) {
                match kind.convert(&value) {
                    Ok(converted) => value = converted,
                    Err(mismatch) => {
                        // Where it was set; a `--tf-var` has no file, so
                        // the warning is at the declaration.
                        let set = origins.get(name).and_then(|o| o.first());
                        // `var.acl set by module.site` → `the value set by module.site`.
                        let what = set.map_or("the value set".to_owned(), |origin| {
                            let message = &origin.message;
                            let how = message
                                .strip_prefix(&format!("var.{name} "))
                                .unwrap_or(message);
                            format!("the value {how}")
                        });
                        let (file, region) = match set {
                            Some(RelatedLocation {
                                path: Some(path),
                                region,
                                ..
                            }) => (
                                path.as_str(),
                                region.unwrap_or_else(|| Region::line(1, 1, 1)),
                            ),
                            _ => (file, Region::line(line, 1, 1)),
                        };
                        context
                            .diagnostics
                            .push(type_mismatch(name, kind, &mismatch, &what, file, region));
                        // Terraform refuses it; rules see the variable as
                        // unknown, not its default.
                        context.variables.remove(name);
                        continue;
                    }
                }
            }
            context.variables.insert(name.clone(), value);
        }
        let evaluator_budget = std::cell::Cell::new(MAX_EVALUATED_NODES);
        for definition in &shape.locals {
            let refused = Refused::default();
            let evaluator =
                Evaluator::new(definition.text, &context, &evaluator_budget).reporting(&refused);
            let value = evaluator.value(definition.expr);
            if !refused.borrow().is_empty() {
                let lines = LineIndex::new(definition.text);
                refused_calls(refused, definition.file, &lines, &mut context.diagnostics);
            }
            if evaluator_budget.get() == 0 && value_nodes(&value) > 1 {
                context.diagnostics.push(
                    Diagnostic::file(
                        Level::Warning,
                        DiagnosticKind::ParseError,
                        definition.file,
                        format!(
                            "local `{}`: the module's locals grow past the evaluation budget ({MAX_EVALUATED_NODES} values); left unevaluated",
                            definition.name
                        ),
                    )
                    .at(Region::line(definition.line, 1, 1)),
                );
                // Half evaluated is worse than not at all: the reference
                // stays as written (`${local.name}`), which rules read as
                // unknown.
                continue;
            }
            context.locals.insert(definition.name.clone(), value);
        }
        context.diagnostics.sort();
        context.diagnostics.dedup();
        context
    }
}

/// The warning for a variable's value that does not convert to its type.
fn type_mismatch(
    name: &str,
    kind: &super::terraform_types::Type,
    mismatch: &super::terraform_types::Mismatch,
    what: &str,
    file: &str,
    region: Region,
) -> Diagnostic {
    Diagnostic::file(
        Level::Warning,
        DiagnosticKind::ParseError,
        file,
        format!(
            "variable `{name}` is of type {}, and {what} does not convert to it: {mismatch}; Terraform refuses it, and the variable stays unknown",
            kind.name()
        ),
    )
    .at(region)
}

/// A warning at `span` of `file` (at the file when the span is unknown):
/// the one shape of every evaluation warning.
fn warning_at(
    file: &str,
    lines: &LineIndex<'_>,
    span: Option<Range<usize>>,
    message: String,
) -> Diagnostic {
    let diagnostic = Diagnostic::file(Level::Warning, DiagnosticKind::ParseError, file, message);
    match lines.region(span) {
        Some(region) => diagnostic.at(region),
        None => diagnostic,
    }
}

/// A warning at each `var.NAME` of a module that declares no variable
/// `NAME`, and each `local.NAME` no `locals` block defines (Terraform
/// refuses both): the value stays unknown, and the message says why.
fn undeclared_references(
    files: &[(&str, &str, &Body)],
    indexes: &[LineIndex<'_>],
    variables: &BTreeMap<String, (&str, u32)>,
    locals: &BTreeMap<String, usize>,
) -> Vec<Diagnostic> {
    /// The references to names not declared, as found: most modules have
    /// none, so nothing is allocated for those that are.
    struct Found<'m, 'v> {
        variables: &'m BTreeMap<String, (&'v str, u32)>,
        locals: &'m BTreeMap<String, usize>,
        unknown: Vec<(&'static str, String, Option<Range<usize>>)>,
    }
    impl hcl_edit::visit::Visit for Found<'_, '_> {
        fn visit_traversal(&mut self, node: &hcl_edit::expr::Traversal) {
            if let Expression::Variable(root) = &node.expr
                && let Some(TraversalOperator::GetAttr(name)) =
                    node.operators.first().map(|o| o.value())
            {
                let name = name.as_str();
                let kind = match root.as_str() {
                    "var" if !self.variables.contains_key(name) => Some("var"),
                    "local" if !self.locals.contains_key(name) => Some("local"),
                    _ => None,
                };
                if let Some(kind) = kind {
                    self.unknown.push((kind, name.to_owned(), node.span()));
                }
            }
            hcl_edit::visit::visit_traversal(self, node);
        }
    }
    let mut diagnostics = Vec::new();
    for (&(file, _, body), lines) in files.iter().zip(indexes) {
        let mut found = Found {
            variables,
            locals,
            unknown: Vec::new(),
        };
        hcl_edit::visit::Visit::visit_body(&mut found, body);
        for (kind, name, span) in found.unknown {
            let what = if kind == "var" {
                "no `variable` block declares it"
            } else {
                "no `locals` block defines it"
            };
            diagnostics.push(warning_at(
                file,
                lines,
                span,
                format!("`{kind}.{name}`: {what}, so its value is unknown"),
            ));
        }
    }
    diagnostics
}

/// The names an expression refers to as `ROOT.<name>`: `var.x` → `x`
/// for `var`, `local.y` → `y` for `local`.
struct NamesUnder {
    root: &'static str,
    names: std::collections::BTreeSet<String>,
}

impl NamesUnder {
    fn of(root: &'static str, expr: &Expression) -> std::collections::BTreeSet<String> {
        let mut found = NamesUnder {
            root,
            names: Default::default(),
        };
        hcl_edit::visit::Visit::visit_expr(&mut found, expr);
        found.names
    }
}

impl hcl_edit::visit::Visit for NamesUnder {
    fn visit_traversal(&mut self, node: &hcl_edit::expr::Traversal) {
        if let Expression::Variable(root) = &node.expr
            && root.as_str() == self.root
            && let Some(TraversalOperator::GetAttr(name)) =
                node.operators.first().map(|o| o.value())
        {
            self.names.insert(name.as_str().to_owned());
        }
        hcl_edit::visit::visit_traversal(self, node);
    }
}

impl ModuleContext {
    /// Where the variables an expression is computed from (directly or
    /// through locals) got their values, for those set from outside.
    fn origins_of(&self, expr: &Expression) -> Vec<RelatedLocation> {
        if self.variable_origins.is_empty() {
            return Vec::new();
        }
        /// The names of variables set from outside an expression uses,
        /// found as it is walked: only those are kept (every attribute of
        /// every instance is asked, and most use none).
        struct SetFromOutside<'c> {
            context: &'c ModuleContext,
            names: std::collections::BTreeSet<&'c str>,
        }
        impl hcl_edit::visit::Visit for SetFromOutside<'_> {
            fn visit_traversal(&mut self, node: &hcl_edit::expr::Traversal) {
                if let Expression::Variable(root) = &node.expr
                    && let Some(TraversalOperator::GetAttr(name)) =
                        node.operators.first().map(|o| o.value())
                {
                    let context = self.context;
                    match root.as_str() {
                        "var" => {
                            if let Some((name, _)) =
                                context.variable_origins.get_key_value(name.as_str())
                            {
                                self.names.insert(name);
                            }
                        }
                        "local" => {
                            for name in context
                                .local_variables
                                .get(name.as_str())
                                .into_iter()
                                .flatten()
                            {
                                if let Some((name, _)) =
                                    context.variable_origins.get_key_value(name)
                                {
                                    self.names.insert(name);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                hcl_edit::visit::visit_traversal(self, node);
            }
        }
        let mut found = SetFromOutside {
            context: self,
            names: Default::default(),
        };
        hcl_edit::visit::Visit::visit_expr(&mut found, expr);
        found
            .names
            .iter()
            .filter_map(|name| self.variable_origins.get(*name))
            .flatten()
            .cloned()
            .collect()
    }
}

/// The module outputs an expression reads: `module.logs.id` →
/// (`logs`, `id`), also through an instance (`module.sites["a"].id`).
#[derive(Default)]
struct OutputReads(std::collections::BTreeSet<(String, String)>);

impl hcl_edit::visit::Visit for OutputReads {
    fn visit_traversal(&mut self, node: &hcl_edit::expr::Traversal) {
        if let Expression::Variable(root) = &node.expr
            && root.as_str() == "module"
        {
            let mut operators = node.operators.iter().map(|o| o.value());
            if let Some(TraversalOperator::GetAttr(call)) = operators.next() {
                let output = operators.find_map(|o| match o {
                    TraversalOperator::GetAttr(name) => Some(name.as_str().to_owned()),
                    _ => None,
                });
                if let Some(output) = output {
                    self.0.insert((call.as_str().to_owned(), output));
                }
            }
        }
        hcl_edit::visit::visit_traversal(self, node);
    }
}

impl ModuleContext {
    /// The module's `output` values, evaluated in this instance (its
    /// variables, locals and the outputs of the modules it calls), and a
    /// warning at each call in them that Terraform refuses.
    pub fn outputs<'a>(
        &self,
        files: impl IntoIterator<Item = (&'a str, &'a str, &'a Body)>,
    ) -> (Map<String, Value>, Vec<Diagnostic>) {
        let mut outputs = Map::new();
        let mut diagnostics = Vec::new();
        for (file, text, body) in files {
            let budget = std::cell::Cell::new(MAX_EVALUATED_NODES);
            let refused = Refused::default();
            let evaluator = Evaluator::new(text, self, &budget).reporting(&refused);
            for block in body.blocks().filter(|b| b.ident.as_str() == "output") {
                let (Some(name), Some(value)) = (
                    block.labels.first().map(label_text),
                    block.body.get_attribute("value"),
                ) else {
                    continue;
                };
                outputs.insert(name, evaluator.value(&value.value));
            }
            if !refused.borrow().is_empty() {
                let lines = LineIndex::new(text);
                refused_calls(refused, file, &lines, &mut diagnostics);
            }
        }
        (outputs, diagnostics)
    }
}

/// The addresses of the blocks an expression refers to:
/// `aws_s3_bucket.logs.id` → `aws_s3_bucket.logs`,
/// `data.aws_iam_policy_document.p.json` → `data.aws_iam_policy_document.p`,
/// `module.vpc.id` → `module.vpc`.
#[derive(Default)]
struct References(std::collections::BTreeSet<String>);

impl hcl_edit::visit::Visit for References {
    fn visit_traversal(&mut self, node: &hcl_edit::expr::Traversal) {
        if let Expression::Variable(root) = &node.expr {
            let names: Vec<&str> = node
                .operators
                .iter()
                .map_while(|o| match o.value() {
                    TraversalOperator::GetAttr(name) => Some(name.as_str()),
                    _ => None,
                })
                .take(2)
                .collect();
            let address = match (root.as_str(), names.as_slice()) {
                ("var" | "local" | "each" | "count" | "path" | "self" | "terraform", _) => None,
                ("data", [kind, name, ..]) => Some(format!("data.{kind}.{name}")),
                ("module", [name, ..]) => Some(format!("module.{name}")),
                (kind, [name, ..]) => Some(format!("{kind}.{name}")),
                _ => None,
            };
            self.0.extend(address);
        }
        hcl_edit::visit::visit_traversal(self, node);
    }
}

/// The address of a `resource`, `data` or `module` block.
fn block_address(block: &Block) -> Option<String> {
    let labels: Vec<String> = block.labels.iter().map(label_text).collect();
    match (block.ident.as_str(), labels.as_slice()) {
        ("resource", [kind, name, ..]) => Some(format!("{kind}.{name}")),
        ("data", [kind, name, ..]) => Some(format!("data.{kind}.{name}")),
        ("module", [name, ..]) => Some(format!("module.{name}")),
        _ => None,
    }
}

/// One step of evaluating locals: the local, or why it cannot be.
struct Step {
    local: usize,
    /// The cycle it is part of (names in order), if any.
    cycle: Option<Vec<usize>>,
}

/// Locals in dependency order (each after what it uses), by an iterative
/// depth-first search; those on a cycle are reported with the cycle.
fn evaluation_order(
    definitions: &[LocalDefinition<'_>],
    index: &BTreeMap<String, usize>,
) -> Vec<Step> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; definitions.len()];
    let mut on_cycle = vec![false; definitions.len()];
    let mut cycles: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut order = Vec::new();
    for &start in index.values() {
        if mark[start] != Mark::New {
            continue;
        }
        // (local, next dependency to look at)
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Open;
        while let Some(top) = path.last_mut() {
            let (local, next) = *top;
            if let Some(&dependency) = definitions[local].uses.get(next) {
                top.1 += 1;
                match mark[dependency] {
                    Mark::New => {
                        mark[dependency] = Mark::Open;
                        path.push((dependency, 0));
                    }
                    Mark::Open => {
                        // Everything on the path from `dependency` on.
                        let from = path.iter().position(|(l, _)| *l == dependency).unwrap_or(0);
                        let cycle: Vec<usize> = path[from..].iter().map(|(l, _)| *l).collect();
                        for &member in &cycle {
                            on_cycle[member] = true;
                            let mut rotated = cycle.clone();
                            let at = rotated.iter().position(|l| *l == member).unwrap_or(0);
                            rotated.rotate_left(at);
                            rotated.push(member);
                            cycles.entry(member).or_insert(rotated);
                        }
                    }
                    Mark::Done => {}
                }
            } else {
                mark[local] = Mark::Done;
                path.pop();
                // A local using one on a cycle cannot be evaluated either,
                // but that is not its own cycle: it stays an expression.
                order.push(local);
            }
        }
    }
    order
        .into_iter()
        .map(|local| Step {
            local,
            cycle: on_cycle[local].then(|| cycles.remove(&local).unwrap_or_default()),
        })
        .collect()
}

/// Nodes of a value: each scalar, array and object counts one.
fn value_nodes(value: &Value) -> usize {
    value_nodes_within(value, usize::MAX).unwrap_or(usize::MAX)
}

/// [`value_nodes`], or `None` as soon as there are more than `limit`.
fn value_nodes_within(value: &Value, limit: usize) -> Option<usize> {
    let mut count = 0;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        count += 1;
        if count > limit {
            return None;
        }
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => pending.extend(map.values()),
            Value::String(s) => count += s.len() / 64,
            _ => {}
        }
        if count > limit {
            return None;
        }
    }
    Some(count)
}

/// Turns HCL expressions into JSON, resolving what is static.
#[derive(Clone)]
struct Evaluator<'a> {
    text: &'a str,
    context: &'a ModuleContext,
    /// Nodes that may still be copied out of variables and locals
    /// ([`MAX_EVALUATED_NODES`] per file or module).
    budget: &'a std::cell::Cell<usize>,
    /// The names bound where the expression stands, innermost last: a
    /// repeated block's `count` (`{index}`) or `each` (`{key, value}`), a
    /// `dynamic` block's iterator (`{key, value}`), a `for` expression's
    /// key and value variables.
    bindings: Vec<(String, Value)>,
    /// How many `templatefile` calls deep the expression is.
    templates: usize,
    /// Where calls Terraform would refuse go (their span and why), when
    /// the caller reports them; see [`Evaluator::reporting`].
    refused: Option<&'a Refused>,
    /// Inside `try(…)` or `can(…)`, where a refused call is the point.
    guarded: bool,
}

/// Calls Terraform would refuse, by span, as an evaluator collects them.
type Refused = std::cell::RefCell<Vec<(Option<Range<usize>>, String)>>;

/// How deep `templatefile` calls nest (a template may call
/// `templatefile` itself).
const MAX_TEMPLATE_DEPTH: usize = 8;

/// One instance of a block with `count` or `for_each`.
#[derive(Debug, Clone, PartialEq)]
struct Instance {
    /// `count.index`.
    index: Option<usize>,
    /// `each.key` and `each.value`.
    each: Option<(Value, Value)>,
}

impl Instance {
    /// The address suffix: `[0]`, `["key"]`.
    fn key(&self) -> String {
        match (&self.index, &self.each) {
            (Some(index), _) => format!("[{index}]"),
            (None, Some((Value::String(key), _))) => format!("[{}]", Value::String(key.clone())),
            (None, Some((key, _))) => format!("[{key}]"),
            (None, None) => String::new(),
        }
    }
}

/// Most instances one `count` or `for_each` block is expanded into; a
/// block asking for more is one unexpanded resource and a warning.
pub const MAX_INSTANCES: usize = 1_000;

impl Instance {
    /// The name this instance binds: `count` (`count.index`) or `each`
    /// (`each.key`, `each.value`).
    fn binding(&self) -> (String, Value) {
        match (&self.index, &self.each) {
            (Some(index), _) => ("count".into(), serde_json::json!({ "index": index })),
            (None, Some((key, value))) => (
                "each".into(),
                serde_json::json!({ "key": key, "value": value }),
            ),
            (None, None) => ("each".into(), Value::Null),
        }
    }
}

impl<'a> Evaluator<'a> {
    fn new(text: &'a str, context: &'a ModuleContext, budget: &'a std::cell::Cell<usize>) -> Self {
        Evaluator {
            text,
            context,
            budget,
            bindings: Vec::new(),
            templates: 0,
            refused: None,
            guarded: false,
        }
    }

    /// The same evaluator, collecting into `refused` each call Terraform
    /// would refuse (a name that is no function, the wrong number or kind
    /// of arguments) outside `try`/`can`.
    fn reporting(mut self, refused: &'a Refused) -> Self {
        self.refused = Some(refused);
        self
    }

    /// The same evaluator with `name` bound to `value` (an instance's
    /// `each`, a `dynamic` iterator, a `for` variable).
    fn with_binding(&self, name: &str, value: Value) -> Evaluator<'a> {
        let mut inner = self.clone();
        inner.bindings.push((name.to_owned(), value));
        inner
    }

    /// What `name` is bound to, the innermost binding first.
    fn bound(&self, name: &str) -> Option<&Value> {
        self.bindings
            .iter()
            .rev()
            .find(|(bound, _)| bound == name)
            .map(|(_, value)| value)
    }

    /// Takes `nodes` from the budget; false (and the budget spent) when
    /// there are not that many left.
    fn charge(&self, value: &Value) -> bool {
        let left = self.budget.get();
        match value_nodes_within(value, left) {
            Some(nodes) => {
                self.budget.set(left - nodes);
                true
            }
            None => {
                self.budget.set(0);
                false
            }
        }
    }

    /// The expression's source text as an unresolved expression.
    fn unresolved(&self, span: Option<Range<usize>>) -> Value {
        let source = span
            .and_then(|s| self.text.get(s))
            .map(str::trim)
            .unwrap_or("?");
        Value::String(format!("${{{source}}}"))
    }

    fn value(&self, expr: &Expression) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => {
                let n = n.value();
                n.as_i64()
                    .map(Number::from)
                    .or_else(|| n.as_u64().map(Number::from))
                    .or_else(|| n.as_f64().and_then(Number::from_f64))
                    .map_or(Value::Null, Value::Number)
            }
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(items) => Value::Array(items.iter().map(|e| self.value(e)).collect()),
            Expression::Object(object) => {
                let mut map = Map::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        ObjectKey::Expression(e) => match self.value(e) {
                            Value::String(s) => s,
                            other => other.to_string(),
                        },
                    };
                    map.insert(key, self.value(value.expr()));
                }
                Value::Object(map)
            }
            Expression::StringTemplate(template) => self.template(template, expr.span()),
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template, expr.span()),
            Expression::Parenthesis(inner) => self.value(inner.inner()),
            Expression::Variable(name) => match self.bound(name.as_str()) {
                Some(value) if self.charge(value) => value.clone(),
                _ => self.unresolved(expr.span()),
            },
            Expression::ForExpr(for_expr) => self
                .for_expr(for_expr)
                .unwrap_or_else(|| self.unresolved(expr.span())),
            Expression::Traversal(traversal) => self
                .traversal(&traversal.expr, &traversal.operators)
                .unwrap_or_else(|| self.unresolved(expr.span())),
            Expression::FuncCall(call) => self
                .call(call, expr.span())
                .unwrap_or_else(|| self.unresolved(expr.span())),
            Expression::Conditional(conditional) => match self.value(&conditional.cond_expr) {
                Value::Bool(true) => self.value(&conditional.true_expr),
                Value::Bool(false) => self.value(&conditional.false_expr),
                _ => self.unresolved(expr.span()),
            },
            Expression::UnaryOp(op) => {
                let operand = self.value(&op.expr);
                match (op.operator.value(), &operand) {
                    (UnaryOperator::Not, Value::Bool(b)) => Value::Bool(!b),
                    (UnaryOperator::Neg, Value::Number(n)) => n
                        .as_f64()
                        .and_then(|n| Number::from_f64(-n))
                        .map(|n| integral(Value::Number(n)))
                        .unwrap_or_else(|| self.unresolved(expr.span())),
                    _ => self.unresolved(expr.span()),
                }
            }
            Expression::BinaryOp(op) => {
                let (lhs, rhs) = (self.value(&op.lhs_expr), self.value(&op.rhs_expr));
                if !is_known(&lhs) || !is_known(&rhs) {
                    return self.unresolved(expr.span());
                }
                binary(*op.operator.value(), &lhs, &rhs)
                    .unwrap_or_else(|| self.unresolved(expr.span()))
            }
        }
    }

    /// A call of a built-in function whose arguments are all known
    /// (`…` spreads the last one); the result is charged to the budget.
    fn call(&self, call: &hcl_edit::expr::FuncCall, span: Option<Range<usize>>) -> Option<Value> {
        if !call.name.namespace.is_empty() {
            return None; // a provider's function
        }
        let name = call.name.name.as_str();
        let mut args: Vec<Value> = if matches!(name, "try" | "can") && !self.guarded {
            let guarded = Evaluator {
                guarded: true,
                ..self.clone()
            };
            call.args.iter().map(|arg| guarded.value(arg)).collect()
        } else {
            call.args.iter().map(|arg| self.value(arg)).collect()
        };
        let spread = !call.args.expand_final()
            || match args.pop() {
                Some(Value::Array(items)) => {
                    args.extend(items);
                    true
                }
                _ => false,
            };
        if let Some(refused) = self.refused.filter(|_| !self.guarded)
            && spread
            && let Some(why) = super::terraform_functions::misuse(name, &args, is_known)
        {
            refused.borrow_mut().push((span, why));
            return None;
        }
        if !spread {
            return None;
        }
        let value = match name {
            // The first argument that is known; `can` is true for a known
            // value. Neither guesses about an unknown one.
            "try" => args.into_iter().find(is_known)?,
            "can" if is_known(args.first()?) => Value::Bool(true),
            "can" => return None,
            "file" | "fileexists" | "templatefile" => {
                if !args.iter().all(is_known) {
                    return None;
                }
                self.file_function(name, &args)?
            }
            _ => {
                if !args.iter().all(is_known) {
                    return None;
                }
                super::terraform_functions::call(name, &args)?
            }
        };
        self.charge(&value).then_some(value)
    }

    /// `file(path)`, `fileexists(path)` and `templatefile(path, vars)` on
    /// the files [`ModuleFiles`] allows; anything else (outside the tree,
    /// not a regular file, too large) stays unknown — never a guess, and
    /// `fileexists` is unknown too rather than a false `false`.
    fn file_function(&self, name: &str, args: &[Value]) -> Option<Value> {
        let files = self.context.files.as_ref()?;
        let path = args.first()?.as_str()?;
        match (name, args) {
            ("file", [_]) => Some(Value::String(files.read(path)?.to_string())),
            ("fileexists", [_]) => files.read(path).map(|_| Value::Bool(true)),
            ("templatefile", [_, Value::Object(vars)]) => {
                // A template that renders itself (or a chain of them)
                // stops here.
                if self.templates >= MAX_TEMPLATE_DEPTH {
                    return None;
                }
                let text = files.read(path)?;
                let template: Template = text.parse().ok()?;
                // A template sees only the variables it is given.
                let scope = ModuleContext {
                    files: self.context.files.clone(),
                    ..ModuleContext::default()
                };
                let mut inner = Evaluator::new(&text, &scope, self.budget);
                inner.templates = self.templates + 1;
                for (name, value) in vars {
                    inner = inner.with_binding(name, value.clone());
                }
                inner.render(&template).map(Value::String)
            }
            _ => None,
        }
    }

    /// A template whose every interpolation is static becomes its string;
    /// otherwise the template's text, whose `${…}` parts stay as written.
    fn template(&self, template: &Template, span: Option<Range<usize>>) -> Value {
        self.render(template)
            .map(Value::String)
            .unwrap_or_else(|| self.template_text(span))
    }

    /// The string a template makes, when every part of it is known:
    /// interpolations, `%{if}`/`%{else}` and `%{for}` directives (each
    /// loop element charged to the budget), and the `~` markers that strip
    /// the whitespace beside them.
    fn render(&self, template: &Template) -> Option<String> {
        let mut out = String::new();
        let mut strip_next = false;
        self.render_into(template, &mut out, &mut strip_next)?;
        Some(out)
    }

    fn render_into(
        &self,
        template: &Template,
        out: &mut String,
        strip_next: &mut bool,
    ) -> Option<()> {
        use hcl_edit::template::Directive;
        // `~` before a part trims the whitespace written just before it.
        fn strip_before(out: &mut String, strip: bool) {
            if strip {
                out.truncate(out.trim_end().len());
            }
        }
        for element in template.iter() {
            match element {
                Element::Literal(text) => {
                    let text = text.value();
                    let text = if std::mem::take(strip_next) {
                        text.trim_start()
                    } else {
                        text
                    };
                    out.push_str(text);
                }
                Element::Interpolation(interpolation) => {
                    strip_before(out, interpolation.strip.strip_start());
                    match self.value(&interpolation.expr) {
                        Value::String(s) if !s.contains("${") => out.push_str(&s),
                        Value::Number(n) => out.push_str(&n.to_string()),
                        Value::Bool(b) => out.push_str(&b.to_string()),
                        _ => return None,
                    }
                    *strip_next = interpolation.strip.strip_end();
                }
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(branch) => {
                        strip_before(out, branch.if_expr.strip.strip_start());
                        let chosen = match self.value(&branch.if_expr.cond_expr) {
                            Value::Bool(true) => {
                                Some((&branch.if_expr.template, branch.if_expr.strip))
                            }
                            Value::Bool(false) => branch
                                .else_expr
                                .as_ref()
                                .map(|otherwise| (&otherwise.template, otherwise.strip)),
                            _ => return None,
                        };
                        if let Some((inner, strip)) = chosen {
                            *strip_next = strip.strip_end();
                            self.render_into(inner, out, strip_next)?;
                        }
                        strip_before(out, branch.endif_expr.strip.strip_start());
                        *strip_next = branch.endif_expr.strip.strip_end();
                    }
                    Directive::For(each) => {
                        let head = &each.for_expr;
                        strip_before(out, head.strip.strip_start());
                        let elements = entries(self.value(&head.collection_expr))?;
                        for (key, value) in elements {
                            let left = self.budget.get();
                            if left == 0 {
                                return None;
                            }
                            self.budget.set(left - 1);
                            let mut inner = self.with_binding(head.value_var.as_str(), value);
                            if let Some(key_var) = &head.key_var {
                                inner = inner.with_binding(key_var.as_str(), key);
                            }
                            *strip_next = head.strip.strip_end();
                            inner.render_into(&head.template, out, strip_next)?;
                            strip_before(out, each.endfor_expr.strip.strip_start());
                        }
                        *strip_next = each.endfor_expr.strip.strip_end();
                    }
                },
            }
            if out.len() > super::terraform_functions::MAX_STRING {
                return None;
            }
        }
        Some(())
    }

    /// The text of a quoted template without its quotes (a heredoc as is).
    fn template_text(&self, span: Option<Range<usize>>) -> Value {
        let source = span.and_then(|s| self.text.get(s)).unwrap_or("?").trim();
        let inner = source
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(source);
        Value::String(inner.to_owned())
    }

    /// `var.x`, `local.y`, a bound name (`each.value.port`, `v.name`), or
    /// any expression, then its attribute, index and splat operators.
    fn traversal(
        &self,
        base: &Expression,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
    ) -> Option<Value> {
        let computed;
        let (start, rest): (&Value, _) = match base {
            Expression::Variable(root) => match self.bound(root.as_str()) {
                Some(value) => (value, operators),
                None => {
                    let (first, rest) = operators.split_first()?;
                    let TraversalOperator::GetAttr(name) = first.value() else {
                        return None;
                    };
                    let found = match (root.as_str(), name.as_str()) {
                        ("var", _) => self.context.variables.get(name.as_str())?,
                        ("local", _) => self.context.locals.get(name.as_str())?,
                        ("module", _) => self.context.module_outputs.get(name.as_str())?,
                        ("path", "module") => {
                            computed = Value::String(self.context.files.as_ref()?.path_module());
                            &computed
                        }
                        ("path", "root") if self.context.files.is_some() => {
                            computed = Value::String(".".to_owned());
                            &computed
                        }
                        _ => return None,
                    };
                    (found, rest)
                }
            },
            other => {
                computed = self.value(other);
                if !is_known(&computed) {
                    return None;
                }
                (&computed, operators)
            }
        };
        let value = self.select(start, rest)?;
        if value.as_str().is_some_and(|s| s.contains("${")) {
            return None;
        }
        Some(value)
    }

    /// What `operators` select from `found`. Only what they select is
    /// copied, and the budget is charged before copying, so an oversized
    /// value is never built.
    fn select(
        &self,
        found: &Value,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
    ) -> Option<Value> {
        let mut found = found;
        for (at, operator) in operators.iter().enumerate() {
            found = match operator.value() {
                TraversalOperator::GetAttr(key) => found.get(key.as_str())?,
                TraversalOperator::Index(index) => match self.value(index) {
                    Value::Number(n) => found.get(usize::try_from(n.as_u64()?).ok()?)?,
                    Value::String(s) => found.get(&s)?,
                    _ => return None,
                },
                TraversalOperator::LegacyIndex(index) => {
                    found.get(usize::try_from(*index.value()).ok()?)?
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    return self.splat(found, &operators[at..]);
                }
            };
        }
        if !self.charge(found) {
            return None;
        }
        Some(found.clone())
    }

    /// `list[*].name` (full splat: every following operator applies to
    /// each element) and `list.*.name` (attribute splat: only the
    /// attribute accesses that follow it). A value that is not a list is a
    /// list of itself, and `null` an empty list, as in Terraform.
    fn splat(
        &self,
        found: &Value,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
    ) -> Option<Value> {
        let (splat, rest) = operators.split_first()?;
        let per_element = match splat.value() {
            TraversalOperator::FullSplat(_) => rest.len(),
            _ => rest
                .iter()
                .take_while(|o| matches!(o.value(), TraversalOperator::GetAttr(_)))
                .count(),
        };
        let (each, after) = rest.split_at(per_element);
        let elements: &[Value] = match found {
            Value::Array(items) => items,
            Value::Null => &[],
            other => std::slice::from_ref(other),
        };
        let selected = elements
            .iter()
            .map(|element| self.select(element, each))
            .collect::<Option<Vec<_>>>()?;
        let selected = Value::Array(selected);
        if after.is_empty() {
            Some(selected)
        } else {
            self.select(&selected, after)
        }
    }

    /// A `for` expression over a known collection: a list
    /// (`[for v in …]`) or an object (`{for k, v in … : k => v}`, with
    /// `...` grouping), filtered by its `if`. Each element costs one unit
    /// of the budget before it is evaluated, so nested loops stay bounded.
    fn for_expr(&self, expr: &hcl_edit::expr::ForExpr) -> Option<Value> {
        let collection = self.value(&expr.intro.collection_expr);
        if !is_known(&collection) {
            return None;
        }
        let elements = entries(collection)?;
        let mut list = Vec::new();
        let mut object = Map::new();
        for (key, value) in elements {
            let left = self.budget.get();
            if left == 0 {
                return None;
            }
            self.budget.set(left - 1);
            let mut inner = self.with_binding(expr.intro.value_var.as_str(), value);
            if let Some(key_var) = &expr.intro.key_var {
                inner = inner.with_binding(key_var.as_str(), key);
            }
            if let Some(condition) = &expr.cond {
                match inner.value(&condition.expr) {
                    Value::Bool(true) => {}
                    Value::Bool(false) => continue,
                    _ => return None,
                }
            }
            let element = inner.value(&expr.value_expr);
            let Some(key_expr) = &expr.key_expr else {
                list.push(element);
                continue;
            };
            let key = match inner.value(key_expr) {
                Value::String(s) if !s.contains("${") => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            if expr.grouping {
                push_block(&mut object, key, element);
            } else if object.insert(key, element).is_some() {
                // Terraform refuses duplicate keys without `...`.
                return None;
            }
        }
        Some(if expr.key_expr.is_some() {
            Value::Object(object)
        } else {
            Value::Array(list)
        })
    }
}

/// What a `for`, `for_each` or `%{for}` iterates over a collection: for a
/// list, (index, element); for an object, (key, value). `None` for
/// anything else.
fn entries(collection: Value) -> Option<Vec<(Value, Value)>> {
    Some(match collection {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(index, item)| (Value::from(index), item))
            .collect(),
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| (Value::String(k), v))
            .collect(),
        _ => return None,
    })
}

/// Whether a value holds nothing unknown (no `${…}` text left in it).
fn is_known(value: &Value) -> bool {
    match value {
        Value::String(s) => !s.contains("${"),
        Value::Array(items) => items.iter().all(is_known),
        Value::Object(map) => map.values().all(is_known),
        _ => true,
    }
}

/// A number that is an integer, written as one (`2`, not `2.0`).
fn integral(value: Value) -> Value {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Value::from(n as i64),
        _ => value,
    }
}

/// A binary operation on known operands, as Terraform computes it.
fn binary(operator: BinaryOperator, lhs: &Value, rhs: &Value) -> Option<Value> {
    use BinaryOperator::*;
    let numbers = || Some((lhs.as_f64()?, rhs.as_f64()?));
    let arithmetic = |f: fn(f64, f64) -> f64| -> Option<Value> {
        let (a, b) = numbers()?;
        Number::from_f64(f(a, b)).map(|n| integral(Value::Number(n)))
    };
    Some(match operator {
        Eq => Value::Bool(lhs == rhs),
        NotEq => Value::Bool(lhs != rhs),
        And => Value::Bool(lhs.as_bool()? && rhs.as_bool()?),
        Or => Value::Bool(lhs.as_bool()? || rhs.as_bool()?),
        Less => Value::Bool(numbers().map(|(a, b)| a < b)?),
        LessEq => Value::Bool(numbers().map(|(a, b)| a <= b)?),
        Greater => Value::Bool(numbers().map(|(a, b)| a > b)?),
        GreaterEq => Value::Bool(numbers().map(|(a, b)| a >= b)?),
        Plus => arithmetic(|a, b| a + b)?,
        Minus => arithmetic(|a, b| a - b)?,
        Mul => arithmetic(|a, b| a * b)?,
        Div if numbers()?.1 != 0.0 => arithmetic(|a, b| a / b)?,
        Mod if numbers()?.1 != 0.0 => arithmetic(|a, b| a % b)?,
        Div | Mod => return None,
    })
}

fn label_text(label: &BlockLabel) -> String {
    match label {
        BlockLabel::Ident(ident) => ident.as_str().to_owned(),
        BlockLabel::String(s) => s.value().clone(),
    }
}

/// The resources of one `.tf` file.
///
/// ```
/// use rampart_core::inventory::terraform::{self, ModuleContext};
/// let text = "variable \"acl\" {\n  default = \"public-read\"\n}\n\nresource \"aws_s3_bucket_acl\" \"site\" {\n  bucket = aws_s3_bucket.site.id\n  acl    = var.acl\n}\n";
/// let body = terraform::parse(text).unwrap();
/// let context = ModuleContext::gather([("main.tf", text, &body)]);
/// let (resources, _diagnostics) = terraform::resources("main.tf", text, &body, &context);
/// assert_eq!(resources[0].id, "terraform:aws_s3_bucket_acl.site");
/// assert_eq!(resources[0].document["config"]["acl"], "public-read");
/// assert_eq!(resources[0].document["config"]["bucket"], "${aws_s3_bucket.site.id}");
/// assert_eq!(resources[0].spans.get("/config/acl").unwrap().start_line, 7);
/// ```
pub fn resources(
    source: &str,
    text: &str,
    body: &Body,
    context: &ModuleContext,
) -> (Vec<Resource>, Vec<Diagnostic>) {
    resources_indexed(source, text, body, &LineIndex::new(text), context)
}

/// [`resources`] with the file's line index built already: a file of a
/// module called a hundred times is indexed once, not per instance.
pub(crate) fn resources_indexed(
    source: &str,
    text: &str,
    body: &Body,
    lines: &LineIndex<'_>,
    context: &ModuleContext,
) -> (Vec<Resource>, Vec<Diagnostic>) {
    let budget = std::cell::Cell::new(MAX_EVALUATED_NODES);
    let refused = Refused::default();
    let evaluator = Evaluator::new(text, context, &budget).reporting(&refused);
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for block in body.blocks() {
        let kind = block.ident.as_str();
        if !RESOURCE_BLOCKS.contains(&kind) {
            continue;
        }
        let labels: Vec<String> = block.labels.iter().map(label_text).collect();
        let (type_name, name) = match (kind, labels.as_slice()) {
            ("resource" | "data", [t, n, ..]) => (Some(t.clone()), n.clone()),
            ("module", [n, ..]) => (None, n.clone()),
            ("provider", [p, ..]) => {
                let alias = block
                    .body
                    .get_attribute("alias")
                    .and_then(|a| a.value.as_str().map(str::to_owned));
                (Some(p.clone()), alias.unwrap_or_else(|| p.clone()))
            }
            _ => continue,
        };
        let address = match (kind, &type_name) {
            ("resource", Some(t)) => format!("{t}.{name}"),
            ("data", Some(t)) => format!("data.{t}.{name}"),
            ("module", _) => format!("module.{name}"),
            (_, Some(p)) if *p == name => format!("provider.{p}"),
            (_, Some(p)) => format!("provider.{p}.{name}"),
            _ => continue,
        };
        let instances = instances(kind, block, &evaluator, source, lines, &mut diagnostics);
        let base = address.clone();
        for instance in &instances {
            let evaluator = match instance {
                Some(instance) => {
                    let (name, value) = instance.binding();
                    evaluator.with_binding(&name, value)
                }
                None => evaluator.clone(),
            };
            let address = match instance {
                Some(instance) => format!("{address}{}", instance.key()),
                None => address.clone(),
            };
            let referrers = evaluator.context.referenced_by.get(&base);
            let mut resource = block_resource(
                source, kind, block, &type_name, &name, &address, &evaluator, lines, &mut seen,
            );
            if let (Some(referrers), Value::Object(document)) = (referrers, &mut resource.document)
            {
                let list = referrers.iter().cloned().map(Value::String).collect();
                document.insert("referenced_by".into(), Value::Array(list));
            }
            out.push(resource);
        }
    }
    refused_calls(refused, source, lines, &mut diagnostics);
    (out, diagnostics)
}

/// A warning at each call an evaluator found Terraform would refuse.
fn refused_calls(refused: Refused, file: &str, lines: &LineIndex<'_>, out: &mut Vec<Diagnostic>) {
    let mut calls = refused.into_inner();
    // A call inside a repeated block is found once per instance.
    calls.sort_by(|(a, why_a), (b, why_b)| {
        let at = |span: &Option<Range<usize>>| span.as_ref().map(|s| (s.start, s.end));
        (at(a), why_a).cmp(&(at(b), why_b))
    });
    calls.dedup();
    for (span, why) in calls {
        out.push(warning_at(
            file,
            lines,
            span,
            format!("{why}: Terraform refuses this call, and its value stays unknown"),
        ));
    }
}

/// The instances of a block: one per `count` index or `for_each` element
/// when that is known (none for `count = 0` or an empty collection), else
/// `[None]` — the block as written, its `count.index` and `each.*` left
/// unknown, never dropped.
fn instances(
    kind: &str,
    block: &Block,
    evaluator: &Evaluator<'_>,
    source: &str,
    lines: &LineIndex<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Option<Instance>> {
    if !matches!(kind, "resource" | "data" | "module") {
        return vec![None];
    }
    let (attribute, elements) = if let Some(count) = block.body.get_attribute("count") {
        let elements = match evaluator.value(&count.value).as_u64() {
            Some(n) => usize::try_from(n).ok().map(|n| {
                (0..n.min(MAX_INSTANCES + 1))
                    .map(|index| Instance {
                        index: Some(index),
                        each: None,
                    })
                    .collect::<Vec<_>>()
            }),
            None => None,
        };
        (count, elements)
    } else if let Some(for_each) = block.body.get_attribute("for_each") {
        let value = evaluator.value(&for_each.value);
        let elements = if !is_known(&value) {
            None
        } else {
            match value {
                Value::Object(map) => Some(
                    map.into_iter()
                        .take(MAX_INSTANCES + 1)
                        .map(|(key, value)| Instance {
                            index: None,
                            each: Some((Value::String(key), value)),
                        })
                        .collect::<Vec<_>>(),
                ),
                // A set of strings: each.key and each.value are the element.
                Value::Array(items) if items.iter().all(Value::is_string) => {
                    let mut items = items;
                    items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                    items.dedup();
                    Some(
                        items
                            .into_iter()
                            .take(MAX_INSTANCES + 1)
                            .map(|item| Instance {
                                index: None,
                                each: Some((item.clone(), item)),
                            })
                            .collect(),
                    )
                }
                _ => None,
            }
        };
        (for_each, elements)
    } else {
        return vec![None];
    };
    match elements {
        Some(elements) if elements.len() > MAX_INSTANCES => {
            diagnostics.push(warning_at(
                source,
                lines,
                attribute.span(),
                format!(
                    "`{}` asks for more than {MAX_INSTANCES} instances: the block is checked once, as written",
                    attribute.key.as_str()
                ),
            ));
            vec![None]
        }
        Some(elements) => elements.into_iter().map(Some).collect(),
        None => vec![None],
    }
}

/// One resource of a block (or of one instance of it).
#[allow(clippy::too_many_arguments)]
fn block_resource(
    source: &str,
    kind: &str,
    block: &Block,
    type_name: &Option<String>,
    name: &str,
    address: &str,
    evaluator: &Evaluator<'_>,
    lines: &LineIndex<'_>,
    seen: &mut BTreeMap<String, usize>,
) -> Resource {
    {
        let mut spans = SpanIndex::default();
        if let Some(region) = lines.region(block.span()) {
            spans.insert("", region);
        }
        for (index, label) in block.labels.iter().enumerate() {
            let pointer = match (kind, index) {
                ("resource" | "data" | "provider", 0) => "/type",
                (_, _) => "/name",
            };
            if let Some(region) = lines.region(label.span()) {
                spans.insert(pointer, region);
            }
        }
        let mut related: Vec<(String, RelatedLocation)> = evaluator
            .context
            .calls
            .iter()
            .map(|call| (String::new(), call.clone()))
            .collect();
        let config = body_value(
            &block.body,
            "/config",
            evaluator,
            lines,
            &mut spans,
            &mut related,
        );
        if let Some(region) = lines.region(block.body.span()) {
            spans.insert("/config", region);
        }
        let mut document = Map::new();
        document.insert("block".into(), Value::String(kind.to_owned()));
        document.insert(
            "type".into(),
            type_name.clone().map_or(Value::Null, Value::String),
        );
        document.insert("name".into(), Value::String(name.to_owned()));
        document.insert("config".into(), config);
        let count = seen.entry(address.to_owned()).or_insert(0);
        *count += 1;
        let prefix = &evaluator.context.address_prefix;
        if let Some(module) = prefix.strip_suffix('.') {
            document.insert("module".into(), Value::String(module.to_owned()));
        }
        let id = if *count > 1 {
            format!("terraform:{prefix}{address}#{count}")
        } else {
            format!("terraform:{prefix}{address}")
        };
        let mut resource =
            Resource::new(KIND, id, source, Value::Object(document)).with_spans(spans);
        resource.related = related;
        resource
    }
}

/// A block body as JSON: attributes by name; nested blocks as arrays of
/// objects by type (a labelled nested block, such as `dynamic "ingress"`,
/// carries its labels in `_labels`).
fn body_value(
    body: &Body,
    pointer: &str,
    evaluator: &Evaluator<'_>,
    lines: &LineIndex<'_>,
    spans: &mut SpanIndex,
    related: &mut Vec<(String, RelatedLocation)>,
) -> Value {
    let mut map = Map::new();
    let mut block_counts: BTreeMap<String, usize> = BTreeMap::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let key = attribute.key.as_str();
                let here = format!("{pointer}/{}", escape_pointer_token(key));
                if let Some(region) = lines.region(attribute.span()) {
                    spans.insert(here.clone(), region);
                }
                expression_spans(&attribute.value, &here, lines, spans);
                for origin in evaluator.context.origins_of(&attribute.value) {
                    related.push((here.clone(), origin));
                }
                map.insert(key.to_owned(), evaluator.value(&attribute.value));
            }
            Structure::Block(block) => {
                // A `dynamic` block over a known collection is the blocks
                // it generates, each at its `content` block's lines.
                if block.ident.as_str() == "dynamic"
                    && let Some((label, generated)) = expand_dynamic(block, evaluator)
                {
                    for (element, content) in generated {
                        let index = block_counts.entry(label.clone()).or_insert(0);
                        let here = format!("{pointer}/{}/{index}", escape_pointer_token(&label));
                        *index += 1;
                        let value =
                            body_value(&content.body, &here, &element, lines, spans, related);
                        if let Some(region) = lines.region(content.span()) {
                            spans.insert(here, region);
                        }
                        push_block(&mut map, label.clone(), value);
                    }
                    continue;
                }
                let key = block.ident.as_str().to_owned();
                let index = block_counts.entry(key.clone()).or_insert(0);
                let here = format!("{pointer}/{}/{index}", escape_pointer_token(&key));
                *index += 1;
                let value = nested_block(block, &here, evaluator, lines, spans, related);
                if let Some(region) = lines.region(block.span()) {
                    spans.insert(here, region);
                }
                push_block(&mut map, key, value);
            }
        }
    }
    Value::Object(map)
}

/// Appends a nested block's value to the array of its type.
fn push_block(map: &mut Map<String, Value>, key: String, value: Value) {
    match map.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
        Value::Array(items) => items.push(value),
        // An attribute and a block of the same name: keep both.
        other => *other = Value::Array(vec![other.clone(), value]),
    }
}

/// A `dynamic "NAME"` block whose `for_each` is known, as the blocks it
/// generates: NAME, and for each element the evaluator that sees the
/// iterator (`NAME.key`/`NAME.value`, or the `iterator` attribute's name)
/// with the `content` block to evaluate. `None` when the collection is
/// unknown (or over [`MAX_INSTANCES`]): the block stays as written.
fn expand_dynamic<'a, 'b>(
    block: &'b Block,
    evaluator: &Evaluator<'a>,
) -> Option<(String, Vec<(Evaluator<'a>, &'b Block)>)> {
    let label = label_text(block.labels.first()?);
    let content = block
        .body
        .blocks()
        .find(|nested| nested.ident.as_str() == "content")?;
    let iterator = match block.body.get_attribute("iterator").map(|a| &a.value) {
        Some(Expression::Variable(name)) => name.as_str().to_owned(),
        Some(_) => return None,
        None => label.clone(),
    };
    let collection = evaluator.value(&block.body.get_attribute("for_each")?.value);
    if !is_known(&collection) {
        return None;
    }
    let elements = entries(collection)?;
    if elements.len() > MAX_INSTANCES {
        return None;
    }
    let generated = elements
        .into_iter()
        .map(|(key, value)| {
            let binding = serde_json::json!({ "key": key, "value": value });
            (evaluator.with_binding(&iterator, binding), content)
        })
        .collect();
    Some((label, generated))
}

fn nested_block(
    block: &Block,
    pointer: &str,
    evaluator: &Evaluator<'_>,
    lines: &LineIndex<'_>,
    spans: &mut SpanIndex,
    related: &mut Vec<(String, RelatedLocation)>,
) -> Value {
    let mut value = body_value(&block.body, pointer, evaluator, lines, spans, related);
    if !block.labels.is_empty()
        && let Value::Object(map) = &mut value
    {
        let labels = block
            .labels
            .iter()
            .map(|l| Value::String(label_text(l)))
            .collect();
        map.insert("_labels".into(), Value::Array(labels));
    }
    value
}

/// Spans for the items and members of array and object literals.
fn expression_spans(
    expr: &Expression,
    pointer: &str,
    lines: &LineIndex<'_>,
    spans: &mut SpanIndex,
) {
    match expr {
        Expression::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let here = format!("{pointer}/{i}");
                if let Some(region) = lines.region(item.span()) {
                    spans.insert(here.clone(), region);
                }
                expression_spans(item, &here, lines, spans);
            }
        }
        Expression::Object(object) => {
            for (key, value) in object.iter() {
                let name = match key {
                    ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                    ObjectKey::Expression(_) => continue,
                };
                let here = format!("{pointer}/{}", escape_pointer_token(&name));
                let start = key.span().map(|s| s.start);
                let end = value.expr().span().map(|s| s.end);
                if let (Some(start), Some(end)) = (start, end)
                    && let Some(region) = lines.region(Some(start..end))
                {
                    spans.insert(here.clone(), region);
                }
                expression_spans(value.expr(), &here, lines, spans);
            }
        }
        _ => {}
    }
}

/// Whether a parsed JSON document is Terraform JSON configuration
/// (`*.tf.json`): an object of Terraform's top-level block types.
pub fn is_json_configuration(value: &Value) -> bool {
    const TOP_LEVEL: &[&str] = &[
        "data",
        "locals",
        "module",
        "moved",
        "output",
        "provider",
        "resource",
        "terraform",
        "variable",
        "import",
        "check",
        "removed",
    ];
    value.as_object().is_some_and(|top| {
        !top.is_empty()
            && top
                .keys()
                .all(|k| TOP_LEVEL.contains(&k.as_str()) || k == "//")
    })
}

/// The resources of a `.tf.json` file. Values are JSON already; strings
/// with `${…}` are Terraform's own expression syntax and stay as written.
pub fn json_resources(source: &str, value: &Value, spans: &SpanIndex) -> Vec<Resource> {
    let mut out = Vec::new();
    let Some(top) = value.as_object() else {
        return out;
    };
    let typed = |block: &str| -> Vec<(String, String, String)> {
        let mut found = Vec::new();
        for (type_name, entries) in top
            .get(block)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (name, _) in entries.as_object().into_iter().flatten() {
                found.push((
                    type_name.clone(),
                    name.clone(),
                    format!(
                        "/{block}/{}/{}",
                        escape_pointer_token(type_name),
                        escape_pointer_token(name)
                    ),
                ));
            }
        }
        found
    };
    for block in ["resource", "data"] {
        for (type_name, name, pointer) in typed(block) {
            let config = value.pointer(&pointer).cloned().unwrap_or(Value::Null);
            let address = if block == "data" {
                format!("data.{type_name}.{name}")
            } else {
                format!("{type_name}.{name}")
            };
            out.push(json_resource(
                source,
                block,
                Some(type_name),
                name,
                address,
                config,
                spans,
                &pointer,
            ));
        }
    }
    for (name, config) in top
        .get("module")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let pointer = format!("/module/{}", escape_pointer_token(name));
        out.push(json_resource(
            source,
            "module",
            None,
            name.clone(),
            format!("module.{name}"),
            config.clone(),
            spans,
            &pointer,
        ));
    }
    for (provider, config) in top
        .get("provider")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        // `"provider": {"aws": {…}}` or `{"aws": [{…}, {"alias": …}]}`.
        let configs: Vec<(String, Value)> = match config {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("/{i}"), c.clone()))
                .collect(),
            other => vec![(String::new(), other.clone())],
        };
        for (suffix, config) in configs {
            let alias = config
                .get("alias")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let address = match &alias {
                Some(alias) => format!("provider.{provider}.{alias}"),
                None => format!("provider.{provider}"),
            };
            let pointer = format!("/provider/{}{suffix}", escape_pointer_token(provider));
            let name = alias.unwrap_or_else(|| provider.clone());
            out.push(json_resource(
                source,
                "provider",
                Some(provider.clone()),
                name,
                address,
                config,
                spans,
                &pointer,
            ));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn json_resource(
    source: &str,
    block: &str,
    type_name: Option<String>,
    name: String,
    address: String,
    config: Value,
    spans: &SpanIndex,
    pointer: &str,
) -> Resource {
    let mut index = SpanIndex::default();
    if let Some(region) = spans.get(pointer) {
        index.insert("", region);
    }
    index.graft("/config", &spans.subtree(pointer));
    let mut document = Map::new();
    document.insert("block".into(), Value::String(block.to_owned()));
    document.insert("type".into(), type_name.map_or(Value::Null, Value::String));
    document.insert("name".into(), Value::String(name));
    document.insert("config".into(), config);
    Resource::new(
        KIND,
        format!("terraform:{address}"),
        source,
        Value::Object(document),
    )
    .with_spans(index)
}

/// Whether a JSON document is a Terraform plan (`terraform show -json`).
pub fn is_plan(value: &Value) -> bool {
    value.get("format_version").is_some() && value.get("planned_values").is_some()
}

/// The resources of a plan: every resource of `planned_values`, child
/// modules included, with fully known values.
pub fn plan_resources(source: &str, value: &Value, spans: &SpanIndex) -> Vec<Resource> {
    let mut out = Vec::new();
    collect_plan_module(
        source,
        value.pointer("/planned_values/root_module"),
        "/planned_values/root_module",
        spans,
        &mut out,
    );
    out
}

fn collect_plan_module(
    source: &str,
    module: Option<&Value>,
    pointer: &str,
    spans: &SpanIndex,
    out: &mut Vec<Resource>,
) {
    let Some(module) = module else {
        return;
    };
    for (i, resource) in module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let here = format!("{pointer}/resources/{i}");
        let field = |key: &str| {
            resource
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let block = if field("mode") == "data" {
            "data"
        } else {
            "resource"
        };
        let mut index = SpanIndex::default();
        if let Some(region) = spans.get(&here) {
            index.insert("", region);
        }
        index.graft("/config", &spans.subtree(&format!("{here}/values")));
        let mut document = Map::new();
        document.insert("block".into(), Value::String(block.into()));
        document.insert("type".into(), Value::String(field("type")));
        document.insert("name".into(), Value::String(field("name")));
        document.insert("address".into(), Value::String(field("address")));
        document.insert(
            "config".into(),
            resource.get("values").cloned().unwrap_or(Value::Null),
        );
        out.push(
            Resource::new(
                KIND,
                format!("terraform:{}", field("address")),
                source,
                Value::Object(document),
            )
            .with_spans(index),
        );
    }
    for (i, child) in module
        .get("child_modules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        collect_plan_module(
            source,
            Some(child),
            &format!("{pointer}/child_modules/{i}"),
            spans,
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Vec<Resource> {
        let body = parse(text).unwrap();
        let context = ModuleContext::gather([("main.tf", text, &body)]);
        resources("main.tf", text, &body, &context).0
    }

    #[test]
    fn blocks_attributes_and_nested_blocks() {
        let text = r#"
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port = 443
    to_port   = 443
  }
  tags = { Team = "web", "cost-center" = 42 }
}
"#;
        let found = one(text);
        assert_eq!(found.len(), 1);
        let doc = &found[0].document;
        assert_eq!(doc["block"], "resource");
        assert_eq!(doc["type"], "aws_security_group");
        assert_eq!(doc["config"]["ingress"][1]["from_port"], 443);
        assert_eq!(doc["config"]["ingress"][0]["cidr_blocks"][0], "0.0.0.0/0");
        assert_eq!(doc["config"]["tags"]["cost-center"], 42);
        let line = |p: &str| found[0].spans.get(p).unwrap().start_line;
        assert_eq!(line(""), 2);
        assert_eq!(line("/config/ingress/0"), 4);
        assert_eq!(line("/config/ingress/1/from_port"), 10);
        assert_eq!(line("/config/ingress/0/cidr_blocks/0"), 7);
        assert_eq!(line("/config/tags/Team"), 13);
        let cidr = found[0]
            .spans
            .get("/config/ingress/0/cidr_blocks/0")
            .unwrap();
        assert_eq!((cidr.start_column, cidr.end_column), (20, 31));
    }

    #[test]
    fn variables_and_locals_resolve_and_the_rest_stays_an_expression() {
        let text = r#"
variable "env" { default = "prod" }
variable "ports" { default = [22, 80] }
variable "unset" {}
locals {
  name   = "${var.env}-logs"
  prefix = local.name
}
resource "aws_s3_bucket" "logs" {
  bucket = local.prefix
  port   = var.ports[0]
  kms    = aws_kms_key.logs.arn
  other  = var.unset
  mixed  = "arn:${aws_s3_bucket.x.id}/${var.env}"
  choose = var.env == "prod" ? true : false
  guess  = aws_s3_bucket.x.versioned ? "a" : "b"
  tags   = merge({ team = "core" }, { env = upper(var.env) })
  twice  = length(var.ports) * 2 + 1
  call   = upper(aws_s3_bucket.x.id)
  named  = format("%s-%d", var.env, var.ports[1])
  spread = max(var.ports...)
  safe   = try(var.ports[5], 443)
  maybe  = can(aws_s3_bucket.x.id)
}
"#;
        let found = one(text);
        let config = &found[0].document["config"];
        assert_eq!(config["bucket"], "prod-logs");
        assert_eq!(config["port"], 22);
        assert_eq!(config["kms"], "${aws_kms_key.logs.arn}");
        assert_eq!(config["other"], "${var.unset}");
        assert_eq!(config["mixed"], "arn:${aws_s3_bucket.x.id}/${var.env}");
        // Conditionals, operators and built-in functions over known values
        // are evaluated; over an unknown one they stay expressions.
        assert_eq!(config["choose"], true);
        assert_eq!(
            config["guess"],
            "${aws_s3_bucket.x.versioned ? \"a\" : \"b\"}"
        );
        assert_eq!(
            config["tags"],
            serde_json::json!({"team": "core", "env": "PROD"})
        );
        assert_eq!(config["twice"], 5);
        assert_eq!(config["call"], "${upper(aws_s3_bucket.x.id)}");
        assert_eq!(config["named"], "prod-80");
        assert_eq!(config["spread"], 80);
        assert_eq!(config["safe"], 443);
        assert_eq!(config["maybe"], "${can(aws_s3_bucket.x.id)}");
    }

    #[test]
    fn strings_built_by_functions_are_charged_to_the_budget() {
        // Each local joins the previous one twice: sizes double until the
        // 1 MiB cap of a function's string, then the budget runs out and
        // the rest stay expressions instead of taking gigabytes.
        let mut text = String::from(
            "locals {\n  l0 = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n",
        );
        for k in 1..400 {
            text.push_str(&format!(
                "  l{k} = join(\"\", [local.l{}, local.l{}])\n",
                k - 1,
                k - 1
            ));
        }
        text.push_str("}\nresource \"x\" \"y\" {\n  v = local.l399\n}\n");
        let found = one(&text);
        let value = found[0].document["config"]["v"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(value.starts_with("${"), "{}", value.len());
    }

    #[test]
    fn count_and_for_each_expand_into_instances() {
        let text = r#"
variable "names" { default = ["b", "a", "b"] }
variable "dbs" {
  default = {
    reports = { public = true }
    billing = { public = false }
  }
}
resource "aws_s3_bucket" "logs" {
  count  = 2
  bucket = "logs-${count.index}"
}
resource "aws_s3_bucket" "none" {
  count = 0
}
resource "aws_s3_bucket" "named" {
  for_each = toset(var.names)
  bucket   = each.key
}
resource "aws_db_instance" "db" {
  for_each            = var.dbs
  identifier          = each.key
  publicly_accessible = each.value.public
}
resource "aws_s3_bucket" "later" {
  count  = length(aws_s3_bucket.x.ids)
  bucket = "b-${count.index}"
}
"#;
        let found = one(text);
        let ids: Vec<&str> = found.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "terraform:aws_s3_bucket.logs[0]",
                "terraform:aws_s3_bucket.logs[1]",
                "terraform:aws_s3_bucket.named[\"a\"]",
                "terraform:aws_s3_bucket.named[\"b\"]",
                "terraform:aws_db_instance.db[\"billing\"]",
                "terraform:aws_db_instance.db[\"reports\"]",
                // Unknown count: the block as written, never dropped.
                "terraform:aws_s3_bucket.later",
            ]
        );
        assert_eq!(found[1].document["config"]["bucket"], "logs-1");
        assert_eq!(found[2].document["config"]["bucket"], "a");
        assert_eq!(found[5].document["config"]["publicly_accessible"], true);
        assert_eq!(found[6].document["config"]["bucket"], "b-${count.index}");
        // Every instance points at the block's lines.
        assert_eq!(
            found[5]
                .spans
                .get("/config/publicly_accessible")
                .unwrap()
                .start_line,
            23
        );
    }

    #[test]
    fn for_expressions_and_splats_evaluate_over_known_collections() {
        let text = r#"
variable "rules" {
  default = [
    { port = 22, cidr = "0.0.0.0/0" },
    { port = 443, cidr = "10.0.0.0/8" },
  ]
}
locals {
  ports   = [for r in var.rules : r.port]
  open    = [for r in var.rules : r.port if r.cidr == "0.0.0.0/0"]
  by_port = { for i, r in var.rules : tostring(r.port) => i }
  grouped = { for r in var.rules : r.cidr => r.port... }
  cidrs   = var.rules[*].cidr
  legacy  = var.rules.*.port
  first   = var.rules[*].port[0]
  none    = [for r in aws_instance.x.list : r]
  upper   = [for k, v in { b = "y", a = "x" } : "${k}=${upper(v)}"]
}
resource "x" "y" {
  ports   = local.ports
  open    = local.open
  by_port = local.by_port
  grouped = local.grouped
  cidrs   = local.cidrs
  legacy  = local.legacy
  first   = local.first
  none    = local.none
  upper   = local.upper
  single  = [for r in var.rules : r.port][1]
}
"#;
        let config = &one(text)[0].document["config"];
        assert_eq!(config["ports"], serde_json::json!([22, 443]));
        assert_eq!(config["open"], serde_json::json!([22]));
        assert_eq!(config["by_port"], serde_json::json!({"22": 0, "443": 1}));
        assert_eq!(
            config["grouped"],
            serde_json::json!({"0.0.0.0/0": [22], "10.0.0.0/8": [443]})
        );
        assert_eq!(
            config["cidrs"],
            serde_json::json!(["0.0.0.0/0", "10.0.0.0/8"])
        );
        assert_eq!(config["legacy"], serde_json::json!([22, 443]));
        // A full splat applies what follows to each element: `22[0]` is
        // an error in Terraform, so the value stays unknown.
        assert_eq!(config["first"], "${local.first}");
        // Over an unknown collection the loop stays as written.
        assert_eq!(config["none"], "${local.none}");
        assert_eq!(config["upper"], serde_json::json!(["a=X", "b=Y"]));
        assert_eq!(config["single"], 443);
    }

    #[test]
    fn template_directives_render_with_their_strip_markers() {
        let text = r#"
locals {
  names = ["a", "b"]
}
resource "x" "y" {
  loop    = "%{ for n in local.names }[${n}]%{ endfor }"
  keyed   = "%{ for i, n in local.names }${i}=${n};%{ endfor }"
  chosen  = "%{ if length(local.names) > 1 }many%{ else }one%{ endif }"
  other   = "%{ if false }a%{ else }b%{ endif }"
  none    = "<%{ if false }a%{ endif }>"
  strip   = "x %{~ if true ~} y %{~ endif ~} z"
  unknown = "%{ if aws_instance.x.on }a%{ endif }"
}
"#;
        let config = &one(text)[0].document["config"];
        assert_eq!(config["loop"], "[a][b]");
        assert_eq!(config["keyed"], "0=a;1=b;");
        assert_eq!(config["chosen"], "many");
        assert_eq!(config["other"], "b");
        assert_eq!(config["none"], "<>");
        assert_eq!(config["strip"], "xyz");
        // An unknown condition leaves the template as written.
        assert_eq!(config["unknown"], "%{ if aws_instance.x.on }a%{ endif }");
    }

    #[test]
    fn nested_for_expressions_stop_at_the_budget() {
        // 10^4 × 10^4 iterations would be 10^8 evaluations; the budget
        // stops them after 10^6 and the value stays unknown.
        let text = "locals {\n  big = [for i in range(10000) : [for j in range(10000) : j]]\n}\nresource \"x\" \"y\" {\n  v = local.big\n}\n";
        let config = &one(text)[0].document["config"];
        assert_eq!(config["v"], "${local.big}");
    }

    #[test]
    fn too_many_instances_are_one_resource_and_a_warning() {
        let text = "resource \"aws_s3_bucket\" \"many\" {\n  count = 5000\n}\n";
        let body = parse(text).unwrap();
        let context = ModuleContext::gather([("main.tf", text, &body)]);
        let (found, diagnostics) = resources("main.tf", text, &body, &context);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "terraform:aws_s3_bucket.many");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].level, Level::Warning);
        assert_eq!(diagnostics[0].region.map(|r| r.start_line), Some(2));
    }

    #[test]
    fn dynamic_blocks_expand_over_a_known_collection() {
        let text = r#"
variable "ports" { default = [22, 443] }
resource "aws_security_group" "web" {
  ingress {
    from_port = 80
  }
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  dynamic "egress" {
    for_each = { all = "-1" }
    iterator = rule
    content {
      protocol = rule.value
      note     = rule.key
    }
  }
  dynamic "tag" {
    for_each = aws_x.y.tags
    content {
      key = tag.key
    }
  }
}
"#;
        let found = one(text);
        let config = &found[0].document["config"];
        assert_eq!(config["ingress"][0]["from_port"], 80);
        assert_eq!(config["ingress"][1]["from_port"], 22);
        assert_eq!(config["ingress"][2]["from_port"], 443);
        assert_eq!(config["egress"][0]["protocol"], "-1");
        assert_eq!(config["egress"][0]["note"], "all");
        // Over an unknown collection the block stays as written.
        assert_eq!(config["dynamic"][0]["_labels"][0], "tag");
        assert_eq!(
            found[0]
                .spans
                .get("/config/ingress/2/from_port")
                .unwrap()
                .start_line,
            10
        );
    }

    #[test]
    fn ids_for_every_block_kind() {
        let text = "provider \"aws\" {}\nprovider \"aws\" {\n  alias = \"west\"\n}\nmodule \"vpc\" {\n  source = \"./vpc\"\n}\ndata \"aws_iam_policy_document\" \"p\" {}\nresource \"null_resource\" \"x\" {}\noutput \"o\" { value = 1 }\n";
        let ids: Vec<String> = one(text).into_iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            [
                "terraform:provider.aws",
                "terraform:provider.aws.west",
                "terraform:module.vpc",
                "terraform:data.aws_iam_policy_document.p",
                "terraform:null_resource.x",
            ]
        );
    }

    #[test]
    fn json_configuration_and_plans() {
        use crate::inventory::yaml::parse_documents;
        let text = "{\n  \"resource\": {\n    \"aws_s3_bucket\": {\n      \"logs\": {\n        \"acl\": \"public-read\"\n      }\n    }\n  },\n  \"provider\": {\"aws\": [{\"region\": \"eu-west-1\"}, {\"alias\": \"us\"}]}\n}\n";
        let doc = parse_documents(text).unwrap().remove(0);
        assert!(is_json_configuration(&doc.value));
        let found = json_resources("main.tf.json", &doc.value, &doc.spans);
        let ids: Vec<&str> = found.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "terraform:aws_s3_bucket.logs",
                "terraform:provider.aws",
                "terraform:provider.aws.us"
            ]
        );
        assert_eq!(found[0].document["config"]["acl"], "public-read");
        assert_eq!(found[0].spans.get("/config/acl").unwrap().start_line, 5);

        let plan = "{\"format_version\": \"1.2\",\n \"planned_values\": {\"root_module\": {\n  \"resources\": [{\"address\": \"aws_s3_bucket.b\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket\", \"name\": \"b\",\n    \"values\": {\"bucket\": \"b\",\n      \"acl\": \"private\"}}],\n  \"child_modules\": [{\"resources\": [{\"address\": \"module.m.aws_iam_user.u\", \"mode\": \"managed\", \"type\": \"aws_iam_user\", \"name\": \"u\", \"values\": {}}]}]}}}\n";
        let doc = parse_documents(plan).unwrap().remove(0);
        assert!(is_plan(&doc.value));
        let found = plan_resources("plan.json", &doc.value, &doc.spans);
        let ids: Vec<&str> = found.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "terraform:aws_s3_bucket.b",
                "terraform:module.m.aws_iam_user.u"
            ]
        );
        assert_eq!(found[0].document["config"]["acl"], "private");
        assert_eq!(found[0].spans.get("/config/acl").unwrap().start_line, 5);
    }

    /// Two locals listing each other twice once grew to 21.6 GB: a cycle
    /// is now a warning at each local's line, and what uses them stays an
    /// expression.
    #[test]
    fn cycles_among_locals_are_warnings_at_their_line() {
        let text = "locals {\n  a = [local.b, local.b]\n  b = [local.a, local.a]\n  c = \"x\"\n  d = local.a\n}\nresource \"x\" \"y\" {\n  v = local.d\n  w = local.c\n}\n";
        let body = parse(text).unwrap();
        let context = ModuleContext::gather([("main.tf", text, &body)]);
        let found: Vec<(u32, &str)> = context
            .diagnostics
            .iter()
            .map(|d| (d.region.map_or(0, |r| r.start_line), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    2,
                    "local `a` refers to itself (local.a → local.b → local.a): a cycle, left unevaluated"
                ),
                (
                    3,
                    "local `b` refers to itself (local.b → local.a → local.b): a cycle, left unevaluated"
                ),
            ]
        );
        let (resources, _) = resources("main.tf", text, &body, &context);
        assert_eq!(resources[0].document["config"]["v"], "${local.d}");
        assert_eq!(resources[0].document["config"]["w"], "x");
    }

    /// Locals that each double the previous one stop at the budget.
    #[test]
    fn doubling_locals_stop_at_the_node_budget() {
        let mut text = String::from("locals {\n  a0 = [1, 1]\n");
        for i in 1..40 {
            text.push_str(&format!("  a{i} = [local.a{0}, local.a{0}]\n", i - 1));
        }
        text.push_str("}\nresource \"x\" \"y\" {\n  v = local.a39\n  w = local.a3\n}\n");
        let body = parse(&text).unwrap();
        let context = ModuleContext::gather([("main.tf", text.as_str(), &body)]);
        assert!(
            context.diagnostics.iter().any(|d| d
                .message
                .contains("past the evaluation budget (1000000 values)")),
            "{:?}",
            context.diagnostics
        );
        let total: usize = context.locals.values().map(value_nodes).sum();
        assert!(total < 3 * MAX_EVALUATED_NODES, "{total}");
        let (resources, _) = resources("main.tf", &text, &body, &context);
        assert_eq!(resources[0].document["config"]["v"], "${local.a39}");
        assert_eq!(value_nodes(&resources[0].document["config"]["w"]), 31);
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let text = format!("a = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse(&text).unwrap_err();
        assert_eq!(err.message, "nesting deeper than 100 levels");
        assert_eq!((err.line(), err.column()), (1, 105));
        let heredoc = "a = <<EOT\n[[[[ ${[[1]]} \nEOT\nb = \"${\"${1}\"}\"\n";
        assert!(check_depth(heredoc, 4).is_ok());
        assert!(check_depth(heredoc, 3).is_err());
    }

    #[test]
    fn errors_carry_their_location() {
        let err = parse("resource \"a\" \"b\" {\n  x = \n}\n").unwrap_err();
        assert_eq!(err.line(), 2, "{err}");
    }
}
