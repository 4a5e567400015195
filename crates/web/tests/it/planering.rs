//! Integration tests of the planning module: annual plan with plan versus outcome and
//! attendance, occurrence validation (nothing written on error), the reporting calendar of seed
//! 004 and its iCalendar feeds, the action plan's annual review (earlier versions unchanged, the
//! differences shown), status updates and the PDF/DOCX export.

use crate::common::spawn_app;
use gnv_core::planering::{demo_action_plan, demo_calendar_2026, demo_plan_2026, ActionPlanVersion};
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
    assert!(page.contains("5 av 13 systemledningar, varav 7 kommuner"), "{page}");
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
