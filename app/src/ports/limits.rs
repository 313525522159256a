//! Limits that must hold however many instances serve the app: log-in throttling and request
//! rates per client address. Kept in memory with one instance (SQLite), in the database when
//! several share one.

use crate::domain::login_throttle::ThrottleKey;
use async_trait::async_trait;

#[async_trait]
pub trait Limiter: Send + Sync {
    /// Counts one request under `key` in the current fixed window of `window_s` seconds; `false`
    /// once more than `limit` were counted in it. A storage failure lets the request through
    /// (logged): a limit must not take the site down.
    async fn allow(&self, key: &str, limit: u32, window_s: i64, now: i64) -> bool;

    /// `Err(seconds to wait)` while any of `keys` is locked after too many failed log-ins.
    async fn check_login(&self, keys: &[ThrottleKey], now: i64) -> Result<(), i64>;

    /// Counts a failed log-in under each key, locking those that reached their allowance.
    async fn login_failed(&self, keys: &[ThrottleKey], now: i64);

    /// A successful log-in clears the key's count.
    async fn login_succeeded(&self, key: &ThrottleKey);
}
