//! Accessible HTML of a [`Document`]: one `h1` for the title, headings one level below their
//! document level (`Heading(1, …)` → `h2`), tables with `caption` and `th scope`, figures as
//! inline SVG inside `figure` with a numbered `figcaption`. All text is escaped; the SVG comes
//! from `gnv_render::chart`, which escapes its own labels.
//!
//! [`fragment`] is embedded in the web page (styled by the application's CSS); [`standalone`] is
//! the downloadable file with its own small style sheet.

use gnv_render::dokument::{segments, Block, Document, Segment};
use std::cell::RefCell;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text with newlines as `<br>` and bare web addresses as links; footnotes inline in brackets
/// (for short excerpts without a notes list).
fn text(s: &str) -> String {
    segments(s)
        .into_iter()
        .map(|seg| match seg {
            Segment::Text(t) => plain(t),
            Segment::Note(n) => format!(" <small>({})</small>", plain(n)),
        })
        .collect()
}

/// Like [`text`], but footnotes become numbered references to the list collected in `notes`.
fn rich(s: &str, notes: &RefCell<Vec<String>>) -> String {
    segments(s)
        .into_iter()
        .map(|seg| match seg {
            Segment::Text(t) => plain(t),
            Segment::Note(n) => {
                let mut list = notes.borrow_mut();
                list.push(n.to_string());
                let k = list.len();
                format!(
                    "<sup class=\"fotnot\"><a href=\"#fotnot-{k}\" id=\"fotnotref-{k}\" aria-label=\"Fotnot {k}\">{k}</a></sup>"
                )
            }
        })
        .collect()
}

fn plain(s: &str) -> String {
    s.split('\n').map(linkify).collect::<Vec<_>>().join("<br>")
}

fn linkify(s: &str) -> String {
    let mut out = String::new();
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let trimmed = word.trim_end_matches(['.', ',', ')', ';']);
        if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
            out.push_str(&format!(
                "<a href=\"{}\">{}</a>{}",
                esc(trimmed),
                esc(trimmed),
                esc(&word[trimmed.len()..])
            ));
        } else {
            out.push_str(&esc(word));
        }
    }
    out
}

/// A URL-safe id for a heading.
fn slug(s: &str, n: usize) -> String {
    let mut out = String::from("avsnitt-");
    for c in s.to_lowercase().chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'å' | 'ä' => out.push('a'),
            'ö' => out.push('o'),
            'é' => out.push('e'),
            _ => {
                if !out.ends_with('-') {
                    out.push('-')
                }
            }
        }
    }
    format!("{}-{n}", out.trim_end_matches('-'))
}

/// The body of the report: title, table of contents and all blocks.
pub fn fragment(doc: &Document) -> String {
    let notes = RefCell::new(Vec::new());
    let mut out = String::new();
    out.push_str("<article class=\"rapport\" lang=\"sv\">\n");
    out.push_str(&format!("<h1>{}</h1>\n", esc(&doc.title)));
    if let Some(sub) = &doc.subtitle {
        out.push_str(&format!("<p class=\"rapport-undertitel\">{}</p>\n", esc(sub)));
    }
    let mut meta = Vec::new();
    if !doc.metadata.author.is_empty() {
        meta.push(esc(&doc.metadata.author));
    }
    if let Some(d) = doc.metadata.date {
        meta.push(format!("<time datetime=\"{0}\">{0}</time>", d.format("%Y-%m-%d")));
    }
    if !meta.is_empty() {
        out.push_str(&format!("<p class=\"rapport-meta\">{}</p>\n", meta.join(" · ")));
    }
    // Table of contents (levels 1 to the document's depth).
    let headings: Vec<(usize, u8, &str)> = doc
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Heading(l, t) => Some((i, *l, t.as_str())),
            _ => None,
        })
        .collect();
    out.push_str("<nav class=\"rapport-toc\" aria-labelledby=\"rapport-toc-rubrik\">\n<h2 id=\"rapport-toc-rubrik\">Innehåll</h2>\n<ul>\n");
    for (i, l, t) in &headings {
        if *l <= doc.toc_depth() {
            let class = match l {
                1 => "",
                2 => " class=\"toc-niva2\"",
                3 => " class=\"toc-niva3\"",
                _ => " class=\"toc-niva4\"",
            };
            out.push_str(&format!("<li{class}><a href=\"#{}\">{}</a></li>\n", slug(t, *i), esc(t)));
        }
    }
    out.push_str("</ul>\n</nav>\n");
    let (mut figures, mut tables) = (0, 0);
    for (i, b) in doc.blocks.iter().enumerate() {
        match b {
            Block::Heading(level, t) => {
                let h = (*level).clamp(1, 5) + 1;
                out.push_str(&format!("<h{h} id=\"{}\">{}</h{h}>\n", slug(t, i), esc(t)));
            }
            Block::Paragraph(t) => out.push_str(&format!("<p>{}</p>\n", rich(t, &notes))),
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for it in items {
                    out.push_str(&format!("<li>{}</li>\n", rich(it, &notes)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => {
                tables += 1;
                // A wide table scrolls in its own keyboard-focusable region.
                out.push_str(&format!(
                    "<div class=\"tabell-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Tabell {tables}\">\n<table>\n"
                ));
                out.push_str(&format!(
                    "<caption>Tabell {tables}. {}</caption>\n<thead><tr>",
                    esc(&t.caption)
                ));
                for h in t.normalised_row(&t.header) {
                    out.push_str(&format!("<th scope=\"col\">{}</th>", esc(&h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for r in &t.rows {
                    out.push_str("<tr>");
                    for (j, c) in t.normalised_row(r).iter().enumerate() {
                        if j == 0 && !c.is_empty() {
                            out.push_str(&format!("<th scope=\"row\">{}</th>", rich(c, &notes)));
                        } else {
                            out.push_str(&format!("<td>{}</td>", rich(c, &notes)));
                        }
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n</div>\n");
            }
            Block::Figure { svg, alt, caption } | Block::LandscapeFigure { svg, alt, caption } => {
                figures += 1;
                out.push_str(&format!(
                    "<figure class=\"rapport-figur\" aria-label=\"{}\">\n<div class=\"figur-bild\">{}</div>\n<figcaption>Figur {figures}. {}</figcaption>\n</figure>\n",
                    esc(alt),
                    svg,
                    esc(caption)
                ));
            }
            Block::PageBreak => out.push_str("<hr class=\"sidbrytning\">\n"),
        }
    }
    let notes = notes.into_inner();
    if !notes.is_empty() {
        out.push_str("<section class=\"fotnoter\" aria-labelledby=\"fotnoter-rubrik\">\n<h2 id=\"fotnoter-rubrik\">Fotnoter</h2>\n<ol>\n");
        for (i, body) in notes.iter().enumerate() {
            let n = i + 1;
            out.push_str(&format!(
                "<li id=\"fotnot-{n}\">{} <a href=\"#fotnotref-{n}\" aria-label=\"Tillbaka till texten för fotnot {n}\">↩</a></li>\n",
                text(body)
            ));
        }
        out.push_str("</ol>\n</section>\n");
    }
    out.push_str("</article>\n");
    out
}

const STANDALONE_CSS: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#1b1b1b;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}\
h1{font-size:1.8rem}h2{font-size:1.4rem;margin-top:2rem}h3{font-size:1.15rem}h4{font-size:1rem}\
table{border-collapse:collapse;width:100%;margin:1rem 0}caption{text-align:left;font-weight:bold;padding:.3rem 0}\
th,td{border:1px solid #888;padding:.3rem .5rem;text-align:left;vertical-align:top}thead th{background:#e6e6e6}\
figure{margin:1rem 0}figcaption{font-style:italic}svg{max-width:100%;height:auto}a{color:#1f4e79}\
.rapport-meta,.rapport-undertitel{color:#444}hr.sidbrytning{border:0;border-top:1px solid #ccc;margin:2rem 0}\
@media print{hr.sidbrytning{page-break-after:always;border:0}}";

/// A complete HTML file of the report.
pub fn standalone(doc: &Document) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<meta name=\"author\" content=\"{}\">\n<style>{STANDALONE_CSS}</style>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
        esc(&doc.title),
        esc(&doc.metadata.author),
        fragment(doc)
    )
}

/// A section's blocks for the narrative editor: headings start at `h3`, tables are shown with
/// their captions (without numbers), figures by their caption only.
pub fn excerpt(blocks: &[Block]) -> String {
    excerpt_at(blocks, 1)
}

/// Like [`excerpt`], for blocks whose highest heading level is `top`: that level becomes `h3`
/// (the editor's section heading is `h2`), so the page's headings nest without jumps.
pub fn excerpt_at(blocks: &[Block], top: u8) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Heading(level, t) => {
                let h = ((*level).clamp(1, 4).saturating_sub(top.saturating_sub(1)).max(1) + 2).min(6);
                out.push_str(&format!("<h{h}>{}</h{h}>\n", esc(t)));
            }
            Block::Paragraph(t) => out.push_str(&format!("<p>{}</p>\n", text(t))),
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for it in items {
                    out.push_str(&format!("<li>{}</li>\n", text(it)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => {
                out.push_str(&format!(
                    "<div class=\"tabell-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{0}\">\n<table>\n<caption>{0}</caption>\n<thead><tr>",
                    esc(&t.caption)
                ));
                for h in t.normalised_row(&t.header) {
                    out.push_str(&format!("<th scope=\"col\">{}</th>", esc(&h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for r in &t.rows {
                    out.push_str("<tr>");
                    for c in t.normalised_row(r) {
                        out.push_str(&format!("<td>{}</td>", text(&c)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n</div>\n");
            }
            Block::Figure { caption, .. } | Block::LandscapeFigure { caption, .. } => {
                out.push_str(&format!("<p class=\"muted\">Figur: {}</p>\n", esc(caption)))
            }
            Block::PageBreak => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gnv_render::dokument::Table;

    #[test]
    fn text_is_escaped_and_headings_are_one_level_down() {
        let mut d = Document::new("Titel <x>");
        d.heading(1, "1 Bakgrund");
        d.paragraph("a < b & <script>");
        d.table(Table {
            caption: "T".into(),
            header: vec!["A".into()],
            rows: vec![vec!["<b>".into()]],
            widths: vec![],
        });
        let h = fragment(&d);
        assert!(h.contains("<h1>Titel &lt;x&gt;</h1>"));
        assert!(h.contains("<h2 id=\""));
        assert!(h.contains("a &lt; b &amp; &lt;script&gt;"));
        assert!(h.contains("<th scope=\"row\">&lt;b&gt;</th>"));
        assert!(h.contains("<caption>Tabell 1. T</caption>"));
        assert!(!h.contains("<script>"));
    }

    #[test]
    fn addresses_become_links() {
        assert_eq!(linkify("se https://a.se/x."), "se <a href=\"https://a.se/x\">https://a.se/x</a>.");
    }
}
