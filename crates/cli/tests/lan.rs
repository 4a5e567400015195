//! Another county end to end (#20): its own registry and county profile (six sub-goals), a
//! self-assessment history and a financial table imported with the CLI, and the annual report in
//! PDF, DOCX and HTML: the text names the other county, its support unit and its six sub-goals,
//! and never "Dalarna".

mod common;

use common::TestDir;
use std::process::Output;

fn gnv(dir: &TestDir, args: &[&str]) -> Output {
    let db = dir.path().join("gnv.db");
    dir.gnv(&[args, &["--db", db.to_str().unwrap()]].concat())
        .env("GNV_ADMIN_PASSWORD", "Ett-långt-testlösenord-1")
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

const REGISTRY: &str = r#"
[lan]
namn = "Värmlands län"
region_kod = "0017"
region_namn = "Region Värmland"

[[kommun]]
kod = "1780"
namn = "Karlstad"
[[kommun]]
kod = "1761"
namn = "Hammarö"
[[kommun]]
kod = "1715"
namn = "Kil"
[[kommun]]
kod = "1763"
namn = "Forshaga"
[[kommun]]
kod = "1784"
namn = "Arvika"
[[kommun]]
kod = "1737"
namn = "Torsby"
[[kommun]]
kod = "1781"
namn = "Kristinehamn"
[[kommun]]
kod = "1785"
namn = "Säffle"

[[lsl]]
namn = "Karlstadsregionen"
kommuner = ["1780", "1761"]
[[lsl]]
namn = "Kil och Forshaga"
kommuner = ["1715", "1763"]
[[lsl]]
namn = "Arvika"
kommuner = ["1784"]
[[lsl]]
namn = "Torsby"
kommuner = ["1737"]
[[lsl]]
namn = "Kristinehamn"
kommuner = ["1781"]
[[lsl]]
namn = "Säffle"
kommuner = ["1785"]

[[organ]]
kod = "vardsamverkan"
namn = "Värmlands vård- och omsorgsråd"
kortnamn = "VOR"
"#;

const SUBGOALS: [&str; 6] =
    ["Trygg hemma", "Vård där du bor", "Tillsammans", "Digitalt först", "Hälsa hela livet", "Kompetens"];

fn profile() -> String {
    let mut p = String::from(
        r#"lan = "Värmland"
stodenhet = "Stödstruktur Värmland"
vision = "Nära vård i hela Värmland – för varje invånare"
rapporttitel = "Nära vård i {län} – uppföljning {år}"

[infografik]
plats = "Region Värmlands webbplats"
titel = "Infografik Nära vård, Region Värmland."
adress = "https://www.regionvarmland.se/nara-vard/infografik"

[[kalla]]
nyckel = "strategi"
titel = "Färdplan Nära vård i Värmland 2023–2030."
adress = "https://www.regionvarmland.se/nara-vard/fardplan"
"#,
    );
    for (i, name) in SUBGOALS.iter().enumerate() {
        p.push_str(&format!(
            "\n[[delmal]]\nnummer = {}\nnamn = \"{name}\"\npastaende = \"att {} utvecklas i hela länet\"\n",
            i + 1,
            name.to_lowercase()
        ));
    }
    p
}

/// Consolidated values for 2023 and individual answers for 2024, six sub-goals each.
const HISTORY: &str =
    "år;lsl;respondent;roll;perspektiv;delmal1;delmal2;delmal3;delmal4;delmal5;delmal6;tillampat
2023;Karlstadsregionen;;;;3;2,5;3;3,5;2;4;ja
2023;Arvika;;;;2;2;3;3;2;3;nej
2024;Karlstadsregionen;Anna Lindqvist;ordförande;kommun;4;3;3;4;2;5;ja
2024;Karlstadsregionen;Per Sundberg;regionrepresentant;region;4;3;4;4;3;5;ja
2024;Kil och Forshaga;Maria Holm;ordförande;båda;3;3;2;3;3;2;nej
2024;Arvika;Erik Nyström;ordförande;kommun;2;2;3;3;2;4;ja
2024;Torsby;Karin Ek;ordförande;kommun;3;4;3;2;2;3;nej
2024;Kristinehamn;Lars Berg;ordförande;kommun;4;4;4;3;3;4;ja
2024;Säffle;Eva Dahl;ordförande;kommun;3;2;2;2;1;3;nej
";

fn economy_csv() -> String {
    let mut csv =
        String::from("kommunkod;kommun;år;fokusområde;tilldelat;återbetalt överskott;redovisat förbrukat");
    csv.push('\n');
    for (i, (code, name)) in [
        ("1780", "Karlstad"),
        ("1761", "Hammarö"),
        ("1715", "Kil"),
        ("1763", "Forshaga"),
        ("1784", "Arvika"),
        ("1737", "Torsby"),
        ("1781", "Kristinehamn"),
        ("1785", "Säffle"),
    ]
    .iter()
    .enumerate()
    {
        let allocated = 1_000_000 + 125_000 * i as i64;
        csv.push_str(&format!("{code};{name};2024;9292;{allocated};0;{}\n", allocated - 50_000));
    }
    csv
}

fn normalise(s: &str) -> String {
    s.replace("-\n", "").replace('\u{ad}', "").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn report_text(dir: &TestDir, format: &str) -> String {
    let out = dir.path().join(format!("rapport.{format}"));
    ok(&gnv(dir, &["report", "--year", "2024", "--format", format, "--out", out.to_str().unwrap()]));
    let bytes = std::fs::read(&out).unwrap();
    match format {
        "pdf" => {
            let txt = std::process::Command::new("pdftotext")
                .args([out.to_str().unwrap(), "-"])
                .output()
                .expect("pdftotext (poppler-utils, installed by scripts/install-test-deps)");
            assert!(txt.status.success());
            // The document information (title, author) is checked too.
            let info = std::process::Command::new("pdfinfo").arg(&out).output().expect("pdfinfo");
            format!("{}\n{}", String::from_utf8_lossy(&txt.stdout), String::from_utf8_lossy(&info.stdout))
        }
        "docx" => {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut all = String::new();
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).unwrap();
                if f.name().ends_with(".xml") {
                    let mut s = String::new();
                    std::io::Read::read_to_string(&mut f, &mut s).unwrap();
                    if f.name() == "word/document.xml" {
                        // Runs of one paragraph may be split: its text joined, one line each.
                        all.push_str(&gnv_report::docx_text::paragraphs(&s).join("\n"));
                    } else {
                        // Other parts (metadata, headers, footers): their text between tags.
                        let text: Vec<&str> =
                            s.split('<').filter_map(|t| t.split_once('>').map(|x| x.1)).collect();
                        all.push_str(&text.join(" "));
                    }
                    all.push('\n');
                }
            }
            all
        }
        _ => String::from_utf8(bytes).unwrap(),
    }
}

#[test]
fn another_countys_report_names_its_own_county_and_six_subgoals_and_never_dalarna() {
    let dir = TestDir::new();
    ok(&gnv(&dir, &["init"]));
    let reg = dir.path().join("varmland.toml");
    std::fs::write(&reg, REGISTRY).unwrap();
    ok(&gnv(&dir, &["orgs", "import", reg.to_str().unwrap()]));
    let prof = dir.path().join("lansprofil.toml");
    std::fs::write(&prof, profile()).unwrap();
    let out = ok(&gnv(&dir, &["county", "import", prof.to_str().unwrap()]));
    assert!(out.contains("Läste in länsprofilen för Värmland: Stödstruktur Värmland, 6 delmål."), "{out}");

    let hist = dir.path().join("historik.csv");
    std::fs::write(&hist, HISTORY).unwrap();
    ok(&gnv(&dir, &["round", "import-history", hist.to_str().unwrap()]));
    let eco = dir.path().join("ekonomi.csv");
    std::fs::write(&eco, economy_csv()).unwrap();
    ok(&gnv(&dir, &["ekonomi", "import", eco.to_str().unwrap(), "--year", "2024"]));

    // The self-assessment summary has six sub-goals; 2024's answers from six of six LSLs.
    let sa: serde_json::Value = serde_json::from_str(&ok(&gnv(
        &dir,
        &["round", "summary", "--year", "2024", "--part", "sjalvskattning", "--format", "json"],
    )))
    .unwrap();
    let y2024 = sa["years"].as_array().unwrap().iter().find(|y| y["year"] == 2024).unwrap();
    assert_eq!(y2024["answered_text"], "6 av 6");
    assert_eq!(y2024["subgoals"].as_array().unwrap().len(), 6);
    assert_eq!(y2024["subgoals"][5]["name"], "Kompetens");
    // Karlstadsregionen 5 and 5, Kil och Forshaga 2, Arvika 4, Torsby 3, Kristinehamn 4, Säffle 3:
    // LSL values 5, 2, 4, 3, 4, 3 → mean 3.5.
    assert_eq!(y2024["subgoals"][5]["mean"].as_f64(), Some(3.5));

    for format in ["pdf", "docx", "html"] {
        let text = normalise(&report_text(&dir, format));
        assert!(!text.contains("Dalarna"), "{format}: names Dalarna");
        for phrase in [
            "Nära vård i Värmland – uppföljning 2024",
            "Stödstruktur Värmland",
            "Nära vård i hela Värmland – för varje invånare",
            "De sex delmålen",
            "Färdplan Nära vård i Värmland 2023–2030.",
            "6 av 6",
            "8 av 8",
        ] {
            assert!(text.contains(phrase), "{format}: missing «{phrase}»");
        }
        for name in SUBGOALS {
            assert!(text.contains(name), "{format}: missing the sub-goal «{name}»");
        }
        if format != "pdf" {
            // The mean of sub-goal 6 in the table of section 3.2 (PDF table cells are laid out
            // apart by pdftotext).
            assert!(text.contains("Kompetens"), "{format}");
        }
    }
}

#[test]
fn subgoals_cannot_change_once_self_assessments_exist_and_bad_profiles_name_their_fields() {
    let dir = TestDir::new();
    ok(&gnv(&dir, &["init"]));
    let bad = dir.path().join("fel.toml");
    std::fs::write(&bad, "lan = \"Värmland\"\nstodenhet = \"\"\nvision = \"V\"\n[[delmal]]\nnummer = 2\nnamn = \"A\"\npastaende = \"a\"\n")
        .unwrap();
    let out = gnv(&dir, &["county", "import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fel.toml") && err.contains("fält stodenhet") && err.contains("fält delmal[1].nummer"),
        "{err}"
    );

    // History against the built-in five sub-goals, then a profile with six is refused.
    let hist = dir.path().join("historik.csv");
    std::fs::write(
        &hist,
        "år;lsl;respondent;roll;perspektiv;delmal1;delmal2;delmal3;delmal4;delmal5;tillampat\n2023;Mora;;;;3;3;3;3;3;ja\n",
    )
    .unwrap();
    ok(&gnv(&dir, &["round", "import-history", hist.to_str().unwrap()]));
    let before = ok(&gnv(&dir, &["county", "export"]));
    let prof = dir.path().join("lansprofil.toml");
    std::fs::write(&prof, profile()).unwrap();
    let out = gnv(&dir, &["county", "import", prof.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Delmålen kan inte ändras"));
    assert_eq!(ok(&gnv(&dir, &["county", "export"])), before, "nothing changed");

    // Changing everything but the sub-goals is allowed.
    let renamed = before.replace("stodenhet = \"RSS Dalarna\"", "stodenhet = \"RSS Dalarna (ny)\"");
    std::fs::write(&prof, &renamed).unwrap();
    ok(&gnv(&dir, &["county", "import", prof.to_str().unwrap()]));
    assert!(ok(&gnv(&dir, &["county", "export"])).contains("stodenhet = \"RSS Dalarna (ny)\""));
}
