//! Sending invoices by e-mail through a real SMTP server (aiosmtpd, started here on 127.0.0.1):
//! what arrives, and that a server that is down gets the message exactly once when it is back.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::{Duration, Instant};

async fn send(
    app: &TestApp,
    browser: &reqwest::Client,
    id: i64,
    recipients: &str,
    subject: &str,
) -> reqwest::Response {
    let compose: Value =
        app.call(browser, "compose_invoice_email", &[("id", &id.to_string())]).await.json().await.unwrap();
    let body = compose["body"].as_str().unwrap_or("Bonjour").to_owned();
    app.call(
        browser,
        "send_invoice_email",
        &[
            ("id", &id.to_string()),
            ("recipients", recipients),
            ("copy_to_me", "true"),
            ("subject", subject),
            ("body", &body),
        ],
    )
    .await
}

#[tokio::test]
async fn an_invoice_arrives_with_both_parts_and_its_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let smtp = SmtpServer::start(port, &dir.path().join("maildir"));
    let app = spawn_app_with_smtp(&format!("smtp://127.0.0.1:{port}")).await;
    let browser = client();
    let id = issued_invoice(&app, &browser, "1250").await;

    let compose: Value =
        app.call(&browser, "compose_invoice_email", &[("id", &id.to_string())]).await.json().await.unwrap();
    assert_eq!(compose["recipients"], "compta@martin.fr", "pre-filled with the client's billing address");
    assert_eq!(compose["subject"], "Facture F-2026-0001 — Marie Dupont EI");

    // Header injection and bad addresses are refused, and nothing is queued.
    let res = send(&app, &browser, id, "compta@martin.fr", "Facture\r\nBcc: espion@exemple.fr").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = send(&app, &browser, id, "compta@martin.fr, pas-une-adresse", "Facture").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("pas-une-adresse"));
    let outbox: Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    assert_eq!(outbox.as_array().unwrap().len(), 0);

    let res = send(&app, &browser, id, "compta@martin.fr", "Votre facture F-2026-0001").await;
    assert_eq!(res.status(), StatusCode::OK);
    let invoice: Value =
        app.call(&browser, "get_invoice", &[("id", &id.to_string())]).await.json().await.unwrap();
    assert_eq!(invoice["status"], "sent");
    assert!(invoice["history"].to_string().contains("Envoyée à compta@martin.fr, contact@exemple.fr"));

    let messages = smtp.wait_for(1).await;
    let outbox: Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    assert_eq!(messages.len(), 1, "one message for all recipients: {outbox}");
    let m = &messages[0];
    assert!(m.contains("Subject: Votre facture F-2026-0001"), "{m}");
    assert!(m.contains("To: compta@martin.fr, contact@exemple.fr"), "{m}");
    assert!(m.contains("Reply-To: contact@exemple.fr"));
    assert!(m.contains("Content-Type: text/plain") && m.contains("Content-Type: text/html"));
    assert!(m.contains("Content-Type: application/pdf"));
    assert!(m.contains("Facture F-2026-0001.pdf"));
    // « 1 250,00 € », quoted-printable (narrow no-break space, no-break space, euro sign).
    assert!(m.contains("1=E2=80=AF250,00=C2=A0=E2=82=AC"), "the amount: {m}");
    assert!(m.contains("27/12/2026"), "the due date");

    let outbox: Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    assert_eq!(outbox[0]["status_label"], "Envoyé");
}

#[tokio::test]
async fn a_message_waits_for_a_server_that_is_down_and_arrives_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let app = spawn_app_with_smtp(&format!("smtp://127.0.0.1:{port}")).await;
    let browser = client();
    let id = issued_invoice(&app, &browser, "1250").await;
    assert_eq!(send(&app, &browser, id, "compta@martin.fr", "Facture").await.status(), StatusCode::OK);

    // Nobody listens: the attempt fails and a retry is planned.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let outbox: Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
        if outbox[0]["status_label"] == "Nouvel essai prévu" {
            break;
        }
        assert!(Instant::now() < deadline, "no failed attempt recorded: {outbox}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let smtp = SmtpServer::start(port, &dir.path().join("maildir"));
    let messages = smtp.wait_for(1).await;
    assert_eq!(messages.len(), 1, "delivered once the server is back");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(smtp.messages().len(), 1, "and only once");
    let outbox: Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    assert_eq!(outbox[0]["status_label"], "Envoyé");
}

#[tokio::test]
async fn without_smtp_the_message_is_an_eml_file_in_the_data_dir() {
    let app = spawn_app_with_options(TestOptions { mail_worker: false, ..Default::default() }).await;
    let browser = client();
    let id = issued_invoice(&app, &browser, "1250").await;
    assert_eq!(send(&app, &browser, id, "compta@martin.fr", "Facture").await.status(), StatusCode::OK);
    let outbox_dir = app.data_dir.path().join("outbox");
    let eml = || -> Vec<String> {
        let files: Vec<_> = std::fs::read_dir(&outbox_dir).map(|d| d.flatten().collect()).unwrap_or_default();
        files
            .iter()
            .filter(|f| f.path().extension().is_some_and(|e| e == "eml"))
            .map(|f| std::fs::read_to_string(f.path()).unwrap())
            .collect()
    };
    assert!(eml().is_empty(), "queued, not yet delivered");
    app.drain_mail().await;
    let files = eml();
    assert_eq!(files.len(), 1);
    assert!(files[0].contains("Facture F-2026-0001.pdf"));
    // A stable Message-ID (one per outbox message) beside its Date.
    assert!(files[0].contains("Message-ID: <reglo.1."), "{}", &files[0][..600.min(files[0].len())]);
    assert!(files[0].contains("@reglo.test>") && files[0].contains("Date: "));
    // Another business sees none of it.
    let other = client();
    app.sign_up(&other, "bob@exemple.fr").await;
    let outbox: Value = app.call(&other, "list_outbox", &[]).await.json().await.unwrap();
    assert_eq!(outbox.as_array().unwrap().len(), 0);
    assert_eq!(send(&app, &other, id, "a@b.fr", "x").await.status(), StatusCode::NOT_FOUND);
}

/// The `.eml` files the file transport wrote, oldest first.
pub(crate) fn eml_files(app: &TestApp) -> Vec<String> {
    let dir = app.data_dir.path().join("outbox");
    let mut files: Vec<_> =
        std::fs::read_dir(dir).map(|d| d.flatten().map(|f| f.path()).collect()).unwrap_or_default();
    files.retain(|f| f.extension().is_some_and(|e| e == "eml"));
    files.sort_by_key(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok());
    files.iter().map(|f| std::fs::read_to_string(f).unwrap().replace("\r\n", "\n")).collect()
}

/// The PDF a message attaches (its base64 part, decoded).
pub(crate) fn attached_pdf(eml: &str) -> Vec<u8> {
    use base64::Engine;
    let part = &eml[eml.find("Content-Type: application/pdf").expect("a PDF part")..];
    let body = &part[part.find("\n\n").expect("the part's body") + 2..];
    let base64: String = body.lines().take_while(|l| !l.starts_with("--")).collect();
    base64::engine::general_purpose::STANDARD.decode(base64.trim()).expect("base64")
}

#[tokio::test]
async fn the_outbox_keeps_no_pay_link_and_the_pdf_is_rendered_as_the_message_leaves() {
    let app = spawn_app_with_options(TestOptions { mail_worker: false, ..Default::default() }).await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    set_up_business(&app, &browser).await;
    activate_online_payment(&app, &browser).await;
    let id = issue(&app, &browser, "1250", &["transfer", "payment_link"]).await;
    let invoice: Value =
        app.call(&browser, "get_invoice", &[("id", &id.to_string())]).await.json().await.unwrap();
    let pay_url = invoice["pay_url"].as_str().expect("a pay link").to_owned();
    let token = pay_url.rsplit('/').next().unwrap().to_owned();

    // Sent twice (a second copy to oneself): two messages, no PDF and no link stored.
    assert_eq!(send(&app, &browser, id, "compta@martin.fr", "Votre facture").await.status(), StatusCode::OK);
    assert_eq!(send(&app, &browser, id, "marie@exemple.fr", "Copie").await.status(), StatusCode::OK);
    assert_eq!(database_holding(&app, &token).await, Vec::<String>::new(), "the pay link in clear");

    // The owner's « Boîte d'envoi » shows the message as it leaves, link included.
    let outbox: Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    let first = outbox[1]["id"].to_string();
    let whole: Value = app.call(&browser, "list_outbox", &[("id", &first)]).await.json().await.unwrap();
    assert!(whole[0]["text"].as_str().unwrap().contains(&pay_url), "{whole}");
    assert!(whole[0]["html"].as_str().unwrap().contains(&format!("href=\"{pay_url}\"")), "{whole}");
    assert_eq!(whole[0]["attachment"], "Facture F-2026-0001.pdf");

    // Delivered: the link is back in both parts and the PDF is the invoice's, rendered once.
    app.drain_mail().await;
    let files = eml_files(&app);
    assert_eq!(files.len(), 2);
    let owner_pdf = browser.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    let owner_pdf = owner_pdf.bytes().await.unwrap().to_vec();
    for eml in &files {
        let unfolded = eml.replace("=\n", "");
        assert!(unfolded.contains(&pay_url), "the link in the message: {eml}");
        assert!(!unfolded.contains("lien-de-paiement"), "no mark left: {eml}");
        assert!(attached_pdf(eml) == owner_pdf, "the attachment is the invoice's PDF");
    }
    let res = client().get(&pay_url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the link the client got opens the pay page");
    assert_eq!(database_holding(&app, &token).await, Vec::<String>::new(), "still nothing in clear");
}

#[tokio::test]
async fn templates_refuse_unknown_placeholders_and_shape_the_next_message() {
    let app = spawn_app().await;
    let browser = client();
    let id = issued_invoice(&app, &browser, "1250").await;
    let templates: Value = app.call(&browser, "email_templates", &[]).await.json().await.unwrap();
    assert_eq!(
        templates.as_array().unwrap().len(),
        8,
        "sent, paid (client), paid (owner), 4 reminders, quote"
    );

    let res = app
        .call(
            &browser,
            "save_email_template",
            &[("kind", "invoice_sent"), ("subject", "Facture {num}"), ("body", "Bonjour")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("{num}") && text.contains("{numero}"),
        "names the unknown one and the valid ones: {text}"
    );

    let res = app
        .call(
            &browser,
            "save_email_template",
            &[
                ("kind", "invoice_sent"),
                ("subject", "Votre facture {numero}"),
                ("body", "Cher {client}, voici {montant}."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let compose: Value =
        app.call(&browser, "compose_invoice_email", &[("id", &id.to_string())]).await.json().await.unwrap();
    assert_eq!(compose["subject"], "Votre facture F-2026-0001");
    assert_eq!(compose["body"], "Cher Boulangerie Martin, voici 1\u{202f}250,00\u{a0}€.");
}

#[tokio::test]
async fn one_document_is_resent_a_few_times_a_day_and_old_bodies_are_dropped() {
    let app = spawn_app_with_options(TestOptions { mail_worker: false, ..Default::default() }).await;
    let browser = client();
    let id = issued_invoice(&app, &browser, "1250").await;
    for _ in 0..5 {
        assert_eq!(send(&app, &browser, id, "compta@martin.fr", "Facture").await.status(), StatusCode::OK);
    }
    let res = send(&app, &browser, id, "compta@martin.fr", "Facture").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().await.unwrap().contains("déjà été envoyé 5 fois en 24 heures"));
    let outbox: Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    assert_eq!(outbox.as_array().unwrap().len(), 5, "the refused send queued nothing");

    // Delivered, then kept whole for the retention period only: who, what and when stay.
    app.drain_mail().await;
    let first = outbox[4]["id"].to_string();
    let whole: Value = app.call(&browser, "list_outbox", &[("id", &first)]).await.json().await.unwrap();
    assert!(whole[0]["text"].as_str().unwrap().contains("Bonjour"));
    let (_, worker) = app.workers.as_ref().unwrap();
    let now = app::ports::Clock::now(&app::ports::SystemClock);
    let clock = std::sync::Arc::new(app::ports::FixedClock::at(now + 31 * 24 * 3600));
    let later = server::mail::MailWorker {
        state: app::state::AppState { clock, ..worker.state.clone() },
        ..worker.clone()
    };
    assert_eq!(later.forget_old_bodies().await, 5);
    let emptied: Value = app.call(&browser, "list_outbox", &[("id", &first)]).await.json().await.unwrap();
    assert_eq!(emptied[0]["text"], "");
    assert_eq!(emptied[0]["subject"], "Facture");
    assert_eq!(emptied[0]["recipients"], "compta@martin.fr, contact@exemple.fr");
    assert_eq!(later.forget_old_bodies().await, 0, "once");
}
