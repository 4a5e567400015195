//! End-to-end tests of the `gnv` binary: init, users, organisation import, config, backup and
//! restore. Each test works in its own temporary directory.

mod common;

use common::TestDir;
use std::process::{Command, Output};

const PASSWORD: &str = "Ett-långt-lösenord-2026";

fn gnv(dir: &TestDir, args: &[&str]) -> Output {
    dir.gnv(args)
        .env("GNV_ADMIN_PASSWORD", PASSWORD)
        .env("GNV_USER_PASSWORD", PASSWORD)
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

fn init(dir: &TestDir) {
    ok(&gnv(dir, &["init", "--db", "gnv.db"]));
}

#[test]
fn init_creates_registry_and_first_admin_once() {
    let dir = TestDir::new();
    let out = ok(&gnv(&dir, &["init", "--db", "gnv.db"]));
    assert!(out.contains("15 kommuner, 13 lokala systemledningar"), "{out}");
    assert!(out.contains("Skapade administratören admin"));
    let again = ok(&gnv(&dir, &["init", "--db", "gnv.db"]));
    assert!(again.contains("redan användare"));
    let list = ok(&gnv(&dir, &["user", "list", "--db", "gnv.db"]));
    assert_eq!(list.lines().filter(|l| l.starts_with("admin ")).count(), 1);
}

#[test]
fn users_are_added_listed_and_disabled() {
    let dir = TestDir::new();
    init(&dir);
    let out = ok(&gnv(
        &dir,
        &[
            "user",
            "add",
            "--db",
            "gnv.db",
            "--username",
            "mora",
            "--name",
            "Maria",
            "--role",
            "respondent",
            "--org",
            "lsl-mora",
        ],
    ));
    assert!(out.contains("Skapade mora (Respondent)"));
    let bad =
        gnv(&dir, &["user", "add", "--db", "gnv.db", "--username", "x", "--name", "X", "--role", "chef"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Okänd roll"));
    let unknown_org = gnv(
        &dir,
        &[
            "user",
            "add",
            "--db",
            "gnv.db",
            "--username",
            "y",
            "--name",
            "Y",
            "--role",
            "respondent",
            "--org",
            "9999",
        ],
    );
    assert!(String::from_utf8_lossy(&unknown_org.stderr).contains("Organisationen 9999 finns inte"));
    ok(&gnv(&dir, &["user", "disable", "--db", "gnv.db", "mora"]));
    let list = ok(&gnv(&dir, &["user", "list", "--db", "gnv.db"]));
    let line = list.lines().find(|l| l.starts_with("mora ")).unwrap();
    assert!(line.contains("inaktiv") && line.contains("lsl-mora"), "{line}");
    assert!(!list.contains("y "), "nothing written for the refused user");
}

#[test]
fn malformed_org_import_names_line_and_field_and_changes_nothing() {
    let dir = TestDir::new();
    init(&dir);
    let before = ok(&gnv(&dir, &["orgs", "export", "--db", "gnv.db"]));
    std::fs::write(
        dir.path().join("lan.csv"),
        "typ;kod;namn;lsl\nlän;0099;Region Exempel;\nkommun;99X1;Ettby;Norra\nkommun;9902;Tvåby;\n",
    )
    .unwrap();
    let out = gnv(&dir, &["orgs", "import", "--db", "gnv.db", "lan.csv"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fil lan.csv, rad 3, fält kod"), "{err}");
    assert!(err.contains("fil lan.csv, rad 4, fält lsl"), "{err}");
    assert!(err.contains("Inget har ändrats"), "{err}");
    std::fs::write(
        dir.path().join("lan.toml"),
        "[lan]\nnamn = \"X\"\nregion_kod = \"0099\"\nregion_namn = Y\n",
    )
    .unwrap();
    let out = gnv(&dir, &["orgs", "import", "--db", "gnv.db", "lan.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("fil lan.toml, rad 4"), "{err}");
    assert_eq!(ok(&gnv(&dir, &["orgs", "export", "--db", "gnv.db"])), before, "registry unchanged");
}

#[test]
fn another_county_can_be_imported_and_exported() {
    let dir = TestDir::new();
    init(&dir);
    // Export Dalarna, rename a municipality, import it back: the change lands and round-trips.
    let text = ok(&gnv(&dir, &["orgs", "export", "--db", "gnv.db"]))
        .replace("namn = \"Säter\"", "namn = \"Säters kommun\"");
    std::fs::write(dir.path().join("dalarna.toml"), &text).unwrap();
    let out = ok(&gnv(&dir, &["orgs", "import", "--db", "gnv.db", "dalarna.toml"]));
    assert!(out.contains("15 kommuner, 13 lokala systemledningar, 4 organ"), "{out}");
    assert_eq!(ok(&gnv(&dir, &["orgs", "export", "--db", "gnv.db"])), text);
}

#[test]
fn config_show_merges_file_and_env_and_hides_secrets() {
    let dir = TestDir::new();
    std::fs::write(
        dir.path().join("gnv.toml"),
        "bind = \"0.0.0.0:9000\"\n[mail]\nsmtp_password = \"hemligt\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gnv"))
        .args(["--config", "gnv.toml", "config", "show"])
        .current_dir(dir.path())
        .env("GNV_SESSION_HOURS", "4")
        .env("GNV_DATABASE_URL", "postgres://gnv:hemligt2@db.example.se/gnv")
        .env("GNV_OIDC_REGION_NAME", "Region Dalarna")
        .env("GNV_OIDC_REGION_ISSUER", "https://login.microsoftonline.com/t/v2.0")
        .env("GNV_OIDC_REGION_CLIENT_ID", "gnv-klient")
        .env("GNV_OIDC_REGION_CLIENT_SECRET", "hemligt3")
        .output()
        .unwrap();
    let text = ok(&out);
    assert!(text.contains("bind = \"0.0.0.0:9000\""));
    assert!(text.contains("[[oidc.provider]]") && text.contains("client_id = \"gnv-klient\""), "{text}");
    assert!(text.contains("session_hours = 4"));
    assert!(text.contains("database_url = \"postgres://gnv:***@db.example.se/gnv\""), "{text}");
    assert!(!text.contains("hemligt"));
    std::fs::write(dir.path().join("fel.toml"), "bnd = 1\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gnv"))
        .args(["--config", "fel.toml", "config", "show"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bnd"));
}

#[test]
fn backup_and_restore_round_trip() {
    let dir = TestDir::new();
    init(&dir);
    if dir.on_postgres() {
        // PostgreSQL is backed up with pg_dump and restored with pg_restore; gnv says so.
        let out = gnv(&dir, &["backup", "--db", "gnv.db", "--out", "kopia.db"]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
        assert!(!dir.path().join("kopia.db").exists());
        let out = gnv(&dir, &["restore", "kopia.db", "--db", "gnv.db"]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_restore"));
        return;
    }
    ok(&gnv(
        &dir,
        &["user", "add", "--db", "gnv.db", "--username", "falun", "--name", "F", "--role", "reader"],
    ));
    let out = ok(&gnv(&dir, &["backup", "--db", "gnv.db", "--out", "kopia.db"]));
    assert!(out.contains("kontrollerad"));
    let again = gnv(&dir, &["backup", "--db", "gnv.db", "--out", "kopia.db"]);
    assert!(!again.status.success(), "an existing backup is never overwritten");
    // Change the live database after the backup, then restore.
    ok(&gnv(&dir, &["user", "disable", "--db", "gnv.db", "falun"]));
    let refused = gnv(&dir, &["restore", "kopia.db", "--db", "gnv.db"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    ok(&gnv(&dir, &["restore", "kopia.db", "--db", "gnv.db", "--force"]));
    let list = ok(&gnv(&dir, &["user", "list", "--db", "gnv.db"]));
    let line = list.lines().find(|l| l.starts_with("falun ")).unwrap();
    assert!(line.contains(" aktiv "), "state of the backup restored: {line}");
    assert!(dir.path().join("gnv.fore-aterstallning").exists(), "old database kept");
    // A file that is not a database is refused and nothing changes.
    std::fs::write(dir.path().join("skräp.db"), b"inte en databas").unwrap();
    let bad = gnv(&dir, &["restore", "skräp.db", "--db", "gnv.db", "--force"]);
    assert!(!bad.status.success());
    assert!(ok(&gnv(&dir, &["user", "list", "--db", "gnv.db"])).contains("falun"));
}

/// `gnv orgs export | head -1`: the reader stops early and gnv ends quietly (no panic message).
#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::Read as _;
    use std::process::Stdio;
    let dir = TestDir::new();
    init(&dir);
    let mut child = dir
        .gnv(&["orgs", "export", "--db", "gnv.db"])
        .env("GNV_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gnv");
    // Close the reading end before gnv writes anything.
    drop(child.stdout.take());
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("read stderr");
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert!(!status.success(), "the export cannot have succeeded: {status:?}");
}

/// Issue #16 finding 6: `gnv user add` accepted weak passwords and 60 000 characters (which
/// log-in then refuses).
#[test]
fn weak_and_overlong_passwords_are_refused() {
    let dir = TestDir::new();
    init(&dir);
    let long = "Kvast-Siljan-97 ".repeat(3_750);
    for (password, why) in [
        ("123456789012", "för lätt att gissa"),
        ("password1234", "för lätt att gissa"),
        ("qwertyuiopas", "för lätt att gissa"),
        (long.as_str(), "högst 1 024 tecken"),
    ] {
        let out = dir
            .gnv(&["user", "add", "--db", "gnv.db", "--username", "falun", "--name", "F", "--role", "reader"])
            .env("GNV_USER_PASSWORD", password)
            .env("GNV_LOG", "warn")
            .output()
            .expect("run gnv");
        assert!(!out.status.success(), "{} accepted", &password[..12]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{err}");
    }
    assert!(!ok(&gnv(&dir, &["user", "list", "--db", "gnv.db"])).contains("falun"));
}

/// Issue #16 finding 8: the database and backups were world-readable; `gnv check` verifies a
/// database and fails with a Swedish report.
#[test]
fn database_files_are_private_and_checked() {
    let dir = TestDir::new();
    init(&dir);
    let out = ok(&gnv(&dir, &["check", "--db", "gnv.db"]));
    assert!(out.contains("Databasen är hel"), "{out}");
    assert!(out.contains("migreringar är körda"), "{out}");
    if dir.on_postgres() {
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |name: &str| std::fs::metadata(dir.path().join(name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("gnv.db"), 0o600);
        ok(&gnv(&dir, &["backup", "--db", "gnv.db", "--out", "kopia.db"]));
        assert_eq!(mode("kopia.db"), 0o600);
    }
    // A missing migration is reported and the exit status is non-zero; nothing is migrated.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let db = gnv_storage::Db::open_for_check(&dir.path().join("gnv.db")).await.unwrap();
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 7").execute(db.pool()).await.unwrap();
        db.close().await;
    });
    let out = gnv(&dir, &["check", "--db", "gnv.db"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Migrering 7") && text.contains("är inte körd"), "{text}");
    let out = gnv(&dir, &["check", "--db", "finns-inte.db"]);
    assert!(!out.status.success());
    assert!(!dir.path().join("finns-inte.db").exists(), "check creates nothing");
}
