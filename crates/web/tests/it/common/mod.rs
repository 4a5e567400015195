//! Test harness: starts the real server on a random port against a fresh database — a SQLite
//! file, or a new PostgreSQL database when `GNV_TEST_POSTGRES` is set (see
//! `gnv_storage::testing`).

#![allow(dead_code)]

use gnv_core::access::Role;
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

pub mod smtp;

/// Starts the app (registry and the three users) with its mail settings changed by `mail`.
pub async fn spawn_app_with_mail(mail: impl FnOnce(&mut gnv_web::config::MailConfig)) -> TestApp {
    let mut storage = TestStorage::new();
    let db = seeded_db(&mut storage).await;
    let mail_dir = storage.dir.path().join("mail");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut config = Config { bind: addr.to_string(), ..Config::default() };
    config.base_url = format!("http://{addr}");
    config.mail.dir = mail_dir.clone();
    mail(&mut config.mail);
    let state = AppState { db: db.clone(), config: Arc::new(config) };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = gnv_web::serve_on(listener, state, async {
            let _ = rx.await;
        })
        .await;
    });
    TestApp { base: format!("http://{addr}"), db, mail_dir, shutdown: Some(tx), storage }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(value) {
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn qp_decode(s: &str, underscore_is_space: bool) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'=' if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') => i += 3,
            b'=' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'=' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(v) => out.push(v),
                    Err(_) => out.extend_from_slice(&b[i..i + 3]),
                }
                i += 3;
            }
            b'_' if underscore_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// A received e-mail as readable text: `Subject: …` (encoded words decoded), a blank line, the
/// body decoded from its transfer encoding (quoted-printable or base64).
pub fn decode_mail(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    // Unfold continuation lines.
    let head = head.replace("\n ", " ").replace("\n\t", " ");
    let header = |name: &str| {
        head.lines()
            .find(|l| l.to_lowercase().starts_with(&format!("{}:", name.to_lowercase())))
            .map(|l| l[name.len() + 1..].trim().to_string())
            .unwrap_or_default()
    };
    // RFC 2047: whitespace between two adjacent encoded words is dropped, all other kept.
    let mut subject = String::new();
    let mut previous_encoded = false;
    for word in header("Subject").split(' ').filter(|w| !w.is_empty()) {
        let decoded = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?=")).map(|inner| {
            let parts: Vec<&str> = inner.splitn(3, '?').collect();
            match parts.as_slice() {
                [_, enc, text] if enc.eq_ignore_ascii_case("b") => {
                    String::from_utf8_lossy(&base64_decode(text)).to_string()
                }
                [_, _, text] => String::from_utf8_lossy(&qp_decode(text, true)).to_string(),
                _ => word.to_string(),
            }
        });
        let join_encoded = previous_encoded && decoded.is_some();
        if !subject.is_empty() && !join_encoded {
            subject.push(' ');
        }
        previous_encoded = decoded.is_some();
        subject.push_str(&decoded.unwrap_or_else(|| word.to_string()));
    }
    let encoding = header("Content-Transfer-Encoding").to_lowercase();
    let body = match encoding.as_str() {
        "base64" => String::from_utf8_lossy(&base64_decode(body)).to_string(),
        "quoted-printable" => String::from_utf8_lossy(&qp_decode(body, false)).to_string(),
        _ => body.to_string(),
    }
    .replace("\r\n", "\n");
    format!("Subject: {}\nTo: {}\n\n{body}", subject.trim(), header("To"))
}

/// One part of a `multipart/*` message: its headers (unfolded, one per line) and its body
/// decoded from its transfer encoding (base64 or quoted-printable).
pub struct MimePart {
    pub headers: String,
    pub body: Vec<u8>,
}

impl MimePart {
    /// A header's value ("" when absent), e.g. `Content-Type`.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .lines()
            .find(|l| l.to_lowercase().starts_with(&format!("{}:", name.to_lowercase())))
            .map(|l| l[name.len() + 1..].trim().to_string())
            .unwrap_or_default()
    }
}

/// The parts of a `multipart/*` message as received (no nesting): split at the boundary named
/// in the message's `Content-Type`. Panics when the message is not multipart.
pub fn mime_parts(raw: &str) -> Vec<MimePart> {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").expect("head and body");
    let head = head.replace("\n ", " ").replace("\n\t", " ");
    let content_type =
        head.lines().find(|l| l.to_lowercase().starts_with("content-type:")).expect("a Content-Type header");
    assert!(content_type.to_lowercase().contains("multipart/"), "not multipart: {content_type}");
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .expect("a boundary")
        .trim_matches('"')
        .to_string();
    body.split(&format!("--{boundary}"))
        .skip(1)
        .filter(|p| !p.starts_with("--"))
        .map(|p| {
            let p = p.strip_prefix('\n').unwrap_or(p);
            let (headers, body) = p.split_once("\n\n").unwrap_or((p, ""));
            let headers = headers.replace("\n ", " ").replace("\n\t", " ");
            let encoding = headers
                .lines()
                .find(|l| l.to_lowercase().starts_with("content-transfer-encoding:"))
                .map(|l| l["content-transfer-encoding:".len()..].trim().to_lowercase())
                .unwrap_or_default();
            let body = match encoding.as_str() {
                "base64" => base64_decode(body),
                "quoted-printable" => qp_decode(body, false),
                _ => body.as_bytes().to_vec(),
            };
            MimePart { headers, body }
        })
        .collect()
}

/// Starts the app (registry and the three users) with its configuration changed by `change`.
pub async fn spawn_app_with_config(change: impl FnOnce(&mut Config)) -> TestApp {
    let mut storage = TestStorage::new();
    let db = seeded_db(&mut storage).await;
    let mail_dir = storage.dir.path().join("mail");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut config = Config { bind: addr.to_string(), ..Config::default() };
    config.mail.dir = mail_dir.clone();
    change(&mut config);
    let state = AppState { db: db.clone(), config: Arc::new(config) };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = gnv_web::serve_on(listener, state, async {
            let _ = rx.await;
        })
        .await;
    });
    TestApp { base: format!("http://{addr}"), db, mail_dir, shutdown: Some(tx), storage }
}
