//! One instance: counts kept in the process.

use app::domain::login_throttle::{Failures, ThrottleKey};
use app::ports::Limiter;
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;

/// Above this many tracked keys, expired ones are swept at the next change.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Default)]
pub struct MemoryLimiter {
    /// Request counts of the current window: its start, then the count per key.
    rates: Mutex<HashMap<String, (i64, u32)>>,
    failures: Mutex<HashMap<String, Failures>>,
}

#[async_trait]
impl Limiter for MemoryLimiter {
    async fn allow(&self, key: &str, limit: u32, window_s: i64, now: i64) -> bool {
        let window = now - now.rem_euclid(window_s.max(1));
        let mut rates = self.rates.lock().unwrap_or_else(|e| e.into_inner());
        if rates.len() > SWEEP_ABOVE {
            rates.retain(|_, (start, _)| *start == window);
        }
        let entry = rates.entry(key.to_owned()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= limit
    }

    async fn check_login(&self, keys: &[ThrottleKey], now: i64) -> Result<(), i64> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter().filter_map(|k| failures.get(&k.key)?.wait(now)).max().map_or(Ok(()), Err)
    }

    async fn login_failed(&self, keys: &[ThrottleKey], now: i64) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, f| !f.expired(now));
        }
        for k in keys {
            let next = Failures::after_failure(failures.get(&k.key).copied(), k.allowed_failures, now);
            failures.insert(k.key.clone(), next);
        }
    }

    async fn login_succeeded(&self, key: &ThrottleKey) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(&key.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn locks_only_the_failing_keys() {
        let limiter = MemoryLimiter::default();
        let alice = [ThrottleKey::email("alice@x.fr"), ThrottleKey::ip("1.2.3.4")];
        for _ in 0..5 {
            assert!(limiter.check_login(&alice, 100).await.is_ok());
            limiter.login_failed(&alice, 100).await;
        }
        assert_eq!(limiter.check_login(&alice, 100).await, Err(30));
        let bob = [ThrottleKey::email("bob@x.fr"), ThrottleKey::ip("1.2.3.4")];
        assert!(limiter.check_login(&bob, 100).await.is_ok(), "the address is allowed more failures");
        limiter.login_succeeded(&alice[0]).await;
        assert!(limiter.check_login(&alice, 100).await.is_ok());
    }

    #[tokio::test]
    async fn counts_requests_per_window() {
        let limiter = MemoryLimiter::default();
        assert!(limiter.allow("ip:1", 2, 60, 120).await);
        assert!(limiter.allow("ip:1", 2, 60, 130).await);
        assert!(!limiter.allow("ip:1", 2, 60, 179).await, "third in the same minute");
        assert!(limiter.allow("ip:2", 2, 60, 179).await, "another address");
        assert!(limiter.allow("ip:1", 2, 60, 180).await, "a new minute");
    }
}
