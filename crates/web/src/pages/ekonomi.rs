//! Pages of the financial report (ekonomisk redovisning, appendix 1): the table of a year with
//! its warnings beside it, each municipality's form (draft / submit), the import of a table from
//! XLSX or CSV by RSS, the multi-year view per municipality, CSV/XLSX export and the JSON summary.

use super::form::{Fields, Form, ReasonForm};
use super::kommunenkat::{
    answering_year, current_round_year, municipality_name, own_municipalities, PageQuery,
};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::pages::rapportering::{Answerer, StatusBadge};
use crate::routes::Routes;
use crate::shared::Year;
use crate::view::{flash_message, render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use gnv_core::access::{Access, Role};
pub use gnv_core::ekonomi::{decode_text, parse_economy_file, read_xlsx, SheetCells};
use gnv_core::ekonomi::{
    export_csv, Amount, EconomySummary, FinancialRow, FocusArea, MunicipalityHistory, CSV_HEADER,
};
use gnv_core::rapportering::Status as PartStatus;

/// MIME type of an XLSX workbook.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    use Access::*;
    r.get("/ekonomi", LoggedIn, "Ekonomisk redovisning: år och kommuner", index)
        .get("/ekonomi/import", Admin, "Ekonomisk redovisning: importera tabell (XLSX/CSV)", import_form)
        .post("/ekonomi/import", Admin, "Ekonomisk redovisning: importera tabell", import_submit)
        .post(
            "/ekonomi/insatsomraden",
            Admin,
            "Ekonomisk redovisning: lägg till insatsområde",
            save_focus_area,
        )
        .get("/ekonomi/historik/{kod}", LoggedIn, "Ekonomisk redovisning: en kommun över flera år", history)
        .get(
            "/ekonomi/{ar}",
            LoggedIn,
            "Ekonomisk redovisning för ett år (bilaga 1) med varningar",
            year_page,
        )
        .get("/ekonomi/{ar}/export.csv", LoggedIn, "Ekonomisk redovisning som CSV", export_csv_file)
        .get("/ekonomi/{ar}/export.xlsx", LoggedIn, "Ekonomisk redovisning som Excel-fil", export_xlsx)
        .get("/ekonomi/{ar}/kommun/{kod}", Respondent, "Ekonomisk redovisning: en kommuns formulär", form)
        .post(
            "/ekonomi/{ar}/kommun/{kod}",
            Respondent,
            "Ekonomisk redovisning: spara utkast eller skicka in",
            submit,
        )
        .post(
            "/ekonomi/{ar}/kommun/{kod}/ateroppna",
            Admin,
            "Ekonomisk redovisning: återöppna en inskickad redovisning",
            reopen,
        )
        .get(
            "/api/v1/rounds/{year}/ekonomi/summary",
            LoggedIn,
            "Den ekonomiska redovisningen som JSON",
            api_summary,
        )
        .json::<SummaryJson>()
}

fn is_admin(user: &CurrentUser) -> bool {
    user.user.role == Role::Admin
}

// ---------------------------------------------------------------- index

#[derive(Template)]
#[template(path = "ekonomi_index.html")]
struct IndexPage {
    ctx: PageCtx,
    /// (year, "X av Y" submitted, number of warnings)
    years: Vec<(i32, String, usize)>,
    current_year: i32,
    own: Vec<(String, String, PartStatus)>,
    municipalities: Vec<(String, String)>,
}

pub async fn index(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let current_year = answering_year(&state, gnv_core::rapportering::Part::Ekonomi).await?;
    let mut years = state.db.economy_years().await?;
    if !years.contains(&current_year) {
        years.push(current_year);
    }
    years.sort_unstable_by(|a, b| b.cmp(a));
    let mut lines = Vec::new();
    for y in years {
        let summaries = state.db.economy_summaries(y).await?;
        let reported = summaries.first().map(|s| s.reported.clone()).unwrap_or_default();
        let warnings = summaries.iter().map(|s| s.warnings.len()).sum();
        lines.push((y, reported, warnings));
    }
    let mut own = Vec::new();
    for (code, name) in own_municipalities(&registry, &user) {
        own.push((code.clone(), name, state.db.economy_status(current_year, &code).await?));
    }
    let municipalities = registry.municipalities.iter().map(|m| (m.code.clone(), m.name.clone())).collect();
    render(&IndexPage {
        ctx: PageCtx::new("Ekonomisk redovisning", "rapportering", &user),
        years: lines,
        current_year,
        own,
        municipalities,
    })
}

// ---------------------------------------------------------------- year page

struct StatusLine {
    code: String,
    name: String,
    status: PartStatus,
    may_edit: bool,
}

#[derive(Template)]
#[template(path = "ekonomi_ar.html")]
struct YearPage {
    ctx: PageCtx,
    year: i32,
    summaries: Vec<EconomySummary>,
    statuses: Vec<StatusLine>,
    /// "Ändrat efter stängning" notes.
    warnings: Vec<String>,
}

pub async fn year_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Year(year): Year,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let summaries = state.db.economy_summaries(year).await?;
    let mut statuses = Vec::new();
    let mut municipalities = registry.municipalities.clone();
    municipalities.sort_by(|a, b| gnv_core::format::swedish_cmp(&a.name, &b.name));
    for m in municipalities {
        statuses.push(StatusLine {
            status: state.db.economy_status(year, &m.code).await?,
            may_edit: user.may_act_for(&m.code),
            code: m.code,
            name: m.name,
        });
    }
    render(&YearPage {
        ctx: PageCtx::new(format!("Ekonomisk redovisning {year}"), "rapportering", &user)
            .with_flash(flash_message(q.ok_key())),
        year,
        summaries,
        statuses,
        warnings: crate::pages::rapportering::changed_after_close_notes(
            &state,
            year,
            gnv_core::rapportering::Part::Ekonomi,
        )
        .await?,
    })
}

// ---------------------------------------------------------------- municipality form

/// One focus area's inputs: (focus area, allocated, surplus, spent) as typed.
pub(crate) struct AreaInputs {
    area: FocusArea,
    allocated: String,
    surplus: String,
    spent: String,
}

impl AreaInputs {
    fn field(&self, prefix: &str) -> String {
        format!("{prefix}_{}", self.area.code)
    }
}

#[derive(Template)]
#[template(path = "ekonomi_formular.html")]
struct FormPage {
    ctx: PageCtx,
    year: i32,
    name: String,
    status: PartStatus,
    /// The round's last day to answer ("13 februari 2026"); empty without a round.
    deadline: String,
    locked: bool,
    /// Why the respondent cannot write (closed round), if so.
    closed_notice: Option<String>,
    errors: Vec<String>,
    inputs: Vec<AreaInputs>,
    /// Where the form posts to (the module page or the personal link).
    action: String,
    /// Answered through a personal link: no breadcrumbs into pages that need a log-in.
    via_link: bool,
}

/// The form of a municipality's report for `a`. The caller has checked that `a` may answer for
/// the municipality (an account's organisations, or the invitation's municipality).
pub(crate) async fn form_page(
    state: &AppState,
    a: &Answerer,
    year: i32,
    code: &str,
    inputs: Option<Vec<AreaInputs>>,
    errors: Vec<String>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let name = municipality_name(&registry, code)?;
    let status = state.db.economy_status(year, code).await?;
    let closed_notice = crate::pages::rapportering::respondent_closed_notice(
        state,
        year,
        gnv_core::rapportering::Part::Ekonomi,
        code,
        a.admin,
    )
    .await?;
    let inputs = match inputs {
        Some(i) => i,
        None => {
            let rows = state.db.economy_rows_of(year, code).await?;
            state
                .db
                .focus_areas()
                .await?
                .into_iter()
                .map(|area| {
                    let row = rows.iter().find(|r| r.focus_area == area);
                    AreaInputs {
                        allocated: row.map(|r| r.allocated.to_string()).unwrap_or_default(),
                        surplus: row.map(|r| r.repaid_surplus.to_string()).unwrap_or_default(),
                        spent: row.map(|r| r.reported_spent.to_string()).unwrap_or_default(),
                        area,
                    }
                })
                .collect()
        }
    };
    let deadline = crate::pages::rapportering::deadline_text(state, year).await?;
    let status_code = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut ctx = a.ctx.clone();
    ctx.title = format!("Ekonomisk redovisning {year} – {name}");
    let mut resp = render(&FormPage {
        ctx,
        year,
        name,
        status,
        deadline,
        locked: (status == PartStatus::Inskickad && !a.admin) || closed_notice.is_some(),
        closed_notice,
        errors,
        inputs,
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
            "Du kan bara redovisa för dina egna kommuner, inte för {name}."
        )));
    }
    Ok(Answerer {
        ctx: PageCtx::new(format!("Ekonomisk redovisning {year} – {name}"), "rapportering", user)
            .with_flash(flash),
        admin: is_admin(user),
        actor: user.actor(),
        action: format!("/ekonomi/{year}/kommun/{code}"),
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
    let a = account_answerer(&state, &user, year, &kod, flash_message(q.ok_key())).await?;
    form_page(&state, &a, year, &kod, None, Vec::new()).await
}

/// Parses the form: for each focus area the three amounts, all or none; at least one area.
fn parse_amounts(year: i32, code: &str, inputs: &[AreaInputs]) -> Result<Vec<FinancialRow>, Vec<String>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for i in inputs {
        let values = [&i.allocated, &i.surplus, &i.spent];
        if values.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let labels = ["Tilldelat belopp", "Återbetalt överskott", "Redovisade förbrukade medel"];
        let mut amounts = [Amount::ZERO; 3];
        let mut ok = true;
        for ((slot, value), label) in amounts.iter_mut().zip(values).zip(labels) {
            match Amount::parse(value) {
                Ok(a) => *slot = a,
                Err(msg) => {
                    ok = false;
                    errors.push(format!("{}, {label}: {msg}", i.area.label()));
                }
            }
        }
        if ok {
            rows.push(FinancialRow {
                municipality_code: code.to_string(),
                year,
                focus_area: i.area.clone(),
                allocated: amounts[0],
                repaid_surplus: amounts[1],
                reported_spent: amounts[2],
            });
        }
    }
    if errors.is_empty() && rows.is_empty() {
        errors.push("Fyll i beloppen för minst ett insatsområde.".to_string());
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Reads the submitted form with the one parser of the municipal form ([`parse_amounts`]) and
/// stores it as a draft or submitted ([`gnv_storage::Db::save_economy_report`]: the round gate,
/// the status and the audit entry in one write transaction). `Ok(Ok(submitted))` when stored,
/// `Ok(Err(page))` for the form again with the errors (nothing stored). The form stays a
/// [`Fields`] bag: its amount fields are named after the stored focus areas.
pub(crate) async fn save(
    state: &AppState,
    a: &Answerer,
    year: i32,
    code: &str,
    f: &Fields,
) -> AppResult<Result<bool, Response>> {
    let submit = match f.get("atgard").as_str() {
        "skicka" => true,
        "utkast" => false,
        _ => return Err(AppError::BadRequest("Välj Spara utkast eller Skicka in.".into())),
    };
    let inputs: Vec<AreaInputs> = state
        .db
        .focus_areas()
        .await?
        .into_iter()
        .map(|area| {
            let mut i =
                AreaInputs { area, allocated: String::new(), surplus: String::new(), spent: String::new() };
            i.allocated = f.get(&i.field("tilldelat"));
            i.surplus = f.get(&i.field("overskott"));
            i.spent = f.get(&i.field("forbrukat"));
            i
        })
        .collect();
    let rows = match parse_amounts(year, code, &inputs) {
        Ok(r) => r,
        Err(errors) => return Ok(Err(form_page(state, a, year, code, Some(inputs), errors).await?)),
    };
    match state.db.save_economy_report(year, code, &rows, submit, a.admin, &a.actor).await {
        Ok(()) => Ok(Ok(submit)),
        Err(gnv_storage::StorageError::Conflict(msg)) | Err(gnv_storage::StorageError::NotFound(msg)) => {
            Ok(Err(form_page(state, a, year, code, Some(inputs), vec![msg]).await?))
        }
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
        Ok(true) => format!("/ekonomi/{year}?ok=skickat"),
        Ok(false) => format!("/ekonomi/{year}/kommun/{kod}?ok=utkast"),
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
    state.db.reopen_economy_report(year, &kod, &form.reason, &user.actor()).await?;
    Ok(Redirect::to(&format!("/ekonomi/{year}?ok=ateroppnat")).into_response())
}

// ---------------------------------------------------------------- history

#[derive(Template)]
#[template(path = "ekonomi_historik.html")]
struct HistoryPage {
    ctx: PageCtx,
    h: MunicipalityHistory,
    /// The history as formatted cells, without the header row.
    lines: Vec<Vec<String>>,
}

pub async fn history(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kod): Path<String>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let name = municipality_name(&registry, &kod)?;
    let h = state.db.economy_history(&kod).await?;
    let lines = h.cells().into_iter().skip(1).collect();
    render(&HistoryPage {
        ctx: PageCtx::new(format!("Ekonomisk redovisning – {name}"), "rapportering", &user),
        h,
        lines,
    })
}

// ---------------------------------------------------------------- import

#[derive(Template)]
#[template(path = "ekonomi_import.html")]
struct ImportPage {
    ctx: PageCtx,
    year: i32,
    errors: Vec<String>,
    focus_areas: Vec<FocusArea>,
    csv_header: &'static str,
}

async fn import_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    errors: Vec<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut resp = render(&ImportPage {
        ctx: PageCtx::new("Importera ekonomisk redovisning", "rapportering", user).with_flash(flash),
        year,
        errors,
        focus_areas: state.db.focus_areas().await?,
        csv_header: CSV_HEADER,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

pub async fn import_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    import_page(&state, &user, current_round_year(), Vec::new(), flash_message(q.ok_key())).await
}

pub async fn import_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut year_text = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Formuläret kunde inte läsas.".into()))?
    {
        match field.name() {
            Some("ar") => {
                year_text =
                    field.text().await.map_err(|_| AppError::BadRequest("Året kunde inte läsas.".into()))?
            }
            Some("fil") => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("Filen kunde inte läsas.".into()))?;
                if !name.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    let year = year_text.trim().parse::<i32>().ok().filter(|y| gnv_core::ekonomi::YEAR_RANGE.contains(y));
    let Some(year) = year else {
        return import_page(
            &state,
            &user,
            current_round_year(),
            vec![format!("\"{}\" är inte ett giltigt år.", year_text.trim())],
            None,
        )
        .await;
    };
    let Some((name, bytes)) = file else {
        return import_page(&state, &user, year, vec!["Välj en fil att importera.".into()], None).await;
    };
    let registry = state.db.registry().await?;
    let areas = state.db.focus_areas().await?;
    let imported = match parse_economy_file(&name, &bytes, &registry, &areas) {
        Ok(i) => i,
        Err(errors) => {
            let list = errors.lines();
            return import_page(&state, &user, year, list, None).await;
        }
    };
    match state.db.import_economy(year, &imported, &name, &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/ekonomi/{year}?ok=importerat")).into_response()),
        Err(gnv_storage::StorageError::Invalid(msg)) => {
            import_page(&state, &user, year, msg.lines().map(str::to_string).collect(), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form adding or renaming a focus area (insatsområde).
#[derive(serde::Deserialize)]
pub struct FocusAreaForm {
    #[serde(rename = "nummer")]
    number: String,
    #[serde(rename = "kod")]
    code: String,
    #[serde(rename = "namn")]
    name: String,
}

pub async fn save_focus_area(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<FocusAreaForm>,
) -> AppResult<Response> {
    let number = form.number.parse::<u32>().unwrap_or(0);
    let area = FocusArea { number, code: form.code, name: form.name };
    match state.db.save_focus_area(&area, &user.actor()).await {
        Ok(()) => Ok(Redirect::to("/ekonomi/import?ok=sparat").into_response()),
        Err(gnv_storage::StorageError::Invalid(msg)) => {
            import_page(&state, &user, current_round_year(), vec![msg], None).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- export and JSON

/// The JSON summary type lives in storage (shared with `gnv round summary`).
pub use gnv_storage::ekonomi::EkonomiSummary as SummaryJson;

pub async fn api_summary(State(state): State<AppState>, Year(year): Year) -> AppResult<Response> {
    Ok(Json(state.db.ekonomi_summary(year).await?).into_response())
}

pub async fn export_csv_file(State(state): State<AppState>, Year(year): Year) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let rows = state.db.economy_rows(year).await?;
    let areas: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.focus_area.code.as_str()).collect();
    // The format has one "Summa" row: written when the table has a single focus area.
    let printed = match areas.iter().collect::<Vec<_>>().as_slice() {
        [only] => state.db.economy_printed_totals(year, only).await?,
        _ => None,
    };
    let text = export_csv(&registry, &rows, printed.as_ref());
    Ok(crate::shared::download("text/csv; charset=utf-8", &format!("ekonomisk-redovisning-{year}.csv"), text))
}

pub async fn export_xlsx(State(state): State<AppState>, Year(year): Year) -> AppResult<Response> {
    use gnv_render::export::{Cell, Sheet};
    let summaries = state.db.economy_summaries(year).await?;
    let mut sheets = Vec::new();
    let mut warnings = Vec::new();
    for s in &summaries {
        let name = if summaries.len() == 1 {
            "Bilaga 1".to_string()
        } else {
            format!("Insatsområde {}", s.focus_area.number)
        };
        let rows = s
            .table
            .rows
            .iter()
            .chain(std::iter::once(&s.table.total))
            .map(|r| {
                vec![
                    Cell::text(r.code.clone()),
                    Cell::text(r.name.clone()),
                    Cell::Integer(r.allocated),
                    Cell::Integer(r.repaid_surplus),
                    Cell::Integer(r.reported_spent),
                ]
            })
            .collect();
        let mut header = vec!["Kommunkod".to_string()];
        header.extend(s.table.headers.iter().cloned());
        let mut sheet = Sheet::new(name, header, rows);
        sheet.notes = vec![s.table.title.clone(), format!("Kommuner som redovisat: {}", s.reported)];
        sheets.push(sheet);
        warnings.extend(
            s.warnings.iter().map(|w| vec![Cell::text(s.focus_area.label()), Cell::text(w.message.clone())]),
        );
    }
    sheets.push(Sheet::new("Varningar", vec!["Insatsområde".to_string(), "Varning".to_string()], warnings));
    xlsx_response(&format!("ekonomisk-redovisning-{year}.xlsx"), &sheets)
}

/// An XLSX download of the sheets.
pub fn xlsx_response(file_name: &str, sheets: &[gnv_render::export::Sheet]) -> AppResult<Response> {
    let bytes = gnv_render::export::xlsx(sheets).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        AppError::Internal("Excel-filen kunde inte skapas.".into())
    })?;
    Ok(crate::shared::download(XLSX_MIME, file_name, bytes))
}
