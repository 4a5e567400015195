//! A small, general document model rendered to PDF (via Typst, PDF/A-2b) and DOCX (Word).
//!
//! Used for documents that users download: the regional action plan (about four pages) and the
//! annual report. A [`Document`] is a title, an optional subtitle, [`Metadata`] and a flat list
//! of [`Block`]s; both renderers map every block to the format's own structure so the result is
//! accessible and editable:
//!
//! | block | PDF (Typst) | DOCX |
//! |---|---|---|
//! | [`Block::Heading`] level 1–4 | `heading` (PDF outline/bookmarks, tagged) | paragraph styles "Heading 1–4" with outline level (Word's navigation pane) |
//! | [`Block::Paragraph`] | paragraph | "Normal" paragraph |
//! | [`Block::Bullets`] | list | paragraphs in style "List Bullet" with a bullet |
//! | [`Block::Table`] | `figure(table)` with caption "Tabell N" above and a repeated header row | real table, header row shaded and bold, caption paragraph above |
//! | [`Block::Figure`] | the SVG embedded as vector image with alt text, caption "Figur N" below | the caption and alt text (Word cannot show SVG without a raster fallback; pass one with [`docx::to_docx_with`]) |
//! | [`Block::LandscapeFigure`] | the SVG on a landscape page of its own, caption below | as [`Block::Figure`] |
//! | [`Block::PageBreak`] | page break | page break |
//!
//! Footnotes are inline in a text: [`note`] wraps the note's text in two private-use characters
//! that [`segments`] splits again; PDF gets Typst footnotes at the page foot, DOCX real Word
//! footnotes, HTML numbered references to a notes list. [`Document::contents`] asks for a table
//! of contents (Typst `outline`, a Word TOC field that Word fills when the file is opened).
//!
//! All text is plain: renderers escape it, so user data can never inject markup. Both outputs
//! are Swedish (`lang: sv`, hyphenation and "Tabell"/"Figur" supplements), use the vendored
//! DejaVu Sans (see `fonts/LICENSE-DejaVu.txt`) and carry page numbers "Sida N av M" in the
//! footer. Output is deterministic for equal input (the date comes from [`Metadata::date`]).

pub mod docx;
pub mod pdf;

use chrono::NaiveDate;

/// Document metadata written into the files' properties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Author or sender, e.g. "Länschefsnätverket, RSS Dalarna".
    pub author: String,
    /// Document date (creation date in the PDF, shown under the title).
    pub date: Option<NaiveDate>,
    /// Keywords (PDF keywords).
    pub keywords: Vec<String>,
    /// Short text in every page footer left of the page number, e.g. the document's name.
    pub footer: String,
}

/// A table with a caption (shown above), a header row and body rows. Rows shorter than the
/// header are padded with empty cells; longer rows are cut to the header's width.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Relative column widths (e.g. `[1, 3, 1]`); empty = equal widths.
    pub widths: Vec<u32>,
}

impl Table {
    /// The row padded or cut to the header's width.
    pub fn normalised_row(&self, row: &[String]) -> Vec<String> {
        let n = self.header.len().max(1);
        (0..n).map(|i| row.get(i).cloned().unwrap_or_default()).collect()
    }

    /// Relative widths, one per column (equal when not given or of the wrong length).
    pub fn column_widths(&self) -> Vec<u32> {
        let n = self.header.len().max(1);
        if self.widths.len() == n && self.widths.iter().all(|w| *w > 0) {
            self.widths.clone()
        } else {
            vec![1; n]
        }
    }
}

/// One block of content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading; level 1 is the highest (the document title is separate). Levels above 4 are
    /// shown as 4.
    Heading(u8, String),
    /// A paragraph of plain text. A newline in the text starts a new line in the paragraph.
    Paragraph(String),
    /// A bulleted list of plain-text items.
    Bullets(Vec<String>),
    Table(Table),
    /// A chart or other vector image: SVG source, alternative text, caption.
    Figure {
        svg: String,
        alt: String,
        caption: String,
    },
    /// A wide image (e.g. the one-page infographic) on a landscape page of its own in PDF;
    /// in DOCX and HTML like [`Block::Figure`].
    LandscapeFigure {
        svg: String,
        alt: String,
        caption: String,
    },
    PageBreak,
}

/// Start and end of an inline footnote in a text (Unicode private-use characters, which no
/// user text carries: [`strip_note_marks`] removes them from input).
pub const NOTE_START: char = '\u{E000}';
pub const NOTE_END: char = '\u{E001}';

/// An inline footnote with `text`, to be placed in a paragraph or list item right after the
/// words it belongs to.
pub fn note(text: &str) -> String {
    format!("{NOTE_START}{}{NOTE_END}", strip_note_marks(text))
}

/// `text` without footnote marks (for user input, which must not create footnotes).
pub fn strip_note_marks(text: &str) -> String {
    text.chars().filter(|c| *c != NOTE_START && *c != NOTE_END).collect()
}

/// A piece of a text: running text or a footnote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Note(&'a str),
}

/// Splits a text into running text and footnotes. An unterminated note runs to the end.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(NOTE_START) {
        if start > 0 {
            out.push(Segment::Text(&rest[..start]));
        }
        let after = &rest[start + NOTE_START.len_utf8()..];
        match after.find(NOTE_END) {
            Some(end) => {
                out.push(Segment::Note(&after[..end]));
                rest = &after[end + NOTE_END.len_utf8()..];
            }
            None => {
                out.push(Segment::Note(after));
                rest = "";
            }
        }
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

/// `text` with its footnotes removed (for plain-text uses such as captions in lists).
pub fn without_notes(text: &str) -> String {
    segments(text)
        .into_iter()
        .filter_map(|s| match s {
            Segment::Text(t) => Some(t),
            Segment::Note(_) => None,
        })
        .collect()
}

/// A document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub subtitle: Option<String>,
    pub metadata: Metadata,
    /// Whether a table of contents follows the title.
    pub contents: bool,
    /// The deepest heading level listed in the table of contents; 0 means 2.
    pub contents_depth: u8,
    /// The PDF also conforms to PDF/UA-1 (tagged, accessible) beside PDF/A-2b.
    pub pdf_ua: bool,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>) -> Self {
        Document { title: title.into(), ..Default::default() }
    }
    pub fn heading(&mut self, level: u8, text: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Heading(level, text.into()));
        self
    }
    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }
    pub fn bullets(&mut self, items: Vec<String>) -> &mut Self {
        self.blocks.push(Block::Bullets(items));
        self
    }
    pub fn table(&mut self, t: Table) -> &mut Self {
        self.blocks.push(Block::Table(t));
        self
    }
    pub fn push(&mut self, b: Block) -> &mut Self {
        self.blocks.push(b);
        self
    }
    /// The deepest heading level in the table of contents (2 unless set, at most 4).
    pub fn toc_depth(&self) -> u8 {
        if self.contents_depth == 0 {
            2
        } else {
            self.contents_depth.min(4)
        }
    }
}

/// Errors from rendering.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("PDF kunde inte skapas: {0}")]
    Pdf(String),
    #[error("Word-dokumentet kunde inte skapas: {0}")]
    Docx(String),
}

/// The vendored fonts: DejaVu Sans regular, bold, oblique, bold oblique.
pub(crate) const FONTS: [&[u8]; 4] = [
    include_bytes!("../../fonts/DejaVuSans.ttf"),
    include_bytes!("../../fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../../fonts/DejaVuSans-Oblique.ttf"),
    include_bytes!("../../fonts/DejaVuSans-BoldOblique.ttf"),
];

/// "Sida", "av" — the page footer words.
pub(crate) const PAGE_WORD: &str = "Sida";
pub(crate) const OF_WORD: &str = "av";
/// The title of the table of contents.
pub(crate) const CONTENTS_WORD: &str = "Innehåll";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_split_from_running_text() {
        let t = format!("Kolada{} visar{}.", note("Kolada, RKA. https://www.kolada.se"), note("Andra"));
        assert_eq!(
            segments(&t),
            vec![
                Segment::Text("Kolada"),
                Segment::Note("Kolada, RKA. https://www.kolada.se"),
                Segment::Text(" visar"),
                Segment::Note("Andra"),
                Segment::Text("."),
            ]
        );
        assert_eq!(without_notes(&t), "Kolada visar.");
        assert_eq!(segments("utan noter"), vec![Segment::Text("utan noter")]);
        assert_eq!(segments(""), vec![]);
    }

    #[test]
    fn user_text_cannot_create_notes() {
        let evil = format!("a{NOTE_START}b{NOTE_END}c");
        assert_eq!(strip_note_marks(&evil), "abc");
        assert_eq!(note(&evil), format!("{NOTE_START}abc{NOTE_END}"));
        // An unterminated mark still yields a note rather than swallowing text silently.
        assert_eq!(segments(&format!("x{NOTE_START}y")), vec![Segment::Text("x"), Segment::Note("y")]);
    }
}
