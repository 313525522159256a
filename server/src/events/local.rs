//! One instance: events go from the publishing task to the SSE streams of the same process.

use app::ports::{EventBus, LiveEvent};
use async_trait::async_trait;
use tokio::sync::broadcast;

/// Enough for a burst of payments while a reader catches up; a reader that falls further behind
/// is told it lagged and resynchronises.
const CAPACITY: usize = 256;

pub struct LocalBus {
    sender: broadcast::Sender<LiveEvent>,
}

impl Default for LocalBus {
    fn default() -> Self {
        Self { sender: broadcast::channel(CAPACITY).0 }
    }
}

impl LocalBus {
    /// Hands an event to this instance's readers.
    pub fn deliver(&self, event: LiveEvent) {
        // Nobody listening is fine.
        let _ = self.sender.send(event);
    }
}

#[async_trait]
impl EventBus for LocalBus {
    async fn publish(&self, event: LiveEvent) {
        self.deliver(event);
    }

    fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }
}
