//! PDF output through Typst: the [`Document`] becomes Typst markup (all text as escaped string
//! literals), compiled in an in-memory world with the vendored fonts and exported as PDF/A-2b
//! (and PDF/UA-1 as well when `Document::pdf_ua` is set).

use super::{Block, Document, RenderError, CONTENTS_WORD, FONTS, OF_WORD, PAGE_WORD};
use chrono::Datelike;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// Renders the document as PDF/A-2b bytes. PDF/A requires a document date: when
/// [`Metadata::date`](super::Metadata::date) is `None`, today's date (UTC) is used.
pub fn to_pdf(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let mut dated;
    let doc = if doc.metadata.date.is_none() {
        dated = doc.clone();
        dated.metadata.date = Some(chrono::Utc::now().date_naive());
        &dated
    } else {
        doc
    };
    let (markup, figures) = to_typst(doc);
    let world = DocWorld::new(markup, figures)?;
    let compiled = typst::compile::<PagedDocument>(&world);
    let document = compiled.output.map_err(|errs| {
        RenderError::Pdf(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })?;
    let list: &[PdfStandard] =
        if doc.pdf_ua { &[PdfStandard::A_2b, PdfStandard::Ua_1] } else { &[PdfStandard::A_2b] };
    let standards = PdfStandards::new(list).map_err(|e| RenderError::Pdf(e.message().to_string()))?;
    let timestamp = doc
        .metadata
        .date
        .and_then(|d| Datetime::from_ymd(d.year(), d.month() as u8, d.day() as u8))
        .map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(doc.title.clone()),
        creator: Smart::Custom(Some("GNV-uppföljning".to_string())),
        timestamp,
        standards,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errs| {
        RenderError::Pdf(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })
}

/// One landscape page (A4 or A3) holding an SVG image as large as fits, as PDF/A-2b: the
/// printable form of the one-page infographic. `title` goes into the document properties.
pub fn svg_page_pdf(
    title: &str,
    svg: &str,
    alt: &str,
    a3: bool,
    date: chrono::NaiveDate,
) -> Result<Vec<u8>, RenderError> {
    let markup = format!(
        "#set document(title: {}, author: \"GNV-uppföljning\", date: datetime(year: {}, month: {}, day: {}))\n\
#set text(font: \"DejaVu Sans\", lang: \"sv\", region: \"SE\")\n\
#set page(paper: \"{}\", flipped: true, margin: 0.8cm)\n\
#align(center + horizon, image(\"/fig-0.svg\", alt: {}, width: 100%, height: 100%, fit: \"contain\"))\n",
        lit(title),
        date.year(),
        date.month(),
        date.day(),
        if a3 { "a3" } else { "a4" },
        lit(alt)
    );
    let world = DocWorld::new(markup, vec![svg.to_string()])?;
    let compiled = typst::compile::<PagedDocument>(&world);
    let document = compiled.output.map_err(|errs| {
        RenderError::Pdf(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })?;
    let standards =
        PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| RenderError::Pdf(e.message().to_string()))?;
    let timestamp =
        Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8).map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(title.to_string()),
        creator: Smart::Custom(Some("GNV-uppföljning".to_string())),
        timestamp,
        standards,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errs| {
        RenderError::Pdf(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })
}

/// A Typst string literal with `s` as its value.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Content for plain text: `[#"…"]`, newlines as line breaks, inline notes as footnotes.
fn content(s: &str) -> String {
    let mut out = String::from("[");
    for seg in super::segments(s) {
        match seg {
            super::Segment::Text(t) => out.push_str(&lines(t)),
            super::Segment::Note(n) => out.push_str(&format!("#footnote[{}]", lines(n))),
        }
    }
    out.push(']');
    out
}

/// `#"line" #linebreak() #"line"` for text without notes.
fn lines(s: &str) -> String {
    let parts: Vec<String> = s.split('\n').map(lit).collect();
    format!("#{}", parts.join(" #linebreak() #"))
}

/// The Typst source for a document and the SVG figures it references (`/fig-N.svg`).
pub fn to_typst(doc: &Document) -> (String, Vec<String>) {
    let mut s = String::new();
    let mut figures = Vec::new();
    let date = doc
        .metadata
        .date
        .map(|d| format!("datetime(year: {}, month: {}, day: {})", d.year(), d.month(), d.day()));
    s.push_str(&format!(
        "#set document(title: {}, author: {}, keywords: ({}), date: {})\n",
        lit(&doc.title),
        lit(&doc.metadata.author),
        doc.metadata.keywords.iter().map(|k| lit(k)).map(|k| format!("{k},")).collect::<String>(),
        date.clone().unwrap_or_else(|| "none".into()),
    ));
    s.push_str("#set text(font: \"DejaVu Sans\", size: 9.5pt, lang: \"sv\", region: \"SE\")\n");
    s.push_str("#set par(justify: false, leading: 0.6em, spacing: 0.9em)\n");
    s.push_str(&format!(
        "#set page(paper: \"a4\", margin: (x: 2cm, top: 2cm, bottom: 2.2cm), footer: context {{ set text(size: 8pt, fill: rgb(\"#444444\")); {} ; h(1fr); [{PAGE_WORD} #counter(page).display() {OF_WORD} #counter(page).final().first()] }})\n",
        content(&doc.metadata.footer)
    ));
    s.push_str("#set heading(numbering: none)\n");
    s.push_str("#show heading.where(level: 1): set text(size: 14pt)\n");
    s.push_str("#show heading.where(level: 2): set text(size: 12pt)\n");
    s.push_str("#show heading.where(level: 3): set text(size: 10.5pt)\n");
    s.push_str("#show heading.where(level: 4): set text(size: 9.5pt)\n");
    s.push_str("#show heading: set block(above: 1.2em, below: 0.6em)\n");
    s.push_str("#show figure.where(kind: table): set figure.caption(position: top)\n");
    s.push_str("#show figure: set block(breakable: true)\n");
    s.push_str("#set table(stroke: 0.5pt + rgb(\"#888888\"), inset: 4pt, fill: (x, y) => if y == 0 { rgb(\"#e6e6e6\") })\n");
    s.push_str("#show table.cell.where(y: 0): set text(weight: \"bold\")\n");
    s.push_str("#show table: set text(size: 8.5pt)\n");
    // Title block.
    s.push_str(&format!("#text(size: 18pt, weight: \"bold\"){}\n\n", content(&doc.title)));
    if let Some(sub) = &doc.subtitle {
        s.push_str(&format!("#text(size: 12pt){}\n\n", content(sub)));
    }
    let mut meta = Vec::new();
    if !doc.metadata.author.is_empty() {
        meta.push(doc.metadata.author.clone());
    }
    if let Some(d) = doc.metadata.date {
        meta.push(d.format("%Y-%m-%d").to_string());
    }
    if !meta.is_empty() {
        s.push_str(&format!("#text(size: 9pt, fill: rgb(\"#444444\")){}\n\n", content(&meta.join(" · "))));
    }
    if doc.contents {
        s.push_str(&format!(
            "#outline(title: {}, depth: {})\n#pagebreak(weak: true)\n\n",
            content(CONTENTS_WORD),
            doc.toc_depth()
        ));
    }
    // A heading right before a landscape figure goes onto the figure's landscape page.
    let mut page_heading: Option<String> = None;
    for (i, b) in doc.blocks.iter().enumerate() {
        match b {
            Block::Heading(level, text) => {
                let level = (*level).clamp(1, 4);
                let markup = format!("#heading(level: {level}){}\n\n", content(text));
                if matches!(doc.blocks.get(i + 1), Some(Block::LandscapeFigure { .. })) {
                    page_heading = Some(markup);
                } else {
                    s.push_str(&markup);
                }
            }
            Block::Paragraph(text) => s.push_str(&format!("#par{}\n\n", content(text))),
            Block::Bullets(items) => {
                let items: Vec<String> = items.iter().map(|i| content(i)).collect();
                s.push_str(&format!("#list({})\n\n", items.join(", ")));
            }
            Block::Table(t) => {
                let widths: Vec<String> = t.column_widths().iter().map(|w| format!("{w}fr")).collect();
                let header: Vec<String> = t.normalised_row(&t.header).iter().map(|h| content(h)).collect();
                let mut cells = Vec::new();
                for r in &t.rows {
                    cells.extend(t.normalised_row(r).iter().map(|c| content(c)));
                }
                s.push_str(&format!(
                    "#figure(kind: table, caption: {}, table(columns: ({},), align: left, table.header({}), {}))\n\n",
                    content(&t.caption),
                    widths.join(", "),
                    header.join(", "),
                    cells.join(", ")
                ));
            }
            Block::Figure { svg, alt, caption } => {
                let n = figures.len();
                figures.push(svg.clone());
                s.push_str(&format!(
                    "#figure(image(\"/fig-{n}.svg\", alt: {}, width: 100%), caption: {})\n\n",
                    lit(alt),
                    content(caption)
                ));
            }
            Block::LandscapeFigure { svg, alt, caption } => {
                let n = figures.len();
                figures.push(svg.clone());
                let heading = page_heading.take();
                let height = if heading.is_some() { "15.2cm" } else { "16.4cm" };
                s.push_str(&format!(
                    "#page(flipped: true, margin: (x: 1.2cm, top: 1.2cm, bottom: 1.8cm))[{}#figure(image(\"/fig-{n}.svg\", alt: {}, height: {height}), caption: {})]\n\n",
                    heading.unwrap_or_default(),
                    lit(alt),
                    content(caption)
                ));
            }
            Block::PageBreak => s.push_str("#pagebreak(weak: true)\n\n"),
        }
    }
    (s, figures)
}

struct DocWorld {
    main: Source,
    figures: Vec<(FileId, Bytes)>,
}

struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
        Shared {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn file_id(path: &str) -> Result<FileId, RenderError> {
    let vpath = VirtualPath::new(path).map_err(|e| RenderError::Pdf(format!("{e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl DocWorld {
    fn new(markup: String, figures: Vec<String>) -> Result<Self, RenderError> {
        let main = Source::new(file_id("/main.typ")?, markup);
        let figures = figures
            .into_iter()
            .enumerate()
            .map(|(i, svg)| Ok((file_id(&format!("/fig-{i}.svg"))?, Bytes::new(svg.into_bytes()))))
            .collect::<Result<Vec<_>, RenderError>>()?;
        Ok(DocWorld { main, figures })
    }
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().get_without_slash().into()))
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.figures
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }
    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
