//! Problems found in a spec, with where they were found.
//!
//! Every stage reports through these types instead of panicking, so that a caller (the CLI,
//! a build script, a test) can print them all at once and decide what to do.

mod locate;
mod render;

use std::fmt;
use std::path::{Path, PathBuf};

pub use render::{Style, render};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, located by file and JSON pointer into the document, and by line and column
/// where the source is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Option<PathBuf>,
    /// RFC 6901 pointer into the document; empty for the whole document.
    pub pointer: String,
    pub location: Option<Location>,
    pub message: String,
}

/// A position in the source text: 1-based line and column (in characters), and byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// Fills in the line and column of every diagnostic that has a pointer but no location yet.
pub fn locate(diagnostics: &mut [Diagnostic], source: &str) {
    let unlocated: Vec<usize> = (0..diagnostics.len())
        .filter(|&i| {
            diagnostics
                .get(i)
                .is_some_and(|d| d.location.is_none() && !d.pointer.is_empty())
        })
        .collect();
    if unlocated.is_empty() {
        return;
    }
    let pointers: Vec<&str> = unlocated
        .iter()
        .filter_map(|&i| diagnostics.get(i).map(|d| d.pointer.as_str()))
        .collect();
    let found = locate::locate_all(source, &pointers);
    for (index, location) in unlocated.into_iter().zip(found) {
        if let Some(diagnostic) = diagnostics.get_mut(index) {
            diagnostic.location = location;
        }
    }
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, pointer, message)
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, pointer, message)
    }

    fn new(severity: Severity, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity,
            file: None,
            pointer: pointer.into(),
            location: None,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: usize, column: usize, source: &str) -> Self {
        let line_start: usize = source
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let offset = (line_start + column.saturating_sub(1)).min(source.len());
        self.location = Some(Location {
            line,
            column,
            offset,
        });
        self
    }

    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.to_path_buf());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: ")?;
        match (&self.file, self.location) {
            (Some(file), Some(at)) => write!(f, "{}:{}:{}: ", file.display(), at.line, at.column)?,
            (Some(file), None) => write!(f, "{}: ", file.display())?,
            (None, Some(at)) => write!(f, "line {}, column {}: ", at.line, at.column)?,
            (None, None) => {}
        }
        if !self.pointer.is_empty() {
            write!(f, "at #{}: ", self.pointer)?;
        }
        f.write_str(&self.message)
    }
}

/// A failed run: at least one error, plus whatever warnings came before it.
#[derive(Debug)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub fn single(diagnostic: Diagnostic) -> Self {
        Self {
            diagnostics: vec![diagnostic],
        }
    }

    /// Under `--strict`: a run with warnings fails, with each warning as an error.
    pub fn deny_warnings(warnings: &[Diagnostic]) -> Result<(), Self> {
        if warnings.is_empty() {
            return Ok(());
        }
        let diagnostics = warnings
            .iter()
            .map(|warning| Diagnostic {
                severity: Severity::Error,
                ..warning.clone()
            })
            .collect();
        Err(Self { diagnostics })
    }

    pub(crate) fn in_file(mut self, file: &Path) -> Self {
        for diagnostic in &mut self.diagnostics {
            if diagnostic.file.is_none() {
                diagnostic.file = Some(file.to_path_buf());
            }
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.diagnostics.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Appends one segment to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
/// Appends a segment to a pointer kept in one buffer during a walk; returns the length to
/// truncate back to when leaving it. No allocation unless the buffer grows.
pub fn pointer_enter(pointer: &mut String, segment: &str) -> usize {
    let length = pointer.len();
    pointer.push('/');
    if !segment.contains(['~', '/']) {
        pointer.push_str(segment);
        return length;
    }
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
    length
}

pub fn pointer_push(pointer: &str, segment: &str) -> String {
    // Called for every schema and property the model visits, so built in one allocation.
    let mut pushed = String::with_capacity(pointer.len() + segment.len() + 1);
    pushed.push_str(pointer);
    pointer_enter(&mut pushed, segment);
    pushed
}
