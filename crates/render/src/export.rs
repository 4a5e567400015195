//! Spreadsheet export: XLSX for Excel users and CSV in the form Swedish Excel opens directly
//! (`;`-separated, UTF-8 with BOM, decimal comma).

pub use gnv_core::csvcell::neutralise_csv_cell;
use gnv_core::format;
use rust_xlsxwriter::{Format, Workbook};

/// One cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A decimal number with the number of decimals to show.
    Number(f64, usize),
    Integer(i64),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }

    /// The cell as text for CSV (Swedish decimal comma, no thousands separator so that Excel
    /// reads numbers as numbers); text that a spreadsheet would read as a formula is
    /// neutralised ([`neutralise_csv_cell`]).
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Text(s) => neutralise_csv_cell(s).into_owned(),
            Cell::Number(v, d) if v.is_finite() => format::round_half_away(*v, *d).replace('.', ","),
            Cell::Number(..) => String::new(),
            Cell::Integer(i) => i.to_string(),
            Cell::Empty => String::new(),
        }
    }

    /// The cell as display text (Swedish formatting with thousands separators).
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(v, d) => format::decimal(*v, *d),
            Cell::Integer(i) => format::integer(*i),
            Cell::Empty => String::new(),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(i: i64) -> Self {
        Cell::Integer(i)
    }
}

/// One worksheet: a header row and data rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Sheet name (Excel allows 31 characters; longer names are cut, forbidden characters
    /// replaced).
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Optional lines written above the header (title, source attribution).
    pub notes: Vec<String>,
}

impl Sheet {
    pub fn new(name: impl Into<String>, header: Vec<String>, rows: Vec<Vec<Cell>>) -> Self {
        Sheet { name: name.into(), header, rows, notes: Vec::new() }
    }
}

fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    let mut clean: String = name
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '-' } else { c })
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        clean = "Blad".to_string();
    }
    let base = clean.clone();
    let mut n = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&clean)) {
        let suffix = format!(" ({n})");
        clean = format!("{}{}", base.chars().take(31 - suffix.chars().count()).collect::<String>(), suffix);
        n += 1;
    }
    used.push(clean.clone());
    clean
}

/// Writes the sheets as an XLSX workbook. Numbers are real numbers with a Swedish-looking
/// display format; the header row is bold and frozen.
pub fn xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_italic();
    let mut used = Vec::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&s.name, &mut used)).map_err(|e| e.to_string())?;
        let mut row: u32 = 0;
        for note in &s.notes {
            ws.write_string_with_format(row, 0, note, &title).map_err(|e| e.to_string())?;
            row += 1;
        }
        if !s.notes.is_empty() {
            row += 1;
        }
        for (c, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, h, &bold).map_err(|e| e.to_string())?;
        }
        ws.set_freeze_panes(row + 1, 0).map_err(|e| e.to_string())?;
        row += 1;
        for r in &s.rows {
            for (c, cell) in r.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => ws.write_string(row, c, t).map(|_| ()),
                    Cell::Number(v, d) if v.is_finite() => {
                        let fmt = Format::new().set_num_format(if *d == 0 {
                            "# ##0".to_string()
                        } else {
                            format!("# ##0.{}", "0".repeat(*d))
                        });
                        ws.write_number_with_format(row, c, *v, &fmt).map(|_| ())
                    }
                    Cell::Integer(i) => ws
                        .write_number_with_format(row, c, *i as f64, &Format::new().set_num_format("# ##0"))
                        .map(|_| ()),
                    Cell::Number(..) | Cell::Empty => Ok(()),
                }
                .map_err(|e| e.to_string())?;
            }
            row += 1;
        }
        ws.autofit();
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

/// Writes one table as CSV for Swedish Excel: UTF-8 with BOM, `;` separator, CRLF line ends,
/// decimal comma.
pub fn csv(header: &[String], rows: &[Vec<Cell>]) -> String {
    let mut w =
        csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let _ = w.write_record(header.iter().map(|h| neutralise_csv_cell(h).into_owned()));
    for r in rows {
        let _ = w.write_record(r.iter().map(|c| c.csv_text()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_for_swedish_excel() {
        let out = csv(
            &["Kommun".into(), "Värde".into(), "Belopp".into()],
            &[
                vec!["Avesta".into(), Cell::Number(12.25, 1), Cell::Integer(1_894_630)],
                vec!["Säter; \"test\"".into(), Cell::Empty, Cell::Integer(-5)],
            ],
        );
        assert!(out.starts_with('\u{feff}'));
        let lines: Vec<&str> = out.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "Kommun;Värde;Belopp");
        assert_eq!(lines[1], "Avesta;12,3;1894630");
        assert_eq!(lines[2], "\"Säter; \"\"test\"\"\";;-5");
    }

    #[test]
    fn csv_neutralises_formulas() {
        let out = csv(
            &["Namn".into(), "Värde".into()],
            &[
                vec!["=HYPERLINK(\"http://x\";\"a\")".into(), Cell::Integer(-5)],
                vec!["=cmd|' /C calc'!A0".into(), Cell::text("-1,5")],
                vec!["@SUM(A1)".into(), Cell::Number(-2.5, 1)],
            ],
        );
        let lines: Vec<&str> = out.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\";\"\"a\"\")\";-5");
        assert_eq!(lines[2], "'=cmd|' /C calc'!A0;-1,5");
        assert_eq!(lines[3], "'@SUM(A1);-2,5");
    }

    #[test]
    fn display_uses_swedish_formatting() {
        assert_eq!(Cell::Integer(1_894_630).display(), "1 894 630");
        assert_eq!(Cell::Number(2.5, 1).display(), "2,5");
    }

    #[test]
    fn xlsx_is_a_zip_with_sheets() {
        let sheets = vec![
            Sheet::new("Översikt", vec!["A".into()], vec![vec![Cell::Integer(1)]]),
            Sheet::new("Översikt", vec!["B".into()], vec![vec!["x".into()]]),
            Sheet::new("En mycket lång rubrik som inte ryms i ett bladnamn", vec![], vec![]),
        ];
        let bytes = xlsx(&sheets).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }

    #[test]
    fn sheet_names_are_unique_and_valid() {
        let mut used = Vec::new();
        assert_eq!(sheet_name("a/b", &mut used), "a-b");
        assert_eq!(sheet_name("A-B", &mut used), "A-B (2)");
        assert_eq!(sheet_name(&"x".repeat(40), &mut used).chars().count(), 31);
    }
}
