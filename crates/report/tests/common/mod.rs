//! Text extraction shared by the report's integration tests: PDF (pdftotext from poppler-utils),
//! HTML (tags and inline SVG removed).
#![allow(dead_code)]

use std::process::Command;

/// Whitespace runs to one space; a hyphen at a line end (Typst's hyphenation) is joined.
pub fn normalise(s: &str) -> String {
    let joined = s.replace("-\n", "").replace('\u{ad}', "");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile_dir();
    let path = dir.join("r.pdf");
    std::fs::write(&path, pdf).ok()?;
    let out = Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&path).arg("-").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).to_string())
}

pub fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "gnv-report-test-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut in_svg = 0usize;
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        if html[i..].starts_with("<svg") {
            in_svg += 1;
        }
        if html[i..].starts_with("</svg>") {
            in_svg = in_svg.saturating_sub(1);
        }
        let c = html[i..].chars().next().unwrap();
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag && in_svg == 0 => out.push(c),
            _ => {}
        }
        i += c.len_utf8();
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}
