//! Application errors and the Swedish error pages.

use crate::view::PageCtx;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gnv_storage::{ErrorKind, StorageError};

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
    /// Maps by the error's kind: the user's input → 400, missing → 404, collision → 409; damaged
    /// stored data and internal failures → 500 with a general message, the details logged.
    fn from(e: StorageError) -> Self {
        match (e.kind(), e) {
            (ErrorKind::NotFound, StorageError::NotFound(m)) => AppError::NotFound(m),
            (ErrorKind::Invalid, StorageError::Invalid(m)) => AppError::BadRequest(m),
            (ErrorKind::Conflict, StorageError::Conflict(m)) => AppError::Conflict(m),
            (kind, other) => {
                tracing::error!(error = %other, ?kind, "storage error");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_stored_data_is_a_server_error_and_the_users_input_a_bad_request() {
        let corrupt = AppError::from(StorageError::Corrupt("rad 3".into()));
        assert_eq!(corrupt.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(matches!(corrupt, AppError::Internal(m) if !m.contains("rad 3")));
        assert_eq!(AppError::from(StorageError::Invalid("fel".into())).status(), StatusCode::BAD_REQUEST);
        assert_eq!(AppError::from(StorageError::NotFound("x".into())).status(), StatusCode::NOT_FOUND);
        assert_eq!(AppError::from(StorageError::Conflict("x".into())).status(), StatusCode::CONFLICT);
        assert_eq!(
            AppError::from(StorageError::Internal("x".into())).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
