//! The HTTP/1.1 listener: hyper driven here rather than by `axum::serve`, so that a client must
//! send its request headers within a time limit (slow clients cannot hold connections open; axum's
//! own loop sets no timer, hence no such limit) and a stop lets requests under way finish.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::Service;

/// How long a client has to send a request's headers (on a new or a kept-alive connection).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `stop` completes, then waits for open connections to finish
/// the request they are serving.
pub async fn serve(listener: TcpListener, app: Router, stop: impl Future<Output = ()>) {
    let mut make = app.into_make_service_with_connect_info::<SocketAddr>();
    // Every connection holds a receiver: a send tells them to finish, and `closed` then waits
    // for the last one to drop it.
    let (stopping, stopped) = tokio::sync::watch::channel(());
    let mut stop = pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                Err(e) => {
                    // Out of file descriptors, usually: wait instead of spinning.
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(service) = make.call(peer).await;
        let service = TowerToHyperService::new(service);
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
            let mut connection =
                pin!(builder.serve_connection(TokioIo::new(stream), service).with_upgrades());
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!("connection from {peer}: {e}");
                    }
                    return;
                }
                _ = stopped.changed() => connection.as_mut().graceful_shutdown(),
            }
            if let Err(e) = connection.await {
                tracing::debug!("connection from {peer} while stopping: {e}");
            }
        });
    }
    drop(stopped);
    // No receiver left (no connection) is not an error: nothing to wait for.
    let _ = stopping.send(());
    stopping.closed().await;
}
