//! The year's cycle: "Kopiera till nästa år" for the reporting calendar (same weekday in the
//! same ISO week, every copied date "att bekräfta"), the automatic deliverable status when the
//! annual report is published, and the year-at-a-glance page.

use crate::common::spawn_app;
use chrono::{Datelike, NaiveDate};
use gnv_exempel::planering::demo_calendar_2026;
use gnv_storage::planering::{MeetingLinks, ObjectRef};
use gnv_storage::Actor;

/// The demo calendar 2026 with the annual-report deliverables linked to the report about 2024.
async fn store_calendar(app: &crate::common::TestApp) {
    let cal = demo_calendar_2026();
    let links: Vec<MeetingLinks> = cal
        .meetings
        .iter()
        .map(|m| MeetingLinks {
            objects: m
                .deliverables
                .iter()
                .map(|d| (d.description == "Årsrapport 2025").then_some(ObjectRef::Arsrapport(2024)))
                .collect(),
            proposal_deliverables: Vec::new(),
        })
        .collect();
    app.db.add_calendar(&cal, &links, &Actor::cli()).await.unwrap();
}

#[tokio::test]
async fn the_calendar_is_copied_to_the_next_year_on_the_same_weekday_and_marked_to_be_confirmed() {
    let app = spawn_app().await;
    store_calendar(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let page = admin.get(app.url("/planering/kalender?ar=2026")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Kopiera till nästa år (2027)"));
    let (reader, _) = app.login("lasare").await;
    let page = reader.get(app.url("/planering/kalender?ar=2026")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Kopiera till nästa år"), "only admins copy");

    let resp = admin
        .post(app.url("/planering/kalender/2026/kopiera"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/planering/kalender?ar=2027&ok=kalender_kopierad");
    let old = app.db.calendar(2026).await.unwrap().calendar;
    let new = app.db.calendar(2027).await.unwrap();
    assert_eq!(new.calendar.meetings.len(), old.meetings.len());
    for (a, b) in old.meetings.iter().zip(&new.calendar.meetings) {
        if let (Some(x), Some(y)) = (a.date.date(), b.date.date()) {
            assert_eq!(
                (y.year(), y.weekday(), y.iso_week().week()),
                (2027, x.weekday(), x.iso_week().week()),
                "{}",
                a.id
            );
        }
        assert!(b.proposals.is_empty());
    }
    // LCHNV's Thursday in week 5 stays a Thursday in week 5.
    assert_eq!(new.calendar.meetings[0].date.date(), NaiveDate::from_ymd_opt(2027, 2, 4));
    // The report link moved one year on.
    let linked: Vec<_> = new.links.iter().flat_map(|l| l.objects.iter().flatten()).collect();
    assert!(linked.iter().all(|o| **o == ObjectRef::Arsrapport(2025)) && !linked.is_empty());

    let page = admin
        .get(app.url("/planering/kalender?ar=2027&ok=kalender_kopierad"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        page.matches(">att bekräfta<").count(),
        old.meetings.len(),
        "every copied date to be confirmed"
    );
    // Copying again into a year with meetings is refused, nothing written.
    let resp = admin
        .post(app.url("/planering/kalender/2026/kopiera"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("Kalendern för 2027 har redan möten."));
    assert_eq!(app.db.calendar(2027).await.unwrap().calendar.meetings.len(), old.meetings.len());

    // Confirming one date removes its mark (audited).
    let first = new.calendar.meetings[0].id.clone();
    let resp = admin
        .post(app.url(&format!("/planering/kalender/moten/{first}/bekrafta")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(app.db.unconfirmed_meetings().await.unwrap().len(), old.meetings.len() - 1);
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'bekrafta_datum' AND entity_id = $1")
            .bind(&first)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_deliverable_linked_to_the_annual_report_is_delivered_when_the_report_is_published() {
    let app = spawn_app().await;
    store_calendar(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let calendar = || async {
        admin.get(app.url("/planering/kalender?ar=2026")).send().await.unwrap().text().await.unwrap()
    };
    let before = calendar().await;
    assert!(!before.contains("automatiskt: årsrapporten 2024 publicerades"));
    let year_page = admin.get(app.url("/aret/2025")).send().await.unwrap().text().await.unwrap();
    assert!(year_page.contains("Årsrapporten 2024"), "{year_page}");
    assert!(year_page.contains("Inte påbörjad."));

    let resp = admin
        .post(app.url("/arsrapport/2024/publicera"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let after = calendar().await;
    // Both meetings (LCHNV in May, VFR in June) that receive the report.
    assert_eq!(
        after
            .matches("Levererad</strong> <span class=\"muted\">(automatiskt: årsrapporten 2024 publicerades")
            .count(),
        2,
        "{after}"
    );
    // The stored status is unchanged: it is computed from the publication.
    let stored = app.db.calendar(2026).await.unwrap().calendar;
    assert!(stored
        .meetings
        .iter()
        .flat_map(|m| &m.deliverables)
        .all(|d| d.status == gnv_core::planering::DeliverableStatus::Planerad));

    // The year page: the report is done, the meetings list the delivered report.
    let year_page = admin.get(app.url("/aret/2025")).send().await.unwrap().text().await.unwrap();
    let row = &year_page[year_page.find("Årsrapporten 2024").unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains("klart"), "{row}");
    let page_2026 = admin.get(app.url("/aret/2026")).send().await.unwrap().text().await.unwrap();
    assert!(page_2026.contains("Årsrapport 2025 – levererad"), "{page_2026}");
    assert!(page_2026.contains("Nästa steg:"));
    let (reader, _) = app.login("lasare").await;
    assert_eq!(reader.get(app.url("/aret/2026")).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn a_round_entered_after_its_deadline_is_shown_as_entered_afterwards_and_closed_at_its_deadline() {
    use gnv_core::format::date_long;
    let app = spawn_app().await;
    let today = gnv_storage::omgang::today();
    let deadline = today - chrono::Duration::days(30);
    // The round about last year is entered today with a deadline already past (as an import of
    // a past year's answers, or the demo, does): it is closed at once.
    let year = deadline.year() - 1;
    let registry = app.db.registry().await.unwrap();
    app.db
        .create_round(
            year,
            crate::common::OPEN_UNTIL,
            &[gnv_core::rapportering::Part::Ekonomi],
            &registry,
            &Actor::cli(),
        )
        .await
        .unwrap();
    app.db.set_deadline(year, &deadline.to_string(), &Actor::cli()).await.unwrap();
    let (admin, _) = app.login("admin").await;
    let page = admin.get(app.url(&format!("/aret/{}", year + 1))).send().await.unwrap().text().await.unwrap();
    let row = |what: &str| {
        let start = page.find(what).unwrap_or_else(|| panic!("{what} in {page}"));
        page[start..start + page[start..].find("</tr>").unwrap()].to_string()
    };
    let opened = row(&format!("Rapporteringsomgången {year} öppnas"));
    assert!(opened.contains(&format!("inlagd i efterhand {}", date_long(today))), "{opened}");
    assert!(
        opened.contains(&format!("Omgången lades in efter sista svarsdagen {}", date_long(deadline))),
        "{opened}"
    );
    let status =
        admin.get(app.url(&format!("/rapportering/{year}"))).send().await.unwrap().text().await.unwrap();
    assert!(
        status.contains(&format!(
            "<dt>Öppnad</dt><dd>{} (inlagd i efterhand, efter sista svarsdagen)</dd>",
            date_long(today)
        )),
        "{status}"
    );
    let closed = row(&format!("Omgången {year} stängs"));
    assert!(
        closed.contains(&format!("<td>{}</td>", date_long(deadline))),
        "closed at the deadline: {closed}"
    );

    // A round opened in time shows the day it opened.
    let next = today.year() + 1;
    app.db
        .create_round(
            next,
            crate::common::OPEN_UNTIL,
            &[gnv_core::rapportering::Part::Ekonomi],
            &registry,
            &Actor::cli(),
        )
        .await
        .unwrap();
    let page = admin.get(app.url(&format!("/aret/{}", next + 1))).send().await.unwrap().text().await.unwrap();
    let start = page.find(&format!("Rapporteringsomgången {next} öppnas")).unwrap();
    let opened = &page[start..start + page[start..].find("</tr>").unwrap()];
    assert!(
        opened.contains(&format!("<td>{}</td>", date_long(today))) && !opened.contains("efterhand"),
        "{opened}"
    );
}
