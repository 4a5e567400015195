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
use gnv_core::access::Access;
use tower_http::trace::TraceLayer;

/// One declared route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub description: &'static str,
    /// The page shows individual answers (respondents' names, roles, ratings, reflections) of
    /// the organisation in its `{lsl}` path parameter only to admins and to respondents bound to
    /// that organisation; everyone else who may open it sees the consolidated values.
    pub individual_answers: bool,
}

/// A parameter of a JSON API route, for the OpenAPI description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiParam {
    pub name: &'static str,
    /// `"path"` or `"query"`.
    pub location: &'static str,
    pub required: bool,
    pub description: &'static str,
}

/// The JSON response of an API route: its Rust type's schema (schemars), so the OpenAPI
/// description is derived from the type the handler serialises and cannot drift from it.
#[derive(Clone)]
pub struct ApiDoc {
    pub path: &'static str,
    /// Adds the response type's schema (and its definitions) to the generator and returns the
    /// schema, usually a `$ref`.
    pub schema: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
    pub params: Vec<ApiParam>,
    /// Other documented responses (status, Swedish description).
    pub errors: Vec<(u16, &'static str)>,
}

/// Builder collecting routes and their declarations. Module page files add their routes with
/// `pub fn routes(r: Routes) -> Routes`.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteSpec>,
    api: Vec<ApiDoc>,
}

impl Routes {
    fn new() -> Self {
        Routes { router: Router::new(), table: Vec::new(), api: Vec::new() }
    }

    /// Declares that the route added last shows individual answers only to admins and the
    /// organisation's own respondents (see [`RouteSpec::individual_answers`]).
    pub fn individual_answers(mut self) -> Self {
        self.table.last_mut().expect("individual_answers() follows a route").individual_answers = true;
        self
    }

    /// Declares that the route added last answers `200` with JSON of type `T`.
    pub fn json<T: schemars::JsonSchema>(mut self) -> Self {
        let path = self.table.last().expect("json() follows a route").path;
        self.api.push(ApiDoc {
            path,
            schema: |g| g.subschema_for::<T>(),
            params: Vec::new(),
            errors: Vec::new(),
        });
        self
    }

    fn last_api(&mut self) -> &mut ApiDoc {
        self.api.last_mut().expect("declare .json::<T>() before its parameters")
    }

    /// Describes a path parameter of the JSON route declared last.
    pub fn path_param(mut self, name: &'static str, description: &'static str) -> Self {
        self.last_api().params.push(ApiParam { name, location: "path", required: true, description });
        self
    }

    /// Describes an optional query parameter of the JSON route declared last.
    pub fn query_param(mut self, name: &'static str, description: &'static str) -> Self {
        self.last_api().params.push(ApiParam { name, location: "query", required: false, description });
        self
    }

    /// Documents another response status of the JSON route declared last.
    pub fn error(mut self, status: u16, description: &'static str) -> Self {
        self.last_api().errors.push((status, description));
        self
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
            individual_answers: false,
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
    let r = pages::nyckeltal::kpi::routes(r);
    let r = pages::rapportering::routes(r);
    let r = pages::planering::routes(r);
    let r = pages::kommunenkat::routes(r);
    let r = pages::ekonomi::routes(r);
    let r = pages::oidc::routes(r);
    let r = pages::kontakter::routes(r);
    let r = pages::aret::routes(r);
    let r = pages::leveranser::routes(r);
    pages::arsrapport::routes(r)
}

fn foundation() -> Routes {
    use Access::*;
    Routes::new()
        // Public
        .get("/healthz", Public, "Hälsokontroll (databasen svarar)", pages::start::healthz)
        .get("/logga-in", Public, "Inloggningssida", pages::login::form)
        .get("/api/v1/openapi.json", Public, "OpenAPI-beskrivning av läs-API:t", crate::openapi::serve)
        .json::<crate::openapi::OpenApiDocument>()
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
        .json::<gnv_core::organisation::Registry>()
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
        .get("/admin/lansprofil", Admin, "Länsprofilen", pages::lansprofil::show)
        .post("/admin/lansprofil", Admin, "Ersätt länsprofilen", pages::lansprofil::replace)
        .get("/admin/lansprofil.toml", Admin, "Länsprofilen som TOML-fil", pages::lansprofil::download)
}

/// The declared route table.
pub fn table() -> Vec<RouteSpec> {
    declare().table
}

/// The JSON API routes' response types and parameters.
pub fn api_docs() -> Vec<ApiDoc> {
    declare().api
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
        // The request span records a redacted URI: link tokens and CSRF values never reach the
        // log (`logg`).
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::extract::Request| {
            tracing::debug_span!(
                "request",
                method = %req.method(),
                uri = %crate::logg::redact_uri(req.uri()),
                version = ?req.version(),
            )
        }))
        .with_state(state.clone());
    crate::security::with_headers(router, state.config.tls)
}
