//! Tests of `gnv_core::planering::kalender` on the reporting calendar 2026 of
//! `gnv_exempel::planering`, and of the meeting form beside them.

use chrono::NaiveDate;
use gnv_core::organisation::dalarna;
use gnv_core::planering::{
    upcoming, DeliverableInput, DeliverableStatus, MeetingDate, MeetingInput, ReportingCalendar,
};
use gnv_exempel::planering::{demo_calendar_2026, proposals_2026_01_29};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn meeting_input() -> MeetingInput {
    MeetingInput {
        body: "vfr".into(),
        date: "2026-06-11".into(),
        quarter: String::new(),
        title: "Välfärdsrådet".into(),
        deliverables: vec![
            DeliverableInput { kind: "Handlingsplan".into(), description: "Redovisning R HPL".into() },
            DeliverableInput::default(),
            DeliverableInput { kind: "Årsrapport".into(), description: String::new() },
        ],
    }
}

#[test]
fn meeting_input_parses_and_keeps_id_statuses_and_proposals_when_editing() {
    let reg = dalarna();
    let m = meeting_input().parse(2026, None, &reg).unwrap();
    assert_eq!(m.id, "vfr-2026-06-11");
    assert_eq!(m.date, MeetingDate::Datum(date(2026, 6, 11)));
    assert_eq!(m.deliverables.len(), 2, "empty rows are skipped");
    assert_eq!(m.deliverables[1].description, "Årsrapport", "kind label when no description");
    let mut stored = m.clone();
    stored.deliverables[0].status = DeliverableStatus::Levererad;
    stored.proposals = proposals_2026_01_29();
    let edited = MeetingInput { date: "2026-06-12".into(), ..MeetingInput::from_meeting(&stored) }
        .parse(2026, Some(&stored), &reg)
        .unwrap();
    assert_eq!(edited.id, "vfr-2026-06-11", "the id is stable");
    assert_eq!(edited.deliverables[0].status, DeliverableStatus::Levererad);
    assert_eq!(edited.proposals.len(), 3);
    let undated = MeetingInput { date: String::new(), quarter: "4".into(), ..meeting_input() }
        .parse(2026, None, &reg)
        .unwrap();
    assert_eq!(undated.id, "vfr-2026-k4");
}

#[test]
fn demo_calendar_matches_seed_004() {
    let cal = demo_calendar_2026();
    assert!(cal.validate(&dalarna()).is_ok());
    assert_eq!(cal.meetings.len(), 11);
    let rows: Vec<(String, &str)> = cal.meetings.iter().map(|m| (m.date.label(), m.body.as_str())).collect();
    let expected = [
        ("2026-01-29", "lchnv"),
        ("2026-03-02", "lchnv-styrgrupp"),
        ("2026-03-20", "lchnv"),
        ("2026-05-05", "lchnv-styrgrupp"),
        ("2026-05-22", "lchnv"),
        ("2026-06-11", "vfr"),
        ("2026-08-24", "lchnv-styrgrupp"),
        ("2026-09-08", "lchnv"),
        ("2026-09-17", "vfr"),
        ("Datum ej satt (kvartal 4 2026)", "lchnv-styrgrupp"),
        ("2026-11-12", "lchnv"),
    ];
    assert_eq!(rows, expected.iter().map(|(d, b)| (d.to_string(), *b)).collect::<Vec<_>>());
    assert_eq!(cal.meetings_of("lchnv").count(), 5);
    assert_eq!(cal.meetings_of("vfr").count(), 2);
    assert_eq!(cal.meetings_of("lchnv-styrgrupp").count(), 4);
    // Already in calendar order.
    assert_eq!(cal.clone().sorted(), cal);

    let may = &cal.meetings[4];
    let kinds: Vec<&str> = may.deliverables.iter().map(|d| d.kind.label()).collect();
    assert_eq!(kinds, vec!["Handlingsplan", "Årsrapport"]);
    assert_eq!(may.deliverables[1].description, "Årsrapport 2025");
    assert_eq!(cal.meetings[5].deliverables, may.deliverables, "VFR 11 juni: samma");
    assert_eq!(cal.meetings[10].deliverables[0].description, "Summering av GNV 2026");
}

#[test]
fn proposals_of_29_january() {
    let cal = demo_calendar_2026();
    let props: Vec<(&str, u32, &str)> =
        cal.proposals().map(|(m, p)| (m.id.as_str(), p.number, p.text.as_str())).collect();
    assert_eq!(props.len(), 3);
    assert!(props.iter().all(|(id, _, _)| *id == "lchnv-2026-01-29"));
    assert_eq!(
        props[0].2,
        "att anta förslaget om årsplanering 2026 för fokusområde och samverkansaktiviteter."
    );
    assert!(props[1].2.contains("styrgruppen för Länschefsnätverket utgöra nätverkets representation"));
    assert!(props[2].2.starts_with("att anta den föreslagna uppdragsbeskrivningen"));
    assert_eq!(props.iter().map(|p| p.1).collect::<Vec<_>>(), vec![1, 2, 3]);
}

#[test]
fn calendar_validation_messages() {
    let mut cal = demo_calendar_2026();
    cal.meetings[1].body = "kommunfullmaktige".into();
    cal.meetings[2].date = MeetingDate::Datum(date(2025, 12, 1));
    cal.meetings[3].id = cal.meetings[0].id.clone();
    cal.meetings[0].proposals.swap(0, 1);
    let texts: Vec<String> = cal.validate(&dalarna()).unwrap_err().0.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        texts,
        vec![
            "rad 1, fält förslag: Förslagen ska numreras 1, 2, 3 …; förslag nummer 2 står på plats 1.",
            "rad 1, fält förslag: Förslagen ska numreras 1, 2, 3 …; förslag nummer 1 står på plats 2.",
            "rad 2, fält organ: Organet \"kommunfullmaktige\" finns inte i organisationsregistret.",
            "rad 3, fält datum: Mötesdatumet 2025-12-01 ligger utanför kalenderns år 2026.",
            "rad 4, fält id: Mötes-id \"lchnv-2026-01-29\" finns mer än en gång.",
        ]
    );
}

#[test]
fn upcoming_deadlines() {
    let cal = demo_calendar_2026();
    let next = upcoming(&cal, date(2026, 5, 21), 3);
    let ids: Vec<(&str, &str)> = next.iter().map(|u| (u.meeting.id.as_str(), u.when.as_str())).collect();
    assert_eq!(
        ids,
        vec![
            ("lchnv-2026-05-22", "i morgon"),
            ("vfr-2026-06-11", "om 21 dagar"),
            ("lchnv-styrgrupp-2026-08-24", "om 95 dagar"),
        ]
    );
    // On the day itself the meeting is still upcoming.
    assert_eq!(upcoming(&cal, date(2026, 1, 29), 1)[0].when, "i dag");
    // In November the Q4 steering group meeting (no date) comes first, then 12 Nov.
    let nov = upcoming(&cal, date(2026, 11, 1), 5);
    assert_eq!(nov.len(), 2);
    assert_eq!(nov[0].when, "datum ej satt (kvartal 4 2026)");
    assert_eq!(nov[0].days_left, None);
    assert_eq!(nov[1].days_left, Some(11));
    // After the last day of the year nothing is upcoming; n = 0 gives nothing.
    assert!(upcoming(&cal, date(2027, 1, 1), 5).is_empty());
    assert!(upcoming(&cal, date(2026, 1, 1), 0).is_empty());
}

#[test]
fn calendar_round_trips_through_json() {
    let cal = demo_calendar_2026();
    let back: ReportingCalendar = serde_json::from_str(&serde_json::to_string(&cal).unwrap()).unwrap();
    assert_eq!(back, cal);
}

#[test]
fn meeting_input_errors_name_the_field() {
    let reg = dalarna();
    let fields = |i: MeetingInput| -> Vec<String> {
        i.parse(2026, None, &reg).unwrap_err().0.into_iter().filter_map(|e| e.location.field).collect()
    };
    let e =
        MeetingInput { date: "2025-12-01".into(), ..meeting_input() }.parse(2026, None, &reg).unwrap_err();
    assert_eq!(e.0[0].message, "Mötesdatumet 2025-12-01 ligger utanför kalenderns år 2026.");
    assert_eq!(fields(MeetingInput { body: "okänt".into(), ..meeting_input() }), vec!["organ"]);
    assert_eq!(fields(MeetingInput { date: String::new(), ..meeting_input() }), vec!["datum"]);
    assert_eq!(
        fields(MeetingInput { date: String::new(), quarter: "5".into(), ..meeting_input() }),
        vec!["kvartal"]
    );
    assert_eq!(fields(MeetingInput { title: " ".into(), ..meeting_input() }), vec!["rubrik"]);
    let mut no_kind = meeting_input();
    no_kind.deliverables[2] = DeliverableInput { kind: String::new(), description: "Något".into() };
    assert_eq!(fields(no_kind), vec!["leverans 2 – typ"]);
    let mut both = meeting_input();
    both.deliverables[0].kind = "Okänd".into();
    both.deliverables[2] = DeliverableInput { kind: String::new(), description: "Något".into() };
    assert_eq!(fields(both), vec!["leverans 1 – typ", "leverans 2 – typ"], "rows are numbered as filled in");
}
