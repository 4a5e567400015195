//! The annual plan of a year: activity types with targets, plan versus outcome, attendance,
//! LSLs not reached (worded neutrally), the occurrences, and the admin forms to add and edit
//! occurrences. Form input is parsed by the core ([`OccurrenceInput::parse`]); on any error the
//! form is shown again with the Swedish messages (status 400) and nothing is written.

use super::org_name;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::pages::form::Form;
use crate::shared::{OkQuery, Year};
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::error::InputErrors;
use gnv_core::format;
use gnv_core::organisation::Registry;
use gnv_core::planering::aktivitet::outcome_for;
use gnv_core::planering::{
    attendance_summary, not_reached, year_attendance, ActivityTypeInput, AnnualPlan, Format, Occurrence,
    OccurrenceInput,
};
use gnv_storage::StorageError;
use serde::Deserialize;

/// One activity type with its outcome.
pub struct TypeRow {
    pub id: i64,
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

/// The occurrence form (aktivitetstillfälle), as submitted.
#[derive(Deserialize)]
pub struct OccurrenceForm {
    #[serde(rename = "aktivitet")]
    activity: String,
    #[serde(rename = "titel")]
    title: String,
    #[serde(rename = "datum")]
    date: String,
    format: String,
    status: String,
    #[serde(rename = "orsak")]
    reason: String,
    lsl: Vec<String>,
    #[serde(rename = "kommun")]
    municipalities: Vec<String>,
    #[serde(rename = "organ")]
    bodies: Vec<String>,
    /// One guest a line.
    #[serde(rename = "gaster")]
    guests: String,
    #[serde(rename = "deltagare")]
    participants: String,
    #[serde(rename = "anteckning")]
    note: String,
}

impl From<OccurrenceForm> for OccurrenceInput {
    fn from(f: OccurrenceForm) -> Self {
        OccurrenceInput {
            activity: f.activity,
            title: f.title,
            date: f.date,
            format: f.format,
            status: f.status,
            reason: f.reason,
            lsls: f.lsl,
            municipalities: f.municipalities,
            bodies: f.bodies,
            guests: f.guests.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect(),
            participants: f.participants,
            note: f.note,
        }
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
    type_form: Option<TypeForm>,
    create: Option<CreateForm>,
}

fn type_rows(plan: &AnnualPlan, ids: &[i64], registry: &Registry) -> Vec<TypeRow> {
    plan.activity_types
        .iter()
        .zip(ids)
        .map(|(t, id)| {
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
                id: *id,
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
    forms: Forms,
    flash: Option<String>,
) -> AppResult<Response> {
    let Forms { occurrence: form, activity_type: type_form, create } = forms;
    let registry = state.db.registry().await?;
    let years = state.db.annual_plan_years().await?;
    let all_years = years.clone();
    let stored = state.db.annual_plan(year).await?;
    let is_admin = user.user.role == gnv_core::access::Role::Admin;
    let status = if form.as_ref().is_some_and(|f| !f.errors.is_empty())
        || type_form.as_ref().is_some_and(|f| !f.errors.is_empty())
        || create.as_ref().is_some_and(|f| !f.errors.is_empty())
    {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = match &stored {
        Some(s) => {
            let att = year_attendance(&s.plan, &registry, None);
            let form = if is_admin {
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
                types: type_rows(&s.plan, &s.activity_type_ids, &registry),
                occurrences: occ_rows(&s.plan, &s.occurrence_ids, &registry),
                attendance: att.text,
                bodies_text: att.bodies_text,
                not_reached: not_reached(&s.plan, &registry).sentence,
                form,
                type_form: if is_admin {
                    Some(type_form.unwrap_or_else(|| {
                        TypeForm::new(
                            format!("/planering/arsplan/{year}/aktivitetstyper"),
                            "Lägg till aktivitetstyp",
                        )
                    }))
                } else {
                    None
                },
                create: None,
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
            type_form: None,
            create: if is_admin {
                Some(create.unwrap_or_else(|| CreateForm::new(year.to_string(), &all_years)))
            } else {
                None
            },
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
    Year(year): Year,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    plan_page(&state, &user, year, Forms::default(), q.flash()).await
}

/// Parses, validates and stores; on errors returns the filled form with messages.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    id: Option<i64>,
    input: OccurrenceInput,
    mut form: OccForm,
) -> AppResult<Result<(), OccForm>> {
    let registry = state.db.registry().await?;
    let stored = state
        .db
        .annual_plan(year)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen årsplan för {year}.")))?;
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
    Year(year): Year,
    Form(input): Form<OccurrenceForm>,
) -> AppResult<Response> {
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
    match save(&state, &user, year, None, input.into(), form).await? {
        Ok(()) => {
            Ok(Redirect::to(&format!("/planering/arsplan/{year}?ok=tillfalle#tillfallen")).into_response())
        }
        Err(form) => {
            plan_page(&state, &user, year, Forms { occurrence: Some(form), ..Forms::default() }, None).await
        }
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
    let year = Year::parse(&year)?;
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
    Form(input): Form<OccurrenceForm>,
) -> AppResult<Response> {
    let year = Year::parse(&year)?;
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
    match save(&state, &user, year, Some(id), input.into(), form).await? {
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

// ---------------------------------------------------------------------------------------------
// Creating a year's plan and editing its activity types (admin)

/// Forms shown on the plan page, with their values and errors after a failed post.
#[derive(Default)]
pub struct Forms {
    pub occurrence: Option<OccForm>,
    pub activity_type: Option<TypeForm>,
    pub create: Option<CreateForm>,
}

/// The form creating a year's annual plan.
pub struct CreateForm {
    pub year: String,
    /// Year to copy activity types from, or empty.
    pub copy_from: String,
    /// Years with a plan (copy choices), newest first.
    pub years: Vec<i32>,
    pub errors: Vec<String>,
}

impl CreateForm {
    /// Defaults: copy from the newest plan before `year` (or the newest of all).
    pub fn new(year: String, years: &[i32]) -> Self {
        let y: Option<i32> = year.parse().ok();
        let copy = years.iter().copied().find(|p| y.is_none_or(|y| *p < y)).or(years.first().copied());
        CreateForm {
            year,
            copy_from: copy.map(|c| c.to_string()).unwrap_or_default(),
            years: years.to_vec(),
            errors: Vec::new(),
        }
    }
}

/// The activity type form's values.
pub struct TypeForm {
    pub action: String,
    pub submit: &'static str,
    pub input: ActivityTypeInput,
    pub formats: Vec<String>,
    pub errors: Vec<String>,
}

impl TypeForm {
    fn new(action: String, submit: &'static str) -> Self {
        TypeForm {
            action,
            submit,
            input: ActivityTypeInput::default(),
            formats: Format::ALL.iter().map(|f| f.label().to_string()).collect(),
            errors: Vec::new(),
        }
    }
}

/// The activity type form, as submitted.
#[derive(Deserialize)]
pub struct ActivityTypeForm {
    #[serde(rename = "namn")]
    name: String,
    #[serde(rename = "malgrupp")]
    target_group: String,
    #[serde(rename = "syfte")]
    purpose: String,
    format: String,
    #[serde(rename = "antal")]
    frequency: String,
    #[serde(rename = "tidpunkt")]
    timing: String,
    #[serde(rename = "substantiv_en")]
    noun_singular: String,
    #[serde(rename = "substantiv_flera")]
    noun_plural: String,
}

impl From<ActivityTypeForm> for ActivityTypeInput {
    fn from(f: ActivityTypeForm) -> Self {
        ActivityTypeInput {
            name: f.name,
            target_group: f.target_group,
            purpose: f.purpose,
            format: f.format,
            frequency: f.frequency,
            timing: f.timing,
            noun_singular: f.noun_singular,
            noun_plural: f.noun_plural,
        }
    }
}

/// Year from a form field, 2000–2100, with a message naming the field.
fn form_year(value: &str, field: &str) -> Result<i32, String> {
    match value.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(format!("{field}: \"{}\" är inget årtal mellan 2000 och 2100.", value.trim())),
    }
}

/// The form creating a year's plan.
#[derive(Deserialize)]
pub struct NewPlanForm {
    #[serde(rename = "ar")]
    year: String,
    /// A year whose activity types are copied, or empty.
    #[serde(rename = "kopiera")]
    copy_from: String,
}

/// `POST /planering/arsplan`: fields `ar` and optional `kopiera` (a year whose activity types
/// are copied). On success the new plan's page.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(submitted): Form<NewPlanForm>,
) -> AppResult<Response> {
    let years = state.db.annual_plan_years().await?;
    let mut form = CreateForm::new(submitted.year, &years);
    form.copy_from = submitted.copy_from;
    let year = form_year(&form.year, "År");
    let mut errors = Vec::new();
    let previous = match form.copy_from.as_str() {
        "" => None,
        c => match form_year(c, "Kopiera aktivitetstyper från") {
            Ok(y) => match state.db.annual_plan(y).await? {
                Some(p) => Some(p.plan),
                None => {
                    errors.push(format!("Kopiera aktivitetstyper från: det finns ingen årsplan för {y}."));
                    None
                }
            },
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    match year {
        Ok(y) if errors.is_empty() => {
            let plan = gnv_core::planering::aktivitet::new_plan(y, previous.as_ref());
            match state.db.create_annual_plan(&plan, &user.actor()).await {
                Ok(()) => {
                    return Ok(Redirect::to(&format!("/planering/arsplan/{y}?ok=arsplan")).into_response())
                }
                Err(StorageError::Invalid(m)) | Err(StorageError::Conflict(m)) => {
                    errors.push(format!("År: {m}"))
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(_) => {}
        Err(e) => errors.insert(0, e),
    }
    form.errors = errors;
    super::index_page(&state, &user, Some(form)).await
}

/// `POST /planering/arsplan/{planar}/aktivitetstyper`: adds an activity type.
pub async fn add_type(
    State(state): State<AppState>,
    user: CurrentUser,
    Year(year): Year,
    Form(submitted): Form<ActivityTypeForm>,
) -> AppResult<Response> {
    if state.db.annual_plan(year).await?.is_none() {
        return Err(AppError::NotFound(format!("Det finns ingen årsplan för {year}.")));
    }
    let mut form =
        TypeForm::new(format!("/planering/arsplan/{year}/aktivitetstyper"), "Lägg till aktivitetstyp");
    form.input = submitted.into();
    let result = match form.input.parse() {
        Ok(t) => state.db.add_activity_type(year, &t, &user.actor()).await.map(|_| ()),
        Err(e) => Err(StorageError::Invalid(messages(&e).join("\n"))),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/planering/arsplan/{year}?ok=aktivitetstyp")).into_response()),
        Err(StorageError::Invalid(m)) => {
            form.errors = m.lines().map(str::to_string).collect();
            plan_page(&state, &user, year, Forms { activity_type: Some(form), ..Forms::default() }, None)
                .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "planering/aktivitetstyp.html")]
struct TypePage {
    ctx: PageCtx,
    year: i32,
    id: i64,
    name: String,
    occurrences: usize,
    tf: TypeForm,
    remove_error: Option<String>,
}

async fn type_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    id: i64,
    form: Option<TypeForm>,
    remove_error: Option<String>,
) -> AppResult<Response> {
    let stored = state.db.annual_plan(year).await?.ok_or_else(AppError::not_found)?;
    let i = stored.activity_type_ids.iter().position(|x| *x == id).ok_or_else(AppError::not_found)?;
    let t = &stored.plan.activity_types[i];
    let bad = form.as_ref().is_some_and(|f| !f.errors.is_empty()) || remove_error.is_some();
    let type_form = form.unwrap_or_else(|| {
        let mut f =
            TypeForm::new(format!("/planering/arsplan/{year}/aktivitetstyper/{id}"), "Spara ändringar");
        f.input = ActivityTypeInput::from_type(t);
        f
    });
    let mut resp = render(&TypePage {
        ctx: PageCtx::new(format!("Ändra aktivitetstyp – {}", t.name), "planering", user),
        year,
        id,
        name: t.name.clone(),
        occurrences: stored.plan.occurrences_of(&t.name).len(),
        tf: type_form,
        remove_error,
    })?;
    if bad {
        *resp.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}

/// `GET /planering/arsplan/{planar}/aktivitetstyper/{typ}`.
pub async fn type_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((year, id)): Path<(String, String)>,
) -> AppResult<Response> {
    type_page(&state, &user, Year::parse(&year)?, parse_id(&id)?, None, None).await
}

/// `POST /planering/arsplan/{planar}/aktivitetstyper/{typ}`: changes an activity type.
pub async fn update_type(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((year, id)): Path<(String, String)>,
    Form(submitted): Form<ActivityTypeForm>,
) -> AppResult<Response> {
    let year = Year::parse(&year)?;
    let id = parse_id(&id)?;
    let mut form =
        TypeForm::new(format!("/planering/arsplan/{year}/aktivitetstyper/{id}"), "Spara ändringar");
    form.input = submitted.into();
    let result = match form.input.parse() {
        Ok(t) => state.db.update_activity_type(year, id, &t, &user.actor()).await,
        Err(e) => Err(StorageError::Invalid(messages(&e).join("\n"))),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/planering/arsplan/{year}?ok=sparat")).into_response()),
        Err(StorageError::Invalid(m)) => {
            form.errors = m.lines().map(str::to_string).collect();
            type_page(&state, &user, year, id, Some(form), None).await
        }
        Err(StorageError::NotFound(_)) => Err(AppError::not_found()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /planering/arsplan/{planar}/aktivitetstyper/{typ}/ta-bort`: removes an activity type
/// without occurrences.
pub async fn remove_type(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((year, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let year = Year::parse(&year)?;
    let id = parse_id(&id)?;
    match state.db.remove_activity_type(year, id, &user.actor()).await {
        Ok(()) => Ok(Redirect::to(&format!("/planering/arsplan/{year}?ok=borttagen")).into_response()),
        Err(StorageError::Invalid(m)) => type_page(&state, &user, year, id, None, Some(m)).await,
        Err(StorageError::NotFound(_)) => Err(AppError::not_found()),
        Err(e) => Err(e.into()),
    }
}
