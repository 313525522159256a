//! End-to-end checks on the produced PDF: its text (pdf-extract), its link
//! annotations (lopdf), and what a phone camera sees (the page rasterized by
//! typst-render, decoded by rqrr).

use std::collections::BTreeSet;

use lopdf::{Dictionary, Object};
use typst::layout::{Abs, Frame, FrameItem, Point};
use typst_layout::{Page, PagedDocument};
use typst_render::RenderOptions;

use super::{PdfError, PdfRenderer};
use app::ports::{
    PdfClient, PdfDocument, PdfLine as Line, PdfLogo, PdfPayment as Payment, PdfSeller, PdfTotals as Totals,
    PdfVatLine as VatLine,
};

const PAY_URL: &str = "https://pay.reglo.fr/p/F-2026-0001?t=Zx9_k-42&lang=fr";
const HOSTILE: &str = r#"#panic("x") $ * _ [link] \ <b>"#;
// French formatting as the app produces it: narrow no-break space for
// thousands, no-break space before units.
const NNBSP: &str = "\u{202F}";

fn eur(s: &str) -> String {
    format!("{}\u{A0}€", s.replace(' ', NNBSP))
}

fn line(i: usize) -> Line {
    Line {
        description: format!("Développement de la fonctionnalité n° {i}"),
        quantity: "2,5\u{A0}j".into(),
        unit_price: eur("450,00"),
        vat_rate: Some("20\u{A0}%".into()),
        total: eur(&format!("1 1{:02},00", i % 100)),
    }
}

/// A VAT-registered seller invoicing a business client, payable online.
pub(crate) fn sample(lines: usize) -> PdfDocument {
    PdfDocument {
        kind: "invoice",
        title: "FACTURE",
        number: "F-2026-0001".into(),
        corrects: None,
        issue_date: "27/11/2026".into(),
        service: "Date de la prestation : 20/11/2026".into(),
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
            ht: eur("1 142,99"),
            vat: vec![VatLine {
                label: format!("TVA 20\u{A0}% sur {}", eur("1 142,99")),
                amount: eur("228,60"),
            }],
            tax: Some(eur("228,60")),
            ttc: eur("1 371,59"),
            paid: Some(eur("300,00")),
            due: Some(eur("1 071,59")),
        },
        franchise_mention: None,
        payment: Payment {
            methods: vec!["Virement bancaire".into(), "Chèque à l'ordre de Marie Dupont EI".into()],
            pay_url: Some(PAY_URL.into()),
            transfer_qr: None,
        },
        legal: vec![
            "Paiement à 30 jours à compter de la date d'émission.".into(),
            "En cas de retard de paiement, pénalités au taux de 10,50 % l'an.".into(),
            "Indemnité forfaitaire pour frais de recouvrement : 40 €.".into(),
            "Pas d'escompte en cas de paiement anticipé.".into(),
            "Nature de l'opération : prestation de services.".into(),
        ],
        brand_color: "#1E50A0".into(),
        logo: Some(PdfLogo { bytes: include_bytes!("testdata/logo.png").to_vec(), format: "png" }),
        acquitted: None,
        test_notice: None,
        quote: None,
        facturx: None,
    }
}

/// A seller under the VAT franchise, for a private client, paid by cheque.
fn franchise() -> PdfDocument {
    let mut doc = sample(2);
    doc.show_vat = false;
    for l in &mut doc.lines {
        l.vat_rate = None;
    }
    doc.seller.vat_number = None;
    doc.client = PdfClient {
        name: "Jean Martin".into(),
        address: vec!["8 chemin du Moulin".into(), "38000 Grenoble".into()],
        siren: None,
        delivery: None,
    };
    doc.totals =
        Totals { ht: eur("2 202,00"), vat: vec![], tax: None, ttc: eur("2 202,00"), paid: None, due: None };
    doc.franchise_mention = Some("TVA non applicable, art. 293 B du CGI".into());
    doc.payment.pay_url = None;
    doc.logo = None;
    doc
}

fn render(doc: &PdfDocument) -> Vec<u8> {
    PdfRenderer::new().render(doc).expect("render")
}

/// Text per page, with the layout's whitespace (line breaks, NBSP, the
/// template's zero-width break points) normalized to single spaces.
fn pages_text(pdf: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(pdf)
        .expect("extract text")
        .iter()
        .map(|page| normalize(page))
        .collect()
}

fn normalize(s: &str) -> String {
    s.replace('\u{200B}', "")
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_has(text: &str, needle: &str) {
    let needle = normalize(needle);
    assert!(text.contains(&needle), "missing {needle:?} in:\n{text}");
}

fn load(pdf: &[u8]) -> lopdf::Document {
    lopdf::Document::load_mem(pdf).expect("parse PDF")
}

/// The /URI of every link annotation, per page.
fn link_uris(pdf: &[u8]) -> Vec<(u32, String, [f32; 4])> {
    let doc = load(pdf);
    let deref = |obj: &Object| doc.dereference(obj).unwrap().1.clone();
    let mut uris = vec![];
    for (number, id) in doc.get_pages() {
        let page = doc.get_dictionary(id).unwrap();
        let Ok(annots) = page.get(b"Annots") else {
            continue;
        };
        for annot in deref(annots).as_array().unwrap() {
            let annot = deref(annot);
            let annot: &Dictionary = annot.as_dict().unwrap();
            if annot.get(b"Subtype").unwrap().as_name().unwrap() != b"Link" {
                continue;
            }
            let action = deref(annot.get(b"A").unwrap());
            let uri = action.as_dict().unwrap().get(b"URI").unwrap().as_str().unwrap();
            let rect: Vec<f32> = deref(annot.get(b"Rect").unwrap())
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_float().unwrap())
                .collect();
            uris.push((number, String::from_utf8(uri.to_vec()).unwrap(), rect.try_into().unwrap()));
        }
    }
    uris
}

fn compile(doc: &PdfDocument) -> PagedDocument {
    PdfRenderer::new().compile(doc).expect("compile")
}

/// What a phone sees: the page rasterized at ~216 dpi, then QR-decoded.
fn qr_codes(page: &Page) -> Vec<String> {
    let pixmap =
        typst_render::render(page, &RenderOptions { pixel_per_pt: 3.0.into(), ..Default::default() });
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    let rgba = pixmap.data();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let p = &rgba[(y * w + x) * 4..][..3];
        ((p[0] as u32 * 30 + p[1] as u32 * 59 + p[2] as u32 * 11) / 100) as u8
    });
    img.detect_grids().iter().map(|grid| grid.decode().expect("decode QR").1).collect()
}

#[test]
fn prints_every_field_of_a_vat_invoice() {
    let doc = sample(3);
    let pages = pages_text(&render(&doc));
    assert_eq!(pages.len(), 1);
    let text = &pages[0];
    for needle in [
        "FACTURE",
        "F-2026-0001",
        "Marie Dupont EI",
        "12 rue des Lilas",
        "123 456 789 00012",
        "marie@dupont-conseil.fr",
        "06 12 34 56 78",
        "FR 12 123456789",
        "Atelier Lumière SAS",
        "4 place Bellecour",
        "SIREN : 987 654 321",
        "27/11/2026",
        "Date de la prestation : 20/11/2026",
        "27/12/2026",
        "Prestation de services",
        "Virement bancaire",
        "Chèque à l'ordre de Marie Dupont EI",
        "FR76 3000 6000 0112 3456 7890 189",
        "AGRIFRPPXXX",
        "Payer en ligne",
        "Total HT",
        "Total TVA",
        "Total TTC",
        "Déjà payé",
        "Reste à payer",
        "1/1",
    ] {
        assert_has(text, needle);
    }
    for l in &doc.lines {
        for needle in [&l.description, &l.quantity, &l.unit_price, l.vat_rate.as_ref().unwrap(), &l.total] {
            assert_has(text, needle);
        }
    }
    let t = &doc.totals;
    for needle in
        [&t.ht, &t.vat[0].label, &t.vat[0].amount, &t.ttc, t.paid.as_ref().unwrap(), t.due.as_ref().unwrap()]
    {
        assert_has(text, needle);
    }
    for sentence in &doc.legal {
        assert_has(text, sentence);
    }
    assert!(!text.contains("TVA non applicable"));
}

#[test]
fn franchise_invoice_prints_the_mention_and_no_vat() {
    let doc = franchise();
    let text = &pages_text(&render(&doc))[0];
    assert_has(text, "TVA non applicable, art. 293 B du CGI");
    assert_has(text, "Jean Martin");
    assert_has(text, &doc.totals.ttc);
    assert!(!text.contains("Total TTC") && !text.contains("Total TVA") && !text.contains("SIREN :"));
    assert!(!text.contains("Payer en ligne"));
}

#[test]
fn credit_note_references_the_invoice() {
    let mut doc = franchise();
    doc.kind = "credit_note";
    doc.title = "AVOIR";
    doc.number = "A-2026-0001".into();
    doc.corrects = Some("Avoir sur la facture F-2026-0001".into());
    let text = &pages_text(&render(&doc))[0];
    for needle in ["AVOIR", "A-2026-0001", "Avoir sur la facture F-2026-0001"] {
        assert_has(text, needle);
    }
}

#[test]
fn acquitted_invoice_is_marked() {
    let mut doc = franchise();
    doc.acquitted = Some(vec![format!("Payée le 28/11/2026 par chèque : {}", eur("2 202,00"))]);
    let text = &pages_text(&render(&doc))[0];
    assert_has(text, "ACQUITTÉE");
    assert_has(text, &doc.acquitted.as_ref().unwrap()[0]);
}

#[test]
fn test_payment_pdf_says_no_real_payment() {
    let mut doc = franchise();
    assert!(!pages_text(&render(&doc))[0].contains("TEST"));
    doc.test_notice = Some(app::domain::ProviderMode::TEST_NOTICE.into());
    assert_has(&pages_text(&render(&doc))[0], "TEST — aucun paiement réel");
}

#[test]
fn pay_link_is_at_the_bottom_right_and_targets_pay_url() {
    let pdf = render(&sample(3));
    let links = link_uris(&pdf);
    assert_eq!(links.len(), 1, "{links:?}");
    let (page, uri, [x0, y0, x1, y1]) = &links[0];
    assert_eq!((*page, uri.as_str()), (1, PAY_URL));
    // A4 is 595 × 842 pt, PDF y grows upwards.
    assert!(x0.min(*x1) > 595.0 / 2.0 && y0.max(*y1) < 842.0 / 3.0, "{links:?}");
}

#[test]
fn qr_code_on_the_rendered_page_decodes_to_pay_url() {
    let document = compile(&sample(3));
    assert_eq!(qr_codes(&document.pages()[0]), [PAY_URL]);
}

/// What `domain::transfer_qr` makes for the sample: Marie Dupont's IBAN, 1 071,59 € due.
const EPC: &str =
    "BCD\n002\n1\nSCT\nAGRIFRPPXXX\nMarie Dupont EI\nFR7630006000011234567890189\nEUR1071.59\n\n\nF-2026-0001";

#[test]
fn the_transfer_qr_code_decodes_to_the_epc_payload_beside_the_pay_link() {
    let mut doc = sample(3);
    doc.payment.transfer_qr = Some(EPC.into());
    let mut codes = qr_codes(&compile(&doc).pages()[0]);
    codes.sort();
    assert_eq!(codes, [EPC, PAY_URL]);
    let text = pages_text(&render(&doc)).join(" ");
    assert_has(&text, "Virement : scannez avec");
    // Only the pay link is a link: the transfer code is for a phone's camera.
    assert_eq!(link_uris(&render(&doc)).len(), 1);
}

#[test]
fn no_pay_url_means_no_link_and_no_qr_code() {
    let doc = franchise();
    assert!(link_uris(&render(&doc)).is_empty());
    assert!(qr_codes(&compile(&doc).pages()[0]).is_empty());
}

#[test]
fn long_invoice_flows_over_pages_with_repeated_header_and_page_numbers() {
    let doc = sample(60);
    let pdf = render(&doc);
    let pages = pages_text(&pdf);
    let n = pages.len();
    assert!(n >= 2, "60 lines should not fit on one page");
    assert_eq!(load(&pdf).get_pages().len(), n);
    for (i, text) in pages.iter().enumerate() {
        assert_has(text, &format!("{}/{n}", i + 1));
    }
    assert_has(&pages[1], "Désignation Quantité Prix unitaire HT TVA Total HT");
    // Every line is printed exactly once, the QR link lands on the last page.
    let all = pages.join(" ");
    for l in &doc.lines {
        assert_eq!(all.matches(&format!("{} ", l.description)).count(), 1, "{}", l.description);
    }
    let links = link_uris(&pdf);
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].0 as usize, n);
    assert_eq!(qr_codes(&compile(&doc).pages()[n - 1]), [PAY_URL]);
}

#[test]
fn hostile_and_unbroken_text_prints_literally_and_wraps() {
    let unbroken: String = "ABCDEFGHIJ".repeat(500);
    let mut doc = sample(2);
    doc.lines[0].description = HOSTILE.into();
    doc.lines[1].description = unbroken.clone();
    doc.client.name = HOSTILE.into();
    doc.legal.push(HOSTILE.into());
    let pdf = render(&doc);
    let text = pages_text(&pdf).join(" ");
    assert!(text.matches(HOSTILE).count() >= 3, "{text}");
    // The cell breaks across pages: glue back the A–J run of each page.
    let runs: String = pages_text(&pdf)
        .iter()
        .map(|page| {
            let page = page.replace(' ', "");
            let runs = page.split(|c: char| !('A'..='J').contains(&c));
            runs.max_by_key(|run| run.len()).unwrap().to_owned()
        })
        .collect();
    assert_eq!(runs, unbroken);

    // Wrapped, not overflowing: no text run ends past the right margin.
    let document = compile(&doc);
    let right = document.pages()[0].frame.width() - Abs::mm(18.0);
    for page in document.pages() {
        let max = rightmost_text(&page.frame, Point::zero());
        assert!(max <= right + Abs::pt(0.5), "text reaches {max:?}, margin at {right:?}");
    }
}

fn rightmost_text(frame: &Frame, origin: Point) -> Abs {
    frame.items().fold(Abs::zero(), |max, (pos, item)| {
        let at = origin + *pos;
        let end = match item {
            FrameItem::Text(text) => at.x + text.width(),
            FrameItem::Group(group) => {
                rightmost_text(&group.frame, at + Point::new(group.transform.tx, group.transform.ty))
            }
            _ => Abs::zero(),
        };
        max.max(end)
    })
}

#[test]
fn fonts_are_embedded_and_output_is_deterministic() {
    let doc = sample(3);
    let pdf = render(&doc);
    assert_eq!(pdf, render(&doc), "same input, same bytes");
    let parsed = load(&pdf);
    let descriptors: Vec<&Dictionary> = parsed
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor"))
        .collect();
    assert!(!descriptors.is_empty());
    for d in descriptors {
        assert!(
            [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| d.has(k)),
            "font not embedded: {d:?}"
        );
    }
    let names: BTreeSet<String> = parsed
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"BaseFont").and_then(Object::as_name).ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    assert!(names.iter().all(|n| n.contains("Libertinus") || n.contains("NewCM")), "{names:?}");
}

#[test]
fn template_errors_surface_as_pdf_error() {
    let mut doc = sample(1);
    doc.brand_color = "not a colour".into();
    let err = PdfRenderer::new().render(&doc).unwrap_err();
    assert!(matches!(err, PdfError::Template(_)), "{err}");
}

/// `PDF_SAMPLE_PNG=/path/page1.png cargo test write_sample_png` writes page one
/// of the sample invoice, to look at the layout.
#[test]
fn write_sample_png() {
    let Some(path) = std::env::var_os("PDF_SAMPLE_PNG") else {
        return;
    };
    let document = compile(&sample(4));
    let pixmap = typst_render::render(&document.pages()[0], &RenderOptions::default());
    pixmap.save_png(path).unwrap();
}

fn register(lines: usize) -> app::ports::RegisterDocument {
    app::ports::RegisterDocument {
        business: "Marie Dupont EI".into(),
        siret: "123 456 789 00012".into(),
        address: vec!["12 rue des Lilas".into(), "69003 Lyon".into()],
        period: "du 01/01/2026 au 28/11/2026".into(),
        lines: (0..lines)
            .map(|i| {
                [
                    "02/11/2026".into(),
                    format!("Client n° {i}"),
                    format!("F-2026-{:04}", i + 1),
                    if i == 1 { "Remboursement (avoir A-2026-0001)".into() } else { HOSTILE.into() },
                    if i == 1 { eur("-100,00") } else { eur("100,00") },
                    "Virement".into(),
                ]
            })
            .collect(),
        total: eur(&format!("{},00", 100 * lines.saturating_sub(2))),
        count: lines,
        brand_color: "#2f5bea".into(),
    }
}

#[test]
fn the_livre_des_recettes_lists_every_receipt_over_as_many_pages_as_needed() {
    let pdf = PdfRenderer::new().render_register(&register(3)).expect("renders");
    let text = pages_text(&pdf).join("\n");
    for needle in [
        "Livre des recettes",
        "du 01/01/2026 au 28/11/2026",
        "Marie Dupont EI",
        "SIRET : 123 456 789 00012",
        "Date",
        "Client",
        "Facture",
        "Nature",
        "Montant",
        "Mode de paiement",
        "Client n° 2",
        "F-2026-0003",
        "Remboursement (avoir A-2026-0001)",
        "Total",
        "3 encaissements",
    ] {
        assert_has(&text, needle);
    }
    assert_has(&text, HOSTILE);
    let long = PdfRenderer::new().render_register(&register(200)).expect("renders");
    let pages = pages_text(&long);
    assert!(pages.len() >= 4, "200 lines on {} pages", pages.len());
    assert_has(pages.last().unwrap(), "Client n° 199");
    assert_has(&pages[1], "Mode de paiement");
    let empty = PdfRenderer::new().render_register(&register(0)).expect("renders");
    assert_has(&pages_text(&empty).join("\n"), "Aucun encaissement sur cette période.");
}

#[test]
fn text_no_font_can_show_is_boxed_and_the_file_stays_pdf_a() {
    let mut doc = sample(1);
    doc.lines[0].description = "Cadeau 😀\u{FE0F} \u{5}虘 fin".into();
    let xml = "<?xml version=\"1.0\"?><x>😀</x>".to_owned();
    doc.facturx = Some(app::ports::PdfFacturx { xml, year: 2026, month: 12, day: 1 });
    let pdf = PdfRenderer::new().render(&doc).expect("a PDF");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("pdfaid:part"), "PDF/A, not the plain fallback");
    assert!(raw.contains("fx:DocumentFileName>factur-x.xml<"), "the Factur-X declaration");
    assert_has(&pages_text(&pdf)[0], "Cadeau □ □ fin");
}

#[test]
fn the_same_document_renders_to_the_same_bytes() {
    // What keeps an issued PDF identical on every instance and after a restart: no clock, no
    // random identifier, no state left by earlier renders.
    let mut doc = sample(3);
    let xml = "<?xml version=\"1.0\"?><x/>".to_owned();
    doc.facturx = Some(app::ports::PdfFacturx { xml, year: 2026, month: 12, day: 1 });
    let first = PdfRenderer::new().render(&doc).expect("renders");
    let _other = PdfRenderer::new().render(&sample(40)).expect("renders");
    typst::comemo::evict(0);
    let again = PdfRenderer::new().render(&doc).expect("renders");
    assert!(first == again, "two renders of one document differ");
}

#[test]
fn goods_delivered_elsewhere_name_the_delivery_address() {
    let mut doc = sample(1);
    doc.client.delivery = Some(vec!["Entrepôt 4, ZI des Pins".into(), "33000 Bordeaux".into()]);
    let text = pages_text(&render(&doc)).join("\n");
    for needle in ["Adresse de livraison", "Entrepôt 4, ZI des Pins", "33000 Bordeaux", "4 place Bellecour"]
    {
        assert_has(&text, needle);
    }
}

#[test]
fn a_formal_notice_is_one_page_letter_with_its_claims_and_total() {
    let doc = app::ports::NoticeDocument {
        seller: sample(1).seller,
        client: sample(1).client,
        place_and_date: "Lyon, le 12/02/2027".into(),
        delivery: "Lettre recommandée avec accusé de réception".into(),
        subject: "Mise en demeure de payer — facture n° F-2026-0007".into(),
        opening: vec!["Madame, Monsieur,".into(), HOSTILE.into()],
        claims: vec![
            ["Facture n° F-2026-0007 du 01/11/2026, reste à payer".into(), eur("730,00")],
            ["Pénalités de retard".into(), eur("14,60")],
        ],
        total: ["Total dû au 12/02/2027".into(), eur("744,60")],
        closing: vec![
            "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.".into()
        ],
        brand_color: "#1E50A0".into(),
    };
    let pdf = PdfRenderer::new().render_notice(&doc).expect("renders");
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), 1);
    for needle in [
        "LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION",
        "Objet : Mise en demeure de payer — facture n° F-2026-0007",
        "Atelier Lumière SAS",
        "Lyon, le 12/02/2027",
        "Total dû au 12/02/2027",
        "salutations distinguées",
        HOSTILE,
    ] {
        assert_has(&pages[0], needle);
    }
    assert_has(&pages[0], &eur("744,60"));
}
