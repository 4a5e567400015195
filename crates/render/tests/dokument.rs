//! The document model renders to a PDF whose text can be extracted (poppler's pdftotext) and to
//! a DOCX with real heading styles and tables.

use gnv_render::dokument::{docx, pdf, Block, Document, Metadata, Table};
use std::io::Read;
use std::process::Command;

fn sample() -> Document {
    let mut d = Document::new("Regional handlingsplan – test");
    d.subtitle = Some("Åäö och \"citat\" #[]* $x$ \\ <b>".into());
    d.metadata = Metadata {
        author: "Länschefsnätverket".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 5, 22),
        keywords: vec!["God och nära vård".into()],
        footer: "Testdokument".into(),
    };
    d.heading(1, "Delmål 1 – Nära för mig")
        .paragraph("Första stycket.\nAndra raden.")
        .bullets(vec!["Punkt ett".into(), "Punkt två".into()])
        .table(Table {
            caption: "Åtgärder".into(),
            header: vec!["Nr".into(), "Åtgärd".into(), "Ansvarig".into()],
            rows: vec![vec!["1.1.1".into(), "Införa SIP".into(), "RSS Dalarna".into()], vec!["1.1.2".into()]],
            widths: vec![1, 4, 2],
        })
        .push(Block::Figure {
            svg: r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40"><rect width="60" height="30" fill="#005a8c"/><text x="5" y="35">Stapel</text></svg>"##.into(),
            alt: "En stapel".into(),
            caption: "Exempelfigur".into(),
        })
        .push(Block::PageBreak)
        .heading(2, "Sista sidan");
    d
}

#[test]
fn pdf_has_the_text_page_numbers_and_pdfa_metadata() {
    let bytes = pdf::to_pdf(&sample()).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("pdfaid:part"), "PDF/A identification in XMP metadata");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.pdf");
    std::fs::write(&path, &bytes).unwrap();
    if let Ok(out) = std::env::var("GNV_KEEP_PDF") {
        std::fs::write(out, &bytes).unwrap();
    }
    let out =
        Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().expect("pdftotext installed");
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "Regional handlingsplan – test",
        "Åäö och \"citat\" #[]* $x$ \\ <b>",
        "Delmål 1 – Nära för mig",
        "Tabell 1",
        "Åtgärder",
        "Införa SIP",
        "Figur 1",
        "Sida 1 av 2",
        "Sida 2 av 2",
        "Sista sidan",
    ] {
        assert!(text.contains(needle), "PDF text lacks {needle:?}:\n{text}");
    }
}

#[test]
fn docx_has_heading_styles_tables_and_text() {
    let bytes = docx::to_docx(&sample()).expect("docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(
        xml.contains(r#"<w:pStyle w:val="Heading1" />"#) || xml.contains(r#"<w:pStyle w:val="Heading1"/>"#)
    );
    assert!(xml.contains("<w:tbl>"), "a real table");
    assert!(xml.contains("Införa SIP"));
    assert!(xml.contains("Åäö och"));
    assert!(xml.contains("[Figur: En stapel]"));
    let mut styles = String::new();
    zip.by_name("word/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    assert!(styles.contains("heading 1") && styles.contains("outlineLvl"));
}
