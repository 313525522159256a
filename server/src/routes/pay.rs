//! The client's pay page, `GET /pay/{token}`: the invoice branded with the business's logo and
//! colour, « Payer la facture » (a plain form POST answered by a 303 to Checkout, so it works
//! without JavaScript), and its PDF at `GET /pay/{token}/pdf`. Small, server-rendered HTML:
//! no app bundle is sent to the client.

use app::domain::date::french_date;
use app::domain::email_message::escape;
use app::domain::{transfer_qr, Bic, BrandColor, Iban, PaymentMethod};
use app::error::AppError;
use app::services::checkout::{self, PayPage};
use app::services::{business, invoice_pdf};
use app::state::{AppState, ClientIp};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

/// Middleware of every pay-page route: requests per client IP and minute
/// (`REGLO_PAY_RATE_PER_MINUTE`), counted across instances; the same 429 page for every route.
/// The page's own refresh while a payment confirms (every 3 s) counts apart, so that waiting
/// for the webhook never uses up the client's allowance.
pub async fn rate_limit(
    State(state): State<AppState>,
    Extension(ip): Extension<ClientIp>,
    req: Request,
    next: Next,
) -> Response {
    let per_minute = state.settings.pay_rate_per_minute;
    let refresh = req.method() == axum::http::Method::GET
        && req.uri().query().is_some_and(|q| q.split('&').any(|p| p == "paiement=confirmation"));
    let bucket = if refresh { "pay-refresh" } else { "pay" };
    if state.limits.allow(&format!("{bucket}:{}", ip.0), per_minute, 60, state.now()).await {
        next.run(req).await
    } else {
        too_many()
    }
}

#[derive(Debug, Deserialize)]
pub struct PayParams {
    /// `confirmation` back from Checkout, `annule` when the client went back.
    #[serde(default)]
    paiement: Option<String>,
}

const STYLE: &str = "\
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;\
background:#f2f4f7;color:#101828;line-height:1.45}main{max-width:560px;margin:0 auto;padding:16px}\
.card{background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(16,24,40,.1);padding:20px;margin-bottom:16px;border-top:6px solid var(--brand)}\
header{display:flex;align-items:center;gap:12px;margin-bottom:12px}header img{max-height:56px;max-width:160px}\
h1{font-size:1.25rem;margin:0}.muted{color:#475467;font-size:.92rem}.due{font-size:2rem;font-weight:700;margin:4px 0}\
dl{display:grid;grid-template-columns:1fr auto;gap:6px 12px;margin:12px 0}dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}\
.lines{width:100%;border-collapse:collapse;font-size:.92rem}.lines td{padding:6px 0;border-bottom:1px solid #eaecf0}\
.lines td:last-child{text-align:right;white-space:nowrap}\
.pay{display:block;width:100%;padding:16px;border:0;border-radius:10px;background:var(--brand);color:#fff;\
font-size:1.15rem;font-weight:700;cursor:pointer;text-align:center;text-decoration:none}\
.secondary{display:block;width:100%;padding:12px;border:1px solid #d0d5dd;border-radius:10px;background:#fff;\
color:#344054;font-size:1rem;font-weight:600;cursor:pointer}\
.alert{border-radius:10px;padding:12px 14px;margin-bottom:16px}.ok{background:#ecfdf3;color:#05603a}\
.info{background:#eff8ff;color:#175cd3}.warn{background:#fffaeb;color:#93370d}.late{color:#b42318;font-weight:600}\
.test{background:#ffde92;color:#7a4b00;text-align:center;padding:6px;font-weight:600}a{color:var(--brand)}\
footer{text-align:center;color:#667085;font-size:.8rem;padding:8px}\
.transfer{margin-top:20px;border-top:1px solid #eaecf0;padding-top:12px}h2{font-size:1.05rem;margin:0 0 8px}\
.qr{width:180px;margin:0 auto}.qr svg{display:block;width:100%;height:auto}\
.transfer dd{word-break:break-word}.copy{user-select:all;-webkit-user-select:all;font-family:ui-monospace,monospace}";

/// The page's headers: not indexed, no referrer (the token is in the URL), nothing framed,
/// no script at all; forms post to the page itself, and to `checkout` (Checkout's origin) when
/// the page offers to pay.
pub(super) fn with_headers(
    status: StatusCode,
    html: String,
    refresh: bool,
    checkout: Option<&str>,
) -> Response {
    let mut res = (status, Html(html)).into_response();
    let h = res.headers_mut();
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&format!(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'{}; frame-ancestors 'none'; base-uri 'none'",
            checkout.map(|origin| format!(" {origin}")).unwrap_or_default()
        ))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'; form-action 'self'")),
    );
    // Also without JavaScript, the page looks again until the webhook has landed.
    if refresh {
        h.insert(header::REFRESH, HeaderValue::from_static("3"));
    }
    res
}

fn shell(title: &str, brand: &str, body: &str, test_mode: bool) -> String {
    page_shell(title, brand, body, test_mode, "Paiement sécurisé par Stripe · facture émise avec Reglo")
}

/// A client page (pay page, quote page): small, server-rendered, branded with `brand`.
pub(super) fn page_shell(title: &str, brand: &str, body: &str, test_mode: bool, footer: &str) -> String {
    let test = if test_mode {
        "<div class=\"test\" role=\"note\">Mode test — aucun paiement réel</div>"
    } else {
        ""
    };
    format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex, nofollow\"><meta name=\"referrer\" content=\"no-referrer\">\
         <title>{title}</title><style>:root{{--brand:{brand}}}{STYLE}</style></head>\
         <body>{test}<main>{body}</main><footer>{footer}</footer></body></html>",
        title = escape(title),
    )
}

fn not_found() -> Response {
    let body = "<div class=\"card\"><h1>Lien de paiement introuvable</h1>\
                <p class=\"muted\">Ce lien n'est pas valide ou n'est plus actif. Vérifiez l'adresse reçue \
                par e-mail, ou contactez l'entreprise qui vous a envoyé la facture.</p></div>";
    with_headers(StatusCode::NOT_FOUND, shell("Lien introuvable", "#475467", body, false), false, None)
}

pub(super) fn too_many() -> Response {
    let body = "<div class=\"card\"><h1>Trop de demandes</h1><p class=\"muted\">Patientez une minute puis rechargez la page.</p></div>";
    let mut res = with_headers(
        StatusCode::TOO_MANY_REQUESTS,
        shell("Trop de demandes", "#475467", body, false),
        false,
        None,
    );
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    res
}

fn render(token: &str, page: &PayPage, notice: Option<&str>, checkout: &str) -> Response {
    let invoice = &page.invoice;
    let seller = invoice.seller.clone().unwrap_or_default();
    let client = invoice.client.clone().unwrap_or_default();
    let brand = BrandColor::parse(&seller.brand_color)
        .map_or_else(|_| "#1d4ed8".to_owned(), |c| c.as_str().to_owned());
    let number = invoice.number.clone().unwrap_or_default();
    let logo = page
        .business
        .logo_file
        .as_deref()
        .map(|f| format!("<img src=\"{}\" alt=\"{}\">", escape(&business::logo_url(f)), escape(&seller.name)))
        .unwrap_or_default();
    let paid_on = page.paid_on().map(french_date);
    let waiting = notice == Some("confirmation") && paid_on.is_none();
    let banner = match (paid_on.as_deref(), notice) {
        (Some(date), _) => format!(
            "<div class=\"alert ok\" role=\"status\"><strong>Facture réglée le {date} — merci !</strong><br>\
             <a href=\"/pay/{token}/pdf\">Télécharger la facture acquittée (PDF)</a></div>"
        ),
        (None, Some("confirmation")) => "<div class=\"alert info\" role=\"status\"><strong>Paiement en cours de confirmation…</strong><br>\
             Cette page se met à jour toute seule dans quelques secondes.</div>"
            .to_owned(),
        (None, Some("annule")) => "<div class=\"alert warn\" role=\"status\">Paiement annulé : aucun montant n'a été débité. \
             Vous pouvez réessayer quand vous le souhaitez.</div>"
            .to_owned(),
        _ => String::new(),
    };
    let lines: String = invoice
        .content
        .lines
        .iter()
        .take(20)
        .map(|l| {
            format!(
                "<tr><td>{}</td><td>{} {}</td></tr>",
                escape(&l.description),
                escape(&l.quantity),
                escape(&l.unit)
            )
        })
        .collect();
    let more = invoice.content.lines.len().saturating_sub(20);
    let more = if more > 0 {
        format!("<p class=\"muted\">… et {more} autre(s) ligne(s) : voir le PDF.</p>")
    } else {
        String::new()
    };
    let due_label = if page.overdue() {
        format!("<span class=\"late\">en retard — échéance le {}</span>", french_date(&invoice.due_date))
    } else {
        format!("à régler avant le {}", french_date(&invoice.due_date))
    };
    let action = if page.can_pay && !waiting {
        format!(
            "<form method=\"post\" action=\"/pay/{token}\"><button class=\"pay\" type=\"submit\">Payer la facture</button></form>\
             <p class=\"muted\" style=\"text-align:center\">Paiement par carte bancaire sécurisé par Stripe.</p>"
        )
    } else if invoice.status.awaits_payment() && !waiting {
        let methods: Vec<&str> = invoice
            .content
            .payment_methods
            .iter()
            .filter_map(|c| PaymentMethod::from_code(c))
            .filter(|m| *m != PaymentMethod::PaymentLink)
            .map(|m| m.label())
            .collect();
        let why = page
            .below_minimum
            .as_deref()
            .unwrap_or("Le paiement en ligne n'est pas disponible pour cette facture.");
        format!("<p class=\"muted\">{} Moyens acceptés : {}.</p>", escape(why), escape(&methods.join(", ")))
    } else {
        String::new()
    };
    let transfer = if invoice.status.awaits_payment() && !waiting {
        transfer_block(invoice, page.due(), page.can_pay)
    } else {
        String::new()
    };
    let already = if invoice.amount_paid.cents() > 0 {
        format!("<dt>Déjà payé</dt><dd>{}</dd>", invoice.amount_paid)
    } else {
        String::new()
    };
    let credited = if invoice.amount_credited.cents() > 0 {
        format!("<dt>Avoir</dt><dd>− {}</dd>", invoice.amount_credited)
    } else {
        String::new()
    };
    let due_block = if paid_on.is_some() {
        String::new()
    } else {
        format!("<p class=\"muted\">Montant à payer</p><p class=\"due\">{}</p><p>{due_label}</p>", page.due())
    };
    let body = format!(
        "{banner}<div class=\"card\"><header>{logo}<div><h1>{seller_name}</h1><p class=\"muted\">{address}</p></div></header>\
         <p class=\"muted\">Facture <strong>{number}</strong> du {issued} pour {client}</p>{due_block}{action}{transfer}</div>\
         <div class=\"card\"><h1>Détail</h1><table class=\"lines\">{lines}</table>{more}\
         <dl><dt>Total HT</dt><dd>{ht}</dd><dt>Total TTC</dt><dd>{ttc}</dd>{credited}{already}\
         <dt><strong>Reste à payer</strong></dt><dd><strong>{due}</strong></dd></dl>\
         <p><a href=\"/pay/{token}/pdf\">Télécharger la facture (PDF)</a></p>\
         <p class=\"muted\">{seller_name} · SIRET {siret} · {email}</p></div>",
        seller_name = escape(&seller.name),
        address = escape(&format!("{} {} {}", seller.address_line1, seller.postal_code, seller.city)),
        issued = french_date(&invoice.issue_date),
        client = escape(&client.name),
        number = escape(&number),
        ht = invoice.total_ht,
        ttc = invoice.total_ttc,
        due = page.due(),
        siret = escape(&seller.siret),
        email = escape(&seller.email),
    );
    let title = format!("Facture {number} — {}", seller.name);
    with_headers(StatusCode::OK, shell(&title, &brand, &body, page.test_mode), waiting, Some(checkout))
}

/// « Payer par virement »: the EPC QR code a banking app scans, and the details to copy, when
/// the invoice accepts transfers to the business's IBAN.
fn transfer_block(invoice: &app::ports::InvoiceRecord, due: app::domain::Money, card: bool) -> String {
    let seller = invoice.seller.clone().unwrap_or_default();
    let methods: Vec<PaymentMethod> =
        invoice.content.payment_methods.iter().filter_map(|c| PaymentMethod::from_code(c)).collect();
    let number = invoice.number.clone().unwrap_or_default();
    let Some(payload) = transfer_qr::for_invoice(&seller, &methods, &number, due) else {
        return String::new();
    };
    let Ok(svg) = crate::pdf::qr_svg(&payload) else { return String::new() };
    let svg = svg.find("<svg").map_or("", |at| &svg[at..]);
    let iban = Iban::parse(&seller.iban).map(|i| i.to_string()).unwrap_or_default();
    let bic = Bic::parse(&seller.bic)
        .map(|b| format!("<dt>BIC</dt><dd><span class=\"copy\">{}</span></dd>", b.as_str()))
        .unwrap_or_default();
    format!(
        "<section class=\"transfer\" aria-labelledby=\"virement\"><h2 id=\"virement\">{title}</h2>\
         <div class=\"qr\" role=\"img\" aria-label=\"QR code du virement SEPA de {due}\">{svg}</div>\
         <p class=\"muted\">Scannez ce code avec l'application de votre banque : le virement est pré-rempli. \
         Ou recopiez ces coordonnées :</p>\
         <dl><dt>Bénéficiaire</dt><dd>{name}</dd><dt>IBAN</dt><dd><span class=\"copy\">{iban}</span></dd>{bic}\
         <dt>Montant</dt><dd>{due}</dd><dt>Référence</dt><dd><span class=\"copy\">{number}</span></dd></dl></section>",
        title = if card { "Ou payer par virement" } else { "Payer par virement" },
        name = escape(&seller.name),
        number = escape(&number),
    )
}

pub async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(params): Query<PayParams>,
) -> Response {
    match checkout::page(&state, &token).await {
        Ok(Some(page)) => {
            render(&token, &page, params.paiement.as_deref(), &state.payments.checkout_origin())
        }
        Ok(None) => not_found(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// « Payer la facture »: 303 to Checkout, or back to the page with the reason.
pub async fn pay(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match checkout::start(&state, &token).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(AppError::NotFound(_)) => not_found(),
        Err(e) => {
            let body = format!(
                "<div class=\"card\"><h1>Paiement impossible</h1><p>{}</p><p><a href=\"/pay/{token}\">Revenir à la facture</a></p></div>",
                escape(&e.to_string())
            );
            with_headers(
                StatusCode::CONFLICT,
                shell("Paiement impossible", "#475467", &body, false),
                false,
                None,
            )
        }
    }
}

/// A PDF served under a client's secret link: like the owner's, and with no referrer.
pub(super) fn client_pdf(name: &str, bytes: Vec<u8>) -> Response {
    let mut res = super::pdf::pdf_response(name, bytes);
    res.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

pub async fn pdf(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Ok(Some((business_id, invoice))) = checkout::find(&state, &token).await else { return not_found() };
    let acquitted = invoice.status == app::domain::InvoiceStatus::Paid;
    match invoice_pdf::render(&state, business_id, invoice.id, acquitted).await {
        Ok((name, bytes)) => client_pdf(&name, bytes),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
