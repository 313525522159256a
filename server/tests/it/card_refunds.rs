//! « Rembourser par carte » through the real server and the Stripe sandbox: full and partial
//! refunds recorded once from the webhook however often it comes, amounts refused beyond what
//! is owed or what the card paid, another business's invoice not found, a refund that fails.

use crate::common::*;
use crate::payments::{account_id, pay_with, post_event, start_checkout, visitor};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

/// An invoice of 100,00 € paid by `card` through Checkout, then fully credited: 100 € owed back.
/// Its id and an API key.
async fn paid_then_credited(app: &TestApp, browser: &Client, email: &str, card: &str) -> (i64, String) {
    app.sign_up(browser, email).await;
    set_up_business(app, browser).await;
    activate_online_payment(app, browser).await;
    let id = issue(app, browser, "100", &["transfer", "payment_link"]).await;
    let pay_url = invoice_view(app, browser, id).await["pay_url"].as_str().unwrap().to_owned();
    let checkout = start_checkout(&visitor(), &pay_url).await;
    assert_eq!(pay_with(&visitor(), &checkout, card).await.status(), 303);
    wait_for_invoice(app, browser, id, |v| v["status"] == "paid").await;
    let res = app
        .call_json(
            browser,
            "create_credit_note",
            json!({ "id": id, "credit": { "full": true, "reason": "Annulée" } }),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    (id, api_key(app, browser).await)
}

async fn refund(app: &TestApp, key: &str, id: i64, amount_cents: i64) -> (StatusCode, Value) {
    let res = Client::new()
        .post(app.url(&format!("/api/v1/invoices/{id}/card-refunds")))
        .bearer_auth(key)
        .json(&json!({ "amount_cents": amount_cents }))
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn invoice(app: &TestApp, key: &str, id: i64) -> Value {
    api_get(app, key, &format!("/api/v1/invoices/{id}")).await.1
}

/// Waits (up to 10 s) until the API shows the invoice's card refunds in `status`.
async fn refunds_reach(app: &TestApp, key: &str, id: i64, status: &str, count: usize) -> Value {
    for _ in 0..100 {
        let invoice = invoice(app, key, id).await;
        let refunds = invoice["card_refunds"].as_array().cloned().unwrap_or_default();
        if refunds.len() == count && refunds.iter().all(|r| r["status"] == status) {
            // Read again: the answer above may hold the invoice's amounts from just before.
            return self::invoice(app, key, id).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("card refunds never all {status}: {}", invoice(app, key, id).await);
}

/// The amounts of this year's livre des recettes, in order.
async fn receipts(app: &TestApp, key: &str) -> Vec<i64> {
    let (_, register) = api_get(app, key, "/api/v1/receipts?from=2026-01-01&to=2026-12-31").await;
    register["receipts"].as_array().unwrap().iter().map(|l| l["amount_cents"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn partial_then_full_card_refunds_are_recorded_once_each() {
    let app = spawn_app().await;
    let browser = client();
    let (id, key) = paid_then_credited(&app, &browser, "marie@exemple.fr", "4242 4242 4242 4242").await;
    assert_eq!(invoice_view(&app, &browser, id).await["card_refundable_cents"], 10_000);

    // Beyond what is owed, or nothing: refused, nothing asked of Stripe.
    let (status, problem) = refund(&app, &key, id, 10_001).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(problem.to_string().contains("dépasse ce qui est dû au client"), "{problem}");
    assert_eq!(refund(&app, &key, id, 0).await.0, StatusCode::UNPROCESSABLE_ENTITY);

    // 30 € back to the card: asked (202), then recorded from the webhook.
    let (status, asked) = refund(&app, &key, id, 3_000).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{asked}");
    assert_eq!(asked["status"], "pending");
    assert_eq!(asked["fee_cents"], 87, "2,90 € of fee, 30 % of it given back");
    let refund_id = asked["id"].as_str().unwrap().to_owned();
    let settled = refunds_reach(&app, &key, id, "succeeded", 1).await;
    assert_eq!(settled["amount_paid_cents"], 7_000, "{settled}");

    // The webhook again, five times over (the same event, and new events about the same refund).
    let account = account_id(&app, &browser).await;
    let event = |n: usize| {
        json!({ "id": format!("evt_again_{n}"), "object": "event", "type": "refund.updated", "account": account,
                "created": crate::payments::now(), "data": { "object": { "id": refund_id, "object": "refund" } } })
    };
    for n in [1, 1, 2, 3, 4] {
        let res = post_event(&app, "/webhooks/stripe/connect", CONNECT_SECRET, &event(n)).await;
        assert_eq!(res.status(), 200);
    }
    let (state, _) = app.workers.as_ref().unwrap();
    server::stripe::worker::run_once(state).await;
    assert_eq!(receipts(&app, &key).await, [10_000, -3_000], "one negative line");
    assert_eq!(invoice(&app, &key, id).await["amount_paid_cents"], 7_000);

    // The rest: 70 € more than the card has left is refused; exactly what is left goes through.
    let (status, problem) = refund(&app, &key, id, 7_001).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, _) = refund(&app, &key, id, 7_000).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let settled = refunds_reach(&app, &key, id, "succeeded", 2).await;
    assert_eq!(
        (settled["amount_paid_cents"].as_i64(), settled["amount_due_cents"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(receipts(&app, &key).await, [10_000, -3_000, -7_000]);
    let view = invoice_view(&app, &browser, id).await;
    assert_eq!(view["card_refundable_cents"], 0, "nothing more to give back");
    assert!(view["history"].to_string().contains("Remboursement de 70,00"), "{view}");
    let outbox: Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    assert!(outbox.to_string().contains("Remboursement de 70,00\u{a0}€ — facture F-2026-0001"), "{outbox}");
    assert!(outbox.to_string().contains("Remboursement par carte effectué : 70,00"), "{outbox}");

    // Another business's invoice: not found.
    let other = client();
    app.sign_up(&other, "bob@exemple.fr").await;
    let other_key = api_key(&app, &other).await;
    assert_eq!(refund(&app, &other_key, id, 100).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_refund_the_card_refuses_shows_on_the_invoice_and_changes_no_money() {
    let app = spawn_app().await;
    let browser = client();
    // Stripe's test card whose refunds fail.
    let (id, key) = paid_then_credited(&app, &browser, "marie@exemple.fr", "4000 0000 0000 5126").await;
    let (status, asked) = refund(&app, &key, id, 10_000).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{asked}");
    let failed = refunds_reach(&app, &key, id, "failed", 1).await;
    assert_eq!(failed["card_refunds"][0]["failure_reason"], "carte expirée ou résiliée");
    assert_eq!(failed["amount_paid_cents"], 10_000, "no money moved");
    assert_eq!(receipts(&app, &key).await, [10_000]);
    let view = invoice_view(&app, &browser, id).await;
    assert!(view["history"].to_string().contains("Échec du remboursement de 100,00"), "{view}");
    assert_eq!(view["card_refundable_cents"], 10_000, "a failed refund takes nothing off the card");
}

/// A refund made straight on Stripe's API (the sandbox's), with what Reglo puts in its metadata
/// or without: its id.
async fn refund_on_stripe(app: &TestApp, account: &str, intent: &str, metadata: &[(&str, String)]) -> String {
    let key = server::secret_key::load(None, app.data_dir.path()).unwrap();
    let mut form: Vec<(String, String)> =
        vec![("payment_intent".into(), intent.into()), ("amount".into(), "1000".into())];
    form.extend(metadata.iter().map(|(k, v)| (format!("metadata[{k}]"), v.clone())));
    let res = Client::new()
        .post(app.url("/_sandbox/stripe/v1/refunds"))
        .bearer_auth(server::stripe::sandbox_api_key(&key))
        .header("stripe-account", account)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_webhook_ahead_of_the_request_still_records_reglos_refund_and_others_are_left_alone() {
    let app = spawn_app().await;
    let browser = client();
    let (id, key) = paid_then_credited(&app, &browser, "marie@exemple.fr", "4242 4242 4242 4242").await;
    let account = account_id(&app, &browser).await;
    let (_, payments) = api_get(&app, &key, &format!("/api/v1/invoices/{id}/payments")).await;
    let intent = payments[0]["stripe_payment_intent_id"].as_str().expect("a card payment").to_owned();
    let (state, _) = app.workers.as_ref().unwrap();
    let business_id = state.store.business_by_account(&account).await.unwrap().expect("Marie's business");

    // Made in Stripe's dashboard: not Reglo's, nothing recorded.
    refund_on_stripe(&app, &account, &intent, &[]).await;
    // Asked by Reglo, its webhook applied before Reglo stored the refund: recorded all the same.
    let ours = refund_on_stripe(
        &app,
        &account,
        &intent,
        &[("business_id", business_id.to_string()), ("invoice_id", id.to_string())],
    )
    .await;
    let settled = refunds_reach(&app, &key, id, "succeeded", 1).await;
    assert_eq!(settled["card_refunds"][0]["id"], ours.as_str());
    assert_eq!(settled["card_refunds"][0]["fee_cents"], 29, "2,90 € of fee, 10 % of it");
    assert_eq!(receipts(&app, &key).await, [10_000, -1_000]);
}
