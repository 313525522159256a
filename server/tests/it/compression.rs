//! What goes out compressed: pages, styles and scripts in brotli or gzip as the browser accepts
//! them, the WASM as compressed at build time; never the live events, which must leave one by
//! one, nor PDFs. And how long browsers and caches may keep it.

use crate::common::*;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING};

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

#[tokio::test]
async fn hashed_pkg_files_are_kept_a_year_precompressed_ones_sent_as_such_and_pages_kept_private() {
    for hashed in [true, false] {
        let app = spawn_app_with_options(TestOptions { hashed_assets: hashed, ..Default::default() }).await;
        let pkg = app.data_dir.path().join("site/pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("reglo.q1Xz.wasm"), vec![0u8; 4096]).unwrap();
        std::fs::write(pkg.join("reglo.q1Xz.wasm.br"), b"as compressed by the build").unwrap();
        let get = |path: &str| client().get(app.url(path)).header(ACCEPT_ENCODING, "br, gzip").send();

        let wasm = get("/pkg/reglo.q1Xz.wasm").await.unwrap();
        assert_eq!(wasm.status(), 200);
        let kept = if hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
        assert_eq!(wasm.headers()[CACHE_CONTROL], kept, "hashed names: {hashed}");
        assert_eq!(wasm.headers()[CONTENT_ENCODING], "br");
        assert_eq!(wasm.bytes().await.unwrap().as_ref(), b"as compressed by the build");

        // A name that is not there is no file to keep.
        let missing = get("/pkg/reglo.other.wasm").await.unwrap();
        assert_eq!(missing.status(), 404);
        assert_ne!(missing.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");

        let page = get("/connexion").await.unwrap();
        assert_eq!(page.headers()[CACHE_CONTROL], "private, no-cache");
    }
}
