//! When the workers try again: after a delay that doubles with each failed attempt, up to a
//! ceiling, and not after the last attempt (the item is then given up on, for a person to see).

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Delay before the second attempt; each later one doubles it.
    pub first_delay_s: i64,
    pub max_delay_s: i64,
    pub max_attempts: i64,
}

impl RetryPolicy {
    /// E-mails: the first retry after the configured delay, then up to six hours apart, eight
    /// attempts in all.
    pub fn mail(first_delay_s: i64) -> Self {
        Self { first_delay_s: first_delay_s.max(1), max_delay_s: 6 * 3600, max_attempts: 8 }
    }

    /// Webhook events: from 5 s to an hour apart, ten attempts, then set aside for the operator.
    pub const WEBHOOKS: RetryPolicy = RetryPolicy { first_delay_s: 5, max_delay_s: 3600, max_attempts: 10 };

    /// When to try again after `attempts` failed attempts, or `None` to give up.
    pub fn next_attempt(self, attempts: i64, now: i64) -> Option<i64> {
        (attempts < self.max_attempts).then(|| {
            let delay = self.first_delay_s.saturating_mul(1 << (attempts - 1).clamp(0, 20));
            now + delay.min(self.max_delay_s)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_then_gives_up() {
        let p = RetryPolicy { first_delay_s: 30, max_delay_s: 6 * 3600, max_attempts: 4 };
        assert_eq!(p.next_attempt(1, 1000), Some(1030));
        assert_eq!(p.next_attempt(2, 1000), Some(1060));
        assert_eq!(p.next_attempt(3, 1000), Some(1120));
        assert_eq!(p.next_attempt(4, 1000), None);
        let long = RetryPolicy::mail(3600);
        assert_eq!(long.next_attempt(7, 0), Some(6 * 3600), "capped");
    }

    #[test]
    fn webhook_events_are_set_aside_after_ten_attempts() {
        let p = RetryPolicy::WEBHOOKS;
        assert_eq!(p.next_attempt(1, 0), Some(5));
        assert_eq!(p.next_attempt(9, 0), Some(1280));
        assert_eq!(p.next_attempt(10, 0), None);
    }
}
