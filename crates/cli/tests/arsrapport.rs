//! End-to-end: the annual report of the demo database in all three formats.
//!
//! `gnv demo --no-serve` builds the demo database; `gnv report` writes the 2024 report as PDF,
//! DOCX and HTML; the text is extracted again (pdftotext from poppler-utils, the DOCX's
//! `word/document.xml`, the HTML) and checked against what the other commands compute from the
//! same data: the indicator summary of the published edition (`gnv infographic summary`), the
//! appendix-1 totals (`gnv round summary --part ekonomi`) and the self-assessment means
//! (`gnv round summary --part sjalvskattning`).

use gnv_core::format;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gnv(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gnv"))
        .args(args)
        .current_dir(dir)
        .env_remove("GNV_CONFIG")
        .env("GNV_LOG", "warn")
        .output()
        .expect("run gnv")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "gnv failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whitespace runs to one space; a hyphen at a line end (Typst's hyphenation) is joined.
fn normalise(s: &str) -> String {
    let joined = s.replace("-\n", "").replace('\u{ad}', "");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text of markup: tags become spaces, the five entities are decoded.
fn strip_tags(markup: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// DOCX runs are split at formatting changes: join the text of each paragraph.
fn docx_text(xml: &str) -> String {
    xml.split("</w:p>")
        .map(|p| {
            let mut s = String::new();
            for part in p.split("<w:t").skip(1) {
                if let Some(start) = part.find('>') {
                    let rest = &part[start + 1..];
                    if let Some(end) = rest.find("</w:t>") {
                        s.push_str(&rest[..end]);
                    }
                }
            }
            strip_tags(&s)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

struct Demo {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: String,
}

fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let db = path.join("demo.db").to_str().unwrap().to_string();
    let out = ok(&gnv(&path, &["demo", "--db", &db, "--no-serve"]));
    assert!(out.contains("Skapade demodatabasen"), "{out}");
    Demo { _dir: dir, dir: path, db }
}

fn json(d: &Demo, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--db", &d.db]);
    serde_json::from_str(&ok(&gnv(&d.dir, &all))).expect("JSON")
}

/// The phrases the report must contain, computed from the data by the other commands.
fn expected(d: &Demo) -> Vec<String> {
    let mut v: Vec<String> = [
        "Innehåll",
        "1 Bakgrund",
        "2 Metod",
        "3 Resultat",
        "3.1 Nyckeltal och infografik",
        "3.2 Självskattning av arbetet i de lokala systemledningarna",
        "4 Metodaspekter",
        "5 Avslutningsord",
        "Bilaga 1 – Ekonomisk redovisning",
        "Bilaga 3 – Självskattningen",
        "Källor och referenser",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();

    // The 2024 report uses the infographic published the year after (2025), for the region.
    let ind = json(d, &["infographic", "summary", "--year", "2025", "--focus", "0020", "--format", "json"]);
    let summary: gnv_core::nyckeltal::EditionSummary =
        serde_json::from_value(ind["summary"].clone()).expect("edition summary");
    assert_eq!(summary.total, 20);
    let registry = gnv_core::organisation::dalarna();
    let name = gnv_report::input::county_short(&registry.county_name);
    let sentences = gnv_core::nyckeltal::summary_paragraph(&summary, 2025, &name);
    assert!(sentences.len() >= 5, "{sentences:?}");
    v.extend(sentences);

    // Appendix 1: the computed totals row of the first focus area with rows.
    let eco = json(d, &["round", "summary", "--year", "2024", "--part", "ekonomi", "--format", "json"]);
    let first = eco["summaries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["table"]["rows"].as_array().is_some_and(|r| !r.is_empty()))
        .expect("a focus area with rows");
    let total = &first["table"]["total"];
    let sums: Vec<i64> = ["allocated", "repaid_surplus", "reported_spent"]
        .iter()
        .map(|k| total[*k].as_i64().expect("total"))
        .collect();
    assert!(sums[0] > 0, "{total}");
    v.push(format!("Summa {}", sums.iter().map(|s| format::integer(*s)).collect::<Vec<_>>().join(" ")));

    // Self-assessment: answered and the mean per sub-goal of the report year.
    let sa = json(d, &["round", "summary", "--year", "2024", "--part", "sjalvskattning", "--format", "json"]);
    let year = sa["years"].as_array().unwrap().iter().find(|y| y["year"] == 2024).expect("2024");
    v.push(format!(
        "{} lokala systemledningar har besvarat självskattningen avseende 2024.",
        year["answered_text"].as_str().unwrap()
    ));
    for g in year["subgoals"].as_array().unwrap() {
        let mean = g["mean"].as_f64().map(|m| format::decimal(m, 1)).unwrap_or_else(|| "–".into());
        v.push(format!("Delmål {} – {}: medelvärde {mean}", g["subgoal"], g["name"].as_str().unwrap()));
    }
    v
}

fn check(format: &str, text: &str, expected: &[String]) {
    let text = normalise(text);
    for phrase in expected {
        assert!(text.contains(&normalise(phrase)), "{format}: missing «{phrase}»");
    }
}

/// No PDF/A validator is packaged for this machine's registries (veraPDF is not in Debian,
/// PyPI or npm), so the PDF/A-2b essentials are checked directly: the XMP identification
/// (part 2, conformance B), an output intent, and every font embedded (poppler's pdffonts).
fn pdfa_structure(pdf: &[u8], path: &Path) {
    let raw = String::from_utf8_lossy(pdf);
    assert!(raw.contains("<pdfaid:part>2</pdfaid:part>"), "PDF/A part 2 in XMP");
    assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "PDF/A conformance B in XMP");
    assert!(raw.contains("/OutputIntents"), "output intent");
    if let Ok(out) = Command::new("pdffonts").arg(path).output() {
        let list = String::from_utf8_lossy(&out.stdout);
        let fonts: Vec<&str> = list.lines().skip(2).collect();
        assert!(!fonts.is_empty(), "fonts listed: {list}");
        for f in fonts {
            // Columns: name type encoding emb sub uni object ID; "emb" is the 4th from the end.
            let cols: Vec<&str> = f.split_whitespace().collect();
            assert_eq!(cols.get(cols.len().saturating_sub(5)), Some(&"yes"), "embedded: {f}");
        }
    }
}

#[test]
fn the_demo_report_states_the_data_in_all_three_formats() {
    if gnv_storage::testing::test_postgres_url().is_some() {
        // `gnv demo` always builds a SQLite file: nothing here differs in the PostgreSQL pass.
        eprintln!("SQLite only (gnv demo): skipped in the PostgreSQL pass");
        return;
    }
    let d = demo();
    let expected = expected(&d);
    for f in ["pdf", "docx", "html"] {
        let out = d.dir.join(format!("r.{f}"));
        let msg = ok(&gnv(
            &d.dir,
            &["report", "--year", "2024", "--format", f, "--out", out.to_str().unwrap(), "--db", &d.db],
        ));
        assert!(msg.contains("utkast"), "{msg}");
        let bytes = std::fs::read(&out).unwrap();
        match f {
            "pdf" => {
                assert!(bytes.starts_with(b"%PDF"));
                pdfa_structure(&bytes, &out);
                let text = Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&out).arg("-").output();
                match text {
                    Ok(t) if t.status.success() => {
                        let text = String::from_utf8_lossy(&t.stdout);
                        check(f, &text, &expected);
                        assert!(text.contains("Sida 1 av"), "page numbers");
                    }
                    _ => {
                        assert!(std::env::var("CI").is_err(), "pdftotext (poppler-utils) is required in CI");
                        eprintln!("pdftotext missing: PDF text not checked");
                    }
                }
            }
            "docx" => {
                let xml = gnv_report::docx_text::document_xml(&bytes).expect("word/document.xml");
                assert!(xml.contains("w:val=\"Heading1\""), "real heading styles");
                assert!(xml.contains("<w:tbl>"), "real tables");
                assert!(xml.contains("w:footnoteReference"), "sources as Word footnotes");
                // The table of contents is a field that Word fills; its title is text.
                assert!(xml.contains("TOC \\o"), "table of contents field");
                check(f, &docx_text(&xml), &expected);
            }
            _ => {
                let html = String::from_utf8(bytes).unwrap();
                assert!(html.contains("<html lang=\"sv\">"));
                assert!(html.contains("class=\"fotnoter\""), "footnotes list");
                check(f, &strip_tags(&html), &expected);
            }
        }
    }
}

/// `gnv round close` and `gnv round deadline` on the demo: the open 2026 round closes once, a
/// second close is refused, and a new deadline in the future opens it again.
#[test]
fn rounds_close_and_reopen_from_the_command_line() {
    let d = demo();
    let out = ok(&gnv(&d.dir, &["round", "close", "--year", "2026", "--db", &d.db]));
    assert!(out.contains("Rapporteringsomgången 2026 är stängd"), "{out}");
    let again = gnv(&d.dir, &["round", "close", "--year", "2026", "--db", &d.db]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("är redan stängd"), "{again:?}");
    let out =
        ok(&gnv(&d.dir, &["round", "deadline", "--year", "2026", "--date", "2099-02-12", "--db", &d.db]));
    assert!(out.contains("Sista svarsdag för 2026 är 12 februari 2099. Omgången är öppen."), "{out}");
    let bad = gnv(&d.dir, &["round", "deadline", "--year", "2026", "--date", "12/2", "--db", &d.db]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ska skrivas ÅÅÅÅ-MM-DD"), "{bad:?}");
}
