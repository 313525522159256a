//! Several instances: counts kept in PostgreSQL, in unlogged tables (they need no durability,
//! and writing them then costs no WAL flush on the pay page's path).

use app::domain::login_throttle::{Failures, ThrottleKey};
use app::ports::Limiter;
use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::Row;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub struct PgLimiter {
    pool: PgPool,
    /// Requests counted so far: every [`SWEEP_EVERY`]th sweeps the windows that are over.
    counted: AtomicU64,
}

const SWEEP_EVERY: u64 = 1_000;

impl PgLimiter {
    /// The tables come with the store's migrations (`0010_limits.sql`).
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        Ok(Self { pool, counted: AtomicU64::new(0) })
    }

    async fn failures_of(&self, keys: &[ThrottleKey]) -> Result<Vec<Failures>, sqlx::Error> {
        let names: Vec<String> = keys.iter().map(|k| k.key.clone()).collect();
        let rows = sqlx::query(
            "SELECT failures, window_start, locked_until FROM login_failures WHERE key = ANY($1)",
        )
        .bind(&names)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(failures).collect())
    }

    async fn record_failure(&self, key: &ThrottleKey, now: i64) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        // The row lock makes concurrent failures of one key count one after the other.
        sqlx::query("INSERT INTO login_failures (key, failures, window_start) VALUES ($1, 0, $2) ON CONFLICT (key) DO NOTHING")
            .bind(&key.key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(
            "SELECT failures, window_start, locked_until FROM login_failures WHERE key = $1 FOR UPDATE",
        )
        .bind(&key.key)
        .fetch_one(&mut *tx)
        .await?;
        let previous = failures(&row);
        let previous = (previous.count > 0).then_some(previous);
        let next = Failures::after_failure(previous, key.allowed_failures, now);
        sqlx::query(
            "UPDATE login_failures SET failures = $2, window_start = $3, locked_until = $4 WHERE key = $1",
        )
        .bind(&key.key)
        .bind(i64::from(next.count))
        .bind(next.window_start)
        .bind(next.locked_until)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }
}

fn failures(row: &sqlx::postgres::PgRow) -> Failures {
    Failures {
        count: u32::try_from(row.get::<i64, _>("failures")).unwrap_or(u32::MAX),
        window_start: row.get("window_start"),
        locked_until: row.get("locked_until"),
    }
}

#[async_trait]
impl Limiter for PgLimiter {
    async fn allow(&self, key: &str, limit: u32, window_s: i64, now: i64) -> bool {
        let window = now - now.rem_euclid(window_s.max(1));
        if self.counted.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            let swept = sqlx::query("DELETE FROM rate_counters WHERE window_start < $1")
                .bind(window)
                .execute(&self.pool)
                .await;
            if let Err(e) = swept {
                tracing::warn!("old rate counters not swept: {e}");
            }
        }
        let counted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO rate_counters (key, window_start, hits) VALUES ($1, $2, 1)
             ON CONFLICT (key) DO UPDATE SET
                hits = CASE WHEN rate_counters.window_start = $2 THEN rate_counters.hits + 1 ELSE 1 END,
                window_start = $2
             RETURNING hits",
        )
        .bind(key)
        .bind(window)
        .fetch_one(&self.pool)
        .await;
        match counted {
            Ok(hits) => hits <= i64::from(limit),
            Err(e) => {
                tracing::error!("rate limit not counted: {e}");
                true
            }
        }
    }

    async fn check_login(&self, keys: &[ThrottleKey], now: i64) -> Result<(), i64> {
        match self.failures_of(keys).await {
            Ok(all) => all.iter().filter_map(|f| f.wait(now)).max().map_or(Ok(()), Err),
            Err(e) => {
                tracing::error!("log-in throttle not read: {e}");
                Ok(())
            }
        }
    }

    async fn login_failed(&self, keys: &[ThrottleKey], now: i64) {
        for key in keys {
            if let Err(e) = self.record_failure(key, now).await {
                tracing::error!("log-in failure not counted: {e}");
            }
        }
        // Forgotten once over: the table stays the size of the current attacks.
        let swept = sqlx::query(
            "DELETE FROM login_failures WHERE window_start <= $1 AND (locked_until IS NULL OR locked_until <= $2)",
        )
        .bind(now - app::domain::login_throttle::WINDOW)
        .bind(now)
        .execute(&self.pool)
        .await;
        if let Err(e) = swept {
            tracing::warn!("old log-in failures not swept: {e}");
        }
    }

    async fn login_succeeded(&self, key: &ThrottleKey) {
        if let Err(e) =
            sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(&key.key).execute(&self.pool).await
        {
            tracing::error!("log-in failures not cleared: {e}");
        }
    }
}
