//! Errors of the REST API as `application/problem+json` (RFC 9457), with a French `detail`
//! and, for invalid input, the offending fields.

use app::domain::FieldErrors;
use app::error::AppError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    /// What went wrong, in French.
    pub detail: String,
    /// The first offending field, when the input is at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every offending field with its message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        let (kind, title) = match status.as_u16() {
            400 => ("https://reglo.fr/problemes/illisible", "Requête illisible"),
            401 => ("https://reglo.fr/problemes/non-authentifie", "Authentification requise"),
            404 => ("https://reglo.fr/problemes/introuvable", "Introuvable"),
            413 => ("https://reglo.fr/problemes/trop-volumineux", "Requête trop volumineuse"),
            409 => ("https://reglo.fr/problemes/refuse", "Requête refusée"),
            415 => ("https://reglo.fr/problemes/format", "Format non pris en charge"),
            422 => ("https://reglo.fr/problemes/validation", "Données invalides"),
            429 => ("https://reglo.fr/problemes/trop-de-requetes", "Trop de requêtes"),
            _ => ("https://reglo.fr/problemes/erreur-interne", "Erreur interne"),
        };
        Problem {
            kind,
            title,
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
            errors: Vec::new(),
        }
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.push(field, message);
        AppError::Invalid(errors).into()
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let status = match error {
            // What the API refuses conflicts with the current state of a document (an invoice
            // already issued, not awaiting payment…): 409, 400 staying for unreadable requests.
            AppError::Refused(_) => StatusCode::CONFLICT,
            _ => StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        };
        match error {
            AppError::Invalid(errors) => {
                let first = errors.0.first();
                let detail = match first {
                    Some(e) => format!("{} (champ « {} »)", e.message, e.field),
                    None => "Certains champs sont à corriger.".into(),
                };
                Problem {
                    field: first.map(|e| e.field.clone()),
                    errors: errors
                        .0
                        .into_iter()
                        .map(|e| FieldProblem { field: e.field, message: e.message })
                        .collect(),
                    ..Problem::new(status, detail)
                }
            }
            AppError::Unauthorized => Problem::new(
                status,
                "Clé d'API absente, invalide ou révoquée : envoyez « Authorization: Bearer <clé> ».",
            ),
            other => Problem::new(status, other.to_string()),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(&self)).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
