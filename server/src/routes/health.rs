use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// 200 once the database answers.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!("health check: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
