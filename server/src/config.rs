//! Configuration from the environment, with the embedded defaults listed in the README.

use anyhow::{Context, Result};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub public_url: String,
    /// 64 hex characters; unset → a key kept in the data dir.
    pub secret_key: Option<String>,
    /// Unset → `.eml` files under `$REGLO_DATA_DIR/outbox`.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Seconds before the first retry of a failed delivery (then doubling).
    pub mail_retry_seconds: i64,
    /// Stripe itself; unset, online payment is off unless the sandbox is asked for.
    pub stripe_secret_key: Option<String>,
    /// `REGLO_STRIPE_SANDBOX=1`: the built-in Stripe stand-in (no real money), never implied.
    pub stripe_sandbox: bool,
    /// `REGLO_STRIPE_SANDBOX_PUBLIC=1`: the operator accepts the sandbox on a public address.
    pub stripe_sandbox_public: bool,
    pub stripe_api_base: Option<String>,
    pub stripe_webhook_secret: Option<String>,
    pub stripe_connect_webhook_secret: Option<String>,
    /// The platform fee on online payments, in basis points.
    pub platform_fee_bp: i64,
    /// Checkout Sessions still open after this many seconds are re-fetched from Stripe.
    pub reconcile_after_seconds: i64,
    /// Pay page requests allowed per client IP and minute.
    pub pay_rate_per_minute: u32,
    /// The smallest amount offered for online payment, in cents.
    pub min_online_payment_cents: i64,
    /// Accounts one client address may create per hour (enough for an office behind one
    /// address, too few to fill the database or the hashing cores).
    pub sign_ups_per_hour: u32,
    /// Recipients one business may send to per 24 hours.
    pub daily_recipient_limit: i64,
    /// Days a delivered e-mail keeps its body and attachment.
    pub mail_retention_days: i64,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` is believed.
    pub trusted_proxies: Vec<crate::client_address::Network>,
    /// `REGLO_TEST_CLOCK=1`: end-to-end tests may move the clock (`POST /_test/clock`). Debug
    /// builds serving this machine only; a release build refuses to start with it.
    pub test_clock: bool,
    pub leptos_options: LeptosOptions,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A yes/no variable: `1`, `true`, `yes` or `on` (any case) say yes.
fn flag(name: &str) -> Result<bool> {
    match var(name).map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(false),
        Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(true),
        Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(false),
        Some(_) => anyhow::bail!("{name} must be 1 or 0"),
    }
}

/// Whether `url`'s host is this machine alone (`localhost`, 127.0.0.0/8, ::1).
pub fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Config {
    pub fn from_env() -> Result<Self> {
        let data_dir = PathBuf::from(var("REGLO_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let site_addr: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .context("LEPTOS_SITE_ADDR must be an address such as 127.0.0.1:3000")?;
        let database_url = var("REGLO_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("reglo.db").display()));
        let public_url = var("REGLO_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_owned();
        // With `hash-files`, cargo-leptos names each /pkg file after its content and writes the
        // names to `hash.txt` beside the binary; a binary run on its own uses them when it is there.
        let hash_file = var("LEPTOS_HASH_FILE_NAME").unwrap_or_else(|| "hash.txt".into());
        let hash_files = match var("LEPTOS_HASH_FILES") {
            Some(v) => v.parse().context("LEPTOS_HASH_FILES must be true or false")?,
            None => std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(&hash_file).is_file()))
                .unwrap_or(false),
        };
        // cargo-leptos sets LEPTOS_* for `serve` and `end-to-end`; when the binary is run on
        // its own, the same defaults as the workspace's [package.metadata.leptos] apply.
        let leptos_options = LeptosOptions::builder()
            .output_name(var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| "reglo".into()))
            .site_root(var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()))
            .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".into()))
            .site_addr(site_addr)
            .hash_file(hash_file.as_str().into())
            .hash_files(hash_files)
            .build();
        let secret_key = var("REGLO_SECRET_KEY");
        let smtp_url = var("REGLO_SMTP_URL");
        let mail_from = var("REGLO_MAIL_FROM").unwrap_or_else(|| "Reglo <factures@localhost>".into());
        let mail_retry_seconds = match var("REGLO_MAIL_RETRY_SECONDS") {
            Some(v) => v.parse().context("REGLO_MAIL_RETRY_SECONDS must be a number of seconds")?,
            None => 30,
        };
        let number = |name: &str, default: i64| -> Result<i64> {
            match var(name) {
                Some(v) => v.parse().with_context(|| format!("{name} must be a whole number")),
                None => Ok(default),
            }
        };
        let platform_fee_bp = number("REGLO_PLATFORM_FEE_BP", app::domain::online_payment::DEFAULT_FEE_BP)?;
        if !(0..=10_000).contains(&platform_fee_bp) {
            anyhow::bail!("REGLO_PLATFORM_FEE_BP must be between 0 and 10000 (basis points; 290 = 2.9 %)");
        }
        let stripe_secret_key = var("STRIPE_SECRET_KEY");
        let stripe_sandbox = flag("REGLO_STRIPE_SANDBOX")?;
        let stripe_sandbox_public = flag("REGLO_STRIPE_SANDBOX_PUBLIC")?;
        if stripe_sandbox && stripe_secret_key.is_some() {
            anyhow::bail!(
                "STRIPE_SECRET_KEY and REGLO_STRIPE_SANDBOX=1 are both set: choose Stripe or the sandbox"
            );
        }
        if stripe_sandbox && !stripe_sandbox_public && !is_loopback_url(&public_url) {
            anyhow::bail!(
                "REGLO_STRIPE_SANDBOX=1 with REGLO_PUBLIC_URL={public_url}: the sandbox takes no real money, \
                 so it serves only this machine (localhost). Set STRIPE_SECRET_KEY for real payments, \
                 or REGLO_STRIPE_SANDBOX_PUBLIC=1 to show test payments on this address anyway."
            );
        }
        let test_clock = flag("REGLO_TEST_CLOCK")?;
        if test_clock && !cfg!(debug_assertions) {
            anyhow::bail!("REGLO_TEST_CLOCK=1 lets anyone move the clock: a release build refuses it");
        }
        if test_clock && !is_loopback_url(&public_url) {
            anyhow::bail!("REGLO_TEST_CLOCK=1 is for tests on this machine (localhost) only");
        }
        Ok(Self {
            test_clock,
            stripe_secret_key,
            stripe_sandbox,
            stripe_sandbox_public,
            stripe_api_base: var("STRIPE_API_BASE"),
            stripe_webhook_secret: var("STRIPE_WEBHOOK_SECRET"),
            stripe_connect_webhook_secret: var("STRIPE_CONNECT_WEBHOOK_SECRET"),
            platform_fee_bp,
            reconcile_after_seconds: number("REGLO_RECONCILE_AFTER_SECONDS", 300)?.max(1),
            pay_rate_per_minute: u32::try_from(number("REGLO_PAY_RATE_PER_MINUTE", 120)?.max(1))
                .unwrap_or(u32::MAX),
            min_online_payment_cents: number("REGLO_MIN_ONLINE_PAYMENT_CENTS", 2_000)?.max(0),
            daily_recipient_limit: number("REGLO_DAILY_RECIPIENT_LIMIT", 200)?.max(1),
            mail_retention_days: number("REGLO_MAIL_RETENTION_DAYS", 30)?.max(1),
            sign_ups_per_hour: u32::try_from(number("REGLO_SIGN_UPS_PER_HOUR", 10)?.max(1))
                .unwrap_or(u32::MAX),
            trusted_proxies: crate::client_address::parse_list(
                &var("REGLO_TRUSTED_PROXIES").unwrap_or_default(),
            )
            .map_err(|e| anyhow::anyhow!("REGLO_TRUSTED_PROXIES: {e}"))?,
            data_dir,
            database_url,
            site_addr,
            public_url,
            secret_key,
            smtp_url,
            mail_from,
            mail_retry_seconds,
            leptos_options,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback_url;

    #[test]
    fn sandbox_serves_only_loopback_addresses() {
        for url in
            ["http://127.0.0.1:3000", "http://localhost", "http://[::1]:8080/x", "http://app.localhost"]
        {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in [
            "https://reglo.fr",
            "http://0.0.0.0:3000",
            "http://192.168.1.2",
            "http://localhost.evil.fr",
            "http://[2001:db8::1]",
        ] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }
}
