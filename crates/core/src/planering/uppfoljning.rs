//! Follow-up of the regional action plan on the three levels of seed 004.
//!
//! - **Strategisk** — "Har vi uppnått målet?": per goal, the indicator codes linked to it; the
//!   caller joins them with the indicator trends (this module does not know indicator values).
//! - **Taktisk** — "Är vi på väg åt rätt håll?": progress of the tactical actions, counted per
//!   latest status ("3 av 8 åtgärder pågår").
//! - **Operativ** — "Gör vi det vi har sagt att vi ska göra?": for operative actions linked to
//!   activity types, those activities' plan versus outcome from the annual plan.
//!
//! Rules: an action belongs to exactly one level (its `level`). A goal's indicator codes are the
//! union of the indicator links of all its actions, whatever their level, since an indicator
//! measures the goal's effect regardless of which action named it; they are sorted by code.

use super::aktivitet::{outcome_for, AnnualPlan, PlanOutcome};
use super::handlingsplan::{
    ActionKey, ActionPlan, ActionRef, ActionStatus, FollowUpLevel, GoalKey, IndicatorCode, Link,
};
use crate::format;
use crate::nyckeltal::{
    Arrow, Assessment, Catalogue, Evaluation, Gender, IndicatorCode as NyckeltalCode, IndicatorStatus,
    UpdateStatus,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;

/// The actions of one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelGroup<'a> {
    pub level: FollowUpLevel,
    pub actions: Vec<ActionRef<'a>>,
}

/// The plan's actions grouped by level: always three groups, strategic, tactical, operative.
pub fn group_by_level(plan: &ActionPlan) -> Vec<LevelGroup<'_>> {
    let all = plan.actions();
    FollowUpLevel::ALL
        .into_iter()
        .map(|level| LevelGroup {
            level,
            actions: all.iter().copied().filter(|r| r.action.level == level).collect(),
        })
        .collect()
}

/// Strategic view of one goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalIndicators {
    pub goal: GoalKey,
    pub text: String,
    /// Sorted, unique.
    pub indicators: Vec<IndicatorCode>,
    /// Keys of the goal's strategic-level actions.
    pub strategic_actions: Vec<ActionKey>,
}

/// Per goal (in plan order), its linked indicator codes and strategic actions.
pub fn strategic_view(plan: &ActionPlan) -> Vec<GoalIndicators> {
    plan.goals()
        .into_iter()
        .map(|(gk, g)| {
            let indicators: BTreeSet<IndicatorCode> = g.actions.iter().flat_map(|a| a.indicators()).collect();
            GoalIndicators {
                goal: gk,
                text: g.text.clone(),
                indicators: indicators.into_iter().collect(),
                strategic_actions: g
                    .actions
                    .iter()
                    .filter(|a| a.level == FollowUpLevel::Strategisk)
                    .map(|a| ActionKey { sub_goal: gk.sub_goal, goal: gk.goal, action: a.number })
                    .collect(),
            }
        })
        .collect()
}

/// Progress of the tactical actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TacticalProgress {
    /// Count per status, every status listed (zero included), in [`ActionStatus::ALL`] order.
    pub counts: Vec<(ActionStatus, usize)>,
    pub total: usize,
    /// The tactical actions with their latest status, in plan order.
    pub actions: Vec<(ActionKey, ActionStatus)>,
    /// "3 av 8 åtgärder pågår, 1 är klar, 1 är försenad och 3 är ej påbörjade." — only non-zero
    /// statuses; "Inga åtgärder på taktisk nivå." when there are none.
    pub text: String,
}

/// Counts tactical actions per latest status as of `as_of` (all updates when `None`).
pub fn tactical_progress(plan: &ActionPlan, as_of: Option<NaiveDate>) -> TacticalProgress {
    let actions: Vec<(ActionKey, ActionStatus)> = plan
        .actions()
        .into_iter()
        .filter(|r| r.action.level == FollowUpLevel::Taktisk)
        .map(|r| (r.key, r.action.latest_status(as_of)))
        .collect();
    let total = actions.len();
    let counts: Vec<(ActionStatus, usize)> =
        ActionStatus::ALL.into_iter().map(|s| (s, actions.iter().filter(|(_, a)| *a == s).count())).collect();
    let text = progress_text(&counts, total);
    TacticalProgress { counts, total, actions, text }
}

fn progress_text(counts: &[(ActionStatus, usize)], total: usize) -> String {
    if total == 0 {
        return "Inga åtgärder på taktisk nivå.".to_string();
    }
    // Order in the sentence: the most informative first.
    let order = [
        ActionStatus::Pagar,
        ActionStatus::Klar,
        ActionStatus::Forsenad,
        ActionStatus::Avbruten,
        ActionStatus::EjPaborjad,
    ];
    let parts: Vec<(ActionStatus, usize)> =
        order.iter().filter_map(|s| counts.iter().find(|(c, n)| c == s && *n > 0).copied()).collect();
    let verb = |s: ActionStatus, n: usize| -> String {
        let plural = n != 1;
        match s {
            ActionStatus::Pagar => "pågår".to_string(),
            ActionStatus::Klar => if plural { "är klara" } else { "är klar" }.to_string(),
            ActionStatus::Forsenad => if plural { "är försenade" } else { "är försenad" }.to_string(),
            ActionStatus::Avbruten => if plural { "är avbrutna" } else { "är avbruten" }.to_string(),
            ActionStatus::EjPaborjad => if plural { "är ej påbörjade" } else { "är ej påbörjad" }.to_string(),
        }
    };
    let noun = if total == 1 { "åtgärd" } else { "åtgärder" };
    let mut phrases = Vec::new();
    for (i, (s, n)) in parts.iter().enumerate() {
        if i == 0 {
            phrases.push(format!("{} {noun} {}", format::of(*n, total), verb(*s, *n)));
        } else {
            phrases.push(format!("{n} {}", verb(*s, *n)));
        }
    }
    format!("{}.", crate::format::join_sv(&phrases))
}

/// One operative action and the plan versus outcome of an activity type it links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperativeActivity {
    pub action: ActionKey,
    pub activity: String,
    /// `None` when the activity type is not in this year's annual plan.
    pub outcome: Option<PlanOutcome>,
}

/// For each operative action (plan order) and each activity type it links to (link order), the
/// activity's plan versus outcome in `annual` — held means Genomförd.
pub fn operative_view(plan: &ActionPlan, annual: &AnnualPlan) -> Vec<OperativeActivity> {
    plan.actions()
        .into_iter()
        .filter(|r| r.action.level == FollowUpLevel::Operativ)
        .flat_map(|r| {
            r.action.links.iter().filter_map(move |l| match l {
                Link::Aktivitet(name) => Some(OperativeActivity {
                    action: r.key,
                    activity: name.clone(),
                    outcome: annual.activity_type(name).map(|t| outcome_for(annual, t)),
                }),
                _ => None,
            })
        })
        .collect()
}

/// The trend of one linked indicator for a focus organisation (the region), read from a frozen
/// indicator edition's evaluation. Uses the total (T) line of indicators split by sex.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorTrend {
    pub code: IndicatorCode,
    /// Title in the edition's catalogue; empty when the code is not in it.
    pub title: String,
    pub arrow: Option<Arrow>,
    /// "↑", "↓", "→" or empty.
    pub symbol: &'static str,
    /// `None` for fact indicators and when there is nothing to compare.
    pub assessment: Option<Assessment>,
    /// "förbättrad", "försämrad", "oförändrad", or what there is instead ("ingen tidigare
    /// mätning", "värde saknas", "under utveckling", …).
    pub words: String,
    /// "ökat från 60,0 procent (2023)" or empty.
    pub change: String,
    /// Latest value with unit and period: "65,0 procent (2024)"; empty when there is none.
    pub latest: String,
}

/// The trend of `code` in `evaluation` (of the edition whose catalogue is `catalogue`).
pub fn indicator_trend(
    code: IndicatorCode,
    catalogue: &Catalogue,
    evaluation: &Evaluation,
) -> IndicatorTrend {
    let mut t = IndicatorTrend {
        code,
        title: String::new(),
        arrow: None,
        symbol: "",
        assessment: None,
        words: String::new(),
        change: String::new(),
        latest: String::new(),
    };
    let ind = NyckeltalCode::new(code.sub_goal(), code.number()).and_then(|c| catalogue.get(c));
    let Some(ind) = ind else {
        t.words = "finns inte i utgåvans nyckeltalskatalog".into();
        return t;
    };
    t.title = ind.title.clone();
    let result = evaluation.get(ind.code);
    if ind.status == IndicatorStatus::UnderDevelopment
        || result.is_none_or(|r| r.update == UpdateStatus::UnderDevelopment)
    {
        t.words = "under utveckling – visas utan värde".into();
        return t;
    }
    let Some(line) = result.and_then(|r| r.gender(Gender::T)) else {
        t.words = "värde saknas".into();
        return t;
    };
    let Some(latest) = line.latest else {
        t.words = "värde saknas".into();
        return t;
    };
    t.latest = format!("{} {} ({})", ind.format_value(latest.value), ind.unit, latest.period);
    match (line.change, line.previous) {
        (Some(c), Some(prev)) => {
            t.arrow = Some(c.arrow);
            t.symbol = match c.arrow {
                Arrow::Up => "↑",
                Arrow::Down => "↓",
                Arrow::Unchanged => "→",
            };
            t.assessment = c.assessment;
            t.change = format!(
                "{} från {} ({})",
                c.arrow.label(),
                crate::format::with_unit(&ind.format_value(prev.value), &ind.unit),
                prev.period
            );
            t.words = match c.assessment {
                Some(Assessment::Improved) => "förbättrad".into(),
                Some(Assessment::Worsened) => "försämrad".into(),
                Some(Assessment::Neutral) => "oförändrad".into(),
                None if c.arrow == Arrow::Unchanged => "oförändrad (faktanyckeltal, värderas inte)".into(),
                None => format!("{} (faktanyckeltal, värderas inte)", c.arrow.label()),
            };
        }
        _ => t.words = "ingen tidigare mätning att jämföra med".into(),
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trend_for(code: &str, values: &[(i32, f64)]) -> IndicatorTrend {
        use crate::nyckeltal::{default_catalogue, evaluate, Dataset, Observation, Period, Value};
        let cat = default_catalogue();
        let ic: NyckeltalCode = code.parse().unwrap();
        let split = cat.get(ic).is_some_and(|i| i.split_by_sex);
        let genders: &[Gender] = if split { &Gender::ALL } else { &[Gender::T] };
        let obs = values.iter().flat_map(|(y, v)| {
            genders.iter().map(move |g| Observation {
                indicator: ic,
                org: "0020".into(),
                period: Period(*y),
                gender: *g,
                value: Value::Number(*v),
            })
        });
        let data = Dataset::new(obs).unwrap();
        let eval = evaluate(&cat, &data, "0020", None);
        indicator_trend(IndicatorCode::parse(code).unwrap(), &cat, &eval)
    }

    #[test]
    fn indicator_trends_word_the_change_by_direction() {
        let up = trend_for("1.1", &[(2023, 60.0), (2024, 65.0)]);
        assert_eq!((up.symbol, up.words.as_str()), ("↑", "förbättrad"));
        assert_eq!(up.latest, "65,0 procent (2024)");
        assert_eq!(up.change, "ökat från 60,0 procent (2023)");
        let down = trend_for("1.1", &[(2023, 60.0), (2024, 55.0)]);
        assert_eq!((down.symbol, down.words.as_str()), ("↓", "försämrad"));
        let same = trend_for("1.1", &[(2023, 60.0), (2024, 60.0)]);
        assert_eq!((same.symbol, same.words.as_str()), ("→", "oförändrad"));
        let fact = trend_for("2.3", &[(2023, 6.0), (2024, 7.0)]);
        assert_eq!(fact.words, "ökat (faktanyckeltal, värderas inte)");
        assert_eq!(trend_for("1.1", &[(2024, 60.0)]).words, "ingen tidigare mätning att jämföra med");
        assert_eq!(trend_for("1.1", &[]).words, "värde saknas");
        assert!(trend_for("2.2", &[]).words.starts_with("under utveckling"));
    }
}
