//! Import of economy rows from CSV or from rows of cells (an XLSX sheet read elsewhere).
//!
//! Format (documented for users; CSV is `;`-separated UTF-8, a BOM is allowed):
//!
//! ```text
//! kommunkod;kommun;år;fokusområde;tilldelat;återbetalt överskott;redovisat förbrukat
//! 2084;Avesta;2024;9292;1 894 630;39 273;1 894 630
//! ;Summa;;;23 849 655;500 000;24 153 231
//! ```
//!
//! - The header is the first row with a `kommunkod` column among the first five non-empty rows
//!   (title rows above it are skipped); otherwise the first non-empty row. Required columns: `kommunkod`, `år`, `tilldelat`,
//!   `återbetalt överskott`, `redovisat förbrukat`. Optional: `kommun` (checked against the code),
//!   `fokusområde` (number `1`, code `9292`, name or label; empty = the first known focus area).
//!   Header names are case-insensitive; other columns are ignored.
//! - Amounts are whole kronor in Swedish style: `1 894 630`, `1 894 630 kr`, `1894630`.
//!   Negative and fractional amounts are refused.
//! - A row with an empty `kommunkod` and `Summa` (or `Totalt`) in `kommun` is the printed totals
//!   row; it is returned as [`PrintedTotals`] so the checks can compare it with the sums.
//! - Entirely empty rows are skipped.
//! - All or nothing: either every row is valid and all are returned, or all errors are returned,
//!   each naming the file (and sheet), row and column.

use super::{Amount, Column, FinancialRow, FocusArea, PrintedTotals, YEAR_RANGE};
use crate::error::{InputError, InputErrors, Location, ValueError};
use crate::organisation::Registry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The header line of the CSV format, for templates and exports.
pub const CSV_HEADER: &str =
    "kommunkod;kommun;år;fokusområde;tilldelat;återbetalt överskott;redovisat förbrukat";

/// The result of a successful import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ImportedEconomy {
    /// All rows, in file order.
    pub rows: Vec<FinancialRow>,
    /// The file's "Summa" row, when it had one.
    pub printed_totals: Option<PrintedTotals>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Field {
    Code,
    Name,
    Year,
    FocusArea,
    Amount(Column),
}

impl Field {
    fn csv_name(self) -> &'static str {
        match self {
            Field::Code => "kommunkod",
            Field::Name => "kommun",
            Field::Year => "år",
            Field::FocusArea => "fokusområde",
            Field::Amount(c) => c.csv_name(),
        }
    }

    fn from_header(h: &str) -> Option<Field> {
        let h: String = h.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        Some(match h.as_str() {
            "kommunkod" | "kod" => Field::Code,
            "kommun" | "kommunnamn" | "namn" => Field::Name,
            "år" | "ar" => Field::Year,
            "fokusområde" | "insatsområde" => Field::FocusArea,
            "tilldelat" | "tilldelat belopp" | "belopp per kommun" => Field::Amount(Column::Allocated),
            "återbetalt överskott" | "återbetalat överskott" | "överskott" => {
                Field::Amount(Column::RepaidSurplus)
            }
            "redovisat förbrukat" | "redovisade förbrukade medel" | "förbrukat" => {
                Field::Amount(Column::ReportedSpent)
            }
            _ => return None,
        })
    }
}

/// How many non-empty rows are searched for the header row.
const HEADER_SEARCH_ROWS: usize = 5;

const REQUIRED: [Field; 5] = [
    Field::Code,
    Field::Year,
    Field::Amount(Column::Allocated),
    Field::Amount(Column::RepaidSurplus),
    Field::Amount(Column::ReportedSpent),
];

/// Most data rows in one financial-report file (CSV or a sheet); one year has one row per
/// municipality and focus area, so a file far beyond this is not a financial report.
pub const MAX_ROWS: usize = 10_000;

fn too_many_rows(file_name: &str) -> InputErrors {
    InputErrors::from(InputError::new(
        Location::default().with_file(file_name),
        format!(
            "Filen har fler än {} rader; en ekonomisk redovisning har en rad per kommun och fokusområde.",
            crate::format::integer(MAX_ROWS as i64)
        ),
    ))
}

/// Imports the CSV format described in the module documentation. `file_name` is used in the
/// error messages; `focus_areas` lists the accepted focus areas (empty = only the default,
/// [`FocusArea::primary_care_hub`]).
pub fn import_csv(
    file_name: &str,
    text: &str,
    registry: &Registry,
    focus_areas: &[FocusArea],
) -> Result<ImportedEconomy, InputErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        if i > MAX_ROWS {
            return Err(too_many_rows(file_name));
        }
        match record {
            Ok(r) => {
                let line = r.position().map(|p| p.line() as usize).unwrap_or(i + 1);
                lines.push((line, r.iter().map(str::to_string).collect()));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(i + 1);
                errors.push(InputError::new(
                    Location::row(line),
                    format!("Raden kunde inte läsas som CSV: {e}"),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors).with_file(file_name));
    }
    import_lines(&lines, registry, focus_areas).map_err(|e| e.with_file(file_name))
}

/// Imports rows of cells, e.g. one sheet of an XLSX file read by an adapter. Row numbers in
/// errors are 1-based positions in `cells` (as in Excel); the location names
/// `"{file_name}, blad {sheet}"`. Same rules as [`import_csv`].
pub fn import_cells(
    file_name: &str,
    sheet: &str,
    cells: &[Vec<String>],
    registry: &Registry,
    focus_areas: &[FocusArea],
) -> Result<ImportedEconomy, InputErrors> {
    if cells.iter().filter(|r| !is_blank(r)).count() > MAX_ROWS + 1 {
        return Err(too_many_rows(&format!("{file_name}, blad {sheet}")));
    }
    let lines: Vec<(usize, Vec<String>)> =
        cells.iter().enumerate().map(|(i, r)| (i + 1, r.clone())).collect();
    import_lines(&lines, registry, focus_areas)
        .map_err(|e| e.with_file(&format!("{file_name}, blad {sheet}")))
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

fn parse_year(cell: &str) -> Result<i32, ValueError> {
    let s = cell.trim();
    // Spreadsheet readers may deliver whole numbers as "2024.0".
    let s = s.strip_suffix(".0").unwrap_or(s);
    if s.is_empty() {
        return Err(ValueError("Året saknas.".to_string()));
    }
    match s.parse::<i32>() {
        Ok(y) if YEAR_RANGE.contains(&y) => Ok(y),
        _ => Err(ValueError(format!(
            "\"{}\" är inte ett år mellan {} och {}.",
            cell.trim(),
            YEAR_RANGE.start(),
            YEAR_RANGE.end()
        ))),
    }
}

fn is_totals_label(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    n.starts_with("summa") || n.starts_with("totalt") || n == "total"
}

fn import_lines(
    lines: &[(usize, Vec<String>)],
    registry: &Registry,
    focus_areas: &[FocusArea],
) -> Result<ImportedEconomy, InputErrors> {
    let default_areas = [FocusArea::primary_care_hub()];
    let focus_areas = if focus_areas.is_empty() { &default_areas[..] } else { focus_areas };
    let non_blank: Vec<&(usize, Vec<String>)> = lines.iter().filter(|(_, cells)| !is_blank(cells)).collect();
    // The header is the first row with a `kommunkod` column among the first few rows (title
    // rows above it are skipped); failing that, the first non-empty row, whose errors are shown.
    let header_index = non_blank
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|(_, cells)| cells.iter().any(|c| Field::from_header(c) == Some(Field::Code)))
        .unwrap_or(0);
    let mut data = non_blank.into_iter().skip(header_index);
    let Some((header_line, header)) = data.next() else {
        return Err(InputError::new(
            Location::row(1),
            format!("Filen är tom. Första raden ska vara rubrikraden {CSV_HEADER}"),
        )
        .into());
    };

    // Header.
    let mut errors = Vec::new();
    let mut columns: BTreeMap<Field, usize> = BTreeMap::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(field) = Field::from_header(h) {
            if columns.insert(field, i).is_some() {
                errors.push(InputError::new(
                    Location::row(*header_line).with_field(field.csv_name()),
                    format!("Kolumnen {} finns mer än en gång i rubrikraden.", field.csv_name()),
                ));
            }
        }
    }
    let missing: Vec<&str> =
        REQUIRED.iter().filter(|f| !columns.contains_key(f)).map(|f| f.csv_name()).collect();
    if !missing.is_empty() {
        errors.push(InputError::new(
            Location::row(*header_line),
            format!(
                "Rubrikraden saknar kolumnerna {}. Förväntad rubrikrad: {CSV_HEADER}",
                missing.join(", ")
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }

    let mut rows = Vec::new();
    let mut printed: Option<(usize, PrintedTotals)> = None;
    let mut seen: BTreeMap<(String, i32, u32, String), usize> = BTreeMap::new();
    for (line, cells) in data {
        let line = *line;
        let get = |f: Field| -> &str {
            columns.get(&f).and_then(|&i| cells.get(i)).map(|s| s.trim()).unwrap_or("")
        };
        let at = |f: Field| Location::row(line).with_field(f.csv_name());
        let mut row_errors = Vec::new();

        let mut amounts = [Amount::ZERO; 3];
        for (slot, column) in amounts.iter_mut().zip(Column::ALL) {
            match Amount::parse(get(Field::Amount(column))) {
                Ok(a) => *slot = a,
                Err(msg) => row_errors.push(InputError::new(at(Field::Amount(column)), msg)),
            }
        }
        let [allocated, repaid_surplus, reported_spent] = amounts;

        let code = get(Field::Code);
        let name = crate::csvcell::restore_csv_cell(get(Field::Name));
        if code.is_empty() && is_totals_label(name) {
            if let Some((first, _)) = printed {
                row_errors.push(InputError::new(
                    at(Field::Name),
                    format!("Filen har redan en summarad (rad {first})."),
                ));
            } else if row_errors.is_empty() {
                printed = Some((line, PrintedTotals { allocated, repaid_surplus, reported_spent }));
            }
            errors.extend(row_errors);
            continue;
        }

        let municipality = if code.is_empty() {
            let hint = registry
                .municipalities
                .iter()
                .find(|m| !name.is_empty() && m.name.to_lowercase() == name.to_lowercase())
                .map(|m| format!(" ({} har kommunkod {})", m.name, m.code))
                .unwrap_or_default();
            row_errors.push(InputError::new(at(Field::Code), format!("Kommunkod saknas{hint}.")));
            None
        } else if let Some(m) = registry.municipalities.iter().find(|m| m.code == code) {
            if !name.is_empty() && m.name.to_lowercase() != name.to_lowercase() {
                row_errors.push(InputError::new(
                    at(Field::Name),
                    format!("Kommunkoden {code} hör till {}, inte \"{name}\".", m.name),
                ));
            }
            Some(m)
        } else {
            row_errors.push(InputError::new(
                at(Field::Code),
                format!("Kommunkoden \"{code}\" finns inte bland kommunerna i {}.", registry.county_name),
            ));
            None
        };

        let year = match parse_year(get(Field::Year)) {
            Ok(y) => Some(y),
            Err(msg) => {
                row_errors.push(InputError::new(at(Field::Year), msg));
                None
            }
        };

        let area_cell = get(Field::FocusArea);
        let focus_area = if area_cell.is_empty() {
            focus_areas.first().cloned()
        } else {
            let found = focus_areas.iter().find(|a| a.matches(area_cell)).cloned();
            if found.is_none() {
                let known: Vec<String> = focus_areas.iter().map(|a| a.label()).collect();
                row_errors.push(InputError::new(
                    at(Field::FocusArea),
                    format!("\"{area_cell}\" är inget känt insatsområde. Kända: {}.", known.join("; ")),
                ));
            }
            found
        };

        if let (Some(m), Some(year), Some(focus_area)) = (municipality, year, focus_area) {
            let key = (m.code.clone(), year, focus_area.number, focus_area.code.clone());
            if let Some(first) = seen.get(&key) {
                row_errors.push(InputError::new(
                    at(Field::Code),
                    format!(
                        "{} har redan en rad för {year} och insatsområde {} (rad {first}).",
                        m.name, focus_area.number
                    ),
                ));
            } else {
                seen.insert(key, line);
            }
            if row_errors.is_empty() {
                rows.push(FinancialRow {
                    municipality_code: m.code.clone(),
                    year,
                    focus_area,
                    allocated,
                    repaid_surplus,
                    reported_spent,
                });
            }
        }
        errors.extend(row_errors);
    }
    if errors.is_empty() {
        Ok(ImportedEconomy { rows, printed_totals: printed.map(|(_, p)| p) })
    } else {
        Err(InputErrors(errors))
    }
}

/// Writes rows in the CSV format of this module (with BOM, `;`, amounts as `1 894 630`), with an
/// optional "Summa" row, so that an exported file can be edited in Excel and imported again.
pub fn export_csv(registry: &Registry, rows: &[FinancialRow], printed: Option<&PrintedTotals>) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&format!(
            "{};{};{};{};{};{};{}\r\n",
            r.municipality_code,
            crate::csvcell::csv_field(&super::municipality_name(registry, &r.municipality_code)),
            r.year,
            r.focus_area.code,
            r.allocated,
            r.repaid_surplus,
            r.reported_spent
        ));
    }
    if let Some(p) = printed {
        out.push_str(&format!(";Summa;;;{};{};{}\r\n", p.allocated, p.repaid_surplus, p.reported_spent));
    }
    out
}
