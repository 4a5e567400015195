//! Guarding the xlsx library. calamine 0.38 overflows (`attempt to multiply with overflow`, a
//! panic where overflow checks are on, a wrapped column number where they are off) on a cell
//! reference with a very long column name such as `r="AAAAAAAAAAAAAAAAAAAAAA1"`, found by
//! `scripts/fuzz` (targets `manual_xlsx`, `ekonomi_xlsx`). Every xlsx reader of the project runs
//! through [`read_guarded`], so a crafted file gets the reader's ordinary Swedish error instead of
//! a panic, and nothing is written.

//!
//! Bounded reading (issue #16): an xlsx file is a zip archive, and a small upload can expand to
//! hundreds of megabytes (one 410 KB workbook held a 400 MiB cell) or, through a dense range
//! between two far-apart cells, make calamine allocate rows × columns cells. Every reader first
//! calls [`check_workbook`], which refuses, before calamine builds anything:
//!
//! - more than [`MAX_PARTS`] parts in the archive;
//! - a part larger than [`MAX_PART_BYTES`] (50 MB) uncompressed, or all parts together larger
//!   than [`MAX_TOTAL_BYTES`] (100 MB) — measured by decompressing into a counter, so a header
//!   that lies about the size does not help;
//! - a part with more than [`MAX_ELEMENTS`] XML elements (strings or cells);
//! - a worksheet with more than [`MAX_CELLS`] (1 000 000) cells, or whose used range (from its
//!   first to its last cell) spans more than [`MAX_RANGE_CELLS`] (2 000 000) cells.
//!
//! Memory while checking stays small (the parts are streamed; calamine's cell reader borrows the
//! shared strings, which the part limits bound).

use crate::error::InputErrors;
use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Most parts (files) in an xlsx archive.
pub const MAX_PARTS: usize = 10_000;
/// Largest uncompressed part (bytes).
pub const MAX_PART_BYTES: u64 = 50 * 1024 * 1024;
/// Largest uncompressed archive, all parts together (bytes).
pub const MAX_TOTAL_BYTES: u64 = 100 * 1024 * 1024;
/// Most XML elements (`<` characters) in one part.
pub const MAX_ELEMENTS: u64 = 4_000_000;
/// Most cells in one worksheet.
pub const MAX_CELLS: usize = 1_000_000;
/// Largest used range of one worksheet (rows × columns).
pub const MAX_RANGE_CELLS: u64 = 2_000_000;

/// Why [`check_workbook`] refused a file; `Display` is the short Swedish reason that the readers
/// put into their own message ("Filen kunde inte läsas som Excel (xlsx): …").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkbookLimit {
    #[error("filen har fler än {} delar", MAX_PARTS)]
    TooManyParts,
    #[error("delen {part} har fler än {} miljoner element", MAX_ELEMENTS / 1_000_000)]
    TooManyElements { part: String },
    #[error("filen blir större än {} MB uppackad", mb(MAX_TOTAL_BYTES))]
    TooLargeUnpacked,
    #[error("delen {part} blir större än {} MB uppackad", mb(MAX_PART_BYTES))]
    PartTooLargeUnpacked { part: String },
    #[error("bladet {sheet} har fler än {} celler", crate::format::integer(MAX_CELLS as i64))]
    TooManyCells { sheet: String },
    #[error(
        "bladet {sheet} sträcker sig över fler än {} celler (från första till sista cellen)",
        crate::format::integer(MAX_RANGE_CELLS as i64)
    )]
    RangeTooLarge { sheet: String },
}

crate::error::message_into_string!(WorkbookLimit);

/// Counts bytes and `<` of a decompressed part; refuses to go past the limits.
struct Meter {
    bytes: u64,
    elements: u64,
    limit: u64,
}

impl Write for Meter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        self.elements += buf.iter().filter(|&&b| b == b'<').count() as u64;
        if self.bytes > self.limit || self.elements > MAX_ELEMENTS {
            return Err(std::io::Error::other("gräns"));
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn mb(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Checks an xlsx file against the limits in the module documentation; `Err` says which limit
/// (its `Display` is a short Swedish reason for the reader's own message). A file that is not a zip archive passes (calamine then
/// reports it as unreadable).
pub fn check_workbook(bytes: &[u8]) -> Result<(), WorkbookLimit> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    if archive.len() > MAX_PARTS {
        return Err(WorkbookLimit::TooManyParts);
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(mut part) = archive.by_index(i) else {
            // calamine reports unreadable parts when it needs them.
            continue;
        };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let limit = MAX_PART_BYTES.min(MAX_TOTAL_BYTES - total);
        let mut meter = Meter { bytes: 0, elements: 0, limit };
        let mut buf = [0u8; 64 * 1024];
        loop {
            let n = match part.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                // A damaged part: calamine says so when it reads it.
                Err(_) => break,
            };
            if meter.write(&buf[..n]).is_err() {
                return Err(if meter.elements > MAX_ELEMENTS {
                    WorkbookLimit::TooManyElements { part: name }
                } else if limit < MAX_PART_BYTES {
                    WorkbookLimit::TooLargeUnpacked
                } else {
                    WorkbookLimit::PartTooLargeUnpacked { part: name }
                });
            }
        }
        total += meter.bytes;
    }
    check_cells(bytes)
}

/// The cell count and used range of every worksheet, read with calamine's streaming cell reader.
fn check_cells(bytes: &[u8]) -> Result<(), WorkbookLimit> {
    use calamine::{Reader, Xlsx};
    let Ok(mut wb) = Xlsx::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    for name in wb.sheet_names() {
        let Ok(mut cells) = wb.worksheet_cells_reader(&name) else {
            continue;
        };
        let mut count = 0usize;
        let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
        // A damaged cell ends the count; calamine reports it when it reads the sheet.
        while let Ok(Some(cell)) = cells.next_cell() {
            count += 1;
            if count > MAX_CELLS {
                return Err(WorkbookLimit::TooManyCells { sheet: name });
            }
            let (r, c) = cell.get_position();
            (r0, r1, c0, c1) = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
        }
        if count > 0 {
            let span = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
            if span > MAX_RANGE_CELLS {
                return Err(WorkbookLimit::RangeTooLarge { sheet: name });
            }
        }
    }
    Ok(())
}

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
        workbook_with_cells(&format!(
            r#"<row r="1"><c r="{cell_ref}" t="inlineStr"><is><t>x</t></is></c></row>"#
        ))
    }

    /// A minimal xlsx whose one sheet has the given `sheetData` content.
    pub(crate) fn workbook_with_cells(sheet_data: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        let files = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#)),
        ];
        let opts = opts.compression_level(Some(9));
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

    /// Issue #16: decompression bombs, generated at run time (the compressed files are small).
    #[test]
    fn bombs_are_refused_before_calamine_reads_them() {
        // One cell that expands to 60 MB (the finding: 410 KB → 400 MiB).
        let big = workbook_with_cells(&format!(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row>"#,
            "A".repeat(60 * 1024 * 1024)
        ));
        assert!(big.len() < 1024 * 1024, "the bomb is small: {} bytes", big.len());
        let why = super::check_workbook(&big).unwrap_err();
        assert!(matches!(why, super::WorkbookLimit::PartTooLargeUnpacked { .. }), "{why}");
        assert!(why.to_string().contains("större än 50 MB"), "{why}");
        let err = crate::rapportering::xlsx::first_sheet_as_csv(&big, "bomb.xlsx").unwrap_err().to_string();
        assert!(err.contains("bomb.xlsx") && err.contains("50 MB"), "{err}");
        assert!(crate::ekonomi::read_xlsx("bomb.xlsx", &big).unwrap_err().to_string().contains("50 MB"));
        // Two far-apart cells: a dense range of 1 048 576 × 16 384 cells.
        let sparse = workbook_with_cells(
            r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        );
        let why = super::check_workbook(&sparse).unwrap_err();
        assert_eq!(
            why.to_string(),
            "bladet Blad1 sträcker sig över fler än 2 000 000 celler (från första till sista cellen)"
        );
        assert!(crate::ekonomi::read_xlsx("glest.xlsx", &sparse).is_err());
        // Many elements.
        let many = workbook_with_cells(&"<row/>".repeat(super::MAX_ELEMENTS as usize + 1));
        assert!(super::check_workbook(&many).unwrap_err().to_string().contains("element"));
        // An ordinary workbook passes.
        assert_eq!(super::check_workbook(&workbook_with_cell_ref("B2")), Ok(()));
    }
}
