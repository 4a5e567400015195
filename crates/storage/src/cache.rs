//! Reference data cached in memory and validated against the database on every use.
//!
//! Why a cached value can be trusted: every write to the database happens in one transaction
//! together with its audit entry (an invariant, see docs/ARCHITECTURE.md), that transaction holds
//! the database's write lock from its start ([`crate::db::Pool::begin`]: `BEGIN IMMEDIATE` on
//! SQLite, the advisory lock on PostgreSQL; [`crate::audit::record`] only takes such a
//! transaction), so write transactions run one at a time, and audit entries are never deleted. So the newest audit entry's id — the *data version* — grows with every write
//! that commits, in commit order. A value read after reading version `v` reflects at least every
//! write up to `v`; while the version is still `v`, no write has committed since, so the value is
//! current. A reader therefore reads the version (one query: the largest primary key), reuses the
//! cached value when it was loaded at that version, and otherwise loads and caches it under the
//! version read *before* loading. This holds on every instance: a write on another instance
//! changes the version that everyone reads.
//!
//! Only data that changes through audited writes may be cached here. Unaudited writes (sessions,
//! log-in attempts, the mail log) must never feed a cached value. The caches are per [`crate::Db`]
//! (per pool), so two databases in one process never share entries.

use crate::nyckeltal::EditionMeta;
use crate::{Db, Result};
use gnv_core::delmal::SubGoal;
use gnv_core::organisation::Registry;
use std::sync::{Arc, Mutex};

/// The data version: the id of the newest audit entry (0 before the first write).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataVersion(i64);

/// One cached value with the version it was loaded at.
#[derive(Debug)]
pub(crate) struct Slot<T>(Mutex<Option<(DataVersion, Arc<T>)>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(Mutex::new(None))
    }
}

impl<T> Slot<T> {
    pub(crate) fn get(&self, v: DataVersion) -> Option<Arc<T>> {
        match &*self.0.lock().ok()? {
            Some((at, value)) if *at == v => Some(value.clone()),
            _ => None,
        }
    }
    pub(crate) fn put(&self, v: DataVersion, value: Arc<T>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some((v, value));
        }
    }
}

/// The reference data caches of one [`Db`].
#[derive(Debug, Default)]
pub(crate) struct ReferenceCache {
    registry: Slot<Registry>,
    subgoals: Slot<Vec<SubGoal>>,
    editions: Slot<Vec<EditionMeta>>,
    demo: Slot<bool>,
    pub(crate) profile: Slot<gnv_core::lansprofil::CountyProfile>,
}

impl Db {
    /// Reads the current [`DataVersion`] (see the module documentation).
    pub async fn data_version(&self) -> Result<DataVersion> {
        let (id,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetch_one(self.pool()).await?;
        Ok(DataVersion(id))
    }

    /// The registry as of version `v` (read with [`Db::data_version`] before): cached, or loaded
    /// (an error, e.g. no registry installed yet, is not cached).
    pub async fn registry_at(&self, v: DataVersion) -> Result<Arc<Registry>> {
        if let Some(hit) = self.reference_cache().registry.get(v) {
            return Ok(hit);
        }
        let loaded = Arc::new(self.registry().await?);
        self.reference_cache().registry.put(v, loaded.clone());
        Ok(loaded)
    }

    /// The sub-goals as of version `v`: cached, or loaded.
    pub async fn subgoals_at(&self, v: DataVersion) -> Result<Arc<Vec<SubGoal>>> {
        if let Some(hit) = self.reference_cache().subgoals.get(v) {
            return Ok(hit);
        }
        let loaded = Arc::new(self.subgoals().await?);
        self.reference_cache().subgoals.put(v, loaded.clone());
        Ok(loaded)
    }

    /// The published editions (newest first) as of version `v`: cached, or loaded.
    pub async fn nyckeltal_editions_at(&self, v: DataVersion) -> Result<Arc<Vec<EditionMeta>>> {
        if let Some(hit) = self.reference_cache().editions.get(v) {
            return Ok(hit);
        }
        let loaded = Arc::new(self.nyckeltal_editions().await?);
        self.reference_cache().editions.put(v, loaded.clone());
        Ok(loaded)
    }

    /// Whether demo data is loaded, as of version `v`: cached, or loaded.
    pub async fn nyckeltal_has_demo_data_at(&self, v: DataVersion) -> Result<bool> {
        if let Some(hit) = self.reference_cache().demo.get(v) {
            return Ok(*hit);
        }
        let loaded = self.nyckeltal_has_demo_data().await?;
        self.reference_cache().demo.put(v, Arc::new(loaded));
        Ok(loaded)
    }
}

/// A small map from a text key to a value that never goes stale under its key (the key is the
/// content itself, or the identity of something immutable such as a published edition's uid),
/// bounded by entry count: when full, it is emptied before the next insert. Shared by the
/// parsed questionnaire definitions (`rapportering`) and the frozen registries of published
/// editions (`utgavenamn`). A poisoned lock makes it a miss, never an error.
#[derive(Debug)]
pub(crate) struct BoundedCache<V> {
    limit: usize,
    map: Mutex<std::collections::HashMap<String, V>>,
}

impl<V: Clone> BoundedCache<V> {
    /// A cache of at most `limit` entries.
    pub(crate) fn new(limit: usize) -> Self {
        BoundedCache { limit, map: Mutex::new(std::collections::HashMap::new()) }
    }

    /// The value cached under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<V> {
        self.map.lock().ok().and_then(|m| m.get(key).cloned())
    }

    /// Caches `value` under `key`; a full cache is emptied first.
    pub(crate) fn insert(&self, key: &str, value: V) {
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= self.limit {
                m.clear();
            }
            m.insert(key.to_string(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BoundedCache;

    #[test]
    fn a_bounded_cache_returns_what_was_put_under_the_key() {
        let cache = BoundedCache::new(4);
        assert_eq!(cache.get("a"), None);
        cache.insert("a", 1);
        cache.insert("b", 2);
        cache.insert("a", 3);
        assert_eq!((cache.get("a"), cache.get("b"), cache.get("c")), (Some(3), Some(2), None));
    }

    #[test]
    fn a_full_bounded_cache_is_emptied_before_the_next_new_entry() {
        let cache = BoundedCache::new(2);
        cache.insert("a", 1);
        cache.insert("b", 2);
        assert_eq!((cache.get("a"), cache.get("b")), (Some(1), Some(2)));
        cache.insert("c", 3);
        assert_eq!((cache.get("a"), cache.get("b"), cache.get("c")), (None, None, Some(3)));
    }
}
