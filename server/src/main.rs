//! `reglo`: serve (default), migrate, user create, api-key create.

use anyhow::{bail, Context};
use server::config::Config;

const USAGE: &str = "usage:
  reglo [serve]                                  start the web server
  reglo migrate                                  bring the database schema up to date
  reglo user create --email E --password P       create an account (and its business)
  reglo api-key create --email E [--name N]      create a REST API key for that user's business
                                                 (printed once on stdout; only its hash is kept)
  reglo webhooks failed                          list the webhook events set aside after failing
  reglo stripe-sandbox --webhooks-to URL         run the Stripe sandbox alone, shared by several
                                                 instances (no real money; see the README)";

// mimalloc rather than the system's: a PDF render makes many small allocations, and with
// glibc's allocator they took an eighth of its time (benches/pdf_render.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // What Reglo writes (database, secret key, logos, outbox) is readable by its own user only:
    // directories 0700, files 0600.
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file mode mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
    // Every password check allocates 19 MiB (argon2) and frees it. glibc's default raises its
    // mmap threshold after the first such free, so later ones come from the heap, which keeps
    // them: a few hundred log-ins would hold hundreds of MiB. A fixed threshold keeps large
    // blocks mapped and unmapped, and the memory goes back to the system.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator, under glibc's own lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
    // Logs go to stderr: stdout carries what commands print (e.g. a new API key).
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let config = Config::from_env()?;
    match args.as_slice() {
        [] | ["serve"] => {
            let app = server::server(&config).await?;
            server::start_mail_worker(&app.state, &config)?;
            server::start_payment_worker(&app);
            server::start_reminder_worker(&app);
            let listener = tokio::net::TcpListener::bind(config.site_addr)
                .await
                .with_context(|| format!("binding {}", config.site_addr))?;
            tracing::info!(
                "Reglo listening on http://{} (public URL {})",
                config.site_addr,
                config.public_url
            );
            server::serve(listener, &app).await
        }
        ["migrate"] => {
            server::state(&config).await?;
            println!("Database schema is up to date.");
            Ok(())
        }
        ["user", "create", rest @ ..] => {
            let email = flag(rest, "--email")?;
            let password = flag(rest, "--password")?;
            let state = server::state(&config).await?;
            match app::services::accounts::create_account(&state, email, password, password).await {
                Ok(user) => {
                    println!("Created user {} (business {}).", user.email, user.business_id);
                    Ok(())
                }
                Err(app::error::AppError::Invalid(errors)) => {
                    bail!(
                        "{}",
                        errors
                            .0
                            .iter()
                            .map(|e| format!("{}: {}", e.field, e.message))
                            .collect::<Vec<_>>()
                            .join("\n")
                    )
                }
                Err(e) => bail!("{e}"),
            }
        }
        ["api-key", "create", rest @ ..] => {
            let email = flag(rest, "--email")?.trim().to_lowercase();
            let name = flag(rest, "--name").unwrap_or("Ligne de commande");
            let state = server::state(&config).await?;
            let Some(user) = state.store.find_credentials(&email).await? else {
                bail!("no account uses the e-mail {email}");
            };
            let (_, key) = app::services::api_keys::create(&state, user.business_id, name)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!("API key created for the business of {email}. It is shown only this once:");
            println!("{key}");
            Ok(())
        }
        ["webhooks", "failed"] => {
            let state = server::state(&config).await?;
            let failed = state.store.set_aside_stripe_events(100).await?;
            if failed.is_empty() {
                println!("No webhook event is set aside.");
            }
            for f in failed {
                let at = app::domain::Date::from_unix(f.set_aside_at);
                println!(
                    "{} {} {} ({}, {} attempts, set aside {}): {}",
                    f.event.id,
                    f.event.event_type,
                    f.event.object_id,
                    f.event.endpoint.code(),
                    f.event.attempts,
                    at,
                    f.last_error.unwrap_or_default()
                );
            }
            Ok(())
        }
        ["stripe-sandbox", rest @ ..] => {
            let webhooks_to = flag(rest, "--webhooks-to")?;
            tokio::fs::create_dir_all(&config.data_dir).await?;
            let key = server::secret_key::load(config.secret_key.as_deref(), &config.data_dir)?;
            let router = server::stripe::standalone_sandbox(&config, &key, webhooks_to).await?;
            let listener = tokio::net::TcpListener::bind(config.site_addr)
                .await
                .with_context(|| format!("binding {}", config.site_addr))?;
            tracing::info!(
                "Stripe sandbox (no real money) on http://{}/_sandbox/stripe/, webhooks to {webhooks_to}",
                config.site_addr
            );
            axum::serve(listener, router).with_graceful_shutdown(server::stop_signal()).await?;
            Ok(())
        }
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("unknown command\n{USAGE}"),
    }
}

fn flag<'a>(args: &[&'a str], name: &str) -> anyhow::Result<&'a str> {
    args.windows(2).find(|w| w[0] == name).map(|w| w[1]).with_context(|| format!("missing {name}\n{USAGE}"))
}
