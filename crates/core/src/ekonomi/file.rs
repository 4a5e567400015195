//! Reading an uploaded or given economy file (CSV or XLSX) into rows for [`super::import_csv`] /
//! [`super::import_cells`]. Pure: bytes in, typed rows or located errors out (fuzzed in `fuzz/`).

use super::{import_cells, import_csv, FocusArea, ImportedEconomy};
use crate::error::{InputError, InputErrors, Location};
use crate::organisation::Registry;

/// Decodes a CSV file: UTF-8 (with or without BOM) or, failing that, Windows-1252 as older
/// Swedish Excel versions save it.
pub fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| match b {
                0x80 => '€',
                0x96 => '–',
                0x97 => '—',
                0x91 | 0x92 => '\'',
                0x93 | 0x94 => '"',
                0xA0 => '\u{a0}',
                b => char::from(b),
            })
            .collect(),
    }
}

fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "sant" } else { "falskt" }.to_string(),
        Data::DateTime(dt) => dt.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#FEL {e:?}"),
    }
}

/// A sheet read from a workbook: its name and rows of cells as text.
pub type SheetCells = (String, Vec<Vec<String>>);

/// Reads an XLSX workbook into (sheet name, rows of cells); Excel row numbers are kept (leading
/// empty rows are included).
pub fn read_xlsx(file_name: &str, bytes: &[u8]) -> Result<Vec<SheetCells>, InputErrors> {
    let unreadable = |e: String| {
        InputErrors::from(InputError::new(
            Location::default(),
            format!("Filen kunde inte läsas som en Excel-fil (.xlsx): {e}"),
        ))
        .with_file(file_name)
    };
    crate::excel::read_guarded(|| read_sheets(bytes, &unreadable), unreadable)
}

fn read_sheets(
    bytes: &[u8],
    unreadable: &dyn Fn(String) -> InputErrors,
) -> Result<Vec<SheetCells>, InputErrors> {
    use calamine::{Reader, Xlsx};
    crate::excel::check_workbook(bytes).map_err(|why| unreadable(why.to_string()))?;
    let mut wb: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|e| unreadable(e.to_string()))?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| unreadable(e.to_string()))?;
        let (start_row, start_col) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<String>> = (0..start_row).map(|_| Vec::new()).collect();
        for r in range.rows() {
            let mut line: Vec<String> = (0..start_col).map(|_| String::new()).collect();
            line.extend(r.iter().map(cell_text));
            rows.push(line);
        }
        out.push((name, rows));
    }
    Ok(out)
}

/// Parses an uploaded or given economy file by its extension (`.csv` or `.xlsx`). For XLSX the
/// first sheet with a `kommunkod` header in its first rows is read (else the first sheet).
/// All or nothing: errors name the file (and sheet), row and column.
pub fn parse_economy_file(
    file_name: &str,
    bytes: &[u8],
    registry: &Registry,
    focus_areas: &[FocusArea],
) -> Result<ImportedEconomy, InputErrors> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        import_csv(file_name, &decode_text(bytes), registry, focus_areas)
    } else if lower.ends_with(".xlsx") {
        let sheets = read_xlsx(file_name, bytes)?;
        let has_header = |rows: &Vec<Vec<String>>| {
            rows.iter().take(10).any(|r| r.iter().any(|c| c.trim().eq_ignore_ascii_case("kommunkod")))
        };
        let (sheet, cells) =
            sheets.iter().find(|(_, rows)| has_header(rows)).or_else(|| sheets.first()).ok_or_else(|| {
                InputErrors::from(InputError::new(Location::default(), "Excel-filen har inga blad."))
                    .with_file(file_name)
            })?;
        import_cells(file_name, sheet, cells, registry, focus_areas)
    } else {
        Err(InputErrors::from(InputError::new(
            Location::default(),
            "Okänt filformat. Använd en Excel-fil (.xlsx) eller en semikolonseparerad CSV-fil (.csv).",
        ))
        .with_file(file_name))
    }
}
