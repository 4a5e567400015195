//! Web adapter of GNV-uppföljning: an axum server rendering Swedish HTML pages with askama.
//!
//! Request flow: [`security`] headers and body limits → [`auth::session_layer`] (loads the user
//! from the session cookie and checks the CSRF token of every state-changing request) → the route's
//! declared [`gnv_core::access::Access`] ([`routes`]) → a thin handler in [`pages`] that calls
//! storage and core and renders a template.
//!
//! Module map:
//! - [`config`] — server configuration (TOML + `GNV_*`).
//! - [`routes`] — the route table: every route with its access level; the router is built from it.
//! - [`auth`] — sessions, CSRF, the access guard, the [`auth::CurrentUser`] extractor.
//! - [`error`] — [`error::AppError`] and the Swedish 403/404/500 pages.
//! - [`view`] — layout context and helpers shared by templates.
//! - [`shared`] — what every page module uses: the [`shared::Year`] path extractor (one range,
//!   one message), [`shared::OkQuery`] and its flash message, file downloads with RFC 6266 names.
//! - [`logg`] — what the request log may show (secret tokens and passwords redacted).
//! - [`notice`] — the notices after a redirect (`?ok=key`): one table of keys and texts.
//! - [`mail`] — outgoing e-mail (lettre): `.eml` files or SMTP.
//! - [`oidc`] — log-in through identity providers (OpenID Connect): configuration, discovery
//!   and JWKS cache, code flow with PKCE, ID-token verification (handlers in `pages::oidc`).
//! - [`assets`] — vendored CSS and JavaScript served from the binary.
//! - [`openapi`] — the OpenAPI description of the read API, generated from the route table and
//!   the response types ([`api`] and the domain types, schemars).
//! - [`pages`] — one module per area (start, log-in, organisations, administration, …).

pub mod api;
pub mod api_schemas;
pub mod assets;
pub mod auth;
pub mod config;
pub mod error;
pub mod logg;
pub mod mail;
pub mod notice;
pub mod oidc;
pub mod openapi;
pub mod pages;
pub mod routes;
pub mod security;
pub mod shared;
pub mod view;

use gnv_storage::Db;
use std::net::SocketAddr;
use std::sync::Arc;

pub use config::Config;

/// Shared state of the server. Holds no mutable in-process state: everything lives in the
/// database, so several instances can serve one database.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
}

/// Builds the application router.
pub fn app(state: AppState) -> axum::Router {
    routes::build(state)
}

/// Serves the application on an already bound listener until `shutdown` completes.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    spawn_scheduled_work(state.clone());
    let app = app(state);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// The server's own scheduled work, at start and then every minute:
/// - closes reporting rounds at their deadline: every open round whose deadline day (Swedish
///   time) has passed is closed and its snapshot frozen ([`Db::close_due_rounds`]); several
///   instances race safely, each round closes once under the database's write lock.
///   Respondents' writes are refused from the deadline on regardless, since the gate computes
///   the state from the deadline itself;
/// - sends the scheduled reminders that are due, each on exactly one instance (job leases,
///   [`pages::rapportering::omgang::run_due_reminders`]).
fn spawn_scheduled_work(state: AppState) {
    let instance = format!("instans-{}", &gnv_storage::sessioner::random_token()[..12]);
    tokio::spawn(async move {
        loop {
            match state.db.close_due_rounds(gnv_storage::omgang::today(), &gnv_storage::Actor::server()).await
            {
                Ok(years) if !years.is_empty() => {
                    tracing::info!(?years, "closed reporting rounds at their deadline")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not close due reporting rounds"),
            }
            match pages::rapportering::omgang::run_due_reminders(&state, &instance).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(jobs = n, "sent scheduled reminders"),
                Err(e) => tracing::warn!(error = ?e, "could not send scheduled reminders"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        }
    });
}
