//! The one error type server functions return: serialisable, so the browser gets the same
//! French sentence the server chose, and never a stack trace or a SQL message.

use crate::domain::FieldErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Some fields are invalid; each carries its own message.
    #[error("Certains champs sont à corriger.")]
    Invalid(FieldErrors),
    /// No valid session.
    #[error("Votre session a expiré. Reconnectez-vous pour continuer.")]
    Unauthorized,
    /// Refused for a reason the user can act on, said in one French sentence.
    #[error("{0}")]
    Refused(String),
    /// What was asked for does not exist for this business (or belongs to another one).
    #[error("{0}")]
    NotFound(String),
    /// Too many attempts; try again later.
    #[error("{0}")]
    TooManyAttempts(String),
    /// Something failed on our side; the detail is in the server log only.
    #[error("Une erreur inattendue est survenue. Réessayez dans un instant.")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.")]
    Transport(String),
}

impl AppError {
    /// The message for one field, when this is a validation error.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => errors.get(name),
            _ => None,
        }
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::Unauthorized => 401,
            AppError::Refused(_) => 400,
            AppError::NotFound(_) => 404,
            AppError::TooManyAttempts(_) => 429,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
