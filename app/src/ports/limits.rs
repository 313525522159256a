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

    /// Counts a log-in attempt under each key before its password is checked, as a failure until
    /// told otherwise, so that parallel guesses each take a slot: `Err(seconds to wait)`, and
    /// nothing counted, while any key is locked. Atomic across instances.
    async fn begin_login(&self, keys: &[ThrottleKey], now: i64) -> Result<(), i64>;

    /// The password was right: each key takes the attempt back (or forgets its failures).
    async fn login_succeeded(&self, keys: &[ThrottleKey]);
}
