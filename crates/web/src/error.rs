//! Application errors and the Swedish error pages.

use crate::view::PageCtx;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gnv_storage::StorageError;

/// An error a handler returns; rendered as a Swedish page with the right status.
#[derive(Debug)]
pub enum AppError {
    NotFound(String),
    Forbidden(String),
    BadRequest(String),
    Conflict(String),
    Internal(String),
}

impl AppError {
    pub fn not_found() -> Self {
        AppError::NotFound("Sidan eller uppgiften du söker finns inte.".into())
    }
    pub fn forbidden() -> Self {
        AppError::Forbidden("Du har inte behörighet till den här sidan.".into())
    }
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound(m) => AppError::NotFound(m),
            StorageError::Invalid(m) => AppError::BadRequest(m),
            StorageError::Conflict(m) => AppError::Conflict(m),
            other => {
                tracing::error!(error = %other, "storage error");
                AppError::Internal("Ett internt fel uppstod. Försök igen om en stund.".into())
            }
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        tracing::error!(error = %e, "template error");
        AppError::Internal("Sidan kunde inte visas.".into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageCtx,
    status: u16,
    heading: &'static str,
    message: String,
}

/// Renders an error page with `status`.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let heading = match status {
        StatusCode::NOT_FOUND => "Sidan finns inte",
        StatusCode::FORBIDDEN => "Åtkomst nekad",
        StatusCode::UNAUTHORIZED => "Inloggning krävs",
        StatusCode::BAD_REQUEST => "Felaktiga uppgifter",
        StatusCode::CONFLICT => "Det gick inte att spara",
        StatusCode::PAYLOAD_TOO_LARGE => "Filen eller formuläret är för stort",
        StatusCode::TOO_MANY_REQUESTS => "För många försök",
        _ => "Något gick fel",
    };
    let page = ErrorPage {
        ctx: PageCtx::anonymous(heading),
        status: status.as_u16(),
        heading,
        message: message.to_string(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_string()).into_response(),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let msg = match self {
            AppError::NotFound(m)
            | AppError::Forbidden(m)
            | AppError::BadRequest(m)
            | AppError::Conflict(m)
            | AppError::Internal(m) => m,
        };
        error_page(status, &msg)
    }
}

/// Result type of handlers.
pub type AppResult<T> = Result<T, AppError>;
