//! The sandbox's hosted pages: onboarding (« Simuler l'activation »), checkout with a card form
//! taking Stripe's test cards, and a small dashboard. Each says plainly that no money moves.

use super::now;
use super::{objects, stripe_view, Shared};
use app::domain::email_message::escape;
use app::domain::Money;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::{json, Value};

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title} · Stripe (mode test)</title><style>\
         body{{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f8fa;color:#1a1f36}}\
         .test-banner{{background:#ffde92;color:#7a4b00;text-align:center;padding:8px;font-weight:600}}\
         main{{max-width:460px;margin:32px auto;padding:0 16px}}\
         .box{{background:#fff;border-radius:10px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:24px}}\
         h1{{font-size:1.3rem;margin:0 0 8px}} .amount{{font-size:2rem;font-weight:700;margin:8px 0 20px}}\
         label{{display:block;font-size:.9rem;margin:12px 0 4px}}\
         input{{width:100%;box-sizing:border-box;padding:10px;border:1px solid #c9ced6;border-radius:6px;font-size:1rem}}\
         .row{{display:flex;gap:12px}} .row>div{{flex:1}}\
         button{{width:100%;margin-top:20px;padding:12px;border:0;border-radius:6px;background:#635bff;color:#fff;font-size:1rem;font-weight:600;cursor:pointer}}\
         button.secondary{{background:#e3e8ee;color:#1a1f36}}\
         .error{{background:#fde8e8;color:#9b1c1c;border-radius:6px;padding:10px;margin-top:12px}}\
         .muted{{color:#697386;font-size:.9rem}} a{{color:#635bff}}\
         table{{width:100%;border-collapse:collapse}} td,th{{padding:6px;border-bottom:1px solid #e3e8ee;text-align:left}}\
         </style></head><body><div class=\"test-banner\" role=\"note\">Mode test — aucun paiement réel</div>\
         <main>{body}</main></body></html>"
    ))
}

fn not_found(what: &str) -> Response {
    (StatusCode::NOT_FOUND, page("Introuvable", &format!("<div class=\"box\"><h1>{what}</h1></div>")))
        .into_response()
}

pub async fn onboarding(State(sb): State<Shared>, Path(link): Path<String>) -> Response {
    let Some((record, _)) = sb.get("account_link", &link).await else {
        return not_found("Lien d'inscription inconnu");
    };
    // Like Stripe: a used or expired link sends the user to `refresh_url` for a new one.
    if record["used"] == true || record["expires_at"].as_i64().unwrap_or(0) < now() {
        return Redirect::to(record["refresh_url"].as_str().unwrap_or("/")).into_response();
    }
    let account = record["account"].as_str().unwrap_or_default();
    let name = sb
        .get("account", account)
        .await
        .and_then(|(a, _)| a["settings"]["dashboard"]["display_name"].as_str().map(str::to_owned))
        .unwrap_or_default();
    let body = format!(
        "<div class=\"box\"><h1>Activer les paiements pour {name}</h1>\
         <p class=\"muted\">Compte {account}. Sur Stripe, vous renseigneriez ici votre identité, votre activité et \
         le compte bancaire qui recevra les paiements. Dans ce bac à sable, simulez le résultat :</p>\
         <form method=\"post\"><input type=\"hidden\" name=\"result\" value=\"activate\">\
         <button type=\"submit\">Simuler l'activation</button></form>\
         <form method=\"post\"><input type=\"hidden\" name=\"result\" value=\"submit\">\
         <button type=\"submit\" class=\"secondary\">Envoyer les informations (vérification en cours)</button></form>\
         <p class=\"muted\"><a href=\"{back}\">Revenir à Reglo sans terminer</a></p></div>",
        name = escape(&name),
        account = escape(account),
        back = escape(record["return_url"].as_str().unwrap_or("/")),
    );
    page("Inscription", &body).into_response()
}

pub async fn finish_onboarding(State(sb): State<Shared>, Path(link): Path<String>, body: Bytes) -> Response {
    let Some((mut record, _)) = sb.get("account_link", &link).await else {
        return not_found("Lien d'inscription inconnu");
    };
    if record["used"] == true {
        return Redirect::to(record["refresh_url"].as_str().unwrap_or("/")).into_response();
    }
    let account_id = record["account"].as_str().unwrap_or_default().to_owned();
    let Some((mut account, _)) = sb.get("account", &account_id).await else {
        return not_found("Compte inconnu");
    };
    let activate = super::form(&body).get("result").map(String::as_str) == Some("activate");
    objects::onboarded(&mut account, activate, now());
    record["used"] = json!(true);
    let saved = sb.put("account", &account_id, Some(&account_id), &account).await;
    let saved = saved.and(sb.put("account_link", &link, Some(&account_id), &record).await);
    if saved.is_err() {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Erreur du bac à sable").into_response();
    }
    sb.emit("account.updated", &account_id, &account).await;
    Redirect::to(record["return_url"].as_str().unwrap_or("/")).into_response()
}

fn checkout_page(session: &Value, error: Option<&str>, card: &str) -> Html<String> {
    let amount = Money::from_cents(session["amount_total"].as_i64().unwrap_or(0));
    let body = format!(
        "<div class=\"box\"><p class=\"muted\">{merchant}</p><h1>{product}</h1>\
         <p class=\"amount\">{amount}</p>\
         <form method=\"post\" novalidate>\
         <label for=\"email\">E-mail</label><input id=\"email\" name=\"email\" type=\"email\" value=\"{email}\" autocomplete=\"email\">\
         <label for=\"card\">Numéro de carte</label><input id=\"card\" name=\"card\" inputmode=\"numeric\" autocomplete=\"cc-number\" placeholder=\"4242 4242 4242 4242\" value=\"{card}\">\
         <div class=\"row\"><div><label for=\"exp\">Expiration</label><input id=\"exp\" name=\"exp\" placeholder=\"MM / AA\" autocomplete=\"cc-exp\"></div>\
         <div><label for=\"cvc\">CVC</label><input id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" placeholder=\"123\" autocomplete=\"cc-csc\"></div></div>\
         <label for=\"name\">Titulaire de la carte</label><input id=\"name\" name=\"name\" autocomplete=\"cc-name\">\
         {error}<button type=\"submit\">Payer {amount}</button></form>\
         <p class=\"muted\">Cartes de test : 4242 4242 4242 4242 (acceptée), 4000 0000 0000 0002 (refusée), \
         toute date d'expiration future, tout CVC.</p>\
         <p class=\"muted\"><a href=\"{cancel}\">← Retour</a></p></div>",
        merchant = escape(session["sandbox_business_name"].as_str().unwrap_or_default()),
        product = escape(session["sandbox_product_name"].as_str().unwrap_or_default()),
        email = escape(session["customer_email"].as_str().unwrap_or_default()),
        card = escape(card),
        error = error.map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e))).unwrap_or_default(),
        cancel = escape(session["cancel_url"].as_str().unwrap_or("/")),
    );
    page("Paiement", &body)
}

pub async fn checkout(State(sb): State<Shared>, Path(id): Path<String>) -> Response {
    let Some((session, _)) = sb.get("checkout.session", &id).await else {
        return not_found("Session de paiement inconnue");
    };
    match session["status"].as_str() {
        Some("open") if session["expires_at"].as_i64().unwrap_or(0) > now() => {
            checkout_page(&session, None, "").into_response()
        }
        Some("complete") => Redirect::to(session["success_url"].as_str().unwrap_or("/")).into_response(),
        _ => page(
            "Session expirée",
            &format!(
                "<div class=\"box\"><h1>Cette session de paiement a expiré.</h1><p><a href=\"{}\">Revenir à la facture</a></p></div>",
                escape(session["cancel_url"].as_str().unwrap_or("/"))
            ),
        )
        .into_response(),
    }
}

/// What a test card does, with Stripe's own French messages.
fn card_outcome(number: &str, exp: &str, cvc: &str, today: (i64, u32)) -> Result<(), &'static str> {
    if number.len() < 12
        || !number.bytes().all(|b| b.is_ascii_digit())
        || !app::domain::identifiers::luhn_valid(number)
    {
        return Err("Le numéro de carte est incorrect.");
    }
    let exp: String = exp.chars().filter(|c| c.is_ascii_digit()).collect();
    let valid_exp = exp.len() == 4
        && match (exp[..2].parse::<u32>(), exp[2..].parse::<i64>()) {
            (Ok(m), Ok(y)) => (1..=12).contains(&m) && (2000 + y, m) >= today,
            _ => false,
        };
    if !valid_exp {
        return Err("La date d'expiration de votre carte est incorrecte ou dépassée.");
    }
    if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Le code de sécurité de votre carte est incorrect.");
    }
    match number {
        // 4000 0000 0000 5126: paid, but refunds of it fail (as with Stripe's test card).
        "4242424242424242" | "5555555555554444" | "4000056655665556" | "4000000000005126" => Ok(()),
        "4000000000000002" => Err("Votre carte a été refusée."),
        "4000000000009995" => Err("Votre carte ne dispose pas de fonds suffisants."),
        "4000000000000069" => Err("Votre carte a expiré."),
        _ => Err("Votre carte a été refusée. Votre demande est en mode test, mais vous avez utilisé une carte réelle."),
    }
}

pub async fn pay(State(sb): State<Shared>, Path(id): Path<String>, body: Bytes) -> Response {
    let Some((session, _)) = sb.get("checkout.session", &id).await else {
        return not_found("Session de paiement inconnue");
    };
    if session["status"] != "open" || session["expires_at"].as_i64().unwrap_or(0) <= now() {
        return checkout(State(sb), Path(id)).await;
    }
    let f = super::form(&body);
    let number: String =
        f.get("card").map(|c| c.chars().filter(|c| !c.is_whitespace()).collect()).unwrap_or_default();
    let (y, m, _) = app::domain::Date::from_unix(now()).ymd();
    let outcome = card_outcome(
        &number,
        f.get("exp").map(String::as_str).unwrap_or_default(),
        f.get("cvc").map(|c| c.trim()).unwrap_or_default(),
        (y, m),
    );
    if let Err(message) = outcome {
        return (StatusCode::PAYMENT_REQUIRED, checkout_page(&session, Some(message), &number))
            .into_response();
    }
    match sb.pay(&id, true, number == "4000000000005126").await {
        Ok(paid) => {
            let mut res = Redirect::to(paid["success_url"].as_str().unwrap_or("/")).into_response();
            res.headers_mut().insert(header::CACHE_CONTROL, "no-store".parse().expect("static header"));
            res
        }
        Err(e) => (StatusCode::CONFLICT, checkout_page(&session, Some(&e), "")).into_response(),
    }
}

pub async fn dashboard(State(sb): State<Shared>, Path(account): Path<String>) -> Response {
    let Some((acct, _)) = sb.get("account", &account).await else { return not_found("Compte inconnu") };
    let sessions = sb.list("checkout.session", Some(&account), 50).await;
    let rows: String = sessions
        .iter()
        .map(|s| {
            let s = stripe_view(s);
            let status = match (s["status"].as_str(), s["payment_status"].as_str()) {
                (_, Some("paid")) => "Payé",
                (Some("expired"), _) => "Expiré",
                _ => "En attente",
            };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{status}</td></tr>",
                escape(
                    s["metadata"]["invoice_id"]
                        .as_str()
                        .map(|i| format!("Facture n° interne {i}"))
                        .as_deref()
                        .unwrap_or("—")
                ),
                Money::from_cents(s["amount_total"].as_i64().unwrap_or(0)),
            )
        })
        .collect();
    let refunds: String = sb
        .list("refund", Some(&account), 50)
        .await
        .iter()
        .map(|r| {
            let status = match r["status"].as_str() {
                Some("succeeded") => "Remboursé",
                Some("failed") => "Échec",
                _ => "En cours",
            };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{status}</td></tr>",
                escape(r["id"].as_str().unwrap_or_default()),
                Money::from_cents(r["amount"].as_i64().unwrap_or(0)),
            )
        })
        .collect();
    let refunds = if refunds.is_empty() {
        String::new()
    } else {
        format!(
            "<h2>Remboursements</h2><table><thead><tr><th>Remboursement</th><th>Montant</th><th>État</th></tr></thead>\
             <tbody>{refunds}</tbody></table>"
        )
    };
    let body = format!(
        "<div class=\"box\"><h1>Tableau de bord Stripe (bac à sable)</h1><p class=\"muted\">{name} — {account} — paiements {state}</p>\
         <table><thead><tr><th>Objet</th><th>Montant</th><th>État</th></tr></thead><tbody>{rows}</tbody></table>\
         {empty}{refunds}</div>",
        name = escape(acct["settings"]["dashboard"]["display_name"].as_str().unwrap_or_default()),
        account = escape(&account),
        state = if acct["charges_enabled"] == true { "activés" } else { "non activés" },
        empty = if sessions.is_empty() { "<p class=\"muted\">Aucun paiement pour le moment.</p>" } else { "" },
    );
    page("Tableau de bord", &body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_cards_behave_like_stripe() {
        let today = (2026, 11);
        assert_eq!(card_outcome("4242424242424242", "12/30", "123", today), Ok(()));
        assert_eq!(
            card_outcome("4000000000000002", "12/30", "123", today),
            Err("Votre carte a été refusée.")
        );
        assert!(card_outcome("4242424242424241", "12/30", "123", today).unwrap_err().contains("incorrect"));
        assert!(card_outcome("4242424242424242", "10/26", "123", today).unwrap_err().contains("expiration"));
        assert_eq!(card_outcome("4242424242424242", "11/26", "123", today), Ok(()));
        assert!(card_outcome("4242424242424242", "12/30", "1", today).unwrap_err().contains("sécurité"));
        assert!(card_outcome("4012888888881881", "12/30", "123", today).unwrap_err().contains("mode test"));
    }
}
