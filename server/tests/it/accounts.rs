//! Sign-up, log-in, log-out, sessions, cross-site refusal and log-in throttling, through HTTP.

use crate::common::*;
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::StatusCode;

#[tokio::test]
async fn health_answers_once_the_database_is_reachable() {
    let app = spawn_app().await;
    let res = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn logging_in_opens_a_session_with_a_safe_cookie() {
    let app = spawn_app().await;
    let browser = client();
    let res = app.sign_up(&browser, "marie@exemple.fr").await;
    let cookie = res.headers().get(SET_COOKIE).expect("session cookie").to_str().unwrap().to_owned();
    assert!(cookie.starts_with("reglo_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain-HTTP deployments must still get the cookie");
    assert_eq!(res.headers().get(LOCATION).unwrap(), "/");

    let info: serde_json::Value = app.call(&browser, "shell_info", &[]).await.json().await.unwrap();
    assert_eq!(info["email"], "marie@exemple.fr");
    // No profile saved yet: the top bar has no business name to show.
    assert_eq!(info["business_name"], serde_json::Value::Null);

    // The app's pages open, under a Content-Security-Policy whose nonce is the one on the
    // hydration script (another each time); the log-in page sends the logged-in user home.
    let page = browser.get(app.url("/parametres/entreprise")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("object-src 'none'") && csp.contains("'wasm-unsafe-eval'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce").to_owned();
    assert!(page.text().await.unwrap().contains(&format!("nonce=\"{nonce}\"")), "the script carries it");
    let again = browser.get(app.url("/parametres/entreprise")).send().await.unwrap();
    assert!(!again.headers()["content-security-policy"].to_str().unwrap().contains(&nonce));
    let login_page = browser.get(app.url("/connexion")).send().await.unwrap();
    assert_eq!(login_page.headers().get(LOCATION).unwrap(), "/");
}

#[tokio::test]
async fn cookie_is_secure_behind_https() {
    let app = spawn_app_with_public_url(Some("https://factures.exemple.fr")).await;
    let browser = client();
    let res = app.sign_up(&browser, "marie@exemple.fr").await;
    let cookie = res.headers().get(SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.starts_with("__Host-reglo_session=") && cookie.contains("; Secure"), "{cookie}");
    // Browsers are told to come back over https only; no page may use the camera and the like.
    let hsts = res.headers().get("strict-transport-security").expect("HSTS on https").to_str().unwrap();
    assert!(hsts.contains("max-age=31536000"), "{hsts}");
    assert!(res.headers()["permissions-policy"].to_str().unwrap().contains("camera=()"));
    // The cookie under its plain name is not a session on https.
    let token = cookie.split(['=', ';']).nth(1).unwrap();
    let planted = client()
        .post(app.url("/api/shell_info"))
        .header("cookie", format!("reglo_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(planted.status(), StatusCode::UNAUTHORIZED);
    let plain = spawn_app().await;
    let res = plain.sign_up(&client(), "marie@exemple.fr").await;
    assert!(res.headers().get("strict-transport-security").is_none(), "no HSTS on plain http");
}

#[tokio::test]
async fn sign_up_refuses_bad_input_in_french_and_creates_nothing() {
    let app = spawn_app().await;
    let browser = client();
    let res = app
        .call(
            &browser,
            "sign_up",
            &[("email", "pas-un-email"), ("password", "court"), ("password_confirm", "court")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.headers().get(SET_COOKIE).is_none());
    let body = res.text().await.unwrap();
    assert!(body.contains("adresse e-mail n'est pas valide"), "{body}");
    assert!(body.contains("au moins 10 caractères"), "{body}");

    let res = app
        .call(
            &browser,
            "sign_up",
            &[("email", "a@exemple.fr"), ("password", PASSWORD), ("password_confirm", "autre chose encore")],
        )
        .await;
    assert!(res.text().await.unwrap().contains("ne sont pas identiques"));
    // Nothing was created: logging in with that address fails.
    let res = app.call(&browser, "log_in", &[("email", "a@exemple.fr"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // The same address twice makes one account: the second try keeps the first password.
    app.sign_up(&client(), "b@exemple.fr").await;
    app.call(
        &client(),
        "sign_up",
        &[
            ("email", "B@exemple.fr"),
            ("password", "un tout autre mot de passe"),
            ("password_confirm", "un tout autre mot de passe"),
        ],
    )
    .await;
    let res = app
        .call(&client(), "log_in", &[("email", "b@exemple.fr"), ("password", "un tout autre mot de passe")])
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "the same address cannot be registered twice");
}

#[tokio::test]
async fn log_in_and_log_out() {
    let app = spawn_app().await;
    app.sign_up(&client(), "marie@exemple.fr").await;

    let browser = client();
    assert_eq!(
        browser.get(app.url("/")).send().await.unwrap().headers().get(LOCATION).unwrap(),
        "/connexion"
    );
    let res = app.call(&browser, "log_in", &[("email", " Marie@Exemple.fr "), ("password", PASSWORD)]).await;
    assert!(res.status().is_success());
    assert_eq!(res.headers().get(LOCATION).unwrap(), "/");
    let cookie = res.headers().get(SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    let token = cookie.split(';').next().unwrap().to_owned();
    assert_eq!(browser.get(app.url("/")).send().await.unwrap().status(), StatusCode::OK);

    let res = app.call(&browser, "log_out", &[]).await;
    assert!(res.headers().get(SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(
        browser.get(app.url("/")).send().await.unwrap().headers().get(LOCATION).unwrap(),
        "/connexion"
    );

    // The old token is dead on the server, not merely forgotten by the browser.
    let replay = client().post(app.url("/api/shell_info")).header("cookie", token).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.sign_up(&client(), "marie@exemple.fr").await;
    let wrong = app
        .call(&client(), "log_in", &[("email", "marie@exemple.fr"), ("password", "mauvais mot de passe")])
        .await;
    let unknown = app
        .call(&client(), "log_in", &[("email", "personne@exemple.fr"), ("password", "mauvais mot de passe")])
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert_eq!(unknown.status(), wrong.status());
    assert!(wrong.headers().get(SET_COOKIE).is_none());
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(wrong, unknown);
    assert!(wrong.contains("E-mail ou mot de passe incorrect."));
}

#[tokio::test]
async fn repeated_failures_from_one_address_lock_the_account_there() {
    let app = spawn_app().await;
    app.sign_up(&client(), "marie@exemple.fr").await;
    for _ in 0..5 {
        let res = app
            .call(&client(), "log_in", &[("email", "marie@exemple.fr"), ("password", "devine-encore")])
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    }
    // Even the right password is refused now, with a clear wait.
    let res = app.call(&client(), "log_in", &[("email", "marie@exemple.fr"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().get(SET_COOKIE).is_none());
    assert!(res.text().await.unwrap().contains("Trop de tentatives de connexion. Réessayez dans"));
}

/// Logs in through a reverse proxy that says the request comes from `client_ip`.
async fn log_in_from(app: &TestApp, client_ip: &str, email: &str, password: &str) -> reqwest::Response {
    client()
        .post(app.url("/api/log_in"))
        .header("x-forwarded-for", format!("10.9.9.9, {client_ip}"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_stranger_cannot_lock_a_user_out_behind_a_proxy() {
    let proxy = server::client_address::parse_list("127.0.0.1").unwrap();
    let app = spawn_app_with_options(TestOptions { trusted_proxies: proxy, ..Default::default() }).await;
    app.sign_up(&client(), "marie@exemple.fr").await;
    // 30 guesses by a stranger, on Marie's account and others, all arriving from the proxy's
    // address: the proxy's address itself is never what is counted.
    for i in 0..30 {
        let email =
            if i < 10 { "marie@exemple.fr".to_owned() } else { format!("personne{}@exemple.fr", i / 5) };
        let res = log_in_from(&app, "203.0.113.66", &email, "devine").await;
        assert!(
            res.status() == StatusCode::BAD_REQUEST || res.status() == StatusCode::TOO_MANY_REQUESTS,
            "{i}"
        );
    }
    assert_eq!(
        log_in_from(&app, "203.0.113.66", "marie@exemple.fr", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the stranger's address is locked"
    );
    let res = log_in_from(&app, "198.51.100.7", "marie@exemple.fr", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK, "Marie, from her own address, logs in");
    assert_eq!(
        log_in_from(&app, "203.0.113.66", "paul@exemple.fr", "devine").await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "an address that failed too often is locked for every account"
    );
}

#[tokio::test]
async fn forwarding_headers_from_untrusted_peers_change_nothing() {
    let app = spawn_app().await;
    app.sign_up(&client(), "marie@exemple.fr").await;
    for i in 0..5 {
        // A client naming another address each time is still the same peer.
        let res = log_in_from(&app, &format!("198.51.100.{i}"), "marie@exemple.fr", "devine").await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    }
    let res = log_in_from(&app, "192.0.2.1", "marie@exemple.fr", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn parallel_guesses_get_at_most_the_allowed_verifications() {
    let app = spawn_app().await;
    app.sign_up(&client(), "marie@exemple.fr").await;
    let guesses: Vec<_> = (0..100)
        .map(|i| {
            let url = app.url("/api/log_in");
            tokio::spawn(async move {
                let form = [("email", "marie@exemple.fr".to_owned()), ("password", format!("devine-{i}"))];
                client().post(url).form(&form).send().await.unwrap().status()
            })
        })
        .collect();
    let mut verified = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            StatusCode::BAD_REQUEST => verified += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(verified, 5, "each guess took its slot before the password was checked");
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    app.sign_up(&client(), "marie@exemple.fr").await;
    for (header, value) in
        [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site"), ("origin", "null")]
    {
        let res = client()
            .post(app.url("/api/log_in"))
            .header(header, value)
            .form(&[("email", "marie@exemple.fr"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{header}: {value}");
        assert!(res.headers().get(SET_COOKIE).is_none());
    }

    // A logged-in victim's profile cannot be changed from another site.
    let victim = client();
    app.call(&victim, "log_in", &[("email", "marie@exemple.fr"), ("password", PASSWORD)]).await;
    let res = victim
        .post(app.url("/api/save_business_profile"))
        .header("origin", "https://evil.example")
        .json(&serde_json::json!({ "profile": valid_profile("Pirate") }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.profile(&victim).await["profile"]["name"], "");

    // The same request from the app itself goes through.
    let res = victim
        .post(app.url("/api/save_business_profile"))
        .header("origin", app.base.clone())
        .header("sec-fetch-site", "same-origin")
        .json(&serde_json::json!({ "profile": valid_profile("Marie Dupont") }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_up_is_throttled_per_address() {
    let proxy = server::client_address::parse_list("127.0.0.1").unwrap();
    let app = spawn_app_with_options(TestOptions {
        trusted_proxies: proxy,
        sign_ups_per_hour: 3,
        ..Default::default()
    })
    .await;
    let sign_up = |from: &'static str, email: String| {
        client()
            .post(app.url("/api/sign_up"))
            .header("x-forwarded-for", from)
            .form(&[("email", email.as_str()), ("password", PASSWORD), ("password_confirm", PASSWORD)])
            .send()
    };
    for i in 0..3 {
        let res = sign_up("203.0.113.5", format!("compte{i}@exemple.fr")).await.unwrap();
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    }
    let res = sign_up("203.0.113.5", "compte9@exemple.fr".into()).await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().await.unwrap().contains("Trop de comptes créés depuis votre adresse"));
    // The refused one was not created; another address still signs up.
    let res = sign_up("198.51.100.5", "compte9@exemple.fr".into()).await.unwrap();
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
}

#[tokio::test]
async fn a_password_change_closes_the_other_sessions_and_log_out_everywhere_closes_all() {
    let app = spawn_app().await;
    let (laptop, phone) = (client(), client());
    app.sign_up(&laptop, "marie@exemple.fr").await;
    let res = app.call(&phone, "log_in", &[("email", "marie@exemple.fr"), ("password", PASSWORD)]).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let alive = |browser: &reqwest::Client| {
        let request = browser.post(app.url("/api/shell_info")).send();
        async move { request.await.unwrap().status() == StatusCode::OK }
    };
    assert!(alive(&phone).await);

    let new = "un autre mot de passe";
    let change = |current: &'static str, confirm: &'static str| {
        let (app, laptop) = (&app, &laptop);
        async move {
            app.call(
                laptop,
                "change_password",
                &[("current_password", current), ("new_password", new), ("new_password_confirm", confirm)],
            )
            .await
        }
    };
    // The current password is required, and nothing changes without it.
    let res = change("devine-devine", new).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Le mot de passe actuel est incorrect"));
    let res = change(PASSWORD, "autre chose encore").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(alive(&phone).await, "a refused change closes nothing");

    assert_eq!(change(PASSWORD, new).await.status(), StatusCode::OK);
    assert!(alive(&laptop).await, "the session that changed it stays open");
    assert!(!alive(&phone).await, "the others are closed");
    let old = app.call(&client(), "log_in", &[("email", "marie@exemple.fr"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
    let res = app.call(&phone, "log_in", &[("email", "marie@exemple.fr"), ("password", new)]).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    assert!(alive(&phone).await);

    // « Se déconnecter de tous les appareils »: this one included.
    app.call(&laptop, "log_out_everywhere", &[]).await;
    assert!(!alive(&laptop).await);
    assert!(!alive(&phone).await);
}

/// The sign-up page's own flow: the same answer for a new address and a known one; the new
/// account confirms its address from the e-mailed link before it may e-mail anyone else.
#[tokio::test]
async fn sign_up_confirms_the_address_before_sending_and_tells_nothing_of_known_ones() {
    let app = spawn_app_with_options(TestOptions { mail_worker: false, ..Default::default() }).await;
    let browser = client();
    let form =
        |email: &'static str| [("email", email), ("password", PASSWORD), ("password_confirm", PASSWORD)];
    let new = app.call(&browser, "sign_up", &form("marie@exemple.fr")).await;
    let known = app.call(&client(), "sign_up", &form("marie@exemple.fr")).await;
    for res in [&new, &known] {
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
        assert_eq!(res.headers().get(LOCATION).unwrap(), "/connexion?inscription=1");
        assert!(res.headers().get(SET_COOKIE).is_none(), "no session from a sign-up");
    }
    app.log_in(&browser, "marie@exemple.fr").await;
    let shell: serde_json::Value = app.call(&browser, "shell_info", &[]).await.json().await.unwrap();
    assert_eq!(shell["email_confirmed"], false);

    // Two messages in the account's own outbox: the link, then the word about the second try.
    let outbox: serde_json::Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    let subjects: Vec<&str> =
        outbox.as_array().unwrap().iter().map(|m| m["subject"].as_str().unwrap()).collect();
    assert_eq!(
        subjects,
        ["Tentative d'inscription avec votre adresse — Reglo", "Confirmez votre adresse e-mail — Reglo"]
    );
    let id = outbox[1]["id"].to_string();
    let link: serde_json::Value =
        app.call(&browser, "list_outbox", &[("id", &id)]).await.json().await.unwrap();
    let text = link[0]["text"].as_str().unwrap();
    let url = text.split_whitespace().find(|w| w.contains("/confirmer/")).expect("the link").to_owned();

    // Unconfirmed: an invoice may go to oneself only.
    set_up_business(&app, &browser).await;
    let invoice = issue(&app, &browser, "100", &["transfer"]).await.to_string();
    let send = |to: &'static str| {
        let (app, browser, invoice) = (&app, &browser, invoice.clone());
        async move {
            app.call(
                browser,
                "send_invoice_email",
                &[
                    ("id", &invoice),
                    ("recipients", to),
                    ("copy_to_me", "false"),
                    ("subject", "Facture"),
                    ("body", "Bonjour"),
                ],
            )
            .await
        }
    };
    let refused = send("compta@martin.fr").await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("Confirmez d'abord votre adresse e-mail"));
    assert_eq!(send("marie@exemple.fr").await.status(), StatusCode::OK);

    // A forged or altered link confirms nothing; the real one does, from any browser.
    let other = if url.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{other}", &url[..url.len() - 1]);
    let res = client().get(&forged).send().await.unwrap();
    assert_eq!(res.headers().get(LOCATION).unwrap(), "/connexion?adresse=lien-invalide");
    let res = client().get(&url).send().await.unwrap();
    assert_eq!(res.headers().get(LOCATION).unwrap(), "/connexion?adresse=confirmee");
    let shell: serde_json::Value = app.call(&browser, "shell_info", &[]).await.json().await.unwrap();
    assert_eq!(shell["email_confirmed"], true);
    assert_eq!(send("compta@martin.fr").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn changing_the_login_address_takes_the_password_tells_the_old_one_and_confirms_the_new() {
    let app = spawn_app_with_options(TestOptions { mail_worker: false, ..Default::default() }).await;
    let browser = client();
    app.sign_up(&browser, "marie@exemple.fr").await;
    app.sign_up(&client(), "paul@exemple.fr").await;
    let change = |new_email: &'static str, password: &'static str| {
        let (app, browser) = (&app, &browser);
        async move {
            app.call(
                browser,
                "change_login_email",
                &[("new_email", new_email), ("current_password", password)],
            )
            .await
        }
    };
    let res = change("marie.dupont@exemple.fr", "pas le bon").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Le mot de passe actuel est incorrect"));
    assert_eq!(change("paul@exemple.fr", PASSWORD).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "taken");

    assert_eq!(change("marie.dupont@exemple.fr", PASSWORD).await.status(), StatusCode::OK);
    let shell: serde_json::Value = app.call(&browser, "shell_info", &[]).await.json().await.unwrap();
    assert_eq!(shell["email"], "marie.dupont@exemple.fr");
    assert_eq!(shell["email_confirmed"], false, "the new address is confirmed by its own link");
    let outbox: serde_json::Value = app.call(&browser, "list_outbox", &[]).await.json().await.unwrap();
    let sent: Vec<(&str, &str)> = outbox
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["recipients"].as_str().unwrap(), m["subject"].as_str().unwrap()))
        .collect();
    assert_eq!(
        sent,
        [
            ("marie.dupont@exemple.fr", "Confirmez votre adresse e-mail — Reglo"),
            ("marie@exemple.fr", "L'adresse de connexion de votre compte a changé — Reglo"),
        ]
    );
    // The old address no longer logs in; the new one does.
    let old = app.call(&client(), "log_in", &[("email", "marie@exemple.fr"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
    app.log_in(&client(), "marie.dupont@exemple.fr").await;
}

/// « Mot de passe oublié ? »: the same answer for any address, a link by e-mail that works once,
/// a new password that follows the rules, and every session closed.
#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_closes_every_session() {
    let app = spawn_app_with_options(TestOptions { mail_worker: false, ..Default::default() }).await;
    let (laptop, phone) = (client(), client());
    app.sign_up(&laptop, "marie@exemple.fr").await;
    let alive = |browser: &reqwest::Client| {
        let request = browser.post(app.url("/api/shell_info")).send();
        async move { request.await.unwrap().status() == StatusCode::OK }
    };
    let ask = |email: &'static str| {
        let app = &app;
        async move { app.call(&client(), "request_password_reset", &[("email", email)]).await }
    };
    let known = ask("marie@exemple.fr").await;
    let unknown = ask("personne@exemple.fr").await;
    for res in [&known, &unknown] {
        assert_eq!(res.headers().get(LOCATION).unwrap(), "/mot-de-passe-oublie?envoye=1");
    }
    assert_eq!(ask("pas une adresse").await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let outbox: serde_json::Value = app.call(&laptop, "list_outbox", &[]).await.json().await.unwrap();
    let resets: Vec<&serde_json::Value> = outbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["subject"] == "Choisissez un nouveau mot de passe — Reglo")
        .collect();
    assert_eq!(resets.len(), 1, "one message, to the known address only: {outbox}");
    let id = resets[0]["id"].to_string();
    let mail: serde_json::Value =
        app.call(&laptop, "list_outbox", &[("id", &id)]).await.json().await.unwrap();
    let text = mail[0]["text"].as_str().unwrap();
    let url = text.split_whitespace().find(|w| w.contains("/mot-de-passe/")).expect("the link").to_owned();
    let token = url.rsplit('/').next().unwrap().to_owned();

    let check = |token: String| {
        let app = &app;
        async move { app.call(&client(), "check_password_link", &[("token", &token)]).await.status() }
    };
    assert_eq!(check(token.clone()).await, StatusCode::OK);
    let forged = format!("{}{}", &token[..token.len() - 1], if token.ends_with('0') { '1' } else { '0' });
    assert_eq!(check(forged).await, StatusCode::BAD_REQUEST);
    // The page itself opens without a session.
    let page = client().get(&url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);

    let reset = |password: &'static str, confirm: &'static str| {
        let (app, token, phone) = (&app, token.clone(), &phone);
        async move {
            app.call(
                phone,
                "reset_password",
                &[("token", token.as_str()), ("password", password), ("password_confirm", confirm)],
            )
            .await
        }
    };
    let common = reset("azertyuiop", "azertyuiop").await;
    assert_eq!(common.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(common.text().await.unwrap().contains("trop courant"));
    assert_eq!(reset("un nouveau secret", "un autre").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(alive(&laptop).await, "a refused reset closes nothing");

    let done = reset("un nouveau secret", "un nouveau secret").await;
    assert_eq!(done.headers().get(LOCATION).unwrap(), "/connexion?mot-de-passe=change");
    assert!(!alive(&laptop).await, "every session is closed");
    let old = app.call(&client(), "log_in", &[("email", "marie@exemple.fr"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
    let new =
        app.call(&phone, "log_in", &[("email", "marie@exemple.fr"), ("password", "un nouveau secret")]).await;
    assert!(new.status().is_success() || new.status().is_redirection());
    let shell: serde_json::Value = app.call(&phone, "shell_info", &[]).await.json().await.unwrap();
    assert_eq!(shell["email_confirmed"], true, "the link proved the address");

    // Used once: the same link is dead, and so is a second try with it.
    assert_eq!(check(token.clone()).await, StatusCode::BAD_REQUEST);
    let again = reset("encore un autre secret", "encore un autre secret").await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.text().await.unwrap().contains("Ce lien ne fonctionne plus"));
}
