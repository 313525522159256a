//! `GET /events`: the logged-in business's live events as Server-Sent Events (a payment
//! recorded, …), for pages that update in place. Other businesses' events never leave.

use app::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

pub async fn events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match super::session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let business_id = user.business_id;
    let receiver = state.events.subscribe();
    let events = stream::unfold(receiver, move |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(e) if e.concerns(business_id) => {
                    let data = serde_json::json!({
                        "kind": e.kind, "invoice_id": e.invoice_id, "amount_cents": e.amount_cents
                    });
                    let event = Event::default().event(e.kind.code()).data(data.to_string());
                    return Some((Ok::<_, Infallible>(event), receiver));
                }
                Ok(_) => continue,
                // Too slow a reader missed some: say so, the page reloads its figures.
                Err(RecvError::Lagged(_)) => {
                    return Some((Ok(Event::default().event("resync").data("{}")), receiver));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}
