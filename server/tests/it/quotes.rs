//! Quotes through their service on the real server and database: drafted, sent under their own
//! number with a secret link, opened by the client, replaced by a new version.

use crate::common::*;
use app::domain::{Deposit, LineInput, QuoteInput, QuoteStatus};
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
