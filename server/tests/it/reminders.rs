//! Automatic reminders through the real server and store, the clock fixed: each step queued
//! once with two workers running, nothing for an invoice paid meanwhile, what the e-mail holds,
//! the policy and « Ne pas relancer » through the API.

use crate::common::*;
use crate::email::{attached_pdf, eml_files};
use app::domain::period::paris_instant;
use app::domain::Date;
use app::ports::FixedClock;
use app::services::reminders;
use app::state::AppState;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;

/// The app's state with the clock at `hour`:00, Paris time, on `date`.
fn at(app: &TestApp, date: &str, hour: i64) -> AppState {
    let (state, _) = app.workers.as_ref().expect("an app of this process");
    let mut state = state.clone();
    state.clock = Arc::new(FixedClock::at(paris_instant(Date::parse(date).unwrap(), hour)));
    state
}

/// Marie's invoice of 100,00 € (franchise) to Boulangerie Martin (compta@martin.fr), payable online,
/// issued on 27 November 2026 and due on 27 December: its id.
async fn unpaid_invoice(app: &TestApp, browser: &Client) -> i64 {
    app.sign_up(browser, "marie@exemple.fr").await;
    set_up_business(app, browser).await;
    activate_online_payment(app, browser).await;
    issue(app, browser, "100", &["transfer", "payment_link"]).await
}

async fn api(
    app: &TestApp,
    key: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Client::new().request(method, app.url(&format!("/api/v1{path}"))).bearer_auth(key);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn each_step_is_queued_once_with_two_workers_and_the_email_holds_the_pay_link_and_the_pdf() {
    let app = spawn_app_with_options(TestOptions { mail_worker: false, ..Default::default() }).await;
    let browser = client();
    let id = unpaid_invoice(&app, &browser).await;
    // E-mailed to two addresses, with a copy to Marie: reminders go to the client's two.
    let compose: Value =
        app.call(&browser, "compose_invoice_email", &[("id", &id.to_string())]).await.json().await.unwrap();
    let res = app
        .call(
            &browser,
            "send_invoice_email",
            &[
                ("id", &id.to_string()),
                ("recipients", "compta@martin.fr, dg@martin.fr"),
                ("copy_to_me", "true"),
                ("subject", compose["subject"].as_str().unwrap()),
                ("body", compose["body"].as_str().unwrap()),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let key = api_key(&app, &browser).await;
    let (_, invoice) = api(&app, &key, reqwest::Method::GET, &format!("/invoices/{id}"), None).await;
    assert_eq!(invoice["reminders"]["planned"]["step"], "J−3", "{invoice}");
    assert_eq!(invoice["reminders"]["planned"]["at"], "2026-12-24T07:00:00Z", "08:00 in Paris");

    // 28 December at 09:00, the server was down since before J−3: only J+1 goes out.
    let (first, second) = (at(&app, "2026-12-28", 9), at(&app, "2026-12-28", 9));
    let (a, b) = tokio::join!(reminders::run_due(&first), reminders::run_due(&second));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "two workers, one reminder");
    assert_eq!(reminders::run_due(&first).await.unwrap(), 0, "sent once");
    // At 21:00 the next step would wait for the morning anyway.
    assert_eq!(reminders::run_due(&at(&app, "2027-01-04", 21)).await.unwrap(), 0, "outside working hours");

    let (_, invoice) = api(&app, &key, reqwest::Method::GET, &format!("/invoices/{id}"), None).await;
    let plan = &invoice["reminders"];
    assert_eq!(plan["sent"].as_array().unwrap().len(), 1, "{plan}");
    assert_eq!(plan["sent"][0]["step"], "J+1");
    assert_eq!(plan["planned"]["step"], "J+8");
    let view = invoice_view(&app, &browser, id).await;
    assert!(
        view["history"].to_string().contains("Relance automatique J+1 envoyée à compta@martin.fr"),
        "{view}"
    );

    // The message: to the client, with the pay link, the PDF and the penalties owed by then.
    let outbox: Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    assert_eq!(outbox[0]["subject"], "Facture F-2026-0001 échue : 100,00\u{a0}€ à régler", "{outbox}");
    assert_eq!(outbox.as_array().unwrap().len(), 2, "the invoice, then its reminder");
    // The outbox's worker, at that same instant, delivers it.
    let (_, mail) = app.workers.as_ref().expect("an app of this process");
    server::mail::MailWorker { state: first.clone(), ..mail.clone() }.run_once().await;
    let files = eml_files(&app);
    let reminder =
        files.iter().find(|f| f.replace("=\n", "").contains("de retard")).expect("the reminder delivered");
    let eml = reminder.replace("=\n", "");
    assert!(eml.contains("To: compta@martin.fr, dg@martin.fr\n"), "{eml}");
    let pay_url = view["pay_url"].as_str().unwrap();
    assert!(eml.contains(pay_url), "the pay link");
    assert!(eml.contains("1 jour(s) de retard"), "{eml}");
    // 100 € at 10 % a year for one day: 0,03 €; a business client also owes the 40 € indemnity.
    assert!(eml.contains("0,03"), "{eml}");
    assert!(eml.contains("Indemnit=C3=A9 forfaitaire de recouvrement"), "{eml}");
    let owner_pdf =
        browser.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap().bytes().await.unwrap();
    assert!(attached_pdf(reminder) == owner_pdf.to_vec(), "the invoice's PDF attached");

    // J+8, J+15, then nothing more.
    assert_eq!(reminders::run_due(&at(&app, "2027-01-04", 8)).await.unwrap(), 1);
    assert_eq!(reminders::run_due(&at(&app, "2027-01-11", 8)).await.unwrap(), 1);
    assert_eq!(reminders::run_due(&at(&app, "2027-03-01", 10)).await.unwrap(), 0);
    let (_, invoice) = api(&app, &key, reqwest::Method::GET, &format!("/invoices/{id}"), None).await;
    let steps: Vec<&str> = invoice["reminders"]["sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["J+1", "J+8", "J+15"]);
    assert!(invoice["reminders"]["planned"].is_null());
}

#[tokio::test]
async fn nothing_is_queued_for_an_invoice_paid_while_the_worker_runs() {
    let app = spawn_app().await;
    let browser = client();
    let id = unpaid_invoice(&app, &browser).await;
    let state = at(&app, "2026-12-28", 10);
    let candidates = state.store.reminder_candidates("2027-01-31", 0, 10).await.unwrap();
    let candidate = candidates.iter().find(|c| c.invoice_id == id).expect("an unpaid invoice to look at");
    // The worker has read the invoice and composed J+1 …
    let prepared = reminders::prepare(&state, candidate.business_id, id, 1, 1).await.unwrap().expect("J+1");
    // … when the client pays.
    let view = invoice_view(&app, &browser, id).await;
    let due = app::domain::Money::from_cents(view["balance_cents"].as_i64().unwrap()).to_input();
    let res = app
        .call(
            &browser,
            "record_payment",
            &[("id", &id.to_string()), ("amount", &due), ("method", "transfer"), ("date", "2026-11-28")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    assert!(!reminders::queue(&state, &prepared).await.unwrap(), "the invoice changed: nothing queued");
    assert_eq!(reminders::run_due(&state).await.unwrap(), 0, "paid: nothing due");
    let outbox: Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    assert!(!outbox.to_string().contains("échue"), "{outbox}");
    let view = invoice_view(&app, &browser, id).await;
    assert!(!view["history"].to_string().contains("Relance"), "{view}");
    assert!(view["reminders"]["next"].is_null());
}

#[tokio::test]
async fn the_policy_and_stopping_one_invoice_go_through_the_api() {
    let app = spawn_app_with_options(TestOptions { mail_worker: false, ..Default::default() }).await;
    let browser = client();
    let id = unpaid_invoice(&app, &browser).await;
    let key = api_key(&app, &browser).await;
    let put = reqwest::Method::PUT;

    let (status, policy) = api(&app, &key, reqwest::Method::GET, "/business/reminders", None).await;
    assert_eq!((status, policy), (StatusCode::OK, json!({ "enabled": true, "steps": [-3, 1, 8, 15] })));
    for (steps, says) in
        [(json!([]), "au moins une"), (json!([1, 1]), "même jour"), (json!([1, 200]), "J+200")]
    {
        let (status, problem) = api(
            &app,
            &key,
            put.clone(),
            "/business/reminders",
            Some(json!({ "enabled": true, "steps": steps })),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(problem.to_string().contains(says), "{problem}");
    }
    let (status, saved) = api(
        &app,
        &key,
        put.clone(),
        "/business/reminders",
        Some(json!({ "enabled": true, "steps": [5, -1] })),
    )
    .await;
    assert_eq!((status, saved), (StatusCode::OK, json!({ "enabled": true, "steps": [-1, 5] })));
    let (_, invoice) = api(&app, &key, reqwest::Method::GET, &format!("/invoices/{id}"), None).await;
    assert_eq!(invoice["reminders"]["planned"]["step"], "J−1");

    // « Ne pas relancer cette facture »: nothing planned, nothing sent.
    let path = format!("/invoices/{id}/reminders");
    let (status, stopped) = api(&app, &key, put.clone(), &path, Some(json!({ "enabled": false }))).await;
    assert_eq!(status, StatusCode::OK, "{stopped}");
    assert_eq!((stopped["enabled"].clone(), stopped["planned"].clone()), (json!(false), Value::Null));
    assert_eq!(reminders::run_due(&at(&app, "2026-12-26", 9)).await.unwrap(), 0);
    let (_, resumed) = api(&app, &key, put.clone(), &path, Some(json!({ "enabled": true }))).await;
    assert_eq!(resumed["planned"]["step"], "J−1");
    assert_eq!(reminders::run_due(&at(&app, "2026-12-26", 9)).await.unwrap(), 1);

    // The business's reminders off: nothing goes out.
    api(&app, &key, put.clone(), "/business/reminders", Some(json!({ "enabled": false, "steps": [-1, 5] })))
        .await;
    assert_eq!(reminders::run_due(&at(&app, "2027-01-01", 9)).await.unwrap(), 0);

    // Another business's invoice is not found; a draft has no reminders.
    let other = client();
    app.sign_up(&other, "bob@exemple.fr").await;
    let other_key = api_key(&app, &other).await;
    let (status, _) = api(&app, &other_key, put.clone(), &path, Some(json!({ "enabled": false }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
