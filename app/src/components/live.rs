//! Live updates for logged-in pages: `/events` (Server-Sent Events) tells when a payment, a
//! refund, an invoice or a quote changed; the page fetches its figures again and flashes them.

use leptos::prelude::*;

/// Bumped by each live event; resources keyed on `version` refetch. `fresh` is true for a
/// moment after each one, for the highlight, and `invoice` names the invoice it was about.
#[derive(Clone, Copy)]
pub struct LiveVersion {
    pub version: RwSignal<u32>,
    pub fresh: RwSignal<bool>,
    pub invoice: RwSignal<Option<i64>>,
}

impl LiveVersion {
    pub fn new() -> Self {
        Self { version: RwSignal::new(0), fresh: RwSignal::new(false), invoice: RwSignal::new(None) }
    }
}

/// The `invoice_id` of an event's data (`{"kind":…,"invoice_id":12,…}`), read without a JSON
/// library in the browser bundle.
pub fn invoice_id_of(data: &str) -> Option<i64> {
    let rest = &data[data.find("\"invoice_id\":")? + "\"invoice_id\":".len()..];
    let digits: String = rest.trim_start().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

impl Default for LiveVersion {
    fn default() -> Self {
        Self::new()
    }
}

/// What the server sends (see `server/src/routes/events.rs`); `resync` follows missed events.
#[cfg(feature = "hydrate")]
const EVENTS: [&str; 5] =
    ["payment_recorded", "refund_recorded", "invoice_changed", "quote_changed", "resync"];

/// Listens while the page is open. The browser's EventSource reconnects by itself after a
/// network drop; on reconnection the page refetches, in case it missed something meanwhile.
#[cfg(feature = "hydrate")]
pub fn listen(live: LiveVersion) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    Effect::new(move |_| {
        let Ok(source) = web_sys::EventSource::new("/events") else { return };
        let on_event =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let about_invoice = event.type_() != "quote_changed";
                live.invoice.set(
                    event.data().as_string().as_deref().and_then(invoice_id_of).filter(|_| about_invoice),
                );
                live.version.update(|v| *v += 1);
                live.fresh.set(true);
                set_timeout(move || live.fresh.set(false), std::time::Duration::from_millis(1500));
            });
        for kind in EVENTS {
            let _ = source.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
        }
        // `open` fires on the first connection too: only later ones mean something was missed.
        let opened = std::cell::Cell::new(false);
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if opened.replace(true) {
                live.version.update(|v| *v += 1);
            }
        });
        let _ = source.add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref());
        // All live as long as the page: closed (and the callbacks freed) when it goes.
        let kept = send_wrapper::SendWrapper::new((source, on_event, on_open));
        on_cleanup(move || kept.0.close());
    });
}

#[cfg(not(feature = "hydrate"))]
pub fn listen(_live: LiveVersion) {}

#[cfg(test)]
mod tests {
    #[test]
    fn the_invoice_of_an_event() {
        assert_eq!(
            super::invoice_id_of(r#"{"kind":"payment_recorded","invoice_id":12,"amount_cents":100}"#),
            Some(12)
        );
        assert_eq!(super::invoice_id_of(r#"{"invoice_id": 7}"#), Some(7));
        assert_eq!(super::invoice_id_of("{}"), None);
    }
}
