//! Several instances on one PostgreSQL database: an event is published with `pg_notify` and
//! every instance's listener hands it to its own SSE streams. A listener that loses its
//! connection reconnects by itself (sqlx's `PgListener`); events sent meanwhile are lost, so
//! every page is then told to resynchronise.

use super::local::LocalBus;
use app::ports::{EventBus, LiveEvent, LiveKind};
use async_trait::async_trait;
use sqlx::postgres::{PgListener, PgPool};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// The channel every instance listens on.
const CHANNEL: &str = "reglo_live";

pub struct PgNotifyBus {
    pool: PgPool,
    local: Arc<LocalBus>,
}

impl PgNotifyBus {
    /// Starts listening in the background (on a connection of its own), publishing through
    /// `pool`, and returns once the listener is set up (so an event published right after is
    /// heard).
    pub async fn start(pool: PgPool) -> anyhow::Result<Self> {
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANNEL).await?;
        let local = Arc::new(LocalBus::default());
        tokio::spawn(listen(listener, local.clone()));
        Ok(Self { pool, local })
    }
}

async fn listen(mut listener: PgListener, local: Arc<LocalBus>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => match serde_json::from_str::<LiveEvent>(notification.payload()) {
                Ok(event) => local.deliver(event),
                Err(e) => tracing::warn!("live event from the database unreadable: {e}"),
            },
            // The connection was lost and is re-established at the next call: what was sent in
            // between is gone, so pages reload what they show.
            Ok(None) => {
                tracing::warn!("live events: database listener reconnecting");
                local.deliver(LiveEvent::new(0, 0, LiveKind::Resync, 0));
            }
            Err(e) => {
                tracing::error!("live events: database listener failed: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

#[async_trait]
impl EventBus for PgNotifyBus {
    async fn publish(&self, event: LiveEvent) {
        let payload = match serde_json::to_string(&event) {
            Ok(payload) => payload,
            Err(e) => return tracing::error!("live event not serialisable: {e}"),
        };
        if let Err(e) =
            sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(&self.pool).await
        {
            tracing::error!("live event not published: {e}");
        }
    }

    fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.local.subscribe()
    }
}
