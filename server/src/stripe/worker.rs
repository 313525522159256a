//! Applies stored webhook events, and reconciles Checkout Sessions whose webhook never came.
//! Events stay in the table until applied, so a crash between storing and applying one is
//! recovered at the next start.

use crate::retry::RetryPolicy;
use app::error::AppError;
use app::ports::StripeEvent;
use app::services::{card_refunds, checkout, online_payment};
use app::state::AppState;
use std::time::Duration;

/// How long an event taken by the worker is reserved before another pass may take it again:
/// applying one re-fetches from Stripe (its client times out sooner), and a crash leaves it to
/// be applied again within half a minute.
const LEASE: i64 = 30;

pub fn spawn(state: AppState, reconcile_after: i64) {
    let events = state.clone();
    tokio::spawn(async move {
        loop {
            let applied = run_once(&events).await;
            if applied == 0 {
                // Woken when an event is stored; a periodic pass picks up retries.
                let _ = tokio::time::timeout(Duration::from_secs(5), events.events_wakeup.notified()).await;
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(reconcile_after.clamp(1, 60) as u64));
        loop {
            tick.tick().await;
            reconcile_once(&state, reconcile_after).await;
        }
    });
}

/// Applied events are kept this long (for support), then forgotten.
const KEEP_APPLIED_S: i64 = 90 * 24 * 3600;

/// Re-fetches the Checkout Sessions left open for `older_than` seconds (a missed webhook), and
/// forgets the events applied more than 90 days ago.
pub async fn reconcile_once(state: &AppState, older_than: i64) {
    if let Err(e) = checkout::reconcile(state, older_than).await {
        tracing::warn!("reconciliation pass failed: {e}");
    }
    match state.store.purge_applied_stripe_events(state.now() - KEEP_APPLIED_S).await {
        Ok(0) => {}
        Ok(purged) => tracing::info!(purged, "old applied webhook events forgotten"),
        Err(e) => tracing::warn!("purging old webhook events: {e}"),
    }
}

/// Applies the events due now; returns how many were taken. Tests call it to drain the inbox.
pub async fn run_once(state: &AppState) -> usize {
    let at = state.now();
    let events = match state.store.claim_stripe_events(at, at + LEASE, 20).await {
        Ok(events) => events,
        Err(e) => {
            tracing::error!("reading webhook events: {e}");
            return 0;
        }
    };
    for event in &events {
        match apply(state, event).await {
            Ok(()) => {
                if let Err(e) = state.store.stripe_event_applied(&event.id, state.now()).await {
                    tracing::error!(event = %event.id, "marking event applied: {e}");
                }
            }
            Err(e) => {
                let now = state.now();
                let retry_at = RetryPolicy::WEBHOOKS.next_attempt(event.attempts, now);
                match retry_at {
                    Some(at) => {
                        tracing::warn!(event = %event.id, attempts = event.attempts, "applying webhook event failed: {e}; retry in {} s", at - now)
                    }
                    // For the operator: `reglo webhooks failed` lists what was set aside.
                    None => {
                        tracing::error!(event = %event.id, kind = %event.event_type, attempts = event.attempts, "webhook event set aside after failing {} times: {e} (see `reglo webhooks failed`)", event.attempts)
                    }
                }
                if let Err(e) =
                    state.store.stripe_event_failed(&event.id, &e.to_string(), retry_at, now).await
                {
                    tracing::error!(event = %event.id, "recording a failed application: {e}");
                }
            }
        }
    }
    events.len()
}

async fn apply(state: &AppState, event: &StripeEvent) -> Result<(), AppError> {
    let account = event.account.as_deref();
    match (event.event_type.as_str(), account) {
        (
            "checkout.session.completed"
            | "checkout.session.async_payment_succeeded"
            | "checkout.session.expired",
            Some(account),
        ) => checkout::apply_session(state, account, &event.object_id).await,
        ("checkout.session.async_payment_failed", Some(account)) => {
            checkout::session_failed(state, account, &event.object_id).await
        }
        ("refund.created" | "refund.updated" | "refund.failed", Some(account)) => {
            card_refunds::apply(state, account, &event.object_id).await
        }
        ("charge.refunded", Some(account)) => {
            card_refunds::apply_charge(state, account, &event.object_id).await
        }
        ("account.updated", _) => online_payment::refresh_account(state, &event.object_id).await.map(|_| ()),
        _ => {
            tracing::debug!(event = %event.id, kind = %event.event_type, "webhook event not used");
            Ok(())
        }
    }
}
