//! The regional action plan (regional handlingsplan) 2026–2030: goals and actions per sub-goal,
//! its assignment organisation, annual versions and a structural diff between versions.
//!
//! Key rules:
//! - The plan runs over a [`Period`] (2026–2030); every action's [`TimeFrame`] and every status
//!   update must fall within it.
//! - Identity is the number: goal "2.1" is sub-goal 2, goal 1; action "2.1.3" is its third
//!   action. [`diff`] matches goals and actions by these numbers, so renumbering shows up as a
//!   removal plus an addition.
//! - Organisations (sender, assignment organisation, responsible) are registry codes; the
//!   keyword [`ALL_LSLS`] stands for every local system leadership.
//! - Annual review never mutates a version: [`ActionPlanVersion::review`] takes `&self` and
//!   returns a new version with the next number and a later review year.
//! - The latest status of an action is the status of its update with the latest date (on equal
//!   dates, the one recorded last); with no update it is "Ej påbörjad".

use super::PlanningError;
use crate::error::{InputError, InputErrors, Location};
use crate::format;
use crate::organisation::Registry;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// Responsible-keyword meaning every local system leadership.
pub const ALL_LSLS: &str = "alla-lsl";

/// The years a plan runs, inclusive. Invariant: `start <= end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "(i32, i32)", into = "(i32, i32)")]
pub struct Period {
    start: i32,
    end: i32,
}

impl Period {
    pub fn new(start: i32, end: i32) -> Result<Period, PlanningError> {
        if start > end {
            Err(PlanningError::PeriodEndsBeforeStart { start, end })
        } else {
            Ok(Period { start, end })
        }
    }
    pub fn start(self) -> i32 {
        self.start
    }
    pub fn end(self) -> i32 {
        self.end
    }
    pub fn contains(self, year: i32) -> bool {
        (self.start..=self.end).contains(&year)
    }
    /// "2026–2030".
    pub fn label(self) -> String {
        format!("{}–{}", self.start, self.end)
    }
}

impl TryFrom<(i32, i32)> for Period {
    type Error = PlanningError;
    fn try_from((s, e): (i32, i32)) -> Result<Self, PlanningError> {
        Period::new(s, e)
    }
}
impl From<Period> for (i32, i32) {
    fn from(p: Period) -> Self {
        (p.start, p.end)
    }
}

/// The years an action runs, inclusive. Invariant: `from <= to`; must also lie within the plan
/// period (checked by [`ActionPlan::validate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "(i32, i32)", into = "(i32, i32)")]
pub struct TimeFrame {
    from: i32,
    to: i32,
}

impl TimeFrame {
    pub fn new(from: i32, to: i32) -> Result<TimeFrame, PlanningError> {
        if from > to {
            Err(PlanningError::TimeFrameEndsBeforeStart { from, to })
        } else {
            Ok(TimeFrame { from, to })
        }
    }
    /// A single year.
    pub fn year(y: i32) -> TimeFrame {
        TimeFrame { from: y, to: y }
    }
    pub fn from(self) -> i32 {
        self.from
    }
    pub fn to(self) -> i32 {
        self.to
    }
    pub fn contains(self, year: i32) -> bool {
        (self.from..=self.to).contains(&year)
    }
    /// "2026" or "2026–2027".
    pub fn label(self) -> String {
        if self.from == self.to {
            self.from.to_string()
        } else {
            format!("{}–{}", self.from, self.to)
        }
    }
}

impl TryFrom<(i32, i32)> for TimeFrame {
    type Error = PlanningError;
    fn try_from((f, t): (i32, i32)) -> Result<Self, PlanningError> {
        TimeFrame::new(f, t)
    }
}
impl From<TimeFrame> for (i32, i32) {
    fn from(t: TimeFrame) -> Self {
        (t.from, t.to)
    }
}

/// The three follow-up levels of seed 004.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpLevel {
    Strategisk,
    Taktisk,
    Operativ,
}

impl FollowUpLevel {
    /// Strategic, tactical, operative — top down.
    pub const ALL: [FollowUpLevel; 3] =
        [FollowUpLevel::Strategisk, FollowUpLevel::Taktisk, FollowUpLevel::Operativ];

    /// "Strategisk".
    pub fn label(self) -> &'static str {
        match self {
            FollowUpLevel::Strategisk => "Strategisk",
            FollowUpLevel::Taktisk => "Taktisk",
            FollowUpLevel::Operativ => "Operativ",
        }
    }
    /// The level's name in the seed: "Regional / strategisk nivå" …
    pub fn level_name(self) -> &'static str {
        match self {
            FollowUpLevel::Strategisk => "Regional / strategisk nivå",
            FollowUpLevel::Taktisk => "Verksamhetsnivå / taktisk nivå",
            FollowUpLevel::Operativ => "Enhetsnivå / operativ nivå",
        }
    }
    /// What is measured: "Effekt", "Resultat + process", "Arbetssätt och beteenden".
    pub fn measures(self) -> &'static str {
        match self {
            FollowUpLevel::Strategisk => "Effekt",
            FollowUpLevel::Taktisk => "Resultat + process",
            FollowUpLevel::Operativ => "Arbetssätt och beteenden",
        }
    }
    /// The guiding question.
    pub fn question(self) -> &'static str {
        match self {
            FollowUpLevel::Strategisk => "Har vi uppnått målet?",
            FollowUpLevel::Taktisk => "Är vi på väg åt rätt håll?",
            FollowUpLevel::Operativ => "Gör vi det vi har sagt att vi ska göra?",
        }
    }
}

/// An indicator code such as "2.1": sub-goal 1–5 and a number ≥ 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IndicatorCode {
    sub_goal: u8,
    number: u8,
}

impl IndicatorCode {
    /// Parses "2.1".
    pub fn parse(s: &str) -> Result<IndicatorCode, PlanningError> {
        let t = s.trim();
        let bad = || PlanningError::NotAnIndicatorCode(t.to_string());
        let (a, b) = t.split_once('.').ok_or_else(bad)?;
        let sub_goal: u8 = a.parse().map_err(|_| bad())?;
        let number: u8 = b.parse().map_err(|_| bad())?;
        if !(1..=5).contains(&sub_goal) || number == 0 {
            return Err(bad());
        }
        Ok(IndicatorCode { sub_goal, number })
    }
    pub fn sub_goal(self) -> u8 {
        self.sub_goal
    }
    pub fn number(self) -> u8 {
        self.number
    }
}

impl fmt::Display for IndicatorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.sub_goal, self.number)
    }
}
impl TryFrom<String> for IndicatorCode {
    type Error = PlanningError;
    fn try_from(s: String) -> Result<Self, PlanningError> {
        IndicatorCode::parse(&s)
    }
}
impl From<IndicatorCode> for String {
    fn from(c: IndicatorCode) -> String {
        c.to_string()
    }
}

/// What an action is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// An indicator ("nyckeltal 2.1").
    Nyckeltal(IndicatorCode),
    /// A sub-goal number 1–5.
    Delmal(u8),
    /// An activity type of the annual plan, by name.
    Aktivitet(String),
}

impl Link {
    /// "Nyckeltal 2.1", "Delmål 4", "Aktivitet: Regionala nätverksträffar".
    pub fn label(&self) -> String {
        match self {
            Link::Nyckeltal(c) => format!("Nyckeltal {c}"),
            Link::Delmal(n) => format!("Delmål {n}"),
            Link::Aktivitet(a) => format!("Aktivitet: {a}"),
        }
    }
}

/// Status of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    EjPaborjad,
    Pagar,
    Forsenad,
    Klar,
    Avbruten,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::EjPaborjad,
        ActionStatus::Pagar,
        ActionStatus::Forsenad,
        ActionStatus::Klar,
        ActionStatus::Avbruten,
    ];
    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::EjPaborjad => "Ej påbörjad",
            ActionStatus::Pagar => "Pågår",
            ActionStatus::Forsenad => "Försenad",
            ActionStatus::Klar => "Klar",
            ActionStatus::Avbruten => "Avbruten",
        }
    }
    /// Parses a Swedish label, case-insensitive.
    pub fn parse(s: &str) -> Result<ActionStatus, PlanningError> {
        let t = s.trim().to_lowercase();
        ActionStatus::ALL
            .into_iter()
            .find(|a| a.label().to_lowercase() == t)
            .ok_or_else(|| PlanningError::UnknownActionStatus(s.trim().to_string()))
    }
}

/// A status report on an action during the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusUpdate {
    pub date: NaiveDate,
    pub status: ActionStatus,
    #[serde(default)]
    pub comment: String,
}

/// "Mål 2.1" — sub-goal and goal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GoalKey {
    pub sub_goal: u8,
    pub goal: u8,
}

impl fmt::Display for GoalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.sub_goal, self.goal)
    }
}

/// "Åtgärd 2.1.3" — sub-goal, goal and action number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ActionKey {
    pub sub_goal: u8,
    pub goal: u8,
    pub action: u8,
}

impl ActionKey {
    pub fn goal_key(self) -> GoalKey {
        GoalKey { sub_goal: self.sub_goal, goal: self.goal }
    }
}

impl fmt::Display for ActionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.sub_goal, self.goal, self.action)
    }
}

/// One action (åtgärd) serving a goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Number within its goal, from 1.
    pub number: u8,
    pub text: String,
    /// Registry code of the responsible organisation, or [`ALL_LSLS`].
    pub responsible: String,
    pub time_frame: TimeFrame,
    pub level: FollowUpLevel,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub updates: Vec<StatusUpdate>,
}

impl Action {
    /// The latest update with date on or before `as_of` (all updates when `None`). On equal
    /// dates the one recorded last wins.
    pub fn latest_update(&self, as_of: Option<NaiveDate>) -> Option<&StatusUpdate> {
        self.updates
            .iter()
            .enumerate()
            .filter(|(_, u)| as_of.is_none_or(|d| u.date <= d))
            .max_by_key(|(i, u)| (u.date, *i))
            .map(|(_, u)| u)
    }
    /// Latest status, "Ej påbörjad" when there is no update.
    pub fn latest_status(&self, as_of: Option<NaiveDate>) -> ActionStatus {
        self.latest_update(as_of).map(|u| u.status).unwrap_or(ActionStatus::EjPaborjad)
    }
    /// Indicator codes this action links to.
    pub fn indicators(&self) -> impl Iterator<Item = IndicatorCode> + '_ {
        self.links.iter().filter_map(|l| match l {
            Link::Nyckeltal(c) => Some(*c),
            _ => None,
        })
    }
}

/// A goal (mål) under a sub-goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// Number within its sub-goal, from 1.
    pub number: u8,
    pub text: String,
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// Goals and actions for one of the five sub-goals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubGoalSection {
    /// 1–5, see [`crate::delmal`].
    pub sub_goal: u8,
    pub goals: Vec<Goal>,
}

/// Who orders, owns, steers, leads and receives the assignment (codes in the registry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentOrganisation {
    /// Beställare.
    pub orderers: Vec<String>,
    /// Uppdragsägare.
    pub owner: String,
    /// Styrgrupp.
    pub steering_group: String,
    /// Uppdragsledare.
    pub leader: String,
    /// Mottagare.
    pub recipients: Vec<String>,
    /// Mottagare av slutredovisningen, in addition to `recipients`.
    pub final_report_recipients: Vec<String>,
}

impl AssignmentOrganisation {
    /// The organisation of seed 004: orderers VFR and LCHNV, owner LCHNV, steering group the
    /// LCHNV steering group, leader RSS Dalarna, recipient LCHNV and for the final report VFR.
    pub fn seed_2026() -> AssignmentOrganisation {
        AssignmentOrganisation {
            orderers: vec!["vfr".into(), "lchnv".into()],
            owner: "lchnv".into(),
            steering_group: "lchnv-styrgrupp".into(),
            leader: "rss".into(),
            recipients: vec!["lchnv".into()],
            final_report_recipients: vec!["vfr".into()],
        }
    }

    /// (Swedish role label, codes) in display order.
    pub fn roles(&self) -> Vec<(&'static str, Vec<&str>)> {
        fn v(xs: &[String]) -> Vec<&str> {
            xs.iter().map(String::as_str).collect()
        }
        vec![
            ("Beställare", v(&self.orderers)),
            ("Uppdragsägare", vec![self.owner.as_str()]),
            ("Styrgrupp", vec![self.steering_group.as_str()]),
            ("Uppdragsledare", vec![self.leader.as_str()]),
            ("Mottagare", v(&self.recipients)),
            ("Mottagare av slutredovisning", v(&self.final_report_recipients)),
        ]
    }
}

/// The regional action plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlan {
    pub title: String,
    pub description: String,
    pub period: Period,
    /// Avsändare (registry code), LCHNV.
    pub sender: String,
    pub organisation: AssignmentOrganisation,
    pub sections: Vec<SubGoalSection>,
}

/// An action with its place in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionRef<'a> {
    pub key: ActionKey,
    pub goal: &'a Goal,
    pub action: &'a Action,
}

impl ActionPlan {
    /// All goals with their keys, in plan order.
    pub fn goals(&self) -> Vec<(GoalKey, &Goal)> {
        self.sections
            .iter()
            .flat_map(|s| s.goals.iter().map(move |g| (GoalKey { sub_goal: s.sub_goal, goal: g.number }, g)))
            .collect()
    }

    /// All actions with their keys, in plan order.
    pub fn actions(&self) -> Vec<ActionRef<'_>> {
        self.goals()
            .into_iter()
            .flat_map(|(gk, g)| {
                g.actions.iter().map(move |a| ActionRef {
                    key: ActionKey { sub_goal: gk.sub_goal, goal: gk.goal, action: a.number },
                    goal: g,
                    action: a,
                })
            })
            .collect()
    }

    /// The action with this key.
    pub fn action(&self, key: ActionKey) -> Option<&Action> {
        self.actions().into_iter().find(|r| r.key == key).map(|r| r.action)
    }

    fn action_mut(&mut self, key: ActionKey) -> Option<&mut Action> {
        self.sections
            .iter_mut()
            .filter(|s| s.sub_goal == key.sub_goal)
            .flat_map(|s| s.goals.iter_mut())
            .filter(|g| g.number == key.goal)
            .flat_map(|g| g.actions.iter_mut())
            .find(|a| a.number == key.action)
    }

    /// Records a status update on an action. The date must lie within the plan period.
    pub fn record_update(&mut self, key: ActionKey, update: StatusUpdate) -> Result<(), InputError> {
        if !self.period.contains(update.date.year()) {
            return Err(InputError::new(
                Location::field("datum"),
                format!(
                    "Datumet {} ligger utanför planens period {}.",
                    format::date(update.date),
                    self.period.label()
                ),
            ));
        }
        let action = self.action_mut(key).ok_or_else(|| {
            InputError::new(Location::field("åtgärd"), format!("Åtgärd {key} finns inte i planen."))
        })?;
        action.updates.push(update);
        Ok(())
    }

    /// Checks the plan: organisation codes exist, sub-goals 1–5 once each, goal and action
    /// numbers unique, texts non-empty, time frames and status updates within the period,
    /// links to existing sub-goals. Errors name the goal or action and the field.
    pub fn validate(&self, registry: &Registry) -> Result<(), InputErrors> {
        let mut errors = Vec::new();
        let known = |code: &str| {
            registry.bodies.iter().any(|b| b.code == code)
                || registry.lsls.iter().any(|l| l.code == code)
                || registry.municipalities.iter().any(|m| m.code == code)
                || registry.region.code == code
        };
        let err = |errors: &mut Vec<InputError>, field: &str, msg: String| {
            errors.push(InputError::new(Location::field(field), msg));
        };
        if self.title.trim().is_empty() {
            err(&mut errors, "titel", "Planen saknar titel.".into());
        }
        if !known(&self.sender) {
            err(
                &mut errors,
                "avsändare",
                format!("Avsändaren \"{}\" finns inte i organisationsregistret.", self.sender),
            );
        }
        for (role, codes) in self.organisation.roles() {
            for code in codes {
                if !known(code) {
                    err(
                        &mut errors,
                        &format!("uppdragsorganisation – {}", role.to_lowercase()),
                        format!("\"{code}\" finns inte i organisationsregistret."),
                    );
                }
            }
        }
        let mut sub_goals = BTreeSet::new();
        for s in &self.sections {
            if !(1..=5).contains(&s.sub_goal) {
                err(&mut errors, "delmål", format!("Delmål {} finns inte (1–5).", s.sub_goal));
            } else if !sub_goals.insert(s.sub_goal) {
                err(&mut errors, "delmål", format!("Delmål {} förekommer mer än en gång.", s.sub_goal));
            }
            let mut goal_numbers = BTreeSet::new();
            for g in &s.goals {
                let gk = GoalKey { sub_goal: s.sub_goal, goal: g.number };
                if g.number == 0 || !goal_numbers.insert(g.number) {
                    err(
                        &mut errors,
                        "mål",
                        format!("Mål {gk}: numret saknas eller förekommer mer än en gång."),
                    );
                }
                if g.text.trim().is_empty() {
                    err(&mut errors, "mål", format!("Mål {gk} saknar text."));
                }
                let mut action_numbers = BTreeSet::new();
                for a in &g.actions {
                    let ak = ActionKey { sub_goal: s.sub_goal, goal: g.number, action: a.number };
                    let field = |f: &str| format!("åtgärd {ak} – {f}");
                    if a.number == 0 || !action_numbers.insert(a.number) {
                        err(
                            &mut errors,
                            &field("nummer"),
                            format!("Åtgärd {ak}: numret saknas eller förekommer mer än en gång."),
                        );
                    }
                    if a.text.trim().is_empty() {
                        err(&mut errors, &field("text"), format!("Åtgärd {ak} saknar text."));
                    }
                    if a.responsible != ALL_LSLS && !known(&a.responsible) {
                        err(
                            &mut errors,
                            &field("ansvarig"),
                            format!("Ansvarig \"{}\" finns inte i organisationsregistret.", a.responsible),
                        );
                    }
                    if !self.period.contains(a.time_frame.from()) || !self.period.contains(a.time_frame.to())
                    {
                        err(
                            &mut errors,
                            &field("tidsram"),
                            format!(
                                "Tidsramen {} ligger utanför planens period {}.",
                                a.time_frame.label(),
                                self.period.label()
                            ),
                        );
                    }
                    for l in &a.links {
                        match l {
                            Link::Delmal(n) if !(1..=5).contains(n) => err(
                                &mut errors,
                                &field("kopplingar"),
                                format!("Delmål {n} finns inte (1–5)."),
                            ),
                            Link::Aktivitet(name) if name.trim().is_empty() => err(
                                &mut errors,
                                &field("kopplingar"),
                                "En koppling till aktivitet saknar namn.".into(),
                            ),
                            _ => {}
                        }
                    }
                    for u in &a.updates {
                        if !self.period.contains(u.date.year()) {
                            err(
                                &mut errors,
                                &field("statusuppdatering"),
                                format!(
                                    "Datumet {} ligger utanför planens period {}.",
                                    format::date(u.date),
                                    self.period.label()
                                ),
                            );
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InputErrors(errors))
        }
    }

    /// Names of linked activity types that are not in `activity_names` (e.g. the annual plan's
    /// types) — a warning list, since a plan may link to activities of another year.
    pub fn unknown_activity_links(&self, activity_names: &[&str]) -> Vec<(ActionKey, String)> {
        self.actions()
            .into_iter()
            .flat_map(|r| {
                r.action.links.iter().filter_map(move |l| match l {
                    Link::Aktivitet(n) if !activity_names.contains(&n.as_str()) => Some((r.key, n.clone())),
                    _ => None,
                })
            })
            .collect()
    }
}

/// Links of an action from a form: indicator codes as text ("1.1, 2.3"), chosen sub-goal numbers
/// and chosen activity type names. Duplicates are dropped; the order is indicators, sub-goals,
/// activities. Errors name the field "kopplade nyckeltal" or "kopplade delmål".
pub fn links_from_form(
    indicators: &str,
    sub_goals: &[String],
    activities: &[String],
) -> Result<Vec<Link>, InputErrors> {
    let mut errors = Vec::new();
    let mut links: Vec<Link> = Vec::new();
    let push = |l: Link, links: &mut Vec<Link>| {
        if !links.contains(&l) {
            links.push(l);
        }
    };
    for code in indicators.split([',', ';', ' ', '\n', '\r', '\t']).filter(|s| !s.trim().is_empty()) {
        match IndicatorCode::parse(code) {
            Ok(c) => push(Link::Nyckeltal(c), &mut links),
            Err(m) => errors.push(InputError::new(Location::field("kopplade nyckeltal"), m)),
        }
    }
    for s in sub_goals.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match s.parse::<u8>() {
            Ok(n) if (1..=5).contains(&n) => push(Link::Delmal(n), &mut links),
            _ => errors.push(InputError::new(
                Location::field("kopplade delmål"),
                format!("Delmål \"{s}\" finns inte (1–5)."),
            )),
        }
    }
    for a in activities.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        push(Link::Aktivitet(a.to_string()), &mut links);
    }
    if errors.is_empty() {
        Ok(links)
    } else {
        Err(InputErrors(errors))
    }
}

/// True when two link lists hold the same links, whatever their order.
pub fn same_links(a: &[Link], b: &[Link]) -> bool {
    let x: BTreeSet<&Link> = a.iter().collect();
    let y: BTreeSet<&Link> = b.iter().collect();
    x == y
}

/// Raw form input for version 1 of the action plan: what the plan is, its period, the year it
/// is adopted, the sender and the assignment organisation (registry codes), and per sub-goal
/// its goals, one per line. Actions are added afterwards through the annual review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPlanInput {
    pub title: String,
    pub description: String,
    pub period_start: String,
    pub period_end: String,
    pub adopted_year: String,
    pub sender: String,
    pub orderers: Vec<String>,
    pub owner: String,
    pub steering_group: String,
    pub leader: String,
    pub recipients: Vec<String>,
    pub final_report_recipients: Vec<String>,
    /// (sub-goal 1–5, goals one per line).
    pub goals: Vec<(u8, String)>,
}

impl NewPlanInput {
    /// Parses and validates the whole plan against the registry; all problems at once, each
    /// naming its field. Nothing about storage: the caller stores the returned version 1.
    pub fn parse(&self, registry: &Registry) -> Result<ActionPlanVersion, InputErrors> {
        let mut errors = Vec::new();
        let field = |f: &str| Location::field(f);
        let year = |v: &str, name: &str, errors: &mut Vec<InputError>| -> Option<i32> {
            match v.trim().parse::<i32>() {
                Ok(y) if (2000..=2100).contains(&y) => Some(y),
                _ => {
                    errors.push(InputError::new(field(name), format!("\"{}\" är inget årtal.", v.trim())));
                    None
                }
            }
        };
        let start = year(&self.period_start, "period från", &mut errors);
        let end = year(&self.period_end, "period till", &mut errors);
        let adopted = year(&self.adopted_year, "antaget år", &mut errors);
        let period = match (start, end) {
            (Some(s), Some(e)) => {
                Period::new(s, e).map_err(|m| errors.push(InputError::new(field("period"), m))).ok()
            }
            _ => None,
        };
        if let (Some(p), Some(y)) = (period, adopted) {
            if !p.contains(y) {
                errors.push(InputError::new(
                    field("antaget år"),
                    format!("Året {y} ligger utanför planens period {}.", p.label()),
                ));
            }
        }
        if self.title.trim().is_empty() {
            errors.push(InputError::new(field("titel"), "Planen saknar titel."));
        }
        let clean = |xs: &[String]| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for x in xs.iter().map(|x| x.trim()).filter(|x| !x.is_empty()) {
                if !out.iter().any(|o| o == x) {
                    out.push(x.to_string());
                }
            }
            out
        };
        let single = [
            ("avsändare", &self.sender),
            ("uppdragsägare", &self.owner),
            ("styrgrupp", &self.steering_group),
            ("uppdragsledare", &self.leader),
        ];
        for (name, value) in single {
            if value.trim().is_empty() {
                errors.push(InputError::new(field(name), format!("Välj {name}.")));
            }
        }
        let orderers = clean(&self.orderers);
        let recipients = clean(&self.recipients);
        if orderers.is_empty() {
            errors.push(InputError::new(field("beställare"), "Välj minst en beställare."));
        }
        if recipients.is_empty() {
            errors.push(InputError::new(field("mottagare"), "Välj minst en mottagare."));
        }
        let mut sections = Vec::new();
        for (sub_goal, text) in &self.goals {
            let goals: Vec<Goal> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .zip(1u8..)
                .map(|(t, number)| Goal { number, text: t.to_string(), actions: Vec::new() })
                .collect();
            if goals.len() > 20 {
                errors.push(InputError::new(
                    Location::field(format!("mål för delmål {sub_goal}")),
                    "Högst 20 mål per delmål.",
                ));
            }
            if !goals.is_empty() {
                sections.push(SubGoalSection { sub_goal: *sub_goal, goals });
            }
        }
        let (Some(period), Some(adopted), true) = (period, adopted, errors.is_empty()) else {
            return Err(InputErrors(errors));
        };
        let plan = ActionPlan {
            title: self.title.trim().to_string(),
            description: self.description.trim().to_string(),
            period,
            sender: self.sender.trim().to_string(),
            organisation: AssignmentOrganisation {
                orderers,
                owner: self.owner.trim().to_string(),
                steering_group: self.steering_group.trim().to_string(),
                leader: self.leader.trim().to_string(),
                recipients,
                final_report_recipients: clean(&self.final_report_recipients),
            },
            sections,
        };
        ActionPlanVersion::first(plan, adopted, registry)
    }
}

/// A version of the plan, from its adoption or an annual review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlanVersion {
    /// 1 for the adopted plan, then +1 per review.
    pub version: u32,
    /// The year the version was adopted or reviewed.
    pub review_year: i32,
    pub plan: ActionPlan,
}

impl ActionPlanVersion {
    /// Version 1 of a validated plan, adopted in `year` (within the period).
    pub fn first(plan: ActionPlan, year: i32, registry: &Registry) -> Result<Self, InputErrors> {
        plan.validate(registry)?;
        if !plan.period.contains(year) {
            return Err(year_error(year, &plan).into());
        }
        Ok(ActionPlanVersion { version: 1, review_year: year, plan })
    }

    /// The annual review: clones the plan, applies `edit`, validates, and returns the next
    /// version. `self` is left as it was. The review year must be later than this version's
    /// and within the period.
    pub fn review(
        &self,
        review_year: i32,
        registry: &Registry,
        edit: impl FnOnce(&mut ActionPlan),
    ) -> Result<ActionPlanVersion, InputErrors> {
        let mut plan = self.plan.clone();
        edit(&mut plan);
        self.revise(review_year, plan, registry)
    }

    /// Like [`review`](Self::review) with a complete new plan (e.g. from a form).
    pub fn revise(
        &self,
        review_year: i32,
        plan: ActionPlan,
        registry: &Registry,
    ) -> Result<ActionPlanVersion, InputErrors> {
        if review_year <= self.review_year {
            return Err(InputError::new(
                Location::field("översynsår"),
                format!(
                    "Översynsåret {review_year} måste vara senare än föregående versions år {}.",
                    self.review_year
                ),
            )
            .into());
        }
        plan.validate(registry)?;
        if !plan.period.contains(review_year) {
            return Err(year_error(review_year, &plan).into());
        }
        Ok(ActionPlanVersion { version: self.version + 1, review_year, plan })
    }
}

fn year_error(year: i32, plan: &ActionPlan) -> InputError {
    InputError::new(
        Location::field("översynsår"),
        format!("Året {year} ligger utanför planens period {}.", plan.period.label()),
    )
}

// ---------------------------------------------------------------------------------------------
// Diff

/// What a change concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeTarget {
    Plan,
    Goal(GoalKey),
    Action(ActionKey),
}

impl ChangeTarget {
    /// "Planen", "Mål 2.1", "Åtgärd 2.1.3".
    pub fn label(self) -> String {
        match self {
            ChangeTarget::Plan => "Planen".to_string(),
            ChangeTarget::Goal(k) => format!("Mål {k}"),
            ChangeTarget::Action(k) => format!("Åtgärd {k}"),
        }
    }
}

/// Added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Added, with its text.
    Added { text: String },
    /// Removed, with its text.
    Removed { text: String },
    /// A field changed; values as shown to users.
    Changed { field: String, old: String, new: String },
}

/// One difference between two versions, with a Swedish description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub target: ChangeTarget,
    pub kind: ChangeKind,
    /// E.g. "Åtgärd 2.1.1: ansvarig ändrad från ”RSS Dalarna” till ”Länschefsnätverket”."
    pub description: String,
}

impl Change {
    fn new(target: ChangeTarget, kind: ChangeKind) -> Change {
        let t = target.label();
        let description = match &kind {
            ChangeKind::Added { text } => format!("{t} har lagts till: ”{text}”."),
            ChangeKind::Removed { text } => format!("{t} har tagits bort: ”{text}”."),
            ChangeKind::Changed { field, old, new } => {
                format!("{t}: {field} ändrad från ”{old}” till ”{new}”.")
            }
        };
        Change { target, kind, description }
    }
}

/// Organisation label for display: short name or name from the registry, the code otherwise.
fn org_label(code: &str, registry: &Registry) -> String {
    if code == ALL_LSLS {
        return "Samtliga lokala systemledningar".to_string();
    }
    if let Some(b) = registry.bodies.iter().find(|b| b.code == code) {
        return b.name.clone();
    }
    if let Some(l) = registry.lsls.iter().find(|l| l.code == code) {
        return format!("Lokal systemledning {}", l.name);
    }
    if let Some(m) = registry.municipalities.iter().find(|m| m.code == code) {
        return format!("{} kommun", m.name);
    }
    if registry.region.code == code {
        return registry.region.name.clone();
    }
    code.to_string()
}

/// Labels of several organisations joined: "Välfärdsrådet och Länschefsnätverket".
pub fn org_labels(codes: &[&str], registry: &Registry) -> String {
    let names: Vec<String> = codes.iter().map(|c| org_label(c, registry)).collect();
    crate::format::join_sv(&names)
}

fn links_label(links: &[Link]) -> String {
    if links.is_empty() {
        "inga".to_string()
    } else {
        links.iter().map(Link::label).collect::<Vec<_>>().join(", ")
    }
}

fn status_label(a: &Action) -> String {
    match a.latest_update(None) {
        Some(u) => format!("{} ({})", u.status.label(), format::date(u.date)),
        None => ActionStatus::EjPaborjad.label().to_string(),
    }
}

/// Structural differences from `old` to `new`: plan fields, then goals and actions in key
/// order (added goals bring their actions as added, removed goals their actions as removed).
/// Organisations are shown by name from `registry`.
pub fn diff(old: &ActionPlan, new: &ActionPlan, registry: &Registry) -> Vec<Change> {
    let mut out = Vec::new();
    let mut field = |target, name: &str, a: String, b: String| {
        if a != b {
            out.push(Change::new(target, ChangeKind::Changed { field: name.to_string(), old: a, new: b }));
        }
    };
    field(ChangeTarget::Plan, "titel", old.title.clone(), new.title.clone());
    field(ChangeTarget::Plan, "beskrivning", old.description.clone(), new.description.clone());
    field(ChangeTarget::Plan, "period", old.period.label(), new.period.label());
    field(
        ChangeTarget::Plan,
        "avsändare",
        org_label(&old.sender, registry),
        org_label(&new.sender, registry),
    );
    for ((role, a), (_, b)) in old.organisation.roles().into_iter().zip(new.organisation.roles()) {
        field(
            ChangeTarget::Plan,
            &format!("uppdragsorganisation – {}", role.to_lowercase()),
            org_labels(&a, registry),
            org_labels(&b, registry),
        );
    }

    let old_goals = old.goals();
    let new_goals = new.goals();
    let mut keys: Vec<GoalKey> = old_goals.iter().chain(&new_goals).map(|(k, _)| *k).collect();
    keys.sort();
    keys.dedup();
    for gk in keys {
        let og = old_goals.iter().find(|(k, _)| *k == gk).map(|(_, g)| *g);
        let ng = new_goals.iter().find(|(k, _)| *k == gk).map(|(_, g)| *g);
        match (og, ng) {
            (None, Some(g)) => {
                out.push(Change::new(ChangeTarget::Goal(gk), ChangeKind::Added { text: g.text.clone() }));
                diff_actions(&mut out, gk, &[], &g.actions, registry);
            }
            (Some(g), None) => {
                out.push(Change::new(ChangeTarget::Goal(gk), ChangeKind::Removed { text: g.text.clone() }));
                diff_actions(&mut out, gk, &g.actions, &[], registry);
            }
            (Some(a), Some(b)) => {
                if a.text != b.text {
                    out.push(Change::new(
                        ChangeTarget::Goal(gk),
                        ChangeKind::Changed {
                            field: "text".into(),
                            old: a.text.clone(),
                            new: b.text.clone(),
                        },
                    ));
                }
                diff_actions(&mut out, gk, &a.actions, &b.actions, registry);
            }
            (None, None) => {}
        }
    }
    out
}

fn diff_actions(out: &mut Vec<Change>, gk: GoalKey, old: &[Action], new: &[Action], registry: &Registry) {
    let mut numbers: Vec<u8> = old.iter().chain(new).map(|a| a.number).collect();
    numbers.sort();
    numbers.dedup();
    for n in numbers {
        let key = ActionKey { sub_goal: gk.sub_goal, goal: gk.goal, action: n };
        let target = ChangeTarget::Action(key);
        match (old.iter().find(|a| a.number == n), new.iter().find(|a| a.number == n)) {
            (None, Some(a)) => out.push(Change::new(target, ChangeKind::Added { text: a.text.clone() })),
            (Some(a), None) => out.push(Change::new(target, ChangeKind::Removed { text: a.text.clone() })),
            (Some(a), Some(b)) => {
                let fields = [
                    ("text", a.text.clone(), b.text.clone()),
                    ("ansvarig", org_label(&a.responsible, registry), org_label(&b.responsible, registry)),
                    ("tidsram", a.time_frame.label(), b.time_frame.label()),
                    ("uppföljningsnivå", a.level.label().to_string(), b.level.label().to_string()),
                    ("kopplingar", links_label(&a.links), links_label(&b.links)),
                    ("senaste status", status_label(a), status_label(b)),
                ];
                for (field, o, nw) in fields {
                    if o != nw {
                        out.push(Change::new(
                            target,
                            ChangeKind::Changed { field: field.into(), old: o, new: nw },
                        ));
                    }
                }
            }
            (None, None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::dalarna;

    fn new_plan_input() -> NewPlanInput {
        NewPlanInput {
            title: "Regional handlingsplan".into(),
            description: "Kort".into(),
            period_start: "2026".into(),
            period_end: "2030".into(),
            adopted_year: "2026".into(),
            sender: "lchnv".into(),
            orderers: vec!["vfr".into(), "lchnv".into(), "vfr".into()],
            owner: "lchnv".into(),
            steering_group: "lchnv-styrgrupp".into(),
            leader: "rss".into(),
            recipients: vec!["lchnv".into()],
            final_report_recipients: vec!["vfr".into()],
            goals: vec![(1, "Mål ett\n\n Mål två ".into()), (2, String::new())],
        }
    }

    #[test]
    fn new_plan_input_gives_version_one_with_the_seed_organisation() {
        let v = new_plan_input().parse(&dalarna()).unwrap();
        assert_eq!(v.version, 1);
        assert_eq!(v.review_year, 2026);
        assert_eq!(v.plan.organisation, AssignmentOrganisation::seed_2026());
        assert_eq!(v.plan.sections.len(), 1, "sub-goals without goals are left out");
        let texts: Vec<&str> = v.plan.sections[0].goals.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(texts, vec!["Mål ett", "Mål två"]);
        assert_eq!(v.plan.sections[0].goals[1].number, 2);
    }

    #[test]
    fn new_plan_input_errors_name_the_field() {
        let reg = dalarna();
        let fields = |i: NewPlanInput| -> Vec<String> {
            i.parse(&reg).unwrap_err().0.into_iter().filter_map(|e| e.location.field).collect()
        };
        assert_eq!(
            fields(NewPlanInput { adopted_year: "2031".into(), ..new_plan_input() }),
            vec!["antaget år"]
        );
        assert_eq!(fields(NewPlanInput { period_end: "2025".into(), ..new_plan_input() }), vec!["period"]);
        assert_eq!(fields(NewPlanInput { orderers: vec![], ..new_plan_input() }), vec!["beställare"]);
        let unknown = NewPlanInput { owner: "okand".into(), ..new_plan_input() }.parse(&reg).unwrap_err();
        assert_eq!(unknown.0[0].location.field.as_deref(), Some("uppdragsorganisation – uppdragsägare"));
        assert!(unknown.0[0].message.contains("finns inte i organisationsregistret"));
    }

    #[test]
    fn links_from_form_parses_dedupes_and_names_fields() {
        let links =
            links_from_form("2.1, 2.3;2.1", &["4".into(), "".into()], &["Regionala nätverksträffar".into()])
                .unwrap();
        assert_eq!(
            links.iter().map(Link::label).collect::<Vec<_>>(),
            vec!["Nyckeltal 2.1", "Nyckeltal 2.3", "Delmål 4", "Aktivitet: Regionala nätverksträffar"]
        );
        let e = links_from_form("2.x", &["7".into()], &[]).unwrap_err();
        let fields: Vec<String> = e.0.into_iter().filter_map(|e| e.location.field).collect();
        assert_eq!(fields, vec!["kopplade nyckeltal", "kopplade delmål"]);
        assert!(same_links(&links, &links.iter().rev().cloned().collect::<Vec<_>>()));
        assert!(!same_links(&links, &links[1..]));
    }

    #[test]
    fn indicator_codes() {
        assert_eq!(IndicatorCode::parse(" 2.1 ").unwrap().to_string(), "2.1");
        for bad in ["6.1", "2.0", "2", "a.b", "2.1.1", ""] {
            assert!(IndicatorCode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            IndicatorCode::parse("x").unwrap_err().to_string(),
            "\"x\" är ingen nyckeltalskod (t.ex. 2.1)."
        );
        let c: IndicatorCode = serde_json::from_str("\"4.3\"").unwrap();
        assert_eq!(c.sub_goal(), 4);
    }

    #[test]
    fn levels_have_the_seed_questions() {
        let qs: Vec<&str> = FollowUpLevel::ALL.iter().map(|l| l.question()).collect();
        assert_eq!(
            qs,
            vec![
                "Har vi uppnått målet?",
                "Är vi på väg åt rätt håll?",
                "Gör vi det vi har sagt att vi ska göra?"
            ]
        );
        assert_eq!(ActionStatus::parse("pågår").unwrap(), ActionStatus::Pagar);
        assert!(ActionStatus::parse("Snart").is_err());
    }
}
