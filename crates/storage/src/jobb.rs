//! Scheduled work run by the server itself (migration `0009`): a round's reminder schedule and
//! the job table whose leases let exactly one of several instances on one database run each job.
//!
//! - [`Db::set_reminder_schedule`] — days before the deadline (e.g. 14 and 3); each becomes a job
//!   `paminnelse/<year>/<days>` due at 08.00 Swedish time that day. Changing the schedule or the
//!   deadline ([`reschedule_reminders_tx`]) moves the jobs not yet done; done ones stay done.
//! - [`Db::claim_due_job`] — in a write transaction: the first due job that is not done and not
//!   leased (or whose lease ran out) gets this instance's lease. Write transactions are
//!   serialised on both backends (`Pool::begin`), so two instances never hold the same lease.
//! - [`Db::finish_job`] — marks it done, only while this instance still holds the lease.
//! - [`Db::already_reminded`] — whether a job has mailed a recipient (the mail log), so a job
//!   taken over after a crash does not send twice.

use crate::audit::{Action, Actor, Entity, Entry};
use crate::db::Tx;
use crate::{now_text, Db, Result, StorageError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use gnv_core::rapportering::livscykel;
use serde_json::json;

/// Prefix of reminder jobs: `paminnelse/<year>/<days before>`.
pub const REMINDER_JOB: &str = "paminnelse/";

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub key: String,
    pub due_at: String,
}

impl Job {
    /// The round year of a reminder job.
    pub fn reminder_year(&self) -> Option<i32> {
        self.key.strip_prefix(REMINDER_JOB)?.split('/').next()?.parse().ok()
    }
}

/// One scheduled reminder of a round as shown to admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledReminder {
    pub days_before: i64,
    /// When it is sent (RFC 3339 UTC).
    pub due_at: String,
    /// When it was sent, and what happened ("12 påminnelser skickade").
    pub done_at: Option<String>,
    pub result: String,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// 08.00 Swedish time on `date`, in UTC.
fn morning_utc(date: NaiveDate) -> DateTime<Utc> {
    let approx = date.and_hms_opt(7, 0, 0).unwrap_or_default().and_utc();
    let offset = livscykel::swedish_offset_hours(approx);
    date.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc() - Duration::hours(offset)
}

/// Parses "14, 3" (days before the deadline): whole numbers 0–180, at most six, duplicates merged.
pub fn parse_days(input: &str) -> std::result::Result<Vec<u32>, String> {
    let mut days = Vec::new();
    for part in input.split([',', ' ', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<u32>() {
            Ok(d) if d <= 180 => days.push(d),
            _ => {
                return Err(format!(
                    "\"{part}\" är inget antal dagar; skriv heltal mellan 0 och 180, t.ex. \"14, 3\"."
                ))
            }
        }
    }
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    if days.len() > 6 {
        return Err("Högst sex påminnelser per omgång.".into());
    }
    Ok(days)
}

/// Recreates the not-yet-done reminder jobs of `year` from its schedule and current deadline.
pub async fn reschedule_reminders_tx(tx: &mut Tx<'_>, year: i32) -> Result<()> {
    let prefix = format!("{REMINDER_JOB}{year}/");
    sqlx::query("DELETE FROM scheduled_job WHERE job_key LIKE $1 AND done_at IS NULL")
        .bind(format!("{prefix}%"))
        .execute(&mut **tx)
        .await?;
    let deadline: Option<(String,)> = sqlx::query_as("SELECT deadline FROM report_round WHERE year = $1")
        .bind(year)
        .fetch_optional(&mut **tx)
        .await?;
    let Some((deadline,)) = deadline else { return Ok(()) };
    let deadline = crate::omgang::deadline_date(&deadline);
    let days: Vec<(i64,)> = sqlx::query_as("SELECT days_before FROM round_reminder WHERE year = $1")
        .bind(year)
        .fetch_all(&mut **tx)
        .await?;
    for (d,) in days {
        let due = morning_utc(deadline - Duration::days(d));
        sqlx::query(
            "INSERT INTO scheduled_job (job_key, due_at) VALUES ($1, $2) ON CONFLICT (job_key) DO NOTHING",
        )
        .bind(format!("{prefix}{d}"))
        .bind(rfc3339(due))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Db {
    /// Replaces the reminder schedule of the round of `year` (days before the deadline), audited.
    pub async fn set_reminder_schedule(&self, year: i32, days: &[u32], actor: &Actor) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        let exists: Option<(i64,)> = sqlx::query_as("SELECT year FROM report_round WHERE year = $1")
            .bind(year)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StorageError::NotFound(format!("Det finns ingen rapporteringsomgång för {year}.")));
        }
        let before: Vec<(i64,)> = sqlx::query_as(
            "SELECT days_before FROM round_reminder WHERE year = $1 ORDER BY days_before DESC",
        )
        .bind(year)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM round_reminder WHERE year = $1").bind(year).execute(&mut *tx).await?;
        for d in days {
            sqlx::query("INSERT INTO round_reminder (year, days_before) VALUES ($1, $2)")
                .bind(year)
                .bind(i64::from(*d))
                .execute(&mut *tx)
                .await?;
        }
        reschedule_reminders_tx(tx.tx(), year).await?;
        tx.commit(Entry {
            action: Action::ChangeReminderSchedule,
            entity: Entity::Round,
            entity_id: &year.to_string(),
            before: Some(json!({"dagar_före": before.iter().map(|b| b.0).collect::<Vec<_>>()})),
            after: Some(json!({"dagar_före": days})),
        })
        .await?;
        Ok(())
    }

    /// The reminder schedule of a round, earliest first.
    pub async fn reminder_schedule(&self, year: i32) -> Result<Vec<ScheduledReminder>> {
        let prefix = format!("{REMINDER_JOB}{year}/");
        let rows: Vec<(i64, Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT r.days_before, j.due_at, j.done_at, j.result FROM round_reminder r
             LEFT JOIN scheduled_job j ON j.job_key = $1 || CAST(r.days_before AS TEXT)
             WHERE r.year = $2 ORDER BY r.days_before DESC",
        )
        .bind(&prefix)
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(days_before, due_at, done_at, result)| ScheduledReminder {
                days_before,
                due_at: due_at.unwrap_or_default(),
                done_at,
                result: result.unwrap_or_default(),
            })
            .collect())
    }

    /// Claims the first due job whose key starts with `prefix` for `instance` until `now + lease`.
    pub async fn claim_due_job(
        &self,
        prefix: &str,
        instance: &str,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<Job>> {
        let now_s = rfc3339(now);
        let mut tx = self.begin_write().await?;
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT job_key, due_at FROM scheduled_job
             WHERE job_key LIKE $1 AND done_at IS NULL AND due_at <= $2
               AND (lease_until IS NULL OR lease_until < $2)
             ORDER BY due_at, job_key LIMIT 1",
        )
        .bind(format!("{prefix}%"))
        .bind(&now_s)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((key, due_at)) = row else { return Ok(None) };
        sqlx::query("UPDATE scheduled_job SET leased_by = $1, lease_until = $2 WHERE job_key = $3")
            .bind(instance)
            .bind(rfc3339(now + lease))
            .bind(&key)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(Job { key, due_at }))
    }

    /// Marks a job done with its result, if `instance` still holds its lease; audited as the
    /// server's work. Returns whether it did.
    pub async fn finish_job(&self, key: &str, instance: &str, result: &str) -> Result<bool> {
        let server = Actor::server();
        let mut tx = self.audited_write(&server).await?;
        let done = sqlx::query(
            "UPDATE scheduled_job SET done_at = $1, result = $2 WHERE job_key = $3 AND leased_by = $4 AND done_at IS NULL",
        )
        .bind(now_text())
        .bind(result)
        .bind(key)
        .bind(instance)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if done {
            tx.record(Entry {
                action: Action::RunJob,
                entity: Entity::Job,
                entity_id: key,
                before: None,
                after: Some(json!({"instans": instance, "resultat": result})),
            })
            .await?;
        }
        tx.finish().await?;
        Ok(done)
    }

    /// Whether the job `key` has already mailed `recipient` about `org`'s part.
    pub async fn already_reminded(&self, key: &str, org: &str, part: &str, recipient: &str) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM mail_log WHERE job_key = $1 AND org_code = $2 AND part = $3 AND recipient = $4 LIMIT 1",
        )
        .bind(key)
        .bind(org)
        .bind(part)
        .bind(recipient)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_parsed_sorted_and_bounded() {
        assert_eq!(parse_days("3, 14"), Ok(vec![14, 3]));
        assert_eq!(parse_days("14 3 3"), Ok(vec![14, 3]));
        assert_eq!(parse_days(""), Ok(vec![]));
        assert!(parse_days("två").unwrap_err().contains("\"två\" är inget antal dagar"));
        assert!(parse_days("200").is_err());
        assert!(parse_days("1,2,3,4,5,6,7").unwrap_err().contains("Högst sex"));
    }

    #[test]
    fn reminders_go_at_eight_in_the_morning_swedish_time() {
        let winter = NaiveDate::from_ymd_opt(2027, 1, 29).unwrap();
        assert_eq!(rfc3339(morning_utc(winter)), "2027-01-29T07:00:00Z");
        let summer = NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
        assert_eq!(rfc3339(morning_utc(summer)), "2027-06-01T06:00:00Z");
    }
}
