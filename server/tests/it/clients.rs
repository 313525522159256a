//! Clients through HTTP: create, validate, search, edit, archive, and isolation.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn business_client(name: &str) -> Value {
    json!({
        "kind": "business",
        "name": name,
        "siren": "732 829 320",
        "vat_number": "",
        "email": "compta@exemple.fr",
        "address_line1": "3 place du Marché",
        "address_line2": "",
        "postal_code": "69001",
        "city": "Lyon"
    })
}

async fn list(app: &TestApp, browser: &reqwest::Client, search: &str, archived: bool) -> Vec<Value> {
    let archived = archived.to_string();
    let res = app.call(browser, "list_clients", &[("search", search), ("archived", &archived)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[tokio::test]
async fn clients_are_created_searched_edited_and_archived() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    assert!(list(&app, &browser, "", false).await.is_empty());

    let res = app
        .call_json(
            &browser,
            "save_client",
            json!({ "id": null, "client": business_client("Boulangerie Martin") }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["client"]["siren"], "732 829 320");
    let person = json!({ "kind": "person", "name": "Jeanne Petit", "siren": "", "vat_number": "", "email": "",
        "address_line1": "8 rue Haute", "address_line2": "", "postal_code": "35000", "city": "Rennes" });
    app.call_json(&browser, "save_client", json!({ "id": null, "client": person })).await;

    let all = list(&app, &browser, "", false).await;
    assert_eq!(
        all.iter().map(|c| c["client"]["name"].as_str().unwrap()).collect::<Vec<_>>(),
        ["Boulangerie Martin", "Jeanne Petit"]
    );
    assert_eq!(list(&app, &browser, "boulan", false).await.len(), 1, "search ignores case");
    assert_eq!(list(&app, &browser, "732829", false).await.len(), 1, "search by SIREN");
    assert!(list(&app, &browser, "%", false).await.is_empty(), "% is searched literally");

    let id = created["id"].as_i64().unwrap();
    let res = app
        .call_json(
            &browser,
            "save_client",
            json!({ "id": id, "client": business_client("Boulangerie Martin & Fils") }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(list(&app, &browser, "fils", false).await[0]["id"], id);

    let res = app.call(&browser, "archive_client", &[("id", &id.to_string()), ("archived", "true")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(list(&app, &browser, "", false).await.len(), 1);
    assert_eq!(list(&app, &browser, "", true).await[0]["id"], id);
}

#[tokio::test]
async fn an_invalid_client_is_refused_in_french_and_nothing_is_saved() {
    let app = spawn_app().await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    let mut bad = business_client("Sans SIREN");
    bad["siren"] = json!("");
    bad["email"] = json!("compta@@exemple");
    let res = app.call_json(&browser, "save_client", json!({ "id": null, "client": bad })).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("SIREN"), "{body}");
    assert!(body.contains("adresse e-mail n'est pas valide"), "{body}");
    assert!(list(&app, &browser, "", false).await.is_empty());
}

#[tokio::test]
async fn another_business_clients_are_invisible_and_untouchable() {
    let app = spawn_app().await;
    let (alice, bob) = (client(), client());
    app.sign_up(&alice, "alice@exemple.fr").await;
    app.sign_up(&bob, "bob@exemple.fr").await;
    let res = app
        .call_json(&bob, "save_client", json!({ "id": null, "client": business_client("Client de Bob") }))
        .await;
    let bobs: Value = res.json().await.unwrap();
    let id = bobs["id"].as_i64().unwrap();

    assert!(list(&app, &alice, "", false).await.is_empty());
    let res =
        app.call_json(&alice, "save_client", json!({ "id": id, "client": business_client("Volé") })).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("Ce client n'existe pas."));
    let res = app.call(&alice, "archive_client", &[("id", &id.to_string()), ("archived", "true")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let still = list(&app, &bob, "", false).await;
    assert_eq!(still.len(), 1);
    assert_eq!(still[0]["client"]["name"], "Client de Bob");
}
