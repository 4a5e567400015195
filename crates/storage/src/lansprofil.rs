//! The stored county profile (migration `0014`): one row holding the profile in its documented
//! TOML form, and the `subgoal` table kept equal to the profile's sub-goals.
//!
//! A database without a stored profile (made before migration `0014`, or never given one) uses
//! the built-in profile with the county name of its registry and the stored sub-goals — what
//! such databases have always shown. Changing the sub-goals is refused
//! once self-assessment data exist (answers, imported history or a published report), so old
//! rounds keep the sub-goals they were answered against; the other fields can always change.

use crate::audit::{Action, Actor, Entity, Entry};
use crate::cache::DataVersion;
use crate::{now_text, Db, Result, StorageError};
use gnv_core::lansprofil::{self, CountyProfile};
use std::sync::Arc;

impl Db {
    /// Whether a county profile has been stored (else the built-in one applies).
    pub async fn has_county_profile(&self) -> Result<bool> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM county_profile").fetch_one(self.pool()).await?;
        Ok(n > 0)
    }

    /// The county profile: the stored one, or else the built-in profile with the registry's
    /// county name. A stored profile that no longer parses is damaged data
    /// ([`StorageError::Corrupt`]).
    pub async fn county_profile(&self) -> Result<CountyProfile> {
        let row: Option<(String,)> = sqlx::query_as("SELECT toml FROM county_profile WHERE id = 1")
            .fetch_optional(self.pool())
            .await?;
        match row {
            None => {
                let mut p = CountyProfile::builtin();
                let county: Option<(String,)> =
                    sqlx::query_as("SELECT value FROM setting WHERE key = 'county_name'")
                        .fetch_optional(self.pool())
                        .await?;
                if let Some((name,)) = county.filter(|(n,)| !n.trim().is_empty()) {
                    p.county = lansprofil::short_county_name(&name);
                }
                let stored = self.subgoals().await?;
                if !stored.is_empty() {
                    p.subgoals = stored;
                }
                Ok(p)
            }
            Some((text,)) => {
                lansprofil::parse_toml(&text).map_err(|e| StorageError::Corrupt(format!("länsprofilen: {e}")))
            }
        }
    }

    /// The county profile as of data version `v`: cached, or loaded (see [`crate::cache`]).
    pub async fn county_profile_at(&self, v: DataVersion) -> Result<Arc<CountyProfile>> {
        if let Some(hit) = self.reference_cache().profile.get(v) {
            return Ok(hit);
        }
        let loaded = Arc::new(self.county_profile().await?);
        self.reference_cache().profile.put(v, loaded.clone());
        Ok(loaded)
    }

    /// Stores `profile` (and its sub-goals) in one audited transaction. Refused with a Swedish
    /// message, nothing written, when the sub-goals change after self-assessment data exist.
    pub async fn set_county_profile(&self, profile: &CountyProfile, actor: &Actor) -> Result<()> {
        let before = self.county_profile().await?;
        let mut tx = self.audited_write(actor).await?;
        let stored: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT number, name, statement FROM subgoal ORDER BY number")
                .fetch_all(&mut *tx)
                .await?;
        let same_subgoals = stored.len() == profile.subgoals.len()
            && stored.iter().zip(&profile.subgoals).all(|((n, name, statement), g)| {
                *n == i64::from(g.number) && *name == g.name && *statement == g.statement
            });
        if !same_subgoals {
            let (answers,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM round_response WHERE part = 'sjalvskattning'")
                    .fetch_one(&mut *tx)
                    .await?;
            let (history,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM sjalvskattning_history").fetch_one(&mut *tx).await?;
            let (reports,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM report_publication").fetch_one(&mut *tx).await?;
            if answers + history + reports > 0 {
                return Err(StorageError::Conflict(
                    "Delmålen kan inte ändras när det finns självskattningar, importerad historik eller publicerade årsrapporter: de har besvarats och skrivits mot de nuvarande delmålen. Behåll delmålen i filen (övriga uppgifter kan ändras). Inget har ändrats.".to_string(),
                ));
            }
            sqlx::query("DELETE FROM subgoal").execute(&mut *tx).await?;
            for g in &profile.subgoals {
                sqlx::query("INSERT INTO subgoal (number, name, statement) VALUES ($1, $2, $3)")
                    .bind(i64::from(g.number))
                    .bind(&g.name)
                    .bind(&g.statement)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query(
            "INSERT INTO county_profile (id, toml, updated_at, updated_by) VALUES (1, $1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET toml = excluded.toml, updated_at = excluded.updated_at,
               updated_by = excluded.updated_by",
        )
        .bind(profile.to_toml())
        .bind(now_text())
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::ChangeCountyProfile,
            entity: Entity::CountyProfile,
            entity_id: &profile.county,
            before: Some(serde_json::json!({ "toml": before.to_toml() })),
            after: Some(serde_json::json!({ "toml": profile.to_toml() })),
        })
        .await?;
        Ok(())
    }
}
