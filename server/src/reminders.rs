//! The automatic reminders' worker: every instance looks for steps falling due twice a minute,
//! so that a step due in working hours leaves within the minute. The store lets one worker
//! queue each step; the outbox's worker then delivers it.

use app::state::AppState;
use std::time::Duration;

/// How often the unpaid invoices are looked at.
const EVERY: Duration = Duration::from_secs(30);

/// Runs until the process stops.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        loop {
            match app::services::reminders::run_due(&state).await {
                Ok(0) => {}
                Ok(queued) => tracing::info!(queued, "reminders queued"),
                Err(e) => tracing::error!("looking for reminders to send: {e}"),
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
