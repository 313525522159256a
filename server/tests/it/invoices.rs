//! Invoices through HTTP: drafts, issuing, gap-free numbering under concurrency, isolation.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Signs up, completes the profile and adds a client; returns the client's id.
async fn ready_business(app: &TestApp, browser: &reqwest::Client, email: &str) -> i64 {
    app.sign_up(browser, email).await;
    let res = app
        .call_json(browser, "save_business_profile", json!({ "profile": valid_profile("Marie Dupont") }))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let client = json!({ "kind": "business", "name": "Boulangerie Martin", "siren": "732829320",
        "email": "compta@martin.fr", "address_line1": "3 place du Marché", "postal_code": "69001", "city": "Lyon" });
    let res = app.call_json(browser, "save_client", json!({ "id": null, "client": client })).await;
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

fn invoice(client_id: i64) -> Value {
    json!({
        "client_id": client_id,
        "issue_date": "2026-11-27",
        "service_date": "2026-11-20",
        "service_end": "",
        "due_date": "2026-12-27",
        "operation": "services",
        "lines": [
            { "description": "Développement", "quantity": "2,5", "unit": "j", "unit_price": "450", "vat_rate": "20", "discount": "" },
            { "description": "Hébergement", "quantity": "1", "unit": "", "unit_price": "19,99", "vat_rate": "20", "discount": "10" }
        ],
        "payment_methods": ["transfer", "cheque"],
        "notes": ""
    })
}

async fn save_draft(
    app: &TestApp,
    browser: &reqwest::Client,
    id: Option<i64>,
    content: Value,
) -> reqwest::Response {
    app.call_json(browser, "save_draft", json!({ "id": id, "invoice": content })).await
}

#[tokio::test]
async fn a_draft_is_saved_as_typed_then_issued_with_the_first_number() {
    let app = spawn_app().await;
    let browser = client();
    let client_id = ready_business(&app, &browser, "marie@exemple.fr").await;

    // Half-typed drafts are kept as they are.
    let mut half = invoice(client_id);
    half["lines"][1]["unit_price"] = json!("dix euros");
    let res = save_draft(&app, &browser, None, half).await;
    assert_eq!(res.status(), StatusCode::OK);
    let draft: Value = res.json().await.unwrap();
    let id = draft["id"].as_i64().unwrap();
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["number"], Value::Null);
    assert_eq!(draft["content"]["lines"][1]["unit_price"], "dix euros");
    // Franchise en base: no VAT. Only the line that reads counts in the preview.
    assert_eq!(draft["total_ttc_cents"], 112_500);

    // Issuing refuses it, naming the line and field.
    let res = app.call(&browser, "issue_invoice", &[("id", &id.to_string())]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("lines.1.unit_price"));

    // The confirmation tells the number it will take, per year.
    let next = |date: &'static str| {
        let (app, browser) = (&app, &browser);
        async move {
            let res = app.call(browser, "next_invoice_number", &[("issue_date", date)]).await;
            res.json::<String>().await.unwrap()
        }
    };
    assert_eq!(next("2026-11-27").await, "F-2026-0001");
    save_draft(&app, &browser, Some(id), invoice(client_id)).await;
    let res = app.call(&browser, "issue_invoice", &[("id", &id.to_string())]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let issued: Value = res.json().await.unwrap();
    assert_eq!(issued["number"], "F-2026-0001");
    assert_eq!(next("2026-12-01").await, "F-2026-0002");
    assert_eq!(next("2027-01-04").await, "F-2027-0001");
    assert_eq!(issued["status"], "issued");
    // 1 125,00 + 17,99 = 1 142,99 €, no VAT under the franchise.
    assert_eq!(issued["total_ht_cents"], 114_299);
    assert_eq!(issued["total_tax_cents"], 0);
    assert_eq!(issued["client_name"], "Boulangerie Martin");

    // An issued invoice can be neither edited, deleted nor issued again.
    let res = save_draft(&app, &browser, Some(id), invoice(client_id)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app.call(&browser, "delete_draft", &[("id", &id.to_string())]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("avoir"));
    let res = app.call(&browser, "issue_invoice", &[("id", &id.to_string())]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let again: Value =
        app.call(&browser, "get_invoice", &[("id", &id.to_string())]).await.json().await.unwrap();
    assert_eq!(again["number"], "F-2026-0001");
    assert_eq!(again["content"]["lines"][1]["unit_price"], "19,99");
}

#[tokio::test]
async fn issuing_needs_a_complete_profile() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    let res = save_draft(&app, &browser, None, invoice(1)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "client 1 does not exist for this business");
    let mut content = invoice(1);
    content["client_id"] = Value::Null;
    let draft: Value = save_draft(&app, &browser, None, content).await.json().await.unwrap();
    let res = app.call(&browser, "issue_invoice", &[("id", &draft["id"].to_string())]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Complétez le profil"));
}

#[tokio::test]
async fn an_invoice_dated_in_the_future_is_not_issued() {
    let app = spawn_app().await;
    let browser = client();
    let client_id = ready_business(&app, &browser, "marie@exemple.fr").await;
    let mut ahead = invoice(client_id);
    ahead["issue_date"] = json!("2099-01-01");
    ahead["due_date"] = json!("2099-01-31");
    let draft: Value = save_draft(&app, &browser, None, ahead).await.json().await.unwrap();
    let res = app.call(&browser, "issue_invoice", &[("id", &draft["id"].to_string())]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("issue_date") && body.contains("ne peut pas être dans le futur"), "{body}");
    // It stays a draft, and an invoice of today is issued as usual (numbers were not blocked).
    assert_eq!(get(&app, &browser, &draft["id"]).await["status"], "draft");
    assert_eq!(issue(&app, &browser, invoice(client_id)).await["number"], "F-2026-0001");
}

#[tokio::test]
async fn fifty_invoices_issued_at_once_get_numbers_one_to_fifty() {
    let app = spawn_app().await;
    let browser = client();
    let client_id = ready_business(&app, &browser, "marie@exemple.fr").await;
    let mut ids = Vec::new();
    for _ in 0..50 {
        let draft: Value = save_draft(&app, &browser, None, invoice(client_id)).await.json().await.unwrap();
        ids.push(draft["id"].as_i64().unwrap());
    }
    let mut tasks = tokio::task::JoinSet::new();
    for id in ids {
        let (browser, url) = (browser.clone(), app.url("/api/issue_invoice"));
        tasks.spawn(async move {
            let res = browser.post(url).form(&[("id", id.to_string())]).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            res.json::<Value>().await.unwrap()["number"].as_str().unwrap().to_owned()
        });
    }
    let mut numbers = tasks.join_all().await;
    numbers.sort();
    let expected: Vec<String> = (1..=50).map(|n| format!("F-2026-{n:04}")).collect();
    assert_eq!(numbers, expected, "no gap, no duplicate");
}

#[tokio::test]
async fn numbers_follow_dates() {
    let app = spawn_app().await;
    let browser = client();
    let client_id = ready_business(&app, &browser, "marie@exemple.fr").await;
    let first: Value = save_draft(&app, &browser, None, invoice(client_id)).await.json().await.unwrap();
    app.call(&browser, "issue_invoice", &[("id", &first["id"].to_string())]).await;
    let mut earlier = invoice(client_id);
    earlier["issue_date"] = json!("2026-11-01");
    earlier["service_date"] = json!("2026-11-01");
    let draft: Value = save_draft(&app, &browser, None, earlier).await.json().await.unwrap();
    let res = app.call(&browser, "issue_invoice", &[("id", &draft["id"].to_string())]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("ordre des dates"));
    // The refused attempt used no number: the next one is 0002.
    let next: Value = save_draft(&app, &browser, None, invoice(client_id)).await.json().await.unwrap();
    let issued: Value =
        app.call(&browser, "issue_invoice", &[("id", &next["id"].to_string())]).await.json().await.unwrap();
    assert_eq!(issued["number"], "F-2026-0002");
}

#[tokio::test]
async fn another_business_invoices_are_out_of_reach() {
    let app = spawn_app().await;
    let (alice, bob) = (client(), client());
    ready_business(&app, &alice, "alice@exemple.fr").await;
    let bob_client = ready_business(&app, &bob, "bob@exemple.fr").await;
    let draft: Value = save_draft(&app, &bob, None, invoice(bob_client)).await.json().await.unwrap();
    let id = draft["id"].to_string();

    let list = list(&app, &alice, &[]).await;
    assert_eq!(list["count"], 0);
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    assert_eq!(app.call(&alice, "get_invoice", &[("id", &id)]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.call(&alice, "issue_invoice", &[("id", &id)]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.call(&alice, "delete_draft", &[("id", &id)]).await.status(), StatusCode::NOT_FOUND);
    let res = save_draft(&app, &alice, Some(draft["id"].as_i64().unwrap()), invoice(bob_client)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "Bob's client is unknown to Alice");

    let still: Value = app.call(&bob, "get_invoice", &[("id", &id)]).await.json().await.unwrap();
    assert_eq!(still["status"], "draft");
}

async fn pay(
    app: &TestApp,
    browser: &reqwest::Client,
    id: &str,
    amount: &str,
    method: &str,
) -> reqwest::Response {
    app.call(
        browser,
        "record_payment",
        &[("id", id), ("amount", amount), ("date", "2026-11-28"), ("method", method)],
    )
    .await
}

#[tokio::test]
async fn partial_payments_add_up_and_overpayment_is_refused() {
    let app = spawn_app().await;
    let browser = client();
    let client_id = ready_business(&app, &browser, "marie@exemple.fr").await;
    let draft: Value = save_draft(&app, &browser, None, invoice(client_id)).await.json().await.unwrap();
    let id = draft["id"].to_string();
    // A draft awaits no payment.
    assert_eq!(pay(&app, &browser, &id, "10", "cash").await.status(), StatusCode::BAD_REQUEST);
    app.call(&browser, "issue_invoice", &[("id", &id)]).await;

    // 1 142,99 € due: 500 by cheque, then 700 is too much, then the rest by transfer.
    let res = pay(&app, &browser, &id, "500", "cheque").await;
    assert_eq!(res.status(), StatusCode::OK);
    let after: Value = res.json().await.unwrap();
    assert_eq!(after["status"], "partially_paid");
    assert_eq!(after["amount_paid_cents"], 50_000);

    let res = pay(&app, &browser, &id, "700", "transfer").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("dépasse le reste à payer (642,99"));
    for (amount, method) in [("-5", "cash"), ("0", "cash"), ("10", "bitcoin"), ("10", "payment_link")] {
        assert_eq!(pay(&app, &browser, &id, amount, method).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Money received before the invoice existed, or in the future, is not what happened.
    for (date, says) in
        [("2026-11-26", "précéder celle de la facture (27/11/2026)"), ("2099-01-01", "dans le futur")]
    {
        let res = app
            .call(
                &browser,
                "record_payment",
                &[("id", &id), ("amount", "10"), ("date", date), ("method", "cash")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{date}");
        assert!(res.text().await.unwrap().contains(says), "{date}");
    }

    let res = pay(&app, &browser, &id, "642,99", "transfer").await;
    let paid: Value = res.json().await.unwrap();
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["status_label"], "Payée");
    assert_eq!(paid["payments"].as_array().unwrap().len(), 2);
    assert_eq!(paid["payments"][0]["method"], "cheque");
    assert_eq!(
        pay(&app, &browser, &id, "1", "cash").await.status(),
        StatusCode::BAD_REQUEST,
        "nothing is due"
    );

    // Another business cannot pay it, nor see its payments.
    let other = client();
    app.sign_up(&other, "bob@exemple.fr").await;
    assert_eq!(pay(&app, &other, &id, "1", "cash").await.status(), StatusCode::NOT_FOUND);
}

/// Lists with the given filters (`status`, `client_id`, `search`, `sort`).
async fn list(app: &TestApp, browser: &reqwest::Client, filters: &[(&str, &str)]) -> Value {
    let mut form = vec![("status", ""), ("search", ""), ("sort", ""), ("offset", "0")];
    for (k, v) in filters {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    let res = app.call(browser, "list_invoices", &form).await;
    assert_eq!(res.status(), StatusCode::OK, "list_invoices {filters:?}");
    res.json().await.unwrap()
}

async fn issue(app: &TestApp, browser: &reqwest::Client, content: Value) -> Value {
    let draft: Value = save_draft(app, browser, None, content).await.json().await.unwrap();
    let res = app.call(browser, "issue_invoice", &[("id", &draft["id"].to_string())]).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn credit(app: &TestApp, browser: &reqwest::Client, id: &Value, credit: Value) -> reqwest::Response {
    app.call_json(browser, "create_credit_note", json!({ "id": id, "credit": credit })).await
}

async fn get(app: &TestApp, browser: &reqwest::Client, id: &Value) -> Value {
    app.call(browser, "get_invoice", &[("id", &id.to_string())]).await.json().await.unwrap()
}

#[tokio::test]
async fn credit_notes_correct_part_then_all_of_an_invoice() {
    let app = spawn_app().await;
    let browser = client();
    let client_id = ready_business(&app, &browser, "marie@exemple.fr").await;
    let issued = issue(&app, &browser, invoice(client_id)).await;
    let id = &issued["id"];

    // Part of it: one day of development given back (450,00 €, no VAT under the franchise).
    let part = json!({ "lines": [{ "description": "Journée non réalisée", "quantity": "1", "unit": "j",
        "unit_price": "450", "vat_rate": "20", "discount": "" }], "reason": "Geste commercial" });
    let res = credit(&app, &browser, id, part.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let note: Value = res.json().await.unwrap();
    assert_eq!(note["number"], "A-2026-0001");
    assert_eq!(note["kind"], "credit_note");
    assert_eq!(note["status_label"], "Avoir");
    assert_eq!(note["total_ttc_cents"], 45_000);
    assert_eq!(note["credits"], json!([id, "F-2026-0001"]));
    assert_eq!(note["content"]["notes"], "Geste commercial");
    assert_eq!(note["pay_url"], Value::Null, "a credit note is not paid");

    let after = get(&app, &browser, id).await;
    assert_eq!(after["status"], "issued");
    assert_eq!(after["amount_credited_cents"], 45_000);
    assert_eq!(after["balance_cents"], 114_299 - 45_000);
    assert_eq!(after["credit_notes"], json!([[note["id"], "A-2026-0001", 45_000]]));

    // Payments now stop at what is left after the credit.
    let res = pay(&app, &browser, &id.to_string(), "700", "cheque").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("692,99"));

    // « Cancel all » is no longer possible after a partial credit; more than what is left is refused.
    let res = credit(&app, &browser, id, json!({ "full": true })).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let too_much = json!({ "lines": [{ "description": "Trop", "quantity": "1", "unit_price": "700", "vat_rate": "20" }] });
    let res = credit(&app, &browser, id, too_much).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("dépasse ce qui reste à créditer sur la facture (692,99"));

    // The rest cancels it.
    let rest = json!({ "lines": [{ "description": "Solde annulé", "quantity": "1", "unit_price": "692,99", "vat_rate": "20" }] });
    let second: Value = credit(&app, &browser, id, rest).await.json().await.unwrap();
    assert_eq!(second["number"], "A-2026-0002");
    let cancelled = get(&app, &browser, id).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["status_label"], "Annulée");
    assert_eq!(cancelled["balance_cents"], 0);
    assert_eq!(pay(&app, &browser, &id.to_string(), "1", "cash").await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(credit(&app, &browser, id, part.clone()).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        credit(&app, &browser, &note["id"], part).await.status(),
        StatusCode::BAD_REQUEST,
        "no credit note of a credit note"
    );

    // The timeline tells the story.
    let labels: Vec<String> = cancelled["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(labels[0], "Brouillon créé");
    assert_eq!(labels[1], "Émise sous le numéro F-2026-0001");
    assert_eq!(labels[2], "Avoir A-2026-0001 de 450,00\u{a0}€ émis");
    assert_eq!(labels[3], "Avoir A-2026-0002 de 692,99\u{a0}€ émis");
    assert_eq!(labels[4], "Annulée : entièrement créditée");
    let note_view = get(&app, &browser, &note["id"]).await;
    assert_eq!(note_view["history"][0]["label"], "Avoir émis sur la facture F-2026-0001");
    assert_eq!(note_view["history"][0]["link"], *id);
}

#[tokio::test]
async fn a_paid_invoice_fully_credited_is_cancelled_and_a_draft_is_not_credited() {
    let app = spawn_app().await;
    let browser = client();
    let client_id = ready_business(&app, &browser, "marie@exemple.fr").await;
    let issued = issue(&app, &browser, invoice(client_id)).await;
    let id = &issued["id"];
    pay(&app, &browser, &id.to_string(), "1142,99", "transfer").await;
    let note: Value = credit(&app, &browser, id, json!({ "full": true })).await.json().await.unwrap();
    assert_eq!(note["total_ttc_cents"], 114_299);
    assert_eq!(note["content"]["lines"].as_array().unwrap().len(), 2, "every line is credited");
    let after = get(&app, &browser, id).await;
    assert_eq!(after["status"], "cancelled");
    assert_eq!(after["balance_cents"], -114_299, "the client is owed a refund");

    let draft: Value = save_draft(&app, &browser, None, invoice(client_id)).await.json().await.unwrap();
    let res = credit(&app, &browser, &draft["id"], json!({ "full": true })).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("brouillon"));

    let intruder = client();
    app.sign_up(&intruder, "bob@exemple.fr").await;
    assert_eq!(credit(&app, &intruder, id, json!({ "full": true })).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_list_filters_searches_sorts_and_totals() {
    let app = spawn_app().await;
    let browser = client();
    let martin = ready_business(&app, &browser, "marie@exemple.fr").await;
    let other = json!({ "kind": "person", "name": "Jeanne Petit", "email": "jeanne@exemple.fr",
        "address_line1": "1 rue Haute", "postal_code": "75001", "city": "Paris" });
    let petit = app.call_json(&browser, "save_client", json!({ "id": null, "client": other })).await;
    let petit = petit.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let first = issue(&app, &browser, invoice(martin)).await; // 1 142,99 €
    let mut small = invoice(petit);
    small["lines"] =
        json!([{ "description": "Conseil", "quantity": "1", "unit_price": "100", "vat_rate": "20" }]);
    let second = issue(&app, &browser, small.clone()).await; // 100,00 €
    pay(&app, &browser, &second["id"].to_string(), "100", "cash").await;
    save_draft(&app, &browser, None, small).await;
    credit(
        &app,
        &browser,
        &first["id"],
        json!({ "lines": [{ "description": "Remise", "quantity": "1",
        "unit_price": "42,99", "vat_rate": "20" }] }),
    )
    .await;

    let all = list(&app, &browser, &[]).await;
    assert_eq!(all["count"], 4);
    assert_eq!(all["items"][0]["status"], "draft", "drafts come first");
    // Issued documents only: 1 142,99 + 100 − 42,99; still due: 1 142,99 − 42,99.
    assert_eq!(all["total_ttc_cents"], 120_000);
    assert_eq!(all["total_due_cents"], 110_000);

    let paid = list(&app, &browser, &[("status", "paid")]).await;
    assert_eq!(paid["count"], 1);
    assert_eq!(paid["items"][0]["number"], "F-2026-0002");
    let notes = list(&app, &browser, &[("status", "credit_notes")]).await;
    assert_eq!(notes["items"][0]["number"], "A-2026-0001");
    assert_eq!(notes["total_ttc_cents"], -4_299);
    let by_client = list(&app, &browser, &[("client_id", &petit.to_string())]).await;
    assert_eq!(by_client["count"], 2, "the paid invoice and the draft");
    let found = list(&app, &browser, &[("search", "0001")]).await;
    assert_eq!(found["count"], 2, "F-2026-0001 and A-2026-0001");
    let by_name = list(&app, &browser, &[("search", "boulangerie")]).await;
    assert_eq!(by_name["count"], 2);
    let cheapest = list(&app, &browser, &[("sort", "amount_asc"), ("status", "")]).await;
    assert_eq!(cheapest["items"][0]["number"], "A-2026-0001");
    let overdue = list(&app, &browser, &[("status", "overdue")]).await;
    assert_eq!(overdue["count"], 0, "due 2026-12-27");
    let res = app
        .call(
            &browser,
            "list_invoices",
            &[("status", "payée"), ("search", ""), ("sort", "prix"), ("offset", "0")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_issued_invoice_has_a_secret_pay_url_not_stored_in_clear() {
    let app = spawn_app().await;
    let browser = client();
    let client_id = ready_business(&app, &browser, "marie@exemple.fr").await;
    let draft: Value = save_draft(&app, &browser, None, invoice(client_id)).await.json().await.unwrap();
    assert_eq!(draft["pay_url"], Value::Null, "a draft has no link");
    let a = issue(&app, &browser, invoice(client_id)).await;
    let b = issue(&app, &browser, invoice(client_id)).await;
    let url = a["pay_url"].as_str().unwrap();
    let token = url.strip_prefix(&format!("{}/pay/", app.base)).expect("under REGLO_PUBLIC_URL/pay/");
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(a["pay_url"], b["pay_url"]);
    assert_eq!(get(&app, &browser, &a["id"]).await["pay_url"], a["pay_url"], "the same link every time");
    assert_eq!(database_holding(&app, token).await, Vec::<String>::new(), "the token in clear");
}
