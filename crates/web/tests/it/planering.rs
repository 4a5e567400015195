//! Integration tests of the planning module: annual plan with plan versus outcome and
//! attendance, occurrence validation (nothing written on error), the reporting calendar of seed
//! 004 and its iCalendar feeds, the action plan's annual review (earlier versions unchanged, the
//! differences shown), status updates and the PDF/DOCX export.

use crate::common::spawn_app;
use gnv_core::planering::ActionPlanVersion;
use gnv_exempel::planering::{demo_action_plan, demo_calendar_2026, demo_plan_2026};
use gnv_storage::Actor;

async fn seed_plan_and_calendar(app: &crate::common::TestApp) {
    app.db.create_annual_plan(&demo_plan_2026(), &Actor::cli()).await.unwrap();
    app.db.add_calendar(&demo_calendar_2026(), &[], &Actor::cli()).await.unwrap();
}

async fn seed_action_plan(app: &crate::common::TestApp) {
    let registry = app.db.registry().await.unwrap();
    let v1 = ActionPlanVersion::first(demo_action_plan(), 2026, &registry).unwrap();
    app.db.insert_action_plan_version(&v1, "Exempel", &Actor::cli()).await.unwrap();
}

fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
}

async fn post(c: &reqwest::Client, url: String, form: &[(&str, &str)]) -> (u16, String) {
    let r = c.post(url).form(form).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.text().await.unwrap())
}

async fn occurrence_count(app: &crate::common::TestApp) -> usize {
    app.db.annual_plan(2026).await.unwrap().map(|p| p.plan.occurrences.len()).unwrap_or(0)
}

#[tokio::test]
async fn annual_plan_shows_plan_versus_outcome_and_attendance() {
    let app = spawn_app().await;
    seed_plan_and_calendar(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let url = app.url("/planering/arsplan/2026/tillfallen");
    for (date, lsls) in
        [("2026-04-16", vec!["lsl-falun", "lsl-mora"]), ("2026-11-19", vec!["lsl-sodra-dalarna"])]
    {
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("aktivitet", "Regionalt informationsforum"),
            ("datum", date),
            ("status", "Genomförd"),
        ];
        form.extend(lsls.iter().map(|l| ("lsl", *l)));
        let (s, _) = post(&admin, url.clone(), &form).await;
        assert_eq!(s, 303);
    }
    for (date, status, reason) in [
        ("2026-02-12", "Genomförd", ""),
        ("2026-04-23", "Genomförd", ""),
        ("2026-09-24", "Genomförd", ""),
        ("2026-06-04", "Inställd", "För få anmälda"),
    ] {
        let (s, body) = post(
            &admin,
            url.clone(),
            &[
                ("csrf", &csrf),
                ("aktivitet", "Regionala nätverksträffar"),
                ("datum", date),
                ("status", status),
                ("orsak", reason),
                ("lsl", "lsl-borlange"),
                ("lsl", "lsl-vasterbergslagen"),
                ("kommun", "2083"),
                ("organ", "vfr"),
            ],
        )
        .await;
        assert_eq!(s, 303, "{}", text_of(&body));
    }
    let (reader, _) = app.login("lasare").await;
    let page =
        text_of(&reader.get(app.url("/planering/arsplan/2026")).send().await.unwrap().text().await.unwrap());
    assert!(page.contains("2 av 2 informationsforum"), "{page}");
    assert!(page.contains("3 av 4–5 nätverksträffar"), "{page}");
    assert!(page.contains("0 av 1 systemledningsforum"));
    assert!(page.contains("1 inställda"));
    assert!(page.contains("Orsak: För få anmälda"));
    // Falun, Mora, Södra Dalarna (via Hedemora too), Borlänge, Västerbergslagen:
    // 5 of 13, municipalities 1 + 1 + 2 + 1 + 2 = 7.
    assert!(page.contains("5 av 13 systemledningar, som omfattar 7 av 15 kommuner"), "{page}");
    assert!(page.contains("Representation fanns också från Välfärdsrådet"));
    assert!(page.contains(
        "Följande systemledningar har inte deltagit i någon aktivitet under 2026 och kan behöva stöd:"
    ));
    assert!(page.contains("Malung-Sälen"));
    // The reader sees no forms.
    assert!(!page.contains("Lägg till tillfälle"));
}

#[tokio::test]
async fn invalid_occurrences_give_swedish_messages_and_change_nothing() {
    let app = spawn_app().await;
    seed_plan_and_calendar(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let url = app.url("/planering/arsplan/2026/tillfallen");
    let audit_before = app.db.audit_list(&Default::default()).await.unwrap().len();
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("aktivitet", "Regionala nätverksträffar"), ("datum", "2025-12-10"), ("status", "Genomförd")],
            "Datumet 2025-12-10 ligger utanför planens år 2026.",
        ),
        (
            &[("aktivitet", ""), ("datum", "2026-03-10"), ("status", "Planerad")],
            "Tillfället saknar aktivitetstyp.",
        ),
        (
            &[
                ("aktivitet", "Regionala nätverksträffar"),
                ("datum", "2026-03-10"),
                ("status", "Genomförd"),
                ("lsl", "lsl-atlantis"),
            ],
            "Den lokala systemledningen \"lsl-atlantis\" finns inte i organisationsregistret.",
        ),
        (
            &[("aktivitet", "Regionala nätverksträffar"), ("datum", "2026-03-10"), ("status", "Pausad")],
            "En orsak måste anges när status är Pausad.",
        ),
    ];
    for (fields, message) in cases {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        let (s, body) = post(&admin, url.clone(), &form).await;
        assert_eq!(s, 400, "{message}");
        let text = text_of(&body);
        assert!(text.contains(message), "expected {message:?} in {text}");
        assert!(text.contains("Tillfället sparades inte"));
    }
    // Unknown municipality and body as well, all at once.
    let (s, body) = post(
        &admin,
        url,
        &[
            ("csrf", &csrf),
            ("aktivitet", "Regionala nätverksträffar"),
            ("datum", "2026-03-10"),
            ("status", "Genomförd"),
            ("kommun", "9999"),
            ("organ", "fullmakt"),
        ],
    )
    .await;
    assert_eq!(s, 400);
    let text = text_of(&body);
    assert!(text.contains("Kommunen \"9999\" finns inte i organisationsregistret."));
    assert!(text.contains("Organet \"fullmakt\" finns inte i organisationsregistret."));
    assert_eq!(occurrence_count(&app).await, 0, "nothing written");
    assert_eq!(app.db.audit_list(&Default::default()).await.unwrap().len(), audit_before, "nothing audited");
    // Respondents and readers may not add occurrences.
    let (resp, resp_csrf) = app.login("respondent").await;
    let (s, _) = post(
        &resp,
        app.url("/planering/arsplan/2026/tillfallen"),
        &[
            ("csrf", &resp_csrf),
            ("aktivitet", "Regionala nätverksträffar"),
            ("datum", "2026-03-10"),
            ("status", "Genomförd"),
        ],
    )
    .await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn editing_an_occurrence_keeps_it_valid() {
    let app = spawn_app().await;
    seed_plan_and_calendar(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let (s, _) = post(
        &admin,
        app.url("/planering/arsplan/2026/tillfallen"),
        &[
            ("csrf", &csrf),
            ("aktivitet", "Regionala nätverksträffar"),
            ("datum", "2026-03-10"),
            ("status", "Planerad"),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let id = app.db.annual_plan(2026).await.unwrap().unwrap().occurrence_ids[0];
    let edit = app.url(&format!("/planering/arsplan/2026/tillfallen/{id}"));
    let form = admin.get(&edit).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("value=\"2026-03-10\""));
    let (s, body) = post(
        &admin,
        edit.clone(),
        &[
            ("csrf", &csrf),
            ("aktivitet", "Regionala nätverksträffar"),
            ("datum", "2027-01-10"),
            ("status", "Genomförd"),
        ],
    )
    .await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("ligger utanför planens år 2026"));
    let (s, _) = post(
        &admin,
        edit,
        &[
            ("csrf", &csrf),
            ("aktivitet", "Regionala nätverksträffar"),
            ("datum", "2026-03-12"),
            ("status", "Framflyttad"),
            ("orsak", "Sjukdom"),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let plan = app.db.annual_plan(2026).await.unwrap().unwrap().plan;
    assert_eq!(plan.occurrences[0].status.to_string(), "Framflyttad (Sjukdom)");
}

/// Minimal RFC 5545 reader: unfolds lines and returns the events as property maps.
fn parse_ics(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    assert!(text.contains("\r\n"), "CRLF line endings");
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split("\r\n") {
        assert!(raw.len() <= 75, "line longer than 75 octets: {raw}");
        if let Some(cont) = raw.strip_prefix(' ') {
            lines.last_mut().expect("continuation after a line").push_str(cont);
        } else if !raw.is_empty() {
            lines.push(raw.to_string());
        }
    }
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    let mut events = Vec::new();
    let mut current: Option<std::collections::BTreeMap<String, String>> = None;
    for l in lines {
        match l.as_str() {
            "BEGIN:VEVENT" => {
                assert!(current.is_none(), "nested VEVENT");
                current = Some(Default::default());
            }
            "END:VEVENT" => events.push(current.take().expect("END without BEGIN")),
            _ => {
                if let Some(ev) = current.as_mut() {
                    let (name, value) = l.split_once(':').expect("property line has a colon");
                    ev.insert(name.to_string(), value.to_string());
                }
            }
        }
    }
    assert!(current.is_none(), "unterminated VEVENT");
    events
}

#[tokio::test]
async fn calendar_of_seed_004_and_ics_feeds() {
    let app = spawn_app().await;
    seed_plan_and_calendar(&app).await;
    let (reader, _) = app.login("lasare").await;
    let page = text_of(
        &reader.get(app.url("/planering/kalender?ar=2026")).send().await.unwrap().text().await.unwrap(),
    );
    let expected = [
        ("2026-01-29", "Länschefsnätverket"),
        ("2026-03-02", "Styrgruppen för Länschefsnätverket"),
        ("2026-03-20", "Länschefsnätverket"),
        ("2026-05-05", "Styrgruppen"),
        ("2026-05-22", "Länschefsnätverket"),
        ("2026-06-11", "Välfärdsrådet"),
        ("2026-08-24", "Styrgruppen"),
        ("2026-09-08", "Länschefsnätverket"),
        ("2026-09-17", "Välfärdsrådet"),
        ("Datum ej satt (kvartal 4 2026)", "Styrgruppen"),
        ("2026-11-12", "Länschefsnätverket"),
    ];
    let mut pos = 0;
    for (date, body) in expected {
        let i =
            page[pos..].find(&format!("{date} {body}")).unwrap_or_else(|| panic!("{date} {body} in order"));
        pos += i + 1;
    }
    assert!(
        page.contains("att anta förslaget om årsplanering 2026 för fokusområde och samverkansaktiviteter.")
    );
    assert!(page.contains("Årsrapport 2025"));

    let resp = reader.get(app.url("/planering/kalender/lchnv.ics")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/calendar; charset=utf-8");
    let events = parse_ics(&resp.text().await.unwrap());
    let starts: Vec<&str> = events.iter().map(|e| e["DTSTART;VALUE=DATE"].as_str()).collect();
    assert_eq!(starts, vec!["20260129", "20260320", "20260522", "20260908", "20261112"]);
    assert!(events.iter().all(|e| e["UID"].ends_with("@gnv-uppfoljning") && e.contains_key("DTSTAMP")));
    assert_eq!(events[0]["DTEND;VALUE=DATE"], "20260130");
    assert!(events[0]["SUMMARY"].starts_with("Länschefsnätverket"));

    let all = parse_ics(
        &reader.get(app.url("/planering/kalender/alla.ics")).send().await.unwrap().text().await.unwrap(),
    );
    assert_eq!(all.len(), 10, "the undated Q4 meeting is left out");
    let vfr = parse_ics(
        &reader.get(app.url("/planering/kalender/vfr.ics")).send().await.unwrap().text().await.unwrap(),
    );
    assert_eq!(
        vfr.iter().map(|e| e["DTSTART;VALUE=DATE"].as_str()).collect::<Vec<_>>(),
        vec!["20260611", "20260917"]
    );
    assert_eq!(reader.get(app.url("/planering/kalender/okand.ics")).send().await.unwrap().status(), 404);
    assert_eq!(reader.get(app.url("/planering/kalender/lchnv")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn proposals_and_deliverable_status() {
    let app = spawn_app().await;
    seed_plan_and_calendar(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let url = |p: &str| app.url(p);
    let (s, body) = post(
        &admin,
        url("/planering/kalender/forslag"),
        &[("csrf", &csrf), ("mote", "lchnv-2026-03-20"), ("text", "Vi godkänner")],
    )
    .await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("att-sats"));
    let (s, _) = post(
        &admin,
        url("/planering/kalender/forslag"),
        &[
            ("csrf", &csrf),
            ("mote", "lchnv-2026-03-20"),
            ("text", "att godkänna delredovisningen"),
            ("leverans", "0"),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let (s, _) = post(
        &admin,
        url("/planering/kalender/beslut"),
        &[("csrf", &csrf), ("mote", "lchnv-2026-03-20"), ("nummer", "1"), ("beslut", "bifallen")],
    )
    .await;
    assert_eq!(s, 303);
    let (s, _) = post(
        &admin,
        url("/planering/kalender/leverans"),
        &[("csrf", &csrf), ("mote", "lchnv-2026-03-20"), ("leverans", "0"), ("status", "levererad")],
    )
    .await;
    assert_eq!(s, 303);
    let cal = app.db.calendar(2026).await.unwrap();
    let m = cal.calendar.meetings.iter().find(|m| m.id == "lchnv-2026-03-20").unwrap();
    assert_eq!(m.proposals[0].outcome.label(), "Bifallen");
    assert_eq!(m.deliverables[0].status.label(), "Levererad");
    let page = text_of(&admin.get(url("/planering/kalender")).send().await.unwrap().text().await.unwrap());
    assert!(page.contains("att godkänna delredovisningen Delredovisning R HPL Bifallen"), "{page}");
}

#[tokio::test]
async fn start_page_lists_upcoming_meetings() {
    let app = spawn_app().await;
    let (reader, _) = app.login("lasare").await;
    let page = text_of(&reader.get(app.url("/")).send().await.unwrap().text().await.unwrap());
    assert!(page.contains("Kommande möten och leveranser"));
    // The calendar of the current year and the next, whatever today is.
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let mut cal = demo_calendar_2026();
    cal.year = today.year() + 1;
    for m in &mut cal.meetings {
        m.date = match m.date {
            gnv_core::planering::MeetingDate::Datum(d) => {
                gnv_core::planering::MeetingDate::Datum(d.with_year(today.year() + 1).unwrap())
            }
            gnv_core::planering::MeetingDate::EjSatt { quarter, .. } => {
                gnv_core::planering::MeetingDate::EjSatt { year: today.year() + 1, quarter }
            }
        };
        m.id = gnv_core::planering::Meeting::standard_id(&m.body, m.date);
    }
    app.db.add_calendar(&cal, &[], &Actor::cli()).await.unwrap();
    let page = text_of(&reader.get(app.url("/")).send().await.unwrap().text().await.unwrap());
    assert!(page.contains(&format!("{}-01-29", today.year() + 1)) || page.contains("Styrgruppen"), "{page}");
}

#[tokio::test]
async fn review_creates_a_new_version_and_keeps_the_old_one() {
    let app = spawn_app().await;
    seed_action_plan(&app).await;
    let (admin, csrf) = app.login("admin").await;
    // A status update on version 1.
    let (s, _) = post(
        &admin,
        app.url("/planering/handlingsplan/status"),
        &[
            ("csrf", &csrf),
            ("atgard", "1.1.2"),
            ("datum", "2026-03-20"),
            ("status", "Pågår"),
            ("kommentar", "Startat"),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let (s, body) = post(
        &admin,
        app.url("/planering/handlingsplan/status"),
        &[("csrf", &csrf), ("atgard", "1.1.2"), ("datum", "2031-01-01"), ("status", "Klar")],
    )
    .await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("Datumet 2031-01-01 ligger utanför planens period 2026–2030."));
    let v1_before = app.db.action_plan_version(1).await.unwrap().unwrap();

    // The review form is prefilled from version 1.
    let form =
        admin.get(app.url("/planering/handlingsplan/oversyn")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("name=\"a-1.1.1-text\""));
    // Build the submission from the current plan, then change three things.
    let mut fields: Vec<(String, String)> =
        vec![("csrf".into(), csrf.clone()), ("oversynsar".into(), "2027".into())];
    for r in v1_before.plan.actions() {
        let k = r.key.to_string();
        let text = if k == "1.1.1" {
            "Införa SIP med invånarens egna mål i alla kommuner.".to_string()
        } else {
            r.action.text.clone()
        };
        fields.push((format!("a-{k}-text"), text));
        fields.push((format!("a-{k}-ansvarig"), r.action.responsible.clone()));
        fields.push((format!("a-{k}-fran"), r.action.time_frame.from().to_string()));
        fields.push((format!("a-{k}-till"), r.action.time_frame.to().to_string()));
        fields.push((format!("a-{k}-niva"), format!("{:?}", r.action.level).to_lowercase()));
        if k == "1.2.2" {
            fields.push((format!("a-{k}-bort"), "ja".into()));
        }
    }
    fields.extend(
        [
            ("ny-mal", "2.1"),
            ("ny-text", "Följa upp väntetider till barn- och ungdomspsykiatrin."),
            ("ny-ansvarig", "rss"),
            ("ny-fran", "2027"),
            ("ny-till", "2028"),
            ("ny-niva", "taktisk"),
            ("ny-nyckeltal", "2.1"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string())),
    );
    // An invalid review year first: nothing stored.
    let mut bad = fields.clone();
    bad[1].1 = "2026".into();
    let (s, body) = post(
        &admin,
        app.url("/planering/handlingsplan/oversyn"),
        &bad.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("Översynsåret 2026 måste vara senare än föregående versions år 2026."));
    assert_eq!(app.db.action_plan_versions().await.unwrap().len(), 1);

    let r = admin
        .post(app.url("/planering/handlingsplan/oversyn"))
        .form(&fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", text_of(&r.text().await.unwrap()));
    assert_eq!(r.headers()["location"], "/planering/handlingsplan/jamfor?fran=1&till=2");
    let versions = app.db.action_plan_versions().await.unwrap();
    assert_eq!(
        versions.iter().map(|v| (v.version, v.review_year)).collect::<Vec<_>>(),
        vec![(1, 2026), (2, 2027)]
    );
    // Version 1 is unchanged, including its status history.
    assert_eq!(app.db.action_plan_version(1).await.unwrap().unwrap(), v1_before);
    let v2 = app.db.action_plan_version(2).await.unwrap().unwrap();
    assert!(v2.plan.action(gnv_core::planering::ActionKey { sub_goal: 1, goal: 2, action: 2 }).is_none());
    assert_eq!(
        v2.plan
            .action(gnv_core::planering::ActionKey { sub_goal: 2, goal: 1, action: 3 })
            .unwrap()
            .time_frame
            .label(),
        "2027–2028"
    );
    // Status history came along into version 2.
    assert_eq!(
        v2.plan
            .action(gnv_core::planering::ActionKey { sub_goal: 1, goal: 1, action: 2 })
            .unwrap()
            .latest_status(None)
            .label(),
        "Pågår"
    );

    let diff = text_of(
        &admin
            .get(app.url("/planering/handlingsplan/jamfor?fran=1&till=2"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(diff.contains("Skillnader från version 1 till version 2 (3 st)"), "{diff}");
    assert!(diff.contains("Åtgärd 1.1.1: text ändrad från"));
    assert!(diff.contains("Åtgärd 1.2.2 har tagits bort"));
    assert!(diff
        .contains("Åtgärd 2.1.3 har lagts till: ”Följa upp väntetider till barn- och ungdomspsykiatrin.”"));
    // The old version is still shown as it was, marked as older.
    let old = text_of(
        &admin.get(app.url("/planering/handlingsplan?version=1")).send().await.unwrap().text().await.unwrap(),
    );
    assert!(old.contains("äldre version – ändras inte"));
    assert!(old.contains("Lyfta goda exempel på brukarmedverkan"));
    // Status updates go to the latest version only.
    let (s, _) = post(
        &admin,
        app.url("/planering/handlingsplan/status"),
        &[("csrf", &csrf), ("atgard", "2.1.3"), ("datum", "2027-02-01"), ("status", "Pågår")],
    )
    .await;
    assert_eq!(s, 303);
    assert_eq!(app.db.action_plan_version(1).await.unwrap().unwrap(), v1_before);
}

#[tokio::test]
async fn action_plan_pages_and_exports() {
    let app = spawn_app().await;
    let (reader, _) = app.login("lasare").await;
    // Empty states.
    for p in [
        "/planering",
        "/planering/handlingsplan",
        "/planering/uppfoljning",
        "/planering/handlingsplan/jamfor",
        "/planering/arsplan/2026",
        "/planering/kalender",
    ] {
        assert_eq!(reader.get(app.url(p)).send().await.unwrap().status(), 200, "{p}");
    }
    seed_plan_and_calendar(&app).await;
    seed_action_plan(&app).await;
    let page =
        text_of(&reader.get(app.url("/planering/handlingsplan")).send().await.unwrap().text().await.unwrap());
    assert!(page.contains("(Exempel – utkast)"));
    assert!(page.contains("Beställare Välfärdsrådet och Länschefsnätverket"), "{page}");
    assert!(page.contains("Uppdragsledare RSS Dalarna"));
    assert!(page.contains("Har vi uppnått målet?"));
    assert!(page.contains("Delmål 1 – Nära för mig"));
    assert!(page.contains("Aktivitet: Regionalt informationsforum"));
    assert!(!page.contains("Ny årlig översyn"), "readers cannot review");
    let follow =
        text_of(&reader.get(app.url("/planering/uppfoljning")).send().await.unwrap().text().await.unwrap());
    assert!(follow.contains("Strategisk nivå – ”Har vi uppnått målet?”"));
    assert!(follow.contains("Taktisk nivå – ”Är vi på väg åt rätt håll?”"));
    assert!(follow.contains("Operativ nivå – ”Gör vi det vi har sagt att vi ska göra?”"));
    assert!(follow.contains("0 av 4–5 nätverksträffar"));

    let r = reader.get(app.url("/planering/handlingsplan/pdf")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hpl.pdf");
    std::fs::write(&path, &bytes).unwrap();
    if let Ok(out) = std::env::var("GNV_KEEP_PDF") {
        std::fs::write(out, &bytes).unwrap();
    }
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Regional handlingsplan för God och nära vård i"));
    assert!(text.contains("Avsändare: Länschefsnätverket"));
    assert!(text.contains("Uppdragsorganisation"));
    let info = std::process::Command::new("pdfinfo").arg(&path).output().expect("pdfinfo");
    let info = String::from_utf8(info.stdout).unwrap();
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!((3..=7).contains(&pages), "about four pages, got {pages}");

    let r = reader.get(app.url("/planering/handlingsplan/docx?version=1")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("regional-handlingsplan-v1.docx"));
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(reader.get(app.url("/planering/handlingsplan?version=9")).send().await.unwrap().status(), 404);
}

// ---------------------------------------------------------------------------------------------
// Creation forms, link editing, strategic trends and the JSON API (issue #6, second round)

async fn type_count(app: &crate::common::TestApp, year: i32) -> usize {
    app.db.annual_plan(year).await.unwrap().map(|p| p.plan.activity_types.len()).unwrap_or(0)
}

#[tokio::test]
async fn annual_plan_is_created_with_copied_types_and_types_are_edited() {
    let app = spawn_app().await;
    seed_plan_and_calendar(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let create = app.url("/planering/arsplan");
    // Errors: nothing is created.
    let (s, body) = post(&admin, create.clone(), &[("csrf", &csrf), ("ar", "tjugo"), ("kopiera", "")]).await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("År: \"tjugo\" är inget årtal"), "{}", text_of(&body));
    let (s, body) =
        post(&admin, create.clone(), &[("csrf", &csrf), ("ar", "2028"), ("kopiera", "2019")]).await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("det finns ingen årsplan för 2019"));
    let (s, body) = post(&admin, create.clone(), &[("csrf", &csrf), ("ar", "2026"), ("kopiera", "")]).await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("Det finns redan en årsplan för 2026."));
    assert_eq!(app.db.annual_plan_years().await.unwrap(), vec![2026]);
    // Copying the 2026 types into 2027.
    let r = admin
        .post(&create)
        .form(&[("csrf", csrf.as_str()), ("ar", "2027"), ("kopiera", "2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/planering/arsplan/2027?ok=arsplan");
    let p27 = app.db.annual_plan(2027).await.unwrap().unwrap();
    let names: Vec<&str> = p27.plan.activity_types.iter().map(|t| t.name.as_str()).collect();
    let seed: Vec<String> = demo_plan_2026().activity_types.iter().map(|t| t.name.clone()).collect();
    assert_eq!(names, seed);
    assert_eq!(
        p27.plan.activity_types[2].frequency.label(),
        "1 g/år (höst 2027)",
        "the year in the timing follows"
    );
    assert!(p27.plan.occurrences.is_empty());
    // An empty plan for 2028.
    let (s, _) = post(&admin, create.clone(), &[("csrf", &csrf), ("ar", "2028"), ("kopiera", "")]).await;
    assert_eq!(s, 303);
    assert_eq!(type_count(&app, 2028).await, 0);
    let page =
        text_of(&admin.get(app.url("/planering/arsplan/2028")).send().await.unwrap().text().await.unwrap());
    assert!(page.contains("Årsplanen har inga aktivitetstyper ännu."));

    // Adding a type with a range.
    let add = app.url("/planering/arsplan/2028/aktivitetstyper");
    let good = [
        ("csrf", csrf.as_str()),
        ("namn", "Lärprocess God och nära vård"),
        ("malgrupp", "Lokala systemledningar"),
        ("syfte", "Ömsesidigt lärande"),
        ("format", "Digitalt och/eller fysiskt"),
        ("antal", "4-5"),
        ("tidpunkt", ""),
        ("substantiv_en", "träff"),
        ("substantiv_flera", "träffar"),
    ];
    let (s, _) = post(&admin, add.clone(), &good).await;
    assert_eq!(s, 303);
    let page =
        text_of(&admin.get(app.url("/planering/arsplan/2028")).send().await.unwrap().text().await.unwrap());
    assert!(page.contains("0 av 4–5 träffar"), "{page}");
    // Errors name the fields; nothing is written.
    let (s, body) = post(
        &admin,
        add.clone(),
        &[
            ("csrf", &csrf),
            ("namn", " "),
            ("malgrupp", "Alla"),
            ("syfte", "Spridning"),
            ("format", ""),
            ("antal", "ofta"),
        ],
    )
    .await;
    assert_eq!(s, 400);
    let t = text_of(&body);
    assert!(t.contains("Aktivitetstypen sparades inte"), "{t}");
    assert!(t.contains("Namn: Aktivitetstypen måste ha ett namn."), "{t}");
    assert!(t.contains("Format: Välj format"), "{t}");
    assert!(t.contains("Antal per år: \"ofta\" är inget antal."), "{t}");
    let (s, body) = post(&admin, add.clone(), &good).await;
    assert_eq!(s, 400);
    assert!(text_of(&body)
        .contains("Det finns redan en aktivitetstyp som heter \"Lärprocess God och nära vård\""));
    assert_eq!(type_count(&app, 2028).await, 1);

    // Editing: a fixed number instead of the range.
    let id = app.db.annual_plan(2028).await.unwrap().unwrap().activity_type_ids[0];
    let edit = app.url(&format!("/planering/arsplan/2028/aktivitetstyper/{id}"));
    let form = admin.get(&edit).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("value=\"4–5\""), "prefilled range");
    let mut changed = good.to_vec();
    changed[5] = ("antal", "3");
    let (s, _) = post(&admin, edit.clone(), &changed).await;
    assert_eq!(s, 303);
    let t = &app.db.annual_plan(2028).await.unwrap().unwrap().plan.activity_types[0];
    assert_eq!(t.frequency.label(), "3 ggr/år");
    changed[5] = ("antal", "5–4");
    let (s, body) = post(&admin, edit.clone(), &changed).await;
    assert_eq!(s, 400);
    assert!(text_of(&body)
        .contains("Antal per år: Lägsta antal tillfällen (5) får inte vara större än högsta (4)."));
    assert_eq!(
        app.db.annual_plan(2028).await.unwrap().unwrap().plan.activity_types[0].frequency.label(),
        "3 ggr/år"
    );

    // Removing: refused while occurrences exist, allowed otherwise.
    let (s, _) = post(
        &admin,
        app.url("/planering/arsplan/2026/tillfallen"),
        &[
            ("csrf", &csrf),
            ("aktivitet", "Regionalt informationsforum"),
            ("datum", "2026-04-16"),
            ("status", "Genomförd"),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let id26 = app.db.annual_plan(2026).await.unwrap().unwrap().activity_type_ids[0];
    let (s, body) = post(
        &admin,
        app.url(&format!("/planering/arsplan/2026/aktivitetstyper/{id26}/ta-bort")),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("har 1 registrerade tillfällen och kan inte tas bort"));
    assert_eq!(type_count(&app, 2026).await, 3);
    let (s, _) =
        post(&admin, app.url(&format!("{}/ta-bort", &edit[app.base.len()..])), &[("csrf", &csrf)]).await;
    assert_eq!(s, 303);
    assert_eq!(type_count(&app, 2028).await, 0);
    // Every write is audited.
    let audit = admin
        .get(app.url("/admin/granskningslogg?objekt=aktivitetstyp"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for action in ["skapa", "ändra", "ta bort"] {
        assert!(audit.contains(action), "audit has {action}");
    }
}

fn meeting_form<'a>(csrf: &'a str, date: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("ar", "2026"),
        ("organ", "vfr"),
        ("datum", date),
        ("kvartal", ""),
        ("rubrik", "Välfärdsrådet – extra möte"),
        ("leverans-typ-1", "Återredovisning"),
        ("leverans-text-1", "Återredovisning R HPL"),
        ("leverans-objekt-1", "handlingsplan"),
        ("leverans-typ-2", ""),
        ("leverans-text-2", ""),
        ("leverans-objekt-2", ""),
    ]
}

#[tokio::test]
async fn meetings_are_added_and_edited_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    seed_plan_and_calendar(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let add = app.url("/planering/kalender/moten");
    let count = || async { app.db.calendar(2026).await.unwrap().calendar.meetings.len() };
    assert_eq!(count().await, 11);
    // Errors, each naming its field.
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            meeting_form(&csrf, "2025-12-01"),
            "Datum: Mötesdatumet 2025-12-01 ligger utanför kalenderns år 2026.",
        ),
        (
            {
                let mut f = meeting_form(&csrf, "2026-10-15");
                f[2] = ("organ", "okant-organ");
                f
            },
            "Organ: Organet \"okant-organ\" finns inte i organisationsregistret.",
        ),
        (
            {
                let mut f = meeting_form(&csrf, "2026-10-15");
                f[6] = ("leverans-typ-1", "");
                f
            },
            "Leverans 1 – typ: Välj vilken typ av leverans det är.",
        ),
        (
            meeting_form(&csrf, ""),
            "Datum: Ange datum (ÅÅÅÅ-MM-DD) eller, om datum inte är satt, vilket kvartal.",
        ),
        (meeting_form(&csrf, "2026-06-11"), "Det finns redan ett möte med id vfr-2026-06-11."),
    ];
    for (form, message) in cases {
        let (s, body) = post(&admin, add.clone(), &form).await;
        assert_eq!(s, 400, "{message}");
        let t = text_of(&body);
        assert!(t.contains(message), "expected «{message}» in {t}");
        assert!(t.contains("Mötet sparades inte"));
        assert_eq!(count().await, 11, "nothing written for «{message}»");
    }
    // A valid meeting with a deliverable linked to the action plan.
    let r = admin.post(&add).form(&meeting_form(&csrf, "2026-10-15")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/planering/kalender?ar=2026&ok=mote"));
    let stored = app.db.calendar(2026).await.unwrap();
    let i = stored.calendar.meetings.iter().position(|m| m.id == "vfr-2026-10-15").unwrap();
    assert_eq!(stored.calendar.meetings[i].deliverables.len(), 1);
    assert_eq!(stored.links[i].objects[0], Some(gnv_storage::planering::ObjectRef::Handlingsplan));
    // A meeting whose date is not set yet.
    let mut undated = meeting_form(&csrf, "");
    undated[4] = ("kvartal", "3");
    let (s, _) = post(&admin, add.clone(), &undated).await;
    assert_eq!(s, 303);
    assert!(app.db.calendar(2026).await.unwrap().calendar.meetings.iter().any(|m| m.id == "vfr-2026-k3"));

    // Editing keeps the id, the deliverable statuses and the proposals.
    let id = "lchnv-2026-03-20";
    let (s, _) = post(
        &admin,
        app.url("/planering/kalender/leverans"),
        &[("csrf", &csrf), ("mote", id), ("leverans", "0"), ("status", "levererad")],
    )
    .await;
    assert_eq!(s, 303);
    let (s, _) = post(
        &admin,
        app.url("/planering/kalender/forslag"),
        &[("csrf", &csrf), ("mote", id), ("text", "att godkänna delredovisningen."), ("leverans", "0")],
    )
    .await;
    assert_eq!(s, 303);
    let edit_url = app.url(&format!("/planering/kalender/moten/{id}"));
    let page = admin.get(&edit_url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("value=\"2026-03-20\"") && page.contains("Delredovisning R HPL"));
    assert!(
        page.contains("Förslag 1 ") && page.contains("att godkänna delredovisningen."),
        "proposals editable"
    );
    let before = app.db.calendar(2026).await.unwrap();
    let edit = [
        ("csrf", csrf.as_str()),
        ("organ", "lchnv"),
        ("datum", "2026-03-27"),
        ("kvartal", ""),
        ("rubrik", "Länschefsnätverket (flyttat)"),
        ("leverans-typ-1", "Delredovisning"),
        ("leverans-text-1", "Delredovisning R HPL"),
        ("leverans-objekt-1", "handlingsplan"),
    ];
    let mut bad = edit.to_vec();
    bad[2] = ("datum", "2027-03-27");
    let (s, body) = post(&admin, edit_url.clone(), &bad).await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("ligger utanför kalenderns år 2026"));
    assert_eq!(app.db.calendar(2026).await.unwrap().calendar, before.calendar, "nothing changed");
    let (s, _) = post(&admin, edit_url.clone(), &edit).await;
    assert_eq!(s, 303);
    let after = app.db.calendar(2026).await.unwrap();
    let m = after.calendar.meetings.iter().find(|m| m.id == id).unwrap();
    assert_eq!(m.date.label(), "2026-03-27");
    assert_eq!(m.title, "Länschefsnätverket (flyttat)");
    assert_eq!(m.deliverables[0].status, gnv_core::planering::DeliverableStatus::Levererad);
    assert_eq!(m.proposals.len(), 1);

    // Editing a proposal's text: must stay an att-sats.
    let (s, body) = post(
        &admin,
        app.url("/planering/kalender/forslag/text"),
        &[("csrf", &csrf), ("mote", id), ("nummer", "1"), ("text", "godkänna delredovisningen")],
    )
    .await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("att-sats"));
    let (s, _) = post(
        &admin,
        app.url("/planering/kalender/forslag/text"),
        &[
            ("csrf", &csrf),
            ("mote", id),
            ("nummer", "1"),
            ("text", "att lägga delredovisningen till handlingarna."),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let cal = app.db.calendar(2026).await.unwrap().calendar;
    let m = cal.meetings.iter().find(|m| m.id == id).unwrap();
    assert_eq!(m.proposals[0].text, "att lägga delredovisningen till handlingarna.");
    let audit =
        admin.get(app.url("/admin/granskningslogg?objekt=möte")).send().await.unwrap().text().await.unwrap();
    assert!(audit.contains(id));
}

fn new_plan_form(csrf: &str) -> Vec<(&str, &str)> {
    vec![
        ("csrf", csrf),
        ("titel", "Regional handlingsplan för God och nära vård i Dalarna 2026–2030"),
        ("beskrivning", "Kortfattad plan som kan tas emot på enhetschefsnivå."),
        ("period_fran", "2026"),
        ("period_till", "2030"),
        ("antaget_ar", "2026"),
        ("avsandare", "lchnv"),
        ("bestallare", "vfr"),
        ("bestallare", "lchnv"),
        ("uppdragsagare", "lchnv"),
        ("styrgrupp", "lchnv-styrgrupp"),
        ("uppdragsledare", "rss"),
        ("mottagare", "lchnv"),
        ("slutmottagare", "vfr"),
        ("mal-1", "Invånarnas delaktighet ökar.\nBrukarmedverkan finns i lokal systemledning."),
        ("mal-4", "Samtliga lokala systemledningar har en aktuell lokal plan."),
    ]
}

#[tokio::test]
async fn version_one_of_the_action_plan_is_created_from_the_form() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let page =
        text_of(&admin.get(app.url("/planering/handlingsplan")).send().await.unwrap().text().await.unwrap());
    assert!(page.contains("Skapa version 1"));
    let form = admin.get(app.url("/planering/handlingsplan/ny")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("name=\"bestallare\" value=\"vfr\" checked"), "seed organisation prefilled");
    let url = app.url("/planering/handlingsplan/ny");
    // Unknown organisation and a year outside the period: clear messages, nothing stored.
    let mut bad = new_plan_form(&csrf);
    bad[9] = ("uppdragsagare", "okand-org");
    bad[5] = ("antaget_ar", "2031");
    let (s, body) = post(&admin, url.clone(), &bad).await;
    assert_eq!(s, 400);
    let t = text_of(&body);
    assert!(t.contains("Antaget år: Året 2031 ligger utanför planens period 2026–2030."), "{t}");
    let mut bad = new_plan_form(&csrf);
    bad[9] = ("uppdragsagare", "okand-org");
    let (s, body) = post(&admin, url.clone(), &bad).await;
    assert_eq!(s, 400);
    let t = text_of(&body);
    assert!(
        t.contains(
            "Uppdragsorganisation – uppdragsägare: \"okand-org\" finns inte i organisationsregistret."
        ),
        "{t}"
    );
    assert!(app.db.action_plan_versions().await.unwrap().is_empty());
    // Valid.
    let r = admin.post(&url).form(&new_plan_form(&csrf)).send().await.unwrap();
    assert_eq!(r.status(), 303, "{}", text_of(&r.text().await.unwrap()));
    let v1 = app.db.latest_action_plan().await.unwrap().unwrap();
    assert_eq!((v1.version, v1.review_year), (1, 2026));
    assert_eq!(v1.plan.organisation, gnv_core::planering::AssignmentOrganisation::seed_2026());
    assert_eq!(v1.plan.goals().len(), 3);
    assert_eq!(v1.plan.goals()[2].0.to_string(), "4.1");
    // A second version 1 is refused.
    let (s, body) = post(&admin, url.clone(), &new_plan_form(&csrf)).await;
    assert_eq!(s, 400);
    assert!(text_of(&body).contains("Handlingsplanen har redan version 1."));
    assert_eq!(app.db.action_plan_versions().await.unwrap().len(), 1);
    // The review can then add a goal and an action with links.
    let fields = vec![
        ("csrf", csrf.as_str()),
        ("oversynsar", "2027"),
        ("nytt-mal-delmal", "2"),
        ("nytt-mal-text", "Äldre får en sammanhållen vård och omsorg."),
        ("ny-mal", "1.1"),
        ("ny-text", "Följa upp SIP."),
        ("ny-ansvarig", "rss"),
        ("ny-fran", "2027"),
        ("ny-till", "2028"),
        ("ny-niva", "taktisk"),
        ("ny-nyckeltal", "1.1"),
        ("ny-delmal", "1"),
    ];
    let (s, _) = post(&admin, app.url("/planering/handlingsplan/oversyn"), &fields).await;
    assert_eq!(s, 303);
    let v2 = app.db.latest_action_plan().await.unwrap().unwrap();
    assert_eq!(v2.plan.goals().len(), 4);
    let a = v2.plan.action(gnv_core::planering::ActionKey { sub_goal: 1, goal: 1, action: 1 }).unwrap();
    assert_eq!(a.links.iter().map(|l| l.label()).collect::<Vec<_>>(), vec!["Nyckeltal 1.1", "Delmål 1"]);
}

/// The review submission for every action as it is, links included (with the marker).
fn review_fields(plan: &gnv_core::planering::ActionPlan, csrf: &str, year: &str) -> Vec<(String, String)> {
    use gnv_core::planering::Link;
    let mut fields: Vec<(String, String)> =
        vec![("csrf".into(), csrf.into()), ("oversynsar".into(), year.into())];
    for r in plan.actions() {
        let k = r.key.to_string();
        fields.push((format!("a-{k}-text"), r.action.text.clone()));
        fields.push((format!("a-{k}-ansvarig"), r.action.responsible.clone()));
        fields.push((format!("a-{k}-fran"), r.action.time_frame.from().to_string()));
        fields.push((format!("a-{k}-till"), r.action.time_frame.to().to_string()));
        fields.push((format!("a-{k}-niva"), format!("{:?}", r.action.level).to_lowercase()));
        fields.push((format!("a-{k}-kopplingar"), "1".into()));
        // Reversed order: the same set of links must not count as a change.
        let mut codes: Vec<String> = r.action.indicators().map(|c| c.to_string()).collect();
        codes.reverse();
        fields.push((format!("a-{k}-nyckeltal"), codes.join(", ")));
        for l in r.action.links.iter().rev() {
            match l {
                Link::Delmal(n) => fields.push((format!("a-{k}-delmal"), n.to_string())),
                Link::Aktivitet(a) => fields.push((format!("a-{k}-aktivitet"), a.clone())),
                Link::Nyckeltal(_) => {}
            }
        }
    }
    fields
}

fn set_field(fields: &mut Vec<(String, String)>, key: &str, value: &str) {
    fields.retain(|(k, _)| k != key);
    fields.push((key.into(), value.into()));
}

#[tokio::test]
async fn review_changes_links_and_the_diff_shows_them() {
    let app = spawn_app().await;
    seed_plan_and_calendar(&app).await;
    seed_action_plan(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let form =
        admin.get(app.url("/planering/handlingsplan/oversyn")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("name=\"a-1.1.1-delmal\" value=\"1\" checked"), "current sub-goal link checked");
    assert!(form.contains("name=\"a-2.1.1-nyckeltal\" value=\"2.1\""), "current indicator codes");
    assert!(form.contains("name=\"a-1.2.2-aktivitet\" value=\"Regionalt informationsforum\" checked"));
    let v1 = app.db.action_plan_version(1).await.unwrap().unwrap();
    let url = app.url("/planering/handlingsplan/oversyn");
    let as_refs =
        |f: &Vec<(String, String)>| f.iter().map(|(a, b)| (a.clone(), b.clone())).collect::<Vec<_>>();

    // Unknown and malformed indicator codes: nothing stored.
    let mut bad = review_fields(&v1.plan, &csrf, "2027");
    set_field(&mut bad, "a-2.1.1-nyckeltal", "2.1, 5.9");
    set_field(&mut bad, "a-2.1.2-nyckeltal", "två");
    bad.push(("a-1.1.2-aktivitet".into(), "Påhittad aktivitet".into()));
    let r = admin.post(&url).form(&as_refs(&bad)).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let t = text_of(&r.text().await.unwrap());
    assert!(
        t.contains("Åtgärd 2.1.1, kopplade nyckeltal: nyckeltal 5.9 finns inte i nyckeltalskatalogen."),
        "{t}"
    );
    assert!(t.contains("Åtgärd 2.1.2, kopplade nyckeltal: \"två\" är ingen nyckeltalskod"), "{t}");
    assert!(t.contains("Åtgärd 1.1.2, kopplade aktiviteter: aktivitetstypen \"Påhittad aktivitet\" finns inte i årsplaneringen."), "{t}");
    assert_eq!(app.db.action_plan_versions().await.unwrap().len(), 1);

    // Change the links of 2.1.1 and drop the activity link of 1.2.2; all others resubmitted as they are.
    let mut fields = review_fields(&v1.plan, &csrf, "2027");
    set_field(&mut fields, "a-2.1.1-nyckeltal", "2.1, 2.3");
    fields.push(("a-2.1.1-delmal".into(), "2".into()));
    fields.push(("a-2.1.1-aktivitet".into(), "Regionala nätverksträffar".into()));
    fields.retain(|(k, _)| k != "a-1.2.2-aktivitet");
    let r = admin.post(&url).form(&as_refs(&fields)).send().await.unwrap();
    assert_eq!(r.status(), 303, "{}", text_of(&r.text().await.unwrap()));
    let v2 = app.db.action_plan_version(2).await.unwrap().unwrap();
    let a = v2.plan.action(gnv_core::planering::ActionKey { sub_goal: 2, goal: 1, action: 1 }).unwrap();
    assert_eq!(
        a.links.iter().map(|l| l.label()).collect::<Vec<_>>(),
        vec!["Nyckeltal 2.1", "Nyckeltal 2.3", "Delmål 2", "Aktivitet: Regionala nätverksträffar"]
    );
    assert_eq!(app.db.action_plan_version(1).await.unwrap().unwrap(), v1, "version 1 unchanged");
    let diff = text_of(
        &admin
            .get(app.url("/planering/handlingsplan/jamfor?fran=1&till=2"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(diff.contains("(2 st)"), "only the two link changes: {diff}");
    assert!(diff.contains(
        "Åtgärd 2.1.1: kopplingar ändrad från ”Nyckeltal 2.1” till ”Nyckeltal 2.1, Nyckeltal 2.3, Delmål 2, Aktivitet: Regionala nätverksträffar”."
    ), "{diff}");
    assert!(
        diff.contains(
            "Åtgärd 1.2.2: kopplingar ändrad från ”Aktivitet: Regionalt informationsforum” till ”inga”."
        ),
        "{diff}"
    );
}

async fn publish_edition_2024(app: &crate::common::TestApp) {
    use gnv_core::nyckeltal::{Gender, IndicatorCode, Period, Value};
    use gnv_storage::nyckeltal::{ImportMeta, RawBody, RawDoc, ValueBatch};
    let mut batch = ValueBatch::new();
    let values: [(&str, f64, f64); 2] = [("1.1", 60.0, 65.0), ("2.1", 50.0, 45.0)];
    for (code, v2023, v2024) in values {
        let code: IndicatorCode = code.parse().unwrap();
        for g in Gender::ALL {
            batch.push(code, "0020", Period(2023), g, Value::Number(v2023));
            batch.push(code, "0020", Period(2024), g, Value::Number(v2024));
        }
    }
    app.db
        .nyckeltal_import(
            &mut batch,
            &[RawDoc { name: "test".into(), body: RawBody::Text("test".into()) }],
            &ImportMeta { source: "egen".into(), description: "Test".into(), fetched_at: None },
            &Actor::cli(),
        )
        .await
        .unwrap();
    app.db.nyckeltal_publish(2024, &Actor::cli()).await.unwrap();
}

#[tokio::test]
async fn strategic_level_shows_trends_of_the_published_edition() {
    let app = spawn_app().await;
    seed_action_plan(&app).await;
    let (reader, _) = app.login("lasare").await;
    let page = || async {
        text_of(&reader.get(app.url("/planering/uppfoljning")).send().await.unwrap().text().await.unwrap())
    };
    let before = page().await;
    assert!(before.contains("Ingen publicerad utgåva av nyckeltalen finns ännu"), "{before}");
    assert!(!before.contains("förbättrad"));
    publish_edition_2024(&app).await;
    let after = page().await;
    assert!(after.contains("Trender enligt"), "{after}");
    assert!(
        after.contains("1.1 Förtroende för vårdcentralerna, andel invånare : ↑ förbättrad (ökat från 60,0 procent (2023)); senast 65,0 procent (2024)"),
        "{after}"
    );
    assert!(
        after.contains("↓ försämrad (minskat från 50,0 procent (2023)); senast 45,0 procent (2024)"),
        "{after}"
    );
    assert!(after.contains("under utveckling – visas utan värde"), "2.2 is under development");
    assert!(after.contains("värde saknas"), "indicators without values say so");
}

#[tokio::test]
async fn json_api_of_the_module() {
    let app = spawn_app().await;
    seed_plan_and_calendar(&app).await;
    seed_action_plan(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let (s, _) = post(
        &admin,
        app.url("/planering/arsplan/2026/tillfallen"),
        &[
            ("csrf", &csrf),
            ("aktivitet", "Regionala nätverksträffar"),
            ("datum", "2026-02-12"),
            ("status", "Genomförd"),
            ("lsl", "lsl-falun"),
            ("kommun", "2062"),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let (reader, _) = app.login("lasare").await;
    let get = |path: &'static str| {
        let reader = reader.clone();
        let url = app.url(path);
        async move {
            let r = reader.get(url).send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    // Annual plan.
    let (s, j) = get("/api/v1/planering/arsplan/2026").await;
    assert_eq!(s, 200);
    let plan = &j["arsplan"];
    assert_eq!(j["year"], 2026);
    let types = plan["activity_types"].as_array().unwrap();
    assert_eq!(types.len(), 3);
    assert_eq!(types[1]["name"], "Regionala nätverksträffar");
    assert_eq!(types[1]["target"]["min"], 4);
    assert_eq!(types[1]["target"]["max"], 5);
    assert_eq!(types[1]["target"]["label"], "4–5 ggr/år");
    assert_eq!(types[1]["outcome"]["held"], 1);
    assert_eq!(types[1]["outcome"]["text"], "1 av 4–5 nätverksträffar");
    assert_eq!(types[1]["outcome"]["fulfilment"], "behover_planeras");
    assert_eq!(plan["occurrences"][0]["status"], "genomford");
    assert_eq!(plan["occurrences"][0]["attendance"]["lsls"][0], "lsl-falun");
    assert_eq!(plan["attendance"]["text"], "2 av 13 systemledningar, som omfattar 2 av 15 kommuner");
    assert_eq!(plan["attendance"]["lsl_total"], 13);
    assert_eq!(plan["not_reached"]["lsls"].as_array().unwrap().len(), 11);
    let (s, j) = get("/api/v1/planering/arsplan/2031").await;
    assert_eq!(s, 200);
    assert!(j["arsplan"].is_null());
    let (s, j) = get("/api/v1/planering/arsplan/tjugo").await;
    assert_eq!(s, 404);
    assert!(j["error"].as_str().unwrap().contains("inget årtal"));
    // Calendar.
    let (s, j) = get("/api/v1/planering/kalender/2026").await;
    assert_eq!(s, 200);
    let meetings = j["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), 11);
    assert_eq!(meetings[0]["id"], "lchnv-2026-01-29");
    assert_eq!(meetings[0]["body_name"], "Länschefsnätverket");
    assert_eq!(meetings[0]["date"], "2026-01-29");
    assert_eq!(meetings[0]["proposals"].as_array().unwrap().len(), 3);
    assert_eq!(meetings[0]["proposals"][0]["outcome"], "ej_behandlad");
    let undated = meetings.iter().find(|m| m["date"].is_null()).unwrap();
    assert_eq!(undated["quarter"], 4);
    assert_eq!(undated["date_label"], "Datum ej satt (kvartal 4 2026)");
    assert!(meetings[2]["deliverables"][0]["kind"].is_string());
    // Action plan.
    let (s, j) = get("/api/v1/planering/handlingsplan").await;
    assert_eq!(s, 200);
    let hp = &j["handlingsplan"];
    assert_eq!(hp["version"], 1);
    assert_eq!(hp["period"]["label"], "2026–2030");
    assert_eq!(hp["sender"], "lchnv");
    assert_eq!(hp["organisation"]["owner"], "lchnv");
    let actions = hp["actions"].as_array().unwrap();
    assert_eq!(actions[0]["key"], "1.1.1");
    assert_eq!(actions[0]["status"], "ej_paborjad");
    assert_eq!(actions[0]["level"], "operativ");
    assert_eq!(actions[0]["links"][0]["kind"], "nyckeltal");
    assert_eq!(actions[0]["links"][0]["value"], "1.1");
    assert!(actions[0]["latest_update"].is_null());
    // Anonymous: 401.
    let anon = crate::common::client();
    assert_eq!(anon.get(app.url("/api/v1/planering/handlingsplan")).send().await.unwrap().status(), 401);
}
