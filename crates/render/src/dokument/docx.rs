//! DOCX output with docx-rs: real heading styles (with outline levels), real tables, bullet
//! lists, page numbers in the footer.

use super::{segments, Block, Document, RenderError, Segment, CONTENTS_WORD, OF_WORD, PAGE_WORD};
use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, FieldCharType, Footer, Footnote, IndentLevel,
    InstrText, Level, LevelJc, LevelText, NumberFormat, Numbering, NumberingId, Paragraph, Run, RunFonts,
    Shading, ShdType, Start, Style, StyleType, Table, TableCell, TableOfContents, TableRow, VertAlignType,
    WidthType,
};
use std::cell::Cell;

const BULLET_NUMBERING: usize = 1;
/// Usable text width of A4 with 2 cm margins, in twentieths of a point.
const TEXT_WIDTH_TWIPS: usize = 9638;

/// A raster fallback for a figure: PNG bytes and its size in pixels.
pub struct Raster {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Renders the document as DOCX bytes. Figures are written as caption and alternative text.
pub fn to_docx(doc: &Document) -> Result<Vec<u8>, RenderError> {
    to_docx_with(doc, &|_| None)
}

/// Like [`to_docx`]; `rasterise` may turn a figure's SVG into a PNG to embed.
pub fn to_docx_with(
    doc: &Document,
    rasterise: &dyn Fn(&str) -> Option<Raster>,
) -> Result<Vec<u8>, RenderError> {
    let fonts = RunFonts::new()
        .ascii("DejaVu Sans")
        .hi_ansi("DejaVu Sans")
        .cs("DejaVu Sans")
        .east_asia("DejaVu Sans");
    let notes = Cell::new(0);
    let mut d = Docx::new()
        .default_fonts(fonts)
        .default_size(19)
        .page_size(11906, 16838)
        .page_margin(docx_rs::PageMargin::new().top(1134).bottom(1247).left(1134).right(1134))
        .add_style(heading_style("Title", "Title", 36, None))
        .add_style(heading_style("Subtitle", "Subtitle", 24, None))
        .add_style(heading_style("Heading1", "heading 1", 28, Some(0)))
        .add_style(heading_style("Heading2", "heading 2", 24, Some(1)))
        .add_style(heading_style("Heading3", "heading 3", 21, Some(2)))
        .add_style(heading_style("Heading4", "heading 4", 19, Some(3)))
        .add_style(Style::new("Caption", StyleType::Paragraph).name("caption").italic().size(18))
        .add_style(Style::new("FootnoteText", StyleType::Paragraph).name("footnote text").size(16))
        .add_style(footnote_reference_style())
        .add_style(Style::new("ListBullet", StyleType::Paragraph).name("List Bullet").based_on("Normal"))
        .add_abstract_numbering(
            AbstractNumbering::new(BULLET_NUMBERING).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(360),
                    Some(docx_rs::SpecialIndentType::Hanging(240)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLET_NUMBERING, BULLET_NUMBERING))
        .footer(footer(&doc.metadata.footer))
        .custom_property("Titel", doc.title.clone());
    if !doc.metadata.author.is_empty() {
        d = d.custom_property("Avsändare", doc.metadata.author.clone());
    }
    if let Some(date) = doc.metadata.date {
        d = d.created_at(&format!("{}T00:00:00Z", date.format("%Y-%m-%d")));
    }
    d = d.add_paragraph(text_para(&doc.title, &notes).style("Title"));
    if let Some(sub) = &doc.subtitle {
        d = d.add_paragraph(text_para(sub, &notes).style("Subtitle"));
    }
    let mut meta = Vec::new();
    if !doc.metadata.author.is_empty() {
        meta.push(doc.metadata.author.clone());
    }
    if let Some(date) = doc.metadata.date {
        meta.push(date.format("%Y-%m-%d").to_string());
    }
    if !meta.is_empty() {
        d = d.add_paragraph(text_para(&meta.join(" · "), &notes));
    }
    if doc.contents {
        // A TOC field marked dirty: Word fills it (with page numbers) when the file is opened.
        d = d.add_paragraph(Paragraph::new().add_run(Run::new().add_text(CONTENTS_WORD).bold().size(24)));
        d = d.add_table_of_contents(
            TableOfContents::new().heading_styles_range(1, usize::from(doc.toc_depth())).alias(CONTENTS_WORD),
        );
        d = d.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
    }
    let mut tables = 0;
    let mut figures = 0;
    for b in &doc.blocks {
        match b {
            Block::Heading(level, text) => {
                let style = match level {
                    0 | 1 => "Heading1",
                    2 => "Heading2",
                    3 => "Heading3",
                    _ => "Heading4",
                };
                d = d.add_paragraph(text_para(text, &notes).style(style));
            }
            Block::Paragraph(text) => d = d.add_paragraph(text_para(text, &notes)),
            Block::Bullets(items) => {
                for i in items {
                    d = d.add_paragraph(
                        text_para(i, &notes)
                            .style("ListBullet")
                            .numbering(NumberingId::new(BULLET_NUMBERING), IndentLevel::new(0)),
                    );
                }
            }
            Block::Table(t) => {
                tables += 1;
                d = d.add_paragraph(
                    text_para(&format!("Tabell {tables}. {}", t.caption), &notes).style("Caption"),
                );
                let widths = t.column_widths();
                let total: u32 = widths.iter().sum();
                let grid: Vec<usize> =
                    widths.iter().map(|w| TEXT_WIDTH_TWIPS * *w as usize / total.max(1) as usize).collect();
                let mut rows = vec![TableRow::new(
                    t.normalised_row(&t.header)
                        .iter()
                        .zip(&grid)
                        .map(|(h, w)| {
                            TableCell::new()
                                .width(*w, WidthType::Dxa)
                                .shading(Shading::new().shd_type(ShdType::Clear).fill("E6E6E6"))
                                .add_paragraph(Paragraph::new().add_run(Run::new().add_text(h).bold()))
                        })
                        .collect(),
                )
                .cant_split()];
                for r in &t.rows {
                    rows.push(
                        TableRow::new(
                            t.normalised_row(r)
                                .iter()
                                .zip(&grid)
                                .map(|(c, w)| {
                                    TableCell::new()
                                        .width(*w, WidthType::Dxa)
                                        .add_paragraph(text_para(c, &notes))
                                })
                                .collect(),
                        )
                        .cant_split(),
                    );
                }
                d = d.add_table(Table::new(rows).set_grid(grid).width(TEXT_WIDTH_TWIPS, WidthType::Dxa));
                d = d.add_paragraph(Paragraph::new());
            }
            Block::Figure { svg, alt, caption } | Block::LandscapeFigure { svg, alt, caption } => {
                figures += 1;
                match rasterise(svg) {
                    Some(r) => {
                        // 9638 twips ≈ 17 cm; EMU = 914400 per inch, 635 per twip.
                        let width_emu = (TEXT_WIDTH_TWIPS as u32) * 635;
                        let height_emu =
                            (u64::from(width_emu) * u64::from(r.height) / u64::from(r.width.max(1))) as u32;
                        let pic = docx_rs::Pic::new_with_dimensions(r.png, r.width, r.height)
                            .size(width_emu, height_emu);
                        d = d.add_paragraph(Paragraph::new().add_run(Run::new().add_image(pic)));
                    }
                    None => d = d.add_paragraph(text_para(&format!("[Figur: {alt}]"), &notes)),
                }
                d = d.add_paragraph(
                    text_para(&format!("Figur {figures}. {caption}"), &notes).style("Caption"),
                );
            }
            Block::PageBreak => {
                d = d.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            }
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// The character style Word uses for footnote numbers in the text: superscript.
fn footnote_reference_style() -> Style {
    let mut s = Style::new("FootnoteReference", StyleType::Character).name("footnote reference");
    s.run_property = s.run_property.vert_align(VertAlignType::SuperScript);
    s
}

fn heading_style(id: &str, name: &str, size: usize, outline: Option<usize>) -> Style {
    let mut s = Style::new(id, StyleType::Paragraph).name(name).bold().size(size).next("Normal");
    if let Some(l) = outline {
        s = s.outline_lvl(l);
    }
    s
}

/// A paragraph of plain text; newlines become line breaks, inline notes Word footnotes
/// (numbered from `notes`, so equal documents get equal ids).
fn text_para(text: &str, notes: &Cell<usize>) -> Paragraph {
    let mut p = Paragraph::new();
    for seg in segments(text) {
        match seg {
            Segment::Text(t) => p = p.add_run(lines_run(t)),
            Segment::Note(n) => {
                let id = notes.get() + 1;
                notes.set(id);
                let footnote = Footnote {
                    id,
                    content: vec![Paragraph::new().style("FootnoteText").add_run(lines_run(n))],
                };
                p = p.add_run(Run::new().add_footnote_reference(footnote));
            }
        }
    }
    p
}

fn lines_run(text: &str) -> Run {
    let mut run = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

fn footer(text: &str) -> Footer {
    let field = |instr: &str| {
        Run::new()
            .add_field_char(FieldCharType::Begin, false)
            .add_instr_text(InstrText::Unsupported(instr.to_string()))
            .add_field_char(FieldCharType::Separate, false)
            .add_text("1")
            .add_field_char(FieldCharType::End, false)
    };
    let mut p = Paragraph::new().align(AlignmentType::Right);
    if !text.is_empty() {
        p = p.add_run(Run::new().add_text(format!("{text} – ")));
    }
    p = p
        .add_run(Run::new().add_text(format!("{PAGE_WORD} ")))
        .add_run(field("PAGE"))
        .add_run(Run::new().add_text(format!(" {OF_WORD} ")))
        .add_run(field("NUMPAGES"));
    Footer::new().add_paragraph(p)
}
