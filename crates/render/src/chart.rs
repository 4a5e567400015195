//! Accessible SVG charts.
//!
//! Every chart is an `<svg role="img">` with `<title>` and `<desc>`; series are told apart by
//! colour (Okabe–Ito palette, safe for colour-vision deficiencies) *and* by dash pattern and marker
//! shape, so no information is carried by colour alone. Numbers use Swedish formatting. Pages must
//! still show the same data as a table beside the chart.
//!
//! Charts are deterministic: the same input gives the same bytes.

use gnv_core::format;
use std::fmt::Write;

/// Font stack used in the SVG (the embedded DejaVu Sans is used when rasterising).
pub const FONT_FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

/// Series colours (Okabe–Ito), each with a dash pattern and marker shape.
const PALETTE: [&str; 7] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
const DASHES: [&str; 7] = ["", "8 4", "2 3", "10 3 2 3", "4 4", "1 2", "12 6"];
const TEXT: &str = "#1b1b1b";
const GRID: &str = "#d0d4d8";
const HIGHLIGHT: &str = "#1f4e79";
const BAR: &str = "#8fb3d9";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One named series of a line chart; `values[i]` belongs to `x_labels[i]` (None = no value).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// A line chart over categories (usually years).
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub title: String,
    /// Longer description for screen readers (`<desc>`).
    pub description: String,
    /// Unit shown as the y-axis label, e.g. "procent".
    pub unit: String,
    pub x_labels: Vec<String>,
    pub series: Vec<Series>,
    /// Decimals shown on axis ticks and value labels.
    pub decimals: usize,
    pub width: u32,
    pub height: u32,
}

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    /// Drawn darker with a bold label (e.g. the focus organisation).
    pub highlight: bool,
}

/// A reference line across a bar chart (e.g. "Riket" or "Länet").
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub label: String,
    pub value: f64,
}

/// A bar chart, vertical or horizontal. Bars are drawn in the given order (callers decide: by
/// name for comparisons without league tables, by size for counts).
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub description: String,
    pub unit: String,
    pub bars: Vec<Bar>,
    pub references: Vec<Reference>,
    pub decimals: usize,
    pub horizontal: bool,
    /// Fixed axis range; computed from the data when `None`.
    pub range: Option<(f64, f64)>,
    pub width: u32,
}

/// Bars grouped per category, one bar per group (e.g. sub-goal × year).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedBarChart {
    pub title: String,
    pub description: String,
    pub unit: String,
    pub categories: Vec<String>,
    /// (group name, one value per category)
    pub groups: Vec<Series>,
    pub decimals: usize,
    pub range: Option<(f64, f64)>,
    pub width: u32,
    pub height: u32,
}

/// "Nice" axis ticks covering `[lo, hi]`.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = if (hi - lo).abs() < f64::EPSILON { (lo - 1.0, hi + 1.0) } else { (lo, hi) };
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut i = 0.0;
    loop {
        let t = ((start + i * step) / step).round() * step;
        ticks.push(t);
        if t >= hi - step * 1e-9 || ticks.len() >= 50 {
            break;
        }
        i += 1.0;
    }
    ticks
}

fn data_range(values: impl Iterator<Item = f64>, include_zero: bool) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    (lo, hi)
}

fn open_svg(out: &mut String, w: u32, h: u32, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"t d\" font-family=\"{FONT_FAMILY}\" font-size=\"13\">\
<title id=\"t\">{}</title><desc id=\"d\">{}</desc><rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\
<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\" fill=\"{TEXT}\">{}</text>",
        esc(title),
        esc(desc),
        esc(title)
    );
}

fn marker(out: &mut String, i: usize, x: f64, y: f64, color: &str) {
    let _ = match i % 4 {
        0 => write!(out, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{color}\"/>"),
        1 => write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"{color}\"/>",
            x - 4.0,
            y - 4.0
        ),
        2 => write!(
            out,
            "<path d=\"M{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z\" fill=\"{color}\"/>",
            x,
            y - 5.0,
            x + 5.0,
            y + 4.0,
            x - 5.0,
            y + 4.0
        ),
        _ => write!(
            out,
            "<path d=\"M{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z\" fill=\"{color}\"/>",
            x,
            y - 5.0,
            x + 5.0,
            y,
            x,
            y + 5.0,
            x - 5.0,
            y
        ),
    };
}

fn legend(out: &mut String, names: &[&str], x0: f64, y: f64, width: f64, lines: bool) -> f64 {
    let mut x = x0;
    let mut y = y;
    for (i, name) in names.iter().enumerate() {
        let item_w = 40.0 + 7.5 * name.chars().count() as f64;
        if x + item_w > x0 + width && x > x0 {
            x = x0;
            y += 20.0;
        }
        let color = PALETTE[i % PALETTE.len()];
        if lines {
            let _ = write!(
                out,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{color}\" stroke-width=\"2.5\" stroke-dasharray=\"{}\"/>",
                x,
                y - 4.0,
                x + 24.0,
                y - 4.0,
                DASHES[i % DASHES.len()]
            );
            marker(out, i, x + 12.0, y - 4.0, color);
        } else {
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"12\" fill=\"{color}\"/>",
                x + 5.0,
                y - 10.0
            );
        }
        let _ =
            write!(out, "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{TEXT}\">{}</text>", x + 30.0, y, esc(name));
        x += item_w;
    }
    y
}

/// Renders a line chart.
pub fn line_chart(c: &LineChart) -> String {
    let (w, h) = (c.width.max(320) as f64, c.height.max(200) as f64);
    let (left, right, top) = (64.0, 20.0, 58.0);
    let legend_h = 24.0 + 20.0 * ((c.series.len() as f64 * 150.0) / (w - left)).floor();
    let bottom = 40.0 + legend_h;
    let (lo, hi) = data_range(c.series.iter().flat_map(|s| s.values.iter().flatten().copied()), false);
    let ticks = nice_ticks(lo, hi, 5);
    let (ymin, ymax) = (ticks[0], *ticks.last().unwrap_or(&hi));
    let ymax = if ymax <= ymin { ymin + 1.0 } else { ymax };
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let n = c.x_labels.len().max(1);
    let xpos = |i: usize| left + if n == 1 { plot_w / 2.0 } else { plot_w * i as f64 / (n - 1) as f64 };
    let ypos = |v: f64| top + plot_h * (1.0 - (v - ymin) / (ymax - ymin));
    let mut out = String::new();
    open_svg(&mut out, w as u32, h as u32, &c.title, &c.description);
    let _ = write!(out, "<text x=\"12\" y=\"38\" font-size=\"12\" fill=\"{TEXT}\">{}</text>", esc(&c.unit));
    for t in &ticks {
        let y = ypos(*t);
        let _ = write!(
            out,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{TEXT}\">{}</text>",
            w - right,
            left - 6.0,
            y + 4.0,
            format::number(*t, c.decimals.max(2))
        );
    }
    let label_every = (n / 12).max(1);
    for (i, label) in c.x_labels.iter().enumerate() {
        if i % label_every == 0 || i == n - 1 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text>",
                xpos(i),
                top + plot_h + 18.0,
                esc(label)
            );
        }
    }
    for (si, s) in c.series.iter().enumerate() {
        let color = PALETTE[si % PALETTE.len()];
        let mut d = String::new();
        let mut pen_down = false;
        for (i, v) in s.values.iter().enumerate().take(n) {
            match v {
                Some(v) if v.is_finite() => {
                    let _ = write!(d, "{}{:.1} {:.1} ", if pen_down { "L" } else { "M" }, xpos(i), ypos(*v));
                    pen_down = true;
                }
                _ => pen_down = false,
            }
        }
        let _ = write!(
            out,
            "<path d=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.5\" stroke-dasharray=\"{}\"/>",
            d.trim_end(),
            DASHES[si % DASHES.len()]
        );
        for (i, v) in s.values.iter().enumerate().take(n) {
            if let Some(v) = v.filter(|v| v.is_finite()) {
                marker(&mut out, si, xpos(i), ypos(v), color);
            }
        }
    }
    let _ = write!(
        out,
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{TEXT}\"/>",
        top + plot_h,
        w - right,
        top + plot_h
    );
    let names: Vec<&str> = c.series.iter().map(|s| s.name.as_str()).collect();
    legend(&mut out, &names, left, top + plot_h + 42.0, plot_w, true);
    out.push_str("</svg>");
    out
}

/// Renders a bar chart.
pub fn bar_chart(c: &BarChart) -> String {
    let values = c.bars.iter().filter_map(|b| b.value).chain(c.references.iter().map(|r| r.value));
    let (lo, hi) = c.range.unwrap_or_else(|| data_range(values, true));
    let ticks = nice_ticks(lo, hi, 5);
    let (vmin, vmax) = match c.range {
        Some(r) => r,
        None => (ticks[0], *ticks.last().unwrap_or(&hi)),
    };
    let vmax = if vmax <= vmin { vmin + 1.0 } else { vmax };
    let mut out = String::new();
    let w = c.width.max(320) as f64;
    if c.horizontal {
        let label_w = 16.0 + 8.0 * c.bars.iter().map(|b| b.label.chars().count()).max().unwrap_or(4) as f64;
        let label_w = label_w.min(w * 0.45);
        let (left, right, top) = (label_w, 70.0, 56.0);
        let row = 26.0;
        let refs_h = if c.references.is_empty() { 0.0 } else { 22.0 };
        let h = top + row * c.bars.len() as f64 + 36.0 + refs_h;
        let plot_w = w - left - right;
        let xpos = |v: f64| left + plot_w * (v - vmin) / (vmax - vmin);
        open_svg(&mut out, w as u32, h as u32, &c.title, &c.description);
        let _ =
            write!(out, "<text x=\"12\" y=\"40\" font-size=\"12\" fill=\"{TEXT}\">{}</text>", esc(&c.unit));
        for t in ticks.iter().filter(|t| **t >= vmin && **t <= vmax) {
            let x = xpos(*t);
            let _ = write!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{GRID}\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text>",
                top + row * c.bars.len() as f64,
                top + row * c.bars.len() as f64 + 16.0,
                format::number(*t, c.decimals.max(2))
            );
        }
        for (i, b) in c.bars.iter().enumerate() {
            let y = top + row * i as f64;
            let weight = if b.highlight { " font-weight=\"bold\"" } else { "" };
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{TEXT}\"{weight}>{}</text>",
                left - 8.0,
                y + 17.0,
                esc(&b.label)
            );
            match b.value {
                Some(v) => {
                    let (x0, x1) = (xpos(vmin.max(0.0).min(vmax)), xpos(v));
                    let (xa, xb) = if x1 < x0 { (x1, x0) } else { (x0, x1) };
                    let fill = if b.highlight { HIGHLIGHT } else { BAR };
                    let _ = write!(
                        out,
                        "<rect x=\"{xa:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{TEXT}\"{weight}>{}</text>",
                        y + 4.0,
                        (xb - xa).max(1.0),
                        row - 8.0,
                        xb + 5.0,
                        y + 17.0,
                        format::decimal(v, c.decimals)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{TEXT}\" font-style=\"italic\">uppgift saknas</text>",
                        left + 4.0,
                        y + 17.0
                    );
                }
            }
        }
        let bottom_y = top + row * c.bars.len() as f64;
        for (ri, r) in c.references.iter().enumerate() {
            let x = xpos(r.value);
            let _ = write!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{bottom_y:.1}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>",
                top - 4.0,
                PALETTE[(ri + 1) % PALETTE.len()]
            );
        }
        let refs: Vec<String> = c
            .references
            .iter()
            .map(|r| format!("{}: {}", r.label, format::decimal(r.value, c.decimals)))
            .collect();
        if !refs.is_empty() {
            let names: Vec<&str> = refs.iter().map(|s| s.as_str()).collect();
            let mut x = left;
            for (ri, name) in names.iter().enumerate() {
                let _ = write!(
                    out,
                    "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{TEXT}\">{}</text>",
                    bottom_y + 40.0,
                    x + 22.0,
                    bottom_y + 40.0,
                    PALETTE[(ri + 1) % PALETTE.len()],
                    x + 28.0,
                    bottom_y + 44.0,
                    esc(name)
                );
                x += 40.0 + 7.5 * name.chars().count() as f64;
            }
        }
    } else {
        let h = 380.0;
        let (left, right, top, bottom) = (64.0, 16.0, 60.0, 96.0);
        let plot_w = w - left - right;
        let plot_h = h - top - bottom;
        let n = c.bars.len().max(1) as f64;
        let slot = plot_w / n;
        let ypos = |v: f64| top + plot_h * (1.0 - (v - vmin) / (vmax - vmin));
        open_svg(&mut out, w as u32, h as u32, &c.title, &c.description);
        let _ =
            write!(out, "<text x=\"12\" y=\"40\" font-size=\"12\" fill=\"{TEXT}\">{}</text>", esc(&c.unit));
        for t in ticks.iter().filter(|t| **t >= vmin && **t <= vmax) {
            let y = ypos(*t);
            let _ = write!(
                out,
                "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{TEXT}\">{}</text>",
                w - right,
                left - 6.0,
                y + 4.0,
                format::number(*t, c.decimals.max(2))
            );
        }
        for (i, b) in c.bars.iter().enumerate() {
            let cx = left + slot * (i as f64 + 0.5);
            let weight = if b.highlight { " font-weight=\"bold\"" } else { "" };
            if let Some(v) = b.value {
                let (y0, y1) = (ypos(vmin.max(0.0).min(vmax)), ypos(v));
                let (ya, yb) = if y1 < y0 { (y1, y0) } else { (y0, y1) };
                let fill = if b.highlight { HIGHLIGHT } else { BAR };
                let _ = write!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{ya:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"/>",
                    cx - slot * 0.35,
                    slot * 0.7,
                    (yb - ya).max(1.0)
                );
                if slot > 28.0 {
                    let _ = write!(
                        out,
                        "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{TEXT}\"{weight}>{}</text>",
                        ya - 4.0,
                        format::decimal(v, c.decimals)
                    );
                }
            }
            let _ = write!(
                out,
                "<text transform=\"translate({cx:.1} {:.1}) rotate(-40)\" text-anchor=\"end\" font-size=\"12\" fill=\"{TEXT}\"{weight}>{}</text>",
                top + plot_h + 14.0,
                esc(&b.label)
            );
        }
        for (ri, r) in c.references.iter().enumerate() {
            let y = ypos(r.value);
            let _ = write!(
                out,
                "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\" fill=\"{TEXT}\">{}: {}</text>",
                w - right,
                PALETTE[(ri + 1) % PALETTE.len()],
                w - right,
                y - 4.0,
                esc(&r.label),
                format::decimal(r.value, c.decimals)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Renders a grouped bar chart (categories along x, one bar per group in each category).
pub fn grouped_bar_chart(c: &GroupedBarChart) -> String {
    let (w, h) = (c.width.max(360) as f64, c.height.max(240) as f64);
    let (left, right, top) = (64.0, 16.0, 60.0);
    let bottom = 78.0;
    let values = c.groups.iter().flat_map(|g| g.values.iter().flatten().copied());
    let (lo, hi) = c.range.unwrap_or_else(|| data_range(values, true));
    let ticks = nice_ticks(lo, hi, 5);
    let (vmin, vmax) = match c.range {
        Some(r) => r,
        None => (ticks[0], *ticks.last().unwrap_or(&hi)),
    };
    let vmax = if vmax <= vmin { vmin + 1.0 } else { vmax };
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let ypos = |v: f64| top + plot_h * (1.0 - (v.clamp(vmin, vmax) - vmin) / (vmax - vmin));
    let ncat = c.categories.len().max(1) as f64;
    let ngroups = c.groups.len().max(1) as f64;
    let slot = plot_w / ncat;
    let bar_w = slot * 0.8 / ngroups;
    let mut out = String::new();
    open_svg(&mut out, w as u32, h as u32, &c.title, &c.description);
    let _ = write!(out, "<text x=\"12\" y=\"40\" font-size=\"12\" fill=\"{TEXT}\">{}</text>", esc(&c.unit));
    for t in ticks.iter().filter(|t| **t >= vmin && **t <= vmax) {
        let y = ypos(*t);
        let _ = write!(
            out,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{TEXT}\">{}</text>",
            w - right,
            left - 6.0,
            y + 4.0,
            format::number(*t, c.decimals.max(2))
        );
    }
    for (ci, cat) in c.categories.iter().enumerate() {
        let x0 = left + slot * ci as f64 + slot * 0.1;
        for (gi, g) in c.groups.iter().enumerate() {
            if let Some(v) = g.values.get(ci).copied().flatten() {
                let x = x0 + bar_w * gi as f64;
                let (ya, yb) = (ypos(v), ypos(vmin));
                let _ = write!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{ya:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                    bar_w * 0.92,
                    (yb - ya).max(1.0),
                    PALETTE[gi % PALETTE.len()]
                );
                if bar_w > 22.0 {
                    let _ = write!(
                        out,
                        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{TEXT}\">{}</text>",
                        x + bar_w * 0.46,
                        ya - 4.0,
                        format::decimal(v, c.decimals)
                    );
                }
            }
        }
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{TEXT}\">{}</text>",
            left + slot * (ci as f64 + 0.5),
            top + plot_h + 18.0,
            esc(cat)
        );
    }
    let _ = write!(
        out,
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{TEXT}\"/>",
        top + plot_h,
        w - right,
        top + plot_h
    );
    let names: Vec<&str> = c.groups.iter().map(|s| s.name.as_str()).collect();
    legend(&mut out, &names, left, top + plot_h + 48.0, plot_w, false);
    out.push_str("</svg>");
    out
}

/// Rasterises an SVG produced here to PNG at `scale` (2.0 for print quality), using only the
/// embedded DejaVu Sans fonts.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_font_data(crate::FONT_REGULAR.to_vec());
    opt.fontdb_mut().load_font_data(crate::FONT_BOLD.to_vec());
    opt.font_family = "DejaVu Sans".to_string();
    let tree = resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| format!("SVG kunde inte läsas: {e}"))?;
    let size = tree.size().to_int_size().scale_by(scale).ok_or("ogiltig bildstorlek")?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("ogiltig bildstorlek")?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| format!("PNG kunde inte skapas: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> LineChart {
        LineChart {
            title: "Andel invånare 65+ som återinskrivs inom 30 dagar".into(),
            description: "Dalarna, riket och Avesta 2019–2024".into(),
            unit: "procent".into(),
            x_labels: (2019..=2024).map(|y| y.to_string()).collect(),
            series: vec![
                Series {
                    name: "Avesta".into(),
                    values: vec![Some(17.2), Some(16.8), None, Some(15.9), Some(16.1), Some(15.5)],
                },
                Series { name: "Dalarnas län".into(), values: vec![Some(16.0); 6] },
                Series {
                    name: "Riket".into(),
                    values: vec![Some(15.2), Some(15.0), Some(14.9), Some(14.8), Some(14.7), Some(14.5)],
                },
            ],
            decimals: 1,
            width: 720,
            height: 360,
        }
    }

    #[test]
    fn ticks_are_nice_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let t = nice_ticks(14.5, 17.2, 5);
        assert!(t[0] <= 14.5 && *t.last().unwrap() >= 17.2, "{t:?}");
        assert!(nice_ticks(3.0, 3.0, 5).len() >= 2);
    }

    #[test]
    fn line_chart_is_accessible_and_breaks_at_missing_values() {
        let svg = line_chart(&line());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"t\">Andel invånare 65+"));
        assert!(svg.contains("<desc id=\"d\">Dalarna, riket och Avesta 2019–2024</desc>"));
        // Avesta's path has two pieces (a gap at 2021): two "M" commands.
        let avesta_path = svg.split("<path d=\"").nth(1).unwrap();
        assert_eq!(avesta_path.split('"').next().unwrap().matches('M').count(), 2);
        // Dash patterns differ per series (not colour alone).
        assert!(svg.contains("stroke-dasharray=\"8 4\""));
        assert!(svg.contains(">Riket</text>"));
        assert_eq!(svg, line_chart(&line()), "deterministic");
    }

    #[test]
    fn text_is_escaped() {
        let mut c = line();
        c.title = "<script>&".into();
        let svg = line_chart(&c);
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;&amp;"));
    }

    #[test]
    fn horizontal_bars_use_swedish_numbers_and_mark_missing() {
        let c = BarChart {
            title: "Områden".into(),
            description: "Antal kommuner per område".into(),
            unit: "antal kommuner".into(),
            bars: vec![
                Bar { label: "Mobila team".into(), value: Some(14.0), highlight: false },
                Bar { label: "Fast vårdkontakt".into(), value: Some(2.5), highlight: true },
                Bar { label: "SIP".into(), value: None, highlight: false },
            ],
            references: vec![Reference { label: "Riket".into(), value: 7.25 }],
            decimals: 1,
            horizontal: true,
            range: None,
            width: 640,
        };
        let svg = bar_chart(&c);
        assert!(svg.contains(">14,0</text>") && svg.contains(">2,5</text>"));
        assert!(svg.contains("uppgift saknas"));
        assert!(svg.contains("Riket: 7,3"));
        assert!(svg.contains("font-weight=\"bold\">Fast vårdkontakt"));
        let v = bar_chart(&BarChart { horizontal: false, ..c });
        assert!(v.contains("rotate(-40)"));
    }

    #[test]
    fn grouped_bars_and_png() {
        let c = GroupedBarChart {
            title: "Självskattning per delmål".into(),
            description: "Medelvärde 2023 och 2024".into(),
            unit: "medelvärde 1–5".into(),
            categories: (1..=5).map(|i| format!("Delmål {i}")).collect(),
            groups: vec![
                Series {
                    name: "2023".into(),
                    values: vec![Some(3.1), Some(2.8), Some(2.5), Some(3.5), Some(3.0)],
                },
                Series {
                    name: "2024".into(),
                    values: vec![Some(3.2), Some(2.9), Some(2.6), Some(3.4), None],
                },
            ],
            decimals: 1,
            range: Some((1.0, 5.0)),
            width: 720,
            height: 360,
        };
        let svg = grouped_bar_chart(&c);
        assert_eq!(svg.matches("<rect x=").count(), 9 + 2, "9 bars + 2 legend swatches");
        assert!(svg.contains(">3,5</text>"));
        let png = svg_to_png(&svg, 1.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(png.len() > 2000);
    }
}
