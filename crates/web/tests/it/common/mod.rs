//! Test harness: starts the real server on a random port against a fresh SQLite file.

#![allow(dead_code)]

use gnv_core::roll::Role;
use gnv_storage::anvandare::NewUser;
use gnv_storage::{Actor, Db};
use gnv_web::{AppState, Config};
use std::sync::Arc;

pub const PASSWORD: &str = "Testlösenord-för-Dalarna-1";

pub struct TestApp {
    pub base: String,
    pub db: Db,
    /// Where the `fil` mail transport writes `.eml` files.
    pub mail_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts the app with the Dalarna registry and three users: `admin`, `respondent` (bound to
/// lsl-mora and 2062) and `lasare`.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Db::open(&dir.path().join("test.db")).await.expect("open db");
    db.install_registry(
        &gnv_core::organisation::dalarna(),
        &gnv_core::delmal::default_subgoals(),
        &Actor::cli(),
    )
    .await
    .expect("registry");
    for (u, role, orgs) in [
        ("admin", Role::Admin, vec![]),
        ("respondent", Role::Respondent, vec!["lsl-mora".to_string(), "2062".to_string()]),
        ("lasare", Role::Reader, vec![]),
    ] {
        db.create_user(
            &NewUser {
                username: u.into(),
                display_name: format!("Test {u}"),
                email: String::new(),
                role,
                password: PASSWORD.into(),
                organisations: orgs,
            },
            &Actor::cli(),
        )
        .await
        .expect("user");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mail_dir = dir.path().join("mail");
    let mut config = Config { bind: addr.to_string(), db: dir.path().join("test.db"), ..Config::default() };
    config.mail.dir = mail_dir.clone();
    let state = AppState { db: db.clone(), config: Arc::new(config) };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = gnv_web::serve_on(listener, state, async {
            let _ = rx.await;
        })
        .await;
    });
    TestApp { base: format!("http://{addr}"), db, mail_dir, _dir: dir, shutdown: Some(tx) }
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Extracts the value of the first `name="csrf"` field or csrf meta tag in a page.
pub fn csrf_of(html: &str) -> String {
    for marker in ["name=\"csrf\" value=\"", "name=\"csrf-token\" content=\""] {
        if let Some(i) = html.find(marker) {
            let rest = &html[i + marker.len()..];
            return rest[..rest.find('"').unwrap_or(0)].to_string();
        }
    }
    panic!("no csrf token in page")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Logs in and returns the client with its session plus the session's CSRF token.
    pub async fn login(&self, username: &str) -> (reqwest::Client, String) {
        let c = client();
        let page = c.get(self.url("/logga-in")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&page);
        let resp = c
            .post(self.url("/logga-in"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("anvandarnamn", username),
                ("losenord", PASSWORD),
                ("nasta", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "log-in of {username} failed");
        let start = c.get(self.url("/")).send().await.unwrap().text().await.unwrap();
        let token = csrf_of(&start);
        (c, token)
    }
}
