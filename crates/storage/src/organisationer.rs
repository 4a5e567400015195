//! The organisation registry and the five sub-goals.

use crate::audit::{self, Action, Actor, Entity, Entry};
use crate::{Db, Result, StorageError};
use gnv_core::delmal::SubGoal;
use gnv_core::organisation::{Lsl, OrgKind, Organisation, Registry};
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeSet;

fn kind_from_db(s: &str) -> OrgKind {
    OrgKind::parse(s).unwrap_or(OrgKind::Organ)
}

fn org_from_row(r: &crate::db::DbRow) -> Organisation {
    Organisation {
        code: r.get("code"),
        kind: kind_from_db(r.get::<String, _>("kind").as_str()),
        name: r.get("name"),
        short_name: r.get("short_name"),
        description: r.get("description"),
    }
}

/// One organisation with its relations, for the detail page.
#[derive(Debug, Clone)]
pub struct OrgDetail {
    pub org: Organisation,
    /// For an LSL: its member municipalities.
    pub members: Vec<Organisation>,
    /// For a municipality: its LSL.
    pub lsl: Option<Organisation>,
}

impl Db {
    /// Whether the registry has been installed.
    pub async fn has_registry(&self) -> Result<bool> {
        let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisation").fetch_one(self.pool()).await?;
        Ok(n.0 > 0)
    }

    /// Installs or replaces the registry (organisations, LSL memberships, sub-goals) in one
    /// transaction. Organisations missing from the new registry are removed only when nothing
    /// refers to them; otherwise the whole import is refused and nothing changes.
    pub async fn install_registry(
        &self,
        registry: &Registry,
        subgoals: &[SubGoal],
        actor: &Actor,
    ) -> Result<()> {
        registry.validate().map_err(|e| StorageError::Invalid(e.to_string()))?;
        let before =
            if self.has_registry().await? { Some(audit::snapshot(&self.registry().await?)?) } else { None };
        let mut tx = self.audited_write(actor).await?;
        let all = registry.all_organisations();
        let new_codes: BTreeSet<&str> = all.iter().map(|o| o.code.as_str()).collect();
        sqlx::query("DELETE FROM lsl_member").execute(&mut *tx).await?;
        let existing: Vec<(String,)> =
            sqlx::query_as("SELECT code FROM organisation").fetch_all(&mut *tx).await?;
        for (code,) in existing {
            if !new_codes.contains(code.as_str()) {
                sqlx::query("DELETE FROM organisation WHERE code = $1")
                    .bind(&code)
                    .execute(&mut *tx)
                    .await
                    .map_err(|_| {
                        StorageError::Conflict(format!(
                            "Organisationen {code} saknas i den nya filen men används fortfarande (t.ex. av en användare) och kan inte tas bort. Inget har ändrats."
                        ))
                    })?;
            }
        }
        for (i, o) in all.iter().enumerate() {
            sqlx::query(
                "INSERT INTO organisation (code, kind, name, short_name, description, sort_order)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                   short_name = excluded.short_name, description = excluded.description,
                   sort_order = excluded.sort_order",
            )
            .bind(&o.code)
            .bind(o.kind.as_str())
            .bind(&o.name)
            .bind(&o.short_name)
            .bind(&o.description)
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
        }
        for l in &registry.lsls {
            for m in &l.municipalities {
                sqlx::query("INSERT INTO lsl_member (lsl_code, municipality_code) VALUES ($1, $2)")
                    .bind(&l.code)
                    .bind(m)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for g in subgoals {
            sqlx::query(
                "INSERT INTO subgoal (number, name, statement) VALUES ($1, $2, $3)
                 ON CONFLICT (number) DO UPDATE SET name = excluded.name, statement = excluded.statement",
            )
            .bind(g.number as i64)
            .bind(&g.name)
            .bind(&g.statement)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO setting (key, value) VALUES ('county_name', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(&registry.county_name)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: if before.is_some() { Action::ReplaceRegistry } else { Action::InstallRegistry },
            entity: Entity::Registry,
            entity_id: &registry.region.code,
            before,
            after: Some(audit::snapshot(registry)?),
        })
        .await?;
        Ok(())
    }

    /// Loads the whole registry.
    pub async fn registry(&self) -> Result<Registry> {
        let rows = sqlx::query(
            "SELECT code, kind, name, short_name, description FROM organisation ORDER BY sort_order, name",
        )
        .fetch_all(self.pool())
        .await?;
        let orgs: Vec<Organisation> = rows.iter().map(org_from_row).collect();
        let region =
            orgs.iter().find(|o| o.kind == OrgKind::Region).cloned().ok_or_else(|| {
                StorageError::NotFound("Organisationsregistret är inte installerat.".into())
            })?;
        let members: Vec<(String, String)> =
            sqlx::query_as("SELECT lsl_code, municipality_code FROM lsl_member ORDER BY municipality_code")
                .fetch_all(self.pool())
                .await?;
        let lsls = orgs
            .iter()
            .filter(|o| o.kind == OrgKind::Lsl)
            .map(|o| Lsl {
                code: o.code.clone(),
                name: o.name.clone(),
                municipalities: members
                    .iter()
                    .filter(|(l, _)| *l == o.code)
                    .map(|(_, m)| m.clone())
                    .collect(),
            })
            .collect();
        Ok(Registry {
            county_name: self.setting("county_name").await?.unwrap_or_else(|| region.name.clone()),
            region,
            municipalities: orgs.iter().filter(|o| o.kind == OrgKind::Kommun).cloned().collect(),
            lsls,
            bodies: orgs.iter().filter(|o| o.kind == OrgKind::Organ).cloned().collect(),
        })
    }

    /// One organisation, if it exists.
    pub async fn organisation(&self, code: &str) -> Result<Option<Organisation>> {
        let row =
            sqlx::query("SELECT code, kind, name, short_name, description FROM organisation WHERE code = $1")
                .bind(code)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.as_ref().map(org_from_row))
    }

    /// One organisation with its LSL relations.
    pub async fn organisation_detail(&self, code: &str) -> Result<Option<OrgDetail>> {
        let Some(org) = self.organisation(code).await? else {
            return Ok(None);
        };
        let members = sqlx::query(
            "SELECT o.code, o.kind, o.name, o.short_name, o.description FROM lsl_member m
             JOIN organisation o ON o.code = m.municipality_code WHERE m.lsl_code = $1 ORDER BY o.name",
        )
        .bind(code)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(org_from_row)
        .collect();
        let lsl = sqlx::query(
            "SELECT o.code, o.kind, o.name, o.short_name, o.description FROM lsl_member m
             JOIN organisation o ON o.code = m.lsl_code WHERE m.municipality_code = $1",
        )
        .bind(code)
        .fetch_optional(self.pool())
        .await?
        .as_ref()
        .map(org_from_row);
        Ok(Some(OrgDetail { org, members, lsl }))
    }

    /// Updates an organisation's names and description (the code and kind are fixed).
    pub async fn update_organisation(
        &self,
        code: &str,
        name: &str,
        short_name: &str,
        description: &str,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        let before =
            sqlx::query("SELECT code, kind, name, short_name, description FROM organisation WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?
                .as_ref()
                .map(org_from_row)
                .ok_or_else(|| StorageError::NotFound(format!("Organisationen {code} finns inte.")))?;
        sqlx::query("UPDATE organisation SET name = $1, short_name = $2, description = $3 WHERE code = $4")
            .bind(name)
            .bind(short_name)
            .bind(description)
            .bind(code)
            .execute(&mut *tx)
            .await?;
        let after = Organisation {
            name: name.to_string(),
            short_name: short_name.to_string(),
            description: description.to_string(),
            ..before.clone()
        };
        tx.commit(Entry {
            action: Action::Update,
            entity: Entity::Organisation,
            entity_id: code,
            before: Some(json!(before)),
            after: Some(json!(after)),
        })
        .await?;
        Ok(())
    }

    /// Replaces the member municipalities of an LSL. Every municipality must stay in exactly one
    /// LSL, so a municipality moved here is taken from its previous LSL, and an LSL may not be
    /// left empty.
    pub async fn set_lsl_members(&self, lsl_code: &str, members: &[String], actor: &Actor) -> Result<()> {
        let mut registry = self.registry().await?;
        let before = registry.clone();
        let Some(idx) = registry.lsls.iter().position(|l| l.code == lsl_code) else {
            return Err(StorageError::NotFound(format!("Den lokala systemledningen {lsl_code} finns inte.")));
        };
        for l in registry.lsls.iter_mut() {
            l.municipalities.retain(|m| !members.contains(m));
        }
        registry.lsls[idx].municipalities = members.to_vec();
        registry.validate().map_err(|e| StorageError::Invalid(e.to_string()))?;
        let mut tx = self.audited_write(actor).await?;
        sqlx::query("DELETE FROM lsl_member").execute(&mut *tx).await?;
        for l in &registry.lsls {
            for m in &l.municipalities {
                sqlx::query("INSERT INTO lsl_member (lsl_code, municipality_code) VALUES ($1, $2)")
                    .bind(&l.code)
                    .bind(m)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit(Entry {
            action: Action::ChangeMembers,
            entity: Entity::LocalSteering,
            entity_id: lsl_code,
            before: Some(json!(before.lsls)),
            after: Some(json!(registry.lsls)),
        })
        .await?;
        Ok(())
    }

    /// The five sub-goals.
    pub async fn subgoals(&self) -> Result<Vec<SubGoal>> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT number, name, statement FROM subgoal ORDER BY number")
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(n, name, statement)| SubGoal { number: n as u8, name, statement })
            .collect())
    }
}
