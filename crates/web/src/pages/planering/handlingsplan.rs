//! The regional action plan: one version per page (goals and actions per sub-goal with
//! responsible, time frame, follow-up level and its question, links, status), the annual review
//! that stores a new version (earlier versions never change), the differences between two
//! versions, status updates, PDF/DOCX export and the follow-up per level.

use super::{org_name, today};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::pages::form::{Fields, Form};
use crate::view::{flash_message, render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gnv_core::delmal::SubGoal;
use gnv_core::format;
use gnv_core::organisation::Registry;
use gnv_core::planering::handlingsplan::ALL_LSLS;
use gnv_core::planering::{
    diff, indicator_trend, links_from_form, operative_view, same_links, strategic_view, tactical_progress,
    Action, ActionKey, ActionPlan, ActionPlanVersion, ActionStatus, FollowUpLevel, Goal, IndicatorCode, Link,
    NewPlanInput, StatusUpdate, SubGoalSection, TimeFrame,
};
use gnv_render::dokument::{docx::to_docx, pdf::to_pdf, Document, Metadata, Table};
use gnv_storage::planering::{parse_action_key, VersionInfo};
use gnv_storage::StorageError;
use serde::Deserialize;

/// A link of an action as shown: (href, label).
pub type LinkView = (String, String);

pub struct ActionView {
    pub key: String,
    pub text: String,
    pub responsible: String,
    pub responsible_code: String,
    pub time_frame: String,
    pub from: i32,
    pub to: i32,
    pub level: String,
    pub level_key: String,
    pub question: String,
    pub links: Vec<LinkView>,
    /// Linked indicator codes as form text, "1.1, 1.2".
    pub indicator_codes: String,
    /// Review form: (sub-goal, name, linked) and (activity type, linked).
    pub subgoal_checks: Vec<(u8, String, bool)>,
    pub activity_checks: Vec<(String, bool)>,
    pub status: String,
    pub status_detail: String,
    pub history: Vec<String>,
}

pub struct GoalView {
    pub key: String,
    pub text: String,
    pub actions: Vec<ActionView>,
}

pub struct SectionView {
    pub number: u8,
    pub name: String,
    pub goals: Vec<GoalView>,
}

fn indicator_title(code: IndicatorCode) -> String {
    let cat = gnv_core::nyckeltal::default_catalogue();
    cat.indicators()
        .iter()
        .find(|i| i.code.to_string() == code.to_string())
        .map(|i| i.title.clone())
        .unwrap_or_default()
}

fn link_view(l: &Link, subgoals: &[SubGoal], activity_year: Option<i32>) -> LinkView {
    match l {
        Link::Nyckeltal(c) => {
            let t = indicator_title(*c);
            (
                "/nyckeltal".into(),
                if t.is_empty() { format!("Nyckeltal {c}") } else { format!("Nyckeltal {c} – {t}") },
            )
        }
        Link::Delmal(n) => {
            let name = subgoals.iter().find(|g| g.number == *n).map(|g| g.name.clone()).unwrap_or_default();
            ("/rapportering".into(), format!("Delmål {n} – {name} (självskattning)"))
        }
        Link::Aktivitet(a) => (
            activity_year.map(|y| format!("/planering/arsplan/{y}")).unwrap_or_else(|| "/planering".into()),
            format!("Aktivitet: {a}"),
        ),
    }
}

fn level_key(l: FollowUpLevel) -> &'static str {
    match l {
        FollowUpLevel::Strategisk => "strategisk",
        FollowUpLevel::Taktisk => "taktisk",
        FollowUpLevel::Operativ => "operativ",
    }
}

fn action_view(
    key: ActionKey,
    a: &Action,
    registry: &Registry,
    subgoals: &[SubGoal],
    year: Option<i32>,
) -> ActionView {
    let latest = a.latest_update(None);
    let mut updates: Vec<&StatusUpdate> = a.updates.iter().collect();
    updates.sort_by_key(|u| u.date);
    ActionView {
        key: key.to_string(),
        text: a.text.clone(),
        responsible: org_name(registry, &a.responsible),
        responsible_code: a.responsible.clone(),
        time_frame: a.time_frame.label(),
        from: a.time_frame.from(),
        to: a.time_frame.to(),
        level: a.level.label().to_string(),
        level_key: level_key(a.level).to_string(),
        question: a.level.question().to_string(),
        links: a.links.iter().map(|l| link_view(l, subgoals, year)).collect(),
        indicator_codes: a.indicators().map(|c| c.to_string()).collect::<Vec<_>>().join(", "),
        subgoal_checks: subgoals
            .iter()
            .map(|g| (g.number, g.name.clone(), a.links.contains(&Link::Delmal(g.number))))
            .collect(),
        activity_checks: Vec::new(),
        status: a.latest_status(None).label().to_string(),
        status_detail: latest
            .map(|u| {
                if u.comment.is_empty() {
                    format!("({})", format::date(u.date))
                } else {
                    format!("({}) {}", format::date(u.date), u.comment)
                }
            })
            .unwrap_or_default(),
        history: updates
            .iter()
            .map(|u| {
                let c = if u.comment.is_empty() { String::new() } else { format!(" – {}", u.comment) };
                format!("{}: {}{c}", format::date(u.date), u.status.label())
            })
            .collect(),
    }
}

fn sections(
    plan: &ActionPlan,
    registry: &Registry,
    subgoals: &[SubGoal],
    year: Option<i32>,
) -> Vec<SectionView> {
    plan.sections
        .iter()
        .map(|s| SectionView {
            number: s.sub_goal,
            name: subgoals
                .iter()
                .find(|g| g.number == s.sub_goal)
                .map(|g| g.name.clone())
                .unwrap_or_default(),
            goals: s
                .goals
                .iter()
                .map(|g| GoalView {
                    key: format!("{}.{}", s.sub_goal, g.number),
                    text: g.text.clone(),
                    actions: g
                        .actions
                        .iter()
                        .map(|a| {
                            action_view(
                                ActionKey { sub_goal: s.sub_goal, goal: g.number, action: a.number },
                                a,
                                registry,
                                subgoals,
                                year,
                            )
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

fn roles(plan: &ActionPlan, registry: &Registry) -> Vec<(String, String)> {
    plan.organisation
        .roles()
        .into_iter()
        .map(|(role, codes)| {
            let names: Vec<String> = codes.iter().map(|c| org_name(registry, c)).collect();
            (role.to_string(), gnv_core::format::join_sv(&names))
        })
        .collect()
}

/// The newest annual plan year (for links to activities).
async fn activity_year(state: &AppState) -> AppResult<Option<i32>> {
    let years = state.db.annual_plan_years().await?;
    let this = today().year();
    Ok(if years.contains(&this) { Some(this) } else { years.first().copied() })
}

#[derive(Deserialize)]
pub struct VersionQuery {
    version: Option<String>,
    ok: Option<String>,
}

fn parse_version(s: Option<&str>) -> AppResult<Option<u32>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s
            .parse::<u32>()
            .map(Some)
            .map_err(|_| AppError::BadRequest(format!("\"{s}\" är inget versionsnummer."))),
        None => Ok(None),
    }
}

/// The requested version or the latest; `Ok(None)` when no version exists.
async fn load(state: &AppState, version: Option<u32>) -> AppResult<Option<ActionPlanVersion>> {
    match version {
        Some(v) => state
            .db
            .action_plan_version(v)
            .await?
            .map(Some)
            .ok_or_else(|| AppError::NotFound(format!("Version {v} av handlingsplanen finns inte."))),
        None => Ok(state.db.latest_action_plan().await?),
    }
}

/// Template filters of the action plan pages.
use crate::view::filters;

#[derive(Template)]
#[template(path = "planering/handlingsplan.html")]
struct PlanPage {
    ctx: PageCtx,
    versions: Vec<VersionInfo>,
    version: Option<ActionPlanVersion>,
    is_latest: bool,
    sender: String,
    roles: Vec<(String, String)>,
    sections: Vec<SectionView>,
    levels: Vec<(&'static str, &'static str, &'static str, &'static str)>,
    /// (key, text) of all actions, for the status form.
    action_choices: Vec<(String, String)>,
    statuses: Vec<&'static str>,
    status_error: Option<String>,
    today: String,
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    version: Option<u32>,
    status_error: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let versions = state.db.action_plan_versions().await?;
    let v = load(state, version).await?;
    let registry = state.db.registry().await?;
    let subgoals = state.db.subgoals().await?;
    let year = activity_year(state).await?;
    let latest = versions.last().map(|i| i.version);
    let title = match &v {
        Some(v) => format!("Regional handlingsplan – version {}", v.version),
        None => "Regional handlingsplan".to_string(),
    };
    let status = if status_error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = PlanPage {
        ctx: PageCtx::new(title, "planering", user).with_flash(flash),
        is_latest: v.as_ref().map(|v| Some(v.version) == latest).unwrap_or(false),
        sender: v.as_ref().map(|v| org_name(&registry, &v.plan.sender)).unwrap_or_default(),
        roles: v.as_ref().map(|v| roles(&v.plan, &registry)).unwrap_or_default(),
        sections: v.as_ref().map(|v| sections(&v.plan, &registry, &subgoals, year)).unwrap_or_default(),
        levels: FollowUpLevel::ALL
            .iter()
            .map(|l| (l.label(), l.level_name(), l.measures(), l.question()))
            .collect(),
        action_choices: v
            .as_ref()
            .map(|v| v.plan.actions().iter().map(|r| (r.key.to_string(), r.action.text.clone())).collect())
            .unwrap_or_default(),
        statuses: ActionStatus::ALL.iter().map(|s| s.label()).collect(),
        status_error,
        today: format::date(today()),
        versions,
        version: v,
    };
    let mut resp = render(&page)?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /planering/handlingsplan?version=N` (latest when not given).
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<VersionQuery>,
) -> AppResult<Response> {
    let version = parse_version(q.version.as_deref())?;
    plan_page(&state, &user, version, None, flash_message(q.ok.as_deref())).await
}

/// The form recording an action's status.
#[derive(Deserialize)]
pub struct StatusForm {
    /// The action's key ("2.1.3").
    #[serde(rename = "atgard")]
    action: String,
    #[serde(rename = "datum")]
    date: String,
    status: String,
    #[serde(rename = "kommentar")]
    comment: String,
}

/// `POST /planering/handlingsplan/status`: fields `atgard` ("2.1.3"), `datum`, `status`, `kommentar`.
pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let parsed = (|| -> Result<(ActionKey, StatusUpdate), String> {
        let key = parse_action_key(&form.action).ok_or("Välj en åtgärd.")?;
        let date = format::parse_date(&form.date).map_err(|e| format!("Datum: {e}"))?;
        let status = ActionStatus::parse(&form.status).map_err(|e| format!("Status: {e}"))?;
        let comment = form.comment;
        if comment.chars().count() > 1000 {
            return Err("Kommentaren får ha högst 1000 tecken.".into());
        }
        Ok((key, StatusUpdate { date, status, comment }))
    })();
    let result = match parsed {
        Ok((key, update)) => state.db.record_action_status(key, &update, &user.actor()).await,
        Err(msg) => Err(StorageError::Invalid(msg)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/planering/handlingsplan?ok=status#status").into_response()),
        Err(StorageError::Invalid(msg)) => plan_page(&state, &user, None, Some(msg), None).await,
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Differences

#[derive(Deserialize)]
pub struct CompareQuery {
    fran: Option<String>,
    till: Option<String>,
}

#[derive(Template)]
#[template(path = "planering/jamfor.html")]
struct ComparePage {
    ctx: PageCtx,
    versions: Vec<VersionInfo>,
    from: u32,
    to: u32,
    /// (target, kind label, description)
    changes: Vec<(String, String, String)>,
    ready: bool,
}

/// `GET /planering/handlingsplan/jamfor?fran=1&till=2` (default: the two latest).
pub async fn compare(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CompareQuery>,
) -> AppResult<Response> {
    let versions = state.db.action_plan_versions().await?;
    let latest = versions.last().map(|v| v.version).unwrap_or(0);
    let to = parse_version(q.till.as_deref())?.unwrap_or(latest);
    let from = parse_version(q.fran.as_deref())?.unwrap_or(to.saturating_sub(1));
    let mut changes = Vec::new();
    let mut ready = false;
    if from >= 1 && to >= 1 {
        let a = load(&state, Some(from)).await?;
        let b = load(&state, Some(to)).await?;
        if let (Some(a), Some(b)) = (a, b) {
            let registry = state.db.registry().await?;
            ready = true;
            changes = diff(&a.plan, &b.plan, &registry)
                .into_iter()
                .map(|c| {
                    let kind = match c.kind {
                        gnv_core::planering::ChangeKind::Added { .. } => "Tillagd",
                        gnv_core::planering::ChangeKind::Removed { .. } => "Borttagen",
                        gnv_core::planering::ChangeKind::Changed { .. } => "Ändrad",
                    };
                    (c.target.label(), kind.to_string(), c.description)
                })
                .collect();
        }
    }
    render(&ComparePage {
        ctx: PageCtx::new("Jämför versioner av handlingsplanen", "planering", &user),
        versions,
        from,
        to,
        changes,
        ready,
    })
}

// ---------------------------------------------------------------------------------------------
// Annual review

#[derive(Template)]
#[template(path = "planering/oversyn.html")]
struct ReviewPage {
    ctx: PageCtx,
    base: Option<ActionPlanVersion>,
    sections: Vec<SectionView>,
    goal_choices: Vec<(String, String)>,
    responsible_choices: Vec<(String, String)>,
    level_choices: Vec<(&'static str, &'static str)>,
    /// (number, name) of the sub-goals, for links and new goals.
    subgoal_choices: Vec<(u8, String)>,
    /// Activity types that can be linked: this year's annual plan and any already linked.
    activity_choices: Vec<String>,
    review_year: String,
    note: String,
    errors: Vec<String>,
}

fn responsible_choices(registry: &Registry) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> =
        registry.bodies.iter().map(|b| (b.code.clone(), b.name.clone())).collect();
    v.push((ALL_LSLS.to_string(), "Samtliga lokala systemledningar".to_string()));
    v.push((registry.region.code.clone(), registry.region.name.clone()));
    v.extend(registry.lsls.iter().map(|l| (l.code.clone(), format!("LSL {}", l.name))));
    v
}

async fn review_page(
    state: &AppState,
    user: &CurrentUser,
    review_year: String,
    note: String,
    errors: Vec<String>,
) -> AppResult<Response> {
    let base = state.db.latest_action_plan().await?;
    let registry = state.db.registry().await?;
    let subgoals = state.db.subgoals().await?;
    let review_year = if review_year.is_empty() {
        base.as_ref().map(|b| (b.review_year + 1).max(today().year()).to_string()).unwrap_or_default()
    } else {
        review_year
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let activity_choices = activity_choices(state, base.as_ref().map(|b| &b.plan)).await?;
    let mut sections =
        base.as_ref().map(|b| sections(&b.plan, &registry, &subgoals, None)).unwrap_or_default();
    if let Some(b) = &base {
        for a in sections.iter_mut().flat_map(|s| s.goals.iter_mut()).flat_map(|g| g.actions.iter_mut()) {
            let linked: Vec<String> = parse_action_key(&a.key)
                .and_then(|k| b.plan.action(k))
                .map(|x| {
                    x.links
                        .iter()
                        .filter_map(|l| match l {
                            Link::Aktivitet(n) => Some(n.clone()),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            a.activity_checks = activity_choices.iter().map(|n| (n.clone(), linked.contains(n))).collect();
        }
    }
    let mut resp = render(&ReviewPage {
        ctx: PageCtx::new("Ny årlig översyn av handlingsplanen", "planering", user),
        subgoal_choices: subgoals.iter().map(|g| (g.number, g.name.clone())).collect(),
        activity_choices,
        sections,
        goal_choices: base
            .as_ref()
            .map(|b| {
                b.plan.goals().iter().map(|(k, g)| (k.to_string(), format!("Mål {k}: {}", g.text))).collect()
            })
            .unwrap_or_default(),
        responsible_choices: responsible_choices(&registry),
        level_choices: FollowUpLevel::ALL.iter().map(|l| (level_key(*l), l.label())).collect(),
        base,
        review_year,
        note,
        errors,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// Names of activity types that can be linked: the newest annual plan's types, then any other
/// type already linked in `plan` (a link to another year's activity is kept).
async fn activity_choices(state: &AppState, plan: Option<&ActionPlan>) -> AppResult<Vec<String>> {
    let mut names: Vec<String> = match activity_year(state).await? {
        Some(y) => state
            .db
            .annual_plan(y)
            .await?
            .map(|p| p.plan.activity_types.iter().map(|t| t.name.clone()).collect())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    if let Some(plan) = plan {
        for r in plan.actions() {
            for l in &r.action.links {
                if let Link::Aktivitet(n) = l {
                    if !names.contains(n) {
                        names.push(n.clone());
                    }
                }
            }
        }
    }
    Ok(names)
}

/// What review links may point to: the indicator catalogue and the activity types offered.
pub struct LinkTargets {
    pub catalogue: gnv_core::nyckeltal::Catalogue,
    pub activities: Vec<String>,
}

/// Links from the review form's fields with prefix `p` ("a-2.1.3-" or "ny-"), checked against
/// the indicator catalogue and the activity types offered. `label` starts each message
/// ("Åtgärd 2.1.3", "Ny åtgärd").
fn form_links(
    fields: &Fields,
    p: &str,
    label: &str,
    targets: &LinkTargets,
    errors: &mut Vec<String>,
) -> Option<Vec<Link>> {
    let catalogue = &targets.catalogue;
    match links_from_form(
        &fields.get(&format!("{p}nyckeltal")),
        &fields.all(&format!("{p}delmal")),
        &fields.all(&format!("{p}aktivitet")),
    ) {
        Ok(links) => {
            let mut ok = true;
            for c in links.iter().filter_map(|l| match l {
                Link::Nyckeltal(c) => Some(*c),
                _ => None,
            }) {
                let known = c
                    .to_string()
                    .parse::<gnv_core::nyckeltal::IndicatorCode>()
                    .ok()
                    .and_then(|k| catalogue.get(k))
                    .is_some();
                if !known {
                    errors.push(format!(
                        "{label}, kopplade nyckeltal: nyckeltal {c} finns inte i nyckeltalskatalogen."
                    ));
                    ok = false;
                }
            }
            for a in links.iter().filter_map(|l| match l {
                Link::Aktivitet(a) => Some(a),
                _ => None,
            }) {
                if !targets.activities.contains(a) {
                    errors.push(format!(
                        "{label}, kopplade aktiviteter: aktivitetstypen \"{a}\" finns inte i årsplaneringen."
                    ));
                    ok = false;
                }
            }
            ok.then_some(links)
        }
        Err(e) => {
            errors.extend(e.0.iter().map(|e| {
                format!("{label}, {}: {}", e.location.field.clone().unwrap_or_default(), e.message)
            }));
            None
        }
    }
}

/// `GET /planering/handlingsplan/oversyn`.
pub async fn review_form(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    review_page(&state, &user, String::new(), String::new(), Vec::new()).await
}

fn parse_level(s: &str) -> Option<FollowUpLevel> {
    FollowUpLevel::ALL.into_iter().find(|l| level_key(*l) == s)
}

fn parse_year_field(fields: &Fields, key: &str, label: &str, errors: &mut Vec<String>) -> Option<i32> {
    let v = fields.get(key);
    match v.parse::<i32>() {
        Ok(y) => Some(y),
        Err(_) => {
            errors.push(format!("{label}: \"{v}\" är inget årtal."));
            None
        }
    }
}

/// Applies the review form to a copy of the plan. Returns the edited plan or Swedish messages.
/// The review form stays a [`Fields`] bag: its fields are named after the plan's goals and
/// actions (`a-2.1.3-text`, `mal-2.1-text`).
fn apply_review(
    base: &ActionPlan,
    fields: &Fields,
    targets: &LinkTargets,
) -> Result<ActionPlan, Vec<String>> {
    let mut plan = base.clone();
    let mut errors = Vec::new();
    for s in &mut plan.sections {
        for g in &mut s.goals {
            let gk = format!("{}.{}", s.sub_goal, g.number);
            let text = fields.get(&format!("mal-{gk}-text"));
            if !text.is_empty() {
                g.text = text;
            }
            let mut kept = Vec::new();
            for a in &g.actions {
                let key = format!("{gk}.{}", a.number);
                if fields.get(&format!("a-{key}-bort")) == "ja" {
                    continue;
                }
                let mut a = a.clone();
                let p = |f: &str| format!("a-{key}-{f}");
                let text = fields.get(&p("text"));
                if text.is_empty() {
                    errors.push(format!("Åtgärd {key}: texten får inte vara tom (markera \"Ta bort\" för att ta bort åtgärden)."));
                } else {
                    a.text = text;
                }
                if let Some(r) = fields.opt(&p("ansvarig")) {
                    a.responsible = r;
                }
                let from =
                    parse_year_field(fields, &p("fran"), &format!("Åtgärd {key}, tidsram från"), &mut errors);
                let to =
                    parse_year_field(fields, &p("till"), &format!("Åtgärd {key}, tidsram till"), &mut errors);
                if let (Some(f), Some(t)) = (from, to) {
                    match TimeFrame::new(f, t) {
                        Ok(tf) => a.time_frame = tf,
                        Err(e) => errors.push(format!("Åtgärd {key}: {e}")),
                    }
                }
                match parse_level(&fields.get(&p("niva"))) {
                    Some(l) => a.level = l,
                    None => errors.push(format!("Åtgärd {key}: välj uppföljningsnivå.")),
                }
                // Links are edited only when the form carried them (marker field).
                if fields.get(&p("kopplingar")) == "1" {
                    if let Some(links) =
                        form_links(fields, &p(""), &format!("Åtgärd {key}"), targets, &mut errors)
                    {
                        if !same_links(&a.links, &links) {
                            a.links = links;
                        }
                    }
                }
                kept.push(a);
            }
            g.actions = kept;
        }
    }
    // A new goal, numbered after the sub-goal's last goal.
    let goal_text = fields.get("nytt-mal-text");
    if !goal_text.is_empty() {
        match fields.get("nytt-mal-delmal").parse::<u8>() {
            Ok(n) if (1..=5).contains(&n) => {
                if !plan.sections.iter().any(|s| s.sub_goal == n) {
                    plan.sections.push(SubGoalSection { sub_goal: n, goals: Vec::new() });
                    plan.sections.sort_by_key(|s| s.sub_goal);
                }
                if let Some(s) = plan.sections.iter_mut().find(|s| s.sub_goal == n) {
                    let number = s.goals.iter().map(|g| g.number).max().unwrap_or(0) + 1;
                    s.goals.push(Goal { number, text: goal_text, actions: Vec::new() });
                }
            }
            _ => errors.push("Nytt mål: välj vilket delmål målet hör till.".into()),
        }
    }
    // A new action.
    let new_text = fields.get("ny-text");
    if !new_text.is_empty() {
        let goal = fields.get("ny-mal");
        let target: Option<&mut Goal> = plan
            .sections
            .iter_mut()
            .flat_map(|s| {
                let sg = s.sub_goal;
                s.goals.iter_mut().map(move |g| (sg, g))
            })
            .find(|(sg, g)| format!("{sg}.{}", g.number) == goal)
            .map(|(_, g)| g);
        match target {
            None => errors.push("Ny åtgärd: välj vilket mål åtgärden hör till.".into()),
            Some(g) => {
                let from = parse_year_field(fields, "ny-fran", "Ny åtgärd, tidsram från", &mut errors);
                let to = parse_year_field(fields, "ny-till", "Ny åtgärd, tidsram till", &mut errors);
                let level = parse_level(&fields.get("ny-niva"));
                if level.is_none() {
                    errors.push("Ny åtgärd: välj uppföljningsnivå.".into());
                }
                let links = form_links(fields, "ny-", "Ny åtgärd", targets, &mut errors).unwrap_or_default();
                let responsible = fields.get("ny-ansvarig");
                if responsible.is_empty() {
                    errors.push("Ny åtgärd: välj ansvarig.".into());
                }
                if let (Some(f), Some(t), Some(level)) = (from, to, level) {
                    match TimeFrame::new(f, t) {
                        Ok(time_frame) => {
                            let number = g.actions.iter().map(|a| a.number).max().unwrap_or(0) + 1;
                            g.actions.push(Action {
                                number,
                                text: new_text,
                                responsible,
                                time_frame,
                                level,
                                links,
                                updates: Vec::new(),
                            });
                        }
                        Err(e) => errors.push(format!("Ny åtgärd: {e}")),
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(errors)
    }
}

/// `POST /planering/handlingsplan/oversyn`: stores the reviewed plan as the next version.
pub async fn review(State(state): State<AppState>, user: CurrentUser, fields: Fields) -> AppResult<Response> {
    let review_year = fields.get("oversynsar");
    let note = fields.get("anteckning");
    let Some(base) = state.db.latest_action_plan().await? else {
        return Err(AppError::NotFound("Det finns ingen handlingsplan att se över.".into()));
    };
    let mut errors = Vec::new();
    let year = match review_year.parse::<i32>() {
        Ok(y) => Some(y),
        Err(_) => {
            errors.push(format!("Översynsår: \"{review_year}\" är inget årtal."));
            None
        }
    };
    if note.chars().count() > 2000 {
        errors.push("Anteckningen får ha högst 2000 tecken.".into());
    }
    let targets = LinkTargets {
        catalogue: state.db.nyckeltal_catalogue().await?,
        activities: activity_choices(&state, Some(&base.plan)).await?,
    };
    let plan = match apply_review(&base.plan, &fields, &targets) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    if let (Some(year), Some(plan), true) = (year, plan, errors.is_empty()) {
        let registry = state.db.registry().await?;
        match base.revise(year, plan, &registry) {
            Ok(next) => match state.db.insert_action_plan_version(&next, &note, &user.actor()).await {
                Ok(()) => {
                    return Ok(Redirect::to(&format!(
                        "/planering/handlingsplan/jamfor?fran={}&till={}",
                        base.version, next.version
                    ))
                    .into_response())
                }
                Err(StorageError::Invalid(m)) | Err(StorageError::Conflict(m)) => errors.push(m),
                Err(e) => return Err(e.into()),
            },
            Err(e) => errors.extend(super::arsplan::messages(&e)),
        }
    }
    review_page(&state, &user, review_year, note, errors).await
}

// ---------------------------------------------------------------------------------------------
// Version 1

/// A checkbox or option: (code, name, chosen).
pub type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "planering/handlingsplan_ny.html")]
struct NewPlanPage {
    ctx: PageCtx,
    /// The latest version when one exists (then nothing can be created here).
    existing: Option<u32>,
    title: String,
    description: String,
    period_start: String,
    period_end: String,
    adopted_year: String,
    sender: Vec<Choice>,
    orderers: Vec<Choice>,
    owner: Vec<Choice>,
    steering_group: Vec<Choice>,
    leader: Vec<Choice>,
    recipients: Vec<Choice>,
    final_report_recipients: Vec<Choice>,
    /// (sub-goal, name, goals one per line)
    goals: Vec<(u8, String, String)>,
    errors: Vec<String>,
}

/// Organisations that can have a role in the assignment: the bodies and the region.
fn assignment_choices(registry: &Registry, chosen: &[String]) -> Vec<Choice> {
    registry
        .bodies
        .iter()
        .map(|b| (b.code.clone(), b.name.clone()))
        .chain(std::iter::once((registry.region.code.clone(), registry.region.name.clone())))
        .map(|(c, n)| {
            let on = chosen.contains(&c);
            (c, n, on)
        })
        .collect()
}

fn new_plan_defaults(county: &str) -> NewPlanInput {
    let org = gnv_core::planering::AssignmentOrganisation::seed_2026();
    let this = today().year();
    NewPlanInput {
        title: format!("Regional handlingsplan för God och nära vård i {county} 2026–2030"),
        description: String::new(),
        period_start: "2026".into(),
        period_end: "2030".into(),
        adopted_year: this.clamp(2026, 2030).to_string(),
        sender: "lchnv".into(),
        orderers: org.orderers,
        owner: org.owner,
        steering_group: org.steering_group,
        leader: org.leader,
        recipients: org.recipients,
        final_report_recipients: org.final_report_recipients,
        goals: Vec::new(),
    }
}

async fn new_plan_page(
    state: &AppState,
    user: &CurrentUser,
    input: NewPlanInput,
    errors: Vec<String>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let subgoals = state.db.subgoals().await?;
    let existing = state.db.action_plan_versions().await?.last().map(|v| v.version);
    let one = |c: &str| vec![c.to_string()];
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut resp = render(&NewPlanPage {
        ctx: PageCtx::new("Ny regional handlingsplan", "planering", user),
        existing,
        sender: assignment_choices(&registry, &one(&input.sender)),
        orderers: assignment_choices(&registry, &input.orderers),
        owner: assignment_choices(&registry, &one(&input.owner)),
        steering_group: assignment_choices(&registry, &one(&input.steering_group)),
        leader: assignment_choices(&registry, &one(&input.leader)),
        recipients: assignment_choices(&registry, &input.recipients),
        final_report_recipients: assignment_choices(&registry, &input.final_report_recipients),
        goals: subgoals
            .iter()
            .map(|g| {
                let text = input
                    .goals
                    .iter()
                    .find(|(n, _)| *n == g.number)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                (g.number, g.name.clone(), text)
            })
            .collect(),
        title: input.title,
        description: input.description,
        period_start: input.period_start,
        period_end: input.period_end,
        adopted_year: input.adopted_year,
        errors,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /planering/handlingsplan/ny`: the form for version 1 (seed 004's organisation filled in).
pub async fn new_form(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    new_plan_page(&state, &user, new_plan_defaults(&user.county.county), Vec::new()).await
}

/// The form of a new action plan (version 1): the assignment, its parties and the goals of the
/// five sub-goals (one goal a line).
#[derive(Deserialize)]
pub struct NewActionPlanForm {
    #[serde(rename = "titel")]
    title: String,
    #[serde(rename = "beskrivning")]
    description: String,
    #[serde(rename = "period_fran")]
    period_start: String,
    #[serde(rename = "period_till")]
    period_end: String,
    #[serde(rename = "antaget_ar")]
    adopted_year: String,
    #[serde(rename = "avsandare")]
    sender: String,
    #[serde(rename = "bestallare")]
    orderers: Vec<String>,
    #[serde(rename = "uppdragsagare")]
    owner: String,
    #[serde(rename = "styrgrupp")]
    steering_group: String,
    #[serde(rename = "uppdragsledare")]
    leader: String,
    #[serde(rename = "mottagare")]
    recipients: Vec<String>,
    #[serde(rename = "slutmottagare")]
    final_report_recipients: Vec<String>,
    #[serde(rename = "mal-1")]
    goals_1: String,
    #[serde(rename = "mal-2")]
    goals_2: String,
    #[serde(rename = "mal-3")]
    goals_3: String,
    #[serde(rename = "mal-4")]
    goals_4: String,
    #[serde(rename = "mal-5")]
    goals_5: String,
}

impl From<NewActionPlanForm> for NewPlanInput {
    fn from(f: NewActionPlanForm) -> Self {
        NewPlanInput {
            title: f.title,
            description: f.description,
            period_start: f.period_start,
            period_end: f.period_end,
            adopted_year: f.adopted_year,
            sender: f.sender,
            orderers: f.orderers,
            owner: f.owner,
            steering_group: f.steering_group,
            leader: f.leader,
            recipients: f.recipients,
            final_report_recipients: f.final_report_recipients,
            goals: vec![(1, f.goals_1), (2, f.goals_2), (3, f.goals_3), (4, f.goals_4), (5, f.goals_5)],
        }
    }
}

/// `POST /planering/handlingsplan/ny`: parses, validates and stores version 1; refused when a
/// version exists (later changes go through the annual review).
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewActionPlanForm>,
) -> AppResult<Response> {
    let input = NewPlanInput::from(form);
    let mut errors = Vec::new();
    if input.title.chars().count() > 300 {
        errors.push("Titel: högst 300 tecken.".to_string());
    }
    if input.description.chars().count() > 4000 {
        errors.push("Beskrivning: högst 4000 tecken.".to_string());
    }
    if let Some(v) = state.db.action_plan_versions().await?.last() {
        errors.push(format!(
            "Handlingsplanen har redan version {}. Ändringar görs genom en årlig översyn.",
            v.version
        ));
    }
    if errors.is_empty() {
        let registry = state.db.registry().await?;
        match input.parse(&registry) {
            Ok(v1) => match state.db.insert_action_plan_version(&v1, "Version 1", &user.actor()).await {
                Ok(()) => {
                    return Ok(Redirect::to("/planering/handlingsplan?ok=handlingsplan").into_response())
                }
                Err(StorageError::Invalid(m)) | Err(StorageError::Conflict(m)) => errors.push(m),
                Err(e) => return Err(e.into()),
            },
            Err(e) => errors.extend(super::arsplan::messages(&e)),
        }
    }
    new_plan_page(&state, &user, input, errors).await
}

// ---------------------------------------------------------------------------------------------
// Follow-up per level

pub struct StrategicRow {
    pub goal: String,
    pub text: String,
    pub indicators: Vec<TrendRow>,
    pub actions: String,
}

/// One linked indicator with its trend for the region.
pub struct TrendRow {
    pub code: String,
    pub title: String,
    pub href: String,
    /// "↑", "↓", "→" or empty (decorative; `words` carries the meaning).
    pub symbol: &'static str,
    pub words: String,
    pub change: String,
    pub latest: String,
}

pub struct TacticalRow {
    pub key: String,
    pub text: String,
    pub status: String,
}

pub struct OperativeRow {
    pub action: String,
    pub activity: String,
    pub outcome: String,
    pub fulfilment: String,
}

#[derive(Template)]
#[template(path = "planering/uppfoljning.html")]
struct FollowUpPage {
    ctx: PageCtx,
    version: Option<u32>,
    year: Option<i32>,
    levels: Vec<(&'static str, &'static str, &'static str)>,
    /// "Nyckeltalsutgåva 2025, publicerad …" or `None` when no edition is published.
    edition: Option<String>,
    strategic: Vec<StrategicRow>,
    tactical_text: String,
    tactical_counts: Vec<(String, usize)>,
    tactical: Vec<TacticalRow>,
    operative: Vec<OperativeRow>,
}

/// `GET /planering/uppfoljning`.
pub async fn follow_up(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let v = state.db.latest_action_plan().await?;
    let year = activity_year(&state).await?;
    let annual = match year {
        Some(y) => state.db.annual_plan(y).await?.map(|s| s.plan),
        None => None,
    };
    let mut page = FollowUpPage {
        ctx: PageCtx::new("Uppföljning per nivå", "planering", &user),
        version: v.as_ref().map(|v| v.version),
        year,
        levels: FollowUpLevel::ALL.iter().map(|l| (l.label(), l.level_name(), l.question())).collect(),
        edition: None,
        strategic: Vec::new(),
        tactical_text: String::new(),
        tactical_counts: Vec::new(),
        tactical: Vec::new(),
        operative: Vec::new(),
    };
    if let Some(v) = &v {
        // Trends from the newest published (frozen) indicator edition, evaluated for the region.
        let registry = state.db.registry().await?;
        let newest = state.db.nyckeltal_editions().await?.into_iter().next();
        let edition = match newest {
            Some(m) => state.db.nyckeltal_edition(m.year as i32).await?,
            None => None,
        };
        let evaluation = edition.as_ref().map(|e| e.evaluate(&registry.region.code));
        page.edition = edition.as_ref().map(|e| {
            format!(
                "{}, publicerad {}, värden för {}",
                e.meta.title,
                e.meta.published_at.get(..10).unwrap_or(&e.meta.published_at),
                registry.region.name
            )
        });
        page.strategic = strategic_view(&v.plan)
            .into_iter()
            .map(|g| StrategicRow {
                goal: g.goal.to_string(),
                text: g.text.clone(),
                indicators: g
                    .indicators
                    .iter()
                    .map(|c| match (&edition, &evaluation) {
                        (Some(e), Some(ev)) => {
                            let t = indicator_trend(*c, e.catalogue(), ev);
                            TrendRow {
                                code: c.to_string(),
                                title: t.title,
                                href: format!("/nyckeltal/{}/{c}", e.year()),
                                symbol: t.symbol,
                                words: t.words,
                                change: t.change,
                                latest: t.latest,
                            }
                        }
                        _ => TrendRow {
                            code: c.to_string(),
                            title: indicator_title(*c),
                            href: "/nyckeltal".into(),
                            symbol: "",
                            words: String::new(),
                            change: String::new(),
                            latest: String::new(),
                        },
                    })
                    .collect(),
                actions: g.strategic_actions.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", "),
            })
            .collect();
        let t = tactical_progress(&v.plan, None);
        page.tactical_text = t.text.clone();
        page.tactical_counts = t.counts.iter().map(|(s, n)| (s.label().to_string(), *n)).collect();
        page.tactical = t
            .actions
            .iter()
            .map(|(k, s)| TacticalRow {
                key: k.to_string(),
                text: v.plan.action(*k).map(|a| a.text.clone()).unwrap_or_default(),
                status: s.label().to_string(),
            })
            .collect();
        if let Some(annual) = &annual {
            page.operative = operative_view(&v.plan, annual)
                .into_iter()
                .map(|o| OperativeRow {
                    action: o.action.to_string(),
                    activity: o.activity.clone(),
                    outcome: o
                        .outcome
                        .as_ref()
                        .map(|x| x.text.clone())
                        .unwrap_or_else(|| "Finns inte i årets plan".into()),
                    fulfilment: o
                        .outcome
                        .as_ref()
                        .map(|x| x.fulfilment.label().to_string())
                        .unwrap_or_default(),
                })
                .collect();
        }
    }
    render(&page)
}

// ---------------------------------------------------------------------------------------------
// Export

/// The action plan as a document (about four pages): sender and assignment organisation, the
/// follow-up levels, then per sub-goal its goals and a table of actions.
pub fn document(v: Option<&ActionPlanVersion>, registry: &Registry, subgoals: &[SubGoal]) -> Document {
    let Some(v) = v else {
        let mut d = Document::new("Regional handlingsplan");
        d.paragraph("Ingen version av handlingsplanen är sparad ännu.");
        return d;
    };
    let plan = &v.plan;
    let mut d = Document::new(plan.title.clone());
    d.subtitle = Some(format!(
        "Version {} · {} · period {}",
        v.version,
        if v.version == 1 {
            format!("antagen {}", v.review_year)
        } else {
            format!("årlig översyn {}", v.review_year)
        },
        plan.period.label()
    ));
    d.metadata = Metadata {
        author: format!("Avsändare: {}", org_name(registry, &plan.sender)),
        date: None,
        keywords: vec!["God och nära vård".into(), "regional handlingsplan".into()],
        footer: format!("Regional handlingsplan, version {}", v.version),
    };
    d.paragraph(plan.description.clone());
    d.heading(1, "Uppdragsorganisation");
    d.table(Table {
        caption: "Uppdragsorganisation".into(),
        header: vec!["Roll".into(), "Organisation".into()],
        rows: roles(plan, registry).into_iter().map(|(r, o)| vec![r, o]).collect(),
        widths: vec![1, 2],
    });
    d.heading(1, "Uppföljning på tre nivåer");
    d.bullets(
        FollowUpLevel::ALL
            .iter()
            .map(|l| format!("{} ({}): {} – ”{}”", l.label(), l.level_name(), l.measures(), l.question()))
            .collect(),
    );
    for s in sections(plan, registry, subgoals, None) {
        d.heading(1, format!("Delmål {} – {}", s.number, s.name));
        for g in s.goals {
            d.heading(2, format!("Mål {}: {}", g.key, g.text));
            d.table(Table {
                caption: format!("Åtgärder för mål {}", g.key),
                header: vec![
                    "Nr".into(),
                    "Åtgärd".into(),
                    "Ansvarig".into(),
                    "Tid".into(),
                    "Nivå".into(),
                    "Status".into(),
                ],
                rows: g
                    .actions
                    .iter()
                    .map(|a| {
                        let links: Vec<String> = a.links.iter().map(|l| l.1.clone()).collect();
                        let text = if links.is_empty() {
                            a.text.clone()
                        } else {
                            format!("{}\nKopplingar: {}", a.text, links.join("; "))
                        };
                        vec![
                            a.key.clone(),
                            text,
                            a.responsible.clone(),
                            a.time_frame.clone(),
                            a.level.clone(),
                            a.status.clone(),
                        ]
                    })
                    .collect(),
                widths: vec![2, 11, 6, 3, 4, 3],
            });
        }
    }
    d
}

async fn export_doc(state: &AppState, version: Option<u32>) -> AppResult<(Document, String)> {
    let v = load(state, version).await?;
    let registry = state.db.registry().await?;
    let subgoals = state.db.subgoals().await?;
    let name = match &v {
        Some(v) => format!("regional-handlingsplan-v{}", v.version),
        None => "regional-handlingsplan".to_string(),
    };
    let mut doc = document(v.as_ref(), &registry, &subgoals);
    doc.metadata.date = Some(today());
    Ok((doc, name))
}

fn download(bytes: Vec<u8>, mime: &str, file: String) -> Response {
    crate::shared::download(mime, &file, bytes)
}

/// `GET /planering/handlingsplan/pdf?version=N`.
pub async fn pdf(State(state): State<AppState>, Query(q): Query<VersionQuery>) -> AppResult<Response> {
    let (doc, name) = export_doc(&state, parse_version(q.version.as_deref())?).await?;
    let bytes = tokio::task::spawn_blocking(move || to_pdf(&doc))
        .await
        .map_err(|e| AppError::Internal(format!("PDF kunde inte skapas: {e}")))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(bytes, "application/pdf", format!("{name}.pdf")))
}

/// `GET /planering/handlingsplan/docx?version=N`.
pub async fn docx(State(state): State<AppState>, Query(q): Query<VersionQuery>) -> AppResult<Response> {
    let (doc, name) = export_doc(&state, parse_version(q.version.as_deref())?).await?;
    let bytes = to_docx(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("{name}.docx"),
    ))
}
