//! CPU-bound work (password hashing, PDF rendering) runs off the async runtime and at most one
//! job per core: a burst of sign-ups or downloads waits its turn, or is told to retry, instead
//! of taking every core and the memory of the machine (an argon2 hash takes 19 MiB).

use crate::error::AppError;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a job waits for a core before the request is answered « réessayez ».
const QUEUE_TIMEOUT: Duration = Duration::from_secs(20);

/// Runs `job` on a blocking thread once a core is free.
pub async fn run<T: Send + 'static>(
    what: &str,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    static CORES: OnceLock<Semaphore> = OnceLock::new();
    let cores = CORES.get_or_init(|| {
        Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get))
    });
    let _turn = match tokio::time::timeout(QUEUE_TIMEOUT, cores.acquire()).await {
        Ok(Ok(permit)) => permit,
        _ => {
            tracing::warn!("{what}: no core free within {QUEUE_TIMEOUT:?}");
            return Err(AppError::TooManyAttempts(
                "Le service est très sollicité en ce moment : réessayez dans quelques secondes.".into(),
            ));
        }
    };
    tokio::task::spawn_blocking(job).await.map_err(|e| super::internal(what, e))
}
