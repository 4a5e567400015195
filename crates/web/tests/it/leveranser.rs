//! External deliveries to Socialstyrelsen: the kommunenkät compilation kept as the exact XLSX
//! file with its SHA-256, the region's report as a link; `leveranser::for_year` for the report.

use crate::common::spawn_app;
use reqwest::multipart::{Form, Part};

#[tokio::test]
async fn deliveries_keep_the_exact_file_with_its_checksum_and_refuse_incomplete_records() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let xlsx = admin.get(app.url("/kommunenkat/2025/export.xlsx")).send().await.unwrap();
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let post = |form: Form| {
        let admin = admin.clone();
        let url = app.url(&format!("/leveranser/2025?csrf={csrf}"));
        async move { admin.post(url).multipart(form).send().await.unwrap() }
    };
    let base = |kind: &str| {
        Form::new()
            .text("csrf", csrf.clone())
            .text("slag", kind.to_string())
            .text("datum", "2026-03-31")
            .text("av", "Anna Analytiker")
    };

    // Without the file, with a file that is no workbook, the region's report without a link:
    // refused, nothing stored.
    let resp = post(base("kommunenkat_socialstyrelsen")).await;
    assert_eq!(resp.status(), 400);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Bifoga den Excel-fil (.xlsx) som lämnades till Socialstyrelsen."));
    let resp = post(
        base("kommunenkat_socialstyrelsen").part("fil", Part::bytes(b"a;b".to_vec()).file_name("s.xlsx")),
    )
    .await;
    assert!(resp.text().await.unwrap().contains("Filen s.xlsx är ingen Excel-fil (.xlsx)."));
    let resp = post(base("regionens_rapport_socialstyrelsen").text("datum", "31/3")).await;
    let page = resp.text().await.unwrap();
    assert!(page.contains("Ange en länk till rapporten eller adressen den skickades till."), "{page}");
    assert!(gnv_storage::leveranser::for_year(&app.db, 2025).await.unwrap().is_empty());

    let resp = post(
        base("kommunenkat_socialstyrelsen")
            .part("fil", Part::bytes(bytes.clone()).file_name("kommunenkat-2025.xlsx")),
    )
    .await;
    assert_eq!(resp.status(), 303);
    let resp = post(
        base("regionens_rapport_socialstyrelsen").text("anteckning", "https://example.se/rapport-2025.pdf"),
    )
    .await;
    assert_eq!(resp.status(), 303);

    let delivered = gnv_storage::leveranser::for_year(&app.db, 2025).await.unwrap();
    assert_eq!(delivered.len(), 2);
    let survey = delivered
        .iter()
        .find(|d| d.kind == gnv_storage::leveranser::DeliveryKind::KommunenkatSocialstyrelsen)
        .unwrap();
    assert_eq!(survey.delivered_on, chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
    assert_eq!(survey.by, "Anna Analytiker");
    assert_eq!(survey.file_name, "kommunenkat-2025.xlsx");
    // The stored file is the delivered one, byte for byte, and the checksum is its SHA-256.
    let download = admin.get(app.url(&format!("/leveranser/fil/{}", survey.id))).send().await.unwrap();
    assert_eq!(download.status(), 200);
    let got = download.bytes().await.unwrap().to_vec();
    assert_eq!(got, bytes);
    let sha = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(&bytes)?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(String::from_utf8_lossy(&sha.stdout).starts_with(&survey.sha256), "{}", survey.sha256);
    let region = delivered.iter().find(|d| d.sha256.is_empty()).unwrap();
    assert_eq!(region.note, "https://example.se/rapport-2025.pdf");

    let page = admin.get(app.url("/leveranser/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&survey.sha256) && page.contains("31 mars 2026"));
    // The year at a glance shows both deliveries done.
    let year = admin.get(app.url("/aret/2026")).send().await.unwrap().text().await.unwrap();
    let row = &year[year.find("Kommunenkätens sammanställning till Socialstyrelsen (2025)").unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains("klart"));
    let (reader, _) = app.login("lasare").await;
    assert_eq!(reader.get(app.url("/leveranser/2025")).send().await.unwrap().status(), 403);
    assert_eq!(
        reader.get(app.url(&format!("/leveranser/fil/{}", survey.id))).send().await.unwrap().status(),
        403
    );
}

#[tokio::test]
async fn an_external_deadline_is_shown_in_the_calendar_and_the_year_until_the_delivery_is_recorded() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let set = |date: &str, note: &str| {
        let admin = admin.clone();
        let url = app.url("/leveranser/2025/frist");
        let form = vec![
            ("csrf".to_string(), csrf.clone()),
            ("slag".to_string(), "kommunenkat_socialstyrelsen".to_string()),
            ("sista_dag".to_string(), date.to_string()),
            ("anteckning".to_string(), note.to_string()),
        ];
        async move { admin.post(url).form(&form).send().await.unwrap() }
    };
    // A date that is no date is refused with its field named; nothing stored.
    let resp = set("31/3 2026", "").await;
    assert_eq!(resp.status(), 400);
    let body = resp.text().await.unwrap();
    assert!(body.contains("31/3 2026") && body.contains("är inget datum (ÅÅÅÅ-MM-DD)."), "{body}");
    assert!(app.db.external_deadlines(2025).await.unwrap().is_empty());

    // Socialstyrelsen's deadline for the survey about 2025, in the past (the test runs later).
    let resp = set("2026-03-31", "Enligt Socialstyrelsens anvisning").await;
    assert_eq!(resp.status(), 303);
    let page = admin.get(app.url("/leveranser/2025?ok=frist")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Sista dagen är sparad."));
    assert!(page.contains("31 mars 2026") && page.contains("Enligt Socialstyrelsens anvisning"));

    // The calendar of 2026 carries it, not yet delivered; the year page says the day has passed.
    let cal = admin.get(app.url("/planering/kalender?ar=2026")).send().await.unwrap().text().await.unwrap();
    assert!(cal.contains("Externa frister"), "{cal}");
    assert!(cal.contains(
        "<strong>31 mars 2026</strong>: sista dag för kommunenkätens sammanställning till Socialstyrelsen (om 2025) – inte levererad"
    ));
    let other = admin.get(app.url("/planering/kalender?ar=2027")).send().await.unwrap().text().await.unwrap();
    assert!(!other.contains("Externa frister"), "only in the year it falls in");
    // The calendar feed of all bodies carries it as an all-day event; a body's own feed does not.
    let feed = admin.get(app.url("/planering/kalender/alla.ics")).send().await.unwrap().text().await.unwrap();
    let unfolded = feed.replace("\r\n ", "");
    assert!(unfolded.contains("UID:frist-2025-kommunenkat_socialstyrelsen@gnv-uppfoljning"), "{feed}");
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20260331\r\nDTEND;VALUE=DATE:20260401"), "{feed}");
    assert!(
        unfolded.contains("SUMMARY:Sista dag: kommunenkätens sammanställning till Socialstyrelsen (om 2025)")
    );
    assert!(unfolded.contains("DESCRIPTION:Enligt Socialstyrelsens anvisning\\, inte levererad"), "{feed}");
    let lchnv =
        admin.get(app.url("/planering/kalender/lchnv.ics")).send().await.unwrap().text().await.unwrap();
    assert!(lchnv.starts_with("BEGIN:VCALENDAR") && !lchnv.contains("frist-"), "{lchnv}");
    let year = admin.get(app.url("/aret/2026")).send().await.unwrap().text().await.unwrap();
    assert!(year.contains("senast 31 mars 2026"));
    assert!(year.contains("Sista dagen 31 mars 2026 har passerat."));

    // Recording the delivery (late) changes both.
    let xlsx =
        admin.get(app.url("/kommunenkat/2025/export.xlsx")).send().await.unwrap().bytes().await.unwrap();
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("slag", "kommunenkat_socialstyrelsen")
        .text("datum", "2026-04-02")
        .text("av", "Anna Analytiker")
        .part("fil", Part::bytes(xlsx.to_vec()).file_name("kommunenkat-2025.xlsx"));
    let resp =
        admin.post(app.url(&format!("/leveranser/2025?csrf={csrf}"))).multipart(form).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    let cal = admin.get(app.url("/planering/kalender?ar=2026")).send().await.unwrap().text().await.unwrap();
    assert!(cal.contains("(om 2025) – levererad"));
    let feed = admin.get(app.url("/planering/kalender/alla.ics")).send().await.unwrap().text().await.unwrap();
    assert!(feed.replace("\r\n ", "").contains("anvisning\\, levererad"), "{feed}");
    let year = admin.get(app.url("/aret/2026")).send().await.unwrap().text().await.unwrap();
    assert!(year.contains("Lämnad av Anna Analytiker, efter sista dagen 31 mars 2026."));

    // Removing the deadline (empty date) is audited like setting it.
    assert_eq!(set("", "").await.status(), 303);
    assert!(app.db.external_deadlines(2025).await.unwrap().is_empty());
    let audit = admin.get(app.url("/admin/granskningslogg")).send().await.unwrap().text().await.unwrap();
    assert!(audit.contains("ange sista dag") && audit.contains("ta bort sista dag"));
}
