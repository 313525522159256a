//! The dashboard and the livre des recettes of a busy business: one business with 100 000
//! invoices and their payments over five years. Prints the dashboard summary's time (budget:
//! median ≤ 50 ms) and the receipts exports' times. The webhook → live event latency is
//! measured by the `pay_load` bench.
//! `cargo bench -p server --bench treasury` (release profile) on SQLite; with
//! `REGLO_TEST_BACKEND=postgres REGLO_TEST_DATABASE_URL=postgres://…` on PostgreSQL.

// Shared with the integration tests, of which the benches use a part.
#[allow(dead_code)]
#[path = "../tests/it/common.rs"]
mod common;

use common::*;
use reqwest::Client;
use std::time::{Duration, Instant};

const INVOICES: i64 = 100_000;
/// Days covered, ending today: five years.
const DAYS: i64 = 5 * 365;
const RUNS: usize = 30;

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |p: f64| millis(times[((times.len() as f64 - 1.0) * p).round() as usize]);
    println!(
        "{name}: median {:.1} ms, p90 {:.1} ms, max {:.1} ms ({} runs)",
        at(0.5),
        at(0.9),
        at(1.0),
        times.len()
    );
}

async fn time<F, Fut>(runs: usize, mut call: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        assert!(call().await > 0, "empty answer");
        times.push(start.elapsed());
    }
    times
}

/// Writes the invoices and payments straight into the database, as years of use would have:
/// the same statements on either backend (`$N` placeholders; `$json` is how the backend takes
/// JSON text, `$analyze` how it refreshes its statistics).
macro_rules! seed_into {
    ($pool:expr, $json:literal, $analyze:literal) => {{
        let pool = $pool;
        let business_id: i64 = sqlx::query_scalar("SELECT id FROM businesses LIMIT 1").fetch_one(&pool).await?;
        let client_id: i64 = sqlx::query_scalar("SELECT id FROM clients LIMIT 1").fetch_one(&pool).await?;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
        let today = app::domain::period::paris_date(now);
        let mut tx = pool.begin().await?;
        let mut payments = 0;
        let content = r#"{"client_id":1,"issue_date":"","service_date":"","service_end":"","due_date":"","operation":"services","lines":[{"description":"Prestation","quantity":"1","unit":"","unit_price":"100","vat_rate":"0","discount":""}],"payment_methods":["transfer"],"notes":""}"#;
        let insert_invoice = format!(
            "INSERT INTO invoices (business_id, status, number, client_id, client_name, content, issue_date, due_date,
                total_ht, total_tax, total_ttc, amount_paid, kind, created_at, updated_at, issued_at)
             VALUES ($1, $2, $3, $4, 'Client', {}, $6, $7, $8, 0, $9, $10, 'invoice', $11, $12, $13) RETURNING id",
            $json
        );
        for i in 0..INVOICES {
            let issued = today.add_days(-DAYS + i * DAYS / INVOICES);
            let due = issued.add_days(30);
            let total = 5_000 + (i * 7_919) % 200_000;
            // A third of the last two months' invoices are still waiting for their money.
            let paid = issued < today.add_days(-60) || i % 3 != 0;
            let invoice_id: i64 = sqlx::query_scalar(&insert_invoice)
                .bind(business_id)
                .bind(if paid { "paid" } else { "sent" })
                .bind(format!("F-{}-{:06}", issued.year(), i + 1))
                .bind(client_id)
                .bind(content)
                .bind(issued.to_string())
                .bind(due.to_string())
                .bind(total)
                .bind(total)
                .bind(if paid { total } else { 0 })
                .bind(now)
                .bind(now)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            if paid {
                payments += 1;
                let received = issued.add_days(i % 40).min(today);
                let online = i % 3 == 0;
                let fee = app::domain::platform_fee(app::domain::Money::from_cents(total), 290).cents();
                sqlx::query(
                    "INSERT INTO payments (business_id, invoice_id, amount_cents, method, received_on, created_at,
                        fee_cents, revenue_ht_cents, operation)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'services')",
                )
                .bind(business_id)
                .bind(invoice_id)
                .bind(total)
                .bind(if online { "online_card" } else { "transfer" })
                .bind(received.to_string())
                .bind(now)
                .bind(if online { fee } else { 0 })
                .bind(total)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        sqlx::query($analyze).execute(&pool).await?;
        Ok(payments)
    }};
}

async fn seed(app: &TestApp) -> anyhow::Result<i64> {
    let url = &app.config.database_url;
    if url.starts_with("postgres") {
        // As autovacuum would have by then: index-only scans need the visibility map.
        seed_into!(sqlx::PgPool::connect(url).await?, "$5::jsonb", "VACUUM ANALYZE")
    } else {
        seed_into!(sqlx::SqlitePool::connect(url).await?, "$5", "ANALYZE")
    }
}

#[tokio::main]
async fn main() {
    let app = spawn_app().await;
    let browser: Client = client();
    issued_invoice(&app, &browser, "100").await;
    let start = Instant::now();
    let payments = seed(&app).await.expect("seeding");
    println!("seeded {INVOICES} invoices and {payments} payments in {:.1} s", start.elapsed().as_secs_f64());

    let dashboard = time(RUNS, || async {
        let res = app.call(&browser, "dashboard", &[]).await;
        assert!(res.status().is_success());
        res.bytes().await.unwrap().len()
    })
    .await;
    summary("dashboard summary (server function, over HTTP)", dashboard);

    let key = {
        let res = app.call(&browser, "create_api_key", &[("name", "bench")]).await;
        res.json::<serde_json::Value>().await.unwrap()["key"].as_str().unwrap().to_owned()
    };
    let api = time(RUNS, || async {
        let res = client().get(app.url("/api/v1/dashboard")).bearer_auth(&key).send().await.unwrap();
        res.bytes().await.unwrap().len()
    })
    .await;
    summary("GET /api/v1/dashboard (this year)", api);

    let year_csv = time(5, || async {
        let res = browser.get(app.url("/recettes/export.csv")).send().await.unwrap();
        res.bytes().await.unwrap().len()
    })
    .await;
    let lines = browser
        .get(app.url("/recettes/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .lines()
        .count();
    summary(&format!("receipts CSV, this year ({} lines)", lines - 2), year_csv);

    let today = app::domain::period::paris_date(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64,
    );
    let all_years = format!("/recettes/export.csv?from={}&to={today}", today.add_days(-DAYS - 1));
    let all_csv = time(3, || async {
        // Five years of payments: within the ten years an export may cover.
        let res = browser.get(app.url(&all_years)).send().await.unwrap();
        res.bytes().await.unwrap().len()
    })
    .await;
    summary(&format!("receipts CSV, all {payments} payments"), all_csv);

    let month = app::domain::Period::month_of(today.first_of_month().add_days(-1));
    let pdf_url = app.url(&format!("/recettes/export.pdf?from={}&to={}", month.from, month.to));
    let month_lines = browser
        .get(app.url(&format!("/recettes/export.csv?from={}&to={}", month.from, month.to)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .lines()
        .count();
    let month_pdf = time(3, || async {
        let res = browser.get(&pdf_url).send().await.unwrap();
        res.bytes().await.unwrap().len()
    })
    .await;
    summary(&format!("receipts PDF, last month ({} lines)", month_lines - 2), month_pdf);
}
