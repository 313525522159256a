//! The REST API v1 from outside: bearer keys, every endpoint, bad input answered as French
//! problems that change nothing, and another business's ids answering 404.

use crate::common::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

struct Api {
    base: String,
    key: String,
    http: Client,
}

impl Api {
    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}/api/v1{path}", self.base)).bearer_auth(&self.key);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let problem = res
            .headers()
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap().starts_with("application/problem+json"));
        let body: Value = res.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            assert!(problem, "{status} on {path} must be a problem+json: {body}");
            assert!(body["detail"].is_string(), "{body}");
        }
        (status, body)
    }
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }
    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }
}

/// Signs up in the browser, creates a key in « Paramètres › API », and sets up the business.
async fn api_for(app: &TestApp, email: &str) -> Api {
    let browser = client();
    app.sign_up(&browser, email).await;
    let res = app.call(&browser, "create_api_key", &[("name", "Tests")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let key = res.json::<Value>().await.unwrap()["key"].as_str().unwrap().to_owned();
    let api = Api { base: app.base.clone(), key, http: Client::new() };
    let (status, body) = api.send(Method::PUT, "/business", Some(business())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    api
}

fn business() -> Value {
    json!({
        "name": "Marie Dupont", "address": { "line1": "12 rue des Lilas", "postal_code": "75011", "city": "Paris" },
        "siret": "73282932000074", "activity": "services_bic", "vat_status": "vat", "vat_number": "FR44732829320",
        "email": "contact@exemple.fr", "iban": "FR7630006000011234567890189", "bic": "BNPAFRPP",
        "payment_terms_days": 30, "late_penalty_rate": "10", "invoice_prefix": "F-", "brand_color": "#0f766e"
    })
}

async fn new_client(api: &Api) -> i64 {
    let (status, body) = api
        .post("/clients", json!({ "name": "Boulangerie Martin", "kind": "business", "siren": "732829320",
            "email": "compta@martin.fr", "address": { "line1": "3 place du Marché", "postal_code": "69001", "city": "Lyon" } }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

fn invoice(client_id: i64) -> Value {
    json!({
        "client_id": client_id, "issue_date": "2026-11-27", "due_date": "2026-12-27",
        "lines": [
            { "description": "Développement", "quantity": "2.5", "unit": "j", "unit_price_cents": 45000, "vat_rate": "20" },
            { "description": "Livre", "quantity": 2, "unit_price_cents": 1999, "vat_rate": 5.5 }
        ],
        "payment_methods": ["transfer", "cheque"]
    })
}

#[tokio::test]
async fn without_a_valid_key_nothing_answers() {
    let app = spawn_app().await;
    let http = Client::new();
    for auth in [None, Some("Bearer rgl_nope"), Some("Basic abc")] {
        let mut req = http.get(app.url("/api/v1/invoices"));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let body: Value = res.json().await.unwrap();
        assert!(body["detail"].as_str().unwrap().contains("Clé d'API"), "{body}");
    }

    // A revoked key stops working at once.
    let api = api_for(&app, "marie@exemple.fr").await;
    let browser = client();
    app.call(&browser, "log_in", &[("email", "marie@exemple.fr"), ("password", PASSWORD)]).await;
    let keys: Value = app.call(&browser, "list_api_keys", &[]).await.json().await.unwrap();
    assert_eq!(keys.as_array().unwrap().len(), 1);
    assert!(api.key.starts_with(keys[0]["prefix"].as_str().unwrap()), "only a prefix is listed");
    let id = keys[0]["id"].to_string();
    assert_eq!(app.call(&browser, "revoke_api_key", &[("id", &id)]).await.status(), StatusCode::OK);
    assert_eq!(api.get("/business").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_business_reads_and_refuses_bad_changes() {
    let app = spawn_app().await;
    let api = api_for(&app, "marie@exemple.fr").await;
    let (status, body) = api.get("/business").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["name"], "Marie Dupont EI");
    assert_eq!(body["vat_status"], "vat");
    assert_eq!(body["payment_terms_days"], 30);
    assert_eq!(body["address"]["city"], "Paris");
    assert_eq!(body["profile_complete"], true);

    let mut bad = business();
    bad["siret"] = json!("73282932000075");
    bad["payment_terms_days"] = json!(90);
    let (status, problem) = api.send(Method::PUT, "/business", Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"siret") && fields.contains(&"payment_terms_days"), "{problem}");
    assert_eq!(api.get("/business").await.1["siret"], body["siret"], "nothing changed");

    let mut typo = business();
    typo["colour"] = json!("#000");
    let (status, problem) = api.send(Method::PUT, "/business", Some(typo)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "colour");
}

#[tokio::test]
async fn clients_are_created_listed_read_and_patched() {
    let app = spawn_app().await;
    let api = api_for(&app, "marie@exemple.fr").await;
    let id = new_client(&api).await;
    let (_, list) = api.get("/clients?search=martin").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["siren"], "732 829 320");

    let (status, patched) = api
        .send(Method::PATCH, &format!("/clients/{id}"), Some(json!({ "email": "factures@martin.fr" })))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["email"], "factures@martin.fr");
    assert_eq!(patched["name"], "Boulangerie Martin", "untouched fields stay");

    let (status, problem) =
        api.send(Method::PATCH, &format!("/clients/{id}"), Some(json!({ "email": "pas-un-email" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "email");
    assert!(problem["detail"].as_str().unwrap().contains("e-mail"));
    assert_eq!(api.get(&format!("/clients/{id}")).await.1["email"], "factures@martin.fr");

    let (status, problem) = api.post("/clients", json!({ "name": "Sans SIREN", "kind": "business" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "siren");
    assert_eq!(api.get("/clients/99999").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_invoice_goes_from_draft_to_paid_and_credited() {
    let app = spawn_app().await;
    let api = api_for(&app, "marie@exemple.fr").await;
    let client_id = new_client(&api).await;

    let (status, draft) = api.post("/invoices", invoice(client_id)).await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let id = draft["id"].as_i64().unwrap();
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["number"], Value::Null);
    assert_eq!(draft["pay_url"], Value::Null);
    assert_eq!(draft["currency"], "EUR");
    // 2,5 × 450 = 1 125,00 at 20 % (225,00) + 2 × 19,99 = 39,98 at 5,5 % (2,20).
    assert_eq!(draft["total_ht_cents"], 116_498);
    assert_eq!(draft["total_tax_cents"], 22_720);
    assert_eq!(draft["total_ttc_cents"], 139_218);
    assert_eq!(draft["lines"][0]["quantity"], "2.5");
    assert_eq!(draft["lines"][1]["vat_rate"], "5.5");
    assert_eq!(draft["lines"][1]["total_ht_cents"], 3_998);

    let (status, patched) = api
        .send(
            Method::PATCH,
            &format!("/invoices/{id}"),
            Some(json!({ "notes": "Merci !", "payment_methods": ["cheque"] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["notes"], "Merci !");
    assert_eq!(patched["lines"].as_array().unwrap().len(), 2);

    let (status, issued) = api.post(&format!("/invoices/{id}/issue"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    assert_eq!(issued["number"], "F-2026-0001");
    assert_eq!(issued["status"], "issued");
    assert!(issued["pay_url"].as_str().unwrap().starts_with(&format!("{}/pay/", app.base)));
    assert_eq!(issued["amount_due_cents"], 139_218);

    // Sent by e-mail (to the .eml outbox here): status « sent »; bad overrides are refused.
    let (status, problem) =
        api.post(&format!("/invoices/{id}/send"), json!({ "subject": "Facture\r\nBcc: x@y.fr" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "subject");
    let (status, sent) =
        api.post(&format!("/invoices/{id}/send"), json!({ "recipients": ["compta@martin.fr"] })).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{sent}");
    assert_eq!(sent["status"], "sent");

    // Issued: no more edits nor deletion, a conflict with its state.
    let (status, refused) =
        api.send(Method::PATCH, &format!("/invoices/{id}"), Some(json!({ "notes": "x" }))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!((refused["status"].as_i64(), refused["title"].as_str()), (Some(409), Some("Requête refusée")));
    assert_eq!(api.send(Method::DELETE, &format!("/invoices/{id}"), None).await.0, StatusCode::CONFLICT);

    // An integer with a zero fraction is an integer (JSON Schema's reading); 1.5 cents is not.
    let (status, problem) =
        api.post(&format!("/invoices/{id}/payments"), json!({ "amount_cents": 1.5, "method": "cash" })).await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("amount_cents")));
    let (status, after) = api
        .post(
            &format!("/invoices/{id}/payments"),
            json!({ "amount_cents": 39_218.0, "method": "cheque", "date": "2026-11-28" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{after}");
    assert_eq!(after["status"], "partially_paid");
    assert_eq!(after["amount_due_cents"], 100_000);
    let (status, problem) = api
        .post(&format!("/invoices/{id}/payments"), json!({ "amount_cents": 100_001, "method": "cash" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "amount_cents");
    assert!(problem["detail"].as_str().unwrap().contains("dépasse le reste à payer"));
    let (_, payments) = api.get(&format!("/invoices/{id}/payments")).await;
    assert_eq!(
        payments,
        json!([{ "amount_cents": 39_218, "method": "cheque", "date": "2026-11-28", "received_at": "2026-11-28",
            "fee_cents": 0, "net_cents": 39_218, "stripe_checkout_session_id": null, "stripe_payment_intent_id": null }])
    );

    // A partial credit note: the rest of the development is not due any more.
    let (status, note) = api
        .post(&format!("/invoices/{id}/credit-notes"), json!({ "lines": [{ "description": "Demi-journée annulée",
            "quantity": "0.5", "unit_price_cents": 45000, "vat_rate": "20" }], "reason": "Prestation écourtée" }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert_eq!(note["kind"], "credit_note");
    assert_eq!(note["number"], "A-2026-0001");
    assert_eq!(note["credited_invoice_id"], id);
    assert_eq!(note["total_ttc_cents"], 27_000);
    let (_, credited) = api.get(&format!("/invoices/{id}")).await;
    assert_eq!(credited["amount_credited_cents"], 27_000);
    assert_eq!(credited["amount_due_cents"], 73_000);

    let (_, list) = api.get("/invoices?status=credit_notes").await;
    assert_eq!(list["count"], 1);
    let (status, problem) = api.get("/invoices?status=payee").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "status");

    // A draft can be deleted.
    let (_, other) = api.post("/invoices", invoice(client_id)).await;
    let other_id = other["id"].as_i64().unwrap();
    assert_eq!(
        api.send(Method::DELETE, &format!("/invoices/{other_id}"), None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(api.get(&format!("/invoices/{other_id}")).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_input_is_refused_in_french_and_changes_nothing() {
    let app = spawn_app().await;
    let api = api_for(&app, "marie@exemple.fr").await;
    let client_id = new_client(&api).await;
    let with_line = |line: Value| {
        let mut body = invoice(client_id);
        body["lines"] = json!([line]);
        body
    };
    let line = |quantity: Value, price: Value, vat: Value| json!({ "description": "Prestation", "quantity": quantity, "unit_price_cents": price, "vat_rate": vat });
    let cases: Vec<(&str, Value, &str)> = vec![
        ("negative quantity", with_line(line(json!("-1"), json!(100), json!("20"))), "lines.0.quantity"),
        ("absurd quantity", with_line(line(json!("123456789"), json!(100), json!("20"))), "lines.0.quantity"),
        ("four decimals", with_line(line(json!("1.2345"), json!(100), json!("20"))), "lines.0.quantity"),
        ("negative price", with_line(line(json!("1"), json!(-100), json!("20"))), "lines.0.unit_price_cents"),
        (
            "absurd price",
            with_line(line(json!("1"), json!(i64::MAX), json!("20"))),
            "lines.0.unit_price_cents",
        ),
        ("unknown VAT rate", with_line(line(json!("1"), json!(100), json!("7"))), "lines.0.vat_rate"),
        (
            "quantity of the wrong type",
            with_line(line(json!(true), json!(100), json!("20"))),
            "lines[0].quantity",
        ),
        (
            "price of the wrong type",
            with_line(line(json!("1"), json!("12,00"), json!("20"))),
            "lines[0].unit_price_cents",
        ),
        (
            "client of the wrong type",
            json!({ "client_id": "un", "lines": [], "payment_methods": [] }),
            "client_id",
        ),
        ("missing lines", json!({ "client_id": client_id, "payment_methods": ["cash"] }), "lines"),
        ("no line", with_line(json!(null)).tap_lines(json!([])), "lines"),
        (
            "unknown method",
            {
                let mut b = invoice(client_id);
                b["payment_methods"] = json!(["bitcoin"]);
                b
            },
            "payment_methods",
        ),
        (
            "due after 60 days",
            {
                let mut b = invoice(client_id);
                b["due_date"] = json!("2027-02-27");
                b
            },
            "due_date",
        ),
        (
            "bad date",
            {
                let mut b = invoice(client_id);
                b["issue_date"] = json!("27/11/2026");
                b
            },
            "issue_date",
        ),
        (
            "another business's client",
            {
                let mut b = invoice(client_id);
                b["client_id"] = json!(999);
                b
            },
            "client_id",
        ),
        (
            "1 MB description",
            with_line(json!({ "description": "x".repeat(1_000_000), "quantity": "1",
            "unit_price_cents": 100 })),
            "lines.0.description",
        ),
        (
            "10 000 lines",
            {
                let mut b = invoice(client_id);
                b["lines"] = Value::Array(vec![line(json!("1"), json!(100), json!("20")); 10_000]);
                b
            },
            "lines",
        ),
    ];
    for (what, body, field) in cases {
        let (status, problem) = api.post("/invoices", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {problem}");
        assert_eq!(problem["field"], field, "{what}: {problem}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            !detail.contains("expected") && !detail.contains("invalid type"),
            "{what}: English leaked: {detail}"
        );
    }
    let raw = api
        .http
        .post(app.url("/api/v1/invoices"))
        .bearer_auth(&api.key)
        .header("content-type", "application/json")
        .body("{ \"client_id\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    let form = api
        .http
        .post(app.url("/api/v1/invoices"))
        .bearer_auth(&api.key)
        .form(&[("a", "b")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = api
        .http
        .post(app.url("/api/v1/invoices"))
        .bearer_auth(&api.key)
        .header("content-type", "application/json")
        .body(format!("\"{}\"", "x".repeat(3_000_000)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let (_, list) = api.get("/invoices").await;
    assert_eq!(list["count"], 0, "nothing was created");
    assert_eq!(api.get("/nowhere").await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.get("/invoices/abc").await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.get("/invoices?client_id=abc").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(api.get("/invoices?limit=-5").await.0, StatusCode::OK, "limits are clamped");
}

trait TapLines {
    fn tap_lines(self, lines: Value) -> Value;
}

impl TapLines for Value {
    fn tap_lines(mut self, lines: Value) -> Value {
        self["lines"] = lines;
        self
    }
}

#[tokio::test]
async fn another_business_ids_answer_not_found() {
    let app = spawn_app().await;
    let alice = api_for(&app, "alice@exemple.fr").await;
    let bob = api_for(&app, "bob@exemple.fr").await;
    let client_id = new_client(&alice).await;
    let (_, draft) = alice.post("/invoices", invoice(client_id)).await;
    let id = draft["id"].as_i64().unwrap();
    let (_, issued_draft) = alice.post("/invoices", invoice(client_id)).await;
    let issued = issued_draft["id"].as_i64().unwrap();
    alice.post(&format!("/invoices/{issued}/issue"), json!({})).await;

    assert_eq!(bob.get(&format!("/clients/{client_id}")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        bob.send(Method::PATCH, &format!("/clients/{client_id}"), Some(json!({ "name": "X" }))).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(bob.get(&format!("/invoices/{id}")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        bob.send(Method::PATCH, &format!("/invoices/{id}"), Some(json!({ "notes": "x" }))).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(bob.send(Method::DELETE, &format!("/invoices/{id}"), None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(bob.post(&format!("/invoices/{id}/issue"), json!({})).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        bob.post(&format!("/invoices/{issued}/credit-notes"), json!({ "full": true })).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(bob.get(&format!("/invoices/{issued}/payments")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        bob.post(&format!("/invoices/{issued}/payments"), json!({ "amount_cents": 100, "method": "cash" }))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, bob_list) = bob.get("/invoices").await;
    assert_eq!(bob_list["count"], 0);
    // Bob using Alice's client on his own invoice is told it does not exist.
    let (status, problem) = bob.post("/invoices", invoice(client_id)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "client_id");

    let (_, still) = alice.get(&format!("/invoices/{id}")).await;
    assert_eq!(still["status"], "draft");
    assert_eq!(alice.get(&format!("/invoices/{issued}")).await.1["status"], "issued");
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = spawn_app().await;
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected = [
        ("/api/v1/business", vec!["get", "put"]),
        ("/api/v1/clients", vec!["get", "post"]),
        ("/api/v1/clients/{id}", vec!["get", "patch"]),
        ("/api/v1/invoices", vec!["get", "post"]),
        ("/api/v1/invoices/{id}", vec!["get", "patch", "delete"]),
        ("/api/v1/invoices/{id}/issue", vec!["post"]),
        ("/api/v1/invoices/{id}/credit-notes", vec!["post"]),
        ("/api/v1/invoices/{id}/payments", vec!["get", "post"]),
        ("/api/v1/invoices/{id}/pdf", vec!["get"]),
        ("/api/v1/invoices/{id}/factur-x.xml", vec!["get"]),
        ("/api/v1/invoices/{id}/send", vec!["post"]),
        ("/api/v1/quotes", vec!["get", "post"]),
        ("/api/v1/quotes/{id}", vec!["get", "patch", "delete"]),
        ("/api/v1/quotes/{id}/send", vec!["post"]),
        ("/api/v1/quotes/{id}/new-version", vec!["post"]),
        ("/api/v1/quotes/{id}/invoice", vec!["post"]),
    ];
    for (path, methods) in expected {
        for m in methods {
            assert!(doc["paths"][path][m].is_object(), "{m} {path} is not described");
        }
    }
    let invoice = &doc["components"]["schemas"]["Invoice"]["properties"];
    for field in [
        "number",
        "status",
        "total_ttc_cents",
        "amount_due_cents",
        "pay_url",
        "payment_methods",
        "delivery_address",
    ] {
        assert!(invoice[field].is_object(), "Invoice.{field} is not described");
    }
    let quote = &doc["components"]["schemas"]["Quote"]["properties"];
    for field in ["number", "status", "valid_until", "deposit_cents", "deposit_invoice_ids", "quote_url"] {
        assert!(quote[field].is_object(), "Quote.{field} is not described");
    }
    assert!(doc["components"]["securitySchemes"]["cle_api"].is_object());
}

#[tokio::test]
async fn refused_keys_are_rate_limited_per_address() {
    let proxy = server::client_address::parse_list("127.0.0.1").unwrap();
    let app = spawn_app_with_options(TestOptions {
        trusted_proxies: proxy,
        test_clock: true,
        ..Default::default()
    })
    .await;
    let http = Client::new();
    // Refusals are counted per clock minute: the tries start at the top of one, all within it.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let moved =
        http.post(app.url("/_test/clock")).json(&json!({ "now": now - now % 60 })).send().await.unwrap();
    assert_eq!(moved.status(), StatusCode::OK);
    let guess = |from: &'static str, i: usize| {
        http.get(app.url("/api/v1/invoices"))
            .header("x-forwarded-for", from)
            .bearer_auth(format!("rgl_guess{i}"))
            .send()
    };
    let mut statuses = Vec::new();
    for i in 0..40 {
        statuses.push(guess("203.0.113.9", i).await.unwrap().status());
    }
    assert!(statuses[..30].iter().all(|s| *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
    assert!(statuses[30..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    let res = guess("203.0.113.9", 99).await.unwrap();
    let body: Value = res.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("réessayez dans une minute"), "{body}");
    // Another address is not affected.
    assert_eq!(guess("198.51.100.4", 0).await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
