//! What goes out compressed: pages, styles and scripts in brotli or gzip as the browser accepts
//! them; never the live events, which must leave one by one, nor PDFs.

use crate::common::*;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING};

#[tokio::test]
async fn pages_go_out_in_brotli_or_gzip_and_live_events_and_pdfs_as_they_are() {
    let app = spawn_app().await;
    let page = |encoding: Option<&'static str>| {
        let mut req = client().get(app.url("/connexion"));
        if let Some(encoding) = encoding {
            req = req.header(ACCEPT_ENCODING, encoding);
        }
        req.send()
    };
    let plain = page(None).await.unwrap();
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let plain_size = plain.bytes().await.unwrap().len();
    for (asked, given) in [("br, gzip", "br"), ("gzip", "gzip")] {
        let res = page(Some(asked)).await.unwrap();
        assert_eq!(res.headers()[CONTENT_ENCODING], given, "{asked}");
        let size = res.bytes().await.unwrap().len();
        assert!(size * 10 < plain_size * 7, "{given}: {size} bytes against {plain_size}");
    }

    let browser = client();
    let id = issued_invoice(&app, &browser, "100").await;
    let pdf = browser
        .get(app.url(&format!("/invoices/{id}/pdf")))
        .header(ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert!(pdf.headers().get(CONTENT_ENCODING).is_none(), "a PDF is compressed inside already");
    let events = browser.get(app.url("/events")).header(ACCEPT_ENCODING, "br, gzip").send().await.unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    assert!(events.headers().get(CONTENT_ENCODING).is_none(), "live events leave as they happen");
}
