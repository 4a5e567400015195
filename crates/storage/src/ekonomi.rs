//! The financial report (ekonomisk redovisning): rows per municipality, year and focus area,
//! entered by a municipality in a form (draft / submitted) or imported by RSS, the printed totals
//! of an imported table, the configurable focus areas, and the summaries built with
//! `gnv_core::ekonomi`.
//!
//! Only rows of submitted reports are in the appendix table and its checks; a municipality
//! whose report is a draft counts as missing. The status is the reporting-round engine's
//! (`round_assignment`), checked and moved inside this module's write transactions exactly as
//! for the survey ([`crate::kommunenkat`]); an imported table for a year without a round makes
//! that year a closed round.

use crate::audit::{Action, Actor, Entity, Entry};
use crate::db::Tx;
use crate::{now_text, Db, Result, StorageError};
use gnv_core::ekonomi::{
    municipality_history, summarize, Amount, EconomySummary, FinancialRow, FocusArea, ImportedEconomy,
    MunicipalityHistory, PrintedTotals,
};
use gnv_core::rapportering::{Event, Part, Status};
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeSet;

fn amount(v: i64) -> Result<Amount> {
    Amount::new(v).ok_or_else(|| StorageError::Corrupt(format!("Ogiltigt belopp i databasen: {v}")))
}

fn row_from_db(r: &crate::db::DbRow) -> Result<FinancialRow> {
    Ok(FinancialRow {
        municipality_code: r.get("municipality_code"),
        year: r.get::<i64, _>("year") as i32,
        focus_area: FocusArea {
            number: r.get::<i64, _>("number") as u32,
            code: r.get("focus_code"),
            name: r.get("name"),
        },
        allocated: amount(r.get("allocated"))?,
        repaid_surplus: amount(r.get("repaid_surplus"))?,
        reported_spent: amount(r.get("reported_spent"))?,
    })
}

const ROW_SELECT: &str = "SELECT e.year, e.municipality_code, e.focus_code, f.number, f.name,
       e.allocated, e.repaid_surplus, e.reported_spent
     FROM economy_row e JOIN economy_focus_area f ON f.code = e.focus_code";

impl Db {
    /// The configured focus areas, by number.
    pub async fn focus_areas(&self) -> Result<Vec<FocusArea>> {
        let rows = sqlx::query("SELECT code, number, name FROM economy_focus_area ORDER BY number, code")
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .iter()
            .map(|r| FocusArea {
                number: r.get::<i64, _>("number") as u32,
                code: r.get("code"),
                name: r.get("name"),
            })
            .collect())
    }

    /// Adds or renames a focus area (admin).
    pub async fn save_focus_area(&self, area: &FocusArea, actor: &Actor) -> Result<()> {
        let code = area.code.trim();
        let name = area.name.trim();
        if code.is_empty()
            || code.chars().count() > 20
            || !code.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return Err(StorageError::Invalid(
                "Koden ska vara 1–20 tecken, bokstäver, siffror eller bindestreck (t.ex. 9292).".into(),
            ));
        }
        if name.is_empty() || name.chars().count() > 200 {
            return Err(StorageError::Invalid("Namnet ska ha 1–200 tecken.".into()));
        }
        if area.number == 0 || area.number > 99 {
            return Err(StorageError::Invalid("Numret ska vara mellan 1 och 99.".into()));
        }
        let mut tx = self.audited_write(actor).await?;
        sqlx::query(
            "INSERT INTO economy_focus_area (code, number, name) VALUES ($1, $2, $3)
             ON CONFLICT (code) DO UPDATE SET number = excluded.number, name = excluded.name",
        )
        .bind(code)
        .bind(area.number as i64)
        .bind(name)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::Save,
            entity: Entity::FocusArea,
            entity_id: code,
            before: None,
            after: Some(json!({"nummer": area.number, "kod": code, "namn": name})),
        })
        .await?;
        Ok(())
    }

    /// The financial-report status of a municipality in a year (the round engine's; "ej
    /// påbörjad" when the year's round does not carry the part).
    pub async fn economy_status(&self, year: i32, municipality: &str) -> Result<Status> {
        match self.round_part_status(year, Part::Ekonomi, municipality).await {
            Ok(s) => Ok(s),
            Err(StorageError::NotFound(_)) => Ok(Status::EjPaborjad),
            Err(e) => Err(e),
        }
    }

    /// Rows of submitted reports in a year (all focus areas), for the appendix and checks.
    pub async fn economy_rows(&self, year: i32) -> Result<Vec<FinancialRow>> {
        let rows = sqlx::query(&format!(
            "{ROW_SELECT} JOIN round_assignment r ON r.year = e.year AND r.part = 'ekonomi' AND r.org_code = e.municipality_code
             WHERE e.year = $1 AND r.status = 'inskickad' ORDER BY e.municipality_code, f.number"
        ))
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(row_from_db).collect()
    }

    /// A municipality's rows of a year, whatever the status (for its form).
    pub async fn economy_rows_of(&self, year: i32, municipality: &str) -> Result<Vec<FinancialRow>> {
        let rows = sqlx::query(&format!(
            "{ROW_SELECT} WHERE e.year = $1 AND e.municipality_code = $2 ORDER BY f.number"
        ))
        .bind(year)
        .bind(municipality)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(row_from_db).collect()
    }

    /// A municipality's submitted rows over all years (multi-year view).
    pub async fn economy_history(&self, municipality: &str) -> Result<MunicipalityHistory> {
        let rows = sqlx::query(&format!(
            "{ROW_SELECT} JOIN round_assignment r ON r.year = e.year AND r.part = 'ekonomi' AND r.org_code = e.municipality_code
             WHERE e.municipality_code = $1 AND r.status = 'inskickad'"
        ))
        .bind(municipality)
        .fetch_all(self.pool())
        .await?;
        let rows: Vec<FinancialRow> = rows.iter().map(row_from_db).collect::<Result<_>>()?;
        Ok(municipality_history(&self.registry().await?, municipality, &rows))
    }

    /// Years with any economy data, newest first.
    pub async fn economy_years(&self) -> Result<Vec<i32>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT year FROM economy_row UNION SELECT year FROM economy_printed_total
             UNION SELECT year FROM round_assignment WHERE part = 'ekonomi' AND status <> 'ej_paborjad'
             ORDER BY 1 DESC",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|r| r.0 as i32).collect())
    }

    /// The printed totals of an imported table, if any.
    pub async fn economy_printed_totals(&self, year: i32, focus_code: &str) -> Result<Option<PrintedTotals>> {
        let row = sqlx::query(
            "SELECT allocated, repaid_surplus, reported_spent FROM economy_printed_total
             WHERE year = $1 AND focus_code = $2",
        )
        .bind(year)
        .bind(focus_code)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(PrintedTotals {
                allocated: amount(r.get("allocated"))?,
                repaid_surplus: amount(r.get("repaid_surplus"))?,
                reported_spent: amount(r.get("reported_spent"))?,
            })
        })
        .transpose()
    }

    /// Summaries of a year: one per focus area that has submitted rows or printed totals; the
    /// first focus area (the default) always, so missing reports are always shown.
    pub async fn economy_summaries(&self, year: i32) -> Result<Vec<EconomySummary>> {
        let registry = self.registry().await?;
        let areas = self.focus_areas().await?;
        let rows = self.economy_rows(year).await?;
        let mut out = Vec::new();
        for (i, area) in areas.iter().enumerate() {
            let printed = self.economy_printed_totals(year, &area.code).await?;
            let has_rows = rows.iter().any(|r| &r.focus_area == area);
            if i == 0 || has_rows || printed.is_some() {
                out.push(summarize(&registry, year, area, &rows, printed.as_ref()));
            }
        }
        Ok(out)
    }

    /// Saves a municipality's rows of a year (one per focus area, replacing the previous ones)
    /// as a draft or submitted, with audit entries, in one write transaction that also checks
    /// and moves the round engine's status: the same rules as the survey
    /// ([`Db::save_survey_answer`]): respondents only in an open round or a reopened part and
    /// never over a submitted report; admins (`admin`) may correct.
    pub async fn save_economy_report(
        &self,
        year: i32,
        municipality: &str,
        rows: &[FinancialRow],
        submit: bool,
        admin: bool,
        actor: &Actor,
    ) -> Result<()> {
        if rows.iter().any(|r| r.year != year || r.municipality_code != municipality) {
            return Err(StorageError::Invalid("Raderna gäller en annan kommun eller ett annat år.".into()));
        }
        let before_rows = self.economy_rows_of(year, municipality).await?;
        let registry = if admin { Some(self.registry().await?) } else { None };
        let mut tx = self.audited_write(actor).await?;
        let before = if let Some(registry) = &registry {
            crate::omgang::ensure_round_part_tx(tx.tx(), year, Part::Ekonomi, registry, actor).await?;
            crate::rapportering::assignment_status(tx.tx(), year, Part::Ekonomi, municipality).await?
        } else {
            crate::omgang::respondent_gate_tx(tx.tx(), year, Part::Ekonomi, municipality).await?
        };
        let after = match (submit, before) {
            (_, Status::Inskickad) if admin => Ok(Status::Inskickad),
            (true, s) => s.after(Event::Submit),
            (false, s) => s.after(Event::SaveDraft),
        }
        .map_err(|_| {
            StorageError::Conflict(
                "Redovisningen är redan inskickad och kan inte ändras. Kontakta RSS om något behöver rättas."
                    .into(),
            )
        })?;
        sqlx::query("DELETE FROM economy_row WHERE year = $1 AND municipality_code = $2")
            .bind(year)
            .bind(municipality)
            .execute(&mut *tx)
            .await?;
        for r in rows {
            insert_row(tx.tx(), r, "formulär", actor).await?;
        }
        tx.record(Entry {
            action: if submit { Action::Submit } else { Action::SaveDraft },
            entity: Entity::FinancialReport,
            entity_id: &format!("{year}/{municipality}"),
            before: Some(json!({"status": before.code(), "rader": before_rows})),
            after: Some(json!({"status": after.code(), "rader": rows})),
        })
        .await?;
        crate::rapportering::write_status(
            tx.tx(),
            year,
            Part::Ekonomi,
            municipality,
            before,
            after,
            "",
            actor,
        )
        .await?;
        tx.finish().await?;
        Ok(())
    }

    /// Reopens a submitted report (admin) with a reason: the round engine's reopening
    /// ([`Db::reopen_part`]); the report leaves the table until submitted anew.
    pub async fn reopen_economy_report(
        &self,
        year: i32,
        municipality: &str,
        reason: &str,
        actor: &Actor,
    ) -> Result<()> {
        self.reopen_part(year, Part::Ekonomi, municipality, reason, actor).await
    }

    /// Stores an imported table for `year` in one transaction: for every focus area in the
    /// import, the year's rows and printed totals are replaced; each municipality in the file
    /// gets a submitted report. Rows of another year are refused and nothing is written.
    /// Returns the number of rows stored.
    pub async fn import_economy(
        &self,
        year: i32,
        imported: &ImportedEconomy,
        file_name: &str,
        actor: &Actor,
    ) -> Result<usize> {
        let registry = self.registry().await?;
        let known = self.focus_areas().await?;
        let mut problems = Vec::new();
        for r in &imported.rows {
            let name = registry
                .municipalities
                .iter()
                .find(|m| m.code == r.municipality_code)
                .map(|m| m.name.clone())
                .unwrap_or_else(|| r.municipality_code.clone());
            if r.year != year {
                problems.push(format!(
                    "fil {file_name}: raden för {name} gäller {}, men importen gäller {year}.",
                    r.year
                ));
            }
            if !known.contains(&r.focus_area) {
                problems.push(format!(
                    "fil {file_name}: raden för {name} har ett okänt insatsområde ({}).",
                    r.focus_area.label()
                ));
            }
        }
        if imported.rows.is_empty() {
            problems.push(format!("fil {file_name}: filen innehåller inga kommunrader."));
        }
        if !problems.is_empty() {
            return Err(StorageError::Invalid(format!("{}\nInget har importerats.", problems.join("\n"))));
        }
        let areas: BTreeSet<&str> = imported.rows.iter().map(|r| r.focus_area.code.as_str()).collect();
        let municipalities: BTreeSet<&str> =
            imported.rows.iter().map(|r| r.municipality_code.as_str()).collect();
        let mut before = Vec::new();
        for a in &areas {
            let rows = self.economy_rows(year).await?;
            before.extend(rows.into_iter().filter(|r| r.focus_area.code == *a));
        }
        let mut tx = self.audited_write(actor).await?;
        crate::omgang::ensure_round_part_tx(tx.tx(), year, Part::Ekonomi, &registry, actor).await?;
        for a in &areas {
            sqlx::query("DELETE FROM economy_row WHERE year = $1 AND focus_code = $2")
                .bind(year)
                .bind(a)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM economy_printed_total WHERE year = $1 AND focus_code = $2")
                .bind(year)
                .bind(a)
                .execute(&mut *tx)
                .await?;
        }
        for r in &imported.rows {
            insert_row(tx.tx(), r, "import", actor).await?;
        }
        for m in &municipalities {
            let before = crate::rapportering::assignment_status(tx.tx(), year, Part::Ekonomi, m).await?;
            crate::rapportering::write_status(
                tx.tx(),
                year,
                Part::Ekonomi,
                m,
                before,
                Status::Inskickad,
                "",
                actor,
            )
            .await?;
        }
        if let Some(p) = &imported.printed_totals {
            // The printed totals row belongs to the file's focus area (the first when several).
            if let Some(a) = areas.iter().next() {
                sqlx::query(
                    "INSERT INTO economy_printed_total (year, focus_code, allocated, repaid_surplus, reported_spent)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(year)
                .bind(a)
                .bind(p.allocated.kronor())
                .bind(p.repaid_surplus.kronor())
                .bind(p.reported_spent.kronor())
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit(Entry {
            action: Action::Import,
            entity: Entity::FinancialReport,
            entity_id: &format!("{year}"),
            before: Some(json!({"rader": before})),
            after: Some(
                json!({"fil": file_name, "rader": imported.rows, "summarad": imported.printed_totals}),
            ),
        })
        .await?;
        Ok(imported.rows.len())
    }
}

async fn insert_row(tx: &mut Tx<'_>, r: &FinancialRow, source: &str, actor: &Actor) -> Result<()> {
    sqlx::query(
        "INSERT INTO economy_row (year, municipality_code, focus_code, allocated, repaid_surplus,
           reported_spent, source, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(r.year)
    .bind(&r.municipality_code)
    .bind(&r.focus_area.code)
    .bind(r.allocated.kronor())
    .bind(r.repaid_surplus.kronor())
    .bind(r.reported_spent.kronor())
    .bind(source)
    .bind(now_text())
    .bind(&actor.username)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The JSON summary of a year's financial report: one summary per focus area, plus each
/// municipality's status (shared by the API and `gnv round summary`).
#[derive(serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "EkonomiSummary")]
pub struct EkonomiSummary {
    pub year: i32,
    pub summaries: Vec<EconomySummary>,
    pub statuses: Vec<crate::kommunenkat::MunicipalityPartStatus>,
}

impl Db {
    /// The JSON summary of a year's financial report (see [`EkonomiSummary`]).
    pub async fn ekonomi_summary(&self, year: i32) -> Result<EkonomiSummary> {
        let registry = self.registry().await?;
        let mut statuses = Vec::new();
        for m in &registry.municipalities {
            statuses.push(crate::kommunenkat::MunicipalityPartStatus {
                code: m.code.clone(),
                name: m.name.clone(),
                status: self.economy_status(year, &m.code).await?,
            });
        }
        Ok(EkonomiSummary { year, summaries: self.economy_summaries(year).await?, statuses })
    }
}
