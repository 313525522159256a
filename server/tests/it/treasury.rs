//! The treasury through a real server: revenue by the date money came in, on both sides of a
//! month boundary; refunds as negative receipts; the dashboard's declaration and ceilings; the
//! livre des recettes as JSON, CSV and PDF.

use crate::common::*;
use app::domain::period::{paris_date, Period};
use app::domain::Date;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

fn today() -> Date {
    paris_date(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64)
}

async fn pay(app: &TestApp, browser: &Client, id: i64, amount: &str, date: &str) {
    let res = app
        .call(
            browser,
            "record_payment",
            &[("id", &id.to_string()), ("amount", amount), ("date", date), ("method", "transfer")],
        )
        .await;
    assert!(res.status().is_success(), "record_payment: {}", res.text().await.unwrap());
}

/// Signs up and issues one invoice dated 1 October 2026, so that money can have come in from
/// then on (never before the invoice).
async fn october_invoice(app: &TestApp, browser: &Client, unit_price: &str) -> i64 {
    app.sign_up(browser, "marie@exemple.fr").await;
    set_up_business(app, browser).await;
    issue_on(app, browser, unit_price, &["transfer"], "2026-10-01").await
}

#[tokio::test]
async fn payments_land_in_the_month_they_were_received() {
    let app = spawn_app().await;
    let browser = client();
    let id = october_invoice(&app, &browser, "300").await;
    pay(&app, &browser, id, "100", "2026-10-31").await;
    pay(&app, &browser, id, "150", "2026-11-01").await;
    let key = api_key(&app, &browser).await;

    let (status, october) = api_get(&app, &key, "/api/v1/dashboard?from=2026-10-01&to=2026-10-31").await;
    assert_eq!(status, StatusCode::OK, "{october}");
    assert_eq!(october["revenue_received_cents"], 10_000);
    assert_eq!(october["net_cents"], 10_000);
    assert_eq!(october["fees_cents"], 0);
    assert_eq!(october["outstanding_cents"], 5_000, "what is due is as of now");

    let (_, autumn) = api_get(&app, &key, "/api/v1/dashboard?from=2026-10-01&to=2026-11-30").await;
    assert_eq!(autumn["revenue_received_cents"], 25_000);
    let months: Vec<(String, i64)> = autumn["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].as_str().unwrap().to_owned(), m["revenue_received_cents"].as_i64().unwrap()))
        .collect();
    assert_eq!(months, [("2026-10".to_owned(), 10_000), ("2026-11".to_owned(), 15_000)]);

    // One end alone spans the rest of its year.
    let (_, rest_of_year) = api_get(&app, &key, "/api/v1/dashboard?from=2026-11-01").await;
    assert_eq!((&rest_of_year["from"], &rest_of_year["to"]), (&json!("2026-11-01"), &json!("2026-12-31")));
    assert_eq!(rest_of_year["revenue_received_cents"], 15_000);
    let (_, start_of_year) = api_get(&app, &key, "/api/v1/dashboard?to=2026-10-31").await;
    assert_eq!(start_of_year["from"], "2026-01-01");
    assert_eq!(start_of_year["revenue_received_cents"], 10_000);

    let (_, september) = api_get(&app, &key, "/api/v1/dashboard?from=2026-09-01&to=2026-09-30").await;
    assert_eq!(september["revenue_received_cents"], 0);
    assert_eq!(september["months"].as_array().unwrap().len(), 1, "an empty month is still listed");

    // A period backwards, or a date that is not one, is a problem naming the field.
    let (status, problem) = api_get(&app, &key, "/api/v1/dashboard?from=2026-11-30&to=2026-10-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "to");
    // What a request may cost stays bounded: ten years at most.
    let (status, problem) = api_get(&app, &key, "/api/v1/dashboard?from=2016-01-01&to=2026-10-01").await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("to")));
    assert!(problem["detail"].as_str().unwrap().contains("10 ans"), "{problem}");
    let (status, _) = api_get(&app, &key, "/api/v1/receipts?from=2016-10-02&to=2026-10-01").await;
    assert_eq!(status, StatusCode::OK, "just under ten years");
    let (status, problem) = api_get(&app, &key, "/api/v1/receipts?from=hier&to=2026-10-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "from");
}

#[tokio::test]
async fn the_register_lists_receipts_and_refunds() {
    let app = spawn_app().await;
    let browser = client();
    let id = october_invoice(&app, &browser, "100").await;
    pay(&app, &browser, id, "100", "2026-11-02").await;

    // Nothing is owed back yet: a refund is refused and changes nothing.
    let res = app
        .call(
            &browser,
            "record_refund",
            &[("id", &id.to_string()), ("amount", "10"), ("date", "2026-11-05"), ("method", "transfer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // A full credit note on the paid invoice: 100 € is owed to the client.
    let res = app
        .call_json(
            &browser,
            "create_credit_note",
            json!({ "id": id, "credit": { "full": true, "reason": "Annulation" } }),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let note: Value = res.json().await.unwrap_or_default();
    let view = invoice_view(&app, &browser, id).await;
    assert_eq!(view["balance_cents"], -10_000);

    // More than owed is refused field by field; then the real refund.
    let res = app
        .call(
            &browser,
            "record_refund",
            &[("id", &id.to_string()), ("amount", "100,01"), ("date", "2026-11-05"), ("method", "transfer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("dépasse ce qui est dû au client"));
    let res = app
        .call(
            &browser,
            "record_refund",
            &[("id", &id.to_string()), ("amount", "100"), ("date", "2026-11-05"), ("method", "cheque")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["balance_cents"], 0);
    assert_eq!(view["refunds"][0]["amount_cents"], 10_000);
    assert!(view["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["label"].as_str().unwrap().starts_with("Remboursement de 100,00")));

    // The register: the payment, then the refund as a negative line naming the credit note.
    let key = api_key(&app, &browser).await;
    let (status, register) = api_get(&app, &key, "/api/v1/receipts?from=2026-11-01&to=2026-11-30").await;
    assert_eq!(status, StatusCode::OK, "{register}");
    let lines = register["receipts"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{register}");
    assert_eq!(
        (lines[0]["date"].as_str(), lines[0]["amount_cents"].as_i64()),
        (Some("2026-11-02"), Some(10_000))
    );
    assert_eq!(lines[0]["nature"], "Prestation de services — Conseil");
    assert_eq!(lines[0]["method"], "Virement");
    assert_eq!(lines[0]["client"], "Boulangerie Martin");
    assert_eq!(
        (lines[1]["date"].as_str(), lines[1]["amount_cents"].as_i64()),
        (Some("2026-11-05"), Some(-10_000))
    );
    let note_number = note["number"].as_str().unwrap_or_default();
    assert_eq!(lines[1]["nature"], format!("Remboursement (avoir {note_number})"));
    assert_eq!(lines[1]["method"], "Chèque");
    assert_eq!(register["total_cents"], 0);
    let (_, november) = api_get(&app, &key, "/api/v1/dashboard?from=2026-11-01&to=2026-11-30").await;
    assert_eq!(november["revenue_received_cents"], 0, "the refund is deducted");

    // CSV for a spreadsheet, from the API and from the app's export.
    let csv = client()
        .get(app.url("/api/v1/receipts?from=2026-11-01&to=2026-11-30"))
        .bearer_auth(&key)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "Date d'encaissement;Client;Facture;Nature;Montant;Mode de paiement");
    assert!(rows[1].starts_with("02/11/2026;Boulangerie Martin;F-"), "{}", rows[1]);
    assert!(rows[1].ends_with(";Prestation de services — Conseil;100,00;Virement"), "{}", rows[1]);
    assert!(rows[2].contains(";-100,00;Chèque"), "{}", rows[2]);
    assert_eq!(rows[3], ";;;Total;0,00;");

    let export =
        browser.get(app.url("/recettes/export.csv?from=2026-11-01&to=2026-11-30")).send().await.unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("livre-des-recettes-2026-11-01-2026-11-30.csv"));
    assert_eq!(export.text().await.unwrap().trim_start_matches('\u{feff}'), csv);
    let pdf =
        browser.get(app.url("/recettes/export.pdf?from=2026-11-01&to=2026-11-30")).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let bad =
        browser.get(app.url("/recettes/export.csv?from=2026-12-01&to=2026-11-01")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("La date de début doit précéder la date de fin."));
    // A PDF lays out every line: a year at most (the CSV may cover ten).
    let long =
        browser.get(app.url("/recettes/export.pdf?from=2025-01-01&to=2026-11-30")).send().await.unwrap();
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.text().await.unwrap().contains("ne peut pas dépasser un an"));
    let csv =
        browser.get(app.url("/recettes/export.csv?from=2025-01-01&to=2026-11-30")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    // Not logged in: sent to the log-in page, nothing exported.
    let anonymous = client().get(app.url("/recettes/export.csv")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_dashboard_prepares_the_declaration_and_watches_the_ceilings() {
    let app = spawn_app().await;
    let browser = client();
    let id = october_invoice(&app, &browser, "200").await;
    let res = app.call(&browser, "set_declaration_frequency", &[("frequency", "weekly")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "only monthly or quarterly");
    let res = app.call(&browser, "set_declaration_frequency", &[("frequency", "monthly")]).await;
    assert!(res.status().is_success());

    // 123,50 € last month and 76,50 € today.
    let today = today();
    let last_month = Period::month_of(today.first_of_month().add_days(-1));
    pay(&app, &browser, id, "123,50", &last_month.from.to_string()).await;
    pay(&app, &browser, id, "76,50", &today.to_string()).await;

    let d: Value = app.call(&browser, "dashboard", &[]).await.json().await.unwrap();
    assert_eq!(d["periods"][0]["received_cents"], 7_650, "this month");
    assert_eq!(d["periods"][0]["last_year_cents"], 0);
    let year = if last_month.from.year() == today.year() { 20_000 } else { 7_650 };
    assert_eq!(d["periods"][2]["received_cents"], year, "this year");
    assert_eq!(d["periods"][2]["title"], format!("Année {}", today.year()));
    let months = d["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[11]["received_cents"], 7_650);
    assert_eq!(months[10]["received_cents"], 12_350);
    assert_eq!(d["outstanding_cents"], 0);
    assert_eq!(d["last_receipts"][0]["amount_cents"], 7_650, "newest first");
    assert_eq!(d["statuses"][0]["status"], "paid");
    assert!(d["next_due"].as_array().unwrap().is_empty());

    // Last month is to declare by the end of this one: 123,50 € rounds to 124 €.
    let declared = &d["declaration"]["to_declare"];
    assert_eq!(d["declaration"]["frequency"], "monthly");
    assert_eq!(declared["label"], last_month.from.month_year_french());
    assert_eq!(declared["deadline"], today.last_of_month().to_string());
    assert_eq!(declared["lines"][0]["category"], "services_bic");
    assert_eq!(declared["lines"][0]["euros"], 124);
    assert_eq!(declared["total_euros"], 124);
    assert_eq!(d["declaration"]["current"]["total_euros"], 77);

    // A services business in the VAT franchise sees both of its ceilings.
    let gauges = d["gauges"].as_array().unwrap();
    assert_eq!(gauges.len(), 2);
    assert_eq!(gauges[0]["ceiling_cents"], 8_360_000);
    assert_eq!(gauges[1]["ceiling_cents"], 3_750_000);
    assert_eq!(gauges[1]["level"], "fine");

    // Quarterly from now on.
    app.call(&browser, "set_declaration_frequency", &[("frequency", "quarterly")]).await;
    let d: Value = app.call(&browser, "dashboard", &[]).await.json().await.unwrap();
    assert_eq!(d["declaration"]["frequency"], "quarterly");
    assert!(d["declaration"]["current"]["label"].as_str().unwrap().contains("trimestre"));
}

#[tokio::test]
async fn another_business_sees_none_of_it() {
    let app = spawn_app().await;
    let browser = client();
    let id = october_invoice(&app, &browser, "100").await;
    pay(&app, &browser, id, "100", "2026-11-02").await;

    let other = client();
    app.sign_up(&other, "intrus@exemple.fr").await;
    let d: Value = app.call(&other, "dashboard", &[]).await.json().await.unwrap();
    assert!(d["last_receipts"].as_array().unwrap().is_empty());
    assert!(d["statuses"].as_array().unwrap().is_empty());
    // Opened today: the period that closed before has no deadline for this account.
    assert!(d["declaration"]["to_declare"].is_null(), "{}", d["declaration"]);
    assert_eq!(d["declaration"]["current"]["total_euros"], 0);
    let register: Value = app
        .call(&other, "receipts", &[("from", "2026-01-01"), ("to", "2026-12-31")])
        .await
        .json()
        .await
        .unwrap();
    assert!(register["lines"].as_array().unwrap().is_empty());
    let res = app
        .call(
            &other,
            "record_refund",
            &[("id", &id.to_string()), ("amount", "1"), ("date", "2026-11-05"), ("method", "cash")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
