//! Pages of the module "Nyckeltal och infografik". Routes are declared in [`routes`].

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::routes::Routes;
use axum::response::Response;
use gnv_core::roll::Access;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/nyckeltal", Access::LoggedIn, "Nyckeltal och infografik", index)
}

/// The module's landing page.
pub async fn index(user: CurrentUser) -> AppResult<Response> {
    super::modul::landing(
        &user,
        "Nyckeltal och infografik",
        "nyckeltal",
        "20 nyckeltal, fyra per delmål, med trender, jämförelser med andra och låsta årliga utgåvor.",
        vec!["Modulen är under uppbyggnad i den här versionen av GNV-uppföljning."],
    )
}
