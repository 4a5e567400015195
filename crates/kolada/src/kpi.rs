//! Finding Kolada KPI ids for the catalogue (#19): Kolada's KPI list searched by title, online
//! (`/v3/kpi?title=…`, every page through `next_page`, cached per search text for the process)
//! or offline from a saved `/v3/kpi` response. The matching and the warnings where Kolada's
//! description disagrees with a catalogue indicator are pure
//! ([`gnv_core::nyckeltal::kolada::search_kpis`], [`gnv_core::nyckeltal::kolada::kpi_disagreements`]).

use crate::client::Client;
use anyhow::{anyhow, Context, Result};
use gnv_core::nyckeltal::kolada::{parse_kpi_page, search_kpis, KpiMeta};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// Pages followed for one search at most (Kolada pages hold up to 5 000 KPIs).
const MAX_PAGES: usize = 20;

/// Online results by (base URL, search text); Kolada's KPI list changes a few times a year.
fn cache() -> &'static Mutex<HashMap<(String, String), Vec<KpiMeta>>> {
    static CACHE: OnceLock<Mutex<HashMap<(String, String), Vec<KpiMeta>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Searches Kolada's KPI list online: `/v3/kpi?title=TEXT`, every page, then the same matching
/// as offline (so both give the same answer for the same list). Cached per text.
pub async fn search_online(client: &Client, text: &str) -> Result<Vec<KpiMeta>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let key = (client.url("/v3/kpi"), text.to_lowercase());
    if let Some(hit) = cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(hit);
    }
    let mut url = reqwest::Url::parse(&client.url("/v3/kpi")).context("ogiltig Kolada-adress")?;
    url.query_pairs_mut().append_pair("title", text);
    let mut next = Some(url.to_string());
    let mut all = Vec::new();
    let mut pages = 0;
    while let Some(u) = next.take() {
        pages += 1;
        if pages > MAX_PAGES {
            return Err(anyhow!("Kolada gav fler än {MAX_PAGES} sidor för \"{text}\"; sök mer precist."));
        }
        let body = client.get_text(&u).await?;
        let page = parse_kpi_page(&body).map_err(|e| anyhow!("Koladas svar på {u} kunde inte läsas: {e}"))?;
        all.extend(page.values);
        next = page.next_page.map(|n| client.url(&n));
    }
    let found: Vec<KpiMeta> = search_kpis(&all, text).into_iter().cloned().collect();
    if let Ok(mut c) = cache().lock() {
        if c.len() >= 256 {
            c.clear();
        }
        c.insert(key, found.clone());
    }
    Ok(found)
}

/// The KPIs of a saved `/v3/kpi` response (the whole list, or any page of it).
pub fn read_file(path: &Path) -> Result<Vec<KpiMeta>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("kunde inte läsa {}", path.display()))?;
    parse_text(&text, &path.display().to_string())
}

/// The KPIs of a saved `/v3/kpi` response given as text (an upload); `name` for messages.
pub fn parse_text(text: &str, name: &str) -> Result<Vec<KpiMeta>> {
    Ok(parse_kpi_page(text).map_err(|e| anyhow!("{}", e.with_file(name)))?.values)
}

/// Searches a saved KPI list offline.
pub fn search_list(list: &[KpiMeta], text: &str) -> Vec<KpiMeta> {
    search_kpis(list, text).into_iter().cloned().collect()
}
