//! « Configurer » the online payment: plain HTTP so that it works as a form and as the
//! targets of Stripe's Account Links (`refresh_url`, `return_url`), all behind the log-in.

use app::services::online_payment;
use app::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// `POST /parametres/paiements/stripe/configurer`: the business's Stripe account (created the
/// first time) and a fresh onboarding link, and off to it.
pub async fn onboarding(State(state): State<AppState>, headers: HeaderMap) -> Response {
    to_onboarding(&state, &headers, true).await
}

/// `GET …/nouveau-lien` (Stripe's `refresh_url`, when a link expired): a fresh link for the
/// account the business has; a GET never creates one.
pub async fn fresh_link(State(state): State<AppState>, headers: HeaderMap) -> Response {
    to_onboarding(&state, &headers, false).await
}

async fn to_onboarding(state: &AppState, headers: &HeaderMap, create: bool) -> Response {
    let user = match super::session_user(state, headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match online_payment::onboarding_link(state, user.business_id, create).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => Redirect::to(&format!("/parametres/paiements?erreur={}", urlencode(&e.to_string())))
            .into_response(),
    }
}

/// `GET …/retour` (Stripe's `return_url`): proves nothing by itself, so the account is fetched
/// again before the settings page shows its state.
pub async fn back(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match super::session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match online_payment::refresh_business(&state, user.business_id).await {
        Ok(()) => Redirect::to("/parametres/paiements?retour=1").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, Redirect::to("/parametres/paiements")).into_response(),
    }
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
