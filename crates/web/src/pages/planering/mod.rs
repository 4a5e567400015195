//! Pages of the module "Planering och uppföljning": the annual plan of collaboration and support
//! activities, the reporting calendar with its decisions register and iCalendar feeds, the
//! regional action plan (versions, annual review, differences, status updates, PDF/DOCX export)
//! and the follow-up per level. Routes are declared in [`routes`].
//!
//! - [`arsplan`] — `/planering/arsplan/{planar}`: plan versus outcome, attendance, occurrences.
//! - [`kalender`] — `/planering/kalender`: meetings, deliverables, proposals; `.ics` feeds.
//! - [`handlingsplan`] — `/planering/handlingsplan…` and `/planering/uppfoljning`.

pub mod api;
pub mod arsplan;
pub mod handlingsplan;
pub mod kalender;

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::routes::Routes;
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use gnv_core::access::Access;
use gnv_core::organisation::Registry;
use gnv_core::planering::{plan_vs_outcome, upcoming};

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    use Access::*;
    r.get("/planering", LoggedIn, "Planering och uppföljning – översikt", index)
        .get(
            "/planering/arsplan/{planar}",
            LoggedIn,
            "Årsplanering: plan mot utfall, deltagande, tillfällen",
            arsplan::page,
        )
        .post(
            "/planering/arsplan",
            Admin,
            "Skapa årsplan för ett år (aktivitetstyper kan kopieras)",
            arsplan::create,
        )
        .post(
            "/planering/arsplan/{planar}/aktivitetstyper",
            Admin,
            "Lägg till en aktivitetstyp i årsplanen",
            arsplan::add_type,
        )
        .get(
            "/planering/arsplan/{planar}/aktivitetstyper/{typ}",
            Admin,
            "Formulär för att ändra eller ta bort en aktivitetstyp",
            arsplan::type_form,
        )
        .post(
            "/planering/arsplan/{planar}/aktivitetstyper/{typ}",
            Admin,
            "Ändra en aktivitetstyp",
            arsplan::update_type,
        )
        .post(
            "/planering/arsplan/{planar}/aktivitetstyper/{typ}/ta-bort",
            Admin,
            "Ta bort en aktivitetstyp utan tillfällen",
            arsplan::remove_type,
        )
        .post(
            "/planering/arsplan/{planar}/tillfallen",
            Admin,
            "Lägg till ett aktivitetstillfälle",
            arsplan::add,
        )
        .get(
            "/planering/arsplan/{planar}/tillfallen/{tillfalle}",
            Admin,
            "Formulär för att ändra ett aktivitetstillfälle",
            arsplan::edit_form,
        )
        .post(
            "/planering/arsplan/{planar}/tillfallen/{tillfalle}",
            Admin,
            "Ändra ett aktivitetstillfälle",
            arsplan::update,
        )
        .get("/planering/kalender", LoggedIn, "Rapporteringskalender och beslutsregister", kalender::page)
        .get(
            "/planering/kalender/{kalenderfil}",
            LoggedIn,
            "Kalenderflöde (iCalendar, .ics) för ett organ, t.ex. lchnv.ics, eller alla.ics",
            kalender::ics,
        )
        .post(
            "/planering/kalender/moten",
            Admin,
            "Lägg till ett möte i rapporteringskalendern",
            kalender::add_meeting,
        )
        .get(
            "/planering/kalender/moten/{mote}",
            Admin,
            "Formulär för att ändra ett möte och dess förslag",
            kalender::meeting_form,
        )
        .post("/planering/kalender/moten/{mote}", Admin, "Ändra ett möte", kalender::update_meeting)
        .post(
            "/planering/kalender/forslag/text",
            Admin,
            "Ändra texten i ett beslutsförslag",
            kalender::update_proposal_text,
        )
        .post("/planering/kalender/leverans", Admin, "Ändra status på en leverans", kalender::set_deliverable)
        .post(
            "/planering/kalender/forslag",
            Admin,
            "Lägg till ett beslutsförslag (att-sats)",
            kalender::add_proposal,
        )
        .post("/planering/kalender/beslut", Admin, "Registrera beslut om ett förslag", kalender::set_outcome)
        .get("/planering/handlingsplan", LoggedIn, "Regional handlingsplan (en version)", handlingsplan::page)
        .get(
            "/planering/handlingsplan/jamfor",
            LoggedIn,
            "Skillnader mellan två versioner av handlingsplanen",
            handlingsplan::compare,
        )
        .get("/planering/handlingsplan/pdf", LoggedIn, "Handlingsplanen som PDF", handlingsplan::pdf)
        .get(
            "/planering/handlingsplan/docx",
            LoggedIn,
            "Handlingsplanen som Word-dokument",
            handlingsplan::docx,
        )
        .get(
            "/planering/handlingsplan/ny",
            Admin,
            "Formulär för version 1 av handlingsplanen",
            handlingsplan::new_form,
        )
        .post(
            "/planering/handlingsplan/ny",
            Admin,
            "Skapa version 1 av handlingsplanen",
            handlingsplan::create,
        )
        .get(
            "/planering/handlingsplan/oversyn",
            Admin,
            "Formulär för årlig översyn av handlingsplanen",
            handlingsplan::review_form,
        )
        .post(
            "/planering/handlingsplan/oversyn",
            Admin,
            "Spara årlig översyn som ny version",
            handlingsplan::review,
        )
        .post(
            "/planering/handlingsplan/status",
            Admin,
            "Statusuppdatering på en åtgärd",
            handlingsplan::status,
        )
        .get(
            "/planering/uppfoljning",
            LoggedIn,
            "Uppföljning av handlingsplanen per nivå",
            handlingsplan::follow_up,
        )
        .get(
            "/api/v1/planering/arsplan/{planar}",
            LoggedIn,
            "Årsplan med plan mot utfall och deltagande (JSON)",
            api::annual_plan,
        )
        .json::<crate::api_schemas::PlaneringArsplan>()
        .path_param("planar", "Årsplanens år, t.ex. 2026.")
        .get(
            "/api/v1/planering/kalender/{ar}",
            LoggedIn,
            "Rapporteringskalender för ett år (JSON)",
            api::calendar,
        )
        .json::<crate::api_schemas::PlaneringKalender>()
        .get(
            "/api/v1/planering/handlingsplan",
            LoggedIn,
            "Handlingsplanens senaste version med åtgärder och status (JSON)",
            api::action_plan,
        )
        .json::<crate::api_schemas::PlaneringHandlingsplan>()
}

/// Today's date (server clock, UTC).
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Display name of an organisation code (short name for bodies when set), the code otherwise.
pub(crate) fn org_name(registry: &Registry, code: &str) -> String {
    if code == gnv_core::planering::handlingsplan::ALL_LSLS {
        return "Samtliga lokala systemledningar".into();
    }
    if let Some(b) = registry.bodies.iter().find(|b| b.code == code) {
        return b.name.clone();
    }
    if let Some(l) = registry.lsls.iter().find(|l| l.code == code) {
        return format!("LSL {}", l.name);
    }
    if let Some(m) = registry.municipalities.iter().find(|m| m.code == code) {
        return m.name.clone();
    }
    if registry.region.code == code {
        return registry.region.name.clone();
    }
    code.to_string()
}

/// One upcoming meeting as shown on the overview and start pages.
pub struct UpcomingRow {
    pub date: String,
    pub when: String,
    pub body: String,
    pub title: String,
    pub deliverables: String,
}

/// The next `n` meetings from today, from this year's and next year's calendars.
pub async fn upcoming_rows(state: &AppState, n: usize) -> AppResult<Vec<UpcomingRow>> {
    let today = today();
    let registry = state.db.registry().await?;
    let mut rows = Vec::new();
    for year in [gnv_core_year(today), gnv_core_year(today) + 1] {
        let cal = state.db.calendar(year).await?.calendar;
        for u in upcoming(&cal, today, n) {
            rows.push((
                u.meeting.date.sort_key(),
                UpcomingRow {
                    date: u.meeting.date.label(),
                    when: u.when.clone(),
                    body: org_name(&registry, &u.meeting.body),
                    title: u.meeting.title.clone(),
                    deliverables: u
                        .meeting
                        .deliverables
                        .iter()
                        .map(|d| d.description.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            ));
        }
    }
    rows.sort_by_key(|(k, _)| *k);
    Ok(rows.into_iter().take(n).map(|(_, r)| r).collect())
}

fn gnv_core_year(d: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    d.year()
}

#[derive(Template)]
#[template(path = "planering/index.html")]
struct IndexPage {
    ctx: PageCtx,
    years: Vec<i32>,
    current_year: Option<i32>,
    /// (activity, "3 av 4–5 nätverksträffar", fulfilment label)
    outcomes: Vec<(String, String, String)>,
    attendance: String,
    not_reached: String,
    upcoming: Vec<UpcomingRow>,
    plan_version: Option<(u32, i32, String)>,
    /// Admins: the form creating a year's annual plan.
    create: Option<arsplan::CreateForm>,
}

/// `GET /planering`: overview.
pub async fn index(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    index_page(&state, &user, None).await
}

/// The overview, with the creation form's values and errors after a failed post (status 400).
pub(crate) async fn index_page(
    state: &AppState,
    user: &CurrentUser,
    create: Option<arsplan::CreateForm>,
) -> AppResult<Response> {
    let years = state.db.annual_plan_years().await?;
    let this_year = gnv_core_year(today());
    let current_year = if years.contains(&this_year) { Some(this_year) } else { years.first().copied() };
    let registry = state.db.registry().await?;
    let (mut outcomes, mut attendance, mut not_reached) = (Vec::new(), String::new(), String::new());
    if let Some(y) = current_year {
        if let Some(stored) = state.db.annual_plan(y).await? {
            outcomes = plan_vs_outcome(&stored.plan)
                .into_iter()
                .map(|o| (o.activity.clone(), o.text.clone(), o.fulfilment.label().to_string()))
                .collect();
            attendance = gnv_core::planering::year_attendance(&stored.plan, &registry, None).text;
            not_reached = gnv_core::planering::not_reached(&stored.plan, &registry).sentence;
        }
    }
    let plan_version =
        state.db.latest_action_plan().await?.map(|v| (v.version, v.review_year, v.plan.title.clone()));
    let failed = create.as_ref().is_some_and(|c| !c.errors.is_empty());
    let create = if user.user.role == gnv_core::access::Role::Admin {
        Some(create.unwrap_or_else(|| arsplan::CreateForm::new((this_year + 1).to_string(), &years)))
    } else {
        None
    };
    let mut resp = render(&IndexPage {
        ctx: PageCtx::new("Planering och uppföljning", "planering", user),
        years,
        current_year,
        outcomes,
        attendance,
        not_reached,
        upcoming: upcoming_rows(state, 5).await?,
        plan_version,
        create,
    })?;
    if failed {
        *resp.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}
