//! The annual plan of a year: activity types with targets, plan versus outcome, attendance,
//! LSLs not reached (worded neutrally), the occurrences, and the admin forms to add and edit
//! occurrences. Form input is parsed by the core ([`OccurrenceInput::parse`]); on any error the
//! form is shown again with the Swedish messages (status 400) and nothing is written.

use super::org_name;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::pages::form::Fields;
use crate::view::{flash_message, render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::fel::InputErrors;
use gnv_core::format;
use gnv_core::organisation::Registry;
use gnv_core::planering::aktivitet::outcome_for;
use gnv_core::planering::{
    attendance_summary, not_reached, year_attendance, AnnualPlan, Format, Occurrence, OccurrenceInput,
};
use gnv_storage::StorageError;
use serde::Deserialize;

/// One activity type with its outcome.
pub struct TypeRow {
    pub name: String,
    pub target_group: String,
    pub purpose: String,
    pub format: String,
    pub frequency: String,
    pub outcome: String,
    pub fulfilment: String,
    pub other: String,
    pub attendance: String,
}

/// One occurrence as shown.
pub struct OccRow {
    pub id: i64,
    pub date: String,
    pub activity: String,
    pub title: String,
    pub format: String,
    pub status: String,
    pub reason: String,
    pub attendance: String,
    pub bodies: String,
    pub guests: String,
    pub participants: String,
    pub note: String,
}

/// The occurrence form's values and choices.
pub struct OccForm {
    pub action: String,
    pub submit: &'static str,
    pub activity: String,
    pub title: String,
    pub date: String,
    pub format: String,
    pub status: String,
    pub reason: String,
    pub guests: String,
    pub participants: String,
    pub note: String,
    pub errors: Vec<String>,
    pub activities: Vec<String>,
    pub formats: Vec<String>,
    pub statuses: Vec<String>,
    /// (code, name, checked) for LSLs, municipalities and bodies.
    pub lsls: Vec<(String, String, bool)>,
    pub municipalities: Vec<(String, String, bool)>,
    pub bodies: Vec<(String, String, bool)>,
}

const STATUSES: [&str; 5] = ["Planerad", "Genomförd", "Framflyttad", "Inställd", "Pausad"];

impl OccForm {
    fn new(plan: &AnnualPlan, registry: &Registry, action: String, submit: &'static str) -> Self {
        OccForm {
            action,
            submit,
            activity: String::new(),
            title: String::new(),
            date: String::new(),
            format: String::new(),
            status: "Planerad".into(),
            reason: String::new(),
            guests: String::new(),
            participants: String::new(),
            note: String::new(),
            errors: Vec::new(),
            activities: plan.activity_types.iter().map(|t| t.name.clone()).collect(),
            formats: Format::ALL.iter().map(|f| f.label().to_string()).collect(),
            statuses: STATUSES.iter().map(|s| s.to_string()).collect(),
            lsls: registry.lsls.iter().map(|l| (l.code.clone(), l.name.clone(), false)).collect(),
            municipalities: registry
                .municipalities
                .iter()
                .map(|m| (m.code.clone(), m.name.clone(), false))
                .collect(),
            bodies: registry.bodies.iter().map(|b| (b.code.clone(), b.name.clone(), false)).collect(),
        }
    }

    fn check(list: &mut [(String, String, bool)], chosen: &[String]) {
        for item in list.iter_mut() {
            item.2 = chosen.contains(&item.0);
        }
    }

    fn fill_from_input(&mut self, i: &OccurrenceInput) {
        self.activity = i.activity.clone();
        self.title = i.title.clone();
        self.date = i.date.clone();
        self.format = i.format.clone();
        self.status = i.status.clone();
        self.reason = i.reason.clone();
        self.guests = i.guests.join("\n");
        self.participants = i.participants.clone();
        self.note = i.note.clone();
        Self::check(&mut self.lsls, &i.lsls);
        Self::check(&mut self.municipalities, &i.municipalities);
        Self::check(&mut self.bodies, &i.bodies);
    }

    fn fill_from_occurrence(&mut self, o: &Occurrence) {
        let input = OccurrenceInput {
            activity: o.activity.clone(),
            title: o.title.clone(),
            date: format::date(o.date),
            format: o.format.label().to_string(),
            status: o.status.label().to_string(),
            reason: o.status.reason().map(|r| r.as_str().to_string()).unwrap_or_default(),
            lsls: o.attendance.lsls.iter().cloned().collect(),
            municipalities: o.attendance.municipalities.iter().cloned().collect(),
            bodies: o.attendance.bodies.iter().cloned().collect(),
            guests: o.attendance.guests.clone(),
            participants: o.participants.map(|p| p.to_string()).unwrap_or_default(),
            note: o.note.clone(),
        };
        self.fill_from_input(&input);
    }
}

/// Reads the occurrence form.
pub fn input_from(fields: &Fields) -> OccurrenceInput {
    OccurrenceInput {
        activity: fields.get("aktivitet"),
        title: fields.get("titel"),
        date: fields.get("datum"),
        format: fields.get("format"),
        status: fields.get("status"),
        reason: fields.get("orsak"),
        lsls: fields.all("lsl"),
        municipalities: fields.all("kommun"),
        bodies: fields.all("organ"),
        guests: fields
            .get("gaster")
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        participants: fields.get("deltagare"),
        note: fields.get("anteckning"),
    }
}

/// Messages of located errors, as "Fältet datum: …" without the row (a form has one row).
pub fn messages(errors: &InputErrors) -> Vec<String> {
    errors
        .0
        .iter()
        .map(|e| match &e.location.field {
            Some(f) => format!("{}: {}", capitalise(f), e.message),
            None => e.message.clone(),
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn parse_year(s: &str) -> AppResult<i32> {
    s.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y)).ok_or_else(AppError::not_found)
}

#[derive(Template)]
#[template(path = "planering/arsplan.html")]
struct PlanPage {
    ctx: PageCtx,
    year: i32,
    years: Vec<i32>,
    exists: bool,
    types: Vec<TypeRow>,
    occurrences: Vec<OccRow>,
    attendance: String,
    bodies_text: String,
    not_reached: String,
    form: Option<OccForm>,
}

#[derive(Deserialize)]
pub struct OkQuery {
    ok: Option<String>,
}

fn type_rows(plan: &AnnualPlan, registry: &Registry) -> Vec<TypeRow> {
    plan.activity_types
        .iter()
        .map(|t| {
            let o = outcome_for(plan, t);
            let mut other = Vec::new();
            if o.planned > 0 {
                other.push(format!("{} planerade", o.planned));
            }
            if o.postponed > 0 {
                other.push(format!("{} framflyttade", o.postponed));
            }
            if o.cancelled > 0 {
                other.push(format!("{} inställda", o.cancelled));
            }
            if o.paused > 0 {
                other.push(format!("{} pausade", o.paused));
            }
            TypeRow {
                name: t.name.clone(),
                target_group: t.target_group.clone(),
                purpose: t.purpose.clone(),
                format: t.format.label().to_string(),
                frequency: t.frequency.label(),
                outcome: o.text.clone(),
                fulfilment: o.fulfilment.label().to_string(),
                other: if other.is_empty() { "–".into() } else { other.join(", ") },
                attendance: year_attendance(plan, registry, Some(&t.name)).text,
            }
        })
        .collect()
}

fn occ_rows(plan: &AnnualPlan, ids: &[i64], registry: &Registry) -> Vec<OccRow> {
    plan.occurrences
        .iter()
        .zip(ids)
        .map(|(o, id)| {
            let a = attendance_summary(o, registry);
            let names: Vec<String> = o.attendance.bodies.iter().map(|b| org_name(registry, b)).collect();
            OccRow {
                id: *id,
                date: format::date(o.date),
                activity: o.activity.clone(),
                title: o.title.clone(),
                format: o.format.label().to_string(),
                status: o.status.label().to_string(),
                reason: o.status.reason().map(|r| r.as_str().to_string()).unwrap_or_default(),
                attendance: if o.attendance.lsls.is_empty() && o.attendance.municipalities.is_empty() {
                    "–".into()
                } else {
                    a.text
                },
                bodies: names.join(", "),
                guests: o.attendance.guests.join(", "),
                participants: o.participants.map(|p| format::integer(i64::from(p))).unwrap_or_default(),
                note: o.note.clone(),
            }
        })
        .collect()
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    form: Option<OccForm>,
    flash: Option<String>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let years = state.db.annual_plan_years().await?;
    let stored = state.db.annual_plan(year).await?;
    let status = if form.as_ref().is_some_and(|f| !f.errors.is_empty()) {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = match &stored {
        Some(s) => {
            let att = year_attendance(&s.plan, &registry, None);
            let form = if user.user.role == gnv_core::roll::Role::Admin {
                Some(form.unwrap_or_else(|| {
                    OccForm::new(
                        &s.plan,
                        &registry,
                        format!("/planering/arsplan/{year}/tillfallen"),
                        "Lägg till tillfälle",
                    )
                }))
            } else {
                None
            };
            PlanPage {
                ctx: PageCtx::new(format!("Årsplanering {year}"), "planering", user).with_flash(flash),
                year,
                years,
                exists: true,
                types: type_rows(&s.plan, &registry),
                occurrences: occ_rows(&s.plan, &s.occurrence_ids, &registry),
                attendance: att.text,
                bodies_text: att.bodies_text,
                not_reached: not_reached(&s.plan, &registry).sentence,
                form,
            }
        }
        None => PlanPage {
            ctx: PageCtx::new(format!("Årsplanering {year}"), "planering", user).with_flash(flash),
            year,
            years,
            exists: false,
            types: Vec::new(),
            occurrences: Vec::new(),
            attendance: String::new(),
            bodies_text: String::new(),
            not_reached: String::new(),
            form: None,
        },
    };
    let mut resp = render(&page)?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /planering/arsplan/{planar}`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(year): Path<String>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let year = parse_year(&year)?;
    plan_page(&state, &user, year, None, flash_message(q.ok.as_deref())).await
}

/// Parses, validates and stores; on errors returns the filled form with messages.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    id: Option<i64>,
    fields: &Fields,
    mut form: OccForm,
) -> AppResult<Result<(), OccForm>> {
    let registry = state.db.registry().await?;
    let stored = state
        .db
        .annual_plan(year)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen årsplan för {year}.")))?;
    let input = input_from(fields);
    form.fill_from_input(&input);
    let occurrence = match input.parse(&stored.plan, &registry, 1) {
        Ok(o) => o,
        Err(e) => {
            form.errors = messages(&e);
            return Ok(Err(form));
        }
    };
    let result = match id {
        Some(id) => state.db.update_occurrence(year, id, &occurrence, &user.actor()).await,
        None => state.db.add_occurrence(year, &occurrence, &user.actor()).await.map(|_| ()),
    };
    match result {
        Ok(()) => Ok(Ok(())),
        Err(StorageError::Invalid(msg)) => {
            form.errors = msg.lines().map(str::to_string).collect();
            Ok(Err(form))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /planering/arsplan/{planar}/tillfallen`.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(year): Path<String>,
    fields: Fields,
) -> AppResult<Response> {
    let year = parse_year(&year)?;
    let registry = state.db.registry().await?;
    let stored = state
        .db
        .annual_plan(year)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen årsplan för {year}.")))?;
    let form = OccForm::new(
        &stored.plan,
        &registry,
        format!("/planering/arsplan/{year}/tillfallen"),
        "Lägg till tillfälle",
    );
    match save(&state, &user, year, None, &fields, form).await? {
        Ok(()) => {
            Ok(Redirect::to(&format!("/planering/arsplan/{year}?ok=tillfalle#tillfallen")).into_response())
        }
        Err(form) => plan_page(&state, &user, year, Some(form), None).await,
    }
}

#[derive(Template)]
#[template(path = "planering/tillfalle.html")]
struct EditPage {
    ctx: PageCtx,
    year: i32,
    form: OccForm,
}

fn parse_id(s: &str) -> AppResult<i64> {
    s.parse::<i64>().map_err(|_| AppError::not_found())
}

/// `GET /planering/arsplan/{planar}/tillfallen/{tillfalle}`.
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((year, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let year = parse_year(&year)?;
    let id = parse_id(&id)?;
    let registry = state.db.registry().await?;
    let stored = state.db.annual_plan(year).await?.ok_or_else(AppError::not_found)?;
    let i = stored.occurrence_ids.iter().position(|x| *x == id).ok_or_else(AppError::not_found)?;
    let mut form = OccForm::new(
        &stored.plan,
        &registry,
        format!("/planering/arsplan/{year}/tillfallen/{id}"),
        "Spara ändringar",
    );
    form.fill_from_occurrence(&stored.plan.occurrences[i]);
    render(&EditPage { ctx: PageCtx::new("Ändra aktivitetstillfälle", "planering", &user), year, form })
}

/// `POST /planering/arsplan/{planar}/tillfallen/{tillfalle}`.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((year, id)): Path<(String, String)>,
    fields: Fields,
) -> AppResult<Response> {
    let year = parse_year(&year)?;
    let id = parse_id(&id)?;
    let registry = state.db.registry().await?;
    let stored = state.db.annual_plan(year).await?.ok_or_else(AppError::not_found)?;
    if !stored.occurrence_ids.contains(&id) {
        return Err(AppError::not_found());
    }
    let form = OccForm::new(
        &stored.plan,
        &registry,
        format!("/planering/arsplan/{year}/tillfallen/{id}"),
        "Spara ändringar",
    );
    match save(&state, &user, year, Some(id), &fields, form).await? {
        Ok(()) => {
            Ok(Redirect::to(&format!("/planering/arsplan/{year}?ok=sparat#tillfallen")).into_response())
        }
        Err(form) => {
            let mut resp = render(&EditPage {
                ctx: PageCtx::new("Ändra aktivitetstillfälle", "planering", &user),
                year,
                form,
            })?;
            *resp.status_mut() = StatusCode::BAD_REQUEST;
            Ok(resp)
        }
    }
}
