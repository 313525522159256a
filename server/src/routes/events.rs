//! `GET /events`: the logged-in business's live events as Server-Sent Events (a payment
//! recorded, …), for pages that update in place. Other businesses' events never leave. A session
//! holds a few streams at most; each ends with its session (checked again every minute).

use app::services::{accounts, session_cookie};
use app::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// How often an open stream checks that its session still holds.
const SESSION_RECHECK: Duration = Duration::from_secs(60);

pub async fn events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match super::session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let token =
        session_cookie::token_from_headers(&headers, state.settings.secure_cookies()).unwrap_or_default();
    let Some(ticket) = state.streams.open(&session_cookie::hash_token(&token), user.user_id) else {
        return (StatusCode::TOO_MANY_REQUESTS, "Trop de pages ouvertes en direct pour cette session.")
            .into_response();
    };
    let business_id = user.business_id;
    let receiver = state.events.subscribe();
    let mut recheck = tokio::time::interval(SESSION_RECHECK);
    recheck.reset();
    let events = stream::unfold(
        (receiver, ticket, recheck),
        move |(mut receiver, mut ticket, mut recheck)| {
            let (state, token) = (state.clone(), token.clone());
            async move {
                loop {
                    tokio::select! {
                        message = receiver.recv() => match message {
                            Ok(e) if e.concerns(business_id) => {
                                let data = serde_json::json!({
                                    "kind": e.kind, "invoice_id": e.invoice_id, "amount_cents": e.amount_cents
                                });
                                let event = Event::default().event(e.kind.code()).data(data.to_string());
                                return Some((Ok::<_, Infallible>(event), (receiver, ticket, recheck)));
                            }
                            Ok(_) => continue,
                            // Too slow a reader missed some: say so, the page reloads its figures.
                            Err(RecvError::Lagged(_)) => {
                                return Some((Ok(Event::default().event("resync").data("{}")), (receiver, ticket, recheck)));
                            }
                            Err(RecvError::Closed) => return None,
                        },
                        // Logged out on this instance: the stream ends now.
                        // (it only ever turns from open to closed).
                        _ = ticket.closed.changed() => return None,
                        _ = recheck.tick() => {
                            if !matches!(accounts::authenticate(&state, &token).await, Ok(Some(_))) {
                                return None;
                            }
                        }
                    }
                }
            }
        },
    );
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}
