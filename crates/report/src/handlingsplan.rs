//! The regional action plan's follow-up as a section of the annual report ("3.6 Uppföljning av
//! den regionala handlingsplanen"), on the three levels of seed 004:
//!
//! - **strategisk** — the indicators linked to the plan's goals and their trend in the indicator
//!   edition frozen with the report ([`IndicatorTrends`]);
//! - **taktisk** — the tactical actions counted per latest status as of 31 December of the
//!   report year (the statuses recorded in the plan's follow-up and annual review);
//! - **operativ** — the activities linked to operative actions, held against planned in the
//!   year's annual plan ([`crate::ReportInput::support`], the same plan as section 3.5).
//!
//! Frozen format: [`ActionPlanInput`] is the optional field [`crate::ReportInput::action_plan`]
//! (serde default, skipped when `None`), so a report frozen before the section existed reads and
//! regenerates exactly as it was. `None` means that no version of an action plan covering the
//! report year was in force; the section is then left out (a 2024 report does not mention a plan
//! for 2026–2030). Inside the section, a level without data says "Uppgifter saknas för …".
//!
//! The computations here are pure; the section's blocks are written by `build::uppfoljning`.

use chrono::{Datelike, NaiveDate};
use gnv_core::format;
use gnv_core::nyckeltal::{Assessment, Catalogue, Evaluation};
use gnv_core::organisation::Registry;
use gnv_core::planering::handlingsplan::ALL_LSLS;
use gnv_core::planering::uppfoljning::OperativeActivity;
use gnv_core::planering::{self, ActionPlanVersion, AnnualPlan, FollowUpLevel, Fulfilment, IndicatorCode};
use serde::{Deserialize, Serialize};

/// The section key (narrative layouts, [`crate::SECTIONS`]).
pub const SECTION_KEY: &str = "handlingsplan";

/// The action plan's follow-up for the report year, frozen with the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionPlanInput {
    /// The version in force at the end of the report year (the newest adopted or reviewed in or
    /// before it), with the status updates recorded against it.
    pub version: ActionPlanVersion,
    /// Statuses are read as of this day: 31 December of the report year.
    pub as_of: NaiveDate,
    /// Strategic level: the linked indicators' trends; `None` when no indicator edition is
    /// published for the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trends: Option<IndicatorTrends>,
}

/// Trends of the plan's linked indicators in one indicator edition, for one focus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorTrends {
    /// The edition's year ("Infografiken 2025").
    pub edition_year: i32,
    /// The focus organisation's name ("Dalarna").
    pub focus_name: String,
    /// One per linked indicator, in code order.
    pub trends: Vec<Trend>,
}

/// The trend of one indicator, in words (a snapshot of [`planering::IndicatorTrend`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// "2.1".
    pub code: String,
    /// Title in the edition's catalogue; empty when the code is not in it.
    pub title: String,
    /// `None` for fact indicators, indicators without a previous value, missing values.
    pub assessment: Option<Assessment>,
    /// "förbättrad", "försämrad", "oförändrad", "ingen tidigare mätning att jämföra med", …
    pub words: String,
    /// "ökat från 60,0 procent (2023)" or empty.
    pub change: String,
    /// "65,0 procent (2024)" or empty.
    pub latest: String,
}

impl ActionPlanInput {
    /// The follow-up of `version` for `year` (statuses as of 31 December), with the trends of
    /// its linked indicators when an edition is given as (edition year, focus name, catalogue,
    /// evaluation for the focus).
    pub fn new(
        version: ActionPlanVersion,
        year: i32,
        edition: Option<(i32, &str, &Catalogue, &Evaluation)>,
    ) -> Self {
        let trends = edition.map(|(edition_year, focus, catalogue, evaluation)| IndicatorTrends {
            edition_year,
            focus_name: focus.to_string(),
            trends: linked_indicators(&version)
                .into_iter()
                .map(|c| {
                    let t = planering::indicator_trend(c, catalogue, evaluation);
                    Trend {
                        code: c.to_string(),
                        title: t.title,
                        assessment: t.assessment,
                        words: t.words,
                        change: t.change,
                        latest: t.latest,
                    }
                })
                .collect(),
        });
        ActionPlanInput { version, as_of: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(), trends }
    }

    /// The report year.
    pub fn year(&self) -> i32 {
        self.as_of.year()
    }

    /// The trend of `code`, when trends were frozen and the code is among them.
    pub fn trend(&self, code: &str) -> Option<&Trend> {
        self.trends.as_ref().and_then(|t| t.trends.iter().find(|x| x.code == code))
    }
}

/// Every indicator linked to the plan's goals (through any of their actions), sorted, unique.
pub fn linked_indicators(v: &ActionPlanVersion) -> Vec<IndicatorCode> {
    let mut codes: Vec<IndicatorCode> =
        planering::strategic_view(&v.plan).into_iter().flat_map(|g| g.indicators).collect();
    codes.sort();
    codes.dedup();
    codes
}

/// The version in force at the end of `year`: the newest with a review year up to `year`, when
/// the plan's period contains `year`. `versions` in any order.
pub fn version_for_year(versions: Vec<ActionPlanVersion>, year: i32) -> Option<ActionPlanVersion> {
    versions
        .into_iter()
        .filter(|v| v.review_year <= year && v.plan.period.contains(year))
        .max_by_key(|v| v.version)
}

/// The strategic level's sentence: how many indicators are linked and how their trends read.
/// "Handlingsplanens mål är kopplade till 11 nyckeltal. Trenden sedan föregående mätning enligt
/// infografiken 2025 för Dalarna: 3 förbättrade, 2 försämrade, 1 oförändrat och 5 som inte kan
/// värderas (…)."
pub fn strategic_sentences(input: &ActionPlanInput) -> Vec<String> {
    let codes = linked_indicators(&input.version);
    if codes.is_empty() {
        return vec!["Inga nyckeltal är kopplade till handlingsplanens mål.".to_string()];
    }
    let n = codes.len();
    let mut out = vec![format!(
        "Handlingsplanens mål är kopplade till {}.",
        format::count(n as i64, "nyckeltal", "nyckeltal")
    )];
    let Some(t) = &input.trends else {
        out.push(format!(
            "Uppgifter saknas för nyckeltalens trender {}: ingen publicerad utgåva av infografiken finns för rapporten.",
            input.year()
        ));
        return out;
    };
    let count = |a: Option<Assessment>| {
        codes.iter().filter(|c| input.trend(&c.to_string()).is_some_and(|x| x.assessment == a)).count()
    };
    let improved = count(Some(Assessment::Improved));
    let worsened = count(Some(Assessment::Worsened));
    let neutral = count(Some(Assessment::Neutral));
    let other = n - improved - worsened - neutral;
    let mut parts: Vec<String> = [
        (improved, "förbättrat", "förbättrade"),
        (worsened, "försämrat", "försämrade"),
        (neutral, "oförändrat", "oförändrade"),
    ]
    .iter()
    .filter(|(k, _, _)| *k > 0)
    .map(|(k, one, many)| format::count(*k as i64, one, many))
    .collect();
    if other > 0 {
        parts.push(format!(
            "{other} som inte kan värderas (faktanyckeltal, under utveckling eller utan tidigare mätning)"
        ));
    }
    out.push(format!(
        "Trenden sedan föregående mätning enligt infografiken {} för {}: {}.",
        t.edition_year,
        t.focus_name,
        format::join_sv(&parts)
    ));
    out
}

/// Rows of the strategic table: goal, indicator, trend, latest value — one per linked
/// indicator of each goal, in plan order.
pub fn strategic_rows(input: &ActionPlanInput) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for g in planering::strategic_view(&input.version.plan) {
        for (i, c) in g.indicators.iter().enumerate() {
            let code = c.to_string();
            let goal = if i == 0 { format!("{} {}", g.goal, g.text) } else { String::new() };
            let (title, trend, latest) = match input.trend(&code) {
                Some(t) => {
                    let trend = if t.change.is_empty() {
                        t.words.clone()
                    } else {
                        format!("{} ({})", t.words, t.change)
                    };
                    (
                        if t.title.is_empty() { code.clone() } else { format!("{code} {}", t.title) },
                        trend,
                        if t.latest.is_empty() { "–".to_string() } else { t.latest.clone() },
                    )
                }
                None => (code.clone(), "Uppgifter saknas".to_string(), "–".to_string()),
            };
            rows.push(vec![goal, title, trend, latest]);
        }
    }
    rows
}

/// Whether any tactical action has a status recorded in the report year.
pub fn tactical_followed_up(input: &ActionPlanInput) -> bool {
    let year = input.year();
    input
        .version
        .plan
        .actions()
        .iter()
        .filter(|r| r.action.level == FollowUpLevel::Taktisk)
        .any(|r| r.action.updates.iter().any(|u| u.date.year() == year))
}

/// The tactical level's sentences: how many actions have a status from the year, then the
/// core's count per latest status ("2 av 7 åtgärder pågår, 1 är klar …").
pub fn tactical_sentences(input: &ActionPlanInput) -> Vec<String> {
    let year = input.year();
    let progress = planering::tactical_progress(&input.version.plan, Some(input.as_of));
    if progress.total == 0 {
        return vec![progress.text];
    }
    if !tactical_followed_up(input) {
        return vec![format!(
            "Uppgifter saknas för uppföljningen av åtgärderna på taktisk nivå {year}: ingen status är registrerad under året."
        )];
    }
    let actions = input.version.plan.actions();
    let tactical: Vec<_> = actions.iter().filter(|r| r.action.level == FollowUpLevel::Taktisk).collect();
    let with_status = tactical.iter().filter(|r| r.action.latest_update(Some(input.as_of)).is_some()).count();
    let in_year = tactical.iter().filter(|r| r.action.updates.iter().any(|u| u.date.year() == year)).count();
    let mut out = vec![
        format!(
            "Under {year} har status registrerats för {} åtgärder på taktisk nivå. Läget den {}:",
            format::of(in_year, progress.total),
            format::date_long(input.as_of)
        ),
        progress.text,
    ];
    let without = progress.total - with_status;
    if without > 0 {
        out.push(if without == 1 {
            "1 åtgärd saknar registrerad status och räknas som ej påbörjad.".to_string()
        } else {
            format!("{without} åtgärder saknar registrerad status och räknas som ej påbörjade.")
        });
    }
    out
}

/// Rows of the tactical table: number, action, responsible, time frame, status, latest update.
pub fn tactical_rows(input: &ActionPlanInput, registry: &Registry) -> Vec<Vec<String>> {
    input
        .version
        .plan
        .actions()
        .iter()
        .filter(|r| r.action.level == FollowUpLevel::Taktisk)
        .map(|r| {
            let latest = r.action.latest_update(Some(input.as_of));
            let update = match latest {
                Some(u) if u.comment.trim().is_empty() => format::date(u.date).to_string(),
                Some(u) => format!("{}: {}", format::date(u.date), u.comment.trim()),
                None => "–".to_string(),
            };
            vec![
                r.key.to_string(),
                r.action.text.clone(),
                responsible_name(&r.action.responsible, registry),
                r.action.time_frame.label(),
                r.action.latest_status(Some(input.as_of)).label().to_string(),
                update,
            ]
        })
        .collect()
}

/// "Samtliga lokala systemledningar" for [`ALL_LSLS`], else the registry's name of the code.
pub fn responsible_name(code: &str, registry: &Registry) -> String {
    if code == ALL_LSLS {
        return "Samtliga lokala systemledningar".to_string();
    }
    registry.name_of(code).map(str::to_string).unwrap_or_else(|| code.to_string())
}

/// The operative level's activities: per operative action and linked activity type, plan
/// versus outcome in the year's annual plan.
pub fn operative(input: &ActionPlanInput, annual: &AnnualPlan) -> Vec<OperativeActivity> {
    planering::operative_view(&input.version.plan, annual)
}

/// The operative level's sentences for the year's annual plan.
pub fn operative_sentences(input: &ActionPlanInput, annual: &AnnualPlan) -> Vec<String> {
    let view = operative(input, annual);
    if view.is_empty() {
        return vec![
            "Inga åtgärder på operativ nivå är kopplade till aktiviteter i årsplaneringen.".to_string()
        ];
    }
    let mut activities: Vec<&OperativeActivity> = Vec::new();
    for o in &view {
        if !activities.iter().any(|a| a.activity == o.activity) {
            activities.push(o);
        }
    }
    let n = activities.len();
    let mut out = vec![format!(
        "Handlingsplanens åtgärder på operativ nivå är kopplade till {} i årsplaneringen {}.",
        format::count(n as i64, "aktivitet", "aktiviteter"),
        annual.year
    )];
    let planned: Vec<&&OperativeActivity> = activities.iter().filter(|a| a.outcome.is_some()).collect();
    let missing: Vec<String> =
        activities.iter().filter(|a| a.outcome.is_none()).map(|a| a.activity.clone()).collect();
    if !planned.is_empty() {
        let reached: Vec<String> = planned
            .iter()
            .filter(|a| a.outcome.as_ref().is_some_and(|o| o.fulfilment == Fulfilment::Uppnatt))
            .map(|a| a.activity.clone())
            .collect();
        let k = planned.len();
        out.push(match reached.len() {
            0 if k == 1 => "Årets mål för antalet genomförda tillfällen är inte uppnått för aktiviteten.".to_string(),
            0 => format!("Årets mål för antalet genomförda tillfällen är inte uppnått för någon av de {} aktiviteterna.", format::number_word(k)),
            r if r == k && k == 1 => "Årets mål för antalet genomförda tillfällen är uppnått för aktiviteten.".to_string(),
            r if r == k => format!("Årets mål för antalet genomförda tillfällen är uppnått för samtliga {} aktiviteter.", format::number_word(k)),
            r => format!(
                "Årets mål för antalet genomförda tillfällen är uppnått för {} aktiviteter: {}.",
                format::of(r, k),
                format::join_sv(&reached)
            ),
        });
    }
    if !missing.is_empty() {
        out.push(format!(
            "{} finns inte i årsplaneringen {} och kan inte följas upp där.",
            format::join_sv(&missing),
            annual.year
        ));
    }
    out
}

/// Rows of the operative table: action, activity, held of target, other occurrences, judgement.
pub fn operative_rows(input: &ActionPlanInput, annual: &AnnualPlan) -> Vec<Vec<String>> {
    operative(input, annual)
        .into_iter()
        .map(|o| match &o.outcome {
            Some(x) => {
                let other = [
                    (x.planned, "planerat", "planerade"),
                    (x.postponed, "framflyttat", "framflyttade"),
                    (x.cancelled, "inställt", "inställda"),
                    (x.paused, "pausat", "pausade"),
                ]
                .iter()
                .filter(|(n, _, _)| *n > 0)
                .map(|(n, one, many)| format::count(i64::from(*n), one, many))
                .collect::<Vec<_>>()
                .join(", ");
                vec![
                    o.action.to_string(),
                    o.activity.clone(),
                    x.text.clone(),
                    if other.is_empty() { "–".to_string() } else { other },
                    x.fulfilment.label().to_string(),
                ]
            }
            None => vec![
                o.action.to_string(),
                o.activity.clone(),
                "Finns inte i årsplaneringen".to_string(),
                "–".to_string(),
                "–".to_string(),
            ],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gnv_core::organisation::dalarna;
    use gnv_core::planering::aktivitet::{Attendance, Format, Occurrence, OccurrenceStatus};
    use gnv_core::planering::{ActionKey, ActionStatus, StatusUpdate};
    // Core types only: gnv-exempel links the same gnv-core, so these values mix with this
    // crate's (unlike gnv-report's own types, which gnv-exempel sees as another crate).
    use gnv_exempel::planering::{demo_action_plan, demo_plan_2026, NATVERKSTRAFFAR};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn version() -> ActionPlanVersion {
        ActionPlanVersion::first(demo_action_plan(), 2026, &dalarna()).unwrap()
    }

    fn tactical_keys(v: &ActionPlanVersion) -> Vec<ActionKey> {
        v.plan.actions().iter().filter(|r| r.action.level == FollowUpLevel::Taktisk).map(|r| r.key).collect()
    }

    #[test]
    fn the_version_in_force_is_the_newest_reviewed_up_to_the_year_within_the_period() {
        let v1 = version();
        let v2 = v1.review(2027, &dalarna(), |_| {}).unwrap();
        let pick = |y| version_for_year(vec![v2.clone(), v1.clone()], y).map(|v| v.version);
        assert_eq!(pick(2024), None, "a 2024 report has no plan 2026–2030");
        assert_eq!(pick(2026), Some(1));
        assert_eq!(pick(2027), Some(2));
        assert_eq!(pick(2031), None, "after the period");
    }

    #[test]
    fn tactical_level_counts_statuses_of_the_year_and_says_when_nothing_is_recorded() {
        let mut v = version();
        let none = ActionPlanInput::new(v.clone(), 2026, None);
        assert_eq!(
            tactical_sentences(&none),
            vec!["Uppgifter saknas för uppföljningen av åtgärderna på taktisk nivå 2026: ingen status är registrerad under året."]
        );
        let keys = tactical_keys(&v);
        assert_eq!(keys.len(), 7);
        let up = |d, s| StatusUpdate { date: d, status: s, comment: String::new() };
        v.plan.record_update(keys[0], up(date(2026, 3, 1), ActionStatus::Pagar)).unwrap();
        v.plan.record_update(keys[0], up(date(2026, 11, 1), ActionStatus::Klar)).unwrap();
        v.plan.record_update(keys[1], up(date(2026, 4, 1), ActionStatus::Forsenad)).unwrap();
        // Recorded after the report year: not part of the 2026 follow-up.
        v.plan.record_update(keys[2], up(date(2027, 2, 1), ActionStatus::Pagar)).unwrap();
        let input = ActionPlanInput::new(v.clone(), 2026, None);
        assert_eq!(
            tactical_sentences(&input),
            vec![
                "Under 2026 har status registrerats för 2 av 7 åtgärder på taktisk nivå. Läget den 31 december 2026:".to_string(),
                "1 av 7 åtgärder är klar, 1 är försenad och 5 är ej påbörjade.".to_string(),
                "5 åtgärder saknar registrerad status och räknas som ej påbörjade.".to_string(),
            ]
        );
        let rows = tactical_rows(&input, &dalarna());
        assert_eq!(rows.len(), 7);
        assert_eq!(rows[0][4], "Klar");
        assert_eq!(rows[2][4], "Ej påbörjad", "the 2027 update is after 31 December 2026");
        // The 2027 report sees it.
        let later = ActionPlanInput::new(v, 2027, None);
        assert_eq!(tactical_rows(&later, &dalarna())[2][4], "Pågår");
        assert!(tactical_sentences(&later)[0].starts_with("Under 2027 har status registrerats för 1 av 7"));
    }

    #[test]
    fn strategic_level_counts_trends_or_says_the_edition_is_missing() {
        let v = version();
        let n = linked_indicators(&v).len();
        let without = ActionPlanInput::new(v.clone(), 2026, None);
        let s = strategic_sentences(&without);
        assert_eq!(s[0], format!("Handlingsplanens mål är kopplade till {n} nyckeltal."));
        assert!(s[1].starts_with("Uppgifter saknas för nyckeltalens trender 2026"), "{s:?}");
        assert!(strategic_rows(&without).iter().all(|r| r[2] == "Uppgifter saknas"));
        // With trends: one improved, one worsened, the rest without a judgement.
        let mut with = without.clone();
        let codes = linked_indicators(&v);
        let trend = |c: &IndicatorCode, a| Trend {
            code: c.to_string(),
            title: "Titel".into(),
            assessment: a,
            words: "förbättrad".into(),
            change: String::new(),
            latest: String::new(),
        };
        let mut trends: Vec<Trend> = codes.iter().map(|c| trend(c, None)).collect();
        trends[0].assessment = Some(Assessment::Improved);
        trends[1].assessment = Some(Assessment::Worsened);
        with.trends = Some(IndicatorTrends { edition_year: 2025, focus_name: "Dalarna".into(), trends });
        assert_eq!(
            strategic_sentences(&with)[1],
            format!(
                "Trenden sedan föregående mätning enligt infografiken 2025 för Dalarna: 1 förbättrat, 1 försämrat och {} som inte kan värderas (faktanyckeltal, under utveckling eller utan tidigare mätning).",
                n - 2
            )
        );
    }

    #[test]
    fn operative_level_compares_held_with_planned_activities() {
        let v = version();
        let input = ActionPlanInput::new(v, 2026, None);
        let mut annual = demo_plan_2026();
        for m in [2, 4, 9, 11] {
            annual.occurrences.push(Occurrence {
                activity: NATVERKSTRAFFAR.into(),
                title: String::new(),
                date: date(2026, m, 10),
                format: Format::Digitalt,
                status: OccurrenceStatus::Genomford,
                attendance: Attendance::default(),
                participants: None,
                note: String::new(),
            });
        }
        let s = operative_sentences(&input, &annual);
        assert!(s[0].starts_with("Handlingsplanens åtgärder på operativ nivå är kopplade till"), "{s:?}");
        assert!(s[1].contains(NATVERKSTRAFFAR), "{s:?}");
        let rows = operative_rows(&input, &annual);
        let network: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == NATVERKSTRAFFAR).collect();
        assert!(network.iter().all(|r| r[2] == "4 av 4–5 nätverksträffar" && r[4] == "Målet är uppnått"));
        // A year whose plan lacks the activities: said, not counted as zero.
        let empty = AnnualPlan { year: 2027, activity_types: vec![], occurrences: vec![] };
        let s = operative_sentences(&input, &empty);
        assert!(s.last().unwrap().contains("finns inte i årsplaneringen 2027"), "{s:?}");
        assert!(operative_rows(&input, &empty).iter().all(|r| r[2] == "Finns inte i årsplaneringen"));
    }
}
