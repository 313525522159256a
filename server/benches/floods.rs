//! Abuse a deployment must survive, measured on the `reglo` binary run as a server of its own:
//! 300 sign-ups at once (password hashing is bounded: the server's peak memory and `/healthz`
//! latency while they run), and a flood of 10 000 requests with bad API keys from many addresses
//! (signed webhooks keep being acknowledged: their latency meanwhile). Prints figures;
//! `cargo bench -p server --bench floods`.

// Shared with the integration tests, of which the benches use a part.
#[allow(dead_code)]
#[path = "../tests/it/common.rs"]
mod common;

use common::*;
use reqwest::Client;
use serde_json::json;
use std::time::{Duration, Instant};

const SIGN_UPS: usize = 300;
const BAD_KEYS: usize = 10_000;
const BAD_KEY_SENDERS: usize = 32;
const WEBHOOKS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn summary(mut latencies: Vec<Duration>) -> String {
    latencies.sort();
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} samples)",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
        latencies.len()
    )
}

/// The server's peak resident memory so far, in MiB.
fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// `/healthz` every 50 ms until `done` is set; its latencies.
fn watch_health(
    base: &str,
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> tokio::task::JoinHandle<Vec<Duration>> {
    let url = format!("{base}/healthz");
    tokio::spawn(async move {
        let http = Client::new();
        let mut latencies = Vec::new();
        while !done.load(std::sync::atomic::Ordering::SeqCst) {
            let t = Instant::now();
            let status = http.get(&url).send().await.map(|r| r.status().as_u16()).unwrap_or(0);
            assert_eq!(status, 200, "/healthz stopped answering");
            latencies.push(t.elapsed());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        latencies
    })
}

/// The server killed when the bench ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main]
async fn main() {
    let data_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = Server(
        std::process::Command::new(env!("CARGO_BIN_EXE_reglo"))
            .env("REGLO_DATA_DIR", data_dir.path())
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", data_dir.path().join("site"))
            .env("RUST_LOG", "warn")
            // Behind a proxy (127.0.0.1): each request may come from its own client address.
            .env("REGLO_TRUSTED_PROXIES", "127.0.0.1")
            .env("REGLO_STRIPE_SANDBOX", "1")
            .env("STRIPE_CONNECT_WEBHOOK_SECRET", CONNECT_SECRET)
            .env_remove("REGLO_DATABASE_URL")
            .env_remove("STRIPE_SECRET_KEY")
            .spawn()
            .expect("starting reglo"),
    );
    let pid = server.0.id();
    let health = Client::new();
    for _ in 0..600 {
        if health.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!("server started: peak RSS {:.0} MiB", peak_rss_mib(pid));

    // 300 sign-ups at once, each from its own address (the per-address throttle aside).
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let health = watch_health(&base, done.clone());
    // One client (one pool) for all: 300 clients of their own would weigh more than the server.
    let http = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let start = Instant::now();
    let sign_ups: Vec<_> = (0..SIGN_UPS)
        .map(|i| {
            let (url, http) = (format!("{base}/api/sign_up"), http.clone());
            tokio::spawn(async move {
                let email = format!("flot{i}@exemple.fr");
                let form =
                    [("email", email.as_str()), ("password", PASSWORD), ("password_confirm", PASSWORD)];
                let res = http
                    .post(url)
                    .header("x-forwarded-for", format!("198.18.{}.{}", i / 250, i % 250 + 1))
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                res.status().as_u16()
            })
        })
        .collect();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for task in sign_ups {
        *statuses.entry(task.await.unwrap()).or_default() += 1;
    }
    let elapsed = start.elapsed();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let health = health.await.unwrap();
    println!(
        "{SIGN_UPS} parallel sign-ups: {:.1} s, answers {statuses:?}; peak RSS {:.0} MiB; /healthz meanwhile {}",
        elapsed.as_secs_f64(),
        peak_rss_mib(pid),
        summary(health)
    );

    // 10 000 bad keys from 32 senders, each request from one of 1 000 addresses, while signed
    // webhooks arrive one after the other.
    let start = Instant::now();
    let flood: Vec<_> = (0..BAD_KEY_SENDERS)
        .map(|sender| {
            let (url, http) = (format!("{base}/api/v1/invoices"), http.clone());
            tokio::spawn(async move {
                let mut answers = std::collections::BTreeMap::<u16, usize>::new();
                for i in (sender..BAD_KEYS).step_by(BAD_KEY_SENDERS) {
                    let status = http
                        .get(&url)
                        .header("x-forwarded-for", format!("198.19.{}.{}", i % 1000 / 250, i % 250 + 1))
                        .bearer_auth(format!("rgl_{i:064}"))
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0);
                    *answers.entry(status).or_default() += 1;
                }
                answers
            })
        })
        .collect();
    let mut webhook_latencies = Vec::new();
    for i in 0..WEBHOOKS {
        let body = json!({ "id": format!("evt_flood_{i}"), "type": "charge.updated", "account": "acct_flood",
            "data": { "object": { "id": format!("ch_{i}") } } })
        .to_string();
        let signature = server::stripe::sandbox::sign(CONNECT_SECRET, server_now(), body.as_bytes());
        let t = Instant::now();
        let res = http
            .post(format!("{base}/webhooks/stripe/connect"))
            .header("stripe-signature", signature)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "a webhook was not acknowledged during the flood");
        webhook_latencies.push(t.elapsed());
    }
    let mut answers = std::collections::BTreeMap::<u16, usize>::new();
    for sender in flood {
        for (status, n) in sender.await.unwrap() {
            *answers.entry(status).or_default() += n;
        }
    }
    println!(
        "{BAD_KEYS} bad API keys in {:.1} s, answers {answers:?}; {WEBHOOKS} webhooks meanwhile, all acknowledged: {}",
        start.elapsed().as_secs_f64(),
        summary(webhook_latencies)
    );
}

fn server_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}
