//! Reading the first sheet of an Excel workbook (xlsx) as `;`-separated CSV text, so that the
//! CSV importers (e.g. [`crate::sjalvskattning::import_csv`]) accept Excel files unchanged.

use crate::error::{InputError, InputErrors, Location};
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use std::io::Cursor;

/// Converts the first worksheet of an xlsx file to `;`-separated CSV text. Whole numbers stored
/// as floats are written without decimals (`4`, not `4.0`); other numbers with a decimal point,
/// which the importers accept beside the decimal comma.
pub fn first_sheet_as_csv(bytes: &[u8], file: &str) -> Result<String, InputErrors> {
    let fail = |msg: String| InputErrors::from(InputError::new(Location::default().with_file(file), msg));
    crate::excel::read_guarded(
        || read_first_sheet(bytes, &fail),
        |why| fail(format!("Filen kunde inte läsas som Excel (xlsx): {why}")),
    )
}

fn read_first_sheet(bytes: &[u8], fail: &dyn Fn(String) -> InputErrors) -> Result<String, InputErrors> {
    crate::excel::check_workbook(bytes)
        .map_err(|why| fail(format!("Filen kunde inte läsas som Excel (xlsx): {why}")))?;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| fail(format!("Filen kunde inte läsas som Excel (xlsx): {e}")))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| fail("Arbetsboken har inget kalkylblad.".into()))?
        .map_err(|e| fail(format!("Kalkylbladet kunde inte läsas: {e}")))?;
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Data::Empty => String::new(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Bool(b) => if *b { "ja" } else { "nej" }.to_string(),
                other => other.to_string(),
            })
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        w.write_record(&cells).map_err(|e| fail(format!("Raden kunde inte läsas: {e}")))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(format!("Filen kunde inte läsas: {e}")))?;
    String::from_utf8(bytes).map_err(|e| fail(format!("Filen innehåller ogiltig text: {e}")))
}
