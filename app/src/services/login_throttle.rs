//! Slows down password guessing: after a few failures for one e-mail, or many from one IP
//! address, further attempts are refused for a while that doubles with each new failure.
//! Kept in memory: one instance's view (several instances each apply it on their own).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(15 * 60);
const FIRST_LOCK: Duration = Duration::from_secs(30);
const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
/// Above this many tracked keys, expired ones are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

/// A key to count failures under, and how many failures it may have before being locked.
#[derive(Debug, Clone)]
pub struct ThrottleKey {
    pub key: String,
    pub allowed_failures: u32,
}

impl ThrottleKey {
    pub fn email(email: &str) -> Self {
        Self { key: format!("email:{}", email.trim().to_lowercase()), allowed_failures: 5 }
    }

    pub fn ip(ip: &str) -> Self {
        Self { key: format!("ip:{ip}"), allowed_failures: 20 }
    }
}

struct Entry {
    failures: u32,
    window_start: Instant,
    locked_until: Option<Instant>,
}

#[derive(Default)]
pub struct LoginThrottle {
    entries: Mutex<HashMap<String, Entry>>,
}

impl LoginThrottle {
    /// `Err(wait)` when any key is locked: how long until it may try again.
    pub fn check(&self, keys: &[ThrottleKey]) -> Result<(), Duration> {
        let now = Instant::now();
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let wait = keys
            .iter()
            .filter_map(|k| entries.get(&k.key)?.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max();
        wait.map_or(Ok(()), Err)
    }

    pub fn record_failure(&self, keys: &[ThrottleKey]) {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > SWEEP_ABOVE {
            entries.retain(|_, e| {
                now.duration_since(e.window_start) < WINDOW || e.locked_until.is_some_and(|u| u > now)
            });
        }
        for k in keys {
            let entry = entries.entry(k.key.clone()).or_insert(Entry {
                failures: 0,
                window_start: now,
                locked_until: None,
            });
            if now.duration_since(entry.window_start) >= WINDOW && entry.locked_until.is_none_or(|u| u <= now)
            {
                *entry = Entry { failures: 0, window_start: now, locked_until: None };
            }
            entry.failures += 1;
            if entry.failures >= k.allowed_failures {
                let extra = entry.failures - k.allowed_failures;
                let lock = FIRST_LOCK.saturating_mul(1u32 << extra.min(10)).min(MAX_LOCK);
                entry.locked_until = Some(now + lock);
            }
        }
    }

    /// A successful log-in clears the e-mail's count (not the IP's).
    pub fn record_success(&self, key: &ThrottleKey) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(&key.key);
    }
}

/// « 30 secondes », « 2 minutes ».
pub fn french_wait(wait: Duration) -> String {
    let secs = wait.as_secs().max(1);
    if secs < 60 {
        format!("{secs} secondes")
    } else {
        let minutes = secs.div_ceil(60);
        format!("{minutes} minute{}", if minutes > 1 { "s" } else { "" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_allowed_failures_and_only_that_key() {
        let t = LoginThrottle::default();
        let alice = [ThrottleKey::email("alice@x.fr"), ThrottleKey::ip("1.2.3.4")];
        for _ in 0..4 {
            t.record_failure(&alice);
            assert!(t.check(&alice).is_ok());
        }
        t.record_failure(&alice);
        let wait = t.check(&alice).unwrap_err();
        assert!(wait <= FIRST_LOCK && wait > Duration::from_secs(25));
        assert!(t.check(&[ThrottleKey::email("bob@x.fr"), ThrottleKey::ip("1.2.3.4")]).is_ok());
        // Another failure while locked doubles the lock.
        t.record_failure(&alice);
        assert!(t.check(&alice).unwrap_err() > FIRST_LOCK);
    }

    #[test]
    fn success_resets_the_email() {
        let t = LoginThrottle::default();
        let k = [ThrottleKey::email("a@x.fr")];
        for _ in 0..4 {
            t.record_failure(&k);
        }
        t.record_success(&k[0]);
        t.record_failure(&k);
        assert!(t.check(&k).is_ok());
    }

    #[test]
    fn waits_read_naturally() {
        assert_eq!(french_wait(Duration::from_secs(30)), "30 secondes");
        assert_eq!(french_wait(Duration::from_secs(61)), "2 minutes");
        assert_eq!(french_wait(Duration::from_secs(60)), "1 minute");
    }
}
