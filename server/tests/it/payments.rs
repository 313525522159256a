//! Online payment end to end on the built-in Stripe sandbox: onboarding, the pay page,
//! Checkout, signed webhooks applied once, crash recovery, reconciliation, receipts.

use crate::common::*;
use reqwest::Client;
use serde_json::{json, Value};
use server::stripe::sandbox::sign;
use std::time::Duration;

/// The client's browser: no session, redirects left to the test.
pub(crate) fn visitor() -> Client {
    Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

pub(crate) fn now() -> i64 {
    app::ports::Clock::now(&app::ports::SystemClock)
}

/// A business with online payment active and an invoice of 100,00 € (franchise: no VAT) offering the link.
async fn payable_invoice(app: &TestApp, browser: &Client, email: &str) -> (i64, String) {
    app.sign_up(browser, email).await;
    set_up_business(app, browser).await;
    activate_online_payment(app, browser).await;
    let id = issue(app, browser, "100", &["transfer", "payment_link"]).await;
    let view = invoice_view(app, browser, id).await;
    (id, view["pay_url"].as_str().expect("pay url").to_owned())
}

/// The client clicks « Payer la facture »: the Checkout page's URL.
pub(crate) async fn start_checkout(client: &Client, pay_url: &str) -> String {
    let res = client.post(pay_url).send().await.unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    res.headers()["location"].to_str().unwrap().to_owned()
}

pub(crate) async fn pay_with(client: &Client, checkout: &str, card: &str) -> reqwest::Response {
    client
        .post(checkout)
        .form(&[
            ("email", "compta@martin.fr"),
            ("card", card),
            ("exp", "12 / 34"),
            ("cvc", "123"),
            ("name", "Paul Martin"),
        ])
        .send()
        .await
        .unwrap()
}

fn session_id(checkout: &str) -> String {
    checkout.rsplit('/').next().unwrap().to_owned()
}

pub(crate) async fn account_id(app: &TestApp, browser: &Client) -> String {
    let settings: Value = app.call(browser, "payment_settings", &[]).await.json().await.unwrap();
    settings["dashboard_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned()
}

async fn outbox(app: &TestApp, browser: &Client) -> Vec<Value> {
    app.call(browser, "list_outbox", &[]).await.json().await.unwrap()
}

pub(crate) async fn post_event(app: &TestApp, path: &str, secret: &str, event: &Value) -> reqwest::Response {
    let body = event.to_string();
    Client::new()
        .post(app.url(path))
        .header("stripe-signature", sign(secret, now(), body.as_bytes()))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

pub(crate) fn completed_event(id: &str, account: &str, session: &str) -> Value {
    json!({ "id": id, "object": "event", "type": "checkout.session.completed", "account": account,
            "created": now(), "data": { "object": { "id": session, "object": "checkout.session" } } })
}

/// What a banking app reads from the pay page's transfer QR code (an inline SVG).
fn transfer_qr_code(html: &str) -> String {
    let start = html.find("<svg").expect("a QR code on the page");
    let end = html[start..].find("</svg>").expect("a whole SVG") + start + "</svg>".len();
    let tree = resvg::usvg::Tree::from_str(&html[start..end], &resvg::usvg::Options::default()).unwrap();
    let size = 400;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let scale = size as f32 / tree.size().width();
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let w = size as usize;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, w, |x, y| pixmap.data()[(y * w + x) * 4]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    grids[0].decode().expect("a readable QR code").1
}

#[tokio::test]
async fn the_pay_page_offers_the_transfer_with_its_epc_qr_code_for_what_is_left_to_pay() {
    let app = spawn_app().await;
    let browser = client();
    let (id, pay_url) = payable_invoice(&app, &browser, "marie@exemple.fr").await;
    let html = visitor().get(&pay_url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Ou payer par virement") && html.contains("FR76 3000 6000 0112 3456 7890 189"));
    assert_eq!(
        transfer_qr_code(&html),
        "BCD\n002\n1\nSCT\nBNPAFRPP\nMarie Dupont EI\nFR7630006000011234567890189\nEUR100.00\n\n\nF-2026-0001"
    );

    // The invoice's PDF carries it too (decoded from the rendered page in `pdf::tests`).
    let pdf = client().get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    assert_eq!(pdf.status(), 303, "the owner's, not the visitor's");
    let browser_pdf = browser.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    let text = pdf_extract::extract_text_from_mem(&browser_pdf.bytes().await.unwrap()).unwrap();
    assert!(text.contains("scannez"), "{text}");

    // After a partial payment, the code asks for the rest.
    let res = app
        .call(
            &browser,
            "record_payment",
            &[("id", &id.to_string()), ("amount", "40"), ("method", "cheque"), ("date", "2026-11-28")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let html = visitor().get(&pay_url).send().await.unwrap().text().await.unwrap();
    assert!(transfer_qr_code(&html).contains("\nEUR60.00\n"));

    // Paid: nothing left to transfer.
    app.call(
        &browser,
        "record_payment",
        &[("id", &id.to_string()), ("amount", "60"), ("method", "cheque"), ("date", "2026-11-29")],
    )
    .await;
    let html = visitor().get(&pay_url).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("<svg") && !html.contains("par virement"), "{html}");
}

#[tokio::test]
async fn a_client_pays_an_invoice_online_and_both_receipts_go_out() {
    let app = spawn_app().await;
    let browser = client();
    let (id, pay_url) = payable_invoice(&app, &browser, "marie@exemple.fr").await;
    let settings: Value = app.call(&browser, "payment_settings", &[]).await.json().await.unwrap();
    assert_eq!(settings["status"], "active");

    // The client's side: no session, no cookie.
    let visitor = visitor();
    let page = visitor.get(&pay_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    assert!(page.headers()["x-robots-tag"].to_str().unwrap().contains("noindex"));
    // Its one form may go to the page itself and to Checkout (here the sandbox, same origin).
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains(&format!("form-action 'self' {};", app.base)), "{csp}");
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("Payer la facture") && html.contains("Mode test — aucun paiement réel"));
    assert!(html.contains("100,00\u{a0}€") && html.contains("F-2026-0001") && html.contains("#0f766e"));
    assert!(html.contains("Marie Dupont EI") && !html.contains("<script"), "no script on the pay page");
    visitor.get(&pay_url).send().await.unwrap();
    let view = invoice_view(&app, &browser, id).await;
    let seen = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["label"].as_str().unwrap().starts_with("Consultée"))
        .count();
    assert_eq!(seen, 1, "« consultée par le client » once a day");

    // « Payer la facture »: the same open session is reused.
    let checkout = start_checkout(&visitor, &pay_url).await;
    assert!(checkout.contains("/_sandbox/stripe/checkout/cs_test_"), "{checkout}");
    assert_eq!(start_checkout(&visitor, &pay_url).await, checkout);

    // A declined card leaves the invoice unpaid, with Stripe's message.
    let declined = pay_with(&visitor, &checkout, "4000 0000 0000 0002").await;
    assert_eq!(declined.status(), 402);
    assert!(declined.text().await.unwrap().contains("Votre carte a été refusée."));

    let paid = pay_with(&visitor, &checkout, "4242 4242 4242 4242").await;
    assert_eq!(paid.status(), 303);
    let back = paid.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&pay_url) && back.ends_with("paiement=confirmation"), "{back}");

    let view = wait_for_invoice(&app, &browser, id, |v| v["status"] == "paid").await;
    assert_eq!(view["amount_paid_cents"], 10_000);
    let payment = &view["payments"][0];
    assert_eq!(payment["method"], "online_card");
    assert_eq!(payment["fee_cents"], 290, "2.9 % of 100,00 €");

    // The API lists the gross, the fee, the net and Stripe's ids.
    let key: Value = app.call(&browser, "create_api_key", &[("name", "test")]).await.json().await.unwrap();
    let key = key["key"].as_str().unwrap();
    let api: Value = Client::new()
        .get(app.url(&format!("/api/v1/invoices/{id}/payments")))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api[0]["amount_cents"], 10_000);
    assert_eq!(api[0]["fee_cents"], 290);
    assert_eq!(api[0]["net_cents"], 9_710);
    assert_eq!(api[0]["stripe_checkout_session_id"], session_id(&checkout));
    assert!(api[0]["stripe_payment_intent_id"].as_str().unwrap().starts_with("pi_"));
    let business: Value = Client::new()
        .get(app.url("/api/v1/business"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(business["online_payment"]["status"], "active");
    assert_eq!(business["online_payment"]["fee_bp"], 290);

    // The dashboard counts it as received this month, and nothing is left to collect.
    let cash: Value = app.call(&browser, "dashboard", &[]).await.json().await.unwrap();
    assert_eq!(cash["periods"][0]["received_cents"], 10_000);
    assert_eq!((cash["fees_cents"].as_i64(), cash["net_cents"].as_i64()), (Some(290), Some(9_710)));
    assert_eq!(cash["outstanding_cents"], 0);
    // Profile, client, online payment, an invoice sent: the first steps are all done.
    let steps = &cash["first_steps"];
    assert_eq!(
        ["profile_complete", "has_clients", "online_active", "has_sent"].map(|step| steps[step].as_bool()),
        [Some(true); 4],
        "{steps}"
    );

    // Both receipts were queued with the payment.
    let mails = outbox(&app, &browser).await;
    let client_receipt =
        mails.iter().find(|m| m["recipients"] == "compta@martin.fr").expect("client receipt");
    let subject = client_receipt["subject"].as_str().unwrap();
    assert!(subject.contains("Paiement reçu"), "{subject}");
    // The sandbox moved no real money, and every trace of the payment says so.
    assert!(subject.starts_with("[TEST — aucun paiement réel]"), "{subject}");
    let receipts: Value = Client::new()
        .get(app.url("/api/v1/receipts"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(receipts["receipts"][0]["test"], true);
    assert!(receipts["receipts"][0]["method"].as_str().unwrap().ends_with("(test)"), "{receipts}");
    let shell: Value = app.call(&browser, "shell_info", &[]).await.json().await.unwrap();
    assert_eq!(shell["test_mode"], true, "every app page shows « Mode test »");
    let owner_receipt =
        mails.iter().find(|m| m["recipients"] == "contact@exemple.fr").expect("owner receipt");
    let owner: Vec<Value> = app
        .call(&browser, "list_outbox", &[("id", &owner_receipt["id"].to_string())])
        .await
        .json()
        .await
        .unwrap();
    let text = owner[0]["text"].as_str().unwrap();
    assert!(text.contains("2,90") && text.contains("97,10"), "fee and net in the owner's receipt: {text}");
    // Her own message opens the invoice in the app.
    let in_app = app.url(&format!("/factures/{id}"));
    assert!(text.contains(&format!("Voir la facture dans Reglo : {in_app}")), "{text}");
    let html = owner[0]["html"].as_str().unwrap();
    assert!(html.contains(&format!("href=\"{in_app}\"")) && !html.contains("Payer la facture"), "{html}");
    let receipt: Vec<Value> = app
        .call(&browser, "list_outbox", &[("id", &client_receipt["id"].to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert!(receipt[0]["attachment"].as_str().unwrap().starts_with("Facture acquittée"));

    // Back on the pay page: settled, and no second payment can start.
    let html = visitor.get(&back).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Facture réglée le") && html.contains("merci"), "{html}");
    assert!(!html.contains("<button class=\"pay\""));
    let again = visitor.post(&pay_url).send().await.unwrap();
    assert_eq!(again.status(), 409);
    let pdf = visitor.get(format!("{pay_url}/pdf")).send().await.unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
}

#[tokio::test]
async fn the_same_event_many_times_and_out_of_order_has_exactly_one_effect() {
    // The test applies the events itself (drain), so that it knows when they all are.
    let app = spawn_app_with_options(TestOptions { payment_worker: false, ..Default::default() }).await;
    let browser = client();
    let (id, pay_url) = payable_invoice(&app, &browser, "marie@exemple.fr").await;
    let account = account_id(&app, &browser).await;
    let visitor = visitor();
    let checkout = start_checkout(&visitor, &pay_url).await;
    let session = session_id(&checkout);

    // An « expired » notice arriving first changes nothing: the session is re-fetched.
    let expired = json!({ "id": "evt_early", "type": "checkout.session.expired", "account": account,
        "data": { "object": { "id": session } } });
    assert_eq!(post_event(&app, "/webhooks/stripe/connect", CONNECT_SECRET, &expired).await.status(), 200);
    assert_eq!(pay_with(&visitor, &checkout, "4242424242424242").await.status(), 303);
    // The sandbox's own delivery, then 20 copies of one event and 5 of another, at once.
    let mut sends = Vec::new();
    for i in 0..25 {
        let id = if i < 20 { "evt_copy".to_owned() } else { format!("evt_other_{i}") };
        let event = completed_event(&id, &account, &session);
        let app_url = app.base.clone();
        sends.push(tokio::spawn(async move {
            let body = event.to_string();
            Client::new()
                .post(format!("{app_url}/webhooks/stripe/connect"))
                .header("stripe-signature", sign(CONNECT_SECRET, now(), body.as_bytes()))
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for send in sends {
        assert_eq!(send.await.unwrap(), 200);
    }
    app.drain_webhooks().await;
    let view = invoice_view(&app, &browser, id).await;
    assert_eq!(view["status"], "paid");
    assert_eq!(view["payments"].as_array().unwrap().len(), 1);
    assert_eq!(view["amount_paid_cents"], 10_000);
    let receipts = outbox(&app, &browser)
        .await
        .iter()
        .filter(|m| m["subject"].as_str().unwrap().contains("Paiement reçu"))
        .count();
    assert_eq!(receipts, 1, "one receipt to the client");
    let duplicate = post_event(
        &app,
        "/webhooks/stripe/connect",
        CONNECT_SECRET,
        &completed_event("evt_copy", &account, &session),
    )
    .await;
    let body: Value = duplicate.json().await.unwrap();
    assert_eq!(body["duplicate"], true);

    // Another session's money for the settled invoice (a race with another payment) is kept,
    // counted and flagged for a refund.
    let store = server::store::connect(&app.config.database_url).await.unwrap();
    let second = app::ports::PaymentRecord {
        amount: app::domain::Money::from_cents(10_000),
        method: "online_card".into(),
        received_on: "2026-11-28".into(),
        fee: app::domain::Money::from_cents(290),
        provider_session_id: Some("cs_test_second".into()),
        provider_payment_id: Some("pi_second".into()),
        revenue_ht: app::domain::Money::from_cents(10_000),
        operation: "services".into(),
        test: true,
    };
    // As the webhook's service does it: the invoice awaits nothing, so the money is received
    // anyway and flagged.
    let settled = store.invoice(1, id).await.unwrap().settlement();
    assert_eq!(settled.pay(second.amount), None, "the invoice awaits nothing more");
    let change = settled.receive_anyway(second.amount);
    let flagged = app::domain::HistoryEvent::DuplicatePayment { amount_cents: 10_000 };
    let settled = app::ports::OnlineSettlement { payment: &second, change, event: flagged, receipts: &[] };
    let outcome = store.record_online_payment(1, id, &settled, now()).await.unwrap();
    assert_eq!(outcome, app::ports::OnlinePaymentOutcome::Recorded);
    let view = invoice_view(&app, &browser, id).await;
    assert_eq!(view["balance_cents"], -10_000, "owed back to the client");
    assert!(view["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["label"].as_str().unwrap().contains("à rembourser")));
}

#[tokio::test]
async fn webhooks_with_bad_signatures_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let event = completed_event("evt_forged", "acct_x", "cs_test_x");
    let body = event.to_string();
    let post = |header: Option<String>, path: &'static str, body: String| {
        let url = app.url(path);
        async move {
            let mut req = Client::new().post(url).body(body);
            if let Some(h) = header {
                req = req.header("stripe-signature", h);
            }
            req.send().await.unwrap().status()
        }
    };
    assert_eq!(post(None, "/webhooks/stripe/connect", body.clone()).await, 400, "missing header");
    assert_eq!(
        post(Some(sign("whsec_wrong", now(), body.as_bytes())), "/webhooks/stripe/connect", body.clone())
            .await,
        400
    );
    assert_eq!(
        post(
            Some(sign(CONNECT_SECRET, now() - 301, body.as_bytes())),
            "/webhooks/stripe/connect",
            body.clone()
        )
        .await,
        400
    );
    assert_eq!(
        post(
            Some(sign(CONNECT_SECRET, now() + 301, body.as_bytes())),
            "/webhooks/stripe/connect",
            body.clone()
        )
        .await,
        400
    );
    let tampered = body.replace("evt_forged", "evt_forgex");
    assert_eq!(
        post(Some(sign(CONNECT_SECRET, now(), body.as_bytes())), "/webhooks/stripe/connect", tampered).await,
        400
    );
    // Each endpoint has its own secret.
    assert_eq!(
        post(Some(sign(CONNECT_SECRET, now(), body.as_bytes())), "/webhooks/stripe", body.clone()).await,
        400
    );
    assert_eq!(
        post(Some(sign(PLATFORM_SECRET, now(), body.as_bytes())), "/webhooks/stripe", body.clone()).await,
        200
    );
    assert_eq!(
        post(Some(sign(CONNECT_SECRET, now(), b"not json")), "/webhooks/stripe/connect", "not json".into())
            .await,
        400
    );
}

#[tokio::test]
async fn an_event_stored_before_a_crash_is_applied_after_the_restart() {
    let app = spawn_app_with_options(TestOptions { payment_worker: false, ..Default::default() }).await;
    let browser = client();
    let (id, pay_url) = payable_invoice(&app, &browser, "marie@exemple.fr").await;
    let visitor = visitor();
    let checkout = start_checkout(&visitor, &pay_url).await;
    assert_eq!(pay_with(&visitor, &checkout, "4242424242424242").await.status(), 303);
    // The webhook is acknowledged and stored, but nothing applies it: the server « died ».
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(invoice_view(&app, &browser, id).await["status"], "issued");
    let html =
        visitor.get(format!("{pay_url}?paiement=confirmation")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Paiement en cours de confirmation"), "the return from Checkout proves nothing");

    let restarted = server::server(&app.config).await.unwrap();
    assert!(server::stripe::worker::run_once(&restarted.state).await > 0, "the stored event, applied");
    assert_eq!(invoice_view(&app, &browser, id).await["status"], "paid");
}

#[tokio::test]
async fn the_reconciliation_job_pays_an_invoice_whose_webhook_never_came() {
    let app = spawn_app_with_options(TestOptions { reconcile_after_seconds: 1, ..Default::default() }).await;
    let browser = client();
    let (id, pay_url) = payable_invoice(&app, &browser, "marie@exemple.fr").await;
    let visitor = visitor();
    let checkout = start_checkout(&visitor, &pay_url).await;
    let key = server::secret_key::load(None, app.data_dir.path()).unwrap();
    let res = Client::new()
        .post(app.url(&format!(
            "/_sandbox/stripe/v1/test_helpers/checkout/sessions/{}/pay",
            session_id(&checkout)
        )))
        .bearer_auth(server::stripe::sandbox_api_key(&key))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let view = wait_for_invoice(&app, &browser, id, |v| v["status"] == "paid").await;
    assert_eq!(view["payments"][0]["method"], "online_card");
}

#[tokio::test]
async fn a_session_of_another_business_cannot_pay_this_invoice() {
    let app = spawn_app_with_options(TestOptions { payment_worker: false, ..Default::default() }).await;
    let marie = client();
    let (id, _) = payable_invoice(&app, &marie, "marie@exemple.fr").await;
    let store = server::store::connect(&app.config.database_url).await.unwrap();
    let account_a = account_id(&app, &marie).await;
    let business_a = store.business_by_account(&account_a).await.unwrap().expect("Marie's business");
    let paul = client();
    app.sign_up(&paul, "paul@exemple.fr").await;
    set_up_business(&app, &paul).await;
    activate_online_payment(&app, &paul).await;
    let account_b = account_id(&app, &paul).await;

    // Paul's account creates a session naming Marie's invoice, and it is paid.
    let session = sandbox_session(&app, &account_b, 12_000, id, business_a).await;
    let visitor = visitor();
    assert_eq!(pay_with(&visitor, session["url"].as_str().unwrap(), "4242424242424242").await.status(), 303);
    // Its webhook, and a forged one naming Marie's business's account, change nothing.
    let forged = completed_event("evt_forged_a", &account_a, session["id"].as_str().unwrap());
    assert_eq!(post_event(&app, "/webhooks/stripe/connect", CONNECT_SECRET, &forged).await.status(), 200);
    app.drain_webhooks().await;
    let view = invoice_view(&app, &marie, id).await;
    assert_eq!(view["status"], "issued");
    assert_eq!(view["amount_paid_cents"], 0);
}

#[tokio::test]
async fn the_link_waits_for_online_payment_to_be_active() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    set_up_business(&app, &browser).await;
    let settings: Value = app.call(&browser, "payment_settings", &[]).await.json().await.unwrap();
    assert_eq!(settings["status"], "not_configured");
    let refused =
        app.call_json(&browser, "save_default_payment_methods", json!({ "methods": ["payment_link"] })).await;
    assert_eq!(refused.status(), 422);

    // The API gives the onboarding link too; « Configurer » then reuses the same account.
    let key: Value = app.call(&browser, "create_api_key", &[("name", "test")]).await.json().await.unwrap();
    let api_link: Value = Client::new()
        .post(app.url("/api/v1/business/online-payment/onboarding"))
        .bearer_auth(key["key"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(api_link["url"].as_str().unwrap().contains("/_sandbox/stripe/onboarding/"), "{api_link}");
    let settings: Value = app.call(&browser, "payment_settings", &[]).await.json().await.unwrap();
    assert_eq!(settings["status"], "incomplete");
    let account = settings["dashboard_url"].clone();

    // Onboarding submitted but not activated: « being verified », with what is pending.
    let res = browser.post(app.url("/parametres/paiements/stripe/configurer")).send().await.unwrap();
    let onboarding = res.headers()["location"].to_str().unwrap().to_owned();
    let res = browser.post(&onboarding).form(&[("result", "submit")]).send().await.unwrap();
    browser.get(res.headers()["location"].to_str().unwrap()).send().await.unwrap();
    let settings: Value = app.call(&browser, "payment_settings", &[]).await.json().await.unwrap();
    assert_eq!(settings["status"], "pending_verification");
    assert_eq!(settings["requirements"][0], "une pièce d'identité");
    assert_eq!(settings["dashboard_url"], account, "one connected account per business");
    // A used onboarding link sends to refresh_url, which makes a new one (behind the log-in).
    let reused = browser.get(&onboarding).send().await.unwrap();
    assert!(reused.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("/parametres/paiements/stripe/nouveau-lien"));
    let anonymous = client().get(app.url("/parametres/paiements/stripe/nouveau-lien")).send().await.unwrap();
    assert_eq!(anonymous.headers()["location"], "/connexion");

    let client_json = json!({ "kind": "person", "name": "Paul Martin", "email": "paul@martin.fr",
        "address_line1": "1 rue Neuve", "postal_code": "69001", "city": "Lyon" });
    let c: Value = app
        .call_json(&browser, "save_client", json!({ "id": null, "client": client_json }))
        .await
        .json()
        .await
        .unwrap();
    let invoice = json!({ "client_id": c["id"], "issue_date": "2026-11-27", "service_date": "2026-11-20",
        "due_date": "2026-12-27", "operation": "services", "payment_methods": ["payment_link"],
        "lines": [{ "description": "Conseil", "quantity": "1", "unit_price": "100", "vat_rate": "20" }] });
    let draft: Value = app
        .call_json(&browser, "save_draft", json!({ "id": null, "invoice": invoice }))
        .await
        .json()
        .await
        .unwrap();
    let res = app.call(&browser, "issue_invoice", &[("id", &draft["id"].to_string())]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("vérifie encore votre compte"));
}

#[tokio::test]
async fn activation_ticks_the_link_on_new_invoices_and_keeps_a_later_choice() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    set_up_business(&app, &browser).await;
    activate_online_payment(&app, &browser).await;
    let settings: Value = app.call(&browser, "payment_settings", &[]).await.json().await.unwrap();
    assert_eq!(settings["status"], "active");
    assert_eq!(settings["default_methods"], json!(["transfer", "payment_link"]));
    let editor: Value = app.call(&browser, "invoice_editor_context", &[]).await.json().await.unwrap();
    assert_eq!(editor["template"]["payment_methods"], json!(["transfer", "payment_link"]));

    // Unticked afterwards: Stripe's state read again (still active) keeps her choice.
    let saved =
        app.call_json(&browser, "save_default_payment_methods", json!({ "methods": ["transfer"] })).await;
    assert!(saved.status().is_success());
    let settings: Value = app.call(&browser, "refresh_online_payment", &[]).await.json().await.unwrap();
    assert_eq!(settings["status"], "active");
    assert_eq!(settings["default_methods"], json!(["transfer"]));
}

#[tokio::test]
async fn unknown_malformed_and_revoked_links_get_the_same_404() {
    let app = spawn_app().await;
    let browser = client();
    let (id, pay_url) = payable_invoice(&app, &browser, "marie@exemple.fr").await;
    let res = app
        .call_json(
            &browser,
            "create_credit_note",
            json!({ "id": id, "credit": { "full": true, "lines": [], "reason": "Erreur" } }),
        )
        .await;
    assert!(res.status().is_success(), "credit note: {}", res.text().await.unwrap());
    let visitor = Client::new();
    let revoked = visitor.get(&pay_url).send().await.unwrap();
    let unknown = visitor.get(app.url(&format!("/pay/{}", "ab".repeat(32)))).send().await.unwrap();
    let malformed = visitor.get(app.url("/pay/x'><script>")).send().await.unwrap();
    let mut bodies = Vec::new();
    for res in [revoked, unknown, malformed] {
        assert_eq!(res.status(), 404);
        bodies.push(res.text().await.unwrap());
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "the three pages are identical");
    assert_eq!(visitor.post(&pay_url).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn the_pay_page_is_rate_limited_per_address() {
    let app = spawn_app_with_options(TestOptions { pay_rate_per_minute: 5, ..Default::default() }).await;
    let visitor = Client::new();
    let url = app.url(&format!("/pay/{}", "ab".repeat(32)));
    for _ in 0..5 {
        assert_eq!(visitor.get(&url).send().await.unwrap().status(), 404);
    }
    let refused = visitor.get(&url).send().await.unwrap();
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["retry-after"], "60");
    assert!(refused.text().await.unwrap().contains("Trop de demandes"));
    // The page's own refresh while a payment confirms counts apart: waiting for the webhook never
    // uses up the allowance (and has a bounded one of its own).
    let waiting = format!("{url}?paiement=confirmation");
    for _ in 0..5 {
        assert_eq!(visitor.get(&waiting).send().await.unwrap().status(), 404);
    }
    assert_eq!(visitor.get(&waiting).send().await.unwrap().status(), 429);
}

/// Reads the event stream until `needle` shows up (or `wait` passes); returns what was read.
async fn read_stream(res: &mut reqwest::Response, needle: &str, wait: Duration) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + wait;
    while !text.contains(needle) {
        match tokio::time::timeout_at(deadline, res.chunk()).await {
            Ok(Ok(Some(chunk))) => text.push_str(&String::from_utf8_lossy(&chunk)),
            _ => break,
        }
    }
    text
}

#[tokio::test]
async fn the_live_stream_tells_a_business_of_its_own_payments_only() {
    let app = spawn_app().await;
    let marie = client();
    let (marie_invoice, marie_pay) = payable_invoice(&app, &marie, "marie@exemple.fr").await;
    let paul = client();
    let (_, paul_pay) = payable_invoice(&app, &paul, "paul@exemple.fr").await;
    let mut stream = marie.get(app.url("/events")).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    assert!(stream.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));

    let visitor = visitor();
    let checkout = start_checkout(&visitor, &paul_pay).await;
    assert_eq!(pay_with(&visitor, &checkout, "4242424242424242").await.status(), 303);
    let read = read_stream(&mut stream, "payment_recorded", Duration::from_secs(2)).await;
    assert!(!read.contains("event:"), "another business's events leaked: {read}");

    let checkout = start_checkout(&visitor, &marie_pay).await;
    assert_eq!(pay_with(&visitor, &checkout, "4242424242424242").await.status(), 303);
    let read = read_stream(&mut stream, "payment_recorded", Duration::from_secs(10)).await;
    assert!(read.contains("event: payment_recorded"), "{read}");
    assert!(
        read.contains(&format!("\"invoice_id\":{marie_invoice}")) && read.contains("\"amount_cents\":10000")
    );

    let anonymous = client().get(app.url("/events")).send().await.unwrap();
    assert_eq!(anonymous.status(), 303, "no stream without a session");
}

/// With several instances on one PostgreSQL database, a payment recorded on one reaches a
/// dashboard open on another (LISTEN/NOTIFY). On SQLite there is one instance: said and skipped.
#[tokio::test]
async fn a_payment_on_one_instance_reaches_a_dashboard_on_another() {
    let app = spawn_app().await;
    if app.database.is_none() {
        eprintln!("live events across instances skipped: SQLite runs one instance");
        return;
    }
    let browser = client();
    let id = issued_invoice(&app, &browser, "100").await;
    let other = spawn_second_instance(&app).await;
    let mut stream = browser.get(other.url("/events")).send().await.unwrap();
    let res = app
        .call(
            &browser,
            "record_payment",
            &[("id", &id.to_string()), ("amount", "100"), ("method", "transfer"), ("date", "2026-11-28")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let mut seen = String::new();
    while !seen.contains("event: payment_recorded") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains(&format!("\"invoice_id\":{id}")), "{seen}");
}

/// When the database connection that carries live events between instances is lost, open pages
/// are told to resynchronise: events may have gone by meanwhile. (PostgreSQL only.)
#[tokio::test]
async fn pages_resynchronise_when_the_live_connection_is_lost() {
    use sqlx::Connection;
    let app = spawn_app().await;
    let Some(database) = &app.database else {
        eprintln!("live connection loss skipped: SQLite has no connection to lose");
        return;
    };
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    let mut stream = browser.get(app.url("/events")).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let mut db = sqlx::PgConnection::connect(&database.url).await.unwrap();
    let cut: i64 = sqlx::query_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND query ILIKE 'LISTEN%'",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!(cut, 1, "one listening connection");
    let mut seen = String::new();
    while !seen.contains("event: resync") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
}

/// A Checkout Session made straight at the sandbox on `account`, naming an invoice and a
/// business in its metadata as Reglo's do (but with no attempt of Reglo's behind it).
async fn sandbox_session(
    app: &TestApp,
    account: &str,
    cents: i64,
    invoice_id: i64,
    business_id: i64,
) -> Value {
    let key = server::secret_key::load(None, app.data_dir.path()).unwrap();
    let res = Client::new()
        .post(app.url("/_sandbox/stripe/v1/checkout/sessions"))
        .bearer_auth(server::stripe::sandbox_api_key(&key))
        .header("stripe-account", account)
        .form(&[
            ("mode", "payment"),
            ("currency", "eur"),
            ("line_items[0][price_data][currency]", "eur"),
            ("line_items[0][price_data][unit_amount]", &cents.to_string()),
            ("line_items[0][price_data][product_data][name]", "Facture F-2026-0001"),
            ("line_items[0][quantity]", "1"),
            ("metadata[invoice_id]", &invoice_id.to_string()),
            ("metadata[business_id]", &business_id.to_string()),
            ("success_url", "http://127.0.0.1/ok"),
            ("cancel_url", "http://127.0.0.1/ko"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// A session that paid another amount than its attempt asked (or in another currency) is never
/// counted as paid: the attempt is closed with the reason on the invoice's timeline.
#[tokio::test]
async fn a_session_paying_an_unexpected_amount_is_flagged_not_recorded() {
    let app = spawn_app_with_options(TestOptions { payment_worker: false, ..Default::default() }).await;
    let marie = client();
    let (id, _) = payable_invoice(&app, &marie, "marie@exemple.fr").await;
    let account = account_id(&app, &marie).await;
    let store = server::store::connect(&app.config.database_url).await.unwrap();
    let business_id = store.business_by_account(&account).await.unwrap().expect("Marie's business");
    // A session for 50 € on Marie's account naming her invoice, whose attempt expected 100 €.
    let session = sandbox_session(&app, &account, 5_000, id, business_id).await;
    let session_id = session["id"].as_str().unwrap().to_owned();
    let attempt = app::ports::CheckoutAttempt {
        session_id: session_id.clone(),
        business_id,
        invoice_id: id,
        account_id: account.clone(),
        amount: app::domain::Money::from_cents(10_000),
        fee: app::domain::Money::from_cents(290),
        url: session["url"].as_str().unwrap().to_owned(),
        status: app::ports::AttemptStatus::Open,
        failure: None,
        expires_at: now() + 3_600,
        created_at: now(),
    };
    store.save_checkout_attempt(&attempt).await.unwrap();
    assert_eq!(
        pay_with(&visitor(), session["url"].as_str().unwrap(), "4242424242424242").await.status(),
        303
    );
    let event = completed_event("evt_unexpected", &account, &session_id);
    assert_eq!(post_event(&app, "/webhooks/stripe/connect", CONNECT_SECRET, &event).await.status(), 200);
    app.drain_webhooks().await;
    let view = invoice_view(&app, &marie, id).await;
    assert_eq!((view["status"].as_str(), view["amount_paid_cents"].as_i64()), (Some("issued"), Some(0)));
    assert!(
        view["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["label"].as_str().unwrap().contains("montant inattendu")),
        "{}",
        view["history"]
    );
    let closed = store.checkout_attempt(&session_id).await.unwrap().unwrap();
    assert_eq!(closed.status, app::ports::AttemptStatus::Failed);
}

/// The link Stripe calls back when an onboarding link expired never creates an account, and
/// « Configurer » pressed several times at once makes one.
#[tokio::test]
async fn one_connected_account_per_business_however_configurer_is_pressed() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    set_up_business(&app, &browser).await;
    let res = browser.get(app.url("/parametres/paiements/stripe/nouveau-lien")).send().await.unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/parametres/paiements?erreur="), "{location}");
    let settings: Value = app.call(&browser, "payment_settings", &[]).await.json().await.unwrap();
    assert_eq!(settings["status"], "not_configured", "a GET created nothing: {settings}");

    let presses: Vec<_> = (0..5)
        .map(|_| {
            let (browser, url) = (browser.clone(), app.url("/parametres/paiements/stripe/configurer"));
            tokio::spawn(async move { browser.post(url).send().await.unwrap().status() })
        })
        .collect();
    for press in presses {
        assert_eq!(press.await.unwrap(), 303);
    }
    let sandbox = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        app.data_dir.path().join("stripe-sandbox.db").display()
    ))
    .await
    .unwrap();
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM sandbox_objects WHERE kind = 'account'")
        .fetch_one(&sandbox)
        .await
        .unwrap();
    assert_eq!(accounts, 1, "one account made at Stripe");
    let settings: Value = app.call(&browser, "payment_settings", &[]).await.json().await.unwrap();
    assert_eq!(settings["status"], "incomplete");
    // Now there is one, the callback link makes a fresh onboarding link for it.
    let res = browser.get(app.url("/parametres/paiements/stripe/nouveau-lien")).send().await.unwrap();
    assert!(res.headers()["location"].to_str().unwrap().contains("/_sandbox/stripe/onboarding/"));
}

/// Below `REGLO_MIN_ONLINE_PAYMENT_CENTS` (20 € here) the card is not offered: an invoice of that
/// little is not issued with the link, and what is left after a part payment is paid by the
/// other methods, the pay page saying why.
#[tokio::test]
async fn small_amounts_are_not_offered_for_online_payment() {
    let app = spawn_app().await;
    let browser = client();
    let (id, pay_url) = payable_invoice(&app, &browser, "marie@exemple.fr").await;
    let res = try_issue(&app, &browser, "10", &["transfer", "payment_link"]).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("payment_methods") && body.contains("à partir de 20,00"), "{body}");

    // 100 € due; 90 € by cheque leaves 10 €: the card is no longer offered, and says why.
    let res = app
        .call(
            &browser,
            "record_payment",
            &[("id", &id.to_string()), ("amount", "90"), ("date", "2026-11-28"), ("method", "cheque")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let page = visitor().get(&pay_url).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Payer la facture</button>"), "no card button for 10 €");
    assert!(page.contains("à partir de 20,00"), "the reason is given");
    let res = visitor().post(&pay_url).send().await.unwrap();
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn without_stripe_or_the_sandbox_online_payment_is_unavailable() {
    let app = spawn_app_with_options(TestOptions { sandbox: false, ..Default::default() }).await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    set_up_business(&app, &browser).await;

    // The settings and the editor say so; nothing pretends to be Stripe.
    let settings: Value = app.call(&browser, "payment_settings", &[]).await.json().await.unwrap();
    assert_eq!(settings["mode"], "off");
    let editor: Value = app.call(&browser, "invoice_editor_context", &[]).await.json().await.unwrap();
    assert_eq!(editor["provider"], "off");
    let shell: Value = app.call(&browser, "shell_info", &[]).await.json().await.unwrap();
    assert_eq!(shell["test_mode"], false);
    assert_eq!(client().get(app.url("/_sandbox/stripe/v1/events")).send().await.unwrap().status(), 404);

    // « Configurer » explains instead of sending anywhere; no account is made.
    let res = browser.post(app.url("/parametres/paiements/stripe/configurer")).send().await.unwrap();
    let location = res.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/parametres/paiements?erreur=Paiement"), "{location}");
    let settings: Value = app.call(&browser, "payment_settings", &[]).await.json().await.unwrap();
    assert_eq!(settings["status"], "not_configured");

    // An invoice offering the link is refused with the reason; the other methods work.
    let refused = try_issue(&app, &browser, "100", &["transfer", "payment_link"]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("Paiement en ligne indisponible sur ce serveur"));
    issue(&app, &browser, "100", &["transfer"]).await;
}

#[tokio::test]
async fn a_session_holds_a_few_live_streams_and_log_out_ends_them() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    let mut streams = Vec::new();
    for _ in 0..4 {
        let stream = browser.get(app.url("/events")).send().await.unwrap();
        assert_eq!(stream.status(), 200);
        streams.push(stream);
    }
    assert_eq!(browser.get(app.url("/events")).send().await.unwrap().status(), 429, "a fifth is refused");

    // Logging out ends every stream of the session at once.
    app.call(&browser, "log_out", &[]).await;
    for stream in &mut streams {
        let ended = tokio::time::timeout(Duration::from_secs(5), async {
            while let Ok(Some(_)) = stream.chunk().await {}
        })
        .await;
        assert!(ended.is_ok(), "the stream outlived its session");
    }
}
