//! Slows down password guessing: after a few failures for one account from one address, or many
//! from one address, further attempts from there are refused for a while that doubles with each
//! new failure. Failures elsewhere never refuse the right password: a stranger cannot lock a user
//! out. Each attempt is counted before its password is checked, so parallel guesses each take a
//! slot. The counts live behind the [`crate::ports::Limiter`] port, so they hold across instances.

/// Failures are counted over this window (seconds).
pub const WINDOW: i64 = 15 * 60;
const FIRST_LOCK: i64 = 30;
const MAX_LOCK: i64 = 15 * 60;

/// A key to count failures under, and how many failures it may have before being locked.
#[derive(Debug, Clone)]
pub struct ThrottleKey {
    pub key: String,
    pub allowed_failures: u32,
    /// A right password forgets the key's failures (else it only takes its own attempt back).
    pub forget_on_success: bool,
}

impl ThrottleKey {
    /// One account, from one client address.
    pub fn account_at(email: &str, ip: &str) -> Self {
        Self {
            key: format!("account:{}|{ip}", email.trim().to_lowercase()),
            allowed_failures: 5,
            forget_on_success: true,
        }
    }

    /// Every account, from one client address.
    pub fn ip(ip: &str) -> Self {
        Self { key: format!("ip:{ip}"), allowed_failures: 20, forget_on_success: false }
    }
}

/// One key's failures, as the limiter keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub window_start: i64,
    pub locked_until: Option<i64>,
}

impl Failures {
    /// The record after one more failure at `now`: a fresh window once the last one is over
    /// (and no lock holds), and a lock of 30 s from the allowance on, doubling with each
    /// further failure, up to 15 minutes.
    pub fn after_failure(previous: Option<Failures>, allowed: u32, now: i64) -> Failures {
        let mut f = match previous {
            Some(f) if now - f.window_start < WINDOW || f.locked_until.is_some_and(|u| u > now) => f,
            _ => Failures { count: 0, window_start: now, locked_until: None },
        };
        f.count += 1;
        if f.count >= allowed {
            let extra = f.count - allowed;
            let lock = FIRST_LOCK.saturating_mul(1 << extra.min(10)).min(MAX_LOCK);
            f.locked_until = Some(now + lock);
        }
        f
    }

    /// The record once an attempt counted beforehand turned out right: that attempt taken back,
    /// and the lock with it if it was that attempt that reached the allowance.
    pub fn after_success(self, allowed: u32) -> Failures {
        let count = self.count.saturating_sub(1);
        Failures { count, locked_until: if count < allowed { None } else { self.locked_until }, ..self }
    }

    /// Seconds still to wait at `now`, if locked.
    pub fn wait(&self, now: i64) -> Option<i64> {
        self.locked_until.filter(|u| *u > now).map(|u| u - now)
    }

    /// Whether the record can be forgotten at `now`.
    pub fn expired(&self, now: i64) -> bool {
        now - self.window_start >= WINDOW && self.wait(now).is_none()
    }
}

/// « 30 secondes », « 2 minutes ».
pub fn french_wait(seconds: i64) -> String {
    let secs = seconds.max(1);
    if secs < 60 {
        format!("{secs} secondes")
    } else {
        let minutes = (secs + 59) / 60;
        format!("{minutes} minute{}", if minutes > 1 { "s" } else { "" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_from_the_allowance_and_doubles() {
        let mut f = None;
        for _ in 0..4 {
            f = Some(Failures::after_failure(f, 5, 1_000));
            assert_eq!(f.unwrap().wait(1_000), None);
        }
        let locked = Failures::after_failure(f, 5, 1_000);
        assert_eq!(locked.wait(1_000), Some(FIRST_LOCK));
        assert_eq!(locked.wait(1_000 + FIRST_LOCK), None, "the lock ends");
        let again = Failures::after_failure(Some(locked), 5, 1_001);
        assert_eq!(again.wait(1_001), Some(2 * FIRST_LOCK), "another failure while locked doubles it");
        let mut long = again;
        for _ in 0..20 {
            long = Failures::after_failure(Some(long), 5, 1_002);
        }
        assert_eq!(long.wait(1_002), Some(MAX_LOCK), "capped");
    }

    #[test]
    fn a_right_password_takes_its_attempt_back() {
        let mut f = Failures::after_failure(None, 5, 0);
        for _ in 0..3 {
            f = Failures::after_failure(Some(f), 5, 0);
        }
        let counted = Failures::after_failure(Some(f), 5, 0);
        assert!(counted.wait(0).is_some(), "the fifth attempt reaches the allowance");
        let right = counted.after_success(5);
        assert_eq!((right.count, right.wait(0)), (4, None), "and was right: no lock");
    }

    #[test]
    fn a_new_window_starts_afresh() {
        let f = Failures::after_failure(None, 5, 0);
        let later = Failures::after_failure(Some(f), 5, WINDOW);
        assert_eq!(later.count, 1);
        assert!(later.expired(2 * WINDOW));
        assert!(!f.expired(10));
    }

    #[test]
    fn waits_read_naturally() {
        assert_eq!(french_wait(30), "30 secondes");
        assert_eq!(french_wait(61), "2 minutes");
        assert_eq!(french_wait(60), "1 minute");
    }
}
