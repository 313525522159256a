//! An invoice as the editor and the API describe it, and the checks it must pass to be issued.
//! Drafts keep whatever was typed; only issuing demands a complete, valid invoice.

use super::invoice_lines::{totals, InvoiceLine, Quantity, Totals, VatRate};
use super::{BusinessProfile, Date, FieldErrors, Money};
use serde::{Deserialize, Serialize};

/// How the client may pay, printed on the invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Cheque,
    Transfer,
    CardTerminal,
    PaymentLink,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::Cash,
        PaymentMethod::Cheque,
        PaymentMethod::Transfer,
        PaymentMethod::CardTerminal,
        PaymentMethod::PaymentLink,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::CardTerminal => "card_terminal",
            PaymentMethod::PaymentLink => "payment_link",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "Espèces",
            PaymentMethod::Cheque => "Chèque",
            PaymentMethod::Transfer => "Virement",
            PaymentMethod::CardTerminal => "Carte bancaire (TPE)",
            PaymentMethod::PaymentLink => "Lien de paiement",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// Accepted methods (codes) as a document lists them: « Virement, Lien de paiement ».
    pub fn labels(codes: &[String]) -> String {
        codes.iter().filter_map(|c| Self::from_code(c)).map(Self::label).collect::<Vec<_>>().join(", ")
    }

    /// The method code of a payment received through the payment link.
    pub const ONLINE_CARD: &'static str = "online_card";

    /// How a received payment's method reads (« Carte en ligne » for the payment link's).
    pub fn received_label(code: &str) -> &str {
        if code == Self::ONLINE_CARD {
            return "Carte en ligne";
        }
        Self::from_code(code).map_or(code, |m| m.label())
    }
}

/// The nature of the operation, a mandatory mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationNature {
    Goods,
    Services,
    Mixed,
}

impl OperationNature {
    pub const ALL: [OperationNature; 3] =
        [OperationNature::Goods, OperationNature::Services, OperationNature::Mixed];

    pub fn code(self) -> &'static str {
        match self {
            OperationNature::Goods => "goods",
            OperationNature::Services => "services",
            OperationNature::Mixed => "mixed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            OperationNature::Goods => "Livraison de biens",
            OperationNature::Services => "Prestation de services",
            OperationNature::Mixed => "Biens et services",
        }
    }
}

/// One line as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineInput {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    /// Unit price HT in euros, as typed (« 45,00 »).
    pub unit_price: String,
    /// « 0 », « 5.5 », « 10 », « 20 ».
    pub vat_rate: String,
    /// Discount in percent, as typed; empty for none.
    pub discount: String,
}

impl Default for LineInput {
    fn default() -> Self {
        Self {
            description: String::new(),
            quantity: "1".into(),
            unit: String::new(),
            unit_price: String::new(),
            vat_rate: "20".into(),
            discount: String::new(),
        }
    }
}

impl LineInput {
    /// A computed line (a deposit, its deduction) as the editor shows it.
    pub fn from_line(line: &InvoiceLine) -> Self {
        Self {
            description: line.description.clone(),
            quantity: line.quantity.to_string(),
            unit: line.unit.clone(),
            unit_price: line.unit_price.to_input(),
            vat_rate: line.vat_rate.to_api().into(),
            discount: if line.discount_bp == 0 {
                String::new()
            } else {
                super::business_profile::format_rate_bp(u32::try_from(line.discount_bp).unwrap_or(0))
            },
        }
    }

    /// The line, if every part of it reads.
    pub fn parse(&self, franchise: bool) -> Result<InvoiceLine, FieldErrors> {
        let mut errors = FieldErrors::default();
        let description = self.description.trim();
        if description.is_empty() {
            errors.push("description", "Décrivez la prestation ou le produit.");
        } else if description.chars().count() > InvoiceLine::MAX_DESCRIPTION {
            errors.push("description", format!("{} caractères au maximum.", InvoiceLine::MAX_DESCRIPTION));
        }
        let quantity = errors.check("quantity", Quantity::parse(&self.quantity));
        let unit_price = errors.check("unit_price", Money::parse_euros(&self.unit_price));
        let vat_rate = if franchise {
            Some(VatRate::Zero)
        } else {
            errors.check("vat_rate", VatRate::parse(&self.vat_rate))
        };
        let discount_bp = if self.discount.trim().is_empty() {
            Some(0)
        } else {
            errors.check(
                "discount",
                super::business_profile::parse_rate_bp(&self.discount).map(i64::from).map_err(|_| {
                    "Indiquez une remise entre 0,01 % et 100 %, par exemple 10 ou 12,5.".to_string()
                }),
            )
        };
        if self.unit.chars().count() > 20 {
            errors.push("unit", "20 caractères au maximum.");
        }
        match (quantity, unit_price, vat_rate, discount_bp) {
            (Some(quantity), Some(unit_price), Some(vat_rate), Some(discount_bp)) if errors.is_empty() => {
                Ok(InvoiceLine {
                    description: description.to_owned(),
                    quantity,
                    unit: self.unit.trim().to_owned(),
                    unit_price,
                    vat_rate,
                    discount_bp,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A negative price is read (a final invoice deducts its deposits that way) but refused on any
/// other line: a discount goes in the discount column.
pub(crate) fn check_price(line: &InvoiceLine, deductions: bool) -> Result<(), String> {
    if line.unit_price.cents() < 0 && !deductions {
        Err("Le prix unitaire ne peut pas être négatif : une remise se saisit dans la colonne remise.".into())
    } else {
        Ok(())
    }
}

/// The lines of a document to be issued (an invoice or a quote) and their totals: at least one,
/// at most [`InvoiceInput::MAX_LINES`], each reading, no line nor total above 10 000 000 €, no
/// negative price unless `deductions` (a final invoice's deposits) and then no negative total.
/// Errors name `lines.{index}.{field}`.
pub fn validate_lines(
    inputs: &[LineInput],
    franchise: bool,
    deductions: bool,
    errors: &mut FieldErrors,
) -> (Vec<InvoiceLine>, Totals) {
    if inputs.is_empty() {
        errors.push("lines", "Ajoutez au moins une ligne.");
    } else if inputs.len() > InvoiceInput::MAX_LINES {
        errors.push("lines", format!("{} lignes au maximum.", InvoiceInput::MAX_LINES));
    }
    let mut lines = Vec::new();
    for (i, line) in inputs.iter().take(InvoiceInput::MAX_LINES).enumerate() {
        match line.parse(franchise) {
            Ok(l) if l.total_ht().cents() > Money::MAX_CENTS => errors.push(
                &format!("lines.{i}.quantity"),
                "Le total de cette ligne dépasse 10 000 000 € : vérifiez la quantité et le prix.",
            ),
            Ok(l) => match check_price(&l, deductions) {
                Ok(()) => lines.push(l),
                Err(e) => errors.push(&format!("lines.{i}.unit_price"), e),
            },
            Err(line_errors) => {
                for e in line_errors.0 {
                    errors.push(&format!("lines.{i}.{}", e.field), e.message);
                }
            }
        }
    }
    let totals = totals(&lines);
    if totals.ttc.cents() > Money::MAX_CENTS {
        errors.push("lines", "Le total dépasse 10 000 000 € : vérifiez les montants.");
    } else if totals.ttc.cents() < 0 {
        errors.push(
            "lines",
            "Le total ne peut pas être négatif : les acomptes déduits dépassent le montant facturé.",
        );
    }
    (lines, totals)
}

/// An invoice as the editor holds it. Saved as is for drafts, so nothing typed is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvoiceInput {
    pub client_id: Option<i64>,
    pub issue_date: String,
    /// Date of the sale, or start of the service period.
    pub service_date: String,
    /// End of the service period; empty for a single date.
    pub service_end: String,
    pub due_date: String,
    pub operation: String,
    pub lines: Vec<LineInput>,
    pub payment_methods: Vec<String>,
    pub notes: String,
    /// The quote this invoice bills, if any: a deposit invoice, or the final invoice that
    /// deducts the deposits (see [`crate::domain::quote`]).
    pub quote_id: Option<i64>,
    /// That quote's number, printed as the reference.
    pub quote_number: String,
    /// A « facture d'acompte ».
    pub deposit: bool,
    /// Where goods are delivered, when it is not the client's address: all three empty
    /// otherwise (a mention of the 2026 reform, printed and in the e-invoice).
    pub delivery_line1: String,
    pub delivery_postal_code: String,
    pub delivery_city: String,
    /// What was paid before it was numbered (a deposit paid by card), set by issuing whatever
    /// the draft said: the issued document shows it for ever, whatever is paid later.
    #[serde(skip_serializing_if = "is_zero")]
    pub prepaid_cents: i64,
    /// Issued with the EPC QR code of a transfer on its PDF: set by issuing from December 2026
    /// on, so that an invoice issued before keeps the PDF it was sent with.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub transfer_qr: bool,
}

fn is_zero(cents: &i64) -> bool {
    *cents == 0
}

impl Default for InvoiceInput {
    fn default() -> Self {
        Self {
            client_id: None,
            issue_date: String::new(),
            service_date: String::new(),
            service_end: String::new(),
            due_date: String::new(),
            operation: OperationNature::Services.code().into(),
            lines: vec![LineInput::default()],
            payment_methods: vec![PaymentMethod::Transfer.code().into()],
            notes: String::new(),
            quote_id: None,
            quote_number: String::new(),
            deposit: false,
            delivery_line1: String::new(),
            delivery_postal_code: String::new(),
            delivery_city: String::new(),
            prepaid_cents: 0,
            transfer_qr: false,
        }
    }
}

/// An invoice ready to be issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidInvoice {
    pub client_id: i64,
    pub issue_date: Date,
    pub service_date: Date,
    pub service_end: Option<Date>,
    pub due_date: Date,
    pub operation: OperationNature,
    pub lines: Vec<InvoiceLine>,
    pub payment_methods: Vec<PaymentMethod>,
    pub notes: String,
    pub totals: Totals,
}

impl InvoiceInput {
    pub const MAX_LINES: usize = 500;

    /// A new invoice for `seller`, dated `today`, due after the seller's usual terms.
    pub fn new_for(seller: Option<&BusinessProfile>, today: Date) -> Self {
        let terms = seller.map_or(BusinessProfile::DEFAULT_TERMS_DAYS, |s| s.payment_terms_days);
        Self {
            issue_date: today.to_string(),
            service_date: today.to_string(),
            due_date: today.add_days(i64::from(terms)).to_string(),
            ..Self::default()
        }
    }

    /// A final invoice for a quote: its deposits are deducted as negative lines.
    pub fn deducts_deposits(&self) -> bool {
        self.quote_id.is_some() && !self.deposit
    }

    /// The title printed on the document.
    pub fn title(&self) -> &'static str {
        if self.deposit {
            "Facture d'acompte"
        } else {
            "Facture"
        }
    }

    /// Totals of the lines that read, for the live preview of a draft.
    pub fn preview_totals(&self, franchise: bool) -> Totals {
        let lines: Vec<InvoiceLine> = self.lines.iter().filter_map(|l| l.parse(franchise).ok()).collect();
        totals(&lines)
    }

    /// A delivery address other than the client's, given.
    pub fn has_delivery(&self) -> bool {
        [&self.delivery_line1, &self.delivery_postal_code, &self.delivery_city]
            .iter()
            .any(|f| !f.trim().is_empty())
    }

    /// A delivery address given is whole.
    fn check_delivery(&self, errors: &mut FieldErrors) {
        if !self.has_delivery() {
            return;
        }
        let line1 = self.delivery_line1.trim().chars().count();
        if line1 == 0 {
            errors.push("delivery_line1", "Indiquez l'adresse de livraison.");
        } else if line1 > 200 {
            errors.push("delivery_line1", "200 caractères au maximum.");
        }
        if let Err(e) = super::PostalCode::parse(&self.delivery_postal_code) {
            errors.push("delivery_postal_code", e);
        }
        let city = self.delivery_city.trim().chars().count();
        if city == 0 {
            errors.push("delivery_city", "Indiquez la ville de livraison.");
        } else if city > 100 {
            errors.push("delivery_city", "100 caractères au maximum.");
        }
    }

    /// Every check an invoice must pass before it is numbered. Field names of lines read
    /// `lines.{index}.{field}`.
    pub fn validate(&self, franchise: bool) -> Result<ValidInvoice, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.client_id.is_none() {
            errors.push("client_id", "Choisissez le client.");
        }
        let issue_date = errors.check("issue_date", Date::parse(&self.issue_date));
        let service_date = errors.check("service_date", Date::parse(&self.service_date));
        let service_end = if self.service_end.trim().is_empty() {
            Some(None)
        } else {
            errors.check("service_end", Date::parse(&self.service_end)).map(Some)
        };
        if let (Some(start), Some(Some(end))) = (service_date, service_end) {
            if end < start {
                errors.push("service_end", "La fin de la période précède son début.");
            }
        }
        let due_date = errors.check("due_date", Date::parse(&self.due_date));
        if let (Some(issue), Some(due)) = (issue_date, due_date) {
            let days = issue.days_until(due);
            if days < 0 {
                errors.push("due_date", "L'échéance ne peut pas précéder la date de la facture.");
            } else if days > i64::from(BusinessProfile::MAX_TERMS_DAYS) {
                errors.push(
                    "due_date",
                    "L'échéance ne peut pas dépasser 60 jours après la date de la facture (art. L441-10 du Code de commerce).",
                );
            }
        }
        let operation = OperationNature::ALL.into_iter().find(|o| o.code() == self.operation);
        if operation.is_none() {
            errors.push("operation", "Choisissez la nature de l'opération.");
        }
        let (lines, totals) = validate_lines(&self.lines, franchise, self.deducts_deposits(), &mut errors);
        let mut payment_methods = Vec::new();
        for code in &self.payment_methods {
            match PaymentMethod::from_code(code) {
                Some(m) if !payment_methods.contains(&m) => payment_methods.push(m),
                Some(_) => {}
                None => errors.push("payment_methods", format!("Moyen de paiement inconnu : {code}.")),
            }
        }
        if payment_methods.is_empty() {
            errors.push("payment_methods", "Cochez au moins un moyen de paiement.");
        }
        if self.notes.chars().count() > 5_000 {
            errors.push("notes", "5 000 caractères au maximum.");
        }
        self.check_delivery(&mut errors);
        match (self.client_id, issue_date, service_date, service_end, due_date, operation) {
            (
                Some(client_id),
                Some(issue_date),
                Some(service_date),
                Some(service_end),
                Some(due_date),
                Some(operation),
            ) if errors.is_empty() => Ok(ValidInvoice {
                client_id,
                issue_date,
                service_date,
                service_end,
                due_date,
                operation,
                lines,
                payment_methods,
                notes: self.notes.trim().to_owned(),
                totals,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn valid_input() -> InvoiceInput {
        InvoiceInput {
            client_id: Some(1),
            issue_date: "2026-11-27".into(),
            service_date: "2026-11-20".into(),
            due_date: "2026-12-27".into(),
            lines: vec![
                LineInput {
                    description: "Développement".into(),
                    quantity: "2,5".into(),
                    unit: "j".into(),
                    unit_price: "450".into(),
                    ..LineInput::default()
                },
                LineInput {
                    description: "Hébergement".into(),
                    quantity: "1".into(),
                    unit_price: "19,99".into(),
                    vat_rate: "20".into(),
                    discount: "10".into(),
                    ..LineInput::default()
                },
            ],
            ..InvoiceInput::default()
        }
    }

    #[test]
    fn a_delivery_address_is_whole() {
        let goods = InvoiceInput { operation: OperationNature::Goods.code().into(), ..valid_input() };
        let delivered = InvoiceInput {
            delivery_line1: "Entrepôt 4, ZI des Pins".into(),
            delivery_postal_code: "33000".into(),
            delivery_city: "Bordeaux".into(),
            ..goods.clone()
        };
        assert!(delivered.validate(false).is_ok());
        let errors =
            InvoiceInput { delivery_postal_code: "330".into(), delivery_city: " ".into(), ..delivered }
                .validate(false)
                .unwrap_err();
        assert!(errors.get("delivery_postal_code").unwrap().contains("5 chiffres"));
        assert!(errors.get("delivery_city").is_some() && errors.get("delivery_line1").is_none());
        assert!(!goods.has_delivery() && goods.validate(false).is_ok(), "none: the client's address");
    }

    #[test]
    fn a_complete_invoice_validates_with_its_totals() {
        let v = valid_input().validate(false).unwrap();
        // 2,5 × 450 = 1 125,00; 19,99 − 10 % = 17,991 → 17,99; HT 1 142,99; TVA 20 % 228,598 → 228,60.
        assert_eq!(v.totals.ht, Money::from_cents(114_299));
        assert_eq!(v.totals.tax, Money::from_cents(22_860));
        assert_eq!(v.totals.ttc, Money::from_cents(137_159));
    }

    #[test]
    fn franchise_invoices_carry_no_vat_whatever_was_typed() {
        let v = valid_input().validate(true).unwrap();
        assert_eq!(v.totals.tax, Money::ZERO);
        assert!(v.lines.iter().all(|l| l.vat_rate == VatRate::Zero));
    }

    #[test]
    fn errors_name_the_line_and_the_field() {
        let mut input = valid_input();
        input.lines[1].quantity = "-2".into();
        input.lines[1].vat_rate = "19.6".into();
        input.due_date = "2027-03-01".into();
        input.payment_methods = vec!["bitcoin".into()];
        let e = input.validate(false).unwrap_err();
        assert!(e.get("lines.1.quantity").is_some());
        assert!(e.get("lines.1.vat_rate").unwrap().contains("Taux de TVA inconnu"));
        assert!(e.get("due_date").unwrap().contains("60 jours"));
        assert!(e.get("payment_methods").unwrap().contains("bitcoin"));
        assert_eq!(e.get("lines.0.quantity"), None);
    }

    #[test]
    fn line_and_invoice_totals_are_bounded() {
        let mut input = valid_input();
        // 1 000 000 × 9 999 999 € fits no invoice of a micro-entrepreneur.
        input.lines[0].quantity = "1000000".into();
        input.lines[0].unit_price = "9999999".into();
        let e = input.validate(false).unwrap_err();
        assert!(e.get("lines.0.quantity").unwrap().contains("10 000 000 €"));
        // Each line under the bound, together over it.
        let mut input = valid_input();
        input.lines = vec![
            LineInput {
                quantity: "1".into(),
                unit_price: "6000000".into(),
                ..valid_input().lines[0].clone()
            };
            2
        ];
        let e = input.validate(true).unwrap_err();
        assert!(e.get("lines").unwrap().contains("Le total dépasse 10 000 000 €"), "{e:?}");
        assert_eq!(
            Money::from_cents(i64::MAX) + Money::from_cents(1),
            Money::from_cents(i64::MAX),
            "never wraps"
        );
    }

    #[test]
    fn a_computed_line_reads_back_as_itself() {
        let line =
            LineInput { discount: "12,5".into(), ..valid_input().lines[0].clone() }.parse(false).unwrap();
        assert_eq!(LineInput::from_line(&line).parse(false).unwrap(), line);
        let negative = InvoiceLine { unit_price: Money::from_cents(-12_345), ..line };
        assert_eq!(LineInput::from_line(&negative).parse(false).unwrap(), negative);
    }

    #[test]
    fn only_a_final_invoice_deducts_with_negative_lines() {
        let mut input = valid_input();
        input.lines[1].unit_price = "-100".into();
        let e = input.validate(false).unwrap_err();
        assert!(e.get("lines.1.unit_price").unwrap().contains("colonne remise"), "{e:?}");
        input.quote_id = Some(3);
        input.lines[1].discount = String::new();
        let v = input.validate(false).unwrap();
        assert_eq!(v.totals.ht, Money::from_cents(112_500 - 10_000));
        input.lines[1].unit_price = "-2000".into();
        let e = input.validate(false).unwrap_err();
        assert!(e.get("lines").unwrap().contains("négatif"), "{e:?}");
        input.deposit = true;
        input.lines[1].unit_price = "-100".into();
        assert!(input.validate(false).unwrap_err().get("lines.1.unit_price").is_some());
    }

    #[test]
    fn a_draft_preview_counts_the_lines_that_read() {
        let mut input = valid_input();
        input.lines[1].unit_price = "dix".into();
        assert_eq!(input.preview_totals(false).ht, Money::from_cents(112_500));
    }

    #[test]
    fn absurd_input_is_refused() {
        let mut input = valid_input();
        input.lines =
            vec![LineInput { description: "x".repeat(3_000), ..valid_input().lines[0].clone() }; 501];
        let e = input.validate(false).unwrap_err();
        assert!(e.get("lines").unwrap().contains("500 lignes"));
        assert!(e.get("lines.0.description").is_some());
    }
}
