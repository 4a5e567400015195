//! A url-encoded form as ordered fields, supporting repeated keys (checkbox groups, multi-selects).

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};

/// The fields of a submitted form, in order.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(bytes: &[u8]) -> Self {
        Fields(form_urlencoded::parse(bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The first value of `key`, trimmed; empty string when absent.
    pub fn get(&self, key: &str) -> String {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    }

    /// The first value of `key`, trimmed, or `None` when absent or empty.
    pub fn opt(&self, key: &str) -> Option<String> {
        let v = self.get(key);
        (!v.is_empty()).then_some(v)
    }

    /// All non-empty values of `key`.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    /// A required text field with at most `max` characters; Swedish message naming the field.
    pub fn required(&self, key: &str, label: &str, max: usize) -> Result<String, AppError> {
        let v = self.get(key);
        if v.is_empty() {
            return Err(AppError::BadRequest(format!("Fältet ”{label}” måste fyllas i.")));
        }
        if v.chars().count() > max {
            return Err(AppError::BadRequest(format!("Fältet ”{label}” får ha högst {max} tecken.")));
        }
        Ok(v)
    }

    /// An optional text field with at most `max` characters.
    pub fn optional(&self, key: &str, label: &str, max: usize) -> Result<String, AppError> {
        let v = self.get(key);
        if v.chars().count() > max {
            return Err(AppError::BadRequest(format!("Fältet ”{label}” får ha högst {max} tecken.")));
        }
        Ok(v)
    }
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest("Formuläret kunde inte läsas.".into()))?;
        Ok(Fields::parse(&bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_and_limits() {
        let f = Fields::parse(b"kommun=2083&kommun=2084&namn=+S%C3%B6dra+Dalarna+&tom=");
        assert_eq!(f.all("kommun"), vec!["2083", "2084"]);
        assert_eq!(f.get("namn"), "Södra Dalarna");
        assert_eq!(f.opt("tom"), None);
        assert!(f.required("tom", "Tom", 10).is_err());
        assert!(f.required("namn", "Namn", 3).is_err());
    }
}
