//! Reading the text back out of a DOCX package, for tests and checks: the XML of
//! `word/document.xml` and its paragraphs as plain text.

use std::io::Read;

/// The XML of `word/document.xml`.
pub fn document_xml(docx: &[u8]) -> Option<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).ok()?;
    let mut file = archive.by_name("word/document.xml").ok()?;
    let mut xml = String::new();
    file.read_to_string(&mut xml).ok()?;
    Some(xml)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The document's paragraphs as plain text, one line per paragraph (`w:p`), text of the `w:t`
/// runs concatenated.
pub fn paragraphs(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in xml.split("</w:p>") {
        let mut line = String::new();
        let mut rest = para;
        while let Some(i) = rest.find("<w:t") {
            let after = &rest[i + 4..];
            // Skip <w:tbl>, <w:tc> … : a text run tag is "<w:t>" or "<w:t " (attributes).
            if !(after.starts_with('>') || after.starts_with(' ')) {
                rest = after;
                continue;
            }
            let Some(open_end) = after.find('>') else { break };
            let body = &after[open_end + 1..];
            let Some(close) = body.find("</w:t>") else { break };
            line.push_str(&unescape(&body[..close]));
            rest = &body[close..];
        }
        if !line.trim().is_empty() {
            out.push(line);
        }
    }
    out
}
