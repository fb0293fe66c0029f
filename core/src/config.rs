//! `rampart.yaml`: the project's scan settings, read with spans so that a
//! mistake is reported at its line with the valid choices.
//!
//! ```yaml
//! fail-on: high                 # info | low | medium | high | critical
//! exclude: ["vendor/**", "**/testdata/**"]
//! policies: [policies/extra.wasm]   # relative to this file
//! builtin: true                 # use the built-in packs
//! packs:
//!   dockerfile: {enabled: false}
//!   kubernetes: {settings: {allowed-registries: [ghcr.io/acme]}}
//! rules:
//!   K8S-010: {enabled: false}
//!   DF-003: {severity: high}
//! suppressions:
//!   - rule: K8S-001
//!     path: deploy/agent/**       # optional glob; default: everywhere
//!     reason: the node agent needs privileged mode
//!     expires: 2027-06-30         # optional; expired entries stop suppressing
//! accept-skipped: ["fixtures/huge/**"]  # files that may go unscanned
//! ```
//!
//! Every key is documented in `docs/config.md`; `rampart config init` writes
//! a commented starter file.

use crate::diagnostic::{Diagnostic, DiagnosticKind, FileError, Level, ParseError};
use crate::finding::{Finding, Severity};
use crate::inventory::yaml;
use crate::resource::{Region, SpanIndex, escape_pointer_token};
use crate::suppress::{Suppression, SuppressionKind};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File names looked for at the scan root, in order.
pub const FILE_NAMES: &[&str] = &["rampart.yaml", ".rampart.yaml"];

const TOP_KEYS: &[&str] = &[
    "fail-on",
    "exclude",
    "policies",
    "builtin",
    "packs",
    "rules",
    "suppressions",
    "accept-skipped",
    "terraform",
];

/// A parsed configuration file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file it came from (for messages), if any.
    pub source: Option<PathBuf>,
    /// `fail-on`.
    pub fail_on: Option<Severity>,
    /// `exclude`: globs, gitignore syntax.
    pub exclude: Vec<String>,
    /// `policies`: extra packs, resolved against the file's directory.
    pub policies: Vec<PathBuf>,
    /// `builtin`.
    pub builtin: Option<bool>,
    /// `packs.<name>`.
    pub packs: BTreeMap<String, PackConfig>,
    /// `rules.<id>`.
    pub rules: BTreeMap<String, RuleConfig>,
    /// `suppressions[]`.
    pub suppressions: Vec<ConfigSuppression>,
    /// `accept-skipped`: globs of files that may go unscanned (over
    /// `--max-file-size`, not a regular file, out of time) without making
    /// the scan incomplete.
    pub accept_skipped: Vec<String>,
    /// `terraform.vars-files`: variable files every root module gets, as
    /// `--tf-vars` (before those), resolved against the file's directory.
    pub terraform_var_files: Vec<PathBuf>,
    /// `terraform.vars`: variable values, as `--tf-var NAME=VALUE`
    /// (before those); scalars as their text, lists and maps as JSON.
    pub terraform_vars: Vec<(String, String)>,
}

/// `packs.<name>`.
#[derive(Debug, Clone, PartialEq)]
pub struct PackConfig {
    /// `enabled` (default true).
    pub enabled: bool,
    /// `settings`: what the pack's `settings()` import returns.
    pub settings: Value,
}

/// `rules.<id>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleConfig {
    /// `enabled` (default true): a disabled rule's findings are dropped.
    pub enabled: Option<bool>,
    /// `severity`: replaces the severity of the rule's findings.
    pub severity: Option<Severity>,
}

/// `suppressions[]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigSuppression {
    /// Rule id (`all` for every rule).
    pub rule: String,
    /// Glob of paths it covers; `None`: every path.
    pub path: Option<String>,
    /// Why (mandatory).
    pub reason: String,
    /// From the day after, it no longer suppresses.
    pub expires: Option<jiff::civil::Date>,
    /// Its line in the file.
    pub line: u32,
}

/// Every mistake in a configuration file, in file order (one per line
/// when shown): fixing them should not take one run per mistake.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl From<ConfigError> for ConfigErrors {
    fn from(error: ConfigError) -> Self {
        ConfigErrors(vec![error])
    }
}

/// A mistake in the configuration file, placed: `file:line:column:
/// message` when shown.
pub type ConfigError = FileError;

struct Reader<'a> {
    file: String,
    spans: &'a SpanIndex,
}

impl Reader<'_> {
    fn error(&self, pointer: &str, message: String) -> ConfigError {
        let region = self
            .spans
            .resolve(pointer)
            .map(|(_, r)| r)
            .unwrap_or(Region::line(1, 1, 1));
        ConfigError {
            file: self.file.clone(),
            error: ParseError { region, message },
        }
    }

    fn object<'v>(
        &self,
        value: &'v Value,
        pointer: &str,
        name: &str,
        keys: &[&str],
    ) -> Result<&'v serde_json::Map<String, Value>, ConfigError> {
        let object = value
            .as_object()
            .ok_or_else(|| self.error(pointer, format!("`{name}` must be a mapping")))?;
        if !keys.is_empty() {
            for key in object.keys() {
                if !keys.contains(&key.as_str()) {
                    return Err(self.error(
                        &format!("{pointer}/{}", escape_pointer_token(key)),
                        format!(
                            "unknown key `{key}` in `{name}`; valid keys: {}",
                            keys.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(object)
    }

    fn string_list(
        &self,
        value: &Value,
        pointer: &str,
        name: &str,
    ) -> Result<Vec<String>, ConfigError> {
        let items = value
            .as_array()
            .ok_or_else(|| self.error(pointer, format!("`{name}` must be a list of strings")))?;
        items
            .iter()
            .enumerate()
            .map(|(k, item)| {
                item.as_str().map(str::to_owned).ok_or_else(|| {
                    self.error(
                        &format!("{pointer}/{k}"),
                        format!("`{name}` must be a list of strings"),
                    )
                })
            })
            .collect()
    }

    fn bool(&self, value: &Value, pointer: &str, name: &str) -> Result<bool, ConfigError> {
        value
            .as_bool()
            .ok_or_else(|| self.error(pointer, format!("`{name}` must be true or false")))
    }

    fn severity(&self, value: &Value, pointer: &str, name: &str) -> Result<Severity, ConfigError> {
        value.as_str().and_then(|s| s.parse().ok()).ok_or_else(|| {
            self.error(
                pointer,
                format!("`{name}` must be one of info, low, medium, high, critical"),
            )
        })
    }

    fn string(&self, value: &Value, pointer: &str, name: &str) -> Result<String, ConfigError> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.error(pointer, format!("`{name}` must be a string")))
    }

    /// `packs.<name>`.
    fn pack(&self, name: &str, pack: &Value, pointer: &str) -> Result<PackConfig, ConfigError> {
        let here = format!("{pointer}/{}", escape_pointer_token(name));
        let fields = self.object(
            pack,
            &here,
            &format!("packs.{name}"),
            &["enabled", "settings"],
        )?;
        let enabled = match fields.get("enabled") {
            Some(v) => self.bool(v, &format!("{here}/enabled"), "enabled")?,
            None => true,
        };
        let settings = match fields.get("settings") {
            Some(v) => {
                self.object(v, &format!("{here}/settings"), "settings", &[])?;
                v.clone()
            }
            None => Value::Object(Default::default()),
        };
        Ok(PackConfig { enabled, settings })
    }

    /// `rules.<id>`.
    fn rule(&self, id: &str, rule: &Value, pointer: &str) -> Result<RuleConfig, ConfigError> {
        let here = format!("{pointer}/{}", escape_pointer_token(id));
        let fields = self.object(
            rule,
            &here,
            &format!("rules.{id}"),
            &["enabled", "severity"],
        )?;
        let mut entry = RuleConfig::default();
        if let Some(v) = fields.get("enabled") {
            entry.enabled = Some(self.bool(v, &format!("{here}/enabled"), "enabled")?);
        }
        if let Some(v) = fields.get("severity") {
            entry.severity = Some(self.severity(v, &format!("{here}/severity"), "severity")?);
        }
        Ok(entry)
    }

    /// `terraform`: `vars-files` and `vars`.
    fn terraform(
        &self,
        value: &Value,
        pointer: &str,
        config: &mut Config,
    ) -> Result<(), ConfigError> {
        let fields = self.object(value, pointer, "terraform", &["vars-files", "vars"])?;
        if let Some(files) = fields.get("vars-files") {
            let here = format!("{pointer}/vars-files");
            config.terraform_var_files = self
                .string_list(files, &here, "vars-files")?
                .into_iter()
                .map(PathBuf::from)
                .collect();
        }
        if let Some(vars) = fields.get("vars") {
            let here = format!("{pointer}/vars");
            for (name, value) in self.object(vars, &here, "vars", &[])? {
                let text = match value {
                    Value::String(text) => text.clone(),
                    Value::Null => {
                        return Err(self.error(
                            &format!("{here}/{}", escape_pointer_token(name)),
                            format!("`vars.{name}` needs a value"),
                        ));
                    }
                    other => other.to_string(),
                };
                config.terraform_vars.push((name.clone(), text));
            }
        }
        Ok(())
    }

    /// `suppressions[k]`, at `here`.
    fn suppression(&self, item: &Value, here: &str) -> Result<ConfigSuppression, ConfigError> {
        let fields = self.object(
            item,
            here,
            "suppressions[]",
            &["rule", "path", "reason", "expires"],
        )?;
        let required = |name: &str| {
            fields.get(name).ok_or_else(|| {
                self.error(
                    here,
                    format!(
                        "a suppression needs `{name}` (rule, reason; path and expires are optional)"
                    ),
                )
            })
        };
        let rule = self.string(required("rule")?, &format!("{here}/rule"), "rule")?;
        let reason = self.string(required("reason")?, &format!("{here}/reason"), "reason")?;
        if reason.trim().is_empty() {
            return Err(self.error(
                &format!("{here}/reason"),
                "`reason` must say why the finding is acceptable".to_owned(),
            ));
        }
        let path = fields
            .get("path")
            .map(|v| self.string(v, &format!("{here}/path"), "path"))
            .transpose()?;
        if let Some(glob) = &path {
            globset::Glob::new(glob)
                .map_err(|e| self.error(&format!("{here}/path"), format!("invalid glob: {e}")))?;
        }
        let expires = fields
            .get("expires")
            .map(|v| {
                let text = v
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string());
                parse_date(&text).map_err(|why| {
                    self.error(
                        &format!("{here}/expires"),
                        format!("`expires` must be a date, YYYY-MM-DD: {why}"),
                    )
                })
            })
            .transpose()?;
        let line = self.spans.get(here).map_or(1, |r| r.start_line);
        Ok(ConfigSuppression {
            rule,
            path,
            reason,
            expires,
            line,
        })
    }
}

impl Config {
    /// The configuration file at the scan root, if there is one.
    pub fn find(root: &Path) -> Option<PathBuf> {
        let dir = if root.is_dir() { root } else { root.parent()? };
        FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file())
    }

    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
        let text = crate::read::read_text(
            path,
            crate::read::MAX_SMALL_FILE,
            crate::read::Links::Follow,
        )
        .map_err(|e| ConfigError {
            file: path.display().to_string(),
            error: ParseError::at(1, 1, crate::inventory::walk::reason(&e)),
        })?;
        let mut config = Config::parse(&text, &path.display().to_string())?;
        let base = path.parent().unwrap_or(Path::new("."));
        // Paths are relative to the file; pinned URLs stay as they are.
        config.policies = config
            .policies
            .iter()
            .map(|p| {
                if p.to_str()
                    .is_some_and(|s| s.starts_with("https://") || s.starts_with("http://"))
                {
                    p.clone()
                } else {
                    base.join(p)
                }
            })
            .collect();
        config.terraform_var_files = config
            .terraform_var_files
            .iter()
            .map(|p| base.join(p))
            .collect();
        config.source = Some(path.to_owned());
        Ok(config)
    }

    /// Parses configuration text; `file` names it in errors. Every mistake
    /// is reported, not only the first.
    ///
    /// ```
    /// use rampart_core::config::Config;
    /// let config = Config::parse("fail-on: high\nrules:\n  K8S-010: {enabled: false}\n", "rampart.yaml").unwrap();
    /// assert_eq!(config.fail_on, Some(rampart_core::Severity::High));
    /// let errors = Config::parse("fail-on: high\nfail_on: low\nbuiltin: maybe\n", "rampart.yaml").unwrap_err();
    /// assert_eq!(errors.0.len(), 2);
    /// assert_eq!((errors.0[0].error.line(), errors.0[0].error.column()), (2, 1));
    /// assert!(errors.0[0].error.message.contains("valid keys: fail-on, exclude"), "{}", errors.0[0]);
    /// assert_eq!(errors.0[1].error.line(), 3);
    /// ```
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigErrors> {
        let mut documents = yaml::parse_documents(text).map_err(|e| ConfigError {
            file: file.to_owned(),
            error: ParseError {
                message: format!("not valid YAML: {}", e.message),
                region: e.region,
            },
        })?;
        if documents.is_empty() {
            return Ok(Config::default());
        }
        let document = documents.swap_remove(0);
        let reader = Reader {
            file: file.to_owned(),
            spans: &document.spans,
        };
        if document.value.is_null() {
            return Ok(Config::default());
        }
        let top = document
            .value
            .as_object()
            .ok_or_else(|| reader.error("", "`the configuration` must be a mapping".to_owned()))?;
        let mut config = Config::default();
        let mut errors = Vec::new();
        for (key, value) in top {
            let pointer = format!("/{}", escape_pointer_token(key));
            let result = match key.as_str() {
                "fail-on" => reader
                    .severity(value, &pointer, key)
                    .map(|s| config.fail_on = Some(s)),
                "exclude" => reader
                    .string_list(value, &pointer, key)
                    .map(|list| config.exclude = list),
                "policies" => reader
                    .string_list(value, &pointer, key)
                    .map(|list| config.policies = list.into_iter().map(PathBuf::from).collect()),
                "builtin" => reader
                    .bool(value, &pointer, key)
                    .map(|b| config.builtin = Some(b)),
                "terraform" => reader.terraform(value, &pointer, &mut config),
                "accept-skipped" => reader.string_list(value, &pointer, key).and_then(|list| {
                    for (k, glob) in list.iter().enumerate() {
                        globset::Glob::new(glob).map_err(|e| {
                            reader.error(&format!("{pointer}/{k}"), format!("invalid glob: {e}"))
                        })?;
                    }
                    config.accept_skipped = list;
                    Ok(())
                }),
                "packs" => reader.object(value, &pointer, key, &[]).map(|packs| {
                    for (name, pack) in packs {
                        match reader.pack(name, pack, &pointer) {
                            Ok(pack) => {
                                config.packs.insert(name.clone(), pack);
                            }
                            Err(e) => errors.push(e),
                        }
                    }
                }),
                "rules" => reader.object(value, &pointer, key, &[]).map(|rules| {
                    for (id, rule) in rules {
                        match reader.rule(id, rule, &pointer) {
                            Ok(rule) => {
                                config.rules.insert(id.clone(), rule);
                            }
                            Err(e) => errors.push(e),
                        }
                    }
                }),
                "suppressions" => match value.as_array() {
                    None => Err(reader.error(&pointer, "`suppressions` must be a list".to_owned())),
                    Some(items) => {
                        for (k, item) in items.iter().enumerate() {
                            match reader.suppression(item, &format!("{pointer}/{k}")) {
                                Ok(suppression) => config.suppressions.push(suppression),
                                Err(e) => errors.push(e),
                            }
                        }
                        Ok(())
                    }
                },
                _ => Err(reader.error(
                    &pointer,
                    format!(
                        "unknown key `{key}` in `the configuration`; valid keys: {}",
                        TOP_KEYS.join(", ")
                    ),
                )),
            };
            if let Err(e) = result {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            errors.sort_by_key(|e| (e.error.line(), e.error.column()));
            Err(ConfigErrors(errors))
        }
    }

    /// Applies the rule settings and suppressions to located findings of one
    /// scan: drops findings of disabled rules, replaces severities, marks
    /// suppressed findings. Returns warnings for expired suppressions.
    pub fn apply(&self, findings: &mut Vec<Finding>, today: jiff::civil::Date) -> Vec<Diagnostic> {
        // Without rule settings there is nothing to drop or change, and
        // two passes over a large report's findings are a serial step.
        if !self.rules.is_empty() {
            findings.retain(|f| {
                self.rules
                    .get(&f.rule_id)
                    .and_then(|r| r.enabled)
                    .unwrap_or(true)
            });
            for finding in findings.iter_mut() {
                if let Some(severity) = self.rules.get(&finding.rule_id).and_then(|r| r.severity) {
                    finding.severity = severity;
                }
            }
        }
        let mut diagnostics = Vec::new();
        let file = self
            .source
            .as_ref()
            .map_or_else(|| "rampart.yaml".to_owned(), |p| p.display().to_string());
        for suppression in &self.suppressions {
            if let Some(expires) = suppression.expires
                && expires < today
            {
                diagnostics.push(
                    Diagnostic::file(
                        Level::Warning,
                        DiagnosticKind::Suppression,
                        file.clone(),
                        format!(
                            "the suppression of {} expired on {expires}: its findings count again; fix them or renew it with a new date",
                            suppression.rule
                        ),
                    )
                    .at(Region::line(suppression.line, 1, 1)),
                );
                continue;
            }
            let matcher = suppression
                .path
                .as_deref()
                .and_then(|g| globset::Glob::new(g).ok())
                .map(|g| g.compile_matcher());
            for finding in findings.iter_mut() {
                if finding.suppression.is_some() {
                    continue;
                }
                let rule = suppression.rule == "all"
                    || suppression.rule.eq_ignore_ascii_case(&finding.rule_id);
                let path = matcher.as_ref().is_none_or(|m| m.is_match(&finding.path));
                if rule && path {
                    finding.suppression = Some(Suppression {
                        kind: SuppressionKind::External,
                        justification: suppression.reason.clone(),
                    });
                }
            }
        }
        diagnostics
    }

    /// The settings and enablement of a pack.
    pub fn pack(&self, name: &str) -> Option<&PackConfig> {
        self.packs.get(name)
    }

    /// Downgrades to warnings the skipped-file errors that `accept-skipped`
    /// covers: the user said these files may go unscanned.
    pub fn accept_skipped(&self, diagnostics: &mut [Diagnostic]) {
        if self.accept_skipped.is_empty() {
            return;
        }
        let mut globs = globset::GlobSetBuilder::new();
        for glob in &self.accept_skipped {
            if let Ok(glob) = globset::Glob::new(glob) {
                globs.add(glob);
            }
        }
        let Ok(globs) = globs.build() else {
            return;
        };
        for diagnostic in diagnostics {
            if diagnostic.level == Level::Error
                && diagnostic.kind == DiagnosticKind::Skipped
                && diagnostic
                    .path
                    .as_deref()
                    .is_some_and(|p| globs.is_match(p))
            {
                diagnostic.level = Level::Warning;
                diagnostic
                    .message
                    .push_str(" [accepted: `accept-skipped` in rampart.yaml]");
            }
        }
    }
}

/// A calendar date, `YYYY-MM-DD`, that exists (`2099-02-30` does not).
fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(k, b)| {
            if k == 4 || k == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(format!("`{text}` is not of that form"));
    }
    jiff::civil::Date::strptime("%Y-%m-%d", text)
        .map_err(|_| format!("{text} is not a day of the calendar"))
}

/// Today, in UTC.
pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

/// A commented starter file (`rampart config init`).
pub const STARTER: &str = r#"# rampart configuration — every key is optional; see docs/config.md.

# Lowest severity that fails the scan (exit 1): info, low, medium, high, critical.
fail-on: high

# Paths to leave out (gitignore syntax), on top of .gitignore.
exclude:
  - "vendor/**"

# Extra policy packs (.wasm components or directories of them), relative to this file.
policies: []

# Use the built-in packs.
builtin: true

# Per pack: turn it off, or give it settings (its `settings()` import).
packs: {}
#  dockerfile:
#    enabled: false

# Per rule: turn it off, or change its severity.
rules: {}
#  K8S-010:
#    enabled: false
#  DF-003:
#    severity: high

# Accepted findings. `reason` is mandatory; `path` (a glob) and `expires`
# (YYYY-MM-DD, after which the finding counts again) are optional.
suppressions: []
#  - rule: K8S-001
#    path: deploy/agent/**
#    reason: the node agent needs privileged mode
#    expires: 2027-06-30

# Files that may go unscanned (over --max-file-size, not a regular file)
# without making the scan incomplete (exit 2). Globs of report paths.
accept-skipped: []
#  - "testdata/huge/**"

# Terraform variable values for every root module, under --tf-vars and
# --tf-var (the command line wins). Files are relative to this file.
# terraform:
#   vars-files: [env/prod.tfvars]
#   vars:
#     environment: prod
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_point_at_the_line_and_list_choices() {
        let cases = [
            ("fail-on: severe\n", 1, "must be one of info, low"),
            (
                "rules:\n  K8S-001:\n    enabld: false\n",
                3,
                "unknown key `enabld` in `rules.K8S-001`; valid keys: enabled, severity",
            ),
            ("exclude: vendor\n", 1, "must be a list of strings"),
            ("suppressions:\n  - rule: K8S-001\n", 2, "needs `reason`"),
            (
                "suppressions:\n  - rule: K8S-001\n    reason: ok\n    expires: soon\n",
                4,
                "YYYY-MM-DD",
            ),
            (
                "packs:\n  kubernetes:\n    enabled: maybe\n",
                3,
                "true or false",
            ),
            ("fail-on: [\n", 2, "not valid YAML"),
        ];
        for (text, line, message) in cases {
            let errors = Config::parse(text, "rampart.yaml").unwrap_err();
            let err = &errors.0[0];
            assert_eq!(err.error.line(), line, "{text:?}: {err}");
            assert!(err.error.message.contains(message), "{text:?}: {err}");
        }
    }

    /// Dates are checked against the calendar: the day must exist.
    #[test]
    fn expiry_dates_must_be_days_of_the_calendar() {
        let suppression = |date: &str| {
            format!("suppressions:\n  - rule: K8S-001\n    reason: ok\n    expires: {date}\n")
        };
        for bad in [
            "9999-99-99",
            "2099-02-30",
            "2020-13-45",
            "2027-6-30",
            "tomorrow",
        ] {
            let errors = Config::parse(&suppression(bad), "rampart.yaml").unwrap_err();
            assert_eq!(errors.0[0].error.line(), 4, "{bad}");
            assert!(
                errors.0[0]
                    .error
                    .message
                    .starts_with("`expires` must be a date, YYYY-MM-DD"),
                "{bad}: {errors}"
            );
        }
        let config = Config::parse(&suppression("2028-02-29"), "rampart.yaml").unwrap();
        assert_eq!(
            config.suppressions[0].expires,
            Some(jiff::civil::date(2028, 2, 29))
        );
    }

    /// Every mistake is reported, in file order.
    #[test]
    fn every_mistake_is_reported() {
        let text = "fail-on: severe\nexclude: vendor\nrules:\n  A: {enabld: 1}\n  B: {severity: bad}\nsuppressions:\n  - rule: X\n  - rule: Y\n    reason: ok\n    expires: 2020-13-45\n";
        let errors = Config::parse(text, "rampart.yaml").unwrap_err();
        let lines: Vec<u32> = errors.0.iter().map(|e| e.error.line()).collect();
        assert_eq!(lines, [1, 2, 4, 5, 7, 10], "{errors}");
        assert_eq!(errors.to_string().lines().count(), 6);
    }

    #[test]
    fn accepted_skips_become_warnings() {
        let config = Config::parse("accept-skipped: [\"big/**\"]\n", "rampart.yaml").unwrap();
        let mut diagnostics = vec![
            Diagnostic::file(
                Level::Error,
                DiagnosticKind::Skipped,
                "big/a.yaml",
                "not read: too large",
            ),
            Diagnostic::file(
                Level::Error,
                DiagnosticKind::Skipped,
                "small/a.yaml",
                "not read: too large",
            ),
            Diagnostic::file(
                Level::Error,
                DiagnosticKind::ParseError,
                "big/b.yaml",
                "invalid YAML",
            ),
        ];
        config.accept_skipped(&mut diagnostics);
        let levels: Vec<Level> = diagnostics.iter().map(|d| d.level).collect();
        assert_eq!(levels, [Level::Warning, Level::Error, Level::Error]);
        assert!(
            diagnostics[0]
                .message
                .ends_with("[accepted: `accept-skipped` in rampart.yaml]")
        );
    }

    #[test]
    fn the_starter_file_parses() {
        let config = Config::parse(STARTER, "rampart.yaml").unwrap();
        assert_eq!(config.fail_on, Some(Severity::High));
        assert_eq!(config.exclude, ["vendor/**"]);
    }
}
