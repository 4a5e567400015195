//! A small, general document model rendered to PDF (via Typst, PDF/A-2b) and DOCX (Word).
//!
//! Used for documents that users download: the regional action plan (about four pages) and the
//! annual report. A [`Document`] is a title, an optional subtitle, [`Metadata`] and a flat list
//! of [`Block`]s; both renderers map every block to the format's own structure so the result is
//! accessible and editable:
//!
//! | block | PDF (Typst) | DOCX |
//! |---|---|---|
//! | [`Block::Heading`] level 1–3 | `heading` (PDF outline/bookmarks, tagged) | paragraph styles "Heading 1–3" with outline level (Word's navigation pane) |
//! | [`Block::Paragraph`] | paragraph | "Normal" paragraph |
//! | [`Block::Bullets`] | list | paragraphs in style "List Bullet" with a bullet |
//! | [`Block::Table`] | `figure(table)` with caption "Tabell N" above and a repeated header row | real table, header row shaded and bold, caption paragraph above |
//! | [`Block::Figure`] | the SVG embedded as vector image with alt text, caption "Figur N" below | the caption and alt text (Word cannot show SVG without a raster fallback; pass one with [`docx::to_docx_with`]) |
//! | [`Block::PageBreak`] | page break | page break |
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
    /// A heading; level 1 is the highest (the document title is separate). Levels above 3 are
    /// shown as 3.
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
    PageBreak,
}

/// A document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub subtitle: Option<String>,
    pub metadata: Metadata,
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
