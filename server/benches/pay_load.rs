//! Load on the client's side of online payment: the pay page (with `wrk` when installed,
//! `apt-get install wrk`, else an in-process client) and a storm of signed webhooks, then how
//! long the worker takes to apply them all. Prints req/s and latency percentiles.
//! `cargo bench -p server --bench pay_load` (release profile) on SQLite; with
//! `REGLO_TEST_BACKEND=postgres REGLO_TEST_DATABASE_URL=postgres://…` on PostgreSQL, where the
//! live event is watched on a second instance.

// Shared with the integration tests, of which the benches use a part.
#[allow(dead_code)]
#[path = "../tests/it/common.rs"]
mod common;

use common::*;
use reqwest::Client;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const CONCURRENCY: usize = 32;
const WEBHOOKS: usize = 3_000;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(name: &str, mut latencies: Vec<Duration>, elapsed: Duration) {
    latencies.sort();
    println!(
        "{name}: {} requests in {:.1} s = {:.0} req/s; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
    );
}

/// `total` requests made by `CONCURRENCY` tasks; each request comes from `make(i)`.
async fn hammer<F, Fut>(total: usize, make: F) -> (Vec<Duration>, Duration)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = u16> + Send,
{
    let make = Arc::new(make);
    let next = Arc::new(Mutex::new(0usize));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (make, next, latencies) = (make.clone(), next.clone(), latencies.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = {
                    let mut n = next.lock().await;
                    if *n >= total {
                        return;
                    }
                    *n += 1;
                    *n
                };
                let t = Instant::now();
                let status = make(i).await;
                assert!(status < 300, "request {i} answered {status}");
                latencies.lock().await.push(t.elapsed());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = start.elapsed();
    (Arc::try_unwrap(latencies).unwrap().into_inner(), elapsed)
}

#[tokio::main]
async fn main() {
    // No rate limit: the load comes from one address.
    let app =
        spawn_app_with_options(TestOptions { pay_rate_per_minute: u32::MAX, ..Default::default() }).await;
    let browser = client();
    app.sign_up(&browser, "charge@exemple.fr").await;
    set_up_business(&app, &browser).await;
    activate_online_payment(&app, &browser).await;
    let id = issue(&app, &browser, "250", &["transfer", "payment_link"]).await;
    let pay_url = invoice_view(&app, &browser, id).await["pay_url"].as_str().unwrap().to_owned();
    let page = Client::new().get(&pay_url).send().await.unwrap();
    let size = page.bytes().await.unwrap().len();
    println!("pay page: {size} bytes of HTML (no script; the logo is the only other resource)");

    let wrk =
        std::process::Command::new("wrk").args(["-t2", "-c32", "-d10s", "--latency", &pay_url]).output();
    match wrk {
        Ok(out) if out.status.success() => {
            println!("pay page, wrk -t2 -c32 -d10s:\n{}", String::from_utf8_lossy(&out.stdout));
        }
        _ => {
            println!("(wrk not installed: measuring with the in-process client)");
            let http = Client::new();
            let url = pay_url.clone();
            let (lat, elapsed) = hammer(20_000, move |_| {
                let (http, url) = (http.clone(), url.clone());
                async move { http.get(&url).send().await.unwrap().status().as_u16() }
            })
            .await;
            report("pay page", lat, elapsed);
        }
    }

    // Distinct, signed events of a type the worker stores and skips: the receiving path and the
    // worker's pace, without Stripe calls.
    let http = Client::new();
    let url = app.url("/webhooks/stripe/connect");
    let (lat, elapsed) = hammer(WEBHOOKS, move |i| {
        let (http, url) = (http.clone(), url.clone());
        async move {
            let body =
                json!({ "id": format!("evt_load_{i}"), "type": "charge.updated", "account": "acct_load",
                "data": { "object": { "id": format!("ch_{i}") } } })
                .to_string();
            let now = server_now();
            http.post(&url)
                .header(
                    "stripe-signature",
                    server::stripe::sandbox::sign(CONNECT_SECRET, now, body.as_bytes()),
                )
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    })
    .await;
    report("webhook storm (acknowledged)", lat, elapsed);
    let pending_sql = "SELECT COUNT(*) FROM stripe_events WHERE applied_at IS NULL";
    let url = &app.config.database_url;
    let (pg, lite) = if url.starts_with("postgres") {
        (Some(sqlx::PgPool::connect(url).await.unwrap()), None)
    } else {
        (None, Some(sqlx::SqlitePool::connect(url).await.unwrap()))
    };
    let start = Instant::now();
    loop {
        let pending: i64 = match (&pg, &lite) {
            (Some(pg), _) => sqlx::query_scalar(pending_sql).fetch_one(pg).await.unwrap(),
            (_, Some(lite)) => sqlx::query_scalar(pending_sql).fetch_one(lite).await.unwrap(),
            _ => unreachable!("one backend"),
        };
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "webhook storm: every event applied {:.0} ms after the last acknowledgement",
        start.elapsed().as_secs_f64() * 1000.0
    );

    payment_to_live_event(&app, &browser).await;
}

/// From a `checkout.session.completed` webhook received to the SSE event leaving the server
/// (as an open dashboard gets it): signature check, storage, worker, the session re-fetched from
/// the sandbox, receipts rendered, the transaction, the live event. On PostgreSQL the dashboard
/// is open on a second instance, so the event also crosses LISTEN/NOTIFY.
async fn payment_to_live_event(app: &TestApp, browser: &Client) {
    const PAYMENTS: usize = 40;
    let key = server::secret_key::load(None, app.data_dir.path()).unwrap();
    let api_key = server::stripe::sandbox_api_key(&key);
    let settings: serde_json::Value = app.call(browser, "payment_settings", &[]).await.json().await.unwrap();
    let account = settings["dashboard_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let postgres = app.config.database_url.starts_with("postgres");
    let other = if postgres { Some(spawn_second_instance(app).await) } else { None };
    let watched = other.as_ref().unwrap_or(app);
    let mut stream = browser.get(watched.url("/events")).send().await.unwrap();
    let visitor = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut latencies = Vec::new();
    for i in 0..PAYMENTS {
        let id = issue(app, browser, "80", &["payment_link"]).await;
        let pay_url = invoice_view(app, browser, id).await["pay_url"].as_str().unwrap().to_owned();
        let res = visitor.post(&pay_url).send().await.unwrap();
        let session = res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
        // Paid at the sandbox without its own webhook: ours, timed, is the one that counts.
        let paid = Client::new()
            .post(app.url(&format!("/_sandbox/stripe/v1/test_helpers/checkout/sessions/{session}/pay")))
            .bearer_auth(&api_key)
            .send()
            .await
            .unwrap();
        assert!(paid.status().is_success());
        let body = json!({ "id": format!("evt_live_{i}"), "type": "checkout.session.completed",
            "account": account, "data": { "object": { "id": session } } })
        .to_string();
        let signature = server::stripe::sandbox::sign(CONNECT_SECRET, server_now(), body.as_bytes());
        let started = Instant::now();
        let res = Client::new()
            .post(app.url("/webhooks/stripe/connect"))
            .header("stripe-signature", signature)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
        // The invoice's earlier events (issued, opened by the client) do not count.
        let invoice = format!("\"invoice_id\":{id}");
        let paid = |frame: &str| {
            frame.starts_with("event: payment_recorded")
                && frame
                    .split(&invoice)
                    .nth(1)
                    .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_digit()))
        };
        let mut seen = String::new();
        while !seen.split("\n\n").any(paid) {
            let chunk = tokio::time::timeout(Duration::from_secs(10), stream.chunk())
                .await
                .unwrap()
                .unwrap()
                .unwrap();
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        latencies.push(started.elapsed());
    }
    latencies.sort();
    println!(
        "webhook received → live event sent{} ({PAYMENTS} payments): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        if postgres { " by the other instance" } else { "" },
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
}

/// Seconds since the Unix epoch, as the server's clock reads them.
fn server_now() -> i64 {
    app::ports::Clock::now(&app::ports::SystemClock)
}
