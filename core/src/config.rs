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
//! ```
//!
//! Every key is documented in `docs/config.md`; `rampart config init` writes
//! a commented starter file.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
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
    /// `YYYY-MM-DD`: from the day after, it no longer suppresses.
    pub expires: Option<String>,
    /// Its line in the file.
    pub line: u32,
}

/// A mistake in the configuration file, placed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong and what would be right.
    pub message: String,
}

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
            line: region.start_line,
            column: region.start_column,
            message,
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
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            message: format!("cannot read: {e}"),
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
        config.source = Some(path.to_owned());
        Ok(config)
    }

    /// Parses configuration text; `file` names it in errors.
    ///
    /// ```
    /// use rampart_core::config::Config;
    /// let config = Config::parse("fail-on: high\nrules:\n  K8S-010: {enabled: false}\n", "rampart.yaml").unwrap();
    /// assert_eq!(config.fail_on, Some(rampart_core::Severity::High));
    /// let err = Config::parse("fail-on: high\nfail_on: low\n", "rampart.yaml").unwrap_err();
    /// assert_eq!((err.line, err.column), (2, 1));
    /// assert!(err.message.contains("valid keys: fail-on, exclude"), "{}", err.message);
    /// ```
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        let mut documents = yaml::parse_documents(text).map_err(|e| ConfigError {
            file: file.to_owned(),
            line: e.line,
            column: e.column,
            message: format!("not valid YAML: {}", e.message),
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
        let top = reader.object(&document.value, "", "the configuration", TOP_KEYS)?;
        let mut config = Config::default();
        for (key, value) in top {
            let pointer = format!("/{key}");
            match key.as_str() {
                "fail-on" => config.fail_on = Some(reader.severity(value, &pointer, key)?),
                "exclude" => config.exclude = reader.string_list(value, &pointer, key)?,
                "policies" => {
                    config.policies = reader
                        .string_list(value, &pointer, key)?
                        .into_iter()
                        .map(PathBuf::from)
                        .collect()
                }
                "builtin" => config.builtin = Some(reader.bool(value, &pointer, key)?),
                "packs" => {
                    for (name, pack) in reader.object(value, &pointer, key, &[])? {
                        let here = format!("{pointer}/{}", escape_pointer_token(name));
                        let fields = reader.object(
                            pack,
                            &here,
                            &format!("packs.{name}"),
                            &["enabled", "settings"],
                        )?;
                        let enabled = match fields.get("enabled") {
                            Some(v) => reader.bool(v, &format!("{here}/enabled"), "enabled")?,
                            None => true,
                        };
                        let settings = match fields.get("settings") {
                            Some(v) => {
                                reader.object(v, &format!("{here}/settings"), "settings", &[])?;
                                v.clone()
                            }
                            None => Value::Object(Default::default()),
                        };
                        config
                            .packs
                            .insert(name.clone(), PackConfig { enabled, settings });
                    }
                }
                "rules" => {
                    for (id, rule) in reader.object(value, &pointer, key, &[])? {
                        let here = format!("{pointer}/{}", escape_pointer_token(id));
                        let fields = reader.object(
                            rule,
                            &here,
                            &format!("rules.{id}"),
                            &["enabled", "severity"],
                        )?;
                        let mut entry = RuleConfig::default();
                        if let Some(v) = fields.get("enabled") {
                            entry.enabled =
                                Some(reader.bool(v, &format!("{here}/enabled"), "enabled")?);
                        }
                        if let Some(v) = fields.get("severity") {
                            entry.severity = Some(reader.severity(
                                v,
                                &format!("{here}/severity"),
                                "severity",
                            )?);
                        }
                        config.rules.insert(id.clone(), entry);
                    }
                }
                "suppressions" => {
                    let items = value.as_array().ok_or_else(|| {
                        reader.error(&pointer, "`suppressions` must be a list".to_owned())
                    })?;
                    for (k, item) in items.iter().enumerate() {
                        let here = format!("{pointer}/{k}");
                        let fields = reader.object(
                            item,
                            &here,
                            "suppressions[]",
                            &["rule", "path", "reason", "expires"],
                        )?;
                        let required = |name: &str| {
                            fields.get(name).ok_or_else(|| {
                                reader.error(
                                    &here,
                                    format!("a suppression needs `{name}` (rule, reason; path and expires are optional)"),
                                )
                            })
                        };
                        let rule =
                            reader.string(required("rule")?, &format!("{here}/rule"), "rule")?;
                        let reason = reader.string(
                            required("reason")?,
                            &format!("{here}/reason"),
                            "reason",
                        )?;
                        if reason.trim().is_empty() {
                            return Err(reader.error(
                                &format!("{here}/reason"),
                                "`reason` must say why the finding is acceptable".to_owned(),
                            ));
                        }
                        let path = fields
                            .get("path")
                            .map(|v| reader.string(v, &format!("{here}/path"), "path"))
                            .transpose()?;
                        if let Some(glob) = &path {
                            globset::Glob::new(glob).map_err(|e| {
                                reader.error(&format!("{here}/path"), format!("invalid glob: {e}"))
                            })?;
                        }
                        let expires = fields
                            .get("expires")
                            .map(|v| {
                                let text = v
                                    .as_str()
                                    .map(str::to_owned)
                                    .unwrap_or_else(|| v.to_string());
                                if is_date(&text) {
                                    Ok(text)
                                } else {
                                    Err(reader.error(
                                        &format!("{here}/expires"),
                                        "`expires` must be a date: YYYY-MM-DD".to_owned(),
                                    ))
                                }
                            })
                            .transpose()?;
                        let line = document.spans.get(&here).map_or(1, |r| r.start_line);
                        config.suppressions.push(ConfigSuppression {
                            rule,
                            path,
                            reason,
                            expires,
                            line,
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(config)
    }

    /// Applies the rule settings and suppressions to located findings of one
    /// scan: drops findings of disabled rules, replaces severities, marks
    /// suppressed findings. Returns warnings for expired suppressions.
    /// `today` is `YYYY-MM-DD`.
    pub fn apply(&self, findings: &mut Vec<Finding>, today: &str) -> Vec<Diagnostic> {
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
            if let Some(expires) = &suppression.expires
                && expires.as_str() < today
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
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(k, b)| k == 4 || k == 7 || b.is_ascii_digit())
}

/// Today (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::advisories::db::format_time(now)[..10].to_owned()
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
            let err = Config::parse(text, "rampart.yaml").unwrap_err();
            assert_eq!(err.line, line, "{text:?}: {err}");
            assert!(err.message.contains(message), "{text:?}: {err}");
        }
    }

    #[test]
    fn the_starter_file_parses() {
        let config = Config::parse(STARTER, "rampart.yaml").unwrap();
        assert_eq!(config.fail_on, Some(Severity::High));
        assert_eq!(config.exclude, ["vendor/**"]);
    }
}
