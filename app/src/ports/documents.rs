//! Documents rendered to PDF: the inputs the renderer takes (text already formatted by the
//! services, never markup) and the renderer itself.

use serde::Serialize;

/// The whole document as the template reads it: text only, already formatted.
#[derive(Debug, Clone, Serialize)]
pub struct PdfDocument {
    /// `invoice` or `credit_note`.
    pub kind: &'static str,
    pub title: &'static str,
    pub number: String,
    /// On a credit note: « Avoir sur la facture F-2026-0001 ».
    pub corrects: Option<String>,
    pub issue_date: String,
    pub service: String,
    pub due_date: Option<String>,
    pub operation: String,
    pub seller: PdfSeller,
    pub client: PdfClient,
    pub lines: Vec<PdfLine>,
    pub show_vat: bool,
    pub totals: PdfTotals,
    pub franchise_mention: Option<String>,
    pub payment: PdfPayment,
    pub legal: Vec<String>,
    pub brand_color: String,
    pub logo: Option<PdfLogo>,
    /// For a « facture acquittée »: how and when it was paid.
    pub acquitted: Option<Vec<String>>,
    /// « TEST — aucun paiement réel » when a payment on it was a test.
    pub test_notice: Option<String>,
    /// On a quote: its validity, deposit, conditions and agreement.
    pub quote: Option<PdfQuote>,
    /// An issued invoice's or credit note's `factur-x.xml` (see `domain::facturx`): attached,
    /// and the file made a PDF/A-3 Factur-X EN 16931 invoice.
    pub facturx: Option<PdfFacturx>,
}

/// The `factur-x.xml` a PDF carries, and the document's date (PDF/A wants one with an
/// attachment: the issue day, so that a document renders the same bytes every time).
#[derive(Debug, Clone, Serialize)]
pub struct PdfFacturx {
    pub xml: String,
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

/// What a quote adds to the layout.
#[derive(Debug, Clone, Serialize)]
pub struct PdfQuote {
    /// « Valable jusqu'au 01/04/2026 ».
    pub valid_until: String,
    /// « Acompte à la signature : 30 % du total, soit 360,00 € ».
    pub deposit: Option<String>,
    /// The quote's conditions, one paragraph per entry.
    pub conditions: Vec<String>,
    /// Once accepted: who accepted, when, from where, and the SHA-256 of the PDF shown, printed
    /// in the « Bon pour accord » block and on a last page.
    pub accepted: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PdfSeller {
    pub name: String,
    pub address: Vec<String>,
    pub siret: String,
    pub siren: String,
    pub email: String,
    pub phone: Option<String>,
    pub vat_number: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PdfClient {
    pub name: String,
    pub address: Vec<String>,
    /// Business clients only.
    pub siren: Option<String>,
    /// Where goods are delivered, when it is not `address`.
    pub delivery: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PdfLine {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub vat_rate: Option<String>,
    pub total: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PdfTotals {
    pub ht: String,
    pub vat: Vec<PdfVatLine>,
    pub tax: Option<String>,
    pub ttc: String,
    pub paid: Option<String>,
    pub due: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PdfVatLine {
    pub label: String,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PdfPayment {
    pub methods: Vec<String>,
    pub pay_url: Option<String>,
    /// The EPC QR code's text when « Virement » is accepted (see `domain::transfer_qr`).
    pub transfer_qr: Option<String>,
}

/// The logo's bytes reach the renderer beside the JSON, not in it.
#[derive(Debug, Clone, Serialize)]
pub struct PdfLogo {
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Typst's image format name: « png » or « jpg ».
    pub format: &'static str,
}

/// The register as the PDF template reads it: text only, already formatted.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterDocument {
    pub business: String,
    pub siret: String,
    pub address: Vec<String>,
    /// « du 01/01/2026 au 28/11/2026 ».
    pub period: String,
    pub lines: Vec<[String; 6]>,
    pub total: String,
    pub count: usize,
    pub brand_color: String,
}

/// A « mise en demeure » letter for an overdue invoice, its text already written.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeDocument {
    pub seller: PdfSeller,
    pub client: PdfClient,
    /// « Paris, le 07/12/2026 ».
    pub place_and_date: String,
    /// « Lettre recommandée avec accusé de réception ».
    pub delivery: String,
    pub subject: String,
    /// Before the amounts claimed.
    pub opening: Vec<String>,
    /// What is claimed: label and amount, then the total.
    pub claims: Vec<[String; 2]>,
    pub total: [String; 2],
    /// After the amounts: the deadline, how to pay, the formula.
    pub closing: Vec<String>,
    pub brand_color: String,
}

/// Turns a document into PDF bytes. Synchronous and CPU-bound: callers run it off the async
/// runtime.
pub trait PdfRenderer: Send + Sync {
    /// An invoice or credit note (or its « facture acquittée » copy).
    fn render(&self, document: &PdfDocument) -> Result<Vec<u8>, String>;

    /// The livre des recettes.
    fn render_register(&self, document: &RegisterDocument) -> Result<Vec<u8>, String>;

    /// A « mise en demeure » letter.
    fn render_notice(&self, document: &NoticeDocument) -> Result<Vec<u8>, String>;
}
