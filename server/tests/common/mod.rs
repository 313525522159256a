//! Starts the real server on port 0 with a fresh SQLite database in a temporary directory.

#![allow(dead_code)]

use leptos::config::LeptosOptions;
use reqwest::{redirect, Client, Response};
use serde_json::Value;
use server::config::Config;
use tempfile::TempDir;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    pub data_dir: TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with_public_url(None).await
}

pub async fn spawn_app_with_public_url(public_url: Option<&str>) -> TestApp {
    spawn_app_with(public_url, None).await
}

/// The app delivering e-mail to `smtp_url` (instead of `.eml` files in its data dir).
pub async fn spawn_app_with_smtp(smtp_url: &str) -> TestApp {
    spawn_app_with(None, Some(smtp_url)).await
}

async fn spawn_app_with(public_url: Option<&str>, smtp_url: Option<&str>) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    let config = Config {
        data_dir: data_dir.path().to_path_buf(),
        database_url: format!("sqlite://{}", data_dir.path().join("reglo.db").display()),
        site_addr: addr,
        public_url: public_url.map_or_else(|| format!("http://{addr}"), str::to_owned),
        secret_key: None,
        smtp_url: smtp_url.map(str::to_owned),
        mail_from: "Reglo <factures@reglo.test>".into(),
        mail_retry_seconds: 1,
        leptos_options: LeptosOptions::builder()
            .output_name("reglo")
            .site_root(data_dir.path().join("site").display().to_string())
            .site_addr(addr)
            .build(),
    };
    let state = server::state(&config).await.expect("app state");
    server::start_mail_worker(&state, &config).expect("mail worker");
    tokio::spawn(server::serve(listener, state));
    TestApp { base: format!("http://{addr}"), data_dir }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> Client {
    Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Calls a URL-encoded server function.
    pub async fn call(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Response {
        client.post(self.url(&format!("/api/{endpoint}"))).form(form).send().await.unwrap()
    }

    /// Calls a JSON server function.
    pub async fn call_json(&self, client: &Client, endpoint: &str, body: Value) -> Response {
        client.post(self.url(&format!("/api/{endpoint}"))).json(&body).send().await.unwrap()
    }

    /// Signs up a new account; the client then holds its session.
    pub async fn sign_up(&self, client: &Client, email: &str) -> Response {
        let res = self
            .call(
                client,
                "sign_up",
                &[("email", email), ("password", PASSWORD), ("password_confirm", PASSWORD)],
            )
            .await;
        assert!(res.status().is_success(), "sign-up of {email} failed: {}", res.status());
        res
    }

    pub async fn profile(&self, client: &Client) -> Value {
        let res = self.call(client, "business_profile", &[]).await;
        assert!(res.status().is_success(), "business_profile: {}", res.status());
        res.json().await.unwrap()
    }
}

/// A complete, valid profile as the settings form sends it.
pub fn valid_profile(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "address_line1": "12 rue des Lilas",
        "address_line2": "",
        "postal_code": "75011",
        "city": "Paris",
        "email": "contact@exemple.fr",
        "phone": "",
        "siret": "732 829 320 00074",
        "activity": "services_bic",
        "vat_status": "franchise",
        "vat_number": "",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "BNPAFRPP",
        "payment_terms_days": "30",
        "late_penalty_rate": "10",
        "invoice_prefix": "F-",
        "brand_color": "#0f766e"
    })
}

/// The smallest valid PNG (1×1, transparent).
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00,
    0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
    0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Signs up, completes the profile (franchise en base), adds a business client with a billing
/// e-mail, and issues an invoice of one line at `unit_price` euros, paid by transfer; returns its id.
pub async fn issued_invoice(app: &TestApp, browser: &Client, unit_price: &str) -> i64 {
    app.sign_up(browser, "marie@exemple.fr").await;
    app.call_json(
        browser,
        "save_business_profile",
        serde_json::json!({ "profile": valid_profile("Marie Dupont") }),
    )
    .await;
    let client = serde_json::json!({ "kind": "business", "name": "Boulangerie Martin", "siren": "732829320",
        "email": "compta@martin.fr", "address_line1": "3 place du Marché", "postal_code": "69001", "city": "Lyon" });
    let client: Value = app
        .call_json(browser, "save_client", serde_json::json!({ "id": null, "client": client }))
        .await
        .json()
        .await
        .unwrap();
    let invoice = serde_json::json!({ "client_id": client["id"], "issue_date": "2026-11-27",
        "service_date": "2026-11-20", "due_date": "2026-12-27", "operation": "services", "payment_methods": ["transfer"],
        "lines": [{ "description": "Conseil", "quantity": "1", "unit_price": unit_price, "vat_rate": "20" }] });
    let draft: Value = app
        .call_json(browser, "save_draft", serde_json::json!({ "id": null, "invoice": invoice }))
        .await
        .json()
        .await
        .unwrap();
    let id = draft["id"].as_i64().unwrap();
    let res = app.call(browser, "issue_invoice", &[("id", &id.to_string())]).await;
    assert!(res.status().is_success(), "issue_invoice: {}", res.status());
    id
}
