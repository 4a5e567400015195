//! Manually collected indicator values from CSV or XLSX.
//!
//! # Format
//!
//! One value per row; the first row names the columns (any order, case-insensitive):
//!
//! | column | content |
//! |---|---|
//! | `nyckeltal` | catalogue code, e.g. `4.3` |
//! | `organisation` | four-digit code, e.g. `2084` (Avesta), `0020` (Region Dalarna), `0000` (riket) |
//! | `år` (or `ar`) | the period, e.g. `2025` |
//! | `kön` (or `kon`, optional) | `T` (totalt, default when empty), `K` (kvinnor), `M` (män) |
//! | `värde` (or `varde`) | a number (`12,5` or `12.5`) or a Kolada missing-value code: `-` bortfall, `.` ej tillämplig, `..` sekretess |
//!
//! CSV is `;`-separated UTF-8 (a byte order mark is allowed); XLSX is read from the first sheet.
//! Empty rows are skipped. Every problem is reported with its row and column; nothing is
//! imported when there is any. A file has at most [`MAX_ROWS`] rows (more is refused before
//! anything is parsed, so a huge upload does not fill the memory).

use gnv_core::error::{InputError, InputErrors, Location};
use gnv_core::format::parse_decimal;
use gnv_core::nyckeltal::batch::ValueBatch;
use gnv_core::nyckeltal::{Catalogue, Gender, IndicatorCode, Period, Value};

/// A cell as read from CSV (text) or XLSX (text or number).
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
            Cell::Number(x) => x.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

const COLUMNS: [(&str, &[&str]); 5] = [
    ("nyckeltal", &["nyckeltal"]),
    ("organisation", &["organisation"]),
    ("år", &["år", "ar"]),
    ("kön", &["kön", "kon"]),
    ("värde", &["värde", "varde"]),
];

/// Parses rows (header first) into a validated batch. `first_row` is the 1-based row number
/// of the header in the source.
pub fn parse_rows(
    rows: Vec<Vec<Cell>>,
    catalogue: &Catalogue,
    file: &str,
) -> Result<ValueBatch, InputErrors> {
    let loc = |row: usize, field: &str| Location::row(row).with_file(file).with_field(field);
    let mut it = rows.into_iter();
    let header: Vec<String> = it.next().unwrap_or_default().iter().map(|c| c.text().to_lowercase()).collect();
    let mut idx = [None; 5];
    for (i, (_, names)) in COLUMNS.iter().enumerate() {
        idx[i] = header.iter().position(|h| names.contains(&h.trim_start_matches('\u{feff}')));
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(idx.iter())
        .filter(|((n, _), i)| i.is_none() && *n != "kön")
        .map(|((n, _), _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(InputError::new(
            Location::row(1).with_file(file),
            format!(
                "Rubrikraden saknar kolumnen {}. Kolumnerna ska vara nyckeltal;organisation;år;kön;värde.",
                missing.join(", ")
            ),
        )
        .into());
    }
    let mut batch = ValueBatch::new();
    batch.begin_document(file);
    let mut errors = Vec::new();
    for (n, row) in it.enumerate() {
        let r = n + 2;
        let get = |i: usize| idx[i].and_then(|c| row.get(c)).map(Cell::text).unwrap_or_default();
        if (0..5).all(|i| get(i).is_empty()) {
            continue;
        }
        let code = get(0);
        let indicator = match code.parse::<IndicatorCode>() {
            Ok(c) if catalogue.get(c).is_some() => Some(c),
            Ok(c) => {
                errors.push(InputError::new(
                    loc(r, "nyckeltal"),
                    format!("Nyckeltal {c} finns inte i katalogen."),
                ));
                None
            }
            Err(_) => {
                errors.push(InputError::new(
                    loc(r, "nyckeltal"),
                    format!("\"{code}\" är ingen nyckeltalskod (t.ex. 4.3)."),
                ));
                None
            }
        };
        let org = get(1);
        if !(org.len() == 4 && org.chars().all(|c| c.is_ascii_digit())) {
            errors.push(InputError::new(
                loc(r, "organisation"),
                format!("\"{org}\" är ingen fyrsiffrig organisationskod (t.ex. 2084)."),
            ));
        }
        let year = get(2);
        let period = match year.parse::<i32>() {
            Ok(y) if (1900..=2200).contains(&y) => Some(Period(y)),
            _ => {
                errors.push(InputError::new(loc(r, "år"), format!("\"{year}\" är inget årtal.")));
                None
            }
        };
        let g = get(3);
        let gender = if g.is_empty() {
            Some(Gender::T)
        } else {
            let parsed = Gender::parse(&g);
            if parsed.is_none() {
                errors.push(InputError::new(
                    loc(r, "kön"),
                    format!("\"{g}\" är inget kön; använd T, K eller M."),
                ));
            }
            parsed
        };
        let value = match idx[4].and_then(|c| row.get(c)) {
            Some(Cell::Number(x)) if x.is_finite() => Some(Value::Number(*x)),
            cell => {
                let t = cell.map(Cell::text).unwrap_or_default();
                if let Some(v) = Value::from_code(&t) {
                    Some(v)
                } else {
                    match parse_decimal(&t) {
                        Ok(x) => Some(Value::Number(x)),
                        Err(_) => {
                            errors.push(InputError::new(
                                loc(r, "värde"),
                                format!("\"{t}\" är inget tal och ingen saknadkod (-, . eller ..)."),
                            ));
                            None
                        }
                    }
                }
            }
        };
        if let (Some(i), Some(p), Some(g), Some(v)) = (indicator, period, gender, value) {
            batch.push(i, &org, p, g, v);
        }
        if errors.len() >= 100 {
            break;
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    if batch.is_empty() {
        return Err(
            InputError::new(Location::default().with_file(file), "Filen innehåller inga värden.").into()
        );
    }
    batch.validate().map_err(|e| e.with_file(file))?;
    Ok(batch)
}

/// Most rows in one file of manual values (20 indicators × 300 organisations × 10 years × 3
/// genders is 180 000).
pub const MAX_ROWS: usize = 200_000;

fn too_many_rows(file: &str) -> InputErrors {
    InputErrors::from(InputError::new(
        Location::default().with_file(file),
        format!(
            "Filen har fler än {} rader; dela upp den i flera filer.",
            gnv_core::format::integer(MAX_ROWS as i64)
        ),
    ))
}

/// Parses the `;`-separated CSV format.
pub fn parse_csv(text: &str, catalogue: &Catalogue, file: &str) -> Result<ValueBatch, InputErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        if i > MAX_ROWS {
            return Err(too_many_rows(file));
        }
        let rec = rec.map_err(|e| {
            InputErrors::from(InputError::new(
                Location::row(i + 1).with_file(file),
                format!("Raden kunde inte läsas som CSV: {e}"),
            ))
        })?;
        rows.push(rec.iter().map(|s| Cell::Text(s.to_string())).collect());
    }
    parse_rows(rows, catalogue, file)
}

/// Parses the XLSX format (first sheet).
pub fn parse_xlsx(bytes: &[u8], catalogue: &Catalogue, file: &str) -> Result<ValueBatch, InputErrors> {
    let err = |m: String| InputErrors::from(InputError::new(Location::default().with_file(file), m));
    gnv_core::excel::read_guarded(
        || read_xlsx_values(bytes, catalogue, file, &err),
        |why| err(format!("Filen är ingen läsbar Excel-fil (xlsx): {why}")),
    )
}

fn read_xlsx_values(
    bytes: &[u8],
    catalogue: &Catalogue,
    file: &str,
    err: &dyn Fn(String) -> InputErrors,
) -> Result<ValueBatch, InputErrors> {
    use calamine::{Data, Reader, Xlsx};
    gnv_core::excel::check_workbook(bytes)
        .map_err(|why| err(format!("Filen är ingen läsbar Excel-fil (xlsx): {why}")))?;
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| err(format!("Filen är ingen läsbar Excel-fil (xlsx): {e}")))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| err("Excel-filen har inget kalkylblad.".into()))?
        .map_err(|e| err(format!("Kalkylbladet kunde inte läsas: {e}")))?;
    if range.height() > MAX_ROWS + 1 {
        return Err(too_many_rows(file));
    }
    let rows = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => Cell::Empty,
                    Data::Float(x) => Cell::Number(*x),
                    Data::Int(x) => Cell::Number(*x as f64),
                    Data::String(s) => Cell::Text(s.clone()),
                    other => Cell::Text(other.to_string()),
                })
                .collect()
        })
        .collect();
    parse_rows(rows, catalogue, file)
}

/// Parses by file name extension (`.csv` or `.xlsx`).
pub fn parse_file(name: &str, bytes: &[u8], catalogue: &Catalogue) -> Result<ValueBatch, InputErrors> {
    let lower = name.to_lowercase();
    if lower.ends_with(".xlsx") {
        parse_xlsx(bytes, catalogue, name)
    } else if lower.ends_with(".csv") {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            InputErrors::from(InputError::new(
                Location::default().with_file(name),
                "CSV-filen är inte UTF-8. Spara den som \"CSV UTF-8 (kommaavgränsad)\".",
            ))
        })?;
        parse_csv(text, catalogue, name)
    } else {
        Err(InputError::new(Location::default().with_file(name), "Okänt filformat; använd .csv eller .xlsx.")
            .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gnv_core::nyckeltal::default_catalogue;

    #[test]
    fn csv_rows_parse_with_missing_codes_and_decimal_comma() {
        let cat = default_catalogue();
        let text = "\u{feff}nyckeltal;organisation;år;kön;värde\n4.3;2084;2025;;12,5\n4.3;2084;2024;T;..\n\n1.4;0020;2025;K;80\n";
        let b = parse_csv(text, &cat, "sip.csv").unwrap();
        assert_eq!(b.len(), 3);
        assert_eq!(b.missing_counts().confidential, 1);
    }

    #[test]
    fn csv_errors_name_row_and_column_and_nothing_is_returned() {
        let cat = default_catalogue();
        let text = "nyckeltal;organisation;år;kön;värde\n9.9;2084;2025;T;1\n4.3;20;2025;X;abc\n4.3;2084;2025;T;1\n4.3;2084;2025;T;2\n";
        let e = parse_csv(text, &cat, "f.csv").unwrap_err().to_string();
        assert!(e.contains("rad 2") && e.contains("Nyckeltal 9.9 finns inte i katalogen"), "{e}");
        assert!(e.contains("rad 3, fält organisation"), "{e}");
        assert!(e.contains("fält kön"), "{e}");
        assert!(e.contains("\"abc\" är inget tal"), "{e}");
        let dup = "nyckeltal;organisation;år;kön;värde\n4.3;2084;2025;T;1\n4.3;2084;2025;T;2\n";
        let e = parse_csv(dup, &cat, "f.csv").unwrap_err().to_string();
        assert!(e.contains("förekommer mer än en gång"), "{e}");
        let e = parse_csv("a;b\n1;2\n", &cat, "f.csv").unwrap_err().to_string();
        assert!(e.contains("Rubrikraden saknar kolumnen"), "{e}");
    }
}
