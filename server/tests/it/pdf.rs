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
    // Money moved: the PDF says so (not the copy from before the payment).
    let paid = browser.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    assert_ne!(paid.bytes().await.unwrap(), bytes, "rendered again once paid");
    let res = browser.get(app.url(&format!("/invoices/{id}/pdf?acquittee=1"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains("filename*=UTF-8''Facture%20acquitt%C3%A9e%20"), "{disposition}");

    // Anonymous: to the log-in page; another business: not found.
    let res = client().get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let intruder = client();
    app.sign_up(&intruder, "bob@exemple.fr").await;
    let res = intruder.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
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

/// The platforms' validation kit (`../shared/facturx`) and a Python with its packages, where
/// both are on this machine.
fn facturx_validator() -> Option<(String, std::path::PathBuf)> {
    let kit = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/facturx/validate.py");
    let python = std::env::var("REGLO_FACTURX_PYTHON").unwrap_or_else(|_| {
        format!("{}/.cache/reglo-facturx/bin/python", std::env::var("HOME").unwrap_or_default())
    });
    (kit.exists() && std::path::Path::new(&python).exists()).then_some((python, kit))
}

#[tokio::test]
async fn an_issued_invoice_and_its_credit_note_are_factur_x_files_a_platform_accepts() {
    let app = spawn_app().await;
    let browser = client();
    let id = issued_invoice(&app, &browser, "100").await;
    let invoice =
        browser.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap().bytes().await.unwrap();
    let res =
        app.call_json(&browser, "create_credit_note", json!({ "id": id, "credit": { "full": true } })).await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let note: Value = res.json().await.unwrap();
    let note_id = note["id"].as_i64().expect("the credit note");
    let credit = browser
        .get(app.url(&format!("/invoices/{note_id}/pdf")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();

    // The XML is attached whatever the machine: its number and amounts are the invoice's.
    let text = String::from_utf8_lossy(&invoice);
    assert!(
        text.contains("factur-x.xml") && text.contains("/AFRelationship"),
        "attached as an associated file"
    );
    assert!(text.contains("fx:ConformanceLevel>EN 16931<"), "declared in the XMP");
    let Some((python, kit)) = facturx_validator() else {
        eprintln!(
            "SKIPPED: the Factur-X validation kit (../shared/facturx with lxml pikepdf saxonche) is absent"
        );
        return;
    };
    for (name, pdf) in [("invoice", &invoice), ("credit-note", &credit)] {
        let file = app.data_dir.path().join(format!("{name}.pdf"));
        std::fs::write(&file, pdf).unwrap();
        let run =
            std::process::Command::new(&python).arg(&kit).arg(&file).output().expect("validate.py runs");
        assert!(
            run.status.success(),
            "{name}: {}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}
