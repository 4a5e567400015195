//! Demo data for planning: the 2026 annual plan and reporting calendar of seed 004 (exact dates
//! and bodies, the three proposals of 29 January), the 2024 support activities of the annual
//! report's section 3.5, illustrative 2026 occurrences (labelled as demo data) and the example
//! action plan (labelled "Exempel – utkast") with a few status updates.

use crate::planering::{
    demo_action_plan, demo_calendar_2026, demo_plan_2026, demo_support_2024, INFORMATIONSFORUM,
    NATVERKSTRAFFAR, SYSTEMLEDNINGSFORUM,
};
use anyhow::Result;
use chrono::NaiveDate;
use gnv_core::planering::{
    ActionKey, ActionPlanVersion, ActionStatus, Attendance, Format, Occurrence, OccurrenceStatus, Reason,
    StatusUpdate,
};
use gnv_storage::planering::{MeetingLinks, ObjectRef};
use gnv_storage::{Actor, Db};
use std::collections::BTreeSet;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

const DEMO_NOTE: &str = "Demodata – exempel på registrering.";

fn occ(
    activity: &str,
    title: &str,
    d: NaiveDate,
    format: Format,
    status: OccurrenceStatus,
    a: Attendance,
) -> Occurrence {
    Occurrence {
        activity: activity.into(),
        title: title.into(),
        date: d,
        format,
        status,
        attendance: a,
        participants: None,
        note: DEMO_NOTE.into(),
    }
}

/// Illustrative occurrences of 2026 (demo data): both information forums and three network
/// meetings held, a fourth network meeting planned, the system leadership forum held in the
/// autumn.
fn occurrences_2026() -> Result<Vec<Occurrence>> {
    use Format::*;
    use OccurrenceStatus::*;
    Ok(vec![
        occ(
            INFORMATIONSFORUM,
            "Informationsforum vår",
            date(2026, 4, 16),
            Digitalt,
            Genomford,
            Attendance {
                lsls: set(&[
                    "lsl-falun",
                    "lsl-borlange",
                    "lsl-mora",
                    "lsl-sodra-dalarna",
                    "lsl-vasterbergslagen",
                    "lsl-leksand",
                    "lsl-rattvik",
                ]),
                bodies: set(&["lchnv"]),
                ..Default::default()
            },
        ),
        occ(
            NATVERKSTRAFFAR,
            "Nätverksträff 1 – årets fokusområden",
            date(2026, 2, 12),
            Digitalt,
            Genomford,
            Attendance {
                lsls: set(&[
                    "lsl-falun",
                    "lsl-borlange",
                    "lsl-sodra-dalarna",
                    "lsl-vasterbergslagen",
                    "lsl-mora",
                    "lsl-orsa",
                ]),
                ..Default::default()
            },
        ),
        occ(
            NATVERKSTRAFFAR,
            "Nätverksträff 2 – uppföljning som lärande arbetssätt",
            date(2026, 4, 23),
            DigitaltOchEllerFysiskt,
            Genomford,
            Attendance {
                lsls: set(&["lsl-falun", "lsl-sodra-dalarna", "lsl-gagnef", "lsl-vansbro"]),
                municipalities: set(&["2085"]),
                ..Default::default()
            },
        ),
        occ(
            NATVERKSTRAFFAR,
            "Nätverksträff 3",
            date(2026, 6, 4),
            Digitalt,
            Framflyttad(
                Reason::new("Krockade med Välfärdsrådets möte; flyttad till september.")
                    .map_err(anyhow::Error::msg)?,
            ),
            Attendance::default(),
        ),
        occ(
            NATVERKSTRAFFAR,
            "Nätverksträff 3 – regional handlingsplan",
            date(2026, 9, 24),
            Fysiskt,
            Genomford,
            Attendance {
                lsls: set(&["lsl-falun", "lsl-borlange", "lsl-mora", "lsl-alvdalen", "lsl-sodra-dalarna"]),
                ..Default::default()
            },
        ),
        occ(NATVERKSTRAFFAR, "Nätverksträff 4", date(2026, 12, 3), Digitalt, Planerad, Attendance::default()),
        occ(
            SYSTEMLEDNINGSFORUM,
            "Systemledningsforum hösten 2026",
            date(2026, 10, 15),
            Fysiskt,
            Genomford,
            Attendance {
                lsls: set(&[
                    "lsl-falun",
                    "lsl-borlange",
                    "lsl-mora",
                    "lsl-sodra-dalarna",
                    "lsl-vasterbergslagen",
                    "lsl-leksand",
                ]),
                bodies: set(&["lchnv", "vfr"]),
                ..Default::default()
            },
        ),
        occ(
            INFORMATIONSFORUM,
            "Informationsforum höst",
            date(2026, 11, 19),
            Digitalt,
            Genomford,
            Attendance {
                lsls: set(&["lsl-falun", "lsl-mora", "lsl-sodra-dalarna", "lsl-orsa", "lsl-sater"]),
                ..Default::default()
            },
        ),
    ])
}

/// Seeds the planning demo data.
pub async fn seed(db: &Db) -> Result<()> {
    let actor = Actor::cli();
    // Annual plan 2026 (seed 004) with illustrative occurrences.
    db.create_annual_plan(&demo_plan_2026(), &actor).await?;
    for o in occurrences_2026()? {
        db.add_occurrence(2026, &o, &actor).await?;
    }
    // The 2024 support activities of the annual report (section 3.5).
    let support = demo_support_2024();
    db.create_annual_plan(&support, &actor).await?;
    for o in &support.occurrences {
        db.add_occurrence(2024, o, &actor).await?;
    }
    // Reporting calendar 2026 (seed 004), with deliverables linked to what they deliver.
    let cal = demo_calendar_2026();
    let links: Vec<MeetingLinks> = cal
        .meetings
        .iter()
        .map(|m| {
            let objects = m
                .deliverables
                .iter()
                .map(|d| {
                    use gnv_core::planering::DeliverableKind::*;
                    match d.kind {
                        Uppdragsbeskrivning | Delredovisning | Handlingsplan | Aterredovisning => {
                            Some(ObjectRef::Handlingsplan)
                        }
                        Arsrapport => Some(ObjectRef::Arsrapport(2025)),
                        Summering => Some(ObjectRef::Arsplan(2026)),
                        Annat if d.description.contains("Årsplanering") => Some(ObjectRef::Arsplan(2026)),
                        Annat => None,
                    }
                })
                .collect();
            // Proposals of 29 January: 1 concerns the annual planning (deliverable 3), 2 the
            // representation (2), 3 the assignment (1).
            let proposal_deliverables = if m.proposals.len() == 3 {
                vec![Some(2), Some(1), Some(0)]
            } else {
                vec![None; m.proposals.len()]
            };
            MeetingLinks { objects, proposal_deliverables }
        })
        .collect();
    db.add_calendar(&cal, &links, &actor).await?;
    // The example action plan, version 1 adopted 2026, with status updates.
    let registry = db.registry().await?;
    let v1 = ActionPlanVersion::first(demo_action_plan(), 2026, &registry)
        .map_err(|e| anyhow::anyhow!("demo action plan: {e}"))?;
    db.insert_action_plan_version(&v1, "Exempel – utkast till första version (demodata).", &actor).await?;
    let k = |s, g, a| ActionKey { sub_goal: s, goal: g, action: a };
    let updates = [
        (k(1, 1, 2), date(2026, 3, 20), ActionStatus::Pagar, "Uppföljning av SIP påbörjad (demodata)."),
        (k(1, 2, 1), date(2026, 5, 22), ActionStatus::Klar, "Stödmaterial presenterat för LCHNV (demodata)."),
        (k(2, 1, 2), date(2026, 6, 11), ActionStatus::Pagar, ""),
        (
            k(3, 1, 1),
            date(2026, 9, 8),
            ActionStatus::Forsenad,
            "Underlag från två kommuner saknas (demodata).",
        ),
    ];
    for (key, d, status, comment) in updates {
        // Keys that do not exist in the example plan are skipped rather than failing the demo.
        if v1.plan.action(key).is_some() {
            db.record_action_status(key, &StatusUpdate { date: d, status, comment: comment.into() }, &actor)
                .await?;
        }
    }
    Ok(())
}
