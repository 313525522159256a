//! The Typst `World` of one render: the template, the per-render virtual
//! files, and the bundled fonts. Nothing is read from disk or the system, so a
//! render depends only on its input.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Process-wide, immutable state. Parsing the ~10 MB of bundled fonts and
/// building the standard library are the expensive parts, so they happen once.
pub(crate) struct Assets {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// What [`Assets::covers`] found, by character.
    coverage: std::sync::RwLock<std::collections::HashMap<char, bool>>,
    main: Source,
    register: Source,
    notice: Source,
    // Virtual paths read by the templates.
    data: FileId,
    logo: FileId,
    pay_qr: FileId,
    transfer_qr: FileId,
}

impl Assets {
    pub(crate) fn get() -> &'static Assets {
        static ASSETS: OnceLock<Assets> = OnceLock::new();
        ASSETS.get_or_init(|| {
            let fonts: Vec<Font> =
                typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
            Assets {
                library: LazyHash::new(Library::default()),
                book: LazyHash::new(FontBook::from_fonts(&fonts)),
                fonts,
                coverage: Default::default(),
                main: Source::new(file_id("/invoice.typ"), include_str!("invoice.typ").into()),
                register: Source::new(file_id("/register.typ"), include_str!("register.typ").into()),
                notice: Source::new(file_id("/notice.typ"), include_str!("notice.typ").into()),
                data: file_id("/data.json"),
                logo: file_id("/logo"),
                pay_qr: file_id("/pay-qr.svg"),
                transfer_qr: file_id("/transfer-qr.svg"),
            }
        })
    }

    /// Whether a bundled font has a glyph for `c`. Remembered: a font's coverage is a list of
    /// ranges walked in order, and an invoice asks about the same few characters again and again.
    pub(crate) fn covers(&self, c: char) -> bool {
        if let Some(&known) = self.coverage.read().unwrap_or_else(|e| e.into_inner()).get(&c) {
            return known;
        }
        let mut index = 0;
        let mut covered = false;
        while let Some(info) = self.book.info(index) {
            if info.coverage.contains(c as u32) {
                covered = true;
                break;
            }
            index += 1;
        }
        self.coverage.write().unwrap_or_else(|e| e.into_inner()).insert(c, covered);
        covered
    }
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("static path is valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// The files one render exposes to the template.
pub(crate) struct InvoiceWorld {
    assets: &'static Assets,
    /// The template compiled: the invoice's, or the livre des recettes'.
    main: &'static Source,
    /// The serialized `PdfDocument`, read by `json("/data.json")`.
    data: Bytes,
    logo: Option<Bytes>,
    /// SVG of the payment QR code.
    pay_qr: Option<Bytes>,
    /// SVG of the EPC QR code of a SEPA transfer.
    transfer_qr: Option<Bytes>,
}

impl InvoiceWorld {
    pub(crate) fn new(
        assets: &'static Assets,
        data: Vec<u8>,
        logo: Option<Vec<u8>>,
        pay_qr: Option<String>,
        transfer_qr: Option<String>,
    ) -> Self {
        Self {
            assets,
            main: &assets.main,
            data: Bytes::new(data),
            logo: logo.map(Bytes::new),
            pay_qr: pay_qr.map(Bytes::from_string),
            transfer_qr: transfer_qr.map(Bytes::from_string),
        }
    }

    /// The livre des recettes over `data`.
    pub(crate) fn register(assets: &'static Assets, data: Vec<u8>) -> Self {
        Self::of(assets, &assets.register, data)
    }

    /// A « mise en demeure » over `data`.
    pub(crate) fn notice(assets: &'static Assets, data: Vec<u8>) -> Self {
        Self::of(assets, &assets.notice, data)
    }

    /// `main` over `data`, with no image.
    fn of(assets: &'static Assets, main: &'static Source, data: Vec<u8>) -> Self {
        Self { assets, main, data: Bytes::new(data), logo: None, pay_qr: None, transfer_qr: None }
    }
}

impl World for InvoiceWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.assets.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.assets.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let a = self.assets;
        let file = if id == self.main.id() {
            Some(Bytes::from_string(self.main.clone()))
        } else if id == a.data {
            Some(self.data.clone())
        } else if id == a.logo {
            self.logo.clone()
        } else if id == a.pay_qr {
            self.pay_qr.clone()
        } else if id == a.transfer_qr {
            self.transfer_qr.clone()
        } else {
            None
        };
        file.ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.assets.fonts.get(index).cloned()
    }

    /// No clock: the template never prints "today", and renders stay reproducible.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(std::path::Path::new(id.vpath().get_with_slash()).into())
}
