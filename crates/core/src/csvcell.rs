//! CSV formula injection (OWASP "CSV Injection"): a spreadsheet program treats a cell beginning
//! with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so text from users (for
//! example an organisation named `=HYPERLINK(…)`) could run as one when an export is opened.
//! Every CSV export passes its text cells through [`neutralise_csv_cell`] (re-exported as
//! `gnv_render::export::neutralise_csv_cell`), which prefixes such a cell with `'`; numbers (also
//! negative ones, with decimal comma or point) stay numbers. Importers of our own CSV formats
//! undo it with [`restore_csv_cell`], so an exported file can be imported again.

use std::borrow::Cow;

fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Whether `s` is a plain number such as `-5`, `+1,5`, `-1 894 630` or `-0.25` (Excel reads it
/// as a number, not a formula).
fn is_number(s: &str) -> bool {
    let rest = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut digits = 0;
    let mut separators = 0;
    for c in rest.chars() {
        match c {
            '0'..='9' => digits += 1,
            ',' | '.' => separators += 1,
            ' ' | '\u{a0}' | '\u{202f}' => {}
            _ => return false,
        }
    }
    digits > 0 && separators <= 1 && rest.starts_with(|c: char| c.is_ascii_digit())
}

/// The text of a CSV cell made safe to open in a spreadsheet: a cell beginning with `=`, `+`,
/// `-`, `@`, tab or carriage return gets a leading `'` unless it is a plain number.
pub fn neutralise_csv_cell(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some(c) if is_trigger(c) && !is_number(s) => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// One `;`-separated CSV field for a hand-written CSV line: neutralised, and quoted when it
/// holds a separator, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    let s = neutralise_csv_cell(s);
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

/// Undoes [`neutralise_csv_cell`] on an imported cell: a leading `'` before a formula character
/// is removed.
pub fn restore_csv_cell(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(is_trigger) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for f in [
            "=HYPERLINK(\"http://x\";\"klicka\")",
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-",
            "+",
        ] {
            let n = neutralise_csv_cell(f);
            assert_eq!(n, format!("'{f}"), "{f:?}");
            assert_eq!(restore_csv_cell(&n), f);
        }
        for keep in ["Mora", "", "-5", "-1,5", "+2.25", "-1 894 630", "12", "'quoted", "Södra Dalarna"] {
            assert_eq!(neutralise_csv_cell(keep), keep, "{keep:?}");
        }
        assert_eq!(restore_csv_cell("'Mora"), "'Mora");
        assert_eq!(csv_field("=A;\"b\""), "\"'=A;\"\"b\"\"\"");
        assert_eq!(csv_field("Mora"), "Mora");
    }
}
