//! Analyses: self-assessment for the county (report figure 2, appendix 3, spread, highest and
//! lowest, restrained year-on-year text, footnotes), one LSL's profile, the mapping summary,
//! history import and the JSON summaries.

use super::org_name;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::shared::{OkQuery, Year};
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use gnv_core::format;
use gnv_core::kartlaggning::{self, MappingSummary};
use gnv_core::sjalvskattning::{
    self as sj, LslProfile, SelfAssessmentSummary, YearAnalysis, MARGINAL_SHARE_OF_SPAN,
};
use gnv_storage::StorageError;

/// The self-assessment summary of every year up to `y`.
pub async fn summary_up_to(state: &AppState, y: i32) -> AppResult<SelfAssessmentSummary> {
    let registry = state.db.registry().await?;
    let subgoals = state.db.subgoals().await?;
    let rounds = state.db.sjalvskattning_rounds(&registry, y).await?;
    Ok(sj::summarize(&rounds, &registry, &subgoals))
}

/// One row of the figure-2 table: sub-goal and its mean per year.
pub struct MeanRow {
    pub subgoal: u8,
    pub name: String,
    pub means: Vec<String>,
}

/// One sub-goal's spread row.
pub struct SpreadRow {
    pub subgoal: u8,
    pub name: String,
    pub answered: usize,
    pub mean: String,
    pub sd: String,
    pub min: String,
    pub max: String,
    pub range: String,
    pub largest: bool,
}

/// One distribution table (appendix 3).
pub struct DistTable {
    pub subgoal: u8,
    pub name: String,
    /// (value text, scale label, count, LSL names)
    pub rows: Vec<(String, String, usize, String)>,
}

#[derive(Template)]
#[template(path = "rapportering_sjalvskattning.html")]
struct SjPage {
    ctx: PageCtx,
    year: i32,
    years: Vec<i32>,
    current: Option<YearAnalysis>,
    means: Vec<MeanRow>,
    spread: Vec<SpreadRow>,
    dists: Vec<DistTable>,
    comparison: Vec<String>,
    overview: String,
    lsls: Vec<(String, String)>,
    marginal: String,
    chart_svg: String,
    first_year: i32,
    /// Stored answers left out because they could not be read.
    warnings: Vec<String>,
}

fn dec(x: Option<f64>, d: usize) -> String {
    x.map(|v| format::decimal(v, d)).unwrap_or_else(|| "–".into())
}

/// `GET /rapportering/{ar}/sjalvskattning`
pub async fn sjalvskattning(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let registry = state.db.registry().await?;
    let subgoals = state.db.subgoals().await?;
    let (rounds, warnings) = state.db.sjalvskattning_rounds_checked(&registry, y).await?;
    let mut warnings: Vec<String> = warnings.into_iter().filter(|w| w.year == y).map(|w| w.text).collect();
    warnings.extend(
        super::changed_after_close_notes(&state, y, gnv_core::rapportering::Part::Sjalvskattning).await?,
    );
    let summary = sj::summarize(&rounds, &registry, &subgoals);
    let current = summary.years.iter().find(|a| a.year == y).cloned();
    let years: Vec<i32> = summary.years.iter().map(|a| a.year).collect();
    let first_year = years.first().copied().unwrap_or(y);
    let means = (1..=5u8)
        .map(|n| MeanRow {
            subgoal: n,
            name: summary.years.iter().find_map(|a| a.subgoal(n)).map(|s| s.name.clone()).unwrap_or_default(),
            means: summary.years.iter().map(|a| dec(a.subgoal(n).and_then(|s| s.mean), 1)).collect(),
        })
        .collect();
    let name_of = |code: &str| org_name(&registry, code);
    let (spread, dists) = match &current {
        Some(a) => (
            a.subgoals
                .iter()
                .map(|s| SpreadRow {
                    subgoal: s.subgoal,
                    name: s.name.clone(),
                    answered: s.answered,
                    mean: dec(s.mean, 2),
                    sd: dec(s.std_dev, 2),
                    min: s.min.map(|v| v.to_string()).unwrap_or_else(|| "–".into()),
                    max: s.max.map(|v| v.to_string()).unwrap_or_else(|| "–".into()),
                    range: dec(s.range, 1),
                    largest: a.largest_spread.contains(&s.subgoal),
                })
                .collect(),
            a.subgoals
                .iter()
                .map(|s| DistTable {
                    subgoal: s.subgoal,
                    name: s.name.clone(),
                    rows: s
                        .distribution
                        .iter()
                        .map(|o| {
                            (
                                o.label.clone(),
                                o.scale_label
                                    .clone()
                                    .unwrap_or_else(|| "mellan två steg (medelvärde)".into()),
                                o.count,
                                o.lsls.iter().map(|c| name_of(c)).collect::<Vec<_>>().join(", "),
                            )
                        })
                        .collect(),
                })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let cmp = summary.comparisons.iter().find(|c| c.to_year == y);
    let chart_svg = match &current {
        Some(a) => gnv_render::chart::grouped_bar_chart(&gnv_render::chart::GroupedBarChart {
            title: format!("Medelvärde per delmål {first_year}–{y}"),
            description:
                "Länets medelvärde av de lokala systemledningarnas självskattning per delmål och år.".into(),
            unit: String::new(),
            categories: (1..=5u8)
                .map(|n| {
                    summary
                        .years
                        .iter()
                        .find_map(|x| x.subgoal(n))
                        .map(|s| format!("{n}. {}", s.name))
                        .unwrap_or_default()
                })
                .collect(),
            groups: summary
                .years
                .iter()
                .map(|x| gnv_render::chart::Series {
                    name: x.year.to_string(),
                    values: (1..=5u8).map(|n| x.subgoal(n).and_then(|s| s.mean)).collect(),
                })
                .collect(),
            decimals: 1,
            range: Some((f64::from(a.scale.min()) - 1.0, f64::from(a.scale.max()))),
            width: 760,
            height: 360,
        }),
        None => String::new(),
    };
    let marginal = current
        .as_ref()
        .map(|a| format::decimal(a.scale.marginal_threshold(), 1))
        .unwrap_or_else(|| "0,2".into());
    render(&SjPage {
        ctx: PageCtx::new(format!("Självskattning {y}"), "rapportering", &user),
        year: y,
        years,
        means,
        spread,
        dists,
        comparison: cmp.map(|c| c.changes.iter().map(|x| x.sentence.clone()).collect()).unwrap_or_default(),
        overview: cmp.map(|c| c.overview.clone()).unwrap_or_default(),
        lsls: current
            .as_ref()
            .map(|_| registry.lsls.iter().map(|l| (l.code.clone(), l.name.clone())).collect())
            .unwrap_or_default(),
        chart_svg,
        first_year,
        warnings,
        current,
        marginal: format!(
            "{marginal} ({} % av skalans spännvidd)",
            format::number(MARGINAL_SHARE_OF_SPAN * 100.0, 1)
        ),
    })
}

/// One row of the LSL profile table.
pub struct ProfileView {
    pub subgoal: u8,
    pub name: String,
    pub own: String,
    pub county: String,
    pub diff: String,
    pub earlier: Vec<String>,
    pub respondents: String,
}

#[derive(Template)]
#[template(path = "rapportering_lsl.html")]
struct LslPage {
    ctx: PageCtx,
    year: i32,
    name: String,
    profile: Option<LslProfile>,
    rows: Vec<ProfileView>,
    earlier_years: Vec<i32>,
    applied: String,
    /// Individual answers (names, roles, ratings, reflections) are shown: admins and the LSL's
    /// own respondents only (the route declares `individual_answers`).
    individual: bool,
}

/// `GET /rapportering/{ar}/sjalvskattning/{lsl}`
pub async fn lsl_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, lsl)): Path<(String, String)>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let registry = state.db.registry().await?;
    let Some(l) = registry.lsls.iter().find(|l| l.code == lsl) else {
        return Err(AppError::not_found());
    };
    let subgoals = state.db.subgoals().await?;
    let rounds = state.db.sjalvskattning_rounds(&registry, y).await?;
    let individual = user.may_act_for(&lsl);
    let mut profile = sj::lsl_profile(&lsl, y, &rounds, &registry, &subgoals);
    if !individual {
        if let Some(p) = profile.as_mut() {
            p.reflections.clear();
            for r in &mut p.rows {
                r.respondents.clear();
            }
        }
    }
    let earlier_years: Vec<i32> = profile
        .as_ref()
        .and_then(|p| p.rows.first())
        .map(|r| r.earlier.iter().map(|e| e.year).collect())
        .unwrap_or_default();
    let rows = profile
        .as_ref()
        .map(|p| {
            p.rows
                .iter()
                .map(|r| ProfileView {
                    subgoal: r.subgoal,
                    name: r.name.clone(),
                    own: r.own.map(|v| v.to_string()).unwrap_or_else(|| "–".into()),
                    county: dec(r.county_mean, 1),
                    diff: r
                        .difference
                        .map(|d| {
                            let t = format::decimal(d.abs(), 1);
                            if d > 0.05 {
                                format!("↑ {t} över länet")
                            } else if d < -0.05 {
                                format!("↓ {t} under länet")
                            } else {
                                "som länet".into()
                            }
                        })
                        .unwrap_or_default(),
                    earlier: r
                        .earlier
                        .iter()
                        .map(|e| e.value.map(|v| v.to_string()).unwrap_or_else(|| "–".into()))
                        .collect(),
                    respondents: r
                        .respondents
                        .iter()
                        .map(|x| {
                            let who = if x.respondent.is_empty() {
                                x.role.clone()
                            } else {
                                format!("{} ({})", x.respondent, x.role)
                            };
                            match &x.perspective {
                                Some(p) => format!("{who}, {}: {}", p.to_lowercase(), x.rating),
                                None => format!("{who}: {}", x.rating),
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                })
                .collect()
        })
        .unwrap_or_default();
    let applied = match profile.as_ref().and_then(|p| p.applied_table) {
        Some(true) => "Ja".to_string(),
        Some(false) => "Nej".to_string(),
        None => "Ej besvarat".to_string(),
    };
    render(&LslPage {
        ctx: PageCtx::new(format!("Självskattning {y} – {}", l.name), "rapportering", &user),
        year: y,
        name: l.name.clone(),
        profile,
        rows,
        earlier_years,
        applied,
        individual,
    })
}

#[derive(Template)]
#[template(path = "rapportering_kartlaggning.html")]
struct KartPage {
    ctx: PageCtx,
    year: i32,
    summary: Option<MappingSummary>,
    /// Stored answers left out because they could not be read.
    warnings: Vec<String>,
}

/// The mapping summary of `y` (`None` when nothing is submitted) and the texts of stored answers
/// left out because they could not be read: one answer never fails the page or the API.
async fn mapping_summary(state: &AppState, y: i32) -> AppResult<(Option<MappingSummary>, Vec<String>)> {
    let registry = state.db.registry().await?;
    let (round, warnings) = state.db.kartlaggning_round_checked(y, &registry).await?;
    let summary = round.filter(|r| !r.answers.is_empty()).map(|r| kartlaggning::summarize(&r, &registry));
    Ok((summary, warnings.into_iter().map(|w| w.text).collect()))
}

/// `GET /rapportering/{ar}/kartlaggning`
pub async fn kartlaggning(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let (summary, mut warnings) = mapping_summary(&state, y).await?;
    warnings.extend(
        super::changed_after_close_notes(&state, y, gnv_core::rapportering::Part::Kartlaggning).await?,
    );
    render(&KartPage {
        ctx: PageCtx::new(format!("Kartläggning {y}"), "rapportering", &user),
        year: y,
        summary,
        warnings,
    })
}

/// `GET /api/v1/rounds/{ar}/sjalvskattning/summary`
pub async fn api_sjalvskattning(
    State(state): State<AppState>,
    Path(ar): Path<String>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    Ok(Json(summary_up_to(&state, y).await?).into_response())
}

/// `GET /api/v1/rounds/{ar}/kartlaggning/summary` — `null` when nothing is submitted.
pub async fn api_kartlaggning(State(state): State<AppState>, Path(ar): Path<String>) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    Ok(Json(mapping_summary(&state, y).await?.0).into_response())
}

#[derive(Template)]
#[template(path = "rapportering_historik.html")]
struct HistoryPage {
    ctx: PageCtx,
    years: Vec<i32>,
    errors: Vec<String>,
}

async fn history_page(
    state: &AppState,
    user: &CurrentUser,
    errors: Vec<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut resp = render(&HistoryPage {
        ctx: PageCtx::new("Importera tidigare års självskattningar", "rapportering", user).with_flash(flash),
        years: state.db.sjalvskattning_history_years().await?,
        errors,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /rapportering/historik`
pub async fn history_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    history_page(&state, &user, Vec::new(), q.flash()).await
}

/// `POST /rapportering/historik` (multipart, field `fil`): CSV or XLSX, all or nothing.
pub async fn history_import(
    State(state): State<AppState>,
    user: CurrentUser,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("fil") {
            let name = field.file_name().unwrap_or("fil").to_string();
            let bytes =
                field.bytes().await.map_err(|_| AppError::BadRequest("Filen kunde inte tas emot.".into()))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let Some((name, bytes)) = file.filter(|f| !f.1.is_empty()) else {
        return history_page(&state, &user, vec!["Välj en fil att importera.".into()], None).await;
    };
    let text = if bytes.starts_with(b"PK") || name.to_lowercase().ends_with(".xlsx") {
        match gnv_core::rapportering::xlsx::first_sheet_as_csv(&bytes, &name) {
            Ok(t) => t,
            Err(e) => return history_page(&state, &user, e.lines(), None).await,
        }
    } else {
        match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                return history_page(
                    &state,
                    &user,
                    vec![format!("fil {name}: Filen är inte UTF-8-kodad text. Spara som CSV UTF-8.")],
                    None,
                )
                .await
            }
        }
    };
    let registry = state.db.registry().await?;
    let subgoals = state.db.subgoals().await?;
    let rounds = match sj::import_csv(&text, &registry, &sj::Scale::default(), &subgoals) {
        Ok(r) => r,
        Err(e) => return history_page(&state, &user, e.with_file(&name).lines(), None).await,
    };
    match state.db.import_sjalvskattning_history(&rounds, &user.actor()).await {
        Ok(_) => Ok(Redirect::to("/rapportering/historik?ok=importerat").into_response()),
        Err(StorageError::Conflict(m)) | Err(StorageError::Invalid(m)) => {
            history_page(&state, &user, vec![m], None).await
        }
        Err(e) => Err(e.into()),
    }
}
