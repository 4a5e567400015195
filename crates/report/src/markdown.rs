//! The safe Markdown subset of analyst narratives.
//!
//! Supported: paragraphs (separated by blank lines; single newlines join into one paragraph),
//! bullet lists (`-`, `*` or `+` followed by a space; also `1.` numbered items, shown as bullets),
//! and inline emphasis `**bold**`, `__bold__`, `*italic*`, `_italic_`, whose markers are removed
//! (the document model is plain text). Links `[text](https://…)` become "text (https://…)".
//!
//! Headings: [`parse_structured`] (schema 2 reports) makes `#`, `##` and `###` a subheading of
//! the section (numbered like 3.2.4 by the report) and `####` (or more) a subheading one level
//! further down (3.2.3.1); [`parse`] (schema 1 reports, kept so that they regenerate exactly)
//! turns every heading into a paragraph of its text. Nothing is ever passed through as markup: every
//! renderer escapes the resulting plain text, so HTML in a narrative is shown as text.

/// A block of a narrative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MdBlock {
    Paragraph(String),
    Bullets(Vec<String>),
    /// A subheading: depth 1 (`###`) or 2 (`####`) below the section's heading.
    Heading(u8, String),
}

fn bullet_item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return Some(rest);
        }
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits < 4 {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r);
        }
    }
    None
}

/// Parses a narrative into blocks of plain text; headings become paragraphs.
pub fn parse(text: &str) -> Vec<MdBlock> {
    parse_with(text, false)
}

/// Parses a narrative into blocks; `###` and `####` become [`MdBlock::Heading`]s.
pub fn parse_structured(text: &str) -> Vec<MdBlock> {
    parse_with(text, true)
}

fn parse_with(text: &str, headings: bool) -> Vec<MdBlock> {
    // Footnote marks are the renderers' own; user text never creates footnotes.
    let text = &gnv_render::dokument::strip_note_marks(text);
    let mut blocks = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let flush_para = |para: &mut Vec<String>, blocks: &mut Vec<MdBlock>| {
        if !para.is_empty() {
            let joined = inline(&para.join(" "));
            if !joined.is_empty() {
                blocks.push(MdBlock::Paragraph(joined));
            }
            para.clear();
        }
    };
    let flush_items = |items: &mut Vec<String>, blocks: &mut Vec<MdBlock>| {
        if !items.is_empty() {
            blocks
                .push(MdBlock::Bullets(items.iter().map(|i| inline(i)).filter(|i| !i.is_empty()).collect()));
            items.clear();
        }
    };
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            flush_para(&mut para, &mut blocks);
            flush_items(&mut items, &mut blocks);
            continue;
        }
        if let Some(item) = bullet_item(line) {
            flush_para(&mut para, &mut blocks);
            items.push(item.trim().to_string());
            continue;
        }
        let t = line.trim_start();
        if t.starts_with('#') {
            flush_para(&mut para, &mut blocks);
            flush_items(&mut items, &mut blocks);
            let hashes = t.chars().take_while(|c| *c == '#').count();
            let heading = inline(t.trim_start_matches('#').trim());
            if !heading.is_empty() {
                blocks.push(if headings {
                    MdBlock::Heading(if hashes >= 4 { 2 } else { 1 }, heading)
                } else {
                    MdBlock::Paragraph(heading)
                });
            }
            continue;
        }
        if !items.is_empty() && raw.starts_with([' ', '\t']) {
            // Continuation of the last bullet item.
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(t);
            }
            continue;
        }
        flush_items(&mut items, &mut blocks);
        para.push(t.to_string());
    }
    flush_para(&mut para, &mut blocks);
    flush_items(&mut items, &mut blocks);
    blocks.retain(|b| !matches!(b, MdBlock::Bullets(v) if v.is_empty()));
    blocks
}

/// Removes emphasis markers and rewrites links as "text (url)".
pub fn inline(s: &str) -> String {
    let links = rewrite_links(s);
    let mut out = String::with_capacity(links.len());
    let chars: Vec<char> = links.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '*' || c == '_' {
            // A marker is a run of * or _ that touches a word on one side.
            let mut j = i;
            while j < chars.len() && chars[j] == c {
                j += 1;
            }
            let before = if i == 0 { None } else { Some(chars[i - 1]) };
            let after = chars.get(j).copied();
            let word = |x: Option<char>| x.is_some_and(|x| !x.is_whitespace());
            // An underscore inside a word (snake_case) is kept.
            let inside_word = c == '_'
                && word(before)
                && word(after)
                && before.is_some_and(|b| b.is_alphanumeric())
                && after.is_some_and(|a| a.is_alphanumeric());
            if (word(before) || word(after)) && !inside_word && j - i <= 3 {
                i = j;
                continue;
            }
            out.extend(&chars[i..j]);
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn rewrite_links(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after_open = &rest[open + 1..];
        let Some(close) = after_open.find("](") else { break };
        let after = &after_open[close + 2..];
        let Some(end) = after.find(')') else { break };
        let text = &after_open[..close];
        let url = after[..end].trim();
        out.push_str(&rest[..open]);
        if url.is_empty() || text.trim() == url {
            out.push_str(if text.trim().is_empty() { url } else { text });
        } else {
            out.push_str(&format!("{text} ({url})"));
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_bullets_and_emphasis() {
        let md = "Första **viktiga** stycket\nfortsätter här.\n\n- punkt _ett_\n- punkt två\n  med fortsättning\n\nSista stycket.";
        assert_eq!(
            parse(md),
            vec![
                MdBlock::Paragraph("Första viktiga stycket fortsätter här.".into()),
                MdBlock::Bullets(vec!["punkt ett".into(), "punkt två med fortsättning".into()]),
                MdBlock::Paragraph("Sista stycket.".into()),
            ]
        );
    }

    #[test]
    fn html_stays_text_and_links_are_spelled_out() {
        let md = "<script>alert(1)</script> se [strategin](https://example.se/s.pdf)";
        assert_eq!(
            parse(md),
            vec![MdBlock::Paragraph(
                "<script>alert(1)</script> se strategin (https://example.se/s.pdf)".into()
            )]
        );
    }

    #[test]
    fn headings_numbered_items_and_snake_case() {
        let md = "# Rubrik\n1. ett\n2. två\n\nfil_namn och 2 * 3";
        assert_eq!(
            parse(md),
            vec![
                MdBlock::Paragraph("Rubrik".into()),
                MdBlock::Bullets(vec!["ett".into(), "två".into()]),
                MdBlock::Paragraph("fil_namn och 2 * 3".into()),
            ]
        );
    }

    #[test]
    fn structured_headings_have_two_depths() {
        let md = "### Delmål 1\nText.\n#### Närmare\n\n## Också\n";
        assert_eq!(
            parse_structured(md),
            vec![
                MdBlock::Heading(1, "Delmål 1".into()),
                MdBlock::Paragraph("Text.".into()),
                MdBlock::Heading(2, "Närmare".into()),
                MdBlock::Heading(1, "Också".into()),
            ]
        );
        assert_eq!(parse("### Delmål 1"), vec![MdBlock::Paragraph("Delmål 1".into())]);
    }

    #[test]
    fn empty_text_gives_nothing() {
        assert!(parse("  \n\n ").is_empty());
    }
}
