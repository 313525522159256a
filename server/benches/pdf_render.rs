//! Warm render time of a one-page and a ten-page invoice, plain and as a Factur-X file
//! (PDF/A-3b with its `factur-x.xml` and the Factur-X XMP).
//! `cargo bench -p server --bench pdf_render` (release profile).

use std::time::{Duration, Instant};

use app::ports::{
    PdfClient, PdfDocument, PdfLine as Line, PdfPayment as Payment, PdfSeller, PdfTotals as Totals,
    PdfVatLine as VatLine,
};
use server::pdf::PdfRenderer;

// The server binary's allocator (`src/main.rs`), so that the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 100;

fn invoice(lines: usize, n: usize) -> PdfDocument {
    let line = |i: usize| Line {
        description: format!("Développement de la fonctionnalité n° {i}, commande {n}"),
        quantity: "2,5\u{A0}j".into(),
        unit_price: "450,00\u{A0}€".into(),
        vat_rate: Some("20\u{A0}%".into()),
        total: "1\u{202F}125,00\u{A0}€".into(),
    };
    PdfDocument {
        kind: "invoice",
        title: "FACTURE",
        // Distinct data per run (number, lines, URL): identical inputs would be
        // served from Typst's memoization cache and flatter the figures.
        number: format!("F-2026-{n:04}"),
        corrects: None,
        issue_date: "27/11/2026".into(),
        service: "Période : du 01/11/2026 au 30/11/2026".into(),
        due_date: Some("27/12/2026".into()),
        operation: "Prestation de services".into(),
        seller: PdfSeller {
            name: "Marie Dupont EI".into(),
            address: vec!["12 rue des Lilas".into(), "69003 Lyon".into()],
            siret: "123 456 789 00012".into(),
            siren: "123 456 789".into(),
            email: "marie@dupont-conseil.fr".into(),
            phone: Some("06 12 34 56 78".into()),
            vat_number: Some("FR 12 123456789".into()),
            iban: Some("FR76 3000 6000 0112 3456 7890 189".into()),
            bic: Some("AGRIFRPPXXX".into()),
        },
        client: PdfClient {
            name: "Atelier Lumière SAS".into(),
            address: vec!["4 place Bellecour".into(), "69002 Lyon".into()],
            siren: Some("987 654 321".into()),
            delivery: None,
        },
        lines: (1..=lines).map(line).collect(),
        show_vat: true,
        totals: Totals {
            ht: "1\u{202F}142,99\u{A0}€".into(),
            vat: vec![VatLine {
                label: "TVA 20\u{A0}% sur 1\u{202F}142,99\u{A0}€".into(),
                amount: "228,60\u{A0}€".into(),
            }],
            tax: Some("228,60\u{A0}€".into()),
            ttc: "1\u{202F}371,59\u{A0}€".into(),
            paid: None,
            due: None,
        },
        franchise_mention: None,
        payment: Payment {
            methods: vec!["Virement bancaire".into(), "Chèque à l'ordre de Marie Dupont EI".into()],
            pay_url: Some(format!("https://pay.reglo.fr/p/F-2026-{n:04}")),
            transfer_qr: None,
        },
        legal: vec![
            "Paiement à 30 jours à compter de la date d'émission.".into(),
            "En cas de retard de paiement, pénalités au taux de 10,50 % l'an.".into(),
            "Indemnité forfaitaire pour frais de recouvrement : 40 €.".into(),
            "Pas d'escompte en cas de paiement anticipé.".into(),
        ],
        brand_color: "#1E50A0".into(),
        logo: None,
        acquitted: None,
        test_notice: None,
        quote: None,
        facturx: None,
    }
}

/// The `factur-x.xml` of invoice `n`, as the app builds it.
fn facturx(lines: usize, n: usize) -> app::ports::PdfFacturx {
    use app::domain::facturx::{cii_xml, FacturxDocument, FacturxKind};
    use app::domain::{BusinessProfileInput, ClientInput, Date, LineInput, OperationNature, PaymentMethod};
    let seller = BusinessProfileInput {
        name: "Marie Dupont EI".into(),
        address_line1: "12 rue des Lilas".into(),
        postal_code: "75011".into(),
        city: "Paris".into(),
        email: "marie@dupont-conseil.fr".into(),
        siret: "73282932000074".into(),
        vat_status: "vat".into(),
        vat_number: "FR44732829320".into(),
        iban: "FR7630006000011234567890189".into(),
        late_penalty_rate: "10,5".into(),
        ..BusinessProfileInput::default()
    };
    let buyer = ClientInput {
        kind: "business".into(),
        name: "Atelier Lumière SAS".into(),
        siren: "552100554".into(),
        address_line1: "4 place Bellecour".into(),
        postal_code: "69002".into(),
        city: "Lyon".into(),
        ..ClientInput::default()
    };
    let lines: Vec<_> = (0..lines)
        .map(|i| LineInput {
            description: format!("Développement de la fonctionnalité n° {i}, commande {n}"),
            quantity: "2,5".into(),
            unit_price: "450".into(),
            vat_rate: "20".into(),
            ..LineInput::default()
        })
        .filter_map(|l| l.parse(false).ok())
        .collect();
    let totals = app::domain::invoice_lines::totals(&lines);
    let day = Date::parse("2026-11-27").unwrap();
    let xml = cii_xml(&FacturxDocument {
        kind: FacturxKind::Invoice,
        number: &format!("F-2026-{n:04}"),
        issue_date: day,
        delivery_date: day,
        due_date: Some(day.add_days(30)),
        operation: OperationNature::Services,
        delivery: None,
        seller: &seller,
        buyer: &buyer,
        lines: &lines,
        totals: &totals,
        prepaid: app::domain::Money::ZERO,
        after_deposits: false,
        methods: &[PaymentMethod::Transfer, PaymentMethod::PaymentLink],
    });
    app::ports::PdfFacturx { xml, year: 2026, month: 11, day: 27 }
}

fn bench(renderer: &PdfRenderer, name: &str, lines: usize, einvoice: bool) {
    let doc = |n: usize| {
        let mut doc = invoice(lines, n);
        doc.facturx = einvoice.then(|| facturx(lines, n));
        doc
    };
    // Warm-up: process-wide fonts and the template's memoized parts.
    for n in 0..5 {
        renderer.render(&doc(n)).unwrap();
    }
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let (mut size, mut pages) = (0, 0);
    for n in 0..RUNS {
        let doc = doc(100 + n);
        let start = Instant::now();
        let pdf = renderer.render(&doc).unwrap();
        times.push(start.elapsed());
        size = pdf.len();
        pages = page_count(&pdf);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{name:<20} {pages:>2} page(s)   median {:>6.2} ms   p95 {:>6.2} ms   size {:>6.1} KiB",
        ms(times[RUNS / 2]),
        ms(times[RUNS * 95 / 100]),
        size as f64 / 1024.0
    );
}

/// Page objects are written uncompressed: count the `/Type/Page` entries.
fn page_count(pdf: &[u8]) -> usize {
    let key = b"/Type/Page";
    pdf.windows(key.len() + 1).filter(|w| w.starts_with(key) && w[key.len()] != b's').count()
}

/// `cargo bench -p server --bench pdf_render [-- NAME]`: every case, or those whose name
/// contains NAME (to profile one).
fn main() {
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or_default();
    let start = Instant::now();
    let renderer = PdfRenderer::new();
    renderer.render(&invoice(1, 0)).unwrap();
    println!("first render (fonts + library init) {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
    let cases = [
        ("one page", 8, false),
        ("one page, Factur-X", 8, true),
        ("ten pages", 380, false),
        ("ten pages, Factur-X", 380, true),
    ];
    for (name, lines, einvoice) in cases.into_iter().filter(|(name, ..)| name.contains(only.as_str())) {
        bench(&renderer, name, lines, einvoice);
    }
}
