//! The route table. Every route is declared here with its method, path, access level and a
//! Swedish description; the router is built from the table, so no route can exist without a
//! declared access. The table is shown to admins (`/admin/behorigheter`) and enumerated by the
//! access-matrix test.

use crate::auth::{guard, session_layer};
use crate::{assets, pages, AppState};
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::routing::{on, MethodFilter};
use axum::Router;
use gnv_core::roll::Access;
use tower_http::trace::TraceLayer;

/// One declared route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub description: &'static str,
}

/// Builder collecting routes and their declarations. Module page files add their routes with
/// `pub fn routes(r: Routes) -> Routes`.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteSpec>,
}

impl Routes {
    fn new() -> Self {
        Routes { router: Router::new(), table: Vec::new() }
    }

    fn add<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        description: &'static str,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = if method == Method::POST { MethodFilter::POST } else { MethodFilter::GET };
        let method_router = on(filter, handler).route_layer(from_fn_with_state(access, guard));
        self.router = self.router.route(path, method_router);
        self.table.push(RouteSpec {
            method: if method == Method::POST { "POST" } else { "GET" },
            path,
            access,
            description,
        });
        self
    }

    pub fn get<H, T>(self, path: &'static str, access: Access, description: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, access, description, handler)
    }

    pub fn post<H, T>(self, path: &'static str, access: Access, description: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, access, description, handler)
    }
}

fn declare() -> Routes {
    let r = foundation();
    // Each module declares its own routes in its page module.
    let r = pages::nyckeltal::routes(r);
    let r = pages::rapportering::routes(r);
    let r = pages::planering::routes(r);
    let r = pages::kommunenkat::routes(r);
    let r = pages::ekonomi::routes(r);
    pages::arsrapport::routes(r)
}

fn foundation() -> Routes {
    use Access::*;
    Routes::new()
        // Public
        .get("/healthz", Public, "Hälsokontroll (databasen svarar)", pages::start::healthz)
        .get("/logga-in", Public, "Inloggningssida", pages::login::form)
        .get("/api/v1/openapi.json", Public, "OpenAPI-beskrivning av läs-API:t", crate::openapi::serve)
        .post("/logga-in", Public, "Logga in", pages::login::submit)
        .get("/static/{*file}", Public, "Statiska filer (CSS, JavaScript)", assets::serve)
        // Any logged-in user
        .get("/", LoggedIn, "Startsida med översikt", pages::start::index)
        .post("/logga-ut", LoggedIn, "Logga ut", pages::login::logout)
        .get("/organisationer", LoggedIn, "Organisationsregistret", pages::organisationer::list)
        .get("/organisationer/{kod}", LoggedIn, "En organisation", pages::organisationer::detail)
        .get(
            "/api/v1/organisationer",
            LoggedIn,
            "Organisationsregistret som JSON",
            pages::organisationer::api_list,
        )
        // Admin
        .post("/organisationer/{kod}", Admin, "Ändra en organisation", pages::organisationer::update)
        .post(
            "/organisationer/{kod}/medlemmar",
            Admin,
            "Ändra en lokal systemlednings kommuner",
            pages::organisationer::update_members,
        )
        .get("/admin", Admin, "Administration", pages::admin::index)
        .get("/admin/granskningslogg", Admin, "Granskningslogg", pages::admin::audit)
        .get("/admin/anvandare", Admin, "Användare", pages::admin::users)
        .post("/admin/anvandare", Admin, "Skapa användare", pages::admin::create_user)
        .post(
            "/admin/anvandare/{namn}/aktiv",
            Admin,
            "Aktivera eller inaktivera användare",
            pages::admin::set_active,
        )
        .get("/admin/behorigheter", Admin, "Behörighetstabell för alla sidor", pages::admin::access_table)
}

/// The declared route table.
pub fn table() -> Vec<RouteSpec> {
    declare().table
}

/// Builds the complete router with all layers.
pub fn build(state: AppState) -> Router {
    let routes = declare();
    let body_limit = state.config.max_upload_bytes.max(state.config.max_body_bytes);
    let router = routes
        .router
        .fallback(|| async { crate::error::error_page(StatusCode::NOT_FOUND, "Sidan du söker finns inte.") })
        .layer(from_fn_with_state(state.clone(), session_layer))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TraceLayer::new_for_http())
        .with_state(state.clone());
    crate::security::with_headers(router, state.config.tls)
}
