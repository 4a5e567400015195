//! Pages of the module "Nyckeltal och infografik". Routes are declared in [`routes`].
//!
//! - `/nyckeltal` — editions, edition and focus chooser, comparison of editions.
//! - `/nyckeltal/{ar}?fokus=0020` — the infographic: 20 tiles grouped by sub-goal (value, unit,
//!   period, arrow *and* words, comparison colour *and* the words "i jämförelse med andra"),
//!   the same as a table, the edition's Swedish summary; CSV/XLSX of the table. A year that is
//!   not published is shown as a clearly marked preview of the current values.
//! - `/nyckeltal/{ar}/{nyckeltal}` — one indicator: trend (focus, county, country) and a comparison
//!   over the county's municipalities in alphabetical order (no league table), each chart with
//!   its table; SVG/PNG/CSV/XLSX downloads under `/nyckeltal/{ar}/{nyckeltal}/{fil}`.
//! - `/nyckeltal/admin…` — publish, import (Kolada JSON, CSV/XLSX), catalogue (TOML, edit).
//! - `GET /api/v1/infographic/{ar}/summary?focus=0020` — the summary as JSON.
//!
//! One file per page: `infografik` (landing page and infographic), `indikator` (one indicator and
//! every download), `publik` (the public view), `jamforelse` (comparing editions), `api` (summary
//! JSON and open data), `admin` (publish, import, catalogue) and `kpi` (finding Kolada ids). This
//! file keeps the route table and the helpers the pages share (names, focus, tiles).

use super::form::{optional, required, Form};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use crate::shared::Year;
use crate::view::{flash_message, render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use gnv_core::nyckeltal::kolada::ATTRIBUTION;
use gnv_core::nyckeltal::{
    Arrow, Assessment, Catalogue, Colour, Comparison, ComparisonGroup, Direction, Gender, GreyReason,
    Indicator, IndicatorCode, IndicatorResult, IndicatorStatus, Level, Source, UpdateStatus,
};
use gnv_core::organisation::Registry;
use gnv_render::chart::{self, Bar, BarChart, LineChart, Reference, Series};
use gnv_render::export::{self, Cell, Sheet};
use gnv_render::infografik as ig;
use gnv_storage::cache::DataVersion;
use gnv_storage::nyckeltal::{Edition, EditionMeta, ImportMeta, ImportRow, RawBody, RawDoc};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

mod admin;
mod api;
mod indikator;
mod infografik;
mod jamforelse;
pub mod kpi;
mod publik;

pub use admin::*;
pub use api::*;
pub use indikator::*;
pub use infografik::*;
pub use jamforelse::*;
pub use publik::*;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    use gnv_core::access::Access;
    use Access::*;
    r.get("/nyckeltal", LoggedIn, "Nyckeltal och infografik: utgåvor och val av fokus", index)
        .get("/nyckeltal/jamfor", LoggedIn, "Jämför två utgåvor av infografiken", compare)
        .get("/nyckeltal/admin", Admin, "Nyckeltal: publicera, importera, katalog", admin)
        .post("/nyckeltal/admin/publicera", Admin, "Publicera (lås) en utgåva av infografiken", publish)
        .post("/nyckeltal/admin/import", Admin, "Importera nyckeltalsvärden (Kolada-JSON, CSV, XLSX)", import)
        .get("/nyckeltal/admin/import/{id}", Admin, "En imports råa dokument (lista)", import_documents)
        .get(
            "/nyckeltal/admin/import/{id}/{dok}",
            Admin,
            "Ladda ner ett rått dokument från en import",
            import_document,
        )
        .get("/nyckeltal/admin/katalog.toml", Admin, "Ladda ner nyckeltalskatalogen som TOML", catalogue_toml)
        .post(
            "/nyckeltal/admin/katalog",
            Admin,
            "Ersätt nyckeltalskatalogen från en TOML-fil",
            catalogue_upload,
        )
        .get(
            "/nyckeltal/admin/katalog/{nyckeltal}",
            Admin,
            "Redigera ett nyckeltal i katalogen",
            indicator_form,
        )
        .post(
            "/nyckeltal/admin/katalog/{nyckeltal}",
            Admin,
            "Spara ett nyckeltal i katalogen",
            indicator_save,
        )
        .get(
            "/offentlig/infografik",
            Public,
            "Offentliga infografiker: publicerade utgåvor med länkar per kommun (när det är påslaget)",
            public_index,
        )
        .get(
            "/offentlig/infografik/{ar}",
            Public,
            "Offentlig infografik för en publicerad utgåva och en fokusorganisation (när det är påslaget)",
            public_infographic,
        )
        .get(
            "/offentlig/infografik/{ar}/{fil}",
            Public,
            "Offentlig infografik som SVG, PNG eller PDF (när det är påslaget)",
            public_file,
        )
        .get(
            "/offentlig/infografik/{ar}/nyckeltal/{nyckeltal}",
            Public,
            "Offentlig sida för ett nyckeltal i en publicerad utgåva (när det är påslaget)",
            public_indicator,
        )
        .get(
            "/offentlig/infografik/{ar}/nyckeltal/{nyckeltal}/{fil}",
            Public,
            "Offentlig nedladdning för ett nyckeltal: diagram (SVG, PNG) och data (CSV, XLSX)",
            public_indicator_file,
        )
        .get("/nyckeltal/{ar}", LoggedIn, "Infografik för ett år och en fokusorganisation", infographic)
        .get("/nyckeltal/{ar}/{nyckeltal}", LoggedIn, "Ett nyckeltal: trend och jämförelse", indicator_page)
        .get(
            "/nyckeltal/{ar}/{nyckeltal}/{fil}",
            LoggedIn,
            "Nedladdning: diagram (SVG, PNG) och data (CSV, XLSX)",
            download,
        )
        .get(
            "/api/v1/utgavor",
            Public,
            "Publicerade utgåvor av infografiken (öppna data, JSON)",
            api_editions,
        )
        .json::<crate::api_schemas::Utgavor>()
        .get(
            "/api/v1/utgavor/{utgava}",
            Public,
            "En publicerad utgåvas alla värden (öppna data): {år}.csv eller {år}.json",
            api_edition_data,
        )
        .json::<crate::api_schemas::UtgavaData>()
        .path_param("utgava", "Utgåvans år följt av .json eller .csv, t.ex. 2025.json.")
        .get(
            "/api/v1/infographic/{ar}/summary",
            LoggedIn,
            "Sammanfattning av en utgåva för en fokusorganisation (JSON)",
            api_summary,
        )
        .json::<crate::api::InfographicSummary>()
        .query_param(
            "focus",
            "Fokusorganisationens kod med fyra siffror (regionen 0020 eller en kommun); utelämnad: regionen.",
        )
        .error(400, "focus är ingen organisationskod med fyra siffror.")
}

/// Template filters of this module's pages.
use crate::view::filters;

const DEMO_NOTE: &str =
    "Demodata: värdena är syntetiska (påhittade men rimliga) och inte hämtade från Kolada.";
const NEUTRAL_NOTE: &str = "Färgerna visar läget i jämförelse med andra. Rött visar förbättringspotential och ska inte användas för att peka ut någon.";

// ---------------------------------------------------------------------------------------------
// Shared helpers

#[derive(Deserialize, Default)]
pub struct FocusQuery {
    fokus: Option<String>,
    ok: Option<String>,
    /// The edition chooser's year (a GET form cannot put it into the path).
    ar: Option<String>,
}

fn valid_org_code(s: &str) -> bool {
    s.len() == 4 && s.chars().all(|c| c.is_ascii_digit())
}

/// Names of organisations: the county's registry, Kolada's regions, the country.
struct Names {
    registry: Arc<Registry>,
}

impl Names {
    async fn load(state: &AppState) -> AppResult<Self> {
        Self::at(state, state.db.data_version().await?).await
    }
    /// As of a data version read before (the registry is cached per version).
    async fn at(state: &AppState, v: DataVersion) -> AppResult<Self> {
        Ok(Names { registry: state.db.registry_at(v).await? })
    }
    /// The names `edition` shows: frozen with it when it was published (`gnv_storage::utgavenamn`),
    /// else (a preview, or an edition published before names were frozen) `self`.
    async fn of_edition(self, state: &AppState, edition: &Edition) -> AppResult<Self> {
        self.of_edition_uid(state, &edition.meta.uid).await
    }
    /// As [`Names::of_edition`], by the edition's uid (before its values are read).
    async fn of_edition_uid(self, state: &AppState, uid: &str) -> AppResult<Self> {
        Ok(match state.db.nyckeltal_edition_registry(uid).await? {
            Some(registry) => Names { registry },
            None => self,
        })
    }
    fn name(&self, code: &str) -> String {
        if code == self.registry.region.code {
            return self.registry.region.name.clone();
        }
        if let Some(m) = self.registry.municipalities.iter().find(|m| m.code == code) {
            return m.name.clone();
        }
        gnv_kolada::region_name(code).map(str::to_string).unwrap_or_else(|| format!("Organisation {code}"))
    }
    fn county(&self) -> &str {
        &self.registry.region.code
    }
    /// Focus choices: the region first, then the municipalities by name.
    fn focus_options(&self, selected: &str) -> Vec<(String, String, bool)> {
        let mut out = vec![(
            self.registry.region.code.clone(),
            self.registry.region.name.clone(),
            self.registry.region.code == selected,
        )];
        let mut m: Vec<_> = self.registry.municipalities.iter().collect();
        m.sort_by(|a, b| gnv_core::format::swedish_cmp(&a.name, &b.name));
        out.extend(m.into_iter().map(|m| (m.code.clone(), m.name.clone(), m.code == selected)));
        out
    }
    /// The county's municipalities sorted by name: (code, name).
    fn municipalities_by_name(&self) -> Vec<(String, String)> {
        let mut m: Vec<(String, String)> =
            self.registry.municipalities.iter().map(|m| (m.code.clone(), m.name.clone())).collect();
        m.sort_by(|a, b| gnv_core::format::swedish_cmp(&a.1, &b.1));
        m
    }
}

fn focus_of(q: Option<&str>, names: &Names) -> AppResult<String> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(names.county().to_string()),
        Some(f) if valid_org_code(f) => Ok(f.to_string()),
        Some(f) => Err(AppError::BadRequest(format!(
            "\"{f}\" är ingen organisationskod (fyra siffror, t.ex. 0020)."
        ))),
    }
}

fn arrow_symbol(a: Arrow) -> &'static str {
    match a {
        Arrow::Up => "↑",
        Arrow::Down => "↓",
        Arrow::Unchanged => "→",
    }
}

fn colour_class(c: Colour) -> &'static str {
    match c {
        Colour::Green => "jmf-gron",
        Colour::Yellow => "jmf-gul",
        Colour::Red => "jmf-rod",
        Colour::Grey => "jmf-gra",
    }
}

fn comparison_text(c: Option<&Comparison>, fact: bool) -> String {
    if fact {
        return "faktanyckeltal – jämförs inte".into();
    }
    match c {
        None => "ingen jämförelse".into(),
        Some(Comparison::Ranked { quartile, group_size, .. }) => {
            format!("{} (bland {} organisationer)", quartile.colour().label(), group_size)
        }
        Some(Comparison::NotCompared { reason: GreyReason::NoValue }) => {
            "ingen jämförelse (värde saknas)".into()
        }
        Some(Comparison::NotCompared { reason: GreyReason::GroupTooSmall { size } }) => {
            format!("ingen jämförelse (jämförelsegruppen har bara {size} värden)")
        }
    }
}

/// One gender's line on a tile and a row in the table.
pub struct Line {
    pub gender: &'static str,
    pub value: String,
    pub period: String,
    pub arrow: &'static str,
    pub change: String,
    pub change_class: &'static str,
    pub colour_class: &'static str,
    pub colour_text: String,
    pub raw_value: Option<f64>,
}

/// One tile of the infographic.
pub struct Tile {
    pub code: String,
    pub title: String,
    pub unit: String,
    pub under_development: bool,
    pub fact: bool,
    pub direction: &'static str,
    pub status: &'static str,
    pub not_updated: bool,
    pub lines: Vec<Line>,
    pub decimals: u8,
}

pub struct SubgoalGroup {
    pub number: u8,
    pub name: String,
    pub tiles: Vec<Tile>,
}

fn gender_label(g: Gender) -> &'static str {
    match g {
        Gender::T => "Totalt",
        Gender::K => "Kvinnor",
        Gender::M => "Män",
    }
}

fn tile(ind: &Indicator, r: Option<&IndicatorResult>) -> Tile {
    let under = ind.status == IndicatorStatus::UnderDevelopment;
    let fact = ind.is_fact();
    let mut lines = Vec::new();
    if let (false, Some(r)) = (under, r) {
        for g in &r.genders {
            let (value, period, raw) = match g.latest {
                Some(pv) => (ind.format_value(pv.value), pv.period.to_string(), Some(pv.value)),
                None => ("värde saknas".to_string(), String::new(), None),
            };
            let (arrow, change, change_class) = match (g.change, g.previous) {
                (Some(c), Some(prev)) => {
                    let valued = match c.assessment {
                        Some(Assessment::Improved) => (" (förbättring)", "forandring-bra"),
                        Some(Assessment::Worsened) => (" (försämring)", "forandring-samre"),
                        _ => ("", "forandring-neutral"),
                    };
                    (
                        arrow_symbol(c.arrow),
                        format!(
                            "{} sedan {} ({}){}",
                            c.arrow.label(),
                            prev.period,
                            gnv_core::format::with_unit(&ind.format_value(prev.value), &ind.unit),
                            valued.0
                        ),
                        valued.1,
                    )
                }
                _ => ("", "ingen tidigare mätning".to_string(), "forandring-neutral"),
            };
            let colour = if fact {
                Colour::Grey
            } else {
                g.comparison.as_ref().map(|c| c.colour()).unwrap_or(Colour::Grey)
            };
            lines.push(Line {
                gender: gender_label(g.gender),
                value,
                period,
                arrow,
                change,
                change_class,
                colour_class: colour_class(colour),
                colour_text: comparison_text(g.comparison.as_ref(), fact),
                raw_value: raw,
            });
        }
    }
    let status = r.map(|r| r.update).unwrap_or(if under {
        UpdateStatus::UnderDevelopment
    } else {
        UpdateStatus::NoValue
    });
    Tile {
        code: ind.code.to_string(),
        title: ind.title.clone(),
        unit: ind.unit.clone(),
        under_development: under,
        fact,
        direction: ind.direction.label(),
        status: status.label(),
        not_updated: status == UpdateStatus::NotUpdated,
        lines,
        decimals: ind.decimals,
    }
}

/// Sub-goal names as of a data version read before (cached per version).
async fn subgoal_names_at(state: &AppState, v: DataVersion) -> Vec<(u8, String)> {
    match state.db.subgoals_at(v).await {
        Ok(g) if !g.is_empty() => g.iter().map(|s| (s.number, s.name.clone())).collect(),
        _ => gnv_core::delmal::default_subgoals().into_iter().map(|s| (s.number, s.name)).collect(),
    }
}

fn groups(
    edition: &Edition,
    eval: &gnv_core::nyckeltal::Evaluation,
    subgoals: &[(u8, String)],
) -> Vec<SubgoalGroup> {
    let mut out: Vec<SubgoalGroup> = Vec::new();
    for ind in edition.catalogue().indicators() {
        let t = tile(ind, eval.get(ind.code));
        match out.last_mut() {
            Some(g) if g.number == ind.subgoal => g.tiles.push(t),
            _ => out.push(SubgoalGroup {
                number: ind.subgoal,
                name: subgoals
                    .iter()
                    .find(|s| s.0 == ind.subgoal)
                    .map(|s| s.1.clone())
                    .unwrap_or_else(|| format!("Delmål {}", ind.subgoal)),
                tiles: vec![t],
            }),
        }
    }
    out
}

/// The one-page infographic's view model (see [`gnv_render::infografik`]) for an evaluation.
fn infographic_model(
    edition: &Edition,
    eval: &gnv_core::nyckeltal::Evaluation,
    focus_name: &str,
    subgoals: &[(u8, String)],
    demo: bool,
) -> ig::Infographic {
    let year = edition.year();
    let mut columns: Vec<ig::Column> = Vec::new();
    for ind in edition.catalogue().indicators() {
        let r = eval.get(ind.code);
        let kind = if ind.status == IndicatorStatus::UnderDevelopment {
            ig::TileKind::UnderDevelopment
        } else if ind.is_fact() {
            ig::TileKind::Fact
        } else {
            ig::TileKind::Compared
        };
        let values = match (kind, r) {
            (ig::TileKind::UnderDevelopment, _) | (_, None) => Vec::new(),
            (_, Some(r)) => r
                .genders
                .iter()
                .map(|g| ig::TileValue {
                    label: gender_label(g.gender).to_string(),
                    value: g.latest.map(|pv| ind.format_value(pv.value)),
                    period: g.latest.map(|pv| pv.period.0),
                    change: g.change.map(|c| (c.arrow, c.assessment)),
                    comparison: if ind.is_fact() {
                        None
                    } else {
                        Some(g.comparison.as_ref().map(|c| c.colour()).unwrap_or(Colour::Grey))
                    },
                })
                .collect(),
        };
        let tile = ig::Tile {
            code: ind.code.to_string(),
            title: ind.title.clone(),
            unit: ind.unit.clone(),
            kind,
            not_updated: r.map(|r| r.update) == Some(UpdateStatus::NotUpdated),
            values,
        };
        match columns.last_mut() {
            Some(c) if c.number == ind.subgoal => c.tiles.push(tile),
            _ => columns.push(ig::Column {
                number: ind.subgoal,
                name: subgoals
                    .iter()
                    .find(|s| s.0 == ind.subgoal)
                    .map(|s| s.1.clone())
                    .unwrap_or_else(|| format!("Delmål {}", ind.subgoal)),
                tiles: vec![tile],
            }),
        }
    }
    let notice = match (edition.is_published(), demo) {
        (false, true) => Some(format!("Ej publicerad förhandsvisning. {DEMO_NOTE}")),
        (false, false) => {
            Some("Ej publicerad förhandsvisning: värdena kan ändras tills utgåvan publiceras.".to_string())
        }
        (true, true) => Some(DEMO_NOTE.to_string()),
        (true, false) => None,
    };
    ig::Infographic {
        title: format!("Nyckeltal {year} – {focus_name}"),
        subtitle: format!(
            "{} · God och nära vård – uppföljning med 20 nyckeltal i fem delmål",
            edition_label(edition)
        ),
        notice,
        columns,
        source: format!("{ATTRIBUTION}. Färgerna visar läget i jämförelse med andra, inte en rangordning."),
    }
}

fn edition_label(e: &Edition) -> String {
    if e.is_published() {
        format!("{} (publicerad {})", e.meta.title, gnv_core::format::timestamp_date(&e.meta.published_at))
    } else {
        e.meta.title.clone()
    }
}
