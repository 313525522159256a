//! Invoice PDFs over HTTP: the owner's route and the API's, their names, and who may not.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_owner_downloads_the_pdf_and_nobody_else_does() {
    let app = spawn_app().await;
    let browser = client();
    let id = issued_invoice(&app, &browser, "100").await;
    let number = "F-2026-0001";

    let res = browser.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains(&format!("filename=\"Facture {number}.pdf\"")), "{disposition}");
    assert_eq!(res.headers()["x-frame-options"], "SAMEORIGIN", "the app previews it in a frame");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    // Issued, it is rendered once and served again as it was.
    let again = browser.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    assert_eq!(again.bytes().await.unwrap(), bytes);

    // Only a paid invoice has a receipt version.
    let res = browser.get(app.url(&format!("/invoices/{id}/pdf?acquittee=1"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    app.call(
        &browser,
        "record_payment",
        &[("id", &id.to_string()), ("amount", "100"), ("date", "2026-11-28"), ("method", "cheque")],
    )
    .await;
    // Paid, the issued invoice is still the file issued; the receipt is another document.
    let paid = browser.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    assert_eq!(paid.bytes().await.unwrap(), bytes, "an issued PDF never changes");
    let res = browser.get(app.url(&format!("/invoices/{id}/pdf?acquittee=1"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains("filename*=UTF-8''Facture%20acquitt%C3%A9e%20"), "{disposition}");
    let receipt = res.bytes().await.unwrap();
    assert_ne!(receipt, bytes);
    assert!(!String::from_utf8_lossy(&receipt).contains("factur-x.xml"), "the receipt is no e-invoice");

    // Anonymous: to the log-in page; another business: not found.
    let res = client().get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let intruder = client();
    app.sign_up(&intruder, "bob@exemple.fr").await;
    let res = intruder.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Its e-invoice's XML alone, downloaded under its number; to its owner only.
    let res = browser.get(app.url(&format!("/invoices/{id}/factur-x.xml"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"Factur-X {number}.xml\"")),
        "{disposition}"
    );
    assert!(res.text().await.unwrap().contains("<rsm:CrossIndustryInvoice"));
    let res = intruder.get(app.url(&format!("/invoices/{id}/factur-x.xml"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The API serves the same PDF to the business's key, and a problem to others.
    let key: Value = app.call(&browser, "create_api_key", &[("name", "PDF")]).await.json().await.unwrap();
    let api = reqwest::Client::new();
    let res = api
        .get(app.url(&format!("/api/v1/invoices/{id}/pdf")))
        .bearer_auth(key["key"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF-"));
    let bob_key: Value =
        app.call(&intruder, "create_api_key", &[("name", "PDF")]).await.json().await.unwrap();
    let res = api
        .get(app.url(&format!("/api/v1/invoices/{id}/pdf")))
        .bearer_auth(bob_key["key"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_draft_has_no_pdf() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    let draft: Value = app
        .call_json(&browser, "save_draft", json!({ "id": null, "invoice": { "client_id": null } }))
        .await
        .json()
        .await
        .unwrap();
    let res = browser.get(app.url(&format!("/invoices/{}/pdf", draft["id"]))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("brouillon"));
}
