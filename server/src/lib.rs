//! The Reglo server: adapters, HTTP routes and the `reglo` binary's commands.
// Leptos views are deeply nested types.
#![recursion_limit = "256"]

pub mod api;
pub mod cache_control;
pub mod client_address;
pub mod config;
pub mod events;
pub mod limits;
pub mod listener;
pub mod mail;
pub mod pdf;
pub mod reminders;
pub mod retry;
pub mod routes;
pub mod secret_key;
pub mod security;
pub mod store;
pub mod stripe;

use anyhow::Context;
use app::ports::{EventBus, Limiter, Store};
use app::state::{AppState, Settings};
use app::{shell, App};
use axum::routing::{get, post};
use axum::Router;
use config::Config;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tokio::net::TcpListener;

/// The app state and what only the router needs (webhook secrets, the sandbox).
pub struct Server {
    pub state: AppState,
    pub payments: stripe::Payments,
    pub reconcile_after_seconds: i64,
    pub trusted_proxies: Arc<Vec<client_address::Network>>,
    /// The clock end-to-end tests move (`REGLO_TEST_CLOCK=1`).
    pub test_clock: Option<Arc<app::ports::SettableClock>>,
}

/// Opens the database (running migrations) and assembles the app state.
pub async fn state(config: &Config) -> anyhow::Result<AppState> {
    Ok(server(config).await?.state)
}

pub async fn server(config: &Config) -> anyhow::Result<Server> {
    tokio::fs::create_dir_all(&config.data_dir)
        .await
        .with_context(|| format!("creating data dir {}", config.data_dir.display()))?;
    // Its own user's only, even when it existed before.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tokio::fs::set_permissions(&config.data_dir, std::fs::Permissions::from_mode(0o700))
            .await
            .with_context(|| format!("restricting data dir {}", config.data_dir.display()))?;
    }
    let (store, events, limits) = backends(&config.database_url).await?;
    let secret_key = secret_key::load(config.secret_key.as_deref(), &config.data_dir)?;
    let payments = stripe::setup(config, &secret_key).await?;
    let test_clock = config.test_clock.then(|| Arc::new(app::ports::SettableClock::default()));
    let clock: Arc<dyn app::ports::Clock> = match &test_clock {
        Some(clock) => clock.clone(),
        None => Arc::new(app::ports::SystemClock),
    };
    let state = AppState {
        leptos_options: config.leptos_options.clone(),
        store,
        settings: Arc::new(Settings {
            public_url: config.public_url.clone(),
            data_dir: config.data_dir.clone(),
            secret_key,
            fee_bp: config.platform_fee_bp,
            pay_rate_per_minute: config.pay_rate_per_minute,
            min_online_payment: app::domain::Money::from_cents(config.min_online_payment_cents),
            sign_ups_per_hour: config.sign_ups_per_hour,
            daily_recipient_limit: config.daily_recipient_limit,
        }),
        limits,
        pdf: Arc::new(pdf::PdfRenderer::new()),
        mail_wakeup: Arc::new(tokio::sync::Notify::new()),
        payments: payments.gateway.clone(),
        events_wakeup: Arc::new(tokio::sync::Notify::new()),
        events,
        clock,
        views_noted: Arc::default(),
        streams: Arc::default(),
        pdf_cache: Arc::default(),
    };
    Ok(Server {
        state,
        payments,
        reconcile_after_seconds: config.reconcile_after_seconds,
        trusted_proxies: Arc::new(config.trusted_proxies.clone()),
        test_clock,
    })
}

/// The adapters that fit the database: on PostgreSQL, where instances share it, the live events
/// and the limits go through it too, all on the store's pool of connections; on SQLite (one
/// instance) they stay in the process.
async fn backends(url: &str) -> anyhow::Result<(Arc<dyn Store>, Arc<dyn EventBus>, Arc<dyn Limiter>)> {
    if store::is_postgres(url) {
        let pg = store::connect_postgres(url).await?;
        let pool = pg.pool();
        let events = events::postgres::PgNotifyBus::start(pool.clone()).await?;
        Ok((Arc::new(pg), Arc::new(events), Arc::new(limits::postgres::PgLimiter::new(pool))))
    } else {
        let store = store::connect(url).await?;
        Ok((
            store,
            Arc::new(events::local::LocalBus::default()),
            Arc::new(limits::memory::MemoryLimiter::default()),
        ))
    }
}

/// Starts applying webhook events and reconciling Checkout Sessions in the background.
pub fn start_payment_worker(server: &Server) {
    stripe::worker::spawn(server.state.clone(), server.reconcile_after_seconds);
}

/// Starts queueing the automatic reminders in the background.
pub fn start_reminder_worker(server: &Server) {
    reminders::spawn(server.state.clone());
}

/// The outbox's worker (SMTP, or `.eml` files by default), not started.
pub fn mail_worker(state: &AppState, config: &Config) -> anyhow::Result<mail::MailWorker> {
    let mailer = mail::LettreMailer::new(
        config.smtp_url.as_deref(),
        config.data_dir.join("outbox"),
        &config.mail_from,
    )?;
    Ok(mail::MailWorker {
        state: state.clone(),
        mailer: Arc::new(mailer),
        policy: retry::RetryPolicy::mail(config.mail_retry_seconds),
        retention_s: config.mail_retention_days * 24 * 3600,
    })
}

/// Starts delivering the outbox in the background.
pub fn start_mail_worker(state: &AppState, config: &Config) -> anyhow::Result<()> {
    mail_worker(state, config)?.spawn(state.mail_wakeup.clone());
    Ok(())
}

/// Every route: the Leptos pages and server functions, and the plain HTTP ones beside them.
pub fn router(server: &Server) -> Router {
    let state = server.state.clone();
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let pay = Router::new()
        .route("/pay/{token}", get(routes::pay::page).post(routes::pay::pay))
        .route("/pay/{token}/pdf", get(routes::pay::pdf))
        .route("/quote/{token}", get(routes::quote::page).post(routes::quote::answer))
        .route("/quote/{token}/pdf", get(routes::quote::pdf))
        .route("/quote/{token}/acompte", post(routes::quote::pay_deposit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), routes::pay::rate_limit));
    let webhooks = Router::new()
        .route("/webhooks/stripe", post(stripe::webhooks::platform))
        .route("/webhooks/stripe/connect", post(stripe::webhooks::connect))
        .layer(axum::Extension(server.payments.secrets.clone()));
    let mut router = Router::new();
    if let Some(sandbox) = &server.payments.sandbox {
        router = router.nest_service("/_sandbox/stripe", stripe::sandbox::router(sandbox.clone()));
    }
    if let Some(clock) = &server.test_clock {
        tracing::warn!("REGLO_TEST_CLOCK=1: POST /_test/clock moves this server's clock");
        router =
            router.route("/_test/clock", post(routes::test_clock::set).layer(axum::Extension(clock.clone())));
    }
    router
        .merge(pay)
        .merge(webhooks)
        .route("/parametres/paiements/stripe/configurer", post(routes::online_payment::onboarding))
        .route("/parametres/paiements/stripe/nouveau-lien", get(routes::online_payment::fresh_link))
        .route("/parametres/paiements/stripe/retour", get(routes::online_payment::back))
        .merge(api::router())
        .route("/healthz", get(routes::health::healthz))
        .route("/confirmer/{token}", get(routes::confirm_email::confirm))
        .route("/events", get(routes::events::events))
        .route("/parametres/logo", post(routes::logo::upload))
        .route("/media/logos/{file}", get(routes::logo::file))
        .route("/invoices/{id}/pdf", get(routes::pdf::invoice_pdf))
        .route("/invoices/{id}/factur-x.xml", get(routes::pdf::invoice_facturx))
        .route("/invoices/{id}/mise-en-demeure", get(routes::pdf::formal_notice))
        .route("/quotes/{id}/pdf", get(routes::pdf::quote_pdf))
        .route("/recettes/{file}", get(routes::receipts::export))
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::page_wall))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(server.trusted_proxies.clone(), security::client_ip))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::security_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.leptos_options.hash_files,
            cache_control::cache_control,
        ))
        .layer(compression())
        // Bounded work: requests past the limit wait their turn, and none (queue included) runs
        // longer than the timeout. A live stream (`/events`) counts only until its headers.
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(MAX_CONCURRENT_REQUESTS))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// Brotli or gzip, as the browser accepts, for pages, styles and scripts. Not for live events
/// (each must leave as it happens), images, PDFs (their streams are compressed already), nor the
/// WASM bundle: compressing megabytes on every request costs seconds of CPU, so it is to be
/// compressed once at build time. Brotli at level 4, not its default 11, for the same reason.
fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate};
    use tower_http::compression::{CompressionLayer, DefaultPredicate};
    CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        .quality(tower_http::CompressionLevel::Precise(4))
        .compress_when(
            DefaultPredicate::new()
                .and(NotForContentType::const_new("application/pdf"))
                .and(NotForContentType::const_new("application/wasm")),
        )
}

/// Requests handled at once by one instance; more wait for a free slot.
const MAX_CONCURRENT_REQUESTS: usize = 256;
/// The longest a request may take, waiting for a slot included.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Serves on `listener` until the process is stopped.
pub async fn serve(listener: TcpListener, server: &Server) -> anyhow::Result<()> {
    listener::serve(listener, router(server), stop_signal()).await;
    Ok(())
}

/// Ctrl-C, or SIGTERM (what systemd and container runtimes send): requests under way finish
/// before the server stops.
pub async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("stopping: finishing the requests under way");
}
