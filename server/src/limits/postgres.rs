//! Several instances: counts kept in PostgreSQL, in unlogged tables (they need no durability,
//! and writing them then costs no WAL flush on the pay page's path).

use app::domain::login_throttle::{Failures, ThrottleKey};
use app::ports::Limiter;
use async_trait::async_trait;
use sqlx::postgres::PgPool;
use sqlx::Row;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct PgLimiter {
    pool: PgPool,
    /// Requests counted so far: every [`SWEEP_EVERY`]th sweeps the windows that are over.
    counted: AtomicU64,
}

const SWEEP_EVERY: u64 = 1_000;

impl PgLimiter {
    /// Counts on `pool`'s database; the tables come with the store's migrations
    /// (`0010_limits.sql`).
    pub fn new(pool: PgPool) -> Self {
        Self { pool, counted: AtomicU64::new(0) }
    }

    /// Checks and counts in one transaction whose row locks (taken in key order, so that two
    /// attempts never wait on each other crosswise) make parallel attempts count one by one.
    async fn begin(&self, keys: &[ThrottleKey], now: i64) -> Result<Result<(), i64>, sqlx::Error> {
        let mut keys: Vec<&ThrottleKey> = keys.iter().collect();
        keys.sort_by(|a, b| a.key.cmp(&b.key));
        let mut tx = self.pool.begin().await?;
        let mut seen = Vec::new();
        for key in &keys {
            sqlx::query(
                "INSERT INTO login_failures (key, failures, window_start) VALUES ($1, 0, $2)
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(&key.key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            seen.push(locked_row(&mut tx, &key.key).await?.expect("inserted above"));
        }
        if let Some(wait) = seen.iter().filter_map(|f| f.wait(now)).max() {
            tx.rollback().await?;
            return Ok(Err(wait));
        }
        for (key, previous) in keys.iter().zip(seen) {
            let previous = (previous.count > 0).then_some(previous);
            save(&mut tx, &key.key, Failures::after_failure(previous, key.allowed_failures, now)).await?;
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    async fn take_back(&self, keys: &[ThrottleKey]) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for key in keys {
            if key.forget_on_success {
                sqlx::query("DELETE FROM login_failures WHERE key = $1")
                    .bind(&key.key)
                    .execute(&mut *tx)
                    .await?;
            } else if let Some(f) = locked_row(&mut tx, &key.key).await? {
                save(&mut tx, &key.key, f.after_success(key.allowed_failures)).await?;
            }
        }
        tx.commit().await
    }
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Postgres>;

/// A key's failures, its row locked until the transaction ends.
async fn locked_row(tx: &mut Tx<'_>, key: &str) -> Result<Option<Failures>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT failures, window_start, locked_until FROM login_failures WHERE key = $1 FOR UPDATE",
    )
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.as_ref().map(failures))
}

async fn save(tx: &mut Tx<'_>, key: &str, f: Failures) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE login_failures SET failures = $2, window_start = $3, locked_until = $4 WHERE key = $1",
    )
    .bind(key)
    .bind(i64::from(f.count))
    .bind(f.window_start)
    .bind(f.locked_until)
    .execute(&mut **tx)
    .await?;
    Ok(())
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

    async fn begin_login(&self, keys: &[ThrottleKey], now: i64) -> Result<(), i64> {
        let begun = match self.begin(keys, now).await {
            Ok(begun) => begun,
            Err(e) => {
                tracing::error!("log-in attempt not counted: {e}");
                Ok(())
            }
        };
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
        begun
    }

    async fn login_succeeded(&self, keys: &[ThrottleKey]) {
        if let Err(e) = self.take_back(keys).await {
            tracing::error!("log-in attempt not taken back: {e}");
        }
    }
}
