//! Invoice and credit-note PDFs, rendered in-process by Typst from `invoice.typ`. The data
//! reaches the template as a JSON file, never as markup; fonts come from typst-assets and are
//! loaded once per process.

mod facturx;
mod renderer;
#[cfg(test)]
mod tests;
mod world;

pub use renderer::{qr_svg, PdfError, PdfRenderer};
