//! Rounds per year, their parts and every organisation's assignment with status: creating a
//! round, the generic status API for all parts, reopening a part.

use super::*;

impl Db {
    /// Opens the round of `year` with `parts`, assigning each part to every organisation of its
    /// kind in `registry` (LSLs or municipalities). Self-assessment and mapping use the newest
    /// stored form version.
    pub async fn create_round(
        &self,
        year: i32,
        deadline: &str,
        parts: &[Part],
        registry: &Registry,
        actor: &Actor,
    ) -> Result<RoundRow> {
        if !(2000..=2100).contains(&year) {
            return Err(StorageError::Invalid(format!("Året {year} är inte rimligt.")));
        }
        let deadline = chrono::NaiveDate::parse_from_str(deadline.trim(), "%Y-%m-%d")
            .map_err(|_| {
                StorageError::Invalid(format!("Sista svarsdag \"{deadline}\" ska skrivas ÅÅÅÅ-MM-DD."))
            })?
            .to_string();
        if parts.is_empty() {
            return Err(StorageError::Invalid("Välj minst en del för omgången.".into()));
        }
        self.ensure_standard_forms().await?;
        let mut tx = self.audited_write(actor).await?;
        let exists: Option<(i64,)> = sqlx::query_as("SELECT from_data FROM report_round WHERE year = $1")
            .bind(year)
            .fetch_optional(&mut *tx)
            .await?;
        let now = now_text();
        let title = format!("Rapporteringsomgång {year}");
        match exists {
            // A closed round made from imported data of the year is adopted: it opens with the
            // deadline given, keeps its parts and their statuses, and gets the parts asked for.
            Some((1,)) => {
                sqlx::query(
                    "UPDATE report_round SET title = $1, deadline = $2, opened_at = $3, opened_by = $4,
                       closed_at = NULL, closed_by = NULL, from_data = 0 WHERE year = $5",
                )
                .bind(&title)
                .bind(&deadline)
                .bind(&now)
                .bind(&actor.username)
                .bind(year)
                .execute(&mut *tx)
                .await?;
            }
            Some(_) => {
                return Err(StorageError::Conflict(format!(
                    "Det finns redan en rapporteringsomgång för {year}."
                )));
            }
            None => {
                sqlx::query(
                    "INSERT INTO report_round (year, title, deadline, opened_at, opened_by) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(year)
                .bind(&title)
                .bind(&deadline)
                .bind(&now)
                .bind(&actor.username)
                .execute(&mut *tx)
                .await?;
            }
        }
        let mut sorted = parts.to_vec();
        sorted.sort();
        sorted.dedup();
        let held: Vec<(String,)> = sqlx::query_as("SELECT part FROM round_part WHERE year = $1")
            .bind(year)
            .fetch_all(&mut *tx)
            .await?;
        for part in &sorted {
            if held.iter().any(|(p,)| p == part.code()) {
                continue;
            }
            let (version,): (Option<i64>,) =
                sqlx::query_as("SELECT MAX(version) FROM form_definition WHERE part = $1")
                    .bind(part.code())
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query("INSERT INTO round_part (year, part, form_version) VALUES ($1, $2, $3)")
                .bind(year)
                .bind(part.code())
                .bind(version.unwrap_or(0))
                .execute(&mut *tx)
                .await?;
            let orgs: Vec<String> = match part.assignee() {
                Assignee::Lsl => registry.lsls.iter().map(|l| l.code.clone()).collect(),
                Assignee::Kommun => registry.municipalities.iter().map(|m| m.code.clone()).collect(),
            };
            for org in orgs {
                sqlx::query(
                    "INSERT INTO round_assignment (year, part, org_code, status, updated_at) VALUES ($1, $2, $3, 'ej_paborjad', $4)",
                )
                .bind(year)
                .bind(part.code())
                .bind(&org)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            }
        }
        sorted.extend(held.iter().filter_map(|(p,)| Part::parse(p)));
        sorted.sort();
        sorted.dedup();
        let row = RoundRow {
            year,
            title,
            deadline,
            opened_at: now,
            parts: sorted,
            closed_at: None,
            closed_by: None,
        };
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::Round,
            entity_id: &year.to_string(),
            before: None,
            after: Some(json!(row)),
        })
        .await?;
        Ok(row)
    }

    /// All rounds, newest first.
    pub async fn rounds(&self) -> Result<Vec<RoundRow>> {
        let rows =
            sqlx::query("SELECT year, title, deadline, opened_at, closed_at, closed_by FROM report_round ORDER BY year DESC")
                .fetch_all(self.pool())
                .await?;
        let mut out = Vec::new();
        for r in rows {
            // Bound as i32 like every other use of this statement: on PostgreSQL a cached
            // statement refuses a parameter of another width than it was prepared with.
            let year = r.get::<i64, _>("year") as i32;
            let parts: Vec<(String,)> = sqlx::query_as("SELECT part FROM round_part WHERE year = $1")
                .bind(year)
                .fetch_all(self.pool())
                .await?;
            let mut parts: Vec<Part> = parts.iter().filter_map(|p| Part::parse(&p.0)).collect();
            parts.sort();
            out.push(RoundRow {
                year,
                title: r.get("title"),
                deadline: r.get("deadline"),
                opened_at: r.get("opened_at"),
                parts,
                closed_at: r.get("closed_at"),
                closed_by: r.get("closed_by"),
            });
        }
        Ok(out)
    }

    /// One round.
    pub async fn round(&self, year: i32) -> Result<Option<RoundRow>> {
        let Some(r) = sqlx::query(
            "SELECT year, title, deadline, opened_at, closed_at, closed_by FROM report_round WHERE year = $1",
        )
        .bind(year)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        let parts: Vec<(String,)> = sqlx::query_as("SELECT part FROM round_part WHERE year = $1")
            .bind(year)
            .fetch_all(self.pool())
            .await?;
        let mut parts: Vec<Part> = parts.iter().filter_map(|p| Part::parse(&p.0)).collect();
        parts.sort();
        Ok(Some(RoundRow {
            year,
            title: r.get("title"),
            deadline: r.get("deadline"),
            opened_at: r.get("opened_at"),
            parts,
            closed_at: r.get("closed_at"),
            closed_by: r.get("closed_by"),
        }))
    }

    /// Every assignment of a round with response counts, by part then organisation code.
    pub async fn round_assignments(&self, year: i32) -> Result<Vec<AssignmentRow>> {
        let rows = sqlx::query(
            "SELECT a.year, a.part, a.org_code, a.status, a.updated_at, a.submitted_at, a.reopen_reason,
               (SELECT COUNT(*) FROM round_response r WHERE r.year = a.year AND r.part = a.part
                  AND r.org_code = a.org_code AND r.status = 'inskickad') AS submitted_responses,
               (SELECT COUNT(*) FROM round_response r WHERE r.year = a.year AND r.part = a.part
                  AND r.org_code = a.org_code AND r.status <> 'inskickad') AS draft_responses
             FROM round_assignment a WHERE a.year = $1 ORDER BY a.part, a.org_code",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AssignmentRow {
                    year: r.get::<i64, _>("year") as i32,
                    part: part_of(r.get("part"))?,
                    org_code: r.get("org_code"),
                    status: status_of(r.get("status"))?,
                    updated_at: r.get("updated_at"),
                    submitted_at: r.get("submitted_at"),
                    reopen_reason: r.get("reopen_reason"),
                    submitted_responses: r.get("submitted_responses"),
                    draft_responses: r.get("draft_responses"),
                })
            })
            .collect()
    }

    /// The status of one organisation's part (generic API, see the module docs). A plain read:
    /// it does not take the write lock (a single statement sees one committed state).
    pub async fn round_part_status(&self, year: i32, part: Part, org: &str) -> Result<Status> {
        assignment_status_on(self.pool(), year, part, org).await
    }

    /// Sets the status of one organisation's part directly, audited (generic API).
    pub async fn set_round_part_status(
        &self,
        year: i32,
        part: Part,
        org: &str,
        status: Status,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        let before = assignment_status(tx.tx(), year, part, org).await?;
        write_status(tx.tx(), year, part, org, before, status, "", actor).await?;
        tx.finish().await?;
        Ok(())
    }

    /// Applies a checked transition, audited (generic API).
    pub async fn apply_round_part_event(
        &self,
        year: i32,
        part: Part,
        org: &str,
        event: Event,
        actor: &Actor,
    ) -> Result<Status> {
        let mut tx = self.audited_write(actor).await?;
        let s = apply_part_event_tx(tx.tx(), year, part, org, event, actor).await?;
        tx.finish().await?;
        Ok(s)
    }

    /// Reopens a submitted part with a reason: the assignment becomes återöppnad and every
    /// submitted response of the organisation is unlocked. Audited with the reason.
    pub async fn reopen_part(
        &self,
        year: i32,
        part: Part,
        org: &str,
        reason: &str,
        actor: &Actor,
    ) -> Result<()> {
        let reason =
            gnv_core::rapportering::check_reason(reason).map_err(|e| StorageError::Invalid(e.to_string()))?;
        let mut tx = self.audited_write(actor).await?;
        let before = assignment_status(tx.tx(), year, part, org).await?;
        let closed: Option<(Option<String>, String)> =
            sqlx::query_as("SELECT closed_at, deadline FROM report_round WHERE year = $1")
                .bind(year)
                .fetch_optional(&mut *tx)
                .await?;
        let round_closed = closed.is_some_and(|(at, deadline)| {
            livscykel::round_state(
                crate::omgang::deadline_date(&deadline),
                at.is_some(),
                crate::omgang::today(),
            ) == RoundState::Stangd
        });
        // In a closed round an admin may also let an organisation that never submitted answer
        // late: its part becomes återöppnad like a reopened one.
        let after = match before {
            Status::EjPaborjad | Status::Utkast if round_closed => Status::Ateroppnad,
            _ => before.after(Event::Reopen).map_err(|e| StorageError::Conflict(e.to_string()))?,
        };
        write_status(tx.tx(), year, part, org, before, after, &reason, actor).await?;
        sqlx::query(
            "UPDATE round_response SET status = 'ateroppnad', updated_at = $1
             WHERE year = $2 AND part = $3 AND org_code = $4 AND status = 'inskickad'",
        )
        .bind(now_text())
        .bind(year)
        .bind(part.code())
        .bind(org)
        .execute(&mut *tx)
        .await?;
        tx.finish().await?;
        Ok(())
    }
}
