//! The Stripe webhook inbox in SQLite.

use super::{backend, SqliteStore};
use app::ports::{SetAsideEvent, StoreError, StripeEvent, WebhookEndpoint, WebhookInbox};
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

fn event(r: &SqliteRow) -> Result<StripeEvent, StoreError> {
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
impl WebhookInbox for SqliteStore {
    async fn store_stripe_event(&self, e: &StripeEvent, now: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO stripe_events (id, endpoint, type, account, object_id, received_at, next_attempt_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&e.id)
        .bind(e.endpoint.code())
        .bind(&e.event_type)
        .bind(&e.account)
        .bind(&e.object_id)
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
        let rows = sqlx::query(
            "UPDATE stripe_events SET next_attempt_at = ?1, attempts = attempts + 1
             WHERE id IN (SELECT id FROM stripe_events WHERE applied_at IS NULL AND set_aside_at IS NULL AND next_attempt_at <= ?2
                          ORDER BY received_at LIMIT ?3)
             RETURNING *",
        )
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut events = rows.iter().map(event).collect::<Result<Vec<_>, _>>()?;
        events.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(events)
    }

    async fn stripe_event_applied(&self, id: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE stripe_events SET applied_at = ?, last_error = NULL WHERE id = ?")
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
                sqlx::query("UPDATE stripe_events SET last_error = ?1, next_attempt_at = ?2 WHERE id = ?3")
                    .bind(error)
                    .bind(at)
                    .bind(id)
                    .execute(&self.pool)
                    .await
            }
            None => {
                sqlx::query("UPDATE stripe_events SET last_error = ?1, set_aside_at = ?2 WHERE id = ?3")
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
             WHERE set_aside_at IS NOT NULL ORDER BY set_aside_at DESC, id LIMIT ?1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(SetAsideEvent {
                    event: event(r)?,
                    last_error: r.get("last_error"),
                    set_aside_at: r.get("set_aside_at"),
                })
            })
            .collect()
    }

    async fn purge_applied_stripe_events(&self, applied_before: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM stripe_events WHERE applied_at IS NOT NULL AND applied_at < ?1")
            .bind(applied_before)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
