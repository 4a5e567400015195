//! The lifecycle of a reporting round: closing (by an admin, or by the server at the deadline),
//! the frozen snapshot taken at closing, extending the deadline, the gate every respondent write
//! passes, and closed rounds for years that only have imported data.
//!
//! - [`Db::close_round`] / [`Db::close_due_rounds`] — set `closed_at` and freeze, per part and
//!   organisation, the status and the submitted answer (with its SHA-256 fingerprint) in
//!   `round_close_snapshot`, in one transaction with the audit entry.
//! - [`Db::changed_after_close`] — the parts whose answer or status differs from the snapshot
//!   ("ändrat efter stängning"): a reopening after closing is visible, never silent.
//! - [`Db::set_deadline`] — a new deadline: today or later opens a closed round again; a past
//!   one closes an open round now.
//! - [`respondent_gate_tx`] — inside the caller's write transaction: the round's state and the
//!   organisation's status decide whether a respondent may save or submit
//!   ([`gnv_core::rapportering::livscykel::respondent_may_write`]).
//! - [`ensure_round_part_tx`] — a table import (or an admin's form) for a year without a round
//!   creates that year's round as a closed round carrying the part.

use crate::audit::{self, Action, Actor, Entity, Entry};
use crate::db::Tx;
use crate::{now_text, Db, Result, StorageError};
use chrono::NaiveDate;
use gnv_core::organisation::Registry;
use gnv_core::rapportering::livscykel::{self, RoundState};
use gnv_core::rapportering::{Assignee, Part, Status};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Today's date in Sweden (deadlines are Swedish dates, inclusive).
pub fn today() -> NaiveDate {
    livscykel::swedish_date(chrono::Utc::now())
}

/// A stored deadline as a date. Deadlines are validated when written; a damaged one counts as
/// long past, so the round is closed rather than open forever.
pub fn deadline_date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

/// One organisation's part whose answer or status differs from the snapshot taken at closing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChangeAfterClose {
    pub part: Part,
    pub org_code: String,
    /// Status in the snapshot and now.
    pub status_at_close: Status,
    pub status_now: Status,
    /// Whether the submitted answer itself differs (not only the status).
    pub answer_changed: bool,
    /// When the round was closed (RFC 3339).
    pub closed_at: String,
}

/// The submitted answer(s) of every assignment of a round: (part, org) → (status, answer JSON).
/// The JSON is what the compilation is made from: the self-assessment's and mapping's submitted
/// responses, the survey answer, the financial-report rows. Empty text when nothing is submitted.
async fn current_answers(
    conn: &mut sqlx::AnyConnection,
    year: i32,
) -> Result<BTreeMap<(Part, String), (Status, String)>> {
    let mut out = BTreeMap::new();
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT part, org_code, status FROM round_assignment WHERE year = $1")
            .bind(year)
            .fetch_all(&mut *conn)
            .await?;
    for (p, org, s) in rows {
        let part =
            Part::parse(&p).ok_or_else(|| StorageError::Corrupt(format!("Okänd del {p} i databasen.")))?;
        let status = Status::parse(&s)
            .ok_or_else(|| StorageError::Corrupt(format!("Okänd status {s} i databasen.")))?;
        out.insert((part, org), (status, String::new()));
    }
    let mut texts: BTreeMap<(Part, String), Vec<serde_json::Value>> = BTreeMap::new();
    let responses: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT part, org_code, respondent_key, answers_json FROM round_response
         WHERE year = $1 AND status = 'inskickad' ORDER BY part, org_code, respondent_key",
    )
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    for (p, org, key, text) in responses {
        if let Some(part) = Part::parse(&p) {
            texts.entry((part, org)).or_default().push(json!([key, text]));
        }
    }
    let survey: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.municipality_code, s.answer_json FROM survey_answer s
         JOIN round_assignment a ON a.year = s.year AND a.part = 'kommunenkat'
           AND a.org_code = s.municipality_code AND a.status = 'inskickad'
         WHERE s.year = $1",
    )
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    for (org, text) in survey {
        texts.entry((Part::Kommunenkat, org)).or_default().push(json!(text));
    }
    let economy: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT e.municipality_code, e.focus_code, e.allocated, e.repaid_surplus, e.reported_spent
         FROM economy_row e
         JOIN round_assignment a ON a.year = e.year AND a.part = 'ekonomi'
           AND a.org_code = e.municipality_code AND a.status = 'inskickad'
         WHERE e.year = $1 ORDER BY e.municipality_code, e.focus_code",
    )
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    for (org, focus, a, r, s) in economy {
        texts.entry((Part::Ekonomi, org)).or_default().push(json!([focus, a, r, s]));
    }
    for (key, list) in texts {
        if let Some(entry) = out.get_mut(&key) {
            entry.1 = serde_json::Value::Array(list).to_string();
        }
    }
    Ok(out)
}

fn fingerprint(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

/// The round's state and deadline and the organisation's status, read inside `tx`.
async fn gate_facts(
    tx: &mut Tx<'_>,
    year: i32,
    part: Part,
    org: &str,
) -> Result<(RoundState, NaiveDate, Status)> {
    let round: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT deadline, closed_at FROM report_round WHERE year = $1")
            .bind(year)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((deadline, closed_at)) = round else {
        return Err(StorageError::NotFound(format!("Det finns ingen rapporteringsomgång för {year}.")));
    };
    let status: Option<(String,)> =
        sqlx::query_as("SELECT status FROM round_assignment WHERE year = $1 AND part = $2 AND org_code = $3")
            .bind(year)
            .bind(part.code())
            .bind(org)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((status,)) = status else {
        return Err(StorageError::NotFound(format!(
            "Omgången {year} har ingen del ”{}” för {org}.",
            part.label()
        )));
    };
    let status = Status::parse(&status)
        .ok_or_else(|| StorageError::Corrupt(format!("Okänd status {status} i databasen.")))?;
    let deadline = deadline_date(&deadline);
    Ok((livscykel::round_state(deadline, closed_at.is_some(), today()), deadline, status))
}

/// The gate of every respondent save and submit, inside the write transaction: refused with a
/// Swedish `Conflict` in a closed round unless an admin reopened the organisation's part.
/// Returns the organisation's current status.
pub async fn respondent_gate_tx(tx: &mut Tx<'_>, year: i32, part: Part, org: &str) -> Result<Status> {
    let (state, deadline, status) = gate_facts(tx, year, part, org).await?;
    livscykel::respondent_may_write(state, status, year, deadline)
        .map_err(|e| StorageError::Conflict(e.to_string()))?;
    Ok(status)
}

/// Makes sure the round of `year` carries `part` for every organisation of its kind: creates a
/// closed round when the year has none (a year known only through imported tables is a closed
/// round), adds the part and its assignments when missing. Audited when it creates anything.
pub async fn ensure_round_part_tx(
    tx: &mut Tx<'_>,
    year: i32,
    part: Part,
    registry: &Registry,
    actor: &Actor,
) -> Result<()> {
    let now = now_text();
    let round: Option<(i64,)> = sqlx::query_as("SELECT year FROM report_round WHERE year = $1")
        .bind(year)
        .fetch_optional(&mut **tx)
        .await?;
    if round.is_none() {
        sqlx::query(
            "INSERT INTO report_round (year, title, deadline, opened_at, opened_by, closed_at, closed_by, from_data)
             VALUES ($1, $2, $3, $4, $5, $4, $5, 1)",
        )
        .bind(year)
        .bind(format!("Rapporteringsomgång {year}"))
        .bind(today().to_string())
        .bind(&now)
        .bind(&actor.username)
        .execute(&mut **tx)
        .await?;
        audit::record(
            tx,
            actor,
            Entry {
                action: Action::Create,
                entity: Entity::Round,
                entity_id: &year.to_string(),
                before: None,
                after: Some(
                    json!({"stängd": true, "skäl": "uppgifter för ett år utan omgång", "del": part.code()}),
                ),
            },
        )
        .await?;
    }
    let has_part: Option<(String,)> =
        sqlx::query_as("SELECT part FROM round_part WHERE year = $1 AND part = $2")
            .bind(year)
            .bind(part.code())
            .fetch_optional(&mut **tx)
            .await?;
    if has_part.is_none() {
        sqlx::query("INSERT INTO round_part (year, part, form_version) VALUES ($1, $2, 0)")
            .bind(year)
            .bind(part.code())
            .execute(&mut **tx)
            .await?;
        if round.is_some() {
            audit::record(
                tx,
                actor,
                Entry {
                    action: Action::AddPart,
                    entity: Entity::Round,
                    entity_id: &year.to_string(),
                    before: None,
                    after: Some(json!({"del": part.code()})),
                },
            )
            .await?;
        }
    }
    let orgs: Vec<&str> = match part.assignee() {
        Assignee::Lsl => registry.lsls.iter().map(|l| l.code.as_str()).collect(),
        Assignee::Kommun => registry.municipalities.iter().map(|m| m.code.as_str()).collect(),
    };
    for org in orgs {
        sqlx::query(
            "INSERT INTO round_assignment (year, part, org_code, status, updated_at)
             VALUES ($1, $2, $3, 'ej_paborjad', $4) ON CONFLICT (year, part, org_code) DO NOTHING",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Db {
    /// Closes the round of `year` now: refuses further respondent writes and freezes the
    /// snapshot of every part. `Conflict` when already closed.
    pub async fn close_round(&self, year: i32, actor: &Actor) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT closed_at FROM report_round WHERE year = $1")
                .bind(year)
                .fetch_optional(&mut *tx)
                .await?;
        match row {
            None => {
                return Err(StorageError::NotFound(format!(
                    "Det finns ingen rapporteringsomgång för {year}."
                )))
            }
            Some((Some(at),)) => {
                return Err(StorageError::Conflict(format!(
                    "Rapporteringsomgången {year} är redan stängd (sedan {}).",
                    at.get(..10).unwrap_or(&at)
                )))
            }
            Some((None,)) => {}
        }
        close_in_tx(tx.tx(), year, actor).await?;
        tx.finish().await?;
        Ok(())
    }

    /// Closes every open round whose deadline has passed (Swedish date `today`); returns their
    /// years. The server runs this at start and then every minute, so a round closes at its
    /// deadline even when nobody looks; several instances may race, each round closes once.
    pub async fn close_due_rounds(&self, today: NaiveDate, actor: &Actor) -> Result<Vec<i32>> {
        let open: Vec<(i64, String)> =
            sqlx::query_as("SELECT year, deadline FROM report_round WHERE closed_at IS NULL ORDER BY year")
                .fetch_all(self.pool())
                .await?;
        let mut closed = Vec::new();
        for (year, deadline) in open {
            if !livscykel::is_due(deadline_date(&deadline), today) {
                continue;
            }
            let year = year as i32;
            let mut tx = self.audited_write(actor).await?;
            // Re-checked under the write lock: another instance may have closed it meanwhile.
            let still: Option<(i64,)> =
                sqlx::query_as("SELECT year FROM report_round WHERE year = $1 AND closed_at IS NULL")
                    .bind(year)
                    .fetch_optional(&mut *tx)
                    .await?;
            if still.is_none() {
                continue;
            }
            close_in_tx(tx.tx(), year, actor).await?;
            tx.finish().await?;
            closed.push(year);
        }
        Ok(closed)
    }

    /// Sets the round's deadline (`YYYY-MM-DD`), audited. A deadline today or later opens a
    /// closed round again until then (the snapshot of the earlier closing stays until the round
    /// closes anew); a deadline already passed closes an open round now, with its snapshot.
    pub async fn set_deadline(&self, year: i32, deadline: &str, actor: &Actor) -> Result<()> {
        let new = NaiveDate::parse_from_str(deadline.trim(), "%Y-%m-%d").map_err(|_| {
            StorageError::Invalid(format!("Sista svarsdag \"{}\" ska skrivas ÅÅÅÅ-MM-DD.", deadline.trim()))
        })?;
        let mut tx = self.audited_write(actor).await?;
        let row: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT deadline, closed_at FROM report_round WHERE year = $1")
                .bind(year)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((before, closed_at)) = row else {
            return Err(StorageError::NotFound(format!("Det finns ingen rapporteringsomgång för {year}.")));
        };
        let passed = livscykel::is_due(new, today());
        sqlx::query("UPDATE report_round SET deadline = $1 WHERE year = $2")
            .bind(new.to_string())
            .bind(year)
            .execute(&mut *tx)
            .await?;
        if !passed {
            sqlx::query("UPDATE report_round SET closed_at = NULL, closed_by = NULL WHERE year = $1")
                .bind(year)
                .execute(&mut *tx)
                .await?;
        }
        tx.record(Entry {
            action: Action::ChangeRoundDeadline,
            entity: Entity::Round,
            entity_id: &year.to_string(),
            before: Some(json!({"sista_svarsdag": before, "stängd": closed_at})),
            after: Some(json!({"sista_svarsdag": new.to_string()})),
        })
        .await?;
        if passed && closed_at.is_none() {
            close_in_tx(tx.tx(), year, actor).await?;
        }
        crate::jobb::reschedule_reminders_tx(tx.tx(), year).await?;
        tx.finish().await?;
        Ok(())
    }

    /// Parts of a closed round whose status or submitted answer differs from the snapshot taken
    /// at closing, by part and organisation. Empty for open rounds and rounds without snapshot.
    pub async fn changed_after_close(&self, year: i32) -> Result<Vec<ChangeAfterClose>> {
        let snapshot: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT s.part, s.org_code, s.status, s.fingerprint, s.closed_at FROM round_close_snapshot s
             JOIN report_round r ON r.year = s.year AND r.closed_at IS NOT NULL
             WHERE s.year = $1",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        if snapshot.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool().acquire_read().await?;
        let now = current_answers(&mut conn, year).await?;
        let mut out = Vec::new();
        for (p, org, s, fp, closed_at) in snapshot {
            let (Some(part), Some(status_at_close)) = (Part::parse(&p), Status::parse(&s)) else {
                continue;
            };
            let Some((status_now, text)) = now.get(&(part, org.clone())) else { continue };
            let answer_changed = fingerprint(text) != fp;
            if answer_changed || *status_now != status_at_close {
                out.push(ChangeAfterClose {
                    part,
                    org_code: org,
                    status_at_close,
                    status_now: *status_now,
                    answer_changed,
                    closed_at,
                });
            }
        }
        Ok(out)
    }
}

/// Sets `closed_at` and writes the snapshot (replacing an earlier closing's), audited.
async fn close_in_tx(tx: &mut Tx<'_>, year: i32, actor: &Actor) -> Result<()> {
    let now = now_text();
    sqlx::query("UPDATE report_round SET closed_at = $1, closed_by = $2 WHERE year = $3")
        .bind(&now)
        .bind(&actor.username)
        .bind(year)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM round_close_snapshot WHERE year = $1").bind(year).execute(&mut **tx).await?;
    let answers = current_answers(tx, year).await?;
    let mut submitted: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for ((part, org), (status, text)) in &answers {
        sqlx::query(
            "INSERT INTO round_close_snapshot (year, part, org_code, status, fingerprint, answer_json, closed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(status.code())
        .bind(fingerprint(text))
        .bind(text)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
        let e = submitted.entry(part.code()).or_default();
        e.1 += 1;
        if status.is_submitted() {
            e.0 += 1;
        }
    }
    let parts: serde_json::Map<String, serde_json::Value> = submitted
        .into_iter()
        .map(|(p, (done, all))| (p.to_string(), json!(gnv_core::format::of(done, all))))
        .collect();
    audit::record(
        tx,
        actor,
        Entry {
            action: Action::Close,
            entity: Entity::Round,
            entity_id: &year.to_string(),
            before: Some(json!({"stängd": false})),
            after: Some(json!({"stängd": true, "inskickade": parts})),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    /// Migration 0008 carries every status of the survey and financial-report tables into the
    /// round engine, makes years without a round closed rounds, and drops the old status columns.
    #[tokio::test]
    async fn migration_0008_carries_every_status_into_the_round_engine() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("gammal.db");
        {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
                .await
                .expect("öppna");
            let before = sqlx::migrate::Migrator {
                migrations: crate::db::MIGRATOR
                    .migrations
                    .iter()
                    .filter(|m| m.version < 8)
                    .cloned()
                    .collect::<Vec<_>>()
                    .into(),
                ..sqlx::migrate::Migrator::DEFAULT
            };
            before.run(&pool).await.expect("migreringar 1-7");
            sqlx::raw_sql(
                "INSERT INTO organisation (code, kind, name) VALUES ('2062', 'kommun', 'Mora'),
                   ('2080', 'kommun', 'Falun'), ('2084', 'kommun', 'Avesta'), ('lsl-mora', 'lsl', 'Mora');
                 INSERT INTO report_round (year, title, deadline, opened_at, opened_by)
                   VALUES (2025, 'Rapporteringsomgång 2025', '2026-02-13', '2026-01-05T08:00:00Z', 'rss');
                 INSERT INTO round_part (year, part, form_version) VALUES (2025, 'sjalvskattning', 1);
                 INSERT INTO round_assignment (year, part, org_code, status, updated_at)
                   VALUES (2025, 'sjalvskattning', 'lsl-mora', 'utkast', '2026-01-06T08:00:00Z');
                 INSERT INTO survey_answer (year, municipality_code, answer_json, status, updated_at, updated_by, submitted_at) VALUES
                   (2024, '2062', '{}', 'inskickad', '2025-01-20T10:00:00Z', 'mora', '2025-01-20T10:00:00Z'),
                   (2024, '2080', '{}', 'återöppnad', '2025-01-21T10:00:00Z', 'rss', '2025-01-19T10:00:00Z'),
                   (2024, '2084', '{}', 'utkast', '2025-01-22T10:00:00Z', 'avesta', NULL);
                 INSERT INTO economy_report (year, municipality_code, status, updated_at, updated_by) VALUES
                   (2025, '2062', 'inskickad', '2026-01-30T09:00:00Z', 'mora'),
                   (2025, '2080', 'utkast', '2026-01-31T09:00:00Z', 'falun');
                 INSERT INTO economy_row (year, municipality_code, focus_code, allocated, repaid_surplus, reported_spent, source, updated_at, updated_by) VALUES
                   (2025, '2062', '9292', 1000, 0, 900, 'formulär', '2026-01-30T09:00:00Z', 'mora'),
                   (2025, '2080', '9292', 2000, 0, 1500, 'formulär', '2026-01-31T09:00:00Z', 'falun');",
            )
            .execute(&pool)
            .await
            .expect("gamla svar");
            pool.close().await;
        }
        let db = crate::Db::open(&path).await.expect("migrering 8");
        let rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT year, part, org_code, status, submitted_at FROM round_assignment ORDER BY year, part, org_code",
        )
        .fetch_all(db.pool())
        .await
        .expect("läsa");
        let s = |y: i64, p: &str, o: &str, st: &str, at: Option<&str>| {
            (y, p.to_string(), o.to_string(), st.to_string(), at.map(str::to_string))
        };
        assert_eq!(
            rows,
            vec![
                s(2024, "kommunenkat", "2062", "inskickad", Some("2025-01-20T10:00:00Z")),
                s(2024, "kommunenkat", "2080", "ateroppnad", Some("2025-01-19T10:00:00Z")),
                s(2024, "kommunenkat", "2084", "utkast", None),
                s(2025, "ekonomi", "2062", "inskickad", Some("2026-01-30T09:00:00Z")),
                s(2025, "ekonomi", "2080", "utkast", None),
                s(2025, "ekonomi", "2084", "ej_paborjad", None),
                s(2025, "sjalvskattning", "lsl-mora", "utkast", None),
            ]
        );
        // 2024 had answers but no round: now a closed round; 2025 stays as it was (open until the
        // server closes it at its deadline).
        let rounds: Vec<(i64, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT year, closed_by, opened_by FROM report_round ORDER BY year")
                .fetch_all(db.pool())
                .await
                .expect("omgångar");
        assert_eq!(
            rounds,
            vec![
                (2024, Some("migrering".into()), Some("migrering".into())),
                (2025, None, Some("rss".into()))
            ]
        );
        // The engine is the one source: statuses, the appendix rows of submitted reports.
        use gnv_core::rapportering::Status;
        assert_eq!(db.kommunenkat_status(2024, "2080").await.expect("status"), Status::Ateroppnad);
        assert_eq!(db.economy_status(2025, "2080").await.expect("status"), Status::Utkast);
        let appendix = db.economy_rows(2025).await.expect("rader");
        assert_eq!(appendix.len(), 1);
        assert_eq!(appendix[0].municipality_code, "2062");
        // The old status columns and table are gone.
        assert!(sqlx::query("SELECT status FROM survey_answer").fetch_all(db.pool()).await.is_err());
        assert!(sqlx::query("SELECT * FROM economy_report").fetch_all(db.pool()).await.is_err());
        assert!(db.integrity_check().await.expect("kontroll").is_empty());
    }
}
