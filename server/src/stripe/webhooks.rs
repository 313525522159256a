//! `POST /webhooks/stripe` (platform) and `POST /webhooks/stripe/connect` (connected accounts):
//! verify the signature, store the event id, answer at once; a worker applies it.

use super::signature::verify;
use app::ports::{StripeEvent, WebhookEndpoint};
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use std::sync::Arc;

/// Each endpoint's signing secret.
#[derive(Clone)]
pub struct WebhookSecrets {
    pub platform: String,
    pub connect: String,
}

impl std::fmt::Debug for WebhookSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecrets(…)")
    }
}

#[derive(Deserialize)]
struct Envelope {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    account: Option<String>,
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    object: Object,
}

#[derive(Deserialize)]
struct Object {
    id: String,
}

pub async fn platform(
    State(state): State<AppState>,
    Extension(secrets): Extension<Arc<WebhookSecrets>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    receive(&state, WebhookEndpoint::Platform, &secrets.platform, &headers, &body).await
}

pub async fn connect(
    State(state): State<AppState>,
    Extension(secrets): Extension<Arc<WebhookSecrets>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    receive(&state, WebhookEndpoint::Connect, &secrets.connect, &headers, &body).await
}

fn refuse(endpoint: WebhookEndpoint, why: &str) -> Response {
    tracing::warn!(endpoint = endpoint.code(), "webhook refused: {why}");
    (StatusCode::BAD_REQUEST, Json(serde_json::json!({ "error": why }))).into_response()
}

async fn receive(
    state: &AppState,
    endpoint: WebhookEndpoint,
    secret: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let header = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    if secret.is_empty() {
        return refuse(endpoint, "no webhook secret configured for this endpoint");
    }
    if let Err(e) = verify(header, body, secret, state.now()) {
        return refuse(endpoint, &e.to_string());
    }
    let Ok(envelope) = serde_json::from_slice::<Envelope>(body) else {
        return refuse(endpoint, "body is not a Stripe event");
    };
    let event = StripeEvent {
        id: envelope.id,
        endpoint,
        event_type: envelope.event_type,
        account: envelope.account,
        object_id: envelope.data.object.id,
        attempts: 0,
    };
    match state.store.store_stripe_event(&event, state.now()).await {
        Ok(new) => {
            if new {
                state.events_wakeup.notify_one();
            }
            tracing::info!(endpoint = endpoint.code(), event = %event.id, kind = %event.event_type, duplicate = !new, "webhook received");
            (StatusCode::OK, Json(serde_json::json!({ "received": true, "duplicate": !new }))).into_response()
        }
        Err(e) => {
            // Stripe retries on 5xx: nothing is lost.
            tracing::error!(endpoint = endpoint.code(), "storing webhook event: {e}");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
