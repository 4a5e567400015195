//! The organisation names a published indicator edition shows are frozen with it (#16): at
//! publishing, the registry is stored beside the catalogue and the values
//! (`nyckeltal_edition.registry_json`, migration `0010`); pages and the open data of a published
//! edition name organisations from it, so renaming an organisation later does not change what a
//! published edition says. Editions published before have no frozen registry (`None`): they
//! keep showing the current names.

use crate::cache::BoundedCache;
use crate::{Db, Result, StorageError};
use gnv_core::organisation::Registry;
use std::sync::{Arc, OnceLock};

type NamesCache = BoundedCache<Option<Arc<Registry>>>;

/// Frozen registries by edition uid: immutable content under its identity (an edition is never
/// changed once published), so a cached entry cannot go stale.
fn cache() -> &'static NamesCache {
    static CACHE: OnceLock<NamesCache> = OnceLock::new();
    CACHE.get_or_init(|| BoundedCache::new(64))
}

impl Db {
    /// The registry the published edition `uid` was published with; `None` for an edition
    /// published before names were frozen, or for a preview (empty uid).
    pub async fn nyckeltal_edition_registry(&self, uid: &str) -> Result<Option<Arc<Registry>>> {
        if uid.is_empty() {
            return Ok(None);
        }
        if let Some(hit) = cache().get(uid) {
            return Ok(hit);
        }
        let row: Option<(String,)> =
            sqlx::query_as("SELECT registry_json FROM nyckeltal_edition WHERE uid = $1")
                .bind(uid)
                .fetch_optional(self.pool())
                .await?;
        let registry = match row {
            Some((json,)) if !json.is_empty() => {
                Some(Arc::new(serde_json::from_str::<Registry>(&json).map_err(|e| {
                    StorageError::Corrupt(format!("Utgåvans organisationsnamn kunde inte läsas: {e}"))
                })?))
            }
            _ => None,
        };
        cache().insert(uid, registry.clone());
        Ok(registry)
    }
}
