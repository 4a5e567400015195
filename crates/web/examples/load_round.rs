//! Load test of the reporting round: N respondents (default 200, at most 1 000) submit their
//! self-assessment through their invitation links at the same moment, against the real server on
//! a loopback port with a fresh SQLite database in a temporary directory. Afterwards every
//! acknowledged submission (HTTP 303) must be stored as submitted, and nothing unacknowledged.
//!
//! Run with `scripts/load-round` (or `cargo run --release -p gnv-web --example load_round -- 200`).
//! Binds only to 127.0.0.1; makes no other network access.

use gnv_core::rapportering::Part;
use gnv_storage::{Actor, Db};
use gnv_web::{AppState, Config};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200).clamp(1, 1000);
    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("load.db")).await?;
    let registry = gnv_core::organisation::dalarna();
    db.install_registry(&registry, &gnv_core::delmal::default_subgoals(), &Actor::cli()).await?;
    db.create_round(2025, "2026-02-13", &[Part::Sjalvskattning], &registry, &Actor::cli()).await?;
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
    let base = format!("http://{addr}");

    // Every respondent first opens the link (gets the form's CSRF cookie), then all submit at once.
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let mut tasks = Vec::with_capacity(n);
    for (i, link) in links.into_iter().enumerate() {
        let base = base.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let c = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                .build()
                .expect("client");
            let page = c.get(format!("{base}{link}")).send().await.ok()?.text().await.ok()?;
            let marker = "name=\"csrf\" value=\"";
            let at = page.find(marker)? + marker.len();
            let csrf = page[at..at + 64].to_string();
            let r = |k: usize| ((i + k) % 5 + 1).to_string();
            let form = vec![
                ("csrf", csrf),
                ("atgard", "skicka".to_string()),
                ("respondent", format!("Svarande {i}")),
                ("roll", "ledamot".to_string()),
                ("perspektiv", "bada".to_string()),
                ("delmal1", r(0)),
                ("delmal2", r(1)),
                ("delmal3", r(2)),
                ("delmal4", r(3)),
                ("delmal5", r(4)),
                ("tillampat", if i % 2 == 0 { "ja" } else { "nej" }.to_string()),
            ];
            barrier.wait().await;
            let t0 = Instant::now();
            let resp = c.post(format!("{base}{link}")).form(&form).send().await;
            let elapsed = t0.elapsed();
            Some((i, resp.map(|r| r.status().as_u16()).unwrap_or(0), elapsed))
        }));
    }
    let wall = Instant::now();
    let mut acknowledged = Vec::new();
    let mut failed = 0usize;
    let mut latencies = Vec::new();
    for t in tasks {
        match t.await? {
            Some((i, 303, d)) => {
                acknowledged.push(i);
                latencies.push(d);
            }
            Some((_, _, d)) => {
                failed += 1;
                latencies.push(d);
            }
            None => failed += 1,
        }
    }
    let wall = wall.elapsed();
    let stored = db.responses(2025, Part::Sjalvskattning).await?;
    let submitted = stored.iter().filter(|r| r.status == gnv_core::rapportering::Status::Inskickad).count();
    latencies.sort();
    let pct = |p: f64| {
        latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
    };
    println!("respondents:             {n}");
    println!("acknowledged (303):      {}", acknowledged.len());
    println!("refused or failed:       {failed}");
    println!("stored as submitted:     {submitted}");
    println!("wall time, all submits:  {:.2} s", wall.as_secs_f64());
    println!(
        "latency p50 / p95 / max: {:.0} / {:.0} / {:.0} ms",
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.95).as_secs_f64() * 1000.0,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
    );
    let _ = tx.send(());
    let _ = server.await;
    if submitted != acknowledged.len() {
        anyhow::bail!("{} acknowledged but {submitted} stored", acknowledged.len());
    }
    println!("OK: every acknowledged submission is stored, and only those.");
    Ok(())
}
