//! Stripe webhook events in PostgreSQL, kept until a worker (on any instance) has applied them.

use super::{backend, PgStore};
use app::ports::{SetAsideEvent, StoreError, StripeEvent, WebhookEndpoint, WebhookInbox};
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
             WHERE id IN (SELECT id FROM stripe_events WHERE applied_at IS NULL AND set_aside_at IS NULL AND next_attempt_at <= $2
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

    async fn stripe_event_failed(
        &self,
        id: &str,
        error: &str,
        retry_at: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        let done = match retry_at {
            Some(at) => {
                sqlx::query("UPDATE stripe_events SET last_error = $1, next_attempt_at = $2 WHERE id = $3")
                    .bind(error)
                    .bind(at)
                    .bind(id)
                    .execute(&self.pool)
                    .await
            }
            None => {
                sqlx::query("UPDATE stripe_events SET last_error = $1, set_aside_at = $2 WHERE id = $3")
                    .bind(error)
                    .bind(now)
                    .bind(id)
                    .execute(&self.pool)
                    .await
            }
        };
        done.map_err(backend)?;
        Ok(())
    }

    async fn set_aside_stripe_events(&self, limit: i64) -> Result<Vec<SetAsideEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, endpoint, type, account, object_id, attempts, last_error, set_aside_at FROM stripe_events
             WHERE set_aside_at IS NOT NULL ORDER BY set_aside_at DESC, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(SetAsideEvent {
                    event: stripe_event(r)?,
                    last_error: r.get("last_error"),
                    set_aside_at: r.get("set_aside_at"),
                })
            })
            .collect()
    }

    async fn purge_applied_stripe_events(&self, applied_before: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM stripe_events WHERE applied_at IS NOT NULL AND applied_at < $1")
            .bind(applied_before)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
