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
