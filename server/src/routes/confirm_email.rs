//! `GET /confirmer/{token}`: the link that confirms an account's address, opened from its
//! e-mail (logged in or not).

use app::services::account_emails;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

pub async fn confirm(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match account_emails::confirm(&state, &token).await {
        Ok(true) => Redirect::to("/connexion?adresse=confirmee").into_response(),
        Ok(false) => Redirect::to("/connexion?adresse=lien-invalide").into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
