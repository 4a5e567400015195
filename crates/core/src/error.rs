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
///
/// Shown to users capped: the first [`MAX_SHOWN`] problems, then "… och N fel till." (its
/// `Display` and [`InputErrors::lines`]), so a file with a million bad rows does not give a page
/// or terminal output of hundreds of megabytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InputErrors(pub Vec<InputError>);

/// How many problems of one input are shown.
pub const MAX_SHOWN: usize = 100;

impl InputErrors {
    /// The problems as lines for a page: the first [`MAX_SHOWN`], then "… och N fel till.".
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self.0.iter().take(MAX_SHOWN).map(|e| e.to_string()).collect();
        if self.0.len() > MAX_SHOWN {
            out.push(more_line(self.0.len() - MAX_SHOWN));
        }
        out
    }

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

/// "… och 1 fel till." / "… och 699 899 fel till."
pub fn more_line(n: usize) -> String {
    format!("… och {} fel till.", crate::format::integer(n as i64))
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().take(MAX_SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        if self.0.len() > MAX_SHOWN {
            write!(f, "\n{}", more_line(self.0.len() - MAX_SHOWN))?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

/// A single value that could not be read (an amount, a number, a date): the domain's parse
/// error, carrying its Swedish message unchanged. The caller adds where the value stood
/// ([`InputError`] with a [`Location`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub String);

impl ValueError {
    /// The Swedish message.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl From<ValueError> for String {
    fn from(e: ValueError) -> String {
        e.0
    }
}

/// Lets typed domain errors stand where a Swedish message is expected (`InputError::new`, a
/// page's message list): `impl From<E> for String` through the error's `Display`, which is the
/// message the user sees.
macro_rules! message_into_string {
    ($($error:ty),+ $(,)?) => {
        $(
            impl From<$error> for String {
                fn from(e: $error) -> String {
                    e.to_string()
                }
            }
        )+
    };
}
pub(crate) use message_into_string;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_error_lists_are_capped() {
        let errors = InputErrors((1..=250).map(|r| InputError::new(Location::row(r), "Fel.")).collect());
        let lines = errors.lines();
        assert_eq!(lines.len(), MAX_SHOWN + 1);
        assert_eq!(lines[0], "rad 1: Fel.");
        assert_eq!(lines[MAX_SHOWN], "… och 150 fel till.");
        let text = errors.to_string();
        assert_eq!(text.lines().count(), MAX_SHOWN + 1);
        assert!(text.ends_with("… och 150 fel till."));
        let few = InputErrors(vec![InputError::new(Location::row(2), "Fel.")]);
        assert_eq!(few.lines(), vec!["rad 2: Fel.".to_string()]);
    }
}
