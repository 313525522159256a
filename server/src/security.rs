//! Request guards: cross-site request refusal, the log-in wall for pages, client IPs and
//! security headers.

use crate::client_address::{client_of, limit_key, Network};
use app::services::{accounts, session_cookie};
use app::state::{AppState, ClientIp};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// Paths that are not pages of the logged-in app.
const NOT_PAGES: [&str; 12] = [
    "/api/",
    "/pkg/",
    "/media/",
    "/healthz",
    "/events",
    "/webhooks/",
    "/pay/",
    "/quote/",
    "/_sandbox/",
    "/parametres/logo",
    "/confirmer/",
    // A password reset link, opened from its e-mail, logged in or not.
    "/mot-de-passe/",
];
/// Pages open without a session (a logged-in visitor goes to the dashboard instead).
const PUBLIC_PAGES: [&str; 3] = ["/connexion", "/inscription", "/mot-de-passe-oublie"];

/// Records who the request comes from (behind trusted proxies, the client they forward for),
/// as the key rate limits and log-in throttling count under.
pub async fn client_ip(State(trusted): State<Arc<Vec<Network>>>, mut req: Request, next: Next) -> Response {
    // In a block of its own: the borrow of the request (whose body is not `Sync`) must end
    // before the request is handed on.
    let ip = {
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
        match req.extensions().get::<ConnectInfo<SocketAddr>>() {
            Some(ConnectInfo(peer)) => {
                limit_key(client_of(peer.ip(), header("x-forwarded-for"), header("forwarded"), &trusted))
            }
            None => "inconnue".into(),
        }
    };
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// Refuses state-changing requests sent by another site. Browsers say where a request comes
/// from (`Sec-Fetch-Site`, or at least `Origin`); requests with neither do not come from a
/// browser page and carry no ambient credentials worth forging.
pub async fn refuse_cross_site(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // Webhooks and the API carry their own credentials; the pay and quote pages carry none (the
    // token in the URL is the credential, which a forged request would need anyway), and send
    // `Origin: null` under their no-referrer policy.
    let path = req.uri().path();
    let machine_endpoint = path.starts_with("/webhooks/")
        || path.starts_with("/api/v1/")
        || path.starts_with("/pay/")
        || path.starts_with("/quote/");
    if safe || machine_endpoint || same_origin(req.headers(), &state.settings.public_url) {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "cross-site request refused");
    (
        StatusCode::FORBIDDEN,
        "Requête refusée : elle ne provient pas de Reglo. Rechargez la page puis réessayez.",
    )
        .into_response()
}

fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return site == "same-origin" || site == "none";
    }
    match header("origin") {
        None => true,
        Some(origin) => {
            let host = header("host").unwrap_or_default();
            origin == public_url
                || origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
        }
    }
}

/// Sends visitors without a session to the log-in page, and logged-in users away from it.
pub async fn page_wall(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let is_page = req.method() == Method::GET
        && !NOT_PAGES.iter().any(|p| path.starts_with(p))
        && !path.rsplit('/').next().unwrap_or_default().contains('.');
    if !is_page {
        return next.run(req).await;
    }
    let logged_in = match session_cookie::token_from_headers(req.headers(), state.settings.secure_cookies()) {
        Some(token) => matches!(accounts::authenticate(&state, &token).await, Ok(Some(_))),
        None => false,
    };
    let public = PUBLIC_PAGES.contains(&path);
    match (public, logged_in) {
        (true, true) => Redirect::to("/").into_response(),
        (false, false) => Redirect::to("/connexion").into_response(),
        _ => next.run(req).await,
    }
}

/// Headers every response gets.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, "nosniff".parse().expect("static header"));
    // Nothing in Reglo needs the camera, the microphone, the position or payment handlers of
    // the browser (Checkout is Stripe's own page).
    h.insert(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
            .parse()
            .expect("static header"),
    );
    // Served over https: browsers never come back over plain http.
    if state.settings.secure_cookies() {
        h.insert(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000".parse().expect("static header"));
    }
    // A response may allow its own site to frame it (the PDF preview); nothing else may.
    if !h.contains_key(header::X_FRAME_OPTIONS) {
        h.insert(header::X_FRAME_OPTIONS, "DENY".parse().expect("static header"));
    }
    // The pay page keeps its stricter no-referrer.
    if !h.contains_key(header::REFERRER_POLICY) {
        h.insert(header::REFERRER_POLICY, "same-origin".parse().expect("static header"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn origin_rules() {
        let public = "https://factures.exemple.fr";
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), public));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site"), ("origin", public)]), public));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")]), public));
        assert!(same_origin(&headers(&[("origin", public)]), public));
        assert!(same_origin(
            &headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]),
            public
        ));
        assert!(!same_origin(
            &headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]),
            public
        ));
        assert!(!same_origin(&headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]), public));
        assert!(same_origin(&headers(&[]), public));
    }
}
