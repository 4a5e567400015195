//! Planning examples: the 2026 annual plan and reporting calendar of seed 004 (exact names,
//! dates and bodies, the three proposals of 29 January), the 2024 support activities of the
//! annual report's section 3.5 (days illustrative) and an illustrative action plan 2026–2030
//! labelled "Exempel – utkast".

use chrono::NaiveDate;
use gnv_core::planering::aktivitet::CountNoun;
use gnv_core::planering::handlingsplan::ALL_LSLS;
use gnv_core::planering::{
    Action, ActionPlan, ActivityType, AnnualPlan, AssignmentOrganisation, Attendance, Deliverable,
    DeliverableKind, DeliverableStatus, FollowUpLevel, Format, Goal, IndicatorCode, Link, Meeting,
    MeetingDate, Occurrence, OccurrenceStatus, Period, Proposal, ProposalOutcome, Quarter, Reason,
    ReportingCalendar, SubGoalSection, TargetFrequency, TimeFrame,
};
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------------------------
// Annual plans

#[allow(clippy::too_many_arguments)] // private demo-data helper, one call per table row
fn activity(
    name: &str,
    target_group: &str,
    purpose: &str,
    format: Format,
    min: u32,
    max: u32,
    timing: Option<&str>,
    noun: (&str, &str),
) -> ActivityType {
    ActivityType {
        name: name.to_string(),
        target_group: target_group.to_string(),
        purpose: purpose.to_string(),
        format,
        // The example ranges are literals that satisfy 1 <= min <= max.
        frequency: TargetFrequency::new(min, max, timing).expect("a literal range 1 <= min <= max"),
        noun: CountNoun::new(noun.0, noun.1),
    }
}

/// Name of the activity type "Regionalt informationsforum".
pub const INFORMATIONSFORUM: &str = "Regionalt informationsforum";
/// Name of the activity type "Regionala nätverksträffar".
pub const NATVERKSTRAFFAR: &str = "Regionala nätverksträffar";
/// Name of the activity type "Systemledningsforum God och nära vård i Dalarna".
pub const SYSTEMLEDNINGSFORUM: &str = "Systemledningsforum God och nära vård i Dalarna";

/// The three collaboration activities of the 2026 annual plan (seed 004), with no occurrences.
pub fn demo_plan_2026() -> AnnualPlan {
    AnnualPlan {
        year: 2026,
        activity_types: vec![
            activity(
                INFORMATIONSFORUM,
                "Alla",
                "Spridning – överblick nuläge och goda exempel",
                Format::Digitalt,
                2,
                2,
                Some("vår + höst"),
                ("informationsforum", "informationsforum"),
            ),
            activity(
                NATVERKSTRAFFAR,
                "Lokala systemledningar",
                "Lärande dialog – nuläge och behov i omställningens samverkansfrågor",
                Format::DigitaltOchEllerFysiskt,
                4,
                5,
                None,
                ("nätverksträff", "nätverksträffar"),
            ),
            activity(
                SYSTEMLEDNINGSFORUM,
                "Representanter från regional och lokal systemledning",
                "Fördjupad dialog mellan SL-nivåer med fokus på aktuella och strategiskt viktiga \
                 frågor. Främja samordnat agerande och gemensam riktning.",
                Format::Fysiskt,
                1,
                1,
                Some("höst 2026"),
                ("systemledningsforum", "systemledningsforum"),
            ),
        ],
        occurrences: Vec::new(),
    }
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Only called with literal, valid dates from the demo data.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn reason(text: &str) -> Reason {
    // Only called with literal, non-empty reasons.
    Reason::new(text).expect("a non-empty reason")
}

/// The regional support activities of 2024 as described in the annual report's section 3.5
/// (seed 000), as an example plan with occurrences. The report gives months, not days; the days
/// here are illustrative. Which six LSLs attended the second network meeting is not stated; the
/// example picks six that give the report's 8 municipalities.
pub fn demo_support_2024() -> AnnualPlan {
    AnnualPlan {
        year: 2024,
        activity_types: vec![
            activity(
                "Regional konferens God och nära vård",
                "Politisk ledning, tjänsteledning och verksamhetsnära medarbetare",
                "Omställningen ur nationellt, regionalt och lokalt perspektiv",
                Format::Fysiskt,
                1,
                1,
                None,
                ("konferens", "konferenser"),
            ),
            activity(
                "Lärprocess God och nära vård",
                "Lokala systemledningar",
                "Ömsesidigt lärande genom strukturerat erfarenhetsutbyte (benchmarking)",
                Format::DigitaltOchEllerFysiskt,
                4,
                4,
                None,
                ("träff", "träffar"),
            ),
            activity(
                "Regionalt nätverk God och nära vård",
                "Representanter från lokala systemledningar",
                "Information, erfarenhetsutbyte, lärande och dialog",
                Format::DigitaltOchEllerFysiskt,
                2,
                2,
                Some("vår + höst"),
                ("nätverksträff", "nätverksträffar"),
            ),
            activity(
                INFORMATIONSFORUM,
                "Alla",
                "Spridning – överblick nuläge och goda exempel",
                Format::Digitalt,
                1,
                1,
                Some("slutet av 2024"),
                ("informationsforum", "informationsforum"),
            ),
            activity(
                "Turné/processtöd lokala systemledningar",
                "Lokala systemledningar",
                "Stöd i arbetet med lokala planer, aktivitetsplaner och samverkansaktiviteter",
                Format::Fysiskt,
                1,
                13,
                None,
                ("besök", "besök"),
            ),
        ],
        occurrences: vec![
            Occurrence {
                activity: "Regional konferens God och nära vård".into(),
                title: "Regional konferens – tema Samverkan".into(),
                date: ymd(2024, 1, 25),
                format: Format::Fysiskt,
                status: OccurrenceStatus::Genomford,
                attendance: Attendance {
                    lsls: BTreeSet::new(),
                    municipalities: set(&[
                        "2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061", "2062", "2080",
                        "2081", "2082", "2083", "2084", "2085",
                    ]),
                    bodies: BTreeSet::new(),
                    guests: vec!["Vårdanalys".into()],
                },
                participants: None,
                note: "Samtliga kommuner representerade; medverkan från Gagnef och Borlänge.".into(),
            },
            Occurrence {
                activity: "Lärprocess God och nära vård".into(),
                title: "Uppstartsträff".into(),
                date: ymd(2024, 3, 14),
                format: Format::DigitaltOchEllerFysiskt,
                status: OccurrenceStatus::Genomford,
                attendance: Attendance {
                    lsls: set(&["lsl-sodra-dalarna", "lsl-vasterbergslagen", "lsl-orsa"]),
                    ..Default::default()
                },
                participants: None,
                note: String::new(),
            },
            Occurrence {
                activity: "Lärprocess God och nära vård".into(),
                title: "Tematisk träff 1 – Systemledning och samverkan".into(),
                date: ymd(2024, 5, 16),
                format: Format::DigitaltOchEllerFysiskt,
                status: OccurrenceStatus::Genomford,
                attendance: Attendance {
                    lsls: set(&["lsl-sodra-dalarna", "lsl-vasterbergslagen", "lsl-orsa"]),
                    ..Default::default()
                },
                participants: None,
                note: String::new(),
            },
            Occurrence {
                activity: "Lärprocess God och nära vård".into(),
                title: "Tematisk träff 2 – Implementering och förbättringsarbete".into(),
                date: ymd(2024, 9, 19),
                format: Format::DigitaltOchEllerFysiskt,
                status: OccurrenceStatus::Pausad(reason(
                    "Två av tre deltagande systemledningar avbröt sin medverkan på grund av \
                     bristande förutsättningar att delta.",
                )),
                attendance: Attendance::default(),
                participants: None,
                note: String::new(),
            },
            Occurrence {
                activity: "Lärprocess God och nära vård".into(),
                title: "Tematisk träff 3 – Systematisk uppföljning och analys".into(),
                date: ymd(2024, 11, 14),
                format: Format::DigitaltOchEllerFysiskt,
                status: OccurrenceStatus::Pausad(reason("Lärprocessen är pausad tills vidare.")),
                attendance: Attendance::default(),
                participants: None,
                note: String::new(),
            },
            Occurrence {
                activity: "Regionalt nätverk God och nära vård".into(),
                title: "Nätverksträff vår".into(),
                date: ymd(2024, 4, 18),
                format: Format::Digitalt,
                status: OccurrenceStatus::Genomford,
                attendance: Attendance { lsls: set(&["lsl-vansbro"]), ..Default::default() },
                participants: None,
                note: "Lokalt exempel från Vansbro; självskattningsverktyget som exempel på \
                       uppföljning över tid."
                    .into(),
            },
            Occurrence {
                activity: "Regionalt nätverk God och nära vård".into(),
                title: "Nätverksträff höst (heldag)".into(),
                date: ymd(2024, 10, 17),
                format: Format::Fysiskt,
                status: OccurrenceStatus::Genomford,
                attendance: Attendance {
                    lsls: set(&[
                        "lsl-sodra-dalarna",
                        "lsl-vasterbergslagen",
                        "lsl-vansbro",
                        "lsl-falun",
                        "lsl-borlange",
                        "lsl-gagnef",
                    ]),
                    municipalities: BTreeSet::new(),
                    bodies: set(&["lchnv", "vfr"]),
                    guests: vec!["SKR (digitalt)".into()],
                },
                participants: None,
                note: "Beröringspunkter mellan omställningarna nya SoL och GNV.".into(),
            },
            Occurrence {
                activity: INFORMATIONSFORUM.into(),
                title: "Första informationsforum".into(),
                date: ymd(2024, 12, 5),
                format: Format::Digitalt,
                status: OccurrenceStatus::Framflyttad(reason(
                    "Förändringar i organiseringen av GNV-arbetet hos RSS och Omställning hälso- \
                     och sjukvård; uppstarten sköts till våren 2025.",
                )),
                attendance: Attendance::default(),
                participants: None,
                note: String::new(),
            },
            Occurrence {
                activity: "Turné/processtöd lokala systemledningar".into(),
                title: "Besök Södra Dalarna".into(),
                date: ymd(2024, 10, 3),
                format: Format::Fysiskt,
                status: OccurrenceStatus::Genomford,
                attendance: Attendance { lsls: set(&["lsl-sodra-dalarna"]), ..Default::default() },
                participants: None,
                note: String::new(),
            },
            Occurrence {
                activity: "Turné/processtöd lokala systemledningar".into(),
                title: "Fortsatta lokala besök".into(),
                date: ymd(2024, 11, 20),
                format: Format::Fysiskt,
                status: OccurrenceStatus::Installd(reason(
                    "Förändrat upplägg för GNV-arbetet hos RSS och Omställning hälso- och \
                     sjukvård.",
                )),
                attendance: Attendance::default(),
                participants: None,
                note: String::new(),
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// The reporting plan 2026 of seed 004.

fn d(kind: DeliverableKind, description: &str) -> Deliverable {
    Deliverable { kind, description: description.to_string(), status: DeliverableStatus::Planerad }
}

fn meeting(body: &str, date: MeetingDate, title: &str, deliverables: Vec<Deliverable>) -> Meeting {
    Meeting {
        id: Meeting::standard_id(body, date),
        body: body.to_string(),
        date,
        title: title.to_string(),
        deliverables,
        proposals: Vec::new(),
    }
}

fn on(month: u32, day: u32) -> MeetingDate {
    // Literal dates of 2026 only.
    MeetingDate::Datum(NaiveDate::from_ymd_opt(2026, month, day).unwrap_or(NaiveDate::MIN))
}

/// The three proposals of LCHNV 29 January 2026 (seed 004, "Förslag till beslut"), not yet
/// handled.
pub fn proposals_2026_01_29() -> Vec<Proposal> {
    [
        "att anta förslaget om årsplanering 2026 för fokusområde och samverkansaktiviteter.",
        "att anta förslaget om att låta styrgruppen för Länschefsnätverket utgöra nätverkets \
         representation i regional systemledning för God och nära vård-arbetet i Dalarna.",
        "att anta den föreslagna uppdragsbeskrivningen för slutförandet av regional \
         handlingsplan för God och nära vård-arbetet i Dalarna.",
    ]
    .iter()
    .zip(1..)
    .map(|(text, number)| Proposal { number, text: text.to_string(), outcome: ProposalOutcome::EjBehandlad })
    .collect()
}

/// The reporting plan 2026 exactly as in seed 004 ("Plan rapportering 2026"): seven meetings
/// of LCHNV and VFR and four of the LCHNV steering group (the fourth in quarter 4, date not
/// set). All deliverables are Planerad.
pub fn demo_calendar_2026() -> ReportingCalendar {
    use DeliverableKind::*;
    let continuous = || vec![d(Annat, "Kontinuerlig rapport om God och nära vård")];
    let mut first = meeting(
        "lchnv",
        on(1, 29),
        "Länschefsnätverket – uppdragsbeskrivning, representation och årsplanering",
        vec![
            d(Uppdragsbeskrivning, "Uppdragsbeskrivning reg. handlingsplan (R HPL)"),
            d(Annat, "Representation reg. systemledning"),
            d(Annat, "Årsplanering GNV"),
        ],
    );
    first.proposals = proposals_2026_01_29();
    ReportingCalendar {
        year: 2026,
        meetings: vec![
            first,
            meeting(
                "lchnv-styrgrupp",
                on(3, 2),
                "Styrgruppen för Länschefsnätverket – rapport GNV",
                continuous(),
            ),
            meeting(
                "lchnv",
                on(3, 20),
                "Länschefsnätverket – delredovisning R HPL",
                vec![d(Delredovisning, "Delredovisning R HPL")],
            ),
            meeting(
                "lchnv-styrgrupp",
                on(5, 5),
                "Styrgruppen för Länschefsnätverket – rapport GNV",
                continuous(),
            ),
            meeting(
                "lchnv",
                on(5, 22),
                "Länschefsnätverket – redovisning R HPL och årsrapport 2025",
                vec![d(Handlingsplan, "Redovisning R HPL"), d(Arsrapport, "Årsrapport 2025")],
            ),
            meeting(
                "vfr",
                on(6, 11),
                "Välfärdsrådet – redovisning R HPL och årsrapport 2025",
                vec![d(Handlingsplan, "Redovisning R HPL"), d(Arsrapport, "Årsrapport 2025")],
            ),
            meeting(
                "lchnv-styrgrupp",
                on(8, 24),
                "Styrgruppen för Länschefsnätverket – rapport GNV",
                continuous(),
            ),
            meeting(
                "lchnv",
                on(9, 8),
                "Länschefsnätverket – ev. återredovisning R HPL",
                vec![d(Aterredovisning, "Ev. återredovisning R HPL")],
            ),
            meeting(
                "vfr",
                on(9, 17),
                "Välfärdsrådet – ev. återredovisning R HPL",
                vec![d(Aterredovisning, "Ev. återredovisning R HPL")],
            ),
            meeting(
                "lchnv-styrgrupp",
                MeetingDate::EjSatt { year: 2026, quarter: Quarter::new(4).expect("quarter 4") },
                "Styrgruppen för Länschefsnätverket – rapport GNV",
                continuous(),
            ),
            meeting(
                "lchnv",
                on(11, 12),
                "Länschefsnätverket – summering av GNV 2026",
                vec![d(Summering, "Summering av GNV 2026")],
            ),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// The example action plan

fn act(
    number: u8,
    text: &str,
    responsible: &str,
    years: (i32, i32),
    level: FollowUpLevel,
    links: Vec<Link>,
) -> Action {
    Action {
        number,
        text: text.to_string(),
        responsible: responsible.to_string(),
        // Literal time frames that end after they start.
        time_frame: TimeFrame::new(years.0, years.1).expect("a literal time frame"),
        level,
        links,
        updates: Vec::new(),
    }
}

fn ind(sub_goal: u8, number: u8) -> Link {
    // Literal codes of sub-goals 1–5.
    Link::Nyckeltal(IndicatorCode::parse(&format!("{sub_goal}.{number}")).expect("a literal indicator code"))
}

fn activity_link(name: &str) -> Link {
    Link::Aktivitet(name.to_string())
}

fn goal(number: u8, text: &str, actions: Vec<Action>) -> Goal {
    Goal { number, text: text.to_string(), actions }
}

/// An illustrative action plan 2026–2030, two goals and two or three actions per sub-goal. The
/// content is an EXAMPLE (title and description say "Exempel – utkast"); it follows the
/// structure and organisation of seed 004, not a decided plan.
pub fn demo_action_plan() -> ActionPlan {
    use FollowUpLevel::*;
    ActionPlan {
        title: "Regional handlingsplan för God och nära vård i Dalarna 2026–2030 (Exempel – utkast)".into(),
        description: "Exempel – utkast. Planen visar hur den regionala handlingsplanen kan struktureras: \
                      mål och åtgärder per delmål, ansvar, tidsram och uppföljningsnivå. Avsändare är \
                      Länschefsnätverket. Innehållet är ett exempel och inte beslutat."
            .into(),
        period: Period::new(2026, 2030).expect("the period 2026–2030"),
        sender: "lchnv".into(),
        organisation: AssignmentOrganisation::seed_2026(),
        sections: vec![
            SubGoalSection {
                sub_goal: 1,
                goals: vec![
                    goal(1, "Invånarnas delaktighet i planeringen av sin vård och omsorg ökar.", vec![
                        act(1, "Införa gemensam struktur för samordnad individuell plan (SIP) med invånarens egna mål.", ALL_LSLS, (2026, 2027), Operativ, vec![ind(1, 1), Link::Delmal(1)]),
                        act(2, "Följa upp andelen SIP där den enskilde deltagit och analysera variationen i länet.", "rss", (2026, 2030), Taktisk, vec![ind(1, 1), ind(1, 2)]),
                    ]),
                    goal(2, "Brukar- och patientmedverkan finns i de lokala systemledningarnas arbete.", vec![
                        act(1, "Ta fram stöd för hur brukarrepresentanter kan medverka i lokal systemledning.", "rss", (2026, 2026), Taktisk, vec![Link::Delmal(1)]),
                        act(2, "Lyfta goda exempel på brukarmedverkan vid regionalt informationsforum.", "rss", (2026, 2028), Operativ, vec![activity_link(INFORMATIONSFORUM)]),
                    ]),
                ],
            },
            SubGoalSection {
                sub_goal: 2,
                goals: vec![
                    goal(1, "Barn och unga får tidiga och samordnade insatser.", vec![
                        act(1, "Etablera gemensamma arbetssätt för tidiga insatser mellan elevhälsa, socialtjänst och primärvård.", ALL_LSLS, (2027, 2029), Operativ, vec![ind(2, 1)]),
                        act(2, "Analysera skillnader i tillgänglighet för barn och unga mellan länets kommuner.", "rss", (2026, 2027), Taktisk, vec![ind(2, 1), ind(2, 3)]),
                    ]),
                    goal(2, "Äldre med omfattande behov får en sammanhållen vård och omsorg.", vec![
                        act(1, "Utveckla gemensamma team kring äldre med omfattande behov i varje lokal systemledning.", ALL_LSLS, (2026, 2030), Operativ, vec![ind(2, 4)]),
                        act(2, "Följa utvecklingen av återinskrivningar och undvikbar slutenvård för äldre.", "lchnv", (2026, 2030), Strategisk, vec![ind(2, 2), ind(2, 4)]),
                        act(3, "Sprida arbetssätt för fast omsorgskontakt och fast läkarkontakt.", "rss", (2026, 2027), Operativ, vec![activity_link(NATVERKSTRAFFAR)]),
                    ]),
                ],
            },
            SubGoalSection {
                sub_goal: 3,
                goals: vec![
                    goal(1, "Digitala och mobila lösningar används där de gagnar invånaren.", vec![
                        act(1, "Kartlägga användningen av digitala vårdmöten och mobila team i länet.", "rss", (2026, 2026), Taktisk, vec![ind(3, 1), ind(3, 4)]),
                        act(2, "Införa gemensamma rutiner för mobila team mellan kommun och region.", ALL_LSLS, (2027, 2029), Operativ, vec![ind(3, 2)]),
                    ]),
                    goal(2, "Vården är likvärdig oavsett var i Dalarna invånaren bor.", vec![
                        act(1, "Följa variationen mellan kommunerna och ta fram förslag på prioriterade områden.", "lchnv-styrgrupp", (2026, 2030), Strategisk, vec![ind(3, 2), ind(3, 3)]),
                        act(2, "Genomföra processtöd hos lokala systemledningar med särskilda behov.", "rss", (2026, 2028), Operativ, vec![activity_link(NATVERKSTRAFFAR)]),
                    ]),
                ],
            },
            SubGoalSection {
                sub_goal: 4,
                goals: vec![
                    goal(1, "Samtliga lokala systemledningar har en aktuell lokal plan.", vec![
                        act(1, "Ta fram och följa upp lokal plan med stöd av metodstödet för lokala systemledningar.", ALL_LSLS, (2026, 2027), Taktisk, vec![ind(4, 1), Link::Delmal(4)]),
                        act(2, "Hålla regionala nätverksträffar för lärande dialog om samverkansfrågor.", "rss", (2026, 2030), Operativ, vec![activity_link(NATVERKSTRAFFAR)]),
                    ]),
                    goal(2, "Regional och lokal systemledning agerar samordnat.", vec![
                        act(1, "Genomföra systemledningsforum med regional och lokal systemledning varje höst.", "lchnv", (2026, 2030), Operativ, vec![activity_link(SYSTEMLEDNINGSFORUM)]),
                        act(2, "Ha God och nära vård som stående punkt på styrgruppens dagordning.", "lchnv-styrgrupp", (2026, 2030), Taktisk, vec![]),
                        act(3, "Följa samverkansindikatorerna och redovisa dem i årsrapporten.", "lchnv", (2026, 2030), Strategisk, vec![ind(4, 2), ind(4, 3), ind(4, 4)]),
                    ]),
                ],
            },
            SubGoalSection {
                sub_goal: 5,
                goals: vec![
                    goal(1, "Hälsofrämjande och förebyggande arbete är en del av varje lokal plan.", vec![
                        act(1, "Inkludera hälsofrämjande insatser i de lokala planerna.", ALL_LSLS, (2027, 2028), Operativ, vec![ind(5, 1)]),
                        act(2, "Följa levnadsvaneindikatorerna per kommun och kön.", "rss", (2026, 2030), Strategisk, vec![ind(5, 1), ind(5, 2), ind(5, 3)]),
                    ]),
                    goal(2, "Arbetet med levnadsvanor sker gemensamt mellan kommun och region.", vec![
                        act(1, "Sprida goda exempel på samarbete kring levnadsvanor.", "rss", (2026, 2027), Operativ, vec![activity_link(INFORMATIONSFORUM)]),
                        act(2, "Ta fram ett gemensamt mått för förebyggande arbete (nyckeltal under utveckling).", "rss", (2027, 2028), Taktisk, vec![ind(5, 4)]),
                    ]),
                ],
            },
        ],
    }
}
