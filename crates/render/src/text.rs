//! Text measurement with the embedded DejaVu Sans fonts, so that SVG layouts can place, wrap and
//! size their texts before drawing them and every text stays inside its image.

use std::sync::OnceLock;
use ttf_parser::Face;

struct Metrics {
    units_per_em: f64,
    /// Advance widths (font units) of the characters U+0000–U+024F, `None` when the font has
    /// no glyph.
    table: Vec<Option<u16>>,
}

fn metrics(bold: bool) -> &'static Option<Metrics> {
    static REGULAR: OnceLock<Option<Metrics>> = OnceLock::new();
    static BOLD: OnceLock<Option<Metrics>> = OnceLock::new();
    let (cell, data) = if bold { (&BOLD, crate::FONT_BOLD) } else { (&REGULAR, crate::FONT_REGULAR) };
    cell.get_or_init(|| {
        let face = Face::parse(data, 0).ok()?;
        let table = (0u32..0x250)
            .map(|c| {
                char::from_u32(c).and_then(|c| face.glyph_index(c)).and_then(|g| face.glyph_hor_advance(g))
            })
            .collect();
        Some(Metrics { units_per_em: f64::from(face.units_per_em()), table })
    })
}

fn face(bold: bool) -> Option<Face<'static>> {
    Face::parse(if bold { crate::FONT_BOLD } else { crate::FONT_REGULAR }, 0).ok()
}

/// The width in pixels of `s` set in DejaVu Sans (bold or regular) at `size` pixels.
/// Characters outside the font count as a wide letter, so estimates err on the large side.
pub fn width(s: &str, size: f64, bold: bool) -> f64 {
    let Some(m) = metrics(bold) else {
        return s.chars().count() as f64 * size * 0.7;
    };
    let mut units = 0.0;
    let mut other: Option<Option<Face<'static>>> = None;
    for c in s.chars() {
        let adv = match m.table.get(c as usize) {
            Some(a) => *a,
            None => other
                .get_or_insert_with(|| face(bold))
                .as_ref()
                .and_then(|f| f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g))),
        };
        units += adv.map(f64::from).unwrap_or(m.units_per_em * 0.8);
    }
    units / m.units_per_em * size
}

/// Breaks `s` into lines no wider than `max_width` at spaces (and after hyphens and slashes);
/// a single word wider than the line is broken between characters. Never returns an empty list.
pub fn wrap(s: &str, size: f64, bold: bool, max_width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in s.split('\n') {
        let mut line = String::new();
        for word in words(paragraph) {
            let candidate = format!("{line}{word}");
            if line.is_empty() || width(candidate.trim_end(), size, bold) <= max_width {
                line = candidate;
            } else {
                lines.push(line.trim_end().to_string());
                line = word.trim_start().to_string();
            }
            // A word longer than a line: cut it.
            while width(line.trim_end(), size, bold) > max_width && line.chars().count() > 1 {
                let mut head = String::new();
                for c in line.chars() {
                    if !head.is_empty() && width(&format!("{head}{c}"), size, bold) > max_width {
                        break;
                    }
                    head.push(c);
                }
                let rest = line[head.len()..].to_string();
                lines.push(head);
                line = rest;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Like [`wrap`], but at most `max_lines` lines; the last one ends with "…" when cut.
pub fn wrap_max(s: &str, size: f64, bold: bool, max_width: f64, max_lines: usize) -> Vec<String> {
    let mut lines = wrap(s, size, bold, max_width);
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            let mut cut = last.clone();
            while !cut.is_empty() && width(&format!("{cut}…"), size, bold) > max_width {
                cut.pop();
            }
            *last = format!("{}…", cut.trim_end());
        }
    }
    lines
}

/// Words with their trailing break opportunity: "Malung-Sälen och" → ["Malung-", "Sälen ", "och"].
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        cur.push(c);
        if c == ' ' || ((c == '-' || c == '/' || c == '–') && cur.chars().count() > 2) {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_font() {
        let i = width("iiii", 10.0, false);
        let m = width("MMMM", 10.0, false);
        assert!(i < m, "{i} {m}");
        assert!(width("Älvdalen", 13.0, true) > width("Älvdalen", 13.0, false));
        // DejaVu Sans digits are 0.636 em.
        assert!((width("0", 100.0, false) - 63.6).abs() < 0.5);
    }

    #[test]
    fn wrapping_keeps_lines_inside_and_words_whole() {
        let s = "Andel invånare 65 år och äldre som återinskrivs i slutenvård inom 30 dagar, Malung-Sälen";
        let lines = wrap(s, 13.0, false, 200.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 13.0, false) <= 200.0), "{lines:?}");
        assert_eq!(lines.join(" ").replace("- ", "-"), s);
        let long = wrap("Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 13.0, false, 60.0);
        assert!(long.len() > 3 && long.iter().all(|l| width(l, 13.0, false) <= 60.0));
        assert_eq!(wrap("", 13.0, false, 50.0), vec![String::new()]);
        let cut = wrap_max(s, 13.0, false, 200.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…') && width(&cut[1], 13.0, false) <= 200.0);
    }
}
