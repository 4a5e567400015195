//! All three formats from the example input: the text is extracted again (pdftotext from
//! poppler-utils, the DOCX's word/document.xml, the HTML) and checked against the data:
//! headings, the indicator summary counts, the appendix-1 totals and the self-assessment means.

use gnv_exempel::rapport::input_2024;
use gnv_report::input::mean_text;
use gnv_report::{render, Format, ReportInput};

mod common;
use common::{html_text, normalise, pdf_text};

fn expected_phrases(input: &ReportInput) -> Vec<String> {
    let mut v: Vec<String> = [
        "1 Bakgrund",
        "1.1 Länsgemensam strategi God och nära vård",
        "2 Metod",
        "2.1.1 Länets 13 lokala systemledningar",
        "3 Resultat",
        "3.1 Nyckeltal och infografik",
        "3.2 Självskattning av arbetet i de lokala systemledningarna",
        "3.3 Kartläggning av de lokala systemledningarna",
        "3.4 Kommunernas rapportering till Socialstyrelsen",
        "3.5 Regionalt stöd under 2024",
        "4 Metodaspekter",
        "5 Avslutningsord",
        "Bilaga 1 – Ekonomisk redovisning",
        "Bilaga 2 – Infografiken",
        "Bilaga 3 – Självskattningen",
        "Källor och referenser",
        // Indicator summary (the 2025 infographic's sets).
        "Infografiken 2025 omfattar totalt 20 nyckeltal.",
        "3 av 20 är fortfarande ”under utveckling” och saknar värde (1.3, 2.2, 5.4).",
        "6 av 20 har inte uppdaterats från föregående år",
        "(1.2, 1.4, 3.1, 4.1, 4.3, 4.4)",
        "11 av 20 återstår och har uppdaterats",
        "bättre i jämförelse med andra för 3 st nyckeltal, för män och/eller kvinnor (2.1, 5.1, 5.2)",
        "sämre i jämförelse med andra för 4 st nyckeltal, för män och/eller kvinnor (1.1, 3.2, 4.2, 5.3)",
        "2 st förbättrats för både kvinnor och män (2.1, 4.2)",
        // Sources with addresses.
        "https://www.regiondalarna.se/globalassets/plus/lansgemensam-strategi-god-och-nara-vard-i-dalarna.pdf",
        // Narrative rendered as plain text.
        "Glädjande nog finns nu lokala systemledningar på plats i hela länet.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Appendix 1 totals, computed from the rows (the repaid column adds up to 499 999, the
    // printed total says 500 000: a warning says so).
    let e = input.economy.as_ref().unwrap();
    assert_eq!(e.table.total.formatted, vec!["23 849 655", "499 999", "24 153 231"]);
    v.push(format!("Summa {}", e.table.total.formatted.join(" ")));
    v.push("Avesta 1 894 630 39 273 1 894 630".into());
    // Self-assessment means of the report year, as in the sentences of 3.2.2.
    let sa = input.self_assessment.as_ref().unwrap().year(2024).unwrap();
    assert_eq!(sa.answered_text, "13 av 13");
    v.push("13 av 13 lokala systemledningar har besvarat självskattningen avseende 2024.".into());
    v.push(format!(
        "{} lokala systemledningar svarar att självskattningstabellen tillämpats",
        sa.applied_table_text
    ));
    for g in &sa.subgoals {
        v.push(format!("Delmål {} – {}: medelvärde {}", g.number, g.name, mean_text(g.mean)));
    }
    v
}

fn check(format: &str, text: &str, input: &ReportInput) {
    let text = normalise(text);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for phrase in expected_phrases(input) {
        if phrase.starts_with("https://") {
            // Long addresses wrap at any character in the PDF.
            assert!(compact.contains(&phrase), "{format}: missing address «{phrase}»");
        } else {
            assert!(text.contains(&normalise(&phrase)), "{format}: missing «{phrase}»");
        }
    }
}

#[test]
fn pdf_text_states_the_data() {
    let input = input_2024();
    let pdf = render(&input, Format::Pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // PDF/A-2b identification in the XMP metadata.
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("pdfaid:part") || raw.contains("<pdfaid:part>2"), "PDF/A identification present");
    let Some(text) = pdf_text(&pdf) else {
        // scripts/test installs poppler-utils; only a bare `cargo test` elsewhere may lack it.
        assert!(std::env::var("CI").is_err(), "pdftotext (poppler-utils) is required in CI");
        eprintln!("pdftotext (poppler-utils) is not installed; PDF text not checked");
        return;
    };
    check("pdf", &text, &input);
    // Numbered figures and tables.
    let t = normalise(&text);
    assert!(t.contains("Figur 1"));
    assert!(t.contains("Tabell 1"));
    assert!(t.contains("Sida 1 av"));
}

#[test]
fn docx_text_states_the_data_and_uses_heading_styles() {
    let input = input_2024();
    let docx = render(&input, Format::Docx).unwrap();
    let xml = gnv_report::docx_text::document_xml(&docx).expect("document.xml");
    assert!(xml.contains("w:val=\"Heading1\""));
    assert!(xml.contains("w:val=\"Heading2\""));
    assert!(xml.contains("<w:tbl>"));
    // Figures are embedded pictures with alternative text.
    assert!(xml.contains("<pic:pic") || xml.contains("<w:drawing>"));
    let text = gnv_report::docx_text::paragraphs(&xml).join("\n");
    check("docx", &text, &input);
}

#[test]
fn html_text_states_the_data_and_has_figures_with_tables() {
    let input = input_2024();
    let html = String::from_utf8(render(&input, Format::Html).unwrap()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"sv\">"));
    assert_eq!(html.matches("<h1>").count(), 1);
    // Every figure is inline SVG followed by a table with the same data.
    let figures = html.matches("<figure").count();
    assert!(figures >= 7, "figure 2, figure 3 and five appendix-3 charts");
    assert_eq!(html.matches("<svg").count(), figures);
    for part in html.split("</figure>").skip(1).take(figures) {
        let next_block = part.trim_start();
        assert!(next_block.starts_with("<div class=\"tabell-wrap\""), "a table follows each figure");
    }
    check("html", &html_text(&html), &input);
}

#[test]
fn missing_modules_are_stated_never_invented() {
    let full = input_2024();
    let input = ReportInput::empty(2025, full.registry.clone(), full.subgoals.clone());
    let html = String::from_utf8(render(&input, Format::Html).unwrap()).unwrap();
    let text = normalise(&html_text(&html));
    for what in [
        "Uppgifter saknas för nyckeltal och infografik",
        "Uppgifter saknas för självskattningen 2025",
        "Uppgifter saknas för kartläggningen av de lokala systemledningarna 2025",
        "Uppgifter saknas för kommunernas rapportering till Socialstyrelsen 2025",
        "Uppgifter saknas för det regionala stödets aktiviteter 2025",
        "Uppgifter saknas för den ekonomiska redovisningen 2025",
        "Utkast – rapporten är inte publicerad.",
    ] {
        assert!(text.contains(what), "missing note «{what}»");
    }
    assert!(!text.contains("av 20"), "no indicator counts without an edition");
    assert!(!text.contains("Summa"), "no economy totals without data");
    assert_eq!(html.matches("<figure").count(), 0);
}

#[test]
fn frozen_json_round_trips_and_regenerates_the_same_bytes() {
    let mut input = input_2024();
    input.date = chrono::NaiveDate::from_ymd_opt(2025, 5, 22);
    input.draft = false;
    let json = input.to_json();
    let back = ReportInput::from_json(&json).unwrap();
    assert_eq!(back.to_json(), json, "the frozen form is stable");
    for f in [Format::Pdf, Format::Html] {
        assert_eq!(render(&input, f).unwrap(), render(&back, f).unwrap(), "{f:?} deterministic");
    }
    // docx-rs numbers embedded pictures with a process-wide counter, so the DOCX bytes differ
    // between renders; the text content is the same.
    let text = |input: &ReportInput| {
        let xml = gnv_report::docx_text::document_xml(&render(input, Format::Docx).unwrap()).unwrap();
        gnv_report::docx_text::paragraphs(&xml)
    };
    assert_eq!(text(&input), text(&back));
}

/// The example input with the typed values that inputs built from an edition carry.
fn input_with_graphics() -> ReportInput {
    use gnv_core::nyckeltal::{Arrow, Assessment, Colour};
    let mut input = input_2024();
    let ind = input.indicators.as_mut().unwrap();
    for (i, row) in ind.rows.iter_mut().enumerate() {
        for v in row.values.iter_mut() {
            let comparison = if row.fact {
                None
            } else if v.comparison.starts_with("Grön") {
                Some(Colour::Green)
            } else if v.comparison.starts_with("Röd") {
                Some(Colour::Red)
            } else {
                Some(Colour::Yellow)
            };
            v.graphic = Some(gnv_report::input::ValueGraphic {
                value: Some(format!("{},{}", 40 + i, i % 10)),
                period: Some(2024),
                change: Some((Arrow::Up, (!row.fact).then_some(Assessment::Improved))),
                comparison,
            });
        }
    }
    input
}

#[test]
fn appendix_2_shows_the_one_page_infographic_in_colour() {
    let plain = gnv_report::build::build(&input_2024());
    let is_figure =
        |b: &gnv_render::dokument::Block| matches!(b, gnv_render::dokument::Block::LandscapeFigure { .. });
    assert!(
        !plain.blocks.iter().any(is_figure),
        "inputs without typed values (frozen before) keep the tables only"
    );
    let input = input_with_graphics();
    let doc = gnv_report::build::build(&input);
    assert_eq!(doc.blocks.iter().filter(|b| is_figure(b)).count(), 1);
    let html = String::from_utf8(render(&input, Format::Html).unwrap()).unwrap();
    let bilaga = &html[html.find("Bilaga 2 – Infografiken").unwrap()..];
    assert!(bilaga.contains("<svg") && bilaga.contains("#a6dba0"), "coloured figure in appendix 2");
    assert!(bilaga.contains("i jämförelse med andra"));
    // The tables stay (the same data as text).
    assert!(html_text(bilaga).contains("I jämförelse med andra"));
    check("html", &html_text(&html), &input);
    let pdf = render(&input, Format::Pdf).unwrap();
    if let Some(text) = pdf_text(&pdf) {
        check("pdf", &text, &input);
    }
    if let Ok(out) = std::env::var("GNV_KEEP_REPORT_PDF") {
        std::fs::write(out, &pdf).unwrap();
    }
    let docx = render(&input, Format::Docx).unwrap();
    assert!(docx.starts_with(b"PK"));
}
