//! The reporting calendar: meetings of the governance bodies with dates and deliverables (linked
//! to the objects they deliver) and status; the register of proposals and decisions; iCalendar
//! feeds per body.

use super::org_name;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::pages::form::{Fields, Form};
use crate::view::{flash_message, render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gnv_core::organisation::Registry;
use gnv_core::planering::{
    DeliverableInput, DeliverableKind, DeliverableStatus, Meeting, MeetingInput, ProposalOutcome,
};
use gnv_storage::planering::{MeetingLinks, ObjectRef};
use gnv_storage::StorageError;
use serde::Deserialize;

pub struct DeliverableRow {
    pub position: usize,
    pub kind: String,
    pub description: String,
    pub status: String,
    pub status_key: String,
    pub object: Option<(String, String)>,
    /// Why the status is "levererad" without anyone setting it (the object is published).
    pub automatic: String,
}

pub struct ProposalRow {
    pub meeting_id: String,
    pub meeting: String,
    pub number: u32,
    pub text: String,
    pub outcome: String,
    pub outcome_key: String,
    pub deliverable: String,
}

pub struct MeetingRow {
    pub id: String,
    pub date: String,
    pub body: String,
    pub body_code: String,
    pub title: String,
    pub deliverables: Vec<DeliverableRow>,
    pub proposals: Vec<ProposalRow>,
    /// Copied from the previous year; the date is "att bekräfta".
    pub unconfirmed: bool,
}

#[derive(Template)]
#[template(path = "planering/kalender.html")]
struct CalendarPage {
    ctx: PageCtx,
    year: i32,
    years: Vec<i32>,
    meetings: Vec<MeetingRow>,
    register: Vec<ProposalRow>,
    /// (code, name) of bodies with meetings, for the feeds.
    feeds: Vec<(String, String)>,
    error: Option<String>,
    deliverable_statuses: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
    /// Admins: the form adding a meeting (with values and errors after a failed post).
    meeting_form: Option<MeetingForm>,
    /// Whether "Kopiera till nästa år" is offered (meetings this year, none next year).
    can_copy: bool,
    /// External deadlines falling in the year: (date, what, delivered, the deliveries page).
    deadlines: Vec<(String, String, bool, String)>,
}

#[derive(Deserialize)]
pub struct CalQuery {
    ar: Option<String>,
    ok: Option<String>,
}

const DELIVERABLE_STATUSES: [(&str, &str, DeliverableStatus); 3] = [
    ("planerad", "Planerad", DeliverableStatus::Planerad),
    ("levererad", "Levererad", DeliverableStatus::Levererad),
    ("uppskjuten", "Uppskjuten", DeliverableStatus::Uppskjuten),
];

const OUTCOMES: [(&str, &str, ProposalOutcome); 4] = [
    ("ej_behandlad", "Ej behandlad", ProposalOutcome::EjBehandlad),
    ("bifallen", "Bifallen", ProposalOutcome::Bifallen),
    ("avslagen", "Avslagen", ProposalOutcome::Avslagen),
    ("bordlagd", "Bordlagd", ProposalOutcome::Bordlagd),
];

async fn calendar_page(
    state: &AppState,
    user: &CurrentUser,
    year: Option<i32>,
    error: Option<String>,
    flash: Option<String>,
    meeting_form: Option<MeetingForm>,
) -> AppResult<Response> {
    let years = state.db.calendar_years().await?;
    let this_year = super::today().year();
    let year =
        year.unwrap_or(if years.contains(&this_year) || years.is_empty() { this_year } else { years[0] });
    let registry = state.db.registry().await?;
    let stored = state.db.calendar(year).await?;
    let mut meetings = Vec::new();
    let mut register = Vec::new();
    let mut feeds: Vec<(String, String)> = Vec::new();
    let published = state.db.published().await?;
    let unconfirmed = state.db.unconfirmed_meetings().await?;
    let can_copy = !stored.calendar.meetings.is_empty()
        && !years.contains(&(year + 1))
        && user.user.role == gnv_core::access::Role::Admin;
    for (m, links) in stored.calendar.meetings.iter().zip(&stored.links) {
        if !feeds.iter().any(|(c, _)| *c == m.body) {
            feeds.push((m.body.clone(), org_name(&registry, &m.body)));
        }
        let deliverables: Vec<DeliverableRow> = m
            .deliverables
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let object = links.objects.get(i).cloned().flatten();
                let (status, automatic) = published.effective(d.status, object.as_ref(), m.date.year());
                DeliverableRow {
                    position: i,
                    kind: d.kind.label().to_string(),
                    description: d.description.clone(),
                    status: status.label().to_string(),
                    status_key: DELIVERABLE_STATUSES
                        .iter()
                        .find(|s| s.2 == d.status)
                        .map(|s| s.0.to_string())
                        .unwrap_or_default(),
                    object: object.map(|o| (o.href(), o.label())),
                    automatic: automatic.unwrap_or_default(),
                }
            })
            .collect();
        let meeting_label = format!("{} {}", org_name(&registry, &m.body), m.date.label());
        let proposals: Vec<ProposalRow> = m
            .proposals
            .iter()
            .enumerate()
            .map(|(i, p)| ProposalRow {
                meeting_id: m.id.clone(),
                meeting: meeting_label.clone(),
                number: p.number,
                text: p.text.clone(),
                outcome: p.outcome.label().to_string(),
                outcome_key: OUTCOMES
                    .iter()
                    .find(|o| o.2 == p.outcome)
                    .map(|o| o.0.to_string())
                    .unwrap_or_default(),
                deliverable: links
                    .proposal_deliverables
                    .get(i)
                    .copied()
                    .flatten()
                    .and_then(|d| m.deliverables.get(d))
                    .map(|d| d.description.clone())
                    .unwrap_or_default(),
            })
            .collect();
        register.extend(proposals.iter().map(|p| ProposalRow {
            meeting_id: p.meeting_id.clone(),
            meeting: p.meeting.clone(),
            number: p.number,
            text: p.text.clone(),
            outcome: p.outcome.clone(),
            outcome_key: p.outcome_key.clone(),
            deliverable: p.deliverable.clone(),
        }));
        meetings.push(MeetingRow {
            id: m.id.clone(),
            date: m.date.label(),
            body: org_name(&registry, &m.body),
            body_code: m.body.clone(),
            title: m.title.clone(),
            deliverables,
            proposals,
            unconfirmed: unconfirmed.iter().any(|(id, _)| *id == m.id),
        });
    }
    let failed = error.is_some() || meeting_form.as_ref().is_some_and(|f| !f.errors.is_empty());
    let status = if failed { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let meeting_form = if user.user.role == gnv_core::access::Role::Admin {
        Some(match meeting_form {
            Some(f) => f,
            None => {
                MeetingForm::new(year, None, &registry, "/planering/kalender/moten".into(), "Lägg till möte")
            }
        })
    } else {
        None
    };
    let mut resp = render(&CalendarPage {
        ctx: PageCtx::new(format!("Rapporteringskalender {year}"), "planering", user).with_flash(flash),
        year,
        years,
        meetings,
        register,
        feeds,
        error,
        deliverable_statuses: DELIVERABLE_STATUSES.iter().map(|s| (s.0, s.1)).collect(),
        outcomes: OUTCOMES.iter().map(|o| (o.0, o.1)).collect(),
        meeting_form,
        can_copy,
        deadlines: state
            .db
            .external_deadlines_due_in(year)
            .await?
            .into_iter()
            .map(|(d, done)| {
                (
                    gnv_core::format::date_long(d.due_on),
                    format!("{} (om {})", lower_first(d.kind.label()), d.year),
                    done,
                    format!("/leveranser/{}#frister", d.year),
                )
            })
            .collect(),
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /planering/kalender?ar=2026`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CalQuery>,
) -> AppResult<Response> {
    let year = match q.ar.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => {
            Some(s.parse::<i32>().map_err(|_| AppError::BadRequest(format!("\"{s}\" är inget årtal.")))?)
        }
        None => None,
    };
    calendar_page(&state, &user, year, None, flash_message(q.ok.as_deref()), None).await
}

/// `GET /planering/kalender/{kalenderfil}`: `lchnv.ics` (one body) or `alla.ics`.
pub async fn ics(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let stem = file.strip_suffix(".ics").ok_or_else(AppError::not_found)?;
    let registry = state.db.registry().await?;
    let body = if stem == "alla" {
        None
    } else if registry.bodies.iter().any(|b| b.code == stem) {
        Some(stem)
    } else {
        return Err(AppError::NotFound(format!("Organet \"{stem}\" finns inte i organisationsregistret.")));
    };
    let mut meetings = Vec::new();
    for y in state.db.calendar_years().await? {
        meetings.extend(state.db.calendar(y).await?.calendar.meetings);
    }
    meetings.sort_by_key(|m| m.date.sort_key());
    let deadlines: Vec<gnv_core::planering::ics::Deadline> = if body.is_none() {
        state
            .db
            .all_external_deadlines()
            .await?
            .into_iter()
            .map(|(d, done)| gnv_core::planering::ics::Deadline {
                key: format!("{}-{}", d.year, d.kind.code()),
                date: d.due_on,
                summary: format!("Sista dag: {} (om {})", lower_first(d.kind.label()), d.year),
                description: [d.note.trim(), if done { "levererad" } else { "inte levererad" }]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect()
    } else {
        Vec::new()
    };
    let text =
        gnv_core::planering::ics::to_ics_with_deadlines(&meetings, &deadlines, body, chrono::Utc::now());
    Ok(crate::shared::inline_file("text/calendar; charset=utf-8", &format!("{stem}.ics"), text))
}

fn year_of_meeting(id: &str) -> Option<i32> {
    // Meeting ids end in "-ÅÅÅÅ-MM-DD" or "-ÅÅÅÅ-kN".
    let parts: Vec<&str> = id.rsplitn(3, '-').collect();
    parts
        .get(2)
        .and_then(|p| p.rsplit('-').next())
        .and_then(|y| y.parse().ok())
        .or_else(|| parts.get(1).and_then(|p| p.parse().ok()))
}

async fn after_post(
    state: &AppState,
    user: &CurrentUser,
    meeting_id: &str,
    result: Result<(), StorageError>,
) -> AppResult<Response> {
    let year = year_of_meeting(meeting_id);
    match result {
        Ok(()) => {
            let y = year.map(|y| format!("ar={y}&")).unwrap_or_default();
            Ok(Redirect::to(&format!("/planering/kalender?{y}ok=sparat")).into_response())
        }
        Err(StorageError::Invalid(msg)) => calendar_page(state, user, year, Some(msg), None, None).await,
        Err(e) => Err(e.into()),
    }
}

/// The form setting a deliverable's status.
#[derive(serde::Deserialize)]
pub struct DeliverableStatusForm {
    #[serde(rename = "mote")]
    meeting: String,
    /// The deliverable's position (0-based).
    #[serde(rename = "leverans")]
    deliverable: String,
    status: String,
}

/// The form adding a proposal to a meeting.
#[derive(serde::Deserialize)]
pub struct ProposalForm {
    #[serde(rename = "mote")]
    meeting: String,
    text: String,
    /// The deliverable the proposal is about (0-based), if any.
    #[serde(rename = "leverans")]
    deliverable: Option<String>,
}

/// The form recording the decision on a proposal.
#[derive(serde::Deserialize)]
pub struct OutcomeForm {
    #[serde(rename = "mote")]
    meeting: String,
    #[serde(rename = "nummer")]
    number: String,
    #[serde(rename = "beslut")]
    outcome: String,
}

/// The form changing a proposal's text.
#[derive(serde::Deserialize)]
pub struct ProposalTextForm {
    #[serde(rename = "mote")]
    meeting: String,
    #[serde(rename = "nummer")]
    number: String,
    text: String,
}

/// A proposal's number from a form.
fn proposal_number(s: &str) -> AppResult<u32> {
    s.parse().map_err(|_| AppError::BadRequest("Ange förslagets nummer.".into()))
}

/// `POST /planering/kalender/leverans`: fields `mote`, `leverans` (0-based), `status`.
pub async fn set_deliverable(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<DeliverableStatusForm>,
) -> AppResult<Response> {
    let meeting = form.meeting;
    let position: usize = form
        .deliverable
        .parse()
        .map_err(|_| AppError::BadRequest("Ange vilken leverans som avses.".into()))?;
    let status =
        DELIVERABLE_STATUSES.iter().find(|s| s.0 == form.status).map(|s| s.2).ok_or_else(|| {
            AppError::BadRequest("Välj status Planerad, Levererad eller Uppskjuten.".into())
        })?;
    let r = state.db.set_deliverable_status(&meeting, position, status, &user.actor()).await;
    after_post(&state, &user, &meeting, r).await
}

/// `POST /planering/kalender/forslag`: fields `mote`, `text`, optional `leverans`.
pub async fn add_proposal(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ProposalForm>,
) -> AppResult<Response> {
    let meeting = form.meeting;
    let text = form.text;
    if text.chars().count() > 2000 {
        return Err(AppError::BadRequest("Förslaget får ha högst 2000 tecken.".into()));
    }
    let deliverable = match form.deliverable {
        Some(s) => Some(s.parse::<usize>().map_err(|_| AppError::BadRequest("Ogiltig leverans.".into()))?),
        None => None,
    };
    let r = state.db.add_proposal(&meeting, &text, deliverable, &user.actor()).await.map(|_| ());
    after_post(&state, &user, &meeting, r).await
}

/// `POST /planering/kalender/beslut`: fields `mote`, `nummer`, `beslut`.
pub async fn set_outcome(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<OutcomeForm>,
) -> AppResult<Response> {
    let meeting = form.meeting;
    let number = proposal_number(&form.number)?;
    let outcome = OUTCOMES.iter().find(|o| o.0 == form.outcome).map(|o| o.2).ok_or_else(|| {
        AppError::BadRequest("Välj beslut: Ej behandlad, Bifallen, Avslagen eller Bordlagd.".into())
    })?;
    let r = state.db.set_proposal_outcome(&meeting, number, outcome, &user.actor()).await;
    after_post(&state, &user, &meeting, r).await
}

// ---------------------------------------------------------------------------------------------
// Adding and editing meetings (admin)

/// One deliverable row of the meeting form.
pub struct DeliverableFormRow {
    pub n: usize,
    pub kind: String,
    pub description: String,
    pub object: String,
}

/// The meeting form's values and choices.
pub struct MeetingForm {
    pub action: String,
    pub submit: &'static str,
    pub year: i32,
    pub body: String,
    pub date: String,
    pub quarter: String,
    pub title: String,
    pub rows: Vec<DeliverableFormRow>,
    /// (code, name) of the registry's bodies.
    pub bodies: Vec<(String, String)>,
    pub kinds: Vec<String>,
    pub quarters: Vec<String>,
    /// (stored form, label) of the objects a deliverable can deliver.
    pub objects: Vec<(String, String)>,
    pub errors: Vec<String>,
}

/// Deliverable rows read from a form: `leverans-typ-N`, `leverans-text-N`, `leverans-objekt-N`.
const MAX_DELIVERABLE_ROWS: usize = 12;

impl MeetingForm {
    fn new(
        year: i32,
        meeting: Option<(&Meeting, &MeetingLinks)>,
        registry: &Registry,
        action: String,
        submit: &'static str,
    ) -> Self {
        let input = meeting.map(|(m, _)| MeetingInput::from_meeting(m)).unwrap_or_default();
        let objects: Vec<String> = meeting
            .map(|(_, l)| {
                l.objects.iter().map(|o| o.as_ref().map(|o| o.to_text()).unwrap_or_default()).collect()
            })
            .unwrap_or_default();
        let mut form = MeetingForm {
            action,
            submit,
            year,
            body: input.body.clone(),
            date: input.date.clone(),
            quarter: input.quarter.clone(),
            title: input.title.clone(),
            rows: Vec::new(),
            bodies: registry.bodies.iter().map(|b| (b.code.clone(), b.name.clone())).collect(),
            kinds: DeliverableKind::ALL.iter().map(|k| k.label().to_string()).collect(),
            quarters: (1..=4).map(|q: u8| q.to_string()).collect(),
            objects: vec![
                (ObjectRef::Handlingsplan.to_text(), ObjectRef::Handlingsplan.label()),
                (ObjectRef::Arsplan(year).to_text(), ObjectRef::Arsplan(year).label()),
                (ObjectRef::Arsrapport(year - 1).to_text(), ObjectRef::Arsrapport(year - 1).label()),
                (ObjectRef::Arsrapport(year).to_text(), ObjectRef::Arsrapport(year).label()),
            ],
            errors: Vec::new(),
        };
        let rows: Vec<(String, String, String)> = input
            .deliverables
            .iter()
            .enumerate()
            .map(|(i, d)| {
                (d.kind.clone(), d.description.clone(), objects.get(i).cloned().unwrap_or_default())
            })
            .collect();
        form.set_rows(rows);
        form
    }

    /// Sets the deliverable rows plus empty ones to fill in (at least two, at least four rows).
    fn set_rows(&mut self, rows: Vec<(String, String, String)>) {
        let total = (rows.len() + 2).max(4).min(MAX_DELIVERABLE_ROWS.max(rows.len()));
        self.rows = (0..total)
            .map(|i| {
                let (kind, description, object) = rows.get(i).cloned().unwrap_or_default();
                DeliverableFormRow { n: i + 1, kind, description, object }
            })
            .collect();
    }
}

/// Reads the meeting form. Returns the input for the core, the object links of the non-empty
/// deliverable rows (aligned with the parsed deliverables) and any link errors. The deliverable
/// rows are numbered fields (`leverans-typ-3`), so the form is read as a [`Fields`] bag with its
/// fixed part typed ([`MeetingHead`]).
fn meeting_input_from(
    head: MeetingHead,
    fields: &Fields,
) -> (MeetingInput, Vec<(String, String, String)>, Vec<Option<ObjectRef>>, Vec<String>) {
    let mut input = MeetingInput {
        body: head.body,
        date: head.date,
        quarter: head.quarter,
        title: head.title,
        deliverables: Vec::new(),
    };
    let mut rows = Vec::new();
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for i in 1..=MAX_DELIVERABLE_ROWS {
        let kind = fields.get(&format!("leverans-typ-{i}"));
        let description = fields.get(&format!("leverans-text-{i}"));
        let object = fields.get(&format!("leverans-objekt-{i}"));
        if kind.is_empty() && description.is_empty() {
            continue;
        }
        let n = objects.len() + 1;
        objects.push(match object.as_str() {
            "" => None,
            o => match ObjectRef::parse(o) {
                Some(r) => Some(r),
                None => {
                    errors.push(format!("Leverans {n} – levererar: \"{o}\" är inget känt objekt."));
                    None
                }
            },
        });
        rows.push((kind.clone(), description.clone(), object));
        input.deliverables.push(DeliverableInput { kind, description });
    }
    (input, rows, objects, errors)
}

/// The fixed fields of the meeting form (the deliverable rows are numbered).
#[derive(serde::Deserialize)]
struct MeetingHead {
    /// The calendar's year (when adding).
    #[serde(rename = "ar")]
    year: String,
    #[serde(rename = "organ")]
    body: String,
    #[serde(rename = "datum")]
    date: String,
    #[serde(rename = "kvartal")]
    quarter: String,
    #[serde(rename = "rubrik")]
    title: String,
}

fn form_year(s: &str) -> Option<i32> {
    s.trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y))
}

/// Parses the form into a meeting of `year` (keeping `previous`'s id, statuses and proposals).
fn parse_meeting(
    fields: &Fields,
    year: i32,
    previous: Option<&Meeting>,
    registry: &Registry,
    form: &mut MeetingForm,
) -> AppResult<Option<(Meeting, MeetingLinks)>> {
    let (input, rows, objects, mut errors) = meeting_input_from(fields.typed()?, fields);
    form.body = input.body.clone();
    form.date = input.date.clone();
    form.quarter = input.quarter.clone();
    form.title = input.title.clone();
    form.set_rows(rows);
    let meeting = match input.parse(year, previous, registry) {
        Ok(m) => Some(m),
        Err(e) => {
            errors.splice(0..0, super::arsplan::messages(&e));
            None
        }
    };
    form.errors = errors;
    let Some(m) = meeting.filter(|_| form.errors.is_empty()) else { return Ok(None) };
    let proposal_deliverables = previous
        .map(|p| p.proposals.iter().map(|_| None).collect::<Vec<Option<usize>>>())
        .unwrap_or_default();
    Ok(Some((m, MeetingLinks { objects, proposal_deliverables })))
}

/// `POST /planering/kalender/moten`: fields `ar` (the calendar's year), `organ`, `datum` or
/// `kvartal`, `rubrik` and deliverable rows.
pub async fn add_meeting(
    State(state): State<AppState>,
    user: CurrentUser,
    fields: Fields,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let raw_year = fields.typed::<MeetingHead>()?.year;
    let year = form_year(&raw_year)
        .ok_or_else(|| AppError::BadRequest(format!("\"{raw_year}\" är inget årtal.")))?;
    let mut form =
        MeetingForm::new(year, None, &registry, "/planering/kalender/moten".into(), "Lägg till möte");
    if let Some((m, links)) = parse_meeting(&fields, year, None, &registry, &mut form)? {
        let cal = gnv_core::planering::ReportingCalendar { year, meetings: vec![m.clone()] };
        match state.db.add_calendar(&cal, &[links], &user.actor()).await {
            Ok(()) => {
                return Ok(Redirect::to(&format!("/planering/kalender?ar={year}&ok=mote#mote-{}", m.id))
                    .into_response())
            }
            Err(StorageError::Invalid(msg)) | Err(StorageError::Conflict(msg)) => form.errors.push(msg),
            Err(e) => return Err(e.into()),
        }
    }
    calendar_page(&state, &user, Some(year), None, None, Some(form)).await
}

#[derive(Template)]
#[template(path = "planering/mote.html")]
struct MeetingPage {
    ctx: PageCtx,
    id: String,
    label: String,
    mf: MeetingForm,
    /// (number, text, outcome label)
    proposals: Vec<(u32, String, String)>,
    /// Descriptions of the stored deliverables, for the new proposal's "gäller leverans".
    deliverables: Vec<String>,
    proposal_error: Option<String>,
}

async fn find_meeting(state: &AppState, id: &str) -> AppResult<(Meeting, MeetingLinks)> {
    let year = year_of_meeting(id).ok_or_else(AppError::not_found)?;
    let stored = state.db.calendar(year).await?;
    stored
        .calendar
        .meetings
        .into_iter()
        .zip(stored.links)
        .find(|(m, _)| m.id == id)
        .ok_or_else(AppError::not_found)
}

async fn meeting_page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    form: Option<MeetingForm>,
    proposal_error: Option<String>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let (m, links) = find_meeting(state, id).await?;
    let failed = form.as_ref().is_some_and(|f| !f.errors.is_empty()) || proposal_error.is_some();
    let meeting_form = form.unwrap_or_else(|| {
        MeetingForm::new(
            m.date.year(),
            Some((&m, &links)),
            &registry,
            format!("/planering/kalender/moten/{}", m.id),
            "Spara mötet",
        )
    });
    let label = format!("{} {}", org_name(&registry, &m.body), m.date.label());
    let mut resp = render(&MeetingPage {
        ctx: PageCtx::new(format!("Ändra möte – {label}"), "planering", user),
        id: m.id.clone(),
        label,
        mf: meeting_form,
        proposals: m
            .proposals
            .iter()
            .map(|p| (p.number, p.text.clone(), p.outcome.label().to_string()))
            .collect(),
        deliverables: m
            .deliverables
            .iter()
            .map(|d| format!("{}: {}", d.kind.label(), d.description))
            .collect(),
        proposal_error,
    })?;
    if failed {
        *resp.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}

/// `GET /planering/kalender/moten/{mote}`.
pub async fn meeting_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    meeting_page(&state, &user, &id, None, None).await
}

/// `POST /planering/kalender/moten/{mote}`: the same fields as adding; the id stays.
pub async fn update_meeting(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    fields: Fields,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let (previous, prev_links) = find_meeting(&state, &id).await?;
    let year = previous.date.year();
    let mut form =
        MeetingForm::new(year, None, &registry, format!("/planering/kalender/moten/{id}"), "Spara mötet");
    if let Some((m, mut links)) = parse_meeting(&fields, year, Some(&previous), &registry, &mut form)? {
        links.proposal_deliverables = prev_links.proposal_deliverables.clone();
        match state.db.update_meeting(&m, &links, &user.actor()).await {
            Ok(()) => {
                return Ok(
                    Redirect::to(&format!("/planering/kalender?ar={year}&ok=mote#mote-{id}")).into_response()
                )
            }
            Err(StorageError::Invalid(msg)) => form.errors.push(msg),
            Err(e) => return Err(e.into()),
        }
    }
    meeting_page(&state, &user, &id, Some(form), None).await
}

/// `POST /planering/kalender/forslag/text`: fields `mote`, `nummer`, `text`.
pub async fn update_proposal_text(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ProposalTextForm>,
) -> AppResult<Response> {
    let id = form.meeting;
    let number = proposal_number(&form.number)?;
    let text = form.text;
    let result = if text.chars().count() > 2000 {
        Err(StorageError::Invalid("Förslaget får ha högst 2000 tecken.".into()))
    } else {
        state.db.update_proposal_text(&id, number, &text, &user.actor()).await
    };
    match result {
        Ok(()) => {
            let y = year_of_meeting(&id).map(|y| format!("ar={y}&")).unwrap_or_default();
            Ok(Redirect::to(&format!("/planering/kalender?{y}ok=sparat#beslut")).into_response())
        }
        Err(StorageError::Invalid(msg)) => {
            meeting_page(&state, &user, &id, None, Some(format!("Förslag {number}: {msg}"))).await
        }
        Err(StorageError::NotFound(_)) => Err(AppError::not_found()),
        Err(e) => Err(e.into()),
    }
}

/// "Kommunenkätens …" → "kommunenkätens …" for use inside a sentence.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn year_from_meeting_id() {
        assert_eq!(super::year_of_meeting("lchnv-2026-01-29"), Some(2026));
        assert_eq!(super::year_of_meeting("lchnv-styrgrupp-2026-k4"), Some(2026));
        assert_eq!(super::year_of_meeting("x"), None);
    }
}
