//! Kolada KPI ids attached to catalogue indicators from the KPI search (#19, migration `0020`),
//! and a saved `/v3/kpi` response to search offline.
//!
//! Attaching adds the id to the indicator's sources (`kallor`) — the catalogue model, its
//! TOML/JSON and the catalogues frozen with published editions stay exactly as they were — and
//! keeps what Kolada said about the KPI (title, description, sex split, organisation type) in
//! `nyckeltal_kolada_kpi`, so that the admin page can show it and warn where it disagrees with
//! the catalogue entry ([`gnv_core::nyckeltal::kolada::kpi_disagreements`]). Both in one
//! transaction with the audit entry.

use super::{internal, unzlib, zlib};
use crate::audit::{self, Actor, Entry};
use crate::{now_text, Db, Result, StorageError};
use gnv_core::nyckeltal::kolada::KpiMeta;
use gnv_core::nyckeltal::{Catalogue, Indicator, IndicatorCode, KpiId, Source};
use serde_json::json;

/// A KPI id attached to an indicator, with Kolada's description of it at the time.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiAttachment {
    pub indicator: IndicatorCode,
    pub kpi: KpiMeta,
    /// The Kolada address searched, or the saved list's file name.
    pub source: String,
    pub attached_at: String,
    pub attached_by: String,
}

/// The saved `/v3/kpi` response (without its text).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct KpiList {
    pub name: String,
    pub body_size: i64,
    pub kpi_count: i64,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

fn kpi_json(k: &KpiMeta) -> serde_json::Value {
    json!({
        "id": k.id.as_str(),
        "titel": k.title,
        "beskrivning": k.description,
        "könsuppdelad": k.divided_by_gender,
        "organisationstyp": k.municipality_type,
    })
}

fn sources_json(ind: &Indicator) -> serde_json::Value {
    json!(ind.sources.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>())
}

impl Db {
    /// Attaches Kolada KPI `kpi` to indicator `code`: the id is added to the indicator's sources
    /// (unless already there) and Kolada's description is stored, replacing an earlier one for
    /// the same pair. One transaction with the audit entry; the catalogue in force (the built-in
    /// default when none is stored) is stored with the change. Returns the indicator as saved.
    pub async fn nyckeltal_attach_kpi(
        &self,
        code: IndicatorCode,
        kpi: &KpiMeta,
        source: &str,
        actor: &Actor,
    ) -> Result<Indicator> {
        let mut tx = self.audited_write(actor).await?;
        // Read inside the write transaction, so that a concurrent edit is not lost.
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT definition_json FROM nyckeltal_indicator ORDER BY subgoal, number")
                .fetch_all(&mut *tx)
                .await?;
        let stored = !rows.is_empty();
        let mut list: Vec<Indicator> = if stored {
            rows.iter()
                .map(|(j,)| {
                    serde_json::from_str(j)
                        .map_err(|e| internal(format!("Lagrat nyckeltal kunde inte läsas: {e}")))
                })
                .collect::<Result<_>>()?
        } else {
            gnv_core::nyckeltal::default_catalogue().indicators().to_vec()
        };
        let Some(ind) = list.iter_mut().find(|i| i.code == code) else {
            return Err(StorageError::NotFound(format!("Nyckeltal {code} finns inte i katalogen.")));
        };
        let before = sources_json(ind);
        if !ind.kolada_ids().any(|id| *id == kpi.id) {
            ind.sources.push(Source::Kolada(kpi.id.clone()));
        }
        let after_sources = sources_json(ind);
        let saved = ind.clone();
        let catalogue = Catalogue::new(list).map_err(|e| StorageError::Invalid(e.to_string()))?;
        if stored {
            sqlx::query("UPDATE nyckeltal_indicator SET definition_json = $1 WHERE code = $2")
                .bind(serde_json::to_string(&saved).map_err(|e| internal(e.to_string()))?)
                .bind(code.to_string())
                .execute(&mut *tx)
                .await?;
        } else {
            for i in catalogue.indicators() {
                sqlx::query(
                    "INSERT INTO nyckeltal_indicator (code, subgoal, number, title, definition_json)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(i.code.to_string())
                .bind(i64::from(i.code.subgoal()))
                .bind(i64::from(i.code.number()))
                .bind(&i.title)
                .bind(serde_json::to_string(i).map_err(|e| internal(e.to_string()))?)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query(
            "INSERT INTO nyckeltal_kolada_kpi (indicator, kpi, title, description, divided_by_gender,
                 municipality_type, source, attached_at, attached_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (indicator, kpi) DO UPDATE SET title = excluded.title,
                 description = excluded.description, divided_by_gender = excluded.divided_by_gender,
                 municipality_type = excluded.municipality_type, source = excluded.source,
                 attached_at = excluded.attached_at, attached_by = excluded.attached_by",
        )
        .bind(code.to_string())
        .bind(kpi.id.as_str())
        .bind(&kpi.title)
        .bind(kpi.description.clone().unwrap_or_default())
        .bind(kpi.divided_by_gender.map(i64::from))
        .bind(&kpi.municipality_type)
        .bind(source)
        .bind(now_text())
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: audit::Action::LinkKoladaId,
            entity: audit::Entity::Indicator,
            entity_id: &code.to_string(),
            before: Some(json!({ "källor": before })),
            after: Some(json!({ "källor": after_sources, "kolada": kpi_json(kpi), "hämtat från": source })),
        })
        .await?;
        Ok(saved)
    }

    /// Every stored attachment, by indicator and KPI id.
    pub async fn nyckeltal_kpi_attachments(&self) -> Result<Vec<KpiAttachment>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            String,
            String,
            String,
            String,
            Option<i64>,
            Option<String>,
            String,
            String,
            String,
        )> = sqlx::query_as(
            "SELECT indicator, kpi, title, description, divided_by_gender, municipality_type,
                        source, attached_at, attached_by
                 FROM nyckeltal_kolada_kpi ORDER BY indicator, kpi",
        )
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (indicator, kpi, title, description, gender, mtype, source, at, by) in rows {
            let indicator: IndicatorCode = indicator.parse().map_err(internal)?;
            let id = KpiId::parse(&kpi).map_err(internal)?;
            out.push(KpiAttachment {
                indicator,
                kpi: KpiMeta {
                    id,
                    title,
                    description: Some(description).filter(|d| !d.is_empty()),
                    divided_by_gender: gender.map(|g| g != 0),
                    municipality_type: mtype,
                },
                source,
                attached_at: at,
                attached_by: by,
            });
        }
        // Text order of the stored codes is not numeric order ("1.10" before "1.2").
        out.sort_by(|a, b| (a.indicator, a.kpi.id.as_str()).cmp(&(b.indicator, b.kpi.id.as_str())));
        Ok(out)
    }

    /// Stores a saved `/v3/kpi` response (already read: `kpi_count` KPIs) for searching offline,
    /// replacing an earlier one. Audited.
    pub async fn nyckeltal_save_kpi_list(
        &self,
        name: &str,
        text: &str,
        kpi_count: i64,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        // The list replaced, read inside the write transaction (for the audit entry).
        let before: Option<(String, i64)> =
            sqlx::query_as("SELECT name, kpi_count FROM nyckeltal_kolada_kpi_list WHERE id = 1")
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM nyckeltal_kolada_kpi_list").execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO nyckeltal_kolada_kpi_list (id, name, body_zlib, body_size, kpi_count, uploaded_at, uploaded_by)
             VALUES (1, $1, $2, $3, $4, $5, $6)",
        )
        .bind(name)
        .bind(zlib(text.as_bytes()))
        .bind(text.len() as i64)
        .bind(kpi_count)
        .bind(now_text())
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: audit::Action::SaveKoladaKpiList,
            entity: audit::Entity::KoladaKpiList,
            entity_id: "lista",
            before: before.map(|(file, count)| json!({"fil": file, "kpi": count})),
            after: Some(json!({"fil": name, "kpi": kpi_count, "byte": text.len()})),
        })
        .await
    }

    /// The saved KPI list's description, if one is stored.
    pub async fn nyckeltal_kpi_list(&self) -> Result<Option<KpiList>> {
        Ok(sqlx::query_as::<_, KpiList>(
            "SELECT name, body_size, kpi_count, uploaded_at, uploaded_by FROM nyckeltal_kolada_kpi_list WHERE id = 1",
        )
        .fetch_optional(self.pool())
        .await?)
    }

    /// The saved KPI list's text, if one is stored.
    pub async fn nyckeltal_kpi_list_text(&self) -> Result<Option<String>> {
        let row: Option<(Vec<u8>,)> =
            sqlx::query_as("SELECT body_zlib FROM nyckeltal_kolada_kpi_list WHERE id = 1")
                .fetch_optional(self.pool())
                .await?;
        row.map(|(bytes,)| {
            unzlib(&bytes).map_err(|e| internal(format!("Den sparade KPI-listan kunde inte läsas: {e}")))
        })
        .transpose()
    }
}
