//! Stripe webhook events in PostgreSQL, kept until a worker (on any instance) has applied them.

use super::{backend, PgStore};
use app::ports::{StoreError, StripeEvent, WebhookEndpoint, WebhookInbox};
use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::Row;

fn stripe_event(r: &PgRow) -> Result<StripeEvent, StoreError> {
    Ok(StripeEvent {
        id: r.get("id"),
        endpoint: WebhookEndpoint::from_code(&r.get::<String, _>("endpoint"))
            .ok_or_else(|| StoreError::Backend("unknown webhook endpoint in the database".into()))?,
        event_type: r.get("type"),
        account: r.get("account"),
        object_id: r.get("object_id"),
        attempts: r.get("attempts"),
    })
}

#[async_trait]
impl WebhookInbox for PgStore {
    async fn store_stripe_event(&self, event: &StripeEvent, now: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO stripe_events (id, endpoint, type, account, object_id, received_at, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&event.id)
        .bind(event.endpoint.code())
        .bind(&event.event_type)
        .bind(&event.account)
        .bind(&event.object_id)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn claim_stripe_events(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<StripeEvent>, StoreError> {
        // SKIP LOCKED: an event another instance is claiming at this moment is left to it, so
        // no event is taken twice; once claimed, its lease keeps it out of later claims.
        let rows = sqlx::query(
            "UPDATE stripe_events SET next_attempt_at = $1, attempts = attempts + 1
             WHERE id IN (SELECT id FROM stripe_events WHERE applied_at IS NULL AND next_attempt_at <= $2
                          ORDER BY received_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING id, endpoint, type, account, object_id, attempts",
        )
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut events = rows.iter().map(stripe_event).collect::<Result<Vec<_>, _>>()?;
        // Handed over by id, as by the SQLite store: sorted here, byte-wise, whatever the
        // database's collation.
        events.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(events)
    }

    async fn stripe_event_applied(&self, id: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE stripe_events SET applied_at = $1, last_error = NULL WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn stripe_event_failed(&self, id: &str, error: &str, retry_at: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE stripe_events SET last_error = $1, next_attempt_at = $2 WHERE id = $3")
            .bind(error)
            .bind(retry_at)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
