//! Pages of the module "Rapporteringsomgång". Routes are declared in [`routes`].

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::routes::Routes;
use axum::response::Response;
use gnv_core::roll::Access;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/rapportering", Access::LoggedIn, "Rapporteringsomgång", index)
}

/// The module's landing page.
pub async fn index(user: CurrentUser) -> AppResult<Response> {
    super::modul::landing(
        &user,
        "Rapporteringsomgång",
        "rapportering",
        "Årets rapportering: självskattning och kartläggning från de lokala systemledningarna, kommunenkät och ekonomisk redovisning från kommunerna.",
        vec!["Modulen är under uppbyggnad i den här versionen av GNV-uppföljning."],
    )
}
