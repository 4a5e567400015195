//! Pages of the module "Årsrapport". Routes are declared in [`routes`].

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::routes::Routes;
use axum::response::Response;
use gnv_core::roll::Access;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/arsrapport", Access::LoggedIn, "Årsrapport", index)
}

/// The module's landing page.
pub async fn index(user: CurrentUser) -> AppResult<Response> {
    super::modul::landing(
        &user,
        "Årsrapport",
        "arsrapport",
        "Årsrapporten om omställningen till God och nära vård, genererad ur data.",
        vec!["Modulen är under uppbyggnad i den här versionen av GNV-uppföljning."],
    )
}
