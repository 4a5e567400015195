//! Pages of the module "Planering och uppföljning". Routes are declared in [`routes`].

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::routes::Routes;
use axum::response::Response;
use gnv_core::roll::Access;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/planering", Access::LoggedIn, "Planering och uppföljning", index)
}

/// The module's landing page.
pub async fn index(user: CurrentUser) -> AppResult<Response> {
    super::modul::landing(
        &user,
        "Planering och uppföljning",
        "planering",
        "Samverkansaktiviteter, stödinsatser, rapporteringskalender och den regionala handlingsplanen 2026–2030.",
        vec!["Modulen är under uppbyggnad i den här versionen av GNV-uppföljning."],
    )
}
