//! Which WASM bundle a page loads. Each holds only the islands of its kind of page (`pages`):
//! a WASM module keeps every function its code may call through a pointer, so one module split
//! in chunks still weighed what all pages need. cargo-leptos builds the dashboard's,
//! `reglo.<hash>.js`; `.ci/bundles.sh` writes the others beside it: `reglo-new-invoice.<hash>.js`
//! for the editor of a new invoice, `reglo-invoices.<hash>.js` for the other invoice pages (an
//! invoice, issued or draft), `reglo-quotes.<hash>.js` for the quote pages, `reglo-auth.<hash>.js` for
//! the pages of a visitor not logged in (log-in, sign-up, passwords) and `reglo-pages.<hash>.js`
//! for the rest.

use leptos::config::LeptosOptions;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

static MISSING_SAID: AtomicBool = AtomicBool::new(false);

/// The bundle of the page at `path`, `None` for cargo-leptos's own.
fn bundle_of(path: &str) -> Option<&'static str> {
    match path {
        "/" => None,
        "/factures/nouvelle" => Some("new-invoice"),
        _ if path.starts_with("/factures/") => Some("invoices"),
        _ if path.starts_with("/devis/") => Some("quotes"),
        "/connexion" | "/inscription" | "/mot-de-passe-oublie" => Some("auth"),
        _ if path.starts_with("/mot-de-passe/") => Some("auth"),
        _ => Some("pages"),
    }
}

/// `options` with the hydration scripts pointed at this page's bundle. Without the bundle's
/// files the page stays as the server rendered it: links and forms work, nothing else.
pub fn for_this_page(mut options: LeptosOptions) -> LeptosOptions {
    let path = leptos::prelude::use_context::<http::request::Parts>().map(|p| p.uri.path().to_owned());
    let Some(bundle) = path.as_deref().and_then(bundle_of) else { return options };
    let prefix = format!("{}-{bundle}.", options.output_name);
    match pkg_files(&options).iter().find_map(|f| f.strip_prefix(&prefix)?.strip_suffix(".js")) {
        Some(hash) => {
            options.output_name = format!("{prefix}{hash}").into();
            // Its name is complete: the hash file names cargo-leptos's own bundle only.
            options.hash_files = false;
        }
        // Said once: the files do not appear until the next start.
        None if !MISSING_SAID.swap(true, Ordering::Relaxed) => {
            tracing::warn!(bundle, "a bundle's files are missing: run .ci/bundles.sh")
        }
        None => {}
    }
    options
}

/// The names in the site's `/pkg`, read once: they change only with a new build.
fn pkg_files(options: &LeptosOptions) -> &'static [String] {
    static FILES: OnceLock<Vec<String>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
        std::fs::read_dir(dir)
            .map(|entries| entries.flatten().filter_map(|e| e.file_name().into_string().ok()).collect())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_page_loads_its_own_bundle() {
        assert_eq!(super::bundle_of("/"), None);
        assert_eq!(super::bundle_of("/factures/nouvelle"), Some("new-invoice"));
        assert_eq!(super::bundle_of("/factures/12"), Some("invoices"));
        assert_eq!(super::bundle_of("/devis/12"), Some("quotes"));
        assert_eq!(super::bundle_of("/factures"), Some("pages"));
        assert_eq!(super::bundle_of("/connexion"), Some("auth"));
        assert_eq!(super::bundle_of("/mot-de-passe/abc"), Some("auth"));
        assert_eq!(super::bundle_of("/clients"), Some("pages"));
    }
}
