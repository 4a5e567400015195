//! The one-page infographic: the edition's indicators for one focus organisation as a single
//! SVG, the sub-goals as columns (or, for narrow screens, one column), four tiles each.
//!
//! A tile shows the indicator's code and title, unit and period, and one box per sex where the
//! indicator is split (total, women, men side by side), else one box. A box holds the value, the
//! change since the previous measurement (an arrow *and* a word; the arrow green or red only when
//! the direction is known) and the comparison with others as the box's fill colour *and* a word
//! ("Bättre", "I mitten", "Sämre", "Ej jämförd"), so nothing is told by colour alone (WCAG 1.4.1).
//! Fact indicators have a dashed frame and white boxes ("Fakta – jämförs inte"); indicators under
//! development a grey, hatched tile. The legend uses the neutral wording "i jämförelse med
//! andra" and the source line ends the page.
//!
//! [`infographic_svg`] is a pure function of the typed view model [`Infographic`]; the web
//! layer and the annual report build the model from an edition's evaluation. Every text is
//! measured with the embedded fonts ([`crate::text`]) and wrapped to stay inside its tile.

use crate::text;
use gnv_core::nyckeltal::{Arrow, Assessment, Colour};
use std::fmt::Write;

/// The infographic's content.
#[derive(Debug, Clone, PartialEq)]
pub struct Infographic {
    /// E.g. "Nyckeltal 2025 – Region Dalarna".
    pub title: String,
    /// E.g. "Infografik 2025, publicerad 6 december 2026 · God och nära vård".
    pub subtitle: String,
    /// A highlighted note (demo data, unpublished preview); `None` for a published edition.
    pub notice: Option<String>,
    pub columns: Vec<Column>,
    /// E.g. "Källa: Kolada (RKA)".
    pub source: String,
}

/// One sub-goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub number: u8,
    pub name: String,
    pub tiles: Vec<Tile>,
}

/// What kind of tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileKind {
    /// An indicator with a direction: compared with others.
    Compared,
    /// A fact indicator (no direction): information only, not compared.
    Fact,
    /// No measure defined yet: shown without value.
    UnderDevelopment,
}

/// One indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub code: String,
    pub title: String,
    pub unit: String,
    pub kind: TileKind,
    /// The newest period is the same as in the previous edition.
    pub not_updated: bool,
    /// Total, women, men (only the total when not split); empty under development.
    pub values: Vec<TileValue>,
}

/// One sex's value.
#[derive(Debug, Clone, PartialEq)]
pub struct TileValue {
    /// "Totalt", "Kvinnor", "Män".
    pub label: String,
    /// Formatted value (`"62,8"`), `None` when missing.
    pub value: Option<String>,
    pub period: Option<i32>,
    /// Change since the previous period with a value.
    pub change: Option<(Arrow, Option<Assessment>)>,
    /// Comparison with others; `None` for fact indicators.
    pub comparison: Option<Colour>,
}

/// The arrangement of the columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Five columns side by side, proportioned for an A4/A3 landscape page.
    Landscape,
    /// One column below the other, for narrow screens.
    Stacked,
}

const FONT: &str = crate::chart::FONT_FAMILY;
const TEXT: &str = "#1b1b1b";
const MUTED: &str = "#4a4a4a";
const FRAME: &str = "#8a8f96";
const HEAD_FILL: &str = "#1f4e79";
const IMPROVED: &str = "#1b7837";
const WORSENED: &str = "#b2182b";

/// Fill, frame and word of a comparison colour.
fn rating(c: Option<Colour>) -> (&'static str, &'static str, &'static str) {
    match c {
        Some(Colour::Green) => ("#a6dba0", "#1b7837", "Bättre"),
        Some(Colour::Yellow) => ("#fee08b", "#a07800", "I mitten"),
        Some(Colour::Red) => ("#f4a582", "#b2182b", "Sämre"),
        Some(Colour::Grey) => ("#e4e4e4", "#777777", "Ej jämförd"),
        None => ("#ffffff", FRAME, "Fakta"),
    }
}

fn arrow_glyph(a: Arrow) -> &'static str {
    match a {
        Arrow::Up => "↑",
        Arrow::Down => "↓",
        Arrow::Unchanged => "→",
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn text_at(out: &mut String, x: f64, y: f64, size: f64, bold: bool, fill: &str, s: &str, extra: &str) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let _ = write!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\"{weight} fill=\"{fill}\"{extra}>{}</text>",
        esc(s)
    );
}

// Tile geometry (pixels of the SVG's user space).
const PAD: f64 = 8.0;
const TITLE_SIZE: f64 = 12.5;
const TITLE_LINE: f64 = 15.0;
const META_SIZE: f64 = 10.5;
const BOX_H: f64 = 74.0;
const BOX_GAP: f64 = 5.0;

struct TileLayout {
    title: Vec<String>,
    meta: Vec<String>,
}

impl TileLayout {
    fn new(t: &Tile, w: f64) -> Self {
        let title = text::wrap_max(&format!("{} {}", t.code, t.title), TITLE_SIZE, true, w - 2.0 * PAD, 3);
        let mut meta = Vec::new();
        match t.kind {
            TileKind::UnderDevelopment => {}
            _ => {
                let mut periods: Vec<i32> = t.values.iter().filter_map(|v| v.period).collect();
                periods.sort_unstable();
                periods.dedup();
                let mut m = t.unit.clone();
                if !periods.is_empty() {
                    let p: Vec<String> = periods.iter().map(|p| p.to_string()).collect();
                    m = format!("{m} · {}", p.join("/"));
                }
                if t.kind == TileKind::Fact {
                    m.push_str(" · faktanyckeltal");
                }
                if t.not_updated {
                    // One unbreakable phrase.
                    m.push_str(" · inte\u{a0}uppdaterat");
                }
                meta = text::wrap_max(&m, META_SIZE, false, w - 2.0 * PAD, 2);
            }
        }
        TileLayout { title, meta }
    }

    fn height(&self, t: &Tile) -> f64 {
        let head = PAD + TITLE_LINE * self.title.len() as f64 + 2.0 + 13.0 * self.meta.len() as f64;
        let body = match t.kind {
            TileKind::UnderDevelopment => 40.0,
            _ => BOX_H,
        };
        head + 6.0 + body + PAD
    }
}

fn draw_tile(out: &mut String, t: &Tile, l: &TileLayout, x: f64, y: f64, w: f64, h: f64) {
    let (fill, dash) = match t.kind {
        TileKind::Compared => ("#ffffff", ""),
        TileKind::Fact => ("#ffffff", " stroke-dasharray=\"6 4\""),
        TileKind::UnderDevelopment => ("url(#hatch)", " stroke-dasharray=\"2 3\""),
    };
    let _ = write!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"6\" fill=\"{fill}\" stroke=\"{FRAME}\" stroke-width=\"1.2\"{dash}/>"
    );
    let mut cy = y + PAD + 11.0;
    for line in &l.title {
        text_at(out, x + PAD, cy, TITLE_SIZE, true, TEXT, line, "");
        cy += TITLE_LINE;
    }
    for line in &l.meta {
        text_at(out, x + PAD, cy, META_SIZE, false, MUTED, line, "");
        cy += 13.0;
    }
    let top = cy - 6.0;
    if t.kind == TileKind::UnderDevelopment {
        let lines = text::wrap_max("Under utveckling – mått saknas ännu", 11.0, true, w - 2.0 * PAD, 2);
        for (i, line) in lines.iter().enumerate() {
            text_at(out, x + PAD, top + 20.0 + 14.0 * i as f64, 11.0, true, MUTED, line, "");
        }
        return;
    }
    let n = t.values.len().max(1) as f64;
    let bw = (w - 2.0 * PAD - BOX_GAP * (n - 1.0)) / n;
    if t.values.is_empty() {
        text_at(out, x + PAD, top + 22.0, 11.0, false, MUTED, "Värde saknas", "");
    }
    // Boxes at the tile's foot, so that they line up across tiles of one height.
    let box_y = (y + h - PAD - BOX_H).max(top + 6.0);
    for (i, v) in t.values.iter().enumerate() {
        let bx = x + PAD + (bw + BOX_GAP) * i as f64;
        draw_box(out, t.kind, v, bx, box_y, bw);
    }
}

fn draw_box(out: &mut String, kind: TileKind, v: &TileValue, x: f64, y: f64, w: f64) {
    let comparison = if kind == TileKind::Fact { None } else { Some(v.comparison.unwrap_or(Colour::Grey)) };
    let (fill, stroke, word) = rating(comparison);
    let _ = write!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BOX_H}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>"
    );
    let inner = w - 10.0;
    let fit = |s: &str, size: f64, bold: bool| text::wrap_max(s, size, bold, inner, 1).remove(0);
    text_at(out, x + 5.0, y + 13.0, 10.5, false, TEXT, &fit(&v.label, 10.5, false), "");
    match &v.value {
        Some(value) => {
            let natural = text::width(value, 19.0, true);
            let size = if natural > inner { (19.0 * inner / natural).floor().max(8.0) } else { 19.0 };
            text_at(out, x + 5.0, y + 35.0, size, true, TEXT, &fit(value, size, true), "");
        }
        None => text_at(out, x + 5.0, y + 33.0, 10.5, false, TEXT, &fit("värde saknas", 10.5, false), ""),
    }
    // Change: arrow (coloured only when judged) and a word.
    let (glyph, colour, word_change) = match v.change {
        Some((a, Some(Assessment::Improved))) => (arrow_glyph(a), IMPROVED, "förbättrat"),
        Some((a, Some(Assessment::Worsened))) => (arrow_glyph(a), WORSENED, "försämrat"),
        Some((a, _)) => (arrow_glyph(a), TEXT, a.label()),
        None => ("–", TEXT, "ingen tidigare"),
    };
    text_at(out, x + 5.0, y + 52.0, 14.0, true, colour, glyph, "");
    let gw = text::width(glyph, 14.0, true) + 3.0;
    let change = text::wrap_max(word_change, 10.0, false, inner - gw, 1).remove(0);
    text_at(out, x + 5.0 + gw, y + 51.0, 10.0, false, TEXT, &change, "");
    // Comparison word on the coloured fill.
    let word = match kind {
        TileKind::Fact if text::width("Fakta – jämförs inte", 10.5, true) <= inner => {
            "Fakta – jämförs inte"
        }
        _ => word,
    };
    text_at(out, x + 5.0, y + 67.0, 10.5, true, TEXT, &fit(word, 10.5, true), "");
}

/// Legend entries: (fill, frame, dashed, word, explanation).
fn legend_entries() -> Vec<(&'static str, &'static str, bool, &'static str, &'static str)> {
    let entry = |c: Option<Colour>, dashed: bool, explanation: &'static str| {
        let (fill, stroke, word) = rating(c);
        (fill, stroke, dashed, word, explanation)
    };
    vec![
        entry(Some(Colour::Green), false, "bland de bästa fjärdedelen"),
        entry(Some(Colour::Yellow), false, "mellersta hälften"),
        entry(Some(Colour::Red), false, "bland den sämsta fjärdedelen – förbättringspotential"),
        entry(Some(Colour::Grey), false, "ingen jämförelse (värde saknas eller för få att jämföra med)"),
        entry(None, true, "faktanyckeltal: information, jämförs inte"),
    ]
}

/// Lines of text that flow into rows: returns (x, y) per item and the total height.
fn flow(widths: &[f64], max_w: f64, row_h: f64) -> (Vec<(f64, f64)>, f64) {
    let (mut x, mut y) = (0.0, 0.0);
    let mut pos = Vec::new();
    for w in widths {
        if x > 0.0 && x + w > max_w {
            x = 0.0;
            y += row_h;
        }
        pos.push((x, y));
        x += w + 22.0;
    }
    (pos, y + row_h)
}

/// Renders the infographic as a standalone SVG document.
pub fn infographic_svg(ig: &Infographic, layout: Layout) -> String {
    let (width, cols) = match layout {
        Layout::Landscape => (1400.0, ig.columns.len().max(1)),
        Layout::Stacked => (420.0, 1),
    };
    let margin = 20.0;
    let gap = 12.0;
    let inner_w = width - 2.0 * margin;
    // Header.
    let title = text::wrap(&ig.title, 24.0, true, inner_w);
    let subtitle = text::wrap(&ig.subtitle, 13.0, false, inner_w);
    let notice = ig.notice.as_deref().map(|n| text::wrap(n, 12.0, true, inner_w - 16.0)).unwrap_or_default();
    let mut y = margin + 22.0;
    let mut out = String::new();
    let mut body = String::new();
    for line in &title {
        text_at(&mut body, margin, y, 24.0, true, TEXT, line, "");
        y += 29.0;
    }
    y -= 8.0;
    for line in &subtitle {
        text_at(&mut body, margin, y, 13.0, false, MUTED, line, "");
        y += 17.0;
    }
    if !notice.is_empty() {
        let h = 10.0 + 16.0 * notice.len() as f64;
        let _ = write!(
            body,
            "<rect x=\"{margin}\" y=\"{:.1}\" width=\"{inner_w}\" height=\"{h:.1}\" fill=\"#fff4ce\" stroke=\"#a07800\"/>",
            y - 6.0
        );
        for (i, line) in notice.iter().enumerate() {
            text_at(&mut body, margin + 8.0, y + 10.0 + 16.0 * i as f64, 12.0, true, TEXT, line, "");
        }
        y += h + 2.0;
    }
    y += 6.0;
    // Columns.
    let col_w = (inner_w - gap * (cols as f64 - 1.0)) / cols as f64;
    let head_lines: Vec<Vec<String>> = ig
        .columns
        .iter()
        .map(|c| text::wrap_max(&format!("Delmål {}: {}", c.number, c.name), 14.0, true, col_w - 16.0, 2))
        .collect();
    let head_h = 14.0 + 18.0 * head_lines.iter().map(|l| l.len()).max().unwrap_or(1) as f64;
    let layouts: Vec<Vec<TileLayout>> =
        ig.columns.iter().map(|c| c.tiles.iter().map(|t| TileLayout::new(t, col_w)).collect()).collect();
    match layout {
        Layout::Landscape => {
            // One height for all tiles, so rows line up across the columns.
            let tile_h = ig
                .columns
                .iter()
                .zip(&layouts)
                .flat_map(|(c, ls)| c.tiles.iter().zip(ls).map(|(t, l)| l.height(t)))
                .fold(100.0, f64::max);
            let mut bottom = y;
            for (ci, c) in ig.columns.iter().enumerate() {
                let x = margin + (col_w + gap) * ci as f64;
                column_head(&mut body, &head_lines[ci], x, y, col_w, head_h, c.number);
                let mut ty = y + head_h + 8.0;
                for (t, l) in c.tiles.iter().zip(&layouts[ci]) {
                    draw_tile(&mut body, t, l, x, ty, col_w, tile_h);
                    ty += tile_h + 8.0;
                }
                bottom = f64::max(bottom, ty);
            }
            y = bottom;
        }
        Layout::Stacked => {
            for (ci, c) in ig.columns.iter().enumerate() {
                column_head(&mut body, &head_lines[ci], margin, y, col_w, head_h, c.number);
                y += head_h + 8.0;
                for (t, l) in c.tiles.iter().zip(&layouts[ci]) {
                    let h = l.height(t);
                    draw_tile(&mut body, t, l, margin, y, col_w, h);
                    y += h + 8.0;
                }
                y += 6.0;
            }
        }
    }
    // Legend.
    y += 10.0;
    text_at(&mut body, margin, y, 13.0, true, TEXT, "Så läser du infografiken", "");
    y += 8.0;
    let lead = "Färg och ord visar läget i jämförelse med andra:";
    for line in text::wrap(lead, 11.0, false, inner_w) {
        y += 15.0;
        text_at(&mut body, margin, y, 11.0, false, TEXT, &line, "");
    }
    y += 8.0;
    let entries = legend_entries();
    let max_expl = inner_w - 90.0;
    let texts: Vec<Vec<String>> = entries.iter().map(|e| text::wrap(e.4, 11.0, false, max_expl)).collect();
    let widths: Vec<f64> = entries
        .iter()
        .zip(&texts)
        .map(|(e, t)| {
            let box_w = text::width(e.3, 10.5, true) + 12.0;
            box_w + 6.0 + t.iter().map(|l| text::width(l, 11.0, false)).fold(0.0, f64::max)
        })
        .collect();
    let rows = texts.iter().map(|t| t.len()).max().unwrap_or(1) as f64;
    let (pos, legend_h) = flow(&widths, inner_w, 8.0 + 14.0 * rows + 6.0);
    for ((e, t), (dx, dy)) in entries.iter().zip(&texts).zip(&pos) {
        let (x, ly) = (margin + dx, y + dy);
        let box_w = text::width(e.3, 10.5, true) + 12.0;
        let dash = if e.2 { " stroke-dasharray=\"4 3\"" } else { "" };
        let _ = write!(
            body,
            "<rect x=\"{x:.1}\" y=\"{ly:.1}\" width=\"{box_w:.1}\" height=\"20\" rx=\"3\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"{dash}/>",
            e.0, e.1
        );
        text_at(&mut body, x + 6.0, ly + 14.0, 10.5, true, TEXT, e.3, "");
        for (i, line) in t.iter().enumerate() {
            text_at(&mut body, x + box_w + 6.0, ly + 14.0 + 14.0 * i as f64, 11.0, false, TEXT, line, "");
        }
    }
    y += legend_h;
    let notes = [
        "Pilen visar förändringen sedan föregående mätning: ↑ ökat, ↓ minskat, → oförändrat. En grön pil och ordet \"förbättrat\" betyder en förändring åt det håll som är bättre, en röd pil och ordet \"försämrat\" åt det håll som är sämre; faktanyckeltal har ingen riktning.",
        "Rött visar förbättringspotential och ska inte användas för att peka ut någon. Randiga grå rutor: under utveckling, mått saknas ännu.",
    ];
    for note in notes {
        for line in text::wrap(note, 11.0, false, inner_w) {
            y += 15.0;
            text_at(&mut body, margin, y, 11.0, false, TEXT, &line, "");
        }
        y += 3.0;
    }
    for line in text::wrap(&ig.source, 11.0, false, inner_w) {
        y += 17.0;
        text_at(&mut body, margin, y, 11.0, false, MUTED, &line, " font-style=\"italic\"");
    }
    let mut height = (y + margin).ceil();
    if layout == Layout::Landscape {
        // At least the proportions of an A4/A3 landscape page.
        height = height.max((width / std::f64::consts::SQRT_2).round());
    }
    let desc = format!(
        "{}. {} nyckeltal i {} delmål; varje ruta visar värde, år, förändring sedan föregående mätning och läget i jämförelse med andra i ord. Samma uppgifter finns som tabell.",
        ig.subtitle,
        ig.columns.iter().map(|c| c.tiles.len()).sum::<usize>(),
        ig.columns.len()
    );
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"ig-t ig-d\" font-family=\"{FONT}\">\
<title id=\"ig-t\">{}</title><desc id=\"ig-d\">{}</desc>\
<defs><pattern id=\"hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#f2f2f2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#dcdcdc\" stroke-width=\"3\"/></pattern></defs>\
<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>",
        esc(&ig.title),
        esc(&desc)
    );
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

fn column_head(out: &mut String, lines: &[String], x: f64, y: f64, w: f64, h: f64, _number: u8) {
    let _ = write!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"6\" fill=\"{HEAD_FILL}\"/>"
    );
    for (i, line) in lines.iter().enumerate() {
        text_at(out, x + 8.0, y + 20.0 + 18.0 * i as f64, 14.0, true, "#ffffff", line, "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{assert_texts_inside, text_boxes};

    fn value(
        label: &str,
        v: &str,
        change: Option<(Arrow, Option<Assessment>)>,
        c: Option<Colour>,
    ) -> TileValue {
        TileValue { label: label.into(), value: Some(v.into()), period: Some(2024), change, comparison: c }
    }

    pub(crate) fn example() -> Infographic {
        let names =
            ["Nära för mig", "Nära för alla", "Nära i hela Dalarna", "Nära mellan oss", "Nära till hälsa"];
        let columns = names
            .iter()
            .enumerate()
            .map(|(i, name)| Column {
                number: i as u8 + 1,
                name: name.to_string(),
                tiles: (1..=4)
                    .map(|j| {
                        let code = format!("{}.{}", i + 1, j);
                        match j {
                            1 => Tile {
                                code,
                                title: "Utskrivningsklara patienter, dagar i slutenvården efter utskrivningsklar, medelvärde för länets alla kommuner och regionen".into(),
                                unit: "antal per 100 000 invånare".into(),
                                kind: TileKind::Compared,
                                not_updated: false,
                                values: vec![
                                    value("Totalt", "16 687", Some((Arrow::Down, Some(Assessment::Improved))), Some(Colour::Green)),
                                    value("Kvinnor", "123 456,7", Some((Arrow::Up, Some(Assessment::Worsened))), Some(Colour::Red)),
                                    value("Män", "62,8", Some((Arrow::Unchanged, Some(Assessment::Neutral))), Some(Colour::Yellow)),
                                ],
                            },
                            2 => Tile {
                                code,
                                title: "Invånare 80 år och äldre, andel av befolkningen".into(),
                                unit: "procent".into(),
                                kind: TileKind::Fact,
                                not_updated: true,
                                values: vec![value("Totalt", "7,1", Some((Arrow::Up, None)), None)],
                            },
                            3 => Tile {
                                code,
                                title: "Förebyggande hembesök hos äldre".into(),
                                unit: "ej fastställd".into(),
                                kind: TileKind::UnderDevelopment,
                                not_updated: false,
                                values: vec![],
                            },
                            _ => Tile {
                                code,
                                title: "Förtroende för vårdcentralerna, andel invånare".into(),
                                unit: "procent".into(),
                                kind: TileKind::Compared,
                                not_updated: false,
                                values: vec![
                                    TileValue { label: "Kvinnor".into(), value: None, period: None, change: None, comparison: Some(Colour::Grey) },
                                    value("Män", "70,1", None, None),
                                ],
                            },
                        }
                    })
                    .collect(),
            })
            .collect();
        Infographic {
            title: "Nyckeltal 2025 – Malung-Sälens kommun".into(),
            subtitle: "Infografik 2025, publicerad 6 december 2026 · God och nära vård".into(),
            notice: Some(
                "Demodata: värdena är syntetiska (påhittade men rimliga) och inte hämtade från Kolada."
                    .into(),
            ),
            columns,
            source: "Källa: Kolada (RKA) och egna uppgifter.".into(),
        }
    }

    #[test]
    fn every_text_lies_inside_in_both_layouts() {
        for layout in [Layout::Landscape, Layout::Stacked] {
            let svg = infographic_svg(&example(), layout);
            assert_texts_inside(&svg);
            assert_eq!(svg, infographic_svg(&example(), layout), "deterministic");
        }
    }

    #[test]
    fn landscape_fits_a_landscape_page() {
        let svg = infographic_svg(&example(), Layout::Landscape);
        let (w, h, _) = text_boxes(&svg);
        assert!(w > h && (w / h - std::f32::consts::SQRT_2).abs() < 0.01, "{w}×{h}");
    }

    #[test]
    fn comparisons_and_changes_are_words_not_only_colours() {
        let svg = infographic_svg(&example(), Layout::Landscape);
        let (_, _, texts) = text_boxes(&svg);
        let all: Vec<&str> = texts.iter().map(|(t, _)| t.as_str()).collect();
        for word in
            ["Bättre", "Sämre", "I mitten", "Ej jämförd", "förbättrat", "försämrat", "Fakta – jämförs inte"]
        {
            assert!(all.contains(&word), "{word} missing");
        }
        assert!(all.iter().any(|t| t.contains("i jämförelse med andra")));
        assert!(all.iter().any(|t| t.contains("Under utveckling")));
        assert!(all.iter().any(|t| t.contains("inte\u{a0}uppdaterat")));
        assert!(all.contains(&"Källa: Kolada (RKA) och egna uppgifter."));
        // Escaping.
        let mut ig = example();
        ig.title = "<b>&".into();
        assert!(infographic_svg(&ig, Layout::Stacked).contains("&lt;b&gt;&amp;"));
    }

    #[test]
    fn one_landscape_pdf_page_and_png() {
        let svg = infographic_svg(&example(), Layout::Landscape);
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let pdf =
            crate::dokument::pdf::svg_page_pdf("Infografik 2025", &svg, "Infografik", false, date).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let png = crate::chart::svg_to_png(&svg, 1.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        if let Ok(dir) = std::env::var("GNV_INFOGRAFIK_OUT") {
            let _ = std::fs::write(format!("{dir}/infografik.svg"), &svg);
            let _ = std::fs::write(format!("{dir}/infografik.pdf"), &pdf);
            let _ = std::fs::write(format!("{dir}/infografik.png"), &png);
            let stacked = infographic_svg(&example(), Layout::Stacked);
            let _ =
                std::fs::write(format!("{dir}/stapel.png"), crate::chart::svg_to_png(&stacked, 1.0).unwrap());
        }
    }
}
