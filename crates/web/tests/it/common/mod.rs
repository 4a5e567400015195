//! Test harness: starts the real server on a random port against a fresh database — a SQLite
//! file, or a new PostgreSQL database when `GNV_TEST_POSTGRES` is set (see
//! `gnv_storage::testing`).

#![allow(dead_code)]

use gnv_core::roll::Role;
use gnv_storage::anvandare::NewUser;
use gnv_storage::testing::{test_postgres_url, ScratchDatabase};
use gnv_storage::{Actor, Db};
use gnv_web::{AppState, Config};
use std::sync::Arc;

pub const PASSWORD: &str = "Testlösenord-för-Dalarna-1";

pub struct TestApp {
    pub base: String,
    pub db: Db,
    /// Where the `fil` mail transport writes `.eml` files.
    pub mail_dir: std::path::PathBuf,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    // Dropped last (fields drop in declaration order): the database outlives the server.
    storage: TestStorage,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Where a test's database lives: a temporary directory (also used for mail files) and, on
/// PostgreSQL, the scratch database dropped at the end of the test.
pub struct TestStorage {
    pub dir: tempfile::TempDir,
    pub postgres: Option<ScratchDatabase>,
}

impl TestStorage {
    pub fn new() -> TestStorage {
        TestStorage { dir: tempfile::tempdir().expect("tempdir"), postgres: None }
    }

    /// Opens a fresh, empty, migrated database: SQLite `test.db` in the directory, or a new
    /// PostgreSQL database when `GNV_TEST_POSTGRES` is set.
    pub async fn open(&mut self) -> Db {
        match test_postgres_url() {
            Some(admin) => {
                if self.postgres.is_none() {
                    self.postgres =
                        Some(ScratchDatabase::create(&admin).await.expect("create test database"));
                }
                Db::connect(&self.postgres.as_ref().unwrap().url).await.expect("open db")
            }
            None => Db::open(&self.dir.path().join("test.db")).await.expect("open db"),
        }
    }

    pub fn on_postgres(&self) -> bool {
        test_postgres_url().is_some()
    }
}

/// A deadline far ahead: a round opened with it stays open for the whole test.
pub const OPEN_UNTIL: &str = "2099-02-13";

/// Opens the round of `year` with `parts` directly in the database, open until [`OPEN_UNTIL`].
pub async fn open_round_with(db: &Db, year: i32, parts: &[gnv_core::rapportering::Part]) {
    let registry = db.registry().await.expect("registry");
    db.create_round(year, OPEN_UNTIL, parts, &registry, &Actor::cli()).await.expect("round");
}

/// A fresh database with the Dalarna registry and three users: `admin`, `respondent` (bound to
/// lsl-mora and 2062) and `lasare`.
pub async fn seeded_db(storage: &mut TestStorage) -> Db {
    let db = storage.open().await;
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
    db
}

/// Starts one more server (another app instance) on `db`, sharing nothing else with the others.
/// Returns its base URL and the sender that stops it.
pub async fn start_server(
    db: Db,
    mail_dir: std::path::PathBuf,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut config = Config { bind: addr.to_string(), ..Config::default() };
    config.mail.dir = mail_dir;
    let state = AppState { db, config: Arc::new(config) };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = gnv_web::serve_on(listener, state, async {
            let _ = rx.await;
        })
        .await;
    });
    (format!("http://{addr}"), tx)
}

/// Starts the app with the Dalarna registry and three users: `admin`, `respondent` (bound to
/// lsl-mora and 2062) and `lasare`.
pub async fn spawn_app() -> TestApp {
    let mut storage = TestStorage::new();
    let db = seeded_db(&mut storage).await;
    let mail_dir = storage.dir.path().join("mail");
    let (base, tx) = start_server(db.clone(), mail_dir.clone()).await;
    TestApp { base, db, mail_dir, shutdown: Some(tx), storage }
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
