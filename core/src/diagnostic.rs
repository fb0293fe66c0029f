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

/// Why a file could not be parsed, and where: what every parser of
/// untrusted text returns (HCL, YAML and JSON, Dockerfiles, lockfiles,
/// sshd and fleet files, the configuration), so that a parse failure
/// becomes a diagnostic at its region the same way whatever the format.
///
/// ```
/// use rampart_core::diagnostic::ParseError;
/// let error = ParseError::at(3, 7, "expected `=`");
/// assert_eq!(error.to_string(), "line 3, column 7: expected `=`");
/// assert_eq!((error.region.start_line, error.region.end_column), (3, 8));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {}, column {}: {message}", region.start_line, region.start_column)]
pub struct ParseError {
    /// Where: one character at the error when the parser knows the
    /// column, else the line's first.
    pub region: Region,
    /// What is wrong.
    pub message: String,
}

impl ParseError {
    /// An error at a 1-based line and column.
    pub fn at(line: u32, column: u32, message: impl Into<String>) -> Self {
        ParseError {
            region: Region::line(line, column, column.saturating_add(1)),
            message: message.into(),
        }
    }

    /// An error on a 1-based line whose column is not known.
    pub fn on_line(line: u32, message: impl Into<String>) -> Self {
        Self::at(line, 1, message)
    }

    /// The 1-based line.
    pub fn line(&self) -> u32 {
        self.region.start_line
    }

    /// The 1-based column.
    pub fn column(&self) -> u32 {
        self.region.start_column
    }
}

/// A [`ParseError`] in a named file, for errors that are not diagnostics
/// of a scan but stop a command (the configuration, an Ansible inventory):
/// written `file:line:column: message`, as compilers write theirs, or
/// `file: message` when the error has no line (line 0).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FileError {
    /// The file, as the user named it.
    pub file: String,
    /// What is wrong in it, and where.
    pub error: ParseError,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let region = &self.error.region;
        if region.start_line == 0 {
            write!(f, "{}: {}", self.file, self.error.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, region.start_line, region.start_column, self.error.message
            )
        }
    }
}
