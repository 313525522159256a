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

    async fn begin_login(&self, keys: &[ThrottleKey], now: i64) -> Result<(), i64> {
        // One lock for the check and the count: parallel attempts each see the others'.
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(wait) = keys.iter().filter_map(|k| failures.get(&k.key)?.wait(now)).max() {
            return Err(wait);
        }
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, f| !f.expired(now));
        }
        for k in keys {
            let next = Failures::after_failure(failures.get(&k.key).copied(), k.allowed_failures, now);
            failures.insert(k.key.clone(), next);
        }
        Ok(())
    }

    async fn login_succeeded(&self, keys: &[ThrottleKey]) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for k in keys {
            if k.forget_on_success {
                failures.remove(&k.key);
            } else if let Some(f) = failures.get_mut(&k.key) {
                *f = f.after_success(k.allowed_failures);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn locks_only_the_failing_keys() {
        let limiter = MemoryLimiter::default();
        let alice_here = [ThrottleKey::account_at("alice@x.fr", "1.2.3.4"), ThrottleKey::ip("1.2.3.4")];
        for _ in 0..5 {
            assert!(limiter.begin_login(&alice_here, 100).await.is_ok());
        }
        assert_eq!(limiter.begin_login(&alice_here, 100).await, Err(30));
        let bob_here = [ThrottleKey::account_at("bob@x.fr", "1.2.3.4"), ThrottleKey::ip("1.2.3.4")];
        assert!(limiter.begin_login(&bob_here, 100).await.is_ok(), "the address is allowed more failures");
        let alice_elsewhere = [ThrottleKey::account_at("alice@x.fr", "5.6.7.8"), ThrottleKey::ip("5.6.7.8")];
        assert!(limiter.begin_login(&alice_elsewhere, 100).await.is_ok(), "Alice herself, elsewhere");
        limiter.login_succeeded(&alice_elsewhere).await;
    }

    #[tokio::test]
    async fn right_passwords_take_their_attempt_back() {
        let limiter = MemoryLimiter::default();
        // An office behind one address: many people log in rightly.
        for i in 0..50 {
            let keys =
                [ThrottleKey::account_at(&format!("user{i}@x.fr"), "9.9.9.9"), ThrottleKey::ip("9.9.9.9")];
            assert!(limiter.begin_login(&keys, 100).await.is_ok(), "log-in {i}");
            limiter.login_succeeded(&keys).await;
        }
    }

    #[tokio::test]
    async fn parallel_guesses_each_take_a_slot() {
        let limiter = std::sync::Arc::new(MemoryLimiter::default());
        let keys = [ThrottleKey::account_at("alice@x.fr", "1.2.3.4"), ThrottleKey::ip("1.2.3.4")];
        let tries: Vec<_> = (0..100)
            .map(|_| {
                let (limiter, keys) = (limiter.clone(), keys.clone());
                tokio::spawn(async move { limiter.begin_login(&keys, 100).await.is_ok() })
            })
            .collect();
        let mut verified = 0;
        for t in tries {
            verified += usize::from(t.await.unwrap());
        }
        assert_eq!(verified, 5, "as many verifications as the allowance");
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
