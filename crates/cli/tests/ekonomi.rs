//! `gnv ekonomi import` and `gnv round summary` run as a user would run them.

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

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

#[test]
fn import_the_seed_table_and_print_the_summary_as_json() {
    let dir = TestDir::new();
    let db = &dir;
    assert!(gnv(db, &["init"]).status.success());
    let seed = gnv_exempel::ekonomi::seed_2024();
    let csv = gnv_core::ekonomi::export_csv(
        &gnv_core::organisation::dalarna(),
        &seed.rows,
        Some(&seed.printed_totals),
    );
    let file = dir.path().join("bilaga1.csv");
    std::fs::write(&file, csv).unwrap();

    let out = gnv(db, &["ekonomi", "import", file.to_str().unwrap(), "--year", "2024"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Importerade 15 rader för 2024"));
    assert_eq!(stdout.matches("Varning:").count(), 2, "{stdout}");
    assert!(stdout.contains("Avesta, Borlänge, Mora, Säter och Älvdalen"));

    let out = gnv(db, &["round", "summary", "--year", "2024", "--part", "ekonomi", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summaries"][0]["totals"]["repaid_surplus"], 499_999);
    assert_eq!(json["summaries"][0]["warnings"].as_array().unwrap().len(), 2);

    let out = gnv(db, &["round", "summary", "--year", "2024", "--part", "kommunenkat", "--format", "json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["answered_text"], "0 av 15");

    let out = gnv(db, &["round", "summary", "--year", "2024", "--part", "kartlaggning"]);
    assert!(!out.status.success());
    // No round with a mapping part exists in this database (the rapportering module answers).
    assert!(text(&out.stderr).contains("omgången 2024 har ingen kartläggning"), "{}", text(&out.stderr));
}

#[test]
fn a_malformed_file_is_refused_with_its_place_and_nothing_is_written() {
    let dir = TestDir::new();
    let db = &dir;
    assert!(gnv(db, &["init"]).status.success());
    let file = dir.path().join("trasig.csv");
    std::fs::write(
        &file,
        "kommunkod;år;tilldelat;återbetalt överskott;redovisat förbrukat\n2084;2024;1 894 630;39 273;1 894 630\n2081;2024;många;0;0\n",
    )
    .unwrap();
    let out = gnv(db, &["ekonomi", "import", file.to_str().unwrap(), "--year", "2024"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("fil trasig.csv, rad 3, fält tilldelat"), "{err}");
    assert!(err.contains("Inget har importerats"));
    let out = gnv(db, &["round", "summary", "--year", "2024", "--part", "ekonomi", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summaries"][0]["reported"], "0 av 15");
}
