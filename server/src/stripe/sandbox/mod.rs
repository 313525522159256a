//! A Stripe-compatible sandbox, mounted under `/_sandbox/stripe/` when no `STRIPE_SECRET_KEY` is
//! set: the subset of the REST API Reglo calls (accounts, account links, Checkout Sessions,
//! events), hosted onboarding and checkout pages that accept Stripe's test cards, and signed
//! webhooks delivered to our own endpoints like Stripe delivers them (retried on failure).
//! Its objects are kept in a SQLite file of its own (never the product's database), so a
//! restart loses nothing. It is a test double of Stripe: it signs its webhooks with its own
//! code, not with the verifier the product uses. No money moves.

mod objects;
mod pages;

use super::webhooks::WebhookSecrets;
use app::services::session_cookie;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value};
use sha2::Sha256;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Row, SqlitePool};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use objects::{
    account as account_object, account_link as account_link_object, checkout_session as session_object,
    event as event_object, refund as refund_object, SessionParams,
};

pub struct Sandbox {
    pool: SqlitePool,
    api_key: String,
    /// `{public_url}/_sandbox/stripe`: where browsers reach the hosted pages.
    public_base: String,
    /// Where webhooks are delivered (the app itself, on loopback).
    deliver_base: String,
    secrets: Arc<WebhookSecrets>,
    http: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    /// Delays between delivery attempts of one event.
    retry_delays: Vec<Duration>,
}

pub type Shared = Arc<Sandbox>;

/// Seconds since the Unix epoch: the sandbox keeps Stripe's time, not the app's clock.
pub(super) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// The `Stripe-Signature` header Stripe sends: `t=<timestamp>,v1=<hex HMAC-SHA256 of
/// "<timestamp>.<body>">`, written from Stripe's documentation independently of the product's
/// verifier, so that one mistake cannot hide on both sides.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

impl Sandbox {
    /// Opens (creating it if needed) the sandbox's storage at `storage_url`, a `sqlite:` URL.
    pub async fn open(
        storage_url: &str,
        api_key: String,
        public_url: &str,
        deliver_base: String,
        secrets: Arc<WebhookSecrets>,
    ) -> anyhow::Result<Shared> {
        let options = SqliteConnectOptions::from_str(storage_url)?
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(5));
        let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(2).connect_with(options).await?;
        sqlx::migrate!("../migrations/stripe-sandbox").run(&pool).await?;
        Ok(Arc::new(Self {
            pool,
            api_key,
            public_base: format!("{public_url}/_sandbox/stripe"),
            deliver_base,
            secrets,
            http: Client::builder(TokioExecutor::new()).build_http(),
            retry_delays: [1, 2, 5, 10, 30, 60, 300].map(Duration::from_secs).to_vec(),
        }))
    }

    async fn get(&self, kind: &str, id: &str) -> Option<(Value, Option<String>)> {
        let row = sqlx::query("SELECT body, account FROM sandbox_objects WHERE id = ? AND kind = ?")
            .bind(id)
            .bind(kind)
            .fetch_optional(&self.pool)
            .await
            .ok()??;
        Some((serde_json::from_str(&row.get::<String, _>(0)).ok()?, row.get(1)))
    }

    async fn put(
        &self,
        kind: &str,
        id: &str,
        account: Option<&str>,
        body: &Value,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO sandbox_objects (id, kind, account, body, created_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body",
        )
        .bind(id)
        .bind(kind)
        .bind(account)
        .bind(body.to_string())
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records an idempotency key's claim; `false` when another request claimed it first.
    async fn claim(&self, key: &str, body: &Value) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "INSERT INTO sandbox_objects (id, kind, account, body, created_at) VALUES (?, 'idempotency', NULL, ?, ?)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(key)
        .bind(body.to_string())
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The object a request with this idempotency key already made (its id kept under `field`).
    async fn replayed(&self, key: Option<&str>, kind: &str, field: &str) -> Option<Value> {
        let (saved, _) = self.get("idempotency", key?).await?;
        Some(self.get(kind, saved[field].as_str().unwrap_or_default()).await?.0)
    }

    /// Stores a new object of `account`, then what its idempotency key made (see [`Self::replayed`]).
    async fn put_once(
        &self,
        kind: &str,
        id: &str,
        account: &str,
        body: &Value,
        key: Option<&str>,
        field: &str,
    ) -> Result<(), sqlx::Error> {
        self.put(kind, id, Some(account), body).await?;
        match key {
            Some(key) => self.put("idempotency", key, Some(account), &json!({ field: id })).await,
            None => Ok(()),
        }
    }

    /// The account made under a claim, once its maker has stored it.
    async fn account_of_claim(&self, key: &str) -> Response {
        for _ in 0..100 {
            if let Some((claim, _)) = self.get("idempotency", key).await {
                if let Some((account, _)) =
                    self.get("account", claim["account"].as_str().unwrap_or_default()).await
                {
                    return Json(account).into_response();
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        stripe_error(StatusCode::CONFLICT, "idempotency_error", "Idempotent request still in progress.", None)
    }

    async fn list(&self, kind: &str, account: Option<&str>, limit: i64) -> Vec<Value> {
        sqlx::query(
            "SELECT body FROM sandbox_objects WHERE kind = ? AND (? IS NULL OR account = ?)
             ORDER BY created_at DESC, seq DESC LIMIT ?",
        )
        .bind(kind)
        .bind(account)
        .bind(account)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|r| serde_json::from_str(&r.get::<String, _>(0)).ok())
        .collect()
    }

    /// Records an event and delivers it, signed, to the Connect endpoint (as Stripe does for
    /// events of connected accounts), retrying in the background until it is acknowledged.
    async fn emit(self: &Arc<Self>, event_type: &str, account: &str, object: &Value) {
        let id = new_id("evt");
        let event = objects::event(&id, event_type, Some(account), object, now());
        if let Err(e) = self.put("event", &id, Some(account), &event).await {
            tracing::error!("sandbox: storing event: {e}");
            return;
        }
        let sandbox = self.clone();
        tokio::spawn(async move { sandbox.deliver(&event).await });
    }

    async fn deliver(&self, event: &Value) {
        let url = format!("{}/webhooks/stripe/connect", self.deliver_base);
        let body = event.to_string();
        for (attempt, delay) in
            std::iter::once(Duration::ZERO).chain(self.retry_delays.iter().copied()).enumerate()
        {
            tokio::time::sleep(delay).await;
            let header = sign(&self.secrets.connect, now(), body.as_bytes());
            let request = axum::http::Request::post(&url)
                .header("content-type", "application/json")
                .header("stripe-signature", header)
                .header("user-agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks) Reglo sandbox")
                .body(Full::new(Bytes::from(body.clone())));
            let Ok(request) = request else { return };
            match self.http.request(request).await {
                Ok(res) if res.status().is_success() => return,
                Ok(res) => {
                    tracing::warn!(attempt, status = %res.status(), "sandbox: webhook delivery refused")
                }
                Err(e) => tracing::warn!(attempt, "sandbox: webhook delivery failed: {e}"),
            }
        }
        tracing::error!(event = %event["id"], "sandbox: webhook given up after every retry");
    }

    /// Pays an open session as if the client had entered a card that went through; with
    /// `refunds_fail` (Stripe's test card 4000 0000 0000 5126), refunds of it fail later.
    async fn pay(
        self: &Arc<Self>,
        id: &str,
        send_webhook: bool,
        refunds_fail: bool,
    ) -> Result<Value, String> {
        let (mut session, account) =
            self.get("checkout.session", id).await.ok_or("No such checkout.session")?;
        if session["status"] != "open" {
            return Err("Cette session de paiement n'est plus ouverte.".into());
        }
        let account = account.unwrap_or_default();
        let at = now();
        let pi_id = new_id("pi");
        let fee = session["sandbox_application_fee"].as_i64().unwrap_or(0);
        let mut intent = objects::payment_intent(&pi_id, &session, fee, at);
        intent["sandbox_refunds_fail"] = json!(refunds_fail);
        self.put("payment_intent", &pi_id, Some(&account), &intent).await.map_err(|e| e.to_string())?;
        session["status"] = json!("complete");
        session["payment_status"] = json!("paid");
        session["payment_intent"] = json!(pi_id);
        session["url"] = Value::Null;
        self.put("checkout.session", id, Some(&account), &session).await.map_err(|e| e.to_string())?;
        if send_webhook {
            self.emit("checkout.session.completed", &account, &stripe_view(&session)).await;
        }
        Ok(session)
    }
}

/// The session as Stripe shows it (without the sandbox's own bookkeeping keys).
fn stripe_view(session: &Value) -> Value {
    let mut v = session.clone();
    if let Some(map) = v.as_object_mut() {
        map.retain(|k, _| !k.starts_with("sandbox_"));
    }
    v
}

fn stripe_error(status: StatusCode, kind: &str, message: &str, param: Option<&str>) -> Response {
    (status, Json(objects::error(kind, message, param))).into_response()
}

/// The sandbox's own storage failed.
fn api_error(e: sqlx::Error) -> Response {
    stripe_error(StatusCode::INTERNAL_SERVER_ERROR, "api_error", &e.to_string(), None)
}

fn no_such(what: &str, id: &str) -> Response {
    stripe_error(
        StatusCode::NOT_FOUND,
        "invalid_request_error",
        &format!("No such {what}: '{id}'"),
        Some("id"),
    )
}

/// Stripe's form encoding (`a[b][c]=v`), flattened: keys keep their brackets.
fn form(body: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// The `metadata[key]` fields of a form, as Stripe keeps them.
fn metadata(f: &HashMap<String, String>) -> serde_json::Map<String, Value> {
    f.iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("metadata[")?.strip_suffix(']')?.to_owned(), json!(v))))
        .collect()
}

/// The request's `Idempotency-Key`, scoped by `scope` (an account, a kind of object).
fn idempotency_key(headers: &HeaderMap, scope: &str) -> Option<String> {
    headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(|k| format!("{scope}_{k}"))
}

/// The refusal to give when the request does not carry the sandbox's API key.
fn unauthorized(sandbox: &Sandbox, headers: &HeaderMap) -> Option<Response> {
    let key = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    (key.is_empty() || key != sandbox.api_key).then(|| {
        stripe_error(StatusCode::UNAUTHORIZED, "invalid_request_error", "Invalid API Key provided.", None)
    })
}

fn connected_account(headers: &HeaderMap) -> Option<String> {
    headers.get("stripe-account").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", &session_cookie::new_token()[..24])
}

async fn create_account(State(sb): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refused) = unauthorized(&sb, &headers) {
        return refused;
    }
    let f = form(&body);
    let id = new_id("acct");
    // A request with an idempotency key already seen gets that request's account: the key is
    // claimed before the account is made, so that two at once make one.
    if let Some(claim) = idempotency_key(&headers, "idem_account") {
        match sb.claim(&claim, &json!({ "account": id })).await {
            Ok(true) => {}
            Ok(false) => return sb.account_of_claim(&claim).await,
            Err(e) => return api_error(e),
        }
    }
    let name = f.get("metadata[business_name]").cloned().unwrap_or_default();
    let account = objects::account(&id, f.get("email").map(String::as_str), &name, now());
    if let Err(e) = sb.put("account", &id, Some(&id), &account).await {
        return api_error(e);
    }
    Json(account).into_response()
}

async fn retrieve_account(State(sb): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(refused) = unauthorized(&sb, &headers) {
        return refused;
    }
    match sb.get("account", &id).await {
        Some((account, _)) => Json(account).into_response(),
        None => no_such("account", &id),
    }
}

async fn create_account_link(State(sb): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refused) = unauthorized(&sb, &headers) {
        return refused;
    }
    let f = form(&body);
    let account = f.get("account").cloned().unwrap_or_default();
    if sb.get("account", &account).await.is_none() {
        return no_such("account", &account);
    }
    let (Some(refresh_url), Some(return_url)) = (f.get("refresh_url"), f.get("return_url")) else {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "Missing required param: return_url.",
            Some("return_url"),
        );
    };
    let link_id = new_id("link");
    let at = now();
    let url = format!("{}/onboarding/{link_id}", sb.public_base);
    let record = json!({ "account": account, "refresh_url": refresh_url, "return_url": return_url, "expires_at": at + 300, "used": false });
    if let Err(e) = sb.put("account_link", &link_id, Some(&account), &record).await {
        return api_error(e);
    }
    Json(objects::account_link(&url, at, at + 300)).into_response()
}

async fn create_session(State(sb): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refused) = unauthorized(&sb, &headers) {
        return refused;
    }
    let Some(account_id) = connected_account(&headers) else {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "This sandbox only creates sessions on a connected account (Stripe-Account header).",
            None,
        );
    };
    let Some((account, _)) = sb.get("account", &account_id).await else {
        return no_such("account", &account_id);
    };
    if account["charges_enabled"] != true {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "Your account cannot currently make live charges.",
            None,
        );
    }
    // A retried request with the same idempotency key gets the same session.
    let idempotency = idempotency_key(&headers, &format!("idem_{account_id}"));
    if let Some(session) = sb.replayed(idempotency.as_deref(), "checkout.session", "session").await {
        return Json(stripe_view(&session)).into_response();
    }
    let f = form(&body);
    let int = |k: &str| f.get(k).and_then(|v| v.parse::<i64>().ok());
    let amount = int("line_items[0][price_data][unit_amount]").unwrap_or(0)
        * int("line_items[0][quantity]").unwrap_or(1);
    let fee = int("payment_intent_data[application_fee_amount]").unwrap_or(0);
    let currency = f
        .get("currency")
        .or_else(|| f.get("line_items[0][price_data][currency]"))
        .cloned()
        .unwrap_or_default();
    let param_error = |param: &str, message: &str| {
        stripe_error(StatusCode::BAD_REQUEST, "invalid_request_error", message, Some(param))
    };
    if amount < 50 {
        return param_error(
            "line_items[0][price_data][unit_amount]",
            "The Checkout Session's total amount due must add up to at least €0.50 eur",
        );
    }
    if fee < 0 || fee > amount {
        return param_error(
            "payment_intent_data[application_fee_amount]",
            "The application fee must be between 0 and the amount.",
        );
    }
    if currency != "eur" {
        return param_error("currency", "This sandbox takes payments in eur only.");
    }
    let (Some(success_url), Some(cancel_url)) = (f.get("success_url"), f.get("cancel_url")) else {
        return param_error("success_url", "Missing required param: success_url.");
    };
    if f.get("mode").map(String::as_str) != Some("payment") {
        return param_error("mode", "This sandbox supports mode=payment only.");
    }
    let at = now();
    let expires_at = int("expires_at").unwrap_or(at + 24 * 3600);
    if expires_at < at + 30 * 60 - 5 || expires_at > at + 24 * 3600 + 5 {
        return param_error(
            "expires_at",
            "The `expires_at` timestamp must be between 30 minutes and 24 hours from now.",
        );
    }
    let metadata = metadata(&f);
    let id = format!("cs_test_{}", session_cookie::new_token());
    let params = objects::SessionParams {
        url: format!("{}/checkout/{id}", sb.public_base),
        id: id.clone(),
        amount,
        currency,
        product_name: f.get("line_items[0][price_data][product_data][name]").cloned().unwrap_or_default(),
        customer_email: f.get("customer_email").cloned(),
        client_reference_id: f.get("client_reference_id").cloned(),
        metadata,
        success_url: success_url.replace("{CHECKOUT_SESSION_ID}", &id),
        cancel_url: cancel_url.clone(),
        created: at,
        expires_at,
        locale: f.get("locale").cloned(),
    };
    let mut session = objects::checkout_session(&params);
    session["sandbox_application_fee"] = json!(fee);
    session["sandbox_business_name"] = account["settings"]["dashboard"]["display_name"].clone();
    let saved =
        sb.put_once("checkout.session", &id, &account_id, &session, idempotency.as_deref(), "session").await;
    if let Err(e) = saved {
        return api_error(e);
    }
    Json(stripe_view(&session)).into_response()
}

/// A session, only through the account it was created on.
async fn session_of(sb: &Sandbox, headers: &HeaderMap, id: &str) -> Result<(Value, String), Response> {
    if let Some(refused) = unauthorized(sb, headers) {
        return Err(refused);
    }
    match (sb.get("checkout.session", id).await, connected_account(headers)) {
        (Some((session, Some(owner))), Some(asked)) if owner == asked => Ok((session, owner)),
        _ => Err(no_such("checkout.session", id)),
    }
}

async fn retrieve_session(State(sb): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    match session_of(&sb, &headers, &id).await {
        Ok((session, _)) => Json(stripe_view(&session)).into_response(),
        Err(r) => r,
    }
}

async fn expire_session(State(sb): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let (mut session, account) = match session_of(&sb, &headers, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    if session["status"] != "open" {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            &format!("Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \"{}\".", session["status"].as_str().unwrap_or_default()),
            None,
        );
    }
    session["status"] = json!("expired");
    session["url"] = Value::Null;
    if let Err(e) = sb.put("checkout.session", &id, Some(&account), &session).await {
        return api_error(e);
    }
    sb.emit("checkout.session.expired", &account, &stripe_view(&session)).await;
    Json(stripe_view(&session)).into_response()
}

async fn retrieve_event(State(sb): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(refused) = unauthorized(&sb, &headers) {
        return refused;
    }
    match sb.get("event", &id).await {
        Some((event, _)) => Json(event).into_response(),
        None => no_such("event", &id),
    }
}

async fn list_events(
    State(sb): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(refused) = unauthorized(&sb, &headers) {
        return refused;
    }
    let limit = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(10).clamp(1, 100);
    let account = connected_account(&headers);
    let data = sb.list("event", account.as_deref(), limit).await;
    Json(json!({ "object": "list", "url": "/v1/events", "has_more": false, "data": data })).into_response()
}

/// A refund on a card payment of the connected account: at most what is left of the payment,
/// succeeded at once — or pending, then failed, for a payment made with the card whose refunds
/// fail. Each change is announced (`refund.created`, `refund.updated`, `refund.failed`).
async fn create_refund(State(sb): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refused) = unauthorized(&sb, &headers) {
        return refused;
    }
    let Some(account) = connected_account(&headers) else {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "This sandbox only refunds payments of a connected account (Stripe-Account header).",
            None,
        );
    };
    let idempotency = idempotency_key(&headers, &format!("idem_refund_{account}"));
    if let Some(refund) = sb.replayed(idempotency.as_deref(), "refund", "refund").await {
        return Json(refund).into_response();
    }
    let f = form(&body);
    let pi = f.get("payment_intent").cloned().unwrap_or_default();
    let intent = match sb.get("payment_intent", &pi).await {
        Some((intent, Some(owner))) if owner == account => intent,
        _ => return no_such("payment_intent", &pi),
    };
    let received = intent["amount_received"].as_i64().unwrap_or(0);
    let refunded: i64 = sb
        .list("refund", Some(&account), 1_000)
        .await
        .iter()
        .filter(|r| {
            r["payment_intent"] == json!(pi) && !matches!(r["status"].as_str(), Some("failed" | "canceled"))
        })
        .map(|r| r["amount"].as_i64().unwrap_or(0))
        .sum();
    let left = received - refunded;
    let amount = match f.get("amount").map(|a| a.parse::<i64>()) {
        None => left,
        Some(Ok(amount)) if amount > 0 => amount,
        Some(_) => {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "Invalid positive integer",
                Some("amount"),
            )
        }
    };
    if amount > left {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            &format!(
                "Refund amount (€{:.2}) is greater than unrefunded amount on charge (€{:.2})",
                amount as f64 / 100.0,
                left as f64 / 100.0
            ),
            Some("amount"),
        );
    }
    let metadata = metadata(&f);
    let fails = intent["sandbox_refunds_fail"] == true;
    let id = new_id("re");
    let mut refund = objects::refund(
        &id,
        amount,
        &pi,
        &Value::Object(metadata),
        if fails { "pending" } else { "succeeded" },
        now(),
    );
    let saved = sb.put_once("refund", &id, &account, &refund, idempotency.as_deref(), "refund").await;
    if let Err(e) = saved {
        return api_error(e);
    }
    sb.emit("refund.created", &account, &refund).await;
    if fails {
        let created = refund.clone();
        refund["status"] = json!("failed");
        refund["failure_reason"] = json!("expired_or_canceled_card");
        refund["failure_balance_transaction"] = json!(format!("txn_fail_{}", &id[3..]));
        if let Err(e) = sb.put("refund", &id, Some(&account), &refund).await {
            return api_error(e);
        }
        sb.emit("refund.updated", &account, &refund).await;
        sb.emit("refund.failed", &account, &refund).await;
        return Json(created).into_response();
    }
    Json(refund).into_response()
}

/// A refund, only through the account it was made on.
async fn retrieve_refund(State(sb): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(refused) = unauthorized(&sb, &headers) {
        return refused;
    }
    match (sb.get("refund", &id).await, connected_account(&headers)) {
        (Some((refund, Some(owner))), Some(asked)) if owner == asked => Json(refund).into_response(),
        _ => no_such("refund", &id),
    }
}

/// The connected account's refunds, of one charge or PaymentIntent when asked.
async fn list_refunds(
    State(sb): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(refused) = unauthorized(&sb, &headers) {
        return refused;
    }
    let Some(account) = connected_account(&headers) else { return no_such("account", "") };
    let limit = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(10).clamp(1, 100);
    let data: Vec<Value> = sb
        .list("refund", Some(&account), 1_000)
        .await
        .into_iter()
        .filter(|r| q.get("charge").is_none_or(|c| r["charge"] == json!(c)))
        .filter(|r| q.get("payment_intent").is_none_or(|p| r["payment_intent"] == json!(p)))
        .take(limit as usize)
        .collect();
    Json(json!({ "object": "list", "url": "/v1/refunds", "has_more": false, "data": data })).into_response()
}

/// Test helper (not in Stripe's API): pays a session without delivering its webhook, as when
/// a webhook is lost — what the reconciliation job is for.
async fn pay_without_webhook(
    State(sb): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(refused) = unauthorized(&sb, &headers) {
        return refused;
    }
    match sb.pay(&id, false, false).await {
        Ok(session) => Json(stripe_view(&session)).into_response(),
        Err(e) => stripe_error(StatusCode::BAD_REQUEST, "invalid_request_error", &e, None),
    }
}

pub fn router(sandbox: Shared) -> Router {
    Router::new()
        .route("/v1/accounts", post(create_account))
        .route("/v1/accounts/{id}", get(retrieve_account))
        .route("/v1/account_links", post(create_account_link))
        .route("/v1/checkout/sessions", post(create_session))
        .route("/v1/checkout/sessions/{id}", get(retrieve_session))
        .route("/v1/checkout/sessions/{id}/expire", post(expire_session))
        .route("/v1/events", get(list_events))
        .route("/v1/refunds", post(create_refund).get(list_refunds))
        .route("/v1/refunds/{id}", get(retrieve_refund))
        .route("/v1/events/{id}", get(retrieve_event))
        .route("/v1/test_helpers/checkout/sessions/{id}/pay", post(pay_without_webhook))
        .route("/onboarding/{link}", get(pages::onboarding).post(pages::finish_onboarding))
        .route("/checkout/{id}", get(pages::checkout).post(pages::pay))
        .route("/dashboard/{account}", get(pages::dashboard))
        .with_state(sandbox)
}
