//! Two `reglo serve` processes on one PostgreSQL database, with one shared Stripe sandbox
//! process and a real SMTP server, as an operator runs them behind a load balancer: numbers stay
//! gap-free across both, a payment applied on one reaches a dashboard open on the other, every
//! e-mail leaves once, and a `kill -9` of one in a webhook storm loses nothing.
//! Runs where `REGLO_TEST_DATABASE_URL` names a PostgreSQL server (CI); skipped, said so, elsewhere.

use crate::common::*;
use reqwest::Client;
use serde_json::{json, Value};
use server::config::Config;
use server::stripe::sandbox::sign;
use sqlx::Connection;
use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Shared by both instances and the sandbox, as the README asks.
const SECRET_KEY: &str = "5e11a5e15e11a5e15e11a5e15e11a5e15e11a5e15e11a5e15e11a5e15e11a5e1";

/// A `reglo` process, killed (SIGKILL) when dropped or asked.
struct Process {
    child: Child,
    name: &'static str,
}

impl Process {
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

fn reglo(name: &'static str, args: &[&str], env: &[(&str, String)]) -> Process {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reglo"));
    command.args(args).env("RUST_LOG", "warn").stdout(Stdio::null()).stderr(Stdio::inherit());
    for var in [
        "REGLO_DATABASE_URL",
        "STRIPE_SECRET_KEY",
        "STRIPE_API_BASE",
        "REGLO_SMTP_URL",
        "REGLO_PUBLIC_URL",
        "REGLO_STRIPE_SANDBOX",
    ] {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    Process { child: command.spawn().expect("starting reglo"), name }
}

async fn wait_until_up(process: &mut Process, url: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(res) = Client::new().get(url).send().await {
            if res.status().as_u16() < 500 {
                return;
            }
        }
        if let Ok(Some(status)) = process.child.try_wait() {
            panic!("{} exited at start: {status}", process.name);
        }
        assert!(Instant::now() < deadline, "{} did not answer at {url}", process.name);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One instance: its process, and a `TestApp` the shared helpers drive it with.
struct Instance {
    app: TestApp,
    process: Process,
}

async fn start_instance(
    name: &'static str,
    port: u16,
    database_url: &str,
    sandbox_base: &str,
    smtp_port: u16,
) -> Instance {
    let data_dir = tempfile::tempdir().unwrap();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let env = [
        ("REGLO_DATA_DIR", data_dir.path().display().to_string()),
        ("REGLO_DATABASE_URL", database_url.to_owned()),
        ("REGLO_SECRET_KEY", SECRET_KEY.to_owned()),
        ("LEPTOS_SITE_ADDR", addr.to_string()),
        ("LEPTOS_OUTPUT_NAME", "reglo".to_owned()),
        ("LEPTOS_SITE_ROOT", data_dir.path().join("site").display().to_string()),
        ("STRIPE_API_BASE", sandbox_base.to_owned()),
        ("REGLO_STRIPE_SANDBOX", "1".to_owned()),
        ("STRIPE_WEBHOOK_SECRET", PLATFORM_SECRET.to_owned()),
        ("STRIPE_CONNECT_WEBHOOK_SECRET", CONNECT_SECRET.to_owned()),
        ("REGLO_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}")),
        ("REGLO_MAIL_RETRY_SECONDS", "1".to_owned()),
        ("REGLO_PAY_RATE_PER_MINUTE", "1000000".to_owned()),
        ("REGLO_DAILY_RECIPIENT_LIMIT", "1000".to_owned()),
    ];
    let mut process = reglo(name, &["serve"], &env);
    let base = format!("http://{addr}");
    wait_until_up(&mut process, &format!("{base}/healthz")).await;
    let config = Config {
        data_dir: data_dir.path().to_path_buf(),
        database_url: database_url.to_owned(),
        site_addr: addr,
        public_url: base.clone(),
        secret_key: Some(SECRET_KEY.to_owned()),
        smtp_url: Some(format!("smtp://127.0.0.1:{smtp_port}")),
        mail_from: "Reglo <factures@localhost>".into(),
        mail_retry_seconds: 1,
        stripe_secret_key: None,
        stripe_sandbox: true,
        stripe_sandbox_public: false,
        stripe_api_base: Some(sandbox_base.to_owned()),
        stripe_webhook_secret: Some(PLATFORM_SECRET.into()),
        stripe_connect_webhook_secret: Some(CONNECT_SECRET.into()),
        platform_fee_bp: 290,
        reconcile_after_seconds: 300,
        pay_rate_per_minute: 1_000_000,
        trusted_proxies: Vec::new(),
        min_online_payment_cents: 2_000,
        daily_recipient_limit: 200,
        mail_retention_days: 30,
        test_clock: false,
        sign_ups_per_hour: 1_000,
        leptos_options: leptos::config::LeptosOptions::builder().output_name("reglo").site_addr(addr).build(),
    };
    Instance { app: TestApp { base, data_dir, config, database: None, workers: None }, process }
}

/// The shared sandbox, delivering its own webhooks to `webhooks_to`.
async fn start_sandbox(webhooks_to: &str) -> (Process, String, tempfile::TempDir) {
    let data_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let env = [
        ("REGLO_DATA_DIR", data_dir.path().display().to_string()),
        ("REGLO_SECRET_KEY", SECRET_KEY.to_owned()),
        ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
        ("REGLO_STRIPE_SANDBOX", "1".to_owned()),
        ("STRIPE_WEBHOOK_SECRET", PLATFORM_SECRET.to_owned()),
        ("STRIPE_CONNECT_WEBHOOK_SECRET", CONNECT_SECRET.to_owned()),
    ];
    let mut process = reglo("the sandbox", &["stripe-sandbox", "--webhooks-to", webhooks_to], &env);
    let base = format!("http://127.0.0.1:{port}/_sandbox/stripe/");
    wait_until_up(&mut process, &format!("{base}v1/events")).await;
    (process, base, data_dir)
}

/// The checkout session a pay link opens: the client presses « Payer la facture ».
async fn checkout_session(pay_url: &str) -> String {
    let visitor = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = visitor.post(pay_url).send().await.unwrap();
    assert_eq!(res.status(), 303, "pay: {}", res.text().await.unwrap_or_default());
    res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned()
}

fn signed_event(id: &str, account: &str, session: &str) -> (String, String) {
    let body = json!({ "id": id, "type": "checkout.session.completed", "account": account,
        "data": { "object": { "id": session, "object": "checkout.session" } } })
    .to_string();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let signature = sign(CONNECT_SECRET, now, body.as_bytes());
    (body, signature)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_one_postgresql_database() {
    let Ok(server_url) = std::env::var("REGLO_TEST_DATABASE_URL") else {
        eprintln!("two instances on PostgreSQL skipped: REGLO_TEST_DATABASE_URL is not set");
        return;
    };
    let database = TestDatabase::create(&server_url).await;
    let smtp_dir = tempfile::tempdir().unwrap();
    let smtp_port = free_port();
    let smtp = SmtpServer::start(smtp_port, &smtp_dir.path().join("mail"));

    // The sandbox delivers its own webhooks to A; B starts once A has migrated the database.
    let a_port = free_port();
    let (_sandbox, sandbox_base, _sandbox_dir) = start_sandbox(&format!("http://127.0.0.1:{a_port}")).await;
    let mut a = start_instance("instance A", a_port, &database.url, &sandbox_base, smtp_port).await;
    let b = start_instance("instance B", free_port(), &database.url, &sandbox_base, smtp_port).await;
    let (on_a, on_b) = (&a.app, &b.app);

    // The entrepreneur signs up on A; the session cookie opens B as well (one database).
    let browser = client();
    on_a.sign_up(&browser, "marie@exemple.fr").await;
    set_up_business(on_b, &browser).await;
    activate_online_payment(on_a, &browser).await;
    let settings: Value = on_b.call(&browser, "payment_settings", &[]).await.json().await.unwrap();
    let account = settings["dashboard_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    assert!(account.starts_with("acct_"), "{settings}");

    numbers_stay_gap_free_and_in_date_order(on_a, on_b, &browser).await;
    a_payment_on_a_reaches_a_dashboard_on_b(on_a, on_b, &browser, &account, &sandbox_base).await;
    every_email_leaves_once(on_a, on_b, &browser, &smtp).await;
    a_webhook_storm_survives_a_kill(&mut a, on_b, &browser, &account, &sandbox_base, &database.url, &smtp)
        .await;
}

/// 50 drafts with mixed dates issued at once, half through each instance.
async fn numbers_stay_gap_free_and_in_date_order(on_a: &TestApp, on_b: &TestApp, browser: &Client) {
    let client: Value = on_a
        .call_json(
            browser,
            "save_client",
            json!({ "id": null, "client": { "kind": "business", "name": "Boulangerie Martin",
                "siren": "732829320", "email": "compta@martin.fr", "address_line1": "3 place du Marché",
                "postal_code": "69001", "city": "Lyon" } }),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut drafts = Vec::new();
    for i in 0..50 {
        let date = format!("2026-11-{:02}", 1 + (i * 7) % 25);
        let invoice = json!({ "client_id": client["id"], "issue_date": date, "service_date": date,
            "due_date": "2026-12-31", "operation": "services", "payment_methods": ["transfer"],
            "lines": [{ "description": "Conseil", "quantity": "1", "unit_price": "100", "vat_rate": "20" }] });
        let draft: Value = on_a
            .call_json(browser, "save_draft", json!({ "id": null, "invoice": invoice }))
            .await
            .json()
            .await
            .unwrap();
        drafts.push((draft["id"].as_i64().unwrap(), date));
    }
    let mut tasks = Vec::new();
    for (i, (id, date)) in drafts.into_iter().enumerate() {
        let (url, browser) = (
            if i % 2 == 0 { on_a.url("/api/issue_invoice") } else { on_b.url("/api/issue_invoice") },
            browser.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let res = browser.post(url).form(&[("id", id.to_string())]).send().await.unwrap();
            let ok = res.status().is_success();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            (ok, body, date)
        }));
    }
    let mut issued = Vec::new();
    for task in tasks {
        let (ok, body, date) = task.await.unwrap();
        if ok {
            issued.push((body["number"].as_str().unwrap().to_owned(), date));
        } else {
            // The only refusal allowed: a later date was numbered first.
            assert!(body.to_string().contains("date"), "unexpected refusal: {body}");
        }
    }
    assert!(!issued.is_empty());
    issued.sort();
    for (i, (number, _)) in issued.iter().enumerate() {
        assert_eq!(number, &format!("F-2026-{:04}", i + 1), "gap-free across instances: {issued:?}");
    }
    assert!(issued.windows(2).all(|w| w[0].1 <= w[1].1), "numbers follow dates: {issued:?}");
}

/// An SSE client on B hears of a payment whose webhook A received.
async fn a_payment_on_a_reaches_a_dashboard_on_b(
    on_a: &TestApp,
    on_b: &TestApp,
    browser: &Client,
    account: &str,
    sandbox_base: &str,
) {
    let id = issue(on_a, browser, "80", &["payment_link"]).await;
    let pay_url = invoice_view(on_a, browser, id).await["pay_url"].as_str().unwrap().to_owned();
    let session = checkout_session(&pay_url).await;
    let api_key = server::stripe::sandbox_api_key(&app::state::SecretKey(hex32(SECRET_KEY)));
    let paid = Client::new()
        .post(format!("{sandbox_base}v1/test_helpers/checkout/sessions/{session}/pay"))
        .bearer_auth(&api_key)
        .send()
        .await
        .unwrap();
    assert!(paid.status().is_success(), "{}", paid.text().await.unwrap());
    let mut stream = browser.get(on_b.url("/events")).send().await.unwrap();
    let (body, signature) = signed_event("evt_live_1", account, &session);
    let res = Client::new()
        .post(on_a.url("/webhooks/stripe/connect"))
        .header("stripe-signature", signature)
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let wanted = format!("\"invoice_id\":{id},");
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !seen
        .split("\n\n")
        .any(|frame| frame.starts_with("event: payment_recorded") && frame.contains(&wanted))
    {
        assert!(Instant::now() < deadline, "B's dashboard never heard of the payment: {seen}");
        let chunk =
            tokio::time::timeout(Duration::from_secs(20), stream.chunk()).await.unwrap().unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert_eq!(invoice_view(on_b, browser, id).await["status"], "paid");
}

/// 200 e-mails queued through both instances, both workers delivering: each arrives once.
async fn every_email_leaves_once(on_a: &TestApp, on_b: &TestApp, browser: &Client, smtp: &SmtpServer) {
    // Five senders at a time (as often as one document may be sent), alternating between the
    // instances, each batch on its own invoice.
    for batch in 0..40 {
        let id = issue(on_a, browser, "120", &["transfer"]).await;
        let mut tasks = Vec::new();
        for i in batch * 5..batch * 5 + 5 {
            let app = if i % 2 == 0 { on_a } else { on_b };
            let (url, browser) = (app.url("/api/send_invoice_email"), browser.clone());
            tasks.push(tokio::spawn(async move {
                let form = [
                    ("id", id.to_string()),
                    ("recipients", "compta@martin.fr".to_owned()),
                    ("copy_to_me", "false".to_owned()),
                    ("subject", format!("Facture, envoi {i}")),
                    ("body", "Bonjour,\n\nVoici la facture.\n".to_owned()),
                ];
                let res = browser.post(url).form(&form).send().await.unwrap();
                assert!(res.status().is_success(), "send {i}: {}", res.text().await.unwrap());
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
    }
    // Settled once every message has left the outbox (both workers), then counted.
    let deadline = Instant::now() + Duration::from_secs(30);
    let sends = loop {
        let sends: Vec<String> =
            smtp.messages().into_iter().filter(|m| m.contains("Subject: Facture, envoi ")).collect();
        if sends.len() >= 200 || Instant::now() > deadline {
            break sends;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    let again = smtp.messages().into_iter().filter(|m| m.contains("Subject: Facture, envoi ")).count();
    assert_eq!((sends.len(), again), (200, 200), "each e-mail delivered exactly once");
    let ids: HashSet<String> = sends.iter().filter_map(|m| header(m, "Message-ID")).collect();
    assert_eq!(ids.len(), 200, "one Message-ID per message");
}

/// 100 paid sessions, each event delivered 5 times, shuffled over both instances; A is killed
/// halfway. B finishes: one payment per session, two receipts per payment, nothing lost.
#[allow(clippy::too_many_arguments)]
async fn a_webhook_storm_survives_a_kill(
    a: &mut Instance,
    on_b: &TestApp,
    browser: &Client,
    account: &str,
    sandbox_base: &str,
    database_url: &str,
    smtp: &SmtpServer,
) {
    let api_key = server::stripe::sandbox_api_key(&app::state::SecretKey(hex32(SECRET_KEY)));
    let mut sessions = Vec::new();
    for _ in 0..100 {
        let id = issue(on_b, browser, "60", &["payment_link"]).await;
        let pay_url = invoice_view(on_b, browser, id).await["pay_url"].as_str().unwrap().to_owned();
        let session = checkout_session(&pay_url).await;
        let paid = Client::new()
            .post(format!("{sandbox_base}v1/test_helpers/checkout/sessions/{session}/pay"))
            .bearer_auth(&api_key)
            .send()
            .await
            .unwrap();
        assert!(paid.status().is_success());
        sessions.push((id, session));
    }
    // 500 deliveries in a fixed shuffled order (a multiplicative step through the indices).
    let deliveries: Vec<(usize, usize)> =
        (0..500).map(|i| (i * 263) % 500).map(|k| (k % 100, k / 100)).collect();
    let a_url = a.app.url("/webhooks/stripe/connect");
    let b_url = on_b.url("/webhooks/stripe/connect");
    let mut retry_on_b = Vec::new();
    for (n, chunk) in deliveries.chunks(50).enumerate() {
        if n == 5 {
            a.process.kill();
        }
        let mut tasks = Vec::new();
        for (i, &(event, copy)) in chunk.iter().enumerate() {
            let (id, session) = &sessions[event];
            let (body, signature) = signed_event(&format!("evt_storm_{event}"), account, session);
            let url = if (i + copy) % 2 == 0 { a_url.clone() } else { b_url.clone() };
            let invoice = *id;
            tasks.push(tokio::spawn(async move {
                let sent = Client::new()
                    .post(&url)
                    .header("stripe-signature", &signature)
                    .body(body.clone())
                    .send()
                    .await;
                // Stripe retries what was not acknowledged: here, on the instance left.
                match sent {
                    Ok(res) if res.status().is_success() => None,
                    _ => Some((invoice, body, signature)),
                }
            }));
        }
        for task in tasks {
            if let Some(failed) = task.await.unwrap() {
                retry_on_b.push(failed);
            }
        }
    }
    for (_, body, signature) in retry_on_b {
        let res =
            Client::new().post(&b_url).header("stripe-signature", signature).body(body).send().await.unwrap();
        assert!(res.status().is_success());
    }
    // Work A had taken is leased for 30 s at most: B takes it over.
    let mut db = sqlx::PgConnection::connect(database_url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let pending: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM stripe_events WHERE applied_at IS NULL)
                  + (SELECT count(*) FROM outbox WHERE status = 'queued')",
        )
        .fetch_one(&mut db)
        .await
        .unwrap();
        if pending == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{pending} events or e-mails left after the kill");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let ids: Vec<i64> = sessions.iter().map(|(id, _)| *id).collect();
    let payments: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT invoice_id, count(*) FROM payments WHERE invoice_id = ANY($1) GROUP BY invoice_id",
    )
    .bind(&ids)
    .fetch_all(&mut db)
    .await
    .unwrap();
    assert_eq!(payments.len(), 100, "every session paid its invoice");
    assert!(payments.iter().all(|(_, n)| *n == 1), "one payment per session: {payments:?}");
    let receipts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT invoice_id, count(*) FROM outbox WHERE invoice_id = ANY($1) GROUP BY invoice_id",
    )
    .bind(&ids)
    .fetch_all(&mut db)
    .await
    .unwrap();
    assert_eq!(receipts.len(), 100);
    assert!(receipts.iter().all(|(_, n)| *n == 2), "two receipts per payment: {receipts:?}");
    for (id, _) in &sessions {
        assert_eq!(invoice_view(on_b, browser, *id).await["status"], "paid");
    }
    // Each receipt reached the SMTP server; one cut short by the kill may have been sent again,
    // under the same Message-ID, which the recipient's mail client recognises.
    let messages = smtp.messages();
    let by_id: HashMap<String, usize> =
        messages.iter().filter_map(|m| header(m, "Message-ID")).fold(HashMap::new(), |mut seen, id| {
            *seen.entry(id).or_default() += 1;
            seen
        });
    assert_eq!(by_id.len(), 200 + 200 + 2, "every message arrived (e-mails, receipts, the live test's)");
}

fn header(message: &str, name: &str) -> Option<String> {
    message
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .map(str::to_owned)
}

fn hex32(hex: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    key
}
