//! Pages of the module "Årsrapport": the list of report years, the HTML preview of a year's
//! report (draft or published), downloads as PDF, Word and HTML, the analysts' narrative editor
//! and publishing. Routes are declared in [`routes`].

use super::form::{Fields, Form};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use crate::shared::{OkQuery, Year};
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gnv_core::access::Access;
use gnv_report::layout::{self, LayoutItem, Resolved};
use gnv_report::{Format, ReportInput};
use gnv_storage::arsrapport::Publication;

/// Longest narrative accepted per section, in characters.
const MAX_NARRATIVE: usize = 20_000;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/arsrapport", Access::LoggedIn, "Årsrapport: år och status", index)
        .get(
            "/arsrapport/{ar}",
            Access::LoggedIn,
            "Årsrapport: förhandsvisning av ett år (2025) eller nedladdning (2025.pdf, 2025.docx, 2025.html)",
            show,
        )
        .get(
            "/arsrapport/{ar}/text",
            Access::Admin,
            "Årsrapport: analytikerns texter per avsnitt",
            narratives,
        )
        .post(
            "/arsrapport/{ar}/text/{avsnitt}",
            Access::Admin,
            "Årsrapport: spara text för ett avsnitt",
            save_narrative,
        )
        .get(
            "/arsrapport/{ar}/citat",
            Access::Admin,
            "Årsrapport: välj citat ur fritextsvaren (ordning, namn, förkortning)",
            quotes_page,
        )
        .post(
            "/arsrapport/{ar}/citat",
            Access::Admin,
            "Årsrapport: spara valda citat för en källa",
            save_quotes,
        )
        .post(
            "/arsrapport/{ar}/publicera",
            Access::Admin,
            "Årsrapport: publicera (frys underlag och filer)",
            publish,
        )
}

/// Parses a report year: four digits within a sane range.
struct YearRow {
    year: i32,
    status: String,
    published: bool,
}

/// Template filters of the report pages.
use crate::view::filters;

#[derive(Template)]
#[template(path = "arsrapport_index.html")]
struct IndexPage {
    ctx: PageCtx,
    years: Vec<YearRow>,
}

/// The list of report years with their status.
pub async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let current = chrono::Utc::now().year();
    let mut years = state.db.report_years().await?;
    years.insert(current);
    years.insert(current - 1);
    let mut rows = Vec::new();
    for y in years.into_iter().rev() {
        let p = state.db.report_publication(y).await?;
        rows.push(YearRow {
            year: y,
            status: match &p {
                Some(p) => format!("Publicerad {}", p.published_at.get(..10).unwrap_or(&p.published_at)),
                None => "Utkast".to_string(),
            },
            published: p.is_some(),
        });
    }
    render(&IndexPage {
        ctx: PageCtx::new("Årsrapport", "arsrapport", &user).with_flash(q.flash()),
        years: rows,
    })
}

#[derive(Template)]
#[template(path = "arsrapport_visa.html")]
struct ShowPage {
    ctx: PageCtx,
    year: i32,
    publication: Option<Publication>,
    body: String,
    error: Option<String>,
}

/// Builds and renders off the async runtime (Typst and PNG rasterising are CPU-bound).
async fn render_report(input: ReportInput, format: Format) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || gnv_report::render(&input, format))
        .await
        .map_err(|_| AppError::Internal("Rapporten kunde inte skapas.".into()))?
        .map_err(|e| {
            tracing::error!(error = %e, "report rendering failed");
            AppError::Internal(format!("Rapporten kunde inte skapas: {e}"))
        })
}

/// `GET /arsrapport/{ar}`: the preview page (`2025`) or a download (`2025.pdf`).
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    if let Some((y, ext)) = ar.split_once('.') {
        let year = Year::parse(y)?;
        let format = Format::parse(ext).ok_or_else(AppError::not_found)?;
        return download(&state, year, format).await;
    }
    let year = Year::parse(&ar)?;
    show_page(&state, &user, year, None, q.flash()).await
}

/// The input a year's report is rendered from: the frozen input when published (`true`), else
/// the draft assembled from the stored data. A frozen input that cannot be read is refused (400).
pub(crate) async fn report_input(db: &gnv_storage::Db, year: i32) -> AppResult<(ReportInput, bool)> {
    gnv_report::assemble::report_input(db.report_source(year).await?).map_err(AppError::BadRequest)
}

async fn show_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    error: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let (input, _) = report_input(&state.db, year).await?;
    let publication = state.db.report_publication(year).await?;
    let body = gnv_report::html::fragment(&gnv_report::build(&input));
    let status = if error.is_some() { axum::http::StatusCode::CONFLICT } else { axum::http::StatusCode::OK };
    let mut resp = render(&ShowPage {
        ctx: PageCtx::new(format!("Årsrapport {year}"), "arsrapport", user).with_flash(flash),
        year,
        publication,
        body,
        error,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

async fn download(state: &AppState, year: i32, format: Format) -> AppResult<Response> {
    let bytes = match state.db.report_file(year, format.ext()).await? {
        Some((bytes, _)) => bytes,
        None => {
            let (input, _) = report_input(&state.db, year).await?;
            render_report(input, format).await?
        }
    };
    let name = format!("arsrapport-{year}.{}", format.ext());
    Ok(crate::shared::download(format.mime(), &name, bytes))
}

/// One item of a section in the editor: a generated part or an analyst text block.
struct ItemEdit {
    /// Index in the section's resolved list.
    index: usize,
    /// `Some(label)` for a generated part.
    part: Option<String>,
    /// The text block's Markdown.
    text: String,
    /// 1-based number among the section's text blocks.
    text_number: usize,
    first: bool,
    last: bool,
}

struct SectionEdit {
    key: &'static str,
    label: &'static str,
    generated: String,
    version: i64,
    items: Vec<ItemEdit>,
    /// The text of the "new text at the end" form (kept after an error).
    new_text: String,
}

#[derive(Template)]
#[template(path = "arsrapport_text.html")]
struct NarrativePage {
    ctx: PageCtx,
    year: i32,
    published: bool,
    sections: Vec<SectionEdit>,
    error: Option<(String, String)>,
    /// (section key, message) of a successful save.
    saved: Option<(String, String)>,
}

/// The resolved layout of every section: generated parts of the current data (without the
/// analyst's texts) merged with the stored items.
async fn section_layouts(
    state: &AppState,
    year: i32,
) -> AppResult<(ReportInput, bool, Vec<gnv_report::SectionParts>, std::collections::BTreeMap<String, i64>)> {
    let (input, published) = report_input(&state.db, year).await?;
    let mut bare = input.clone();
    bare.narratives.clear();
    bare.layouts.clear();
    let (_, parts) = gnv_report::build_with_parts(&bare);
    let versions = if published {
        Default::default()
    } else {
        state.db.report_layouts(year).await?.into_iter().map(|(k, v)| (k, v.version)).collect()
    };
    Ok((input, published, parts, versions))
}

/// The stored items of a section as the report uses them (layout, or the schema-1 narrative).
fn items_of(input: &ReportInput, key: &str) -> Vec<LayoutItem> {
    match input.layouts.get(key) {
        Some(items) if !input.is_schema_1() => items.clone(),
        _ => input
            .narratives
            .get(key)
            .filter(|t| !t.trim().is_empty())
            .map(|t| vec![LayoutItem::Text { body: t.clone() }])
            .unwrap_or_default(),
    }
}

async fn narrative_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    error: Option<(String, String, String)>,
    flash: Option<String>,
) -> AppResult<Response> {
    narrative_page_with(state, user, year, error, flash, None).await
}

async fn narrative_page_with(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    error: Option<(String, String, String)>,
    flash: Option<String>,
    saved: Option<(String, String)>,
) -> AppResult<Response> {
    let (input, published, all_parts, versions) = section_layouts(state, year).await?;
    let sections = gnv_report::SECTIONS
        .iter()
        // The action plan's section exists only in years with a plan in force.
        .filter(|(key, _)| *key != gnv_report::handlingsplan::SECTION_KEY || input.action_plan.is_some())
        .map(|(key, label)| {
            let parts = all_parts
                .iter()
                .find(|p| p.key == *key)
                .cloned()
                .unwrap_or(gnv_report::SectionParts { key, level: 1, parts: Vec::new() });
            let resolved = layout::resolve(&parts.keys(), &items_of(&input, key));
            let n = resolved.len();
            let mut text_number = 0;
            let items = resolved
                .into_iter()
                .enumerate()
                .map(|(index, r)| match r {
                    Resolved::Part(i) => ItemEdit {
                        index,
                        part: Some(parts.parts[i].label.clone()),
                        text: String::new(),
                        text_number: 0,
                        first: index == 0,
                        last: index + 1 == n,
                    },
                    Resolved::Text(t) => {
                        text_number += 1;
                        ItemEdit {
                            index,
                            part: None,
                            text: t,
                            text_number,
                            first: index == 0,
                            last: index + 1 == n,
                        }
                    }
                })
                .collect();
            let generated = parts
                .parts
                .iter()
                .map(|p| gnv_report::html::excerpt_at(&p.blocks, parts.level + 1))
                .collect::<String>();
            SectionEdit {
                key,
                label,
                generated,
                version: versions.get(*key).copied().unwrap_or(0),
                items,
                new_text: match &error {
                    Some((k, _, t)) if k == key => t.clone(),
                    _ => String::new(),
                },
            }
        })
        .collect();
    let status =
        if error.is_some() { axum::http::StatusCode::BAD_REQUEST } else { axum::http::StatusCode::OK };
    let mut resp = render(&NarrativePage {
        ctx: PageCtx::new(format!("Texter till årsrapport {year}"), "arsrapport", user).with_flash(flash),
        year,
        published,
        sections,
        error: error.map(|(k, m, _)| (k, m)),
        saved,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /arsrapport/{ar}/text`: the narrative editor.
pub async fn narratives(
    State(state): State<AppState>,
    user: CurrentUser,
    Year(year): Year,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    match q.avsnitt.clone().filter(|k| gnv_report::section_label(k).is_some()) {
        Some(key) => {
            let saved = q.flash().map(|m| (key, m));
            narrative_page_with(&state, &user, year, None, None, saved).await
        }
        None => narrative_page(&state, &user, year, None, q.flash()).await,
    }
}

/// The form editing a section's text blocks (see [`save_narrative`]).
#[derive(serde::Deserialize)]
pub struct NarrativeForm {
    #[serde(rename = "atgard")]
    action: Option<String>,
    /// Where a new block is inserted.
    #[serde(rename = "plats")]
    place: Option<String>,
    /// The block the other actions act on.
    post: Option<String>,
    version: Option<String>,
    text: String,
}

/// Reads an index field; `None` when absent or not a number.
fn index_field(value: Option<&str>) -> Option<usize> {
    value.and_then(|v| v.trim().parse::<usize>().ok())
}

/// `POST /arsrapport/{ar}/text/{avsnitt}`: one edit of a section's layout. Fields: `atgard`
/// (`ny` — the default —, `spara`, `upp`, `ned`, `ta_bort`), `plats` (where `ny` inserts;
/// default last), `post` (the text block the other actions act on), `version` (the version the
/// page showed) and `text`.
pub async fn save_narrative(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, avsnitt)): Path<(String, String)>,
    Form(form): Form<NarrativeForm>,
) -> AppResult<Response> {
    let year = Year::parse(&ar)?;
    let Some(label) = gnv_report::section_label(&avsnitt) else {
        return Err(AppError::not_found());
    };
    let text = form.text;
    if text.chars().count() > MAX_NARRATIVE {
        let msg = format!(
            "Texten för ”{label}” är för lång: högst {} tecken.",
            gnv_core::format::integer(MAX_NARRATIVE as i64)
        );
        return narrative_page(&state, &user, year, Some((avsnitt, msg, text)), None).await;
    }
    let (input, published, all_parts, _) = section_layouts(&state, year).await?;
    if published {
        let msg = format!("Årsrapporten {year} är publicerad och kan inte ändras.");
        return narrative_page(&state, &user, year, Some((avsnitt, msg, text)), None).await;
    }
    let keys = all_parts.iter().find(|p| p.key == avsnitt).map(|p| p.keys()).unwrap_or_default();
    let mut resolved = layout::resolve(&keys, &items_of(&input, &avsnitt));
    let post = index_field(form.post.as_deref());
    let edit = match form.action.as_deref().unwrap_or("ny") {
        "ny" => Some(layout::Edit::Insert {
            at: index_field(form.place.as_deref()).unwrap_or(resolved.len()),
            body: text.clone(),
        }),
        "spara" => post.map(|at| layout::Edit::Replace { at, body: text.clone() }),
        "upp" => post.map(|at| layout::Edit::Move { at, up: true }),
        "ned" => post.map(|at| layout::Edit::Move { at, up: false }),
        "ta_bort" => post.map(|at| layout::Edit::Remove { at }),
        _ => None,
    };
    let Some(edit) = edit else {
        return Err(AppError::BadRequest("Okänd ändring av texten.".into()));
    };
    if let Err(msg) = layout::apply(&mut resolved, edit) {
        return narrative_page(&state, &user, year, Some((avsnitt, format!("{label}: {msg}"), text)), None)
            .await;
    }
    let items = layout::to_items(&keys, &resolved);
    let expected = form.version.and_then(|v| v.trim().parse::<i64>().ok());
    match state.db.save_report_layout(year, &avsnitt, &items, expected, &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/arsrapport/{year}/text?ok=sparat&avsnitt={avsnitt}#avsnitt-{avsnitt}"
        ))
        .into_response()),
        Err(gnv_storage::StorageError::Conflict(msg)) => {
            narrative_page(&state, &user, year, Some((avsnitt, msg, text)), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One answer on the quote page.
struct CandidateEdit {
    id: String,
    organisation: String,
    original: String,
    chosen: bool,
    attributed: bool,
    position: i64,
    text: String,
}

struct GroupEdit {
    key: String,
    /// An HTML id made from the key.
    anchor: String,
    label: String,
    section: String,
    candidates: Vec<CandidateEdit>,
}

#[derive(Template)]
#[template(path = "arsrapport_citat.html")]
struct QuotesPage {
    ctx: PageCtx,
    year: i32,
    published: bool,
    groups: Vec<GroupEdit>,
    error: Option<(String, String)>,
}

fn anchor(key: &str) -> String {
    format!("kalla-{}", key.replace('/', "-"))
}

async fn quotes_page_with(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    error: Option<(String, String)>,
    flash: Option<String>,
) -> AppResult<Response> {
    let published = state.db.report_publication(year).await?.is_some();
    let groups = gnv_report::assemble::quote_groups(&state.db.report_data(year).await?);
    let choices = state.db.report_quote_choices(year).await?;
    let groups = groups
        .into_iter()
        .map(|g| GroupEdit {
            anchor: anchor(&g.key),
            section: gnv_report::section_label(g.section).unwrap_or_default().to_string(),
            label: g.label.clone(),
            candidates: g
                .candidates
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let chosen = choices.iter().find(|q| q.group == g.key && q.answer == c.id);
                    CandidateEdit {
                        id: c.id.clone(),
                        organisation: c.organisation.clone(),
                        original: c.text.clone(),
                        chosen: chosen.is_some(),
                        attributed: chosen.is_some_and(|q| q.attributed),
                        position: chosen.map(|q| q.position).unwrap_or(i as i64 + 1),
                        text: chosen.map(|q| q.text.clone()).unwrap_or_else(|| c.text.clone()),
                    }
                })
                .collect(),
            key: g.key,
        })
        .collect();
    let status =
        if error.is_some() { axum::http::StatusCode::BAD_REQUEST } else { axum::http::StatusCode::OK };
    let mut resp = render(&QuotesPage {
        ctx: PageCtx::new(format!("Citat i årsrapport {year}"), "arsrapport", user).with_flash(flash),
        year,
        published,
        groups,
        error,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /arsrapport/{ar}/citat`: choose quotes from the free-text answers.
pub async fn quotes_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let year = Year::parse(&ar)?;
    quotes_page_with(&state, &user, year, None, q.flash()).await
}

/// The fixed fields of the quote form.
#[derive(serde::Deserialize)]
struct QuotesForm {
    /// The source (free-text question) the quotes are chosen from.
    #[serde(rename = "kalla")]
    key: String,
    /// The ids of the answers quoted.
    #[serde(rename = "med")]
    chosen: Vec<String>,
    /// The ids of the answers quoted with the organisation's name.
    #[serde(rename = "namn")]
    named: Vec<String>,
}

/// `POST /arsrapport/{ar}/citat`: saves the chosen quotes of one source (`kalla`). Per answer
/// `i`: `svar-i` (its id), `text-i`, `ordning-i`; the ids in `med` are quoted, those in `namn`
/// with the organisation's name. The answers' fields are numbered, so the form is read as a
/// [`Fields`] bag with its fixed part typed ([`QuotesForm`]).
pub async fn save_quotes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    fields: Fields,
) -> AppResult<Response> {
    let year = Year::parse(&ar)?;
    let QuotesForm { key, chosen, named } = fields.typed()?;
    let groups = gnv_report::assemble::quote_groups(&state.db.report_data(year).await?);
    let Some(group) = groups.iter().find(|g| g.key == key) else {
        return Err(AppError::NotFound("Källan finns inte bland årets fritextsvar.".into()));
    };
    let mut choices = Vec::new();
    for i in 0..group.candidates.len() {
        let Some(id) = fields.opt(&format!("svar-{i}")) else { continue };
        if !chosen.contains(&id) {
            continue;
        }
        let text = fields.get(&format!("text-{i}"));
        if text.chars().count() > MAX_NARRATIVE {
            let msg = format!(
                "Citatet är för långt: högst {} tecken.",
                gnv_core::format::integer(MAX_NARRATIVE as i64)
            );
            return quotes_page_with(&state, &user, year, Some((key, msg)), None).await;
        }
        let Ok(position) = fields.get(&format!("ordning-{i}")).trim().parse::<i64>() else {
            let msg = format!("Ordningen för svar {} måste vara ett heltal.", i + 1);
            return quotes_page_with(&state, &user, year, Some((key, msg)), None).await;
        };
        choices.push((
            position,
            i,
            gnv_report::quotes::QuoteChoice {
                group: key.clone(),
                attributed: named.contains(&id),
                answer: id,
                position,
                text,
            },
        ));
    }
    // Positions as the analyst numbered them, ties in list order; stored as 1, 2, 3 …
    choices.sort_by_key(|(p, i, _)| (*p, *i));
    let choices: Vec<_> = choices
        .into_iter()
        .enumerate()
        .map(|(n, (_, _, mut c))| {
            c.position = n as i64 + 1;
            c
        })
        .collect();
    match state.db.save_report_quotes(year, group, &choices, &user.actor()).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/arsrapport/{year}/citat?ok=sparat#{}", anchor(&key))).into_response())
        }
        Err(gnv_storage::StorageError::Conflict(msg) | gnv_storage::StorageError::Invalid(msg)) => {
            quotes_page_with(&state, &user, year, Some((key, msg)), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /arsrapport/{ar}/publicera`: freezes the input and stores the three files.
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Year(year): Year,
) -> AppResult<Response> {
    if state.db.report_publication(year).await?.is_some() {
        return show_page(
            &state,
            &user,
            year,
            Some(format!("Årsrapporten {year} är redan publicerad.")),
            None,
        )
        .await;
    }
    let mut input = gnv_report::assemble::assemble(&state.db.report_data(year).await?);
    input.date = Some(chrono::Utc::now().date_naive());
    input.draft = false;
    let json = input.to_json();
    // The files are rendered from the frozen form itself, so regenerating from it later gives
    // exactly the same bytes.
    let input = ReportInput::from_json(&json).map_err(AppError::Internal)?;
    let mut files = Vec::new();
    for f in Format::ALL {
        files.push((f.ext(), render_report(input.clone(), f).await?));
    }
    match state.db.publish_report(year, &json, &files, &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/arsrapport/{year}?ok=rapport_publicerad")).into_response()),
        Err(gnv_storage::StorageError::Conflict(msg)) => {
            show_page(&state, &user, year, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}
