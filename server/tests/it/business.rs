//! The business profile and logo through HTTP, and isolation between businesses.

use crate::common::*;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_valid_profile_is_saved_normalised_and_read_back() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    let res = app
        .call_json(&browser, "save_business_profile", json!({ "profile": valid_profile("Marie Dupont") }))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let saved = app.profile(&browser).await;
    assert_eq!(saved["profile_complete"], true);
    assert_eq!(saved["profile"]["name"], "Marie Dupont EI");
    assert_eq!(saved["profile"]["siret"], "732 829 320 00074");
    assert_eq!(saved["profile"]["iban"], "FR76 3000 6000 0112 3456 7890 189");
    let info: serde_json::Value = app.call(&browser, "shell_info", &[]).await.json().await.unwrap();
    assert_eq!(info["business_name"], "Marie Dupont EI");
    assert_eq!(info["brand_color"], "#0f766e");
}

#[tokio::test]
async fn the_server_refuses_what_the_form_refuses_with_the_same_words() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    app.call_json(&browser, "save_business_profile", json!({ "profile": valid_profile("Marie Dupont") }))
        .await;

    let mut bad = valid_profile("Autre Nom");
    bad["siret"] = json!("73282932000075");
    bad["iban"] = json!("FR7630006000011234567890188");
    bad["payment_terms_days"] = json!("75");
    let res = app.call_json(&browser, "save_business_profile", json!({ "profile": bad })).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    let errors = body["Invalid"].as_array().expect("field errors");
    let message = |field: &str| {
        errors.iter().find(|e| e["field"] == field).map(|e| e["message"].as_str().unwrap().to_owned())
    };
    // The very messages the browser shows, from the same domain code.
    assert_eq!(message("siret"), app::domain::Siret::parse("73282932000075").err());
    assert_eq!(message("iban"), app::domain::Iban::parse("FR7630006000011234567890188").err());
    assert!(message("payment_terms_days").unwrap().contains("60 jours"));

    // Nothing changed.
    let saved = app.profile(&browser).await;
    assert_eq!(saved["profile"]["name"], "Marie Dupont EI");
    assert_eq!(saved["profile"]["payment_terms_days"], "30");
}

#[tokio::test]
async fn logo_upload_checks_the_file_and_serves_it() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;

    let upload = |bytes: Vec<u8>, name: &'static str| {
        let form = Form::new().part("logo", Part::bytes(bytes).file_name(name));
        browser.post(app.url("/parametres/logo")).multipart(form).send()
    };
    let res = upload(b"GIF89a not allowed".to_vec(), "logo.gif").await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers().get(LOCATION).unwrap(), "/parametres/entreprise?logo=format#logo");
    assert_eq!(app.profile(&browser).await["logo_url"], serde_json::Value::Null);

    // Too many pixels for a logo (a small file can claim a huge image), or not an image at all.
    let png = |width: u32, height: u32| {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbaImage::from_pixel(width, height, image::Rgba([15, 118, 110, 255]))
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    };
    let res = upload(png(2_001, 1), "large.png").await.unwrap();
    assert_eq!(res.headers().get(LOCATION).unwrap(), "/parametres/entreprise?logo=trop-grand#logo");
    let res = upload(TINY_PNG[..20].to_vec(), "cut.png").await.unwrap();
    assert_eq!(res.headers().get(LOCATION).unwrap(), "/parametres/entreprise?logo=illisible#logo");
    assert_eq!(app.profile(&browser).await["logo_url"], serde_json::Value::Null);

    // A PNG carrying text beside its pixels is stored as its pixels only.
    let mut with_text = png(3, 2);
    let end = with_text.len() - 12; // before IEND
    let text = b"tEXtComment\0secret";
    let mut chunk = (text.len() as u32 - 4).to_be_bytes().to_vec();
    chunk.extend_from_slice(text);
    chunk.extend_from_slice(&crc32(text).to_be_bytes());
    with_text.splice(end..end, chunk);
    let res = upload(with_text, "logo.png").await.unwrap();
    assert_eq!(res.headers().get(LOCATION).unwrap(), "/parametres/entreprise?logo=ok#logo");
    let url = app.profile(&browser).await["logo_url"].as_str().expect("logo url").to_owned();
    let image = client().get(app.url(&url)).send().await.unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers().get(CONTENT_TYPE).unwrap(), "image/png");
    let served = image.bytes().await.unwrap();
    assert!(!served.windows(6).any(|w| w == b"secret"), "metadata dropped");
    let decoded = image::load_from_memory(&served).unwrap().to_rgba8();
    assert_eq!((decoded.width(), decoded.height()), (3, 2));
    assert_eq!(decoded.get_pixel(2, 1), &image::Rgba([15, 118, 110, 255]));

    // Removing it deletes the file once no business uses it.
    assert!(app.call(&browser, "remove_logo", &[]).await.status().is_success());
    assert_eq!(app.profile(&browser).await["logo_url"], serde_json::Value::Null);
    assert_eq!(client().get(app.url(&url)).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // Anonymous uploads go to the log-in page and store nothing.
    let form = Form::new().part("logo", Part::bytes(TINY_PNG).file_name("logo.png"));
    let res = client().post(app.url("/parametres/logo")).multipart(form).send().await.unwrap();
    assert_eq!(res.headers().get(LOCATION).unwrap(), "/connexion");
}

#[tokio::test]
async fn one_business_cannot_read_or_change_another() {
    let app = spawn_app().await;
    let alice = client();
    let bob = client();
    app.sign_up(&alice, "alice@exemple.fr").await;
    app.sign_up(&bob, "bob@exemple.fr").await;
    app.call_json(&bob, "save_business_profile", json!({ "profile": valid_profile("Bob Martin") })).await;
    let form = Form::new().part("logo", Part::bytes(TINY_PNG).file_name("logo.png"));
    bob.post(app.url("/parametres/logo")).multipart(form).send().await.unwrap();

    // Alice sees her own, empty business.
    let alice_view = app.profile(&alice).await;
    assert_eq!(alice_view["profile"]["name"], "");
    assert_eq!(alice_view["logo_url"], serde_json::Value::Null);
    let info: serde_json::Value = app.call(&alice, "shell_info", &[]).await.json().await.unwrap();
    assert_eq!(info["email"], "alice@exemple.fr");
    assert_eq!(info["business_name"], serde_json::Value::Null);

    // Alice's writes land on her business only, even when she tries to name Bob's.
    let mut mine = valid_profile("Alice Durand");
    mine["id"] = json!(2);
    mine["business_id"] = json!(2);
    app.call_json(&alice, "save_business_profile", json!({ "profile": mine, "business_id": 2 })).await;
    app.call(&alice, "remove_logo", &[("business_id", "2")]).await;
    let bob_view = app.profile(&bob).await;
    assert_eq!(bob_view["profile"]["name"], "Bob Martin EI");
    assert!(bob_view["logo_url"].is_string(), "Bob's logo is untouched");
    assert_eq!(app.profile(&alice).await["profile"]["name"], "Alice Durand EI");
}

/// Every server function but sign-up, log-in/out and the password reset needs a session. Each one is called here
/// well-formed but anonymous; a new server function missing from this list fails the test.
#[tokio::test]
async fn every_server_function_requires_a_session() {
    let app = spawn_app().await;
    let public = [
        "/api/sign_up",
        "/api/log_in",
        "/api/log_out",
        "/api/request_password_reset",
        "/api/check_password_link",
        "/api/reset_password",
    ];
    let form =
        |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let calls: Vec<(&str, &str, String)> = vec![
        ("/api/shell_info", "form", form(&[])),
        ("/api/log_out_everywhere", "form", form(&[])),
        ("/api/resend_confirmation", "form", form(&[])),
        (
            "/api/change_login_email",
            "form",
            form(&[("new_email", "x@exemple.fr"), ("current_password", "y")]),
        ),
        (
            "/api/change_password",
            "form",
            form(&[("current_password", "x"), ("new_password", "y"), ("new_password_confirm", "y")]),
        ),
        ("/api/business_profile", "form", form(&[])),
        ("/api/save_business_profile", "json", json!({ "profile": valid_profile("Intrus") }).to_string()),
        ("/api/remove_logo", "form", form(&[])),
        ("/api/list_clients", "form", form(&[("search", ""), ("archived", "false")])),
        ("/api/save_client", "json", json!({ "id": null, "client": {} }).to_string()),
        ("/api/archive_client", "form", form(&[("id", "1"), ("archived", "true")])),
        (
            "/api/list_invoices",
            "form",
            form(&[("status", ""), ("search", ""), ("sort", ""), ("offset", "0")]),
        ),
        ("/api/invoice_editor_context", "form", form(&[])),
        ("/api/get_invoice", "form", form(&[("id", "1")])),
        ("/api/save_draft", "json", json!({ "id": null, "invoice": {} }).to_string()),
        ("/api/delete_draft", "form", form(&[("id", "1")])),
        ("/api/issue_invoice", "form", form(&[("id", "1")])),
        ("/api/next_invoice_number", "form", form(&[("issue_date", "2026-11-27")])),
        (
            "/api/record_payment",
            "form",
            form(&[("id", "1"), ("amount", "10"), ("date", "2026-11-27"), ("method", "cash")]),
        ),
        ("/api/list_api_keys", "form", form(&[])),
        ("/api/payment_settings", "form", form(&[])),
        ("/api/dashboard", "form", form(&[])),
        ("/api/declaration_frequency", "form", form(&[])),
        ("/api/set_declaration_frequency", "form", form(&[("frequency", "monthly")])),
        ("/api/receipts", "form", form(&[("from", ""), ("to", "")])),
        (
            "/api/record_refund",
            "form",
            form(&[("id", "1"), ("amount", "10"), ("date", "2026-11-27"), ("method", "cash")]),
        ),
        ("/api/refresh_online_payment", "form", form(&[])),
        ("/api/save_default_payment_methods", "json", json!({ "methods": ["cash"] }).to_string()),
        ("/api/email_templates", "form", form(&[])),
        ("/api/save_email_template", "form", form(&[("kind", "reminder"), ("subject", "x"), ("body", "y")])),
        ("/api/compose_invoice_email", "form", form(&[("id", "1")])),
        (
            "/api/send_invoice_email",
            "form",
            form(&[
                ("id", "1"),
                ("recipients", "a@b.fr"),
                ("copy_to_me", "false"),
                ("subject", "x"),
                ("body", "y"),
            ]),
        ),
        ("/api/list_outbox", "form", form(&[])),
        ("/api/retry_email", "form", form(&[("id", "1")])),
        ("/api/create_api_key", "form", form(&[("name", "x")])),
        ("/api/revoke_api_key", "form", form(&[("id", "1")])),
        ("/api/create_credit_note", "json", json!({ "id": 1, "credit": { "full": true } }).to_string()),
        ("/api/quote_editor_context", "form", form(&[])),
        ("/api/list_quotes", "form", form(&[])),
        ("/api/get_quote", "form", form(&[("id", "1")])),
        ("/api/save_quote", "json", json!({ "id": null, "content": {} }).to_string()),
        ("/api/delete_quote", "form", form(&[("id", "1")])),
        ("/api/send_quote", "form", form(&[("id", "1")])),
        ("/api/new_quote_version", "form", form(&[("id", "1")])),
        ("/api/invoice_quote", "form", form(&[("id", "1")])),
        ("/api/reminder_settings", "form", form(&[])),
        ("/api/refund_by_card", "form", form(&[("id", "1"), ("amount", "10")])),
        ("/api/save_reminder_settings", "form", form(&[("enabled", "true"), ("steps", "J+1")])),
        ("/api/set_invoice_reminders", "form", form(&[("id", "1"), ("enabled", "false")])),
    ];
    let registered: Vec<&str> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    for path in registered.iter().filter(|p| !public.contains(p)) {
        assert!(calls.iter().any(|(p, _, _)| p == path), "{path} is not checked here: add a call for it");
    }
    for (path, encoding, body) in calls {
        let content_type =
            if encoding == "json" { "application/json" } else { "application/x-www-form-urlencoded" };
        let res =
            client().post(app.url(path)).header(CONTENT_TYPE, content_type).body(body).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path} without a session");
    }
}

/// PNG's chunk checksum (CRC-32/ISO-HDLC).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[tokio::test]
async fn replacing_the_iban_takes_the_password_and_tells_the_account() {
    let app = spawn_app_with_options(TestOptions { mail_worker: false, ..Default::default() }).await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    set_up_business(&app, &browser).await;
    let mut profile = valid_profile("Marie Dupont");
    profile["iban"] = json!("FR76 3000 4000 0312 3456 7890 143");
    let save = |password: Option<&'static str>| {
        let mut body = json!({ "profile": profile.clone() });
        if let Some(p) = password {
            body["current_password"] = json!(p);
        }
        let (app, browser) = (&app, &browser);
        async move { app.call_json(browser, "save_business_profile", body).await }
    };
    let res = save(None).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Saisissez votre mot de passe pour changer d'IBAN"));
    let res = save(Some("pas le bon mot de passe")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.profile(&browser).await["profile"]["iban"],
        "FR76 3000 6000 0112 3456 7890 189",
        "unchanged"
    );

    // Not through an API key alone, whatever its rights.
    let key: serde_json::Value =
        app.call(&browser, "create_api_key", &[("name", "compta")]).await.json().await.unwrap();
    let mut api_body: serde_json::Value = reqwest::Client::new()
        .get(app.url("/api/v1/business"))
        .bearer_auth(key["key"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for field in ["profile_complete", "logo_url", "online_payment"] {
        api_body.as_object_mut().unwrap().remove(field);
    }
    api_body["iban"] = json!("FR7630004000031234567890143");
    let res = reqwest::Client::new()
        .put(app.url("/api/v1/business"))
        .bearer_auth(key["key"].as_str().unwrap())
        .json(&api_body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("L'IBAN ne se change pas par l'API"));

    assert_eq!(save(Some(PASSWORD)).await.status(), StatusCode::OK);
    assert_eq!(app.profile(&browser).await["profile"]["iban"], "FR76 3000 4000 0312 3456 7890 143");
    let outbox: serde_json::Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    let notice = &outbox[0];
    assert_eq!(notice["subject"], "L'IBAN de vos factures a été modifié — Reglo");
    assert_eq!(notice["recipients"], "marie@exemple.fr");
    // Saving the rest of the profile again asks for nothing more.
    assert_eq!(save(None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_issued_invoice_keeps_the_logo_it_was_issued_with() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    set_up_business(&app, &browser).await;
    let upload = |bytes: &'static [u8]| {
        let form = Form::new().part("logo", Part::bytes(bytes).file_name("logo.png"));
        browser.post(app.url("/parametres/logo")).multipart(form).send()
    };
    upload(TINY_PNG).await.unwrap();
    let first = app.profile(&browser).await["logo_url"].as_str().unwrap().to_owned();
    issue(&app, &browser, "100", &["transfer"]).await;

    // Another logo, then none: the issued invoice's stays, file and all.
    let mut other = Vec::new();
    image::RgbaImage::from_pixel(2, 2, image::Rgba([200, 30, 30, 255]))
        .write_to(&mut std::io::Cursor::new(&mut other), image::ImageFormat::Png)
        .unwrap();
    let form = Form::new().part("logo", Part::bytes(other).file_name("autre.png"));
    browser.post(app.url("/parametres/logo")).multipart(form).send().await.unwrap();
    assert_ne!(app.profile(&browser).await["logo_url"].as_str().unwrap(), first);
    app.call(&browser, "remove_logo", &[]).await;
    assert_eq!(client().get(app.url(&first)).send().await.unwrap().status(), StatusCode::OK, "still in use");
}
