//! Compiles `invoice.typ` against a `PdfDocument`, or `register.typ` against the livre des
//! recettes, and exports the PDF: the adapter behind the app's `PdfRenderer` port.

use qrcode::render::svg;
use qrcode::QrCode;
use typst::diag::SourceDiagnostic;
use typst::ecow::EcoVec;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use super::world::{Assets, InvoiceWorld};
use app::ports::{NoticeDocument, PdfDocument, RegisterDocument};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("invoice data could not be serialized: {0}")]
    Data(#[from] serde_json::Error),
    #[error("text does not fit in a QR code: {0}")]
    QrCode(#[from] qrcode::types::QrError),
    #[error("invoice template failed: {0}")]
    Template(String),
    #[error("PDF export failed: {0}")]
    Export(String),
}

/// Renders invoices and credit notes. Holds only a reference to the
/// process-wide fonts and standard library, so it is cheap to create and share.
pub struct PdfRenderer {
    assets: &'static Assets,
}

/// Typst memoizes compilation work in a process-wide cache that would otherwise
/// grow with every distinct document; entries unused for this many renders are
/// dropped, which keeps the shared parts of the template warm.
const CACHE_MAX_AGE: usize = 10;

impl PdfRenderer {
    pub fn new() -> Self {
        Self { assets: Assets::get() }
    }

    /// CPU-bound (a few milliseconds per page): call it from `spawn_blocking`. With a
    /// `factur-x.xml`, the file is a PDF/A-3b Factur-X EN 16931 invoice.
    pub fn render(&self, doc: &PdfDocument) -> Result<Vec<u8>, PdfError> {
        let document = self.compile(doc)?;
        match doc.facturx {
            None => export(&document),
            Some(_) => {
                let pdf = export_pdf_a3(&document).or_else(|refused| {
                    // Should PDF/A refuse something `printable` let through, the invoice
                    // still goes out, as a plain PDF with its XML (and a warning to look at).
                    tracing::warn!(error = %refused, "PDF/A export refused the document's text: plain PDF");
                    export(&document)
                })?;
                super::facturx::with_facturx_metadata(&pdf)
            }
        }
    }

    /// The livre des recettes, one landscape table.
    pub fn render_register(&self, doc: &RegisterDocument) -> Result<Vec<u8>, PdfError> {
        export(&lay_out(&InvoiceWorld::register(self.assets, serde_json::to_vec(doc)?))?)
    }

    /// A « mise en demeure » letter, one page.
    pub fn render_notice(&self, doc: &NoticeDocument) -> Result<Vec<u8>, PdfError> {
        let mut data = serde_json::to_value(doc)?;
        printable(&mut data, &|c| self.assets.covers(c));
        export(&lay_out(&InvoiceWorld::notice(self.assets, serde_json::to_vec(&data)?))?)
    }

    /// Lays the document out; the tests rasterize this same output.
    pub(crate) fn compile(&self, doc: &PdfDocument) -> Result<PagedDocument, PdfError> {
        // From the document as given: `printable` below only changes the text printed.
        let pay_qr = doc.payment.pay_url.as_deref().map(qr_svg).transpose()?;
        let transfer_qr = doc.payment.transfer_qr.as_deref().map(qr_svg).transpose()?;
        let mut data = serde_json::to_value(doc)?;
        printable(&mut data, &|c| self.assets.covers(c));
        let world = InvoiceWorld::new(
            self.assets,
            serde_json::to_vec(&data)?,
            doc.logo.as_ref().map(|logo| logo.bytes.clone()),
            pay_qr,
            transfer_qr,
        );
        lay_out(&world)
    }
}

/// A QR code as SVG, for the PDF and the pay page. The EPC transfer code asks for error
/// correction level M (the crate's default); the pay link uses the same.
pub fn qr_svg(text: &str) -> Result<String, PdfError> {
    Ok(QrCode::new(text.as_bytes())?.render::<svg::Color>().build())
}

/// The document's text as the bundled fonts can show it: control and invisible formatting
/// characters dropped, anything else no font has (an emoji, a rare script) printed as « □ ».
/// PDF/A refuses a glyph it cannot embed, and every issued document must be PDF/A; the attached
/// `factur-x.xml` keeps the text as typed. Long words get break opportunities ([`breakable`]).
fn printable(value: &mut serde_json::Value, covers: &dyn Fn(char) -> bool) {
    use serde_json::Value;
    match value {
        Value::String(text) => {
            if !text.chars().all(|c| c == '\n' || (!c.is_control() && covers(c))) {
                *text = text
                    .chars()
                    .filter(|&c| c == '\n' || !(c.is_control() || is_invisible(c)))
                    .map(|c| if c == '\n' || c.is_whitespace() || covers(c) { c } else { '□' })
                    .collect();
            }
            if let Some(broken) = breakable(text) {
                *text = broken;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| printable(v, covers)),
        Value::Object(fields) => {
            for (key, v) in fields.iter_mut() {
                if !NOT_PRINTED.contains(&key.as_str()) {
                    printable(v, covers);
                }
            }
        }
        _ => {}
    }
}

/// Fields the templates use but do not print as text: left exactly as they are.
const NOT_PRINTED: [&str; 5] = ["facturx", "pay_url", "transfer_qr", "brand_color", "format"];

/// Typst never breaks inside a word, so an unbroken run (a pasted URL, « AAAA… ») would
/// overflow its cell: a word too long for any column gets a zero-width break opportunity every
/// 8 characters. Done here, once, rather than by a template function called on every string,
/// which cost about a millisecond of each render.
fn breakable(text: &str) -> Option<String> {
    const LONG: usize = 30;
    const EVERY: usize = 8;
    let long = |word: &str| word.chars().nth(LONG).is_some();
    if !text.split(' ').any(long) {
        return None;
    }
    let words = text.split(' ').map(|word| {
        if !long(word) {
            return word.to_owned();
        }
        let chars: Vec<char> = word.chars().collect();
        chars.chunks(EVERY).map(|chunk| chunk.iter().collect::<String>()).collect::<Vec<_>>().join("\u{200B}")
    });
    Some(words.collect::<Vec<_>>().join(" "))
}

/// Zero-width joiners and variation selectors: part of how an emoji is spelled, nothing to print.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0020}'..='\u{E007F}')
}

fn lay_out(world: &InvoiceWorld) -> Result<PagedDocument, PdfError> {
    let output = typst::compile::<PagedDocument>(world).output;
    typst::comemo::evict(CACHE_MAX_AGE);
    output.map_err(|diags| PdfError::Template(join(&diags)))
}

/// PDF/A-3b, the archival profile that allows an attached `factur-x.xml`.
fn export_pdf_a3(document: &PagedDocument) -> Result<Vec<u8>, PdfError> {
    use typst_pdf::{PdfStandard, PdfStandards};
    let standards =
        PdfStandards::new(&[PdfStandard::A_3b]).map_err(|e| PdfError::Export(format!("{e:?}")))?;
    let options = PdfOptions { tagged: false, standards, ..PdfOptions::default() };
    typst_pdf::pdf(document, &options).map_err(|diags| PdfError::Export(join(&diags)))
}

fn export(document: &PagedDocument) -> Result<Vec<u8>, PdfError> {
    // Untagged: the structure tree makes a ten-page invoice ~8× larger (410 KiB instead of
    // 50 KiB), heavy for an e-mailed invoice.
    let options = PdfOptions { tagged: false, ..PdfOptions::default() };
    typst_pdf::pdf(document, &options).map_err(|diags| PdfError::Export(join(&diags)))
}

impl Default for PdfRenderer {
    fn default() -> Self {
        Self::new()
    }
}

fn join(diags: &EcoVec<SourceDiagnostic>) -> String {
    diags
        .iter()
        .map(|diag| {
            let hints = diag.hints.iter().map(|hint| format!(" (hint: {})", hint.v));
            std::iter::once(diag.message.to_string()).chain(hints).collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl app::ports::PdfRenderer for PdfRenderer {
    fn render(&self, document: &PdfDocument) -> Result<Vec<u8>, String> {
        PdfRenderer::render(self, document).map_err(|e| e.to_string())
    }

    fn render_register(&self, document: &RegisterDocument) -> Result<Vec<u8>, String> {
        PdfRenderer::render_register(self, document).map_err(|e| e.to_string())
    }

    fn render_notice(&self, document: &NoticeDocument) -> Result<Vec<u8>, String> {
        PdfRenderer::render_notice(self, document).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_long_words_get_break_opportunities() {
        assert_eq!(super::breakable("Développement du site vitrine, 2,5 jours"), None);
        let url = "https://exemple.fr/un/chemin/vraiment/long/sans/espace";
        let broken = super::breakable(&format!("Voir {url} merci")).expect("a long word");
        assert_eq!(broken.replace('\u{200B}', ""), format!("Voir {url} merci"), "nothing else changes");
        let word = broken.split(' ').nth(1).unwrap();
        assert!(word.split('\u{200B}').all(|part| part.chars().count() == 8 || word.ends_with(part)));
    }
}
