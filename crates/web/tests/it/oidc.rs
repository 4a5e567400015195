//! Log-in through an identity provider (OpenID Connect, issue #18) against a real provider: the
//! certified `oidc-provider` package run by `scripts/oidc-provider` on loopback (its issuer URL in
//! `GNV_TEST_OIDC`; when unset, the test runs the script itself, which installs and starts the
//! provider or prints the URL of the one already running). Nothing here is a mock: the test
//! drives the provider's own log-in and consent pages with a cookie-keeping HTTP client, and the
//! server under test fetches discovery and keys, exchanges the code and verifies the ID token.
//!
//! - Wrong audience: the provider answers for the client id `<id>-alias` with the registration of
//!   client `<id>` (see tests/oidc/provider.mjs), so a server configured with the alias gets ID
//!   tokens whose `aud` is `<id>`.
//! - Expired token: the provider's second issuer (`<issuer>-sen-klocka`) runs the same software
//!   with its clock 10 minutes behind; its ID tokens (lifetime 5 minutes) have expired on arrival
//!   whatever our allowed clock skew (60 seconds).

use crate::common::{client, csrf_of, seeded_db, TestStorage};
use gnv_storage::oidc::BindingClaim;
use gnv_storage::{Actor, Db};
use gnv_web::oidc::{OidcConfig, ProviderConfig};
use gnv_web::{AppState, Config};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// The provider's issuer URL (clock right).
fn issuer() -> String {
    static ISSUER: OnceLock<String> = OnceLock::new();
    ISSUER
        .get_or_init(|| {
            if let Ok(url) = std::env::var("GNV_TEST_OIDC") {
                if !url.trim().is_empty() {
                    return url.trim().to_string();
                }
            }
            let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/oidc-provider");
            let out = std::process::Command::new(&script)
                .stderr(std::process::Stdio::inherit())
                .output()
                .expect("scripts/oidc-provider runs");
            assert!(out.status.success(), "scripts/oidc-provider failed");
            String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
        })
        .clone()
}

/// The same provider with its clock 10 minutes behind.
fn late_issuer() -> String {
    format!("{}-sen-klocka", issuer())
}

struct OidcApp {
    base: String,
    db: Db,
    issuer: String,
    _shutdown: tokio::sync::oneshot::Sender<()>,
    _storage: TestStorage,
}

impl OidcApp {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

#[derive(Default)]
struct Options {
    late_clock: bool,
    alias_client_id: bool,
    group_roles: Vec<(&'static str, &'static str)>,
    /// A second provider `annan` (same issuer, its own client).
    second_provider: bool,
    /// The provider's third issuer, whose signing keys the test can rotate.
    rotating_keys: bool,
}

/// Registers a client at the provider for a server on `base` (its redirect URI on the server's
/// random port); returns (client id, client secret).
async fn register_client(issuer: &str, base: &str, id: &str) -> (String, String) {
    let resp = reqwest::Client::new()
        .post(format!("{issuer}/reg"))
        .json(&serde_json::json!({
            "redirect_uris": [format!("{base}/oidc/{id}/callback")],
            "post_logout_redirect_uris": [format!("{base}/logga-in")],
            "response_types": ["code"],
            "grant_types": ["authorization_code"],
            "token_endpoint_auth_method": "client_secret_basic",
        }))
        .send()
        .await
        .expect("provider answers");
    assert_eq!(resp.status(), 201, "client registration");
    let v: serde_json::Value = resp.json().await.unwrap();
    (v["client_id"].as_str().unwrap().to_string(), v["client_secret"].as_str().unwrap().to_string())
}

/// Starts the server with the provider `test` configured (and the Dalarna registry and users
/// admin, respondent, lasare).
async fn spawn(opts: Options) -> OidcApp {
    let issuer = match (opts.late_clock, opts.rotating_keys) {
        (true, _) => late_issuer(),
        (_, true) => format!("{}-rotera", issuer()),
        _ => issuer(),
    };
    let mut storage = TestStorage::new();
    let db = seeded_db(&mut storage).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let (client_id, client_secret) = register_client(&issuer, &base, "test").await;
    let mut config = Config { bind: addr.to_string(), base_url: base.clone(), ..Config::default() };
    config.mail.dir = storage.dir.path().join("mail");
    config.oidc = OidcConfig {
        providers: vec![ProviderConfig {
            id: "test".into(),
            name: "Testidentitetstjänsten".into(),
            issuer: issuer.clone(),
            client_id: if opts.alias_client_id { format!("{client_id}-alias") } else { client_id },
            client_secret,
            scopes: vec!["email".into(), "profile".into(), "groups".into()],
            groups_claim: if opts.group_roles.is_empty() { String::new() } else { "groups".into() },
            group_roles: opts
                .group_roles
                .iter()
                .map(|(g, r)| (g.to_string(), r.to_string()))
                .collect::<BTreeMap<_, _>>(),
            ..ProviderConfig::default()
        }],
    };
    if opts.second_provider {
        let (client_id, client_secret) = register_client(&issuer, &base, "annan").await;
        config.oidc.providers.push(ProviderConfig {
            id: "annan".into(),
            name: "Annan organisation".into(),
            issuer: issuer.clone(),
            client_id,
            client_secret,
            ..ProviderConfig::default()
        });
    }
    config.oidc.check().expect("valid provider configuration");
    let state = AppState { db: db.clone(), config: Arc::new(config) };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = gnv_web::serve_on(listener, state, async {
            let _ = rx.await;
        })
        .await;
    });
    OidcApp { base, db, issuer, _shutdown: tx, _storage: storage }
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .unwrap_or_else(|| panic!("a redirect, got {}", resp.status()))
        .to_str()
        .unwrap()
        .to_string()
}

/// `location` resolved against `from`.
fn resolve(from: &str, location: &str) -> String {
    reqwest::Url::parse(from).unwrap().join(location).unwrap().to_string()
}

/// The value of attribute `attr` of the first element that contains `marker`.
fn attr_after(html: &str, marker: &str, attr: &str) -> String {
    let i = html.find(marker).unwrap_or_else(|| panic!("{marker} in {html}"));
    let rest = &html[i..];
    let key = format!("{attr}=\"");
    let j = rest.find(&key).unwrap_or_else(|| panic!("{attr} after {marker}")) + key.len();
    rest[j..j + rest[j..].find('"').unwrap()].replace("&amp;", "&")
}

/// The `href` of the last link that starts before `marker`.
fn href_before(html: &str, marker: &str) -> String {
    let i = html.find(marker).unwrap_or_else(|| panic!("{marker} in {html}"));
    let s = html[..i].rsplit("href=\"").next().expect("a link");
    s[..s.find('"').unwrap()].replace("&amp;", "&")
}

/// A log-in through the provider as a person does it, in a new browser. See [`log_in_with`].
async fn through_provider(app: &OidcApp, user: &str, password: &str) -> (reqwest::Client, String, String) {
    let c = client();
    let (browser, callback, _) = log_in_with(app, &c, user, password).await;
    (c, browser, callback)
}

/// A log-in through the provider in browser `c`: the log-in link on our page, the provider's
/// log-in form (user name, password) when it asks, and its consent page. Returns the browser
/// cookie our server set, the callback URL the provider sends the browser to (not yet visited),
/// and whether the provider asked for the password.
async fn log_in_with(
    app: &OidcApp,
    c: &reqwest::Client,
    user: &str,
    password: &str,
) -> (String, String, bool) {
    let page = c.get(app.url("/logga-in")).send().await.unwrap().text().await.unwrap();
    let link = href_before(&page, "Logga in med Testidentitetstjänsten");
    let resp = c.get(app.url(&link)).send().await.unwrap();
    assert_eq!(resp.status(), 303, "start redirects to the provider");
    let browser = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("gnv_oidc="))
        .map(|v| v[..v.find(';').unwrap_or(v.len())].to_string())
        .expect("browser-binding cookie");
    let mut url = location(&resp);
    assert!(url.starts_with(&app.issuer), "sent to the provider: {url}");
    assert!(url.contains("code_challenge_method=S256") && url.contains("nonce=") && url.contains("state="));
    let mut asked_password = false;
    for _ in 0..20 {
        if url.starts_with(&app.base) {
            return (browser, url, asked_password);
        }
        let resp = c.get(&url).send().await.unwrap();
        if resp.status().is_redirection() {
            url = resolve(&url, &location(&resp));
            continue;
        }
        let status = resp.status();
        let html = resp.text().await.unwrap();
        assert_eq!(status, 200, "provider page {url}: {html}");
        let action = resolve(&url, &attr_after(&html, "<form", "action"));
        let resp = if html.contains("name=\"anvandare\"") {
            asked_password = true;
            c.post(action).form(&[("anvandare", user), ("losenord", password)]).send().await.unwrap()
        } else if action.ends_with("/godkann") {
            c.post(action).send().await.unwrap()
        } else {
            panic!("unexpected provider page {url}: {html}");
        };
        assert!(resp.status().is_redirection(), "provider form answered {}", resp.status());
        url = resolve(&url, &location(&resp));
    }
    panic!("the provider never sent the browser back");
}

/// Whether `c` has a session: `/` answers 200 instead of redirecting to the log-in page.
async fn logged_in(app: &OidcApp, c: &reqwest::Client) -> bool {
    c.get(app.url("/")).send().await.unwrap().status() == 200
}

async fn audit_after_json(db: &Db, action: &str) -> Vec<String> {
    let rows: Vec<(Option<String>,)> =
        sqlx::query_as("SELECT after_json FROM audit_log WHERE action = $1 ORDER BY id")
            .bind(action)
            .fetch_all(db.pool())
            .await
            .unwrap();
    rows.into_iter().filter_map(|r| r.0).collect()
}

async fn user_count(db: &Db) -> i64 {
    db.user_count().await.unwrap()
}

#[tokio::test]
async fn an_admin_binds_a_user_and_the_log_in_lands_with_that_users_role() {
    let app = spawn(Options::default()).await;
    // The admin binds `lasare` (a reader) to Anna's subject on the admin page.
    let admin = client();
    let page = admin.get(app.url("/logga-in")).send().await.unwrap().text().await.unwrap();
    let resp = admin
        .post(app.url("/logga-in"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("anvandarnamn", "admin"),
            ("losenord", crate::common::PASSWORD),
            ("nasta", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let page = admin.get(app.url("/admin/identiteter")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Testidentitetstjänsten"));
    let resp = admin
        .post(app.url("/admin/identiteter"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("anvandarnamn", "lasare"),
            ("leverantor", "test"),
            ("ansprak", "sub"),
            ("varde", "anna-0001"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let page =
        admin.get(app.url("/admin/identiteter?ok=kopplad")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("anna-0001") && page.contains("lasare"), "the binding is listed");

    let (c, _, callback) = through_provider(&app, "anna", "anna-testlosen").await;
    let resp = c.get(&callback).send().await.unwrap();
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    assert_eq!(location(&resp), "/");
    let start = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(start.contains("Test lasare") && start.contains("Läsare"), "logged in as the bound reader");
    assert_eq!(c.get(app.url("/admin")).send().await.unwrap().status(), 403, "a reader is no admin");
    let logins = audit_after_json(&app.db, "inloggning").await;
    assert!(
        logins.iter().any(|a| a.contains("\"leverantör\":\"test\"") && a.contains("anna-0001")),
        "{logins:?}"
    );
}

#[tokio::test]
async fn an_email_binding_and_the_group_claim_give_the_mapped_role() {
    let app = spawn(Options { group_roles: vec![("gnv-analytiker", "admin")], ..Options::default() }).await;
    app.db
        .add_oidc_binding("lasare", "test", BindingClaim::Email, "Bertil.Berg@example.se", &Actor::cli())
        .await
        .unwrap();
    let (c, _, callback) = through_provider(&app, "bertil", "bertil-testlosen").await;
    assert_eq!(c.get(&callback).send().await.unwrap().status(), 303);
    assert_eq!(c.get(app.url("/admin")).send().await.unwrap().status(), 200, "the group maps to admin");
    let user = app.db.user_by_username("lasare").await.unwrap().unwrap();
    assert_eq!(user.role, gnv_core::access::Role::Admin);
    assert_eq!(audit_after_json(&app.db, "roll_fran_identitetstjanst").await.len(), 1);
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    let app = spawn(Options { alias_client_id: true, ..Options::default() }).await;
    app.db
        .add_oidc_binding("lasare", "test", BindingClaim::Subject, "anna-0001", &Actor::cli())
        .await
        .unwrap();
    let (c, _, callback) = through_provider(&app, "anna", "anna-testlosen").await;
    let resp = c.get(&callback).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let body = resp.text().await.unwrap();
    let refusals = audit_after_json(&app.db, "misslyckad_inloggning").await;
    assert!(body.contains("annan mottagare (aud)"), "{refusals:?}");
    assert!(!logged_in(&app, &c).await);
    let refusals = audit_after_json(&app.db, "misslyckad_inloggning").await;
    assert!(refusals.iter().any(|a| a.contains("aud")), "{refusals:?}");
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    let app = spawn(Options { late_clock: true, ..Options::default() }).await;
    app.db
        .add_oidc_binding("lasare", "test", BindingClaim::Subject, "anna-0001", &Actor::cli())
        .await
        .unwrap();
    let (c, _, callback) = through_provider(&app, "anna", "anna-testlosen").await;
    let resp = c.get(&callback).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let body = resp.text().await.unwrap();
    assert!(body.contains("har gått ut (exp)"), "{body}");
    assert!(!logged_in(&app, &c).await);
}

#[tokio::test]
async fn a_replayed_state_is_refused() {
    let app = spawn(Options::default()).await;
    app.db
        .add_oidc_binding("lasare", "test", BindingClaim::Subject, "anna-0001", &Actor::cli())
        .await
        .unwrap();
    let (c, browser, callback) = through_provider(&app, "anna", "anna-testlosen").await;
    assert_eq!(c.get(&callback).send().await.unwrap().status(), 303);
    assert!(logged_in(&app, &c).await);
    // The same answer (state and code) again, from the same browser (its binding cookie).
    let replay = client();
    let resp = replay.get(&callback).header("cookie", format!("gnv_oidc={browser}")).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("redan använts"));
    assert!(!logged_in(&app, &replay).await);
    // A log-in's answer delivered to another browser is refused too (login CSRF).
    let (_, _, fresh_callback) = through_provider(&app, "anna", "anna-testlosen").await;
    let other = client();
    assert_eq!(other.get(&fresh_callback).send().await.unwrap().status(), 400);
    assert!(!logged_in(&app, &other).await);
}

#[tokio::test]
async fn an_unknown_identity_gets_the_swedish_message_and_nothing_is_created() {
    let app = spawn(Options::default()).await;
    let users_before = user_count(&app.db).await;
    let (c, _, callback) = through_provider(&app, "okand", "okand-testlosen").await;
    let resp = c.get(&callback).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Ditt konto finns inte i GNV-uppföljning – kontakta RSS"), "{body}");
    assert!(!logged_in(&app, &c).await);
    assert_eq!(user_count(&app.db).await, users_before, "no user is created");
    assert!(app.db.oidc_bindings().await.unwrap().is_empty(), "no binding is created");
    let refusals = audit_after_json(&app.db, "misslyckad_inloggning").await;
    assert!(
        refusals.iter().any(|a| a.contains("okand-0003") && a.contains("okänd identitet")),
        "{refusals:?}"
    );
}

#[tokio::test]
async fn log_out_ends_the_session_and_offers_the_providers_end_session() {
    let app = spawn(Options::default()).await;
    app.db
        .add_oidc_binding("lasare", "test", BindingClaim::Subject, "anna-0001", &Actor::cli())
        .await
        .unwrap();
    let (c, _, callback) = through_provider(&app, "anna", "anna-testlosen").await;
    assert_eq!(c.get(&callback).send().await.unwrap().status(), 303);
    let start = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let resp = c.post(app.url("/logga-ut")).form(&[("csrf", csrf_of(&start).as_str())]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    assert!(page.contains("Du är utloggad"));
    assert!(!logged_in(&app, &c).await, "the local session has ended");
    let end = href_before(&page, "id=\"logga-ut-leverantor\"");
    assert!(end.starts_with(&format!("{}/session/end?", app.issuer)), "{end}");
    assert!(end.contains("id_token_hint=") && end.contains("post_logout_redirect_uri="));
    // The provider's own log-out page, confirmed: back on our log-in page.
    let html = c.get(&end).send().await.unwrap().text().await.unwrap();
    let action = resolve(&end, &attr_after(&html, "id=\"op.logoutForm\"", "action"));
    let xsrf = attr_after(&html, "name=\"xsrf\"", "value");
    let resp = c.post(&action).form(&[("xsrf", xsrf.as_str()), ("logout", "yes")]).send().await.unwrap();
    assert!(resp.status().is_redirection());
    assert_eq!(location(&resp), app.url("/logga-in"));
    // The provider's session has ended too: a new log-in in the same browser asks for the
    // password again.
    let (_, callback, asked_password) = log_in_with(&app, &c, "anna", "anna-testlosen").await;
    assert!(asked_password, "the provider's session ended at its end-session endpoint");
    let resp = c.get(&callback).send().await.unwrap();
    let status = resp.status();
    let body = resp.text().await.unwrap();
    let refusals = audit_after_json(&app.db, "misslyckad_inloggning").await;
    assert_eq!(status, 303, "{refusals:?}");
    assert!(body.is_empty() || !body.contains("error-box"));
    assert!(logged_in(&app, &c).await);
}

#[tokio::test]
async fn several_providers_are_offered_and_an_answer_is_taken_only_by_its_own_provider() {
    let app = spawn(Options { second_provider: true, ..Options::default() }).await;
    app.db
        .add_oidc_binding("lasare", "test", BindingClaim::Subject, "anna-0001", &Actor::cli())
        .await
        .unwrap();
    app.db
        .add_oidc_binding("lasare", "annan", BindingClaim::Subject, "anna-0001", &Actor::cli())
        .await
        .unwrap();
    let page = client().get(app.url("/logga-in")).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("Logga in med Testidentitetstjänsten")
            && page.contains("Logga in med Annan organisation")
    );
    // The provider's answer to a log-in started at `test`, delivered to `annan`'s callback.
    let (c, _, callback) = through_provider(&app, "anna", "anna-testlosen").await;
    let wrong = callback.replace("/oidc/test/callback", "/oidc/annan/callback");
    assert_ne!(wrong, callback);
    assert_eq!(c.get(&wrong).send().await.unwrap().status(), 400);
    assert!(!logged_in(&app, &c).await);
}

#[tokio::test]
async fn new_signing_keys_of_the_provider_are_fetched_when_the_cached_ones_do_not_verify() {
    let app = spawn(Options { rotating_keys: true, ..Options::default() }).await;
    app.db
        .add_oidc_binding("lasare", "test", BindingClaim::Subject, "anna-0001", &Actor::cli())
        .await
        .unwrap();
    let (c, _, callback) = through_provider(&app, "anna", "anna-testlosen").await;
    assert_eq!(c.get(&callback).send().await.unwrap().status(), 303, "first log-in: keys fetched and cached");
    // The provider starts signing with a new key (new kid) that the cached JWKS does not have.
    let resp = reqwest::Client::new().post(format!("{}/gnv-test/rotera", app.issuer)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let (c, _, callback) = through_provider(&app, "anna", "anna-testlosen").await;
    assert_eq!(c.get(&callback).send().await.unwrap().status(), 303, "the new key is fetched and verifies");
    assert!(logged_in(&app, &c).await);
}

#[tokio::test]
async fn refused_answers_count_towards_the_log_in_throttling() {
    let app = spawn(Options::default()).await;
    let c = client();
    for i in 0..gnv_storage::sessioner::MAX_FAILURES {
        let resp = c.get(app.url(&format!("/oidc/test/callback?state=fel{i}&code=x"))).send().await.unwrap();
        assert_eq!(resp.status(), 400, "refusal {i}");
    }
    let resp = c.get(app.url("/oidc/test/callback?state=fel&code=x")).send().await.unwrap();
    assert_eq!(resp.status(), 429);
    let resp = c.get(app.url("/oidc/test/logga-in")).send().await.unwrap();
    assert_eq!(resp.status(), 429, "no new log-in through the provider from this address");
    assert_eq!(
        audit_after_json(&app.db, "misslyckad_inloggning").await.len() as i64,
        gnv_storage::sessioner::MAX_FAILURES
    );
}
