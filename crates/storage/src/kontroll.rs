//! `gnv check`: is this database sound and readable by this version of the program?
//!
//! The database is opened without running migrations ([`Db::open_for_check`]), then checked:
//! SQLite's integrity check and foreign-key check; every migration of this program applied with
//! the checksum it has here (and none unknown); every stored answer of the reporting round,
//! every published indicator edition and every published annual report readable (the report's
//! frozen input and its files against their recorded SHA-256). Problems are Swedish sentences.

use crate::db::{Backend, MIGRATOR, MIGRATOR_POSTGRES};
use crate::{Db, Result};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// What `gnv check` found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// What was checked, one Swedish line each ("12 sparade svar kan läsas.").
    pub checked: Vec<String>,
    /// Problems found, one Swedish sentence each; empty when the database is sound.
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Db {
    /// Opens an existing SQLite database for [`Db::check`]: without creating it and without
    /// running migrations (so missing ones can be reported).
    pub async fn open_for_check(path: &std::path::Path) -> Result<Db> {
        if !path.is_file() {
            return Err(crate::StorageError::NotFound(format!(
                "Databasfilen {} finns inte.",
                path.display()
            )));
        }
        Db::connect_unmigrated(&format!("sqlite://{}?mode=rw", path.display())).await
    }

    /// Checks the database; see the module documentation. `read_frozen_report` says whether a
    /// published report's frozen input can be read by this version (storage does not know the
    /// report input's shape: the callers pass `gnv_report::assemble::check_frozen`).
    pub async fn check(
        &self,
        read_frozen_report: fn(&str) -> std::result::Result<(), String>,
    ) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        // 1. Integrity and foreign keys.
        match self.integrity_check().await {
            Ok(problems) if problems.is_empty() => {
                report.checked.push("Integritetskontrollen är utan anmärkning.".into())
            }
            Ok(problems) => {
                report.problems.extend(problems.into_iter().map(|p| format!("Integritetskontrollen: {p}")))
            }
            Err(e) => report.problems.push(format!("Integritetskontrollen kunde inte köras: {e}")),
        }
        if self.backend() == Backend::Sqlite {
            match sqlx::query("PRAGMA foreign_key_check").fetch_all(self.pool()).await {
                Ok(rows) if rows.is_empty() => {
                    report.checked.push("Alla referenser mellan tabeller pekar på befintliga rader.".into())
                }
                Ok(rows) => {
                    for r in rows.iter().take(100) {
                        let table: String = r.try_get(0).unwrap_or_default();
                        let rowid: Option<i64> = r.try_get(1).ok();
                        let parent: String = r.try_get(2).unwrap_or_default();
                        report.problems.push(format!(
                            "Tabellen {table} (rad {}) hänvisar till en rad i {parent} som inte finns.",
                            rowid.map(|i| i.to_string()).unwrap_or_else(|| "okänd".into())
                        ));
                    }
                    if rows.len() > 100 {
                        report
                            .problems
                            .push(format!("… och {} felaktiga referenser till.", rows.len() - 100));
                    }
                }
                Err(e) => report.problems.push(format!("Referenskontrollen kunde inte köras: {e}")),
            }
        }
        // 2. Migrations.
        let migrator = match self.backend() {
            Backend::Sqlite => &MIGRATOR,
            Backend::Postgres => &MIGRATOR_POSTGRES,
        };
        let applied: Vec<(i64, bool, Vec<u8>)> = match sqlx::query(
            "SELECT version, CAST(CASE WHEN success THEN 1 ELSE 0 END AS BIGINT) AS ok, checksum \
                 FROM _sqlx_migrations ORDER BY version",
        )
        .fetch_all(self.pool())
        .await
        {
            Ok(rows) => rows
                .iter()
                .map(|r| {
                    (
                        r.try_get::<i64, _>(0).unwrap_or(-1),
                        r.try_get::<i64, _>(1).unwrap_or(0) != 0,
                        r.try_get::<Vec<u8>, _>(2).unwrap_or_default(),
                    )
                })
                .collect(),
            Err(e) => {
                report.problems.push(format!(
                        "Migreringstabellen kan inte läsas ({e}); databasen är kanske inte skapad av GNV-uppföljning."
                    ));
                Vec::new()
            }
        };
        let mut migrations_ok = true;
        for m in migrator.iter() {
            match applied.iter().find(|(v, _, _)| *v == m.version) {
                None => {
                    migrations_ok = false;
                    report
                        .problems
                        .push(format!("Migrering {} ({}) är inte körd.", m.version, m.description));
                }
                Some((_, false, _)) => {
                    migrations_ok = false;
                    report
                        .problems
                        .push(format!("Migrering {} ({}) misslyckades.", m.version, m.description));
                }
                Some((_, true, checksum)) if checksum.as_slice() != &*m.checksum => {
                    migrations_ok = false;
                    report.problems.push(format!(
                        "Migrering {} ({}) är körd i en annan version än programmets.",
                        m.version, m.description
                    ));
                }
                Some(_) => {}
            }
        }
        for (v, _, _) in &applied {
            if !migrator.iter().any(|m| m.version == *v) {
                migrations_ok = false;
                report.problems.push(format!("Migrering {v} är okänd för den här versionen av programmet."));
            }
        }
        if !migrations_ok {
            // The tables below may not exist or have another shape.
            return Ok(report);
        }
        report.checked.push(format!("Alla {} migreringar är körda.", migrator.iter().count()));
        // 3. Stored answers.
        let rows =
            sqlx::query("SELECT id, year, part, org_code, answers_json FROM round_response ORDER BY id")
                .fetch_all(self.pool())
                .await?;
        let mut bad = 0;
        for r in &rows {
            let text: String = r.get("answers_json");
            if let Err(e) = serde_json::from_str::<gnv_core::rapportering::formular::Answers>(&text) {
                bad += 1;
                if bad <= 100 {
                    report.problems.push(format!(
                        "Svaret {} ({} {}, {}) kan inte läsas: {e}",
                        r.get::<i64, _>("id"),
                        r.get::<String, _>("part"),
                        r.get::<i64, _>("year"),
                        r.get::<String, _>("org_code"),
                    ));
                }
            }
        }
        if bad > 100 {
            report.problems.push(format!("… och {} oläsbara svar till.", bad - 100));
        }
        if bad == 0 {
            report.checked.push(format!("{} sparade svar kan läsas.", rows.len()));
        }
        // 4. Published indicator editions.
        let years: Vec<(i64,)> =
            sqlx::query_as("SELECT year FROM nyckeltal_edition ORDER BY year").fetch_all(self.pool()).await?;
        let mut editions_ok = true;
        for (year,) in &years {
            match self.nyckeltal_edition(*year as i32).await {
                Ok(Some(_)) => {}
                Ok(None) => {
                    editions_ok = false;
                    report.problems.push(format!("Utgåvan {year} av nyckeltalen kunde inte hittas."));
                }
                Err(e) => {
                    editions_ok = false;
                    report.problems.push(format!("Utgåvan {year} av nyckeltalen kan inte läsas: {e}"));
                }
            }
        }
        if editions_ok {
            report.checked.push(format!("{} publicerade utgåvor av nyckeltalen kan läsas.", years.len()));
        }
        // 5. Published annual reports: the frozen input and the files.
        let reports =
            sqlx::query("SELECT year, input_json, input_sha256 FROM report_publication ORDER BY year")
                .fetch_all(self.pool())
                .await?;
        let mut reports_ok = true;
        for r in &reports {
            let year: i64 = r.get("year");
            let input: String = r.get("input_json");
            let sha: String = r.get("input_sha256");
            if sha256_hex(input.as_bytes()) != sha {
                reports_ok = false;
                report.problems.push(format!(
                    "Årsrapport {year}: det frysta underlaget har ändrats (SHA-256 stämmer inte)."
                ));
            }
            if let Err(e) = read_frozen_report(&input) {
                reports_ok = false;
                report.problems.push(format!("Årsrapport {year}: det frysta underlaget kan inte läsas: {e}"));
            }
            let files = sqlx::query(
                "SELECT format, content, sha256 FROM report_file WHERE year = $1 ORDER BY format",
            )
            .bind(year)
            .fetch_all(self.pool())
            .await?;
            for f in &files {
                let content: Vec<u8> = f.get("content");
                let expected: String = f.get("sha256");
                if sha256_hex(&content) != expected {
                    reports_ok = false;
                    report.problems.push(format!(
                        "Årsrapport {year}: filen ({}) har ändrats (SHA-256 stämmer inte).",
                        f.get::<String, _>("format")
                    ));
                }
            }
        }
        if reports_ok {
            report.checked.push(format!("{} publicerade årsrapporter kan läsas.", reports.len()));
        }
        match self.county_profile().await {
            Ok(p) if self.has_county_profile().await.unwrap_or(false) => {
                report.checked.push(format!("Länsprofilen ({}) kan läsas.", p.county))
            }
            Ok(_) => report.checked.push("Ingen egen länsprofil är sparad; den inbyggda används.".into()),
            Err(e) => report.problems.push(format!("Länsprofilen kan inte läsas: {e}")),
        }
        Ok(report)
    }
}
