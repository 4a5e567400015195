//! Tests of `gnv_core::planering::handlingsplan` on the example action plan of
//! `gnv_exempel::planering`.

use chrono::NaiveDate;
use gnv_core::organisation::dalarna;
use gnv_core::planering::handlingsplan::org_labels;
use gnv_core::planering::{
    diff, Action, ActionKey, ActionPlanVersion, ActionStatus, ChangeKind, ChangeTarget, FollowUpLevel, Goal,
    GoalKey, Link, Period, StatusUpdate, TimeFrame,
};
use gnv_exempel::planering::{demo_action_plan, demo_plan_2026};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn key(s: u8, g: u8, a: u8) -> ActionKey {
    ActionKey { sub_goal: s, goal: g, action: a }
}

#[test]
fn demo_plan_is_valid_and_labelled_as_example() {
    let plan = demo_action_plan();
    assert!(plan.validate(&dalarna()).is_ok(), "{:?}", plan.validate(&dalarna()));
    assert!(plan.title.contains("Exempel – utkast"));
    assert_eq!(plan.period.label(), "2026–2030");
    assert_eq!(plan.sections.len(), 5);
    for s in &plan.sections {
        assert_eq!(s.goals.len(), 2);
        assert!(s.goals.iter().all(|g| (2..=3).contains(&g.actions.len())));
    }
    let roles: Vec<(&str, String)> =
        plan.organisation.roles().into_iter().map(|(r, c)| (r, org_labels(&c, &dalarna()))).collect();
    assert_eq!(
        roles,
        vec![
            ("Beställare", "Välfärdsrådet och Länschefsnätverket".to_string()),
            ("Uppdragsägare", "Länschefsnätverket".to_string()),
            ("Styrgrupp", "Styrgruppen för Länschefsnätverket".to_string()),
            ("Uppdragsledare", "RSS Dalarna".to_string()),
            ("Mottagare", "Länschefsnätverket".to_string()),
            ("Mottagare av slutredovisning", "Välfärdsrådet".to_string()),
        ]
    );
    let names = demo_plan_2026();
    let names: Vec<&str> = names.activity_types.iter().map(|t| t.name.as_str()).collect();
    assert!(plan.unknown_activity_links(&names).is_empty());
}

#[test]
fn validation_of_time_frames_links_and_organisations() {
    let mut plan = demo_action_plan();
    plan.sections[0].goals[0].actions[0].time_frame = TimeFrame::new(2029, 2031).unwrap();
    plan.sections[0].goals[0].actions[1].responsible = "skr".into();
    plan.sections[0].goals[1].actions[0].links.push(Link::Delmal(6));
    plan.sections[1].goals[0].actions[1].number = 1;
    plan.organisation.leader = "konsult".into();
    let texts: Vec<String> = plan.validate(&dalarna()).unwrap_err().0.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        texts,
        vec![
            "fält uppdragsorganisation – uppdragsledare: \"konsult\" finns inte i organisationsregistret.",
            "fält åtgärd 1.1.1 – tidsram: Tidsramen 2029–2031 ligger utanför planens period 2026–2030.",
            "fält åtgärd 1.1.2 – ansvarig: Ansvarig \"skr\" finns inte i organisationsregistret.",
            "fält åtgärd 1.2.1 – kopplingar: Delmål 6 finns inte (1–5).",
            "fält åtgärd 2.1.1 – nummer: Åtgärd 2.1.1: numret saknas eller förekommer mer än en gång.",
        ]
    );
    assert!(TimeFrame::new(2028, 2027).is_err());
    assert!(Period::new(2030, 2026).is_err());
    let bad: Result<TimeFrame, _> = serde_json::from_str("[2028,2026]");
    assert!(bad.is_err());
}

#[test]
fn latest_status_follows_dates_not_insertion_order() {
    let mut plan = demo_action_plan();
    let k = key(4, 1, 2);
    assert_eq!(plan.action(k).unwrap().latest_status(None), ActionStatus::EjPaborjad);
    let up = |d, s| StatusUpdate { date: d, status: s, comment: String::new() };
    plan.record_update(k, up(date(2026, 9, 1), ActionStatus::Forsenad)).unwrap();
    plan.record_update(k, up(date(2026, 3, 1), ActionStatus::Pagar)).unwrap();
    let a = plan.action(k).unwrap();
    assert_eq!(a.latest_status(None), ActionStatus::Forsenad);
    assert_eq!(a.latest_status(Some(date(2026, 6, 30))), ActionStatus::Pagar);
    assert_eq!(a.latest_status(Some(date(2026, 1, 1))), ActionStatus::EjPaborjad);
    let err = plan.record_update(k, up(date(2031, 1, 1), ActionStatus::Klar)).unwrap_err();
    assert_eq!(err.to_string(), "fält datum: Datumet 2031-01-01 ligger utanför planens period 2026–2030.");
    let err = plan.record_update(key(9, 9, 9), up(date(2027, 1, 1), ActionStatus::Klar)).unwrap_err();
    assert_eq!(err.to_string(), "fält åtgärd: Åtgärd 9.9.9 finns inte i planen.");
}

#[test]
fn review_creates_new_version_and_diff_describes_it() {
    let reg = dalarna();
    let v1 = ActionPlanVersion::first(demo_action_plan(), 2026, &reg).unwrap();
    let original = v1.clone();
    let v2 = v1
        .review(2027, &reg, |p| {
            p.title = p.title.replace("(Exempel – utkast)", "(Exempel – reviderad 2027)");
            let g = &mut p.sections[1].goals[1];
            g.actions[0].responsible = "lchnv".into();
            g.actions[0].time_frame = TimeFrame::new(2026, 2028).unwrap();
            g.actions.remove(2);
            p.sections[2].goals[0].text = "Digitala lösningar används där de gagnar invånaren.".into();
            p.sections[4].goals.push(Goal {
                number: 3,
                text: "Psykisk hälsa främjas i alla åldrar.".into(),
                actions: vec![Action {
                    number: 1,
                    text: "Kartlägga förebyggande insatser för psykisk hälsa.".into(),
                    responsible: "rss".into(),
                    time_frame: TimeFrame::year(2027),
                    level: FollowUpLevel::Taktisk,
                    links: vec![],
                    updates: vec![],
                }],
            });
        })
        .unwrap();
    assert_eq!(v1, original, "the old version is never mutated");
    assert_eq!((v2.version, v2.review_year), (2, 2027));
    let descriptions: Vec<String> =
        diff(&v1.plan, &v2.plan, &reg).into_iter().map(|c| c.description).collect();
    assert_eq!(
        descriptions,
        vec![
            "Planen: titel ändrad från ”Regional handlingsplan för God och nära vård i Dalarna 2026–2030 (Exempel – utkast)” till ”Regional handlingsplan för God och nära vård i Dalarna 2026–2030 (Exempel – reviderad 2027)”.",
            "Åtgärd 2.2.1: ansvarig ändrad från ”Samtliga lokala systemledningar” till ”Länschefsnätverket”.",
            "Åtgärd 2.2.1: tidsram ändrad från ”2026–2030” till ”2026–2028”.",
            "Åtgärd 2.2.3 har tagits bort: ”Sprida arbetssätt för fast omsorgskontakt och fast läkarkontakt.”.",
            "Mål 3.1: text ändrad från ”Digitala och mobila lösningar används där de gagnar invånaren.” till ”Digitala lösningar används där de gagnar invånaren.”.",
            "Mål 5.3 har lagts till: ”Psykisk hälsa främjas i alla åldrar.”.",
            "Åtgärd 5.3.1 har lagts till: ”Kartlägga förebyggande insatser för psykisk hälsa.”.",
        ]
    );
    assert!(diff(&v2.plan, &v2.plan, &reg).is_empty());
    // Removing a goal lists its actions as removed too.
    let v3 = v2
        .review(2028, &reg, |p| {
            p.sections[0].goals.remove(1);
        })
        .unwrap();
    let changes = diff(&v2.plan, &v3.plan, &reg);
    assert_eq!(changes.len(), 3);
    assert!(matches!(changes[0].target, ChangeTarget::Goal(GoalKey { sub_goal: 1, goal: 2 })));
    assert!(changes.iter().all(|c| matches!(c.kind, ChangeKind::Removed { .. })));
}

#[test]
fn review_rules() {
    let reg = dalarna();
    let v1 = ActionPlanVersion::first(demo_action_plan(), 2026, &reg).unwrap();
    let err = v1.review(2026, &reg, |_| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "fält översynsår: Översynsåret 2026 måste vara senare än föregående versions år 2026."
    );
    assert!(v1.review(2031, &reg, |_| {}).unwrap_err().to_string().contains("utanför planens period"));
    // An invalid edit is refused and gives no version.
    let err = v1.review(2027, &reg, |p| p.sections[0].goals[0].text.clear()).unwrap_err();
    assert_eq!(err.to_string(), "fält mål: Mål 1.1 saknar text.");
    assert!(ActionPlanVersion::first(demo_action_plan(), 2025, &reg).is_err());
}

#[test]
fn status_updates_show_in_diff() {
    let reg = dalarna();
    let v1 = ActionPlanVersion::first(demo_action_plan(), 2026, &reg).unwrap();
    let v2 = v1
        .review(2027, &reg, |p| {
            p.record_update(
                key(4, 2, 1),
                StatusUpdate {
                    date: date(2026, 10, 20),
                    status: ActionStatus::Klar,
                    comment: "Genomfört i Borlänge".into(),
                },
            )
            .unwrap();
        })
        .unwrap();
    let d = diff(&v1.plan, &v2.plan, &reg);
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].description,
        "Åtgärd 4.2.1: senaste status ändrad från ”Ej påbörjad” till ”Klar (2026-10-20)”."
    );
}

#[test]
fn versions_round_trip_through_json() {
    let v = ActionPlanVersion::first(demo_action_plan(), 2026, &dalarna()).unwrap();
    let json = serde_json::to_string(&v).unwrap();
    let back: ActionPlanVersion = serde_json::from_str(&json).unwrap();
    assert_eq!(back, v);
    assert!(json.contains("\"2.4\""), "indicator codes stored as text");
}
