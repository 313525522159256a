//! Drains the outbox: delivers what is due, retries failures with exponential back-off, and
//! gives up after the last attempt (the entrepreneur then sees the failure and can retry).
//! Messages are leased while being sent, so a crash retries them rather than losing them.

use crate::retry::RetryPolicy;
use app::ports::{Mailer, OutboxRecord};
use app::state::AppState;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How long a message stays leased while its delivery is attempted: longer than the SMTP
/// transport's 20 s timeout, so a slow server never lets another worker send it again, and
/// short, so that a crash leaves it to be sent again within half a minute.
const LEASE_S: i64 = 30;
/// Polling period when nothing wakes the worker.
const IDLE: Duration = Duration::from_secs(2);
/// How often delivered messages past their retention are emptied.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Delivers the outbox, one message at a time.
#[derive(Clone)]
pub struct MailWorker {
    /// The store, the clock, and what renders a message's PDF.
    pub state: AppState,
    pub mailer: Arc<dyn Mailer>,
    pub policy: RetryPolicy,
    /// Delivered messages keep their bodies and attachments this long (seconds).
    pub retention_s: i64,
}

impl MailWorker {
    /// Delivers every message due now, one claim at a time (so that each lease covers a single
    /// delivery); returns how many were attempted. Tests call it to drain the outbox.
    pub async fn run_once(&self) -> usize {
        let mut attempted = 0;
        loop {
            let now = self.state.now();
            let record = match self.state.store.claim_due_emails(now, now + LEASE_S, 1).await {
                Ok(mut batch) => match batch.pop() {
                    Some(record) => record,
                    None => return attempted,
                },
                Err(e) => {
                    tracing::error!("reading the outbox: {e}");
                    return attempted;
                }
            };
            attempted += 1;
            self.deliver(record).await;
        }
    }

    async fn deliver(&self, record: OutboxRecord) {
        let sent = match app::services::email::delivery(&self.state, &record).await {
            Ok(delivery) => self.mailer.deliver(&record.message_key(), &delivery).await,
            Err(e) => Err(format!("preparing the message: {e}")),
        };
        match sent {
            Ok(()) => {
                tracing::info!(outbox_id = record.id, "e-mail delivered");
                if let Err(e) = self.state.store.email_sent(record.id, self.state.now()).await {
                    tracing::error!(outbox_id = record.id, "recording a delivery: {e}");
                }
            }
            Err(error) => {
                let retry_at = self.policy.next_attempt(record.attempts, self.state.now());
                tracing::warn!(
                    outbox_id = record.id,
                    attempts = record.attempts,
                    retry = retry_at.is_some(),
                    "e-mail delivery failed: {error}"
                );
                if let Err(e) = self.state.store.email_failed(record.id, &error, retry_at).await {
                    tracing::error!(outbox_id = record.id, "recording a failure: {e}");
                }
            }
        }
    }

    /// Empties the messages delivered longer ago than the retention period: what was sent to
    /// whom and when stays in the « Boîte d'envoi », the text and the PDF go.
    pub async fn forget_old_bodies(&self) -> u64 {
        let before = self.state.now() - self.retention_s;
        match self.state.store.forget_delivered_bodies(before).await {
            Ok(n) => {
                if n > 0 {
                    tracing::info!(messages = n, "delivered e-mails past retention emptied");
                }
                n
            }
            Err(e) => {
                tracing::error!("emptying old e-mails: {e}");
                0
            }
        }
    }

    /// Runs until the process stops, woken when a message is queued.
    pub fn spawn(self, wakeup: Arc<Notify>) {
        tokio::spawn(async move {
            let mut last_sweep = None::<tokio::time::Instant>;
            loop {
                if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
                    self.forget_old_bodies().await;
                    last_sweep = Some(tokio::time::Instant::now());
                }
                if self.run_once().await == 0 {
                    let _ = tokio::time::timeout(IDLE, wakeup.notified()).await;
                }
            }
        });
    }
}
