//! Time, as the services see it: the system clock in production, a chosen instant in tests.

use std::sync::atomic::{AtomicI64, Ordering};

/// The current time, in seconds since the Unix epoch.
pub trait Clock: Send + Sync {
    fn now(&self) -> i64;
}

/// The machine's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    }
}

/// A clock that shows the instant it was set to, until moved: for tests of deadlines and
/// schedules on a chosen day.
pub struct FixedClock(AtomicI64);

impl FixedClock {
    pub fn at(now: i64) -> Self {
        Self(AtomicI64::new(now))
    }

    pub fn set(&self, now: i64) {
        self.0.store(now, Ordering::SeqCst);
    }

    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The machine's clock, moved by end-to-end tests to a chosen instant from which time goes on
/// (`REGLO_TEST_CLOCK=1`, which only debug builds accept).
#[derive(Default)]
pub struct SettableClock {
    /// Seconds added to the machine's clock.
    offset: AtomicI64,
}

impl SettableClock {
    /// Makes `now` the current instant, or goes back to the machine's time.
    pub fn set(&self, now: Option<i64>) {
        let offset = now.map_or(0, |now| now - SystemClock.now());
        self.offset.store(offset, Ordering::SeqCst);
    }
}

impl Clock for SettableClock {
    fn now(&self) -> i64 {
        SystemClock.now() + self.offset.load(Ordering::SeqCst)
    }
}
