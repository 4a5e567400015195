//! Kolada API v3 over HTTP.
//!
//! [`fetch`] asks Kolada for every active catalogue indicator with a Kolada source, for every
//! organisation that the indicator's comparison group needs (all municipalities and regions from
//! `/v3/municipality`, or a named group, always plus the country `0000`), for the given years.
//! Ids are batched ([`gnv_core::nyckeltal::kolada::data_paths`], at most [`MAX_IDS`] per
//! dimension), pages are followed through `next_page`, and every request is retried with
//! exponential back-off on network errors, 429 and 5xx. Every response body is kept as a
//! [`RawDoc`] for provenance and parsed through the same path as saved files
//! ([`crate::files::add_page`]).

use crate::files::{add_page, check_mapping};
use anyhow::{anyhow, bail, Context, Result};
use gnv_core::nyckeltal::batch::{RawBody, RawDoc, ValueBatch};
use gnv_core::nyckeltal::kolada::{data_paths, parse_municipality_page, KpiMapping};
use gnv_core::nyckeltal::{Catalogue, ComparisonGroup, IndicatorStatus, KpiId};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Kolada's public API.
pub const DEFAULT_BASE_URL: &str = "https://api.kolada.se";
/// Ids per dimension in one data request.
pub const MAX_IDS: usize = 25;

/// An HTTP client for Kolada v3.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    /// Attempts per request (at least 1).
    pub attempts: u32,
    /// First back-off delay; doubled for every retry.
    pub backoff: Duration,
}

impl Client {
    pub fn new(base: &str) -> Result<Self> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("gnv-uppfoljning/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(60))
            .build()
            .context("kunde inte skapa HTTP-klienten")?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_string(),
            attempts: 4,
            backoff: Duration::from_millis(500),
        })
    }

    /// An absolute URL for a path or a `next_page` value (absolute or relative).
    pub fn url(&self, path_or_url: &str) -> String {
        if path_or_url.starts_with("http://") || path_or_url.starts_with("https://") {
            path_or_url.to_string()
        } else if path_or_url.starts_with('/') {
            format!("{}{}", self.base, path_or_url)
        } else {
            format!("{}/{}", self.base, path_or_url)
        }
    }

    /// GET with retries and exponential back-off.
    pub async fn get_text(&self, url: &str) -> Result<String> {
        let mut delay = self.backoff;
        let mut last = String::new();
        for attempt in 1..=self.attempts.max(1) {
            match self.http.get(url).send().await {
                Ok(resp) => {
                    let status = resp.status();
                    if status.is_success() {
                        return resp
                            .text()
                            .await
                            .with_context(|| format!("kunde inte läsa svaret från {url}"));
                    }
                    last = format!("HTTP {status}");
                    if !(status.is_server_error() || status.as_u16() == 429) {
                        bail!("Kolada svarade {status} på {url}");
                    }
                }
                Err(e) => last = e.to_string(),
            }
            if attempt < self.attempts {
                tracing::warn!(%url, attempt, error = %last, "Kolada-anrop misslyckades, försöker igen");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
        }
        Err(anyhow!("Kolada svarade inte efter {} försök ({url}): {last}", self.attempts))
    }

    /// All Kolada organisations (municipalities `K` and regions `L`) as (code, kind).
    pub async fn organisations(&self) -> Result<Vec<(String, Option<String>)>> {
        let mut out = Vec::new();
        let mut next = Some(self.url("/v3/municipality"));
        while let Some(url) = next {
            let body = self.get_text(&url).await?;
            let page = parse_municipality_page(&body).map_err(|e| anyhow!("{url}: {e}"))?;
            out.extend(page.values.into_iter().map(|m| (m.id, m.kind)));
            next = page.next_page.map(|n| self.url(&n));
        }
        Ok(out)
    }
}

/// The organisations to fetch per KPI, grouped so that KPIs with the same organisation set share
/// requests.
pub fn request_groups(
    catalogue: &Catalogue,
    all_orgs: &[(String, Option<String>)],
) -> BTreeMap<Vec<String>, Vec<KpiId>> {
    let everyone: BTreeSet<String> = all_orgs
        .iter()
        .filter(|(id, kind)| matches!(kind.as_deref(), Some("K") | Some("L")) || id.starts_with("00"))
        .map(|(id, _)| id.clone())
        .chain(["0000".to_string()])
        .collect();
    let mut groups: BTreeMap<Vec<String>, BTreeSet<KpiId>> = BTreeMap::new();
    for ind in catalogue.indicators().iter().filter(|i| i.status == IndicatorStatus::Active) {
        let orgs: Vec<String> = match &ind.comparison_group {
            ComparisonGroup::Named { codes, .. } => codes
                .iter()
                .cloned()
                .chain(["0000".to_string()])
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            _ => everyone.iter().cloned().collect(),
        };
        groups.entry(orgs).or_default().extend(ind.kolada_ids().cloned());
    }
    groups.into_iter().filter(|(_, k)| !k.is_empty()).map(|(o, k)| (o, k.into_iter().collect())).collect()
}

/// Fetches all catalogue indicators from Kolada for `years` into a validated batch plus the raw
/// responses. Shows a progress bar on standard error when `progress` is set.
pub async fn fetch(
    client: &Client,
    catalogue: &Catalogue,
    years: &[i32],
    progress: bool,
) -> Result<(ValueBatch, Vec<RawDoc>)> {
    let mapping = KpiMapping::from_catalogue(catalogue);
    check_mapping(&mapping).map_err(|e| anyhow!("{e}"))?;
    let orgs = client.organisations().await?;
    let groups = request_groups(catalogue, &orgs);
    let paths: Vec<String> =
        groups.iter().flat_map(|(orgs, kpis)| data_paths(kpis, orgs, years, MAX_IDS)).collect();
    let bar = if progress { ProgressBar::new(paths.len() as u64) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{spinner} Hämtar från Kolada [{bar:30}] {pos}/{len} anrop, {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let mut batch = ValueBatch::new();
    let mut raw = Vec::new();
    for path in paths {
        let mut next = Some(client.url(&path));
        while let Some(url) = next {
            let body = client.get_text(&url).await?;
            next = add_page(&mut batch, &url, &body, &mapping)
                .map_err(|e| anyhow!("{e}"))?
                .map(|n| client.url(&n));
            raw.push(RawDoc { name: url, body: RawBody::Text(body) });
            bar.set_message(format!("{} värden", batch.len()));
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    crate::files::validate(&mut batch, &raw).map_err(|e| anyhow!("{e}"))?;
    Ok((batch, raw))
}

/// Parses a year range `2015-2025` or a single year `2025`.
pub fn parse_years(s: &str) -> Result<Vec<i32>> {
    let s = s.trim();
    let (a, b) = match s.split_once(['-', '–']) {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (s, s),
    };
    let (a, b): (i32, i32) = (
        a.parse().map_err(|_| anyhow!("\"{s}\" är inget årsintervall (t.ex. 2015-2025)"))?,
        b.parse().map_err(|_| anyhow!("\"{s}\" är inget årsintervall (t.ex. 2015-2025)"))?,
    );
    if a > b || !(1990..=2100).contains(&a) || !(1990..=2100).contains(&b) {
        bail!("\"{s}\" är inget rimligt årsintervall (t.ex. 2015-2025)");
    }
    Ok((a..=b).collect())
}
