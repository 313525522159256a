//! Chapter 8: Checkout attempts: kept once, listed newest first, found by session, closed
//! (never once complete), and re-fetched at most once per period while open.

use super::fixtures::{attempt, business, buyer, cents, issued, online_payment, person, start_of, timeline};
use super::fixtures::{record_online_payment, Online};
use app::domain::HistoryEvent;
use app::ports::{AttemptStatus, CheckoutAttempt, PaymentRecord, Store};

#[track_caller]
fn assert_same(found: &CheckoutAttempt, saved: &CheckoutAttempt) {
    assert_eq!(
        (&found.session_id, found.business_id, found.invoice_id, &found.account_id, found.amount, found.fee),
        (&saved.session_id, saved.business_id, saved.invoice_id, &saved.account_id, saved.amount, saved.fee)
    );
    assert_eq!(
        (&found.url, found.status, &found.failure, found.expires_at, found.created_at),
        (&saved.url, saved.status, &saved.failure, saved.expires_at, saved.created_at)
    );
}

async fn found(store: &dyn Store, session_id: &str) -> CheckoutAttempt {
    store
        .checkout_attempt(session_id)
        .await
        .expect("checkout_attempt")
        .unwrap_or_else(|| panic!("{session_id}"))
}

/// The sessions `stale_checkout_attempts` gives back among this chapter's, sorted.
async fn stale(store: &dyn Store, now: i64, older_than: i64) -> Vec<String> {
    let attempts = store.stale_checkout_attempts(now, older_than, 50).await.expect("stale_checkout_attempts");
    assert!(attempts.iter().all(|a| a.status == AttemptStatus::Open), "only open attempts: {attempts:?}");
    let mut ours: Vec<String> =
        attempts.into_iter().map(|a| a.session_id).filter(|s| s.starts_with("cs_stale_")).collect();
    ours.sort();
    ours
}

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(8);
    let biz = business(store, "paiements-en-ligne", t).await;
    let other = business(store, "paiements-en-ligne-voisins", t).await;
    let client = buyer(store, biz.id, &person("Client Pressé"), t).await;
    let (k1, _) = issued(store, &biz, &client, "2026-06-01", "2026-07-01", "Coaching", "100", t + 1).await;

    // Each request for a session is numbered before it is sent, never twice the same.
    let r1 = store.new_checkout_request(biz.id, k1, t + 5).await.expect("new_checkout_request");
    let r2 = store.new_checkout_request(biz.id, k1, t + 5).await.expect("new_checkout_request");
    assert!(r2 > r1, "{r1} then {r2}");

    // Kept once: saving the same session again keeps the first.
    let a1 = attempt("cs_contract_1", biz.id, k1, 12_000, t + 10);
    store.save_checkout_attempt(&a1).await.expect("save_checkout_attempt");
    let a1_again = CheckoutAttempt {
        url: "https://ailleurs.test".into(),
        amount: cents(1),
        created_at: t + 11,
        ..a1.clone()
    };
    store.save_checkout_attempt(&a1_again).await.expect("saving twice is not an error");
    assert_same(&found(store, "cs_contract_1").await, &a1);
    let a2 = attempt("cs_contract_2", biz.id, k1, 12_000, t + 20);
    let a3 = attempt("cs_contract_3", biz.id, k1, 12_000, t + 30);
    store.save_checkout_attempt(&a2).await.unwrap();
    store.save_checkout_attempt(&a3).await.unwrap();
    let listed = store.checkout_attempts(biz.id, k1).await.expect("checkout_attempts");
    assert_eq!(
        listed.iter().map(|a| a.session_id.as_str()).collect::<Vec<_>>(),
        ["cs_contract_3", "cs_contract_2", "cs_contract_1"],
        "newest first"
    );
    assert_same(&listed[1], &a2);
    assert!(store.checkout_attempts(other.id, k1).await.unwrap().is_empty(), "another business's");
    assert!(store.checkout_attempt("cs_unknown").await.unwrap().is_none());

    // Closing: expired, or failed with its reason on the timeline.
    store.close_checkout_attempt("cs_contract_2", AttemptStatus::Expired, None, t + 40).await.expect("close");
    let expired = found(store, "cs_contract_2").await;
    assert_eq!((expired.status, expired.failure), (AttemptStatus::Expired, None));
    store
        .close_checkout_attempt("cs_contract_3", AttemptStatus::Failed, Some("carte refusée"), t + 41)
        .await
        .expect("close");
    let failed = found(store, "cs_contract_3").await;
    assert_eq!((failed.status, failed.failure.as_deref()), (AttemptStatus::Failed, Some("carte refusée")));
    let history = store.history(biz.id, k1).await.unwrap();
    let last = history.last().expect("a timeline");
    assert_eq!(
        (last.at, &last.event),
        (t + 41, &HistoryEvent::CheckoutFailed { reason: "carte refusée".into() })
    );

    // Paid: complete, and never closed afterwards.
    let invoice = store.invoice(biz.id, k1).await.unwrap();
    // A sandbox payment: kept, and known as a test wherever it is read.
    let payment =
        PaymentRecord { test: true, ..online_payment(&invoice, "cs_contract_1", 12_000, 348, "2026-06-02") };
    let outcome =
        record_online_payment(store, biz.id, k1, &payment, &[], t + 50).await.expect("record_online_payment");
    assert_eq!(outcome, Online::Recorded { settled: true });
    assert!(store.payments(biz.id, k1).await.unwrap().iter().all(|p| p.test));
    let lines = store.receipt_lines(biz.id, "2026-06-01", "2026-06-30", None).await.unwrap();
    assert!(lines.iter().any(|l| l.invoice_id == k1 && l.test), "{lines:?}");
    assert_eq!(found(store, "cs_contract_1").await.status, AttemptStatus::Complete);
    store
        .close_checkout_attempt("cs_contract_1", AttemptStatus::Expired, Some("expirée"), t + 60)
        .await
        .expect("closing a complete attempt is not an error");
    let complete = found(store, "cs_contract_1").await;
    assert_eq!((complete.status, complete.failure), (AttemptStatus::Complete, None));
    let events = timeline(store, biz.id, k1).await;
    assert!(!events.contains(&HistoryEvent::CheckoutFailed { reason: "expirée".into() }), "{events:?}");

    // Stale attempts: open ones not looked at for `older_than`, each at most once per period.
    let s = t + 1_000;
    let (k2, _) = issued(store, &biz, &client, "2026-06-02", "2026-07-02", "Atelier", "50", s - 1).await;
    store.save_checkout_attempt(&attempt("cs_stale_1", biz.id, k2, 6_000, s)).await.unwrap();
    store.save_checkout_attempt(&attempt("cs_stale_2", biz.id, k2, 6_000, s + 100)).await.unwrap();
    assert!(stale(store, s + 50, 100).await.is_empty(), "none has waited 100 s");
    assert_eq!(stale(store, s + 150, 100).await, ["cs_stale_1"]);
    assert!(stale(store, s + 160, 100).await.is_empty(), "cs_stale_1 was just looked at");
    assert_eq!(stale(store, s + 260, 100).await, ["cs_stale_1", "cs_stale_2"]);
    assert!(stale(store, s + 261, 100).await.is_empty(), "at most once per period");
    store.close_checkout_attempt("cs_stale_2", AttemptStatus::Expired, None, s + 270).await.unwrap();
    assert_eq!(stale(store, s + 10_000, 100).await, ["cs_stale_1"], "only open attempts");
    let still = found(store, "cs_stale_1").await;
    assert_eq!((still.status, still.amount, still.created_at), (AttemptStatus::Open, cents(6_000), s));
    // At most `limit` at a time.
    store.save_checkout_attempt(&attempt("cs_stale_3", biz.id, k2, 6_000, s + 300)).await.unwrap();
    let one = store.stale_checkout_attempts(s + 20_000, 100, 1).await.unwrap();
    let another = store.stale_checkout_attempts(s + 20_000, 100, 1).await.unwrap();
    assert_eq!((one.len(), another.len()), (1, 1));
    assert_ne!(one[0].session_id, another[0].session_id);
}
