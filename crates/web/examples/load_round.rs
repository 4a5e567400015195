//! Load test of durable submissions: N respondents (default 3 000) submit their self-assessment
//! through their invitation links over C concurrent keep-alive connections (default 64), against
//! the real server (all layers: security headers, session layer, CSRF double submit, link token
//! lookup, form validation) on a loopback port with a fresh SQLite database (WAL,
//! `synchronous=NORMAL`: a commit survives a process crash) in a temporary directory.
//!
//! A submission counts when the server has acknowledged it (HTTP 303), which it does only after
//! the transaction with the answer, the status change and the audit entry has committed.
//! Afterwards every acknowledged submission must be stored as submitted (and nothing else), there
//! must be one audit entry per submission, and SQLite's integrity check must pass.
//!
//! Phases: setup (invitations created through storage, each link opened once to get the form's
//! CSRF cookie and token; not timed), then the timed burst of POSTs. Prints submissions/s and
//! latency percentiles.
//!
//! Run with `scripts/load-round [N] [C]` (release build). Binds only to 127.0.0.1.

use gnv_core::rapportering::Part;
use gnv_storage::{Actor, Db};
use gnv_web::{AppState, Config};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One prepared respondent: link path, CSRF cookie value (= form token), and the form.
struct Prepared {
    link: String,
    csrf: String,
    body: String,
}

fn form_body(i: usize, csrf: &str) -> String {
    let r = |k: usize| ((i + k) % 5 + 1).to_string();
    let respondent = format!("Svarande {i}");
    let pairs = [
        ("csrf", csrf),
        ("atgard", "skicka"),
        ("respondent", respondent.as_str()),
        ("roll", "ledamot"),
        ("perspektiv", "bada"),
        ("delmal1", &r(0)),
        ("delmal2", &r(1)),
        ("delmal3", &r(2)),
        ("delmal4", &r(3)),
        ("delmal5", &r(4)),
        ("tillampat", if i.is_multiple_of(2) { "ja" } else { "nej" }),
    ];
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(3000).clamp(1, 200_000);
    let conns: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(64).clamp(1, 1024);
    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("load.db")).await?;
    let registry = gnv_core::organisation::dalarna();
    db.install_registry(&registry, &gnv_core::delmal::default_subgoals(), &Actor::cli()).await?;
    db.create_round(2025, "2026-02-13", &[Part::Sjalvskattning], &registry, &Actor::cli()).await?;
    let t_setup = Instant::now();
    let mut links = Vec::with_capacity(n);
    for i in 0..n {
        let lsl = &registry.lsls[i % registry.lsls.len()].code;
        let (_, token) = db
            .create_invitation(
                2025,
                Part::Sjalvskattning,
                lsl,
                &format!("Svarande {i}"),
                &format!("s{i}@example.se"),
                30,
                &Actor::cli(),
            )
            .await?;
        links.push(format!("/svar/{token}"));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let mut config = Config { bind: addr.to_string(), db: dir.path().join("load.db"), ..Config::default() };
    config.mail.dir = dir.path().join("mail");
    let state = AppState { db: db.clone(), config: Arc::new(config) };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(gnv_web::serve_on(listener, state, async {
        let _ = rx.await;
    }));
    let base = Arc::new(format!("http://{addr}"));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(conns)
        .timeout(Duration::from_secs(60))
        .build()?;

    // Setup: open every link once (the form page sets the CSRF cookie and carries the token).
    let links = Arc::new(links);
    let next = Arc::new(AtomicUsize::new(0));
    let mut setup = Vec::new();
    for _ in 0..conns {
        let (client, base, links, next) = (client.clone(), base.clone(), links.clone(), next.clone());
        setup.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(link) = links.get(i) else { break };
                let resp = client.get(format!("{base}{link}")).send().await?;
                let cookie = resp
                    .headers()
                    .get_all(reqwest::header::SET_COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find_map(|v| v.strip_prefix("gnv_csrf="))
                    .and_then(|v| v.split(';').next())
                    .map(str::to_string)
                    .ok_or_else(|| anyhow::anyhow!("no CSRF cookie from {link}"))?;
                out.push((i, Prepared { link: link.clone(), body: form_body(i, &cookie), csrf: cookie }));
            }
            anyhow::Ok(out)
        }));
    }
    let mut prepared: Vec<Option<Prepared>> = (0..n).map(|_| None).collect();
    for t in setup {
        for (i, p) in t.await?? {
            prepared[i] = Some(p);
        }
    }
    let prepared: Arc<Vec<Prepared>> = Arc::new(prepared.into_iter().map(|p| p.expect("prepared")).collect());
    let setup_secs = t_setup.elapsed().as_secs_f64();

    // The timed burst: C workers, each submitting the next unsent form as soon as its previous
    // submission was acknowledged.
    let next = Arc::new(AtomicUsize::new(0));
    let wall = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..conns {
        let (client, base, prepared, next) = (client.clone(), base.clone(), prepared.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut failed = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = prepared.get(i) else { break };
                let t0 = Instant::now();
                let resp = client
                    .post(format!("{base}{}", p.link))
                    .header(reqwest::header::COOKIE, format!("gnv_csrf={}", p.csrf))
                    .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(p.body.clone())
                    .send()
                    .await;
                let status = resp.map(|r| r.status().as_u16()).unwrap_or(0);
                let d = t0.elapsed();
                if status == 303 {
                    lat.push(d);
                } else {
                    failed.push((i, status));
                }
            }
            (lat, failed)
        }));
    }
    let mut latencies = Vec::new();
    let mut failed = Vec::new();
    for w in workers {
        let (l, f) = w.await?;
        latencies.extend(l);
        failed.extend(f);
    }
    let wall = wall.elapsed();
    let acknowledged = latencies.len();

    let stored = db.responses(2025, Part::Sjalvskattning).await?;
    let submitted = stored.iter().filter(|r| r.status == gnv_core::rapportering::Status::Inskickad).count();
    let (audited,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'svar' AND action = 'skicka in'")
            .fetch_one(db.pool())
            .await?;
    let integrity = db.integrity_check().await?;
    latencies.sort();
    let pct = |p: f64| {
        latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("submissions:               {n} over {conns} connections (setup {setup_secs:.1} s, not timed)");
    println!("acknowledged (303):        {acknowledged}");
    println!("refused or failed:         {}", failed.len());
    println!("wall time:                 {:.2} s", wall.as_secs_f64());
    println!("durable submissions/s:     {:.0}", acknowledged as f64 / wall.as_secs_f64());
    println!(
        "latency p50 / p90 / p99 / max: {:.1} / {:.1} / {:.1} / {:.1} ms",
        ms(pct(0.5)),
        ms(pct(0.9)),
        ms(pct(0.99)),
        ms(latencies.last().copied().unwrap_or_default())
    );
    println!("stored as submitted:       {submitted}");
    println!("audit entries (skicka in): {audited}");
    println!(
        "integrity check:           {}",
        if integrity.is_empty() { "ok".into() } else { integrity.join("; ") }
    );
    let _ = tx.send(());
    let _ = server.await;
    if let Some((i, status)) = failed.first() {
        eprintln!("first failure: respondent {i}, HTTP {status}");
    }
    if submitted != acknowledged || audited as usize != acknowledged || !integrity.is_empty() {
        anyhow::bail!("{acknowledged} acknowledged but {submitted} stored and {audited} audited");
    }
    println!("OK: every acknowledged submission is stored with its audit entry, and only those.");
    Ok(())
}
