//! Located input errors with Swedish messages.
//!
//! Every importer and form parser reports problems as [`InputError`]s that say *where* (file, row,
//! column or field) and *what* in Swedish, so that a user can fix the source and try again.

use std::fmt;

/// Where in an input a problem was found. All parts are optional; `Display` prints those present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub file: Option<String>,
    /// 1-based line or row number.
    pub row: Option<usize>,
    /// Column name or form field name.
    pub field: Option<String>,
}

impl Location {
    pub fn row(row: usize) -> Self {
        Location { row: Some(row), ..Default::default() }
    }
    pub fn field(field: impl Into<String>) -> Self {
        Location { field: Some(field.into()), ..Default::default() }
    }
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(format!("fil {file}"));
        }
        if let Some(row) = self.row {
            parts.push(format!("rad {row}"));
        }
        if let Some(field) = &self.field {
            parts.push(format!("fält {field}"));
        }
        write!(f, "{}", parts.join(", "))
    }
}

/// One problem in user input, with a Swedish message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub location: Location,
    pub message: String,
}

impl InputError {
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        InputError { location, message: message.into() }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = self.location.to_string();
        if loc.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{loc}: {}", self.message)
        }
    }
}

impl std::error::Error for InputError {}

/// All problems found in one input. An import with any error writes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InputErrors(pub Vec<InputError>);

impl InputErrors {
    pub fn with_file(mut self, file: &str) -> Self {
        for e in &mut self.0 {
            e.location.file = Some(file.to_string());
        }
        self
    }
}

impl From<InputError> for InputErrors {
    fn from(e: InputError) -> Self {
        InputErrors(vec![e])
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}
