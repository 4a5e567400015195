//! Accessible SVG charts.
//!
//! Every chart is an `<svg role="img">` with `<title>` and `<desc>`; series are told apart by
//! colour (Okabe–Ito palette, safe for colour-vision deficiencies) *and* by dash pattern and marker
//! shape, so no information is carried by colour alone. Numbers use Swedish formatting. Pages must
//! still show the same data as a table beside the chart.
//!
//! Charts are deterministic: the same input gives the same bytes.

use crate::text;
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

const TITLE_SIZE: f64 = 15.0;
const TITLE_LINE: f64 = 19.0;
const UNIT_SIZE: f64 = 12.0;
const UNIT_LINE: f64 = 15.0;
const LABEL_SIZE: f64 = 13.0;
const LEGEND_LINE: f64 = 17.0;

/// The title and unit lines of a chart, wrapped to its width.
struct Header {
    title: Vec<String>,
    unit: Vec<String>,
}

impl Header {
    fn new(title: &str, unit: &str, w: f64) -> Self {
        let unit =
            if unit.trim().is_empty() { Vec::new() } else { text::wrap(unit, UNIT_SIZE, false, w - 24.0) };
        Header { title: text::wrap(title, TITLE_SIZE, true, w - 24.0), unit }
    }

    /// The baseline of the header's last line.
    fn bottom(&self) -> f64 {
        let title_last = 22.0 + TITLE_LINE * (self.title.len().max(1) - 1) as f64;
        if self.unit.is_empty() {
            title_last
        } else {
            title_last + 17.0 + UNIT_LINE * (self.unit.len() - 1) as f64
        }
    }

    /// Where the plot may start.
    fn plot_top(&self) -> f64 {
        self.bottom() + 20.0
    }
}

fn open_svg(out: &mut String, w: u32, h: u32, title: &str, desc: &str, header: &Header) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"t d\" font-family=\"{FONT_FAMILY}\" font-size=\"13\">\
<title id=\"t\">{}</title><desc id=\"d\">{}</desc><rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>",
        esc(title),
        esc(desc),
    );
    for (i, line) in header.title.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"12\" y=\"{:.1}\" font-size=\"15\" font-weight=\"bold\" fill=\"{TEXT}\">{}</text>",
            22.0 + TITLE_LINE * i as f64,
            esc(line)
        );
    }
    let unit_top = 22.0 + TITLE_LINE * (header.title.len().max(1) - 1) as f64 + 17.0;
    for (i, line) in header.unit.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"12\" y=\"{:.1}\" font-size=\"12\" fill=\"{TEXT}\">{}</text>",
            unit_top + UNIT_LINE * i as f64,
            esc(line)
        );
    }
}

/// A text of one or more lines (`<tspan>`s) with its first baseline at (x, y).
fn text_lines(out: &mut String, x: f64, y: f64, lines: &[String], line_height: f64, attrs: &str) {
    if let [only] = lines {
        let _ = write!(out, "<text x=\"{x:.1}\" y=\"{y:.1}\"{attrs}>{}</text>", esc(only));
        return;
    }
    let _ = write!(out, "<text x=\"{x:.1}\" y=\"{y:.1}\"{attrs}>");
    for (i, l) in lines.iter().enumerate() {
        let _ = write!(out, "<tspan x=\"{x:.1}\" y=\"{:.1}\">{}</tspan>", y + line_height * i as f64, esc(l));
    }
    out.push_str("</text>");
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

/// How a legend entry's key is drawn.
#[derive(Clone, Copy)]
enum Key {
    /// Line with dash pattern and marker of series `i` (line charts).
    Line,
    /// Filled swatch of series `i` (grouped bars).
    Swatch,
    /// Dashed reference line in the colour of series `i + 1` (bar charts' references).
    Reference,
}

/// Legend entries placed in rows that wrap at the available width; long names wrap too.
struct Legend {
    /// (x offset, y offset of the first baseline, lines) per entry.
    items: Vec<(f64, f64, Vec<String>)>,
    /// From the first row's baseline to the last row's baseline.
    baseline_span: f64,
}

impl Legend {
    fn new(names: &[&str], width: f64) -> Self {
        let mut items = Vec::new();
        let (mut x, mut row_y, mut row_lines) = (0.0, 0.0, 0usize);
        for name in names {
            let lines = text::wrap(name, LABEL_SIZE, false, (width - 34.0).max(40.0));
            let text_w = lines.iter().map(|l| text::width(l, LABEL_SIZE, false)).fold(0.0, f64::max);
            let item_w = 30.0 + text_w + 18.0;
            if x > 0.0 && x + item_w - 18.0 > width {
                row_y += LEGEND_LINE * row_lines.max(1) as f64 + 4.0;
                x = 0.0;
                row_lines = 0;
            }
            row_lines = row_lines.max(lines.len());
            items.push((x, row_y, lines));
            x += item_w;
        }
        let baseline_span = row_y + LEGEND_LINE * (row_lines.max(1) - 1) as f64;
        Legend { items, baseline_span }
    }

    fn draw(&self, out: &mut String, x0: f64, y0: f64, key: Key) {
        for (i, (dx, dy, lines)) in self.items.iter().enumerate() {
            let (x, y) = (x0 + dx, y0 + dy);
            match key {
                Key::Line => {
                    let color = PALETTE[i % PALETTE.len()];
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
                }
                Key::Swatch => {
                    let _ = write!(
                        out,
                        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"12\" fill=\"{}\"/>",
                        x + 5.0,
                        y - 10.0,
                        PALETTE[i % PALETTE.len()]
                    );
                }
                Key::Reference => {
                    let _ = write!(
                        out,
                        "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>",
                        y - 4.0,
                        x + 22.0,
                        y - 4.0,
                        PALETTE[(i + 1) % PALETTE.len()]
                    );
                }
            }
            text_lines(out, x + 30.0, y, lines, LEGEND_LINE, &format!(" fill=\"{TEXT}\""));
        }
    }
}

/// The left margin that leaves room for the y axis' tick labels.
fn tick_margin(ticks: &[f64], decimals: usize) -> f64 {
    let widest = ticks
        .iter()
        .map(|t| text::width(&format::number(*t, decimals), LABEL_SIZE, false))
        .fold(0.0, f64::max);
    (widest + 16.0).max(48.0)
}

/// Renders a line chart. The plot keeps the requested height; a title or legend that needs
/// more lines makes the image taller.
pub fn line_chart(c: &LineChart) -> String {
    let w = c.width.max(320) as f64;
    let header = Header::new(&c.title, &c.unit, w);
    let (lo, hi) = data_range(c.series.iter().flat_map(|s| s.values.iter().flatten().copied()), false);
    let ticks = nice_ticks(lo, hi, 5);
    let (ymin, ymax) = (ticks[0], *ticks.last().unwrap_or(&hi));
    let ymax = if ymax <= ymin { ymin + 1.0 } else { ymax };
    let tick_decimals = c.decimals.max(2);
    let n = c.x_labels.len().max(1);
    let half =
        |i: usize| c.x_labels.get(i).map(|l| text::width(l, LABEL_SIZE, false) / 2.0 + 4.0).unwrap_or(0.0);
    let left = tick_margin(&ticks, tick_decimals).max(half(0) + 4.0);
    let right = 20f64.max(half(n - 1));
    let top = header.plot_top();
    let plot_h = (c.height.max(200) as f64 - 58.0 - 64.0).max(80.0);
    let plot_w = w - left - right;
    let names: Vec<&str> = c.series.iter().map(|s| s.name.as_str()).collect();
    let legend = Legend::new(&names, plot_w);
    let legend_y = top + plot_h + 42.0;
    let h = (legend_y + legend.baseline_span + 12.0).ceil();
    let xpos = |i: usize| left + if n == 1 { plot_w / 2.0 } else { plot_w * i as f64 / (n - 1) as f64 };
    let ypos = |v: f64| top + plot_h * (1.0 - (v - ymin) / (ymax - ymin));
    let mut out = String::new();
    open_svg(&mut out, w as u32, h as u32, &c.title, &c.description, &header);
    for t in &ticks {
        let y = ypos(*t);
        let _ = write!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{TEXT}\">{}</text>",
            w - right,
            left - 6.0,
            y + 4.0,
            format::number(*t, tick_decimals)
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
        "<line x1=\"{left:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{TEXT}\"/>",
        top + plot_h,
        w - right,
        top + plot_h
    );
    legend.draw(&mut out, left, legend_y, Key::Line);
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
    let tick_decimals = c.decimals.max(2);
    let mut out = String::new();
    let w = c.width.max(320) as f64;
    let header = Header::new(&c.title, &c.unit, w);
    let top = header.plot_top();
    let weight = |b: &Bar| if b.highlight { " font-weight=\"bold\"" } else { "" };
    if c.horizontal {
        // Labels: as wide as the widest, at most 45 % of the image; longer ones wrap (two lines).
        let widest =
            c.bars.iter().map(|b| text::width(&b.label, LABEL_SIZE, b.highlight)).fold(24.0, f64::max);
        let label_w = (widest + 20.0).min(w * 0.45);
        let labels: Vec<Vec<String>> = c
            .bars
            .iter()
            .map(|b| text::wrap_max(&b.label, LABEL_SIZE, b.highlight, label_w - 20.0, 2))
            .collect();
        let two_line = labels.iter().any(|l| l.len() > 1);
        let row = if two_line { 36.0 } else { 26.0 };
        let value_w = c
            .bars
            .iter()
            .filter_map(|b| b.value)
            .map(|v| text::width(&format::decimal(v, c.decimals), LABEL_SIZE, true))
            .fold(0.0, f64::max);
        let last_tick_half = ticks
            .iter()
            .filter(|t| **t >= vmin && **t <= vmax)
            .map(|t| text::width(&format::number(*t, tick_decimals), LABEL_SIZE, false) / 2.0)
            .fold(0.0, f64::max);
        let left = label_w;
        let right = (value_w + 14.0).max(last_tick_half + 6.0).max(24.0);
        let plot_w = w - left - right;
        let bottom_y = top + row * c.bars.len() as f64;
        let refs: Vec<String> = c
            .references
            .iter()
            .map(|r| format!("{}: {}", r.label, format::decimal(r.value, c.decimals)))
            .collect();
        let ref_names: Vec<&str> = refs.iter().map(|s| s.as_str()).collect();
        let legend = Legend::new(&ref_names, w - 24.0);
        let legend_y = bottom_y + 42.0;
        let h = if refs.is_empty() { bottom_y + 30.0 } else { legend_y + legend.baseline_span + 12.0 }.ceil();
        let xpos = |v: f64| left + plot_w * (v - vmin) / (vmax - vmin);
        open_svg(&mut out, w as u32, h as u32, &c.title, &c.description, &header);
        for t in ticks.iter().filter(|t| **t >= vmin && **t <= vmax) {
            let x = xpos(*t);
            let _ = write!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom_y:.1}\" stroke=\"{GRID}\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text>",
                bottom_y + 16.0,
                format::number(*t, tick_decimals)
            );
        }
        for (i, b) in c.bars.iter().enumerate() {
            let y = top + row * i as f64;
            let lines = &labels[i];
            let first = y + row / 2.0 + 4.5 - 7.5 * (lines.len() - 1) as f64;
            text_lines(
                &mut out,
                left - 8.0,
                first,
                lines,
                15.0,
                &format!(" text-anchor=\"end\" fill=\"{TEXT}\"{}", weight(b)),
            );
            match b.value {
                Some(v) => {
                    let (x0, x1) = (xpos(vmin.max(0.0).min(vmax)), xpos(v));
                    let (xa, xb) = if x1 < x0 { (x1, x0) } else { (x0, x1) };
                    let fill = if b.highlight { HIGHLIGHT } else { BAR };
                    let _ = write!(
                        out,
                        "<rect x=\"{xa:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{TEXT}\"{}>{}</text>",
                        y + 4.0,
                        (xb - xa).max(1.0),
                        row - 8.0,
                        xb + 5.0,
                        y + row / 2.0 + 4.5,
                        weight(b),
                        format::decimal(v, c.decimals)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{TEXT}\" font-style=\"italic\">uppgift saknas</text>",
                        left + 4.0,
                        y + row / 2.0 + 4.5
                    );
                }
            }
        }
        for (ri, r) in c.references.iter().enumerate() {
            let x = xpos(r.value);
            let _ = write!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{bottom_y:.1}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>",
                top - 4.0,
                PALETTE[(ri + 1) % PALETTE.len()]
            );
        }
        if !refs.is_empty() {
            legend.draw(&mut out, 12.0, legend_y, Key::Reference);
        }
    } else {
        // Labels are rotated by 40°; long ones wrap to two lines. The margins make room for them.
        let labels: Vec<Vec<String>> =
            c.bars.iter().map(|b| text::wrap_max(&b.label, 12.0, b.highlight, 150.0, 2)).collect();
        let label_len =
            |l: &Vec<String>, bold: bool| l.iter().map(|s| text::width(s, 12.0, bold)).fold(0.0, f64::max);
        let longest = c.bars.iter().zip(&labels).map(|(b, l)| label_len(l, b.highlight)).fold(0.0, f64::max);
        let max_lines = labels.iter().map(|l| l.len()).max().unwrap_or(1) as f64;
        let (sin, cos) = (40f64.to_radians().sin(), 40f64.to_radians().cos());
        let bottom = 14.0 + longest * sin + 14.0 * (max_lines - 1.0) * cos + 16.0;
        let n = c.bars.len().max(1) as f64;
        let right = 16.0;
        let mut left = tick_margin(&ticks, tick_decimals).max(64.0);
        if let (Some(b), Some(l)) = (c.bars.first(), labels.first()) {
            let slot = (w - left - right) / n;
            let needed = label_len(l, b.highlight) * cos + 8.0 - slot / 2.0;
            left = left.max(needed.min(w * 0.4));
        }
        let plot_h = 224.0;
        let h = (top + plot_h + bottom).ceil();
        let plot_w = w - left - right;
        let slot = plot_w / n;
        let ypos = |v: f64| top + plot_h * (1.0 - (v - vmin) / (vmax - vmin));
        open_svg(&mut out, w as u32, h as u32, &c.title, &c.description, &header);
        for t in ticks.iter().filter(|t| **t >= vmin && **t <= vmax) {
            let y = ypos(*t);
            let _ = write!(
                out,
                "<line x1=\"{left:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{TEXT}\">{}</text>",
                w - right,
                left - 6.0,
                y + 4.0,
                format::number(*t, tick_decimals)
            );
        }
        for (i, b) in c.bars.iter().enumerate() {
            let cx = left + slot * (i as f64 + 0.5);
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
                let value = format::decimal(v, c.decimals);
                if text::width(&value, 11.0, b.highlight) + 2.0 < slot {
                    let _ = write!(
                        out,
                        "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{TEXT}\"{}>{}</text>",
                        ya - 4.0,
                        weight(b),
                        value
                    );
                }
            }
            let _ =
                write!(out, "<g transform=\"translate({cx:.1} {:.1}) rotate(-40)\">", top + plot_h + 14.0);
            text_lines(
                &mut out,
                0.0,
                0.0,
                &labels[i],
                14.0,
                &format!(" text-anchor=\"end\" font-size=\"12\" fill=\"{TEXT}\"{}", weight(b)),
            );
            out.push_str("</g>");
        }
        for (ri, r) in c.references.iter().enumerate() {
            let y = ypos(r.value);
            let label = text::wrap_max(
                &format!("{}: {}", r.label, format::decimal(r.value, c.decimals)),
                12.0,
                false,
                plot_w - 8.0,
                1,
            );
            let _ = write!(
                out,
                "<line x1=\"{left:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>",
                w - right,
                PALETTE[(ri + 1) % PALETTE.len()],
            );
            text_lines(
                &mut out,
                w - right,
                y - 4.0,
                &label,
                14.0,
                &format!(" text-anchor=\"end\" font-size=\"12\" fill=\"{TEXT}\""),
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Renders a grouped bar chart (categories along x, one bar per group in each category).
pub fn grouped_bar_chart(c: &GroupedBarChart) -> String {
    let w = c.width.max(360) as f64;
    let header = Header::new(&c.title, &c.unit, w);
    let values = c.groups.iter().flat_map(|g| g.values.iter().flatten().copied());
    let (lo, hi) = c.range.unwrap_or_else(|| data_range(values, true));
    let ticks = nice_ticks(lo, hi, 5);
    let (vmin, vmax) = match c.range {
        Some(r) => r,
        None => (ticks[0], *ticks.last().unwrap_or(&hi)),
    };
    let vmax = if vmax <= vmin { vmin + 1.0 } else { vmax };
    let tick_decimals = c.decimals.max(2);
    let (left, right) = (tick_margin(&ticks, tick_decimals).max(64.0), 16.0);
    let top = header.plot_top();
    let plot_w = w - left - right;
    let ncat = c.categories.len().max(1) as f64;
    let slot = plot_w / ncat;
    let cat_lines: Vec<Vec<String>> =
        c.categories.iter().map(|cat| text::wrap_max(cat, 12.0, false, slot - 6.0, 3)).collect();
    let max_cat_lines = cat_lines.iter().map(|l| l.len()).max().unwrap_or(1) as f64;
    let plot_h = (c.height.max(240) as f64 - 60.0 - 78.0).max(80.0);
    let names: Vec<&str> = c.groups.iter().map(|s| s.name.as_str()).collect();
    let legend = Legend::new(&names, plot_w);
    let legend_y = top + plot_h + 48.0 + 15.0 * (max_cat_lines - 1.0);
    let h = (legend_y + legend.baseline_span + 12.0).ceil();
    let ypos = |v: f64| top + plot_h * (1.0 - (v.clamp(vmin, vmax) - vmin) / (vmax - vmin));
    let ngroups = c.groups.len().max(1) as f64;
    let bar_w = slot * 0.8 / ngroups;
    let mut out = String::new();
    open_svg(&mut out, w as u32, h as u32, &c.title, &c.description, &header);
    for t in ticks.iter().filter(|t| **t >= vmin && **t <= vmax) {
        let y = ypos(*t);
        let _ = write!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{TEXT}\">{}</text>",
            w - right,
            left - 6.0,
            y + 4.0,
            format::number(*t, tick_decimals)
        );
    }
    for (ci, lines) in cat_lines.iter().enumerate() {
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
                let value = format::decimal(v, c.decimals);
                if text::width(&value, 11.0, false) + 2.0 < bar_w {
                    let _ = write!(
                        out,
                        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{TEXT}\">{}</text>",
                        x + bar_w * 0.46,
                        ya - 4.0,
                        value
                    );
                }
            }
        }
        text_lines(
            &mut out,
            left + slot * (ci as f64 + 0.5),
            top + plot_h + 18.0,
            lines,
            15.0,
            &format!(" text-anchor=\"middle\" font-size=\"12\" fill=\"{TEXT}\""),
        );
    }
    let _ = write!(
        out,
        "<line x1=\"{left:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{TEXT}\"/>",
        top + plot_h,
        w - right,
        top + plot_h
    );
    legend.draw(&mut out, left, legend_y, Key::Swatch);
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

/// Every text of an SVG with its bounding box as laid out by usvg with the embedded fonts
/// (tests: texts must lie inside the image).
#[cfg(test)]
pub(crate) fn text_boxes(svg: &str) -> (f32, f32, Vec<(String, resvg::usvg::Rect)>) {
    fn walk(g: &resvg::usvg::Group, out: &mut Vec<(String, resvg::usvg::Rect)>) {
        for n in g.children() {
            match n {
                resvg::usvg::Node::Group(g) => walk(g, out),
                resvg::usvg::Node::Text(t) => {
                    let s: String = t.chunks().iter().map(|c| c.text()).collect::<Vec<_>>().join("|");
                    out.push((s, t.abs_bounding_box()));
                }
                _ => {}
            }
        }
    }
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_font_data(crate::FONT_REGULAR.to_vec());
    opt.fontdb_mut().load_font_data(crate::FONT_BOLD.to_vec());
    opt.font_family = "DejaVu Sans".to_string();
    let tree = resvg::usvg::Tree::from_str(svg, &opt).unwrap();
    let mut out = Vec::new();
    walk(tree.root(), &mut out);
    (tree.size().width(), tree.size().height(), out)
}

/// Panics with the offending texts when one lies (partly) outside the image.
#[cfg(test)]
pub(crate) fn assert_texts_inside(svg: &str) {
    let (w, h, boxes) = text_boxes(svg);
    assert!(!boxes.is_empty(), "no texts laid out (fonts missing?)");
    let outside: Vec<String> = boxes
        .iter()
        .filter(|(_, r)| r.left() < -0.5 || r.top() < -0.5 || r.right() > w + 0.5 || r.bottom() > h + 0.5)
        .map(|(t, r)| {
            format!("{t:?} at {:.1},{:.1}–{:.1},{:.1} in {w}×{h}", r.left(), r.top(), r.right(), r.bottom())
        })
        .collect();
    assert!(outside.is_empty(), "texts outside the viewBox:\n{}", outside.join("\n"));
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

    const LONG: &str = "Andel invånare 65 år och äldre som skrivits ut från slutenvården och återinskrivits inom 30 dagar, Malung-Sälen och Älvdalen";

    fn municipalities() -> Vec<&'static str> {
        vec![
            "Avesta",
            "Borlänge",
            "Falun",
            "Gagnef",
            "Hedemora",
            "Leksand",
            "Ludvika",
            "Malung-Sälens kommun, kvinnor",
            "Mora",
            "Orsa",
            "Rättvik",
            "Smedjebacken",
            "Säter",
            "Vansbro",
            "Älvdalens kommun och Region Dalarnas primärvård, män",
        ]
    }

    #[test]
    fn every_chart_keeps_its_texts_inside_with_long_swedish_names() {
        for width in [360, 720] {
            let mut l = line();
            l.title = LONG.into();
            l.unit = "antal per 100 000 invånare i åldern 65 år och äldre (åldersstandardiserat)".into();
            l.width = width;
            l.series = municipalities()
                .iter()
                .enumerate()
                .map(|(i, n)| Series { name: n.to_string(), values: vec![Some(12_345.5 + i as f64); 6] })
                .collect();
            assert_texts_inside(&line_chart(&l));

            let bars: Vec<Bar> = municipalities()
                .iter()
                .enumerate()
                .map(|(i, n)| Bar {
                    label: n.to_string(),
                    value: (i != 3).then_some(1000.0 * i as f64 + 0.25),
                    highlight: i == 7,
                })
                .collect();
            let refs = vec![
                Reference { label: "Region Dalarna, kvinnor".into(), value: 6_000.0 },
                Reference { label: "Region Dalarna, män".into(), value: 7_000.0 },
                Reference { label: "Riket, kvinnor".into(), value: 8_000.0 },
                Reference { label: "Riket, män".into(), value: 9_000.0 },
            ];
            let h = BarChart {
                title: LONG.into(),
                description: String::new(),
                unit: "procent".into(),
                bars,
                references: refs,
                decimals: 1,
                horizontal: true,
                range: None,
                width,
            };
            let svg = bar_chart(&h);
            assert_texts_inside(&svg);
            assert!(svg.contains("Riket, män: 9 000,0"), "every reference has a label");
            assert_texts_inside(&bar_chart(&BarChart { horizontal: false, ..h }));

            let g = GroupedBarChart {
                title: LONG.into(),
                description: String::new(),
                unit: "medelvärde på skalan 1–5".into(),
                categories: vec![
                    "Delmål 1: Nära för mig".into(),
                    "Delmål 2: Nära för alla".into(),
                    "Delmål 3: Nära i hela Dalarna".into(),
                    "Delmål 4: Nära mellan oss".into(),
                    "Delmål 5: Nära till hälsa".into(),
                ],
                groups: municipalities()
                    .iter()
                    .take(6)
                    .map(|n| Series { name: n.to_string(), values: vec![Some(3.25); 5] })
                    .collect(),
                decimals: 2,
                range: Some((1.0, 5.0)),
                width,
                height: 360,
            };
            assert_texts_inside(&grouped_bar_chart(&g));
        }
    }

    #[test]
    fn the_text_check_finds_a_text_outside() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"50\" viewBox=\"0 0 100 50\"><text x=\"60\" y=\"20\" font-size=\"13\">Riket, kvinnor</text></svg>";
        let r = std::panic::catch_unwind(|| assert_texts_inside(svg));
        assert!(r.is_err());
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
