//! The golden set of e-invoices: documents of every kind a micro-entrepreneur issues, issued
//! through the real server's API, each checked as a French platform checks it before accepting it
//! (`../shared/facturx/validate.py`), with its XML's totals equal to its PDF's text and to the
//! API's figures, and the XML the API serves equal to the one the PDF carries.

use crate::common::*;
use crate::payments::{account_id, completed_event, pay_with, post_event, start_checkout, visitor};
use crate::quotes::{api, online_business_with_key};
use app::domain::Money;
use reqwest::Method;
use serde_json::{json, Value};

/// The platforms' validation kit (`../shared/facturx`) and a Python with its packages, where
/// both are on this machine.
fn facturx_validator() -> Option<(String, std::path::PathBuf)> {
    let kit = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/facturx/validate.py");
    let python = std::env::var("REGLO_FACTURX_PYTHON").unwrap_or_else(|_| {
        format!("{}/.cache/reglo-facturx/bin/python", std::env::var("HOME").unwrap_or_default())
    });
    (kit.exists() && std::path::Path::new(&python).exists()).then_some((python, kit))
}

/// The `factur-x.xml` a PDF carries as an embedded file.
fn embedded_xml(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF lopdf reads");
    let files: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Type").and_then(|t| t.as_name()).is_ok_and(|n| n == b"EmbeddedFile"))
        .map(|s| String::from_utf8(s.decompressed_content().unwrap_or_else(|_| s.content.clone())).unwrap())
        .collect();
    assert_eq!(files.len(), 1, "one embedded file");
    files.into_iter().next().unwrap()
}

/// An amount of the XML's header totals, in cents.
fn xml_cents(xml: &str, tag: &str) -> i64 {
    let open = format!("<ram:{tag}");
    let start = xml.find(&open).unwrap_or_else(|| panic!("{tag} in the XML"));
    let value = xml[start..].split('>').nth(1).and_then(|v| v.split('<').next()).unwrap();
    let (sign, digits) = value.strip_prefix('-').map_or((1, value), |v| (-1, v));
    let (units, cents) = digits.split_once('.').expect("two decimals");
    sign * (units.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap())
}

/// A PDF's text without its spaces and line breaks (the layout breaks long words anywhere).
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '\u{200B}').collect()
}

/// A document of the set, checked: its PDF and XML through the API, the XML inside the PDF,
/// the totals three ways, the cadre de facturation and type code expected, and the platforms'
/// validator on the PDF when the kit is here. Returns the XML and the PDF.
async fn check(
    app: &TestApp,
    key: &str,
    name: &str,
    id: i64,
    framework: &str,
    type_code: &str,
) -> (String, Vec<u8>) {
    let (status, doc) = api(app, key, Method::GET, &format!("/invoices/{id}"), None).await;
    assert_eq!(status, 200, "{name}: {doc}");
    let http = reqwest::Client::new();
    let get =
        |path: String| http.get(app.url(&format!("/api/v1/invoices/{id}/{path}"))).bearer_auth(key).send();
    let res = get("factur-x.xml".into()).await.unwrap();
    assert_eq!(res.status(), 200, "{name}");
    assert_eq!(res.headers()["content-type"], "application/xml; charset=utf-8");
    let xml = res.text().await.unwrap();
    let pdf = get("pdf".into()).await.unwrap().bytes().await.unwrap().to_vec();
    assert_eq!(embedded_xml(&pdf), xml, "{name}: the XML served is the one the PDF carries");

    let number = doc["number"].as_str().expect("issued");
    assert!(
        xml.contains(&format!("<ram:ID>{number}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>")),
        "{name}: {xml}"
    );
    assert!(xml.contains(&format!("<ram:ID>{framework}</ram:ID>")), "{name}: cadre {framework} in {xml}");
    let ttc = xml_cents(&xml, "GrandTotalAmount");
    let (ht, tax) = (xml_cents(&xml, "TaxBasisTotalAmount"), xml_cents(&xml, "TaxTotalAmount"));
    let (prepaid, due) = (xml_cents(&xml, "TotalPrepaidAmount"), xml_cents(&xml, "DuePayableAmount"));
    assert_eq!(
        (ht, tax, ttc),
        (
            doc["total_ht_cents"].as_i64().unwrap(),
            doc["total_tax_cents"].as_i64().unwrap(),
            doc["total_ttc_cents"].as_i64().unwrap()
        ),
        "{name}: the XML's totals are the API's"
    );
    assert_eq!(due, ttc - prepaid, "{name}");
    let text = compact(&pdf_extract::extract_text_from_mem(&pdf).expect("the PDF's text"));
    for (what, cents) in [("TTC", ttc), ("HT", ht), ("reste à payer", due)] {
        let shown = compact(&Money::from_cents(cents).to_string());
        assert!(text.contains(&shown), "{name}: {what} {shown} on the PDF");
    }
    if tax > 0 {
        assert!(text.contains(&compact(&Money::from_cents(tax).to_string())), "{name}: VAT on the PDF");
    }
    if prepaid > 0 {
        let shown = compact(&Money::from_cents(prepaid).to_string());
        assert!(text.contains("Déjàpayé") && text.contains(&shown), "{name}: prepaid {shown} on the PDF");
    }

    if let Some((python, kit)) = facturx_validator() {
        let file = app.data_dir.path().join(format!("{name}.pdf"));
        std::fs::write(&file, &pdf).unwrap();
        let run =
            std::process::Command::new(&python).arg(&kit).arg(&file).output().expect("validate.py runs");
        assert!(
            run.status.success(),
            "{name}: {}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
    (xml, pdf)
}

/// Creates and issues an invoice through the API: its id.
async fn issued(app: &TestApp, key: &str, body: Value) -> i64 {
    let (status, draft) = api(app, key, Method::POST, "/invoices", Some(body)).await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_i64().unwrap();
    let (status, issued) =
        api(app, key, Method::POST, &format!("/invoices/{id}/issue"), Some(json!({}))).await;
    assert_eq!(status, 200, "{issued}");
    id
}

fn one_line(description: &str, cents: i64) -> Value {
    json!({ "description": description, "quantity": "1", "unit_price_cents": cents })
}

/// The client accepts the quote on its page: the page's URL.
async fn accepted(app: &TestApp, key: &str, quote: Value) -> (i64, String) {
    let (status, draft) = api(app, key, Method::POST, "/quotes", Some(quote)).await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_i64().unwrap();
    let (status, sent) = api(app, key, Method::POST, &format!("/quotes/{id}/send"), Some(json!({}))).await;
    assert_eq!(status, 202, "{sent}");
    let url = sent["quote_url"].as_str().unwrap().to_owned();
    let res = visitor()
        .post(&url)
        .form(&[("action", "accept"), ("full_name", "Paul Martin"), ("accept", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    (id, url)
}

#[tokio::test]
async fn the_golden_set_issued_through_the_server_passes_a_platforms_checks() {
    let app = spawn_app_with_options(TestOptions { payment_worker: false, ..Default::default() }).await;
    if facturx_validator().is_none() {
        eprintln!(
            "SKIPPED (validation only): the Factur-X kit ../shared/facturx with lxml pikepdf saxonche is absent"
        );
    }
    // Marie: franchise en base, services, online payment active; her client is a business.
    let (browser, key, martin) = online_business_with_key(&app, "marie@exemple.fr").await;
    let card = ["transfer", "payment_link"];
    let mut set = Vec::new();

    let id = issued(
        &app,
        &key,
        json!({ "client_id": martin, "payment_methods": card,
        "lines": [one_line("Conseil en organisation", 45_000)] }),
    )
    .await;
    check(&app, &key, "franchise-services-business", id, "S1", "380").await;
    set.push(id);
    let invoiced = id;

    let id = issued(&app, &key, json!({ "client_id": martin, "payment_methods": card, "operation": "goods",
        "delivery_address": { "line1": "Entrepôt 4, ZI des Pins", "postal_code": "33000", "city": "Bordeaux" },
        "lines": [{ "description": "Étagère en chêne", "quantity": "3", "unit": "u", "unit_price_cents": 12_500 }] }))
    .await;
    let (xml, pdf) = check(&app, &key, "goods-delivered-elsewhere", id, "B1", "380").await;
    assert!(xml.contains("<ram:ShipToTradeParty>") && xml.contains("Bordeaux"), "{xml}");
    let text = compact(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(text.contains(&compact("Adresse de livraison : Entrepôt 4, ZI des Pins")), "{text}");
    set.push(id);

    let (status, person) = api(
        &app,
        &key,
        Method::POST,
        "/clients",
        Some(json!({ "name": "Paul Martin",
        "kind": "person", "email": "paul@exemple.fr",
        "address": { "line1": "8 chemin du Moulin", "postal_code": "38000", "city": "Grenoble" } })),
    )
    .await;
    assert_eq!(status, 201, "{person}");
    let paul = person["id"].as_i64().unwrap();
    let id = issued(
        &app,
        &key,
        json!({ "client_id": paul, "payment_methods": ["cheque"], "operation": "mixed",
        "lines": [one_line("Cours particulier", 4_000), one_line("Manuel", 2_350)] }),
    )
    .await;
    let (xml, _) = check(&app, &key, "private-person", id, "M1", "380").await;
    assert!(xml.contains("<ram:URIID schemeID=\"EM\">paul@exemple.fr</ram:URIID>"));
    set.push(id);

    let lines: Vec<Value> = (1..=60).map(|i| one_line(&format!("Séance n° {i}"), 1_000 + i)).collect();
    let id =
        issued(&app, &key, json!({ "client_id": martin, "payment_methods": card, "lines": lines })).await;
    let (_, pdf) = check(&app, &key, "sixty-lines", id, "S1", "380").await;
    let pages = lopdf::Document::load_mem(&pdf).unwrap().get_pages().len();
    assert!(pages >= 3, "60 lines on {pages} pages");
    set.push(id);

    let longest = format!("<b>&amp; ]]> \"guillemets\" 'apostrophes' 😀 {}", "x".repeat(1_950));
    let longest: String = longest.chars().take(app::domain::InvoiceLine::MAX_DESCRIPTION).collect();
    let id = issued(
        &app,
        &key,
        json!({ "client_id": martin, "payment_methods": card,
        "lines": [one_line(&longest, 1_234), one_line("Suivi & <conseil>", 5_000)] }),
    )
    .await;
    let (xml, _) = check(&app, &key, "hostile-text", id, "S1", "380").await;
    assert!(xml.contains("&lt;b&gt;&amp;amp; ]]&gt; &quot;guillemets&quot; &apos;apostrophes&apos; 😀"));
    set.push(id);

    let id = issued(
        &app,
        &key,
        json!({ "client_id": martin, "payment_methods": card, "lines": [
        { "description": "Audit", "quantity": "2", "unit_price_cents": 60_000, "discount_percent": "15" }] }),
    )
    .await;
    let (xml, _) = check(&app, &key, "discount", id, "S1", "380").await;
    assert!(xml.contains("<ram:ActualAmount>180.00</ram:ActualAmount>"), "15 % of 1 200,00: {xml}");
    set.push(id);

    // A partial credit note on the first invoice; a full one on an invoice paid by transfer.
    let (status, note) = api(
        &app,
        &key,
        Method::POST,
        &format!("/invoices/{invoiced}/credit-notes"),
        Some(json!({ "lines": [one_line("Demi-journée annulée", 15_000)], "reason": "Prestation écourtée" })),
    )
    .await;
    assert_eq!(status, 201, "{note}");
    let (xml, _) = check(&app, &key, "partial-credit-note", note["id"].as_i64().unwrap(), "S1", "381").await;
    assert!(xml.contains("<ram:InvoiceReferencedDocument>"), "it names the invoice it corrects");
    set.push(note["id"].as_i64().unwrap());
    let paid = issued(
        &app,
        &key,
        json!({ "client_id": martin, "payment_methods": card,
        "lines": [one_line("Formation", 80_000)] }),
    )
    .await;
    let before = check(&app, &key, "paid-by-transfer", paid, "S1", "380").await;
    let (status, payment) = api(
        &app,
        &key,
        Method::POST,
        &format!("/invoices/{paid}/payments"),
        Some(json!({ "amount_cents": 80_000, "method": "transfer" })),
    )
    .await;
    assert_eq!(status, 201, "{payment}");
    let (status, note) = api(
        &app,
        &key,
        Method::POST,
        &format!("/invoices/{paid}/credit-notes"),
        Some(json!({ "full": true, "reason": "Formation annulée" })),
    )
    .await;
    assert_eq!(status, 201, "{note}");
    check(&app, &key, "full-credit-note-after-payment", note["id"].as_i64().unwrap(), "S1", "381").await;
    set.extend([paid, note["id"].as_i64().unwrap()]);
    let after = check(&app, &key, "paid-by-transfer-after", paid, "S1", "380").await;
    assert_eq!(after, before, "paid and credited, the issued invoice's XML is the one issued");

    // A quote asking 30 %: accepted, the deposit paid by card before its invoice exists (S2,
    // 386), then the final invoice less the deposit (S4).
    let quote = json!({ "client_id": martin, "deposit_percent": "30",
        "lines": [{ "description": "Rénovation salle de bains", "quantity": "1", "unit_price_cents": 100_000 }] });
    let (quote_id, url) = accepted(&app, &key, quote).await;
    let client_browser = visitor();
    let checkout = start_checkout(&client_browser, &format!("{url}/acompte")).await;
    assert_eq!(pay_with(&client_browser, &checkout, "4242 4242 4242 4242").await.status(), 303);
    let session = checkout.rsplit('/').next().unwrap().to_owned();
    let event = completed_event("evt_golden_deposit", &account_id(&app, &browser).await, &session);
    assert_eq!(post_event(&app, "/webhooks/stripe/connect", CONNECT_SECRET, &event).await.status(), 200);
    app.drain_webhooks().await;
    let (_, quote) = api(&app, &key, Method::GET, &format!("/quotes/{quote_id}"), None).await;
    let deposit = quote["deposit_invoice_ids"][0].as_i64().expect("the deposit invoice");
    let (xml, _) = check(&app, &key, "deposit-paid-by-card", deposit, "S2", "386").await;
    assert!(xml.contains("<ram:TotalPrepaidAmount>300.00</ram:TotalPrepaidAmount>"), "{xml}");
    set.push(deposit);
    let (status, final_draft) =
        api(&app, &key, Method::POST, &format!("/quotes/{quote_id}/invoice"), Some(json!({}))).await;
    assert_eq!(status, 201, "{final_draft}");
    let final_id = final_draft["id"].as_i64().unwrap();
    let (status, issued_final) =
        api(&app, &key, Method::POST, &format!("/invoices/{final_id}/issue"), Some(json!({}))).await;
    assert_eq!(status, 200, "{issued_final}");
    check(&app, &key, "final-after-deposit", final_id, "S4", "380").await;
    set.push(final_id);

    // Bob: VAT-registered, VAT paid on debits, no online payment; three rates, then a quote whose
    // deposit invoice is issued on acceptance.
    let bob = client();
    app.sign_up(&bob, "bob@exemple.fr").await;
    let mut profile = valid_profile("Bob Martin");
    profile["vat_status"] = json!("vat");
    profile["vat_number"] = json!("FR44732829320");
    profile["vat_on_debits"] = json!("true");
    let res = app.call_json(&bob, "save_business_profile", json!({ "profile": profile })).await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let bob_key: Value = app.call(&bob, "create_api_key", &[("name", "Golden")]).await.json().await.unwrap();
    let bob_key = bob_key["key"].as_str().unwrap().to_owned();
    let (_, business) = api(&app, &bob_key, Method::GET, "/business", None).await;
    assert_eq!(business["vat_on_debits"], true, "{business}");
    let (status, atelier) = api(
        &app,
        &bob_key,
        Method::POST,
        "/clients",
        Some(json!({ "name": "Atelier Lumière SAS",
        "kind": "business", "siren": "552100554", "vat_number": "FR96552100554", "email": "compta@lumiere.fr",
        "address": { "line1": "4 place Bellecour", "postal_code": "69002", "city": "Lyon" } })),
    )
    .await;
    assert_eq!(status, 201, "{atelier}");
    let atelier = atelier["id"].as_i64().unwrap();
    let id = issued(&app, &bob_key, json!({ "client_id": atelier, "payment_methods": ["transfer", "cheque"],
        "operation": "mixed", "lines": [
            { "description": "Développement", "quantity": "2.5", "unit": "j", "unit_price_cents": 45_000, "vat_rate": "20" },
            { "description": "Transport", "quantity": "1", "unit_price_cents": 8_000, "vat_rate": "10" },
            { "description": "Livre", "quantity": "2", "unit_price_cents": 1_999, "vat_rate": "5.5", "discount_percent": "10" }] }))
    .await;
    let (xml, pdf) = check(&app, &bob_key, "vat-three-rates-on-debits", id, "M1", "380").await;
    for expected in [
        "<ram:RateApplicablePercent>5.5",
        "<ram:RateApplicablePercent>10",
        "<ram:DueDateTypeCode>5<",
        ">TXD<",
    ] {
        assert!(xml.contains(expected), "{expected} in {xml}");
    }
    let text = compact(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(text.contains(&compact("Option pour le paiement de la taxe d'après les débits")), "{text}");
    set.push(id);
    let quote = json!({ "client_id": atelier, "deposit_percent": "40",
        "lines": [{ "description": "Éclairage du showroom", "quantity": "1", "unit_price_cents": 250_000, "vat_rate": "20" }] });
    let (quote_id, _) = accepted(&app, &bob_key, quote).await;
    let (_, quote) = api(&app, &bob_key, Method::GET, &format!("/quotes/{quote_id}"), None).await;
    let deposit = quote["deposit_invoice_ids"][0].as_i64().expect("issued on acceptance");
    check(&app, &bob_key, "deposit-on-acceptance", deposit, "S1", "386").await;
    set.push(deposit);

    assert!(set.len() >= 12, "the golden set holds {} documents", set.len());
    eprintln!("Factur-X golden set: {} documents issued through the server and checked", set.len());
}

#[tokio::test]
async fn issuing_refuses_in_french_what_a_platform_would_reject_and_changes_nothing() {
    let app = spawn_app().await;
    let (browser, key, martin) = online_business_with_key(&app, "marie@exemple.fr").await;
    let (status, person) = api(&app, &key, Method::POST, "/clients", Some(json!({ "name": "Paul Martin",
        "kind": "person", "address": { "line1": "8 chemin du Moulin", "postal_code": "38000", "city": "Grenoble" } })))
    .await;
    assert_eq!(status, 201, "{person}");
    let draft = |client: i64, methods: Value| {
        let key = key.clone();
        let app = &app;
        async move {
            let body = json!({ "client_id": client, "payment_methods": methods, "lines": [one_line("Conseil", 10_000)] });
            let (status, draft) = api(app, &key, Method::POST, "/invoices", Some(body)).await;
            assert_eq!(status, 201, "{draft}");
            draft["id"].as_i64().unwrap()
        }
    };

    // A private person without an e-mail: no address to receive the e-invoice at (BR-FR-12).
    let unreachable = draft(person["id"].as_i64().unwrap(), json!(["cheque"])).await;
    let (status, problem) =
        api(&app, &key, Method::POST, &format!("/invoices/{unreachable}/issue"), Some(json!({}))).await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("client_id")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("adresse e-mail"), "{problem}");

    // « Virement » without the business's IBAN (BR-61).
    let mut profile = valid_profile("Marie Dupont");
    profile["iban"] = json!("");
    profile["bic"] = json!("");
    let res = app
        .call_json(
            &browser,
            "save_business_profile",
            json!({ "profile": profile, "current_password": PASSWORD }),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let transfer = draft(martin, json!(["transfer"])).await;
    let (status, problem) =
        api(&app, &key, Method::POST, &format!("/invoices/{transfer}/issue"), Some(json!({}))).await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("payment_methods")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("IBAN"), "{problem}");

    // Nothing was numbered: both are drafts, and the next invoice takes the first number.
    for id in [unreachable, transfer] {
        let (_, doc) = api(&app, &key, Method::GET, &format!("/invoices/{id}"), None).await;
        assert_eq!((doc["status"].as_str(), doc["number"].as_str()), (Some("draft"), None));
    }
    let id = issued(
        &app,
        &key,
        json!({ "client_id": martin, "payment_methods": ["cheque"],
        "lines": [one_line("Conseil", 10_000)] }),
    )
    .await;
    let (_, doc) = api(&app, &key, Method::GET, &format!("/invoices/{id}"), None).await;
    assert!(doc["number"].as_str().unwrap().ends_with("-0001"), "{doc}");
}
