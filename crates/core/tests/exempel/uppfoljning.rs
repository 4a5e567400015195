//! Tests of `gnv_core::planering::uppfoljning` on the example plans of `gnv_exempel::planering`.

use chrono::NaiveDate;
use gnv_core::planering::uppfoljning::OperativeActivity;
use gnv_core::planering::{
    group_by_level, operative_view, strategic_view, tactical_progress, ActionKey, ActionStatus, AnnualPlan,
    Attendance, FollowUpLevel, Format, GoalKey, Occurrence, OccurrenceStatus, StatusUpdate,
};
use gnv_exempel::planering::{demo_action_plan, demo_plan_2026, NATVERKSTRAFFAR};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn every_action_in_exactly_one_level() {
    let plan = demo_action_plan();
    let groups = group_by_level(&plan);
    assert_eq!(groups.iter().map(|g| g.level).collect::<Vec<_>>(), FollowUpLevel::ALL.to_vec());
    let total: usize = groups.iter().map(|g| g.actions.len()).sum();
    assert_eq!(total, plan.actions().len());
    assert!(groups.iter().all(|g| !g.actions.is_empty()));
}

#[test]
fn strategic_view_lists_indicators_per_goal() {
    let plan = demo_action_plan();
    let view = strategic_view(&plan);
    assert_eq!(view.len(), 10);
    let g22 = view.iter().find(|g| g.goal == GoalKey { sub_goal: 2, goal: 2 }).unwrap();
    let codes: Vec<String> = g22.indicators.iter().map(|c| c.to_string()).collect();
    assert_eq!(codes, vec!["2.2", "2.4"]);
    assert_eq!(g22.strategic_actions, vec![ActionKey { sub_goal: 2, goal: 2, action: 2 }]);
    let g42 = view.iter().find(|g| g.goal == GoalKey { sub_goal: 4, goal: 2 }).unwrap();
    assert_eq!(g42.indicators.iter().map(|c| c.to_string()).collect::<Vec<_>>(), vec!["4.2", "4.3", "4.4"]);
}

#[test]
fn tactical_progress_counts_latest_status() {
    let mut plan = demo_action_plan();
    let tactical: Vec<ActionKey> = group_by_level(&plan)[1].actions.iter().map(|r| r.key).collect();
    assert_eq!(tactical.len(), 7);
    let before = tactical_progress(&plan, None);
    assert_eq!(before.text, "7 av 7 åtgärder är ej påbörjade.");
    let up = |d, s| StatusUpdate { date: d, status: s, comment: String::new() };
    plan.record_update(tactical[0], up(date(2026, 3, 1), ActionStatus::Pagar)).unwrap();
    plan.record_update(tactical[0], up(date(2026, 11, 1), ActionStatus::Klar)).unwrap();
    plan.record_update(tactical[1], up(date(2026, 4, 1), ActionStatus::Pagar)).unwrap();
    plan.record_update(tactical[2], up(date(2026, 4, 1), ActionStatus::Pagar)).unwrap();
    plan.record_update(tactical[3], up(date(2026, 5, 1), ActionStatus::Forsenad)).unwrap();
    let p = tactical_progress(&plan, None);
    assert_eq!(p.total, 7);
    assert_eq!(p.text, "2 av 7 åtgärder pågår, 1 är klar, 1 är försenad och 3 är ej påbörjade.");
    assert_eq!(p.counts.iter().map(|(_, n)| n).sum::<usize>(), 7);
    // As of mid-year the first action was still in progress.
    let mid = tactical_progress(&plan, Some(date(2026, 6, 30)));
    assert_eq!(mid.text, "3 av 7 åtgärder pågår, 1 är försenad och 3 är ej påbörjade.");
}

#[test]
fn operative_view_joins_activities_held_against_planned() {
    let plan = demo_action_plan();
    let mut annual = demo_plan_2026();
    for (m, status) in [
        (2, OccurrenceStatus::Genomford),
        (4, OccurrenceStatus::Genomford),
        (9, OccurrenceStatus::Genomford),
        (11, OccurrenceStatus::Planerad),
    ] {
        annual.occurrences.push(Occurrence {
            activity: NATVERKSTRAFFAR.into(),
            title: String::new(),
            date: date(2026, m, 10),
            format: Format::Digitalt,
            status,
            attendance: Attendance::default(),
            participants: None,
            note: String::new(),
        });
    }
    let view = operative_view(&plan, &annual);
    let network: Vec<&OperativeActivity> = view.iter().filter(|o| o.activity == NATVERKSTRAFFAR).collect();
    assert_eq!(network.len(), 3);
    for o in &network {
        assert_eq!(o.outcome.as_ref().unwrap().text, "3 av 4–5 nätverksträffar");
    }
    assert!(view.iter().all(|o| o.outcome.is_some()));
    // An activity missing from the year's plan has no outcome rather than a made-up zero.
    let empty = AnnualPlan { year: 2027, activity_types: vec![], occurrences: vec![] };
    assert!(operative_view(&plan, &empty).iter().all(|o| o.outcome.is_none()));
}

#[test]
fn no_tactical_actions() {
    let mut plan = demo_action_plan();
    for s in &mut plan.sections {
        for g in &mut s.goals {
            g.actions.retain(|a| a.level != FollowUpLevel::Taktisk);
        }
    }
    assert_eq!(tactical_progress(&plan, None).text, "Inga åtgärder på taktisk nivå.");
}
