//! Rendering adapter of GNV-uppföljning.
//!
//! - [`chart`] — accessible SVG charts (line, bar, grouped bar) with Swedish number formatting;
//!   [`chart::svg_to_png`] rasterises them with resvg and the embedded DejaVu Sans font.
//! - [`export`] — spreadsheets: XLSX (rust_xlsxwriter) and CSV for Swedish Excel (`;`, UTF-8 with
//!   BOM, decimal comma).
//! - [`dokument`] — a general document model rendered to PDF (Typst, PDF/A-2b) and DOCX.
//!
//! Everything here is deterministic: the same input gives byte-identical output, so frozen
//! editions and reports can be regenerated identically.

pub mod chart;
pub mod dokument;
pub mod export;
pub mod infografik;
pub mod text;

/// DejaVu Sans, embedded so that rendering never depends on the fonts of the machine.
pub const FONT_REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub const FONT_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
