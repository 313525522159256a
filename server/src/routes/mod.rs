//! HTTP routes outside the Leptos app.

pub mod confirm_email;
pub mod events;
pub mod health;
pub mod logo;
pub mod online_payment;
pub mod pay;
pub mod pdf;
pub mod quote;
pub mod receipts;
pub mod test_clock;

use app::ports::SessionUser;
use app::services::{accounts, session_cookie};
use app::state::AppState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// The logged-in user of a plain HTTP route, or the response to give instead (to the log-in
/// page when there is no valid session).
pub async fn session_user(state: &AppState, headers: &HeaderMap) -> Result<SessionUser, Response> {
    let Some(token) = session_cookie::token_from_headers(headers, state.settings.secure_cookies()) else {
        return Err(Redirect::to("/connexion").into_response());
    };
    match accounts::authenticate(state, &token).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(Redirect::to("/connexion").into_response()),
        Err(_) => Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}
