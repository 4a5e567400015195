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

use super::form::Fields;
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

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    use gnv_core::roll::Access;
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
        Ok(match state.db.nyckeltal_edition_registry(&edition.meta.uid).await? {
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

// ---------------------------------------------------------------------------------------------
// Landing page

#[derive(Template)]
#[template(path = "nyckeltal_index.html")]
struct IndexPage {
    ctx: PageCtx,
    editions: Vec<EditionMeta>,
    focus_options: Vec<(String, String, bool)>,
    demo: bool,
    value_count: i64,
    attribution: &'static str,
    demo_note: &'static str,
    default_focus: String,
}

pub async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let names = Names::load(&state).await?;
    let editions = state.db.nyckeltal_editions().await?;
    render(&IndexPage {
        ctx: PageCtx::new("Nyckeltal och infografik", "nyckeltal", &user)
            .with_flash(flash_message(q.ok.as_deref())),
        focus_options: names.focus_options(names.county()),
        default_focus: names.county().to_string(),
        editions,
        demo: state.db.nyckeltal_has_demo_data().await?,
        value_count: state.db.nyckeltal_value_count().await?,
        attribution: ATTRIBUTION,
        demo_note: DEMO_NOTE,
    })
}

// ---------------------------------------------------------------------------------------------
// Infographic

#[derive(Template)]
#[template(path = "nyckeltal_infografik.html")]
struct InfographicPage {
    ctx: PageCtx,
    year: i32,
    published: bool,
    edition_label: String,
    previous_year: Option<i64>,
    focus: String,
    focus_name: String,
    focus_options: Vec<(String, String, bool)>,
    years: Vec<(i64, bool)>,
    /// Summary, tiles and table ([`InfographicBody`]), already rendered.
    body: Arc<str>,
    demo: bool,
    demo_note: &'static str,
    /// Alternative text of the one-page infographic image.
    image_alt: String,
}

/// The infographic's summary, tiles and table: the expensive part of the page (evaluation of
/// every indicator against all organisations, some hundred tiles and table rows).
#[derive(Template)]
#[template(path = "nyckeltal_infografik_innehall.html")]
struct InfographicBody<'a> {
    year: i32,
    published: bool,
    focus: &'a str,
    focus_name: &'a str,
    groups: Vec<SubgoalGroup>,
    paragraph: Vec<String>,
    neutral_note: &'static str,
    attribution: &'static str,
}

/// Everything a rendered [`InfographicBody`] of a *published* edition depends on. The edition's
/// content and year are frozen under its uid, and what "not updated" compares with is frozen
/// under the previous edition's uid; the two remaining inputs that live in mutable tables — the
/// focus organisation's name (registry) and the sub-goal names — are part of the key. So a
/// cached body is exactly what rendering would give now, on every instance: an edit on another
/// instance changes the key, never the meaning of an entry, and needs no invalidation.
/// Previews of unpublished years (uid empty) are never cached: their values may change.
#[derive(PartialEq, Eq, Hash)]
struct BodyKey {
    edition: String,
    previous: String,
    focus: String,
    focus_name: String,
    subgoals: Vec<(u8, String)>,
}

/// Rendered bodies of published editions (see [`BodyKey`]). Bounded: cleared when full (a
/// county has some 20 focus organisations per edition, any four-digit code can be asked for;
/// an entry is some 40 kB).
fn body_cache() -> &'static Mutex<HashMap<BodyKey, Arc<str>>> {
    static CACHE: OnceLock<Mutex<HashMap<BodyKey, Arc<str>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}
const BODY_CACHE_ENTRIES: usize = 256;

/// The rendered summary, tiles and table for a focus organisation: from the cache for a
/// published edition, else evaluated and rendered (and cached when published). Misses of
/// published bodies are rendered one at a time, so a burst of requests right after a start
/// renders each body once instead of once per request.
async fn infographic_body(
    edition: &Edition,
    focus: &str,
    focus_name: &str,
    subgoals: &[(u8, String)],
) -> AppResult<Arc<str>> {
    if !edition.is_published() {
        return render_infographic_body(edition, focus, focus_name, subgoals);
    }
    let key = BodyKey {
        edition: edition.meta.uid.clone(),
        previous: edition.previous_uid.clone(),
        focus: focus.to_string(),
        focus_name: focus_name.to_string(),
        subgoals: subgoals.to_vec(),
    };
    let cached = |key: &BodyKey| body_cache().lock().ok().and_then(|c| c.get(key).cloned());
    if let Some(hit) = cached(&key) {
        return Ok(hit);
    }
    static RENDERING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _rendering = RENDERING.lock().await;
    if let Some(hit) = cached(&key) {
        return Ok(hit);
    }
    let html = render_infographic_body(edition, focus, focus_name, subgoals)?;
    if let Ok(mut cache) = body_cache().lock() {
        if cache.len() >= BODY_CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, html.clone());
    }
    Ok(html)
}

/// Evaluates and renders the body (no cache).
fn render_infographic_body(
    edition: &Edition,
    focus: &str,
    focus_name: &str,
    subgoals: &[(u8, String)],
) -> AppResult<Arc<str>> {
    let year = edition.year();
    let eval = edition.evaluate(focus);
    let summary = gnv_core::nyckeltal::summarize(&eval);
    Ok(InfographicBody {
        year,
        published: edition.is_published(),
        focus,
        focus_name,
        groups: groups(edition, &eval, subgoals),
        paragraph: gnv_core::nyckeltal::summary_paragraph(&summary, year, focus_name),
        neutral_note: NEUTRAL_NOTE,
        attribution: ATTRIBUTION,
    }
    .render()?
    .into())
}

pub async fn infographic(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let year = Year::parse(&ar)?;
    // Registry, editions, sub-goals and the demo flag as of one data version: one query when
    // nothing was written since the last request (see gnv_storage::cache).
    let v = state.db.data_version().await?;
    let names = Names::at(&state, v).await?;
    let focus = focus_of(q.fokus.as_deref(), &names)?;
    if let Some(chosen) = q.ar.as_deref().filter(|a| *a != ar) {
        let chosen = Year::parse(chosen)?;
        return Ok(Redirect::to(&format!("/nyckeltal/{chosen}?fokus={focus}")).into_response());
    }
    let editions = state.db.nyckeltal_editions_at(v).await?;
    let edition = state.db.nyckeltal_edition_for_focus(year, &editions, &focus).await?;
    let names = names.of_edition(&state, &edition).await?;
    let subgoals = subgoal_names_at(&state, v).await;
    let focus_name = names.name(&focus);
    let body = infographic_body(&edition, &focus, &focus_name, &subgoals).await?;
    let mut years: Vec<(i64, bool)> = editions.iter().map(|e| (e.year, e.year == year as i64)).collect();
    if !years.iter().any(|y| y.1) {
        years.push((year as i64, true));
        years.sort_by_key(|y| std::cmp::Reverse(y.0));
    }
    let image_alt = infographic_alt(year, &focus_name);
    render(&InfographicPage {
        ctx: PageCtx::new(format!("Infografik {year} – {focus_name}"), "nyckeltal", &user)
            .with_flash(flash_message(q.ok.as_deref())),
        year,
        published: edition.is_published(),
        edition_label: edition_label(&edition),
        previous_year: edition.previous.as_ref().map(|p| p.0),
        focus_options: names.focus_options(&focus),
        body,
        focus,
        focus_name,
        years,
        demo: state.db.nyckeltal_has_demo_data_at(v).await?,
        demo_note: DEMO_NOTE,
        image_alt,
    })
}

fn infographic_table(edition: &Edition, focus: &str) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header: Vec<String> =
        ["Kod", "Nyckeltal", "Kön", "Värde", "Enhet", "År", "Förändring", "Jämförelse", "Status"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let mut rows = Vec::new();
    let eval = edition.evaluate(focus);
    for ind in edition.catalogue().indicators() {
        let t = tile(ind, eval.get(ind.code));
        if t.lines.is_empty() {
            rows.push(vec![
                Cell::text(t.code.clone()),
                Cell::text(t.title.clone()),
                Cell::Empty,
                Cell::Empty,
                Cell::text(t.unit.clone()),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::text(t.status),
            ]);
        }
        for l in &t.lines {
            rows.push(vec![
                Cell::text(t.code.clone()),
                Cell::text(t.title.clone()),
                Cell::text(l.gender),
                l.raw_value.map(|v| Cell::Number(v, t.decimals as usize)).unwrap_or(Cell::Empty),
                Cell::text(t.unit.clone()),
                Cell::text(l.period.clone()),
                Cell::text(format!("{} {}", l.arrow, l.change).trim().to_string()),
                Cell::text(l.colour_text.clone()),
                Cell::text(t.status),
            ]);
        }
    }
    (header, rows)
}

// ---------------------------------------------------------------------------------------------
// Indicator page and downloads

struct IndicatorView {
    edition: Edition,
    indicator: Indicator,
    focus: String,
    names: Names,
}

async fn indicator_view(
    state: &AppState,
    ar: &str,
    kod: &str,
    fokus: Option<&str>,
) -> AppResult<IndicatorView> {
    let year = Year::parse(ar)?;
    let names = Names::load(state).await?;
    let focus = focus_of(fokus, &names)?;
    let code: IndicatorCode =
        kod.parse().map_err(|_| AppError::NotFound(format!("\"{kod}\" är ingen nyckeltalskod.")))?;
    let edition = state.db.nyckeltal_edition_or_preview(year).await?;
    let names = names.of_edition(state, &edition).await?;
    indicator_view_of(edition, code, focus, names)
}

/// The view of one indicator of a loaded edition.
fn indicator_view_of(
    edition: Edition,
    code: IndicatorCode,
    focus: String,
    names: Names,
) -> AppResult<IndicatorView> {
    let year = edition.year();
    let indicator = edition
        .catalogue()
        .get(code)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("Nyckeltal {code} finns inte i utgåvan {year}.")))?;
    Ok(IndicatorView { edition, indicator, focus, names })
}

impl IndicatorView {
    fn value_at(&self, org: &str, g: Gender, period: i32) -> Option<f64> {
        self.edition
            .data()
            .series(self.indicator.code, org, g)
            .iter()
            .find(|(p, _)| p.0 == period)
            .and_then(|(_, v)| v.number())
    }

    /// The organisations of the trend: focus, county, country (without duplicates).
    fn trend_orgs(&self) -> Vec<String> {
        let mut out = vec![self.focus.clone()];
        for o in [self.names.county().to_string(), "0000".to_string()] {
            if !out.contains(&o) {
                out.push(o);
            }
        }
        out
    }

    fn periods(&self) -> Vec<i32> {
        let mut set = BTreeSet::new();
        for (org, g) in self.trend_lines() {
            for (p, _) in self.edition.data().series(self.indicator.code, &org, g) {
                set.insert(p.0);
            }
        }
        set.into_iter().collect()
    }

    /// The sexes shown separately: women and men where the indicator is split by sex.
    fn sexes(&self) -> &'static [Gender] {
        if self.indicator.split_by_sex {
            &[Gender::K, Gender::M]
        } else {
            &[]
        }
    }

    /// The lines of the trend: the total for focus, county and country, then the focus's
    /// women and men where the indicator is split by sex.
    fn trend_lines(&self) -> Vec<(String, Gender)> {
        let mut out: Vec<(String, Gender)> = self.trend_orgs().into_iter().map(|o| (o, Gender::T)).collect();
        out.extend(self.sexes().iter().map(|g| (self.focus.clone(), *g)));
        out
    }

    /// The name of a trend line: the organisation, with the sex for women and men.
    fn line_name(&self, org: &str, g: Gender) -> String {
        match g {
            Gender::T => self.names.name(org),
            _ => format!("{}, {}", self.names.name(org), g.label()),
        }
    }

    /// The columns of the comparison: the total, and women and men where split by sex.
    fn comparison_genders(&self) -> Vec<Gender> {
        let mut out = vec![Gender::T];
        out.extend(self.sexes());
        out
    }

    fn trend_chart(&self) -> LineChart {
        let periods = self.periods();
        let series = self
            .trend_lines()
            .iter()
            .map(|(o, g)| Series {
                name: self.line_name(o, *g),
                values: periods.iter().map(|p| self.value_at(o, *g, *p)).collect(),
            })
            .collect();
        LineChart {
            title: format!("{} {} – utveckling över tid", self.indicator.code, self.indicator.title),
            description: format!(
                "Linjediagram över {} för {}, länet och riket{}, år {}. Samma data finns i tabellen.",
                self.indicator.unit,
                self.names.name(&self.focus),
                if self.sexes().is_empty() { "" } else { " samt kvinnor och män i fokus" },
                match (periods.first(), periods.last()) {
                    (Some(a), Some(b)) => format!("{a}–{b}"),
                    _ => "saknas".into(),
                }
            ),
            unit: self.indicator.unit.clone(),
            x_labels: periods.iter().map(|p| p.to_string()).collect(),
            series,
            decimals: self.indicator.decimals as usize,
            width: 720,
            height: 360,
        }
    }

    /// The period compared across the municipalities: the newest with any municipal value.
    fn comparison_period(&self) -> Option<i32> {
        let genders = self.comparison_genders();
        self.names
            .municipalities_by_name()
            .iter()
            .flat_map(|(c, _)| genders.iter().map(move |g| (c.clone(), *g)))
            .filter_map(|(c, g)| {
                self.edition
                    .data()
                    .series(self.indicator.code, &c, g)
                    .iter()
                    .rev()
                    .find(|(_, v)| v.number().is_some())
                    .map(|(p, _)| p.0)
            })
            .max()
    }

    /// The bars of the comparison: one per municipality, or where the indicator is split by
    /// sex one for women and one for men per municipality (labelled, not told apart by colour).
    fn comparison_chart(&self) -> BarChart {
        let period = self.comparison_period();
        let bar_genders: Vec<Gender> =
            if self.sexes().is_empty() { vec![Gender::T] } else { self.sexes().to_vec() };
        let mut bars = Vec::new();
        for (code, _) in self.names.municipalities_by_name() {
            for &g in &bar_genders {
                bars.push(Bar {
                    value: period.and_then(|p| self.value_at(&code, g, p)),
                    highlight: code == self.focus,
                    label: self.line_name(&code, g),
                });
            }
        }
        let mut references = Vec::new();
        if let Some(p) = period {
            for o in [self.names.county().to_string(), "0000".to_string()] {
                for &g in &bar_genders {
                    if let Some(v) = self.value_at(&o, g, p) {
                        references.push(Reference { label: self.line_name(&o, g), value: v });
                    }
                }
            }
        }
        BarChart {
            title: format!(
                "{} {} – länets kommuner {}{}",
                self.indicator.code,
                self.indicator.title,
                period.map(|p| p.to_string()).unwrap_or_default(),
                if self.sexes().is_empty() { "" } else { ", kvinnor och män" }
            ),
            description: if self.sexes().is_empty() {
                "Stapeldiagram över länets kommuner i bokstavsordning (ingen rangordning), med länet och riket som referenslinjer. Samma data finns i tabellen.".into()
            } else {
                "Stapeldiagram över länets kommuner i bokstavsordning (ingen rangordning), en stapel för kvinnor och en för män per kommun, med länet och riket för kvinnor och män som referenslinjer. Samma data finns i tabellen.".into()
            },
            unit: self.indicator.unit.clone(),
            bars,
            references,
            decimals: self.indicator.decimals as usize,
            horizontal: true,
            range: None,
            width: 720,
        }
    }

    fn fmt(&self, v: Option<f64>) -> String {
        v.map(|x| self.indicator.format_value(x)).unwrap_or_else(|| "–".into())
    }

    fn data_sheet(&self) -> (Vec<String>, Vec<Vec<Cell>>) {
        let header: Vec<String> = ["Organisation", "Kod", "År", "Kön", "Värde", "Saknas (Kolada-kod)"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut orgs = self.trend_orgs();
        for (c, _) in self.names.municipalities_by_name() {
            if !orgs.contains(&c) {
                orgs.push(c);
            }
        }
        let mut rows = Vec::new();
        for org in &orgs {
            for &g in gnv_core::nyckeltal::varde::evaluated_genders(self.indicator.split_by_sex) {
                for (p, v) in self.edition.data().series(self.indicator.code, org, g) {
                    rows.push(vec![
                        Cell::text(self.names.name(org)),
                        Cell::text(org.clone()),
                        Cell::Integer(p.0 as i64),
                        Cell::text(gender_label(g)),
                        v.number()
                            .map(|x| Cell::Number(x, self.indicator.decimals as usize))
                            .unwrap_or(Cell::Empty),
                        Cell::text(
                            v.code()
                                .map(|c| format!("{c} {}", v.missing_label().unwrap_or("")))
                                .unwrap_or_default(),
                        ),
                    ]);
                }
            }
        }
        (header, rows)
    }
}

/// A row of the comparison table: an organisation and its values (total, or total, women, men).
pub struct ComparisonRow {
    pub name: String,
    pub cells: Vec<String>,
    pub focus: bool,
}

/// A row of the trend table: year, then one cell per organisation.
pub struct TrendRow {
    pub year: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "nyckeltal_indikator.html")]
struct IndicatorPage {
    ctx: PageCtx,
    year: i32,
    published: bool,
    code: String,
    indicator: Indicator,
    focus: String,
    focus_name: String,
    tile: Tile,
    trend_orgs: Vec<String>,
    trend_rows: Vec<TrendRow>,
    comparison_period: String,
    comparison_columns: Vec<&'static str>,
    comparison_rows: Vec<ComparisonRow>,
    reference_rows: Vec<ComparisonRow>,
    split: bool,
    kolada_ids: String,
    group_label: String,
    level_label: &'static str,
    demo: bool,
    demo_note: &'static str,
    neutral_note: &'static str,
    attribution: &'static str,
    trend_alt: String,
    comparison_alt: String,
}

pub async fn indicator_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, kod)): Path<(String, String)>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let v = indicator_view(&state, &ar, &kod, q.fokus.as_deref()).await?;
    let ctx = PageCtx::new(format!("{} {}", v.indicator.code, v.indicator.title), "nyckeltal", &user);
    let demo = state.db.nyckeltal_has_demo_data().await?;
    render(&indicator_page_of(&v, ctx, demo))
}

/// The indicator page's content (shared by the logged-in and the public page).
fn indicator_page_of(v: &IndicatorView, ctx: PageCtx, demo: bool) -> IndicatorPage {
    let eval = v.edition.evaluate(&v.focus);
    let t = tile(&v.indicator, eval.get(v.indicator.code));
    let periods = v.periods();
    let trend_lines = v.trend_lines();
    let trend_rows = periods
        .iter()
        .map(|p| TrendRow {
            year: p.to_string(),
            cells: trend_lines.iter().map(|(o, g)| v.fmt(v.value_at(o, *g, *p))).collect(),
        })
        .collect();
    let cp = v.comparison_period();
    let genders = v.comparison_genders();
    let cells = |org: &str| -> Vec<String> {
        genders.iter().map(|g| v.fmt(cp.and_then(|p| v.value_at(org, *g, p)))).collect()
    };
    let comparison_rows = v
        .names
        .municipalities_by_name()
        .into_iter()
        .map(|(c, n)| ComparisonRow { cells: cells(&c), focus: c == v.focus, name: n })
        .collect();
    let reference_rows = match cp {
        Some(_) => [v.names.county().to_string(), "0000".to_string()]
            .iter()
            .map(|o| ComparisonRow { name: v.names.name(o), cells: cells(o), focus: false })
            .collect(),
        None => Vec::new(),
    };
    let comparison_columns: Vec<&'static str> =
        if genders.len() == 1 { vec!["Värde"] } else { genders.iter().map(|g| gender_label(*g)).collect() };
    let ind = &v.indicator;
    let kolada_ids: Vec<String> = ind
        .sources
        .iter()
        .map(|s| match s {
            Source::Kolada(id) => id.to_string(),
            other => other.as_str().to_string(),
        })
        .collect();
    IndicatorPage {
        ctx,
        year: v.edition.year(),
        published: v.edition.is_published(),
        code: ind.code.to_string(),
        focus_name: v.names.name(&v.focus),
        trend_orgs: trend_lines.iter().map(|(o, g)| v.line_name(o, *g)).collect(),
        trend_rows,
        comparison_columns,
        split: ind.split_by_sex,
        comparison_period: cp.map(|p| p.to_string()).unwrap_or_else(|| "–".into()),
        comparison_rows,
        reference_rows,
        kolada_ids: if kolada_ids.is_empty() { "ej fastställt".into() } else { kolada_ids.join(", ") },
        group_label: ind.comparison_group.label(),
        level_label: match ind.level {
            Level::Municipality => "kommun",
            Level::Region => "region",
        },
        trend_alt: v.trend_chart().title,
        comparison_alt: v.comparison_chart().title,
        tile: t,
        focus: v.focus.clone(),
        indicator: ind.clone(),
        demo,
        demo_note: DEMO_NOTE,
        neutral_note: NEUTRAL_NOTE,
        attribution: ATTRIBUTION,
    }
}

fn file_response(content_type: &str, filename: &str, body: Vec<u8>, attachment: bool) -> Response {
    if attachment {
        crate::shared::download(content_type, filename, body)
    } else {
        crate::shared::inline_file(content_type, filename, body)
    }
}

fn with_bom_csv(header: &[String], rows: &[Vec<Cell>]) -> Vec<u8> {
    export::csv(header, rows).into_bytes()
}

/// `GET /nyckeltal/{ar}/{nyckeltal}/{fil}`: `trend.svg|png`, `jamforelse.svg|png`, `data.csv|xlsx`;
/// with `kod` = `tabell`, the infographic table as `data.csv|xlsx`.
/// The one-page infographic as SVG (landscape or stacked), PNG or PDF (A4 or A3 landscape).
async fn infographic_download(
    state: &AppState,
    ar: &str,
    fokus: Option<&str>,
    fil: &str,
) -> AppResult<Response> {
    let year = Year::parse(ar)?;
    let v = state.db.data_version().await?;
    let names = Names::at(state, v).await?;
    let focus = focus_of(fokus, &names)?;
    let editions = state.db.nyckeltal_editions_at(v).await?;
    let edition = state.db.nyckeltal_edition_for_focus(year, &editions, &focus).await?;
    let subgoals = subgoal_names_at(state, v).await;
    let demo = state.db.nyckeltal_has_demo_data_at(v).await?;
    infographic_file(&edition, &focus, &names.name(&focus), &subgoals, demo, fil)
}

/// Renders one of the infographic's files (shared by the logged-in and the public routes).
/// A rendered infographic file: content type, file name, bytes, sent as attachment.
type InfographicFile = (&'static str, String, Vec<u8>, bool);

/// Everything a rendered file of a *published* edition depends on (see [`BodyKey`]), plus the
/// demo flag it prints and the file asked for.
#[derive(PartialEq, Eq, Hash)]
struct FileKey {
    body: BodyKey,
    demo: bool,
    file: String,
}

/// Rendered infographic files of published editions (see [`FileKey`]); bounded, cleared when
/// full (a PNG is some hundred kB).
fn file_cache() -> &'static Mutex<HashMap<FileKey, Arc<InfographicFile>>> {
    static CACHE: OnceLock<Mutex<HashMap<FileKey, Arc<InfographicFile>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}
const FILE_CACHE_ENTRIES: usize = 64;
const INFOGRAPHIC_FILES: [&str; 5] =
    ["infografik.svg", "infografik-stapel.svg", "infografik.png", "infografik.pdf", "infografik-a3.pdf"];

/// One of the infographic's files, from the cache for a published edition.
fn infographic_file(
    edition: &Edition,
    focus: &str,
    focus_name: &str,
    subgoals: &[(u8, String)],
    demo: bool,
    fil: &str,
) -> AppResult<Response> {
    if !INFOGRAPHIC_FILES.contains(&fil) {
        return Err(AppError::not_found());
    }
    let respond = |f: &InfographicFile| file_response(f.0, &f.1, f.2.clone(), f.3);
    if !edition.is_published() {
        return Ok(respond(&render_infographic_file(edition, focus, focus_name, subgoals, demo, fil)?));
    }
    let key = FileKey {
        body: BodyKey {
            edition: edition.meta.uid.clone(),
            previous: edition.previous_uid.clone(),
            focus: focus.to_string(),
            focus_name: focus_name.to_string(),
            subgoals: subgoals.to_vec(),
        },
        demo,
        file: fil.to_string(),
    };
    if let Some(hit) = file_cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(respond(&hit));
    }
    let f = Arc::new(render_infographic_file(edition, focus, focus_name, subgoals, demo, fil)?);
    if let Ok(mut cache) = file_cache().lock() {
        if cache.len() >= FILE_CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, f.clone());
    }
    Ok(respond(&f))
}

/// Renders one of the infographic's files (no cache).
fn render_infographic_file(
    edition: &Edition,
    focus: &str,
    focus_name: &str,
    subgoals: &[(u8, String)],
    demo: bool,
    fil: &str,
) -> AppResult<InfographicFile> {
    let year = edition.year();
    let eval = edition.evaluate(focus);
    let model = infographic_model(edition, &eval, focus_name, subgoals, demo);
    let base = format!("infografik-{year}-{focus}");
    let landscape = || ig::infographic_svg(&model, ig::Layout::Landscape);
    match fil {
        "infografik.svg" => Ok(("image/svg+xml", format!("{base}.svg"), landscape().into_bytes(), false)),
        "infografik-stapel.svg" => Ok((
            "image/svg+xml",
            format!("{base}-stapel.svg"),
            ig::infographic_svg(&model, ig::Layout::Stacked).into_bytes(),
            false,
        )),
        "infografik.png" => {
            let png = chart::svg_to_png(&landscape(), 2.0).map_err(AppError::Internal)?;
            Ok(("image/png", format!("{base}.png"), png, true))
        }
        "infografik.pdf" | "infografik-a3.pdf" => {
            let date = edition
                .meta
                .published_at
                .get(..10)
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default());
            let pdf = gnv_render::dokument::pdf::svg_page_pdf(
                &model.title,
                &landscape(),
                &infographic_alt(year, focus_name),
                fil == "infografik-a3.pdf",
                date,
            )
            .map_err(|e| AppError::Internal(e.to_string()))?;
            let name = if fil == "infografik.pdf" { format!("{base}.pdf") } else { format!("{base}-a3.pdf") };
            Ok(("application/pdf", name, pdf, true))
        }
        _ => Err(AppError::not_found()),
    }
}

/// The alternative text of the infographic image.
fn infographic_alt(year: i32, focus_name: &str) -> String {
    format!(
        "Infografik {year} för {focus_name}: nyckeltalen i de fem delmålen med värde, förändring och läget i jämförelse med andra. Samma uppgifter finns i sammanfattningen och tabellen nedan."
    )
}

pub async fn download(
    State(state): State<AppState>,
    Path((ar, kod, fil)): Path<(String, String, String)>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    if kod == "infografik" {
        return infographic_download(&state, &ar, q.fokus.as_deref(), &fil).await;
    }
    if kod == "tabell" {
        let year = Year::parse(&ar)?;
        let names = Names::load(&state).await?;
        let focus = focus_of(q.fokus.as_deref(), &names)?;
        let edition = state.db.nyckeltal_edition_or_preview(year).await?;
        let names = names.of_edition(&state, &edition).await?;
        let (header, rows) = infographic_table(&edition, &focus);
        let base = format!("infografik-{year}-{focus}");
        return match fil.as_str() {
            "data.csv" => Ok(file_response(
                "text/csv; charset=utf-8",
                &format!("{base}.csv"),
                with_bom_csv(&header, &rows),
                true,
            )),
            "data.xlsx" => {
                let mut sheet = Sheet::new(format!("Infografik {year}"), header, rows);
                sheet.notes = vec![
                    format!("{} – {}", edition_label(&edition), names.name(&focus)),
                    ATTRIBUTION.to_string(),
                ];
                let bytes = export::xlsx(&[sheet]).map_err(AppError::Internal)?;
                Ok(file_response(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    &format!("{base}.xlsx"),
                    bytes,
                    true,
                ))
            }
            _ => Err(AppError::not_found()),
        };
    }
    let v = indicator_view(&state, &ar, &kod, q.fokus.as_deref()).await?;
    indicator_file(&v, &fil)
}

/// One indicator's chart or data file (shared by the logged-in and the public routes).
fn indicator_file(v: &IndicatorView, fil: &str) -> AppResult<Response> {
    let base = format!("nyckeltal-{}-{}-{}", v.indicator.code, v.edition.year(), v.focus);
    match fil {
        "trend.svg" => Ok(file_response(
            "image/svg+xml",
            &format!("{base}-trend.svg"),
            chart::line_chart(&v.trend_chart()).into_bytes(),
            false,
        )),
        "jamforelse.svg" => Ok(file_response(
            "image/svg+xml",
            &format!("{base}-jamforelse.svg"),
            chart::bar_chart(&v.comparison_chart()).into_bytes(),
            false,
        )),
        "trend.png" | "jamforelse.png" => {
            let svg = if fil == "trend.png" {
                chart::line_chart(&v.trend_chart())
            } else {
                chart::bar_chart(&v.comparison_chart())
            };
            let png = chart::svg_to_png(&svg, 2.0).map_err(AppError::Internal)?;
            Ok(file_response("image/png", &format!("{base}-{}", fil), png, true))
        }
        "data.csv" => {
            let (h, r) = v.data_sheet();
            Ok(file_response("text/csv; charset=utf-8", &format!("{base}.csv"), with_bom_csv(&h, &r), true))
        }
        "data.xlsx" => {
            let (h, r) = v.data_sheet();
            let mut sheet = Sheet::new(format!("Nyckeltal {}", v.indicator.code), h, r);
            sheet.notes = vec![
                format!("{} {} ({})", v.indicator.code, v.indicator.title, v.indicator.unit),
                edition_label(&v.edition),
                ATTRIBUTION.to_string(),
            ];
            let bytes = export::xlsx(&[sheet]).map_err(AppError::Internal)?;
            Ok(file_response(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{base}.xlsx"),
                bytes,
                true,
            ))
        }
        _ => Err(AppError::not_found()),
    }
}

// ---------------------------------------------------------------------------------------------
// The public view of published editions (config `public.infographic`, off by default)

/// Headers of every public response: cacheable for a while (a published edition never
/// changes), framable only by the configured origins.
fn public_headers(state: &AppState, mut resp: Response) -> Response {
    let ancestors = if state.config.public.frame_ancestors.is_empty() {
        "'none'".to_string()
    } else {
        // Checked when the configuration was read: plain origins only.
        state.config.public.frame_ancestors.join(" ")
    };
    let csp = crate::security::CSP.replace("frame-ancestors 'none'", &format!("frame-ancestors {ancestors}"));
    let h = resp.headers_mut();
    if let Ok(v) = header::HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("public, max-age=300"));
    resp
}

/// The public view is switched on, and the year is a published edition: else 404 (the same
/// answer for "off", "not published" and "no such year", so nothing about unpublished data
/// can be learnt).
async fn public_edition(state: &AppState, ar: &str) -> AppResult<(DataVersion, Edition)> {
    if !state.config.public.infographic {
        return Err(AppError::not_found());
    }
    let year = Year::parse(ar).map_err(|_| AppError::not_found())?;
    let v = state.db.data_version().await?;
    let editions = state.db.nyckeltal_editions_at(v).await?;
    if !editions.iter().any(|e| e.year == i64::from(year)) {
        return Err(AppError::not_found());
    }
    let edition = state.db.nyckeltal_edition_among(year, &editions).await?;
    if !edition.is_published() {
        return Err(AppError::not_found());
    }
    Ok((v, edition))
}

/// Focus organisations of the public view: the region and its municipalities only.
fn public_focus(q: Option<&str>, names: &Names) -> AppResult<String> {
    let focus = focus_of(q, names).map_err(|_| AppError::not_found())?;
    if focus == names.county() || names.registry.municipalities.iter().any(|m| m.code == focus) {
        Ok(focus)
    } else {
        Err(AppError::not_found())
    }
}

#[derive(Template)]
#[template(path = "offentlig_index.html")]
struct PublicIndexPage {
    ctx: PageCtx,
    /// (year, edition label, [(code, name)]) newest first.
    editions: Vec<(i64, String, Vec<(String, String)>)>,
}

pub async fn public_index(State(state): State<AppState>) -> AppResult<Response> {
    if !state.config.public.infographic {
        return Err(AppError::not_found());
    }
    let v = state.db.data_version().await?;
    let names = Names::at(&state, v).await?;
    let mut orgs = vec![(names.county().to_string(), names.name(names.county()))];
    orgs.extend(names.municipalities_by_name());
    let mut editions: Vec<(i64, String, Vec<(String, String)>)> = state
        .db
        .nyckeltal_editions_at(v)
        .await?
        .iter()
        .map(|e| {
            let label =
                format!("{} (publicerad {})", e.title, gnv_core::format::timestamp_date(&e.published_at));
            (e.year, label, orgs.clone())
        })
        .collect();
    editions.sort_by_key(|e| std::cmp::Reverse(e.0));
    let resp = render(&PublicIndexPage { ctx: PageCtx::anonymous("Infografik – nyckeltal"), editions })?;
    Ok(public_headers(&state, resp))
}

#[derive(Template)]
#[template(path = "offentlig_infografik.html")]
struct PublicInfographicPage {
    ctx: PageCtx,
    year: i32,
    focus: String,
    focus_name: String,
    edition_label: String,
    image_alt: String,
    demo: bool,
    demo_note: &'static str,
    groups: Vec<SubgoalGroup>,
    paragraph: Vec<String>,
    neutral_note: &'static str,
    attribution: &'static str,
}

pub async fn public_infographic(
    State(state): State<AppState>,
    Path(ar): Path<String>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let (v, edition) = public_edition(&state, &ar).await?;
    let names = Names::at(&state, v).await?.of_edition(&state, &edition).await?;
    let focus = public_focus(q.fokus.as_deref(), &names)?;
    let focus_name = names.name(&focus);
    let subgoals = subgoal_names_at(&state, v).await;
    let year = edition.year();
    let eval = edition.evaluate(&focus);
    let summary = gnv_core::nyckeltal::summarize(&eval);
    let resp = render(&PublicInfographicPage {
        ctx: PageCtx::anonymous(format!("Infografik {year} – {focus_name}")),
        year,
        edition_label: edition_label(&edition),
        image_alt: infographic_alt(year, &focus_name),
        demo: state.db.nyckeltal_has_demo_data_at(v).await?,
        demo_note: DEMO_NOTE,
        groups: groups(&edition, &eval, &subgoals),
        paragraph: gnv_core::nyckeltal::summary_paragraph(&summary, year, &focus_name),
        neutral_note: NEUTRAL_NOTE,
        attribution: ATTRIBUTION,
        focus,
        focus_name,
    })?;
    Ok(public_headers(&state, resp))
}

pub async fn public_file(
    State(state): State<AppState>,
    Path((ar, fil)): Path<(String, String)>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let (v, edition) = public_edition(&state, &ar).await?;
    let names = Names::at(&state, v).await?.of_edition(&state, &edition).await?;
    let focus = public_focus(q.fokus.as_deref(), &names)?;
    let subgoals = subgoal_names_at(&state, v).await;
    let demo = state.db.nyckeltal_has_demo_data_at(v).await?;
    let resp = infographic_file(&edition, &focus, &names.name(&focus), &subgoals, demo, &fil)?;
    Ok(public_headers(&state, resp))
}

#[derive(Template)]
#[template(path = "offentlig_indikator.html")]
struct PublicIndicatorPage {
    ctx: PageCtx,
    p: IndicatorPage,
}

/// The view of one indicator of a published edition for the public routes (404 otherwise).
async fn public_indicator_view(
    state: &AppState,
    ar: &str,
    kod: &str,
    fokus: Option<&str>,
) -> AppResult<IndicatorView> {
    let (v, edition) = public_edition(state, ar).await?;
    let names = Names::at(state, v).await?.of_edition(state, &edition).await?;
    let focus = public_focus(fokus, &names)?;
    let code: IndicatorCode = kod.parse().map_err(|_| AppError::not_found())?;
    indicator_view_of(edition, code, focus, names)
}

pub async fn public_indicator(
    State(state): State<AppState>,
    Path((ar, kod)): Path<(String, String)>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let v = public_indicator_view(&state, &ar, &kod, q.fokus.as_deref()).await?;
    let title = format!("{} {}", v.indicator.code, v.indicator.title);
    let demo = state.db.nyckeltal_has_demo_data().await?;
    let p = indicator_page_of(&v, PageCtx::anonymous(title.clone()), demo);
    let resp = render(&PublicIndicatorPage { ctx: PageCtx::anonymous(title), p })?;
    Ok(public_headers(&state, resp))
}

pub async fn public_indicator_file(
    State(state): State<AppState>,
    Path((ar, kod, fil)): Path<(String, String, String)>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let v = public_indicator_view(&state, &ar, &kod, q.fokus.as_deref()).await?;
    let resp = indicator_file(&v, &fil)?;
    Ok(public_headers(&state, resp))
}

// ---------------------------------------------------------------------------------------------
// Comparing editions

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
    fokus: Option<String>,
}

/// Selects one set of a summary.
type SetOf = fn(&gnv_core::nyckeltal::EditionSummary) -> &gnv_core::nyckeltal::CodeSet;

/// One row of the edition comparison: (label, set in A, set in B).
pub struct CompareRow {
    pub label: &'static str,
    pub a: String,
    pub b: String,
}

/// One row of the values side by side: an indicator and sex with its newest value in each
/// edition and the change between them.
pub struct CompareValueRow {
    pub code: String,
    pub title: String,
    /// "Totalt", "Kvinnor", "Män"; empty on an under-development row.
    pub gender: &'static str,
    /// First row of an indicator.
    pub first: bool,
    pub a: String,
    pub b: String,
    pub change: String,
}

/// The newest value of one sex in an edition as text: "12,3 (2024)", or why there is none.
fn edition_value_text(
    ind: Option<&Indicator>,
    r: Option<&IndicatorResult>,
    g: Gender,
) -> (String, Option<f64>) {
    let Some(ind) = ind else { return ("ingår inte i utgåvan".into(), None) };
    if ind.status == IndicatorStatus::UnderDevelopment {
        return ("under utveckling".into(), None);
    }
    match r.and_then(|r| r.gender(g)).and_then(|gr| gr.latest) {
        Some(pv) => (format!("{} ({})", ind.format_value(pv.value), pv.period), Some(pv.value)),
        None => ("värde saknas".into(), None),
    }
}

/// The change from A to B at B's display precision with the unit of a difference: "+1,2
/// procentenheter", "−5 antal per 1 000 invånare" or "oförändrat".
fn change_text(ind: &Indicator, a: Option<f64>, b: Option<f64>) -> String {
    let (Some(a), Some(b)) = (a, b) else { return "–".into() };
    let decimals = usize::from(ind.decimals);
    if gnv_core::format::decimal(a, decimals) == gnv_core::format::decimal(b, decimals) {
        "oförändrat".into()
    } else {
        gnv_core::format::difference(b - a, decimals, &ind.unit)
    }
}

/// Values of both editions side by side for a focus, in the code order of the union of both
/// catalogues; per sex where the indicator is split in either edition.
fn compare_values(ea: &Edition, eb: &Edition, focus: &str) -> Vec<CompareValueRow> {
    let (va, vb) = (ea.evaluate(focus), eb.evaluate(focus));
    let codes: BTreeSet<IndicatorCode> =
        ea.catalogue().indicators().iter().chain(eb.catalogue().indicators()).map(|i| i.code).collect();
    let mut rows = Vec::new();
    for code in codes {
        let (ia, ib) = (ea.catalogue().get(code), eb.catalogue().get(code));
        let Some(ind) = ib.or(ia) else { continue };
        let under = |i: Option<&Indicator>| i.is_none_or(|i| i.status == IndicatorStatus::UnderDevelopment);
        let split = ia.is_some_and(|i| i.split_by_sex) || ib.is_some_and(|i| i.split_by_sex);
        let genders: &[Gender] = if under(ia) && under(ib) {
            &[Gender::T]
        } else {
            gnv_core::nyckeltal::varde::evaluated_genders(split)
        };
        let start = rows.len();
        for &g in genders {
            let (ta, xa) = edition_value_text(ia, va.get(code), g);
            let (tb, xb) = edition_value_text(ib, vb.get(code), g);
            rows.push(CompareValueRow {
                code: code.to_string(),
                title: ind.title.clone(),
                gender: gender_label(g),
                first: rows.len() == start,
                a: ta,
                b: tb,
                change: change_text(ind, xa, xb),
            });
        }
    }
    rows
}

#[derive(Template)]
#[template(path = "nyckeltal_jamfor.html")]
struct ComparePage {
    ctx: PageCtx,
    /// (year, selected as A, selected as B)
    years: Vec<(i64, bool, bool)>,
    a: Option<i64>,
    b: Option<i64>,
    focus_name: String,
    focus_options: Vec<(String, String, bool)>,
    rows: Vec<CompareRow>,
    values: Vec<CompareValueRow>,
}

pub async fn compare(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CompareQuery>,
) -> AppResult<Response> {
    let names = Names::load(&state).await?;
    let focus = focus_of(q.fokus.as_deref(), &names)?;
    let years: Vec<i64> = state.db.nyckeltal_editions().await?.into_iter().map(|e| e.year).collect();
    let pick = |s: Option<&String>, default: Option<i64>| {
        s.and_then(|s| s.parse::<i64>().ok()).filter(|y| years.contains(y)).or(default)
    };
    let b = pick(q.b.as_ref(), years.first().copied());
    let a = pick(q.a.as_ref(), years.get(1).copied());
    let mut rows = Vec::new();
    let mut values = Vec::new();
    if let (Some(a), Some(b)) = (a, b) {
        let ea = state.db.nyckeltal_edition(a as i32).await?.ok_or_else(AppError::not_found)?;
        let eb = state.db.nyckeltal_edition(b as i32).await?.ok_or_else(AppError::not_found)?;
        values = compare_values(&ea, &eb, &focus);
        let (sa, sb) = (ea.summary(&focus), eb.summary(&focus));
        let fmt = |c: &gnv_core::nyckeltal::CodeSet| {
            if c.is_empty() {
                "0".to_string()
            } else {
                format!("{} ({})", c.len(), c.list())
            }
        };
        let sets: [(&'static str, SetOf); 11] = [
            ("Under utveckling", |s| &s.under_development),
            ("Saknar värde", |s| &s.without_value),
            ("Inte uppdaterade", |s| &s.not_updated),
            ("Uppdaterade", |s| &s.updated),
            ("Bättre i jämförelse med andra", |s| &s.better),
            ("Sämre i jämförelse med andra", |s| &s.worse),
            ("Förbättrade för båda könen", |s| &s.improved_both_sexes),
            ("Förbättrade endast för män", |s| &s.improved_only_men),
            ("Förbättrade endast för kvinnor", |s| &s.improved_only_women),
            ("Förbättrade totalt (ej könsuppdelat)", |s| &s.improved_total_only),
            ("Faktanyckeltal", |s| &s.fact_indicators),
        ];
        rows.push(CompareRow { label: "Antal nyckeltal", a: sa.total.to_string(), b: sb.total.to_string() });
        for (label, f) in sets {
            rows.push(CompareRow { label, a: fmt(f(&sa)), b: fmt(f(&sb)) });
        }
    }
    render(&ComparePage {
        ctx: PageCtx::new("Jämför utgåvor", "nyckeltal", &user),
        focus_name: names.name(&focus),
        focus_options: names.focus_options(&focus),
        years: years.iter().map(|y| (*y, Some(*y) == a, Some(*y) == b)).collect(),
        a,
        b,
        rows,
        values,
    })
}

// ---------------------------------------------------------------------------------------------
// API

#[derive(Deserialize, Default)]
pub struct ApiQuery {
    focus: Option<String>,
}

/// `GET /api/v1/infographic/{ar}/summary?focus=0020` (schema in README.md).
pub async fn api_summary(
    State(state): State<AppState>,
    Path(ar): Path<String>,
    Query(q): Query<ApiQuery>,
) -> Response {
    let err =
        |status: StatusCode, msg: String| (status, Json(serde_json::json!({ "error": msg }))).into_response();
    let Ok(year) = Year::parse(&ar) else {
        return err(StatusCode::NOT_FOUND, format!("\"{ar}\" är inget årtal."));
    };
    let names = match Names::load(&state).await {
        Ok(n) => n,
        Err(_) => {
            return err(StatusCode::INTERNAL_SERVER_ERROR, "Organisationsregistret kunde inte läsas.".into())
        }
    };
    let focus = match focus_of(q.focus.as_deref(), &names) {
        Ok(f) => f,
        Err(_) => {
            return err(
                StatusCode::BAD_REQUEST,
                "Parametern focus ska vara en organisationskod med fyra siffror.".into(),
            )
        }
    };
    let edition = match state.db.nyckeltal_editions().await {
        Ok(editions) => state.db.nyckeltal_edition_for_focus(year, &editions, &focus).await,
        Err(e) => Err(e),
    };
    match edition {
        Ok(e) => Json(crate::api::InfographicSummary::new(&e, &focus, &names.name(&focus))).into_response(),
        Err(e) => err(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Open data: published editions

/// Column names of the open-data export, in their fixed order (CSV header and JSON keys).
pub const OPEN_DATA_COLUMNS: [&str; 8] =
    ["nyckeltal", "titel", "organisationskod", "organisation", "år", "kön", "värde", "status"];

/// One value of a published edition in the open-data export.
struct OpenValue {
    indicator: String,
    title: String,
    org: String,
    org_name: String,
    year: i32,
    gender: Gender,
    value: gnv_core::nyckeltal::Value,
}

/// All values of an edition, ordered by indicator, organisation code, year and sex (T, K, M).
fn open_values(edition: &Edition, names: &Names) -> Vec<OpenValue> {
    let mut obs = edition.data().observations();
    obs.sort_by(|a, b| {
        (a.indicator, &a.org, a.period, a.gender).cmp(&(b.indicator, &b.org, b.period, b.gender))
    });
    let mut name_cache: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    obs.into_iter()
        .map(|o| {
            let org_name = name_cache.entry(o.org.clone()).or_insert_with(|| names.name(&o.org)).clone();
            OpenValue {
                indicator: o.indicator.to_string(),
                title: edition.catalogue().get(o.indicator).map(|i| i.title.clone()).unwrap_or_default(),
                org_name,
                org: o.org,
                year: o.period.0,
                gender: o.gender,
                value: o.value,
            }
        })
        .collect()
}

/// A value with full precision and a decimal comma (Swedish Excel reads it as a number).
fn open_number_text(x: f64) -> String {
    format!("{x}").replace('.', ",")
}

fn api_error(status: StatusCode, msg: String) -> Response {
    (status, Json(serde_json::json!({ "error": msg }))).into_response()
}

/// `GET /api/v1/utgavor`: the published editions with links to their data.
pub async fn api_editions(State(state): State<AppState>) -> Response {
    match state.db.nyckeltal_editions().await {
        Ok(list) => {
            let editions: Vec<serde_json::Value> = list
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "id": e.year,
                        "year": e.year,
                        "title": e.title,
                        "uid": e.uid,
                        "published_at": e.published_at,
                        "value_count": e.value_count,
                        "csv": format!("/api/v1/utgavor/{}.csv", e.year),
                        "json": format!("/api/v1/utgavor/{}.json", e.year),
                    })
                })
                .collect();
            Json(serde_json::json!({ "editions": editions, "source": ATTRIBUTION })).into_response()
        }
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// `GET /api/v1/utgavor/{år}.csv|.json`: every value of a published (frozen) edition.
pub async fn api_edition_data(State(state): State<AppState>, Path(utgava): Path<String>) -> Response {
    let (id, ext) = match utgava.rsplit_once('.') {
        Some((id, ext)) if ext == "csv" || ext == "json" => (id, ext),
        _ => {
            return api_error(
                StatusCode::NOT_FOUND,
                format!("\"{utgava}\" finns inte; använd {{år}}.csv eller {{år}}.json, t.ex. 2025.csv."),
            )
        }
    };
    let not_published = || api_error(StatusCode::NOT_FOUND, format!("Utgåvan {id} är inte publicerad."));
    let Ok(year) = Year::parse(id) else { return not_published() };
    let edition = match state.db.nyckeltal_edition(year).await {
        Ok(Some(e)) => e,
        Ok(None) => return not_published(),
        Err(e) => return api_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let names = match Names::load(&state).await {
        Ok(n) => n.of_edition(&state, &edition).await,
        Err(e) => Err(e),
    };
    let Ok(names) = names else {
        return api_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Organisationsregistret kunde inte läsas.".into(),
        );
    };
    let values = open_values(&edition, &names);
    let filename = format!("infografik-{year}.{ext}");
    if ext == "csv" {
        let header: Vec<String> = OPEN_DATA_COLUMNS.iter().map(|c| c.to_string()).collect();
        let rows: Vec<Vec<Cell>> = values
            .into_iter()
            .map(|v| {
                vec![
                    Cell::Text(v.indicator),
                    Cell::Text(v.title),
                    Cell::Text(v.org),
                    Cell::Text(v.org_name),
                    Cell::Integer(v.year as i64),
                    Cell::text(v.gender.as_str()),
                    v.value.number().map(|x| Cell::Text(open_number_text(x))).unwrap_or(Cell::Empty),
                    Cell::text(v.value.code().unwrap_or("")),
                ]
            })
            .collect();
        return file_response("text/csv; charset=utf-8", &filename, with_bom_csv(&header, &rows), true);
    }
    let rows: Vec<serde_json::Value> = values
        .into_iter()
        .map(|v| {
            let mut m = serde_json::Map::new();
            let cells = [
                serde_json::json!(v.indicator),
                serde_json::json!(v.title),
                serde_json::json!(v.org),
                serde_json::json!(v.org_name),
                serde_json::json!(v.year),
                serde_json::json!(v.gender.as_str()),
                serde_json::json!(v.value.number()),
                serde_json::json!(v.value.code().unwrap_or("")),
            ];
            for (k, c) in OPEN_DATA_COLUMNS.iter().zip(cells) {
                m.insert(k.to_string(), c);
            }
            serde_json::Value::Object(m)
        })
        .collect();
    let doc = serde_json::json!({
        "edition": {
            "id": edition.meta.year,
            "year": edition.meta.year,
            "title": edition.meta.title,
            "uid": edition.meta.uid,
            "published_at": edition.meta.published_at,
            "value_count": edition.meta.value_count,
        },
        "columns": OPEN_DATA_COLUMNS,
        "values": rows,
        "source": ATTRIBUTION,
    });
    match serde_json::to_vec(&doc) {
        Ok(body) => file_response("application/json", &filename, body, false),
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Administration

/// A catalogue row on the admin page.
pub struct CatalogueRow {
    pub code: String,
    pub title: String,
    pub status: &'static str,
    pub direction: &'static str,
    pub sources: String,
    pub split: &'static str,
    pub group: String,
}

#[derive(Template)]
#[template(path = "nyckeltal_admin.html")]
struct AdminPage {
    ctx: PageCtx,
    editions: Vec<EditionMeta>,
    imports: Vec<ImportRow>,
    catalogue: Vec<CatalogueRow>,
    catalogue_stored: bool,
    warnings: Vec<String>,
    error: Option<String>,
    report: Option<String>,
    suggested_year: i32,
    value_count: i64,
    kpi: super::nyckeltal_kpi::KpiSection,
}

async fn admin_page(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    report: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    admin_page_kpi(state, user, error, report, flash, &Default::default()).await
}

/// The admin page with the KPI search's section in the state `kpi` asks for.
pub(super) async fn admin_page_kpi(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    report: Option<String>,
    flash: Option<String>,
    kpi: &super::nyckeltal_kpi::KpiQuery,
) -> AppResult<Response> {
    let catalogue = state.db.nyckeltal_catalogue().await?;
    let editions = state.db.nyckeltal_editions().await?;
    let suggested_year = editions
        .first()
        .map(|e| e.year as i32 + 1)
        .unwrap_or_else(|| chrono::Utc::now().format("%Y").to_string().parse().unwrap_or(2025));
    let rows = catalogue
        .indicators()
        .iter()
        .map(|i| CatalogueRow {
            code: i.code.to_string(),
            title: i.title.clone(),
            status: i.status.label(),
            direction: i.direction.label(),
            sources: if i.sources.is_empty() {
                "–".into()
            } else {
                i.sources.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>().join(", ")
            },
            split: if i.split_by_sex { "ja" } else { "nej" },
            group: i.comparison_group.label(),
        })
        .collect();
    let kpi = super::nyckeltal_kpi::section(state, &catalogue, kpi).await?;
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut resp = render(&AdminPage {
        kpi,
        ctx: PageCtx::new("Nyckeltal – administration", "nyckeltal", user).with_flash(flash),
        warnings: catalogue.shape_warnings(),
        catalogue: rows,
        catalogue_stored: state.db.nyckeltal_catalogue_is_stored().await?,
        imports: state.db.nyckeltal_imports(20).await?,
        value_count: state.db.nyckeltal_value_count().await?,
        editions,
        error,
        report,
        suggested_year,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

pub async fn admin(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    admin_page(&state, &user, None, None, flash_message(q.ok.as_deref())).await
}

pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    fields: Fields,
) -> AppResult<Response> {
    let year = match fields.get("ar").parse::<i32>() {
        Ok(y) if (1990..=2100).contains(&y) => y,
        _ => {
            return admin_page(&state, &user, Some("Ange utgåvans år, t.ex. 2025.".into()), None, None).await
        }
    };
    match state.db.nyckeltal_publish(year, &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/nyckeltal/{year}?ok=publicerad")).into_response()),
        Err(gnv_storage::StorageError::Invalid(m)) | Err(gnv_storage::StorageError::Conflict(m)) => {
            admin_page(&state, &user, Some(m), None, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn read_files(mut multipart: Multipart, field: &str) -> AppResult<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    while let Some(f) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Uppladdningen kunde inte läsas.".into()))?
    {
        if f.name() != Some(field) {
            continue;
        }
        let name = f.file_name().unwrap_or("fil").to_string();
        let bytes = f.bytes().await.map_err(|_| AppError::BadRequest("Filen kunde inte läsas.".into()))?;
        if !bytes.is_empty() {
            files.push((name, bytes.to_vec()));
        }
    }
    Ok(files)
}

/// Imports uploaded files: `.json` = saved Kolada v3 data pages (several at once), `.csv` /
/// `.xlsx` = manual values. All files in one all-or-nothing import.
pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> AppResult<Response> {
    let files = read_files(multipart, "filer").await?;
    match import_files(&state, &user, files).await {
        Ok(summary) => admin_page(&state, &user, None, Some(summary), Some("Importen är klar.".into())).await,
        Err(msg) => {
            admin_page(&state, &user, Some(format!("{msg}\nInget har importerats.")), None, None).await
        }
    }
}

async fn import_files(
    state: &AppState,
    user: &CurrentUser,
    files: Vec<(String, Vec<u8>)>,
) -> Result<String, String> {
    if files.is_empty() {
        return Err("Välj minst en fil att importera.".into());
    }
    let catalogue = state.db.nyckeltal_catalogue().await.map_err(|e| e.to_string())?;
    let json = files.iter().all(|(n, _)| n.to_lowercase().ends_with(".json"));
    let (mut batch, raw, source) = if json {
        let mut docs = Vec::new();
        for (n, b) in files {
            let text = String::from_utf8(b).map_err(|_| format!("fil {n}: filen är inte UTF-8-text."))?;
            docs.push((n, text));
        }
        let (batch, raw) = gnv_kolada::files::load_texts(docs, &catalogue).map_err(|e| e.to_string())?;
        (batch, raw, "kolada-fil")
    } else if files.len() == 1 {
        let (n, b) = files.into_iter().next().ok_or("Ingen fil.")?;
        let batch = gnv_kolada::manual::parse_file(&n, &b, &catalogue).map_err(|e| e.to_string())?;
        let body = if n.to_lowercase().ends_with(".csv") {
            String::from_utf8_lossy(&b).into_owned()
        } else {
            format!("(Excel-fil, {} byte)", b.len())
        };
        (batch, vec![RawDoc { name: n, body: RawBody::Text(body) }], "egen")
    } else {
        return Err(
            "Ladda upp antingen en eller flera Kolada-filer (.json) eller en CSV-/Excel-fil med egna värden."
                .into(),
        );
    };
    let names: Vec<String> = raw.iter().map(|d| d.name.clone()).collect();
    let meta = ImportMeta {
        source: source.into(),
        description: format!("Uppladdat: {}", names.join(", ")),
        fetched_at: None,
    };
    let report =
        state.db.nyckeltal_import(&mut batch, &raw, &meta, &user.actor()).await.map_err(|e| e.to_string())?;
    Ok(report.summary())
}

/// A raw document in the list of an import.
pub struct RawDocRow {
    pub id: i64,
    /// 1-based position in the import.
    pub number: usize,
    pub name: String,
    pub size: String,
    pub filename: String,
}

#[derive(Template)]
#[template(path = "nyckeltal_import.html")]
struct ImportDocsPage {
    ctx: PageCtx,
    import: ImportRow,
    added: String,
    changed: String,
    skipped: String,
    docs: Vec<RawDocRow>,
}

fn parse_id(s: &str) -> AppResult<i64> {
    s.parse::<i64>().ok().filter(|i| *i > 0).ok_or_else(AppError::not_found)
}

/// A safe download name for a raw document: the file name it was read from, or for a Kolada
/// response (a URL) `kolada-{import}-{nr}.json`.
fn raw_filename(import_id: i64, number: usize, name: &str) -> String {
    let base = if name.contains("://") {
        String::new()
    } else {
        name.rsplit(['/', '\\']).next().unwrap_or("").to_string()
    };
    let clean: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let clean = clean.trim_start_matches('.').to_string();
    if clean.is_empty() {
        format!("kolada-{import_id}-{number}.json")
    } else {
        clean
    }
}

fn raw_content_type(filename: &str) -> &'static str {
    let lower = filename.to_lowercase();
    if lower.ends_with(".json") {
        "application/json; charset=utf-8"
    } else if lower.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// `GET /nyckeltal/admin/import/{id}`: an import and its raw documents, each downloadable.
pub async fn import_documents(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let import = state.db.nyckeltal_import_row(id).await?.ok_or_else(AppError::not_found)?;
    let docs = state
        .db
        .nyckeltal_raw_document_list(id)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, d)| RawDocRow {
            id: d.id,
            number: i + 1,
            filename: raw_filename(id, i + 1, &d.name),
            name: d.name,
            size: gnv_core::format::integer(d.size),
        })
        .collect();
    use gnv_core::format::integer;
    render(&ImportDocsPage {
        ctx: PageCtx::new(format!("Import {id}: råa dokument"), "nyckeltal", &user),
        added: integer(import.added),
        changed: integer(import.changed),
        skipped: integer(import.skipped),
        import,
        docs,
    })
}

/// `GET /nyckeltal/admin/import/{id}/{dok}`: one raw document exactly as it was read.
pub async fn import_document(
    State(state): State<AppState>,
    Path((id, dok)): Path<(String, String)>,
) -> AppResult<Response> {
    let (id, dok) = (parse_id(&id)?, parse_id(&dok)?);
    let list = state.db.nyckeltal_raw_document_list(id).await?;
    let number = list.iter().position(|d| d.id == dok).ok_or_else(AppError::not_found)? + 1;
    let (name, body) = state.db.nyckeltal_raw_document(id, dok).await?.ok_or_else(AppError::not_found)?;
    let filename = raw_filename(id, number, &name);
    Ok(file_response(raw_content_type(&filename), &filename, body.into_bytes(), true))
}

pub async fn catalogue_toml(State(state): State<AppState>) -> AppResult<Response> {
    let cat = state.db.nyckeltal_catalogue().await?;
    Ok(file_response(
        "application/toml; charset=utf-8",
        "nyckeltalskatalog.toml",
        gnv_core::nyckeltal::to_toml(&cat).into_bytes(),
        true,
    ))
}

pub async fn catalogue_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> AppResult<Response> {
    let files = read_files(multipart, "katalog").await?;
    let Some((name, bytes)) = files.into_iter().next() else {
        return admin_page(&state, &user, Some("Välj en TOML-fil med katalogen.".into()), None, None).await;
    };
    let parsed = std::str::from_utf8(&bytes)
        .map_err(|_| "Filen är inte UTF-8-text.".to_string())
        .and_then(|t| gnv_core::nyckeltal::parse_toml(t).map_err(|e| e.with_file(&name).to_string()));
    match parsed {
        Ok(cat) => {
            state.db.nyckeltal_replace_catalogue(&cat, &user.actor()).await?;
            Ok(Redirect::to("/nyckeltal/admin?ok=sparat").into_response())
        }
        Err(msg) => {
            admin_page(&state, &user, Some(format!("{msg}\nKatalogen har inte ändrats.")), None, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "nyckeltal_katalog_edit.html")]
struct IndicatorForm {
    ctx: PageCtx,
    ind: Indicator,
    sources: String,
    named_group: String,
    named_codes: String,
    group_kind: &'static str,
    error: Option<String>,
}

fn form_page(user: &CurrentUser, ind: Indicator, error: Option<String>) -> AppResult<Response> {
    let (group_kind, named_group, named_codes) = match &ind.comparison_group {
        ComparisonGroup::AllMunicipalities => ("alla_kommuner", String::new(), String::new()),
        ComparisonGroup::AllRegions => ("alla_regioner", String::new(), String::new()),
        ComparisonGroup::Named { name, codes } => ("namngiven", name.clone(), codes.join(", ")),
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut resp = render(&IndicatorForm {
        ctx: PageCtx::new(format!("Redigera nyckeltal {}", ind.code), "nyckeltal", user),
        sources: ind.sources.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>().join(", "),
        ind,
        named_group,
        named_codes,
        group_kind,
        error,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

async fn find_indicator(state: &AppState, kod: &str) -> AppResult<(Catalogue, Indicator)> {
    let code: IndicatorCode = kod.parse().map_err(|_| AppError::not_found())?;
    let cat = state.db.nyckeltal_catalogue().await?;
    let ind = cat.get(code).cloned().ok_or_else(AppError::not_found)?;
    Ok((cat, ind))
}

pub async fn indicator_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kod): Path<String>,
) -> AppResult<Response> {
    let (_, ind) = find_indicator(&state, &kod).await?;
    form_page(&user, ind, None)
}

fn parse_indicator_form(mut ind: Indicator, f: &Fields) -> Result<Indicator, String> {
    let err = |e: AppError| match e {
        AppError::BadRequest(m) => m,
        _ => "Formuläret kunde inte läsas.".into(),
    };
    ind.title = f.required("titel", "Titel", 300).map_err(err)?;
    ind.unit = f.required("enhet", "Enhet", 100).map_err(err)?;
    ind.description = f.optional("beskrivning", "Beskrivning", 2000).map_err(err)?;
    ind.decimals = f
        .get("decimaler")
        .parse::<u8>()
        .map_err(|_| "Fältet ”Decimaler” ska vara ett heltal 0–4.".to_string())?;
    ind.direction = match f.get("riktning").as_str() {
        "hogre_ar_battre" => Direction::HigherIsBetter,
        "lagre_ar_battre" => Direction::LowerIsBetter,
        "ingen" => Direction::None,
        _ => return Err("Välj riktning.".into()),
    };
    ind.status = match f.get("status").as_str() {
        "aktiv" => IndicatorStatus::Active,
        "under_utveckling" => IndicatorStatus::UnderDevelopment,
        _ => return Err("Välj status.".into()),
    };
    ind.level = match f.get("niva").as_str() {
        "kommun" => Level::Municipality,
        "region" => Level::Region,
        _ => return Err("Välj organisationsnivå.".into()),
    };
    ind.split_by_sex = f.get("konsuppdelad") == "ja";
    let mut sources = Vec::new();
    for s in f.get("kallor").split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()) {
        sources.push(Source::parse(s).map_err(|e| format!("Fältet ”Källor”: {e}"))?);
    }
    ind.sources = sources;
    ind.comparison_group = match f.get("jamforelsegrupp").as_str() {
        "alla_kommuner" => ComparisonGroup::AllMunicipalities,
        "alla_regioner" => ComparisonGroup::AllRegions,
        "namngiven" => ComparisonGroup::Named {
            name: f.required("gruppnamn", "Gruppens namn", 100).map_err(err)?,
            codes: f
                .get("gruppkoder")
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        },
        _ => return Err("Välj jämförelsegrupp.".into()),
    };
    Ok(ind)
}

pub async fn indicator_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kod): Path<String>,
    fields: Fields,
) -> AppResult<Response> {
    let (_, ind) = find_indicator(&state, &kod).await?;
    let edited = match parse_indicator_form(ind.clone(), &fields) {
        Ok(i) => i,
        Err(msg) => return form_page(&user, ind, Some(msg)),
    };
    match state.db.nyckeltal_save_indicator(edited.clone(), &user.actor()).await {
        Ok(()) => Ok(Redirect::to("/nyckeltal/admin?ok=sparat").into_response()),
        Err(gnv_storage::StorageError::Invalid(m)) => form_page(&user, edited, Some(m)),
        Err(e) => Err(e.into()),
    }
}
