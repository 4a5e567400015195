//! Crash safety: the server is killed with SIGKILL while clients are writing concurrently. After a
//! restart every write that was acknowledged (HTTP 303) must be present and SQLite's integrity
//! check must pass.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PASSWORD: &str = "Ett-långt-lösenord-2026";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

fn serve(dir: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_gnv"))
        .args(["serve", "--db", "gnv.db", "--bind", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .env("GNV_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server")
}

async fn wait_healthy(base: &str) {
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{base}/healthz")).await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not become healthy");
}

fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let i = html.find(marker).expect("csrf field") + marker.len();
    html[i..i + 64].to_string()
}

async fn login(base: &str) -> (reqwest::Client, String) {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = c.get(format!("{base}/logga-in")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let r = c
        .post(format!("{base}/logga-in"))
        .form(&[("csrf", csrf.as_str()), ("anvandarnamn", "admin"), ("losenord", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = c.get(format!("{base}/admin/anvandare")).send().await.unwrap().text().await.unwrap();
    let token = csrf_of(&page);
    (c, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill() {
    if gnv_storage::testing::test_postgres_url().is_some() {
        // Durability of the SQLite file is what this proves; PostgreSQL guarantees its own.
        eprintln!("SQLite only: skipped in the PostgreSQL pass");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let init = Command::new(env!("CARGO_BIN_EXE_gnv"))
        .args(["init", "--db", "gnv.db"])
        .current_dir(dir.path())
        .env("GNV_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(init.status.success());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = serve(dir.path(), port);
    wait_healthy(&base).await;
    let (client, csrf) = login(&base).await;
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut tasks = Vec::new();
    for t in 0..8 {
        let (client, csrf, base, acknowledged) =
            (client.clone(), csrf.clone(), base.clone(), acknowledged.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..10_000 {
                let name = format!("krasch-{t}-{i}");
                let resp = client
                    .post(format!("{base}/admin/anvandare"))
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("anvandarnamn", name.as_str()),
                        ("namn", "Kraschtest"),
                        ("roll", "reader"),
                        ("losenord", "Kraschtest-lösenord-1"),
                    ])
                    .send()
                    .await;
                match resp {
                    Ok(r) if r.status() == 303 => acknowledged.lock().unwrap().push(name),
                    Ok(r) => panic!("unexpected status {}", r.status()),
                    Err(_) => break, // the server is gone
                }
            }
        }));
    }
    // Let writes run, then kill the server hard in the middle of them.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    unsafe {
        libc::kill(child.id() as i32, libc::SIGKILL);
    }
    let _ = child.wait();
    for t in tasks {
        let _ = t.await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 8, "too few writes before the kill: {}", acknowledged.len());
    // Restart and verify.
    let mut child = serve(dir.path(), port);
    wait_healthy(&base).await;
    let db = gnv_storage::Db::open(&dir.path().join("gnv.db")).await.unwrap();
    assert!(db.integrity_check().await.unwrap().is_empty(), "integrity check");
    let users: std::collections::BTreeSet<String> =
        db.users().await.unwrap().into_iter().map(|u| u.username).collect();
    let lost: Vec<&String> = acknowledged.iter().filter(|n| !users.contains(*n)).collect();
    assert!(lost.is_empty(), "{} acknowledged writes lost: {:?}", lost.len(), &lost[..lost.len().min(5)]);
    // Every acknowledged write has its audit entry too (same transaction).
    let audit = db
        .audit_list(&gnv_storage::audit::AuditFilter {
            entity: Some("anvandare".into()),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let audited: std::collections::BTreeSet<&str> = audit.iter().map(|r| r.entity_id.as_str()).collect();
    assert!(acknowledged.iter().take(1000).all(|n| audited.contains(n.as_str())));
    eprintln!(
        "crash test: {} acknowledged writes before SIGKILL, all present after restart",
        acknowledged.len()
    );
    let _ = child.kill();
    let _ = child.wait();
}
