//! CPU-bound work (password hashing, PDF rendering, image decoding) runs off the async runtime,
//! on one thread per core: a burst of sign-ups or downloads waits its turn, or is told to
//! retry, instead of taking every core. Dedicated threads rather than the runtime's blocking
//! pool, whose threads come and go: each new thread's allocations (19 MiB per argon2 hash)
//! land in a new malloc arena that keeps its memory, and 300 sign-ups then cost the machine
//! hundreds of MiB.

use crate::error::AppError;
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::{oneshot, Semaphore};

/// How long a job waits for a core before the request is answered « réessayez ».
const QUEUE_TIMEOUT: Duration = Duration::from_secs(20);

type Job = Box<dyn FnOnce() + Send>;

struct Cores {
    /// One permit per thread: taken while a job waits in the queue or runs.
    turns: Semaphore,
    jobs: Mutex<mpsc::Sender<Job>>,
}

fn cores() -> &'static Cores {
    static CORES: OnceLock<Cores> = OnceLock::new();
    CORES.get_or_init(|| {
        let n = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(Mutex::new(receiver));
        for i in 0..n {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("reglo-cpu-{i}"))
                .spawn(move || loop {
                    let job = receiver.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                })
                .expect("starting a CPU thread");
        }
        Cores { turns: Semaphore::new(n), jobs: Mutex::new(sender) }
    })
}

/// Runs `job` on one of the CPU threads once one is free.
pub async fn run<T: Send + 'static>(
    what: &str,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let cores = cores();
    let _turn = match tokio::time::timeout(QUEUE_TIMEOUT, cores.turns.acquire()).await {
        Ok(Ok(permit)) => permit,
        _ => {
            tracing::warn!("{what}: no core free within {QUEUE_TIMEOUT:?}");
            return Err(AppError::TooManyAttempts(
                "Le service est très sollicité en ce moment : réessayez dans quelques secondes.".into(),
            ));
        }
    };
    let (done, result) = oneshot::channel();
    let job: Job = Box::new(move || {
        // A panicking job answers an error instead of taking its thread down.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
        let _ = done.send(outcome);
    });
    cores.jobs.lock().unwrap_or_else(|e| e.into_inner()).send(job).map_err(|e| super::internal(what, e))?;
    match result.await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(_)) => Err(super::internal(what, "the job panicked")),
        Err(e) => Err(super::internal(what, e)),
    }
}
