//! Guarding the xlsx library. calamine 0.38 overflows (`attempt to multiply with overflow`, a
//! panic where overflow checks are on, a wrapped column number where they are off) on a cell
//! reference with a very long column name such as `r="AAAAAAAAAAAAAAAAAAAAAA1"`, found by
//! `scripts/fuzz` (targets `manual_xlsx`, `ekonomi_xlsx`). Every xlsx reader of the project runs
//! through [`read_guarded`], so a crafted file gets the reader's ordinary Swedish error instead of
//! a panic, and nothing is written.

use crate::fel::InputErrors;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `read` (which opens and reads an xlsx file with calamine); a panic inside it becomes
/// the error that `unreadable` builds from a short Swedish reason.
pub fn read_guarded<T>(
    read: impl FnOnce() -> Result<T, InputErrors>,
    unreadable: impl FnOnce(String) -> InputErrors,
) -> Result<T, InputErrors> {
    match catch_unwind(AssertUnwindSafe(read)) {
        Ok(result) => result,
        Err(_) => Err(unreadable("filen har en ogiltig cellreferens eller är skadad".into())),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    /// A minimal xlsx whose one sheet has the given cell reference with the text "x".
    pub(crate) fn workbook_with_cell_ref(cell_ref: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        let files = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="{cell_ref}" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#)),
        ];
        for (name, body) in files {
            zip.start_file(name, opts).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_valid_workbook_reads_and_a_crafted_cell_reference_is_an_error() {
        let ok =
            crate::rapportering::xlsx::first_sheet_as_csv(&workbook_with_cell_ref("A1"), "ok.xlsx").unwrap();
        assert_eq!(ok.trim(), "x");
        let long = format!("{}1", "A".repeat(40));
        let err = crate::rapportering::xlsx::first_sheet_as_csv(&workbook_with_cell_ref(&long), "fel.xlsx")
            .unwrap_err()
            .to_string();
        assert!(err.contains("fel.xlsx"), "{err}");
        let econ = crate::ekonomi::read_xlsx("ekonomi.xlsx", &workbook_with_cell_ref(&long));
        assert!(econ.is_err());
    }
}
