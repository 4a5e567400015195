//! The annual plan of support activities (årsplan, `gnv_core::planering::aktivitet`): its
//! activity types and occurrences with attendance and status. Occurrences are validated by the
//! core against their plan and the registry before anything is written.

use super::{corrupt, enum_from, enum_text, invalid, parse_date};
use crate::audit::{self, Action, Actor, Entity, Entry};
use crate::{now_text, Db, Result, StorageError};
use gnv_core::planering::aktivitet::{validate_occurrence, CountNoun};
use gnv_core::planering::{
    ActivityType, AnnualPlan, Attendance, Occurrence, OccurrenceStatus, Reason, TargetFrequency,
};
use sqlx::Row;
use std::collections::BTreeSet;

/// An annual plan as stored, with the database id of each occurrence (same order as
/// `plan.occurrences`, which is date order).
#[derive(Debug, Clone)]
pub struct StoredPlan {
    pub plan: AnnualPlan,
    pub occurrence_ids: Vec<i64>,
    /// Database id of each activity type (same order as `plan.activity_types`).
    pub activity_type_ids: Vec<i64>,
}

impl StoredPlan {
    fn type_index(&self, id: i64, year: i32) -> Result<usize> {
        self.activity_type_ids.iter().position(|x| *x == id).ok_or_else(|| {
            StorageError::NotFound(format!("Aktivitetstypen finns inte i årsplanen för {year}."))
        })
    }
}

/// Checks an annual plan's activity types with the core (names non-empty and unique).
fn check_types(plan: &AnnualPlan) -> Result<()> {
    let mut errors = Vec::new();
    let mut names = BTreeSet::new();
    for t in &plan.activity_types {
        let name = t.name.trim();
        if name.is_empty() {
            errors.push("Namn: Aktivitetstypen måste ha ett namn.".to_string());
        } else if !names.insert(name) {
            errors.push(format!(
                "Namn: Det finns redan en aktivitetstyp som heter \"{name}\" i årsplanen för {}.",
                plan.year
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StorageError::Invalid(errors.join("\n")))
    }
}

fn status_parts(s: &OccurrenceStatus) -> (&'static str, String) {
    let key = match s {
        OccurrenceStatus::Planerad => "planerad",
        OccurrenceStatus::Genomford => "genomford",
        OccurrenceStatus::Framflyttad(_) => "framflyttad",
        OccurrenceStatus::Installd(_) => "installd",
        OccurrenceStatus::Pausad(_) => "pausad",
    };
    (key, s.reason().map(|r| r.as_str().to_string()).unwrap_or_default())
}

fn status_from(key: &str, reason: &str) -> Result<OccurrenceStatus> {
    let r = || Reason::new(reason).map_err(invalid);
    Ok(match key {
        "planerad" => OccurrenceStatus::Planerad,
        "genomford" => OccurrenceStatus::Genomford,
        "framflyttad" => OccurrenceStatus::Framflyttad(r()?),
        "installd" => OccurrenceStatus::Installd(r()?),
        "pausad" => OccurrenceStatus::Pausad(r()?),
        other => return Err(StorageError::Corrupt(format!("Okänd status \"{other}\" i databasen."))),
    })
}

impl Db {
    /// Years that have an annual plan, newest first.
    pub async fn annual_plan_years(&self) -> Result<Vec<i32>> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT year FROM annual_plan ORDER BY year DESC").fetch_all(self.pool()).await?;
        Ok(rows.into_iter().map(|r| r.0 as i32).collect())
    }

    /// The annual plan of `year` with its occurrences (date order), if it exists.
    pub async fn annual_plan(&self, year: i32) -> Result<Option<StoredPlan>> {
        let exists: Option<(i64,)> = sqlx::query_as("SELECT year FROM annual_plan WHERE year = $1")
            .bind(i64::from(year))
            .fetch_optional(self.pool())
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let type_rows = sqlx::query(
            "SELECT id, name, target_group, purpose, format, freq_min, freq_max, timing, noun_singular,
                    noun_plural
             FROM activity_type WHERE year = $1 ORDER BY position, id",
        )
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        let mut activity_types = Vec::new();
        let mut type_names = Vec::new();
        for r in &type_rows {
            let timing: String = r.get("timing");
            let frequency = TargetFrequency::new(
                r.get::<i64, _>("freq_min") as u32,
                r.get::<i64, _>("freq_max") as u32,
                Some(timing.as_str()),
            )
            .map_err(corrupt)?;
            let t = ActivityType {
                name: r.get("name"),
                target_group: r.get("target_group"),
                purpose: r.get("purpose"),
                format: enum_from(r.get::<String, _>("format").as_str(), "format")?,
                frequency,
                noun: CountNoun::new(r.get("noun_singular"), r.get("noun_plural")),
            };
            type_names.push((r.get::<i64, _>("id"), t.name.clone()));
            activity_types.push(t);
        }
        let occ_rows = sqlx::query(
            "SELECT o.id, o.activity_type_id, o.title, o.date, o.format, o.status, o.reason,
                    o.participants, o.note, o.guests_json
             FROM occurrence o JOIN activity_type t ON t.id = o.activity_type_id
             WHERE t.year = $1 ORDER BY o.date, o.id",
        )
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        let att_rows = sqlx::query(
            "SELECT a.occurrence_id, a.org_code, a.kind FROM occurrence_attendance a
             JOIN occurrence o ON o.id = a.occurrence_id
             JOIN activity_type t ON t.id = o.activity_type_id
             WHERE t.year = $1 ORDER BY a.org_code",
        )
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        let mut occurrences = Vec::new();
        let mut occurrence_ids = Vec::new();
        for r in &occ_rows {
            let id: i64 = r.get("id");
            let type_id: i64 = r.get("activity_type_id");
            let mut attendance = Attendance::default();
            for a in att_rows.iter().filter(|a| a.get::<i64, _>("occurrence_id") == id) {
                let code: String = a.get("org_code");
                match a.get::<String, _>("kind").as_str() {
                    "lsl" => attendance.lsls.insert(code),
                    "kommun" => attendance.municipalities.insert(code),
                    _ => attendance.bodies.insert(code),
                };
            }
            attendance.guests =
                serde_json::from_str(r.get::<String, _>("guests_json").as_str()).unwrap_or_default();
            occurrences.push(Occurrence {
                activity: type_names
                    .iter()
                    .find(|(i, _)| *i == type_id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                title: r.get("title"),
                date: parse_date(r.get::<String, _>("date").as_str())?,
                format: enum_from(r.get::<String, _>("format").as_str(), "format")?,
                status: status_from(
                    r.get::<String, _>("status").as_str(),
                    r.get::<String, _>("reason").as_str(),
                )?,
                attendance,
                participants: r.get::<Option<i64>, _>("participants").map(|p| p as u32),
                note: r.get("note"),
            });
            occurrence_ids.push(id);
        }
        let activity_type_ids = type_names.iter().map(|(id, _)| *id).collect();
        Ok(Some(StoredPlan {
            plan: AnnualPlan { year, activity_types, occurrences },
            occurrence_ids,
            activity_type_ids,
        }))
    }

    /// Creates the annual plan of `plan.year` with its activity types (occurrences of `plan` are
    /// ignored; add them with [`Db::add_occurrence`]). Refused when the year already has a plan.
    pub async fn create_annual_plan(&self, plan: &AnnualPlan, actor: &Actor) -> Result<()> {
        let registry = self.registry().await?;
        let types_only = AnnualPlan { occurrences: Vec::new(), ..plan.clone() };
        types_only.validate(&registry).map_err(invalid)?;
        let mut tx = self.audited_write(actor).await?;
        let exists: Option<(i64,)> = sqlx::query_as("SELECT year FROM annual_plan WHERE year = $1")
            .bind(i64::from(plan.year))
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StorageError::Conflict(format!("Det finns redan en årsplan för {}.", plan.year)));
        }
        sqlx::query("INSERT INTO annual_plan (year, created_at) VALUES ($1, $2)")
            .bind(i64::from(plan.year))
            .bind(now_text())
            .execute(&mut *tx)
            .await?;
        for (i, t) in plan.activity_types.iter().enumerate() {
            insert_activity_type(tx.tx(), plan.year, i as i64, t).await?;
        }
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::AnnualPlan,
            entity_id: &plan.year.to_string(),
            before: None,
            after: Some(audit::snapshot(&types_only)?),
        })
        .await?;
        Ok(())
    }

    /// Adds an activity type at the end of the plan of `year`. Checked by the core with the
    /// plan's other types (non-empty, unique name); nothing is written on error.
    pub async fn add_activity_type(&self, year: i32, t: &ActivityType, actor: &Actor) -> Result<i64> {
        let stored = self.plan_or_not_found(year).await?;
        let mut candidate = AnnualPlan { occurrences: Vec::new(), ..stored.plan.clone() };
        candidate.activity_types.push(t.clone());
        check_types(&candidate)?;
        let mut tx = self.audited_write(actor).await?;
        let pos: (Option<i64>,) = sqlx::query_as("SELECT MAX(position) FROM activity_type WHERE year = $1")
            .bind(i64::from(year))
            .fetch_one(&mut *tx)
            .await?;
        let id = insert_activity_type(tx.tx(), year, pos.0.map_or(0, |p| p + 1), t).await?;
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::ActivityType,
            entity_id: &format!("{year}/{id}"),
            before: None,
            after: Some(audit::snapshot(t)?),
        })
        .await?;
        Ok(id)
    }

    /// Replaces activity type `id` of the plan of `year` (its occurrences follow it, also when
    /// renamed). Checked like [`Db::add_activity_type`].
    pub async fn update_activity_type(
        &self,
        year: i32,
        id: i64,
        t: &ActivityType,
        actor: &Actor,
    ) -> Result<()> {
        let stored = self.plan_or_not_found(year).await?;
        let i = stored.type_index(id, year)?;
        let before = stored.plan.activity_types[i].clone();
        let mut candidate = AnnualPlan { occurrences: Vec::new(), ..stored.plan.clone() };
        candidate.activity_types[i] = t.clone();
        check_types(&candidate)?;
        let mut tx = self.audited_write(actor).await?;
        sqlx::query(
            "UPDATE activity_type SET name = $1, target_group = $2, purpose = $3, format = $4, freq_min = $5,
               freq_max = $6, timing = $7, noun_singular = $8, noun_plural = $9
             WHERE id = $10 AND year = $11",
        )
        .bind(&t.name)
        .bind(&t.target_group)
        .bind(&t.purpose)
        .bind(enum_text(&t.format))
        .bind(i64::from(t.frequency.min()))
        .bind(i64::from(t.frequency.max()))
        .bind(t.frequency.timing().unwrap_or(""))
        .bind(&t.noun.singular)
        .bind(&t.noun.plural)
        .bind(id)
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::Update,
            entity: Entity::ActivityType,
            entity_id: &format!("{year}/{id}"),
            before: Some(audit::snapshot(&before)?),
            after: Some(audit::snapshot(t)?),
        })
        .await?;
        Ok(())
    }

    /// Removes activity type `id` of the plan of `year`. Refused (nothing written) while
    /// occurrences are registered against it.
    pub async fn remove_activity_type(&self, year: i32, id: i64, actor: &Actor) -> Result<()> {
        let stored = self.plan_or_not_found(year).await?;
        let i = stored.type_index(id, year)?;
        let before = stored.plan.activity_types[i].clone();
        let mut tx = self.audited_write(actor).await?;
        let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM occurrence WHERE activity_type_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if n.0 > 0 {
            return Err(StorageError::Invalid(format!(
                "Aktivitetstypen \"{}\" har {} registrerade tillfällen och kan inte tas bort. Ta bort eller flytta tillfällena först.",
                before.name, n.0
            )));
        }
        sqlx::query("DELETE FROM activity_type WHERE id = $1 AND year = $2")
            .bind(id)
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
        tx.commit(Entry {
            action: Action::Delete,
            entity: Entity::ActivityType,
            entity_id: &format!("{year}/{id}"),
            before: Some(audit::snapshot(&before)?),
            after: None,
        })
        .await?;
        Ok(())
    }

    async fn plan_or_not_found(&self, year: i32) -> Result<StoredPlan> {
        self.annual_plan(year)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("Det finns ingen årsplan för {year}.")))
    }

    /// Adds an occurrence to the plan of `year`. It is validated against the plan and the
    /// registry first; on any error nothing is written and the Swedish messages are returned.
    pub async fn add_occurrence(&self, year: i32, o: &Occurrence, actor: &Actor) -> Result<i64> {
        self.write_occurrence(year, None, o, actor).await
    }

    /// Replaces occurrence `id` (which must belong to the plan of `year`). Validated like
    /// [`Db::add_occurrence`].
    pub async fn update_occurrence(&self, year: i32, id: i64, o: &Occurrence, actor: &Actor) -> Result<()> {
        self.write_occurrence(year, Some(id), o, actor).await.map(|_| ())
    }

    async fn write_occurrence(
        &self,
        year: i32,
        id: Option<i64>,
        o: &Occurrence,
        actor: &Actor,
    ) -> Result<i64> {
        let stored = self
            .annual_plan(year)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("Det finns ingen årsplan för {year}.")))?;
        let before = match id {
            Some(id) => {
                let i = stored.occurrence_ids.iter().position(|x| *x == id).ok_or_else(|| {
                    StorageError::NotFound(format!("Tillfället finns inte i årsplanen för {year}."))
                })?;
                Some(audit::snapshot(&stored.plan.occurrences[i])?)
            }
            None => None,
        };
        let registry = self.registry().await?;
        let errors = validate_occurrence(&stored.plan, o, &registry, 1);
        if !errors.is_empty() {
            let text: Vec<String> = errors
                .iter()
                .map(|e| match &e.location.field {
                    Some(f) => format!("{f}: {}", e.message),
                    None => e.message.clone(),
                })
                .collect();
            return Err(StorageError::Invalid(text.join("\n")));
        }
        let mut tx = self.audited_write(actor).await?;
        let type_id: (i64,) = sqlx::query_as("SELECT id FROM activity_type WHERE year = $1 AND name = $2")
            .bind(i64::from(year))
            .bind(&o.activity)
            .fetch_one(&mut *tx)
            .await?;
        let (status, reason) = status_parts(&o.status);
        let guests = serde_json::to_string(&o.attendance.guests).unwrap_or_else(|_| "[]".into());
        let id = match id {
            Some(id) => {
                sqlx::query(
                    "UPDATE occurrence SET activity_type_id = $1, title = $2, date = $3, format = $4,
                       status = $5, reason = $6, participants = $7, note = $8, guests_json = $9,
                       updated_at = $10
                     WHERE id = $11",
                )
                .bind(type_id.0)
                .bind(&o.title)
                .bind(o.date.format("%Y-%m-%d").to_string())
                .bind(enum_text(&o.format))
                .bind(status)
                .bind(&reason)
                .bind(o.participants.map(i64::from))
                .bind(&o.note)
                .bind(&guests)
                .bind(now_text())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM occurrence_attendance WHERE occurrence_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            None => {
                let row: (i64,) = sqlx::query_as(
                    "INSERT INTO occurrence (activity_type_id, title, date, format, status, reason,
                       participants, note, guests_json, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(type_id.0)
                .bind(&o.title)
                .bind(o.date.format("%Y-%m-%d").to_string())
                .bind(enum_text(&o.format))
                .bind(status)
                .bind(&reason)
                .bind(o.participants.map(i64::from))
                .bind(&o.note)
                .bind(&guests)
                .bind(now_text())
                .fetch_one(&mut *tx)
                .await?;
                row.0
            }
        };
        let groups: [(&BTreeSet<String>, &str); 3] = [
            (&o.attendance.lsls, "lsl"),
            (&o.attendance.municipalities, "kommun"),
            (&o.attendance.bodies, "organ"),
        ];
        for (codes, kind) in groups {
            for code in codes {
                sqlx::query(
                    "INSERT INTO occurrence_attendance (occurrence_id, org_code, kind) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(code)
                .bind(kind)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit(Entry {
            action: if before.is_some() { Action::Update } else { Action::Create },
            entity: Entity::Occurrence,
            entity_id: &id.to_string(),
            before,
            after: Some(audit::snapshot(o)?),
        })
        .await?;
        Ok(id)
    }
}

/// Stores one activity type of `year` at `position`; returns its id.
async fn insert_activity_type(
    tx: &mut crate::db::Tx<'_>,
    year: i32,
    position: i64,
    t: &ActivityType,
) -> Result<i64> {
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO activity_type (year, position, name, target_group, purpose, format, freq_min,
           freq_max, timing, noun_singular, noun_plural)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(i64::from(year))
    .bind(position)
    .bind(t.name.trim())
    .bind(&t.target_group)
    .bind(&t.purpose)
    .bind(enum_text(&t.format))
    .bind(i64::from(t.frequency.min()))
    .bind(i64::from(t.frequency.max()))
    .bind(t.frequency.timing().unwrap_or(""))
    .bind(&t.noun.singular)
    .bind(&t.noun.plural)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}
