//! `POST /_test/clock` (only with `REGLO_TEST_CLOCK=1`, which release builds refuse): moves the
//! server's clock to `now` (Unix seconds; `null` for the machine's time again), then runs the
//! reminders' pass at once, so that an end-to-end test sees what that instant sends without
//! waiting for the worker.

use app::ports::SettableClock;
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetClock {
    pub now: Option<i64>,
}

pub async fn set(
    State(state): State<AppState>,
    Extension(clock): Extension<Arc<SettableClock>>,
    Json(body): Json<SetClock>,
) -> Result<Json<serde_json::Value>, StatusCode> {
    clock.set(body.now);
    tracing::warn!(now = state.now(), "test clock moved");
    let queued =
        app::services::reminders::run_due(&state).await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(serde_json::json!({ "now": state.now(), "reminders_queued": queued })))
}
