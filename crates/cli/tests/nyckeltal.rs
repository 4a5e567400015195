//! End-to-end: `gnv indicators catalogue-import`, `gnv kolada import`, `gnv infographic publish`
//! and `summary` with the hand-made Kolada files of the web tests.

mod common;

use common::TestDir;
use std::path::{Path, PathBuf};
use std::process::Output;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/tests/data/nyckeltal").join(name)
}

fn gnv(dir: &TestDir, args: &[&str]) -> Output {
    dir.gnv(args).env("GNV_LOG", "warn").output().expect("run gnv")
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

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn kolada_files_two_editions_and_summary_json() {
    let dir = TestDir::new();
    let d = &dir;
    ok(&gnv(d, &["indicators", "catalogue-import", "--db", "g.db", p(&data("katalog.toml"))]));
    // Malformed input: clear message, non-zero exit, nothing imported.
    std::fs::write(d.path().join("trasig.json"), "{\"values\": [").unwrap();
    let out = gnv(d, &["kolada", "import", "--db", "g.db", p(&data("utgava2.json")), "trasig.json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("trasig.json")
            && err.contains("inte giltig JSON")
            && err.contains("Inget har importerats."),
        "{err}"
    );

    let out = ok(&gnv(
        d,
        &["kolada", "import", "--db", "g.db", p(&data("utgava1-sida1.json")), p(&data("utgava1-sida2.json"))],
    ));
    assert!(out.contains("65 värden lästes: 65 tillagda, 0 ändrade, 0 oförändrade"), "{out}");
    ok(&gnv(d, &["infographic", "publish", "--db", "g.db", "--year", "2024"]));
    let out = ok(&gnv(d, &["kolada", "import", "--db", "g.db", p(&data("utgava2.json"))]));
    assert!(out.contains("1 sekretess (..)"), "{out}");
    ok(&gnv(d, &["infographic", "publish", "--db", "g.db", "--year", "2025"]));
    let again = gnv(d, &["infographic", "publish", "--db", "g.db", "--year", "2025"]);
    assert!(!again.status.success(), "an edition is published once");

    let json = ok(&gnv(
        d,
        &["infographic", "summary", "--db", "g.db", "--year", "2025", "--focus", "0020", "--format", "json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let set = |k: &str| {
        v["summary"][k]["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(set("not_updated"), ["1.2"]);
    assert_eq!(set("updated"), ["1.1", "1.4"]);
    assert_eq!(set("improved_only_women"), ["1.1"]);
    assert_eq!(v["focus"]["name"], "Region Dalarna");

    let text = ok(&gnv(d, &["infographic", "summary", "--db", "g.db", "--year", "2025", "--focus", "0020"]));
    assert!(text.contains("Infografiken 2025 omfattar totalt 4 nyckeltal."), "{text}");
    assert!(text.contains("Källa: Kolada (RKA)"));
    let list = ok(&gnv(d, &["infographic", "list", "--db", "g.db"]));
    assert!(list.contains("Infografik 2024") && list.contains("Infografik 2025"));
}

/// `gnv kolada kpi-search` offline from a saved `/v3/kpi` response (#19): the matches with
/// Kolada's title, description, sex split and organisation type, and warnings where they
/// disagree with the catalogue indicator named.
#[test]
fn kpi_search_in_a_saved_kolada_list_warns_where_the_catalogue_disagrees() {
    let dir = TestDir::new();
    let d = &dir;
    ok(&gnv(d, &["indicators", "catalogue-import", "--db", "g.db", p(&data("katalog.toml"))]));
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/data/kolada-kpi.json");
    let out = ok(&gnv(
        d,
        &["kolada", "kpi-search", "hemtjänst", "--fil", p(&list), "--nyckeltal", "1.2", "--db", "g.db"],
    ));
    assert!(out.starts_with("2 träffar för \"hemtjänst\"."), "{out}");
    assert!(
        out.contains("N21005  Brukare i hemtjänst som har en fast omsorgskontakt, andel (%)\n    inte uppdelat på kön · kommuner och regioner\n    Andel brukare"),
        "{out}"
    );
    assert!(out.contains("N21011  Personalkontinuitet i hemtjänsten"), "{out}");
    assert!(out.contains("    Varning: Kolada delar upp N21011 på kön, men nyckeltal 1.2 är inte könsuppdelat i katalogen."), "{out}");
    assert!(
        out.contains(
            "    Varning: Kolada publicerar N21011 för kommuner, men nyckeltal 1.2 gäller regionnivå."
        ),
        "{out}"
    );
    assert_eq!(out.matches("Varning:").count(), 2, "N21005 agrees with 1.2: {out}");
    // A file that is not a KPI list: a clear message naming it.
    std::fs::write(d.path().join("fel.json"), "{\"values\": [{\"title\": \"x\"}]}").unwrap();
    let bad = gnv(d, &["kolada", "kpi-search", "x", "--fil", "fel.json"]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("fel.json"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}
