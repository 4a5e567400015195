//! External deliveries (migrations `0011`, `0017`: optionally per municipality): the kommunenkät compilation delivered to
//! Socialstyrelsen (date, by whom, the exact XLSX file sent, kept with its SHA-256) and the
//! region's own report to Socialstyrelsen (a link or address). The annual report states these
//! facts from the record: [`for_year`].

use crate::audit::{Action, Actor, Entity, Entry};
use crate::{now_text, Db, Result, StorageError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// What was delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryKind {
    /// The compilation of the municipalities' kommunenkät, delivered to Socialstyrelsen (an XLSX
    /// file).
    KommunenkatSocialstyrelsen,
    /// The region's own report to Socialstyrelsen (a link or an address).
    RegionensRapportSocialstyrelsen,
}

impl DeliveryKind {
    pub const ALL: [DeliveryKind; 2] =
        [DeliveryKind::KommunenkatSocialstyrelsen, DeliveryKind::RegionensRapportSocialstyrelsen];

    pub fn code(self) -> &'static str {
        match self {
            DeliveryKind::KommunenkatSocialstyrelsen => "kommunenkat_socialstyrelsen",
            DeliveryKind::RegionensRapportSocialstyrelsen => "regionens_rapport_socialstyrelsen",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryKind> {
        DeliveryKind::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            DeliveryKind::KommunenkatSocialstyrelsen => "Kommunenkätens sammanställning till Socialstyrelsen",
            DeliveryKind::RegionensRapportSocialstyrelsen => "Regionens rapport till Socialstyrelsen",
        }
    }
}

/// One recorded external delivery.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalDelivery {
    pub id: i64,
    /// The reporting year it concerns.
    pub year: i32,
    pub kind: DeliveryKind,
    pub delivered_on: NaiveDate,
    /// Who delivered it (as recorded).
    pub by: String,
    /// The delivered file's name (kommunenkät), empty otherwise.
    pub file_name: String,
    /// SHA-256 (hex) of the delivered file, empty without a file.
    pub sha256: String,
    /// A link or address (the region's report), or a note.
    pub note: String,
    pub recorded_at: String,
    pub recorded_by: String,
    /// The municipality (code) the delivery concerns (migration `0017`); `None`: every
    /// municipality.
    pub organisation: Option<String>,
}

/// A delivery to record.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub year: i32,
    pub kind: DeliveryKind,
    /// `ÅÅÅÅ-MM-DD` as typed.
    pub delivered_on: String,
    pub by: String,
    pub note: String,
    /// (file name, bytes): required for the kommunenkät compilation (an .xlsx file).
    pub file: Option<(String, Vec<u8>)>,
    /// The municipality's code when the delivery concerns one municipality; `None` (or empty)
    /// for every municipality.
    pub organisation: Option<String>,
}

/// The external deliveries concerning `year`, by date. For the annual report.
pub async fn for_year(db: &Db, year: i32) -> Result<Vec<ExternalDelivery>> {
    db.deliveries(year).await
}

fn from_row(r: &crate::db::DbRow) -> Result<ExternalDelivery> {
    let kind: String = r.get("kind");
    let on: String = r.get("delivered_on");
    Ok(ExternalDelivery {
        id: r.get("id"),
        year: r.get::<i64, _>("year") as i32,
        kind: DeliveryKind::parse(&kind)
            .ok_or_else(|| StorageError::Corrupt(format!("okänd leverans {kind}")))?,
        delivered_on: NaiveDate::parse_from_str(&on, "%Y-%m-%d")
            .map_err(|_| StorageError::Corrupt(format!("ogiltigt leveransdatum {on}")))?,
        by: r.get("delivered_by"),
        file_name: r.get("file_name"),
        sha256: r.get("sha256"),
        note: r.get("note"),
        recorded_at: r.get("recorded_at"),
        recorded_by: r.get("recorded_by"),
        organisation: Some(r.get::<String, _>("organisation_code")).filter(|c| !c.is_empty()),
    })
}

impl Db {
    /// The external deliveries concerning `year`, by date.
    pub async fn deliveries(&self, year: i32) -> Result<Vec<ExternalDelivery>> {
        let rows = sqlx::query(
            "SELECT id, year, kind, delivered_on, delivered_by, file_name, sha256, note, recorded_at, recorded_by,
                    organisation_code
             FROM external_delivery WHERE year = $1 ORDER BY delivered_on, id",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The delivered file of a delivery: (year, file name, bytes).
    pub async fn delivery_file(&self, id: i64) -> Result<Option<(i32, String, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT year, file_name, content FROM external_delivery WHERE id = $1 AND content IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| (r.get::<i64, _>("year") as i32, r.get("file_name"), r.get("content"))))
    }

    /// Records a delivery (validated: date, who; the kommunenkät an .xlsx file, the region's
    /// report a link or address). One transaction with its audit entry (which keeps the SHA-256,
    /// not the file).
    pub async fn record_delivery(&self, d: &NewDelivery, actor: &Actor) -> Result<i64> {
        let mut problems = Vec::new();
        let on = NaiveDate::parse_from_str(d.delivered_on.trim(), "%Y-%m-%d").ok();
        if on.is_none() {
            problems
                .push(format!("Leveransdatum: \"{}\" är inget datum (ÅÅÅÅ-MM-DD).", d.delivered_on.trim()));
        }
        let by = d.by.trim();
        if by.is_empty() || by.chars().count() > 200 {
            problems.push("Ange vem som lämnade leveransen (högst 200 tecken).".into());
        }
        let note = d.note.trim();
        if note.chars().count() > 2000 {
            problems.push("Länk eller adress: högst 2 000 tecken.".into());
        }
        let file = d.file.as_ref().filter(|(name, bytes)| !name.is_empty() && !bytes.is_empty());
        match d.kind {
            DeliveryKind::KommunenkatSocialstyrelsen => match file {
                None => {
                    problems.push("Bifoga den Excel-fil (.xlsx) som lämnades till Socialstyrelsen.".into())
                }
                Some((name, bytes)) => {
                    if !name.to_lowercase().ends_with(".xlsx") || !bytes.starts_with(b"PK") {
                        problems.push(format!("Filen {name} är ingen Excel-fil (.xlsx)."));
                    }
                }
            },
            DeliveryKind::RegionensRapportSocialstyrelsen => {
                if note.is_empty() {
                    problems.push("Ange en länk till rapporten eller adressen den skickades till.".into());
                }
            }
        }
        if !(2000..=2100).contains(&d.year) {
            problems.push(format!("Året {} är inte giltigt.", d.year));
        }
        let organisation = d.organisation.as_deref().map(str::trim).filter(|c| !c.is_empty());
        if let Some(code) = organisation {
            if d.kind != DeliveryKind::KommunenkatSocialstyrelsen {
                problems.push(format!("{} gäller inte en enskild kommun.", d.kind.label()));
            } else if !self.registry().await?.municipalities.iter().any(|m| m.code == code) {
                problems.push(format!("Kommun: \"{code}\" finns inte i organisationsregistret."));
            }
        }
        let Some(on) = on.filter(|_| problems.is_empty()) else {
            return Err(StorageError::Invalid(problems.join("\n")));
        };
        let (file_name, content, sha256) = match file {
            Some((name, bytes)) => (name.clone(), Some(bytes.clone()), hex::encode(Sha256::digest(bytes))),
            None => (String::new(), None, String::new()),
        };
        let mut tx = self.audited_write(actor).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO external_delivery (year, kind, delivered_on, delivered_by, file_name, content, sha256, note, recorded_at, recorded_by, organisation_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(d.year)
        .bind(d.kind.code())
        .bind(on.format("%Y-%m-%d").to_string())
        .bind(by)
        .bind(&file_name)
        .bind(content)
        .bind(&sha256)
        .bind(note)
        .bind(now_text())
        .bind(&actor.username)
        .bind(organisation.unwrap_or(""))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::RecordDelivery,
            entity: Entity::ExternalDelivery,
            entity_id: &id.to_string(),
            before: None,
            after: Some(json!({
                "år": d.year, "slag": d.kind.code(), "datum": on.to_string(), "av": by,
                "fil": file_name, "sha256": sha256, "anteckning": note,
                "kommun": organisation.unwrap_or("alla"),
            })),
        })
        .await?;
        Ok(id)
    }
}

/// The last day of an external delivery of a reporting year (migration `0016`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalDeadline {
    /// The reporting year the delivery concerns.
    pub year: i32,
    pub kind: DeliveryKind,
    pub due_on: NaiveDate,
    /// Who sets the deadline or where it is announced ("Socialstyrelsens anvisning").
    pub note: String,
}

impl Db {
    /// The external deadlines of reporting year `year`, in the order of [`DeliveryKind::ALL`].
    pub async fn external_deadlines(&self, year: i32) -> Result<Vec<ExternalDeadline>> {
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT kind, due_on, note FROM external_deadline WHERE year = $1")
                .bind(year)
                .fetch_all(self.pool())
                .await?;
        let mut out = Vec::new();
        for kind in DeliveryKind::ALL {
            if let Some((_, due, note)) = rows.iter().find(|(k, _, _)| k == kind.code()) {
                let due_on = NaiveDate::parse_from_str(due, "%Y-%m-%d").map_err(|_| {
                    StorageError::Corrupt(format!("sista dag för {} {year}: \"{due}\"", kind.label()))
                })?;
                out.push(ExternalDeadline { year, kind, due_on, note: note.clone() });
            }
        }
        Ok(out)
    }

    /// The external deadlines falling in calendar year `calendar_year` (of any reporting year),
    /// by date, each with whether its delivery is recorded.
    pub async fn external_deadlines_due_in(
        &self,
        calendar_year: i32,
    ) -> Result<Vec<(ExternalDeadline, bool)>> {
        let years: Vec<(i64,)> = sqlx::query_as(
            "SELECT DISTINCT year FROM external_deadline WHERE due_on >= $1 AND due_on <= $2 ORDER BY year",
        )
        .bind(format!("{calendar_year:04}-01-01"))
        .bind(format!("{calendar_year:04}-12-31"))
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::new();
        for (y,) in years {
            let y = y as i32;
            let delivered = self.deliveries(y).await?;
            for d in self.external_deadlines(y).await? {
                if d.due_on.format("%Y").to_string() == format!("{calendar_year:04}") {
                    let done = delivered.iter().any(|x| x.kind == d.kind && x.organisation.is_none());
                    out.push((d, done));
                }
            }
        }
        out.sort_by_key(|(d, _)| d.due_on);
        Ok(out)
    }

    /// Every external deadline of every reporting year, by date, each with whether its delivery
    /// (for every municipality) is recorded: the events of the calendar feed.
    pub async fn all_external_deadlines(&self) -> Result<Vec<(ExternalDeadline, bool)>> {
        let years: Vec<(i64,)> = sqlx::query_as("SELECT DISTINCT year FROM external_deadline ORDER BY year")
            .fetch_all(self.pool())
            .await?;
        let mut out = Vec::new();
        for (y,) in years {
            let y = i32::try_from(y)
                .map_err(|_| StorageError::Corrupt(format!("Rapportåret {y} är inget årtal.")))?;
            let delivered = self.deliveries(y).await?;
            for d in self.external_deadlines(y).await? {
                let done = delivered.iter().any(|x| x.kind == d.kind && x.organisation.is_none());
                out.push((d, done));
            }
        }
        out.sort_by_key(|(d, _)| d.due_on);
        Ok(out)
    }

    /// Sets (or, with an empty date, removes) the last day of an external delivery. The date is
    /// checked (`ÅÅÅÅ-MM-DD`); one transaction with its audit entry.
    pub async fn set_external_deadline(
        &self,
        year: i32,
        kind: DeliveryKind,
        due_on: &str,
        note: &str,
        actor: &Actor,
    ) -> Result<()> {
        let due_on = due_on.trim();
        let note = note.trim();
        let due = if due_on.is_empty() {
            None
        } else {
            Some(NaiveDate::parse_from_str(due_on, "%Y-%m-%d").map_err(|_| {
                StorageError::Invalid(format!("Sista dag: \"{due_on}\" är inget datum (ÅÅÅÅ-MM-DD)."))
            })?)
        };
        if note.chars().count() > 500 {
            return Err(StorageError::Invalid("Anteckningen får vara högst 500 tecken.".into()));
        }
        if !(2000..=2100).contains(&year) {
            return Err(StorageError::Invalid(format!("Året {year} är inte giltigt.")));
        }
        let before = self.external_deadlines(year).await?.into_iter().find(|d| d.kind == kind);
        let mut tx = self.audited_write(actor).await?;
        match due {
            Some(d) => {
                sqlx::query(
                    "INSERT INTO external_deadline (year, kind, due_on, note, updated_at, updated_by)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (year, kind) DO UPDATE SET due_on = excluded.due_on, note = excluded.note,
                       updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                )
                .bind(year)
                .bind(kind.code())
                .bind(d.format("%Y-%m-%d").to_string())
                .bind(note)
                .bind(now_text())
                .bind(&actor.username)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM external_deadline WHERE year = $1 AND kind = $2")
                    .bind(year)
                    .bind(kind.code())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit(Entry {
            action: if due.is_some() { Action::SetDeadline } else { Action::RemoveDeadline },
            entity: Entity::ExternalDelivery,
            entity_id: &format!("{year}/{}", kind.code()),
            before: before.map(|b| json!({ "sista_dag": b.due_on.to_string(), "anteckning": b.note })),
            after: due.map(|d| json!({ "sista_dag": d.to_string(), "anteckning": note })),
        })
        .await?;
        Ok(())
    }
}
