//! Chapter 9: what the dashboard and the livre des recettes read: what is owed and late, money
//! received (refunds deducted), revenue by month, the receipts, invoices by status, what falls
//! due next.

use super::fixtures::{
    business, buyer, cents, company, credit, draft, invoice_input, issued, issued_content, online_payment,
    pay, person, start_of,
};
use super::fixtures::{record_online_payment, record_refund, Online};
use app::domain::{InvoiceInput, InvoiceStatus, Money};
use app::ports::{
    AmountsDue, BusinessId, DueInvoice, MonthRevenue, ReceiptLine, RefundRecord, StatusCount, Store,
};

async fn received(store: &dyn Store, business_id: BusinessId, from: &str, to: &str) -> Money {
    store.received_between(business_id, from, to).await.expect("received_between")
}

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(9);
    let biz = business(store, "tresorerie", t).await;
    let other = business(store, "tresorerie-voisine", t).await;
    let dupont = buyer(store, biz.id, &company("Dupont SARL", "compta@dupont.fr"), t).await;
    let martin = buyer(store, biz.id, &person("Martin Conseil"), t).await;

    // The year so far (20 % VAT throughout):
    // t1 120 € paid by transfer on 20/01; t2 240 € of goods paid online on 15/02 (6,96 € fee);
    // t3 60 € of which 10 € paid in cash on 01/03, due 12/03; t4 360 € unpaid, due 30/04;
    // t5 120 € paid by cheque on 10/03, 60 € credited and refunded on 25/03; t7 12 € cancelled;
    // and a draft of 30 €.
    draft(
        store,
        &biz,
        &dupont,
        &invoice_input(dupont.id, "2026-03-20", "2026-04-19", "Brouillon", "25"),
        t + 1,
    )
    .await;
    let (t1, n1) =
        issued(store, &biz, &dupont, "2026-01-10", "2026-02-09", "Conseil janvier", "100", t + 2).await;
    let goods = InvoiceInput {
        operation: "goods".into(),
        ..invoice_input(martin.id, "2026-02-01", "2026-03-03", "Matériel", "200")
    };
    let (t2, n2) = issued_content(store, &biz, &martin, &goods, t + 3).await;
    let (t3, n3) =
        issued(store, &biz, &dupont, "2026-02-10", "2026-03-12", "Conseil février", "50", t + 4).await;
    let (t4, n4) = issued(store, &biz, &martin, "2026-03-01", "2026-04-30", "Refonte", "300", t + 5).await;
    let (t5, n5) = issued(store, &biz, &dupont, "2026-03-05", "2026-04-04", "Formation", "100", t + 6).await;
    let (t7, _) = issued(store, &biz, &martin, "2026-03-06", "2026-04-05", "Annulée", "10", t + 7).await;

    let paid1 = pay(store, biz.id, t1, 12_000, "transfer", "2026-01-20", t + 10).await;
    let invoice2 = store.invoice(biz.id, t2).await.unwrap();
    let online2 = online_payment(&invoice2, "cs_treasury_1", 24_000, 696, "2026-02-15");
    let outcome =
        record_online_payment(store, biz.id, t2, &online2, &[], t + 11).await.expect("record_online_payment");
    assert_eq!(outcome, Online::Recorded { settled: true });
    let paid3 = pay(store, biz.id, t3, 1_000, "cash", "2026-03-01", t + 12).await;
    let paid5 = pay(store, biz.id, t5, 12_000, "cheque", "2026-03-10", t + 13).await;
    let note5 = credit(store, biz.id, t5, Some(dupont.id), "2026-03-20", "50", Money::ZERO, t + 14)
        .await
        .expect("issue_credit_note")
        .expect("a credit note on t5");
    let invoice5 = store.invoice(biz.id, t5).await.unwrap();
    let refund5 = RefundRecord {
        credit_note_id: Some(note5),
        ..RefundRecord::on(&invoice5, cents(6_000), "transfer", "2026-03-25".into())
    };
    assert!(record_refund(store, biz.id, t5, &refund5, t + 15).await.expect("record_refund"));
    credit(store, biz.id, t7, Some(martin.id), "2026-03-21", "10", Money::ZERO, t + 16)
        .await
        .expect("issue_credit_note")
        .expect("t7 cancelled");
    assert_eq!(store.invoice(biz.id, t7).await.unwrap().status, InvoiceStatus::Cancelled);

    // What is owed: t3's 50 € and t4's 360 €; late: what was due before today.
    let due = |outstanding: i64, overdue: i64| AmountsDue {
        outstanding: cents(outstanding),
        overdue: cents(overdue),
    };
    assert_eq!(store.amounts_due(biz.id, "2026-03-15").await.expect("amounts_due"), due(41_000, 5_000));
    assert_eq!(
        store.amounts_due(biz.id, "2026-03-12").await.unwrap(),
        due(41_000, 0),
        "due today is not late"
    );
    assert_eq!(store.amounts_due(biz.id, "2026-05-01").await.unwrap(), due(41_000, 41_000));
    assert_eq!(store.amounts_due(other.id, "2026-05-01").await.unwrap(), AmountsDue::default());

    // Money received, refunds deducted, bounds included.
    assert_eq!(
        received(store, biz.id, "2026-01-01", "2026-12-31").await,
        cents(12_000 + 24_000 + 1_000 + 12_000 - 6_000)
    );
    assert_eq!(received(store, biz.id, "2026-03-01", "2026-03-31").await, cents(1_000 + 12_000 - 6_000));
    assert_eq!(received(store, biz.id, "2026-01-20", "2026-01-20").await, cents(12_000));
    assert_eq!(received(store, biz.id, "2026-03-21", "2026-03-31").await, cents(-6_000), "a refund alone");
    assert_eq!(received(store, biz.id, "2026-01-21", "2026-02-14").await, Money::ZERO);
    assert_eq!(store.received_between(other.id, "2026-01-01", "2026-12-31").await.unwrap(), Money::ZERO);

    // Revenue by month and nature of operation.
    let month = |month: &str, operation: &str, received: i64, fees: i64, revenue_ht: Money| MonthRevenue {
        month: month.into(),
        operation: operation.into(),
        received: cents(received),
        fees: cents(fees),
        revenue_ht,
    };
    assert_eq!(
        store.revenue_by_month(biz.id, "2026-01-01", "2026-12-31").await.expect("revenue_by_month"),
        vec![
            month("2026-01", "services", 12_000, 0, paid1.revenue_ht),
            month("2026-02", "goods", 24_000, 696, online2.revenue_ht),
            month("2026-03", "services", 7_000, 0, paid3.revenue_ht + paid5.revenue_ht - refund5.revenue_ht),
        ]
    );
    assert_eq!(
        store.revenue_by_month(biz.id, "2026-02-01", "2026-02-28").await.unwrap(),
        vec![month("2026-02", "goods", 24_000, 696, online2.revenue_ht)]
    );
    assert!(store.revenue_by_month(other.id, "2026-01-01", "2026-12-31").await.unwrap().is_empty());

    // The livre des recettes: payments and refunds by date, oldest first, or the newest first.
    let dupont_name = "Dupont SARL";
    let lines = vec![
        ReceiptLine {
            date: "2026-01-20".into(),
            invoice_id: t1,
            invoice_number: n1.clone(),
            client: dupont_name.into(),
            operation: "services".into(),
            description: "Conseil janvier".into(),
            line_count: 1,
            amount: cents(12_000),
            revenue_ht: paid1.revenue_ht,
            fee: Money::ZERO,
            method: "transfer".into(),
            credit_note_number: None,
            test: false,
        },
        ReceiptLine {
            date: "2026-02-15".into(),
            invoice_id: t2,
            invoice_number: n2.clone(),
            client: "Martin Conseil".into(),
            operation: "goods".into(),
            description: "Matériel".into(),
            line_count: 1,
            amount: cents(24_000),
            revenue_ht: online2.revenue_ht,
            fee: cents(696),
            method: "online_card".into(),
            credit_note_number: None,
            test: false,
        },
        ReceiptLine {
            date: "2026-03-01".into(),
            invoice_id: t3,
            invoice_number: n3.clone(),
            client: dupont_name.into(),
            operation: "services".into(),
            description: "Conseil février".into(),
            line_count: 1,
            amount: cents(1_000),
            revenue_ht: paid3.revenue_ht,
            fee: Money::ZERO,
            method: "cash".into(),
            credit_note_number: None,
            test: false,
        },
        ReceiptLine {
            date: "2026-03-10".into(),
            invoice_id: t5,
            invoice_number: n5.clone(),
            client: dupont_name.into(),
            operation: "services".into(),
            description: "Formation".into(),
            line_count: 1,
            amount: cents(12_000),
            revenue_ht: paid5.revenue_ht,
            fee: Money::ZERO,
            method: "cheque".into(),
            credit_note_number: None,
            test: false,
        },
        ReceiptLine {
            date: "2026-03-25".into(),
            invoice_id: t5,
            invoice_number: n5.clone(),
            client: dupont_name.into(),
            operation: "services".into(),
            description: "Formation".into(),
            line_count: 1,
            amount: cents(-6_000),
            revenue_ht: -refund5.revenue_ht,
            fee: Money::ZERO,
            method: "transfer".into(),
            credit_note_number: Some("A-2026-0001".into()),
            test: false,
        },
    ];
    assert_eq!(
        store.receipt_lines(biz.id, "2026-01-01", "2026-12-31", None).await.expect("receipt_lines"),
        lines
    );
    let newest: Vec<ReceiptLine> = lines.iter().rev().cloned().collect();
    assert_eq!(store.receipt_lines(biz.id, "2026-01-01", "2026-12-31", Some(10)).await.unwrap(), newest);
    assert_eq!(store.receipt_lines(biz.id, "2026-01-01", "2026-12-31", Some(2)).await.unwrap(), newest[..2]);
    assert_eq!(store.receipt_lines(biz.id, "2026-02-01", "2026-02-28", None).await.unwrap(), lines[1..2]);
    assert_eq!(store.receipt_lines(biz.id, "2026-03-10", "2026-03-25", None).await.unwrap(), lines[3..]);
    assert!(store.receipt_lines(other.id, "2026-01-01", "2026-12-31", None).await.unwrap().is_empty());

    // Invoices by stored status (credit notes are not invoices).
    let mut counts: Vec<StatusCount> = store
        .invoice_counts(biz.id)
        .await
        .expect("invoice_counts")
        .into_iter()
        .filter(|c| c.count > 0)
        .collect();
    counts.sort_by_key(|c| c.status.code());
    let count =
        |status: InvoiceStatus, count: i64, total: i64| StatusCount { status, count, total: cents(total) };
    assert_eq!(
        counts,
        vec![
            count(InvoiceStatus::Cancelled, 1, 1_200),
            count(InvoiceStatus::Draft, 1, 3_000),
            count(InvoiceStatus::Issued, 1, 36_000),
            count(InvoiceStatus::Paid, 3, 12_000 + 24_000 + 12_000),
            count(InvoiceStatus::PartiallyPaid, 1, 6_000),
        ]
    );
    assert!(store.invoice_counts(other.id).await.unwrap().iter().all(|c| c.count == 0));

    // What falls due next: money still expected, earliest due date first.
    let next = vec![
        DueInvoice {
            id: t3,
            number: n3,
            client: dupont_name.into(),
            due_date: "2026-03-12".into(),
            due: cents(5_000),
        },
        DueInvoice {
            id: t4,
            number: n4,
            client: "Martin Conseil".into(),
            due_date: "2026-04-30".into(),
            due: cents(36_000),
        },
    ];
    assert_eq!(store.next_due(biz.id, 10).await.expect("next_due"), next);
    assert_eq!(store.next_due(biz.id, 1).await.unwrap(), next[..1]);
    assert!(store.next_due(other.id, 10).await.unwrap().is_empty());
}
