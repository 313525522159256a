//! Quotes through their service on the real server and database: drafted, sent under their own
//! number with a secret link, opened by the client, replaced by a new version.

use crate::common::*;
use app::domain::{Deposit, LineInput, Money, QuoteInput, QuoteStatus};
use app::error::AppError;
use app::services::{quote_pdf, quotes};
use app::state::AppState;
use serde_json::{json, Value};

#[tokio::test]
async fn a_quote_is_sent_under_its_number_opened_by_its_link_and_replaced_by_a_new_version() {
    let app = spawn_app().await;
    let (state, business_id, martin) = business_with_client(&app, "business", "Martin Rénovation").await;

    // A draft as typed, then sent: numbered in the quotes' own sequence, frozen.
    let input =
        QuoteInput { deposit_percent: "30".into(), ..quote_for(&state, martin, "Pose de parquet", "1000") };
    let draft = quotes::save_draft(&state, business_id, None, &input).await.expect("a draft");
    assert_eq!(
        (draft.status, draft.number.as_deref(), draft.client_name.as_str()),
        (QuoteStatus::Draft, None, "Martin Rénovation")
    );
    assert!(quotes::link(&state, &draft).is_none(), "a draft has no link");
    let sent = quotes::send(&state, business_id, draft.id).await.expect("sent");
    let year = app::services::invoices::today(&state).year();
    assert_eq!(sent.number, Some(format!("D-{year}-0001")));
    assert_eq!(sent.status, QuoteStatus::Sent);
    assert_eq!(sent.deposit, Deposit::Percent(3_000).amount(sent.total_ttc));
    let refused = quotes::save_draft(&state, business_id, Some(sent.id), &input).await.unwrap_err();
    assert!(refused.to_string().contains("nouvelle version"), "{refused}");
    assert!(matches!(quotes::delete_draft(&state, business_id, sent.id).await, Err(AppError::Refused(_))));
    assert!(matches!(quotes::send(&state, business_id, sent.id).await, Err(AppError::Refused(_))));

    // Its link: under /quote/, found again from the token alone, kept nowhere in clear.
    let url = quotes::link(&state, &sent).expect("a link");
    let token = url.strip_prefix(&format!("{}/quote/", app.base)).expect("under /quote/").to_owned();
    assert_eq!(database_holding(&app, &token).await, Vec::<String>::new(), "the token in clear");
    let (found_business, found) = quotes::by_token(&state, &token).await.expect("the link opens the quote");
    assert_eq!((found_business, found.id), (business_id, sent.id));
    for wrong in ["ab".repeat(32), "pas-un-jeton".into(), token[..63].to_owned()] {
        assert!(matches!(quotes::by_token(&state, &wrong).await, Err(AppError::NotFound(_))), "{wrong}");
    }

    // The client opens it: « consulté », once.
    let viewed = quotes::viewed(&state, business_id, found).await.unwrap();
    assert_eq!(viewed.status, QuoteStatus::Viewed);
    assert_eq!(quotes::viewed(&state, business_id, viewed).await.unwrap().status, QuoteStatus::Viewed);

    // Another business sees nothing of it.
    let other = client();
    app.sign_up(&other, "bob@exemple.fr").await;
    let bob = state.store.find_credentials("bob@exemple.fr").await.unwrap().unwrap().business_id;
    assert!(matches!(quotes::get(&state, bob, sent.id).await, Err(AppError::NotFound(_))));
    assert!(matches!(quotes::new_version(&state, bob, sent.id).await, Err(AppError::NotFound(_))));
    assert!(quotes::list(&state, bob, 50, 0).await.unwrap().is_empty());

    // Its PDF: « DEVIS », its number, validity, deposit and the « Bon pour accord » block.
    let (name, pdf) = quote_pdf::render(&state, business_id, &sent, false).await.expect("the quote's PDF");
    assert_eq!(name, format!("Devis D-{year}-0001.pdf"));
    let text = pdf_text(&pdf);
    for expected in [
        "DEVIS",
        &format!("D-{year}-0001"),
        "Valable jusqu'au",
        "Acompte à l'acceptation : 30 %",
        "Bon pour accord",
    ] {
        assert!(text.contains(&compact(expected)), "{expected} in {text}");
    }

    // Accepting takes the full name and « Bon pour accord »; nothing is recorded otherwise.
    let accept = |full_name: &str, agreed: bool| quotes::Answer {
        accept: true,
        full_name: full_name.into(),
        agreed,
        address: "203.0.113.7".into(),
        browser: "Mozilla/5.0 (test)".into(),
        ..Default::default()
    };
    let Err(AppError::Invalid(errors)) = quotes::answer(&state, &token, &accept(" ", false)).await else {
        panic!("an acceptance without name nor agreement")
    };
    assert!(errors.get("full_name").is_some() && errors.get("accept").is_some(), "{errors:?}");
    assert_eq!(quotes::get(&state, business_id, sent.id).await.unwrap().status, QuoteStatus::Viewed);

    // A new version: a draft dated today that replaces the old one once sent.
    let v2 = quotes::new_version(&state, business_id, sent.id).await.expect("a new version");
    assert_eq!((v2.status, v2.replaces), (QuoteStatus::Draft, Some(sent.id)));
    assert_eq!(v2.content.lines, input.lines);
    let v2 = quotes::send(&state, business_id, v2.id).await.expect("the new version sent");
    assert_eq!(v2.number, Some(format!("D-{year}-0002")));
    let old = quotes::get(&state, business_id, sent.id).await.unwrap();
    assert_eq!(old.replaced_by, Some(v2.id));
    assert!(matches!(quotes::new_version(&state, business_id, sent.id).await, Err(AppError::Refused(_))));
    let listed: Vec<_> =
        quotes::list(&state, business_id, 50, 0).await.unwrap().iter().map(|q| q.id).collect();
    assert_eq!(listed, vec![v2.id, sent.id]);

    // The replaced quote can no longer be accepted; the new one can, with its proof.
    let refused = quotes::answer(&state, &token, &accept("Paul Martin", true)).await.unwrap_err();
    assert!(refused.to_string().contains("remplacé"), "{refused}");
    let v2_url = quotes::link(&state, &v2).unwrap();
    let v2_token = v2_url.rsplit('/').next().unwrap();
    let accepted = quotes::answer(&state, v2_token, &accept("Paul Martin", true)).await.expect("accepted");
    assert_eq!(accepted.status, QuoteStatus::Accepted);
    let proof = accepted.answer.clone().expect("the proof");
    assert_eq!((proof.full_name.as_str(), proof.address.as_str()), ("Paul Martin", "203.0.113.7"));
    let (_, shown) = quote_pdf::render(&state, business_id, &v2, false).await.unwrap();
    assert_eq!(proof.pdf_sha256, sha256_hex(&shown), "the fingerprint of the PDF the client was shown");
    let timeline: Vec<String> =
        quotes::history(&state, business_id, v2.id).await.unwrap().iter().map(|e| e.event.label()).collect();
    assert_eq!(
        timeline,
        [
            format!("Nouvelle version du devis D-{year}-0001"),
            format!("Envoyé sous le numéro D-{year}-0002"),
            "Accepté par Paul Martin".to_owned()
        ]
    );
    let again = quotes::answer(&state, v2_token, &accept("Paul Martin", true)).await.unwrap_err();
    assert!(again.to_string().contains("déjà été accepté"), "{again}");

    // The accepted copy says so, with its audit page.
    let (name, copy) = quote_pdf::render(&state, business_id, &accepted, true).await.unwrap();
    assert_eq!(name, format!("Devis accepté D-{year}-0002.pdf"));
    let text = pdf_text(&copy);
    for expected in
        ["DEVIS ACCEPTÉ", "Journal d’acceptation", "Paul Martin", "203.0.113.7", &proof.pdf_sha256]
    {
        assert!(text.contains(&compact(expected)), "{expected} in {text}");
    }
}

/// Marie's business, complete, with one client of `kind` named `name`: the app's state, the
/// business and the client's id.
async fn business_with_client(app: &TestApp, kind: &str, name: &str) -> (AppState, i64, i64) {
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    set_up_business(app, &browser).await;
    let state = app.workers.as_ref().unwrap().0.clone();
    let business_id =
        state.store.find_credentials("marie@exemple.fr").await.unwrap().expect("the account").business_id;
    let client = json!({ "kind": kind, "name": name, "siren": "732829320", "email": "devis@martin.fr",
        "address_line1": "3 place du Marché", "postal_code": "69001", "city": "Lyon" });
    let saved: Value = app
        .call_json(&browser, "save_client", json!({ "id": null, "client": client }))
        .await
        .json()
        .await
        .unwrap();
    (state, business_id, saved["id"].as_i64().expect("the client's id"))
}

/// A quote of one line for `client`, dated today.
fn quote_for(state: &AppState, client: i64, description: &str, unit_price: &str) -> QuoteInput {
    let line =
        LineInput { description: description.into(), unit_price: unit_price.into(), ..LineInput::default() };
    QuoteInput { client_id: Some(client), lines: vec![line], ..quotes::template(state) }
}

/// A PDF's text without its spaces and line breaks (the layout breaks long words anywhere):
/// compare with [`compact`] text.
fn pdf_text(pdf: &[u8]) -> String {
    compact(&pdf_extract::extract_text_from_mem(pdf).expect("the PDF's text"))
}

fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '\u{200B}').collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn the_client_answers_on_the_quote_page_without_javascript() {
    let app = spawn_app().await;
    let (state, business_id, paul) = business_with_client(&app, "person", "Paul Martin").await;
    let input = quote_for(&state, paul, "Cuisine sur mesure", "4200");
    let draft = quotes::save_draft(&state, business_id, None, &input).await.unwrap();
    let sent = quotes::send(&state, business_id, draft.id).await.unwrap();
    let url = quotes::link(&state, &sent).unwrap();

    // The page, as a browser without JavaScript gets it: the quote and the form.
    let visitor = reqwest::Client::builder()
        .user_agent("NavigateurTest/1.0")
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = visitor.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    assert!(res.headers()["x-robots-tag"].to_str().unwrap().contains("noindex"));
    let html = res.text().await.unwrap();
    let number = sent.number.clone().unwrap();
    assert!(html.contains(&format!("Devis {number}")) && html.contains("Accepter le devis"), "{html}");
    assert!(!html.contains("<script"), "no script on the client's page");
    assert_eq!(quotes::get(&state, business_id, sent.id).await.unwrap().status, QuoteStatus::Viewed);

    // Accepting without a name: the page again with the reason, nothing recorded.
    let res = visitor
        .post(&url)
        .form(&[("action", "accept"), ("full_name", ""), ("accept", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Indiquez vos prénom et nom"));
    let res = visitor
        .post(&url)
        .form(&[("action", "accept"), ("full_name", "Paul Martin"), ("accept", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = visitor.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Devis accepté par Paul Martin"), "{html}");
    let proof = quotes::get(&state, business_id, sent.id).await.unwrap().answer.expect("the proof");
    assert_eq!((proof.address.as_str(), proof.browser.as_str()), ("127.0.0.1", "NavigateurTest/1.0"));

    // Its PDF is now the accepted copy; the fingerprint is the one of the PDF first shown.
    let res = visitor.get(format!("{url}/pdf")).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("Devis accept"));
    let (_, shown) = quote_pdf::render(&state, business_id, &sent, false).await.unwrap();
    assert_eq!(proof.pdf_sha256, sha256_hex(&shown));

    // Answering again, or with an unknown link.
    let res = visitor.post(&url).form(&[("action", "refuse"), ("reason", "trop cher")]).send().await.unwrap();
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("déjà été accepté"));
    let unknown = visitor.get(app.url(&format!("/quote/{}", "ab".repeat(32)))).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().await.unwrap().contains("Devis introuvable"));
}

/// Marie's business with online payment active and the payment link among her usual methods,
/// her API key, and a client: the browser, the key and the client's id.
pub(crate) async fn online_business_with_key(app: &TestApp, email: &str) -> (reqwest::Client, String, i64) {
    let browser = client();
    app.sign_up(&browser, email).await;
    set_up_business(app, &browser).await;
    activate_online_payment(app, &browser).await;
    let res = app
        .call_json(
            &browser,
            "save_default_payment_methods",
            json!({ "methods": ["transfer", "payment_link"] }),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let key: Value = app.call(&browser, "create_api_key", &[("name", "Tests")]).await.json().await.unwrap();
    let key = key["key"].as_str().expect("a key").to_owned();
    let (status, client) = api(
        app,
        &key,
        reqwest::Method::POST,
        "/clients",
        Some(json!({
        "name": "Martin Rénovation", "kind": "business", "siren": "732829320", "email": "devis@martin.fr",
        "address": { "line1": "3 place du Marché", "postal_code": "69001", "city": "Lyon" } })),
    )
    .await;
    assert_eq!(status, 201, "{client}");
    (browser, key, client["id"].as_i64().unwrap())
}

pub(crate) async fn api(
    app: &TestApp,
    key: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new().request(method, app.url(&format!("/api/v1{path}"))).bearer_auth(key);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn outbox_subjects(app: &TestApp, browser: &reqwest::Client) -> Vec<String> {
    let list: Vec<Value> = app.call(browser, "list_outbox", &[]).await.json().await.unwrap();
    list.iter().map(|m| m["subject"].as_str().unwrap().to_owned()).collect()
}

/// The whole chain through the API, the client's page and the sandbox: a quote asking 30 % is
/// e-mailed, opened and accepted; the deposit is paid by card and its invoice recorded paid
/// exactly once however often the event arrives; « Facturer » deducts it; the client pays the
/// rest by the final invoice's link.
#[tokio::test]
async fn a_quote_is_e_mailed_accepted_its_deposit_paid_online_then_invoiced_less_the_deposit() {
    use crate::payments::{account_id, completed_event, pay_with, post_event, start_checkout, visitor};
    use reqwest::Method;
    let app = spawn_app_with_options(TestOptions { payment_worker: false, ..Default::default() }).await;
    let (browser, key, martin) = online_business_with_key(&app, "marie@exemple.fr").await;
    let state = app.workers.as_ref().expect("the app's state").0.clone();
    let business_id = state.store.find_credentials("marie@exemple.fr").await.unwrap().unwrap().business_id;
    let year = app::services::invoices::today(&state).year();

    // A draft through the API: its amounts and deposit computed, no number, no link.
    let body = json!({ "client_id": martin, "deposit_percent": "30", "conditions": "Travaux sous 3 semaines.",
        "lines": [{ "description": "Rénovation salle de bains", "quantity": "1", "unit_price_cents": 100_000 }] });
    let (status, draft) = api(&app, &key, Method::POST, "/quotes", Some(body)).await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_i64().unwrap();
    assert_eq!((draft["status"].as_str(), draft["number"].as_str()), (Some("draft"), None));
    assert_eq!(
        (draft["total_ttc_cents"].as_i64(), draft["deposit_cents"].as_i64()),
        (Some(100_000), Some(30_000))
    );
    assert!(draft["quote_url"].is_null());
    let (status, both) = api(
        &app,
        &key,
        Method::PATCH,
        &format!("/quotes/{id}"),
        Some(json!({ "deposit_percent": "30", "deposit_cents": 100 })),
    )
    .await;
    assert_eq!((status, both["field"].as_str()), (422, Some("deposit_cents")), "{both}");

    // Another business sees none of it, on any route.
    let (_, bob_key, _) = online_business_with_key(&app, "bob@exemple.fr").await;
    for (method, path) in [
        (Method::GET, format!("/quotes/{id}")),
        (Method::PATCH, format!("/quotes/{id}")),
        (Method::DELETE, format!("/quotes/{id}")),
        (Method::POST, format!("/quotes/{id}/send")),
        (Method::POST, format!("/quotes/{id}/new-version")),
        (Method::POST, format!("/quotes/{id}/invoice")),
    ] {
        let (status, problem) = api(&app, &bob_key, method.clone(), &path, Some(json!({}))).await;
        assert_eq!(status, 404, "{method} {path}: {problem}");
    }
    assert_eq!(api(&app, &bob_key, Method::GET, "/quotes", None).await.1["items"], json!([]));

    // « Envoyer le devis »: numbered, e-mailed with its PDF and its link, which the outbox keeps sealed.
    let (status, sent) = api(&app, &key, Method::POST, &format!("/quotes/{id}/send"), Some(json!({}))).await;
    assert_eq!(status, 202, "{sent}");
    let number = format!("D-{year}-0001");
    assert_eq!((sent["status"].as_str(), sent["number"].as_str()), (Some("sent"), Some(number.as_str())));
    let quote_url = sent["quote_url"].as_str().expect("the link").to_owned();
    let token = quote_url.rsplit('/').next().unwrap().to_owned();
    assert_eq!(database_holding(&app, &token).await, Vec::<String>::new(), "the link kept in clear");
    let list: Vec<Value> = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    let message = list
        .iter()
        .find(|m| m["subject"] == format!("Devis {number} — Marie Dupont EI"))
        .unwrap_or_else(|| panic!("the quote's e-mail in {list:?}"));
    assert_eq!(message["quote_id"], id);
    let whole: Vec<Value> =
        app.call(&browser, "list_outbox", &[("id", &message["id"].to_string())]).await.json().await.unwrap();
    assert_eq!(whole[0]["attachment"], format!("Devis {number}.pdf"));
    let text = whole[0]["text"].as_str().unwrap();
    assert!(text.contains(&quote_url) && text.contains("valable jusqu'au"), "{text}");
    assert!(whole[0]["html"].as_str().unwrap().contains("Voir et accepter le devis"));

    // The client opens it and accepts: straight to « Payer l'acompte ».
    let client_browser = visitor();
    let res = client_browser
        .post(&quote_url)
        .form(&[("action", "accept"), ("full_name", "Paul Martin"), ("accept", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = client_browser.get(&quote_url).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains(&format!("form-action 'self' {}", app.base)), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("Payer l'acompte") && html.contains("300,00"), "{html}");
    let action =
        html.split("action=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("the deposit's form");
    assert_eq!(action, format!("/quote/{token}/acompte"));

    // Accepted, both parties told; the deposit invoice waits for the money to be numbered.
    let (_, accepted) = api(&app, &key, Method::GET, &format!("/quotes/{id}"), None).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["answer"]["full_name"], "Paul Martin");
    assert_eq!(accepted["deposit_invoice_ids"], json!([]), "nothing issued before the money");
    let subjects = outbox_subjects(&app, &browser).await;
    for expected in [
        format!("Devis {number} accepté — Marie Dupont EI"),
        format!("Martin Rénovation a accepté le devis {number}"),
    ] {
        assert!(subjects.contains(&expected), "{expected} in {subjects:?}");
    }

    // Paid by card, back on the quote's page which waits for the webhook; the event arrives
    // five times: the deposit invoice is issued, already paid, once.
    let checkout = start_checkout(&client_browser, &app.url(action)).await;
    let back = pay_with(&client_browser, &checkout, "4242 4242 4242 4242").await;
    assert_eq!(back.status(), 303);
    let back = back.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(back, format!("{quote_url}?paiement=confirmation"));
    let waiting = client_browser.get(&back).send().await.unwrap();
    assert_eq!(waiting.headers()["refresh"], "3", "the page looks again until the webhook lands");
    assert!(waiting.text().await.unwrap().contains("en cours de confirmation"));
    let account = account_id(&app, &browser).await;
    let session = checkout.rsplit('/').next().unwrap().to_owned();
    for _ in 0..5 {
        let event = completed_event("evt_deposit", &account, &session);
        assert_eq!(post_event(&app, "/webhooks/stripe/connect", CONNECT_SECRET, &event).await.status(), 200);
    }
    app.drain_webhooks().await;
    let (_, accepted) = api(&app, &key, Method::GET, &format!("/quotes/{id}"), None).await;
    let deposit_id = accepted["deposit_invoice_ids"][0].as_i64().expect("the deposit invoice");
    let (_, deposit) = api(&app, &key, Method::GET, &format!("/invoices/{deposit_id}"), None).await;
    assert_eq!((deposit["deposit"].as_bool(), deposit["quote_id"].as_i64()), (Some(true), Some(id)));
    assert_eq!(
        (deposit["number"].as_str(), deposit["total_ttc_cents"].as_i64()),
        (Some(format!("F-{year}-0001").as_str()), Some(30_000))
    );
    assert_eq!(
        (deposit["status"].as_str(), deposit["amount_paid_cents"].as_i64()),
        (Some("paid"), Some(30_000))
    );
    let subjects = outbox_subjects(&app, &browser).await;
    let receipts: Vec<_> =
        subjects.iter().filter(|s| s.contains(&format!("Paiement reçu — facture F-{year}-0001"))).collect();
    assert_eq!(receipts.len(), 1, "one receipt to the client, with the paid deposit invoice: {subjects:?}");
    let (_, payments) = api(&app, &key, Method::GET, &format!("/invoices/{deposit_id}/payments"), None).await;
    assert_eq!(payments.as_array().unwrap().len(), 1, "{payments}");
    let html = client_browser.get(&quote_url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Acompte de 300,00") && html.contains("payé"), "{html}");
    let (_, pdf) = app::services::invoice_pdf::render(&state, business_id, deposit_id, false)
        .await
        .expect("the deposit invoice's PDF");
    let text = pdf_text(&pdf);
    for expected in ["FACTURE D'ACOMPTE", &format!("Acompte sur le devis {number}")] {
        assert!(text.contains(&compact(expected)), "{expected} in {text}");
    }

    // « Facturer »: the quote's lines less the deposit, paid by its own link.
    let (status, final_draft) = api(&app, &key, Method::POST, &format!("/quotes/{id}/invoice"), None).await;
    assert_eq!(status, 201, "{final_draft}");
    let final_id = final_draft["id"].as_i64().unwrap();
    assert_eq!((final_draft["status"].as_str(), final_draft["quote_id"].as_i64()), (Some("draft"), Some(id)));
    assert_eq!(final_draft["total_ttc_cents"], 70_000);
    let deduction = final_draft["lines"][1]["description"].as_str().unwrap();
    assert!(
        deduction.starts_with("Acompte versé le") && deduction.ends_with(&format!("facture F-{year}-0001")),
        "{deduction}"
    );
    let (_, invoiced) = api(&app, &key, Method::GET, &format!("/quotes/{id}"), None).await;
    assert_eq!(
        (invoiced["status"].as_str(), invoiced["invoice_id"].as_i64()),
        (Some("invoiced"), Some(final_id))
    );
    let (status, again) = api(&app, &key, Method::POST, &format!("/quotes/{id}/invoice"), None).await;
    assert_eq!(status, 409, "{again}");
    let (status, issued) =
        api(&app, &key, Method::POST, &format!("/invoices/{final_id}/issue"), Some(json!({}))).await;
    assert_eq!(status, 200, "{issued}");
    assert_eq!(issued["amount_due_cents"], 70_000);
    let pay_url = issued["pay_url"].as_str().expect("the final invoice's link");
    let checkout = start_checkout(&client_browser, pay_url).await;
    assert_eq!(pay_with(&client_browser, &checkout, "4242 4242 4242 4242").await.status(), 303);
    let session = checkout.rsplit('/').next().unwrap().to_owned();
    let event = completed_event("evt_final", &account, &session);
    assert_eq!(post_event(&app, "/webhooks/stripe/connect", CONNECT_SECRET, &event).await.status(), 200);
    app.drain_webhooks().await;
    let (_, paid) = api(&app, &key, Method::GET, &format!("/invoices/{final_id}"), None).await;
    assert_eq!((paid["status"].as_str(), paid["amount_paid_cents"].as_i64()), (Some("paid"), Some(70_000)));
}

#[tokio::test]
async fn a_refusal_tells_the_entrepreneur_why_and_an_expired_quote_is_refused() {
    use app::services::{email::SendRequest, quote_emails};
    let app = spawn_app().await;
    let (state, business_id, martin) = business_with_client(&app, "business", "Martin Rénovation").await;
    let token_of =
        |q: &app::ports::QuoteRecord| quotes::link(&state, q).unwrap().rsplit('/').next().unwrap().to_owned();

    // Refused with a reason: recorded, and the entrepreneur reads why.
    let draft = quotes::save_draft(&state, business_id, None, &quote_for(&state, martin, "Peinture", "800"))
        .await
        .unwrap();
    let sent =
        quote_emails::send(&state, business_id, draft.id, &SendRequest::default()).await.expect("sent");
    let refusal =
        quotes::Answer { accept: false, reason: "Trop cher pour nous".into(), ..Default::default() };
    let refused = quotes::answer(&state, &token_of(&sent), &refusal).await.expect("refused");
    assert_eq!(refused.status, QuoteStatus::Refused);
    assert_eq!(refused.answer.as_ref().map(|a| a.reason.as_str()), Some("Trop cher pour nous"));
    let outbox = state.store.outbox(business_id, None, 50).await.unwrap();
    let news = outbox
        .iter()
        .find(|m| {
            m.email.subject == format!("Martin Rénovation a refusé le devis {}", sent.number.clone().unwrap())
        })
        .expect("the entrepreneur's e-mail");
    let news = &state.store.outbox(business_id, Some(news.id), 1).await.unwrap()[0];
    assert!(news.email.text_body.contains("« Trop cher pour nous »"), "{}", news.email.text_body);
    assert_eq!(news.email.recipients, ["contact@exemple.fr"]);
    assert!(outbox
        .iter()
        .any(|m| m.email.recipients == ["devis@martin.fr"] && m.email.subject.contains("refusé")));

    // Valid until today only: accepted tomorrow, it is refused with the date it ended.
    let today = app::services::invoices::today(&state);
    let input = QuoteInput { valid_until: today.to_string(), ..quote_for(&state, martin, "Enduit", "300") };
    let draft = quotes::save_draft(&state, business_id, None, &input).await.unwrap();
    let sent = quotes::send(&state, business_id, draft.id).await.unwrap();
    let tomorrow = app::state::AppState {
        clock: std::sync::Arc::new(app::ports::FixedClock::at(state.now() + 24 * 3600)),
        ..state.clone()
    };
    let accept =
        quotes::Answer { accept: true, full_name: "Paul Martin".into(), agreed: true, ..Default::default() };
    let expired = quotes::answer(&tomorrow, &token_of(&sent), &accept).await.unwrap_err();
    assert!(expired.to_string().contains("n'est plus valable depuis le"), "{expired}");
    assert_eq!(quotes::get(&state, business_id, sent.id).await.unwrap().status, QuoteStatus::Sent);
    let resent =
        quote_emails::send(&tomorrow, business_id, sent.id, &SendRequest::default()).await.unwrap_err();
    assert!(resent.to_string().contains("nouvelle version"), "{resent}");
}

#[tokio::test]
async fn without_online_payment_the_deposit_invoice_is_issued_on_acceptance_and_e_mailed() {
    use app::services::quote_invoices;
    let app = spawn_app().await;
    let (state, business_id, martin) = business_with_client(&app, "business", "Martin Rénovation").await;
    let input = QuoteInput { deposit_amount: "250".into(), ..quote_for(&state, martin, "Charpente", "1000") };
    let draft = quotes::save_draft(&state, business_id, None, &input).await.unwrap();
    let sent = quotes::send(&state, business_id, draft.id).await.unwrap();
    let url = quotes::link(&state, &sent).unwrap();
    let token = url.rsplit('/').next().unwrap();
    let accept =
        quotes::Answer { accept: true, full_name: "Paul Martin".into(), agreed: true, ..Default::default() };
    quotes::answer(&state, token, &accept).await.expect("accepted");

    let invoices = quote_invoices::of_quote(&state, business_id, sent.id).await.unwrap();
    let deposit = quote_invoices::deposits(&invoices).next().expect("issued on acceptance");
    let year = app::services::invoices::today(&state).year();
    assert_eq!(deposit.number, Some(format!("F-{year}-0001")));
    assert_eq!(deposit.status, app::domain::InvoiceStatus::Sent, "e-mailed to the client");
    assert_eq!(
        (deposit.total_ttc, deposit.amount_due()),
        (Money::from_cents(25_000), Money::from_cents(25_000))
    );
    assert!(!deposit.content.payment_methods.iter().any(|m| m == "payment_link"));
    let html = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("La facture d'acompte F-{year}-0001")), "{html}");
    assert!(!html.contains("Payer l'acompte"));
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{url}/acompte"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409, "no card payment offered");
}
