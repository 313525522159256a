//! The client's quote page, `GET /quote/{token}`: the quote branded as the pay page is, its PDF
//! at `GET /quote/{token}/pdf`, and the answer as a plain form `POST /quote/{token}` (accept
//! with the full name and « Bon pour accord », or refuse with an optional reason), so that it
//! works without JavaScript. No app bundle is sent to the client.

use super::pay::{client_pdf, page_shell, with_headers};
use app::domain::date::french_date;
use app::domain::email_message::escape;
use app::domain::quote::may_answer;
use app::domain::{BrandColor, FieldErrors, QuoteStatus};
use app::error::AppError;
use app::ports::QuoteRecord;
use app::services::{business, invoices, quote_invoices, quote_pdf, quotes};
use app::state::{AppState, ClientIp};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

const FOOTER: &str = "Devis envoyé avec Reglo";

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    /// `accept` or `refuse`: the button pressed.
    #[serde(default)]
    action: String,
    #[serde(default)]
    full_name: String,
    /// Present when « Bon pour accord » is ticked.
    #[serde(default)]
    accept: Option<String>,
    #[serde(default)]
    reason: String,
}

fn not_found() -> Response {
    let body = "<div class=\"card\"><h1>Devis introuvable</h1>\
                <p class=\"muted\">Ce lien n'est pas valide ou n'est plus actif. Vérifiez l'adresse reçue \
                par e-mail, ou contactez l'entreprise qui vous a envoyé le devis.</p></div>";
    with_headers(
        StatusCode::NOT_FOUND,
        page_shell("Devis introuvable", "#475467", body, false, FOOTER),
        false,
        None,
    )
}

/// Where the deposit of an accepted quote stands, and whether the page should look again
/// (a card payment just made, its webhook not yet landed). « Payer l'acompte » posts to
/// `/quote/{token}/acompte` for a deposit invoice that the payment will issue, or to the pay link
/// of one already issued; either answers with a 303 to Checkout. Empty without a deposit.
async fn deposit_block(
    state: &AppState,
    business_id: i64,
    quote: &QuoteRecord,
    token: &str,
    returning: Option<&str>,
) -> (String, bool) {
    use app::domain::{InvoiceStatus, PaymentMethod};
    let Ok(invoices) = quote_invoices::of_quote(state, business_id, quote.id).await else {
        return (String::new(), false);
    };
    let Some(deposit) = quote_invoices::deposit_invoice(&invoices) else {
        return (String::new(), false);
    };
    let number = escape(&deposit.number.clone().unwrap_or_default());
    let online = deposit.content.payment_methods.iter().any(|m| m == PaymentMethod::PaymentLink.code());
    let unissued = deposit.status == InvoiceStatus::Draft;
    let action = if unissued {
        Some(format!("/quote/{token}/acompte"))
    } else {
        invoices::pay_url(state, deposit)
            .and_then(|url| url.find("/pay/").map(|at| url[at..].to_owned()))
            .filter(|_| online && deposit.status.awaits_payment())
    };
    let waiting = returning == Some("confirmation") && (unissued || deposit.status.awaits_payment());
    let html = match action {
        _ if deposit.status == InvoiceStatus::Paid => format!(
            "<div class=\"alert ok\" role=\"status\">Acompte de {} payé : la facture d'acompte {number} \
             vous a été envoyée par e-mail. Merci !</div>",
            deposit.total_ttc
        ),
        _ if waiting => "<div class=\"alert info\" role=\"status\">Paiement de l'acompte en cours de confirmation… \
             Cette page se met à jour d'elle-même.</div>"
            .to_owned(),
        Some(action) => format!(
            "{cancelled}<div class=\"card\"><h2>Acompte à régler</h2><p>Acompte demandé à l'acceptation : \
             <strong>{amount}</strong>.</p>\
             <form method=\"post\" action=\"{action}\"><button class=\"pay\" type=\"submit\">Payer l'acompte</button></form>\
             <p class=\"muted\">Paiement sécurisé par carte bancaire. La facture d'acompte vous est envoyée dès le paiement reçu.</p></div>",
            cancelled = if returning == Some("annule") {
                "<div class=\"alert info\" role=\"status\">Paiement annulé : aucun montant n'a été débité.</div>"
            } else {
                ""
            },
            amount = deposit.amount_due(),
            action = escape(&action),
        ),
        None => format!(
            "<div class=\"alert info\" role=\"status\">La facture d'acompte {number} ({}) vous a été envoyée par e-mail, \
             avec les moyens de la régler.</div>",
            deposit.total_ttc
        ),
    };
    (html, waiting)
}

/// How the client comes back from Checkout: `?paiement=confirmation` or `?paiement=annule`.
#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    #[serde(default)]
    paiement: Option<String>,
}

/// The page of `quote`: what it says, then the answer form, or where the quote stands.
#[allow(clippy::too_many_arguments)]
fn render(
    state: &AppState,
    token: &str,
    quote: &QuoteRecord,
    status: StatusCode,
    form: &AnswerForm,
    problem: Option<&AppError>,
    (deposit_status, refresh): (&str, bool),
) -> Response {
    let seller = quote.seller.clone().unwrap_or_default();
    let brand = BrandColor::parse(&seller.brand_color)
        .map_or_else(|_| "#1E50A0".to_owned(), |c| c.as_str().to_owned());
    let number = quote.number.clone().unwrap_or_default();
    let logo = quote
        .logo_file
        .as_deref()
        .map(|f| format!("<img src=\"{}\" alt=\"{}\">", business::logo_url(f), escape(&seller.name)))
        .unwrap_or_default();
    let franchise = seller.is_franchise();
    let lines: String = quote
        .content
        .lines
        .iter()
        .filter_map(|l| l.parse(franchise).ok())
        .map(|l| format!("<tr><td>{}</td><td>{}</td></tr>", escape(&l.description), l.total_ht()))
        .collect();
    let today = invoices::today(state);
    let valid_until = app::domain::Date::parse(&quote.valid_until).unwrap_or(today);
    let deposit = if quote.deposit.cents() > 0 {
        format!("<dt>Acompte à l'acceptation</dt><dd>{}</dd>", quote.deposit)
    } else {
        String::new()
    };
    let notice = match problem {
        Some(AppError::Invalid(_)) | None => String::new(),
        Some(e) => format!("<div class=\"alert warn\" role=\"alert\">{}</div>", escape(&e.to_string())),
    };
    let errors = match problem {
        Some(AppError::Invalid(errors)) => errors.clone(),
        _ => FieldErrors::default(),
    };
    let error = |field: &str| {
        errors
            .get(field)
            .map(|m| format!("<p class=\"late\" id=\"{field}-error\">{}</p>", escape(&m)))
            .unwrap_or_default()
    };
    let answer = match (&quote.answer, may_answer(quote.status, valid_until, quote.replaced_by.is_some(), today)) {
        (Some(a), _) if a.accepted => format!(
            "<div class=\"alert ok\" role=\"status\">Devis accepté par {} le {}. Merci ! {} en a été informé.</div>",
            escape(&a.full_name),
            app::domain::Date::from_unix(a.at).french(),
            escape(&seller.name)
        ),
        (Some(_), _) if quote.status == QuoteStatus::Refused => {
            "<div class=\"alert info\" role=\"status\">Vous avez refusé ce devis.</div>".to_owned()
        }
        (_, Err(why)) => format!("<div class=\"alert info\" role=\"status\">{}</div>", escape(&why)),
        (_, Ok(())) => format!(
            "<form method=\"post\" class=\"card\" aria-labelledby=\"accept-title\">\
               <h2 id=\"accept-title\">Accepter le devis</h2>\
               <p><label for=\"full_name\">Vos prénom et nom</label><br>\
               <input id=\"full_name\" name=\"full_name\" autocomplete=\"name\" maxlength=\"120\" value=\"{name}\" \
               style=\"width:100%;padding:10px\"></p>{name_error}\
               <p><label><input type=\"checkbox\" name=\"accept\" value=\"on\"{checked}> Bon pour accord : j'accepte ce devis \
               et ses conditions.</label></p>{accept_error}\
               <button class=\"pay\" name=\"action\" value=\"accept\">Accepter le devis</button>\
               <h2>Refuser le devis</h2>\
               <p><label for=\"reason\">Motif (facultatif)</label><br>\
               <textarea id=\"reason\" name=\"reason\" maxlength=\"1000\" rows=\"3\" style=\"width:100%\">{reason}</textarea></p>{reason_error}\
               <button class=\"secondary\" name=\"action\" value=\"refuse\">Refuser le devis</button>\
             </form>",
            name = escape(&form.full_name),
            checked = if form.accept.is_some() { " checked" } else { "" },
            reason = escape(&form.reason),
            name_error = error("full_name"),
            accept_error = error("accept"),
            reason_error = error("reason"),
        ),
    };
    let body = format!(
        "{notice}<div class=\"card\"><header>{logo}<div><h1>Devis {number}</h1>\
         <div class=\"muted\">{seller_name}</div></div></header>\
         <p class=\"muted\">Pour {client}</p><div class=\"due\">{total}</div>\
         <dl><dt>Date du devis</dt><dd>{date}</dd><dt>Valable jusqu'au</dt><dd>{until}</dd>{deposit}</dl>\
         <table class=\"lines\">{lines}</table>\
         <p><a href=\"/quote/{token}/pdf\">Télécharger le devis (PDF)</a></p></div>{answer}{deposit_status}",
        number = escape(&number),
        seller_name = escape(&seller.name),
        client = escape(&quote.client_name),
        total = quote.total_ttc,
        date = french_date(&quote.date),
        until = french_date(&quote.valid_until),
    );
    let title = format!("Devis {number} — {}", seller.name);
    // « Payer l'acompte » posts here and is redirected to Checkout, which the policy must allow.
    let checkout = state.payments.checkout_origin();
    with_headers(status, page_shell(&title, &brand, &body, false, FOOTER), refresh, Some(&checkout))
}

pub async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(params): Query<PageParams>,
) -> Response {
    match quotes::by_token(&state, &token).await {
        Ok((business_id, quote)) => match quotes::viewed(&state, business_id, quote).await {
            Ok(quote) => {
                let returning = params.paiement.as_deref();
                let (deposit, refresh) = deposit_block(&state, business_id, &quote, &token, returning).await;
                let form = AnswerForm::default();
                render(&state, &token, &quote, StatusCode::OK, &form, None, (&deposit, refresh))
            }
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Err(AppError::NotFound(_)) => not_found(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The answer: recorded, then back to the page (303); or the page again with what to fix.
pub async fn answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    Form(form): Form<AnswerForm>,
) -> Response {
    let answer = quotes::Answer {
        accept: form.action != "refuse",
        full_name: form.full_name.clone(),
        agreed: form.accept.is_some(),
        reason: form.reason.clone(),
        address: ip.0.clone(),
        browser: headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned(),
    };
    match quotes::answer(&state, &token, &answer).await {
        Ok(_) => Redirect::to(&format!("/quote/{token}?reponse=1")).into_response(),
        Err(AppError::NotFound(_)) => not_found(),
        Err(problem @ (AppError::Invalid(_) | AppError::Refused(_))) => {
            let Ok((business_id, quote)) = quotes::by_token(&state, &token).await else { return not_found() };
            let (deposit, _) = deposit_block(&state, business_id, &quote, &token, None).await;
            let status = if matches!(problem, AppError::Invalid(_)) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            render(&state, &token, &quote, status, &form, Some(&problem), (&deposit, false))
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// « Payer l'acompte »: to Checkout (303), or the page again with why not.
pub async fn pay_deposit(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match quote_invoices::pay_deposit(&state, &token).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(AppError::NotFound(_)) => not_found(),
        Err(problem @ AppError::Refused(_)) => {
            let Ok((business_id, quote)) = quotes::by_token(&state, &token).await else { return not_found() };
            let (deposit, _) = deposit_block(&state, business_id, &quote, &token, None).await;
            let form = AnswerForm::default();
            render(&state, &token, &quote, StatusCode::CONFLICT, &form, Some(&problem), (&deposit, false))
        }
        Err(e) => {
            tracing::error!(error = %e, "deposit checkout could not start");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The quote's PDF: the accepted copy once accepted.
pub async fn pdf(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Ok((business_id, quote)) = quotes::by_token(&state, &token).await else { return not_found() };
    match quote_pdf::render(&state, business_id, &quote, true).await {
        Ok((name, bytes)) => client_pdf(&name, bytes),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
