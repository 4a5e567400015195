//! The annual report (årsrapport) of GNV-uppföljning.
//!
//! Flow: the storage adapter reads each module's stored results for a year
//! ([`gnv_core::arsrapport::ReportData`], `gnv_storage::Db::report_data`) → [`assemble`] turns
//! them into a [`ReportInput`] → [`build`] turns it into a general
//! [`gnv_render::dokument::Document`] with the report's structure (DOMAIN.md §11) → [`render`]
//! writes PDF (Typst, PDF/A-2b), DOCX (Word, figures as PNG with alternative text) or HTML
//! ([`html`], accessible, figures as inline SVG with a table after each).
//!
//! Everything is pure and deterministic: the same input gives the same bytes, which is what
//! makes a published report reproducible from its frozen input.
//!
//! - [`assemble`] — the [`ReportInput`] of a year from the stored data (`ReportData`), the
//!   quote sources, and the frozen-or-draft choice of a year's input.
//! - [`analys`] — 3.2.3 self-assessment beside the survey per sub-goal, multi-year statements,
//!   the survey's delivery per municipality (pure computation).
//! - [`input`] — [`ReportInput`] and the snapshot types of its parts.
//! - [`build`](mod@build) — the document: sections, generated sentences, figures and tables,
//!   "Uppgifter saknas för …" notes, analyst narratives, cited sources.
//! - [`handlingsplan`] — the regional action plan's follow-up (section 3.6): frozen input and
//!   the computations of its three levels.
//! - [`layout`] — structured narratives: generated parts and analyst text blocks per section.
//! - [`quotes`] — the quotes the analyst chose from the free-text answers.
//! - [`markdown`] — the safe Markdown subset of narratives (`###`/`####` subheadings).
//! - [`sources`] — the cited sources with their addresses.
//! - [`html`] — HTML output.

pub mod analys;
pub mod assemble;
pub mod build;
pub mod docx_text;
pub mod handlingsplan;
pub mod html;
pub mod input;
pub mod layout;
pub mod markdown;
pub mod quotes;
pub mod sources;

pub use build::{
    build, build_with_parts, figure_number, section_blocks, section_label, GeneratedPart, SectionParts,
    RELATION_CAPTION, SECTIONS, SURVEY_AREAS_CAPTION,
};
pub use input::{IndicatorInput, MappingInput, ReportInput, SelfAssessmentInput};

use gnv_render::dokument::{self, Document};
use sha2::{Digest, Sha256};

/// An output format of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Pdf,
    Docx,
    Html,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Docx, Format::Html];

    /// File extension: `pdf`, `docx`, `html`.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Html => "html",
        }
    }

    /// MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Html => "text/html; charset=utf-8",
        }
    }

    /// Parses `pdf`, `docx` or `html` (case-insensitive).
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "docx" | "word" => Some(Format::Docx),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// Errors from rendering a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Render(#[from] dokument::RenderError),
}

/// Renders a built document in one format.
pub fn render_document(doc: &Document, format: Format) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        Format::Pdf => dokument::pdf::to_pdf(doc)?,
        Format::Docx => {
            let docx = dokument::docx::to_docx_with(doc, &rasterise)?;
            with_picture_descriptions(&docx, &figure_alts(doc)).unwrap_or(docx)
        }
        Format::Html => html::standalone(doc).into_bytes(),
    })
}

/// Builds and renders the report in one format.
pub fn render(input: &ReportInput, format: Format) -> Result<Vec<u8>, ReportError> {
    render_document(&build(input), format)
}

/// The alternative texts of the document's figures, in order.
fn figure_alts(doc: &Document) -> Vec<String> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            dokument::Block::Figure { alt, .. } | dokument::Block::LandscapeFigure { alt, .. } => {
                Some(alt.clone())
            }
            _ => None,
        })
        .collect()
}

/// Writes each figure's alternative text into its picture's `wp:docPr` (`descr`, what Word
/// shows and reads as "Alternativ text") with a unique id; docx-rs writes neither. `None`
/// when the package cannot be read (the caller keeps the original).
fn with_picture_descriptions(docx: &[u8], alts: &[String]) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).ok()?;
    let mut xml = String::new();
    archive.by_name("word/document.xml").ok()?.read_to_string(&mut xml).ok()?;
    let marker = "<wp:docPr id=\"1\" name=\"Figure\" />";
    let mut out_xml = String::with_capacity(xml.len() + alts.iter().map(String::len).sum::<usize>());
    let mut rest = xml.as_str();
    let mut n = 0;
    while let Some(i) = rest.find(marker) {
        out_xml.push_str(&rest[..i]);
        let descr = alts.get(n).map(|a| html::esc(a)).unwrap_or_default();
        n += 1;
        out_xml.push_str(&format!("<wp:docPr id=\"{}\" name=\"Figur {n}\" descr=\"{descr}\" />", 1000 + n));
        rest = &rest[i + marker.len()..];
    }
    out_xml.push_str(rest);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let file = archive.by_index(i).ok()?;
        if file.name() == "word/document.xml" {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .last_modified_time(file.last_modified().unwrap_or_default());
            drop(file);
            writer.start_file("word/document.xml", options).ok()?;
            writer.write_all(out_xml.as_bytes()).ok()?;
        } else {
            writer.raw_copy_file(file).ok()?;
        }
    }
    Some(writer.finish().ok()?.into_inner())
}

/// A figure's SVG as PNG (2× for print) for Word.
fn rasterise(svg: &str) -> Option<dokument::docx::Raster> {
    let png = gnv_render::chart::svg_to_png(svg, 2.0).ok()?;
    let (width, height) = png_size(&png)?;
    Some(dokument::docx::Raster { png, width, height })
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.len() < 24 || &png[1..4] != b"PNG" {
        return None;
    }
    let w = u32::from_be_bytes(png[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(png[20..24].try_into().ok()?);
    Some((w, h))
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
