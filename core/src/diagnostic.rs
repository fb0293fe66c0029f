//! Diagnostics: what went wrong around the findings — files that could not
//! be read or parsed, files skipped, policies that failed. They appear in
//! every report (SARIF tool notifications) and count toward the exit code.

use crate::resource::Region;
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing (e.g. a file skipped on purpose).
    Note,
    /// Something was not scanned as the user may expect.
    Warning,
    /// Something could not be scanned or evaluated: the result is incomplete.
    Error,
}

/// What kind of problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKind {
    /// A file's syntax is invalid.
    ParseError,
    /// A file was not read: binary, too large, a symlink.
    Skipped,
    /// A path could not be read (permissions, vanished, symlink loop).
    Io,
    /// A policy pack failed on a batch, or could not be loaded.
    PolicyError,
    /// Vulnerability data: the advisory database is missing, stale or
    /// lacks an ecosystem, or a record could not be evaluated.
    Advisories,
    /// A suppression that cannot apply (no reason given, expired).
    Suppression,
    /// A host could not be reached, or one of its files read.
    Host,
}

/// One diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Seriousness.
    pub level: Level,
    /// Kind of problem.
    pub kind: DiagnosticKind,
    /// The file (relative, `/`-separated), if one is concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Where in the file, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    /// What happened and, where possible, what to do.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about a file.
    pub fn file(
        level: Level,
        kind: DiagnosticKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level,
            kind,
            path: Some(path.into()),
            region: None,
            message: message.into(),
        }
    }

    /// A diagnostic about the scan as a whole.
    pub fn global(level: Level, kind: DiagnosticKind, message: impl Into<String>) -> Self {
        Diagnostic {
            level,
            kind,
            path: None,
            region: None,
            message: message.into(),
        }
    }

    /// Adds the region.
    pub fn at(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        write!(f, "{level}: ")?;
        if let Some(path) = &self.path {
            write!(f, "{path}")?;
            if let Some(region) = &self.region {
                write!(f, ":{}:{}", region.start_line, region.start_column)?;
            }
            write!(f, ": ")?;
        }
        f.write_str(&self.message)
    }
}
