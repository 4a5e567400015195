//! Tests of `gnv_core::planering::aktivitet` on the example plans of `gnv_exempel::planering`.

use chrono::NaiveDate;
use gnv_core::organisation::dalarna;
use gnv_core::planering::aktivitet::{new_plan, OccurrenceInput};
use gnv_core::planering::{
    attendance_summary, not_reached, plan_vs_outcome, year_attendance, AnnualPlan, Attendance, Format,
    Fulfilment, Occurrence, OccurrenceStatus, Reason,
};
use gnv_exempel::planering::{
    demo_plan_2026, demo_support_2024, INFORMATIONSFORUM, NATVERKSTRAFFAR, SYSTEMLEDNINGSFORUM,
};
use std::collections::BTreeSet;

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn reason(text: &str) -> Reason {
    Reason::new(text).unwrap()
}

fn held(activity: &str, date: NaiveDate, attendance: Attendance) -> Occurrence {
    Occurrence {
        activity: activity.to_string(),
        title: String::new(),
        date,
        format: Format::Digitalt,
        status: OccurrenceStatus::Genomford,
        attendance,
        participants: None,
        note: String::new(),
    }
}

#[test]
fn new_plan_copies_types_but_not_occurrences() {
    let mut old = demo_plan_2026();
    old.occurrences.push(held(
        NATVERKSTRAFFAR,
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        Attendance::default(),
    ));
    let p = new_plan(2027, Some(&old));
    assert_eq!(p.year, 2027);
    let labels: Vec<String> = p.activity_types.iter().map(|t| t.frequency.label()).collect();
    assert_eq!(labels, vec!["2 ggr/år (vår + höst)", "4–5 ggr/år", "1 g/år (höst 2027)"]);
    assert_eq!(p.activity_types[1], old.activity_types[1]);
    assert!(p.occurrences.is_empty());
    assert!(new_plan(2027, None).activity_types.is_empty());
}

#[test]
fn demo_plan_matches_seed_004() {
    let plan = demo_plan_2026();
    assert_eq!(plan.year, 2026);
    assert_eq!(plan.activity_types.len(), 3);
    let rows: Vec<(&str, &str, &str, String)> = plan
        .activity_types
        .iter()
        .map(|t| (t.name.as_str(), t.target_group.as_str(), t.format.label(), t.frequency.label()))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Regionalt informationsforum", "Alla", "Digitalt", "2 ggr/år (vår + höst)".to_string()),
            (
                "Regionala nätverksträffar",
                "Lokala systemledningar",
                "Digitalt och/eller fysiskt",
                "4–5 ggr/år".to_string()
            ),
            (
                "Systemledningsforum God och nära vård i Dalarna",
                "Representanter från regional och lokal systemledning",
                "Fysiskt",
                "1 g/år (höst 2026)".to_string()
            ),
        ]
    );
    assert_eq!(
        plan.activity_types[1].purpose,
        "Lärande dialog – nuläge och behov i omställningens samverkansfrågor"
    );
    assert!(plan.activity_types[2].purpose.starts_with("Fördjupad dialog mellan SL-nivåer"));
    assert!(plan.validate(&dalarna()).is_ok());
    assert!(demo_support_2024().validate(&dalarna()).is_ok());
}

#[test]
fn validation_names_the_field_in_swedish() {
    let mut plan = demo_plan_2026();
    plan.occurrences.push(held(
        NATVERKSTRAFFAR,
        ymd(2025, 11, 20),
        Attendance { lsls: set(&["lsl-okand"]), ..Default::default() },
    ));
    plan.occurrences.push(held(
        "",
        ymd(2026, 3, 5),
        Attendance { municipalities: set(&["2099"]), bodies: set(&["smhi"]), ..Default::default() },
    ));
    plan.occurrences.push(held("Sommarfest", ymd(2026, 6, 5), Attendance::default()));
    let errors = plan.validate(&dalarna()).unwrap_err();
    let texts: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        texts,
        vec![
            "rad 1, fält datum: Datumet 2025-11-20 ligger utanför planens år 2026.",
            "rad 1, fält deltagande systemledningar: Den lokala systemledningen \"lsl-okand\" finns inte i organisationsregistret.",
            "rad 2, fält aktivitet: Tillfället saknar aktivitetstyp.",
            "rad 2, fält deltagande kommuner: Kommunen \"2099\" finns inte i organisationsregistret.",
            "rad 2, fält deltagande organ: Organet \"smhi\" finns inte i organisationsregistret.",
            "rad 3, fält aktivitet: Aktivitetstypen \"Sommarfest\" finns inte i årsplanen för 2026.",
        ]
    );
}

#[test]
fn duplicate_type_names_are_refused() {
    let mut plan = demo_plan_2026();
    let copy = plan.activity_types[0].clone();
    plan.activity_types.push(copy);
    let errors = plan.validate(&dalarna()).unwrap_err();
    assert!(errors.to_string().contains("finns mer än en gång"));
}

#[test]
fn plan_vs_outcome_counts_only_held() {
    let mut plan = demo_plan_2026();
    let a = Attendance::default;
    plan.occurrences.push(held(INFORMATIONSFORUM, ymd(2026, 3, 12), a()));
    plan.occurrences.push(held(INFORMATIONSFORUM, ymd(2026, 10, 8), a()));
    for d in [ymd(2026, 2, 10), ymd(2026, 4, 14), ymd(2026, 9, 22)] {
        plan.occurrences.push(held(NATVERKSTRAFFAR, d, a()));
    }
    let mut postponed = held(NATVERKSTRAFFAR, ymd(2026, 6, 2), a());
    postponed.status = OccurrenceStatus::Framflyttad(reason("Krockade med budgetarbetet"));
    plan.occurrences.push(postponed);
    let mut forum = held(SYSTEMLEDNINGSFORUM, ymd(2026, 10, 22), a());
    forum.status = OccurrenceStatus::Planerad;
    plan.occurrences.push(forum);

    let out = plan_vs_outcome(&plan);
    let texts: Vec<&str> = out.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(
        texts,
        vec!["2 av 2 informationsforum", "3 av 4–5 nätverksträffar", "0 av 1 systemledningsforum"]
    );
    assert_eq!(out[0].fulfilment, Fulfilment::Uppnatt);
    assert_eq!(out[1].fulfilment, Fulfilment::BehoverPlaneras);
    assert_eq!(out[1].postponed, 1);
    assert_eq!(out[2].fulfilment, Fulfilment::PaVag);
    assert_eq!(out[2].planned, 1);
}

#[test]
fn attendance_of_the_second_network_meeting_2024() {
    let plan = demo_support_2024();
    let reg = dalarna();
    let meeting = plan.occurrences.iter().find(|o| o.title.starts_with("Nätverksträff höst")).unwrap();
    let s = attendance_summary(meeting, &reg);
    assert_eq!(s.text, "6 av 13 systemledningar, som omfattar 8 av 15 kommuner");
    assert_eq!(s.bodies_text, "Representation fanns också från Välfärdsrådet och Länschefsnätverket.");
}

#[test]
fn direct_municipality_counts_its_lsl_but_not_its_partner() {
    let reg = dalarna();
    let o = held(
        NATVERKSTRAFFAR,
        ymd(2026, 2, 1),
        Attendance { municipalities: set(&["2085"]), ..Default::default() },
    );
    let s = attendance_summary(&o, &reg);
    assert_eq!(s.text, "1 av 13 systemledningar, som omfattar 1 av 15 kommuner");
    assert!(s.lsls.contains("lsl-vasterbergslagen"));
    let nobody = held(NATVERKSTRAFFAR, ymd(2026, 2, 1), Attendance::default());
    assert_eq!(attendance_summary(&nobody, &reg).text, "0 av 13 systemledningar");
}

#[test]
fn year_attendance_and_not_reached() {
    let plan = demo_support_2024();
    let reg = dalarna();
    let year = year_attendance(&plan, &reg, None);
    // Conference: all 15 municipalities directly → all 13 LSLs.
    assert_eq!(year.text, "13 av 13 systemledningar, som omfattar 15 av 15 kommuner");
    assert_eq!(
        not_reached(&plan, &reg).sentence,
        "Alla systemledningar har deltagit i minst en aktivitet under 2024."
    );
    let network = year_attendance(&plan, &reg, Some("Regionalt nätverk God och nära vård"));
    assert_eq!(network.text, "6 av 13 systemledningar, som omfattar 8 av 15 kommuner");

    // Without the conference, seven LSLs were not reached.
    let mut without = plan.clone();
    without.occurrences.retain(|o| !o.activity.starts_with("Regional konferens"));
    let nr = not_reached(&without, &reg);
    assert_eq!(nr.lsls.len(), 13 - 7);
    assert_eq!(
        nr.sentence,
        "Följande systemledningar har inte deltagit i någon aktivitet under 2024 och kan \
         behöva stöd: Malung-Sälen, Leksand, Rättvik, Älvdalen, Mora och Säter."
    );
    assert!(!nr.sentence.contains("inte tagit"), "neutral wording");
}

#[test]
fn not_held_occurrences_do_not_reach_anyone() {
    let reg = dalarna();
    let mut plan = demo_plan_2026();
    let mut o =
        held(NATVERKSTRAFFAR, ymd(2026, 5, 5), Attendance { lsls: set(&["lsl-mora"]), ..Default::default() });
    o.status = OccurrenceStatus::Planerad;
    plan.occurrences.push(o.clone());
    assert_eq!(not_reached(&plan, &reg).lsls.len(), 13);
    o.status = OccurrenceStatus::Genomford;
    plan.occurrences.push(o);
    let nr = not_reached(&plan, &reg);
    assert_eq!(nr.lsls.len(), 12);
    assert!(!nr.sentence.contains("Mora"));
}

#[test]
fn single_lsl_not_reached_uses_singular() {
    let reg = dalarna();
    let mut plan = demo_plan_2026();
    let all_but_orsa: Vec<String> =
        reg.lsls.iter().map(|l| l.code.clone()).filter(|c| c != "lsl-orsa").collect();
    plan.occurrences.push(held(
        NATVERKSTRAFFAR,
        ymd(2026, 5, 5),
        Attendance { lsls: all_but_orsa.into_iter().collect(), ..Default::default() },
    ));
    assert_eq!(
        not_reached(&plan, &reg).sentence,
        "Följande systemledning har inte deltagit i någon aktivitet under 2026 och kan behöva stöd: Orsa."
    );
}

#[test]
fn occurrence_input_is_parsed_and_checked() {
    let plan = demo_plan_2026();
    let reg = dalarna();
    let input = OccurrenceInput {
        activity: " Regionala nätverksträffar ".into(),
        date: "2026-02-12".into(),
        status: "Genomförd".into(),
        lsls: vec!["lsl-mora".into(), " ".into()],
        municipalities: vec!["2084".into()],
        participants: "1 2".into(),
        ..Default::default()
    };
    let o = input.parse(&plan, &reg, 1).unwrap();
    assert_eq!(o.format, Format::DigitaltOchEllerFysiskt, "defaults to the type's format");
    assert_eq!(o.participants, Some(12));
    assert_eq!(o.attendance.lsls.len(), 1);
    assert_eq!(attendance_summary(&o, &reg).text, "2 av 13 systemledningar, som omfattar 2 av 15 kommuner");

    let bad = OccurrenceInput {
        activity: NATVERKSTRAFFAR.into(),
        date: "12/2 2026".into(),
        format: "Telefon".into(),
        status: "Inställd".into(),
        participants: "många".into(),
        ..Default::default()
    };
    let texts: Vec<String> = bad.parse(&plan, &reg, 4).unwrap_err().0.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        texts,
        vec![
            "rad 4, fält datum: \"12/2 2026\" är inte ett datum på formen ÅÅÅÅ-MM-DD.",
            "rad 4, fält format: \"Telefon\" är inget känt format. Ange Digitalt, Fysiskt eller Digitalt och/eller fysiskt.",
            "rad 4, fält orsak: En orsak måste anges när status är Inställd.",
            "rad 4, fält antal deltagare: \"många\" är inget heltal.",
        ]
    );
    let late = OccurrenceInput { date: "2027-01-15".into(), ..input };
    assert_eq!(
        late.parse(&plan, &reg, 2).unwrap_err().to_string(),
        "rad 2, fält datum: Datumet 2027-01-15 ligger utanför planens år 2026."
    );
}

#[test]
fn plans_round_trip_through_json() {
    let plan = demo_support_2024();
    let json = serde_json::to_string(&plan).unwrap();
    let back: AnnualPlan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, plan);
}
