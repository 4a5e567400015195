//! Pages of the kommunenkät (municipal survey to Socialstyrelsen): the form per municipality and
//! year (two parts: areas and ways of working, free-text headings; save draft / submit), the
//! compilation (figure 3 with a table, development potential, free text per heading with the
//! municipality hidden by default), the XLSX export and the JSON summary.

use super::form::{Fields, Form, ReasonForm};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::pages::rapportering::{Answerer, StatusBadge};
use crate::routes::Routes;
use crate::shared::Year;
use crate::view::filters;
use crate::view::{flash_message, render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use gnv_core::access::Access;
use gnv_core::kommunenkat::{
    fields, parse_form, Area, Heading, MunicipalAnswer, SurveyCompilation, OTHER_CODE, OTHER_LABEL,
};
use gnv_core::organisation::Registry;
use gnv_core::rapportering::Status as PartStatus;
use serde::Deserialize;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    use Access::*;
    r.get("/kommunenkat", LoggedIn, "Kommunenkät: år och kommunernas svar", index)
        .get("/kommunenkat/{ar}", LoggedIn, "Kommunenkät: sammanställning för ett år", compilation)
        .get(
            "/kommunenkat/{ar}/export.xlsx",
            LoggedIn,
            "Kommunenkät: sammanställningen som Excel-fil (för Socialstyrelsen)",
            export_xlsx,
        )
        .get("/kommunenkat/{ar}/kommun/{kod}", Respondent, "Kommunenkät: en kommuns formulär", form)
        .post(
            "/kommunenkat/{ar}/kommun/{kod}",
            Respondent,
            "Kommunenkät: spara utkast eller skicka in en kommuns svar",
            submit,
        )
        .post(
            "/kommunenkat/{ar}/kommun/{kod}/ateroppna",
            Admin,
            "Kommunenkät: återöppna ett inskickat svar",
            reopen,
        )
        .get(
            "/api/v1/rounds/{year}/kommunenkat/summary",
            LoggedIn,
            "Kommunenkätens sammanställning som JSON",
            api_summary,
        )
        .json::<SummaryJson>()
}

/// Parses a year from a path; 404 outside the accepted range.
/// The year of the current reporting round: the previous calendar year (answers are given the
/// year after the year they describe).
pub(crate) fn current_round_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year() - 1
}

/// The year whose `part` a municipality answers now: the newest open round carrying the part,
/// else [`current_round_year`].
pub(crate) async fn answering_year(state: &AppState, part: gnv_core::rapportering::Part) -> AppResult<i32> {
    let rounds = state.db.rounds().await?;
    Ok(rounds
        .iter()
        .filter(|r| r.parts.contains(&part) && r.is_open())
        .map(|r| r.year)
        .max()
        .unwrap_or_else(current_round_year))
}

/// The registry name of a municipality; 404 when the code is not a municipality.
pub(crate) fn municipality_name(registry: &Registry, code: &str) -> AppResult<String> {
    registry
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .map(|m| m.name.clone())
        .ok_or_else(AppError::not_found)
}

/// The municipalities the user may answer for, in registry order: (code, name).
pub(crate) fn own_municipalities(registry: &Registry, user: &CurrentUser) -> Vec<(String, String)> {
    if user.user.role != gnv_core::access::Role::Respondent {
        return Vec::new();
    }
    registry
        .municipalities
        .iter()
        .filter(|m| user.may_act_for(&m.code))
        .map(|m| (m.code.clone(), m.name.clone()))
        .collect()
}

#[derive(Deserialize)]
pub struct PageQuery {
    ok: Option<String>,
    visa_kommun: Option<String>,
}

impl PageQuery {
    /// The `ok` flash key, if any.
    pub fn ok_key(&self) -> Option<&str> {
        self.ok.as_deref()
    }
}

// ---------------------------------------------------------------- index

struct YearLine {
    year: i32,
    answered: String,
}

#[derive(Template)]
#[template(path = "kommunenkat_index.html")]
struct IndexPage {
    ctx: PageCtx,
    years: Vec<YearLine>,
    current_year: i32,
    /// (code, name, status) for the user's own municipalities in the current round.
    own: Vec<(String, String, PartStatus)>,
}

pub async fn index(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let current_year = answering_year(&state, gnv_core::rapportering::Part::Kommunenkat).await?;
    let mut years = state.db.survey_years().await?;
    if !years.contains(&current_year) {
        years.push(current_year);
    }
    years.sort_unstable_by(|a, b| b.cmp(a));
    let mut lines = Vec::new();
    for y in years {
        let c = state.db.kommunenkat_compilation(y).await?;
        lines.push(YearLine { year: y, answered: c.answered_text });
    }
    let mut own = Vec::new();
    for (code, name) in own_municipalities(&registry, &user) {
        let status = state.db.kommunenkat_status(current_year, &code).await?;
        own.push((code, name, status));
    }
    render(&IndexPage {
        ctx: PageCtx::new("Kommunenkät", "rapportering", &user),
        years: lines,
        current_year,
        own,
    })
}

// ---------------------------------------------------------------- compilation

struct StatusLine {
    code: String,
    name: String,
    status: PartStatus,
    may_edit: bool,
}

#[derive(Template)]
#[template(path = "kommunenkat_sammanstallning.html")]
struct CompilationPage {
    ctx: PageCtx,
    year: i32,
    c: SurveyCompilation,
    statuses: Vec<StatusLine>,
    show_municipality: bool,
    development_text: Option<String>,
    chart_svg: String,
    /// The figure's number in the year's annual report (the same number on this page).
    figure: Option<usize>,
    /// Stored answers left out because they could not be read.
    warnings: Vec<String>,
}

pub async fn compilation(
    State(state): State<AppState>,
    user: CurrentUser,
    Year(year): Year,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (c, warnings) = state.db.kommunenkat_compilation_checked(year).await?;
    let mut warnings: Vec<String> = warnings.into_iter().map(|w| w.text).collect();
    warnings.extend(
        crate::pages::rapportering::changed_after_close_notes(
            &state,
            year,
            gnv_core::rapportering::Part::Kommunenkat,
        )
        .await?,
    );
    let mut statuses = Vec::new();
    for m in &c.municipalities {
        statuses.push(StatusLine {
            code: m.code.clone(),
            name: m.name.clone(),
            status: state.db.kommunenkat_status(year, &m.code).await?,
            may_edit: user.may_act_for(&m.code),
        });
    }
    let show_municipality = q.visa_kommun.as_deref() == Some("ja");
    let development_text = c.development_potential_text();
    let chart_svg = figure3_svg(&c);
    // The number the figure has in the annual report of the year (published: the frozen one).
    let (input, _) = super::arsrapport::report_input(&state.db, year).await?;
    let figure = gnv_report::figure_number(&gnv_report::build(&input), gnv_report::SURVEY_AREAS_CAPTION);
    render(&CompilationPage {
        ctx: PageCtx::new(format!("Kommunenkät {year}"), "rapportering", &user)
            .with_flash(flash_message(q.ok_key())),
        year,
        c,
        statuses,
        show_municipality,
        development_text,
        chart_svg,
        figure,
        warnings,
    })
}

/// Figure 3 as an SVG: horizontal bars in the compilation's order (count descending, "annat"
/// last), scaled to the number of municipalities that answered.
fn figure3_svg(c: &SurveyCompilation) -> String {
    use gnv_render::chart::{bar_chart, Bar, BarChart};
    if c.answered == 0 {
        return String::new();
    }
    let description =
        c.areas.iter().map(|a| format!("{}: {}", a.label, a.count)).collect::<Vec<_>>().join("; ");
    bar_chart(&BarChart {
        title: format!("Områden och arbetssätt i relation till antal kommuner, {}", c.year),
        description: format!("Antal kommuner av {} som svarat. {description}.", c.answered),
        unit: "Antal kommuner".to_string(),
        bars: c
            .areas
            .iter()
            .map(|a| Bar { label: a.label.clone(), value: Some(a.count as f64), highlight: false })
            .collect(),
        references: Vec::new(),
        decimals: 0,
        horizontal: true,
        range: Some((0.0, c.answered as f64)),
        width: 1100,
    })
}

// ---------------------------------------------------------------- form

/// The form's state, from a stored answer or from submitted fields.
pub(crate) struct FormView {
    /// (code, label, checked)
    areas: Vec<(&'static str, &'static str, bool)>,
    other_checked: bool,
    other_text: String,
    /// (field name, title, value)
    texts: Vec<(String, &'static str, String)>,
}

impl FormView {
    fn from_answer(a: Option<&MunicipalAnswer>) -> FormView {
        FormView {
            areas: Area::ALL
                .iter()
                .map(|&area| (area.code(), area.label(), a.is_some_and(|a| a.areas.contains(&area))))
                .collect(),
            other_checked: a.is_some_and(|a| a.other.is_some()),
            other_text: a.and_then(|a| a.other.as_ref()).map(|t| t.to_string()).unwrap_or_default(),
            texts: Heading::ALL
                .iter()
                .map(|&h| {
                    (
                        h.field_name(),
                        h.title(),
                        a.and_then(|a| a.free_text.get(&h)).map(|t| t.to_string()).unwrap_or_default(),
                    )
                })
                .collect(),
        }
    }

    fn from_fields(f: &Fields) -> FormView {
        let ticked = f.all(fields::AREA);
        FormView {
            areas: Area::ALL
                .iter()
                .map(|&area| (area.code(), area.label(), ticked.iter().any(|t| t == area.code())))
                .collect(),
            other_checked: ticked.iter().any(|t| t == OTHER_CODE),
            other_text: f.get(fields::OTHER),
            texts: Heading::ALL
                .iter()
                .map(|&h| (h.field_name(), h.title(), f.get(&h.field_name())))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "kommunenkat_formular.html")]
struct FormPage {
    ctx: PageCtx,
    year: i32,
    name: String,
    status: PartStatus,
    /// The round's last day to answer ("13 februari 2026"); empty without a round.
    deadline: String,
    /// Saved by / at, when saved.
    saved: Option<(String, String)>,
    locked: bool,
    /// Why the respondent cannot write (closed round), if so.
    closed_notice: Option<String>,
    errors: Vec<(String, String)>,
    view: FormView,
    other_label: &'static str,
    /// Where the form posts to (the module page or the personal link).
    action: String,
    /// Answered through a personal link: no breadcrumbs into pages that need a log-in.
    via_link: bool,
}

/// The form of a municipality's answer for `a`. The caller has checked that `a` may answer for
/// the municipality (an account's organisations, or the invitation's municipality).
pub(crate) async fn form_page(
    state: &AppState,
    a: &Answerer,
    year: i32,
    code: &str,
    view: Option<FormView>,
    errors: Vec<(String, String)>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let name = municipality_name(&registry, code)?;
    let stored = state.db.survey_answer(year, code).await?;
    let status = state.db.kommunenkat_status(year, code).await?;
    let closed_notice = crate::pages::rapportering::respondent_closed_notice(
        state,
        year,
        gnv_core::rapportering::Part::Kommunenkat,
        code,
        a.admin,
    )
    .await?;
    let locked = (status == PartStatus::Inskickad && !a.admin) || closed_notice.is_some();
    let view = view.unwrap_or_else(|| FormView::from_answer(stored.as_ref().map(|s| &s.answer)));
    let deadline = crate::pages::rapportering::deadline_text(state, year).await?;
    let status_code = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut ctx = a.ctx.clone();
    ctx.title = format!("Kommunenkät {year} – {name}");
    let mut resp = render(&FormPage {
        ctx,
        year,
        name,
        status,
        deadline,
        saved: stored.map(|s| (s.updated_by, s.updated_at)),
        locked,
        closed_notice,
        errors,
        view,
        other_label: OTHER_LABEL,
        action: a.action.clone(),
        via_link: a.via_link,
    })?;
    *resp.status_mut() = status_code;
    Ok(resp)
}

/// The answerer of an account on the module page; 403 for a municipality not its own.
async fn account_answerer(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    code: &str,
    flash: Option<String>,
) -> AppResult<Answerer> {
    let name = municipality_name(&state.db.registry().await?, code)?;
    if !user.may_act_for(code) {
        return Err(AppError::Forbidden(format!(
            "Du kan bara svara för dina egna kommuner, inte för {name}."
        )));
    }
    Ok(Answerer {
        ctx: PageCtx::new(format!("Kommunenkät {year} – {name}"), "rapportering", user).with_flash(flash),
        admin: user.user.role == gnv_core::access::Role::Admin,
        actor: user.actor(),
        action: format!("/kommunenkat/{year}/kommun/{code}"),
        via_link: false,
    })
}

pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, kod)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let year = Year::parse(&ar)?;
    let a = account_answerer(&state, &user, year, &kod, flash_message(q.ok.as_deref())).await?;
    form_page(&state, &a, year, &kod, None, Vec::new()).await
}

/// Swedish label of a form field, for error lists.
fn field_label(field: &str) -> String {
    match field {
        fields::AREA => "Områden och arbetssätt".to_string(),
        fields::OTHER => OTHER_LABEL.to_string(),
        fields::MUNICIPALITY => "Kommun".to_string(),
        fields::YEAR => "År".to_string(),
        other => Heading::ALL
            .iter()
            .find(|h| h.field_name() == other)
            .map(|h| h.short_label().to_string())
            .unwrap_or_else(|| other.to_string()),
    }
}

/// Reads the submitted form with the one parser of the kommunenkät form
/// ([`gnv_core::kommunenkat::parse_form`]) and stores it as a draft or submitted
/// ([`gnv_storage::Db::save_survey_answer`]: the round gate, the status and the audit entry in
/// one write transaction). `Ok(Ok(submitted))` when stored, `Ok(Err(page))` for the form again
/// with the errors (nothing stored). The form stays a [`Fields`] bag: the core parser reads the
/// pairs as the TOML form definition names them.
pub(crate) async fn save(
    state: &AppState,
    a: &Answerer,
    year: i32,
    code: &str,
    f: &Fields,
) -> AppResult<Result<bool, Response>> {
    let registry = state.db.registry().await?;
    let submit = match f.get("atgard").as_str() {
        "skicka" => true,
        "utkast" => false,
        _ => return Err(AppError::BadRequest("Välj Spara utkast eller Skicka in.".into())),
    };
    // The municipality and year come from the address, never from the form.
    let mut pairs: Vec<(String, String)> =
        f.0.iter().filter(|(k, _)| k != fields::MUNICIPALITY && k != fields::YEAR).cloned().collect();
    pairs.push((fields::MUNICIPALITY.to_string(), code.to_string()));
    pairs.push((fields::YEAR.to_string(), year.to_string()));
    let answer = match parse_form(&registry, &pairs) {
        Ok(answer) => answer,
        Err(errors) => {
            let list = errors
                .0
                .iter()
                .map(|e| {
                    (e.location.field.as_deref().map(field_label).unwrap_or_default(), e.message.clone())
                })
                .collect();
            return Ok(Err(form_page(state, a, year, code, Some(FormView::from_fields(f)), list).await?));
        }
    };
    match state.db.save_survey_answer(&answer, submit, a.admin, &a.actor).await {
        Ok(()) => Ok(Ok(submit)),
        Err(gnv_storage::StorageError::Conflict(msg)) | Err(gnv_storage::StorageError::NotFound(msg)) => Ok(
            Err(form_page(state, a, year, code, Some(FormView::from_fields(f)), vec![(String::new(), msg)])
                .await?),
        ),
        Err(e) => Err(e.into()),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, kod)): Path<(String, String)>,
    f: Fields,
) -> AppResult<Response> {
    let year = Year::parse(&ar)?;
    let a = account_answerer(&state, &user, year, &kod, None).await?;
    let target = match save(&state, &a, year, &kod, &f).await? {
        Ok(true) => format!("/kommunenkat/{year}?ok=skickat"),
        Ok(false) => format!("/kommunenkat/{year}/kommun/{kod}?ok=utkast"),
        Err(page) => return Ok(page),
    };
    Ok(Redirect::to(&target).into_response())
}

pub async fn reopen(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, kod)): Path<(String, String)>,
    Form(form): Form<ReasonForm>,
) -> AppResult<Response> {
    let year = Year::parse(&ar)?;
    municipality_name(&state.db.registry().await?, &kod)?;
    state.db.reopen_survey_answer(year, &kod, &form.reason, &user.actor()).await?;
    Ok(Redirect::to(&format!("/kommunenkat/{year}?ok=ateroppnat")).into_response())
}

// ---------------------------------------------------------------- export and JSON

/// The JSON summary types live in storage (shared with `gnv round summary`).
pub use gnv_storage::kommunenkat::{KommunenkatSummary as SummaryJson, MunicipalityPartStatus as StatusJson};

pub async fn api_summary(State(state): State<AppState>, Year(year): Year) -> AppResult<Response> {
    Ok(Json(state.db.kommunenkat_summary(year).await?).into_response())
}

pub async fn export_xlsx(State(state): State<AppState>, Year(year): Year) -> AppResult<Response> {
    use gnv_render::export::{Cell, Sheet};
    let c = state.db.kommunenkat_compilation(year).await?;
    let compiler = state.db.county_profile().await?.support_unit;
    let sheets: Vec<Sheet> = c
        .export_sheets()
        .into_iter()
        .map(|s| {
            let mut rows = s.cells.into_iter();
            let header = rows.next().unwrap_or_default();
            let mut sheet = Sheet::new(
                s.name,
                header,
                rows.map(|r| {
                    r.into_iter().map(|v| if v.is_empty() { Cell::Empty } else { Cell::Text(v) }).collect()
                })
                .collect(),
            );
            sheet.notes =
                vec![format!("Kommunenkät {year}, sammanställning av {compiler} ({} svar)", c.answered_text)];
            sheet
        })
        .collect();
    crate::pages::ekonomi::xlsx_response(&format!("kommunenkat-{year}.xlsx"), &sheets)
}
